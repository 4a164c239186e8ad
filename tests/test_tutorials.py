"""The tutorial scripts in docs/tutorials run with --fast and reproduce independent numbers.

Every tutorial runs as a subprocess (as a reader would run it) into a temporary folder; the
test checks the exit code, the figures, and one physics number per tutorial against a
closed form or a published reference value (PHYSICS.md sections cited per test).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"
K_B_EV = 8.617333262e-5  # eV/K, CODATA 2018
F = 96485.33212  # C/mol
T0C = 273.15

FIGURES = {
    "01_composite_loading": ["01_sigma_vs_loading.png", "01_current_fractions.png",
                             "01_interface_and_size.png"],
    "02_nanowires": ["02_nanowires.png"],
    "03_scaffold_vs_pellet": ["03_scaffold_vs_pellet.png"],
    "04_sandwich_stack": ["04_stack_asr.png", "04_stack_tplus.png"],
    "05_energy_density": ["05_energy_density.png"],
    "06_eis_arrhenius_calibration": ["06_eis_fits.png", "06_arrhenius_calibration.png"],
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Run every tutorial once with --fast (concurrently); return its JSON summary by name."""
    out = tmp_path_factory.mktemp("tutorials")
    procs = {
        name: subprocess.Popen(
            [sys.executable, str(TUTORIALS / f"{name}.py"), "--fast", "--out", str(out),
             "--summary", str(out / f"{name}.json")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        for name in FIGURES
    }
    summaries = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{name} failed:\n{stdout}\n{stderr}"
        for png in FIGURES[name]:
            path = out / png
            assert path.is_file(), f"{name}: no {png}"
            assert path.stat().st_size > 1000, f"{name}: empty {png}"
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        summaries[name] = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    return summaries


def test_all_figures_committed() -> None:
    """The docs show the figures, so every figure exists in docs/images/tutorials."""
    for pngs in FIGURES.values():
        for png in pngs:
            assert (ROOT / "docs" / "images" / "tutorials" / png).is_file(), png


def test_01_bruggeman_closed_form(outputs: dict) -> None:
    """Two-phase Bruggeman spheres (PHYSICS 3.4) and f_c = 3 phi s_c/(s_c + 2 s) (3.9)."""
    s = outputs["01_composite_loading"]
    s1, s2 = s["sigma_polymer_S_per_m_25C"], s["sigma_ceramic_S_per_m_25C"]
    phi = 0.3
    b = (3 * (1 - phi) - 1) * s1 + (3 * phi - 1) * s2
    sigma = 0.25 * (b + math.sqrt(b * b + 8 * s1 * s2))
    got = s["bruggeman_25C_phi0.3"]
    assert got["sigma_eff_S_per_m"] == pytest.approx(sigma, rel=1e-9)
    assert got["f_ceramic"] == pytest.approx(3 * phi * s2 / (s2 + 2 * sigma), rel=1e-9)
    # an interface resistance lowers the ceramic share of the current (PHYSICS 3.9)
    assert s["f_ceramic_phi0.3_Rint0.001"] < s["f_ceramic_phi0.3_Rint0"]


def test_02_aligned_wires_mg_axis(outputs: dict) -> None:
    """Aligned spheroid MG along the axis with the closed-form N_a (PHYSICS 3.3)."""
    s = outputs["02_nanowires"]
    sm, sf, p, phi = (s["sigma_polymer_S_per_m"], s["sigma_ceramic_S_per_m"], s["aspect"],
                      s["phi"])
    e = math.sqrt(p * p - 1)
    Na = (p / e * math.log(p + e) - 1) / (p * p - 1)
    along = sm + phi * sm * (sf - sm) / (sm + Na * (1 - phi) * (sf - sm))
    Nb = (1 - Na) / 2
    across = sm + phi * sm * (sf - sm) / (sm + Nb * (1 - phi) * (sf - sm))
    assert s["mg_along_S_per_m"] == pytest.approx(along, rel=1e-9)
    assert s["mg_across_S_per_m"] == pytest.approx(across, rel=1e-9)
    # voxel results lie within the Wiener bounds at their own volume fraction (PHYSICS 3.1)
    v = s["voxel"]
    for key in ("aligned_x", "aligned_y", "random_x"):
        f = v[key.split("_")[0] + "_phi"]
        lower = 1 / ((1 - f) / sm + f / sf)
        upper = (1 - f) * sm + f * sf
        assert lower * (1 - 1e-6) <= v[key] <= upper * (1 + 1e-6)
    assert v["aligned_x"] > v["random_x"] > v["aligned_y"]


def test_03_voxel_results_within_hs(outputs: dict) -> None:
    """Isotropic-structure results inside the HS bounds (PHYSICS 3.2) at the voxel fraction."""
    s = outputs["03_scaffold_vs_pellet"]
    s1, s2 = s["sigma_polymer_S_per_m"], s["sigma_ceramic_S_per_m"]
    for phi, sigma, _ in s["gyroid"] + s["pellet"]:
        lo = s1 + phi / (1 / (s2 - s1) + (1 - phi) / (3 * s1))
        hi = s2 + (1 - phi) / (1 / (s1 - s2) + phi / (3 * s2))
        # the finite Dirichlet sample is not exactly isotropic: allow 2 % beyond the bounds
        assert lo * 0.98 <= sigma <= hi * 1.02
    for (_, sg, _), (_, sp, _) in zip(s["gyroid"], s["pellet"], strict=True):
        assert sg > sp  # a continuous ceramic skeleton beats dispersed particles


def test_04_stack_asr_hand_sum(outputs: dict) -> None:
    """ASR = sum L/sigma + sum R_k (PHYSICS 5.1) with the section 10 default laws."""
    s = outputs["04_sandwich_stack"]
    T = s["check_T_K"]
    assert T >= 333.15 + 30  # well above the PEO knee, where the VTF branch holds to 1e-4
    sigma_peo = 40.0 * math.exp(-1100.0 / (T - 180.0))  # VTF A, B, T0 of PHYSICS 10
    sigma_llzto = 5e-2 * math.exp(-0.35 / K_B_EV * (1 / T - 1 / 298.15))  # 5e-4 S/cm, 0.35 eV
    R_k = s["interface_asr_ohm_m2_at_60C"] * math.exp(
        s["interface_Ea_eV"] / K_B_EV * (1 / T - 1 / 333.15))
    L_p, L_c = s["check_peo_thickness_m"], s["llzto_thickness_m"]
    hand = 2 * L_p / sigma_peo + L_c / sigma_llzto + 2 * R_k
    assert s["check_asr_ohm_m2"] == pytest.approx(hand, rel=1e-3)
    # limiting current 2 F D c0 / ((1 - rho+) L) (PHYSICS 5.2), D = 1e-12, c0 of EO:Li = 20
    c0 = 1059.315  # mol/m^3, PHYSICS 2.2
    for L, i_lim in zip(s["peo_thickness_m"], s["i_lim_A_per_m2"], strict=True):
        assert i_lim == pytest.approx(2 * F * 1e-12 * c0 / ((1 - 0.2) * L), rel=1e-3)
    # stack t+ lies between rho+ of PEO and 1, and rises with T (PHYSICS 4.3)
    assert 0.2 <= s["t_plus_25C"] < s["t_plus_60C"] <= 1.0


def test_05_reference_cell(outputs: dict) -> None:
    """PHYSICS 7 reference cell: 300.50 Wh/kg, 816.0 Wh/L at 30 um; 45 mV at 0.5C."""
    s = outputs["05_energy_density"]
    i30 = int(np.argmin(np.abs(np.array(s["thickness_m"]) - 30e-6)))
    i300 = int(np.argmin(np.abs(np.array(s["thickness_m"]) - 300e-6)))
    assert s["Wh_per_kg"][i30] == pytest.approx(300.50, rel=1e-3)
    assert s["Wh_per_L"][i30] == pytest.approx(816.0, rel=1e-3)
    assert s["Wh_per_kg"][i300] == pytest.approx(124.31, rel=1e-3)
    assert s["Wh_per_L"][i300] == pytest.approx(278.2, rel=1e-3)
    assert s["drop_V"][i30] == pytest.approx(0.045, rel=1e-3)
    assert s["drop_V"][i300] == pytest.approx(0.450, rel=1e-3)


def test_06_recovers_generating_parameters(outputs: dict) -> None:
    """EIS fits return the R1 the spectra were generated with; calibration the true factor."""
    s = outputs["06_eis_arrhenius_calibration"]
    R_true, R_fit = np.array(s["R1_true_ohm"]), np.array(s["R1_fit_ohm"])
    # 1 % complex noise on ~80 points: R1 within 2 % (several standard errors)
    np.testing.assert_allclose(R_fit, R_true, rtol=0.02)
    sigma = s["thickness_m"] / (np.array(s["R1_true_ohm"]) * s["area_m2"])  # L/(R A), 9.1
    np.testing.assert_allclose(s["sigma_true_S_per_m"], sigma, rtol=1e-12)
    lo, hi = s["calibrated_ci95"]
    assert s["calibrated_factor"] == pytest.approx(s["true_factor"], rel=0.02)
    assert lo < hi
