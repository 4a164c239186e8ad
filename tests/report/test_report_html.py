"""The HTML report: self-contained, escaped, with figures; plots take and return an Axes."""

from __future__ import annotations

import dataclasses
import re

import pytest


def test_plots_draw_on_given_axes(results):
    from matplotlib.figure import Figure

    from hylyte.report import plots

    comp, stack = results
    fig = Figure()
    axes = fig.subplots(2, 3).ravel()
    assert plots.plot_arrhenius(comp, ax=axes[0]) is axes[0]
    assert plots.plot_pathways(comp, ax=axes[1]) is axes[1]
    assert plots.plot_stack_breakdown(stack, ax=axes[2]) is axes[2]
    assert plots.plot_window(stack, ax=axes[3]) is axes[3]
    assert plots.plot_arrhenius_compare(results, ax=axes[4]) is axes[4]
    assert "σ" in axes[0].get_ylabel()
    assert "S/cm" in axes[0].get_ylabel()
    assert "1000 / T" in axes[0].get_xlabel()
    # the composite line carries the values of the result
    line = next(ln for ln in axes[0].get_lines() if ln.get_label().startswith("composite"))
    ys = sorted(line.get_ydata())
    assert ys == pytest.approx(sorted(p.conductivity_S_per_cm for p in comp.points))


def test_report_is_self_contained_and_escaped(results, tmp_path):
    from hylyte.report.html import write_report

    comp, stack = results
    nasty = dataclasses.replace(comp, name='<script>alert("x")</script> & co',
                                warnings=("<b>bold</b>",))
    out = write_report([nasty, stack], tmp_path / "rep")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    # no external resources: every src is inline data
    srcs = re.findall(r"""src=['"]([^'"]*)['"]""", html)
    assert srcs
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"""(href|src)=['"]https?://""", html)
    assert "<link" not in html
    assert "@import" not in html


def test_report_folder_is_atomic(results, tmp_path, monkeypatch):
    from hylyte.report import html as rhtml

    out = tmp_path / "rep"
    rhtml.write_report(results[:1], out)
    before = (out / "results.json").read_text(encoding="utf-8")

    def boom(*_a, **_k):
        raise RuntimeError("figure failed")

    monkeypatch.setattr(rhtml, "_svg", boom)
    with pytest.raises(RuntimeError):
        rhtml.write_report(results[1:], out)
    # the old folder is untouched and no temporary folder is left
    assert (out / "results.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]
