"""Composition of hybrid electrolytes: mass and volume fractions, density, PEO-LiTFSI.

Volume additivity (no excess volume) is assumed throughout; porosity enters as a phase with
zero density and conductivity. Densities are in kg/m^3, concentrations in mol/m^3 and
molalities in mol/kg (docs/PHYSICS.md section 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
    "M_EO",
    "M_LITFSI",
    "RHO_LITFSI",
    "RHO_PEO",
    "FillerFractions",
    "SPEComposition",
    "amorphous_concentration",
    "composite_density",
    "filler_volume_fraction",
    "mass_to_volume_fractions",
    "peo_litfsi",
    "volume_to_mass_fractions",
    "with_porosity",
]

M_EO = 44.053e-3  # molar mass of the C2H4O repeat unit [kg/mol]
M_LITFSI = 287.09e-3  # molar mass of LiTFSI [kg/mol]
RHO_PEO = 1210.0  # amorphous PEO density used by default [kg/m^3]
RHO_LITFSI = 1330.0  # LiTFSI density [kg/m^3]

Basis = Literal["total", "polymer", "polymer_salt"]
_BASES = ("total", "polymer", "polymer_salt")


def mass_to_volume_fractions(w: ArrayLike, rho: ArrayLike) -> Any:
    """Convert mass fractions to volume fractions (ideal volume additivity).

    Parameters
    ----------
    w : sequence of array_like
        Mass fraction of each phase, phases along axis 0, adding up to one [-].
    rho : sequence of array_like
        Density of each phase, > 0 [kg/m^3].

    Returns
    -------
    ndarray, shape (n_phases, ...)
        Volume fractions :math:`\\phi_i=(w_i/\\rho_i)/\\sum_j w_j/\\rho_j` [-].

    Examples
    --------
    >>> [round(float(v), 7) for v in mass_to_volume_fractions([0.5, 0.5], [5100.0, 1200.0])]
    [0.1904762, 0.8095238]
    """
    ww = stack_phases(w, "w")
    rr = check_positive(stack_phases(rho, "rho"), "rho")
    ww, rr = np.broadcast_arrays(ww, rr)
    check_fraction(ww, "w")
    check_fraction_sum(ww, "w")
    v = ww / rr
    return v / v.sum(axis=0)


def volume_to_mass_fractions(phi: ArrayLike, rho: ArrayLike) -> Any:
    """Convert volume fractions to mass fractions.

    Parameters
    ----------
    phi : sequence of array_like
        Volume fraction of each phase, adding up to one [-].
    rho : sequence of array_like
        Density of each phase, >= 0 (0 for pores) [kg/m^3].

    Returns
    -------
    ndarray, shape (n_phases, ...)
        Mass fractions :math:`w_i=\\phi_i\\rho_i/\\sum_j\\phi_j\\rho_j` [-].
    """
    ff = stack_phases(phi, "phi")
    rr = check_nonneg(stack_phases(rho, "rho"), "rho")
    ff, rr = np.broadcast_arrays(ff, rr)
    check_fraction(ff, "phi")
    check_fraction_sum(ff, "phi")
    m = ff * rr
    tot = m.sum(axis=0)
    if np.any(tot <= 0):
        raise InputError("volume_to_mass_fractions: the composite has zero mass")
    return m / tot


def composite_density(phi: ArrayLike, rho: ArrayLike) -> Any:
    """Density of a composite from volume fractions, :math:`\\sum_j\\phi_j\\rho_j` [kg/m^3].

    Parameters
    ----------
    phi : sequence of array_like
        Volume fractions (pores included with density 0), adding up to one [-].
    rho : sequence of array_like
        Phase densities [kg/m^3].

    Returns
    -------
    float or ndarray
        Composite density [kg/m^3]; equal to :math:`(\\sum_j w_j/\\rho_j)^{-1}` without pores.
    """
    ff = stack_phases(phi, "phi")
    rr = check_nonneg(stack_phases(rho, "rho"), "rho")
    ff, rr = np.broadcast_arrays(ff, rr)
    check_fraction(ff, "phi")
    check_fraction_sum(ff, "phi")
    return scalar_or_array((ff * rr).sum(axis=0))


def with_porosity(phi: ArrayLike, porosity: ArrayLike) -> Any:
    """Scale dense-composite volume fractions by (1 - porosity).

    Parameters
    ----------
    phi : sequence of array_like
        Volume fractions of the dense composite, adding up to one [-].
    porosity : array_like
        Pore volume fraction of the whole body, ``0 <= porosity < 1`` [-].

    Returns
    -------
    ndarray, shape (n_phases + 1, ...)
        The scaled fractions followed by the pore fraction (the last row) [-].
    """
    ff = stack_phases(phi, "phi")
    check_fraction(ff, "phi")
    check_fraction_sum(ff, "phi")
    eps = check_fraction(porosity, "porosity", closed_upper=False)
    ff, eps = np.broadcast_arrays(ff, eps[None] if np.ndim(eps) else eps)
    scaled = ff * (1.0 - eps)
    return np.concatenate([scaled, eps[:1]], axis=0)


@dataclass(frozen=True)
class FillerFractions:
    """Volume and mass fractions of a filler in a polymer-electrolyte matrix.

    Attributes
    ----------
    phi_filler, phi_matrix, phi_pores : float or ndarray
        Volume fractions of the whole composite [-] (they add up to one).
    w_filler : float or ndarray
        Filler mass fraction of the total [-].
    density : float or ndarray
        Composite density including pores [kg/m^3].
    """

    phi_filler: Any
    phi_matrix: Any
    phi_pores: Any
    w_filler: Any
    density: Any


def filler_volume_fraction(
    loading: ArrayLike,
    *,
    rho_filler: ArrayLike,
    rho_matrix: ArrayLike,
    basis: Basis = "total",
    salt_to_polymer_mass: ArrayLike = 0.0,
    porosity: ArrayLike = 0.0,
) -> FillerFractions:
    """Convert a filler mass loading quoted on any basis to volume fractions of the composite.

    Parameters
    ----------
    loading : array_like
        Filler mass loading as a fraction (0.5 for "50 wt%") [-]. On basis ``"total"`` it is
        m_f / m_total (< 1); on ``"polymer"`` m_f / m_polymer and on ``"polymer_salt"``
        m_f / (m_polymer + m_salt) (both may exceed 1).
    rho_filler : array_like
        Filler density [kg/m^3].
    rho_matrix : array_like
        Density of the matrix, i.e. the polymer together with its salt [kg/m^3].
    basis : {"total", "polymer", "polymer_salt"}
        What the loading is relative to.
    salt_to_polymer_mass : array_like, optional
        m_salt / m_polymer in the matrix (needed for basis ``"polymer"`` when the matrix holds
        salt; see :func:`peo_litfsi`) [-].
    porosity : array_like, optional
        Pore volume fraction of the whole body [-].

    Returns
    -------
    FillerFractions

    Notes
    -----
    Mass fraction of the total: basis total w_f = L; polymer w_f = L/(1 + s + L);
    polymer_salt w_f = L/(1 + L), with s the salt-to-polymer mass ratio. Then
    :math:`\\phi_f=(w_f/\\rho_f)/(w_f/\\rho_f+(1-w_f)/\\rho_m)` and pores scale all by
    (1 - porosity).
    """
    if basis not in _BASES:
        raise InputError(f"basis must be one of {list(_BASES)}, got {basis!r}")
    L = check_nonneg(loading, "loading")
    s = check_nonneg(salt_to_polymer_mass, "salt_to_polymer_mass")
    rf = check_positive(rho_filler, "rho_filler")
    rm = check_positive(rho_matrix, "rho_matrix")
    eps = check_fraction(porosity, "porosity", closed_upper=False)
    if basis == "total":
        if np.any(L >= 1):
            raise InputError(f"loading on basis 'total' must be < 1, got {loading!r}")
        wf = L
    elif basis == "polymer":
        wf = L / (1.0 + s + L)
    else:
        wf = L / (1.0 + L)
    vf = wf / rf
    vm = (1.0 - wf) / rm
    phi_f = vf / (vf + vm)
    dense_rho = 1.0 / (vf + vm)
    return FillerFractions(
        phi_filler=scalar_or_array(phi_f * (1.0 - eps)),
        phi_matrix=scalar_or_array((1.0 - phi_f) * (1.0 - eps)),
        phi_pores=scalar_or_array(eps * np.ones_like(phi_f)),
        w_filler=scalar_or_array(wf),
        density=scalar_or_array(dense_rho * (1.0 - eps)),
    )


@dataclass(frozen=True)
class SPEComposition:
    """Composition of a PEO-LiTFSI solid polymer electrolyte.

    Attributes
    ----------
    n_EO_Li : float or ndarray
        EO:Li ratio [-].
    w_salt : float or ndarray
        Salt mass fraction [-].
    salt_to_polymer_mass : float or ndarray
        m_salt / m_PEO [-].
    density : float or ndarray
        SPE density assuming volume additivity [kg/m^3].
    concentration : float or ndarray
        Salt concentration [mol/m^3].
    molality : float or ndarray
        Moles of salt per kg of PEO [mol/kg].
    phi_salt : float or ndarray
        Salt volume fraction [-].
    """

    n_EO_Li: Any
    w_salt: Any
    salt_to_polymer_mass: Any
    density: Any
    concentration: Any
    molality: Any
    phi_salt: Any


@cites("Lascaud1994")
def peo_litfsi(
    n_EO_Li: ArrayLike,
    *,
    rho_peo: ArrayLike = RHO_PEO,
    rho_salt: ArrayLike = RHO_LITFSI,
) -> SPEComposition:
    """Composition of PEO-LiTFSI from the EO:Li ratio.

    Parameters
    ----------
    n_EO_Li : array_like
        Ether-oxygen to lithium ratio n, > 0 [-].
    rho_peo, rho_salt : array_like, optional
        Densities of PEO and LiTFSI used for volume additivity [kg/m^3].

    Returns
    -------
    SPEComposition

    Notes
    -----
    .. math:: w_{salt}=\\frac{M_{LiTFSI}}{nM_{EO}+M_{LiTFSI}},\\quad b=\\frac{1}{nM_{EO}},\\quad
              V_m=\\frac{nM_{EO}}{\\rho_{PEO}}+\\frac{M_{LiTFSI}}{\\rho_{LiTFSI}},\\quad
              \\rho=\\frac{nM_{EO}+M_{LiTFSI}}{V_m},\\quad c=1/V_m

    Measured densities differ from additivity by a few per cent; a measured value should
    override ``density``.

    Examples
    --------
    >>> round(peo_litfsi(20).w_salt, 7)
    0.2457647
    """
    n = check_positive(n_EO_Li, "n_EO_Li")
    rp = check_positive(rho_peo, "rho_peo")
    rs = check_positive(rho_salt, "rho_salt")
    m_poly = n * M_EO
    w = M_LITFSI / (m_poly + M_LITFSI)
    Vm = m_poly / rp + M_LITFSI / rs
    return SPEComposition(
        n_EO_Li=scalar_or_array(n),
        w_salt=scalar_or_array(w),
        salt_to_polymer_mass=scalar_or_array(M_LITFSI / m_poly),
        density=scalar_or_array((m_poly + M_LITFSI) / Vm),
        concentration=scalar_or_array(1.0 / Vm),
        molality=scalar_or_array(1.0 / m_poly),
        phi_salt=scalar_or_array((M_LITFSI / rs) / Vm),
    )


def amorphous_concentration(c: ArrayLike, chi_c: ArrayLike) -> Any:
    """Upper estimate of the salt concentration in the amorphous phase, c/(1 - chi_c).

    Parameters
    ----------
    c : array_like
        Overall salt concentration [mol/m^3].
    chi_c : array_like
        Crystalline volume fraction, ``0 <= chi_c < 1`` [-].

    Returns
    -------
    float or ndarray
        Concentration in the amorphous phase [mol/m^3].
    """
    cc = check_nonneg(c, "c")
    x = check_fraction(chi_c, "chi_c", closed_upper=False)
    return scalar_or_array(cc / (1.0 - x))
