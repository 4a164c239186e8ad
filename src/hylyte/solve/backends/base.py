"""Base class of the solver backends."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from hylyte.solve.multigrid import PCGResult
from hylyte.solve.operator import FVSystem


class Prepared:
    """A backend's solver for one operator (reusable for many right-hand sides)."""

    nbytes: int = 0

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        """Solve ``A x = b`` on the full grid (inactive voxels get 0) [V]."""
        raise NotImplementedError


class Backend:
    """A linear solver for FV systems."""

    name = "base"
    requires: tuple[str, ...] = ()
    extra = ""

    @classmethod
    def is_available(cls) -> bool:
        """Whether the dependencies are importable."""
        from hylyte._optional import has_module

        return all(has_module(m) for m in cls.requires)

    @classmethod
    def missing_message(cls) -> str:
        """Message of the MissingDependencyError for this backend."""
        return (f"solver backend {cls.name!r} needs {', '.join(cls.requires)}; install it with "
                f"pip install 'hylyte[{cls.extra}]'")

    def prepare(self, system: FVSystem, *, precision: str = "mixed") -> Prepared:
        """Set up the solver (hierarchy, matrix, factorisation) for ``system``."""
        raise NotImplementedError


class AssembledPrepared(Prepared):
    """Helper for backends working on the assembled matrix of the active voxels."""

    def __init__(self, system: FVSystem) -> None:
        self.A, self.index = system.to_csr()
        self.active = self.index >= 0
        self.nbytes = int(self.A.data.nbytes + self.A.indices.nbytes + self.A.indptr.nbytes
                          + self.index.nbytes)

    def _full(self, xa: np.ndarray) -> np.ndarray:
        x = np.zeros(self.index.shape)
        x[self.active] = xa
        return x
