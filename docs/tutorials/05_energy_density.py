"""Tutorial 05: cell energy density vs electrolyte thickness, and the ohmic drop at 0.5C.

Uses the reference unit cell of PHYSICS 7 (3 mAh/cm^2 cathode at 3.8 V, 200 mAh/g active
material, 75 wt% active, 3.3 g/cm^3; Al 12 um, Cu 8 um; N/P = 2; electrolyte 1.9916 g/cm^3,
50 wt% LLZO in PEO20-LiTFSI) and a composite conductivity of 1e-4 S/cm.

Run: ``python docs/tutorials/05_energy_density.py [--out DIR] [--fast] [--summary FILE]``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, print_table, save_figure, save_summary

from hylyte import physics, units

CELL = {  # PHYSICS 7 reference cell, converted to SI at the edge
    "areal_capacity": units.parse("3 mA*h/cm^2", "areal_capacity"),
    "mean_voltage": 3.8,
    "specific_capacity_am": units.parse("200 mA*h/g", "specific_capacity"),
    "active_fraction": 0.75,
    "cathode_density": units.parse("3.3 g/cm^3", "density"),
    "electrolyte_density": units.parse("1.9916 g/cm^3", "density"),
    "n_to_p": 2.0,
    "cathode_cc_thickness": units.parse("12 um", "length"),
    "cathode_cc_density": units.parse("2.70 g/cm^3", "density"),
    "anode_cc_thickness": units.parse("8 um", "length"),
    "anode_cc_density": units.parse("8.96 g/cm^3", "density"),
}
SIGMA_EFF = units.parse("1e-4 S/cm", "conductivity")


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    L = np.geomspace(5e-6, 500e-6, 41 if args.fast else 301)
    e = physics.cell_energy(electrolyte_thickness=L, **CELL)
    drop = physics.ohmic_drop(0.5, CELL["areal_capacity"], L / SIGMA_EFF,
                              mean_voltage=CELL["mean_voltage"])

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.9))
    fig.subplots_adjust(wspace=0.5)
    to_um, to_mV = units.convert(1.0, "length", "um"), units.convert(1.0, "potential", "mV")
    um = L * to_um
    axes[0].semilogx(um, e.specific_energy_Wh_per_kg, "C0", label="Wh/kg")
    axes[0].set_xlabel("electrolyte thickness ($\\mu$m)")
    axes[0].set_ylabel("specific energy (Wh kg$^{-1}$)", color="C0")
    twin = axes[0].twinx()
    twin.semilogx(um, e.energy_density_Wh_per_L, "C1", label="Wh/L")
    twin.set_ylabel("energy density (Wh L$^{-1}$)", color="C1")
    axes[0].axvline(30, color="k", ls=":", lw=1)
    axes[0].set_title("Li-metal unit cell, 3 mAh cm$^{-2}$, N/P = 2")
    axes[1].loglog(um, drop["drop_V"] * to_mV, "C3")
    axes[1].axhline(0.1 * to_mV, color="k", ls=":", lw=1)
    axes[1].text(6, 115, "100 mV", fontsize=8)
    axes[1].set_xlabel("electrolyte thickness ($\\mu$m)")
    axes[1].set_ylabel("ohmic drop at 0.5C (mV)")
    axes[1].set_title("$\\sigma_{eff}$ = 10$^{-4}$ S cm$^{-1}$")
    save_figure(fig, args.out, "05_energy_density.png")  # bbox tight keeps the twin label

    rows, summary = [], {"thickness_m": [], "Wh_per_kg": [], "Wh_per_L": [], "drop_V": []}
    for Lt in (10e-6, 30e-6, 100e-6, 300e-6):
        ei = physics.cell_energy(electrolyte_thickness=Lt, **CELL)
        di = physics.ohmic_drop(0.5, CELL["areal_capacity"], Lt / SIGMA_EFF,
                                mean_voltage=CELL["mean_voltage"])
        sE, dE = float(ei.specific_energy_Wh_per_kg), float(ei.energy_density_Wh_per_L)
        rows.append([f"{Lt * to_um:g}", sE, dE, float(di["drop_V"]) * to_mV,
                     float(di["efficiency_loss"]) * 100])
        for k, v in zip(summary, (Lt, sE, dE, float(di["drop_V"])), strict=True):
            summary[k].append(v)
    print_table(["L_SE um", "Wh/kg", "Wh/L", "drop 0.5C mV", "loss %"], rows)
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
