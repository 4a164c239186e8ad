"""Audit verdicts against bounds computed here from the closed forms (PHYSICS 3.1-3.3, 4.3,
5.3), never from the code under test. Synthetic "reported" values sit on both sides of each
bound."""

from __future__ import annotations

import math

import pytest

from hylyte.audit.audit import audit_record, material_sigma_range
from hylyte.audit.records import Record
from hylyte.design import design_from_dict

K_B = 8.617333262e-5  # eV/K
T25 = 298.15
T60 = 333.15
# PHYSICS 10: LLZTO sigma(25 degC) range 1e-4 .. 1e-3 S/cm, Ea range 0.30 .. 0.45 eV (library)
LLZTO_LO, LLZTO_HI = 1e-2, 1e-1  # S/m
LLZTO_DEF = 5e-2  # S/m
LATP_HI = 1e-1  # S/m (PHYSICS 10: LATP 1e-4 .. 1e-3 S/cm)
SIGMA_P = 1e-3  # S/m: inline polymer 1e-5 S/cm at 25 degC


def _polymer(sigma="1e-5 S/cm", rho_plus=0.2):
    return {"law": {"law": "arrhenius", "sigma_ref": sigma, "T_ref": "25 degC",
                    "Ea": "0.5 eV"}, "rho_plus": rho_plus, "density": "1.2 g/cm^3"}


def _composite(fraction="20 vol%", shape="sphere", size="400 nm", **filler):
    f = {"material": "LLZTO", "fraction": fraction, "shape": shape, "size": size, **filler}
    return design_from_dict({"design": {"name": "c", "kind": "composite"},
                             "matrix": _polymer(), "fillers": [f]})


def _rec(design, quantity, value, T=T25, low=None, thickness=None):
    return Record(id="r", quantity=quantity, value=value, value_low=low, T_K=T,
                  thickness_m=thickness, design=design, design_name="d")


def _audit(rec):
    # factor 1: the inline polymer is taken exactly as stated, so the references below are
    # exact closed forms
    return audit_record(rec, undocumented_factor=1.0)


def hs_upper(s1, s2, phi2):
    """PHYSICS 3.2, two phases with s1 <= s2, d = 3."""
    phi1 = 1.0 - phi2
    return s2 + phi1 / (1.0 / (s1 - s2) + phi2 / (3.0 * s2))


def mg(sm, sf, phi):
    """PHYSICS 3.3 Maxwell-Garnett spheres."""
    b = (sf - sm) / (sf + 2 * sm)
    return sm * (1 + 2 * phi * b) / (1 - phi * b)


# --------------------------------------------------------------------------- ranges
def test_llzto_range_at_25_and_60_degC_from_the_literature_span():
    from hylyte.materials import get_material

    r = material_sigma_range(get_material("LLZTO"), T25)
    assert r.low == pytest.approx(LLZTO_LO, rel=1e-9)
    assert r.high == pytest.approx(LLZTO_HI, rel=1e-9)
    assert r.documented
    # at 60 degC the Ea range (0.30 .. 0.45 eV) also moves the ends (form-B Arrhenius);
    # above T_ref the larger Ea gives the larger conductivity
    r60 = material_sigma_range(get_material("LLZTO"), T60)
    hi = LLZTO_HI * math.exp(-(0.45 / K_B) * (1 / T60 - 1 / T25))
    lo = LLZTO_LO * math.exp(-(0.30 / K_B) * (1 / T60 - 1 / T25))
    assert r60.high == pytest.approx(hi, rel=1e-9)
    assert r60.low == pytest.approx(lo, rel=1e-9)


# --------------------------------------------------------------------------- HS+ (isotropic)
def test_hashin_shtrikman_upper_bound_both_sides():
    d = _composite()
    hs = hs_upper(SIGMA_P, LLZTO_HI, 0.2)
    above = _audit(_rec(d, "conductivity", 1.02 * hs))
    assert above.verdict == "implausible"
    assert above.factor == pytest.approx(1.02, rel=1e-6)
    assert above.numbers["hs_upper_S_per_cm"] == pytest.approx(hs / 100, rel=1e-9)
    assert above.likely_causes
    below = _audit(_rec(d, "conductivity", 0.98 * hs))
    assert below.verdict == "requires a mechanism"
    # the implied interphase or matrix change is sized
    assert ("interphase_sheet_conductance_S" in below.mechanisms
            or "polymer_conductivity_factor_needed" in below.mechanisms)
    assert any("isotropic" in a for a in below.assumptions)


def test_consistent_band_is_maxwell_garnett_over_the_filler_range():
    d = _composite()
    lo, hi = mg(SIGMA_P, LLZTO_LO, 0.2), mg(SIGMA_P, LLZTO_HI, 0.2)
    inside = _audit(_rec(d, "conductivity", math.sqrt(lo * hi)))
    assert inside.verdict == "consistent"
    assert inside.numbers["estimate_low_S_per_cm"] == pytest.approx(lo / 100, rel=1e-9)
    assert inside.numbers["estimate_high_S_per_cm"] == pytest.approx(hi / 100, rel=1e-9)
    assert _audit(_rec(d, "conductivity", 1.01 * hi)).verdict == "requires a mechanism"


def test_below_the_band_the_implied_interface_asr_reproduces_the_value():
    d = _composite()
    value = 0.9 * mg(SIGMA_P, LLZTO_LO, 0.2)
    v = _audit(_rec(d, "conductivity", value))
    assert v.verdict == "requires a mechanism"
    R = v.mechanisms["interface_asr_ohm_cm2"] * 1e-4  # ohm m^2
    # PHYSICS 3.7: sigma_c,eq = sigma_c / (1 + 2 R sigma_c / d), then MG
    sc_eq = LLZTO_LO / (1 + 2 * R * LLZTO_LO / 400e-9)
    assert mg(SIGMA_P, sc_eq, 0.2) == pytest.approx(value, rel=1e-6)


# --------------------------------------------------------------------------- Wiener
def test_wiener_bound_for_aligned_fibres_both_sides():
    d = _composite(shape="fibre", size="200 nm", length="20 um", orientation="aligned")
    w = 0.2 * LLZTO_HI + 0.8 * SIGMA_P
    above = _audit(_rec(d, "conductivity", 1.02 * w))
    assert above.verdict == "implausible"
    assert above.factor == pytest.approx(1.02, rel=1e-6)
    assert above.numbers["wiener_upper_S_per_cm"] == pytest.approx(w / 100, rel=1e-9)
    assert "Wiener" in above.explanation
    assert _audit(_rec(d, "conductivity", 0.98 * w)).verdict != "implausible"


def test_value_above_wiener_is_named_as_such_for_isotropic_structures():
    d = _composite()
    w = 0.2 * LLZTO_HI + 0.8 * SIGMA_P
    v = _audit(_rec(d, "conductivity", 1.5 * w))
    assert v.verdict == "implausible"
    assert "no microstructure" in v.explanation
    assert v.factor == pytest.approx(1.5, rel=1e-6)


# --------------------------------------------------------------------------- ranges, not defaults
def test_never_implausible_on_defaults_alone_when_the_ranges_admit_it():
    d = _composite()
    hs_default = hs_upper(SIGMA_P, LLZTO_DEF, 0.2)
    hs_range = hs_upper(SIGMA_P, LLZTO_HI, 0.2)
    value = math.sqrt(hs_default * hs_range)  # above the default bound, below the range bound
    assert hs_default < value < hs_range
    v = _audit(_rec(d, "conductivity", value))
    assert v.verdict != "implausible"
    assert "defaults alone would condemn" in v.explanation
    assert v.numbers["bound_with_defaults_S_per_cm"] == pytest.approx(hs_default / 100,
                                                                      rel=1e-9)


def test_stack_t_plus_between_default_and_range_bound_is_not_implausible():
    s = _stack()
    # with LLZTO at its default 0.05 S/m: R_Omega = 2e-3 + 2e-3, R_ss = 1e-2 + 2e-3
    t_default = 4e-3 / 12e-3
    v = _audit(_rec(s, "t_plus", 0.5))
    assert t_default < 0.5 < 0.6
    assert v.verdict == "consistent"


# --------------------------------------------------------------------------- stacks
def _stack(layers=None):
    poly = {"composite": {"matrix": _polymer("1e-4 S/cm")}, "thickness": "10 um"}
    layers = layers or [poly, {"material": "LLZTO", "thickness": "100 um"}, poly]
    return design_from_dict({"design": {"name": "s", "kind": "stack"}, "layers": layers})


def test_stack_t_plus_bound_of_physics_4_3_both_sides():
    s = _stack()
    # most favourable: rho+ = 0.2 stated, LLZTO at the low end 0.01 S/m
    L_p, s_p, L_c, s_c = 10e-6, 1e-2, 100e-6, LLZTO_LO
    R_o = 2 * L_p / s_p + L_c / s_c
    R_ss = 2 * L_p / (0.2 * s_p) + L_c / s_c
    t_max = R_o / R_ss
    assert t_max == pytest.approx(0.6, rel=1e-12)
    hi = _audit(_rec(s, "t_plus", 1.03 * t_max))
    assert hi.verdict == "implausible"
    assert hi.factor == pytest.approx(1.03, rel=1e-6)
    assert hi.numbers["t_plus_bound"] == pytest.approx(t_max, rel=1e-9)
    # the retention-ratio reading of the number: (R_o + R)/(R_ss + R) = value
    R = hi.mechanisms["li_only_interface_asr_for_retention_ratio_ohm_cm2"] * 1e-4
    assert (R_o + R) / (R_ss + R) == pytest.approx(1.03 * t_max, rel=1e-9)
    assert _audit(_rec(s, "t_plus", 0.97 * t_max)).verdict == "consistent"
    assert _audit(_rec(s, "t_plus", 1.2)).verdict == "implausible"


def test_stack_asr_series_limit_both_sides():
    s = _stack([{"material": "LLZTO", "thickness": "100 um"},
                {"material": "LATP", "thickness": "50 um"}])
    limit = 100e-6 / LLZTO_HI + 50e-6 / LATP_HI  # ohm m^2, PHYSICS 5.1 with sigma_max
    low = _audit(_rec(s, "asr", 0.98 * limit))
    assert low.verdict == "implausible"
    assert low.factor == pytest.approx(1 / 0.98, rel=1e-6)
    assert low.numbers["asr_series_limit_ohm_cm2"] == pytest.approx(limit * 1e4, rel=1e-9)
    assert _audit(_rec(s, "asr", 1.02 * limit)).verdict == "consistent"
    too_high = 100e-6 / LLZTO_LO + 50e-6 / 1e-2
    v = _audit(_rec(s, "asr", 2 * too_high))
    assert v.verdict == "requires a mechanism"
    assert v.mechanisms["extra_interface_asr_ohm_cm2"] == pytest.approx(too_high * 1e4,
                                                                         rel=1e-9)


def test_composite_asr_needs_thickness_and_uses_the_bound():
    d = _composite()
    hs = hs_upper(SIGMA_P, LLZTO_HI, 0.2)
    L = 50e-6
    assert _audit(_rec(d, "asr", 0.98 * L / hs, thickness=L)).verdict == "implausible"
    assert _audit(_rec(d, "asr", 1.02 * L / hs, thickness=L)).verdict != "implausible"
    err = _audit(_rec(d, "asr", L / hs))
    assert err.verdict == "error"
    assert "thickness" in err.explanation


# --------------------------------------------------------------------------- windows
def _peo_composite():
    return design_from_dict({"design": {"name": "p", "kind": "composite"},
                             "matrix": {"material": "PEO-LiTFSI"},
                             "fillers": [{"material": "LLZTO", "fraction": "10 vol%",
                                          "size": "1 um"}]})


def test_window_rule_against_the_polymer_practical_limit():
    # PHYSICS 5.3: PEO oxidation onset about 3.8-4.0 V
    d = _peo_composite()
    assert _audit(_rec(d, "window", 4.5, low=0.0)).verdict == "implausible"
    assert _audit(_rec(d, "window", 4.5, low=0.0)).factor == pytest.approx(0.5, abs=1e-9)
    assert _audit(_rec(d, "window", 3.7, low=0.0)).verdict == "consistent"
    # above the default (3.9 V) but inside the range (up to 4.0 V): not implausible
    assert _audit(_rec(d, "window", 3.95, low=0.0)).verdict == "consistent"


def test_window_li_facing_latp_and_intrinsic_oxide_limit():
    latp = _stack([{"material": "LATP", "thickness": "100 um"}])
    v = _audit(_rec(latp, "window", 4.0, low=0.0))
    assert v.verdict == "implausible"  # PHYSICS 11 test 27: Li-facing LATP is an error
    llzo = _stack([{"material": "LLZTO", "thickness": "100 um"}])
    w = _audit(_rec(llzo, "window", 5.0, low=0.0))
    assert w.verdict == "requires a mechanism"  # above the intrinsic 2.91 V (kinetic)
    assert w.mechanisms["kinetic_overpotential_V"] == pytest.approx(5.0 - 2.91, abs=1e-9)


# --------------------------------------------------------------------------- composite t+
def test_composite_t_plus_limits():
    d = design_from_dict({"design": {"name": "p", "kind": "composite"},
                          "matrix": {"material": "PEO-LiTFSI"},
                          "fillers": [{"material": "SiO2", "fraction": "10 vol%",
                                       "size": "50 nm"}]})
    # passive filler: t+ = rho+ exactly (PHYSICS 4.2); library rho+ range 0.1 .. 0.3
    ok = _audit(_rec(d, "t_plus", 0.25))
    assert ok.verdict == "consistent"
    assert ok.numbers["t_plus_low"] == pytest.approx(0.1, rel=1e-9)
    assert ok.numbers["t_plus_high"] == pytest.approx(0.3, rel=1e-9)
    mech = _audit(_rec(d, "t_plus", 0.6))
    assert mech.verdict == "requires a mechanism"
    assert mech.mechanisms["matrix_rho_plus_needed"] == pytest.approx(0.6, rel=1e-6)
    assert _audit(_rec(d, "t_plus", 1.1)).verdict == "implausible"
