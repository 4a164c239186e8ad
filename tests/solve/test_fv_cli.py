"""``hylyte solve`` on .npz and TIFF volumes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from hylyte.cli import app
from hylyte.microstructure import reference as ref

runner = CliRunner()


def test_cli_npz_json(tmp_path):
    vol = ref.layers([8, 4], [0, 1], normal="x", cross_section=(3, 3), voxel_size=1e-6)
    p = vol.to_npz(tmp_path / "v.npz")
    out = runner.invoke(app, ["solve", str(p), "--conductivities", "0=1e-2 S/cm,1=1e-1 S/cm",
                              "--json", "-q", "--rtol", "1e-10"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["sigma_eff_S_per_cm"] == pytest.approx(12 / (8 / 1e-2 + 4 / 1e-1), rel=1e-6)
    assert d["report"]["backend"] == "auto->mgpcg"


def test_cli_tiff_axis_order(tmp_path):
    import tifffile

    # layers normal to z: TIFF pages are z-slices, so page k holds layer k
    zyx = np.zeros((6, 4, 5), np.uint8)
    zyx[3:] = 1
    p = tmp_path / "v.tif"
    tifffile.imwrite(p, zyx)
    out = runner.invoke(app, ["solve", str(p), "-c", "0=1 S/m,1=3 S/m", "--axis", "z",
                              "--voxel-size", "0.5 um", "--json", "-q", "--rtol", "1e-10",
                              "--backend", "direct"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["sigma_eff_S_per_m"] == pytest.approx(6 / (3 / 1 + 3 / 3), rel=1e-9)
    out = runner.invoke(app, ["solve", str(p), "-c", "0=1 S/m,1=3 S/m", "--axis", "x",
                              "--voxel-size", "0.5 um", "-q", "--tensor"])
    assert out.exit_code == 0, out.output
    assert "sigma_eff" in out.stdout


def test_cli_errors(tmp_path):
    import tifffile

    p = tmp_path / "v.tif"
    tifffile.imwrite(p, np.zeros((3, 3, 3), np.uint8))
    out = runner.invoke(app, ["solve", str(p), "-c", "0=1 S/m"])
    assert out.exit_code == 1
    assert "voxel-size" in out.output
    out = runner.invoke(app, ["solve", str(p), "-c", "0=1 parsec", "--voxel-size", "1 um"])
    assert out.exit_code == 1


def test_cli_anisotropic_voxel_size(tmp_path):
    import tifffile

    from hylyte.microstructure.volume import VoxelVolume
    from hylyte.solve import homogenize

    # uniform conductor with dx != dz: the effective conductivity is sigma exactly along
    # every axis (Ohm's law, independent of the spacing)
    p = tmp_path / "u.tif"
    tifffile.imwrite(p, np.ones((5, 4, 6), np.uint8))          # pages (z) = 5, y = 4, x = 6
    for axis in "xz":
        out = runner.invoke(app, ["solve", str(p), "-c", "1=2.5 S/m", "--axis", axis,
                                  "--voxel-size", "0.5 um,0.5 um,1.2 um", "--json", "-q",
                                  "--rtol", "1e-10", "--backend", "direct"])
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["sigma_eff_S_per_m"] == pytest.approx(2.5, rel=1e-9)
    # the spacing is applied in x,y,z order: box edges are n_x dx, n_y dy, n_z dz
    out = runner.invoke(app, ["volume", "info", str(p), "--voxel-size",
                              "0.5 um,0.5 um,1.2 um", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.stdout)
    assert d["voxel_size_m"] == pytest.approx([0.5e-6, 0.5e-6, 1.2e-6])
    assert d["size_m"] == pytest.approx([6 * 0.5e-6, 4 * 0.5e-6, 5 * 1.2e-6])
    # a two-phase random structure: the CLI matches the library on the same (x, y, z)
    # labels and spacing, and the anisotropic spacing changes the answer
    zyx = (np.random.default_rng(3).random((6, 5, 7)) < 0.6).astype(np.uint8)
    p2 = tmp_path / "r.tif"
    tifffile.imwrite(p2, zyx)
    lab = np.ascontiguousarray(zyx.transpose(2, 1, 0))
    vals = {}
    for vs, spacing in (("1 um,1 um,3 um", (1e-6, 1e-6, 3e-6)), ("1 um", (1e-6,) * 3)):
        out = runner.invoke(app, ["solve", str(p2), "-c", "0=1 S/m,1=10 S/m", "--axis", "y",
                                  "--voxel-size", vs, "--json", "-q", "--rtol", "1e-10",
                                  "--backend", "direct"])
        assert out.exit_code == 0, out.output
        vals[vs] = json.loads(out.stdout)["sigma_eff_S_per_m"]
        lib = homogenize(VoxelVolume(lab, spacing, {0: "phase0", 1: "phase1"}),
                         {"phase0": 1.0, "phase1": 10.0}, axis="y", backend="direct",
                         rtol=1e-10, tortuosity=False)
        assert vals[vs] == pytest.approx(lib.sigma_eff, rel=1e-9)
    assert abs(vals["1 um,1 um,3 um"] / vals["1 um"] - 1) > 1e-3


@pytest.mark.parametrize("bad", ["1 um,2 um", "1 um,,2 um", "0 um", "-1 um,1 um,1 um",
                                 "1 um,1 um,1 S", ""])
def test_cli_voxel_size_errors(tmp_path, bad):
    import tifffile

    p = tmp_path / "v.tif"
    tifffile.imwrite(p, np.ones((3, 3, 3), np.uint8))
    for cmd in (["solve", str(p), "-c", "1=1 S/m", "-q"], ["volume", "info", str(p)]):
        out = runner.invoke(app, [*cmd, "--voxel-size", bad])
        assert out.exit_code == 1, out.output
        assert "voxel-size" in out.output or "voxel_size" in out.output
