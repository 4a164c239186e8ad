"""Critical current density from stepped-current symmetric-cell cycling (PHYSICS §9.5).

The current trace is cut into constant-current segments (half-cycles); segments with the same
``|j|`` form a step. A segment fails with a **short** when ``|V|`` drops by more than
``drop_fraction`` below the previous plateau, or when ``|V|/|j|`` falls below
``asr_short_fraction`` of the previous ASR; it fails by **divergence** when ``|V|`` exceeds
``V_max``. The CCD is the last step completed without either event; the first failed step is
reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hylyte.echem.readers import EchemData
from hylyte.errors import InputError


@dataclass(frozen=True)
class CCDResult:
    """Result of :func:`critical_current_density`.

    Attributes
    ----------
    ccd_A_per_m2 : float or None
        Last step passed [A/m^2] (None when the first step failed).
    failed_at_A_per_m2 : float or None
        First failed step [A/m^2] (None when every step passed).
    failure_mode : str or None
        ``"short"`` or ``"divergence"``.
    steps : list of dict
        Per step: ``j_A_per_m2``, ``asr_ohm_m2``, ``plateau_V``, ``capacity_C_per_m2``
        (per half-cycle), ``passed``, ``failure``.
    """

    ccd_A_per_m2: float | None
    failed_at_A_per_m2: float | None
    failure_mode: str | None
    steps: list[dict[str, Any]]
    temperature_K: float | None = None
    pressure_Pa: float | None = None
    settings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return dict(self.__dict__)


def _segments(I: np.ndarray, rel_tol: float, zero: float) -> list[tuple[int, int]]:
    segs: list[tuple[int, int]] = []
    start = 0
    for k in range(1, I.size + 1):
        if k == I.size or abs(I[k] - I[start]) > rel_tol * max(abs(I[start]), zero) or (
                np.sign(I[k]) != np.sign(I[start])):
            segs.append((start, k))
            start = k
    return segs


def critical_current_density(data: EchemData | tuple[ArrayLike, ArrayLike, ArrayLike], *,
                             area_m2: float, drop_fraction: float = 0.5,
                             asr_short_fraction: float = 0.05, V_max: float = 5.0,
                             rel_tol: float = 0.01, temperature_K: float | None = None,
                             pressure_Pa: float | None = None) -> CCDResult:
    """Detect the critical current density of a stepped-current cycling test.

    Parameters
    ----------
    data : EchemData or (time_s, voltage_V, current_A)
        Cycling trace [s], [V], [A].
    area_m2 : float
        Electrode area [m^2].
    drop_fraction : float
        Relative drop of ``|V|`` below the previous plateau that counts as a short [-].
    asr_short_fraction : float
        ``|V|/|j|`` below this fraction of the previous ASR counts as a short [-].
    V_max : float
        ``|V|`` above this counts as divergence (voids, contact loss) [V].
    rel_tol : float
        Relative current change that starts a new segment [-].
    temperature_K, pressure_Pa : float, optional
        Recorded with the result [K], [Pa].
    """
    if isinstance(data, EchemData):
        if data.time_s is None or data.voltage_V is None or data.current_A is None:
            raise InputError(f"{data.source}: CCD needs time, voltage and current columns")
        t, V, I = data.time_s, data.voltage_V, data.current_A
    else:
        t, V, I = (np.asarray(v, dtype=float).ravel() for v in data)
    if not (t.shape == V.shape == I.shape) or t.size < 4:
        raise InputError("time, voltage and current need the same length >= 4")
    if not area_m2 > 0:
        raise InputError(f"area_m2 must be > 0, got {area_m2!r}")
    if not 0 < drop_fraction < 1 or not 0 < asr_short_fraction < 1:
        raise InputError("drop_fraction and asr_short_fraction must be in (0, 1)")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(V)) and np.all(np.isfinite(I))):
        raise InputError("time, voltage and current must be finite")
    zero = 1e-6 * float(np.max(np.abs(I))) if np.any(I != 0) else 1e-30
    steps: dict[float, dict[str, Any]] = {}
    order: list[float] = []
    prev_plateau = prev_asr = None
    first_fail: tuple[float, str] | None = None
    for a, b in _segments(I, rel_tol, zero):
        Iseg = float(np.median(I[a:b]))
        if abs(Iseg) <= zero:
            continue
        j = abs(Iseg) / area_m2
        key = float(f"{j:.6g}")
        absV = np.abs(V[a:b])
        half = absV[(b - a) // 2:] if b - a > 1 else absV
        plateau = float(np.median(half))
        asr_min = float(np.min(absV)) / j
        failure = None
        if np.max(absV) > V_max:
            failure = "divergence"
        elif prev_plateau is not None and (
                np.min(absV) < (1 - drop_fraction) * prev_plateau
                or asr_min < asr_short_fraction * prev_asr):
            failure = "short"
        dur = float(t[b - 1] - t[a]) + (float(t[b] - t[b - 1]) if b < t.size else 0.0)
        st = steps.get(key)
        if st is None:
            st = {"j_A_per_m2": j, "asr_ohm_m2": plateau / j, "plateau_V": plateau,
                  "capacity_C_per_m2": abs(Iseg) * dur / area_m2, "passed": True,
                  "failure": None, "n_segments": 0}
            steps[key] = st
            order.append(key)
        st["n_segments"] += 1
        if failure and st["passed"]:
            st["passed"] = False
            st["failure"] = failure
            if first_fail is None:
                first_fail = (key, failure)
        if failure is None:
            prev_plateau, prev_asr = plateau, plateau / j
    if not order:
        raise InputError("no constant-current segments found in the trace")
    ccd = None
    for key in order:
        if first_fail is not None and key == first_fail[0]:
            break
        if steps[key]["passed"]:
            ccd = steps[key]["j_A_per_m2"]
    return CCDResult(ccd_A_per_m2=ccd,
                     failed_at_A_per_m2=None if first_fail is None else steps[first_fail[0]][
                         "j_A_per_m2"],
                     failure_mode=None if first_fail is None else first_fail[1],
                     steps=[steps[k] for k in order], temperature_K=temperature_K,
                     pressure_Pa=pressure_Pa,
                     settings={"drop_fraction": drop_fraction,
                               "asr_short_fraction": asr_short_fraction, "V_max": V_max})


__all__ = ["CCDResult", "critical_current_density"]
