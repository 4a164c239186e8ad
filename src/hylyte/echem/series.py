"""From a temperature series of impedance fits to an activation energy with its uncertainty.

Each spectrum's fit gives a resistance with a standard error (from the fit's covariance,
correlations included: the total resistance is far better determined than the bulk /
grain-boundary split). The conductivities ``sigma = L / (R A)`` are fitted with an Arrhenius
law weighted by those errors, and the reported uncertainty is the larger of two estimates
(the Birge-ratio rule): the errors propagated from the impedance fits, and the scatter of the
points about the line. The first alone is too small when the points scatter more than the
impedance fits claim (model error between temperatures); the second alone ignores
uncertainties of single points that happen to lie on the line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hylyte.echem.eis import EISFit, conductivity_from_resistance
from hylyte.echem.temperature_fit import T_REF_DEFAULT, ArrheniusFit, fit_arrhenius
from hylyte.errors import InputError


@dataclass(frozen=True)
class SeriesArrhenius:
    """Result of :func:`arrhenius_from_eis`.

    Attributes
    ----------
    resistance : str
        Which resistance was used (``"total"``, an arc label or a parameter name).
    T_K : ndarray
        Temperatures [K].
    R_ohm, R_stderr_ohm : ndarray
        Resistances and their standard errors from the impedance fits [ohm].
    sigma_S_per_m, sigma_rel_err : ndarray
        Conductivities [S/m] and their relative standard errors [-].
    fit_propagated, fit_scatter : ArrheniusFit
        The fit weighted by the propagated errors, with those errors taken as exact, and
        with the covariance from the residual scatter alone.
    birge_ratio : float
        ``sqrt(chi^2 / dof)`` of the weighted fit: > 1 when the points scatter more than
        their propagated errors [-].
    """

    resistance: str
    T_K: NDArray
    R_ohm: NDArray
    R_stderr_ohm: NDArray
    sigma_S_per_m: NDArray
    sigma_rel_err: NDArray
    fit_propagated: ArrheniusFit
    fit_scatter: ArrheniusFit
    birge_ratio: float

    @property
    def uncertainty_from(self) -> Literal["propagated", "scatter"]:
        """Which of the two estimates the reported uncertainty is (the larger one)."""
        return "scatter" if self.birge_ratio > 1.0 else "propagated"

    @property
    def fit(self) -> ArrheniusFit:
        """The reported fit: the covariance scaled by ``max(1, birge_ratio^2)``."""
        return self.fit_scatter if self.birge_ratio > 1.0 else self.fit_propagated

    @property
    def Ea_eV(self) -> float:
        """Activation energy [eV]."""
        return self.fit.Ea_eV

    @property
    def Ea_stderr_eV(self) -> float:
        """Its standard error [eV]."""
        return self.fit.Ea_stderr_eV

    @property
    def Ea_ci_eV(self) -> tuple[float, float]:
        """Its Student-t interval at the fit's confidence [eV]."""
        return self.fit.Ea_ci_eV

    def rows(self) -> list[dict[str, float]]:
        """One row per temperature (SI units in the keys)."""
        return [{"T_K": float(t), "R_ohm": float(r), "R_stderr_ohm": float(sr),
                 "sigma_S_per_m": float(s), "sigma_rel_err": float(e)}
                for t, r, sr, s, e in zip(self.T_K, self.R_ohm, self.R_stderr_ohm,
                                          self.sigma_S_per_m, self.sigma_rel_err, strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {"resistance": self.resistance, "points": self.rows(),
                "arrhenius": self.fit.to_dict(), "birge_ratio": self.birge_ratio,
                "uncertainty_from": self.uncertainty_from,
                "Ea_stderr_propagated_eV": self.fit_propagated.Ea_stderr_eV,
                "Ea_stderr_scatter_eV": self.fit_scatter.Ea_stderr_eV}


def arrhenius_from_eis(fits: Sequence[EISFit], T_K: ArrayLike, *, thickness_m: float,
                       area_m2: float, resistance: str = "total",
                       form: Literal["sigma", "sigmaT"] = "sigmaT",
                       T_ref_K: float = T_REF_DEFAULT,
                       confidence: float = 0.95) -> SeriesArrhenius:
    """Arrhenius analysis of a temperature series of impedance fits.

    Parameters
    ----------
    fits : sequence of EISFit
        One fit per temperature (e.g. from :func:`hylyte.echem.eis.fit_series`).
    T_K : array_like
        Their temperatures [K].
    thickness_m, area_m2 : float
        Sample thickness [m] and electrode area [m^2].
    resistance : str
        ``"total"`` (default; the robust choice), an arc label (``"bulk"``,
        ``"grain_boundary"``) or a parameter name (``"R1.R"``).
    form : {"sigma", "sigmaT"}
        Arrhenius form (PHYSICS §1.1); ``"sigmaT"`` is the usual one for ionic conductors.
    T_ref_K : float
        Anchor temperature of the prefactor [K].
    confidence : float
        Level of the intervals [-].

    Returns
    -------
    SeriesArrhenius
        Points, the reported fit and both uncertainty estimates.
    """
    T = np.asarray(T_K, dtype=float).ravel()
    if len(fits) != T.size:
        raise InputError(f"got {len(fits)} fits but {T.size} temperatures")
    if T.size < 3:
        raise InputError(f"need at least 3 temperatures, got {T.size}")
    R = np.empty(T.size)
    sR = np.empty(T.size)
    for i, f in enumerate(fits):
        R[i], sR[i] = f.resistance(resistance)
    if np.any(~(R > 0)):
        raise InputError(f"resistance {resistance!r} is not positive in every fit: {R.tolist()}")
    rel = sR / R
    if not np.all(np.isfinite(rel)) or np.any(rel <= 0):
        bad = [float(t) for t, e in zip(T, rel, strict=True) if not (np.isfinite(e) and e > 0)]
        raise InputError(f"the impedance fits do not determine {resistance!r} at T = {bad} K "
                         "(a parameter at a bound or without sensitivity); refit those spectra "
                         "or use resistance='total'")
    sigma = np.asarray(conductivity_from_resistance(R, thickness_m=thickness_m,
                                                    area_m2=area_m2), dtype=float)
    kw = {"form": form, "T_ref_K": T_ref_K, "confidence": confidence, "sigma_rel_err": rel}
    prop = fit_arrhenius(T, sigma, absolute_sigma=True, **kw)
    scat = fit_arrhenius(T, sigma, absolute_sigma=False, **kw)
    return SeriesArrhenius(resistance=resistance, T_K=T, R_ohm=R, R_stderr_ohm=sR,
                           sigma_S_per_m=sigma, sigma_rel_err=rel, fit_propagated=prop,
                           fit_scatter=scat, birge_ratio=math.sqrt(prop.rss / prop.dof))


__all__ = ["SeriesArrhenius", "arrhenius_from_eis"]
