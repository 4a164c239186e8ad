"""Cylindrical fillers: nanowires, nanorods and nanofibres with orientation control.

Each fibre is a straight flat-ended cylinder with uniformly random centre. Orientation is
isotropic (``axis=None``), perfectly aligned (``axis`` given, ``spread=0``) or drawn from a
Fisher distribution about ``axis`` with concentration ``kappa = 1/spread^2``. The metadata
report the orientation order parameter ``S = <P2(cos theta)>`` of the fibres placed, about
``axis`` (``S_axis``) and about their own director (``S_director``, the largest eigenvalue of
the Q tensor), together with the expected value for the Fisher distribution
(``S_expected = 1 - 3 L(kappa)/kappa``, L the Langevin function).

Long fibres are painted in pieces no longer than a few diameters, each on its own bounding
box, so the cost is proportional to the fibre volume.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import numpy as np

from hylyte.errors import GeometryError
from hylyte.microstructure import _common as C
from hylyte.microstructure.volume import VoxelVolume


def _fibre_objects(rng, box, dirs_fn, radius, length, part, dirs_out) -> Iterator[list]:
    while True:
        d = dirs_fn(1)[0]
        c = rng.uniform(0.0, 1.0, 3) * box
        dirs_out.append(d)
        yield C.cylinder_parts(c, d, radius, length, part)


def paint_fibres(labels: np.ndarray, vs: tuple[float, float, float], *, diameter: float,
                 length: float, target_count: int, axis: int | None, spread: float | None,
                 planar: bool, periodic: bool, overlap: bool, rng: np.random.Generator,
                 max_attempts: int, label: int = 1) -> tuple[dict, np.ndarray]:
    """Paint fibres into ``labels`` until ``target_count`` voxels hold ``label``.

    Returns the painter statistics and the directions (n, 3) of the fibres kept.
    """
    box = np.asarray(labels.shape) * np.asarray(vs)
    painter = C.Painter(labels, vs, periodic, label=label)
    dirs: list[np.ndarray] = []

    def dirs_fn(n):
        return C.sample_directions(n, rng, axis=axis, spread=spread, planar=planar)

    part = max(4.0 * diameter, 8.0 * max(vs))
    part = min(part, 0.4 * float(box.min()))
    part = max(part, 2.0 * max(vs))
    st = painter.fill(_fibre_objects(rng, box, dirs_fn, 0.5 * diameter, length, part, dirs),
                      target_count, allow_overlap=overlap, max_attempts=max_attempts)
    dirs_arr = np.asarray(dirs).reshape(-1, 3)
    return st, dirs_arr[np.asarray(st["kept"], dtype=np.int64)]


def fibres(*, diameter: float, length: float, fraction: float,
           voxel_size: float | Sequence[float], shape: Sequence[int] | None = None,
           box_size: float | Sequence[float] | None = None,
           axis: Literal["x", "y", "z"] | None = None, spread: float = 0.0,
           overlap: bool = True, periodic: bool = False,
           phases: Mapping[int, str] | None = None, max_attempts: int = 1_000_000,
           rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Straight cylindrical fibres (label 1) in a matrix (label 0).

    Parameters
    ----------
    diameter : float
        Fibre diameter [m]; at least two voxels.
    length : float
        Fibre length [m].
    fraction : float
        Target fibre volume fraction, in (0, 1) [-].
    voxel_size, shape, box_size
        Grid [m], [-], [m] (give shape or box_size).
    axis : {"x", "y", "z"} or None
        Alignment axis; None draws isotropic orientations.
    spread : float
        Angular spread about ``axis`` [rad]; 0 = perfectly aligned.
    overlap : bool
        Whether fibres may intersect (a fibre touching placed fibres is rejected if False).
    periodic : bool
        Fibres wrap across the box faces.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "filler"}``.
    max_attempts : int
        Bound on fibres tried.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume
        Metadata include ``S_axis``, ``S_director``, ``S_expected`` and ``n_fibres``.

    Raises
    ------
    GeometryError
        Non-periodic fibres longer than the box (along ``axis``, or its smallest edge when
        isotropic), a diameter under two voxels, or a bad fraction.
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    phi = C.check_fraction(fraction)
    d = C.check_length(diameter, field="diameter", voxel_size=vs, min_voxels=2.0)
    L = C.check_length(length, field="length")
    ax = None if axis is None else C.axis_index(axis)
    if not (math.isfinite(spread) and 0.0 <= spread <= math.pi):
        raise GeometryError(f"spread must be an angle in [0, pi] rad, got {spread!r}")
    box = np.asarray(shp) * np.asarray(vs)
    edge = float(box[ax]) if ax is not None and spread == 0.0 else float(box.min())
    if edge < L and not periodic:
        raise GeometryError(
            f"length = {L:.4g} m is longer than the box ({edge:.4g} m) with periodic=False; "
            "enlarge the box, shorten the fibres or set periodic=True")
    if d > float(box.min()):
        raise GeometryError(f"diameter = {d:.4g} m exceeds the smallest box edge")
    labels = np.zeros(shp, dtype=np.uint8)
    target = round(phi * labels.size)
    st, dirs = paint_fibres(labels, vs, diameter=d, length=L, target_count=target, axis=ax,
                            spread=spread if ax is not None else None, planar=False,
                            periodic=periodic, overlap=overlap, rng=rng,
                            max_attempts=max_attempts)
    ph = C.phase_table(phases, {0: "matrix", 1: "filler"})
    achieved = float(np.count_nonzero(labels == 1) / labels.size)
    ok = C.report_fraction("fibres", phi, achieved,
                           why=f"stopped after {st['attempts']} attempts, {st['placed']} fibres")
    s = C.order_parameters(dirs, ax)
    params = {"diameter_m": d, "length_m": L, "fraction": phi, "voxel_size_m": vs,
              "shape": shp, "axis": None if ax is None else "xyz"[ax], "spread_rad": spread,
              "overlap": overlap, "periodic": periodic}
    md = C.metadata("fibres", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, n_fibres=st["placed"], attempts=st["attempts"],
                    rejected=st["rejected"], aspect_ratio=L / d,
                    S_expected=(C.fisher_order_parameter(spread) if ax is not None else 0.0),
                    **s)
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)
