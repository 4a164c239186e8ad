"""The MG-PCG algorithm of ``mgpcg`` written with torch tensors (CUDA when available, else CPU).

Same hierarchy (Galerkin 2x2x2 agglomeration, built once with the numba kernels), same cycle
(a V-cycle on the fine level, ``gamma`` coarse-grid iterations below it), same symmetric
red-black Gauss-Seidel smoother (damped Jacobi on odd periodic levels), same coarsest-level
sparse LU (on the CPU), and the same CG driver (:func:`hylyte.solve.multigrid.pcg`: float32
work vectors and preconditioner in mixed precision, a float64 iterate, float64 true-residual
replacements and the same stopping test). The stencil is applied in face form
(``sum g (x_c - x_nb)``) with in-place operations on views, so that a matrix-vector product
needs one temporary and no rolled copies. Part of the ``gpu`` extra (``torch==2.13.0``),
imported lazily.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from hylyte.solve.backends.base import Backend, Prepared
from hylyte.solve.multigrid import (
    Hierarchy,
    PCGResult,
    boundary_extra,
    build_hierarchy,
    kernels,
    pcg,
)
from hylyte.solve.operator import FVSystem


class _TLevel:
    """One level of the hierarchy as torch tensors."""

    def __init__(self, torch, lev, device, dtype) -> None:
        self.shape = tuple(int(n) for n in lev.shape)
        self.g = [torch.as_tensor(np.asarray(a), device=device, dtype=dtype) for a in lev.g]
        # the electrodes' extra diagonal lives on the first and last layers along x
        ex = boundary_extra(np.asarray(lev.extra))
        self.extra_layers = None
        if ex.shape != self.shape:
            self.extra_layers = torch.as_tensor(ex, device=device, dtype=dtype)
            self.extra = None
        else:
            self.extra = torch.as_tensor(ex, device=device, dtype=dtype)
        d = torch.as_tensor(np.asarray(lev.d), device=device, dtype=dtype)
        inv_d = torch.where(d > 0, 1.0 / torch.where(d > 0, d, 1.0), 0.0)
        del d
        self.periodic = tuple(bool(p) for p in lev.periodic)
        self.jacobi = lev.use_jacobi
        if self.jacobi:
            self.inv_d = [inv_d]
        else:
            # inverse diagonal restricted to each colour: a half sweep is x += c (r - A x)
            ii, jj, kk = (torch.arange(n, device=device) for n in self.shape)
            red = (ii[:, None, None] + jj[None, :, None] + kk[None, None, :]) % 2 == 0
            self.inv_d = [inv_d * red, inv_d * ~red]
            del red, inv_d
        self.lu = lev.lu
        self.index = lev.index
        self.active = None if lev.index is None else lev.index >= 0
        self.even = all(n % 2 == 0 for n in self.shape)

    def nbytes(self) -> int:
        ts = [*self.g, *self.inv_d, self.extra if self.extra is not None else self.extra_layers]
        return int(sum(t.numel() * t.element_size() for t in ts))


def apply_operator(lev: _TLevel, x, out):
    """``out <- A x`` in face form, in the precision of ``x`` [A] (``out`` is returned)."""
    if lev.extra is not None:
        ex = lev.extra if lev.extra.dtype == x.dtype else lev.extra.to(x.dtype)
        out.copy_(ex).mul_(x)
    else:
        out.zero_()
        ex = lev.extra_layers.to(x.dtype)
        out[0].addcmul_(ex[0], x[0])
        out[-1].addcmul_(ex[1], x[-1])
    for ax in range(3):
        n = x.shape[ax]
        if n == 1:
            continue
        g = lev.g[ax] if lev.g[ax].dtype == x.dtype else lev.g[ax].to(x.dtype)
        lo, hi = x.narrow(ax, 0, n - 1), x.narrow(ax, 1, n - 1)
        f = (lo - hi).mul_(g.narrow(ax, 0, n - 1))      # flux through the faces
        out.narrow(ax, 0, n - 1).add_(f)
        out.narrow(ax, 1, n - 1).sub_(f)
        if lev.periodic[ax]:
            last, first = x.narrow(ax, n - 1, 1), x.narrow(ax, 0, 1)
            fw = (last - first).mul_(g.narrow(ax, n - 1, 1))
            out.narrow(ax, n - 1, 1).add_(fw)
            out.narrow(ax, 0, 1).sub_(fw)
    return out


class TorchOps:
    """The vector operations of :func:`hylyte.solve.multigrid.pcg` on torch tensors."""

    def __init__(self, prep: TorchPrepared) -> None:
        self.p = prep
        self.torch = prep.torch
        self.mixed = prep.tdt == prep.torch.float32

    def empty(self):
        return self.torch.empty(self.p.fine.shape, device=self.p.device, dtype=self.p.tdt)

    def zeros(self):
        return self.torch.zeros(self.p.fine.shape, device=self.p.device, dtype=self.p.tdt)

    def precondition(self, r, z) -> None:
        z.copy_(self.p.cycle(0, r))

    def dot(self, a, b) -> float:
        torch = self.torch
        if a is b:
            return float(torch.linalg.vector_norm(a, dtype=torch.float64) ** 2)
        return float(torch.sum(a * b, dtype=torch.float64))

    def residual(self, x, b, r) -> float:
        torch = self.torch
        ax = apply_operator(self.p.fine, x, torch.empty_like(x))   # float64
        ax.neg_()
        ax[: b.shape[0]].add_(b)
        r.copy_(ax)
        return float(torch.linalg.vector_norm(ax) ** 2)

    def update_p(self, p, z, beta: float) -> None:
        p.mul_(beta).add_(z)

    def matvec(self, p, q) -> None:
        apply_operator(self.p.fine, p, q)

    def update_xr(self, x, r, p, q, alpha: float) -> float:
        x.add_(p, alpha=alpha)
        r.add_(q, alpha=-alpha)
        return self.dot(r, r)


class TorchPrepared(Prepared):
    """Torch tensors of the hierarchy."""

    def __init__(self, system: FVSystem, precision: str) -> None:
        import torch

        from hylyte.errors import InputError
        from hylyte.solve.backends.mgpcg import PRECISIONS

        if precision not in PRECISIONS:
            raise InputError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        self.torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        dt = np.float32 if precision == "mixed" else np.float64
        self.tdt = torch.float32 if precision == "mixed" else torch.float64
        g = [np.ascontiguousarray(a, dtype=dt) for a in system.g]
        extra = np.ascontiguousarray(system.extra, dtype=dt)
        d = np.empty(system.shape, dtype=dt)
        kernels()["diagonal"](*g, extra, d, *system.periodic)
        hier: Hierarchy = build_hierarchy(g, extra, d, system.periodic, dtype=dt)
        self.gamma, self.nu, self.omega = hier.gamma, hier.nu, hier.omega
        self.levels = [_TLevel(torch, lev, self.device, self.tdt) for lev in hier.levels]
        self.fine = self.levels[0]
        self.active = system.active
        self.nbytes = sum(lev.nbytes() for lev in self.levels)

    # -- multigrid cycle ---------------------------------------------------------------
    def _smooth(self, lev: _TLevel, x, r, forward: bool, tmp) -> None:
        for _ in range(self.nu):
            if lev.jacobi:
                apply_operator(lev, x, tmp)
                x.add_(tmp.neg_().add_(r).mul_(lev.inv_d[0]), alpha=self.omega)
                continue
            for c in ((0, 1) if forward else (1, 0)):
                apply_operator(lev, x, tmp)
                x.add_(tmp.neg_().add_(r).mul_(lev.inv_d[c]))

    def _restrict(self, lev: _TLevel, res):
        torch = self.torch
        if not lev.even:
            pads = []
            for n in reversed(lev.shape):
                pads += [0, n % 2]
            res = torch.nn.functional.pad(res, pads)
        s = res.shape
        return res.reshape(s[0] // 2, 2, s[1] // 2, 2, s[2] // 2, 2).sum(dim=(1, 3, 5))

    def _prolong_add(self, lev: _TLevel, z, ec) -> None:
        nx, ny, nz = lev.shape
        if lev.even:
            z.view(nx // 2, 2, ny // 2, 2, nz // 2, 2).add_(ec[:, None, :, None, :, None])
            return
        up = ec.repeat_interleave(2, 0).repeat_interleave(2, 1).repeat_interleave(2, 2)
        z.add_(up[:nx, :ny, :nz])

    def cycle(self, li: int, r):
        """One multigrid cycle on level ``li``: returns ``z ~= A^-1 r``."""
        torch = self.torch
        lev = self.levels[li]
        if lev.lu is not None or li == len(self.levels) - 1:
            z = np.zeros(lev.shape)
            if lev.lu is not None:
                z[lev.active] = lev.lu.solve(r.detach().cpu().double().numpy()[lev.active])
            return torch.as_tensor(z, device=self.device, dtype=r.dtype)
        z = torch.zeros_like(r)
        tmp = torch.empty_like(r)
        for _ in range(1 if li == 0 else self.gamma):
            self._smooth(lev, z, r, True, tmp)
            res = apply_operator(lev, z, tmp).neg_().add_(r)
            ec = self.cycle(li + 1, self._restrict(lev, res))
            self._prolong_add(lev, z, ec)
            self._smooth(lev, z, r, False, tmp)
        return z

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        torch = self.torch
        t0 = time.perf_counter()
        bt = torch.as_tensor(np.asarray(b, dtype=np.float64), device=self.device)
        x = (torch.zeros(self.fine.shape, device=self.device, dtype=torch.float64)
             if x0 is None else torch.as_tensor(np.asarray(x0, dtype=np.float64),
                                                device=self.device).clone())
        try:
            res = pcg(TorchOps(self), x, bt, rtol=rtol, max_iter=max_iter, progress=progress,
                      t0=t0)
        except torch.cuda.OutOfMemoryError as exc:
            raise _out_of_memory(self.fine.shape) from exc
        xn = res.x.cpu().numpy()
        xn[~self.active] = 0.0
        res.x = xn
        res.wall_time_s = time.perf_counter() - t0
        return res


def _out_of_memory(shape: tuple[int, ...]) -> Exception:
    from hylyte.errors import MemoryLimitError

    return MemoryLimitError(
        f"the torch backend ran out of GPU memory for a volume of shape {shape} (about 83 "
        "bytes per voxel on the device in mixed precision); use backend='mgpcg' (CPU), a "
        "smaller volume, or a GPU with more memory")


class TorchBackend(Backend):
    """MG-PCG in torch (CUDA if available, else CPU)."""

    name = "torch"
    requires = ("torch",)
    extra = "gpu"

    def prepare(self, system: FVSystem, *, precision: str = "mixed") -> TorchPrepared:
        """Build the hierarchy and move it to the torch device."""
        from hylyte._optional import import_optional

        torch = import_optional("torch", extra="gpu", purpose="for the torch solver backend")
        try:
            return TorchPrepared(system, precision)
        except torch.cuda.OutOfMemoryError as exc:
            raise _out_of_memory(tuple(system.shape)) from exc
