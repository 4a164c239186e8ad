"""Linear-solver backends for the FV operator, behind one interface and a registry.

Every backend turns an :class:`hylyte.solve.operator.FVSystem` into a prepared solver with
``solve(b, x0, rtol, max_iter, progress) -> PCGResult`` (see ``multigrid.PCGResult``).
The stopping test of the iterative backends is the relative residual
``||b - A x||_2 / ||b||_2 <= rtol``.

Registered backends:

``"auto"`` picks ``"torch"`` on a CUDA device for volumes of at least
:data:`AUTO_GPU_MIN_UNKNOWNS` voxels (where the GPU pays for its transfers: at 256^3 on an
H100 its CG loop was 3-4x faster than ``mgpcg`` on 16 host cores), else ``"mgpcg"``.

* ``"mgpcg"`` (default on the CPU): matrix-free CG preconditioned by a geometric multigrid V-cycle
  (numba kernels, float32 conductances and work vectors with a float64 iterate, or all
  float64).
* ``"pyamg"``: assembled scipy matrix, CG preconditioned by pyamg smoothed aggregation.
* ``"direct"``: sparse LU (scipy ``splu``), up to 2e5 unknowns.
* ``"torch"``: the MG-PCG algorithm in torch (CUDA when available, else CPU); extra ``gpu``.
* ``"petsc"``: a seam for a PETSc/petsc4py backend; registered, never available yet.
"""

from __future__ import annotations

from hylyte.errors import InputError, MissingDependencyError
from hylyte.solve.backends.base import Backend
from hylyte.solve.backends.direct import DirectBackend
from hylyte.solve.backends.mgpcg import MGPCGBackend
from hylyte.solve.backends.petsc import PETScBackend
from hylyte.solve.backends.pyamg_backend import PyAMGBackend
from hylyte.solve.backends.torch_backend import TorchBackend

REGISTRY: dict[str, type[Backend]] = {
    "mgpcg": MGPCGBackend,
    "pyamg": PyAMGBackend,
    "direct": DirectBackend,
    "torch": TorchBackend,
    "petsc": PETScBackend,
}


def available() -> list[str]:
    """Names of the backends whose dependencies are importable."""
    return [name for name, cls in REGISTRY.items() if cls.is_available()]


AUTO_GPU_MIN_UNKNOWNS = 128**3


def cuda_available() -> bool:
    """Whether torch is installed and sees a CUDA device (imports torch only if installed)."""
    from hylyte._optional import has_module

    if not has_module("torch"):
        return False
    import torch

    return bool(torch.cuda.is_available())


def get_backend(name: str = "auto", *, n_unknowns: int | None = None) -> Backend:
    """Instantiate a backend by name.

    ``"auto"`` picks ``"torch"`` when ``n_unknowns >= AUTO_GPU_MIN_UNKNOWNS`` and a CUDA
    device is visible to torch, else ``"mgpcg"``.

    Raises
    ------
    InputError
        Unknown name.
    MissingDependencyError
        The named backend's dependency is not installed.
    """
    if name == "auto":
        if n_unknowns is not None and n_unknowns >= AUTO_GPU_MIN_UNKNOWNS and cuda_available():
            return TorchBackend()
        return MGPCGBackend()
    if name not in REGISTRY:
        raise InputError(f"backend must be 'auto' or one of {sorted(REGISTRY)}, got {name!r}")
    cls = REGISTRY[name]
    if not cls.is_available():
        raise MissingDependencyError(cls.missing_message())
    return cls()


__all__ = ["AUTO_GPU_MIN_UNKNOWNS", "REGISTRY", "Backend", "available", "cuda_available",
           "get_backend"]
