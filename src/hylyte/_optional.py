"""Import optional dependencies with an error that names the extra providing them."""

from __future__ import annotations

import importlib
from types import ModuleType

from hylyte.errors import MissingDependencyError


def import_optional(module: str, *, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming the extra.

    Parameters
    ----------
    module
        Dotted module name, e.g. ``"torch"``.
    extra
        The ``pip install 'hylyte[extra]'`` that provides it.
    purpose
        What it is needed for, completing "``module`` is needed ...".
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependencyError(
            f"{module} is needed {purpose}; install it with pip install 'hylyte[{extra}]'"
        ) from err


def has_module(module: str) -> bool:
    """Whether ``module`` can be imported (without importing it)."""
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False
