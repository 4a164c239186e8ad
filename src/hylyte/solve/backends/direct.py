"""Direct sparse LU backend (scipy), for up to 2e5 unknowns."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from hylyte.errors import InputError
from hylyte.solve.backends.base import AssembledPrepared, Backend
from hylyte.solve.multigrid import PCGResult
from hylyte.solve.operator import FVSystem

MAX_UNKNOWNS = 200_000


class DirectPrepared(AssembledPrepared):
    """LU factors of the assembled operator."""

    def __init__(self, system: FVSystem) -> None:
        import scipy.sparse.linalg as spla

        super().__init__(system)
        n = self.A.shape[0]
        if n > MAX_UNKNOWNS:
            raise InputError(f"backend 'direct' allows at most {MAX_UNKNOWNS} unknowns, the "
                             f"volume has {n}; use backend='mgpcg'")
        self.lu = spla.splu(self.A.tocsc()) if n else None

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        t0 = time.perf_counter()
        ba = np.asarray(b, dtype=np.float64)[self.active]
        xa = self.lu.solve(ba) if self.lu is not None else np.zeros(0)
        bn = float(np.linalg.norm(ba))
        rel = float(np.linalg.norm(ba - self.A @ xa)) / bn if bn > 0 else 0.0
        return PCGResult(self._full(xa), True, 1, rel, [rel], time.perf_counter() - t0)


class DirectBackend(Backend):
    """scipy.sparse.linalg.splu on the assembled matrix."""

    name = "direct"
    requires = ("scipy",)

    def prepare(self, system: FVSystem, *, precision: str = "double") -> DirectPrepared:
        """Assemble and factorise (always float64)."""
        return DirectPrepared(system)
