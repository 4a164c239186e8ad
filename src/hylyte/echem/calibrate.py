"""Calibrate model parameters of a composite design against measured conductivity vs T.

The forward model is the design layer's analytic composite estimate
(:func:`hylyte.design.analytic.estimate`, through-plane conductivity). Chosen parameters are
fitted by least squares in ``ln sigma`` (PHYSICS 1.5: conductivity errors are multiplicative)
with :func:`scipy.optimize.least_squares` in log-parameter space with bounds. Several
loadings (or particle sizes) are fitted at once when the data carry a ``fraction`` (or
``size``) column: every row is predicted by the design with that filler loading.

Uncertainties come from the Jacobian at the optimum: ``C = s^2 (J^T J)^-1`` in log-parameter
space (``s^2`` the residual variance when no ``sigma_err`` column is given, else 1),
mapped to linear parameters by the delta method (``std = p sqrt(C_ii)``); the 95 % interval
is ``p exp(+-t_{0.975, n-k} sqrt(C_ii))`` (Student t, n points, k parameters).

Identifiability is checked on the correlation matrix (``|r| > 0.95`` is flagged) and on
parameters the data cannot constrain (a 95 % interval wider than a factor of 100, or a
Jacobian column that is numerically zero). PHYSICS 3.7: with one particle size only
``sigma_c / (1 + 2 R_int sigma_c / d)`` is identifiable; PHYSICS 3.6: for a thin
interphase only the sheet conductance ``sigma_i t`` is.

The module also holds the one-parameter root solve used by :mod:`hylyte.audit`
(:func:`solve_parameter`): the value of one parameter that reproduces one conductivity.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hylyte import units
from hylyte.errors import DataFormatError, DesignError, HylyteError, InputError

DEFAULT_INTERPHASE_THICKNESS_M = 3e-9  # PHYSICS 10: t = 3 nm when a fit adds an interphase [m]
CORRELATION_LIMIT = 0.95  # |r| above this flags a pair as not separately identifiable [-]
UNCONSTRAINED_CI_FACTOR = 100.0  # a 95 % interval wider than this factor: not constrained [-]
RESTART_RMS = 0.1  # rms ln-residual above which the fit restarts from other points [-]
NOMINAL_LOG_SCATTER = 0.01  # scatter assumed for the identifiability check of exact fits [-]


@dataclass(frozen=True)
class ParameterSpec:
    """A calibratable design parameter.

    Attributes
    ----------
    name : str
        Name used on the command line (``interphase.conductivity``).
    kind : str
        Quantity kind of :mod:`hylyte.units` (``conductivity``, ``length``, ...).
    unit : str
        Unit used for display (``S/cm``, ``nm``, ...).
    lower, upper : float
        Default fit bounds in the internal SI unit; the fit works on ``ln p``.
    description : str
        One line.
    """

    name: str
    kind: str
    unit: str
    lower: float
    upper: float
    description: str


PARAMETERS: dict[str, ParameterSpec] = {p.name: p for p in (
    ParameterSpec("interphase.conductivity", "conductivity", "S/cm", 1e-10, 1e4,
                  "interphase (shell) conductivity sigma_i [S/m]"),
    ParameterSpec("interphase.thickness", "length", "nm", 1e-10, 1e-6,
                  "interphase (shell) thickness t [m]"),
    ParameterSpec("interphase.sheet_conductance", "sheet_conductance", "S", 1e-20, 1e-3,
                  "interphase sheet conductance sigma_i t at fixed t [S]"),
    ParameterSpec("interphase.ratio", "dimensionless", "", 1e-3, 1e6,
                  "interphase conductivity relative to the polymer, sigma_i / sigma_p [-]"),
    ParameterSpec("interface.asr", "asr", "ohm cm^2", 1e-10, 1e2,
                  "filler|polymer interface ASR R_int at its reference temperature [ohm m^2]"),
    ParameterSpec("interface.activation_energy", "energy", "eV", 1e-3, 3.0,
                  "activation energy of the interface ASR [eV]"),
    ParameterSpec("matrix.A", "conductivity", "S/m", 1e-6, 1e8,
                  "VTF prefactor A of the matrix (no T^-1/2 prefactor) [S/m]"),
    ParameterSpec("matrix.B", "temperature", "K", 10.0, 1e5,
                  "VTF pseudo-activation temperature B of the matrix [K]"),
    ParameterSpec("matrix.T0", "temperature", "K", 1.0, 400.0,
                  "VTF ideal glass temperature T0 of the matrix [K]"),
    ParameterSpec("matrix.sigma_ref", "conductivity", "S/cm", 1e-14, 1e4,
                  "Arrhenius conductivity of the matrix at its reference temperature [S/m]"),
    ParameterSpec("matrix.Ea", "energy", "eV", 1e-3, 3.0,
                  "Arrhenius activation energy of the matrix [eV]"),
    ParameterSpec("matrix.conductivity_factor", "dimensionless", "", 1e-6, 1e6,
                  "filler-induced modification of the polymer conductivity [-]"),
    ParameterSpec("filler.conductivity_factor", "dimensionless", "", 1e-8, 1e4,
                  "factor on the library conductivity law of the filler (its prefactor) [-]"),
)}

_FILLER_PREFIX = re.compile(r"^fillers\[(\d+)\]\.(.+)$")


def parameter_names() -> tuple[str, ...]:
    """Names of the parameters :func:`calibrate` accepts (``fillers[i].`` may prefix the
    filler ones to address another filler than the first)."""
    return tuple(PARAMETERS)


# --------------------------------------------------------------------------- model state
@dataclass(frozen=True)
class ModelState:
    """A composite design plus factors the design file cannot express.

    Attributes
    ----------
    design : CompositeDesign
        The design (its parameters are changed with :func:`dataclasses.replace`).
    filler_factors : tuple of float
        Factor on each filler's library conductivity [-] (1 = the library law). This is an
        adapter: the design schema has no per-filler conductivity override, so a fitted
        factor is reported and written as a comment in the calibrated file.
    """

    design: Any
    filler_factors: tuple[float, ...] = ()

    def factor(self, i: int) -> float:
        """Conductivity factor of filler ``i`` [-]."""
        return self.filler_factors[i] if i < len(self.filler_factors) else 1.0


def _split(name: str) -> tuple[str, int]:
    """(canonical name, filler index) of a parameter name; raises with the allowed list."""
    idx = 0
    base = name.strip()
    mt = _FILLER_PREFIX.match(base)
    if mt:
        idx = int(mt.group(1))
        base = "filler." + mt.group(2) if mt.group(2) == "conductivity_factor" else mt.group(2)
        if not base.startswith(("interphase.", "interface.", "filler.")):
            raise InputError(f"params: {name!r} is not a filler parameter; allowed after "
                             f"'fillers[i].': interphase.*, interface.*, conductivity_factor")
    if base not in PARAMETERS:
        raise InputError(f"params: unknown parameter {name!r}; allowed: "
                         f"{', '.join(PARAMETERS)} (filler parameters may be prefixed with "
                         "'fillers[i].')")
    return base, idx


def _composite(design: Any) -> Any:
    from hylyte.design.model import CompositeDesign

    if not isinstance(design, CompositeDesign):
        raise DesignError(f"calibration needs a composite design, got a "
                          f"{getattr(design, 'kind', type(design).__name__)!r} design")
    return design


def _filler(design: Any, idx: int, name: str) -> Any:
    if idx >= len(design.fillers):
        raise InputError(f"params: {name!r} refers to filler {idx}, but the design has "
                         f"{len(design.fillers)} filler(s)")
    return design.fillers[idx]


def _matrix_law(design: Any) -> Any:
    """The matrix law as a design InlineLaw (library VTF/semicrystalline laws converted)."""
    from hylyte.design import model as m

    mx = design.matrix
    if mx.law is not None:
        return mx.law
    from hylyte.design import _materials

    mat = _materials.get(mx.material)
    law = mat.law
    kind = getattr(law, "kind", "")
    if kind == "vtf":
        return m.InlineLaw(law="vtf", A_S_per_m=law.A, B_K=law.B, T0_K=law.T0)
    if kind == "semicrystalline_peo":
        h = law.high
        return m.InlineLaw(law="vtf", A_S_per_m=h.A, B_K=h.B, T0_K=h.T0)
    if kind == "arrhenius":
        return m.InlineLaw(law="arrhenius", sigma_ref_S_per_m=law.sigma_ref, T_ref_K=law.T_ref,
                           Ea_eV=law.Ea, form="plain" if law.form == "sigma" else "sigmaT")
    raise InputError(f"params: the matrix law of {mx.material!r} ({kind!r}) has no VTF or "
                     "Arrhenius parameters to fit; allowed: vtf, arrhenius, "
                     "semicrystalline_peo (amorphous branch)")


def _inline_matrix(design: Any, law: Any) -> Any:
    from hylyte.design import _materials
    from hylyte.design import model as m

    mx = design.matrix
    if mx.law is not None:
        return dataclasses.replace(mx, law=law)
    mat = _materials.get(mx.material)
    rp = mx.rho_plus if mx.rho_plus is not None else _materials.rho_plus(mat)
    dens = mx.density_kg_per_m3 if mx.density_kg_per_m3 is not None else \
        _materials.density(mat)
    return m.Matrix(name=mx.name, law=law, density_kg_per_m3=dens,
                    rho_plus=1.0 if rp is None else rp)


def get_parameter(state: ModelState, name: str) -> float:
    """Current value of parameter ``name`` in the internal SI unit.

    Parameters
    ----------
    state : ModelState
        Design and extra factors.
    name : str
        One of :func:`parameter_names` (optionally ``fillers[i].`` prefixed).

    Returns
    -------
    float
        The value [SI unit of the parameter]; NaN when the design does not set it (an
        interphase or interface the design does not have).
    """
    base, idx = _split(name)
    d = _composite(state.design)
    if base.startswith("matrix."):
        if base == "matrix.conductivity_factor":
            return float(d.sigma_factor)
        law = _matrix_law(d)
        attr = {"matrix.A": "A_S_per_m", "matrix.B": "B_K", "matrix.T0": "T0_K",
                "matrix.sigma_ref": "sigma_ref_S_per_m", "matrix.Ea": "Ea_eV"}[base]
        v = getattr(law, attr)
        return math.nan if v is None else float(v)
    f = _filler(d, idx, name)
    if base == "filler.conductivity_factor":
        return state.factor(idx)
    if base.startswith("interphase."):
        ip = f.interphase
        if ip is None:
            return math.nan
        if base == "interphase.thickness":
            return float(ip.thickness_m)
        if base == "interphase.ratio":
            return math.nan if ip.ratio is None else float(ip.ratio)
        if ip.sigma_S_per_m is None:
            return math.nan
        if base == "interphase.conductivity":
            return float(ip.sigma_S_per_m)
        return float(ip.sigma_S_per_m * ip.thickness_m)
    itf = f.interface
    if itf is None:
        return math.nan
    return float(itf.asr_ohm_m2 if base == "interface.asr" else itf.Ea_eV)


def set_parameter(state: ModelState, name: str, value: float) -> ModelState:
    """A new state with parameter ``name`` set to ``value`` [SI].

    Missing structures are created: an interphase gets ``t = 3 nm`` (PHYSICS 10) when its
    conductivity is set; an interface ASR is referenced to 25 degC.

    Raises
    ------
    InputError
        Unknown name (with the allowed list), a filler index out of range, or a
        non-finite or negative value.
    """
    from hylyte.design import model as m

    base, idx = _split(name)
    d = _composite(state.design)
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{name}: got {value!r}; allowed: a finite value >= 0")
    if base == "matrix.conductivity_factor":
        if value <= 0:
            raise InputError(f"{name}: got {value!r}; allowed: > 0")
        return dataclasses.replace(state, design=dataclasses.replace(d, sigma_factor=value))
    if base.startswith("matrix."):
        law = _matrix_law(d)
        vtf = base in ("matrix.A", "matrix.B", "matrix.T0")
        if vtf != (law.law == "vtf"):
            need = "a VTF" if vtf else "an Arrhenius"
            raise InputError(f"params: {name!r} needs {need} matrix law, the design's matrix "
                             f"law is {law.law!r}")
        attr = {"matrix.A": "A_S_per_m", "matrix.B": "B_K", "matrix.T0": "T0_K",
                "matrix.sigma_ref": "sigma_ref_S_per_m", "matrix.Ea": "Ea_eV"}[base]
        new = dataclasses.replace(law, **{attr: value})
        return dataclasses.replace(state, design=dataclasses.replace(
            d, matrix=_inline_matrix(d, new)))
    f = _filler(d, idx, name)
    if base == "filler.conductivity_factor":
        facs = [state.factor(i) for i in range(len(d.fillers))]
        facs[idx] = value
        return dataclasses.replace(state, filler_factors=tuple(facs))
    if base.startswith("interphase."):
        ip = f.interphase or m.Interphase(thickness_m=DEFAULT_INTERPHASE_THICKNESS_M,
                                          sigma_S_per_m=None, ratio=1.0)
        if base == "interphase.thickness":
            ip = dataclasses.replace(ip, thickness_m=value)
        elif base == "interphase.ratio":
            ip = dataclasses.replace(ip, ratio=value, sigma_S_per_m=None)
        elif base == "interphase.conductivity":
            ip = dataclasses.replace(ip, sigma_S_per_m=value, ratio=None)
        else:
            if ip.thickness_m <= 0:
                raise InputError(f"{name}: the interphase thickness must be > 0")
            ip = dataclasses.replace(ip, sigma_S_per_m=value / ip.thickness_m, ratio=None)
        nf = dataclasses.replace(f, interphase=ip)
    else:
        itf = f.interface or m.InterfaceResistance(asr_ohm_m2=0.0, T_ref_K=units.celsius(25.0))
        if base == "interface.asr":
            itf = dataclasses.replace(itf, asr_ohm_m2=value)
        else:
            itf = dataclasses.replace(itf, Ea_eV=value)
        nf = dataclasses.replace(f, interface=itf)
    fillers = list(d.fillers)
    fillers[idx] = nf
    return dataclasses.replace(state, design=dataclasses.replace(d, fillers=tuple(fillers)))


# --------------------------------------------------------------------------- forward model
def forward_estimate(state: ModelState, T: Any, *, polymer_factor: float = 1.0,
                     filler_factors: Sequence[float] | None = None,
                     messages: list[str] | None = None) -> tuple[Any, Any]:
    """Phase conductivities and analytic composite estimate of the state at ``T``.

    Parameters
    ----------
    state : ModelState
        Design and filler factors.
    T : array_like
        Temperatures [K].
    polymer_factor : float, optional
        Extra factor on the polymer conductivity (used by the audit to move the polymer
        over its literature range); ratio-based interphases follow it [-].
    filler_factors : sequence of float, optional
        Extra factors on each filler's conductivity (multiplied with the state's) [-].
    messages : list of str, optional
        Receives the validity warnings of the models (they are not re-emitted).

    Returns
    -------
    (PhaseSigmas, CompositeEstimate)
        From :mod:`hylyte.design.analytic`; conductivities in [S/m].
    """
    from hylyte.design import analytic

    d = _composite(state.design)
    T = np.atleast_1d(np.asarray(T, dtype=float))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ps = analytic.phase_sigmas(d, T)
        facs = [state.factor(i) * (1.0 if filler_factors is None else filler_factors[i])
                for i in range(len(d.fillers))]
        if polymer_factor != 1.0 or any(x != 1.0 for x in facs):
            inter = [None if si is None else (
                si * polymer_factor if f.interphase.sigma_S_per_m is None else si)
                for f, si in zip(d.fillers, ps.interphase, strict=True)]
            ps = dataclasses.replace(
                ps, polymer=ps.polymer * polymer_factor, interphase=inter,
                filler=[s * k for s, k in zip(ps.filler, facs, strict=True)])
        est = analytic.estimate(d, ps)
    if messages is not None:
        for w in caught:
            msg = str(w.message)
            if msg not in messages:
                messages.append(msg)
    return ps, est


def forward_sigma(state: ModelState, T: Any, *, polymer_factor: float = 1.0,
                  filler_factors: Sequence[float] | None = None,
                  messages: list[str] | None = None) -> np.ndarray:
    """Analytic through-plane conductivity of the state's composite at ``T``.

    Parameters are those of :func:`forward_estimate`.

    Returns
    -------
    ndarray
        Conductivity [S/m], same shape as ``np.atleast_1d(T)``.
    """
    _, est = forward_estimate(state, T, polymer_factor=polymer_factor,
                              filler_factors=filler_factors, messages=messages)
    return np.asarray(est.sigma_through, dtype=float)


def solve_parameter(state: ModelState, name: str, target_sigma: float, T: float, *,
                    lower: float | None = None, upper: float | None = None,
                    polymer_factor: float = 1.0,
                    filler_factors: Sequence[float] | None = None) -> float | None:
    """The value of one parameter that reproduces ``target_sigma`` at ``T`` (1-D root).

    Brent's method on ``ln p`` between ``lower`` and ``upper`` (the parameter's default
    bounds when not given).

    Parameters
    ----------
    state : ModelState
        Design and filler factors.
    name : str
        Parameter to solve for.
    target_sigma : float
        Conductivity to reproduce [S/m].
    T : float
        Temperature [K].
    lower, upper : float, optional
        Bracket [SI unit of the parameter].
    polymer_factor, filler_factors : optional
        Passed to :func:`forward_sigma`.

    Returns
    -------
    float or None
        The value [SI], or None when no value in the bracket reproduces the target.
    """
    from scipy.optimize import brentq

    base, _ = _split(name)
    spec = PARAMETERS[base]
    lo = spec.lower if lower is None else lower
    hi = spec.upper if upper is None else upper
    if not (target_sigma > 0 and lo > 0 and hi > lo):
        raise InputError(f"solve_parameter: need target_sigma > 0 and 0 < lower < upper, got "
                         f"{target_sigma!r}, [{lo!r}, {hi!r}]")
    ln_target = math.log(target_sigma)

    def g(x: float) -> float:
        s = float(forward_sigma(set_parameter(state, name, math.exp(x)), T,
                                polymer_factor=polymer_factor,
                                filler_factors=filler_factors)[0])
        return (math.log(s) if s > 0 else -1e3) - ln_target

    a, b = math.log(lo), math.log(hi)
    try:
        ga, gb = g(a), g(b)
    except HylyteError:
        return None
    if ga == 0:
        return lo
    if gb == 0:
        return hi
    if ga * gb > 0:
        return None
    return float(math.exp(brentq(g, a, b, xtol=1e-10, rtol=1e-10, maxiter=200)))


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class CalibrationData:
    """Measured conductivity vs temperature, optionally for several loadings.

    Attributes
    ----------
    T_K : ndarray
        Temperatures [K].
    sigma_S_per_m : ndarray
        Conductivities [S/m].
    rel_err : ndarray or None
        Relative (log) standard errors ``sigma_err / sigma`` [-], or None.
    group : ndarray of int
        Index into ``variants`` for every row.
    variants : tuple of dict
        Per group, the design overrides: ``{"fraction": "10 vol%"}`` and/or
        ``{"size": "400 nm"}`` (empty dict: the design as given).
    source : str
        File name for messages.
    """

    T_K: np.ndarray
    sigma_S_per_m: np.ndarray
    rel_err: np.ndarray | None = None
    group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    variants: tuple[dict[str, str], ...] = ({},)
    source: str = "<data>"

    def __post_init__(self) -> None:
        n = len(self.T_K)
        if len(self.group) != n:
            object.__setattr__(self, "group", np.zeros(n, dtype=int))


_T_COLUMNS = {"t_k": "K", "t_degc": "degC", "t_c": "degC", "t_celsius": "degC"}
_SIZE_COLUMNS = {"size": None, "size_nm": "nm", "size_um": "um", "size_m": "m"}


def read_calibration_csv(path: str | Path) -> CalibrationData:
    """Read a calibration table (CSV).

    Columns: a temperature (``T_K`` or ``T_degC``), ``sigma_S_per_cm``, optionally
    ``sigma_err`` (same unit as sigma), ``fraction`` (``"10 vol%"``) and ``size``
    (``"400 nm"``; or ``size_nm``/``size_um`` with numbers). Lines starting with ``#`` are
    comments.

    Raises
    ------
    DataFormatError
        Missing columns or unparsable values; the message names the row and column.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFormatError(f"calibration data {str(path)!r} not found") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.DictReader(lines))
    if not rows:
        raise DataFormatError(f"{path}: no data rows")
    cols = {c.strip().lower(): c for c in rows[0] if c is not None}
    tcol = next(((cols[k], u) for k, u in _T_COLUMNS.items() if k in cols), None)
    if tcol is None:
        raise DataFormatError(f"{path}: no temperature column; allowed: T_K, T_degC "
                              f"(got columns {list(rows[0])})")
    if "sigma_s_per_cm" not in cols:
        raise DataFormatError(f"{path}: no 'sigma_S_per_cm' column (got {list(rows[0])})")
    scol = cols["sigma_s_per_cm"]
    ecol = cols.get("sigma_err") or cols.get("sigma_err_s_per_cm")
    fcol = cols.get("fraction")
    zcol = next(((cols[k], u) for k, u in _SIZE_COLUMNS.items() if k in cols), None)
    T, s, e, keys = [], [], [], []
    for i, row in enumerate(rows, start=2):
        def num(col: str, what: str, _row: dict = row, _i: int = i) -> float:
            raw = (_row.get(col) or "").strip()
            try:
                v = float(raw)
            except ValueError:
                raise DataFormatError(f"{path}: row {_i}, column {col!r}: {raw!r} is not a "
                                      f"number ({what})") from None
            if not math.isfinite(v):
                raise DataFormatError(f"{path}: row {_i}, column {col!r}: {raw!r} is not "
                                      "finite")
            return v
        t = num(tcol[0], "temperature")
        TK = t if tcol[1] == "K" else units.celsius(t)
        if TK <= 0:
            raise DataFormatError(f"{path}: row {i}: temperature {t!r} {tcol[1]} is not above "
                                  "0 K")
        sv = num(scol, "conductivity in S/cm")
        if sv <= 0:
            raise DataFormatError(f"{path}: row {i}, column {scol!r}: conductivity must be "
                                  f"> 0, got {sv!r}")
        T.append(TK)
        s.append(sv * 100.0)
        if ecol is not None:
            ev = num(ecol, "standard error in S/cm")
            if ev <= 0:
                raise DataFormatError(f"{path}: row {i}, column {ecol!r}: must be > 0")
            e.append(ev / sv)
        key: dict[str, str] = {}
        if fcol is not None:
            raw = (row.get(fcol) or "").strip()
            try:
                units.parse_fraction(raw, field=f"row {i}, fraction")
            except HylyteError as err:
                raise DataFormatError(f"{path}: {err}") from None
            key["fraction"] = raw
        if zcol is not None:
            raw = (row.get(zcol[0]) or "").strip()
            q = raw if zcol[1] is None else f"{raw} {zcol[1]}"
            try:
                units.parse(q, "length", field=f"row {i}, {zcol[0]}")
            except HylyteError as err:
                raise DataFormatError(f"{path}: {err}") from None
            key["size"] = q
        keys.append(json.dumps(key, sort_keys=True))
    order = list(dict.fromkeys(keys))
    return CalibrationData(
        T_K=np.asarray(T), sigma_S_per_m=np.asarray(s),
        rel_err=np.asarray(e) if ecol is not None else None,
        group=np.asarray([order.index(k) for k in keys], dtype=int),
        variants=tuple(json.loads(k) for k in order), source=str(path))


def _variant_design(design: Any, overrides: Mapping[str, str]) -> Any:
    """The design with filler 0's fraction and/or size replaced (re-validated)."""
    if not overrides:
        return design
    from hylyte.design import design_from_dict

    if not design.fillers:
        raise DesignError("the data give a fraction or size per row, but the design has no "
                          "filler")
    data = design.to_dict()
    f0 = dict(data["fillers"][0])
    if "fraction" in overrides:
        f0["fraction"] = overrides["fraction"]
        if len(data["fillers"]) > 1:
            raise DesignError("a 'fraction' column needs a design with one filler")
    if "size" in overrides:
        f0["size"] = overrides["size"]
    data["fillers"] = [f0, *data["fillers"][1:]]
    new = design_from_dict(data, source=design.source)
    return dataclasses.replace(new, name=design.name, source=design.source)


# --------------------------------------------------------------------------- fit
@dataclass(frozen=True)
class FittedParameter:
    """One fitted parameter (SI values; ``unit`` names the display unit of ``to_dict``)."""

    name: str
    value: float
    std: float
    ci95_low: float
    ci95_high: float
    initial: float
    lower: float
    upper: float
    at_bound: bool
    kind: str
    unit: str

    def to_dict(self) -> dict[str, Any]:
        """Values in SI and in the display unit (keys carry the unit)."""
        out: dict[str, Any] = {"name": self.name, "at_bound": self.at_bound}
        for k in ("value", "std", "ci95_low", "ci95_high", "initial", "lower", "upper"):
            v = getattr(self, k)
            out[f"{k}_SI"] = v
            out[f"{k}_display"] = _display(v, self.kind, self.unit)
        out["display_unit"] = self.unit
        return out


def _display(v: float, kind: str, unit: str) -> float:
    if not math.isfinite(v) or kind == "dimensionless" or not unit:
        return v
    return float(units.convert(v, kind, unit))  # type: ignore[arg-type]


@dataclass(frozen=True)
class CalibrationResult:
    """Outcome of :func:`calibrate`.

    Attributes
    ----------
    parameters : tuple of FittedParameter
        Fitted values with 95 % intervals.
    correlation : ndarray
        Correlation matrix of the (log) parameters [-].
    warnings : tuple of str
        Identifiability and validity messages.
    state : ModelState
        The calibrated design (and filler factors).
    n_points, dof : int
        Number of data points and residual degrees of freedom.
    rms_log_residual : float
        Root-mean-square residual in ln sigma [-].
    residuals : ndarray
        ``ln sigma_model - ln sigma_data`` per point [-].
    success : bool
        Whether the optimiser reported convergence.
    message : str
        Optimiser message.
    """

    parameters: tuple[FittedParameter, ...]
    correlation: np.ndarray
    warnings: tuple[str, ...]
    state: ModelState
    n_points: int
    dof: int
    rms_log_residual: float
    residuals: np.ndarray
    success: bool
    message: str

    @property
    def design(self) -> Any:
        """The calibrated design."""
        return self.state.design

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "parameters": [p.to_dict() for p in self.parameters],
            "correlation": self.correlation.tolist(),
            "warnings": list(self.warnings),
            "n_points": self.n_points,
            "dof": self.dof,
            "rms_log_residual": self.rms_log_residual,
            "residuals_ln_sigma": self.residuals.tolist(),
            "success": self.success,
            "message": self.message,
            "filler_conductivity_factors": list(self.state.filler_factors),
        }


def _bounds_of(names: Sequence[str], bounds: Mapping[str, tuple[float, float]] | None
               ) -> list[tuple[float, float]]:
    out = []
    for n in names:
        base, _ = _split(n)
        spec = PARAMETERS[base]
        lo, hi = (bounds or {}).get(n, (spec.lower, spec.upper))
        if not (0 < lo < hi and math.isfinite(hi)):
            raise InputError(f"bounds of {n!r}: got [{lo!r}, {hi!r}]; allowed 0 < lo < hi")
        out.append((float(lo), float(hi)))
    return out


def _initial(state: ModelState, name: str, lo: float, hi: float) -> float:
    base, _ = _split(name)
    v = get_parameter(state, name)
    if not (math.isfinite(v) and v > 0):
        if base == "interphase.conductivity":
            v = float(forward_sigma(state, np.array([298.15]))[0])
        elif base == "interphase.sheet_conductance":
            v = float(forward_sigma(state, np.array([298.15]))[0]) * \
                DEFAULT_INTERPHASE_THICKNESS_M
        elif base == "interphase.ratio":
            v = 10.0
        elif base == "interphase.thickness":
            v = DEFAULT_INTERPHASE_THICKNESS_M
        elif base == "interface.asr":
            v = 1e-3
        elif base == "interface.activation_energy":
            v = 0.5
        else:
            v = math.sqrt(lo * hi)
    return float(min(max(v, lo * 1.0001), hi / 1.0001))


def calibrate(design: Any, data: CalibrationData, params: Sequence[str], *,
              bounds: Mapping[str, tuple[float, float]] | None = None,
              initial: Mapping[str, float] | None = None) -> CalibrationResult:
    """Fit design parameters to measured conductivity vs temperature.

    Parameters
    ----------
    design : CompositeDesign
        The design whose analytic estimate is the model.
    data : CalibrationData
        Measurements (see :func:`read_calibration_csv`).
    params : sequence of str
        Parameter names (:func:`parameter_names`).
    bounds : mapping, optional
        ``name -> (lower, upper)`` in SI, replacing the defaults of :data:`PARAMETERS`.
    initial : mapping, optional
        ``name -> start value`` in SI (default: the design's value, else a neutral guess).

    Returns
    -------
    CalibrationResult

    Raises
    ------
    InputError
        Unknown or repeated parameter names (the message lists the allowed ones), or fewer
        data points than parameters.
    DesignError
        Not a composite design, or a per-row loading the design cannot take.
    """
    from scipy.optimize import least_squares
    from scipy.stats import t as student_t

    d0 = _composite(design)
    names = [p.strip() for p in params if p.strip()]
    if not names:
        raise InputError(f"params: give at least one parameter; allowed: {', '.join(PARAMETERS)}")
    canon = [_split(n) for n in names]
    if len(set(canon)) != len(canon):
        raise InputError(f"params: repeated parameter in {names}")
    n = len(data.T_K)
    k = len(names)
    if n <= k:
        raise InputError(f"calibration needs more data points ({n}) than parameters ({k})")
    bnds = _bounds_of(names, bounds)
    variants = [ModelState(_variant_design(d0, v)) for v in data.variants]
    base_state = variants[0] if not data.variants[0] else ModelState(d0)
    p0 = []
    for name, (lo, hi) in zip(names, bnds, strict=True):
        v = (initial or {}).get(name)
        p0.append(float(v) if v is not None else _initial(base_state, name, lo, hi))
    ln_data = np.log(data.sigma_S_per_m)
    w = np.ones(n) if data.rel_err is None else 1.0 / data.rel_err
    msgs: list[str] = []

    def states(x: np.ndarray) -> list[ModelState]:
        out = []
        for st in variants:
            for name, xi in zip(names, x, strict=True):
                st = set_parameter(st, name, math.exp(xi))
            out.append(st)
        return out

    def model(x: np.ndarray, collect: list[str] | None = None) -> np.ndarray:
        out = np.empty(n)
        for g, st in enumerate(states(x)):
            sel = data.group == g
            if np.any(sel):
                s = forward_sigma(st, data.T_K[sel], messages=collect)
                out[sel] = np.log(np.maximum(s, 1e-300))
        return out

    def resid(x: np.ndarray) -> np.ndarray:
        return (model(x) - ln_data) * w

    lo = np.log([b[0] for b in bnds])
    hi = np.log([b[1] for b in bnds])
    x0 = np.clip(np.log(p0), lo + 1e-9, hi - 1e-9)
    def fit(start: np.ndarray) -> Any:
        try:
            return least_squares(resid, start, bounds=(lo, hi), method="trf", jac="3-point",
                                 x_scale="jac", xtol=1e-12, ftol=1e-12, gtol=1e-12,
                                 max_nfev=2000)
        except HylyteError:
            raise
        except (ValueError, FloatingPointError) as err:
            raise InputError(f"calibration failed to evaluate the model: {err}") from err

    sol = fit(x0)
    restarts = 0
    if math.sqrt(2.0 * sol.cost / n) > RESTART_RMS:
        # a poor fit may be a local minimum (the analytic model switches form with the
        # loading): restart from each parameter moved a decade either way, keep the best
        for i in range(k):
            for step in (-math.log(10.0), math.log(10.0)):
                start = x0.copy()
                start[i] = np.clip(start[i] + step, lo[i] + 1e-9, hi[i] - 1e-9)
                cand = fit(start)
                restarts += 1
                if cand.cost < sol.cost:
                    sol = cand
    x = sol.x
    r_ln = model(x, msgs) - ln_data
    J = sol.jac
    dof = n - k
    chi2 = float(np.sum((r_ln * w) ** 2))
    s2 = chi2 / dof if data.rel_err is None else 1.0
    JTJ = J.T @ J
    col = np.sqrt(np.maximum(np.diag(JTJ), 0.0))
    notes: list[str] = []
    scale = np.where(col > 0, col, 1.0)
    Jn = JTJ / np.outer(scale, scale)
    try:
        cond = np.linalg.cond(Jn)
    except np.linalg.LinAlgError:
        cond = math.inf
    C0 = np.linalg.pinv(JTJ, rcond=1e-13)  # unscaled: its correlations do not depend on s^2
    dead = col <= 1e-12 * max(float(col.max()), 1e-300)
    var0 = np.diag(C0).copy()
    var0[dead] = math.inf
    var = s2 * var0
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(var)
        sd0 = np.sqrt(var0)
        corr = C0 / np.outer(sd0, sd0)
    corr = np.where(np.isfinite(corr), corr, np.nan)
    np.fill_diagonal(corr, 1.0)
    tq = float(student_t.ppf(0.975, dof))
    fitted = []
    for i, name in enumerate(names):
        base, _ = _split(name)
        spec = PARAMETERS[base]
        p = math.exp(x[i])
        si = sd[i]
        at_b = bool(x[i] <= lo[i] + 1e-6 or x[i] >= hi[i] - 1e-6)
        ci_lo = p / _safe_exp(tq * si)
        ci_hi = p * _safe_exp(tq * si)
        fitted.append(FittedParameter(
            name=name, value=p, std=p * si if math.isfinite(si) else math.inf,
            ci95_low=ci_lo, ci95_high=ci_hi, initial=p0[i], lower=bnds[i][0],
            upper=bnds[i][1], at_bound=at_b, kind=spec.kind, unit=spec.unit))
        # the same check at a nominal 1 % scatter per point, so that a (nearly) exact fit
        # does not hide a parameter the data cannot constrain
        nominal = _safe_exp(2.0 * tq * NOMINAL_LOG_SCATTER * sd0[i])
        if not math.isfinite(si) or ci_hi / max(ci_lo, 1e-300) > UNCONSTRAINED_CI_FACTOR:
            notes.append(f"{name}: not constrained by the data (95 % interval "
                         f"{_fmt_pair(ci_lo, ci_hi)} SI spans more than a factor "
                         f"{UNCONSTRAINED_CI_FACTOR:g})")
        elif nominal > UNCONSTRAINED_CI_FACTOR:
            notes.append(f"{name}: not constrained by data of this design: at 1 % scatter "
                         f"per point its 95 % interval would span a factor {nominal:.3g}")
        if at_b:
            notes.append(f"{name}: at a fit bound ({bnds[i][0]:.3g} .. {bnds[i][1]:.3g} SI); "
                         "its interval is not meaningful")
    for i in range(k):
        for j in range(i + 1, k):
            r = corr[i, j]
            if np.isfinite(r) and abs(r) > CORRELATION_LIMIT:
                notes.append(f"{names[i]} and {names[j]} are strongly correlated (r = {r:+.3f}):"
                             " the data constrain only a combination of them")
    if k > 1 and cond > 1e12:
        notes.append(f"the normal matrix is nearly singular (condition {cond:.2g}): some "
                     "parameter combinations are not identifiable")
    bases = {_split(nm)[0] for nm in names}
    if {"interface.asr", "filler.conductivity_factor"} <= bases:
        sizes = {st.design.fillers[0].size_m for st in variants if st.design.fillers}
        if len(sizes) < 2:
            notes.append("PHYSICS 3.7: with one particle size only sigma_c/(1 + 2 R_int "
                         "sigma_c/d) is identifiable; fit at least two particle sizes to "
                         "separate R_int from the filler conductivity")
    if {"interphase.conductivity", "interphase.thickness"} <= bases:
        notes.append("PHYSICS 3.6: for a thin interphase (t << r) only the sheet conductance "
                     "sigma_i t is identifiable; consider fitting interphase.sheet_conductance")
    rms_w = math.sqrt(chi2 / n)
    if data.rel_err is None and rms_w > RESTART_RMS:
        notes.append(f"the calibrated model misses the data by {rms_w:.2g} in ln sigma (rms) "
                     f"after {restarts} restarts: the parameters chosen cannot describe the "
                     "data, or the model is outside its validity; intervals are not reliable")
    if dof < 3:
        notes.append(f"only {dof} residual degree(s) of freedom: intervals are wide and "
                     "model checks weak")
    for msg in msgs:
        if msg not in notes:
            notes.append(msg)
    out_state = ModelState(d0, ())
    for name, xi in zip(names, x, strict=True):
        out_state = set_parameter(out_state, name, math.exp(xi))
    return CalibrationResult(
        parameters=tuple(fitted), correlation=np.asarray(corr, float), warnings=tuple(notes),
        state=out_state, n_points=n, dof=dof,
        rms_log_residual=float(np.sqrt(np.mean(r_ln ** 2))), residuals=r_ln,
        success=bool(sol.success), message=str(sol.message))


def _safe_exp(x: float) -> float:
    """exp(x) for x >= 0 that returns inf instead of overflowing (and for NaN/inf)."""
    if not math.isfinite(x) or x > 700.0:
        return math.inf
    return math.exp(x)


def _fmt_pair(a: float, b: float) -> str:
    return f"[{a:.3g}, {b:.3g}]"


# --------------------------------------------------------------------------- TOML output
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k)


def _val(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(str(a))} = {_val(b)}" for a, b in v.items()) + " }"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    raise InputError(f"cannot write {type(v).__name__} value {v!r} to TOML")


def dumps_toml(data: Mapping[str, Any], *, header: Sequence[str] = ()) -> str:
    """Serialise a design dict (``Design.to_dict()`` form) as TOML text.

    Top-level tables become ``[name]`` sections, lists of tables ``[[name]]`` entries,
    deeper tables inline tables. ``header`` lines are written as ``#`` comments first.
    """
    out = [f"# {h}" for h in header]
    scalars = {k: v for k, v in data.items()
               if not isinstance(v, Mapping)
               and not (isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v))}
    for k, v in scalars.items():
        out.append(f"{_key(k)} = {_val(v)}")
    for k, v in data.items():
        if k in scalars:
            continue
        if isinstance(v, Mapping):
            out.append("")
            out.append(f"[{_key(k)}]")
            out.extend(f"{_key(str(a))} = {_val(b)}" for a, b in v.items())
        else:
            for item in v:
                out.append("")
                out.append(f"[[{_key(k)}]]")
                out.extend(f"{_key(str(a))} = {_val(b)}" for a, b in item.items())
    return "\n".join(out) + "\n"


def write_design_toml(design: Any, path: str | Path, *, header: Sequence[str] = ()) -> Path:
    """Write a design as a TOML design file, atomically.

    Parameters
    ----------
    design : CompositeDesign or StackDesign
        The design (its normalised form is written; quantities carry SI units).
    path : str or Path
        Output file.
    header : sequence of str, optional
        Comment lines written at the top.

    Returns
    -------
    Path
        The written file.
    """
    from hylyte._atomic import atomic_write_text

    return atomic_write_text(path, dumps_toml(design.to_dict(), header=header))


def calibration_header(result: CalibrationResult, data_source: str) -> list[str]:
    """Comment lines documenting a calibration (for :func:`write_design_toml`)."""
    lines = [f"calibrated against {data_source} ({result.n_points} points, "
             f"rms ln-residual {result.rms_log_residual:.3g})"]
    for p in result.parameters:
        lines.append(f"{p.name} = {p.value:.6g} SI, 95 % interval "
                     f"[{p.ci95_low:.4g}, {p.ci95_high:.4g}]")
    facs = result.state.filler_factors
    if facs and any(f != 1.0 for f in facs):
        lines.append("NOT representable in the design file: filler conductivity factors "
                     f"{[round(f, 6) for f in facs]} (apply them to the filler law)")
    lines.extend(f"note: {w}" for w in result.warnings)
    return lines


__all__ = [
    "PARAMETERS",
    "CalibrationData",
    "CalibrationResult",
    "FittedParameter",
    "ModelState",
    "ParameterSpec",
    "calibrate",
    "calibration_header",
    "dumps_toml",
    "forward_estimate",
    "forward_sigma",
    "get_parameter",
    "parameter_names",
    "read_calibration_csv",
    "set_parameter",
    "solve_parameter",
    "write_design_toml",
]
