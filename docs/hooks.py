"""MkDocs hook: generate the reference pages from the code before every build.

The design-file reference comes from the pydantic schema, the CLI reference from the Typer
app, the materials table from the shipped library, and the API pages from docstrings
(mkdocstrings). Nothing here is edited by hand; ``mkdocs build --strict`` regenerates it.
"""

from __future__ import annotations

import json
from pathlib import Path

API_MODULES = {
    "Units": ["hylyte.units"],
    "Materials": ["hylyte.materials.laws", "hylyte.materials.library", "hylyte.materials.schema"],
    "Physics": [
        "hylyte.physics.composition", "hylyte.physics.emt", "hylyte.physics.interphase",
        "hylyte.physics.filler_effects", "hylyte.physics.pathways",
        "hylyte.physics.transference", "hylyte.physics.stack", "hylyte.physics.window",
        "hylyte.physics.mechanics", "hylyte.physics.cell",
    ],
    "Microstructure": ["hylyte.microstructure.volume", "hylyte.microstructure.connectivity"],
    "Solver": ["hylyte.solve.homogenize", "hylyte.solve.species"],
    "Designs": ["hylyte.design.load", "hylyte.design.evaluate", "hylyte.design.result"],
    "Measurements": [
        "hylyte.echem.readers", "hylyte.echem.circuits", "hylyte.echem.eis",
        "hylyte.echem.temperature_fit", "hylyte.echem.transference", "hylyte.echem.lsv",
        "hylyte.echem.ccd",
    ],
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _cli_page() -> str:
    import typer

    from hylyte.cli import app

    root = typer.main.get_command(app)
    out = ["# Command line", "", "Generated from the `hylyte` application.", ""]

    def walk(cmd, path: list[str], parent) -> None:
        # typer ships its own copy of click: use the command's own context class
        ctx = cmd.context_class(cmd, info_name=path[-1], parent=parent)
        out.extend([f"## `{' '.join(path)}`", "", "```text", cmd.get_help(ctx).rstrip(),
                    "```", ""])
        if hasattr(cmd, "list_commands"):
            for name in sorted(cmd.list_commands(ctx)):
                walk(cmd.get_command(ctx, name), [*path, name], ctx)

    walk(root, ["hylyte"], None)
    return "\n".join(out)


def _materials_page() -> str:
    from hylyte.materials import load_library

    lib = load_library()
    rows = ["# Materials library", "",
            "Generated from the data files shipped in `hylyte/materials/data/`. Conductivity at "
            "25 °C from each material's default law; every number's reference is listed with "
            "`hylyte materials show NAME`.", "",
            "| material | kind | density (g/cm³) | σ(25 °C) (S/cm) | references |",
            "|---|---|---|---|---|"]
    for mat in sorted(lib, key=lambda m: (m.kind, m.name.lower())):
        try:
            s25 = float(mat.sigma(298.15)) / 100.0
            s25_txt = f"{s25:.2e}" if s25 > 0 else "0"
        except Exception:  # a law that refuses 25 °C (tabulated range) is shown as '-'
            s25_txt = "-"
        dens = f"{mat.density / 1000:.3g}" if mat.density else "-"
        refs = []
        for key in mat.references:
            entry = lib.bib.get(key)
            doi = entry.doi if entry else None
            refs.append(f"[{key}](https://doi.org/{doi})" if doi else key)
        rows.append(f"| {mat.name} | {mat.kind} | {dens} | {s25_txt} | {', '.join(refs)} |")
    return "\n".join(rows) + "\n"


def _schema_rows(schema: dict, defs: dict, prefix: str, rows: list[str], seen: set) -> None:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    for name, spec in props.items():
        ref = spec.get("$ref") or next(
            (s.get("$ref") for s in [*spec.get("anyOf", []), spec.get("items", {})]
             if isinstance(s, dict) and s.get("$ref")), None)
        kind = spec.get("type") or " or ".join(
            str(s.get("type", s.get("$ref", "").split("/")[-1])) for s in spec.get("anyOf", []))
        kind = kind.replace(" or null", ", optional").replace(
            "string or number or integer", "quantity")
        if "enum" in spec:
            kind = " / ".join(f"`{v}`" for v in spec["enum"])
        elif "const" in spec:
            kind = f"`{spec['const']}`"
        desc = (spec.get("description") or "").replace("\n", " ").replace("|", "\\|")
        default = spec.get("default")
        dtxt = "" if default is None else f"`{json.dumps(default)}`"
        rows.append(f"| `{prefix}{name}` | {kind} | {'yes' if name in required else ''} | "
                    f"{dtxt} | {desc} |")
        if ref:
            sub = ref.split("/")[-1]
            if sub in defs and (prefix + name) not in seen:
                seen.add(prefix + name)
                _schema_rows(defs[sub], defs, f"{prefix}{name}.", rows, seen)


def _design_page() -> str:
    from hylyte.design import schema

    out = ["# Design-file reference", "",
           "Generated from the pydantic schema in `hylyte.design.schema`. Quantities are "
           "strings with units (`\"400 nm\"`, `\"60 degC\"`, `\"15 vol%\"`).", ""]
    models = getattr(schema, "DOCUMENTED_MODELS", None)
    if models is None:
        models = {name: obj for name, obj in vars(schema).items()
                  if name.endswith("File") and hasattr(obj, "model_json_schema")}
    for title, model in models.items():
        js = model.model_json_schema()
        rows = ["| field | type | required | default | description |", "|---|---|---|---|---|"]
        _schema_rows(js, js.get("$defs", {}), "", rows, set())
        out.extend([f"## {title}", "", *rows, ""])
    return "\n".join(out)


def _api_page() -> str:
    import importlib

    out = ["# Python API", "", "Generated from the docstrings (numpydoc, units in brackets).", ""]
    for section, modules in API_MODULES.items():
        out.extend([f"## {section}", ""])
        for mod in modules:
            try:
                importlib.import_module(mod)
            except ImportError:
                continue
            out.extend([f"::: {mod}", "    options:", "      heading_level: 3", ""])
    return "\n".join(out)


def on_pre_build(config, **kwargs) -> None:
    """Regenerate docs/reference/*.md."""
    ref = Path(config["docs_dir"]) / "reference"
    _write(ref / "cli.md", _cli_page())
    _write(ref / "materials.md", _materials_page())
    _write(ref / "design-file.md", _design_page())
    _write(ref / "api.md", _api_page())
