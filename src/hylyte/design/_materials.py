"""Thin access layer between designs and :mod:`hylyte.materials`.

Keeps the design layer independent of how the library stores things: a material is asked for
its conductivity at T, rho+, density, moduli, window and references through these helpers.
An inline matrix law from a design file becomes a :class:`InlineMaterial` with the same
interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hylyte.design import model as m


def get(name: str) -> Any:
    """The library material called ``name`` (raises UnknownMaterialError with suggestions)."""
    from hylyte.materials import get_material

    return get_material(name)


@dataclass(frozen=True)
class InlineMaterial:
    """A polymer defined in the design file by an inline law (no library entry)."""

    name: str
    law: Any
    rho_plus: float
    density: float
    kind: str = "polymer"
    references: tuple[str, ...] = ()

    def sigma(self, T: Any) -> np.ndarray:
        """Conductivity [S/m] at T [K]."""
        return self.law.sigma(T)


def matrix_material(matrix: m.Matrix) -> Any:
    """The material behind a design's matrix (library entry or inline law)."""
    if matrix.material is not None:
        return get(matrix.material)
    from hylyte.materials import laws

    law = matrix.law
    if law.law == "arrhenius":
        built = laws.Arrhenius(sigma_ref=law.sigma_ref_S_per_m, Ea=law.Ea_eV, T_ref=law.T_ref_K,
                               form="sigma" if law.form == "plain" else "sigmaT")
    else:
        built = laws.VTF(A=law.A_S_per_m, B=law.B_K, T0=law.T0_K)
    return InlineMaterial(name=matrix.name, law=built, rho_plus=float(matrix.rho_plus),
                          density=float(matrix.density_kg_per_m3))


def is_passive(mat: Any) -> bool:
    """Whether the material carries no Li+ current (no law, or zero conductivity)."""
    if getattr(mat, "law", None) is None:
        return True
    return getattr(mat.law, "kind", "") == "constant" and float(mat.law.sigma(298.15)) == 0.0


def sigma(mat: Any, T: np.ndarray) -> np.ndarray:
    """Li-ion conductivity [S/m] at T [K]; 0 for passive fillers (no law)."""
    T = np.asarray(T, dtype=float)
    if getattr(mat, "law", None) is None:
        return np.zeros_like(T)
    return np.asarray(mat.sigma(T), dtype=float)


def rho_plus(mat: Any) -> float | None:
    """Bruce-Vincent fraction [-]; 1 for ceramics without a stored value; None if unknown."""
    v = getattr(mat, "rho_plus", None)
    if v is not None:
        return float(v)
    return 1.0 if getattr(mat, "kind", "") in ("ceramic", "filler") else None


def density(mat: Any) -> float | None:
    """Mass density [kg/m^3] or None."""
    v = getattr(mat, "density", None)
    return None if v is None else float(v)


def moduli(mat: Any) -> tuple[float, float] | None:
    """(bulk K, shear G) [Pa], or None when the library has no moduli."""
    K = getattr(mat, "bulk_modulus", None)
    G = getattr(mat, "shear_modulus", None)
    if K is None or G is None:
        return None
    return float(K), float(G)


def window(mat: Any) -> tuple[float | None, float | None]:
    """Practical (reduction, oxidation) limits [V vs Li/Li+]."""
    w = getattr(mat, "window", None)
    if w is None:
        return (None, None)
    return tuple(w.practical)  # type: ignore[return-value]


def references(mat: Any) -> tuple[str, ...]:
    """Reference keys behind the material."""
    return tuple(getattr(mat, "references", ()) or ())


def electrode_potentials(mat: Any) -> tuple[float | None, float | None, float | None]:
    """(min, max, mean) potential [V vs Li/Li+] of an electrode material."""
    el = getattr(mat, "electrode", None)
    if el is None:
        return (None, None, None)
    return (el.potential_min, el.potential_max, el.mean_potential)


def specific_capacity(mat: Any) -> float | None:
    """Specific capacity of the active material [C/kg]."""
    el = getattr(mat, "electrode", None)
    return None if el is None else float(el.specific_capacity)


def diffusion(mat: Any) -> tuple[float | None, float | None]:
    """(salt diffusivity [m^2/s], salt concentration [mol/m^3]) of a binary-salt polymer."""
    return getattr(mat, "D_salt", None), getattr(mat, "c_salt", None)


__all__ = ["InlineMaterial", "get", "matrix_material"]
