"""Shared helpers of the analytic physics layer: validation, result objects, flags.

Everything here is private; the public result types are re-exported by :mod:`hylyte.physics`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hylyte.errors import BoundViolationWarning, InputError, ValidityWarning

#: relative slack used when testing whether an estimate lies inside a rigorous bound [-]
BOUND_RTOL = 1e-9


def as_float(x: Any, name: str) -> np.ndarray:
    """Convert ``x`` to a float64 array, rejecting NaN and non-numeric input."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name} must be a number or an array of numbers, got {x!r}") from err
    if np.isnan(arr).any():
        raise InputError(f"{name} must not contain NaN, got {x!r}")
    return arr


def check_conductivity(x: Any, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A conductivity-like quantity: finite (or +inf if allowed) and >= 0."""
    arr = as_float(x, name)
    bad = arr < 0 if allow_inf else (arr < 0) | ~np.isfinite(arr)
    if np.any(bad):
        allowed = "in [0, inf]" if allow_inf else "finite and >= 0"
        raise InputError(f"{name} must be {allowed}, got {_show(arr[bad])}")
    return arr


def check_positive(x: Any, name: str, *, allow_inf: bool = False) -> np.ndarray:
    """A strictly positive quantity (lengths, temperatures, moduli)."""
    arr = as_float(x, name)
    bad = (arr <= 0) if allow_inf else (arr <= 0) | ~np.isfinite(arr)
    if np.any(bad):
        raise InputError(f"{name} must be > 0 and finite, got {_show(arr[bad])}")
    return arr


def check_nonneg(x: Any, name: str) -> np.ndarray:
    """A finite quantity >= 0 (resistances, thicknesses that may vanish)."""
    arr = as_float(x, name)
    bad = (arr < 0) | ~np.isfinite(arr)
    if np.any(bad):
        raise InputError(f"{name} must be finite and >= 0, got {_show(arr[bad])}")
    return arr


def check_fraction(x: Any, name: str, *, closed_upper: bool = True) -> np.ndarray:
    """A volume or mass fraction in [0, 1] (or [0, 1) with ``closed_upper=False``)."""
    arr = as_float(x, name)
    bad = (arr < 0) | (arr > 1) if closed_upper else (arr < 0) | (arr >= 1)
    if np.any(bad):
        allowed = "[0, 1]" if closed_upper else "[0, 1)"
        raise InputError(f"{name} must be in {allowed}, got {_show(arr[bad])}")
    return arr


def check_fraction_sum(phi: np.ndarray, name: str, *, atol: float = 1e-9) -> None:
    """Fractions stacked along axis 0 must add up to one."""
    s = phi.sum(axis=0)
    if np.any(np.abs(s - 1.0) > atol):
        raise InputError(
            f"{name} must add up to 1 over the phases (axis 0), got sums {_show(s)}"
        )


def stack_phases(values: Any, name: str) -> np.ndarray:
    """Stack per-phase values along a new axis 0 with broadcasting of the rest."""
    if isinstance(values, np.ndarray):
        arr = as_float(values, name)
        if arr.ndim == 0:
            raise InputError(f"{name} must list one value per phase (axis 0), got a scalar")
        return arr
    try:
        parts = [as_float(v, f"{name}[{i}]") for i, v in enumerate(values)]
    except TypeError as err:
        raise InputError(f"{name} must be a sequence with one entry per phase") from err
    if len(parts) == 0:
        raise InputError(f"{name} must list at least one phase, got an empty sequence")
    return np.stack(np.broadcast_arrays(*parts), axis=0)


def _show(arr: np.ndarray) -> str:
    flat = np.ravel(arr)
    if flat.size == 1:
        return repr(float(flat[0]))
    head = ", ".join(f"{v:.6g}" for v in flat[:3])
    return f"[{head}{', ...' if flat.size > 3 else ''}] ({flat.size} values)"


def scalar_or_array(x: np.ndarray) -> Any:
    """Return a Python float for 0-d arrays, the array otherwise."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


@dataclass(frozen=True)
class EMTResult:
    """Effective conductivity of a composite with its diagnostic flags.

    Attributes
    ----------
    sigma_eff : float or ndarray
        Effective conductivity [S/m] (broadcast shape of the inputs; per axis for anisotropic
        models, axis 0 = the principal directions listed in ``axes``).
    model : str
        Name of the estimate (``"maxwell_garnett"``, ``"bruggeman"``, ``"gem"``, ...).
    wiener_lower, wiener_upper : float or ndarray
        Wiener (series / parallel) bounds [S/m].
    hs_lower, hs_upper : float or ndarray
        Hashin-Shtrikman bounds [S/m] for an isotropic mixture of the same phases.
    within_wiener, within_hs : bool or ndarray of bool
        Whether ``sigma_eff`` lies inside the bounds (relative slack 1e-9).
    percolating : bool or ndarray of bool
        Whether the model treats the most conducting phase as sample-spanning.
    outside_validity : bool or ndarray of bool
        Whether any element lies outside the model's stated validity range.
    warnings : tuple of str
        Human-readable validity and bound messages (one per distinct issue).
    references : tuple of str
        BibTeX keys of the models used.
    axes : tuple of str
        Labels of axis 0 of ``sigma_eff`` for anisotropic results, empty when isotropic.
    """

    sigma_eff: Any
    model: str
    wiener_lower: Any
    wiener_upper: Any
    hs_lower: Any
    hs_upper: Any
    within_wiener: Any
    within_hs: Any
    percolating: Any
    outside_validity: Any
    warnings: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    axes: tuple[str, ...] = field(default_factory=tuple)

    def emit_warnings(self, stacklevel: int = 2) -> None:
        """Emit the stored messages as ValidityWarning / BoundViolationWarning.

        Parameters
        ----------
        stacklevel : int, optional
            As for :func:`warnings.warn`; the default points at the line that called
            this method.
        """
        for m in self.warnings:
            cat = BoundViolationWarning if "bound violation" in m.lower() else ValidityWarning
            warnings.warn(m, cat, stacklevel=stacklevel)

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python dictionary (arrays as nested lists), units in the key names."""

        def conv(v: Any) -> Any:
            if isinstance(v, np.ndarray):
                return v.tolist()
            if isinstance(v, np.generic):
                return v.item()
            return v

        return {
            "kind": "emt_result",
            "model": self.model,
            "sigma_eff_S_per_m": conv(self.sigma_eff),
            "wiener_lower_S_per_m": conv(self.wiener_lower),
            "wiener_upper_S_per_m": conv(self.wiener_upper),
            "hs_lower_S_per_m": conv(self.hs_lower),
            "hs_upper_S_per_m": conv(self.hs_upper),
            "within_wiener": conv(self.within_wiener),
            "within_hs": conv(self.within_hs),
            "percolating": conv(self.percolating),
            "outside_validity": conv(self.outside_validity),
            "warnings": list(self.warnings),
            "references": list(self.references),
            "axes": list(self.axes),
        }
