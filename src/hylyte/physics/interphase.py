"""Interphase shells, surface conduction and interfacial (Kapitza-type) resistance.

Equations from docs/PHYSICS.md sections 3.6 and 3.7; SI units (S/m, m, ohm m^2, S).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from hylyte._provenance import cites
from hylyte.errors import InputError
from hylyte.physics._common import (
    check_conductivity,
    check_fraction,
    check_nonneg,
    check_positive,
    scalar_or_array,
)

__all__ = [
    "coated_cylinder",
    "coated_sphere",
    "coated_sphere_mg",
    "critical_radius",
    "hasselman_johnson",
    "interphase_volume_fraction",
    "sigma_c_eq",
    "surface_conduction_limit",
]


@cites("HashinShtrikman1962", "Nan1997")
def coated_sphere(
    sigma_core: ArrayLike, sigma_shell: ArrayLike, r: ArrayLike, t: ArrayLike
) -> Any:
    """Equivalent conductivity of a sphere with a uniform shell (exact for one coated sphere).

    Parameters
    ----------
    sigma_core : array_like
        Core (particle) conductivity [S/m].
    sigma_shell : array_like
        Shell (interphase) conductivity [S/m].
    r : array_like
        Core radius, > 0 [m].
    t : array_like
        Shell thickness, >= 0 [m].

    Returns
    -------
    float or ndarray
        Conductivity of the homogeneous sphere of radius r + t that is equivalent [S/m].

    Notes
    -----
    .. math:: \\sigma_{eq}=\\sigma_s\\frac{(\\sigma_c+2\\sigma_s)+2\\delta(\\sigma_c-\\sigma_s)}
              {(\\sigma_c+2\\sigma_s)-\\delta(\\sigma_c-\\sigma_s)},\\qquad
              \\delta=\\Big(\\frac{r}{r+t}\\Big)^3

    Embed with phi' = phi (1 + t/r)^3 (:func:`coated_sphere_mg`). The shell is taken as
    uniform; reliable for t/r <= 0.2 and phi' <= 0.5.

    References
    ----------
    .. [1] Z. Hashin, S. Shtrikman, J. Appl. Phys. 33, 3125 (1962), doi:10.1063/1.1728579
    .. [2] C.-W. Nan et al., J. Appl. Phys. 81, 6692 (1997), doi:10.1063/1.365209

    Examples
    --------
    >>> f"{coated_sphere(0.0, 1e-2, 50e-9, 3e-9):.6e}"
    '1.129593e-03'
    """
    sc = check_conductivity(sigma_core, "sigma_core")
    ss = check_conductivity(sigma_shell, "sigma_shell")
    rr = check_positive(r, "r")
    tt = check_nonneg(t, "t")
    return scalar_or_array(_coated(sc, ss, rr, tt, 3))


def _coated(sc: np.ndarray, ss: np.ndarray, r: np.ndarray, t: np.ndarray, d: int) -> np.ndarray:
    """Coated sphere (d = 3) or cylinder (d = 2) without cancellation.

    num = sc (1 + (d-1) delta) + ss (d-1)(1 - delta), den = sc (1 - delta) + ss (d-1+delta),
    with 1 - delta = 1 - (r/(r+t))^d computed from t directly.
    """
    R = r + t
    delta = (r / R) ** d
    omd = t * (3 * r * r + 3 * r * t + t * t) / R**3 if d == 3 else t * (2 * r + t) / R**2
    num = sc * (1 + (d - 1) * delta) + ss * (d - 1) * omd
    den = sc * omd + ss * (d - 1 + delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = ss * num / den
    return np.where(den > 0, out, np.where(omd == 0, sc, 0.0))


@cites("HashinShtrikman1962")
def coated_cylinder(
    sigma_core: ArrayLike, sigma_shell: ArrayLike, r: ArrayLike, t: ArrayLike
) -> Any:
    """Transverse equivalent conductivity of a coated infinite cylinder (2D coated disc).

    Parameters
    ----------
    sigma_core, sigma_shell : array_like
        Core and shell conductivities [S/m].
    r : array_like
        Core radius [m].
    t : array_like
        Shell thickness [m].

    Returns
    -------
    float or ndarray
        Equivalent conductivity for a field normal to the axis [S/m].

    Notes
    -----
    :math:`\\sigma_{eq}=\\sigma_s[(\\sigma_c+\\sigma_s)+\\delta(\\sigma_c-\\sigma_s)]/
    [(\\sigma_c+\\sigma_s)-\\delta(\\sigma_c-\\sigma_s)]` with :math:`\\delta=(r/(r+t))^2`.
    Along the axis the shell simply adds in parallel (area-weighted mean).
    """
    sc = check_conductivity(sigma_core, "sigma_core")
    ss = check_conductivity(sigma_shell, "sigma_shell")
    rr = check_positive(r, "r")
    tt = check_nonneg(t, "t")
    return scalar_or_array(_coated(sc, ss, rr, tt, 2))


Shape = Literal["sphere", "cylinder_transverse", "cylinder_axial"]


@cites("Nan1997")
def surface_conduction_limit(
    sigma_core: ArrayLike,
    sheet_conductance: ArrayLike,
    r: ArrayLike,
    *,
    shape: Shape = "sphere",
) -> Any:
    """Thin-shell (surface conduction) limit of the equivalent particle conductivity.

    Parameters
    ----------
    sigma_core : array_like
        Core conductivity [S/m].
    sheet_conductance : array_like
        Shell sheet conductance Sigma_s = sigma_s t, held fixed as t -> 0 [S].
    r : array_like
        Particle radius [m].
    shape : {"sphere", "cylinder_transverse", "cylinder_axial"}
        Particle shape and field direction.

    Returns
    -------
    float or ndarray
        :math:`\\sigma_c+2\\Sigma_s/r` (sphere, cylinder axial) or
        :math:`\\sigma_c+\\Sigma_s/r` (cylinder transverse) [S/m]: the 1/r size effect.
    """
    factor = {"sphere": 2.0, "cylinder_transverse": 1.0, "cylinder_axial": 2.0}
    if shape not in factor:
        raise InputError(f"shape must be one of {sorted(factor)}, got {shape!r}")
    sc = check_conductivity(sigma_core, "sigma_core")
    S = check_nonneg(sheet_conductance, "sheet_conductance")
    rr = check_positive(r, "r")
    return scalar_or_array(sc + factor[shape] * S / rr)


@cites("Nan1997")
def interphase_volume_fraction(phi: ArrayLike, r: ArrayLike, t: ArrayLike) -> Any:
    """Volume fraction of randomly placed, overlapping interphase shells (Poisson estimate).

    Parameters
    ----------
    phi : array_like
        Particle volume fraction, ``0 <= phi < 1`` [-].
    r : array_like
        Particle radius [m].
    t : array_like
        Shell thickness [m].

    Returns
    -------
    float or ndarray
        :math:`\\phi_i\\approx(1-\\phi)\\{1-\\exp[-\\phi((1+t/r)^3-1)/(1-\\phi)]\\}` [-].
        Tends to phi[(1+t/r)^3 - 1] at low phi and saturates at 1 - phi. An approximation
        (overlap of shells treated as Poisson); callers should flag it as such.
    """
    p = check_fraction(phi, "phi", closed_upper=False)
    rr = check_positive(r, "r")
    tt = check_nonneg(t, "t")
    g = (1.0 + tt / rr) ** 3 - 1.0
    return scalar_or_array((1.0 - p) * -np.expm1(-p * g / (1.0 - p)))


ParticleShape = Literal["sphere", "cylinder", "fibre_axial", "platelet"]


@cites("Nan1997")
def sigma_c_eq(
    sigma_c: ArrayLike,
    R_int: ArrayLike,
    size: ArrayLike,
    *,
    shape: ParticleShape = "sphere",
) -> Any:
    """Equivalent particle conductivity including an interfacial transfer resistance.

    Parameters
    ----------
    sigma_c : array_like
        Particle (ceramic) conductivity [S/m].
    R_int : array_like
        Area-specific resistance of the particle|matrix interface [ohm m^2].
    size : array_like
        Radius for ``"sphere"`` and ``"cylinder"`` (transverse field); length of a fibre for
        ``"fibre_axial"``; thickness of a platelet for ``"platelet"`` (field normal) [m].
    shape : {"sphere", "cylinder", "fibre_axial", "platelet"}
        Particle shape and direction.

    Returns
    -------
    float or ndarray
        :math:`\\sigma_c/(1+R_{int}\\sigma_c/a)` (sphere, cylinder: exact) or
        :math:`\\sigma_c/(1+2R_{int}\\sigma_c/\\ell)` (fibre axial, platelet: 1D series,
        approximate) [S/m].

    Notes
    -----
    One dataset at one particle size fixes only this combination; fitting R_int needs two
    or more sizes.

    References
    ----------
    .. [1] C.-W. Nan et al., J. Appl. Phys. 81, 6692 (1997), doi:10.1063/1.365209
    .. [2] D. P. H. Hasselman, L. F. Johnson, J. Compos. Mater. 21, 508 (1987).

    Examples
    --------
    >>> f"{sigma_c_eq(0.05, 1e-2, 0.5e-6):.6e}"
    '4.995005e-05'
    """
    factor = {"sphere": 1.0, "cylinder": 1.0, "fibre_axial": 2.0, "platelet": 2.0}
    if shape not in factor:
        raise InputError(f"shape must be one of {sorted(factor)}, got {shape!r}")
    sc = check_conductivity(sigma_c, "sigma_c")
    R = check_nonneg(R_int, "R_int")
    a = check_positive(size, "size")
    return scalar_or_array(sc / (1.0 + factor[shape] * R * sc / a))


@cites("HasselmanJohnson1987", "MaxwellGarnett1904")
def hasselman_johnson(
    sigma_m: ArrayLike,
    sigma_c: ArrayLike,
    phi: ArrayLike,
    *,
    radius: ArrayLike,
    R_int: ArrayLike,
) -> Any:
    """Maxwell-Garnett conductivity of spheres with an interfacial resistance.

    Parameters
    ----------
    sigma_m : array_like
        Matrix conductivity [S/m].
    sigma_c : array_like
        Particle conductivity [S/m].
    phi : array_like
        Particle volume fraction [-].
    radius : array_like
        Particle radius a [m].
    R_int : array_like
        Interface area-specific resistance [ohm m^2].

    Returns
    -------
    float or ndarray
        Effective conductivity [S/m].

    Notes
    -----
    With :math:`\\alpha=R_{int}\\sigma_m/a` (Kapitza radius over radius):

    .. math:: \\sigma=\\sigma_m\\frac{\\sigma_c(1+2\\alpha)+2\\sigma_m+2\\phi[\\sigma_c(1-\\alpha)
              -\\sigma_m]}{\\sigma_c(1+2\\alpha)+2\\sigma_m-\\phi[\\sigma_c(1-\\alpha)-\\sigma_m]}

    identical to MG with :func:`sigma_c_eq`. R_int = 0 is MG.

    References
    ----------
    .. [1] D. P. H. Hasselman, L. F. Johnson, J. Compos. Mater. 21, 508 (1987).
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sc = check_conductivity(sigma_c, "sigma_c")
    p = check_fraction(phi, "phi")
    a = check_positive(radius, "radius")
    R = check_nonneg(R_int, "R_int")
    al = R * sm / a
    num = sc * (1 + 2 * al) + 2 * sm + 2 * p * (sc * (1 - al) - sm)
    den = sc * (1 + 2 * al) + 2 * sm - p * (sc * (1 - al) - sm)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = sm * num / den
    return scalar_or_array(np.where(den == 0, 0.0, out))


@cites("HasselmanJohnson1987")
def critical_radius(sigma_m: ArrayLike, sigma_c: ArrayLike, R_int: ArrayLike) -> Any:
    """Particle radius at which particles with an interface resistance are invisible.

    Parameters
    ----------
    sigma_m : array_like
        Matrix conductivity [S/m].
    sigma_c : array_like
        Particle conductivity [S/m].
    R_int : array_like
        Interface area-specific resistance [ohm m^2].

    Returns
    -------
    float or ndarray
        :math:`a_c=R_{int}\\sigma_m\\sigma_c/(\\sigma_c-\\sigma_m)` [m]; particles smaller than
        a_c lower the conductivity. ``inf`` when sigma_c <= sigma_m (they never raise it).
    """
    sm = check_conductivity(sigma_m, "sigma_m")
    sc = check_conductivity(sigma_c, "sigma_c")
    R = check_nonneg(R_int, "R_int")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = R * sm * sc / (sc - sm)
    return scalar_or_array(np.where(sc > sm, out, np.inf))


@cites("Nan1997", "MaxwellGarnett1904")
def coated_sphere_mg(
    sigma_m: ArrayLike,
    sigma_core: ArrayLike,
    sigma_shell: ArrayLike,
    phi: ArrayLike,
    *,
    r: ArrayLike,
    t: ArrayLike,
) -> Any:
    """Dilute coated spheres in a matrix: MG with the coated-sphere equivalent conductivity.

    Parameters
    ----------
    sigma_m : array_like
        Matrix conductivity [S/m].
    sigma_core, sigma_shell : array_like
        Core and shell conductivities [S/m].
    phi : array_like
        Core (particle) volume fraction [-].
    r : array_like
        Core radius [m].
    t : array_like
        Shell thickness [m].

    Returns
    -------
    float or ndarray
        :math:`\\mathrm{MG}(\\sigma_m, \\sigma_{eq}; \\phi(1+t/r)^3)` [S/m] (the size effect).
        phi (1 + t/r)^3 must stay below 1.
    """
    from hylyte.physics.emt import _mg_axis

    sm = check_conductivity(sigma_m, "sigma_m")
    p = check_fraction(phi, "phi")
    rr = check_positive(r, "r")
    tt = check_nonneg(t, "t")
    p_eff = p * (1.0 + tt / rr) ** 3
    if np.any(p_eff > 1):
        raise InputError("phi (1 + t/r)^3 exceeds 1: the shells do not fit; "
                         "use interphase_volume_fraction with a three-phase model")
    seq = np.asarray(coated_sphere(sigma_core, sigma_shell, rr, tt), dtype=float)
    return scalar_or_array(_mg_axis(sm, seq, p_eff, 1.0 / 3.0))
