"""The formula AST: frozen attrs nodes, built once by the parser and walked by
every later stage (printer, checks, evaluator, SQL, explanations).

Each node carries a :class:`~iku_rules.source.Span` that equality ignores, so
``parse("a+b") == parse("a  +  b")``. Chains of one precedence level are flat:
``a + b - c`` is one :class:`Sum` with three operands.

>>> from decimal import Decimal
>>> here, there = Span(0, 1, 1, 1, 1, 2), Span(5, 6, 2, 3, 2, 4)
>>> Sum((Name("a", span=here), Number(Decimal("2"))), ("+",)) == Sum((Name("a", span=there), Number(Decimal("2"))), ("+",))
True
>>> Name("PMKS  yang Tertangani").key
'pmks yang tertangani'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from attrs import field, frozen

from iku_rules.i18n import N_
from iku_rules.source import Span


def collapse_spaces(text: str) -> str:
    """``text`` with every run of white space made one space, and trimmed."""
    return " ".join(text.split())


def name_key(text: str) -> str:
    """How names are looked up: case ignored, runs of white space collapsed, and one
    spelling of each accented letter (NFC: ``é`` typed as one character or as ``e`` and an
    accent is one name)."""
    return unicodedata.normalize("NFC", " ".join(text.split()).casefold())


@frozen
class Node:
    """Base of every AST node. ``span`` is where the node stands in the text."""

    span: Span | None = field(default=None, eq=False, repr=False, kw_only=True)

    def children(self) -> tuple[Node, ...]:
        """The direct sub-expressions, in source order."""
        return ()


@frozen
class Number(Node):
    """A decimal literal; ``percent`` when written with ``%`` (``100%``)."""

    value: Decimal
    percent: bool = False


@frozen
class Text(Node):
    """A string literal, used in filters: ``"baik"``."""

    value: str


@frozen
class Name(Node):
    """A name bound to a value, a measure, an input or an indicator.

    ``text`` is as written, with white space collapsed; lookups use ``key``.
    """

    text: str = field(converter=collapse_spaces)

    @property
    def key(self) -> str:
        return name_key(self.text)


@frozen
class Field(Node):
    """One field of every record in a list: ``pegawai.gaji``."""

    base: Node
    name: str

    def children(self) -> tuple[Node, ...]:
        return (self.base,)

    @property
    def key(self) -> str:
        return name_key(self.name)


@frozen
class Filter(Node):
    """The records of a list that pass a condition: ``pegawai[nilai_skp = "baik"]``.

    Names inside the condition are the records' fields.
    """

    base: Node
    condition: Node

    def children(self) -> tuple[Node, ...]:
        return (self.base, self.condition)


AGGREGATES = ("sum", "count", "avg")


@frozen
class Aggregate(Node):
    """``Σ x`` (``sum``, ``jumlah``, ``total``), ``count x`` or ``avg x`` (``rata_rata``)."""

    func: str
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@frozen
class Neg(Node):
    """Unary minus."""

    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@frozen
class Sum(Node):
    """``a + b - c``: ``ops[i]`` (``"+"`` or ``"-"``) stands before ``operands[i + 1]``."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@frozen
class Product(Node):
    """``a × b / c``: ``ops[i]`` (``"*"`` or ``"/"``) stands before ``operands[i + 1]``."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


@frozen
class Compare(Node):
    """``left op right`` with ``op`` one of :data:`COMPARISONS`."""

    left: Node
    op: str
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@frozen
class In(Node):
    """``x in ("a", "b")``, or ``x not in (...)`` when ``negated``."""

    operand: Node
    options: tuple[Node, ...]
    negated: bool = False

    def children(self) -> tuple[Node, ...]:
        return (self.operand, *self.options)


@frozen
class Not(Node):
    """``not c``."""

    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@frozen
class And(Node):
    """``a and b and ...``."""

    operands: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@frozen
class Or(Node):
    """``a or b or ...``."""

    operands: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@frozen
class FunctionSpec:
    """What the language knows of a function: its arity (``max_args`` None = any)."""

    name: str
    min_args: int
    max_args: int | None
    doc: str
    """What it does, in English: translate it with ``_()`` where it is shown."""


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec("min", 1, None, N_("the smallest argument, or the smallest item of one list")),
        FunctionSpec("max", 1, None, N_("the largest argument, or the largest item of one list")),
        FunctionSpec("abs", 1, 1, N_("the absolute value")),
        FunctionSpec(
            "round", 1, 2, N_("round(x, n): x rounded to n decimals, half away from zero")
        ),
        FunctionSpec(
            "if", 3, 3, N_("if(condition, then, else): only the chosen branch is evaluated")
        ),
        FunctionSpec("coalesce", 1, None, N_("the first argument that is available")),
        FunctionSpec(
            "sebelumnya", 1, 1, N_("sebelumnya(x): x in the previous period of the same kind")
        ),
        FunctionSpec(
            "jumlah",
            2,
            None,
            N_("jumlah(a, b, ...): the total of the values; not available when any is not"),
        ),
        FunctionSpec(
            "rata_rata",
            2,
            None,
            N_("rata_rata(a, b, ...): the average of the values; not available when any is not"),
        ),
        FunctionSpec(
            "rata_rata_tersedia",
            1,
            None,
            N_("rata_rata_tersedia(a, b, ...): the average of the values that are available"),
        ),
    )
}
"""The only callable things. Nothing else in a formula can be called."""

FUNCTION_ALIASES = {
    "jika": "if",
    "bulatkan": "round",
    "previous": "sebelumnya",
    "rata-rata-tersedia": "rata_rata_tersedia",
    "avg_available": "rata_rata_tersedia",
}

LIST_FUNCTIONS = {"sum": "jumlah", "avg": "rata_rata"}
"""An aggregate word followed by several values in parentheses (``jumlah(a, b)``,
``sum(a, b)``, ``rata-rata(a, b)``, ``avg(a, b)``): the function it calls."""

PART_FUNCTIONS = ("jumlah", "rata_rata", "rata_rata_tersedia")
"""The functions of several parts (values or indicators) that total or average them."""


@frozen
class Call(Node):
    """A call of one of the :data:`FUNCTIONS`; ``func`` is the canonical name."""

    func: str
    args: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.args


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself first), depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children()))


def depth(node: Node) -> int:
    """How deeply ``node`` nests (a lone name is 1), computed without recursion."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in current.children())
    return deepest
