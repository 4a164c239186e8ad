"""Material records: every number with its unit and its reference, converted to SI at load.

A material file (TOML) holds one table per material::

    [LLZTO]
    kind = "ceramic"
    aliases = ["Ta-LLZO"]
    formula = "Li6.4La3Zr1.4Ta0.6O12"
    density = { value = 5.45, unit = "g/cm^3", ref = "Li2012" }

    [LLZTO.conductivity]
    law = "arrhenius"
    sigma_ref = { value = 5e-4, unit = "S/cm", T = "25 degC", ref = "Li2012",
                  range = [1e-4, 1e-3] }
    Ea = { value = 0.35, unit = "eV", ref = "Murugan2007" }

Each numeric property is a *record* ``{value, unit, ref, range = [lo, hi], T, note}``; ``ref``
is a key of ``references.bib`` (or, in user files, a literal ``"doi:10..."``). Records are
validated with pydantic, converted with :mod:`hylyte.units` and stored in SI as
:class:`Property`. Errors name the file, the material, the field, the value and what is allowed.

Inline laws in design files (:func:`from_law_table`) take plain quantity strings instead::

    {law = "arrhenius", sigma_ref = "1e-4 S/cm", T_ref = "25 degC", Ea = "0.35 eV"}
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from hylyte._typing import ArrayLike, FloatArray
from hylyte.errors import InputError, MaterialError, UnitError
from hylyte.materials import laws as _laws
from hylyte.materials._elements import mass_fractions
from hylyte.units import K_B_EV, Kind, parse

MaterialKind = Literal["ceramic", "polymer", "filler", "electrode", "salt", "collector"]
MATERIAL_KINDS: tuple[str, ...] = ("ceramic", "polymer", "filler", "electrode", "salt", "collector")
Behaviour = Literal["thermo_stable", "kinetically_passivated", "non_passivating", "unknown"]
BEHAVIOURS: tuple[str, ...] = (
    "thermo_stable", "kinetically_passivated", "non_passivating", "unknown"
)
_DOI_LITERAL = re.compile(r"^doi:10\.\d{4,9}/\S+$")
_DIMENSIONLESS_UNITS = ("", "1", "-")


# --------------------------------------------------------------------------- records


class Record(BaseModel):
    """One numeric property as written in a material file (before unit conversion).

    Attributes
    ----------
    value : float
        The number in ``unit``.
    unit : str
        Its unit (``""`` or ``"1"`` for dimensionless).
    ref : str, optional
        BibTeX key in ``references.bib`` (or ``"doi:10...."`` in user files).
    basis : str, optional
        For a value without a literature source: how it was obtained (``"computed: ..."``
        from other values, or ``"indicative: ..."``). Every record needs ``ref`` or ``basis``.
    range : (float, float), optional
        Literature span ``[lo, hi]`` in the same unit; ``value`` is the documented default.
    T : str, optional
        Temperature of the value, e.g. ``"25 degC"``.
    note : str, optional
        Free-text qualifier (method, composition, "illustrative").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    unit: str
    ref: str | None = None
    basis: str | None = None
    range: tuple[float, float] | None = None
    T: str | None = None
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v


@dataclass(frozen=True, slots=True)
class Property:
    """A property in SI with its provenance.

    Attributes
    ----------
    value : float
        Value in the internal unit of its kind (SI; eV for energies).
    kind : str
        Quantity kind (see :data:`hylyte.units.KINDS`).
    ref : str or None
        BibTeX key or ``"doi:..."`` literal; ``None`` for values derived from other properties
        or stated as a modelling choice (then ``basis`` says how it was obtained).
    range : (float, float) or None
        Literature span in SI.
    T : float or None
        Temperature of the value [K].
    note : str or None
        Qualifier.
    given : str
        The value as written (``"5.45 g/cm^3"``).
    derived_from : tuple of str
        Fields this value was computed from (e.g. shear modulus from E and nu).
    """

    value: float
    kind: str
    ref: str | None
    range: tuple[float, float] | None = None
    T: float | None = None
    note: str | None = None
    given: str = ""
    derived_from: tuple[str, ...] = ()
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (SI value plus provenance)."""
        from hylyte.units import KINDS

        unit = KINDS[self.kind][0] if self.kind in KINDS else None
        return {
            "value": self.value,
            "unit_SI": "eV" if self.kind == "energy" else unit,
            "kind": self.kind,
            "ref": self.ref,
            "range": list(self.range) if self.range else None,
            "T_K": self.T,
            "note": self.note,
            "given": self.given,
            "derived_from": list(self.derived_from),
            "basis": self.basis,
        }


@dataclass(frozen=True, slots=True)
class Context:
    """Where a value comes from, for error messages (file, material, field prefix)."""

    file: str = "<inline>"
    material: str | None = None
    bib_keys: frozenset[str] | None = None
    allow_doi_literal: bool = True

    def fail(self, fieldname: str, value: Any, allowed: str) -> MaterialError:
        """A MaterialError naming file, material, field, value and what is allowed."""
        where = f"{self.file}"
        if self.material is not None:
            where += f": material {self.material!r}"
        return MaterialError(f"{where}: field {fieldname!r}: got {value!r}; allowed: {allowed}")


def _check_ref(ref: str, ctx: Context, fieldname: str) -> str:
    if ctx.allow_doi_literal and _DOI_LITERAL.match(ref):
        return ref
    if ctx.bib_keys is not None and ref not in ctx.bib_keys:
        allowed = "a key of references.bib"
        if ctx.allow_doi_literal:
            allowed += " or a literal 'doi:10.xxxx/...'"
        raise ctx.fail(f"{fieldname}.ref", ref, allowed + " (the key is not in references.bib)")
    if not ref.strip():
        raise ctx.fail(f"{fieldname}.ref", ref, "a non-empty BibTeX key")
    return ref


def _convert(value: float, unit: str, kind: Kind, ctx: Context, fieldname: str) -> float:
    if kind == "dimensionless":
        if unit.strip() not in _DIMENSIONLESS_UNITS:
            try:
                return parse(f"{value!r} {unit}", "dimensionless", field=fieldname)
            except UnitError as err:
                raise ctx.fail(fieldname, f"{value} {unit}", "a plain number (unit '')") from err
        return float(value)
    if not unit.strip():
        raise ctx.fail(f"{fieldname}.unit", unit, f"a unit; {_kind_help(kind)}")
    try:
        return parse(f"{value!r} {unit}", kind, field=fieldname)
    except UnitError as err:
        raise ctx.fail(fieldname, f"{value} {unit}", f"{_kind_help(kind)} ({err})") from err


def _kind_help(kind: str) -> str:
    from hylyte.units import KINDS

    return KINDS[kind][1]


def parse_record(
    raw: Any,
    kind: Kind,
    ctx: Context,
    fieldname: str,
    *,
    check: Callable[[float], bool] | None = None,
    allowed: str = "",
) -> Property:
    """Validate a raw record and convert it to a :class:`Property` in SI.

    Parameters
    ----------
    raw : mapping
        ``{value, unit, ref, range, T, note}`` as read from TOML.
    kind : str
        Quantity kind of ``value`` (see :data:`hylyte.units.KINDS`).
    ctx : Context
        File and material, for messages and for resolving ``ref``.
    fieldname : str
        Dotted field name, for messages.
    check : callable, optional
        Predicate on the SI value (and on both range ends).
    allowed : str
        What ``check`` allows, for messages.

    Returns
    -------
    Property

    Raises
    ------
    MaterialError
        Missing or unknown ``ref``, bad unit, value or range outside what is allowed.
    """
    if not isinstance(raw, Mapping):
        raise ctx.fail(
            fieldname, raw, "a record {value = ..., unit = '...', ref = 'Key'} (every number "
            "needs a unit and a reference)"
        )
    if "ref" not in raw and "basis" not in raw:
        raise ctx.fail(f"{fieldname}.ref", None, "a reference key; every value needs a 'ref' "
                       "(or, for computed or indicative values, a 'basis' saying so)")
    try:
        rec = Record.model_validate(dict(raw))
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        bad = first.get("input")
        raise ctx.fail(f"{fieldname}.{loc}" if loc else fieldname, bad, first["msg"]) from err
    ref = _check_ref(rec.ref, ctx, fieldname) if rec.ref is not None else None
    if ref is None and not (rec.basis or "").strip():
        raise ctx.fail(f"{fieldname}.basis", rec.basis, "a non-empty description")
    value = _convert(rec.value, rec.unit, kind, ctx, fieldname)
    rng = None
    if rec.range is not None:
        lo = _convert(rec.range[0], rec.unit, kind, ctx, f"{fieldname}.range")
        hi = _convert(rec.range[1], rec.unit, kind, ctx, f"{fieldname}.range")
        if not lo <= hi:
            raise ctx.fail(f"{fieldname}.range", list(rec.range), "[lo, hi] with lo <= hi")
        if not lo <= value <= hi:
            raise ctx.fail(
                fieldname, rec.value, f"a default inside its range {list(rec.range)} {rec.unit}"
            )
        rng = (lo, hi)
    if check is not None:
        for v, name in ((value, fieldname), *((r, f"{fieldname}.range") for r in rng or ())):
            if not check(v):
                raise ctx.fail(name, f"{rec.value} {rec.unit}".strip(), allowed)
    T = None
    if rec.T is not None:
        try:
            T = parse(rec.T, "temperature", field=f"{fieldname}.T")
        except UnitError as err:
            raise ctx.fail(f"{fieldname}.T", rec.T, f"a temperature above 0 K ({err})") from err
    return Property(
        value=value,
        kind=kind,
        ref=ref,
        range=rng,
        T=T,
        note=rec.note,
        given=f"{rec.value:.12g} {rec.unit}".strip(),
        basis=rec.basis,
    )


def _quantity(
    raw: Any, kind: Kind, ctx: Context, fieldname: str, *, require_ref: bool,
    check: Callable[[float], bool] | None = None, allowed: str = "",
) -> Property:
    """A record (with ref) or, where refs are not required, a quantity string."""
    if isinstance(raw, Mapping):
        return parse_record(raw, kind, ctx, fieldname, check=check, allowed=allowed)
    if require_ref:
        raise ctx.fail(
            fieldname, raw, "a record {value = ..., unit = '...', ref = 'Key'} (every number "
            "in a material file needs a unit and a reference)"
        )
    if kind == "dimensionless" and isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        if not isinstance(raw, str):
            raise ctx.fail(fieldname, raw, f"a quantity string; {_kind_help(kind)}")
        try:
            value = parse(raw, kind, field=fieldname)
        except UnitError as err:
            raise ctx.fail(fieldname, raw, f"{_kind_help(kind)} ({err})") from err
    if check is not None and not check(value):
        raise ctx.fail(fieldname, raw, allowed)
    basis = ("zero: a non-conducting phase (modelling statement)" if value == 0.0
             else f"given without a reference in {ctx.file}")
    return Property(value=value, kind=kind, ref=None, given=str(raw), basis=basis)


# --------------------------------------------------------------------------- laws

_LAW_KEYS: dict[str, set[str]] = {
    "arrhenius": {"law", "sigma_ref", "A", "Ea", "T_ref", "form", "T_range", "note", "ref"},
    "vtf": {"law", "A", "B", "T0", "prefactor", "T_range", "note", "ref"},
    "semicrystalline_peo": {"law", "low", "high", "T_m", "delta_m", "T_range", "note", "ref"},
    "tabulated": {"law", "T", "sigma", "extrapolate", "note", "ref"},
    "constant": {"law", "sigma", "T_range", "note", "ref"},
}


def _pos(v: float) -> bool:
    return math.isfinite(v) and v > 0.0


def _nonneg(v: float) -> bool:
    return math.isfinite(v) and v >= 0.0


def _temperature_difference(
    raw: Any, ctx: Context, fieldname: str, *, require_ref: bool
) -> Property:
    """A temperature *difference* in K (B of VTF, transition widths); degC is refused."""
    text = raw.get("unit", "") if isinstance(raw, Mapping) else raw
    if isinstance(text, str) and "deg" in text.lower():
        raise ctx.fail(fieldname, raw, "a temperature difference in K (not degC/degF)")
    if isinstance(raw, Mapping) and str(raw.get("unit", "")).strip() in ("eV", "meV"):
        p = parse_record(raw, "energy", ctx, fieldname, check=_pos, allowed="> 0")
        return Property(p.value / K_B_EV, "temperature", p.ref, None, p.T, p.note, p.given,
                        basis=p.basis)
    if isinstance(raw, str) and raw.strip().endswith("eV"):
        p = _quantity(raw, "energy", ctx, fieldname, require_ref=False, check=_pos,
                      allowed="> 0")
        return Property(p.value / K_B_EV, "temperature", None, None, None, None, str(raw))
    return _quantity(raw, "temperature", ctx, fieldname, require_ref=require_ref, check=_pos,
                     allowed="a temperature difference > 0 K")


def _prefactor(raw: Any, extra_K: float, ctx: Context, fieldname: str, *,
               require_ref: bool) -> Property:
    """Conductivity prefactor possibly carrying K^extra_K (S K/m, S K^0.5/m)."""
    if extra_K == 0.0:
        return _quantity(raw, "conductivity", ctx, fieldname, require_ref=require_ref,
                         check=_pos, allowed="a conductivity > 0")
    from hylyte.units import registry

    target = f"S*K**{extra_K}/m"
    if isinstance(raw, Mapping):
        base = parse_record({**raw, "unit": ""}, "dimensionless", ctx, fieldname)
        text = f"{raw['value']!r} {raw['unit']}"
    else:
        if require_ref:
            raise ctx.fail(fieldname, raw, "a record {value, unit, ref}")
        base, text = None, raw
    try:
        value = float(registry().Quantity(text).to(target).magnitude)
    except Exception as err:
        raise ctx.fail(fieldname, raw, f"a prefactor with units of {target}") from err
    if not _pos(value):
        raise ctx.fail(fieldname, raw, "> 0")
    ref = base.ref if base else None
    return Property(value, "prefactor", ref, None, None, base.note if base else None, str(text),
                    basis=base.basis if base else None)


def _law_T_range(raw: Any, ctx: Context, fieldname: str) -> tuple[float, float] | None:
    if raw is None:
        return None
    if not (isinstance(raw, list | tuple) and len(raw) == 2):
        raise ctx.fail(fieldname, raw, "two temperatures [lo, hi] such as ['0 degC', '100 degC']")
    out = []
    for item in raw:
        try:
            out.append(parse(item, "temperature", field=fieldname))
        except UnitError as err:
            raise ctx.fail(fieldname, raw, f"temperatures above 0 K ({err})") from err
    if not out[0] < out[1]:
        raise ctx.fail(fieldname, raw, "lo < hi")
    return (out[0], out[1])


def parse_law(
    table: Any, ctx: Context, fieldname: str = "conductivity", *, require_ref: bool = True
) -> tuple[_laws.ConductivityLaw, dict[str, Property]]:
    """Build a conductivity law from a TOML table; return it with its parameter provenance.

    Parameters
    ----------
    table : mapping
        ``{law = "<kind>", ...parameters}``; parameters are records (material files) or
        quantity strings (``require_ref=False``, inline design laws).
    ctx : Context
        Where the table comes from (messages, reference keys).
    fieldname : str
        Field prefix used in messages and in the returned provenance keys.
    require_ref : bool
        Demand a ``ref`` on every non-zero number.

    Returns
    -------
    law : ConductivityLaw
    props : dict
        ``"conductivity.Ea"`` -> :class:`Property`, etc.
    """
    if not isinstance(table, Mapping):
        raise ctx.fail(fieldname, table, "a table with a 'law' key")
    kind = table.get("law")
    if kind not in _laws.LAWS:
        raise ctx.fail(f"{fieldname}.law", kind, f"one of {sorted(_laws.LAWS)}")
    unknown = set(table) - _LAW_KEYS[kind]
    if unknown:
        raise ctx.fail(f"{fieldname}.{sorted(unknown)[0]}", table[sorted(unknown)[0]],
                       f"parameters of a {kind!r} law: {sorted(_LAW_KEYS[kind] - {'law'})}")
    props: dict[str, Property] = {}

    def q(key: str, qkind: Kind, **kw: Any) -> Property:
        if key not in table:
            raise ctx.fail(f"{fieldname}.{key}", None, f"a value (required by the {kind!r} law)")
        p = _quantity(table[key], qkind, ctx, f"{fieldname}.{key}", require_ref=require_ref, **kw)
        props[f"{fieldname}.{key}"] = p
        return p

    T_range = _law_T_range(table.get("T_range"), ctx, f"{fieldname}.T_range")
    try:
        if kind == "arrhenius":
            form = table.get("form", "sigma")
            if form not in ("sigma", "sigmaT"):
                raise ctx.fail(f"{fieldname}.form", form, "'sigma' (form B) or 'sigmaT' (form A)")
            Ea = q("Ea", "energy", check=math.isfinite, allowed="a finite energy")
            if ("sigma_ref" in table) == ("A" in table):
                raise ctx.fail(fieldname, dict(table), "exactly one of 'sigma_ref' or 'A'")
            if "sigma_ref" in table:
                s = q("sigma_ref", "conductivity", check=_pos, allowed="a conductivity > 0")
                T_ref = s.T
                if "T_ref" in table:
                    T_ref = q("T_ref", "temperature", check=_pos, allowed="> 0 K").value
                law: _laws.ConductivityLaw = _laws.Arrhenius(
                    sigma_ref=s.value, Ea=Ea.value,
                    T_ref=T_ref if T_ref is not None else _laws.T_REF_DEFAULT,
                    form=form, T_range=T_range,
                )
            else:
                A = _prefactor(table["A"], 1.0 if form == "sigmaT" else 0.0, ctx,
                               f"{fieldname}.A", require_ref=require_ref)
                props[f"{fieldname}.A"] = A
                T_ref = (q("T_ref", "temperature", check=_pos, allowed="> 0 K").value
                         if "T_ref" in table else _laws.T_REF_DEFAULT)
                law = _laws.Arrhenius.from_prefactor(
                    A.value, Ea.value, form=form, T_ref=T_ref, T_range=T_range
                )
        elif kind == "vtf":
            pref = table.get("prefactor", False)
            if not isinstance(pref, bool):
                raise ctx.fail(f"{fieldname}.prefactor", pref, "true or false")
            if "A" not in table:
                raise ctx.fail(f"{fieldname}.A", None, "a value (required by the 'vtf' law)")
            A = _prefactor(table["A"], 0.5 if pref else 0.0, ctx, f"{fieldname}.A",
                           require_ref=require_ref)
            props[f"{fieldname}.A"] = A
            if "B" not in table:
                raise ctx.fail(f"{fieldname}.B", None, "a value (required by the 'vtf' law)")
            B = _temperature_difference(table["B"], ctx, f"{fieldname}.B",
                                        require_ref=require_ref)
            props[f"{fieldname}.B"] = B
            T0 = q("T0", "temperature", check=_nonneg, allowed=">= 0 K")
            law = _laws.VTF(A=A.value, B=B.value, T0=T0.value, prefactor=pref, T_range=T_range)
        elif kind == "semicrystalline_peo":
            for key in ("low", "high"):
                if not isinstance(table.get(key), Mapping):
                    raise ctx.fail(f"{fieldname}.{key}", table.get(key), "a law table")
            low, p_low = parse_law({"law": "arrhenius", **table["low"]}, ctx,
                                   f"{fieldname}.low", require_ref=require_ref)
            high, p_high = parse_law({"law": "vtf", **table["high"]}, ctx,
                                     f"{fieldname}.high", require_ref=require_ref)
            props.update(p_low)
            props.update(p_high)
            T_m = q("T_m", "temperature", check=_pos, allowed="> 0 K")
            if "delta_m" not in table:
                raise ctx.fail(f"{fieldname}.delta_m", None, "a transition width such as '3 K'")
            dm = _temperature_difference(table["delta_m"], ctx, f"{fieldname}.delta_m",
                                         require_ref=require_ref)
            props[f"{fieldname}.delta_m"] = dm
            law = _laws.SemicrystallinePEO(low=low, high=high, T_m=T_m.value,  # type: ignore[arg-type]
                                           delta_m=dm.value, T_range=T_range)
        elif kind == "tabulated":
            Ts, sigmas = table.get("T"), table.get("sigma")
            if not (isinstance(Ts, list) and isinstance(sigmas, list)):
                raise ctx.fail(f"{fieldname}.T", Ts, "lists 'T' and 'sigma' of quantity strings")
            if require_ref:
                ref = table.get("ref")
                if not isinstance(ref, str):
                    raise ctx.fail(f"{fieldname}.ref", ref, "a reference key for the table")
                _check_ref(ref, ctx, fieldname)
            Tv = [_quantity(t, "temperature", ctx, f"{fieldname}.T", require_ref=False).value
                  for t in Ts]
            sv = [_quantity(s, "conductivity", ctx, f"{fieldname}.sigma", require_ref=False,
                            check=_pos, allowed="> 0").value for s in sigmas]
            ex = table.get("extrapolate", False)
            if not isinstance(ex, bool):
                raise ctx.fail(f"{fieldname}.extrapolate", ex, "true or false")
            law = _laws.Tabulated(Tv, sv, extrapolate=ex)
            props[f"{fieldname}.table"] = Property(
                float("nan"), "table", table.get("ref"), note=table.get("note"),
                given=f"{len(Tv)} points")
        else:  # constant
            raw = table.get("sigma")
            zero = False
            if isinstance(raw, str):
                try:
                    zero = parse(raw, "conductivity", field=f"{fieldname}.sigma") == 0.0
                except UnitError as err:
                    raise ctx.fail(f"{fieldname}.sigma", raw, _kind_help("conductivity")) from err
            # a zero (insulating) phase is a modelling statement and needs no reference
            p = _quantity(raw, "conductivity", ctx, f"{fieldname}.sigma",
                          require_ref=require_ref and not zero, check=_nonneg, allowed=">= 0")
            props[f"{fieldname}.sigma"] = p
            law = _laws.Constant(p.value, T_range=T_range)
    except MaterialError:
        raise
    except InputError as err:
        raise ctx.fail(fieldname, dict(table), str(err)) from err
    return law, props


def from_law_table(table: Mapping[str, Any], *, source: str = "<inline>"
                   ) -> _laws.ConductivityLaw:
    """Build a law from a design file's inline table of quantity strings.

    Parameters
    ----------
    table : mapping
        E.g. ``{"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "T_ref": "25 degC",
        "Ea": "0.35 eV"}``; records with ``ref`` are accepted too.
    source : str
        File name for error messages.

    Returns
    -------
    ConductivityLaw

    Raises
    ------
    MaterialError
        Unknown law, missing parameter, bad unit; the message names the field and value.

    Examples
    --------
    >>> law = from_law_table({"law": "arrhenius", "sigma_ref": "1e-4 S/cm",
    ...                       "T_ref": "25 degC", "Ea": "0.35 eV"})
    >>> round(float(law.sigma(298.15)), 12)
    0.01
    """
    law, _ = parse_law(table, Context(file=source), "law", require_ref=False)
    return law


# --------------------------------------------------------------------------- material


@dataclass(frozen=True, slots=True)
class Window:
    """Electrochemical stability window vs Li/Li+.

    Attributes
    ----------
    reduction, oxidation : float or None
        Intrinsic (computed, thermodynamic) limits [V vs Li/Li+].
    practical_reduction, practical_oxidation : float or None
        Practical (kinetic, measured) limits [V vs Li/Li+].
    behaviour_vs_li : str
        ``thermo_stable`` | ``kinetically_passivated`` | ``non_passivating`` | ``unknown``.
    """

    reduction: float | None = None
    oxidation: float | None = None
    practical_reduction: float | None = None
    practical_oxidation: float | None = None
    behaviour_vs_li: Behaviour = "unknown"

    @property
    def intrinsic(self) -> tuple[float | None, float | None]:
        """(reduction, oxidation) [V]."""
        return (self.reduction, self.oxidation)

    @property
    def practical(self) -> tuple[float | None, float | None]:
        """Practical (reduction, oxidation) [V], falling back to the intrinsic limits."""
        red = self.practical_reduction if self.practical_reduction is not None else self.reduction
        ox = self.practical_oxidation if self.practical_oxidation is not None else self.oxidation
        return (red, ox)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form with units in the keys."""
        return {
            "reduction_V": self.reduction,
            "oxidation_V": self.oxidation,
            "practical_reduction_V": self.practical_reduction,
            "practical_oxidation_V": self.practical_oxidation,
            "behaviour_vs_li": self.behaviour_vs_li,
        }


@dataclass(frozen=True, slots=True)
class ElectrodeProps:
    """Electrode properties.

    Attributes
    ----------
    potential_min, potential_max : float
        Operating potential range [V vs Li/Li+].
    mean_potential : float
        Mean discharge potential [V vs Li/Li+].
    specific_capacity : float
        Practical specific capacity of the active material [C/kg] (1 mAh/g = 3600 C/kg).
    """

    potential_min: float
    potential_max: float
    mean_potential: float
    specific_capacity: float

    @property
    def specific_capacity_mAh_per_g(self) -> float:
        """Specific capacity [mAh/g]."""
        return self.specific_capacity / 3600.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form with units in the keys."""
        return {
            "potential_min_V": self.potential_min,
            "potential_max_V": self.potential_max,
            "mean_potential_V": self.mean_potential,
            "specific_capacity_mAh_per_g": self.specific_capacity_mAh_per_g,
        }


@dataclass(frozen=True, slots=True)
class Material:
    """A validated material with SI attributes and the reference behind every number.

    Attributes
    ----------
    name : str
        Canonical name.
    kind : str
        ``ceramic`` | ``polymer`` | ``filler`` | ``electrode`` | ``salt`` | ``collector``.
    aliases : tuple of str
        Other names it is found under (case-insensitive).
    description : str
        One line.
    formula : str or None
        Chemical formula of the formula unit.
    elements : dict
        Element mass fractions [-] from ``formula`` (empty without one).
    law : ConductivityLaw or None
        Li-ion conductivity law (``None`` for electrodes, salts, collectors).
    properties : dict
        Field name -> :class:`Property` (SI value and provenance).
    window : Window
        Stability window and behaviour vs Li.
    electrode : ElectrodeProps or None
        Electrode properties (electrodes only).
    notes : tuple of str
        Caveats (e.g. residual solvent).
    see_also : tuple of str
        Background references for the material class (keys), cited with the material.
    source : str
        File the material was read from.
    """

    name: str
    kind: MaterialKind
    aliases: tuple[str, ...] = ()
    description: str = ""
    formula: str | None = None
    elements: Mapping[str, float] = field(default_factory=dict)
    law: _laws.ConductivityLaw | None = None
    properties: Mapping[str, Property] = field(default_factory=dict)
    window: Window = field(default_factory=Window)
    electrode: ElectrodeProps | None = None
    notes: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    source: str = "<inline>"

    # ---- conductivity
    def sigma(self, T: ArrayLike) -> FloatArray:
        """Li-ion conductivity at ``T`` [K] -> [S/m].

        Raises
        ------
        MaterialError
            The material has no conductivity law (electrodes, salts, collectors).
        """
        if self.law is None:
            raise MaterialError(
                f"material {self.name!r} ({self.kind}) has no conductivity law; allowed: "
                "ceramics, polymers and fillers"
            )
        return self.law.sigma(T)

    def _value(self, key: str) -> float | None:
        p = self.properties.get(key)
        return None if p is None else p.value

    @property
    def density(self) -> float | None:
        """Mass density [kg/m^3]."""
        return self._value("density")

    @property
    def sigma25(self) -> float | None:
        """Default conductivity at 25 degC [S/m] (from the law)."""
        return None if self.law is None else float(self.law.sigma(298.15))

    @property
    def sigma25_range(self) -> tuple[float, float] | None:
        """Literature span of the conductivity at 25 degC [S/m], where one is stored."""
        p = self.properties.get("sigma25")
        if p is not None and p.range is not None:
            return p.range
        p = self.properties.get("conductivity.sigma_ref")
        if (p is not None and p.range is not None and p.T is not None
                and abs(p.T - 298.15) < 1e-9):
            return p.range
        return None

    @property
    def rho_plus(self) -> float | None:
        """Bruce-Vincent current fraction [-] (1 for single-ion conductors)."""
        return self._value("rho_plus")

    @property
    def rho_plus_range(self) -> tuple[float, float] | None:
        """Literature span of ``rho_plus`` [-]."""
        p = self.properties.get("rho_plus")
        return None if p is None else p.range

    @property
    def D_salt(self) -> float | None:
        """Salt diffusivity [m^2/s] (binary-salt polymers)."""
        return self._value("D_salt")

    @property
    def c_salt(self) -> float | None:
        """Salt concentration [mol/m^3] (binary-salt polymers)."""
        return self._value("c_salt")

    @property
    def youngs_modulus(self) -> float | None:
        """Young's modulus [Pa]."""
        return self._value("youngs_modulus")

    @property
    def shear_modulus(self) -> float | None:
        """Shear modulus [Pa]."""
        return self._value("shear_modulus")

    @property
    def bulk_modulus(self) -> float | None:
        """Bulk modulus [Pa]."""
        return self._value("bulk_modulus")

    @property
    def poisson_ratio(self) -> float | None:
        """Poisson ratio [-]."""
        return self._value("poisson_ratio")

    @property
    def T_m(self) -> float | None:
        """Melting temperature [K]."""
        return self._value("T_m")

    @property
    def T_g(self) -> float | None:
        """Glass transition temperature [K]."""
        return self._value("T_g")

    @property
    def price_per_kg(self) -> float | None:
        """Indicative price [USD/kg]."""
        return self._value("price")

    @property
    def references(self) -> tuple[str, ...]:
        """Sorted keys (or ``doi:`` literals) of every reference behind this material."""
        keys = {p.ref for p in self.properties.values() if p.ref}
        return tuple(sorted(keys | set(self.see_also)))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form with SI units in the keys, plus per-property provenance."""
        rng = self.sigma25_range
        return {
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "description": self.description,
            "formula": self.formula,
            "elements_mass_fraction": dict(self.elements),
            "density_kg_per_m3": self.density,
            "sigma25_S_per_m": self.sigma25,
            "sigma25_range_S_per_m": list(rng) if rng else None,
            "law": self.law.to_dict() if self.law is not None else None,
            "rho_plus": self.rho_plus,
            "D_salt_m2_per_s": self.D_salt,
            "c_salt_mol_per_m3": self.c_salt,
            "window": self.window.to_dict(),
            "youngs_modulus_Pa": self.youngs_modulus,
            "shear_modulus_Pa": self.shear_modulus,
            "bulk_modulus_Pa": self.bulk_modulus,
            "poisson_ratio": self.poisson_ratio,
            "T_m_K": self.T_m,
            "T_g_K": self.T_g,
            "price_USD_per_kg": self.price_per_kg,
            "electrode": self.electrode.to_dict() if self.electrode else None,
            "notes": list(self.notes),
            "see_also": list(self.see_also),
            "references": list(self.references),
            "properties": {k: p.to_dict() for k, p in self.properties.items()},
            "source": self.source,
        }


# --------------------------------------------------------------------------- parsing

_SIMPLE_FIELDS: dict[str, tuple[Kind, Callable[[float], bool], str]] = {
    "density": ("density", _pos, "a density > 0"),
    "rho_plus": ("dimensionless", lambda v: 0.0 <= v <= 1.0, "a current fraction in [0, 1]"),
    "D_salt": ("diffusivity", _pos, "a diffusivity > 0"),
    "c_salt": ("concentration", _pos, "a concentration > 0"),
    "T_m": ("temperature", _pos, "a temperature above 0 K"),
    "T_g": ("temperature", _pos, "a temperature above 0 K"),
    "price": ("price_per_mass", _pos, "a price > 0 such as '50 USD/kg'"),
    "sigma25": ("conductivity", _nonneg, "a conductivity >= 0"),
    "youngs_modulus": ("pressure", _pos, "a modulus > 0"),
    "shear_modulus": ("pressure", _pos, "a modulus > 0"),
    "bulk_modulus": ("pressure", _pos, "a modulus > 0"),
    "poisson_ratio": ("dimensionless", lambda v: -1.0 < v < 0.5, "a Poisson ratio in (-1, 0.5)"),
}
_TEXT_FIELDS = {"kind", "aliases", "description", "formula", "notes", "conductivity", "window",
                "electrode", "see_also"}
_WINDOW_FIELDS = ("reduction", "oxidation", "practical_reduction", "practical_oxidation")
_ELECTRODE_FIELDS: dict[str, tuple[Kind, str]] = {
    "potential_min": ("potential", "a potential vs Li/Li+"),
    "potential_max": ("potential", "a potential vs Li/Li+"),
    "mean_potential": ("potential", "a potential vs Li/Li+"),
    "specific_capacity": ("specific_capacity", "a specific capacity > 0 such as '170 mAh/g'"),
}


def _derive_moduli(props: dict[str, Property], ctx: Context) -> None:
    """Fill the missing isotropic moduli from any two of E, nu, G, K (PHYSICS 6)."""
    E, nu, G, K = (props.get(k) for k in
                   ("youngs_modulus", "poisson_ratio", "shear_modulus", "bulk_modulus"))
    given = [k for k, v in (("youngs_modulus", E), ("poisson_ratio", nu),
                            ("shear_modulus", G), ("bulk_modulus", K)) if v is not None]
    if len(given) < 2:
        return
    e = E.value if E else None
    n = nu.value if nu else None
    g = G.value if G else None
    k = K.value if K else None
    src = tuple(given[:2])
    if e is not None and n is not None:
        g = e / (2 * (1 + n)) if g is None else g
        k = e / (3 * (1 - 2 * n)) if k is None else k
    elif g is not None and k is not None:
        e = 9 * k * g / (3 * k + g)
        n = (3 * k - 2 * g) / (2 * (3 * k + g))
    elif e is not None and g is not None:
        n = e / (2 * g) - 1
        k = e / (3 * (1 - 2 * n))
    elif e is not None and k is not None:
        n = (3 * k - e) / (6 * k)
        g = e / (2 * (1 + n))
    elif n is not None and g is not None:
        e = 2 * g * (1 + n)
        k = e / (3 * (1 - 2 * n))
    elif n is not None and k is not None:
        e = 3 * k * (1 - 2 * n)
        g = e / (2 * (1 + n))
    values = {"youngs_modulus": e, "poisson_ratio": n, "shear_modulus": g, "bulk_modulus": k}
    if not (n is not None and -1.0 < n < 0.5):
        raise ctx.fail("poisson_ratio", n, "a Poisson ratio in (-1, 0.5) (derived from "
                       f"{' and '.join(src)})")
    for key, val in values.items():
        if key not in props:
            kind = "dimensionless" if key == "poisson_ratio" else "pressure"
            if key != "poisson_ratio" and not _pos(val):  # type: ignore[arg-type]
                raise ctx.fail(key, val, f"a modulus > 0 (derived from {' and '.join(src)})")
            props[key] = Property(value=float(val), kind=kind, ref=None,  # type: ignore[arg-type]
                                  given="derived", derived_from=src)


def material_from_table(
    name: str, table: Any, *, file: str = "<inline>", bib_keys: frozenset[str] | None = None,
    allow_doi_literal: bool = False,
) -> Material:
    """Validate one material table (as read from TOML) and convert it to a :class:`Material`.

    Parameters
    ----------
    name : str
        Material name (the TOML table key).
    table : mapping
        Its fields (see the module docstring).
    file : str
        File name for messages.
    bib_keys : frozenset of str, optional
        Known reference keys; ``None`` skips the check.
    allow_doi_literal : bool
        Accept ``ref = "doi:10..."`` (user files).

    Returns
    -------
    Material

    Raises
    ------
    MaterialError
        Anything invalid; the message names file, material, field, value and what is allowed.
    """
    ctx = Context(file=file, material=name, bib_keys=bib_keys,
                  allow_doi_literal=allow_doi_literal)
    if not isinstance(table, Mapping):
        raise ctx.fail(name, table, "a table of material fields")
    unknown = set(table) - set(_SIMPLE_FIELDS) - _TEXT_FIELDS
    if unknown:
        key = sorted(unknown)[0]
        raise ctx.fail(key, table[key],
                       f"known fields only: {sorted(set(_SIMPLE_FIELDS) | _TEXT_FIELDS)}")
    kind = table.get("kind")
    if kind not in MATERIAL_KINDS:
        raise ctx.fail("kind", kind, f"one of {list(MATERIAL_KINDS)}")
    aliases = table.get("aliases", [])
    if not (isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases)):
        raise ctx.fail("aliases", aliases, "a list of names")
    notes = table.get("notes", [])
    if isinstance(notes, str):
        notes = [notes]
    if not (isinstance(notes, list) and all(isinstance(a, str) for a in notes)):
        raise ctx.fail("notes", notes, "a string or a list of strings")
    see_also = table.get("see_also", [])
    if not (isinstance(see_also, list) and all(isinstance(a, str) for a in see_also)):
        raise ctx.fail("see_also", see_also, "a list of reference keys")
    for i, key in enumerate(see_also):
        _check_ref(key, ctx, f"see_also[{i}]")
    description = table.get("description", "")
    if not isinstance(description, str):
        raise ctx.fail("description", description, "a string")
    formula = table.get("formula")
    elements: dict[str, float] = {}
    if formula is not None:
        if not isinstance(formula, str):
            raise ctx.fail("formula", formula, "a chemical formula string")
        try:
            elements = mass_fractions(formula)
        except InputError as err:
            raise ctx.fail("formula", formula, f"a chemical formula ({err})") from err

    props: dict[str, Property] = {}
    for key, (qkind, check, allowed) in _SIMPLE_FIELDS.items():
        if key in table:
            props[key] = parse_record(table[key], qkind, ctx, key, check=check, allowed=allowed)
    _derive_moduli(props, ctx)

    law = None
    if "conductivity" in table:
        law, law_props = parse_law(table["conductivity"], ctx, "conductivity", require_ref=True)
        props.update(law_props)
    elif kind in ("ceramic", "polymer", "filler"):
        raise ctx.fail("conductivity", None, f"a conductivity law table for a {kind}")
    if "sigma25" in props and law is not None:
        p = props["sigma25"]
        s25 = float(law.sigma(298.15))
        if p.range is not None and not (p.range[0] * (1 - 1e-9) <= s25 <= p.range[1] * (1 + 1e-9)):
            raise ctx.fail("conductivity", f"{s25:.4g} S/m at 25 degC",
                           f"a law whose 25 degC value lies in the sigma25 range {p.given} "
                           f"[{p.range[0]:.3g}, {p.range[1]:.3g}] S/m")

    window = Window()
    if "window" in table:
        w = table["window"]
        if not isinstance(w, Mapping):
            raise ctx.fail("window", w, "a table {reduction, oxidation, ...}")
        bad = set(w) - set(_WINDOW_FIELDS) - {"behaviour_vs_li"}
        if bad:
            key = sorted(bad)[0]
            raise ctx.fail(f"window.{key}", w[key],
                           f"one of {[*_WINDOW_FIELDS, 'behaviour_vs_li']}")
        vals: dict[str, float | None] = {}
        for key in _WINDOW_FIELDS:
            if key in w:
                p = parse_record(w[key], "potential", ctx, f"window.{key}",
                                 check=lambda v: -1.0 <= v <= 10.0,
                                 allowed="a potential in [-1, 10] V vs Li/Li+")
                props[f"window.{key}"] = p
                vals[key] = p.value
            else:
                vals[key] = None
        for lo, hi in (("reduction", "oxidation"), ("practical_reduction", "practical_oxidation")):
            if vals[lo] is not None and vals[hi] is not None and not vals[lo] < vals[hi]:
                raise ctx.fail(f"window.{lo}", f"{vals[lo]} V > {hi} {vals[hi]} V",
                               f"{lo} < {hi} (a window [low, high] with low < high)")
        behaviour = w.get("behaviour_vs_li", "unknown")
        if behaviour not in BEHAVIOURS:
            raise ctx.fail("window.behaviour_vs_li", behaviour, f"one of {list(BEHAVIOURS)}")
        window = Window(behaviour_vs_li=behaviour, **vals)  # type: ignore[arg-type]

    electrode = None
    if "electrode" in table:
        e = table["electrode"]
        if not isinstance(e, Mapping):
            raise ctx.fail("electrode", e, "a table of electrode properties")
        ev: dict[str, float] = {}
        for key, (qkind, allowed) in _ELECTRODE_FIELDS.items():
            if key not in e:
                raise ctx.fail(f"electrode.{key}", None, allowed)
            p = parse_record(e[key], qkind, ctx, f"electrode.{key}", check=_nonneg,
                             allowed=allowed)
            props[f"electrode.{key}"] = p
            ev[key] = p.value
        bad = set(e) - set(_ELECTRODE_FIELDS)
        if bad:
            key = sorted(bad)[0]
            raise ctx.fail(f"electrode.{key}", e[key], f"one of {list(_ELECTRODE_FIELDS)}")
        if not ev["potential_min"] <= ev["mean_potential"] <= ev["potential_max"]:
            raise ctx.fail("electrode.mean_potential", ev["mean_potential"],
                           "potential_min <= mean_potential <= potential_max")
        electrode = ElectrodeProps(**ev)
    elif kind == "electrode":
        raise ctx.fail("electrode", None, "an [<name>.electrode] table for an electrode")

    return Material(
        name=name, kind=kind, aliases=tuple(aliases), description=description, formula=formula,
        elements=MappingProxyType(elements), law=law, properties=MappingProxyType(props),
        window=window, electrode=electrode,
        notes=tuple(notes), see_also=tuple(see_also), source=file,
    )


__all__ = [
    "BEHAVIOURS",
    "MATERIAL_KINDS",
    "Behaviour",
    "Context",
    "ElectrodeProps",
    "Material",
    "MaterialKind",
    "Property",
    "Record",
    "Window",
    "from_law_table",
    "material_from_table",
    "parse_law",
    "parse_record",
]
