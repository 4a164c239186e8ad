"""Normalised designs: frozen dataclasses holding SI floats (built by :mod:`hylyte.design.load`).

Every quantity from the design file is converted once, at loading, into the internal unit
(m, K, S/m, ohm m^2, C/m^2, V; activation energies in eV). Volume fractions are fractions of
the whole composite; mass fractions given in the file are converted with the densities and
the original string is kept in ``fraction_input``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class InlineLaw:
    """A conductivity law given in the design file instead of a library name."""

    law: Literal["arrhenius", "vtf"]
    sigma_ref_S_per_m: float | None = None
    T_ref_K: float | None = None
    Ea_eV: float | None = None
    form: Literal["plain", "sigmaT"] = "plain"
    A_S_per_m: float | None = None
    B_K: float | None = None
    T0_K: float | None = None


@dataclass(frozen=True)
class Matrix:
    """The continuous phase of a composite."""

    name: str
    material: str | None = None
    law: InlineLaw | None = None
    density_kg_per_m3: float | None = None
    rho_plus: float | None = None


@dataclass(frozen=True)
class Interphase:
    """Uniform shell of ``thickness_m`` around each filler element."""

    thickness_m: float
    sigma_S_per_m: float | None = None  # fixed value, or
    ratio: float | None = None  # sigma_i / sigma_polymer(T)
    rho_plus: float | None = None


@dataclass(frozen=True)
class InterfaceResistance:
    """Li-only ASR across the filler|matrix boundary, thermally activated."""

    asr_ohm_m2: float
    T_ref_K: float
    Ea_eV: float = 0.0


@dataclass(frozen=True)
class Filler:
    """One filler population."""

    material: str
    fraction: float  # volume fraction of the whole composite [-]
    fraction_input: str
    shape: str
    size_m: float | None
    length_m: float | None = None
    width_m: float | None = None
    orientation: str = "random"
    axis: str = "through-plane"
    interphase: Interphase | None = None
    interface: InterfaceResistance | None = None


@dataclass(frozen=True)
class VoxelSettings:
    """User overrides of the voxel path (``None``: chosen automatically)."""

    voxel_size_m: float | None = None
    box_m: float | None = None
    max_voxels_per_axis: int | None = None
    axis: str = "x"
    backend: str = "auto"


@dataclass(frozen=True)
class EvaluateSettings:
    """What to compute and at which temperatures."""

    temperatures_K: tuple[float, ...]
    method: str = "analytic"
    target_asr_ohm_m2: float | None = None
    c_rate: float = 0.5
    current_density_A_per_m2: float | None = None
    voxel: VoxelSettings = field(default_factory=VoxelSettings)


@dataclass(frozen=True)
class Electrodes:
    """Electrodes facing the electrolyte (names of library materials)."""

    anode: str | None = None
    cathode: str | None = None
    cathode_capacity_C_per_m2: float | None = None
    cathode_voltage_V: float | None = None
    cutoff_voltage_V: float | None = None
    n_p: float = 2.0
    anode_asr_ohm_m2: float | None = None
    cathode_asr_ohm_m2: float | None = None


@dataclass(frozen=True)
class CompositeDesign:
    """A matrix with filler populations."""

    name: str
    matrix: Matrix
    fillers: tuple[Filler, ...]
    evaluate: EvaluateSettings
    porosity: float = 0.0
    sigma_factor: float = 1.0  # filler-induced modification of the polymer [-]
    lewis_sites_mol_per_m2: float | None = None  # acidic surface sites (dissociation model)
    alpha_0: float = 0.3  # free-ion fraction without filler [-]
    alpha_max: float = 0.6  # ceiling of the free-ion fraction [-]
    electrodes: Electrodes | None = None
    seed: int | None = None
    description: str | None = None
    source: str | None = None
    kind: Literal["composite"] = "composite"

    @property
    def filler_fraction(self) -> float:
        """Total filler volume fraction [-]."""
        return float(sum(f.fraction for f in self.fillers))

    def to_dict(self) -> dict[str, Any]:
        """Normalised design as a dict in design-file form (SI strings); see :func:`to_dict`."""
        return to_dict(self)


@dataclass(frozen=True)
class Layer:
    """One stack layer: a library material or a composite."""

    thickness_m: float
    material: str | None = None
    composite: CompositeDesign | None = None

    @property
    def label(self) -> str:
        """A short name for reports."""
        return self.material if self.composite is None else self.composite.name


@dataclass(frozen=True)
class Interface:
    """A Li-only ASR between two layers or a layer and an electrode (1-based indices)."""

    between: tuple[int | str, int | str]
    asr_ohm_m2: float
    T_ref_K: float
    Ea_eV: float = 0.0


@dataclass(frozen=True)
class StackDesign:
    """Ordered layers from the anode side (layer 1) to the cathode side."""

    name: str
    layers: tuple[Layer, ...]
    interfaces: tuple[Interface, ...]
    evaluate: EvaluateSettings
    electrodes: Electrodes | None = None
    seed: int | None = None
    description: str | None = None
    source: str | None = None
    kind: Literal["stack"] = "stack"

    def to_dict(self) -> dict[str, Any]:
        """Normalised design as a dict in design-file form (SI strings); see :func:`to_dict`."""
        return to_dict(self)


Design = CompositeDesign | StackDesign


def _q(value: float | None, unit: str) -> str | None:
    return None if value is None else f"{float(value)!r} {unit}"


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _law_dict(law: InlineLaw) -> dict[str, Any]:
    return _drop_none({
        "law": law.law, "sigma_ref": _q(law.sigma_ref_S_per_m, "S/m"),
        "T_ref": _q(law.T_ref_K, "K"), "Ea": _q(law.Ea_eV, "eV"),
        "form": law.form if law.law == "arrhenius" else None,
        "A": _q(law.A_S_per_m, "S/m"), "B": _q(law.B_K, "K"), "T0": _q(law.T0_K, "K"),
    })


def _evaluate_dict(ev: EvaluateSettings) -> dict[str, Any]:
    vx = ev.voxel
    voxel = _drop_none({
        "voxel_size": _q(vx.voxel_size_m, "m"), "box": _q(vx.box_m, "m"),
        "max_voxels_per_axis": vx.max_voxels_per_axis, "axis": vx.axis, "backend": vx.backend,
    })
    return _drop_none({
        "temperatures": [_q(T, "K") for T in ev.temperatures_K],
        "method": ev.method,
        "target_asr": _q(ev.target_asr_ohm_m2, "ohm*m^2"),
        "c_rate": float(ev.c_rate),
        "current_density": _q(ev.current_density_A_per_m2, "A/m^2"),
        "voxel": voxel,
    })


def _electrodes_dict(el: Electrodes | None) -> dict[str, Any] | None:
    if el is None:
        return None
    return _drop_none({
        "anode": el.anode, "cathode": el.cathode,
        "cathode_capacity": _q(el.cathode_capacity_C_per_m2, "C/m^2"),
        "cathode_voltage": _q(el.cathode_voltage_V, "V"),
        "cutoff_voltage": _q(el.cutoff_voltage_V, "V"), "n_p": float(el.n_p),
        "anode_asr": _q(el.anode_asr_ohm_m2, "ohm*m^2"),
        "cathode_asr": _q(el.cathode_asr_ohm_m2, "ohm*m^2"),
    })


def _composite_body(d: CompositeDesign) -> dict[str, Any]:
    m = d.matrix
    matrix = _drop_none({
        "material": m.material, "law": _law_dict(m.law) if m.law else None,
        "name": m.name if m.material is None else None,
        "density": _q(m.density_kg_per_m3, "kg/m^3"), "rho_plus": m.rho_plus,
    })
    fillers = []
    for f in d.fillers:
        ip = f.interphase
        itf = f.interface
        fillers.append(_drop_none({
            "material": f.material, "fraction": float(f.fraction), "shape": f.shape,
            "size": _q(f.size_m, "m"), "length": _q(f.length_m, "m"),
            "width": _q(f.width_m, "m"), "orientation": f.orientation, "axis": f.axis,
            "interphase": None if ip is None else _drop_none({
                "thickness": _q(ip.thickness_m, "m"),
                "conductivity": _q(ip.sigma_S_per_m, "S/m"), "ratio": ip.ratio,
                "rho_plus": ip.rho_plus}),
            "interface": None if itf is None else {
                "asr": _q(itf.asr_ohm_m2, "ohm*m^2"), "at": _q(itf.T_ref_K, "K"),
                "activation_energy": _q(itf.Ea_eV, "eV")},
        }))
    out: dict[str, Any] = {"matrix": matrix, "fillers": fillers}
    if d.porosity:
        out["porosity"] = float(d.porosity)
    mod: dict[str, Any] = {}
    if d.sigma_factor != 1.0:
        mod["conductivity_factor"] = float(d.sigma_factor)
    if d.lewis_sites_mol_per_m2 is not None:
        mod.update(lewis_acid_sites_mol_per_m2=float(d.lewis_sites_mol_per_m2),
                   alpha_0=float(d.alpha_0), alpha_max=float(d.alpha_max))
    if mod:
        out["modification"] = mod
    return out


def to_dict(design: Design) -> dict[str, Any]:
    """The normalised design in design-file form, with quantities as SI strings.

    Composite layers of a stack are inlined, so the dict is self-contained and
    ``design_from_dict(to_dict(d))`` rebuilds an equal design.

    Parameters
    ----------
    design
        A loaded design.

    Returns
    -------
    dict
        Keys as in a design file; volume fractions as plain numbers in [0, 1].
    """
    meta = _drop_none({"name": design.name, "kind": design.kind,
                       "description": design.description, "seed": design.seed})
    out: dict[str, Any] = {"design": meta}
    if isinstance(design, CompositeDesign):
        out.update(_composite_body(design))
    else:
        layers = []
        for layer in design.layers:
            entry: dict[str, Any] = {"thickness": _q(layer.thickness_m, "m")}
            if layer.composite is not None:
                sub = to_dict(layer.composite)
                sub.pop("evaluate", None)
                entry["composite"] = sub
            else:
                entry["material"] = layer.material
            layers.append(entry)
        out["layers"] = layers
        out["interfaces"] = [
            {"between": list(i.between), "asr": _q(i.asr_ohm_m2, "ohm*m^2"),
             "at": _q(i.T_ref_K, "K"), "activation_energy": _q(i.Ea_eV, "eV")}
            for i in design.interfaces
        ]
    el = _electrodes_dict(design.electrodes)
    if el is not None:
        out["electrodes"] = el
    out["evaluate"] = _evaluate_dict(design.evaluate)
    return out


def design_hash(design: Design) -> str:
    """SHA-256 (hex) of the normalised design, the key of its results in a sweep store.

    The name, description and source path do not enter the hash (renaming a design does not
    change what it computes); everything else, including the seed, does.

    Parameters
    ----------
    design
        A loaded design.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    def strip(obj: Any) -> Any:
        if isinstance(obj, dict):
            out = {k: strip(v) for k, v in obj.items()}
            meta = out.get("design")
            if isinstance(meta, dict):
                out["design"] = {k: v for k, v in meta.items()
                                 if k not in ("name", "description")}
            return out
        if isinstance(obj, list):
            return [strip(v) for v in obj]
        return obj

    text = json.dumps(strip(to_dict(design)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = [
    "CompositeDesign",
    "Design",
    "Electrodes",
    "EvaluateSettings",
    "Filler",
    "InlineLaw",
    "Interface",
    "InterfaceResistance",
    "Interphase",
    "Layer",
    "Matrix",
    "StackDesign",
    "VoxelSettings",
    "design_hash",
    "to_dict",
]
