import numpy as np
import pytest
from numpy.testing import assert_allclose
from sweep_models import FILLERS, POLYMER, base_design, composite_rows, mg

from hylyte.errors import InputError
from hylyte.sweep.optimise import optimise
from hylyte.sweep.plan import plan_from_dict
from hylyte.sweep.sensitivity import one_at_a_time, sobol_indices


def linear_rows(design):
    x, y, z = (float(design["p"][k]) for k in ("x", "y", "z"))
    return [{"T_K": 298.15, "f": x + 2.0 * y + 0.0 * z}]


def _linear_plan():
    return plan_from_dict({"base": {"p": {"x": 0.0, "y": 0.0, "z": 0.0}},
                           "sampling": {"method": "lhs", "n": 8},
                           "axes": {"p.x": {"start": 0.0, "stop": 1.0},
                                    "p.y": {"start": 0.0, "stop": 1.0},
                                    "p.z": {"start": 0.0, "stop": 3.0}}})


def test_oat_swings_of_a_linear_function():
    res = one_at_a_time(_linear_plan(), "f", eval_fn=linear_rows)
    # f = x + 2y: swing = coefficient * range; z does nothing
    assert_allclose(res.indices["swing"], [1.0, 2.0, 0.0], atol=1e-12)
    assert_allclose(res.indices["low"], [0.0 + 1.0, 0.5, 1.5], atol=1e-12)
    assert res.n_evaluations == 1 + 3 * 5


def test_sobol_indices_of_an_additive_linear_function():
    # Y = x + 2y with x, y ~ U(0, 1): Var = 1/12 + 4/12, so S_x = 0.2, S_y = 0.8, S_z = 0,
    # and S_T = S_1 for an additive function (Saltelli et al., Global Sensitivity Analysis,
    # 2008, ch. 1); sampling error at n = 1024 is a few 0.01
    res = sobol_indices(_linear_plan(), "f", eval_fn=linear_rows, n=1024, seed=2)
    assert_allclose(res.indices["S1"], [0.2, 0.8, 0.0], atol=0.04)
    assert_allclose(res.indices["ST"], [0.2, 0.8, 0.0], atol=0.04)
    assert res.n_evaluations == 1024 * 5
    with pytest.raises(InputError, match="power of 2"):
        sobol_indices(_linear_plan(), "f", eval_fn=linear_rows, n=100)


def _opt_plan():
    return plan_from_dict({
        "base": base_design(),
        "axes": {"fillers.0.fraction": {"start": "0 vol%", "stop": "40 vol%"},
                 "thickness": {"start": "10 um", "stop": "40 um"}},
    })


def _phi_for(sigma_target, sm, sf):
    # invert MG: sigma/sm = (1 + 2 phi b)/(1 - phi b), b = (sf - sm)/(sf + 2 sm)
    r = sigma_target / sm
    b = (sf - sm) / (sf + 2 * sm)
    return (r - 1) / (b * (2 + r))


def test_inverse_design_finds_the_closed_form_optimum():
    # least mass with ASR <= 500 ohm cm^2 at 25 degC: mass grows with L and phi (ceramic is
    # denser), ASR = L / sigma(phi): the optimum is L at its lower bound (10 um) and the
    # smallest phi with sigma(phi) = L / ASR*
    sm, (sf, _, rho_c), rho_p = POLYMER[0], FILLERS["LLZTO"], POLYMER[2]
    L = 10e-6
    sigma_needed = L / (500 * 1e-4)
    phi = _phi_for(sigma_needed, sm, sf)
    assert 0 < phi < 0.4
    mass = L * (rho_p * (1 - phi) + rho_c * phi) * 1e3
    res = optimise(_opt_plan(), objective="electrolyte_mass_g_per_m2:min",
                   targets=["asr_ohm_cm2 <= 500"], eval_fn=composite_rows, T_K=298.15, seed=1)
    assert res.reachable
    assert_allclose(res.inputs["thickness_um"], 10.0, rtol=1e-4)
    assert_allclose(res.inputs["fillers_0_fraction_vol_pct"], phi * 100, rtol=1e-3)
    assert_allclose(res.objective_value, mass, rtol=1e-4)
    assert res.row["asr_ohm_cm2"] <= 500 * (1 + 1e-6)


def test_unreachable_target_reports_best_achievable():
    # ASR <= 20 ohm cm^2 needs sigma >= 5e-3 S/m at 10 um; MG at phi = 0.4 gives far less,
    # so the best achievable ASR is L_min / sigma_MG(0.4)
    sm, sf = POLYMER[0], FILLERS["LLZTO"][0]
    best_asr = 10e-6 / mg(sm, sf, 0.4) * 1e4
    res = optimise(_opt_plan(), objective="electrolyte_mass_g_per_m2:min",
                   targets=["asr_ohm_cm2 <= 20"], eval_fn=composite_rows, T_K=298.15, seed=1)
    assert not res.reachable
    assert res.violation > 0
    assert_allclose(res.best_achievable["asr_ohm_cm2"], best_asr, rtol=1e-4)
    assert "not reachable" in res.message


def test_slsqp_and_categorical_enumeration():
    plan = plan_from_dict({
        "base": base_design(),
        "axes": {"fillers.0.fraction": {"start": "0 vol%", "stop": "40 vol%"},
                 "fillers.0.material": ["SiO2", "LLZTO", "LATP"]},
    })
    # best conductivity at 25 degC: LLZTO (largest sigma) at the largest phi, closed form
    res = optimise(plan, objective="conductivity_S_per_cm:max", eval_fn=composite_rows,
                   T_K=298.15, method="slsqp", seed=0)
    assert res.inputs["fillers_0_material"] == "LLZTO"
    assert_allclose(res.objective_value, mg(POLYMER[0], FILLERS["LLZTO"][0], 0.4) / 100,
                    rtol=1e-6)
    with pytest.raises(InputError, match="comparison"):
        optimise(plan, targets=["asr_ohm_cm2"], eval_fn=composite_rows, T_K=298.15)
    with pytest.raises(InputError, match="T_K"):
        optimise(plan, objective="asr_ohm_cm2:min", eval_fn=composite_rows, T_K=300.0)


def test_oat_uses_reference_middle():
    plan = _opt_plan()
    res = one_at_a_time(plan, "asr_ohm_cm2", eval_fn=composite_rows, T_K=298.15)
    assert res.reference["thickness_um"] == 25.0
    # ASR is proportional to L at fixed phi: swing over L in [10, 40] um is 30/25 of ASR(ref)
    ref_rows = composite_rows(plan.design_for(res.reference))
    asr_ref = next(r["asr_ohm_cm2"] for r in ref_rows if r["T_K"] == 298.15)
    assert_allclose(res.indices["swing"][1], asr_ref * 30 / 25, rtol=1e-9)
    assert np.all(res.indices["swing"] >= 0)
