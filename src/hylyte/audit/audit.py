"""Audit reported results against physics: is a published number possible as described?

For each reported value (:class:`~hylyte.audit.records.Record`) the audit computes, at the
reported temperature, what the described structure allows when every component property is
moved over its literature range in the materials library (not only the defaults):

* composite conductivity: the design's own analytic model (PHYSICS 3) at the most
  pessimistic and the most optimistic corner of the component ranges (the consistent band);
  the rigorous bound is Hashin-Shtrikman (isotropic structures, PHYSICS 3.2) or Wiener
  (anything, PHYSICS 3.1) over the bulk phases at their upper range, with the polymer at its
  amorphous branch when it is semicrystalline (suppressed crystallinity is a mechanism, not
  an impossibility);
* composite t+: the composite t+ of PHYSICS 4.2 over the ranges; 0 <= t+ <= 1 is the bound;
* stack ASR and conductivity: the series limit (PHYSICS 5.1), ASR >= sum L_i/sigma_i,max;
* stack t+: the R-weighted bound of PHYSICS 4.3 with the most favourable rho+ and
  conductivities (corners of the ranges);
* window: the rule of PHYSICS 5.3 against what the electrode-facing phase allows.

Mechanisms are sized by 1-D root solves on the analytic model through
:mod:`hylyte.echem.calibrate` (:func:`~hylyte.echem.calibrate.solve_parameter`).
"""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hylyte import units
from hylyte.audit import verdicts as vd
from hylyte.audit.records import Record, load_design_with_reported, read_records
from hylyte.errors import HylyteError

UNDOCUMENTED_FACTOR = 3.0  # spread assumed where the library documents no range [-]
S_PER_M_TO_S_PER_CM = 0.01
OHM_M2_TO_OHM_CM2 = 1e4
K_B_EV = 8.617333262e-5  # Boltzmann constant [eV/K] (CODATA 2018)


# --------------------------------------------------------------------------- component ranges
@dataclass(frozen=True)
class SigmaRange:
    """Conductivity of one component at one temperature over its documented range.

    Attributes
    ----------
    name : str
        Material name.
    low, default, high : float
        Lowest, default and highest conductivity [S/m].
    amorphous : float or None
        Amorphous-branch conductivity of a semicrystalline polymer [S/m] (the ceiling of a
        matrix modification that suppresses crystallinity), else None.
    documented : bool
        Whether the spread comes from library ranges (False: the assumed factor).
    note : str
        How the range was obtained.
    """

    name: str
    low: float
    default: float
    high: float
    amorphous: float | None = None
    documented: bool = True
    note: str = ""

    def describe(self, T: float) -> str:
        """One assumption line."""
        c = S_PER_M_TO_S_PER_CM
        if self.high == 0:
            return f"{self.name}: passive (sigma = 0)"
        txt = (f"{self.name}: sigma {self.low * c:.3g} .. {self.high * c:.3g} S/cm at "
               f"{units.to_celsius(T):.1f} degC (default {self.default * c:.3g}; {self.note})")
        if self.amorphous is not None:
            txt += f"; amorphous branch {self.amorphous * c:.3g} S/cm"
        return txt


def _set_path(obj: Any, path: list[str], value: float) -> Any:
    if len(path) == 1:
        return dataclasses.replace(obj, **{path[0]: value})
    child = getattr(obj, path[0])
    return dataclasses.replace(obj, **{path[0]: _set_path(child, path[1:], value)})


def _law_sigma(law: Any, T: float) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(np.asarray(law.sigma(np.array([T])), float)[0])


def material_sigma_range(mat: Any, T: float, *,
                         undocumented_factor: float = UNDOCUMENTED_FACTOR) -> SigmaRange:
    """Conductivity range of a library material at ``T`` from its documented ranges.

    Every conductivity-law parameter with a ``range`` in the library (``sigma_ref``,
    ``Ea``, ``T_m``, ...) is set to each end, all combinations are evaluated (the laws are
    monotone in each parameter, so the corners hold the extremes) and the lowest and
    highest values are kept. Where no range governs at ``T`` (no range stored, or none of
    the ranged parameters matters at ``T``), the default is spread by
    ``undocumented_factor`` both ways and the note says so.

    Parameters
    ----------
    mat : Material
        A library material (``hylyte.materials.get_material``).
    T : float
        Temperature [K].
    undocumented_factor : float, optional
        Spread assumed without a documented range [-].

    Returns
    -------
    SigmaRange
    """
    name = getattr(mat, "name", "?")
    law = getattr(mat, "law", None)
    if law is None:
        return SigmaRange(name, 0.0, 0.0, 0.0, note="no conductivity law (passive)")
    default = _law_sigma(law, T)
    amorphous = None
    if getattr(law, "kind", "") == "semicrystalline_peo":
        try:
            amorphous = _law_sigma(law.high, T)
        except HylyteError:
            amorphous = None
    if default == 0.0:
        return SigmaRange(name, 0.0, 0.0, 0.0, note="passive filler (sigma = 0)")
    props = getattr(mat, "properties", {}) or {}
    ranged = [(k.split(".")[1:], p.range) for k, p in props.items()
              if k.startswith("conductivity.") and p.range is not None]
    values = [default]
    for corner in itertools.product(*[(r[0], r[1]) for _, r in ranged]):
        new = law
        try:
            for (path, _), v in zip(ranged, corner, strict=True):
                new = _set_path(new, path, v)
            values.append(_law_sigma(new, T))
        except (HylyteError, TypeError, ValueError):
            continue
    lo, hi = min(values), max(values)
    if ranged and hi / lo > 1.0 + 1e-3:
        keys = ", ".join(".".join(p) for p, _ in ranged)
        return SigmaRange(name, lo, default, hi, amorphous, True,
                          f"library ranges of {keys}")
    f = float(undocumented_factor)
    why = "no documented range" if not ranged else "no documented range governs at this T"
    return SigmaRange(name, default / f, default, default * f, amorphous, False,
                      f"{why}: default x/÷ {f:g} assumed")


def rho_plus_range(mat: Any, override: float | None = None) -> tuple[float, float, str]:
    """(low, high, note) of the Bruce-Vincent fraction rho+ of a material [-]."""
    if override is not None:
        return override, override, "rho+ as stated in the design"
    rng = getattr(mat, "rho_plus_range", None)
    if rng is not None:
        return float(rng[0]), float(rng[1]), "library range of rho+"
    v = getattr(mat, "rho_plus", None)
    if v is None:
        v = 1.0 if getattr(mat, "kind", "") in ("ceramic", "filler") else None
    if v is None:
        return 1e-3, 1.0, "no rho+ in the library: (0, 1] assumed"
    return float(v), float(v), "library value of rho+ (no range)"


# --------------------------------------------------------------------------- composites
@dataclass(frozen=True)
class CompositeBand:
    """What a composite design allows at one temperature (see :func:`composite_band`).

    All conductivities in [S/m].
    """

    T_K: float
    low: float
    high: float
    default: float
    bound: float
    bound_default: float
    hs_upper: float
    wiener_upper: float
    isotropic: bool
    model: str
    polymer: SigmaRange
    fillers: tuple[SigmaRange, ...]
    polymer_factors: tuple[float, float]
    filler_factors: tuple[tuple[float, ...], tuple[float, ...]]
    assumptions: tuple[str, ...]
    messages: tuple[str, ...]


def _matrix_range(design: Any, T: float, default_sp: float, factor: float
                  ) -> SigmaRange:
    if design.matrix.material is not None:
        from hylyte.materials import get_material

        return material_sigma_range(get_material(design.matrix.material), T,
                                    undocumented_factor=factor)
    return SigmaRange(design.matrix.name, default_sp / factor, default_sp, default_sp * factor,
                      None, False, f"inline law of the design: x/÷ {factor:g} assumed")


def composite_band(design: Any, T: float, *,
                   undocumented_factor: float = UNDOCUMENTED_FACTOR) -> CompositeBand:
    """Consistent band and rigorous upper bound of a composite's conductivity at ``T``.

    Parameters
    ----------
    design : CompositeDesign
        The described structure.
    T : float
        Temperature [K].
    undocumented_factor : float, optional
        Spread assumed for components without a documented range [-].

    Returns
    -------
    CompositeBand
        ``low``/``high``: the design's analytic model with all components at the low/high
        end of their ranges; ``bound``: HS+ (isotropic) or Wiener+ (otherwise) over the
        bulk phases at the high end (polymer at its amorphous branch if semicrystalline),
        with the stated interphase and porosity.
    """
    from hylyte.echem.calibrate import ModelState, forward_estimate
    from hylyte.materials import get_material
    from hylyte.physics import emt

    state = ModelState(design)
    msgs: list[str] = []
    ps0, est0 = forward_estimate(state, [T], messages=msgs)
    sf = design.sigma_factor
    sp_def = float(ps0.polymer[0]) / sf
    pr = _matrix_range(design, T, sp_def, undocumented_factor)
    frs = tuple(material_sigma_range(get_material(f.material), T,
                                     undocumented_factor=undocumented_factor)
                for f in design.fillers)
    pf = (pr.low / pr.default, pr.high / pr.default)
    ff_lo = tuple(r.low / r.default if r.default > 0 else 1.0 for r in frs)
    ff_hi = tuple(r.high / r.default if r.default > 0 else 1.0 for r in frs)
    _, est_lo = forward_estimate(state, [T], polymer_factor=pf[0], filler_factors=ff_lo,
                                 messages=msgs)
    ps_hi, est_hi = forward_estimate(state, [T], polymer_factor=pf[1], filler_factors=ff_hi,
                                     messages=msgs)
    lo = float(est_lo.sigma_through[0])
    hi = float(est_hi.sigma_through[0])
    lo, hi = min(lo, hi), max(lo, hi)
    sp_ceiling = max(pr.high, pr.amorphous or 0.0) * sf
    S = [sp_ceiling]
    phi_f = [f.fraction for f in design.fillers]
    phi_i = float(est_hi.phi_interphase)
    F = []
    if phi_i > 0:
        si = [x for x in ps_hi.interphase if x is not None]
        ratio_based = any(f.interphase is not None and f.interphase.sigma_S_per_m is None
                          for f in design.fillers)
        s_int = float(si[0][0]) if si else sp_ceiling
        if ratio_based:
            s_int *= sp_ceiling / (pr.high * sf)
        S.append(s_int)
        F.append(phi_i)
    S.extend(r.high for r in frs)
    F.extend(phi_f)
    if design.porosity > 0:
        S.append(0.0)
        F.append(design.porosity)
    F.insert(0, max(1.0 - sum(F), 0.0))
    keep = [i for i, x in enumerate(F) if x > 0]
    F = [F[i] for i in keep]
    def upper(S: list[float]) -> tuple[float, float]:
        S_ = [S[i] for i in keep]
        if len(S_) == 1:
            return S_[0], S_[0]
        return float(emt.hs_bounds(S_, F)[1]), float(emt.wiener_bounds(S_, F)[1])

    hs_hi, wi_hi = upper(S)
    iso = bool(est_hi.isotropic)
    bound = max(hs_hi if iso else wi_hi, hi)
    # the same bound with every component at its default (the defaults-only verdict)
    S_def = [pr.default * sf] + ([S[1]] if phi_i > 0 else []) + [r.default for r in frs] + (
        [0.0] if design.porosity > 0 else [])
    hs_d, wi_d = upper(S_def)
    default = float(est0.sigma_through[0])
    bound_default = max(hs_d if iso else wi_d, default)
    Tc = units.to_celsius(T)
    assumptions = [
        f"structure as described: {est_hi.model}, "
        f"{'isotropic (Hashin-Shtrikman applies)' if iso else 'anisotropic (Wiener applies)'}",
        f"T = {Tc:.1f} degC",
        pr.describe(T), *(r.describe(T) for r in frs),
        "bulk properties only: interphase, interface resistance and matrix modification only "
        "as far as the design states them",
    ]
    if sf != 1.0:
        assumptions.append(f"stated matrix modification factor {sf:g}")
    if design.porosity > 0:
        assumptions.append(f"stated porosity {100 * design.porosity:.3g} vol% (insulating)")
    return CompositeBand(
        T_K=T, low=lo, high=hi, default=default, bound=bound, bound_default=bound_default,
        hs_upper=hs_hi, wiener_upper=wi_hi, isotropic=iso, model=est_hi.model,
        polymer=pr, fillers=frs, polymer_factors=pf, filler_factors=(ff_lo, ff_hi),
        assumptions=tuple(assumptions), messages=tuple(msgs))


def _mechanisms_high(design: Any, band: CompositeBand, value: float) -> dict[str, Any]:
    """Sizes of the mechanisms that raise a composite to ``value`` (most favourable ends)."""
    from hylyte.echem.calibrate import (
        DEFAULT_INTERPHASE_THICKNESS_M,
        ModelState,
        get_parameter,
        set_parameter,
        solve_parameter,
    )

    state = ModelState(design)
    T = band.T_K
    out: dict[str, Any] = {}
    kw = {"polymer_factor": band.polymer_factors[1], "filler_factors": band.filler_factors[1]}
    k = solve_parameter(state, "matrix.conductivity_factor", value, T, lower=1e-6, upper=1e8,
                        **kw)
    if k is not None:
        out["polymer_conductivity_factor_needed"] = k / design.sigma_factor
        if band.polymer.amorphous is not None and band.polymer.high > 0:
            out["amorphous_over_range_high"] = band.polymer.amorphous / band.polymer.high
    if design.fillers and design.fillers[0].shape not in ("lamellar", "network"):
        t = get_parameter(state, "interphase.thickness")
        st = state
        if not (math.isfinite(t) and t > 0):
            t = DEFAULT_INTERPHASE_THICKNESS_M
            st = set_parameter(state, "interphase.thickness", t)
        try:
            sig = solve_parameter(st, "interphase.sheet_conductance", value, T, lower=1e-22,
                                  upper=1e-2, **kw)
        except HylyteError:
            sig = None
        if sig is not None:
            sp_hi = band.polymer.high * design.sigma_factor
            out["interphase_sheet_conductance_S"] = sig
            out["interphase_thickness_m"] = t
            out["interphase_conductivity_S_per_cm"] = sig / t * S_PER_M_TO_S_PER_CM
            out["interphase_over_polymer_high"] = (sig / t) / sp_hi if sp_hi > 0 else math.inf
    return out


def _mechanisms_low(design: Any, band: CompositeBand, value: float) -> dict[str, Any]:
    """Sizes of the mechanisms that lower a composite to ``value`` (least favourable ends)."""
    from hylyte.echem.calibrate import ModelState, solve_parameter

    state = ModelState(design)
    kw = {"polymer_factor": band.polymer_factors[0], "filler_factors": band.filler_factors[0]}
    out: dict[str, Any] = {}
    if any(r.high > 0 for r in band.fillers) and design.fillers[0].shape != "network":
        R = solve_parameter(state, "interface.asr", value, band.T_K, lower=1e-14, upper=1e4,
                            **kw)
        if R is not None:
            out["interface_asr_ohm_cm2"] = R * OHM_M2_TO_OHM_CM2
    k = solve_parameter(state, "matrix.conductivity_factor", value, band.T_K, lower=1e-10,
                        upper=1.0, **kw)
    if k is not None:
        out["polymer_conductivity_factor_needed"] = k / design.sigma_factor
    return out


def _cm(x: float) -> float:
    return x * S_PER_M_TO_S_PER_CM


def _base(rec: Record, **kw: Any) -> dict[str, Any]:
    return {"record_id": rec.id, "quantity": rec.quantity, "reported": rec.reported,
            "value_SI": rec.value, "T_K": rec.T_K, "citation": rec.citation,
            "design": rec.design_name, **kw}


def _defaults_note(verdict: str, value: float, band: CompositeBand) -> str:
    """Say when the defaults alone would have condemned a value the ranges admit."""
    if verdict == "implausible":
        return ""
    d_verdict, _ = vd.classify_band(value, band.default, band.default, band.bound_default)
    if d_verdict == "implausible":
        return (f" With every component at its default the estimate is "
                f"{_cm(band.default):.3g} S/cm and the bound {_cm(band.bound_default):.3g} "
                "S/cm, so defaults alone would condemn the value; the library ranges admit "
                "it, so it is not called implausible.")
    return ""


def _audit_composite_sigma(rec: Record, design: Any, factor: float) -> vd.Verdict:
    T = rec.T_K
    band = composite_band(design, T, undocumented_factor=factor)
    v = rec.value
    verdict, fac = vd.classify_band(v, band.low, band.high, band.bound)
    numbers = {"estimate_low_S_per_cm": _cm(band.low), "estimate_high_S_per_cm": _cm(band.high),
               "estimate_default_S_per_cm": _cm(band.default),
               "bound_with_defaults_S_per_cm": _cm(band.bound_default),
               "hs_upper_S_per_cm": _cm(band.hs_upper),
               "wiener_upper_S_per_cm": _cm(band.wiener_upper)}
    bound_name = "Hashin-Shtrikman upper" if band.isotropic else "Wiener (parallel)"
    mech: dict[str, Any] = {}
    causes: tuple[str, ...] = ()
    if v > band.high:
        mech = _mechanisms_high(design, band, v)
    elif v < band.low:
        mech = _mechanisms_low(design, band, v)
    rv = f"{_cm(v):.3g} S/cm"
    if verdict == "implausible":
        causes = vd.LIKELY_CAUSES_HIGH_SIGMA
        wiener = v > band.wiener_upper * (1 + vd.REL_TOL)
        bname = "Wiener (parallel) bound, which no microstructure can exceed" if wiener else \
            f"{bound_name} bound of the stated structure"
        ref = band.wiener_upper if wiener else band.bound
        fac = v / ref
        text = (f"{rv} exceeds the {bname} ({_cm(ref):.3g} S/cm, components at the top of "
                f"their ranges) by a factor {fac:.3g}.")
        if "interphase_sheet_conductance_S" in mech:
            text += (f" Reproducing it would need an interphase of sheet conductance "
                     f"{mech['interphase_sheet_conductance_S']:.3g} S "
                     f"({mech['interphase_over_polymer_high']:.3g} x the polymer at "
                     f"{mech['interphase_thickness_m'] * 1e9:.3g} nm), which the design does "
                     "not state.")
        bound_used = "wiener" if wiener else ("hashin-shtrikman" if band.isotropic else "wiener")
    elif verdict == "requires a mechanism" and v > band.high:
        parts = []
        if "interphase_sheet_conductance_S" in mech:
            parts.append(f"an interphase of sheet conductance "
                         f"{mech['interphase_sheet_conductance_S']:.3g} S (sigma_i = "
                         f"{mech['interphase_conductivity_S_per_cm']:.3g} S/cm at "
                         f"{mech['interphase_thickness_m'] * 1e9:.3g} nm)")
        if "polymer_conductivity_factor_needed" in mech:
            k = mech["polymer_conductivity_factor_needed"]
            parts.append(f"a matrix conductivity raised {k:.3g}x above the top of its range "
                         "(e.g. suppressed crystallinity)")
        text = (f"{rv} is above the most optimistic estimate of the described structure "
                f"({_cm(band.high):.3g} S/cm) by a factor {fac:.3g} but below the "
                f"{bound_name} bound ({_cm(band.bound):.3g} S/cm); it needs "
                + (" or ".join(parts) if parts else "a mechanism the design does not state")
                + ", or percolation/alignment the design does not describe.")
        bound_used = "estimate-high"
    elif verdict == "requires a mechanism":
        parts = []
        if "interface_asr_ohm_cm2" in mech:
            parts.append(f"a filler|polymer interface ASR of "
                         f"{mech['interface_asr_ohm_cm2']:.3g} ohm cm^2")
        if "polymer_conductivity_factor_needed" in mech:
            parts.append(f"a matrix {1 / mech['polymer_conductivity_factor_needed']:.3g}x less "
                         "conductive than the bottom of its range (crystallinity, salt content)")
        text = (f"{rv} is below the most pessimistic estimate ({_cm(band.low):.3g} S/cm) by a "
                f"factor {1 / fac:.3g}; it needs " + (" or ".join(parts) if parts else
                                                     "a blocking mechanism")
                + ", or porosity/poor contact the design does not state.")
        bound_used = "estimate-low"
    else:
        text = (f"{rv} lies between the most pessimistic ({_cm(band.low):.3g}) and most "
                f"optimistic ({_cm(band.high):.3g} S/cm) estimates of the described structure."
                )
        bound_used = "estimate band"
    text += _defaults_note(verdict, v, band)
    return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                      mechanisms=mech, assumptions=band.assumptions + band.messages,
                      likely_causes=causes, factor=fac, bound=bound_used)


def _composite_t_range(design: Any, T: float, rp: float, pf: float, ff: Sequence[float]
                       ) -> float:
    from hylyte.design import analytic
    from hylyte.echem.calibrate import ModelState, forward_estimate

    ps, est = forward_estimate(ModelState(design), [T], polymer_factor=pf, filler_factors=ff)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(np.asarray(analytic.transference(design, ps, est, rp))[0])


def _matrix_material(design: Any) -> Any:
    if design.matrix.material is None:
        return None
    from hylyte.materials import get_material

    return get_material(design.matrix.material)


def composite_t_band(design: Any, T: float, *,
                     undocumented_factor: float = UNDOCUMENTED_FACTOR
                     ) -> tuple[float, float, tuple[float, float], list[str], CompositeBand]:
    """(t_low, t_high, (rho+_low, rho+_high), assumptions, band) of a composite at ``T``."""
    band = composite_band(design, T, undocumented_factor=undocumented_factor)
    mat = _matrix_material(design)
    rlo, rhi, rnote = rho_plus_range(mat, design.matrix.rho_plus)
    ts = []
    for rp in (rlo, rhi):
        for pf in band.polymer_factors:
            for ff in band.filler_factors:
                ts.append((rp, _composite_t_range(design, T, rp, pf, ff)))
    t_lo = min(t for r, t in ts if r == rlo)
    t_hi = max(t for r, t in ts if r == rhi)
    notes = [*band.assumptions, f"matrix rho+ {rlo:.3g} .. {rhi:.3g} ({rnote})",
             "composite t+ = EMT(rho+ sigma_p, ...)/EMT(sigma_p, ...) with the design's "
             "model (PHYSICS 4.2)"]
    return t_lo, t_hi, (rlo, rhi), notes, band


def _audit_composite_tplus(rec: Record, design: Any, factor: float) -> vd.Verdict:
    from scipy.optimize import brentq

    temps = [rec.T_K] if rec.T_K is not None else list(design.evaluate.temperatures_K)
    results = [composite_t_band(design, T, undocumented_factor=factor) for T in temps]
    t_lo = min(r[0] for r in results)
    t_hi = max(r[1] for r in results)
    rlo, rhi = results[0][2]
    notes = list(results[0][3])
    if rec.T_K is None:
        notes.append("no temperature reported: the band is the union over the design's "
                     "temperatures " + ", ".join(f"{units.to_celsius(T):.0f}" for T in temps)
                     + " degC")
    v = rec.value
    numbers = {"t_plus_low": t_lo, "t_plus_high": t_hi, "rho_plus_low": rlo,
               "rho_plus_high": rhi}
    mech: dict[str, Any] = {}
    if v > 1.0 + vd.REL_TOL or v < 0.0:
        return vd.Verdict(**_base(rec), verdict="implausible", bound="0 <= t+ <= 1",
                          factor=v, numbers=numbers, assumptions=tuple(notes),
                          likely_causes=vd.LIKELY_CAUSES_HIGH_TPLUS,
                          explanation=f"t+ = {v:.3g} is outside [0, 1], which no "
                                      "electrolyte can reach.")
    verdict, fac = vd.classify_band(v, t_lo, t_hi, 1.0)
    if verdict == "requires a mechanism":
        T0 = temps[-1] if v > t_hi else temps[0]
        band = results[temps.index(T0)][4]
        pf = band.polymer_factors[0] if v > t_hi else band.polymer_factors[1]
        ff = band.filler_factors[1] if v > t_hi else band.filler_factors[0]

        def g(rp: float) -> float:
            return _composite_t_range(design, T0, rp, pf, ff) - v

        try:
            if g(1e-4) * g(1.0) < 0:
                mech["matrix_rho_plus_needed"] = float(brentq(g, 1e-4, 1.0, xtol=1e-10))
        except HylyteError:
            pass
        if v > t_hi:
            text = (f"t+ = {v:.3g} is above the most favourable estimate {t_hi:.3g} of the "
                    "described structure; it needs a single-ion pathway the design does not "
                    "state (a percolating ceramic network, a single-ion interphase, or "
                    "anion-trapping filler surfaces)")
        else:
            text = (f"t+ = {v:.3g} is below the least favourable estimate {t_lo:.3g}; it "
                    "needs a polymer with a lower rho+ than the library range")
        if "matrix_rho_plus_needed" in mech:
            text += (f"; equivalently a matrix rho+ of {mech['matrix_rho_plus_needed']:.3g} "
                     f"(library {rlo:.3g} .. {rhi:.3g})")
        text += "."
    else:
        text = f"t+ = {v:.3g} lies within the estimates {t_lo:.3g} .. {t_hi:.3g}."
    return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                      mechanisms=mech, assumptions=tuple(notes), factor=fac,
                      bound="estimate band")


# --------------------------------------------------------------------------- stacks
@dataclass(frozen=True)
class LayerRange:
    """A stack layer at one temperature: thickness [m], conductivities [S/m], rho+ [-]."""

    name: str
    thickness: float
    sigma_low: float
    sigma_high: float
    sigma_bound: float
    rho_low: float
    rho_high: float
    note: str


def stack_layer_ranges(design: Any, T: float, *,
                       undocumented_factor: float = UNDOCUMENTED_FACTOR
                       ) -> tuple[list[LayerRange], list[str]]:
    """Per-layer ranges of a stack at ``T`` and the assumption lines."""
    from hylyte.materials import get_material

    out, notes = [], []
    for i, layer in enumerate(design.layers):
        label = f"layer {i + 1} ({layer.label}, {layer.thickness_m * 1e6:.3g} um)"
        if layer.composite is None:
            mat = get_material(layer.material)
            r = material_sigma_range(mat, T, undocumented_factor=undocumented_factor)
            rlo, rhi, rnote = rho_plus_range(mat)
            out.append(LayerRange(label, layer.thickness_m, r.low, r.high, r.high, rlo, rhi,
                                  r.describe(T)))
            notes.append(f"{label}: {r.describe(T)}; rho+ {rlo:.3g} .. {rhi:.3g} ({rnote})")
        else:
            comp = layer.composite
            tl, th, (rlo, rhi), _, band = composite_t_band(
                comp, T, undocumented_factor=undocumented_factor)
            passive = all(r.high == 0 for r in band.fillers)
            lo_r, hi_r = (rlo, rhi) if passive else (tl, th)
            out.append(LayerRange(label, layer.thickness_m, band.low, band.high, band.bound,
                                  lo_r, hi_r, band.model))
            notes.append(f"{label}: composite, sigma {_cm(band.low):.3g} .. "
                         f"{_cm(band.high):.3g} S/cm (bound {_cm(band.bound):.3g}); "
                         + ("passive fillers: t+ = matrix rho+ exactly" if passive else
                            f"t+ {tl:.3g} .. {th:.3g} from its analytic estimate (an "
                            "estimate, not a bound)"))
    return out, notes


def _interface_total(design: Any, T: float) -> float:
    total = 0.0
    for itf in design.interfaces:
        total += itf.asr_ohm_m2 * math.exp(itf.Ea_eV / K_B_EV * (1.0 / T - 1.0 / itf.T_ref_K))
    el = design.electrodes
    if el is not None:
        for v in (el.anode_asr_ohm_m2, el.cathode_asr_ohm_m2):
            if v is not None:
                total += v
    return total


def _t_stack(L: Sequence[float], s: Sequence[float], r: Sequence[float]) -> tuple[float, float,
                                                                                    float]:
    R_o = sum(a / b for a, b in zip(L, s, strict=True))
    R_s = sum(a / (c * b) for a, b, c in zip(L, s, r, strict=True))
    return R_o / R_s, R_o, R_s


def stack_t_bounds(layers: Sequence[LayerRange]) -> tuple[float, float, float, float]:
    """(t_min, t_max, R_ohm, R_ss at t_max) over the corners of the layer ranges.

    ``t_max`` uses each layer's highest rho+ and the conductivity corner that maximises
    ``R_Omega/R_ss`` (PHYSICS 4.3); ``t_min`` the lowest rho+ and the minimising corner.
    """
    L = [la.thickness for la in layers]
    best = (-1.0, 0.0, 0.0)
    t_min = 2.0
    for corner in itertools.product(*[(la.sigma_low, la.sigma_high) for la in layers]):
        t, Ro, Rs = _t_stack(L, corner, [la.rho_high for la in layers])
        if t > best[0]:
            best = (t, Ro, Rs)
        t_min = min(t_min, _t_stack(L, corner, [la.rho_low for la in layers])[0])
    return t_min, best[0], best[1], best[2]


def _audit_stack(rec: Record, design: Any, factor: float) -> vd.Verdict:
    temps = [rec.T_K] if rec.T_K is not None else list(design.evaluate.temperatures_K)
    if rec.quantity in ("asr", "conductivity") and rec.T_K is None:
        raise HylyteError(f"{rec.id}: a reported {rec.quantity} needs a temperature (T)")
    if rec.quantity == "t_plus":
        per_T = [stack_layer_ranges(design, T, undocumented_factor=factor) for T in temps]
        bounds = [stack_t_bounds(layers) for layers, _ in per_T]
        k = int(np.argmax([b[1] for b in bounds]))
        t_min = min(b[0] for b in bounds)
        t_min_, t_max, R_o, R_s = bounds[k]
        del t_min_
        notes = [*per_T[k][1], f"T = {units.to_celsius(temps[k]):.1f} degC"
                 + (" (most favourable of the design's temperatures; none reported)"
                    if rec.T_K is None else ""),
                 "t+ = R_Omega/R_ss of the layers in series (PHYSICS 4.3); Li-only interfacial "
                 "ASRs are not part of t+"]
        v = rec.value
        numbers = {"t_plus_low": t_min, "t_plus_bound": t_max,
                   "R_ohm_at_bound_ohm_cm2": R_o * OHM_M2_TO_OHM_CM2,
                   "R_ss_at_bound_ohm_cm2": R_s * OHM_M2_TO_OHM_CM2}
        mech: dict[str, Any] = {}
        if v > 1.0 + vd.REL_TOL or v < 0:
            return vd.Verdict(**_base(rec), verdict="implausible", bound="0 <= t+ <= 1",
                              factor=v, numbers=numbers, assumptions=tuple(notes),
                              likely_causes=vd.LIKELY_CAUSES_HIGH_TPLUS,
                              explanation=f"t+ = {v:.3g} is outside [0, 1].")
        verdict, fac = vd.classify_band(v, t_min, t_max, t_max)
        if verdict == "implausible":
            R_k = (v * R_s - R_o) / (1.0 - v) if v < 1 else math.inf
            mech["li_only_interface_asr_for_retention_ratio_ohm_cm2"] = R_k * OHM_M2_TO_OHM_CM2
            text = (f"t+ = {v:.3g} exceeds the R-weighted bound {t_max:.3g} of the stack "
                    f"(PHYSICS 4.3, most favourable rho+ and conductivities) by a factor "
                    f"{fac:.3g}: the binary-salt layers in series cap t+. A current-retention "
                    f"ratio with {R_k * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 of Li-only interfacial "
                    "resistance would give this number, but that is not a transference number.")
            causes = vd.LIKELY_CAUSES_HIGH_TPLUS
        elif verdict == "requires a mechanism":
            text = (f"t+ = {v:.3g} is below the least favourable stack value {t_min:.3g}; a "
                    "polymer with a lower rho+ than the library range would be needed.")
            causes = ()
        else:
            text = f"t+ = {v:.3g} lies within {t_min:.3g} .. {t_max:.3g} for this stack."
            causes = ()
        return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                          mechanisms=mech, assumptions=tuple(notes), likely_causes=causes,
                          factor=fac, bound="stack t+ (R-weighted)")
    T = rec.T_K
    layers, notes = stack_layer_ranges(design, T, undocumented_factor=factor)
    L_tot = sum(la.thickness for la in layers)
    R_k = _interface_total(design, T)
    asr_min = sum(la.thickness / la.sigma_bound for la in layers)
    asr_lo = sum(la.thickness / la.sigma_high for la in layers) + R_k
    asr_hi = sum(la.thickness / la.sigma_low for la in layers) + R_k
    if rec.quantity == "asr":
        v = rec.value
        shown = f"{v * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2"
    else:
        L_use = rec.thickness_m or L_tot
        v = L_use / rec.value
        shown = (f"{_cm(rec.value):.3g} S/cm (ASR {v * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 over "
                 f"{L_use * 1e6:.3g} um)")
        notes.append(f"conductivity converted to an ASR with L = {L_use * 1e6:.3g} um")
    notes += [f"T = {units.to_celsius(T):.1f} degC",
              f"stated interfacial ASR at T: {R_k * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2"]
    verdict, fac = vd.classify_lower_bound(v, asr_min, asr_lo, asr_hi)
    numbers = {"asr_series_limit_ohm_cm2": asr_min * OHM_M2_TO_OHM_CM2,
               "asr_low_ohm_cm2": asr_lo * OHM_M2_TO_OHM_CM2,
               "asr_high_ohm_cm2": asr_hi * OHM_M2_TO_OHM_CM2,
               "stack_thickness_um": L_tot * 1e6}
    mech = {}
    causes: tuple[str, ...] = ()
    if verdict == "implausible":
        text = (f"{shown} is below the series limit sum L_i/sigma_i,max = "
                f"{asr_min * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 of the stated layers by a factor "
                f"{fac:.3g}; interfaces can only add resistance.")
        causes = vd.LIKELY_CAUSES_LOW_ASR
    elif verdict == "requires a mechanism" and v > asr_hi:
        mech["extra_interface_asr_ohm_cm2"] = (v - asr_hi) * OHM_M2_TO_OHM_CM2
        text = (f"{shown} is above the most pessimistic stack value "
                f"{asr_hi * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2; it needs "
                f"{(v - asr_hi) * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 of interfacial resistance "
                "beyond what the design states.")
    elif verdict == "requires a mechanism":
        mech["interface_asr_total_implied_ohm_cm2"] = max(
            v - (asr_lo - R_k), 0.0) * OHM_M2_TO_OHM_CM2
        text = (f"{shown} is below the stack value with the stated interfaces "
                f"({asr_lo * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2) but above the series limit; the "
                "interfaces must be less resistive than the design states.")
    else:
        text = (f"{shown} lies within {asr_lo * OHM_M2_TO_OHM_CM2:.3g} .. "
                f"{asr_hi * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 for this stack.")
    return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                      mechanisms=mech, assumptions=tuple(notes), likely_causes=causes,
                      factor=fac, bound="series limit")


def _audit_composite_asr(rec: Record, design: Any, factor: float) -> vd.Verdict:
    if rec.thickness_m is None:
        raise HylyteError(f"{rec.id}: an ASR of a composite film needs the film thickness "
                          "([reported] thickness or a 'thickness' column)")
    band = composite_band(design, rec.T_K, undocumented_factor=factor)
    L = rec.thickness_m
    v = rec.value
    a_min, a_lo, a_hi = L / band.bound, L / band.high, L / band.low
    verdict, fac = vd.classify_lower_bound(v, a_min, a_lo, a_hi)
    c = OHM_M2_TO_OHM_CM2
    numbers = {"asr_bound_ohm_cm2": a_min * c, "asr_low_ohm_cm2": a_lo * c,
               "asr_high_ohm_cm2": a_hi * c, "thickness_um": L * 1e6}
    mech: dict[str, Any] = {}
    causes: tuple[str, ...] = ()
    shown = f"{v * c:.3g} ohm cm^2 over {L * 1e6:.3g} um"
    if verdict == "implausible":
        text = (f"{shown} is below L/sigma_bound = {a_min * c:.3g} ohm cm^2 (bulk bound of the "
                f"stated structure) by a factor {fac:.3g}.")
        causes = vd.LIKELY_CAUSES_LOW_ASR
    elif verdict == "requires a mechanism" and v > a_hi:
        mech["electrode_interface_asr_ohm_cm2"] = (v - a_hi) * c
        text = (f"{shown} is above the bulk value of the most pessimistic estimate "
                f"({a_hi * c:.3g} ohm cm^2); {(v - a_hi) * c:.3g} ohm cm^2 of electrode or "
                "internal interfacial resistance would explain it.")
    elif verdict == "requires a mechanism":
        mech.update(_mechanisms_high(design, band, L / v))
        text = (f"{shown} is below the most optimistic bulk estimate ({a_lo * c:.3g} ohm cm^2) "
                "but above the bound: it needs a conduction mechanism the design does not "
                "state.")
    else:
        text = f"{shown} lies within {a_lo * c:.3g} .. {a_hi * c:.3g} ohm cm^2 (bulk)."
    return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                      mechanisms=mech, assumptions=band.assumptions, likely_causes=causes,
                      factor=fac, bound="bulk ASR")


# --------------------------------------------------------------------------- windows
def _window_limits(mat: Any) -> dict[str, Any]:
    """Oxidation/reduction limits of a material with their kind (practical or intrinsic)."""
    props = getattr(mat, "properties", {}) or {}
    out: dict[str, Any] = {"behaviour": getattr(getattr(mat, "window", None),
                                                "behaviour_vs_li", "unknown")}
    for side in ("oxidation", "reduction"):
        p = props.get(f"window.practical_{side}")
        if p is not None:
            lim = p.range[1] if side == "oxidation" and p.range else (
                p.range[0] if p.range else p.value)
            out[side] = (float(lim), "practical")
            continue
        p = props.get(f"window.{side}")
        if p is not None:
            out[side] = (float(p.value), "intrinsic")
    return out


def _facing(design: Any) -> tuple[Any, Any, str, str]:
    """(anode-facing material, cathode-facing material, labels) of a design."""
    from hylyte.design.model import CompositeDesign
    from hylyte.materials import get_material

    def cont(d: Any) -> Any:
        return _matrix_material(d)

    if isinstance(design, CompositeDesign):
        m = cont(design)
        name = design.matrix.name
        return m, m, name, name
    first, last = design.layers[0], design.layers[-1]
    a = get_material(first.material) if first.composite is None else cont(first.composite)
    c = get_material(last.material) if last.composite is None else cont(last.composite)
    return a, c, first.label, last.label


def _audit_window(rec: Record, design: Any) -> vd.Verdict:
    a_mat, c_mat, a_name, c_name = _facing(design)
    notes = [f"anode-facing phase: {a_name}; cathode-facing phase: {c_name} (the continuous "
             "phase of a composite touches the electrodes)",
             "practical limits use the widest end of the library range; intrinsic "
             "(first-principles) limits can be exceeded kinetically (PHYSICS 5.3)"]
    numbers: dict[str, Any] = {"reported_high_V": rec.value, "reported_low_V": rec.value_low}
    results = []
    texts = []
    mech: dict[str, Any] = {}
    fac = None
    causes: tuple[str, ...] = ()
    c_lim = _window_limits(c_mat) if c_mat is not None else {}
    if "oxidation" in c_lim:
        lim, kind = c_lim["oxidation"]
        numbers["oxidation_limit_V"] = lim
        numbers["oxidation_limit_kind"] = kind
        if rec.value > lim + 1e-9:
            dv = rec.value - lim
            if kind == "practical":
                results.append("implausible")
                fac = dv
                causes = vd.LIKELY_CAUSES_WINDOW
                texts.append(f"the oxidation limit {rec.value:.3g} V exceeds the practical "
                             f"limit of the cathode-facing {c_name} ({lim:.3g} V, top of the "
                             f"library range) by {dv:.2g} V")
            else:
                results.append("requires a mechanism")
                mech["kinetic_overpotential_V"] = dv
                texts.append(f"the oxidation limit {rec.value:.3g} V is {dv:.2g} V above the "
                             f"intrinsic limit of {c_name} ({lim:.3g} V): it needs kinetic "
                             "stabilisation or a passivating interphase")
        else:
            results.append("consistent")
            texts.append(f"the oxidation limit {rec.value:.3g} V is within {c_name}'s "
                         f"{kind} limit {lim:.3g} V")
    a_lim = _window_limits(a_mat) if a_mat is not None else {}
    if rec.value_low is not None and "reduction" in a_lim:
        lim, kind = a_lim["reduction"]
        numbers["reduction_limit_V"] = lim
        beh = a_lim["behaviour"]
        if rec.value_low < lim - 1e-9:
            if beh == "non_passivating":
                results.append("implausible")
                fac = max(fac or 0.0, lim - rec.value_low)
                causes = causes or vd.LIKELY_CAUSES_WINDOW
                texts.append(f"the reduction end {rec.value_low:.3g} V is below the reduction "
                             f"limit of the anode-facing {a_name} ({lim:.3g} V), which does not "
                             "passivate against Li (PHYSICS 5.3: an anode-side buffer is "
                             "needed)")
            elif beh in ("kinetically_passivated", "thermo_stable"):
                results.append("consistent")
                texts.append(f"the reduction end {rec.value_low:.3g} V is below {a_name}'s "
                             f"{kind} limit {lim:.3g} V, which is kinetically passivated")
            else:
                results.append("requires a mechanism")
                texts.append(f"the reduction end {rec.value_low:.3g} V is below {a_name}'s "
                             f"limit {lim:.3g} V with unknown passivation")
        else:
            results.append("consistent")
    if not results:
        return vd.Verdict(**_base(rec), verdict="not assessed", assumptions=tuple(notes),
                          explanation="the library holds no window for the electrode-facing "
                                      "phases; nothing to compare with",
                          numbers=numbers, bound="window rule")
    verdict = vd.worst(results)
    return vd.Verdict(**_base(rec), verdict=verdict, explanation="; ".join(texts) + ".",
                      numbers=numbers, mechanisms=mech, assumptions=tuple(notes),
                      likely_causes=causes if verdict == "implausible" else (), factor=fac,
                      bound="window rule (PHYSICS 5.3)")


# --------------------------------------------------------------------------- entry points
def audit_record(rec: Record, *, undocumented_factor: float = UNDOCUMENTED_FACTOR
                 ) -> vd.Verdict:
    """Audit one reported value.

    Parameters
    ----------
    rec : Record
        The value, its temperature and the design it refers to.
    undocumented_factor : float, optional
        Spread assumed for a component without a documented range [-].

    Returns
    -------
    Verdict
        ``error`` (with the message) when the record is malformed or cannot be evaluated.
    """
    from hylyte.design.model import CompositeDesign

    if rec.error is not None or rec.design is None:
        return vd.Verdict(**_base(rec), verdict="error",
                          explanation=rec.error or "no design to compare with")
    try:
        d = rec.design
        if rec.quantity == "window":
            return _audit_window(rec, d)
        if isinstance(d, CompositeDesign):
            if rec.quantity == "t_plus":
                return _audit_composite_tplus(rec, d, undocumented_factor)
            if rec.T_K is None:
                raise HylyteError(f"{rec.id}: a reported {rec.quantity} needs a temperature (T)")
            if rec.quantity == "conductivity":
                return _audit_composite_sigma(rec, d, undocumented_factor)
            if rec.quantity == "asr":
                return _audit_composite_asr(rec, d, undocumented_factor)
        else:
            return _audit_stack(rec, d, undocumented_factor)
        raise HylyteError(f"{rec.id}: quantity {rec.quantity!r} cannot be audited")
    except HylyteError as err:
        return vd.Verdict(**_base(rec), verdict="error", explanation=str(err))


def audit_records(records: Sequence[Record], *,
                  undocumented_factor: float = UNDOCUMENTED_FACTOR) -> list[vd.Verdict]:
    """Audit every record (malformed ones become ``error`` verdicts; the rest go on)."""
    return [audit_record(r, undocumented_factor=undocumented_factor) for r in records]


def audit_design_file(path: str | Path, *, undocumented_factor: float = UNDOCUMENTED_FACTOR
                      ) -> list[vd.Verdict]:
    """Audit the ``[reported]`` table of a design file.

    Raises
    ------
    DesignError
        The design is invalid or has no ``[reported]`` table.
    """
    from hylyte.errors import DesignError

    _, recs = load_design_with_reported(path)
    if not recs:
        raise DesignError(f"{path}: no [reported] table to audit (see 'hylyte audit --help')")
    return audit_records(recs, undocumented_factor=undocumented_factor)


def audit_table(path: str | Path, *, undocumented_factor: float = UNDOCUMENTED_FACTOR
                ) -> list[vd.Verdict]:
    """Audit a record table (CSV); see :func:`hylyte.audit.records.read_records`."""
    return audit_records(read_records(path), undocumented_factor=undocumented_factor)


# --------------------------------------------------------------------------- output
def format_table(verdicts: Sequence[vd.Verdict], *, width: int = 100) -> str:
    """A plain-text table for the terminal, then the explanations."""
    head = ("id", "design", "quantity", "T degC", "reported", "verdict", "factor")
    rows = []
    for v in verdicts:
        T = "" if v.T_K is None else f"{units.to_celsius(v.T_K):.0f}"
        f = "" if v.factor is None else (f"{v.factor:.3g}" if v.quantity != "window"
                                         else f"{v.factor:+.2g} V")
        rows.append((v.record_id, v.design[:28], v.quantity, T, v.reported[:22], v.verdict, f))
    w = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    line = "  ".join(h.ljust(n) for h, n in zip(head, w, strict=True))
    out = [line, "-" * min(len(line), width)]
    out += ["  ".join(str(c).ljust(n) for c, n in zip(r, w, strict=True)) for r in rows]
    out.append("")
    for v in verdicts:
        out.append(f"[{v.record_id}] {v.verdict}: {v.explanation}")
    s = vd.summary(list(verdicts))
    out.append("")
    out.append("summary: " + ", ".join(f"{k} {n}" for k, n in s.items() if n or k == "total"))
    return "\n".join(out)


_CSS = ("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;font-size:90%}"
        ".consistent{background:#e6f4e6}.requires-a-mechanism{background:#fff5d6}"
        ".implausible{background:#fbe0e0}.error,.not-assessed{background:#eee}"
        "details{margin:0}")


def html_section(verdicts: Sequence[vd.Verdict], *, title: str = "Audit of reported results"
                 ) -> str:
    """A self-contained HTML ``<section>`` (every user string escaped)."""
    e = html.escape
    s = vd.summary(list(verdicts))
    parts = [f"<section class='hylyte-audit'><h2>{e(title)}</h2>",
             "<p>" + ", ".join(f"{e(k)}: {n}" for k, n in s.items()) + "</p>",
             "<table><tr><th>id</th><th>design</th><th>quantity</th><th>T (&deg;C)</th>"
             "<th>reported</th><th>verdict</th><th>factor</th><th>explanation</th>"
             "<th>details</th></tr>"]
    for v in verdicts:
        T = "" if v.T_K is None else f"{units.to_celsius(v.T_K):.1f}"
        f = "" if v.factor is None else f"{v.factor:.3g}"
        det = []
        if v.numbers:
            det.append("<b>numbers</b><ul>" + "".join(
                f"<li>{e(k)} = {e(_fmt(x))}</li>" for k, x in v.numbers.items()) + "</ul>")
        if v.mechanisms:
            det.append("<b>mechanism sizes</b><ul>" + "".join(
                f"<li>{e(k)} = {e(_fmt(x))}</li>" for k, x in v.mechanisms.items()) + "</ul>")
        if v.assumptions:
            det.append("<b>assumptions</b><ul>" + "".join(
                f"<li>{e(a)}</li>" for a in v.assumptions) + "</ul>")
        if v.likely_causes:
            det.append("<b>most likely explanations</b><ul>" + "".join(
                f"<li>{e(a)}</li>" for a in v.likely_causes) + "</ul>")
        if v.citation:
            det.append(f"<b>source</b>: {e(v.citation)}")
        cls = v.verdict.replace(" ", "-")
        parts.append(
            f"<tr class='{e(cls)}'><td>{e(v.record_id)}</td><td>{e(v.design)}</td>"
            f"<td>{e(v.quantity)}</td><td>{e(T)}</td><td>{e(v.reported)}</td>"
            f"<td>{e(v.verdict)}</td><td>{e(f)}</td><td>{e(v.explanation)}</td>"
            f"<td><details><summary>show</summary>{''.join(det)}</details></td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def _jsonable(obj: Any) -> Any:
    """numpy scalars to Python, non-finite floats to None (JSON has no NaN)."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def render_html(verdicts: Sequence[vd.Verdict], *, title: str = "hylyte audit") -> str:
    """A self-contained HTML page holding :func:`html_section`."""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{_CSS}</style></head><body>{html_section(verdicts, title=title)}"
            "</body></html>\n")


def write_outputs(verdicts: Sequence[vd.Verdict], folder: str | Path, *,
                  title: str = "hylyte audit") -> dict[str, Path]:
    """Write ``audit.csv`` (one row per record), ``audit.parquet`` (when pyarrow is
    installed), ``audit.json``, ``summary.json`` and ``audit.html`` into ``folder``.

    Every file is written atomically. Returns the paths by kind.
    """
    import csv
    import io

    from hylyte._atomic import atomic_path, atomic_write_text
    from hylyte._optional import has_module

    folder = Path(folder)
    rows = [v.to_row() for v in verdicts]
    cols = list(rows[0]) if rows else list(vd.Verdict("", "", "", "").to_row())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    w.writerows(rows)
    out = {"csv": atomic_write_text(folder / "audit.csv", buf.getvalue())}
    out["json"] = atomic_write_text(folder / "audit.json", json.dumps(
        _jsonable([v.to_dict() for v in verdicts]), indent=2, ensure_ascii=False) + "\n")
    out["summary"] = atomic_write_text(folder / "summary.json", json.dumps(
        vd.summary(list(verdicts)), indent=2) + "\n")
    out["html"] = atomic_write_text(folder / "audit.html", render_html(verdicts, title=title))
    if has_module("pyarrow"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        nums = ("value_SI", "T_K", "factor")
        data = {}
        for c in cols:
            vals = [r[c] for r in rows]
            if c in nums:
                data[c] = pa.array([None if x is None or not math.isfinite(float(x))
                                    else float(x) for x in vals], type=pa.float64())
            else:
                data[c] = pa.array([None if x is None else str(x) for x in vals],
                                   type=pa.string())
        table = pa.table(data)
        with atomic_path(folder / "audit.parquet") as tmp:
            pq.write_table(table, tmp)
        out["parquet"] = folder / "audit.parquet"
    return out


__all__ = [
    "UNDOCUMENTED_FACTOR",
    "CompositeBand",
    "LayerRange",
    "SigmaRange",
    "audit_design_file",
    "audit_record",
    "audit_records",
    "audit_table",
    "composite_band",
    "composite_t_band",
    "format_table",
    "html_section",
    "material_sigma_range",
    "render_html",
    "rho_plus_range",
    "stack_layer_ranges",
    "stack_t_bounds",
    "write_outputs",
]
