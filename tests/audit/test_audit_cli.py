"""Record tables with malformed rows, the [reported] table, outputs and the CLI."""

from __future__ import annotations

import csv
import json
import textwrap

import pytest
from typer.testing import CliRunner

from hylyte.audit.audit import audit_table, render_html, write_outputs
from hylyte.audit.records import load_design_with_reported, read_records
from hylyte.cli import app
from hylyte.errors import DataFormatError

DESIGN = textwrap.dedent("""
    [design]
    name = "PEO + LLZTO <test>"
    kind = "composite"
    [matrix]
    material = "PEO-LiTFSI"
    [[fillers]]
    material = "LLZTO"
    fraction = "15 vol%"
    size = "400 nm"
    [reported]
    citation = "Synthetic <script>alert(1)</script>"
    conductivity = [{T = "25 degC", value = "1e-5 S/cm"}, {T = "25 degC", value = "1e-2 S/cm"}]
    t_plus = {T = "60 degC", value = 0.25}
    window_V = ["0 V", "5.5 V"]
""")

TABLE = textwrap.dedent("""
    id,design,matrix,filler,fraction,shape,size,T,quantity,value,unit,citation
    ok,,PEO-LiTFSI,LLZTO,15 vol%,sphere,400 nm,25 degC,conductivity,1e-5,S/cm,a
    high,,PEO-LiTFSI,LLZTO,15 vol%,sphere,400 nm,25 degC,conductivity,1e-2,S/cm,b
    noT,,PEO-LiTFSI,LLZTO,15 vol%,sphere,400 nm,,conductivity,1e-5,S/cm,c
    badmat,,PEO-LiTFSI,Unobtainium,15 vol%,sphere,400 nm,25 degC,conductivity,1e-5,S/cm,d
    badval,,PEO-LiTFSI,LLZTO,15 vol%,sphere,400 nm,25 degC,conductivity,abc,S/cm,e
    badq,,PEO-LiTFSI,LLZTO,15 vol%,sphere,400 nm,25 degC,viscosity,1,Pa s,f
    file,d.toml,,,,,,60 degC,t_plus,0.25,,g
    nofile,missing.toml,,,,,,60 degC,t_plus,0.25,,h
""").lstrip()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "d.toml").write_text(DESIGN)
    (tmp_path / "t.csv").write_text(TABLE)
    return tmp_path


def test_reported_table_is_stripped_before_the_design_loader(files):
    design, recs = load_design_with_reported(files / "d.toml")
    assert design.name == "PEO + LLZTO <test>"
    assert [r.quantity for r in recs] == ["conductivity", "conductivity", "t_plus", "window"]
    assert recs[0].value == pytest.approx(1e-3)  # S/m
    assert recs[3].value == 5.5
    assert recs[3].value_low == 0.0


def test_malformed_rows_get_an_error_each_and_the_rest_go_on(files):
    verdicts = {v.record_id: v for v in audit_table(files / "t.csv")}
    assert verdicts["ok"].verdict == "consistent"
    assert verdicts["high"].verdict == "implausible"
    assert verdicts["file"].verdict == "consistent"
    for rid, word in (("noT", "temperature"), ("badmat", "Unobtainium"), ("badval", "abc"),
                      ("badq", "viscosity"), ("nofile", "missing.toml")):
        assert verdicts[rid].verdict == "error", rid
        assert word in verdicts[rid].explanation, (rid, verdicts[rid].explanation)


def test_a_table_without_the_required_columns_is_rejected(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(DataFormatError, match="quantity"):
        read_records(p)


def test_outputs_rows_summary_and_escaped_html(files, tmp_path):
    verdicts = audit_table(files / "t.csv")
    paths = write_outputs(verdicts, tmp_path / "out")
    with open(paths["csv"], newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(verdicts) == 8
    summary = json.loads(paths["summary"].read_text())
    assert summary["error"] == 5
    assert summary["total"] == 8
    if "parquet" in paths:
        import pyarrow.parquet as pq

        assert pq.read_table(paths["parquet"]).num_rows == 8
    _, recs = load_design_with_reported(files / "d.toml")
    from hylyte.audit.audit import audit_records

    page = render_html(audit_records(recs))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "PEO + LLZTO &lt;test&gt;" in page


def test_cli_design_file_json_and_folder(files, tmp_path):
    res = CliRunner().invoke(app, ["audit", str(files / "d.toml"), "--json", "-o",
                                   str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    verdicts = [v["verdict"] for v in data["verdicts"]]
    assert verdicts == ["consistent", "implausible", "consistent", "implausible"]
    assert data["summary"]["implausible"] == 2
    assert (tmp_path / "o" / "audit.html").is_file()
    # PEO practical oxidation limit: top of the library range 4.0 V (PHYSICS 5.3); 5.5 V is
    # 1.5 V above it: implausible with the default 1 V margin, a mechanism with a 2 V one
    res = CliRunner().invoke(app, ["audit", str(files / "d.toml"), "--json",
                                   "--window-margin-V", "2"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["verdicts"][3]["verdict"] == "requires a mechanism"


def test_cli_ceiling_options_are_parsed_with_units(files):
    runner = CliRunner()
    res = runner.invoke(app, ["audit", str(files / "d.toml"), "--json",
                              "--interphase-sigma-max", "1e-3 S/cm",
                              "--interphase-thickness-max", "5 nm"])
    assert res.exit_code == 0, res.output
    nums = json.loads(res.stdout)["verdicts"][0]["numbers"]
    assert nums["interphase_ceiling_S_per_cm"] == pytest.approx(1e-3, rel=1e-12)
    assert nums["interphase_ceiling_thickness_nm"] == pytest.approx(5.0, rel=1e-12)
    res = runner.invoke(app, ["audit", str(files / "d.toml"), "--interphase-thickness-max",
                              "thick"])
    assert res.exit_code == 1
    assert "--interphase-thickness-max" in res.output


def test_cli_records_table_and_usage_errors(files):
    runner = CliRunner()
    res = runner.invoke(app, ["audit", "--records", str(files / "t.csv")])
    assert res.exit_code == 0, res.output
    assert "implausible" in res.stdout
    assert "summary:" in res.stdout
    res = runner.invoke(app, ["audit"])
    assert res.exit_code == 1
    assert "exactly one" in res.output
    res = runner.invoke(app, ["audit", str(files / "nothere.toml")])
    assert res.exit_code == 1
    assert "not found" in res.output
    assert runner.invoke(app, ["audit", "--help"]).exit_code == 0


def test_the_documented_example_shows_every_kind_of_verdict():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "examples" / "audit"
    verdicts = {v.record_id: v for v in audit_table(root / "published.csv")}
    kinds = {v.verdict for v in verdicts.values()}
    assert {"consistent", "requires a mechanism", "implausible", "error"} <= kinds
    # the published values are above the bulk estimate of their stated structures but below
    # the mechanism ceiling: they need a mechanism, and the size of one is given
    for key in ("croce1998", "liu2015", "fu2016"):
        v = verdicts[key]
        assert v.verdict == "requires a mechanism", (key, v.explanation)
        assert v.value_SI < v.numbers["mechanism_ceiling_S_per_cm"] * 100
        assert v.mechanisms
    # genuinely implausible synthetic rows: 0.1 S/cm for a PEO composite at 25 degC, and a
    # stack t+ above the R-weighted series bound
    assert verdicts["syn-ceiling"].verdict == "implausible"
    assert verdicts["syn-stack-t"].verdict == "implausible"
