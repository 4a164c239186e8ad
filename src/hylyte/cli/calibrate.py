"""``hylyte calibrate``: fit design parameters to measured conductivity vs temperature."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json

_HELP = """Fit model parameters of a composite design to measured conductivity vs T.

DATA.csv columns: a temperature (T_degC or T_K), sigma_S_per_cm, optionally sigma_err
(S/cm), and fraction ("10 vol%") or size ("400 nm") for several loadings or particle sizes
fitted at once. The fit is least squares in ln sigma over ln-parameters with bounds; the
output gives values, 95 % intervals and identifiability warnings, and writes the calibrated
design file (-o). Parameters: interphase.conductivity, interphase.thickness,
interphase.sheet_conductance, interphase.ratio, interface.asr, interface.activation_energy,
matrix.A, matrix.B, matrix.T0, matrix.sigma_ref, matrix.Ea, matrix.conductivity_factor,
filler.conductivity_factor (filler ones may be prefixed fillers[i]. for filler i).
"""


def calibrate(
    design: Annotated[Path, typer.Argument(help="Composite design file (.toml).")],
    data: Annotated[Path, typer.Argument(help="Measured conductivity vs T (CSV).")],
    params: Annotated[str, typer.Option(
        "--params", "-p", help="Comma-separated parameter names to fit.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the calibrated design file here (TOML).")] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the fit as JSON on stdout.")] = False,
) -> None:
    """Fit design parameters to measured conductivity vs temperature."""
    with cli_errors():
        from hylyte.audit.records import load_design_with_reported
        from hylyte.echem.calibrate import (
            calibrate as run,
        )
        from hylyte.echem.calibrate import (
            calibration_header,
            read_calibration_csv,
            write_design_toml,
        )

        d, _ = load_design_with_reported(design)
        meas = read_calibration_csv(data)
        result = run(d, meas, [p for p in params.split(",") if p.strip()])
        if out is not None:
            write_design_toml(result.design, out,
                              header=calibration_header(result, str(data)))
    if json_out:
        payload = result.to_dict()
        payload["calibrated_design"] = None if out is None else str(out)
        echo_json(payload)
        return
    typer.echo(f"{'parameter':32s} {'value':>12s} {'95 % interval':>27s}  unit")
    for p in result.parameters:
        d_ = p.to_dict()
        typer.echo(f"{p.name:32s} {d_['value_display']:12.4g} "
                   f"[{d_['ci95_low_display']:11.4g}, {d_['ci95_high_display']:11.4g}]  "
                   f"{p.unit or '-'}")
    typer.echo(f"\n{result.n_points} points, {result.dof} dof, rms ln-residual "
               f"{result.rms_log_residual:.3g}")
    for w in result.warnings:
        typer.echo(f"warning: {w}")
    if out is not None:
        typer.echo(f"calibrated design: {out}")


calibrate.__doc__ = _HELP


def register(app: typer.Typer) -> None:
    """Add ``calibrate`` to the ``hylyte`` app."""
    app.command("calibrate", help=_HELP)(calibrate)
