"""Every reader on its sample file (synthetic, see tests/data/echem/README.md), error paths
and a fuzz test with random bytes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hylyte._optional import has_module
from hylyte.echem import readers
from hylyte.echem.circuits import parse_circuit
from hylyte.errors import DataFormatError, HylyteError, MissingDependencyError

DATA = Path(__file__).parents[1] / "data" / "echem"
TRUE = parse_circuit("R0-p(R1,CPE1)-CPE2")
PARAMS = [20.0, 1.0e4, 1.0e-9, 0.9, 1.0e-6, 0.85]


def _check_spectrum(d, rtol):
    assert d.has_impedance
    assert len(d) == 41
    assert d.frequency_Hz[0] == pytest.approx(1e6, rel=1e-5)
    Z = TRUE.impedance(d.frequency_Hz, PARAMS)
    # files hold the circuit with 0.2 % noise: independent of the reader's sign conventions
    assert np.max(np.abs(d.impedance - Z) / np.abs(Z)) < rtol
    assert np.all(d.z_imag_ohm < 0)


@pytest.mark.parametrize(("name", "fmt"), [
    ("biologic_peis.mpt", "biologic-mpt"), ("biologic_noheader.mpt", "biologic-mpt"),
    ("gamry_eis.DTA", "gamry-dta"), ("zview.z", "zview-z"), ("autolab.txt", "autolab"),
])
def test_impedance_readers(name, fmt):
    d = readers.read(DATA / name)
    assert d.metadata["format"] == fmt
    _check_spectrum(d, 0.02)


def test_mpt_header_metadata_units_and_temperature():
    d = readers.read_biologic_mpt(DATA / "biologic_peis.mpt")
    assert d.current_A[0] == pytest.approx(1e-8)  # 1e-5 mA
    assert d.temperature_K[0] == pytest.approx(298.15)
    assert d.voltage_V[0] == pytest.approx(3.1e-3)
    assert d.metadata["Run on channel"] == "1"


def test_generic_csv_with_mapping():
    cols = {"frequency_Hz": "f_Hz", "z_real_ohm": "Zre_ohm", "z_imag_ohm": "Zim_ohm"}
    _check_spectrum(readers.read_csv(DATA / "generic.csv", columns=cols), 0.02)
    by_index = readers.read_csv(DATA / "generic.csv",
                                columns={"frequency_Hz": 0, "z_real_ohm": 1, "z_imag_ohm": 2})
    _check_spectrum(by_index, 0.02)


def test_time_series_readers():
    ca = readers.read(DATA / "biologic_ca.mpt")  # CR line endings
    assert len(ca) == 402
    assert ca.current_A[-1] == pytest.approx(0.01 / 650, rel=2e-3)
    ccd = readers.read(DATA / "gamry_ccd.DTA")
    assert ccd.metadata["table"] == "CURVE"
    assert len(ccd) == 480
    assert ccd.time_s[1] == 60.0
    lsv = readers.read(DATA / "lsv.csv")
    assert lsv.voltage_V[0] == 3.0
    assert lsv.current_A[0] == pytest.approx(2.0e-7 + 1e-6 * np.exp(
        -20.0), rel=1e-6)


def test_truncated_and_garbage_files(tmp_path):
    text = (DATA / "biologic_peis.mpt").read_bytes()
    p = tmp_path / "trunc.mpt"
    p.write_bytes(text[: len(text) // 2])  # cut in the middle of a row
    with pytest.raises(DataFormatError, match=r"trunc\.mpt"):
        readers.read(p)
    p = tmp_path / "hdr.mpt"
    p.write_bytes(b"EC-Lab ASCII FILE\nNb header lines : 99\nfoo\n")
    with pytest.raises(DataFormatError, match="Nb header lines : 99"):
        readers.read(p)
    p = tmp_path / "bin.DTA"
    p.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(DataFormatError, match="binary"):
        readers.read(p)
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    with pytest.raises(DataFormatError, match="empty"):
        readers.read(p)
    p = tmp_path / "nan.csv"
    p.write_text("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1,2,3\n4,5,x\n")
    with pytest.raises(DataFormatError, match="not a number"):
        readers.read(p)
    p = tmp_path / "neg.csv"
    p.write_text("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n-1,2,3\n")
    with pytest.raises(DataFormatError, match="> 0 Hz"):
        readers.read(p)


@pytest.mark.skipif(has_module("galvani"), reason="galvani installed")
def test_mpr_needs_optional_galvani(tmp_path):
    p = tmp_path / "x.mpr"
    p.write_bytes(b"BIO-LOGIC MODULAR FILE\x1a" + bytes(100))
    with pytest.raises(MissingDependencyError, match="biologic"):
        readers.read(p)


_READERS = [readers.read_biologic_mpt, readers.read_gamry_dta, readers.read_zview,
            readers.read_autolab, readers.read_csv]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=400) | st.text(
    alphabet=st.sampled_from(list("0123456789.,;\t\r\n-eE abcZ'()/:EXPLAINCURVETABLE")),
    max_size=400).map(lambda s: s.encode()))
def test_fuzz_readers_only_raise_hylyte_errors(tmp_path, blob):
    p = tmp_path / "fuzz.dat"
    p.write_bytes(blob)
    for reader in [*_READERS, readers.read]:
        try:
            d = reader(p)
        except HylyteError:
            continue
        assert len(d) > 0
