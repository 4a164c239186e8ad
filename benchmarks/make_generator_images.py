"""Slice images of every generator for docs/microstructures.md.

Usage::

    python benchmarks/make_generator_images.py [--out docs/images/generators] [--n 96]

Each image shows three orthogonal mid-slices (normals x, y, z) of a 96^3 volume made with a
fixed seed; the parameters are printed in the figure title and listed in the docs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SEED = 7
H = 50e-9  # voxel edge [m]


def examples(n: int) -> dict:
    from hylyte.microstructure import (
        add_interphase,
        bicontinuous,
        fibre_network,
        lamellar,
        particle_chains,
        platelets,
        spheres,
        spinodal,
        stack,
        tpms,
    )
    from hylyte.microstructure.fibres import fibres

    g = {"voxel_size": H, "shape": (n, n, n)}
    return {
        "spheres": ("RSA spheres, d = 500 nm, 30 vol%",
                    lambda: spheres(diameter=500e-9, fraction=0.30, rng=SEED, **g)),
        "spheres_agglomerated": (
            "lognormal spheres (sigma 0.4), 6 agglomerates, 15 vol%",
            lambda: spheres(diameter=400e-9, fraction=0.15, size_distribution="lognormal",
                            size_spread=0.4, n_clusters=6, cluster_radius=500e-9, rng=SEED,
                            **g)),
        "spheres_overlapping": ("overlapping spheres (Boolean model), 35 vol%",
                                lambda: spheres(diameter=500e-9, fraction=0.35, overlap=True,
                                                rng=SEED, **g)),
        "particle_chains": ("chains of 10 particles along z, 15 vol%",
                            lambda: particle_chains(diameter=400e-9, fraction=0.15,
                                                    particles_per_chain=10, jitter=30e-9,
                                                    rng=SEED, **g)),
        "fibres_random": ("random nanorods, d 200 nm, L 2 um, 12 vol%",
                          lambda: fibres(diameter=200e-9, length=2e-6, fraction=0.12,
                                         rng=SEED, **g)),
        "fibres_aligned": ("nanowires along z, spread 0.15 rad, 12 vol%",
                           lambda: fibres(diameter=200e-9, length=4e-6, fraction=0.12,
                                          axis="z", spread=0.15, rng=SEED, **g)),
        "platelets": ("platelets d 1.5 um, t 150 nm, normals along z, 12 vol%",
                      lambda: platelets(diameter=1.5e-6, thickness=150e-9, fraction=0.12,
                                        normal_axis="z", spread=0.2, rng=SEED, **g)),
        "fibre_network": ("electrospun mat (normal z), d 200 nm, 15 vol%",
                          lambda: fibre_network(diameter=200e-9, fraction=0.15, mat_axis="z",
                                                rng=SEED, **g)),
        "tpms_gyroid": ("skeletal gyroid, a = 1.6 um, 30 vol%",
                        lambda: tpms(kind="gyroid", cell_size=1.6e-6, fraction=0.3, **g)),
        "tpms_diamond_sheet": ("sheet diamond, a = 2.4 um, 25 vol%",
                               lambda: tpms(kind="diamond", variant="sheet", cell_size=2.4e-6,
                                            fraction=0.25, **g)),
        "tpms_primitive": ("skeletal primitive, a = 1.6 um, 40 vol%",
                           lambda: tpms(kind="primitive", cell_size=1.6e-6, fraction=0.4,
                                        **g)),
        "spinodal": ("spinodal (128 waves), wavelength 1.2 um, 40 vol%",
                     lambda: spinodal(wavelength=1.2e-6, fraction=0.4, rng=SEED, **g)),
        "bicontinuous": ("Gaussian random field, l = 150 nm, 40 vol%",
                         lambda: bicontinuous(correlation_length=150e-9, fraction=0.4,
                                              rng=SEED, **g)),
        "lamellar": ("ice-templated walls, spacing 800 nm, 30 vol%, wavy",
                     lambda: lamellar(spacing=800e-9, fraction=0.3, waviness=200e-9,
                                      rng=SEED, **g)),
        "layers": ("PEO | LLZTO-in-PEO composite | PEO sandwich along z",
                   lambda: stack([{"thickness": n // 6 * H, "phase": "PEO"},
                                  {"thickness": (n - 2 * (n // 6)) * H, "generator": "spheres",
                                   "params": {"diameter": 500e-9, "fraction": 0.3,
                                              "phases": {0: "PEO", 1: "LLZTO"}}},
                                  {"thickness": n // 6 * H, "phase": "PEO"}],
                                 voxel_size=H, cross_section=(n, n), rng=SEED)),
        "interphase": ("spheres with a resolved 100 nm interphase shell",
                       lambda: add_interphase(spheres(diameter=600e-9, fraction=0.2, rng=SEED,
                                                      **g), thickness=100e-9,
                                              around="filler")),
    }


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("docs/images/generators"))
    p.add_argument("--n", type=int, default=96)
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (title, make) in examples(args.n).items():
        vol = make()
        fig, axes = plt.subplots(1, 3, figsize=(9.6, 3.4), constrained_layout=True)
        vol.plot_slices(list(axes), cmap="viridis")
        fr = ", ".join(f"{k} {v:.2f}" for k, v in vol.volume_fractions().items())
        fig.suptitle(f"{name}: {title}\n{fr}", fontsize=9)
        fig.savefig(args.out / f"{name}.png", dpi=80)
        plt.close(fig)
        print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
