"""PostgreSQL held to the embedded readers where a differential audit found it reading a
cell otherwise in silence: a float of 16 digits, a date with a two-digit year, a number
with more decimals than the data keep, and a text that differs from a filter's only in
letter case. Each is refused, naming the table, the column and the cell, as the reader
refuses it at its row and column. Each expected number is worked out by hand beside it."""

from __future__ import annotations

from datetime import date
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
COLUMNS |= {"tanggal": "date", "nilai": "decimal"}

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
  id = "jumlah-nilai"
  name = "Jumlah nilai"
  unit = "Nilai"
  formula = "Σ reg.nilai"

  [[sasaran.indikator]]
  id = "anak"
  name = "Baris kategori Anak"
  unit = "Nilai"
  formula = 'Σ reg[kategori = "Anak"]'

[[source]]
id = "reg"
kind = "register"
format = "csv"
path = "reg.csv"
date_column = "tanggal"
region_column = "kecamatan"
time = "flow"
columns = { nik = "identifier", kecamatan = "text", kategori = "text", tanggal = "date", nilai = "decimal" }
"""
)

DATABASE = "audit_postgres"
TYPES = {"tanggal": "date", "nilai": "numeric"}
"""The column types of the office's table (the rest are text)."""


def _row(**values: Any) -> dict[str, Any]:
    row = {"nik": "A1", "kecamatan": "Labuan", "kategori": "Anak", "tanggal": date(2026, 1, 5)}
    return row | {"nilai": Decimal(1)} | values


def _office(folder: Path, rows: list[dict[str, Any]]) -> Any:
    (folder / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    write_csv(folder / "reg.csv", list(COLUMNS), rows)
    return load(folder)


def _values(engine: Engine) -> dict[str, Decimal | None]:
    with engine:
        return {row["id"]: row["value"] for row in engine.evaluate("2026").rows()}


@pytest.fixture
def database(postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> tuple[Postgres, str]:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    return postgres, create_database(postgres, DATABASE)


def _table(server: Postgres, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
    from psycopg import sql

    with server.connect(DATABASE) as connection:
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


def _refused(tmp_path: Path, url: str) -> str:
    with pytest.raises(DataError) as caught:
        _values(Engine(load(tmp_path), None, connect=url))
    return str(caught.value)


def test_postgresql_refuses_a_float_of_16_digits(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """A double precision keeps 12345678901234567 as 12345678901234568 (its shortest form),
    and PostgreSQL's cast to numeric keeps 15 significant digits of it: 12345678901234600,
    a sum off by 32 in silence. The reader refuses a float of more than 15 digits."""
    server, url = database
    rows = [_row(), _row(nilai=12345678901234567.0)]
    _office(tmp_path, [_row()])
    _table(server, rows, TYPES | {"nilai": "double precision"})
    assert _refused(tmp_path, url) == (
        "table 'reg' of source 'reg', column 'nilai': 12345678901234568 is a floating point"
        " number (double precision), which keeps only 15 significant digits: read as a"
        " number it would be 12345678901234600, not the number written; keep the column as"
        " numeric, or the values as text"
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        # Two NIKs kept as one double precision: 3601234567890123 and 3601234567890124
        # are both 3601234567890124 as floats (above 2^53 every other integer is lost),
        # so COUNT(DISTINCT nik) would count one person where there are two.
        ("nik", 3601234567890123.0),
        # A code kept as a float: 2.10 is stored as 2.1, and matches the code 2.1.
        ("kategori", 2.1),
    ],
)
def test_postgresql_refuses_a_column_of_floats_declared_text(
    tmp_path: Path, database: tuple[Postgres, str], column: str, value: float
) -> None:
    """A column the source declares an identifier or text, kept by the database as
    floats, has lost digits or zeros before anything reads it: it is refused whole, with
    the table, the column and the fix, before a number is counted from it."""
    server, url = database
    _office(tmp_path, [_row()])
    _table(server, [_row(**{column: value})], TYPES | {column: "double precision"})
    kind = COLUMNS[column]
    assert _refused(tmp_path, url) == (
        f"table 'reg' of source 'reg', column '{column}' holds floating point numbers"
        f" (double precision), but the source declares it '{kind}': a float keeps only 15"
        " digits of an identifier (two NIKs become one) and drops the zeros at the end of a"
        " code (2.1 and 2.10 become one); keep the column as text in the database"
    )


def test_postgresql_reads_an_undeclared_column_of_floats(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """A float column the source does not declare is never read, so it is no reason to
    refuse the table: the sum of nilai is read as ever (1 + 2 = 3)."""
    server, url = database
    _office(tmp_path, [_row()])
    from psycopg import sql

    _table(server, [_row(), _row(nilai=Decimal(2))], TYPES)
    with server.connect(DATABASE) as connection:
        connection.execute(sql.SQL("ALTER TABLE reg ADD COLUMN bobot double precision"))
    assert _values(Engine(load(tmp_path), None, connect=url))["jumlah-nilai"] == Decimal(3)


def test_postgresql_reads_a_float_of_15_digits(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """What a double precision holds in 15 digits is read as the reader reads it: 0.1 + 0.2
    is 0.3 to 6 decimals, and 123456789012345 (15 digits) stays whole."""
    server, url = database
    rows = [_row(nilai=0.1), _row(nilai=0.2), _row(nilai=123456789012345.0)]
    _office(tmp_path, [_row()])
    _table(server, rows, TYPES | {"nilai": "double precision"})
    values = _values(Engine(load(tmp_path), None, connect=url))
    # 0.1 + 0.2 + 123456789012345 = 123456789012345.3
    assert values["jumlah-nilai"] == Decimal("123456789012345.3")


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("05/01/26", "'05/01/26' is not a date (write it as DD/MM/YYYY, day first)"),
        ("Jan 5 2026", "'Jan 5 2026' is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)"),
        (
            "05/01/2569",  # the Buddhist year of 2026
            "'05/01/2569' is a date in the year 2569, outside 1900–2200: a year typed short"
            " (0026 for 2026) or in another calendar (2569 in the Buddhist one); write the"
            " year in full, in the Gregorian calendar",
        ),
    ],
)
def test_postgresql_refuses_a_text_date_the_reader_refuses(
    tmp_path: Path, database: tuple[Postgres, str], cell: str, said: str
) -> None:
    """With DateStyle DMY, PostgreSQL cast the text 05/01/26 to 2026-01-05 and Jan 5 2026
    to 2026-01-05, and kept 2569 as a year; the reader refuses each (YYYY-MM-DD or
    DD/MM/YYYY, years 1900 to 2200)."""
    server, url = database
    rows = [_row(tanggal="2026-01-05"), _row(tanggal=cell)]
    _office(tmp_path, rows)
    with pytest.raises(DataError) as embedded:
        _values(Engine(load(tmp_path), tmp_path))
    assert said in str(embedded.value)  # the reader's own words, at row 3
    _table(server, rows, TYPES | {"tanggal": "text"})
    assert _refused(tmp_path, url) == f"table 'reg' of source 'reg', column 'tanggal': {said}"


def test_postgresql_reads_the_text_dates_the_reader_reads(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """2026-01-05, 5/1/2026 (day first) and 2026-03-31 10:30 are all in 2026: 3 rows."""
    server, url = database
    cells = ["2026-01-05", " 5/1/2026", "2026-03-31 10:30"]
    rows = [_row(tanggal=cell) for cell in cells]
    _office(tmp_path, rows)
    _table(server, rows, TYPES | {"tanggal": "text"})
    # 1 + 1 + 1 = 3 on both
    assert _values(Engine(load(tmp_path), tmp_path))["jumlah-nilai"] == Decimal(3)
    assert _values(Engine(load(tmp_path), None, connect=url))["jumlah-nilai"] == Decimal(3)


def test_postgresql_names_a_text_date_with_a_dot_in_its_time(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """2026-03-31 23.30 is 31 March 2026 to the reader (1 row in 2026); PostgreSQL's cast
    of the text to a date cannot read the dot between the hours and the minutes, and
    stopped the query with its own words, naming neither table nor column ("reg.csv:
    PostgreSQL could not run a query: invalid input syntax for type date: …")."""
    server, url = database
    rows = [_row(tanggal="2026-03-31 23.30")]
    _office(tmp_path, rows)
    assert _values(Engine(load(tmp_path), tmp_path))["jumlah-nilai"] == Decimal(1)
    _table(server, rows, TYPES | {"tanggal": "text"})
    assert _refused(tmp_path, url) == (
        "table 'reg' of source 'reg', column 'tanggal': '2026-03-31 23.30' is the date"
        " 31 March 2026, which PostgreSQL cannot read kept as text written so; write the dates"
        " of the column as YYYY-MM-DD (2026-03-31), or keep the column as a date"
    )


def test_postgresql_refuses_a_number_its_6_decimals_do_not_hold(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """0.0000025 kept to 6 decimals is 0.000003 (half away from zero), a fifth more than
    itself (0.0000005 / 0.0000025 = 0.2, above a hundred-thousandth): the reader refuses
    it; PostgreSQL's NUMERIC(38, 6) made it 0.000003 in silence."""
    server, url = database
    rows = [_row(), _row(nilai=Decimal("0.0000025"))]
    _office(tmp_path, rows)
    with pytest.raises(DataError) as embedded:
        _values(Engine(load(tmp_path), tmp_path))
    assert str(embedded.value).startswith(
        "reg.csv, row 3, column 'nilai': '0.0000025' has more decimals than the 6 the data"
        " keep, and kept to 6 it would be 0,000003; "
    )
    _table(server, rows, TYPES)
    assert _refused(tmp_path, url) == (
        "table 'reg' of source 'reg', column 'nilai': '0.0000025' has more decimals than the"
        " 6 the data keep, and kept to 6 it would be 0,000003; write it on a larger scale"
        " (a percentage, per 1.000, per 100.000), or round it in the table"
    )


def test_postgresql_reads_decimals_the_6_hold_closely_enough(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """33.3333333333333 kept to 6 decimals is 33.333333, 3.3e-8 off, well within a
    hundred-thousandth of itself (0.00033): read as 33.333333 on both."""
    server, url = database
    rows = [_row(nilai=Decimal("33.3333333333333"))]
    _office(tmp_path, rows)
    _table(server, rows, TYPES)
    assert _values(Engine(load(tmp_path), tmp_path))["jumlah-nilai"] == Decimal("33.333333")
    values = _values(Engine(load(tmp_path), None, connect=url))
    assert values["jumlah-nilai"] == Decimal("33.333333")


def test_postgresql_names_the_table_of_a_text_apart_from_the_filter_only_in_case(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    """ANAK where the filter writes "Anak" is refused on every backend; on PostgreSQL the
    message named a data file reg.csv missing from the current folder, not the table."""
    server, url = database
    rows = [_row(), _row(kategori="ANAK")]
    _office(tmp_path, rows)
    said = (
        "the column 'kategori' holds 'ANAK', written otherwise than \"Anak\" in the filter"
        " of measure 'Σ reg[kategori = \"Anak\"]' only in letter case or spacing"
    )
    with pytest.raises(DataError) as embedded:
        _values(Engine(load(tmp_path), tmp_path))
    assert said in str(embedded.value)
    assert "reg.csv, row 3, column 'kategori'" in str(embedded.value)
    _table(server, rows, TYPES)
    message = _refused(tmp_path, url)
    assert message.startswith("table 'reg' of source 'reg', column 'kategori': ")
    assert said in message
    assert "is not in" not in message


def test_postgresql_a_query_failing_after_loading_names_the_table(
    tmp_path: Path, database: tuple[Postgres, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table reg is checked and loaded; another program then renames it, and the
    query of Σ reg.nilai fails. The message was put on "reg.csv", the source's path,
    which PostgreSQL does not read (the planner looked for a file); it names the table."""
    from iku_rules.sources.postgres import PostgresBackend

    server, url = database
    rows = [_row()]
    _office(tmp_path, rows)
    _table(server, rows, TYPES)
    loaded = PostgresBackend.load

    def load_then_rename(backend: PostgresBackend, source: Any) -> None:
        loaded(backend, source)
        with server.connect(DATABASE) as connection:
            connection.execute("ALTER TABLE reg RENAME TO reg_lama")

    monkeypatch.setattr(PostgresBackend, "load", load_then_rename)
    said = _refused(tmp_path, url)
    assert said.startswith("table 'reg' of source 'reg': PostgreSQL could not run a query: ")
    assert "reg.csv" not in said
