"""Effective-medium estimates and rigorous bounds for the conductivity of composites.

All functions are quasi-static, scalar (locally isotropic phases) and vectorised over numpy
broadcasting: pass conductivities, fractions and sizes as arrays (for example a loading x size x
temperature grid) and get an array back. Multiphase inputs list one entry per phase along axis
0 (a sequence of arrays or an array whose first axis is the phase). Conductivities are in S/m,
fractions are volume fractions of the whole composite.

Equations follow docs/PHYSICS.md section 3; the field-equation analogy (dielectric, thermal,
diffusive) carries every result over unchanged.
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
    check_fraction_sum,
    check_positive,
    scalar_or_array,
    stack_phases,
)

__all__ = [
    "EMTResult",
    "TraceBoundCheck",
    "bruggeman",
    "bruggeman_threshold",
    "bruggeman_two_phase",
    "composite_conductivity",
    "current_fractions_bruggeman",
    "current_fractions_two_phase",
    "depolarization_factors",
    "emt_result",
    "framework_asymptote",
    "gem",
    "hs_bounds",
    "hs_bounds_two_phase",
    "maxwell_garnett",
    "mg_aligned_spheroids",
    "mg_ellipsoid_axis",
    "mg_oriented_spheroids",
    "mg_random_spheroids",
    "trace_bounds",
    "wiener_bounds",
]

_LN_SPAN = 700.0  # lower end of the ln-sigma bracket below max sigma when a phase is 0 [-]
_X_TOL = 1e-15  # bisection stops when the ln-sigma bracket is narrower than this [-]
_MG_PHI_MAX = 0.3  # stated validity of dilute Maxwell-Garnett [-]
_SERIES_EPS = 2e-2  # |p - 1| below which the depolarisation series is used [-]
#: Taylor coefficients of N_a(1 + eps) (the same on both sides of p = 1)
_N_SERIES = (1 / 3, -4 / 15, 6 / 35, -32 / 315, 40 / 693, -32 / 1001, 112 / 6435,
             -1024 / 109395, 1152 / 230945, -2560 / 969969, 2816 / 2028117,
             -12288 / 16900975)


# --------------------------------------------------------------------------------------------
# bounds
# --------------------------------------------------------------------------------------------
def _phases(sigma: ArrayLike, phi: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    s = stack_phases(sigma, "sigma")
    f = stack_phases(phi, "phi")
    if s.shape[0] != f.shape[0]:
        raise InputError(
            f"sigma and phi must list the same number of phases, got {s.shape[0]} and "
            f"{f.shape[0]}"
        )
    s, f = np.broadcast_arrays(s, f)
    check_conductivity(s, "sigma")
    check_fraction(f, "phi")
    check_fraction_sum(f, "phi")
    return np.array(s, dtype=float), np.array(f, dtype=float)


@cites("Milton2002")
def wiener_bounds(sigma: ArrayLike, phi: ArrayLike) -> tuple[Any, Any]:
    """Wiener (series and parallel) bounds for any microstructure.

    Parameters
    ----------
    sigma : sequence of array_like
        Conductivity of each phase, phases along axis 0 [S/m].
    phi : sequence of array_like
        Volume fraction of each phase, adding up to one [-].

    Returns
    -------
    lower, upper : float or ndarray
        Harmonic (series) and arithmetic (parallel) means [S/m].

    Notes
    -----
    :math:`(\\sum_i \\phi_i/\\sigma_i)^{-1} \\le \\sigma_{kk} \\le \\sum_i \\phi_i\\sigma_i`,
    attained by laminates in series and in parallel. A phase with sigma = 0 and phi > 0 gives
    a lower bound of 0.

    References
    ----------
    .. [1] G. W. Milton, The Theory of Composites, Cambridge Univ. Press (2002).

    Examples
    --------
    >>> lo, hi = wiener_bounds([1.0, 10.0], [0.7, 0.3])
    >>> round(lo, 6), round(hi, 6)
    (1.369863, 3.7)
    """
    s, f = _phases(sigma, phi)
    upper = np.sum(f * s, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(f > 0, f / s, 0.0)
        lower = 1.0 / np.sum(terms, axis=0)
    lower = np.where(np.isfinite(lower), lower, 0.0)
    return scalar_or_array(lower), scalar_or_array(upper)


def _hs_lambda(s: np.ndarray, f: np.ndarray, ref: np.ndarray, d: int) -> np.ndarray:
    """Lambda(ref) = [sum phi_i/(sigma_i + (d-1) ref)]^-1 - (d-1) ref.

    Evaluated as the weighted mean sum w_i sigma_i / sum w_i with
    w_i = phi_i/(sigma_i + (d-1) ref) (identical because sum phi_i = 1), which has no
    cancellation; ref = 0 means an insulating phase is present and gives 0.
    """
    c = (d - 1) * ref
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(f > 0, f / (s + c), 0.0)
        out = np.sum(w * s, axis=0) / np.sum(w, axis=0)
    return np.where((ref > 0) & np.isfinite(out), out, 0.0)


@cites("HashinShtrikman1962", "Milton2002")
def hs_bounds(sigma: ArrayLike, phi: ArrayLike, *, d: int = 3) -> tuple[Any, Any]:
    """Hashin-Shtrikman bounds for an isotropic mixture of any number of phases.

    Parameters
    ----------
    sigma : sequence of array_like
        Conductivity of each phase, phases along axis 0 [S/m].
    phi : sequence of array_like
        Volume fraction of each phase, adding up to one [-].
    d : int, optional
        Spatial dimension (2 or 3) [-].

    Returns
    -------
    lower, upper : float or ndarray
        HS lower and upper bounds [S/m].

    Notes
    -----
    With :math:`\\Lambda(s)=[\\sum_i\\phi_i/(\\sigma_i+(d-1)s)]^{-1}-(d-1)s`,
    :math:`\\sigma^{+}=\\Lambda(\\sigma_{\\max})` and :math:`\\sigma^{-}=\\Lambda(\\sigma_{\\min})`
    (only phases with phi > 0 count for the extremes). For two phases this equals
    :func:`hs_bounds_two_phase`; MG with the less (more) conducting phase as matrix attains the
    lower (upper) bound.

    References
    ----------
    .. [1] Z. Hashin, S. Shtrikman, J. Appl. Phys. 33, 3125 (1962), doi:10.1063/1.1728579
    .. [2] G. W. Milton, The Theory of Composites (2002), ch. 23.

    Examples
    --------
    >>> lo, hi = hs_bounds([1.0, 10.0], [0.7, 0.3])
    >>> round(lo, 6), round(hi, 6)
    (1.870968, 3.076923)
    """
    if d not in (2, 3):
        raise InputError(f"d must be 2 or 3, got {d!r}")
    s, f = _phases(sigma, phi)
    present = f > 0
    smax = np.max(np.where(present, s, -np.inf), axis=0)
    smin = np.min(np.where(present, s, np.inf), axis=0)
    return (scalar_or_array(_hs_lambda(s, f, smin, d)),
            scalar_or_array(_hs_lambda(s, f, smax, d)))


@cites("HashinShtrikman1962")
def hs_bounds_two_phase(
    sigma1: ArrayLike, sigma2: ArrayLike, phi2: ArrayLike, *, d: int = 3
) -> tuple[Any, Any]:
    """Closed-form two-phase Hashin-Shtrikman bounds.

    Parameters
    ----------
    sigma1, sigma2 : array_like
        Conductivities of phases 1 and 2 (any order) [S/m].
    phi2 : array_like
        Volume fraction of phase 2 [-].
    d : int, optional
        Spatial dimension [-].

    Returns
    -------
    lower, upper : float or ndarray
        HS bounds [S/m].

    Notes
    -----
    With :math:`\\sigma_a\\le\\sigma_b` and fractions :math:`\\phi_a,\\phi_b`:
    :math:`\\sigma^-=\\sigma_a+\\phi_b/[1/(\\sigma_b-\\sigma_a)+\\phi_a/(d\\sigma_a)]`,
    :math:`\\sigma^+=\\sigma_b+\\phi_a/[1/(\\sigma_a-\\sigma_b)+\\phi_b/(d\\sigma_b)]`.
    Written here in the equivalent MG form (no division by a zero contrast).

    References
    ----------
    .. [1] Z. Hashin, S. Shtrikman, J. Appl. Phys. 33, 3125 (1962), doi:10.1063/1.1728579
    """
    s1 = check_conductivity(sigma1, "sigma1")
    s2 = check_conductivity(sigma2, "sigma2")
    p2 = check_fraction(phi2, "phi2")
    lo_s, hi_s = np.minimum(s1, s2), np.maximum(s1, s2)
    phi_hi = np.where(s2 >= s1, p2, 1.0 - p2)
    lower = _mg_axis(lo_s, hi_s, phi_hi, 1.0 / d)
    upper = _mg_axis(hi_s, lo_s, 1.0 - phi_hi, 1.0 / d)
    return scalar_or_array(lower), scalar_or_array(upper)


@dataclass(frozen=True)
class TraceBoundCheck:
    """Result of the anisotropic (trace) bound check.

    Attributes
    ----------
    lower_lhs, lower_rhs : ndarray
        :math:`\\sum_j 1/(\\lambda_j-\\sigma_1)` and its bound [m/S].
    upper_lhs, upper_rhs : ndarray
        :math:`\\sum_j 1/(\\sigma_2-\\lambda_j)` and its bound [m/S].
    satisfied : bool or ndarray of bool
        Both inequalities hold (relative slack ``rtol``).
    """

    lower_lhs: Any
    lower_rhs: Any
    upper_lhs: Any
    upper_rhs: Any
    satisfied: Any


@cites("Milton2002")
def trace_bounds(
    eigenvalues: ArrayLike,
    sigma1: ArrayLike,
    sigma2: ArrayLike,
    phi2: ArrayLike,
    *,
    d: int = 3,
    rtol: float = 1e-8,
) -> TraceBoundCheck:
    """Trace bounds on the eigenvalues of an anisotropic two-phase conductivity tensor.

    Parameters
    ----------
    eigenvalues : array_like, shape (d, ...)
        Principal conductivities of the composite, along axis 0 [S/m].
    sigma1, sigma2 : array_like
        Conductivities of the two phases with ``sigma1 <= sigma2`` [S/m].
    phi2 : array_like
        Volume fraction of phase 2 [-].
    d : int, optional
        Spatial dimension [-].
    rtol : float, optional
        Relative slack allowed on each inequality [-].

    Returns
    -------
    TraceBoundCheck
        Both sides of each inequality and whether they hold.

    Notes
    -----
    .. math::
        \\sum_j\\frac{1}{\\lambda_j-\\sigma_1}\\le\\frac{d}{\\phi_2(\\sigma_2-\\sigma_1)}
        +\\frac{\\phi_1}{\\phi_2\\sigma_1},\\qquad
        \\sum_j\\frac{1}{\\sigma_2-\\lambda_j}\\le\\frac{d}{\\phi_1(\\sigma_2-\\sigma_1)}
        -\\frac{\\phi_2}{\\phi_1\\sigma_2}

    They reduce to the HS bounds for isotropic tensors and hold with equality for simple
    laminates. Degenerate cases (phi2 in {0, 1}, equal phases, sigma1 = 0) count as satisfied
    where a side is infinite.

    References
    ----------
    .. [1] G. W. Milton, The Theory of Composites (2002), section 23.
    """
    lam = stack_phases(eigenvalues, "eigenvalues")
    s1 = check_conductivity(sigma1, "sigma1")
    s2 = check_conductivity(sigma2, "sigma2")
    p2 = check_fraction(phi2, "phi2")
    if np.any(s1 > s2):
        raise InputError("trace_bounds needs sigma1 <= sigma2 element-wise")
    p1 = 1.0 - p2
    with np.errstate(divide="ignore", invalid="ignore"):
        l_lhs = np.sum(1.0 / (lam - s1), axis=0)
        l_rhs = d / (p2 * (s2 - s1)) + p1 / (p2 * s1)
        u_lhs = np.sum(1.0 / (s2 - lam), axis=0)
        u_rhs = d / (p1 * (s2 - s1)) - p2 / (p1 * s2)
        ok_l = (l_lhs <= l_rhs * (1 + rtol)) | ~np.isfinite(l_rhs) | np.isnan(l_lhs)
        ok_u = (u_lhs <= u_rhs * (1 + rtol)) | ~np.isfinite(u_rhs) | np.isnan(u_lhs)
        # eigenvalues below sigma1 or above sigma2 violate Wiener and hence the bounds
        inside = np.all((lam >= s1 * (1 - rtol)) & (lam <= s2 * (1 + rtol)), axis=0)
    ok = ok_l & ok_u & inside
    return TraceBoundCheck(
        scalar_or_array(l_lhs), scalar_or_array(l_rhs), scalar_or_array(u_lhs),
        scalar_or_array(u_rhs), ok if np.ndim(ok) else bool(ok),
    )


# --------------------------------------------------------------------------------------------
# Maxwell-Garnett family
# --------------------------------------------------------------------------------------------
def _mg_axis(sm: np.ndarray, sf: np.ndarray, phi: np.ndarray, N: Any) -> np.ndarray:
    """sigma_m + phi sigma_m (sf - sm) / (sm + N (1 - phi)(sf - sm)), safe for sm = 0."""
    diff = sf - sm
    den = sm + N * (1.0 - phi) * diff
    with np.errstate(divide="ignore", invalid="ignore"):
        out = sm + phi * sm * diff / den
    # den = 0 only when sm = 0 and (N = 0 or phi = 1 or sf = 0): limits taken explicitly
    lim = np.where((N == 0) | (phi == 1), phi * sf, 0.0)
    return np.where(den == 0, lim, out)


@cites("MaxwellGarnett1904")
def maxwell_garnett(sigma_m: ArrayLike, sigma_f: ArrayLike, phi: ArrayLike) -> Any:
    """Maxwell-Garnett conductivity of spheres dispersed in a continuous matrix.

    Parameters
    ----------
    sigma_m : array_like
        Matrix conductivity [S/m].
    sigma_f : array_like
        Filler (sphere) conductivity [S/m].
    phi : array_like
        Filler volume fraction, ``0 <= phi <= 1`` [-].

    Returns
    -------
    float or ndarray
        Effective conductivity [S/m].

    Notes
    -----
    .. math:: \\sigma_{MG}=\\sigma_m\\frac{1+2\\phi\\beta}{1-\\phi\\beta},\\qquad
              \\beta=\\frac{\\sigma_f-\\sigma_m}{\\sigma_f+2\\sigma_m}

    Equals HS- when the matrix is the less conducting phase and HS+ otherwise. Valid for
    non-touching inclusions, phi <~ 0.3; it never percolates. Use
    :func:`composite_conductivity` for the same estimate with flags and warnings.

    References
    ----------
    .. [1] J. C. Maxwell Garnett, Phil. Trans. R. Soc. A 203, 385 (1904),
       doi:10.1098/rsta.1904.0024

    Examples
    --------
    >>> round(maxwell_garnett(1.0, 0.0, 0.2), 7)   # insulating spheres: 2(1-phi)/(2+phi)
    0.7272727
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sf = check_conductivity(sigma_f, "sigma_f")
    p = check_fraction(phi, "phi")
    return scalar_or_array(_mg_axis(sm, sf, p, 1.0 / 3.0))


@cites("Osborn1945")
def depolarization_factors(aspect: ArrayLike) -> tuple[Any, Any]:
    """Depolarisation factors of a spheroid.

    Parameters
    ----------
    aspect : array_like
        Aspect ratio p = a/b of the spheroid (a along the symmetry axis): p > 1 prolate
        (fibres), p < 1 oblate (platelets); ``0 <= p <= inf`` (0: infinite plate,
        inf: infinite needle) [-].

    Returns
    -------
    N_axis, N_transverse : float or ndarray
        Factor along the symmetry axis and along each transverse axis,
        ``N_axis + 2 N_transverse = 1`` [-].

    Notes
    -----
    .. math::
        N_a=\\frac{1}{p^2-1}\\Big[\\frac{p}{\\sqrt{p^2-1}}\\ln(p+\\sqrt{p^2-1})-1\\Big]\\ (p>1),
        \\quad N_a=\\frac{1}{1-p^2}\\Big[1-\\frac{p}{\\sqrt{1-p^2}}\\arccos p\\Big]\\ (p<1)

    For :math:`|p-1|<0.02` the Taylor series
    :math:`N_a=1/3-4\\epsilon/15+6\\epsilon^2/35-32\\epsilon^3/315+\\dots` (11 terms,
    truncation < 1e-18) with :math:`\\epsilon=p-1` replaces the closed forms, which lose
    accuracy to cancellation near p = 1 (relative error ~1e-16/eps^2).

    References
    ----------
    .. [1] J. A. Osborn, Phys. Rev. 67, 351 (1945), doi:10.1103/PhysRev.67.351

    Examples
    --------
    >>> round(depolarization_factors(10.0)[0], 8)
    0.02028588
    """
    p = as_aspect(aspect)
    eps = p - 1.0
    near = np.abs(eps) < _SERIES_EPS
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        pr = np.where(p > 1 + _SERIES_EPS / 2, p, 2.0)
        q = np.sqrt(pr * pr - 1.0)
        n_pro = (pr / q * np.arccosh(pr) - 1.0) / (pr * pr - 1.0)
        po = np.where(p < 1 - _SERIES_EPS / 2, p, 0.5)
        r = np.sqrt(1.0 - po * po)
        n_obl = (1.0 - po / r * np.arccos(po)) / (1.0 - po * po)
    series = np.zeros_like(eps)
    for c in _N_SERIES[::-1]:
        series = series * np.where(near, eps, 0.0) + c
    Na = np.where(near, series, np.where(p > 1, n_pro, n_obl))
    Na = np.where(np.isinf(p), 0.0, Na)
    Na = np.where(p == 0, 1.0, Na)
    return scalar_or_array(Na), scalar_or_array((1.0 - Na) / 2.0)


def as_aspect(aspect: ArrayLike) -> np.ndarray:
    """Validate an aspect ratio in [0, inf]."""
    p = np.asarray(aspect, dtype=float)
    if np.any(np.isnan(p)) or np.any(p < 0):
        raise InputError(f"aspect must be in [0, inf], got {aspect!r}")
    return p


@cites("MaxwellGarnett1904", "Osborn1945")
def mg_ellipsoid_axis(sigma_m: ArrayLike, sigma_f: ArrayLike, phi: ArrayLike,
                      N: ArrayLike) -> Any:
    """Maxwell-Garnett conductivity along a principal axis of aligned ellipsoids.

    Parameters
    ----------
    sigma_m, sigma_f : array_like
        Matrix and filler conductivities [S/m].
    phi : array_like
        Filler volume fraction [-].
    N : array_like
        Depolarisation factor of the inclusions along the field, ``0 <= N <= 1`` [-].

    Returns
    -------
    float or ndarray
        Effective conductivity along that axis [S/m].

    Notes
    -----
    :math:`\\sigma_j=\\sigma_m+\\phi\\sigma_m(\\sigma_f-\\sigma_m)/[\\sigma_m+N_j(1-\\phi)
    (\\sigma_f-\\sigma_m)]`. N = 0 gives the parallel bound, N = 1 the series bound and
    N = 1/2 the 2D MG of transverse fibres.

    References
    ----------
    .. [1] J. C. Maxwell Garnett (1904), doi:10.1098/rsta.1904.0024
    .. [2] A. Sihvola, Electromagnetic Mixing Formulas and Applications, IEE (1999).
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sf = check_conductivity(sigma_f, "sigma_f")
    p = check_fraction(phi, "phi")
    n = check_fraction(N, "N")
    return scalar_or_array(_mg_axis(sm, sf, p, n))


@cites("MaxwellGarnett1904", "Osborn1945")
def mg_aligned_spheroids(
    sigma_m: ArrayLike, sigma_f: ArrayLike, phi: ArrayLike, aspect: ArrayLike
) -> tuple[Any, Any]:
    """Maxwell-Garnett conductivity of aligned spheroids, along and across their axis.

    Parameters
    ----------
    sigma_m, sigma_f : array_like
        Matrix and filler conductivities [S/m].
    phi : array_like
        Filler volume fraction [-].
    aspect : array_like
        Spheroid aspect ratio p = a/b (``inf``: continuous fibres, 0: infinite sheets) [-].

    Returns
    -------
    sigma_axis, sigma_transverse : float or ndarray
        Conductivity along the common symmetry axis and perpendicular to it [S/m].

    Notes
    -----
    :func:`mg_ellipsoid_axis` with the factors of :func:`depolarization_factors`.
    Validity: phi <~ 0.3 and, for elongated inclusions, phi <~ 1/p^2.
    """
    Na, Nb = depolarization_factors(aspect)
    return mg_ellipsoid_axis(sigma_m, sigma_f, phi, Na), mg_ellipsoid_axis(
        sigma_m, sigma_f, phi, Nb)


def _q(sm: np.ndarray, sf: np.ndarray, N: Any) -> tuple[np.ndarray, np.ndarray]:
    """Polarisability q = (sf-sm)/(sm+N(sf-sm)) and N q."""
    diff = sf - sm
    den = sm + N * diff
    with np.errstate(divide="ignore", invalid="ignore"):
        q = diff / den
    return q, N * q


def _mg_from_q(sm: np.ndarray, phi: np.ndarray, qbar: np.ndarray, nqbar: np.ndarray,
               sf: np.ndarray, Nmin: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = sm + sm * phi * qbar / (1.0 - phi * nqbar)
    bad = ~np.isfinite(out)
    if np.any(bad):  # sm = 0: only a needle-like (N = 0) inclusion conducts, in parallel
        lim = np.where(Nmin == 0, phi * sf, 0.0)
        out = np.where(bad, np.broadcast_to(lim, out.shape), out)
    return out


@cites("MaxwellGarnett1904", "Osborn1945", "Sihvola1999")
def mg_random_spheroids(
    sigma_m: ArrayLike,
    sigma_f: ArrayLike,
    phi: ArrayLike,
    aspect: ArrayLike | None = None,
    *,
    depolarization: ArrayLike | None = None,
) -> Any:
    """Maxwell-Garnett conductivity of randomly oriented ellipsoids (isotropic).

    Parameters
    ----------
    sigma_m, sigma_f : array_like
        Matrix and filler conductivities [S/m].
    phi : array_like
        Filler volume fraction [-].
    aspect : array_like, optional
        Spheroid aspect ratio p = a/b [-]; give this or ``depolarization``.
    depolarization : array_like, shape (3, ...), optional
        The three depolarisation factors of a general ellipsoid, adding up to one [-].

    Returns
    -------
    float or ndarray
        Effective (isotropic) conductivity [S/m].

    Notes
    -----
    With :math:`q_j=(\\sigma_f-\\sigma_m)/(\\sigma_m+N_j(\\sigma_f-\\sigma_m))`,
    :math:`\\sigma=\\sigma_m+\\sigma_m\\phi\\bar q/(1-\\phi\\overline{Nq})` where the bars are
    averages over the three axes. Random needles (0, 1/2, 1/2) at high contrast give
    phi sigma_f/(3 - 2 phi); random thin disks (1, 0, 0) give HS+ = 2 phi sigma_f/(3 - phi).

    References
    ----------
    .. [1] A. Sihvola, Electromagnetic Mixing Formulas and Applications, IEE (1999).
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sf = check_conductivity(sigma_f, "sigma_f")
    p = check_fraction(phi, "phi")
    N = _triple(aspect, depolarization)
    q, nq = _q(sm[None], sf[None], N)
    qbar, nqbar = q.mean(axis=0), nq.mean(axis=0)
    return scalar_or_array(_mg_from_q(sm, p, qbar, nqbar, sf, N.min(axis=0)))


def _triple(aspect: ArrayLike | None, depolarization: ArrayLike | None) -> np.ndarray:
    if (aspect is None) == (depolarization is None):
        raise InputError("give exactly one of aspect or depolarization")
    if depolarization is not None:
        N = stack_phases(depolarization, "depolarization")
        if N.shape[0] != 3:
            raise InputError(f"depolarization must hold 3 factors, got {N.shape[0]}")
        check_fraction(N, "depolarization")
        if np.any(np.abs(N.sum(axis=0) - 1.0) > 1e-9):
            raise InputError("depolarization factors must add up to 1")
        return N
    Na, Nb = depolarization_factors(aspect)
    Na, Nb = np.asarray(Na), np.asarray(Nb)
    return np.stack([Na, Nb, Nb], axis=0)


@cites("MaxwellGarnett1904", "Osborn1945", "Sihvola1999")
def mg_oriented_spheroids(
    sigma_m: ArrayLike,
    sigma_f: ArrayLike,
    phi: ArrayLike,
    aspect: ArrayLike,
    *,
    order_parameter: ArrayLike,
) -> tuple[Any, Any]:
    """Maxwell-Garnett conductivity of partially aligned spheroids (uniaxial about z).

    Parameters
    ----------
    sigma_m, sigma_f : array_like
        Matrix and filler conductivities [S/m].
    phi : array_like
        Filler volume fraction [-].
    aspect : array_like
        Spheroid aspect ratio p = a/b [-].
    order_parameter : array_like
        S = <P2(cos theta)> about the film normal z, ``-1/2 <= S <= 1``: 1 aligned along z,
        0 random, -1/2 random in the film plane [-].

    Returns
    -------
    sigma_zz, sigma_xx : float or ndarray
        Through-plane (z) and in-plane conductivity [S/m].

    Notes
    -----
    :math:`\\langle\\cos^2\\theta\\rangle=(1+2S)/3`;
    :math:`\\bar q_{zz}=q_\\perp+(q_\\parallel-q_\\perp)\\langle\\cos^2\\theta\\rangle`,
    :math:`\\bar q_{xx}=q_\\perp+(q_\\parallel-q_\\perp)(1-\\langle\\cos^2\\theta\\rangle)/2`,
    likewise for Nq, then :math:`\\sigma_{jj}=\\sigma_m+\\sigma_m\\phi\\bar q_{jj}/
    (1-\\phi\\overline{Nq}_{jj})`. A dilute-to-moderate approximation.
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sf = check_conductivity(sigma_f, "sigma_f")
    p = check_fraction(phi, "phi")
    S = np.asarray(order_parameter, dtype=float)
    if np.any(np.isnan(S)) or np.any(S < -0.5) or np.any(S > 1.0):
        raise InputError(f"order_parameter must be in [-0.5, 1], got {order_parameter!r}")
    Na, Nb = (np.asarray(v) for v in depolarization_factors(aspect))
    qa, nqa = _q(sm, sf, Na)
    qb, nqb = _q(sm, sf, Nb)
    c2 = (1.0 + 2.0 * S) / 3.0
    s2 = (1.0 - c2) / 2.0
    Nmin = np.minimum(Na, Nb)
    zz = _mg_from_q(sm, p, qb + (qa - qb) * c2, nqb + (nqa - nqb) * c2, sf, Nmin)
    xx = _mg_from_q(sm, p, qb + (qa - qb) * s2, nqb + (nqa - nqb) * s2, sf, Nmin)
    return scalar_or_array(zz), scalar_or_array(xx)


# --------------------------------------------------------------------------------------------
# Bruggeman and GEM
# --------------------------------------------------------------------------------------------
@cites("Bruggeman1935")
def bruggeman_two_phase(
    sigma1: ArrayLike, sigma2: ArrayLike, phi2: ArrayLike, *, d: int = 3
) -> Any:
    """Closed-form symmetric Bruggeman conductivity of two spherical (circular) phases.

    Parameters
    ----------
    sigma1, sigma2 : array_like
        Phase conductivities [S/m].
    phi2 : array_like
        Volume fraction of phase 2 [-].
    d : int, optional
        Spatial dimension (2 or 3) [-].

    Returns
    -------
    float or ndarray
        Effective conductivity [S/m].

    Notes
    -----
    The positive root of :math:`(d-1)\\sigma^2-b\\sigma-\\sigma_1\\sigma_2=0`,
    :math:`b=(d\\phi_1-1)\\sigma_1+(d\\phi_2-1)\\sigma_2`, i.e. for d = 3
    :math:`\\sigma=[b+\\sqrt{b^2+8\\sigma_1\\sigma_2}]/4`. Evaluated in the cancellation-free
    form :math:`2\\sigma_1\\sigma_2/[\\sqrt{b^2+4(d-1)\\sigma_1\\sigma_2}-b]` when b < 0.

    References
    ----------
    .. [1] D. A. G. Bruggeman, Ann. Phys. 416, 636 (1935), doi:10.1002/andp.19354160705
    """
    if d not in (2, 3):
        raise InputError(f"d must be 2 or 3, got {d!r}")
    s1 = check_conductivity(sigma1, "sigma1")
    s2 = check_conductivity(sigma2, "sigma2")
    p2 = check_fraction(phi2, "phi2")
    return scalar_or_array(_brugg2(s1, s2, p2, d))


def _brugg2(s1: np.ndarray, s2: np.ndarray, p2: np.ndarray, d: int) -> np.ndarray:
    p1 = 1.0 - p2
    b = (d * p1 - 1.0) * s1 + (d * p2 - 1.0) * s2
    prod = s1 * s2
    root = np.sqrt(b * b + 4.0 * (d - 1) * prod)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = 2.0 * prod / (root - b)
    pos = (b + root) / (2.0 * (d - 1))
    out = np.where(b >= 0, pos, neg)
    return np.where(np.isfinite(out), out, 0.0)


def _depol_phases(depolarization: ArrayLike | None, n: int, d: int,
                  shape: tuple[int, ...]) -> np.ndarray:
    """Depolarisation factors per phase and axis, shape (n, k, ...) (k = 1 for spheres)."""
    if depolarization is None:
        return np.full((n, 1) + (1,) * len(shape), 1.0 / d)
    if d != 3:
        raise InputError("depolarization factors are only supported for d = 3")
    N = np.asarray(depolarization, dtype=float)
    if N.ndim < 2 or N.shape[0] != n or N.shape[1] != 3:
        raise InputError(
            f"depolarization must have shape (n_phases, 3, ...) = ({n}, 3, ...), got {N.shape}"
        )
    check_fraction(N, "depolarization")
    if np.any(np.abs(N.sum(axis=1) - 1.0) > 1e-9):
        raise InputError("depolarization factors of each phase must add up to 1")
    extra = len(shape) - (N.ndim - 2)
    return N.reshape(N.shape + (1,) * max(extra, 0))


def _bisect_ln(func, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Vectorised bisection of a decreasing function of x on [lo, hi] (f(lo) >= 0 >= f(hi))."""
    lo = lo.copy()
    hi = hi.copy()
    width = float(np.max(hi - lo)) if lo.size else 0.0
    n_iter = int(np.ceil(np.log2(max(width, _X_TOL) / _X_TOL))) + 2
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        fm = func(mid)
        up = fm > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return 0.5 * (lo + hi)


@cites("Bruggeman1935")
def bruggeman(
    sigma: ArrayLike,
    phi: ArrayLike,
    *,
    d: int = 3,
    depolarization: ArrayLike | None = None,
) -> Any:
    """Symmetric (self-consistent) Bruggeman conductivity of any number of phases.

    Parameters
    ----------
    sigma : sequence of array_like
        Conductivity of each phase, phases along axis 0 [S/m].
    phi : sequence of array_like
        Volume fraction of each phase, adding up to one [-].
    d : int, optional
        Spatial dimension (2 or 3) for spherical (circular) grains [-].
    depolarization : array_like, shape (n_phases, 3, ...), optional
        Depolarisation factors of each phase's randomly oriented ellipsoidal grains
        (Polder-van Santen form, d = 3). ``None`` means spheres.

    Returns
    -------
    float or ndarray
        Effective conductivity [S/m].

    Notes
    -----
    Solves :math:`\\sum_i\\phi_i\\tfrac13\\sum_j\\frac{\\sigma_i-\\sigma}{\\sigma+N_{ij}
    (\\sigma_i-\\sigma)}=0` (spheres: N = 1/d). The left side decreases strictly with sigma,
    so there is exactly one root in [min sigma_i, max sigma_i]; it is bracketed in ln sigma
    and found by a safeguarded (bracketed) Newton iteration, vectorised over every element
    of a grid at once (:func:`self_consistent`). When a phase is insulating and the
    conducting phases do not percolate (residual at sigma -> 0+ not positive) the result is
    exactly 0. Two spherical phases use
    the closed form (:func:`bruggeman_two_phase`).

    References
    ----------
    .. [1] D. A. G. Bruggeman, Ann. Phys. 416, 636 (1935), doi:10.1002/andp.19354160705
    .. [2] A. Sihvola (1999), Electromagnetic Mixing Formulas and Applications, IEE.

    Examples
    --------
    >>> round(bruggeman([1.0, 10.0], [0.7, 0.3]), 6)
    2.261208
    """
    if d not in (2, 3):
        raise InputError(f"d must be 2 or 3, got {d!r}")
    s, f = _phases(sigma, phi)
    if s.shape[0] == 2 and depolarization is None:
        return scalar_or_array(_brugg2(s[0], s[1], f[1], d))
    return scalar_or_array(_bruggeman_solve(s, f, d, depolarization))


def _bruggeman_solve(s: np.ndarray, f: np.ndarray, d: int, depolarization: Any) -> np.ndarray:
    if s.ndim == 1:
        if depolarization is not None:
            depolarization = np.asarray(depolarization, dtype=float)[..., None]
        return _bruggeman_solve(s[:, None], f[:, None], d, depolarization)[0]
    shape = s.shape[1:]
    N = _depol_phases(depolarization, s.shape[0], d, shape)
    N = np.broadcast_to(N, N.shape[:2] + shape)
    S = np.broadcast_to(s[:, None], (s.shape[0], N.shape[1], *shape))
    return self_consistent(S, f, N)


def self_consistent(S: np.ndarray, F: np.ndarray, N: np.ndarray) -> np.ndarray:
    """Root of sum_k F_k mean_j (S_kj - s)/(s + N_kj (S_kj - s)) = 0 for every grid point.

    S and N have shape (n_phases, n_axes, ...), F has shape (n_phases, ...). The residual
    decreases strictly with s, so the root is unique in [min S, max S]. It is bracketed in
    x = ln s and found by a safeguarded Newton iteration (a bisection step whenever Newton
    leaves the bracket), vectorised over the grid; a point stops one Newton step after
    |dx| < 1e-9 (quadratic convergence, so the error is at round-off level). When a phase is
    insulating and the residual at s -> 0+ is not positive the result is exactly 0.
    """
    shape = F.shape[1:]
    S = np.broadcast_to(S, S.shape[:2] + shape)
    N = np.broadcast_to(N, S.shape)
    smax = S.max(axis=(0, 1))
    smin = S.min(axis=(0, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        r0t = np.where(S > 0, 1.0 / N, -1.0 / (1.0 - N))
        r0 = np.sum(F * np.where(F[:, None] > 0, r0t, 0.0).mean(axis=1), axis=0)
    live = (smax > 0) & ~((smin <= 0) & (r0 <= 0))
    out = np.zeros(shape)
    idx = np.nonzero(live.ravel())[0]
    if idx.size == 0:
        return out
    n, k = S.shape[:2]
    Si = S.reshape(n, k, -1)[..., idx]
    Ni = N.reshape(n, k, -1)[..., idx]
    Fi = F.reshape(n, -1)[:, idx]
    Fk = Fi[:, None] / k
    hi = np.log(smax.ravel()[idx])
    smn = smin.ravel()[idx]
    lo = np.where(smn > 0, np.log(np.where(smn > 0, smn, 1.0)), hi - _LN_SPAN)
    with np.errstate(divide="ignore"):
        lnS = np.where(Si.mean(axis=1) > 0, np.log(Si.mean(axis=1)), lo)
    x = np.clip(np.sum(Fi * lnS, axis=0), lo, hi)
    act = np.arange(x.size)  # points still iterating
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for _ in range(200):
            xa, la, ha = x[act], lo[act], hi[act]
            Sa, Na, Fa = Si[..., act], Ni[..., act], Fk[..., act]
            sg = np.exp(xa)
            diff = Sa - sg
            den = sg + Na * diff
            fval = np.sum(Fa * diff / den, axis=(0, 1))
            dfdx = -sg * np.sum(Fa * Sa / (den * den), axis=(0, 1))
            pos = fval > 0
            la = np.where(pos, xa, la)
            ha = np.where(pos, ha, xa)
            xn = xa - fval / dfdx
            bad = ~np.isfinite(xn) | (xn <= la) | (xn >= ha)
            xn = np.where(bad, 0.5 * (la + ha), xn)
            xn = np.where(fval == 0, xa, xn)  # exact root (e.g. a single phase present)
            # Newton converges quadratically: a step below 1e-9 leaves an error ~1e-18
            done = (np.abs(xn - xa) < 1e-9) & ~bad | (ha - la < 4e-15) | (fval == 0)
            x[act], lo[act], hi[act] = xn, la, ha
            act = act[~done]
            if act.size == 0:
                break
    out.ravel()[idx] = np.exp(x)
    return out


@cites("Bruggeman1935", "Sihvola1999")
def bruggeman_threshold(N: ArrayLike) -> Any:
    """Bruggeman percolation threshold of randomly oriented conducting ellipsoids.

    Parameters
    ----------
    N : array_like, shape (3, ...)
        Depolarisation factors of the conducting grains (the insulating host grains are
        spheres) [-].

    Returns
    -------
    float or ndarray
        Threshold volume fraction :math:`\\phi_c=[1+\\tfrac29\\sum_j N_j^{-1}]^{-1}` [-];
        1/3 for spheres, tending to 0 for needles.
    """
    n = stack_phases(N, "N")
    check_fraction(n, "N")
    with np.errstate(divide="ignore"):
        tot = np.sum(1.0 / n, axis=0)
    return scalar_or_array(1.0 / (1.0 + 2.0 / 9.0 * tot))


@cites("McLachlan1990")
def gem(
    sigma_l: ArrayLike,
    sigma_h: ArrayLike,
    phi: ArrayLike,
    *,
    phi_c: ArrayLike,
    s: ArrayLike = 1.0,
    t: ArrayLike = 2.0,
) -> Any:
    """McLachlan general effective medium (GEM) conductivity.

    Parameters
    ----------
    sigma_l, sigma_h : array_like
        Conductivities of the low- and high-conductivity phases [S/m].
    phi : array_like
        Volume fraction of the high-conductivity phase [-].
    phi_c : array_like
        Percolation threshold of the high phase, ``0 < phi_c < 1`` [-].
    s, t : array_like, optional
        Exponents below and above the threshold (typical 3D: s = 0.7-1, t = 2) [-].

    Returns
    -------
    float or ndarray
        Effective conductivity [S/m].

    Notes
    -----
    With :math:`A=(1-\\phi_c)/\\phi_c`,

    .. math:: (1-\\phi)\\frac{\\sigma_l^{1/s}-\\sigma^{1/s}}{\\sigma_l^{1/s}+A\\sigma^{1/s}}
              +\\phi\\frac{\\sigma_h^{1/t}-\\sigma^{1/t}}{\\sigma_h^{1/t}+A\\sigma^{1/t}}=0

    solved by vectorised bisection on ln(sigma/sigma_h) (the left side decreases with sigma).
    Limits: sigma_l = 0 gives sigma_h[(phi-phi_c)/(1-phi_c)]^t above phi_c and 0 below;
    (s, t, phi_c) = (1, 1, 1/3) is Bruggeman. GEM is a fit form and may violate the HS bounds;
    :func:`composite_conductivity` computes them alongside and sets ``within_hs``.

    References
    ----------
    .. [1] D. S. McLachlan, M. Blaszkiewicz, R. E. Newnham, J. Am. Ceram. Soc. 73, 2187
       (1990), doi:10.1111/j.1151-2916.1990.tb07576.x
    """
    sl = check_conductivity(sigma_l, "sigma_l")
    sh = check_conductivity(sigma_h, "sigma_h")
    p = check_fraction(phi, "phi")
    pc = as_open_fraction(phi_c, "phi_c")
    ss = check_positive(s, "s")
    tt = check_positive(t, "t")
    if np.any(sl > sh):
        raise InputError("gem needs sigma_l <= sigma_h element-wise")
    sl, sh, p, pc, ss, tt = (np.atleast_1d(v) for v in
                             np.broadcast_arrays(sl, sh, p, pc, ss, tt))
    scalar = np.ndim(np.broadcast(sigma_l, sigma_h, phi, phi_c, s, t)) == 0
    out = np.zeros(sl.shape)
    live = sh > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(live, sl / np.where(live, sh, 1.0), 0.0)
    A = (1.0 - pc) / pc
    r0 = np.where(a > 0, 1.0, -(1.0 - p) / A + p)  # residual at sigma -> 0+ when a = 0
    solve = live & (r0 > 0)
    idx = np.nonzero(solve)
    if idx[0].size:
        ai, pi, Ai, si, ti = a[idx], p[idx], A[idx], ss[idx], tt[idx]
        als = np.where(ai > 0, ai ** (1.0 / si), 0.0)

        def resid(x: np.ndarray) -> np.ndarray:
            ys = np.exp(x / si)
            yt = np.exp(x / ti)
            return ((1.0 - pi) * (als - ys) / (als + Ai * ys)
                    + pi * (1.0 - yt) / (1.0 + Ai * yt))

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            lo = np.where(ai > 0, np.log(np.where(ai > 0, ai, 1.0)), -_LN_SPAN)
            x = _bisect_ln(resid, lo, np.zeros_like(lo))
        out[idx] = sh[idx] * np.exp(x)
    return float(out[0]) if scalar else out


def as_open_fraction(x: ArrayLike, name: str) -> np.ndarray:
    """A fraction strictly inside (0, 1)."""
    arr = np.asarray(x, dtype=float)
    if np.any(np.isnan(arr)) or np.any(arr <= 0) or np.any(arr >= 1):
        raise InputError(f"{name} must be in (0, 1), got {x!r}")
    return arr


_FRAMEWORK_FACTOR = {"aligned": 1.0, "random_struts": 1.0 / 3.0, "in_plane_mat": 0.5,
                     "cellular": 2.0 / 3.0}


@cites("Milton2002", "HashinShtrikman1962")
def framework_asymptote(
    sigma_c: ArrayLike,
    phi: ArrayLike,
    *,
    geometry: Literal["aligned", "random_struts", "in_plane_mat", "cellular"],
    sigma_p: ArrayLike = 0.0,
) -> Any:
    """Thin-element asymptote of a conducting 3D framework, optionally backfilled.

    Parameters
    ----------
    sigma_c : array_like
        Conductivity of the skeleton material [S/m].
    phi : array_like
        Skeleton volume fraction (thin elements: phi << 1) [-].
    geometry : {"aligned", "random_struts", "in_plane_mat", "cellular"}
        Aligned continuous channels along the field (phi sigma_c), random 3D network of thin
        struts (phi sigma_c / 3, Lemlich-type), in-plane random fibre mat measured in plane
        (phi sigma_c / 2; through-plane is much lower and not given), thin-walled cellular or
        sheet network such as sheet-TPMS (2 phi sigma_c / 3 = HS+ as phi -> 0).
    sigma_p : array_like, optional
        Conductivity of the polymer backfill [S/m].

    Returns
    -------
    float or ndarray
        Estimated conductivity [S/m]: skeleton asymptote plus the backfill contribution
        ``(1 - phi) sigma_p`` for "aligned" (exact, parallel) or the MG value of the polymer
        around an insulating skeleton, ``2 (1 - phi) sigma_p / (2 + phi)``, otherwise (an
        additive approximation). Junction resistance is not included; use the voxel solver at
        moderate phi.
    """
    if geometry not in _FRAMEWORK_FACTOR:
        raise InputError(
            f"geometry must be one of {sorted(_FRAMEWORK_FACTOR)}, got {geometry!r}")
    sc = check_conductivity(sigma_c, "sigma_c")
    p = check_fraction(phi, "phi")
    sp = check_conductivity(sigma_p, "sigma_p")
    skel = _FRAMEWORK_FACTOR[geometry] * p * sc
    if geometry == "aligned":
        poly = (1.0 - p) * sp
    else:
        poly = 2.0 * (1.0 - p) * sp / (2.0 + p)
    return scalar_or_array(skel + poly)


# --------------------------------------------------------------------------------------------
# current fractions
# --------------------------------------------------------------------------------------------
def current_fractions_two_phase(
    sigma1: ArrayLike, sigma2: ArrayLike, sigma_eff: ArrayLike
) -> tuple[Any, Any]:
    """Exact fractions of the current carried by each phase of a two-phase composite.

    Parameters
    ----------
    sigma1, sigma2 : array_like
        Phase conductivities, ``sigma1 != sigma2`` [S/m].
    sigma_eff : array_like
        Effective conductivity of the (isotropic) composite, by any method [S/m].

    Returns
    -------
    f1, f2 : float or ndarray
        Current fractions, ``f1 + f2 = 1`` [-].

    Notes
    -----
    Model-independent: from <j> = sigma1 phi1 <E>_1 + sigma2 phi2 <E>_2 and
    <E> = phi1 <E>_1 + phi2 <E>_2,
    :math:`f_2=\\sigma_2(\\sigma_{eff}-\\sigma_1)/[\\sigma_{eff}(\\sigma_2-\\sigma_1)]`.
    """
    s1 = check_conductivity(sigma1, "sigma1")
    s2 = check_conductivity(sigma2, "sigma2")
    se = check_conductivity(sigma_eff, "sigma_eff")
    if np.any(s1 == s2):
        raise InputError("current_fractions_two_phase needs sigma1 != sigma2")
    with np.errstate(divide="ignore", invalid="ignore"):
        f2 = s2 * (se - s1) / (se * (s2 - s1))
    # sigma_eff = 0: no current flows; by convention the more conducting phase gets 1
    f2 = np.where(se > 0, f2, np.where(s2 > s1, 1.0, 0.0))
    return scalar_or_array(1.0 - f2), scalar_or_array(f2)


def current_fractions_bruggeman(
    sigma: ArrayLike,
    phi: ArrayLike,
    sigma_eff: ArrayLike | None = None,
    *,
    d: int = 3,
    depolarization: ArrayLike | None = None,
) -> Any:
    """Fraction of the current carried by each phase in the Bruggeman medium.

    Parameters
    ----------
    sigma : sequence of array_like
        Phase conductivities, phases along axis 0 [S/m].
    phi : sequence of array_like
        Phase volume fractions [-].
    sigma_eff : array_like, optional
        Bruggeman conductivity if already computed [S/m]; solved when omitted.
    d : int, optional
        Spatial dimension (spheres) [-].
    depolarization : array_like, shape (n_phases, 3, ...), optional
        Grain depolarisation factors (randomly oriented ellipsoids).

    Returns
    -------
    ndarray, shape (n_phases, ...)
        Current fractions f_k, adding up to one [-].

    Notes
    -----
    Spheres: :math:`f_k=d\\phi_k\\sigma_k/(\\sigma_k+(d-1)\\sigma)`, which add up to one by the
    Bruggeman equation itself. Ellipsoidal grains:
    :math:`f_k\\propto\\phi_k\\sigma_k\\tfrac13\\sum_j[\\sigma+N_{kj}(\\sigma_k-\\sigma)]^{-1}`,
    normalised to one (the self-consistent mean field differs from the applied one by a small
    amount for non-spherical grains). At sigma_eff = 0 (non-percolating insulator mixture) all
    fractions are 0 except a conventional 1 for the most conducting phase.
    """
    s, f = _phases(sigma, phi)
    if sigma_eff is None:
        se = np.asarray(bruggeman(s, f, d=d, depolarization=depolarization), dtype=float)
    else:
        se = check_conductivity(sigma_eff, "sigma_eff")
    se = np.broadcast_to(se, s.shape[1:])
    N = _depol_phases(depolarization, s.shape[0], d, s.shape[1:])
    with np.errstate(divide="ignore", invalid="ignore"):
        fields = (1.0 / (se[None, None] + N * (s[:, None] - se[None, None]))).mean(axis=1)
        raw = f * s * fields
        frac = raw / raw.sum(axis=0)
    if np.any(~np.isfinite(frac)):
        best = (s == s.max(axis=0)).astype(float)
        best = best / best.sum(axis=0)
        frac = np.where(np.isfinite(frac), frac, best)
    return frac


# --------------------------------------------------------------------------------------------
# results with flags
# --------------------------------------------------------------------------------------------
def _count(mask: Any) -> int:
    return int(np.count_nonzero(mask))


@cites("HashinShtrikman1962", "Milton2002")
def emt_result(
    sigma_eff: ArrayLike,
    sigma: ArrayLike,
    phi: ArrayLike,
    *,
    model: str,
    percolating: ArrayLike = False,
    outside_validity: ArrayLike = False,
    warnings: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    d: int = 3,
) -> EMTResult:
    """Wrap an isotropic estimate with its Wiener and HS bounds and diagnostic flags.

    Parameters
    ----------
    sigma_eff : array_like
        The estimate [S/m].
    sigma, phi : sequence of array_like
        Phase conductivities [S/m] and volume fractions [-] the estimate was computed for.
    model : str
        Name of the estimate.
    percolating, outside_validity : array_like of bool, optional
        Model-specific flags.
    warnings : tuple of str, optional
        Messages already produced by the caller; bound violations are appended here.
    references : tuple of str, optional
        BibTeX keys of the model.
    d : int, optional
        Spatial dimension for the HS bounds [-].

    Returns
    -------
    EMTResult
    """
    se = check_conductivity(sigma_eff, "sigma_eff")
    wl, wu = (np.asarray(v) for v in wiener_bounds(sigma, phi))
    hl, hu = (np.asarray(v) for v in hs_bounds(sigma, phi, d=d))
    tol = BOUND_RTOL
    in_w = (se >= wl * (1 - tol)) & (se <= wu * (1 + tol))
    in_hs = (se >= hl * (1 - tol)) & (se <= hu * (1 + tol))
    msgs = list(warnings)
    if not np.all(in_w):
        msgs.append(f"{model}: {_count(~in_w)} value(s) lie outside the Wiener bounds "
                    "(bound violation: check the inputs)")
    elif not np.all(in_hs):
        msgs.append(f"{model}: {_count(~in_hs)} value(s) lie outside the Hashin-Shtrikman "
                    "bounds (bound violation; the estimate cannot describe an isotropic "
                    "mixture of these phases)")
    outside = np.asarray(outside_validity) | ~in_hs
    return EMTResult(
        sigma_eff=scalar_or_array(se), model=model,
        wiener_lower=scalar_or_array(wl), wiener_upper=scalar_or_array(wu),
        hs_lower=scalar_or_array(hl), hs_upper=scalar_or_array(hu),
        within_wiener=_b(in_w), within_hs=_b(in_hs),
        percolating=_b(np.broadcast_to(percolating, se.shape)),
        outside_validity=_b(np.broadcast_to(outside, se.shape)),
        warnings=tuple(msgs), references=tuple(references),
    )


def _b(x: Any) -> Any:
    x = np.asarray(x, dtype=bool)
    return bool(x) if x.ndim == 0 else x


_MODELS = ("maxwell_garnett", "bruggeman", "gem", "mg_random_spheroids", "mg_aligned",
           "mg_oriented", "parallel", "series")


@cites("MaxwellGarnett1904", "Bruggeman1935", "McLachlan1990", "HashinShtrikman1962")
def composite_conductivity(
    sigma_m: ArrayLike,
    sigma_f: ArrayLike,
    phi: ArrayLike,
    *,
    model: str = "bruggeman",
    aspect: ArrayLike = 1.0,
    order_parameter: ArrayLike = 0.0,
    phi_c: ArrayLike | None = None,
    s: ArrayLike = 1.0,
    t: ArrayLike = 2.0,
) -> EMTResult:
    """Two-phase composite conductivity with bounds, flags and validity warnings.

    Parameters
    ----------
    sigma_m : array_like
        Matrix (continuous phase, e.g. polymer) conductivity [S/m].
    sigma_f : array_like
        Filler conductivity [S/m].
    phi : array_like
        Filler volume fraction [-].
    model : str, optional
        One of ``"maxwell_garnett"`` (spheres), ``"mg_random_spheroids"``, ``"mg_aligned"``
        (per axis: axis, transverse), ``"mg_oriented"`` (per axis: zz, xx), ``"bruggeman"``
        (spheres for aspect = 1, otherwise randomly oriented filler spheroids in a spherical
        host), ``"gem"`` (high phase = the more conducting one, ``phi_c`` required),
        ``"parallel"`` or ``"series"``.
    aspect : array_like, optional
        Filler spheroid aspect ratio [-].
    order_parameter : array_like, optional
        Orientational order parameter S for ``"mg_oriented"`` [-].
    phi_c, s, t : array_like, optional
        GEM threshold and exponents [-].

    Returns
    -------
    EMTResult
        Estimate, Wiener and HS bounds, flags and warnings. Anisotropic models return
        ``sigma_eff`` with a leading axis of length 2 labelled by ``axes``; their
        ``within_hs`` is the (Milton) trace-bound test of the eigenvalues.

    Notes
    -----
    Flags: ``percolating`` is true when the model treats the most conducting phase as
    sample-spanning (MG: the matrix; Bruggeman: fraction above its threshold; GEM:
    phi > phi_c; parallel: always). ``outside_validity`` marks dilute models beyond
    phi = 0.3 (or 1/p^2 for elongated fillers), GEM results outside HS and estimates
    within 0.05 of a Bruggeman/GEM threshold at contrast > 100 (percolation-sensitive).
    """
    if model not in _MODELS:
        raise InputError(f"model must be one of {list(_MODELS)}, got {model!r}")
    sm = check_conductivity(sigma_m, "sigma_m")
    sf = check_conductivity(sigma_f, "sigma_f")
    p = check_fraction(phi, "phi")
    asp = as_aspect(aspect)
    sm, sf, p, asp = np.broadcast_arrays(sm, sf, p, asp)
    sig = [sm, sf]
    fr = [1.0 - p, p]
    msgs: list[str] = []
    refs = tuple(getattr(composite_conductivity, "__references__", ()))
    pmax = np.maximum(asp, np.where(asp > 0, 1.0 / np.where(asp > 0, asp, 1.0), np.inf))
    # continuous fibres / infinite sheets (p = inf or 0) are exact along their axis: only
    # the 0.3 limit applies to them
    with np.errstate(divide="ignore"):
        dilute_limit = np.minimum(_MG_PHI_MAX, np.where((pmax > 1.0) & np.isfinite(pmax),
                                                        1.0 / pmax**2, 1.0))
    f_hi = np.where(sf >= sm, p, 1.0 - p)
    contrast = np.where(np.minimum(sm, sf) > 0,
                        np.maximum(sm, sf) / np.where(np.minimum(sm, sf) > 0,
                                                      np.minimum(sm, sf), 1.0), np.inf)
    if model in ("maxwell_garnett", "mg_random_spheroids", "mg_aligned", "mg_oriented"):
        outside = p > dilute_limit
        if np.any(outside):
            msgs.append(
                f"{model}: dilute Maxwell-Garnett used at filler fraction up to "
                f"{float(np.max(p)):.3g} (> validity limit min(0.3, 1/p^2)) in "
                f"{_count(outside)} case(s); inclusions interact, use Bruggeman/GEM or the "
                "voxel solver")
        perc = sm >= sf
        if model == "maxwell_garnett":
            val = _mg_axis(sm, sf, p, 1.0 / 3.0)
        elif model == "mg_random_spheroids":
            val = np.asarray(mg_random_spheroids(sm, sf, p, asp), dtype=float)
        else:
            if model == "mg_aligned":
                a, b = mg_aligned_spheroids(sm, sf, p, asp)
                axes = ("axis", "transverse")
            else:
                a, b = mg_oriented_spheroids(sm, sf, p, asp, order_parameter=order_parameter)
                axes = ("zz", "xx")
            a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
            return _anisotropic_result(model, np.stack([a, b]), sm, sf, p, perc, outside,
                                       msgs, refs, axes)
    elif model == "bruggeman":
        if np.all(asp == 1.0):
            val = _brugg2(sm, sf, p, 3)
            pc = np.full(p.shape, 1.0 / 3.0)
        else:
            Na, Nb = (np.asarray(v) for v in depolarization_factors(asp))
            Nf = np.stack([Na, Nb, Nb])
            Nm = np.full_like(Nf, 1.0 / 3.0)
            val = np.asarray(_bruggeman_solve(np.stack([sm, sf]), np.stack([1.0 - p, p]), 3,
                                              np.stack([Nm, Nf])), dtype=float)
            pc_f = np.asarray(bruggeman_threshold(Nf))
            pc = np.where(sf >= sm, pc_f, 1.0 / 3.0)
        perc = f_hi > pc
        sensitive = (np.abs(f_hi - pc) < 0.05) & (contrast > 100)
        if np.any(sensitive):
            msgs.append(f"bruggeman: {_count(sensitive)} case(s) within 0.05 of the "
                        "percolation threshold at high contrast; the estimate is "
                        "percolation-sensitive (the real threshold depends on the "
                        "microstructure: use GEM or the voxel solver)")
        outside = sensitive
    elif model == "gem":
        if phi_c is None:
            raise InputError("model 'gem' needs phi_c (percolation threshold in (0, 1))")
        lo_s, hi_s = np.minimum(sm, sf), np.maximum(sm, sf)
        val = np.asarray(gem(lo_s, hi_s, f_hi, phi_c=phi_c, s=s, t=t), dtype=float)
        pcb = np.broadcast_to(np.asarray(phi_c, dtype=float), p.shape)
        perc = f_hi > pcb
        sensitive = (np.abs(f_hi - pcb) < 0.05) & (contrast > 100)
        outside = sensitive
        if np.any(sensitive):
            msgs.append(f"gem: {_count(sensitive)} case(s) within 0.05 of phi_c at high "
                        "contrast (percolation-sensitive region)")
    elif model == "parallel":
        val = (1.0 - p) * sm + p * sf
        perc = np.ones(p.shape, dtype=bool)
        outside = np.zeros(p.shape, dtype=bool)
    else:  # series
        with np.errstate(divide="ignore"):
            val = 1.0 / ((1.0 - p) / sm + p / sf)
        val = np.where(np.isfinite(val), val, 0.0)
        perc = np.zeros(p.shape, dtype=bool)
        outside = np.zeros(p.shape, dtype=bool)
    return emt_result(val, sig, fr, model=model, percolating=perc, outside_validity=outside,
                      warnings=tuple(msgs), references=refs)


def _anisotropic_result(model: str, lam2: np.ndarray, sm: np.ndarray, sf: np.ndarray,
                        p: np.ndarray, perc: Any, outside: Any, msgs: list[str],
                        refs: tuple[str, ...], axes: tuple[str, ...]) -> EMTResult:
    wl, wu = (np.asarray(v) for v in wiener_bounds([sm, sf], [1.0 - p, p]))
    hl, hu = (np.asarray(v) for v in hs_bounds([sm, sf], [1.0 - p, p]))
    tol = BOUND_RTOL
    in_w = np.all((lam2 >= wl * (1 - tol)) & (lam2 <= wu * (1 + tol)), axis=0)
    lam3 = np.stack([lam2[0], lam2[1], lam2[1]])
    s1, s2 = np.minimum(sm, sf), np.maximum(sm, sf)
    p2 = np.where(sf >= sm, p, 1.0 - p)
    in_hs = np.asarray(trace_bounds(lam3, s1, s2, p2).satisfied)
    if not np.all(in_w):
        msgs.append(f"{model}: {_count(~in_w)} value(s) outside the Wiener bounds "
                    "(bound violation)")
    elif not np.all(in_hs):
        msgs.append(f"{model}: {_count(~in_hs)} value(s) violate the trace bounds "
                    "(bound violation)")
    return EMTResult(
        sigma_eff=lam2, model=model, wiener_lower=scalar_or_array(wl),
        wiener_upper=scalar_or_array(wu), hs_lower=scalar_or_array(hl),
        hs_upper=scalar_or_array(hu), within_wiener=_b(in_w), within_hs=_b(in_hs),
        percolating=_b(perc), outside_validity=_b(np.asarray(outside) | ~in_hs),
        warnings=tuple(msgs), references=refs, axes=axes,
    )
