"""The result of evaluating a design: typed, frozen, serialisable with a schema version.

Fields that leave the code carry their unit in the name (``conductivity_S_per_cm``, ``T_K``,
``asr_ohm_cm2``). Values that do not exist for a design (no limiting current for a stack of
single-ion layers, no voxel solve in the analytic path) are ``None``; infinities are also
written as ``None`` because JSON has no infinity (the field docs say which).

Round trip: ``Result.from_dict(r.to_dict()) == r``; dispatch is on the closed ``kind`` table
:data:`RESULT_KINDS`. The JSON Schema of ``to_dict()`` is :func:`json_schema` (shipped as
``hylyte/design/data/result.schema.json``).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any, Literal

SCHEMA_VERSION = 1


class _ResultMethods:
    """Serialisation shared by the result kinds."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with ``schema_version`` and ``kind`` (units in field names)."""
        return _to_dict(self)  # type: ignore[arg-type]

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per temperature with scalar columns (for the sweep store)."""
        return _to_rows(self)  # type: ignore[arg-type]

    @staticmethod
    def from_dict(d: dict[str, Any]) -> Result:
        """Rebuild a result from :meth:`to_dict` output (see :func:`result_from_dict`)."""
        return result_from_dict(d)

    @property
    def artifacts(self) -> dict[str, Any]:
        """Arrays kept for plotting (voxel slices, current maps); never serialised."""
        return getattr(self, "_artifacts", {})


@dataclass(frozen=True)
class Reference:
    """A literature reference used by the result."""

    key: str
    doi: str | None = None


@dataclass(frozen=True)
class MaterialUse:
    """A material the result used, its role and its reference keys."""

    name: str
    role: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """What was used to compute the result."""

    hylyte_version: str
    design_hash: str
    seed: int | None
    materials: tuple[MaterialUse, ...] = ()
    models: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    source: str | None = None


@dataclass(frozen=True)
class Phase:
    """A phase of a composite and its volume fraction."""

    name: str
    role: Literal["matrix", "filler", "interphase", "pore"]
    volume_fraction: float
    shape: str | None = None
    size_um: float | None = None


@dataclass(frozen=True)
class WindowCheck:
    """One layer facing one electrode: its limit against the electrode potential."""

    side: Literal["anode", "cathode"]
    layer: str
    electrode: str
    electrode_potential_V: float | None
    limit_V: float | None
    status: str
    message: str


@dataclass(frozen=True)
class Window:
    """Electrochemical window of the electrolyte against the electrodes (V vs Li/Li+)."""

    low_V: float | None
    high_V: float | None
    anode: str | None = None
    cathode: str | None = None
    anode_potential_V: float | None = None
    cathode_potential_V: float | None = None
    limiting_layer: str | None = None
    checks: tuple[WindowCheck, ...] = ()


@dataclass(frozen=True)
class Modulus:
    """Elastic moduli of a composite [GPa] and the Monroe-Newman verdict (indicative)."""

    shear_lower_GPa: float | None
    shear_upper_GPa: float | None
    bulk_lower_GPa: float | None
    bulk_upper_GPa: float | None
    shear_estimate_GPa: float | None
    model: str
    monroe_newman: str
    T_K: float | None = None


@dataclass(frozen=True)
class VoxelInfo:
    """What the voxel path chose and why."""

    voxel_size_um: float
    shape: tuple[int, int, int]
    box_um: float
    axis: str
    backend: str
    smallest_feature_um: float
    largest_feature_um: float
    voxels_across_smallest: float
    box_over_largest: float
    interphase: Literal["none", "resolved", "sub-voxel"]
    volume_fractions: dict[str, float]
    generator: str
    seed: int
    wall_time_s: float
    notes: tuple[str, ...] = ()
    #: pathway (current) fraction of each voxel phase at each temperature [-]
    current_fractions: dict[str, tuple[float, ...]] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class CompositePoint:
    """Composite properties at one temperature (``voxel_*`` are None without a voxel solve).

    ``conductivity_S_per_cm`` is through-plane (the transport direction of a film);
    ``conductivity_in_plane_S_per_cm`` differs from it only for aligned or in-plane
    structures.
    """

    T_K: float
    T_degC: float
    conductivity_S_per_cm: float
    conductivity_in_plane_S_per_cm: float
    matrix_conductivity_S_per_cm: float
    filler_conductivity_S_per_cm: float
    hs_lower_S_per_cm: float
    hs_upper_S_per_cm: float
    wiener_lower_S_per_cm: float
    wiener_upper_S_per_cm: float
    within_hs: bool
    t_plus: float
    fraction_polymer: float
    fraction_interphase: float
    fraction_ceramic: float
    voxel_conductivity_S_per_cm: float | None = None
    voxel_t_plus: float | None = None
    voxel_fraction_polymer: float | None = None
    voxel_fraction_interphase: float | None = None
    voxel_fraction_ceramic: float | None = None
    voxel_tortuosity_ceramic: float | None = None


@dataclass(frozen=True)
class CompositeResult(_ResultMethods):
    """Result of a composite design."""

    name: str
    method: Literal["analytic", "voxel", "both"]
    model: str
    points: tuple[CompositePoint, ...]
    phases: tuple[Phase, ...]
    density_g_per_cm3: float | None
    provenance: Provenance
    modulus: Modulus | None = None
    window: Window | None = None
    voxel: VoxelInfo | None = None
    warnings: tuple[str, ...] = ()
    kind: Literal["composite"] = "composite"



@dataclass(frozen=True)
class StackLayer:
    """One layer of an evaluated stack."""

    index: int
    name: str
    thickness_um: float
    rho_plus: float
    density_g_per_cm3: float | None
    composite: bool = False


@dataclass(frozen=True)
class StackPoint:
    """Stack properties at one temperature.

    ``limiting_current_mA_per_cm2`` and ``sand_time_s`` are None when no layer limits
    (single-ion layers only: infinite). ``ohmic_drop_mV`` needs a cathode capacity.
    """

    T_K: float
    T_degC: float
    asr_ohm_cm2: float
    asr_bulk_ohm_cm2: float
    asr_interfaces_ohm_cm2: float
    layer_asr_ohm_cm2: tuple[float, ...]
    interface_asr_ohm_cm2: tuple[float, ...]
    layer_conductivity_S_per_cm: tuple[float, ...]
    t_plus: float
    retention_ratio: float
    limiting_current_mA_per_cm2: float | None
    limiting_layer: str | None
    current_density_mA_per_cm2: float | None
    sand_time_s: float | None
    ohmic_drop_mV: float | None
    voxel_asr_ohm_cm2: float | None = None


@dataclass(frozen=True)
class TargetASR:
    """Temperature at which the stack reaches a target ASR (None: not in the bracket)."""

    asr_ohm_cm2: float
    T_K: float | None
    T_degC: float | None


@dataclass(frozen=True)
class CellMetrics:
    """Cell-level energy (single-sided unit cell, no packaging)."""

    specific_energy_Wh_per_kg: float
    energy_density_Wh_per_L: float
    electrolyte_thickness_um: float
    electrolyte_areal_mass_mg_per_cm2: float
    cathode_capacity_mAh_per_cm2: float
    cathode_voltage_V: float
    c_rate: float


@dataclass(frozen=True)
class StackResult(_ResultMethods):
    """Result of a stack design."""

    name: str
    method: Literal["analytic", "voxel", "both"]
    layers: tuple[StackLayer, ...]
    interfaces: tuple[str, ...]
    points: tuple[StackPoint, ...]
    provenance: Provenance
    window: Window | None = None
    cell: CellMetrics | None = None
    target: TargetASR | None = None
    warnings: tuple[str, ...] = ()
    kind: Literal["stack"] = "stack"
    voxel: VoxelInfo | None = None



Result = CompositeResult | StackResult

#: closed table of result kinds
RESULT_KINDS: dict[str, type] = {"composite": CompositeResult, "stack": StackResult}


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, float) and obj != obj:  # NaN
        return None
    if isinstance(obj, float) and obj in (float("inf"), float("-inf")):
        return None
    if hasattr(obj, "item") and not isinstance(obj, str | bytes):  # numpy scalar
        return _plain(obj.item())
    return obj


def _to_dict(result: Result) -> dict[str, Any]:
    """Plain JSON-ready dict with ``schema_version`` first."""
    return {"schema_version": SCHEMA_VERSION, **_plain(result)}


@functools.cache
def _adapter(cls: type):
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def result_from_dict(d: dict[str, Any]) -> Result:
    """Rebuild a result from :meth:`to_dict` output.

    Parameters
    ----------
    d
        A dict with ``schema_version`` and ``kind`` (one of :data:`RESULT_KINDS`).

    Returns
    -------
    CompositeResult or StackResult

    Raises
    ------
    DataFormatError
        Unknown schema version or kind, or fields that do not validate.
    """
    from pydantic import ValidationError

    from hylyte.errors import DataFormatError

    if not isinstance(d, dict):
        raise DataFormatError(f"a result must be a dict, got {type(d).__name__}")
    version = d.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DataFormatError(f"result schema_version {version!r} is not supported; "
                              f"allowed: {SCHEMA_VERSION}")
    kind = d.get("kind")
    if kind not in RESULT_KINDS:
        raise DataFormatError(f"result kind {kind!r} unknown; allowed: {sorted(RESULT_KINDS)}")
    body = {k: v for k, v in d.items() if k != "schema_version"}
    try:
        return _adapter(RESULT_KINDS[kind]).validate_python(body)
    except ValidationError as err:
        raise DataFormatError(f"result of kind {kind!r} does not validate: {err}") from err




def _scalar_columns(prefix: str, obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if obj is None:
        return out
    for f in dataclasses.fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, bool | int | float | str) or v is None:
            out[f"{prefix}{f.name}"] = v
    return out


def _to_rows(result: Result) -> list[dict[str, Any]]:
    """One flat row per temperature with scalar columns (for tables and the sweep store)."""
    base: dict[str, Any] = {
        "design_hash": result.provenance.design_hash, "name": result.name,
        "kind": result.kind, "method": result.method, "seed": result.provenance.seed,
        "n_warnings": len(result.warnings),
    }
    if isinstance(result, CompositeResult):
        base["model"] = result.model
        base["density_g_per_cm3"] = result.density_g_per_cm3
        for ph in result.phases:
            base[f"phi_{ph.role}_{ph.name}"] = ph.volume_fraction
        base.update(_scalar_columns("modulus_", result.modulus))
    else:
        base["thickness_um"] = sum(layer.thickness_um for layer in result.layers)
        base.update(_scalar_columns("cell_", result.cell))
        if result.target is not None:
            base["target_T_K"] = result.target.T_K
    if result.window is not None:
        base["window_low_V"] = result.window.low_V
        base["window_high_V"] = result.window.high_V
        base["window_limiting_layer"] = result.window.limiting_layer
    rows = []
    for p in result.points:
        row = dict(base)
        for f in dataclasses.fields(p):
            v = getattr(p, f.name)
            if isinstance(v, tuple):
                for i, x in enumerate(v):
                    row[f"{f.name}_{i + 1}"] = x
            else:
                row[f.name] = v
        rows.append(_plain(row))
    return rows


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of :meth:`to_dict` output, for either kind."""
    from typing import Annotated

    from pydantic import Field, TypeAdapter

    adapter = TypeAdapter(Annotated[CompositeResult | StackResult, Field(discriminator="kind")])
    schema = adapter.json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hylyte evaluation result"
    schema["description"] = ("Output of Result.to_dict() / hylyte evaluate --json. Fields carry "
                             "their unit in the name; null means absent or infinite.")
    for variant in schema.get("$defs", {}).values():
        if variant.get("title") in ("CompositeResult", "StackResult"):
            variant.setdefault("properties", {})["schema_version"] = {
                "const": SCHEMA_VERSION, "type": "integer"}
            variant.setdefault("required", []).append("schema_version")
    return schema


__all__ = [
    "RESULT_KINDS",
    "SCHEMA_VERSION",
    "CellMetrics",
    "CompositePoint",
    "CompositeResult",
    "MaterialUse",
    "Modulus",
    "Phase",
    "Provenance",
    "Reference",
    "Result",
    "StackLayer",
    "StackPoint",
    "StackResult",
    "TargetASR",
    "VoxelInfo",
    "Window",
    "WindowCheck",
    "json_schema",
    "result_from_dict",
]
