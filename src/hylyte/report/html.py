"""Self-contained HTML report (figures embedded as base64 PNG) plus PNG/SVG figure files.

Every user-supplied string (design names, material names, warnings) is escaped with
:func:`html.escape`; the page loads nothing from outside (no scripts, fonts or styles from
the network).
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from hylyte.design.result import Result

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;
max-width:1100px;color:#222;line-height:1.4;padding:0 1em}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3}td.l,th.l{text-align:left}
.warn{background:#fff4e0;border-left:4px solid #e69500;padding:.4em .8em;margin:.3em 0}
figure{display:inline-block;margin:.5em;vertical-align:top}
figure img{max-width:520px;border:1px solid #eee}
figcaption{font-size:.85em;color:#555;max-width:520px}
.small{font-size:.85em;color:#555}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _fmt(v: Any, digits: int = 4) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if v == 0:
            return "0"
        return f"{v:.{digits}g}"
    return str(v)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], *,
           left: int | set[int] = 1) -> str:
    """An HTML table; columns ``< left`` (or in the set ``left``) are left-aligned."""
    def cls(i: int) -> str:
        is_left = i in left if isinstance(left, set) else i < left
        return "l" if is_left else ""

    out = ["<table><tr>"]
    out += [f'<th class="{cls(i)}">{_e(h)}</th>' for i, h in enumerate(header)]
    out.append("</tr>")
    for row in rows:
        out.append("<tr>")
        out += [f'<td class="{cls(i)}">{_e(_fmt(v))}</td>' for i, v in enumerate(row)]
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# --------------------------------------------------------------------------- figures
def figures_for(result: Result) -> dict[str, tuple[Figure, str]]:
    """Figures of one result: name -> (Figure, caption)."""
    from hylyte.report import plots

    figs: dict[str, tuple[Any, str]] = {}
    if result.kind == "composite":
        ax = plots.plot_arrhenius(result)
        figs["arrhenius"] = (ax.figure, "Arrhenius plot: composite estimate, components, "
                                        "Hashin-Shtrikman band and Wiener bounds.")
        ax = plots.plot_pathways(result)
        figs["pathways"] = (ax.figure, "Fraction of the ionic current through polymer, "
                                       "interphase and ceramic.")
    else:
        ax = plots.plot_stack_breakdown(result)
        figs["breakdown"] = (ax.figure, "Area-specific resistance per layer and interface.")
        ax = plots.plot_arrhenius_compare([result])
        figs["asr"] = (ax.figure, "Stack ASR versus inverse temperature.")
    if result.window is not None:
        ax = plots.plot_window(result)
        figs["window"] = (ax.figure, "Stability limits of the electrode-facing layers "
                                     "against the electrode potentials.")
    art = result.artifacts
    if art.get("slice") is not None:
        ax = plots.plot_microstructure(art["slice"], art["phases"],
                                       voxel_size_um=art.get("voxel_size_um", 1.0))
        figs["microstructure"] = (ax.figure, "Mid-plane slice of the generated voxel volume.")
    if art.get("current") is not None:
        ax = plots.plot_current_map(art["current"], voxel_size_um=art.get("voxel_size_um", 1.0))
        figs["current"] = (ax.figure, "Current density along the transport axis on the same "
                                      "slice (normalised).")
    return figs


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


# --------------------------------------------------------------------------- sections
def _composite_section(r: Any) -> str:
    parts = [f"<p>Model: {_e(r.model)}; method: {_e(r.method)}; density "
             f"{_e(_fmt(r.density_g_per_cm3))} g/cm³.</p>"]
    parts.append(_table(["phase", "role", "volume fraction", "shape", "size [µm]"],
                        [(p.name, p.role, p.volume_fraction, p.shape, p.size_um)
                         for p in r.phases], left=2))
    header = ["T [°C]", "σ [S/cm]", "σ in-plane [S/cm]", "HS⁻", "HS⁺", "t₊", "f polymer",
              "f interphase", "f ceramic"]
    rows = [[p.T_degC, p.conductivity_S_per_cm, p.conductivity_in_plane_S_per_cm,
             p.hs_lower_S_per_cm, p.hs_upper_S_per_cm, p.t_plus, p.fraction_polymer,
             p.fraction_interphase, p.fraction_ceramic] for p in r.points]
    if r.voxel is not None:
        header += ["σ voxel [S/cm]", "t₊ voxel", "f ceramic voxel"]
        for row, p in zip(rows, r.points, strict=True):
            row += [p.voxel_conductivity_S_per_cm, p.voxel_t_plus, p.voxel_fraction_ceramic]
    parts.append(_table(header, rows, left=0))
    if r.modulus is not None:
        mo = r.modulus
        parts.append(_table(["", "G⁻ [GPa]", "G⁺ [GPa]", "K⁻ [GPa]", "K⁺ [GPa]",
                             f"G ({mo.model}) [GPa]", "Monroe-Newman"],
                            [("moduli", mo.shear_lower_GPa, mo.shear_upper_GPa,
                              mo.bulk_lower_GPa, mo.bulk_upper_GPa, mo.shear_estimate_GPa,
                              mo.monroe_newman)]))
    if r.voxel is not None:
        v = r.voxel
        parts.append(
            f"<p>Voxel solve: {v.shape[0]}×{v.shape[1]}×{v.shape[2]} voxels of "
            f"{_e(_fmt(v.voxel_size_um))} µm (box {_e(_fmt(v.box_um))} µm, "
            f"{_e(_fmt(v.voxels_across_smallest, 3))} voxels across the smallest feature, "
            f"box / largest feature = {_e(_fmt(v.box_over_largest, 3))}); interphase "
            f"{_e(v.interphase)}; generator {_e(v.generator)}; backend {_e(v.backend)}; seed "
            f"{_e(v.seed)}; {_e(_fmt(v.wall_time_s, 3))} s.</p>")
        if v.notes:
            parts.append("<ul class='small'>" + "".join(f"<li>{_e(n)}</li>" for n in v.notes)
                         + "</ul>")
    return "".join(parts)


def _stack_section(r: Any) -> str:
    parts = [_table(["#", "layer", "thickness [µm]", "ρ₊", "density [g/cm³]"],
                    [(la.index, la.name, la.thickness_um, la.rho_plus, la.density_g_per_cm3)
                     for la in r.layers], left=2)]
    header = ["T [°C]", "ASR [Ω cm²]", "bulk", "interfaces", "t₊ stack", "retention",
              "i_lim [mA/cm²]", "limiting layer", "ohmic drop [mV]"]
    rows = [[p.T_degC, p.asr_ohm_cm2, p.asr_bulk_ohm_cm2, p.asr_interfaces_ohm_cm2, p.t_plus,
             p.retention_ratio, p.limiting_current_mA_per_cm2, p.limiting_layer,
             p.ohmic_drop_mV] for p in r.points]
    if any(getattr(p, "voxel_asr_ohm_cm2", None) is not None for p in r.points):
        header.insert(2, "voxel ASR [Ω cm²]")
        for row, p in zip(rows, r.points, strict=True):
            row.insert(2, p.voxel_asr_ohm_cm2)
    parts.append(_table(header, rows, left=0))
    if r.target is not None:
        t = r.target
        where = "not reached in 200-450 K" if t.T_K is None else f"{t.T_degC:.1f} °C"
        parts.append(f"<p>Target ASR {_e(_fmt(t.asr_ohm_cm2))} Ω cm²: {_e(where)}.</p>")
    if r.cell is not None:
        c = r.cell
        parts.append(f"<p>Cell (single-sided, no packaging): "
                     f"{_e(_fmt(c.specific_energy_Wh_per_kg))} Wh/kg, "
                     f"{_e(_fmt(c.energy_density_Wh_per_L))} Wh/L at "
                     f"{_e(_fmt(c.cathode_capacity_mAh_per_cm2))} mAh/cm², "
                     f"{_e(_fmt(c.cathode_voltage_V))} V; C-rate {_e(_fmt(c.c_rate))}.</p>")
    return "".join(parts)


def _window_section(r: Any) -> str:
    w = r.window
    if w is None:
        return ""
    head = (f"<p>Window {_e(_fmt(w.low_V))} – {_e(_fmt(w.high_V))} V vs Li/Li⁺"
            + (f"; limiting layer: {_e(w.limiting_layer)}" if w.limiting_layer else "") + "</p>")
    return head + _table(["side", "layer", "electrode", "electrode [V]", "limit [V]",
                          "status", "note"],
                         [(c.side, c.layer, c.electrode, c.electrode_potential_V, c.limit_V,
                           c.status, c.message) for c in w.checks], left={0, 1, 2, 5, 6})


def _provenance_section(r: Any) -> str:
    pv = r.provenance
    refs = "".join(
        f"<li>{_e(ref.key)}" + (f" — doi:{_e(ref.doi)}" if ref.doi else "") + "</li>"
        for ref in pv.references)
    mats = ", ".join(f"{_e(mu.name)} ({_e(mu.role)})" for mu in pv.materials)
    return (f"<details><summary>Provenance</summary><p class='small'>hylyte "
            f"{_e(pv.hylyte_version)}; design hash {_e(pv.design_hash[:16])}…; seed "
            f"{_e(pv.seed)}; materials: {mats}; models: {_e(', '.join(pv.models))}</p>"
            f"<ul class='small'>{refs}</ul></details>")


def _result_section(r: Any, figs: dict[str, tuple[Any, str]], pngs: dict[str, bytes],
                    prefix: str) -> str:
    body = [f"<h2>{_e(r.name)}</h2>"]
    body.append(_composite_section(r) if r.kind == "composite" else _stack_section(r))
    body.append(_window_section(r))
    if r.warnings:
        body.append("".join(f"<div class='warn'>{_e(w)}</div>" for w in r.warnings))
    for name, (_, caption) in figs.items():
        data = base64.b64encode(pngs[f"{prefix}{name}"]).decode("ascii")
        body.append(f"<figure><img alt='{_e(name)}' src='data:image/png;base64,{data}'>"
                    f"<figcaption>{_e(caption)}</figcaption></figure>")
    body.append(_provenance_section(r))
    return "".join(body)


def _comparison_table(results: Sequence[Any]) -> str:
    temps = sorted({round(p.T_K, 6) for r in results for p in r.points})
    header = ["design", "kind"] + [f"{T - 273.15:.0f} °C" for T in temps]
    rows = []
    for r in results:
        by_T = {round(p.T_K, 6): p for p in r.points}
        vals: list[Any] = [r.name, r.kind]
        for T in temps:
            p = by_T.get(T)
            if p is None:
                vals.append(None)
            elif r.kind == "composite":
                vals.append(f"{p.conductivity_S_per_cm:.3g} S/cm")
            else:
                vals.append(f"{p.asr_ohm_cm2:.3g} Ω cm²")
        rows.append(vals)
    return _table(header, rows, left=2)


def render_html(results: Sequence[Result], pngs: dict[str, bytes],
                figures: Sequence[dict[str, tuple[Any, str]]], *, title: str,
                comparison_png: bytes | None = None) -> str:
    """The report page as a string (figures given as PNG bytes, keyed ``"<i>_<name>"``)."""
    from hylyte import __version__

    body = [f"<h1>{_e(title)}</h1>",
            f"<p class='small'>hylyte {_e(__version__)}; {len(results)} design(s). "
            "Analytic estimates unless marked voxel.</p>"]
    if len(results) > 1:
        body.append("<h2>Comparison</h2>")
        body.append(_comparison_table(results))
        if comparison_png is not None:
            data = base64.b64encode(comparison_png).decode("ascii")
            body.append(f"<figure><img alt='comparison' src='data:image/png;base64,{data}'>"
                        "<figcaption>Overlaid Arrhenius plot.</figcaption></figure>")
    for i, (r, figs) in enumerate(zip(results, figures, strict=True)):
        body.append(_result_section(r, figs, pngs, f"{i}_"))
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
            + "".join(body) + "</body></html>")


def write_report(results: Sequence[Result], folder: str | Path, *, title: str | None = None,
                 extra_json: dict[str, Any] | None = None) -> Path:
    """Write ``results.json``, ``report.html`` and ``figures/*.png|svg`` into ``folder``.

    The folder is written atomically: it appears complete or not at all (an existing folder
    is replaced).

    Parameters
    ----------
    results
        One or more results (one: ``results.json`` holds that result; several: a list).
    folder
        Output folder.
    title
        Page title (default: the design name, or "Comparison").
    extra_json
        Extra top-level entries for ``results.json`` when several results are written.

    Returns
    -------
    Path
        The folder.
    """
    from hylyte._atomic import atomic_directory

    results = list(results)
    folder = Path(folder)
    if title is None:
        title = results[0].name if len(results) == 1 else "Comparison of designs"
    all_figs = [figures_for(r) for r in results]
    pngs: dict[str, bytes] = {}
    svgs: dict[str, bytes] = {}
    for i, figs in enumerate(all_figs):
        for name, (fig, _) in figs.items():
            pngs[f"{i}_{name}"] = _png(fig)
            svgs[f"{i}_{name}"] = _svg(fig)
    comparison_png = comparison_svg = None
    if len(results) > 1:
        from hylyte.report.plots import plot_arrhenius_compare

        fig = plot_arrhenius_compare(results).figure
        comparison_png, comparison_svg = _png(fig), _svg(fig)
    page = render_html(results, pngs, all_figs, title=title, comparison_png=comparison_png)
    if len(results) == 1:
        payload: Any = results[0].to_dict()
    else:
        payload = {"results": [r.to_dict() for r in results], **(extra_json or {})}
    with atomic_directory(folder) as tmp:
        (tmp / "results.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False),
                                          encoding="utf-8")
        (tmp / "report.html").write_text(page, encoding="utf-8")
        figdir = tmp / "figures"
        figdir.mkdir()
        single = len(results) == 1
        for key in pngs:
            stem = key.split("_", 1)[1] if single else key
            (figdir / f"{stem}.png").write_bytes(pngs[key])
            (figdir / f"{stem}.svg").write_bytes(svgs[key])
        if comparison_png is not None:
            (figdir / "comparison.png").write_bytes(comparison_png)
            (figdir / "comparison.svg").write_bytes(comparison_svg)
    return folder


__all__ = ["figures_for", "render_html", "write_report"]
