"""Loading design files: structure, unit conversion at the edge, clear errors."""

from __future__ import annotations

import pytest

from hylyte.design import design_from_dict, design_hash, load_design
from hylyte.design.model import CompositeDesign, StackDesign
from hylyte.errors import DesignError, UnknownMaterialError


def test_verbatim_composite_example(examples_dir):
    d = load_design(examples_dir / "peo_llzto_nanoparticles.toml")
    assert isinstance(d, CompositeDesign)
    f = d.fillers[0]
    assert f.fraction == pytest.approx(0.15, rel=1e-15)
    assert f.size_m == pytest.approx(400e-9, rel=1e-12)
    assert f.interphase.thickness_m == pytest.approx(3e-9, rel=1e-12)
    assert f.interphase.sigma_S_per_m == pytest.approx(1e-2, rel=1e-12)  # 1e-4 S/cm
    assert d.evaluate.temperatures_K == pytest.approx((273.15, 298.15, 333.15, 353.15))
    assert d.evaluate.method == "analytic"


def test_verbatim_stack_example(examples_dir):
    d = load_design(examples_dir / "peo_llzto_sandwich.toml")
    assert isinstance(d, StackDesign)
    assert [la.thickness_m for la in d.layers] == pytest.approx([10e-6, 100e-6, 10e-6])
    assert d.layers[2].composite is not None
    assert d.layers[2].composite.fillers[0].fraction == pytest.approx(0.20)
    itf = d.interfaces[0]
    assert itf.between == (1, 2)
    assert itf.asr_ohm_m2 == pytest.approx(50e-4)  # 1 ohm cm^2 = 1e-4 ohm m^2
    assert itf.T_ref_K == pytest.approx(333.15)
    assert itf.Ea_eV == pytest.approx(0.6)
    assert d.electrodes.cathode_capacity_C_per_m2 == pytest.approx(3 * 3.6 * 1e4)


def test_mass_fraction_converted_with_densities(write_design, composite_text):
    from hylyte.materials import get_material

    d = load_design(write_design(composite_text(fraction="40 wt%")))
    rho_m = get_material("PEO-LiTFSI").density
    rho_f = get_material("LLZTO").density
    # PHYSICS 2.1: phi = (w/rho_f) / ((1 - w)/rho_m + w/rho_f)
    expected = (0.4 / rho_f) / (0.6 / rho_m + 0.4 / rho_f)
    assert d.fillers[0].fraction == pytest.approx(expected, rel=1e-12)
    assert d.fillers[0].fraction_input == "40 wt%"


def test_round_trip_and_hash(examples_dir):
    for name in ("peo_llzto_nanoparticles.toml", "peo_llzto_sandwich.toml",
                 "cathode_integrated.toml"):
        d = load_design(examples_dir / name)
        again = design_from_dict(d.to_dict())
        assert again.to_dict() == d.to_dict()
        assert design_hash(again) == design_hash(d)
        assert len(design_hash(d)) == 64


def test_hash_ignores_name_but_not_physics(write_design, composite_text):
    a = load_design(write_design(composite_text()))
    renamed = write_design(composite_text().replace("test composite", "other"), "b.toml")
    b = load_design(renamed)
    c = load_design(write_design(composite_text(fraction="16 vol%"), "c.toml"))
    assert design_hash(a) == design_hash(b)
    assert design_hash(a) != design_hash(c)


# ----------------------------------------------------------------------------- bad designs
def _message(excinfo) -> str:
    return str(excinfo.value)


def test_unknown_material_suggests(write_design, composite_text):
    path = write_design(composite_text().replace('"LLZTO"', '"LLZT0"'))
    with pytest.raises(UnknownMaterialError) as ei:
        load_design(path)
    msg = _message(ei)
    assert str(path) in msg
    assert "fillers[0].material" in msg
    assert "LLZTO" in msg  # the suggestion


@pytest.mark.parametrize(
    ("edit", "needles"),
    [
        (("15 vol%", "120 wt%"), ["fillers[0].fraction", "120 wt%", "0-100"]),
        (("15 vol%", "abc"), ["fillers[0].fraction", "'abc'", "vol%"]),
        (('"400 nm"', '"-400 nm"'), ["fillers[0].size", "-400 nm", "> 0"]),
        (('"25 degC"', '"25 m"'), ["evaluate.temperatures[0]", "25 m", "temperature"]),
        (('shape = "sphere"', 'shape = "cube"'), ["fillers[0].shape", "'cube'", "sphere"]),
        (('size = "400 nm"', 'size = "400 nm"\ncolour = "red"'),
         ["fillers[0]", "unknown key 'colour'", "allowed keys", "orientation"]),
    ],
)
def test_bad_composite_messages(write_design, composite_text, edit, needles):
    text = composite_text()
    assert edit[0] in text
    path = write_design(text.replace(edit[0], edit[1], 1))
    with pytest.raises(DesignError) as ei:
        load_design(path)
    msg = _message(ei)
    assert str(path) in msg
    for needle in needles:
        assert needle in msg, (needle, msg)


def test_fillers_summing_over_100(write_design, composite_text):
    text = composite_text(fraction="60 vol%") + """
[[fillers]]
material = "SiO2"
fraction = "50 vol%"
shape = "sphere"
size = "50 nm"
"""
    # move the second filler above [evaluate] is not needed: TOML arrays of tables may follow
    with pytest.raises(DesignError, match=r"fillers: filler fractions sum to 110 vol%"):
        load_design(write_design(text))


STACK = """
[design]
name = "stack"
kind = "stack"

[[layers]]
material = "PEO-LiTFSI"
thickness = "{t1}"
[[layers]]
{layer2}
thickness = "100 um"

[[interfaces]]
between = [{a}, {b}]
asr = "50 ohm cm^2"
"""


def _stack(t1="10 um", layer2='material = "LLZTO"', a=1, b=2):
    return STACK.format(t1=t1, layer2=layer2, a=a, b=b)


@pytest.mark.parametrize(
    ("kw", "needles"),
    [
        ({"t1": "-10 um"}, ["layers[0].thickness", "-10 um", "> 0"]),
        ({"a": 2, "b": 3}, ["interfaces[0].between", "layer index 3 is out of range", "1..2"]),
        ({"a": 1, "b": 1}, ["interfaces[0].between", "not neighbours"]),
        ({"layer2": 'composite = "missing.toml"'},
         ["layers[1].composite", "'missing.toml' not found"]),
        ({"t1": "10 kg"}, ["layers[0].thickness", "10 kg", "length"]),
    ],
)
def test_bad_stack_messages(write_design, kw, needles):
    path = write_design(_stack(**kw))
    with pytest.raises(DesignError) as ei:
        load_design(path)
    msg = _message(ei)
    assert str(path) in msg
    for needle in needles:
        assert needle in msg, (needle, msg)


def test_missing_file_and_bad_toml(tmp_path, write_design):
    with pytest.raises(DesignError, match="not found"):
        load_design(tmp_path / "nope.toml")
    with pytest.raises(DesignError, match="not valid TOML"):
        load_design(write_design("[design\nname="))


def test_top_level_unknown_key_lists_allowed(write_design, composite_text):
    with pytest.raises(DesignError) as ei:
        load_design(write_design(composite_text() + "\n[extra]\nx = 1\n"))
    msg = _message(ei)
    assert "unknown key 'extra'" in msg
    for key in ("matrix", "fillers", "evaluate", "porosity"):
        assert key in msg


def test_inline_matrix_law(write_design):
    text = """
[design]
name = "inline"
kind = "composite"
[matrix]
name = "my polymer"
law = { law = "arrhenius", sigma_ref = "1e-4 S/cm", T_ref = "25 degC", Ea = "0.5 eV" }
rho_plus = 0.3
density = "1.2 g/cm^3"
[[fillers]]
material = "SiO2"
fraction = "10 vol%"
size = "100 nm"
[evaluate]
temperatures = ["25 degC"]
"""
    d = load_design(write_design(text))
    assert d.matrix.law.sigma_ref_S_per_m == pytest.approx(1e-2)
    assert d.matrix.law.Ea_eV == pytest.approx(0.5)
    assert d.matrix.density_kg_per_m3 == pytest.approx(1200.0)
