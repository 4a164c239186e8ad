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
