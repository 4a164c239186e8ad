"""Audit verdicts against bounds computed here from the closed forms (PHYSICS 3.1-3.3, 4.3,
5.3), never from the code under test. Synthetic "reported" values sit on both sides of each
bound."""

from __future__ import annotations

import math

import pytest

from hylyte.audit.audit import audit_record, material_sigma_range
from hylyte.audit.records import Record
from hylyte.design import design_from_dict
from hylyte.errors import HylyteError

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


# --------------------------------------------------------------------------- mechanism ceiling
# Ceilings of an unstated interphase used by the audit (docs/audit.md): sigma_i <= 1e-2 S/cm
# (a liquid electrolyte), t <= 10 nm.
SIGMA_I_MAX = 1.0  # S/m
T_I_MAX = 10e-9  # m


def poisson_interphase(phi, g):
    """PHYSICS 3.6 Poisson-overlap interphase fraction, g = shell/particle volume ratio."""
    return (1 - phi) * (1 - math.exp(-phi * g / (1 - phi)))


def hs_upper_multi(S, F):
    """PHYSICS 3.2, any number of phases: Lambda(sigma_max), d = 3."""
    s = max(S)
    return 1.0 / sum(f / (x + 2 * s) for x, f in zip(S, F, strict=True)) - 2 * s


def sphere_ceiling(sp, sc, phi, r, t=T_I_MAX, si=SIGMA_I_MAX):
    """(HS, Wiener) over polymer, interphase shell (Poisson fraction) and filler."""
    phi_i = poisson_interphase(phi, (1 + t / r) ** 3 - 1)
    S, F = [sp, si, sc], [1 - phi - phi_i, phi_i, phi]
    return hs_upper_multi(S, F), sum(x * f for x, f in zip(S, F, strict=True))


def test_mechanism_ceiling_for_isotropic_spheres_both_sides():
    d = _composite()
    hs_c, w_c = sphere_ceiling(SIGMA_P, LLZTO_HI, 0.2, 200e-9)
    above = _audit(_rec(d, "conductivity", 1.02 * hs_c))
    assert above.verdict == "implausible"
    assert above.factor == pytest.approx(1.02, rel=1e-6)
    assert above.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(hs_c / 100, rel=1e-9)
    assert above.numbers["mechanism_ceiling_wiener_S_per_cm"] == pytest.approx(w_c / 100,
                                                                               rel=1e-9)
    assert above.likely_causes
    # isotropic as stated: between the HS and the Wiener ceiling only anisotropy could help
    assert hs_c < 1.02 * hs_c < w_c
    assert "aligned or layered" in above.explanation
    below = _audit(_rec(d, "conductivity", 0.98 * hs_c))
    assert below.verdict == "requires a mechanism"
    assert any("mechanism ceiling" in a and "Poisson" in a for a in below.assumptions)


def test_above_the_two_phase_bound_is_a_mechanism_not_implausible():
    # the old verdict: above HS+ of (polymer, LLZTO) at the top of their ranges; an interphase
    # is a third phase, so the value needs a mechanism and is sized
    d = _composite()
    hs2 = hs_upper(SIGMA_P, LLZTO_HI, 0.2)
    v = _audit(_rec(d, "conductivity", 1.2 * hs2))
    assert v.verdict == "requires a mechanism"
    assert v.numbers["hs_upper_S_per_cm"] == pytest.approx(hs2 / 100, rel=1e-9)
    # alignment alone: the two-phase Wiener parallel bound of the stated components
    w2 = 0.2 * LLZTO_HI + 0.8 * SIGMA_P
    assert 1.2 * hs2 < w2
    assert v.mechanisms["alignment_alone_suffices"] is True
    above_w2 = _audit(_rec(d, "conductivity", 1.1 * w2))
    assert above_w2.verdict == "requires a mechanism"
    assert above_w2.mechanisms["alignment_alone_suffices"] is False


def test_interphase_is_sized_by_the_root_solve():
    d = _composite()
    value = 1.2 * mg(SIGMA_P, LLZTO_HI, 0.2)
    v = _audit(_rec(d, "conductivity", value))
    assert v.verdict == "requires a mechanism"
    m = v.mechanisms
    sig, t = m["interphase_sheet_conductance_S"], m["interphase_thickness_m"]
    assert m["interphase_conductivity_S_per_cm"] == pytest.approx(sig / t / 100, rel=1e-12)
    assert m["interphase_within_ceiling"] == (sig <= SIGMA_I_MAX * T_I_MAX)
    # the sized interphase, put into the design, reproduces the value
    d2 = _composite(interphase={"thickness": f"{t * 1e9} nm",
                                "conductivity": f"{sig / t} S/m"})
    inside = _audit(_rec(d2, "conductivity", value))
    assert inside.numbers["estimate_high_S_per_cm"] == pytest.approx(value / 100, rel=1e-6)


def test_ceilings_are_keyword_overridable():
    from hylyte.audit.audit import MechanismCeilings

    d = _composite()
    # an interphase no better than the polymer: the ceiling falls to the two-phase HS+
    c = MechanismCeilings(interphase_sigma_S_per_m=SIGMA_P)
    hs2 = hs_upper(SIGMA_P, LLZTO_HI, 0.2)
    rec = _rec(d, "conductivity", 1.02 * hs2)
    v = audit_record(rec, undocumented_factor=1.0, ceilings=c)
    assert v.verdict == "implausible"
    assert v.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(hs2 / 100, rel=1e-9)
    assert _audit(rec).verdict == "requires a mechanism"
    # a thinner shell ceiling: Poisson fraction with t = 2 nm
    c2 = MechanismCeilings(interphase_thickness_m=2e-9)
    hs_c, _ = sphere_ceiling(SIGMA_P, LLZTO_HI, 0.2, 200e-9, t=2e-9)
    v2 = audit_record(_rec(d, "conductivity", 1.02 * hs_c), undocumented_factor=1.0,
                      ceilings=c2)
    assert v2.verdict == "implausible"
    assert v2.factor == pytest.approx(1.02, rel=1e-6)
    with pytest.raises(HylyteError, match="interphase_thickness_m"):
        MechanismCeilings(interphase_thickness_m=-1.0)


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
def test_wiener_mechanism_ceiling_for_aligned_fibres_both_sides():
    d = _composite(shape="fibre", size="200 nm", length="20 um", orientation="aligned")
    # cylinders: shell ratio (1 + t/r)^2 - 1, r = 100 nm
    phi_i = poisson_interphase(0.2, (1 + T_I_MAX / 100e-9) ** 2 - 1)
    w = (0.8 - phi_i) * SIGMA_P + phi_i * SIGMA_I_MAX + 0.2 * LLZTO_HI
    above = _audit(_rec(d, "conductivity", 1.02 * w))
    assert above.verdict == "implausible"
    assert above.factor == pytest.approx(1.02, rel=1e-6)
    assert above.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(w / 100, rel=1e-9)
    assert above.numbers["interphase_fraction_at_ceiling"] == pytest.approx(phi_i, rel=1e-9)
    assert "Wiener" in above.explanation
    assert _audit(_rec(d, "conductivity", 0.98 * w)).verdict == "requires a mechanism"


def test_a_liquid_like_value_is_implausible_far_above_the_ceiling():
    d = _composite()
    hs_c, w_c = sphere_ceiling(SIGMA_P, LLZTO_HI, 0.2, 200e-9)
    v = _audit(_rec(d, "conductivity", 10.0))  # 0.1 S/cm
    assert v.verdict == "implausible"
    assert v.factor == pytest.approx(10.0 / hs_c, rel=1e-6)
    assert w_c < 10.0  # not even alignment of every phase reaches it


def test_amorphous_branch_is_part_of_the_ceiling_for_semicrystalline_peo():
    from hylyte.materials import get_material

    # PEO-LiTFSI at 25 degC: the library's amorphous VTF branch, A (basis only) widened x3:
    # sigma = 3 A exp(-B/(T - T0)) (PHYSICS 1.2 / 10)
    m = get_material("PEO-LiTFSI")
    A = m.properties["conductivity.high.A"].value
    B = m.properties["conductivity.high.B"].value
    T0 = m.properties["conductivity.high.T0"].value
    sp_am = 3 * A * math.exp(-B / (T25 - T0))
    d = design_from_dict({"design": {"name": "p", "kind": "composite"},
                          "matrix": {"material": "PEO-LiTFSI"},
                          "fillers": [{"material": "SiO2", "fraction": "10 vol%",
                                       "shape": "sphere", "size": "1 um"}]})
    phi_i = poisson_interphase(0.1, (1 + T_I_MAX / 0.5e-6) ** 3 - 1)
    hs_c = hs_upper_multi([sp_am, SIGMA_I_MAX, 0.0], [0.9 - phi_i, phi_i, 0.1])
    v = audit_record(_rec(d, "conductivity", 1.03 * hs_c))
    assert v.verdict == "implausible"
    assert v.numbers["polymer_ceiling_S_per_cm"] == pytest.approx(sp_am / 100, rel=1e-6)
    assert v.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(hs_c / 100, rel=1e-6)
    assert audit_record(_rec(d, "conductivity", 0.97 * hs_c)).verdict == \
        "requires a mechanism"


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


def test_basis_only_library_values_are_widened_for_hard_limits_only():
    from hylyte.audit.audit import material_sigma_range, rho_plus_range
    from hylyte.materials import get_material

    pan = get_material("PAN-LiClO4")
    p = pan.properties["conductivity.sigma_ref"]
    assert p.ref is None
    assert p.basis
    lo, hi = p.range
    band = material_sigma_range(pan, T25, widen_undocumented=False)
    hard = material_sigma_range(pan, T25)
    assert (band.low, band.high) == pytest.approx((lo, hi), rel=1e-12)
    assert (hard.low, hard.high) == pytest.approx((lo / 3, 3 * hi), rel=1e-12)
    assert "widened" in hard.note
    assert "widened" not in band.note
    assert material_sigma_range(pan, T25, undocumented_factor=5).high == \
        pytest.approx(5 * hi, rel=1e-12)
    # rho+ without a literature ref is widened (capped at 1); with a ref it is not
    r = pan.properties["rho_plus"].range
    assert rho_plus_range(pan)[:2] == pytest.approx((r[0] / 3, min(3 * r[1], 1.0)))
    peo = get_material("PEO-LiTFSI")
    assert peo.properties["rho_plus"].ref
    assert rho_plus_range(peo)[:2] == pytest.approx(peo.properties["rho_plus"].range)


def test_a_value_admitted_only_by_the_widened_range_is_not_implausible():
    from hylyte.materials import get_material

    hi = get_material("PAN-LiClO4").properties["conductivity.sigma_ref"].range[1]  # S/m
    d = design_from_dict({"design": {"name": "p", "kind": "composite"},
                          "matrix": {"material": "PAN-LiClO4"},
                          "fillers": [{"material": "SiO2", "fraction": "10 vol%",
                                       "shape": "sphere", "size": "1 um"}]})
    phi_i = poisson_interphase(0.1, (1 + T_I_MAX / 0.5e-6) ** 3 - 1)

    def ceiling(sp):
        return hs_upper_multi([sp, SIGMA_I_MAX, 0.0], [0.9 - phi_i, phi_i, 0.1])

    c1, c3 = ceiling(hi), ceiling(3 * hi)
    value = math.sqrt(c1 * c3)
    rec = _rec(d, "conductivity", value)
    strict = audit_record(rec, undocumented_factor=1.0)
    assert strict.verdict == "implausible"
    assert strict.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(c1 / 100, rel=1e-6)
    v = audit_record(rec)  # default: basis-only values widened x/÷ 3
    assert v.verdict == "requires a mechanism"
    assert v.numbers["mechanism_ceiling_S_per_cm"] == pytest.approx(c3 / 100, rel=1e-6)
    assert any("widened" in a and "PAN-LiClO4" in a for a in v.assumptions)
    assert audit_record(_rec(d, "conductivity", 1.02 * c3)).verdict == "implausible"


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
    hs, _ = sphere_ceiling(SIGMA_P, LLZTO_HI, 0.2, 200e-9)  # the mechanism ceiling
    L = 50e-6
    low = _audit(_rec(d, "asr", 0.98 * L / hs, thickness=L))
    assert low.verdict == "implausible"
    assert low.factor == pytest.approx(1 / 0.98, rel=1e-6)
    assert _audit(_rec(d, "asr", 1.02 * L / hs, thickness=L)).verdict == \
        "requires a mechanism"
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
    # (library practical range 3.8 .. 4.0 V); a practical limit is method-dependent, so
    # exceeding it needs a mechanism and only more than 1 V above 4.0 V is implausible
    from hylyte.audit.audit import MechanismCeilings

    d = _peo_composite()
    mech = _audit(_rec(d, "window", 4.5, low=0.0))
    assert mech.verdict == "requires a mechanism"
    assert mech.mechanisms["above_practical_limit_V"] == pytest.approx(0.5, abs=1e-9)
    assert "CEI" in mech.explanation
    assert _audit(_rec(d, "window", 4.99, low=0.0)).verdict == "requires a mechanism"
    hi = _audit(_rec(d, "window", 5.01, low=0.0))
    assert hi.verdict == "implausible"
    assert hi.factor == pytest.approx(1.01, abs=1e-9)
    assert hi.likely_causes
    narrow = audit_record(_rec(d, "window", 4.5, low=0.0), undocumented_factor=1.0,
                          ceilings=MechanismCeilings(window_margin_V=0.25))
    assert narrow.verdict == "implausible"
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


def test_stack_asr_with_a_composite_layer_uses_its_mechanism_ceiling():
    comp = {"composite": {"matrix": _polymer(),
                          "fillers": [{"material": "LLZTO", "fraction": "20 vol%",
                                       "shape": "sphere", "size": "400 nm"}]},
            "thickness": "50 um"}
    s = _stack([comp, {"material": "LLZTO", "thickness": "100 um"}])
    hs_c, _ = sphere_ceiling(SIGMA_P, LLZTO_HI, 0.2, 200e-9)
    limit = 50e-6 / hs_c + 100e-6 / LLZTO_HI
    low = _audit(_rec(s, "asr", 0.98 * limit))
    assert low.verdict == "implausible"
    assert low.numbers["asr_series_limit_ohm_cm2"] == pytest.approx(limit * 1e4, rel=1e-9)
    assert _audit(_rec(s, "asr", 1.02 * limit)).verdict != "implausible"
