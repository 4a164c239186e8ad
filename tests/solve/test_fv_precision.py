"""Mixed-precision MG-PCG (float32 work vectors) and the cached sheet calibration."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from hylyte.errors import InputError
from hylyte.microstructure.volume import InterfaceProperties, VoxelVolume
from hylyte.solve import Solver, estimate_memory, homogenize
from hylyte.solve.backends.mgpcg import MGPCGBackend
from hylyte.solve.operator import conductivity_table, dirichlet_system


def _spheres(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = np.arange(n) + 0.5
    lab = np.zeros((n, n, n), np.uint8)
    for _ in range(12):
        p = rng.random(3) * n
        r2 = sum((c.reshape(s) - p[i]) ** 2 for i, s in enumerate([(-1, 1, 1), (1, -1, 1),
                                                                     (1, 1, -1)]))
        lab[r2 <= (n / 6) ** 2] = 1
    return lab


def _numpy_rel_residual(sys, x) -> float:
    """||b - A x|| / ||b|| with the reference numpy operator in float64."""
    b = np.asarray(sys.b, np.float64)
    return float(np.linalg.norm(b - sys.matvec(np.where(sys.active, x, 0.0)))
                 / np.linalg.norm(b))


@pytest.mark.parametrize("max_iter", [2, 500])
def test_mixed_reports_true_residual(max_iter):
    vol = VoxelVolume(_spheres(40), 1e-6, {0: "m", 1: "s"})
    tab = conductivity_table(vol, {"m": 1e-4, "s": 1.0})       # contrast 1e4
    sys = dirichlet_system(vol, tab, 0, dtype=np.float32)
    # the float32-rounded conductances as float64: the operator mgpcg actually solves
    ref = dirichlet_system(vol, tab, 0, dtype=np.float32)
    ref.g = [np.asarray(g, np.float64) for g in ref.g]
    ref.extra = np.asarray(ref.extra, np.float64)
    prep = MGPCGBackend().prepare(sys, precision="mixed")
    res = prep.solve(sys.b, rtol=1e-6, max_iter=max_iter)
    true = _numpy_rel_residual(ref, res.x)
    assert res.rel_residual == pytest.approx(true, rel=1e-3)
    if max_iter == 2:
        assert not res.converged
        assert true > 1e-6
    else:
        assert res.converged
        assert true <= 1e-6


def test_mixed_matches_double_at_high_contrast():
    vol = VoxelVolume(_spheres(48, seed=2), 1e-6, {0: "m", 1: "s"})
    sig = {"m": 1e-4, "s": 1.0}
    mixed = homogenize(vol, sig, tortuosity=False)               # default: mixed, rtol 1e-6
    double = homogenize(vol, sig, tortuosity=False, precision="double", rtol=1e-11)
    assert mixed.converged
    assert mixed.report.rel_residual <= 1e-6
    # second method: the float64 solve; float32 conductances and rtol 1e-6 allow ~1e-5
    assert mixed.sigma_eff == pytest.approx(double.sigma_eff, rel=2e-5)


def test_mixed_peak_memory_within_estimate():
    n = 64
    vol = VoxelVolume(_spheres(n, seed=1), 1e-6, {0: "m", 1: "s"})
    homogenize(vol, {"m": 1e-3, "s": 1.0}, tortuosity=False)     # compile outside the trace
    tracemalloc.start()
    try:
        homogenize(vol, {"m": 1e-3, "s": 1.0}, tortuosity=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    est = estimate_memory((n, n, n), "mgpcg")
    # the estimate bounds the traced peak and is not more than 1.5x above it
    assert peak <= est <= 1.5 * peak


def _coated(n: int) -> VoxelVolume:
    c = np.arange(n) + 0.5 - n / 2
    r2 = c[:, None, None] ** 2 + c[None, :, None] ** 2 + c[None, None, :] ** 2
    lab = (r2 <= (n / 4) ** 2).astype(np.uint8)
    return VoxelVolume(lab, 1e-6, {0: "m", 1: "core"},
                       {(0, 1): InterfaceProperties(0.0, 1e-6)})


def test_sheet_eta_cached_and_reused(monkeypatch):
    import warnings

    import hylyte.solve.sheet as sheet

    eta = sheet.sheet_eta(4.0)
    info0 = sheet.sheet_eta_cache_info()
    # same quantised radius: a cache hit returning the identical value
    assert sheet.sheet_eta(4.0 + 0.2 * sheet.RADIUS_STEP) == eta
    info1 = sheet.sheet_eta_cache_info()
    assert info1.hits == info0.hits + 1
    assert info1.misses == info0.misses
    with pytest.raises(InputError, match="rule"):
        sheet.sheet_eta(4.0, rule="other")

    calls = []
    orig = sheet.sheet_eta

    def counting(a, rule="coplanar-facet"):
        calls.append(a)
        return orig(a, rule)

    monkeypatch.setattr(sheet, "sheet_eta", counting)
    vol = _coated(16)
    solver = Solver(vol, rtol=1e-8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r1 = solver.solve({"m": 1.0, "core": 0.0}, tortuosity=False)
        r2 = solver.solve({"m": 2.0, "core": 0.0}, tortuosity=False)
        misses = sheet.sheet_eta_cache_info().misses
        r3 = Solver(vol, rtol=1e-8).solve({"m": 3.0, "core": 0.0}, tortuosity=False)
    assert len(calls) == 2                      # once per Solver, not per solve
    assert r1.sheet_eta == r2.sheet_eta == r3.sheet_eta
    assert sheet.sheet_eta_cache_info().misses == misses   # the new Solver hit the cache
