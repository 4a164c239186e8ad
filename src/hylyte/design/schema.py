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
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class DesignMeta(_Strict):
    """The ``[design]`` table."""

    name: str = Field(min_length=1)
    """Name shown in reports and tables."""
    kind: Literal["composite", "stack"]
    """``composite`` (matrix with fillers) or ``stack`` (layers in series)."""
    description: str | None = None
    """Free text."""
    seed: int | None = Field(default=None, ge=0)
    """Seed of the voxel generator; drawn from OS entropy and recorded when absent."""


class InlineLaw(_Strict):
    """An inline conductivity law for a matrix or layer that is not in the library.

    ``law`` names the form: ``"arrhenius"`` (``sigma_ref`` at ``T_ref`` and ``Ea``; ``form``
    ``"plain"`` or ``"sigmaT"``) or ``"vtf"`` (``A``, ``B``, ``T0``).
    """

    law: Literal["arrhenius", "vtf"]
    """Form of the law."""
    sigma_ref: Quantity | None = None
    """Arrhenius: conductivity at ``T_ref`` (e.g. "1e-4 S/cm")."""
    T_ref: Quantity | None = None
    """Arrhenius: reference temperature (default 25 degC)."""
    Ea: Quantity | None = None
    """Arrhenius: activation energy ("0.35 eV" or "34 kJ/mol")."""
    form: Literal["plain", "sigmaT"] = "plain"
    """Arrhenius form: sigma = A exp(-Ea/kT) ("plain") or sigma T = A exp(-Ea/kT)."""
    A: Quantity | None = None
    """VTF prefactor (e.g. "0.4 S/cm")."""
    B: Quantity | None = None
    """VTF pseudo-activation temperature (e.g. "1100 K")."""
    T0: Quantity | None = None
    """VTF ideal glass temperature (e.g. "180 K")."""


class MatrixSpec(_Strict):
    """The ``[matrix]`` table: a library material or an inline law."""

    material: str | None = None
    """Library material name (see ``hylyte materials list``)."""
    law: InlineLaw | None = None
    """Inline conductivity law, instead of ``material``."""
    name: str | None = None
    """Display name of an inline matrix."""
    density: Quantity | None = None
    """Density (e.g. "1.2 g/cm^3"); needed for wt% loadings with an inline matrix."""
    rho_plus: float | None = Field(default=None, gt=0.0, le=1.0)
    """Bruce-Vincent current fraction of the matrix (overrides the library)."""


class InterphaseSpec(_Strict):
    """Interphase shell around each filler element (``thickness`` and one of the others)."""

    thickness: Quantity
    """Shell thickness (e.g. "3 nm")."""
    conductivity: Quantity | None = None
    """Shell conductivity (e.g. "1e-4 S/cm")."""
    ratio: float | None = Field(default=None, gt=0.0)
    """Shell conductivity as a multiple of the matrix conductivity at each temperature."""
    rho_plus: float | None = Field(default=None, gt=0.0, le=1.0)
    """Bruce-Vincent current fraction of the shell (default: the matrix's)."""


class InterfaceResistanceSpec(_Strict):
    """Li-only transfer resistance across the filler|matrix boundary."""

    asr: Quantity
    """Area-specific resistance (e.g. "100 ohm cm^2")."""
    at: Quantity | None = None
    """Temperature at which ``asr`` holds (default 25 degC)."""
    activation_energy: Quantity | None = None
    """Activation energy of the ASR (Arrhenius in T; default: temperature independent)."""


class FillerSpec(_Strict):
    """One ``[[fillers]]`` entry."""

    material: str
    """Library material name of the filler."""
    fraction: Quantity
    """Loading: "15 vol%" or "40 wt%" (converted with the densities)."""
    basis: FractionBasis = "total"
    """What a wt% refers to: the whole composite or the polymer alone."""
    shape: Shape = "sphere"
    """Filler morphology."""
    size: Quantity | None = None
    """Sphere diameter; fibre diameter; sheet thickness; scaffold unit-cell size."""
    length: Quantity | None = None
    """Fibre length (default: 20 diameters)."""
    width: Quantity | None = None
    """Sheet width (default: 50 thicknesses)."""
    orientation: Orientation = "random"
    """Orientation of fibres, sheets and lamellae."""
    axis: AlignAxis = "through-plane"
    """Alignment direction relative to the film when ``orientation = "aligned"``."""
    interphase: InterphaseSpec | None = None
    """Interphase shell around each filler element."""
    interface: InterfaceResistanceSpec | None = None
    """Li-only transfer resistance across the filler|matrix boundary."""


class ModificationSpec(_Strict):
    """Filler-induced modification of the polymer conductivity.

    ``conductivity_factor`` is an empirical factor; ``lewis_acid_sites_mol_per_m2`` switches on
    the Lewis acid-base dissociation model (acidic surface sites free Li+ from ion pairs,
    free-ion fraction from ``alpha_0`` up to at most ``alpha_max``).
    """

    conductivity_factor: float = Field(default=1.0, gt=0.0)
    """Empirical factor on the polymer conductivity."""
    lewis_acid_sites_mol_per_m2: float | None = Field(default=None, ge=0.0)
    """Areal density of Lewis-acid surface sites [mol/m^2] (switches the model on)."""
    alpha_0: float = Field(default=0.3, gt=0.0, le=1.0)
    """Free-ion fraction of the unfilled polymer."""
    alpha_max: float = Field(default=0.6, gt=0.0, le=1.0)
    """Largest free-ion fraction the surface sites can reach."""
    note: str | None = None
    """Free text (the source of these numbers)."""


class VoxelSpec(_Strict):
    """Settings of the voxel path (all optional; chosen automatically when absent)."""

    voxel_size: Quantity | None = None
    """Voxel edge (default: from the smallest feature)."""
    box: Quantity | None = None
    """Box edge (default: from a representative-volume criterion)."""
    max_voxels_per_axis: int | None = Field(default=None, ge=16, le=512)
    """Voxel budget per axis."""
    axis: Literal["x", "y", "z"] = "x"
    """Transport axis of the solve."""
    backend: str = "auto"
    """Solver backend: auto, mgpcg, pyamg, direct, torch."""


class EvaluateSpec(_Strict):
    """The ``[evaluate]`` table."""

    temperatures: list[Quantity] = Field(default_factory=lambda: ["25 degC", "60 degC"],
                                         min_length=1)
    """Temperatures to evaluate at (e.g. ["25 degC", "333 K"])."""
    method: Method = "analytic"
    """Analytic models, a voxel solve, or both side by side."""
    target_asr: Quantity | None = None
    """Stacks: find the temperature at which the ASR reaches this value."""
    c_rate: float = Field(default=0.5, gt=0.0)
    """C-rate for the ohmic drop (with a cathode capacity)."""
    current_density: Quantity | None = None
    """Current density for the ohmic drop and Sand's time (overrides ``c_rate``)."""
    voxel: VoxelSpec | None = None
    """Settings of the voxel path."""


class ElectrodesSpec(_Strict):
    """The ``[electrodes]`` table."""

    anode: str | None = None
    """Anode material (e.g. "Li")."""
    cathode: str | None = None
    """Cathode material (e.g. "NCM622")."""
    cathode_capacity: Quantity | None = None
    """Areal capacity (e.g. "3 mAh/cm^2"); enables the cell metrics."""
    cathode_voltage: Quantity | None = None
    """Mean discharge voltage (default: from the library)."""
    cutoff_voltage: Quantity | None = None
    """Upper charge cut-off (default: from the library)."""
    n_p: float = Field(default=2.0, ge=0.0)
    """Negative-to-positive capacity ratio of the Li anode (0: anode-free)."""
    anode_asr: Quantity | None = None
    """Anode|electrolyte interface ASR."""
    cathode_asr: Quantity | None = None
    """Cathode|electrolyte interface ASR."""


class CompositeFile(_Strict):
    """A composite design: one matrix with fillers."""

    design: DesignMeta
    """Name, kind and seed."""
    matrix: MatrixSpec
    """The continuous polymer phase."""
    fillers: list[FillerSpec] = Field(default_factory=list)
    """Filler populations (``[[fillers]]``)."""
    porosity: Quantity | None = None
    """Void fraction (e.g. "2 vol%"), a phase with zero conductivity."""
    modification: ModificationSpec | None = None
    """Filler-induced modification of the polymer."""
    electrodes: ElectrodesSpec | None = None
    """Electrodes for the window and cell metrics."""
    evaluate: EvaluateSpec = Field(default_factory=EvaluateSpec)
    """What to compute."""


class LayerSpec(_Strict):
    """One ``[[layers]]`` entry: a library material or a composite (file path or table)."""

    material: str | None = None
    """Library material of a single-phase layer."""
    composite: str | dict[str, Any] | None = None
    """A composite design: a file path (relative to the stack file) or an inline table."""
    thickness: Quantity
    """Layer thickness (e.g. "10 um")."""


class InterfaceSpec(_Strict):
    """One ``[[interfaces]]`` entry between adjacent layers (1-based), or a layer and an
    electrode (``"anode"``/``"cathode"``)."""

    between: tuple[int | Literal["anode", "cathode"], int | Literal["anode", "cathode"]]
    """Two adjacent layers (1-based), or a layer and "anode"/"cathode"."""
    asr: Quantity
    """Area-specific resistance (e.g. "50 ohm cm^2")."""
    at: Quantity | None = None
    """Temperature at which ``asr`` holds (default 25 degC)."""
    activation_energy: Quantity | None = None
    """Activation energy of the ASR (default: temperature independent)."""


class StackFile(_Strict):
    """A stack design: ordered layers from the anode to the cathode."""

    design: DesignMeta
    """Name, kind and seed."""
    layers: list[LayerSpec] = Field(min_length=1)
    """Layers from the anode to the cathode (``[[layers]]``)."""
    interfaces: list[InterfaceSpec] = Field(default_factory=list)
    """Interface resistances (``[[interfaces]]``)."""
    electrodes: ElectrodesSpec | None = None
    """Electrodes for the window, limiting current and cell metrics."""
    evaluate: EvaluateSpec = Field(default_factory=EvaluateSpec)
    """What to compute."""


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
