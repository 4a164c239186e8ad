"""``hylyte audit``: check reported results against physics (bounds and component ranges)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json

_HELP = """Audit reported results against physics.

Give a design file with a [reported] table (conductivity at temperatures, t_plus, window_V,
asr, thickness, citation), or --records with a CSV of many reported values (one row per
value: a 'design' path column or inline matrix, filler, fraction, shape, size columns; then
T, quantity (conductivity | t_plus | asr | window), value, unit, citation).

Each value gets a verdict: consistent (inside what the described structure allows with bulk
properties over the library's ranges), requires a mechanism (with the size of the implied
interphase, matrix change, alignment or interface ASR), implausible (breaks a rigorous
bound even with every mechanism at its plausible maximum: the composite mechanism ceiling
with an amorphous polymer and an interphase up to --interphase-sigma-max over
--interphase-thickness-max, the stack series limit, the stack t+ bound, or more than
--window-margin-V above a polymer's practical oxidation limit; with the factor), not
assessed, or error (a malformed record; the others go on).
"""


def audit(
    design: Annotated[Path | None, typer.Argument(
        help="Design file (.toml) with a [reported] table.")] = None,
    records: Annotated[Path | None, typer.Option(
        "--records", help="Record table (CSV): one reported value per row.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Output folder: audit.csv, audit.parquet (with pyarrow), "
                            "audit.json, summary.json, audit.html.")] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the verdicts and the summary as JSON on stdout.")] = False,
    undocumented_factor: Annotated[float, typer.Option(
        "--undocumented-factor", min=1.0,
        help="Spread (x/÷) assumed for a component property without a documented range, "
             "and widening of basis-only (indicative) library values used as hard limits.")
    ] = 3.0,
    interphase_sigma_max: Annotated[str, typer.Option(
        "--interphase-sigma-max",
        help="Ceiling of an unstated interphase's conductivity (with unit).")] = "1e-2 S/cm",
    interphase_thickness_max: Annotated[str, typer.Option(
        "--interphase-thickness-max",
        help="Ceiling of an unstated interphase's thickness (with unit).")] = "10 nm",
    window_margin: Annotated[float, typer.Option(
        "--window-margin-V", min=0.0,
        help="Volts above a polymer's practical (LSV) oxidation limit before a window is "
             "implausible.")] = 1.0,
) -> None:
    """Audit reported results against physics (see --help for the record format)."""
    with cli_errors():
        from hylyte import units
        from hylyte.audit.audit import (
            MechanismCeilings,
            audit_design_file,
            audit_table,
            format_table,
            write_outputs,
        )
        from hylyte.audit.verdicts import summary
        from hylyte.errors import InputError

        if (design is None) == (records is None):
            raise InputError("give exactly one of DESIGN (a design file with a [reported] "
                             "table) or --records TABLE.csv")
        ceil = MechanismCeilings(
            interphase_sigma_S_per_m=units.parse(interphase_sigma_max, "conductivity",
                                                 field="--interphase-sigma-max"),
            interphase_thickness_m=units.parse(interphase_thickness_max, "length",
                                               field="--interphase-thickness-max"),
            window_margin_V=window_margin)
        if design is not None:
            verdicts = audit_design_file(design, undocumented_factor=undocumented_factor,
                                         ceilings=ceil)
            title = f"hylyte audit: {design.name}"
        else:
            verdicts = audit_table(records, undocumented_factor=undocumented_factor,
                                   ceilings=ceil)
            title = f"hylyte audit: {records.name}"
        paths = write_outputs(verdicts, out, title=title) if out is not None else {}
    if json_out:
        echo_json({"verdicts": [v.to_dict() for v in verdicts],
                   "summary": summary(verdicts),
                   "files": {k: str(p) for k, p in paths.items()}})
    else:
        typer.echo(format_table(verdicts))
        if paths:
            typer.echo(f"\nwritten: {', '.join(str(p) for p in paths.values())}")


audit.__doc__ = _HELP


def register(app: typer.Typer) -> None:
    """Add ``audit`` to the ``hylyte`` app."""
    app.command("audit", help=_HELP)(audit)
