"""The canonical text of a formula: one spelling for each construct.

``Σ`` for sums, ``×`` and ``/``, names bare where the grammar allows and in
brackets otherwise, and parentheses exactly where the structure needs them, so
that ``parse(to_text(f.body)) == f`` for every AST.

>>> from iku_rules.parser import parse
>>> str(parse("Jumlah PMKS yang Tertangani dibagi Jumlah PMKS dikali 100%"))
'Σ PMKS yang Tertangani / Σ PMKS × 100%'
>>> str(parse("(a + b) + c * -(d)"))
'(a + b) + c × -d'
"""

from __future__ import annotations

from decimal import Decimal

from iku_rules import ast

_OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _POSTFIX, _ATOM = range(1, 10)

SYMBOLS = {"+": "+", "-": "-", "*": "×", "/": "/"}
AGGREGATE_WORDS = {"sum": "Σ", "count": "count", "avg": "avg"}


def precedence(node: ast.Node) -> int:
    """How tightly ``node`` binds when printed (higher binds tighter)."""
    if isinstance(node, ast.Or):
        return _OR
    if isinstance(node, ast.And):
        return _AND
    if isinstance(node, ast.Not):
        return _NOT
    if isinstance(node, (ast.Compare, ast.In)):
        return _COMPARE
    if isinstance(node, ast.Sum):
        return _SUM
    if isinstance(node, ast.Product):
        return _PRODUCT
    if isinstance(node, (ast.Neg, ast.Aggregate)):
        return _UNARY
    if isinstance(node, (ast.Field, ast.Filter)):
        return _POSTFIX
    return _ATOM


def to_text(node: ast.Node) -> str:
    """The canonical text of ``node``."""
    return _print(node)


def name_text(text: str) -> str:
    """A name as it is written: bare when the grammar reads it back whole, else in brackets."""
    from iku_rules.grammar import bare_name_pattern

    if bare_name_pattern().fullmatch(text):
        return text
    return f"[{text}]"


def _is_aggregate_word(text: str) -> bool:
    """Whether ``text`` is an aggregate word too (the grammar's AGGREGATE: ``jumlah``,
    ``rata_rata`` …), which a call to it under another aggregate word must not start with."""
    from iku_rules.grammar import terminal_pattern

    return terminal_pattern("AGGREGATE").fullmatch(text) is not None


def number_text(value: Decimal) -> str:
    """A decimal in plain notation (no exponent, a dot for decimals), spelled so that
    every notation reads it alike (``1.2340`` for 1.234, see :mod:`iku_rules.notation`)."""
    from iku_rules.notation import EN, unambiguous

    return unambiguous(value, EN)


def _wrap(node: ast.Node, tighter_than: int) -> str:
    text = _print(node)
    return f"({text})" if precedence(node) <= tighter_than else text


def _print(node: ast.Node) -> str:
    if isinstance(node, ast.Number):
        return number_text(node.value) + ("%" if node.percent else "")
    if isinstance(node, ast.Text):
        escaped = node.value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(node, ast.Name):
        return name_text(node.text)
    if isinstance(node, ast.Field):
        return f"{_wrap(node.base, _UNARY)}.{name_text(node.name)}"
    if isinstance(node, ast.Filter):
        return f"{_wrap(node.base, _UNARY)}[{_print(node.condition)}]"
    if isinstance(node, ast.Aggregate):
        shown = _wrap(node.operand, _UNARY)
        if isinstance(node.operand, ast.Call) and _is_aggregate_word(node.operand.func):
            shown = f"({shown})"  # Σ jumlah(a, b) reads jumlah as a second aggregate word
        return f"{AGGREGATE_WORDS[node.func]} {shown}"
    if isinstance(node, ast.Neg):
        return f"-{_wrap(node.operand, _PRODUCT)}"
    if isinstance(node, (ast.Sum, ast.Product)):
        level = precedence(node)
        parts = [_wrap(node.operands[0], level)]
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            parts.append(f"{SYMBOLS[op]} {_wrap(operand, level)}")
        return " ".join(parts)
    if isinstance(node, ast.Compare):
        return f"{_wrap(node.left, _COMPARE)} {node.op} {_wrap(node.right, _COMPARE)}"
    if isinstance(node, ast.In):
        options = ", ".join(_print(option) for option in node.options)
        word = "not in" if node.negated else "in"  # i18n: not for planners (formula syntax)
        return f"{_wrap(node.operand, _COMPARE)} {word} ({options})"
    if isinstance(node, ast.Not):
        return f"not {_wrap(node.operand, _AND)}"
    if isinstance(node, ast.And):
        return " and ".join(_wrap(operand, _AND) for operand in node.operands)
    if isinstance(node, ast.Or):
        return " or ".join(_wrap(operand, _OR) for operand in node.operands)
    if isinstance(node, ast.Call):
        return f"{node.func}({', '.join(_print(arg) for arg in node.args)})"
    raise TypeError(f"cannot print {type(node).__name__}")  # i18n: not for planners
