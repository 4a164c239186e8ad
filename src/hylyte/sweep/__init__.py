"""Screening at scale: sweep plans, executors, a resumable results store and analysis.

Example::

    from hylyte.sweep import ResultStore, load_plan, run_sweep
    summary = run_sweep(load_plan("screen.toml"), "screen-results")
    ResultStore("screen-results").query("SELECT * FROM results WHERE T_degC = 25")

Submodules load on first access, so importing :mod:`hylyte.sweep` pulls in neither pyarrow,
DuckDB, Dask, SALib nor scikit-learn.
"""

from hylyte._lazy import lazy_module_attrs

_EXPORTS = {
    "SweepPlan": "hylyte.sweep.plan",
    "Axis": "hylyte.sweep.plan",
    "Objective": "hylyte.sweep.plan",
    "load_plan": "hylyte.sweep.plan",
    "plan_from_dict": "hylyte.sweep.plan",
    "design_key": "hylyte.sweep.plan",
    "parse_objective": "hylyte.sweep.plan",
    "points_plan_dict": "hylyte.sweep.plan",
    "plan_to_toml": "hylyte.sweep.plan",
    "parse_expression": "hylyte.sweep.expr",
    "run_sweep": "hylyte.sweep.executor",
    "get_executor": "hylyte.sweep.executor",
    "available_executors": "hylyte.sweep.executor",
    "evaluate_designs": "hylyte.sweep.executor",
    "DesignEvaluator": "hylyte.sweep.executor",
    "EvalFn": "hylyte.sweep.executor",
    "SweepSummary": "hylyte.sweep.executor",
    "ResultStore": "hylyte.sweep.store",
    "pareto_mask": "hylyte.sweep.pareto",
    "pareto_front": "hylyte.sweep.pareto",
    "pareto_table": "hylyte.sweep.pareto",
    "one_at_a_time": "hylyte.sweep.sensitivity",
    "sobol_indices": "hylyte.sweep.sensitivity",
    "SensitivityResult": "hylyte.sweep.sensitivity",
    "optimise": "hylyte.sweep.optimise",
    "OptimiseResult": "hylyte.sweep.optimise",
    "fit_surrogate": "hylyte.sweep.surrogate",
    "fit_from_store": "hylyte.sweep.surrogate",
    "active_learning": "hylyte.sweep.surrogate",
    "next_points": "hylyte.sweep.surrogate",
    "candidate_inputs": "hylyte.sweep.surrogate",
    "plan_bounds": "hylyte.sweep.surrogate",
    "Surrogate": "hylyte.sweep.surrogate",
    "ActiveLearningResult": "hylyte.sweep.surrogate",
    "plot_pareto": "hylyte.sweep.plots",
    "plot_sensitivity": "hylyte.sweep.plots",
    "plot_map": "hylyte.sweep.plots",
    "grid_map": "hylyte.sweep.plots",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_module_attrs(__name__, _EXPORTS)
