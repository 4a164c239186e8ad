"""Design files in, predictions out: schema, loading, evaluation and the Result type.

>>> from hylyte.design import load_design, evaluate      # doctest: +SKIP
>>> result = evaluate(load_design("examples/designs/peo_llzto_nanoparticles.toml"))
"""

from hylyte._lazy import lazy_module_attrs

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

__getattr__, __dir__ = lazy_module_attrs(__name__, _EXPORTS, eager=("evaluate",))
