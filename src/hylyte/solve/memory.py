"""Memory estimates of the solver backends, checked before solving."""

from __future__ import annotations

import numpy as np

from hylyte.errors import InputError, MemoryLimitError

# bytes per voxel on the fine grid (peak of set-up, solve and post-processing), Dirichlet
_PER_VOXEL = {
    # 3 float32 face conductances (12) + float64 iterate x (8) + float32 CG vectors r, p, q
    # (12) + working labels and mask (2) + the coarse levels (28 B per coarse voxel: about
    # 4); the fine diagonal is computed on the fly, the Dirichlet right-hand side and extra
    # diagonal are stored as boundary layers only. Measured peak at 128^3 (tracemalloc):
    # 38.3 B/voxel for the three benchmark cases; ru_maxrss increase 44-47 (heap retention
    # of freed set-up temporaries below glibc's mmap threshold)
    ("mgpcg", "mixed"): 40,
    # float64 face conductances (24), x (8), r, p, q (24), labels (2), coarse levels (8);
    # measured 66.4 B/voxel (tracemalloc, 128^3)
    ("mgpcg", "double"): 68,
    # the same plus torch copies of the fine conductances and work tensors
    ("torch", "mixed"): 110,
    ("torch", "double"): 150,
    # assembled CSR (7 nnz x 12 bytes), index map, AMG hierarchy (about 1.5x the matrix),
    # CG vectors
    ("pyamg", "double"): 7 * 12 * 2.5 + 8 + 6 * 8,
    ("direct", "double"): 7 * 12 + 8 + 3 * 8,
}
# periodic homogenisation with the matrix-free backends: the two other stored solutions of
# the three solves (16, warm starts) and the float64 temporaries of the right-hand side;
# measured peak 66 B/voxel at 96^3 (mixed, tracemalloc)
_PERIODIC_EXTRA = {"mixed": 28, "double": 40}
BCS = ("dirichlet", "periodic")


def estimate_memory(shape: tuple[int, int, int], backend: str = "mgpcg", *,
                    precision: str = "mixed", bc: str = "dirichlet") -> int:
    """Estimated peak memory of one solve [bytes].

    Parameters
    ----------
    shape : (int, int, int)
        Volume shape.
    backend : str
        ``"mgpcg"``, ``"torch"``, ``"pyamg"`` or ``"direct"`` (``"auto"`` means ``"mgpcg"``).
    precision : {"mixed", "double"}
        Storage precision of the matrix-free backends (the assembled ones are float64).
    bc : {"dirichlet", "periodic"}
        Boundary conditions (periodic homogenisation keeps three solutions).

    Notes
    -----
    The direct solver's LU fill-in grows like ``N^(4/3)`` in 3D; its estimate adds
    ``100 N^(4/3)`` bytes, an order-of-magnitude figure.
    """
    n = int(np.prod([int(s) for s in shape]))
    if backend == "auto":
        backend = "mgpcg"
    if backend in ("pyamg", "direct"):
        precision = "double"
    key = (backend, precision)
    if key not in _PER_VOXEL:
        raise InputError(f"no memory model for backend={backend!r}, precision={precision!r}")
    if bc not in BCS:
        raise InputError(f"bc must be one of {BCS}, got {bc!r}")
    per = _PER_VOXEL[key]
    if bc == "periodic" and backend in ("mgpcg", "torch"):
        per += _PERIODIC_EXTRA[precision]
    est = n * per
    if backend == "direct":
        est += 100.0 * n ** (4.0 / 3.0)
    return int(est)


def largest_cube(limit_bytes: int, backend: str = "mgpcg", *, precision: str = "mixed") -> int:
    """Edge of the largest cubic volume whose estimate fits in ``limit_bytes`` [voxels]."""
    lo, hi = 1, 1
    while estimate_memory((hi, hi, hi), backend, precision=precision) <= limit_bytes:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if estimate_memory((mid, mid, mid), backend, precision=precision) <= limit_bytes:
            lo = mid
        else:
            hi = mid
    return lo


def check_memory(shape: tuple[int, int, int], backend: str, precision: str,
                 limit_bytes: int | None, bc: str = "dirichlet") -> int:
    """Estimate, and raise :class:`MemoryLimitError` when above ``limit_bytes``."""
    est = estimate_memory(shape, backend, precision=precision, bc=bc)
    if limit_bytes is not None and est > limit_bytes:
        raise MemoryLimitError(
            f"a {shape} volume with backend {backend!r} ({precision}) needs about "
            f"{est / 2**30:.2f} GiB, more than memory_limit_bytes={limit_bytes} "
            f"({limit_bytes / 2**30:.2f} GiB); crop the volume or raise the limit")
    return est
