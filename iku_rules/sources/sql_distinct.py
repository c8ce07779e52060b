"""A source's measures counted in two levels, when they count distinct values of one column.

``COUNT(DISTINCT CASE WHEN … THEN nik END)`` once per spec and grouping makes the engine
keep one set of values per spec, group and period. When every distinct count of a source
reads the same column, the statement is built as an analyst writes it instead:

* the inner level groups the rows by (the period, for several) the grouping's keys and that
  column, one row per person and place, carrying each spec's counts of rows (rows in the
  window, rows passing, rows with a value) and the partial sums, smallest and largest values
  of the other aggregates;
* the outer level groups those by (the period and) the keys: it adds the counts, sums the
  sums, takes the smallest of the smallest, and counts the distinct values whose inner
  group had a row passing the spec's filter (a NULL value is a group of its own and counts
  for nothing, as in ``COUNT(DISTINCT …)``).

Every tally is then the one-level statement's (:meth:`Builder.measures`): the counts of rows
are kept, not only the distinct values; an empty whole area still answers one row of
zeros (``COALESCE`` of the sums, as ``COUNT`` gives; where the inner level has no row, the
answer is filled with them: :func:`~iku_rules.sources.sql_periods.fill_whole`). The SQL is
plain (a subquery in ``FROM``, ``GROUP BY``, ``COALESCE``), so DuckDB, SQLite, PostgreSQL and
Spark all run it. For several groupings the inner level groups by ``GROUPING SETS`` (each
set with the counted column), its rows carrying which grouping they are of (``g``), and the
outer level groups by that too: the source is read once for every grouping (on SQLite, once
per grouping, by a ``UNION ALL`` of statements).

For several periods (:class:`~iku_rules.sources.sql_periods.PeriodsBuilder`) the inner
level is where the rows meet the table of the periods. Grouping the rows by date first, so
that fewer rows meet the periods, was measured on the benchmark's registers and was
slower: there each person has one row, so the extra level only adds work.

The one-level form stays where this one does not apply: no distinct count with a column,
or distinct counts of two or more columns in one source (each would need its own inner
level).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlglot import exp

from iku_rules.measures import MeasureSpec
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Query
from iku_rules.sources.sql_grain import (
    branches,
    group_by,
    grouping_keys,
    inner_keys,
    outer_keys,
)

if TYPE_CHECKING:
    from iku_rules.sources.sql import Builder

DISTINCT = "iku distinct"  # i18n: not for planners
"""The inner level's name for the counted column (an alias the outer level reads through
:data:`INNER`, beside the keys' ``k0``… and the counts' ``m0_matched``…)."""
INNER = "iku groups"  # i18n: not for planners
"""The name the inner level takes in the outer one."""


def distinct_column(specs: Sequence[MeasureSpec]) -> str | None:
    """The one column every distinct count of ``specs`` reads, or None when the two-level
    form does not apply (no distinct count, or distinct counts of several columns)."""
    columns = {spec.column for spec in specs if spec.aggregate == "count_distinct" and spec.column}
    return columns.pop() if len(columns) == 1 else None


def quoted(name: str, table: str | None = None) -> exp.Column:
    """The column ``name`` (of ``table``), quoted."""
    return exp.column(name, table=table, quoted=True)


def added(counts: str | exp.Expr) -> exp.Expr:
    """The sum of counts (an inner level's, by name), 0 (not NULL) over no rows."""
    if isinstance(counts, str):
        counts = quoted(counts, INNER)
    return exp.Coalesce(this=exp.Sum(this=counts), expressions=[exp.Literal.number(0)])


def two_level(
    builder: Builder,
    source: Source,
    specs: Sequence[MeasureSpec],
    period: Period,
    groupings: Sequence[tuple[str, ...]],
    column: str,
) -> Query:
    """The measures statement of :meth:`Builder.measures` in two levels (see the module),
    every distinct count reading ``column``."""
    one = exp.Literal.number(1)
    inner_select: list[exp.Expr] = []
    outer_select: list[exp.Expr] = []
    names: list[str] = []
    for time in ("state", "flow"):
        name = f"window_{time}"
        window = builder.in_period(source, period, time)
        inner_select.append(
            exp.alias_(exp.Count(this=builder.when(window, one)), name, quoted=True, copy=False)
        )
        outer_select.append(exp.alias_(added(name), name, quoted=True, copy=False))
        names.append(name)
    for index, spec in enumerate(specs):
        matched_if = builder.matched_if(spec, source, period)
        value_of = builder.column(spec.column) if spec.column else None
        matched, present, value = (f"m{index}_{part}" for part in ("matched", "present", "value"))
        inner_select.append(
            exp.alias_(
                exp.Count(this=builder.when(matched_if, one)), matched, quoted=True, copy=False
            )
        )
        present_sum: exp.Expr
        if spec.column == column:  # a row has the value when its group has: no count needed
            has_value = exp.Not(this=exp.Is(this=quoted(DISTINCT, INNER), expression=exp.Null()))
            present_sum = added(builder.when(has_value, quoted(matched, INNER)))
        else:
            counted = builder.when(matched_if, value_of if value_of is not None else one)
            inner_select.append(
                exp.alias_(exp.Count(this=counted), present, quoted=True, copy=False)
            )
            present_sum = added(quoted(present, INNER))
        total: exp.Expr
        if spec.aggregate == "count_distinct" and value_of is not None:
            passed = exp.GT(this=quoted(matched, INNER), expression=exp.Literal.number(0))
            total = exp.Count(this=builder.when(passed, quoted(DISTINCT, INNER)))
        elif spec.aggregate in ("sum", "avg") and value_of is not None:
            part = builder.exact_sum(builder.when(matched_if, value_of))
            inner_select.append(exp.alias_(part, value, quoted=True, copy=False))
            total = builder.exact_sum(quoted(value, INNER))
        elif spec.aggregate in ("min", "max") and value_of is not None:
            part = builder.extreme(spec.aggregate, builder.when(matched_if, value_of))
            inner_select.append(exp.alias_(part, value, quoted=True, copy=False))
            total = builder.extreme(spec.aggregate, quoted(value, INNER))
        else:
            total = added(matched)
        outer_select += [
            exp.alias_(added(matched), matched, quoted=True, copy=False),
            exp.alias_(present_sum, present, quoted=True, copy=False),
            exp.alias_(total, value, quoted=True, copy=False),
        ]
        names += [matched, present, value]
    where = builder.rows_of(source, specs, period)
    keys = grouping_keys(groupings)
    statements = []
    for branch in branches(builder, groupings):
        distinct = exp.alias_(builder.column(column), DISTINCT, quoted=True, copy=False)
        inner = exp.select(
            *inner_keys(builder, groupings, branch), distinct, *(e.copy() for e in inner_select)
        ).from_(builder.table(source), copy=False)
        if where is not None:
            inner = inner.where(where.copy(), copy=False)
        inner = group_by(inner, builder, groupings, branch, builder.column(column))
        front, grouped = outer_keys(builder, groupings, branch, INNER)
        outer = exp.select(*front, *(e.copy() for e in outer_select))
        in_front = builder.periods_level(inner, outer, INNER)
        outer = outer.from_(
            exp.Subquery(
                this=inner, alias=exp.TableAlias(this=exp.to_identifier(INNER, quoted=True))
            ),
            copy=False,
        )
        if grouped:
            outer = outer.group_by(*grouped, copy=False)
        statements.append(outer)
    union: exp.Expr = statements[0]
    for statement in statements[1:]:
        union = exp.union(union, statement, distinct=False, copy=False)
    columns = (*in_front, "g", *(f"k{index}" for index in range(len(keys))), *names)
    return builder.finish(union, columns)
