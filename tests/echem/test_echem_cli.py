"""``hylyte fit ...`` commands on the sample files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hylyte.cli import app

DATA = Path(__file__).parents[1] / "data" / "echem"
runner = CliRunner()


def _json(args):
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_fit_eis_json_and_figure(tmp_path):
    fig = tmp_path / "nyq.png"
    out = _json(["fit", "eis", str(DATA / "gamry_eis.DTA"), "--circuit", "R0-p(R1,CPE1)-CPE2",
                 "--area", "1 cm^2", "--thickness", "100 um", "-o", str(fig)])
    assert out["parameters"]["R1.R"]["value"] == pytest.approx(1e4, rel=0.01)
    # sigma = L/(R A) with R = 1e4 ohm, L = 100 um, A = 1 cm^2 -> 1e-6 S/cm
    assert out["conductivity"]["sigma_bulk_S_per_cm"] == pytest.approx(1e-6, rel=0.01)
    assert fig.stat().st_size > 1000
    assert out["lin_kk"]["valid"]  # synthetic circuit data with 0.2 % noise


def test_fit_eis_rejects_code_in_circuit():
    res = runner.invoke(app, ["fit", "eis", str(DATA / "zview.z"), "--circuit",
                              "__import__('os').system('echo hi')"])
    assert res.exit_code == 1
    assert "position 0" in res.output


def test_fit_arrhenius_and_save_material(tmp_path):
    toml = tmp_path / "mine.toml"
    out = _json(["fit", "arrhenius", str(DATA / "arrhenius.csv"), "--save-material", str(toml),
                 "--name", "MyLLZO", "--base", "LLZO"])
    assert out["fit"]["Ea_eV"] == pytest.approx(0.35, rel=1e-6)
    assert out["law"]["sigma_ref"] == "0.0001 S/cm"
    # the saved file loads as a user material and reproduces the data it was fitted to
    # (the sample file was generated from sigma_25 = 1e-4 S/cm, Ea = 0.35 eV, form B)
    from hylyte.materials import load_library

    lib = load_library([toml])
    mine = lib.get("MyLLZO")
    assert float(mine.sigma(303.15)) / 100 == pytest.approx(1.2519274506e-04, rel=1e-6)
    assert mine.density == lib.get("LLZO").density
    # without --base a new material has nothing to inherit its other properties from
    res = runner.invoke(app, ["fit", "arrhenius", str(DATA / "arrhenius.csv"),
                              "--save-material", str(tmp_path / "new.toml"), "--name", "X"])
    assert res.exit_code == 1
    assert "base" in res.output
    auto = _json(["fit", "arrhenius", str(DATA / "arrhenius.csv"), "--model", "auto"])
    assert "aicc" in auto["comparison"]


def test_fit_transference_window_ccd():
    tr = _json(["fit", "transference", str(DATA / "biologic_ca.mpt"), "--dv", "10 mV",
                "--r0", "200 ohm", "--rss", "250 ohm", "--rb", "100 ohm"])
    assert tr["t_plus_eis"] == pytest.approx(0.25, rel=2e-3)
    w = _json(["fit", "window", str(DATA / "lsv.csv"), "--area", "1 cm^2"])
    assert w["oxidation"]["V_threshold_V"] == pytest.approx(4.114119, abs=2e-6)
    c = _json(["fit", "ccd", str(DATA / "gamry_ccd.DTA"), "--area", "1 cm^2"])
    assert c["ccd_A_per_m2"] == pytest.approx(3.0)


def test_missing_file_is_one_line_error():
    res = runner.invoke(app, ["fit", "ccd", "/nonexistent/x.DTA"])
    assert res.exit_code == 1
    assert "error:" in res.output


SERIES = DATA / "real" / "eisfitpython"


def test_fit_eis_series_real_pellet(tmp_path):
    """Three temperatures of the real pellet series: total conductivity L/(R A) at 140 degC
    equals the independent analysis's printed 1.936e-07 S/cm (tests/data/echem/README.md)."""
    files = [str(SERIES / f"s04147-{t}deg.txt") for t in (160, 140, 150)]  # any order
    fig = tmp_path / "arr.png"
    out = _json(["fit", "eis-series", *files, "--temperatures", "160 degC, 140 degC,150 degC",
                 "--thickness", "2.1 mm", "--diameter", "8 mm", "-o", str(fig)])
    pts = out["points"]
    assert [p["T_K"] for p in pts] == pytest.approx([413.15, 423.15, 433.15])
    assert pts[0]["sigma_S_per_m"] / 100 == pytest.approx(1.936e-07, rel=6e-4)
    assert out["files"][0].endswith("s04147-140deg.txt")
    lo, hi = out["arrhenius"]["Ea_ci_eV"]
    assert lo < out["arrhenius"]["Ea_eV"] < hi
    assert fig.stat().st_size > 1000


@pytest.mark.parametrize(("extra", "message"), [
    (["--temperatures", "140,150", "--temperature-unit", "degC", "--diameter", "8 mm"],
     "2 values for 3 files"),
    (["--temperatures", "140,150,160", "--diameter", "8 mm"], "has no unit"),
    (["--temperatures", "140 degC,150 degC,160 degC"], "exactly one of --area or --diameter"),
    (["--temperatures", "140 degC,150 degC,160 degC", "--area", "1 cm^2", "--resistance",
      "R9.R"], "resistance must be 'total'"),
])
def test_fit_eis_series_bad_input(extra, message):
    files = [str(SERIES / f"s04147-{t}deg.txt") for t in (140, 150, 160)]
    res = runner.invoke(app, ["fit", "eis-series", *files, "--thickness", "2.1 mm", *extra])
    assert res.exit_code == 1
    assert message in res.output
    assert "Traceback" not in res.output
