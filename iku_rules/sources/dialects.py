"""The SQL engines the statements are written for, and what differs between them.

The statements of :mod:`iku_rules.sources.sql` are sqlglot expressions, turned into
text for one engine at the end. sqlglot settles the spelling (quotes, casts,
placeholders); the differences that would change a *number* are settled here, in one
table of ours, each with a test against the engine itself
(``tests/test_dialects.py``), never left to the engine's defaults:

* **integer division** — ``1 / 2`` is 0 in PostgreSQL, SQLite and Trino, 0.5 in DuckDB
  and Spark;
* **division by zero** — ``1 / 0`` is NULL in SQLite, infinity in DuckDB, an error in
  PostgreSQL, Trino and Spark (ANSI mode);

  so no statement divides: sums and counts come back exact, and every ratio is computed
  in Python with exact decimals (a test walks every statement built for the shipped
  definitions and finds no division);
* **count(DISTINCT …) of the rows that pass a filter** — written
  ``COUNT(DISTINCT CASE WHEN … THEN x END)`` for every engine: ``FILTER (WHERE …)`` is
  missing from older SQLite and Spark's ``count(DISTINCT …)`` with ``FILTER`` is planned
  differently across versions, while a CASE without ELSE is NULL, which every engine's
  ``count`` skips;
* **date truncation to a triwulan** — :func:`triwulan_start`: DuckDB's ``date_trunc``
  gives a timestamp, Spark's ``date_trunc`` a timestamp and its ``trunc`` a date, SQLite
  has neither; the engine binds each period's first and last day instead (a date column
  compared with two dates needs no truncation), and the expression here serves queries
  that group by triwulan (the benchmark's);
* **decimal precision of sum** — every stored number has 6 decimals and at most 20
  digits before the point; a sum is taken over ``DECIMAL(38, 6)`` (32 digits before the
  point: a trillion rows of the largest value) in DuckDB, Spark and Trino, over
  PostgreSQL's ``NUMERIC`` (no limit), and by an exact aggregate of ours in SQLite.
  Spark runs in ANSI mode (:data:`SPARK_CONF`), where an overflowing sum is an error
  rather than a silent NULL;
* **several groupings in one statement** — ``GROUPING SETS`` where the engine has it
  (every one but SQLite), each set written in full: Spark reads ``GROUP BY a GROUPING
  SETS (…)`` as the sets alone, where PostgreSQL and DuckDB read ``GROUP BY a, GROUPING
  SETS (…)`` as ``a`` added to every set; and which set a row is of is read from
  ``GROUPING(column)`` of one column at a time (Spark's takes one);
* **identifier quoting** — double quotes (a ``"`` inside doubled) everywhere but Spark,
  which quotes with backticks (a `````` ` `````` inside doubled).

PostgreSQL's driver (psycopg) reads ``%`` in a statement as the start of a placeholder,
so :func:`render` doubles every ``%`` written inside an identifier or a string there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from attrs import frozen
from sqlglot import exp

from iku_rules.i18n import _

Dialect = Literal["duckdb", "sqlite", "postgres", "spark", "trino"]
"""The engines statements are written for (sqlglot's names); Trino is rendered as text
only (no backend runs it)."""

DIALECTS: tuple[Dialect, ...] = ("duckdb", "sqlite", "postgres", "spark", "trino")


@frozen
class DialectRules:
    """What one engine needs to give the numbers every other gives."""

    column_types: Mapping[str, str]
    """The SQL type each declared column type is stored and cast as."""
    exact_sum: Literal["decimal", "aggregate"]
    """How a sum stays exact: over ``column_types["decimal"]`` in SQL, or (SQLite) by
    the exact aggregates of :func:`~iku_rules.sources.sqlite_numbers.register_sqlite_functions`."""
    integer_division: Literal["truncates", "exact"]
    """What ``1 / 2`` gives in the engine (the statements never divide)."""
    division_by_zero: Literal["null", "infinity", "error"]
    """What ``1 / 0`` gives in the engine (the statements never divide)."""
    whole_test: Literal["round", "text"]
    """How a row whose number is not whole is found: compared with its ``ROUND``, or
    (numbers stored as canonical text) by the point in its text."""
    quote: str
    """The character that quotes identifiers."""
    grouping_sets: bool
    """Whether one statement groups its rows several ways (``GROUPING SETS``, with
    ``GROUPING()`` telling the sets apart), reading the source once; else (SQLite) one
    statement per grouping, joined by ``UNION ALL``."""


_EXACT = {"text": "TEXT", "date": "DATE"}

RULES: dict[Dialect, DialectRules] = {
    "duckdb": DialectRules(
        {"text": "VARCHAR", "integer": "HUGEINT", "decimal": "DECIMAL(38, 6)", "date": "DATE"},
        exact_sum="decimal",
        integer_division="exact",
        division_by_zero="infinity",
        whole_test="round",
        quote='"',
        grouping_sets=True,
    ),
    "sqlite": DialectRules(
        {"text": "TEXT", "integer": "TEXT", "decimal": "TEXT", "date": "TEXT"},
        exact_sum="aggregate",
        integer_division="truncates",
        division_by_zero="null",
        whole_test="text",
        quote='"',
        grouping_sets=False,
    ),
    "postgres": DialectRules(
        {**_EXACT, "integer": "NUMERIC(38, 0)", "decimal": "NUMERIC(38, 6)"},
        exact_sum="decimal",
        integer_division="truncates",
        division_by_zero="error",
        whole_test="round",
        quote='"',
        grouping_sets=True,
    ),
    "spark": DialectRules(
        {
            "text": "STRING",
            "integer": "DECIMAL(38, 0)",
            "decimal": "DECIMAL(38, 6)",
            "date": "DATE",
        },
        exact_sum="decimal",
        integer_division="exact",
        division_by_zero="error",
        whole_test="round",
        quote="`",
        grouping_sets=True,
    ),
    "trino": DialectRules(
        {
            "text": "VARCHAR",
            "integer": "DECIMAL(38, 0)",
            "decimal": "DECIMAL(38, 6)",
            "date": "DATE",
        },
        exact_sum="decimal",
        integer_division="truncates",
        division_by_zero="error",
        whole_test="round",
        quote='"',
        grouping_sets=True,
    ),
}
"""Every engine's rules (see the module's text for why each is so)."""

SPARK_CONF: dict[str, str] = {
    "spark.sql.ansi.enabled": "true",  # an overflowing sum or a bad cast is an error, never NULL
    "spark.sql.session.timeZone": "UTC",  # dates are dates wherever the job runs
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
}
"""The settings a Spark session gets before any statement runs."""


def rules(dialect: Dialect) -> DialectRules:
    """The rules of one engine; an unknown one is a ``ValueError`` naming the known."""
    try:
        return RULES[dialect]
    except KeyError:
        raise ValueError(
            _("no SQL dialect '{dialect}'; choose one of {dialects}").format(
                dialect=dialect, dialects=", ".join(DIALECTS)
            )
        ) from None


def triwulan_start(value: exp.Expr, dialect: Dialect) -> exp.Expr:
    """The first day of the triwulan of the date ``value``, as a date, in every engine.

    >>> triwulan_start(exp.column("d"), "postgres").sql("postgres")
    "CAST(DATE_TRUNC('QUARTER', d) AS DATE)"
    >>> triwulan_start(exp.column("d"), "spark").sql("spark")
    "TRUNC(d, 'QUARTER')"
    """
    if dialect == "sqlite":
        # date(d, 'start of month', '-N months'), N the months since the triwulan began
        months = exp.Mod(
            this=exp.Paren(
                this=exp.Sub(
                    this=exp.Cast(
                        this=exp.Anonymous(
                            this="strftime", expressions=[exp.Literal.string("%m"), value]
                        ),
                        to=exp.DataType.build("INTEGER"),
                    ),
                    expression=exp.Literal.number(1),
                )
            ),
            expression=exp.Literal.number(3),
        )
        shift = exp.DPipe(
            this=exp.DPipe(this=exp.Literal.string("-"), expression=exp.Paren(this=months)),
            expression=exp.Literal.string(" months"),
        )
        return exp.Anonymous(
            this="date",
            expressions=[
                value.copy(),
                exp.Literal.string("start of month"),  # i18n: not for planners (SQL)
                shift,
            ],
        )
    truncated: exp.Expr = exp.DateTrunc(this=value, unit=exp.var("QUARTER"))  # type: ignore[no-untyped-call]
    if dialect == "spark":
        return truncated  # TRUNC(d, 'QUARTER'): a date already
    return exp.Cast(this=truncated, to=exp.DataType.build("DATE"))


def render(statement: exp.Expr, dialect: Dialect) -> str:
    """``statement`` as text for ``dialect``; for PostgreSQL, every ``%`` inside an
    identifier or a string doubled, so that only the placeholders reach psycopg as
    ``%(name)s``.

    >>> column = exp.column("50% tertangani", quoted=True)
    >>> render(exp.select(column).where(exp.EQ(this=column.copy(), expression=exp.Placeholder(this="p0"))), "postgres")
    'SELECT "50%% tertangani" WHERE "50%% tertangani" = %(p0)s'
    """
    if dialect == "postgres":
        statement = statement.copy()
        for node in statement.find_all(exp.Identifier, exp.Literal):
            textual = isinstance(node, exp.Identifier) or node.is_string
            if textual and isinstance(node.this, str) and "%" in node.this:
                node.set("this", node.this.replace("%", "%%"))
    # the statement is built for this text alone: the generator may work on it in place
    return statement.sql(dialect=dialect, copy=False)
