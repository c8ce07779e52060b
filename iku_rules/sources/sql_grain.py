"""SQL for the rows of a period beyond dates, and for region names: the rows of a source of
values per period (``time = "period"``), each entity's latest record (``terakhir``), and
region names written in another case or spacing grouped under their declared spelling.

Built as sqlglot expressions by the :class:`~iku_rules.sources.sql.Builder` of a
statement; every value is a bound parameter (a period's labels under the names of
:func:`~iku_rules.timegrain.period_bounds`, so one statement serves every period).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlglot import exp

from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.timegrain import Grain, Latest

if TYPE_CHECKING:
    from iku_rules.sources.sql import Builder

LATEST_ALIAS = "latest_rows"
"""The name the source's table takes inside the subquery that finds latest records."""


def grain_window(builder: Builder, source: Source, grain: Grain, period: Period) -> exp.Expr:
    """The rows of the periods of ``grain`` within ``period``: the period column between the
    first and the last label (labels of one grain sort as their periods do)."""
    column = builder.column(grain.column)
    kind = source.columns.get(grain.column, "text")
    first, last = grain.bounds(period)
    if kind == "integer":  # a year written as a number
        low: exp.Expr = builder.param(int(first), "integer", "year")
        high: exp.Expr = builder.param(int(last), "integer", "year")
    else:
        low = builder.param(first, "text", f"{grain.unit}_first")
        high = builder.param(last, "text", f"{grain.unit}_last")
    if first == last:
        return exp.EQ(this=column, expression=low)
    return exp.and_(
        exp.GTE(this=column, expression=low), exp.LTE(this=column.copy(), expression=high)
    )


def latest_condition(
    builder: Builder, source: Source, latest: Latest, period: Period, time: str
) -> exp.Expr:
    """Whether a row is its entity's latest within the period: its ``by`` is the largest
    ``by`` among the rows of the period with the same ``per``."""
    table = builder.table(source)
    outer_by = exp.column(latest.by, table=table.alias_or_name, quoted=True)
    outer_per = exp.column(latest.per, table=table.alias_or_name, quoted=True)
    inner_by = exp.column(latest.by, table=LATEST_ALIAS, quoted=True)
    inner_per = exp.column(latest.per, table=LATEST_ALIAS, quoted=True)
    kind = source.columns.get(latest.by, "text")
    largest = (
        builder.extreme("max", inner_by)
        if kind in ("integer", "decimal")
        else exp.Max(this=inner_by)
    )
    where: exp.Expr = exp.EQ(this=inner_per, expression=outer_per)
    window = builder.in_period(source, period, time)
    if window is not None:
        # the window's columns are unqualified: inside the subquery they are its own
        where = exp.and_(where, window)
    inner = (
        exp.select(largest)
        .from_(exp.alias_(builder.table(source), LATEST_ALIAS, table=True))
        .where(where)
    )
    return exp.EQ(this=outer_by, expression=exp.Subquery(this=inner))


def grouping_keys(groupings: Sequence[tuple[str, ...]]) -> list[str]:
    """Every column of ``groupings``, each once, in the order first met: a statement's key
    columns ``k0``, ``k1``… in this order."""
    keys: list[str] = []
    for grouping in groupings:
        keys.extend(key for key in grouping if key not in keys)
    return keys


def group_column(builder: Builder, column: str, renamed: Mapping[str, str]) -> exp.Expr:
    """A grouping column whose names written in another case or spacing (``LABUAN``) are
    grouped under their declared spelling (``Labuan``)."""
    if not renamed:
        return builder.column(column)
    return exp.Case(
        this=builder.column(column),
        ifs=[
            exp.If(this=builder.param(written, "text"), true=builder.param(declared, "text"))
            for written, declared in sorted(renamed.items())
        ],
        default=builder.column(column),
    )
