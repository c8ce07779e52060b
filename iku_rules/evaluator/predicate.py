"""Filter conditions compiled to functions of one record, with SQL's three-valued logic."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from iku_rules import ast
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import COMPARE
from iku_rules.i18n import _
from iku_rules.printer import to_text


class Predicate:
    """A filter condition compiled to a function of one record, with SQL's
    three-valued logic: a comparison with a missing field is unknown, and only
    records for which the condition is true pass."""

    ALLOWED = (ast.Compare, ast.In, ast.And, ast.Or, ast.Not)

    def __init__(self, compiler: CompilerCore, condition: ast.Node):
        self.compiler = compiler
        self.condition = condition

    @staticmethod
    def fields(condition: ast.Node) -> tuple[ast.Name, ...]:
        found: dict[str, ast.Name] = {}
        for node in ast.walk(condition):
            if isinstance(node, ast.Name):
                found.setdefault(node.key, node)
        return tuple(found.values())

    def compile(self) -> Callable[[Mapping[str, Any]], bool | None]:
        if not isinstance(self.condition, self.ALLOWED):
            raise self.compiler._type_error(
                _("a filter needs a condition, but '{formula}' is not one").format(
                    formula=to_text(self.condition)
                ),
                self.condition,
                _('compare a field: pegawai[nilai_skp = "baik"]'),
            )
        return self._condition(self.condition)

    def _condition(self, node: ast.Node) -> Callable[[Mapping[str, Any]], bool | None]:
        if isinstance(node, ast.Compare):
            left, right, test = (
                self._operand(node.left),
                self._operand(node.right),
                COMPARE[node.op],
            )

            def compare(record: Mapping[str, Any]) -> bool | None:
                a, b = left(record), right(record)
                if a is None or b is None or isinstance(a, str) != isinstance(b, str):
                    return None
                return test(a, b)

            return compare
        if isinstance(node, ast.In):
            operand = self._operand(node.operand)
            options = [self._operand(option)({}) for option in node.options]
            negated = node.negated

            def member(record: Mapping[str, Any]) -> bool | None:
                value = operand(record)
                if value is None:
                    return None
                return (value in options) != negated

            return member
        if isinstance(node, ast.Not):
            inner = self._condition(node.operand)

            def negate(record: Mapping[str, Any]) -> bool | None:
                value = inner(record)
                return None if value is None else not value

            return negate
        if isinstance(node, (ast.And, ast.Or)):
            parts = [self._condition(operand) for operand in node.operands]
            deciding = isinstance(node, ast.Or)

            def logic(record: Mapping[str, Any]) -> bool | None:
                unknown = False
                for part in parts:
                    value = part(record)
                    if value is deciding:
                        return deciding
                    unknown = unknown or value is None
                return None if unknown else not deciding

            return logic
        raise self.compiler._type_error(
            _(
                "'{formula}' is not a condition; inside a filter use comparisons joined by and/or"
            ).format(formula=to_text(node)),
            node,
        )

    def _operand(self, node: ast.Node) -> Callable[[Mapping[str, Any]], Any]:
        if isinstance(node, ast.Name):
            key = node.key
            return lambda record: record.get(key)
        if isinstance(node, ast.Number):
            if node.percent:
                raise self.compiler._type_error(
                    _("percentages cannot be used inside a filter"), node
                )
            value = node.value
            return lambda record: value
        if isinstance(node, ast.Text):
            text_value = node.value
            return lambda record: text_value
        if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Number):
            negative = -node.operand.value
            return lambda record: negative
        raise self.compiler._type_error(
            _(
                "inside a filter, compare a field with a number or text; '{formula}' is neither"
            ).format(formula=to_text(node)),
            node,
        )
