"""The 7-point cell-centred finite-volume conduction operator on a voxel volume.

Face conductance between face neighbours ``a`` and ``b`` along axis ``d`` (PHYSICS 8.1, 8.6)::

    G_ab = A_d / (h_d / (2 sigma_a,d) + R_ab + h_d / (2 sigma_b,d))

with ``A_d`` the face area and ``h_d`` the voxel edge along ``d`` (per-axis spacing),
``sigma_.,d`` the conductivity component along ``d`` (scalar or diagonal-anisotropic phases),
and ``R_ab`` the area-specific resistance of the interface between the two phases. A thin
conducting interphase of sheet conductance ``Sigma_s`` adds ``Sigma_s h_m / h_d`` to a link
between two voxels of the same phase whose side neighbours (both, in direction ``n``) belong
to the other phase of the pair (the coplanar-facet rule; ``m`` is the third axis).

The operator is stored matrix-free as three face-conductance arrays ``gx, gy, gz`` of the grid
shape (``gx[i, j, k]`` couples ``(i, j, k)`` and ``(i + 1, j, k)``, wrapping when the axis is
periodic, zero on the last layer otherwise) plus ``extra``, a diagonal term (Dirichlet
half-voxel conductances, or one grounding conductance per floating cluster of a periodic
problem, which does not change the solution of a consistent system).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from hylyte.errors import GeometryError, InputError
from hylyte.microstructure.volume import VoxelVolume

SigmaSpec = Mapping[str | int, float | tuple[float, float, float]]


@functools.lru_cache(maxsize=1)
def _kernels():
    from hylyte.solve import _kernels as K

    return K.face_conductance, K.add_sheet


@dataclass
class FVSystem:
    """A matrix-free FV system on a grid (see the module docstring).

    Attributes
    ----------
    g : list of three ndarrays
        Face conductances along x, y, z [S].
    extra : ndarray
        Extra diagonal conductance (Dirichlet half-voxel, or grounding) [S].
    b : ndarray or None
        Right-hand side [A] for the Dirichlet problem (``V0 = 1 V``).
    active : ndarray of bool
        Voxels that are unknowns (conducting and connected).
    periodic : (bool, bool, bool)
        Wrapping per axis.
    spacing : (float, float, float)
        Voxel edges [m].
    """

    g: list
    extra: np.ndarray
    b: np.ndarray | None
    active: np.ndarray
    periodic: tuple[bool, bool, bool]
    spacing: tuple[float, float, float]
    info: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        """Grid shape."""
        return tuple(self.active.shape)  # type: ignore[return-value]

    @property
    def n_unknowns(self) -> int:
        """Number of active voxels."""
        return int(np.count_nonzero(self.active))

    def diagonal(self, dtype=np.float64) -> np.ndarray:
        """Operator diagonal ``sum of face conductances + extra`` [S]."""
        d = self.extra.astype(dtype, copy=True)
        for ax, g in enumerate(self.g):
            d += g
            if self.periodic[ax]:
                d += np.roll(g, 1, axis=ax)
            else:
                sl = [slice(None)] * 3
                sl[ax] = slice(1, None)
                src = [slice(None)] * 3
                src[ax] = slice(None, -1)
                d[tuple(sl)] += g[tuple(src)]
        return d

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """``A x`` in numpy (reference implementation, float64)."""
        y = self.diagonal() * x
        for ax, g in enumerate(self.g):
            if self.periodic[ax]:
                xp = np.roll(x, -1, axis=ax)
                y -= g * xp
                y -= np.roll(g * x, 1, axis=ax)
            else:
                lo = [slice(None)] * 3
                hi = [slice(None)] * 3
                lo[ax] = slice(None, -1)
                hi[ax] = slice(1, None)
                lo, hi = tuple(lo), tuple(hi)
                y[lo] -= g[lo] * x[hi]
                y[hi] -= g[lo] * x[lo]
        return y

    def to_csr(self):
        """Assemble the operator on the active voxels as a scipy CSR matrix (float64).

        Returns
        -------
        A : scipy.sparse.csr_matrix, shape (n, n)
        index : ndarray of int64, shape of the grid
            Unknown number of each voxel (-1 for inactive ones).
        """
        import scipy.sparse as sp

        act = self.active
        index = np.full(act.shape, -1, dtype=np.int64)
        n = int(np.count_nonzero(act))
        index[act] = np.arange(n)
        rows, cols, vals = [], [], []
        for ax, g in enumerate(self.g):
            a = index
            b = np.roll(index, -1, axis=ax)
            gg = np.asarray(g, dtype=np.float64)
            if not self.periodic[ax]:
                sl = [slice(None)] * 3
                sl[ax] = slice(None, -1)
                a, b, gg = a[tuple(sl)], b[tuple(sl)], gg[tuple(sl)]
            m = (a >= 0) & (b >= 0) & (gg > 0) & (a != b)
            ia, ib, gv = a[m], b[m], gg[m]
            rows += [ia, ib]
            cols += [ib, ia]
            vals += [-gv, -gv]
        d = self.diagonal()[act]
        rows.append(np.arange(n))
        cols.append(np.arange(n))
        vals.append(d)
        A = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n, n))
        A.sum_duplicates()
        return A, index


# ---------------------------------------------------------------------------- conductivities
def conductivity_table(volume: VoxelVolume, sigma: SigmaSpec) -> np.ndarray:
    """Per-label conductivity table, shape (256, 3) [S/m].

    Parameters
    ----------
    volume : VoxelVolume
        The volume (its ``phases`` map names to labels).
    sigma : mapping
        Phase name or label -> conductivity [S/m], a scalar or ``(sx, sy, sz)``. Every phase
        present in the volume must be given; a name shared by several labels sets them all.

    Returns
    -------
    ndarray of float64, shape (256, 3)
    """
    tab = np.zeros((256, 3))
    given = np.zeros(256, dtype=bool)
    for key, val in dict(sigma).items():
        if isinstance(key, str) and key.strip().lstrip("-").isdigit():
            key = int(key)
        if isinstance(key, int | np.integer):
            labs = [int(key)] if int(key) in volume.phases else []
        else:
            labs = [lab for lab, name in volume.phases.items() if name == key]
        if not labs:
            raise InputError(f"conductivity given for {key!r}, which is not a phase of the volume "
                             f"(phases: {volume.phases})")
        arr = np.broadcast_to(np.asarray(val, dtype=float), (3,)) if np.ndim(val) == 0 \
            else np.asarray(val, dtype=float)
        if arr.shape != (3,) or not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise InputError(f"conductivity of {key!r} must be a finite value >= 0 [S/m] or three "
                             f"of them (sx, sy, sz), got {val!r}")
        if np.any(arr == 0) and np.any(arr > 0):
            raise InputError(f"conductivity of {key!r} has zero and non-zero components {val!r}; "
                             "give all three > 0 or a scalar 0")
        for lab in labs:
            tab[lab] = arr
            given[lab] = True
    present = np.unique(volume.labels)
    missing = [volume.phases[int(p)] for p in present if not given[int(p)]]
    if missing:
        raise InputError(f"no conductivity given for phases {missing}; need one per phase "
                         f"{sorted(set(volume.phases.values()))}")
    return tab


def interface_tables(volume: VoxelVolume, tab: np.ndarray) -> tuple[np.ndarray, ...]:
    """Interface ASR table (256, 256) [ohm m^2], sheet table (256, 256) [S] and sheet side."""
    rint = np.zeros((256, 256))
    sheet = np.zeros((256, 256))
    side = np.zeros((256, 256), dtype=np.bool_)
    for (a, b), props in volume.interfaces.items():
        rint[a, b] = rint[b, a] = props.asr_ohm_m2
        if props.sheet_conductance_S > 0:
            sheet[a, b] = sheet[b, a] = props.sheet_conductance_S
            # the sheet runs along the more conducting side (links in the other are removed
            # when it is an insulator); ties go to the lower label
            sa, sb = float(tab[a].mean()), float(tab[b].mean())
            if sa >= sb:
                side[a, b] = True
            else:
                side[b, a] = True
    return rint, sheet, side


def _dead_label(volume: VoxelVolume) -> int:
    used = set(volume.phases)
    for lab in range(255, -1, -1):
        if lab not in used:
            return lab
    raise GeometryError("all 256 labels are used; one free label is needed internally")


def face_conductances(labels: np.ndarray, tab: np.ndarray, rint: np.ndarray, sheet: np.ndarray,
                      side: np.ndarray, spacing: tuple[float, float, float],
                      periodic: tuple[bool, bool, bool], dtype=np.float64,
                      phase_labels: np.ndarray | None = None) -> list[np.ndarray]:
    """Face conductances ``[gx, gy, gz]`` [S] of a label grid (see module docstring).

    ``labels`` may mark removed voxels with a zero-conductivity label; ``phase_labels`` (the
    original labels, default ``labels``) decide which side neighbours carry a sheet.
    """
    phase_labels = labels if phase_labels is None else phase_labels
    fc, add_sheet = _kernels()
    out = []
    sp = np.asarray(spacing, dtype=np.float64)
    per = np.asarray(periodic, dtype=np.bool_)
    use_sheet = bool(np.any(sheet > 0))
    for ax in range(3):
        h = sp[ax]
        area = float(np.prod(sp) / h)
        with np.errstate(divide="ignore"):
            rhalf = np.where(tab[:, ax] > 0, h / (2.0 * np.where(tab[:, ax] > 0, tab[:, ax], 1.0)),
                             np.inf)
        g = np.empty(labels.shape, dtype=dtype)
        fc(labels, rhalf, rint, area, ax, bool(periodic[ax]), g)
        if use_sheet:
            add_sheet(phase_labels, side, sheet, ax, per, sp, g)
        out.append(g)
    return out


# ---------------------------------------------------------------------------- systems
def _boundary_sheet(layer: np.ndarray, side: np.ndarray, sheet: np.ndarray,
                    spacing: tuple[float, float, float]) -> np.ndarray:
    """Half-voxel sheet conductance to a Dirichlet face of each voxel of a boundary layer [S].

    A voxel of phase ``a`` whose side neighbour (within the layer) is of phase ``b`` with a
    sheet on the ``a`` side conducts ``Sigma_s * width / (h_x / 2)`` along the strip.
    """
    out = np.zeros(layer.shape)
    la = layer.astype(np.int64)
    for d in (0, 1):
        width = spacing[2 - d]            # the strip width is the edge along the other axis
        n = layer.shape[d]
        if n < 2:
            continue
        for sgn in (-1, 1):
            nb = np.full_like(la, -1)
            if sgn == 1:
                sl_dst = (slice(0, n - 1), slice(None)) if d == 0 else (slice(None),
                                                                         slice(0, n - 1))
                sl_src = (slice(1, n), slice(None)) if d == 0 else (slice(None), slice(1, n))
            else:
                sl_dst = (slice(1, n), slice(None)) if d == 0 else (slice(None), slice(1, n))
                sl_src = (slice(0, n - 1), slice(None)) if d == 0 else (slice(None),
                                                                         slice(0, n - 1))
            nb[sl_dst] = la[sl_src]
            ok = (nb >= 0) & (nb != la)
            nbc = np.where(ok, nb, 0)
            on = ok & side[la, nbc]
            out += np.where(on, sheet[la, nbc] * width / (spacing[0] / 2.0), 0.0)
    return out



def _move(volume_labels: np.ndarray, axis: int) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(volume_labels, axis, 0))


def dirichlet_system(volume: VoxelVolume, tab: np.ndarray, axis: int, *,
                     dirichlet_at: str = "face", dtype=np.float64) -> FVSystem | None:
    """System for Dirichlet ``V0 = 1 V`` / ``0`` on the faces normal to ``axis``, no-flux sides.

    The grid is permuted so that the transport axis is the first one. Returns ``None`` when
    no conducting cluster connects the two Dirichlet faces.

    Parameters
    ----------
    dirichlet_at : {"face", "centre"}
        ``"face"``: potential fixed at the outer voxel faces through half-voxel conductances
        (TauFactor convention). ``"centre"``: fixed at the centres of the first and last
        voxel layers, which are then not unknowns.
    """
    from scipy import ndimage

    if dirichlet_at not in ("face", "centre"):
        raise InputError(f"dirichlet_at must be 'face' or 'centre', got {dirichlet_at!r}")
    perm = [axis] + [a for a in range(3) if a != axis]
    spacing = tuple(volume.voxel_size[a] for a in perm)
    tabp = tab[:, perm]
    lab = _move(volume.labels, axis)
    n0 = lab.shape[0]
    if dirichlet_at == "centre" and n0 < 3:
        raise GeometryError(f"dirichlet_at='centre' needs >= 3 voxels along the axis, got {n0}")
    conducting = (tabp[:, 0] > 0)[lab]    # bool lookup: no float64 fine-grid temporary
    struct = ndimage.generate_binary_structure(3, 1)
    cl, n = ndimage.label(conducting, structure=struct)
    lo = np.unique(cl[0])
    hi = np.unique(cl[-1])
    lo, hi = lo[lo > 0], hi[hi > 0]
    if np.intersect1d(lo, hi).size == 0:
        return None
    keep_ids = np.zeros(n + 1, dtype=bool)
    keep_ids[np.union1d(lo, hi)] = True
    keep = keep_ids[cl]
    del cl
    dead = _dead_label(volume)
    work = lab.copy()
    work[~keep] = dead
    rint, sheet, side = interface_tables(volume, tabp)
    g = face_conductances(work, tabp, rint, sheet, side, spacing, (False, False, False), dtype,
                          phase_labels=lab)
    hx = spacing[0]
    area = spacing[1] * spacing[2]
    if dirichlet_at == "face":
        active = keep
        extra = np.zeros(lab.shape, dtype=dtype)
        sig0 = tabp[work[0], 0]
        sig1 = tabp[work[-1], 0]
        extra[0] += np.where(keep[0], 2.0 * sig0 * area / hx, 0.0)
        extra[-1] += np.where(keep[-1], 2.0 * sig1 * area / hx, 0.0)
        if np.any(sheet > 0):
            for layer in (0, -1):
                extra[layer] += np.where(keep[layer], _boundary_sheet(
                    lab[layer], side, sheet, spacing), 0.0)
        b = np.zeros(lab.shape, dtype=dtype)
        b[0] = extra[0]
        g_in, g_out = extra[0].astype(np.float64), extra[-1].astype(np.float64)
        if n0 == 1:
            g_in = g_out = np.where(keep[0], 2.0 * sig0 * area / hx, 0.0)
        length = n0 * hx
    else:
        # unknowns are layers 1..n-2; the end layers are fixed (1 V at layer 0, 0 V at n-1)
        gx = g[0]
        active = keep[1:-1].copy()
        extra = np.zeros(active.shape, dtype=dtype)
        extra[0] += gx[0]
        extra[-1] += gx[-2]
        b = np.zeros(active.shape, dtype=dtype)
        b[0] = gx[0]
        g_in, g_out = gx[0].astype(np.float64), gx[-2].astype(np.float64)
        g = [np.ascontiguousarray(g[0][1:-1]), np.ascontiguousarray(g[1][1:-1]),
             np.ascontiguousarray(g[2][1:-1])]
        g[0][-1] = 0.0
        length = (n0 - 1) * hx
    sys = FVSystem(g, extra, b, active, (False, False, False), spacing)
    sys.info.update(axis=axis, perm=perm, dirichlet_at=dirichlet_at, length_m=length,
                    area_m2=float(lab.shape[1] * lab.shape[2] * area), work_labels=work,
                    keep=keep, g_in=g_in, g_out=g_out)
    return sys


def periodic_system(volume: VoxelVolume, tab: np.ndarray, *, dtype=np.float64) -> FVSystem:
    """Fully periodic system for homogenisation (PHYSICS 8.2), one grounded voxel per cluster."""
    from hylyte.microstructure.connectivity import label_clusters

    conducting = (tab[:, 0] > 0)[volume.labels]
    cl, n = label_clusters(conducting, periodic=(True, True, True))
    dead = _dead_label(volume)
    work = volume.labels.copy()
    work[~conducting] = dead
    rint, sheet, side = interface_tables(volume, tab)
    spacing = volume.voxel_size
    g = face_conductances(work, tab, rint, sheet, side, spacing, (True, True, True), dtype,
                          phase_labels=volume.labels)
    sys = FVSystem(g, np.zeros(work.shape, dtype=dtype), None, conducting, (True, True, True),
                   spacing)
    d = sys.diagonal()
    flat = cl.ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.searchsorted(flat[order], np.arange(1, n + 1))
    first = order[starts]
    ex = sys.extra.ravel()
    dv = d.ravel()[first]
    # grounding conductance (an isolated voxel has none of its own: use 1 S scale-free value)
    ex[first] = np.where(dv > 0, dv, 1.0)
    sys.info.update(work_labels=work, n_clusters=n)
    return sys


def periodic_rhs(sys: FVSystem, j: int) -> np.ndarray:
    """RHS for a unit macroscopic field along axis ``j`` (potential drop 1 V/m) [A]."""
    h = sys.spacing[j]
    g = np.asarray(sys.g[j], dtype=np.float64)
    return h * (np.roll(g, 1, axis=j) - g)


def face_currents(sys: FVSystem, phi: np.ndarray, ax: int, *, jump: float = 0.0) -> np.ndarray:
    """Current through each ``+ax`` face ``G (phi_a - phi_b + jump)`` [A] (same grid shape).

    The last layer is 0 on a non-periodic axis. One float64 array is allocated.
    """
    g = sys.g[ax]
    n = phi.shape[ax]
    cur = np.zeros(phi.shape)
    if n < 2:
        return cur

    def sl(a, b):
        s = [slice(None)] * 3
        s[ax] = slice(a, b)
        return tuple(s)

    lo, hi = sl(0, n - 1), sl(1, n)
    np.subtract(phi[lo], phi[hi], out=cur[lo])
    if jump:
        cur[lo] += jump
    cur[lo] *= g[lo]
    if sys.periodic[ax]:
        last, first = sl(n - 1, n), sl(0, 1)
        cur[last] = g[last] * (phi[last] - phi[first] + jump)
    return cur
