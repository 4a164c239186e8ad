"""Tutorial 01: PEO-LiTFSI + LLZTO particles, conductivity and Li+ pathways vs loading.

Shows sigma_eff(phi) at 25 and 60 degC between the Hashin-Shtrikman bounds, the share of the
current carried by the polymer, the interphase and the ceramic (three-pathway model,
PHYSICS 3.9), and how an interface resistance R_int and the particle size change the result.

Run: ``python docs/tutorials/01_composite_loading.py [--out DIR] [--fast] [--summary FILE]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, print_table, save_figure, save_summary

from hylyte import physics, units
from hylyte.materials import get_material


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    n = 25 if args.fast else 121
    S_cm = units.convert(1.0, "conductivity", "S/cm")  # S/m -> S/cm factor
    um = units.convert(1.0, "length", "um")  # m -> um
    ohm_cm2 = units.convert(1.0, "asr", "ohm*cm^2")  # ohm m^2 -> ohm cm^2
    peo, llzto = get_material("PEO-LiTFSI"), get_material("LLZTO")
    radius = units.parse("200 nm", "length")  # 400 nm diameter particles
    t_i = units.parse("3 nm", "length")  # interphase shell (PHYSICS 10)
    ratio = 10.0  # sigma_i / sigma_p, a hypothesis parameter
    phi = np.linspace(0.0, 0.6, n)
    temps = {"25 degC": units.parse("25 degC", "temperature"),
             "60 degC": units.parse("60 degC", "temperature")}

    # ---- figure 1: sigma_eff(phi) with HS bounds at two temperatures
    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    summary: dict = {"radius_m": radius, "t_i_m": t_i, "interphase_ratio": ratio}
    rows = []
    for (label, T), colour in zip(temps.items(), ("C0", "C3"), strict=True):
        sp, sc = float(peo.sigma(T)), float(llzto.sigma(T))
        lo, hi = physics.hs_bounds_two_phase(sp, sc, phi)
        plain = physics.three_pathway(sp, sc, phi, radius=radius)
        shell = physics.three_pathway(sp, sc, phi, radius=radius, t_i=t_i,
                                      interphase_ratio=ratio)
        ax.fill_between(phi, lo * S_cm, hi * S_cm, color=colour, alpha=0.12,
                        label=f"HS bounds, {label}")
        ax.plot(phi, plain.sigma_eff * S_cm, color=colour, label=f"Bruggeman, {label}")
        ax.plot(phi, shell.sigma_eff * S_cm, color=colour, ls="--",
                label=f"+ 3 nm interphase, {label}")
        key = label.split()[0]
        summary[f"sigma_polymer_S_per_m_{key}C"] = sp
        summary[f"sigma_ceramic_S_per_m_{key}C"] = sc
        for p in (0.1, 0.3, 0.5):
            r0 = physics.three_pathway(sp, sc, p, radius=radius)
            r1 = physics.three_pathway(sp, sc, p, radius=radius, t_i=t_i,
                                       interphase_ratio=ratio)
            lo_p, hi_p = physics.hs_bounds_two_phase(sp, sc, p)
            rows.append([label, p, float(lo_p) * S_cm, float(r0.sigma_eff) * S_cm,
                         float(r1.sigma_eff) * S_cm, float(hi_p) * S_cm,
                         float(r0.f_ceramic)])
            summary[f"bruggeman_{key}C_phi{p}"] = {
                "sigma_eff_S_per_m": float(r0.sigma_eff), "f_ceramic": float(r0.f_ceramic),
                "f_polymer": float(r0.f_polymer)}
    ax.set_yscale("log")
    ax.set_xlabel("LLZTO volume fraction $\\phi_c$")
    ax.set_ylabel("$\\sigma_{eff}$ (S cm$^{-1}$)")
    ax.set_title("PEO-LiTFSI + LLZTO (400 nm spheres)")
    ax.legend(fontsize=7, ncol=2)
    save_figure(fig, args.out, "01_sigma_vs_loading.png")

    # ---- figure 2: current fractions vs loading at 25 degC, with and without R_int
    T = temps["25 degC"]
    sp, sc = float(peo.sigma(T)), float(llzto.sigma(T))
    R_int = units.parse("10 ohm*cm^2", "asr")
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), sharey=True)
    for ax, R, title in ((axes[0], 0.0, "$R_{int}$ = 0"),
                         (axes[1], R_int, "$R_{int}$ = 10 $\\Omega$ cm$^2$")):
        res = physics.three_pathway(sp, sc, phi, radius=radius, t_i=t_i,
                                    interphase_ratio=ratio, R_int=R)
        ax.stackplot(phi, res.f_polymer, res.f_interphase, res.f_ceramic,
                     labels=("polymer", "interphase", "ceramic"),
                     colors=("#8ecae6", "#ffb703", "#d62828"), alpha=0.85)
        ax.plot(phi, np.minimum(3 * phi, 1), "k:", lw=1, label="$3\\phi_c$")
        ax.set_xlabel("LLZTO volume fraction $\\phi_c$")
        ax.set_title(f"25 degC, {title}")
        ax.set_xlim(0, phi[-1])
        ax.set_ylim(0, 1)
        summary[f"f_ceramic_phi0.3_Rint{R:g}"] = float(
            physics.three_pathway(sp, sc, 0.3, radius=radius, t_i=t_i,
                                  interphase_ratio=ratio, R_int=R).f_ceramic)
    axes[0].set_ylabel("fraction of the ionic current")
    axes[0].legend(loc="upper left", fontsize=8)
    save_figure(fig, args.out, "01_current_fractions.png")

    # ---- figure 3: interface resistance and particle size (with an interphase)
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8))
    R_grid = np.logspace(-8, -1, n)  # ohm m^2
    for d_txt in ("100 nm", "1 um", "10 um"):
        a = units.parse(d_txt, "length") / 2
        s = physics.hasselman_johnson(sp, sc, 0.3, radius=a, R_int=R_grid)
        axes[0].semilogx(R_grid * ohm_cm2, s / sp, label=f"d = {d_txt}")
    axes[0].axhline(1.0, color="k", lw=0.8, ls=":")
    axes[0].set_xlabel("$R_{int}$ ($\\Omega$ cm$^2$)")
    axes[0].set_ylabel("$\\sigma_{eff}/\\sigma_p$ at $\\phi_c$ = 0.3, 25 degC")
    axes[0].set_title("Hasselman-Johnson: interfaces can make fillers blocking")
    axes[0].legend(fontsize=8)
    r_grid = np.logspace(np.log10(5e-9), np.log10(5e-6), n)
    for R, ls in ((0.0, "-"), (R_int, "--")):
        for rat, colour in ((1.0, "C0"), (10.0, "C1"), (100.0, "C2")):
            res = physics.three_pathway(sp, sc, 0.3, radius=r_grid, t_i=t_i,
                                        interphase_ratio=rat, R_int=R)
            lab = f"$\\sigma_i/\\sigma_p$ = {rat:g}" + ("" if R == 0 else ", with $R_{int}$")
            axes[1].loglog(2 * r_grid * um, res.sigma_eff / sp, color=colour, ls=ls,
                             label=lab)
    axes[1].axhline(1.0, color="k", lw=0.8, ls=":")
    axes[1].set_xlabel("particle diameter ($\\mu$m)")
    axes[1].set_ylabel("$\\sigma_{eff}/\\sigma_p$ at $\\phi_c$ = 0.3, 25 degC")
    axes[1].set_title("size effect with a 3 nm interphase")
    axes[1].legend(fontsize=7)
    save_figure(fig, args.out, "01_interface_and_size.png")
    a_c = float(physics.critical_radius(sp, sc, R_int))
    summary["critical_radius_m_Rint10"] = a_c

    print_table(["T", "phi_c", "HS- S/cm", "Brugg S/cm", "+interph S/cm", "HS+ S/cm",
                 "f_ceramic"], rows)
    print(f"critical radius at R_int = 10 ohm cm^2, 25 degC: {a_c * um:.3g} um "
          "(smaller particles lower sigma_eff)")
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
