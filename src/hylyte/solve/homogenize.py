"""Effective conductivity of a voxel volume: Dirichlet (lab-like) and periodic homogenisation.

Conventions (PHYSICS 8.2-8.5):

* ``bc="dirichlet"``: 1 V and 0 V on the two faces normal to ``axis``, no-flux sides;
  ``sigma_eff = I L / (A dV)`` with ``L = n h`` (``dirichlet_at="face"``, TauFactor) or
  ``L = (n - 1) h`` (``"centre"``, potential fixed at the first/last voxel centres).
* ``bc="periodic"``: unit macroscopic field along each axis, three solves, full tensor.
* Tortuosity factor of phase ``k``: ``tau_k = eps_k sigma_k / sigma_eff,k`` with every other
  phase at zero conductivity and ``eps_k`` the *total* fraction of phase ``k``; ``inf`` for a
  phase that does not span (no solver call). Formation factor ``N_k = sigma_k / sigma_eff,k``.
* Current fraction of phase ``k``: the share of ``I L`` carried by its voxels (mean of the two
  face current densities along the axis times the voxel volume); the fractions sum to 1.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from hylyte.errors import ConvergenceError, InputError, ValidityWarning
from hylyte.microstructure.connectivity import percolation_report
from hylyte.microstructure.volume import VoxelVolume
from hylyte.solve.backends import get_backend
from hylyte.solve.memory import check_memory
from hylyte.solve.operator import (
    FVSystem,
    SigmaSpec,
    conductivity_table,
    dirichlet_system,
    face_currents,
    periodic_rhs,
    periodic_system,
)

BCS = ("dirichlet", "periodic")


@dataclass(frozen=True)
class SolveReport:
    """How the linear solves went.

    Attributes
    ----------
    converged : bool
    iterations : int
        Total iterations over all solves of this result.
    rel_residual : float
        Largest final true relative residual ``||b - A x|| / ||b||`` [-].
    residual_history : list of float
        Relative residual per iteration of the last solve [-].
    current_balance : float
        Largest ``|I_plane - I_in| / I_in`` over all planes normal to the axis [-].
    backend : str
        Backend used (``"auto->mgpcg"`` when chosen automatically).
    wall_time_s : float
        Wall time of set-up and solves [s].
    peak_memory_estimate_bytes : int
        Estimate from :func:`hylyte.solve.memory.estimate_memory` [bytes].
    n_solves : int
        Number of linear solves.
    """

    converged: bool
    iterations: int
    rel_residual: float
    residual_history: list
    current_balance: float
    backend: str
    wall_time_s: float
    peak_memory_estimate_bytes: int
    n_solves: int = 1

    def to_dict(self) -> dict:
        """Plain dict (unit-suffixed keys)."""
        return {
            "converged": self.converged, "iterations": self.iterations,
            "rel_residual": self.rel_residual, "residual_history": list(self.residual_history),
            "current_balance": self.current_balance, "backend": self.backend,
            "wall_time_s": self.wall_time_s,
            "peak_memory_estimate_bytes": self.peak_memory_estimate_bytes,
            "n_solves": self.n_solves,
        }


@dataclass(frozen=True)
class Homogenized:
    """Result of :func:`homogenize`.

    Attributes
    ----------
    sigma_eff : float
        Effective conductivity along ``axis`` [S/m].
    axis : str
    bc : str
    dirichlet_at : str
    tensor : ndarray (3, 3) or None
        Full effective tensor for ``bc="periodic"`` [S/m].
    tortuosity : dict
        Phase name -> tortuosity factor (TauFactor convention) [-]; inf if not spanning.
    formation_factor : dict
        Phase name -> ``sigma_k / sigma_eff,k`` [-].
    current_fraction : dict
        Phase name -> fraction of the current carried [-] (sums to 1).
    interface_current : dict
        ``"a|b"`` -> current exchanged through faces between the two phases per unit
        volume ``sum |G dphi| / 2 / V`` [A/m^3] (at 1 V across the sample for Dirichlet, at
        1 V/m for periodic).
    percolation : dict
        Phase name -> :class:`PercolationReport` dict along ``axis``.
    volume_fractions : dict
        Phase name -> volume fraction [-].
    report : SolveReport
    reason : str or None
        Why ``sigma_eff`` is 0 without a solve (non-percolating volume).
    warnings : list of str
    sheet_eta : float or None
        Calibration factor of the coplanar-facet sheet rule on a voxelised coated sphere at
        the estimated radius of this volume (only when a sheet conductance sits on a
        non-planar interface) [-].
    potential : ndarray or None
        Potential per voxel [V] in (x, y, z) order (``return_fields=True``).
    current_density : ndarray (3, nx, ny, nz) or None
        Voxel-mean current density components [A/m^2] (``return_fields=True``).
    """

    sigma_eff: float
    axis: str
    bc: str
    dirichlet_at: str
    tensor: np.ndarray | None
    tortuosity: dict
    formation_factor: dict
    current_fraction: dict
    interface_current: dict
    percolation: dict
    volume_fractions: dict
    report: SolveReport
    reason: str | None = None
    warnings: list = field(default_factory=list)
    sheet_eta: float | None = None
    potential: np.ndarray | None = field(default=None, repr=False)
    current_density: np.ndarray | None = field(default=None, repr=False)

    @property
    def converged(self) -> bool:
        """Whether every solve converged."""
        return self.report.converged

    def to_dict(self) -> dict:
        """Plain dict with unit-suffixed keys (fields not included)."""
        return {
            "sigma_eff_S_per_m": self.sigma_eff,
            "axis": self.axis, "bc": self.bc, "dirichlet_at": self.dirichlet_at,
            "tensor_S_per_m": None if self.tensor is None else self.tensor.tolist(),
            "tortuosity": dict(self.tortuosity),
            "formation_factor": dict(self.formation_factor),
            "current_fraction": dict(self.current_fraction),
            "interface_current_A_per_m3": dict(self.interface_current),
            "percolation": dict(self.percolation),
            "volume_fractions": dict(self.volume_fractions),
            "report": self.report.to_dict(),
            "reason": self.reason, "warnings": list(self.warnings),
            "sheet_eta": self.sheet_eta,
        }

    def to_vti(self, path: str | Path, voxel_size: tuple[float, float, float] | None = None
               ) -> Path:
        """Write the potential and current density as VTK ImageData (.vti, ASCII); atomic.

        Parameters
        ----------
        path : path
            Output file.
        voxel_size : (float, float, float), optional
            Spacing [m]; defaults to 1 per voxel.
        """
        from hylyte._atomic import atomic_write_bytes

        if self.potential is None:
            raise InputError("to_vti needs the fields: call homogenize(..., return_fields=True)")
        nx, ny, nz = self.potential.shape
        sp = voxel_size or (1.0, 1.0, 1.0)

        def arr(a: np.ndarray) -> str:
            return " ".join(f"{v:.9g}" for v in a)

        phi = np.asarray(self.potential).transpose(2, 1, 0).ravel()
        j = np.asarray(self.current_density)
        jv = np.stack([j[c].transpose(2, 1, 0).ravel() for c in range(3)], axis=1).ravel()
        text = (
            '<?xml version="1.0"?>\n<VTKFile type="ImageData" version="0.1" '
            'byte_order="LittleEndian">\n'
            f'<ImageData WholeExtent="0 {nx} 0 {ny} 0 {nz}" Origin="0 0 0" '
            f'Spacing="{sp[0]:.9g} {sp[1]:.9g} {sp[2]:.9g}">\n'
            f'<Piece Extent="0 {nx} 0 {ny} 0 {nz}">\n<CellData Scalars="potential_V">\n'
            f'<DataArray type="Float64" Name="potential_V" format="ascii">{arr(phi)}'
            '</DataArray>\n'
            '<DataArray type="Float64" Name="current_density_A_per_m2" '
            f'NumberOfComponents="3" format="ascii">{arr(jv)}</DataArray>\n'
            '</CellData>\n</Piece>\n</ImageData>\n</VTKFile>\n')
        return atomic_write_bytes(path, text.encode())

    def plot_slice(self, ax=None, *, quantity: str = "potential", normal: str = "z",
                   index: int | None = None):
        """Plot a slice of the potential or current-density magnitude (ax in, ax out)."""
        import matplotlib.pyplot as plt

        if self.potential is None:
            raise InputError("plot_slice needs the fields: homogenize(..., return_fields=True)")
        if quantity == "potential":
            data, label = self.potential, "potential [V]"
        elif quantity == "current":
            data, label = np.linalg.norm(self.current_density, axis=0), "|j| [A/m^2]"
        else:
            raise InputError(f"quantity must be 'potential' or 'current', got {quantity!r}")
        n = "xyz".index(normal) if normal in "xyz" else -1
        if n < 0:
            raise InputError(f"normal must be 'x', 'y' or 'z', got {normal!r}")
        idx = data.shape[n] // 2 if index is None else int(index)
        sl = np.take(data, idx, axis=n)
        if ax is None:
            _, ax = plt.subplots()
        im = ax.imshow(sl.T, origin="lower", cmap="viridis")
        ax.figure.colorbar(im, ax=ax, label=label)
        rest = [c for c in "xyz" if c != normal]
        ax.set_xlabel(rest[0])
        ax.set_ylabel(rest[1])
        ax.set_title(f"{quantity}, {normal} = {idx}")
        return ax


# ---------------------------------------------------------------------------- helpers
def _axis_index(axis) -> int:
    if isinstance(axis, int | np.integer) and 0 <= int(axis) <= 2:
        return int(axis)
    if axis in ("x", "y", "z"):
        return "xyz".index(axis)
    raise InputError(f"axis must be 'x', 'y' or 'z', got {axis!r}")


def _phase_names(volume: VoxelVolume) -> list[str]:
    present = {int(v) for v in np.unique(volume.labels)}
    names: list[str] = []
    for lab, name in sorted(volume.phases.items()):
        if lab in present and name not in names:
            names.append(name)
    return names


def _interface_pairs(work: np.ndarray, g: list, phi: np.ndarray, periodic, names: dict,
                     volume_m3: float, jumps=(0.0, 0.0, 0.0)) -> dict:
    """Sum of ``|G dphi| / 2`` over faces between different phases, per unit volume."""
    out: dict[str, float] = {}
    for ax in range(3):
        n = work.shape[ax]
        if n < 2:
            continue
        pairs = [(slice(0, n - 1), slice(1, n))]
        if periodic[ax]:
            pairs.append((slice(n - 1, n), slice(0, 1)))
        for a_sl, b_sl in pairs:
            sa = [slice(None)] * 3
            sb = [slice(None)] * 3
            sa[ax], sb[ax] = a_sl, b_sl
            sa, sb = tuple(sa), tuple(sb)
            la, lb = work[sa], work[sb]
            m = la != lb
            if not np.any(m):
                continue
            cur = np.abs(np.asarray(g[ax][sa][m], np.float64)
                         * (phi[sa][m] - phi[sb][m] + jumps[ax]))
            a = np.minimum(la[m], lb[m]).astype(np.int64)
            b = np.maximum(la[m], lb[m]).astype(np.int64)
            sums = np.bincount(a * 256 + b, weights=cur, minlength=65536)
            for kk in np.nonzero(sums)[0]:
                l1, l2 = divmod(int(kk), 256)
                if l1 in names and l2 in names:
                    name = f"{names[l1]}|{names[l2]}"
                    out[name] = out.get(name, 0.0) + float(sums[kk]) / 2.0 / volume_m3
    return out


def _nonplanar_sheet_pairs(volume: VoxelVolume) -> list[tuple[int, int]]:
    """Interface pairs with a sheet conductance whose faces are not all normal to one axis."""
    bad = []
    lab = volume.labels
    for (a, b), props in volume.interfaces.items():
        if props.sheet_conductance_S <= 0:
            continue
        normals = 0
        for ax in range(3):
            if lab.shape[ax] < 2:
                continue
            x0 = np.take(lab, np.arange(lab.shape[ax] - 1), axis=ax)
            x1 = np.take(lab, np.arange(1, lab.shape[ax]), axis=ax)
            if np.any(((x0 == a) & (x1 == b)) | ((x0 == b) & (x1 == a))):
                normals += 1
        if normals > 1:
            bad.append((a, b))
    return bad


class Solver:
    """Reusable solver on one volume: percolation analysis once, warm starts across solves.

    Parameters
    ----------
    volume : VoxelVolume
    axis : {"x", "y", "z"}
        Transport axis (Dirichlet) or the reported diagonal component (periodic).
    bc : {"dirichlet", "periodic"}
    dirichlet_at : {"face", "centre"}
    backend : str
        ``"auto"`` (mgpcg), ``"mgpcg"``, ``"pyamg"``, ``"direct"``, ``"torch"``.
    rtol : float
        Relative residual ``||b - A x|| / ||b||`` at which CG stops [-].
    max_iter : int
        Iteration limit per solve.
    precision : {"mixed", "double"}
        Storage precision of the matrix-free backends.
    memory_limit_bytes : int, optional
        Refuse (MemoryLimitError) when the estimate is larger.
    progress : callable, optional
        ``progress(iteration, rel_residual)``.
    threads : int, optional
        Threads of the ``mgpcg`` kernels (default: numba's).
    """

    def __init__(self, volume: VoxelVolume, *, axis="x", bc: str = "dirichlet",
                 dirichlet_at: str = "face", backend: str = "auto", rtol: float = 1e-6,
                 max_iter: int = 1000, precision: str = "mixed",
                 memory_limit_bytes: int | None = None,
                 progress: Callable[[int, float], None] | None = None,
                 threads: int | None = None) -> None:
        if not isinstance(volume, VoxelVolume):
            raise InputError(f"volume must be a VoxelVolume, got {type(volume).__name__}")
        if bc not in BCS:
            raise InputError(f"bc must be one of {BCS}, got {bc!r}")
        if dirichlet_at not in ("face", "centre"):
            raise InputError(f"dirichlet_at must be 'face' or 'centre', got {dirichlet_at!r}")
        if not (0 < rtol < 1):
            raise InputError(f"rtol must be in (0, 1), got {rtol!r}")
        if int(max_iter) < 1:
            raise InputError(f"max_iter must be >= 1, got {max_iter!r}")
        self.volume = volume
        self.axis = _axis_index(axis)
        self.bc = bc
        self.dirichlet_at = dirichlet_at
        self.backend_obj = get_backend(backend, n_unknowns=int(volume.labels.size))
        self.backend_label = f"auto->{self.backend_obj.name}" if backend == "auto" \
            else self.backend_obj.name
        self.rtol = float(rtol)
        self.max_iter = int(max_iter)
        self.precision = precision
        self.progress = progress
        self._dtype = np.float32 if (precision == "mixed" and self.backend_obj.name in
                                     ("mgpcg", "torch")) else np.float64
        self.prep_opts = {"threads": threads} if self.backend_obj.name == "mgpcg" else {}
        self.mem = check_memory(volume.shape, self.backend_obj.name, precision,
                                memory_limit_bytes, bc=bc)
        self.names = _phase_names(volume)
        self.fractions = volume.volume_fractions()
        self.percolation = {}
        for name in self.names:
            mask = np.isin(volume.labels, [k for k, v in volume.phases.items() if v == name])
            self.percolation[name] = percolation_report(mask, self.axis, phase=name).to_dict()
        self._x0: dict = {}
        self._nonplanar = _nonplanar_sheet_pairs(volume)
        self._eta: dict = {}  # (pair, core label) -> sheet eta, reused across solves

    def _sheet_eta(self, tab: np.ndarray) -> float:
        """Sheet calibration factor of this volume (cached per less-conducting phase) [-]."""
        from hylyte.solve.sheet import estimate_sheet_radius, sheet_core, sheet_eta

        pair = self._nonplanar[0]
        key = (pair, sheet_core(pair, tab))
        if key not in self._eta:
            self._eta[key] = sheet_eta(estimate_sheet_radius(self.volume, pair, key[1]))
        return self._eta[key]

    # ------------------------------------------------------------------ core solves
    def _run(self, system: FVSystem, b: np.ndarray, key) -> tuple[np.ndarray, object]:
        prepared = self.backend_obj.prepare(system, precision=self.precision,
                                               **self.prep_opts)
        x0 = self._x0.get(key)
        if x0 is not None and x0.shape != b.shape:
            x0 = None
        res = prepared.solve(b, x0=x0, rtol=self.rtol, max_iter=self.max_iter,
                             progress=self.progress)
        self._x0[key] = res.x
        return prepared, res

    def _dirichlet(self, tab: np.ndarray, want_fields: bool, key="main"):
        sys = dirichlet_system(self.volume, tab, self.axis, dirichlet_at=self.dirichlet_at,
                               dtype=self._dtype)
        if sys is None:
            return None
        b = sys.b
        sys.b = None            # not needed after the solve; the mgpcg one is compacted
        if self.backend_obj.name == "mgpcg":
            from hylyte.solve.backends.mgpcg import leading_layers
            from hylyte.solve.multigrid import boundary_extra

            b = leading_layers(b)
            # the electrodes' extra diagonal: first and last layers only (saves an array)
            sys.extra = boundary_extra(np.asarray(sys.extra, dtype=self._dtype))
        prepared, res = self._run(sys, b, key)
        del b
        if not want_fields:
            del prepared
        x = res.x
        info = sys.info
        g_in, g_out = info["g_in"], info["g_out"]
        i_in = float(np.sum(g_in * (1.0 - x[0])))
        i_out = float(np.sum(g_out * x[-1]))
        cur = face_currents(sys, x, 0)
        planes = [i_in] + [float(v) for v in cur[:-1].sum(axis=(1, 2))] + [i_out]
        balance = max(abs(p - i_in) for p in planes) / abs(i_in) if i_in != 0 else np.inf
        sigma = i_in * info["length_m"] / info["area_m2"]
        out = {"sys": sys, "res": res, "sigma": sigma, "i_in": i_in, "balance": balance,
               "x": x, "cur": cur}
        return out

    def _fractions_dirichlet(self, d: dict) -> dict:
        sys, x = d["sys"], d["x"]
        cur = d.pop("cur")                    # overwritten in place (no fine-grid copy)
        info = sys.info
        work = info["work_labels"]
        hx = sys.spacing[0]
        inlet = info["g_in"] * (1.0 - x[0])
        outlet = info["g_out"] * x[-1]
        contrib = cur                         # right-face currents (last layer: 0)
        for i in range(contrib.shape[0] - 1, 0, -1):
            contrib[i] += contrib[i - 1]      # + left-face currents (top layer first)
        contrib[0] += inlet
        contrib[-1] += outlet
        contrib *= 0.5 * hx
        if self.dirichlet_at == "centre":
            labs = [work[1:-1], work[0], work[-1]]
            vals = [contrib, 0.5 * hx * inlet, 0.5 * hx * outlet]
        else:
            labs, vals = [work], [contrib]
        sums = np.zeros(256)
        for lab, val in zip(labs, vals, strict=True):
            sums += np.bincount(lab.ravel(), weights=val.ravel(), minlength=256)[:256]
        total = d["i_in"] * info["length_m"]
        out = dict.fromkeys(self.names, 0.0)
        for lab, name in self.volume.phases.items():
            if name in out:
                out[name] += float(sums[lab] / total)
        return out

    def _periodic(self, tab: np.ndarray, want_fields: bool, key="main"):
        sys = periodic_system(self.volume, tab, dtype=self._dtype)
        prepared = self.backend_obj.prepare(sys, precision=self.precision, **self.prep_opts)
        vol_m3 = float(np.prod(self.volume.size_m))
        S = np.zeros((3, 3))
        iters, worst, hist, conv = 0, 0.0, [], True
        fields = {}
        for j in range(3):
            if self.volume.shape[j] == 1:
                act = sys.active
                S[j, j] = float(np.sum(np.where(act, tab[self.volume.labels, j], 0.0))
                                / act.size)
                continue
            b = periodic_rhs(sys, j).astype(sys.g[j].dtype, copy=False)
            x0 = self._x0.get((key, j))
            res = prepared.solve(b, x0=x0, rtol=self.rtol, max_iter=self.max_iter,
                                 progress=self.progress)
            self._x0[(key, j)] = res.x
            iters += res.iterations
            worst = max(worst, res.rel_residual)
            hist = res.residual_history
            conv = conv and res.converged
            for i in range(3):
                if self.volume.shape[i] == 1:
                    continue
                jump = sys.spacing[j] if i == j else 0.0
                S[i, j] = float(face_currents(sys, res.x, i, jump=jump).sum()) \
                    * sys.spacing[i] / vol_m3
            fields[j] = res.x
        return {"sys": sys, "S": S, "iters": iters, "worst": worst, "hist": hist, "conv": conv,
                    "fields": fields, "vol_m3": vol_m3}

    # ------------------------------------------------------------------ public
    def solve(self, sigma: SigmaSpec, *, check: bool = True, return_fields: bool = False,
              tortuosity: bool = True) -> Homogenized:
        """Solve for one set of phase conductivities [S/m]; see :func:`homogenize`."""
        t0 = time.perf_counter()
        vol = self.volume
        tab = conductivity_table(vol, sigma)
        warns: list[str] = []
        eta = None
        if self._nonplanar:
            eta = self._sheet_eta(tab)
            msg = (f"sheet conductance on non-planar interfaces {self._nonplanar}: the "
                   f"coplanar-facet rule recovers only a fraction eta = {eta:.3f} of the "
                   "analytic surface conduction on a voxelised sphere of this size "
                   "(PHYSICS 8.6); resolve the interphase with >= 3 voxels or correct by eta")
            warns.append(msg)
            warnings.warn(msg, ValidityWarning, stacklevel=2)
        names = self.names
        axname = "xyz"[self.axis]
        tau: dict[str, float] = {}
        ff: dict[str, float] = {}
        label_names = dict(vol.phases.items())
        potential = jfield = None
        tensor = None
        reason = None
        n_solves = 0
        if self.bc == "dirichlet":
            d = self._dirichlet(tab, return_fields)
            if d is None:
                reason = f"no conducting phase cluster spans the volume along {axname}"
                report = SolveReport(True, 0, 0.0, [], 0.0, self.backend_label,
                                     time.perf_counter() - t0, self.mem, 0)
                return Homogenized(0.0, axname, self.bc, self.dirichlet_at, None,
                                   dict.fromkeys(names, np.inf), dict.fromkeys(names, np.inf),
                                   dict.fromkeys(names, 0.0), {}, self.percolation,
                                   self.fractions, report, reason, warns, eta)
            n_solves += 1
            sigma_eff = d["sigma"]
            res = d["res"]
            fractions = self._fractions_dirichlet(d)
            sys = d["sys"]
            work = sys.info["work_labels"]
            phi_int = d["x"]
            if self.dirichlet_at == "centre":
                phi = np.concatenate([np.ones_like(phi_int[:1]), phi_int,
                                      np.zeros_like(phi_int[:1])])
                phi = np.where(sys.info["keep"], phi, 0.0)
            else:
                phi = phi_int
            gfull = sys.g
            if self.dirichlet_at == "centre":
                from hylyte.solve.operator import face_conductances, interface_tables

                perm = sys.info["perm"]
                rint, sheet, side = interface_tables(vol, tab[:, perm])
                gfull = face_conductances(work, tab[:, perm], rint, sheet, side, sys.spacing,
                                          (False, False, False),
                                          phase_labels=np.moveaxis(vol.labels, perm[0], 0))
            iface = _interface_pairs(work, gfull, phi, (False, False, False), label_names,
                                     float(np.prod(vol.size_m)))
            iterations, rel, hist, conv = res.iterations, res.rel_residual, \
                res.residual_history, res.converged
            balance = d["balance"]
            if return_fields:
                jd = np.zeros((3, *phi.shape))
                for ax in range(3):
                    c = face_currents(FVSystem(gfull, gfull[0], None, phi > -1,
                                               (False, False, False), sys.spacing), phi, ax)
                    left = np.roll(c, 1, axis=ax)
                    sl = [slice(None)] * 3
                    sl[ax] = 0
                    left[tuple(sl)] = 0.0
                    if ax == 0 and self.dirichlet_at == "face":
                        left[0] = sys.info["g_in"] * (1.0 - phi[0])
                        c[-1] = sys.info["g_out"] * phi[-1]
                    area = float(np.prod(sys.spacing)) / sys.spacing[ax]
                    jd[ax] = 0.5 * (left + c) / area
                inv = np.argsort(sys.info["perm"])
                potential = np.transpose(phi, inv)
                jfield = np.stack([np.transpose(jd[c], inv) for c in inv])
        else:
            d = self._periodic(tab, return_fields)
            n_solves += 3
            S = d["S"]
            asym = float(np.max(np.abs(S - S.T))) / max(float(np.max(np.abs(S))), 1e-300)
            if asym > max(1e-8, 100 * self.rtol):
                warns.append(f"effective tensor asymmetric to {asym:.2e} (relative); "
                             "tighten rtol")
            tensor = 0.5 * (S + S.T)
            sigma_eff = float(tensor[self.axis, self.axis])
            iterations, rel, hist, conv = d["iters"], d["worst"], d["hist"], d["conv"]
            balance = asym
            sys = d["sys"]
            work = sys.info["work_labels"]
            fractions = dict.fromkeys(names, 0.0)
            iface = {}
            j = self.axis
            if j in d["fields"]:
                u = d["fields"][j]
                c = face_currents(sys, u, j, jump=sys.spacing[j])
                mean_faces = 0.5 * (c + np.roll(c, 1, axis=j))
                sums = np.bincount(work.ravel(), weights=mean_faces.ravel(), minlength=256)
                tot = float(sums.sum())
                for lab, name in vol.phases.items():
                    if name in fractions and tot != 0:
                        fractions[name] += float(sums[lab] / tot)
                jumps = [0.0, 0.0, 0.0]
                jumps[j] = sys.spacing[j]
                iface = _interface_pairs(work, sys.g, u, (True, True, True), label_names,
                                         d["vol_m3"], tuple(jumps))
                if return_fields:
                    x = (np.arange(vol.shape[j]) + 0.5) * vol.voxel_size[j]
                    shp = [1, 1, 1]
                    shp[j] = -1
                    potential = u - x.reshape(shp)
                    jd = np.zeros((3, *u.shape))
                    for ax in range(3):
                        cc = face_currents(sys, u, ax, jump=sys.spacing[j] if ax == j else 0.0)
                        area = float(np.prod(sys.spacing)) / sys.spacing[ax]
                        jd[ax] = 0.5 * (cc + np.roll(cc, 1, axis=ax)) / area
                    jfield = jd
        # tortuosity per conducting phase
        if tortuosity:
            for name in names:
                labs = [k for k, v in vol.phases.items() if v == name]
                sk = float(tab[labs[0], self.axis])
                eps = self.fractions[name]
                if sk <= 0:
                    continue
                spans = self.percolation[name]["percolates"] if self.bc == "dirichlet" else True
                if not spans:
                    tau[name], ff[name] = np.inf, np.inf
                    continue
                only = np.zeros_like(tab)
                only[labs] = tab[labs]
                if np.array_equal(only, tab):
                    s_k = sigma_eff
                elif self.bc == "dirichlet":
                    dk = self._dirichlet(only, False, key=("tau", name))
                    if dk is None:
                        tau[name], ff[name] = np.inf, np.inf
                        continue
                    n_solves += 1
                    s_k = dk["sigma"]
                    iterations += dk["res"].iterations
                    rel = max(rel, dk["res"].rel_residual)
                    conv = conv and dk["res"].converged
                else:
                    sub = Solver.__new__(Solver)
                    sub.__dict__.update(self.__dict__)
                    dk = sub._periodic(only, False, key=("tau", name))
                    n_solves += 3
                    s_k = float(dk["S"][self.axis, self.axis])
                    iterations += dk["iters"]
                    conv = conv and dk["conv"]
                if s_k <= 0:
                    tau[name], ff[name] = np.inf, np.inf
                else:
                    tau[name] = eps * sk / s_k
                    ff[name] = sk / s_k
        report = SolveReport(bool(conv), int(iterations), float(rel), list(hist),
                             float(balance), self.backend_label, time.perf_counter() - t0,
                             self.mem, n_solves)
        out = Homogenized(float(sigma_eff), axname, self.bc, self.dirichlet_at, tensor, tau, ff,
                          fractions, iface, self.percolation, self.fractions, report, reason,
                          warns, eta, potential, jfield)
        if not conv:
            if check:
                raise ConvergenceError(
                    f"solver {self.backend_label} did not reach rtol={self.rtol:g} in "
                    f"{self.max_iter} iterations (relative residual {rel:.3e}); raise "
                    "max_iter or pass check=False", report)
            out = replace(out, warnings=[*warns, "not converged"])
        return out


def homogenize(volume: VoxelVolume, sigma: SigmaSpec, *, axis="x", bc: str = "dirichlet",
               dirichlet_at: str = "face", backend: str = "auto", rtol: float = 1e-6,
               max_iter: int = 1000, check: bool = True, memory_limit_bytes: int | None = None,
               return_fields: bool = False, tortuosity: bool = True, precision: str = "mixed",
               progress: Callable[[int, float], None] | None = None,
               threads: int | None = None, _skip_eta: bool = False) -> Homogenized:
    """Effective conductivity of a voxel volume by finite volumes.

    Parameters
    ----------
    volume : VoxelVolume
        Labels, voxel size [m], phases, sub-voxel interfaces.
    sigma : mapping
        Phase name or label -> conductivity [S/m], scalar or ``(sx, sy, sz)``.
    axis : {"x", "y", "z"}
        Transport axis.
    bc : {"dirichlet", "periodic"}
        Lab-like electrodes with no-flux sides, or periodic homogenisation (full tensor).
    dirichlet_at : {"face", "centre"}
        Where the electrode potential is fixed (outer voxel face, TauFactor; or the
        centres of the first/last voxel layers).
    backend : str
        ``"auto"``, ``"mgpcg"``, ``"pyamg"``, ``"direct"``, ``"torch"``.
    rtol : float
        CG stops when ``||b - A x||_2 / ||b||_2 <= rtol`` [-].
    max_iter : int
        Iteration limit per solve.
    check : bool
        Raise :class:`ConvergenceError` (carrying the report) when a solve does not converge;
        with ``False`` the result is returned with ``report.converged = False``.
    memory_limit_bytes : int, optional
        Raise :class:`MemoryLimitError` when the estimate exceeds it [bytes].
    return_fields : bool
        Keep the potential and current-density fields.
    tortuosity : bool
        Also solve each conducting phase alone for its tortuosity and formation factors.
    precision : {"mixed", "double"}
        Storage of the matrix-free backends: ``"mixed"`` (float32 conductances, multigrid
        and CG work vectors, float64 iterate and accumulations; the reported residual is
        the true one, evaluated in float64) or ``"double"`` (all float64).
    progress : callable, optional
        ``progress(iteration, rel_residual)`` after each iteration.
    threads : int, optional
        Threads of the ``mgpcg`` kernels (default: numba's).

    Returns
    -------
    Homogenized
    """
    solver = Solver(volume, axis=axis, bc=bc, dirichlet_at=dirichlet_at, backend=backend,
                    rtol=rtol, max_iter=max_iter, precision=precision,
                    memory_limit_bytes=memory_limit_bytes, progress=progress,
                    threads=threads)
    if _skip_eta:
        solver._nonplanar = []
    return solver.solve(sigma, check=check, return_fields=return_fields, tortuosity=tortuosity)


def homogenize_many(volume: VoxelVolume, sigmas: Sequence[SigmaSpec], **kwargs
                    ) -> list[Homogenized]:
    """:func:`homogenize` for many conductivity sets (e.g. a temperature sweep), reusing the
    percolation analysis and warm-starting each solve from the previous potential.

    ``kwargs`` are those of :func:`homogenize` (``check``, ``return_fields`` and
    ``tortuosity`` are passed to every solve).
    """
    per_solve = {k: kwargs.pop(k) for k in ("check", "return_fields", "tortuosity")
                 if k in kwargs}
    solver = Solver(volume, **kwargs)
    return [solver.solve(s, **per_solve) for s in sigmas]


def effective_tensor(volume: VoxelVolume, sigma: SigmaSpec, **kwargs) -> np.ndarray:
    """Full 3x3 effective conductivity tensor by periodic homogenisation [S/m].

    Symmetrised; the relative asymmetry before symmetrisation is checked (warning above
    ``max(1e-8, 100 rtol)``). ``kwargs`` are those of :func:`homogenize`.
    """
    kwargs.setdefault("tortuosity", False)
    res = homogenize(volume, sigma, bc="periodic", **kwargs)
    for w in res.warnings:
        if "asymmetric" in w:
            warnings.warn(w, ValidityWarning, stacklevel=2)
    return res.tensor
