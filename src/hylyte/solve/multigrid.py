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

Stopping test of :func:`mgpcg`: the true residual ``||b - A x||_2 / ||b||_2 <= rtol``
(evaluated in float64 arithmetic when the recursive residual claims convergence, and every
few iterations in float32 storage, where it also replaces the recursive one); the reported
``rel_residual`` is the true one.
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
                "update_p": K.update_p, "dot": K.dot, "residual": K.residual}


@dataclass
class Level:
    """One multigrid level: face conductances, diagonal, periodicity, work vectors.

    The smoothing kernels compute the diagonal on the fly; ``d`` is kept on the coarse
    levels (small) and may be ``None`` on the fine level.
    """

    g: tuple
    d: np.ndarray | None
    extra: np.ndarray
    periodic: tuple[bool, bool, bool]
    r: np.ndarray | None = None
    z: np.ndarray | None = None
    tmp: np.ndarray | None = None
    lu: object = None
    index: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.g[0].shape)  # type: ignore[return-value]

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


def boundary_extra(extra: np.ndarray) -> np.ndarray:
    """Compact form of an extra diagonal that is zero except on the first and last layers
    along the first axis: their copy, shape ``(2, ny, nz)`` (else ``extra`` unchanged).

    The numba kernels read both forms (PHYSICS 8.2 Dirichlet electrodes live there).
    """
    n = extra.shape[0]
    if n <= 2 or np.any(extra[1:-1] != 0):
        return extra
    return np.ascontiguousarray(np.stack([extra[0], extra[-1]]))


def full_extra(extra: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Full-grid float64 extra diagonal from either form of :func:`boundary_extra` [S]."""
    if tuple(extra.shape) == tuple(shape):
        return np.asarray(extra, np.float64)
    out = np.zeros(shape)
    out[0] = extra[0]
    out[-1] = extra[1]
    return out


def _coarse_lu(lev: Level):
    """Sparse LU of a (small) level's operator on its active cells."""
    import scipy.sparse.linalg as spla

    from hylyte.solve.operator import FVSystem

    d = lev.d
    if d is None:
        d = np.empty(lev.shape, dtype=np.float64)
        kernels()["diagonal"](*lev.g, lev.extra, d, *lev.periodic)
    act = d > 0
    sys = FVSystem([np.asarray(g, np.float64) for g in lev.g],
                   full_extra(lev.extra, lev.shape), None, act, lev.periodic, (1.0, 1.0, 1.0))
    A, index = sys.to_csr()
    if A.shape[0] == 0:
        return None, index
    return spla.splu(A.tocsc()), index


def build_hierarchy(g: list, extra: np.ndarray, d: np.ndarray | None,
                    periodic: tuple[bool, bool, bool], *, dtype=np.float32,
                    coarsest_cells: int = COARSEST_CELLS, nu: int = 1) -> Hierarchy:
    """Build the multigrid hierarchy from fine face conductances ``g`` and ``extra`` [S].

    ``d`` (the fine diagonal [S]) is only stored for backends that need it (``None``: the
    numba kernels compute it on the fly).
    """
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
            k["jacobi"](*lev.g, lev.extra, x, r, tmp, omega, *per)
        return
    order = (0, 1) if forward else (1, 0)
    for _ in range(nu):
        for c in order:
            k["rb_sweep"](*lev.g, lev.extra, x, r, c, *per)


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
        k["residual_restrict"](*lev.g, lev.extra, z, r, nxt.r, *lev.periodic)
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


CHECK_EVERY = 10  # iterations between true-residual replacements in float32 storage


def mgpcg(g: list, d: np.ndarray | None, extra: np.ndarray, periodic: tuple[bool, bool, bool],
          b: np.ndarray,
          hier: Hierarchy, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
          max_iter: int = 500, progress: Callable[[int, float], None] | None = None,
          check_every: int = CHECK_EVERY, max_restarts: int = 3) -> PCGResult:
    """Conjugate gradients preconditioned by one multigrid cycle per iteration.

    The iterate ``x`` is float64. The work vectors ``r``, ``p`` and ``q`` (``z = M r`` shares
    ``q``) have the dtype of the face conductances (float32 in mixed precision); dot
    products and norms accumulate in float64. In float32 storage the recursively updated
    residual is replaced every ``check_every`` iterations by the true residual
    ``b - A x``, evaluated in float64 arithmetic on the fly (no float64 fine-grid vector
    besides ``x``). Convergence is only declared on the true residual: when the recursive
    residual claims ``rtol`` but the true one does not, CG restarts from the true residual;
    after ``max_restarts`` restarts in a row without progress (the round-off floor) the
    solve counts as converged only if the true residual is within ``10 rtol``, and
    otherwise reports ``converged=False``.

    Parameters
    ----------
    g, d, extra, periodic
        Fine-level face conductances [S], diagonal [S] (unused by the numba kernels, which
        compute it on the fly; may be None), extra diagonal (Dirichlet or grounding) [S]
        and wrapping flags.
    b : ndarray of float32 or float64
        Right-hand side [A] (not modified; no float64 copy is made): the full grid, or only
        its first ``b.shape[0]`` layers along the first axis when it is zero beyond them
        (the Dirichlet right-hand side lives on the inlet layer).
    hier : Hierarchy
        From :func:`build_hierarchy`.
    x0 : ndarray, optional
        Initial guess [V] (warm start).
    rtol : float
        Stop when the true ``||b - A x|| / ||b|| <= rtol`` (2-norms).
    max_iter : int
        Iteration limit.
    progress : callable, optional
        Called as ``progress(iteration, rel_residual)``.
    check_every : int
        Iterations between true-residual replacements (float32 storage only).
    max_restarts : int
        Restarts after a false convergence claim without progress before giving up.
    """
    t0 = time.perf_counter()
    vec = np.float32 if np.dtype(g[0].dtype) == np.float32 else np.float64
    shape = tuple(g[0].shape)
    if b.ndim != 3 or b.shape[1:] != shape[1:] or not 1 <= b.shape[0] <= shape[0]:
        from hylyte.errors import InputError

        raise InputError(f"b must have the grid shape {shape} or its leading layers along "
                         f"the first axis, got {b.shape}")
    x = np.zeros(shape) if x0 is None else np.array(x0, dtype=np.float64)
    ops = NumbaOps(g, extra, periodic, hier, vec)
    return pcg(ops, x, b, rtol=rtol, max_iter=max_iter, progress=progress,
               check_every=check_every, max_restarts=max_restarts, t0=t0)


class NumbaOps:
    """The vector operations of :func:`pcg` on numpy arrays, with the numba kernels."""

    def __init__(self, g, extra, periodic, hier: Hierarchy, vec) -> None:
        self.k = kernels()
        self.g, self.extra, self.periodic, self.hier = g, extra, periodic, hier
        self.shape = tuple(g[0].shape)
        self.vec = vec
        self.mixed = vec == np.float32
        self.fine_tmp = np.zeros(self.shape, dtype=vec) if hier.levels[0].use_jacobi else None

    def empty(self):
        """A work vector (storage precision)."""
        return np.empty(self.shape, dtype=self.vec)

    def zeros(self):
        """A zeroed work vector (storage precision)."""
        return np.zeros(self.shape, dtype=self.vec)

    def precondition(self, r, z) -> None:
        """``z <- M r`` (one multigrid cycle)."""
        vcycle(self.hier, r, z, 0, self.fine_tmp)

    def dot(self, a, b) -> float:
        """Float64-accumulated dot product."""
        return float(self.k["dot"](a, b))

    def residual(self, x, b, r) -> float:
        """``r <- b - A x`` in float64 arithmetic; returns ``||b - A x||^2``."""
        return float(self.k["residual"](*self.g, self.extra, x, b, r, *self.periodic))

    def update_p(self, p, z, beta: float) -> None:
        """``p <- z + beta p``."""
        self.k["update_p"](p, z, beta)

    def matvec(self, p, q) -> None:
        """``q <- A p``."""
        self.k["matvec"](*self.g, self.extra, p, q, *self.periodic)

    def update_xr(self, x, r, p, q, alpha: float) -> float:
        """``x += alpha p``, ``r -= alpha q``; returns ``||r||^2``."""
        return float(self.k["update_xr"](x, r, p, q, alpha))


def pcg(ops, x, b, *, rtol: float, max_iter: int,
        progress: Callable[[int, float], None] | None = None, check_every: int = CHECK_EVERY,
        max_restarts: int = 3, t0: float | None = None) -> PCGResult:
    """The MG-preconditioned CG iteration of :func:`mgpcg` over any array library.

    ``ops`` supplies the vector operations (:class:`NumbaOps` for numpy arrays; the torch
    backend has its own), ``x`` is the float64 iterate (updated in place) and ``b`` the
    right-hand side in the form ``ops.residual`` accepts. The stopping and restart rules are
    those documented in :func:`mgpcg`; the returned ``x`` is ``x`` itself.
    """
    t0 = time.perf_counter() if t0 is None else t0
    bnorm = float(np.sqrt(ops.dot(b, b)))
    if bnorm == 0.0:
        x[...] = 0.0
        return PCGResult(x, True, 0, 0.0, [0.0], time.perf_counter() - t0)
    r = ops.empty()
    q = ops.empty()
    rel = float(np.sqrt(ops.residual(x, b, r))) / bnorm
    hist = [rel]
    if rel <= rtol:
        return PCGResult(x, True, 0, rel, hist, time.perf_counter() - t0)
    p = ops.zeros()
    mixed = ops.mixed
    rz_old = 1.0
    it = 0
    last_check = 0
    restart = True
    false_claims = 0
    best_true = rel
    converged = False
    true_now = True                 # whether ``rel`` is the true residual of ``x``
    while it < max_iter:
        ops.precondition(r, q)                   # q <- z = M r
        rz = ops.dot(r, q)
        beta = 0.0 if restart else rz / rz_old
        restart = False
        ops.update_p(p, q, beta)                 # p <- z + beta p
        rz_old = rz
        ops.matvec(p, q)                         # q <- A p
        pq = ops.dot(p, q)
        if not pq > 0.0:
            break
        alpha = rz / pq
        rr = ops.update_xr(x, r, p, q, alpha)
        it += 1
        rel = float(np.sqrt(rr)) / bnorm
        true_now = False
        claimed = rel <= rtol
        if claimed or (mixed and it - last_check >= check_every):
            # residual replacement: r <- b - A x in float64 arithmetic
            rel = float(np.sqrt(ops.residual(x, b, r))) / bnorm
            last_check = it
            true_now = True
            if rel <= rtol:
                converged = True
            elif claimed:
                # the recursion drifted from the true residual: restart CG from it
                false_claims = 0 if rel < 0.5 * best_true else false_claims + 1
                restart = True
            best_true = min(best_true, rel)
        hist.append(rel)
        if progress is not None:
            progress(it, rel)
        if converged:
            break
        if false_claims > max_restarts:
            # stagnation at the round-off floor of the true residual: accepted within
            # 10 rtol (the reported rel_residual is the true one), else not converged
            converged = rel <= 10.0 * rtol
            break
    if not true_now:
        rel = float(np.sqrt(ops.residual(x, b, r))) / bnorm
        converged = rel <= rtol
    return PCGResult(x, converged, it, rel, hist, time.perf_counter() - t0)
