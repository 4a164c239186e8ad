"""The MG-PCG algorithm of ``mgpcg`` written with torch tensors (CUDA when available, else CPU).

Same hierarchy (Galerkin 2x2x2 agglomeration, built once with the numba kernels), same
symmetric red-black Gauss-Seidel smoother (damped Jacobi on odd periodic levels), same
coarsest-level sparse LU (on the CPU) and the same stopping test. Part of the ``gpu`` extra
(``torch==2.13.0``), imported lazily.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from hylyte.solve.backends.base import Backend, Prepared
from hylyte.solve.multigrid import Hierarchy, PCGResult, build_hierarchy, kernels
from hylyte.solve.operator import FVSystem


def _flux(torch, g, x, periodic):
    """Sum over faces of g (x_c - x_nb): conservative (zero row sum) in any precision."""
    s = torch.zeros_like(x)
    for ax in range(3):
        if x.shape[ax] == 1:
            continue
        gg = g[ax].to(x.dtype)
        if periodic[ax]:
            f = gg * (x - torch.roll(x, -1, dims=ax))
            s += f
            s -= torch.roll(f, 1, dims=ax)
        else:
            n = x.shape[ax]
            lo = [slice(None)] * 3
            hi = [slice(None)] * 3
            lo[ax] = slice(0, n - 1)
            hi[ax] = slice(1, n)
            lo, hi = tuple(lo), tuple(hi)
            f = gg[lo] * (x[lo] - x[hi])
            s[lo] += f
            s[hi] -= f
    return s


class _TLevel:
    def __init__(self, torch, lev, device, dtype) -> None:
        self.g = [torch.as_tensor(np.asarray(a), device=device, dtype=dtype) for a in lev.g]
        self.d = torch.as_tensor(np.asarray(lev.d), device=device, dtype=dtype)
        self.extra = torch.as_tensor(np.asarray(lev.extra), device=device, dtype=dtype)
        self.inv_d = torch.where(self.d > 0, 1.0 / torch.where(self.d > 0, self.d, 1.0), 0.0)
        self.periodic = lev.periodic
        self.jacobi = lev.use_jacobi
        self.lu = lev.lu
        self.index = lev.index
        sh = lev.d.shape
        ii, jj, kk = np.meshgrid(*[np.arange(n) for n in sh], indexing="ij")
        red = ((ii + jj + kk) % 2 == 0)
        self.colors = [torch.as_tensor(red, device=device), torch.as_tensor(~red, device=device)]
        self.shape = sh


class TorchPrepared(Prepared):
    """Torch tensors of the hierarchy."""

    def __init__(self, system: FVSystem, precision: str) -> None:
        import torch

        self.torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        dt = np.float32 if precision == "mixed" else np.float64
        self.tdt = torch.float32 if precision == "mixed" else torch.float64
        g = [np.ascontiguousarray(a, dtype=dt) for a in system.g]
        extra = np.ascontiguousarray(system.extra, dtype=dt)
        d = np.empty(system.shape, dtype=dt)
        kernels()["diagonal"](*g, extra, d, *system.periodic)
        hier: Hierarchy = build_hierarchy(g, extra, d, system.periodic, dtype=dt)
        self.levels = [_TLevel(torch, lev, self.device, self.tdt) for lev in hier.levels]
        self.fine = _TLevel(torch, hier.levels[0], self.device, self.tdt)
        self.active = system.active
        self.nbytes = hier.nbytes()

    def _matvec(self, lev, x):
        return lev.extra.to(x.dtype) * x + _flux(self.torch, lev.g, x, lev.periodic)

    def _smooth(self, lev, x, r, forward):
        if lev.jacobi:
            return x + 0.8 * (r - self._matvec(lev, x)) * lev.inv_d
        for c in ((0, 1) if forward else (1, 0)):
            new = x + (r - self._matvec(lev, x)) * lev.inv_d
            x = self.torch.where(lev.colors[c], new, x)
        return x

    def _vcycle(self, li, r):
        torch = self.torch
        lev = self.levels[li]
        if lev.lu is not None or li == len(self.levels) - 1:
            z = np.zeros(lev.shape)
            act = lev.index >= 0
            if lev.lu is not None:
                z[act] = lev.lu.solve(r.detach().cpu().double().numpy()[act])
            return torch.as_tensor(z, device=self.device, dtype=r.dtype)
        z = self._smooth(lev, torch.zeros_like(r), r, True)
        res = r - self._matvec(lev, z)
        nxt = self.levels[li + 1]
        rc = torch.zeros(nxt.shape, device=self.device, dtype=self.tdt)
        pads = [(0, (2 - n % 2) % 2) for n in lev.shape]
        rp = torch.nn.functional.pad(res.to(self.tdt),
                                     (pads[2][0], pads[2][1], pads[1][0], pads[1][1],
                                      pads[0][0], pads[0][1]))
        s = rp.shape
        rc = rp.reshape(s[0] // 2, 2, s[1] // 2, 2, s[2] // 2, 2).sum(dim=(1, 3, 5))
        ec = self._vcycle(li + 1, rc)
        up = ec.repeat_interleave(2, 0).repeat_interleave(2, 1).repeat_interleave(2, 2)
        z = z + up[: lev.shape[0], : lev.shape[1], : lev.shape[2]].to(z.dtype)
        return self._smooth(lev, z, r, False)

    def solve(self, b: np.ndarray, *, x0: np.ndarray | None = None, rtol: float = 1e-6,
              max_iter: int = 500,
              progress: Callable[[int, float], None] | None = None) -> PCGResult:
        torch = self.torch
        t0 = time.perf_counter()
        f = self.fine
        bt = torch.as_tensor(np.asarray(b, dtype=np.float64), device=self.device)
        x = torch.zeros_like(bt) if x0 is None else torch.as_tensor(
            np.asarray(x0, dtype=np.float64), device=self.device).clone()
        bnorm = float(torch.linalg.vector_norm(bt))
        if bnorm == 0.0:
            return PCGResult(np.zeros(b.shape), True, 0, 0.0, [0.0], time.perf_counter() - t0)
        r = bt - self._matvec(f, x)
        rel = float(torch.linalg.vector_norm(r)) / bnorm
        hist = [rel]
        p = torch.zeros_like(x)
        rz_old = 1.0
        it = 0
        conv = rel <= rtol
        while not conv and it < max_iter:
            z = self._vcycle(0, r).to(torch.float64)
            rz = float(torch.sum(r * z))
            beta = 0.0 if it == 0 else rz / rz_old
            p = z + beta * p
            rz_old = rz
            q = self._matvec(f, p)
            pq = float(torch.sum(p * q))
            if pq <= 0:
                break
            alpha = rz / pq
            x += alpha * p
            r -= alpha * q
            it += 1
            rel = float(torch.linalg.vector_norm(r)) / bnorm
            hist.append(rel)
            if progress is not None:
                progress(it, rel)
            conv = rel <= rtol
        true_rel = float(torch.linalg.vector_norm(bt - self._matvec(f, x))) / bnorm
        xn = x.cpu().numpy()
        xn[~self.active] = 0.0
        return PCGResult(xn, bool(conv and true_rel <= 10 * rtol), it, true_rel, hist,
                         time.perf_counter() - t0)


class TorchBackend(Backend):
    """MG-PCG in torch (CUDA if available, else CPU)."""

    name = "torch"
    requires = ("torch",)
    extra = "gpu"

    def prepare(self, system: FVSystem, *, precision: str = "mixed") -> TorchPrepared:
        """Build the hierarchy and move it to the torch device."""
        from hylyte._optional import import_optional

        import_optional("torch", extra="gpu", purpose="for the torch solver backend")
        return TorchPrepared(system, precision)
