"""SQL for the rows of a period beyond dates, for region names and for groupings: the rows of
a source of values per period (``time = "period"``), each entity's latest record
(``terakhir``), region names written in another case or spacing grouped under their
declared spelling, and a statement's groupings (the whole area, per kecamatan…) in one
``GROUPING SETS`` where the engine has it, so that the source is read once for them all.

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
from iku_rules.sources.dialects import rules
from iku_rules.timegrain import Grain, Latest

if TYPE_CHECKING:
    from iku_rules.sources.base import Query
    from iku_rules.sources.sql import Builder

LATEST_ALIAS = "latest_rows"
"""The name the source's table takes inside the subquery that finds latest records."""


def grain_window(builder: Builder, source: Source, grain: Grain, period: Period) -> exp.Expr:
    """The rows of the periods of ``grain`` within ``period``: the period column between the
    first and the last label (labels of one grain sort as their periods do).

    The statement's shape follows the grain alone, never the period: a statement built
    once is bound afresh to every period asked of the engine, so one built for a triwulan
    (``periode = '2026-TW1'``) and bound to a year would read the year's first triwulan
    alone. Only a yearly grain, whose first and last labels are one in every period, is
    an equality."""
    column = builder.column(grain.column)
    kind = source.columns.get(grain.column, "text")
    first, last = grain.bounds(period)
    if grain.unit == "year":
        if kind == "integer":  # a year written as a number
            year: exp.Expr = builder.param(int(first), "integer", "year")
        else:
            year = builder.param(first, "text", "year_first")
        return exp.EQ(this=column, expression=year)
    low = builder.param(first, "text", f"{grain.unit}_first")
    high = builder.param(last, "text", f"{grain.unit}_last")
    return exp.and_(
        exp.GTE(this=column, expression=low),
        exp.LTE(this=column.copy(), expression=high),
        copy=False,
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
        where = exp.and_(where, window, copy=False)
    inner = (
        exp.select(largest)
        .from_(exp.alias_(builder.table(source), LATEST_ALIAS, table=True, copy=False))
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


Branch = tuple[str, ...] | None
"""What one branch of a statement groups by: one grouping (a statement per grouping, joined
by ``UNION ALL``), or None for every grouping at once (``GROUPING SETS``)."""


def branches(builder: Builder, groupings: Sequence[tuple[str, ...]]) -> list[Branch]:
    """The branches of a statement over ``groupings``: one, grouping every way in one
    ``GROUPING SETS``, where the engine has it and there are several (of distinct columns);
    else one per grouping."""
    if (
        len(groupings) > 1
        and rules(builder.dialect).grouping_sets
        and len({frozenset(grouping) for grouping in groupings}) == len(groupings)
    ):
        return [None]
    return list(groupings)


def key_front(
    builder: Builder, groupings: Sequence[tuple[str, ...]], branch: Branch
) -> list[exp.Expr]:
    """``g`` (the grouping a row is of: its index in ``groupings``) and the key columns
    ``k0``… of the rows a branch groups from the source: a key outside the row's grouping
    is NULL. For ``GROUPING SETS``, ``g`` is read from ``GROUPING()`` of each key (1 where the
    row's set leaves the key out)."""
    keys = grouping_keys(groupings)
    index: exp.Expr
    if branch is None:
        index = exp.Case(
            ifs=[
                exp.If(
                    this=exp.and_(
                        *(
                            exp.EQ(
                                this=exp.Anonymous(
                                    this="GROUPING", expressions=[_key(builder, key)]
                                ),
                                expression=exp.Literal.number(0 if key in grouping else 1),
                            )
                            for key in keys
                        ),
                        copy=False,
                    ),
                    true=exp.Literal.number(number),
                )
                for number, grouping in enumerate(groupings)
            ]
        )
    else:
        index = exp.Literal.number(groupings.index(branch))
    front = [exp.alias_(index, "g", quoted=True, copy=False)]
    for number, key in enumerate(keys):
        value = (
            _key(builder, key)
            if branch is None or key in branch
            else exp.Cast(this=exp.Null(), to=builder.sql_type("text"))
        )
        front.append(exp.alias_(value, f"k{number}", quoted=True, copy=False))
    return front


def inner_keys(
    builder: Builder, groupings: Sequence[tuple[str, ...]], branch: Branch
) -> list[exp.Expr]:
    """The key columns the inner level of a statement in levels groups by (``g`` too, for
    ``GROUPING SETS``): what :func:`outer_keys` reads."""
    if branch is None:
        return key_front(builder, groupings, None)
    keys = grouping_keys(groupings)
    return [
        exp.alias_(_key(builder, key), f"k{keys.index(key)}", quoted=True, copy=False)
        for key in branch
    ]


def outer_keys(
    builder: Builder, groupings: Sequence[tuple[str, ...]], branch: Branch, inner: str
) -> tuple[list[exp.Expr], list[exp.Expr]]:
    """``g`` and the key columns ``k0``… of an outer level, read from its inner level
    ``inner`` (:func:`inner_keys`), and what the outer level groups by."""
    keys = grouping_keys(groupings)
    names = [f"k{number}" for number in range(len(keys))]
    if branch is None:
        carried = [exp.column(name, table=inner, quoted=True) for name in ["g", *names]]
        front = [exp.alias_(column, column.name, quoted=True, copy=False) for column in carried]
        return front, [column.copy() for column in carried]
    front = [exp.alias_(exp.Literal.number(groupings.index(branch)), "g", quoted=True, copy=False)]
    grouped: list[exp.Expr] = []
    for key, name in zip(keys, names, strict=True):
        value: exp.Expr = exp.Cast(this=exp.Null(), to=builder.sql_type("text"))
        if key in branch:
            value = exp.column(name, table=inner, quoted=True)
            grouped.append(value.copy())
        front.append(exp.alias_(value, name, quoted=True, copy=False))
    return front, grouped


def group_by(
    statement: exp.Select,
    builder: Builder,
    groupings: Sequence[tuple[str, ...]],
    branch: Branch,
    *also: exp.Expr,
) -> exp.Select:
    """``statement`` grouped by the keys of ``branch`` and ``also`` (in every set, for
    ``GROUPING SETS``); not grouped at all for the whole area alone."""
    if branch is None:
        sets = [
            exp.Tuple(
                expressions=[*(_key(builder, key) for key in grouping), *(e.copy() for e in also)]
            )
            for grouping in groupings
        ]
        statement.set("group", exp.Group(expressions=[exp.GroupingSets(expressions=sets)]))
        return statement
    grouped = [_key(builder, key) for key in branch] + [e.copy() for e in also]
    return statement.group_by(*grouped, copy=False) if grouped else statement


def also_group_by(statement: exp.Select, *also: exp.Expr) -> None:
    """Group ``statement`` by ``also`` as well: added to each of its ``GROUPING SETS`` when
    it has them (every set written in full, as Spark reads them), else to its ``GROUP BY``."""
    group = statement.args.get("group")
    sets = group.find(exp.GroupingSets) if group is not None else None
    if sets is None:
        statement.group_by(*also, copy=False)
        return
    for one in sets.expressions:
        for expression in also:
            one.append("expressions", expression.copy())


def _key(builder: Builder, key: str) -> exp.Expr:
    grouped = group_column(builder, key, builder.renamed.get(key, {}))
    found = builder.qualified.get(key)
    if found is None:
        return grouped
    # a name under two parents: grouped under the label of its pair (Mekarsari (Bojong))
    parent = group_column(builder, found.parent, builder.renamed.get(found.parent, {}))
    return exp.Case(
        ifs=[
            exp.If(
                this=exp.and_(
                    exp.EQ(this=parent.copy(), expression=builder.param(above, "text")),
                    exp.EQ(this=builder.column(key), expression=builder.param(name, "text")),
                    copy=False,
                ),
                true=builder.param(label, "text"),
            )
            for (above, name), label in sorted(found.labels.items())
        ],
        default=grouped,
    )


def dates_query(
    builder: Builder,
    source: Source,
    period: Period,
    time: str,
    groupings: Sequence[tuple[str, ...]],
) -> Query:
    """The earliest (``first``) and latest (``last``) date of ``source``'s rows in the window
    of ``period`` (``time`` ``flow``: dated within it; ``state``: on or before its end), before
    any filter, grouped every way of ``groupings``: how far the data of a period reach, which
    explanations say (:meth:`~iku_rules.sources.base.Backend.dates`)."""
    day = builder.column(source.date_column or "")
    span = [
        exp.alias_(exp.Min(this=day), "first", quoted=True, copy=False),
        exp.alias_(exp.Max(this=day.copy()), "last", quoted=True, copy=False),
    ]
    window = builder.in_period(source, period, time)
    statement, keys = builder.grouped(span, source, groupings, window)
    return builder.finish(statement, (*keys, "first", "last"))
