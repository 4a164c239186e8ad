"""Calibration factor of the coplanar-facet sheet-conductance rule on curved interfaces.

PHYSICS 8.6: on a voxelised sphere the coplanar-facet rule recovers only part of the analytic
surface conduction ``2 Sigma_s / a``. ``eta`` is measured on a voxelised insulating sphere
of radius ``a`` (in voxels) carrying the sheet, in a periodic cube, by inverting
Maxwell-Garnett at the voxel fraction for the equivalent sphere conductivity.
"""

from __future__ import annotations

import numpy as np

from hylyte.microstructure.volume import InterfaceProperties, VoxelVolume


def sheet_eta(radius_voxels: float) -> float:
    """Fraction of ``2 Sigma_s / a`` recovered by the sheet rule on a voxelised sphere [-].

    Parameters
    ----------
    radius_voxels : float
        Sphere radius in voxels (clipped to 2..16 to keep the calibration cheap).
    """
    from hylyte.solve.homogenize import homogenize

    a = float(np.clip(radius_voxels, 2.0, 16.0))
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


def estimate_sheet_eta(volume: VoxelVolume, pair: tuple[int, int], tab: np.ndarray) -> float:
    """``eta`` at the mean radius ``3 V / S`` of the less conducting phase of ``pair`` [-].

    The surface ``S`` is the voxel-face area divided by 1.5 (the mean staircase excess of a
    voxelised sphere).
    """
    a, b = pair
    core = a if tab[a].mean() <= tab[b].mean() else b
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
    radius = 3.0 * vcore / max(faces / 1.5, 1.0)
    return sheet_eta(radius)
