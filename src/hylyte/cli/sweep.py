"""Screening: ``hylyte sweep``, ``results``, ``pareto``, ``map``, ``sensitivity``,
``optimise`` and ``surrogate``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json, progress_enabled


class _Bar:
    """A one-line progress bar with ETA on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.t0 = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        el = now - self.t0
        eta = el / done * (total - done) if done else float("nan")
        width = 30
        fill = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {done}/{total} designs "
                         f"{el:6.1f} s elapsed, ETA {eta:6.1f} s ")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _temperature(text: str | None) -> float | None:
    if text is None:
        return None
    from hylyte.units import parse

    return parse(text, "temperature", field="--T")


def _save(ax, out: Path) -> None:
    import matplotlib.pyplot as plt

    from hylyte._atomic import atomic_path

    try:
        with atomic_path(out) as tmp:
            ax.figure.savefig(tmp, dpi=150, bbox_inches="tight",
                              format=out.suffix.lstrip(".") or "png")
    finally:
        plt.close(ax.figure)


def _print_table(table, limit: int = 50) -> None:
    rows = table.slice(0, limit).to_pylist()
    cols = table.column_names
    if not rows:
        typer.echo("(no rows)")
        return
    txt = [[_fmt(r[c]) for c in cols] for r in rows]
    widths = [min(40, max(len(c), *(len(t[i]) for t in txt))) for i, c in enumerate(cols)]
    typer.echo("  ".join(c[:w].ljust(w) for c, w in zip(cols, widths, strict=True)))
    for t in txt:
        typer.echo("  ".join(v[:w].ljust(w) for v, w in zip(t, widths, strict=True)))
    if table.num_rows > limit:
        typer.echo(f"... {table.num_rows - limit} more rows (use --csv or --json)", err=True)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return "" if v is None else str(v)


def sweep(
    plan_file: Annotated[Path, typer.Argument(help="Sweep file (.toml).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Results folder (default '<sweep file stem>-results').")] = None,
    executor: Annotated[str, typer.Option(
        "--executor", help="processes (default), dask, serial or auto.")] = "processes",
    workers: Annotated[int | None, typer.Option("--workers", help="Worker count.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address (implies --executor dask).")] = None,
    chunk_size: Annotated[int | None, typer.Option(
        "--chunk-size", help="Designs per task (default: automatic).")] = None,
    retry_errors: Annotated[bool, typer.Option(
        "--retry-errors", help="Evaluate again designs stored with an error.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Run a sweep; resumable: designs already in the results folder are skipped."""
    with cli_errors():
        from hylyte.sweep.executor import run_sweep
        from hylyte.sweep.plan import load_plan

        plan = load_plan(plan_file)
        folder = out if out is not None else Path(f"{plan_file.stem}-results")
        if scheduler and executor == "processes":
            executor = "dask"
        summary = run_sweep(plan, folder, executor=executor, workers=workers,
                            scheduler=scheduler, chunk_size=chunk_size,
                            retry_errors=retry_errors, progress=_Bar(progress_enabled(quiet)))
    if json_out:
        echo_json(summary.to_dict())
        return
    if not quiet:
        typer.echo(f"{summary.n_evaluated} designs evaluated ({summary.n_failed} failed), "
                   f"{summary.n_skipped} already done, {summary.n_rejected} removed by "
                   f"constraints; {summary.wall_s:.1f} s on {summary.executor}", err=True)
    if summary.n_unfinished:
        typer.echo(f"warning: {summary.n_unfinished} designs were not evaluated because "
                   "workers stopped; run the same command again to resume", err=True)
    typer.echo(str(folder))


results_app = typer.Typer(help="Query sweep results (DuckDB SQL over a view named 'results').",
                          no_args_is_help=True)


@results_app.command("query")
def results_query(
    folder: Annotated[Path, typer.Argument(help="Results folder.")],
    sql: Annotated[str, typer.Argument(help="SQL over the view 'results'.")] = (
        "SELECT * FROM results"),
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the rows as CSV.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print rows as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="Rows printed as a table.")] = 50,
) -> None:
    """Run SQL over the results, e.g. "SELECT T_degC, max(conductivity_S_per_cm) ..."."""
    with cli_errors():
        from hylyte.errors import InputError
        from hylyte.sweep.store import ResultStore

        store = ResultStore(folder)
        if not store.parts():
            raise InputError(f"{folder}: no results (no part-*.parquet files)")
        if csv is not None:
            typer.echo(str(store.to_csv(csv, sql)))
            return
        table = store.query(sql)
    if json_out:
        echo_json(table.to_pylist())
    else:
        _print_table(table, limit)


def pareto(
    folder: Annotated[Path, typer.Argument(help="Results folder.")],
    objective: Annotated[list[str], typer.Option(
        "--objective", help="column:min or column:max (repeat).")],
    where: Annotated[str | None, typer.Option(
        "--where", help="SQL condition, e.g. \"T_degC = 25\".")] = None,
    figure: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Save a scatter of the first two objectives (png, svg, pdf).")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the front as CSV.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the front as JSON.")] = False,
) -> None:
    """Pareto front of the results over the given objectives."""
    with cli_errors():
        from hylyte.errors import InputError
        from hylyte.sweep.pareto import pareto_table
        from hylyte.sweep.plan import parse_objective
        from hylyte.sweep.store import ResultStore

        store = ResultStore(folder)
        if not store.parts():
            raise InputError(f"{folder}: no results (no part-*.parquet files)")
        sql = "SELECT * FROM results WHERE status = 'ok'"
        if where:
            sql += f" AND ({where})"
        table = store.query(sql)
        front, mask = pareto_table(table, objective)
        objs = [parse_objective(o) for o in objective]
        if figure is not None:
            if len(objs) < 2:
                raise InputError("--out: a figure needs at least two objectives")
            from hylyte.sweep.plots import columns, plot_pareto

            x, y = columns(table, [objs[0].column, objs[1].column])
            ax = plot_pareto(x, y, mask, xlabel=objs[0].column, ylabel=objs[1].column,
                             logx=bool(x.size and (x > 0).all() and x.max() / x.min() > 100),
                             logy=bool(y.size and (y > 0).all() and y.max() / y.min() > 100))
            _save(ax, figure)
        if csv is not None:
            import io

            import pyarrow.csv as pa_csv

            from hylyte._atomic import atomic_write_bytes

            buf = io.BytesIO()
            pa_csv.write_csv(front.drop_columns(["design_json"]) if "design_json" in
                             front.column_names else front, buf)
            atomic_write_bytes(csv, buf.getvalue())
    keep = [c for c in front.column_names if c != "design_json"]
    if json_out:
        echo_json(front.select(keep).to_pylist())
    else:
        inputs = [c for c in store.input_columns() if c in keep]
        extra = [c for c in ("T_degC", "design_hash") if c in keep]
        cols = list(dict.fromkeys([o.column for o in objs] + inputs + extra))
        _print_table(front.select(cols))
        typer.echo(f"{front.num_rows} of {table.num_rows} rows on the front", err=True)


def sensitivity(
    plan_file: Annotated[Path, typer.Argument(help="Sweep file (.toml); its axes are varied.")],
    output: Annotated[str, typer.Option("--output", help="Result column to analyse.")],
    method: Annotated[str, typer.Option("--method", help="oat or sobol.")] = "oat",
    temperature: Annotated[str | None, typer.Option(
        "--T", help="Temperature of the row to use, e.g. '25 degC'.")] = None,
    n: Annotated[int, typer.Option("-n", help="Sobol base sample size (power of 2).")] = 256,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (Sobol).")] = None,
    executor: Annotated[str, typer.Option("--executor", help="serial, processes or dask.")] = (
        "processes"),
    workers: Annotated[int | None, typer.Option("--workers", help="Worker count.")] = None,
    figure: Annotated[Path | None, typer.Option("--out", "-o", help="Save a bar chart.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the indices as JSON.")] = False,
) -> None:
    """One-at-a-time or global Sobol sensitivity of an output to the sweep axes."""
    with cli_errors():
        from hylyte.errors import InputError
        from hylyte.sweep.plan import load_plan
        from hylyte.sweep.sensitivity import one_at_a_time, sobol_indices

        plan = load_plan(plan_file)
        T = _temperature(temperature)
        if method == "oat":
            res = one_at_a_time(plan, output, T_K=T, executor=executor, workers=workers)
        elif method == "sobol":
            res = sobol_indices(plan, output, T_K=T, n=n, seed=seed, executor=executor,
                                workers=workers)
        else:
            raise InputError(f"--method: got {method!r}; allowed: oat, sobol")
        if figure is not None:
            from hylyte.sweep.plots import plot_sensitivity

            _save(plot_sensitivity(res), figure)
    if json_out:
        echo_json(res.to_dict())
    else:
        import pyarrow as pa

        _print_table(pa.Table.from_pylist(res.to_rows()))


def optimise(
    plan_file: Annotated[Path, typer.Argument(
        help="Sweep file (.toml): ranges are the variables, lists are enumerated.")],
    objective: Annotated[str | None, typer.Option(
        "--objective", help="column:min or column:max (default: the plan's first).")] = None,
    target: Annotated[list[str] | None, typer.Option(
        "--target", help="Target such as 'asr_ohm_cm2 <= 20' (repeat).")] = None,
    temperature: Annotated[str | None, typer.Option(
        "--T", help="Temperature of the row to use, e.g. '25 degC'.")] = None,
    method: Annotated[str, typer.Option(
        "--method", help="differential_evolution or slsqp.")] = "differential_evolution",
    seed: Annotated[int | None, typer.Option("--seed", help="Optimiser seed.")] = None,
    maxiter: Annotated[int, typer.Option("--maxiter", help="Optimiser iterations.")] = 100,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Inverse design: meet the targets with the best objective, or say they are unreachable."""
    with cli_errors():
        from hylyte.sweep.optimise import optimise as run_optimise
        from hylyte.sweep.plan import load_plan

        plan = load_plan(plan_file)
        res = run_optimise(plan, objective=objective, targets=target or [],
                           T_K=_temperature(temperature), method=method,  # type: ignore[arg-type]
                           seed=seed, maxiter=maxiter)
    if json_out:
        echo_json(res.to_dict())
        return
    typer.echo(res.message)
    for k, v in res.inputs.items():
        typer.echo(f"  {k} = {_fmt(v)}")


def _ok_rows(folder: Path, where: str | None):
    from hylyte.errors import InputError
    from hylyte.sweep.store import ResultStore

    store = ResultStore(folder)
    if not store.parts():
        raise InputError(f"{folder}: no results (no part-*.parquet files)")
    sql = "SELECT * FROM results WHERE status = 'ok'"
    if where:
        sql += f" AND ({where})"
    return store, store.query(sql)


def map_command(
    folder: Annotated[Path, typer.Argument(help="Results folder.")],
    x: Annotated[str, typer.Option("--x", help="Column on the horizontal axis.")],
    y: Annotated[str, typer.Option("--y", help="Column on the vertical axis.")],
    figure: Annotated[Path, typer.Option("--out", "-o", help="Figure file (png, svg, pdf).")],
    z: Annotated[str, typer.Option("--z", help="Column shown in colour.")] = (
        "conductivity_S_per_cm"),
    where: Annotated[str | None, typer.Option(
        "--where", help="SQL condition, e.g. \"T_degC = 25\".")] = None,
    scale: Annotated[str, typer.Option(
        "--scale", help="Colour scale: auto (log10 for positive values over a decade), "
                        "log or linear.")] = "auto",
    json_out: Annotated[bool, typer.Option("--json", help="Print the grid as JSON.")] = False,
) -> None:
    """Map of an output (default conductivity) over two axes of a grid sweep."""
    with cli_errors():
        import numpy as np

        from hylyte.errors import InputError
        from hylyte.sweep.plots import columns, grid_map, plot_map
        from hylyte.sweep.surrogate import check_columns, numeric_columns

        if scale not in ("auto", "log", "linear"):
            raise InputError(f"--scale: got {scale!r}; allowed: auto, log, linear")
        _, table = _ok_rows(folder, where)
        allowed = numeric_columns(table)
        for opt, col in (("--x", x), ("--y", y), ("--z", z)):
            check_columns([col], allowed, opt)
        if x == y:
            raise InputError(f"--x and --y: need two different columns, got {x!r} twice")
        xv, yv, zv = columns(table, [x, y, z])
        ok = np.isfinite(xv) & np.isfinite(yv) & np.isfinite(zv)
        if not ok.any():
            raise InputError(f"no rows with finite {x}, {y} and {z}"
                             + (f" where {where}" if where else ""))
        xv, yv, zv = xv[ok], yv[ok], zv[ok]
        log = scale == "log" or (scale == "auto" and bool((zv > 0).all())
                                 and zv.max() > 10 * zv.min())
        if log and not (zv > 0).all():
            raise InputError(f"--scale log: {z} has values <= 0; use --scale linear")
        xs, ys, grid, counts = grid_map(xv, yv, zv)
        def wide(v):  # positive and spanning two decades or more: a log-spaced axis
            return bool((v > 0).all() and v.max() >= 100 * v.min())

        _save(plot_map(xv, yv, zv, xlabel=x, ylabel=y, zlabel=z, log=log, logx=wide(xv),
                       logy=wide(yv)), figure)
    several = int((counts > 1).sum())
    empty = int((counts == 0).sum())
    if json_out:
        echo_json({"figure": str(figure), "x": x, "y": y, "z": z, "log": log,
                   "x_values": xs, "y_values": ys, "z_grid": grid,
                   "n_rows": int(ok.sum()), "cells_with_several_rows": several,
                   "empty_cells": empty})
    else:
        typer.echo(str(figure))
    if several:
        typer.echo(f"warning: {several} of {counts.size} cells hold several rows (their mean "
                   "is shown); narrow the rows with --where, e.g. \"T_degC = 25\"", err=True)
    if empty:
        typer.echo(f"warning: {empty} of {counts.size} cells have no row (blank); "
                   f"{x} and {y} do not form a full grid", err=True)


def surrogate(
    folder: Annotated[Path, typer.Argument(help="Results folder.")],
    target: Annotated[str, typer.Option("--target", help="Result column to model.")],
    features: Annotated[str | None, typer.Option(
        "--features", help="Comma-separated input columns (default: the numeric axes).")] = None,
    where: Annotated[str | None, typer.Option(
        "--where", help="SQL condition giving one row per design, e.g. \"T_degC = 25\".")] = None,
    model: Annotated[str, typer.Option("--model", help="gp or gbr.")] = "gp",
    log: Annotated[bool, typer.Option(
        "--log", help="Model log10 of the target (for outputs spanning decades).")] = False,
    cv: Annotated[int, typer.Option("--cv", help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed (folds, candidates).")] = 0,
    suggest: Annotated[int | None, typer.Option(
        "--suggest", help="Write the N designs where the GP is least certain as a sweep.")] = None,
    plan_file: Annotated[Path | None, typer.Option(
        "--plan", help="Sweep file spanning the design space of the suggestions.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Sweep file to write (default '<plan stem>-next.toml').")] = None,
    n_candidates: Annotated[int, typer.Option(
        "--candidates", help="Candidate designs screened for --suggest.")] = 1024,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Fit a surrogate to stored results and report its cross-validated error; with
    --suggest N --plan SWEEP.toml, write the next N designs to evaluate as a sweep file."""
    with cli_errors():
        import os

        from hylyte.errors import InputError
        from hylyte.sweep.plan import load_plan, plan_to_toml, points_plan_dict
        from hylyte.sweep.store import ResultStore
        from hylyte.sweep.surrogate import (
            candidate_inputs,
            fit_from_store,
            next_points,
            plan_bounds,
        )

        if model not in ("gp", "gbr"):
            raise InputError(f"--model: got {model!r}; allowed: gp, gbr")
        if cv != 0 and cv < 2:
            raise InputError(f"--cv: got {cv}; allowed: 0 (no cross-validation) or >= 2")
        if suggest is not None:
            if suggest < 1:
                raise InputError(f"--suggest: got {suggest}; need a positive count")
            if plan_file is None:
                raise InputError("--suggest: needs --plan SWEEP.toml, the design space to "
                                 "pick the designs from")
            if model != "gp":
                raise InputError("--suggest: needs --model gp (uncertainty comes from the GP)")
            if n_candidates < 1:
                raise InputError(f"--candidates: got {n_candidates}; need a positive count")
        names = [f.strip() for f in features.split(",") if f.strip()] if features else None
        plan = load_plan(plan_file) if plan_file is not None else None
        bounds = None
        if plan is not None:
            if names is None:
                names = [a.column for a in plan.axes if not a.categorical
                         and (a.values is None or len(a.values) > 1)]
            bounds = plan_bounds(plan, names)
        sur = fit_from_store(folder, target, features=names, where=where, kind=model,  # type: ignore[arg-type]
                             log_output=log, bounds=bounds, cv=cv, rng=seed)
        result = {"model": sur.kind, "target": target, "features": sur.names,
                  "log_output": sur.log_output, "n_train": sur.n_train, "cv_folds": cv,
                  "cv_rmse": sur.cv_rmse, "cv_rel_rmse": sur.cv_rel_rmse, "cv_r2": sur.cv_r2,
                  "warnings": sur.warnings}
        if suggest is not None and plan is not None and plan_file is not None:
            cand = candidate_inputs(plan, sur.names, n=n_candidates, rng=seed,
                                    exclude_keys=ResultStore(folder).done_keys())
            picks = next_points(sur, cand, suggest)
            mean, std = sur.predict(cand[picks])
            points = [dict(zip(sur.names, map(float, cand[i]), strict=True)) for i in picks]
            dest = out if out is not None else plan_file.with_name(f"{plan_file.stem}-next.toml")
            base = plan.source.get("base")
            if isinstance(base, str):
                src = (plan.base_dir or plan_file.parent) / Path(base).name
                try:
                    base = Path(os.path.relpath(src.resolve(), dest.resolve().parent)).as_posix()
                except ValueError:  # another drive
                    base = src.resolve().as_posix()
            data = points_plan_dict(plan, points, base=base,
                                    name=f"{plan.name or plan_file.stem}: next {len(points)}")
            header = (f"{len(points)} designs where the {sur.kind} surrogate of {target} "
                      f"(fitted on {sur.n_train} designs of {folder}) is least certain.\n"
                      f"Run: hylyte sweep {dest.name} -o {folder}")
            text = plan_to_toml(data, header=header)
            import tomllib

            from hylyte._atomic import atomic_write_text
            from hylyte.sweep.plan import plan_from_dict

            plan_from_dict(tomllib.loads(text), base_dir=dest.resolve().parent,
                           source=str(dest))  # what is written must load
            atomic_write_text(dest, text)
            result.update({
                "plan": str(dest), "n_candidates": len(cand),
                "std_space": "log10" if sur.log_output else "linear",
                "suggestions": [{"inputs": p, "predicted": float(m), "std": float(s)}
                                for p, m, s in zip(points, mean, std, strict=True)]})  # type: ignore[arg-type]
    if json_out:
        echo_json(result)
        return
    space = "log10 of " if sur.log_output else ""
    typer.echo(f"{sur.kind} surrogate of {space}{target} on {sur.n_train} designs; inputs: "
               f"{', '.join(sur.names)}")
    if cv:
        typer.echo(f"{cv}-fold cross-validated error: RMSE {_fmt(sur.cv_rmse)} (unit of "
                   f"{target}), relative RMSE {100 * sur.cv_rel_rmse:.3g} %, "
                   f"R2 {_fmt(sur.cv_r2)}")
    for w in dict.fromkeys(w.strip().splitlines()[0] for w in sur.warnings if w.strip()):
        typer.echo(f"warning: {w}", err=True)
    if "suggestions" in result:
        import pyarrow as pa

        rows = [{**s["inputs"], f"predicted_{target}": s["predicted"],
                 f"std ({result['std_space']})": s["std"]} for s in result["suggestions"]]
        _print_table(pa.Table.from_pylist(rows))
        typer.echo(f"wrote {result['plan']} ({len(rows)} designs of {result['n_candidates']} "
                   f"candidates); run: hylyte sweep {result['plan']} -o {folder}")


def register(app: typer.Typer) -> None:
    """Add the screening commands to the ``hylyte`` app."""
    app.command("sweep")(sweep)
    app.add_typer(results_app, name="results")
    app.command("pareto")(pareto)
    app.command("map")(map_command)
    app.command("sensitivity")(sensitivity)
    app.command("optimise")(optimise)
    app.command("surrogate")(surrogate)
