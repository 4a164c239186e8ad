"""Verdicts on reported values and the pure rules that assign them.

Three verdicts (plus ``error`` for a record that cannot be read and ``not assessed`` when
the library holds nothing to compare with):

* ``consistent``: inside what the described structure allows with bulk properties alone,
  i.e. between the most pessimistic and the most optimistic estimate of the structure's
  own model over the literature ranges of its components;
* ``requires a mechanism``: possible only with something the design does not state (an
  interphase, a matrix modification, alignment, percolation, blocking interfaces, a
  passivating CEI or a different measurement method for a window); the size of the
  mechanism that reproduces the value is reported;
* ``implausible``: breaks a rigorous bound even with every such mechanism at a physically
  plausible maximum size (the composite mechanism ceiling: Hashin-Shtrikman for isotropic
  structures, Wiener otherwise, over an amorphous polymer, a maximal interphase and the
  fillers at the top of their ranges; the series limit of a stack; the R-weighted t+ bound
  of a stack; t+ outside [0, 1]; a window more than the allowed margin above a practical
  limit, or a Li-facing phase that does not passivate), with the factor by which it breaks
  it. Indicative library values (no literature reference) are widened before they serve
  as such limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

VerdictName = Literal["consistent", "requires a mechanism", "implausible", "not assessed",
                      "error"]
VERDICTS: tuple[str, ...] = ("consistent", "requires a mechanism", "implausible",
                             "not assessed", "error")
REL_TOL = 1e-9  # relative tolerance of every bound comparison [-]

LIKELY_CAUSES_HIGH_SIGMA: tuple[str, ...] = (
    "anisotropy (e.g. in-plane measurement of aligned or layered fillers, or a structure "
    "that is not isotropic as described)",
    "a different reference geometry (electrode area or thickness other than the film's; "
    "thickness measured before pressing)",
    "liquid or solvent residue (DMF, NMP, acetonitrile, water) or a plasticiser",
    "a measurement artefact: electrode contact or a wrongly read intercept (the low-frequency "
    "or electrode arc taken as bulk), or a thickness error",
    "a more conductive component than the library range covers (different salt content, "
    "dopant or processing)",
)
LIKELY_CAUSES_LOW_ASR: tuple[str, ...] = (
    "a thinner film than stated or a different electrode area",
    "liquid or solvent residue, or a gel phase",
    "an ASR quoted for one layer or without the polymer interlayers",
    "a measurement artefact (intercept read at the wrong frequency)",
)
LIKELY_CAUSES_HIGH_TPLUS: tuple[str, ...] = (
    "the uncorrected current ratio I_ss/I_0 (or a current-retention ratio that includes "
    "Li-only interfacial resistances) quoted as t+",
    "interfacial resistances that changed during polarisation (Bruce-Vincent correction "
    "invalid)",
    "a thinner polymer interlayer than stated, or none",
    "liquid or solvent residue",
)
LIKELY_CAUSES_WINDOW: tuple[str, ...] = (
    "LSV on an inert, flat blocking electrode (stainless steel, Pt) with a high threshold "
    "current: this overstates the window (PHYSICS 9.4)",
    "a fast scan rate or an onset criterion that hides the first oxidation current",
    "a protective coating or buffer layer not described in the design",
)


@dataclass(frozen=True)
class Verdict:
    """The audit of one reported value.

    Attributes
    ----------
    record_id : str
        Label of the record.
    quantity : str
        ``conductivity`` | ``t_plus`` | ``asr`` | ``window``.
    verdict : str
        One of :data:`VERDICTS`.
    explanation : str
        One or two sentences with the numbers.
    reported : str
        The value as reported.
    value_SI : float or None
        Reported value in SI (S/m, -, ohm m^2, V (window upper limit)).
    T_K : float or None
        Temperature [K].
    numbers : dict
        The numbers behind the verdict (SI, keys carry the unit).
    mechanisms : dict
        Sizes of the mechanisms that would reproduce the value (SI, keys carry the unit).
    assumptions : tuple of str
        What the verdict assumes (structure, ranges, temperature).
    likely_causes : tuple of str
        Most likely explanations (for ``implausible``).
    factor : float or None
        By how much the value breaks the bound (ratio, or difference in V for windows).
    bound : str
        Name of the bound or band that decided.
    citation : str
        Source of the value.
    design : str
        Design name.
    """

    record_id: str
    quantity: str
    verdict: str
    explanation: str
    reported: str = ""
    value_SI: float | None = None
    T_K: float | None = None
    numbers: dict[str, Any] = field(default_factory=dict)
    mechanisms: dict[str, Any] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()
    likely_causes: tuple[str, ...] = ()
    factor: float | None = None
    bound: str = ""
    citation: str = ""
    design: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready after :func:`hylyte.cli._common.to_jsonable`)."""
        return {
            "record_id": self.record_id, "design": self.design, "quantity": self.quantity,
            "reported": self.reported, "value_SI": self.value_SI, "T_K": self.T_K,
            "verdict": self.verdict, "bound": self.bound, "factor": self.factor,
            "explanation": self.explanation, "numbers": dict(self.numbers),
            "mechanisms": dict(self.mechanisms), "assumptions": list(self.assumptions),
            "likely_causes": list(self.likely_causes), "citation": self.citation,
        }

    def to_row(self) -> dict[str, Any]:
        """One flat row for CSV/Parquet tables (nested fields as ``; ``-joined text)."""
        return {
            "record_id": self.record_id, "design": self.design, "quantity": self.quantity,
            "reported": self.reported, "value_SI": self.value_SI, "T_K": self.T_K,
            "verdict": self.verdict, "bound": self.bound, "factor": self.factor,
            "explanation": self.explanation,
            "numbers": "; ".join(f"{k}={_num(v)}" for k, v in self.numbers.items()),
            "mechanisms": "; ".join(f"{k}={_num(v)}" for k, v in self.mechanisms.items()),
            "assumptions": "; ".join(self.assumptions),
            "likely_causes": "; ".join(self.likely_causes), "citation": self.citation,
        }


def _num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def classify_band(value: float, low: float, high: float, bound: float) -> tuple[str, float]:
    """Verdict of a value against a consistent band [low, high] and a rigorous upper bound.

    Parameters
    ----------
    value : float
        Reported value.
    low, high : float
        Most pessimistic and most optimistic estimates over the component ranges.
    bound : float
        Rigorous upper bound (``high <= bound``).

    Returns
    -------
    (verdict, factor)
        ``implausible`` with ``value/bound`` above the bound; ``requires a mechanism`` with
        ``value/high`` (> 1) or ``value/low`` (< 1) outside the band; ``consistent`` with
        1.0 inside it.
    """
    if value > bound * (1.0 + REL_TOL):
        return "implausible", value / bound
    if value > high * (1.0 + REL_TOL):
        return "requires a mechanism", value / high
    if value < low * (1.0 - REL_TOL):
        return "requires a mechanism", value / low
    return "consistent", 1.0


def classify_lower_bound(value: float, bound: float, low: float, high: float
                         ) -> tuple[str, float]:
    """Verdict of a value that a rigorous *lower* bound limits (an ASR).

    ``implausible`` below ``bound`` (factor ``bound/value``), ``requires a mechanism``
    outside [low, high], else ``consistent``.
    """
    if value < bound * (1.0 - REL_TOL):
        return "implausible", bound / value
    if value < low * (1.0 - REL_TOL):
        return "requires a mechanism", low / value
    if value > high * (1.0 + REL_TOL):
        return "requires a mechanism", value / high
    return "consistent", 1.0


def worst(verdicts: list[str]) -> str:
    """The most severe of several verdicts."""
    order = {"error": 4, "implausible": 3, "requires a mechanism": 2, "not assessed": 1,
             "consistent": 0}
    return max(verdicts, key=lambda v: order.get(v, 0)) if verdicts else "not assessed"


def summary(verdicts: list[Verdict]) -> dict[str, int]:
    """Counts per verdict (every verdict name present, zero included)."""
    out = dict.fromkeys(VERDICTS, 0)
    for v in verdicts:
        out[v.verdict] = out.get(v.verdict, 0) + 1
    out["total"] = len(verdicts)
    return out


__all__ = ["LIKELY_CAUSES_HIGH_SIGMA", "LIKELY_CAUSES_HIGH_TPLUS", "LIKELY_CAUSES_LOW_ASR",
           "LIKELY_CAUSES_WINDOW", "REL_TOL", "VERDICTS", "Verdict", "classify_band",
           "classify_lower_bound", "summary", "worst"]
