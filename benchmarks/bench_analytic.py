"""Throughput of the analytic physics layer on numpy grids.

Run with ``python benchmarks/bench_analytic.py`` (add ``--quick`` for smaller grids). Prints a
table: model, number of designs (composite evaluations), best-of-3 wall time, designs per
second, and the peak memory traced by tracemalloc (numpy buffers included) for one call.
The vectorised Bruggeman solver is compared in the same run with a scalar
``scipy.optimize.brentq`` loop on the same equation, and the results are checked to agree.
Single process, single thread of numpy work; on a shared machine the numbers are indicative.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from scipy.optimize import brentq

from hylyte.physics import emt
from hylyte.physics.pathways import three_pathway
from hylyte.physics.stack import Interface, Layer, stack_asr
from hylyte.units import K_B_EV


def grid(n_phi: int, n_r: int, n_T: int) -> dict[str, np.ndarray]:
    """Loading x particle radius x temperature grid (broadcast shapes)."""
    phi = np.linspace(0.0, 0.6, n_phi)[:, None, None]
    r = np.logspace(-8, -5, n_r)[None, :, None]
    T = np.linspace(263.15, 373.15, n_T)[None, None, :]
    sigma_p = 40.0 * np.exp(-1100.0 / (T - 180.0))  # VTF polymer [S/m]
    sigma_c = 0.05 * np.exp(-0.35 / K_B_EV * (1 / T - 1 / 298.15))  # Arrhenius ceramic
    return {"phi": phi, "r": r, "T": T, "sigma_p": sigma_p, "sigma_c": sigma_c}


def measure(fn, repeats: int = 3) -> tuple[float, int]:
    fn()  # warm-up
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller grids")
    args = ap.parse_args()
    n = (20, 20, 25) if args.quick else (40, 50, 50)
    g = grid(*n)
    shape = np.broadcast_shapes(g["phi"].shape, g["r"].shape, g["T"].shape)
    N = int(np.prod(shape))
    ones = np.ones(shape)
    sp, sc, phi, r = g["sigma_p"] * ones, g["sigma_c"] * ones, g["phi"] * ones, g["r"] * ones
    sc_eq = sc / (1 + 1e-3 * sc / r)  # ceramic with R_int = 10 ohm cm2

    rows = []

    def add(name, fn, n_designs):
        t, peak = measure(fn)
        rows.append((name, n_designs, t, n_designs / t, peak / 2**20))

    add("maxwell_garnett (2-phase)", lambda: emt.maxwell_garnett(sp, sc_eq, phi), N)
    add("bruggeman 2-phase (closed form)", lambda: emt.bruggeman([sp, sc_eq], [1 - phi, phi]), N)
    f_i = 0.1 * phi
    add("bruggeman 3-phase (vectorised Newton)",
        lambda: emt.bruggeman([sp, 10 * sp, sc_eq], [1 - phi - f_i, f_i, phi]), N)
    add("composite_conductivity (MG + flags)",
        lambda: emt.composite_conductivity(sp, sc_eq, phi, model="maxwell_garnett"), N)
    add("three_pathway core-shell (3-phase)",
        lambda: three_pathway(sp, sc, phi, radius=r, interphase_ratio=10.0, t_i=3e-9,
                              R_int=1e-3), N)
    T = np.linspace(263.15, 373.15, N)
    layers = [
        Layer("PEO-a", 5e-6, lambda T: 40.0 * np.exp(-1100.0 / (T - 180.0)), T_min=180.0),
        Layer("LLZO", 100e-6, lambda T: 0.03 * np.exp(-0.35 / K_B_EV * (1 / T - 1 / 298.15))),
        Layer("PEO-c", 5e-6, lambda T: 40.0 * np.exp(-1100.0 / (T - 180.0)), T_min=180.0),
    ]
    itf = [Interface("Li|PEO", 5e-3, Ea=0.6), Interface("PEO|LLZO", 1e-2, Ea=0.8),
           Interface("LLZO|PEO", 1e-2, Ea=0.8)]
    add("stack_asr 3 layers + 3 interfaces", lambda: stack_asr(layers, itf, T=T), N)

    # reference: scalar brentq loop on the same 3-phase Bruggeman equation
    n_ref = 2000
    idx = np.random.default_rng(0).choice(N, n_ref, replace=False)
    S = np.stack([sp.ravel()[idx], 10 * sp.ravel()[idx], sc_eq.ravel()[idx]])
    Fr = np.stack([(1 - 1.1 * phi).ravel()[idx], 0.1 * phi.ravel()[idx], phi.ravel()[idx]])

    def scalar_loop():
        out = np.empty(n_ref)
        for k in range(n_ref):
            s, f = S[:, k], Fr[:, k]
            eq = lambda x, s=s, f=f: np.sum(f * (s - x) / (s + 2 * x))  # noqa: E731
            out[k] = brentq(eq, s.min(), s.max(), xtol=1e-300, rtol=1e-14)
        return out

    t_ref, peak_ref = measure(scalar_loop, repeats=1)
    rows.append(("bruggeman 3-phase, scalar brentq loop (reference)", n_ref, t_ref,
                 n_ref / t_ref, peak_ref / 2**20))
    vec = emt.bruggeman(S, Fr)
    err = float(np.max(np.abs(vec / scalar_loop() - 1)))

    print(f"grid {shape} = {N} designs (loading x radius x temperature); numpy "
          f"{np.__version__}")
    print(f"{'model':52s} {'n':>9s} {'time [s]':>10s} {'designs/s':>12s} {'peak [MiB]':>11s}")
    for name, nd, t, rate, mem in rows:
        print(f"{name:52s} {nd:9d} {t:10.4f} {rate:12.3e} {mem:11.1f}")
    speed = rows[2][3] / rows[-1][3]
    print(f"vectorised 3-phase Bruggeman vs scalar brentq: {speed:.0f}x faster; "
          f"max relative difference {err:.1e}")


if __name__ == "__main__":
    main()
