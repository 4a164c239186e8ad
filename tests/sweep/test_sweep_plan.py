import numpy as np
import pytest
from numpy.testing import assert_allclose

from hylyte.errors import DesignError, InputError
from hylyte.sweep.expr import parse_expression, quantity_from_value
from hylyte.sweep.plan import design_key, get_path, load_plan, parse_objective, plan_from_dict


def _base():
    return {"layers": [{"thickness": "10 um"}, {"thickness": "10 um"}],
            "fillers": [{"material": "LLZTO", "fraction": "10 vol%"}]}


def test_grid_ranges_match_numpy():
    plan = plan_from_dict({
        "base": _base(),
        "axes": {"layers.0.thickness": "linspace(5 um, 50 um, 10)",
                 "layers.1.thickness": {"start": "1 um", "stop": "0.1 mm", "num": 3,
                                        "scale": "log"},
                 "fillers.0.material": ["LLZTO", "LATP"]},
    })
    pts, rejected = plan.points()
    assert rejected == 0
    assert len(pts) == 10 * 3 * 2
    l0 = sorted({p.inputs["layers_0_thickness_um"] for p in pts})
    assert_allclose(l0, np.linspace(5, 50, 10), rtol=1e-12)
    l1 = sorted({p.inputs["layers_1_thickness_um"] for p in pts})
    assert_allclose(l1, [1.0, 10.0, 100.0], rtol=1e-12)  # 0.1 mm = 100 um
    assert {p.design["fillers"][0]["material"] for p in pts} == {"LLZTO", "LATP"}
    assert pts[0].design["layers"][0]["thickness"] == "5 um"
    assert len({p.key for p in pts}) == len(pts)


def test_constraint_filters_like_brute_force():
    plan = plan_from_dict({
        "base": _base(),
        "axes": {"layers.0.thickness": "linspace(5 um, 45 um, 9)",
                 "layers.1.thickness": ["5 um", "0.02 mm", "30 um"]},
        "constraints": ["sum(layers.*.thickness) <= 50 um"],
    })
    pts, rejected = plan.points()
    brute = [(a, b) for a in np.linspace(5, 45, 9) for b in (5.0, 20.0, 30.0) if a + b <= 50]
    got = sorted((p.inputs["layers_0_thickness_um"], p.design["layers"][1]["thickness"])
                 for p in pts)
    assert len(got) == len(brute)
    assert rejected == 27 - len(brute)


@pytest.mark.parametrize("method", ["lhs", "sobol", "random"])
def test_space_filling_is_seeded_and_in_bounds(method):
    spec = {"base": _base(), "sampling": {"method": method, "n": 16, "seed": 3},
            "axes": {"layers.0.thickness": {"start": "5 um", "stop": "50 um", "scale": "log"},
                     "fillers.0.material": ["LLZTO", "LATP", "SiO2"]}}
    a, _ = plan_from_dict(spec).points()
    b, _ = plan_from_dict(spec).points()
    assert [p.key for p in a] == [p.key for p in b]
    x = np.array([p.inputs["layers_0_thickness_um"] for p in a])
    assert len(a) == 16
    assert np.all((x >= 5) & (x <= 50))
    c, _ = plan_from_dict({**spec, "sampling": {"method": method, "n": 16, "seed": 4}}).points()
    assert [p.key for p in a] != [p.key for p in c]
    if method == "lhs":  # one sample per stratum of log-thickness
        strata = np.floor(np.log(x / 5) / np.log(10) * 16).astype(int)
        assert sorted(strata) == list(range(16))


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"axes": {"layers.0.thickness": ["5 um"]}}, "base"),
        ({"base": _base(), "axes": {"layers.0.thickness": {"start": "5 um", "stop": "9 um",
                                                           "num": "x"}}},
         'axes."layers.0.thickness".num'),
        ({"base": _base(), "axes": {"layers.0.thickness": "range(5 um, 9 um)"}},
         'axes."layers.0.thickness"'),
        ({"base": _base(), "axes": {"layers.5.thickness": ["5 um"]}}, 'axes."layers.5.thickness"'),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um", "5 nm", "1 vol%"]}},
         'axes."layers.0.thickness"'),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]},
          "sampling": {"method": "lhs"}}, "sampling.n"),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]},
          "sampling": {"method": "halton", "n": 3}}, "sampling.method"),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]},
          "constraints": ["layers.0.thickness <= 3 S/m"]}, "constraints[0]"),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]},
          "constraints": ["layers.0.thickness <= 3 um", "layers.0.thickness <= 'x' +"]},
         "constraints[1]"),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]}, "objectives": ["asr"]},
         "objectives[0]"),
        ({"base": _base(), "axes": {"layers.0.thickness": ["5 um"]}, "colums": ["x"]},
         "colums"),
    ],
)
def test_plan_errors_name_the_field(spec, field):
    with pytest.raises(DesignError) as info:
        plan_from_dict(spec)
    assert field in str(info.value)


def test_grid_needs_num_but_optimisation_does_not():
    plan = plan_from_dict({"base": _base(), "axes": {"layers.0.thickness":
                                                     "linspace(5 um, 9 um)"}})
    assert plan.axes[0].continuous
    with pytest.raises(DesignError, match=r'axes\."layers\.0\.thickness".*num'):
        plan.points()


def test_load_plan_from_files(tmp_path):
    (tmp_path / "d.toml").write_text('thickness = "20 um"\n[[fillers]]\nmaterial = "LLZTO"\n'
                                     'fraction = "10 vol%"\n')
    (tmp_path / "s.toml").write_text(
        'base = "d.toml"\nobjectives = ["asr_ohm_cm2:min"]\n[axes]\n'
        '"fillers.0.fraction" = ["5 vol%", "15 vol%"]\n')
    plan = load_plan(tmp_path / "s.toml")
    assert plan.base_dir == tmp_path
    assert [p.design["fillers"][0]["fraction"] for p in plan.points()[0]] == ["5 vol%", "15 vol%"]
    assert plan.objectives[0].sense == "min"
    (tmp_path / "bad.toml").write_text('base = "missing.toml"\n[axes]\n"a" = [1]\n')
    with pytest.raises(DesignError, match="base"):
        load_plan(tmp_path / "bad.toml")


def test_expression_language_units_and_safety():
    q = quantity_from_value
    vals = {"a": q("10 um"), "b": q("0.04 mm"), "s": q("1e-4 S/cm"), "T": q("25 degC")}
    ev = lambda text: parse_expression(text).evaluate(vals.__getitem__)  # noqa: E731
    assert ev("a + b <= 50 um") is True
    assert ev("a + b < 50 um") is False
    assert ev("s >= '0.01 S/m' and T > 298 K") is True
    assert_allclose(ev("(a + b) * 2").value, 100e-6, rtol=1e-12)
    assert ev("not (a > b) or a == b") is True
    with pytest.raises(InputError, match="dimension"):
        ev("a + s")
    for bad in ["__import__('os')", "a.__class__ <= 1", "a; b", "a <= 5 um extra", "open(a)"]:
        with pytest.raises(InputError):
            ev(bad)
    margin = parse_expression("a <= 50 um").margin(vals.__getitem__)
    assert_allclose(margin, 40e-6, rtol=1e-12)


def test_design_key_normalises():
    d = {"fillers": [{"fraction": "10  vol%", "n": 2}], "t": "5 um"}
    assert design_key(d) == design_key({"t": "5 um", "fillers": [{"n": 2.0,
                                                                   "fraction": "10 vol%"}]})
    assert design_key(d) != design_key({**d, "t": "6 um"})
    assert get_path(d, "fillers.0.n") == 2
    with pytest.raises(DesignError, match=r"fillers\.1"):
        get_path(d, "fillers.1.n")


def test_parse_objective():
    assert parse_objective("asr_ohm_cm2:min").sense == "min"
    assert parse_objective("conductivity_S_per_cm:maximise").sense == "max"
    with pytest.raises(InputError):
        parse_objective("asr_ohm_cm2:lowest")
