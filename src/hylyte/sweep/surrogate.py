"""Surrogate models of a sweep output and active learning over the design space.

A Gaussian process (or gradient boosting) is trained on evaluated designs with the numeric
axes of a plan as inputs (mapped to [0, 1], logarithmically for log ranges), reports its
k-fold cross-validated error, screens many candidate designs cheaply, and picks the next
designs where it is least certain (largest predictive standard deviation; a batch is chosen
one point at a time, each pick added to the model at its predicted mean so the next pick
goes elsewhere). Final candidates are verified with real evaluations.

scikit-learn is imported when needed (``pip install 'hylyte[ml]'``).
"""

from __future__ import annotations

import contextlib
import itertools
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

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

__all__ = ["ActiveLearningResult", "Surrogate", "active_learning", "candidate_inputs",
           "check_columns", "fit_from_store", "fit_surrogate", "next_points", "numeric_columns",
           "plan_bounds", "unit_inputs"]


def _sk(module: str) -> Any:
    return import_optional(module, extra="ml", purpose="for surrogate models")


def _numeric_axes(plan: SweepPlan) -> list[Axis]:
    axes = [a for a in plan.axes if not a.categorical]
    cat = [a.path for a in plan.axes if a.categorical and len(a.grid()) > 1]
    if cat:
        raise InputError(f"surrogates take numeric axes only; fix the categorical axes {cat} "
                         "(one value each) or run one surrogate per category")
    if not axes:
        raise InputError("the plan has no numeric axis to model")
    return axes


def _axis_bounds(ax: Axis) -> tuple[float, float, bool]:
    if ax.continuous:
        return float(ax.low), float(ax.high), ax.scale == "log"  # type: ignore[arg-type]
    nums = [float(x) for x in ax.numbers]  # type: ignore[union-attr]
    lo, hi = min(nums), max(nums)
    return lo, (hi if hi > lo else lo + 1.0), False


def unit_inputs(X: ArrayLike, bounds: list[tuple[float, float, bool]]) -> NDArray[np.float64]:
    """Map inputs in axis units to [0, 1] per column (log columns logarithmically)."""
    X = np.atleast_2d(np.asarray(X, dtype=float))
    out = np.empty_like(X)
    for j, (lo, hi, log) in enumerate(bounds):
        if log:
            out[:, j] = (np.log(X[:, j]) - np.log(lo)) / (np.log(hi) - np.log(lo))
        else:
            out[:, j] = (X[:, j] - lo) / (hi - lo)
    return out


@dataclass
class Surrogate:
    """A fitted surrogate of one output.

    Attributes
    ----------
    kind : {"gp", "gbr"}
        Gaussian process or gradient boosting.
    names : list of str
        Input columns (axis units).
    bounds : list of (low, high, log)
        Input ranges used to scale to [0, 1].
    log_output : bool
        Whether the model is fitted to ``log10(y)``.
    cv_rmse : float
        k-fold cross-validated root-mean-square error, in the output's unit.
    cv_rel_rmse : float
        Cross-validated root-mean-square relative error [-].
    cv_r2 : float
        Cross-validated coefficient of determination in the model space [-].
    n_train : int
        Training points.
    warnings : list of str
        Fitting warnings (e.g. a kernel length scale at its bound).
    U_train, z_train : ndarray
        Training inputs scaled to [0, 1] and targets in model space.
    """

    kind: str
    names: list[str]
    bounds: list[tuple[float, float, bool]]
    log_output: bool
    model: Any
    cv_rmse: float
    cv_rel_rmse: float
    cv_r2: float
    n_train: int
    warnings: list[str] = field(default_factory=list)
    U_train: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    z_train: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    def predict(self, X: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
        """Mean and standard deviation (GP only, in model space) at inputs ``X`` (axis units).

        Returns
        -------
        mean : ndarray
            Predicted output, in its unit (back-transformed from log10 when fitted in log).
        std : ndarray or None
            Predictive standard deviation in model space (log10 units for log outputs);
            ``None`` for gradient boosting.
        """
        U = unit_inputs(X, self.bounds)
        with _small_blas():
            if self.kind == "gp":
                m, s = self.model.predict(U, return_std=True)
            else:
                m, s = self.model.predict(U), None
        return (10.0 ** m if self.log_output else m), s


def _make_model(kind: str, d: int, seed: int) -> Any:
    if kind == "gp":
        gp = _sk("sklearn.gaussian_process")
        k = _sk("sklearn.gaussian_process.kernels")
        kernel = (k.ConstantKernel(1.0, (1e-3, 1e3))
                  * k.Matern(length_scale=[0.3] * d, length_scale_bounds=(1e-2, 1e2), nu=2.5)
                  + k.WhiteKernel(1e-6, (1e-12, 1e-1)))
        return gp.GaussianProcessRegressor(kernel=kernel, normalize_y=True,
                                           n_restarts_optimizer=0, random_state=seed)
    if kind == "gbr":
        ens = _sk("sklearn.ensemble")
        return ens.GradientBoostingRegressor(n_estimators=100, max_depth=3, learning_rate=0.1,
                                             random_state=seed)
    raise InputError(f"kind must be 'gp' or 'gbr', got {kind!r}")


def _small_blas() -> Any:
    """One BLAS thread while working on small matrices: threads only add overhead there."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn depends on threadpoolctl
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _fit(model: Any, U: np.ndarray, z: np.ndarray, notes: list[str]) -> Any:
    exc = _sk("sklearn.exceptions")
    with warnings.catch_warnings(record=True) as caught, _small_blas():
        warnings.simplefilter("always", exc.ConvergenceWarning)
        model.fit(U, z)
    for w in caught:
        if issubclass(w.category, exc.ConvergenceWarning):
            notes.append(str(w.message))
        else:  # anything else is not ours to hide
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return model


def fit_surrogate(
    X: ArrayLike,
    y: ArrayLike,
    *,
    names: list[str] | None = None,
    bounds: list[tuple[float, float, bool]] | None = None,
    kind: Literal["gp", "gbr"] = "gp",
    log_output: bool = False,
    cv: int = 5,
    rng: Any = None,
) -> Surrogate:
    """Fit a surrogate and measure its k-fold cross-validated error.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Inputs in axis units.
    y : array_like, shape (n,)
        Output values (positive when ``log_output``).
    bounds
        ``(low, high, log)`` per input; default the data range, linear.
    kind
        ``"gp"`` (Gaussian process, Matern 5/2 with a noise term) or ``"gbr"``.
    log_output
        Fit ``log10(y)`` (for conductivities and resistances spanning decades).
    cv
        Number of folds (at most ``n``); 0 skips cross-validation (metrics are NaN).
    rng
        Seed for fold shuffling and optimiser restarts.

    Returns
    -------
    Surrogate

    Raises
    ------
    InputError
        Shapes disagree, fewer than 3 points, or non-positive ``y`` with ``log_output``.
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    y = np.asarray(y, dtype=float).ravel()
    if X.shape[0] != y.shape[0] or X.shape[0] < 3:
        raise InputError(f"need matching X (n, d) and y (n,) with n >= 3, got {X.shape} and "
                         f"{y.shape}")
    if not np.all(np.isfinite(y)) or (log_output and np.any(y <= 0)):
        raise InputError("y must be finite (and positive with log_output)")
    d = X.shape[1]
    if bounds is None:
        bounds = [(float(X[:, j].min()), float(X[:, j].max()) if X[:, j].max() > X[:, j].min()
                   else float(X[:, j].min()) + 1.0, False) for j in range(d)]
    seed = int(np.random.default_rng(rng).integers(2**31 - 1))
    U = unit_inputs(X, bounds)
    z = np.log10(y) if log_output else y
    notes: list[str] = []
    rmse = rel_rmse = r2 = float("nan")
    if cv:
        ms = _sk("sklearn.model_selection")
        folds = ms.KFold(n_splits=max(2, min(cv, len(y))), shuffle=True, random_state=seed)
        pred = np.empty_like(z)
        for train, test in folds.split(U):
            m = _fit(_make_model(kind, d, seed), U[train], z[train], notes)
            pred[test] = m.predict(U[test])
        yhat = 10.0 ** pred if log_output else pred
        ss = float(np.sum((z - z.mean()) ** 2))
        r2 = 1.0 - float(np.sum((z - pred) ** 2)) / ss if ss > 0 else float("nan")
        rel = (yhat - y) / np.where(y != 0, np.abs(y), 1.0)
        rmse = float(np.sqrt(np.mean((yhat - y) ** 2)))
        rel_rmse = float(np.sqrt(np.mean(rel**2)))
    model = _fit(_make_model(kind, d, seed), U, z, notes)
    return Surrogate(kind, list(names or [f"x{j}" for j in range(d)]), list(bounds),
                     log_output, model, rmse, rel_rmse, r2, len(y), sorted(set(notes)), U, z)


def next_points(surrogate: Surrogate, candidates: ArrayLike, k: int) -> NDArray[np.intp]:
    """Indices of ``k`` candidates to evaluate next, where the GP is least certain.

    The first pick is the candidate with the largest predictive standard deviation; each pick
    is then added to a copy of the GP at its predicted mean (hyperparameters kept), so the
    next pick's uncertainty reflects it (the "kriging believer" batch).
    """
    if surrogate.kind != "gp":
        raise InputError("uncertainty-based selection needs kind = 'gp'")
    gp_mod = _sk("sklearn.gaussian_process")
    C = unit_inputs(candidates, surrogate.bounds)
    base = surrogate.model
    Xt, zt = surrogate.U_train, surrogate.z_train
    chosen: list[int] = []
    model = base
    with _small_blas():
        for _ in range(min(k, len(C))):
            _, s = model.predict(C, return_std=True)
            s[chosen] = -np.inf
            i = int(np.argmax(s))
            chosen.append(i)
            Xt = np.vstack([Xt, C[i : i + 1]])
            zt = np.append(zt, model.predict(C[i : i + 1]))
            model = gp_mod.GaussianProcessRegressor(kernel=base.kernel_, optimizer=None,
                                                    normalize_y=base.normalize_y)
            model.fit(Xt, zt)
    return np.asarray(chosen, dtype=np.intp)


@dataclass
class ActiveLearningResult:
    """Outcome of :func:`active_learning`.

    Attributes
    ----------
    surrogate : Surrogate
        Final model.
    X, y : ndarray
        Every evaluated input (axis units) and output.
    history : list of dict
        Per round: ``n_train`` and ``max_std`` (largest predictive std over the candidates,
        model space); the last entry also has the final model's ``cv_rmse`` and
        ``cv_rel_rmse``.
    verified : list of dict
        Best screened candidates with ``predicted`` and ``true`` (re-evaluated) values.
    best : dict
        The verified candidate with the best true value.
    n_evaluations : int
        Real evaluations used.
    """

    surrogate: Surrogate
    X: np.ndarray
    y: np.ndarray
    history: list[dict[str, float]]
    verified: list[dict[str, Any]]
    best: dict[str, Any]
    n_evaluations: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary."""
        s = self.surrogate
        return {"kind": s.kind, "inputs": s.names, "n_evaluations": self.n_evaluations,
                "cv_rmse": s.cv_rmse, "cv_rel_rmse": s.cv_rel_rmse, "cv_r2": s.cv_r2,
                "history": self.history, "verified": self.verified, "best": self.best,
                "warnings": s.warnings}


def active_learning(
    plan: SweepPlan,
    output: str,
    *,
    eval_fn: EvalFn | None = None,
    T_K: float | None = None,
    sense: Literal["min", "max"] = "max",
    log_output: bool = False,
    n_init: int = 12,
    n_rounds: int = 4,
    batch: int = 4,
    n_candidates: int = 2048,
    n_verify: int = 3,
    seed: int | None = None,
    executor: str | Executor = "serial",
    workers: int | None = None,
) -> ActiveLearningResult:
    """Learn ``output`` over the plan's numeric axes with a GP, then verify the best designs.

    Parameters
    ----------
    plan
        Sweep plan: its numeric axes span the design space (categorical axes must be fixed).
    output
        Result column to model.
    T_K
        Temperature of the row to read [K].
    sense
        Whether the best design has the largest or the smallest output.
    log_output
        Model ``log10(output)``.
    n_init
        Initial Latin hypercube designs.
    n_rounds, batch
        Rounds of uncertainty sampling and designs per round.
    n_candidates
        Scrambled Sobol' candidates screened with the surrogate.
    n_verify
        Best screened candidates re-evaluated for real.

    Returns
    -------
    ActiveLearningResult
    """
    from scipy.stats import qmc

    eval_fn = eval_fn or default_evaluator(plan)
    axes = _numeric_axes(plan)
    fixed = {a.column: a.grid()[0][1] for a in plan.axes if a.categorical}
    bounds = [_axis_bounds(a) for a in axes]
    rng = np.random.default_rng(seed)

    def from_unit(U: np.ndarray) -> np.ndarray:
        X = np.empty_like(U)
        for j, (lo, hi, log) in enumerate(bounds):
            X[:, j] = np.exp(np.log(lo) + U[:, j] * (np.log(hi) - np.log(lo))) if log else (
                lo + U[:, j] * (hi - lo))
        return X

    def run(X: np.ndarray) -> np.ndarray:
        designs = [plan.design_for({**fixed, **{a.column: float(x) for a, x in
                                                zip(axes, row, strict=True)}}) for row in X]
        outs = evaluate_designs(designs, eval_fn, executor=executor, workers=workers)
        vals = []
        for o in outs:
            if o.rows is None:
                vals.append(np.nan)
            else:
                vals.append(pick_value(o.rows, output, T_K=T_K))
        return np.asarray(vals, dtype=float)

    def fit(X: np.ndarray, y: np.ndarray, cv: int = 0) -> Surrogate:
        ok = np.isfinite(y) & ((y > 0) if log_output else True)
        return fit_surrogate(X[ok], y[ok], names=[a.column for a in axes], bounds=bounds,
                             log_output=log_output, cv=cv, rng=rng)

    d = len(axes)
    X = from_unit(qmc.LatinHypercube(d, rng=rng).random(n_init))
    y = run(X)
    U = qmc.Sobol(d, rng=rng).random_base2(int(np.ceil(np.log2(n_candidates))))
    if d <= 10:  # optima often sit on the bounds: screen the corners of the box as well
        U = np.vstack([U, np.array(list(itertools.product((0.0, 1.0), repeat=d)))])
    cand = from_unit(U)
    history = []
    sur = fit(X, y)
    for r in range(n_rounds):
        _, s = sur.predict(cand)
        history.append({"n_train": sur.n_train, "max_std": float(np.max(s))})
        pick = next_points(sur, cand, batch)
        X = np.vstack([X, cand[pick]])
        y = np.append(y, run(cand[pick]))
        cand = np.delete(cand, pick, axis=0)
        if r < n_rounds - 1:
            sur = fit(X, y)
    sur = fit(X, y, cv=5)  # cross-validated error of the final model
    mean, s = sur.predict(cand)
    history.append({"n_train": sur.n_train, "cv_rmse": sur.cv_rmse,
                    "cv_rel_rmse": sur.cv_rel_rmse, "max_std": float(np.max(s))})
    order = np.argsort(mean if sense == "min" else -mean)[:n_verify]
    true = run(cand[order])
    verified = [{"inputs": {a.column: float(x) for a, x in zip(axes, cand[i], strict=True)},
                 "predicted": float(mean[i]), "true": float(t)}
                for i, t in zip(order, true, strict=True)]
    finite = [v for v in verified if np.isfinite(v["true"])]
    if not finite:
        raise InputError("every verified candidate failed to evaluate")
    best = (min if sense == "min" else max)(finite, key=lambda v: v["true"])
    return ActiveLearningResult(sur, X, y, history, verified, best, len(y) + len(order))


def numeric_columns(table: Any) -> list[str]:
    """Names of the numeric (integer or floating) columns of a ``pyarrow.Table``."""
    import pyarrow.types as pat

    return [f.name for f in table.schema
            if (pat.is_integer(f.type) or pat.is_floating(f.type)) and f.name != "row_index"]


def check_columns(names: list[str], allowed: list[str], field: str) -> None:
    """Raise :class:`InputError` naming ``field`` and the allowed columns if any is unknown."""
    bad = [n for n in names if n not in allowed]
    if bad:
        raise InputError(f"{field}: no numeric column {', '.join(map(repr, bad))}; "
                         f"allowed columns: {', '.join(allowed)}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fit_from_store(
    folder: Any,
    output: str,
    *,
    features: list[str] | None = None,
    where: str | None = None,
    kind: Literal["gp", "gbr"] = "gp",
    log_output: bool = False,
    bounds: list[tuple[float, float, bool]] | None = None,
    cv: int = 5,
    rng: Any = None,
) -> Surrogate:
    """Fit a surrogate to the stored results of a sweep (e.g. voxel solves).

    Parameters
    ----------
    folder
        Results folder of :func:`~hylyte.sweep.executor.run_sweep`.
    output
        Result column to model.
    features
        Input columns; default the numeric axis columns recorded in the manifest.
    where
        SQL condition selecting the rows, e.g. ``"T_degC = 25"`` (one row per design).
    bounds
        ``(low, high, log)`` per feature (e.g. from :func:`plan_bounds`); default the data
        range, linear.
    kind, log_output, cv, rng
        As in :func:`fit_surrogate`.

    Returns
    -------
    Surrogate

    Raises
    ------
    InputError
        No results, an unknown or non-numeric column (the message lists the allowed ones),
        fewer than 3 usable rows, or several rows per design (add a ``where``).
    """
    from hylyte.sweep.store import ResultStore

    store = ResultStore(folder)
    if not store.parts():
        raise InputError(f"{folder}: no results (no part-*.parquet files)")
    allowed = numeric_columns(store.query("SELECT * FROM results LIMIT 0"))
    check_columns([output], allowed, "target")
    if features is None:
        features = [c for c, info in store.input_columns().items()
                    if not info.get("categorical") and c in allowed]
        if not features:
            raise InputError(f"{folder}: the manifest lists no numeric input columns; name "
                             f"the features (allowed columns: {', '.join(allowed)})")
    features = list(features)
    if not features or len(set(features)) != len(features):
        raise InputError(f"features: need distinct column names, got {features}")
    check_columns(features, allowed, "features")
    if output in features:
        raise InputError(f"features: the target {output!r} cannot be a feature")
    if bounds is not None and len(bounds) != len(features):
        raise InputError(f"bounds: need one per feature ({len(features)}), got {len(bounds)}")
    cols = ", ".join(_ident(c) for c in [*features, output])
    sql = f"SELECT design_hash, {cols} FROM results WHERE status = 'ok'"
    if where:
        sql += f" AND ({where})"
    table = store.query(sql)
    keys = table.column("design_hash").to_pylist()
    if len(set(keys)) != len(keys):
        raise InputError("several rows per design: select one temperature with where=..., "
                         "e.g. \"T_degC = 25\"")
    X = np.column_stack([np.asarray(table.column(c).to_numpy(zero_copy_only=False),
                                    dtype=float) for c in features])
    y = np.asarray(table.column(output).to_numpy(zero_copy_only=False), dtype=float)
    ok = np.isfinite(y) & np.all(np.isfinite(X), axis=1)
    if log_output:
        ok &= y > 0
    if ok.sum() < 3:
        what = "finite, positive" if log_output else "finite"
        raise InputError(f"{output}: {int(ok.sum())} usable rows ({what} values) of {len(y)}; "
                         "need at least 3")
    return fit_surrogate(X[ok], y[ok], names=features, bounds=bounds, kind=kind,
                         log_output=log_output, cv=cv, rng=rng)


def _feature_axes(plan: SweepPlan, columns: list[str]) -> list[Axis]:
    axes = []
    for c in columns:
        ax = plan.axis(c)
        if ax.categorical:
            raise InputError(f"features: axis {ax.column!r} is categorical; surrogates take "
                             "numeric axes only")
        axes.append(ax)
    for ax in plan.axes:
        if ax in axes:
            continue
        if ax.values is None or len(ax.values) != 1:
            raise InputError(
                f"plan: axis {ax.column!r} is not a feature of the surrogate but takes several "
                "values; fix it to one value in the plan or add it to the features"
            )
    return axes


def plan_bounds(plan: SweepPlan, columns: list[str]) -> list[tuple[float, float, bool]]:
    """``(low, high, log)`` of the plan axes named by ``columns`` (input scaling of a fit)."""
    return [_axis_bounds(ax) for ax in _feature_axes(plan, columns)]


def candidate_inputs(
    plan: SweepPlan,
    columns: list[str],
    *,
    n: int = 1024,
    rng: Any = None,
    exclude_keys: set[str] | frozenset[str] = frozenset(),
) -> NDArray[np.float64]:
    """Candidate designs over the plan axes named by ``columns``, in axis units.

    When every such axis is a list (or a range with ``num``) and the grid has at most ``n``
    points, the candidates are the whole grid; otherwise a scrambled Sobol' sample of about
    ``n`` points (ranges anywhere between start and stop, lists by index) plus the corners of
    the box. Candidates that fail a constraint of the plan, or whose design key is in
    ``exclude_keys`` (e.g. designs already evaluated), are dropped.

    Parameters
    ----------
    plan
        Plan spanning the design space; axes not in ``columns`` must have one value.
    columns
        Axis columns (the surrogate's features), in the surrogate's order.
    n
        Candidate budget.
    rng
        Seed of the Sobol' sample.
    exclude_keys
        Design keys to leave out.

    Returns
    -------
    ndarray, shape (m, len(columns))
        Unique candidate inputs.
    """
    from hylyte.sweep.plan import design_key

    axes = _feature_axes(plan, columns)
    d = len(axes)
    if all(ax.values is not None for ax in axes) and np.prod(
            [float(len(ax.values)) for ax in axes]) <= n:  # type: ignore[arg-type]
        X = np.array(list(itertools.product(*[[float(v) for v in ax.numbers]  # type: ignore[union-attr]
                                              for ax in axes])), dtype=float).reshape(-1, d)
    else:
        from scipy.stats import qmc

        U = qmc.Sobol(d, rng=np.random.default_rng(rng)).random_base2(
            max(1, int(np.ceil(np.log2(max(n, 2))))))
        if d <= 10:
            U = np.vstack([U, np.array(list(itertools.product((0.0, 1.0), repeat=d)))])
        X = np.column_stack([[float(cv) for _, cv in ax.from_unit(U[:, j])]
                             for j, ax in enumerate(axes)]).reshape(-1, d)
        X = np.unique(X, axis=0)
    keep = np.ones(len(X), dtype=bool)
    for i, row in enumerate(X):
        design = plan.design_for({ax.column: x for ax, x in zip(axes, row, strict=True)})
        keep[i] = plan.satisfies(design) and design_key(design) not in exclude_keys
    if not keep.any():
        raise InputError("no candidate design is left: all fail the plan's constraints or "
                         "are already evaluated")
    return X[keep]
