"""Bruce-Vincent / Evans (PHYSICS §9.3, checklist 37)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hylyte.echem import readers
from hylyte.echem.transference import (
    analyse_transference,
    bruce_vincent,
    bruce_vincent_eis,
    initial_current,
    steady_current,
)
from hylyte.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "echem"
DV, RB, R0, RSS = 0.01, 100.0, 200.0, 250.0
I0 = DV / (RB + R0)
ISS = DV / (RSS + RB / 0.25)


def test_checklist_37_both_formulas_exact():
    assert bruce_vincent(DV, I0, ISS, R0_ohm=R0, Rss_ohm=RSS) == pytest.approx(0.25, abs=1e-12)
    assert bruce_vincent_eis(DV, ISS, Rb_ohm=RB, Rss_ohm=RSS) == pytest.approx(0.25, abs=1e-12)


def test_no_interface_reduces_to_current_ratio():
    assert bruce_vincent(DV, 2e-5, 7e-6) == pytest.approx(7e-6 / 2e-5, rel=1e-14)


def test_inconsistent_inputs_raise():
    with pytest.raises(InputError, match="R0"):
        bruce_vincent(DV, I0, ISS, R0_ohm=1e6, Rss_ohm=RSS)
    with pytest.raises(InputError):
        bruce_vincent(-0.0, I0, ISS)


def test_picking_currents_from_a_transient():
    t = np.linspace(0.0, 1000.0, 2001)
    i = 1e-6 + 1e-6 * np.exp(-t / 50.0)
    i[0] = 1e-5  # spike
    ss = steady_current(t, i, fraction=0.1)
    assert ss.value_A == pytest.approx(1e-6, rel=1e-7)
    assert ss.stationary
    drifting = steady_current(t, 1e-6 * (1 + 1e-3 * t))  # 5 % over the window
    assert not drifting.stationary
    first = initial_current(t, i, method="first")
    assert first.value_A == pytest.approx(i[1])
    # diffusion-limited decay (semi-infinite): I = Iss + dI erfcx(sqrt(t/tau)), which starts
    # as dI (1 - 2 sqrt(t/(pi tau))): the sqrt(t) extrapolation beats the first point
    from scipy.special import erfcx

    i2 = 1e-6 + 1e-6 * erfcx(np.sqrt(t / 50.0))
    i2[0] = 1e-5
    ext = initial_current(t, i2, n_points=6)
    first2 = initial_current(t, i2, method="first")
    assert abs(ext.value_A - 2e-6) < 0.3 * abs(first2.value_A - 2e-6)


def test_sample_file_eis_formula_recovers_0_25():
    d = readers.read(DATA / "biologic_ca.mpt")
    r = analyse_transference(d, dV_V=DV, R0_ohm=R0, Rss_ohm=RSS, Rb_ohm=RB)
    # the file's plateau equals ISS up to the residual exp(-12) decay and 0.02 % noise
    assert r.t_plus_eis == pytest.approx(0.25, rel=2e-3)
    assert r.Iss.stationary
    r_eis = analyse_transference(d, dV_V=DV, R0_ohm=R0, Rss_ohm=RSS, Rb_ohm=RB, I0_method="eis")
    assert r_eis.t_plus == pytest.approx(r.t_plus_eis, rel=1e-12)
