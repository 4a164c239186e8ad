"""Kramers-Kronig validity (lin-KK) and the distribution of relaxation times (DRT).

lin-KK (Boukamp 1995, Schönleber et al. 2014) fits ``R_inf + sum_k R_k/(1 + j omega tau_k)``
(plus an optional series L and C) with fixed log-spaced ``tau_k``; the problem is linear in
``R_k``. Residuals relative to ``|Z|`` reveal drift and non-linearity. The number of RC
elements M is chosen automatically with the ``mu`` criterion.

DRT: ``Z = R_inf + integral gamma(ln tau)/(1 + j omega tau) d ln tau``, discretised with
Gaussian radial basis functions (as in DRTtools, Wan et al. 2015) and solved by
Tikhonov-regularised non-negative least squares, ``lambda`` fixed or chosen by GCV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from hylyte._provenance import cites
from hylyte.echem.eis import _as_spectrum
from hylyte.echem.readers import EchemData
from hylyte.errors import InputError


@dataclass(frozen=True)
class LinKKResult:
    """Result of :func:`lin_kk`.

    Attributes
    ----------
    M : int
        Number of RC elements used.
    mu : float
        Schönleber's over-fitting measure ``1 - sum|R_k<0| / sum|R_k>=0|`` [-].
    tau_s : ndarray
        Time constants [s].
    R_ohm : ndarray
        Resistances of the RC elements [ohm] (may be negative).
    R_inf_ohm, L_H, C_F : float
        Series resistance [ohm], inductance [H] (0 if not fitted), capacitance [F] (inf if not
        fitted).
    residual_real, residual_imag : ndarray
        ``(Z - Z_fit)/|Z|`` for the real and imaginary parts [-].
    max_abs_residual : float
        Largest absolute residual [-].
    valid : bool
        ``max_abs_residual <= tolerance``.
    """

    M: int
    mu: float
    tau_s: NDArray
    R_ohm: NDArray
    R_inf_ohm: float
    L_H: float
    C_F: float
    residual_real: NDArray
    residual_imag: NDArray
    max_abs_residual: float
    tolerance: float
    valid: bool
    frequency_Hz: NDArray = field(repr=False)
    Z_fit_ohm: NDArray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary."""
        return {"M": self.M, "mu": self.mu, "R_inf_ohm": self.R_inf_ohm, "L_H": self.L_H,
                "C_F": self.C_F, "max_abs_residual": self.max_abs_residual,
                "tolerance": self.tolerance, "valid": self.valid}


def _linkk_solve(f: NDArray, Z: NDArray, M: int, inductance: bool, capacitance: bool
                 ) -> tuple[NDArray, NDArray, NDArray]:
    w = 2 * np.pi * f
    if M == 1:
        tau = np.array([1.0 / np.sqrt(w.max() * w.min())])
    else:
        tau = np.geomspace(1.0 / w.max(), 1.0 / w.min(), M)
    basis = 1.0 / (1.0 + 1j * np.outer(w, tau))
    cols = [np.ones_like(w) + 0j, basis]
    if inductance:
        cols.append((1j * w)[:, None])
    if capacitance:
        cols.append((1.0 / (1j * w))[:, None])
    A = np.column_stack([c if c.ndim == 2 else c[:, None] for c in cols])
    wt = 1.0 / np.abs(Z)
    Aw = np.vstack([A.real * wt[:, None], A.imag * wt[:, None]])
    bw = np.concatenate([Z.real * wt, Z.imag * wt])
    scale = np.linalg.norm(Aw, axis=0)
    scale[scale == 0] = 1.0
    x = np.linalg.lstsq(Aw / scale, bw, rcond=None)[0] / scale
    return tau, x, A @ x


@cites("Boukamp1995", "Schonleber2014")
def lin_kk(data: EchemData | tuple[ArrayLike, ArrayLike], *, M: int | None = None,
           c: float = 0.85, max_per_decade: float = 6.0, inductance: bool = False,
           capacitance: bool = False, tolerance: float = 0.01) -> LinKKResult:
    """Linear Kramers-Kronig test of an impedance spectrum.

    Parameters
    ----------
    data : EchemData or (frequency_Hz, Z)
        Spectrum [Hz], [ohm].
    M : int, optional
        Number of RC elements; automatic when omitted: of all M from 1 up to
        ``max_per_decade`` per decade, the best-fitting one (smallest pseudo chi^2) that is not
        yet over-fitted by Schönleber's criterion ``mu >= c``.
    c : float
        Threshold of the ``mu`` criterion [-].
    max_per_decade : float
        Cap on M per decade.
    inductance, capacitance : bool
        Add a series inductance / capacitance (blocking electrodes need the capacitance).
    tolerance : float
        Largest absolute relative residual for ``valid`` [-] (about 1 % or the noise).

    Returns
    -------
    LinKKResult
        Fitted elements, residuals and the verdict.
    """
    f, Z = _as_spectrum(data)
    if not 0 < c <= 1:
        raise InputError(f"c must be in (0, 1], got {c!r}")
    decades = float(np.log10(f.max() / f.min()))
    m_max = max(2, int(np.ceil(max_per_decade * max(decades, 1.0))))
    if M is not None:
        if not (isinstance(M, int | np.integer) and M >= 1):
            raise InputError(f"M must be a positive integer, got {M!r}")
        Ms = [int(M)]
    else:
        Ms = list(range(1, m_max + 1))
    mod = np.abs(Z)
    cands = []
    for m in Ms:
        tau, x, Zfit = _linkk_solve(f, Z, m, inductance, capacitance)
        Rk = x[1:1 + m].real
        pos = np.sum(np.abs(Rk[Rk >= 0]))
        neg = np.sum(np.abs(Rk[Rk < 0]))
        mu = float(1.0 - neg / pos) if pos > 0 else 0.0
        chi2 = float(np.sum(np.abs(Z - Zfit) ** 2 / mod ** 2))
        cands.append((mu >= c or M is not None, chi2, m, mu, tau, x, Zfit))
    ok = [cd for cd in cands if cd[0]] or cands[:1]
    _, _, m, mu, tau, x, Zfit = min(ok, key=lambda cd: cd[1])
    Rk = x[1:1 + m].real
    mod = np.abs(Z)
    rr = (Z.real - Zfit.real) / mod
    ri = (Z.imag - Zfit.imag) / mod
    mx = float(max(np.max(np.abs(rr)), np.max(np.abs(ri))))
    i = 1 + m
    L = float(x[i].real) if inductance else 0.0
    i += int(inductance)
    C = float(1.0 / x[i].real) if capacitance and x[i].real != 0 else np.inf
    return LinKKResult(M=m, mu=mu, tau_s=tau, R_ohm=Rk, R_inf_ohm=float(x[0].real), L_H=L,
                       C_F=C, residual_real=rr, residual_imag=ri, max_abs_residual=mx,
                       tolerance=tolerance, valid=mx <= tolerance, frequency_Hz=f,
                       Z_fit_ohm=Zfit)


# ------------------------------------------------------------------------------------- DRT
@dataclass(frozen=True)
class DRTResult:
    """Result of :func:`drt`.

    Attributes
    ----------
    tau_s : ndarray
        Fine grid of time constants [s] on which ``gamma_ohm`` is given.
    gamma_ohm : ndarray
        Distribution gamma(ln tau) [ohm].
    R_inf_ohm : float
        Series resistance [ohm].
    R_pol_ohm : float
        Integral of gamma over ln tau [ohm].
    peaks : list of dict
        Peaks with ``tau_s`` and their area ``R_ohm`` (between neighbouring minima).
    lam : float
        Regularisation parameter used.
    """

    tau_s: NDArray
    gamma_ohm: NDArray
    R_inf_ohm: float
    R_pol_ohm: float
    peaks: list[dict[str, float]]
    lam: float
    Z_fit_ohm: NDArray = field(repr=False)


def _drt_matrix(w: NDArray, y_c: NDArray, eps: float) -> NDArray:
    x = np.linspace(-6.0 / eps, 6.0 / eps, 241)
    phi = np.exp(-(eps * x) ** 2)
    y = y_c[None, :, None] + x[None, None, :]
    wt = w[:, None, None] * np.exp(y)
    kern = (1.0 - 1j * wt) / (1.0 + wt ** 2)
    return np.trapezoid(kern * phi, x, axis=-1)


@cites("Wan2015")
def drt(data: EchemData | tuple[ArrayLike, ArrayLike], *, lam: float | str = "gcv",
        per_decade: int = 10, extend_decades: float = 1.0) -> DRTResult:
    """Distribution of relaxation times by Tikhonov-regularised NNLS with Gaussian RBFs.

    Parameters
    ----------
    data : EchemData or (frequency_Hz, Z)
        Spectrum [Hz], [ohm] without a low-frequency blocking spike.
    lam : float or "gcv"
        Regularisation parameter (on the weighted, normalised problem), or ``"gcv"`` to pick
        it by generalised cross-validation of the ridge problem on a log grid.
    per_decade : int
        RBF centres per decade of tau.
    extend_decades : float
        Decades added on both sides of ``[1/omega_max, 1/omega_min]``.
    """
    f, Z = _as_spectrum(data)
    w = 2 * np.pi * f
    lo = np.log(1.0 / w.max()) - extend_decades * np.log(10)
    hi = np.log(1.0 / w.min()) + extend_decades * np.log(10)
    m = max(int(np.ceil((hi - lo) / np.log(10) * per_decade)), 5)
    y_c = np.linspace(lo, hi, m)
    dy = y_c[1] - y_c[0]
    eps = 2.0 * np.sqrt(np.log(2.0)) / (2.0 * dy)
    B = _drt_matrix(w, y_c, eps)
    A = np.column_stack([np.ones(w.size) + 0j, B])
    wt = 1.0 / np.abs(Z)
    Aw = np.vstack([A.real * wt[:, None], A.imag * wt[:, None]])
    bw = np.concatenate([Z.real * wt, Z.imag * wt])
    n = Aw.shape[1]
    reg = np.eye(n)
    reg[0, 0] = 0.0
    if isinstance(lam, str):
        if lam != "gcv":
            raise InputError(f"lam must be a positive number or 'gcv', got {lam!r}")
        best = (np.inf, 1e-3)
        # GCV of the ridge problem from one SVD (R_inf penalised too, for the choice only)
        U, sv, _ = np.linalg.svd(Aw, full_matrices=False)
        beta = U.T @ bw
        r_out = float(bw @ bw - beta @ beta)
        for lt in np.logspace(-7, 0, 43):
            filt = sv ** 2 / (sv ** 2 + lt)
            r2 = float(np.sum(((1 - filt) * beta) ** 2)) + max(r_out, 0.0)
            g = bw.size * r2 / (bw.size - float(np.sum(filt))) ** 2
            if g < best[0]:
                best = (g, lt)
        lam_v = best[1]
    else:
        lam_v = float(lam)
        if not lam_v > 0:
            raise InputError(f"lam must be > 0, got {lam!r}")
    big = np.vstack([Aw, np.sqrt(lam_v) * reg])
    rhs = np.concatenate([bw, np.zeros(n)])
    x, _ = optimize.nnls(big, rhs, maxiter=50 * n)
    yf = np.linspace(lo, hi, 20 * m)
    gamma = np.exp(-(eps * (yf[:, None] - y_c[None, :])) ** 2) @ x[1:]
    area = float(np.sum(x[1:]) * np.sqrt(np.pi) / eps)
    peaks = []
    from scipy.signal import find_peaks

    idx, _ = find_peaks(np.concatenate([[0.0], gamma, [0.0]]),
                        prominence=0.02 * max(gamma.max(), 1e-300))
    idx = idx - 1
    for k, i in enumerate(idx):
        left = 0 if k == 0 else int(idx[k - 1] + np.argmin(gamma[idx[k - 1]:i + 1]))
        right = yf.size - 1 if k == idx.size - 1 else int(i + np.argmin(gamma[i:idx[k + 1] + 1]))
        peaks.append({"tau_s": float(np.exp(yf[i])),
                      "R_ohm": float(np.trapezoid(gamma[left:right + 1], yf[left:right + 1]))})
    return DRTResult(tau_s=np.exp(yf), gamma_ohm=gamma, R_inf_ohm=float(x[0]), R_pol_ohm=area,
                     peaks=peaks, lam=lam_v, Z_fit_ohm=A @ x)


__all__ = ["DRTResult", "LinKKResult", "drt", "lin_kk"]
