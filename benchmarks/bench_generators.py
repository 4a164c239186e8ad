"""Time and peak memory of every microstructure generator at 128^3 and 256^3.

Each case runs in a fresh subprocess. Peak memory is that process's ``ru_maxrss`` minus the
``ru_maxrss`` of a baseline subprocess that does the same imports and the same warm-up (a
16^3 run of the same case, which also loads the compiled numba kernels), divided by the
number of voxels; one byte per voxel (the uint8 labels) is then subtracted, giving
"bytes per voxel beyond the labels". A naive full-grid reference is timed where one exists
(porespy is not installed): the Boolean sphere model by a float64 Euclidean distance
transform of the centre image, TPMS and the spinodal wave sum evaluated on float64
meshgrids, and the interphase shell by one full-volume distance transform.

Usage::

    python benchmarks/bench_generators.py                 # all cases, 128 and 256
    python benchmarks/bench_generators.py --sizes 128 --cases tpms_gyroid spheres_rsa

Cases use fixed seeds. Timings on a shared machine vary by tens of percent.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import resource
import subprocess
import sys
import time

SEED = 20240601
H = 50e-9  # voxel edge [m]


def _cases(n: int) -> dict:
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
        "spheres_rsa_0.30": lambda: spheres(diameter=10 * H, fraction=0.30, rng=SEED, **g),
        "spheres_rsa_0.38_periodic": lambda: spheres(diameter=10 * H, fraction=0.38,
                                                     periodic=True, rng=SEED, **g),
        "spheres_overlap_0.30": lambda: spheres(diameter=10 * H, fraction=0.30, overlap=True,
                                                rng=SEED, **g),
        "spheres_lognormal_clustered": lambda: spheres(
            diameter=8 * H, fraction=0.2, size_distribution="lognormal", size_spread=0.4,
            n_clusters=max(1, (n // 32) ** 3), cluster_radius=12 * H, rng=SEED, **g),
        "particle_chains": lambda: particle_chains(diameter=8 * H, fraction=0.15,
                                                   particles_per_chain=12, rng=SEED, **g),
        "fibres_random": lambda: fibres(diameter=4 * H, length=40 * H, fraction=0.15,
                                        rng=SEED, **g),
        "fibres_aligned_spread": lambda: fibres(diameter=4 * H, length=60 * H, fraction=0.15,
                                                axis="z", spread=0.2, rng=SEED, **g),
        "platelets": lambda: platelets(diameter=30 * H, thickness=3 * H, fraction=0.15,
                                       normal_axis="z", spread=0.3, rng=SEED, **g),
        "fibre_network_mat": lambda: fibre_network(diameter=4 * H, fraction=0.15,
                                                   mat_axis="z", rng=SEED, **g),
        "tpms_gyroid_sheet": lambda: tpms(kind="gyroid", variant="sheet", cell_size=32 * H,
                                          fraction=0.3, **g),
        "tpms_diamond_skeletal": lambda: tpms(kind="diamond", cell_size=32 * H, fraction=0.4,
                                              **g),
        "spinodal_waves": lambda: spinodal(wavelength=24 * H, fraction=0.4, rng=SEED, **g),
        "spinodal_grf": lambda: spinodal(wavelength=24 * H, fraction=0.4, method="grf",
                                         rng=SEED, **g),
        "bicontinuous": lambda: bicontinuous(correlation_length=4 * H, fraction=0.4,
                                             rng=SEED, **g),
        "lamellar": lambda: lamellar(spacing=16 * H, fraction=0.3, waviness=4 * H, rng=SEED,
                                     **g),
        "layers_sandwich": lambda: stack(
            [{"thickness": n // 8 * H, "phase": "matrix"},
             {"thickness": (n - 2 * (n // 8)) * H, "generator": "spheres",
              "params": {"diameter": 10 * H, "fraction": 0.3}},
             {"thickness": n // 8 * H, "phase": "matrix"}],
            voxel_size=H, cross_section=(n, n), rng=SEED),
        "interphase_shell": lambda: add_interphase(
            _SPHERES_FOR_SHELL(n), thickness=2 * H, around="filler"),
        # references (naive full-grid float64 approaches)
        "ref_boolean_spheres_edt": lambda: _ref_boolean_spheres(n, 10.0, 0.30),
        "ref_tpms_meshgrid_f64": lambda: _ref_tpms(n, 32.0, 0.3),
        "ref_spinodal_direct_f64": lambda: _ref_spinodal(n, 24.0, 0.4),
        "ref_shell_full_edt": lambda: _ref_shell(n, 2.0),
    }


_PRE = {}


def _SPHERES_FOR_SHELL(n):
    """The input of the shell cases is built in the warm-up so it counts in the baseline."""
    return _PRE["shell_input"]


def _prepare(case: str, n: int) -> None:
    if case in ("interphase_shell", "ref_shell_full_edt"):
        from hylyte.microstructure import spheres

        _PRE["shell_input"] = spheres(diameter=10 * H, fraction=0.2, voxel_size=H,
                                      shape=(n, n, n), rng=SEED)


def _ref_boolean_spheres(n, d_vox, phi):
    import numpy as np
    from scipy import ndimage

    rng = np.random.default_rng(SEED)
    v = math.pi / 6 * d_vox**3
    count = int(-math.log(1 - phi) * n**3 / v)
    seeds = np.ones((n, n, n), dtype=bool)
    idx = rng.integers(0, n, (count, 3))
    seeds[idx[:, 0], idx[:, 1], idx[:, 2]] = False
    dist = ndimage.distance_transform_edt(seeds)
    return (dist <= d_vox / 2).astype(np.uint8)


def _ref_tpms(n, a, phi):
    import numpy as np

    x = (np.arange(n) + 0.5) * 2 * np.pi / a
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    f = np.abs(np.sin(X) * np.cos(Y) + np.sin(Y) * np.cos(Z) + np.sin(Z) * np.cos(X))
    c = np.quantile(f, phi)
    return (f <= c).astype(np.uint8)


def _ref_spinodal(n, lam, phi):
    import numpy as np

    rng = np.random.default_rng(SEED)
    q = rng.normal(size=(128, 3))
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    k = 2 * np.pi / lam
    x = np.arange(n) + 0.5
    X, Y, Z = np.meshgrid(x, x, x, indexing="ij")
    f = np.zeros((n, n, n))
    for qi, g in zip(q, rng.uniform(0, 2 * np.pi, 128), strict=True):
        f += np.cos(k * (qi[0] * X + qi[1] * Y + qi[2] * Z) + g)
    return (f <= np.quantile(f, phi)).astype(np.uint8)


def _ref_shell(n, t_vox):
    import numpy as np
    from scipy import ndimage

    vol = _PRE["shell_input"]
    dist = ndimage.distance_transform_edt(vol.labels != 1)
    lab = vol.labels.copy()
    lab[(dist <= t_vox + 0.25) & (vol.labels == 0)] = 2
    return np.asarray(lab)


def worker(case: str, n: int, baseline: bool) -> None:
    import warnings

    import numpy as np

    import hylyte.microstructure  # noqa: F401

    warnings.simplefilter("ignore")
    if case == "import":
        print(json.dumps({"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
        return
    # warm-up on 16^3: loads modules and compiled kernels (counted in the baseline too)
    _prepare(case, 16)
    with contextlib.suppress(Exception):  # sizes too large for 16^3: imports still warm
        _cases(16)[case]()
    _prepare(case, n)
    t = 0.0
    if not baseline:
        t0 = time.perf_counter()
        out = _cases(n)[case]()
        t = time.perf_counter() - t0
        lab = out.labels if hasattr(out, "labels") else out
        frac = float(np.count_nonzero(lab) / lab.size)
    else:
        frac = float("nan")
    print(json.dumps({"rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "time_s": t, "fraction_nonzero": frac}))


def run(case: str, n: int, baseline: bool = False, timeout: float = 600) -> dict:
    cmd = [sys.executable, __file__, "--worker", case, str(n)]
    if baseline:
        cmd.append("--baseline")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1] if res.stderr else "failed"}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[128, 256])
    p.add_argument("--cases", nargs="+", default=None)
    p.add_argument("--worker", nargs=2, default=None)
    p.add_argument("--baseline", action="store_true")
    p.add_argument("--no-ref-256", action="store_true",
                   help="skip the slow float64 references at 256^3")
    args = p.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.baseline)
        return
    cases = args.cases or list(_cases(16))
    t0 = time.perf_counter()
    imp = run("import", 16)
    t_imp = time.perf_counter() - t0
    print(f"# import hylyte.microstructure in a fresh process: {t_imp:.2f} s wall, "
          f"ru_maxrss {imp.get('rss_kb', 0) / 1024:.0f} MiB")
    print(f"{'case':32s} {'n':>4s} {'time_s':>8s} {'B/voxel':>8s} {'phi':>6s}")
    for n in args.sizes:
        for case in cases:
            if case.startswith("ref_") and n > 128 and args.no_ref_256:
                continue
            base = run(case, n, baseline=True)
            r = run(case, n)
            if "error" in r or "error" in base:
                print(f"{case:32s} {n:4d} error: {r.get('error') or base.get('error')}")
                continue
            extra = (r["rss_kb"] - base["rss_kb"]) * 1024 / n**3 - 1.0
            print(f"{case:32s} {n:4d} {r['time_s']:8.2f} {max(extra, 0.0):8.1f} "
                  f"{r['fraction_nonzero']:6.3f}", flush=True)


if __name__ == "__main__":
    main()
