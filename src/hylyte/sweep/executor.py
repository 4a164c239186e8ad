"""Run a sweep on an executor (serial, local processes or Dask) and stream rows to a store.

The engine knows designs only as dicts and evaluates them with an *evaluation function*
``EvalFn = Callable[[dict], list[dict]]``: a design dict in, one flat row per temperature
out. The default is :class:`DesignEvaluator`, which calls :func:`hylyte.design.evaluate`.
Designs are sent to workers in chunks (many cheap designs per task); an evaluation function
may also offer ``evaluate_many(designs) -> list[list[dict]]`` for a vectorised path.

Executors form a small registry (``serial``, ``processes``, ``dask``) with ``available()``;
``"auto"`` picks ``processes`` (or ``serial`` for one worker). An executor named explicitly
but not installed raises :class:`~hylyte.errors.MissingDependencyError`.
"""

from __future__ import annotations

import functools
import json
import math
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from hylyte._optional import has_module, import_optional
from hylyte.errors import InputError, MissingDependencyError
from hylyte.sweep.plan import SweepPlan, SweepPoint, load_plan
from hylyte.sweep.store import ResultStore, iter_chunks

__all__ = [
    "EXECUTORS",
    "DaskExecutor",
    "DesignEvaluator",
    "EvalFn",
    "Executor",
    "ProcessExecutor",
    "SerialExecutor",
    "SweepSummary",
    "available_executors",
    "default_evaluator",
    "evaluate_chunk",
    "evaluate_designs",
    "evaluator_id",
    "get_executor",
    "pick_value",
    "run_sweep",
]

EvalFn = Callable[[dict], list[dict]]
ProgressFn = Callable[[int, int], None]


# --------------------------------------------------------------------------- evaluation

class DesignEvaluator:
    """Evaluation function backed by :func:`hylyte.design.evaluate` (picklable).

    Parameters
    ----------
    method
        Evaluation method passed to ``evaluate`` (``None``: the design's own choice).
    base_dir
        Folder against which relative paths inside design dicts are resolved.
    """

    def __init__(self, method: str | None = None, base_dir: str | Path | None = None) -> None:
        self.method = method
        self.base_dir = None if base_dir is None else str(base_dir)

    @property
    def evaluator_id(self) -> str:
        """Identity recorded in the results manifest."""
        return f"hylyte.design.evaluate(method={self.method!r})"

    @staticmethod
    def available() -> bool:
        """Whether the design layer provides ``design_from_dict`` and ``evaluate``."""
        try:
            import hylyte.design as d
        except ImportError:  # pragma: no cover
            return False
        return hasattr(d, "evaluate") and hasattr(d, "design_from_dict")

    def __call__(self, design: dict) -> list[dict]:
        """Evaluate one design dict; one row per temperature."""
        from hylyte.design import design_from_dict, evaluate
        from hylyte.sweep.plan import design_key

        obj = design_from_dict(design, base_dir=self.base_dir)
        # a design without its own seed gets one derived from its key, so that a re-run or
        # a resumed sweep reproduces the same microstructures
        rng = int(design_key(design)[:15], 16)
        return list(evaluate(obj, method=self.method, rng=rng).to_rows())


def default_evaluator(plan: SweepPlan | None = None) -> EvalFn:
    """The design layer's evaluation as an :data:`EvalFn` for ``plan``.

    Raises
    ------
    MissingDependencyError
        ``hylyte.design.evaluate`` is not available in this installation.
    """
    if not DesignEvaluator.available():
        raise MissingDependencyError(
            "hylyte.design.evaluate is not available; pass an evaluation function "
            "(eval_fn=...) to run_sweep"
        )
    return DesignEvaluator(
        method=plan.evaluate_method if plan else None,
        base_dir=plan.base_dir if plan else None,
    )


def evaluator_id(eval_fn: Any) -> str:
    """A stable name for an evaluation function (its ``evaluator_id`` or qualified name)."""
    ident = getattr(eval_fn, "evaluator_id", None)
    if isinstance(ident, str):
        return ident
    if isinstance(eval_fn, functools.partial):
        return f"partial({evaluator_id(eval_fn.func)})"
    mod = getattr(eval_fn, "__module__", None) or type(eval_fn).__module__
    name = getattr(eval_fn, "__qualname__", None) or type(eval_fn).__qualname__
    return f"{mod}:{name}"


@dataclass(slots=True)
class Outcome:
    """What one design produced in a worker."""

    key: str
    rows: list[dict] | None
    error_type: str | None = None
    error_message: str | None = None
    wall_s: float = 0.0


def _check_rows(rows: Any) -> list[dict]:
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list | tuple) or not all(isinstance(r, dict) for r in rows):
        raise TypeError(f"evaluation must return a list of dict rows, got {type(rows).__name__}")
    if not rows:
        raise ValueError("evaluation returned no rows")
    return [dict(r) for r in rows]


def _one(eval_fn: EvalFn, key: str, design: dict) -> Outcome:
    t0 = time.perf_counter()
    try:
        rows = _check_rows(eval_fn(design))
    except Exception as err:
        return Outcome(key, None, type(err).__name__, str(err) or repr(err),
                       time.perf_counter() - t0)
    return Outcome(key, rows, wall_s=time.perf_counter() - t0)


def evaluate_chunk(eval_fn: EvalFn, items: Sequence[tuple[str, dict]]) -> list[Outcome]:
    """Evaluate a chunk of ``(key, design)`` pairs; errors are caught per design.

    Uses ``eval_fn.evaluate_many`` when present; if that raises, the chunk is evaluated one
    design at a time so the failing design is isolated.
    """
    many = getattr(eval_fn, "evaluate_many", None)
    if callable(many) and len(items) > 1:
        t0 = time.perf_counter()
        try:
            results = many([d for _, d in items])
            if len(results) != len(items):
                raise ValueError("evaluate_many returned a different number of results")
            rows = [_check_rows(r) for r in results]
        except Exception:
            pass
        else:
            wall = (time.perf_counter() - t0) / len(items)
            return [Outcome(k, r, wall_s=wall) for (k, _), r in zip(items, rows, strict=True)]
    return [_one(eval_fn, k, d) for k, d in items]


# --------------------------------------------------------------------------- executors

class Executor:
    """Runs ``fn(task)`` for many tasks and yields ``(index, result, error)`` as they finish.

    Use as a context manager; :meth:`close` releases workers.
    """

    name: ClassVar[str] = "base"

    def __init__(self, *, workers: int | None = None, scheduler: str | None = None,
                 client: Any = None) -> None:
        if workers is not None and workers < 1:
            raise InputError(f"workers must be >= 1, got {workers!r}")
        self.workers = workers

    @classmethod
    def available(cls) -> bool:
        """Whether this executor can run here."""
        return True

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Release workers."""

    @property
    def n_workers(self) -> int:
        """Number of workers tasks are spread over."""
        return 1

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Sequence[Any]
                      ) -> Iterator[tuple[int, Any, BaseException | None]]:
        """Yield ``(task index, result, None)`` or ``(index, None, error)`` as tasks finish."""
        raise NotImplementedError


class SerialExecutor(Executor):
    """Everything in this process, in order (debugging, tiny sweeps, tests)."""

    name = "serial"

    def map_unordered(self, fn, tasks):
        for i, t in enumerate(tasks):
            try:
                yield i, fn(t), None
            except Exception as err:
                yield i, None, err


class ProcessExecutor(Executor):
    """Local worker processes (``concurrent.futures.ProcessPoolExecutor``); the default."""

    name = "processes"

    def __init__(self, *, workers=None, scheduler=None, client=None) -> None:
        super().__init__(workers=workers)
        self._pool: Any = None

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1

    def map_unordered(self, fn, tasks):
        from concurrent.futures import ProcessPoolExecutor, as_completed

        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.n_workers)
        futures = {self._pool.submit(fn, t): i for i, t in enumerate(tasks)}
        try:
            for fut in as_completed(futures):
                err = fut.exception()
                yield futures[fut], (None if err else fut.result()), err
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Dask distributed: a local cluster, a scheduler address or an existing client.

    Parameters
    ----------
    workers
        Number of workers of a new ``LocalCluster`` (default 2).
    scheduler
        Address of a running scheduler (``tcp://host:8786``); overrides ``workers``.
    client
        An existing ``distributed.Client`` to use (not closed by :meth:`close`).
    """

    name = "dask"

    def __init__(self, *, workers=None, scheduler=None, client=None) -> None:
        super().__init__(workers=workers)
        self.scheduler = scheduler
        self._client = client
        self._own: list[Any] = []

    @classmethod
    def available(cls) -> bool:
        return has_module("distributed")

    def _get_client(self) -> Any:
        if self._client is None:
            distributed = import_optional("distributed", extra="dist",
                                          purpose="to run sweeps on Dask")
            if self.scheduler:
                self._client = distributed.Client(self.scheduler)
                self._own.append(self._client)
            else:
                cluster = distributed.LocalCluster(
                    n_workers=self.workers or 2, threads_per_worker=1, processes=True,
                    dashboard_address=":0",
                )
                self._client = distributed.Client(cluster)
                self._own += [self._client, cluster]
        return self._client

    @property
    def n_workers(self) -> int:
        if self._client is None:
            return self.workers or 2
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def map_unordered(self, fn, tasks):
        distributed = import_optional("distributed", extra="dist", purpose="to run sweeps on Dask")
        client = self._get_client()
        futures = [client.submit(fn, t, pure=False) for t in tasks]
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in distributed.as_completed(futures):
                try:
                    yield index[fut.key], fut.result(), None
                except Exception as err:
                    yield index[fut.key], None, err
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        for obj in self._own:
            obj.close()
        self._own = []


EXECUTORS: dict[str, type[Executor]] = {
    "serial": SerialExecutor,
    "processes": ProcessExecutor,
    "dask": DaskExecutor,
}


def available_executors() -> list[str]:
    """Names of the executors that can run here."""
    return [n for n, cls in EXECUTORS.items() if cls.available()]


def get_executor(name: str = "auto", *, workers: int | None = None,
                 scheduler: str | None = None, client: Any = None) -> Executor:
    """Create an executor by name.

    Parameters
    ----------
    name
        ``"auto"`` (``dask`` when a scheduler or client is given, else ``processes``, or
        ``serial`` for ``workers=1``), ``"serial"``, ``"processes"`` or ``"dask"``.

    Raises
    ------
    InputError
        Unknown name.
    MissingDependencyError
        ``dask`` requested but not installed (the message names the ``dist`` extra).
    """
    if name == "auto":
        if scheduler or client is not None:
            name = "dask"
        else:
            name = "serial" if workers == 1 else "processes"
    if name not in EXECUTORS:
        raise InputError(f"executor must be 'auto' or one of {sorted(EXECUTORS)}, got {name!r}")
    cls = EXECUTORS[name]
    if not cls.available():
        import_optional("distributed", extra="dist", purpose="to run sweeps on Dask")
    return cls(workers=workers, scheduler=scheduler, client=client)


# --------------------------------------------------------------------------- sweep

@dataclass
class SweepSummary:
    """What a call of :func:`run_sweep` did.

    Attributes
    ----------
    n_points : int
        Designs in the plan after constraints.
    n_rejected : int
        Designs removed by constraints.
    n_skipped : int
        Designs already in the store (not evaluated again).
    n_evaluated, n_failed : int
        Designs evaluated now, and how many of them raised.
    n_rows : int
        Rows written now.
    n_unfinished : int
        Designs left unevaluated because a worker died (a re-run resumes them).
    parts : list of str
        Part files written now.
    executor : str
        Executor used.
    wall_s : float
        Wall time [s].
    """

    n_points: int
    n_rejected: int
    n_skipped: int
    n_evaluated: int = 0
    n_failed: int = 0
    n_rows: int = 0
    n_unfinished: int = 0
    parts: list[str] = field(default_factory=list)
    executor: str = ""
    wall_s: float = 0.0
    out_dir: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _records(out: Outcome, point: SweepPoint, columns: tuple[str, ...]) -> list[dict]:
    base = {"design_hash": out.key}
    design_json = json.dumps(point.design, sort_keys=True)
    if out.rows is None:
        return [{**base, "row_index": 0, "status": "error", "error_type": out.error_type,
                 "error_message": out.error_message, "eval_wall_s": out.wall_s,
                 **point.inputs, "design_json": design_json}]
    recs = []
    for i, row in enumerate(out.rows):
        if columns:
            row = {k: v for k, v in row.items() if k in columns or k in ("T_K", "T_degC")}
        clean = {}
        for k, v in row.items():
            if k in _RESERVED:  # e.g. the design layer's own hash: keep it under another name
                k = f"result_{k}"
            if hasattr(v, "item") and callable(v.item):
                v = v.item()
            elif isinstance(v, list | tuple | dict):
                v = json.dumps(v, default=str)
            clean[k] = v
        recs.append({**base, "row_index": i, "status": "ok", "error_type": None,
                     "error_message": None, "eval_wall_s": out.wall_s, **point.inputs,
                     **clean, "design_json": design_json})
    return recs


#: executor failures that say nothing about the designs of a task
_INFRASTRUCTURE = frozenset({"BrokenProcessPool", "CancelledError", "KilledWorker",
                             "CommClosedError", "PicklingError"})

_RESERVED = frozenset({"design_hash", "row_index", "status", "error_type", "error_message",
                       "eval_wall_s", "design_json"})


def _auto_chunk(n: int, workers: int) -> int:
    return max(1, min(512, math.ceil(n / (4 * max(1, workers)))))


def run_sweep(
    plan: SweepPlan | str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    eval_fn: EvalFn | None = None,
    executor: str | Executor = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    flush_designs: int | None = None,
    flush_s: float = 5.0,
    retry_errors: bool = False,
    progress: ProgressFn | None = None,
) -> SweepSummary:
    """Evaluate every design of ``plan`` not yet in ``out_dir`` and store the rows.

    Parameters
    ----------
    plan
        A :class:`~hylyte.sweep.plan.SweepPlan` or the path of a sweep TOML file.
    out_dir
        Results folder (see :mod:`hylyte.sweep.store`); re-running skips stored designs.
    eval_fn
        Design dict -> list of rows; default :func:`default_evaluator`. It must be picklable
        for the ``processes`` and ``dask`` executors (a module-level function or object).
    executor
        Executor name (``auto``, ``serial``, ``processes``, ``dask``) or an
        :class:`Executor` instance (not closed here).
    workers
        Number of worker processes.
    scheduler
        Dask scheduler address.
    chunk_size
        Designs per task (default: about four tasks per worker, at most 512 designs).
    flush_designs
        Write a part once this many finished designs are buffered (default: 4 chunks).
    flush_s
        ... or once this many seconds passed since the last part [s].
    retry_errors
        Evaluate again designs stored with an error.
    progress
        ``progress(done, total)`` called after each finished task.

    Returns
    -------
    SweepSummary
    """
    t_start = time.perf_counter()
    if not isinstance(plan, SweepPlan):
        plan = load_plan(plan)
    if eval_fn is None:
        eval_fn = default_evaluator(plan)
    ident = evaluator_id(eval_fn)
    store = ResultStore(out_dir)
    store.check_evaluator(ident)
    store.clean_temporaries(older_than_s=3600.0)
    points, rejected = plan.points()
    done = store.done_keys(include_errors=not retry_errors)
    todo = [p for p in points if p.key not in done]
    summary = SweepSummary(len(points), rejected, len(points) - len(todo),
                           out_dir=str(store.path))
    info = {
        "plan": plan.to_dict(),
        "evaluator": ident,
        "inputs": {ax.column: {"path": ax.path, "unit": ax.unit, "categorical": ax.categorical}
                   for ax in plan.axes},
        "objectives": [str(o) for o in plan.objectives],
    }
    own = not isinstance(executor, Executor)
    ex = get_executor(executor, workers=workers, scheduler=scheduler) if own else executor
    summary.executor = ex.name
    if isinstance(ex, ProcessExecutor):
        import pickle

        try:
            pickle.dumps(eval_fn)
        except Exception as err:
            raise InputError(
                f"the evaluation function {ident!r} cannot be sent to worker processes "
                f"({type(err).__name__}); use a module-level function or executor='serial'"
            ) from err
    if not todo:
        store.write_manifest(info)
        summary.wall_s = time.perf_counter() - t_start
        if progress:
            progress(0, 0)
        return summary
    size = chunk_size or _auto_chunk(len(todo), ex.n_workers)
    chunks = list(iter_chunks(todo, size))
    tasks = [[(p.key, p.design) for p in c] for c in chunks]
    flush_n = flush_designs or 4 * size
    buffer: list[dict] = []
    buffered = 0
    last = time.monotonic()
    n_done = 0

    def flush() -> None:
        nonlocal buffer, buffered, last
        if buffer:
            part = store.write_part(buffer)
            summary.parts.append(part.name)
            summary.n_rows += len(buffer)
            store.write_manifest(info)
        buffer, buffered, last = [], 0, time.monotonic()

    fn = functools.partial(evaluate_chunk, eval_fn)
    try:
        for idx, outcomes, err in ex.map_unordered(fn, tasks):
            chunk = chunks[idx]
            if err is not None and type(err).__name__ in _INFRASTRUCTURE:
                # the worker died, not the design: leave it for a resumed run
                summary.n_unfinished += len(chunk)
                n_done += len(chunk)
                continue
            if err is not None:
                msg = "".join(traceback.format_exception_only(err)).strip()
                outcomes = [Outcome(p.key, None, type(err).__name__, msg) for p in chunk]
            for out, point in zip(outcomes, chunk, strict=True):
                buffer += _records(out, point, plan.columns)
                summary.n_evaluated += 1
                summary.n_failed += out.rows is None
            buffered += len(chunk)
            n_done += len(chunk)
            if buffered >= flush_n or time.monotonic() - last >= flush_s:
                flush()
            if progress:
                progress(n_done, len(todo))
    finally:
        flush()
        if own:
            ex.close()
    summary.wall_s = time.perf_counter() - t_start
    return summary


def evaluate_designs(
    designs: Sequence[dict],
    eval_fn: EvalFn,
    *,
    executor: str | Executor = "serial",
    workers: int | None = None,
    chunk_size: int | None = None,
) -> list[Outcome]:
    """Evaluate designs without a store; outcomes in the order of ``designs``.

    Used by sensitivity analysis, optimisation and active learning. Errors are captured per
    design (``Outcome.rows is None``).
    """
    own = not isinstance(executor, Executor)
    ex = get_executor(executor, workers=workers) if own else executor
    items = [(str(i), d) for i, d in enumerate(designs)]
    size = chunk_size or _auto_chunk(len(items), ex.n_workers)
    chunks = list(iter_chunks(items, size))
    out: list[Outcome | None] = [None] * len(items)
    try:
        fn = functools.partial(evaluate_chunk, eval_fn)
        for idx, outcomes, err in ex.map_unordered(fn, chunks):
            if err is not None:
                outcomes = [Outcome(k, None, type(err).__name__, str(err)) for k, _ in chunks[idx]]
            for o in outcomes:
                out[int(o.key)] = o
    finally:
        if own:
            ex.close()
    return out  # type: ignore[return-value]


def pick_value(rows: Sequence[dict], column: str, *, T_K: float | None = None) -> float:
    """The value of ``column`` in the row at temperature ``T_K`` [K] (or the only row).

    Raises
    ------
    InputError
        No such column, or no row within 0.01 K of ``T_K`` (or several rows and no ``T_K``).
    """
    if T_K is None:
        if len(rows) != 1:
            temps = [r.get("T_K") for r in rows]
            raise InputError(f"the design gives {len(rows)} rows (T_K = {temps}); choose a "
                             "temperature")
        row = rows[0]
    else:
        near = [r for r in rows if r.get("T_K") is not None and abs(r["T_K"] - T_K) <= 0.01]
        if not near:
            temps = [r.get("T_K") for r in rows]
            raise InputError(f"no result row at T_K = {T_K:g} (rows at {temps})")
        row = near[0]
    if column not in row:
        raise InputError(f"no column {column!r} in the results; columns: {sorted(row)}")
    v = row[column]
    if v is None:
        return math.nan
    return float(v)
