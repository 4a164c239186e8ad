"""Assembled-matrix backend: CG preconditioned by pyamg smoothed aggregation."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from hylyte.solve.backends.base import AssembledPrepared, Backend
from hylyte.solve.multigrid import PCGResult
from hylyte.solve.operator import FVSystem


class PyAMGPrepared(AssembledPrepared):
    """Assembled operator and its smoothed-aggregation hierarchy."""

    def __init__(self, system: FVSystem) -> None:
        import pyamg

        super().__init__(system)
        self.ml = pyamg.smoothed_aggregation_solver(self.A, symmetry="symmetric",
                                                    max_coarse=500) if self.A.shape[0] else None
        if self.ml is not None:
            for lev in self.ml.levels:
                for name in ("A", "P", "R"):
                    m = getattr(lev, name, None)
                    if m is not None:
                        self.nbytes += int(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes)

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        import scipy.sparse.linalg as spla

        t0 = time.perf_counter()
        ba = np.asarray(b, dtype=np.float64)[self.active]
        bn = float(np.linalg.norm(ba))
        if bn == 0.0 or self.ml is None:
            return PCGResult(np.zeros(self.index.shape), True, 0, 0.0, [0.0],
                             time.perf_counter() - t0)
        hist: list[float] = []
        A = self.A

        def cb(xk: np.ndarray) -> None:
            rel = float(np.linalg.norm(ba - A @ xk)) / bn
            hist.append(rel)
            if progress is not None:
                progress(len(hist), rel)

        xa0 = None if x0 is None else np.asarray(x0, dtype=np.float64)[self.active]
        M = self.ml.aspreconditioner(cycle="V")
        xa, info = spla.cg(A, ba, x0=xa0, rtol=rtol, atol=0.0, maxiter=max_iter, M=M,
                           callback=cb)
        rel = float(np.linalg.norm(ba - A @ xa)) / bn
        return PCGResult(self._full(xa), bool(info == 0 and rel <= 10 * rtol), len(hist), rel,
                         hist, time.perf_counter() - t0)


class PyAMGBackend(Backend):
    """pyamg smoothed aggregation as a CG preconditioner on the assembled matrix."""

    name = "pyamg"
    requires = ("pyamg", "scipy")

    def prepare(self, system: FVSystem, *, precision: str = "double") -> PyAMGPrepared:
        """Assemble (float64) and build the AMG hierarchy."""
        return PyAMGPrepared(system)
