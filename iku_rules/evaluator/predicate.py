"""Filter conditions compiled to functions of one record, with SQL's three-valued logic."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from iku_rules import ast
from iku_rules.errors import EvaluationError
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import COMPARE, Moment
from iku_rules.i18n import _
from iku_rules.printer import to_text

_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WRITTEN_DATE = re.compile(
    r"\s*([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4})(?![0-9])"
)
"""A record's text that starts with a date, written some way (``2026-2-1``, ``01/02/2026``,
``2026-02-01 00:00:00``): matched as text with a date ``YYYY-MM-DD`` it never equals it."""
ORDERING = frozenset({"<", "<=", ">", ">="})
"""Dates in records compare as ISO text, which orders as the dates do only when every one
is written ``YYYY-MM-DD`` (``"2026-1-15" >= "2026-02-01"`` holds as text)."""


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

            date = self._date_bound(node)
            day = _matched_date(node)

            def compare(record: Mapping[str, Any]) -> bool | None:
                a, b = left(record), right(record)
                if a is None or b is None or isinstance(a, str) != isinstance(b, str):
                    return None
                if date is not None:
                    _refuse_unordered(a if b == date else b, date, node)
                elif day is not None:
                    _refuse_unmatched(a if b == day else b, node)
                return test(a, b)

            return compare
        if isinstance(node, ast.In):
            operand = self._operand(node.operand)
            options = [self._operand(option)({}) for option in node.options]
            negated = node.negated
            for option in node.options:
                self._iso_date(option)
            dates = any(
                isinstance(option, str) and ISO_DATE.fullmatch(option) for option in options
            )

            def member(record: Mapping[str, Any]) -> bool | None:
                value = operand(record)
                if value is None:
                    return None
                if dates:
                    _refuse_unmatched(value, node)
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

    def _date_bound(self, node: ast.Compare) -> str | None:
        """The date a field is ordered against (``t >= "2026-02-01"``), or None; a date
        written otherwise than ``YYYY-MM-DD`` is refused, as it would not order as text."""
        for side in (node.left, node.right):
            self._iso_date(side, ordered=node.op in ORDERING)
        if node.op not in ORDERING:
            return None
        for side in (node.left, node.right):
            if isinstance(side, ast.Text) and _DATE_LIKE.fullmatch(side.value):
                return side.value
        return None

    def _iso_date(self, side: ast.Node, *, ordered: bool = False) -> None:
        """Refuse a date ``side`` writes otherwise than ``YYYY-MM-DD`` (``"2026-2-1"``): it
        would neither order as dates do nor match a date, which reads ``2026-02-01``."""
        if not isinstance(side, ast.Text) or not _DATE_LIKE.fullmatch(side.value):
            return
        if ISO_DATE.fullmatch(side.value):
            return
        year, month, day = side.value.split("-")
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        message = (
            _(
                'the date "{text}" is not written YYYY-MM-DD, so it does not order as dates do;'
                ' write "{iso}"'
            )
            if ordered
            else _(
                'the date "{text}" is not written YYYY-MM-DD, so it never matches a date'
                ' (dates are compared as "{iso}"); write "{iso}"'
            )
        )
        raise self.compiler._type_error(message.format(text=side.value, iso=iso), side)

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
            negative = node.operand.value.copy_negate()  # every digit, not the thread's 28
            return lambda record: negative
        raise self.compiler._type_error(
            _(
                "inside a filter, compare a field with a number or text; '{formula}' is neither"
            ).format(formula=to_text(node)),
            node,
        )


def _matched_date(node: ast.Compare) -> str | None:
    """The date (``YYYY-MM-DD``) a field is matched with by ``=`` or ``!=``, or None."""
    if node.op in ORDERING:
        return None
    for side in (node.left, node.right):
        if isinstance(side, ast.Text) and ISO_DATE.fullmatch(side.value):
            return side.value
    return None


def _moment_matched(value: Any, node: ast.Node) -> EvaluationError:
    """A record's moment (a datetime with a time of day) matched with a date: as text it never
    equals the date, though it falls on that day; which one is meant, the caller says."""
    return EvaluationError(
        _(
            "a record holds '{value}', a moment (a date with a time of day or a time zone),"
            " where '{formula}' matches a date; give the record's date alone"
            " (a datetime.date, or text YYYY-MM-DD)"
        ).format(value=value, formula=to_text(node))
    )


def _refuse_unmatched(value: Any, node: ast.Node) -> None:
    """Refuse a record's moment, or its text that is a date written otherwise than
    ``YYYY-MM-DD``, matched with a date: as text it never equals the date it stands for."""
    if value.__class__ is Moment:
        raise _moment_matched(value, node)
    if isinstance(value, str) and not ISO_DATE.fullmatch(value) and WRITTEN_DATE.match(value):
        raise EvaluationError(
            _(
                "a record holds '{value}' where '{formula}' matches a date; a date in a record"
                " is compared as text, which matches only when written YYYY-MM-DD: give it so"
                " (or as a datetime.date)"
            ).format(value=value, formula=to_text(node))
        )


def _refuse_unordered(value: Any, date: str, node: ast.Compare) -> None:
    """Refuse a record's text ordered against ``date`` that is not a date ``YYYY-MM-DD``."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise EvaluationError(
            _(
                "a record holds '{value}' where '{formula}' orders dates; a date in a record is"
                " compared as text, which orders as dates do only when written YYYY-MM-DD (or"
                " given as a date)"
            ).format(value=value, formula=to_text(node))
        )
