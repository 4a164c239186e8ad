"""Cell-level metrics: PHYSICS.md section 7, checklist item 29."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from hylyte.errors import InputError
from hylyte.physics.cell import (
    cell_energy,
    electrolyte_areal_mass,
    element_inventory,
    li_thickness,
    materials_cost,
    ohmic_drop,
)

MAH_CM2 = 3.6e4  # 1 mAh/cm2 in C/m2
REF = {"areal_capacity": 3 * MAH_CM2, "mean_voltage": 3.8, "specific_capacity_am": 7.2e5,
           "active_fraction": 0.75, "cathode_density": 3300.0, "electrolyte_density": 1991.6,
           "n_to_p": 2.0, "cathode_cc_thickness": 12e-6, "cathode_cc_density": 2700.0,
           "anode_cc_thickness": 8e-6, "anode_cc_density": 8960.0}


def test_item29_energy_vs_thickness():
    # PHYSICS.md 11 item 29 (section 7 reference cell), +-0.1 %
    e30 = cell_energy(electrolyte_thickness=30e-6, **REF)
    e300 = cell_energy(electrolyte_thickness=300e-6, **REF)
    assert_allclose(e30.specific_energy_Wh_per_kg, 300.50, rtol=1e-3)
    assert_allclose(e30.energy_density_Wh_per_L, 816.0, rtol=1e-3)
    assert_allclose(e300.specific_energy_Wh_per_kg, 124.31, rtol=1e-3)
    assert_allclose(e300.energy_density_Wh_per_L, 278.2, rtol=1e-3)


def test_item29_li_thickness_and_ohmic_drop():
    # 4.8498 um per mAh/cm2; ohmic drop at 0.5C, 1e-4 S/cm: 45 mV (30 um), 450 mV (300 um)
    assert_allclose(li_thickness(MAH_CM2), 4.8498e-6, rtol=1e-4)
    for L, ref in ((30e-6, 0.045), (300e-6, 0.450)):
        out = ohmic_drop(0.5, 3 * MAH_CM2, L / 1e-2, mean_voltage=3.8, i_lim=30.0)
        assert_allclose(out["drop_V"], ref, rtol=1e-12)
        assert_allclose(out["i_over_i_lim"], 0.5, rtol=1e-12)


def test_cost_and_elements_by_hand():
    m = {"LLZO": 0.03, "PEO": 0.02}
    cost = materials_cost(m, {"LLZO": 100.0, "PEO": 10.0}, energy_per_area=3.6e5)
    assert_allclose(cost.cost_per_m2_USD, 3.2, rtol=1e-14)
    assert_allclose(cost.cost_per_kWh_USD, 3.2 / 0.1, rtol=1e-14)  # 3.6e5 J = 0.1 kWh
    inv = element_inventory(m, {"LLZO": {"La": 0.45, "Li": 0.05}, "PEO": {"C": 0.55}},
                            energy_per_area=3.6e5, elements=("La", "Li", "Ge"))
    assert_allclose(inv["La"], 0.03 * 0.45 / 0.1, rtol=1e-14)
    assert inv["Ge"] == 0.0
    assert "C" not in inv
    assert_allclose(electrolyte_areal_mass([10e-6, 20e-6], [1000.0, 2000.0]), 0.05, rtol=1e-14)
    with pytest.raises(InputError, match="PEO"):
        materials_cost(m, {"LLZO": 1.0})
