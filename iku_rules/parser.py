"""Text to AST: the shipped Lark grammar, one Transformer pass, plain-words errors.

The grammar (``grammar/iku.lark``) is loaded and compiled once, on first use.
Lark's LALR parser is iterative, so deep or long input cannot exhaust Python's
stack while parsing; before the (recursive) Transformer runs, the parse tree's
depth is measured without recursion and refused past :data:`MAX_DEPTH`.

>>> parse("Σ PMKS yang Tertangani / Σ PMKS X 100%").body.ops
('/', '*')
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from iku_rules import ast
from iku_rules.errors import FormulaError, FormulaSyntaxError, FormulaTypeError, LimitError
from iku_rules.source import Span

MAX_LENGTH = 100_000
"""Longest formula text accepted, in characters."""

MAX_DEPTH = 100
"""Deepest nesting of operations accepted (flat chains like ``a + b + c`` count once)."""

OPERATOR_WORDS = ("dibagi", "dikali", "ditambah", "dikurangi", "x", "and", "or", "not", "in")


def grammar_text() -> str:
    """The text of ``iku.lark``: shipped inside the package, or beside it in a source checkout."""
    packaged = resources.files("iku_rules").joinpath("grammar", "iku.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / "grammar" / "iku.lark"
    return checkout.read_text(encoding="utf-8")


@functools.cache
def lark_parser() -> Lark:
    """The compiled LALR parser (built once per process)."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


@functools.cache
def bare_name_pattern() -> re.Pattern[str]:
    """The grammar's own NAME terminal, to decide whether a name needs brackets."""
    terminal = next(t for t in lark_parser().terminals if t.name == "NAME")
    return re.compile(terminal.pattern.to_regexp())


def parse(text: str) -> ast.Formula:
    """Parse formula ``text`` into a :class:`~iku_rules.ast.Formula`.

    Raises :class:`FormulaSyntaxError` (with line, column and what was expected),
    :class:`FormulaTypeError` for a known function given the wrong arguments, and
    :class:`LimitError` for text too long or nested too deeply.
    """
    if not isinstance(text, str):
        raise FormulaTypeError(f"a formula is text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LimitError(
            f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are allowed"
        )
    if not text.strip():
        raise FormulaSyntaxError(
            "the formula is empty",
            text=text,
            span=Span.at(text, len(text), len(text)),
            expected=("a value (a number, a name or '(')",),
        )
    try:
        tree = lark_parser().parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(text, error) from None
    _check_depth(text, tree)
    try:
        body = _AstBuilder().transform(tree)
    except VisitError as error:
        original = error.orig_exc
        if isinstance(original, FormulaError):
            original.text = text
            raise original from None
        raise
    return ast.Formula(body, text)


def _check_depth(text: str, tree: Tree[Token]) -> None:
    stack: list[tuple[Tree[Token] | Token, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            assert isinstance(node, Tree)
            raise LimitError(
                f"the formula nests operations more than {MAX_DEPTH} deep",
                text=text,
                span=_meta_span(node.meta),
            )
        if isinstance(node, Tree):
            stack.extend((child, level + 1) for child in node.children)


def _meta_span(meta: Any) -> Span:
    return Span(
        meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column
    )


def _token_span(token: Token) -> Span:
    return Span(
        token.start_pos or 0,
        token.end_pos or 0,
        token.line or 1,
        token.column or 1,
        token.end_line or 1,
        token.end_column or 1,
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


@v_args(meta=True)
class _AstBuilder(Transformer[Token, ast.Node]):
    """One bottom-up pass from Lark's parse tree to :mod:`iku_rules.ast` nodes."""

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
        return ast.In(children[0], tuple(children[1]), span=_meta_span(meta))

    def not_in(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.In(children[0], tuple(children[1]), negated=True, span=_meta_span(meta))

    def literals(self, meta: Any, children: list[Any]) -> list[ast.Node]:
        return children

    def arguments(self, meta: Any, children: list[Any]) -> list[ast.Node]:
        return children

    def neg(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Neg(children[1], span=_meta_span(meta))

    def aggregate(self, meta: Any, children: list[Any]) -> ast.Node:
        word, operand = children
        return ast.Aggregate(_AGGREGATE_WORDS[word.lower()], operand, span=_meta_span(meta))

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
                    "empty brackets: write a name between '[' and ']'",
                    span=_token_span(token),
                    expected=("a name",),
                )
            return text
        return " ".join(token.split())

    def string(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Text(_unescape(children[0][1:-1]), span=_meta_span(meta))

    def number(self, meta: Any, children: list[Any]) -> ast.Node:
        return ast.Number(Decimal(children[0]), len(children) == 2, span=_meta_span(meta))

    def decimal_comma(self, meta: Any, children: list[Any]) -> ast.Node:
        token = children[0]
        whole, fraction = str(token).split(",")
        raise FormulaSyntaxError(
            f"'{token}' uses a decimal comma; formulas write decimals with a dot: {whole}.{fraction}",
            span=_token_span(token),
            hint=f"if you meant two separate numbers, put a space after the comma: {whole}, {fraction}",
            expected=("a number with a decimal dot",),
        )

    def thousands(self, meta: Any, children: list[Any]) -> ast.Node:
        token = children[0]
        raise FormulaSyntaxError(
            f"'{token}' uses dots to group thousands; write the number without them: "
            f"{str(token).replace('.', '')}",
            span=_token_span(token),
            expected=("a number",),
        )

    def call(self, meta: Any, children: list[Any]) -> ast.Node:
        token = children[0]
        args = tuple(children[1]) if len(children) > 1 else ()
        written = " ".join(token.split())
        key = ast.name_key(written)
        func = ast.FUNCTION_ALIASES.get(key, key)
        span = _meta_span(meta)
        spec = ast.FUNCTIONS.get(func)
        if spec is None:
            known = ", ".join([*ast.FUNCTIONS, *ast.FUNCTION_ALIASES])
            hint = f"the functions are: {known}"
            if " " in written:
                hint += (
                    f"; if the parentheses belong to the name, write the whole name in"
                    f" brackets: [{written} (...)]"
                )
            raise FormulaSyntaxError(
                f"'{written}' is not a function",
                span=_token_span(token),
                hint=hint,
                expected=("an operator",),
            )
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            if spec.max_args == spec.min_args:
                wanted = f"{spec.min_args}"
            elif spec.max_args is None:
                wanted = f"at least {spec.min_args}"
            else:
                wanted = f"{spec.min_args} or {spec.max_args}"
            plural = "" if wanted in ("1", "at least 1") else "s"
            raise FormulaTypeError(
                f"{func}() takes {wanted} argument{plural}, not {len(args)}",
                span=span,
                hint=spec.doc,
            )
        return ast.Call(func, args, span=span)


# ------------------------------------------------------------------ errors

_VALUE_STARTS = {
    "NAME",
    "BRACKET_NAME",
    "NUMBER",
    "_LPAR",
    "AGGREGATE",
    "STRING",
    "DECIMAL_COMMA",
    "THOUSANDS",
    "_NOT",
}
_BINARY_OPERATORS = {
    "PLUS",
    "MINUS",
    "ADD_WORD",
    "TIMES",
    "DIVIDE",
    "MUL_WORD",
    "DIV_WORD",
    "COMPARE",
    "_AND",
    "_OR",
    "_IN",
}
_PUNCTUATION = {
    "_RPAR": "')'",
    "_RSQB": "']'",
    "_COMMA": "','",
    "_LPAR": "'('",
    "PERCENT": "'%'",
    "$END": "the end of the formula",
}


def describe_expected(expected: set[str]) -> list[str]:
    """Lark terminal names, said in plain words (no token names).

    After a complete value the parser may also reduce and then accept an
    operator, so a state that only closes (``)``, ``,`` or the end) is said
    to expect an operator too.
    """
    words: list[str] = []
    after_value = bool(expected & (_BINARY_OPERATORS - {"MINUS"}))
    closers_only = bool(expected) and expected <= {"_RPAR", "_RSQB", "_COMMA", "$END"}
    if after_value or closers_only:
        words.append("an operator")
    elif expected and expected <= {"NAME", "BRACKET_NAME"}:
        words.append("a name")
    elif expected & (_VALUE_STARTS - {"_LPAR"}):
        words.append("a value (a number, a name or '(')")
    elif "_LPAR" in expected:
        words.append(_PUNCTUATION["_LPAR"])
    for terminal in ("_RPAR", "_RSQB", "_COMMA", "$END"):
        if terminal in expected:
            words.append(_PUNCTUATION[terminal])
    return words


def _accepted(error: UnexpectedInput, fallback: set[str]) -> set[str]:
    """The terminals the parser accepts at the error, after any pending reductions."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except UnexpectedInput:
            pass
    return fallback


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _found(token: Token) -> str:
    if token.type == "$END":
        return "the end of the formula"
    if token.type in ("NAME", "BRACKET_NAME"):
        return f"the name '{' '.join(str(token).split())}'"
    if token.type == "NUMBER":
        return f"the number {token}"
    return f"'{token}'"


_OPERATOR_WORD_BEFORE = re.compile(
    r"(\w[\w-]*)\s+(" + "|".join(OPERATOR_WORDS) + r")\s*$", re.IGNORECASE
)


def _syntax_error(text: str, error: UnexpectedInput) -> FormulaSyntaxError:
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        span = Span.at(text, len(text), len(text))
        found = "the end of the formula"
        expected = describe_expected(_accepted(error, set(error.expected)))
        character = ""
    elif isinstance(error, UnexpectedToken):
        token = error.token
        span = _token_span(token)
        found = _found(token)
        expected = describe_expected(_accepted(error, set(error.expected)))
        character = str(token)[:1]
    else:
        assert isinstance(error, UnexpectedCharacters)
        position = error.pos_in_stream or 0
        span = Span.at(text, position, position + 1)
        character = text[position]
        found = f"'{character}'"
        expected = describe_expected(_accepted(error, set(error.allowed or ())))
    message = f"expected {_join(expected)} but found {found}" if expected else f"unexpected {found}"
    return FormulaSyntaxError(
        message,
        text=text,
        span=span,
        hint=_hint(text, span, character, expected),
        expected=expected,
    )


def _hint(text: str, span: Span, character: str, expected: list[str]) -> str | None:
    before = text[: span.start]
    at_end = span.start >= len(text.rstrip())
    word = _OPERATOR_WORD_BEFORE.search(before)
    if word and not at_end and before.rstrip() != word.group(2):
        return (
            f"'{word.group(2)}' is an operator word, so it cannot be part of a bare name;"
            " if it belongs to a name, write the whole name in brackets: [...]"
        )
    if character in ('"', "'"):
        return "the text in quotes that starts here has no closing quote"
    if character == "," and "','" not in expected:
        if "')'" in expected:
            return "commas separate the arguments of a function, like min(a, b); decimals use a dot"
        return (
            "a name with commas, slashes or other signs goes in brackets:"
            " [Korban Bencana Alam, Sosial dan/atau Non Alam]"
        )
    if character == ")" and "')'" not in expected:
        return "there is a ')' without a matching '('"
    if character in "=<>!≠≤≥" and character and before.rstrip() and _COMPARED.search(before):
        return "comparisons cannot be chained; join two comparisons with and: a < b and b < c"
    if character and character in "/&?!#@$;" and not any(e.startswith("a value") for e in expected):
        return "a name with signs other than letters, digits, _ and - goes in brackets: [...]"
    if at_end and "')'" in expected:
        return "a '(' is not closed"
    if at_end:
        return "the formula ends too early"
    if "an operator" in expected and re.match(r"[\w\[]", character):
        return "put an operator (×, /, +, -) between the two values"
    return None


_COMPARED = re.compile(r"(==|=|!=|<>|<=|>=|<|>|≠|≤|≥)[^=<>!≠≤≥()]*$")
