"""Calibration of design parameters against conductivity vs T.

Synthetic data come from the design layer's own evaluation (``hylyte.design.evaluate``) of a
design with known parameter values, plus seeded log-normal noise; the fit must recover the
known values within its reported 95 % intervals.
"""

from __future__ import annotations

import json
import math
import tomllib

import numpy as np
import pytest
from typer.testing import CliRunner

from hylyte.cli import app
from hylyte.design import design_from_dict, evaluate, load_design
from hylyte.echem.calibrate import (
    CalibrationData,
    ModelState,
    calibrate,
    dumps_toml,
    get_parameter,
    parameter_names,
    read_calibration_csv,
    set_parameter,
)
from hylyte.errors import DataFormatError, DesignError, InputError

T_C = np.linspace(0.0, 100.0, 11)
SIGMA_I_TRUE = 2e-3  # S/m (2e-5 S/cm)
B_TRUE = 1100.0  # K


def _design(fraction="10 vol%", sigma_i="1e-5 S/cm", B="1000 K", size="50 nm",
            filler="SiO2", interface=None):
    f = {"material": filler, "fraction": fraction, "shape": "sphere", "size": size,
         "interphase": {"thickness": "3 nm", "conductivity": sigma_i}}
    if interface is not None:
        f = {"material": filler, "fraction": fraction, "shape": "sphere", "size": size,
             "interface": interface}
    return design_from_dict({
        "design": {"name": "PEO + SiO2", "kind": "composite"},
        "matrix": {"law": {"law": "vtf", "A": "40 S/m", "B": B, "T0": "180 K"},
                   "rho_plus": 0.2, "density": "1.24 g/cm^3"},
        "fillers": [f],
        "evaluate": {"temperatures": [f"{float(t)!r} degC" for t in T_C]},
    })


def _measured(design):
    """Through-plane conductivity [S/cm] from the design layer's evaluation."""
    res = evaluate(design)
    return np.array([p.conductivity_S_per_cm for p in res.points])


def _write_csv(path, rows, header="T_degC,fraction,sigma_S_per_cm"):
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    return path


@pytest.fixture
def three_loadings(tmp_path):
    rng = np.random.default_rng(20240611)
    rows = []
    for frac in ("5 vol%", "10 vol%", "20 vol%"):
        s = _measured(_design(frac, sigma_i=f"{SIGMA_I_TRUE / 100!r} S/cm",
                              B=f"{B_TRUE!r} K"))
        s = s * np.exp(rng.normal(0.0, 0.03, s.size))  # 3 % log-normal noise
        rows += [(t, frac, v) for t, v in zip(T_C, s, strict=True)]
    return _write_csv(tmp_path / "data.csv", rows)


def test_noise_free_single_loading_recovers_the_parameter(tmp_path):
    s = _measured(_design(sigma_i=f"{SIGMA_I_TRUE / 100!r} S/cm"))
    data = read_calibration_csv(_write_csv(tmp_path / "d.csv", list(zip(T_C, s, strict=True)),
                                           header="T_degC,sigma_S_per_cm"))
    res = calibrate(_design(), data, ["interphase.conductivity"])
    p = res.parameters[0]
    assert p.value == pytest.approx(SIGMA_I_TRUE, rel=1e-6)
    assert res.rms_log_residual < 1e-8


def test_noisy_three_loadings_recovered_within_the_95_percent_intervals(three_loadings):
    data = read_calibration_csv(three_loadings)
    assert len(data.variants) == 3
    res = calibrate(_design(), data, ["interphase.conductivity", "matrix.B"])
    got = {p.name: p for p in res.parameters}
    for name, true in (("interphase.conductivity", SIGMA_I_TRUE), ("matrix.B", B_TRUE)):
        p = got[name]
        assert p.ci95_low < true < p.ci95_high, (name, p)
        assert p.ci95_low < p.value < p.ci95_high
        assert p.std > 0
    # the residual scatter matches the 3 % noise that was put in
    assert 0.015 < res.rms_log_residual < 0.045
    assert not any("correlated" in w for w in res.warnings)


def test_collinear_pair_is_flagged(three_loadings):
    # the VTF prefactor and the matrix modification factor both multiply sigma_p
    data = read_calibration_csv(three_loadings)
    res = calibrate(_design(), data, ["matrix.A", "matrix.conductivity_factor"])
    text = " ".join(res.warnings)
    assert "strongly correlated" in text or "singular" in text or "not constrained" in text
    r = res.correlation[0, 1]
    assert not np.isfinite(r) or abs(r) > 0.95


def test_thin_interphase_pair_is_flagged_and_its_product_recovered(tmp_path):
    # t = 3 nm on r = 250 nm: the thin-shell limit, where only sigma_i t acts (PHYSICS 3.6)
    rng = np.random.default_rng(7)
    s = _measured(_design(sigma_i="1e-4 S/cm", size="500 nm"))
    s = s * np.exp(rng.normal(0.0, 0.01, s.size))
    data = read_calibration_csv(_write_csv(tmp_path / "d.csv", list(zip(T_C, s, strict=True)),
                                           header="T_degC,sigma_S_per_cm"))
    res = calibrate(_design(size="500 nm"), data,
                    ["interphase.conductivity", "interphase.thickness"])
    assert "PHYSICS 3.6" in " ".join(res.warnings)
    sheet = res.parameters[0].value * res.parameters[1].value
    assert sheet == pytest.approx(1e-2 * 3e-9, rel=0.15)  # the identifiable product
    r = res.correlation[0, 1]
    assert abs(r) > 0.5  # strongly negative: a larger t is traded for a smaller sigma_i
    assert r < 0


def test_interface_asr_and_filler_factor_with_one_size_is_flagged(tmp_path):
    # PHYSICS 3.7: one particle size fixes only sigma_c / (1 + 2 R sigma_c / d)
    itf = {"asr": "20 ohm cm^2", "at": "25 degC", "activation_energy": "0.3 eV"}
    d = _design(filler="LLZTO", size="1 um", fraction="20 vol%", interface=itf)
    s = _measured(d)
    data = read_calibration_csv(_write_csv(tmp_path / "d.csv", list(zip(T_C, s, strict=True)),
                                           header="T_degC,sigma_S_per_cm"))
    res = calibrate(d, data, ["interface.asr", "filler.conductivity_factor"])
    text = " ".join(res.warnings)
    assert "PHYSICS 3.7" in text
    assert "correlated" in text or "not constrained" in text or "singular" in text


def test_bad_parameter_names_are_rejected_with_the_allowed_list():
    data = CalibrationData(T_K=np.array([300.0, 310.0, 320.0]),
                           sigma_S_per_m=np.array([1e-3, 2e-3, 3e-3]))
    with pytest.raises(InputError) as err:
        calibrate(_design(), data, ["interphase.colour"])
    msg = str(err.value)
    assert "interphase.colour" in msg
    for name in parameter_names():
        assert name in msg
    with pytest.raises(InputError, match="filler 3"):
        calibrate(_design(), data, ["fillers[3].interphase.conductivity"])
    with pytest.raises(InputError, match="more data points"):
        calibrate(_design(), data, ["interphase.conductivity", "matrix.B", "matrix.A"])


def test_calibration_needs_a_composite():
    stack = design_from_dict({"design": {"name": "s", "kind": "stack"},
                              "layers": [{"material": "LLZTO", "thickness": "100 um"}]})
    data = CalibrationData(T_K=np.array([300.0, 310.0]), sigma_S_per_m=np.array([1.0, 2.0]))
    with pytest.raises(DesignError, match="composite"):
        calibrate(stack, data, ["matrix.conductivity_factor"])


def test_set_and_get_parameters_and_sheet_conductance():
    st = ModelState(_design(sigma_i="1e-5 S/cm"))
    assert get_parameter(st, "interphase.sheet_conductance") == pytest.approx(1e-3 * 3e-9)
    st2 = set_parameter(st, "interphase.sheet_conductance", 6e-12)
    assert get_parameter(st2, "interphase.conductivity") == pytest.approx(2e-3)
    st3 = set_parameter(st, "matrix.T0", 190.0)
    assert st3.design.matrix.law.T0_K == 190.0
    assert math.isnan(get_parameter(st, "interface.asr"))


def test_data_file_errors_name_row_and_column(tmp_path):
    p = _write_csv(tmp_path / "bad.csv", [(25, "x")], header="T_degC,sigma_S_per_cm")
    with pytest.raises(DataFormatError, match="row 2"):
        read_calibration_csv(p)
    p = _write_csv(tmp_path / "bad2.csv", [(25, 1e-4)], header="Temp,sigma_S_per_cm")
    with pytest.raises(DataFormatError, match="T_K, T_degC"):
        read_calibration_csv(p)


def test_toml_writer_round_trips_designs():
    for d in (_design(), _design(filler="LLZTO", interface={"asr": "10 ohm cm^2"})):
        again = design_from_dict(tomllib.loads(dumps_toml(d.to_dict(), header=["x"])))
        assert again.to_dict() == d.to_dict()


def test_cli_calibrate_writes_a_loadable_design(three_loadings, tmp_path):
    src = tmp_path / "design.toml"
    src.write_text(dumps_toml(_design().to_dict()))
    out = tmp_path / "calibrated.toml"
    res = CliRunner().invoke(app, ["calibrate", str(src), str(three_loadings), "--params",
                                   "interphase.conductivity,matrix.B", "-o", str(out),
                                   "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert [p["name"] for p in payload["parameters"]] == ["interphase.conductivity",
                                                          "matrix.B"]
    cal = load_design(out)
    fitted = payload["parameters"][0]["value_SI"]
    assert cal.fillers[0].interphase.sigma_S_per_m == pytest.approx(fitted, rel=1e-12)
    assert out.read_text().startswith("# calibrated against")
    bad = CliRunner().invoke(app, ["calibrate", str(src), str(three_loadings), "--params",
                                   "nope"])
    assert bad.exit_code == 1
    assert "allowed" in bad.output
