"""Evaluate a design: materials + physics (+ microstructure + solver) -> :class:`Result`.

:func:`evaluate` is the one entry point. Composite designs go through the analytic path
(:mod:`hylyte.design.analytic`), the voxel path (:mod:`hylyte.design.voxel`) or both; stack
designs through the series model of PHYSICS 4.3 and 5 with composite layers estimated
analytically, plus a voxel solve through the thickness for ``method = "voxel"``/``"both"``
(``voxel_asr_ohm_cm2`` in each point). Warnings of the models are collected into
``Result.warnings`` (they are not re-emitted), so a caller sees them in the result, the JSON
and the report.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from hylyte import units
from hylyte.design import _materials, analytic
from hylyte.design import model as m
from hylyte.design import result as res
from hylyte.errors import DesignError

Progress = Callable[[str], None] | None

MONROE_NEWMAN_G_PA = 8.5e9  # 2 G_Li with G_Li = 4.25 GPa (PHYSICS 6) [Pa]
S_PER_M_TO_S_PER_CM = 0.01
OHM_M2_TO_OHM_CM2 = 1e4
CATHODE_ACTIVE_FRACTION = 0.75  # active mass fraction of the cathode composite (PHYSICS 7) [-]
CATHODE_DENSITY = 3300.0  # cathode composite density (PHYSICS 7) [kg/m^3]


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def _seed(design: m.Design, rng: Any) -> int:
    """The design's seed, else one from ``rng`` (int or Generator), else OS entropy."""
    if design.seed is not None:
        return int(design.seed)
    if isinstance(rng, int | np.integer):
        return int(rng)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63 - 1))
    return int(np.random.SeedSequence().entropy % (2**63 - 1))


class _Collector:
    """Materials, model functions and messages used while building one result."""

    def __init__(self) -> None:
        self.materials: dict[tuple[str, str], tuple[str, ...]] = {}
        self.models: dict[str, tuple[str, ...]] = {}
        self.messages: list[str] = []

    def material(self, name: str, role: str, mat: Any) -> None:
        self.materials[(name, role)] = _materials.references(mat)

    def model(self, *funcs: Any) -> None:
        for f in funcs:
            name = f"{f.__module__}.{f.__qualname__}"
            self.models[name] = tuple(getattr(f, "__references__", ()))

    def warn(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def provenance(self, design: m.Design, seed: int | None) -> res.Provenance:
        from hylyte import __version__
        from hylyte.design.model import design_hash

        keys: set[str] = set()
        for refs in (*self.materials.values(), *self.models.values()):
            keys.update(refs)
        try:
            from hylyte.materials.library import bibliography

            bib = bibliography()
        except Exception:  # the bibliography is informative; never fail a result on it
            bib = {}
        refs = []
        for k in sorted(keys):
            if k.startswith("doi:"):
                refs.append(res.Reference(key=k, doi=k[4:]))
            else:
                entry = bib.get(k)
                refs.append(res.Reference(key=k, doi=None if entry is None else entry.doi))
        return res.Provenance(
            hylyte_version=__version__, design_hash=design_hash(design), seed=seed,
            materials=tuple(res.MaterialUse(n, r, tuple(v))
                            for (n, r), v in self.materials.items()),
            models=tuple(self.models), references=tuple(refs), source=design.source)


def _record_warnings(caught: list[warnings.WarningMessage], col: _Collector) -> None:
    for w in caught:
        col.warn(str(w.message))


def _T_fields(T: float) -> dict[str, float]:
    return {"T_K": float(T), "T_degC": float(units.to_celsius(T))}


# --------------------------------------------------------------------------- window
def _family(name: str) -> str:
    base = name.split("-")[0].split(" ")[0]
    return base


def _chem_kind(mat: Any) -> str:
    from hylyte.physics.window import SULFIDES

    fam = _family(mat.name).replace("-", "").upper()
    kind = getattr(mat, "kind", "")
    if kind == "polymer":
        return "polymer"
    if fam in SULFIDES or (fam.startswith("LI") and "PS" in fam):
        return "sulfide"
    if fam in ("LATP", "LAGP"):
        return "phosphate"
    return "oxide"


def _cathode_family(name: str) -> str:
    up = name.upper()
    if up.startswith(("NCM", "NMC")):
        return "NMC"
    for fam in ("NCA", "LCO", "LMO", "LNMO", "LFP"):
        if up.startswith(fam):
            return fam
    return name


def _window(facing: dict[str, list[tuple[str, Any]]], el: m.Electrodes | None,
            col: _Collector) -> res.Window | None:
    """Check the materials facing each electrode (``{"anode": [(label, mat)], ...}``)."""
    from hylyte.physics.window import WindowLayer, stack_window

    if el is None or (el.anode is None and el.cathode is None):
        return None
    col.model(stack_window)
    anode_V = cathode_V = None
    anode_rng = (0.0, 0.0)
    if el.anode is not None:
        amat = _materials.get(el.anode)
        col.material(amat.name, "anode", amat)
        lo, hi, _ = _materials.electrode_potentials(amat)
        if lo is not None:
            anode_rng = (float(lo), float(hi))
        anode_V = anode_rng[0]
    if el.cathode is not None:
        cmat = _materials.get(el.cathode)
        col.material(cmat.name, "cathode", cmat)
        _, hi, _ = _materials.electrode_potentials(cmat)
        cathode_V = el.cutoff_voltage_V if el.cutoff_voltage_V is not None else hi
    checks: list[res.WindowCheck] = []
    lows, highs = [], []
    severity = {"ok": 0, "note": 1, "warning": 2, "error": 3}
    worst: tuple[int, str | None] = (-1, None)
    for side in ("anode", "cathode"):
        electrode = el.anode if side == "anode" else el.cathode
        pot = anode_V if side == "anode" else cathode_V
        if electrode is None:
            continue
        for label, mat in facing[side]:
            red, ox = _materials.window(mat)
            limit = red if side == "anode" else ox
            if limit is None or pot is None:
                what = "reduction" if side == "anode" else "oxidation"
                checks.append(res.WindowCheck(side, label, electrode, pot, limit, "unknown",
                                              f"{label}: no {what} limit in the library"))
                continue
            wl = WindowLayer(name=label, family=_family(mat.name), kind=_chem_kind(mat),
                             reduction_V=float(red if red is not None else -10.0),
                             oxidation_V=float(ox if ox is not None else 10.0),
                             behaviour_vs_li=getattr(mat.window, "behaviour_vs_li", "unknown"))
            out = stack_window([wl], anode_potential_V=anode_rng,
                               cathode_upper_V=float(cathode_V if cathode_V is not None else ox),
                               cathode_family=_cathode_family(el.cathode or "NMC"))
            v = next(v for v in out.verdicts if v.position == side)
            status = {"ok": "ok", "note": "kinetic"}.get(v.level, v.level)
            checks.append(res.WindowCheck(side, label, electrode, pot, float(limit), status,
                                          v.message))
            (lows if side == "anode" else highs).append((float(limit), label))
            if v.level in ("warning", "error"):
                col.warn(f"window, {side} side: {v.message}")
            rank = severity[v.level]
            if rank > worst[0]:
                worst = (rank, label)
    low = max(lows)[0] if lows else None
    high = min(highs)[0] if highs else None
    limiting = worst[1] if worst[0] >= 2 else (min(highs)[1] if highs else None)
    return res.Window(low_V=low, high_V=high, anode=el.anode, cathode=el.cathode,
                      anode_potential_V=anode_V, cathode_potential_V=cathode_V,
                      limiting_layer=limiting, checks=tuple(checks))


# --------------------------------------------------------------------------- composites
def _modulus(design: m.CompositeDesign, est: analytic.CompositeEstimate,
             col: _Collector) -> res.Modulus | None:
    """HS bounds and a Mori-Tanaka estimate of the moduli (single filler), PHYSICS 6."""
    from hylyte.physics import mechanics

    mat = _materials.matrix_material(design.matrix)
    mm = _materials.moduli(mat)
    if mm is None or len(design.fillers) != 1:
        return None
    f = design.fillers[0]
    fm = _materials.moduli(_materials.get(f.material))
    if fm is None:
        return None
    phi = f.fraction / (1.0 - design.porosity) if design.porosity else f.fraction
    hs = mechanics.hs_elastic_bounds([mm[0], fm[0]], [mm[1], fm[1]], [1.0 - phi, phi])
    col.model(mechanics.hs_elastic_bounds, mechanics.monroe_newman_check)
    G_est = None
    model_name = "HS bounds"
    if f.shape in ("sphere", "fibre", "sheet") and mm[1] <= fm[1]:
        _, G_est = mechanics.mori_tanaka(mm[0], mm[1], fm[0], fm[1], phi)
        G_est = float(G_est)
        col.model(mechanics.mori_tanaka)
        model_name = "Mori-Tanaka (particles in the matrix)"
    G_lo, G_hi = float(hs.G_lower), float(hs.G_upper)
    check = mechanics.monroe_newman_check(G_lo, G_hi)
    verdict = f"{check.verdict} (indicative)"
    if design.porosity > 0:
        col.warn("moduli ignore porosity")
    g = 1e-9
    return res.Modulus(
        shear_lower_GPa=G_lo * g, shear_upper_GPa=G_hi * g, bulk_lower_GPa=float(hs.K_lower) * g,
        bulk_upper_GPa=float(hs.K_upper) * g,
        shear_estimate_GPa=None if G_est is None else G_est * g,
        model=model_name, monroe_newman=verdict)


def _phases(design: m.CompositeDesign, est: analytic.CompositeEstimate) -> tuple[res.Phase, ...]:
    out = [res.Phase(design.matrix.name, "matrix", float(est.phi_polymer))]
    if est.phi_interphase > 0:
        out.append(res.Phase("interphase", "interphase", float(est.phi_interphase)))
    for f in design.fillers:
        out.append(res.Phase(f.material, "filler", float(f.fraction), f.shape,
                             None if f.size_m is None else f.size_m * 1e6))
    if design.porosity > 0:
        out.append(res.Phase("pores", "pore", float(design.porosity)))
    return tuple(out)


def _density(design: m.CompositeDesign) -> float | None:
    """Composite density [kg/m^3] (ideal volume additivity; pores and interphase as noted)."""
    mat = _materials.matrix_material(design.matrix)
    rho_m = design.matrix.density_kg_per_m3 or _materials.density(mat)
    if rho_m is None:
        return None
    total = (1.0 - design.porosity - design.filler_fraction) * rho_m
    for f in design.fillers:
        rho = _materials.density(_materials.get(f.material))
        if rho is None:
            return None
        total += f.fraction * rho
    return total


def composite_sigma(design: m.CompositeDesign, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Analytic through-plane conductivity [S/m] and t+ [-] of a composite at ``T`` [K]."""
    ps = analytic.phase_sigmas(design, T)
    est = analytic.estimate(design, ps)
    mat = _materials.matrix_material(design.matrix)
    rp = design.matrix.rho_plus if design.matrix.rho_plus is not None else \
        _materials.rho_plus(mat)
    return est.sigma_through, analytic.transference(design, ps, est, 1.0 if rp is None else rp)


def _evaluate_composite(design: m.CompositeDesign, method: str, progress: Progress,
                        seed: int) -> res.CompositeResult:
    col = _Collector()
    T = np.asarray(design.evaluate.temperatures_K, dtype=float)
    _say(progress, f"{design.name}: analytic estimate at {len(T)} temperature(s)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mat = _materials.matrix_material(design.matrix)
        col.material(design.matrix.name, "matrix", mat)
        for f in design.fillers:
            col.material(f.material, "filler", _materials.get(f.material))
        ps = analytic.phase_sigmas(design, T)
        est = analytic.estimate(design, ps)
        col.model(*est.models)
        if design.lewis_sites_mol_per_m2 is not None:
            from hylyte.physics.filler_effects import dissociation_enhancement

            col.model(dissociation_enhancement)
            col.warn(f"filler-induced dissociation: polymer conductivity x "
                     f"{analytic.dissociation_factor(design):.3f} (parameterised model)")
        rp = design.matrix.rho_plus if design.matrix.rho_plus is not None else \
            _materials.rho_plus(mat)
        if rp is None:
            col.warn(f"matrix {design.matrix.name!r} has no rho+ in the library; t+ assumes 1")
            rp = 1.0
        t_plus = analytic.transference(design, ps, est, rp)
        if any(f.interphase is not None and f.interphase.rho_plus is not None
               and f.interphase.rho_plus != rp for f in design.fillers):
            col.warn("interphase with its own rho+: the single-carrier argument of PHYSICS 4.2 "
                     "fails across polymer|interphase boundaries, so t+ is approximate")
        lo, hi, wl, wu = analytic.bounds(est, ps.polymer, design.porosity)
        from hylyte.physics import emt

        col.model(emt.hs_bounds, emt.wiener_bounds)
        for note in est.notes:
            col.warn(note)
        within = (est.sigma_through >= lo * (1 - 1e-9)) & (est.sigma_through <= hi * (1 + 1e-9))
        if est.isotropic and not np.all(within):
            col.warn("analytic estimate lies outside the Hashin-Shtrikman bounds at some "
                     "temperatures")
        modulus = _modulus(design, est, col)
        facing = [(design.matrix.name, mat)] + [(f.material, _materials.get(f.material))
                                                 for f in design.fillers]
        window = _window({"anode": facing, "cathode": facing}, design.electrodes, col)
        density = _density(design)
    _record_warnings(caught, col)
    filler_sigma = ps.filler[0] if ps.filler else np.zeros_like(T)
    points = []
    for k, TK in enumerate(T):
        points.append(dict(
            **_T_fields(TK),
            conductivity_S_per_cm=float(est.sigma_through[k]) * S_PER_M_TO_S_PER_CM,
            conductivity_in_plane_S_per_cm=float(est.sigma_in_plane[k]) * S_PER_M_TO_S_PER_CM,
            matrix_conductivity_S_per_cm=float(ps.polymer[k]) * S_PER_M_TO_S_PER_CM,
            filler_conductivity_S_per_cm=float(filler_sigma[k]) * S_PER_M_TO_S_PER_CM,
            hs_lower_S_per_cm=float(lo[k]) * S_PER_M_TO_S_PER_CM,
            hs_upper_S_per_cm=float(hi[k]) * S_PER_M_TO_S_PER_CM,
            wiener_lower_S_per_cm=float(wl[k]) * S_PER_M_TO_S_PER_CM,
            wiener_upper_S_per_cm=float(wu[k]) * S_PER_M_TO_S_PER_CM,
            within_hs=bool(within[k]), t_plus=float(t_plus[k]),
            fraction_polymer=float(est.f_polymer[k]),
            fraction_interphase=float(est.f_interphase[k]),
            fraction_ceramic=float(est.f_ceramic[k])))
    voxel_info = None
    artifacts: dict[str, Any] = {}
    if method in ("voxel", "both"):
        from hylyte.design import voxel

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            vres = voxel.solve_design(design, T, ps, rho_plus=rp, seed=seed, progress=progress)
        _record_warnings(caught, col)
        voxel_info = vres.info
        artifacts = vres.artifacts
        col.model(*vres.models)
        for note in vres.info.notes:
            col.warn(f"voxel: {note}")
        for k, p in enumerate(points):
            p.update(vres.point_fields[k])
            a, v = p["conductivity_S_per_cm"], p["voxel_conductivity_S_per_cm"]
            if v is not None and a > 0 and abs(v - a) / a > 0.5:
                col.warn(f"voxel and analytic conductivity differ by {100 * (v - a) / a:+.0f} % "
                         f"at {p['T_degC']:.0f} degC; the analytic model is approximate for "
                         "this geometry")
    result = res.CompositeResult(
        name=design.name, method=method, model=est.model,
        points=tuple(res.CompositePoint(**p) for p in points), phases=_phases(design, est),
        density_g_per_cm3=None if density is None else density * 1e-3,
        provenance=col.provenance(design, seed), modulus=modulus, window=window,
        voxel=voxel_info, warnings=tuple(col.messages))
    if artifacts:
        object.__setattr__(result, "_artifacts", artifacts)
    return result


# --------------------------------------------------------------------------- stacks
def _stack_layers(design: m.StackDesign, col: _Collector) -> tuple[list[Any], list[Any],
                                                                    list[res.StackLayer]]:
    """physics.stack Layer objects, the materials facing each side, and report rows."""
    from hylyte.physics.stack import Layer

    layers, infos, mats = [], [], []
    for i, layer in enumerate(design.layers):
        label = f"{i + 1}: {layer.label}"
        if layer.composite is None:
            mat = _materials.get(layer.material)
            col.material(mat.name, f"layer {i + 1}", mat)
            rp = _materials.rho_plus(mat)
            if rp is None:
                col.warn(f"layer {label}: no rho+ in the library; taken as 1")
                rp = 1.0
            D, c0 = _materials.diffusion(mat)

            def sig(T, _mat=mat):
                return _materials.sigma(_mat, np.asarray(T, float))

            rho = _materials.density(mat)
            mats.append([(layer.label, mat)])
        else:
            comp = layer.composite
            pmat = _materials.matrix_material(comp.matrix)
            col.material(comp.matrix.name, f"layer {i + 1} matrix", pmat)
            for f in comp.fillers:
                col.material(f.material, f"layer {i + 1} filler", _materials.get(f.material))
            col.model(*analytic.estimate(comp, analytic.phase_sigmas(
                comp, np.array([298.15]))).models)
            # rho+ of a composite layer: its t+ at 60 degC (weakly T dependent), see notes
            _, tp = composite_sigma(comp, np.array([333.15]))
            rp = float(tp[0])
            D, c0 = _materials.diffusion(pmat)

            def sig(T, _c=comp):
                return composite_sigma(_c, np.atleast_1d(np.asarray(T, float)))[0].reshape(
                    np.shape(T))

            rho = _density(comp)
            mats.append([(f"{layer.label} ({comp.matrix.name})", pmat)]
                        + [(f"{layer.label} ({f.material})", _materials.get(f.material))
                           for f in comp.fillers])
            col.warn(f"layer {label}: composite layer uses its analytic t+ at 60 degC "
                     f"({rp:.3f}) and the polymer salt diffusivity for the limiting current")
        layers.append(Layer(name=label, thickness=layer.thickness_m, sigma=sig,
                            rho_plus=min(rp, 1.0), D_salt=D if rp < 1 else None,
                            c0=c0 if rp < 1 else None))
        infos.append(res.StackLayer(index=i + 1, name=layer.label,
                                    thickness_um=layer.thickness_m * 1e6, rho_plus=rp,
                                    density_g_per_cm3=None if rho is None else rho * 1e-3,
                                    composite=layer.composite is not None))
    return layers, mats, infos


def _interfaces(design: m.StackDesign) -> list[Any]:
    from hylyte.physics.stack import Interface

    out = []
    n = len(design.layers)
    for itf in design.interfaces:
        a, b = itf.between
        out.append(Interface(name=f"{a}|{b}", asr_ref=itf.asr_ohm_m2, Ea=itf.Ea_eV,
                             T_ref=itf.T_ref_K))
    el = design.electrodes
    if el is not None and el.anode_asr_ohm_m2 is not None and not any(
            "anode" in i.name for i in out):
        out.append(Interface(name="anode|1", asr_ref=el.anode_asr_ohm_m2))
    if el is not None and el.cathode_asr_ohm_m2 is not None and not any(
            "cathode" in i.name for i in out):
        out.append(Interface(name=f"{n}|cathode", asr_ref=el.cathode_asr_ohm_m2))
    return out


def _cell(design: m.StackDesign, infos: list[res.StackLayer], col: _Collector
          ) -> tuple[res.CellMetrics | None, float | None]:
    """Cell metrics (PHYSICS 7) and the current density at the C-rate [A/m^2]."""
    from hylyte.physics import cell as phys_cell

    el = design.electrodes
    ev = design.evaluate
    if el is None or el.cathode_capacity_C_per_m2 is None:
        return None, ev.current_density_A_per_m2
    i = ev.current_density_A_per_m2
    if i is None:
        i = ev.c_rate * el.cathode_capacity_C_per_m2 / 3600.0
    if el.cathode is None:
        return None, i
    cmat = _materials.get(el.cathode)
    _, _, mean = _materials.electrode_potentials(cmat)
    V = el.cathode_voltage_V if el.cathode_voltage_V is not None else mean
    q = _materials.specific_capacity(cmat)
    if any(la.density_g_per_cm3 is None for la in infos) or V is None or q is None:
        col.warn("cell metrics need layer densities and the cathode voltage and capacity")
        return None, i
    L = [la.thickness_um * 1e-6 for la in infos]
    rho = [la.density_g_per_cm3 * 1e3 for la in infos]
    m_se = float(phys_cell.electrolyte_areal_mass(L, rho))
    out = phys_cell.cell_energy(
        areal_capacity=el.cathode_capacity_C_per_m2, mean_voltage=V, specific_capacity_am=q,
        active_fraction=CATHODE_ACTIVE_FRACTION, cathode_density=CATHODE_DENSITY,
        electrolyte_thickness=sum(L), electrolyte_density=m_se / sum(L), n_to_p=el.n_p)
    col.model(phys_cell.cell_energy, phys_cell.electrolyte_areal_mass)
    col.warn(f"cell metrics: single-sided unit cell without packaging; cathode composite with "
             f"{CATHODE_ACTIVE_FRACTION:.2f} active mass fraction and "
             f"{CATHODE_DENSITY / 1000:.2g} g/cm^3, Al 12 um and Cu 8 um collectors, "
             f"N/P = {el.n_p:g}")
    return res.CellMetrics(
        specific_energy_Wh_per_kg=float(out.specific_energy_Wh_per_kg),
        energy_density_Wh_per_L=float(out.energy_density_Wh_per_L),
        electrolyte_thickness_um=sum(la.thickness_um for la in infos),
        electrolyte_areal_mass_mg_per_cm2=m_se * 100.0,
        cathode_capacity_mAh_per_cm2=el.cathode_capacity_C_per_m2 / 36000.0,
        cathode_voltage_V=float(V), c_rate=ev.c_rate), i


def _evaluate_stack(design: m.StackDesign, method: str, progress: Progress,
                    seed: int) -> res.StackResult:
    from hylyte.physics import stack as phys
    from hylyte.physics.transference import stack_t_plus

    col = _Collector()
    T = np.asarray(design.evaluate.temperatures_K, dtype=float)
    _say(progress, f"{design.name}: stack of {len(design.layers)} layer(s) at {len(T)} "
                   "temperature(s)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layers, mats, infos = _stack_layers(design, col)
        interfaces = _interfaces(design)
        col.model(phys.stack_asr, stack_t_plus, phys.limiting_current, phys.sand_time)
        asr = phys.stack_asr(layers, interfaces, T=T)
        binary = [la for la in layers if la.rho_plus < 1.0]
        usable = [la for la in binary if la.D_salt is not None and la.c0 is not None]
        if len(usable) < len(binary):
            col.warn("limiting current: some binary-salt layers have no salt diffusivity or "
                     "concentration in the library and are left out")
        i_lim, lim_layer = phys.stack_limiting_current(usable) if usable else (np.inf, None)
        cell, i = _cell(design, infos, col)
        target = None
        if design.evaluate.target_asr_ohm_m2 is not None:
            col.model(phys.temperature_for_asr)
            Tstar = phys.temperature_for_asr(layers, interfaces,
                                             asr_target=design.evaluate.target_asr_ohm_m2,
                                             T_min=200.0, T_max=450.0)
            target = res.TargetASR(
                asr_ohm_cm2=design.evaluate.target_asr_ohm_m2 * OHM_M2_TO_OHM_CM2,
                T_K=None if Tstar is None else float(Tstar),
                T_degC=None if Tstar is None else float(units.to_celsius(Tstar)))
        window = _window({"anode": mats[0], "cathode": mats[-1]}, design.electrodes, col)
        lim = next((la for la in layers if la.name == lim_layer), None)
        points = []
        for k, TK in enumerate(T):
            lay_asr = [float(np.asarray(asr.layers[la.name])[k]) for la in layers]
            itf_asr = [float(np.asarray(asr.interfaces[x.name])[k]) for x in interfaces]
            sig = [float(la.conductivity(np.array([TK]))[0]) for la in layers]
            st = stack_t_plus([la.thickness for la in layers], sig,
                              [la.rho_plus for la in layers], interface_asr=itf_asr)
            total = float(np.asarray(asr.total)[k])
            sand = None
            if i is not None and lim is not None and np.isfinite(i_lim) and i > i_lim:
                sand = float(phys.sand_time(i, lim.D_salt, lim.c0, lim.rho_plus))
            points.append(res.StackPoint(
                **_T_fields(TK), asr_ohm_cm2=total * OHM_M2_TO_OHM_CM2,
                asr_bulk_ohm_cm2=sum(lay_asr) * OHM_M2_TO_OHM_CM2,
                asr_interfaces_ohm_cm2=sum(itf_asr) * OHM_M2_TO_OHM_CM2,
                layer_asr_ohm_cm2=tuple(a * OHM_M2_TO_OHM_CM2 for a in lay_asr),
                interface_asr_ohm_cm2=tuple(a * OHM_M2_TO_OHM_CM2 for a in itf_asr),
                layer_conductivity_S_per_cm=tuple(s * S_PER_M_TO_S_PER_CM for s in sig),
                t_plus=float(st.t_plus), retention_ratio=float(st.retention_ratio),
                limiting_current_mA_per_cm2=(float(i_lim) * 0.1 if np.isfinite(i_lim)
                                             else None),
                limiting_layer=lim_layer if np.isfinite(i_lim) else None,
                current_density_mA_per_cm2=None if i is None else i * 0.1,
                sand_time_s=sand,
                ohmic_drop_mV=None if i is None else i * total * 1e3))
            if i is not None and np.isfinite(i_lim) and i > i_lim:
                col.warn(f"at {units.to_celsius(TK):.0f} degC the current density "
                         f"{i * 0.1:.3g} mA/cm^2 exceeds the limiting current "
                         f"{i_lim * 0.1:.3g} mA/cm^2 of layer {lim_layer}")
    _record_warnings(caught, col)
    voxel_info = None
    artifacts: dict[str, Any] = {}
    if method in ("voxel", "both"):
        points, voxel_info, artifacts = _stack_voxel(design, T, layers, interfaces, asr, points,
                                                     progress, seed, col)
    result = res.StackResult(
        name=design.name, method=method, layers=tuple(infos),  # type: ignore[arg-type]
        interfaces=tuple(x.name for x in interfaces), points=tuple(points),
        provenance=col.provenance(design, seed), window=window, cell=cell, target=target,
        warnings=tuple(col.messages), voxel=voxel_info)
    if artifacts:
        object.__setattr__(result, "_artifacts", artifacts)
    return result


def _stack_voxel(design: m.StackDesign, T: np.ndarray, layers: list[Any], interfaces: list[Any],
                 asr: Any, points: list[res.StackPoint], progress: Progress, seed: int,
                 col: _Collector) -> tuple[list[res.StackPoint], res.VoxelInfo, dict[str, Any]]:
    """Voxel solve of a stack through its thickness; points gain ``voxel_asr_ohm_cm2``."""
    from dataclasses import replace

    from hylyte.design import voxel

    sig = [np.asarray(la.conductivity(T), dtype=float) for la in layers]
    # design interfaces first (same order as _interfaces), then the electrode ASRs added there
    pairs: list[tuple[tuple[Any, Any], np.ndarray]] = []
    for k, x in enumerate(interfaces):
        between = design.interfaces[k].between if k < len(design.interfaces) else \
            tuple(x.name.split("|"))
        pairs.append((between, np.asarray(asr.interfaces[x.name], dtype=float)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = voxel.solve_stack(design, T, sig, pairs, seed=seed, progress=progress)
    _record_warnings(caught, col)
    col.model(*out.models)
    for note in out.info.notes:
        col.warn(f"voxel: {note}")
    new = []
    for k, p in enumerate(points):
        v = float(out.asr_ohm_m2[k]) * OHM_M2_TO_OHM_CM2
        a = p.asr_ohm_cm2
        if np.isfinite(v) and a > 0 and abs(v - a) / a > 0.1:
            col.warn(f"voxel and analytic stack ASR differ by {100 * (v - a) / a:+.0f} % at "
                     f"{p.T_degC:.0f} degC (composite layers: the analytic estimate is "
                     "approximate for their geometry)")
        new.append(replace(p, voxel_asr_ohm_cm2=v if np.isfinite(v) else None))
    return new, out.info, out.artifacts


def evaluate(design: m.Design, *, method: str | None = None, progress: Progress = None,
             rng: Any = None) -> res.Result:
    """Evaluate a design at its temperatures.

    Parameters
    ----------
    design
        A design from :func:`~hylyte.design.load_design` or :func:`design_from_dict`.
    method : {"analytic", "voxel", "both"}, optional
        Overrides the design's ``[evaluate] method``.
    progress : callable, optional
        Called with one human-readable line per step (the CLI prints them on stderr).
    rng : int or numpy.random.Generator, optional
        Source of the seed when the design has none (otherwise OS entropy); the seed used
        is recorded in ``result.provenance.seed``.

    Returns
    -------
    CompositeResult or StackResult

    Raises
    ------
    DesignError
        Unknown method.
    HylyteError
        From the layers below (materials, physics, solver), with their messages.
    """
    method = method or design.evaluate.method
    if method not in ("analytic", "voxel", "both"):
        raise DesignError(f"method: got {method!r}; allowed: 'analytic', 'voxel', 'both'")
    seed = _seed(design, rng)
    if isinstance(design, m.CompositeDesign):
        return _evaluate_composite(design, method, progress, seed)
    if isinstance(design, m.StackDesign):
        return _evaluate_stack(design, method, progress, seed)
    raise DesignError(f"not a design: {type(design).__name__}")


__all__ = ["composite_sigma", "evaluate"]
