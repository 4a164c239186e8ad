"""``hylyte solve``: effective conductivity of a voxel volume by finite volumes."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json


def parse_voxel_size(text: str, field: str = "--voxel-size") -> float | tuple[float, ...]:
    """One voxel edge, or three comma-separated edges in x,y,z order, with units [m].

    ``"0.5 um"`` -> ``5e-7``; ``"0.5 um,0.5 um,1.2 um"`` -> ``(5e-7, 5e-7, 1.2e-6)`` (TIFF
    pages are z-slices, so the third edge is the page spacing).

    Raises
    ------
    InputError
        Not one or three items, or an edge that is not a positive finite length.
    """
    import math

    from hylyte.errors import InputError
    from hylyte.units import parse

    items = [p.strip() for p in str(text).split(",")]
    if len(items) not in (1, 3) or any(not p for p in items):
        raise InputError(f"{field} must be one length or three comma-separated lengths in "
                         f"x,y,z order (e.g. '0.5 um' or '0.5 um,0.5 um,1.2 um'), got {text!r}")
    out = []
    for axis, item in zip("xyz" if len(items) == 3 else "x", items, strict=False):
        name = field if len(items) == 1 else f"{field} ({axis})"
        h = float(parse(item, "length", field=name))
        if not (math.isfinite(h) and h > 0):
            raise InputError(f"{name} must be a positive finite length, got {item!r}")
        out.append(h)
    return out[0] if len(out) == 1 else tuple(out)


def _load_volume(path: Path, voxel_size: str | None):
    import numpy as np

    from hylyte.errors import DataFormatError, InputError
    from hylyte.microstructure.volume import VoxelVolume

    suffix = path.suffix.lower()
    if suffix == ".npz":
        vol = VoxelVolume.from_npz(path)
        if voxel_size is not None:
            vol = VoxelVolume(vol.labels, parse_voxel_size(voxel_size),
                              vol.phases, vol.interfaces, vol.periodic, vol.metadata)
        return vol
    if suffix in (".tif", ".tiff"):
        if voxel_size is None:
            raise InputError("--voxel-size (e.g. '0.5 um', or '0.5 um,0.5 um,1.2 um' in x,y,z "
                             "order) is required for a TIFF stack")
        import tifffile

        try:
            arr = np.asarray(tifffile.imread(path))
        except (OSError, ValueError) as err:
            raise DataFormatError(f"{str(path)!r} is not a readable TIFF stack: {err}") from err
        if arr.ndim == 2:
            arr = arr[None]
        if arr.ndim != 3 or not np.issubdtype(arr.dtype, np.integer):
            raise DataFormatError(f"{str(path)!r}: need a stack of integer label images, got "
                                  f"shape {arr.shape} dtype {arr.dtype}")
        labels = np.ascontiguousarray(np.transpose(arr, (2, 1, 0)))  # (z, y, x) -> (x, y, z)
        h = parse_voxel_size(voxel_size)
        phases = {int(v): f"phase{int(v)}" for v in np.unique(labels)}
        return VoxelVolume(labels, h, phases)
    raise DataFormatError(f"volume must be .npz or .tif/.tiff, got {str(path)!r}")


def _parse_conductivities(text: str, volume) -> dict:
    from hylyte.errors import InputError
    from hylyte.units import parse

    out: dict = {}
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        if "=" not in item:
            raise InputError(f"--conductivities item {item!r} must be LABEL=VALUE UNIT, e.g. "
                             "'0=1e-9 S/cm'")
        key, val = (s.strip() for s in item.split("=", 1))
        k: int | str = int(key) if key.lstrip("-").isdigit() else key
        if isinstance(k, str) and k not in volume.phases.values():
            raise InputError(f"--conductivities: {k!r} is neither a label nor a phase name "
                             f"(phases: {volume.phases})")
        out[k] = parse(val, "conductivity", field=f"--conductivities {key}")
    return out


def solve_command(
    volume: Annotated[Path, typer.Argument(help="Volume: .npz (hylyte) or a segmented TIFF "
                                           "stack of integer labels (pages = z-slices).")],
    conductivities: Annotated[str, typer.Option(
        "--conductivities", "-c",
        help="Per label or phase name, with units: '0=1e-9 S/cm,1=1e-3 S/cm'.")],
    axis: Annotated[str, typer.Option("--axis", help="Transport axis: x, y or z.")] = "x",
    tensor: Annotated[bool, typer.Option("--tensor", help="Periodic homogenisation: full "
                                         "3x3 tensor (three solves).")] = False,
    backend: Annotated[str, typer.Option("--backend", help="auto, mgpcg, pyamg, direct or "
                                         "torch.")] = "auto",
    rtol: Annotated[float, typer.Option("--rtol", help="Relative residual ||b-Ax||/||b|| "
                                        "at which CG stops.")] = 1e-6,
    voxel_size: Annotated[str | None, typer.Option(
        "--voxel-size", help="Voxel edge with unit, e.g. '0.5 um', or three edges in x,y,z "
        "order, e.g. '0.5 um,0.5 um,1.2 um' (TIFF pages are z-slices; required for "
        "TIFF).")] = None,
    dirichlet_at: Annotated[str, typer.Option(
        "--dirichlet-at", help="face (TauFactor) or centre (first voxel centres).")] = "face",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress on stderr.")] = False,
) -> None:
    """Effective conductivity (and tortuosity, current fractions) of a voxel volume."""
    with cli_errors():
        from hylyte.solve import homogenize
        from hylyte.units import convert

        vol = _load_volume(volume, voxel_size)
        sigma = _parse_conductivities(conductivities, vol)
        t0 = time.monotonic()
        last = [0.0]

        def progress(it: int, rel: float) -> None:
            now = time.monotonic()
            if now - last[0] > 0.5:
                last[0] = now
                sys.stderr.write(f"\rsolving: iteration {it}, residual {rel:.2e}, "
                                 f"{now - t0:.1f} s   ")
                sys.stderr.flush()

        res = homogenize(vol, sigma, axis=axis, bc="periodic" if tensor else "dirichlet",
                         dirichlet_at=dirichlet_at, backend=backend, rtol=rtol,
                         progress=None if quiet else progress)
        if not quiet:
            sys.stderr.write("\r" + " " * 70 + "\r")
        if as_json:
            d = res.to_dict()
            d["sigma_eff_S_per_cm"] = convert(res.sigma_eff, "conductivity", "S/cm")
            echo_json(d)
            return
        typer.echo(f"sigma_eff ({res.axis}, {res.bc}): "
                   f"{convert(res.sigma_eff, 'conductivity', 'S/cm'):.6g} S/cm")
        if res.reason:
            typer.echo(f"  reason: {res.reason}")
        if res.tensor is not None:
            for row in res.tensor:
                typer.echo("  [" + "  ".join(f"{convert(v, 'conductivity', 'S/cm'):.6g}"
                                             for v in row) + "] S/cm")
        for name, tau in res.tortuosity.items():
            typer.echo(f"  {name}: tortuosity factor {tau:.6g}, current fraction "
                       f"{res.current_fraction.get(name, 0.0):.4f}")
        rep = res.report
        typer.echo(f"  backend {rep.backend}, {rep.iterations} iterations, residual "
                   f"{rep.rel_residual:.2e}, {rep.wall_time_s:.2f} s")
        for w in res.warnings:
            typer.echo(f"  warning: {w}")


def register(app: typer.Typer) -> None:
    """Add ``hylyte solve``."""
    app.command("solve")(solve_command)
