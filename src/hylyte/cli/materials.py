"""``hylyte materials list|show`` and ``hylyte cite``: the materials library with its sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hylyte.cli._common import cli_errors, echo_json

materials_app = typer.Typer(
    name="materials",
    help="Look up materials: properties, conductivity laws and the references behind them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_SHOW_T_C = (25.0, 60.0, 80.0)

MaterialsOpt = Annotated[
    list[Path] | None,
    typer.Option("--materials", "-m", help="Extra material file (TOML); repeat for several. "
                                           "Its materials add to or replace the shipped ones."),
]


def _library(files: list[Path] | None):
    from hylyte.materials.library import load_library

    return load_library(tuple(files or ()))


def _sigma_S_per_cm(mat: Any, T_C: float) -> float | None:
    if mat.law is None:
        return None
    return float(mat.sigma(T_C + 273.15)) / 100.0


def _refs(lib: Any, name: str) -> list[dict[str, Any]]:
    return lib.references(name)


def _summary(lib: Any, mat: Any) -> dict[str, Any]:
    rng = mat.sigma25_range
    return {
        "name": mat.name,
        "kind": mat.kind,
        "aliases": list(mat.aliases),
        "description": mat.description,
        "sigma25_S_per_cm": _sigma_S_per_cm(mat, 25.0),
        "sigma25_range_S_per_cm": [rng[0] / 100.0, rng[1] / 100.0] if rng else None,
        "density_g_per_cm3": mat.density / 1000.0 if mat.density is not None else None,
        "references": [{"key": r["key"], "doi": r["doi"], "isbn": r["isbn"]}
                       for r in _refs(lib, mat.name)],
    }


def list_materials(
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", help="Only this kind: ceramic, polymer, filler, electrode, salt, "
                             "collector.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    materials: MaterialsOpt = None,
) -> None:
    """List the materials in the library (name, kind, conductivity at 25 degC, density)."""
    with cli_errors():
        from hylyte.errors import InputError
        from hylyte.materials.schema import MATERIAL_KINDS

        if kind is not None and kind not in MATERIAL_KINDS:
            raise InputError(f"--kind: got {kind!r}; allowed: {', '.join(MATERIAL_KINDS)}")
        lib = _library(materials)
        rows = [_summary(lib, lib.get(n)) for n in lib.names(kind)]
    if json_out:
        echo_json(rows)
        return
    typer.echo(f"{'name':<18} {'kind':<10} {'sigma25 [S/cm]':>14} {'density [g/cm3]':>15}  refs")
    for r in rows:
        s = r["sigma25_S_per_cm"]
        d = r["density_g_per_cm3"]
        s_txt = "-" if s is None else f"{s:.3g}"
        d_txt = "-" if d is None else f"{d:.3g}"
        keys = ", ".join(x["key"] for x in r["references"])
        typer.echo(f"{r['name']:<18} {r['kind']:<10} {s_txt:>14} {d_txt:>15}  {keys}")


def _show_dict(lib: Any, mat: Any) -> dict[str, Any]:
    out = mat.to_dict()
    out["sigma_S_per_cm"] = {f"{T:g} degC": _sigma_S_per_cm(mat, T) for T in _SHOW_T_C}
    rng = mat.sigma25_range
    out["sigma25_range_S_per_cm"] = [rng[0] / 100.0, rng[1] / 100.0] if rng else None
    out["references"] = _refs(lib, mat.name)
    return out


def show(
    name: Annotated[str, typer.Argument(help="Material name or alias (case-insensitive).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")] = False,
    materials: MaterialsOpt = None,
) -> None:
    """Show one material: properties with units, conductivity at 25/60/80 degC, references."""
    with cli_errors():
        lib = _library(materials)
        mat = lib.get(name)
        data = _show_dict(lib, mat)
    if json_out:
        echo_json(data)
        return
    typer.echo(f"{mat.name} ({mat.kind}): {mat.description}")
    if mat.aliases:
        typer.echo(f"  aliases: {', '.join(mat.aliases)}")
    if mat.formula:
        typer.echo(f"  formula: {mat.formula}")
    for T, s in data["sigma_S_per_cm"].items():
        if s is not None:
            typer.echo(f"  sigma({T}) = {s:.3g} S/cm")
    if data["sigma25_range_S_per_cm"]:
        lo, hi = data["sigma25_range_S_per_cm"]
        typer.echo(f"  sigma(25 degC) literature range: {lo:.3g} - {hi:.3g} S/cm")
    if mat.law is not None:
        typer.echo(f"  law: {mat.law.kind}")
    typer.echo("  properties (SI):")
    for key, p in mat.properties.items():
        if p.kind == "table":
            continue
        src = p.ref or (f"derived from {', '.join(p.derived_from)}" if p.derived_from
                        else f"basis: {p.basis}")
        rng = f" range [{p.range[0]:.4g}, {p.range[1]:.4g}]" if p.range else ""
        typer.echo(f"    {key} = {p.value:.6g} ({p.kind}; given {p.given}){rng}  [{src}]")
    w = mat.window
    if any(v is not None for v in (w.reduction, w.oxidation, w.practical_reduction,
                                   w.practical_oxidation)):
        typer.echo(f"  window vs Li/Li+: intrinsic {w.intrinsic}, practical {w.practical} V; "
                   f"behaviour vs Li: {w.behaviour_vs_li}")
    if mat.electrode is not None:
        e = mat.electrode
        typer.echo(f"  electrode: {e.potential_min:g}-{e.potential_max:g} V, mean "
                   f"{e.mean_potential:g} V, {e.specific_capacity_mAh_per_g:.4g} mAh/g")
    for note in mat.notes:
        typer.echo(f"  note: {note}")
    typer.echo("  references:")
    for r in data["references"]:
        ident = f"doi:{r['doi']}" if r["doi"] else f"isbn:{r['isbn']}"
        typer.echo(f"    [{r['key']}] {r['citation']}, {ident}")


def cite(
    names: Annotated[list[str], typer.Argument(
        help="Material names/aliases or BibTeX keys whose references to print.")],
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the references as JSON instead of BibTeX.")] = False,
    materials: MaterialsOpt = None,
) -> None:
    """Print the BibTeX of the references behind the given materials (or keys)."""
    with cli_errors():
        lib = _library(materials)
        keys: list[str] = []
        for name in names:
            if name in lib.bib:
                keys.append(name)
            else:
                keys.extend(lib.get(name).references)
        unique = sorted(set(keys))
        if json_out:
            bib = lib.bib
            data = [bib[k].to_dict() if k in bib else {"key": k, "doi": k[4:]} for k in unique]
        else:
            text = lib.bibtex(unique)
    if json_out:
        echo_json(data)
    else:
        typer.echo(text, nl=False)


materials_app.command("list")(list_materials)
materials_app.command("show")(show)


def register(app: typer.Typer) -> None:
    """Add ``materials list|show`` and ``cite`` to the ``hylyte`` app."""
    app.add_typer(materials_app, name="materials")
    app.command("cite")(cite)
