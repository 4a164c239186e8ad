"""Analytic path: the composite conductivity, t+, pathways and bounds of a composite design.

The model is chosen from the filler shape and orientation (see :func:`composite_model`):

* dispersed spheres, no interphase, loading <= 30 vol%: Maxwell-Garnett with the
  interface-resistance equivalent particle (Hasselman-Johnson, PHYSICS 3.3, 3.7); current
  fractions from the exact two-phase relation (3.9);
* spheres with an interphase: coated grains in a two-phase Bruggeman medium (3.6, 3.9);
  spheres above 30 vol%, fibres, sheets: three-phase Polder-van Santen Bruggeman with the
  filler's depolarisation factors, random or aligned (3.4, 3.9);
* networks and thin scaffolds: framework asymptotes with additive polymer backfill (3.5);
  bicontinuous TPMS and spinodal structures at or above 1/3 loading: symmetric Bruggeman;
* lamellar (ice-templated) walls: exact laminate formulas (parallel along the walls, series
  across them, including the wall interface resistance);
* several filler populations: multiphase Bruggeman with each filler's depolarisation.

Porosity enters as insulating spheres (Maxwell-Garnett) after the solid composite.
The composite t+ is EMT(rho+ sigma_p, sigma_c)/EMT(sigma_p, sigma_c) with the same model
(PHYSICS 4.2).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from hylyte.design import _materials
from hylyte.design import model as m
from hylyte.design.schema import FRAMEWORK_SHAPES, TPMS_SHAPES

MG_PHI_MAX = 0.3  # Maxwell-Garnett used for dispersed spheres up to this loading [-]
DEFAULT_FIBRE_ASPECT = 20.0  # length / diameter when a fibre has no length [-]
DEFAULT_SHEET_ASPECT = 0.02  # thickness / width when a sheet has no width [-]


@dataclass(frozen=True)
class PhaseSigmas:
    """Conductivities of the phases of one composite at the temperatures [S/m]."""

    polymer: np.ndarray
    interphase: list[np.ndarray | None]
    filler: list[np.ndarray]
    R_int: list[np.ndarray]


@dataclass(frozen=True)
class CompositeEstimate:
    """Analytic composite conductivity and pathway split at each temperature.

    Attributes
    ----------
    sigma_through, sigma_in_plane : ndarray
        Effective conductivity through the film and in its plane [S/m].
    f_polymer, f_interphase, f_ceramic : ndarray
        Current fractions (through-plane) [-].
    phi_polymer, phi_interphase, phi_ceramic : float
        Volume fractions used [-].
    sigma_filler_eq : ndarray
        Filler conductivity including the interface resistance (lowest direction) [S/m].
    model : str
        Name of the estimate.
    isotropic : bool
        Whether the estimate is isotropic (HS bounds apply).
    notes : tuple of str
        Validity messages of the models used.
    models : tuple
        Model functions called (for provenance).
    phase_list : tuple of (ndarray, float)
        (conductivity [S/m], solid volume fraction [-]) of every phase when there are more
        than the three of the pathway model (several fillers); used for the bounds.
    """

    sigma_through: np.ndarray
    sigma_in_plane: np.ndarray
    f_polymer: np.ndarray
    f_interphase: np.ndarray
    f_ceramic: np.ndarray
    phi_polymer: float
    phi_interphase: float
    phi_ceramic: float
    sigma_filler_eq: np.ndarray
    sigma_interphase: np.ndarray
    model: str
    isotropic: bool
    notes: tuple[str, ...]
    models: tuple[Any, ...]
    phase_list: tuple[tuple[np.ndarray, float], ...] = ()


def _interface_asr(f: m.Filler, T: np.ndarray) -> np.ndarray:
    """Thermally activated interface ASR at T [ohm m^2] (PHYSICS 5.1 form)."""
    from hylyte.units import K_B_EV

    if f.interface is None:
        return np.zeros_like(T)
    itf = f.interface
    return itf.asr_ohm_m2 * np.exp(itf.Ea_eV / K_B_EV * (1.0 / T - 1.0 / itf.T_ref_K))


def dissociation_factor(design: m.CompositeDesign) -> float:
    """Lewis acid-base enhancement of the polymer conductivity [-] (1 when not requested).

    Uses the total filler fraction and the volume-weighted mean radius of the fillers, with
    the polymer's salt concentration (1000 mol/m^3 when the library has none).
    """
    if design.lewis_sites_mol_per_m2 is None or not design.fillers:
        return 1.0
    from hylyte.physics.filler_effects import dissociation_enhancement

    phi = sum(f.fraction for f in design.fillers)
    if phi <= 0:
        return 1.0
    r = sum(f.fraction * 0.5 * (f.size_m or 1e-6) for f in design.fillers) / phi
    _, c = _materials.diffusion(_materials.matrix_material(design.matrix))
    return float(dissociation_enhancement(
        phi, radius=r, site_density=design.lewis_sites_mol_per_m2,
        c_salt=1000.0 if c is None else c, alpha_0=design.alpha_0,
        alpha_max=design.alpha_max))


def phase_sigmas(design: m.CompositeDesign, T: np.ndarray) -> PhaseSigmas:
    """Conductivity of matrix, fillers and interphases at ``T`` [K] -> [S/m]."""
    mat = _materials.matrix_material(design.matrix)
    sp = design.sigma_factor * _materials.sigma(mat, T) * dissociation_factor(design)
    inter, fill, R = [], [], []
    for f in design.fillers:
        fill.append(_materials.sigma(_materials.get(f.material), T))
        R.append(_interface_asr(f, T))
        if f.interphase is None or f.interphase.thickness_m == 0:
            inter.append(None)
        elif f.interphase.sigma_S_per_m is not None:
            inter.append(np.full_like(T, f.interphase.sigma_S_per_m))
        else:
            inter.append(sp * f.interphase.ratio)
    return PhaseSigmas(sp, inter, fill, R)


def _aspect(f: m.Filler) -> float:
    if f.shape == "fibre":
        if f.length_m is None or f.size_m is None:
            return DEFAULT_FIBRE_ASPECT
        return max(f.length_m / f.size_m, 1.0 + 1e-6)
    if f.shape == "sheet":
        if f.width_m is None or f.size_m is None:
            return DEFAULT_SHEET_ASPECT
        return min(f.size_m / f.width_m, 1.0 - 1e-6)
    return 1.0


def composite_model(design: m.CompositeDesign) -> str:
    """Name of the analytic model :func:`estimate` uses for this design."""
    fillers = [f for f in design.fillers if f.fraction > 0]
    if not fillers:
        return "matrix only"
    if len(fillers) > 1:
        return "multiphase Bruggeman"
    f = fillers[0]
    phi = f.fraction / (1.0 - design.porosity) if design.porosity else f.fraction
    if f.shape == "lamellar":
        return "laminate (Wiener)"
    if f.shape == "network":
        return "framework asymptote (random struts)"
    if f.shape in TPMS_SHAPES or f.shape == "spinodal":
        return ("Bruggeman (bicontinuous)" if phi >= 1.0 / 3.0
                else "framework asymptote (random struts)")
    if f.shape == "sphere":
        has_ip = f.interphase is not None and f.interphase.thickness_m > 0
        if has_ip:
            return "coated-grain Bruggeman"
        return "Maxwell-Garnett (Hasselman-Johnson)" if phi <= MG_PHI_MAX else "Bruggeman"
    kind = "aligned" if f.orientation == "aligned" else (
        "in-plane" if f.orientation == "in-plane" else "random")
    return f"Polder-van Santen Bruggeman ({f.shape}s, {kind})"


def _single(design: m.CompositeDesign, f: m.Filler, sp: np.ndarray, sc: np.ndarray,
            si: np.ndarray | None, R: np.ndarray, phi: float) -> CompositeEstimate:
    """One filler population in the polymer (solid fractions: no porosity)."""
    from hylyte.physics import emt, interphase, pathways

    model = composite_model(design)
    notes: list[str] = []
    r = 0.5 * f.size_m if f.size_m is not None else 1e-6
    t_i = 0.0 if si is None or f.interphase is None else f.interphase.thickness_m
    s_i = sp if si is None else si
    n = sp.shape
    if f.shape == "lamellar":
        ell = f.size_m if f.size_m is not None else 1e-6
        sc_eq = sc / (1.0 + 2.0 * R * sc / ell) if np.any(R > 0) else sc
        phi_i = min(2.0 * t_i / ell * phi, 1.0 - phi) if t_i > 0 else 0.0
        phi_p = 1.0 - phi - phi_i
        par = phi_p * sp + phi_i * s_i + phi * sc
        with np.errstate(divide="ignore"):
            ser_inv = (phi_p / sp + (phi_i / s_i if phi_i > 0 else 0.0)
                       + np.where(sc > 0, phi / np.where(sc > 0, sc, 1.0), np.inf)
                       + 2.0 * R * phi / ell)
        ser = np.where(np.isfinite(ser_inv), 1.0 / ser_inv, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fp_par, fi_par, fc_par = phi_p * sp / par, phi_i * s_i / par, phi * sc / par
        if f.orientation == "random":
            through = inplane = (2.0 * par + ser) / 3.0
            w = 2.0 * par / (3.0 * through)
            fp = w * fp_par + (1 - w) * phi_p
            fi = w * fi_par + (1 - w) * phi_i
            fc = w * fc_par + (1 - w) * phi
            notes.append("random lamellae: orientation average of the laminate tensor "
                         "(an upper estimate)")
            iso = True
        elif f.orientation == "aligned" and f.axis == "through-plane":
            through, inplane = par, 0.5 * (par + ser)
            fp, fi, fc = fp_par, fi_par, fc_par
            iso = False
        else:  # walls lying in the film plane: series through the film
            through, inplane = ser, par
            fp, fi, fc = (np.full(n, phi_p), np.full(n, phi_i), np.full(n, phi))
            iso = False
        return CompositeEstimate(through, inplane, fp, fi, fc, phi_p, phi_i, phi, sc_eq,
                                 s_i, model, iso, tuple(notes), (emt.wiener_bounds,))
    if model.startswith("Maxwell-Garnett"):
        sigma = np.asarray(interphase.hasselman_johnson(sp, sc, phi, radius=r, R_int=R),
                           dtype=float)
        sc_eq = np.asarray(interphase.sigma_c_eq(sc, R, 2.0 * r, shape="sphere"), dtype=float)
        same = np.isclose(sc_eq, sp, rtol=1e-12, atol=0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            fc = np.where(same, phi, np.asarray(
                emt.current_fractions_two_phase(sp, np.where(same, 2 * sp, sc_eq), sigma)[1]))
        fc = np.where(np.isfinite(fc), fc, 0.0)
        if phi > 0.2:
            notes.append(f"Maxwell-Garnett at {100 * phi:.0f} vol%: dilute model near its "
                         "validity limit (30 vol%)")
        return CompositeEstimate(sigma, sigma, 1.0 - fc, np.zeros(n), fc, 1.0 - phi, 0.0, phi,
                                 sc_eq, s_i, model, True, tuple(notes),
                                 (interphase.hasselman_johnson, emt.current_fractions_two_phase))
    clipped = False
    kw: dict[str, Any] = {"radius": r, "t_i": t_i, "R_int": R}
    if si is not None:
        kw["sigma_i"] = si
    if f.shape == "network" or (f.shape in FRAMEWORK_SHAPES and not model.startswith("Brugg")):
        if np.any(R > 0):
            notes.append("interface resistance does not act along a continuous skeleton; it "
                         "is left out of the framework asymptote")
        kw["R_int"] = 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # bound messages are replaced by the clipping
            res = pathways.three_pathway(sp, sc, phi, shape="framework",
                                         framework="random_struts", **kw)
        raw = np.asarray(res.sigma_eff, dtype=float)
        lo, hi = emt.hs_bounds([sp, np.broadcast_to(res.sigma_interphase, n), sc],
                               [np.full(n, res.phi_polymer), np.full(n, res.phi_interphase),
                                np.full(n, res.phi_ceramic)])
        through = inplane = np.clip(raw, lo, hi)
        clipped = bool(np.any(through != raw))
        if clipped:
            notes.append("framework asymptote (a thin-strut, high-contrast limit) clipped to "
                         "the Hashin-Shtrikman bounds where it falls outside them")
        fp, fi, fc = res.f_polymer, res.f_interphase, res.f_ceramic
        iso = True
    elif f.shape in FRAMEWORK_SHAPES or f.shape == "sphere":
        method = "coated" if model.startswith("coated") else "bruggeman"
        if method == "coated" and phi * (1.0 + t_i / r) ** 3 >= 0.5:
            method = "bruggeman"
            model = "Bruggeman (three-phase)"
            notes.append("coated grains exceed 50 vol%: three-phase Bruggeman used instead")
        res = pathways.three_pathway(sp, sc, phi, shape="sphere", method=method, **kw)
        through = inplane = np.asarray(res.sigma_eff, dtype=float)
        fp, fi, fc = res.f_polymer, res.f_interphase, res.f_ceramic
        iso = True
        if f.shape in FRAMEWORK_SHAPES:
            notes.append("bicontinuous scaffold treated as a symmetric (Bruggeman) medium; "
                         "the voxel path resolves the actual geometry")
    else:  # fibres and sheets
        aspect = _aspect(f)
        if f.orientation == "random":
            res = pathways.three_pathway(sp, sc, phi, shape=f.shape, orientation="random",
                                         aspect=aspect, **kw)
            through = inplane = np.asarray(res.sigma_eff, dtype=float)
            fp, fi, fc = res.f_polymer, res.f_interphase, res.f_ceramic
            iso = True
        else:
            res = pathways.three_pathway(sp, sc, phi, shape=f.shape, orientation="aligned",
                                         aspect=aspect, **kw)
            sig = np.asarray(res.sigma_eff, dtype=float)  # (axis, transverse)
            # the symmetry axis is the fibre axis, or the sheet normal
            long_through = (f.axis == "through-plane") == (f.shape == "fibre")
            if f.orientation == "in-plane" and f.shape == "fibre":
                long_through = False
            j_through = 0 if long_through else 1
            j_in = 1 - j_through
            if f.orientation == "in-plane":
                notes.append("in-plane orientation approximated as aligned in the film plane")
            through, inplane = sig[j_through], sig[j_in]
            fp = np.asarray(res.f_polymer)[j_through]
            fi = np.asarray(res.f_interphase)[j_through]
            fc = np.asarray(res.f_ceramic)[j_through]
            iso = False
    sc_eq = np.asarray(res.sigma_ceramic_eq, dtype=float)
    if sc_eq.ndim > sp.ndim:
        sc_eq = sc_eq.min(axis=0)
    notes.extend(w for w in res.warnings
                 if w not in notes and not (clipped and "bound" in w.lower()))
    return CompositeEstimate(
        np.asarray(through, float), np.asarray(inplane, float), np.asarray(fp, float),
        np.asarray(fi, float), np.asarray(fc, float), float(np.mean(res.phi_polymer)),
        float(np.mean(res.phi_interphase)), float(np.mean(res.phi_ceramic)),
        np.broadcast_to(sc_eq, n).astype(float), np.broadcast_to(
            np.asarray(res.sigma_interphase, float), n).astype(float), model, iso,
        tuple(notes), (pathways.three_pathway,))


def _multi(design: m.CompositeDesign, ps: PhaseSigmas, phis: list[float]) -> CompositeEstimate:
    """Several filler populations: multiphase Bruggeman with per-phase depolarisation."""
    from hylyte.physics import emt, interphase

    sp = ps.polymer
    sigmas = [sp]
    fracs = [1.0 - sum(phis)]
    depol = [(1 / 3, 1 / 3, 1 / 3)]
    notes = ["several filler populations: multiphase Bruggeman; interphase shells are not "
             "included, aligned fillers are treated as randomly oriented"]
    for f, sc, R, phi in zip(design.fillers, ps.filler, ps.R_int, phis, strict=True):
        size = f.size_m if f.size_m is not None else 1e-6
        shape = "sphere" if f.shape not in ("fibre", "sheet") else f.shape
        sc_eq = (np.asarray(interphase.sigma_c_eq(sc, R, size, shape=shape), float)
                 if np.any(R > 0) and shape != "sheet" else sc)
        sigmas.append(np.broadcast_to(sc_eq, sp.shape))
        fracs.append(phi)
        if f.shape in ("fibre", "sheet"):
            Na, Nb = emt.depolarization_factors(_aspect(f))
            depol.append((float(Na), float(Nb), float(Nb)))
        else:
            depol.append((1 / 3, 1 / 3, 1 / 3))
    S = np.stack(sigmas)
    F = np.array(fracs)[:, None] * np.ones_like(sp)[None]
    N = np.array(depol)
    sigma = np.asarray(emt.bruggeman(S, F, depolarization=N), float)
    fr = np.asarray(emt.current_fractions_bruggeman(S, F, sigma, depolarization=N), float)
    fc = fr[1:].sum(axis=0)
    return CompositeEstimate(sigma, sigma, fr[0], np.zeros_like(sp), fc, fracs[0], 0.0,
                             float(sum(phis)), S[1:].min(axis=0), sp, "multiphase Bruggeman",
                             True, tuple(notes), (emt.bruggeman, emt.current_fractions_bruggeman),
                             tuple((S[i], float(fracs[i])) for i in range(len(fracs))))


def estimate(design: m.CompositeDesign, ps: PhaseSigmas) -> CompositeEstimate:
    """Composite estimate for given phase conductivities (see module docstring)."""
    from hylyte.physics import emt

    sp = np.asarray(ps.polymer, dtype=float)
    fillers = [(f, sc, si, R) for f, sc, si, R in
               zip(design.fillers, ps.filler, ps.interphase, ps.R_int, strict=True)
               if f.fraction > 0]
    solid = 1.0 - design.porosity
    if not fillers:
        est = CompositeEstimate(sp, sp, np.ones_like(sp), np.zeros_like(sp),
                                np.zeros_like(sp), 1.0, 0.0, 0.0, np.zeros_like(sp), sp,
                                "matrix only", True, (), ())
    elif len(fillers) == 1:
        f, sc, si, R = fillers[0]
        est = _single(design, f, sp, sc, si, R, f.fraction / solid)
    else:
        est = _multi(design, replace(ps, filler=[x[1] for x in fillers],
                                     R_int=[x[3] for x in fillers]),
                     [x[0].fraction / solid for x in fillers])
    if design.porosity > 0:
        eps = design.porosity
        k = 2.0 * (1.0 - eps) / (2.0 + eps)  # MG insulating spheres
        est = replace(
            est, sigma_through=est.sigma_through * k, sigma_in_plane=est.sigma_in_plane * k,
            phi_polymer=est.phi_polymer * solid, phi_interphase=est.phi_interphase * solid,
            phi_ceramic=est.phi_ceramic * solid, models=(*est.models, emt.maxwell_garnett),
            notes=(*est.notes, f"porosity {100 * eps:.3g} vol% as insulating spheres "
                               "(Maxwell-Garnett)"))
    return est


def bounds(est: CompositeEstimate, sp: np.ndarray, porosity: float
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(HS-, HS+, Wiener-, Wiener+) [S/m] of the phases the estimate used."""
    from hylyte.physics import emt

    if est.phase_list:
        solid = 1.0 - porosity
        S = [np.asarray(s_, float) for s_, _ in est.phase_list]
        F = [np.full_like(sp, f_ * solid) for _, f_ in est.phase_list]
    else:
        S = [sp, est.sigma_interphase, est.sigma_filler_eq]
        F = [np.full_like(sp, est.phi_polymer), np.full_like(sp, est.phi_interphase),
             np.full_like(sp, est.phi_ceramic)]
    if porosity > 0:
        S.append(np.zeros_like(sp))
        F.append(np.full_like(sp, porosity))
    keep = [i for i, f in enumerate(F) if np.any(f > 0)]
    S = [S[i] for i in keep]
    F = [F[i] for i in keep]
    if len(S) == 1:
        return S[0], S[0], S[0], S[0]
    lo, hi = emt.hs_bounds(S, F)
    wl, wu = emt.wiener_bounds(S, F)
    return (np.asarray(lo, float), np.asarray(hi, float), np.asarray(wl, float),
            np.asarray(wu, float))


def transference(design: m.CompositeDesign, ps: PhaseSigmas, est: CompositeEstimate,
                 rho_plus_polymer: float) -> np.ndarray:
    """Composite t+ = EMT(rho+ sigma_p, ...) / EMT(sigma_p, ...) (PHYSICS 4.2)."""
    inter = []
    for f, si in zip(design.fillers, ps.interphase, strict=True):
        if si is None:
            inter.append(None)
        else:
            rp = rho_plus_polymer if f.interphase.rho_plus is None else f.interphase.rho_plus
            inter.append(si * rp)
    ss = estimate(design, replace(ps, polymer=ps.polymer * rho_plus_polymer, interphase=inter))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = ss.sigma_through / est.sigma_through
    return np.where(np.isfinite(t), t, rho_plus_polymer)


__all__ = ["CompositeEstimate", "PhaseSigmas", "bounds", "composite_model", "estimate",
           "phase_sigmas", "transference"]
