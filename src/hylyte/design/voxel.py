"""Voxel path: generate a microstructure for a composite design and solve conduction on it.

Choices (all reported in :class:`~hylyte.design.result.VoxelInfo` and its notes):

* voxel size: the smallest solid feature (sphere or fibre diameter, sheet or wall thickness,
  scaffold strut) gets :data:`VOXELS_ACROSS` voxels, never fewer than
  :data:`MIN_VOXELS_ACROSS` unless the budget forces it (then a note says so);
* box: :data:`RVE_FACTOR` times the largest feature (particle, fibre length, sheet width,
  scaffold cell), capped by the voxel budget (``max_voxels_per_axis``, default
  :data:`DEFAULT_MAX_VOXELS`); a box below :data:`MIN_RVE_FACTOR` largest features is
  flagged;
* interphase: resolved as its own phase when at least :data:`RESOLVED_INTERPHASE_VOXELS`
  voxels thick, otherwise sub-voxel (sheet conductance sigma_i t and the interface ASR on
  filler|matrix faces, PHYSICS 8.6, with the staircase-bias caveat);
* solve: periodic-free lab-like boundary conditions along the transport axis (x), the
  geometry and operator set up once; only the phase conductivities change with T; each T
  is solved twice (ohmic and steady state) for t+ (PHYSICS 8.9).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from hylyte.design import analytic
from hylyte.design import model as m
from hylyte.design import result as res
from hylyte.errors import DesignError

VOXELS_ACROSS = 6.0  # target voxels across the smallest feature [-]
MIN_VOXELS_ACROSS = 4.0  # below this the geometry is under-resolved [-]
RVE_FACTOR = 6.0  # target box edge / largest feature [-]
MIN_RVE_FACTOR = 3.0  # below this the box is flagged as too small [-]
DEFAULT_MAX_VOXELS = 64  # default voxel budget per axis [-]
RESOLVED_INTERPHASE_VOXELS = 3.0  # interphase resolved when this many voxels thick [-]
MIN_VOXELS_PER_AXIS = 24  # smallest box the path builds [-]

POLYMER, FILLER, INTERPHASE = "polymer", "filler", "interphase"


@dataclass(frozen=True)
class Plan:
    """Voxel size, box and what drove them."""

    voxel_size_m: float
    n: int
    smallest_m: float
    largest_m: float
    interphase: str
    notes: tuple[str, ...]

    @property
    def box_m(self) -> float:
        """Box edge [m]."""
        return self.n * self.voxel_size_m


@dataclass(frozen=True)
class VoxelOutcome:
    """What :func:`solve_design` hands back to the evaluator."""

    info: res.VoxelInfo
    point_fields: list[dict[str, Any]]
    artifacts: dict[str, Any]
    models: tuple[Any, ...]


def _features(f: m.Filler, phi: float) -> tuple[float, float]:
    """(smallest solid feature, largest feature) [m] of a filler population."""
    size = f.size_m if f.size_m is not None else 1e-6
    if f.shape == "sphere":
        return size, size
    if f.shape == "fibre":
        length = f.length_m if f.length_m is not None else analytic.DEFAULT_FIBRE_ASPECT * size
        return size, length
    if f.shape == "sheet":
        width = f.width_m if f.width_m is not None else size / analytic.DEFAULT_SHEET_ASPECT
        return size, width
    if f.shape == "network":
        return size, 10.0 * size
    if f.shape == "lamellar":
        spacing = size / max(phi, 1e-6)
        return min(size, spacing - size), spacing
    # TPMS / spinodal: size is the cell or wavelength; struts are a fraction of it
    strut = size * min(phi, 1.0 - phi) / 2.0
    return strut, size


def plan(design: m.CompositeDesign) -> Plan:
    """Choose the voxel size, box and interphase treatment for a one-filler composite.

    Parameters
    ----------
    design
        A composite design with exactly one filler population.

    Returns
    -------
    Plan
    """
    if len(design.fillers) != 1:
        raise DesignError(f"{design.source or 'design'}: fillers: the voxel path handles one "
                          f"filler population, got {len(design.fillers)}; use method "
                          "'analytic'")
    f = design.fillers[0]
    vs = design.evaluate.voxel
    cap = vs.max_voxels_per_axis or DEFAULT_MAX_VOXELS
    phi = f.fraction
    small, large = _features(f, phi)
    notes: list[str] = []
    if vs.voxel_size_m is not None:
        h = vs.voxel_size_m
        notes.append(f"voxel size {h * 1e6:.4g} um set in the design")
    else:
        h = small / VOXELS_ACROSS
    if vs.box_m is not None:
        box = vs.box_m
        notes.append(f"box {box * 1e6:.4g} um set in the design")
    else:
        box = RVE_FACTOR * large
    n = math.ceil(box / h)
    if n > cap and vs.voxel_size_m is None:
        h_min_res = small / MIN_VOXELS_ACROSS
        h = max(h, min(h_min_res, box / cap))
        n = math.ceil(box / h)
    if n > cap:
        n = cap
        notes.append(f"box capped by the voxel budget ({cap}^3)")
    n = max(n, min(MIN_VOXELS_PER_AXIS, cap))
    across = small / h
    if across < MIN_VOXELS_ACROSS:
        notes.append(f"smallest feature only {across:.1f} voxels across (< "
                     f"{MIN_VOXELS_ACROSS:.0f}): under-resolved, expect a discretisation bias")
    ratio = n * h / large
    if ratio < MIN_RVE_FACTOR and f.shape not in ("gyroid", "diamond", "primitive"):
        notes.append(f"box is only {ratio:.2f} x the largest feature (< {MIN_RVE_FACTOR:.0f}): "
                     "not a representative volume; raise max_voxels_per_axis or accept "
                     "realisation-to-realisation scatter")
    if f.shape == "sheet" and large > 0.9 * n * h:
        notes.append(f"sheets ({large * 1e6:.3g} um wide) do not fit the box "
                     f"({n * h * 1e6:.3g} um): they are cut to 0.9 x the box")
    if f.shape == "fibre" and large > n * h:
        notes.append(f"fibres ({large * 1e6:.3g} um) are longer than the box "
                     f"({n * h * 1e6:.3g} um): aligned fibres become continuous periodic "
                     "columns, random ones are cut to the box")
    if f.shape == "lamellar" and f.orientation == "random":
        notes.append("random lamellae: the box holds one domain with walls along the "
                     "transport axis (an upper estimate of the random-domain average)")
    if f.shape in ("gyroid", "diamond", "primitive") and ratio < 1.0:
        notes.append(f"box holds less than one unit cell ({ratio:.2f})")
    ip = "none"
    if f.interphase is not None and f.interphase.thickness_m > 0:
        if f.interphase.thickness_m >= RESOLVED_INTERPHASE_VOXELS * h:
            ip = "resolved"
        else:
            ip = "sub-voxel"
            notes.append("interphase thinner than 3 voxels: sub-voxel sheet conductance on "
                         "filler|polymer faces; on curved (staircase) surfaces this recovers "
                         "only part of the tangential conduction (PHYSICS 8.6)")
    return Plan(h, n, small, large, ip, tuple(notes))


def generate(design: m.CompositeDesign, p: Plan, *, seed: int) -> Any:
    """The voxel volume of a one-filler composite (labels 0 polymer, 1 filler, 2 interphase)."""
    from hylyte.microstructure import fibres as fib
    from hylyte.microstructure import frameworks, particles, sheets

    f = design.fillers[0]
    phi = f.fraction
    phases = {0: POLYMER, 1: FILLER}
    common: dict[str, Any] = {"voxel_size": p.voxel_size_m, "shape": (p.n, p.n, p.n),
                              "phases": phases}
    size = f.size_m if f.size_m is not None else 1e-6
    aligned = f.orientation == "aligned"
    through = f.axis == "through-plane"
    ax_t = design.evaluate.voxel.axis  # transport (through-plane) axis of the solve
    ax_i = "y" if ax_t != "y" else "z"  # an in-plane axis
    if f.shape == "sphere":
        if aligned:
            vol = particles.particle_chains(diameter=size, fraction=phi,
                                            axis=ax_t if through else ax_i, rng=seed,
                                            **common)
        else:
            vol = particles.spheres(diameter=size, fraction=phi, periodic=True, rng=seed,
                                    **common)
    elif f.shape == "fibre":
        length = f.length_m if f.length_m is not None else analytic.DEFAULT_FIBRE_ASPECT * size
        axis = None
        if aligned or f.orientation == "in-plane":
            axis = ax_t if (aligned and through) else ax_i
        # fibres longer than the box: aligned ones become continuous periodic columns, random
        # ones are cut to the box (a note in the plan says so)
        length = min(length, p.box_m if axis is not None else 0.9 * p.box_m)
        vol = fib.fibres(diameter=size, length=length, fraction=phi, axis=axis, periodic=True,
                         rng=seed, **common)
    elif f.shape == "sheet":
        width = f.width_m if f.width_m is not None else size / analytic.DEFAULT_SHEET_ASPECT
        normal = None
        if aligned or f.orientation == "in-plane":
            normal = ax_i if (aligned and through) else ax_t
        width = min(width, 0.9 * p.box_m)  # wider sheets are cut to the box (plan note)
        vol = sheets.platelets(diameter=width, thickness=size, fraction=phi,
                               normal_axis=normal, periodic=True, rng=seed, **common)
    elif f.shape == "network":
        vol = frameworks.fibre_network(diameter=size, fraction=phi, periodic=True, rng=seed,
                                       **common)
    elif f.shape in ("gyroid", "diamond", "primitive"):
        vol = frameworks.tpms(kind=f.shape, cell_size=size, fraction=phi, **common)
    elif f.shape == "spinodal":
        vol = frameworks.spinodal(wavelength=size, fraction=phi, periodic=True, rng=seed,
                                  **common)
    elif f.shape == "lamellar":
        walls_along = (aligned and through) or f.orientation == "random"
        normal = ax_i if walls_along else ax_t
        freeze = ax_t if walls_along else ax_i
        vol = frameworks.lamellar(spacing=size / phi, fraction=phi, normal=normal,
                                  freeze_axis=freeze, rng=seed, **common)
    else:  # pragma: no cover - the schema closes the set
        raise DesignError(f"fillers[0].shape: no generator for {f.shape!r}")
    if p.interphase == "resolved":
        from hylyte.microstructure.interphase import add_interphase

        vol = add_interphase(vol, thickness=f.interphase.thickness_m, around=FILLER,
                             into=POLYMER, name=INTERPHASE)
    return vol


def _conductivities(design: m.CompositeDesign, ps: analytic.PhaseSigmas, k: int,
                    rho_plus: float | None) -> dict[str, float]:
    f = design.fillers[0]
    sp = float(ps.polymer[k])
    si = ps.interphase[0]
    out = {POLYMER: sp, FILLER: float(ps.filler[0][k])}
    out[INTERPHASE] = sp if si is None else float(si[k])
    if rho_plus is not None:
        out[POLYMER] *= rho_plus
        rpi = rho_plus if f.interphase is None or f.interphase.rho_plus is None else \
            f.interphase.rho_plus
        out[INTERPHASE] *= rpi
    return out


def _with_interfaces(vol: Any, design: m.CompositeDesign, ps: analytic.PhaseSigmas, k: int,
                     p: Plan, sigma_i: float) -> Any:
    """Sub-voxel interface properties at temperature index k (ASR and sheet conductance)."""
    f = design.fillers[0]
    R = float(ps.R_int[0][k])
    sheet = 0.0
    if p.interphase == "sub-voxel":
        sheet = sigma_i * f.interphase.thickness_m
    if R == 0.0 and sheet == 0.0:
        return vol
    partner = INTERPHASE if p.interphase == "resolved" else POLYMER
    return vol.with_interface(FILLER, partner, asr_ohm_m2=R, sheet_conductance_S=sheet)


def solve_design(design: m.CompositeDesign, T: np.ndarray, ps: analytic.PhaseSigmas, *,
                 rho_plus: float, seed: int, progress: Any = None) -> VoxelOutcome:
    """Generate the volume once and solve it at every temperature (ohmic and steady state).

    Parameters
    ----------
    design
        One-filler composite.
    T
        Temperatures [K].
    ps
        Phase conductivities at ``T`` (from :func:`analytic.phase_sigmas`) [S/m].
    rho_plus
        Polymer rho+ for the steady-state solve [-].
    seed
        Seed of the generator.
    progress
        Optional callable receiving progress lines.

    Returns
    -------
    VoxelOutcome
    """
    from hylyte.solve import Solver

    t0 = time.perf_counter()
    p = plan(design)
    say = progress if progress is not None else (lambda _msg: None)
    say(f"{design.name}: voxel path, {p.n}^3 voxels of {p.voxel_size_m * 1e9:.4g} nm "
        f"(box {p.box_m * 1e6:.4g} um, {p.smallest_m / p.voxel_size_m:.1f} voxels across the "
        f"smallest feature, box/largest feature {p.box_m / p.largest_m:.2f}, interphase "
        f"{p.interphase})")
    vol = generate(design, p, seed=seed)
    say(f"{design.name}: volume generated ({time.perf_counter() - t0:.1f} s); solving at "
        f"{len(T)} temperature(s), ohmic and steady state")
    axis = design.evaluate.voxel.axis
    backend = design.evaluate.voxel.backend
    solvers: dict[Any, Any] = {}  # one set-up per distinct set of interface properties

    def solver_for(v: Any) -> Any:
        key = tuple(sorted((k_, (ip.asr_ohm_m2, ip.sheet_conductance_S))
                           for k_, ip in v.interfaces.items()))
        if key not in solvers:
            solvers[key] = Solver(v, axis=axis, backend=backend)
        return solvers[key]

    names = set(vol.phases.values())
    fields: list[dict[str, Any]] = []
    tau: float | None = None
    last = None
    used_backend = backend
    for k in range(len(T)):
        sig_o = _conductivities(design, ps, k, None)
        sig_s = _conductivities(design, ps, k, rho_plus)
        vo = _with_interfaces(vol, design, ps, k, p, sig_o[INTERPHASE])
        vs_ = _with_interfaces(vol, design, ps, k, p, sig_s[INTERPHASE])
        sig_o = {k_: v for k_, v in sig_o.items() if k_ in names}
        sig_s = {k_: v for k_, v in sig_s.items() if k_ in names}
        final = k == len(T) - 1
        h_o = solver_for(vo).solve(sig_o, tortuosity=k == 0, return_fields=final)
        h_s = solver_for(vs_).solve(sig_s, tortuosity=False)
        if k == 0:
            tau = _tortuosity(h_o, FILLER)
        last = h_o
        used_backend = _backend_name(h_o, backend)
        fr = _fractions(h_o)
        sig_eff = _sigma_eff(h_o)
        fields.append({
            "voxel_conductivity_S_per_cm": sig_eff * 0.01,
            "voxel_t_plus": _sigma_eff(h_s) / sig_eff if sig_eff > 0 else None,
            "voxel_fraction_polymer": fr.get(POLYMER, 0.0),
            "voxel_fraction_interphase": fr.get(INTERPHASE, 0.0),
            "voxel_fraction_ceramic": fr.get(FILLER, 0.0),
            "voxel_tortuosity_ceramic": tau,
        })
        say(f"{design.name}: T = {T[k] - 273.15:.0f} degC solved "
            f"({time.perf_counter() - t0:.1f} s)")
    fr_vol = {str(k_): float(v) for k_, v in vol.volume_fractions().items()}
    info = res.VoxelInfo(
        voxel_size_um=p.voxel_size_m * 1e6, shape=tuple(int(x) for x in vol.shape),
        box_um=p.box_m * 1e6, axis=design.evaluate.voxel.axis, backend=used_backend,
        smallest_feature_um=p.smallest_m * 1e6, largest_feature_um=p.largest_m * 1e6,
        voxels_across_smallest=p.smallest_m / p.voxel_size_m,
        box_over_largest=p.box_m / p.largest_m, interphase=p.interphase,  # type: ignore[arg-type]
        volume_fractions=fr_vol, generator=str(vol.metadata.get("generator", "")),
        seed=int(seed), wall_time_s=time.perf_counter() - t0, notes=p.notes)
    k_ax = "xyz".index(axis)
    labels_t = np.moveaxis(vol.labels, k_ax, 0)  # transport axis first
    mid = labels_t.shape[2] // 2
    artifacts = {"slice": np.array(labels_t[:, :, mid]), "phases": dict(vol.phases),
                 "voxel_size_um": p.voxel_size_m * 1e6}
    cur = _current_slice(last, mid, k_ax)
    if cur is not None:
        artifacts["current"] = cur
    from hylyte.solve import homogenize

    return VoxelOutcome(info, fields, artifacts, (Solver.solve, homogenize))


# ----------------------------------------------------------------- solver result access
def _sigma_eff(h: Any) -> float:
    for name in ("sigma_eff", "sigma", "conductivity"):
        if hasattr(h, name):
            return float(np.asarray(getattr(h, name)))
    raise AttributeError("homogenize result has no effective conductivity")


def _fractions(h: Any) -> dict[str, float]:
    for name in ("current_fraction", "phase_current_fractions", "current_fractions"):
        if hasattr(h, name):
            return {str(k): float(v) for k, v in dict(getattr(h, name)).items()}
    return {}


def _tortuosity(h: Any, phase: str) -> float | None:
    tau = getattr(h, "tortuosity", None)
    if tau is None:
        return None
    v = dict(tau).get(phase) if isinstance(tau, dict) else None
    return None if v is None or not np.isfinite(v) else float(v)


def _backend_name(h: Any, default: str) -> str:
    rep = getattr(h, "report", None)
    return str(getattr(rep, "backend", default)) if rep is not None else default


def _current_slice(h: Any, mid: int, k_ax: int) -> np.ndarray | None:
    """Current density along the transport axis on the mid slice (transport axis first)."""
    arr = getattr(h, "current_density", None)
    if arr is None:
        return None
    a = np.asarray(arr)
    if a.ndim != 4:
        return None
    return np.array(np.moveaxis(a[k_ax], k_ax, 0)[:, :, mid])


__all__ = ["Plan", "VoxelOutcome", "generate", "plan", "solve_design"]
