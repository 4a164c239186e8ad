"""Reference geometries with known effective properties (solver verification, teaching).

Every generator returns a :class:`VoxelVolume` in (x, y, z) order. Phase labels are given by
the caller's names; label 0 is always the first name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hylyte.errors import GeometryError
from hylyte.microstructure.volume import InterfaceProperties, VoxelVolume


def _check_n(name: str, n: int, minimum: int = 1) -> int:
    if int(n) != n or int(n) < minimum:
        raise GeometryError(f"{name} must be an integer >= {minimum}, got {n!r}")
    return int(n)


def layers(thicknesses: Sequence[int], labels: Sequence[int], *, normal: str = "x",
           cross_section: tuple[int, int] = (1, 1), voxel_size: float | tuple = 1.0,
           phases: dict[int, str] | None = None,
           interfaces: dict | None = None) -> VoxelVolume:
    """A laminate of planar layers stacked along ``normal``.

    Parameters
    ----------
    thicknesses : sequence of int
        Layer thicknesses [voxels].
    labels : sequence of int
        Phase label of each layer.
    normal : {"x", "y", "z"}
        Stacking direction.
    cross_section : (int, int)
        Voxels along the two other axes (in x, y, z order of the remaining axes).
    voxel_size : float or (float, float, float)
        Voxel edge(s) [m].
    phases : dict, optional
        Label -> name (default ``"phase<label>"``).
    interfaces : dict, optional
        ``{(a, b): InterfaceProperties}``.
    """
    if len(thicknesses) != len(labels) or not thicknesses:
        raise GeometryError(f"thicknesses {thicknesses!r} and labels {labels!r} must be "
                            "non-empty and of equal length")
    col = np.concatenate([np.full(_check_n("thickness", t), int(lab), dtype=np.uint8)
                          for t, lab in zip(thicknesses, labels, strict=True)])
    ax = "xyz".index(normal)
    shape = [0, 0, 0]
    others = [a for a in range(3) if a != ax]
    shape[ax] = col.size
    shape[others[0]], shape[others[1]] = (_check_n("cross_section", c) for c in cross_section)
    sl = [None, None, None]
    sl[ax] = slice(None)
    arr = np.broadcast_to(col[tuple(sl)], shape).copy()
    names = phases or {int(v): f"phase{int(v)}" for v in np.unique(col)}
    return VoxelVolume(arr, voxel_size, names, interfaces or {}, periodic=True,
                       metadata={"generator": "reference.layers", "normal": normal,
                                 "thicknesses": [int(t) for t in thicknesses]})


def checkerboard(n_squares: int, voxels_per_square: int, *, nz: int = 1,
                 voxel_size: float = 1.0, names: tuple[str, str] = ("a", "b")) -> VoxelVolume:
    """2D checkerboard in the x-y plane (thin along z), periodic.

    Parameters
    ----------
    n_squares : int
        Squares per side (even, so that the pattern is periodic).
    voxels_per_square : int
        Resolution [voxels per square edge].
    """
    n_squares = _check_n("n_squares", n_squares, 2)
    if n_squares % 2:
        raise GeometryError(f"n_squares must be even for a periodic checkerboard, got {n_squares}")
    m = _check_n("voxels_per_square", voxels_per_square)
    idx = np.arange(n_squares * m) // m
    board = ((idx[:, None] + idx[None, :]) % 2).astype(np.uint8)
    arr = np.repeat(board[:, :, None], _check_n("nz", nz), axis=2)
    return VoxelVolume(arr, voxel_size, {0: names[0], 1: names[1]}, periodic=True,
                       metadata={"generator": "reference.checkerboard",
                                 "voxels_per_square": m})


def sphere(n: int, radius: float, *, voxel_size: float = 1.0, coating: float = 0.0,
           names: Sequence[str] = ("matrix", "particle", "shell"),
           sheet_conductance_S: float = 0.0) -> VoxelVolume:
    """A single (optionally coated) sphere centred in a periodic cube.

    Parameters
    ----------
    n : int
        Cube edge [voxels].
    radius : float
        Core radius [voxels]; voxels whose centres lie within it are the particle (label 1).
    coating : float
        Shell thickness [voxels] (label 2 for ``radius < r <= radius + coating``).
    sheet_conductance_S : float
        Sheet conductance on the matrix/particle interface [S] (sub-voxel interphase).
    """
    n = _check_n("n", n, 2)
    if not (radius > 0) or radius + coating > n / 2:
        raise GeometryError(f"radius {radius!r} + coating {coating!r} must be > 0 and fit in "
                            f"half the cube edge {n / 2}")
    c = (np.arange(n) + 0.5) - n / 2
    r2 = c[:, None, None] ** 2 + c[None, :, None] ** 2 + c[None, None, :] ** 2
    arr = np.zeros((n, n, n), dtype=np.uint8)
    if coating > 0:
        arr[r2 <= (radius + coating) ** 2] = 2
    arr[r2 <= radius ** 2] = 1
    ph = {0: names[0], 1: names[1]}
    if coating > 0:
        ph[2] = names[2]
    ifs = {(0, 1): InterfaceProperties(0.0, sheet_conductance_S)} if sheet_conductance_S else {}
    return VoxelVolume(arr, voxel_size, ph, ifs, periodic=True,
                       metadata={"generator": "reference.sphere", "radius_voxels": radius,
                                 "coating_voxels": coating})


def channels(n: int, *, width: int, pitch: int, axis: str = "x", length: int | None = None,
             voxel_size: float = 1.0, names: tuple[str, str] = ("solid", "pore")) -> VoxelVolume:
    """Straight square channels (label 1) along ``axis`` in a solid (label 0).

    Parameters
    ----------
    n : int
        Cross-section edge [voxels] (a multiple of ``pitch``).
    width : int
        Channel width [voxels] (< pitch).
    pitch : int
        Channel spacing [voxels].
    length : int, optional
        Extent along ``axis`` [voxels] (default ``n``).
    """
    n = _check_n("n", n)
    width = _check_n("width", width)
    pitch = _check_n("pitch", pitch, 2)
    if width >= pitch or n % pitch:
        raise GeometryError(f"need width < pitch and n a multiple of pitch; got n={n}, "
                            f"width={width}, pitch={pitch}")
    length = n if length is None else _check_n("length", length)
    sec = ((np.arange(n) % pitch)[:, None] < width) & ((np.arange(n) % pitch)[None, :] < width)
    ax = "xyz".index(axis)
    arr3 = np.broadcast_to(sec[None, :, :], (length, n, n)).astype(np.uint8)
    arr = np.moveaxis(arr3, 0, ax).copy()
    return VoxelVolume(arr, voxel_size, {0: names[0], 1: names[1]}, periodic=True,
                       metadata={"generator": "reference.channels", "axis": axis})


__all__ = ["channels", "checkerboard", "layers", "sphere"]
