"""Interphase shells and interface resistance: PHYSICS.md 3.6-3.7, checklist items 18-20."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics import emt
from hylyte.physics.interphase import (
    coated_cylinder,
    coated_sphere,
    coated_sphere_mg,
    critical_radius,
    hasselman_johnson,
    interphase_volume_fraction,
    sigma_c_eq,
    surface_conduction_limit,
)


def test_item18_coated_sphere_numbers():
    # PHYSICS.md 11 item 18: sigma_s 1e-2, t 3 nm, insulating core
    assert_allclose(coated_sphere(0.0, 1e-2, 50e-9, 3e-9), 1.129593e-3, rtol=1e-6)
    assert_allclose(coated_sphere(0.0, 1e-2, 5e-6, 3e-9), 1.199280e-5, rtol=1e-6)
    # surface limit 2 Sigma_s / r = 1.2e-3 (50 nm); within 0.1 % at 5 um
    lim = surface_conduction_limit(0.0, 1e-2 * 3e-9, 5e-6)
    assert abs(coated_sphere(0.0, 1e-2, 5e-6, 3e-9) / lim - 1) < 1e-3
    assert_allclose(surface_conduction_limit(0.0, 3e-11, 50e-9), 1.2e-3, rtol=1e-14)


def test_coated_sphere_limits():
    # PHYSICS.md 3.6: t -> 0 gives sigma_c; sigma_s = sigma_c gives sigma_c;
    # insulating core gives sigma_s 2(1 - delta)/(2 + delta)
    assert_allclose(coated_sphere(0.3, 5.0, 1e-6, 0.0), 0.3, rtol=1e-14)
    assert_allclose(coated_sphere(0.3, 0.3, 1e-6, 2e-7), 0.3, rtol=1e-14)
    delta = (1.0 / 1.2) ** 3
    assert_allclose(coated_sphere(0.0, 2.0, 1e-6, 2e-7), 2.0 * 2 * (1 - delta) / (2 + delta),
                    rtol=1e-14)
    # the coated sphere is MG with the shell as matrix and delta as the core fraction
    assert_allclose(coated_sphere(7.0, 2.0, 1e-6, 2e-7), emt.maxwell_garnett(2.0, 7.0, delta),
                    rtol=1e-14)
    # 2D analogue: coated cylinder = 2D MG (N = 1/2)
    d2 = (1.0 / 1.2) ** 2
    assert_allclose(coated_cylinder(7.0, 2.0, 1e-6, 2e-7),
                    emt.mg_ellipsoid_axis(2.0, 7.0, d2, 0.5), rtol=1e-14)


def test_surface_limit_is_the_thin_shell_limit():
    # t -> 0 at fixed Sigma_s = sigma_s t: the coated sphere approaches sigma_c + 2 Sigma_s / r
    r, S = 1e-6, 1e-9
    t = 1e-12
    assert_allclose(coated_sphere(0.01, S / t, r, t), surface_conduction_limit(0.01, S, r),
                    rtol=1e-5)
    d2 = (r / (r + t)) ** 2
    # cylinder transverse: sigma_c + Sigma_s / r
    assert_allclose(coated_cylinder(0.01, S / t, r, t) * 1.0,
                    surface_conduction_limit(0.01, S, r, shape="cylinder_transverse"),
                    rtol=1e-5)
    # cylinder axial: area-weighted parallel mean -> sigma_c + 2 Sigma_s / r
    axial = d2 * 0.01 + (1 - d2) * S / t
    assert_allclose(axial, surface_conduction_limit(0.01, S, r, shape="cylinder_axial"),
                    rtol=1e-5)


def test_item19_size_effect():
    # PHYSICS.md 11 item 19: sigma_p 1e-3, phi 0.1, shell 1e-2 S/m, 3 nm, insulating core
    vals = [coated_sphere_mg(1e-3, 0.0, 1e-2, 0.1, r=r, t=3e-9) / 1e-3
            for r in (25e-9, 50e-9, 500e-9)]
    assert_allclose(vals, [1.119584, 1.014869, 0.878223], rtol=1e-6)


def test_item20_interface_resistance():
    # PHYSICS.md 11 item 20: sigma_c 0.05, R 1e-2 ohm m2, d = 1 um
    assert_allclose(sigma_c_eq(0.05, 1e-2, 0.5e-6), 4.995005e-5, rtol=1e-6)
    a_c = critical_radius(1e-3, 0.05, 1e-2)
    assert_allclose(a_c, 1.020408e-5, rtol=1e-6)
    for phi in (0.1, 0.3, 0.5):
        assert_allclose(hasselman_johnson(1e-3, 0.05, phi, radius=a_c, R_int=1e-2), 1e-3,
                        rtol=1e-12)
    # smaller particles lower sigma, larger raise it
    assert hasselman_johnson(1e-3, 0.05, 0.3, radius=a_c / 2, R_int=1e-2) < 1e-3
    assert hasselman_johnson(1e-3, 0.05, 0.3, radius=a_c * 2, R_int=1e-2) > 1e-3


def test_hasselman_johnson_is_mg_with_equivalent_particle():
    # R_int = 0 recovers MG; in general HJ = MG(sigma_m, sigma_c_eq)
    phi = np.linspace(0, 0.5, 6)
    assert_allclose(hasselman_johnson(1e-3, 0.05, phi, radius=1e-6, R_int=0.0),
                    emt.maxwell_garnett(1e-3, 0.05, phi), rtol=1e-14)
    assert_allclose(hasselman_johnson(1e-3, 0.05, phi, radius=1e-6, R_int=3e-3),
                    emt.maxwell_garnett(1e-3, sigma_c_eq(0.05, 3e-3, 1e-6), phi), rtol=1e-13)
    # platelet / fibre axial: 1D series form sigma_c/(1 + 2 R sigma_c / l)
    assert_allclose(sigma_c_eq(0.05, 1e-2, 2e-6, shape="platelet"), 0.05 / (1 + 2 * 1e-2 *
                    0.05 / 2e-6), rtol=1e-14)


def test_interphase_fraction_limits():
    # PHYSICS.md 3.6: -> phi[(1+t/r)^3 - 1] at low phi; saturates at 1 - phi
    g = (1 + 3e-9 / 50e-9) ** 3 - 1
    assert_allclose(interphase_volume_fraction(1e-6, 50e-9, 3e-9), 1e-6 * g, rtol=1e-5)
    assert_allclose(interphase_volume_fraction(0.4, 1e-9, 1e-6), 0.6, rtol=1e-12)
    assert interphase_volume_fraction(0.0, 1e-9, 1e-9) == 0.0


def test_errors():
    with pytest.raises(InputError, match="shape"):
        sigma_c_eq(1.0, 1.0, 1.0, shape="cube")
    with pytest.raises(InputError, match="r must be > 0"):
        coated_sphere(1.0, 1.0, 0.0, 1.0)
    with pytest.raises(InputError, match="shells do not fit"):
        coated_sphere_mg(1.0, 1.0, 1.0, 0.9, r=1e-9, t=1e-9)
    assert critical_radius(1.0, 0.5, 1.0) == np.inf
