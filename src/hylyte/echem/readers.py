"""Readers for potentiostat exports, all returning one tidy :class:`EchemData` table.

Supported: BioLogic EC-Lab ``.mpt`` text (with or without the ``Nb header lines`` block),
BioLogic ``.mpr`` binary through the optional ``galvani`` package (GPL, imported only when
needed), Gamry ``.DTA`` (``ZCURVE``/``CURVE`` tables), ZView/ZPlot ``.z``, Autolab/Nova text
exports (``;`` or tab separated) and generic CSV/TXT with a column mapping.

Sign convention: ``z_imag_ohm`` is Im(Z) (negative for a capacitive arc), whatever the file
stores (many programs write -Im(Z)). Currents are in A, potentials in V, times in s,
temperatures in K.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hylyte.errors import DataFormatError, HylyteError, InputError

FIELDS = ("frequency_Hz", "z_real_ohm", "z_imag_ohm", "time_s", "voltage_V", "current_A",
          "temperature_K")
_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class EchemData:
    """A measurement as numpy columns in SI units plus metadata.

    Attributes
    ----------
    frequency_Hz, z_real_ohm, z_imag_ohm : ndarray or None
        Impedance spectrum: frequency [Hz], Re Z [ohm], Im Z [ohm] (negative for arcs).
    time_s, voltage_V, current_A, temperature_K : ndarray or None
        Time series: time [s], potential [V], current [A], temperature [K].
    metadata : dict
        Format, original column names, header values found in the file.
    source : str
        File the data came from (or ``"<array>"``).
    """

    frequency_Hz: NDArray[np.float64] | None = None
    z_real_ohm: NDArray[np.float64] | None = None
    z_imag_ohm: NDArray[np.float64] | None = None
    time_s: NDArray[np.float64] | None = None
    voltage_V: NDArray[np.float64] | None = None
    current_A: NDArray[np.float64] | None = None
    temperature_K: NDArray[np.float64] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = "<array>"

    @property
    def has_impedance(self) -> bool:
        """Whether the table holds an impedance spectrum."""
        return self.frequency_Hz is not None and self.z_real_ohm is not None \
            and self.z_imag_ohm is not None

    @property
    def impedance(self) -> NDArray[np.complex128]:
        """Complex impedance [ohm]; raises DataFormatError without a spectrum."""
        if not self.has_impedance:
            raise DataFormatError(f"{self.source}: no impedance columns (freq, Re Z, Im Z)")
        return self.z_real_ohm + 1j * self.z_imag_ohm

    def __len__(self) -> int:
        for name in FIELDS:
            col = getattr(self, name)
            if col is not None:
                return int(col.size)
        return 0

    def columns(self) -> dict[str, NDArray[np.float64]]:
        """The non-empty columns by field name."""
        return {k: getattr(self, k) for k in FIELDS if getattr(self, k) is not None}

    def sorted_by_frequency(self, descending: bool = True) -> EchemData:
        """A copy of an impedance table sorted by frequency (high to low by default)."""
        order = np.argsort(self.frequency_Hz, kind="stable")
        if descending:
            order = order[::-1]
        cols = {k: v[order] for k, v in self.columns().items()}
        return EchemData(**cols, metadata=dict(self.metadata), source=self.source)


def from_arrays(*, source: str = "<array>", metadata: Mapping[str, Any] | None = None,
                **columns: Any) -> EchemData:
    """Build a validated :class:`EchemData` from arrays keyed by field name (SI units)."""
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise InputError(f"unknown column(s) {sorted(unknown)}; allowed are {list(FIELDS)}")
    return _finish({k: np.asarray(v, dtype=float) for k, v in columns.items() if v is not None},
                   source, dict(metadata or {}))


def _finish(cols: dict[str, NDArray], source: str, meta: dict[str, Any]) -> EchemData:
    if not cols:
        raise DataFormatError(f"{source}: no recognised data columns (found none of {FIELDS})")
    n = {k: v.size for k, v in cols.items()}
    if len(set(n.values())) != 1:
        raise DataFormatError(f"{source}: columns have different lengths {n}")
    if next(iter(n.values())) == 0:
        raise DataFormatError(f"{source}: no data rows")
    for k, v in cols.items():
        if v.ndim != 1:
            raise DataFormatError(f"{source}: column {k} is not one-dimensional")
        if not np.all(np.isfinite(v)):
            bad = int(np.flatnonzero(~np.isfinite(v))[0])
            raise DataFormatError(f"{source}: column {k} has a non-finite value in row {bad}")
    imp = [k for k in ("frequency_Hz", "z_real_ohm", "z_imag_ohm") if k in cols]
    if 0 < len(imp) < 3:
        raise DataFormatError(
            f"{source}: impedance data needs frequency, Re Z and Im Z; found only {imp}")
    if "frequency_Hz" in cols and np.any(cols["frequency_Hz"] <= 0):
        raise DataFormatError(f"{source}: frequencies must be > 0 Hz")
    if "temperature_K" in cols and np.any(cols["temperature_K"] <= 0):
        raise DataFormatError(f"{source}: temperatures must be > 0 K")
    return EchemData(**cols, metadata=meta, source=source)


# --------------------------------------------------------------------------------------------
# column names -> (field, scale, offset) ; value_SI = scale * value + offset
_UNIT_SCALE = {
    "": 1.0, "hz": 1.0, "khz": 1e3, "mhz": 1e6, "ohm": 1.0, "kohm": 1e3, "mohm": 1e6,
    "v": 1.0, "mv": 1e-3, "a": 1.0, "ma": 1e-3, "ua": 1e-6, "µa": 1e-6, "na": 1e-9,
    "s": 1.0, "min": 60.0, "h": 3600.0, "k": 1.0,
}


def _norm(name: str) -> str:
    return name.strip().strip('"').strip().lower().replace("ω", "ohm").replace("Ω", "ohm") \
        .replace("μ", "u").replace("µ", "u")


def _split_unit(name: str) -> tuple[str, str]:
    """'<I>/mA' -> ('<i>', 'ma'); "Z' (ohm)" -> ("z'", 'ohm'); "Zs'[ohm]" -> ("zs'", 'ohm');
    'Freq' -> ('freq', '')."""
    s = _norm(name)
    m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", s) or re.match(r"^(.*?)\s*\[([^\[\]]*)\]\s*$", s)
    if m:
        return m.group(1).strip(), m.group(2).strip().replace(" ", "")
    if "/" in s:
        base, unit = s.rsplit("/", 1)
        return base.strip(), unit.strip()
    m = re.match(r"^(.*?)_(hz|ohm|v|a|ma|s|k|degc)$", s)
    if m:
        return m.group(1), m.group(2)
    return s, ""


_NAME_TABLE: dict[str, tuple[str, float]] = {
    # frequency
    "freq": ("frequency_Hz", 1), "frequency": ("frequency_Hz", 1), "f": ("frequency_Hz", 1),
    "freq.": ("frequency_Hz", 1),
    # real part
    "re(z)": ("z_real_ohm", 1), "zreal": ("z_real_ohm", 1), "z'": ("z_real_ohm", 1),
    "z_real": ("z_real_ohm", 1), "zre": ("z_real_ohm", 1), "re_z": ("z_real_ohm", 1),
    "zs'": ("z_real_ohm", 1),  # Novocontrol WinDETA / NEISYS: specimen impedance Zs
    "z_real_ohm": ("z_real_ohm", 1),
    # imaginary part (sign)
    "-im(z)": ("z_imag_ohm", -1), "im(z)": ("z_imag_ohm", 1), "zimag": ("z_imag_ohm", 1),
    "-z''": ("z_imag_ohm", -1), "z''": ("z_imag_ohm", 1), "-zimag": ("z_imag_ohm", -1),
    "zs''": ("z_imag_ohm", 1),
    "z_imag": ("z_imag_ohm", 1), "-z_imag": ("z_imag_ohm", -1), "zim": ("z_imag_ohm", 1),
    "-zim": ("z_imag_ohm", -1), "im_z": ("z_imag_ohm", 1), "z_imag_ohm": ("z_imag_ohm", 1),
    # time series
    "time": ("time_s", 1), "t": ("time_s", 1), "time_s": ("time_s", 1),
    "ewe": ("voltage_V", 1), "vf": ("voltage_V", 1), "voltage": ("voltage_V", 1),
    "potential": ("voltage_V", 1), "e": ("voltage_V", 1), "we(1).potential": ("voltage_V", 1),
    "ecell": ("voltage_V", 1), "<ewe>": ("voltage_V", 1), "voltage_v": ("voltage_V", 1),
    "<i>": ("current_A", 1), "i": ("current_A", 1), "im": ("current_A", 1),
    "current": ("current_A", 1), "we(1).current": ("current_A", 1), "current_a": ("current_A", 1),
    "temperature": ("temperature_K", 1), "temp": ("temperature_K", 1), "t_k": ("temperature_K", 1),
    "temperature_k": ("temperature_K", 1),
}


def _map_column(name: str) -> tuple[str, float, float] | None:
    base, unit = _split_unit(name)
    entry = _NAME_TABLE.get(base)
    if entry is None:
        # snake-case field names written by hylyte itself
        full = _norm(name)
        if full in _NAME_TABLE:
            entry, unit = _NAME_TABLE[full], ""
        else:
            return None
    fld, sign = entry
    unit = unit.replace("°", "deg")
    if base in ("t", "temp") and unit in ("k", "c", "degc"):
        fld, sign = "temperature_K", 1
    if fld == "temperature_K" and unit in ("c", "degc", "deg c", "°c"):
        return fld, 1.0, 273.15
    if fld == "current_A" and unit in ("", ) and base in ("im",):
        unit = "a"
    scale = _UNIT_SCALE.get(unit)
    if scale is None:
        return None
    return fld, sign * scale, 0.0


# --------------------------------------------------------------------------------------------
def _read_bytes(path: str | Path) -> tuple[bytes, str]:
    p = Path(path)
    if p.is_dir():
        raise DataFormatError(f"{p}: is a folder, not a data file")
    data = p.read_bytes()
    if len(data) > _MAX_BYTES:
        raise DataFormatError(f"{p}: file is {len(data)} bytes; at most {_MAX_BYTES} allowed")
    if not data.strip():
        raise DataFormatError(f"{p}: file is empty")
    return data, str(p)


def _text(data: bytes, source: str, encoding: str | None = None) -> str:
    if b"\x00" in data[:4096]:
        raise DataFormatError(f"{source}: looks like a binary file (NUL bytes), not a text export")
    if encoding:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _to_float(tok: str, decimal_comma: bool) -> float:
    tok = tok.strip().strip('"')
    if decimal_comma:
        tok = tok.replace(",", ".")
    return float(tok)


def _table(header: list[str], rows: list[list[str]], source: str, *, decimal_comma: bool = False,
           mapping: Mapping[str, str | int] | None = None, what: str = "table"
           ) -> dict[str, NDArray]:
    """Convert split rows into SI columns using the header names or an explicit mapping."""
    if not rows:
        raise DataFormatError(f"{source}: {what} has a header but no data rows")
    if mapping is not None and len(rows[0]) > len(header):
        # A header written with another separator than the rows (ZView/Z60W text files):
        # index mappings address the data columns.
        header = [*header, *[""] * (len(rows[0]) - len(header))]
    ncol = len(header)
    use: dict[str, tuple[int, float, float]] = {}
    if mapping is not None:
        for fld, key in mapping.items():
            if fld not in FIELDS:
                raise InputError(f"column mapping key {fld!r} is not one of {list(FIELDS)}")
            if isinstance(key, int):
                if not 0 <= key < ncol:
                    raise InputError(f"column mapping {fld}={key} is outside 0..{ncol - 1}")
                idx = key
            else:
                wanted = [i for i, h in enumerate(header) if h.strip() == key]
                if not wanted:
                    raise DataFormatError(
                        f"{source}: column {key!r} for {fld} not found; columns are {header}")
                idx = wanted[0]
            m = _map_column(header[idx]) if header[idx] else None
            scale, offset = (m[1], m[2]) if (m is not None and m[0] == fld) else (1.0, 0.0)
            use[fld] = (idx, scale, offset)
    else:
        for c, h in enumerate(header):
            m = _map_column(h)
            if m is not None and m[0] not in use:
                use[m[0]] = (c, m[1], m[2])
    cols: dict[str, NDArray] = {}
    names = {fld: header[idx] for fld, (idx, _, _) in use.items()}
    for fld, (c, scale, offset) in use.items():
        col = np.full(len(rows), np.nan)
        for r, row in enumerate(rows):
            if len(row) <= c:
                raise DataFormatError(
                    f"{source}: {what} row {r + 1} has {len(row)} fields, the header has {ncol} "
                    "(truncated file?)")
            tok = row[c]
            try:
                col[r] = _to_float(tok, decimal_comma)
            except ValueError:
                raise DataFormatError(
                    f"{source}: {what} row {r + 1}, column {header[c]!r}: "
                    f"{tok[:30]!r} is not a number") from None
        cols[fld] = col * scale + offset
    for k, v in cols.items():
        if np.any(np.isnan(v)):
            raise DataFormatError(f"{source}: column {names[k]!r} has empty cells")
    return cols


def _guard(reader: Callable[..., EchemData]) -> Callable[..., EchemData]:
    """Translate unexpected parsing failures into DataFormatError naming the file."""

    def wrapped(path: str | Path, *args: Any, **kwargs: Any) -> EchemData:
        try:
            return reader(path, *args, **kwargs)
        except (HylyteError, FileNotFoundError, IsADirectoryError, PermissionError):
            raise
        except (ValueError, IndexError, KeyError, UnicodeError, OverflowError, TypeError) as err:
            raise DataFormatError(f"{path}: cannot parse as {reader.__name__[5:]} "
                                  f"({type(err).__name__}: {err})") from err

    wrapped.__name__ = reader.__name__
    wrapped.__doc__ = reader.__doc__
    wrapped.__wrapped__ = reader  # type: ignore[attr-defined]
    return wrapped


# --------------------------------------------------------------------------------------------
@_guard
def read_biologic_mpt(path: str | Path) -> EchemData:
    """Read a BioLogic EC-Lab text export (``.mpt``).

    Handles the ``EC-Lab ASCII FILE`` header (``Nb header lines : N``), files without that
    block (the first line is the column header), any line ending, latin-1 unit names and a
    decimal comma.

    Parameters
    ----------
    path : str or Path
        File to read.

    Returns
    -------
    EchemData
        SI columns; ``metadata["format"] = "biologic-mpt"``.
    """
    data, source = _read_bytes(path)
    text = _text(data, source, "latin-1")
    lines = _lines(text)
    meta: dict[str, Any] = {"format": "biologic-mpt"}
    start = 0
    if lines[0].strip().startswith("EC-Lab ASCII FILE") or lines[0].startswith("BT-Lab ASCII"):
        n_header = None
        for ln in lines[:10]:
            m = re.match(r"\s*Nb header lines\s*:\s*(\d+)", ln)
            if m:
                n_header = int(m.group(1))
                break
        if n_header is None:
            raise DataFormatError(f"{source}: EC-Lab header without 'Nb header lines : N'")
        if not 2 <= n_header <= len(lines):
            raise DataFormatError(f"{source}: 'Nb header lines : {n_header}' but the file has "
                                  f"{len(lines)} lines (truncated?)")
        for ln in lines[2:n_header - 1]:
            if ":" in ln:
                k, v = ln.split(":", 1)
                if k.strip() and len(meta) < 200:
                    meta[k.strip()] = v.strip()
        start = n_header - 1
    header = lines[start].rstrip("\n").split("\t")
    while header and not header[-1].strip():
        header.pop()
    if not header:
        raise DataFormatError(f"{source}: no column header line")
    rows = [ln.split("\t") for ln in lines[start + 1:] if ln.strip()]
    decimal_comma = bool(rows) and any("," in tok and "." not in tok for tok in rows[0])
    cols = _table(header, rows, source, decimal_comma=decimal_comma)
    meta["columns"] = header
    return _finish(cols, source, meta)


@_guard
def read_biologic_mpr(path: str | Path) -> EchemData:
    """Read a BioLogic binary ``.mpr`` file with the optional ``galvani`` package.

    ``galvani`` is GPL licensed, so it is never a core dependency: it is imported here only,
    and a :class:`~hylyte.errors.MissingDependencyError` names the extra when it is absent.
    """
    from hylyte._optional import import_optional

    galvani = import_optional("galvani", extra="biologic",
                              purpose="to read BioLogic .mpr binary files")
    source = str(path)
    try:
        mpr = galvani.BioLogic.MPRfile(str(path))
    except (ValueError, OSError, KeyError, IndexError, NotImplementedError) as err:
        raise DataFormatError(f"{source}: galvani cannot read it as .mpr ({err})") from err
    arr = mpr.data
    header = list(arr.dtype.names)
    values = {h: np.asarray(arr[h], dtype=float) for h in header}
    cols: dict[str, NDArray] = {}
    for h in header:
        m = _map_column(h)
        if m is not None and m[0] not in cols:
            cols[m[0]] = values[h] * m[1] + m[2]
    return _finish(cols, source, {"format": "biologic-mpr", "columns": header})


@_guard
def read_gamry_dta(path: str | Path) -> EchemData:
    """Read a Gamry ``.DTA`` file (the ``ZCURVE`` or ``CURVE`` table).

    The table header follows a ``ZCURVE\\tTABLE`` (or ``CURVE\\tTABLE``) line: one line of
    tab-separated names (``Pt Time Freq Zreal Zimag ...`` or ``Pt T Vf Im ...``), one of units,
    then the rows. ``EXPERIMENTABORTED`` lines end the table.
    """
    data, source = _read_bytes(path)
    text = _text(data, source)
    lines = _lines(text)
    meta: dict[str, Any] = {"format": "gamry-dta"}
    if not lines[0].startswith("EXPLAIN"):
        raise DataFormatError(f"{source}: a Gamry .DTA file starts with 'EXPLAIN'")
    idx = None
    for i, ln in enumerate(lines):
        parts = ln.split("\t")
        if len(parts) >= 2 and parts[0] in ("ZCURVE", "CURVE") and parts[1].startswith("TABLE"):
            idx = i
            meta["table"] = parts[0]
            break
        if len(parts) >= 3 and parts[0] in ("TAG", "TITLE", "DATE", "TIME") and len(meta) < 50:
            meta[parts[0]] = parts[2]
    if idx is None:
        raise DataFormatError(f"{source}: no 'ZCURVE\\tTABLE' or 'CURVE\\tTABLE' section")
    if idx + 2 >= len(lines):
        raise DataFormatError(f"{source}: the {meta['table']} table is truncated")
    header = lines[idx + 1].split("\t")[1:]
    rows = []
    for ln in lines[idx + 3:]:
        if not ln.strip() or ln.startswith("EXPERIMENTABORTED"):
            if ln.startswith("EXPERIMENTABORTED"):
                meta["aborted"] = True
            break
        rows.append(ln.split("\t")[1:])
    if meta["table"] == "CURVE":
        header = ["time/s" if h == "T" else h for h in header]
    cols = _table(header, rows, source, what=meta["table"])
    meta["columns"] = header
    return _finish(cols, source, meta)


@_guard
def read_zview(path: str | Path) -> EchemData:
    """Read a ZPlot/ZView ``.z`` file (comma- or tab-separated rows after ``End Comments``).

    Rows are ``Freq(Hz), Ampl, Bias, Time(s), Z'(a), Z''(b), GD, Err, Range``; ``Z''`` is Im Z.
    """
    data, source = _read_bytes(path)
    text = _text(data, source)
    lines = _lines(text)
    start = None
    for i, ln in enumerate(lines):
        if ln.strip().startswith("End Comments"):
            start = i + 1
            break
    if start is None:
        raise DataFormatError(f"{source}: no 'End Comments' line (not a ZPlot .z file)")
    # ZView writes comma-separated rows, ZPlot 3.x writes tab-separated ones.
    rows = [ln.split("\t" if "\t" in ln else ",") for ln in lines[start:] if ln.strip()]
    if not rows:
        raise DataFormatError(f"{source}: no data rows after 'End Comments'")
    header = ["freq/Hz", "ampl", "bias", "time/s", "Z'/ohm", "Z''/ohm"]
    cols = _table(header, [r[:6] for r in rows], source, what="data")
    return _finish(cols, source, {"format": "zview-z"})


@_guard
def read_autolab(path: str | Path) -> EchemData:
    """Read an Autolab/Nova text export (``;`` or tab separated, header on the first line).

    Typical columns: ``Frequency (Hz)``, ``Z' (Ω)``, ``-Z'' (Ω)``, ``Time (s)``,
    ``WE(1).Potential (V)``, ``WE(1).Current (A)``. A decimal comma is accepted when the
    separator is ``;``.
    """
    data, source = _read_bytes(path)
    text = _text(data, source)
    lines = [ln for ln in _lines(text.lstrip("\ufeff")) if ln.strip()]
    sep = ";" if lines[0].count(";") >= lines[0].count("\t") else "\t"
    header = lines[0].split(sep)
    rows = [ln.split(sep) for ln in lines[1:]]
    decimal_comma = sep == ";" and bool(rows) and any(
        "," in tok and "." not in tok for tok in rows[0])
    cols = _table(header, rows, source, decimal_comma=decimal_comma)
    return _finish(cols, source, {"format": "autolab", "columns": header})


def _is_number(tok: str) -> bool:
    try:
        float(tok.strip().strip('"').replace(",", "."))
    except ValueError:
        return False
    return True


@_guard
def read_csv(path: str | Path, *, columns: Mapping[str, str | int] | None = None,
             delimiter: str | None = None, skip_rows: int | None = None,
             decimal_comma: bool = False) -> EchemData:
    """Read a generic CSV/TXT table with optional header lines and a column mapping.

    Parameters
    ----------
    path : str or Path
        File to read.
    columns : mapping, optional
        Field name (``"frequency_Hz"``, ``"z_real_ohm"``, ``"z_imag_ohm"`` (Im Z), ``"time_s"``,
        ``"voltage_V"``, ``"current_A"``, ``"temperature_K"``) to a header name or a 0-based
        column index. Values are taken as already in SI units. Without it, header names are
        recognised (e.g. ``freq/Hz``, ``Z' (ohm)``, ``-Im(Z)/Ohm``, ``I/mA``, ``T_K``).
    delimiter : str, optional
        Field separator; sniffed from ``, ; tab space`` when omitted.
    skip_rows : int, optional
        Lines before the column header; by default the last non-numeric line before the first
        numeric one is the header.
    decimal_comma : bool
        Numbers use ``,`` as decimal separator (then the delimiter must not be ``,``).
    """
    data, source = _read_bytes(path)
    text = _text(data, source)
    lines = _lines(text.lstrip("\ufeff"))
    if delimiter is None:
        probe = next((ln for ln in reversed(lines) if ln.strip()), "")
        for cand in ("\t", ";", ","):
            if cand in probe:
                delimiter = cand
                break
        else:
            delimiter = None  # whitespace
    if delimiter == "," and decimal_comma:
        raise InputError("decimal_comma=True needs a delimiter other than ','")

    def split(ln: str) -> list[str]:
        return ln.split(delimiter) if delimiter is not None else ln.split()

    if skip_rows is not None:
        if not 0 <= skip_rows < len(lines):
            raise InputError(f"skip_rows={skip_rows} is outside 0..{len(lines) - 1}")
        hidx = skip_rows
    else:
        hidx = None
        for i, ln in enumerate(lines):
            if not ln.strip():
                continue
            toks = split(ln)
            if toks and all(_is_number(t) for t in toks if t.strip()):
                break
            hidx = i
        if hidx is None and columns is None:
            raise DataFormatError(f"{source}: no header line; pass a column mapping")
    header = [h.strip() for h in split(lines[hidx])] if hidx is not None else []
    body = [split(ln) for ln in lines[(hidx + 1 if hidx is not None else 0):] if ln.strip()]
    if not header:
        header = [""] * max(len(r) for r in body)
    cols = _table(header, body, source, decimal_comma=decimal_comma, mapping=columns)
    return _finish(cols, source, {"format": "csv", "columns": header})


def read_scribner_z60w(path: str | Path) -> EchemData:
    """Read a Scribner/ZPlot "Z60W Data File" text export (comma rows after a quoted header).

    The column order is fixed by the format: frequency, amplitude, bias, time, Z' (a),
    Z'' (b), ...; Z'' is stored as the imaginary part itself (positive = inductive).
    """
    p = Path(path)
    data, _ = _read_bytes(p)
    text = data.decode("latin-1")
    lines = text.splitlines()
    if not lines or "Z60W Data File" not in lines[0]:
        raise DataFormatError(f"{p}: not a Z60W data file (first line {lines[:1]!r})")
    hidx = next((i for i, ln in enumerate(lines) if "Freq (Hz)" in ln and "Z'" in ln), None)
    if hidx is None:
        raise DataFormatError(f"{p}: Z60W file without the 'Freq (Hz) ... Z'(a) Z''(b)' header")
    out = read_csv(p, columns={"frequency_Hz": 0, "z_real_ohm": 4, "z_imag_ohm": 5},
                   skip_rows=hidx, delimiter=",")
    out.metadata["format"] = "z60w"
    return out


_BY_EXT = {".mpt": read_biologic_mpt, ".mpr": read_biologic_mpr, ".dta": read_gamry_dta,
           ".z": read_zview}


def read(path: str | Path, *, format: str = "auto", **kwargs: Any) -> EchemData:
    """Read any supported file into an :class:`EchemData` table.

    Parameters
    ----------
    path : str or Path
        File to read.
    format : {"auto", "mpt", "mpr", "dta", "z", "z60w", "autolab", "csv"}
        Reader to use; ``"auto"`` picks it from the extension and the first line.
    **kwargs
        Passed to :func:`read_csv` (``columns``, ``delimiter``, ``skip_rows``...).
    """
    named = {"mpt": read_biologic_mpt, "mpr": read_biologic_mpr, "dta": read_gamry_dta,
             "z": read_zview, "z60w": read_scribner_z60w, "autolab": read_autolab,
             "csv": read_csv}
    if format != "auto":
        if format not in named:
            raise InputError(f"format must be 'auto' or one of {sorted(named)}, got {format!r}")
        return named[format](path, **kwargs)
    p = Path(path)
    reader = _BY_EXT.get(p.suffix.lower())
    if reader is not None:
        return reader(p)
    data, _ = _read_bytes(p)
    head = data[:2048]
    if head.startswith(b"EC-Lab ASCII") or head.startswith(b"BT-Lab ASCII"):
        return read_biologic_mpt(p)
    if head.startswith(b"EXPLAIN"):
        return read_gamry_dta(p)
    if head.startswith(b"BIO-LOGIC MODULAR FILE"):
        return read_biologic_mpr(p)
    first = head.split(b"\n", 1)[0]
    if b"Z60W Data File" in first:
        return read_scribner_z60w(p)
    if b"Frequency (Hz)" in first or b"WE(1)" in first:
        return read_autolab(p)
    return read_csv(p, **kwargs)


__all__ = ["FIELDS", "EchemData", "from_arrays", "read", "read_autolab", "read_biologic_mpr",
           "read_biologic_mpt", "read_csv", "read_gamry_dta", "read_scribner_z60w", "read_zview"]
