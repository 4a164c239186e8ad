"""Attach literature references to functions without any global registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def cites(*keys: str) -> Callable[[F], F]:
    """Decorate a model function with the BibTeX keys of the work it implements.

    The keys end up in ``func.__references__`` (a tuple); code that builds a result collects
    them from the functions it called. Every key must exist in
    ``hylyte/materials/data/references.bib`` (a test checks this).
    """

    def deco(func: F) -> F:
        func.__references__ = tuple(keys)  # type: ignore[attr-defined]
        return func

    return deco


def references_of(*funcs: Callable) -> tuple[str, ...]:
    """Sorted union of the ``__references__`` of the given functions."""
    keys: set[str] = set()
    for f in funcs:
        keys.update(getattr(f, "__references__", ()))
    return tuple(sorted(keys))
