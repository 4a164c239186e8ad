"""``hylyte fit``: analyse measurements (EIS, Arrhenius/VTF, transference, LSV window, CCD)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hylyte.cli._common import cli_errors, echo_json


def _save_figure(fig: Any, path: Path) -> None:
    from hylyte._atomic import atomic_path

    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=150, bbox_inches="tight", format=path.suffix.lstrip(".") or "png")


def _figure(ncols: int = 1) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.0 * ncols, 4.2))
    axes = fig.subplots(1, ncols)
    return fig, axes


def _q(text: str | None, kind: str, field: str) -> float | None:
    if text is None:
        return None
    from hylyte import units

    return units.parse(text, kind, field=field)  # type: ignore[arg-type]


def _read_spectrum(file: Path, fmt: str) -> Any:
    """Read an impedance file; a file without impedance columns is a DataFormatError."""
    from hylyte.echem import readers
    from hylyte.errors import DataFormatError

    data = readers.read(file, format=fmt)
    if not data.has_impedance:
        raise DataFormatError(f"{file}: no impedance columns found")
    return data


def _eis(file: Path, circuit: str, area: str | None, thickness: str | None, weighting: str,
         n_starts: int, seed: int, fmt: str, json_out: bool, output: Path | None) -> None:
    import numpy as np

    from hylyte.echem.eis import fit_circuit

    data = _read_spectrum(file, fmt)
    fit = fit_circuit(data, circuit, weighting=weighting, n_starts=n_starts,  # type: ignore
                      rng=seed)
    out = fit.to_dict()
    from hylyte.echem.kk import lin_kk

    kk = lin_kk(data, capacitance=not np.isfinite(fit.dc_resistance_ohm))
    out["lin_kk"] = kk.to_dict()
    A = _q(area, "area", "--area")
    L = _q(thickness, "length", "--thickness")
    if A is not None and L is not None and fit.arcs:
        cond = fit.conductivity(thickness_m=L, area_m2=A)
        out["conductivity"] = {**cond, **{k.replace("S_per_m", "S_per_cm"): v / 100.0
                                          for k, v in cond.items()}}
    if output is not None:
        from hylyte.echem import plots

        fig, (a1, a2) = _figure(2)
        plots.nyquist(a1, data, fit)
        plots.bode(a2, None, data, fit)
        _save_figure(fig, output)
    if json_out:
        echo_json(out)
        return
    typer.echo(f"circuit {fit.circuit}  weighting {fit.weighting}  chi2/pt {fit.chi2_per_point:.3g}"
               f"  AIC {fit.aic:.4g}")
    for n, v, s, u in zip(fit.param_names, fit.params, fit.stderr, fit.param_units, strict=True):
        typer.echo(f"  {n:12s} = {v:.6g} +/- {s:.2g} {u}")
    for a in fit.arcs:
        typer.echo(f"  arc {a['label']}: R = {a['R_ohm']:.5g} ohm, C_eff = {a['C_eff_F']:.4g} F,"
                   f" f0 = {a['f0_Hz']:.4g} Hz ({a['capacitance_class']})")
    typer.echo(f"  total resistance {fit.resistance_total_ohm:.6g} ohm")
    typer.echo(f"  lin-KK: M = {kk.M}, max residual {kk.max_abs_residual:.2g} "
               f"({'valid' if kk.valid else 'NOT Kramers-Kronig consistent'})")
    if "conductivity" in out:
        for k, v in out["conductivity"].items():
            if k.endswith("S_per_cm"):
                typer.echo(f"  {k} = {v:.4g}")


def _read_T_sigma(path: Path, t_unit: str | None, s_unit: str | None) -> tuple[Any, Any]:
    import numpy as np

    from hylyte.errors import DataFormatError
    from hylyte.units import T_ZERO_C

    text = path.read_text(encoding="utf-8", errors="replace")
    rows = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip()
            and not ln.lstrip().startswith("#")]
    if len(rows) < 2:
        raise DataFormatError(f"{path}: needs a header and rows of temperature, conductivity")
    sep = "," if "," in rows[0] else ("\t" if "\t" in rows[0] else None)
    header = [h.strip().lower() for h in (rows[0].split(sep) if sep else rows[0].split())]
    try:
        vals = np.array([[float(x) for x in (r.split(sep) if sep else r.split())[:2]]
                         for r in rows[1:]])
    except ValueError as err:
        raise DataFormatError(f"{path}: non-numeric value ({err})") from None
    if vals.ndim != 2 or vals.shape[1] < 2:
        raise DataFormatError(f"{path}: needs two columns (temperature, conductivity)")
    T, s = vals[:, 0], vals[:, 1]
    th, sh = header[0], header[1] if len(header) > 1 else ""
    tu = t_unit or ("degC" if any(k in th for k in ("degc", "_c", "(c)", "°c", "celsius"))
                    else "K")
    su = s_unit or ("S/m" if ("s_per_m" in sh or "s/m" in sh) else "S/cm")
    if tu == "degC":
        T = T + T_ZERO_C
    elif tu != "K":
        raise DataFormatError(f"--temperature-unit must be K or degC, got {tu!r}")
    factor = {"S/cm": 100.0, "S/m": 1.0, "mS/cm": 0.1}.get(su)
    if factor is None:
        raise DataFormatError(f"--sigma-unit must be S/cm, mS/cm or S/m, got {su!r}")
    return T, s * factor


def _temperatures(text: str, unit: str | None, n: int) -> Any:
    """Comma-separated temperatures, each with a unit or all in ``unit`` [K]."""
    import numpy as np

    from hylyte import units
    from hylyte.errors import InputError

    items = [t.strip() for t in text.split(",") if t.strip()]
    if len(items) != n:
        raise InputError(f"--temperatures has {len(items)} values for {n} files; give one "
                         "temperature per file, in the same order")
    out = []
    for t in items:
        if not any(c.isalpha() for c in t):
            if unit is None:
                raise InputError(f"--temperatures value {t!r} has no unit; write e.g. "
                                 f"'{t} degC' or pass --temperature-unit K|degC")
            t = f"{t} {unit}"
        out.append(units.parse(t, "temperature", field="--temperatures"))
    return np.array(out)


def _eis_series(files: list[Path], temperatures: str, t_unit: str | None, circuit: str,
                area: str | None, diameter: str | None, thickness: str, resistance: str,
                weighting: str, seed: int, fmt: str, json_out: bool,
                output: Path | None) -> None:
    import math

    import numpy as np

    from hylyte.echem.eis import fit_series
    from hylyte.echem.series import arrhenius_from_eis
    from hylyte.errors import InputError

    if (area is None) == (diameter is None):
        raise InputError("give the electrode size as exactly one of --area or --diameter")
    A = _q(area, "area", "--area") if area is not None else \
        math.pi * (_q(diameter, "length", "--diameter") / 2) ** 2  # type: ignore[operator]
    L = _q(thickness, "length", "--thickness")
    T = _temperatures(temperatures, t_unit, len(files))
    order = np.argsort(T)
    data = [_read_spectrum(files[i], fmt) for i in order]
    fits = fit_series(data, circuit, weighting=weighting, rng=seed)  # type: ignore[arg-type]
    res = arrhenius_from_eis(fits, T[order], thickness_m=L, area_m2=A,  # type: ignore[arg-type]
                             resistance=resistance)
    out = res.to_dict()
    out["files"] = [str(files[i]) for i in order]
    out["fits"] = [f.to_dict() for f in fits]
    if output is not None:
        from hylyte.echem import plots

        fig, ax = _figure()
        plots.arrhenius(ax, res.T_K, res.sigma_S_per_m, res.fit)
        _save_figure(fig, output)
    if json_out:
        echo_json(out)
        return
    typer.echo(f"circuit {circuit}  weighting {weighting}  resistance {resistance}")
    typer.echo("  T [K]      R [ohm]        +/-        sigma [S/cm]")
    for r in res.rows():
        typer.echo(f"  {r['T_K']:7.2f}  {r['R_ohm']:12.6g}  {r['R_stderr_ohm']:9.2g}  "
                   f"{r['sigma_S_per_m'] / 100.0:12.4g}")
    lo, hi = res.Ea_ci_eV
    typer.echo(f"Ea = {res.Ea_eV:.4f} +/- {res.Ea_stderr_eV:.4f} eV (95 % CI {lo:.4f}..{hi:.4f}; "
               f"error from the {res.uncertainty_from} estimate, Birge ratio "
               f"{res.birge_ratio:.2f})")


def register(app: typer.Typer) -> None:
    """Add the ``fit`` command group."""
    fit_app = typer.Typer(name="fit", help="Analyse measurements: EIS, temperature laws, "
                          "transference, stability window, CCD.", no_args_is_help=True)
    app.add_typer(fit_app, name="fit")

    @fit_app.command("eis")
    def eis_cmd(
        file: str = typer.Argument(..., help="Impedance file (.mpt, .mpr, .DTA, .z, Autolab "
                                    "text, CSV)."),
        circuit: str = typer.Option("R0-p(R1,CPE1)-CPE2", "--circuit", help="Circuit string."),
        area: str | None = typer.Option(None, "--area", help="Electrode area, e.g. '1 cm^2'."),
        thickness: str | None = typer.Option(None, "--thickness", help="e.g. '100 um'."),
        weighting: str = typer.Option("modulus", "--weighting",
                                      help="modulus, proportional or unit."),
        n_starts: int = typer.Option(8, "--n-starts", help="Multistart count."),
        seed: int = typer.Option(0, "--seed", help="Seed of the restarts."),
        fmt: str = typer.Option("auto", "--format", help="Reader: auto, mpt, mpr, dta, z, "
                                "autolab, csv."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        output: str | None = typer.Option(None, "-o", "--output", help="Figure file."),
    ) -> None:
        """Fit an equivalent circuit to an impedance spectrum."""
        with cli_errors():
            _eis(Path(file), circuit, area, thickness, weighting, n_starts, seed, fmt, json_out,
                 None if output is None else Path(output))

    @fit_app.command("eis-series")
    def eis_series_cmd(
        files: Annotated[list[str], typer.Argument(help="Impedance files, one per "
                                                   "temperature.")],
        temperatures: str = typer.Option(..., "--temperatures",
                                         help="One per file, e.g. '140,150,160' with "
                                         "--temperature-unit degC, or '413.15 K,423.15 K'."),
        temperature_unit: str | None = typer.Option(None, "--temperature-unit",
                                                    help="K or degC for bare numbers."),
        circuit: str = typer.Option("p(R1,CPE1)-p(R2,CPE2)-CPE3", "--circuit",
                                    help="Circuit string (default: bulk and grain-boundary "
                                    "arcs and a blocking-electrode spike)."),
        thickness: str = typer.Option(..., "--thickness", help="Sample thickness, e.g. "
                                      "'2.1 mm'."),
        area: str | None = typer.Option(None, "--area", help="Electrode area, e.g. '0.5 cm^2'."),
        diameter: str | None = typer.Option(None, "--diameter", help="Or the pellet diameter."),
        resistance: str = typer.Option("total", "--resistance",
                                       help="total (robust), bulk, grain_boundary or a "
                                       "parameter such as R1.R."),
        weighting: str = typer.Option("modulus", "--weighting",
                                      help="modulus, proportional or unit."),
        seed: int = typer.Option(0, "--seed", help="Seed of the restarts."),
        fmt: str = typer.Option("auto", "--format", help="Reader: auto, mpt, mpr, dta, z, "
                                "autolab, csv."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        output: str | None = typer.Option(None, "-o", "--output", help="Arrhenius figure."),
    ) -> None:
        """Fit a temperature series of spectra and the activation energy of a resistance."""
        with cli_errors():
            _eis_series([Path(f) for f in files], temperatures, temperature_unit, circuit, area,
                        diameter, thickness, resistance, weighting, seed, fmt, json_out,
                        None if output is None else Path(output))

    @fit_app.command("arrhenius")
    def arrhenius_cmd(
        data: str = typer.Argument(..., help="CSV: temperature, conductivity (header names "
                                    "like T_K or T_degC, sigma_S_per_cm)."),
        model: str = typer.Option("arrhenius", "--model", help="arrhenius, vtf or auto."),
        form: str = typer.Option("sigma", "--form", help="Arrhenius form: sigma or sigmaT."),
        tg: str | None = typer.Option(None, "--tg", help="Glass transition, e.g. '-60 degC'."),
        temperature_unit: str | None = typer.Option(None, "--temperature-unit",
                                                    help="K or degC (default from header)."),
        sigma_unit: str | None = typer.Option(None, "--sigma-unit",
                                              help="S/cm, mS/cm or S/m (default from header)."),
        save_material: str | None = typer.Option(None, "--save-material",
                                                  help="User materials TOML to write."),
        name: str | None = typer.Option(None, "--name", help="Material name for the TOML."),
        base: str | None = typer.Option(None, "--base", help="Library material to inherit."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        output: str | None = typer.Option(None, "-o", "--output", help="Figure file."),
    ) -> None:
        """Fit Arrhenius or VTF to conductivity against temperature (in log space)."""
        with cli_errors():
            from hylyte.echem import temperature_fit as tf
            from hylyte.errors import InputError

            T, s = _read_T_sigma(Path(data), temperature_unit, sigma_unit)
            Tg = _q(tg, "temperature", "--tg")
            out: dict[str, Any] = {}
            if model == "auto":
                cmp = tf.compare_models(T, s, Tg_K=Tg, form=form)  # type: ignore[arg-type]
                fit = cmp[cmp["best"]]
                out["comparison"] = {"aicc": cmp["aicc"], "best": cmp["best"],
                                     "delta_aicc": cmp["delta_aicc"],
                                     "akaike_weights": cmp["akaike_weights"]}
            elif model == "arrhenius":
                fit = tf.fit_arrhenius(T, s, form=form)  # type: ignore[arg-type]
            elif model == "vtf":
                fit = tf.fit_vtf(T, s, Tg_K=Tg)
            else:
                raise InputError(f"--model must be arrhenius, vtf or auto, got {model!r}")
            out["fit"] = fit.to_dict()
            out["law"] = tf.to_law_dict(fit)
            if save_material is not None:
                if not name:
                    raise InputError("--save-material needs --name")
                tf.save_fitted_law(save_material, name, fit, base=base)
                out["saved"] = str(save_material)
            if output is not None:
                from hylyte.echem import plots

                fig, ax = _figure()
                plots.arrhenius(ax, T, s, fit)
                _save_figure(fig, Path(output))
            if json_out:
                echo_json(out)
            else:
                for k, v in out["law"].items():
                    typer.echo(f"{k} = {v}")
                if fit.model == "arrhenius":
                    typer.echo(f"Ea = {fit.Ea_eV:.4f} +/- {fit.Ea_stderr_eV:.4f} eV "
                               f"(95 % CI {fit.Ea_ci_eV[0]:.4f}..{fit.Ea_ci_eV[1]:.4f})")
                else:
                    typer.echo(f"corr(B, T0) = {fit.correlation_B_T0:.3f}")

    @fit_app.command("transference")
    def transference_cmd(
        file: str = typer.Argument(..., help="Chronoamperometry file (time, current)."),
        dv: str = typer.Option("10 mV", "--dv", help="Polarisation step."),
        r0: str = typer.Option(..., "--r0", help="Interfacial resistance before, e.g. '200 ohm'."),
        rss: str = typer.Option(..., "--rss", help="Interfacial resistance at steady state."),
        rb: str | None = typer.Option(None, "--rb", help="Bulk resistance (EIS formula)."),
        i0_method: str = typer.Option("extrapolate", "--i0", help="extrapolate, first or eis."),
        fmt: str = typer.Option("auto", "--format", help="Reader."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Bruce-Vincent-Evans transference number from a polarisation transient."""
        with cli_errors():
            from hylyte.echem import readers
            from hylyte.echem.transference import analyse_transference

            d = readers.read(file, format=fmt)
            res = analyse_transference(
                d, dV_V=_q(dv, "potential", "--dv"), R0_ohm=_q(r0, "resistance", "--r0"),
                Rss_ohm=_q(rss, "resistance", "--rss"), Rb_ohm=_q(rb, "resistance", "--rb"),
                I0_method=i0_method)  # type: ignore[arg-type]
            if json_out:
                echo_json(res.to_dict())
            else:
                typer.echo(f"t+ (corrected) = {res.t_plus:.4f} +/- {res.t_plus_stderr:.4f}")
                if res.t_plus_eis is not None:
                    typer.echo(f"t+ (EIS I0)    = {res.t_plus_eis:.4f}")
                typer.echo(f"I_ss/I0        = {res.ratio_uncorrected:.4f} (uncorrected); "
                           f"plateau stationary: {res.Iss.stationary}")

    @fit_app.command("window")
    def window_cmd(
        file: str = typer.Argument(..., help="LSV file (voltage, current)."),
        area: str = typer.Option("1 cm^2", "--area", help="Electrode area."),
        threshold: str = typer.Option("10 uA/cm^2", "--threshold", help="Onset threshold."),
        baseline: str = typer.Option("none", "--baseline", help="none, constant or linear."),
        scan_rate: str | None = typer.Option(None, "--scan-rate", help="e.g. '0.1 mV/s'."),
        fmt: str = typer.Option("auto", "--format", help="Reader."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        output: str | None = typer.Option(None, "-o", "--output", help="Figure file."),
    ) -> None:
        """Reduction and oxidation onsets (threshold and tangent) of an LSV scan."""
        with cli_errors():
            from hylyte.echem import readers
            from hylyte.echem.lsv import stability_window
            from hylyte.errors import DataFormatError

            d = readers.read(file, format=fmt)
            if d.voltage_V is None or d.current_A is None:
                raise DataFormatError(f"{file}: needs voltage and current columns")
            A = _q(area, "area", "--area")
            res = stability_window(d.voltage_V, d.current_A, area_m2=A,
                                   j_threshold_A_per_m2=_q(threshold, "current_density",
                                                           "--threshold"),
                                   baseline=baseline,  # type: ignore[arg-type]
                                   scan_rate_V_per_s=_q(scan_rate, "scan_rate", "--scan-rate"))
            if output is not None:
                from hylyte.echem import plots

                fig, ax = _figure()
                plots.lsv(ax, d.voltage_V, d.current_A / A, res)
                _save_figure(fig, Path(output))
            if json_out:
                echo_json({k: v.to_dict() for k, v in res.items()})
            else:
                for k, v in res.items():
                    typer.echo(f"{k}: threshold {v.V_threshold_V} V, tangent {v.V_tangent_V} V "
                               f"(window {v.tangent_window_V})")

    @fit_app.command("ccd")
    def ccd_cmd(
        file: str = typer.Argument(..., help="Cycling file (time, voltage, current)."),
        area: str = typer.Option("1 cm^2", "--area", help="Electrode area."),
        drop: float = typer.Option(0.5, "--drop", help="Relative voltage drop of a short."),
        v_max: float = typer.Option(5.0, "--v-max", help="Divergence limit [V]."),
        fmt: str = typer.Option("auto", "--format", help="Reader."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
        output: str | None = typer.Option(None, "-o", "--output", help="Figure file."),
    ) -> None:
        """Critical current density of a stepped-current symmetric cell."""
        with cli_errors():
            from hylyte.echem import readers
            from hylyte.echem.ccd import critical_current_density

            d = readers.read(file, format=fmt)
            res = critical_current_density(d, area_m2=_q(area, "area", "--area"),
                                           drop_fraction=drop, V_max=v_max)
            if output is not None:
                from hylyte.echem import plots

                fig, ax = _figure()
                plots.ccd(ax, d.time_s, d.voltage_V, res)
                _save_figure(fig, Path(output))
            if json_out:
                echo_json(res.to_dict())
            else:
                ccd = res.ccd_A_per_m2
                fail = res.failed_at_A_per_m2
                typer.echo(f"CCD = {ccd / 10 if ccd else None} mA/cm^2; first failed step "
                           f"{fail / 10 if fail else None} mA/cm^2 ({res.failure_mode})")
