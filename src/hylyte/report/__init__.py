"""Figures (ax in, ax out) and the self-contained HTML report of evaluation results."""

import importlib

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


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hylyte.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
