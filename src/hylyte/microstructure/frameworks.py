"""Continuous 3D frameworks: TPMS, spinodal/bicontinuous, nanofibre networks, lamellar walls.

Level-set structures (PHYSICS.md section 3.5) are evaluated in float32 one x-slab at a time
and thresholded at the quantile of the field that gives the target solid fraction, so the
achieved fraction equals the target up to one voxel (ties aside).

* TPMS, ``k = 2 pi / a``: gyroid ``sin kx cos ky + sin ky cos kz + sin kz cos kx``; Schwarz
  diamond ``cos kx cos ky cos kz - sin kx sin ky sin kz``; Schwarz primitive
  ``cos kx + cos ky + cos kz``. Skeletal: solid where ``f <= c``; sheet: ``|f| <= c``.
  At ``c = 0`` the skeletal fraction is 1/2 because ``f -> -f`` under a half-period shift.
* Spinodal (Cahn): ``f = sum_n cos(k q_n . x + gamma_n)`` over N >= 100 random unit vectors
  and phases, evaluated exactly as a rank-N separable sum (complex matrix products per slab).
  With ``periodic=True`` each wave vector is snapped to the box's reciprocal lattice.
  ``method="grf"`` filters white noise to a shell ``|k| ~ k0`` by FFT instead (periodic).
* Bicontinuous: a Gaussian random field (white noise, Gaussian low-pass filter of correlation
  length l) thresholded at the target fraction (always periodic).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from hylyte.errors import GeometryError, ValidityWarning
from hylyte.microstructure import _common as C
from hylyte.microstructure.volume import VoxelVolume

TPMS_KINDS = ("gyroid", "diamond", "primitive")
#: surface area of the c = 0 level set per unit cell, in units of a^2 (used to estimate the
#: wall thickness of sheet TPMS: t ~ phi a / A)
_TPMS_AREA = {"gyroid": 3.0917, "diamond": 3.8377, "primitive": 2.3451}


def _threshold(field: np.ndarray, fraction: float) -> float:
    """Level c whose count ``(field <= c)`` is closest to ``fraction * size``.

    The k-th smallest value (``k = round(fraction * size)``), or the next smaller distinct
    value when ties (symmetric grids) would overshoot by more. Found without copying the
    field: a histogram locates the bin holding the k-th value, and only that bin's values
    are gathered and partitioned (slab by slab, so temporaries stay small).
    """
    n = field.size
    k = max(1, min(n, round(fraction * n)))
    slabs = [field[i:i + 16] for i in range(0, field.shape[0], 16)]
    lo = float(min(s.min() for s in slabs))
    hi = float(max(s.max() for s in slabs))
    if hi <= lo:
        return hi
    edges = np.linspace(lo, hi, 4097)
    counts = np.zeros(4096, dtype=np.int64)
    for s in slabs:
        counts += np.histogram(s, bins=edges)[0]
    b = int(np.searchsorted(np.cumsum(counts), k))
    e0, e1 = field.dtype.type(edges[b]), field.dtype.type(edges[min(b + 1, 4096)])
    below = sum(int(np.count_nonzero(s < e0)) for s in slabs)
    if below >= k:  # rounding put the k-th value under the bin edge: widen downwards
        e0 = field.dtype.type(lo)
        below = 0
    inbin = np.concatenate([s[(s >= e0) & (s <= e1)] for s in slabs])
    while below + inbin.size < k:  # rounding at the upper edge: widen upwards
        e1 = field.dtype.type(hi)
        inbin = np.concatenate([s[(s >= e0) & (s <= e1)] for s in slabs])
    inbin.sort()
    c1 = inbin[k - below - 1]
    n1 = below + int(np.searchsorted(inbin, c1, side="right"))
    lower = inbin[inbin < c1]
    if lower.size:
        c0 = lower[-1]
    else:
        rest = [s[s < e0] for s in slabs]
        rest = [r for r in rest if r.size]
        c0 = max(r.max() for r in rest) if rest else None
    if c0 is not None:
        n0 = sum(int(np.count_nonzero(s <= c0)) for s in slabs)
        if abs(n0 - k) < abs(n1 - k):
            return float(c0)
    return float(c1)


def _snap_cells(box: np.ndarray, a: float, periodic: bool) -> tuple[np.ndarray, bool]:
    """Cell size per axis [m]; periodic boxes hold a whole number of cells."""
    cells = np.full(3, a)
    if not periodic:
        return cells, False
    m = np.maximum(1, np.round(box / a))
    snapped = box / m
    return snapped, bool(np.any(np.abs(snapped - a) > 1e-9 * a))


def _tpms_field(kind: str, shp, vs, cells) -> np.ndarray:
    f = np.empty(shp, dtype=np.float32)
    ax = [((np.arange(n) + 0.5) * h * (2 * np.pi / a)) for n, h, a in zip(shp, vs, cells,
                                                                         strict=True)]
    s = [np.sin(v).astype(np.float32) for v in ax]
    c = [np.cos(v).astype(np.float32) for v in ax]
    if kind == "gyroid":
        cy, szc = c[1][:, None], s[2][None, :]
        syz = s[1][:, None] * c[2][None, :]
        for i in range(shp[0]):
            f[i] = s[0][i] * cy + syz + c[0][i] * szc
    elif kind == "diamond":
        cyz = c[1][:, None] * c[2][None, :]
        syz = s[1][:, None] * s[2][None, :]
        for i in range(shp[0]):
            f[i] = c[0][i] * cyz - s[0][i] * syz
    else:
        cyz = c[1][:, None] + c[2][None, :]
        for i in range(shp[0]):
            f[i] = c[0][i] + cyz
    return f


def tpms(*, kind: Literal["gyroid", "diamond", "primitive"] = "gyroid",
         variant: Literal["skeletal", "sheet"] = "skeletal", cell_size: float,
         voxel_size: float | Sequence[float], shape: Sequence[int] | None = None,
         box_size: float | Sequence[float] | None = None, fraction: float | None = None,
         level: float | None = None, periodic: bool = False,
         phases: Mapping[int, str] | None = None) -> VoxelVolume:
    """Triply periodic minimal-surface framework (label 1 = solid) in a matrix (label 0).

    Parameters
    ----------
    kind : {"gyroid", "diamond", "primitive"}
        Level-set family (PHYSICS.md 3.5).
    variant : {"skeletal", "sheet"}
        Solid where ``f <= c`` (skeletal) or ``|f| <= c`` (sheet).
    cell_size : float
        Unit-cell edge ``a`` [m]; at least 4 voxels.
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    fraction : float, optional
        Target solid fraction in (0, 1) [-]; the level ``c`` is the matching quantile of f.
    level : float, optional
        Level ``c`` given directly (instead of ``fraction``) [-].
    periodic : bool
        Snap the cell size so a whole number of cells fits each edge (warns when changed).
    phases : mapping, optional
        Default ``{0: "matrix", 1: "framework"}``.

    Returns
    -------
    VoxelVolume
        Metadata hold the level used and the cell size per axis.

    Raises
    ------
    GeometryError
        Unknown kind/variant, cell under 4 voxels, both or neither of fraction and level, or a
        sheet thinner than one voxel.
    """
    if kind not in TPMS_KINDS:
        raise GeometryError(f"kind must be one of {list(TPMS_KINDS)}, got {kind!r}")
    if variant not in ("skeletal", "sheet"):
        raise GeometryError(f"variant must be 'skeletal' or 'sheet', got {variant!r}")
    shp, vs = C.grid(voxel_size, shape, box_size)
    a = C.check_length(cell_size, field="cell_size", voxel_size=vs, min_voxels=4.0)
    if (fraction is None) == (level is None):
        raise GeometryError("give exactly one of fraction (target solid fraction) and level")
    phi = C.check_fraction(fraction) if fraction is not None else None
    if level is not None and not math.isfinite(float(level)):
        raise GeometryError(f"level must be a finite number, got {level!r}")
    if variant == "sheet" and phi is not None:
        t_est = phi * a / _TPMS_AREA[kind]
        if t_est < max(vs):
            raise GeometryError(
                f"sheet {kind} at fraction = {phi:.3g} with cell_size = {a:.3g} m has walls "
                f"about {t_est:.3g} m thick, thinner than a voxel ({max(vs):.3g} m); "
                "raise fraction or cell_size, or refine voxel_size")
    box = np.asarray(shp) * np.asarray(vs)
    cells, changed = _snap_cells(box, a, periodic)
    if changed:
        warnings.warn(f"tpms: cell_size {a:.4g} m adjusted to {cells.tolist()} m so that whole "
                      "cells fit the periodic box", ValidityWarning, stacklevel=2)
    f = _tpms_field(kind, shp, vs, cells)
    if variant == "sheet":
        np.abs(f, out=f)
    c = _threshold(f, phi) if phi is not None else float(level)
    labels = (f <= np.float32(c)).view(np.uint8)
    del f
    ph = C.phase_table(phases, {0: "matrix", 1: "framework"})
    achieved = float(np.count_nonzero(labels) / labels.size)
    ok = C.report_fraction("tpms", phi, achieved) if phi is not None else True
    params = {"kind": kind, "variant": variant, "cell_size_m": a, "voxel_size_m": vs,
              "shape": shp, "fraction": phi, "level": level, "periodic": periodic}
    md = C.metadata("tpms", params, None, phi, C.fractions_by_name(labels, ph), target_met=ok,
                    level_used=c, cell_size_per_axis_m=cells.tolist())
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)


def _wave_sum(shp, vs, kvecs: np.ndarray, gammas: np.ndarray, block: int = 8) -> np.ndarray:
    """``sum_n cos(k_n . x + gamma_n)`` on voxel centres as float32, by slabs of x."""
    xs = [((np.arange(n) + 0.5) * h) for n, h in zip(shp, vs, strict=True)]
    ex = np.exp(1j * (np.outer(kvecs[:, 0], xs[0]) + gammas[:, None])).astype(np.complex64)
    ey = np.exp(1j * np.outer(kvecs[:, 1], xs[1])).astype(np.complex64)  # (N, ny)
    ez = np.exp(1j * np.outer(kvecs[:, 2], xs[2])).astype(np.complex64)  # (N, nz)
    f = np.empty(shp, dtype=np.float32)
    eyT = ey.T  # (ny, N)
    for i0 in range(0, shp[0], block):
        i1 = min(i0 + block, shp[0])
        a = eyT[None, :, :] * ex[:, i0:i1].T[:, None, :]  # (b, ny, N)
        prod = a.reshape(-1, a.shape[-1]) @ ez  # (b*ny, nz)
        f[i0:i1] = prod.real.reshape(i1 - i0, shp[1], shp[2])
    return f


def _fft_field(shp, vs, filt, rng: np.random.Generator) -> np.ndarray:
    """White noise filtered in Fourier space by ``filt(|k|)`` (float32, periodic)."""
    import scipy.fft

    noise = rng.standard_normal(shp, dtype=np.float32)
    spec = scipy.fft.rfftn(noise, workers=1)
    del noise
    kx = (2 * np.pi * np.fft.fftfreq(shp[0], vs[0])).astype(np.float32)
    ky = (2 * np.pi * np.fft.fftfreq(shp[1], vs[1])).astype(np.float32)
    kz = (2 * np.pi * np.fft.rfftfreq(shp[2], vs[2])).astype(np.float32)
    kyz2 = ky[:, None] ** 2 + kz[None, :] ** 2
    for i in range(shp[0]):
        spec[i] *= filt(np.sqrt(kx[i] ** 2 + kyz2)).astype(np.float32)
    out = scipy.fft.irfftn(spec, s=shp, workers=1, overwrite_x=True)
    del spec
    return out.astype(np.float32, copy=False)


def spinodal(*, wavelength: float, fraction: float = 0.5, voxel_size: float | Sequence[float],
             shape: Sequence[int] | None = None, box_size: float | Sequence[float] | None = None,
             n_waves: int = 128, bandwidth: float = 0.0,
             method: Literal["waves", "grf"] = "waves", periodic: bool = False,
             phases: Mapping[int, str] | None = None,
             rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Spinodal (Cahn) bicontinuous structure (label 1 = solid) in a matrix (label 0).

    Parameters
    ----------
    wavelength : float
        Characteristic wavelength ``2 pi / k`` [m]; at least 4 voxels.
    fraction : float
        Target solid fraction in (0, 1) [-].
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    n_waves : int
        Number of cosine waves (``method="waves"``), at least 100.
    bandwidth : float
        Relative spread of ``|k|`` (Gaussian, std ``bandwidth * k``) [-]; 0 = single shell.
    method : {"waves", "grf"}
        Exact wave sum, or a Gaussian random field band-pass filtered to the shell by FFT.
    periodic : bool
        Waves on the reciprocal lattice of the box (tiles seamlessly); ``"grf"`` always is.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "framework"}``.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume
        Metadata include the mean ``|k|`` actually used and the level.
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    lam = C.check_length(wavelength, field="wavelength", voxel_size=vs, min_voxels=4.0)
    phi = C.check_fraction(fraction)
    if not (math.isfinite(bandwidth) and 0.0 <= bandwidth <= 1.0):
        raise GeometryError(f"bandwidth must be in [0, 1], got {bandwidth!r}")
    k0 = 2 * np.pi / lam
    box = np.asarray(shp) * np.asarray(vs)
    extra = {}
    if method == "waves":
        if int(n_waves) < 100:
            raise GeometryError(f"n_waves must be >= 100 (PHYSICS.md 3.5), got {n_waves!r}")
        n = int(n_waves)
        q = rng.normal(size=(n, 3))
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        kmag = k0 * (1.0 + bandwidth * rng.standard_normal(n)) if bandwidth else np.full(n, k0)
        kvec = q * np.abs(kmag)[:, None]
        gam = rng.uniform(0.0, 2 * np.pi, n)
        if periodic:
            recip = 2 * np.pi / box
            m = np.round(kvec / recip)
            zero = np.all(m == 0, axis=1)
            if np.all(zero):
                raise GeometryError(f"wavelength = {lam:.4g} m is longer than the periodic box")
            kvec = (m * recip)[~zero]
            gam = gam[~zero]
            extra["waves_snapped_to_lattice"] = True
        f = _wave_sum(shp, vs, kvec, gam)
        extra["mean_k_per_m"] = float(np.linalg.norm(kvec, axis=1).mean())
        extra["n_waves_used"] = len(kvec)
    elif method == "grf":
        sig = max(bandwidth, 0.1) * k0

        def filt(k):
            return np.exp(-0.5 * ((k - k0) / sig) ** 2)

        f = _fft_field(shp, vs, filt, rng)
        extra["shell_width_per_m"] = sig
    else:
        raise GeometryError(f"method must be 'waves' or 'grf', got {method!r}")
    c = _threshold(f, phi)
    labels = (f <= np.float32(c)).view(np.uint8)
    del f
    ph = C.phase_table(phases, {0: "matrix", 1: "framework"})
    achieved = float(np.count_nonzero(labels) / labels.size)
    ok = C.report_fraction("spinodal", phi, achieved)
    per = periodic or method == "grf"
    params = {"wavelength_m": lam, "fraction": phi, "voxel_size_m": vs, "shape": shp,
              "n_waves": int(n_waves), "bandwidth": bandwidth, "method": method,
              "periodic": per}
    md = C.metadata("spinodal", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, level_used=c, **extra)
    return VoxelVolume(labels, vs, ph, periodic=per, metadata=md)


def bicontinuous(*, correlation_length: float, fraction: float = 0.5,
                 voxel_size: float | Sequence[float], shape: Sequence[int] | None = None,
                 box_size: float | Sequence[float] | None = None,
                 phases: Mapping[int, str] | None = None,
                 rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Thresholded Gaussian random field: a random bicontinuous two-phase structure.

    White noise is smoothed by a Gaussian of standard deviation ``correlation_length`` (by
    FFT, so the structure is periodic) and thresholded at the target fraction. Both phases
    percolate for fractions roughly in (0.15, 0.85).

    Parameters
    ----------
    correlation_length : float
        Gaussian smoothing length [m]; at least one voxel.
    fraction : float
        Target fraction of label 1 in (0, 1) [-].
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    phases : mapping, optional
        Default ``{0: "matrix", 1: "framework"}``.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    ell = C.check_length(correlation_length, field="correlation_length", voxel_size=vs)
    phi = C.check_fraction(fraction)
    f = _fft_field(shp, vs, lambda k: np.exp(-0.5 * (k * ell) ** 2), rng)
    c = _threshold(f, phi)
    labels = (f <= np.float32(c)).view(np.uint8)
    del f
    ph = C.phase_table(phases, {0: "matrix", 1: "framework"})
    achieved = float(np.count_nonzero(labels) / labels.size)
    ok = C.report_fraction("bicontinuous", phi, achieved)
    params = {"correlation_length_m": ell, "fraction": phi, "voxel_size_m": vs, "shape": shp,
              "periodic": True}
    md = C.metadata("bicontinuous", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, level_used=c)
    return VoxelVolume(labels, vs, ph, periodic=True, metadata=md)


def fibre_network(*, diameter: float, fraction: float, voxel_size: float | Sequence[float],
                  shape: Sequence[int] | None = None,
                  box_size: float | Sequence[float] | None = None,
                  length: float | None = None, mat_axis: Literal["x", "y", "z"] | None = None,
                  tilt: float = 0.1, keep_connected: bool = True, periodic: bool = False,
                  phases: Mapping[int, str] | None = None, max_attempts: int = 200_000,
                  rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Random network of long, intersecting nanofibres (electrospun mat or 3D network).

    Fibres are straight, freely intersecting cylinders of high aspect ratio. With ``mat_axis``
    they lie in planes normal to that axis (an electrospun mat) with a Gaussian out-of-plane
    tilt; otherwise they are isotropic. With ``keep_connected`` only the largest
    face-connected cluster is kept (periodic-aware) and fibres are added until the target
    fraction is met, so the framework is one connected piece.

    Parameters
    ----------
    diameter : float
        Fibre diameter [m]; at least two voxels.
    fraction : float
        Target framework fraction in (0, 1) [-].
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    length : float, optional
        Fibre length [m]; default twice the largest box edge (fibres cross the box).
    mat_axis : {"x", "y", "z"} or None
        Normal of the mat plane; None for an isotropic 3D network.
    tilt : float
        Standard deviation of the out-of-plane angle in a mat [rad].
    keep_connected : bool
        Keep only the largest connected cluster.
    periodic : bool
        Fibres wrap across the faces.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "framework"}``.
    max_attempts : int
        Bound on fibres tried.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume
        Metadata include the fibres placed, the fraction removed as disconnected, and the
        order parameter of the fibre directions about ``mat_axis`` (-1/2 for a perfect mat).
    """
    from hylyte.microstructure.connectivity import label_clusters
    from hylyte.microstructure.fibres import paint_fibres

    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    phi = C.check_fraction(fraction)
    d = C.check_length(diameter, field="diameter", voxel_size=vs, min_voxels=2.0)
    box = np.asarray(shp) * np.asarray(vs)
    L = 2.0 * float(box.max()) if length is None else C.check_length(length, field="length")
    if 10 * d > L:
        raise GeometryError(f"length = {L:.4g} m gives an aspect ratio below 10; "
                            "use fibres() for short rods")
    ax = None if mat_axis is None else C.axis_index(mat_axis, field="mat_axis")
    if not (math.isfinite(tilt) and 0.0 <= tilt <= math.pi / 2):
        raise GeometryError(f"tilt must be in [0, pi/2] rad, got {tilt!r}")
    labels = np.zeros(shp, dtype=np.uint8)
    target = round(phi * labels.size)
    all_dirs = []
    placed = attempts = 0
    removed = 0
    for _round in range(12):
        st, dirs = paint_fibres(labels, vs, diameter=d, length=L, target_count=target,
                                axis=ax, spread=tilt, planar=ax is not None,
                                periodic=periodic, overlap=True, rng=rng,
                                max_attempts=max(1, max_attempts - attempts))
        placed += st["placed"]
        attempts += st["attempts"]
        all_dirs.append(dirs)
        if not keep_connected:
            break
        lab, n = label_clusters(labels == 1, periodic=(periodic,) * 3)
        if n <= 1:
            break
        sizes = np.zeros(n + 1, dtype=np.int64)
        for i in range(0, lab.shape[0], 8):  # slab by slab: no int64 copy of the labels
            sizes += np.bincount(lab[i:i + 8].ravel(), minlength=n + 1)
        sizes[0] = 0
        keep = int(np.argmax(sizes))
        drop = (lab > 0) & (lab != keep)
        removed += int(np.count_nonzero(drop))
        labels[drop] = 0
        del lab, drop
        if attempts >= max_attempts:
            break
    ph = C.phase_table(phases, {0: "matrix", 1: "framework"})
    achieved = float(np.count_nonzero(labels == 1) / labels.size)
    ok = C.report_fraction("fibre_network", phi, achieved,
                           why=f"stopped after {attempts} fibres tried")
    dirs = np.concatenate(all_dirs) if all_dirs else np.zeros((0, 3))
    params = {"diameter_m": d, "length_m": L, "fraction": phi, "voxel_size_m": vs,
              "shape": shp, "mat_axis": None if ax is None else "xyz"[ax], "tilt_rad": tilt,
              "keep_connected": keep_connected, "periodic": periodic}
    md = C.metadata("fibre_network", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, n_fibres=placed, attempts=attempts,
                    removed_disconnected_fraction=removed / labels.size,
                    **C.order_parameters(dirs, ax))
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)


def lamellar(*, spacing: float, fraction: float | None = None, thickness: float | None = None,
             voxel_size: float | Sequence[float], shape: Sequence[int] | None = None,
             box_size: float | Sequence[float] | None = None,
             normal: Literal["x", "y", "z"] = "x", freeze_axis: Literal["x", "y", "z"] = "z",
             waviness: float = 0.0, wave_length: float | None = None, periodic: bool = False,
             phases: Mapping[int, str] | None = None,
             rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Ice-templated lamellar / vertically aligned ceramic walls (label 1) in a matrix.

    Parallel walls normal to ``normal`` with centre spacing ``spacing`` run along the freezing
    direction ``freeze_axis`` (the through-thickness direction of the film). An optional
    sinusoidal waviness of amplitude ``waviness`` along the third axis mimics the curved
    lamellae of freeze casting. The wall thickness is set by the target fraction (the walls
    grow about their centre planes until the voxel fraction is met) or given directly.

    Parameters
    ----------
    spacing : float
        Wall centre-to-centre spacing [m].
    fraction : float, optional
        Target wall fraction in (0, 1) [-] (or give ``thickness``).
    thickness : float, optional
        Wall thickness [m]; the fraction is then ``thickness / spacing``.
    voxel_size, shape, box_size
        Grid [m], [-], [m].
    normal, freeze_axis : {"x", "y", "z"}
        Wall normal and the freezing direction (must differ).
    waviness : float
        Amplitude of the wall undulation [m].
    wave_length : float, optional
        Wavelength of the undulation [m] (default 4 x spacing).
    periodic : bool
        Snap spacing (and wave length) so the box holds whole periods.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "filler"}``.
    rng : Generator, int or None
        Draws the wall offset and the undulation phase.

    Returns
    -------
    VoxelVolume
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    nax = C.axis_index(normal, field="normal")
    fax = C.axis_index(freeze_axis, field="freeze_axis")
    if nax == fax:
        raise GeometryError(f"normal and freeze_axis must differ, both are {'xyz'[nax]!r}")
    s = C.check_length(spacing, field="spacing", voxel_size=(vs[nax],), min_voxels=2.0)
    if (fraction is None) == (thickness is None):
        raise GeometryError("give exactly one of fraction and thickness")
    if thickness is not None:
        t = C.check_length(thickness, field="thickness", voxel_size=(vs[nax],))
        if t >= s:
            raise GeometryError(f"thickness = {t:.4g} m must be below spacing = {s:.4g} m")
        phi = t / s
    else:
        phi = C.check_fraction(fraction)
        t = phi * s
        if t < vs[nax]:
            raise GeometryError(f"fraction = {phi:.3g} at spacing = {s:.3g} m gives walls "
                                f"{t:.3g} m thick, under one voxel ({vs[nax]:.3g} m)")
        if s - t < vs[nax]:
            raise GeometryError(f"fraction = {phi:.3g} leaves gaps under one voxel")
    A = C.check_length(waviness, field="waviness", allow_zero=True)
    box = np.asarray(shp) * np.asarray(vs)
    third = 3 - nax - fax
    wl = 4.0 * s if wave_length is None else C.check_length(wave_length, field="wave_length")
    if periodic:
        s = box[nax] / max(1, round(box[nax] / s))
        wl = box[third] / max(1, round(box[third] / wl))
    x0 = rng.uniform(0.0, s)
    gam = rng.uniform(0.0, 2 * np.pi)
    coords = [((np.arange(n) + 0.5) * h).astype(np.float32) for n, h in zip(shp, vs,
                                                                             strict=True)]
    u = coords[nax]
    w = (A * np.sin(2 * np.pi * coords[third] / wl + gam)).astype(np.float32)
    shape_u = [1, 1, 1]
    shape_u[nax] = -1
    shape_w = [1, 1, 1]
    shape_w[third] = -1
    g = (u.reshape(shape_u) - np.float32(x0)) - w.reshape(shape_w)  # broadcast, not full
    g = np.abs(np.mod(g + np.float32(0.5 * s), np.float32(s)) - np.float32(0.5 * s))
    g = np.broadcast_to(g, shp)
    c = _threshold(np.ascontiguousarray(g), phi)
    labels = np.ascontiguousarray(g <= np.float32(c)).view(np.uint8)
    ph = C.phase_table(phases, {0: "matrix", 1: "filler"})
    achieved = float(np.count_nonzero(labels) / labels.size)
    ok = C.report_fraction("lamellar", phi, achieved,
                           why="flat walls change thickness one voxel plane at a time")
    params = {"spacing_m": s, "fraction": phi, "thickness_m": t, "voxel_size_m": vs,
              "shape": shp, "normal": "xyz"[nax], "freeze_axis": "xyz"[fax],
              "waviness_m": A, "wave_length_m": wl, "periodic": periodic}
    md = C.metadata("lamellar", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, wall_half_thickness_used_m=c)
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)
