"""Conductivity laws against closed forms and the numbers of PHYSICS.md section 11."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hylyte.errors import ExtrapolationWarning, InputError, MaterialError, ValidityWarning
from hylyte.materials.laws import (
    LAWS,
    VTF,
    Arrhenius,
    Constant,
    SemicrystallinePEO,
    Tabulated,
    law_from_dict,
    wlf_to_vtf,
)
from hylyte.materials.schema import from_law_table
from hylyte.units import K_B_EV

T25, T60 = 298.15, 333.15


def _numeric_eapp(law, T: float, h: float = 1e-4) -> float:
    """Second method: central difference of ln sigma against 1/T."""
    x0 = 1.0 / T
    xp, xm = x0 * (1 + h), x0 * (1 - h)
    lp = math.log(float(law.sigma(1.0 / xp)))
    lm = math.log(float(law.sigma(1.0 / xm)))
    return -K_B_EV * (lp - lm) / (xp - xm)


# ---------------------------------------------------------------- checklist items 1 and 2


def test_checklist_1_slope_conversion_through_a_tabulated_law():
    # PHYSICS 11 item 1: a log10(sigma) vs 1000/T slope of -1.5 corresponds to 0.2976321 eV.
    T = np.array([280.0, 350.0])
    sigma = 10.0 ** (2.0 - 1.5 * 1000.0 / T)
    law = Tabulated(T, sigma)
    e = law.apparent_activation_energy([290.0, 300.0, 340.0])
    np.testing.assert_allclose(e, 0.2976321, rtol=1e-6)


def test_checklist_2_form_b_and_form_a_ratios():
    # PHYSICS 11 item 2: sigma(60 degC)/sigma(25 degC) at Ea = 0.35 eV.
    b = Arrhenius(sigma_ref=0.01, Ea=0.35)
    a = Arrhenius(sigma_ref=0.01, Ea=0.35, form="sigmaT")
    assert float(b.sigma(T60) / b.sigma(T25)) == pytest.approx(4.183555, rel=1e-6)
    assert float(a.sigma(T60) / a.sigma(T25)) == pytest.approx(3.744040, rel=1e-6)


def test_arrhenius_is_anchored_at_T_ref():
    law = Arrhenius(sigma_ref=3e-2, Ea=0.4, T_ref=310.0)
    assert float(law.sigma(310.0)) == pytest.approx(3e-2, rel=1e-14)
    lawA = Arrhenius(sigma_ref=3e-2, Ea=0.4, T_ref=310.0, form="sigmaT")
    assert float(lawA.sigma(310.0)) == pytest.approx(3e-2, rel=1e-14)


def test_forms_agree_at_T_ref_when_A_T_equals_A_T_ref():
    # PHYSICS 1.1 test (i)
    A, Ea = 5.0e3, 0.35
    b = Arrhenius.from_prefactor(A, Ea, form="sigma")
    a = Arrhenius.from_prefactor(A * T25, Ea, form="sigmaT")
    assert float(a.sigma(T25)) == pytest.approx(float(b.sigma(T25)), rel=1e-13)
    # and the plain closed forms
    assert float(b.sigma(350.0)) == pytest.approx(A * math.exp(-Ea / (K_B_EV * 350.0)), rel=1e-13)
    assert float(a.sigma(350.0)) == pytest.approx(
        A * T25 / 350.0 * math.exp(-Ea / (K_B_EV * 350.0)), rel=1e-13)
    assert b.prefactor == pytest.approx(A, rel=1e-13)
    assert a.prefactor == pytest.approx(A * T25, rel=1e-13)


@pytest.mark.parametrize("T", [250.0, 298.15, 400.0])
def test_apparent_energy_of_both_forms(T):
    # form B: E_app = Ea; form A: E_app = Ea - k_B T (PHYSICS 1.1); second method: finite diff.
    b = Arrhenius(sigma_ref=1e-2, Ea=0.35)
    a = Arrhenius(sigma_ref=1e-2, Ea=0.35, form="sigmaT")
    assert float(b.apparent_activation_energy(T)) == pytest.approx(0.35, rel=1e-14)
    assert float(a.apparent_activation_energy(T)) == pytest.approx(0.35 - K_B_EV * T, rel=1e-12)
    assert _numeric_eapp(a, T) == pytest.approx(0.35 - K_B_EV * T, rel=1e-6)


# ---------------------------------------------------------------- VTF (item 5) and WLF (item 4)


def test_checklist_5_vtf_value_and_apparent_energy():
    law = VTF(A=40.0, B=1100.0, T0=180.0)
    assert float(law.sigma(T60)) == pytest.approx(3.039062e-2, rel=1e-6)
    assert float(law.apparent_activation_energy(T60)) == pytest.approx(0.448550, rel=1e-6)
    assert _numeric_eapp(law, T60) == pytest.approx(0.448550, rel=1e-6)


@pytest.mark.parametrize("T", [180.0, 150.0, [300.0, 170.0]])
def test_vtf_raises_at_or_below_T0(T):
    law = VTF(A=40.0, B=1100.0, T0=180.0)
    with pytest.raises(InputError, match="T0"):
        law.sigma(T)
    with pytest.raises(InputError, match="T0"):
        law.apparent_activation_energy(T)


def test_vtf_apparent_energy_tends_to_kB_B():
    # PHYSICS 1.2 test (i): E_app -> k_B B as T -> infinity (no prefactor form)
    law = VTF(A=40.0, B=1100.0, T0=180.0)
    e = law.apparent_activation_energy([1e5, 1e7])
    assert abs(e[1] / (K_B_EV * 1100.0) - 1.0) < 1e-4
    assert abs(e[1] - K_B_EV * 1100.0) < abs(e[0] - K_B_EV * 1100.0)
    assert law.E_vtf == pytest.approx(K_B_EV * 1100.0, rel=1e-15)


def test_vtf_with_prefactor_closed_form_and_energy():
    law = VTF(A=400.0, B=900.0, T0=200.0, prefactor=True)
    T = 350.0
    assert float(law.sigma(T)) == pytest.approx(400.0 / math.sqrt(T) * math.exp(-900.0 / 150.0),
                                                rel=1e-13)
    closed = K_B_EV * (900.0 * T**2 / 150.0**2 - T / 2.0)
    assert float(law.apparent_activation_energy(T)) == pytest.approx(closed, rel=1e-12)
    assert _numeric_eapp(law, T) == pytest.approx(closed, rel=1e-6)


def test_checklist_4_wlf_to_vtf():
    C1, C2, Tg = 17.44, 51.6, 220.0
    v = wlf_to_vtf(C1, C2, Tg, sigma_r=2.5e-7)
    assert pytest.approx(168.4, rel=1e-12) == v.T0
    assert pytest.approx(2072.106, rel=1e-6) == v.B
    assert not v.prefactor
    T = np.linspace(250.0, 400.0, 31)
    # WLF written out independently: log10 a_T = -C1 (T - Tg)/(C2 + T - Tg), sigma = sigma_r/a_T
    wlf = 2.5e-7 * 10.0 ** (C1 * (T - Tg) / (C2 + T - Tg))
    np.testing.assert_allclose(v.sigma(T), wlf, rtol=1e-12)


# ---------------------------------------------------------------- semicrystalline PEO (item 6)


def _peo() -> SemicrystallinePEO:
    low = Arrhenius(sigma_ref=3e-4, Ea=1.0)
    high = VTF(A=40.0, B=1100.0, T0=180.0)
    return SemicrystallinePEO(low=low, high=high, T_m=T60, delta_m=3.0)


def test_checklist_6_sqrt_identity_at_T_m():
    law = _peo()
    expected = math.sqrt(float(law.low.sigma(T60)) * float(law.high.sigma(T60)))
    assert float(law.sigma(T60)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("offset", [10.01, 11.0, 15.0, 30.0])
def test_checklist_6_branch_recovery_beyond_ten_widths(offset):
    # Beyond 10 widths the other branch weighs s <= 1/(1 + e^10) = 4.54e-5, so
    # |ln sigma - ln sigma_branch| <= 4.54e-5 |ln sigma_am - ln sigma_sc| (exact bound), which is
    # the PHYSICS 1.4 "1e-4 relative" whenever the branches differ by less than a factor e^2.2.
    law = _peo()
    bound_weight = 1.0 / (1.0 + math.exp(offset))
    for T, branch in ((law.T_m - offset * law.delta_m, law.low),
                      (law.T_m + offset * law.delta_m, law.high)):
        gap = abs(math.log(float(law.high.sigma(T)) / float(law.low.sigma(T))))
        err = abs(math.log(float(law.sigma(T)) / float(branch.sigma(T))))
        assert err <= bound_weight * gap * (1 + 1e-9) + 1e-12  # + round-off of exp/log
        if gap < 2.2:
            assert float(law.sigma(T)) == pytest.approx(float(branch.sigma(T)), rel=1e-4)


@pytest.mark.parametrize("T", [300.0, 325.0, 333.15, 340.0, 370.0])
def test_semicrystalline_apparent_energy_matches_finite_difference(T):
    law = _peo()
    assert float(law.apparent_activation_energy(T)) == pytest.approx(_numeric_eapp(law, T),
                                                                     rel=1e-5)


def test_semicrystalline_raises_below_T0_and_checks_branches():
    law = _peo()
    with pytest.raises(InputError, match="T0"):
        law.sigma(170.0)
    with pytest.raises(InputError, match="T_m"):
        SemicrystallinePEO(low=law.low, high=law.high, T_m=150.0, delta_m=3.0)
    with pytest.raises(InputError, match="low"):
        SemicrystallinePEO(low=law.high, high=law.high, T_m=330.0, delta_m=3.0)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="delta_m"):
        SemicrystallinePEO(low=law.low, high=law.high, T_m=330.0, delta_m=0.0)


# ---------------------------------------------------------------- tabulated and constant


def test_tabulated_reproduces_arrhenius_data_exactly():
    ref = Arrhenius(sigma_ref=1e-2, Ea=0.4)
    T = np.array([400.0, 280.0, 320.0, 360.0])  # unsorted on purpose
    law = Tabulated(T, ref.sigma(T))
    Tq = np.linspace(280.0, 400.0, 13)
    np.testing.assert_allclose(law.sigma(Tq), ref.sigma(Tq), rtol=1e-12)
    np.testing.assert_allclose(law.apparent_activation_energy(Tq), 0.4, rtol=1e-10)
    assert law.T_range == (280.0, 400.0)


def test_tabulated_refuses_to_extrapolate_silently():
    ref = Arrhenius(sigma_ref=1e-2, Ea=0.4)
    T = np.array([280.0, 320.0, 360.0])
    law = Tabulated(T, ref.sigma(T))
    with pytest.raises(InputError, match="outside the tabulated data"):
        law.sigma(400.0)
    ex = Tabulated(T, ref.sigma(T), extrapolate=True)
    with pytest.warns(ExtrapolationWarning):
        s = ex.sigma(400.0)
    assert float(s) == pytest.approx(float(ref.sigma(400.0)), rel=1e-12)


@pytest.mark.parametrize(
    ("T", "sigma"),
    [([300.0], [1.0]), ([300.0, 300.0], [1.0, 2.0]), ([300.0, 310.0], [1.0, 0.0]),
     ([300.0, 310.0], [1.0])],
)
def test_tabulated_rejects_bad_tables(T, sigma):
    with pytest.raises(InputError):
        Tabulated(T, sigma)


def test_constant_zero_for_passive_fillers():
    law = Constant(0.0)
    out = law.sigma(np.array([[250.0, 300.0], [350.0, 400.0]]))
    assert out.shape == (2, 2)
    assert np.all(out == 0.0)
    assert np.all(law.apparent_activation_energy([300.0]) == 0.0)
    with pytest.raises(InputError, match=r"constant\.sigma"):
        Constant(-1.0)


# ---------------------------------------------------------------- temperatures and validation


@pytest.mark.parametrize("law", [Arrhenius(1e-2, 0.3), VTF(40.0, 1100.0, 180.0), Constant(1.0),
                                 _peo()])
@pytest.mark.parametrize("T", [0.0, -5.0, float("nan"), [300.0, -12.5]])
def test_non_positive_temperatures_raise_and_name_the_value(law, T):
    with pytest.raises(InputError, match="temperature") as err:
        law.sigma(T)
    bad = T[1] if isinstance(T, list) else T
    assert repr(float(bad)) in str(err.value)


def test_laws_are_vectorised_and_keep_shape():
    T = np.full((3, 4), 320.0)
    for law in (Arrhenius(1e-2, 0.3), VTF(40.0, 1100.0, 180.0), _peo()):
        out = law.sigma(T)
        assert out.shape == (3, 4)
        assert np.all(out == out[0, 0])


def test_validity_range_warns():
    law = Arrhenius(1e-2, 0.3, T_range=(273.15, 373.15))
    law.sigma(300.0)  # inside: silent (warnings are errors in this suite)
    with pytest.warns(ValidityWarning):
        law.sigma(400.0)


@pytest.mark.parametrize(
    "kwargs",
    [{"sigma_ref": 0.0, "Ea": 0.3}, {"sigma_ref": 1e-2, "Ea": float("inf")},
     {"sigma_ref": 1e-2, "Ea": 0.3, "form": "sigmaT2"},
     {"sigma_ref": 1e-2, "Ea": 0.3, "T_ref": -1.0},
     {"sigma_ref": 1e-2, "Ea": 0.3, "T_range": (300.0, 200.0)}],
)
def test_arrhenius_rejects_bad_parameters(kwargs):
    with pytest.raises(InputError):
        Arrhenius(**kwargs)


def test_laws_are_immutable():
    law = Arrhenius(1e-2, 0.3)
    with pytest.raises(AttributeError):
        law.Ea = 0.5  # type: ignore[misc]
    tab = Tabulated([300.0, 400.0], [1.0, 2.0])
    with pytest.raises(AttributeError):
        tab.extrapolate = True  # type: ignore[misc]


# ---------------------------------------------------------------- serialisation


@pytest.mark.parametrize(
    "law",
    [Arrhenius(1e-2, 0.3), Arrhenius(1e-2, 0.3, T_ref=333.15, form="sigmaT"),
     VTF(40.0, 1100.0, 180.0, prefactor=True), _peo(), Tabulated([300.0, 350.0], [1e-3, 1e-2]),
     Constant(0.0)],
)
def test_to_dict_round_trip(law):
    d = law.to_dict()
    assert d["law"] in LAWS
    back = law_from_dict(d)
    assert back == law
    T = np.array([320.0, 340.0])
    np.testing.assert_array_equal(back.sigma(T), law.sigma(T))


def test_law_from_dict_rejects_unknown_kinds():
    with pytest.raises(InputError, match="allowed"):
        law_from_dict({"law": "percolation"})
    with pytest.raises(InputError):
        law_from_dict({"law": "vtf", "A": 1.0})


# ---------------------------------------------------------------- inline laws of design files


def test_inline_arrhenius_table_with_units():
    law = from_law_table({"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "T_ref": "25 degC",
                          "Ea": "0.35 eV"})
    assert float(law.sigma(T25)) == pytest.approx(1e-2, rel=1e-12)
    assert float(law.sigma(T60) / law.sigma(T25)) == pytest.approx(4.183555, rel=1e-6)


def test_inline_tables_of_every_kind():
    vtf = from_law_table({"law": "vtf", "A": "0.4 S/cm", "B": "1100 K", "T0": "-93.15 degC"})
    assert float(vtf.sigma(T60)) == pytest.approx(3.039062e-2, rel=1e-6)
    vtf_ev = from_law_table({"law": "vtf", "A": "40 S/m", "B": f"{K_B_EV * 1100.0!r} eV",
                             "T0": "180 K"})
    assert float(vtf_ev.sigma(T60)) == pytest.approx(3.039062e-2, rel=1e-6)
    kj = from_law_table({"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "Ea": "33.76987 kJ/mol"})
    # PHYSICS 11 item 1: 0.35 eV = 33.76987 kJ/mol
    assert kj.Ea == pytest.approx(0.35, rel=1e-6)  # type: ignore[attr-defined]
    pref = from_law_table({"law": "arrhenius", "A": "1e5 S K/cm", "Ea": "0.3 eV",
                           "form": "sigmaT"})
    assert float(pref.sigma(300.0)) == pytest.approx(
        1e7 / 300.0 * math.exp(-0.3 / (K_B_EV * 300.0)), rel=1e-12)
    peo = from_law_table({
        "law": "semicrystalline_peo", "T_m": "60 degC", "delta_m": "3 K",
        "low": {"sigma_ref": "3e-6 S/cm", "Ea": "1.0 eV"},
        "high": {"A": "40 S/m", "B": "1100 K", "T0": "180 K"},
    })
    T = np.array([280.0, 320.0, 333.15, 345.0, 380.0])
    np.testing.assert_allclose(peo.sigma(T), _peo().sigma(T), rtol=1e-12)
    tab = from_law_table({"law": "tabulated", "T": ["25 degC", "60 degC"],
                          "sigma": ["1e-5 S/cm", "1e-4 S/cm"]})
    assert float(tab.sigma(T60)) == pytest.approx(1e-2, rel=1e-12)
    zero = from_law_table({"law": "constant", "sigma": "0 S/m"})
    assert float(zero.sigma(300.0)) == 0.0


@pytest.mark.parametrize(
    ("table", "fragment"),
    [({"law": "arrhenius", "sigma_ref": "1e-4 S/cm"}, "Ea"),
     ({"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "Ea": "0.3 eV", "A": "1 S/m"}, "sigma_ref"),
     ({"law": "arrhenius", "sigma_ref": "1e-4 K", "Ea": "0.3 eV"}, "sigma_ref"),
     ({"law": "vtf", "A": "40 S/m", "B": "1100 degC", "T0": "180 K"}, "B"),
     ({"law": "magic"}, "law"),
     ({"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "Ea": "0.3 eV", "T_ref": "-300 degC"},
      "T_ref"),
     ({"law": "arrhenius", "sigma_ref": "1e-4 S/cm", "Ea": "0.3 eV", "colour": "red"}, "colour")],
)
def test_inline_tables_report_field_and_value(table, fragment):
    with pytest.raises(MaterialError) as err:
        from_law_table(table, source="design.toml")
    msg = str(err.value)
    assert "design.toml" in msg
    assert fragment in msg
