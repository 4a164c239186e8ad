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


_COLUMNS = (
    ("T_degC", "T [degC]", "{:.0f}"),
    ("conductivity_S_per_cm", "sigma [S/cm]", "{:.3g}"),
    ("voxel_conductivity_S_per_cm", "voxel sigma [S/cm]", "{:.3g}"),
    ("asr_ohm_cm2", "ASR [ohm cm2]", "{:.3g}"),
    ("voxel_asr_ohm_cm2", "voxel ASR [ohm cm2]", "{:.3g}"),
    ("t_plus", "t+", "{:.3f}"),
    ("fraction_ceramic", "f ceramic", "{:.2f}"),
    ("fraction_interphase", "f interphase", "{:.2f}"),
    ("limiting_current_mA_per_cm2", "i_lim [mA/cm2]", "{:.3g}"),
)


def summary_table(results: list) -> str:
    """A plain-text table of the key numbers per design and temperature (for stderr)."""
    rows = [(r.name, row) for r in results for row in r.to_rows()]
    cols = [c for c in _COLUMNS
            if any(row.get(c[0]) is not None for _, row in rows)]
    header = ["design", *(c[1] for c in cols)]
    lines = [header]
    for name, row in rows:
        cells = [str(name)[:40]]
        for key, _, fmt in cols:
            v = row.get(key)
            cells.append("-" if v is None else fmt.format(v))
        lines.append(cells)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
                     for line in lines)


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
    """Evaluate one design; write results.json, report.html and figures into a folder.

    The key numbers are printed as a table on stderr; stdout carries the folder (or JSON).
    """
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
    if not quiet:
        typer.echo(summary_table([result]), err=True)
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
    """Evaluate several designs; write a side-by-side table and an overlaid Arrhenius plot.

    The side-by-side table is printed on stderr and included in the report; stdout carries
    the folder (or JSON).
    """
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
    if not quiet:
        typer.echo(summary_table(results), err=True)
    if json_out:
        echo_json([r.to_dict() for r in results])
    else:
        typer.echo(str(out))


def register(app: typer.Typer) -> None:
    """Add ``evaluate`` and ``compare`` to the ``hylyte`` app."""
    app.command("evaluate")(evaluate)
    app.command("compare")(compare)
