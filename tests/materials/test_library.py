"""The materials library: coverage, physical ranges, provenance, user files and error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hylyte.cli._common import to_jsonable
from hylyte.errors import MaterialError, UnknownMaterialError
from hylyte.materials import get_material, load_library
from hylyte.materials.laws import VTF, SemicrystallinePEO
from hylyte.materials.library import bibliography, parse_bibtex
from hylyte.materials.schema import material_from_table

T25, T60, T70 = 298.15, 333.15, 343.15
LIB = load_library()
ALL = list(LIB)

# Keys of PHYSICS.md section 12 that carry a DOI, plus the books (ISBN).
PHYSICS_KEYS = [
    "Murugan2007", "MaxwellGarnett1904", "HashinShtrikman1962", "Bruggeman1935", "Osborn1945",
    "McLachlan1990", "Nan1997", "MoriTanaka1973", "MonroeNewman2005", "BalsaraNewman2015",
    "BruceVincent1987", "Evans1987", "Sand1901", "Boukamp1995", "Schonleber2014", "Wan2015",
    "Brug1984", "HsuMansfeld2001", "Cooper2016", "Tjaden2018", "Zhu2015", "Zhu2016",
    "Richards2016", "Han2016", "Fulcher1925", "TammannHesse1926", "WLF1955", "Fenton1973",
    "Lascaud1994", "Cahn1965", "ZhengHu2018", "Ni2012", "Deng2016", "Sakuda2013", "Porz2017",
    "Han2019", "Benveniste1987", "Aono1990", "Inaguma1993", "Kamaya2011", "Deiseroth2008",
    "Liu2013", "Bates1992", "Chazalviel1990", "HashinShtrikman1963", "Milton2002",
    "Torquato2002", "Sihvola1999", "Newman2004",
]


# ---------------------------------------------------------------- bibliography


def test_bibliography_has_every_physics_reference_with_doi_or_isbn():
    bib = bibliography()
    for key in PHYSICS_KEYS:
        assert key in bib, key
    for key, entry in bib.items():
        assert entry.doi or entry.isbn, f"{key} has neither doi nor isbn"
        if entry.doi:
            assert entry.doi.startswith("10."), key


def test_bibliography_rejects_duplicate_keys():
    text = "@article{A1,\n doi = {10.1/x}\n}\n@article{A1,\n doi = {10.1/y}\n}\n"
    with pytest.raises(MaterialError, match="duplicate"):
        parse_bibtex(text)


def test_every_reference_resolves_to_an_entry_with_doi_or_isbn():
    bib = bibliography()
    for mat in ALL:
        assert mat.references, f"{mat.name} cites nothing"
        for key in mat.references:
            assert key in bib, f"{mat.name}: {key}"
            assert bib[key].doi or bib[key].isbn


def test_every_stored_number_has_a_ref_or_a_basis():
    for mat in ALL:
        for field, p in mat.properties.items():
            assert p.ref or p.basis or p.derived_from, f"{mat.name}.{field}"


def test_every_ceramic_and_reference_polymer_conductivity_is_referenced():
    for mat in LIB.names("ceramic"):
        m = LIB.get(mat)
        refs = {p.ref for k, p in m.properties.items() if k.startswith("conductivity.")}
        assert refs - {None} or mat in ("LLZO-Ga", "Li3PS4-glass"), mat


# ---------------------------------------------------------------- coverage


@pytest.mark.parametrize(
    "name",
    ["LLZO", "Al-LLZO", "Ga-LLZO", "LLZTO", "LATP", "LAGP", "LLTO", "LGPS", "Li6PS5Cl",
     "Li3PS4", "Li3PS4 glass".replace(" ", "-"), "Li7P3S11", "Li2S-P2S5 glass-ceramic", "Li3OCl",
     "LiPON", "LLTO nanowires", "LLZO nanofibres", "PEO-LiTFSI-EO8", "PEO-LiTFSI-EO16",
     "PEO-LiTFSI-EO20", "PEO-LiClO4", "PAN", "PVDF", "PMMA", "PPC", "PVC",
     "single-ion polymer", "SN-PEO", "SiO2", "Al2O3", "TiO2", "ZrO2", "BN", "Li metal", "LFP",
     "NCM622", "NCM811", "LCO", "graphite", "sulfur", "LiTFSI", "Al", "Cu"],
)
def test_required_materials_are_present(name):
    assert name in LIB
    LIB.get(name)


def test_at_least_thirty_materials_with_kinds():
    assert len(LIB) >= 30
    kinds = {m.kind for m in ALL}
    assert kinds == {"ceramic", "polymer", "filler", "electrode", "salt", "collector"}


# ---------------------------------------------------------------- physical ranges


@pytest.mark.parametrize("mat", ALL, ids=lambda m: m.name)
def test_physical_ranges(mat):
    if mat.density is not None:
        assert 500.0 <= mat.density <= 10000.0
    if mat.law is not None:
        s25 = float(mat.sigma(T25))
        assert s25 >= 0.0
        assert np.isfinite(s25)
        rng = mat.sigma25_range
        if rng is not None:
            assert rng[0] <= s25 * (1 + 1e-12)
            assert s25 <= rng[1] * (1 + 1e-12)
    w = mat.window
    for lo, hi in (w.intrinsic, w.practical):
        if lo is not None and hi is not None:
            assert lo < hi
    for value in (mat.youngs_modulus, mat.shear_modulus, mat.bulk_modulus):
        if value is not None:
            assert value > 0.0
    if mat.poisson_ratio is not None:
        assert -1.0 < mat.poisson_ratio < 0.5
    if mat.rho_plus is not None:
        assert 0.0 <= mat.rho_plus <= 1.0
    if mat.elements:
        assert sum(mat.elements.values()) == pytest.approx(1.0, rel=1e-12)
    json.dumps(to_jsonable(mat.to_dict()))


# PHYSICS.md section 10 defaults and ranges (S/cm at 25 degC), each from the primary work cited
# in the comment. The test reads the library; the numbers below are typed from the table.
CERAMIC_SIGMA25_S_PER_CM = {
    "LLZO": (1e-4, 1e-3),      # Murugan 2007 (doi:10.1002/anie.200701144); Ni 2012
    "LLZTO": (1e-4, 1e-3),     # as LLZO; Li 2012 report 1e-3 for x = 0.6
    "LATP": (1e-4, 1e-3),      # Aono 1990 (doi:10.1149/1.2086597)
    "LAGP": (1e-4, 5e-4),      # Fu 1997
    "LLTO": (1e-5, 1e-4),      # Inaguma 1993 (doi:10.1016/0038-1098(93)90841-A), total
    "LGPS": (4e-3, 1.2e-2),    # Kamaya 2011 (doi:10.1038/nmat3066): 1.2e-2 at 27 degC
    "Li6PS5Cl": (1e-3, 4e-3),  # Deiseroth 2008 (doi:10.1002/anie.200703900)
    "Li3PS4": (1e-4, 3e-4),    # Liu 2013 (doi:10.1021/ja3110895)
    "LiPON": (1e-6, 3e-6),     # Bates 1992 (doi:10.1016/0167-2738(92)90442-R): 2e-6
}
CERAMIC_EA_EV = {"LLZO": 0.35, "LLZTO": 0.35, "LATP": 0.35, "LAGP": 0.38, "LLTO": 0.40,
                 "LGPS": 0.25, "Li6PS5Cl": 0.30, "LiPON": 0.55}  # PHYSICS 10
DENSITY_G_PER_CM3 = {"LLZO": 5.11, "LLZTO": 5.45, "LATP": 2.93, "LAGP": 3.43, "LLTO": 5.04,
                     "LGPS": 2.04, "Li6PS5Cl": 1.86, "Li3PS4": 1.87, "SiO2": 2.20,
                     "Al2O3": 3.95, "TiO2": 3.89, "LiTFSI": 1.33, "Li": 0.534, "Al": 2.70,
                     "Cu": 8.96}  # PHYSICS 10 and 7


@pytest.mark.parametrize(("name", "rng"), list(CERAMIC_SIGMA25_S_PER_CM.items()))
def test_ceramic_sigma25_inside_physics_ranges(name, rng):
    s = float(LIB.get(name).sigma(T25)) / 100.0
    assert rng[0] <= s <= rng[1]


@pytest.mark.parametrize(("name", "Ea"), list(CERAMIC_EA_EV.items()))
def test_ceramic_activation_energies(name, Ea):
    e = float(LIB.get(name).law.apparent_activation_energy(T25))
    assert e == pytest.approx(Ea, rel=1e-12)


@pytest.mark.parametrize(("name", "rho"), list(DENSITY_G_PER_CM3.items()))
def test_densities_match_physics_table(name, rho):
    assert LIB.get(name).density == pytest.approx(rho * 1000.0, rel=1e-12)


def test_passive_fillers_do_not_conduct():
    for name in ("SiO2", "Al2O3", "TiO2", "ZrO2", "BN"):
        m = LIB.get(name)
        assert np.all(m.sigma([250.0, 300.0, 400.0]) == 0.0)


def test_ceramics_are_single_ion_and_electrodes_have_no_law():
    for name in LIB.names("ceramic"):
        assert LIB.get(name).rho_plus == 1.0
    with pytest.raises(MaterialError, match="no conductivity law"):
        LIB.get("NCM811").sigma(300.0)


# ---------------------------------------------------------------- moduli (PHYSICS 6)


def test_llzo_moduli_follow_isotropic_relations():
    m = LIB.get("LLZO")
    E, nu = 150e9, 0.26  # Ni 2012
    assert m.shear_modulus == pytest.approx(E / (2 * (1 + nu)), rel=1e-12)
    assert m.bulk_modulus == pytest.approx(E / (3 * (1 - 2 * nu)), rel=1e-12)
    assert m.shear_modulus == pytest.approx(60e9, rel=0.01)  # "G about 60 GPa" (PHYSICS 10)


def test_li_metal_moduli_from_G_and_K():
    m = LIB.get("Li")
    G, K = 4.25e9, 11e9
    assert m.shear_modulus == G
    assert m.youngs_modulus == pytest.approx(9 * K * G / (3 * K + G), rel=1e-12)
    assert m.poisson_ratio == pytest.approx((3 * K - 2 * G) / (2 * (3 * K + G)), rel=1e-12)


# ---------------------------------------------------------------- polymers


def test_peo_litfsi_eo20_composition_matches_physics_2_2():
    m = LIB.get("PEO-LiTFSI-EO20")
    # PHYSICS 11 item 9 (n = 20): rho = 1.237439 g/cm^3, c = 1.059315 mol/L
    assert m.density == pytest.approx(1237.439, rel=1e-6)
    assert m.c_salt == pytest.approx(1059.315, rel=1e-6)
    for name, n in (("PEO-LiTFSI-EO8", 8), ("PEO-LiTFSI-EO16", 16), ("PEO-LiTFSI-EO20", 20)):
        Vm = n * 44.053 / 1.21 + 287.09 / 1.33  # cm^3/mol, PHYSICS 2.2
        mat = LIB.get(name)
        assert mat.c_salt == pytest.approx(1e6 / Vm, rel=1e-6)
        assert mat.density == pytest.approx(1000.0 * (n * 44.053 + 287.09) / Vm, rel=1e-6)


def test_peo_litfsi_transport_and_conductivity():
    m = LIB.get("PEO-LiTFSI")
    assert m.name == "PEO-LiTFSI-EO20"
    assert m.rho_plus == 0.2
    assert m.rho_plus_range == (0.1, 0.3)
    assert m.D_salt == pytest.approx(1e-12)
    s25 = float(m.sigma(T25)) / 100.0
    assert 1e-6 <= s25 <= 1e-5  # PHYSICS 10: semicrystalline 1e-6 - 1e-5 S/cm at 25 degC
    assert float(m.sigma(T70) / m.sigma(T25)) >= 10.0
    assert m.T_m == pytest.approx(333.15)
    law = m.law
    assert isinstance(law, SemicrystallinePEO)
    # well above T_m the law is the PHYSICS 10 amorphous VTF (A = 40 S/m, B = 1100 K, T0 = 180 K)
    ref = VTF(A=40.0, B=1100.0, T0=180.0)
    assert float(m.sigma(373.15)) == pytest.approx(float(ref.sigma(373.15)), rel=1e-4)


def test_single_ion_polymer():
    m = LIB.get("single-ion polymer")
    assert m.rho_plus == pytest.approx(0.9)
    assert float(m.sigma(T60)) == pytest.approx(1.3e-3, rel=1e-12)  # Bouchet 2013, 60 degC


def test_pvdf_and_pan_note_residual_solvent():
    for name in ("PVDF", "PAN"):
        assert any("esidual solvent" in n for n in LIB.get(name).notes)


def test_electrodes():
    li = LIB.get("Li").electrode
    assert li is not None
    # F / M(Li) = 96485.33212 / 6.94 C/g = 3861.9 mAh/g
    assert li.specific_capacity_mAh_per_g == pytest.approx(96485.33212 / 6.94 / 3.6, rel=1e-3)
    for name in ("LFP", "NCM622", "NCM811", "LCO", "graphite", "sulfur"):
        e = LIB.get(name).electrode
        assert e is not None
        assert e.potential_min <= e.mean_potential <= e.potential_max
        assert e.specific_capacity > 0


def test_elements_mass_fractions():
    m = LIB.get("LLZTO")
    M = 6.4 * 6.94 + 3 * 138.91 + 1.4 * 91.224 + 0.6 * 180.95 + 12 * 15.999
    assert m.elements["Ta"] == pytest.approx(0.6 * 180.95 / M, rel=1e-9)
    assert m.elements["Li"] == pytest.approx(6.4 * 6.94 / M, rel=1e-9)


# ---------------------------------------------------------------- look-up


def test_lookup_is_case_insensitive_and_accepts_aliases():
    assert LIB.get("llzto") is LIB.get("LLZTO")
    assert LIB.get("Ta-LLZO") is LIB.get("LLZTO")
    assert LIB.get("peo20-litfsi").name == "PEO-LiTFSI-EO20"
    assert get_material("LiFePO4").name == "LFP"


def test_unknown_material_suggests_close_names():
    with pytest.raises(UnknownMaterialError) as err:
        LIB.get("LLZTOO")
    assert "LLZTO" in err.value.suggestions
    assert isinstance(err.value, KeyError)
    assert "did you mean" in str(err.value)
    with pytest.raises(UnknownMaterialError) as err:
        LIB.get("unobtainium")
    assert err.value.suggestions


def test_references_and_bibtex():
    refs = LIB.references("LLZTO")
    keys = {r["key"] for r in refs}
    assert {"Murugan2007", "Ni2012", "Zhu2015"} <= keys
    assert all(r["doi"] for r in refs)
    text = LIB.bibtex(["Murugan2007", "Milton2002"])
    assert "@article{Murugan2007" in text
    assert "10.1002/anie.200701144" in text
    assert "isbn" in text
    with pytest.raises(MaterialError, match="Nobody2099"):
        LIB.bibtex(["Nobody2099"])


def test_default_library_is_cached_and_immutable():
    assert load_library() is load_library()
    with pytest.raises(AttributeError):
        LIB.get("LLZO").kind = "polymer"  # type: ignore[misc]


def test_import_is_light():
    code = ("import sys, hylyte.materials as m; m.Arrhenius(1e-2, 0.3).sigma(300.0); "
            "print(sorted(k for k in ('pint', 'matplotlib', 'pydantic', 'tomllib') "
            "if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------- user files


GOOD_USER = """
[LLZTO]
kind = "ceramic"
density = { value = 5.4, unit = "g/cm^3", ref = "doi:10.1234/my.measurement" }
[LLZTO.conductivity]
law = "arrhenius"
sigma_ref = { value = 8e-4, unit = "S/cm", T = "25 degC", ref = "Li2012" }
Ea = { value = 0.42, unit = "eV", ref = "doi:10.1234/my.measurement" }

[MyGel]
kind = "polymer"
aliases = ["gel-1"]
density = { value = 1.1, unit = "g/cm^3", basis = "weighed" }
[MyGel.conductivity]
law = "vtf"
A = { value = 0.5, unit = "S/cm", ref = "Fulcher1925" }
B = { value = 900, unit = "K", ref = "Fulcher1925" }
T0 = { value = 170, unit = "K", ref = "Fulcher1925" }
"""


def test_user_file_overrides_and_adds(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(GOOD_USER, encoding="utf-8")
    lib = load_library([f])
    m = lib.get("LLZTO")
    assert float(m.sigma(T25)) == pytest.approx(8e-2, rel=1e-12)
    assert "doi:10.1234/my.measurement" in m.references
    assert any(r["doi"] == "10.1234/my.measurement" for r in lib.references("LLZTO"))
    assert lib.get("gel-1").name == "MyGel"
    assert "Ta-LLZO" not in lib  # the override replaced the shipped entry with its aliases
    assert float(LIB.get("LLZTO").sigma(T25)) == pytest.approx(5e-2, rel=1e-12)  # untouched
    only = load_library([f], include_defaults=False)
    assert only.names() == ["LLZTO", "MyGel"]


def test_user_file_can_override_by_alias(tmp_path):
    f = tmp_path / "alias.toml"
    f.write_text(GOOD_USER.replace("[LLZTO]", '["Ta-LLZO"]').replace("[LLZTO.", '["Ta-LLZO".'),
                 encoding="utf-8")
    lib = load_library([f])
    assert lib.get("Ta-LLZO").name == "Ta-LLZO"
    assert "LLZTO" not in lib


# ---------------------------------------------------------------- error paths


def _err(tmp_path: Path, text: str) -> str:
    f = tmp_path / "bad_materials.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(MaterialError) as err:
        load_library([f])
    return str(err.value)


BASE = """
[Foo]
kind = "ceramic"
density = {density}
[Foo.conductivity]
law = "arrhenius"
sigma_ref = {{ value = 1e-4, unit = "S/cm", T = "25 degC", ref = "Murugan2007" }}
Ea = {{ value = 0.3, unit = "eV", ref = "Murugan2007" }}
"""
GOOD_DENSITY = '{ value = 5.1, unit = "g/cm^3", ref = "Murugan2007" }'


@pytest.mark.parametrize(
    ("density", "field", "value"),
    [('{ value = -5.1, unit = "g/cm^3", ref = "Murugan2007" }', "density", "-5.1"),
     ('{ value = 5.1, unit = "g/cm^3" }', "density.ref", "None"),
     ('{ value = 5.1, unit = "g/cm^3", ref = "Nobody2099" }', "density.ref", "Nobody2099"),
     ('{ value = 5.1, unit = "S/cm", ref = "Murugan2007" }', "density", "5.1 S/cm"),
     ("5.1", "density", "5.1"),
     ('{ value = 5.1, unit = "g/cm^3", ref = "Murugan2007", range = [6, 7] }', "density", "5.1")],
)
def test_record_errors_name_file_material_field_value(tmp_path, density, field, value):
    msg = _err(tmp_path, BASE.format(density=density))
    assert "bad_materials.toml" in msg
    assert "'Foo'" in msg
    assert f"'{field}'" in msg
    assert value in msg
    assert "allowed" in msg


def test_inverted_window_is_rejected(tmp_path):
    text = BASE.format(density=GOOD_DENSITY) + """
[Foo.window]
reduction = { value = 3.0, unit = "V", ref = "Zhu2015" }
oxidation = { value = 1.0, unit = "V", ref = "Zhu2015" }
"""
    msg = _err(tmp_path, text)
    assert "bad_materials.toml" in msg
    assert "'Foo'" in msg
    assert "window.reduction" in msg
    assert "3.0" in msg
    assert "oxidation" in msg


@pytest.mark.parametrize(
    ("extra", "field", "value"),
    [('T_m = { value = -300, unit = "degC", ref = "Lascaud1994" }', "T_m", "-300"),
     ('T_g = { value = 300, unit = "K", ref = "Lascaud1994", T = "-500 degC" }', "T_g.T",
      "-500 degC")],
)
def test_temperatures_below_absolute_zero_are_rejected(tmp_path, extra, field, value):
    text = BASE.format(density=GOOD_DENSITY).replace('kind = "ceramic"',
                                                      f'kind = "ceramic"\n{extra}')
    msg = _err(tmp_path, text)
    assert "bad_materials.toml" in msg
    assert "'Foo'" in msg
    assert f"'{field}'" in msg
    assert value in msg


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("[Foo]\nkind = 'plasma'\n", "kind"),
     ("[Foo]\nkind = 'filler'\ncolour = 'red'\n", "colour"),
     ("[Foo]\nkind = 'polymer'\n", "conductivity"),
     ("[Foo]\nkind = 'electrode'\n", "electrode"),
     ("[Foo\nkind = 'filler'", "not valid TOML"),
     ("[Foo]\nkind = 'filler'\nformula = 'Xx2O'\nconductivity = {law = 'constant', "
      "sigma = '0 S/m'}\n", "formula"),
     ("[Foo]\nkind = 'filler'\npoisson_ratio = { value = 0.7, unit = '', ref = 'Ni2012' }\n"
      "conductivity = {law = 'constant', sigma = '0 S/m'}\n", "poisson_ratio")],
)
def test_other_validation_errors(tmp_path, text, fragment):
    msg = _err(tmp_path, text)
    assert "bad_materials.toml" in msg
    assert fragment in msg


def test_unreferenced_nonzero_constant_is_rejected():
    with pytest.raises(MaterialError, match="reference"):
        material_from_table("Foo", {"kind": "filler",
                                    "conductivity": {"law": "constant", "sigma": "1e-3 S/m"}},
                            file="x.toml", bib_keys=frozenset())


def test_missing_user_file(tmp_path):
    with pytest.raises(MaterialError, match="not found"):
        load_library([tmp_path / "nope.toml"])


def test_sigma25_must_agree_with_the_law(tmp_path):
    text = BASE.format(density=GOOD_DENSITY).replace(
        'kind = "ceramic"',
        'kind = "ceramic"\nsigma25 = { value = 1e-6, unit = "S/cm", basis = "x", '
        "range = [1e-7, 1e-5] }")
    msg = _err(tmp_path, text)
    assert "sigma25" in msg
    assert "'Foo'" in msg


def test_moduli_derivation_is_consistent_with_math():
    m = material_from_table("Foo", {
        "kind": "filler", "conductivity": {"law": "constant", "sigma": "0 S/m"},
        "youngs_modulus": {"value": 200, "unit": "GPa", "basis": "x"},
        "shear_modulus": {"value": 80, "unit": "GPa", "basis": "x"},
    })
    assert m.poisson_ratio == pytest.approx(200 / 160 - 1, rel=1e-12)
    assert m.bulk_modulus == pytest.approx(200e9 / (3 * (1 - 2 * 0.25)), rel=1e-12)
    assert m.properties["bulk_modulus"].derived_from == ("youngs_modulus", "shear_modulus")


def test_user_material_inherits_from_base(tmp_path):
    # A user material with base = "LLZTO" keeps every LLZTO property it does not set and
    # replaces the conductivity law as a whole.
    from hylyte.materials import load_library

    f = tmp_path / "mine.toml"
    f.write_text(
        '[my-LLZTO]\nbase = "LLZTO"\n'
        '[my-LLZTO.conductivity]\nlaw = "arrhenius"\n'
        'sigma_ref = { value = 2e-4, unit = "S/cm", ref = "doi:10.1000/example" }\n'
        'T_ref = { value = 25, unit = "degC", ref = "doi:10.1000/example" }\n'
        'Ea = { value = 0.4, unit = "eV", ref = "doi:10.1000/example" }\n',
        encoding="utf-8",
    )
    lib = load_library([f])
    mine, base = lib.get("my-LLZTO"), lib.get("LLZTO")
    assert mine.density == base.density
    assert mine.rho_plus == base.rho_plus
    assert abs(float(mine.sigma(298.15)) - 2e-2) <= 1e-15  # 2e-4 S/cm = 2e-2 S/m at T_ref
    # sigma(60 degC)/sigma(25 degC) of a form-B Arrhenius law, computed by hand
    import math

    ratio = math.exp(-(0.4 / 8.617333262e-5) * (1 / 333.15 - 1 / 298.15))
    assert math.isclose(float(mine.sigma(333.15) / mine.sigma(298.15)), ratio, rel_tol=1e-12)
    assert "LLZTO" in lib  # the base stays in the library


def test_user_material_unknown_base_names_file_and_suggests(tmp_path):
    import pytest

    from hylyte.errors import MaterialError
    from hylyte.materials import load_library

    f = tmp_path / "bad.toml"
    f.write_text('[x]\nbase = "LLZTOO"\n', encoding="utf-8")
    with pytest.raises(MaterialError, match=r"bad\.toml.*'x'.*LLZTOO"):
        load_library([f])
