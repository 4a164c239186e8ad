"""Finite-volume conduction on voxel volumes (PHYSICS 8).

Public API: :func:`homogenize`, :func:`homogenize_many`, :func:`effective_tensor`,
:class:`Solver`, :class:`Homogenized`, :class:`SolveReport`, :func:`transference_number`,
:func:`estimate_memory`, :func:`available_backends`, :func:`sheet_eta`.
"""

from __future__ import annotations

from hylyte.solve.backends import available as available_backends
from hylyte.solve.homogenize import (
    Homogenized,
    Solver,
    SolveReport,
    effective_tensor,
    homogenize,
    homogenize_many,
)
from hylyte.solve.memory import estimate_memory, largest_cube
from hylyte.solve.sheet import sheet_eta
from hylyte.solve.species import Transference, transference_number

__all__ = [
    "Homogenized",
    "SolveReport",
    "Solver",
    "Transference",
    "available_backends",
    "effective_tensor",
    "estimate_memory",
    "homogenize",
    "homogenize_many",
    "largest_cube",
    "sheet_eta",
    "transference_number",
]
