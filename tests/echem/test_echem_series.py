"""arrhenius_from_eis against the closed form of weighted linear regression."""

from __future__ import annotations

import numpy as np
import pytest

from hylyte.echem.series import arrhenius_from_eis
from hylyte.errors import InputError
from hylyte.units import K_B_EV

L_M, A_M2 = 1e-3, 1e-4


class _Fit:
    """Stands in for an EISFit: only ``resistance`` is used."""

    def __init__(self, R: float, se: float) -> None:
        self.R, self.se = R, se

    def resistance(self, which: str = "total") -> tuple[float, float]:
        return self.R, self.se


def _series(T, Ea, rel, noise=None):
    T = np.asarray(T, float)
    sig = 1e-2 / T * np.exp(-Ea / (K_B_EV * T))  # sigma T Arrhenius [S/m]
    if noise is not None:
        sig = sig * np.exp(noise)
    R = L_M / (sig * A_M2)
    return [_Fit(r, e * r) for r, e in zip(R, rel, strict=True)]


def _closed_form_se(T, rel):
    """Standard error of Ea of a weighted straight line with exact weights 1/rel^2."""
    x = 1.0 / np.asarray(T)
    w = 1.0 / np.asarray(rel) ** 2
    xm = np.sum(w * x) / np.sum(w)
    return K_B_EV / np.sqrt(np.sum(w * (x - xm) ** 2))


def test_exact_law_gives_ea_and_propagated_error():
    T = np.linspace(300, 400, 6)
    rel = np.array([0.01, 0.02, 0.01, 0.05, 0.03, 0.01])
    res = arrhenius_from_eis(_series(T, 0.45, rel), T, thickness_m=L_M, area_m2=A_M2)
    assert res.Ea_eV == pytest.approx(0.45, abs=1e-10)
    assert res.birge_ratio < 1e-6
    assert res.uncertainty_from == "propagated"
    assert res.Ea_stderr_eV == pytest.approx(_closed_form_se(T, rel), rel=1e-10)
    np.testing.assert_allclose(res.sigma_rel_err, rel, rtol=1e-12)


def test_scatter_beyond_the_errors_inflates_the_uncertainty_by_the_birge_ratio():
    T = np.linspace(300, 400, 8)
    rel = np.full(8, 1e-3)
    noise = np.array([0.05, -0.04, 0.03, -0.05, 0.02, 0.04, -0.03, 0.01])
    res = arrhenius_from_eis(_series(T, 0.3, rel, noise), T, thickness_m=L_M, area_m2=A_M2)
    # chi^2/dof of the weighted line, computed here independently
    x = 1.0 / T
    y = np.log(res.sigma_S_per_m * T)
    coef = np.polyfit(x, y, 1)  # equal weights = the same line
    chi2 = np.sum(((y - np.polyval(coef, x)) / rel) ** 2)
    birge = np.sqrt(chi2 / (T.size - 2))
    assert res.birge_ratio == pytest.approx(birge, rel=1e-8)
    assert res.uncertainty_from == "scatter"
    assert res.Ea_stderr_eV == pytest.approx(birge * _closed_form_se(T, rel), rel=1e-8)


def test_bad_input_names_the_problem():
    T = np.array([300.0, 320.0, 340.0])
    fits = _series(T, 0.4, [0.01, 0.01, 0.01])
    with pytest.raises(InputError, match="3 fits but 2 temperatures"):
        arrhenius_from_eis(fits, T[:2], thickness_m=L_M, area_m2=A_M2)
    fits[1] = _Fit(fits[1].R, float("nan"))
    with pytest.raises(InputError, match=r"do not determine 'total' at T = \[320.0\] K"):
        arrhenius_from_eis(fits, T, thickness_m=L_M, area_m2=A_M2)
