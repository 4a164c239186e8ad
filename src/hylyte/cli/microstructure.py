"""``hylyte generate`` and ``hylyte volume info``: voxel microstructures on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hylyte.cli._common import cli_errors, echo_json

volume_app = typer.Typer(name="volume", help="Inspect voxel volumes (.npz, .tif, .vti).",
                         no_args_is_help=True, rich_markup_mode=None)


def _load_spec(path: Path) -> dict:
    import tomllib

    from hylyte.errors import DataFormatError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataFormatError(f"{str(path)!r} is not valid TOML: {err}") from err
    if "microstructure" in data and "generator" not in data:
        data = data["microstructure"]
    return data


def generate_command(
    spec: Annotated[Path, typer.Argument(help="Generator spec (.toml): generator = '...', "
                                         "parameters with units.", exists=True,
                                         dir_okay=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output volume (.npz).")],
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (overrides the "
                                             "spec's seed).")] = None,
    tiff: Annotated[bool, typer.Option("--tiff", help="Also write a TIFF stack (.tif, "
                                       "pages = z-slices).")] = False,
    vti: Annotated[bool, typer.Option("--vti", help="Also write VTK ImageData (.vti) for "
                                      "ParaView.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the volume summary as "
                                           "JSON.")] = False,
) -> None:
    """Generate a microstructure from SPEC and write it to OUT (.npz)."""
    with cli_errors():
        from hylyte.microstructure.dispatch import generate
        from hylyte.microstructure.io import write_tiff, write_vti

        data = _load_spec(spec)
        vol = generate(data, rng=seed)
        written = [vol.to_npz(out)]
        if tiff:
            written.append(write_tiff(vol, out.with_suffix(".tif")))
        if vti:
            written.append(write_vti(vol, out.with_suffix(".vti")))
        if json_out:
            echo_json({"written": [str(p) for p in written], "summary": vol.summary(),
                       "metadata": vol.metadata})
        else:
            for p in written:
                typer.echo(str(p))


@volume_app.command("info")
def info_command(
    file: Annotated[Path, typer.Argument(help="Volume file (.npz, .tif/.tiff or .vti).")],
    voxel_size: Annotated[str | None, typer.Option(
        "--voxel-size", help="Voxel edge with unit, e.g. '50 nm', or three edges in x,y,z "
        "order, e.g. '50 nm,50 nm,120 nm' (TIFF pages are z-slices; needed for a TIFF "
        "without a hylyte header).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Print grid, phase fractions, interface areas and percolation of a volume."""
    with cli_errors():
        from hylyte.cli.solve import parse_voxel_size
        from hylyte.microstructure.io import read_volume

        vs = parse_voxel_size(voxel_size) if voxel_size else None
        vol = read_volume(file, voxel_size=vs)
        if json_out:
            echo_json(vol.summary())
        else:
            typer.echo(str(vol))


def register(app: typer.Typer) -> None:
    """Add ``generate`` and the ``volume`` group to the hylyte app."""
    app.command("generate")(generate_command)
    app.add_typer(volume_app, name="volume")
