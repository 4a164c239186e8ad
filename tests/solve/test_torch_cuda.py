"""The torch backend on a CUDA device against closed forms and the CPU solver.

Skipped where torch or a CUDA device is absent (the CI machines); run on a GPU machine with
``pytest -m gpu``.
"""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.microstructure import reference as ref
from hylyte.microstructure.volume import VoxelVolume
from hylyte.solve import effective_tensor, homogenize

torch = pytest.importorskip("torch")
pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device"),
]

TIGHT = {"rtol": 1e-10, "precision": "double"}


def _random_two_phase(n: int, seed: int) -> VoxelVolume:
    lab = (np.random.default_rng(seed).random((n, n, n)) < 0.45).astype(np.uint8)
    return VoxelVolume(lab, 1e-6, {0: "matrix", 1: "filler"})


def test_laminate_series_and_parallel_exact_on_cuda():
    vol = ref.layers([8, 4], [0, 1], normal="x", cross_section=(20, 20))
    across = homogenize(vol, {0: 1.0, 1: 10.0}, backend="torch", **TIGHT)
    along = homogenize(vol, {0: 1.0, 1: 10.0}, axis="y", backend="torch", **TIGHT)
    assert across.sigma_eff == pytest.approx(12 / (8 / 1.0 + 4 / 10.0), rel=1e-9)
    assert along.sigma_eff == pytest.approx((8 * 1.0 + 4 * 10.0) / 12, rel=1e-9)
    assert across.report.backend == "torch"


@pytest.mark.parametrize("precision", ["double", "mixed"])
def test_cuda_matches_cpu_multigrid_at_contrast(precision):
    vol = _random_two_phase(48, seed=3)
    sig = {"matrix": 1e-4, "filler": 1.0}
    cpu = homogenize(vol, sig, backend="mgpcg", rtol=1e-10, precision="double")
    gpu = homogenize(vol, sig, backend="torch", rtol=1e-8, precision=precision)
    assert gpu.converged
    # the two stop on the same true-residual test: their answers differ by O(rtol * cond)
    assert gpu.sigma_eff == pytest.approx(cpu.sigma_eff, rel=1e-6)
    fr_cpu = cpu.current_fraction
    fr_gpu = gpu.current_fraction
    for k in fr_cpu:
        assert fr_gpu[k] == pytest.approx(fr_cpu[k], abs=1e-6)


def test_cuda_periodic_tensor_symmetric_and_matches_cpu():
    vol = _random_two_phase(32, seed=5)
    sig = {"matrix": 1e-3, "filler": 1.0}
    t_gpu = effective_tensor(vol, sig, backend="torch", **TIGHT)
    t_cpu = effective_tensor(vol, sig, backend="mgpcg", **TIGHT)
    np.testing.assert_allclose(t_gpu, t_gpu.T, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(t_gpu, t_cpu, rtol=1e-7, atol=1e-10 * np.abs(t_cpu).max())
