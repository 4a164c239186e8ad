"""Errors and warnings raised by hylyte on purpose.

Every deliberate error derives from :class:`HylyteError` and from the matching builtin, so
``except ValueError`` keeps working. Messages name the field, the value received and what is
allowed.
"""

from __future__ import annotations

from typing import Any


class HylyteError(Exception):
    """Base of every error hylyte raises on purpose."""


class InputError(HylyteError, ValueError):
    """A value given by the user is outside what is allowed."""


class UnitError(InputError):
    """A quantity string cannot be parsed or has the wrong dimension."""


class MaterialError(InputError):
    """A material file is invalid or a material name is unknown."""


class UnknownMaterialError(MaterialError, KeyError):
    """A material name is not in the library; ``suggestions`` lists close names."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        hint = ""
        if self.suggestions:
            hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?"
        super().__init__(f"unknown material {name!r}{hint} (see 'hylyte materials list')")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class DesignError(InputError):
    """A design file or design object is invalid."""


class GeometryError(InputError):
    """A microstructure request is impossible (packing, sizes, fractions)."""


class DataFormatError(InputError):
    """A measurement or volume file is corrupt, truncated or of an unknown layout."""


class ConvergenceError(HylyteError, RuntimeError):
    """An iterative computation did not converge; ``report`` says how far it got."""

    def __init__(self, message: str, report: Any = None) -> None:
        super().__init__(message)
        self.report = report


class MemoryLimitError(HylyteError, MemoryError):
    """A computation would need more memory than allowed."""


class MissingDependencyError(HylyteError, ImportError):
    """An optional dependency is needed; the message names the extra that provides it."""


class HylyteWarning(UserWarning):
    """Base of every warning hylyte emits."""


class ValidityWarning(HylyteWarning):
    """A model is used outside the range where it is valid."""


class ExtrapolationWarning(ValidityWarning):
    """A law or fit is evaluated outside the range of its data."""


class BoundViolationWarning(HylyteWarning):
    """A result lies outside a rigorous bound (e.g. Hashin-Shtrikman)."""
