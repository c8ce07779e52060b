"""Dates kept as text that the reader reads but an engine's cast to a date cannot: Spark
reads text as a date only written year first (``31/03/2026``, day first, stops its query),
PostgreSQL not with a dot in its time (``2026-03-31 23.30``). Such a cell of an office's
table is found by the check of its cells, before any query casts it
(:func:`cast_date_wrong`), and refused naming the table, the column and the cell, and how
to write it (:func:`cast_date_message`), never with the engine's own words at the first
query that casts it."""

from __future__ import annotations

import datetime as dt

from sqlglot import exp

from iku_rules.i18n import _, format_day
from iku_rules.sources.cells import convert
from iku_rules.sources.sql import Builder

UNREAD = {"spark": r"^\s*[0-9]{1,2}/", "postgres": r"[T ][0-9]{1,2}\."}
"""By dialect, what its cast of text to a date cannot read of the dates the reader reads
(:data:`~iku_rules.sources.external.DATE_PATTERN`): Spark's a day before the month,
PostgreSQL's a dot between the hours and the minutes."""

ENGINES = {"spark": "Spark", "postgres": "PostgreSQL"}


def cast_date_wrong(builder: Builder, cell: exp.Expr) -> exp.Expr | None:
    """Whether the date ``cell`` (as text) is one the engine of ``builder`` cannot cast;
    None when its cast reads every date the reader reads."""
    pattern = UNREAD.get(builder.dialect)
    if pattern is None:
        return None
    return exp.RegexpLike(this=cell, expression=exp.Literal.string(pattern))


def cast_date_message(dialect: str, cell: str) -> str:
    """Why the date ``cell`` :func:`cast_date_wrong` found is refused: the day it is, that
    the engine cannot read it, and how to write it so that every backend reads it."""
    day = convert(cell, "date")
    assert isinstance(day, dt.date)  # the reader's pattern matched it
    return _(
        "'{cell}' is the date {day}, which {engine} cannot read kept as text written so;"
        " write the dates of the column as YYYY-MM-DD ({iso}), or keep the column as a date"
    ).format(cell=cell.strip(), day=format_day(day), engine=ENGINES[dialect], iso=day.isoformat())
