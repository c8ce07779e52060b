"""Text to AST: the shipped Lark grammar, one Transformer pass, plain-words errors.

The grammar (``grammar/iku.lark``) is compiled once, on first use, from tables
built ahead of time (:func:`lark_parser`).
Lark's LALR parser is iterative, so deep or long input cannot exhaust Python's
stack while parsing; before the (recursive) Transformer runs, the parse tree's
depth and size are measured without recursion and refused past :data:`MAX_DEPTH`
and :data:`MAX_NODES`.

>>> parse("Σ PMKS yang Tertangani / Σ PMKS X 100%").body.ops
('/', '*')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lark import Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedInput, VisitError

from iku_rules import ast
from iku_rules import notation as notations
from iku_rules.errors import FormulaError, FormulaSyntaxError, FormulaTypeError, LimitError
from iku_rules.formula import Formula
from iku_rules.grammar import lark_parser
from iku_rules.i18n import N_, _, format_number, ngettext
from iku_rules.notation import Notation
from iku_rules.source import Span
from iku_rules.syntax_errors import _join, _syntax_error, _token_span

MAX_LENGTH = 100_000
"""Longest formula text accepted, in characters."""

MAX_DEPTH = 100
"""Deepest nesting of operations accepted (flat chains like ``a + b + c`` count once)."""

MAX_NODES = 10_000
"""Most values and operations in one formula (a planner's longest has about a hundred)."""


def parse(text: str, *, notation: Notation | str | None = None) -> Formula:
    """Parse formula ``text`` into a :class:`~iku_rules.formula.Formula`.

    Numbers are read by :mod:`iku_rules.notation` in ``notation`` (``"id"``, ``"en"``,
    or None: not declared, so ``100.000`` is refused with both readings).

    Raises :class:`FormulaSyntaxError` (with line, column and what was expected),
    :class:`FormulaTypeError` for a known function given the wrong arguments, and
    :class:`LimitError` for text too long, nested too deeply or with too many parts.
    """
    if not isinstance(text, str):
        raise FormulaTypeError(_("a formula is text, not {kind}").format(kind=type(text).__name__))
    if len(text) > MAX_LENGTH:
        raise LimitError(
            _("the formula is {length} characters long; at most {limit} are allowed").format(
                length=len(text), limit=MAX_LENGTH
            )
        )
    if not text.strip():
        raise FormulaSyntaxError(
            _("the formula is empty"),
            text=text,
            span=Span.at(text, len(text), len(text)),
            expected=(N_("a value (a number, a name or '(')"),),
        )
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    _check_depth(text, tree)
    try:
        builder = _AstBuilder(text, notations.notation(notation))
        body = builder.finish(builder.transform(tree))
    except VisitError as error:
        original = error.orig_exc
        if isinstance(original, FormulaError):
            original.text = text
            raise original from None
        raise
    return Formula(body, text)


def _check_depth(text: str, tree: Tree[Token]) -> None:
    """Refuse a parse tree nested deeper than :data:`MAX_DEPTH` or with more than
    :data:`MAX_NODES` values and operations, without recursion."""
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 1)]
    nodes = 0
    while stack:
        node, level = stack.pop()
        if isinstance(node, Tree):
            nodes += 1
            if nodes > MAX_NODES:
                raise LimitError(
                    _(
                        "the formula has more than {limit} values and operations;"
                        " split it into indicators or measures that refer to each other"
                    ).format(limit=format_number(MAX_NODES)),
                    text=text,
                    span=_meta_span(node.meta),
                )
        if level > MAX_DEPTH:
            assert isinstance(node, Tree)
            raise LimitError(
                _("the formula nests operations more than {limit} deep").format(limit=MAX_DEPTH),
                text=text,
                span=_meta_span(node.meta),
            )
        if isinstance(node, Tree):
            stack.extend((child, level + 1) for child in node.children)


def _meta_span(meta: Any) -> Span:
    return Span(
        meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column
    )


_AGGREGATE_WORDS = {
    "σ": "sum",
    "∑": "sum",
    "sum": "sum",
    "jumlah": "sum",
    "total": "sum",
    "count": "count",
    "avg": "avg",
    "rata_rata": "avg",
    "rata-rata": "avg",
}

_COMPARE_OPS = {"==": "=", "<>": "!=", "≠": "!=", "≤": "<=", "≥": ">="}


def _operator(token: Token) -> str:
    if token.type in ("TIMES", "MUL_WORD"):
        return "*"
    if token.type in ("DIVIDE", "DIV_WORD"):
        return "/"
    if token.type == "PLUS" or (token.type == "ADD_WORD" and token.lower() == "ditambah"):
        return "+"
    return "-"


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


_ID_TAIL = re.compile(r"-[\w.\-]*[^\W\d_][\w.\-]*")
"""What follows the digits of an id written bare: a dash and a word with a letter in it."""


def _digit_id(text: str, token: Token) -> str | None:
    """The id a number that cannot be read begins (``1.06.02`` of
    ``1.06.02-peningkatan-kemampuan-psm-orang``), or None: a formula names an indicator
    whose id starts with digits in brackets, or the digits read as a number."""
    end = token.end_pos
    found = None if end is None else _ID_TAIL.match(text, end)
    return None if found is None else str(token) + found.group(0)


@v_args(meta=True)
class _AstBuilder(Transformer[Token, ast.Node]):
    """One bottom-up pass from Lark's parse tree to :mod:`iku_rules.ast` nodes."""

    def __init__(self, text: str, notation: Notation) -> None:
        super().__init__()
        self.text = text
        self.notation = notation
        self.comma_numbers: list[Token] = []
        """Numbers written with a comma: inside the parentheses of a function or a list,
        where a comma also separates values, they are refused (see :meth:`_no_comma`)."""
        self.pending: dict[int, FormulaSyntaxError] = {}
        """Why a number written with a comma cannot be read, by its position: raised by
        :meth:`finish` unless it stands in a list, where :meth:`_no_comma` says more."""

    def finish(self, body: ast.Node) -> ast.Node:
        """``body``, once every number has been read (the first that cannot be is raised)."""
        if self.pending:
            raise self.pending[min(self.pending)]
        return body

    def _no_comma(self, start: int, end: int, where: str) -> None:
        """Refuse a number written with a comma between ``start`` and ``end`` of the text
        (the parentheses of ``where``): the comma could be a decimal comma or separate values."""
        for token in self.comma_numbers:
            if start <= (token.start_pos or 0) < end:
                raise _comma_in_list(token, where)

    def _chain(
        self, meta: Any, children: list[Any]
    ) -> tuple[tuple[ast.Node, ...], tuple[str, ...]]:
        return tuple(children[0::2]), tuple(_operator(token) for token in children[1::2])

    def sum(self, meta: Any, children: list[Any]) -> ast.Node:
        operands, ops = self._chain(meta, children)
        return ast.Sum(operands, ops, span=_meta_span(meta))

    def product(self, meta: Any, children: list[Any]) -> ast.Node:
        operands, ops = self._chain(meta, children)
        return ast.Product(operands, ops, span=_meta_span(meta))

    def or_expr(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Or(tuple(children), span=_meta_span(meta))

    def and_expr(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.And(tuple(children), span=_meta_span(meta))

    def not_(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Not(children[0], span=_meta_span(meta))

    def compare(self, meta: Any, children: list[Any]) -> ast.Node:
        left, op, right = children
        return ast.Compare(left, _COMPARE_OPS.get(str(op), str(op)), right, span=_meta_span(meta))

    def in_(self, meta: Any, children: list[Any]) -> ast.Node:
        self._no_comma(meta.start_pos, meta.end_pos, _("an 'in (...)' list"))
        return ast.In(children[0], tuple(children[1]), span=_meta_span(meta))

    def not_in(self, meta: Any, children: list[Any]) -> ast.Node:
        self._no_comma(meta.start_pos, meta.end_pos, _("a 'not in (...)' list"))
        return ast.In(children[0], tuple(children[1]), negated=True, span=_meta_span(meta))

    def literals(self, meta: Any, children: list[Any]) -> list[ast.Node]:
        return children

    def arguments(self, meta: Any, children: list[Any]) -> list[ast.Node]:
        return children

    def neg(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Neg(children[1], span=_meta_span(meta))

    def aggregate(self, meta: Any, children: list[Any]) -> ast.Node:
        word, operand = children
        inner = operand
        while isinstance(inner, (ast.Filter, ast.Field)):  # jumlah(1,5)[a > 0]: the brackets'
            inner = inner.base  # span starts at the parenthesis, their base's within it
        between = self.text[word.end_pos : inner.span.start if inner.span else word.end_pos]
        if between.strip().startswith("("):  # jumlah(1,5): one decimal, or jumlah(1, 5)?
            end = meta.end_pos if inner is operand or not inner.span else inner.span.end
            self._no_comma(word.end_pos, end, f"{word}(...)")
        return ast.Aggregate(_AGGREGATE_WORDS[word.lower()], operand, span=_meta_span(meta))

    def aggregate_call(self, meta: Any, children: list[Any]) -> ast.Node:
        word, first, rest = children
        func = _AGGREGATE_WORDS[word.lower()]
        self._no_comma(word.end_pos, meta.end_pos, f"{word}()")
        name = ast.LIST_FUNCTIONS.get(func)
        if name is None:
            raise FormulaTypeError(
                _("{word}() counts the items of one list; it does not take several values").format(
                    word=word
                ),
                span=_meta_span(meta),
                hint=_(
                    "to total several values write jumlah(a, b, ...);"
                    " to average them, rata_rata(a, b, ...)"
                ),
            )
        return ast.Call(name, (first, *rest), span=_meta_span(meta))

    def field(self, meta: Any, children: list[Any]) -> ast.Node:
        base, token = children
        return ast.Field(base, self._name_text(token), span=_meta_span(meta))

    def filter(self, meta: Any, children: list[Any]) -> ast.Node:
        base, condition = children
        return ast.Filter(base, condition, span=_meta_span(meta))

    def name(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Name(self._name_text(children[0]), span=_meta_span(meta))

    def _name_text(self, token: Token) -> str:
        if token.type == "BRACKET_NAME":
            text = " ".join(token[1:-1].split())
            if not text:
                raise FormulaSyntaxError(
                    _("empty brackets: write a name between '[' and ']'"),
                    span=_token_span(token),
                    expected=(N_("a name"),),
                )
            return text
        return " ".join(token.split())

    def string(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Text(_unescape(children[0][1:-1]), span=_meta_span(meta))

    def number(self, meta: Any, children: list[Any]) -> ast.Node:
        token = children[0]
        try:
            value = notations.read(str(token), self.notation)
        except notations.NumberError as error:
            hint = error.hint
            named = _digit_id(self.text, token)
            if named is not None:  # 1.06.02-peningkatan-… : an id, not a number
                hint = _(
                    "an id that starts with digits is written in brackets, or it reads as a"
                    " number: [{id}]"
                ).format(id=named)
            elif isinstance(error, notations.AmbiguousNumber):
                hint = error.fix(
                    _('notation = "id" or "en" under [office] (iku formula: --notation)')
                )
            elif "," in token:
                hint = _("if these are separate values, put a space after each comma between them")
            problem = FormulaSyntaxError(
                error.message, span=_token_span(token), hint=hint, expected=(N_("a number"),)
            )
            if "," not in token:
                raise problem from None
            self.pending[token.start_pos or 0] = problem  # in a list, _no_comma says more
            value = Decimal(0)
        if "," in token:
            self.comma_numbers.append(token)
        return ast.Number(value, len(children) == 2, span=_meta_span(meta))

    def call(self, meta: Any, children: list[Any]) -> ast.Node:
        token = children[0]
        args = tuple(children[1]) if len(children) > 1 else ()
        written = " ".join(token.split())
        self._no_comma(token.end_pos or 0, meta.end_pos, f"{written}()")
        key = ast.name_key(written)
        func = ast.FUNCTION_ALIASES.get(key, key)
        span = _meta_span(meta)
        spec = ast.FUNCTIONS.get(func)
        if spec is None:
            known = ", ".join([*ast.FUNCTIONS, *ast.FUNCTION_ALIASES])
            hint = _("the functions are: {known}").format(known=known)
            if " " in written:
                hint = _(
                    "the functions are: {known}; if the parentheses belong to the name, write"
                    " the whole name in brackets: [{name} (...)]"
                ).format(known=known, name=written)
            raise FormulaSyntaxError(
                _("'{name}' is not a function").format(name=written),
                span=_token_span(token),
                hint=hint,
                expected=(N_("an operator"),),
            )
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            given = len(args)
            if spec.max_args == spec.min_args:
                message = ngettext(
                    "{function}() takes {wanted} argument, not {given}",
                    "{function}() takes {wanted} arguments, not {given}",
                    spec.min_args,
                ).format(function=func, wanted=spec.min_args, given=given)
            elif spec.max_args is None:
                message = ngettext(
                    "{function}() takes at least {wanted} argument, not {given}",
                    "{function}() takes at least {wanted} arguments, not {given}",
                    spec.min_args,
                ).format(function=func, wanted=spec.min_args, given=given)
            else:
                message = _("{function}() takes {low} or {high} arguments, not {given}").format(
                    function=func, low=spec.min_args, high=spec.max_args, given=given
                )
            raise FormulaTypeError(message, span=span, hint=_(spec.doc) if spec.doc else None)
        return ast.Call(func, args, span=span)


def _comma_in_list(token: Token, where: str) -> FormulaSyntaxError:
    """A number with a comma inside the parentheses of ``where``, where a comma also
    separates values: both readings, and what to write for each."""
    text = str(token)
    items = text.split(",")
    readings = notations.readings(text)
    numbers = sorted(set(readings.values()))
    read_as = [
        _("the number {number}").format(number=notations.unambiguous(value, notations.EN))
        for value in numbers
    ]
    read_as.append(
        _("the {count} values {values}").format(count=len(items), values=", ".join(items))
    )
    fixes = [notations.unambiguous(value, notations.EN) for value in numbers]
    fixes.append(", ".join(items))
    return FormulaSyntaxError(
        _(
            "'{text}' in {where} can be read as {readings}: a comma there also separates values"
        ).format(text=text, where=where, readings=_join(read_as)),
        span=_token_span(token),
        hint=_(
            "write {choices}, whichever is meant (a space after a comma that separates values;"
            " a dot for decimals)"
        ).format(choices=_(" or ").join(f"'{fix}'" for fix in fixes)),
        expected=(N_("a number"),),
    )
