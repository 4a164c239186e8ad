"""Mechanics: PHYSICS.md section 6, checklist item 28."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from hylyte.physics.mechanics import (
    bulk_modulus,
    hs_elastic_bounds,
    monroe_newman_check,
    mori_tanaka,
    poisson_ratio,
    reuss,
    shear_modulus,
    voigt,
    youngs_modulus,
)


def test_item28_hs_and_mt_numbers():
    # PHYSICS.md 11 item 28: K1 1, G1 0.5, K2 10, G2 5 (GPa), phi2 0.4
    b = hs_elastic_bounds([1.0, 10.0], [0.5, 5.0], [0.6, 0.4])
    assert_allclose([b.K_lower, b.K_upper, b.G_lower, b.G_upper],
                    [1.849057, 3.112245, 1.001114, 1.735977], rtol=1e-6)
    # the explicit two-phase HS formulas of PHYSICS.md 6
    K1, G1, K2, G2, p1, p2 = 1.0, 0.5, 10.0, 5.0, 0.6, 0.4
    Km = K1 + p2 / (1 / (K2 - K1) + 3 * p1 / (3 * K1 + 4 * G1))
    Gm = G1 + p2 / (1 / (G2 - G1) + 6 * p1 * (K1 + 2 * G1) / (5 * G1 * (3 * K1 + 4 * G1)))
    assert_allclose([b.K_lower, b.G_lower], [Km, Gm], rtol=1e-13)
    K, G = mori_tanaka(1.0, 0.5, 10.0, 5.0, 0.4)
    assert_allclose([K, G], [b.K_lower, b.G_lower], rtol=1e-13)  # MT = HS- (soft matrix)
    for M, lo, hi in (([1.0, 10.0], b.K_lower, b.K_upper), ([0.5, 5.0], b.G_lower, b.G_upper)):
        assert voigt(M, [0.6, 0.4]) >= hi >= lo >= reuss(M, [0.6, 0.4])


def test_llzo_in_peo_monroe_newman():
    # PHYSICS.md 6: LLZO (150 GPa, 0.26) in PEO (0.3 GPa, 0.45), phi 0.5:
    # G- = 0.3453 GPa, G+ = 20.29 GPa -> fails on the particulate (lower) estimate
    K = [bulk_modulus(0.3e9, 0.45), bulk_modulus(150e9, 0.26)]
    G = [shear_modulus(0.3e9, 0.45), shear_modulus(150e9, 0.26)]
    b = hs_elastic_bounds(K, G, [0.5, 0.5])
    assert_allclose(b.G_lower / 1e9, 0.3453, rtol=1e-3)
    assert_allclose(b.G_upper / 1e9, 20.29, rtol=1e-3)
    mn = monroe_newman_check(b.G_lower, b.G_upper)
    assert mn.G_required == 8.5e9
    assert not mn.passes_lower_bound
    assert mn.passes_upper_bound
    assert mn.verdict == "inconclusive"
    assert mn.indicative
    assert any("Li creeps" in c for c in mn.caveats)
    assert len(mn.caveats) == 4


def test_conversions_round_trip():
    E, nu = 150e9, 0.26
    K, G = bulk_modulus(E, nu), shear_modulus(E, nu)
    assert_allclose(youngs_modulus(K, G), E, rtol=1e-14)
    assert_allclose(poisson_ratio(K, G), nu, rtol=1e-13)


@settings(max_examples=100, deadline=None)
@given(st.floats(-1, 2), st.floats(-1, 2), st.floats(0.1, 0.45), st.floats(0.1, 0.45),
       st.floats(0, 1))
def test_bound_ordering(le1, le2, n1, n2, phi):
    E1, E2 = 10.0**le1, 10.0**le2
    K = np.array([bulk_modulus(E1, n1), bulk_modulus(E2, n2)])
    G = np.array([shear_modulus(E1, n1), shear_modulus(E2, n2)])
    f = [1 - phi, phi]
    b = hs_elastic_bounds(K, G, f)
    t = 1e-12
    assert reuss(K, f) <= b.K_lower * (1 + t)
    assert b.K_lower <= b.K_upper * (1 + t)
    assert b.K_upper <= voigt(K, f) * (1 + t)
    assert reuss(G, f) <= b.G_lower * (1 + t)
    assert b.G_lower <= b.G_upper * (1 + t)
    assert b.G_upper <= voigt(G, f) * (1 + t)
