"""Generators against exact geometry, closed forms and invariants (small volumes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import ndimage

from hylyte.errors import GeometryError, ValidityWarning
from hylyte.microstructure import (
    bicontinuous,
    fibre_network,
    generate,
    lamellar,
    particle_chains,
    platelets,
    spheres,
    spinodal,
    stack,
    tpms,
)
from hylyte.microstructure import fibres as fibres_mod
from hylyte.microstructure._common import fisher_order_parameter
from hylyte.microstructure.frameworks import _wave_sum
from hylyte.microstructure.particles import rsa_centres

fibres = fibres_mod.fibres
H = 1e-7  # voxel edge used by most tests [m]


def _cases():
    g = {"voxel_size": H, "shape": (40, 40, 40)}
    return {
        "spheres": lambda rng: spheres(diameter=8 * H, fraction=0.2, rng=rng, **g),
        "spheres_overlap_lognormal": lambda rng: spheres(
            diameter=6 * H, fraction=0.3, overlap=True, size_distribution="lognormal",
            size_spread=0.3, rng=rng, **g),
        "spheres_clustered": lambda rng: spheres(diameter=5 * H, fraction=0.1, n_clusters=3,
                                                 cluster_radius=5 * H, rng=rng, **g),
        "chains": lambda rng: particle_chains(diameter=5 * H, fraction=0.1,
                                              particles_per_chain=6, rng=rng, **g),
        "fibres": lambda rng: fibres(diameter=3 * H, length=20 * H, fraction=0.15, rng=rng,
                                     **g),
        "platelets": lambda rng: platelets(diameter=16 * H, thickness=2 * H, fraction=0.15,
                                           rng=rng, **g),
        "network": lambda rng: fibre_network(diameter=3 * H, fraction=0.1, mat_axis="z",
                                             rng=rng, **g),
        "spinodal": lambda rng: spinodal(wavelength=10 * H, fraction=0.35, rng=rng, **g),
        "spinodal_grf": lambda rng: spinodal(wavelength=10 * H, fraction=0.35, method="grf",
                                             rng=rng, **g),
        "bicontinuous": lambda rng: bicontinuous(correlation_length=2 * H, fraction=0.4,
                                                 rng=rng, **g),
        "lamellar": lambda rng: lamellar(spacing=10 * H, fraction=0.3, waviness=2 * H,
                                         rng=rng, **g),
    }


CASES = _cases()
TARGETS = {"spheres": 0.2, "spheres_overlap_lognormal": 0.3, "spheres_clustered": 0.1,
           "chains": 0.1, "fibres": 0.15, "platelets": 0.15, "network": 0.1, "spinodal": 0.35,
           "spinodal_grf": 0.35, "bicontinuous": 0.4, "lamellar": 0.3}


@pytest.mark.parametrize("name", sorted(CASES))
def test_target_fraction_met_and_recorded(name):
    vol = CASES[name](11)
    phi = float(np.count_nonzero(vol.labels == 1) / vol.labels.size)
    assert abs(phi - TARGETS[name]) <= 0.005
    md = vol.metadata
    assert md["target_fraction"] == pytest.approx(TARGETS[name])
    assert md["seed"] == 11
    assert sum(md["achieved_fractions"].values()) == pytest.approx(1.0)
    assert md["generator"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_seed_same_volume_other_seed_differs(name):
    a, b, c = CASES[name](5), CASES[name](5), CASES[name](6)
    assert np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.labels, c.labels)


@pytest.mark.parametrize("kind", ["gyroid", "diamond", "primitive"])
def test_tpms_level_zero_is_half_by_symmetry(kind):
    # f(x + a/2) = -f(x) for all three surfaces: f <= 0 fills exactly half the cell
    vol = tpms(kind=kind, cell_size=16 * H, voxel_size=H, shape=(32, 32, 32), level=0.0)
    assert vol.fraction(1) == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("variant", ["skeletal", "sheet"])
def test_tpms_fraction_and_formula(variant):
    vol = tpms(kind="gyroid", variant=variant, cell_size=13.7 * H, voxel_size=H,
               shape=(32, 32, 32), fraction=0.3)
    assert abs(vol.fraction(1) - 0.3) <= 1e-3
    # independent check of the level set at one voxel centre
    c = vol.metadata["level_used"]
    i, j, k = 3, 7, 11
    kx, ky, kz = (2 * np.pi * (np.array([i, j, k]) + 0.5) / 13.7)
    f = np.sin(kx) * np.cos(ky) + np.sin(ky) * np.cos(kz) + np.sin(kz) * np.cos(kx)
    f = abs(f) if variant == "sheet" else f
    if abs(f - c) > 1e-5:
        assert vol.labels[i, j, k] == (f <= c)


def test_tpms_periodic_tiles_and_sheet_too_thin():
    vol = tpms(kind="diamond", cell_size=8 * H, voxel_size=H, shape=(24, 24, 24),
               level=0.3, periodic=True)
    # three whole cells per edge: shifting by one cell leaves the labels unchanged
    assert np.array_equal(vol.labels, np.roll(vol.labels, 8, axis=0))
    with pytest.raises(GeometryError, match="fraction"):
        tpms(kind="gyroid", variant="sheet", cell_size=8 * H, voxel_size=H,
             shape=(16, 16, 16), fraction=0.05)


def test_wave_sum_matches_direct_cosines():
    rng = np.random.default_rng(0)
    k = rng.normal(size=(100, 3)) * 3e6
    g = rng.uniform(0, 2 * np.pi, 100)
    shp, vs = (5, 6, 7), (H, 2 * H, H)
    f = _wave_sum(shp, vs, k, g)
    x = [(np.arange(n) + 0.5) * h for n, h in zip(shp, vs, strict=True)]
    X, Y, Z = np.meshgrid(*x, indexing="ij")
    ref = np.cos(k[:, 0, None, None, None] * X + k[:, 1, None, None, None] * Y
                 + k[:, 2, None, None, None] * Z + g[:, None, None, None]).sum(axis=0)
    assert_allclose(f, ref, atol=2e-4 * 100)


def test_spinodal_needs_100_waves():
    with pytest.raises(GeometryError, match="n_waves"):
        spinodal(wavelength=10 * H, voxel_size=H, shape=(16, 16, 16), n_waves=50, rng=1)


def test_interface_area_of_spheres_converges_to_exact():
    # the same physical configuration at three resolutions; exact area N 4 pi r^2 / V
    # (= 3 phi / r for non-overlapping spheres), and 3 phi_voxel / r as a second reference
    L, d = 32e-6, 8e-6
    errs = []
    for n in (32, 64, 128):
        vol = spheres(diameter=d, fraction=0.1, voxel_size=L / n, shape=(n, n, n), rng=5,
                      periodic=True)
        n_sph = vol.metadata["n_spheres"]
        exact = n_sph * 4 * math.pi * (d / 2) ** 2 / L**3
        S = vol.interface_area_per_volume()["filler|matrix"]
        errs.append(abs(S / exact - 1.0))
        assert pytest.approx(3 * vol.fraction("filler") / (d / 2), rel=0.03) == S
    assert errs[2] < errs[0]
    assert errs[2] < 0.01
    # raw face counting overestimates an isotropic surface by 3/2
    raw = vol.interface_area_per_volume(correction="none")["filler|matrix"]
    assert raw / exact == pytest.approx(1.5, rel=0.02)


def test_interface_area_of_layers_exact_without_correction():
    vol = stack([{"thickness": 4 * H, "phase": "A"}, {"thickness": 6 * H, "phase": "B"}],
                voxel_size=H, cross_section=(5, 7), axis="z")
    S = vol.interface_area_per_volume(correction="none")["A|B"]
    assert pytest.approx(1.0 / (10 * H), rel=1e-12) == S  # one plane of area A in A x 10H


def test_rsa_reaches_high_packing_and_refuses_above_limit():
    # monodisperse RSA jams at 0.3841 (Torquato, Uche & Stillinger, PRE 74, 061308 (2006))
    vol = spheres(diameter=6 * H, fraction=0.38, voxel_size=H, shape=(48, 48, 48), rng=2,
                  periodic=True)
    assert vol.fraction(1) >= 0.375
    assert vol.metadata["continuum_fraction"] < 0.3841
    with pytest.raises(GeometryError, match="fraction"):
        spheres(diameter=6 * H, fraction=0.40, voxel_size=H, shape=(32, 32, 32), rng=2)


def test_rsa_spheres_do_not_overlap():
    # brute-force pairwise minimum-image distances as the second method
    rng = np.random.default_rng(3)
    radii = np.sort(rng.uniform(0.5, 2.0, 150))[::-1]
    box = np.array([30.0, 25.0, 20.0])
    for periodic in (True, False):
        c, r, attempts = rsa_centres(radii, box, periodic=periodic, rng=rng,
                                     max_attempts=200_000)
        assert len(c) == 150
        assert attempts <= 200_000
        d = c[:, None, :] - c[None, :, :]
        if periodic:
            d -= box * np.round(d / box)
        dist = np.sqrt((d**2).sum(-1))
        np.fill_diagonal(dist, np.inf)
        assert np.all(dist >= (r[:, None] + r[None, :]) * (1 - 1e-12))
        assert np.all((c >= 0) & (c < box))


def test_overlapping_spheres_follow_boolean_model():
    # phi = 1 - exp(-n v): the number placed matches -ln(1 - phi) V / v
    d, n = 6 * H, 48
    vol = spheres(diameter=d, fraction=0.4, overlap=True, voxel_size=H, shape=(n, n, n),
                  rng=4, periodic=True)
    expected = -math.log(1 - 0.4) * (n * H) ** 3 / (math.pi / 6 * d**3)
    assert vol.metadata["n_spheres"] == pytest.approx(expected, rel=0.08)


def _seam_cluster_sizes(vol, axis):
    """Sizes of clusters crossing the seam when the volume is tiled twice along ``axis``,
    relative to the median complete cluster; clusters cut by the other faces are ignored."""
    n = vol.shape[axis]
    tiled = np.concatenate([vol.labels, vol.labels], axis=axis)
    tiled = np.take(tiled, np.arange(n // 2, n // 2 + n), axis=axis)  # seam in the middle
    lab, _ = ndimage.label(tiled == 1)
    others = [a for a in range(3) if a != axis]
    cut = set()
    for a in range(3):
        cut |= set(np.unique(np.take(lab, [0, lab.shape[a] - 1], axis=a)).tolist())
    sizes = np.bincount(lab.ravel())
    complete = [sizes[c] for c in range(1, len(sizes)) if c not in cut]
    left = np.take(lab, n - n // 2 - 1, axis=axis)
    right = np.take(lab, n - n // 2, axis=axis)
    seam = np.intersect1d(left, right)
    seam = [c for c in seam if c > 0 and not any(
        np.any(np.take(lab, [0, lab.shape[a] - 1], axis=a) == c) for a in others)]
    return [sizes[c] / np.median(complete) for c in seam]


def test_periodic_spheres_tile_seamlessly():
    # spheres crossing x = L in a periodic volume continue at x = 0: tiled twice, every
    # cluster across the seam is a complete sphere; an open box leaves cut fragments there
    def make(per):
        return spheres(diameter=8 * H, fraction=0.15, voxel_size=H, shape=(32, 32, 32),
                       rng=10, periodic=per)

    rel = _seam_cluster_sizes(make(True), 0)
    assert rel, "no sphere crosses the periodic seam"
    assert all(abs(r - 1) < 0.15 for r in rel)
    rel_open = _seam_cluster_sizes(make(False), 0)
    assert not (rel_open and all(abs(r - 1) < 0.15 for r in rel_open))


def test_periodic_fibres_longer_than_box_wrap_into_endless_rods():
    # aligned along x, 1.5 box lengths, periodic: each fibre wraps onto itself, so every
    # x-plane must be identical (any seam would show as a gap or step)
    vol = fibres(diameter=3 * H, length=36 * H, axis="x", fraction=0.1, voxel_size=H,
                 shape=(24, 32, 32), rng=3, periodic=True)
    assert all(np.array_equal(vol.labels[i], vol.labels[0]) for i in range(24))
    with pytest.raises(GeometryError, match="length"):
        fibres(diameter=3 * H, length=36 * H, axis="x", fraction=0.1, voxel_size=H,
               shape=(24, 32, 32), rng=3, periodic=False)


def test_aligned_fibres_percolate_where_random_short_fibres_do_not():
    g = {"voxel_size": H, "shape": (40, 40, 40), "fraction": 0.08, "diameter": 3 * H}
    aligned = fibres(length=40 * H, axis="z", rng=1, **g)
    rand = fibres(length=8 * H, axis=None, rng=1, **g)
    assert aligned.percolation("filler")["filler"]["z"]["percolates"]
    assert not rand.percolation("filler")["filler"]["z"]["percolates"]


def test_fibre_orientation_order_parameter():
    g = {"voxel_size": H, "shape": (48, 48, 48), "fraction": 0.1, "diameter": 2 * H,
         "length": 12 * H}
    al = fibres(axis="x", rng=1, **g)
    assert al.metadata["S_axis"] == pytest.approx(1.0)
    spread = fibres(axis="z", spread=0.4, rng=1, **g)
    # Fisher distribution: S = 1 - 3 L(kappa)/kappa (closed form); sampling error ~ 1/sqrt(N)
    n = spread.metadata["n_fibres"]
    assert n > 100
    assert spread.metadata["S_axis"] == pytest.approx(fisher_order_parameter(0.4),
                                                      abs=4 / math.sqrt(n))
    iso = fibres(axis=None, rng=1, **g)
    assert abs(iso.metadata["S_director"]) < 4 / math.sqrt(iso.metadata["n_fibres"]) + 0.05


def test_fisher_order_parameter_limits():
    assert fisher_order_parameter(0.0) == 1.0
    assert fisher_order_parameter(1e-3) == pytest.approx(1 - 3 * 1e-6, rel=1e-6)  # 1 - 3/kappa
    assert fisher_order_parameter(100.0) == pytest.approx(0.0, abs=1e-6)


def test_platelets_aligned_normals_and_thickness():
    vol = platelets(diameter=20 * H, thickness=2 * H, fraction=0.1, normal_axis="z",
                    voxel_size=H, shape=(40, 40, 40), rng=2)
    assert vol.metadata["S_axis"] == pytest.approx(1.0)
    # flakes lying flat: in-plane faces (normal z) dominate the interface
    lab = vol.labels
    fz = np.count_nonzero(lab[:, :, 1:] != lab[:, :, :-1])
    fx = np.count_nonzero(lab[1:] != lab[:-1])
    assert fz > 3 * fx


def test_chains_percolate_along_field():
    # periodic along x: a chain as long as the box closes on itself across the faces
    vol = particle_chains(diameter=5 * H, fraction=0.12, particles_per_chain=8, axis="x",
                          voxel_size=H, shape=(40, 40, 40), periodic=True, rng=3)
    p = vol.percolation("filler")["filler"]
    assert p["x"]["percolates"]
    assert p["x"]["percolating_fraction"] > 0.5


def test_default_chains_bridge_an_open_box():
    # particles_per_chain=None: centred chains long enough to touch both faces normal to
    # the field, as between electrodes during field alignment
    vol = particle_chains(diameter=6 * H, fraction=0.1, axis="y", voxel_size=H,
                          shape=(40, 40, 40), rng=1)
    assert vol.metadata["parameters"]["particles_per_chain"] == 7  # ceil(40 / 6)
    p = vol.percolation("filler")["filler"]
    assert p["y"]["percolates"]
    assert p["y"]["percolating_fraction"] > 0.9
    assert not p["x"]["percolates"]


def test_lamellar_walls_percolate_in_plane_not_across():
    vol = lamellar(spacing=8 * H, thickness=3 * H, voxel_size=H, shape=(32, 32, 32),
                   normal="x", freeze_axis="z", rng=1)
    assert vol.fraction(1) == pytest.approx(3 / 8, abs=0.005)
    p = vol.percolation()
    assert p["filler"]["z"]["percolates"]
    assert p["filler"]["y"]["percolates"]
    assert not p["filler"]["x"]["percolates"]
    assert not p["matrix"]["x"]["percolates"]


def test_fibre_network_is_connected_and_spans():
    vol = fibre_network(diameter=3 * H, fraction=0.08, voxel_size=H, shape=(40, 40, 40),
                        rng=1)
    _lab, n = ndimage.label(vol.labels == 1)
    assert n == 1
    p = vol.percolation("framework")["framework"]
    assert all(p[a]["percolates"] for a in "xyz")


def test_layers_sandwich_merges_phases():
    slabs = [
        {"thickness": 4 * H, "phase": "PEO"},
        {"thickness": 24 * H, "generator": "spheres",
         "params": {"diameter": 6 * H, "fraction": 0.2, "phases": {0: "PEO", 1: "LLZTO"}}},
        {"thickness": 4 * H, "phase": "PEO"},
    ]
    vol = stack(slabs, voxel_size=H, cross_section=(24, 24), axis="z", rng=1)
    assert vol.shape == (24, 24, 32)
    assert vol.phases == {0: "PEO", 1: "LLZTO"}
    assert not np.any(vol.labels[:, :, :4])
    assert not np.any(vol.labels[:, :, -4:])
    mid = vol.labels[:, :, 4:28]
    assert abs(np.count_nonzero(mid == 1) / mid.size - 0.2) <= 0.005
    again = stack(slabs, voxel_size=H, cross_section=(24, 24), axis="z", rng=1)
    assert np.array_equal(vol.labels, again.labels)
    with pytest.raises(GeometryError, match=r"slabs\[0\]\.thickness"):
        stack([{"thickness": 0.2 * H, "phase": "A"}], voxel_size=H, cross_section=(4, 4))


def test_dispatcher_parses_units_like_direct_call():
    spec = {"generator": "spheres", "diameter": "400 nm", "voxel_size": "50 nm",
            "shape": [32, 32, 32], "fraction": "15 vol%", "seed": 4,
            "phases": {"0": "PEO-LiTFSI", "1": "LLZTO"}}
    a = generate(spec)
    b = spheres(diameter=400e-9, voxel_size=50e-9, shape=(32, 32, 32), fraction=0.15, rng=4,
                phases={0: "PEO-LiTFSI", 1: "LLZTO"})
    assert np.array_equal(a.labels, b.labels)
    assert a.phases == {0: "PEO-LiTFSI", 1: "LLZTO"}
    c = generate({"generator": "fibres", "diameter": "0.2 um", "length": "1 um",
                  "voxel_size": "50 nm", "shape": [32, 32, 32], "fraction": 0.1,
                  "axis": "z", "spread": "10 deg", "seed": 1})
    assert c.metadata["parameters"]["spread_rad"] == pytest.approx(math.radians(10))


def test_dispatcher_layers_and_interphase_from_unit_strings():
    vol = generate({"generator": "layers", "voxel_size": "100 nm", "cross_section": [16, 16],
                    "axis": "z", "seed": 2,
                    "slabs": [{"thickness": "0.4 um", "phase": "PEO"},
                              {"thickness": "2.4 um", "generator": "spheres",
                               "diameter": "0.6 um", "fraction": "20 vol%",
                               "phases": {0: "PEO", 1: "LLZTO"}}],
                    "interphase": {"thickness": "2 nm", "around": "LLZTO",
                                   "conductivity": "1e-4 S/cm"}})
    assert vol.shape == (16, 16, 28)
    assert vol.phases == {0: "PEO", 1: "LLZTO"}
    # 2 nm is sub-voxel: attached as sheet conductance sigma t = 1e-2 S/m x 2e-9 m
    assert vol.interfaces[(0, 1)].sheet_conductance_S == pytest.approx(2e-11)
    with pytest.raises(GeometryError, match="periodic"):
        generate({"generator": "tpms", "cell_size": "1 um", "voxel_size": "100 nm",
                  "shape": [8, 8, 8], "level": 0.0, "periodic": "yes"})


@pytest.mark.parametrize(("spec", "match"), [
    ({"generator": "balls"}, "allowed: .*spheres"),
    ({"generator": "spheres", "radius": "1 um"}, "radius"),
    ({"generator": "spheres", "diameter": "1 um", "voxel_size": "50 nm",
      "shape": [8, 8, 8], "fraction": "40 wt%"}, "fraction"),
])
def test_dispatcher_errors_name_the_problem(spec, match):
    with pytest.raises(GeometryError, match=match):
        generate(spec)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: spheres(diameter=6 * H, fraction=1.2, voxel_size=H, shape=(16,) * 3), "fraction"),
    (lambda: spheres(diameter=6 * H, fraction=0.0, voxel_size=H, shape=(16,) * 3), "fraction"),
    (lambda: spheres(diameter=0.5 * H, fraction=0.1, voxel_size=H, shape=(16,) * 3),
     "diameter"),
    (lambda: fibres(diameter=2 * H, length=40 * H, fraction=0.1, axis="z", voxel_size=H,
                    shape=(16,) * 3), "length"),
    (lambda: platelets(diameter=8 * H, thickness=0.3 * H, fraction=0.1, voxel_size=H,
                       shape=(16,) * 3), "thickness"),
    (lambda: particle_chains(diameter=4 * H, fraction=0.1, particles_per_chain=10,
                             voxel_size=H, shape=(16,) * 3), "particles_per_chain"),
    (lambda: tpms(cell_size=2 * H, fraction=0.5, voxel_size=H, shape=(16,) * 3), "cell_size"),
    (lambda: spheres(diameter=6 * H, fraction=0.1, voxel_size=-H, shape=(16,) * 3),
     "voxel_size"),
    (lambda: spheres(diameter=6 * H, fraction=0.1, voxel_size=H, shape=(16, 16)), "shape"),
    (lambda: lamellar(spacing=8 * H, fraction=0.05, voxel_size=H, shape=(16,) * 3),
     "fraction"),
])
def test_impossible_requests_raise_naming_the_parameter(call, field):
    with pytest.raises(GeometryError, match=field):
        call()


def test_bounded_placement_warns_with_achieved_fraction():
    # non-overlapping long platelets cannot fill 40 % with only 20 tries
    with pytest.warns(ValidityWarning, match="achieved volume fraction"):
        vol = platelets(diameter=12 * H, thickness=2 * H, fraction=0.4, overlap=False,
                        voxel_size=H, shape=(24, 24, 24), max_attempts=20, rng=1)
    assert vol.metadata["target_met"] is False
    assert vol.metadata["achieved_fractions"]["filler"] < 0.39


def test_threshold_hits_closest_achievable_count():
    from hylyte.microstructure.frameworks import _threshold

    rng = np.random.default_rng(0)
    for trial in range(60):
        f = rng.normal(size=(int(rng.integers(1, 40)), 7, 5)).astype(np.float32)
        if trial % 3 == 0:
            f = np.round(f * 3) / 3  # many ties
        phi = rng.uniform(0.01, 0.99)
        k = max(1, round(phi * f.size))
        got = np.count_nonzero(f <= np.float32(_threshold(f, phi)))
        # brute force over every distinct level
        best = min(abs(int(np.count_nonzero(f <= v)) - k) for v in np.unique(f))
        assert abs(got - k) == best
