"""Calibration factor of the coplanar-facet sheet-conductance rule on curved interfaces.

PHYSICS 8.6: on a voxelised sphere the coplanar-facet rule recovers only part of the analytic
surface conduction ``2 Sigma_s / a``. ``eta`` is measured on a voxelised insulating sphere
of radius ``a`` (in voxels) carrying the sheet, in a periodic cube, by inverting
Maxwell-Garnett at the voxel fraction for the equivalent sphere conductivity.

The calibration is a pure function of the radius (quantised to :data:`RADIUS_STEP` voxels)
and of the sheet rule, so it is memoised (``functools.lru_cache``): a temperature sweep or a
design evaluation pays for each distinct radius once per process.
"""

from __future__ import annotations

import functools

import numpy as np

from hylyte.microstructure.volume import InterfaceProperties, VoxelVolume

RADIUS_STEP = 0.125  # quantisation of the calibration radius [voxels]
RULES = ("coplanar-facet",)


def quantise_radius(radius_voxels: float) -> float:
    """Calibration radius: clipped to 2..16 and rounded to :data:`RADIUS_STEP` [voxels]."""
    from hylyte.errors import InputError

    a = float(radius_voxels)
    if not np.isfinite(a):
        raise InputError(f"radius_voxels must be finite, got {radius_voxels!r}")
    a = float(np.clip(a, 2.0, 16.0))
    return round(a / RADIUS_STEP) * RADIUS_STEP


def sheet_eta(radius_voxels: float, rule: str = "coplanar-facet") -> float:
    """Fraction of ``2 Sigma_s / a`` recovered by the sheet rule on a voxelised sphere [-].

    Parameters
    ----------
    radius_voxels : float
        Sphere radius in voxels (clipped to 2..16 to keep the calibration cheap, and
        rounded to :data:`RADIUS_STEP`).
    rule : {"coplanar-facet"}
        Sheet-conductance rule of the operator (the only one implemented).

    Notes
    -----
    Memoised on ``(quantised radius, rule)``; see :func:`sheet_eta_cache_info`.
    """
    from hylyte.errors import InputError

    if rule not in RULES:
        raise InputError(f"rule must be one of {RULES}, got {rule!r}")
    return _sheet_eta_cached(quantise_radius(radius_voxels), rule)


def sheet_eta_cache_info():
    """Hits, misses and size of the calibration cache (``functools`` ``CacheInfo``)."""
    return _sheet_eta_cached.cache_info()


@functools.lru_cache(maxsize=512)
def _sheet_eta_cached(a: float, rule: str) -> float:
    from hylyte.solve.homogenize import homogenize

    n = int(np.ceil(4 * a)) + (int(np.ceil(4 * a)) % 2)
    c = (np.arange(n) + 0.5) - n / 2
    r2 = c[:, None, None] ** 2 + c[None, :, None] ** 2 + c[None, None, :] ** 2
    lab = (r2 <= a * a).astype(np.uint8)
    sigma_m = 1.0
    sheet = 0.5 * a * sigma_m          # analytic equivalent sphere conductivity 2 S/a = sigma_m
    vol = VoxelVolume(lab, 1.0, {0: "matrix", 1: "core"},
                      {(0, 1): InterfaceProperties(0.0, sheet)}, periodic=True)
    res = homogenize(vol, {"matrix": sigma_m, "core": 0.0}, bc="periodic", tortuosity=False,
                     rtol=1e-8, _skip_eta=True)  # type: ignore[call-arg]
    s = res.sigma_eff / sigma_m
    phi = float(lab.mean())
    beta = (s - 1.0) / (phi * (2.0 + s))
    sigma_f = sigma_m * (1 + 2 * beta) / (1 - beta)
    return float(sigma_f / (2 * sheet / a))


def sheet_core(pair: tuple[int, int], tab: np.ndarray) -> int:
    """Label of the less conducting phase of ``pair`` (ties: the first) [-]."""
    a, b = pair
    return a if tab[a].mean() <= tab[b].mean() else b


def estimate_sheet_radius(volume: VoxelVolume, pair: tuple[int, int], core: int) -> float:
    """Mean radius ``3 V / S`` of phase ``core`` against the other phase of ``pair`` [voxels].

    The surface ``S`` is the voxel-face area divided by 1.5 (the mean staircase excess of a
    voxelised sphere).
    """
    a, b = pair
    other = b if core == a else a
    lab = volume.labels
    faces = 0
    for ax in range(3):
        if lab.shape[ax] < 2:
            continue
        x0 = np.take(lab, np.arange(lab.shape[ax] - 1), axis=ax)
        x1 = np.take(lab, np.arange(1, lab.shape[ax]), axis=ax)
        faces += int(np.count_nonzero(((x0 == core) & (x1 == other))
                                      | ((x0 == other) & (x1 == core))))
    vcore = int(np.count_nonzero(lab == core))
    return 3.0 * vcore / max(faces / 1.5, 1.0)


def estimate_sheet_eta(volume: VoxelVolume, pair: tuple[int, int], tab: np.ndarray) -> float:
    """``eta`` at the mean radius ``3 V / S`` of the less conducting phase of ``pair`` [-]."""
    return sheet_eta(estimate_sheet_radius(volume, pair, sheet_core(pair, tab)))
