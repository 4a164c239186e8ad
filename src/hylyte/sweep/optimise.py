"""Inverse design: the axis values that meet targets at the best objective.

Continuous axes of a sweep plan (ranges) are the optimisation variables; listed axes
(materials, discrete values) are enumerated, one optimisation per combination. Targets are
comparisons over result columns (``"asr_ohm_cm2 <= 20"``, plain numbers in the column's unit).
The optimiser is :func:`scipy.optimize.differential_evolution` with the targets as nonlinear
constraints (default), or SLSQP started from a Latin hypercube of points.

When no design meets the targets, the result says so (``reachable = False``) and reports the
best value each target column can reach within the bounds, found by a second optimisation of
that column alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from hylyte.errors import InputError
from hylyte.sweep.executor import EvalFn, default_evaluator, pick_value
from hylyte.sweep.expr import Expression, Quantity, parse_expression
from hylyte.sweep.plan import Axis, Objective, SweepPlan, parse_objective

__all__ = ["OptimiseResult", "optimise"]

_FAIL = 1e300


@dataclass(frozen=True)
class OptimiseResult:
    """Outcome of :func:`optimise`.

    Attributes
    ----------
    reachable : bool
        Whether a design meeting every target was found.
    inputs : dict
        Axis column -> value of the best design (feasible if reachable, else least violating).
    design : dict
        The best design dict.
    row : dict
        Its result row at the chosen temperature.
    objective : str or None
        ``"column:sense"`` optimised.
    objective_value : float or None
        Objective at the best design (in the column's unit).
    targets : list of str
        Target expressions.
    violation : float
        Sum of target shortfalls at the best design (0 when reachable), in the columns' units.
    best_achievable : dict
        Target column -> best value reachable within the bounds (only when unreachable).
    n_evaluations : int
        Design evaluations used.
    method : str
        Optimiser used.
    message : str
        Human-readable summary.
    """

    reachable: bool
    inputs: dict[str, Any]
    design: dict[str, Any]
    row: dict[str, Any]
    objective: str | None
    objective_value: float | None
    targets: list[str]
    violation: float
    best_achievable: dict[str, float] = field(default_factory=dict)
    n_evaluations: int = 0
    method: str = ""
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class _Problem:
    """Evaluates designs for a fixed combination of listed axes, with a cache."""

    def __init__(self, plan: SweepPlan, eval_fn: EvalFn, variables: list[Axis],
                 fixed: dict[str, Any], T_K: float | None) -> None:
        self.plan, self.eval_fn, self.vars, self.fixed, self.T_K = (
            plan, eval_fn, variables, fixed, T_K)
        self.cache: dict[tuple[float, ...], dict | None] = {}

    def inputs(self, z: np.ndarray) -> dict[str, Any]:
        out = dict(self.fixed)
        for ax, zi in zip(self.vars, z, strict=True):
            x = math.exp(zi) if ax.scale == "log" else float(zi)
            out[ax.column] = float(f"{min(max(x, ax.low), ax.high):.12g}")  # type: ignore[type-var]
        return out

    def row(self, z: np.ndarray) -> dict | None:
        key = tuple(float(v) for v in np.atleast_1d(z))
        if key not in self.cache:
            design = self.plan.design_for(self.inputs(np.asarray(key)))
            try:
                rows = self.eval_fn(design)
                if self.T_K is None and len(rows) == 1:
                    r = rows[0]
                else:
                    pick_value(rows, "T_K", T_K=self.T_K)
                    r = next(r for r in rows if abs(r["T_K"] - self.T_K) <= 0.01)  # type: ignore[operator]
                self.cache[key] = dict(r)
            except InputError:
                raise
            except Exception:
                self.cache[key] = None
        return self.cache[key]

    def value(self, z: np.ndarray, column: str, sign: float) -> float:
        r = self.row(z)
        if r is None or r.get(column) is None:
            return _FAIL
        if column not in r:
            raise InputError(f"no column {column!r} in the results; columns: {sorted(r)}")
        v = float(r[column])
        return sign * v if math.isfinite(v) else _FAIL

    def margins(self, z: np.ndarray, targets: Sequence[Expression]) -> np.ndarray:
        r = self.row(z)
        if r is None:
            return np.full(len(targets), -_FAIL)

        def resolve(name: str) -> Quantity:
            if name not in r:
                raise InputError(f"target names {name!r}, not a result column; columns: "
                                 f"{sorted(r)}")
            v = r[name]
            return Quantity(float("nan") if v is None else float(v), ())

        m = np.array([t.margin(resolve) for t in targets], dtype=float)
        return np.where(np.isfinite(m), m, -_FAIL)


def _bounds(variables: list[Axis]) -> list[tuple[float, float]]:
    return [(math.log(a.low), math.log(a.high)) if a.scale == "log" else (a.low, a.high)
            for a in variables]  # type: ignore[misc]


def _solve(prob: _Problem, column: str, sign: float, targets: Sequence[Expression],
           method: str, seed: int | None, maxiter: int, popsize: int) -> np.ndarray:
    from scipy.optimize import NonlinearConstraint, differential_evolution, minimize

    bounds = _bounds(prob.vars)
    lo, hi = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    # scale objective and margins to order one so that tolerances mean the same everywhere
    zc = 0.5 * (lo + hi)
    fc = abs(prob.value(zc, column, sign)) if column else 1.0
    f_scale = fc if 0.0 < fc < _FAIL else 1.0
    rc = prob.row(zc) or {}
    m_scale = np.array([max(abs(_side(e, rc)), 1e-300) for e in targets])
    f = lambda z: prob.value(z, column, sign) / f_scale  # noqa: E731
    g = lambda z: prob.margins(z, targets) / m_scale  # noqa: E731

    def rank(z: np.ndarray) -> tuple[bool, float, float]:
        viol = float(np.sum(np.maximum(0.0, -g(z) - 1e-9))) if targets else 0.0
        return (viol > 0.0, viol, f(z))

    slsqp_cons = [{"type": "ineq", "fun": g}] if targets else []

    def local(z0: np.ndarray) -> np.ndarray:
        res = minimize(f, z0, method="SLSQP", bounds=bounds, constraints=slsqp_cons,
                       options={"maxiter": max(100, maxiter), "ftol": 1e-14})
        return np.clip(np.atleast_1d(res.x), lo, hi)

    if method == "differential_evolution":
        cons = [NonlinearConstraint(g, 0.0, np.inf)] if targets else []
        res = differential_evolution(f, bounds, constraints=cons, seed=seed, maxiter=maxiter,
                                     popsize=popsize, tol=1e-10, polish=False)
        starts = [np.atleast_1d(res.x)]
    else:
        from scipy.stats import qmc

        starts = list(qmc.scale(qmc.LatinHypercube(len(bounds), rng=np.random.default_rng(
            seed)).random(max(4, popsize)), lo, hi))
    best = None
    for z0 in starts:
        for z in (np.clip(z0, lo, hi), local(z0)):
            if best is None or rank(z) < rank(best):
                best = z
    return best  # type: ignore[return-value]


def optimise(
    plan: SweepPlan,
    *,
    objective: str | Objective | None = None,
    targets: Sequence[str] = (),
    eval_fn: EvalFn | None = None,
    T_K: float | None = None,
    method: Literal["differential_evolution", "slsqp"] = "differential_evolution",
    seed: int | None = None,
    maxiter: int = 200,
    popsize: int = 15,
    rtol: float = 1e-9,
) -> OptimiseResult:
    """Find axis values that meet ``targets`` with the best ``objective``.

    Parameters
    ----------
    plan
        Sweep plan: its ranges are the variables and its lists are enumerated.
    objective
        ``"column:min"`` or ``"column:max"``; ``None`` looks only for feasibility (the least
        violation). Default: the plan's first objective.
    targets
        Comparisons over result columns, e.g. ``["asr_ohm_cm2 <= 20"]``.
    eval_fn
        Evaluation function (default: the design layer's ``evaluate``).
    T_K
        Temperature of the result row to use [K]; needed when designs give several rows.
    method
        ``"differential_evolution"`` (global, default) or ``"slsqp"`` (multi-start local).
    seed
        Seed of the optimiser.
    rtol
        Relative tolerance on a target to count it as met.

    Returns
    -------
    OptimiseResult

    Raises
    ------
    InputError
        No objective and no targets, a target that is not a single comparison, or a plan
        whose axes are all fixed lists with nothing to optimise and nothing to enumerate.
    """
    if method not in ("differential_evolution", "slsqp"):
        raise InputError(f"method must be 'differential_evolution' or 'slsqp', got {method!r}")
    if objective is None and plan.objectives:
        objective = plan.objectives[0]
    obj = parse_objective(objective) if objective is not None else None
    exprs = [parse_expression(t, field=f"targets[{i}]") for i, t in enumerate(targets)]
    for i, e in enumerate(exprs):
        if not e.is_comparison or e.tree[1] in ("==", "!="):
            raise InputError(f"targets[{i}]: {e.text!r} must be a comparison such as "
                             "'asr_ohm_cm2 <= 20'")
    if obj is None and not exprs:
        raise InputError("give an objective ('column:min'/'column:max') or targets")
    eval_fn = eval_fn or default_evaluator(plan)
    variables = [a for a in plan.axes if a.continuous]
    listed = [a for a in plan.axes if not a.continuous]
    combos = list(itertools.product(*[[cv for _, cv in a.grid()] for a in listed]))
    n_eval = 0
    candidates = []
    for combo in combos:
        fixed = {a.column: v for a, v in zip(listed, combo, strict=True)}
        prob = _Problem(plan, eval_fn, variables, fixed, T_K)
        if obj is not None:
            col, sign = obj.column, (1.0 if obj.sense == "min" else -1.0)
        else:
            col, sign = "", 0.0
        if variables:
            if obj is None:  # feasibility only: maximise the smallest margin
                z = _solve_margin(prob, exprs, method, seed, maxiter, popsize)
            else:
                z = _solve(prob, col, sign, exprs, method, seed, maxiter, popsize)
        else:
            z = np.zeros(0)
        r = prob.row(z)
        m = prob.margins(z, exprs) if exprs else np.zeros(0)
        scale = np.array([max(1.0, abs(_side(e, r))) for e in exprs]) if r else np.ones(len(m))
        viol = float(np.sum(np.maximum(0.0, -m - rtol * scale)))
        fval = prob.value(z, col, 1.0) if obj is not None and r is not None else None
        candidates.append((prob, z, r, viol, fval))
        n_eval += len(prob.cache)
    feasible = [c for c in candidates if c[2] is not None and c[3] == 0.0]
    if feasible:
        if obj is not None:
            best = min(feasible, key=lambda c: (1.0 if obj.sense == "min" else -1.0) * c[4])
        else:
            best = feasible[0]
    else:
        best = min(candidates, key=lambda c: (c[2] is None, c[3]))
    prob, z, r, viol, fval = best
    achievable: dict[str, float] = {}
    if not feasible:
        for e in exprs:
            col, sense = _target_column(e)
            if col is None:
                continue
            vals = []
            for p, *_ in candidates:
                zz = (_solve(p, col, 1.0 if sense == "min" else -1.0, [], method, seed,
                             maxiter, popsize) if p.vars else np.zeros(0))
                v = p.value(zz, col, 1.0)
                if v != _FAIL:
                    vals.append(v)
                n_eval += 0
            if vals:
                achievable[col] = min(vals) if sense == "min" else max(vals)
        n_eval = sum(len(c[0].cache) for c in candidates)
    inputs = prob.inputs(z)
    design = plan.design_for(inputs)
    if feasible:
        msg = "targets met" if exprs else "optimum found"
        if obj is not None:
            msg += f"; best {obj.column} = {fval:.6g}"
    else:
        shown = ", ".join(f"{k} = {v:.6g}" for k, v in achievable.items())
        msg = f"targets not reachable within the bounds; best achievable: {shown or 'n/a'}"
    return OptimiseResult(
        reachable=bool(feasible), inputs=inputs, design=design, row=dict(r or {}),
        objective=str(obj) if obj else None, objective_value=fval, targets=list(targets),
        violation=viol, best_achievable=achievable, n_evaluations=n_eval, method=method,
        message=msg,
    )


def _side(e: Expression, row: dict) -> float:
    col, _ = _target_column(e)
    v = row.get(col) if col else None
    return float(v) if isinstance(v, int | float) and math.isfinite(v) and v != 0 else 1.0


def _target_column(e: Expression) -> tuple[str | None, str]:
    """For ``col <= x`` / ``x >= col`` the column and the sense that helps meeting it."""
    _, op, lhs, rhs = e.tree
    if lhs[0] == "name":
        return lhs[1], "min" if op in ("<=", "<") else "max"
    if rhs[0] == "name":
        return rhs[1], "max" if op in ("<=", "<") else "min"
    return None, "min"


def _solve_margin(prob: _Problem, targets: Sequence[Expression], method: str,
                  seed: int | None, maxiter: int, popsize: int) -> np.ndarray:
    from scipy.optimize import differential_evolution

    def neg_min_margin(z: np.ndarray) -> float:
        return -float(np.min(prob.margins(z, targets)))

    res = differential_evolution(neg_min_margin, _bounds(prob.vars), seed=seed,
                                 maxiter=maxiter, popsize=popsize, tol=1e-8, polish=False)
    return np.atleast_1d(res.x)
