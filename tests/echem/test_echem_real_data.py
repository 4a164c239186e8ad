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
