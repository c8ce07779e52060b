"""Several periods in one statement per source, and reading answers back into groups.

A statement built for one period binds the period's values (its first and last day,
its year, its triwulan, the labels of each grain: :data:`PERIOD_NAMES`) as named
parameters. For several periods, :class:`PeriodsBuilder` builds the same statement with
each of those values read from a small table of the periods instead, one row per
period, joined to the source's rows, and groups by the period as well: each row counts
in every period whose conditions it meets (a register's row in every triwulan from the
one it was registered in, an event in the triwulan it is dated in), so the answers are
those of one statement per period, in one scan of the source.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define, field
from sqlglot import exp

from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources import sql_since as since
from iku_rules.sources.base import Answer, GroupKey, value_text
from iku_rules.sources.sql import Builder, Dialect, Query, exact, period_values
from iku_rules.sources.sql_grain import also_group_by, dates_query, grouping_keys

if TYPE_CHECKING:
    from iku_rules.sources.sql_backend import SqlBackend

R = TypeVar("R")

PERIODS_TABLE = "iku periods"  # i18n: not for planners
"""The name the table of the periods takes in a statement."""
PERIOD_INDEX = "period"
"""The result column that says which period (its place in the list asked) a row is of."""
_SLOTS = 4
"""Triwulan a period covers at most (a year): periods with fewer leave the rest NULL."""
_ANY_YEAR = Period("year", 2000)
"""The period a statement for several is built from: every value it binds is read from
the table of the periods instead, and a year covers every triwulan slot and every grain's
range (first and last label), so the conditions are the same for any period."""
PERIOD_NAMES: tuple[str, ...] = tuple(period_values(_ANY_YEAR))
"""The names under which a statement binds a period's values."""
_TYPES = {"period_start": "date", "period_end": "date", "year": "integer"}


def _column(name: str) -> str:
    """The column of the table of the periods holding the value bound as ``name`` (a name
    no declared column of a source can have: it holds a colon and a space)."""
    return f"iku period: {name}"  # i18n: not for planners


def _values(period: Period) -> dict[str, Any]:
    values = period_values(period)
    for slot in range(_SLOTS):
        values.setdefault(f"triwulan_{slot}", None)
    return values


def _period_index() -> exp.Column:
    """A period's place in the table of the periods, as a statement reads it."""
    return exp.column(_column(PERIOD_INDEX), table=PERIODS_TABLE, quoted=True)


@define
class PeriodsBuilder(Builder):
    """A :class:`Builder` of statements that answer every one of ``periods`` at once."""

    periods: tuple[Period, ...] = field(factory=tuple)

    def param(self, value: Any, column_type: str, name: str | None = None) -> exp.Expr:
        if name in PERIOD_NAMES:
            column = exp.column(_column(name), table=PERIODS_TABLE, quoted=True)
            return exp.Cast(this=column, to=self.sql_type(column_type))
        return Builder.param(self, value, column_type, name)

    def table_of_periods(self) -> exp.Expr:
        """The periods as a table: their place in the list, and each value a statement
        for one period binds, bound here under a name per period."""
        rows: list[exp.Expr] = []
        for index, period in enumerate(self.periods):
            values = _values(period)
            columns: list[exp.Expr] = [
                exp.alias_(
                    exp.Literal.number(index), _column(PERIOD_INDEX), quoted=True, copy=False
                )
            ]
            for name in PERIOD_NAMES:
                kind = _TYPES.get(name, "text")
                bound = Builder.param(self, values[name], kind, f"q{index}_{name}")
                columns.append(exp.alias_(bound, _column(name), quoted=True, copy=False))
            rows.append(exp.select(*columns))
        union = rows[0]
        for row in rows[1:]:
            union = exp.union(union, row, distinct=False, copy=False)
        return exp.Subquery(
            this=union, alias=exp.TableAlias(this=exp.to_identifier(PERIODS_TABLE, quoted=True))
        )

    def grouped(
        self,
        select: list[exp.Expr],
        source: Source,
        groupings: Sequence[tuple[str, ...]],
        where: exp.Expr | None = None,
    ) -> tuple[exp.Expr, tuple[str, ...]]:
        """Every grouping's statement joined to the periods and grouped by period too, its
        place in the list in front (the column ``period``)."""
        union, keys = Builder.grouped(self, select, source, groupings, where)
        periods = self.table_of_periods()
        branches = [union]
        while branches:
            statement = branches.pop()
            if isinstance(statement, exp.Union):
                branches += [statement.this, statement.expression]
                continue
            assert isinstance(statement, exp.Select)
            index = _period_index()
            front = exp.alias_(index, PERIOD_INDEX, quoted=True, copy=False)
            statement.set("expressions", [front, *statement.expressions])
            statement.join(periods.copy(), join_type="cross", copy=False)
            also_group_by(statement, index.copy())
        return union, (PERIOD_INDEX, *keys)

    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Query:
        """Dated rows whose distinct counts read one column: in parts that join each row
        to few periods (:mod:`~iku_rules.sources.sql_since`); else every row joined to
        every period, as :meth:`Builder.measures` builds it."""
        if since.applies(source, specs):
            index = _period_index()
            return since.since_measures(self, source, specs, period, groupings, index, PERIOD_INDEX)
        return Builder.measures(self, source, specs, period, groupings)

    def periods_level(self, inner: exp.Select, outer: exp.Select, alias: str) -> tuple[str, ...]:
        """The inner level of a statement in two levels joined to the periods and grouped
        by period; the outer one grouped by it too, with the period in front."""
        index = _period_index()
        inner.set(
            "expressions",
            [exp.alias_(index, PERIOD_INDEX, quoted=True, copy=False), *inner.expressions],
        )
        inner.join(self.table_of_periods(), join_type="cross", copy=False)
        also_group_by(inner, index.copy())
        period = exp.column(PERIOD_INDEX, table=alias, quoted=True)
        outer.set(
            "expressions",
            [exp.alias_(period, PERIOD_INDEX, quoted=True, copy=False), *outer.expressions],
        )
        outer.group_by(period.copy(), copy=False)
        return (PERIOD_INDEX,)


def period_params(dialect: Dialect, periods: Sequence[Period]) -> dict[str, Any]:
    """The values the table of ``periods`` binds (to bind a statement built once afresh)."""
    builder = PeriodsBuilder(dialect, periods=tuple(periods))
    builder.table_of_periods()
    return builder.params


def spec_key(spec: MeasureSpec) -> Hashable:
    """What of a spec its SQL is built from."""
    return spec.key, spec.aggregate, spec.column, spec.condition, spec.time, spec.latest


def group_key(
    values: Mapping[str, Any], keys: Sequence[str], groupings: Sequence[tuple[str, ...]]
) -> GroupKey:
    """The group of one result row: its grouping's index and the values of its columns;
    ``keys`` are the statement's key columns (:func:`grouping_keys` of ``groupings``, found
    once per statement, not for every row)."""
    index = int(values["g"])
    found = []
    for column in groupings[index]:
        value = values[f"k{keys.index(column)}"]
        found.append(None if value is None else value_text(value))
    return index, tuple(found)


def tallies(
    values: Mapping[str, Any], specs: Sequence[MeasureSpec], dialect: Dialect
) -> dict[str, Tally]:
    """Each spec's tally from one result row of a measures statement."""
    windows = {time: int(values[f"window_{time}"]) for time in ("state", "flow")}
    found = {}
    for index, spec in enumerate(specs):
        raw = values[f"m{index}_value"]
        summed = spec.aggregate in ("sum", "avg")
        found[spec.key] = Tally(
            windows[spec.time],
            int(values[f"m{index}_matched"]),
            int(values[f"m{index}_present"]),
            exact(raw, dialect, summed),
        )
    return found


def _no_rows(spec: MeasureSpec) -> Tally:
    """What a statement for one period answers for the whole area when no row is of the
    period (aggregates without GROUP BY give one row): counts of 0, and no sum, smallest
    or largest value."""
    valued = spec.column is not None and spec.aggregate in ("sum", "avg", "min", "max")
    return Tally(0, 0, 0, None if valued else Decimal(0))


def _grouped_answers(
    backend: SqlBackend,
    source: Source,
    key: Hashable,
    build: Callable[[PeriodsBuilder], Query],
    periods: Sequence[Period],
    groupings: Sequence[tuple[str, ...]],
    read: Callable[[Mapping[str, Any]], R],
) -> tuple[list[dict[GroupKey, R]], Query]:
    """The groups of each period (in their order), by one statement ``build`` makes (built
    once per ``key`` and number of periods); ``read`` gives what a result row holds (its
    tallies, its dates)."""
    backend.table(source)
    renamed = backend.renames(source)
    query = backend.statement(
        (key, len(periods), backend.renamed_key(source)),
        lambda: build(
            PeriodsBuilder(
                backend.dialect,
                renamed=renamed,
                qualified=backend.qualifications(source),
                periods=tuple(periods),
            )
        ),
        period_params(backend.dialect, periods),
    )
    found: list[dict[GroupKey, R]] = [{} for _ in periods]
    keys = grouping_keys(groupings)
    for row in backend.run(query, source):
        values = dict(zip(query.columns, row, strict=True))
        found[int(values[PERIOD_INDEX])][group_key(values, keys, groupings)] = read(values)
    return found, query


def measures_many(
    backend: SqlBackend,
    source: Source,
    specs: Sequence[MeasureSpec],
    periods: Sequence[Period],
    groupings: Sequence[tuple[str, ...]],
) -> list[Answer]:
    """Every spec over ``source`` for each of ``periods``, by one statement (one per period
    on an engine that does not answer several at once, or for one period)."""
    if not backend.one_pass or len(periods) < 2:
        return [backend.measures(source, specs, period, groupings) for period in periods]
    found, query = _grouped_answers(
        backend,
        source,
        ("measures", source.id, tuple(map(spec_key, specs)), tuple(groupings)),
        lambda builder: builder.measures(source, specs, _ANY_YEAR, groupings),
        periods,
        groupings,
        lambda values: tallies(values, specs, backend.dialect),
    )
    for groups in found:
        fill_whole(groups, specs, groupings)
    return [Answer(groups, query) for groups in found]


def measure_groups(
    rows: Iterable[Sequence[Any]],
    columns: Sequence[str],
    specs: Sequence[MeasureSpec],
    groupings: Sequence[tuple[str, ...]],
    dialect: Dialect,
) -> dict[GroupKey, dict[str, Tally]]:
    """The tallies of each group from the rows of a measures statement for one period."""
    groups: dict[GroupKey, dict[str, Tally]] = {}
    keys = grouping_keys(groupings)
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        groups[group_key(values, keys, groupings)] = tallies(values, specs, dialect)
    fill_whole(groups, specs, groupings)
    return groups


def dates_many(
    backend: SqlBackend,
    source: Source,
    periods: Sequence[Period],
    time: str,
    groupings: Sequence[tuple[str, ...]],
) -> list[dict[GroupKey, tuple[date, date]]]:
    """How far the dates of ``source``'s rows in each of ``periods``' windows reach
    (:func:`~iku_rules.sources.sql_grain.dates_query`), in their order, by one statement
    (one per period on an engine that does not answer several at once, or for one period):
    a listing of the four triwulan asks each source once, not four times."""
    backend.table(source)
    if not backend.one_pass or len(periods) < 2:
        found: list[dict[GroupKey, tuple[date, date]]] = []
        keys = grouping_keys(groupings)
        for period in periods:
            query = dates_query(backend.grouping(source), source, period, time, groupings)
            found.append({})
            for row in backend.run(query, source):
                values = dict(zip(query.columns, row, strict=True))
                span = _span(values)
                if span is not None:
                    found[-1][group_key(values, keys, groupings)] = span
        return found
    spans, _query = _grouped_answers(
        backend,
        source,
        ("dates", source.id, time, tuple(groupings)),
        lambda builder: dates_query(builder, source, _ANY_YEAR, time, groupings),
        periods,
        groupings,
        _span,
    )
    return [{group: span for group, span in got.items() if span} for got in spans]


def _span(values: Mapping[str, Any]) -> tuple[date, date] | None:
    """The earliest and latest date of a result row of a dates statement (None: the group
    has no row in the window); a date as the engine gives it, a ``date`` or (SQLite) its
    text ``YYYY-MM-DD``, read as a ``date``."""
    if values["first"] is None or values["last"] is None:
        return None
    first, last = values["first"], values["last"]
    return date.fromisoformat(value_text(first)[:10]), date.fromisoformat(value_text(last)[:10])


def fill_whole(
    groups: dict[GroupKey, dict[str, Tally]],
    specs: Sequence[MeasureSpec],
    groupings: Sequence[tuple[str, ...]],
) -> None:
    """Give the whole area the tallies of no rows when the statement answered nothing for
    it: a statement grouped by period, or by ``GROUPING SETS`` through an inner level, has
    no row for a group without rows, where a statement for one period and the whole area
    alone (no ``GROUP BY``) answers one row of zeros."""
    if () in groupings:
        whole: GroupKey = (list(groupings).index(()), ())
        if whole not in groups:
            groups[whole] = {spec.key: _no_rows(spec) for spec in specs}


def realisasi_many(
    backend: SqlBackend,
    source: Source,
    indicator_ids: Sequence[str],
    periods: Sequence[Period],
    groupings: Sequence[tuple[str, ...]],
) -> list[Answer]:
    """Σ nilai per indicator over each of ``periods``' triwulan, by one statement (one per
    period on an engine that does not answer several at once, or for one period)."""
    if not backend.one_pass or len(periods) < 2:
        return [backend.realisasi(source, indicator_ids, period, groupings) for period in periods]
    found, query = _grouped_answers(
        backend,
        source,
        ("realisasi", source.id, tuple(indicator_ids), tuple(groupings)),
        lambda builder: builder.realisasi(source, indicator_ids, _ANY_YEAR, groupings),
        periods,
        groupings,
        lambda values: {"total": realisasi_tally(values, backend.dialect)},
    )
    return [Answer(groups, query) for groups in found]


def realisasi_tally(values: Mapping[str, Any], dialect: Dialect) -> Tally:
    """The tally of one result row of a realisasi statement: ``matched`` its rows,
    ``value`` = Σ nilai, ``window`` the sub kegiatan codes among them (fewer than its rows
    when two rows share one: :data:`~iku_rules.keyed_rows.CODE_COLUMN`)."""
    rows, present = int(values["rows"]), int(values["present"])
    total = exact(values["total"], dialect, True) if present else None
    return Tally(int(values["keys"]), rows, present, total)
