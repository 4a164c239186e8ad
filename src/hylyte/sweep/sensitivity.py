"""Sensitivity of a result column to the axes of a sweep: one-at-a-time and Sobol indices.

One-at-a-time (OAT) varies each axis over its values with every other axis at its reference
(the middle of its range or list) and reports the swing of the output. Global Sobol indices
(first order ``S1`` and total ``ST``) come from SALib's Saltelli/Sobol' sampling, with every
axis mapped from [0, 1] (ranges linearly or logarithmically, lists and categories by index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from hylyte._optional import import_optional
from hylyte.errors import InputError
from hylyte.sweep.executor import (
    EvalFn,
    Executor,
    default_evaluator,
    evaluate_designs,
    pick_value,
)
from hylyte.sweep.plan import Axis, SweepPlan

__all__ = ["SensitivityResult", "one_at_a_time", "reference_inputs", "sobol_indices"]


@dataclass(frozen=True)
class SensitivityResult:
    """Sensitivity of ``output`` to each axis.

    Attributes
    ----------
    method : {"oat", "sobol"}
        How the indices were computed.
    output : str
        Result column analysed.
    names : list of str
        Axis columns, in plan order.
    indices : dict of str to ndarray
        OAT: ``low``, ``high`` (output at the ends of each axis), ``min``, ``max``, ``swing``
        (``max - min``, in the output's unit). Sobol: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.
    n_evaluations : int
        Number of design evaluations used.
    reference : dict
        Axis values of the reference design (OAT).
    """

    method: Literal["oat", "sobol"]
    output: str
    names: list[str]
    indices: dict[str, np.ndarray]
    n_evaluations: int
    reference: dict[str, Any] = field(default_factory=dict)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per axis with every index."""
        return [{"axis": n, **{k: float(v[i]) for k, v in self.indices.items()}}
                for i, n in enumerate(self.names)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary."""
        return {"method": self.method, "output": self.output, "n_evaluations":
                self.n_evaluations, "reference": self.reference, "axes": self.to_rows()}


def reference_inputs(plan: SweepPlan) -> dict[str, Any]:
    """Axis column -> the middle of each range (geometric for log) or list."""
    ref: dict[str, Any] = {}
    for ax in plan.axes:
        if ax.continuous:
            ref[ax.column] = ax.from_unit(np.array([0.5]))[0][1]
        else:
            pairs = ax.grid()
            ref[ax.column] = pairs[(len(pairs) - 1) // 2][1]
    return ref


def _values(outcomes: Sequence[Any], output: str, T_K: float | None) -> np.ndarray:
    vals = []
    for o in outcomes:
        if o.rows is None:
            raise InputError(f"a design failed during the sensitivity analysis: "
                             f"{o.error_type}: {o.error_message}")
        vals.append(pick_value(o.rows, output, T_K=T_K))
    return np.asarray(vals, dtype=float)


def _oat_points(ax: Axis, n_levels: int) -> list[Any]:
    if ax.continuous and ax.values is None:
        return [cv for _, cv in ax.from_unit(np.linspace(0.0, 1.0, n_levels))]
    return [cv for _, cv in ax.grid()]


def one_at_a_time(
    plan: SweepPlan,
    output: str,
    *,
    eval_fn: EvalFn | None = None,
    T_K: float | None = None,
    n_levels: int = 5,
    executor: str | Executor = "serial",
    workers: int | None = None,
) -> SensitivityResult:
    """One-at-a-time sensitivity of ``output`` around the middle of every axis.

    Parameters
    ----------
    plan
        Sweep plan whose axes are varied.
    output
        Result column (e.g. ``"conductivity_S_per_cm"``).
    eval_fn
        Evaluation function (default: the design layer's ``evaluate``).
    T_K
        Temperature of the row to read [K]; needed when designs give several rows.
    n_levels
        Points along a range without ``num``.

    Returns
    -------
    SensitivityResult
    """
    eval_fn = eval_fn or default_evaluator(plan)
    ref = reference_inputs(plan)
    designs, owners = [plan.design_for(ref)], [-1]
    for j, ax in enumerate(plan.axes):
        for x in _oat_points(ax, n_levels):
            designs.append(plan.design_for({**ref, ax.column: x}))
            owners.append(j)
    vals = _values(evaluate_designs(designs, eval_fn, executor=executor, workers=workers),
                   output, T_K)
    owners_a = np.asarray(owners)
    k = len(plan.axes)
    low, high, lo, hi = (np.empty(k) for _ in range(4))
    for j in range(k):
        v = vals[owners_a == j]
        low[j], high[j], lo[j], hi[j] = v[0], v[-1], np.min(v), np.max(v)
    return SensitivityResult("oat", output, [a.column for a in plan.axes],
                             {"low": low, "high": high, "min": lo, "max": hi, "swing": hi - lo},
                             len(designs), ref)


def sobol_indices(
    plan: SweepPlan,
    output: str,
    *,
    eval_fn: EvalFn | None = None,
    T_K: float | None = None,
    n: int = 256,
    seed: int | None = None,
    executor: str | Executor = "serial",
    workers: int | None = None,
) -> SensitivityResult:
    """Global first-order and total Sobol indices of ``output`` over the plan's axes.

    Parameters
    ----------
    plan
        Sweep plan; every axis is an input factor.
    output
        Result column.
    n
        Base sample size (a power of 2); ``n * (d + 2)`` designs are evaluated.
    seed
        Seed of the Sobol' sequence and of the bootstrap confidence intervals.

    Returns
    -------
    SensitivityResult
        ``S1``, ``ST`` with 95 % bootstrap half-widths ``S1_conf``, ``ST_conf``.

    Raises
    ------
    InputError
        ``n`` is not a power of 2, or a design failed.
    """
    if n < 2 or n & (n - 1):
        raise InputError(f"n must be a power of 2 (>= 2), got {n!r}")
    sample = import_optional("SALib.sample.sobol", extra="ml", purpose="for Sobol indices")
    analyze = import_optional("SALib.analyze.sobol", extra="ml", purpose="for Sobol indices")
    eval_fn = eval_fn or default_evaluator(plan)
    names = [a.column for a in plan.axes]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = sample.sample(problem, n, calc_second_order=False, seed=seed)
    u = np.clip(u, 0.0, np.nextafter(1.0, 0.0))
    cols = [ax.from_unit(u[:, j]) for j, ax in enumerate(plan.axes)]
    designs = [plan.design_for({ax.column: cols[j][i][1] for j, ax in enumerate(plan.axes)})
               for i in range(len(u))]
    y = _values(evaluate_designs(designs, eval_fn, executor=executor, workers=workers),
                output, T_K)
    if not np.all(np.isfinite(y)):
        raise InputError(f"{output!r} is not finite for some designs; Sobol indices need "
                         "finite outputs")
    res = analyze.analyze(problem, y, calc_second_order=False, seed=seed)
    idx = {k: np.asarray(res[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    return SensitivityResult("sobol", output, names, idx, len(designs))
