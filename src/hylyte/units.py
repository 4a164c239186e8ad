"""Quantity strings in, SI floats out: the only place hylyte converts units.

Users write quantities as strings with units (``"1e-4 S/cm"``, ``"60 degC"``, ``"150 um"``,
``"15 vol%"``, ``"0.35 eV"``, ``"3 mAh/cm^2"``, ``"100 ohm cm^2"``). :func:`parse` turns such a
string into a float in the internal unit of its *kind*, checking the dimension with pint.

Internal units are SI (S/m, K, m, Pa, ohm m^2, A/m^2, C/m^2, kg/m^3, V, s) with one
exception: activation energies are per particle in **eV**, because the Boltzmann constant in
eV/K is exact and every law in the literature is written that way.

Volume and mass fractions are not converted into each other here (that needs densities); they
come back as :class:`Fraction` with their basis.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Literal

from hylyte.errors import UnitError

# CODATA 2018 (exact where defined)
F_CONST = 96485.33212  # Faraday constant [C/mol]
R_GAS = 8.314462618  # molar gas constant [J/(mol K)]
K_B = 1.380649e-23  # Boltzmann constant [J/K]
K_B_EV = 8.617333262e-5  # Boltzmann constant [eV/K]
N_A = 6.02214076e23  # Avogadro constant [1/mol]
E_CHARGE = 1.602176634e-19  # elementary charge [C]
EV_PER_KJ_MOL = 1.0 / 96.48533212  # 1 kJ/mol per particle, in eV
T_ZERO_C = 273.15  # 0 degC [K]

#: kind -> (pint unit of the internal value, human description of what is allowed)
KINDS: dict[str, tuple[str, str]] = {
    "conductivity": ("S/m", "a conductivity such as '1e-4 S/cm' or '0.01 S/m'"),
    "temperature": ("K", "a temperature such as '60 degC' or '333 K'"),
    "length": ("m", "a length such as '3 nm', '150 um' or '0.1 mm'"),
    "energy": ("eV", "an energy such as '0.35 eV' or '35 kJ/mol'"),
    "pressure": ("Pa", "a pressure or modulus such as '2.5 GPa' or '5 MPa'"),
    "areal_capacity": ("C/m^2", "an areal capacity such as '3 mAh/cm^2'"),
    "asr": ("ohm*m^2", "an area-specific resistance such as '100 ohm cm^2'"),
    "resistance": ("ohm", "a resistance such as '120 ohm' or '1.5 kohm'"),
    "area": ("m^2", "an area such as '1 cm^2'"),
    "density": ("kg/m^3", "a density such as '5.1 g/cm^3'"),
    "potential": ("V", "a potential such as '4.3 V'"),
    "current_density": ("A/m^2", "a current density such as '0.1 mA/cm^2'"),
    "current": ("A", "a current such as '10 uA'"),
    "time": ("s", "a time such as '10 h' or '30 s'"),
    "diffusivity": ("m^2/s", "a diffusivity such as '1e-8 cm^2/s'"),
    "concentration": ("mol/m^3", "a concentration such as '1 mol/L'"),
    "specific_capacity": ("C/kg", "a specific capacity such as '200 mAh/g'"),
    "sheet_conductance": ("S", "a sheet conductance such as '1e-10 S'"),
    "capacitance": ("F", "a capacitance such as '1 uF'"),
    "frequency": ("Hz", "a frequency such as '1 MHz'"),
    "scan_rate": ("V/s", "a scan rate such as '0.1 mV/s'"),
    "price_per_mass": ("1/kg", "a price per mass such as '50 USD/kg' (USD taken as 1)"),
    "dimensionless": ("", "a plain number"),
}

Kind = Literal[
    "conductivity", "temperature", "length", "energy", "pressure", "areal_capacity", "asr",
    "resistance", "area", "density", "potential", "current_density", "current", "time",
    "diffusivity", "concentration", "specific_capacity", "sheet_conductance", "capacitance",
    "frequency", "scan_rate", "price_per_mass", "dimensionless",
]

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_FRACTION_RE = re.compile(
    rf"^\s*({_NUMBER})\s*(vol\s*%|v/v\s*%|wt\s*%|w/w\s*%|mass\s*%|%)\s*$", re.IGNORECASE
)
_ALIASES = (
    (re.compile(r"°\s*C\b"), "degC"),
    (re.compile(r"℃"), "degC"),
    (re.compile(r"°\s*F\b"), "degF"),
    (re.compile(r"\bΩ"), "ohm"),
    (re.compile(r"Ω"), "ohm"),
    (re.compile(r"µ|μ"), "u"),
    (re.compile(r"\bcelsius\b", re.IGNORECASE), "degC"),
    (re.compile(r"\bUSD\b|\$"), ""),
    (re.compile(r"\bEUR\b|€"), ""),
)


@functools.cache
def registry():
    """The pint unit registry used by hylyte (created on first use, then cached)."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("mAh = milliampere * hour")
    ureg.define("Ah = ampere * hour")
    return ureg


@dataclass(frozen=True, slots=True)
class Fraction:
    """A volume or mass fraction parsed from ``"15 vol%"`` or ``"40 wt%"``.

    Attributes
    ----------
    value : float
        The fraction as a number from 0 to 1 [-].
    basis : {"vol", "wt"}
        Volume or mass basis.
    """

    value: float
    basis: Literal["vol", "wt"]


def _clean(text: str) -> str:
    for pattern, repl in _ALIASES:
        text = pattern.sub(repl, text)
    return text.strip()


def parse(value: str | float | int, kind: Kind, *, field: str = "value") -> float:
    """Parse a quantity string into a float in the internal unit of ``kind``.

    Parameters
    ----------
    value
        A string such as ``"1e-4 S/cm"``; a bare number is accepted only for
        ``kind="dimensionless"`` (a number without a unit is ambiguous).
    kind
        What the quantity is; see :data:`KINDS` for the internal unit of each kind.
    field
        Name of the field being parsed, used in error messages.

    Returns
    -------
    float
        The value in the internal unit (SI; eV for energies).

    Raises
    ------
    UnitError
        The string does not parse, has the wrong dimension, or (temperatures) is below 0 K.

    Examples
    --------
    >>> parse("1e-4 S/cm", "conductivity")
    0.01
    >>> round(parse("60 degC", "temperature"), 2)
    333.15
    """
    if kind not in KINDS:
        raise UnitError(f"unknown quantity kind {kind!r}; allowed: {sorted(KINDS)}")
    allowed = KINDS[kind][1]
    if isinstance(value, bool):
        raise UnitError(f"{field}: expected {allowed}, got {value!r}")
    if isinstance(value, int | float):
        if kind == "dimensionless":
            out = float(value)
            if not math.isfinite(out):
                raise UnitError(f"{field}: expected a finite number, got {value!r}")
            return out
        raise UnitError(f"{field}: a bare number {value!r} has no unit; expected {allowed}")
    if not isinstance(value, str):
        raise UnitError(f"{field}: expected {allowed} as a string, got {value!r}")
    return _parse_text(value, kind, field)


@functools.lru_cache(maxsize=8192)
def _parse_text(value: str, kind: str, field: str) -> float:
    """Cached core of :func:`parse` for strings (pure: same text, same number)."""
    target, allowed = KINDS[kind]
    text = _clean(value)
    if not text:
        raise UnitError(f"{field}: empty quantity; expected {allowed}")
    if kind == "energy":
        return _parse_energy(text, field=field, original=value)
    ureg = registry()
    try:
        q = ureg.Quantity(text)
    except Exception as err:  # pint raises many kinds; translate them all at the edge
        raise UnitError(f"{field}: cannot parse {value!r}; expected {allowed}") from err
    if isinstance(q, int | float):
        q = ureg.Quantity(q, "")
    if kind != "dimensionless" and q.dimensionless:
        raise UnitError(f"{field}: {value!r} has no unit; expected {allowed}")
    try:
        out = float(q.to(target).magnitude)
    except Exception as err:
        raise UnitError(
            f"{field}: {value!r} has the wrong dimension ({q.dimensionality}); expected {allowed}"
        ) from err
    if not math.isfinite(out):
        raise UnitError(f"{field}: {value!r} is not a finite quantity")
    if kind == "temperature" and out < 0.0:
        raise UnitError(f"{field}: {value!r} is below absolute zero ({out:.2f} K)")
    return out


def _parse_energy(text: str, *, field: str, original: str) -> float:
    """Energies per particle [eV] from eV, meV, J or kJ/mol, kcal/mol, J/mol."""
    ureg = registry()
    try:
        q = ureg.Quantity(text)
    except Exception as err:
        raise UnitError(
            f"{field}: cannot parse {original!r}; expected {KINDS['energy'][1]}"
        ) from err
    if isinstance(q, int | float) or q.dimensionless:
        raise UnitError(f"{field}: {original!r} has no unit; expected {KINDS['energy'][1]}")
    try:
        if q.check("[energy]"):
            out = float(q.to("eV").magnitude)
        elif q.check("[energy]/[substance]"):
            out = float(q.to("kJ/mol").magnitude) * EV_PER_KJ_MOL
        else:
            raise UnitError(
                f"{field}: {original!r} has the wrong dimension ({q.dimensionality}); "
                f"expected {KINDS['energy'][1]}"
            )
    except UnitError:
        raise
    except Exception as err:
        raise UnitError(f"{field}: cannot convert {original!r} to eV") from err
    if not math.isfinite(out):
        raise UnitError(f"{field}: {original!r} is not a finite quantity")
    return out


def parse_fraction(value: str | float, *, field: str = "fraction") -> Fraction:
    """Parse ``"15 vol%"``, ``"40 wt%"`` (or ``"0.15 vol"`` not accepted) into a Fraction.

    A plain ``"%"`` or a bare number in [0, 1] is taken as a volume fraction.

    Raises
    ------
    UnitError
        Not a fraction string, or outside [0, 100] %.
    """
    if isinstance(value, bool):
        raise UnitError(
            f"{field}: expected a fraction such as '15 vol%' or '40 wt%', got {value!r}")
    if isinstance(value, int | float):
        v = float(value)
        if not (math.isfinite(v) and 0.0 <= v <= 1.0):
            raise UnitError(f"{field}: a bare fraction must be in [0, 1], got {value!r}")
        return Fraction(v, "vol")
    if not isinstance(value, str):
        raise UnitError(f"{field}: expected a fraction such as '15 vol%', got {value!r}")
    m = _FRACTION_RE.match(value)
    if not m:
        raise UnitError(
            f"{field}: cannot parse {value!r}; expected a fraction such as '15 vol%' or '40 wt%'"
        )
    number = float(m.group(1))
    unit = m.group(2).lower().replace(" ", "")
    basis: Literal["vol", "wt"] = "wt" if unit.startswith(("wt", "w/w", "mass")) else "vol"
    if not 0.0 <= number <= 100.0:
        raise UnitError(f"{field}: {value!r} is outside 0-100 %")
    return Fraction(number / 100.0, basis)


def convert(value: float, kind: Kind, unit: str) -> float:
    """Convert an internal value of ``kind`` to ``unit`` (for reports and CLI output).

    Examples
    --------
    >>> convert(0.01, "conductivity", "S/cm")
    0.0001
    >>> round(convert(333.15, "temperature", "degC"), 6)
    60.0
    """
    if kind not in KINDS:
        raise UnitError(f"unknown quantity kind {kind!r}; allowed: {sorted(KINDS)}")
    target = KINDS[kind][0]
    if kind == "energy":
        if unit == "eV":
            return float(value)
        if unit in ("kJ/mol", "kJ mol^-1"):
            return float(value) / EV_PER_KJ_MOL
    ureg = registry()
    try:
        q = ureg.Quantity(float(value), target).to(_clean(unit))
    except Exception as err:
        raise UnitError(f"cannot express a {kind} in {unit!r}") from err
    return float(q.magnitude)


def ev_to_kj_per_mol(Ea_eV: float) -> float:
    """Activation energy per particle [eV] to molar [kJ/mol]."""
    return Ea_eV / EV_PER_KJ_MOL


def kj_per_mol_to_ev(Ea_kJ_mol: float) -> float:
    """Molar activation energy [kJ/mol] to per particle [eV]."""
    return Ea_kJ_mol * EV_PER_KJ_MOL


def celsius(T_C: float) -> float:
    """Temperature in degC to K (for code and tests that know the unit)."""
    return T_C + T_ZERO_C


def to_celsius(T_K: float):
    """Temperature in K to degC."""
    return T_K - T_ZERO_C


__all__ = [
    "EV_PER_KJ_MOL",
    "E_CHARGE",
    "F_CONST",
    "KINDS",
    "K_B",
    "K_B_EV",
    "N_A",
    "R_GAS",
    "T_ZERO_C",
    "Fraction",
    "Kind",
    "celsius",
    "convert",
    "ev_to_kj_per_mol",
    "kj_per_mol_to_ev",
    "parse",
    "parse_fraction",
    "registry",
    "to_celsius",
]
