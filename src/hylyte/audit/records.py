"""Reported values to audit: the ``[reported]`` table of a design file and record tables (CSV).

A design file may carry a ``[reported]`` table next to the design itself::

    [reported]
    citation = "A. Author et al., J. Example 1, 1 (2020), doi:10.0000/example"
    conductivity = [{T = "25 degC", value = "1.2e-4 S/cm"}]
    t_plus = 0.82                       # or {T = "60 degC", value = 0.82}
    window_V = ["0 V", "5.0 V"]
    asr = {T = "25 degC", value = "30 ohm cm^2"}
    thickness = "50 um"                 # film thickness (needed for a composite's ASR)

The table is removed before the rest goes to the design loader (whose schema rejects
unknown keys). A record table (CSV) holds one reported value per row, with either a
``design`` column (a design file path, relative to the CSV) or inline columns ``matrix``,
``filler``, ``fraction``, ``shape``, ``size`` (and optionally ``orientation``,
``interphase_thickness``, ``interphase_conductivity``); then ``T``, ``quantity``
(``conductivity``, ``t_plus``, ``asr``, ``window``), ``value``, ``unit``, ``citation``
(optionally ``doi``, ``thickness``, ``id``, ``note``). A window value is ``"low..high"``
(or ``"low;high"``) in V, or only the oxidation limit.
"""

from __future__ import annotations

import csv
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hylyte import units
from hylyte.errors import DataFormatError, DesignError, HylyteError

QUANTITIES: tuple[str, ...] = ("conductivity", "t_plus", "asr", "window")
_ALIASES = {"sigma": "conductivity", "conductivity": "conductivity", "t+": "t_plus",
            "t_plus": "t_plus", "tplus": "t_plus", "transference": "t_plus",
            "asr": "asr", "window": "window", "window_v": "window"}
_REPORTED_KEYS = ("citation", "doi", "conductivity", "t_plus", "window_V", "asr", "thickness",
                  "note")


@dataclass(frozen=True)
class Record:
    """One reported value.

    Attributes
    ----------
    id : str
        Row or entry label (``"row 3"``, ``"conductivity[0]"``).
    quantity : str
        ``conductivity`` | ``t_plus`` | ``asr`` | ``window``.
    value : float
        SI value (S/m, -, ohm m^2); for a window, the oxidation (upper) limit [V].
    value_low : float or None
        Window reduction (lower) limit [V], if reported.
    T_K : float or None
        Temperature of the measurement [K].
    thickness_m : float or None
        Reported film thickness [m].
    reported : str
        The value as written in the source (for display).
    citation : str
        Source of the value.
    design : object or None
        The design the value refers to (None when the record is malformed).
    design_name : str
        Name or path of the design for display.
    error : str or None
        Why the record cannot be audited (then ``design`` may be None).
    note : str
        Free text carried through.
    """

    id: str
    quantity: str
    value: float
    value_low: float | None = None
    T_K: float | None = None
    thickness_m: float | None = None
    reported: str = ""
    citation: str = ""
    design: Any = None
    design_name: str = ""
    error: str | None = None
    note: str = ""


# --------------------------------------------------------------------------- parsing helpers
def _quantity(q: str, where: str) -> str:
    key = q.strip().lower()
    if key not in _ALIASES:
        raise DataFormatError(f"{where}: quantity {q!r} is unknown; allowed: "
                              f"{', '.join(QUANTITIES)}")
    return _ALIASES[key]


def _with_unit(value: Any, unit: str | None) -> Any:
    if unit and isinstance(value, int | float):
        return f"{value!r} {unit}"
    if unit and isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return value
        return f"{value} {unit}"
    return value


def parse_value(quantity: str, value: Any, *, unit: str | None = None, field: str = "value"
                ) -> tuple[float, float | None]:
    """Parse a reported value into SI.

    Parameters
    ----------
    quantity : str
        ``conductivity``, ``t_plus``, ``asr`` or ``window``.
    value : str, float or sequence
        The value; a string may carry its unit (``"1e-4 S/cm"``); a window is a pair or a
        ``"low..high"`` string.
    unit : str, optional
        Unit for a bare number (``"S/cm"``, ``"ohm cm^2"``, ``"V"``).
    field : str
        Name used in messages.

    Returns
    -------
    (value, low)
        SI value (window: upper limit [V]) and, for windows, the lower limit or None.

    Raises
    ------
    DataFormatError
        Unparsable value, wrong unit, or a value outside what the quantity allows.
    """
    try:
        if quantity == "conductivity":
            v = units.parse(_with_unit(value, unit or "S/cm"), "conductivity", field=field)
            if not v > 0:
                raise DataFormatError(f"{field}: a conductivity must be > 0, got {value!r}")
            return v, None
        if quantity == "asr":
            v = units.parse(_with_unit(value, unit or "ohm cm^2"), "asr", field=field)
            if not v > 0:
                raise DataFormatError(f"{field}: an ASR must be > 0, got {value!r}")
            return v, None
        if quantity == "t_plus":
            v = float(value)
            if not math.isfinite(v):
                raise DataFormatError(f"{field}: t+ must be finite, got {value!r}")
            return v, None
        if quantity == "window":
            parts: list[Any]
            if isinstance(value, list | tuple):
                parts = list(value)
            else:
                text = str(value)
                for sep in ("..", ";", " to "):
                    if sep in text:
                        parts = [p.strip() for p in text.split(sep)]
                        break
                else:
                    parts = [text.strip()]
            if len(parts) not in (1, 2):
                raise DataFormatError(f"{field}: a window is [low, high] or 'low..high', got "
                                      f"{value!r}")
            vals = [units.parse(_with_unit(p, unit or "V"), "potential", field=field)
                    for p in parts]
            if len(vals) == 2:
                if vals[0] >= vals[1]:
                    raise DataFormatError(f"{field}: window low {vals[0]} V must be below "
                                          f"high {vals[1]} V")
                return vals[1], vals[0]
            return vals[0], None
    except DataFormatError:
        raise
    except HylyteError as err:
        raise DataFormatError(str(err)) from None
    except (TypeError, ValueError):
        raise DataFormatError(f"{field}: cannot read {value!r} as a {quantity}") from None
    raise DataFormatError(f"{field}: quantity {quantity!r} is unknown; allowed: "
                          f"{', '.join(QUANTITIES)}")


def _temperature(T: Any, field: str) -> float | None:
    if T is None or (isinstance(T, str) and not T.strip()):
        return None
    try:
        return units.parse(T, "temperature", field=field)
    except HylyteError as err:
        raise DataFormatError(str(err)) from None


# --------------------------------------------------------------------------- design files
def split_reported(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(design dict without ``[reported]``, the ``[reported]`` table or None)."""
    rest = {k: v for k, v in data.items() if k != "reported"}
    rep = data.get("reported")
    if rep is not None and not isinstance(rep, dict):
        raise DesignError(f"[reported] must be a table, got {type(rep).__name__}")
    return rest, rep


def records_from_reported(rep: dict[str, Any], design: Any, *, design_name: str = ""
                          ) -> list[Record]:
    """Records from a ``[reported]`` table (see the module docstring).

    A malformed entry becomes a record with ``error`` set; the others are kept.
    """
    unknown = sorted(set(rep) - set(_REPORTED_KEYS))
    out: list[Record] = []
    if unknown:
        out.append(Record(id="reported", quantity="?", value=math.nan, design=design,
                          design_name=design_name,
                          error=f"[reported]: unknown key(s) {unknown}; allowed: "
                                f"{', '.join(_REPORTED_KEYS)}"))
    citation = str(rep.get("citation", ""))
    if rep.get("doi"):
        citation = f"{citation} doi:{rep['doi']}".strip()
    note = str(rep.get("note", ""))
    thickness = None
    try:
        if rep.get("thickness") is not None:
            thickness = units.parse(rep["thickness"], "length", field="reported.thickness")
    except HylyteError as err:
        out.append(Record(id="reported.thickness", quantity="?", value=math.nan,
                          design=design, design_name=design_name, error=str(err)))
    for key, quantity in (("conductivity", "conductivity"), ("t_plus", "t_plus"),
                          ("asr", "asr"), ("window_V", "window")):
        raw = rep.get(key)
        if raw is None:
            continue
        entries = raw if isinstance(raw, list) and quantity != "window" else [raw]
        if quantity == "window" and isinstance(raw, list) and raw and isinstance(raw[0], dict):
            entries = raw
        for j, entry in enumerate(entries):
            rid = f"{key}[{j}]" if len(entries) > 1 else key
            try:
                if isinstance(entry, dict):
                    extra = set(entry) - {"T", "value", "unit", "low", "high"}
                    if extra:
                        raise DataFormatError(f"reported.{rid}: unknown key(s) "
                                              f"{sorted(extra)}; allowed: T, value, unit "
                                              "(window: low, high)")
                    val = entry.get("value")
                    if quantity == "window" and val is None:
                        val = [entry.get("low"), entry.get("high")]
                    if val is None:
                        raise DataFormatError(f"reported.{rid}: missing 'value'")
                    T = _temperature(entry.get("T"), f"reported.{rid}.T")
                    unit = entry.get("unit")
                else:
                    val, T, unit = entry, None, None
                v, low = parse_value(quantity, val, unit=unit, field=f"reported.{rid}")
                out.append(Record(id=rid, quantity=quantity, value=v, value_low=low, T_K=T,
                                  thickness_m=thickness, reported=_display(val, unit),
                                  citation=citation, design=design, design_name=design_name,
                                  note=note))
            except HylyteError as err:
                out.append(Record(id=rid, quantity=quantity, value=math.nan,
                                  reported=_display(entry, None), citation=citation,
                                  design=design, design_name=design_name, error=str(err)))
    return out


def _display(val: Any, unit: str | None) -> str:
    if isinstance(val, list | tuple):
        return " .. ".join(str(v) for v in val)
    return f"{val} {unit}" if unit else str(val)


def load_design_with_reported(path: str | Path) -> tuple[Any, list[Record]]:
    """Load a design file that may carry a ``[reported]`` table.

    Returns
    -------
    (design, records)
        The validated design and its reported values (empty when there is no table).

    Raises
    ------
    DesignError
        The file or the design part is invalid (see :func:`hylyte.design.load_design`).
    """
    from hylyte.design import design_from_dict

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DesignError(f"design file {str(path)!r} not found") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as err:
        raise DesignError(f"cannot read design file {str(path)!r}: {err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DesignError(f"{path}: not valid TOML: {err}") from None
    rest, rep = split_reported(data)
    design = design_from_dict(rest, base_dir=path.parent, source=str(path))
    recs = [] if rep is None else records_from_reported(rep, design, design_name=design.name)
    return design, recs


# --------------------------------------------------------------------------- record tables
_INLINE = ("matrix", "filler", "fraction", "shape", "size", "orientation",
           "interphase_thickness", "interphase_conductivity", "length", "width")


def _inline_design(row: dict[str, str], where: str) -> Any:
    from hylyte.design import design_from_dict

    matrix = (row.get("matrix") or "").strip()
    if not matrix:
        raise DataFormatError(f"{where}: give a 'design' path or at least a 'matrix' column")
    data: dict[str, Any] = {"design": {"name": f"{matrix} composite ({where})",
                                       "kind": "composite"},
                            "matrix": {"material": matrix}}
    filler = (row.get("filler") or "").strip()
    if filler:
        frac = (row.get("fraction") or "").strip()
        if not frac:
            raise DataFormatError(f"{where}: filler {filler!r} needs a 'fraction' such as "
                                  "'15 vol%'")
        f: dict[str, Any] = {"material": filler, "fraction": frac,
                             "shape": (row.get("shape") or "sphere").strip()}
        for key in ("size", "length", "width"):
            if (row.get(key) or "").strip():
                f[key] = row[key].strip()
        if (row.get("orientation") or "").strip():
            f["orientation"] = row["orientation"].strip()
        if (row.get("interphase_thickness") or "").strip():
            f["interphase"] = {"thickness": row["interphase_thickness"].strip(),
                               "conductivity": (row.get("interphase_conductivity")
                                                or "").strip() or None}
            if f["interphase"]["conductivity"] is None:
                raise DataFormatError(f"{where}: interphase_thickness needs "
                                      "interphase_conductivity")
        data["fillers"] = [f]
        data["design"]["name"] = f"{matrix} + {frac} {filler}"
    return design_from_dict(data, source=where)


def read_records(path: str | Path) -> list[Record]:
    """Read a record table (CSV, one reported value per row).

    Malformed rows do not stop the reading: each becomes a :class:`Record` with ``error``
    set to a message that names the row and the column.

    Raises
    ------
    DataFormatError
        The file is missing, empty, or lacks the ``quantity``/``value`` columns.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFormatError(f"record table {str(path)!r} not found") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as err:
        raise DataFormatError(f"cannot read record table {str(path)!r}: {err}") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("quantity", "value") if c not in header]
    if missing:
        raise DataFormatError(f"{path}: missing column(s) {missing}; a record table needs "
                              "quantity and value, plus design or matrix/filler/fraction "
                              "columns (see 'hylyte audit --help')")
    designs: dict[str, tuple[Any, str | None]] = {}
    out: list[Record] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else ""
               for k, v in raw.items()}
        rid = row.get("id") or f"row {n}"
        where = f"{path.name} {rid}" if row.get("id") else f"{path.name} row {n}"
        citation = row.get("citation", "")
        if row.get("doi"):
            citation = f"{citation} doi:{row['doi']}".strip()
        design = None
        dname = row.get("design") or row.get("matrix", "")
        try:
            quantity = _quantity(row.get("quantity", ""), where)
            if row.get("design"):
                key = row["design"]
                if key not in designs:
                    try:
                        dpath = Path(key) if Path(key).is_absolute() else path.parent / key
                        d, _ = load_design_with_reported(dpath)
                        designs[key] = (d, None)
                    except HylyteError as err:
                        designs[key] = (None, str(err))
                design, derr = designs[key]
                if derr is not None:
                    raise DataFormatError(f"{where}: design {key!r}: {derr}")
                dname = design.name
            else:
                design = _inline_design(row, where)
                dname = design.name
            v, low = parse_value(quantity, row.get("value", ""), unit=row.get("unit") or None,
                                 field=f"{where}, value")
            T_raw = row.get("T") or (f"{row['T_degC']} degC" if row.get("T_degC") else None) \
                or (f"{row['T_K']} K" if row.get("T_K") else None)
            T = _temperature(T_raw, f"{where}, T")
            thick = None
            if row.get("thickness"):
                thick = units.parse(row["thickness"], "length", field=f"{where}, thickness")
            unit = row.get("unit", "")
            out.append(Record(id=rid, quantity=quantity, value=v, value_low=low, T_K=T,
                              thickness_m=thick,
                              reported=f"{row.get('value', '')} {unit}".strip(),
                              citation=citation, design=design, design_name=dname,
                              note=row.get("note", "")))
        except HylyteError as err:
            msg = str(err)
            if not msg.startswith(path.name):
                msg = f"{where}: {msg}"
            out.append(Record(id=rid, quantity=row.get("quantity", "?") or "?", value=math.nan,
                              reported=f"{row.get('value', '')} {row.get('unit', '')}".strip(),
                              citation=citation, design=design, design_name=dname, error=msg,
                              note=row.get("note", "")))
    if not out:
        raise DataFormatError(f"{path}: no records")
    return out


__all__ = ["QUANTITIES", "Record", "load_design_with_reported", "parse_value", "read_records",
           "records_from_reported", "split_reported"]
