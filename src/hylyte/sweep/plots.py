"""Sweep figures: objective scatter with the Pareto front, sensitivity bars, 2-axis maps.

Each function draws on the Axes given (creating one only if none is given) and returns it;
nothing is shown or saved here. matplotlib is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from hylyte.errors import InputError
from hylyte.sweep.sensitivity import SensitivityResult

__all__ = ["grid_map", "plot_map", "plot_pareto", "plot_sensitivity"]


def _ax(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def _label(column: str) -> str:
    """``asr_ohm_cm2`` -> ``asr [ohm cm2]`` for common unit suffixes."""
    for suffix, unit in (("_S_per_cm", "S/cm"), ("_ohm_cm2", "Ω cm²"), ("_g_per_m2", "g/m²"),
                         ("_vol_pct", "vol%"), ("_um", "µm"), ("_nm", "nm"), ("_K", "K"),
                         ("_degC", "°C"), ("_GPa", "GPa"), ("_V", "V")):
        if column.endswith(suffix):
            return f"{column[: -len(suffix)]} [{unit}]"
    return column


def plot_pareto(
    x: ArrayLike,
    y: ArrayLike,
    front: ArrayLike,
    *,
    xlabel: str = "",
    ylabel: str = "",
    logx: bool = False,
    logy: bool = False,
    ax: Any = None,
) -> Any:
    """Scatter of two objectives with the Pareto front highlighted and joined.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Objective values [column units].
    front : array_like of bool, shape (n,)
        Front membership (from :func:`hylyte.sweep.pareto.pareto_mask`).
    xlabel, ylabel
        Column names; units are spelled out from the column suffix.
    """
    ax = _ax(ax)
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    f = np.asarray(front, dtype=bool)
    if not (x.shape == y.shape == f.shape):
        raise InputError(f"x, y and front must have one shape, got {x.shape}, {y.shape}, "
                         f"{f.shape}")
    ax.scatter(x[~f], y[~f], s=8, color="0.7", label="designs")
    order = np.argsort(x[f])
    ax.plot(x[f][order], y[f][order], "o-", color="C3", ms=4, label="Pareto front")
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=_label(xlabel), ylabel=_label(ylabel))
    ax.legend(frameon=False)
    return ax


def plot_sensitivity(result: SensitivityResult, *, ax: Any = None) -> Any:
    """Horizontal bars: OAT swing, or Sobol S1 and ST with confidence intervals."""
    ax = _ax(ax)
    names = result.names
    pos = np.arange(len(names))
    if result.method == "sobol":
        ax.barh(pos - 0.2, result.indices["S1"], 0.4, xerr=result.indices["S1_conf"],
                label="first order S1")
        ax.barh(pos + 0.2, result.indices["ST"], 0.4, xerr=result.indices["ST_conf"],
                label="total ST")
        ax.set_xlabel(f"Sobol index of {result.output} [-]")
        ax.legend(frameon=False)
    else:
        ax.barh(pos, result.indices["swing"])
        ax.set_xlabel(f"swing of {_label(result.output)}")
    ax.set_yticks(pos, [_label(n) for n in names])
    return ax


def plot_map(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    *,
    xlabel: str = "",
    ylabel: str = "",
    zlabel: str = "",
    log: bool = True,
    logx: bool = False,
    logy: bool = False,
    ax: Any = None,
) -> Any:
    """Map of an output (e.g. conductivity) over two axes of a grid sweep.

    Parameters
    ----------
    x, y, z : array_like, shape (n,)
        Scattered grid points and the output [column units]; duplicates are averaged.
    log
        Colour by ``log10(z)``.
    logx, logy
        Logarithmic axes (for log-spaced sweep axes).
    """
    ax = _ax(ax)
    xs, ys, grid, _ = grid_map(x, y, z)
    with np.errstate(invalid="ignore", divide="ignore"):
        shown = np.log10(grid) if log else grid
    mesh = ax.pcolormesh(xs, ys, shown, shading="nearest")
    cb = ax.figure.colorbar(mesh, ax=ax)
    cb.set_label(f"log10 {_label(zlabel)}" if log else _label(zlabel))
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=_label(xlabel), ylabel=_label(ylabel))
    return ax


def grid_map(
    x: ArrayLike, y: ArrayLike, z: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Put scattered points of a grid sweep on their grid.

    Parameters
    ----------
    x, y, z : array_like, shape (n,)
        Axis values and the output [column units].

    Returns
    -------
    xs, ys : ndarray
        Sorted unique axis values.
    grid : ndarray, shape (len(ys), len(xs))
        Mean of ``z`` over the points of each cell (NaN where there are none).
    counts : ndarray of int, shape (len(ys), len(xs))
        Points per cell.
    """
    x, y, z = (np.asarray(a, dtype=float).ravel() for a in (x, y, z))
    if not (x.shape == y.shape == z.shape):
        raise InputError(f"x, y and z must have one shape, got {x.shape}, {y.shape}, {z.shape}")
    xs, ys = np.unique(x), np.unique(y)
    ix, iy = np.searchsorted(xs, x), np.searchsorted(ys, y)
    sums = np.zeros((len(ys), len(xs)))
    counts = np.zeros((len(ys), len(xs)), dtype=np.int64)
    np.add.at(sums, (iy, ix), z)
    np.add.at(counts, (iy, ix), 1)
    grid = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return xs, ys, grid, counts


def columns(table: Any, names: Sequence[str]) -> list[np.ndarray]:
    """Numeric columns of a ``pyarrow.Table`` as float arrays (nulls as NaN)."""
    out = []
    for n in names:
        if n not in table.column_names:
            raise InputError(f"no column {n!r}; columns: {table.column_names}")
        out.append(np.asarray(table.column(n).to_numpy(zero_copy_only=False), dtype=float))
    return out
