"""Seam for a PETSc (petsc4py) backend for distributed-memory solves; not implemented.

A PETSc backend would assemble the operator from ``FVSystem.g`` with a DMDA (7-point star
stencil, one dof), use KSPCG with PCGAMG or PCMG with Galerkin coarsening, and return a
``PCGResult``. It is registered so that ``available()`` lists what exists, and asking for it
raises a clear error.
"""

from __future__ import annotations

from hylyte.errors import MissingDependencyError
from hylyte.solve.backends.base import Backend, Prepared
from hylyte.solve.operator import FVSystem


class PETScBackend(Backend):
    """Placeholder for a PETSc backend (never available in this version)."""

    name = "petsc"
    requires = ("petsc4py",)
    extra = "petsc"

    @classmethod
    def is_available(cls) -> bool:
        """Always False: the backend is not implemented in this version."""
        return False

    @classmethod
    def missing_message(cls) -> str:
        """Why the backend cannot be used."""
        return ("solver backend 'petsc' is not implemented in this version of hylyte; use "
                "'mgpcg' (default), 'pyamg', 'direct' or 'torch'")

    def prepare(self, system: FVSystem, *, precision: str = "double") -> Prepared:
        """Raise MissingDependencyError (not implemented)."""
        raise MissingDependencyError(self.missing_message())
