"""The voxel volume: phase labels on a grid with a physical voxel size.

Axis order is **(x, y, z)**: ``labels[i, j, k]`` is the voxel at ``x = (i + 1/2) dx``,
``y = (j + 1/2) dy``, ``z = (k + 1/2) dz``. Transport "along x" means between the faces
``i = 0`` and ``i = nx - 1``. Voxel edges may differ per axis (tomography often has
``dz != dx``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hylyte._typing import AXES, Axis
from hylyte.errors import DataFormatError, GeometryError

NPZ_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class InterfaceProperties:
    """Sub-voxel properties of the interface between two phases.

    Attributes
    ----------
    asr_ohm_m2 : float
        Area-specific resistance in series on every face between the two phases
        (contact resistance, or ``t / sigma_i`` of a thin resistive layer) [ohm m^2].
    sheet_conductance_S : float
        Tangential sheet conductance ``sigma_i * t`` of a thin conducting interphase along
        the interface [S].
    """

    asr_ohm_m2: float = 0.0
    sheet_conductance_S: float = 0.0

    def __post_init__(self) -> None:
        for name in ("asr_ohm_m2", "sheet_conductance_S"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v >= 0.0):
                raise GeometryError(f"interface {name} must be finite and >= 0, got {v!r}")


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class VoxelVolume:
    """Phase labels on a voxel grid, with physical voxel size and phase names.

    Parameters
    ----------
    labels : ndarray of uint8, shape (nx, ny, nz)
        Phase label of each voxel.
    voxel_size : float or (float, float, float)
        Voxel edge along x, y, z [m]. A single float means cubic voxels.
    phases : mapping int -> str
        Phase name (usually a material name or a role such as ``"interphase"``) per label.
        Every label present in ``labels`` must have a name.
    interfaces : mapping (int, int) -> InterfaceProperties, optional
        Sub-voxel interface properties between pairs of labels.
    periodic : bool
        Whether the structure was generated periodic (tiles seamlessly).
    metadata : dict
        Free-form, JSON-serialisable description (generator name, parameters, seed).
    """

    labels: np.ndarray
    voxel_size: tuple[float, float, float]
    phases: dict[int, str]
    interfaces: dict[tuple[int, int], InterfaceProperties] = field(default_factory=dict)
    periodic: bool = False
    metadata: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        labels = np.asarray(self.labels)
        if labels.ndim != 3:
            raise GeometryError(f"labels must be a 3D array (nx, ny, nz), got shape {labels.shape}")
        if labels.dtype != np.uint8:
            if not np.issubdtype(labels.dtype, np.integer):
                raise GeometryError(f"labels must be integers, got dtype {labels.dtype}")
            if labels.size and (labels.min() < 0 or labels.max() > 255):
                raise GeometryError("labels must be in 0..255 to be stored as uint8")
            labels = labels.astype(np.uint8)
        object.__setattr__(self, "labels", labels)
        vs = self.voxel_size
        vs = (float(vs),) * 3 if np.isscalar(vs) else tuple(float(v) for v in vs)
        if len(vs) != 3 or not all(np.isfinite(v) and v > 0 for v in vs):
            raise GeometryError(
                f"voxel_size must be one or three positive lengths [m], got {self.voxel_size!r}")
        object.__setattr__(self, "voxel_size", vs)
        phases = {int(k): str(v) for k, v in dict(self.phases).items()}
        present = np.unique(labels) if labels.size else np.array([], dtype=np.uint8)
        missing = [int(p) for p in present if int(p) not in phases]
        if missing:
            raise GeometryError(f"labels {missing} have no entry in phases {phases}")
        object.__setattr__(self, "phases", phases)
        ifs = {}
        for key, props in dict(self.interfaces).items():
            a, b = (int(k) for k in key)
            if not isinstance(props, InterfaceProperties):
                props = InterfaceProperties(**props)
            ifs[_pair(a, b)] = props
        object.__setattr__(self, "interfaces", ifs)

    # ----------------------------------------------------------------- geometry
    @property
    def shape(self) -> tuple[int, int, int]:
        """Number of voxels along (x, y, z)."""
        return tuple(int(n) for n in self.labels.shape)  # type: ignore[return-value]

    @property
    def size_m(self) -> tuple[float, float, float]:
        """Physical edge lengths of the box along (x, y, z) [m]."""
        return tuple(n * h for n, h in zip(self.shape, self.voxel_size, strict=True))  # type: ignore[return-value]

    @property
    def is_cubic_voxel(self) -> bool:
        """Whether dx == dy == dz."""
        return len(set(self.voxel_size)) == 1

    def label_of(self, phase: str | int) -> int:
        """Label of a phase given by name or label."""
        if isinstance(phase, int | np.integer):
            if int(phase) not in self.phases:
                raise GeometryError(f"label {phase} is not in phases {self.phases}")
            return int(phase)
        matches = [k for k, v in self.phases.items() if v == phase]
        if not matches:
            raise GeometryError(f"phase {phase!r} is not in this volume; phases: {self.phases}")
        return matches[0]

    def volume_fractions(self) -> dict[str, float]:
        """Volume fraction of each named phase [-] (phases sharing a name are summed)."""
        counts = np.bincount(self.labels.ravel(), minlength=256)
        total = self.labels.size
        out: dict[str, float] = {}
        for lab, name in self.phases.items():
            out[name] = out.get(name, 0.0) + counts[lab] / total
        return out

    def fraction(self, phase: str | int) -> float:
        """Volume fraction of one phase [-]."""
        return float(np.count_nonzero(self.labels == self.label_of(phase)) / self.labels.size)

    def axis_index(self, axis: Axis | int) -> int:
        """0, 1, 2 for ``"x"``, ``"y"``, ``"z"`` (integers pass through)."""
        if isinstance(axis, int | np.integer) and 0 <= int(axis) <= 2:
            return int(axis)
        if axis in AXES:
            return AXES.index(axis)  # type: ignore[arg-type]
        raise GeometryError(f"axis must be 'x', 'y', 'z' or 0..2, got {axis!r}")

    def crop(self, start: tuple[int, int, int], stop: tuple[int, int, int]) -> VoxelVolume:
        """A sub-volume ``labels[x0:x1, y0:y1, z0:z1]`` (a view; no copy of the labels)."""
        sl = tuple(slice(int(a), int(b)) for a, b in zip(start, stop, strict=True))
        sub = self.labels[sl]
        if 0 in sub.shape:
            raise GeometryError(f"crop {start}..{stop} of a {self.shape} volume is empty")
        return VoxelVolume(sub, self.voxel_size, self.phases, self.interfaces, False,
                           {**self.metadata, "cropped_from": list(self.shape)})

    def with_interface(self, a: str | int, b: str | int, *, asr_ohm_m2: float = 0.0,
                       sheet_conductance_S: float = 0.0) -> VoxelVolume:
        """A copy with sub-voxel interface properties set between phases ``a`` and ``b``."""
        ifs = dict(self.interfaces)
        ifs[_pair(self.label_of(a), self.label_of(b))] = InterfaceProperties(
            asr_ohm_m2, sheet_conductance_S)
        return VoxelVolume(self.labels, self.voxel_size, self.phases, ifs, self.periodic,
                           dict(self.metadata))

    # ----------------------------------------------------------------- native I/O
    def to_npz(self, path: str | Path) -> Path:
        """Save as a native ``.npz`` (labels, voxel size, phases, interfaces); atomic."""
        from hylyte._atomic import atomic_path

        header = {
            "format": "hylyte-volume",
            "version": NPZ_FORMAT_VERSION,
            "axis_order": "xyz",
            "voxel_size_m": list(self.voxel_size),
            "phases": {str(k): v for k, v in self.phases.items()},
            "interfaces": [
                {"labels": list(k), "asr_ohm_m2": p.asr_ohm_m2,
                 "sheet_conductance_S": p.sheet_conductance_S}
                for k, p in self.interfaces.items()
            ],
            "periodic": self.periodic,
            "metadata": self.metadata,
        }
        path = Path(path)
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.savez_compressed(fh, labels=self.labels, header=np.array(json.dumps(header)))
        return path

    @classmethod
    def from_npz(cls, path: str | Path) -> VoxelVolume:
        """Load a native ``.npz`` written by :meth:`to_npz`."""
        path = Path(path)
        if not path.is_file():
            raise DataFormatError(f"volume file {str(path)!r} does not exist")
        try:
            with np.load(path, allow_pickle=False) as data:
                labels = np.array(data["labels"])
                header = json.loads(str(data["header"]))
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as err:
            raise DataFormatError(
                f"{str(path)!r} is not a hylyte volume (.npz with 'labels' and 'header'): {err}"
            ) from err
        if header.get("format") != "hylyte-volume":
            raise DataFormatError(f"{str(path)!r}: header format is {header.get('format')!r}, "
                                  "expected 'hylyte-volume'")
        interfaces = {
            tuple(i["labels"]): InterfaceProperties(i["asr_ohm_m2"], i["sheet_conductance_S"])
            for i in header.get("interfaces", [])
        }
        return cls(labels, tuple(header["voxel_size_m"]),
                   {int(k): v for k, v in header["phases"].items()}, interfaces,
                   bool(header.get("periodic", False)), header.get("metadata", {}))

    # ----------------------------------------------------------------- analysis
    def interface_area_per_volume(self, *, correction: str = "isotropic",
                                  by_name: bool = True) -> dict:
        """Interface area per unit volume for each pair of phases that touch [1/m].

        Faces between voxels of different labels are counted along x, y and z and weighted by
        their area (``dy dz`` for faces normal to x, and so on); faces across the box
        boundary count only when the volume is periodic.

        Parameters
        ----------
        correction : {"isotropic", "none"}
            Face counting measures ``integral(|n_x| + |n_y| + |n_z|) dA``, which is 3/2 times
            the true area of a surface whose normals are isotropically distributed (spheres,
            random structures), for any voxel aspect ratio. ``"isotropic"`` multiplies by 2/3
            (Cauchy-Crofton projection argument); ``"none"`` returns the raw face area, exact
            for surfaces normal to the axes (layers, axis-aligned walls).
        by_name : bool
            Keys ``"A|B"`` with phase names (sorted) instead of label pairs.

        Returns
        -------
        dict
            Pair -> area per volume [1/m]. The error of the corrected value falls with
            refinement (staircase surfaces converge in projection, not pointwise).
        """
        if correction not in ("isotropic", "none"):
            raise GeometryError(f"correction must be 'isotropic' or 'none', got {correction!r}")
        lab = self.labels
        dx, dy, dz = self.voxel_size
        face = (dy * dz, dx * dz, dx * dy)
        counts = np.zeros(256 * 256, dtype=np.float64)
        for ax in range(3):
            if lab.shape[ax] < 2 and not self.periodic:
                continue
            pairs = [(np.take(lab, np.arange(0, lab.shape[ax] - 1), axis=ax),
                      np.take(lab, np.arange(1, lab.shape[ax]), axis=ax))]
            if self.periodic:
                pairs.append((np.take(lab, [-1], axis=ax), np.take(lab, [0], axis=ax)))
            for a, b in pairs:
                diff = a != b
                lo = np.minimum(a[diff], b[diff]).astype(np.int64)
                hi = np.maximum(a[diff], b[diff]).astype(np.int64)
                counts += face[ax] * np.bincount(lo * 256 + hi, minlength=256 * 256)
        factor = 2.0 / 3.0 if correction == "isotropic" else 1.0
        vol = float(np.prod(self.size_m))
        out: dict = {}
        for key in np.flatnonzero(counts):
            a, b = divmod(int(key), 256)
            val = factor * counts[key] / vol
            if by_name:
                na, nb = sorted((self.phases.get(a, str(a)), self.phases.get(b, str(b))))
                name = f"{na}|{nb}"
                out[name] = out.get(name, 0.0) + val
            else:
                out[(a, b)] = val
        return out

    def percolation(self, phase: str | int | None = None) -> dict:
        """Connected and percolating fractions of each phase along x, y and z.

        Face (6-) connectivity, non-periodic labelling (the solver's Dirichlet faces).

        Returns
        -------
        dict
            ``{phase: {axis: {...}}}`` with ``volume_fraction`` [-], ``percolating_fraction``
            (share of the phase in clusters touching both faces normal to the axis) [-],
            ``connected_fraction`` (share in clusters touching at least one of those faces,
            dead ends included) [-], ``isolated_fraction`` (of the box) [-], ``percolates``
            and ``n_clusters``.
        """
        from hylyte.microstructure.connectivity import percolation_reports

        labs = self.phases if phase is None else {self.label_of(phase): None}
        out: dict = {}
        for lab in labs:
            name = self.phases[lab]
            mask = self.labels == lab
            per_axis = {}
            for rep in percolation_reports(mask, phase=name):
                vf = rep.volume_fraction
                per_axis[rep.axis] = {
                    "volume_fraction": vf,
                    "percolating_fraction": rep.spanning_fraction / vf if vf else 0.0,
                    "connected_fraction": (vf - rep.isolated_fraction) / vf if vf else 0.0,
                    "isolated_fraction": rep.isolated_fraction,
                    "percolates": rep.percolates,
                    "n_clusters": rep.n_clusters,
                }
            out[name] = per_axis
        return out

    def summary(self) -> dict:
        """A JSON-ready description: grid, fractions, interface areas, percolation, origin."""
        return {
            "shape": list(self.shape),
            "voxel_size_m": list(self.voxel_size),
            "size_m": list(self.size_m),
            "periodic": self.periodic,
            "phases": {str(k): v for k, v in self.phases.items()},
            "volume_fractions": self.volume_fractions(),
            "interface_area_per_volume_per_m": self.interface_area_per_volume(),
            "interfaces": {f"{self.phases.get(a, a)}|{self.phases.get(b, b)}":
                           {"asr_ohm_m2": p.asr_ohm_m2,
                            "sheet_conductance_S": p.sheet_conductance_S}
                           for (a, b), p in self.interfaces.items()},
            "percolation": self.percolation(),
            "generator": self.metadata.get("generator"),
            "seed": self.metadata.get("seed"),
        }

    def __str__(self) -> str:
        s = self.summary()
        vs = " x ".join(f"{h * 1e9:.4g}" for h in self.voxel_size)
        size = " x ".join(f"{L * 1e6:.4g}" for L in self.size_m)
        lines = [f"VoxelVolume {self.shape[0]} x {self.shape[1]} x {self.shape[2]} voxels, "
                 f"voxel {vs} nm, box {size} um{', periodic' if self.periodic else ''}"]
        if s["generator"]:
            lines.append(f"  generator: {s['generator']} (seed {s['seed']})")
        for lab, name in sorted(self.phases.items()):
            frac = s["volume_fractions"].get(name, 0.0)
            perc = s["percolation"].get(name, {})
            pf = " ".join(f"{ax}:{perc[ax]['percolating_fraction']:.2f}" for ax in "xyz"
                          if ax in perc)
            lines.append(f"  [{lab}] {name}: {frac:.4f} of volume; percolating share {pf}")
        for pair, area in s["interface_area_per_volume_per_m"].items():
            lines.append(f"  interface {pair}: {area:.4g} 1/m")
        for pair, props in s["interfaces"].items():
            lines.append(f"  sub-voxel {pair}: ASR {props['asr_ohm_m2']:.3g} ohm m^2, "
                         f"sheet {props['sheet_conductance_S']:.3g} S")
        return "\n".join(lines)

    def plot_slices(self, ax=None, *, index: tuple[int, int, int] | None = None,
                    normals: str = "xyz", cmap: str = "viridis"):
        """Orthogonal slices through the volume, in physical units [um].

        Parameters
        ----------
        ax : matplotlib Axes or sequence of Axes, optional
            One Axes per slice normal; created (one row) when None.
        index : (int, int, int), optional
            Voxel through which the slices pass (default the centre).
        normals : str
            Slice normals, any of ``"x"``, ``"y"``, ``"z"`` in order.
        cmap : str
            Colour map for the labels.

        Returns
        -------
        list of Axes
        """
        import matplotlib.pyplot as plt

        normals = normals.lower()
        if not normals or any(n not in "xyz" for n in normals):
            raise GeometryError(f"normals must be letters from 'xyz', got {normals!r}")
        if ax is None:
            _, axes = plt.subplots(1, len(normals), figsize=(3.2 * len(normals), 3.2),
                                   squeeze=False)
            axes = list(axes[0])
        else:
            axes = list(ax) if isinstance(ax, list | tuple | np.ndarray) else [ax]
            if len(axes) != len(normals):
                raise GeometryError(f"got {len(axes)} Axes for {len(normals)} slice normals")
        idx = tuple(n // 2 for n in self.shape) if index is None else tuple(index)
        labs = sorted(self.phases)
        vmin, vmax = (min(labs), max(labs)) if labs else (0, 1)
        for a, normal in zip(axes, normals, strict=True):
            k = "xyz".index(normal)
            sl = np.take(self.labels, idx[k], axis=k)
            u, v = [i for i in range(3) if i != k]
            ext = (0, self.size_m[u] * 1e6, 0, self.size_m[v] * 1e6)
            a.imshow(sl.T, origin="lower", extent=ext, cmap=cmap, vmin=vmin, vmax=vmax,
                     interpolation="nearest")
            a.set_xlabel(f"{'xyz'[u]} [um]")
            a.set_ylabel(f"{'xyz'[v]} [um]")
            a.set_title(f"{normal} = {(idx[k] + 0.5) * self.voxel_size[k] * 1e6:.3g} um")
        return axes

    def __repr__(self) -> str:
        fr = ", ".join(f"{k}={v:.3f}" for k, v in self.volume_fractions().items())
        vs = "x".join(f"{h * 1e6:.4g}" for h in self.voxel_size)
        return f"VoxelVolume(shape={self.shape}, voxel={vs} um, {fr})"


def as_volume(obj: VoxelVolume | np.ndarray, *, voxel_size: float | None = None,
              phases: Mapping[int, str] | None = None) -> VoxelVolume:
    """Return ``obj`` if it is a VoxelVolume, else wrap a label array (voxel size required)."""
    if isinstance(obj, VoxelVolume):
        return obj
    if voxel_size is None:
        raise GeometryError("a bare label array needs voxel_size [m]; a volume always knows it")
    arr = np.asarray(obj)
    if phases is None:
        phases = {int(v): f"phase{int(v)}" for v in np.unique(arr)}
    return VoxelVolume(arr, voxel_size, dict(phases))
