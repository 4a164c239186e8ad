"""Equivalent-circuit strings: tokenizer, recursive-descent parser and element registry.

Grammar (the common ``impedance.py``/ZView-like notation)::

    circuit  := series
    series   := term ('-' term)*
    term     := element | 'p(' series (',' series)+ ')'
    element  := PREFIX SUFFIX        e.g. R0, CPE1, Wo2, Rb, C_gb

``PREFIX`` is one of the registered element names (longest match wins, so ``Wo1`` is a
finite-length Warburg and ``W1`` a semi-infinite one); ``SUFFIX`` is letters, digits and ``_``.
Nothing is ever evaluated as Python: the text is tokenized and parsed, and anything outside
the grammar raises :class:`~hylyte.errors.InputError` with the character position.

Elements (impedance ``Z(omega)``, ``omega`` in rad/s, ``j`` the imaginary unit):

========  ==========================================  =====================================
name      impedance                                   parameters [units]
========  ==========================================  =====================================
R         R                                           R [ohm]
C         1/(j omega C)                               C [F]
L         j omega L                                   L [H]
CPE, Q    1/(Q (j omega)^n)                           Q [S s^n], n [-] (0 < n <= 1)
W         A (1 - j)/sqrt(omega)                       A [ohm s^-1/2] (semi-infinite)
Ws        R tanh(sqrt(j omega tau))/sqrt(j omega tau) R [ohm], tau [s] (transmissive, §9.1)
Wo        R coth(sqrt(j omega tau))/sqrt(j omega tau) R [ohm], tau [s] (reflective)
G         R / sqrt(1 + j omega tau)                   R [ohm], tau [s] (Gerischer)
========  ==========================================  =====================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from hylyte.errors import InputError

_MAX_LENGTH = 2000
_MAX_DEPTH = 50


def _z_r(w: NDArray, p: NDArray) -> NDArray:
    return np.broadcast_to(p[0] + 0j, w.shape)


def _z_c(w: NDArray, p: NDArray) -> NDArray:
    return 1.0 / (1j * w * p[0])


def _z_l(w: NDArray, p: NDArray) -> NDArray:
    return 1j * w * p[0]


def _z_cpe(w: NDArray, p: NDArray) -> NDArray:
    return 1.0 / (p[0] * (1j * w) ** p[1])


def _z_w(w: NDArray, p: NDArray) -> NDArray:
    return p[0] * (1.0 - 1j) / np.sqrt(w)


def _z_ws(w: NDArray, p: NDArray) -> NDArray:
    s = np.sqrt(1j * w * p[1])
    return p[0] * np.tanh(s) / s


def _z_wo(w: NDArray, p: NDArray) -> NDArray:
    s = np.sqrt(1j * w * p[1])
    return p[0] / (s * np.tanh(s))


def _z_g(w: NDArray, p: NDArray) -> NDArray:
    return p[0] / np.sqrt(1.0 + 1j * w * p[1])


def _d_r(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    return [np.ones(w.shape, dtype=complex)]


def _d_c(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    return [-z / p[0]]


def _d_l(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    return [1j * w + 0j]


def _d_cpe(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    return [-z / p[0], -z * np.log(1j * w)]


def _d_w(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    return [(1.0 - 1j) / np.sqrt(w)]


def _d_ws(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    s = np.sqrt(1j * w * p[1])
    th = np.tanh(s)
    return [z / p[0], p[0] / (2 * p[1]) * ((1.0 - th * th) - th / s)]


def _d_wo(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    s = np.sqrt(1j * w * p[1])
    ct = 1.0 / np.tanh(s)
    return [z / p[0], p[0] / (2 * p[1]) * (-(ct * ct - 1.0) - ct / s)]


def _d_g(w: NDArray, p: NDArray, z: NDArray) -> list[NDArray]:
    q = 1.0 + 1j * w * p[1]
    return [z / p[0], -0.5 * p[0] * 1j * w * q ** -1.5]


@dataclass(frozen=True)
class ElementType:
    """A circuit element kind in the registry.

    Attributes
    ----------
    name : str
        Prefix used in circuit strings (``"R"``, ``"CPE"``...).
    params : tuple of str
        Parameter names, in order.
    units : tuple of str
        Unit of each parameter.
    kinds : tuple of {"log", "exponent"}
        ``"log"``: strictly positive, fitted as its logarithm; ``"exponent"``: bounded in
        (0, 1], fitted linearly.
    impedance : callable
        ``impedance(omega, params) -> complex ndarray``.
    dc : {"short", "open", "resistive"}
        Limit at omega -> 0: zero impedance, infinite, or the first parameter [ohm].
    capacitive : bool
        Whether the element is a (pseudo)capacitance (C, CPE) that forms an arc with an R.
    """

    name: str
    params: tuple[str, ...]
    units: tuple[str, ...]
    kinds: tuple[str, ...]
    impedance: Callable[[NDArray, NDArray], NDArray]
    dc: Literal["short", "open", "resistive"]
    capacitive: bool = False
    derivative: Callable[[NDArray, NDArray, NDArray], list[NDArray]] | None = None


#: The element registry: prefix -> element kind.
ELEMENTS: dict[str, ElementType] = {
    "R": ElementType("R", ("R",), ("ohm",), ("log",), _z_r, "resistive", False, _d_r),
    "C": ElementType("C", ("C",), ("F",), ("log",), _z_c, "open", True, _d_c),
    "L": ElementType("L", ("L",), ("H",), ("log",), _z_l, "short", False, _d_l),
    "CPE": ElementType("CPE", ("Q", "n"), ("S s^n", "-"), ("log", "exponent"), _z_cpe, "open",
                       True, _d_cpe),
    "Q": ElementType("Q", ("Q", "n"), ("S s^n", "-"), ("log", "exponent"), _z_cpe, "open",
                     True, _d_cpe),
    "W": ElementType("W", ("A",), ("ohm s^-1/2",), ("log",), _z_w, "open", False, _d_w),
    "Ws": ElementType("Ws", ("R", "tau"), ("ohm", "s"), ("log", "log"), _z_ws, "resistive",
                      False, _d_ws),
    "Wo": ElementType("Wo", ("R", "tau"), ("ohm", "s"), ("log", "log"), _z_wo, "open", False,
                      _d_wo),
    "G": ElementType("G", ("R", "tau"), ("ohm", "s"), ("log", "log"), _z_g, "resistive", False,
                     _d_g),
}
_PREFIXES = sorted(ELEMENTS, key=len, reverse=True)


@dataclass(frozen=True)
class Element:
    """One element of a parsed circuit (``label`` is the name written by the user)."""

    label: str
    kind: ElementType
    offset: int  # index of its first parameter in the circuit's parameter vector


@dataclass(frozen=True)
class Node:
    """An interior node: ``op`` is ``"series"`` or ``"parallel"``."""

    op: Literal["series", "parallel"]
    children: tuple[Node | Element, ...]


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "p(", ",", ")", "-"
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """Split a circuit string into tokens; raise InputError at the first illegal character."""
    if not isinstance(text, str):
        raise InputError(f"circuit must be a string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise InputError(f"circuit is {len(text)} characters long; at most {_MAX_LENGTH} allowed")
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t":
            i += 1
        elif ch == "p" and i + 1 < n and text[i + 1] == "(":
            tokens.append(Token("p(", "p(", i))
            i += 2
        elif ch in ",)-":
            tokens.append(Token(ch, ch, i))
            i += 1
        elif ch.isascii() and (ch.isalpha()):
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("name", text[i:j], i))
            i = j
        else:
            raise InputError(
                f"circuit {text!r}: unexpected character {ch!r} at position {i}; allowed are "
                "element names (R, C, L, CPE, Q, W, Ws, Wo, G + suffix), '-', 'p(', ',' and ')'"
            )
    if not tokens:
        raise InputError("circuit is empty; write e.g. 'R0-p(R1,CPE1)-CPE2'")
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.offset = 0
        self.elements: list[Element] = []
        self.labels: dict[str, int] = {}

    def error(self, msg: str, pos: int | None = None) -> InputError:
        if pos is None:
            pos = self.tokens[self.i].pos if self.i < len(self.tokens) else len(self.text)
        return InputError(f"circuit {self.text!r}: {msg} at position {pos}")

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self) -> Node | Element:
        node = self.series(0)
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek().text!r}")
        return node

    def series(self, depth: int) -> Node | Element:
        if depth > _MAX_DEPTH:
            raise self.error(f"nesting deeper than {_MAX_DEPTH}")
        terms = [self.term(depth)]
        while (tok := self.peek()) is not None and tok.kind == "-":
            self.i += 1
            terms.append(self.term(depth))
        return terms[0] if len(terms) == 1 else Node("series", tuple(terms))

    def term(self, depth: int) -> Node | Element:
        tok = self.peek()
        if tok is None:
            raise self.error("expected an element or 'p(' but the circuit ended")
        if tok.kind == "p(":
            self.i += 1
            branches = [self.series(depth + 1)]
            while (t := self.peek()) is not None and t.kind == ",":
                self.i += 1
                branches.append(self.series(depth + 1))
            t = self.peek()
            if t is None or t.kind != ")":
                raise self.error("expected ',' or ')' to close 'p('")
            self.i += 1
            if len(branches) < 2:
                raise self.error("p(...) needs at least two branches", tok.pos)
            return Node("parallel", tuple(branches))
        if tok.kind == "name":
            self.i += 1
            return self.element(tok)
        raise self.error(f"expected an element or 'p(', got {tok.text!r}")

    def element(self, tok: Token) -> Element:
        for prefix in _PREFIXES:
            if tok.text.startswith(prefix):
                break
        else:
            raise self.error(
                f"unknown element {tok.text!r}; known prefixes are {sorted(ELEMENTS)}", tok.pos
            )
        if tok.text in self.labels:
            raise self.error(f"element name {tok.text!r} is used twice", tok.pos)
        kind = ELEMENTS[prefix]
        el = Element(tok.text, kind, self.offset)
        self.labels[tok.text] = self.offset
        self.offset += len(kind.params)
        self.elements.append(el)
        return el


def _eval(node: Node | Element, w: NDArray, p: NDArray) -> NDArray:
    if isinstance(node, Element):
        k = node.kind
        return k.impedance(w, p[node.offset:node.offset + len(k.params)])
    if node.op == "series":
        z = _eval(node.children[0], w, p)
        for c in node.children[1:]:
            z = z + _eval(c, w, p)
        return z
    y = 1.0 / _eval(node.children[0], w, p)
    for c in node.children[1:]:
        y = y + 1.0 / _eval(c, w, p)
    return 1.0 / y


def _eval_jac(node: Node | Element, w: NDArray, p: NDArray, k: int
              ) -> tuple[NDArray, NDArray]:
    """Impedance and its derivatives dZ/dp, shape (k, n_freq)."""
    if isinstance(node, Element):
        el = node.kind
        pp = p[node.offset:node.offset + len(el.params)]
        z = np.asarray(el.impedance(w, pp), dtype=complex)
        d = np.zeros((k, w.size), dtype=complex)
        for i, di in enumerate(el.derivative(w, pp, z)):
            d[node.offset + i] = di
        return z, d
    parts = [_eval_jac(c, w, p, k) for c in node.children]
    if node.op == "series":
        return sum(z for z, _ in parts), sum(d for _, d in parts)
    y = sum(1.0 / z for z, _ in parts)
    z = 1.0 / y
    d = sum(dz / (zc * zc) for zc, dz in parts) * (z * z)
    return z, d


def _dc(node: Node | Element, p: NDArray) -> float:
    if isinstance(node, Element):
        if node.kind.dc == "short":
            return 0.0
        if node.kind.dc == "open":
            return np.inf
        return float(p[node.offset])
    vals = [_dc(c, p) for c in node.children]
    if node.op == "series":
        return float(sum(vals))
    if any(v == 0.0 for v in vals):
        return 0.0
    g = sum(1.0 / v for v in vals)
    return float(np.inf) if g == 0 else float(1.0 / g)


@dataclass(frozen=True)
class Arc:
    """A parallel block made of one resistor and one capacitive element (R || C or R || CPE)."""

    resistor: Element
    capacitor: Element
    block_index: int


@dataclass(frozen=True)
class Circuit:
    """A parsed equivalent circuit.

    Attributes
    ----------
    text : str
        The circuit string as given.
    root : Node or Element
        The parse tree.
    elements : tuple of Element
        Elements in order of appearance.
    param_names : tuple of str
        ``"<label>.<param>"`` for every parameter, e.g. ``"CPE1.Q"``.
    param_units : tuple of str
        Unit of every parameter.
    param_kinds : tuple of str
        ``"log"`` or ``"exponent"`` for every parameter.
    """

    text: str
    root: Node | Element
    elements: tuple[Element, ...]
    param_names: tuple[str, ...] = field(init=False)
    param_units: tuple[str, ...] = field(init=False)
    param_kinds: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names, units, kinds = [], [], []
        for el in self.elements:
            for pn, pu, pk in zip(el.kind.params, el.kind.units, el.kind.kinds, strict=True):
                names.append(f"{el.label}.{pn}")
                units.append(pu)
                kinds.append(pk)
        object.__setattr__(self, "param_names", tuple(names))
        object.__setattr__(self, "param_units", tuple(units))
        object.__setattr__(self, "param_kinds", tuple(kinds))

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return len(self.param_names)

    def impedance(self, frequency_Hz: ArrayLike, params: ArrayLike) -> NDArray[np.complex128]:
        """Impedance of the circuit [ohm] at ``frequency_Hz`` [Hz] for ``params`` (SI)."""
        p = np.asarray(params, dtype=float)
        if p.shape != (self.n_params,):
            raise InputError(
                f"params must have {self.n_params} values for circuit {self.text!r} "
                f"({', '.join(self.param_names)}), got shape {p.shape}"
            )
        w = 2.0 * np.pi * np.asarray(frequency_Hz, dtype=float)
        return np.asarray(_eval(self.root, w, p), dtype=complex)

    def impedance_and_jacobian(self, frequency_Hz: ArrayLike, params: ArrayLike
                               ) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
        """Impedance [ohm] and its analytic derivatives ``dZ/dp``, shape (n_params, n_freq)."""
        p = np.asarray(params, dtype=float)
        if p.shape != (self.n_params,):
            raise InputError(f"params must have {self.n_params} values, got shape {p.shape}")
        w = 2.0 * np.pi * np.asarray(frequency_Hz, dtype=float)
        return _eval_jac(self.root, w, p, self.n_params)

    def dc_resistance(self, params: ArrayLike) -> float:
        """Limit of Re Z as omega -> 0 [ohm]; ``inf`` for a blocking circuit."""
        return _dc(self.root, np.asarray(params, dtype=float))

    def series_elements(self) -> tuple[Element, ...]:
        """Elements that sit directly in the top-level series path."""
        if isinstance(self.root, Element):
            return (self.root,)
        if self.root.op == "series":
            return tuple(c for c in self.root.children if isinstance(c, Element))
        return ()

    def arcs(self) -> tuple[Arc, ...]:
        """Parallel blocks ``p(R, C)`` / ``p(R, CPE)`` found anywhere in the circuit."""
        out: list[Arc] = []

        def walk(node: Node | Element) -> None:
            if isinstance(node, Element):
                return
            if node.op == "parallel" and len(node.children) == 2 and all(
                isinstance(c, Element) for c in node.children
            ):
                a, b = node.children
                if a.kind.name == "R" and b.kind.capacitive:
                    out.append(Arc(a, b, len(out)))
                    return
                if b.kind.name == "R" and a.kind.capacitive:
                    out.append(Arc(b, a, len(out)))
                    return
            for c in node.children:
                walk(c)

        walk(self.root)
        return tuple(out)


def parse_circuit(text: str) -> Circuit:
    """Parse a circuit string such as ``"R0-p(R1,CPE1)-CPE2"``.

    Parameters
    ----------
    text : str
        Circuit in the grammar of this module (no Python is evaluated).

    Returns
    -------
    Circuit
        The parsed circuit.

    Raises
    ------
    InputError
        On any text outside the grammar; the message gives the position.

    Examples
    --------
    >>> parse_circuit("R0-p(R1,CPE1)").param_names
    ('R0.R', 'R1.R', 'CPE1.Q', 'CPE1.n')
    """
    parser = _Parser(text)
    root = parser.parse()
    return Circuit(text, root, tuple(parser.elements))


__all__ = ["ELEMENTS", "Arc", "Circuit", "Element", "ElementType", "parse_circuit", "tokenize"]
