import itertools
import json
import tomllib

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sweep_models import FILLERS, POLYMER, base_design, composite_rows, mg
from typer.testing import CliRunner

from hylyte.cli import app
from hylyte.errors import DesignError
from hylyte.sweep.executor import run_sweep
from hylyte.sweep.plan import load_plan, plan_from_dict, plan_to_toml, points_plan_dict
from hylyte.sweep.surrogate import fit_from_store, plan_bounds, unit_inputs

FEATURES = ["fillers_0_fraction_vol_pct", "thickness_um"]
BASE_TOML = 'thickness = "20 um"\n[[fillers]]\nmaterial = "LLZTO"\nfraction = "10 vol%"\n'


def asr_closed_form(phi_pct, L_um):
    # ASR at 25 degC = L / sigma_MG(phi) [ohm cm^2] (Maxwell-Garnett, PHYSICS.md eq. 3.3)
    return L_um * 1e-6 / mg(POLYMER[0], FILLERS["LLZTO"][0], phi_pct / 100) * 1e4


@pytest.fixture(scope="module")
def lhs_store(tmp_path_factory):
    d = tmp_path_factory.mktemp("lhs")
    plan = plan_from_dict({
        "base": base_design(), "sampling": {"method": "lhs", "n": 30, "seed": 0},
        "axes": {"fillers.0.fraction": {"start": "0 vol%", "stop": "40 vol%"},
                 "thickness": {"start": "10 um", "stop": "100 um", "scale": "log"}}})
    run_sweep(plan, d / "res", eval_fn=composite_rows, executor="serial")
    return d / "res"


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_surrogate_cv_error_of_a_gp_on_a_smooth_function_is_small(lhs_store):
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--where", "T_degC = 25",
             "--log", "--json")
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["features"] == FEATURES
    assert res["n_train"] == 30
    assert res["cv_rel_rmse"] < 0.05
    assert res["cv_r2"] > 0.99
    # the text form prints the same numbers
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--where", "T_degC = 25", "--log")
    assert r.exit_code == 0, r.output
    assert "5-fold cross-validated error" in r.stdout
    assert f"{100 * res['cv_rel_rmse']:.3g} %" in r.stdout


def _posterior_var(kernel, U_train, C):
    # GP posterior variance by the closed form k(c,c) - k(c,X) (K + alpha I)^-1 k(X,c),
    # alpha = 1e-10 as in scikit-learn; independent of sklearn's predict
    K = kernel(U_train) + 1e-10 * np.eye(len(U_train))
    Ks = kernel(C, U_train)
    return kernel.diag(C) - np.einsum("ij,ji->i", Ks, np.linalg.solve(K, Ks.T))


def test_suggestions_are_where_the_gp_is_least_certain_and_the_file_runs(lhs_store, tmp_path):
    (tmp_path / "base.toml").write_text(BASE_TOML)
    space = tmp_path / "space.toml"
    space.write_text('name = "space"\nbase = "base.toml"\n[axes]\n'
                     '"fillers.0.fraction" = "linspace(0 vol%, 40 vol%, 9)"\n'
                     '"thickness" = "logspace(10 um, 100 um, 7)"\n')
    out = tmp_path / "next.toml"
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--where", "T_degC = 25",
             "--log", "--suggest", 4, "--plan", space, "-o", out, "--json")
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["n_candidates"] == 63  # the whole 9 x 7 grid; none of it is stored yet
    sugg = np.array([[s["inputs"][f] for f in FEATURES] for s in res["suggestions"]])
    # the candidate grid, built here from the axis definitions
    cand = np.array(list(itertools.product(np.linspace(0, 40, 9), np.geomspace(10, 100, 7))))
    idx = [int(np.flatnonzero(np.all(np.isclose(cand, s, rtol=1e-9), axis=1))[0]) for s in sugg]
    assert len(set(idx)) == 4
    # the same surrogate (same data, scaling and seed) through the Python API
    plan = load_plan(space)
    sur = fit_from_store(lhs_store, "asr_ohm_cm2", where="T_degC = 25", log_output=True,
                         bounds=plan_bounds(plan, FEATURES), rng=0)
    _, std = sur.predict(cand)
    assert idx[0] == int(np.argmax(std))  # the first pick: the largest predictive std
    assert_allclose([s["std"] for s in res["suggestions"]], std[idx], rtol=1e-6)
    # later picks: the largest posterior variance given the data and the earlier picks
    C = unit_inputs(cand, sur.bounds)
    U = sur.U_train
    for k, i in enumerate(idx):
        var = _posterior_var(sur.model.kernel_, U, C)
        var[idx[:k]] = -np.inf
        assert var[i] >= var.max() * (1 - 1e-6), k
        U = np.vstack([U, C[i : i + 1]])
    # the file is a sweep of exactly these designs
    text = out.read_text()
    assert 'method = "points"' in text
    assert tomllib.loads(text)["base"] == "base.toml"
    points, _ = load_plan(out).points()
    assert_allclose([[p.inputs[f] for f in FEATURES] for p in points], sugg, rtol=1e-9)
    summary = run_sweep(load_plan(out), lhs_store.parent / "more", eval_fn=composite_rows,
                        executor="serial")
    assert summary.n_evaluated == 4


def test_surrogate_errors_are_one_line(lhs_store, tmp_path):
    r = _run("surrogate", lhs_store, "--target", "nope", "--where", "T_degC = 25")
    assert r.exit_code == 1
    assert "target: no numeric column 'nope'" in r.stderr
    assert "allowed columns:" in r.stderr
    assert "asr_ohm_cm2" in r.stderr
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--features", "thickness_um,x")
    assert r.exit_code == 1
    assert "features: no numeric column 'x'" in r.stderr
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2")
    assert r.exit_code == 1
    assert "several rows per design" in r.stderr
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--where", "T_degC = 25",
             "--suggest", 2)
    assert r.exit_code == 1
    assert "--suggest: needs --plan" in r.stderr
    r = _run("surrogate", lhs_store, "--target", "asr_ohm_cm2", "--where", "T_degC = 25",
             "--model", "svm")
    assert r.exit_code == 1
    assert "--model: got 'svm'; allowed: gp, gbr" in r.stderr
    r = _run("surrogate", tmp_path, "--target", "asr_ohm_cm2")
    assert r.exit_code == 1
    assert "no results" in r.stderr


def test_map_of_conductivity_over_two_axes(tmp_path):
    plan = plan_from_dict({"base": base_design(),
                           "axes": {"fillers.0.fraction": "linspace(0 vol%, 40 vol%, 9)",
                                    "thickness": ["10 um", "20 um", "50 um"]}})
    res = tmp_path / "grid"
    run_sweep(plan, res, eval_fn=composite_rows, executor="serial")
    fig = tmp_path / "map.png"
    r = _run("map", res, "--x", "fillers_0_fraction_vol_pct", "--y", "thickness_um",
             "--where", "T_degC = 25", "-o", fig, "--json")
    assert r.exit_code == 0, r.output
    assert fig.stat().st_size > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".map")]  # no temporaries
    out = json.loads(r.stdout)
    assert out["x_values"] == pytest.approx(np.linspace(0, 40, 9).tolist())
    assert out["y_values"] == pytest.approx([10.0, 20.0, 50.0])
    # MG with sigma_f >> sigma_m rises by about (1 + 2 phi) / (1 - phi) = 3 at 40 vol%:
    # less than a decade, so the automatic scale is linear
    assert out["log"] is False
    # at 25 degC the Arrhenius factors are 1: sigma = MG(polymer, LLZTO, phi), any thickness
    expect = mg(POLYMER[0], FILLERS["LLZTO"][0], np.linspace(0, 0.4, 9)) / 100.0
    assert_allclose(np.array(out["z_grid"]), np.tile(expect, (3, 1)), rtol=1e-9)
    assert out["cells_with_several_rows"] == 0
    # without --where the five temperatures share each cell: a warning says so
    r = _run("map", res, "--x", "fillers_0_fraction_vol_pct", "--y", "thickness_um", "-o", fig)
    assert r.exit_code == 0
    assert "27 of 27 cells hold several rows" in r.stderr
    r = _run("map", res, "--x", "fillers_0_fraction_vol_pct", "--y", "thickness_um",
             "--z", "nope", "-o", tmp_path / "bad.png")
    assert r.exit_code == 1
    assert r.stderr.startswith("error: --z: no numeric column 'nope'; allowed columns:")
    assert "conductivity_S_per_cm" in r.stderr
    assert "thickness_um" in r.stderr
    assert not (tmp_path / "bad.png").exists()
    r = _run("map", res, "--x", "fillers_0_fraction_vol_pct", "--y", "thickness_um",
             "--scale", "cubic", "-o", tmp_path / "bad.png")
    assert r.exit_code == 1
    assert "--scale" in r.stderr


def test_help_of_the_new_commands():
    for cmd in ("map", "surrogate"):
        r = _run(cmd, "--help")
        assert r.exit_code == 0, cmd


def test_points_plans_and_toml_round_trip(tmp_path):
    axes = {"fillers.0.fraction": ["5 vol%", "10 vol%"], "thickness": ["10 um", "20 um"]}
    plan = plan_from_dict({"base": base_design(), "sampling": {"method": "points"},
                           "axes": axes})
    pts, _ = plan.points()
    assert [(p.inputs["fillers_0_fraction_vol_pct"], p.inputs["thickness_um"]) for p in pts] == [
        (5.0, 10.0), (10.0, 20.0)]  # zipped, not the 2 x 2 product
    with pytest.raises(DesignError, match="one length"):
        plan_from_dict({"base": base_design(), "sampling": {"method": "points"},
                        "axes": {**axes, "thickness": ["10 um"]}})
    with pytest.raises(DesignError, match=r"sampling\.n"):
        plan_from_dict({"base": base_design(), "sampling": {"method": "points", "n": 2},
                        "axes": axes})
    base = {**base_design(), "note": 'a "quoted" \\ name\twith tab', "flag": True, "k": 3}
    src = plan_from_dict({"base": base, "axes": axes, "constraints": ["thickness <= 15 um"]})
    data = points_plan_dict(src, [{"fillers_0_fraction_vol_pct": 7.5, "thickness_um": 12.0}])
    back = tomllib.loads(plan_to_toml(data, header="a\nb"))
    assert back == data
    again = plan_from_dict(back)
    assert again.base == base
    assert [p.inputs for p in again.points()[0]] == [
        {"fillers_0_fraction_vol_pct": 7.5, "thickness_um": 12.0}]
