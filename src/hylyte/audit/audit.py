"""Audit reported results against physics: is a published number possible as described?

For each reported value (:class:`~hylyte.audit.records.Record`) the audit computes, at the
reported temperature, what the described structure allows when every component property is
moved over its literature range in the materials library (not only the defaults), and what
no structure can reach even with every unstated mechanism at a plausible maximum size:

* composite conductivity: the consistent band is the design's own analytic model (PHYSICS 3)
  at the most pessimistic and the most optimistic corner of the library ranges. The
  *mechanism ceiling*, the only basis of ``implausible``, is the rigorous upper bound over
  the polymer at its amorphous (melt) branch, an interphase up to
  :data:`INTERPHASE_SIGMA_MAX_S_PER_M` over :data:`INTERPHASE_THICKNESS_MAX_M` with the
  Poisson-overlap fraction of PHYSICS 3.6, and the fillers at the top of their ranges:
  Hashin-Shtrikman (PHYSICS 3.2) for structures stated isotropic, Wiener parallel (PHYSICS
  3.1, which alignment or percolation can approach) otherwise. Between the band and the
  ceiling a value ``requires a mechanism``, sized by 1-D root solves;
* composite t+: the composite t+ of PHYSICS 4.2 over the ranges; 0 <= t+ <= 1 is the bound;
* stack ASR and conductivity: the series limit (PHYSICS 5.1), ASR >= sum L_i/sigma_i,max with
  each layer at its highest plausible conductivity (composite layers at their ceiling);
* stack t+: the R-weighted bound of PHYSICS 4.3 with the most favourable rho+ and
  conductivities (corners of the ranges);
* window: a practical (LSV) polymer limit is method-dependent: exceeding it ``requires a
  mechanism``; only more than :data:`PRACTICAL_WINDOW_MARGIN_V` above it is implausible.

Library values without a literature ``ref`` (only a ``basis``: indicative values) are not
hard limits: for every bound they are widened by the undocumented factor (x/÷ 3 by
default); the consistent band takes the library ranges as stored.

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
from hylyte.errors import HylyteError, InputError

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


def _widened(p: Any, factor: float) -> tuple[tuple[float, float] | None, bool]:
    """Range of a law parameter for the audit and whether it was widened.

    A conductivity prefactor (kind ``conductivity``) whose library record carries no
    literature ``ref`` (only a ``basis``) is an indicative value, not a hard limit: its range
    (or its value) is widened by ``factor`` both ways. Other parameters keep their range.
    """
    rng = None if p.range is None else (float(p.range[0]), float(p.range[1]))
    if p.ref is None and getattr(p, "kind", "") == "conductivity" and factor > 1.0 \
            and p.value > 0:
        lo, hi = rng if rng is not None else (float(p.value), float(p.value))
        return (lo / factor, hi * factor), True
    return rng, False


def material_sigma_range(mat: Any, T: float, *,
                         undocumented_factor: float = UNDOCUMENTED_FACTOR,
                         widen_undocumented: bool = True) -> SigmaRange:
    """Conductivity range of a library material at ``T`` from its documented ranges.

    Every conductivity-law parameter with a ``range`` in the library (``sigma_ref``,
    ``Ea``, ``T_m``, ...) is set to each end, all combinations are evaluated (the laws are
    monotone in each parameter, so the corners hold the extremes) and the lowest and
    highest values are kept. A conductivity prefactor whose record has no literature
    ``ref`` (only a ``basis``, i.e. an indicative value) is not a hard limit: its range (or
    its value when it has none) is widened by ``undocumented_factor`` both ways, and the
    note says so. Where no range governs at ``T`` (no range stored, or none of the ranged
    parameters matters at ``T``), the default is spread by ``undocumented_factor`` both
    ways. The amorphous (melt) branch of a semicrystalline polymer is evaluated over the
    same corners; its highest value is ``amorphous``.

    Parameters
    ----------
    mat : Material
        A library material (``hylyte.materials.get_material``).
    T : float
        Temperature [K].
    undocumented_factor : float, optional
        Spread assumed without a documented range or literature reference [-].
    widen_undocumented : bool, optional
        Widen the basis-only prefactors (True, for hard limits) or take the library ranges
        as stored (False, for the consistent band of the described structure).

    Returns
    -------
    SigmaRange
    """
    name = getattr(mat, "name", "?")
    law = getattr(mat, "law", None)
    if law is None:
        return SigmaRange(name, 0.0, 0.0, 0.0, note="no conductivity law (passive)")
    default = _law_sigma(law, T)
    semi = getattr(law, "kind", "") == "semicrystalline_peo"
    amorphous = None
    if semi:
        try:
            amorphous = _law_sigma(law.high, T)
        except HylyteError:
            amorphous = None
    if default == 0.0:
        return SigmaRange(name, 0.0, 0.0, 0.0, note="passive filler (sigma = 0)")
    f = float(undocumented_factor)
    props = getattr(mat, "properties", {}) or {}
    ranged: list[tuple[list[str], tuple[float, float]]] = []
    widened: list[str] = []
    for k, p in props.items():
        if not k.startswith("conductivity."):
            continue
        rng, wide = _widened(p, f if widen_undocumented else 1.0)
        if rng is None:
            continue
        ranged.append((k.split(".")[1:], rng))
        if wide:
            widened.append(k.split(".", 1)[1])
    values = [default]
    amorph = [] if amorphous is None else [amorphous]
    for corner in itertools.product(*[(r[0], r[1]) for _, r in ranged]):
        new = law
        try:
            for (path, _), v in zip(ranged, corner, strict=True):
                new = _set_path(new, path, v)
            values.append(_law_sigma(new, T))
            if amorph:
                amorph.append(_law_sigma(new.high, T))
        except (HylyteError, TypeError, ValueError):
            continue
    lo, hi = min(values), max(values)
    if amorph:
        amorphous = max(amorph)
    wide_note = (f"; no literature ref for {', '.join(widened)} (library basis only): "
                 f"widened x/÷ {f:g}") if widened else ""
    if ranged and hi / lo > 1.0 + 1e-3:
        keys = ", ".join(".".join(p) for p, _ in ranged)
        return SigmaRange(name, lo, default, hi, amorphous, not widened,
                          f"library ranges of {keys}{wide_note}")
    why = "no documented range" if not ranged else "no documented range governs at this T"
    return SigmaRange(name, default / f, default, default * f, amorphous, False,
                      f"{why}: default x/÷ {f:g} assumed")


def rho_plus_range(mat: Any, override: float | None = None, *,
                   undocumented_factor: float = UNDOCUMENTED_FACTOR,
                   widen_undocumented: bool = True) -> tuple[float, float, str]:
    """(low, high, note) of the Bruce-Vincent fraction rho+ of a material [-].

    A polymer's rho+ whose library record has no literature ``ref`` (only a ``basis``) is
    indicative: its range is widened by ``undocumented_factor`` both ways (the upper end
    capped at 1). Single-ion conductors (ceramics) keep rho+ = 1.
    """
    if override is not None:
        return override, override, "rho+ as stated in the design"
    props = getattr(mat, "properties", {}) or {}
    p = props.get("rho_plus")
    rng = getattr(mat, "rho_plus_range", None)
    v = getattr(mat, "rho_plus", None)
    f = float(undocumented_factor)
    if (p is not None and p.ref is None and getattr(mat, "kind", "") == "polymer"
            and f > 1.0 and p.value > 0 and widen_undocumented):
        lo, hi = rng if rng is not None else (float(p.value), float(p.value))
        return (float(lo) / f, min(float(hi) * f, 1.0),
                f"library {'range' if rng is not None else 'value'} of rho+ has no literature "
                f"ref (basis only): widened x/÷ {f:g}")
    if rng is not None:
        return float(rng[0]), float(rng[1]), "library range of rho+"
    if v is None:
        v = 1.0 if getattr(mat, "kind", "") in ("ceramic", "filler") else None
    if v is None:
        return 1e-3, 1.0, "no rho+ in the library: (0, 1] assumed"
    return float(v), float(v), "library value of rho+ (no range)"


# --------------------------------------------------------------------------- composites
INTERPHASE_SIGMA_MAX_S_PER_M = 1.0
"""Ceiling of an interphase conductivity [S/m] (1e-2 S/cm).

A polymer/ceramic interphase (space-charge layer, surface-modified or amorphous polymer) is
a solid or gel phase of the same salt; no such phase conducts better than a liquid
carbonate electrolyte of the same salt (about 1e-2 S/cm at 25 degC, e.g. 1 M LiPF6 in
EC/DMC). It is used as the plausible maximum of the interphase mechanism."""

INTERPHASE_THICKNESS_MAX_M = 10e-9
"""Ceiling of an interphase thickness [m] (10 nm).

Space-charge layers extend over a few Debye lengths (about 1-5 nm in salt-in-polymer
electrolytes; PHYSICS 3.6 takes t = 1-5 nm as typical) and surface-modified polymer shells
observed by NMR/tracer studies are at most about 10 nm. With :data:`INTERPHASE_SIGMA_MAX_S_PER_M`
this bounds the sheet conductance sigma_i t <= 1e-8 S."""

PRACTICAL_WINDOW_MARGIN_V = 1.0
"""Margin above the top of a polymer's practical (LSV) oxidation range that no measurement
method, scan rate or passivating CEI plausibly adds [V]. Practical limits are method
dependent (PHYSICS 5.3, 9.4); only a value more than this above the top of the library's
practical range is called implausible."""


@dataclass(frozen=True)
class MechanismCeilings:
    """Plausible maximum sizes of the mechanisms a design may not state.

    Attributes
    ----------
    interphase_sigma_S_per_m : float
        Interphase conductivity ceiling [S/m] (:data:`INTERPHASE_SIGMA_MAX_S_PER_M`).
    interphase_thickness_m : float
        Interphase thickness ceiling [m] (:data:`INTERPHASE_THICKNESS_MAX_M`).
    window_margin_V : float
        Margin above a practical oxidation limit before a window is implausible [V]
        (:data:`PRACTICAL_WINDOW_MARGIN_V`).
    """

    interphase_sigma_S_per_m: float = INTERPHASE_SIGMA_MAX_S_PER_M
    interphase_thickness_m: float = INTERPHASE_THICKNESS_MAX_M
    window_margin_V: float = PRACTICAL_WINDOW_MARGIN_V

    def __post_init__(self) -> None:
        for name in ("interphase_sigma_S_per_m", "interphase_thickness_m"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
                raise InputError(f"{name} = {v!r}: must be a positive finite number")
        v = self.window_margin_V
        if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0):
            raise InputError(f"window_margin_V = {v!r}: must be a finite number >= 0")

    @property
    def sheet_conductance_S(self) -> float:
        """Interphase sheet-conductance ceiling sigma_i t [S]."""
        return self.interphase_sigma_S_per_m * self.interphase_thickness_m


DEFAULT_CEILINGS = MechanismCeilings()


def shell_volume_ratio(shape: str, size_m: float | None, t: float) -> float:
    """Shell volume over particle volume for a shell of thickness ``t`` [-].

    Spheres: (1 + t/r)^3 - 1 (PHYSICS 3.6); fibres, network struts and scaffolds
    (cylinders): (1 + t/r)^2 - 1; lamellae and sheets of thickness ``size``: 2 t/size.
    ``r`` is half of ``size_m`` (1 um when no size is stated, as in the analytic model).
    """
    d = 2e-6 if size_m is None else float(size_m)
    r = 0.5 * d
    if shape == "sphere":
        return (1.0 + t / r) ** 3 - 1.0
    if shape in ("lamellar", "sheet"):
        return 2.0 * t / d
    return (1.0 + t / r) ** 2 - 1.0


def interphase_fraction(design: Any, t: float) -> float:
    """Volume fraction of randomly placed, overlapping shells of thickness ``t`` [-].

    PHYSICS 3.6 Poisson-overlap estimate (approximate),
    phi_i = A {1 - exp[-sum_k phi_k g_k / A]} with A = 1 - sum_k phi_k - porosity the volume
    outside the fillers and pores and g_k the shell volume ratio of filler k
    (:func:`shell_volume_ratio`); for one filler without porosity this is
    (1 - phi){1 - exp[-phi((1 + t/r)^3 - 1)/(1 - phi)]}.
    """
    A = 1.0 - sum(f.fraction for f in design.fillers) - design.porosity
    if A <= 0 or t <= 0:
        return 0.0
    x = sum(f.fraction * shell_volume_ratio(f.shape, f.size_m, t) for f in design.fillers
            if f.fraction > 0)
    return float(A * -math.expm1(-x / A))


@dataclass(frozen=True)
class CompositeBand:
    """What a composite design allows at one temperature (see :func:`composite_band`).

    All conductivities in [S/m]. ``bound`` is the mechanism ceiling that decides
    ``implausible`` (``ceiling_hs`` for isotropic structures, ``ceiling_wiener`` otherwise);
    ``hs_upper``/``wiener_upper`` are the bounds of the stated components at the top of their
    ranges (no mechanism); ``bound_default`` the stated-structure bound with defaults.
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
    ceiling_hs: float = math.inf
    ceiling_wiener: float = math.inf
    sigma_polymer_ceiling: float = 0.0
    sigma_interphase_ceiling: float = 0.0
    interphase_thickness_ceiling: float = 0.0
    phi_interphase_ceiling: float = 0.0
    ceilings: MechanismCeilings = DEFAULT_CEILINGS


def _matrix_range(design: Any, T: float, default_sp: float, factor: float, *,
                  widen: bool = True) -> SigmaRange:
    if design.matrix.material is not None:
        from hylyte.materials import get_material

        return material_sigma_range(get_material(design.matrix.material), T,
                                    undocumented_factor=factor, widen_undocumented=widen)
    return SigmaRange(design.matrix.name, default_sp / factor, default_sp, default_sp * factor,
                      None, False, f"inline law of the design: x/÷ {factor:g} assumed")


def _upper(S: Sequence[float], F: Sequence[float]) -> tuple[float, float]:
    """(HS+, Wiener+) of phases with conductivities S and fractions F (zero fractions out)."""
    from hylyte.physics import emt

    keep = [i for i, x in enumerate(F) if x > 0]
    S_ = [float(S[i]) for i in keep]
    F_ = [float(F[i]) for i in keep]
    if len(S_) == 1:
        return S_[0], S_[0]
    return float(emt.hs_bounds(S_, F_)[1]), float(emt.wiener_bounds(S_, F_)[1])


def composite_band(design: Any, T: float, *,
                   undocumented_factor: float = UNDOCUMENTED_FACTOR,
                   ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> CompositeBand:
    """Consistent band and mechanism ceiling of a composite's conductivity at ``T``.

    Parameters
    ----------
    design : CompositeDesign
        The described structure.
    T : float
        Temperature [K].
    undocumented_factor : float, optional
        Spread assumed for components without a documented range or literature ref [-].
    ceilings : MechanismCeilings, optional
        Plausible maximum sizes of the mechanisms the design does not state.

    Returns
    -------
    CompositeBand
        ``low``/``high``: the design's analytic model with all components at the low/high
        end of their ranges. ``bound``: the mechanism ceiling, i.e. the rigorous upper bound
        over the phases with every mechanism at its plausible maximum: the polymer at
        its amorphous (melt) branch when semicrystalline (else the top of its range), an
        interphase of conductivity ``ceilings.interphase_sigma_S_per_m`` over
        ``ceilings.interphase_thickness_m`` with the Poisson-overlap volume fraction of
        PHYSICS 3.6 for the stated particle size (:func:`interphase_fraction`), the fillers
        at the top of their ranges; Hashin-Shtrikman (PHYSICS 3.2) when the structure is
        isotropic, Wiener parallel (PHYSICS 3.1, which alignment or percolation can
        approach) otherwise. Stated values above the ceilings are kept.
    """
    from hylyte.echem.calibrate import ModelState, forward_estimate

    state = ModelState(design)
    msgs: list[str] = []
    ps0, est0 = forward_estimate(state, [T], messages=msgs)
    sf = design.sigma_factor
    sp_def = float(ps0.polymer[0]) / sf
    from hylyte.materials import get_material

    # consistent band: library ranges as stored; hard limits: basis-only values widened
    pr = _matrix_range(design, T, sp_def, undocumented_factor, widen=False)
    prw = _matrix_range(design, T, sp_def, undocumented_factor, widen=True)
    frs = tuple(material_sigma_range(get_material(f.material), T,
                                     undocumented_factor=undocumented_factor,
                                     widen_undocumented=False)
                for f in design.fillers)
    frw = tuple(material_sigma_range(get_material(f.material), T,
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
    phi_f = [f.fraction for f in design.fillers]
    por = [design.porosity] if design.porosity > 0 else []
    # stated structure, components at the top of their ranges (no unstated mechanism)
    sp_hi = pr.high * sf
    phi_i = float(est_hi.phi_interphase)
    si = [x for x in ps_hi.interphase if x is not None]
    s_int_hi = float(si[0][0]) if (phi_i > 0 and si) else sp_hi
    S = [sp_hi] + ([s_int_hi] if phi_i > 0 else []) + [r.high for r in frs] + [0.0] * len(por)
    F = [max(1.0 - phi_i - sum(phi_f) - sum(por), 0.0)] + ([phi_i] if phi_i > 0 else []) \
        + phi_f + por
    hs_hi, wi_hi = _upper(S, F)
    iso = bool(est_hi.isotropic)
    # every mechanism at its plausible maximum
    sp_ceil = max(prw.high, prw.amorphous or 0.0) * sf
    t_stated = max((f.interphase.thickness_m for f in design.fillers
                    if f.interphase is not None), default=0.0)
    t_ceil = max(ceilings.interphase_thickness_m, t_stated)
    s_int_ceil = max(ceilings.interphase_sigma_S_per_m, s_int_hi if phi_i > 0 else 0.0,
                     sp_ceil)
    phi_ic = interphase_fraction(design, t_ceil) if any(x > 0 for x in phi_f) else 0.0
    S_c = [sp_ceil, s_int_ceil] + [r.high for r in frw] + [0.0] * len(por)
    F_c = [max(1.0 - phi_ic - sum(phi_f) - sum(por), 0.0), phi_ic, *phi_f, *por]
    c_hs, c_wi = _upper(S_c, F_c)
    ceiling = max(c_hs if iso else c_wi, hi)
    # the stated-structure bound with every component at its default (defaults-only verdict)
    S_def = [pr.default * sf] + ([s_int_hi] if phi_i > 0 else []) + \
        [r.default for r in frs] + [0.0] * len(por)
    hs_d, wi_d = _upper(S_def, F)
    default = float(est0.sigma_through[0])
    bound_default = max(hs_d if iso else wi_d, default)
    Tc = units.to_celsius(T)
    c = S_PER_M_TO_S_PER_CM
    amorph = (f"its amorphous (melt) branch {prw.amorphous * c:.3g} S/cm"
              if prw.amorphous is not None else f"the top of its range {prw.high * c:.3g} S/cm")
    wide = [r for r in (prw, *frw) if "widened" in r.note]
    assumptions = [
        f"structure as described: {est_hi.model}, "
        f"{'isotropic (Hashin-Shtrikman applies)' if iso else 'anisotropic (Wiener applies)'}",
        f"T = {Tc:.1f} degC",
        pr.describe(T), *(r.describe(T) for r in frs),
        "consistent band: bulk properties only; interphase, interface resistance and matrix "
        "modification only as far as the design states them",
        f"mechanism ceiling ({'Hashin-Shtrikman' if iso else 'Wiener parallel'}), the only "
        f"basis of 'implausible': polymer at {amorph}; an interphase of up to "
        f"{s_int_ceil * c:.3g} S/cm over {t_ceil * 1e9:.3g} nm (sheet conductance "
        f"{s_int_ceil * t_ceil:.3g} S; ceilings: a liquid electrolyte's conductivity and "
        f"the widest space-charge/modified-polymer shell), volume fraction {phi_ic:.3g} "
        "(Poisson-overlap estimate of PHYSICS 3.6, approximate); fillers at the top of "
        "their ranges",
        *(f"hard limits only: {r.describe(T)}" for r in wide),
    ]
    if iso:
        assumptions.append(
            f"isotropy as stated: an aligned or layered structure would raise the ceiling to "
            f"the Wiener parallel value {c_wi * c:.3g} S/cm")
    if sf != 1.0:
        assumptions.append(f"stated matrix modification factor {sf:g}")
    if design.porosity > 0:
        assumptions.append(f"stated porosity {100 * design.porosity:.3g} vol% (insulating)")
    return CompositeBand(
        T_K=T, low=lo, high=hi, default=default, bound=ceiling, bound_default=bound_default,
        hs_upper=max(hs_hi, hi) if iso else hs_hi, wiener_upper=max(wi_hi, hi), isotropic=iso,
        model=est_hi.model, polymer=pr, fillers=frs, polymer_factors=pf,
        filler_factors=(ff_lo, ff_hi), assumptions=tuple(assumptions), messages=tuple(msgs),
        ceiling_hs=c_hs, ceiling_wiener=c_wi, sigma_polymer_ceiling=sp_ceil,
        sigma_interphase_ceiling=s_int_ceil, interphase_thickness_ceiling=t_ceil,
        phi_interphase_ceiling=phi_ic, ceilings=ceilings)


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
    if design.fillers:
        t0 = get_parameter(state, "interphase.thickness")
        if not (math.isfinite(t0) and t0 > 0):
            t0 = DEFAULT_INTERPHASE_THICKNESS_M
        # the stated (or typical 3 nm) thickness first, then the thickness ceiling (used
        # when the first has no solution or needs more than the sheet-conductance ceiling)
        sheet_max = band.sigma_interphase_ceiling * band.interphase_thickness_ceiling
        sig = None
        t = t0
        for t_try in sorted({t0, max(t0, band.interphase_thickness_ceiling)}):
            st = set_parameter(state, "interphase.thickness", t_try)
            try:
                s_try = solve_parameter(st, "interphase.sheet_conductance", value, T,
                                        lower=1e-22, upper=1e-2, **kw)
            except HylyteError:
                s_try = None
            t = t_try if sig is None else t
            if s_try is not None and (sig is None or s_try < sig):
                sig, t = s_try, t_try
            if sig is not None and sig <= sheet_max * (1.0 + vd.REL_TOL):
                break
        if sig is not None:
            sp_hi = band.polymer.high * design.sigma_factor
            out["interphase_sheet_conductance_S"] = sig
            out["interphase_thickness_m"] = t
            out["interphase_conductivity_S_per_cm"] = sig / t * S_PER_M_TO_S_PER_CM
            out["interphase_over_polymer_high"] = (sig / t) / sp_hi if sp_hi > 0 else math.inf
            out["interphase_within_ceiling"] = bool(
                sig <= band.sigma_interphase_ceiling * band.interphase_thickness_ceiling
                * (1.0 + vd.REL_TOL))
        else:
            # isolated shells of the stated (dilute) structure saturate: only percolating
            # interphases (the mechanism ceiling) can carry the value
            out["interphase_alone_insufficient_up_to_thickness_m"] = t
    if "polymer_conductivity_factor_needed" in out and "amorphous_over_range_high" in out:
        out["matrix_factor_within_amorphous"] = bool(
            out["polymer_conductivity_factor_needed"]
            <= out["amorphous_over_range_high"] * (1.0 + vd.REL_TOL))
    out["alignment_alone_suffices"] = bool(value <= band.wiener_upper * (1.0 + vd.REL_TOL))
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
                "S/cm, so defaults alone would condemn the value; the library ranges and "
                "the mechanism allowance admit it, so it is not called implausible.")
    return ""


def _high_side_text(mech: dict[str, Any], band: CompositeBand) -> str:
    """The mechanisms that could raise a composite to a value, with their sizes."""
    parts = []
    if "interphase_sheet_conductance_S" in mech:
        ok = mech.get("interphase_within_ceiling", False)
        parts.append(f"an interphase of sheet conductance "
                     f"{mech['interphase_sheet_conductance_S']:.3g} S (sigma_i = "
                     f"{mech['interphase_conductivity_S_per_cm']:.3g} S/cm at "
                     f"{mech['interphase_thickness_m'] * 1e9:.3g} nm; "
                     + ("within" if ok else "beyond") + " the plausible "
                     f"{band.sigma_interphase_ceiling * band.interphase_thickness_ceiling:.3g} S)")
    if "interphase_alone_insufficient_up_to_thickness_m" in mech:
        t = mech["interphase_alone_insufficient_up_to_thickness_m"]
        parts.append(f"interphases that percolate (isolated shells of up to {t * 1e9:.3g} nm "
                     "around the stated, dispersed particles cannot reach it at any "
                     "conductivity; connected shells, as in agglomerated fillers, can up to "
                     "the mechanism ceiling)")
    if "polymer_conductivity_factor_needed" in mech:
        k = mech["polymer_conductivity_factor_needed"]
        txt = f"a matrix conductivity {k:.3g}x the top of its range"
        if "amorphous_over_range_high" in mech:
            a = mech["amorphous_over_range_high"]
            txt += (f" (fully amorphous polymer gives up to {a:.3g}x: suppressed "
                    "crystallinity " + ("could" if k <= a * (1 + vd.REL_TOL) else
                                        "could not") + " do it alone)")
        parts.append(txt)
    w = band.wiener_upper
    if mech.get("alignment_alone_suffices"):
        parts.append(f"alignment or percolation of the filler (possible alone: below the "
                     f"Wiener parallel bound {_cm(w):.3g} S/cm of the stated components)")
    else:
        parts.append(f"alignment or percolation only together with another mechanism (above "
                     f"the Wiener parallel bound {_cm(w):.3g} S/cm of the stated components)")
    return "; or ".join(parts)


def _audit_composite_sigma(rec: Record, design: Any, factor: float,
                           ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    T = rec.T_K
    band = composite_band(design, T, undocumented_factor=factor, ceilings=ceilings)
    v = rec.value
    verdict, fac = vd.classify_band(v, band.low, band.high, band.bound)
    numbers = {"estimate_low_S_per_cm": _cm(band.low), "estimate_high_S_per_cm": _cm(band.high),
               "estimate_default_S_per_cm": _cm(band.default),
               "bound_with_defaults_S_per_cm": _cm(band.bound_default),
               "hs_upper_S_per_cm": _cm(band.hs_upper),
               "wiener_upper_S_per_cm": _cm(band.wiener_upper),
               "mechanism_ceiling_S_per_cm": _cm(band.bound),
               "mechanism_ceiling_hs_S_per_cm": _cm(band.ceiling_hs),
               "mechanism_ceiling_wiener_S_per_cm": _cm(band.ceiling_wiener),
               "polymer_ceiling_S_per_cm": _cm(band.sigma_polymer_ceiling),
               "interphase_ceiling_S_per_cm": _cm(band.sigma_interphase_ceiling),
               "interphase_ceiling_thickness_nm": band.interphase_thickness_ceiling * 1e9,
               "interphase_fraction_at_ceiling": band.phi_interphase_ceiling}
    cname = "Hashin-Shtrikman" if band.isotropic else "Wiener parallel"
    mech: dict[str, Any] = {}
    causes: tuple[str, ...] = ()
    if v > band.high:
        mech = _mechanisms_high(design, band, v)
    elif v < band.low:
        mech = _mechanisms_low(design, band, v)
    rv = f"{_cm(v):.3g} S/cm"
    if verdict == "implausible":
        causes = vd.LIKELY_CAUSES_HIGH_SIGMA
        text = (f"{rv} exceeds the mechanism ceiling ({cname} bound {_cm(band.bound):.3g} "
                "S/cm with the polymer fully amorphous, an interphase of "
                f"{_cm(band.sigma_interphase_ceiling):.3g} S/cm over "
                f"{band.interphase_thickness_ceiling * 1e9:.3g} nm around every particle and "
                f"the fillers at the top of their ranges) by a factor {fac:.3g}: no "
                "interphase, matrix modification"
                + (" or percolation of this isotropic structure" if band.isotropic else
                   ", alignment or percolation")
                + " of plausible size reaches it.")
        if band.isotropic and v <= band.ceiling_wiener * (1 + vd.REL_TOL):
            text += (f" Only an aligned or layered (anisotropic) structure, which the design "
                     f"does not describe, could (Wiener ceiling "
                     f"{_cm(band.ceiling_wiener):.3g} S/cm).")
        bound_used = "mechanism ceiling (" + ("hashin-shtrikman" if band.isotropic
                                              else "wiener") + ")"
    elif verdict == "requires a mechanism" and v > band.high:
        text = (f"{rv} is above the most optimistic estimate of the described structure "
                f"({_cm(band.high):.3g} S/cm) by a factor {fac:.3g} but below the mechanism "
                f"ceiling ({cname}, {_cm(band.bound):.3g} S/cm); it needs "
                + _high_side_text(mech, band) + ".")
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
                     undocumented_factor: float = UNDOCUMENTED_FACTOR,
                     ceilings: MechanismCeilings = DEFAULT_CEILINGS,
                     widen_undocumented: bool = False
                     ) -> tuple[float, float, tuple[float, float], list[str], CompositeBand]:
    """(t_low, t_high, (rho+_low, rho+_high), assumptions, band) of a composite at ``T``.

    ``widen_undocumented``: widen a basis-only rho+ of the matrix (for hard limits, e.g. a
    stack's t+ bound); the composite's own t+ band takes the library range as stored.
    """
    band = composite_band(design, T, undocumented_factor=undocumented_factor,
                          ceilings=ceilings)
    mat = _matrix_material(design)
    rlo, rhi, rnote = rho_plus_range(mat, design.matrix.rho_plus,
                                     undocumented_factor=undocumented_factor,
                                     widen_undocumented=widen_undocumented)
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


def _audit_composite_tplus(rec: Record, design: Any, factor: float,
                           ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    from scipy.optimize import brentq

    temps = [rec.T_K] if rec.T_K is not None else list(design.evaluate.temperatures_K)
    results = [composite_t_band(design, T, undocumented_factor=factor, ceilings=ceilings)
               for T in temps]
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
    """A stack layer at one temperature: thickness [m], conductivities [S/m], rho+ [-].

    ``sigma_low``/``sigma_high``: the band (library ranges as stored); ``sigma_low_hard``/
    ``sigma_high_hard`` and ``rho_high``: the ends used for hard limits (basis-only values
    widened); ``sigma_bound``: the highest conductivity any mechanism of plausible size
    gives the layer (the composite mechanism ceiling).
    """

    name: str
    thickness: float
    sigma_low: float
    sigma_high: float
    sigma_bound: float
    rho_low: float
    rho_high: float
    note: str
    sigma_low_hard: float | None = None
    sigma_high_hard: float | None = None

    @property
    def hard(self) -> tuple[float, float]:
        """(low, high) conductivity ends for hard limits [S/m]."""
        lo = self.sigma_low if self.sigma_low_hard is None else self.sigma_low_hard
        hi = self.sigma_high if self.sigma_high_hard is None else self.sigma_high_hard
        return lo, hi


def stack_layer_ranges(design: Any, T: float, *,
                       undocumented_factor: float = UNDOCUMENTED_FACTOR,
                       ceilings: MechanismCeilings = DEFAULT_CEILINGS
                       ) -> tuple[list[LayerRange], list[str]]:
    """Per-layer ranges of a stack at ``T`` and the assumption lines."""
    from hylyte.materials import get_material

    out, notes = [], []
    for i, layer in enumerate(design.layers):
        label = f"layer {i + 1} ({layer.label}, {layer.thickness_m * 1e6:.3g} um)"
        if layer.composite is None:
            mat = get_material(layer.material)
            r = material_sigma_range(mat, T, undocumented_factor=undocumented_factor,
                                     widen_undocumented=False)
            rw = material_sigma_range(mat, T, undocumented_factor=undocumented_factor)
            rlo, rhi, rnote = rho_plus_range(mat, undocumented_factor=undocumented_factor)
            top = max(rw.high, rw.amorphous or 0.0)
            out.append(LayerRange(label, layer.thickness_m, r.low, r.high, top, rlo, rhi,
                                  r.describe(T), rw.low, top))
            notes.append(f"{label}: {r.describe(T)}; rho+ {rlo:.3g} .. {rhi:.3g} ({rnote})")
            if rw.high != r.high or top != rw.high:
                notes.append(f"{label}, hard limits: {rw.describe(T)}")
        else:
            comp = layer.composite
            tl, th, (rlo, rhi), _, band = composite_t_band(
                comp, T, undocumented_factor=undocumented_factor, ceilings=ceilings,
                widen_undocumented=True)
            passive = all(r.high == 0 for r in band.fillers)
            lo_r, hi_r = (rlo, rhi) if passive else (tl, th)
            out.append(LayerRange(label, layer.thickness_m, band.low, band.high, band.bound,
                                  lo_r, hi_r, band.model, band.low, band.bound))
            notes.append(f"{label}: composite, sigma {_cm(band.low):.3g} .. "
                         f"{_cm(band.high):.3g} S/cm (mechanism ceiling "
                         f"{_cm(band.bound):.3g}); "
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

    ``t_max`` (a hard limit) uses each layer's highest rho+ and the corner of the hard-limit
    conductivity ends (basis-only values widened, the amorphous branch included) that
    maximises ``R_Omega/R_ss`` (PHYSICS 4.3); ``t_min`` the lowest rho+ and the minimising
    corner of the band.
    """
    L = [la.thickness for la in layers]
    best = (-1.0, 0.0, 0.0)
    t_min = 2.0
    for corner in itertools.product(*[la.hard for la in layers]):
        t, Ro, Rs = _t_stack(L, corner, [la.rho_high for la in layers])
        if t > best[0]:
            best = (t, Ro, Rs)
    for corner in itertools.product(*[(la.sigma_low, la.sigma_high) for la in layers]):
        t_min = min(t_min, _t_stack(L, corner, [la.rho_low for la in layers])[0])
    return t_min, best[0], best[1], best[2]


def _audit_stack(rec: Record, design: Any, factor: float,
                 ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    temps = [rec.T_K] if rec.T_K is not None else list(design.evaluate.temperatures_K)
    if rec.quantity in ("asr", "conductivity") and rec.T_K is None:
        raise HylyteError(f"{rec.id}: a reported {rec.quantity} needs a temperature (T)")
    if rec.quantity == "t_plus":
        per_T = [stack_layer_ranges(design, T, undocumented_factor=factor, ceilings=ceilings)
                 for T in temps]
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
    layers, notes = stack_layer_ranges(design, T, undocumented_factor=factor,
                                       ceilings=ceilings)
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
                f"{fac:.3g} (every layer at its highest plausible conductivity: polymers "
                "amorphous, indicative values widened, composite layers at their mechanism "
                "ceiling); interfaces can only add resistance.")
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
                f"({asr_lo * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2) but above the series limit "
                f"{asr_min * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 (every layer at its highest "
                "plausible conductivity: polymers amorphous, indicative values widened, "
                "composite layers at their mechanism ceiling); it needs layers more "
                "conductive than the top of their library ranges"
                + (" or interfaces less resistive than the design states"
                   if R_k > 0 else "") + ".")
    else:
        text = (f"{shown} lies within {asr_lo * OHM_M2_TO_OHM_CM2:.3g} .. "
                f"{asr_hi * OHM_M2_TO_OHM_CM2:.3g} ohm cm^2 for this stack.")
    return vd.Verdict(**_base(rec), verdict=verdict, explanation=text, numbers=numbers,
                      mechanisms=mech, assumptions=tuple(notes), likely_causes=causes,
                      factor=fac, bound="series limit")


def _audit_composite_asr(rec: Record, design: Any, factor: float,
                         ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    if rec.thickness_m is None:
        raise HylyteError(f"{rec.id}: an ASR of a composite film needs the film thickness "
                          "([reported] thickness or a 'thickness' column)")
    band = composite_band(design, rec.T_K, undocumented_factor=factor, ceilings=ceilings)
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


def _audit_window(rec: Record, design: Any,
                  ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    a_mat, c_mat, a_name, c_name = _facing(design)
    notes = [f"anode-facing phase: {a_name}; cathode-facing phase: {c_name} (the continuous "
             "phase of a composite touches the electrodes)",
             "practical limits use the widest end of the library range; a practical (LSV) "
             "limit is method-dependent, not a rigorous bound: exceeding it requires a "
             "mechanism, and only more than "
             f"{ceilings.window_margin_V:.2g} V above it is implausible; intrinsic "
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
            margin = ceilings.window_margin_V
            numbers["oxidation_plausible_limit_V"] = lim + margin if kind == "practical" \
                else None
            if kind == "practical" and dv > margin + 1e-9:
                results.append("implausible")
                fac = dv
                causes = vd.LIKELY_CAUSES_WINDOW
                texts.append(f"the oxidation limit {rec.value:.3g} V exceeds the practical "
                             f"(LSV) limit of the cathode-facing {c_name} ({lim:.3g} V, top of "
                             f"the library range) by {dv:.2g} V, more than the {margin:.2g} V "
                             "that a measurement method, scan rate, onset criterion or a "
                             "passivating CEI plausibly adds")
            elif kind == "practical":
                results.append("requires a mechanism")
                fac = dv
                mech["above_practical_limit_V"] = dv
                texts.append(f"the oxidation limit {rec.value:.3g} V is {dv:.2g} V above the "
                             f"practical (LSV, method-dependent) limit of the cathode-facing "
                             f"{c_name} ({lim:.3g} V, top of the library range) but within "
                             f"the {margin:.2g} V allowance (up to {lim + margin:.3g} V): it "
                             "needs a passivating CEI, a coated cathode or buffer layer, or a "
                             "different measurement method, onset criterion or scan rate "
                             "(PHYSICS 9.4) that the design does not state")
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
def audit_record(rec: Record, *, undocumented_factor: float = UNDOCUMENTED_FACTOR,
                 ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> vd.Verdict:
    """Audit one reported value.

    Parameters
    ----------
    rec : Record
        The value, its temperature and the design it refers to.
    undocumented_factor : float, optional
        Spread assumed for a component without a documented range, and widening of
        basis-only (indicative) library values used as hard limits [-].
    ceilings : MechanismCeilings, optional
        Plausible maximum sizes of unstated mechanisms (interphase conductivity and
        thickness, window margin); ``implausible`` means above the bound with all of them.

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
            return _audit_window(rec, d, ceilings)
        if isinstance(d, CompositeDesign):
            if rec.quantity == "t_plus":
                return _audit_composite_tplus(rec, d, undocumented_factor, ceilings)
            if rec.T_K is None:
                raise HylyteError(f"{rec.id}: a reported {rec.quantity} needs a temperature (T)")
            if rec.quantity == "conductivity":
                return _audit_composite_sigma(rec, d, undocumented_factor, ceilings)
            if rec.quantity == "asr":
                return _audit_composite_asr(rec, d, undocumented_factor, ceilings)
        else:
            return _audit_stack(rec, d, undocumented_factor, ceilings)
        raise HylyteError(f"{rec.id}: quantity {rec.quantity!r} cannot be audited")
    except HylyteError as err:
        return vd.Verdict(**_base(rec), verdict="error", explanation=str(err))


def audit_records(records: Sequence[Record], *,
                  undocumented_factor: float = UNDOCUMENTED_FACTOR,
                  ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> list[vd.Verdict]:
    """Audit every record (malformed ones become ``error`` verdicts; the rest go on)."""
    return [audit_record(r, undocumented_factor=undocumented_factor, ceilings=ceilings)
            for r in records]


def audit_design_file(path: str | Path, *, undocumented_factor: float = UNDOCUMENTED_FACTOR,
                      ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> list[vd.Verdict]:
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
    return audit_records(recs, undocumented_factor=undocumented_factor, ceilings=ceilings)


def audit_table(path: str | Path, *, undocumented_factor: float = UNDOCUMENTED_FACTOR,
                ceilings: MechanismCeilings = DEFAULT_CEILINGS) -> list[vd.Verdict]:
    """Audit a record table (CSV); see :func:`hylyte.audit.records.read_records`."""
    return audit_records(read_records(path), undocumented_factor=undocumented_factor,
                         ceilings=ceilings)


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
    "DEFAULT_CEILINGS",
    "INTERPHASE_SIGMA_MAX_S_PER_M",
    "INTERPHASE_THICKNESS_MAX_M",
    "PRACTICAL_WINDOW_MARGIN_V",
    "UNDOCUMENTED_FACTOR",
    "CompositeBand",
    "LayerRange",
    "MechanismCeilings",
    "SigmaRange",
    "audit_design_file",
    "audit_record",
    "audit_records",
    "audit_table",
    "composite_band",
    "composite_t_band",
    "format_table",
    "html_section",
    "interphase_fraction",
    "material_sigma_range",
    "render_html",
    "rho_plus_range",
    "shell_volume_ratio",
    "stack_layer_ranges",
    "stack_t_bounds",
    "write_outputs",
]
