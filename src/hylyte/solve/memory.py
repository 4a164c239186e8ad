"""Memory estimates of the solver backends, checked before solving."""

from __future__ import annotations

import numpy as np

from hylyte.errors import InputError, MemoryLimitError

# bytes per voxel on the fine grid (peak of set-up, solve and post-processing)
_PER_VOXEL = {
    # 3 float32 face conductances (12) + float32 diagonal, extra and right-hand side (12)
    # + labels, working labels and masks (4) + 4 float64 CG vectors (32) + the coarse
    # levels (about 4); measured peak at 128^3: 62 B/voxel (tracemalloc)
    ("mgpcg", "mixed"): 64,
    ("mgpcg", "double"): 88,
    # the same plus torch copies of the fine conductances and work tensors
    ("torch", "mixed"): 110,
    ("torch", "double"): 150,
    # assembled CSR (7 nnz x 12 bytes), index map, AMG hierarchy (about 1.5x the matrix),
    # CG vectors
    ("pyamg", "double"): 7 * 12 * 2.5 + 8 + 6 * 8,
    ("direct", "double"): 7 * 12 + 8 + 3 * 8,
}


def estimate_memory(shape: tuple[int, int, int], backend: str = "mgpcg", *,
                    precision: str = "mixed") -> int:
    """Estimated peak memory of one solve [bytes].

    Parameters
    ----------
    shape : (int, int, int)
        Volume shape.
    backend : str
        ``"mgpcg"``, ``"torch"``, ``"pyamg"`` or ``"direct"`` (``"auto"`` means ``"mgpcg"``).
    precision : {"mixed", "double"}
        Storage precision of the matrix-free backends (the assembled ones are float64).

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
    est = n * _PER_VOXEL[key]
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
                 limit_bytes: int | None) -> int:
    """Estimate, and raise :class:`MemoryLimitError` when above ``limit_bytes``."""
    est = estimate_memory(shape, backend, precision=precision)
    if limit_bytes is not None and est > limit_bytes:
        raise MemoryLimitError(
            f"a {shape} volume with backend {backend!r} ({precision}) needs about "
            f"{est / 2**30:.2f} GiB, more than memory_limit_bytes={limit_bytes} "
            f"({limit_bytes / 2**30:.2f} GiB); crop the volume or raise the limit")
    return est
