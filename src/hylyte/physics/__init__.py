"""Analytic physics of hybrid electrolytes: pure, vectorised functions in SI units.

Composition (mass/volume fractions), effective-medium theory and bounds, interphases and
interface resistance, filler effects, three-pathway current fractions, transference numbers,
multilayer stacks, stability windows, mechanics and cell-level metrics. Submodules load on
first access (PEP 562); every public name is listed in ``__all__``.
"""

import importlib

_LAZY = {
    "CellEnergy": "hylyte.physics.cell",
    "CostBreakdown": "hylyte.physics.cell",
    "EMTResult": "hylyte.physics.emt",
    "ElasticBounds": "hylyte.physics.mechanics",
    "FillerEffect": "hylyte.physics.filler_effects",
    "FillerFractions": "hylyte.physics.composition",
    "G_LI": "hylyte.physics.mechanics",
    "Interface": "hylyte.physics.stack",
    "InterfaceVerdict": "hylyte.physics.window",
    "J_PER_KWH": "hylyte.physics.cell",
    "J_PER_WH": "hylyte.physics.cell",
    "LI_BUFFER_REQUIRED": "hylyte.physics.window",
    "LI_SPECIFIC_CAPACITY": "hylyte.physics.cell",
    "LI_VOLUMETRIC_CAPACITY": "hylyte.physics.cell",
    "Layer": "hylyte.physics.stack",
    "MONROE_NEWMAN_CAVEATS": "hylyte.physics.mechanics",
    "M_EO": "hylyte.physics.composition",
    "M_LITFSI": "hylyte.physics.composition",
    "MonroeNewmanCheck": "hylyte.physics.mechanics",
    "PathwayResult": "hylyte.physics.pathways",
    "RHO_LITFSI": "hylyte.physics.composition",
    "RHO_PEO": "hylyte.physics.composition",
    "SPEComposition": "hylyte.physics.composition",
    "SULFIDES": "hylyte.physics.window",
    "StackASR": "hylyte.physics.stack",
    "StackTransference": "hylyte.physics.transference",
    "TraceBoundCheck": "hylyte.physics.emt",
    "WindowLayer": "hylyte.physics.window",
    "WindowResult": "hylyte.physics.window",
    "amorphous_concentration": "hylyte.physics.composition",
    "bruggeman": "hylyte.physics.emt",
    "bruggeman_threshold": "hylyte.physics.emt",
    "bruggeman_two_phase": "hylyte.physics.emt",
    "bulk_modulus": "hylyte.physics.mechanics",
    "cell_energy": "hylyte.physics.cell",
    "coated_cylinder": "hylyte.physics.interphase",
    "coated_sphere": "hylyte.physics.interphase",
    "coated_sphere_mg": "hylyte.physics.interphase",
    "composite_conductivity": "hylyte.physics.emt",
    "composite_density": "hylyte.physics.composition",
    "composite_t_plus": "hylyte.physics.transference",
    "critical_radius": "hylyte.physics.interphase",
    "crystallinity_with_filler": "hylyte.physics.filler_effects",
    "current_fractions_bruggeman": "hylyte.physics.emt",
    "current_fractions_two_phase": "hylyte.physics.emt",
    "depolarization_factors": "hylyte.physics.emt",
    "dissociation_enhancement": "hylyte.physics.filler_effects",
    "electrolyte_areal_mass": "hylyte.physics.cell",
    "element_inventory": "hylyte.physics.cell",
    "emt_result": "hylyte.physics.emt",
    "filler_modified_conductivity": "hylyte.physics.filler_effects",
    "filler_volume_fraction": "hylyte.physics.composition",
    "framework_asymptote": "hylyte.physics.emt",
    "gem": "hylyte.physics.emt",
    "hasselman_johnson": "hylyte.physics.interphase",
    "hs_bounds": "hylyte.physics.emt",
    "hs_bounds_two_phase": "hylyte.physics.emt",
    "hs_elastic_bounds": "hylyte.physics.mechanics",
    "interface_asr": "hylyte.physics.stack",
    "interphase_volume_fraction": "hylyte.physics.interphase",
    "li_thickness": "hylyte.physics.cell",
    "limiting_current": "hylyte.physics.stack",
    "mass_to_volume_fractions": "hylyte.physics.composition",
    "materials_cost": "hylyte.physics.cell",
    "maxwell_garnett": "hylyte.physics.emt",
    "mg_aligned_spheroids": "hylyte.physics.emt",
    "mg_ellipsoid_axis": "hylyte.physics.emt",
    "mg_oriented_spheroids": "hylyte.physics.emt",
    "mg_random_spheroids": "hylyte.physics.emt",
    "monroe_newman_check": "hylyte.physics.mechanics",
    "mori_tanaka": "hylyte.physics.mechanics",
    "ohmic_drop": "hylyte.physics.cell",
    "peo_litfsi": "hylyte.physics.composition",
    "poisson_ratio": "hylyte.physics.mechanics",
    "reuss": "hylyte.physics.mechanics",
    "sand_time": "hylyte.physics.stack",
    "semicrystalline_conductivity": "hylyte.physics.filler_effects",
    "shear_modulus": "hylyte.physics.mechanics",
    "sigma_c_eq": "hylyte.physics.interphase",
    "stack_asr": "hylyte.physics.stack",
    "stack_limiting_current": "hylyte.physics.stack",
    "stack_t_plus": "hylyte.physics.transference",
    "stack_window": "hylyte.physics.window",
    "surface_conduction_limit": "hylyte.physics.interphase",
    "t_plus_from_emt": "hylyte.physics.transference",
    "temperature_for_asr": "hylyte.physics.stack",
    "three_pathway": "hylyte.physics.pathways",
    "trace_bounds": "hylyte.physics.emt",
    "voigt": "hylyte.physics.mechanics",
    "volume_to_mass_fractions": "hylyte.physics.composition",
    "wiener_bounds": "hylyte.physics.emt",
    "with_porosity": "hylyte.physics.composition",
    "youngs_modulus": "hylyte.physics.mechanics",
}
_SUBMODULES = (
    "cell", "composition", "emt", "filler_effects", "interphase", "mechanics", "pathways",
    "stack", "transference", "window",
)
__all__ = sorted([*_LAZY, *_SUBMODULES])


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"hylyte.physics.{name}")
    raise AttributeError(f"module 'hylyte.physics' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
