"""``hylyte demo``: evaluate the bundled example designs and write one report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "hylyte-demo"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
) -> None:
    """Evaluate the bundled example designs (one with a small voxel solve); write a report."""
    with cli_errors():
        from hylyte.design.examples import run_demo
        from hylyte.report.html import write_report

        def progress(message: str) -> None:
            if not quiet:
                typer.echo(message, err=True)

        results = run_demo(progress=progress)
        write_report(results, out, title="hylyte demo: example designs")
    if not quiet:
        from hylyte.cli.evaluate import summary_table

        typer.echo(summary_table(results), err=True)
        typer.echo(f"report: {out / 'report.html'}  results: {out / 'results.json'}", err=True)
    typer.echo(str(out))


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the ``hylyte`` app."""
    app.command("demo")(demo)
