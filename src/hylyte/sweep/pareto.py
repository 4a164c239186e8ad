"""Pareto fronts over result columns with per-objective senses.

A point is *dominated* when another point is at least as good in every objective and
strictly better in at least one. Two objectives use an ``O(n log n)`` sort-and-sweep; more
use a simple vectorised non-dominated filter (``O(n^2)`` comparisons in blocks). Rows with a
non-finite objective are never on the front.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hylyte.errors import InputError
from hylyte.sweep.plan import Objective, parse_objective

__all__ = ["pareto_front", "pareto_mask", "pareto_table"]


def _as_min(values: ArrayLike, senses: Sequence[str]) -> NDArray[np.float64]:
    v = np.array(values, dtype=float, ndmin=2, copy=True)
    if v.ndim != 2:
        raise InputError(f"values must have shape (n_points, n_objectives), got {v.shape}")
    if len(senses) != v.shape[1]:
        raise InputError(f"senses: need one sense per objective ({v.shape[1]}), got {senses!r}")
    for j, s in enumerate(senses):
        if s not in ("min", "max"):
            raise InputError(f"senses[{j}] must be 'min' or 'max', got {s!r}")
        if s == "max":
            v[:, j] = -v[:, j]
    return v


def pareto_mask(values: ArrayLike, senses: Sequence[str]) -> NDArray[np.bool_]:
    """Boolean mask of the non-dominated rows.

    Parameters
    ----------
    values : array_like, shape (n_points, n_objectives)
        Objective values [any unit].
    senses : sequence of {"min", "max"}
        Whether each objective is minimised or maximised.

    Returns
    -------
    ndarray of bool, shape (n_points,)
        True for points on the Pareto front. Identical points are all on the front when
        nothing dominates them.

    Examples
    --------
    >>> pareto_mask([[1, 3], [2, 2], [3, 1], [3, 3]], ["min", "min"]).tolist()
    [True, True, True, False]
    """
    v = _as_min(values, senses)
    n, m = v.shape
    finite = np.all(np.isfinite(v), axis=1)
    mask = np.zeros(n, dtype=bool)
    idx = np.flatnonzero(finite)
    if idx.size == 0:
        return mask
    w = v[idx]
    if m == 1:
        mask[idx[w[:, 0] == w[:, 0].min()]] = True
        return mask
    if m == 2:
        mask[idx[_front_2d(w)]] = True
        return mask
    mask[idx[_front_nd(w)]] = True
    return mask


def _front_2d(w: NDArray[np.float64]) -> NDArray[np.bool_]:
    # sort by f1 then f2; a point is on the front iff its f2 is below every f2 seen before,
    # or it repeats the last front point exactly
    order = np.lexsort((w[:, 1], w[:, 0]))
    on = np.zeros(len(w), dtype=bool)
    best = np.inf
    last: tuple[float, float] | None = None
    for i in order:
        f1, f2 = w[i, 0], w[i, 1]
        if f2 < best:
            on[i] = True
            best = f2
            last = (f1, f2)
        elif last is not None and f1 == last[0] and f2 == last[1]:
            on[i] = True
    return on


def _front_nd(w: NDArray[np.float64], block: int = 1024) -> NDArray[np.bool_]:
    n = len(w)
    dominated = np.zeros(n, dtype=bool)
    for s in range(0, n, block):
        b = w[s : s + block]
        le = np.all(w[None, :, :] <= b[:, None, :], axis=2)
        lt = np.any(w[None, :, :] < b[:, None, :], axis=2)
        dominated[s : s + block] = np.any(le & lt, axis=1)
    return ~dominated


def pareto_front(values: ArrayLike, senses: Sequence[str]) -> NDArray[np.intp]:
    """Indices of the non-dominated rows, sorted by the first objective (best first).

    See :func:`pareto_mask` for the parameters.
    """
    v = _as_min(values, senses)
    idx = np.flatnonzero(pareto_mask(values, senses))
    return idx[np.lexsort(tuple(v[idx, j] for j in range(v.shape[1] - 1, -1, -1)))]


def pareto_table(table: Any, objectives: Sequence[str | Objective]) -> tuple[Any, Any]:
    """Pareto front of a ``pyarrow.Table`` of results over ``objectives``.

    Parameters
    ----------
    table
        Results rows (e.g. ``ResultStore.query(...)``); rows with ``status != 'ok'`` are
        ignored.
    objectives
        ``"column:min"`` / ``"column:max"`` strings or :class:`Objective`.

    Returns
    -------
    front : pyarrow.Table
        Rows on the front, best first in the first objective.
    mask : ndarray of bool
        Front membership of every row of the (status-filtered) table.
    """
    objs = [parse_objective(o, field=f"objective[{i}]") for i, o in enumerate(objectives)]
    if not objs:
        raise InputError("objective: give at least one 'column:min' or 'column:max'")
    if "status" in table.column_names:
        import pyarrow.compute as pc

        table = table.filter(pc.equal(table.column("status"), "ok"))
    cols = []
    for o in objs:
        if o.column not in table.column_names:
            raise InputError(f"objective: no column {o.column!r}; columns: {table.column_names}")
        try:
            cols.append(np.asarray(table.column(o.column).to_numpy(zero_copy_only=False),
                                   dtype=float))
        except (TypeError, ValueError) as err:
            raise InputError(f"objective: column {o.column!r} is not numeric") from err
    values = np.column_stack(cols) if cols else np.empty((0, 0))
    senses = [o.sense for o in objs]
    front = pareto_front(values, senses) if len(values) else np.array([], dtype=np.intp)
    mask = np.zeros(len(values), dtype=bool)
    mask[front] = True
    return table.take(front), mask
