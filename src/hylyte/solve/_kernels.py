"""Numba kernels of the FV operator and the multigrid solver.

This module imports numba at import time; it is itself imported lazily by
``hylyte.solve.operator`` and ``hylyte.solve.multigrid`` when a solve needs it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(parallel=True, fastmath=False, cache=True)
def face_conductance(lab, rhalf, rint, area, axis, periodic, out):
    nx, ny, nz = lab.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        for j in range(ny):
            for k in range(nz):
                if axis == 0:
                    ii, jj, kk = i + 1, j, k
                    n = nx
                    ok = ii < n
                    if not ok and periodic:
                        ii = 0
                        ok = True
                elif axis == 1:
                    ii, jj, kk = i, j + 1, k
                    n = ny
                    ok = jj < n
                    if not ok and periodic:
                        jj = 0
                        ok = True
                else:
                    ii, jj, kk = i, j, k + 1
                    n = nz
                    ok = kk < n
                    if not ok and periodic:
                        kk = 0
                        ok = True
                if not ok or n == 1:
                    out[i, j, k] = 0.0
                    continue
                la = lab[i, j, k]
                lb = lab[ii, jj, kk]
                r = rhalf[la] + rint[la, lb] + rhalf[lb]
                if np.isfinite(r) and r > 0.0:
                    out[i, j, k] = area / r
                else:
                    out[i, j, k] = 0.0

@njit(parallel=True, fastmath=False, cache=True)
def add_sheet(lab, sheet_side, sheet, axis, periodic, spacing, out):
    # sheet_side[a, b] True: links inside phase a next to phase b carry sheet[a, b] [S]
    nx, ny, nz = lab.shape
    dims = (nx, ny, nz)
    for i_ in prange(nx):
        i = np.int64(i_)
        for j in range(ny):
            for k in range(nz):
                p = (i, j, k)
                q0, q1, q2 = i, j, k
                if axis == 0:
                    q0 += 1
                elif axis == 1:
                    q1 += 1
                else:
                    q2 += 1
                qq = (q0, q1, q2)
                if qq[axis] >= dims[axis]:
                    if not periodic[axis] or dims[axis] == 1:
                        continue
                    if axis == 0:
                        q0 = 0
                    elif axis == 1:
                        q1 = 0
                    else:
                        q2 = 0
                la = lab[i, j, k]
                if lab[q0, q1, q2] != la or out[i, j, k] <= 0.0:
                    continue
                add = 0.0
                for side in range(3):
                    if side == axis:
                        continue
                    third = 3 - axis - side
                    width = spacing[third] / spacing[axis]
                    for sgn in (-1, 1):
                        a0, a1, a2 = p[0], p[1], p[2]
                        b0, b1, b2 = q0, q1, q2
                        if side == 0:
                            a0 += sgn
                            b0 += sgn
                        elif side == 1:
                            a1 += sgn
                            b1 += sgn
                        else:
                            a2 += sgn
                            b2 += sgn
                        n = dims[side]
                        av = (a0, a1, a2)[side]
                        if av < 0 or av >= n:
                            if not periodic[side] or n == 1:
                                continue
                            av = av % n
                            if side == 0:
                                a0 = av
                                b0 = av
                            elif side == 1:
                                a1 = av
                                b1 = av
                            else:
                                a2 = av
                                b2 = av
                        na = lab[a0, a1, a2]
                        nb = lab[b0, b1, b2]
                        if na == nb and na != la and sheet_side[la, na]:
                            add += sheet[la, na] * width
                out[i, j, k] += add



@njit(inline="always")
def nb(i, n, per):
    # (upper, lower) neighbour indices; a missing neighbour is the cell itself, which
    # contributes nothing to a flux g (x_c - x_nb)
    up = i + 1
    if up >= n:
        up = 0 if per else i
    lo = i - 1
    if lo < 0:
        lo = n - 1 if per else i
    return up, lo

@njit(inline="always")
def flux(gx, gy, gz, x, i, j, k, ip, im, jp, jm, kp, km):
    xc = x[i, j, k]
    return (gx[i, j, k] * (xc - x[ip, j, k]) + gx[im, j, k] * (xc - x[im, j, k])
            + gy[i, j, k] * (xc - x[i, jp, k]) + gy[i, jm, k] * (xc - x[i, jm, k])
            + gz[i, j, k] * (xc - x[i, j, kp]) + gz[i, j, km] * (xc - x[i, j, km]))

@njit(inline="always")
def ex_at(extra, i, j, k, nx):
    # extra diagonal: a full array, or (shape[0] == 2 < nx) only the first and last layers
    # along x (the Dirichlet electrodes), zero in between
    if extra.shape[0] == nx:
        return extra[i, j, k]
    if i == 0:
        return extra[0, j, k]
    if i == nx - 1:
        return extra[1, j, k]
    return 0.0


@njit(inline="always")
def diag_at(gx, gy, gz, extra, i, j, k, im, jm, km):
    # operator diagonal computed on the fly (no stored fine-grid diagonal): extra + the
    # conductances of the faces that exist; a missing lower neighbour is the cell itself
    s = ex_at(extra, i, j, k, gx.shape[0]) + gx[i, j, k] + gy[i, j, k] + gz[i, j, k]
    if im != i:
        s += gx[im, j, k]
    if jm != j:
        s += gy[i, jm, k]
    if km != k:
        s += gz[i, j, km]
    return s


@njit(parallel=True, fastmath=False, cache=True)
def matvec(gx, gy, gz, extra, x, y, px, py, pz):
    nx, ny, nz = x.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        ip, im = nb(i, nx, px)
        for j in range(ny):
            jp, jm = nb(j, ny, py)
            for k in range(nz):
                kp, km = nb(k, nz, pz)
                y[i, j, k] = ex_at(extra, i, j, k, gx.shape[0]) * x[i, j, k] + flux(
                    gx, gy, gz, x, i, j, k, ip, im, jp, jm, kp, km)

@njit(parallel=True, fastmath=False, cache=True)
def rb_sweep(gx, gy, gz, extra, x, r, color, px, py, pz):
    nx, ny, nz = x.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        ip, im = nb(i, nx, px)
        for j in range(ny):
            jp, jm = nb(j, ny, py)
            k0 = (color + i + j) % 2
            for k in range(k0, nz, 2):
                kp, km = nb(k, nz, pz)
                dd = diag_at(gx, gy, gz, extra, i, j, k, im, jm, km)
                if dd > 0.0:
                    res = r[i, j, k] - ex_at(extra, i, j, k, gx.shape[0]) * x[i, j, k] - flux(
                        gx, gy, gz, x, i, j, k, ip, im, jp, jm, kp, km)
                    x[i, j, k] += res / dd

@njit(parallel=True, fastmath=False, cache=True)
def jacobi(gx, gy, gz, extra, x, r, tmp, omega, px, py, pz):
    nx, ny, nz = x.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        ip, im = nb(i, nx, px)
        for j in range(ny):
            jp, jm = nb(j, ny, py)
            for k in range(nz):
                kp, km = nb(k, nz, pz)
                dd = diag_at(gx, gy, gz, extra, i, j, k, im, jm, km)
                if dd > 0.0:
                    res = r[i, j, k] - ex_at(extra, i, j, k, gx.shape[0]) * x[i, j, k] - flux(
                        gx, gy, gz, x, i, j, k, ip, im, jp, jm, kp, km)
                    tmp[i, j, k] = x[i, j, k] + omega * res / dd
                else:
                    tmp[i, j, k] = 0.0
    for i_ in prange(nx):
        i = np.int64(i_)
        for j in range(ny):
            for k in range(nz):
                x[i, j, k] = tmp[i, j, k]

@njit(parallel=True, fastmath=False, cache=True)
def residual_restrict(gx, gy, gz, extra, x, r, out, px, py, pz):
    nx, ny, nz = x.shape
    cx, cy, cz = out.shape
    for ci_ in prange(cx):
        ci = np.int64(ci_)
        for cj in range(cy):
            for ck in range(cz):
                out[ci, cj, ck] = 0.0
        for i in range(2 * ci, min(2 * ci + 2, nx)):
            ip, im = nb(i, nx, px)
            for j in range(ny):
                jp, jm = nb(j, ny, py)
                cj = j // 2
                for k in range(nz):
                    kp, km = nb(k, nz, pz)
                    if diag_at(gx, gy, gz, extra, i, j, k, im, jm, km) > 0.0:
                        res = r[i, j, k] - ex_at(extra, i, j, k, gx.shape[0]) * x[i, j, k] - flux(
                            gx, gy, gz, x, i, j, k, ip, im, jp, jm, kp, km)
                        out[ci, cj, k // 2] += res

@njit(parallel=True, fastmath=False, cache=True)
def prolong_add(x, e):
    nx, ny, nz = x.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        for j in range(ny):
            for k in range(nz):
                x[i, j, k] += e[i // 2, j // 2, k // 2]

@njit(parallel=True, fastmath=False, cache=True)
def coarsen(gx, gy, gz, extra, cgx, cgy, cgz, cextra):
    nx, ny, nz = gx.shape
    cx, cy, cz = cgx.shape
    for ci_ in prange(cx):
        ci = np.int64(ci_)
        for cj in range(cy):
            for ck in range(cz):
                sx = 0.0
                sy = 0.0
                sz = 0.0
                se = 0.0
                ilast = min(2 * ci + 1, nx - 1)
                jlast = min(2 * cj + 1, ny - 1)
                klast = min(2 * ck + 1, nz - 1)
                for i in range(2 * ci, min(2 * ci + 2, nx)):
                    for j in range(2 * cj, min(2 * cj + 2, ny)):
                        for k in range(2 * ck, min(2 * ck + 2, nz)):
                            se += ex_at(extra, i, j, k, gx.shape[0])
                            if i == ilast:
                                sx += gx[i, j, k]
                            if j == jlast:
                                sy += gy[i, j, k]
                            if k == klast:
                                sz += gz[i, j, k]
                cgx[ci, cj, ck] = 0.5 * sx if cx > 1 else 0.0
                cgy[ci, cj, ck] = 0.5 * sy if cy > 1 else 0.0
                cgz[ci, cj, ck] = 0.5 * sz if cz > 1 else 0.0
                cextra[ci, cj, ck] = 0.5 * se

@njit(parallel=True, fastmath=False, cache=True)
def diagonal(gx, gy, gz, extra, d, px, py, pz):
    nx, ny, nz = gx.shape
    for i_ in prange(nx):
        i = np.int64(i_)
        for j in range(ny):
            for k in range(nz):
                s = ex_at(extra, i, j, k, gx.shape[0]) + gx[i, j, k] + gy[i, j, k] + gz[i, j, k]
                if i > 0:
                    s += gx[i - 1, j, k]
                elif px and nx > 1:
                    s += gx[nx - 1, j, k]
                if j > 0:
                    s += gy[i, j - 1, k]
                elif py and ny > 1:
                    s += gy[i, ny - 1, k]
                if k > 0:
                    s += gz[i, j, k - 1]
                elif pz and nz > 1:
                    s += gz[i, j, nz - 1]
                d[i, j, k] = s

@njit(parallel=True, fastmath=False, cache=True)
def update_xr(x, r, p, q, alpha):
    xf = x.ravel()
    rf = r.ravel()
    pf = p.ravel()
    qf = q.ravel()
    n = xf.size
    acc = 0.0
    for t_ in prange(n):
        t = np.int64(t_)
        xf[t] += alpha * pf[t]
        v = rf[t] - alpha * qf[t]
        rf[t] = v
        vs = np.float64(rf[t])
        acc += vs * vs
    return acc

@njit(parallel=True, fastmath=False, cache=True)
def residual(gx, gy, gz, extra, x, b, r, px, py, pz):
    # r <- b - A x evaluated in float64 whatever the storage of g, x, b and r (b: its first
    # b.shape[0] layers along x, zero beyond); returns the
    # float64 sum of squares of the float64 residual (the true residual norm^2)
    nx, ny, nz = x.shape
    mb = b.shape[0]          # b may hold only its leading layers along x (zero beyond)
    acc = 0.0
    for i_ in prange(nx):
        i = np.int64(i_)
        ip, im = nb(i, nx, px)
        for j in range(ny):
            jp, jm = nb(j, ny, py)
            for k in range(nz):
                kp, km = nb(k, nz, pz)
                xc = np.float64(x[i, j, k])
                ax = np.float64(ex_at(extra, i, j, k, gx.shape[0])) * xc + (
                    np.float64(gx[i, j, k]) * (xc - np.float64(x[ip, j, k]))
                    + np.float64(gx[im, j, k]) * (xc - np.float64(x[im, j, k]))
                    + np.float64(gy[i, j, k]) * (xc - np.float64(x[i, jp, k]))
                    + np.float64(gy[i, jm, k]) * (xc - np.float64(x[i, jm, k]))
                    + np.float64(gz[i, j, k]) * (xc - np.float64(x[i, j, kp]))
                    + np.float64(gz[i, j, km]) * (xc - np.float64(x[i, j, km])))
                bv = np.float64(b[i, j, k]) if i < mb else 0.0
                v = bv - ax
                r[i, j, k] = v
                acc += v * v
    return acc


@njit(parallel=True, fastmath=False, cache=True)
def update_p(p, z, beta):
    pf = p.ravel()
    zf = z.ravel()
    for t_ in prange(pf.size):
        t = np.int64(t_)
        pf[t] = zf[t] + beta * pf[t]

@njit(parallel=True, fastmath=False, cache=True)
def dot(a, b):
    af = a.ravel()
    bf = b.ravel()
    acc = 0.0
    for t_ in prange(af.size):
        t = np.int64(t_)
        acc += np.float64(af[t]) * np.float64(bf[t])
    return acc

