"""Tutorial 04: PEO | LLZTO | PEO sandwich, ASR vs temperature and interlayer thickness.

Area-specific resistance of the stack (PHYSICS 5.1) for several PEO interlayer thicknesses,
the temperature at which the ASR reaches 20 ohm cm^2 (PHYSICS 5.4), the stack transference
number (PHYSICS 4.3) and the limiting current of the binary-salt interlayers (PHYSICS 5.2).

Run: ``python docs/tutorials/04_sandwich_stack.py [--out DIR] [--fast] [--summary FILE]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, print_table, save_figure, save_summary

from hylyte import physics, units
from hylyte.materials import get_material

#: Inputs of the example (placeholders within the ranges of PHYSICS 10, not measurements)
LLZTO_THICKNESS = "100 um"
PEO_THICKNESSES = ("2 um", "5 um", "10 um", "20 um")
INTERFACE_ASR = "10 ohm*cm^2"  # each PEO|LLZTO interface at 60 degC
INTERFACE_EA_EV = 0.6
ASR_TARGET = "20 ohm*cm^2"


def build_stack(peo_thickness: float):
    """Layers and interfaces of the sandwich with PEO interlayers of the given thickness."""
    peo, llzto = get_material("PEO-LiTFSI"), get_material("LLZTO")
    L_c = units.parse(LLZTO_THICKNESS, "length")
    polymer = {"thickness": peo_thickness, "sigma": peo.sigma, "rho_plus": peo.rho_plus,
               "D_salt": peo.D_salt, "c0": peo.c_salt}
    layers = [physics.Layer(name="PEO (Li side)", **polymer),
              physics.Layer(name="LLZTO", thickness=L_c, sigma=llzto.sigma, rho_plus=1.0),
              physics.Layer(name="PEO (cathode side)", **polymer)]
    R = units.parse(INTERFACE_ASR, "asr")
    T_ref = units.parse("60 degC", "temperature")
    interfaces = [physics.Interface(name=f"PEO|LLZTO {k}", asr_ref=R, Ea=INTERFACE_EA_EV,
                                    T_ref=T_ref) for k in (1, 2)]
    return layers, interfaces


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    ohm_cm2 = units.convert(1.0, "asr", "ohm*cm^2")
    T_C = np.linspace(0.0, 100.0, 21 if args.fast else 201)
    T = T_C + units.T_ZERO_C
    target = units.parse(ASR_TARGET, "asr")
    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    rows, summary = [], {"peo_thickness_m": [], "T_star_K": [], "i_lim_A_per_m2": []}
    for Ltxt in PEO_THICKNESSES:
        L_p = units.parse(Ltxt, "length")
        layers, interfaces = build_stack(L_p)
        asr = physics.stack_asr(layers, interfaces, T=T)
        T_star = physics.temperature_for_asr(layers, interfaces, asr_target=target,
                                             T_min=250.0, T_max=450.0)
        i_lim, _ = physics.stack_limiting_current(layers)
        line, = ax.semilogy(T_C, asr.total * ohm_cm2, label=f"PEO {Ltxt} | LLZTO | PEO {Ltxt}")
        if T_star is not None:
            ax.plot(units.to_celsius(T_star), target * ohm_cm2, "o", color=line.get_color())
        at = {c: physics.stack_asr(layers, interfaces, T=c + units.T_ZERO_C) for c in (25, 60)}
        rows.append([Ltxt, float(at[25].total) * ohm_cm2, float(at[60].total) * ohm_cm2,
                     units.to_celsius(T_star) if T_star is not None else "none",
                     units.convert(i_lim, "current_density", "mA/cm^2")])
        summary["peo_thickness_m"].append(L_p)
        summary["T_star_K"].append(T_star)
        summary["i_lim_A_per_m2"].append(i_lim)
    ax.axhline(target * ohm_cm2, color="k", ls=":", lw=1, label=f"target {ASR_TARGET}")
    ax.set_xlabel("temperature (degC)")
    ax.set_ylabel("electrolyte ASR ($\\Omega$ cm$^2$)")
    ax.set_title("PEO | 100 $\\mu$m LLZTO | PEO, with 2 PEO|LLZTO interfaces")
    ax.legend(fontsize=7)
    save_figure(fig, args.out, "04_stack_asr.png")

    # transference number and breakdown for the 5 um interlayers
    L_p = units.parse("5 um", "length")
    layers, interfaces = build_stack(L_p)
    asr = physics.stack_asr(layers, interfaces, T=T)
    sig = [np.asarray(layer.sigma(T), dtype=float) for layer in layers]
    tp = physics.stack_t_plus([layer.thickness for layer in layers], sig,
                              [layer.rho_plus for layer in layers],
                              interface_asr=list(asr.interfaces.values()))
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.9))
    parts = {**asr.layers, **asr.interfaces}
    axes[0].semilogy(T_C, asr.total * ohm_cm2, "k", lw=2, label="total")
    for (name, v), ls in zip(parts.items(), ("-", "-", "--", ":", "-."), strict=True):
        axes[0].semilogy(T_C, np.asarray(v) * ohm_cm2, ls=ls, label=name)
    axes[0].set_xlabel("temperature (degC)")
    axes[0].set_ylabel("ASR contribution ($\\Omega$ cm$^2$)")
    axes[0].set_title("5 $\\mu$m PEO interlayers: where the resistance sits")
    axes[0].legend(fontsize=7, loc="upper right")
    axes[1].plot(T_C, tp.t_plus, label="$t_+^{stack}$ (bulk, $R_\\Omega/R_{ss}$)")
    axes[1].plot(T_C, tp.retention_ratio, "--", label="current retention (with interfaces)")
    axes[1].axhline(layers[0].rho_plus, color="k", ls=":", lw=1, label="$\\rho_+$ of PEO")
    axes[1].set_ylim(0, 1)
    axes[1].set_xlabel("temperature (degC)")
    axes[1].set_ylabel("fraction")
    axes[1].set_title("stack transference number")
    axes[1].legend(fontsize=8)
    save_figure(fig, args.out, "04_stack_tplus.png")

    print(f"LLZTO {LLZTO_THICKNESS}, 2 x PEO|LLZTO interfaces of {INTERFACE_ASR} at 60 degC "
          f"(Ea {INTERFACE_EA_EV} eV)")
    print_table(["PEO each side", "ASR 25C ohm cm2", "ASR 60C ohm cm2",
                 f"T(ASR={ASR_TARGET}) degC", "i_lim mA/cm2"], rows)
    i25, i60 = (int(np.argmin(np.abs(T_C - c))) for c in (25, 60))
    print(f"5 um interlayers: t+ = {tp.t_plus[i25]:.3f} at 25 degC, {tp.t_plus[i60]:.3f} at "
          f"60 degC")
    T_check = units.parse("100 degC", "temperature")
    summary.update({
        "llzto_thickness_m": units.parse(LLZTO_THICKNESS, "length"),
        "interface_asr_ohm_m2_at_60C": units.parse(INTERFACE_ASR, "asr"),
        "interface_Ea_eV": INTERFACE_EA_EV,
        "check_T_K": T_check, "check_peo_thickness_m": L_p,
        "check_asr_ohm_m2": float(physics.stack_asr(layers, interfaces, T=T_check).total),
        "t_plus_25C": float(tp.t_plus[i25]), "t_plus_60C": float(tp.t_plus[i60]),
    })
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
