"""Measures as the engine fetches them: what to aggregate, over which rows, and
what the raw counts mean.

A :class:`MeasureSpec` comes either from a ``[[measure]]`` definition or from
an aggregate written inside a formula over a register (``Σ pegawai[nilai_skp
= "baik"]``). Every backend answers the same question for a spec — a
:class:`Tally` of rows in the period, rows passing the filter, rows with a
value — and :func:`measure_value` turns a tally into a value or a reason, the
same way for all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Literal

from attrs import field, frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.decimals import CONTEXT, plain
from iku_rules.evaluator.values import NotAvailable
from iku_rules.i18n import N_, _, format_day
from iku_rules.model import Measure, Missing, Source
from iku_rules.periods import Period
from iku_rules.printer import to_text
from iku_rules.reasons import MISSING_VALUES, NO_DATA, Reason
from iku_rules.timegrain import Latest

Aggregate = Literal["count", "count_distinct", "sum", "avg", "min", "max"]
Time = Literal["state", "flow"]

AGGREGATE_WORDS = {
    "count": N_("number of rows in {source}"),
    "count_distinct": N_("number of distinct {column} in {source}"),
    "sum": N_("sum of {column} in {source}"),
    "avg": N_("average of {column} in {source}"),
    "min": N_("smallest {column} in {source}"),
    "max": N_("largest {column} in {source}"),
}


@frozen
class MeasureSpec:
    """One aggregate to fetch from one source."""

    key: str
    label: str
    source: Source
    aggregate: Aggregate
    column: str | None = None
    condition: ast.Node | None = None
    time: Time = "state"
    empty: Literal["not_available", "zero"] = "not_available"
    latest: Latest | None = None
    """``terakhir``: only each entity's latest record within the period counts."""
    missing: Missing = "not_available"
    """What rows that leave ``column`` empty do (:data:`~iku_rules.model.MISSING_CHOICES`)."""

    def describe(self, period: Period) -> str:
        """What the measure counts, in words: ``number of distinct nik in layanan where …``."""
        what = AGGREGATE_WORDS[self.aggregate]
        if self.aggregate == "count" and self.column:
            what = N_("number of rows with a {column} in {source}")
        text = _(what).format(column=self.column, source=self.source.id)
        if self.condition is not None:
            text += " " + _("where {condition}").format(condition=to_text(self.condition))
        if self.source.grain is not None:
            text += ", " + self.source.grain.describe(period)
        elif self.source.date_column:
            if self.time == "flow":
                text += ", " + _("{column} from {start} to {end}").format(
                    column=self.source.date_column,
                    start=format_day(period.start),
                    end=format_day(period.end),
                )
            else:
                text += ", " + _("{column} on or before {end}").format(
                    column=self.source.date_column, end=format_day(period.end)
                )
        if self.latest is not None:
            text += ", " + _("only the latest record of each {entity} by {column}").format(
                entity=self.latest.per, column=self.latest.by
            )
        return text


def plain_or_none(value: Decimal | None) -> Decimal | None:
    """A value the data give, with the digits it has (:func:`~iku_rules.decimals.plain`)."""
    return None if value is None else plain(value)


@frozen
class Tally:
    """The raw numbers a backend returns for one spec and one group of rows.

    ``window`` counts the source's rows in the period (before the filter),
    ``matched`` those that pass the filter, ``present`` those of them with a
    value in the measured column; ``value`` is the aggregate over the matched
    rows (for ``avg``: their sum).
    """

    window: int
    matched: int
    present: int
    value: Decimal | None = field(converter=plain_or_none)


def measure_value(spec: MeasureSpec, tally: Tally | None, where: str) -> Decimal | NotAvailable:
    """The value of a measure from its tally; missing data is never zero unless the
    definition says so (``empty = "zero"``)."""
    if tally is None or tally.window == 0:
        if spec.empty == "zero":
            return Decimal(0)
        return NotAvailable(
            Reason(
                _("{source} has no rows {where}").format(source=spec.source.id, where=where),
                NO_DATA,
            )
        )
    missing = tally.matched - tally.present
    if spec.aggregate == "count_distinct" and missing and spec.missing == "not_available":
        return _without_values(spec, tally, where, _DISTINCT_WITHOUT)
    if spec.aggregate == "count_distinct":
        return distinct_value(spec, tally)
    if spec.aggregate == "count":
        if spec.column:
            return Decimal(tally.present)
        return tally.value if tally.value is not None else Decimal(tally.matched)
    if missing and (spec.missing != "skip" or not tally.present):
        return _without_values(spec, tally, where, _WITHOUT)
    if spec.aggregate == "sum":
        return tally.value if tally.value is not None else Decimal(0)
    if tally.matched == 0 or tally.value is None:
        return NotAvailable(
            Reason(
                _("no rows of {source} pass the filter {where}").format(
                    source=spec.source.id, where=where
                ),
                NO_DATA,
            )
        )
    if spec.aggregate == "avg":
        return CONTEXT.divide(tally.value, tally.present)
    return tally.value


_WITHOUT = N_("{missing} of {matched} rows of {source} have no {column} {where}")
_DISTINCT_WITHOUT = N_(
    "{missing} of {matched} rows of {source} have no {column} {where}, and a row"
    " without one cannot be counted as distinct; fill it in, or say on the"
    ' [[measure]] missing = "count_each" (each such row counts as one) or'
    ' missing = "skip" (they are left out)'
)


def _without_values(spec: MeasureSpec, tally: Tally, where: str, message: str) -> NotAvailable:
    """Not available: rows that pass the filter leave the measured column empty."""
    said = _(message).format(
        missing=tally.matched - tally.present,
        matched=tally.matched,
        source=spec.source.id,
        column=spec.column,
        where=where,
    )
    return NotAvailable(Reason(said, MISSING_VALUES))


def distinct_value(spec: MeasureSpec, tally: Tally) -> Decimal:
    """The distinct values a ``count_distinct`` tally counted, with each row that leaves
    the column empty counted as one when the measure says ``missing = "count_each"``."""
    value = tally.value if tally.value is not None else Decimal(tally.matched)
    if spec.missing == "count_each":
        return value + (tally.matched - tally.present)
    return value


def from_definition(measure: Measure, source: Source, key: str) -> MeasureSpec:
    """The spec of a ``[[measure]]``."""
    return MeasureSpec(
        key=key,
        label=measure.name,
        source=source,
        aggregate=measure.aggregate,
        column=measure.column,
        condition=measure.filter.body if measure.filter is not None else None,
        time=_time(measure.time or source.time),
        empty=measure.empty,
        latest=measure.latest,
        missing=measure.missing,
    )


def _time(time: str) -> Time:
    """The rows a spec counts: a source of values per period counts the rows of the
    period (as a flow does; its period column says which)."""
    return "flow" if time == "period" else time  # type: ignore[return-value]


def inline_measures(
    body: ast.Node, registers: Mapping[str, Source]
) -> Iterator[tuple[ast.Node, MeasureSpec]]:
    """Aggregates written in a formula directly over a register, as specs.

    ``Σ pegawai``, ``Σ pegawai[c]`` count rows; ``Σ pegawai.gaji`` sums a column;
    ``avg``, ``min(…)``, ``max(…)`` and ``count`` of a column likewise. The
    spec's key is the canonical text of the node, so the same aggregate
    written twice is fetched once.
    """
    for node in ast.walk(body):
        found = _inline(node, registers)
        if found is not None:
            yield node, found


def _inline(node: ast.Node, registers: Mapping[str, Source]) -> MeasureSpec | None:
    if isinstance(node, ast.Aggregate):
        func, operand = node.func, node.operand
    elif isinstance(node, ast.Call) and node.func in ("min", "max") and len(node.args) == 1:
        func, operand = node.func, node.args[0]
    else:
        return None
    column: str | None = None
    if isinstance(operand, ast.Field):
        column, operand = operand.name, operand.base
    conditions: list[ast.Node] = []
    while isinstance(operand, ast.Filter):
        conditions.insert(0, operand.condition)
        operand = operand.base
    if not isinstance(operand, ast.Name) or operand.key not in registers:
        return None
    source = registers[operand.key]
    condition = (
        conditions[0]
        if len(conditions) == 1
        else ast.And(tuple(conditions))
        if conditions
        else None
    )
    aggregate: Aggregate
    if column is None:
        if func not in ("sum", "count"):
            return None
        aggregate = "count"
    else:
        aggregate = "count" if func == "count" else func  # type: ignore[assignment]
    return MeasureSpec(
        key=to_text(node),
        label=to_text(node),
        source=source,
        aggregate=aggregate,
        column=_column(source, column),
        condition=condition,
        time=_time(source.time),
    )


def _column(source: Source, written: str | None) -> str | None:
    """The source's own spelling of a column written in a formula (lookups ignore case)."""
    if written is None:
        return None
    for column in source.columns:
        if name_key(column) == name_key(written):
            return column
    return written
