"""Figures (ax in, ax out) and the self-contained HTML report of evaluation results."""

from hylyte._lazy import lazy_module_attrs

_EXPORTS = {
    "write_report": "hylyte.report.html",
    "render_html": "hylyte.report.html",
    "figures_for": "hylyte.report.html",
    "plot_arrhenius": "hylyte.report.plots",
    "plot_arrhenius_compare": "hylyte.report.plots",
    "plot_pathways": "hylyte.report.plots",
    "plot_stack_breakdown": "hylyte.report.plots",
    "plot_window": "hylyte.report.plots",
    "plot_microstructure": "hylyte.report.plots",
    "plot_current_map": "hylyte.report.plots",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_module_attrs(__name__, _EXPORTS)
