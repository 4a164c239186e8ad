"""Thin discs (platelets, nanosheets, clay or LLZO flakes) with orientation control.

A platelet is a flat cylinder of diameter ``diameter`` and thickness ``thickness`` whose
normal is isotropic (``normal_axis=None``), aligned with an axis (``spread=0``, e.g. flakes
lying in the film plane after casting: ``normal_axis="z"``), or Fisher-distributed about it.
The metadata give the order parameter of the normals, ``S = <P2(cos theta)>``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import numpy as np

from hylyte.errors import GeometryError
from hylyte.microstructure import _common as C
from hylyte.microstructure.volume import VoxelVolume


def _disc_objects(rng, box, axis, spread, radius, thickness, normals) -> Iterator[list]:
    while True:
        n = C.sample_directions(1, rng, axis=axis, spread=spread)[0]
        c = rng.uniform(0.0, 1.0, 3) * box
        normals.append(n)
        yield [C.disc_part(c, n, radius, thickness)]


def platelets(*, diameter: float, thickness: float, fraction: float,
              voxel_size: float | Sequence[float], shape: Sequence[int] | None = None,
              box_size: float | Sequence[float] | None = None,
              normal_axis: Literal["x", "y", "z"] | None = None, spread: float = 0.0,
              overlap: bool = True, periodic: bool = False,
              phases: Mapping[int, str] | None = None, max_attempts: int = 1_000_000,
              rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Flat disc-shaped platelets (label 1) in a matrix (label 0).

    Parameters
    ----------
    diameter : float
        Disc diameter [m].
    thickness : float
        Disc thickness [m]; at least one voxel (thinner sheets cannot be resolved).
    fraction : float
        Target platelet volume fraction, in (0, 1) [-].
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    normal_axis : {"x", "y", "z"} or None
        Axis the disc normals align with; None = isotropic.
    spread : float
        Angular spread of the normals about ``normal_axis`` [rad].
    overlap : bool
        Whether platelets may intersect.
    periodic : bool
        Platelets wrap across the box faces.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "filler"}``.
    max_attempts : int
        Bound on platelets tried.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume

    Raises
    ------
    GeometryError
        Thickness under one voxel, diameter larger than the box, bad fraction.
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    phi = C.check_fraction(fraction)
    t = C.check_length(thickness, field="thickness", voxel_size=vs, min_voxels=1.0)
    d = C.check_length(diameter, field="diameter", voxel_size=vs, min_voxels=2.0)
    if t > d:
        raise GeometryError(f"thickness = {t:.4g} m exceeds diameter = {d:.4g} m; "
                            "use fibres() for rods")
    ax = None if normal_axis is None else C.axis_index(normal_axis, field="normal_axis")
    if not (math.isfinite(spread) and 0.0 <= spread <= math.pi):
        raise GeometryError(f"spread must be an angle in [0, pi] rad, got {spread!r}")
    box = np.asarray(shp) * np.asarray(vs)
    if d > float(box.min()) and not periodic:
        raise GeometryError(f"diameter = {d:.4g} m exceeds the smallest box edge "
                            f"{float(box.min()):.4g} m with periodic=False")
    if d >= float(box.min()) and periodic:
        raise GeometryError(f"diameter = {d:.4g} m must be smaller than the box edge "
                            f"{float(box.min()):.4g} m")
    labels = np.zeros(shp, dtype=np.uint8)
    painter = C.Painter(labels, vs, periodic)
    normals: list[np.ndarray] = []
    st = painter.fill(_disc_objects(rng, box, ax, spread if ax is not None else None, 0.5 * d,
                                    t, normals),
                      round(phi * labels.size), allow_overlap=overlap,
                      max_attempts=int(max_attempts))
    dirs = np.asarray(normals).reshape(-1, 3)[np.asarray(st["kept"], dtype=np.int64)]
    ph = C.phase_table(phases, {0: "matrix", 1: "filler"})
    achieved = painter.count / labels.size
    ok = C.report_fraction("platelets", phi, achieved,
                           why=f"stopped after {st['attempts']} attempts, {st['placed']} placed")
    params = {"diameter_m": d, "thickness_m": t, "fraction": phi, "voxel_size_m": vs,
              "shape": shp, "normal_axis": None if ax is None else "xyz"[ax],
              "spread_rad": spread, "overlap": overlap, "periodic": periodic}
    md = C.metadata("platelets", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, n_platelets=st["placed"], attempts=st["attempts"],
                    rejected=st["rejected"], aspect_ratio=d / t,
                    S_expected=(C.fisher_order_parameter(spread) if ax is not None else 0.0),
                    **C.order_parameters(dirs, ax))
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)
