"""Sweep throughput: many analytic designs, and a few voxel designs on Dask.

Usage::

    python benchmarks/bench_sweep.py                  # closed-form + design-layer analytic
    python benchmarks/bench_sweep.py --n 10000 --voxel --voxel-n 96 --voxel-designs 3

Cases
-----
closed-form  10,000 composite designs (Maxwell-Garnett + Arrhenius, vectorised over each chunk
             through ``evaluate_many``) x 5 temperatures, on 2 local processes; measures the
             engine: plan expansion, hashing, chunked tasks, Parquet parts, DuckDB query.
analytic     the same number of designs through ``hylyte.design.evaluate(method="analytic")``
             (one design at a time inside each chunk).
voxel        a few designs at N^3 voxels through ``evaluate(method="voxel")`` on a Dask
             LocalCluster with 1 and then 2 workers (per-design wall time, scaling).

Each case writes to a fresh temporary results folder. Times are wall-clock on whatever machine
runs this; say whether it was shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import tomllib
from importlib.resources import files
from typing import ClassVar

import numpy as np

K_B_EV = 8.617333262e-5
TEMPS_K = np.array([273.15, 298.15, 313.15, 333.15, 353.15])


def _frac(text: str) -> float:
    return float(text.split()[0]) / 100.0


def _len(text: str) -> float:
    num, unit = text.split()
    return float(num) * {"um": 1e-6, "nm": 1e-9}[unit]


class ClosedForm:
    """Polymer + spherical ceramic fillers, Maxwell-Garnett, Arrhenius laws (illustrative)."""

    evaluator_id = "bench_sweep.ClosedForm"
    ceramics: ClassVar[dict] = {"LLZTO": (5e-2, 0.40, 5100.0), "LATP": (3e-2, 0.35, 2900.0)}

    def __call__(self, design: dict) -> list[dict]:
        return self.evaluate_many([design])[0]

    def evaluate_many(self, designs: list[dict]) -> list[list[dict]]:
        c = np.array([self.ceramics[d["fillers"][0]["material"]] for d in designs])
        phi = np.array([_frac(d["fillers"][0]["fraction"]) for d in designs])[:, None]
        L = np.array([_len(d["thickness"]) for d in designs])[:, None]
        T = TEMPS_K[None, :]
        arr = lambda s, ea: s * np.exp(-ea / K_B_EV * (1 / T - 1 / 298.15))  # noqa: E731
        sm = arr(1e-4, 0.6)
        sf = arr(c[:, :1], c[:, 1:2])
        sig = sm * (sf + 2 * sm + 2 * phi * (sf - sm)) / (sf + 2 * sm - phi * (sf - sm))
        asr = L / sig * 1e4
        mass = (L * (1200 * (1 - phi) + c[:, 2:3] * phi) * 1e3)[:, 0]
        return [[{"T_K": float(t), "T_degC": round(float(t) - 273.15, 6),
                  "conductivity_S_per_cm": float(s) / 100, "asr_ohm_cm2": float(a),
                  "electrolyte_mass_g_per_m2": float(mass[i])}
                 for t, s, a in zip(TEMPS_K, sig[i], asr[i], strict=True)]
                for i in range(len(designs))]


def _example() -> dict:
    path = files("hylyte.design") / "data" / "examples" / "peo_llzto_nanoparticles.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _plan(n: int, base: dict, extra_axes: dict | None = None):
    from hylyte.sweep.plan import plan_from_dict

    axes = {"fillers.0.fraction": {"start": "1 vol%", "stop": "45 vol%"},
            "fillers.0.material": ["LLZTO", "LATP"]}
    if "thickness" in base:
        axes["thickness"] = {"start": "5 um", "stop": "200 um", "scale": "log"}
    axes.update(extra_axes or {})
    return plan_from_dict({"base": base, "axes": axes,
                           "sampling": {"method": "sobol", "n": n, "seed": 0}})


def _run(plan, eval_fn, *, executor="processes", workers=2, client=None, chunk_size=None):
    from hylyte.sweep.executor import get_executor, run_sweep
    from hylyte.sweep.store import ResultStore

    out = tempfile.mkdtemp(prefix="bench-sweep-")
    try:
        ex = get_executor("dask", client=client) if client is not None else executor
        t0 = time.perf_counter()
        s = run_sweep(plan, out, eval_fn=eval_fn, executor=ex, workers=workers,
                      chunk_size=chunk_size)
        wall = time.perf_counter() - t0
        t1 = time.perf_counter()
        store = ResultStore(out)
        q = store.query("SELECT count(*) AS n, avg(eval_wall_s) AS per_design "
                        "FROM results WHERE status = 'ok'").to_pylist()[0]
        errs = store.query("SELECT error_type, first(error_message) AS msg, count(*) AS n "
                           "FROM results WHERE status = 'error' GROUP BY ALL").to_pylist()
        q["errors"] = "; ".join(f"{e['n']} x {e['error_type']}: {e['msg'][:120]}"
                                for e in errs)
        t_query = time.perf_counter() - t1
        return s, wall, t_query, q
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="designs for the analytic cases")
    ap.add_argument("--analytic-n", type=int, default=None,
                    help="designs for the design-layer analytic case (default: --n)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--voxel", action="store_true", help="run the voxel case on Dask")
    ap.add_argument("--skip-analytic", action="store_true",
                    help="skip the closed-form and analytic cases")
    ap.add_argument("--voxel-n", type=int, default=96, help="voxels per axis")
    ap.add_argument("--voxel-designs", type=int, default=3)
    args = ap.parse_args()
    rows = []

    if not args.skip_analytic:
        _analytic(args, rows)
    if args.voxel:
        _voxel(args, rows)
    print(f"\nmachine: {os.cpu_count()} cores (shared with other work)\n")
    print(f"{'case':<14} {'size':<14} {'executor':<14} {'wall [s]':>9} {'rows':>7}  notes")
    for r in rows:
        print(f"{r[0]:<14} {r[1]:<14} {r[2]:<14} {r[3]:9.2f} {r[4]:7d}  {r[5]}")
    for r in rows:
        if len(r) > 6 and r[6]:
            print(f"errors in {r[0]} ({r[2]}): {r[6]}")


def _analytic(args, rows) -> None:
    plan = _plan(args.n, {"thickness": "20 um",
                          "fillers": [{"material": "LLZTO", "fraction": "10 vol%"}]})
    t0 = time.perf_counter()
    pts, _ = plan.points()
    t_plan = time.perf_counter() - t0
    s, wall, tq, q = _run(plan, ClosedForm(), workers=args.workers)
    rows.append(("closed-form", f"{len(pts)} x 5 T", f"processes x{args.workers}", wall,
                 q["n"], f"plan {t_plan:.2f} s, query {tq:.2f} s, {len(s.parts)} parts"))

    n_an = args.analytic_n or args.n
    base = _example()
    base["evaluate"]["temperatures"] = ["0 degC", "25 degC", "40 degC", "60 degC", "80 degC"]
    plan = _plan(n_an, base)
    s, wall, tq, q = _run(plan, None, workers=args.workers)
    rows.append(("analytic", f"{n_an} x 5 T", f"processes x{args.workers}", wall, q["n"],
                 f"{q['per_design'] * 1e3:.2f} ms/design in a worker, {s.n_failed} failed",
                 q["errors"]))


def _voxel(args, rows) -> None:
    import distributed

    vbase = _example()
    vbase["evaluate"].update({"method": "voxel", "temperatures": ["25 degC"],
                              "voxel": {"max_voxels_per_axis": args.voxel_n}})
    # random non-overlapping spheres pack up to ~38 vol%: stay below
    vplan = _plan(args.voxel_designs, vbase,
                  {"fillers.0.fraction": {"start": "5 vol%", "stop": "35 vol%"}})
    warm = dict(vbase)
    warm["evaluate"] = {**vbase["evaluate"], "voxel": {"max_voxels_per_axis": 24}}
    for nw in (1, 2):
        with distributed.LocalCluster(n_workers=nw, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as client:
            client.run(_warm, warm)  # numba compilation in every worker, not timed
            s, wall, _, q = _run(vplan, None, client=client, chunk_size=1)
        rows.append((f"voxel {args.voxel_n}^3", f"{args.voxel_designs} x 1 T", f"dask x{nw}",
                     wall, q["n"],
                     f"{q['per_design']:.1f} s/design in a worker, {s.n_failed} failed",
                     q["errors"]))


def _warm(design: dict) -> None:
    from hylyte.design import design_from_dict, evaluate

    evaluate(design_from_dict(design), rng=0)


if __name__ == "__main__":
    main()
