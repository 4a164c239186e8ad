"""lin-KK and DRT against PHYSICS §9.2 numbers."""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.echem.kk import drt, lin_kk
from hylyte.errors import InputError

F = np.logspace(-2, 6, 81)
W = 2 * np.pi * F


def test_linkk_clean_spectrum_below_1e_4():
    # R0 + R||C (10 ohm, 100 ohm, 1 uF), 81 points over 1e-2..1e6 Hz, M = 40
    Z = 10 + 100 / (1 + 1j * W * 1e-4)
    r = lin_kk((F, Z), M=40)
    assert r.max_abs_residual < 1e-4
    assert r.valid
    assert r.R_inf_ohm + r.R_ohm.sum() == pytest.approx(110.0, rel=1e-3)  # DC limit


def test_linkk_drifting_spectrum_above_1e_3():
    # the same cell with R1 drifting linearly by 5 % over the sweep (high to low frequency)
    R1 = 100 * (1 + 0.05 * np.arange(F.size)[::-1] / (F.size - 1))
    Z = 10 + R1 / (1 + 1j * W * R1 * 1e-6)
    assert lin_kk((F, Z), M=40).max_abs_residual > 1e-3


def test_linkk_automatic_m_obeys_mu_and_cap():
    Z = 10 + 100 / (1 + 1j * W * 1e-4)
    r = lin_kk((F, Z))
    assert r.mu >= 0.85
    assert r.M <= 6 * 8
    assert r.max_abs_residual < 1e-3


def test_linkk_blocking_needs_capacitance():
    Z = 10 + 100 / (1 + 1j * W * 1e-4) + 1 / (1j * W * 1e-5)
    assert lin_kk((F, Z), M=40, capacitance=True).max_abs_residual < 1e-4
    assert pytest.approx(1e-5, rel=1e-3) == lin_kk((F, Z), M=40, capacitance=True).C_F


def test_drt_single_rc_peak_at_rc_with_area_r():
    Z = 10 + 100 / (1 + 1j * W * 1e-4)
    d = drt((F, Z))
    assert len(d.peaks) == 1
    assert d.peaks[0]["tau_s"] == pytest.approx(1e-4, rel=0.1)
    assert d.R_pol_ohm == pytest.approx(100.0, rel=0.05)
    assert d.R_inf_ohm == pytest.approx(10.0, rel=0.05)


def test_bad_m():
    with pytest.raises(InputError):
        lin_kk((F, 1 + 0j * F), M=0)
