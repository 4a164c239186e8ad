"""Lazy (PEP 562) exports for the subpackages: names resolve on first access."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_module_attrs(
    package: str, exports: Mapping[str, str], submodules: Iterable[str] = (),
    eager: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose public names load on first use.

    Parameters
    ----------
    package
        The package's ``__name__``.
    exports
        Public name -> module that defines it (a full dotted path, or a submodule name of
        ``package``).
    submodules
        Submodule names that are themselves public (``hylyte.physics.emt``).
    eager
        Names already bound in the package namespace (listed by ``__dir__`` only).
    """
    subs = tuple(submodules)
    names = sorted({*exports, *subs, *eager})

    def _module(path: str) -> str:
        return path if "." in path else f"{package}.{path}"

    def __getattr__(name: str) -> Any:
        if name in exports:
            return getattr(importlib.import_module(_module(exports[name])), name)
        if name in subs:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return list(names)

    return __getattr__, __dir__
