"""Electrochemical stability window of a layered stack (docs/PHYSICS.md section 5.3).

Rule: a layer must be stable against what it touches. The anode-facing layer needs reduction
stability (thermodynamic or passivating) at the anode potential; the cathode-facing layer
needs oxidation stability at the cathode's upper cut-off; interior layers only need chemical
compatibility with their neighbours and negligible electronic conductivity. The stack window
is [U_red(anode-facing), U_ox(cathode-facing)].
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hylyte._provenance import cites
from hylyte.errors import InputError

__all__ = [
    "LI_BUFFER_REQUIRED",
    "SULFIDES",
    "InterfaceVerdict",
    "WindowLayer",
    "WindowResult",
    "stack_window",
]

Behaviour = Literal["thermo_stable", "kinetically_passivated", "non_passivating", "unknown"]
Kind = Literal["oxide", "sulfide", "polymer", "phosphate", "halide", "other"]
Level = Literal["ok", "note", "warning", "error"]

#: ceramic families that are reduced by Li metal into mixed conductors (need a buffer)
LI_BUFFER_REQUIRED = frozenset({"LATP", "LAGP", "LLTO"})
#: sulfide families (need coated cathodes above ~2.3-2.5 V)
SULFIDES = frozenset({"LGPS", "LI6PS5CL", "LI3PS4", "ARGYRODITE", "LPS"})
_OXIDE_CATHODES = frozenset({"NMC", "NCA", "LCO", "LMO", "LNMO"})
_BEHAVIOURS = ("thermo_stable", "kinetically_passivated", "non_passivating", "unknown")


@dataclass(frozen=True)
class WindowLayer:
    """Stability data of one electrolyte layer.

    Attributes
    ----------
    name : str
        Label of the layer in the stack.
    family : str
        Material family (``"PEO"``, ``"LLZO"``, ``"LATP"``, ``"Li6PS5Cl"``, ...).
    kind : {"oxide", "sulfide", "polymer", "phosphate", "halide", "other"}
        Chemical class.
    reduction_V : float
        Reduction onset vs Li/Li+ [V].
    oxidation_V : float
        Oxidation onset vs Li/Li+ [V].
    behaviour_vs_li : {"thermo_stable", "kinetically_passivated", "non_passivating",
        "unknown"}
        What the reduction products do against Li metal.
    """

    name: str
    family: str
    kind: Kind
    reduction_V: float
    oxidation_V: float
    behaviour_vs_li: Behaviour = "unknown"


@dataclass(frozen=True)
class InterfaceVerdict:
    """Verdict on one electrode-facing or interior contact.

    Attributes
    ----------
    position : {"anode", "cathode", "interior"}
        Which contact.
    layer : str
        Layer name.
    counterpart : str
        What it touches (``"anode"``, ``"cathode"`` or the neighbouring layer).
    status : {"thermo_stable", "kinetically_passivated", "non_passivating (MCI)", "unknown"}
        Stability class of the contact.
    level : {"ok", "note", "warning", "error"}
        Severity.
    message : str
        Explanation.
    """

    position: str
    layer: str
    counterpart: str
    status: str
    level: Level
    message: str


@dataclass(frozen=True)
class WindowResult:
    """Stability window of a stack.

    Attributes
    ----------
    window_V : tuple of float
        (reduction limit of the anode-facing layer, oxidation limit of the cathode-facing
        layer) vs Li/Li+ [V].
    limiting_reduction_layer, limiting_oxidation_layer : str
        Names of the layers that set each end.
    verdicts : tuple of InterfaceVerdict
        Per-contact verdicts.
    flags : tuple of str
        Messages of every warning- or error-level verdict, prefixed by the level.
    ok : bool
        True when no verdict is at error level.
    """

    window_V: tuple[float, float]
    limiting_reduction_layer: str
    limiting_oxidation_layer: str
    verdicts: tuple[InterfaceVerdict, ...]
    flags: tuple[str, ...]
    ok: bool


def _norm(family: str) -> str:
    return family.replace("-", "").replace("_", "").replace(" ", "").upper()


@cites("Zhu2015", "Richards2016", "Han2016")
def stack_window(
    layers: Sequence[WindowLayer],
    *,
    anode_potential_V: tuple[float, float] = (0.0, 0.0),
    cathode_upper_V: float,
    cathode_family: str = "NMC",
    cathode_coated: bool = False,
) -> WindowResult:
    """Check a stack (anode side first) against its electrodes and name the limiting layers.

    Parameters
    ----------
    layers : sequence of WindowLayer
        Electrolyte layers from the anode side to the cathode side.
    anode_potential_V : tuple of float, optional
        (lowest, highest) anode potential vs Li/Li+ during operation; (0, 0) for Li metal
        [V].
    cathode_upper_V : float
        Upper cut-off potential of the cathode vs Li/Li+ [V].
    cathode_family : str, optional
        Cathode family (``"NMC"``, ``"NCA"``, ``"LCO"``, ``"LFP"``, ...).
    cathode_coated : bool, optional
        Whether the cathode particles carry a protective coating (LiNbO3-type).

    Returns
    -------
    WindowResult

    Notes
    -----
    Rules (section 5.3): Li-facing LATP, LAGP or LLTO -> error (Ti/Ge reduction gives a
    mixed-conducting interphase; an anode-side buffer is needed); a non-passivating layer
    facing the anode below its reduction limit -> error; kinetically passivated -> note;
    unknown behaviour below the reduction limit -> warning. Cathode side: a polymer whose
    oxidation onset is below the cut-off -> warning (NMC above 4.0 V against PEO); a sulfide
    against an uncoated oxide cathode -> warning; an oxide below the cut-off -> note
    (kinetic stability, coatings help). Interior contacts -> note on chemical compatibility.
    Windows are thermodynamic (first-principles) or practical (LSV) values supplied by the
    caller; they depend strongly on method.

    References
    ----------
    .. [1] Y. Zhu, X. He, Y. Mo, ACS Appl. Mater. Interfaces 7, 23685 (2015),
       doi:10.1021/acsami.5b07517
    """
    if len(layers) == 0:
        raise InputError("stack_window needs at least one layer")
    a_lo, a_hi = (float(v) for v in anode_potential_V)
    if a_lo > a_hi:
        raise InputError(f"anode_potential_V must be (low, high), got {anode_potential_V!r}")
    for lay in layers:
        if lay.behaviour_vs_li not in _BEHAVIOURS:
            raise InputError(f"layer {lay.name!r}: behaviour_vs_li must be one of "
                             f"{list(_BEHAVIOURS)}, got {lay.behaviour_vs_li!r}")
        if lay.reduction_V >= lay.oxidation_V:
            raise InputError(f"layer {lay.name!r}: reduction_V ({lay.reduction_V}) must be "
                             f"below oxidation_V ({lay.oxidation_V})")
    verdicts: list[InterfaceVerdict] = []
    first, last = layers[0], layers[-1]
    verdicts.append(_anode_verdict(first, a_lo))
    verdicts.append(_cathode_verdict(last, cathode_upper_V, cathode_family, cathode_coated))
    for left, right in itertools.pairwise(layers):
        verdicts.append(InterfaceVerdict(
            "interior", f"{left.name}|{right.name}", right.name, "unknown", "ok",
            "interior contact: no electron source; check chemical compatibility and "
            "electronic leakage"))
    flags = tuple(f"{v.level}: {v.message}" for v in verdicts if v.level in ("warning", "error"))
    return WindowResult(
        window_V=(float(first.reduction_V), float(last.oxidation_V)),
        limiting_reduction_layer=first.name, limiting_oxidation_layer=last.name,
        verdicts=tuple(verdicts), flags=flags,
        ok=not any(v.level == "error" for v in verdicts),
    )


def _anode_verdict(lay: WindowLayer, anode_V: float) -> InterfaceVerdict:
    fam = _norm(lay.family)
    below = anode_V < lay.reduction_V
    if fam in LI_BUFFER_REQUIRED and below:
        return InterfaceVerdict(
            "anode", lay.name, "anode", "non_passivating (MCI)", "error",
            f"{lay.name} ({lay.family}) faces the anode: reduced below {lay.reduction_V} V "
            "into a mixed-conducting interphase; insert an anode-side buffer layer")
    if lay.behaviour_vs_li == "thermo_stable" or (
            not below and lay.behaviour_vs_li != "kinetically_passivated"):
        return InterfaceVerdict("anode", lay.name, "anode", "thermo_stable", "ok",
                                f"{lay.name} is stable at the anode potential")
    if lay.behaviour_vs_li == "kinetically_passivated":
        return InterfaceVerdict(
            "anode", lay.name, "anode", "kinetically_passivated", "note",
            f"{lay.name} relies on kinetic stability / passivation against the anode "
            f"(reduction onset {lay.reduction_V} V)")
    if lay.behaviour_vs_li == "non_passivating":
        return InterfaceVerdict(
            "anode", lay.name, "anode", "non_passivating (MCI)", "error",
            f"{lay.name} is reduced by the anode into a non-passivating interphase "
            f"(reduction onset {lay.reduction_V} V)")
    return InterfaceVerdict(
        "anode", lay.name, "anode", "unknown", "warning",
        f"{lay.name}: reduction onset {lay.reduction_V} V is above the anode potential and "
        "the behaviour of its products is unknown")


def _cathode_verdict(lay: WindowLayer, upper: float, cathode: str,
                     coated: bool) -> InterfaceVerdict:
    fam = _norm(lay.family)
    cath = _norm(cathode)
    oxide_cathode = cath in _OXIDE_CATHODES
    if (lay.kind == "sulfide" or fam in SULFIDES) and oxide_cathode and not coated:
        return InterfaceVerdict(
            "cathode", lay.name, cathode, "non_passivating (MCI)", "warning",
            f"sulfide {lay.name} against an uncoated oxide cathode ({cathode}): interfacial "
            "reaction and space charge; use a LiNbO3-type coating")
    if upper <= lay.oxidation_V:
        return InterfaceVerdict("cathode", lay.name, cathode, "thermo_stable", "ok",
                                f"{lay.name} oxidation onset {lay.oxidation_V} V >= cut-off "
                                f"{upper} V")
    if lay.kind == "polymer":
        extra = " (NMC above 4.0 V against PEO)" if fam.startswith("PEO") and \
            cath == "NMC" and upper > 4.0 else ""
        return InterfaceVerdict(
            "cathode", lay.name, cathode, "unknown", "warning",
            f"{lay.name} oxidises below the cathode cut-off ({lay.oxidation_V} V < {upper} V)"
            f"{extra}: expect degradation; use a stable catholyte or cathode-side layer")
    return InterfaceVerdict(
        "cathode", lay.name, cathode, "kinetically_passivated", "note",
        f"{lay.name}: thermodynamic oxidation limit {lay.oxidation_V} V < cut-off {upper} V; "
        "relies on kinetic stability (coatings help)")
