import json

import pytest
from typer.testing import CliRunner

from hylyte.cli import app

EXAMPLE = "peo_llzto_nanoparticles.toml"


@pytest.fixture
def sweep_file(tmp_path):
    from importlib.resources import files

    base = files("hylyte.design") / "data" / "examples" / EXAMPLE
    (tmp_path / "base.toml").write_text(base.read_text(encoding="utf-8"))
    f = tmp_path / "s.toml"
    f.write_text(
        'base = "base.toml"\n'
        'objectives = ["conductivity_S_per_cm:max", "phi_filler_LLZTO:min"]\n'
        "[axes]\n"
        '"fillers.0.fraction" = ["5 vol%", "20 vol%", "40 vol%"]\n'
        '"fillers.0.material" = ["LLZTO", "NoSuchCeramic"]\n'
        "[evaluate]\n"
        'method = "analytic"\n'
    )
    return f


def test_sweep_query_pareto_with_the_design_layer(tmp_path, sweep_file):
    runner = CliRunner()
    out = tmp_path / "res"
    r = runner.invoke(app, ["sweep", str(sweep_file), "-o", str(out), "--executor", "serial",
                            "-q", "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert (summary["n_evaluated"], summary["n_failed"]) == (6, 3)
    r = runner.invoke(app, ["results", "query", str(out),
                            "SELECT fillers_0_fraction_vol_pct AS phi, conductivity_S_per_cm "
                            "FROM results WHERE status = 'ok' AND T_degC = 25 ORDER BY phi",
                            "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [x["phi"] for x in rows] == [5.0, 20.0, 40.0]
    sig = [x["conductivity_S_per_cm"] for x in rows]
    assert sig == sorted(sig)  # a conducting filler raises the conductivity
    r = runner.invoke(app, ["results", "query", str(out), "SELECT error_type FROM results "
                            "WHERE status = 'error'", "--json"])
    assert {x["error_type"] for x in json.loads(r.stdout)} == {"UnknownMaterialError"}
    csv = tmp_path / "all.csv"
    r = runner.invoke(app, ["results", "query", str(out), "--csv", str(csv)])
    assert r.exit_code == 0
    assert csv.read_text().count("\n") == 3 * 4 + 3 + 1
    fig = tmp_path / "front.png"
    r = runner.invoke(app, ["pareto", str(out), "--objective", "conductivity_S_per_cm:max",
                            "--objective", "fillers_0_fraction_vol_pct:min", "--where",
                            "T_degC = 25", "-o", str(fig), "--json"])
    assert r.exit_code == 0, r.output
    front = json.loads(r.stdout)
    # conductivity rises with loading, so every loading is a trade-off: all three are on it
    assert sorted(x["fillers_0_fraction_vol_pct"] for x in front) == [5.0, 20.0, 40.0]
    assert fig.stat().st_size > 1000
    # a re-run does nothing
    r = runner.invoke(app, ["sweep", str(sweep_file), "-o", str(out), "--executor", "serial",
                            "-q", "--json"])
    assert json.loads(r.stdout)["n_skipped"] == 6


def test_cli_errors_are_one_line(tmp_path, sweep_file):
    runner = CliRunner()
    bad = tmp_path / "bad.toml"
    bad.write_text('base = "base.toml"\n[axes]\n"fillers.0.fraction" = "linspace(1 vol%)"\n')
    r = runner.invoke(app, ["sweep", str(bad), "-o", str(tmp_path / "x"), "-q"])
    assert r.exit_code == 1
    assert 'axes."fillers.0.fraction"' in r.stderr
    r = runner.invoke(app, ["results", "query", str(tmp_path), "SELECT 1"])
    assert r.exit_code == 1
    assert "no results" in r.stderr
    out = tmp_path / "res"
    runner.invoke(app, ["sweep", str(sweep_file), "-o", str(out), "--executor", "serial", "-q"])
    r = runner.invoke(app, ["results", "query", str(out), "SELEC nonsense"])
    assert r.exit_code == 1
    assert r.stderr.startswith("error: query")
    r = runner.invoke(app, ["pareto", str(out), "--objective", "nope:max"])
    assert r.exit_code == 1
    assert "nope" in r.stderr


def test_help_of_every_command():
    runner = CliRunner()
    for cmd in (["sweep"], ["results", "query"], ["pareto"], ["sensitivity"], ["optimise"]):
        r = runner.invoke(app, [*cmd, "--help"])
        assert r.exit_code == 0, cmd


def test_sensitivity_and_optimise_commands(tmp_path, sweep_file):
    f = tmp_path / "opt.toml"
    f.write_text('base = "base.toml"\n[axes]\n'
                 '"fillers.0.fraction" = { start = "5 vol%", stop = "40 vol%" }\n'
                 '"fillers.0.size" = ["100 nm", "1 um"]\n'
                 '[evaluate]\nmethod = "analytic"\n')
    runner = CliRunner()
    r = runner.invoke(app, ["sensitivity", str(f), "--output", "conductivity_S_per_cm",
                            "--T", "25 degC", "--executor", "serial", "--json",
                            "-o", str(tmp_path / "bars.png")])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert [a["axis"] for a in res["axes"]] == ["fillers_0_fraction_vol_pct", "fillers_0_size_nm"]
    assert all(a["swing"] >= 0 for a in res["axes"])
    # conductivity rises with loading (see the sweep test above), so with the loading capped
    # at 30 vol% the best design sits on the cap
    r = runner.invoke(app, ["optimise", str(f), "--objective", "conductivity_S_per_cm:max",
                            "--target", "phi_filler_LLZTO <= 0.3", "--T", "25 degC",
                            "--maxiter", "5", "--seed", "0", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["reachable"] is True
    assert abs(res["inputs"]["fillers_0_fraction_vol_pct"] - 30.0) < 0.05
    r = runner.invoke(app, ["optimise", str(f), "--objective", "conductivity_S_per_cm:max",
                            "--target", "phi_filler_LLZTO >= 0.5", "--T", "25 degC",
                            "--maxiter", "3", "--seed", "0", "--json"])
    res = json.loads(r.stdout)
    assert res["reachable"] is False
    assert abs(res["best_achievable"]["phi_filler_LLZTO"] - 0.4) < 1e-6
