"""Tutorial 06: from impedance spectra to an Arrhenius fit to a calibrated design.

Synthetic blocking-electrode spectra (SS | composite | SS) are generated at several
temperatures from a known circuit, ``p(R1,CPE1)-CPE2`` with R1 = L / (sigma A), where
sigma(T) comes from the example design ``peo_llzto_nanoparticles.toml`` with its polymer
conductivity multiplied by a "true" factor of 1.8. Seeded 1 % noise is added. The spectra
are fitted with :func:`hylyte.echem.fit_series` (PHYSICS 9.1), the conductivities are fitted
with Arrhenius laws below and above the PEO melting knee and with Arrhenius vs VTF by AICc
above it (PHYSICS 1.5), and the factor is recovered with
:func:`hylyte.echem.calibrate.calibrate`.

Run: ``python docs/tutorials/06_eis_arrhenius_calibration.py [--out DIR] [--fast] [--summary FILE]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, print_table, save_figure, save_summary

from hylyte import units
from hylyte.design import load_design
from hylyte.echem import calibrate as cal
from hylyte.echem import (
    compare_models,
    conductivity_from_resistance,
    fit_arrhenius,
    fit_series,
    parse_circuit,
)

ROOT = Path(__file__).resolve().parents[2]
DESIGN = ROOT / "examples" / "designs" / "peo_llzto_nanoparticles.toml"
CIRCUIT = "p(R1,CPE1)-CPE2"
TRUE_FACTOR = 1.8  # the "unknown" polymer conductivity factor the calibration recovers
THICKNESS = units.parse("500 um", "length")
AREA = units.parse("0.5 cm^2", "area")
CPE_BULK = (6.3e-8, 0.9)  # Q [S s^n], n of the bulk arc
CPE_SPIKE = (1e-5, 0.8)  # blocking-electrode spike
NOISE = 0.01  # relative, complex Gaussian
T_MELT_C = 60.0  # PEO-LiTFSI knee; the two Arrhenius branches are fitted on either side


def synthetic_spectra(T_K: np.ndarray, sigma_true: np.ndarray, rng: np.random.Generator):
    """Noisy spectra (f [Hz], Z [ohm]) from the known circuit at every temperature."""
    circuit = parse_circuit(CIRCUIT)
    f = np.logspace(-1, np.log10(7e6), 80)
    R1 = THICKNESS / (sigma_true * AREA)
    spectra = []
    for R in R1:
        Z = circuit.impedance(f, [R, *CPE_BULK, *CPE_SPIKE])
        noise = rng.normal(size=f.size) + 1j * rng.normal(size=f.size)
        spectra.append((f, Z * (1 + NOISE * noise / np.sqrt(2))))
    return spectra, R1


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(2026)
    T_C = np.array([25, 40, 55, 70, 85, 100.0]) if args.fast else np.arange(25, 101, 5.0)
    T = T_C + units.T_ZERO_C
    design = load_design(DESIGN)
    truth = cal.set_parameter(cal.ModelState(design), "matrix.conductivity_factor",
                              TRUE_FACTOR)
    sigma_true = np.asarray(cal.forward_sigma(truth, T), dtype=float)

    # 1. impedance spectra -> bulk resistance -> conductivity
    spectra, R_true = synthetic_spectra(T, sigma_true, rng)
    fits = fit_series(spectra, CIRCUIT, n_starts=4 if args.fast else 8, rng=0)
    iR = fits[0].param_names.index("R1.R")
    R_fit = np.array([ft.params[iR] for ft in fits])
    R_err = np.array([ft.stderr[iR] for ft in fits])
    sigma_fit = conductivity_from_resistance(R_fit, thickness_m=THICKNESS, area_m2=AREA)
    rel_err = R_err / R_fit

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for k in (0, len(T) // 2, len(T) - 1):
        (f, Z), ft = spectra[k], fits[k]
        Zf = parse_circuit(CIRCUIT).impedance(f, ft.params)
        norm = 1.0 / R_fit[k]
        line, = axes[0].plot(Z.real * norm, -Z.imag * norm, ".", ms=4,
                             label=f"{T_C[k]:g} degC")
        axes[0].plot(Zf.real * norm, -Zf.imag * norm, "-", color=line.get_color(), lw=1)
        axes[1].loglog(f, np.abs(Z), ".", ms=3, color=line.get_color())
        axes[1].loglog(f, np.abs(Zf), "-", lw=1, color=line.get_color())
    axes[0].set_xlim(0, 2.0)
    axes[0].set_ylim(0, 1.5)
    axes[0].set_aspect("equal")
    axes[0].set_xlabel("$Z'/R_1$")
    axes[0].set_ylabel("$-Z''/R_1$")
    axes[0].set_title("Nyquist (normalised by the fitted $R_1$)")
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("frequency (Hz)")
    axes[1].set_ylabel("|Z| ($\\Omega$)")
    axes[1].set_title(f"data (dots) and fits of {CIRCUIT}")
    save_figure(fig, args.out, "06_eis_fits.png")

    # 2. temperature laws: two Arrhenius branches; Arrhenius vs VTF above the knee
    low, high = T_C < T_MELT_C, T_C > T_MELT_C
    arr_low = fit_arrhenius(T[low], sigma_fit[low], sigma_rel_err=rel_err[low])
    arr_high = fit_arrhenius(T[high], sigma_fit[high], sigma_rel_err=rel_err[high])
    choice = compare_models(T[high], sigma_fit[high], sigma_rel_err=rel_err[high],
                            Tg_K=units.parse("-60 degC", "temperature"))

    # 3. calibration of the design against the fitted conductivities
    data = cal.CalibrationData(T_K=T, sigma_S_per_m=sigma_fit, rel_err=rel_err,
                               group=np.zeros(T.size, dtype=int), source="tutorial 06")
    result = cal.calibrate(design, data, ["matrix.conductivity_factor"])
    par = result.parameters[0]
    T_dense = np.linspace(T[0], T[-1], 200)
    sigma_cal = np.asarray(cal.forward_sigma(result.state, T_dense), dtype=float)
    sigma_design = np.asarray(cal.forward_sigma(cal.ModelState(design), T_dense), dtype=float)

    S_cm = units.convert(1.0, "conductivity", "S/cm")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    x = 1000.0 / T
    ax.errorbar(x, sigma_fit * S_cm, yerr=1.96 * rel_err * sigma_fit * S_cm, fmt="o",
                color="k", ms=4, label="from EIS fits (95 % CI)")
    ax.semilogy(1000.0 / T_dense, sigma_design * S_cm, "C7--", label="design as written")
    ax.semilogy(1000.0 / T_dense, sigma_cal * S_cm, "C3",
                label=f"calibrated: factor {par.value:.3g} "
                      f"[{par.ci95_low:.3g}, {par.ci95_high:.3g}]")
    for fit, mask, colour, name in ((arr_low, low, "C0", "below"),
                                    (arr_high, high, "C2", "above")):
        xt = np.linspace(T[mask][0], T[mask][-1], 50)
        ax.semilogy(1000.0 / xt, fit.predict(xt) * S_cm, color=colour, lw=3, alpha=0.5,
                    label=f"Arrhenius {name} knee: {fit.Ea_eV:.2f} $\\pm$ "
                          f"{fit.Ea_stderr_eV:.2f} eV")
    ax.set_xlabel("1000 / T (K$^{-1}$)")
    ax.set_ylabel("$\\sigma$ (S cm$^{-1}$)")
    ax.set_title("PEO-LiTFSI + 15 vol% LLZTO (synthetic measurement)")
    ax.legend(fontsize=7)
    save_figure(fig, args.out, "06_arrhenius_calibration.png")

    rows = [[f"{c:g}", float(rt), float(rf), float(e) * 100, float(st) * S_cm,
             float(sf) * S_cm]
            for c, rt, rf, e, st, sf in zip(T_C, R_true, R_fit, rel_err, sigma_true,
                                            sigma_fit, strict=True)]
    print_table(["T degC", "R1 true ohm", "R1 fit ohm", "stderr %", "sigma true S/cm",
                 "sigma fit S/cm"], rows)
    print(f"Arrhenius below the knee: Ea = {arr_low.Ea_eV:.3f} +- {arr_low.Ea_stderr_eV:.3f} eV"
          f"; above: Ea = {arr_high.Ea_eV:.3f} +- {arr_high.Ea_stderr_eV:.3f} eV")
    if choice.get("vtf") is None:
        print("above the knee: too few points for VTF (5 needed); Arrhenius only")
    else:
        print(f"above the knee, AICc prefers {choice['best']} "
              f"(delta AICc = {choice['delta_aicc']:.2f})")
    print(f"calibrated matrix.conductivity_factor = {par.value:.4g} "
          f"(95 % CI {par.ci95_low:.4g} - {par.ci95_high:.4g}); true value {TRUE_FACTOR}")
    for w in result.warnings:
        print("note:", w)
    summary = {
        "T_K": T.tolist(), "sigma_true_S_per_m": sigma_true.tolist(),
        "sigma_fit_S_per_m": sigma_fit.tolist(), "R1_true_ohm": R_true.tolist(),
        "R1_fit_ohm": R_fit.tolist(), "R1_rel_stderr": rel_err.tolist(),
        "thickness_m": THICKNESS, "area_m2": AREA,
        "Ea_low_eV": arr_low.Ea_eV, "Ea_low_stderr_eV": arr_low.Ea_stderr_eV,
        "Ea_high_eV": arr_high.Ea_eV, "Ea_high_stderr_eV": arr_high.Ea_stderr_eV,
        "best_model_above_knee": choice["best"],
        "true_factor": TRUE_FACTOR, "calibrated_factor": par.value,
        "calibrated_ci95": [par.ci95_low, par.ci95_high],
    }
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
