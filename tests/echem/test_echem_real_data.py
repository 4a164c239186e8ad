"""Real instrument files (tests/data/echem/real/, sources and licences in the README there):
the readers read them, the fits reach impedance.py's cost on them and lin-KK runs on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from hylyte.echem.circuits import parse_circuit
from hylyte.echem.eis import fit_circuit
from hylyte.echem.kk import lin_kk
from hylyte.echem.readers import EchemData, read, read_csv
from hylyte.errors import HylyteError

REAL = Path(__file__).resolve().parents[1] / "data" / "echem" / "real"
MPT = REAL / "exampleDataBioLogic.mpt"
ZPLOT = REAL / "exampleDataZPlot.z"
Z60W = REAL / "exampleDataAutolab.txt"
GAMRY = REAL / "exampleDataGamry.DTA"


def _read_z60w() -> EchemData:
    # Scribner "Z60W Data File": 10 header lines, a space-separated quoted column header,
    # comma-separated rows  Freq, Ampl, Bias, Time, Z', Z'', GD, Err, Range.
    return read_csv(Z60W, columns={"frequency_Hz": 0, "z_real_ohm": 4, "z_imag_ohm": 5},
                    skip_rows=10, delimiter=",")


def _raw_rows(path: Path, start: int, sep: str | None, encoding: str = "latin-1") -> np.ndarray:
    """Independent parse of the numeric rows with plain numpy."""
    lines = path.read_text(encoding=encoding).splitlines()[start:]
    return np.array([[float(t) for t in ln.split(sep) if t.strip()] for ln in lines
                     if ln.strip()])


# ------------------------------------------------------------------------------- readers
def test_biologic_mpt_real_file():
    d = read(MPT)
    assert d.metadata["format"] == "biologic-mpt"
    raw = _raw_rows(MPT, 61, "\t")  # "Nb header lines : 61" in the file
    assert len(d) == raw.shape[0] == 43
    np.testing.assert_array_equal(d.frequency_Hz, raw[:, 0])
    np.testing.assert_array_equal(d.z_real_ohm, raw[:, 1])
    np.testing.assert_array_equal(d.z_imag_ohm, -raw[:, 2])  # file has -Im(Z)
    # the instrument's own |Z| and phase columns agree with what we read
    np.testing.assert_allclose(np.abs(d.impedance), raw[:, 3], rtol=1e-6)
    np.testing.assert_allclose(np.degrees(np.angle(d.impedance)), raw[:, 4], atol=1e-5)
    # <I>/mA converted to A
    np.testing.assert_allclose(d.current_A, raw[:, 7] * 1e-3, rtol=1e-12)


def test_biologic_mpt_detected_by_content(tmp_path):
    p = tmp_path / "renamed.txt"
    shutil.copyfile(MPT, p)
    d = read(p)
    assert d.metadata["format"] == "biologic-mpt"
    assert len(d) == 43


def test_gamry_dta_real_file():
    """Potentiostatic EIS with an OCVCURVE table before the ZCURVE table."""
    d = read(GAMRY)
    assert d.metadata["format"] == "gamry-dta"
    lines = GAMRY.read_text(encoding="latin-1").splitlines()
    start = lines.index("ZCURVE\tTABLE") + 3
    raw = _raw_rows(GAMRY, start, "\t")
    assert len(d) == raw.shape[0] == 72
    np.testing.assert_array_equal(d.frequency_Hz, raw[:, 2])
    np.testing.assert_array_equal(d.impedance, raw[:, 3] + 1j * raw[:, 4])
    np.testing.assert_array_equal(d.time_s, raw[:, 1])
    # the instrument's Zmod and Zphz columns agree with what we read
    np.testing.assert_allclose(np.abs(d.impedance), raw[:, 6], rtol=1e-5)
    np.testing.assert_allclose(np.degrees(np.angle(d.impedance)), raw[:, 7], atol=1e-4)


def test_gamry_dta_detected_by_content(tmp_path):
    p = tmp_path / "renamed.txt"
    shutil.copyfile(GAMRY, p)
    assert read(p).metadata["format"] == "gamry-dta"


def test_zplot_real_file_tab_separated():
    d = read(ZPLOT)
    assert d.metadata["format"] == "zview-z"
    lines = ZPLOT.read_text(encoding="latin-1").splitlines()
    raw = _raw_rows(ZPLOT, lines.index("End Comments") + 1, "\t")
    assert len(d) == raw.shape[0] == 21
    np.testing.assert_array_equal(d.frequency_Hz, raw[:, 0])
    np.testing.assert_array_equal(d.impedance, raw[:, 4] + 1j * raw[:, 5])


def test_z60w_real_file_with_column_mapping():
    d = _read_z60w()
    assert len(d) == 41  # the point count written in the file's header
    raw = _raw_rows(Z60W, 11, ",")
    np.testing.assert_array_equal(d.frequency_Hz, raw[:, 0])
    np.testing.assert_array_equal(d.impedance, raw[:, 4] + 1j * raw[:, 5])


def test_z60w_layout_is_auto_detected():
    # the file's first line names the format; the dedicated reader gives the same rows as the
    # explicit column mapping above
    d = read(Z60W)
    raw = _raw_rows(Z60W, 11, ",")
    np.testing.assert_array_equal(d.frequency_Hz, raw[:, 0])
    np.testing.assert_array_equal(d.impedance, raw[:, 4] + 1j * raw[:, 5])
    assert d.metadata["format"] == "z60w"


def test_z60w_reader_refuses_other_files():
    from hylyte.echem.readers import read_scribner_z60w

    with pytest.raises(HylyteError, match="not a Z60W"):
        read_scribner_z60w(REAL / "exampleDataZPlot.z")


# --------------------------------------------------------------------- fits vs impedance.py
CASES = [
    ("mpt", "R0-p(R1,CPE1)"),
    ("zplot", "R0-p(R1,CPE1)"),
    ("z60w", "L0-R0-p(R1,CPE1)-CPE2"),
    ("gamry", "R0-p(R1,CPE1)-p(R2,CPE2)"),
]


def _data(name: str) -> EchemData:
    return {"mpt": lambda: read(MPT), "zplot": lambda: read(ZPLOT), "z60w": _read_z60w,
            "gamry": lambda: read(GAMRY)}[name]()


def _plain_guess(circuit: str, f: np.ndarray, Z: np.ndarray) -> list[float]:
    """A hand-made start for impedance.py, independent of hylyte's initial_guess."""
    hi, lo = Z[np.argmax(f)].real, Z[np.argmin(f)].real
    out: list[float] = []
    for el in parse_circuit(circuit).elements:
        name = el.label
        if name.startswith("L"):
            out.append(1e-7)
        elif name == "R0":
            out.append(max(hi, 1e-3 * abs(lo)))
        elif name.startswith("R"):
            out.append(max(lo - hi, 1e-3 * abs(lo)))
        else:  # CPE
            out += [1e-5, 0.8]
    return out


@pytest.mark.parametrize("weighting", ["unit", "modulus"])
@pytest.mark.parametrize(("name", "circuit"), CASES)
def test_fit_cost_not_worse_than_impedance_py(name, circuit, weighting):
    """Same data, circuit and weighting (impedance.py: unweighted or ``weight_by_modulus``).
    Started from our solution impedance.py must not go lower; started from a plain guess it
    must not reach a lower cost than ours either."""
    pytest.importorskip("impedance")
    import warnings

    from impedance.models.circuits.fitting import circuit_fit

    d = _data(name)
    f, Z = d.frequency_Hz, d.impedance
    ours = fit_circuit(d, circuit, weighting=weighting, n_starts=8, rng=0)
    model = parse_circuit(circuit)
    w = np.ones(f.size) if weighting == "unit" else 1.0 / np.abs(Z)

    def cost(p):
        r = (model.impedance(f, p) - Z) * w
        return 0.5 * float(np.sum(r.real ** 2 + r.imag ** 2))

    assert cost(ours.params) == pytest.approx(ours.cost, rel=1e-10)
    kw = {"weight_by_modulus": weighting == "modulus"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # impedance.py's covariance warnings
        polished, _ = circuit_fit(f, Z, circuit, list(ours.params), **kw)
        own, _ = circuit_fit(f, Z, circuit, _plain_guess(circuit, f, Z), **kw)
    assert cost(polished) >= ours.cost * (1 - 1e-6)
    assert cost(own) >= ours.cost * (1 - 1e-6)
    # a real improvement over the no-arc model R0 (+L0) rules out a degenerate fit
    assert ours.cost < 0.5 * cost(_flat(model, f, Z, w))


def _flat(model, f: np.ndarray, Z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Parameters of the best purely resistive (+ inductive) model as a baseline."""
    p = []
    R = float(np.sum(w ** 2 * Z.real) / np.sum(w ** 2))
    for el in model.elements:
        if el.label.startswith("L"):
            p.append(1e-12)
        elif el.label == "R0":
            p.append(R)
        elif el.label.startswith("R"):
            p.append(1e-9)
        else:
            p += [1e-12, 1.0]  # a CPE with negligible admittance is an open branch
    return np.array(p)


# ------------------------------------------------------------------------------- lin-KK
@pytest.mark.parametrize("name", ["mpt", "zplot", "z60w", "gamry"])
def test_lin_kk_runs_on_real_spectra(name):
    d = _data(name)
    res = lin_kk(d, inductance=(name == "z60w"))
    Z = d.impedance
    assert res.residual_real.shape == res.residual_imag.shape == Z.shape
    # residuals are (Z - Z_fit)/|Z|, recomputed from the fitted spectrum
    np.testing.assert_allclose(res.residual_real, (Z - res.Z_fit_ohm).real / np.abs(Z),
                               atol=1e-12)
    np.testing.assert_allclose(res.residual_imag, (Z - res.Z_fit_ohm).imag / np.abs(Z),
                               atol=1e-12)
    assert res.max_abs_residual == pytest.approx(
        max(np.abs(res.residual_real).max(), np.abs(res.residual_imag).max()))
    assert res.M >= 1
    assert np.isfinite(res.max_abs_residual)
    assert res.max_abs_residual < 0.2


def test_lin_kk_needs_the_inductance_on_an_inductive_spectrum():
    """The Z60W spectrum turns inductive (Im Z > 0) above ~2 kHz: RC elements alone cannot
    follow it, a series inductance can."""
    d = _read_z60w()
    assert np.any(d.z_imag_ohm > 0)
    without = lin_kk(d)
    with_l = lin_kk(d, inductance=True)
    assert with_l.L_H > 0
    assert with_l.max_abs_residual < 0.1 < without.max_abs_residual


# ----------------------------------------------- real temperature series of a solid pellet
# tests/data/echem/real/eisfitpython/ (EISFitpython example data, MIT licence; sources in the
# README there). Reference values are EISFitpython's own analysis of the same spectra:
# Example_scripts/Example3/Batch_EISfit_Report.txt and Arrhenius_Analysis_Report.txt, and
# Example4/Arrhenius_Analysis_Report.txt (a simultaneous fit of all temperatures), all @
# b45e3d5316c65f16b88d54d6e446d17642c87efe.
SERIES = REAL / "eisfitpython"
SERIES_T_C = np.array([140.0, 150.0, 160.0, 170.0, 180.0, 190.0, 200.0])
SERIES_ROWS = (42, 42, 42, 41, 41, 41, 40)
PELLET_THICKNESS_M = 0.21e-2  # "l = 0.21  # Pellet thickness in cm"
PELLET_AREA_M2 = np.pi * (0.8e-2 / 2) ** 2  # "D = 0.8  # Pellet diameter in cm"
SERIES_CIRCUIT = "p(R1,CPE1)-p(R2,CPE2)-CPE3"  # its "(R1|Q1)+(R2|Q2)+Q3"
# R1, stderr, R2, stderr [ohm] and corr(R1, R2) at 413, 423, ..., 473 K (its batch report)
EISFITPY_R = [
    (1.462e05, 1.250e04, 2.012e06, 1.658e04, -0.922),
    (1.123e05, 8.431e03, 1.139e06, 9.970e03, -0.958),
    (7.949e04, 4.697e03, 6.673e05, 5.248e03, -0.975),
    (5.605e04, 2.603e03, 3.980e05, 2.811e03, -0.985),
    (3.984e04, 2.062e03, 2.430e05, 2.174e03, -0.991),
    (2.743e04, 1.697e03, 1.526e05, 1.762e03, -0.994),
    (2.246e04, 2.180e03, 9.502e04, 2.221e03, -0.998),
]
# activation energies [eV] (sigma T form): batch fit (Example3) and simultaneous fit (Example4)
EISFITPY_EA = {"bulk": (0.5869, 0.5694), "grain_boundary": (0.8919, 0.8907),
               "total": (0.8555, 0.8566)}


def _series_files() -> list[Path]:
    return [SERIES / f"s04147-{int(t)}deg.txt" for t in SERIES_T_C]


@pytest.fixture(scope="module")
def series_spectra() -> list[EchemData]:
    return [read(p) for p in _series_files()]


@pytest.fixture(scope="module")
def series_fits(series_spectra):
    from hylyte.echem.eis import fit_series

    return fit_series(series_spectra, SERIES_CIRCUIT, weighting="modulus")


def test_novocontrol_text_series_read_without_options(series_spectra):
    for path, d, n in zip(_series_files(), series_spectra, SERIES_ROWS, strict=True):
        raw = _raw_rows(path, 3, "\t")  # title, "Fixed value(s)", column header
        assert len(d) == raw.shape[0] == n
        np.testing.assert_array_equal(d.frequency_Hz, raw[:, 0])
        np.testing.assert_array_equal(d.z_real_ohm, raw[:, 1])
        np.testing.assert_array_equal(d.z_imag_ohm, raw[:, 2])  # Zs'' is Im Z itself
        assert np.all(d.z_imag_ohm < 0)  # capacitive pellet, no inductive tail
        assert d.frequency_Hz[0] == 1e6


def test_series_passes_lin_kk(series_spectra):
    """Blocking electrodes (the low-frequency CPE spike) need the series capacitance; then
    every spectrum is Kramers-Kronig consistent to about 2 % at the top frequencies and
    0.5 % rms, which also shows that no number was garbled in transcription."""
    for d in series_spectra:
        res = lin_kk(d, capacitance=True)
        assert res.max_abs_residual < 0.03
        rms = np.sqrt(np.mean(res.residual_real ** 2 + res.residual_imag ** 2))
        assert rms < 0.006


def test_series_fits_reproduce_the_independent_analysis(series_fits):
    """Same circuit and weighting as EISFitpython's batch fit: same optimum, same errors,
    and the total resistance's error follows from the R1-R2 correlation."""
    for fit, (r1, s1, r2, s2, rho) in zip(series_fits, EISFITPY_R, strict=True):
        r1_fit, se1 = fit.resistance("bulk")
        r2_fit, se2 = fit.resistance("grain_boundary")
        assert r1_fit == pytest.approx(r1, rel=6e-4)  # its report prints 4 digits
        assert r2_fit == pytest.approx(r2, rel=6e-4)
        assert se1 == pytest.approx(s1, rel=0.02)
        assert se2 == pytest.approx(s2, rel=0.02)
        rt_fit, set_ = fit.resistance("total")
        assert rt_fit == pytest.approx(r1_fit + r2_fit, rel=1e-12)
        se_total_ref = np.sqrt(s1 ** 2 + s2 ** 2 + 2 * rho * s1 * s2)
        assert set_ == pytest.approx(se_total_ref, rel=0.1)
        assert set_ < min(se1, se2)  # anti-correlated arcs: the sum is better determined


def test_series_arrhenius_regression_matches_the_independent_code(series_fits):
    """Unweighted ln(sigma T) regression with its T = degC + 273: its printed Ea."""
    from hylyte.echem.eis import conductivity_from_resistance
    from hylyte.echem.temperature_fit import fit_arrhenius

    for which, (ea_batch, _) in EISFITPY_EA.items():
        R = np.array([f.resistance(which)[0] for f in series_fits])
        sig = conductivity_from_resistance(R, thickness_m=PELLET_THICKNESS_M,
                                           area_m2=PELLET_AREA_M2)
        fit = fit_arrhenius(SERIES_T_C + 273.0, sig, form="sigmaT")
        assert fit.Ea_eV == pytest.approx(ea_batch, abs=6e-4)


@pytest.mark.parametrize("which", ["bulk", "grain_boundary", "total"])
def test_series_activation_energy_interval_contains_both_independent_analyses(series_fits,
                                                                               which):
    from hylyte.echem.series import arrhenius_from_eis

    res = arrhenius_from_eis(series_fits, SERIES_T_C + 273.15, thickness_m=PELLET_THICKNESS_M,
                             area_m2=PELLET_AREA_M2, resistance=which)
    lo, hi = res.Ea_ci_eV
    for ea in EISFITPY_EA[which]:
        assert lo <= ea <= hi
    # the reported error is the larger of the propagated and the scatter estimate
    assert res.Ea_stderr_eV == pytest.approx(max(res.fit_propagated.Ea_stderr_eV,
                                                 res.fit_scatter.Ea_stderr_eV), rel=1e-12)
    # and an honest one: not below the propagated impedance-fit errors, and meaningful
    assert res.Ea_stderr_eV >= res.fit_propagated.Ea_stderr_eV
    assert 0 < hi - lo < 0.3 * res.Ea_eV


def test_series_total_resistance_activation_energy_is_stable_across_weighting(
        series_spectra, series_fits):
    """The arc split of this spectrum depends on the weighting (proportional weighting finds
    other decompositions); the total hardly does: the two 95 % intervals overlap and the
    estimates differ by less than 2.5 combined standard errors (0.0035 eV here, the size of
    the statistical interval: the weighting is a systematic choice of that order)."""
    from hylyte.echem.eis import fit_series
    from hylyte.echem.series import arrhenius_from_eis

    prop = fit_series(series_spectra, SERIES_CIRCUIT, weighting="proportional")
    kw = {"thickness_m": PELLET_THICKNESS_M, "area_m2": PELLET_AREA_M2, "resistance": "total"}
    T = SERIES_T_C + 273.15
    a = arrhenius_from_eis(series_fits, T, **kw)
    b = arrhenius_from_eis(prop, T, **kw)
    assert a.Ea_ci_eV[0] <= b.Ea_ci_eV[1]
    assert b.Ea_ci_eV[0] <= a.Ea_ci_eV[1]
    assert abs(a.Ea_eV - b.Ea_eV) < 2.5 * np.hypot(a.Ea_stderr_eV, b.Ea_stderr_eV)
