"""SQL for the records tied at an entity's latest ``by`` that would change a measure's
number (:mod:`iku_rules.latest_ties`): one statement per measure and period, on every SQL
engine, over the very rows the measure's statement counts as latest
(:func:`~iku_rules.sources.sql_grain.latest_condition`)::

    SELECT per, by, COUNT(*), COUNT(*) OVER ()
    FROM source WHERE <the period's rows> AND <each entity's latest>
    GROUP BY per, by HAVING COUNT(*) > 1 AND <the tie changes the number>
    ORDER BY per LIMIT 5
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlglot import exp

from iku_rules.datanames import SHOWN
from iku_rules.latest_ties import Tie, Ties, adds, compared_columns, tie_text
from iku_rules.measures import MeasureSpec
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Query
from iku_rules.sources.sql import NUMERIC, Builder
from iku_rules.sources.sql_grain import latest_condition

COLUMNS = ("entity", "at", "records", "total")


def ties_query(builder: Builder, source: Source, spec: MeasureSpec, period: Period) -> Query:
    """The statement giving the first :data:`~iku_rules.datanames.SHOWN` ties of ``spec`` in
    ``period`` that change its number, each with the number of all of them."""
    latest = spec.latest
    assert latest is not None
    one = exp.Literal.number(1)
    rows = exp.Count(this=exp.Star())
    passing: exp.Expr = rows
    if spec.condition is not None:
        passing = exp.Count(this=builder.when(builder.condition(spec.condition, source), one))
    changes: exp.Expr = exp.GT(this=passing, expression=exp.Literal.number(0))
    if not adds(spec):
        assert spec.column is not None
        differs: list[exp.Expr] = [
            exp.LT(this=passing.copy(), expression=rows.copy()),
            exp.LT(this=exp.Count(this=builder.column(spec.column)), expression=rows.copy()),
        ]
        for column in compared_columns(spec):
            values = exp.Count(this=exp.Distinct(expressions=[builder.column(column)]))
            present = exp.Count(this=builder.column(column))
            differs.append(exp.GT(this=values, expression=one.copy()))
            differs.append(  # some records leave it empty, others do not
                exp.and_(
                    exp.GT(this=present, expression=exp.Literal.number(0)),
                    exp.LT(this=present.copy(), expression=rows.copy()),
                    copy=False,
                )
            )
        changes = exp.and_(changes, exp.Paren(this=exp.or_(*differs, copy=False)), copy=False)
    where = latest_condition(builder, source, latest, period, spec.time)
    window = builder.in_period(source, period, spec.time)
    if window is not None:
        where = exp.and_(window, where, copy=False)
    per, by = builder.column(latest.per), builder.column(latest.by)
    statement = (
        exp.select(
            exp.alias_(per, "entity", quoted=True),
            exp.alias_(by, "at", quoted=True),
            exp.alias_(rows.copy(), "records", quoted=True),
            exp.alias_(exp.Window(this=rows.copy()), "total", quoted=True),
        )
        .from_(builder.table(source), copy=False)
        .where(where, copy=False)
        .group_by(per.copy(), by.copy(), copy=False)
        .having(
            exp.and_(exp.GT(this=rows.copy(), expression=one.copy()), changes, copy=False),
            copy=False,
        )
        .order_by(per.copy(), copy=False)
        .limit(SHOWN, copy=False)
    )
    return builder.finish(statement, COLUMNS)


def read_ties(found: list[tuple[Any, ...]], source: Source, spec: MeasureSpec) -> Ties:
    """The ties the statement of :func:`ties_query` found (numbers SQLite keeps as text
    read back as numbers)."""
    latest = spec.latest
    assert latest is not None
    ties = []
    total = 0
    for entity, at, records, count in found:
        ties.append(
            Tie(
                _text(entity, source.columns.get(latest.per)),
                _text(at, source.columns.get(latest.by)),
                int(records),
            )
        )
        total = int(count)
    return Ties(tuple(ties), total)


def _text(value: Any, kind: str | None) -> str:
    if isinstance(value, str) and kind in NUMERIC:
        return tie_text(Decimal(value))
    return tie_text(value)
