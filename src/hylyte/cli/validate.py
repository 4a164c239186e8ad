"""``hylyte validate``: the validation gallery (published measurements vs. predictions)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json


def validate(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Output folder for validation.json, validation.csv and "
                            "validation_parity.png.")] = Path("validation-results"),
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the table as JSON on stdout (the folder is written too).")
    ] = False,
    cases: Annotated[Path | None, typer.Option(
        "--cases", help="Another cases.toml (design files in designs/ next to it).")] = None,
) -> None:
    """Compare published measurements with predictions made with default parameters.

    Prints one table (case, citation, quantity, T, measured, predicted, ratio, verdict within
    a factor of 3 or 10) and writes a log-log parity plot and the table (JSON, CSV).
    """
    with cli_errors():
        from hylyte.validation.gallery import (
            format_table,
            load_gallery,
            run_gallery,
            summary,
            write_outputs,
        )

        gallery = load_gallery(cases)
        designs = None if cases is None else Path(cases).parent / "designs"
        results = run_gallery(gallery, designs=designs)
        paths = write_outputs(results, out)
        if json_out:
            echo_json({"summary": summary(results), "cases": [r.to_row() for r in results],
                       "files": {k: str(v) for k, v in paths.items()}})
            return
        typer.echo(format_table(results))
        s = summary(results)
        typer.echo(f"\n{s['cases']} cases ({s['verified']} with verified values): "
                   f"{s['within 3x']} within 3x, {s['within 10x']} within 10x, "
                   f"{s['off > 10x']} off by more than 10x, {s['error']} errors")
        for r in results:
            if r.verdict in ("off > 10x", "error"):
                typer.echo(f"  {r.case.id}: {r.error or r.case.comment}")
        typer.echo(f"wrote {paths['json']}, {paths['csv']}, {paths['plot']}")


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the ``hylyte`` app."""
    app.command("validate")(validate)
