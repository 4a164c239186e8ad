"""Three-pathway model and current fractions: PHYSICS.md 3.9 (item 22 companions)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics import emt
from hylyte.physics.pathways import three_pathway


def total(r):
    return np.asarray(r.f_polymer) + np.asarray(r.f_interphase) + np.asarray(r.f_ceramic)


def test_reduces_to_two_phase_bruggeman():
    # no interphase, no R_int: f_c = 0.6197316 (PHYSICS.md 11 item 22), sigma = 2.261208
    r = three_pathway(1.0, 10.0, 0.3, radius=1e-6)
    assert_allclose(r.sigma_eff, 2.261208, rtol=1e-6)
    assert_allclose(r.f_ceramic, 0.6197316, rtol=1e-6)
    # exact two-phase formula (model-independent) on the same sigma_eff
    assert_allclose(r.f_ceramic, emt.current_fractions_two_phase(1.0, 10.0, r.sigma_eff)[1],
                    rtol=1e-12)
    assert abs(total(r) - 1) <= 1e-12


def test_three_phase_matches_general_bruggeman():
    r = three_pathway(1e-3, 0.05, 0.2, radius=50e-9, interphase_ratio=10.0, t_i=3e-9)
    ref = emt.bruggeman([1e-3, 1e-2, 0.05], [r.phi_polymer, r.phi_interphase, r.phi_ceramic])
    assert_allclose(r.sigma_eff, ref, rtol=1e-12)
    f = emt.current_fractions_bruggeman([1e-3, 1e-2, 0.05],
                                        [r.phi_polymer, r.phi_interphase, r.phi_ceramic])
    assert_allclose([r.f_polymer, r.f_interphase, r.f_ceramic], f, rtol=1e-10)


def test_shift_to_ceramic_with_loading_and_funnelling():
    phi = np.linspace(0.01, 0.6, 30)
    r = three_pathway(1e-4 * np.ones_like(phi), 1e-1, phi, radius=1e-6)
    assert np.all(np.diff(r.f_ceramic) > 0)
    assert r.f_polymer[0] > 0.9  # low loading: polymer carries most current
    assert r.f_ceramic[-1] > 0.9  # high loading: ceramic takes over
    # dilute high-sigma phase: f_c ~ 3 phi_c (PHYSICS.md 3.9)
    small = three_pathway(1e-4, 1e2, 1e-4, radius=1e-6)
    assert_allclose(small.f_ceramic, 3e-4, rtol=1e-3)


def test_large_interface_resistance_blocks_ceramic():
    fc = [float(three_pathway(1e-3, 0.1, 0.3, radius=1e-6, R_int=R).f_ceramic)
          for R in (0.0, 1e-3, 1e-1, 1e3, 1e9)]
    assert np.all(np.diff(fc) < 0)
    assert fc[-1] < 1e-8


def test_interphase_dominates_for_small_particles():
    big = three_pathway(1e-4, 1e-4, 0.2, radius=5e-6, interphase_ratio=100.0, t_i=3e-9,
                        R_int=1e-2)
    small = three_pathway(1e-4, 1e-4, 0.2, radius=5e-9, interphase_ratio=100.0, t_i=3e-9,
                          R_int=1e-2)
    assert small.f_interphase > 0.5 > big.f_interphase


def test_coated_variant():
    # t = 0: coated grains are the bare particles -> two-phase Bruggeman
    r = three_pathway(1.0, 10.0, 0.3, radius=1e-6, method="coated")
    assert_allclose(r.sigma_eff, 2.261208, rtol=1e-6)
    assert_allclose(r.f_ceramic, 0.6197316, rtol=1e-6)
    # shell equal to the core: the split follows the volumes of core and shell exactly
    r = three_pathway(1.0, 10.0, 0.2, radius=1e-6, sigma_i=10.0, t_i=1e-7, method="coated")
    pe = 0.2 * 1.1**3
    assert_allclose(r.sigma_eff, emt.bruggeman([1.0, 10.0], [1 - pe, pe]), rtol=1e-12)
    assert_allclose(r.f_ceramic / (r.f_ceramic + r.f_interphase), 0.2 / pe, rtol=1e-12)
    assert abs(total(r) - 1) <= 1e-12


def test_shapes_and_alignment():
    # aligned continuous fibres (aspect -> inf) along the axis: parallel bound
    r = three_pathway(1.0, 10.0, 0.3, radius=1e-6, shape="fibre", aspect=1e12,
                      orientation="aligned")
    assert_allclose(r.sigma_eff[0], 3.7, rtol=1e-9)
    assert_allclose(r.f_ceramic[0], 3.0 / 3.7, rtol=1e-9)
    assert np.all(np.abs(total(r) - 1) <= 1e-12)
    # random fibres percolate earlier than spheres: more current in the ceramic
    sph = three_pathway(1e-4, 1e-1, 0.15, radius=1e-6)
    fib = three_pathway(1e-4, 1e-1, 0.15, radius=1e-6, shape="fibre", aspect=50.0)
    assert fib.f_ceramic > sph.f_ceramic
    assert fib.emt.percolating
    assert not sph.emt.percolating
    sheet = three_pathway(1e-4, 1e-1, 0.15, radius=1e-6, shape="sheet", aspect=0.02)
    assert abs(total(sheet) - 1) <= 1e-12


def test_framework_aligned_is_parallel():
    r = three_pathway(1.0, 10.0, 0.3, radius=1e-6, shape="framework", framework="aligned")
    assert_allclose(r.sigma_eff, 3.7, rtol=1e-14)
    assert_allclose(r.f_ceramic, 3.0 / 3.7, rtol=1e-14)
    assert abs(total(r) - 1) <= 1e-12


@settings(max_examples=60, deadline=None)
@given(st.floats(-6, -2), st.floats(-6, 0), st.floats(0.0, 0.7), st.floats(-8.5, -5),
       st.floats(0, 2), st.floats(0, 5e-9), st.floats(-6, 0),
       st.sampled_from(["sphere", "fibre", "sheet"]))
def test_fractions_sum_to_one(lp, lc, phi, lr, lratio, t, lR, shape):
    r = three_pathway(10.0**lp, 10.0**lc, phi, radius=10.0**lr, interphase_ratio=10.0**lratio,
                      t_i=t, R_int=10.0**lR, shape=shape)
    assert abs(total(r) - 1) <= 1e-12
    assert r.emt.within_wiener


def test_errors():
    with pytest.raises(InputError, match="shape"):
        three_pathway(1.0, 1.0, 0.1, radius=1e-6, shape="cube")
    with pytest.raises(InputError, match="not both"):
        three_pathway(1.0, 1.0, 0.1, radius=1e-6, sigma_i=1.0, interphase_ratio=2.0)
