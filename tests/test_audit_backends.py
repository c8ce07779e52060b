"""Backends held to one another where a differential audit found them apart: every value
the same on DuckDB, SQLite, Python and PostgreSQL, or a refusal, never a number that only
one engine gives. Each expected number is counted by hand in the comment beside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE
from servers import PASSWORD, Postgres
from test_backends_servers import create_database

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_file import write_csv

COLUMNS = {"nik": "identifier", "kecamatan": "text", "kategori": "text"}
COLUMNS |= {"tanggal": "date", "umur": "integer", "nilai": "decimal"}

DEFINITIONS = (
    """
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "en"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "lansia-dilayani"
  name = "Lansia dilayani"
  unit = "Nilai"
  formula = "Lansia 60"

  [[sasaran.indikator]]
  id = "kategori-awal"
  name = "Baris dengan kategori sebelum c"
  unit = "Nilai"
  formula = 'Σ reg[kategori < "c"]'

  [[sasaran.indikator]]
  id = "jumlah-umur"
  name = "Jumlah umur"
  unit = "Nilai"
  formula = "Σ reg.umur + Σ reg.nilai"

  [[sasaran.indikator]]
  id = "kategori-lansia"
  name = "Kategori lansia"
  unit = "Nilai"
  formula = "Kategori 60"

[[source]]
id = "reg"
kind = "register"
format = "csv"
path = "reg.csv"
date_column = "tanggal"
region_column = "kecamatan"
time = "flow"
columns = { nik = "identifier", kecamatan = "text", kategori = "text", tanggal = "date", umur = "integer", nilai = "decimal" }

[[measure]]
name = "Lansia 60"
source = "reg"
aggregate = "count_distinct"
column = "nik"
filter = "umur >= 60"

[[measure]]
name = "Kategori 60"
source = "reg"
aggregate = "count_distinct"
column = "kategori"
filter = "umur >= 60"
"""
)


def _row(**values: Any) -> dict[str, Any]:
    row = {"nik": "A1", "kecamatan": "Labuan", "kategori": "a", "tanggal": date(2026, 1, 5)}
    return row | {"umur": 70, "nilai": Decimal(1)} | values


def _office(folder: Path, rows: list[dict[str, Any]]) -> Any:
    (folder / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    write_csv(folder / "reg.csv", list(COLUMNS), rows)
    return load(folder)


def _values(engine: Engine) -> dict[str, Decimal | None]:
    with engine:
        return {row["id"]: row["value"] for row in engine.evaluate("2026").rows()}


def test_sqlite_counts_distinct_identifiers_as_written_under_a_number_filter(
    tmp_path: Path,
) -> None:
    """SQLite compared numbers through a COLLATE, which SQLite gives the whole CASE of the
    filter, so COUNT(DISTINCT …) compared the identifiers as numbers: 7, 7.00 and 7.0 made
    one person (1), and an identifier not a number stopped the query. (7 beside 007 is
    refused before any count: the two differ only in the zeros Excel drops.)"""
    rows = [
        _row(nik="7", umur=70),
        _row(nik="7.00", umur=65),
        _row(nik="7.0", umur=61),
        _row(nik="A2", umur=60),
        _row(nik="B3", umur=59),  # under 60: not counted
    ]
    definitions = _office(tmp_path, rows)
    # 7, 7.00, 7.0 and A2 are four identifiers of people of 60 or more: 4 (a second
    # distinct count over the source, of kategori, puts both in one level of SQL)
    for backend in ("sqlite", "duckdb", "python"):
        values = _values(Engine(definitions, tmp_path, backend=backend))
        assert values["lansia-dilayani"] == Decimal(4), backend
        assert values["kategori-lansia"] == Decimal(1), backend  # every row's is "a"


@pytest.fixture
def database(postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> tuple[Postgres, str]:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    return postgres, create_database(postgres, "audit_backends")


def _table(server: Postgres, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
    from psycopg import sql

    with server.connect("audit_backends") as connection:
        columns = [sql.Identifier(name) for name in COLUMNS]
        connection.execute(
            sql.SQL("CREATE TABLE reg ({})").format(
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(column, sql.SQL(types.get(name, "text")))
                    for column, name in zip(columns, COLUMNS, strict=True)
                )
            )
        )
        insert = sql.SQL("INSERT INTO reg ({}) VALUES ({})").format(
            sql.SQL(", ").join(columns), sql.SQL(", ").join(sql.Placeholder() * len(columns))
        )
        with connection.cursor() as cursor:
            cursor.executemany(insert, [[row[name] for name in COLUMNS] for row in rows])


TYPES = {"tanggal": "date", "umur": "numeric", "nilai": "numeric"}


def test_postgresql_orders_texts_by_code_point_whatever_the_collation(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """An office's column in a locale's collation (en-US puts "E" after "c") made
    ``kategori < "c"`` count otherwise than every other engine."""
    server, url = database
    # (not "d" beside "D": a measure counts the distinct kategori, and two spellings of one
    # value are refused before anything is counted)
    rows = [_row(kategori=text) for text in ("a", "B", "d", "E")]
    definitions = _office(tmp_path, rows)
    _table(server, rows, TYPES | {"kategori": 'text COLLATE "en-US-x-icu"'})
    # by code point a, B and E come before c, d after it: 3 rows (en-US: a and B, 2)
    assert _values(Engine(definitions, tmp_path))["kategori-awal"] == Decimal(3)
    assert _values(Engine(definitions, None, connect=url))["kategori-awal"] == Decimal(3)


@pytest.mark.parametrize(
    ("column", "kind", "cell", "said"),
    [
        ("umur", "numeric", Decimal("2.5"), "'2.5' is not a whole number"),  # not 3
        ("umur", "text", "2.5", "'2.5' is not a whole number"),
        ("nilai", "numeric", Decimal("NaN"), "'NaN' is not a number of at most 20 digits"),
        ("nilai", "numeric", Decimal(10**20), "is not a number of at most 20 digits"),
        (
            "tanggal",
            "timestamptz",
            datetime(2026, 1, 1, 3, tzinfo=timezone(timedelta(hours=7))),  # 2025 in UTC
            "holds times with a time zone",
        ),
    ],
)
def test_postgresql_refuses_cells_its_cast_would_change(
    tmp_path: Path, database: tuple[Postgres, str], column: str, kind: str, cell: Any, said: str
) -> None:
    """A cell every embedded engine refuses (the reader's rules) was cast by PostgreSQL in
    silence: 2.5 in an integer column counted as 3, NaN summed to NaN, a time with a zone
    dated by the session's zone. PostgreSQL now refuses each, naming table and column."""
    server, _url = database
    rows = [_row(), _row(**{column: cell})]
    definitions = _office(tmp_path, [_row()])
    _table(server, rows, TYPES | {column: kind})
    with pytest.raises(DataError) as caught:
        _values(Engine(definitions, None, connect=_url))
    assert said in str(caught.value)
    assert f"column '{column}'" in str(caught.value)
