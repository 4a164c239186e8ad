"""hylyte: design and analysis of inorganic/polymer hybrid solid electrolytes.

Importing :mod:`hylyte` loads only the version and the error classes; every subpackage
is imported the first time it is accessed (PEP 562), so ``import hylyte`` stays fast and
never pulls in matplotlib, torch or dask.
"""

import importlib
import logging

from hylyte._version import __version__
from hylyte.errors import HylyteError

_SUBPACKAGES = (
    "audit",
    "design",
    "echem",
    "materials",
    "microstructure",
    "physics",
    "report",
    "solve",
    "sweep",
    "units",
)
__all__ = ["HylyteError", "__version__", *_SUBPACKAGES]

logging.getLogger("hylyte").addHandler(logging.NullHandler())


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        return importlib.import_module(f"hylyte.{name}")
    raise AttributeError(f"module 'hylyte' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
