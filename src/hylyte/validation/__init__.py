"""Validation gallery: published measurements against default-parameter predictions.

>>> from hylyte.validation import load_gallery, run_gallery   # doctest: +SKIP
>>> results = run_gallery(load_gallery())
"""

from hylyte.validation.gallery import (
    Case,
    CaseResult,
    format_table,
    load_gallery,
    parity_figure,
    predict,
    run_gallery,
    summary,
    verdict,
    write_outputs,
)

__all__ = [
    "Case",
    "CaseResult",
    "format_table",
    "load_gallery",
    "parity_figure",
    "predict",
    "run_gallery",
    "summary",
    "verdict",
    "write_outputs",
]
