"""Voxel path: choices are reported, seeds reproduce, and the solve agrees with references."""

from __future__ import annotations

import warnings

import pytest

from hylyte.design import design_from_dict, evaluate
from hylyte.design.voxel import plan
from hylyte.errors import ValidityWarning

pytestmark = pytest.mark.slow

CONTRAST = 10.0


def _dilute(seed=5, *, box="4 um", filler="LLZTO", size="1 um", fraction="10 vol%",
            budget=None):
    """Spheres of a library ceramic in an inline matrix 10x less conducting at 25 degC."""
    from hylyte.materials import get_material

    sf = float(get_material(filler).sigma(298.15)) if filler != "SiO2" else 1e-2
    voxel = {"voxel_size": "0.125 um", "box": box}
    if budget is not None:
        voxel = {"max_voxels_per_axis": budget}
    return design_from_dict({
        "design": {"name": "dilute spheres", "kind": "composite", "seed": seed},
        "matrix": {"name": "model polymer", "rho_plus": 0.25, "density": "1.2 g/cm^3",
                   "law": {"law": "arrhenius", "sigma_ref": f"{sf / CONTRAST} S/m",
                           "T_ref": "25 degC", "Ea": "0 eV"}},
        "fillers": [{"material": filler, "fraction": fraction, "shape": "sphere",
                     "size": size}],
        "evaluate": {"temperatures": ["25 degC"], "method": "both", "voxel": voxel},
    })


def test_dilute_spheres_agree_with_maxwell_garnett():
    r = evaluate(_dilute())
    p = r.points[0]
    info = r.voxel
    assert info.shape == (32, 32, 32)
    assert info.voxels_across_smallest == pytest.approx(8.0)
    phi_vox = info.volume_fractions["filler"]
    # MG at the voxel volume fraction (PHYSICS 8.10), written out independently
    sm = p.matrix_conductivity_S_per_cm
    sf = p.filler_conductivity_S_per_cm
    mg = sm * (sf + 2 * sm + 2 * phi_vox * (sf - sm)) / (sf + 2 * sm - phi_vox * (sf - sm))
    # stated tolerance: 5 % (random non-overlapping spheres in a 4-diameter box with
    # electrodes on two faces; MG is exact only for the coated-sphere assemblage)
    assert p.voxel_conductivity_S_per_cm == pytest.approx(mg, rel=0.05)
    assert p.voxel_conductivity_S_per_cm == pytest.approx(p.conductivity_S_per_cm, rel=0.06)
    frac = p.voxel_fraction_polymer + p.voxel_fraction_ceramic + p.voxel_fraction_interphase
    assert frac == pytest.approx(1.0, abs=1e-6)
    assert 0.25 < p.voxel_t_plus < 1.0


def test_passive_spheres_voxel_t_plus_is_rho_plus():
    r = evaluate(_dilute(filler="SiO2", box="3 um"))
    p = r.points[0]
    # PHYSICS 8.9: passive filler gives t+ = rho+ (to the solver tolerance)
    assert p.voxel_t_plus == pytest.approx(0.25, rel=1e-5)
    assert p.voxel_fraction_ceramic == pytest.approx(0.0, abs=1e-12)
    # insulating spheres lower the conductivity, within the HS upper bound
    assert p.voxel_conductivity_S_per_cm < p.matrix_conductivity_S_per_cm
    assert p.voxel_conductivity_S_per_cm <= p.hs_upper_S_per_cm * 1.01


def test_same_seed_same_volume_and_result():
    a = evaluate(_dilute(seed=9, box="2 um"))
    b = evaluate(_dilute(seed=9, box="2 um"))
    c = evaluate(_dilute(seed=10, box="2 um"))
    assert a.provenance.seed == 9
    assert (a.artifacts["slice"] == b.artifacts["slice"]).all()
    assert a.points[0].voxel_conductivity_S_per_cm == b.points[0].voxel_conductivity_S_per_cm
    assert (a.artifacts["slice"] != c.artifacts["slice"]).any()


def test_plan_reports_budget_and_small_box(examples_dir):
    from hylyte.design import load_design

    p = plan(_dilute(budget=16, size="2 um"))
    assert p.n == 16
    assert any("capped by the voxel budget (16^3)" in n for n in p.notes)
    # resolution is kept at >= 4 voxels across before the box shrinks
    assert 2e-6 / p.voxel_size_m == pytest.approx(4.0)
    # 50 um long wires cannot fit: the box is flagged as not representative
    p = plan(load_design(examples_dir / "llzto_aligned_nanowires.toml"))
    assert any("not a representative volume" in n for n in p.notes)
    # a 3 nm interphase on 400 nm particles is sub-voxel
    p = plan(load_design(examples_dir / "peo_llzto_nanoparticles.toml"))
    assert p.interphase == "sub-voxel"


@pytest.mark.parametrize(("name", "generator"), [
    ("peo_llzto_nanoparticles.toml", "spheres"),
    ("llzto_random_nanowires.toml", "fibres"),
    ("llzto_aligned_nanowires.toml", "fibres"),
    ("llzo_nanosheets.toml", "platelets"),
    ("llzo_nanofibre_network.toml", "fibre_network"),
    ("llzto_gyroid_scaffold.toml", "tpms"),
    ("llzto_spinodal.toml", "spinodal"),
    ("latp_lamellar_icetemplated.toml", "lamellar"),
])
def test_every_filler_shape_generates(examples_dir, name, generator):
    from dataclasses import replace

    from hylyte.design import load_design
    from hylyte.design.voxel import generate

    d = load_design(examples_dir / name)
    d = replace(d, evaluate=replace(d.evaluate, voxel=replace(
        d.evaluate.voxel, max_voxels_per_axis=24)))
    p = plan(d)
    with warnings.catch_warnings():
        # tiny boxes miss the target fraction; the generators say so (ValidityWarning),
        # and evaluate() records that message in the result
        warnings.simplefilter("ignore", ValidityWarning)
        vol = generate(d, p, seed=1)
    assert vol.shape == (p.n, p.n, p.n)
    assert vol.metadata.get("generator") == generator
    phi = vol.volume_fractions()["filler"]
    # target fraction within a loose tolerance on these tiny boxes
    assert phi == pytest.approx(d.fillers[0].fraction, abs=0.08)


def test_voxel_lamellae_are_the_exact_parallel_laminate(examples_dir):
    from dataclasses import replace

    from hylyte.design import load_design
    from hylyte.materials import get_material

    d = load_design(examples_dir / "latp_lamellar_icetemplated.toml")
    d = replace(d, evaluate=replace(d.evaluate, method="both", voxel=replace(
        d.evaluate.voxel, max_voxels_per_axis=24)))
    r = evaluate(d, rng=2)
    phi = r.voxel.volume_fractions["filler"]
    for p in r.points:
        sm, sf = p.matrix_conductivity_S_per_cm, p.filler_conductivity_S_per_cm
        # walls parallel to the transport axis: sum of phi_i sigma_i (PHYSICS 8.10, parallel)
        assert p.voxel_conductivity_S_per_cm == pytest.approx((1 - phi) * sm + phi * sf,
                                                              rel=1e-5)
        # and the two-solve t+ of parallel columns (PHYSICS 8.9)
        rho = get_material("PEO-LiTFSI").rho_plus
        t = ((1 - phi) * rho * sm + phi * sf) / ((1 - phi) * sm + phi * sf)
        assert p.voxel_t_plus == pytest.approx(t, rel=1e-5)
        assert p.voxel_fraction_ceramic == pytest.approx(phi * sf / ((1 - phi) * sm + phi * sf),
                                                         rel=1e-5)
