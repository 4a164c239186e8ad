"""Stability window rules: PHYSICS.md 5.3, checklist item 27 (windows from Zhu, He, Mo 2015,
doi:10.1021/acsami.5b07517)."""

from __future__ import annotations

import pytest

from hylyte.errors import InputError
from hylyte.physics.window import WindowLayer, stack_window


def peo(name):
    return WindowLayer(name, "PEO", "polymer", 0.0, 3.9, "kinetically_passivated")


LLZO = WindowLayer("LLZO", "LLZO", "oxide", 0.05, 2.91, "kinetically_passivated")
LATP = WindowLayer("LATP", "LATP", "phosphate", 2.17, 4.21, "non_passivating")
LPSCL = WindowLayer("LPSCl", "Li6PS5Cl", "sulfide", 1.7, 2.0, "kinetically_passivated")


def test_item27_only_cathode_side_peo_flagged():
    r = stack_window([peo("PEO-a"), LLZO, peo("PEO-c")], cathode_upper_V=4.3)
    assert len(r.flags) == 1
    assert "PEO-c" in r.flags[0]
    assert r.flags[0].startswith("warning")
    assert r.ok
    assert r.window_V == (0.0, 3.9)
    assert r.limiting_oxidation_layer == "PEO-c"


def test_item27_li_facing_latp_is_error():
    r = stack_window([LATP, peo("PEO-c")], cathode_upper_V=4.0)
    assert not r.ok
    assert any(f.startswith("error") and "LATP" in f for f in r.flags)
    assert r.limiting_reduction_layer == "LATP"


def test_peo_latp_nmc42_passes_with_kinetic_note():
    # PHYSICS.md 5.3: Li | PEO | LATP | NMC (4.2 V) passes both electrode checks
    r = stack_window([peo("PEO"), LATP], cathode_upper_V=4.2)
    assert r.ok
    assert r.flags == ()
    anode = next(v for v in r.verdicts if v.position == "anode")
    assert anode.level == "note"
    assert anode.status == "kinetically_passivated"


def test_sulfide_against_uncoated_oxide_cathode():
    r = stack_window([LLZO, LPSCL], cathode_upper_V=4.2, cathode_family="NMC")
    assert any("sulfide" in f for f in r.flags)
    r2 = stack_window([LLZO, LPSCL], cathode_upper_V=2.0, cathode_family="NMC",
                      cathode_coated=True)
    assert r2.flags == ()


def test_bad_layer():
    with pytest.raises(InputError, match="reduction_V"):
        stack_window([WindowLayer("x", "X", "oxide", 3.0, 2.0)], cathode_upper_V=4.0)
