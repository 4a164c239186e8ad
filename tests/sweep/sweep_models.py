"""Closed-form stand-ins for design evaluation used by the sweep tests and benchmark.

A polymer film of thickness L holding spherical ceramic fillers at volume fraction phi:
Maxwell-Garnett conductivity (PHYSICS.md section 3.3) with Arrhenius laws in form B
(sigma(T) = sigma_25 exp(-Ea/kB (1/T - 1/298.15 K))), ASR = L / sigma and areal mass
L * (rho_p (1 - phi) + rho_c phi). Numbers are illustrative, not material data.
"""

from __future__ import annotations

import functools
import re
import time

import numpy as np

K_B_EV = 8.617333262e-5
T_REF = 298.15
TEMPS_K = (273.15, 298.15, 313.15, 333.15, 353.15)
POLYMER = (1e-6 * 100.0, 0.60, 1200.0)  # sigma_25 [S/m], Ea [eV], rho [kg/m^3]
FILLERS = {
    "LLZTO": (5e-4 * 100.0, 0.40, 5100.0),
    "LATP": (3e-4 * 100.0, 0.35, 2900.0),
    "SiO2": (0.0, 0.0, 2200.0),
}
_Q = re.compile(r"^\s*([-+0-9.eE]+)\s*(\S*)\s*$")
_LEN = {"um": 1e-6, "nm": 1e-9, "mm": 1e-3, "m": 1.0}


@functools.lru_cache(maxsize=65536)
def _num(text, unit_table):
    m = _Q.match(text)
    if not m:
        raise ValueError(f"cannot parse {text!r}")
    x, u = float(m.group(1)), m.group(2)
    if unit_table == "frac":
        if u != "vol%":
            raise ValueError(f"expected vol%, got {text!r}")
        return x / 100.0
    return x * _LEN[u]


def mg(sm, sf, phi):
    """Maxwell-Garnett, spheres of sf in matrix sm (PHYSICS.md eq. 3.3)."""
    return sm * (sf + 2 * sm + 2 * phi * (sf - sm)) / (sf + 2 * sm - phi * (sf - sm))


def arrhenius(s25, ea, T):
    return s25 * np.exp(-ea / K_B_EV * (1.0 / T - 1.0 / T_REF))


def _inputs(design):
    f = design["fillers"][0]
    mat = f["material"]
    if mat not in FILLERS:
        raise KeyError(f"unknown material {mat!r}")
    phi = _num(f["fraction"], "frac")
    L = _num(design["thickness"], "len")
    return FILLERS[mat], phi, L


def _rows(T, sigma, L, rho):
    asr = L / sigma * 1e4
    mass = L * rho * 1e3
    return [
        {"T_K": float(t), "T_degC": round(float(t) - 273.15, 6),
         "conductivity_S_per_cm": float(s) / 100.0, "asr_ohm_cm2": float(a),
         "electrolyte_mass_g_per_m2": float(mass)}
        for t, s, a in zip(T, sigma, asr, strict=True)
    ]


def composite_rows(design):
    """Design dict -> one row per temperature (closed form)."""
    (s25, ea, rho_c), phi, L = _inputs(design)
    T = np.asarray(TEMPS_K)
    sm = arrhenius(POLYMER[0], POLYMER[1], T)
    sf = arrhenius(s25, ea, T)
    sigma = mg(sm, sf, phi)
    rho = POLYMER[2] * (1 - phi) + rho_c * phi
    return _rows(T, sigma, L, rho)


class BatchComposite:
    """Same model, vectorised over many designs through ``evaluate_many``."""

    evaluator_id = "tests.sweep_models.composite"

    def __call__(self, design):
        return composite_rows(design)

    def evaluate_many(self, designs):
        ins = [_inputs(d) for d in designs]
        s25 = np.array([i[0][0] for i in ins])[:, None]
        ea = np.array([i[0][1] for i in ins])[:, None]
        rho_c = np.array([i[0][2] for i in ins])
        phi = np.array([i[1] for i in ins])
        L = np.array([i[2] for i in ins])
        T = np.asarray(TEMPS_K)[None, :]
        sm = arrhenius(POLYMER[0], POLYMER[1], T)
        sf = arrhenius(s25, ea, T)
        sigma = mg(sm, sf, phi[:, None])
        rho = POLYMER[2] * (1 - phi) + rho_c * phi
        return [_rows(T[0], sigma[i], L[i], rho[i]) for i in range(len(designs))]


def slow_rows(design):
    """composite_rows after a short sleep (for the kill-and-resume test)."""
    time.sleep(0.02)
    return composite_rows(design)


def base_design():
    return {"thickness": "20 um", "fillers": [{"material": "LLZTO", "fraction": "10 vol%"}]}
