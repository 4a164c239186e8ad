"""``hylyte materials list|show`` and ``hylyte cite`` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from hylyte.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_list_json_has_thirty_materials_each_with_a_doi():
    res = _run("materials", "list", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) >= 30
    for row in rows:
        assert any(r["doi"] for r in row["references"]), row["name"]


def test_list_filters_by_kind_and_rejects_unknown_kinds():
    res = _run("materials", "list", "--kind", "ceramic", "--json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)
    assert rows
    assert {r["kind"] for r in rows} == {"ceramic"}
    bad = _run("materials", "list", "--kind", "plasma")
    assert bad.exit_code == 1
    assert "plasma" in bad.stderr


def test_list_text_output():
    res = _run("materials", "list")
    assert res.exit_code == 0
    assert "LLZTO" in res.stdout
    assert "sigma25 [S/cm]" in res.stdout


def test_show_llzto_json_inside_published_range():
    res = _run("materials", "show", "LLZTO", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    s25 = data["sigma_S_per_cm"]["25 degC"]
    # PHYSICS 10: LLZTO 1e-4 - 1e-3 S/cm at 25 degC; Li et al. 2012 report about 1e-3 S/cm
    assert 1e-4 <= s25 <= 1e-3
    lo, hi = data["sigma25_range_S_per_cm"]
    assert lo <= s25 <= hi
    assert data["density_kg_per_m3"] == pytest.approx(5450.0)
    assert all(r["doi"] for r in data["references"])
    # conductivity rises with T for an Arrhenius conductor
    assert data["sigma_S_per_cm"]["25 degC"] < data["sigma_S_per_cm"]["60 degC"] < \
        data["sigma_S_per_cm"]["80 degC"]


def test_show_peo_crosses_the_melting_knee():
    res = _run("materials", "show", "PEO-LiTFSI", "--json")
    data = json.loads(res.stdout)
    s = data["sigma_S_per_cm"]
    assert s["80 degC"] / s["25 degC"] >= 10.0


def test_show_text_lists_references_with_dois():
    res = _run("materials", "show", "llzo")
    assert res.exit_code == 0
    assert "doi:10.1002/anie.200701144" in res.stdout
    assert "sigma(25 degC)" in res.stdout


def test_show_unknown_material_is_one_line_without_traceback():
    res = _run("materials", "show", "unobtainium")
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: unknown material 'unobtainium'; did you mean")
    assert "Traceback" not in res.output


def test_show_with_user_materials_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text("""
[MyFiller]
kind = "filler"
density = { value = 2.5, unit = "g/cm^3", ref = "doi:10.1234/abc" }
conductivity = { law = "constant", sigma = "0 S/m" }
""", encoding="utf-8")
    res = _run("materials", "show", "MyFiller", "--json", "--materials", str(f))
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["density_kg_per_m3"] == pytest.approx(2500.0)
    assert data["references"][0]["doi"] == "10.1234/abc"
    bad = tmp_path / "bad.toml"
    bad.write_text("[X]\nkind = 'filler'\ndensity = { value = -1, unit = 'g/cm^3', "
                   "ref = 'Ni2012' }\n", encoding="utf-8")
    res = _run("materials", "list", "--materials", str(bad))
    assert res.exit_code == 1
    assert "bad.toml" in res.stderr
    assert "density" in res.stderr


def test_cite_prints_bibtex_of_what_was_used():
    res = _run("cite", "LLZTO", "PEO-LiTFSI")
    assert res.exit_code == 0, res.output
    for key in ("Murugan2007", "Ni2012", "Li2012", "Lascaud1994", "Pesko2017"):
        assert f"{{{key}," in res.stdout
    assert res.stdout.count("@article{Murugan2007") == 1


def test_cite_json_and_bib_keys():
    res = _run("cite", "Milton2002", "LGPS", "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    keys = {d["key"] for d in data}
    assert {"Milton2002", "Kamaya2011", "Zhu2015"} <= keys
    assert next(d for d in data if d["key"] == "Milton2002")["isbn"]
    bad = _run("cite", "unobtainium")
    assert bad.exit_code == 1
    assert "did you mean" in bad.stderr


def test_help_pages():
    for args in (("materials", "--help"), ("materials", "list", "--help"),
                 ("materials", "show", "--help"), ("cite", "--help")):
        res = _run(*args)
        assert res.exit_code == 0
        assert "--help" in res.stdout
