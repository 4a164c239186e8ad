"""Default backend: matrix-free multigrid-preconditioned CG (numba kernels)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np

from hylyte.errors import InputError
from hylyte.solve.backends.base import Backend, Prepared
from hylyte.solve.multigrid import PCGResult, boundary_extra, build_hierarchy, mgpcg
from hylyte.solve.operator import FVSystem

PRECISIONS = ("mixed", "double")


@contextlib.contextmanager
def _threads(n: int | None) -> Iterator[None]:
    """Run numba kernels on ``n`` threads (None: numba's default), restoring afterwards."""
    if n is None:
        yield
        return
    import numba

    if int(n) < 1:
        raise InputError(f"threads must be >= 1, got {n!r}")
    old = numba.get_num_threads()
    numba.set_num_threads(min(int(n), numba.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        numba.set_num_threads(old)


class MGPCGPrepared(Prepared):
    """Face conductances, diagonal and multigrid hierarchy of one operator."""

    def __init__(self, system: FVSystem, precision: str, threads: int | None = None) -> None:
        self.threads = threads
        with _threads(threads):
            self._setup(system, precision)

    def _setup(self, system: FVSystem, precision: str) -> None:
        if precision not in PRECISIONS:
            raise InputError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        dt = np.float32 if precision == "mixed" else np.float64
        self.g = [np.ascontiguousarray(g, dtype=dt) for g in system.g]
        # Dirichlet electrodes: only the first and last layers of ``extra`` are non-zero
        self.extra = boundary_extra(np.ascontiguousarray(system.extra, dtype=dt))
        self.periodic = system.periodic
        # no stored fine diagonal: the kernels compute it on the fly
        self.hier = build_hierarchy(self.g, self.extra, None, self.periodic, dtype=dt)
        self.nbytes = self.hier.nbytes()
        self.active = system.active

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        with _threads(self.threads):
            res = mgpcg(self.g, None, self.extra, self.periodic,
                        np.ascontiguousarray(b),
                        self.hier, x0=x0, rtol=rtol, max_iter=max_iter, progress=progress)
        res.x[~self.active] = 0.0
        return res


def leading_layers(b: np.ndarray) -> np.ndarray:
    """Copy of the leading layers of ``b`` along the first axis up to its last non-zero one.

    :meth:`MGPCGPrepared.solve` accepts this compact form of a right-hand side that is zero
    beyond them (a Dirichlet one lives on the inlet layer), which saves a fine-grid array.
    """
    flat = b.reshape(b.shape[0], -1)
    nonzero = np.flatnonzero(np.any(flat != 0, axis=1))
    m = int(nonzero[-1]) + 1 if nonzero.size else 1
    return np.array(b[:m], copy=True)


class MGPCGBackend(Backend):
    """Matrix-free CG with a geometric multigrid V-cycle preconditioner (the default)."""

    name = "mgpcg"
    requires = ("numba", "scipy")
    extra = ""

    def prepare(self, system: FVSystem, *, precision: str = "mixed",
                threads: int | None = None) -> MGPCGPrepared:
        """Build the hierarchy. ``precision="mixed"``: float32 conductances, multigrid and
        CG work vectors (float64 iterate and accumulations, true-residual replacement);
        ``"double"``: everything float64. ``threads``: numba threads
        (None: numba's default; 1 is faster on an oversubscribed machine)."""
        return MGPCGPrepared(system, precision, threads)
