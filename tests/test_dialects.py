"""The per-dialect table (iku_rules.sources.dialects) holds on the engines themselves:
integer division, division by zero, date truncation to a triwulan, the precision of an
exact sum and identifier quoting, each checked on DuckDB and SQLite here and on
PostgreSQL and Spark against the servers the test session starts; no statement the
engine builds divides."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
import pytest
import sqlglot
from servers import Postgres
from sqlglot import exp

from iku_rules.sources.dialects import DIALECTS, RULES, Dialect, render, rules, triwulan_start
from iku_rules.sources.sql import Builder
from iku_rules.sources.sqlite_numbers import register_sqlite_functions

Run = Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture(params=["duckdb", "sqlite", "postgres", "spark"])
def engine(request: pytest.FixtureRequest) -> tuple[Dialect, Run]:
    """One engine: its dialect and a function running a statement without values."""
    dialect: Dialect = request.param
    if dialect == "duckdb":
        connection = duckdb.connect()
        return dialect, lambda sql: connection.execute(sql).fetchall()
    if dialect == "sqlite":
        lite = sqlite3.connect(":memory:")
        register_sqlite_functions(lite)
        return dialect, lambda sql: lite.execute(sql).fetchall()
    if dialect == "postgres":
        server: Postgres = request.getfixturevalue("postgres")

        def run_pg(sql: str) -> list[tuple[Any, ...]]:
            with server.connect() as connection:
                return list(connection.execute(sql).fetchall())

        return dialect, run_pg
    spark = request.getfixturevalue("spark")
    return dialect, lambda sql: [tuple(row) for row in spark.sql(sql).collect()]


def _number(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def test_integer_division_is_what_the_table_says(engine: tuple[Dialect, Run]) -> None:
    dialect, run = engine
    # the engine's own '/' (sqlglot, left to itself, would rewrite it to agree)
    (value,) = run("SELECT 1 / 2")[0]
    expected = Decimal("0.5") if RULES[dialect].integer_division == "exact" else Decimal(0)
    assert _number(value) == expected


def test_division_by_zero_is_what_the_table_says(engine: tuple[Dialect, Run]) -> None:
    dialect, run = engine
    said = RULES[dialect].division_by_zero
    if said == "error":
        with pytest.raises(Exception, match=r"(?i)divi"):
            run("SELECT 1 / 0")
        return
    (value,) = run("SELECT 1 / 0")[0]
    assert (value is None) if said == "null" else (value == float("inf"))


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 5, 17), date(2026, 4, 1)),
        (date(2026, 9, 30), date(2026, 7, 1)),
        (date(2026, 12, 31), date(2026, 10, 1)),
    ],
)
def test_triwulan_start_is_a_date_on_every_engine(
    engine: tuple[Dialect, Run], day: date, start: date
) -> None:
    dialect, run = engine
    column_type = RULES[dialect].column_types["date"]
    value = exp.Cast(
        this=exp.Literal.string(day.isoformat()),
        to=exp.DataType.build(column_type, dialect=dialect),
    )
    (found,) = run(exp.select(triwulan_start(value, dialect)).sql(dialect))[0]
    assert str(found)[:10] == start.isoformat()
    if dialect != "sqlite":  # SQLite keeps dates as ISO text
        assert type(found) is date


BIG = Decimal("99999999999999999999.999999")  # the largest stored value: 20 digits, 6 decimals


def test_an_exact_sum_keeps_every_digit(engine: tuple[Dialect, Run]) -> None:
    dialect, run = engine
    builder = Builder(dialect)
    value = exp.Cast(this=exp.Literal.string(str(BIG)), to=builder.sql_type("decimal"))
    if dialect == "sqlite":
        value = exp.Literal.string(str(BIG))
    rows = exp.union(
        exp.select(exp.alias_(value, "v")),
        exp.select(exp.alias_(value.copy(), "v")),
        distinct=False,
    )
    statement = exp.select(builder.exact_sum(exp.column("v"))).from_(
        exp.Subquery(this=rows, alias=exp.TableAlias(this=exp.to_identifier("t")))
    )
    (total,) = run(statement.sql(dialect))[0]
    assert Decimal(total) == 2 * BIG


def test_spark_runs_in_ansi_mode_an_overflowing_sum_is_an_error(spark: Any) -> None:
    huge = "CAST('99999999999999999999999999999999.999999' AS DECIMAL(38, 6))"
    with pytest.raises(Exception, match=r"(?i)overflow|cannot be represented"):
        spark.sql(f"SELECT SUM(v) FROM (SELECT {huge} AS v UNION ALL SELECT {huge})").collect()


NAME = 'a"b`c 50% d'


@pytest.mark.parametrize("dialect", DIALECTS)
def test_identifiers_are_quoted_by_the_tables_character(dialect: Dialect) -> None:
    quote = rules(dialect).quote
    assert exp.to_identifier(NAME, quoted=True).sql(dialect).startswith(quote)
    text = render(exp.select(exp.column(NAME, quoted=True)), dialect)
    shown = NAME.replace(quote, quote * 2)
    if dialect == "postgres":
        shown = shown.replace("%", "%%")  # psycopg reads %% as %
    assert f"{quote}{shown}{quote}" in text


def test_a_quoted_name_reaches_each_engine_whole(engine: tuple[Dialect, Run]) -> None:
    dialect, run = engine
    statement = exp.select(exp.alias_(exp.Literal.number(1), NAME, quoted=True))
    sql = statement.sql(dialect)  # without bound values psycopg leaves % alone
    assert run(sql) == [(1,)]


def test_an_unknown_dialect_names_the_known() -> None:
    with pytest.raises(ValueError, match="duckdb, sqlite, postgres, spark, trino"):
        rules("mysql")  # type: ignore[arg-type]


def test_no_statement_for_the_shipped_definitions_divides() -> None:
    from test_golden_sql import statements

    found = statements("duckdb")
    assert len(found) >= 6
    for query in found:
        tree = sqlglot.parse_one(query.sql, read="duckdb")
        assert not list(tree.find_all(exp.Div)), query.sql
