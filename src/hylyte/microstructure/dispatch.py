"""One entry point for all generators: ``generate(spec)`` from a mapping with unit strings.

A spec names the generator and gives its parameters as quantity strings, parsed with
:mod:`hylyte.units` (lengths such as ``"400 nm"``, fractions such as ``"15 vol%"``, angles
such as ``"10 deg"``)::

    {"generator": "spheres", "diameter": "400 nm", "voxel_size": "50 nm",
     "shape": [128, 128, 128], "fraction": "15 vol%", "seed": 7,
     "phases": {0: "PEO-LiTFSI", 1: "LLZTO"},
     "interphase": {"thickness": "100 nm", "around": "LLZTO"}}

``seed`` (or ``rng``) seeds the generator; an optional ``interphase`` table adds a shell
with :func:`hylyte.microstructure.interphase.add_interphase`. Layers take ``slabs``, each
with ``thickness`` and ``phase``, or ``generator`` plus its own parameters. Code that has
SI floats calls the generator functions directly.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from hylyte.errors import GeometryError, UnitError
from hylyte.microstructure.volume import VoxelVolume

#: generator name -> "module:function"
GENERATORS: dict[str, str] = {
    "spheres": "particles:spheres",
    "particle_chains": "particles:particle_chains",
    "fibres": "fibres:fibres",
    "platelets": "sheets:platelets",
    "fibre_network": "frameworks:fibre_network",
    "tpms": "frameworks:tpms",
    "spinodal": "frameworks:spinodal",
    "bicontinuous": "frameworks:bicontinuous",
    "lamellar": "frameworks:lamellar",
    "layers": "layers:stack",
}

_LENGTHS = {"diameter", "length", "thickness", "voxel_size", "box_size", "cell_size",
            "wavelength", "spacing", "gap", "jitter", "cluster_radius", "correlation_length",
            "waviness", "wave_length"}
_ANGLES = {"spread", "tilt"}
_FRACTIONS = {"fraction"}
_INTS = {"n_clusters", "n_waves", "particles_per_chain", "max_attempts"}
_NUMBERS = {"size_spread", "level", "bandwidth"}
_BOOLS = {"periodic", "overlap", "keep_connected"}


def generator_function(name: str) -> Callable[..., VoxelVolume]:
    """The generator function registered under ``name``."""
    import importlib

    if name not in GENERATORS:
        raise GeometryError(f"unknown generator {name!r}; allowed: {sorted(GENERATORS)}")
    mod, fn = GENERATORS[name].split(":")
    return getattr(importlib.import_module(f"hylyte.microstructure.{mod}"), fn)


def _length(value: Any, field: str) -> float | tuple[float, ...]:
    from hylyte import units

    if isinstance(value, list | tuple):
        return tuple(float(units.parse(v, "length", field=f"{field}[{i}]"))
                     for i, v in enumerate(value))
    return units.parse(value, "length", field=field)


def _angle(value: Any, field: str) -> float:
    from hylyte import units

    if isinstance(value, int | float) and not isinstance(value, bool):
        raise UnitError(f"{field}: give an angle with its unit, e.g. '10 deg' or '0.2 rad', "
                        f"got {value!r}")
    return units.parse(value, "dimensionless", field=field)


def parse_params(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Parse a generator's parameters (unit strings) into SI keyword arguments."""
    from hylyte import units

    fn = generator_function(name)
    allowed = [p for p in inspect.signature(fn).parameters if p != "rng"]
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in allowed:
            raise GeometryError(f"{name}: unknown parameter {key!r}; allowed: {allowed}")
        if key in _LENGTHS:
            out[key] = _length(value, key)
        elif key in _ANGLES:
            out[key] = _angle(value, key)
        elif key in _FRACTIONS:
            frac = units.parse_fraction(value, field=key)
            if frac.basis != "vol":
                raise GeometryError(f"{key}: generators need a volume fraction, got {value!r} "
                                    "(convert wt% with the densities first)")
            out[key] = frac.value
        elif key in _INTS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise GeometryError(f"{name}: {key} must be an integer, got {value!r}")
            out[key] = value
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise GeometryError(f"{name}: {key} must be true or false, got {value!r}")
            out[key] = value
        elif key in _NUMBERS:
            out[key] = units.parse(value, "dimensionless", field=key)
        elif key == "phases":
            if not isinstance(value, Mapping):
                raise GeometryError(f"{name}: phases must map labels to names, got {value!r}")
            try:
                out[key] = {int(k): str(v) for k, v in value.items()}
            except ValueError as err:
                raise GeometryError(f"{name}: phases keys must be integer labels") from err
        elif key == "slabs":
            out[key] = [_parse_slab(i, s) for i, s in enumerate(value)]
        else:
            out[key] = value
    return out


def _parse_slab(i: int, slab: Any) -> dict:
    if not isinstance(slab, Mapping):
        raise GeometryError(f"slabs[{i}] must be a table with thickness and content")
    slab = dict(slab)
    out: dict[str, Any] = {}
    if "thickness" not in slab:
        raise GeometryError(f"slabs[{i}] has no thickness")
    out["thickness"] = _length(slab.pop("thickness"), f"slabs[{i}].thickness")
    if "phase" in slab:
        out["phase"] = str(slab.pop("phase"))
    if "generator" in slab:
        gen = slab.pop("generator")
        out["generator"] = gen
        out["params"] = parse_params(gen, slab)
        slab = {}
    if slab:
        raise GeometryError(f"slabs[{i}]: unexpected keys {sorted(slab)}")
    return out


def generate(spec: Mapping[str, Any], *, rng: Any = None) -> VoxelVolume:
    """Generate a volume from a spec with unit strings.

    Parameters
    ----------
    spec : mapping
        ``generator`` (a name in :data:`GENERATORS`), its parameters as quantity strings,
        optionally ``seed`` and an ``interphase`` table (``thickness``, ``around``,
        ``into``, ``name``, ``conductivity``, ``asr``).
    rng : Generator, int or None
        Overrides ``seed`` in the spec.

    Returns
    -------
    VoxelVolume

    Raises
    ------
    GeometryError
        Unknown generator (the message lists the allowed names), unknown or invalid
        parameters.
    UnitError
        A quantity with the wrong unit.
    """
    if not isinstance(spec, Mapping):
        raise GeometryError(f"spec must be a mapping, got {type(spec).__name__}")
    spec = dict(spec)
    if "generator" not in spec:
        raise GeometryError(f"spec has no 'generator'; allowed: {sorted(GENERATORS)}")
    name = spec.pop("generator")
    if not isinstance(name, str) or name not in GENERATORS:
        raise GeometryError(f"unknown generator {name!r}; allowed: {sorted(GENERATORS)}")
    seed = spec.pop("seed", None)
    inter = spec.pop("interphase", None)
    if rng is None:
        rng = seed
    fn = generator_function(name)
    kwargs = parse_params(name, spec)
    if "rng" in inspect.signature(fn).parameters:
        kwargs["rng"] = rng
    vol = fn(**kwargs)
    if inter is not None:
        vol = _apply_interphase(vol, inter)
    return vol


def _apply_interphase(vol: VoxelVolume, inter: Any) -> VoxelVolume:
    from hylyte import units
    from hylyte.microstructure.interphase import add_interphase

    if not isinstance(inter, Mapping):
        raise GeometryError("interphase must be a table with at least 'thickness'")
    inter = dict(inter)
    allowed = {"thickness", "around", "into", "name", "conductivity", "asr"}
    unknown = set(inter) - allowed
    if unknown:
        raise GeometryError(f"interphase: unknown keys {sorted(unknown)}; allowed: "
                            f"{sorted(allowed)}")
    if "thickness" not in inter:
        raise GeometryError("interphase needs thickness, e.g. '20 nm'")
    kw: dict[str, Any] = {"thickness": units.parse(inter["thickness"], "length",
                                                   field="interphase.thickness")}
    for key in ("around", "into", "name"):
        if key in inter:
            kw[key] = inter[key]
    if "conductivity" in inter:
        kw["conductivity"] = units.parse(inter["conductivity"], "conductivity",
                                         field="interphase.conductivity")
    if "asr" in inter:
        kw["asr_ohm_m2"] = units.parse(inter["asr"], "asr", field="interphase.asr")
    return add_interphase(vol, **kw)
