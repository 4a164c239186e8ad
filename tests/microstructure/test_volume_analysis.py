"""VoxelVolume analysis methods, interphase shells, file formats and the CLI."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from typer.testing import CliRunner

from hylyte.errors import DataFormatError, GeometryError
from hylyte.microstructure import VoxelVolume, add_interphase, spheres
from hylyte.microstructure.interphase import shell_mask
from hylyte.microstructure.io import (
    read_tiff,
    read_volume,
    read_vti,
    write_tiff,
    write_vti,
)

H = 1e-7


def _ball(n=32, r=6.0, vs=(H, H, H)):
    x = [(np.arange(n) + 0.5) * h - n * h / 2 for h in vs]
    X, Y, Z = np.meshgrid(*x, indexing="ij")
    lab = ((r * H) ** 2 >= (X**2 + Y**2 + Z**2)).astype(np.uint8)
    return VoxelVolume(lab, vs, {0: "matrix", 1: "filler"})


def test_percolation_of_a_column_and_a_ball():
    lab = np.zeros((10, 12, 14), dtype=np.uint8)
    lab[4:6, 4:6, :] = 1  # a column along z
    lab[0:2, 0:2, 0:2] = 2  # a corner block touching the x, y and z = 0 faces
    lab[7:9, 8:10, 6:8] = 3  # an isolated block
    vol = VoxelVolume(lab, H, {0: "m", 1: "col", 2: "corner", 3: "iso"})
    p = vol.percolation()
    assert p["col"]["z"]["percolates"]
    assert p["col"]["z"]["percolating_fraction"] == 1.0
    assert not p["col"]["x"]["percolates"]
    assert p["col"]["x"]["connected_fraction"] == 0.0
    assert p["corner"]["x"]["connected_fraction"] == 1.0
    assert p["corner"]["x"]["percolating_fraction"] == 0.0
    assert p["iso"]["y"]["isolated_fraction"] == pytest.approx(8 / lab.size)
    assert p["m"]["x"]["percolates"]


def test_summary_str_and_json():
    vol = _ball()
    s = vol.summary()
    json.dumps(s)
    assert s["volume_fractions"]["filler"] == pytest.approx(vol.fraction(1))
    assert "filler|matrix" in s["interface_area_per_volume_per_m"]
    text = str(vol)
    assert "filler" in text
    assert "interface filler|matrix" in text


def test_interface_area_of_one_sphere_and_anisotropic_voxels():
    # one resolved sphere: S = 4 pi r^2 / V; voxel shape must not matter after correction
    for vs in ((H, H, H), (H, H, 2 * H)):
        n = 48
        vol = _ball(n=n, r=9.0, vs=vs)
        S = vol.interface_area_per_volume()["filler|matrix"]
        exact = 4 * math.pi * (9 * H) ** 2 / np.prod(vol.size_m)
        assert pytest.approx(exact, rel=0.04) == S


def test_plot_slices_returns_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    vol = _ball(n=16, r=4.0)
    axes = vol.plot_slices()
    assert len(axes) == 3
    assert axes[0].get_xlabel() == "y [um]"
    _fig, ax = plt.subplots()
    out = vol.plot_slices(ax, normals="y")
    assert out == [ax]
    assert ax.get_xlabel() == "x [um]"
    plt.close("all")
    with pytest.raises(GeometryError):
        vol.plot_slices(ax, normals="xy")


def test_crop_is_a_view():
    vol = _ball(n=16, r=4.0)
    sub = vol.crop((2, 2, 2), (10, 12, 14))
    assert sub.shape == (8, 10, 12)
    assert np.shares_memory(sub.labels, vol.labels)


@pytest.mark.parametrize(("r", "t"), [(8.0, 3.0), (12.0, 4.0), (4.0, 3.0)])
def test_resolved_shell_volume_matches_analytic(r, t):
    # shell of t around a ball of radius r: 4/3 pi ((r + t)^3 - r^3), with r the radius of
    # the voxelised ball's volume; resolved shells >= 3 voxels agree within a few percent
    vol = _ball(n=40, r=r)
    out = add_interphase(vol, thickness=t * H, around="filler", name="SEI")
    n_shell = np.count_nonzero(out.labels == out.label_of("SEI"))
    req = (3 / (4 * math.pi) * np.count_nonzero(vol.labels == 1)) ** (1 / 3)
    exact = 4 / 3 * math.pi * ((req + t) ** 3 - req**3)
    assert n_shell == pytest.approx(exact, rel=0.05)
    assert out.metadata["interphase"]["mode"] == "resolved"
    assert np.count_nonzero(out.labels == 1) == np.count_nonzero(vol.labels == 1)


@pytest.mark.parametrize("periodic", [False, True])
def test_chunked_shell_equals_brute_force(periodic):
    rng = np.random.default_rng(1)
    lab = (rng.random((13, 9, 11)) < 0.02).astype(np.uint8)
    vs = (H, 1.5 * H, 0.8 * H)
    t = 2.1 * H
    got = shell_mask(lab, 1, [0], vs, t, periodic=periodic, chunk=4)
    core = np.argwhere(lab == 1) * np.array(vs)
    pts = np.argwhere(lab == 0)
    d = pts[:, None, :] * np.array(vs) - core[None, :, :]
    if periodic:
        box = np.array(lab.shape) * np.array(vs)
        d -= box * np.round(d / box)
    near = np.sqrt((d**2).sum(-1)).min(axis=1) <= t + 0.25 * min(vs)
    ref = np.zeros(lab.shape, dtype=bool)
    ref[tuple(pts[near].T)] = True
    assert np.array_equal(got, ref)


def test_planar_shell_thickness_in_planes():
    lab = np.zeros((4, 4, 20), dtype=np.uint8)
    lab[:, :, :5] = 1
    vol = VoxelVolume(lab, H, {0: "PEO", 1: "LLZO"})
    for t, planes in ((3.0, 3), (2.8, 3), (1.0, 1)):
        out = add_interphase(vol, thickness=t * H, around="LLZO")
        assert np.count_nonzero(out.labels[0, 0] == 2) == planes


def test_subvoxel_shell_attaches_interface_properties():
    vol = _ball(n=16, r=4.0)
    out = add_interphase(vol, thickness=3e-9, around="filler", conductivity=1e-2,
                         asr_ohm_m2=1e-4)
    props = out.interfaces[(0, 1)]
    assert props.sheet_conductance_S == pytest.approx(3e-11)
    assert props.asr_ohm_m2 == 1e-4
    assert np.array_equal(out.labels, vol.labels)
    with pytest.raises(GeometryError, match="thickness"):
        add_interphase(vol, thickness=3e-9, around="filler")


def test_npz_tiff_vti_round_trips(tmp_path):
    vol = spheres(diameter=6 * H, fraction=0.2, voxel_size=(H, H, 2 * H), shape=(20, 16, 12),
                  rng=1, phases={0: "PEO-LiTFSI", 1: "LLZTO"})
    vol = vol.with_interface("LLZTO", "PEO-LiTFSI", asr_ohm_m2=2e-4)
    back = VoxelVolume.from_npz(vol.to_npz(tmp_path / "v.npz"))
    assert np.array_equal(back.labels, vol.labels)
    assert back.interfaces == vol.interfaces
    write_tiff(vol, tmp_path / "v.tif")
    t = read_tiff(tmp_path / "v.tif")
    assert np.array_equal(t.labels, vol.labels)
    assert t.voxel_size == vol.voxel_size
    assert t.phases == vol.phases
    assert t.interfaces == vol.interfaces
    # the pages are z-slices: page k is labels[:, :, k] transposed to (y, x)
    import tifffile

    pages = tifffile.imread(tmp_path / "v.tif")
    assert pages.shape == (12, 16, 20)
    assert np.array_equal(pages[5], vol.labels[:, :, 5].T)
    for enc in ("ascii", "base64"):
        p = write_vti(vol, tmp_path / f"v_{enc}.vti", encoding=enc)
        root = ET.parse(p).getroot()
        img = root.find("ImageData")
        assert img.get("WholeExtent") == "0 20 0 16 0 12"
        assert [float(s) for s in img.get("Spacing").split()] == list(vol.voxel_size)
        arr = img.find("Piece/CellData/DataArray")
        assert arr.get("Name") == "phase"
        assert arr.get("type") == "UInt8"
        r = read_vti(p)
        assert np.array_equal(r.labels, vol.labels)
        assert r.phases == vol.phases
    # base64: UInt32 byte count, then the data, x fastest
    import base64

    text = ET.parse(tmp_path / "v_base64.vti").getroot().find(
        "ImageData/Piece/CellData/DataArray").text.strip()
    assert int.from_bytes(base64.b64decode(text[:8]), "little") == vol.labels.size
    raw = np.frombuffer(base64.b64decode(text[8:]), dtype=np.uint8)
    assert np.array_equal(raw, vol.labels.transpose(2, 1, 0).ravel())


def test_foreign_tiff_needs_voxel_size_and_corrupt_files_fail(tmp_path):
    import tifffile

    arr = np.zeros((4, 5, 6), dtype=np.uint16)  # (z, y, x)
    arr[1, 2, 3] = 2
    tifffile.imwrite(tmp_path / "seg.tif", arr, photometric="minisblack")
    with pytest.raises(GeometryError, match="voxel_size"):
        read_tiff(tmp_path / "seg.tif")
    vol = read_tiff(tmp_path / "seg.tif", voxel_size=H)
    assert vol.shape == (6, 5, 4)
    assert vol.labels[3, 2, 1] == 2
    tifffile.imwrite(tmp_path / "grey.tif", np.full((2, 3, 3), 0.5, dtype=np.float32),
                     photometric="minisblack")
    with pytest.raises(DataFormatError, match="integers"):
        read_tiff(tmp_path / "grey.tif", voxel_size=H)
    for name in ("bad.tif", "bad.vti", "bad.npz"):
        (tmp_path / name).write_bytes(b"not a volume at all")
        with pytest.raises(DataFormatError):
            read_volume(tmp_path / name, voxel_size=H)
    with pytest.raises(DataFormatError, match="allowed"):
        read_volume(tmp_path / "x.raw")


def test_cli_generate_and_info(tmp_path):
    from hylyte.cli import app

    spec = tmp_path / "spec.toml"
    spec.write_text('generator = "tpms"\nkind = "gyroid"\ncell_size = "1 um"\n'
                    'voxel_size = "100 nm"\nshape = [20, 20, 20]\nfraction = "30 vol%"\n'
                    '[phases]\n0 = "PEO"\n1 = "LLZTO"\n', encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["generate", str(spec), "-o", str(tmp_path / "g.npz"), "--tiff",
                              "--vti"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "g.tif").is_file()
    assert (tmp_path / "g.vti").is_file()
    res = runner.invoke(app, ["volume", "info", str(tmp_path / "g.tif"), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["volume_fractions"]["LLZTO"] == pytest.approx(0.3, abs=0.005)
    res = runner.invoke(app, ["volume", "info", str(tmp_path / "g.npz")])
    assert res.exit_code == 0
    assert "LLZTO" in res.output
    bad = tmp_path / "bad.toml"
    bad.write_text('generator = "cubes"\n', encoding="utf-8")
    res = runner.invoke(app, ["generate", str(bad), "-o", str(tmp_path / "b.npz")])
    assert res.exit_code == 1
    assert "allowed" in res.output


@pytest.mark.parametrize("periodic", [False, True])
def test_raw_interface_area_equals_explicit_face_loop(periodic):
    rng = np.random.default_rng(4)
    lab = rng.integers(0, 3, (5, 4, 6)).astype(np.uint8)
    vs = (1e-7, 2e-7, 3e-7)
    vol = VoxelVolume(lab, vs, {0: "a", 1: "b", 2: "c"}, periodic=periodic)
    got = vol.interface_area_per_volume(correction="none", by_name=False)
    ref: dict = {}
    face = (vs[1] * vs[2], vs[0] * vs[2], vs[0] * vs[1])
    for i in range(5):
        for j in range(4):
            for k in range(6):
                for ax, step in enumerate(((1, 0, 0), (0, 1, 0), (0, 0, 1))):
                    q = [i + step[0], j + step[1], k + step[2]]
                    if q[ax] == lab.shape[ax]:
                        if not periodic:
                            continue
                        q[ax] = 0
                    a, b = int(lab[i, j, k]), int(lab[tuple(q)])
                    if a != b:
                        key = (min(a, b), max(a, b))
                        ref[key] = ref.get(key, 0.0) + face[ax]
    V = np.prod(vol.size_m)
    assert set(got) == set(ref)
    for key, area in ref.items():
        assert got[key] == pytest.approx(area / V, rel=1e-12)
    iso = vol.interface_area_per_volume(by_name=False)
    assert all(iso[k] == pytest.approx(2 / 3 * got[k], rel=1e-12) for k in got)
