"""Volume files: native ``.npz``, segmented TIFF stacks, VTK ImageData ``.vti``.

Axis order. hylyte keeps labels as ``(x, y, z)``. A TIFF stack is a sequence of pages, each
page one **z-slice** stored row-major as ``(rows = y, columns = x)``; tifffile therefore
reads a stack as an array ``(z, y, x)``. Writing transposes ``labels`` to ``(z, y, x)``;
reading transposes back. The page description of a TIFF written here holds a JSON header
(voxel size, phases, axis order), so it round-trips; a foreign TIFF needs ``voxel_size``.

VTK ImageData stores cell data with x varying fastest, i.e. Fortran order of ``(x, y, z)``.
The ``.vti`` writer needs no VTK installation: XML with the labels as a UInt8 CellData array
named ``phase`` (ASCII, or base64 "binary" with a UInt32 byte-count header encoded
separately). Phase names go in a ``phases`` attribute (JSON) of the ``ImageData`` element,
which VTK readers ignore.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np

from hylyte.errors import DataFormatError, GeometryError
from hylyte.microstructure.volume import VoxelVolume

TIFF_HEADER = "hylyte-volume-tiff"


def read_npz(path: str | Path) -> VoxelVolume:
    """Read a native ``.npz`` volume (see :meth:`VoxelVolume.from_npz`)."""
    return VoxelVolume.from_npz(path)


def write_npz(volume: VoxelVolume, path: str | Path) -> Path:
    """Write a native ``.npz`` volume atomically (see :meth:`VoxelVolume.to_npz`)."""
    return volume.to_npz(path)


def write_tiff(volume: VoxelVolume, path: str | Path) -> Path:
    """Write the labels as a uint8 TIFF stack, one page per z-slice; atomic.

    The first page's description holds a JSON header with the voxel size [m], phases,
    interfaces and the axis order, so :func:`read_tiff` restores the volume.
    """
    import tifffile

    from hylyte._atomic import atomic_path

    header = {"format": TIFF_HEADER, "axis_order_in_file": "zyx",
              "voxel_size_m": list(volume.voxel_size),
              "phases": {str(k): v for k, v in volume.phases.items()},
              "interfaces": [{"labels": list(k), "asr_ohm_m2": p.asr_ohm_m2,
                              "sheet_conductance_S": p.sheet_conductance_S}
                             for k, p in volume.interfaces.items()],
              "periodic": volume.periodic, "metadata": volume.metadata}
    data = np.ascontiguousarray(volume.labels.transpose(2, 1, 0))
    path = Path(path)
    with atomic_path(path) as tmp:
        # a prefix keeps tifffile from taking the JSON for its own 'shaped' description
        tifffile.imwrite(tmp, data, description=f"{TIFF_HEADER} {json.dumps(header)}",
                         metadata=None, photometric="minisblack")
    return path


def read_tiff(path: str | Path, *, voxel_size: float | Sequence[float] | None = None,
              phases: Mapping[int, str] | None = None) -> VoxelVolume:
    """Read a segmented TIFF stack (pages = z-slices) into a VoxelVolume.

    Parameters
    ----------
    path : str or Path
    voxel_size : float or (float, float, float), optional
        Voxel edge [m]; required unless the file carries a hylyte header. When given it
        overrides the header.
    phases : mapping, optional
        Phase names per label; default from the header, else ``"phase<k>"``.

    Raises
    ------
    DataFormatError
        Missing, unreadable or corrupt file; non-integer or out-of-range labels; not 2D/3D.
    GeometryError
        No voxel size in the file and none given.
    """
    import tifffile

    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"TIFF file {str(path)!r} does not exist")
    try:
        with tifffile.TiffFile(path) as tf:
            arr = tf.asarray()
            desc = tf.pages[0].description if len(tf.pages) else ""
    except Exception as err:  # tifffile raises many kinds on corrupt input
        raise DataFormatError(f"{str(path)!r} is not a readable TIFF stack: {err}") from err
    header = None
    if desc and desc.startswith(TIFF_HEADER + " "):
        try:
            h = json.loads(desc[len(TIFF_HEADER) + 1:])
            header = h if isinstance(h, dict) and h.get("format") == TIFF_HEADER else None
        except json.JSONDecodeError:
            header = None
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3:
        raise DataFormatError(f"{str(path)!r}: expected a stack of 2D grey pages, "
                              f"got array shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.mod(arr, 1) == 0):
            arr = arr.astype(np.int64)
        else:
            raise DataFormatError(f"{str(path)!r}: labels must be integers (a segmented "
                                  f"image), got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() > 255):
        raise DataFormatError(f"{str(path)!r}: labels must lie in 0..255, got "
                              f"{arr.min()}..{arr.max()}")
    labels = np.ascontiguousarray(arr.astype(np.uint8, copy=False).transpose(2, 1, 0))
    if voxel_size is None:
        if header is None:
            raise GeometryError(f"{str(path)!r} carries no voxel size; pass voxel_size [m] "
                                "(e.g. --voxel-size '50 nm')")
        voxel_size = tuple(header["voxel_size_m"])
    if phases is None:
        if header is not None:
            phases = {int(k): v for k, v in header["phases"].items()}
        else:
            phases = {int(v): f"phase{int(v)}" for v in np.unique(labels)}
    interfaces = {}
    md: dict = {"source": str(path.name)}
    periodic = False
    if header is not None:
        interfaces = {tuple(i["labels"]): {"asr_ohm_m2": i["asr_ohm_m2"],
                                           "sheet_conductance_S": i["sheet_conductance_S"]}
                      for i in header.get("interfaces", [])}
        md = header.get("metadata", md)
        periodic = bool(header.get("periodic", False))
    return VoxelVolume(labels, voxel_size, dict(phases), interfaces, periodic, md)


def write_vti(volume: VoxelVolume, path: str | Path, *,
              encoding: Literal["ascii", "base64"] = "base64") -> Path:
    """Write a VTK XML ImageData file (``.vti``) for ParaView; atomic, no VTK needed.

    The labels become the UInt8 cell array ``phase``; the spacing is the voxel size [m] and
    the origin 0. Phase names are stored as the ``phases`` attribute (JSON) of the
    ``ImageData`` element, which VTK readers ignore.
    """
    from xml.sax.saxutils import quoteattr

    from hylyte._atomic import atomic_write_bytes

    if encoding not in ("ascii", "base64"):
        raise GeometryError(f"encoding must be 'ascii' or 'base64', got {encoding!r}")
    nx, ny, nz = volume.shape
    dx, dy, dz = volume.voxel_size
    flat = volume.labels.ravel(order="F")  # x fastest
    if encoding == "ascii":
        body = " ".join(map(str, flat.tolist()))
        fmt = "ascii"
    else:
        raw = flat.tobytes()
        body = (base64.b64encode(struct.pack("<I", len(raw))) + base64.b64encode(raw)).decode()
        fmt = "binary"
    phases = quoteattr(json.dumps({str(k): v for k, v in volume.phases.items()}))
    text = (
        '<?xml version="1.0"?>\n'
        '<VTKFile type="ImageData" version="1.0" byte_order="LittleEndian" '
        'header_type="UInt32">\n'
        f'  <ImageData WholeExtent="0 {nx} 0 {ny} 0 {nz}" Origin="0 0 0" '
        f'Spacing="{dx!r} {dy!r} {dz!r}" phases={phases}>\n'
        f'    <Piece Extent="0 {nx} 0 {ny} 0 {nz}">\n'
        '      <CellData Scalars="phase">\n'
        f'        <DataArray type="UInt8" Name="phase" format="{fmt}" '
        f'RangeMin="{int(flat.min()) if flat.size else 0}" '
        f'RangeMax="{int(flat.max()) if flat.size else 0}">\n'
        f"          {body}\n"
        "        </DataArray>\n"
        "      </CellData>\n"
        "    </Piece>\n"
        "  </ImageData>\n"
        "</VTKFile>\n")
    return atomic_write_bytes(path, text.encode("ascii"))


def read_vti(path: str | Path) -> VoxelVolume:
    """Read a ``.vti`` written by :func:`write_vti` (UInt8 cell array, ascii or base64).

    Raises
    ------
    DataFormatError
        Not an ImageData file, a missing or corrupt ``phase`` array, or a size mismatch.
    """
    import xml.etree.ElementTree as ET

    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"VTI file {str(path)!r} does not exist")
    try:
        root = ET.parse(path).getroot()
        img = root.find("ImageData")
        ext = [int(v) for v in img.get("WholeExtent").split()]  # type: ignore[union-attr]
        spacing = tuple(float(v) for v in img.get("Spacing").split())  # type: ignore[union-attr]
        arr_el = img.find("Piece/CellData/DataArray")  # type: ignore[union-attr]
        fmt = arr_el.get("format")  # type: ignore[union-attr]
        text = (arr_el.text or "").strip()  # type: ignore[union-attr]
        shape = (ext[1] - ext[0], ext[3] - ext[2], ext[5] - ext[4])
        n = math.prod(shape)
        if fmt == "ascii":
            flat = np.array(text.split(), dtype=np.int64)
        elif fmt == "binary":
            head = base64.b64decode(text[:8])
            nbytes = struct.unpack("<I", head)[0]
            flat = np.frombuffer(base64.b64decode(text[8:]), dtype=np.uint8)[:nbytes]
        else:
            raise DataFormatError(f"{str(path)!r}: unsupported DataArray format {fmt!r}")
        if flat.size != n:
            raise DataFormatError(f"{str(path)!r}: {flat.size} values for extent {shape}")
        phases_attr = img.get("phases")  # type: ignore[union-attr]
        phases = ({int(k): v for k, v in json.loads(phases_attr).items()} if phases_attr
                  else {int(v): f"phase{int(v)}" for v in np.unique(flat)})
    except DataFormatError:
        raise
    except Exception as err:
        raise DataFormatError(f"{str(path)!r} is not a readable VTK ImageData file: {err}"
                              ) from err
    labels = flat.astype(np.uint8).reshape(shape, order="F")
    return VoxelVolume(labels, spacing, phases)


def read_volume(path: str | Path, *, voxel_size: float | Sequence[float] | None = None
                ) -> VoxelVolume:
    """Read a volume by suffix: ``.npz``, ``.tif``/``.tiff`` or ``.vti``."""
    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        vol = read_npz(path)
        if voxel_size is not None:
            vol = VoxelVolume(vol.labels, voxel_size, vol.phases, vol.interfaces,
                              vol.periodic, vol.metadata)
        return vol
    if suffix in (".tif", ".tiff"):
        return read_tiff(path, voxel_size=voxel_size)
    if suffix == ".vti":
        return read_vti(path)
    raise DataFormatError(f"unknown volume file type {suffix!r} for {str(path)!r}; "
                          "allowed: .npz, .tif, .tiff, .vti")
