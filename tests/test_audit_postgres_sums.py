"""Rows of sums kept in an office's PostgreSQL table: a staff table ending with a row of
totals (``JUMLAH``), a DPA table whose program and kegiatan rows carry the sums of their sub
kegiatan. PostgreSQL is read in SQL, without the reader that refuses such rows in a file,
and summed them with the records in silence (honor 22 for 11, realisasi 720.000.000 for
240.000.000). They are refused as in a file, naming the table and the row; tables without
such rows are read as ever. Numbers kept as text in such a table are read in the office's
notation, or refused naming the table and column (the cast read ``23.500`` as 23.5 where
notation ``id`` reads 23500). Each expected number is worked out by hand beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE
from servers import PASSWORD, Postgres
from test_backends_servers import create_database

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError

DATABASE = "audit_postgres_sums"

OFFICE = (
    """
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
units = ["Rupiah", "Orang"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "jumlah"
  name = "Jumlah nilai"
  unit = "Rupiah"
  formula = "{formula}"

  [[sasaran.indikator]]
  id = "baris"
  name = "Jumlah baris"
  unit = "Orang"
  formula = "Σ reg"

[[source]]
id = "reg"
kind = "register"
format = "csv"
path = "reg.csv"
table = "{table}"
columns = {{ {columns} }}
"""
)

STAFF = {"no": "integer", "nama": "text", "honor": "decimal"}
DPA = {"kode": "text", "uraian": "text", "pagu": "decimal", "realisasi": "decimal"}


@pytest.fixture
def database(postgres: Postgres, monkeypatch: pytest.MonkeyPatch) -> tuple[Postgres, str]:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    return postgres, create_database(postgres, DATABASE)


def _table(
    server: Postgres, name: str, columns: dict[str, str], rows: list[tuple[Any, ...]]
) -> None:
    """The office's table ``name``: text columns as text, numbers as numeric."""
    from psycopg import sql

    types = {"text": "text", "integer": "numeric", "decimal": "numeric"}
    with server.connect(DATABASE) as connection:
        connection.execute(
            sql.SQL("CREATE TABLE {} ({})").format(
                sql.Identifier(name),
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(types[kind]))
                    for column, kind in columns.items()
                ),
            )
        )
        insert = sql.SQL("INSERT INTO {} VALUES ({})").format(
            sql.Identifier(name), sql.SQL(", ").join(sql.Placeholder() * len(columns))
        )
        with connection.cursor() as cursor:
            cursor.executemany(insert, rows)


def _evaluate(
    folder: Path, url: str, table: str, columns: dict[str, str], column: str
) -> tuple[str, str] | str:
    """The sum of ``column`` and the rows counted in 2026, or the refusal in English."""
    declared = ", ".join(f'{name} = "{kind}"' for name, kind in columns.items())
    (folder / "definitions.toml").write_text(
        OFFICE.format(
            formula=f"Σ reg.{column}" if column else "Σ reg", table=table, columns=declared
        ),
        encoding="utf-8",
    )
    with use_language("en"):
        try:
            with Engine(load(folder), None, connect=url) as engine:
                evaluation = engine.evaluate("2026")
        except DataError as error:
            return str(error)
    return str(evaluation.get("jumlah").value), str(evaluation.get("baris").value)


def test_a_row_of_totals_in_a_staff_table_is_refused(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # Ani 5 + Budi 6 = 11, in 2 rows. Counted with the row JUMLAH 11: honor 22, 3 pegawai.
    server, url = database
    rows = [(1, "Ani", 5), (2, "Budi", 6), (None, "JUMLAH", 11)]
    _table(server, "pegawai", STAFF, rows)
    assert _evaluate(tmp_path, url, "pegawai", STAFF, "honor") == (
        "table 'pegawai' of source 'reg', row 3: the row is titled 'JUMLAH' (column 'nama')"
        " and its numbers (honor 11) are the sums of the 2 rows above it: it is a row of"
        " totals, not a row of the register, and its numbers would count twice; delete the"
        " row of totals (the engine sums the register itself)"
    )


def test_a_program_row_over_its_sub_kegiatan_is_refused(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # The sub kegiatan spent 180.000.000 + 60.000.000 = 240.000.000 of 300.000.000 in 2
    # rows; the program row and the kegiatan row repeat those sums: 720.000.000 and 4 rows.
    server, url = database
    rows = [
        ("1.06.02", "Program Rehabilitasi Sosial", 300000000, 240000000),
        ("1.06.02.2.01", "Rehabilitasi Sosial Dasar", 300000000, 240000000),
        ("1.06.02.2.01.0001", "Penyediaan Permakanan", 200000000, 180000000),
        ("1.06.02.2.01.0002", "Penyediaan Sandang", 100000000, 60000000),
    ]
    _table(server, "DPA", DPA, rows)
    assert _evaluate(tmp_path, url, "DPA", DPA, "realisasi") == (
        "table 'DPA' of source 'reg', row 1: the row is coded '1.06.02' (column 'kode') and"
        " its numbers (pagu 300000000, realisasi 240000000) are the sums of the rows coded"
        " under it with no rows under them (rows 3 and 4): it is the row of a program or"
        " kegiatan over its sub kegiatan, not a row of its own, and its numbers would count"
        " twice; delete the rows of the programs and kegiatan and keep the sub kegiatan rows"
        " (or export the sheet at the sub kegiatan level only)"
    )


def test_tables_without_rows_of_sums_are_read(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # A row merely named Jumlah whose honor (4) is not 5 + 6 = 11 is a record:
    # 5 + 6 + 4 = 15, in 3 rows.
    server, url = database
    rows = [(1, "Ani", 5), (2, "Budi", 6), (3, "Jumlah", 4)]
    _table(server, "pegawai", STAFF, rows)
    assert _evaluate(tmp_path, url, "pegawai", STAFF, "honor") == ("15", "3")


def test_a_row_of_totals_at_the_top_is_refused(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # JUMLAH 11 above Ani 5 and Budi 6 (5 + 6 = 11): honor 22 for 11 when counted. The
    # title ends with a no-break space before its colon, as a copy from a web page has it.
    server, url = database
    rows = [(None, "Jumlah\u00a0:", 11), (1, "Ani", 5), (2, "Budi", 6)]
    _table(server, "pegawai", STAFF, rows)
    said = _evaluate(tmp_path, url, "pegawai", STAFF, "honor")
    assert said == (
        "table 'pegawai' of source 'reg', row 1: the row is titled 'Jumlah\u00a0:' (column 'nama')"
        " and its numbers (honor 11) are the sums of the 2 rows below it: it is a row of"
        " totals, not a row of the register, and its numbers would count twice; delete the"
        " row of totals (the engine sums the register itself)"
    )


def test_a_row_of_totals_in_a_list_of_people_is_refused(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # Ani and Budi of Cikole: 2 people; the row JUMLAH (its desa empty) counted a third.
    server, url = database
    people = {"nama": "text", "desa": "text"}
    _table(server, "warga", people, [("Ani", "Cikole"), ("Budi", "Cikole"), ("JUMLAH", None)])
    said = _evaluate(tmp_path, url, "warga", people, "")
    assert said == (
        "table 'warga' of source 'reg', row 3: the row is titled 'JUMLAH' (column 'nama') and"
        " holds nothing of a record (its other cells are empty, the number of rows above it,"
        " 2, or the cells above them): it is a row of totals, not a row of the register, and"
        " it would be counted as one; delete the row of totals (the engine counts the"
        " register itself)"
    )


def test_codes_of_one_depth_and_names_are_read(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # Sub kegiatan rows only (one depth), one named "Total Pelayanan" whose realisasi
    # (5.000.000) is not 180.000.000: 180.000.000 + 60.000.000 + 5.000.000 = 245.000.000,
    # in 3 rows.
    server, url = database
    rows = [
        ("1.06.02.2.01.0001", "Penyediaan Permakanan", 200000000, 180000000),
        ("1.06.02.2.01.0002", "Penyediaan Sandang", 100000000, 60000000),
        ("1.06.02.2.01.0003", "Total Pelayanan", 10000000, 5000000),
    ]
    _table(server, "DPA", DPA, rows)
    assert _evaluate(tmp_path, url, "DPA", DPA, "realisasi") == ("245000000", "3")


def _text_table(server: Postgres, columns: dict[str, str], rows: list[tuple[Any, ...]]) -> None:
    """The office's table ``pegawai`` with every column kept as text, numbers too."""
    _table(server, "pegawai", dict.fromkeys(columns, "text"), rows)


def test_numbers_kept_as_text_are_read_in_the_office_notation(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # Notation "id": 23.500 is 23500 and 1.000 is 1000, 24500 in all; PostgreSQL's cast
    # read them as 23.5 and 1.0 and gave 24.5 in silence. The first of the cells refused
    # (in the order of their characters) is named.
    server, url = database
    _text_table(server, STAFF, [("1", "Ani", "23.500"), ("2", "Budi", "1.000")])
    assert _evaluate(tmp_path, url, "pegawai", STAFF, "honor") == (
        "table 'pegawai' of source 'reg', column 'honor': '1.000' is a number kept as text,"
        ' which notation "id" reads as 1000, but PostgreSQL reads numbers kept as text only'
        " when written with a dot before the decimals and nothing between the thousands;"
        " keep the column as numeric in the database, or write the number there as 1000"
    )


def test_a_dash_kept_as_text_in_a_number_column_is_refused_plainly(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # A dash for nil: the cast stopped the evaluation with PostgreSQL's own words and no
    # column; the reader's message names the table and column.
    server, url = database
    _text_table(server, STAFF, [("1", "Ani", "5"), ("2", "Budi", "-")])
    said = _evaluate(tmp_path, url, "pegawai", STAFF, "honor")
    assert isinstance(said, str)
    assert said.startswith("table 'pegawai' of source 'reg', column 'honor': '-' is a dash"), said


def test_plain_numbers_kept_as_text_are_read(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # 12.5 reads alike in every notation: 12.5 + 7 = 19.5, in 2 rows.
    server, url = database
    _text_table(server, STAFF, [("1", "Ani", "12.5"), ("2", "Budi", " 7 ")])
    assert _evaluate(tmp_path, url, "pegawai", STAFF, "honor") == ("19.5", "2")
