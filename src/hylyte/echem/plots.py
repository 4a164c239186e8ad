"""Figures of measurement analyses; every function takes an Axes and returns it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from hylyte.echem.readers import EchemData

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from hylyte.echem.ccd import CCDResult
    from hylyte.echem.eis import EISFit
    from hylyte.echem.kk import LinKKResult
    from hylyte.echem.lsv import LSVOnset
    from hylyte.echem.temperature_fit import ArrheniusFit, VTFFit


def _spectrum(data: EchemData | tuple) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(data, EchemData):
        return data.frequency_Hz, data.impedance
    f, Z = data
    return np.asarray(f, dtype=float), np.asarray(Z, dtype=complex)


def nyquist(ax: Axes, data: EchemData | tuple | None = None, fit: EISFit | None = None, *,
            label: str = "data", **kwargs: Any) -> Axes:
    """Nyquist plot (``-Im Z`` against ``Re Z``, equal aspect) of data and/or a fit [ohm]."""
    if data is not None:
        _, Z = _spectrum(data)
        ax.plot(Z.real, -Z.imag, "o", ms=3, label=label, **kwargs)
    if fit is not None:
        fd = np.geomspace(fit.frequency_Hz.min(), fit.frequency_Hz.max(), 400)
        Zf = fit.predict(fd)
        ax.plot(Zf.real, -Zf.imag, "-", label=f"fit {fit.circuit}")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("Re Z [ohm]")
    ax.set_ylabel("-Im Z [ohm]")
    ax.legend(loc="best", fontsize="small")
    return ax


def bode(ax_mod: Axes, ax_phase: Axes | None = None, data: EchemData | tuple | None = None,
         fit: EISFit | None = None) -> Axes:
    """Bode plot: ``|Z|`` [ohm] on ``ax_mod`` and the phase [deg] on ``ax_phase``."""
    curves = []
    if data is not None:
        curves.append(("o", *_spectrum(data), "data"))
    if fit is not None:
        fd = np.geomspace(fit.frequency_Hz.min(), fit.frequency_Hz.max(), 400)
        curves.append(("-", fd, fit.predict(fd), "fit"))
    for style, f, Z, lab in curves:
        ax_mod.loglog(f, np.abs(Z), style, ms=3, label=lab)
        if ax_phase is not None:
            ax_phase.semilogx(f, -np.degrees(np.angle(Z)), style, ms=3, label=lab)
    ax_mod.set_xlabel("f [Hz]")
    ax_mod.set_ylabel("|Z| [ohm]")
    if ax_phase is not None:
        ax_phase.set_xlabel("f [Hz]")
        ax_phase.set_ylabel("-phase [deg]")
    return ax_mod


def kk_residuals(ax: Axes, result: LinKKResult) -> Axes:
    """lin-KK residuals [%] against frequency."""
    ax.semilogx(result.frequency_Hz, 100 * result.residual_real, "o-", ms=3, label="real")
    ax.semilogx(result.frequency_Hz, 100 * result.residual_imag, "s-", ms=3, label="imag")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel("f [Hz]")
    ax.set_ylabel("residual [%]")
    ax.set_title(f"lin-KK, M = {result.M}, mu = {result.mu:.2f}")
    ax.legend(fontsize="small")
    return ax


def arrhenius(ax: Axes, T_K: np.ndarray, sigma_S_per_m: np.ndarray,
              fit: ArrheniusFit | VTFFit | None = None, *, band: bool = True) -> Axes:
    """log10 sigma [S/cm] against 1000/T [1/K] with the fit and its prediction band."""
    T = np.asarray(T_K, dtype=float)
    s = np.asarray(sigma_S_per_m, dtype=float) / 100.0
    ax.semilogy(1000.0 / T, s, "o", label="data")
    if fit is not None:
        Tg = np.linspace(T.min(), T.max(), 200)
        ax.semilogy(1000.0 / Tg, fit.predict(Tg) / 100.0, "-", label=f"{fit.model} fit")
        if band and hasattr(fit, "band"):
            lo, hi = fit.band(Tg)
            ax.fill_between(1000.0 / Tg, lo / 100.0, hi / 100.0, alpha=0.2,
                            label="95 % prediction band")
    ax.set_xlabel("1000/T [1/K]")
    ax.set_ylabel("sigma [S/cm]")
    ax.legend(fontsize="small")
    return ax


def lsv(ax: Axes, voltage_V: np.ndarray, j_A_per_m2: np.ndarray,
        onsets: dict[str, LSVOnset] | None = None) -> Axes:
    """Current density [uA/cm^2] against potential [V] with onset markers."""
    ax.plot(voltage_V, np.asarray(j_A_per_m2) * 100.0, "-")
    for o in (onsets or {}).values():
        if o.V_threshold_V is not None:
            ax.axvline(o.V_threshold_V, ls="--", color="C1")
        if o.V_tangent_V is not None:
            ax.axvline(o.V_tangent_V, ls=":", color="C2")
    ax.set_xlabel("E [V]")
    ax.set_ylabel("j [uA/cm^2]")
    return ax


def ccd(ax: Axes, time_s: np.ndarray, voltage_V: np.ndarray, result: CCDResult | None = None
        ) -> Axes:
    """Voltage [V] against time [h] of a CCD test, with the verdict in the title."""
    ax.plot(np.asarray(time_s) / 3600.0, voltage_V, "-", lw=0.8)
    ax.set_xlabel("t [h]")
    ax.set_ylabel("V [V]")
    if result is not None and result.ccd_A_per_m2 is not None:
        ax.set_title(f"CCD = {result.ccd_A_per_m2 / 10:.3g} mA/cm^2")
    return ax


__all__ = ["arrhenius", "bode", "ccd", "kk_residuals", "lsv", "nyquist"]
