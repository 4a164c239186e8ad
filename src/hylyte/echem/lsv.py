"""Electrochemical stability window from linear sweep voltammetry (PHYSICS §9.4).

Two onset definitions, both reported with the data window they used:

* threshold: the first potential at which ``j - j_base >= j_th`` (default 10 uA/cm^2);
* tangent: a straight line fitted to the steep region (the last decade of current above the
  threshold, or the local tangent at a chosen potential) intersected with the baseline. For
  ``j = j0 exp[(V - V*)/b]`` the tangent at ``V_t`` meets zero at ``V_t - b``, so this onset
  depends on where the tangent is drawn.

Oxidation (anodic, positive current) and reduction (cathodic, negative current) are analysed
separately; for reduction the potential axis is mirrored internally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hylyte.errors import InputError

J_TH_DEFAULT = 0.1  # 10 uA/cm^2 in A/m^2


@dataclass(frozen=True)
class LSVOnset:
    """Onset potentials of one scan direction.

    Attributes
    ----------
    direction : {"oxidation", "reduction"}
        Which side of the window.
    V_threshold_V : float or None
        Threshold onset [V] (None when the threshold is never reached).
    V_tangent_V : float or None
        Tangent onset [V].
    tangent_window_V : tuple of float
        Potential range of the tangent fit [V] (a single point for ``tangent_at_V``).
    tangent_slope_A_per_m2_V : float
        Slope of the tangent [A m^-2 V^-1].
    j_threshold_A_per_m2 : float
        Threshold used [A/m^2].
    baseline : str
        How the baseline was taken; ``baseline_A_per_m2`` its value at the onset [A/m^2].
    scan_rate_V_per_s : float or None
        Scan rate, when given [V/s].
    """

    direction: str
    V_threshold_V: float | None
    V_tangent_V: float | None
    tangent_window_V: tuple[float, float]
    tangent_slope_A_per_m2_V: float
    j_threshold_A_per_m2: float
    baseline: str
    baseline_window_V: tuple[float, float] | None
    baseline_A_per_m2: float
    scan_rate_V_per_s: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def _interp_cross(x0: float, x1: float, y0: float, y1: float, level: float) -> float:
    if y0 > 0 and y1 > 0 and level > 0:
        a, b, c = np.log(y0), np.log(y1), np.log(level)
    else:
        a, b, c = y0, y1, level
    if b == a:
        return x1
    return float(x0 + (c - a) * (x1 - x0) / (b - a))


def _local_value(x: NDArray, y: NDArray, xq: float) -> float:
    if np.all(y > 0):
        return float(np.exp(np.interp(xq, x, np.log(y))))
    return float(np.interp(xq, x, y))


def lsv_onset(voltage_V: ArrayLike, current: ArrayLike, *, area_m2: float | None = None,
              direction: Literal["oxidation", "reduction"] = "oxidation",
              j_threshold_A_per_m2: float = J_TH_DEFAULT,
              baseline: Literal["none", "constant", "linear"] | float = "none",
              baseline_window_V: tuple[float, float] | None = None,
              tangent_at_V: float | None = None, tangent_decades: float = 1.0,
              scan_rate_V_per_s: float | None = None) -> LSVOnset:
    """Threshold and tangent onsets of an LSV scan.

    Parameters
    ----------
    voltage_V : array_like
        Potential [V].
    current : array_like
        Current [A] when ``area_m2`` is given, else current density [A/m^2].
    area_m2 : float, optional
        Geometric electrode area [m^2] used to normalise the current.
    direction : {"oxidation", "reduction"}
        Side of the window.
    j_threshold_A_per_m2 : float
        Threshold current density [A/m^2] (0.1 A/m^2 = 10 uA/cm^2).
    baseline : {"none", "constant", "linear"} or float
        Capacitive baseline: none, the mean or a straight line fitted on
        ``baseline_window_V`` (default: the first 20 % of the scan range), or a fixed value
        ``C_dl * scan_rate`` [A/m^2].
    baseline_window_V : tuple of float, optional
        Flat region used for the baseline fit [V].
    tangent_at_V : float, optional
        Draw the tangent at this potential instead of fitting the last decade [V].
    tangent_decades : float
        Width of the steep region fitted by the tangent, in decades below the largest current.
    scan_rate_V_per_s : float, optional
        Recorded with the result [V/s].

    Returns
    -------
    LSVOnset
        Both onsets with their windows.
    """
    V = np.asarray(voltage_V, dtype=float).ravel()
    j = np.asarray(current, dtype=float).ravel()
    if V.shape != j.shape or V.size < 5:
        raise InputError(f"voltage and current need the same length >= 5, got {V.size}, {j.size}")
    if not (np.all(np.isfinite(V)) and np.all(np.isfinite(j))):
        raise InputError("voltage and current must be finite")
    if area_m2 is not None:
        if not area_m2 > 0:
            raise InputError(f"area_m2 must be > 0, got {area_m2!r}")
        j = j / area_m2
    if not j_threshold_A_per_m2 > 0:
        raise InputError(f"j_threshold_A_per_m2 must be > 0, got {j_threshold_A_per_m2!r}")
    if direction not in ("oxidation", "reduction"):
        raise InputError(f"direction must be 'oxidation' or 'reduction', got {direction!r}")
    s = 1.0 if direction == "oxidation" else -1.0
    x, y = s * V, s * j
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    if np.any(np.diff(x) == 0):
        x, idx = np.unique(x, return_index=True)
        y = y[idx]
    # baseline
    if baseline_window_V is not None:
        lo, hi = sorted(s * np.asarray(baseline_window_V, dtype=float))
    else:
        lo, hi = x[0], x[0] + 0.2 * (x[-1] - x[0])
    win = (x >= lo) & (x <= hi)
    if isinstance(baseline, str):
        if baseline == "none":
            coef = np.array([0.0, 0.0])
        elif baseline in ("constant", "linear"):
            if win.sum() < 2:
                raise InputError(f"baseline window {baseline_window_V} holds < 2 points")
            coef = (np.array([0.0, float(np.mean(y[win]))]) if baseline == "constant"
                    else np.polyfit(x[win], y[win], 1))
        else:
            raise InputError(f"baseline must be 'none', 'constant', 'linear' or a number, "
                             f"got {baseline!r}")
        bname = baseline
    else:
        coef = np.array([0.0, s * float(baseline)])
        bname = f"fixed {float(baseline):.6g} A/m^2"
    yn = y - np.polyval(coef, x)
    above = np.flatnonzero(yn >= j_threshold_A_per_m2)
    Vth = None
    if above.size:
        k = int(above[0])
        Vth = float(x[k]) if k == 0 else _interp_cross(x[k - 1], x[k], yn[k - 1], yn[k],
                                                       j_threshold_A_per_m2)
    # tangent
    Vtan, slope, twin = None, float("nan"), (float("nan"), float("nan"))
    if tangent_at_V is not None:
        xt = s * float(tangent_at_V)
        if not x[1] <= xt <= x[-2]:
            raise InputError(f"tangent_at_V={tangent_at_V} is outside the scanned range")
        h = float(np.median(np.diff(x)))
        yt = _local_value(x, yn, xt)
        ya, yb = _local_value(x, yn, xt - h), _local_value(x, yn, xt + h)
        if ya > 0 and yb > 0 and yt > 0:  # exact for exponential branches
            slope = yt * (np.log(yb) - np.log(ya)) / (2 * h)
        else:
            slope = (yb - ya) / (2 * h)
        if slope > 0:
            Vtan = xt - yt / slope
        twin = (xt, xt)
    elif above.size >= 2:
        ymax = float(np.max(yn[above[0]:]))
        sel = np.arange(above[0], x.size)
        sel = sel[yn[sel] >= max(j_threshold_A_per_m2, ymax * 10.0 ** (-tangent_decades))]
        if sel.size >= 2:
            m, c = np.polyfit(x[sel], yn[sel], 1)
            slope = float(m)
            if m > 0:
                Vtan = float(-c / m)
            twin = (float(x[sel[0]]), float(x[sel[-1]]))
    def back(v: float | None) -> float | None:
        return None if v is None else float(s * v)

    tw = tuple(sorted((s * twin[0], s * twin[1]))) if np.all(np.isfinite(twin)) else twin
    bw = tuple(sorted((s * lo, s * hi))) if bname in ("constant", "linear") else None
    base_at = float(s * np.polyval(coef, s * Vth)) if Vth is not None else float(s * coef[1])
    return LSVOnset(direction=direction, V_threshold_V=back(Vth), V_tangent_V=back(Vtan),
                    tangent_window_V=tw, tangent_slope_A_per_m2_V=slope,
                    j_threshold_A_per_m2=float(j_threshold_A_per_m2), baseline=bname,
                    baseline_window_V=bw, baseline_A_per_m2=base_at,
                    scan_rate_V_per_s=scan_rate_V_per_s)


def stability_window(voltage_V: ArrayLike, current: ArrayLike, **kwargs: Any
                     ) -> dict[str, LSVOnset]:
    """Reduction and oxidation onsets of the same data (see :func:`lsv_onset`)."""
    return {d: lsv_onset(voltage_V, current, direction=d, **kwargs)
            for d in ("reduction", "oxidation")}


__all__ = ["LSVOnset", "lsv_onset", "stability_window"]
