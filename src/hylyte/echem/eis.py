"""Complex nonlinear least-squares fitting of equivalent circuits to impedance spectra.

Designed for solid electrolytes, where arcs differ by many decades in R and C: parameters are
fitted as logarithms (CPE exponents linearly, in [0.3, 1]) with ``scipy.optimize.least_squares``
inside bounds, started from guesses read off the spectrum (real-axis intercepts, arc apexes,
``omega0 = 1/(R C)``) plus seeded random restarts. Arcs are ordered by time constant so that
the smallest-tau arc is always called ``bulk`` and the next ``grain_boundary``, which keeps the
labels stable along a temperature series.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

from hylyte._provenance import cites
from hylyte.echem.circuits import Circuit, Element, parse_circuit
from hylyte.echem.readers import EchemData
from hylyte.errors import ConvergenceError, InputError

Weighting = Literal["modulus", "proportional", "unit"]

#: parameter bounds by unit (lower, upper), SI
_BOUNDS = {
    "ohm": (1e-6, 1e13), "F": (1e-16, 10.0), "H": (1e-14, 1.0), "S s^n": (1e-16, 1e3),
    "-": (0.3, 1.0), "ohm s^-1/2": (1e-6, 1e13), "s": (1e-10, 1e7),
}
DEFAULT_ARC_LABELS = ("bulk", "grain_boundary")


# ------------------------------------------------------------------------------------ helpers
@cites("Brug1984", "HsuMansfeld2001")
def cpe_effective_capacitance(R: ArrayLike, Q: ArrayLike, n: ArrayLike) -> NDArray:
    """Effective capacitance of an R || CPE element (Brug / Hsu-Mansfeld) [F].

    Parameters
    ----------
    R : array_like
        Parallel resistance [ohm].
    Q : array_like
        CPE coefficient [S s^n].
    n : array_like
        CPE exponent, ``0 < n <= 1`` [-].

    Returns
    -------
    ndarray
        ``C_eff = Q^(1/n) R^((1-n)/n)`` [F], so that ``omega0 = 1/(R C_eff)``.
    """
    R, Q, n = (np.asarray(x, dtype=float) for x in (R, Q, n))
    if np.any(R <= 0) or np.any(Q <= 0) or np.any((n <= 0) | (n > 1)):
        raise InputError(f"need R > 0, Q > 0 and 0 < n <= 1; got R={R}, Q={Q}, n={n}")
    return Q ** (1.0 / n) * R ** ((1.0 - n) / n)


def rcpe_apex(R: float, Q: float, n: float) -> tuple[float, complex]:
    """Apex of an R || CPE arc: ``omega0 = (R Q)^(-1/n)`` [rad/s] and ``Z(omega0)`` [ohm]."""
    if R <= 0 or Q <= 0 or not 0 < n <= 1:
        raise InputError(f"need R > 0, Q > 0 and 0 < n <= 1; got R={R}, Q={Q}, n={n}")
    w0 = (R * Q) ** (-1.0 / n)
    return w0, complex(R / (1.0 + R * Q * (1j * w0) ** n))


def conductivity_from_resistance(R_ohm: ArrayLike, *, thickness_m: float,
                                 area_m2: float) -> NDArray:
    """Conductivity ``sigma = L/(R A)`` [S/m] from a resistance [ohm] and the cell geometry.

    Parameters
    ----------
    R_ohm : array_like
        Resistance [ohm], > 0.
    thickness_m : float
        Electrolyte thickness L [m].
    area_m2 : float
        Electrode overlap area A (the smaller electrode) [m^2].
    """
    R = np.asarray(R_ohm, dtype=float)
    if not (thickness_m > 0 and area_m2 > 0):
        raise InputError(f"thickness_m and area_m2 must be > 0, got {thickness_m!r}, {area_m2!r}")
    if np.any(~(R > 0)):
        raise InputError(f"resistance must be > 0 ohm, got {R_ohm!r}")
    return thickness_m / (R * area_m2)


def capacitance_class(C_F: float, *, cell_constant_per_m: float = 100.0) -> str:
    """Irvine-Sinclair-West assignment of a capacitance (normalised to L/A = 1 cm^-1).

    Parameters
    ----------
    C_F : float
        Capacitance [F].
    cell_constant_per_m : float
        Cell constant L/A [1/m]; the guide values are for 1 cm^-1 = 100 m^-1.

    Returns
    -------
    str
        ``"bulk"``, ``"grain_boundary"``, ``"surface_layer"`` or ``"electrode_interface"``.
    """
    c = C_F * cell_constant_per_m / 100.0
    if c < 1e-11:
        return "bulk"
    if c < 1e-8:
        return "grain_boundary"
    if c < 1e-7:
        return "surface_layer"
    return "electrode_interface"


def _as_spectrum(data: EchemData | tuple[ArrayLike, ArrayLike]) -> tuple[NDArray, NDArray]:
    if isinstance(data, EchemData):
        f, Z = data.frequency_Hz, data.impedance
    else:
        try:
            f, Z = data
        except (TypeError, ValueError):
            raise InputError("data must be EchemData or a (frequency_Hz, Z) pair") from None
    f = np.asarray(f, dtype=float).ravel()
    Z = np.asarray(Z, dtype=complex).ravel()
    if f.shape != Z.shape or f.size < 3:
        raise InputError(f"need >= 3 frequencies and as many impedances, got {f.size}, {Z.size}")
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(Z)) and np.all(f > 0)):
        raise InputError("frequencies must be finite and > 0 Hz and impedances finite")
    order = np.argsort(-f, kind="stable")
    return f[order], Z[order]


# ------------------------------------------------------------------------------ initial guess
def initial_guess(circuit: Circuit | str, frequency_Hz: ArrayLike, Z: ArrayLike) -> NDArray:
    """Starting parameters read off the spectrum.

    Series resistors take the high-frequency real-axis intercept; each ``p(R, C|CPE)`` arc takes
    an apex of ``-Z''`` (highest frequency first) with ``R`` from the real-axis span of the arc
    and ``C = 1/(omega0 R)`` (CPE: ``Q = 1/(R omega0^n)``, ``n = 0.9``); a series CPE/C takes the
    low-frequency spike. Returns parameters in SI units in the circuit's order.
    """
    from scipy.signal import find_peaks

    circ = parse_circuit(circuit) if isinstance(circuit, str) else circuit
    f, Zc = _as_spectrum((frequency_Hz, Z))
    w = 2 * np.pi * f
    zr, mz = Zc.real, -Zc.imag
    span = max(float(np.ptp(zr)), 1e-3 * float(np.max(np.abs(Zc))), 1e-9)
    r_hf = float(max(np.min(zr), 1e-4 * span))
    p = np.full(circ.n_params, np.nan)
    arcs = circ.arcs()
    # apexes
    prom = 0.02 * max(float(np.max(np.abs(mz))), 1e-30)
    peaks, _ = find_peaks(mz, prominence=prom)
    if peaks.size > len(arcs):
        keep = np.sort(np.argsort(mz[peaks])[::-1][: len(arcs)])
        peaks = peaks[keep]
    peaks = np.sort(peaks)  # high frequency first
    est: list[tuple[float, float]] = []
    valleys = [0]
    for a, b in itertools.pairwise(peaks):
        valleys.append(int(a + np.argmin(mz[a:b + 1])))
    if peaks.size:
        tail = mz[peaks[-1]:]
        valleys.append(int(peaks[-1] + np.argmin(tail)) if tail.size else f.size - 1)
    for k, pk in enumerate(peaks):
        r_diff = float(zr[valleys[k + 1]] - zr[valleys[k]])
        R = max(r_diff, 2.0 * float(mz[pk]), 1e-3 * span)
        est.append((R, float(w[pk])))
    while len(est) < len(arcs):  # invent missing arcs spread over the band
        k = len(est)
        wk = float(np.exp(np.interp((k + 0.5) / max(len(arcs), 1), [0, 1],
                                    [np.log(w[0]), np.log(w[-1])])))
        est.append((span / max(len(arcs), 1), wk))
    arc_elements: set[str] = set()
    for arc, (R, wk) in zip(arcs, est, strict=False):
        arc_elements.update((arc.resistor.label, arc.capacitor.label))
        p[arc.resistor.offset] = R
        cap = arc.capacitor
        if cap.kind.name == "C":
            p[cap.offset] = 1.0 / (wk * R)
        else:
            n = 0.9
            p[cap.offset] = 1.0 / (R * wk ** n)
            p[cap.offset + 1] = n
    series = {el.label for el in circ.series_elements()}
    first_series_r = True
    mz_lf, w_lf = float(max(mz[-1], 1e-6 * span)), float(w[-1])
    for el in circ.elements:
        if el.label in arc_elements:
            continue
        o, name = el.offset, el.kind.name
        if name == "R":
            if el.label in series and first_series_r:
                p[o] = r_hf
                first_series_r = False
            else:
                p[o] = 0.5 * span
        elif name == "C":
            p[o] = 1.0 / (w_lf * mz_lf) if el.label in series else 1.0 / (np.sqrt(w[0] * w_lf)
                                                                            * span)
        elif name in ("CPE", "Q"):
            n = 0.8
            if el.label in series:
                p[o] = np.sin(n * np.pi / 2) / (mz_lf * w_lf ** n)
            else:
                p[o] = 1.0 / (span * np.sqrt(w[0] * w_lf) ** n)
            p[o + 1] = n
        elif name == "L":
            p[o] = max(float(-mz[0]) / w[0], 1e-6 * span / w[0])
        elif name == "W":
            p[o] = max(mz_lf, 0.1 * span) * np.sqrt(w_lf)
        else:  # Ws, Wo, G
            p[o] = 0.5 * span
            p[o + 1] = 1.0 / w_lf
    lo, hi = _bounds(circ)
    return np.clip(p, lo * 1.0001, hi * 0.9999)


def _bounds(circ: Circuit) -> tuple[NDArray, NDArray]:
    lo = np.array([_BOUNDS[u][0] for u in circ.param_units])
    hi = np.array([_BOUNDS[u][1] for u in circ.param_units])
    return lo, hi


# ------------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class EISFit:
    """Result of :func:`fit_circuit`.

    Attributes
    ----------
    circuit : str
        Circuit string.
    param_names, param_units : tuple of str
        Names (``"R1.R"``, ``"CPE1.Q"``...) and units of the parameters.
    params, stderr : ndarray
        Best parameters (SI) and their standard errors (from the Jacobian, mapped from log
        space to linear space).
    ci_low, ci_high : ndarray
        95 % (or ``confidence``) intervals, symmetric in log space for log-fitted parameters.
        A parameter the data do not determine (at a bound, or with no sensitivity) has a nan
        standard error and the whole allowed range as interval.
    at_bound : tuple of bool
        Which parameters ended on a bound.
    covariance, correlation : ndarray
        Parameter covariance (linear space) and correlation matrix.
    cost : float
        ``0.5 * sum(weighted residuals^2)`` (the scipy convention).
    chi2_per_point : float
        ``sum(weighted residuals^2) / (2 N)``.
    aic, bic : float
        Akaike and Bayesian information criteria of the Gaussian likelihood.
    arcs : list of dict
        Arcs ordered by time constant with label, R [ohm], C_eff [F], tau [s], omega0 [rad/s].
    resistance_total_ohm : float
        Series resistors plus the resistances of all arcs [ohm].
    dc_resistance_ohm : float
        Limit of Re Z at omega -> 0 [ohm] (``inf`` for blocking electrodes).
    """

    circuit: str
    param_names: tuple[str, ...]
    param_units: tuple[str, ...]
    params: NDArray
    stderr: NDArray
    ci_low: NDArray
    ci_high: NDArray
    covariance: NDArray
    correlation: NDArray
    at_bound: tuple[bool, ...]
    cost: float
    chi2_per_point: float
    aic: float
    bic: float
    n_points: int
    weighting: str
    confidence: float
    arcs: list[dict[str, Any]]
    resistance_total_ohm: float
    dc_resistance_ohm: float
    n_starts: int
    success: bool
    message: str
    frequency_Hz: NDArray = field(repr=False)
    Z_ohm: NDArray = field(repr=False)

    def predict(self, frequency_Hz: ArrayLike | None = None) -> NDArray[np.complex128]:
        """Fitted impedance [ohm] at ``frequency_Hz`` [Hz] (default: the data frequencies)."""
        f = self.frequency_Hz if frequency_Hz is None else frequency_Hz
        return parse_circuit(self.circuit).impedance(f, self.params)

    def value(self, name: str) -> float:
        """A parameter by name, e.g. ``fit.value("R1.R")`` [SI]."""
        try:
            return float(self.params[self.param_names.index(name)])
        except ValueError:
            raise InputError(f"no parameter {name!r}; have {self.param_names}") from None

    def arc(self, label: str) -> dict[str, Any]:
        """The arc with ``label`` (``"bulk"``, ``"grain_boundary"``...)."""
        for a in self.arcs:
            if a["label"] == label:
                return a
        raise InputError(f"no arc {label!r}; arcs are {[a['label'] for a in self.arcs]}")

    def resistance(self, which: str = "total") -> tuple[float, float]:
        """A resistance and its standard error [ohm], correlations included.

        ``which`` is ``"total"`` (series resistors plus all arcs: far better determined than
        the split when the arcs overlap, because their resistances are anti-correlated), an
        arc label (``"bulk"``, ``"grain_boundary"``...) or a parameter name (``"R1.R"``).
        The standard error is nan where the fit does not determine a term.
        """
        names = list(self.param_names)
        if which == "total":
            circ = parse_circuit(self.circuit)
            idx = [el.offset for el in circ.series_elements() if el.kind.name == "R"]
            idx += [names.index(f"{a['resistor']}.R") for a in self.arcs]
        elif which in names:
            idx = [names.index(which)]
        else:
            labels = [a["label"] for a in self.arcs]
            if which not in labels:
                raise InputError(f"resistance must be 'total', an arc label {labels} or a "
                                 f"parameter name {names}, got {which!r}")
            idx = [names.index(f"{self.arc(which)['resistor']}.R")]
        R = float(np.sum(self.params[idx]))
        var = float(np.sum(self.covariance[np.ix_(idx, idx)]))
        return R, (math.sqrt(var) if np.isfinite(var) and var >= 0 else float("nan"))

    def conductivity(self, *, thickness_m: float, area_m2: float) -> dict[str, float]:
        """Bulk, total and brick-layer specific grain-boundary conductivity [S/m].

        ``sigma_bulk = L/(R_b A)``, ``sigma_total = L/((R_b + R_gb) A)`` and
        ``sigma_gb_sp = (L/A)(C_b/C_gb)/R_gb`` (PHYSICS §9.1); grain-boundary entries are
        present only when the fit has a second arc.
        """
        out: dict[str, float] = {}
        if not self.arcs:
            raise InputError(f"circuit {self.circuit!r} has no p(R,C|CPE) arc to take R_b from")
        b = self.arcs[0]
        out["sigma_bulk_S_per_m"] = float(conductivity_from_resistance(
            b["R_ohm"], thickness_m=thickness_m, area_m2=area_m2))
        if len(self.arcs) > 1:
            g = self.arcs[1]
            out["sigma_total_S_per_m"] = float(conductivity_from_resistance(
                b["R_ohm"] + g["R_ohm"], thickness_m=thickness_m, area_m2=area_m2))
            out["sigma_gb_specific_S_per_m"] = float(
                thickness_m / area_m2 * (b["C_eff_F"] / g["C_eff_F"]) / g["R_ohm"])
        else:
            out["sigma_total_S_per_m"] = out["sigma_bulk_S_per_m"]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (no data arrays)."""
        return {
            "circuit": self.circuit, "weighting": self.weighting,
            "parameters": {n: {"value": float(v), "stderr": float(s), "unit": u,
                               "ci_low": float(lo), "ci_high": float(hi)}
                           for n, v, s, u, lo, hi in zip(self.param_names, self.params,
                                                         self.stderr, self.param_units,
                                                         self.ci_low, self.ci_high, strict=True)},
            "confidence": self.confidence, "correlation": self.correlation.tolist(),
            "at_bound": list(self.at_bound),
            "cost": self.cost, "chi2_per_point": self.chi2_per_point, "aic": self.aic,
            "bic": self.bic, "n_points": self.n_points, "arcs": self.arcs,
            "resistance_total_ohm": self.resistance_total_ohm,
            "dc_resistance_ohm": self.dc_resistance_ohm, "n_starts": self.n_starts,
            "success": self.success, "message": self.message,
        }


# ------------------------------------------------------------------------------------ fitting
def _weights(Z: NDArray, weighting: str | ArrayLike) -> tuple[NDArray, NDArray]:
    if isinstance(weighting, str):
        if weighting == "modulus":
            w = 1.0 / np.abs(Z)
            return w, w
        if weighting == "unit":
            return np.ones(Z.size), np.ones(Z.size)
        if weighting == "proportional":
            floor = 1e-3 * np.abs(Z)
            return 1.0 / np.maximum(np.abs(Z.real), floor), 1.0 / np.maximum(np.abs(Z.imag),
                                                                            floor)
        raise InputError(f"weighting must be 'modulus', 'proportional', 'unit' or an array of "
                         f"standard deviations, got {weighting!r}")
    s = np.asarray(weighting, dtype=float)
    if s.shape != Z.shape or np.any(~(s > 0)):
        raise InputError(f"weighting as an array must be {Z.size} positive standard deviations "
                         "[ohm] of each of Re Z and Im Z")
    return 1.0 / s, 1.0 / s


class _Problem:
    def __init__(self, circ: Circuit, f: NDArray, Z: NDArray, wr: NDArray, wi: NDArray) -> None:
        self.circ, self.f, self.Z, self.wr, self.wi = circ, f, Z, wr, wi
        self.is_log = np.array([k == "log" for k in circ.param_kinds])
        lo, hi = _bounds(circ)
        self.lo = np.where(self.is_log, np.log(lo), lo)
        self.hi = np.where(self.is_log, np.log(hi), hi)

    def to_p(self, u: NDArray) -> NDArray:
        return np.where(self.is_log, np.exp(np.where(self.is_log, u, 0.0)), u)

    def to_u(self, p: NDArray) -> NDArray:
        return np.where(self.is_log, np.log(np.where(self.is_log, p, 1.0)), p)

    def resid(self, u: NDArray) -> NDArray:
        d = self.circ.impedance(self.f, self.to_p(u)) - self.Z
        return np.concatenate([d.real * self.wr, d.imag * self.wi])

    def jac(self, u: NDArray) -> NDArray:
        p = self.to_p(u)
        _, dZ = self.circ.impedance_and_jacobian(self.f, p)
        dZ = dZ * np.where(self.is_log, p, 1.0)[:, None]  # chain rule dp/du
        return np.concatenate([(dZ.real * self.wr).T, (dZ.imag * self.wi).T])

    def solve(self, u0: NDArray, max_nfev: int) -> optimize.OptimizeResult:
        u0 = np.clip(u0, self.lo + 1e-9 * (self.hi - self.lo), self.hi - 1e-9 * (self.hi - self.lo))
        return optimize.least_squares(self.resid, u0, jac=self.jac, bounds=(self.lo, self.hi),
                                      method="trf", x_scale="jac", xtol=1e-12, ftol=1e-12,
                                      gtol=1e-12, max_nfev=max_nfev)


def _canonical_order(circ: Circuit, p: NDArray) -> NDArray:
    """Swap interchangeable top-level arcs so that their time constants ascend."""
    root = circ.root
    if isinstance(root, Element) or root.op != "series":
        return p
    top_arcs = [a for a in circ.arcs() if any(
        not isinstance(c, Element) and c.op == "parallel" and a.resistor in c.children
        for c in root.children)]
    p = p.copy()
    for kind in ("C", "CPE", "Q"):
        group = [a for a in top_arcs if a.capacitor.kind.name == kind]
        if len(group) < 2:
            continue
        blocks = []
        for a in group:
            ncap = len(a.capacitor.kind.params)
            vals = (p[a.resistor.offset], p[a.capacitor.offset:a.capacitor.offset + ncap].copy())
            blocks.append((_tau(a.capacitor.kind.name, vals[0], vals[1]), vals))
        blocks.sort(key=lambda b: b[0])
        for a, (_, (R, cap)) in zip(group, blocks, strict=True):
            p[a.resistor.offset] = R
            p[a.capacitor.offset:a.capacitor.offset + cap.size] = cap
    return p


def _tau(kind: str, R: float, cap: NDArray) -> float:
    if kind == "C":
        return float(R * cap[0])
    return float(R * cpe_effective_capacitance(R, cap[0], min(cap[1], 1.0)))


def fit_circuit(data: EchemData | tuple[ArrayLike, ArrayLike], circuit: str, *,
                initial: ArrayLike | None = None, weighting: Weighting | ArrayLike = "modulus",
                n_starts: int = 8, rng: np.random.Generator | int | None = 0,
                confidence: float = 0.95, arc_labels: Sequence[str] = DEFAULT_ARC_LABELS,
                fmin_Hz: float | None = None, fmax_Hz: float | None = None,
                max_nfev: int = 2000, check: bool = True) -> EISFit:
    """Fit an equivalent circuit to an impedance spectrum.

    Parameters
    ----------
    data : EchemData or (frequency_Hz, Z)
        Spectrum: frequencies [Hz] and complex impedance [ohm] (Im Z negative for arcs).
    circuit : str
        Circuit string, e.g. ``"R0-p(R1,CPE1)-CPE2"`` (see :mod:`hylyte.echem.circuits`).
    initial : array_like, optional
        Starting parameters (SI). Default: :func:`initial_guess` from the spectrum.
    weighting : {"modulus", "proportional", "unit"} or array_like
        Residual weights: ``1/|Z|`` (default), ``1/|Z'|`` and ``1/|Z''|``, none, or the standard
        deviation [ohm] of each point (then the covariance is not rescaled).
    n_starts : int
        Number of starts: the initial guess plus ``n_starts - 1`` seeded random perturbations
        (a factor of about e in each log parameter, exponents in [0.6, 1]). Circuits with
        several arcs also get three structured starts per pair of arcs (their summed
        resistance split 1:9, 1:1 and 9:1, both with the larger arc's capacitor): two arcs of
        similar capacitance look like one, and the basins of their possible splits are rarely
        crossed by random perturbations.
    rng : Generator, int or None
        Seed of the restarts.
    confidence : float
        Level of the reported intervals [-].
    arc_labels : sequence of str
        Labels of the arcs by ascending time constant; further arcs are ``arc_3``...
    fmin_Hz, fmax_Hz : float, optional
        Fit only frequencies in this band [Hz].
    max_nfev : int
        Function evaluations per start.
    check : bool
        Raise :class:`~hylyte.errors.ConvergenceError` when no start converged.

    Returns
    -------
    EISFit
        Parameters with standard errors, intervals, correlation, chi^2, AIC/BIC and arcs.

    Notes
    -----
    Standard errors come from ``s^2 (J^T J)^-1`` in log-parameter space (``s^2`` the residual
    variance unless absolute standard deviations are given) mapped to linear space with
    ``dp = p du``.
    """
    circ = parse_circuit(circuit)
    f, Z = _as_spectrum(data)
    if fmin_Hz is not None or fmax_Hz is not None:
        keep = (f >= (fmin_Hz or 0.0)) & (f <= (fmax_Hz or np.inf))
        f, Z = f[keep], Z[keep]
    k = circ.n_params
    if 2 * f.size <= k:
        raise InputError(f"{f.size} frequencies give {2 * f.size} residuals, too few for "
                         f"{k} parameters of {circuit!r}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1), got {confidence!r}")
    if int(n_starts) < 1:
        raise InputError(f"n_starts must be >= 1, got {n_starts!r}")
    absolute = not isinstance(weighting, str)
    wr, wi = _weights(Z, weighting)
    prob = _Problem(circ, f, Z, wr, wi)
    rng = np.random.default_rng(rng)
    if initial is None:
        p0 = initial_guess(circ, f, Z)
    else:
        p0 = np.asarray(initial, dtype=float)
        if p0.shape != (k,) or np.any(~np.isfinite(p0)):
            raise InputError(f"initial must be {k} finite values ({', '.join(circ.param_names)})")
        if np.any(p0[prob.is_log] <= 0):
            raise InputError("initial values of R, C, L, Q, W and tau must be > 0")
    u0 = prob.to_u(p0)
    best = None
    starts = [u0] + [prob.to_u(q) for q in _arc_splits(circ, p0)] + [None] * (int(n_starts) - 1)
    for u in starts:
        if u is None:
            u = u0 + np.where(prob.is_log, rng.normal(0.0, 1.0, k), 0.0)
            u = np.where(prob.is_log, u, rng.uniform(0.6, 1.0, k))
        try:
            res = prob.solve(u, max_nfev)
        except (ValueError, FloatingPointError):
            continue
        if np.isfinite(res.cost) and (best is None or res.cost < best.cost):
            best = res
    if best is None or not np.isfinite(best.cost):
        if check:
            raise ConvergenceError(f"no start of the fit of {circuit!r} converged")
        raise ConvergenceError(f"fit of {circuit!r} failed")
    p = _canonical_order(circ, prob.to_p(best.x))
    if not np.allclose(p, prob.to_p(best.x)):
        best = prob.solve(prob.to_u(p), max_nfev)
        p = prob.to_p(best.x)
    return _build(circ, prob, best, p, f, Z, weighting, absolute, confidence, arc_labels,
                  int(n_starts))


def _arc_splits(circ: Circuit, p: NDArray) -> list[NDArray]:
    """Structured starts for circuits with several arcs.

    For each pair of arcs, their summed resistance is split 1:9, 1:1 and 9:1 between them,
    and both get the capacitor of the one with the larger resistance: two arcs of similar
    capacitance merge into one visible arc, from which the spectrum guess finds one apex only.
    """
    arcs = circ.arcs()
    out = []
    for i, j in itertools.combinations(range(len(arcs)), 2):
        ai, aj = arcs[i], arcs[j]
        ri, rj = p[ai.resistor.offset], p[aj.resistor.offset]
        big = ai if ri >= rj else aj
        if ai.capacitor.kind.name != aj.capacitor.kind.name:
            continue
        ncap = len(big.capacitor.kind.params)
        cap = p[big.capacitor.offset:big.capacitor.offset + ncap]
        for frac in (0.1, 0.5, 0.9):
            q = np.array(p, dtype=float)
            q[ai.resistor.offset] = frac * (ri + rj)
            q[aj.resistor.offset] = (1.0 - frac) * (ri + rj)
            q[ai.capacitor.offset:ai.capacitor.offset + ncap] = cap
            q[aj.capacitor.offset:aj.capacitor.offset + ncap] = cap
            out.append(q)
    return out


def _build(circ: Circuit, prob: _Problem, res: optimize.OptimizeResult, p: NDArray, f: NDArray,
           Z: NDArray, weighting: Any, absolute: bool, confidence: float,
           arc_labels: Sequence[str], n_starts: int) -> EISFit:
    k = circ.n_params
    n_obs = 2 * f.size
    rss = float(np.sum(res.fun ** 2))
    dof = max(n_obs - k, 1)
    J = np.asarray(res.jac)
    s2 = 1.0 if absolute else rss / dof
    u = prob.to_u(p)
    span = prob.hi - prob.lo
    at_bound = (np.abs(u - prob.lo) < 1e-6 * span) | (np.abs(u - prob.hi) < 1e-6 * span)
    norm = np.linalg.norm(J, axis=0)
    good = (norm > 1e-12 * max(float(norm.max()), 1e-300)) & ~at_bound
    cov_u = np.full((k, k), np.nan)
    if good.any():
        Js = J[:, good] / norm[good]
        try:
            inv = np.linalg.inv(Js.T @ Js)
        except np.linalg.LinAlgError:
            inv = np.linalg.pinv(Js.T @ Js, rcond=1e-14)
        cov_u[np.ix_(good, good)] = s2 * inv / np.outer(norm[good], norm[good])
    D = np.where(prob.is_log, p, 1.0)
    cov = cov_u * np.outer(D, D)
    se_u = np.sqrt(np.clip(np.diag(cov_u), 0, None))  # nan where not determined
    se = se_u * D
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov_u / np.outer(se_u, se_u)
    t = float(stats.t.ppf(0.5 + confidence / 2, dof))
    blo, bhi = _bounds(circ)
    with np.errstate(over="ignore", invalid="ignore"):
        lo = np.where(prob.is_log, np.exp(u - t * se_u), p - t * se_u)
        hi = np.where(prob.is_log, np.exp(u + t * se_u), p + t * se_u)
    undetermined = ~np.isfinite(se_u)
    lo = np.where(undetermined, blo, np.maximum(lo, blo))
    hi = np.where(undetermined, bhi, np.minimum(hi, bhi))
    rss_safe = max(rss, 1e-300)
    aic = n_obs * np.log(rss_safe / n_obs) + 2 * k
    bic = n_obs * np.log(rss_safe / n_obs) + k * np.log(n_obs)
    arcs = []
    for a in circ.arcs():
        R = float(p[a.resistor.offset])
        cap = p[a.capacitor.offset:a.capacitor.offset + len(a.capacitor.kind.params)]
        C = float(cap[0]) if a.capacitor.kind.name == "C" else float(
            cpe_effective_capacitance(R, cap[0], min(cap[1], 1.0)))
        se_R = float(se[a.resistor.offset])
        arcs.append({"resistor": a.resistor.label, "capacitor": a.capacitor.label,
                     "R_ohm": R, "R_stderr_ohm": se_R, "C_eff_F": C, "tau_s": R * C,
                     "omega0_rad_per_s": 1.0 / (R * C), "f0_Hz": 1.0 / (2 * np.pi * R * C),
                     "capacitance_class": capacitance_class(C)})
    arcs.sort(key=lambda a: a["tau_s"])
    for i, a in enumerate(arcs):
        a["label"] = arc_labels[i] if i < len(arc_labels) else f"arc_{i + 1}"
    r_series = sum(float(p[el.offset]) for el in circ.series_elements() if el.kind.name == "R")
    r_total = r_series + sum(a["R_ohm"] for a in arcs)
    return EISFit(
        circuit=circ.text, param_names=circ.param_names, param_units=circ.param_units,
        params=p, stderr=se, ci_low=lo, ci_high=hi, covariance=cov, correlation=corr,
        at_bound=tuple(bool(x) for x in at_bound),
        cost=0.5 * rss, chi2_per_point=rss / n_obs, aic=float(aic), bic=float(bic),
        n_points=int(f.size), weighting=weighting if isinstance(weighting, str) else "sigma",
        confidence=confidence, arcs=arcs, resistance_total_ohm=float(r_total),
        dc_resistance_ohm=circ.dc_resistance(p), n_starts=n_starts, success=bool(res.success),
        message=str(res.message), frequency_Hz=f, Z_ohm=Z)


def fit_series(spectra: Sequence[EchemData | tuple[ArrayLike, ArrayLike]], circuit: str, *,
               n_starts: int = 8, n_starts_neighbour: int = 2,
               rng: np.random.Generator | int | None = 0, **kwargs: Any) -> list[EISFit]:
    """Fit a series of spectra (e.g. a temperature series) with the same circuit.

    The first spectrum is fitted with ``n_starts`` starts; each next one is started from its
    neighbour's solution (plus its own spectrum guess and ``n_starts_neighbour - 1`` random
    restarts), and the better of the two is kept. Arcs keep their labels because they are
    ordered by time constant in every fit.

    Parameters
    ----------
    spectra : sequence of EchemData or (frequency_Hz, Z)
        Spectra in the order to walk (sorted by temperature is best).
    circuit : str
        Circuit string.
    n_starts, n_starts_neighbour : int
        Starts for the first spectrum and for each later one.
    rng : Generator, int or None
        Seed.
    **kwargs
        Passed to :func:`fit_circuit`.
    """
    if len(spectra) == 0:
        raise InputError("spectra is empty")
    rng = np.random.default_rng(rng)
    fits = [fit_circuit(spectra[0], circuit, n_starts=n_starts, rng=rng, **kwargs)]
    for spec in spectra[1:]:
        a = fit_circuit(spec, circuit, initial=fits[-1].params, n_starts=n_starts_neighbour,
                        rng=rng, **kwargs)
        b = fit_circuit(spec, circuit, n_starts=1, rng=rng, **kwargs)
        fits.append(a if a.cost <= b.cost else b)
    return fits


# ---------------------------------------------------------------------------------- workflows
def intercept_resistance(data: EchemData | tuple[ArrayLike, ArrayLike]) -> float:
    """Real-axis intercept at the minimum of ``-Z''`` between arc and spike [ohm].

    Used for blocking cells when the bulk arc lies above the measured band (hot polymers).
    The minimum is refined by a parabola through the three points around it.
    """
    f, Z = _as_spectrum(data)
    mz = -Z.imag
    i = int(np.argmin(mz))
    if 0 < i < mz.size - 1:
        x = np.log(f[i - 1:i + 2])
        c = np.polyfit(x, mz[i - 1:i + 2], 2)
        if c[0] > 0:
            xm = float(np.clip(-c[1] / (2 * c[0]), x.min(), x.max()))
            return float(np.interp(xm, x[::-1], Z.real[i - 1:i + 2][::-1]))
    return float(Z.real[i])


def analyse_blocking(data: EchemData | tuple[ArrayLike, ArrayLike], *, thickness_m: float,
                     area_m2: float, grain_boundary: bool = False,
                     **kwargs: Any) -> dict[str, Any]:
    """Blocking-electrode (SS|SE|SS) workflow of PHYSICS §9.1.

    Fits ``R0-p(R1,CPE1)-CPE2`` (or ``R0-p(R1,CPE1)-p(R2,CPE2)-CPE3`` with ``grain_boundary``)
    and returns the fit, the conductivities [S/m] and the intercept resistance [ohm].
    """
    circuit = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3" if grain_boundary else "R0-p(R1,CPE1)-CPE2"
    fit = fit_circuit(data, circuit, **kwargs)
    out: dict[str, Any] = {"fit": fit, **fit.conductivity(thickness_m=thickness_m,
                                                          area_m2=area_m2)}
    R_int = intercept_resistance(data)
    out["R_intercept_ohm"] = R_int
    out["sigma_intercept_S_per_m"] = float(conductivity_from_resistance(
        max(R_int, 1e-300), thickness_m=thickness_m, area_m2=area_m2))
    return out


def analyse_symmetric(data: EchemData | tuple[ArrayLike, ArrayLike], *,
                      circuit: str = "R0-p(R1,CPE1)-Ws1", thickness_m: float | None = None,
                      **kwargs: Any) -> dict[str, Any]:
    """Symmetric Li|SE|Li workflow of PHYSICS §9.1: ``R_b + sum(R_el || CPE) + Z_d``.

    The first series resistor is ``R_b``; arcs are electrode-interface resistances; the
    ``Ws`` element is the finite-length diffusion impedance with ``R_d`` and ``tau_d``. Returns
    ``t_plus = R_b/(R_b + R_d)`` (ideal binary electrolyte) and, with ``thickness_m``, the salt
    diffusivity ``D = L^2/(4 tau_d)`` [m^2/s].
    """
    fit = fit_circuit(data, circuit, arc_labels=("interface",), **kwargs)
    circ = parse_circuit(circuit)
    rs = [el for el in circ.series_elements() if el.kind.name == "R"]
    ws = [el for el in circ.elements if el.kind.name == "Ws"]
    if not rs or not ws:
        raise InputError(f"circuit {circuit!r} needs a series R (bulk) and a Ws element")
    Rb = float(fit.params[rs[0].offset])
    Rd = float(fit.params[ws[0].offset])
    tau = float(fit.params[ws[0].offset + 1])
    out: dict[str, Any] = {"fit": fit, "R_b_ohm": Rb, "R_d_ohm": Rd, "tau_d_s": tau,
                           "R_interface_ohm": float(sum(a["R_ohm"] for a in fit.arcs)),
                           "t_plus": Rb / (Rb + Rd)}
    if thickness_m is not None:
        out["D_m2_per_s"] = thickness_m ** 2 / (4.0 * tau)
    return out


__all__ = ["EISFit", "analyse_blocking", "analyse_symmetric", "capacitance_class",
           "conductivity_from_resistance", "cpe_effective_capacitance", "fit_circuit",
           "fit_series", "initial_guess", "intercept_resistance", "rcpe_apex"]
