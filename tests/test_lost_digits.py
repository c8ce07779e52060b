"""A column of NIKs Excel held as numbers: each kept to 15 digits and its 16th written 0
(3601012345670123 became 3601012345670120). Each cell is 16 digits not ending in 0000, so
each passed; two people (…0121 and …0123) became one, and the count of people was too low
in silence. A column whose NIKs all end in 0, 20 different ones or more, is refused by every
reader (one in ten real NIKs ends in 0: all of 20 do once in 10^20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, read_in_place
from servers import Postgres
from test_audit_identifiers import count
from test_audit_postgres import DATABASE, database

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget

__all__ = ["database"]  # the fixture of a PostgreSQL database, shared


def rounded(people: int) -> list[tuple[str, str]]:
    """``people`` rows of NIKs whose serials 0121, 0131, … (one in each ten) Excel kept as
    0120, 0130, …; the first two people, 3601012345670121 and …0123, both …0120."""
    rows = [("3601012345670120", "Ani"), ("3601012345670120", "Budi")]
    rows += [(f"360101234567{120 + 10 * index:04d}", f"P{index}") for index in range(1, people - 1)]
    return rows


def said(place: str, count: int, what: str = "NIKs") -> str:
    return (
        f"{place}: all {count} different {what} in the column end in 0, where one in ten does:"
        " Excel held them as numbers, which keep 15 digits, and wrote 0 for the 16th"
        " (3601012345670121 and 3601012345670123 both became 3601012345670120), so"
        f" different {what} became one;"
        " format the column as Text in Excel before typing or pasting them, or export them"
        " again from the source system"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_column_of_niks_all_ending_in_0_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 21 people, 21 rows; Ani and Budi both …0120: 20 different NIKs, counted 20 where there
    # are 21. Every one of the 20 different NIKs ends in 0: refused, naming the file and the
    # column and saying 20 (the different ones, as the rule counts), not the 21 rows.
    read_in_place(monkeypatch, in_place)
    assert count(tmp_path, rounded(21), backend=backend) == said("penerima.csv, column 'id'", 20)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_refusal_says_how_many_different_niks_not_rows(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 30 people (…0120 twice: 29 different NIKs), 6 of them served a second time (the
    # visit's note apart): 36 rows, 29 different NIKs, all ending in 0. The message said
    # "all 36 NIKs" (the rows); the reader, which stopped keeping them at 20, could not
    # say 29.
    read_in_place(monkeypatch, in_place)
    rows = rounded(30) + [(nik, "again") for nik, _name in rounded(30)[:6]]
    assert count(tmp_path, rows, backend=backend) == said("penerima.csv, column 'id'", 29)


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize("format", ["xlsx", "duckdb"])
def test_a_workbook_or_duckdb_table_of_niks_all_ending_in_0_is_refused(
    tmp_path: Path, backend: str, format: str
) -> None:
    # the same 21 rows, pasted into a column formatted as Text, or kept in a DuckDB table
    place = "penerima.xlsx, sheet 'Data'" if format == "xlsx" else "penerima.duckdb, table 'Data'"
    said_here = count(tmp_path, rounded(21), backend=backend, format=format)
    assert said_here == said(f"{place}, column 'id'", 20)  # 21 rows, 20 different NIKs


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_column_of_no_kk_all_ending_in_0_is_refused(tmp_path: Path, backend: str) -> None:
    # 21 households, two of them one: 20 different No KKs, all ending in 0
    assert count(tmp_path, rounded(21), kind="no_kk", backend=backend) == said(
        "penerima.csv, column 'id'", 20, "No KKs"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("rows", "people"),
    [
        # 19 NIKs ending in 0 (…0130 to …0310) and one ending in 3: 20 different people
        ([(f"360101234567{130 + 10 * index:04d}", "P") for index in range(19)]
         + [("3601012345670123", "Q")], 20),
        # 19 different NIKs, all ending in 0 (…0130 to …0310): too few to tell, 19 people
        ([(f"360101234567{130 + 10 * index:04d}", "P") for index in range(19)], 19),
        # one person served 25 times, …0120 (a NIK may end in 0): 1 person
        ([("3601012345670120", "Ani")] * 25, 1),
    ],
    ids=["one-not-0", "nineteen", "one-person-25-times"],
)  # fmt: skip
def test_niks_ending_in_0_that_may_be_real_are_counted(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    rows: list[tuple[str, str]],
    people: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    assert count(tmp_path, rows, backend=backend) == str(people)


def _office(folder: Path, rows: list[tuple[str, str]]) -> None:
    count(folder, rows[:1])  # the definitions and a CSV file beside them


def _evaluate(folder: Path, **engine: Any) -> str:
    with use_language("en"):
        try:
            with Engine(load(folder), None, **engine) as running:
                return str(running.evaluate("2026").get("jumlah-penerima").value)
        except DataError as error:
            return str(error)


def test_postgresql_refuses_a_column_of_niks_all_ending_in_0(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    server, url = database
    _office(tmp_path, rounded(21))
    with server.connect(DATABASE) as connection:
        connection.execute('CREATE TABLE "Data" (id text, nama text)')
        with connection.cursor() as cursor:
            cursor.executemany('INSERT INTO "Data" VALUES (%s, %s)', rounded(21))
        connection.commit()
    assert _evaluate(tmp_path, connect=url) == said(  # 21 rows, 20 different NIKs
        "table 'Data' of source 'bantuan', column 'id'", 20
    )
    with server.connect(DATABASE) as connection:  # 4 rows more, of people already there
        with connection.cursor() as cursor:
            cursor.executemany('INSERT INTO "Data" VALUES (%s, %s)', rounded(21)[:4])
        connection.commit()
    assert _evaluate(tmp_path, connect=url) == said(  # 25 rows, 20 different NIKs
        "table 'Data' of source 'bantuan', column 'id'", 20
    )
    with server.connect(DATABASE) as connection:  # one NIK of the 21 ends in 3: 21 people
        connection.execute("UPDATE \"Data\" SET id = '3601012345670123' WHERE nama = 'Budi'")
        connection.commit()
    assert _evaluate(tmp_path, connect=url) == "21"


def test_spark_refuses_a_column_of_niks_all_ending_in_0(spark: Any, tmp_path: Path) -> None:
    _office(tmp_path, rounded(21))
    spark.createDataFrame(rounded(21), "id string, nama string").createOrReplaceTempView("Data")
    try:
        refused = _evaluate(tmp_path, connect=SparkTarget(session=spark, catalog=True))
        # 25 rows of one person, …0120: 1 person
        spark.catalog.dropTempView("Data")
        one = spark.createDataFrame([("3601012345670120", "Ani")] * 25, "id string, nama string")
        one.createOrReplaceTempView("Data")
        counted = _evaluate(tmp_path, connect=SparkTarget(session=spark, catalog=True))
    finally:
        spark.catalog.dropTempView("Data")
    assert refused == said("table 'Data' of source 'bantuan', column 'id'", 20)  # 21 rows
    assert counted == "1"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        (
            "3601012345670002.0",
            "'3601012345670002.0' is a NIK written as a number, with '.0' after it, as a CSV"
            " export of a number column writes it; a number keeps only 15 digits, so the last"
            " of the 16 may be lost too: export the column as text (format it as Text in"
            " Excel) rather than deleting '.0'",
        ),
        (
            "3601\u200b012345670002",
            "'3601\u200b012345670002' is not a NIK: after its first 4 digits it holds the"
            " invisible character ZERO WIDTH SPACE (U+200B), where a NIK is 16 digits and"
            " nothing else; delete it (a character pasted from a web page or a chat may not"
            " show)",
        ),
        (
            "3601 0123 4567 0002",
            "'3601 0123 4567 0002' is not a NIK: after its first 4 digits it holds a space,"
            " where a NIK is 16 digits and nothing else; delete it (a character pasted from a"
            " web page or a chat may not show)",
        ),
    ],
    ids=["point-0", "zero-width-space", "spaces"],
)
def test_a_nik_with_something_in_the_way_says_what(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    cell: str,
    problem: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Budi's NIK …0002 with '.0' after it, a zero-width space or spaces inside: refused at
    # his row (3), naming what is in the way, where it was "is not a NIK: a NIK is 16 digits"
    read_in_place(monkeypatch, in_place)
    rows = [("3601012345670001", "Ani"), (cell, "Budi")]
    assert count(tmp_path, rows, backend=backend) == f"penerima.csv, row 3, column 'id': {problem}"
