"""FV solver against independent physics: Keller-Dykhne, Maxwell-Garnett, bounds, coated
spheres (PHYSICS 3.1-3.3, 3.6, 8.10; checklist 31-34). Reference formulas are written out
here, not imported."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hylyte.microstructure import reference as ref
from hylyte.microstructure.volume import VoxelVolume
from hylyte.solve import effective_tensor

TIGHT = {"rtol": 1e-10, "precision": "double"}


def mg(sm: float, sf: float, phi: float) -> float:
    """Maxwell-Garnett, spheres of sf in matrix sm (PHYSICS 3.3)."""
    return sm * (sf + 2 * sm + 2 * phi * (sf - sm)) / (sf + 2 * sm - phi * (sf - sm))


def coated(sc: float, ss: float, delta: float) -> float:
    """Equivalent conductivity of a coated sphere, delta = (r / (r + t))^3 (PHYSICS 3.6)."""
    return ss * ((sc + 2 * ss) + 2 * delta * (sc - ss)) / ((sc + 2 * ss) - delta * (sc - ss))


def test_checkerboard_one_voxel_per_square_is_harmonic_mean():
    vol = ref.checkerboard(4, 1, nz=1)
    t = effective_tensor(vol, {"a": 1.0, "b": 10.0}, **TIGHT)
    assert t[0, 0] == pytest.approx(2 * 10 / 11, rel=1e-10)
    assert t[1, 1] == pytest.approx(2 * 10 / 11, rel=1e-10)


def test_checkerboard_converges_to_keller_dykhne():
    # sigma_eff = sqrt(s1 s2) (Keller 1964; Dykhne 1971), approached from below, monotone
    exact = np.sqrt(10.0)
    errs = []
    for m in (4, 8, 16, 64):
        t = effective_tensor(ref.checkerboard(2, m, nz=1), {"a": 1.0, "b": 10.0}, **TIGHT)
        errs.append(t[0, 0] / exact - 1)
    assert all(e < 0 for e in errs)
    assert all(abs(b) < abs(a) for a, b in itertools.pairwise(errs))
    assert abs(errs[-1]) < 0.03
    t2 = effective_tensor(ref.checkerboard(2, 16, nz=1), {"a": 1.0, "b": 2.0}, **TIGHT)
    assert abs(t2[0, 0] / np.sqrt(2.0) - 1) < 0.002


def test_dilute_sphere_contrast_10_vs_mg():
    vol = ref.sphere(32, 8.0)
    phi = vol.fraction("particle")
    t = effective_tensor(vol, {"matrix": 1.0, "particle": 10.0}, **TIGHT)
    expected = mg(1.0, 10.0, phi)
    for k in range(3):
        assert abs(t[k, k] / expected - 1) < 1e-3


def test_insulating_sphere_error_decreases_with_radius():
    errs = []
    for r in (4, 8):
        vol = ref.sphere(4 * r, float(r))
        phi = vol.fraction("particle")
        t = effective_tensor(vol, {"matrix": 1.0, "particle": 0.0}, **TIGHT)
        errs.append(abs(t[0, 0] / mg(1.0, 0.0, phi) - 1))
    assert errs[1] < errs[0]
    assert errs[1] < 0.01


def test_resolved_coated_sphere_within_2_percent():
    # insulating core r = 6 h, shell t = 3 h with sigma_s = 10 sigma_m (PHYSICS 8.10)
    vol = ref.sphere(36, 6.0, coating=3.0)
    phi_core = vol.fraction("particle")
    phi_out = phi_core + vol.fraction("shell")
    delta = phi_core / phi_out
    t = effective_tensor(vol, {"matrix": 1.0, "particle": 0.0, "shell": 10.0},
                         rtol=1e-8, precision="mixed")
    expected = mg(1.0, coated(0.0, 10.0, delta), phi_out)
    assert abs(t[0, 0] / expected - 1) < 0.02


def _trace_bounds(s1, s2, phi2, lam, d=3):
    phi1 = 1 - phi2
    lower = sum(1 / (l - s1) for l in lam) <= d / (phi2 * (s2 - s1)) + phi1 / (phi2 * s1) + 1e-9
    upper = sum(1 / (s2 - l) for l in lam) <= d / (phi1 * (s2 - s1)) - phi2 / (phi1 * s2) + 1e-9
    return lower, upper


def _blobs(rng, n, p, smooth=1.5):
    from scipy import ndimage

    f = ndimage.gaussian_filter(rng.random((n, n, n)), smooth, mode="wrap")
    return (f < np.quantile(f, p)).astype(np.uint8)


def test_random_two_phase_within_wiener_and_trace_bounds():
    # The bounds hold for the continuum problem; the two-point FV flux is accurate for
    # structures resolved over a few voxels, so random blobs (not voxel noise) are used.
    rng = np.random.default_rng(11)
    s1, s2 = 1.0, 25.0
    for _ in range(20):
        p = rng.uniform(0.2, 0.8)
        lab = _blobs(rng, 10, p)
        if lab.min() == lab.max():
            continue
        vol = VoxelVolume(lab, 1e-6, {0: "a", 1: "b"})
        phi2 = vol.fraction("b")
        t = effective_tensor(vol, {"a": s1, "b": s2}, rtol=1e-9, precision="double")
        lam = np.linalg.eigvalsh(t)
        lo = 1 / ((1 - phi2) / s1 + phi2 / s2)
        hi = (1 - phi2) * s1 + phi2 * s2
        assert np.all(np.diag(t) >= lo * (1 - 1e-9))
        assert np.all(np.diag(t) <= hi * (1 + 1e-9))
        assert all(_trace_bounds(s1, s2, phi2, lam))


def test_random_three_phase_within_wiener():
    rng = np.random.default_rng(12)
    sig = {"p": 1e-2, "c": 1.0, "i": 10.0}
    for _ in range(3):
        lab = _blobs(rng, 10, 0.35) + _blobs(rng, 10, 0.5)
        vol = VoxelVolume(lab, 1e-6, {0: "p", 1: "c", 2: "i"})
        fr = vol.volume_fractions()
        t = effective_tensor(vol, sig, rtol=1e-9, precision="double")
        lo = 1 / sum(fr[k] / sig[k] for k in sig)
        hi = sum(fr[k] * sig[k] for k in sig)
        assert np.all(np.diag(t) >= lo)
        assert np.all(np.diag(t) <= hi)


def test_laminate_attains_trace_bounds():
    vol = ref.layers([3, 5], [0, 1], normal="z", cross_section=(2, 2))
    s1, s2 = 1.0, 7.0
    phi2 = 5 / 8
    t = effective_tensor(vol, {0: s1, 1: s2}, **TIGHT)
    lam = np.linalg.eigvalsh(t)
    phi1 = 1 - phi2
    lhs_lo = sum(1 / (l - s1) for l in lam)
    rhs_lo = 3 / (phi2 * (s2 - s1)) + phi1 / (phi2 * s1)
    lhs_hi = sum(1 / (s2 - l) for l in lam)
    rhs_hi = 3 / (phi1 * (s2 - s1)) - phi2 / (phi1 * s2)
    assert lhs_lo == pytest.approx(rhs_lo, rel=1e-8)
    assert lhs_hi == pytest.approx(rhs_hi, rel=1e-8)
