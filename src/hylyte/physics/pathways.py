"""Three-pathway model: polymer, interphase and ceramic current paths in a hybrid electrolyte.

Combines the interphase overlap estimate and the interface-resistance equivalent particle
(:mod:`hylyte.physics.interphase`) with a self-consistent (Bruggeman / Polder-van Santen)
medium of three phases, and reports the fraction of the current carried by each phase
(docs/PHYSICS.md section 3.9). SI units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from hylyte._provenance import cites
from hylyte.errors import InputError
from hylyte.physics._common import (
    BOUND_RTOL,
    EMTResult,
    check_conductivity,
    check_fraction,
    check_nonneg,
    check_positive,
    scalar_or_array,
)
from hylyte.physics.emt import (
    _FRAMEWORK_FACTOR,
    _brugg2,
    current_fractions_two_phase,
    depolarization_factors,
    emt_result,
    self_consistent,
    wiener_bounds,
)
from hylyte.physics.interphase import coated_sphere

__all__ = ["PathwayResult", "three_pathway"]

Shape = Literal["sphere", "fibre", "sheet", "framework"]
_DEFAULT_ASPECT = {"sphere": 1.0, "fibre": 50.0, "sheet": 0.02}


@dataclass(frozen=True)
class PathwayResult:
    """Effective conductivity and the share of current carried by each pathway.

    Attributes
    ----------
    sigma_eff : float or ndarray
        Effective conductivity [S/m]; for aligned fillers axis 0 holds (axis, transverse).
    f_polymer, f_interphase, f_ceramic : float or ndarray
        Fractions of the current carried by the bulk polymer, the interphase and the ceramic;
        they add up to one [-].
    phi_polymer, phi_interphase, phi_ceramic : float or ndarray
        Volume fractions of the three phases [-].
    sigma_ceramic_eq : float or ndarray
        Ceramic conductivity including the interface resistance (per axis for non-spheres:
        axis 0 = (axis, transverse)) [S/m].
    sigma_interphase : float or ndarray
        Interphase conductivity used [S/m].
    method : str
        ``"bruggeman"`` (three-phase self-consistent), ``"coated"`` (coated grains in a
        two-phase Bruggeman) or ``"framework"``.
    emt : EMTResult
        Flags and bounds of the effective conductivity (Wiener for anisotropic results).
    warnings : tuple of str
        Validity messages.
    axes : tuple of str
        Labels of axis 0 of ``sigma_eff`` and the fractions when anisotropic.
    """

    sigma_eff: Any
    f_polymer: Any
    f_interphase: Any
    f_ceramic: Any
    phi_polymer: Any
    phi_interphase: Any
    phi_ceramic: Any
    sigma_ceramic_eq: Any
    sigma_interphase: Any
    method: str
    emt: EMTResult
    warnings: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()


def _shell_ratio(shape: str, r: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Shell volume over particle volume for a shell of thickness t."""
    if shape == "sphere":
        return (1.0 + t / r) ** 3 - 1.0
    if shape in ("fibre", "framework"):
        return (1.0 + t / r) ** 2 - 1.0
    return t / r  # sheet of half-thickness r: two faces


@cites("Bruggeman1935", "Nan1997", "ZhengHu2018", "Osborn1945")
def three_pathway(
    sigma_p: ArrayLike,
    sigma_c: ArrayLike,
    phi_c: ArrayLike,
    *,
    radius: ArrayLike,
    sigma_i: ArrayLike | None = None,
    interphase_ratio: ArrayLike | None = None,
    t_i: ArrayLike = 0.0,
    R_int: ArrayLike = 0.0,
    shape: Shape = "sphere",
    orientation: Literal["random", "aligned"] = "random",
    aspect: ArrayLike | None = None,
    method: Literal["bruggeman", "coated"] = "bruggeman",
    framework: str = "random_struts",
) -> PathwayResult:
    """Conductivity and current fractions of a polymer / interphase / ceramic composite.

    Parameters
    ----------
    sigma_p : array_like
        Bulk polymer conductivity [S/m].
    sigma_c : array_like
        Ceramic bulk conductivity (0 for a passive filler) [S/m].
    phi_c : array_like
        Ceramic volume fraction [-].
    radius : array_like
        Particle radius (sphere), fibre or strut radius (fibre, framework) or half-thickness
        (sheet) [m].
    sigma_i : array_like, optional
        Interphase conductivity [S/m]. Give this or ``interphase_ratio``; default sigma_p.
    interphase_ratio : array_like, optional
        sigma_i / sigma_p (a hypothesis parameter, typically 1-100) [-].
    t_i : array_like, optional
        Interphase thickness (0: no interphase) [m].
    R_int : array_like, optional
        Ceramic|polymer interface area-specific resistance [ohm m^2].
    shape : {"sphere", "fibre", "sheet", "framework"}
        Filler morphology.
    orientation : {"random", "aligned"}
        Random orientation (isotropic) or aligned (results per axis: along the symmetry axis,
        i.e. along fibres / normal to sheets, and transverse).
    aspect : array_like, optional
        Aspect ratio a/b of fibres (> 1) or sheets (< 1); defaults 50 and 0.02.
    method : {"bruggeman", "coated"}
        Three-phase Polder-van Santen Bruggeman (default) or coated spheres in a two-phase
        Bruggeman with the polymer (spheres only).
    framework : {"aligned", "random_struts", "in_plane_mat", "cellular"}
        Skeleton geometry for ``shape="framework"`` (thin-element asymptotes, section 3.5).

    Returns
    -------
    PathwayResult

    Notes
    -----
    Interphase fraction: Poisson overlap
    :math:`\\phi_i=(1-\\phi_c)\\{1-\\exp[-\\phi_c g/(1-\\phi_c)]\\}` with g the shell/particle
    volume ratio ((1+t/r)^3-1 spheres, (1+t/r)^2-1 fibres, t/r sheets); phi_p = 1 - phi_c -
    phi_i. Ceramic: sigma_c/(1 + R sigma_c/a) across spheres and fibres, sigma_c/(1 + 2R
    sigma_c/l) along fibres of length l = 2 p r and normal to sheets (l = 2 r), and the
    in-plane length 2 r / p of sheets. Self-consistent medium:
    :math:`\\sum_k\\phi_k\\overline{(\\sigma_{kj}-\\sigma)/(\\sigma+N_{kj}(\\sigma_{kj}-\\sigma))}=0`
    with spherical polymer grains (random orientation) or polymer grains of the filler's
    shape (aligned: columnar texture, so continuous fibres give the parallel bound) and
    interphase grains of the filler's shape. Current
    fractions :math:`f_k\\propto\\phi_k\\overline{\\sigma_{kj}/(\\sigma+N_{kj}(\\sigma_{kj}-
    \\sigma))}`, normalised (for spheres the normalisation is exactly one,
    :math:`f_k=3\\phi_k\\sigma_k/(\\sigma_k+2\\sigma)`). Coated variant: the exact two-phase
    fraction of the coated grains is split between core and shell with the core field
    :math:`E_c=3\\sigma_s E_{in}/[(\\sigma_c+2\\sigma_s)+\\delta(\\sigma_s-\\sigma_c)]`.
    Frameworks: skeleton and interphase carry the asymptotic share factor x (phi_c sigma_c
    + phi_i sigma_i); the polymer backfill adds (1 - phi_s) sigma_p (aligned) or
    2(1 - phi_s) sigma_p/(2 + phi_s) (others), an additive approximation.

    Expected behaviour: at low phi_c most current flows in the polymer; with small R_int the
    ceramic share rises steeply with loading (about 3 phi_c when dispersed and highly
    conducting); large R_int sends f_c -> 0; small particles with a conducting interphase
    give an interphase-dominated regime. The voxel solver is the reference for the fractions.

    References
    ----------
    .. [1] D. A. G. Bruggeman (1935), doi:10.1002/andp.19354160705
    .. [2] C.-W. Nan et al., J. Appl. Phys. 81, 6692 (1997), doi:10.1063/1.365209
    .. [3] J. Zheng, Y.-Y. Hu, ACS Appl. Mater. Interfaces 10, 4113 (2018),
       doi:10.1021/acsami.7b17301
    """
    if shape not in ("sphere", "fibre", "sheet", "framework"):
        raise InputError(
            f"shape must be one of 'sphere', 'fibre', 'sheet', 'framework', got {shape!r}")
    if orientation not in ("random", "aligned"):
        raise InputError(f"orientation must be 'random' or 'aligned', got {orientation!r}")
    if method not in ("bruggeman", "coated"):
        raise InputError(f"method must be 'bruggeman' or 'coated', got {method!r}")
    if method == "coated" and shape != "sphere":
        raise InputError("method 'coated' is defined for shape 'sphere' only")
    sp = check_conductivity(sigma_p, "sigma_p")
    sc = check_conductivity(sigma_c, "sigma_c")
    pc = check_fraction(phi_c, "phi_c", closed_upper=False)
    r = check_positive(radius, "radius")
    t = check_nonneg(t_i, "t_i")
    R = check_nonneg(R_int, "R_int")
    if sigma_i is not None and interphase_ratio is not None:
        raise InputError("give sigma_i or interphase_ratio, not both")
    if interphase_ratio is not None:
        si = sp * check_nonneg(interphase_ratio, "interphase_ratio")
    elif sigma_i is not None:
        si = check_conductivity(sigma_i, "sigma_i")
    else:
        si = sp
    if shape == "framework":
        if framework not in _FRAMEWORK_FACTOR:
            raise InputError(f"framework must be one of {sorted(_FRAMEWORK_FACTOR)}, "
                             f"got {framework!r}")
        return _framework(sp, sc, pc, r, si, t, framework)
    p = np.asarray(_DEFAULT_ASPECT[shape] if aspect is None else aspect, dtype=float)
    if shape == "sphere" and np.any(p != 1.0):
        raise InputError("shape 'sphere' has aspect 1; use 'fibre' or 'sheet'")
    if shape == "fibre" and np.any(p <= 1.0):
        raise InputError(f"fibre aspect must be > 1, got {aspect!r}")
    if shape == "sheet" and np.any((p >= 1.0) | (p <= 0.0)):
        raise InputError(f"sheet aspect must be in (0, 1), got {aspect!r}")
    sp, sc, pc, r, t, R, si, p = np.broadcast_arrays(sp, sc, pc, r, t, R, si, p)
    msgs: list[str] = []
    g = _shell_ratio(shape, r, t)
    phi_i = (1.0 - pc) * -np.expm1(-pc * g / (1.0 - pc))
    phi_p = 1.0 - pc - phi_i
    if np.any(t > 0):
        msgs.append("interphase fraction from the Poisson-overlap approximation")
    if np.any((t / r > 0.2) & (t > 0)):
        msgs.append("interphase thicker than 0.2 r: uniform-shell model outside validity")
    # ceramic equivalent conductivity along the symmetry axis (a) and across it (b)
    if shape == "sphere":
        sca = scb = sc / (1.0 + R * sc / r)
    elif shape == "fibre":
        scb = sc / (1.0 + R * sc / r)
        sca = sc / (1.0 + 2.0 * R * sc / (2.0 * p * r))
    else:
        sca = sc / (1.0 + 2.0 * R * sc / (2.0 * r))
        scb = sc / (1.0 + 2.0 * R * sc / (2.0 * r / p))
    if method == "coated":
        return _coated(sp, sca, si, pc, r, t, phi_i, msgs)
    Na, Nb = (np.broadcast_to(np.asarray(v, dtype=float), sp.shape)
              for v in depolarization_factors(p))
    third = np.full(sp.shape, 1.0 / 3.0)
    # phases: polymer, interphase, ceramic; axes: a, b, b
    N = np.stack([np.stack([third, third, third]), np.stack([Na, Nb, Nb]),
                  np.stack([Na, Nb, Nb])])
    S = np.stack([np.stack([sp, sp, sp]), np.stack([si, si, si]), np.stack([sca, scb, scb])])
    F = np.stack([phi_p, phi_i, pc])
    if orientation == "random":
        # spheres are isotropic grains: one axis suffices (same equation, a third of the work)
        sig, frac = _solve(S[:, :1], F, N[:, :1]) if shape == "sphere" else _solve(S, F, N)
        res = emt_result(sig, [sp, si, sca], [phi_p, phi_i, pc], model="three_pathway",
                         percolating=_perc(S, F, N), warnings=tuple(msgs),
                         references=three_pathway.__references__)
        if shape != "sphere" and np.any(R > 0):
            res = _wiener_only(res, sig, [sp, si, np.minimum(sca, scb)],
                               [sp, si, np.maximum(sca, scb)], [phi_p, phi_i, pc], msgs)
        return PathwayResult(
            scalar_or_array(sig), scalar_or_array(frac[0]), scalar_or_array(frac[1]),
            scalar_or_array(frac[2]), scalar_or_array(phi_p), scalar_or_array(phi_i),
            scalar_or_array(pc), scalar_or_array(sca if shape == "sphere" else
                                                 np.stack([sca, scb])),
            scalar_or_array(si), "bruggeman", res, tuple(res.warnings),
        )
    # aligned: one self-consistent problem per principal direction; the polymer grains take
    # the filler's shape (columnar / lamellar texture), so continuous fibres give the
    # parallel bound along the axis and the 2D medium across it
    N = np.stack([np.stack([Na, Nb, Nb])] * 3)
    sigs, fracs = [], []
    for j in (0, 1):
        Sj, Nj = S[:, j:j + 1], N[:, j:j + 1]
        s_, f_ = _solve(Sj, F, Nj)
        sigs.append(s_)
        fracs.append(f_)
    sig = np.stack(sigs)
    frac = np.stack(fracs, axis=1)  # (phase, axis, ...)
    wl = np.stack([np.asarray(wiener_bounds([sp, si, S[2, j]], [phi_p, phi_i, pc])[0])
                   for j in (0, 1)])
    wu = np.stack([np.asarray(wiener_bounds([sp, si, S[2, j]], [phi_p, phi_i, pc])[1])
                   for j in (0, 1)])
    in_w = np.all((sig >= wl * (1 - BOUND_RTOL)) & (sig <= wu * (1 + BOUND_RTOL)), axis=0)
    res = EMTResult(sigma_eff=sig, model="three_pathway_aligned", wiener_lower=wl,
                    wiener_upper=wu, hs_lower=None, hs_upper=None,
                    within_wiener=in_w if in_w.ndim else bool(in_w), within_hs=None,
                    percolating=_perc(S[:, :1], F, N[:, :1]),
                    outside_validity=~in_w if in_w.ndim else not bool(in_w),
                    warnings=(*msgs, "aligned fillers: isotropic HS bounds do not apply"),
                    references=three_pathway.__references__, axes=("axis", "transverse"))
    return PathwayResult(sig, frac[0], frac[1], frac[2], scalar_or_array(phi_p),
                         scalar_or_array(phi_i), scalar_or_array(pc), np.stack([sca, scb]),
                         scalar_or_array(si), "bruggeman", res, res.warnings,
                         ("axis", "transverse"))


def _solve(S: np.ndarray, F: np.ndarray, N: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Self-consistent sigma for per-axis phase conductivities S (n, k, ...) and fractions."""
    out = self_consistent(S, F, N)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = F * (S / (out + N * (S - out))).mean(axis=1)
        frac = raw / raw.sum(axis=0)
    bad = ~np.isfinite(frac)
    if np.any(bad):  # sigma = 0 (nothing conducts through): attribute to the best phase
        best = S.max(axis=1)
        best = (best == best.max(axis=0)).astype(float)
        frac = np.where(bad, best / best.sum(axis=0), frac)
    return out, frac


def _perc(S: np.ndarray, F: np.ndarray, N: np.ndarray) -> Any:
    """Whether the most conducting phase lies above its Polder-van Santen threshold."""
    best = np.argmax(S.max(axis=1), axis=0)
    with np.errstate(divide="ignore"):
        pcs = 1.0 / (1.0 + 2.0 / 9.0 * np.sum(1.0 / N, axis=1) * 3.0 / N.shape[1])
    fb = np.take_along_axis(F, best[None], axis=0)[0]
    pb = np.take_along_axis(pcs, best[None], axis=0)[0]
    out = fb > pb
    return bool(out) if np.ndim(out) == 0 else out


def _wiener_only(res: EMTResult, sig: np.ndarray, s_lo: list, s_hi: list, phis: list,
                 msgs: list[str]) -> EMTResult:
    """Non-spherical or anisotropic grains: bounds from the per-axis extremes."""
    wl = np.asarray(wiener_bounds(s_lo, phis)[0])
    wu = np.asarray(wiener_bounds(s_hi, phis)[1])
    in_w = (sig >= wl * (1 - BOUND_RTOL)) & (sig <= wu * (1 + BOUND_RTOL))
    return EMTResult(
        sigma_eff=res.sigma_eff, model=res.model, wiener_lower=scalar_or_array(wl),
        wiener_upper=scalar_or_array(wu), hs_lower=None, hs_upper=None,
        within_wiener=bool(in_w) if in_w.ndim == 0 else in_w, within_hs=None,
        percolating=res.percolating,
        outside_validity=bool(~in_w) if in_w.ndim == 0 else ~in_w,
        warnings=(*msgs, "anisotropic grain conductivity: HS bounds not evaluated"),
        references=res.references,
    )


def _coated(sp: np.ndarray, sc: np.ndarray, si: np.ndarray, pc: np.ndarray, r: np.ndarray,
            t: np.ndarray, phi_i_poisson: np.ndarray, msgs: list[str]) -> PathwayResult:
    delta = (r / (r + t)) ** 3
    p_eff = pc / delta
    if np.any(p_eff >= 1):
        raise InputError("coated grains: phi_c (1 + t/r)^3 reaches 1; use method 'bruggeman'")
    seq = np.asarray(coated_sphere(sc, si, r, t), dtype=float)
    sig = _brugg2(sp, seq, p_eff, 3)
    same = np.isclose(seq, sp, rtol=0, atol=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_coat = np.where(same, 3 * p_eff * seq / (seq + 2 * sig),
                          np.asarray(current_fractions_two_phase(
                              sp, np.where(same, sp + 1.0, seq), sig)[1]))
        # core share of the coated grain's current: delta sigma_c E_c / (sigma_eq E_in)
        ec = 3.0 * si / ((sc + 2.0 * si) + delta * (si - sc))
        core_share = np.where(seq > 0, delta * sc * ec / seq, 0.0)
    core_share = np.where(np.isfinite(core_share), core_share, 0.0)
    f_c = f_coat * core_share
    f_i = f_coat - f_c
    f_p = 1.0 - f_coat
    phi_i = p_eff - pc
    if np.any(p_eff > 0.5):
        msgs.append("coated grains: phi' > 0.5, outside the coated-sphere validity range")
    res = emt_result(sig, [sp, si, sc], [1.0 - p_eff, phi_i, pc], model="three_pathway_coated",
                     percolating=(p_eff > 1.0 / 3.0) & (seq > sp), outside_validity=p_eff > 0.5,
                     warnings=tuple(msgs), references=three_pathway.__references__)
    return PathwayResult(
        scalar_or_array(sig), scalar_or_array(f_p), scalar_or_array(f_i),
        scalar_or_array(f_c), scalar_or_array(1.0 - p_eff), scalar_or_array(phi_i),
        scalar_or_array(pc), scalar_or_array(sc), scalar_or_array(si), "coated", res,
        res.warnings,
    )


def _framework(sp: np.ndarray, sc: np.ndarray, pc: np.ndarray, r: np.ndarray, si: np.ndarray,
               t: np.ndarray, geometry: str) -> PathwayResult:
    sp, sc, pc, r, si, t = np.broadcast_arrays(sp, sc, pc, r, si, t)
    g = _shell_ratio("framework", r, t)
    phi_i = (1.0 - pc) * -np.expm1(-pc * g / (1.0 - pc))
    phi_s = pc + phi_i
    k = _FRAMEWORK_FACTOR[geometry]
    jc = k * pc * sc
    ji = k * phi_i * si
    jp = (1.0 - phi_s) * sp if geometry == "aligned" else 2 * (1.0 - phi_s) * sp / (2 + phi_s)
    sig = jc + ji + jp
    with np.errstate(divide="ignore", invalid="ignore"):
        fc, fi, fp = jc / sig, ji / sig, jp / sig
    zero = sig == 0
    fc, fi, fp = (np.where(zero, v, x) for v, x in ((1.0, fc), (0.0, fi), (0.0, fp)))
    msgs = [f"framework ({geometry}): thin-element asymptote plus additive backfill; "
            "junction resistance not included"]
    if np.any(phi_s > 0.2):
        msgs.append("framework asymptote used with skeleton fraction > 0.2 (thin-element "
                    "limit); use the voxel solver")
    res = emt_result(sig, [sp, si, sc], [1.0 - phi_s, phi_i, pc], model="framework",
                     percolating=True, outside_validity=phi_s > 0.2, warnings=tuple(msgs),
                     references=three_pathway.__references__)
    return PathwayResult(
        scalar_or_array(sig), scalar_or_array(fp), scalar_or_array(fi), scalar_or_array(fc),
        scalar_or_array(1.0 - phi_s), scalar_or_array(phi_i), scalar_or_array(pc),
        scalar_or_array(sc), scalar_or_array(si), "framework", res, res.warnings,
    )
