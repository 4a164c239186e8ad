import math

import pytest

from hylyte import units
from hylyte.errors import UnitError


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("1e-4 S/cm", "conductivity", 1e-2),  # 1 S/cm = 100 S/m (PHYSICS.md §0)
        ("60 degC", "temperature", 333.15),
        ("60 °C", "temperature", 333.15),
        ("333 K", "temperature", 333.0),
        ("3 nm", "length", 3e-9),
        ("150 um", "length", 150e-6),
        ("150 µm", "length", 150e-6),
        ("0.35 eV", "energy", 0.35),
        ("2.5 GPa", "pressure", 2.5e9),
        ("3 mAh/cm^2", "areal_capacity", 3e-3 * 3600 / 1e-4),  # mAh -> C, cm^2 -> m^2
        ("100 ohm cm^2", "asr", 100 * 1e-4),  # 1 ohm cm^2 = 1e-4 ohm m^2
        ("100 Ω cm^2", "asr", 1e-2),
        ("5.1 g/cm^3", "density", 5100.0),
        ("0.1 mA/cm^2", "current_density", 1.0),  # 1 mA/cm^2 = 10 A/m^2
    ],
)
def test_parse_to_si(text, kind, expected):
    assert math.isclose(units.parse(text, kind), expected, rel_tol=1e-12)


def test_energy_conversions_round_trip():
    # PHYSICS.md checklist 1: 0.35 eV -> 33.76987 kJ/mol
    assert math.isclose(units.ev_to_kj_per_mol(0.35), 33.76987, rel_tol=1e-6)
    assert math.isclose(units.parse("35 kJ/mol", "energy"), 35 / 96.48533212, rel_tol=1e-12)
    assert math.isclose(units.kj_per_mol_to_ev(units.ev_to_kj_per_mol(0.42)), 0.42, rel_tol=1e-14)
    assert math.isclose(units.parse("8.368 kcal/mol", "energy"), 35.011712 / 96.48533212,
                        rel_tol=1e-9)


@pytest.mark.parametrize(
    ("value", "kind", "unit"),
    [(0.01, "conductivity", "S/cm"), (333.15, "temperature", "degC"), (1.5e-4, "length", "um"),
     (1e-2, "asr", "ohm*cm^2"), (0.35, "energy", "kJ/mol")],
)
def test_convert_round_trip(value, kind, unit):
    out = units.convert(value, kind, unit)
    assert math.isclose(units.parse(f"{out!r} {unit}", kind), value, rel_tol=1e-12)


def test_fractions():
    assert units.parse_fraction("15 vol%") == units.Fraction(0.15, "vol")
    assert units.parse_fraction("40 wt%") == units.Fraction(0.40, "wt")
    assert units.parse_fraction("40wt %") == units.Fraction(0.40, "wt")
    with pytest.raises(UnitError, match="outside 0-100"):
        units.parse_fraction("120 wt%")
    with pytest.raises(UnitError, match="cannot parse"):
        units.parse_fraction("fifteen vol%")


@pytest.mark.parametrize(
    ("text", "kind", "match"),
    [
        ("60 degC", "conductivity", "wrong dimension"),
        ("3 nm", "temperature", "wrong dimension"),
        ("-300 degC", "temperature", "below absolute zero"),
        ("-5 K", "temperature", "below absolute zero"),
        ("1e-4", "conductivity", "no unit"),
        ("1e-4 S/blorp", "conductivity", "cannot parse"),
        ("", "length", "empty"),
        ("0.35 m", "energy", "wrong dimension"),
    ],
)
def test_bad_quantities_name_field_and_allowed(text, kind, match):
    with pytest.raises(UnitError, match=match) as info:
        units.parse(text, kind, field="matrix.sigma")
    assert "matrix.sigma" in str(info.value)


def test_bare_number_rejected_with_unit_hint():
    with pytest.raises(UnitError, match="S/cm"):
        units.parse(1e-4, "conductivity", field="sigma")
