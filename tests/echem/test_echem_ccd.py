"""Critical current density (PHYSICS §9.5, checklist 39)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hylyte.echem import readers
from hylyte.echem.ccd import critical_current_density
from hylyte.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "echem"


def _trace(collapse_step=7, asr_after=2.0, n=20, rest=False):
    t, V, I = [], [], []
    tt = 0.0
    for k in range(1, 9):
        j = 0.05 * k * 1e-3  # A on 1 cm^2
        asr = asr_after if k >= collapse_step else 100.0
        for sgn in (1, -1):
            for _ in range(n):
                t.append(tt)
                V.append(sgn * j * asr)
                I.append(sgn * j)
                tt += 60.0
            if rest:
                for _ in range(3):
                    t.append(tt)
                    V.append(0.0)
                    I.append(0.0)
                    tt += 60.0
    return np.array(t), np.array(V), np.array(I)


def test_checklist_39_synthetic_trace():
    r = critical_current_density(_trace(), area_m2=1e-4)
    assert r.ccd_A_per_m2 / 10 == pytest.approx(0.30, rel=1e-9)  # mA/cm^2
    assert r.failed_at_A_per_m2 / 10 == pytest.approx(0.35, rel=1e-9)
    assert r.failure_mode == "short"
    assert r.steps[0]["asr_ohm_m2"] == pytest.approx(100e-4, rel=1e-9)
    assert r.steps[0]["capacity_C_per_m2"] == pytest.approx(0.5 * 20 * 60, rel=1e-9)


def test_rests_between_half_cycles_do_not_matter():
    r = critical_current_density(_trace(rest=True), area_m2=1e-4)
    assert r.failed_at_A_per_m2 / 10 == pytest.approx(0.35)


def test_divergence_and_all_passed():
    t, V, I = _trace(collapse_step=99)
    V = V.copy()
    V[I > 0.39e-3] = 6.0
    r = critical_current_density((t, V, I), area_m2=1e-4)
    assert r.failure_mode == "divergence"
    assert r.ccd_A_per_m2 / 10 == pytest.approx(0.35)
    ok = critical_current_density(_trace(collapse_step=99), area_m2=1e-4)
    assert ok.failed_at_A_per_m2 is None
    assert ok.ccd_A_per_m2 / 10 == pytest.approx(0.40)


def test_sample_gamry_file():
    r = critical_current_density(readers.read(DATA / "gamry_ccd.DTA"), area_m2=1e-4)
    assert (r.ccd_A_per_m2 / 10, r.failed_at_A_per_m2 / 10) == pytest.approx((0.30, 0.35))


def test_bad_inputs():
    with pytest.raises(InputError):
        critical_current_density(_trace(), area_m2=0.0)
