"""Two-solve transference number on voxel microstructures (PHYSICS 4.2-4.3, 8.9;
checklist 23, 24, 35)."""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.microstructure import reference as ref
from hylyte.microstructure.volume import VoxelVolume
from hylyte.solve import transference_number

S_PER_CM = 100.0


def _stack_tplus(L, sigma, rho):
    r_ohm = sum(l / s for l, s in zip(L, sigma, strict=True))
    r_ss = sum(l / (r * s) for l, s, r in zip(L, sigma, rho, strict=True))
    return r_ohm / r_ss


def test_passive_filler_leaves_rho_plus():
    rng = np.random.default_rng(2)
    lab = (rng.random((12, 10, 10)) < 0.3).astype(np.uint8)
    vol = VoxelVolume(lab, 1e-6, {0: "polymer", 1: "filler"})
    res = transference_number(vol, {"polymer": 1e-2, "filler": 0.0}, {"polymer": 0.2},
                              rtol=1e-12)
    assert res.t_plus == pytest.approx(0.2, abs=1e-12)


def test_pure_single_ion_and_pure_polymer():
    vol = VoxelVolume(np.zeros((6, 5, 5), np.uint8), 1e-6, {0: "ceramic"})
    assert transference_number(vol, {"ceramic": 0.1}, {}).t_plus == pytest.approx(1.0, abs=1e-12)
    vol = VoxelVolume(np.zeros((6, 5, 5), np.uint8), 1e-6, {0: "polymer"})
    res = transference_number(vol, {"polymer": 0.1}, {"polymer": 0.17})
    assert res.t_plus == pytest.approx(0.17, abs=1e-12)


@pytest.mark.parametrize(("s_peo", "s_llzo", "expected"),
                         [(1e-4, 1e-3, 1 / 3), (1e-6, 5e-4, 0.2031873)])
def test_voxel_stack_equals_stack_formula(s_peo, s_llzo, expected):
    # 5 um PEO | 100 um LLZO | 5 um PEO, rho+(PEO) = 0.2 (PHYSICS 4.3, checklist 24)
    vol = ref.layers([5, 100, 5], [0, 1, 0], normal="x", cross_section=(2, 2), voxel_size=1e-6,
                     phases={0: "PEO", 1: "LLZO"})
    sig = {"PEO": s_peo * S_PER_CM, "LLZO": s_llzo * S_PER_CM}
    res = transference_number(vol, sig, {"PEO": 0.2}, rtol=1e-13)
    formula = _stack_tplus([5, 100, 5], [s_peo, s_llzo, s_peo], [0.2, 1.0, 0.2])
    assert res.t_plus == pytest.approx(formula, rel=1e-10)
    assert res.t_plus == pytest.approx(expected, rel=1e-6)


def test_parallel_columns():
    # continuous ceramic columns phi = 0.3 in parallel, sigma_c = 10 sigma_p, rho+ = 0.2:
    # (0.7 * 0.2 * 1 + 0.3 * 10) / (0.7 + 3) = 0.8486486 (checklist 23)
    vol = ref.layers([7, 3], [0, 1], normal="y", cross_section=(6, 2),
                     phases={0: "polymer", 1: "ceramic"})
    res = transference_number(vol, {"polymer": 1.0, "ceramic": 10.0}, {"polymer": 0.2},
                              rtol=1e-13)
    assert res.t_plus == pytest.approx((0.7 * 0.2 + 3.0) / 3.7, rel=1e-10)
    assert res.t_plus == pytest.approx(0.8486486, rel=1e-6)
