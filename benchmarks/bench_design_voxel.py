"""Time the voxel path of one composite design at several voxel budgets.

Runs a bundled example whose box is set by the budget (default ``llzto_random_nanowires``:
random LLZTO nanowires in PEO-LiTFSI) with ``method = "voxel"`` at 4 temperatures for each
budget and prints the generation time, the solve time per temperature and the total. The
first evaluation warms the JIT kernels and is not reported.

Usage::

    python benchmarks/bench_design_voxel.py [--example NAME.toml] [64 80 96]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

TEMPS = (273.15, 298.15, 333.15, 353.15)  # 0, 25, 60, 80 degC [K]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "designs"


def main(budgets: list[int], example: str = "llzto_random_nanowires.toml") -> None:
    import warnings

    from hylyte.design import evaluate, load_design

    warnings.simplefilter("ignore")
    base = load_design(EXAMPLES / example)

    def run(n: int):
        d = replace(base, seed=1, evaluate=replace(base.evaluate, method="voxel",
                                                     temperatures_K=TEMPS, voxel=replace(
            base.evaluate.voxel, max_voxels_per_axis=n)))
        stamps: list[tuple[str, float]] = []
        t0 = time.perf_counter()
        r = evaluate(d, progress=lambda msg: stamps.append((msg, time.perf_counter() - t0)))
        return r, stamps, time.perf_counter() - t0

    run(24)  # JIT warm-up
    print(f"{'budget':>6} {'shape':>14} {'generate_s':>10} {'solve_per_T_s':>13} {'total_s':>8}")
    for n in budgets:
        r, stamps, total = run(n)
        gen = next(t for msg, t in stamps if "volume generated" in msg)
        nT = len(r.points)
        print(f"{n:>6} {r.voxel.shape!s:>14} {gen:10.2f} {(total - gen) / nT:13.2f} "
              f"{total:8.2f}")


if __name__ == "__main__":
    args = sys.argv[1:]
    name = "llzto_random_nanowires.toml"
    if args[:1] == ["--example"]:
        name, args = args[1], args[2:]
    main([int(a) for a in args] or [64, 80, 96], name)
