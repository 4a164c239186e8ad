"""The evaluate / compare / demo commands: outputs, JSON schema, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hylyte.cli import app

SCHEMA = Path(__file__).resolve().parents[2] / "src" / "hylyte" / "design" / "data" / \
    "result.schema.json"


@pytest.fixture
def runner():
    return CliRunner()


def _validate(instance):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_shipped_schema_matches_the_result_types():
    from hylyte.design.result import json_schema

    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json.loads(
        json.dumps(json_schema()))


@pytest.mark.parametrize("name", sorted(p.name for p in (
    Path(__file__).resolve().parents[2] / "examples" / "designs").glob("*.toml")))
def test_every_example_from_the_cli(runner, examples_dir, tmp_path, name):
    out = tmp_path / "out"
    res = runner.invoke(app, ["evaluate", str(examples_dir / name), "-o", str(out), "-q",
                              "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    _validate(data)
    assert data["schema_version"] == 1
    assert (out / "report.html").is_file()
    saved = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert saved == data
    pngs = sorted((out / "figures").glob("*.png"))
    svgs = sorted((out / "figures").glob("*.svg"))
    assert pngs
    assert len(pngs) == len(svgs)
    assert not list(tmp_path.glob(".out.*"))  # no temporary folders left behind


def test_evaluate_prints_the_folder(runner, examples_dir, tmp_path):
    out = tmp_path / "res"
    res = runner.invoke(app, ["evaluate", str(examples_dir / "peo_sio2_passive.toml"),
                              "-o", str(out)])
    assert res.exit_code == 0
    assert res.stdout.strip() == str(out)


BAD = {
    "unknown_material": ('material = "LLZTO"', 'material = "LLZT0"', "did you mean"),
    "wt_over_100": ('fraction = "20 vol%"', 'fraction = "120 wt%"', "0-100"),
    "unknown_key": ('shape = "sphere"', 'shape = "sphere"\nfoo = 1', "allowed keys"),
    "temperature_unit": ('"25 degC"', '"25 kg"', "temperature"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_design_one_line_exit_1_no_folder(runner, examples_dir, tmp_path, case):
    old, new, needle = BAD[case]
    text = (examples_dir / "cathode_side.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["evaluate", str(bad), "-o", str(out)])
    assert res.exit_code == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: "), res.stderr
    assert needle in lines[0]
    assert str(bad) in lines[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize(("old", "new", "needle"), [
    ('thickness = "10 um"\n[[layers]]\nmaterial = "LLZTO"',
     'thickness = "-10 um"\n[[layers]]\nmaterial = "LLZTO"', "layers[0].thickness"),
    ("between = [1, 2]", "between = [3, 4]", "out of range"),
    ('composite = "cathode_side.toml"', 'composite = "nowhere.toml"', "not found"),
])
def test_bad_stack_from_the_cli(runner, examples_dir, tmp_path, old, new, needle):
    text = (examples_dir / "peo_llzto_sandwich.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "stack.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "cathode_side.toml").write_text(
        (examples_dir / "cathode_side.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(app, ["evaluate", str(bad), "-o", str(out)])
    assert res.exit_code == 1
    assert res.stderr.count("error: ") == 1
    assert needle in res.stderr
    assert not out.exists()


def test_missing_design_file(runner, tmp_path):
    res = runner.invoke(app, ["evaluate", str(tmp_path / "none.toml"), "-o",
                              str(tmp_path / "o")])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ")
    assert "not found" in res.stderr
    assert not (tmp_path / "o").exists()


def test_bad_method_option(runner, examples_dir, tmp_path):
    res = runner.invoke(app, ["evaluate", str(examples_dir / "cathode_side.toml"),
                              "--method", "magic", "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "--method" in res.stderr


def test_compare(runner, examples_dir, tmp_path):
    out = tmp_path / "cmp"
    files = [str(examples_dir / n) for n in ("peo_sio2_passive.toml", "cathode_side.toml",
                                             "symmetric_sandwich.toml")]
    res = runner.invoke(app, ["compare", *files, "-o", str(out), "-q", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [d["kind"] for d in data] == ["composite", "composite", "stack"]
    for d in data:
        _validate(d)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Comparison" in html
    assert (out / "figures" / "comparison.png").is_file()
    assert (out / "figures" / "comparison.svg").is_file()


def test_compare_needs_two(runner, examples_dir, tmp_path):
    res = runner.invoke(app, ["compare", str(examples_dir / "cathode_side.toml"),
                              "-o", str(tmp_path / "c")])
    assert res.exit_code == 1
    assert "at least two" in res.stderr


def test_bundled_examples_in_sync(examples_dir):
    from hylyte.design.examples import example_dir, example_names

    with example_dir() as root:
        shipped = {n: (root / n).read_text(encoding="utf-8") for n in example_names()}
    source = {p.name: p.read_text(encoding="utf-8") for p in examples_dir.glob("*.toml")}
    assert shipped == source


@pytest.mark.slow
def test_demo(runner, tmp_path):
    from hylyte.design.examples import DEMO_VOXEL_DESIGN, example_paths

    out = tmp_path / "demo"
    res = runner.invoke(app, ["demo", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    assert res.stderr == ""  # -q silences progress
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(data["results"]) == len(example_paths())
    voxel = [d for d in data["results"] if d.get("voxel")]
    assert len(voxel) == 1
    assert voxel[0]["method"] == "both"
    for d in data["results"]:
        _validate(d)
    i = example_paths().index(DEMO_VOXEL_DESIGN)
    assert (out / "figures" / f"{i}_microstructure.png").is_file()
    assert (out / "figures" / f"{i}_current.png").is_file()
