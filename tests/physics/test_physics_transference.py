"""Composite and stack transference numbers: PHYSICS.md section 4, checklist items 23-24."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics import emt
from hylyte.physics.transference import composite_t_plus, stack_t_plus, t_plus_from_emt


@pytest.mark.parametrize("model", ["bruggeman", "maxwell_garnett", "parallel",
                                   "mg_random_spheroids"])
def test_item23_passive_filler_leaves_rho_unchanged(model):
    # PHYSICS.md 11 item 23: EMT is homogeneous of degree 1 -> t+ = rho+ exactly
    t = composite_t_plus(1e-3, 0.0, np.array([0.1, 0.3, 0.5]), rho_plus=0.2, model=model,
                         aspect=5.0)
    assert_allclose(t, 0.2, rtol=1e-14)


def test_item23_parallel_continuous_ceramic():
    # PHYSICS.md 11 item 23: (0.7*0.2 + 0.3*10)/(0.7 + 3) = 0.8486486
    t = composite_t_plus(1.0, 10.0, 0.3, rho_plus=0.2, model="parallel")
    assert_allclose(t, 0.8486486, rtol=1e-6)
    assert_allclose(t, (0.7 * 0.2 + 3.0) / 3.7, rtol=1e-14)


def test_pure_ceramic_gives_one_and_same_emt_used():
    assert_allclose(composite_t_plus(1.0, 10.0, 1.0, rho_plus=0.2), 1.0, rtol=1e-14)
    # generic wrapper: same ratio as two explicit Bruggeman calls
    t = t_plus_from_emt(lambda a, b: emt.bruggeman([a, b], [0.6, 0.4]), 1e-3, 1e-2,
                        rho_plus=0.25)
    ref = emt.bruggeman([0.25e-3, 1e-2], [0.6, 0.4]) / emt.bruggeman([1e-3, 1e-2], [0.6, 0.4])
    assert_allclose(t, ref, rtol=1e-14)


@settings(max_examples=80, deadline=None)
@given(st.floats(-6, 0), st.floats(-6, 1), st.floats(0.0, 1.0), st.floats(0.01, 1.0),
       st.sampled_from(["bruggeman", "maxwell_garnett", "series", "parallel"]))
def test_t_plus_between_rho_and_one(lp, lc, phi, rho, model):
    t = composite_t_plus(10.0**lp, 10.0**lc, phi, rho_plus=rho, model=model)
    assert rho * (1 - 1e-12) <= t <= 1 + 1e-12


def test_item24_stack():
    # PHYSICS.md 11 item 24: 5|100|5 um; 1e-4 / 1e-3 S/cm; rho+ 0.2 -> 1/3
    r = stack_t_plus([5e-6, 100e-6, 5e-6], [1e-2, 1e-1, 1e-2], [0.2, 1.0, 0.2])
    assert_allclose(r.t_plus, 1 / 3, rtol=1e-14)
    assert_allclose(r.R_ohm, 20e-4, rtol=1e-14)  # 20 ohm cm2
    assert_allclose(r.R_ss, 60e-4, rtol=1e-14)
    # 2 x 50 ohm cm2 Li-only interfaces: retention ratio 0.75 (PHYSICS.md 4.3)
    r = stack_t_plus([5e-6, 100e-6, 5e-6], [1e-2, 1e-1, 1e-2], [0.2, 1.0, 0.2],
                     interface_asr=[50e-4, 50e-4])
    assert_allclose(r.retention_ratio, 0.75, rtol=1e-14)
    # at 25 degC: 1e-6 / 5e-4 S/cm -> 0.2031873
    r = stack_t_plus([5e-6, 100e-6, 5e-6], [1e-4, 5e-2, 1e-4], [0.2, 1.0, 0.2])
    assert_allclose(r.t_plus, 0.2031873, rtol=1e-6)


def test_stack_errors():
    with pytest.raises(InputError, match="same number"):
        stack_t_plus([1e-6], [1.0, 2.0], [0.2])
    with pytest.raises(InputError, match="rho_plus"):
        stack_t_plus([1e-6], [1.0], [0.0])
    with pytest.raises(InputError, match="model"):
        composite_t_plus(1.0, 1.0, 0.1, rho_plus=0.2, model="x")
