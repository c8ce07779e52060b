"""Several periods over dated rows, without joining every row to every period.

A statement for several periods (:class:`~iku_rules.sources.sql_periods.PeriodsBuilder`)
joins the rows to the table of the periods; a register's row (a state) then meets every
period that ends on or after its date, and the distinct people are counted once per
period. Where a source's rows are dated (no grain, no ``terakhir``) and its distinct counts
read one column (:func:`~iku_rules.sources.sql_distinct.distinct_column`), the statement is
built from three parts instead, each a small join, as an analyst writes it:

* **counts by date**: the rows grouped by the grouping's keys and their date, carrying
  each spec's counts of rows passing its filter and its partial sums, smallest and largest
  values; those groups (one per place and day) meet the periods, and a period adds the
  days in its window. Every count of rows, sum, smallest and largest value comes from here.
* **people of states, by first date**: one row per place and person with the first date
  each state spec's filter holds; a person counts in every period ending on or after it.
* **people of flows, per period**: the rows of each period's window (a range join: a row
  meets the few periods containing its date), one row per period, place and person with
  the rows passing each flow spec's filter; a person counts where some row passed.

The three parts' rows (NULL where a part has nothing to say) are added up per period and
place. For several groupings each part's inner level groups by ``GROUPING SETS``, its rows
carrying which grouping they are of (``g``, a key like the places): each part reads the
source once for every grouping (on SQLite, the whole statement is repeated per grouping). The groups are those of the joined form (a place with a row in the window of the
period), and every tally is the same (tests/test_two_level.py checks each against the
pure-Python backend). Elsewhere the joined form stays, in two levels where
:mod:`~iku_rules.sources.sql_distinct` applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlglot import exp

from iku_rules.measures import MeasureSpec
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Query
from iku_rules.sources.sql_distinct import DISTINCT, added, distinct_column, quoted
from iku_rules.sources.sql_grain import (
    branches,
    group_by,
    grouping_keys,
    inner_keys,
    outer_keys,
)

if TYPE_CHECKING:
    from iku_rules.sources.sql_periods import PeriodsBuilder

PARTS = "iku parts"  # i18n: not for planners
"""The name the three parts take in the statement that adds them up."""
PART = "iku part"  # i18n: not for planners
"""The name of a part's inner level in the part."""
ROWS = "iku rows"  # i18n: not for planners
"""The rows of a place and day (a name apart from the date column's, which the part keeps)."""
SINCE = "iku since"  # i18n: not for planners
"""A person's first date in the source (any filter)."""


def applies(source: Source, specs: Sequence[MeasureSpec]) -> bool:
    """Whether :func:`since_measures` answers ``specs`` over ``source``: dated rows, no
    ``terakhir``, distinct counts of one column, one of them at least of a state. (When
    every distinct count is of a flow, each row meets only the periods containing its
    date anyway, and the joined form in two levels was measured faster: it reads the rows
    once, where the parts read them twice.)"""
    return (
        source.grain is None
        and bool(source.date_column)
        and all(spec.latest is None and spec.time in ("state", "flow") for spec in specs)
        and distinct_column(specs) is not None
        and any(spec.aggregate == "count_distinct" and spec.time == "state" for spec in specs)
    )


def _part(
    builder: PeriodsBuilder,
    inner: exp.Select,
    filled: dict[str, exp.Expr],
    where: exp.Expr | None,
    index: exp.Column,
    columns: tuple[str, Sequence[str], Sequence[str]],
) -> exp.Select:
    """A part: ``inner`` meets the periods (its rows of ``where``), one row per period and
    place, with the columns ``filled`` and NULL in the others; ``columns`` are the name of
    the period's column, of the keys and of the tallies."""
    index_name, key_names, names = columns
    front = [exp.alias_(index.copy(), index_name, quoted=True, copy=False)]
    front += [exp.alias_(quoted(name, PART), name, quoted=True, copy=False) for name in key_names]
    values = [
        exp.alias_(filled.get(name, exp.Null()), name, quoted=True, copy=False) for name in names
    ]
    table = exp.Subquery(
        this=inner, alias=exp.TableAlias(this=exp.to_identifier(PART, quoted=True))
    )
    statement = exp.select(*front, *values).from_(table, copy=False)
    statement = statement.join(builder.table_of_periods(), join_type="cross", copy=False)
    if where is not None:
        statement = statement.where(where, copy=False)
    return statement.group_by(index.copy(), *(quoted(name, PART) for name in key_names), copy=False)


def since_measures(
    builder: PeriodsBuilder,
    source: Source,
    specs: Sequence[MeasureSpec],
    period: Period,
    groupings: Sequence[tuple[str, ...]],
    index: exp.Column,
    index_name: str,
) -> Query:
    """The measures statement of several periods in three parts (see the module); ``index``
    is the period's place in the table of the periods, given in the column ``index_name``."""
    column = distinct_column(specs)
    assert column is not None and source.date_column is not None
    date = builder.column(source.date_column)
    one = exp.Literal.number(1)
    conditions = [
        None
        if spec.condition is None
        else exp.Paren(this=builder.condition(spec.condition, source))
        for spec in specs
    ]
    names = ["window_state", "window_flow"]
    for number in range(len(specs)):
        names += [f"m{number}_matched", f"m{number}_present", f"m{number}_value"]
    distinct = [spec.aggregate == "count_distinct" and spec.column is not None for spec in specs]
    keys = grouping_keys(groupings)
    end = builder.param(None, "date", "period_end")
    statements = []
    for branch in branches(builder, groupings):
        # the columns the inner levels carry: g too, for GROUPING SETS
        carried = inner_keys(builder, groupings, branch)
        key_names = [expression.alias for expression in carried]

        # counts by date: one row per place and day, its windows read after the join
        by_date: list[exp.Expr] = [
            *(e.copy() for e in carried),
            exp.alias_(date.copy(), source.date_column, quoted=True, copy=False),
            exp.alias_(exp.Count(this=exp.Star()), ROWS, quoted=True, copy=False),
        ]
        counted: dict[str, exp.Expr] = {}
        for time in ("state", "flow"):
            window = builder.in_period(source, period, time)
            counted[f"window_{time}"] = exp.Sum(this=builder.when(window, quoted(ROWS, PART)))
        for number, (spec, condition) in enumerate(zip(specs, conditions, strict=True)):
            value_of = builder.column(spec.column) if spec.column else None
            window = builder.in_period(source, period, spec.time)
            for part_name, inner_value in (
                ("matched", exp.Count(this=builder.when(condition, one))),
                ("present", exp.Count(this=builder.when(condition, value_of or one))),
            ):
                name = f"m{number}_{part_name}"
                by_date.append(exp.alias_(inner_value, name, quoted=True, copy=False))
                counted[name] = exp.Sum(this=builder.when(window, quoted(name, PART)))
            name = f"m{number}_value"
            if spec.aggregate in ("sum", "avg") and value_of is not None:
                by_date.append(
                    exp.alias_(
                        builder.exact_sum(builder.when(condition, value_of)),
                        name,
                        quoted=True,
                        copy=False,
                    )
                )
                counted[name] = builder.exact_sum(builder.when(window, quoted(name, PART)))
            elif spec.aggregate in ("min", "max") and value_of is not None:
                extreme = builder.extreme(spec.aggregate, builder.when(condition, value_of))
                by_date.append(exp.alias_(extreme, name, quoted=True, copy=False))
                counted[name] = builder.extreme(
                    spec.aggregate, builder.when(window, quoted(name, PART))
                )
        inner = group_by(
            exp.select(*by_date).from_(builder.table(source), copy=False),
            builder,
            groupings,
            branch,
            date,
        )
        # the window over the part's own date column, by the same name
        where = builder.rows_of(source, specs, period)
        parts = [_part(builder, inner, counted, where, index, (index_name, key_names, names))]

        states = [n for n, spec in enumerate(specs) if distinct[n] and spec.time == "state"]
        if states:  # people of states: each from the first date its filter holds
            firsts: list[exp.Expr] = [
                *(e.copy() for e in carried),
                exp.alias_(builder.column(column), DISTINCT, quoted=True, copy=False),
                exp.alias_(exp.Min(this=date.copy()), SINCE, quoted=True, copy=False),
            ]
            people: dict[str, exp.Expr] = {}
            for n in states:
                since = f"m{n}_since"
                firsts.append(
                    exp.alias_(
                        exp.Min(this=builder.when(conditions[n], date.copy())),
                        since,
                        quoted=True,
                        copy=False,
                    )
                )
                reached = exp.LTE(this=quoted(since, PART), expression=end.copy())
                people[f"m{n}_value"] = exp.Count(
                    this=builder.when(reached, quoted(DISTINCT, PART))
                )
            inner = group_by(
                exp.select(*firsts).from_(builder.table(source), copy=False),
                builder,
                groupings,
                branch,
                builder.column(column),
            )
            first = exp.LTE(this=quoted(SINCE, PART), expression=end.copy())
            parts.append(
                _part(builder, inner, people, first, index, (index_name, key_names, names))
            )

        flows = [n for n, spec in enumerate(specs) if distinct[n] and spec.time == "flow"]
        if flows:  # people of flows: the rows of each period's window, per person
            window = builder.in_period(source, period, "flow")
            hits: list[exp.Expr] = [
                exp.alias_(index.copy(), index_name, quoted=True, copy=False),
                *(e.copy() for e in carried),
                exp.alias_(builder.column(column), DISTINCT, quoted=True, copy=False),
            ]
            people = {}
            for n in flows:
                hit = f"m{n}_hits"
                hits.append(
                    exp.alias_(
                        exp.Count(this=builder.when(conditions[n], one)),
                        hit,
                        quoted=True,
                        copy=False,
                    )
                )
                passed = exp.GT(this=quoted(hit, PART), expression=exp.Literal.number(0))
                people[f"m{n}_value"] = exp.Count(this=builder.when(passed, quoted(DISTINCT, PART)))
            inner = group_by(
                exp.select(*hits)
                .from_(builder.table(source), copy=False)
                .join(builder.table_of_periods(), join_type="cross", copy=False)
                .where(window, copy=False),
                builder,
                groupings,
                branch,
                index,
                builder.column(column),
            )
            # grouped by period already: this part's own period, not a second join
            front = [exp.alias_(quoted(index_name, PART), index_name, quoted=True, copy=False)]
            front += [
                exp.alias_(quoted(name, PART), name, quoted=True, copy=False) for name in key_names
            ]
            values = [
                exp.alias_(people.get(name, exp.Null()), name, quoted=True, copy=False)
                for name in names
            ]
            table = exp.Subquery(
                this=inner, alias=exp.TableAlias(this=exp.to_identifier(PART, quoted=True))
            )
            parts.append(
                exp.select(*front, *values)
                .from_(table, copy=False)
                .group_by(
                    quoted(index_name, PART),
                    *(quoted(name, PART) for name in key_names),
                    copy=False,
                )
            )

        union: exp.Expr = parts[0]
        for other in parts[1:]:
            union = exp.union(union, other, distinct=False, copy=False)
        front, grouped = outer_keys(builder, groupings, branch, PARTS)
        summed: list[exp.Expr] = [
            exp.alias_(quoted(index_name, PARTS), index_name, quoted=True, copy=False),
            *front,
        ]
        for name in ("window_state", "window_flow"):
            summed.append(exp.alias_(added(quoted(name, PARTS)), name, quoted=True, copy=False))
        for n, spec in enumerate(specs):
            matched, present, value = (f"m{n}_{p}" for p in ("matched", "present", "value"))
            total: exp.Expr
            if distinct[n]:
                total = added(quoted(value, PARTS))
            elif spec.aggregate in ("sum", "avg") and spec.column:
                total = builder.exact_sum(quoted(value, PARTS))
            elif spec.aggregate in ("min", "max") and spec.column:
                total = builder.extreme(spec.aggregate, quoted(value, PARTS))
            else:
                total = added(quoted(matched, PARTS))
            summed += [
                exp.alias_(added(quoted(matched, PARTS)), matched, quoted=True, copy=False),
                exp.alias_(added(quoted(present, PARTS)), present, quoted=True, copy=False),
                exp.alias_(total, value, quoted=True, copy=False),
            ]
        statement = exp.select(*summed).from_(
            exp.Subquery(
                this=union, alias=exp.TableAlias(this=exp.to_identifier(PARTS, quoted=True))
            ),
            copy=False,
        )
        statements.append(statement.group_by(quoted(index_name, PARTS), *grouped, copy=False))
    result: exp.Expr = statements[0]
    for statement in statements[1:]:
        result = exp.union(result, statement, distinct=False, copy=False)
    columns = (index_name, "g", *(f"k{i}" for i in range(len(keys))), *names)
    return builder.finish(result, columns)
