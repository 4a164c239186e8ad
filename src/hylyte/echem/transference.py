"""Bruce-Vincent / Evans transference number from a potentiostatic polarisation (§9.3).

A symmetric Li|SE|Li cell is polarised by a small step ``dV``; the current decays from
``I0`` to a steady ``I_ss``. With the interfacial resistances before (``R0``) and after
(``R_ss``) the step:

* corrected (Evans-Vincent-Bruce): ``t+ = I_ss (dV - I0 R0) / (I0 (dV - I_ss R_ss))``;
* with ``I0 = dV/(R_b + R0)`` from EIS: ``t+ = R_b / (dV/I_ss - R_ss)``;
* uncorrected ``I_ss/I0`` (valid only when ``R0 = R_ss = 0``).

What comes out is the current fraction rho+ of a non-ideal electrolyte, not t+0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from hylyte._provenance import cites
from hylyte.echem.readers import EchemData
from hylyte.errors import InputError


def _pos(name: str, v: float, allow_zero: bool = False) -> float:
    v = float(v)
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        allowed = ">= 0" if allow_zero else "> 0"
        raise InputError(f"{name} must be finite and {allowed}, got {v!r}")
    return v


@cites("BruceVincent1987", "Evans1987")
def bruce_vincent(dV_V: float, I0_A: float, Iss_A: float, *, R0_ohm: float = 0.0,
                  Rss_ohm: float = 0.0) -> float:
    """Corrected Bruce-Vincent-Evans transference number [-].

    Parameters
    ----------
    dV_V : float
        Polarisation step [V] (<= 10 mV recommended).
    I0_A, Iss_A : float
        Initial and steady-state currents [A] (same sign as ``dV``; magnitudes are used).
    R0_ohm, Rss_ohm : float
        Interfacial resistance before the step and at steady state [ohm].

    Returns
    -------
    float
        ``I_ss (dV - I0 R0) / (I0 (dV - I_ss R_ss))`` [-].
    """
    dV, I0, Iss = abs(float(dV_V)), abs(float(I0_A)), abs(float(Iss_A))
    _pos("dV_V", dV)
    _pos("I0_A", I0)
    _pos("Iss_A", Iss)
    R0 = _pos("R0_ohm", R0_ohm, True)
    Rss = _pos("Rss_ohm", Rss_ohm, True)
    den = I0 * (dV - Iss * Rss)
    if dV - I0 * R0 <= 0 or den <= 0:
        raise InputError(f"inconsistent inputs: dV - I0 R0 = {dV - I0 * R0:.3g} V and "
                         f"dV - I_ss R_ss = {dV - Iss * Rss:.3g} V must both be > 0")
    return Iss * (dV - I0 * R0) / den


@cites("BruceVincent1987", "Evans1987")
def bruce_vincent_eis(dV_V: float, Iss_A: float, *, Rb_ohm: float, Rss_ohm: float) -> float:
    """Transference number with ``I0 = dV/(R_b + R0)`` from EIS: ``R_b/(dV/I_ss - R_ss)`` [-].

    Parameters
    ----------
    dV_V : float
        Polarisation step [V].
    Iss_A : float
        Steady-state current [A].
    Rb_ohm : float
        Bulk (electrolyte) resistance, including internal ceramic|polymer arcs [ohm].
    Rss_ohm : float
        Interfacial resistance at steady state [ohm].
    """
    dV, Iss = abs(float(dV_V)), abs(float(Iss_A))
    _pos("dV_V", dV)
    _pos("Iss_A", Iss)
    Rb = _pos("Rb_ohm", Rb_ohm)
    Rss = _pos("Rss_ohm", Rss_ohm, True)
    den = dV / Iss - Rss
    if den <= 0:
        raise InputError(f"dV/I_ss - R_ss = {den:.3g} ohm must be > 0")
    return Rb / den


@dataclass(frozen=True)
class CurrentEstimate:
    """A current picked from a transient with its standard uncertainty [A]."""

    value_A: float
    stderr_A: float
    method: str
    window_s: tuple[float, float]
    stationary: bool | None = None
    relative_drift: float | None = None


def initial_current(time_s: ArrayLike, current_A: ArrayLike, *,
                    method: Literal["extrapolate", "first"] = "extrapolate",
                    n_points: int = 8) -> CurrentEstimate:
    """Initial current I0 of a polarisation transient [A].

    ``"first"`` takes the first point after the charging spike (the maximum of ``|I|``);
    ``"extrapolate"`` fits ``I = a + b sqrt(t - t_spike)`` to the ``n_points`` after the spike
    and returns ``a`` with its standard error.
    """
    t = np.asarray(time_s, dtype=float).ravel()
    i = np.asarray(current_A, dtype=float).ravel()
    if t.shape != i.shape or t.size < n_points + 2:
        raise InputError(f"need equal-length time and current with > {n_points + 1} points")
    if np.any(np.diff(t) <= 0):
        raise InputError("time_s must increase strictly")
    sgn = np.sign(np.median(i)) or 1.0
    a = i * sgn
    k = int(np.argmax(a[: max(3, t.size // 10)]))
    if method == "first":
        j = min(k + 1, t.size - 1)
        return CurrentEstimate(float(sgn * a[j]), 0.0, "first", (float(t[j]), float(t[j])))
    if method != "extrapolate":
        raise InputError(f"method must be 'extrapolate' or 'first', got {method!r}")
    sl = slice(k + 1, k + 1 + n_points)
    x = np.sqrt(t[sl] - t[k])
    X = np.column_stack([np.ones_like(x), x])
    coef, *_ = np.linalg.lstsq(X, a[sl], rcond=None)
    r = a[sl] - X @ coef
    dof = max(x.size - 2, 1)
    cov = float(r @ r) / dof * np.linalg.pinv(X.T @ X)
    return CurrentEstimate(float(sgn * coef[0]), float(math.sqrt(max(cov[0, 0], 0.0))),
                           "extrapolate", (float(t[sl][0]), float(t[sl][-1])))


def steady_current(time_s: ArrayLike, current_A: ArrayLike, *, fraction: float = 0.1,
                   max_drift: float = 0.01) -> CurrentEstimate:
    """Steady-state current I_ss: mean of the final plateau, with a stationarity check [A].

    Parameters
    ----------
    time_s, current_A : array_like
        Transient [s], [A].
    fraction : float
        Final fraction of the duration averaged [-].
    max_drift : float
        Largest relative change of the fitted line over the window for ``stationary`` [-].

    Notes
    -----
    The standard error is ``sd/sqrt(n)`` inflated by the lag-1 autocorrelation
    (``sqrt((1 + r1)/(1 - r1))``); the drift is ``|slope| * window / |mean|``.
    """
    t = np.asarray(time_s, dtype=float).ravel()
    i = np.asarray(current_A, dtype=float).ravel()
    if t.shape != i.shape or t.size < 10:
        raise InputError("need equal-length time and current with >= 10 points")
    if not 0 < fraction <= 0.5:
        raise InputError(f"fraction must be in (0, 0.5], got {fraction!r}")
    t_start = t[-1] - fraction * (t[-1] - t[0])
    sel = t >= t_start
    if sel.sum() < 5:
        sel[-5:] = True
    ts, y = t[sel], i[sel]
    mean = float(np.mean(y))
    sd = float(np.std(y, ddof=1))
    d = y - mean
    r1 = float(np.sum(d[1:] * d[:-1]) / np.sum(d * d)) if np.sum(d * d) > 0 else 0.0
    r1 = min(max(r1, 0.0), 0.95)
    se = sd / math.sqrt(y.size) * math.sqrt((1 + r1) / (1 - r1))
    slope = float(np.polyfit(ts - ts[0], y, 1)[0])
    drift = abs(slope) * float(ts[-1] - ts[0]) / abs(mean) if mean != 0 else math.inf
    return CurrentEstimate(mean, se, "plateau_mean", (float(ts[0]), float(ts[-1])),
                           stationary=bool(drift <= max_drift), relative_drift=drift)


@dataclass(frozen=True)
class TransferenceResult:
    """Result of :func:`analyse_transference` (all numbers [-] unless named otherwise)."""

    t_plus: float
    t_plus_stderr: float
    t_plus_eis: float | None
    t_plus_eis_stderr: float | None
    ratio_uncorrected: float
    I0: CurrentEstimate
    Iss: CurrentEstimate
    dV_V: float
    R0_ohm: float
    Rss_ohm: float
    Rb_ohm: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {"t_plus": self.t_plus, "t_plus_stderr": self.t_plus_stderr,
                "t_plus_eis": self.t_plus_eis, "t_plus_eis_stderr": self.t_plus_eis_stderr,
                "ratio_uncorrected": self.ratio_uncorrected,
                "I0_A": self.I0.value_A, "I0_stderr_A": self.I0.stderr_A,
                "I0_method": self.I0.method, "Iss_A": self.Iss.value_A,
                "Iss_stderr_A": self.Iss.stderr_A, "Iss_stationary": self.Iss.stationary,
                "Iss_relative_drift": self.Iss.relative_drift, "dV_V": self.dV_V,
                "R0_ohm": self.R0_ohm, "Rss_ohm": self.Rss_ohm, "Rb_ohm": self.Rb_ohm}


def analyse_transference(data: EchemData | tuple[ArrayLike, ArrayLike], *, dV_V: float,
                         R0_ohm: float, Rss_ohm: float, Rb_ohm: float | None = None,
                         I0_method: Literal["extrapolate", "first", "eis"] = "extrapolate",
                         steady_fraction: float = 0.1) -> TransferenceResult:
    """Transference number from a chronoamperometry transient plus EIS resistances.

    Parameters
    ----------
    data : EchemData or (time_s, current_A)
        Polarisation transient.
    dV_V : float
        Applied step [V].
    R0_ohm, Rss_ohm : float
        Interfacial resistances before and after polarisation [ohm].
    Rb_ohm : float, optional
        Bulk resistance [ohm]; enables the EIS formula (and ``I0_method="eis"``).
    I0_method : {"extrapolate", "first", "eis"}
        How to pick I0; ``"eis"`` uses ``dV/(R_b + R0)``.
    steady_fraction : float
        Final fraction of the transient averaged for I_ss [-].

    Returns
    -------
    TransferenceResult
        Both formulas with uncertainties propagated from the current estimates.
    """
    if isinstance(data, EchemData):
        if data.time_s is None or data.current_A is None:
            raise InputError(f"{data.source}: needs time and current columns")
        t, i = data.time_s, data.current_A
    else:
        t, i = (np.asarray(v, dtype=float) for v in data)
    dV = _pos("dV_V", abs(dV_V))
    Iss = steady_current(t, i, fraction=steady_fraction)
    if I0_method == "eis":
        if Rb_ohm is None:
            raise InputError("I0_method='eis' needs Rb_ohm")
        I0 = CurrentEstimate(dV / (float(Rb_ohm) + float(R0_ohm)), 0.0, "eis", (0.0, 0.0))
    else:
        I0 = initial_current(t, i, method=I0_method)

    def corr(i0: float, iss: float) -> float:
        return bruce_vincent(dV, i0, iss, R0_ohm=R0_ohm, Rss_ohm=Rss_ohm)

    tp = corr(I0.value_A, Iss.value_A)
    h0 = 1e-6 * abs(I0.value_A)
    hs = 1e-6 * abs(Iss.value_A)
    d0 = (corr(abs(I0.value_A) + h0, abs(Iss.value_A)) - tp) / h0
    ds = (corr(abs(I0.value_A), abs(Iss.value_A) + hs) - tp) / hs
    tp_se = math.hypot(d0 * I0.stderr_A, ds * Iss.stderr_A)
    te = te_se = None
    if Rb_ohm is not None:
        te = bruce_vincent_eis(dV, Iss.value_A, Rb_ohm=Rb_ohm, Rss_ohm=Rss_ohm)
        dse = (bruce_vincent_eis(dV, abs(Iss.value_A) + hs, Rb_ohm=Rb_ohm, Rss_ohm=Rss_ohm)
               - te) / hs
        te_se = abs(dse) * Iss.stderr_A
    return TransferenceResult(t_plus=tp, t_plus_stderr=tp_se, t_plus_eis=te,
                              t_plus_eis_stderr=te_se,
                              ratio_uncorrected=abs(Iss.value_A / I0.value_A), I0=I0, Iss=Iss,
                              dV_V=dV, R0_ohm=float(R0_ohm), Rss_ohm=float(Rss_ohm),
                              Rb_ohm=None if Rb_ohm is None else float(Rb_ohm))


__all__ = ["CurrentEstimate", "TransferenceResult", "analyse_transference", "bruce_vincent",
           "bruce_vincent_eis", "initial_current", "steady_current"]
