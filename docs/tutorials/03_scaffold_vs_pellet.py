"""Tutorial 03: a 3D-printed gyroid LLZTO scaffold back-filled with PEO vs a particle pellet.

Generates a skeletal gyroid (TPMS, PHYSICS 3.5) and a random packing of spheres at the same
LLZTO volume fraction, solves both with the finite-volume solver (PHYSICS 8) and compares
them with the Hashin-Shtrikman bounds and the Bruggeman estimate.

Run: ``python docs/tutorials/03_scaffold_vs_pellet.py [--out DIR] [--fast] [--summary FILE]``
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, print_table, save_figure, save_summary

from hylyte import physics, units
from hylyte.materials import get_material
from hylyte.microstructure import spheres, tpms
from hylyte.solve import homogenize


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    S_cm = units.convert(1.0, "conductivity", "S/cm")
    um = units.convert(1.0, "length", "um")
    T = units.parse("25 degC", "temperature")
    sp, sc = float(get_material("PEO-LiTFSI").sigma(T)), float(get_material("LLZTO").sigma(T))
    n = 20 if args.fast else 48
    h = units.parse("0.5 um", "length")
    cell = n * h / 2  # two gyroid unit cells across the box
    diameter = 6 * h  # particles of the pellet
    fractions = [0.3] if args.fast else [0.1, 0.2, 0.3, 0.35]

    rows, gyro, pell, notes = [], [], [], set()
    shown = min(fractions, key=lambda f: abs(f - 0.3))  # the scaffold drawn as a slice
    scaffold = None
    for i, phi in enumerate(fractions):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = tpms(kind="gyroid", variant="skeletal", cell_size=cell, voxel_size=h,
                     shape=(n, n, n), fraction=phi)
            p = spheres(diameter=diameter, fraction=phi, voxel_size=h, shape=(n, n, n),
                        overlap=True, rng=10 + i)
            rg = homogenize(g, {0: sp, 1: sc}, axis="x", tortuosity=False)
            rp = homogenize(p, {0: sp, 1: sc}, axis="x", tortuosity=False)
        notes |= {str(w.message) for w in caught}
        scaffold = g if phi == shown else scaffold
        phi_g, phi_p = float(np.mean(g.labels == 1)), float(np.mean(p.labels == 1))
        lo, hi = physics.hs_bounds_two_phase(sp, sc, phi_g)
        brug = float(physics.bruggeman([sp, sc], [1 - phi_g, phi_g]))
        gyro.append((phi_g, rg.sigma_eff, float(rg.current_fraction["framework"])))
        pell.append((phi_p, rp.sigma_eff, float(rp.current_fraction["filler"])))
        rows.append([phi, phi_g, rg.sigma_eff * S_cm, phi_p, rp.sigma_eff * S_cm,
                     brug * S_cm, float(lo) * S_cm, float(hi) * S_cm,
                     rg.sigma_eff / rp.sigma_eff])

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2),
                             gridspec_kw={"width_ratios": [1.3, 1]})
    ax = axes[0]
    grid = np.linspace(0.0, max(fractions) + 0.05, 100)
    lo, hi = physics.hs_bounds_two_phase(sp, sc, grid)
    ax.fill_between(grid, lo * S_cm, hi * S_cm, color="C0", alpha=0.15, label="HS bounds")
    ax.plot(grid, physics.bruggeman([np.full_like(grid, sp), np.full_like(grid, sc)],
                                    [1 - grid, grid]) * S_cm, "k:", label="Bruggeman")
    ax.plot(*np.array(gyro)[:, :2].T * [[1], [S_cm]], "s-", color="C3",
            label="gyroid scaffold + PEO (voxel)")
    ax.plot(*np.array(pell)[:, :2].T * [[1], [S_cm]], "o-", color="C2",
            label="particle pellet (voxel)")
    ax.set_yscale("log")
    ax.set_xlabel("LLZTO volume fraction")
    ax.set_ylabel("$\\sigma_{eff}$ along x (S cm$^{-1}$), 25 degC")
    ax.legend(fontsize=8)
    ax.set_title("scaffold vs pellet at equal LLZTO content")
    axes[1].imshow(scaffold.labels[:, :, 0].T, origin="lower", cmap="Greys",
                   extent=(0, n * h * um, 0, n * h * um))
    axes[1].set_xlabel("x ($\\mu$m)")
    axes[1].set_ylabel("y ($\\mu$m)")
    axes[1].set_title(f"gyroid, slice z = 0, $\\phi$ = {shown:g} (black: LLZTO)")
    save_figure(fig, args.out, "03_scaffold_vs_pellet.png")

    print(f"grid {n}^3, voxel 0.5 um, gyroid cell {cell * um:g} um, particles "
          f"{diameter * um:g} um, 25 degC")
    print_table(["phi target", "phi gyr", "gyroid S/cm", "phi pel", "pellet S/cm",
                 "Brugg S/cm", "HS- S/cm", "HS+ S/cm", "gyr/pel"], rows)
    for note in sorted(notes):
        print("note:", note)
    summary = {"sigma_polymer_S_per_m": sp, "sigma_ceramic_S_per_m": sc,
               "gyroid": [list(map(float, r)) for r in gyro],
               "pellet": [list(map(float, r)) for r in pell],
               "columns": ["phi_voxel", "sigma_eff_S_per_m", "f_ceramic"]}
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
