"""``hylyte evaluate`` and ``hylyte compare``: design files in, results and a report out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json


def _progress(quiet: bool):
    """A progress callback writing one line per step to stderr (None when quiet)."""
    if quiet:
        return None

    def report(message: str) -> None:
        typer.echo(message, err=True)

    return report


def evaluate(
    design: Annotated[Path, typer.Argument(help="Design file (.toml).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output folder (default: '<design file stem>-results' in the "
                            "working directory); replaced atomically.")] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the result as JSON on stdout (the folder is written too).")] = False,
    method: Annotated[str | None, typer.Option(
        "--method", help="Override the design's method: analytic, voxel or both.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Evaluate one design; write results.json, report.html and figures into a folder."""
    with cli_errors():
        from hylyte.design import evaluate as run_evaluate
        from hylyte.design import load_design
        from hylyte.errors import InputError
        from hylyte.report.html import write_report

        if method is not None and method not in ("analytic", "voxel", "both"):
            raise InputError(f"--method: got {method!r}; allowed: analytic, voxel, both")
        d = load_design(design)
        result = run_evaluate(d, method=method, progress=_progress(quiet))
        folder = out if out is not None else Path(f"{design.stem}-results")
        write_report([result], folder)
    if json_out:
        echo_json(result.to_dict())
    else:
        typer.echo(str(folder))


def compare(
    designs: Annotated[list[Path], typer.Argument(help="Two or more design files (.toml).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "comparison-results"),
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the results as a JSON list on stdout.")] = False,
    method: Annotated[str | None, typer.Option(
        "--method", help="Override every design's method: analytic, voxel or both.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Evaluate several designs; write a side-by-side table and an overlaid Arrhenius plot."""
    with cli_errors():
        from hylyte.design import evaluate as run_evaluate
        from hylyte.design import load_design
        from hylyte.errors import InputError
        from hylyte.report.html import write_report

        if len(designs) < 2:
            raise InputError(f"compare needs at least two design files, got {len(designs)}")
        if method is not None and method not in ("analytic", "voxel", "both"):
            raise InputError(f"--method: got {method!r}; allowed: analytic, voxel, both")
        loaded = [load_design(p) for p in designs]  # validate all before computing any
        progress = _progress(quiet)
        results = []
        for p, d in zip(designs, loaded, strict=True):
            if progress is not None:
                progress(f"evaluating {p}")
            results.append(run_evaluate(d, method=method, progress=progress))
        write_report(results, out)
    if json_out:
        echo_json([r.to_dict() for r in results])
    else:
        typer.echo(str(out))


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` and ``compare`` to the ``hylyte`` app."""
    app.command("evaluate")(evaluate)
    app.command("compare")(compare)
