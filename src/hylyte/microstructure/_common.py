"""Shared machinery of the generators: grids, argument checks, object painting, metadata.

Objects (spheres, cylinders, discs, chains) are painted one at a time on their own bounding
box, in physical coordinates relative to the object's centre, so memory stays proportional to
the object and the label array is the only full-size array. Periodic boxes wrap the bounding
box indices; open boxes clip them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hylyte.errors import GeometryError, ValidityWarning

#: absolute tolerance on the achieved volume fraction before a warning is raised [-]
FRACTION_TOL = 0.005

MaskFn = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def voxel_triple(voxel_size: float | Sequence[float], *, field: str = "voxel_size"
                 ) -> tuple[float, float, float]:
    """Voxel edge along x, y, z [m] from one or three positive lengths."""
    if np.isscalar(voxel_size):
        vs = (float(voxel_size),) * 3  # type: ignore[arg-type]
    else:
        vs = tuple(float(v) for v in voxel_size)  # type: ignore[union-attr]
    if len(vs) != 3 or not all(math.isfinite(v) and v > 0 for v in vs):
        raise GeometryError(f"{field} must be one or three positive lengths [m], "
                            f"got {voxel_size!r}")
    return vs  # type: ignore[return-value]


def grid(voxel_size: float | Sequence[float], shape: Sequence[int] | None,
         box_size: float | Sequence[float] | None) -> tuple[tuple[int, int, int],
                                                           tuple[float, float, float]]:
    """Resolve ``shape`` (voxels) or ``box_size`` [m] into (shape, voxel_size)."""
    vs = voxel_triple(voxel_size)
    if shape is None and box_size is None:
        raise GeometryError("give either shape (voxels along x, y, z) or box_size [m]")
    if shape is not None and box_size is not None:
        raise GeometryError("give shape or box_size, not both")
    if shape is None:
        box = voxel_triple(box_size, field="box_size")  # type: ignore[arg-type]
        shp = tuple(max(1, round(b / h)) for b, h in zip(box, vs, strict=True))
    else:
        if np.isscalar(shape):
            shape = (int(shape),) * 3  # type: ignore[arg-type]
        try:
            shp = tuple(int(n) for n in shape)  # type: ignore[union-attr]
        except (TypeError, ValueError) as err:
            raise GeometryError(f"shape must be three positive integers, got {shape!r}") from err
        if len(shp) != 3 or any(n < 1 for n in shp) or any(
                float(a) != int(a) for a in shape):  # type: ignore[union-attr]
            raise GeometryError(f"shape must be three positive integers, got {shape!r}")
    if int(np.prod(shp)) > 2**31:
        raise GeometryError(f"shape {shp} has more than 2^31 voxels")
    return shp, vs  # type: ignore[return-value]


def check_fraction(value: float, *, field: str = "fraction") -> float:
    """A volume fraction strictly inside (0, 1) [-]."""
    try:
        v = float(value)
    except (TypeError, ValueError) as err:
        raise GeometryError(f"{field} must be a number in (0, 1), got {value!r}") from err
    if not (math.isfinite(v) and 0.0 < v < 1.0):
        raise GeometryError(f"{field} must be in (0, 1) (exclusive), got {value!r}")
    return v


def check_length(value: float, *, field: str, voxel_size: Sequence[float] | None = None,
                 min_voxels: float = 1.0, allow_zero: bool = False) -> float:
    """A positive finite length [m], optionally at least ``min_voxels`` of the largest voxel."""
    try:
        v = float(value)
    except (TypeError, ValueError) as err:
        raise GeometryError(f"{field} must be a length [m], got {value!r}") from err
    if not math.isfinite(v) or v < 0.0 or (v == 0.0 and not allow_zero):
        raise GeometryError(f"{field} must be a {'non-negative' if allow_zero else 'positive'} "
                            f"finite length [m], got {value!r}")
    if voxel_size is not None and v > 0.0 and v < min_voxels * max(voxel_size):
        raise GeometryError(
            f"{field} = {v:.4g} m is smaller than {min_voxels:g} voxel(s) "
            f"(voxel_size {max(voxel_size):.4g} m); refine voxel_size or enlarge {field}")
    return v


def phase_table(phases: Mapping[int, str] | None, defaults: Mapping[int, str]) -> dict[int, str]:
    """Caller's phase names over the defaults (labels as ints)."""
    out = {int(k): str(v) for k, v in defaults.items()}
    if phases is not None:
        for k, v in dict(phases).items():
            try:
                out[int(k)] = str(v)
            except (TypeError, ValueError) as err:
                raise GeometryError(f"phases keys must be integer labels, got {k!r}") from err
    return out


def axis_index(axis: str | int, *, field: str = "axis") -> int:
    """0, 1, 2 from 'x', 'y', 'z' or an integer."""
    if isinstance(axis, int | np.integer) and 0 <= int(axis) <= 2:
        return int(axis)
    if isinstance(axis, str) and axis.lower() in ("x", "y", "z"):
        return "xyz".index(axis.lower())
    raise GeometryError(f"{field} must be 'x', 'y' or 'z', got {axis!r}")


def seed_of(rng: np.random.Generator | int | None) -> tuple[np.random.Generator, int | None]:
    """A Generator and the integer seed to record (None when a Generator was passed)."""
    if isinstance(rng, np.random.Generator):
        return rng, None
    if rng is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
        return np.random.default_rng(seed), seed
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
        raise GeometryError(f"rng must be a numpy Generator, an integer seed or None, got {rng!r}")
    return np.random.default_rng(int(rng)), int(rng)


def report_fraction(generator: str, target: float, achieved: float, *, why: str = "",
                    stacklevel: int = 2) -> bool:
    """Warn (ValidityWarning) when ``achieved`` misses ``target`` by more than 0.5 % absolute.

    ``stacklevel`` counts from the generator: 2 points the warning at the generator's caller.
    """
    if abs(achieved - target) <= FRACTION_TOL:
        return True
    warnings.warn(
        f"{generator}: achieved volume fraction {achieved:.4f} differs from the target "
        f"{target:.4f} by more than {FRACTION_TOL:.3f}{'; ' + why if why else ''}",
        ValidityWarning, stacklevel=stacklevel + 1)
    return False


def rotation_to(axis_vec: np.ndarray) -> np.ndarray:
    """Rotation matrix taking the unit z vector onto ``axis_vec`` (unit)."""
    z = np.array([0.0, 0.0, 1.0])
    a = np.asarray(axis_vec, dtype=float)
    v = np.cross(z, a)
    c = float(z @ a)
    if np.linalg.norm(v) < 1e-12:
        return np.eye(3) if c > 0 else np.diag([1.0, -1.0, -1.0])
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx / (1.0 + c)


def sample_directions(n: int, rng: np.random.Generator, *, axis: int | None,
                      spread: float | None, planar: bool = False) -> np.ndarray:
    """Unit vectors (n, 3): isotropic, or a Fisher (von Mises-Fisher) spread around ``axis``.

    ``spread`` [rad] sets the concentration ``kappa = 1 / spread**2`` (for small spreads each
    transverse component of the direction is Gaussian with standard deviation ``spread``);
    ``spread = 0`` gives perfect alignment. ``planar=True`` draws directions isotropic in the
    plane normal to ``axis`` (a mat) with the out-of-plane tilt Gaussian of std ``spread``.
    """
    if axis is None:
        v = rng.normal(size=(n, 3))
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    e = np.zeros(3)
    e[axis] = 1.0
    rot = rotation_to(e)
    if planar:
        phi = rng.uniform(0.0, 2 * np.pi, n)
        tilt = rng.normal(0.0, spread or 0.0, n)
        local = np.stack([np.cos(phi) * np.cos(tilt), np.sin(phi) * np.cos(tilt),
                          np.sin(tilt)], axis=1)
        return local @ rot.T
    if not spread:
        return np.tile(e, (n, 1))
    kappa = 1.0 / spread**2
    u = rng.uniform(0.0, 1.0, n)
    w = 1.0 + np.log(u + (1.0 - u) * np.exp(-2.0 * kappa)) / kappa
    w = np.clip(w, -1.0, 1.0)
    phi = rng.uniform(0.0, 2 * np.pi, n)
    s = np.sqrt(1.0 - w**2)
    local = np.stack([s * np.cos(phi), s * np.sin(phi), w], axis=1)
    return local @ rot.T


def fisher_order_parameter(spread: float) -> float:
    """Expected S = <P2(cos theta)> of the Fisher distribution with kappa = 1/spread^2 [-].

    ``<cos^2> = 1 - 2 L(kappa) / kappa`` with the Langevin function ``L = coth k - 1/k``,
    hence ``S = 1 - 3 L(kappa) / kappa``.
    """
    if spread <= 0:
        return 1.0
    k = 1.0 / spread**2
    if k < 1e-3:
        return k * k / 15.0  # series: L ~ k/3 - k^3/45, so S ~ kappa^2/15
    lang = (1.0 / math.tanh(k) - 1.0 / k) if k < 700 else 1.0 - 1.0 / k
    return 1.0 - 3.0 * lang / k


def order_parameters(dirs: np.ndarray, axis: int | None) -> dict[str, float]:
    """S along ``axis`` (when given) and the nematic S (largest eigenvalue of Q) [-]."""
    if len(dirs) == 0:
        return {"S_axis": float("nan"), "S_director": float("nan")}
    q = 1.5 * (dirs.T @ dirs) / len(dirs) - 0.5 * np.eye(3)
    out = {"S_director": float(np.linalg.eigvalsh(q)[-1])}
    out["S_axis"] = float(q[axis, axis]) if axis is not None else float("nan")
    return out


@dataclass
class Painter:
    """Paints objects into a label array on their bounding boxes.

    Attributes
    ----------
    labels : ndarray of uint8, shape (nx, ny, nz)
    voxel_size : (float, float, float) [m]
    periodic : bool
    label : int
        Label painted.
    count : int
        Voxels currently holding ``label``.
    """

    labels: np.ndarray
    voxel_size: tuple[float, float, float]
    periodic: bool
    label: int = 1
    count: int = 0

    def __post_init__(self) -> None:
        self.count = int(np.count_nonzero(self.labels == self.label))
        self._h = np.asarray(self.voxel_size, dtype=float)
        self._n = np.asarray(self.labels.shape)

    @property
    def box(self) -> np.ndarray:
        """Box edge lengths [m]."""
        return self._n * self._h

    def patch(self, centre: Sequence[float], half: Sequence[float], mask_fn: MaskFn):
        """Mask of one object on its bounding box; None when it misses an open box.

        Returns ``(index, mask)`` where ``index`` selects the region in ``labels``
        (slices, or an ``np.ix_`` tuple when the region wraps).
        """
        idx = []
        coords = []
        wrap = False
        for a in range(3):
            h, n, c = self._h[a], int(self._n[a]), float(centre[a])
            i0 = math.floor((c - half[a]) / h - 0.5)
            i1 = math.ceil((c + half[a]) / h - 0.5) + 1
            if self.periodic:
                if i1 - i0 > n:
                    i0, i1 = math.floor(c / h - n / 2), math.floor(c / h - n / 2) + n
                ii = np.arange(i0, i1)
                if i0 < 0 or i1 > n:
                    wrap = True
                    idx.append(ii % n)
                else:
                    idx.append(slice(i0, i1))
            else:
                i0, i1 = max(i0, 0), min(i1, n)
                if i1 <= i0:
                    return None
                ii = np.arange(i0, i1)
                idx.append(slice(i0, i1))
            coords.append(((ii + 0.5) * h - c).astype(np.float32))
        if wrap:
            idx = [np.arange(s.start, s.stop) if isinstance(s, slice) else s for s in idx]
            index = np.ix_(*idx)
        else:
            index = tuple(idx)
        x = coords[0][:, None, None]
        y = coords[1][None, :, None]
        z = coords[2][None, None, :]
        return index, mask_fn(x, y, z)

    def new_voxels(self, patches) -> int:
        """Voxels the patches would add (upper bound when patches overlap each other)."""
        total = 0
        for index, mask in patches:
            total += int(np.count_nonzero(mask & (self.labels[index] != self.label)))
        return total

    def overlaps(self, patches) -> bool:
        """Whether any patch touches voxels already holding ``label``."""
        return any(bool(np.any(self.labels[index][mask] == self.label))
                   for index, mask in patches)

    def commit(self, patches) -> int:
        """Paint the patches; return the voxels added."""
        added = 0
        for index, mask in patches:
            sub = self.labels[index]
            new = mask & (sub != self.label)
            k = int(np.count_nonzero(new))
            if k:
                sub[new] = self.label
                if isinstance(index[0], np.ndarray):  # fancy index: sub was a copy
                    self.labels[index] = sub
            added += k
        self.count += added
        return added

    def fill(self, objects, target_count: int, *, allow_overlap: bool = True,
             max_attempts: int) -> dict:
        """Paint objects from an iterator until ``target_count`` voxels hold ``label``.

        The last object is kept only when that brings the count closer to the target.
        ``objects`` yields lists of ``(centre, half, mask_fn)`` parts of one object.

        Returns
        -------
        dict
            ``placed``, ``attempts``, ``rejected``, ``exhausted`` (ran out of objects or
            attempts before reaching the target) and ``kept`` (indices of painted objects).
        """
        placed = attempts = rejected = 0
        kept: list[int] = []
        exhausted = True
        for i_obj, parts in enumerate(objects):
            if self.count >= target_count:
                exhausted = False
                break
            if attempts >= max_attempts:
                break
            attempts += 1
            patches = [p for p in (self.patch(*part) for part in parts) if p is not None]
            if not patches:
                continue
            if not allow_overlap and self.overlaps(patches):
                rejected += 1
                continue
            k = self.new_voxels(patches)
            if self.count + k > target_count and (self.count + k - target_count
                                                  > target_count - self.count):
                exhausted = False
                break
            self.commit(patches)
            kept.append(i_obj)
            placed += 1
        else:
            exhausted = self.count < target_count
        if self.count >= target_count:
            exhausted = False
        return {"placed": placed, "attempts": attempts, "rejected": rejected,
                "exhausted": exhausted, "kept": kept}


def sphere_mask(r: float) -> MaskFn:
    """Ball of radius ``r`` [m] about the local origin."""
    r2 = np.float32(r * r)
    return lambda x, y, z: (x * x + y * y) + z * z <= r2


def cylinder_part(centre: np.ndarray, d: np.ndarray, r: float, t0: float, t1: float):
    """Part of a cylinder (axis ``d`` through ``centre``, radius r) with t0 <= t < t1 [m].

    Returns ``(part_centre, half, mask_fn)`` with the mask in coordinates local to the part
    centre (half-open along the axis, so consecutive parts do not overlap).
    """
    tm = 0.5 * (t0 + t1)
    hl = 0.5 * (t1 - t0)
    pc = centre + tm * d
    half = hl * np.abs(d) + r * np.sqrt(np.clip(1.0 - d * d, 0.0, 1.0)) + 1e-12
    dx, dy, dz = (np.float32(v) for v in d)
    r2, hl32 = np.float32(r * r), np.float32(hl)

    def fn(x, y, z):
        t = x * dx + y * dy + z * dz
        rho2 = (x * x + y * y) + z * z - t * t
        return (rho2 <= r2) & (t >= -hl32) & (t < hl32)

    return pc, half, fn


def disc_part(centre: np.ndarray, n: np.ndarray, radius: float, thickness: float):
    """A flat disc (platelet) of given radius and thickness with unit normal ``n``."""
    half = radius * np.sqrt(np.clip(1.0 - n * n, 0.0, 1.0)) + 0.5 * thickness * np.abs(n)
    nx, ny, nz = (np.float32(v) for v in n)
    r2, ht = np.float32(radius * radius), np.float32(0.5 * thickness)

    def fn(x, y, z):
        t = x * nx + y * ny + z * nz
        rho2 = (x * x + y * y) + z * z - t * t
        return (rho2 <= r2) & (np.abs(t) <= ht)

    return centre, half + 1e-12, fn


def cylinder_parts(centre: np.ndarray, d: np.ndarray, r: float, length: float,
                   max_part: float) -> list:
    """A cylinder split into parts no longer than ``max_part`` [m] along its axis."""
    n = max(1, math.ceil(length / max_part))
    edges = np.linspace(-0.5 * length, 0.5 * length, n + 1)
    return [cylinder_part(centre, d, r, edges[i], edges[i + 1]) for i in range(n)]


def metadata(generator: str, params: Mapping, seed: int | None, target: float | None,
             achieved: Mapping[str, float], **extra) -> dict:
    """The metadata dict every generator records (JSON-serialisable)."""
    def clean(v):
        if isinstance(v, Mapping):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        if isinstance(v, np.generic):
            return v.item()
        if isinstance(v, float) and not math.isfinite(v):
            return None
        if isinstance(v, int | float | str | bool) or v is None:
            return v
        return repr(v)

    out = {"generator": generator, "parameters": clean(dict(params)), "seed": seed,
           "target_fraction": target, "achieved_fractions": clean(dict(achieved))}
    out.update({k: clean(v) for k, v in extra.items()})
    return out


def fractions_by_name(labels: np.ndarray, phases: Mapping[int, str]) -> dict[str, float]:
    """Volume fraction of each named phase [-] (counted slab by slab: no int64 copy)."""
    counts = np.zeros(256, dtype=np.int64)
    for i in range(0, labels.shape[0], 8):
        counts += np.bincount(labels[i:i + 8].ravel(), minlength=256)
    out: dict[str, float] = {}
    for lab, name in phases.items():
        out[name] = out.get(name, 0.0) + float(counts[lab] / labels.size)
    return out
