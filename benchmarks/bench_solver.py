"""Benchmark of the voxel FV conduction solver against reference solvers.

One command::

    python benchmarks/bench_solver.py [--sizes 64 128] [--large] [--timeout 600]

Cases (labels generated once per size with a fixed seed, then every tool runs in a fresh
subprocess so that its peak memory ``ru_maxrss`` is its own):

* ``blobs``   random blobs at porosity 0.5, one conducting phase (sigma = 1 S/m).
* ``spheres`` 30 vol% overlapping spheres (1 S/m) in a matrix of 1e-3 S/m (contrast 1e3).
* ``3phase``  polymer 1e-4 / ceramic spheres 1 / 2-voxel interphase 1e-3 S/m (contrast 1e4).

Tools: ``hylyte-mgpcg`` (default backend, rtol 1e-6, 1 thread and numba's default),
``hylyte-pyamg`` (assembled matrix + smoothed aggregation, rtol 1e-8: the reference),
``hylyte-mgpcg-double`` (all float64, rtol 1e-8: the reference where pyamg is not run),
``taufactor`` (``Solver`` / ``MultiPhaseSolver``, its default convergence criterion) and
``porespy`` (``tortuosity_fd``, one conducting phase only) when importable.
Transport along x with Dirichlet at the outer faces (the TauFactor convention).
Also printed: a numpy stream-triad bandwidth on arrays of the problem size, the time per
iteration relative to a bandwidth bound, and the largest cube that fits in 16 GiB by
``hylyte.solve.estimate_memory``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

CASES = ("blobs", "spheres", "3phase")
SIGMA = {
    "blobs": {0: 0.0, 1: 1.0},
    "spheres": {1: 1e-3, 2: 1.0},
    "3phase": {1: 1e-4, 2: 1.0, 3: 1e-3},
}
NAMES = {
    "blobs": {0: "solid", 1: "pore"},
    "spheres": {1: "matrix", 2: "sphere"},
    "3phase": {1: "polymer", 2: "ceramic", 3: "interphase"},
}
# bytes moved per fine voxel per MG-PCG iteration (model, mixed precision: float32 face
# conductances and work vectors, float64 iterate; the diagonal is computed on the fly and
# the electrodes' extra diagonal and right-hand side are boundary layers): 4 red-black half
# sweeps (read 3 g + r, read/write z: 24 B each), residual-restrict (20 B), prolongation
# (8 B), matvec (20 B), CG updates and dots (60 B: x is float64), true residual every 10
# iterations (2 B). Before the float32 CG vectors the model was 4 * 36 + 36 + 16 + 36 + 80.
BYTES_PER_VOXEL_ITER = 4 * 24 + 20 + 8 + 20 + 60 + 2


def make_labels(case: str, n: int, seed: int = 0) -> np.ndarray:
    """Labels of a benchmark case, shape (n, n, n), uint8."""
    from scipy import ndimage

    rng = np.random.default_rng(seed)
    if case == "blobs":
        f = ndimage.gaussian_filter(rng.random((n, n, n), dtype=np.float32), n / 32 * 2,
                                    mode="wrap")
        return (f > np.median(f)).astype(np.uint8)
    r = max(3.0, n / 16)
    sph = np.zeros((n, n, n), dtype=bool)
    g = np.arange(n)
    while sph.mean() < 0.3:
        c = rng.uniform(0, n, 3)
        lo = np.maximum(np.floor(c - r).astype(int), 0)
        hi = np.minimum(np.ceil(c + r).astype(int) + 1, n)
        xs, ys, zs = (g[lo[k]:hi[k]] + 0.5 - c[k] for k in range(3))
        ball = xs[:, None, None] ** 2 + ys[None, :, None] ** 2 + zs[None, None, :] ** 2 <= r * r
        sph[lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]] |= ball
    lab = np.where(sph, 2, 1).astype(np.uint8)
    if case == "3phase":
        d = ndimage.distance_transform_edt(~sph)
        lab[(d > 0) & (d <= 2.0)] = 3
    return lab


def _rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def worker(case: str, tool: str, path: str) -> dict:
    """Run one tool on one saved volume; returns a JSON-able dict."""
    lab = np.load(path)
    n_vox = lab.size
    sigma = SIGMA[case]
    if tool.startswith("hylyte"):
        from hylyte.microstructure.volume import VoxelVolume
        from hylyte.solve import homogenize

        vol = VoxelVolume(lab, 1e-6, NAMES[case])
        sig = {NAMES[case][k]: v for k, v in sigma.items()}
        backend, threads, rtol, prec = {
            "hylyte-mgpcg-1t": ("mgpcg", 1, 1e-6, "mixed"),
            "hylyte-mgpcg": ("mgpcg", None, 1e-6, "mixed"),
            "hylyte-mgpcg-double": ("mgpcg", None, 1e-8, "double"),
            "hylyte-pyamg": ("pyamg", None, 1e-8, "mixed"),
            "hylyte-torch": ("torch", None, 1e-6, "mixed"),
        }[tool]
        # compile / load the numba cache outside the timing on a small multilevel volume
        w = (np.random.default_rng(1).random((24, 24, 24)) < 0.5).astype(np.uint8)
        homogenize(VoxelVolume(w, 1e-6, {0: "a", 1: "b"}), {"a": 1e-3, "b": 1.0},
                   backend=backend, threads=threads, tortuosity=False)
        _gpu_reset()
        solve_s = _time_pcg()
        rss0 = _rss_bytes()
        t0 = time.perf_counter()
        res = homogenize(vol, sig, backend=backend, rtol=rtol, tortuosity=False,
                         threads=threads, max_iter=2000, precision=prec)
        wall = time.perf_counter() - t0
        return {"time_s": wall, "iterations": res.report.iterations, "sigma_eff": res.sigma_eff,
                "rss0": rss0, "rss1": _rss_bytes(), "n": n_vox,
                "rel_residual": res.report.rel_residual, "converged": res.converged,
                "solve_s": sum(solve_s) if solve_s else None,
                **_gpu_peak(backend == "torch")}
    if tool == "taufactor":
        import taufactor as tau
        import torch

        dev = "cuda" if torch.cuda.is_available() else "cpu"
        _gpu_reset()
        rss0 = _rss_bytes()
        t0 = time.perf_counter()
        if case == "blobs":
            s = tau.Solver(lab.astype(np.uint8), device=dev)
            t = float(np.asarray(s.solve(verbose=False)).ravel()[0])
            vf = float(np.asarray(s.VF).ravel()[0])
            sig_eff = vf / t
        else:
            s = tau.MultiPhaseSolver(lab, cond=dict(sigma), device=dev)
            s.solve(verbose=False)
            sig_eff = float(np.asarray(s.D_eff).ravel()[0])
        wall = time.perf_counter() - t0
        return {"time_s": wall, "iterations": int(s.iter), "sigma_eff": sig_eff, "rss0": rss0,
                "rss1": _rss_bytes(), "n": n_vox, **_gpu_peak(True)}
    if tool == "porespy":
        import porespy as ps

        rss0 = _rss_bytes()
        t0 = time.perf_counter()
        r = ps.simulations.tortuosity_fd(lab.astype(bool), axis=0)
        wall = time.perf_counter() - t0
        return {"time_s": wall, "iterations": -1, "sigma_eff": 1.0 / float(r.formation_factor),
                    "rss0": rss0, "rss1": _rss_bytes(), "n": n_vox}
    raise SystemExit(f"unknown tool {tool}")


def _time_pcg() -> list:
    """Record the wall time of every CG iteration loop (setup excluded) into the list returned."""
    import hylyte.solve.multigrid as mg

    times: list = []
    inner = mg.pcg

    def timed(*a, **k):
        t0 = time.perf_counter()
        out = inner(*a, **k)
        times.append(time.perf_counter() - t0)
        return out

    mg.pcg = timed
    try:
        import hylyte.solve.backends.torch_backend as tb

        tb.pcg = timed
    except ImportError:
        pass
    return times


def _gpu_reset() -> None:
    """Reset torch's CUDA peak-memory counter (no-op without torch or CUDA)."""
    import sys as _sys

    torch = _sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()


def _gpu_peak(used: bool) -> dict:
    """``{"gpu_peak": bytes}`` of torch's CUDA allocator when the tool ran on a GPU."""
    import sys as _sys

    torch = _sys.modules.get("torch")
    if not used or torch is None or not torch.cuda.is_available():
        return {}
    return {"gpu_peak": int(torch.cuda.max_memory_allocated()),
            "device": torch.cuda.get_device_name()}


def _importable(mod: str) -> bool:
    from importlib.util import find_spec

    return find_spec(mod) is not None


def stream_triad(n_vox: int, repeat: int = 5) -> float:
    """Bandwidth of ``a = b + s c`` on float64 arrays of ``n_vox`` elements [bytes/s]."""
    b = np.random.default_rng(0).random(n_vox)
    c = b.copy()
    a = np.empty_like(b)
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        np.multiply(c, 1.5, out=a)
        np.add(a, b, out=a)
        best = min(best, time.perf_counter() - t0)
    # numpy does the triad in two passes: 5 arrays of 8 bytes streamed
    return 5 * 8 * n_vox / best


def gpu_triad(n_vox: int, repeat: int = 10) -> float:
    """Bandwidth of ``a = b + s c`` on float32 CUDA tensors of ``n_vox`` elements [bytes/s]."""
    import torch

    b = torch.rand(n_vox, device="cuda")
    c = torch.rand(n_vox, device="cuda")
    a = torch.empty_like(b)
    best = float("inf")
    for _ in range(repeat):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        torch.add(b, c, alpha=1.5, out=a)
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return 3 * 4 * n_vox / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[64, 128])
    ap.add_argument("--large", action="store_true", help="also 200^3 and 256^3 (hylyte and "
                    "TauFactor only)")
    ap.add_argument("--cases", nargs="*", default=list(CASES))
    ap.add_argument("--tools", nargs="*", default=None)
    ap.add_argument("--timeout", type=float, default=900.0, help="per run [s]")
    ap.add_argument("--porespy-max", type=int, default=128, help="largest edge for PoreSpy "
                    "(it needs 4-9 GB at 256^3)")
    ap.add_argument("--max-edge", nargs="*", default=[], metavar="TOOL=N",
                    help="skip TOOL on volumes larger than N^3")
    ap.add_argument("--tool-timeout", nargs="*", default=[], metavar="TOOL=S",
                    help="per-run time limit of TOOL [s] (default --timeout)")
    ap.add_argument("--gpu", action="store_true", help="GPU tools: hylyte-torch and TauFactor "
                    "on CUDA beside hylyte-mgpcg on the CPU; also prints a GPU copy bandwidth")
    ap.add_argument("--worker", nargs=3, metavar=("CASE", "TOOL", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--make", nargs=3, metavar=("CASE", "N", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--triad", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--gpu-triad", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    if args.make:
        np.save(args.make[2], make_labels(args.make[0], int(args.make[1])))
        return
    if args.triad:
        print(stream_triad(args.triad))
        return
    if args.gpu_triad:
        print(gpu_triad(args.gpu_triad))
        return

    from hylyte.solve import largest_cube

    sizes = list(args.sizes) + ([200, 256] if args.large else [])
    default_tools = (["hylyte-mgpcg", "hylyte-torch", "taufactor"] if args.gpu else
                     ["hylyte-pyamg", "hylyte-mgpcg-1t", "hylyte-mgpcg", "taufactor", "porespy"])
    tools = args.tools or default_tools
    max_edge = {k: int(v) for k, v in (a.split("=", 1) for a in args.max_edge)}
    tool_timeout = {k: float(v) for k, v in (a.split("=", 1) for a in args.tool_timeout)}
    rows = []
    tmp = tempfile.mkdtemp(prefix="hylyte-bench-")
    print(f"# python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    # label generation and the bandwidth measurement run in subprocesses: a worker's
    # ru_maxrss starts from its parent's resident size, so the parent must stay small
    for n in sizes:
        bw = float(subprocess.run([sys.executable, __file__, "--triad", str(n ** 3)],
                                  capture_output=True, text=True, check=True).stdout)
        print(f"# {n}^3: stream triad {bw / 1e9:.1f} GB/s -> bandwidth bound per MG-PCG "
              f"iteration {BYTES_PER_VOXEL_ITER * n ** 3 / bw * 1e3:.1f} ms", flush=True)
        gbw = None
        if args.gpu:
            out = subprocess.run([sys.executable, __file__, "--gpu-triad", str(n ** 3)],
                                 capture_output=True, text=True)
            gbw = float(out.stdout) if out.returncode == 0 and out.stdout.strip() else None
            if gbw:
                print(f"# {n}^3: GPU triad {gbw / 1e9:.0f} GB/s -> bandwidth bound per "
                      f"MG-PCG iteration {BYTES_PER_VOXEL_ITER * n ** 3 / gbw * 1e3:.2f} ms",
                      flush=True)
        for case in args.cases:
            path = os.path.join(tmp, f"{case}_{n}.npy")
            subprocess.run([sys.executable, __file__, "--make", case, str(n), path], check=True)
            results = {}
            for tool in tools:
                if tool == "porespy" and (case != "blobs" or n > args.porespy_max):
                    continue
                if tool == "hylyte-pyamg" and n > 128:
                    continue
                if n > max_edge.get(tool, n):
                    continue
                if tool in ("taufactor", "porespy") and not _importable(tool):
                    continue
                t0 = time.perf_counter()
                try:
                    out = subprocess.run(
                        [sys.executable, __file__, "--worker", case, tool, path],
                        capture_output=True, text=True,
                        timeout=tool_timeout.get(tool, args.timeout))
                    res = json.loads(out.stdout.strip().splitlines()[-1]) if \
                        out.returncode == 0 else {"error": out.stderr.strip()[-300:]}
                except subprocess.TimeoutExpired:
                    res = {"error": f"timeout after {tool_timeout.get(tool, args.timeout):.0f} s"}
                except (json.JSONDecodeError, IndexError):
                    res = {"error": "no output"}
                res["total_s"] = time.perf_counter() - t0
                results[tool] = res
                # reference: the assembled pyamg solve, else the float64 mgpcg one (rtol 1e-8)
                ref = (results.get("hylyte-pyamg") or results.get("hylyte-mgpcg-double")
                       or (results.get("hylyte-mgpcg") if args.gpu else None))
                bwt = gbw if (tool == "hylyte-torch" and gbw) else bw
                rows.append((case, n, tool, res, ref, bwt))
                _print_row(case, n, tool, res, ref, bwt)
    print()
    if args.gpu:
        print("# GPU tools: peak B/voxel is torch's CUDA allocator peak; the reference for "
              "'vs ref' is hylyte-mgpcg (rtol 1e-6)")
    print("| case | size | tool | time [s] (CG loop) | peak B/voxel (delta) | iters | ms/iter | "
          "x bandwidth bound | sigma_eff [S/m] | vs ref |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for case, n, tool, res, ref, bw in rows:
        print(_fmt(case, n, tool, res, ref, bw))
    for prec in ("mixed", "double"):
        edge = largest_cube(16 * 2 ** 30, "mgpcg", precision=prec)
        print(f"# largest cube in 16 GiB by estimate_memory (mgpcg, {prec}): {edge}^3")


def _times(res: dict) -> str:
    """``total (solve)`` seconds; the solve part is the CG loop alone, without the set-up."""
    if res.get("solve_s"):
        return f"{res['time_s']:.2f} ({res['solve_s']:.2f})"
    return f"{res['time_s']:.2f}"


def _fmt(case, n, tool, res, ref, bw) -> str:
    if "error" in res:
        return f"| {case} | {n}^3 | {tool} | - | - | - | - | - | {res['error'][:60]} | - |"
    nv = res["n"]
    per = (res["rss1"] - res["rss0"]) / nv
    if "gpu_peak" in res:
        it = max(res["iterations"], 1)
        per_it = (res.get("solve_s") or res["time_s"]) / it
        xb = (f"{per_it / (BYTES_PER_VOXEL_ITER * nv / bw):.1f}" if tool == "hylyte-torch"
              else "-")
        rel = (f"{res['sigma_eff'] / ref['sigma_eff'] - 1:+.2e}"
               if ref and ref.get("sigma_eff") else "nan")
        return (f"| {case} | {n}^3 | {tool} ({res['device']}) | {_times(res)} | "
                f"{res['gpu_peak'] / nv:.0f} GPU | {res['iterations']} | {per_it * 1e3:.1f} | "
                f"{xb} | {res['sigma_eff']:.6g} | {rel} |")
    it = res["iterations"]
    ms = (res.get("solve_s") or res["time_s"]) / it * 1e3 if it and it > 0 else float("nan")
    bound = BYTES_PER_VOXEL_ITER * nv / bw * 1e3
    rel = "nan"
    if ref and "sigma_eff" in ref and ref["sigma_eff"]:
        rel = f"{res['sigma_eff'] / ref['sigma_eff'] - 1:+.2e}"
    xb = f"{ms / bound:.1f}" if tool in ("hylyte-mgpcg", "hylyte-mgpcg-1t") else "-"
    return (f"| {case} | {n}^3 | {tool} | {_times(res)} | {res['rss1'] / nv:.0f} "
            f"({per:.0f}) | {it} | {ms:.1f} | {xb} | {res['sigma_eff']:.6g} | {rel} |")


def _print_row(*a) -> None:
    print(_fmt(*a), flush=True)


if __name__ == "__main__":
    main()
