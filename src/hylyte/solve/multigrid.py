"""Matrix-free geometric multigrid for the 7-point FV operator, and the MG-preconditioned CG.

Coarsening is 2x2x2 agglomeration with a coefficient-aware (Galerkin) coarse operator
``A_c = 1/2 P^T A P`` for the piecewise-constant prolongation ``P``: a coarse face conductance
is half the sum of the fine face conductances crossing it, so an insulating region stays
insulating on every level and the coarse operator keeps the 7-point face form (no assembly).
The factor 1/2 is the classical over-correction of aggregation multigrid (it makes the coarse
operator of a uniform medium equal its rediscretisation). The smoother is a symmetric
red-black Gauss-Seidel sweep (forward before, backward after the coarse correction), or damped
Jacobi on levels where a periodic axis has odd length (where red-black colouring breaks). The
coarsest level is solved with a sparse LU factorisation. The V-cycle is a symmetric positive
definite preconditioner for conjugate gradients.

Stopping test of :func:`mgpcg`: the recursively updated residual satisfies
``||b - A x||_2 / ||b||_2 <= rtol``; the true residual is recomputed at the end and reported.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

COARSEST_CELLS = 4096


@functools.lru_cache(maxsize=1)
def kernels() -> dict:
    """Numba kernels (imported lazily; compiled once and cached on disk)."""
    from hylyte.solve import _kernels as K

    return {"matvec": K.matvec, "rb_sweep": K.rb_sweep, "jacobi": K.jacobi,
                "residual_restrict": K.residual_restrict, "prolong_add": K.prolong_add,
                "coarsen": K.coarsen, "diagonal": K.diagonal, "update_xr": K.update_xr,
                "update_p": K.update_p, "dot": K.dot}


@dataclass
class Level:
    """One multigrid level: face conductances, diagonal, periodicity, work vectors."""

    g: tuple
    d: np.ndarray
    extra: np.ndarray
    periodic: tuple[bool, bool, bool]
    r: np.ndarray | None = None
    z: np.ndarray | None = None
    tmp: np.ndarray | None = None
    lu: object = None
    index: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.d.shape)  # type: ignore[return-value]

    @property
    def use_jacobi(self) -> bool:
        return any(p and n % 2 == 1 and n > 1 for p, n in zip(self.periodic, self.shape,
                                                               strict=True))


@dataclass
class Hierarchy:
    """Multigrid hierarchy; ``levels[0]`` is the fine level (its vectors are the caller's)."""

    levels: list[Level] = field(default_factory=list)
    nu: int = 1
    omega: float = 0.8
    gamma: int = 2

    def nbytes(self) -> int:
        """Memory held by the hierarchy (fine-level conductances included) [bytes]."""
        tot = 0
        for lev in self.levels:
            for a in (*lev.g, lev.d, lev.extra, lev.r, lev.z, lev.tmp):
                if a is not None:
                    tot += a.nbytes
        return tot


def _coarse_lu(lev: Level):
    """Sparse LU of a (small) level's operator on its active cells."""
    import scipy.sparse.linalg as spla

    from hylyte.solve.operator import FVSystem

    act = lev.d > 0
    sys = FVSystem([np.asarray(g, np.float64) for g in lev.g],
                   np.asarray(lev.extra, np.float64), None, act, lev.periodic, (1.0, 1.0, 1.0))
    A, index = sys.to_csr()
    if A.shape[0] == 0:
        return None, index
    return spla.splu(A.tocsc()), index


def build_hierarchy(g: list, extra: np.ndarray, d: np.ndarray,
                    periodic: tuple[bool, bool, bool], *, dtype=np.float32,
                    coarsest_cells: int = COARSEST_CELLS, nu: int = 1) -> Hierarchy:
    """Build the multigrid hierarchy from fine face conductances ``g`` and ``extra`` [S]."""
    k = kernels()
    fine = Level(tuple(g), d, extra, periodic)
    hier = Hierarchy([fine], nu=nu)
    lev = fine
    while int(np.prod(lev.shape)) > coarsest_cells and max(lev.shape) > 2:
        cs = tuple((n + 1) // 2 for n in lev.shape)
        cg = tuple(np.empty(cs, dtype=dtype) for _ in range(3))
        cex = np.empty(cs, dtype=dtype)
        k["coarsen"](*lev.g, lev.extra, *cg, cex)
        cper = tuple(p and n > 1 for p, n in zip(periodic, cs, strict=True))
        cd = np.empty(cs, dtype=dtype)
        k["diagonal"](*cg, cex, cd, *cper)
        new = Level(cg, cd, cex, cper, r=np.zeros(cs, dtype=dtype), z=np.zeros(cs, dtype=dtype))
        if new.use_jacobi:
            new.tmp = np.zeros(cs, dtype=dtype)
        hier.levels.append(new)
        lev = new
    if len(hier.levels) > 1:
        lev.lu, lev.index = _coarse_lu(lev)
    else:
        fine.lu, fine.index = _coarse_lu(fine)
    return hier


def _smooth(k, lev: Level, x, r, forward: bool, nu: int, omega: float, tmp) -> None:
    per = lev.periodic
    if lev.use_jacobi:
        for _ in range(nu):
            k["jacobi"](*lev.g, lev.d, lev.extra, x, r, tmp, omega, *per)
        return
    order = (0, 1) if forward else (1, 0)
    for _ in range(nu):
        for c in order:
            k["rb_sweep"](*lev.g, lev.d, lev.extra, x, r, c, *per)


def _direct(lev: Level, r: np.ndarray, z: np.ndarray) -> None:
    act = lev.index >= 0
    z[...] = 0.0
    if lev.lu is not None:
        z[act] = lev.lu.solve(np.asarray(r[act], dtype=np.float64))


def vcycle(hier: Hierarchy, r: np.ndarray, z: np.ndarray, level: int = 0,
           fine_tmp: np.ndarray | None = None) -> None:
    """Apply one symmetric multigrid cycle: ``z ~= A^-1 r`` (``z`` is overwritten).

    A V-cycle on the fine level and ``gamma`` (2: W-cycle) coarse-grid iterations on every
    coarser level, which keeps the aggregation hierarchy effective when it is deep.
    """
    k = kernels()
    lev = hier.levels[level]
    if lev.lu is not None or level == len(hier.levels) - 1:
        _direct(lev, r, z)
        return
    z[...] = 0.0
    tmp = lev.tmp if level > 0 else fine_tmp
    nxt = hier.levels[level + 1]
    # W-cycle below the fine level: two symmetric sweeps of the coarse-grid iteration
    for _ in range(1 if level == 0 else hier.gamma):
        _smooth(k, lev, z, r, True, hier.nu, hier.omega, tmp)
        k["residual_restrict"](*lev.g, lev.d, lev.extra, z, r, nxt.r, *lev.periodic)
        vcycle(hier, nxt.r, nxt.z, level + 1)
        k["prolong_add"](z, nxt.z)
        _smooth(k, lev, z, r, False, hier.nu, hier.omega, tmp)


@dataclass
class PCGResult:
    """Outcome of :func:`mgpcg`."""

    x: np.ndarray
    converged: bool
    iterations: int
    rel_residual: float
    residual_history: list[float]
    wall_time_s: float


def mgpcg(g: list, d: np.ndarray, extra: np.ndarray, periodic: tuple[bool, bool, bool],
          b: np.ndarray,
          hier: Hierarchy, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
          max_iter: int = 500, progress: Callable[[int, float], None] | None = None) -> PCGResult:
    """Conjugate gradients preconditioned by one multigrid V-cycle per iteration.

    Parameters
    ----------
    g, d, extra, periodic
        Fine-level face conductances [S], diagonal [S], extra diagonal (Dirichlet or
        grounding) [S] and wrapping flags.
    b : ndarray of float32 or float64
        Right-hand side [A] (not modified; no float64 copy is made).
    hier : Hierarchy
        From :func:`build_hierarchy`.
    x0 : ndarray, optional
        Initial guess [V] (warm start).
    rtol : float
        Stop when ``||r|| / ||b|| <= rtol`` (2-norms).
    max_iter : int
        Iteration limit.
    progress : callable, optional
        Called as ``progress(iteration, rel_residual)``.
    """
    t0 = time.perf_counter()
    k = kernels()
    x = np.zeros(b.shape) if x0 is None else np.array(x0, dtype=np.float64)
    r = np.empty_like(x)
    q = np.empty_like(x)
    fine_tmp = np.zeros_like(x) if hier.levels[0].use_jacobi else None
    bnorm = float(np.sqrt(k["dot"](b, b)))
    if bnorm == 0.0:
        return PCGResult(np.zeros_like(x), True, 0, 0.0, [0.0], time.perf_counter() - t0)
    k["matvec"](*g, extra, x, q, *periodic)
    np.subtract(b, q, out=r)
    rel = float(np.sqrt(k["dot"](r, r))) / bnorm
    hist = [rel]
    if rel <= rtol:
        return PCGResult(x, True, 0, rel, hist, time.perf_counter() - t0)
    p = np.zeros_like(x)
    rz_old = 1.0
    it = 0
    converged = False
    while it < max_iter:
        vcycle(hier, r, q, 0, fine_tmp)          # q <- z = M r
        rz = k["dot"](r, q)
        beta = 0.0 if it == 0 else rz / rz_old
        k["update_p"](p, q, beta)                # p <- z + beta p
        rz_old = rz
        k["matvec"](*g, extra, p, q, *periodic)       # q <- A p
        pq = k["dot"](p, q)
        if pq <= 0.0:
            break
        alpha = rz / pq
        rr = k["update_xr"](x, r, p, q, alpha)
        it += 1
        rel = float(np.sqrt(rr)) / bnorm
        hist.append(rel)
        if progress is not None:
            progress(it, rel)
        if rel <= rtol:
            converged = True
            break
    # true residual
    k["matvec"](*g, extra, x, q, *periodic)
    np.subtract(b, q, out=r)
    true_rel = float(np.sqrt(k["dot"](r, r))) / bnorm
    converged = converged and true_rel <= 10.0 * rtol
    return PCGResult(x, converged, it, true_rel, hist,
                     time.perf_counter() - t0)
