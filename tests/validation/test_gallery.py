"""Validation gallery: data integrity, ratio bookkeeping, one physical bound, and the CLI."""

from __future__ import annotations

import json
import math
import re
import tomllib

import pytest
from typer.testing import CliRunner

from hylyte.cli import app
from hylyte.design import load_design
from hylyte.errors import DataFormatError
from hylyte.materials import get_material
from hylyte.validation import gallery as g

CASES = g.load_gallery()
RAW = tomllib.loads((g.data_dir() / "cases.toml").read_text(encoding="utf-8"))["case"]
runner = CliRunner()


def test_gallery_has_at_least_15_cases_with_unique_ids():
    assert len(CASES) >= 15
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_has_a_citation_and_a_doi(case):
    assert case.citation.strip()
    assert re.match(r"^10\.\d{4,9}/\S+$", case.doi)
    assert case.location.strip()
    assert case.verification in ("search", "certain", "none")


@pytest.mark.parametrize("name", sorted({c.design for c in CASES}))
def test_every_design_file_loads(name):
    from hylyte.design import CompositeDesign

    design = load_design(g.data_dir() / "designs" / name)
    assert isinstance(design, CompositeDesign)


def test_measured_values_are_read_from_the_file_not_the_code():
    # Independent reading of the TOML: conductivities are stored in S/cm (or S/m).
    by_id = {c.id: c for c in CASES}
    for raw in RAW:
        m = raw["measured"]
        factor = {"S/cm": 1.0, "S/m": 0.01, "mS/cm": 1e-3, "": 1.0}[m["unit"]]
        assert by_id[raw["id"]].measured == pytest.approx(m["value"] * factor, rel=1e-12)


def test_ratio_is_prediction_over_stored_measurement(monkeypatch):
    # A fixed prediction of 1e-4 S/cm: the ratio must follow the stored measured value.
    monkeypatch.setattr(g, "predict", lambda case, designs=None: 1e-4)
    picked = [c for c in CASES if c.quantity == "conductivity"][:3]
    res = g.run_gallery(picked)
    assert [r.ratio for r in res] == pytest.approx([1e-4 / c.measured for c in picked])
    assert [r.predicted for r in res] == [1e-4] * 3


@pytest.mark.parametrize(("ratio", "expected"), [
    (1.0, "within 3x"), (3.0, "within 3x"), (1 / 3.0, "within 3x"), (3.01, "within 10x"),
    (0.2, "within 10x"), (10.0, "within 10x"), (10.5, "off > 10x"), (0.05, "off > 10x"),
    (float("nan"), "error"),
])
def test_verdict_bands(ratio, expected):
    assert g.verdict(ratio) == expected


def test_passive_filler_prediction_obeys_the_hashin_shtrikman_upper_bound():
    # Insulating spheres in a conducting matrix (3D): sigma <= sigma_m * 2(1-phi)/(2+phi)
    # (Hashin and Shtrikman 1962, doi:10.1063/1.1728579). phi from 10 wt% TiO2 by hand.
    case = next(c for c in CASES if c.id == "croce1998-tio2-30C")
    rho_f, rho_m = 3.89, get_material("PEO-LiClO4").density / 1000.0
    phi = (0.1 / rho_f) / (0.1 / rho_f + 0.9 / rho_m)
    sigma_m = float(get_material("PEO-LiClO4").sigma(case.T_K)) / 100.0  # S/cm
    bound = sigma_m * 2 * (1 - phi) / (2 + phi)
    pred = g.predict(case)
    assert 0.0 < pred <= bound * (1 + 1e-9)
    assert pred > 0.5 * bound   # dilute spheres sit close to the bound, not far below it


def test_bad_doi_and_unknown_design_are_refused(tmp_path):
    (tmp_path / "designs").mkdir()
    (tmp_path / "designs" / "x.toml").write_text("")
    base = ('[[case]]\nid = "a"\ncitation = "A (2000)"\ndoi = "{doi}"\n'
            'quantity = "conductivity"\nT = "25 degC"\n'
            'measured = {{ value = 1e-4, unit = "S/cm" }}\n'
            'location = "abstract"\nverification = "none"\ndesign = "{design}"\n')
    f = tmp_path / "cases.toml"
    f.write_text(base.format(doi="doi:10.1/x", design="x.toml"))
    with pytest.raises(DataFormatError, match="doi"):
        g.load_gallery(f)
    f.write_text(base.format(doi="10.1000/x", design="missing.toml"))
    with pytest.raises(DataFormatError, match="design"):
        g.load_gallery(f)


def test_cli_validate_writes_plot_and_table(tmp_path):
    out = tmp_path / "val"
    result = runner.invoke(app, ["validate", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert len(doc["cases"]) == len(CASES)
    for row in doc["cases"]:
        if row["ratio"] is not None:
            assert math.isclose(row["ratio"], row["predicted"] / row["measured"], rel_tol=1e-12)
    png = (out / "validation_parity.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "validation.csv").read_text().splitlines()[0].startswith("id,")
    assert json.loads((out / "validation.json").read_text())["summary"]["cases"] == len(CASES)


def test_cli_validate_prints_the_table(tmp_path):
    result = runner.invoke(app, ["validate", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "measured" in result.output
    assert "ratio" in result.output
    assert "croce1998-tio2-30C" in result.output
