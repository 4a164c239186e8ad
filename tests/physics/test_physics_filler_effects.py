"""Filler effects on the polymer host (Croce et al. 1998, doi:10.1038/28818; PHYSICS.md 1.4)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from hylyte.physics import emt
from hylyte.physics.filler_effects import (
    crystallinity_with_filler,
    dissociation_enhancement,
    filler_modified_conductivity,
    semicrystalline_conductivity,
)


def test_mechanisms_off_is_plain_bruggeman_with_insulator():
    # no crystallinity, no surface sites: Bruggeman with an insulator,
    # sigma (3 phi_p - 1)/2 (PHYSICS.md 3.4)
    phi = np.array([0.0, 0.2, 0.5, 0.7])
    r = filler_modified_conductivity(1.0, phi, radius=10e-9, site_density=0.0)
    assert_allclose(r.sigma_eff, np.clip((3 * (1 - phi) - 1) / 2, 0, None), rtol=1e-12)


def test_chi_zero_returns_g_sigma_am():
    # PHYSICS.md 1.4 test: chi_c0 = 0 returns sigma_am g
    assert_allclose(semicrystalline_conductivity(2.0, 0.0, g=0.3), 0.6, rtol=1e-14)
    assert_allclose(crystallinity_with_filler(0.3, chi_c0=0.0), 0.0)


def test_geometry_alone_lowers_sigma_2_to_4x():
    # PHYSICS.md 1.4: g = 1 lowers sigma only ~2-4x at chi_c ~ 0.4-0.5
    ratio = 1.0 / semicrystalline_conductivity(1.0, np.array([0.4, 0.5]))
    assert np.all((ratio > 1.5) & (ratio < 4.5))


def test_passive_filler_maximum_near_5_to_15_percent():
    # observed maximum near 5-15 vol% (Croce 1998): rise at low loading, dilution at high
    phi = np.linspace(0.0, 0.6, 121)
    for r, chi0 in ((5e-9, 0.0), (10e-9, 0.0), (10e-9, 0.4)):
        s = filler_modified_conductivity(1e-3, phi, radius=r, chi_c0=chi0).sigma_eff
        k = int(np.argmax(s))
        assert 0.05 <= phi[k] <= 0.17, (r, chi0, phi[k])
        assert s[k] > s[0]
        assert s[-1] < s[0]


def test_dissociation_saturates():
    e = dissociation_enhancement(np.array([0.0, 0.5]), radius=1e-9, alpha_0=0.3, alpha_max=0.6)
    assert_allclose(e, [1.0, 2.0], rtol=1e-9)  # 1 - exp(-24) at full coverage


def test_active_filler_with_resistance_uses_equivalent_particle():
    r = filler_modified_conductivity(1e-3, 0.3, radius=1e-6, sigma_filler=0.05, R_int=1e-2,
                                     site_density=0.0)
    ref = emt.bruggeman([1e-3, 0.05 / (1 + 1e-2 * 0.05 / 1e-6)], [0.7, 0.3])
    assert_allclose(r.sigma_eff, ref, rtol=1e-14)
