"""LSV onsets (PHYSICS §9.4, checklist 38)."""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.echem.lsv import lsv_onset, stability_window
from hylyte.errors import InputError

UA_CM2 = 1e-2  # 1 uA/cm^2 in A/m^2


def _curve(step=1e-4):
    V = np.arange(3.0, 4.5 + step / 2, step)
    return V, (0.2 + np.exp((V - 4.0) / 0.05)) * UA_CM2


@pytest.mark.parametrize("step", [1e-3, 1e-4])
def test_checklist_38_threshold_onset(step):
    V, j = _curve(step)
    r = lsv_onset(V, j, j_threshold_A_per_m2=10 * UA_CM2)
    # closed form: 0.2 + exp((V - 4)/0.05) = 10  ->  V = 4 + 0.05 ln 9.8
    assert r.V_threshold_V == pytest.approx(4 + 0.05 * np.log(9.8), rel=1e-6)
    assert r.V_threshold_V == pytest.approx(4.114119, abs=5e-7)


def test_baseline_subtraction_removes_the_offset():
    V, j = _curve()
    r = lsv_onset(V, j, baseline="constant", baseline_window_V=(3.0, 3.5))
    assert r.V_threshold_V == pytest.approx(4 + 0.05 * np.log(10.0), rel=1e-6)
    assert r.baseline_window_V == (3.0, 3.5)
    r2 = lsv_onset(V, j, baseline=0.2 * UA_CM2)
    assert r2.V_threshold_V == pytest.approx(4 + 0.05 * np.log(10.0), rel=1e-9)


@pytest.mark.parametrize("Vt", [4.15, 4.2, 4.3])
def test_checklist_38_tangent_returns_vt_minus_b(Vt):
    V = np.arange(3.0, 4.5, 1e-3)
    j = np.exp((V - 4.0) / 0.05) * UA_CM2
    r = lsv_onset(V, j, tangent_at_V=Vt)
    assert r.V_tangent_V == pytest.approx(Vt - 0.05, rel=1e-6)
    assert r.tangent_window_V == (Vt, Vt)


def test_default_tangent_window_is_last_decade_and_reported():
    V = np.arange(3.0, 4.5, 1e-3)
    j = np.exp((V - 4.0) / 0.05) * UA_CM2
    r = lsv_onset(V, j)
    lo, hi = r.tangent_window_V
    assert hi == pytest.approx(V[-1])
    assert lo == pytest.approx(V[-1] - 0.05 * np.log(10), abs=2e-3)
    # a secant over [lo, hi] meets zero between lo - b and hi - b
    assert lo - 0.05 < r.V_tangent_V < hi - 0.05


def test_reduction_mirrors_oxidation_and_area_normalisation():
    V, j = _curve()
    area = 2e-4
    w = stability_window(-V + 3.0, -j * area, area_m2=area)
    assert w["reduction"].V_threshold_V == pytest.approx(3.0 - (4 + 0.05 * np.log(9.8)),
                                                         rel=1e-6)
    assert w["oxidation"].V_threshold_V is None


def test_bad_inputs():
    with pytest.raises(InputError):
        lsv_onset([1, 2], [1, 2])
    V, j = _curve(1e-2)
    with pytest.raises(InputError, match="direction"):
        lsv_onset(V, j, direction="up")
