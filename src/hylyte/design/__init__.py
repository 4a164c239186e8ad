"""Design files in, predictions out: schema, loading, evaluation and the Result type.

>>> from hylyte.design import load_design, evaluate      # doctest: +SKIP
>>> result = evaluate(load_design("examples/designs/peo_llzto_nanoparticles.toml"))
"""

import importlib

# the function shadows the submodule of the same name (hylyte.design.evaluate)
from hylyte.design.evaluate import evaluate  # noqa: F401

_EXPORTS = {
    "load_design": "hylyte.design.load",
    "design_from_dict": "hylyte.design.load",
    "design_hash": "hylyte.design.model",
    "CompositeDesign": "hylyte.design.model",
    "StackDesign": "hylyte.design.model",
    "Design": "hylyte.design.model",
    "CompositeResult": "hylyte.design.result",
    "StackResult": "hylyte.design.result",
    "Result": "hylyte.design.result",
    "result_from_dict": "hylyte.design.result",
    "json_schema": "hylyte.design.result",
    "example_paths": "hylyte.design.examples",
}

__all__ = sorted([*_EXPORTS, "evaluate"])


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hylyte.design' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
