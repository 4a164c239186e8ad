"""Elastic moduli of composites: conversions, Voigt/Reuss, Hashin-Shtrikman, Mori-Tanaka,
and the Monroe-Newman check (docs/PHYSICS.md section 6). Moduli in Pa.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hylyte._provenance import cites
from hylyte.errors import InputError
from hylyte.physics._common import (
    check_fraction,
    check_fraction_sum,
    check_nonneg,
    check_positive,
    scalar_or_array,
    stack_phases,
)

__all__ = [
    "G_LI",
    "MONROE_NEWMAN_CAVEATS",
    "ElasticBounds",
    "MonroeNewmanCheck",
    "bulk_modulus",
    "hs_elastic_bounds",
    "monroe_newman_check",
    "mori_tanaka",
    "poisson_ratio",
    "reuss",
    "shear_modulus",
    "voigt",
    "youngs_modulus",
]

G_LI = 4.25e9  # shear modulus of polycrystalline Li (quoted 4.2-4.9 GPa) [Pa]

MONROE_NEWMAN_CAVEATS = (
    "linear elasticity, small perturbations, polymer-like Poisson ratio and molar-volume "
    "ratio are assumed; with the molar-volume ratio of inorganic solids the conclusion can "
    "reverse (Ahmad-Viswanathan 2017)",
    "Li creeps and yields at MPa stresses",
    "stiff ceramics (G ~ 60 GPa for LLZO) still short by Li penetration along grain "
    "boundaries, pores and cracks, and via electronic leakage (Porz 2017; Han 2019)",
    "the relevant modulus is the local one at the interface, not the bulk composite value",
)


def _pr(nu: ArrayLike) -> np.ndarray:
    v = np.asarray(nu, dtype=float)
    if np.any(np.isnan(v)) or np.any(v <= -1.0) or np.any(v >= 0.5):
        raise InputError(f"nu (Poisson ratio) must be in (-1, 0.5), got {nu!r}")
    return v


def bulk_modulus(E: ArrayLike, nu: ArrayLike) -> Any:
    """Bulk modulus K = E / (3 (1 - 2 nu)) [Pa] from Young's modulus E [Pa] and nu [-]."""
    return scalar_or_array(check_positive(E, "E") / (3.0 * (1.0 - 2.0 * _pr(nu))))


def shear_modulus(E: ArrayLike, nu: ArrayLike) -> Any:
    """Shear modulus G = E / (2 (1 + nu)) [Pa] from Young's modulus E [Pa] and nu [-]."""
    return scalar_or_array(check_positive(E, "E") / (2.0 * (1.0 + _pr(nu))))


def youngs_modulus(K: ArrayLike, G: ArrayLike) -> Any:
    """Young's modulus E = 9KG / (3K + G) [Pa] from bulk K and shear G moduli [Pa]."""
    KK, GG = check_positive(K, "K"), check_positive(G, "G")
    return scalar_or_array(9 * KK * GG / (3 * KK + GG))


def poisson_ratio(K: ArrayLike, G: ArrayLike) -> Any:
    """Poisson ratio nu = (3K - 2G) / (2 (3K + G)) [-] from K and G [Pa]."""
    KK, GG = check_positive(K, "K"), check_positive(G, "G")
    return scalar_or_array((3 * KK - 2 * GG) / (2 * (3 * KK + GG)))


def _mp(M: ArrayLike, phi: ArrayLike, name: str) -> tuple[np.ndarray, np.ndarray]:
    m = check_nonneg(stack_phases(M, name), name)
    f = stack_phases(phi, "phi")
    m, f = np.broadcast_arrays(m, f)
    check_fraction(f, "phi")
    check_fraction_sum(f, "phi")
    return m, f


@cites("Milton2002")
def voigt(M: ArrayLike, phi: ArrayLike) -> Any:
    """Voigt (uniform strain) average :math:`\\sum_i\\phi_iM_i` [Pa]; an upper bound.

    Parameters
    ----------
    M : sequence of array_like
        Modulus (K or G) of each phase, phases along axis 0 [Pa].
    phi : sequence of array_like
        Volume fractions [-].
    """
    m, f = _mp(M, phi, "M")
    return scalar_or_array((f * m).sum(axis=0))


@cites("Milton2002")
def reuss(M: ArrayLike, phi: ArrayLike) -> Any:
    """Reuss (uniform stress) average :math:`(\\sum_i\\phi_i/M_i)^{-1}` [Pa]; a lower bound.

    Parameters
    ----------
    M : sequence of array_like
        Modulus (K or G) of each phase, phases along axis 0 [Pa].
    phi : sequence of array_like
        Volume fractions [-].
    """
    m, f = _mp(M, phi, "M")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 / np.sum(np.where(f > 0, f / m, 0.0), axis=0)
    return scalar_or_array(np.where(np.isfinite(out), out, 0.0))


@dataclass(frozen=True)
class ElasticBounds:
    """Hashin-Shtrikman bounds on the bulk and shear moduli.

    Attributes
    ----------
    K_lower, K_upper, G_lower, G_upper : float or ndarray
        Bounds [Pa].
    """

    K_lower: Any
    K_upper: Any
    G_lower: Any
    G_upper: Any


def _zeta(K: np.ndarray, G: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = G * (9 * K + 8 * G) / (6 * (K + 2 * G))
    return np.where(np.isfinite(z), z, 0.0)


def _lam(M: np.ndarray, f: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """[sum phi_i/(M_i + ref)]^-1 - ref as the cancellation-free weighted mean."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(f > 0, f / (M + ref), 0.0)
        out = np.sum(w * M, axis=0) / np.sum(w, axis=0)
    return np.where(np.isfinite(out), out, 0.0)


@cites("HashinShtrikman1963", "Milton2002")
def hs_elastic_bounds(K: ArrayLike, G: ArrayLike, phi: ArrayLike) -> ElasticBounds:
    """Hashin-Shtrikman(-Walpole) bounds for an isotropic mixture of isotropic phases.

    Parameters
    ----------
    K, G : sequence of array_like
        Bulk and shear moduli of each phase, phases along axis 0 [Pa].
    phi : sequence of array_like
        Volume fractions [-].

    Returns
    -------
    ElasticBounds

    Notes
    -----
    :math:`K^\\pm=[\\sum_i\\phi_i/(K_i+\\tfrac43G_{\\max/\\min})]^{-1}-\\tfrac43G_{\\max/\\min}`,
    :math:`G^\\pm=[\\sum_i\\phi_i/(G_i+\\zeta_{\\max/\\min})]^{-1}-\\zeta_{\\max/\\min}`,
    :math:`\\zeta=G(9K+8G)/[6(K+2G)]` evaluated with the extreme K and G. For two
    well-ordered phases (K1 <= K2 and G1 <= G2) these are the HS formulas of section 6.

    References
    ----------
    .. [1] Z. Hashin, S. Shtrikman, J. Mech. Phys. Solids 11, 127 (1963),
       doi:10.1016/0022-5096(63)90060-7
    """
    KK, f = _mp(K, phi, "K")
    GG, _ = _mp(G, phi, "G")
    KK, GG, f = np.broadcast_arrays(KK, GG, f)
    pres = f > 0
    Gmax = np.max(np.where(pres, GG, -np.inf), axis=0)
    Gmin = np.min(np.where(pres, GG, np.inf), axis=0)
    Kmax = np.max(np.where(pres, KK, -np.inf), axis=0)
    Kmin = np.min(np.where(pres, KK, np.inf), axis=0)
    return ElasticBounds(
        K_lower=scalar_or_array(_lam(KK, f, 4.0 / 3.0 * Gmin)),
        K_upper=scalar_or_array(_lam(KK, f, 4.0 / 3.0 * Gmax)),
        G_lower=scalar_or_array(_lam(GG, f, _zeta(Kmin, Gmin))),
        G_upper=scalar_or_array(_lam(GG, f, _zeta(Kmax, Gmax))),
    )


@cites("MoriTanaka1973", "Benveniste1987")
def mori_tanaka(
    K_m: ArrayLike, G_m: ArrayLike, K_p: ArrayLike, G_p: ArrayLike, phi: ArrayLike
) -> tuple[Any, Any]:
    """Mori-Tanaka moduli of spherical particles in a matrix.

    Parameters
    ----------
    K_m, G_m : array_like
        Matrix bulk and shear moduli [Pa].
    K_p, G_p : array_like
        Particle bulk and shear moduli [Pa].
    phi : array_like
        Particle volume fraction [-].

    Returns
    -------
    K, G : float or ndarray
        Effective moduli [Pa].

    Notes
    -----
    With :math:`f_m=G_m(9K_m+8G_m)/[6(K_m+2G_m)]`,
    :math:`K=K_m+\\phi(K_p-K_m)/[1+(1-\\phi)(K_p-K_m)/(K_m+\\tfrac43G_m)]` and
    :math:`G=G_m+\\phi(G_p-G_m)/[1+(1-\\phi)(G_p-G_m)/(G_m+f_m)]`. Equals HS- when the
    matrix is the softer phase.
    """
    Km, Gm = check_positive(K_m, "K_m"), check_positive(G_m, "G_m")
    Kp, Gp = check_nonneg(K_p, "K_p"), check_nonneg(G_p, "G_p")
    p = check_fraction(phi, "phi")
    fm = Gm * (9 * Km + 8 * Gm) / (6 * (Km + 2 * Gm))
    K = Km + p * (Kp - Km) / (1 + (1 - p) * (Kp - Km) / (Km + 4.0 / 3.0 * Gm))
    G = Gm + p * (Gp - Gm) / (1 + (1 - p) * (Gp - Gm) / (Gm + fm))
    return scalar_or_array(K), scalar_or_array(G)


@dataclass(frozen=True)
class MonroeNewmanCheck:
    """Indicative Monroe-Newman verdict.

    Attributes
    ----------
    verdict : {"passes", "fails", "inconclusive"}
        passes if G_lower >= required, fails if G_upper < required, else inconclusive
        (depends on the microstructure).
    G_required : float
        factor x G_Li [Pa].
    G_lower, G_upper : float
        Shear modulus bounds of the electrolyte that were compared [Pa].
    passes_lower_bound, passes_upper_bound : bool
        Whether the lower (particulate) and upper estimates reach ``G_required``.
    indicative : bool
        Always True: the criterion is indicative only.
    caveats : tuple of str
        Caveats that must be shown with the verdict.
    """

    verdict: str
    G_required: float
    G_lower: float
    G_upper: float
    passes_lower_bound: bool
    passes_upper_bound: bool
    indicative: bool
    caveats: tuple[str, ...]


@cites("MonroeNewman2005", "Porz2017", "Han2019")
def monroe_newman_check(
    G_lower: float, G_upper: float, *, G_li: float = G_LI, factor: float = 2.0
) -> MonroeNewmanCheck:
    """Compare electrolyte shear-modulus bounds with the Monroe-Newman criterion G >~ 2 G_Li.

    Parameters
    ----------
    G_lower, G_upper : float
        Lower and upper estimates of the electrolyte shear modulus (e.g. HS bounds) [Pa].
    G_li : float, optional
        Shear modulus of lithium [Pa].
    factor : float, optional
        Required ratio to G_Li [-].

    Returns
    -------
    MonroeNewmanCheck
        Verdict marked indicative, with the caveats of section 6.

    References
    ----------
    .. [1] C. Monroe, J. Newman, J. Electrochem. Soc. 152, A396 (2005),
       doi:10.1149/1.1850854
    """
    lo = float(check_nonneg(G_lower, "G_lower"))
    hi = float(check_nonneg(G_upper, "G_upper"))
    if lo > hi:
        raise InputError(f"G_lower ({lo}) must not exceed G_upper ({hi})")
    req = float(check_positive(factor, "factor")) * float(check_positive(G_li, "G_li"))
    verdict = "passes" if lo >= req else ("fails" if hi < req else "inconclusive")
    return MonroeNewmanCheck(verdict, req, lo, hi, lo >= req, hi >= req, True,
                             MONROE_NEWMAN_CAVEATS)
