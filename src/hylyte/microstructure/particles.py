"""Spherical fillers: dispersed, agglomerated, overlapping, and aligned particle chains.

Non-overlapping spheres use random sequential addition (RSA) in the continuum: candidate
centres are tried one after another and accepted when they overlap no sphere placed before
(cell lists, compiled with numba). Once uniform candidates are almost always rejected, they
are drawn only from grid cells that may still hold a sphere (a superset of the free space,
each candidate still tested exactly), which takes monodisperse packings to phi = 0.38 within
the default attempt budget (0.3817 of the 0.3841 limit at 96^3, see
``benchmarks/bench_generators.py``). Monodisperse RSA jams at phi = 0.3841 (Torquato, Uche
& Stillinger 2006); requests above that raise :class:`GeometryError`, and polydisperse
requests above random close packing (0.64) too. Short of the target within the bounded
attempts, the generator warns (ValidityWarning) and records the achieved fraction. The
overlapping mode is a Boolean (Poisson) model: the number density is set from
``phi = 1 - exp(-n <v>)``.

Spheres are painted in their placement order until the *voxel* fraction reaches the target, so
the achieved fraction is within half a sphere of it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

import numpy as np

from hylyte.errors import GeometryError
from hylyte.microstructure import _common as C
from hylyte.microstructure.volume import VoxelVolume

#: jamming limit of monodisperse RSA spheres in 3D [-]
RSA_LIMIT_MONODISPERSE = 0.3841
#: random close packing of monodisperse spheres; polydisperse requests above it are refused [-]
RCP_LIMIT = 0.64

@functools.cache
def _rsa_kernel():
    """The numba RSA kernel (compiled, or loaded from numba's cache, on first use)."""
    import numba

    @numba.njit(cache=True)
    def kernel(cand, radii, i_next, box, periodic, ncell, csize, head, nxt, pos, prad,
               n_placed):  # pragma: no cover - compiled
        k = 0
        ncand = cand.shape[0]
        while k < ncand and i_next < radii.shape[0]:
            r = radii[i_next]
            x0, x1, x2 = cand[k, 0], cand[k, 1], cand[k, 2]
            k += 1
            c0 = min(int(x0 / csize[0]), ncell[0] - 1)
            c1 = min(int(x1 / csize[1]), ncell[1] - 1)
            c2 = min(int(x2 / csize[2]), ncell[2] - 1)
            ok = True
            for a in range(-1, 2) if ncell[0] > 2 else range(-c0, ncell[0] - c0):
                ia = c0 + a
                if periodic:
                    ia %= ncell[0]
                elif ia < 0 or ia >= ncell[0]:
                    continue
                for b in range(-1, 2) if ncell[1] > 2 else range(-c1, ncell[1] - c1):
                    ib = c1 + b
                    if periodic:
                        ib %= ncell[1]
                    elif ib < 0 or ib >= ncell[1]:
                        continue
                    for c in range(-1, 2) if ncell[2] > 2 else range(-c2, ncell[2] - c2):
                        ic = c2 + c
                        if periodic:
                            ic %= ncell[2]
                        elif ic < 0 or ic >= ncell[2]:
                            continue
                        j = head[(ia * ncell[1] + ib) * ncell[2] + ic]
                        while j >= 0:
                            d0 = x0 - pos[j, 0]
                            d1 = x1 - pos[j, 1]
                            d2 = x2 - pos[j, 2]
                            if periodic:
                                d0 -= box[0] * np.round(d0 / box[0])
                                d1 -= box[1] * np.round(d1 / box[1])
                                d2 -= box[2] * np.round(d2 / box[2])
                            s = r + prad[j]
                            if d0 * d0 + d1 * d1 + d2 * d2 < s * s:
                                ok = False
                                break
                            j = nxt[j]
                        if not ok:
                            break
                    if not ok:
                        break
                if not ok:
                    break
            if ok:
                cell = (c0 * ncell[1] + c1) * ncell[2] + c2
                pos[n_placed, 0] = x0
                pos[n_placed, 1] = x1
                pos[n_placed, 2] = x2
                prad[n_placed] = r
                nxt[n_placed] = head[cell]
                head[cell] = n_placed
                n_placed += 1
                i_next += 1
        return k, i_next, n_placed

    return kernel


def sample_diameters(n: int, diameter: float, *, size_distribution: str, size_spread: float,
                     rng: np.random.Generator) -> np.ndarray:
    """Diameters [m]: monodisperse, or lognormal with number-mean ``diameter``.

    The lognormal has ``sigma = size_spread`` (of ln d) and is truncated at
    ``exp(+-3 sigma)`` about its median.
    """
    if size_distribution == "monodisperse" or size_spread == 0.0:
        return np.full(n, diameter)
    mu = math.log(diameter) - 0.5 * size_spread**2
    z = np.clip(rng.standard_normal(n), -3.0, 3.0)
    return np.exp(mu + size_spread * z)


def _candidates(rng, n, box, periodic, parents, cluster_radius):
    if parents is None:
        return rng.uniform(0.0, 1.0, (n, 3)) * box
    p = parents[rng.integers(0, len(parents), n)]
    c = p + rng.normal(0.0, cluster_radius, (n, 3))
    if periodic:
        return np.mod(c, box)
    inside = np.all((c >= 0) & (c < box), axis=1)
    return c[inside]


def rsa_centres(radii: np.ndarray, box: np.ndarray, *, periodic: bool,
                rng: np.random.Generator, max_attempts: int,
                parents: np.ndarray | None = None, cluster_radius: float = 0.0,
                grid_spacing: Sequence[float] | None = None, placed: np.ndarray | None = None,
                target_volume: float | None = None,
                batch: int = 200_000) -> tuple[np.ndarray, np.ndarray, int]:
    """Random sequential addition of non-overlapping spheres, in the given radius order.

    Parameters
    ----------
    radii : ndarray, shape (n,)
        Radii to place, in order [m]; with ``placed``, the first ``len(placed)`` belong to
        the spheres already placed.
    box : ndarray, shape (3,)
        Box edges [m]; centres lie in ``[0, box)``.
    periodic : bool
        Minimum-image distances (spheres may cross the box faces either way).
    rng : Generator
    max_attempts : int
        Upper bound on candidate centres tried.
    parents, cluster_radius
        Optional cluster centres [m] and Gaussian spread [m] of the candidates around them.
    grid_spacing : (float, float, float), optional
        Enables the saturation stage [m]: once uniform candidates are accepted less than once
        in a thousand, candidates are drawn only from grid cells that may still hold the
        smallest remaining sphere (cells whose centre is farther than
        ``r_j + r_min - half cell diagonal`` from every centre ``j``, a superset of the free
        space). Each candidate is still tested exactly, so the process stays RSA; it just
        wastes fewer attempts, reaching ~0.38 for monodisperse spheres.
    placed : ndarray, shape (m, 3), optional
        Centres already placed [m] (for continuing a packing).
    target_volume : float, optional
        Stop once the spheres placed hold this volume [m^3] (checked between batches).

    Returns
    -------
    centres : ndarray, shape (k, 3)
        Accepted centres [m] including ``placed``, matching ``radii[:k]``.
    radii : ndarray, shape (k,)
    attempts : int
        Candidates tried.
    """
    kernel = _rsa_kernel()
    radii = np.ascontiguousarray(radii, dtype=float)
    box = np.asarray(box, dtype=float)
    n = len(radii)
    ncell = np.maximum(1, np.floor(box / (2.0 * float(radii.max())))).astype(np.int64)
    ncell = np.minimum(ncell, 256)
    csize = box / ncell
    head = np.full(int(np.prod(ncell)), -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    pos = np.zeros((n, 3))
    prad = np.zeros(n)
    i_next = n_placed = attempts = 0
    if placed is not None and len(placed):
        _, i_next, n_placed = kernel(np.ascontiguousarray(placed, dtype=float), radii, 0, box,
                                     periodic, ncell, csize, head, nxt, pos, prad, 0)
        if n_placed != len(placed):
            raise GeometryError("the spheres already placed overlap one another")
    saturate = False
    vol_target = math.inf if target_volume is None else float(target_volume)
    placed_vol = float(np.sum(4.0 / 3.0 * math.pi * prad[:n_placed] ** 3))

    def more(placed_vol):
        return i_next < n and attempts < max_attempts and placed_vol < vol_target

    while more(placed_vol):
        m = min(batch, max_attempts - attempts)
        cand = np.ascontiguousarray(_candidates(rng, m, box, periodic, parents, cluster_radius))
        before = n_placed
        used, i_next, n_placed = kernel(cand, radii, i_next, box, periodic, ncell, csize, head,
                                        nxt, pos, prad, n_placed)
        attempts += m if used == len(cand) else used
        placed_vol += float(np.sum(4.0 / 3.0 * math.pi * prad[before:n_placed] ** 3))
        if (grid_spacing is not None and parents is None and used == len(cand)
                and n_placed - before < 1e-2 * used):
            saturate = True
            break
    if saturate:
        h = np.asarray(grid_spacing, dtype=float)
        shp = tuple(int(v) for v in np.maximum(1, np.round(box / h)))
        h = box / np.asarray(shp)
        excl = np.zeros(shp, dtype=np.uint8)
        painter = C.Painter(excl, tuple(h), periodic)
        margin = 0.5 * float(np.sqrt((h**2).sum()))
        painted = 0
        while more(placed_vol):
            rmin = float(radii[i_next:].min())
            for j in range(painted, n_placed):
                R = prad[j] + rmin - margin
                if R > 0:
                    p = painter.patch(pos[j], (R, R, R), C.sphere_mask(R))
                    if p is not None:
                        painter.commit([p])
            painted = n_placed
            avail = np.flatnonzero(excl == 0)
            if avail.size == 0:
                break  # no cell can hold another sphere: saturated
            m = int(min(batch, max_attempts - attempts, max(1000, 50 * avail.size)))
            ijk = np.stack(np.unravel_index(avail[rng.integers(0, avail.size, m)], shp), 1)
            cand = np.ascontiguousarray((ijk + rng.random((m, 3))) * h)
            before = n_placed
            used, i_next, n_placed = kernel(cand, radii, i_next, box, periodic, ncell, csize,
                                            head, nxt, pos, prad, n_placed)
            attempts += used
            placed_vol += float(np.sum(4.0 / 3.0 * math.pi * prad[before:n_placed] ** 3))
    return pos[:n_placed], prad[:n_placed], attempts


def _parents(rng, n_clusters, box):
    if n_clusters is None:
        return None
    if int(n_clusters) < 1:
        raise GeometryError(f"n_clusters must be a positive integer, got {n_clusters!r}")
    return rng.uniform(0.0, 1.0, (int(n_clusters), 3)) * box


def spheres(*, diameter: float, fraction: float, voxel_size: float | Sequence[float],
            shape: Sequence[int] | None = None, box_size: float | Sequence[float] | None = None,
            size_distribution: Literal["monodisperse", "lognormal"] = "monodisperse",
            size_spread: float = 0.0, overlap: bool = False, n_clusters: int | None = None,
            cluster_radius: float | None = None, periodic: bool = False,
            phases: Mapping[int, str] | None = None, max_attempts: int | None = None,
            rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Spherical particles (label 1) in a matrix (label 0).

    Parameters
    ----------
    diameter : float
        Number-mean particle diameter [m].
    fraction : float
        Target filler volume fraction, in (0, 1) [-].
    voxel_size : float or (float, float, float)
        Voxel edge [m].
    shape : (int, int, int), optional
        Voxels along x, y, z (or give ``box_size``).
    box_size : float or (float, float, float), optional
        Box edges [m] (rounded to whole voxels).
    size_distribution : {"monodisperse", "lognormal"}
        Diameter distribution.
    size_spread : float
        Standard deviation of ln(d) for the lognormal [-]; truncated at 3 sigma.
    overlap : bool
        False: non-overlapping RSA (jams at 0.384 for monodisperse spheres).
        True: Boolean model of freely overlapping spheres.
    n_clusters : int, optional
        Agglomeration: candidate centres are drawn around this many parent centres.
    cluster_radius : float, optional
        Gaussian spread of particle centres about their parent [m] (default 1.5 diameters).
    periodic : bool
        Spheres wrap across the box faces; the volume tiles seamlessly.
    phases : mapping, optional
        Phase names, default ``{0: "matrix", 1: "filler"}``.
    max_attempts : int, optional
        Bound on RSA candidates (default ``max(2e6, 2000 x spheres)``).
    rng : Generator, int or None
        Random source or seed.

    Returns
    -------
    VoxelVolume
        Metadata holds the parameters, seed, achieved fraction, number of spheres, RSA
        attempts and the continuum fraction of the placed spheres.

    Raises
    ------
    GeometryError
        Fraction outside (0, 1), non-overlapping fraction above the RSA limit (monodisperse)
        or random close packing (polydisperse), diameter below two voxels, or bad shape.
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    phi = C.check_fraction(fraction)
    d = C.check_length(diameter, field="diameter", voxel_size=vs, min_voxels=2.0)
    if size_distribution not in ("monodisperse", "lognormal"):
        raise GeometryError("size_distribution must be 'monodisperse' or 'lognormal', "
                            f"got {size_distribution!r}")
    if not (math.isfinite(size_spread) and 0.0 <= size_spread <= 1.5):
        raise GeometryError(f"size_spread must be in [0, 1.5] (std of ln d), got {size_spread!r}")
    mono = size_distribution == "monodisperse" or size_spread == 0.0
    if not overlap:
        limit = RSA_LIMIT_MONODISPERSE if mono else RCP_LIMIT
        if phi >= limit:
            raise GeometryError(
                f"fraction = {phi:.3f} is above the limit {limit} for non-overlapping "
                f"{'monodisperse' if mono else 'polydisperse'} spheres placed at random; "
                "use overlap=True or a lower fraction")
    box = np.asarray(shp) * np.asarray(vs)
    if d > float(box.min()):
        raise GeometryError(f"diameter = {d:.4g} m exceeds the smallest box edge "
                            f"{float(box.min()):.4g} m")
    if cluster_radius is not None:
        C.check_length(cluster_radius, field="cluster_radius")
    parents = _parents(rng, n_clusters, box)
    crad = float(cluster_radius) if cluster_radius is not None else 1.5 * d
    vbox = float(np.prod(box))
    mean_v = math.pi / 6 * d**3 * (1.0 if mono else math.exp(3 * size_spread**2))
    if overlap:
        n_expected = -math.log(1.0 - phi) * vbox / mean_v
    else:
        n_expected = phi * vbox / mean_v
    n_draw = math.ceil(1.15 * n_expected) + 8
    labels = np.zeros(shp, dtype=np.uint8)
    painter = C.Painter(labels, vs, periodic)
    target = round(phi * labels.size)
    attempts_total = 0
    placed_c: list[np.ndarray] = []
    placed_r: list[np.ndarray] = []
    max_att = int(max_attempts) if max_attempts is not None else int(max(2e6, 2000 * n_draw))
    stats = {"placed": 0, "attempts": 0, "rejected": 0, "exhausted": True}
    # RSA stops once the continuum volume covers the target with a margin for voxelisation;
    # later rounds add what the voxel count still lacks
    limit = RSA_LIMIT_MONODISPERSE if mono else RCP_LIMIT
    stop_vol = min(1.03 * phi, 0.5 * (phi + limit)) * vbox
    for _round in range(6):  # more spheres if voxelisation fell short of the target
        diam = sample_diameters(n_draw, d, size_distribution=size_distribution,
                                size_spread=size_spread, rng=rng)
        radii = np.sort(0.5 * diam)[::-1] if not mono else 0.5 * diam
        if overlap:
            centres = _candidates(rng, n_draw, box, periodic, parents, crad)
            while len(centres) < n_draw:
                centres = np.concatenate([centres, _candidates(rng, n_draw, box, periodic,
                                                               parents, crad)])
            centres = centres[:n_draw]
        else:
            if placed_c:  # continue RSA around the spheres already placed
                prev_c, prev_r = np.concatenate(placed_c), np.concatenate(placed_r)
                radii = np.concatenate([prev_r, radii])
                centres, radii, att = rsa_centres(
                    radii, box, periodic=periodic, rng=rng,
                    max_attempts=max(0, max_att - attempts_total), parents=parents,
                    cluster_radius=crad, grid_spacing=vs, placed=prev_c,
                    target_volume=stop_vol + float(np.sum(4 / 3 * math.pi * prev_r**3)))
                centres, radii = centres[len(prev_c):], radii[len(prev_c):]
            else:
                centres, radii, att = rsa_centres(radii, box, periodic=periodic, rng=rng,
                                                  max_attempts=max_att, parents=parents,
                                                  cluster_radius=crad, grid_spacing=vs,
                                                  target_volume=stop_vol)
            attempts_total += att
        objs = ([(c, (r, r, r), C.sphere_mask(r))] for c, r in zip(centres, radii, strict=True))
        st = painter.fill(objs, target, allow_overlap=True, max_attempts=len(radii) + 1)
        stats["placed"] += st["placed"]
        placed_c.append(centres[:st["placed"]])
        placed_r.append(radii[:st["placed"]])
        if not st["exhausted"]:
            stats["exhausted"] = False
            break
        if not overlap and attempts_total >= max_att:
            break
        lack = (target - painter.count) * float(np.prod(vs))
        stop_vol = 1.5 * lack + 0.5 * mean_v
        n_draw = max(16, int(0.1 * n_expected), math.ceil(2 * lack / mean_v))
    all_r = np.concatenate(placed_r) if placed_r else np.zeros(0)
    cont = float(np.sum(4 / 3 * math.pi * all_r**3) / vbox)
    ph = C.phase_table(phases, {0: "matrix", 1: "filler"})
    achieved = painter.count / labels.size
    ok = C.report_fraction("spheres", phi, achieved, why=(
        f"RSA stopped after {attempts_total} attempts with {len(all_r)} spheres"
        if not overlap else "too few spheres for the box"))
    params = {"diameter_m": d, "fraction": phi, "voxel_size_m": vs, "shape": shp,
              "size_distribution": size_distribution, "size_spread": size_spread,
              "overlap": overlap, "n_clusters": n_clusters, "cluster_radius_m": crad
              if n_clusters is not None else None, "periodic": periodic}
    md = C.metadata("spheres", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, n_spheres=len(all_r), rsa_attempts=attempts_total,
                    continuum_fraction=cont,
                    mean_diameter_m=float(2 * all_r.mean()) if len(all_r) else None)
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)


def _chain_objects(rng, box, axis, radius, pitch, n_per, periodic, jitter) -> Iterator[list]:
    """Endless stream of chains: each one object (union of spheres on a line)."""
    e = np.zeros(3)
    e[axis] = 1.0
    length = (n_per - 1) * pitch
    half = np.full(3, radius)
    half[axis] = 0.5 * length + radius
    r2 = np.float32(radius * radius)
    p32 = np.float32(pitch)
    off = np.float32(0.5 * length)
    span = 0.5 * length + radius  # open boxes keep whole chains inside along the field
    while True:
        c = rng.uniform(0.0, 1.0, 3) * box
        if not periodic:
            free = box[axis] - 2 * span
            u = rng.uniform(0.0, 1.0)
            c[axis] = span + u * free if free > 0 else 0.5 * box[axis]
        sh = rng.normal(0.0, jitter, (n_per, 2)).astype(np.float32) if jitter > 0 else None

        def fn(x, y, z, _sh=sh):
            coords = [x, y, z]
            t = coords[axis] + off
            k = np.clip(np.rint(t / p32), 0, n_per - 1)
            dt = t - k * p32
            others = [coords[a] for a in range(3) if a != axis]
            if _sh is not None:
                ki = k.astype(np.int64)
                u = others[0] - _sh[ki, 0]
                v = others[1] - _sh[ki, 1]
            else:
                u, v = others
            return (dt * dt + u * u) + v * v <= r2

        yield [(c, half + (3 * jitter if jitter else 0.0), fn)]


def particle_chains(*, diameter: float, fraction: float, voxel_size: float | Sequence[float],
                    shape: Sequence[int] | None = None,
                    box_size: float | Sequence[float] | None = None,
                    axis: Literal["x", "y", "z"] = "z", particles_per_chain: int | None = None,
                    gap: float = 0.0, jitter: float = 0.0, overlap: bool = False,
                    periodic: bool = False, phases: Mapping[int, str] | None = None,
                    max_attempts: int = 200_000,
                    rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """Chains of spheres aligned along a field direction (electric/magnetic field alignment).

    Parameters
    ----------
    diameter : float
        Particle diameter [m].
    fraction : float
        Target filler volume fraction, in (0, 1) [-].
    voxel_size, shape, box_size
        Grid, as in :func:`spheres` [m], [-], [m].
    axis : {"x", "y", "z"}
        Field direction (chain axis).
    particles_per_chain : int, optional
        Spheres per chain; default just enough to bridge the box along ``axis`` (centred
        chains touching both faces normal to the field, as between the electrodes during
        alignment; the end spheres may be cut by those faces).
    gap : float
        Surface-to-surface gap between neighbours in a chain [m]; 0 = touching (a voxel
        neck may form, giving a face-connected chain). In an open box whole chains stay
        inside along ``axis``; across the other faces they are cut.
    jitter : float
        Standard deviation of each sphere's sideways offset from the chain axis [m].
    overlap : bool
        Whether chains may overlap one another (False: rejected on any shared voxel).
    periodic : bool
        Chains wrap across the box faces.
    phases : mapping, optional
        Default ``{0: "matrix", 1: "filler"}``.
    max_attempts : int
        Bound on chains tried.
    rng : Generator, int or None

    Returns
    -------
    VoxelVolume

    Raises
    ------
    GeometryError
        A chain longer than the box along ``axis``, or the usual bad sizes and fractions.
    """
    rng, seed = C.seed_of(rng)
    shp, vs = C.grid(voxel_size, shape, box_size)
    phi = C.check_fraction(fraction)
    d = C.check_length(diameter, field="diameter", voxel_size=vs, min_voxels=2.0)
    g = C.check_length(gap, field="gap", allow_zero=True)
    jit = C.check_length(jitter, field="jitter", allow_zero=True)
    ax = C.axis_index(axis)
    box = np.asarray(shp) * np.asarray(vs)
    if particles_per_chain is None:  # just long enough to bridge the box
        n_per = max(1, math.ceil((box[ax] + g) / (d + g) - 1e-9))
    else:
        n_per = int(particles_per_chain)
    if n_per < 1:
        raise GeometryError(f"particles_per_chain must be >= 1, got {particles_per_chain!r}")
    length = n_per * d + (n_per - 1) * g
    if particles_per_chain is not None and length > box[ax] * (1 + 1e-9):
        raise GeometryError(
            f"particles_per_chain x (diameter + gap) = {length:.4g} m is longer than the box "
            f"along {'xyz'[ax]} ({box[ax]:.4g} m); use fewer particles_per_chain")
    labels = np.zeros(shp, dtype=np.uint8)
    painter = C.Painter(labels, vs, periodic)
    target = round(phi * labels.size)
    st = painter.fill(_chain_objects(rng, box, ax, 0.5 * d, d + g, n_per, periodic, jit),
                      target, allow_overlap=overlap, max_attempts=int(max_attempts))
    ph = C.phase_table(phases, {0: "matrix", 1: "filler"})
    achieved = painter.count / labels.size
    ok = C.report_fraction("particle_chains", phi, achieved,
                           why=f"stopped after {st['attempts']} attempts, {st['placed']} chains")
    params = {"diameter_m": d, "fraction": phi, "voxel_size_m": vs, "shape": shp,
              "axis": "xyz"[ax], "particles_per_chain": n_per, "gap_m": g, "jitter_m": jit,
              "overlap": overlap, "periodic": periodic}
    md = C.metadata("particle_chains", params, seed, phi, C.fractions_by_name(labels, ph),
                    target_met=ok, n_chains=st["placed"], attempts=st["attempts"],
                    rejected=st["rejected"])
    return VoxelVolume(labels, vs, ph, periodic=periodic, metadata=md)
