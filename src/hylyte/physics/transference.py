"""Transference number of composites and layered stacks (docs/PHYSICS.md section 4).

For a microstructure whose ceramic conducts Li+ only, the steady-state (anion-blocked) problem
is a one-carrier conduction problem in which the polymer conducts rho+ sigma_p. Hence
t+ = EMT(rho+ sigma_p, sigma_c) / EMT(sigma_p, sigma_c) with the *same* EMT and geometry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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
    "StackTransference",
    "composite_t_plus",
    "stack_t_plus",
    "t_plus_from_emt",
]

_MODELS = ("bruggeman", "maxwell_garnett", "parallel", "series", "mg_random_spheroids",
           "hasselman_johnson", "three_pathway")


@cites("BalsaraNewman2015", "BruceVincent1987")
def t_plus_from_emt(
    emt: Callable[[np.ndarray, np.ndarray], Any],
    sigma_p: ArrayLike,
    sigma_c: ArrayLike,
    *,
    rho_plus: ArrayLike,
) -> Any:
    """Composite transference number from any EMT callable.

    Parameters
    ----------
    emt : callable
        ``emt(sigma_polymer, sigma_ceramic) -> sigma_eff`` for a fixed geometry; it is
        called twice, with sigma_p and with rho_plus sigma_p.
    sigma_p, sigma_c : array_like
        Polymer and ceramic conductivities [S/m].
    rho_plus : array_like
        Polymer Bruce-Vincent current fraction rho+, from 0 to 1 [-].

    Returns
    -------
    float or ndarray
        :math:`t_+^{comp}=\\mathrm{EMT}(\\rho_+\\sigma_p,\\sigma_c)/\\mathrm{EMT}(\\sigma_p,
        \\sigma_c)` [-].
    """
    sp = check_conductivity(sigma_p, "sigma_p")
    sc = check_conductivity(sigma_c, "sigma_c")
    rp = check_fraction(rho_plus, "rho_plus")
    num = np.asarray(emt(rp * sp, sc), dtype=float)
    den = np.asarray(emt(sp, sc), dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    if np.any(~np.isfinite(out)):
        raise InputError("composite t+: the ohmic effective conductivity is 0 "
                         "(nothing conducts), t+ is undefined")
    return scalar_or_array(out)


@cites("BalsaraNewman2015", "BruceVincent1987", "Bruggeman1935", "MaxwellGarnett1904")
def composite_t_plus(
    sigma_p: ArrayLike,
    sigma_c: ArrayLike,
    phi_c: ArrayLike,
    *,
    rho_plus: ArrayLike,
    model: str = "bruggeman",
    aspect: ArrayLike = 1.0,
    radius: ArrayLike | None = None,
    R_int: ArrayLike = 0.0,
    sigma_i: ArrayLike | None = None,
    t_i: ArrayLike = 0.0,
) -> Any:
    """Transference number of a polymer-ceramic composite (single-ion ceramic, t = 1).

    Parameters
    ----------
    sigma_p : array_like
        Polymer (ohmic) conductivity [S/m].
    sigma_c : array_like
        Ceramic conductivity (0 for a passive filler) [S/m].
    phi_c : array_like
        Ceramic volume fraction [-].
    rho_plus : array_like
        Polymer current fraction rho+ (Bruce-Vincent) [-].
    model : str, optional
        ``"bruggeman"``, ``"maxwell_garnett"``, ``"parallel"`` (continuous ceramic columns
        along the field), ``"series"``, ``"mg_random_spheroids"`` (uses ``aspect``),
        ``"hasselman_johnson"`` (needs ``radius``, uses ``R_int``) or ``"three_pathway"``
        (spheres of ``radius`` with an interphase ``sigma_i``, ``t_i`` and ``R_int``; the
        interphase is assumed to share the polymer's rho+).
    aspect, radius, R_int, sigma_i, t_i : array_like, optional
        Geometry passed to the model [-, m, ohm m^2, S/m, m].

    Returns
    -------
    float or ndarray
        t+ of the composite, rho+ <= t+ <= 1 [-].

    Notes
    -----
    Derivation (section 4.2): with anion-blocking ceramic and electrodes, the steady-state
    anion flux vanishes everywhere, so Li+ obeys a one-carrier problem with polymer
    conductivity rho+ sigma_p. A passive filler gives t+ = rho+ exactly because every EMT
    is homogeneous of degree one in the conductivities. The interphase may really have its
    own rho+ (anion-trapping surfaces); that case breaks assumption (ii) and is not modelled.

    References
    ----------
    .. [1] N. P. Balsara, J. Newman, J. Electrochem. Soc. 162, A2720 (2015),
       doi:10.1149/2.0651514jes

    Examples
    --------
    >>> round(composite_t_plus(1.0, 10.0, 0.3, rho_plus=0.2, model="parallel"), 7)
    0.8486486
    """
    from hylyte.physics import emt as E
    from hylyte.physics.interphase import hasselman_johnson
    from hylyte.physics.pathways import three_pathway

    if model not in _MODELS:
        raise InputError(f"model must be one of {list(_MODELS)}, got {model!r}")
    pc = check_fraction(phi_c, "phi_c")
    if model == "bruggeman":
        def f(a, b):
            return E.bruggeman([a, b], [1.0 - pc, pc]) if np.all(np.asarray(aspect) == 1) \
                else E.composite_conductivity(a, b, pc, model="bruggeman",
                                              aspect=aspect).sigma_eff
    elif model == "maxwell_garnett":
        def f(a, b):
            return E.maxwell_garnett(a, b, pc)
    elif model == "mg_random_spheroids":
        def f(a, b):
            return E.mg_random_spheroids(a, b, pc, aspect)
    elif model == "parallel":
        def f(a, b):
            return (1.0 - pc) * a + pc * b
    elif model == "series":
        def f(a, b):
            with np.errstate(divide="ignore"):
                return 1.0 / ((1.0 - pc) / a + pc / b)
    elif model == "hasselman_johnson":
        if radius is None:
            raise InputError("model 'hasselman_johnson' needs radius [m]")

        def f(a, b):
            return hasselman_johnson(a, b, pc, radius=radius, R_int=R_int)
    else:
        if radius is None:
            raise InputError("model 'three_pathway' needs radius [m]")
        si = check_conductivity(sigma_p if sigma_i is None else sigma_i, "sigma_i")
        sp0 = check_positive(sigma_p, "sigma_p")
        ratio = si / sp0

        def f(a, b):
            return three_pathway(a, b, pc, radius=radius, interphase_ratio=ratio, t_i=t_i,
                                 R_int=R_int).sigma_eff
    return t_plus_from_emt(f, sigma_p, sigma_c, rho_plus=rho_plus)


@dataclass(frozen=True)
class StackTransference:
    """Transference number of a layered stack.

    Attributes
    ----------
    t_plus : float or ndarray
        R_ohm / R_ss: the R-weighted harmonic mean of the layer rho+ [-].
    retention_ratio : float or ndarray
        (R_ohm + sum R_k) / (R_ss + sum R_k) with the Li-only interface ASRs; *not* a
        transference number [-].
    R_ohm, R_ss : float or ndarray
        Ohmic and steady-state bulk area-specific resistances [ohm m^2].
    R_interfaces : float or ndarray
        Sum of the Li-only interfacial ASRs [ohm m^2].
    """

    t_plus: Any
    retention_ratio: Any
    R_ohm: Any
    R_ss: Any
    R_interfaces: Any


@cites("BalsaraNewman2015", "BruceVincent1987")
def stack_t_plus(
    thickness: Sequence[ArrayLike],
    sigma: Sequence[ArrayLike],
    rho_plus: Sequence[ArrayLike],
    *,
    interface_asr: Sequence[ArrayLike] = (),
) -> StackTransference:
    """Transference number of electrolyte layers in series.

    Parameters
    ----------
    thickness : sequence of array_like
        Layer thicknesses L_i [m].
    sigma : sequence of array_like
        Layer conductivities sigma_i [S/m].
    rho_plus : sequence of array_like
        Layer current fractions (1 for single-ion ceramic layers) [-].
    interface_asr : sequence of array_like, optional
        Li-only interfacial ASRs R_k (internal and electrode interfaces) [ohm m^2].

    Returns
    -------
    StackTransference

    Notes
    -----
    :math:`R_\\Omega=\\sum_iL_i/\\sigma_i`, :math:`R_{ss}=\\sum_iL_i/(\\rho_{+,i}\\sigma_i)`,
    :math:`t_+^{stack}=R_\\Omega/R_{ss}`; retention ratio
    :math:`(R_\\Omega+\\sum R_k)/(R_{ss}+\\sum R_k)`.

    Examples
    --------
    >>> r = stack_t_plus([5e-6, 100e-6, 5e-6], [1e-2, 1e-1, 1e-2], [0.2, 1.0, 0.2])
    >>> round(r.t_plus, 12)
    0.333333333333
    """
    n = len(thickness)
    if n == 0 or len(sigma) != n or len(rho_plus) != n:
        raise InputError("thickness, sigma and rho_plus must list the same number (>= 1) of "
                         f"layers, got {len(thickness)}, {len(sigma)}, {len(rho_plus)}")
    R_ohm = 0.0
    R_ss = 0.0
    for i in range(n):
        L = check_nonneg(thickness[i], f"thickness[{i}]")
        s = check_positive(sigma[i], f"sigma[{i}]")
        rp = check_fraction(rho_plus[i], f"rho_plus[{i}]")
        if np.any(rp <= 0):
            raise InputError(f"rho_plus[{i}] must be > 0 for a steady state, got {rho_plus[i]!r}")
        R_ohm = R_ohm + L / s
        R_ss = R_ss + L / (rp * s)
    R_k = 0.0
    for k, r in enumerate(interface_asr):
        R_k = R_k + check_nonneg(r, f"interface_asr[{k}]")
    R_ohm, R_ss = np.asarray(R_ohm, float), np.asarray(R_ss, float)
    if np.any(R_ss <= 0):
        raise InputError("stack_t_plus: all layers have zero thickness")
    return StackTransference(
        t_plus=scalar_or_array(R_ohm / R_ss),
        retention_ratio=scalar_or_array((R_ohm + R_k) / (R_ss + R_k)),
        R_ohm=scalar_or_array(R_ohm), R_ss=scalar_or_array(R_ss),
        R_interfaces=scalar_or_array(np.asarray(R_k, float)),
    )
