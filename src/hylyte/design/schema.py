"""Structure of a design file, validated with pydantic (quantities still as strings).

A design file is TOML with a ``[design]`` table whose ``kind`` is ``"composite"`` or
``"stack"``. The models below check the *structure* only (which keys exist, their types,
closed option sets, unknown keys rejected); the quantity strings (``"400 nm"``,
``"60 degC"``) are parsed into SI floats by :mod:`hylyte.design.load`, which also resolves
material names and converts mass fractions. See ``docs/designs.md`` for every key.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Shape = Literal[
    "sphere", "fibre", "sheet", "network", "gyroid", "diamond", "primitive", "spinodal",
    "lamellar",
]
Orientation = Literal["random", "aligned", "in-plane"]
AlignAxis = Literal["through-plane", "in-plane"]
Method = Literal["analytic", "voxel", "both"]
FractionBasis = Literal["total", "polymer"]

SHAPES: tuple[str, ...] = Shape.__args__  # type: ignore[attr-defined]
FRAMEWORK_SHAPES: tuple[str, ...] = ("network", "gyroid", "diamond", "primitive", "spinodal")
TPMS_SHAPES: tuple[str, ...] = ("gyroid", "diamond", "primitive")

Quantity = str | float | int


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DesignMeta(_Strict):
    """The ``[design]`` table."""

    name: str = Field(min_length=1)
    kind: Literal["composite", "stack"]
    description: str | None = None
    seed: int | None = Field(default=None, ge=0)


class InlineLaw(_Strict):
    """An inline conductivity law for a matrix or layer that is not in the library.

    ``law`` names the form: ``"arrhenius"`` (``sigma_ref`` at ``T_ref`` and ``Ea``; ``form``
    ``"plain"`` or ``"sigmaT"``) or ``"vtf"`` (``A``, ``B``, ``T0``).
    """

    law: Literal["arrhenius", "vtf"]
    sigma_ref: Quantity | None = None
    T_ref: Quantity | None = None
    Ea: Quantity | None = None
    form: Literal["plain", "sigmaT"] = "plain"
    A: Quantity | None = None
    B: Quantity | None = None
    T0: Quantity | None = None


class MatrixSpec(_Strict):
    """The ``[matrix]`` table: a library material or an inline law."""

    material: str | None = None
    law: InlineLaw | None = None
    name: str | None = None
    density: Quantity | None = None
    rho_plus: float | None = Field(default=None, gt=0.0, le=1.0)


class InterphaseSpec(_Strict):
    """Interphase shell around each filler element (``thickness`` and one of the others)."""

    thickness: Quantity
    conductivity: Quantity | None = None
    ratio: float | None = Field(default=None, gt=0.0)
    rho_plus: float | None = Field(default=None, gt=0.0, le=1.0)


class InterfaceResistanceSpec(_Strict):
    """Li-only transfer resistance across the filler|matrix boundary."""

    asr: Quantity
    at: Quantity | None = None
    activation_energy: Quantity | None = None


class FillerSpec(_Strict):
    """One ``[[fillers]]`` entry."""

    material: str
    fraction: Quantity
    basis: FractionBasis = "total"
    shape: Shape = "sphere"
    size: Quantity | None = None
    length: Quantity | None = None
    width: Quantity | None = None
    orientation: Orientation = "random"
    axis: AlignAxis = "through-plane"
    interphase: InterphaseSpec | None = None
    interface: InterfaceResistanceSpec | None = None


class ModificationSpec(_Strict):
    """Filler-induced modification of the polymer conductivity.

    ``conductivity_factor`` is an empirical factor; ``lewis_acid_sites_mol_per_m2`` switches on
    the Lewis acid-base dissociation model (acidic surface sites free Li+ from ion pairs,
    free-ion fraction from ``alpha_0`` up to at most ``alpha_max``).
    """

    conductivity_factor: float = Field(default=1.0, gt=0.0)
    lewis_acid_sites_mol_per_m2: float | None = Field(default=None, ge=0.0)
    alpha_0: float = Field(default=0.3, gt=0.0, le=1.0)
    alpha_max: float = Field(default=0.6, gt=0.0, le=1.0)
    note: str | None = None


class VoxelSpec(_Strict):
    """Settings of the voxel path (all optional; chosen automatically when absent)."""

    voxel_size: Quantity | None = None
    box: Quantity | None = None
    max_voxels_per_axis: int | None = Field(default=None, ge=16, le=512)
    axis: Literal["x", "y", "z"] = "x"
    backend: str = "auto"


class EvaluateSpec(_Strict):
    """The ``[evaluate]`` table."""

    temperatures: list[Quantity] = Field(default_factory=lambda: ["25 degC", "60 degC"],
                                         min_length=1)
    method: Method = "analytic"
    target_asr: Quantity | None = None
    c_rate: float = Field(default=0.5, gt=0.0)
    current_density: Quantity | None = None
    voxel: VoxelSpec | None = None


class ElectrodesSpec(_Strict):
    """The ``[electrodes]`` table."""

    anode: str | None = None
    cathode: str | None = None
    cathode_capacity: Quantity | None = None
    cathode_voltage: Quantity | None = None
    cutoff_voltage: Quantity | None = None
    n_p: float = Field(default=2.0, ge=0.0)
    anode_asr: Quantity | None = None
    cathode_asr: Quantity | None = None


class CompositeFile(_Strict):
    """A composite design: one matrix with fillers."""

    design: DesignMeta
    matrix: MatrixSpec
    fillers: list[FillerSpec] = Field(default_factory=list)
    porosity: Quantity | None = None
    modification: ModificationSpec | None = None
    electrodes: ElectrodesSpec | None = None
    evaluate: EvaluateSpec = Field(default_factory=EvaluateSpec)


class LayerSpec(_Strict):
    """One ``[[layers]]`` entry: a library material or a composite (file path or table)."""

    material: str | None = None
    composite: str | dict[str, Any] | None = None
    thickness: Quantity


class InterfaceSpec(_Strict):
    """One ``[[interfaces]]`` entry between adjacent layers (1-based), or a layer and an
    electrode (``"anode"``/``"cathode"``)."""

    between: tuple[int | Literal["anode", "cathode"], int | Literal["anode", "cathode"]]
    asr: Quantity
    at: Quantity | None = None
    activation_energy: Quantity | None = None


class StackFile(_Strict):
    """A stack design: ordered layers from the anode to the cathode."""

    design: DesignMeta
    layers: list[LayerSpec] = Field(min_length=1)
    interfaces: list[InterfaceSpec] = Field(default_factory=list)
    electrodes: ElectrodesSpec | None = None
    evaluate: EvaluateSpec = Field(default_factory=EvaluateSpec)


FILE_MODELS: dict[str, type[_Strict]] = {"composite": CompositeFile, "stack": StackFile}

__all__ = [
    "FILE_MODELS",
    "FRAMEWORK_SHAPES",
    "SHAPES",
    "TPMS_SHAPES",
    "CompositeFile",
    "DesignMeta",
    "ElectrodesSpec",
    "EvaluateSpec",
    "FillerSpec",
    "InlineLaw",
    "InterfaceResistanceSpec",
    "InterfaceSpec",
    "InterphaseSpec",
    "LayerSpec",
    "MatrixSpec",
    "ModificationSpec",
    "StackFile",
    "VoxelSpec",
]
