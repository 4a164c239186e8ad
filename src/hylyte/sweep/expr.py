"""A small, safe expression language for sweep constraints and optimisation targets.

Expressions are parsed into a tree and evaluated by walking it; nothing is ever passed to
``eval``. The grammar::

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := sum (('<=' | '>=' | '<' | '>' | '==' | '!=') sum)?
    sum     := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary)*
    unary   := '-' unary | atom
    atom    := NUMBER [UNIT] | STRING | NAME | FUNC '(' expr (',' expr)* ')' | '(' expr ')'

``NUMBER UNIT`` is a quantity such as ``50 um`` or ``30 vol%`` (a single unit word; quote
compound units: ``'1e-4 S/cm'``). ``NAME`` is a dotted path such as ``layers.0.thickness``;
a ``*`` segment (``layers.*.thickness``) yields a list for ``sum``, ``min``, ``max`` or ``len``.

Values are :class:`Quantity` objects: an SI magnitude and a dimension signature, so that
``10 um + 0.04 mm <= 50 um`` is checked dimensionally and mixing a length with a conductivity
raises :class:`~hylyte.errors.InputError` naming the expression.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hylyte.errors import InputError, UnitError

__all__ = ["Expression", "Quantity", "parse_expression", "quantity_from_value"]

Dims = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A magnitude in SI base units with its dimension signature.

    Attributes
    ----------
    value : float
        Magnitude in SI base units (K, m, kg, s, A, mol) [SI].
    dims : tuple of (str, float)
        Sorted ``(dimension, exponent)`` pairs; ``()`` for a plain number.
    """

    value: float
    dims: Dims = ()

    def _same(self, other: Quantity, op: str) -> None:
        if self.dims != other.dims:
            raise _EvalError(
                f"cannot {op} quantities of dimension {_dims_text(self.dims)} and "
                f"{_dims_text(other.dims)}"
            )


class _EvalError(Exception):
    pass


def _dims_text(dims: Dims) -> str:
    if not dims:
        return "[dimensionless]"
    return " ".join(f"{d}^{e:g}" if e != 1 else d for d, e in dims)


def _mul_dims(a: Dims, b: Dims, sign: float) -> Dims:
    out: dict[str, float] = dict(a)
    for d, e in b:
        out[d] = out.get(d, 0.0) + sign * e
    return tuple(sorted((d, e) for d, e in out.items() if e != 0))


_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_QTY_RE = re.compile(rf"^\s*({_NUM})\s*(.*?)\s*$")


@functools.lru_cache(maxsize=4096)
def _parse_quantity_text(text: str) -> Quantity:
    m = _QTY_RE.match(text)
    if not m:
        raise UnitError(f"cannot parse {text!r} as a quantity such as '50 um' or '30 vol%'")
    number, unit = float(m.group(1)), m.group(2)
    if not unit:
        return Quantity(number, ())
    if "%" in unit:
        from hylyte.units import parse_fraction

        return Quantity(parse_fraction(text, field="quantity").value, ())
    from hylyte.units import registry

    ureg = registry()
    try:
        q = ureg.Quantity(number, unit).to_base_units()
    except Exception as err:  # pint raises several unrelated types
        raise UnitError(f"cannot parse the unit {unit!r} of {text!r}") from err
    dims = tuple(sorted((str(k), float(v)) for k, v in dict(q.dimensionality).items()))
    return Quantity(float(q.magnitude), dims)


def quantity_from_value(value: Any, *, field: str = "value") -> Quantity:
    """Turn a design value (quantity string, number or bool) into a :class:`Quantity`.

    Parameters
    ----------
    value
        ``"50 um"``, ``"30 vol%"``, ``"25 degC"`` or a plain number.
    field
        Name used in the error message.

    Raises
    ------
    InputError
        The value is not a number or a quantity string.
    """
    if isinstance(value, bool):
        return Quantity(float(value), ())
    if isinstance(value, int | float):
        return Quantity(float(value), ())
    if isinstance(value, str):
        try:
            return _parse_quantity_text(value)
        except UnitError as err:
            raise InputError(f"{field}: {err}") from err
    raise InputError(
        f"{field}: expected a number or a quantity string such as '50 um', got {value!r}"
    )


# --------------------------------------------------------------------------- tokenizer

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z0-9_]+|\*))*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|,)
    """,
    re.VERBOSE,
)
_UNIT_RE = re.compile(r"\s*([A-Za-zµμ°%][A-Za-z0-9µμ°%^]*)")
_KEYWORDS = {"and", "or", "not"}


def _tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise InputError(f"unexpected character {text[pos]!r} at position {pos} in {text!r}")
        kind = m.lastgroup
        tok = m.group()
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "number":
            um = _UNIT_RE.match(text, pos)
            if um and um.group(1) not in _KEYWORDS:
                tokens.append(("qty", f"{tok} {um.group(1)}"))
                pos = um.end()
            else:
                tokens.append(("qty", tok))
        elif kind == "string":
            tokens.append(("qty", tok[1:-1]))
        elif kind == "name":
            tokens.append(("kw" if tok in _KEYWORDS else "name", tok))
        else:
            tokens.append(("op", tok))
    tokens.append(("end", None))
    return tokens


# --------------------------------------------------------------------------- parser

class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, Any]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        _, tok = self.take()
        if tok != value:
            raise InputError(f"expected {value!r} but found {tok!r} in {self.text!r}")

    def parse(self) -> tuple:
        node = self.or_()
        kind, tok = self.peek()
        if kind != "end":
            raise InputError(f"unexpected {tok!r} in {self.text!r}")
        return node

    def or_(self) -> tuple:
        node = self.and_()
        while self.peek() == ("kw", "or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> tuple:
        node = self.not_()
        while self.peek() == ("kw", "and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self) -> tuple:
        if self.peek() == ("kw", "not"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self) -> tuple:
        node = self.sum_()
        kind, tok = self.peek()
        if kind == "op" and tok in _CMP:
            self.take()
            node = ("cmp", tok, node, self.sum_())
        return node

    def sum_(self) -> tuple:
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            _, tok = self.take()
            node = ("bin", tok, node, self.term())
        return node

    def term(self) -> tuple:
        node = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            _, tok = self.take()
            node = ("bin", tok, node, self.unary())
        return node

    def unary(self) -> tuple:
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self) -> tuple:
        kind, tok = self.take()
        if kind == "qty":
            return ("qty", tok)
        if kind == "name":
            if self.peek() == ("op", "("):
                if tok not in _FUNC_NAMES:
                    raise InputError(
                        f"unknown function {tok!r} in {self.text!r}; allowed: "
                        f"{sorted(_FUNC_NAMES)}"
                    )
                self.take()
                args = [self.or_()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_())
                self.expect(")")
                return ("call", tok, args)
            return ("name", tok)
        if (kind, tok) == ("op", "("):
            node = self.or_()
            self.expect(")")
            return node
        raise InputError(f"unexpected {tok!r} in {self.text!r}")


_CMP: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
    "==": operator.eq, "!=": operator.ne,
}
_FUNC_NAMES = {"sum", "min", "max", "abs", "len"}


def _names(node: tuple) -> set[str]:
    tag = node[0]
    if tag == "name":
        return {node[1]}
    if tag == "qty":
        return set()
    out: set[str] = set()
    for child in node[1:]:
        if isinstance(child, tuple):
            out |= _names(child)
        elif isinstance(child, list):
            for c in child:
                out |= _names(c)
    return out


Resolver = Callable[[str], "Quantity | list[Quantity]"]


@dataclass(frozen=True)
class Expression:
    """A parsed expression; evaluate it with :meth:`evaluate` or :meth:`margin`.

    Attributes
    ----------
    text : str
        The source text.
    tree : tuple
        The parse tree.
    """

    text: str
    tree: tuple

    @property
    def names(self) -> set[str]:
        """Names (dotted paths or column names) the expression refers to."""
        return _names(self.tree)

    @property
    def is_comparison(self) -> bool:
        """Whether the whole expression is a single comparison ``a <op> b``."""
        return self.tree[0] == "cmp"

    def evaluate(self, resolve: Resolver) -> Any:
        """Evaluate with ``resolve(name)`` supplying the value of each name.

        Returns
        -------
        Quantity or bool
            A bool for comparisons and logical expressions, else a :class:`Quantity`.

        Raises
        ------
        InputError
            Dimension mismatch or a name that cannot be resolved; the message names the
            expression.
        """
        try:
            return _eval(self.tree, resolve)
        except _EvalError as err:
            raise InputError(f"in {self.text!r}: {err}") from err

    def margin(self, resolve: Resolver) -> float:
        """Signed distance to violation of a comparison, ``>= 0`` when it holds.

        For ``a <= b`` and ``a < b`` this is ``b - a``; for ``a >= b`` it is ``a - b``;
        in SI base units of the two sides.

        Raises
        ------
        InputError
            The expression is not a single ``<=``/``>=``/``<``/``>`` comparison.
        """
        if not self.is_comparison or self.tree[1] in ("==", "!="):
            raise InputError(
                f"{self.text!r} must be a single comparison such as 'asr_ohm_cm2 <= 20'"
            )
        _, op, lhs, rhs = self.tree
        try:
            a = _scalar(_eval(lhs, resolve))
            b = _scalar(_eval(rhs, resolve))
            a._same(b, "compare")
        except _EvalError as err:
            raise InputError(f"in {self.text!r}: {err}") from err
        return b.value - a.value if op in ("<=", "<") else a.value - b.value


def parse_expression(text: str, *, field: str = "expression") -> Expression:
    """Parse ``text`` into an :class:`Expression`.

    Parameters
    ----------
    text
        For example ``"sum(layers.*.thickness) <= 50 um"``.
    field
        Name of the field holding the text, used in error messages.

    Raises
    ------
    InputError
        Syntax error; the message names the field and the text.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{field}: expected a non-empty expression string, got {text!r}")
    try:
        return Expression(text, _Parser(text).parse())
    except InputError as err:
        raise InputError(f"{field}: {err}") from err


def _scalar(v: Any) -> Quantity:
    if isinstance(v, Quantity):
        return v
    if isinstance(v, bool):
        return Quantity(float(v), ())
    if isinstance(v, list):
        raise _EvalError("a wildcard path gives a list; wrap it in sum(), min() or max()")
    raise _EvalError(f"cannot use {v!r} as a number")


def _eval(node: tuple, resolve: Resolver) -> Any:
    tag = node[0]
    if tag == "qty":
        return _parse_quantity_text(node[1])
    if tag == "name":
        try:
            return resolve(node[1])
        except KeyError:
            raise _EvalError(f"unknown name {node[1]!r}") from None
    if tag == "neg":
        v = _scalar(_eval(node[1], resolve))
        return Quantity(-v.value, v.dims)
    if tag == "bin":
        _, op, l_node, r_node = node
        a = _scalar(_eval(l_node, resolve))
        b = _scalar(_eval(r_node, resolve))
        if op in "+-":
            a._same(b, "add or subtract")
            return Quantity(a.value + b.value if op == "+" else a.value - b.value, a.dims)
        if op == "*":
            return Quantity(a.value * b.value, _mul_dims(a.dims, b.dims, 1.0))
        if b.value == 0:
            raise _EvalError("division by zero")
        return Quantity(a.value / b.value, _mul_dims(a.dims, b.dims, -1.0))
    if tag == "cmp":
        _, op, l_node, r_node = node
        a = _scalar(_eval(l_node, resolve))
        b = _scalar(_eval(r_node, resolve))
        a._same(b, "compare")
        if op in ("==", "!="):
            eq = math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=0.0)
            return eq if op == "==" else not eq
        # compare with a relative tolerance of 1e-9 so that 10 um + 40 um <= 50 um holds
        tol = 1e-9 * max(abs(a.value), abs(b.value))
        if op == "<=":
            return a.value <= b.value + tol
        if op == ">=":
            return a.value >= b.value - tol
        if op == "<":
            return a.value < b.value - tol
        return a.value > b.value + tol
    if tag == "and":
        return bool(_eval(node[1], resolve)) and bool(_eval(node[2], resolve))
    if tag == "or":
        return bool(_eval(node[1], resolve)) or bool(_eval(node[2], resolve))
    if tag == "not":
        return not bool(_eval(node[1], resolve))
    if tag == "call":
        _, fname, args = node
        vals: list[Quantity] = []
        for a in args:
            v = _eval(a, resolve)
            vals.extend(_scalar(x) for x in (v if isinstance(v, list) else [v]))
        if fname == "len":
            return Quantity(float(len(vals)), ())
        if not vals:
            raise _EvalError(f"{fname}() of an empty list")
        if fname == "abs":
            if len(vals) != 1:
                raise _EvalError("abs() takes one value")
            return Quantity(abs(vals[0].value), vals[0].dims)
        for v in vals[1:]:
            vals[0]._same(v, f"take {fname}() of")
        nums = [v.value for v in vals]
        agg = {"sum": sum, "min": min, "max": max}[fname]
        return Quantity(float(agg(nums)), vals[0].dims)
    raise AssertionError(f"unknown node {tag!r}")  # pragma: no cover
