"""Multilayer electrolyte stacks: area-specific resistance, limiting current, Sand's time.

Layers are plain dataclasses holding SI numbers or callables ``sigma(T)`` (for example a
conductivity law from :mod:`hylyte.materials`); nothing here reads files
(docs/PHYSICS.md section 5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hylyte._provenance import cites
from hylyte.errors import InputError
from hylyte.physics._common import (
    check_fraction,
    check_nonneg,
    check_positive,
    scalar_or_array,
)
from hylyte.units import F_CONST, K_B_EV

__all__ = [
    "Interface",
    "Layer",
    "StackASR",
    "interface_asr",
    "limiting_current",
    "sand_time",
    "stack_asr",
    "stack_limiting_current",
    "temperature_for_asr",
]

T_REF = 298.15  # reference temperature of interface ASRs [K]


@dataclass(frozen=True)
class Layer:
    """One electrolyte layer of a stack.

    Attributes
    ----------
    name : str
        Label used in breakdowns.
    thickness : float
        Layer thickness [m].
    sigma : float or callable
        Conductivity [S/m], or ``sigma(T) -> S/m`` accepting an array of T [K].
    rho_plus : float
        Current fraction rho+ (1 for single-ion ceramics) [-].
    D_salt : float or None
        Salt diffusivity for binary layers [m^2/s] (limiting current).
    c0 : float or None
        Salt concentration for binary layers [mol/m^3].
    T_min : float or None
        Lowest temperature where ``sigma`` is defined (e.g. VTF T0) [K]; evaluating at or
        below it raises.
    """

    name: str
    thickness: float
    sigma: float | Callable[[Any], Any]
    rho_plus: float = 1.0
    D_salt: float | None = None
    c0: float | None = None
    T_min: float | None = None

    def conductivity(self, T: ArrayLike) -> np.ndarray:
        """Conductivity at temperature(s) T [K], in S/m."""
        TT = check_positive(T, "T")
        if self.T_min is not None and np.any(self.T_min >= TT):
            raise InputError(
                f"layer {self.name!r}: T must be above {self.T_min} K (law domain), got "
                f"min {float(np.min(TT))} K")
        s = self.sigma(TT) if callable(self.sigma) else self.sigma
        s = np.broadcast_to(np.asarray(s, dtype=float), TT.shape)
        if np.any(~np.isfinite(s)) or np.any(s <= 0):
            raise InputError(f"layer {self.name!r}: conductivity must be finite and > 0, "
                             f"got {s!r}")
        return s


@dataclass(frozen=True)
class Interface:
    """An interface with an Arrhenius area-specific resistance.

    Attributes
    ----------
    name : str
        Label (e.g. ``"Li|PEO"``, ``"PEO|LLZO"``).
    asr_ref : float
        ASR at ``T_ref`` [ohm m^2].
    Ea : float
        Activation energy [eV].
    T_ref : float
        Reference temperature [K].
    li_only : bool
        Whether only Li+ crosses (ceramic-facing and electrode interfaces).
    """

    name: str
    asr_ref: float
    Ea: float = 0.0
    T_ref: float = T_REF
    li_only: bool = True

    def asr(self, T: ArrayLike) -> np.ndarray:
        """ASR at temperature(s) T [K], in ohm m^2."""
        return np.asarray(interface_asr(T, self.asr_ref, Ea=self.Ea, T_ref=self.T_ref))


def interface_asr(T: ArrayLike, asr_ref: ArrayLike, *, Ea: ArrayLike = 0.0,
                  T_ref: float = T_REF) -> Any:
    """Arrhenius interfacial area-specific resistance.

    Parameters
    ----------
    T : array_like
        Temperature [K].
    asr_ref : array_like
        ASR at T_ref [ohm m^2].
    Ea : array_like, optional
        Activation energy [eV].
    T_ref : float, optional
        Reference temperature [K].

    Returns
    -------
    float or ndarray
        :math:`R(T)=R_{ref}\\exp[(E_a/k_B)(1/T-1/T_{ref})]` [ohm m^2].
    """
    TT = check_positive(T, "T")
    R0 = check_nonneg(asr_ref, "asr_ref")
    E = np.asarray(Ea, dtype=float)
    check_positive(T_ref, "T_ref")
    return scalar_or_array(R0 * np.exp(E / K_B_EV * (1.0 / TT - 1.0 / T_ref)))


@dataclass(frozen=True)
class StackASR:
    """Area-specific resistance of a stack and its breakdown.

    Attributes
    ----------
    T : float or ndarray
        Temperatures [K].
    total : float or ndarray
        Total ASR [ohm m^2].
    layers : dict of str to ndarray
        Bulk ASR L_i / sigma_i(T) of each layer [ohm m^2].
    interfaces : dict of str to ndarray
        ASR of each interface [ohm m^2].
    """

    T: Any
    total: Any
    layers: dict[str, Any] = field(default_factory=dict)
    interfaces: dict[str, Any] = field(default_factory=dict)


def _unique(names: list[str], what: str) -> None:
    if len(set(names)) != len(names):
        raise InputError(f"{what} names must be unique, got {names}")


def stack_asr(layers: Sequence[Layer], interfaces: Sequence[Interface] = (), *,
              T: ArrayLike) -> StackASR:
    """Area-specific resistance of layers and interfaces in series.

    Parameters
    ----------
    layers : sequence of Layer
        The electrolyte layers.
    interfaces : sequence of Interface, optional
        Interfaces (internal and electrode).
    T : array_like
        Temperature(s) [K].

    Returns
    -------
    StackASR
        :math:`\\mathrm{ASR}(T)=\\sum_iL_i/\\sigma_i(T)+\\sum_kR_k(T)` with the breakdown.
    """
    if len(layers) == 0:
        raise InputError("stack_asr needs at least one layer")
    _unique([lay.name for lay in layers], "layer")
    _unique([i.name for i in interfaces], "interface")
    TT = check_positive(T, "T")
    lay = {}
    for layer in layers:
        L = check_nonneg(layer.thickness, f"layer {layer.name!r} thickness")
        lay[layer.name] = L / layer.conductivity(TT)
    itf = {i.name: np.broadcast_to(i.asr(TT), TT.shape) for i in interfaces}
    total = sum(lay.values()) + sum(itf.values(), np.zeros(TT.shape))
    conv = scalar_or_array
    return StackASR(conv(TT), conv(np.asarray(total, float)),
                    {k: conv(v) for k, v in lay.items()}, {k: conv(v) for k, v in itf.items()})


@cites("BalsaraNewman2015")
def limiting_current(D: ArrayLike, c0: ArrayLike, L: ArrayLike, t_plus: ArrayLike) -> Any:
    """Steady-state limiting current density of a binary-salt layer.

    Parameters
    ----------
    D : array_like
        Salt diffusivity [m^2/s].
    c0 : array_like
        Salt concentration [mol/m^3].
    L : array_like
        Layer thickness [m].
    t_plus : array_like
        Cation transference number (use rho+) [-].

    Returns
    -------
    float or ndarray
        :math:`i_{lim}=2FDc_0/[(1-t_+)L]` [A/m^2]; ``inf`` for t+ = 1.

    Examples
    --------
    >>> round(limiting_current(1e-12, 1000.0, 50e-6, 0.2), 6)
    4.824267
    """
    DD = check_nonneg(D, "D")
    cc = check_nonneg(c0, "c0")
    LL = check_positive(L, "L")
    t = check_fraction(t_plus, "t_plus")
    with np.errstate(divide="ignore"):
        out = 2.0 * F_CONST * DD * cc / ((1.0 - t) * LL)
    return scalar_or_array(np.where(t >= 1.0, np.inf, out))


@cites("Sand1901")
def sand_time(i: ArrayLike, D: ArrayLike, c0: ArrayLike, t_plus: ArrayLike) -> Any:
    """Sand's time for salt depletion at a Li+ sink (semi-infinite diffusion).

    Parameters
    ----------
    i : array_like
        Current density, > 0 [A/m^2].
    D : array_like
        Salt diffusivity [m^2/s].
    c0 : array_like
        Salt concentration [mol/m^3].
    t_plus : array_like
        Cation transference number (use rho+) [-].

    Returns
    -------
    float or ndarray
        :math:`t_{Sand}=\\pi D(Fc_0)^2/\\{4[i(1-t_+)]^2\\}` [s]; ``inf`` for t+ = 1. Valid
        while t_Sand << L^2/D and only when i > i_lim.

    References
    ----------
    .. [1] H. J. S. Sand, Phil. Mag. 1, 45 (1901), doi:10.1080/14786440109462590
    """
    ii = check_positive(i, "i")
    DD = check_nonneg(D, "D")
    cc = check_nonneg(c0, "c0")
    t = check_fraction(t_plus, "t_plus")
    with np.errstate(divide="ignore"):
        out = np.pi * DD * (F_CONST * cc) ** 2 / (4.0 * (ii * (1.0 - t)) ** 2)
    return scalar_or_array(np.where(t >= 1.0, np.inf, out))


def stack_limiting_current(layers: Sequence[Layer]) -> tuple[float, str | None]:
    """Limiting current of a stack: the minimum over its binary-salt layers.

    Parameters
    ----------
    layers : sequence of Layer
        Layers; those with rho_plus < 1 need ``D_salt`` and ``c0``.

    Returns
    -------
    i_lim : float
        Stack limiting current density [A/m^2] (``inf`` if no binary layer).
    limiting_layer : str or None
        Name of the layer that sets it.
    """
    best, name = np.inf, None
    for layer in layers:
        if layer.rho_plus >= 1.0:
            continue
        if layer.D_salt is None or layer.c0 is None:
            raise InputError(f"layer {layer.name!r} is binary (rho_plus < 1) and needs "
                             "D_salt [m^2/s] and c0 [mol/m^3] for the limiting current")
        i = float(limiting_current(layer.D_salt, layer.c0, layer.thickness, layer.rho_plus))
        if i < best:
            best, name = i, layer.name
    return float(best), name


def temperature_for_asr(
    layers: Sequence[Layer],
    interfaces: Sequence[Interface] = (),
    *,
    asr_target: float,
    T_min: float = 200.0,
    T_max: float = 500.0,
    xtol: float = 1e-9,
) -> float | None:
    """Temperature at which the stack ASR equals a target (bracketed Brent).

    Parameters
    ----------
    layers, interfaces
        The stack (see :func:`stack_asr`).
    asr_target : float
        Target ASR [ohm m^2].
    T_min, T_max : float, optional
        Search bracket [K]; T_min is raised above every layer's ``T_min`` (VTF T0).
    xtol : float, optional
        Absolute tolerance on T [K].

    Returns
    -------
    float or None
        T* [K], or None when ASR - target does not change sign on the bracket.

    Notes
    -----
    ASR decreases monotonically with T when every activation energy exceeds k_B T; the root
    is then unique. For one plain-Arrhenius layer
    :math:`T^*=E_a/\\{k_B\\ln[\\mathrm{ASR}^*A/L]\\}`.
    """
    from scipy.optimize import brentq

    target = float(check_positive(asr_target, "asr_target"))
    lo = float(T_min)
    for layer in layers:
        if layer.T_min is not None:
            lo = max(lo, layer.T_min * (1 + 1e-9) + 1e-6)
    hi = float(T_max)
    if not hi > lo:
        raise InputError(f"temperature bracket is empty: [{lo}, {hi}] K")

    def f(T: float) -> float:
        # log form: better conditioned, and an underflowing conductivity (VTF near T0)
        # becomes a huge but finite resistance instead of an error
        tot = 0.0
        for layer in layers:
            s = layer.sigma(T) if callable(layer.sigma) else layer.sigma
            s = float(np.asarray(s, dtype=float))
            tot += layer.thickness / s if s > 0 else np.inf
        for itf in interfaces:
            tot += float(itf.asr(T))
        return float(np.log(min(tot, 1e300)) - np.log(target))

    flo, fhi = f(lo), f(hi)
    if flo == 0.0:
        return lo
    if fhi == 0.0:
        return hi
    if np.sign(flo) == np.sign(fhi):
        return None
    return float(brentq(f, lo, hi, xtol=xtol, rtol=4 * np.finfo(float).eps))
