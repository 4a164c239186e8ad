"""Sweep files: a base design, axes over dotted paths, sampling, constraints, objectives.

A sweep file is TOML::

    name = "filler screen"
    base = "composite.toml"          # a design file (relative to this file) or an inline table
    constraints = ["sum(layers.*.thickness) <= 50 um"]
    columns = ["conductivity_S_per_cm", "asr_ohm_cm2"]      # empty: record every column
    objectives = ["conductivity_S_per_cm:max", "asr_ohm_cm2:min"]

    [sampling]
    method = "grid"                   # grid | points | lhs | sobol | random
    n = 64                            # number of samples (not for grid or points)
    seed = 1

    [axes]
    "fillers.0.fraction" = ["5 vol%", "10 vol%", "20 vol%"]
    "fillers.0.material" = ["LLZTO", "LATP"]             # categorical
    "layers.0.thickness" = "linspace(5 um, 50 um, 10)"
    "fillers.0.radius" = { start = "50 nm", stop = "5 um", num = 5, scale = "log" }

    [evaluate]
    method = "analytic"               # passed to hylyte.design.evaluate

Ranges are parsed by a small parser (``linspace(a, b, n)`` / ``logspace(a, b, n)``); nothing
is evaluated as code. Each point of the sweep is a full design dict whose key is the SHA-256
of its normalised JSON (:func:`design_key`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hylyte.errors import DesignError, InputError
from hylyte.sweep.expr import Expression, Quantity, parse_expression, quantity_from_value

__all__ = [
    "Axis",
    "Objective",
    "SweepPlan",
    "SweepPoint",
    "design_key",
    "get_path",
    "load_plan",
    "normalise_design",
    "parse_objective",
    "plan_from_dict",
    "plan_to_toml",
    "points_plan_dict",
    "set_path",
]

#: the largest number of grid points a plan may expand to
MAX_POINTS = 5_000_000


# --------------------------------------------------------------------------- raw schema

class _Range(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: str | float
    stop: str | float
    num: int | None = Field(default=None, ge=1)
    scale: Literal["linear", "log"] = "linear"


class _Sampling(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "points", "lhs", "sobol", "random"] = "grid"
    n: int | None = Field(default=None, ge=1)
    seed: int | None = None


class _Evaluate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str | None = None


AxisValue = str | float | int | bool


class _SweepFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    base: str | dict[str, Any]
    axes: dict[str, list[AxisValue] | str | _Range] = Field(min_length=1)
    sampling: _Sampling = _Sampling()
    constraints: list[str] = []
    columns: list[str] = []
    objectives: list[str] = []
    evaluate: _Evaluate = _Evaluate()


def _loc_text(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        elif isinstance(p, str) and "." in p:
            parts.append(f'."{p}"' if parts else f'"{p}"')
        else:
            parts.append(f".{p}" if parts else str(p))
    return "".join(parts)


def _validation_message(err: ValidationError, source: str) -> str:
    lines = []
    cleaned = []
    for e in err.errors():
        # drop union-branch tags such as 'list[...]' / 'str' / '_Range' from the location
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p in (
            "str", "_Range", "float", "int", "bool", "function-after"))))
        cleaned.append((loc, e))
    # of the branches of a union, report the one that got furthest
    errors = [(loc, e) for loc, e in cleaned
              if not any(len(o) > len(loc) and o[: len(loc)] == loc for o, _ in cleaned)]
    for loc, e in errors[:5]:
        value = e.get("input")
        shown = repr(value) if not isinstance(value, dict) or len(repr(value)) < 80 else "{...}"
        lines.append(f"{_loc_text(loc) or '<file>'}: {e['msg']} (got {shown})")
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return f"invalid sweep file {source}: " + "; ".join(lines) + more


# --------------------------------------------------------------------------- objectives

@dataclass(frozen=True, slots=True)
class Objective:
    """A result column with a sense: ``"asr_ohm_cm2:min"``.

    Attributes
    ----------
    column : str
        Column name (unit in the name).
    sense : {"min", "max"}
        Whether smaller or larger is better.
    """

    column: str
    sense: Literal["min", "max"]

    def __str__(self) -> str:
        return f"{self.column}:{self.sense}"


def parse_objective(text: str | Objective, *, field: str = "objective") -> Objective:
    """Parse ``"column:min"`` or ``"column:max"`` into an :class:`Objective`.

    Raises
    ------
    InputError
        Missing or unknown sense; the message names the field.
    """
    if isinstance(text, Objective):
        return text
    if not isinstance(text, str) or ":" not in text:
        raise InputError(f"{field}: expected 'column:min' or 'column:max', got {text!r}")
    col, _, sense = text.rpartition(":")
    sense = sense.strip().lower()
    sense = {"minimise": "min", "minimize": "min", "maximise": "max", "maximize": "max"}.get(
        sense, sense
    )
    col = col.strip()
    if sense not in ("min", "max") or not col:
        raise InputError(f"{field}: expected 'column:min' or 'column:max', got {text!r}")
    return Objective(col, sense)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- paths

def _segments(path: str) -> list[str | int]:
    return [int(s) if s.isdigit() else s for s in path.split(".")]


def get_path(design: Mapping[str, Any], path: str) -> Any:
    """Value at a dotted ``path`` (``"fillers.0.fraction"``) of a design dict.

    A ``*`` segment returns a list over all entries of that list or table.

    Raises
    ------
    DesignError
        The path does not exist; the message names it.
    """
    return _get(design, _segments(path), path)


def _get(node: Any, segs: list[str | int], path: str) -> Any:
    if not segs:
        return node
    seg, rest = segs[0], segs[1:]
    if seg == "*":
        items = node if isinstance(node, list) else list(node.values()) if isinstance(
            node, dict) else None
        if items is None:
            raise DesignError(f"{path}: '*' needs a list or table, found {type(node).__name__}")
        return [_get(x, rest, path) for x in items]
    try:
        if isinstance(node, list):
            if not isinstance(seg, int):
                raise KeyError(seg)
            return _get(node[seg], rest, path)
        if isinstance(node, dict):
            return _get(node[str(seg)], rest, path)
    except (KeyError, IndexError):
        pass
    raise DesignError(f"{path}: the design has no entry {seg!r} at this path")


def set_path(design: dict[str, Any], path: str, value: Any) -> None:
    """Set ``design[path] = value`` in place for a dotted path; the parent must exist.

    Raises
    ------
    DesignError
        A parent along the path is missing or a list index is out of range.
    """
    segs = _segments(path)
    node: Any = design
    for i, seg in enumerate(segs[:-1]):
        try:
            node = node[seg] if isinstance(node, list) else node[str(seg)]
        except (KeyError, IndexError, TypeError):
            where = ".".join(map(str, segs[: i + 1]))
            raise DesignError(
                f"{path}: the base design has no entry {where!r}; an axis can only set a "
                "field whose parent exists"
            ) from None
    last = segs[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or not -len(node) <= last < len(node):
            raise DesignError(f"{path}: list index {last!r} out of range (length {len(node)})")
        node[last] = value
    elif isinstance(node, dict):
        node[str(last)] = value
    else:
        raise DesignError(f"{path}: cannot set a field inside a {type(node).__name__}")


def normalise_design(design: Any) -> Any:
    """Normalised copy of a design dict: numbers as floats, whitespace collapsed in strings."""
    if isinstance(design, Mapping):
        return {str(k): normalise_design(v) for k, v in sorted(design.items())}
    if isinstance(design, list | tuple):
        return [normalise_design(v) for v in design]
    if isinstance(design, bool) or design is None:
        return design
    if isinstance(design, int | float | np.integer | np.floating):
        return float(design)
    if isinstance(design, str):
        return " ".join(design.split())
    return design


def design_key(design: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the normalised design dict, the key of a design in a results store.

    Examples
    --------
    >>> design_key({"a": 1, "b": " 5  um"}) == design_key({"b": "5 um", "a": 1.0})
    True
    """
    text = json.dumps(normalise_design(design), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True, allow_nan=True)
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- axes

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_VALUE_RE = re.compile(rf"^\s*({_NUM})\s*([^\s\d+\-.].*?)?\s*$")
_RANGE_RE = re.compile(r"^\s*(linspace|logspace)\s*\((.*)\)\s*$", re.IGNORECASE)


def _split_value(v: Any) -> tuple[float, str] | None:
    """``"5 um" -> (5.0, "um")``; ``3 -> (3.0, "")``; a category -> None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v), ""
    if isinstance(v, str):
        m = _VALUE_RE.match(v)
        if m:
            return float(m.group(1)), " ".join((m.group(2) or "").split())
    return None


def _unit_slug(unit: str) -> str:
    s = unit.replace("%", "_pct").replace("/", "_per_").replace("^", "").replace("µ", "u")
    s = re.sub(r"[^A-Za-z0-9]+", "_", s).strip("_")
    return s


def _column_name(path: str, unit: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return f"{base}_{_unit_slug(unit)}" if unit else base


def _convert_to(value: float, unit: str, target: str, field: str) -> float:
    if unit == target:
        return value
    if "%" in unit or "%" in target:
        raise DesignError(f"{field}: start and stop must use the same unit, got {unit!r} "
                          f"and {target!r}")
    from hylyte.units import registry

    try:
        return float(registry().Quantity(value, unit).to(target).magnitude)
    except Exception as err:
        raise DesignError(f"{field}: cannot convert {unit!r} to {target!r}") from err


def _fmt(x: float, unit: str) -> str | float:
    x = float(f"{x:.12g}")
    return f"{x:.12g} {unit}" if unit else x


@dataclass(frozen=True)
class Axis:
    """One axis of a sweep.

    Attributes
    ----------
    path : str
        Dotted path into the design dict.
    column : str
        Name of the input column in the results (unit in the name).
    unit : str
        Unit of the numeric column values as written in the sweep file ("" if none).
    values : tuple or None
        Design values of a listed axis (or of a range with ``num`` for grids).
    numbers : tuple or None
        Column values of ``values`` (floats in ``unit``; strings for a categorical axis).
    low, high : float or None
        Bounds of a continuous range in ``unit``.
    scale : {"linear", "log"}
        Spacing of a range.
    """

    path: str
    column: str
    unit: str = ""
    values: tuple[Any, ...] | None = None
    numbers: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    scale: Literal["linear", "log"] = "linear"

    @property
    def categorical(self) -> bool:
        """Whether the axis takes named categories (materials, morphologies)."""
        return self.numbers is not None and any(isinstance(n, str) for n in self.numbers)

    @property
    def continuous(self) -> bool:
        """Whether the axis is a range that space-filling samples may take anywhere in."""
        return self.low is not None

    def grid(self) -> list[tuple[Any, Any]]:
        """(design value, column value) pairs for a grid."""
        if self.values is None:
            raise DesignError(
                f'axes."{self.path}": a range needs num = ... for grid sampling'
            )
        return list(zip(self.values, self.numbers, strict=True))  # type: ignore[arg-type]

    def from_unit(self, u: np.ndarray) -> list[tuple[Any, Any]]:
        """Map samples in [0, 1) to (design value, column value) pairs."""
        u = np.asarray(u, dtype=float)
        if self.continuous:
            lo, hi = float(self.low), float(self.high)  # type: ignore[arg-type]
            if self.scale == "log":
                x = np.exp(np.log(lo) + u * (np.log(hi) - np.log(lo)))
            else:
                x = lo + u * (hi - lo)
            out = []
            for xi in x:
                dv = _fmt(float(xi), self.unit)
                out.append((dv, float(f"{xi:.12g}")))
            return out
        pairs = self.grid()
        idx = np.minimum((u * len(pairs)).astype(int), len(pairs) - 1)
        return [pairs[i] for i in idx]

    def value_of(self, x: Any) -> Any:
        """Design value for a column value ``x`` (number in ``unit`` or a category)."""
        if self.categorical:
            return x
        return _fmt(float(x), self.unit)


def _parse_axis(path: str, spec: Any) -> Axis:
    field = f'axes."{path}"'
    if not re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", path):
        raise DesignError(f"{field}: not a dotted path such as 'fillers.0.fraction'")
    if isinstance(spec, list):
        if not spec:
            raise DesignError(f"{field}: the list of values is empty")
        split = [_split_value(v) for v in spec]
        if all(s is not None for s in split):
            unit = split[0][1]  # type: ignore[index]
            try:
                nums = tuple(_convert_to(s[0], s[1], unit, field)  # type: ignore[index]
                             for s in split)
            except DesignError:
                raise DesignError(
                    f"{field}: values must have compatible units to form a numeric axis, got "
                    f"{sorted({s[1] for s in split})}"  # type: ignore[index]
                ) from None
            return Axis(path, _column_name(path, unit), unit, tuple(spec), nums)
        if any(not isinstance(v, str) for v in spec):
            raise DesignError(
                f"{field}: mixes numbers and names {spec!r}; use quantities with one unit "
                "or names only"
            )
        return Axis(path, _column_name(path, ""), "", tuple(spec), tuple(spec))
    if isinstance(spec, str):
        m = _RANGE_RE.match(spec)
        if not m:
            raise DesignError(
                f"{field}: expected a list of values, 'linspace(start, stop, num)', "
                f"'logspace(start, stop, num)' or {{start, stop, num, scale}}, got {spec!r}"
            )
        args = [a.strip() for a in m.group(2).split(",")]
        if len(args) not in (2, 3):
            raise DesignError(f"{field}: {m.group(1)}() takes start, stop[, num], got {spec!r}")
        num: int | None = None
        if len(args) == 3:
            if not re.fullmatch(r"\d+", args[2]):
                raise DesignError(f"{field}: num must be a positive integer, got {args[2]!r}")
            num = int(args[2])
        spec = _Range(start=args[0], stop=args[1], num=num,
                      scale="log" if m.group(1).lower() == "logspace" else "linear")
    assert isinstance(spec, _Range)
    a, b = _split_value(spec.start), _split_value(spec.stop)
    if a is None or b is None:
        raise DesignError(f"{field}: start and stop must be numbers or quantities such as "
                          f"'5 um', got {spec.start!r} and {spec.stop!r}")
    unit = a[1]
    lo, hi = a[0], _convert_to(b[0], b[1], unit, field)
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
        raise DesignError(f"{field}: start and stop must be finite and different, got "
                          f"{spec.start!r} and {spec.stop!r}")
    if spec.scale == "log" and (lo <= 0 or hi <= 0):
        raise DesignError(f"{field}: a log range needs positive start and stop")
    values = numbers = None
    if spec.num is not None:
        xs = (np.geomspace(lo, hi, spec.num) if spec.scale == "log"
              else np.linspace(lo, hi, spec.num))
        values = tuple(_fmt(float(x), unit) for x in xs)
        numbers = tuple(float(f"{x:.12g}") for x in xs)
    return Axis(path, _column_name(path, unit), unit, values, numbers, min(lo, hi), max(lo, hi),
                spec.scale)


# --------------------------------------------------------------------------- plan

@dataclass(frozen=True, slots=True)
class SweepPoint:
    """One design of a sweep.

    Attributes
    ----------
    key : str
        :func:`design_key` of ``design``.
    design : dict
        The full design dict.
    inputs : dict
        Axis column name -> value (number in the axis unit, or a category).
    """

    key: str
    design: dict[str, Any]
    inputs: dict[str, Any]


@dataclass(frozen=True)
class SweepPlan:
    """A validated sweep: base design, axes, sampling, constraints and what to record.

    Build it with :func:`load_plan` or :func:`plan_from_dict`; expand it with :meth:`points`.
    """

    base: dict[str, Any]
    axes: tuple[Axis, ...]
    method: Literal["grid", "points", "lhs", "sobol", "random"] = "grid"
    n: int | None = None
    seed: int | None = None
    constraints: tuple[Expression, ...] = ()
    columns: tuple[str, ...] = ()
    objectives: tuple[Objective, ...] = ()
    evaluate_method: str | None = None
    name: str | None = None
    base_dir: Path | None = None
    source: dict[str, Any] = field(default_factory=dict)

    def axis(self, path_or_column: str) -> Axis:
        """The axis with this dotted path or column name."""
        for ax in self.axes:
            if path_or_column in (ax.path, ax.column):
                return ax
        raise InputError(f"no axis {path_or_column!r}; axes: {[a.path for a in self.axes]}")

    def design_for(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Base design with the axis values given by column name or path set."""
        d = json.loads(json.dumps(self.base))
        for ax in self.axes:
            for k in (ax.column, ax.path):
                if k in inputs:
                    set_path(d, ax.path, ax.value_of(inputs[k]))
                    break
        return d

    def satisfies(self, design: Mapping[str, Any]) -> bool:
        """Whether ``design`` meets every constraint of the plan."""
        if not self.constraints:
            return True
        cache: dict[str, Any] = {}

        def resolve(name: str) -> Quantity | list[Quantity]:
            if name not in cache:
                v = get_path(design, name)
                cache[name] = ([quantity_from_value(x, field=name) for x in v]
                               if isinstance(v, list) else quantity_from_value(v, field=name))
            return cache[name]

        for c in self.constraints:
            ok = c.evaluate(resolve)
            if not isinstance(ok, bool):
                raise InputError(f"constraint {c.text!r} must be a comparison, e.g. 'x <= 5 um'")
            if not ok:
                return False
        return True

    def _unit_samples(self) -> np.ndarray:
        d = len(self.axes)
        n = self.n
        if n is None:
            raise DesignError(f"sampling.n: method {self.method!r} needs the number of samples")
        rng = np.random.default_rng(self.seed)
        if self.method == "random":
            return rng.random((n, d))
        from scipy.stats import qmc

        if self.method == "lhs":
            return qmc.LatinHypercube(d, rng=rng).random(n)
        m = max(0, math.ceil(math.log2(n)))
        return qmc.Sobol(d, scramble=True, rng=rng).random_base2(m)[:n]

    def points(self) -> tuple[list[SweepPoint], int]:
        """Expand the plan into designs.

        Returns
        -------
        points : list of SweepPoint
            Designs that meet the constraints, unique by key, in plan order.
        n_rejected : int
            How many designs the constraints removed.
        """
        if self.method == "grid":
            grids = [ax.grid() for ax in self.axes]
            total = math.prod(len(g) for g in grids)
            if total > MAX_POINTS:
                raise DesignError(f"axes: the grid has {total} points (> {MAX_POINTS}); use "
                                  "sampling.method = 'lhs' or 'sobol'")
            combos: Any = itertools.product(*grids)
        elif self.method == "points":
            combos = zip(*(ax.grid() for ax in self.axes), strict=True)
        else:
            u = self._unit_samples()
            cols = [ax.from_unit(u[:, j]) for j, ax in enumerate(self.axes)]
            combos = zip(*cols, strict=True)
        out: list[SweepPoint] = []
        seen: set[str] = set()
        rejected = 0
        base_text = json.dumps(self.base)
        for combo in combos:
            d = json.loads(base_text)
            inputs: dict[str, Any] = {}
            for ax, (dv, cv) in zip(self.axes, combo, strict=True):
                set_path(d, ax.path, dv)
                inputs[ax.column] = cv
            if not self.satisfies(d):
                rejected += 1
                continue
            key = design_key(d)
            if key in seen:
                continue
            seen.add(key)
            out.append(SweepPoint(key, d, inputs))
        return out, rejected

    def to_dict(self) -> dict[str, Any]:
        """The plan as given (JSON-safe), for the results manifest."""
        return json.loads(json.dumps(self.source, default=str))


def plan_from_dict(data: Mapping[str, Any], *, base_dir: str | Path | None = None,
                   source: str = "<dict>") -> SweepPlan:
    """Validate a sweep dict (a parsed sweep TOML) and build a :class:`SweepPlan`.

    Parameters
    ----------
    data
        The sweep table.
    base_dir
        Folder against which a ``base = "design.toml"`` path is resolved.
    source
        Name used in error messages (the file path).

    Raises
    ------
    DesignError
        Invalid content; the message names the field (``axes."layers.0.thickness"``,
        ``sampling.n``, ``constraints[0]`` ...).
    """
    try:
        raw = _SweepFile.model_validate(dict(data))
    except ValidationError as err:
        raise DesignError(_validation_message(err, source)) from None
    bdir = Path(base_dir) if base_dir is not None else None
    if isinstance(raw.base, str):
        p = Path(raw.base)
        if not p.is_absolute() and bdir is not None:
            p = bdir / p
        if not p.is_file():
            raise DesignError(f"base: design file {str(p)!r} not found")
        try:
            base = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise DesignError(f"base: {str(p)!r} is not valid TOML: {err}") from err
        bdir = p.parent
    else:
        base = dict(raw.base)
    axes = tuple(_parse_axis(path, spec) for path, spec in raw.axes.items())
    cols = [a.column for a in axes]
    if len(set(cols)) != len(cols):
        raise DesignError(f"axes: two axes map to the same column: {cols}")
    probe = json.loads(json.dumps(base))
    for ax in axes:
        first = ax.values[0] if ax.values else _fmt(float(ax.low), ax.unit)  # type: ignore[arg-type]
        try:
            set_path(probe, ax.path, first)
        except DesignError as err:
            raise DesignError(f'axes."{ax.path}"{str(err)[len(ax.path):]}') from None
    method = raw.sampling.method
    if method in ("grid", "points") and raw.sampling.n is not None:
        raise DesignError(f"sampling.n: method {method!r} takes its size from the axes; remove "
                          "n or use method = 'lhs', 'sobol' or 'random'")
    if method == "points":
        lengths = {ax.path: (len(ax.values) if ax.values is not None else None) for ax in axes}
        if None in lengths.values() or len(set(lengths.values())) != 1:
            raise DesignError(
                "axes: sampling method 'points' takes point i from entry i of every axis, so "
                f"every axis must be a list (or a range with num) of one length; got {lengths}"
            )
    if method not in ("grid", "points") and raw.sampling.n is None:
        raise DesignError(f"sampling.n: method {method!r} needs the number of samples n")
    try:
        constraints = tuple(parse_expression(c, field=f"constraints[{i}]")
                            for i, c in enumerate(raw.constraints))
        objectives = tuple(parse_objective(o, field=f"objectives[{i}]")
                           for i, o in enumerate(raw.objectives))
    except InputError as err:
        raise DesignError(str(err)) from err
    for i, c in enumerate(constraints):
        try:
            SweepPlan(base=probe, axes=axes, constraints=(c,)).satisfies(probe)
        except InputError as err:
            raise DesignError(f"constraints[{i}]: {err}") from err
    return SweepPlan(
        base=base, axes=axes, method=method, n=raw.sampling.n, seed=raw.sampling.seed,
        constraints=constraints, columns=tuple(raw.columns), objectives=objectives,
        evaluate_method=raw.evaluate.method, name=raw.name, base_dir=bdir,
        source=raw.model_dump(mode="json"),
    )


def load_plan(path: str | Path) -> SweepPlan:
    """Read and validate a sweep TOML file.

    Raises
    ------
    DesignError
        Invalid TOML or content; the message names the file and the field.
    FileNotFoundError
        No such file.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DesignError(f"{path}: not valid TOML: {err}") from err
    return plan_from_dict(data, base_dir=path.parent, source=str(path))


# --------------------------------------------------------------------------- writing plans

def points_plan_dict(
    plan: SweepPlan,
    points: Sequence[Mapping[str, Any]],
    *,
    base: str | Mapping[str, Any] | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    """A sweep dict that evaluates exactly ``points`` (sampling method ``"points"``).

    Parameters
    ----------
    plan
        Plan whose base design, constraints, columns, objectives and evaluation are kept.
    points
        Axis column name (or dotted path) -> value in the axis unit, one mapping per design.
        An axis missing from a point must have a single value in ``plan``.
    base
        What to write as ``base``: a design file path (relative to where the sweep file
        will be) or a design table; default the plan's base table.
    name
        Name of the new sweep.

    Returns
    -------
    dict
        A sweep table; :func:`plan_to_toml` writes it as TOML.

    Raises
    ------
    InputError
        No points, or an axis without a value that has several in ``plan``.
    """
    if not points:
        raise InputError("points: need at least one design")
    axes: dict[str, list[Any]] = {}
    for ax in plan.axes:
        vals = []
        for i, p in enumerate(points):
            key = ax.column if ax.column in p else ax.path if ax.path in p else None
            if key is not None:
                vals.append(ax.value_of(p[key]))
            elif ax.values is not None and len(ax.values) == 1:
                vals.append(ax.values[0])
            else:
                raise InputError(
                    f"points[{i}]: no value for axis {ax.column!r}, which is not fixed in the "
                    "plan; give it in every point or fix it to one value"
                )
        axes[ax.path] = vals
    src = plan.source
    out: dict[str, Any] = {}
    if name or src.get("name"):
        out["name"] = name or src.get("name")
    out["base"] = dict(plan.base) if base is None else base
    for key in ("constraints", "columns", "objectives"):
        if src.get(key):
            out[key] = list(src[key])
    out["sampling"] = {"method": "points"}
    out["axes"] = axes
    if plan.evaluate_method is not None:
        out["evaluate"] = {"method": plan.evaluate_method}
    return out


def _toml_value(v: Any, field: str) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | np.integer):
        return str(int(v))
    if isinstance(v, float | np.floating):
        x = float(v)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON escapes are valid TOML basic strings
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x, f"{field}[{i}]") for i, x in enumerate(v)) + "]"
    if isinstance(v, Mapping):
        inner = ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = "
                          f"{_toml_value(x, f'{field}.{k}')}" for k, x in v.items())
        return "{ " + inner + " }" if inner else "{}"
    raise InputError(f"{field}: cannot write a {type(v).__name__} ({v!r}) to TOML")


def plan_to_toml(data: Mapping[str, Any], *, header: str = "") -> str:
    """TOML text of a sweep dict (``base`` given as a table is written inline).

    Parameters
    ----------
    data
        Sweep table, e.g. from :func:`points_plan_dict`.
    header
        Comment lines put at the top (without ``#``).
    """
    def key(k: Any) -> str:
        k = str(k)
        return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)

    lines = [f"# {h}".rstrip() for h in header.splitlines()]
    tables = {k: v for k, v in data.items() if isinstance(v, Mapping) and k != "base"}
    for k, v in data.items():
        if k not in tables:
            lines.append(f"{key(k)} = {_toml_value(v, str(k))}")
    for k, v in tables.items():
        lines.append("")
        lines.append(f"[{key(k)}]")
        for kk, vv in v.items():
            lines.append(f"{key(kk)} = {_toml_value(vv, f'{k}.{kk}')}")
    return "\n".join(lines) + "\n"
