"""Figures of evaluation results: each function takes data plus ``ax=None`` and returns the Axes.

Matplotlib is imported inside the functions (Agg backend when a figure must be created);
nothing here shows or saves a figure or changes global settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from hylyte.design.result import CompositeResult, Result, StackResult


def new_axes(figsize: tuple[float, float] = (5.2, 3.8), *, layout: str | None = "constrained"
             ) -> Axes:
    """A fresh Axes on a non-interactive (Agg) figure, not registered with pyplot."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout=layout)
    return fig.add_subplot()


def _ax(ax: Axes | None, figsize: tuple[float, float] = (5.2, 3.8), *,
        layout: str | None = "constrained") -> Axes:
    return new_axes(figsize, layout=layout) if ax is None else ax


def _arr(values: Sequence[float | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _inv_T(points: Sequence[Any]) -> np.ndarray:
    return 1000.0 / _arr([p.T_K for p in points])


def _degC_axis(ax: Axes) -> None:
    """A secondary x axis in degC on top of a 1000/T axis."""
    def fwd(x):
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore"):
            return np.where(x > 0, 1000.0 / np.where(x > 0, x, 1.0) - 273.15, np.nan)

    def inv(c):
        c = np.asarray(c, dtype=float)
        with np.errstate(divide="ignore"):
            return 1000.0 / (c + 273.15)

    sec = ax.secondary_xaxis("top", functions=(fwd, inv))
    sec.set_xlabel("T [°C]")


def plot_arrhenius(result: CompositeResult, *, ax: Axes | None = None,
                   bounds: bool = True, components: bool = True) -> Axes:
    """Arrhenius plot of a composite: the estimate, its components and the bounds.

    Parameters
    ----------
    result
        A composite result.
    ax
        Axes to draw on (a new one when None).
    bounds, components
        Draw the Hashin-Shtrikman band and Wiener bounds; draw matrix and filler lines.

    Returns
    -------
    Axes
    """
    ax = _ax(ax)
    pts = result.points
    x = _inv_T(pts)
    order = np.argsort(x)
    x = x[order]

    def col(name: str) -> np.ndarray:
        return _arr([getattr(p, name) for p in pts])[order]

    if bounds:
        lo, hi = col("hs_lower_S_per_cm"), col("hs_upper_S_per_cm")
        ok = (lo > 0) & (hi > 0)
        if ok.any():
            ax.fill_between(x[ok], lo[ok], hi[ok], color="0.85", label="HS bounds")
        wl, wu = col("wiener_lower_S_per_cm"), col("wiener_upper_S_per_cm")
        if (wu > 0).any():
            ax.plot(x, np.where(wu > 0, wu, np.nan), ":", color="0.5", label="Wiener bounds")
        if (wl > 0).any():
            ax.plot(x, np.where(wl > 0, wl, np.nan), ":", color="0.5")
    if components:
        sm = col("matrix_conductivity_S_per_cm")
        ax.plot(x, np.where(sm > 0, sm, np.nan), "--", color="tab:blue", label="matrix")
        sf = col("filler_conductivity_S_per_cm")
        if (sf > 0).any():
            ax.plot(x, np.where(sf > 0, sf, np.nan), "--", color="tab:red", label="filler")
    ax.plot(x, col("conductivity_S_per_cm"), "o-", color="k",
            label=f"composite ({result.model})")
    inplane = col("conductivity_in_plane_S_per_cm")
    if not np.allclose(inplane, col("conductivity_S_per_cm"), rtol=1e-9, equal_nan=True):
        ax.plot(x, inplane, "s-", color="tab:purple", mfc="none", label="composite, in-plane")
    vx = col("voxel_conductivity_S_per_cm")
    if np.isfinite(vx).any():
        ax.plot(x, vx, "D", color="tab:green", ms=7, label="voxel solve")
    ax.set_yscale("log")
    ax.set(xlabel="1000 / T [1/K]", ylabel="σ [S/cm]")
    _degC_axis(ax)
    ax.legend(fontsize="small")
    return ax


def plot_arrhenius_compare(results: Sequence[Result], *, ax: Axes | None = None) -> Axes:
    """Overlaid Arrhenius plot: composite conductivity, or stack ASR, for several designs.

    Composites are drawn as σ [S/cm]; when every result is a stack the y axis is the ASR
    [Ω cm²] instead.
    """
    ax = _ax(ax, (6.0, 4.2))
    stacks = all(r.kind == "stack" for r in results)
    for r in results:
        x = _inv_T(r.points)
        order = np.argsort(x)
        if r.kind == "stack":
            y = _arr([p.asr_ohm_cm2 for p in r.points])
            if not stacks:  # mixed: equivalent conductivity of the stack
                L_cm = sum(layer.thickness_um for layer in r.layers) * 1e-4
                y = L_cm / y
        else:
            y = _arr([p.conductivity_S_per_cm for p in r.points])
        ax.plot(x[order], y[order], "o-", label=r.name)
    ax.set_yscale("log")
    ax.set(xlabel="1000 / T [1/K]",
           ylabel="ASR [Ω cm²]" if stacks else "σ (stacks: L / ASR) [S/cm]")
    _degC_axis(ax)
    ax.legend(fontsize="x-small")
    return ax


def plot_pathways(result: CompositeResult, *, ax: Axes | None = None) -> Axes:
    """Fraction of the current carried by polymer, interphase and ceramic versus temperature."""
    ax = _ax(ax)
    pts = sorted(result.points, key=lambda p: p.T_K)
    T = _arr([p.T_degC for p in pts])
    names = (("fraction_polymer", "polymer", "tab:blue"),
             ("fraction_interphase", "interphase", "tab:orange"),
             ("fraction_ceramic", "ceramic", "tab:red"))
    for attr, label, color in names:
        y = _arr([getattr(p, attr) for p in pts])
        ax.plot(T, y, "o-", color=color, label=f"{label} (analytic)")
        yv = _arr([getattr(p, f"voxel_{attr}") for p in pts])
        if np.isfinite(yv).any():
            ax.plot(T, yv, "D", color=color, mfc="none", ms=8, label=f"{label} (voxel)")
    ax.set(xlabel="T [°C]", ylabel="current fraction [-]", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small")
    return ax


def plot_stack_breakdown(result: StackResult, *, ax: Axes | None = None) -> Axes:
    """Stacked bars of the ASR per layer and per interface at each temperature."""
    ax = _ax(ax, (6.0, 4.0))
    pts = sorted(result.points, key=lambda p: p.T_K)
    labels = [f"{p.T_degC:.0f} °C" for p in pts]
    xs = np.arange(len(pts))
    bottom = np.zeros(len(pts))
    parts = [(f"{layer.index}: {layer.name}", [p.layer_asr_ohm_cm2[i] for p in pts])
             for i, layer in enumerate(result.layers)]
    parts += [(f"interface {name}", [p.interface_asr_ohm_cm2[k] for p in pts])
              for k, name in enumerate(result.interfaces)]
    for label, vals in parts:
        v = _arr(vals)
        ax.bar(xs, v, bottom=bottom, label=label, width=0.6)
        bottom = bottom + v
    ax.set_yscale("log" if bottom.max() > 100 * max(bottom.min(), 1e-30) else "linear")
    ax.set_xticks(xs, labels)
    ax.set(ylabel="ASR [Ω cm²]", xlabel="temperature")
    ax.legend(fontsize="x-small")
    return ax


def plot_window(result: Result, *, ax: Axes | None = None) -> Axes:
    """Stability window of the electrolyte next to the electrode potentials (V vs Li/Li+)."""
    created = ax is None
    ax = _ax(ax, (7.5, 3.6), layout=None)
    if created:
        ax.figure.subplots_adjust(left=0.42, right=0.97, bottom=0.16, top=0.88)
    w = result.window
    if w is None:
        ax.text(0.5, 0.5, "no window data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    rows = list(w.checks)
    if not rows:
        lo = 0.0 if w.low_V is None else w.low_V
        hi = 5.0 if w.high_V is None else w.high_V
        ax.barh([0], [hi - lo], left=[lo], color="tab:green", alpha=0.5)
        ax.set_yticks([0], ["electrolyte"])
    for i, c in enumerate(rows):
        color = {"ok": "tab:green", "kinetic": "gold", "warning": "orange",
                 "error": "tab:red"}.get(c.status, "0.6")
        if c.limit_V is not None:
            if c.side == "anode":
                ax.barh([i], [6.0 - c.limit_V], left=[c.limit_V], color=color, alpha=0.6)
            else:
                ax.barh([i], [c.limit_V], left=[0.0], color=color, alpha=0.6)
        if c.electrode_potential_V is not None:
            ax.plot([c.electrode_potential_V], [i], "k|", ms=20, mew=2)
    if rows:
        ax.set_yticks(range(len(rows)),
                      [f"{_short(c.layer)} vs {c.electrode} ({c.status})" for c in rows],
                      fontsize="x-small")
    for v, name in ((w.anode_potential_V, w.anode), (w.cathode_potential_V, w.cathode)):
        if v is not None:
            ax.axvline(v, color="k", ls="--", lw=1)
            ax.text(v, 1.01, str(name), transform=ax.get_xaxis_transform(), ha="center",
                    fontsize="small")
    ax.set(xlabel="potential [V vs Li/Li⁺]", xlim=(-0.2, 5.5))
    return ax


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_microstructure(labels: np.ndarray, phases: Mapping[int, str], *,
                        voxel_size_um: float = 1.0, ax: Axes | None = None) -> Axes:
    """One 2D slice of a voxel volume, coloured by phase.

    Parameters
    ----------
    labels : ndarray of int, shape (n0, n1)
        Phase labels of the slice.
    phases
        Label -> phase name.
    voxel_size_um
        Voxel edge [µm], for the axis scale.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ax = _ax(ax, (4.2, 4.0))
    keys = sorted(int(k) for k in phases)
    palette = ["#4c72b0", "#dd8452", "#c44e52", "#55a868", "#8172b3", "#937860"]
    index = np.zeros(256, dtype=int)
    for i, k in enumerate(keys):
        index[k] = i
    img = index[np.asarray(labels, dtype=np.uint8)]
    cmap = ListedColormap(palette[:max(len(keys), 1)])
    n0, n1 = img.shape
    ax.imshow(img.T, origin="lower", cmap=cmap, vmin=-0.5, vmax=len(keys) - 0.5,
              interpolation="nearest", extent=(0, n0 * voxel_size_um, 0, n1 * voxel_size_um))
    ax.legend(handles=[Patch(color=palette[i % len(palette)], label=phases[k])
                       for i, k in enumerate(keys)], fontsize="x-small", loc="upper right")
    ax.set(xlabel="transport axis [µm]", ylabel="[µm]")
    return ax


def plot_current_map(current: np.ndarray, *, voxel_size_um: float = 1.0,
                     ax: Axes | None = None) -> Axes:
    """Magnitude of the current density on one slice (normalised to its mean).

    Parameters
    ----------
    current : ndarray, shape (n0, n1)
        Current density along the transport axis on a slice [any unit; normalised].
    """
    ax = _ax(ax, (4.6, 4.0))
    c = np.abs(np.asarray(current, dtype=float))
    mean = c.mean() if c.size and c.mean() > 0 else 1.0
    n0, n1 = c.shape
    im = ax.imshow((c / mean).T, origin="lower", cmap="inferno", interpolation="nearest",
                   extent=(0, n0 * voxel_size_um, 0, n1 * voxel_size_um))
    ax.figure.colorbar(im, ax=ax, label="|j| / ⟨|j|⟩ [-]")
    ax.set(xlabel="transport axis [µm]", ylabel="[µm]")
    return ax


__all__ = [
    "new_axes",
    "plot_arrhenius",
    "plot_arrhenius_compare",
    "plot_current_map",
    "plot_microstructure",
    "plot_pathways",
    "plot_stack_breakdown",
    "plot_window",
]
