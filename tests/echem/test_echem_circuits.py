"""Circuit grammar, element impedances (closed forms) and the PHYSICS §9.1 numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hylyte.echem.circuits import parse_circuit
from hylyte.echem.eis import (
    conductivity_from_resistance,
    cpe_effective_capacitance,
    rcpe_apex,
)
from hylyte.errors import HylyteError, InputError


def test_parse_names_and_offsets():
    c = parse_circuit("R0-p(R1,CPE1)-p(R2-Wo1,C2)-Ws3")
    assert c.param_names == ("R0.R", "R1.R", "CPE1.Q", "CPE1.n", "R2.R", "Wo1.R", "Wo1.tau",
                             "C2.C", "Ws3.R", "Ws3.tau")
    assert [a.resistor.label for a in c.arcs()] == ["R1"]


@pytest.mark.parametrize("text", [
    "__import__('os')", "__import__('os').system('ls')", "R0+R1", "R0-", "p(R1)", "p(R1,C1",
    "R0-X1", "R0-R0", "eval('1')", "R0;R1", "", "   ", "R0--R1", "p(,R1)", "R1)(", "lambda",
    "R0-p(R1,C1))", "Ω1", "R0\nimport os",
])
def test_bad_strings_raise_input_error_with_position(text):
    with pytest.raises(InputError, match=r"position|empty"):
        parse_circuit(text)


def test_attack_reports_first_position():
    with pytest.raises(InputError, match="position 0"):
        parse_circuit("__import__('os')")
    with pytest.raises(InputError, match="position 3"):
        parse_circuit("R0-_x")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("RCLQWGEPspo0123_(),- ;'\"x.+")), max_size=30)
       | st.text(max_size=30))
def test_fuzz_parser_only_raises_hylyte_errors(text):
    try:
        c = parse_circuit(text)
    except HylyteError:
        return
    z = c.impedance([1.0, 10.0], np.full(c.n_params, 0.5))
    assert z.shape == (2,)


def test_element_closed_forms():
    f = np.logspace(-2, 6, 9)
    w = 2 * np.pi * f
    Z = parse_circuit("R1-C1-L1").impedance(f, [10.0, 1e-6, 1e-6])
    np.testing.assert_allclose(Z, 10 + 1 / (1j * w * 1e-6) + 1j * w * 1e-6, rtol=1e-14)
    # CPE with n = 1 is a capacitor
    np.testing.assert_allclose(parse_circuit("CPE1").impedance(f, [1e-6, 1.0]),
                               1 / (1j * w * 1e-6), rtol=1e-12)
    # transmissive Warburg: Z -> R_d at low frequency, Warburg 1/sqrt(omega) at high
    zs = parse_circuit("Ws1").impedance([1e-9, 1e9], [50.0, 1.0])
    assert abs(zs[0] - 50.0) < 1e-6
    np.testing.assert_allclose(zs[1], 50 / np.sqrt(1j * 2 * np.pi * 1e9), rtol=1e-12)
    # reflective Warburg -> capacitor tau/R at low frequency: Z ~ R/(j w tau) + R/3
    wo = parse_circuit("Wo1").impedance([1e-6], [50.0, 1.0])[0]
    w0 = 2 * np.pi * 1e-6
    assert abs(wo - (50 / (1j * w0) + 50 / 3)) / abs(wo) < 1e-9
    # Gerischer limits
    zg = parse_circuit("G1").impedance([1e-9], [7.0, 1e-3])[0]
    assert abs(zg - 7.0) < 1e-9


def test_dc_resistance():
    c = parse_circuit("R0-p(R1,CPE1)-p(R2,C2)")
    assert c.dc_resistance([1, 2, 1e-6, 0.9, 3, 1e-6]) == pytest.approx(6.0)
    assert parse_circuit("R0-p(R1,C1)-CPE2").dc_resistance([1, 2, 1e-6, 1e-6, 0.8]) == np.inf


def test_rcpe_apex_physics_9_1():
    # PHYSICS §9.1: R = 100, Q = 1e-5, n = 0.8
    w0, z0 = rcpe_apex(100.0, 1e-5, 0.8)
    assert w0 == pytest.approx(5623.41, rel=1e-6)
    assert z0.real == pytest.approx(50.0, rel=1e-6)
    assert z0.imag == pytest.approx(-36.3271, rel=1e-6)
    # independent closed form of the apex height: (R/2) tan(n pi/4)
    assert -z0.imag == pytest.approx(50 * np.tan(0.8 * np.pi / 4), rel=1e-12)
    # the circuit evaluator agrees with the closed form at omega0
    zc = parse_circuit("p(R1,CPE1)").impedance(w0 / (2 * np.pi), [100.0, 1e-5, 0.8])
    assert abs(zc - z0) < 1e-12 * abs(z0)
    C = float(cpe_effective_capacitance(100.0, 1e-5, 0.8))
    assert pytest.approx(1.77828e-6, rel=1e-5) == C
    assert pytest.approx(w0, rel=1e-12) == 1 / (100.0 * C)


def test_conductivity_physics_9_1():
    # L = 100 um, A = 1 cm^2, R = 100 ohm -> 1e-4 S/cm = 1e-2 S/m
    s = conductivity_from_resistance(100.0, thickness_m=100e-6, area_m2=1e-4)
    assert float(s) / 100 == pytest.approx(1e-4, rel=1e-12)
    with pytest.raises(InputError):
        conductivity_from_resistance(-1.0, thickness_m=1e-4, area_m2=1e-4)


@pytest.mark.parametrize(("text", "params"), [
    ("R0-p(R1,CPE1)-p(R2,C2)-CPE3", [10, 100, 1e-6, 0.85, 1e3, 1e-8, 1e-5, 0.8]),
    ("Ws1-Wo2-G3-W4-L5-C6-Q7", [10, 1, 20, 0.1, 5, 1e-3, 3, 1e-6, 1e-5, 1e-4, 0.7]),
])
def test_analytic_jacobian_matches_finite_differences(text, params):
    c = parse_circuit(text)
    f = np.logspace(-1, 5, 13)
    p = np.asarray(params, dtype=float)
    z, d = c.impedance_and_jacobian(f, p)
    for i in range(p.size):
        h = 1e-5 * p[i]
        up, dn = p.copy(), p.copy()
        up[i] += h
        dn[i] -= h
        fd = (c.impedance(f, up) - c.impedance(f, dn)) / (2 * h)
        # central differences: truncation ~h^2, round-off ~1e-16 |Z|/h
        assert np.all(np.abs(d[i] - fd) <= 1e-6 * np.abs(d[i]) + 1e-9 * np.abs(z) / h)
