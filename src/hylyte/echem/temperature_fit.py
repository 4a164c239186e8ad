"""Temperature fits of conductivity data in log space (PHYSICS §1.5).

Arrhenius (form B ``sigma`` or form A ``sigma T``, anchored at ``T_ref``) by weighted linear
least squares in ``ln sigma`` with Student-t intervals and a prediction band; VTF by profiling
``T0`` and refining all three parameters with Levenberg-Marquardt; AICc model comparison; a
two-regime (melting) breakpoint fit. Results turn into the law tables of the materials library
and can be written to a user materials TOML file.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

from hylyte._atomic import atomic_write_text
from hylyte._provenance import cites
from hylyte.errors import ExtrapolationWarning, InputError, MaterialError, ValidityWarning
from hylyte.units import K_B_EV

T_REF_DEFAULT = 298.15


def _check(T: ArrayLike, sigma: ArrayLike, sigma_rel_err: ArrayLike | None, n_min: int
           ) -> tuple[NDArray, NDArray, NDArray, bool]:
    T = np.asarray(T, dtype=float).ravel()
    s = np.asarray(sigma, dtype=float).ravel()
    if T.shape != s.shape:
        raise InputError(f"T_K and sigma must have the same length, got {T.size} and {s.size}")
    if T.size < n_min:
        raise InputError(f"need at least {n_min} points for this fit, got {T.size}")
    if not np.all(np.isfinite(T)) or np.any(T <= 0):
        raise InputError("T_K must be finite and > 0 K")
    if not np.all(np.isfinite(s)) or np.any(s <= 0):
        raise InputError("sigma must be finite and > 0 (conductivities are positive)")
    if sigma_rel_err is None:
        return T, s, np.ones_like(T), False
    e = np.broadcast_to(np.asarray(sigma_rel_err, dtype=float), T.shape).copy()
    if np.any(~(e > 0)):
        raise InputError("sigma_rel_err must be > 0 (relative standard errors of sigma)")
    return T, s, e, True


def _aicc(rss: float, n: int, k: int) -> float:
    rss = max(rss, 1e-300)
    if n - k - 1 <= 0:
        return math.inf
    return n * math.log(rss / n) + 2 * k + 2 * k * (k + 1) / (n - k - 1)


# ----------------------------------------------------------------------------------- Arrhenius
@dataclass(frozen=True)
class ArrheniusFit:
    """Result of :func:`fit_arrhenius`.

    ``sigma(T) = sigma_ref exp[-(Ea/k_B)(1/T - 1/T_ref)]`` (form ``"sigma"``) or
    ``sigma(T) T = sigma_ref T_ref exp[...]`` (form ``"sigmaT"``).

    Attributes
    ----------
    Ea_eV, Ea_stderr_eV : float
        Activation energy and its standard error [eV].
    sigma_ref_S_per_m : float
        Conductivity at ``T_ref_K`` [S/m].
    ln_sigma_ref_stderr : float
        Standard error of ``ln sigma_ref`` [-].
    Ea_ci_eV, sigma_ref_ci_S_per_m : tuple of float
        Student-t intervals at ``confidence``.
    covariance : ndarray
        Covariance of ``(a, m)`` in ``y = a + m (1/T - 1/T_ref)`` [-, K, K^2].
    residual_sd : float
        Standard deviation of one ``ln sigma`` point about the law [-]: the residual scatter
        (unweighted), or the weighted fit's scale times the points' mean square relative
        error; it widens the prediction band.
    """

    form: Literal["sigma", "sigmaT"]
    T_ref_K: float
    Ea_eV: float
    Ea_stderr_eV: float
    sigma_ref_S_per_m: float
    ln_sigma_ref_stderr: float
    Ea_ci_eV: tuple[float, float]
    sigma_ref_ci_S_per_m: tuple[float, float]
    covariance: NDArray
    correlation: float
    n: int
    dof: int
    rss: float
    residual_sd: float
    aicc: float
    confidence: float
    T_range_K: tuple[float, float]
    absolute_sigma: bool
    x: NDArray = field(repr=False)  # 1/T - 1/T_ref
    model: str = "arrhenius"

    def _xv(self, T: ArrayLike) -> NDArray:
        T = np.asarray(T, dtype=float)
        if np.any(T <= 0):
            raise InputError("T_K must be > 0 K")
        return 1.0 / T - 1.0 / self.T_ref_K

    def extrapolating(self, T_K: ArrayLike) -> NDArray[np.bool_]:
        """True where ``T_K`` lies outside the fitted temperature range."""
        T = np.asarray(T_K, dtype=float)
        return (self.T_range_K[0] * (1 - 1e-12) > T) | (self.T_range_K[1] * (1 + 1e-12) < T)

    def predict(self, T_K: ArrayLike) -> NDArray:
        """Fitted conductivity [S/m] at ``T_K`` [K]; warns when extrapolating."""
        T = np.asarray(T_K, dtype=float)
        if np.any(self.extrapolating(T)):
            warnings.warn(f"Arrhenius fit evaluated outside its data range {self.T_range_K} K",
                          ExtrapolationWarning, stacklevel=2)
        y = self._y(T)
        return np.exp(y) / T if self.form == "sigmaT" else np.exp(y)

    def _y(self, T: NDArray) -> NDArray:
        a = math.log(self.sigma_ref_S_per_m * (self.T_ref_K if self.form == "sigmaT" else 1.0))
        return a - self.Ea_eV / K_B_EV * self._xv(T)

    def band(self, T_K: ArrayLike, *, kind: Literal["confidence", "prediction"] = "prediction"
             ) -> tuple[NDArray, NDArray]:
        """Lower and upper conductivity band [S/m] at ``T_K`` (full a-m covariance).

        ``kind="confidence"`` bounds the mean law; ``"prediction"`` a new measurement (adds the
        residual variance).
        """
        T = np.asarray(T_K, dtype=float)
        x = self._xv(T)
        var = self.covariance[0, 0] + 2 * x * self.covariance[0, 1] + x ** 2 * self.covariance[
            1, 1]
        if kind == "prediction":
            var = var + self.residual_sd ** 2
        elif kind != "confidence":
            raise InputError(f"kind must be 'confidence' or 'prediction', got {kind!r}")
        t = stats.t.ppf(0.5 + self.confidence / 2, self.dof)
        y = self._y(T)
        d = t * np.sqrt(var)
        conv = T if self.form == "sigmaT" else 1.0
        return np.exp(y - d) / conv, np.exp(y + d) / conv

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (SI with units in the keys)."""
        return {"model": "arrhenius", "form": self.form, "T_ref_K": self.T_ref_K,
                "Ea_eV": self.Ea_eV, "Ea_stderr_eV": self.Ea_stderr_eV,
                "Ea_ci_eV": list(self.Ea_ci_eV), "sigma_ref_S_per_m": self.sigma_ref_S_per_m,
                "sigma_ref_ci_S_per_m": list(self.sigma_ref_ci_S_per_m),
                "correlation": self.correlation, "n": self.n, "rss": self.rss,
                "aicc": self.aicc, "confidence": self.confidence,
                "T_range_K": list(self.T_range_K)}


def fit_arrhenius(T_K: ArrayLike, sigma_S_per_m: ArrayLike, *,
                  form: Literal["sigma", "sigmaT"] = "sigma", T_ref_K: float = T_REF_DEFAULT,
                  sigma_rel_err: ArrayLike | None = None, absolute_sigma: bool = False,
                  confidence: float = 0.95) -> ArrheniusFit:
    """Weighted linear least-squares Arrhenius fit in ``ln sigma`` (or ``ln sigma T``).

    Parameters
    ----------
    T_K : array_like
        Temperatures [K].
    sigma_S_per_m : array_like
        Conductivities [S/m] (any consistent unit; ``sigma_ref`` comes back in the same).
    form : {"sigma", "sigmaT"}
        Form B (plain) or form A (``sigma T``) of PHYSICS §1.1.
    T_ref_K : float
        Anchor temperature of ``sigma_ref`` [K].
    sigma_rel_err : array_like, optional
        Relative standard errors ``delta sigma / sigma`` [-]; weights ``1/s_i^2``.
    absolute_sigma : bool
        Take ``sigma_rel_err`` as exact (no rescaling by the residual variance).
    confidence : float
        Level of the Student-t intervals (n - 2 degrees of freedom) [-].

    Returns
    -------
    ArrheniusFit
        Parameters, covariance, intervals, AICc.

    Notes
    -----
    ``y_i = a + m x_i`` with ``x_i = 1/T_i - 1/T_ref``, ``E_a = -k_B m`` and
    ``C = s^2 (X^T W X)^-1``.
    """
    T, s, e, has_err = _check(T_K, sigma_S_per_m, sigma_rel_err, 3)
    if form not in ("sigma", "sigmaT"):
        raise InputError(f"form must be 'sigma' or 'sigmaT', got {form!r}")
    if not T_ref_K > 0:
        raise InputError(f"T_ref_K must be > 0, got {T_ref_K!r}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1), got {confidence!r}")
    x = 1.0 / T - 1.0 / T_ref_K
    y = np.log(s) + (np.log(T) if form == "sigmaT" else 0.0)
    w = 1.0 / e ** 2
    X = np.column_stack([np.ones_like(x), x])
    sw = np.sqrt(w)
    coef, *_ = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)
    r = y - X @ coef
    n = T.size
    dof = n - 2
    rss = float(np.sum(w * r ** 2))
    s2 = 1.0 if (absolute_sigma and has_err) else rss / dof
    cov = s2 * np.linalg.inv(X.T @ (X * w[:, None]))
    a, m = coef
    Ea = -K_B_EV * m
    se_m = math.sqrt(cov[1, 1])
    se_a = math.sqrt(cov[0, 0])
    t = float(stats.t.ppf(0.5 + confidence / 2, dof))
    conv = T_ref_K if form == "sigmaT" else 1.0
    sig_ref = math.exp(a) / conv
    corr = float(cov[0, 1] / math.sqrt(cov[0, 0] * cov[1, 1])) if se_a > 0 and se_m > 0 else 0.0
    return ArrheniusFit(
        form=form, T_ref_K=float(T_ref_K), Ea_eV=float(Ea), Ea_stderr_eV=K_B_EV * se_m,
        sigma_ref_S_per_m=sig_ref, ln_sigma_ref_stderr=se_a,
        Ea_ci_eV=(float(Ea - t * K_B_EV * se_m), float(Ea + t * K_B_EV * se_m)),
        sigma_ref_ci_S_per_m=(math.exp(a - t * se_a) / conv, math.exp(a + t * se_a) / conv),
        covariance=cov, correlation=corr, n=n, dof=dof, rss=rss,
        residual_sd=math.sqrt(s2 * float(np.mean(e ** 2))), aicc=_aicc(rss, n, 2),
        confidence=confidence,
        T_range_K=(float(T.min()), float(T.max())), absolute_sigma=bool(absolute_sigma),
        x=x)


# ----------------------------------------------------------------------------------------- VTF
@dataclass(frozen=True)
class VTFFit:
    """Result of :func:`fit_vtf`: ``sigma = A [T^-1/2] exp(-B/(T - T0))``.

    Attributes
    ----------
    A_S_per_m, B_K, T0_K : float
        Prefactor [S/m] (times K^1/2 with ``prefactor``), pseudo-activation temperature [K],
        ideal glass temperature [K].
    stderr : dict
        Standard errors of ``A_S_per_m``, ``B_K``, ``T0_K`` (``T0_K`` 0 when fixed).
    covariance : ndarray
        Covariance of ``(ln A, B, T0)`` (2x2 of ``(ln A, B)`` when T0 is fixed).
    correlation_B_T0 : float
        Correlation coefficient of B and T0 (nan when T0 is fixed).
    """

    A_S_per_m: float
    B_K: float
    T0_K: float
    prefactor: bool
    T0_fixed: bool
    stderr: dict[str, float]
    ci: dict[str, tuple[float, float]]
    covariance: NDArray
    correlation: NDArray
    correlation_B_T0: float
    n: int
    dof: int
    rss: float
    aicc: float
    confidence: float
    T_range_K: tuple[float, float]
    model: str = "vtf"

    @property
    def E_vtf_eV(self) -> float:
        """Pseudo-activation energy ``k_B B`` [eV]."""
        return K_B_EV * self.B_K

    def predict(self, T_K: ArrayLike) -> NDArray:
        """Fitted conductivity [S/m]; raises for ``T <= T0``, warns when extrapolating."""
        T = np.asarray(T_K, dtype=float)
        if np.any(T <= self.T0_K):
            raise InputError(f"VTF is undefined for T <= T0 = {self.T0_K:.6g} K")
        if np.any((self.T_range_K[0] > T) | (self.T_range_K[1] < T)):
            warnings.warn(f"VTF fit evaluated outside its data range {self.T_range_K} K",
                          ExtrapolationWarning, stacklevel=2)
        pre = T ** -0.5 if self.prefactor else 1.0
        return self.A_S_per_m * pre * np.exp(-self.B_K / (T - self.T0_K))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {"model": "vtf", "A_S_per_m": self.A_S_per_m, "B_K": self.B_K,
                "T0_K": self.T0_K, "prefactor": self.prefactor, "T0_fixed": self.T0_fixed,
                "stderr": self.stderr, "ci": {k: list(v) for k, v in self.ci.items()},
                "correlation_B_T0": self.correlation_B_T0, "n": self.n, "rss": self.rss,
                "aicc": self.aicc, "T_range_K": list(self.T_range_K)}


def _vtf_linear(T: NDArray, y: NDArray, w: NDArray, T0: float) -> tuple[NDArray, float]:
    X = np.column_stack([np.ones_like(T), -1.0 / (T - T0)])
    sw = np.sqrt(w)
    coef, *_ = np.linalg.lstsq(X * sw[:, None], y * sw, rcond=None)
    r = y - X @ coef
    return coef, float(np.sum(w * r ** 2))


@cites("Fulcher1925", "TammannHesse1926")
def fit_vtf(T_K: ArrayLike, sigma_S_per_m: ArrayLike, *, prefactor: bool = False,
            T0_K: float | None = None, Tg_K: float | None = None,
            sigma_rel_err: ArrayLike | None = None, confidence: float = 0.95,
            min_span_K: float = 60.0) -> VTFFit:
    """VTF fit in ``ln sigma``: profile T0, then Levenberg-Marquardt on all parameters.

    Parameters
    ----------
    T_K, sigma_S_per_m : array_like
        Temperatures [K] and conductivities [S/m].
    prefactor : bool
        Use the ``A T^-1/2`` free-volume prefactor.
    T0_K : float, optional
        Fix T0 [K].
    Tg_K : float, optional
        Glass transition [K]; when the data span less than ``min_span_K`` and no ``T0_K`` is
        given, T0 is fixed at ``Tg - 50 K``.
    sigma_rel_err : array_like, optional
        Relative standard errors of sigma [-].
    confidence : float
        Level of the intervals [-].
    min_span_K : float
        Span below which T0 is not fitted freely [K].

    Notes
    -----
    For fixed T0 the model ``ln sigma = ln A - B/(T - T0)`` is linear; the residual sum of
    squares is profiled over ``T0 in (0, min T - 5 K)`` (grid then bounded Brent), then
    ``(ln A, B, T0)`` are refined by LM and the covariance is ``s^2 (J^T J)^-1``.
    """
    T, s, e, _ = _check(T_K, sigma_S_per_m, sigma_rel_err, 4)
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1), got {confidence!r}")
    y = np.log(s) + (0.5 * np.log(T) if prefactor else 0.0)
    w = 1.0 / e ** 2
    n = T.size
    span = float(T.max() - T.min())
    if T0_K is None and span < min_span_K:
        if Tg_K is not None:
            T0_K = float(Tg_K) - 50.0
        else:
            warnings.warn(f"VTF data span {span:.1f} K < {min_span_K} K: B and T0 are strongly "
                          "correlated; pass Tg_K (T0 = Tg - 50 K) or T0_K", ValidityWarning,
                          stacklevel=2)
    t_lo, t_hi = 1e-6, float(T.min()) - 5.0
    if T0_K is not None:
        if not 0 <= T0_K < T.min():
            raise InputError(f"T0_K must be in [0, min T = {T.min():.6g} K), got {T0_K!r}")
        coef, rss = _vtf_linear(T, y, w, float(T0_K))
        X = np.column_stack([np.ones_like(T), -1.0 / (T - T0_K)])
        dof = n - 2
        cov = rss / dof * np.linalg.inv(X.T @ (X * w[:, None]))
        lnA, B, T0 = float(coef[0]), float(coef[1]), float(T0_K)
        k = 2
    else:
        if t_hi <= t_lo:
            raise InputError("min T must exceed 5 K to fit T0")
        grid = np.linspace(t_lo, t_hi, 120)
        prof = np.array([_vtf_linear(T, y, w, g)[1] for g in grid])
        i = int(np.argmin(prof))
        a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
        res = optimize.minimize_scalar(lambda t0: _vtf_linear(T, y, w, t0)[1], bounds=(a, b),
                                       method="bounded", options={"xatol": 1e-10})
        T0 = float(res.x)
        coef, _ = _vtf_linear(T, y, w, T0)
        sw = np.sqrt(w)

        def resid(p: NDArray) -> NDArray:
            return sw * (p[0] - p[1] / (T - p[2]) - y)

        p0 = np.array([coef[0], coef[1], T0])
        if n > 3:
            lm = optimize.least_squares(resid, p0, method="lm", xtol=1e-15, ftol=1e-15,
                                        gtol=1e-15, max_nfev=10000)
            p = lm.x if (lm.x[2] < T.min() and np.sum(lm.fun ** 2) <= np.sum(
                resid(p0) ** 2)) else p0
        else:
            p = p0
        lnA, B, T0 = (float(v) for v in p)
        r = resid(p)
        rss = float(r @ r)
        dof = n - 3
        Tm = T - T0
        J = sw[:, None] * np.column_stack([np.ones_like(T), -1.0 / Tm, -B / Tm ** 2])
        s2 = rss / dof if dof > 0 else np.nan
        cov = s2 * np.linalg.pinv(J.T @ J)
        k = 3
    se = np.sqrt(np.clip(np.diag(cov), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(se, se)
    t = float(stats.t.ppf(0.5 + confidence / 2, max(dof, 1)))
    A = math.exp(lnA)
    stderr = {"A_S_per_m": A * se[0], "B_K": float(se[1]),
              "T0_K": float(se[2]) if k == 3 else 0.0}
    ci = {"A_S_per_m": (math.exp(lnA - t * se[0]), math.exp(lnA + t * se[0])),
          "B_K": (B - t * se[1], B + t * se[1])}
    if k == 3:
        ci["T0_K"] = (T0 - t * se[2], T0 + t * se[2])
    return VTFFit(A_S_per_m=A, B_K=B, T0_K=T0, prefactor=prefactor, T0_fixed=k == 2,
                  stderr=stderr, ci=ci, covariance=cov, correlation=corr,
                  correlation_B_T0=float(corr[1, 2]) if k == 3 else float("nan"), n=n,
                  dof=dof, rss=rss, aicc=_aicc(rss, n, k), confidence=confidence,
                  T_range_K=(float(T.min()), float(T.max())))


# ------------------------------------------------------------------------------ model choice
def compare_models(T_K: ArrayLike, sigma_S_per_m: ArrayLike, *,
                   sigma_rel_err: ArrayLike | None = None, Tg_K: float | None = None,
                   form: Literal["sigma", "sigmaT"] = "sigma") -> dict[str, Any]:
    """Fit Arrhenius and VTF and compare them by AICc (never by R^2).

    Returns
    -------
    dict
        ``{"arrhenius": ArrheniusFit, "vtf": VTFFit | None, "aicc": {...}, "best": name,
        "delta_aicc": float, "akaike_weights": {...}}``; VTF needs >= 5 points.
    """
    arr = fit_arrhenius(T_K, sigma_S_per_m, form=form, sigma_rel_err=sigma_rel_err)
    fits: dict[str, Any] = {"arrhenius": arr, "vtf": None}
    aicc = {"arrhenius": arr.aicc}
    if np.size(T_K) >= 5:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ValidityWarning)
            vtf = fit_vtf(T_K, sigma_S_per_m, sigma_rel_err=sigma_rel_err, Tg_K=Tg_K)
        fits["vtf"] = vtf
        aicc["vtf"] = vtf.aicc
    best = min(aicc, key=aicc.get)
    vals = np.array(list(aicc.values()))
    finite = np.isfinite(vals)
    wts = np.zeros_like(vals)
    if finite.any():
        d = vals[finite] - vals[finite].min()
        wts[finite] = np.exp(-d / 2) / np.sum(np.exp(-d / 2))
    other = [v for k, v in aicc.items() if k != best]
    return {**fits, "aicc": aicc, "best": best,
            "delta_aicc": float(min(other) - aicc[best]) if other else math.inf,
            "akaike_weights": dict(zip(aicc, wts.tolist(), strict=True))}


@dataclass(frozen=True)
class TwoRegimeFit:
    """Result of :func:`fit_two_regime` (piecewise Arrhenius with a breakpoint).

    Attributes
    ----------
    detected : bool
        Whether two regimes beat one line by more than ``min_delta_aicc`` in AICc.
    T_break_K : float
        Temperature where the two branches cross [K].
    low, high : ArrheniusFit
        Branch fits below and above the break.
    single : ArrheniusFit
        One-line fit of all data.
    """

    detected: bool
    T_break_K: float
    split_index: int
    low: ArrheniusFit
    high: ArrheniusFit
    single: ArrheniusFit
    aicc_two: float
    aicc_single: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {"detected": self.detected, "T_break_K": self.T_break_K,
                "low": self.low.to_dict(), "high": self.high.to_dict(),
                "single": self.single.to_dict(), "aicc_two": self.aicc_two,
                "aicc_single": self.aicc_single}


def fit_two_regime(T_K: ArrayLike, sigma_S_per_m: ArrayLike, *, min_points: int = 3,
                   min_delta_aicc: float = 10.0, min_delta_Ea_eV: float = 0.05,
                   form: Literal["sigma", "sigmaT"] = "sigma") -> TwoRegimeFit:
    """Detect a melting transition: best split into two Arrhenius branches.

    Every split with at least ``min_points`` on each side is tried; the one with the smallest
    total residual sum of squares wins. The break temperature is where the branches cross
    (clipped to the gap between the two branches' data). Two regimes are ``detected`` when
    their AICc (4 parameters + 1 for the breakpoint) beats the single line by
    ``min_delta_aicc`` and the branch activation energies differ by more than
    ``min_delta_Ea_eV`` [eV] and by more than three combined standard errors.
    """
    T, s, _, _ = _check(T_K, sigma_S_per_m, None, 2 * min_points)
    order = np.argsort(T)
    T, s = T[order], s[order]
    single = fit_arrhenius(T, s, form=form)
    best = None
    for i in range(min_points, T.size - min_points + 1):
        lo = fit_arrhenius(T[:i], s[:i], form=form)
        hi = fit_arrhenius(T[i:], s[i:], form=form)
        tot = lo.rss + hi.rss
        if best is None or tot < best[0]:
            best = (tot, i, lo, hi)
    tot, i, lo, hi = best
    # crossing of the two lines in x = 1/T - 1/T_ref
    ya = math.log(lo.sigma_ref_S_per_m) - math.log(hi.sigma_ref_S_per_m)
    dm = (lo.Ea_eV - hi.Ea_eV) / K_B_EV
    if dm != 0:
        x = ya / dm
        Tb = 1.0 / (x + 1.0 / lo.T_ref_K)
    else:
        Tb = 0.5 * (T[i - 1] + T[i])
    if not T[i - 1] <= Tb <= T[i]:
        Tb = float(np.clip(Tb, T[i - 1], T[i]))
    a2 = _aicc(tot, T.size, 5)
    dEa = abs(lo.Ea_eV - hi.Ea_eV)
    detected = (a2 < single.aicc - min_delta_aicc and dEa > min_delta_Ea_eV
                and dEa > 3 * math.hypot(lo.Ea_stderr_eV, hi.Ea_stderr_eV))
    return TwoRegimeFit(detected=bool(detected), T_break_K=float(Tb),
                        split_index=int(i), low=lo, high=hi, single=single, aicc_two=a2,
                        aicc_single=single.aicc)


# --------------------------------------------------------------------------- law dict + TOML
def to_law_dict(fit: ArrheniusFit | VTFFit) -> dict[str, Any]:
    """A law table for the materials library (quantities as strings with units).

    Arrhenius: ``{"law": "arrhenius", "sigma_ref": "... S/cm", "T_ref": "... K",
    "Ea": "... eV", "form": "sigma"}``; VTF: ``{"law": "vtf", "A": "... S/cm", "B": "... K",
    "T0": "... K", "prefactor": False}``.
    """
    if isinstance(fit, ArrheniusFit):
        return {"law": "arrhenius", "sigma_ref": f"{fit.sigma_ref_S_per_m / 100.0:.10g} S/cm",
                "T_ref": f"{fit.T_ref_K:.10g} K", "Ea": f"{fit.Ea_eV:.10g} eV",
                "form": fit.form}
    if isinstance(fit, VTFFit):
        unit = "S K^0.5/cm" if fit.prefactor else "S/cm"
        return {"law": "vtf", "A": f"{fit.A_S_per_m / 100.0:.10g} {unit}",
                "B": f"{fit.B_K:.10g} K", "T0": f"{fit.T0_K:.10g} K",
                "prefactor": bool(fit.prefactor)}
    raise InputError(f"fit must be an ArrheniusFit or VTFFit, got {type(fit).__name__}")


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(f"cannot write non-finite number {v!r} to TOML")
        return repr(v)
    if isinstance(v, str):
        esc = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{esc}"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise InputError(f"cannot write {type(v).__name__} to TOML")


def _toml_key(k: str) -> str:
    if k and all(c.isascii() and (c.isalnum() or c in "-_") for c in k):
        return k
    return _toml_value(str(k))


def _dump_toml(doc: dict[str, Any]) -> str:
    lines: list[str] = []

    def table(prefix: list[str], d: dict[str, Any]) -> None:
        scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
        subs = {k: v for k, v in d.items() if isinstance(v, dict)}
        if prefix and (scalars or not subs):
            lines.append("[" + ".".join(_toml_key(p) for p in prefix) + "]")
        for k, v in scalars.items():
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        if scalars:
            lines.append("")
        for k, v in subs.items():
            table([*prefix, k], v)

    table([], doc)
    return "\n".join(lines).rstrip() + "\n"


def save_fitted_law(path: str | Path, material_name: str, fit: ArrheniusFit | VTFFit, *,
                    base: str | None = None, note: str | None = None) -> Path:
    """Write a fitted law into a user materials TOML file (atomically).

    The file gets (or replaces) ``[<material_name>.conductivity]`` with :func:`to_law_dict`;
    other materials in the file are kept. ``base`` names a library material whose other
    properties the user material inherits (written as ``base = "..."``).

    Parameters
    ----------
    path : str or Path
        TOML file; created if missing.
    material_name : str
        Name of the material table.
    fit : ArrheniusFit or VTFFit
        Fit to store.
    base : str, optional
        Library material to inherit from.
    note : str, optional
        Free text stored as ``note`` in the conductivity table.
    """
    if not isinstance(material_name, str) or not material_name.strip():
        raise InputError(f"material_name must be a non-empty string, got {material_name!r}")
    p = Path(path)
    doc: dict[str, Any] = {}
    if p.exists():
        try:
            doc = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise MaterialError(f"{p}: not a valid TOML file ({err})") from err
    entry = dict(doc.get(material_name, {}))
    if base is not None:
        entry["base"] = base
    elif not entry:
        raise InputError(
            f"base: the new material {material_name!r} needs the library material whose other "
            "properties (density, transference, window, moduli, references) it inherits, "
            "e.g. base='PEO-LiTFSI'"
        )
    rng_txt = f"fitted to {fit.n} points, {fit.T_range_K[0]:.2f}-{fit.T_range_K[1]:.2f} K"
    basis = f"{note}; {rng_txt}" if note else rng_txt
    law: dict[str, Any] = {}
    for key, val in to_law_dict(fit).items():
        # quantities become provenance records: the user's own measurement is their basis
        if isinstance(val, str) and key not in ("law", "form"):
            number, _, unit = val.partition(" ")
            law[key] = {"value": float(number), "unit": unit, "basis": basis}
        else:
            law[key] = val
    entry.pop("conductivity", None)
    entry["conductivity"] = law
    doc[material_name] = entry
    return atomic_write_text(p, _dump_toml(doc))


__all__ = ["ArrheniusFit", "TwoRegimeFit", "VTFFit", "compare_models", "fit_arrhenius",
           "fit_two_regime", "fit_vtf", "save_fitted_law", "to_law_dict"]
