"""Composition: PHYSICS.md section 2 and checklist items 8-9."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics.composition import (
    composite_density,
    filler_volume_fraction,
    mass_to_volume_fractions,
    peo_litfsi,
    volume_to_mass_fractions,
    with_porosity,
)


def test_item8_50wt_filler_volume_fraction():
    # PHYSICS.md 11 item 8: 50 wt% (5.1 g/cm3) in 1.2 g/cm3 -> phi = 0.1904762
    # (hand value (0.5/5.1)/(0.5/5.1 + 0.5/1.2) = 0.19047619...)
    phi = mass_to_volume_fractions([0.5, 0.5], [5100.0, 1200.0])
    assert_allclose(phi[0], 0.1904762, rtol=1e-6)
    ff = filler_volume_fraction(0.5, rho_filler=5100.0, rho_matrix=1200.0, basis="total")
    assert_allclose(ff.phi_filler, 0.1904762, rtol=1e-6)
    # round trip is exact
    w = volume_to_mass_fractions(phi, [5100.0, 1200.0])
    assert_allclose(w, [0.5, 0.5], rtol=0, atol=1e-12)


def test_item9_peo_litfsi_eo20():
    # PHYSICS.md 11 item 9 / 2.2: EO:Li = 20 -> w_salt 0.2457647, rho 1.237439 g/cm3,
    # c 1.059315 mol/L, b 1.134996 mol/kg
    s = peo_litfsi(20)
    assert_allclose(s.w_salt, 0.2457647, rtol=1e-6)
    assert_allclose(s.density, 1237.439, rtol=1e-6)
    assert_allclose(s.concentration, 1059.315, rtol=1e-6)
    assert_allclose(s.molality, 1.134996, rtol=1e-6)


def test_equal_densities_give_phi_equal_w():
    # PHYSICS.md 2.2: equal densities give phi = w
    w = np.array([0.2, 0.3, 0.5])
    assert_allclose(mass_to_volume_fractions(w, [1500.0] * 3), w, rtol=0, atol=1e-15)


@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=5),
       st.lists(st.floats(500.0, 9000.0), min_size=5, max_size=5))
def test_round_trip_exact(weights, rhos):
    w = np.array(weights) / np.sum(weights)
    rho = np.array(rhos[: len(w)])
    back = volume_to_mass_fractions(mass_to_volume_fractions(w, rho), rho)
    assert_allclose(back, w, rtol=0, atol=1e-12)


def test_density_two_forms_agree():
    # rho = sum phi rho = (sum w/rho)^-1 (PHYSICS.md 2.1)
    w = np.array([0.5, 0.5])
    rho = np.array([5100.0, 1200.0])
    phi = mass_to_volume_fractions(w, rho)
    assert_allclose(composite_density(phi, rho), 1.0 / np.sum(w / rho), rtol=1e-14)


def test_basis_conversion_by_hand():
    # 20 wt% relative to polymer, matrix with salt/polymer mass ratio 0.5:
    # per 1 g polymer: 0.5 g salt, 0.2 g filler -> w_f = 0.2/1.7
    ff = filler_volume_fraction(0.2, rho_filler=5000.0, rho_matrix=1250.0, basis="polymer",
                                salt_to_polymer_mass=0.5)
    assert_allclose(ff.w_filler, 0.2 / 1.7, rtol=1e-14)
    # relative to polymer + salt: w_f = L/(1+L)
    ff2 = filler_volume_fraction(0.2, rho_filler=5000.0, rho_matrix=1250.0,
                                 basis="polymer_salt")
    assert_allclose(ff2.w_filler, 0.2 / 1.2, rtol=1e-14)


def test_porosity_scales_fractions():
    out = with_porosity([0.3, 0.7], 0.1)
    assert_allclose(out, [0.27, 0.63, 0.1], rtol=1e-14)
    ff = filler_volume_fraction(0.5, rho_filler=5100.0, rho_matrix=1200.0, porosity=0.1)
    assert_allclose(ff.phi_filler + ff.phi_matrix + ff.phi_pores, 1.0, rtol=1e-14)
    assert_allclose(ff.phi_filler, 0.9 * 0.19047619047619047, rtol=1e-12)


def test_bad_inputs_raise():
    with pytest.raises(InputError, match="basis"):
        filler_volume_fraction(0.2, rho_filler=1.0, rho_matrix=1.0, basis="wt")
    with pytest.raises(InputError, match="w must add up"):
        mass_to_volume_fractions([0.2, 0.2], [1.0, 1.0])
    with pytest.raises(InputError, match="n_EO_Li"):
        peo_litfsi(-1)
