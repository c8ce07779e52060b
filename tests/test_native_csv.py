"""DuckDB reads a CSV itself (into a table, or in place through a view) only when it gives
what the reader gives; otherwise it leaves the file to the reader (and its errors with file,
row and column). Every case runs both ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from attrs import evolve

from iku_rules.loader import load
from iku_rules.model import Source
from iku_rules.sources.cells import DataError
from iku_rules.sources.native_csv import native_csv_open, validated_relation
from iku_rules.sources.reader import read_rows
from iku_rules.sources.sql import internal_table

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {s.id: s for s in load(ROOT / "definitions" / "dinsos-pandeglang").sources}
SOURCE = evolve(
    SOURCES["realisasi"],
    columns={"kode": "text", "jumlah": "integer", "nilai": "decimal", "tanggal": "date"},
    path="t.csv",
)


@pytest.fixture(params=[True, False], ids=["view", "table"], autouse=True)
def in_place(request: pytest.FixtureRequest) -> bool:
    IN_PLACE[0] = request.param
    return bool(request.param)


IN_PLACE = [True]
"""How :func:`native` reads the file: in place (a view) or into a table (the fixture sets it)."""


def native(tmp_path: Path, text: str, source: Source = SOURCE) -> list[dict[str, object]] | None:
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    connection = duckdb.connect()
    if native_csv_open(connection, source, tmp_path / "t.csv", in_place=IN_PLACE[0]) is None:
        assert not connection.execute("SELECT * FROM duckdb_tables()").fetchall()
        assert not connection.execute("SELECT * FROM duckdb_views() WHERE NOT internal").fetchall()
        return None
    names = ", ".join(f'"{column}"' for column in source.columns)
    cursor = connection.execute(f'SELECT {names} FROM "{internal_table(source)}"')
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_what_sql_accepts_it_reads_as_the_reader_does(tmp_path: Path) -> None:
    text = (
        "Kode,JUMLAH , nilai,tanggal,extra\n"
        'a b ,+7,"12,5",5/1/2026,x\n'
        "\u00a0\u2003,007, -0.25 ,2026-1-31,\n"
        "c,,1.000001,,y\n"
        ",,,,z\n"
    )
    rows = native(tmp_path, text)
    expected = read_rows(SOURCE, tmp_path)
    assert rows is not None and len(rows) == len(expected) == 4
    for got, want in zip(rows, expected, strict=True):
        assert got == {key: want[key] for key in got}


@pytest.mark.parametrize(
    ("text", "native_reads_it"),
    [
        # Empty lines (DuckDB skips them, as the reader does), no row leaving a column empty
        ("kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\n\n\nb,2,2,2026-01-02\n", True),
        ("kode,jumlah,nilai,tanggal\r\na,1,1,2026-01-01\r\n\r\nb,2,2,2026-01-02\r\n", True),
        # A row of empty cells: left to the reader
        ("kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\n,,,\n , ,,\nb,2,2,2026-01-02\n", False),
        # An empty line and a row leaving a column empty: the reader judges it (a row)
        ("kode,jumlah,nilai,tanggal\na,1,1,\n\nb,2,2,2026-01-02\nc,,3,\n", False),
    ],
)
def test_empty_rows_are_skipped_on_every_path(
    tmp_path: Path, text: str, native_reads_it: bool
) -> None:
    rows = native(tmp_path, text)
    expected = read_rows(SOURCE, tmp_path)
    assert [row["kode"] for row in expected] == ["a", "b", "c"][: len(expected)]
    if native_reads_it:
        assert rows == [{key: row[key] for key in rows[0]} for row in expected]  # type: ignore[index]
    else:
        assert rows is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # A signature below the table, after an empty row: not a row of the table.
        (
            "kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\n\nKepala Dinas,,,\n",
            "t.csv, row 4: the row comes after the empty row 3 and leaves empty 'jumlah',"
            " 'nilai', 'tanggal', which every row above fills",
        ),
        (
            "kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\n,,,\nKepala Dinas,,,\n",
            "t.csv, row 4: the row comes after the empty row 3",
        ),
        # A second table below the first.
        (
            "kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\nKode,Jumlah,Nilai,Tanggal\n",
            "t.csv, row 3: the row repeats the names of the columns",
        ),
        (
            "kode,jumlah,nilai,tanggal\na,1,1,2026-01-01\n\nKode,Jumlah,Nilai,Tanggal\n",
            "t.csv, row 4: the row repeats the names of the columns",
        ),
    ],
)
def test_what_cannot_be_a_row_of_the_table_is_refused_on_every_path(
    tmp_path: Path, text: str, problem: str
) -> None:
    assert native(tmp_path, text) is None
    with pytest.raises(DataError) as excinfo:
        read_rows(SOURCE, tmp_path)
    assert str(excinfo.value).startswith(problem)


@pytest.mark.parametrize(
    "line",
    [
        'a,1,"1,500",2026-01-01',  # the notations read it differently
        "a,1,6.284,2026-01-01",  # 6284 where '.' groups thousands (the office's id), else 6.284
        "a,1.5,1,2026-01-01",  # not whole
        "a,1,1.234,5,2026-01-01",  # a field too many
        "a,1,1,2026-02-30",  # no such date
        "a,1,1,0000-01-01",
        "a,1,1,2026-01-01 10:00",  # a time: the reader decides
        "a, 1e3 ,1,2026-01-01",
        "a,1e3,1,2026-01-01",  # DuckDB's cast alone would take these
        "a,1_000,1,2026-01-01",
        "a,100000000000000000000,1,2026-01-01",  # 21 digits: the reader refuses it
        "a,1,100000000000000000000.5,2026-01-01",
        "a,1,1,infinity",
        "a,1,1,-infinity",
        "a,1,1,epoch",
        "a,1,1,20260101",
        "a,1,1,10000-01-01",
        "a,1,1,2026-01-01T00:00",
    ],
)
def test_anything_else_is_left_to_the_reader(tmp_path: Path, line: str) -> None:
    assert native(tmp_path, f"kode,jumlah,nilai,tanggal\n{line}\n") is None
    try:
        read_rows(SOURCE, tmp_path)
    except DataError as error:
        assert "t.csv" in str(error)


@pytest.mark.parametrize(
    ("jumlah", "tanggal"),
    [
        ("-0", "2026-01-31"),
        ("-12", " 2026-01-31"),
        ("0012", "2026-01-31\u3000"),
        ("999999999999999999", "1900-01-01"),  # the first year a date may have
        ("-999999999999999999", "31/12/2026"),
        ("99999999999999999999", "2026-01-31"),  # 20 digits, beyond BIGINT
        ("-99999999999999999999", "2026-01-31"),
        (" 5", "2200-12-31"),  # and the last
        ("\u00a05", "2026-1-1"),
    ],
)
def test_cells_settled_by_the_cast_read_as_the_reader_does(
    tmp_path: Path, jumlah: str, tanggal: str
) -> None:
    rows = native(tmp_path, f"kode,jumlah,nilai,tanggal\na,{jumlah},1,{tanggal}\n")
    assert rows == [dict(read_rows(SOURCE, tmp_path)[0])]


@pytest.mark.parametrize("tanggal", ["0999-12-31", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_a_date_outside_the_years_is_left_to_the_reader(tmp_path: Path, tanggal: str) -> None:
    assert native(tmp_path, f"kode,jumlah,nilai,tanggal\na,1,1,{tanggal}\n") is None
    with pytest.raises(DataError, match="outside 1900–2200"):
        read_rows(SOURCE, tmp_path)


@pytest.mark.parametrize("kode", ["~", "~x", "\x7f", "\x85", " ", "\t", "\u3000", "!", "}"])
def test_blank_or_not_whatever_the_first_character(tmp_path: Path, kode: str) -> None:
    rows = native(tmp_path, f"kode,jumlah,nilai,tanggal\n{kode},1,1,2026-01-31\n")
    assert rows == [dict(read_rows(SOURCE, tmp_path)[0])]


def test_a_missing_or_doubled_column_is_left_to_the_reader(tmp_path: Path) -> None:
    assert native(tmp_path, "kode,jumlah,nilai\na,1,1\n") is None
    assert native(tmp_path, "kode,jumlah,nilai,tanggal,KODE\na,1,1,2026-01-01,b\n") is None
    with pytest.raises(DataError, match="jumlah"):
        native(tmp_path, "kode,nilai,tanggal\na,1,2026-01-01\n")
        read_rows(SOURCE, tmp_path)


def test_a_repeated_header_of_a_table_of_texts_is_left_to_the_reader(tmp_path: Path) -> None:
    # Where every column is text, a header row types as text: SQL counts it, the reader says.
    texts = evolve(SOURCE, columns={"kode": "text", "jumlah": "text"})
    assert native(tmp_path, "kode,jumlah\na,1\n KODE , Jumlah\n", texts) is None
    with pytest.raises(DataError, match="row 3: the row repeats the names of the columns"):
        read_rows(texts, tmp_path)
    assert native(tmp_path, "kode,jumlah\na,1\nkode,2\n", texts) is not None


IDENTIFIERS = evolve(SOURCE, columns={"kode": "text", "nik": "nik", "nip": "nip"})


@pytest.mark.parametrize(
    ("nik", "nip"),
    [
        ("3601010310940001", "196501011990031001"),  # settled by the cast
        ("0601010310940001", "096501011990031001"),  # a leading 0: settled by the pattern
        ("3601010310940001 ", "196501011990031001"),  # a space after
        ("+601010310940001", "196501011990031001"),
        (" 601010310940001", "196501011990031001"),
        ("3.6010103109E+15", "196501011990031001"),  # a NIK Excel turned into a number
        ("36010103109400010", "196501011990031001"),  # 17 digits
        ("360_010310940001", "196501011990031001"),
        ("\u0663601010310940001", "196501011990031001"),  # an Arabic-Indic digit
        ("3601010310940001", "1965010119900310"),  # a NIP of 16 digits
        ("3601010310940001", "19650101199003100100"),  # of 20
    ],
)
def test_identifiers_of_digits_read_as_the_reader_reads_them(
    tmp_path: Path, nik: str, nip: str
) -> None:
    rows = native(tmp_path, f"kode,nik,nip\na,{nik},{nip}\n", IDENTIFIERS)
    try:
        expected = [dict(row) for row in read_rows(IDENTIFIERS, tmp_path)]
    except DataError:
        assert rows is None  # refused: left to the reader, which says where and why
    else:
        # what SQL reads, it reads as the reader does; the rest it leaves to the reader
        # (a space after the digits), but never plain digits
        assert rows == expected or (rows is None and not nik.isdigit())


class _FailingCheck:
    """A connection whose statement counting the refused rows fails (a query interrupted,
    the disk full while DuckDB spills): every other statement runs."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection

    def execute(self, sql: str, *args: object) -> duckdb.DuckDBPyConnection:
        if sql.startswith("SELECT COUNT(*) FILTER"):
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        return self.connection.execute(sql, *args)


def test_a_pass_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("kode,jumlah,nilai,tanggal\na,1,2,2026-01-31\n", "utf-8")
    connection = duckdb.connect()
    failing = _FailingCheck(connection)
    assert native_csv_open(failing, SOURCE, tmp_path / "t.csv", in_place=IN_PLACE[0]) is None
    # The table the rows were typed into is gone (it would make the next pass fail, and
    # send the file to the reader), and so is any view
    assert not connection.execute("SELECT * FROM duckdb_tables()").fetchall()
    assert not connection.execute("SELECT * FROM duckdb_views() WHERE NOT internal").fetchall()
    assert native_csv_open(connection, SOURCE, tmp_path / "t.csv", in_place=IN_PLACE[0]) is not None


def remade(
    tmp_path: Path, plain: frozenset[str], source: Source = SOURCE
) -> list[dict[str, object]]:
    """The rows of the relation made again over the validated file on a new connection, as
    a later engine makes it from a kept pass: the columns ``plain`` read without patterns."""
    connection = duckdb.connect()
    statement = validated_relation(source, tmp_path / "t.csv", in_place=IN_PLACE[0], plain=plain)
    assert statement is not None
    connection.execute(statement)
    names = ", ".join(f'"{column}"' for column in source.columns)
    cursor = connection.execute(f'SELECT {names} FROM "{internal_table(source)}"')
    return [dict(zip(source.columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        # Every value as written or as DuckDB casts it (decimals are never read so: their
        # notation is the rules')
        (
            "kode,jumlah,nilai,tanggal\na,-12,1.5,2026-01-31\n,,,2026-02-01\n",
            {"kode", "jumlah", "tanggal"},
        ),
        # A kode of spaces is missing to the rules, "  " as written; 5/1/2026 is 5 January
        # to the rules, nothing to DuckDB's cast; +7 is 7 to both
        ("kode,jumlah,nilai,tanggal\n  ,+7,1,2026-01-31\nb,3,2,5/1/2026\n", {"jumlah"}),
        # 007 is 7 and 2026-1-31 is 31 January to both; a date of spaces is missing to both
        (
            "kode,jumlah,nilai,tanggal\na,007,1,2026-1-31\nb, 3,2,  \n",
            {"kode", "jumlah", "tanggal"},
        ),
        # An ideographic space is blank to the rules
        (
            "kode,jumlah,nilai,tanggal\n\u3000,7,1,2026-01-31\nb,3,2,2026-01-05\n",
            {"jumlah", "tanggal"},
        ),
    ],
)
def test_the_columns_found_plain_read_alike_without_the_patterns(
    tmp_path: Path, text: str, plain: set[str]
) -> None:
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    accepted = native_csv_open(duckdb.connect(), SOURCE, tmp_path / "t.csv", in_place=IN_PLACE[0])
    assert accepted is not None and accepted.plain == plain
    expected = [dict(row) for row in read_rows(SOURCE, tmp_path)]
    assert remade(tmp_path, accepted.plain) == expected


def test_a_column_read_plain_that_is_not_would_read_wrong(tmp_path: Path) -> None:
    # What the mask guards against: "  " is a missing kode and 5/1/2026 is 5 January to the
    # reader; read as written they would be a kode of two spaces and no date at all.
    (tmp_path / "t.csv").write_text("kode,jumlah,nilai,tanggal\n  ,1,1,5/1/2026\n", "utf-8")
    accepted = native_csv_open(duckdb.connect(), SOURCE, tmp_path / "t.csv", in_place=IN_PLACE[0])
    assert accepted is not None and accepted.plain == {"jumlah"}
    right = {"kode": None, "jumlah": 1, "nilai": Decimal(1), "tanggal": dt.date(2026, 1, 5)}
    assert remade(tmp_path, accepted.plain) == [right]
    wrong = remade(tmp_path, frozenset(SOURCE.columns))
    assert wrong == [{**right, "kode": "  ", "tanggal": None}]
