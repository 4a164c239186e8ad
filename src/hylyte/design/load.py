"""Load design files: TOML -> pydantic structure check -> SI dataclasses.

Every error raised here is a :class:`~hylyte.errors.DesignError` (or the library's
:class:`~hylyte.errors.UnknownMaterialError`) whose message starts with the file name and the
field path (``fillers[0].fraction``), then gives the value received and what is allowed.
"""

from __future__ import annotations

import tomllib
import typing
from pathlib import Path
from typing import Any

from hylyte import units
from hylyte.design import model as m
from hylyte.errors import DesignError, HylyteError, UnknownMaterialError

_ELECTRODE_SIDES = ("anode", "cathode")


class _Ctx:
    """Where we are: the file (for messages) and the folder relative paths start from."""

    def __init__(self, source: str | None, base_dir: Path | None) -> None:
        self.source = source
        self.base_dir = base_dir

    def prefix(self, path: str) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{path}: " if path else where

    def error(self, path: str, message: str) -> DesignError:
        return DesignError(f"{self.prefix(path)}{message}")

    def parse(self, value: Any, kind: units.Kind, path: str) -> float:
        try:
            return units.parse(value, kind, field=path)
        except HylyteError as err:
            where = f"{self.source}: " if self.source else ""
            raise DesignError(f"{where}{err}") from err

    def opt(self, value: Any, kind: units.Kind, path: str) -> float | None:
        return None if value is None else self.parse(value, kind, path)

    def positive(self, value: Any, kind: units.Kind, path: str, *,
                 allow_zero: bool = False) -> float:
        out = self.parse(value, kind, path)
        if out < 0 or (out == 0 and not allow_zero):
            allowed = ">= 0" if allow_zero else "> 0"
            raise self.error(path, f"must be {allowed}, got {value!r}")
        return out

    def material(self, name: str, path: str):
        from hylyte.design import _materials

        try:
            return _materials.get(name)
        except UnknownMaterialError as err:
            err.args = (f"{self.prefix(path)}{err}",)
            raise


# --------------------------------------------------------------------------- pydantic errors
def _loc_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(root: type, loc: tuple[Any, ...]) -> type | None:
    """The pydantic model class found by walking ``loc`` from ``root`` (for allowed keys)."""
    from pydantic import BaseModel

    def models_in(tp: Any) -> list[type]:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return [tp]
        return [x for a in typing.get_args(tp) for x in models_in(a)]

    current: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        cands = models_in(current)
        found = None
        for c in cands:
            if part in c.model_fields:
                found = c.model_fields[part].annotation
                break
        if found is None:
            return cands[0] if cands else None
        current = found
    cands = models_in(current)
    return cands[0] if cands else None


def _translate_validation(err: Any, root: type, ctx: _Ctx) -> DesignError:
    lines = []
    for e in err.errors():
        loc = tuple(e["loc"])
        path = _loc_path(loc)
        if e["type"] == "extra_forbidden":
            parent = _model_at(root, loc[:-1])
            allowed = sorted(parent.model_fields) if parent is not None else []
            lines.append(f"{ctx.prefix(_loc_path(loc[:-1]) or '(top level)')}unknown key "
                         f"{loc[-1]!r}; allowed keys: {', '.join(allowed)}")
        elif e["type"] == "missing":
            lines.append(f"{ctx.prefix(path)}missing required key")
        else:
            lines.append(f"{ctx.prefix(path)}{e['msg']}, got {e.get('input')!r}")
    return DesignError("; ".join(lines))


def _validate(model: type, data: dict[str, Any], ctx: _Ctx):
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise _translate_validation(err, model, ctx) from None


# --------------------------------------------------------------------------- conversion
def _temperatures(ctx: _Ctx, ev: Any, path: str) -> tuple[float, ...]:
    return tuple(ctx.parse(T, "temperature", f"{path}.temperatures[{i}]")
                 for i, T in enumerate(ev.temperatures))


def _evaluate(ctx: _Ctx, ev: Any, path: str = "evaluate") -> m.EvaluateSettings:
    vx = ev.voxel
    voxel = m.VoxelSettings()
    if vx is not None:
        voxel = m.VoxelSettings(
            voxel_size_m=(None if vx.voxel_size is None else
                          ctx.positive(vx.voxel_size, "length", f"{path}.voxel.voxel_size")),
            box_m=None if vx.box is None else ctx.positive(vx.box, "length", f"{path}.voxel.box"),
            max_voxels_per_axis=vx.max_voxels_per_axis, axis=vx.axis, backend=vx.backend)
    return m.EvaluateSettings(
        temperatures_K=_temperatures(ctx, ev, path),
        method=ev.method,
        target_asr_ohm_m2=(None if ev.target_asr is None else
                           ctx.positive(ev.target_asr, "asr", f"{path}.target_asr")),
        c_rate=float(ev.c_rate),
        current_density_A_per_m2=(None if ev.current_density is None else ctx.positive(
            ev.current_density, "current_density", f"{path}.current_density")),
        voxel=voxel,
    )


def _electrodes(ctx: _Ctx, el: Any) -> m.Electrodes | None:
    if el is None:
        return None
    for side in _ELECTRODE_SIDES:
        name = getattr(el, side)
        if name is not None:
            ctx.material(name, f"electrodes.{side}")
    return m.Electrodes(
        anode=el.anode, cathode=el.cathode,
        cathode_capacity_C_per_m2=(None if el.cathode_capacity is None else ctx.positive(
            el.cathode_capacity, "areal_capacity", "electrodes.cathode_capacity")),
        cathode_voltage_V=ctx.opt(el.cathode_voltage, "potential", "electrodes.cathode_voltage"),
        cutoff_voltage_V=ctx.opt(el.cutoff_voltage, "potential", "electrodes.cutoff_voltage"),
        n_p=float(el.n_p),
        anode_asr_ohm_m2=(None if el.anode_asr is None else
                          ctx.positive(el.anode_asr, "asr", "electrodes.anode_asr",
                                       allow_zero=True)),
        cathode_asr_ohm_m2=(None if el.cathode_asr is None else
                            ctx.positive(el.cathode_asr, "asr", "electrodes.cathode_asr",
                                         allow_zero=True)),
    )


def _inline_law(ctx: _Ctx, law: Any, path: str) -> m.InlineLaw:
    if law.law == "arrhenius":
        missing = [k for k in ("sigma_ref", "T_ref", "Ea") if getattr(law, k) is None]
        if missing:
            raise ctx.error(path, f"an arrhenius law needs sigma_ref, T_ref and Ea; "
                                  f"missing {', '.join(missing)}")
        return m.InlineLaw(
            law="arrhenius", form=law.form,
            sigma_ref_S_per_m=ctx.positive(law.sigma_ref, "conductivity", f"{path}.sigma_ref"),
            T_ref_K=ctx.positive(law.T_ref, "temperature", f"{path}.T_ref"),
            Ea_eV=ctx.positive(law.Ea, "energy", f"{path}.Ea", allow_zero=True))
    missing = [k for k in ("A", "B", "T0") if getattr(law, k) is None]
    if missing:
        raise ctx.error(path, f"a vtf law needs A, B and T0; missing {', '.join(missing)}")
    return m.InlineLaw(
        law="vtf", A_S_per_m=ctx.positive(law.A, "conductivity", f"{path}.A"),
        B_K=ctx.positive(law.B, "temperature", f"{path}.B"),
        T0_K=ctx.positive(law.T0, "temperature", f"{path}.T0", allow_zero=True))


def _matrix(ctx: _Ctx, mx: Any) -> m.Matrix:
    if (mx.material is None) == (mx.law is None):
        raise ctx.error("matrix", "give exactly one of 'material' (a library name) or a "
                                  "[matrix.law] table")
    density = None if mx.density is None else ctx.positive(mx.density, "density",
                                                           "matrix.density")
    if mx.material is not None:
        ctx.material(mx.material, "matrix.material")
        return m.Matrix(name=mx.name or mx.material, material=mx.material,
                        density_kg_per_m3=density, rho_plus=mx.rho_plus)
    law = _inline_law(ctx, mx.law, "matrix.law")
    if mx.rho_plus is None:
        raise ctx.error("matrix.rho_plus", "an inline matrix law needs rho_plus (0 < rho+ <= 1)")
    if density is None:
        raise ctx.error("matrix.density", "an inline matrix law needs a density, e.g. "
                                          "'1.24 g/cm^3'")
    return m.Matrix(name=mx.name or "matrix", law=law, density_kg_per_m3=density,
                    rho_plus=mx.rho_plus)


def _density(ctx: _Ctx, name: str | None, override: float | None, path: str) -> float:
    from hylyte.design import _materials

    if override is not None:
        return override
    rho = _materials.density(ctx.material(name, path)) if name else None
    if rho is None or not rho > 0:
        raise ctx.error(path, f"material {name!r} has no density; a mass fraction needs one")
    return rho


def _fractions(ctx: _Ctx, spec: Any, matrix: m.Matrix) -> list[float]:
    """Volume fractions of the whole composite for each filler."""
    parsed = []
    for i, f in enumerate(spec.fillers):
        path = f"fillers[{i}].fraction"
        try:
            parsed.append(units.parse_fraction(f.fraction, field=path))
        except HylyteError as err:
            where = f"{ctx.source}: " if ctx.source else ""
            raise DesignError(f"{where}{err}") from err
    if not parsed:
        return []
    bases = {p.basis for p in parsed}
    if len(bases) > 1:
        raise ctx.error("fillers", "all fillers must use the same basis (all 'vol%' or all "
                                   f"'wt%'), got {[f.fraction for f in spec.fillers]}")
    polymer_basis = {f.basis for f in spec.fillers}
    if len(polymer_basis) > 1:
        raise ctx.error("fillers", "all fillers must use the same 'basis' ('total' or "
                                   "'polymer')")
    vals = [p.value for p in parsed]
    if polymer_basis == {"polymer"}:  # relative to the polymer: m_f = w m_p
        vals = [v / (1.0 + sum(vals)) for v in vals]
    total = sum(vals)
    unit = "wt%" if bases == {"wt"} else "vol%"
    if total >= 1.0:
        raise ctx.error("fillers", f"filler fractions sum to {100 * total:.4g} {unit}; the "
                                   "total must stay below 100 % (the matrix must remain)")
    if bases == {"vol"}:
        return vals
    rho_m = _density(ctx, matrix.material, matrix.density_kg_per_m3, "matrix.material")
    rho_f = [_density(ctx, f.material, None, f"fillers[{i}].material")
             for i, f in enumerate(spec.fillers)]
    per_vol = [w / r for w, r in zip(vals, rho_f, strict=True)]
    denom = (1.0 - total) / rho_m + sum(per_vol)
    return [v / denom for v in per_vol]


def _filler(ctx: _Ctx, i: int, f: Any, phi: float) -> m.Filler:
    path = f"fillers[{i}]"
    ctx.material(f.material, f"{path}.material")
    size = None if f.size is None else ctx.positive(f.size, "length", f"{path}.size")
    length = None if f.length is None else ctx.positive(f.length, "length", f"{path}.length")
    width = None if f.width is None else ctx.positive(f.width, "length", f"{path}.width")
    if size is None and f.shape != "lamellar":
        raise ctx.error(f"{path}.size", f"a {f.shape!r} filler needs a size (sphere: diameter; "
                                        "fibre: diameter; sheet: thickness; scaffold: cell size)")
    if f.shape in ("sphere", "network", "gyroid", "diamond", "primitive", "spinodal",
                   "lamellar") and (length is not None or width is not None):
        bad = "length" if length is not None else "width"
        raise ctx.error(f"{path}.{bad}", f"not used for shape {f.shape!r}; only fibres take "
                                         "'length' and sheets take 'width'")
    ip = None
    if f.interphase is not None:
        t = ctx.positive(f.interphase.thickness, "length", f"{path}.interphase.thickness",
                         allow_zero=True)
        sig = (None if f.interphase.conductivity is None else ctx.positive(
            f.interphase.conductivity, "conductivity", f"{path}.interphase.conductivity",
            allow_zero=True))
        if (sig is None) == (f.interphase.ratio is None):
            raise ctx.error(f"{path}.interphase", "give exactly one of 'conductivity' "
                                                  "(e.g. '1e-4 S/cm') or 'ratio' (sigma_i / "
                                                  "sigma_polymer)")
        ip = m.Interphase(thickness_m=t, sigma_S_per_m=sig, ratio=f.interphase.ratio,
                          rho_plus=f.interphase.rho_plus)
    itf = None
    if f.interface is not None:
        itf = m.InterfaceResistance(
            asr_ohm_m2=ctx.positive(f.interface.asr, "asr", f"{path}.interface.asr",
                                    allow_zero=True),
            T_ref_K=(units.celsius(25.0) if f.interface.at is None else
                     ctx.positive(f.interface.at, "temperature", f"{path}.interface.at")),
            Ea_eV=(0.0 if f.interface.activation_energy is None else ctx.positive(
                f.interface.activation_energy, "energy",
                f"{path}.interface.activation_energy", allow_zero=True)))
    return m.Filler(material=f.material, fraction=phi, fraction_input=str(f.fraction),
                    shape=f.shape, size_m=size, length_m=length, width_m=width,
                    orientation=f.orientation, axis=f.axis, interphase=ip, interface=itf)


def _composite(ctx: _Ctx, data: dict[str, Any]) -> m.CompositeDesign:
    from hylyte.design.schema import CompositeFile

    spec = _validate(CompositeFile, data, ctx)
    matrix = _matrix(ctx, spec.matrix)
    phis = _fractions(ctx, spec, matrix)
    porosity = 0.0
    if spec.porosity is not None:
        try:
            frac = units.parse_fraction(spec.porosity, field="porosity")
        except HylyteError as err:
            raise ctx.error("", str(err)) from err
        if frac.basis != "vol" or frac.value >= 1.0:
            raise ctx.error("porosity", f"must be a volume fraction below 100 vol%, got "
                                        f"{spec.porosity!r}")
        porosity = frac.value
        phis = [(1.0 - porosity) * p for p in phis]
    fillers = tuple(_filler(ctx, i, f, phi) for i, (f, phi) in
                    enumerate(zip(spec.fillers, phis, strict=True)))
    mod = spec.modification
    factor = 1.0 if mod is None else mod.conductivity_factor
    if mod is not None and mod.alpha_max < mod.alpha_0:
        raise ctx.error("modification.alpha_max", f"must be >= alpha_0 ({mod.alpha_0}), got "
                                                  f"{mod.alpha_max}")
    lewis = {} if mod is None or mod.lewis_acid_sites_mol_per_m2 is None else {
        "lewis_sites_mol_per_m2": float(mod.lewis_acid_sites_mol_per_m2),
        "alpha_0": float(mod.alpha_0), "alpha_max": float(mod.alpha_max)}
    return m.CompositeDesign(**lewis,
        name=spec.design.name, matrix=matrix, fillers=fillers, evaluate=_evaluate(ctx,
                                                                                  spec.evaluate),
        porosity=porosity, sigma_factor=float(factor), electrodes=_electrodes(ctx,
                                                                              spec.electrodes),
        seed=spec.design.seed, description=spec.design.description, source=ctx.source)


def _read_toml(path: Path, ctx_source: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DesignError(f"design file {str(path)!r} not found") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as err:
        raise DesignError(f"cannot read design file {str(path)!r}: {err}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DesignError(f"{ctx_source}: not valid TOML: {err}") from None


def _layer_composite(ctx: _Ctx, i: int, ref: str | dict[str, Any],
                     stack_path: list[Path]) -> m.CompositeDesign:
    path = f"layers[{i}].composite"
    if isinstance(ref, dict):
        data = dict(ref)
        data.setdefault("design", {"name": f"layer {i + 1} composite", "kind": "composite"})
        sub = _Ctx(f"{ctx.source or 'design'} ({path})", ctx.base_dir)
    else:
        base = ctx.base_dir or Path.cwd()
        file = (base / ref) if not Path(ref).is_absolute() else Path(ref)
        if not file.is_file():
            raise ctx.error(path, f"composite file {ref!r} not found (looked for "
                                  f"{str(file)!r}); give a path relative to the stack file "
                                  "or an inline table")
        if file.resolve() in stack_path:
            raise ctx.error(path, f"{ref!r} refers back to a file that includes it")
        data = _read_toml(file, str(file))
        sub = _Ctx(str(file), file.parent)
    meta = data.get("design")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    if kind != "composite":
        raise ctx.error(path, f"a layer composite must have [design] kind = 'composite', "
                              f"got {kind!r}")
    data = {k: v for k, v in data.items() if k != "evaluate"}
    return _composite(sub, data)


def _stack(ctx: _Ctx, data: dict[str, Any], stack_path: list[Path]) -> m.StackDesign:
    from hylyte.design.schema import StackFile

    spec = _validate(StackFile, data, ctx)
    layers = []
    for i, layer in enumerate(spec.layers):
        path = f"layers[{i}]"
        if (layer.material is None) == (layer.composite is None):
            raise ctx.error(path, "give exactly one of 'material' (a library name) or "
                                  "'composite' (a file path or an inline table)")
        t = ctx.positive(layer.thickness, "length", f"{path}.thickness")
        if layer.material is not None:
            ctx.material(layer.material, f"{path}.material")
            layers.append(m.Layer(thickness_m=t, material=layer.material))
        else:
            layers.append(m.Layer(thickness_m=t, composite=_layer_composite(
                ctx, i, layer.composite, stack_path)))
    n = len(layers)
    interfaces = []
    for k, itf in enumerate(spec.interfaces):
        path = f"interfaces[{k}]"
        a, b = itf.between
        for idx in (a, b):
            if isinstance(idx, int) and not 1 <= idx <= n:
                raise ctx.error(f"{path}.between", f"layer index {idx} is out of range; "
                                                   f"allowed 1..{n} (1-based) or "
                                                   "'anode'/'cathode'")
        ints = [x for x in (a, b) if isinstance(x, int)]
        sides = [x for x in (a, b) if isinstance(x, str)]
        ok = (len(ints) == 2 and abs(ints[0] - ints[1]) == 1) or (
            sides == ["anode"] and ints == [1]) or (sides == ["cathode"] and ints == [n])
        if not ok:
            raise ctx.error(f"{path}.between", f"{[a, b]} are not neighbours; allowed: two "
                                               f"adjacent layers [i, i+1], ['anode', 1] or "
                                               f"[{n}, 'cathode']")
        interfaces.append(m.Interface(
            between=(a, b) if not sides else (("anode", 1) if sides == ["anode"] else
                                              (n, "cathode")),
            asr_ohm_m2=ctx.positive(itf.asr, "asr", f"{path}.asr", allow_zero=True),
            T_ref_K=(units.celsius(25.0) if itf.at is None else
                     ctx.positive(itf.at, "temperature", f"{path}.at")),
            Ea_eV=(0.0 if itf.activation_energy is None else ctx.positive(
                itf.activation_energy, "energy", f"{path}.activation_energy",
                allow_zero=True))))
    return m.StackDesign(
        name=spec.design.name, layers=tuple(layers), interfaces=tuple(interfaces),
        evaluate=_evaluate(ctx, spec.evaluate), electrodes=_electrodes(ctx, spec.electrodes),
        seed=spec.design.seed, description=spec.design.description, source=ctx.source)


def _from_dict(data: Any, ctx: _Ctx, stack_path: list[Path]) -> m.Design:
    if not isinstance(data, dict):
        raise ctx.error("", f"a design must be a table, got {type(data).__name__}")
    meta = data.get("design")
    if not isinstance(meta, dict):
        raise ctx.error("design", "missing [design] table with 'name' and 'kind' "
                                  "('composite' or 'stack')")
    kind = meta.get("kind")
    if kind == "composite":
        return _composite(ctx, data)
    if kind == "stack":
        return _stack(ctx, data, stack_path)
    raise ctx.error("design.kind", f"must be 'composite' or 'stack', got {kind!r}")


def design_from_dict(data: dict[str, Any], *, base_dir: str | Path | None = None,
                     source: str | None = None) -> m.Design:
    """Build a design from a dict in design-file form.

    Parameters
    ----------
    data
        Parsed TOML (or :meth:`Design.to_dict` output).
    base_dir
        Folder that relative ``composite`` file paths start from (default: the working
        directory).
    source
        Name used in error messages (usually the file path).

    Returns
    -------
    CompositeDesign or StackDesign

    Raises
    ------
    DesignError
        The structure, a quantity or a cross-field rule is invalid; the message names the
        field path, the value and what is allowed.
    UnknownMaterialError
        A material name is not in the library (with suggestions).
    """
    base = None if base_dir is None else Path(base_dir)
    return _from_dict(data, _Ctx(source, base), [])


def load_design(path: str | Path) -> m.Design:
    """Load and validate a design file (TOML).

    Parameters
    ----------
    path
        The design file; relative ``composite`` paths in it start from its folder.

    Returns
    -------
    CompositeDesign or StackDesign

    Raises
    ------
    DesignError, UnknownMaterialError
        See :func:`design_from_dict`; also for a missing or unreadable file.
    """
    path = Path(path)
    data = _read_toml(path, str(path))
    return _from_dict(data, _Ctx(str(path), path.parent), [path.resolve()])


__all__ = ["design_from_dict", "load_design"]
