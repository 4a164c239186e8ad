"""Tutorial 02: random vs aligned LLZTO nanowires in PEO-LiTFSI.

Analytic Maxwell-Garnett for randomly oriented and aligned spheroids (PHYSICS 3.3) against
the Wiener and Hashin-Shtrikman bounds, then a small voxel check: fibres generated aligned
along x and randomly oriented, solved along and across the wires (PHYSICS 8).

Run: ``python docs/tutorials/02_nanowires.py [--out DIR] [--fast] [--summary FILE]``
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


def voxel_comparison(sp: float, sc: float, phi: float, fast: bool) -> dict:
    """Aligned and random fibre volumes, solved along x and y [S/m]."""
    from hylyte.microstructure.fibres import fibres
    from hylyte.solve import homogenize

    n = 20 if fast else 40
    h = units.parse("0.1 um", "length")
    d, length = 2 * h, n * h / 2  # wires half as long as the box: aspect 5 (fast) or 10
    sigma = {"matrix": sp, "filler": sc}
    out = {"aspect": length / d, "shape": n}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aligned = fibres(diameter=d, length=length, fraction=phi, voxel_size=h,
                         shape=(n, n, n), axis="x", periodic=True, rng=2)
        random = fibres(diameter=d, length=length, fraction=phi, voxel_size=h,
                        shape=(n, n, n), axis=None, periodic=True, rng=3)
        for name, vol, axes in (("aligned", aligned, ("x", "y")), ("random", random, ("x",))):
            out[f"{name}_phi"] = float(np.mean(vol.labels == 1))
            for ax in axes:
                res = homogenize(vol, sigma, axis=ax, tortuosity=False)
                out[f"{name}_{ax}"] = float(res.sigma_eff)
                out[f"{name}_{ax}_f_ceramic"] = float(res.current_fraction["filler"])
    out["warnings"] = sorted({str(w.message) for w in caught})
    return out


def main(argv=None) -> dict:
    args = parse_args(__doc__.splitlines()[0], argv)
    import matplotlib.pyplot as plt

    S_cm = units.convert(1.0, "conductivity", "S/cm")
    T = units.parse("25 degC", "temperature")
    sp, sc = float(get_material("PEO-LiTFSI").sigma(T)), float(get_material("LLZTO").sigma(T))
    aspect = 20.0
    phi = np.linspace(0.0, 0.3, 16 if args.fast else 61)
    rand = physics.mg_random_spheroids(sp, sc, phi, aspect)
    along, across = physics.mg_aligned_spheroids(sp, sc, phi, aspect)
    lo, hi = physics.hs_bounds_two_phase(sp, sc, phi)
    series, parallel = physics.wiener_bounds(
        [np.full_like(phi, sp), np.full_like(phi, sc)], [1 - phi, phi])

    fig, ax = plt.subplots(figsize=(6.2, 4.4))
    ax.fill_between(phi, series * S_cm, parallel * S_cm, color="0.9", label="Wiener bounds")
    ax.fill_between(phi, lo * S_cm, hi * S_cm, color="C0", alpha=0.15, label="HS bounds")
    ax.plot(phi, along * S_cm, "C3", label=f"aligned, along (p = {aspect:g})")
    ax.plot(phi, across * S_cm, "C3--", label="aligned, across")
    ax.plot(phi, rand * S_cm, "C2", label="random orientation")

    vox = voxel_comparison(sp, sc, 0.15, args.fast)
    p_v = vox["aspect"]
    for key, marker, lab in (("aligned_x", "^", "voxel aligned, along"),
                             ("aligned_y", "v", "voxel aligned, across"),
                             ("random_x", "o", "voxel random")):
        colour = "C2" if key.startswith("random") else "C3"
        ax.plot(vox[key.split("_")[0] + "_phi"], vox[key] * S_cm, marker, color=colour,
                mec="k", label=lab)
    ax.set_yscale("log")
    ax.set_xlabel("LLZTO wire volume fraction $\\phi$")
    ax.set_ylabel("$\\sigma_{eff}$ (S cm$^{-1}$), 25 degC")
    ax.set_title("PEO-LiTFSI + LLZTO nanowires")
    ax.legend(fontsize=7)
    save_figure(fig, args.out, "02_nanowires.png")

    rows = []
    for key in ("aligned_x", "aligned_y", "random_x"):
        phi_v = vox[key.split("_")[0] + "_phi"]
        if key == "aligned_x":
            mg = physics.mg_aligned_spheroids(sp, sc, phi_v, p_v)[0]
        elif key == "aligned_y":
            mg = physics.mg_aligned_spheroids(sp, sc, phi_v, p_v)[1]
        else:
            mg = physics.mg_random_spheroids(sp, sc, phi_v, p_v)
        rows.append([key, phi_v, vox[key] * S_cm, float(mg) * S_cm, vox[key] / float(mg)])
    print(f"voxel grid {vox['shape']}^3, wire aspect ratio {p_v:g}, 25 degC")
    print_table(["volume_axis", "phi", "voxel S/cm", "MG S/cm", "voxel/MG"], rows)
    for w in vox["warnings"]:
        print("note:", w)
    i = int(np.argmin(np.abs(phi - 0.1)))
    summary = {
        "sigma_polymer_S_per_m": sp, "sigma_ceramic_S_per_m": sc, "aspect": aspect,
        "phi": float(phi[i]), "mg_along_S_per_m": float(along[i]),
        "mg_across_S_per_m": float(across[i]), "mg_random_S_per_m": float(rand[i]),
        "voxel": vox,
    }
    save_summary(args.summary, summary)
    return summary


if __name__ == "__main__":
    main()
