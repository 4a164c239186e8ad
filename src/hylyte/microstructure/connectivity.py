"""Face-connected (6-connected) clusters, spanning and percolating fractions.

The finite-volume solver couples voxels through faces, so face connectivity is the one that
decides whether a phase conducts across the box. 26-connectivity is offered for information.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

_STRUCT6 = ndimage.generate_binary_structure(3, 1)
_STRUCT26 = ndimage.generate_binary_structure(3, 3)


def label_clusters(mask: np.ndarray, *, periodic: tuple[bool, bool, bool] = (False, False, False),
                   connectivity: int = 6) -> tuple[np.ndarray, int]:
    """Label connected clusters of ``mask`` with optional periodic wrapping per axis.

    Parameters
    ----------
    mask : ndarray of bool, shape (nx, ny, nz)
        Voxels that belong to the phase (or set of phases).
    periodic : (bool, bool, bool)
        Whether clusters wrap across the box along x, y, z.
    connectivity : {6, 26}
        Face (6) or full (26) neighbourhood.

    Returns
    -------
    labels : ndarray of int32
        0 outside ``mask``, 1..n for clusters (consecutive).
    n : int
        Number of clusters.
    """
    struct = _STRUCT6 if connectivity == 6 else _STRUCT26
    lab, n = ndimage.label(mask, structure=struct)
    if n == 0 or not any(periodic):
        return lab.astype(np.int32, copy=False), int(n)
    parent = np.arange(n + 1)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for ax, per in enumerate(periodic):
        if not per:
            continue
        lo = np.take(lab, 0, axis=ax)
        hi = np.take(lab, -1, axis=ax)
        both = (lo > 0) & (hi > 0)
        for a, b in set(zip(lo[both].tolist(), hi[both].tolist(), strict=True)):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(i) for i in range(n + 1)])
    uniq, remap = np.unique(roots, return_inverse=True)
    out = remap[lab].astype(np.int32)
    return out, int(len(uniq) - 1)


def spanning_mask(mask: np.ndarray, axis: int, *,
                  periodic_sides: bool = False) -> np.ndarray:
    """Voxels of ``mask`` in clusters that touch both faces normal to ``axis``.

    These are the voxels that can carry current between electrodes on those faces
    (they include dead ends hanging off the spanning backbone).
    """
    per = [periodic_sides] * 3
    per[axis] = False
    lab, n = label_clusters(mask, periodic=tuple(per))  # type: ignore[arg-type]
    if n == 0:
        return np.zeros_like(mask, dtype=bool)
    lo = np.unique(np.take(lab, 0, axis=axis))
    hi = np.unique(np.take(lab, -1, axis=axis))
    span = np.intersect1d(lo[lo > 0], hi[hi > 0])
    if span.size == 0:
        return np.zeros_like(mask, dtype=bool)
    keep = np.zeros(n + 1, dtype=bool)
    keep[span] = True
    return keep[lab]


def wrapping_mask(mask: np.ndarray, axis: int) -> np.ndarray:
    """Voxels of ``mask`` in clusters that percolate periodically along ``axis``.

    A cluster percolates periodically when following it across the periodic boundary
    returns to itself shifted by one period. Detected by labelling two stacked copies of the
    box along ``axis``: a cluster wraps if it connects a voxel to its own image.
    """
    doubled = np.concatenate([mask, mask], axis=axis)
    per = [True, True, True]
    per[axis] = False
    lab, n = label_clusters(doubled, periodic=tuple(per))  # type: ignore[arg-type]
    if n == 0:
        return np.zeros_like(mask, dtype=bool)
    na = mask.shape[axis]
    first = np.take(lab, np.arange(na), axis=axis)
    second = np.take(lab, np.arange(na, 2 * na), axis=axis)
    wraps = (first > 0) & (first == second)
    return wraps


@dataclass(frozen=True, slots=True)
class PercolationReport:
    """Connectivity of one phase along one axis (face connectivity).

    Attributes
    ----------
    phase : str
        Phase name.
    axis : str
        ``"x"``, ``"y"`` or ``"z"``.
    volume_fraction : float
        Total volume fraction of the phase [-].
    spanning_fraction : float
        Volume fraction in clusters touching both faces normal to ``axis`` [-].
    isolated_fraction : float
        Volume fraction in clusters touching neither face [-].
    percolates : bool
        Whether any cluster spans the box along ``axis``.
    n_clusters : int
        Number of face-connected clusters.
    """

    phase: str
    axis: str
    volume_fraction: float
    spanning_fraction: float
    isolated_fraction: float
    percolates: bool
    n_clusters: int

    def to_dict(self) -> dict:
        """Plain dict for JSON."""
        return {f: getattr(self, f) for f in self.__slots__}


def percolation_report(mask: np.ndarray, axis: int, *, phase: str = "") -> PercolationReport:
    """Spanning, dead-end and isolated fractions of ``mask`` along ``axis``."""
    total = mask.size
    lab, n = label_clusters(mask)
    if n == 0:
        return PercolationReport(phase, "xyz"[axis], 0.0, 0.0, 0.0, False, 0)
    sizes = np.bincount(lab.ravel(), minlength=n + 1)
    lo = np.unique(np.take(lab, 0, axis=axis))
    hi = np.unique(np.take(lab, -1, axis=axis))
    lo, hi = lo[lo > 0], hi[hi > 0]
    span = np.intersect1d(lo, hi)
    touch = np.union1d(lo, hi)
    isolated = np.setdiff1d(np.arange(1, n + 1), touch)
    return PercolationReport(
        phase, "xyz"[axis], float(sizes[1:].sum() / total), float(sizes[span].sum() / total),
        float(sizes[isolated].sum() / total), bool(span.size), int(n))


def percolation_reports(mask: np.ndarray, *, phase: str = "",
                        axes: tuple[int, ...] = (0, 1, 2)) -> list[PercolationReport]:
    """:func:`percolation_report` along several axes, labelling the clusters only once."""
    total = mask.size
    lab, n = label_clusters(mask)
    out = []
    if n == 0:
        return [PercolationReport(phase, "xyz"[a], 0.0, 0.0, 0.0, False, 0) for a in axes]
    sizes = np.bincount(lab.ravel(), minlength=n + 1)
    vf = float(sizes[1:].sum() / total)
    for axis in axes:
        lo = np.unique(np.take(lab, 0, axis=axis))
        hi = np.unique(np.take(lab, -1, axis=axis))
        lo, hi = lo[lo > 0], hi[hi > 0]
        span = np.intersect1d(lo, hi)
        touch = np.union1d(lo, hi)
        isolated = np.setdiff1d(np.arange(1, n + 1), touch)
        out.append(PercolationReport(phase, "xyz"[axis], vf, float(sizes[span].sum() / total),
                                     float(sizes[isolated].sum() / total), bool(span.size),
                                     int(n)))
    return out
