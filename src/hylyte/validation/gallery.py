"""Validation gallery: published measurements against predictions with default parameters.

Each case in ``data/cases.toml`` names a measurement (citation, DOI, quantity, temperature,
value with unit, where it is in the paper, how it was checked) and a design file in
``data/designs/`` that represents the sample. :func:`run_gallery` evaluates every design at
the case temperature with the library's default parameters (no per-case tuning) and
reports ``ratio = predicted / measured`` with a verdict (within a factor of 3, of 10, or
beyond). Failures stay in the table with the case's comment; they show what the default
model lacks.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from hylyte.errors import DataFormatError, HylyteError, UnitError
from hylyte.units import parse

QUANTITIES: dict[str, tuple[str, str, str]] = {
    # quantity -> (unit kind, unit shown in the table, conversion note)
    "conductivity": ("conductivity", "S/cm", "through-plane conductivity"),
    "t_plus": ("dimensionless", "-", "Li+ current fraction"),
}
VERIFICATIONS: tuple[str, ...] = ("search", "certain", "none")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_REQUIRED = ("id", "citation", "doi", "quantity", "T", "measured", "location", "verification",
             "design")


@dataclass(frozen=True, slots=True)
class Case:
    """One published measurement.

    Attributes
    ----------
    id : str
        Unique name.
    citation : str
        Short citation.
    doi : str
        DOI (``10.xxxx/...``).
    quantity : str
        ``"conductivity"`` or ``"t_plus"``.
    T_K : float
        Temperature of the measurement [K].
    measured : float
        Measured value in the table unit (S/cm for conductivity, - for t_plus).
    measured_given : str
        The value as written in the file.
    location : str
        Where the number is in the paper.
    verification : str
        ``"search"``, ``"certain"`` or ``"none"``.
    design : str
        Design file name in the designs folder.
    comment : str
        What the default model lacks or assumes.
    """

    id: str
    citation: str
    doi: str
    quantity: str
    T_K: float
    measured: float
    measured_given: str
    location: str
    verification: str
    design: str
    comment: str = ""

    @property
    def verified(self) -> bool:
        """True when the number was seen in a source or is a well-known headline value."""
        return self.verification in ("search", "certain")


@dataclass(frozen=True, slots=True)
class CaseResult:
    """A case with its prediction.

    Attributes
    ----------
    case : Case
        The measurement.
    predicted : float or None
        Prediction in the table unit (None when the evaluation failed).
    ratio : float or None
        ``predicted / measured`` [-].
    verdict : str
        ``"within 3x"``, ``"within 10x"``, ``"off > 10x"`` or ``"error"``.
    error : str or None
        The error message when the evaluation failed.
    """

    case: Case
    predicted: float | None
    ratio: float | None
    verdict: str
    error: str | None = None

    def to_row(self) -> dict[str, Any]:
        """Flat dict for the JSON/CSV table (units in the keys)."""
        c = self.case
        unit = QUANTITIES[c.quantity][1]
        return {
            "id": c.id, "citation": c.citation, "doi": c.doi, "quantity": c.quantity,
            "unit": unit, "T_K": c.T_K, "T_degC": round(c.T_K - 273.15, 2),
            "measured": c.measured, "predicted": self.predicted, "ratio": self.ratio,
            "verdict": self.verdict, "verified": c.verified, "verification": c.verification,
            "location": c.location, "design": c.design, "comment": c.comment,
            "error": self.error,
        }


def data_dir() -> Path:
    """Folder of the shipped gallery (``cases.toml`` and ``designs/``)."""
    return Path(str(files("hylyte.validation") / "data"))


def verdict(ratio: float) -> str:
    """Verdict for ``predicted / measured``: within a factor 3, 10, or beyond.

    Parameters
    ----------
    ratio : float
        ``predicted / measured`` [-], > 0.

    Returns
    -------
    str
    """
    if not (math.isfinite(ratio) and ratio > 0.0):
        return "error"
    f = max(ratio, 1.0 / ratio)
    if f <= 3.0:
        return "within 3x"
    if f <= 10.0:
        return "within 10x"
    return "off > 10x"


def _fail(source: str, where: str, value: Any, allowed: str) -> DataFormatError:
    return DataFormatError(f"{source}: {where}: got {value!r}; allowed: {allowed}")


def _case(raw: Any, i: int, source: str, designs: Path) -> Case:
    where = f"case[{i}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, raw, "a table [[case]]")
    for key in _REQUIRED:
        if key not in raw:
            raise _fail(source, f"{where}.{key}", None, f"a value for {key!r}")
    unknown = set(raw) - set(_REQUIRED) - {"comment"}
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(source, f"{where}.{key}", raw[key], f"known keys {[*_REQUIRED, 'comment']}")
    cid = raw["id"]
    where = f"case {cid!r}"
    for key in ("id", "citation", "doi", "location", "design"):
        if not (isinstance(raw[key], str) and raw[key].strip()):
            raise _fail(source, f"{where}.{key}", raw[key], "a non-empty string")
    if not _DOI.match(raw["doi"]):
        raise _fail(source, f"{where}.doi", raw["doi"], "a DOI '10.xxxx/...'")
    q = raw["quantity"]
    if q not in QUANTITIES:
        raise _fail(source, f"{where}.quantity", q, f"one of {list(QUANTITIES)}")
    if raw["verification"] not in VERIFICATIONS:
        raise _fail(source, f"{where}.verification", raw["verification"],
                    f"one of {list(VERIFICATIONS)}")
    try:
        T = parse(raw["T"], "temperature", field=f"{where}.T")
    except UnitError as err:
        raise _fail(source, f"{where}.T", raw["T"], f"a temperature ({err})") from err
    m = raw["measured"]
    if not (isinstance(m, dict) and set(m) == {"value", "unit"}
            and isinstance(m["value"], int | float) and not isinstance(m["value"], bool)):
        raise _fail(source, f"{where}.measured", m, "{value = <number>, unit = '<unit>'}")
    kind, table_unit, _ = QUANTITIES[q]
    try:
        if kind == "dimensionless":
            if str(m["unit"]).strip() not in ("", "1", "-"):
                raise UnitError(f"{m['unit']!r} is not dimensionless")
            value = float(m["value"])
        else:
            value = parse(f"{m['value']!r} {m['unit']}", kind, field=f"{where}.measured")
            value /= parse(f"1 {table_unit}", kind)
    except UnitError as err:
        raise _fail(source, f"{where}.measured", m, f"a {q} value ({err})") from err
    if not (math.isfinite(value) and value > 0.0):
        raise _fail(source, f"{where}.measured.value", m["value"], "a number > 0")
    if not (designs / raw["design"]).is_file():
        raise _fail(source, f"{where}.design", raw["design"],
                    f"a file in {designs} (it does not exist)")
    return Case(
        id=cid, citation=raw["citation"], doi=raw["doi"], quantity=q, T_K=T,
        measured=value, measured_given=f"{m['value']} {m['unit']}".strip(),
        location=raw["location"], verification=raw["verification"], design=raw["design"],
        comment=str(raw.get("comment", "")),
    )


def load_gallery(path: str | Path | None = None) -> tuple[Case, ...]:
    """Read and validate the cases.

    Parameters
    ----------
    path : str or Path, optional
        A ``cases.toml``; design files are looked up in ``designs/`` next to it. Default:
        the shipped gallery.

    Returns
    -------
    tuple of Case

    Raises
    ------
    DataFormatError
        Malformed file, missing field, bad DOI, unit or temperature, unknown design file,
        or a duplicate id (the message names the case and the field).
    """
    p = Path(path) if path is not None else data_dir() / "cases.toml"
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DataFormatError(f"{p}: not valid TOML ({err})") from err
    raw = data.get("case")
    if not (isinstance(raw, list) and raw):
        raise _fail(str(p), "case", raw, "one or more [[case]] tables")
    designs = p.parent / "designs"
    cases = [_case(r, i, str(p), designs) for i, r in enumerate(raw)]
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise _fail(str(p), "case.id", c.id, "unique ids (this one is repeated)")
        seen.add(c.id)
    return tuple(cases)


def predict(case: Case, designs: str | Path | None = None) -> float:
    """Prediction for one case with default parameters, in the table unit.

    The case's design file is evaluated (analytic method) at the case temperature only.

    Parameters
    ----------
    case : Case
        The measurement.
    designs : str or Path, optional
        Folder of design files (default: the shipped one).

    Returns
    -------
    float
        Through-plane conductivity [S/cm] or Li+ current fraction [-].

    Raises
    ------
    HylyteError
        From loading or evaluating the design.
    """
    from hylyte.design import design_from_dict, evaluate

    folder = Path(designs) if designs is not None else data_dir() / "designs"
    path = folder / case.design
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise DataFormatError(f"{path}: not valid TOML ({err})") from err
    ev = dict(data.get("evaluate", {}))
    ev["temperatures"] = [f"{case.T_K!r} K"]
    ev["method"] = "analytic"
    data["evaluate"] = ev
    result = evaluate(design_from_dict(data, base_dir=folder, source=str(path)), rng=0)
    if getattr(result, "kind", None) != "composite":
        raise DataFormatError(f"{path}: case {case.id!r} needs a composite design for "
                              f"quantity {case.quantity!r}")
    point = result.points[0]
    if case.quantity == "conductivity":
        return float(point.conductivity_S_per_cm)
    return float(point.t_plus)


def run_gallery(cases: Sequence[Case] | None = None, *,
                designs: str | Path | None = None) -> list[CaseResult]:
    """Evaluate every case and compare with the stored measured value.

    Parameters
    ----------
    cases : sequence of Case, optional
        Default: :func:`load_gallery`.
    designs : str or Path, optional
        Folder of design files (default: the shipped one).

    Returns
    -------
    list of CaseResult
        One per case; a case whose evaluation raises a HylyteError is kept with
        ``verdict = "error"`` and the message.
    """
    cases = load_gallery() if cases is None else cases
    out = []
    for c in cases:
        try:
            pred = predict(c, designs)
        except HylyteError as err:
            out.append(CaseResult(c, None, None, "error", str(err)))
            continue
        ratio = pred / c.measured
        out.append(CaseResult(c, pred, ratio, verdict(ratio)))
    return out


def summary(results: Sequence[CaseResult]) -> dict[str, int]:
    """Counts of each verdict (and of verified cases)."""
    counts = {"cases": len(results), "verified": sum(r.case.verified for r in results)}
    for v in ("within 3x", "within 10x", "off > 10x", "error"):
        counts[v] = sum(r.verdict == v for r in results)
    return counts


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


def format_table(results: Sequence[CaseResult], *, markdown: bool = False) -> str:
    """The comparison as a plain-text (or Markdown) table.

    Columns: case, citation, quantity, T [degC], measured, predicted, ratio, verdict,
    verified.
    """
    head = ["case", "citation", "quantity", "T [degC]", "measured", "predicted", "ratio",
            "verdict", "verified"]
    rows = []
    for r in results:
        c = r.case
        unit = QUANTITIES[c.quantity][1]
        rows.append([c.id, c.citation, f"{c.quantity} [{unit}]", f"{c.T_K - 273.15:.0f}",
                     _fmt(c.measured), _fmt(r.predicted), _fmt(r.ratio), r.verdict,
                     c.verification if c.verified else "no"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    out = [line, "-" * len(line)]
    out += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


def parity_figure(results: Sequence[CaseResult]):
    """Log-log parity plot of predicted against measured conductivity (matplotlib Figure).

    Bands mark a factor 3 and 10; filled markers are verified values, open ones are not.
    Only conductivity cases with a prediction are drawn.
    """
    import numpy as np
    from matplotlib.figure import Figure

    pts = [r for r in results if r.case.quantity == "conductivity" and r.predicted]
    fig = Figure(figsize=(5.6, 5.0), layout="constrained")
    ax = fig.add_subplot()
    vals = [v for r in pts for v in (r.case.measured, r.predicted)]
    lo = 10 ** math.floor(math.log10(min(vals)) - 0.5) if vals else 1e-8
    hi = 10 ** math.ceil(math.log10(max(vals)) + 0.5) if vals else 1e-1
    x = np.logspace(math.log10(lo), math.log10(hi), 50)
    ax.fill_between(x, x / 10, x * 10, color="0.92", label="factor 10")
    ax.fill_between(x, x / 3, x * 3, color="0.80", label="factor 3")
    ax.plot(x, x, color="k", lw=0.8)
    for verified, marker_face, label in ((True, "C0", "verified value"),
                                         (False, "none", "value not re-checked")):
        sel = [r for r in pts if r.case.verified is verified]
        if sel:
            ax.scatter([r.case.measured for r in sel], [r.predicted for r in sel], s=36,
                       facecolors=marker_face, edgecolors="C0", label=label, zorder=3)
    for r in pts:
        ax.annotate(r.case.id, (r.case.measured, r.predicted), fontsize=6,
                    xytext=(3, 3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("measured conductivity [S/cm]")
    ax.set_ylabel("predicted conductivity, default parameters [S/cm]")
    ax.set_title("hylyte validation gallery")
    ax.legend(loc="upper left", fontsize=7)
    return fig


def write_outputs(results: Sequence[CaseResult], out_dir: str | Path) -> dict[str, Path]:
    """Write ``validation.json``, ``validation.csv`` and ``validation_parity.png`` atomically.

    Parameters
    ----------
    results : sequence of CaseResult
        From :func:`run_gallery`.
    out_dir : str or Path
        Output folder (created if missing).

    Returns
    -------
    dict of str to Path
        ``{"json": ..., "csv": ..., "plot": ...}``.
    """
    import json

    from hylyte._atomic import atomic_write_bytes, atomic_write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = [r.to_row() for r in results]
    doc = {"summary": summary(results), "cases": rows}
    paths = {"json": out / "validation.json", "csv": out / "validation.csv",
             "plot": out / "validation_parity.png"}
    atomic_write_text(paths["json"], json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["id"])
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_text(paths["csv"], buf.getvalue())
    png = io.BytesIO()
    parity_figure(results).savefig(png, format="png", dpi=150)
    atomic_write_bytes(paths["plot"], png.getvalue())
    return paths


def case_to_dict(case: Case) -> dict[str, Any]:
    """Plain-data form of a case (with ``verified``)."""
    return {**asdict(case), "verified": case.verified}


__all__ = [
    "QUANTITIES",
    "VERIFICATIONS",
    "Case",
    "CaseResult",
    "case_to_dict",
    "data_dir",
    "format_table",
    "load_gallery",
    "parity_figure",
    "predict",
    "run_gallery",
    "summary",
    "verdict",
    "write_outputs",
]
