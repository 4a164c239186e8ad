"""Standard atomic weights and a small chemical-formula parser (mass fractions).

Atomic weights [g/mol] are the IUPAC conventional/abridged standard values (CIAAW 2021),
rounded to 4-5 significant digits, which is ample for cost and critical-element accounting.
"""

from __future__ import annotations

import re

from hylyte.errors import InputError

ATOMIC_WEIGHT: dict[str, float] = {
    "H": 1.008, "B": 10.81, "C": 12.011, "N": 14.007, "O": 15.999, "F": 18.998,
    "Na": 22.990, "Mg": 24.305, "Al": 26.982, "Si": 28.085, "P": 30.974, "S": 32.06,
    "Cl": 35.45, "K": 39.098, "Ca": 40.078, "Ti": 47.867, "V": 50.942, "Cr": 51.996,
    "Mn": 54.938, "Fe": 55.845, "Co": 58.933, "Ni": 58.693, "Cu": 63.546, "Zn": 65.38,
    "Ga": 69.723, "Ge": 72.630, "Br": 79.904, "Sr": 87.62, "Y": 88.906, "Zr": 91.224,
    "Nb": 92.906, "Mo": 95.95, "Sn": 118.71, "Sb": 121.76, "I": 126.90, "Ba": 137.33,
    "La": 138.91, "Ta": 180.95, "W": 183.84, "Li": 6.94,
}

_TOKEN = re.compile(r"([A-Z][a-z]?|\(|\)|\[|\])(\d+(?:\.\d+)?|\.\d+)?")


def parse_formula(formula: str) -> dict[str, float]:
    """Element amounts in a formula such as ``"Li6.4La3Zr1.4Ta0.6O12"`` or ``"(C2H4O)20Li"``.

    Parentheses and brackets with multipliers are supported; whitespace and ``·`` separate
    nothing and are ignored.

    Parameters
    ----------
    formula : str
        Chemical formula.

    Returns
    -------
    dict
        Element symbol -> amount per formula unit [-].

    Raises
    ------
    InputError
        Unknown element, unbalanced parentheses or stray characters.
    """
    text = formula.replace(" ", "").replace("·", "")
    stack: list[dict[str, float]] = [{}]
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise InputError(f"formula {formula!r}: cannot read {text[pos:]!r}")
        tok, num = m.group(1), m.group(2)
        mult = float(num) if num else 1.0
        if tok in "([":
            if num:
                raise InputError(f"formula {formula!r}: a number cannot follow {tok!r}")
            stack.append({})
        elif tok in ")]":
            if len(stack) < 2:
                raise InputError(f"formula {formula!r}: unbalanced {tok!r}")
            group = stack.pop()
            for el, n in group.items():
                stack[-1][el] = stack[-1].get(el, 0.0) + n * mult
        else:
            if tok not in ATOMIC_WEIGHT:
                raise InputError(
                    f"formula {formula!r}: unknown element {tok!r}; known: {sorted(ATOMIC_WEIGHT)}"
                )
            stack[-1][tok] = stack[-1].get(tok, 0.0) + mult
        pos = m.end()
    if len(stack) != 1 or not stack[0]:
        raise InputError(f"formula {formula!r}: unbalanced parentheses or no elements")
    return stack[0]


def molar_mass(formula: str) -> float:
    """Molar mass of a formula unit [kg/mol]."""
    return sum(ATOMIC_WEIGHT[el] * n for el, n in parse_formula(formula).items()) * 1e-3


def mass_fractions(formula: str) -> dict[str, float]:
    """Element mass fractions [-] of a formula (they sum to 1)."""
    amounts = parse_formula(formula)
    masses = {el: ATOMIC_WEIGHT[el] * n for el, n in amounts.items()}
    total = sum(masses.values())
    return {el: m / total for el, m in sorted(masses.items())}
