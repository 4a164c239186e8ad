"""Stacks of slabs along one axis: each slab a single phase or filled by a generator.

A sandwich such as ``PEO | LLZTO-in-PEO composite | PEO`` is built by giving each slab its
thickness and either a phase name, a generator (name or callable) with its parameters, or a
ready :class:`VoxelVolume` of the right cross-section. Phases are merged by name: the same
name gets the same label across slabs, labels are assigned in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np

from hylyte.errors import GeometryError
from hylyte.microstructure import _common as C
from hylyte.microstructure.volume import InterfaceProperties, VoxelVolume


def _slab_volume(i: int, slab: Mapping, shp: tuple[int, int, int], vs, periodic: bool,
                 rng: np.random.Generator) -> tuple[VoxelVolume, int | None]:
    if "volume" in slab:
        vol = slab["volume"]
        if not isinstance(vol, VoxelVolume):
            raise GeometryError(f"slabs[{i}].volume must be a VoxelVolume, got {type(vol)}")
        if vol.shape != shp:
            raise GeometryError(f"slabs[{i}].volume has shape {vol.shape}, expected {shp}")
        return vol, None
    gen = slab["generator"]
    params = dict(slab.get("params", {}))
    if isinstance(gen, str):
        from hylyte.microstructure.dispatch import generator_function

        fn = generator_function(gen)
    elif callable(gen):
        fn = gen
    else:
        raise GeometryError(f"slabs[{i}].generator must be a generator name or a callable, "
                            f"got {gen!r}")
    for key in ("shape", "box_size", "voxel_size", "rng"):
        if key in params:
            raise GeometryError(f"slabs[{i}].params must not set {key!r}; the stack sets it")
    import inspect

    sub_seed = int(rng.integers(0, 2**63))
    kwargs = {"shape": shp, "voxel_size": vs, **params}
    sig = inspect.signature(fn).parameters
    if "rng" in sig:
        kwargs["rng"] = sub_seed
    if "periodic" in sig and "periodic" not in params:
        kwargs["periodic"] = periodic
    vol = fn(**kwargs)
    if not isinstance(vol, VoxelVolume) or vol.shape != shp:
        raise GeometryError(f"slabs[{i}].generator did not return a VoxelVolume of shape {shp}")
    return vol, sub_seed


def stack(slabs: Sequence[Mapping], *, voxel_size: float | Sequence[float],
          cross_section: Sequence[int], axis: Literal["x", "y", "z"] = "z",
          periodic: bool = False, rng: np.random.Generator | int | None = None) -> VoxelVolume:
    """A stack of slabs along ``axis``.

    Parameters
    ----------
    slabs : sequence of mappings
        In stacking order (from index 0 along ``axis``). Each has ``thickness`` [m] and one
        of: ``phase`` (a name: the slab is that single phase); ``generator`` (a name known to
        :func:`hylyte.microstructure.generate`, or a callable taking ``shape``,
        ``voxel_size`` and optionally ``rng``/``periodic`` keywords) with ``params`` (SI
        keyword arguments, without shape/voxel_size/rng); or ``volume`` (a VoxelVolume of
        the slab's shape).
    voxel_size : float or (float, float, float)
        Voxel edge [m].
    cross_section : (int, int)
        Voxels along the two axes other than ``axis``, in x, y, z order.
    axis : {"x", "y", "z"}
        Stacking direction.
    periodic : bool
        Generated slabs are laterally periodic (the stack itself is not periodic along
        ``axis``; the volume's ``periodic`` flag stays False).
    rng : Generator, int or None
        Each generated slab gets its own seed drawn from it (recorded in the metadata).

    Returns
    -------
    VoxelVolume
        Metadata list each slab's extent in voxels, thickness, phases and generator metadata.

    Raises
    ------
    GeometryError
        A slab thinner than half a voxel, a slab with none or several contents, or a slab
        volume of the wrong shape.
    """
    rng, seed = C.seed_of(rng)
    vs = C.voxel_triple(voxel_size)
    ax = C.axis_index(axis)
    cs = [int(n) for n in cross_section]
    if len(cs) != 2 or any(n < 1 for n in cs):
        raise GeometryError(f"cross_section must be two positive integers, got {cross_section!r}")
    if not slabs:
        raise GeometryError("slabs must hold at least one slab")
    names: dict[str, int] = {}
    parts: list[np.ndarray] = []
    interfaces: dict[tuple[int, int], InterfaceProperties] = {}
    info = []
    for i, slab in enumerate(slabs):
        if not isinstance(slab, Mapping):
            raise GeometryError(f"slabs[{i}] must be a mapping with thickness and content")
        if "thickness" not in slab:
            raise GeometryError(f"slabs[{i}] has no thickness [m]")
        t = C.check_length(slab["thickness"], field=f"slabs[{i}].thickness")
        n = round(t / vs[ax])
        if n < 1:
            raise GeometryError(f"slabs[{i}].thickness = {t:.4g} m is under half a voxel "
                                f"({vs[ax]:.4g} m along {'xyz'[ax]}); refine voxel_size")
        contents = [k for k in ("phase", "generator", "volume") if k in slab]
        if len(contents) != 1:
            raise GeometryError(f"slabs[{i}] must have exactly one of 'phase', 'generator', "
                                f"'volume'; got {contents or 'none'}")
        shp = list(cs)
        shp.insert(ax, n)
        shp_t = (shp[0], shp[1], shp[2])
        if "phase" in slab:
            name = str(slab["phase"])
            lab = names.setdefault(name, len(names))
            parts.append(np.full(shp_t, lab, dtype=np.uint8))
            info.append({"thickness_m": t, "voxels": n, "phase": name})
            continue
        vol, sub_seed = _slab_volume(i, slab, shp_t, vs, periodic, rng)
        lut = np.zeros(256, dtype=np.uint8)
        for lab, name in vol.phases.items():
            lut[lab] = names.setdefault(name, len(names))
        if len(names) > 256:
            raise GeometryError("more than 256 distinct phases in the stack")
        parts.append(lut[vol.labels])
        for (a, b), props in vol.interfaces.items():
            key = tuple(sorted((int(lut[a]), int(lut[b]))))
            interfaces[key] = props  # type: ignore[index]
        info.append({"thickness_m": t, "voxels": n, "seed": sub_seed,
                     "phases": sorted(set(vol.phases.values())),
                     "generator_metadata": vol.metadata})
    labels = np.concatenate(parts, axis=ax)
    del parts
    phases = {lab: name for name, lab in names.items()}
    md = C.metadata("layers", {"axis": "xyz"[ax], "cross_section": cs, "voxel_size_m": vs,
                               "periodic_lateral": periodic},
                    seed, None, C.fractions_by_name(labels, phases), slabs=info)
    return VoxelVolume(labels, vs, phases, interfaces, False, md)
