"""Stacks: ASR, limiting current, Sand time, T for a target ASR (PHYSICS.md 5; items 25-26)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics.stack import (
    Interface,
    Layer,
    interface_asr,
    limiting_current,
    sand_time,
    stack_asr,
    stack_limiting_current,
    temperature_for_asr,
)
from hylyte.units import F_CONST, K_B_EV


def arrhenius(sigma_ref, Ea, T_ref=298.15):
    return lambda T: sigma_ref * np.exp(-Ea / K_B_EV * (1 / np.asarray(T) - 1 / T_ref))


def test_item25_limiting_current_and_sand_time():
    # PHYSICS.md 11 item 25: D 1e-12, c0 1000, L 50 um, t+ 0.2 -> 4.824267 A/m2;
    # t_Sand(10 A/m2) = 114.2438 s
    assert_allclose(limiting_current(1e-12, 1000.0, 50e-6, 0.2), 4.824267, rtol=1e-6)
    assert_allclose(limiting_current(1e-12, 1000.0, 5e-6, 0.2), 48.24267, rtol=1e-6)
    assert_allclose(sand_time(10.0, 1e-12, 1000.0, 0.2), 114.2438, rtol=1e-6)
    assert limiting_current(1e-12, 1000.0, 50e-6, 1.0) == np.inf


def test_stack_limiting_current_ignores_single_ion_layers():
    lay = [Layer("PEO-a", 5e-6, 1e-2, rho_plus=0.2, D_salt=1e-12, c0=1000.0),
           Layer("LLZO", 100e-6, 1e-1),
           Layer("PEO-c", 50e-6, 1e-2, rho_plus=0.2, D_salt=1e-12, c0=1000.0)]
    i, name = stack_limiting_current(lay)
    assert name == "PEO-c"
    assert_allclose(i, 2 * F_CONST * 1e-12 * 1000 / (0.8 * 50e-6), rtol=1e-14)
    with pytest.raises(InputError, match="D_salt"):
        stack_limiting_current([Layer("p", 1e-6, 1.0, rho_plus=0.3)])


def test_item26_temperature_for_target_asr():
    # PHYSICS.md 11 item 26 / 5.4: sigma(25 C) 1e-4 S/cm, Ea 0.35 eV, L 100 um, ASR* 10 ohm cm2
    # -> T* = 358.796 K; closed form T* = Ea/(k ln(ASR* A / L)), A = sigma_ref e^{Ea/k T_ref}
    lay = [Layer("SE", 100e-6, arrhenius(1e-2, 0.35))]
    T = temperature_for_asr(lay, asr_target=1e-3)
    A = 1e-2 * np.exp(0.35 / (K_B_EV * 298.15))
    closed = 0.35 / (K_B_EV * np.log(1e-3 * A / 100e-6))
    assert abs(T - 358.796) < 0.01
    assert abs(T - closed) < 1e-6
    # no root in the bracket -> None
    assert temperature_for_asr(lay, asr_target=1e-9, T_max=400.0) is None


def test_vtf_domain_honoured():
    B, T0 = 1100.0, 180.0
    lay = [Layer("PEO", 20e-6, lambda T: 40.0 * np.exp(-B / (np.asarray(T) - T0)), T_min=T0)]
    with pytest.raises(InputError, match="above 180"):
        stack_asr(lay, T=170.0)
    T = temperature_for_asr(lay, asr_target=1e-3, T_min=100.0, T_max=500.0)
    # closed form for one VTF layer: L / (A exp(-B/(T-T0))) = ASR*
    assert_allclose(T, T0 + B / np.log(40.0 * 1e-3 / 20e-6), rtol=1e-9)


def test_asr_breakdown_and_interfaces():
    lay = [Layer("a", 10e-6, 1e-2), Layer("b", 100e-6, arrhenius(1e-1, 0.3))]
    itf = [Interface("Li|a", 1e-3, Ea=0.5), Interface("a|b", 2e-3, Ea=0.0)]
    T = np.array([298.15, 333.15])
    r = stack_asr(lay, itf, T=T)
    assert_allclose(r.layers["a"], 1e-3, rtol=1e-14)
    assert_allclose(r.interfaces["Li|a"][0], 1e-3, rtol=1e-14)
    assert_allclose(r.interfaces["Li|a"][1],
                    1e-3 * np.exp(0.5 / K_B_EV * (1 / 333.15 - 1 / 298.15)), rtol=1e-14)
    assert_allclose(r.total, r.layers["a"] + r.layers["b"] + r.interfaces["Li|a"] + 2e-3,
                    rtol=1e-14)
    assert_allclose(interface_asr(298.15, 5.0, Ea=0.7), 5.0, rtol=1e-14)
    with pytest.raises(InputError, match="unique"):
        stack_asr([Layer("a", 1e-6, 1.0), Layer("a", 1e-6, 1.0)], T=300.0)
