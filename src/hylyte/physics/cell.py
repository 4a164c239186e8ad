"""Cell-level metrics of a Li-metal cell: energy, ohmic drop, electrolyte mass, cost and
critical elements (docs/PHYSICS.md section 7).

Single-sided unit cell: cathode current collector + cathode composite + electrolyte stack +
Li + anode current collector, no packaging. Prices and elemental compositions are passed in
by the caller (the materials library stores them with references); nothing here reads files.
Internal units are SI: areal capacity in C/m^2, specific capacity in C/kg, energies in J.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hylyte.errors import InputError
from hylyte.physics._common import (
    check_fraction,
    check_nonneg,
    check_positive,
    scalar_or_array,
)

__all__ = [
    "J_PER_KWH",
    "J_PER_WH",
    "LI_SPECIFIC_CAPACITY",
    "LI_VOLUMETRIC_CAPACITY",
    "CellEnergy",
    "CostBreakdown",
    "cell_energy",
    "electrolyte_areal_mass",
    "element_inventory",
    "li_thickness",
    "materials_cost",
    "ohmic_drop",
]

J_PER_WH = 3600.0  # [J/Wh]
J_PER_KWH = 3.6e6  # [J/kWh]
LI_SPECIFIC_CAPACITY = 3861.0 * 3.6 * 1e3  # 3861 mAh/g [C/kg]
LI_VOLUMETRIC_CAPACITY = 2062.0 * 3.6 * 1e6  # 2062 mAh/cm^3 [C/m^3]


def li_thickness(areal_capacity: ArrayLike, *, n_to_p: ArrayLike = 1.0) -> Any:
    """Thickness of a Li-metal anode holding N/P times the cathode capacity.

    Parameters
    ----------
    areal_capacity : array_like
        Cathode areal capacity Q_A [C/m^2].
    n_to_p : array_like, optional
        N/P ratio (0: anode-free) [-].

    Returns
    -------
    float or ndarray
        :math:`L_{Li}=(N/P)Q_A/q_V` with q_V = 2062 mAh/cm^3 (4.8498 um per mAh/cm^2) [m].
    """
    Q = check_nonneg(areal_capacity, "areal_capacity")
    npr = check_nonneg(n_to_p, "n_to_p")
    return scalar_or_array(npr * Q / LI_VOLUMETRIC_CAPACITY)


def electrolyte_areal_mass(thickness: Sequence[ArrayLike], density: Sequence[ArrayLike]) -> Any:
    """Areal mass of the electrolyte layers, :math:`\\sum_i\\rho_iL_i` [kg/m^2].

    Parameters
    ----------
    thickness : sequence of array_like
        Layer thicknesses [m].
    density : sequence of array_like
        Layer densities [kg/m^3].
    """
    if len(thickness) != len(density):
        raise InputError("thickness and density must list the same layers")
    tot = 0.0
    for i, (L, rho) in enumerate(zip(thickness, density, strict=True)):
        tot = tot + check_nonneg(L, f"thickness[{i}]") * check_nonneg(rho, f"density[{i}]")
    return scalar_or_array(np.asarray(tot, dtype=float))


@dataclass(frozen=True)
class CellEnergy:
    """Energy metrics of a unit cell.

    Attributes
    ----------
    specific_energy_Wh_per_kg : float or ndarray
        Energy per cell mass [Wh/kg].
    energy_density_Wh_per_L : float or ndarray
        Energy per cell volume [Wh/L].
    energy_per_area_J_per_m2 : float or ndarray
        E_A = Q_A V [J/m^2].
    mass_per_area_kg_per_m2 : float or ndarray
        Cell areal mass [kg/m^2].
    thickness_m : float or ndarray
        Cell thickness [m].
    breakdown_mass_kg_per_m2, breakdown_thickness_m : dict
        Per component (cathode_cc, cathode, electrolyte, li, anode_cc).
    """

    specific_energy_Wh_per_kg: Any
    energy_density_Wh_per_L: Any
    energy_per_area_J_per_m2: Any
    mass_per_area_kg_per_m2: Any
    thickness_m: Any
    breakdown_mass_kg_per_m2: dict[str, Any] = field(default_factory=dict)
    breakdown_thickness_m: dict[str, Any] = field(default_factory=dict)


def cell_energy(
    *,
    areal_capacity: ArrayLike,
    mean_voltage: ArrayLike,
    specific_capacity_am: ArrayLike,
    active_fraction: ArrayLike,
    cathode_density: ArrayLike,
    electrolyte_thickness: ArrayLike,
    electrolyte_density: ArrayLike,
    n_to_p: ArrayLike = 1.0,
    cathode_cc_thickness: ArrayLike = 12e-6,
    cathode_cc_density: ArrayLike = 2700.0,
    anode_cc_thickness: ArrayLike = 8e-6,
    anode_cc_density: ArrayLike = 8960.0,
    cc_share: ArrayLike = 1.0,
) -> CellEnergy:
    """Specific energy and energy density of a Li-metal unit cell.

    Parameters
    ----------
    areal_capacity : array_like
        Cathode areal capacity Q_A [C/m^2] (3 mAh/cm^2 = 1.08e5 C/m^2).
    mean_voltage : array_like
        Mean discharge voltage [V].
    specific_capacity_am : array_like
        Specific capacity of the cathode active material [C/kg] (200 mAh/g = 7.2e5 C/kg).
    active_fraction : array_like
        Active mass fraction of the cathode composite [-].
    cathode_density : array_like
        Cathode composite density [kg/m^3].
    electrolyte_thickness : array_like
        Total electrolyte thickness [m].
    electrolyte_density : array_like
        Electrolyte density [kg/m^3] (section 2).
    n_to_p : array_like, optional
        Li excess N/P (0: anode-free) [-].
    cathode_cc_thickness, cathode_cc_density : array_like, optional
        Cathode current collector (Al) [m], [kg/m^3].
    anode_cc_thickness, anode_cc_density : array_like, optional
        Anode current collector (Cu) [m], [kg/m^3].
    cc_share : array_like, optional
        Fraction of each current collector attributed to this cell (1/2 for double-sided
        stacks that share collectors) [-].

    Returns
    -------
    CellEnergy

    Notes
    -----
    m_cat = Q_A/(q_am w_am), L_cat = m_cat/rho_cat, Li mass Q_A (N/P)/3861 mAh/g and
    thickness (N/P) Q_A / 2062 mAh/cm^3; E_A = Q_A V; specific energy E_A / sum m, energy
    density E_A / sum L.

    Examples
    --------
    >>> e = cell_energy(areal_capacity=1.08e5, mean_voltage=3.8, specific_capacity_am=7.2e5,
    ...                 active_fraction=0.75, cathode_density=3300.0,
    ...                 electrolyte_thickness=30e-6, electrolyte_density=1991.6, n_to_p=2.0)
    >>> round(float(e.specific_energy_Wh_per_kg), 1), round(float(e.energy_density_Wh_per_L))
    (300.5, 816)
    """
    Q = check_positive(areal_capacity, "areal_capacity")
    V = check_positive(mean_voltage, "mean_voltage")
    q = check_positive(specific_capacity_am, "specific_capacity_am")
    w = check_fraction(active_fraction, "active_fraction")
    if np.any(w <= 0):
        raise InputError(f"active_fraction must be > 0, got {active_fraction!r}")
    rc = check_positive(cathode_density, "cathode_density")
    Lse = check_nonneg(electrolyte_thickness, "electrolyte_thickness")
    rse = check_nonneg(electrolyte_density, "electrolyte_density")
    npr = check_nonneg(n_to_p, "n_to_p")
    share = check_fraction(cc_share, "cc_share")
    Lacc = check_nonneg(cathode_cc_thickness, "cathode_cc_thickness") * share
    Lncc = check_nonneg(anode_cc_thickness, "anode_cc_thickness") * share
    racc = check_nonneg(cathode_cc_density, "cathode_cc_density")
    rncc = check_nonneg(anode_cc_density, "anode_cc_density")
    m_cat = Q / (q * w)
    L_cat = m_cat / rc
    L_li = npr * Q / LI_VOLUMETRIC_CAPACITY
    m_li = npr * Q / LI_SPECIFIC_CAPACITY
    masses = {"cathode_cc": Lacc * racc, "cathode": m_cat, "electrolyte": Lse * rse,
              "li": m_li, "anode_cc": Lncc * rncc}
    thick = {"cathode_cc": Lacc, "cathode": L_cat, "electrolyte": Lse, "li": L_li,
             "anode_cc": Lncc}
    m_tot = sum(masses.values())
    L_tot = sum(thick.values())
    E = Q * V
    conv = scalar_or_array
    return CellEnergy(
        specific_energy_Wh_per_kg=conv(E / m_tot / J_PER_WH),
        energy_density_Wh_per_L=conv(E / L_tot / J_PER_WH / 1000.0),
        energy_per_area_J_per_m2=conv(np.asarray(E)), mass_per_area_kg_per_m2=conv(m_tot),
        thickness_m=conv(L_tot),
        breakdown_mass_kg_per_m2={k: conv(np.asarray(v)) for k, v in masses.items()},
        breakdown_thickness_m={k: conv(np.asarray(v)) for k, v in thick.items()},
    )


def ohmic_drop(c_rate: ArrayLike, areal_capacity: ArrayLike, asr: ArrayLike, *,
               mean_voltage: ArrayLike | None = None,
               i_lim: ArrayLike | None = None) -> dict[str, Any]:
    """Ohmic voltage drop of the electrolyte at a C-rate.

    Parameters
    ----------
    c_rate : array_like
        C-rate n (1/h) [-].
    areal_capacity : array_like
        Q_A [C/m^2].
    asr : array_like
        Electrolyte area-specific resistance [ohm m^2].
    mean_voltage : array_like, optional
        Mean voltage, to report the relative efficiency loss [V].
    i_lim : array_like, optional
        Limiting current density, to report i / i_lim [A/m^2].

    Returns
    -------
    dict
        ``current_density_A_per_m2`` (i = n Q_A / 3600 s), ``drop_V`` (i ASR) and, when
        given the inputs, ``efficiency_loss`` (drop / V) and ``i_over_i_lim``.
    """
    n = check_nonneg(c_rate, "c_rate")
    Q = check_nonneg(areal_capacity, "areal_capacity")
    R = check_nonneg(asr, "asr")
    i = n * Q / 3600.0
    out: dict[str, Any] = {"current_density_A_per_m2": scalar_or_array(i),
                           "drop_V": scalar_or_array(i * R)}
    if mean_voltage is not None:
        out["efficiency_loss"] = scalar_or_array(i * R / check_positive(mean_voltage,
                                                                          "mean_voltage"))
    if i_lim is not None:
        out["i_over_i_lim"] = scalar_or_array(i / check_positive(i_lim, "i_lim",
                                                                 allow_inf=True))
    return out


@dataclass(frozen=True)
class CostBreakdown:
    """Materials cost of an electrolyte (or any set of layers).

    Attributes
    ----------
    cost_per_m2_USD : float
        Materials cost per m^2 of cell area [USD/m^2].
    cost_per_kWh_USD : float or None
        Cost per kWh of cell energy, when ``energy_per_area`` was given [USD/kWh].
    per_component_USD_per_m2 : dict
        Cost of each named component [USD/m^2].
    """

    cost_per_m2_USD: float
    cost_per_kWh_USD: float | None
    per_component_USD_per_m2: dict[str, float]


def materials_cost(
    areal_mass: Mapping[str, float],
    price_per_kg: Mapping[str, float],
    *,
    energy_per_area: float | None = None,
) -> CostBreakdown:
    """Materials cost per area and per kWh from component areal masses and prices.

    Parameters
    ----------
    areal_mass : mapping of str to float
        Areal mass of each component (e.g. ``{"LLZO": 0.03, "PEO": 0.02, "LiTFSI": 0.007}``)
        [kg/m^2].
    price_per_kg : mapping of str to float
        Price of each component [USD/kg]; every key of ``areal_mass`` must be present.
    energy_per_area : float, optional
        Cell energy per area E_A [J/m^2] (from :func:`cell_energy`).

    Returns
    -------
    CostBreakdown
    """
    per: dict[str, float] = {}
    for k, m in areal_mass.items():
        if k not in price_per_kg:
            raise InputError(f"price_per_kg has no entry for component {k!r}; "
                             f"known: {sorted(price_per_kg)}")
        per[k] = float(check_nonneg(m, f"areal_mass[{k!r}]")) * float(
            check_nonneg(price_per_kg[k], f"price_per_kg[{k!r}]"))
    tot = float(sum(per.values()))
    per_kwh = None
    if energy_per_area is not None:
        per_kwh = tot / (float(check_positive(energy_per_area, "energy_per_area")) / J_PER_KWH)
    return CostBreakdown(tot, per_kwh, per)


def element_inventory(
    areal_mass: Mapping[str, float],
    compositions: Mapping[str, Mapping[str, float]],
    *,
    energy_per_area: float,
    elements: Sequence[str] | None = None,
) -> dict[str, float]:
    """Mass of each (critical) element per kWh of cell energy.

    Parameters
    ----------
    areal_mass : mapping of str to float
        Areal mass of each component [kg/m^2].
    compositions : mapping of str to mapping of str to float
        Elemental mass fractions of each component (``{"LLZO": {"La": 0.47, ...}}``); the
        fractions of a component must not add up to more than one [-].
    energy_per_area : float
        Cell energy per area E_A [J/m^2].
    elements : sequence of str, optional
        Only report these elements (e.g. ``("Ge", "Ta", "La", "Li")``); all by default.

    Returns
    -------
    dict of str to float
        Element -> mass per kWh [kg/kWh].
    """
    e_kwh = float(check_positive(energy_per_area, "energy_per_area")) / J_PER_KWH
    out: dict[str, float] = {}
    for comp, m in areal_mass.items():
        if comp not in compositions:
            raise InputError(f"compositions has no entry for component {comp!r}")
        fr = compositions[comp]
        total = 0.0
        for el, w in fr.items():
            wv = float(check_fraction(w, f"compositions[{comp!r}][{el!r}]"))
            total += wv
            if elements is None or el in elements:
                out[el] = out.get(el, 0.0) + float(check_nonneg(m, f"areal_mass[{comp!r}]")) \
                    * wv / e_kwh
        if total > 1.0 + 1e-9:
            raise InputError(f"elemental mass fractions of {comp!r} add up to {total} > 1")
    if elements is not None:
        for el in elements:
            out.setdefault(el, 0.0)
    return out
