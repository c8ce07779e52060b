"""Rows that pass a filter: values for the columns a condition names that make it true.

A complete draw (:mod:`iku_rules.testing.complete`) gives every filter of a register a row
that passes it in every place, so that a measure of a register is not left without rows
(``no-data``) where its formula could have a value: ``status = "aktif" and usia >= 7 and
usia <= 12`` is passed by ``status = "aktif", usia = 7``. Comparisons of a column with a
number, a text or a date (``YYYY-MM-DD``), ``in``, ``and``, ``or`` and ``not`` are
solved; a condition the kit cannot solve (a column compared with another) gets no row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from attrs import define, field

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.evaluator.predicate import ISO_DATE
from iku_rules.model import Definitions, Source
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.testing.places import places

Value = Decimal | str
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "!=", "!=": "="}


@define
class _Column:
    """What a condition asks of one column: one value, a range, values it must not be."""

    equal: list[Value] = field(factory=list)
    low: tuple[Value, bool] | None = None  # (bound, strict)
    high: tuple[Value, bool] | None = None
    unequal: list[Value] = field(factory=list)

    def value(self) -> Value | None:
        """A value meeting every demand, or None when there is none the kit can find."""
        candidates: list[Value] = list(self.equal[:1])
        if not candidates and self.low is not None:
            candidates.append(_step(self.low[0], 1) if self.low[1] else self.low[0])
        if not candidates and self.high is not None:
            candidates.append(_step(self.high[0], -1) if self.high[1] else self.high[0])
        if not candidates:
            candidates.append(_other(self.unequal))
        found = candidates[0]
        return found if self.holds(found) else None

    def holds(self, value: Value) -> bool:
        if any(type(value) is not type(other) for other in self.equal) or (
            self.equal and any(value != other for other in self.equal)
        ):
            return False
        for bound, below in ((self.low, False), (self.high, True)):
            if bound is None:
                continue
            limit, strict = bound
            if type(limit) is not type(value):
                return False
            if below and (value > limit or (strict and value == limit)):  # type: ignore[operator]
                return False
            if not below and (value < limit or (strict and value == limit)):  # type: ignore[operator]
                return False
        return value not in self.unequal


def _step(value: Value, by: int) -> Value:
    """The next number (or day) above or below ``value``."""
    if isinstance(value, Decimal):
        return value + by
    try:
        return (dt.date.fromisoformat(value) + dt.timedelta(days=by)).isoformat()
    except (ValueError, OverflowError):  # before 0001-01-01 or after 9999-12-31: none
        return value


def _other(values: list[Value]) -> Value:
    """A value none of ``values`` is (of their kind)."""
    numbers = [value for value in values if isinstance(value, Decimal)]
    if numbers and len(numbers) == len(values):
        return max(numbers) + 1
    text = "lainnya"
    while text in values:
        text += " lagi"
    return text


def _day(text: str) -> bool:
    """Whether ``text`` is a date written ``YYYY-MM-DD``."""
    try:
        return ISO_DATE.fullmatch(text) is not None and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def _literal(node: ast.Node) -> Value | None:
    if isinstance(node, ast.Text):
        return node.value
    if isinstance(node, ast.Number) and not node.percent:
        return node.value
    if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Number):
        return -node.operand.value
    return None


def _demands(node: ast.Node, negated: bool = False) -> list[dict[str, _Column]] | None:
    """The ways ``node`` can be true, each as demands per column key (an ``or`` has one
    per operand); None when the kit cannot solve it."""
    if isinstance(node, ast.Not):
        return _demands(node.operand, not negated)
    if isinstance(node, ast.Compare):
        column, literal, op = node.left, _literal(node.right), node.op
        if not isinstance(column, ast.Name):
            column, literal, op = node.right, _literal(node.left), FLIPPED[node.op]
        if not isinstance(column, ast.Name) or literal is None:
            return None
        if isinstance(literal, str) and op not in ("=", "!=") and not _day(literal):
            return None  # text ordered as text (not as dates): not solved
        demand = _Column()
        op = NEGATED[op] if negated else op
        if op == "=":
            demand.equal.append(literal)
        elif op == "!=":
            demand.unequal.append(literal)
        elif op in (">", ">="):
            demand.low = (literal, op == ">")
        else:
            demand.high = (literal, op == "<")
        return [{column.key: demand}]
    if isinstance(node, ast.In) and isinstance(node.operand, ast.Name):
        options = [_literal(option) for option in node.options]
        values = [option for option in options if option is not None]
        if len(values) != len(options) or not values:
            return None
        if node.negated != negated:
            return [{node.operand.key: _Column(unequal=values)}]
        return [{node.operand.key: _Column(equal=[value])} for value in values]
    if isinstance(node, ast.And | ast.Or):
        every = isinstance(node, ast.And) != negated  # not (a or b) is (not a) and (not b)
        parts = [_demands(operand, negated) for operand in node.operands]
        if every:
            if any(part is None for part in parts):
                return None
            ways: list[dict[str, _Column]] = [{}]
            for part in parts:
                assert part is not None
                ways = [_joined(way, other) for way in ways for other in part][:8]
            return ways
        found = [way for part in parts if part is not None for way in part]
        return found or None
    return None


def _joined(one: Mapping[str, _Column], other: Mapping[str, _Column]) -> dict[str, _Column]:
    joined = {key: _Column(list(c.equal), c.low, c.high, list(c.unequal)) for key, c in one.items()}
    for key, demand in other.items():
        column = joined.setdefault(key, _Column())
        column.equal += demand.equal
        column.unequal += demand.unequal
        column.low = _tighter(column.low, demand.low, 1)
        column.high = _tighter(column.high, demand.high, -1)
    return joined


def _tighter(
    one: tuple[Value, bool] | None, other: tuple[Value, bool] | None, sign: int
) -> tuple[Value, bool] | None:
    if one is None or other is None or type(one[0]) is not type(other[0]):
        return one or other
    if one[0] == other[0]:
        return (one[0], one[1] or other[1])
    larger = one if one[0] > other[0] else other  # type: ignore[operator]
    smaller = other if larger is one else one
    return larger if sign > 0 else smaller


def satisfying(condition: ast.Node) -> dict[str, Value] | None:
    """Values by column key that make ``condition`` true (the first way found), or None
    when the kit cannot find any."""
    for way in _demands(condition) or ():
        values = {key: column.value() for key, column in way.items()}
        if all(value is not None for value in values.values()):
            return {key: value for key, value in values.items() if value is not None}
    return None


def witnesses(definitions: Definitions, source: Source, year: int) -> list[dict[str, object]]:
    """The cells of the rows that give each filter over the register ``source`` (of its
    measures, and written in formulas: ``Σ register[…]``) a row passing it, in every place
    the kit draws, dated on the first day of ``year`` and the year before (a measure of
    states: of the year before only, which counts in both). A measure that counts each
    entity's latest record only (``terakhir``) gets an entity of its own, so that its row
    is the latest. Every other cell is drawn."""
    conditions: list[tuple[ast.Node, str | None, bool]] = [
        (
            m.filter.body,
            m.latest.per if m.latest is not None else None,
            (m.time or source.time) == "flow",
        )
        for m in definitions.measures
        if m.source == source.id and m.filter is not None
    ]
    conditions += [
        (node.condition, None, source.time == "flow")
        for indicator in definitions.indicators
        if indicator.formula is not None
        for node in ast.walk(indicator.formula.body)
        if isinstance(node, ast.Filter)
        and isinstance(node.base, ast.Name)
        and node.base.key == name_key(source.id)
    ]
    columns = {name_key(column): column for column in source.columns}
    found: list[dict[str, object]] = []
    for condition, entity, flow in conditions:
        solved = satisfying(condition)
        cells = cells_for(source, columns, solved) if solved is not None else None
        if cells is None:
            continue  # a filter the kit cannot solve: no row of its own
        days = [dt.date(year - 1, 1, 1)] + ([dt.date(year, 1, 1)] if flow else [])
        for place in places(definitions, source):
            for day in days if source.date_column else [None]:
                row = {**cells, **place}
                if source.date_column:
                    row = {source.date_column: day, **row}
                if entity is not None and entity in source.columns:
                    row[entity] = fresh_entity(source, entity, len(found))  # each its own entity
                found.append(row)
    return found


def cells_for(
    source: Source, columns: Mapping[str, str], solved: Mapping[str, Value]
) -> dict[str, object] | None:
    """The solved values written as the source's columns hold them; None when one cannot
    be (a column the source lacks, a number for a text)."""
    cells: dict[str, object] = {}
    for key, value in solved.items():
        column = columns.get(key)
        kind = source.columns.get(column or "")
        if column is None or kind is None:
            return None
        if kind in ("integer", "decimal"):
            if not isinstance(value, Decimal) or (kind == "integer" and value != int(value)):
                return None
            cells[column] = int(value) if kind == "integer" else value
        elif kind == "date":
            if not isinstance(value, str) or not _day(value):
                return None
            cells[column] = dt.date.fromisoformat(value)
        elif isinstance(value, str):
            cells[column] = value
        else:
            return None
    return cells


def fresh_entity(source: Source, column: str, number: int) -> object:
    """An entity no drawn row names (drawn ones are few: 1 to 8)."""
    kind = source.columns[column]
    if kind in IDENTIFIER_LENGTHS:
        length = IDENTIFIER_LENGTHS[kind]
        return f"36{900 + number:0{length - 2}d}"
    if kind in ("integer", "decimal"):
        return 10**6 + number
    return f"{column}-{900 + number}"
