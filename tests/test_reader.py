"""The typed reader: the same rows from CSV, Excel, SQLite and DuckDB, the spellings
accepted, and an exact plain-words message for every file that cannot be read."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from iku_rules import notation as notations
from iku_rules.errors import IkuError
from iku_rules.model import Source
from iku_rules.sources.cells import DataError, convert
from iku_rules.sources.csv_file import write_csv
from iku_rules.sources.reader import read_rows

COLUMNS = {
    "nik": "text",
    "nama": "text",
    "jumlah": "integer",
    "nilai": "decimal",
    "tanggal": "date",
}

ROWS: list[dict[str, Any]] = [
    {
        "nik": "3201010101010001",
        "nama": "Siti Aminah",
        "jumlah": 3,
        "nilai": Decimal("12.5"),
        "tanggal": date(2026, 1, 5),
    },
    {
        "nik": "3201010101010002",
        "nama": None,
        "jumlah": None,
        "nilai": Decimal("0.1"),
        "tanggal": None,
    },
    {
        "nik": "3201010101010003",
        "nama": 'Budi "Pak Kades", Desa Sukamaju',
        "jumlah": -7,
        "nilai": Decimal("1000000"),
        "tanggal": date(2025, 12, 31),
    },
    {"nik": None, "nama": "Ratna; Sari", "jumlah": 0, "nilai": None, "tanggal": date(2024, 2, 29)},
    {
        "nik": "x",
        "nama": "  spasi di tepi  ",
        "jumlah": 12,
        "nilai": Decimal("-0.25"),
        "tanggal": None,
    },
]

FILES = {
    "csv": "register_pmks.csv",
    "xlsx": "register.xlsx",
    "sqlite": "data.sqlite",
    "duckdb": "data.duckdb",
}


def source(
    file_format: str = "csv",
    columns: Mapping[str, str] = COLUMNS,
    path: str | None = None,
    table: str | None = None,
) -> Source:
    return Source(
        id="register_pmks",
        kind="register",
        format=file_format,  # type: ignore[arg-type]
        path=path or FILES[file_format],
        table=table,
        columns=columns,
    )


def write_xlsx(
    path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]], sheet: str = "register_pmks"
) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)


def write_sqlite(
    path: Path, rows: Sequence[Mapping[str, Any]], table: str = "register_pmks"
) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        f'CREATE TABLE "{table}" (nik TEXT, nama TEXT, jumlah INTEGER, nilai NUMERIC, tanggal TEXT, catatan TEXT)'
    )
    connection.executemany(
        f'INSERT INTO "{table}" VALUES (?, ?, ?, ?, ?, ?)',
        [
            (
                row["nik"],
                row["nama"],
                row["jumlah"],
                None if row["nilai"] is None else str(row["nilai"]),
                None if row["tanggal"] is None else row["tanggal"].isoformat(),
                "tidak dibaca",
            )
            for row in rows
        ],
    )
    connection.commit()
    connection.close()


def write_duckdb(
    path: Path, rows: Sequence[Mapping[str, Any]], table: str = "register_pmks"
) -> None:
    connection = duckdb.connect(str(path))
    connection.execute(
        f'CREATE TABLE "{table}" (nik VARCHAR, nama VARCHAR, jumlah BIGINT, nilai DECIMAL(18, 6), tanggal DATE, catatan VARCHAR)'
    )
    connection.executemany(
        f'INSERT INTO "{table}" VALUES (?, ?, ?, ?, ?, ?)',
        [
            [row["nik"], row["nama"], row["jumlah"], row["nilai"], row["tanggal"], "tidak dibaca"]
            for row in rows
        ],
    )
    connection.close()


def write_format(file_format: str, folder: Path, rows: Sequence[Mapping[str, Any]]) -> None:
    path = folder / FILES[file_format]
    if file_format == "csv":
        write_csv(path, [*COLUMNS, "catatan"], [{**row, "catatan": "tidak dibaca"} for row in rows])
    elif file_format == "xlsx":
        write_xlsx(
            path,
            [*COLUMNS, "catatan"],
            [[row[column] for column in COLUMNS] + ["tidak dibaca"] for row in rows],
        )
    elif file_format == "sqlite":
        write_sqlite(path, rows)
    else:
        write_duckdb(path, rows)


def write_text(
    folder: Path, text: str, name: str = "register_pmks.csv", encoding: str = "utf-8"
) -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def message(excinfo: pytest.ExceptionInfo[DataError]) -> str:
    return str(excinfo.value)


# -- every format gives the same typed rows


@pytest.mark.parametrize("file_format", list(FILES))
def test_each_format_reads_back_the_typed_rows(tmp_path: Path, file_format: str) -> None:
    write_format(file_format, tmp_path, ROWS)
    rows = read_rows(source(file_format), tmp_path)
    assert rows == ROWS
    for row in rows:
        assert list(row) == list(COLUMNS)
        assert row["nik"] is None or isinstance(row["nik"], str)
        assert row["jumlah"] is None or type(row["jumlah"]) is int
        assert row["nilai"] is None or isinstance(row["nilai"], Decimal)
        assert row["tanggal"] is None or type(row["tanggal"]) is date


def test_the_four_formats_agree(tmp_path: Path) -> None:
    results = {}
    for file_format in FILES:
        write_format(file_format, tmp_path, ROWS)
        results[file_format] = read_rows(source(file_format), tmp_path)
    assert results["csv"] == results["xlsx"] == results["sqlite"] == results["duckdb"]
    # Same numbers, each exactly as its file holds it.
    assert [str(row["nilai"]) for row in results["xlsx"]] == [
        "12.5",
        "0.1",
        "1000000",
        "None",
        "-0.25",
    ]


def test_a_source_with_its_own_table_name(tmp_path: Path) -> None:
    write_sqlite(tmp_path / "data.sqlite", ROWS, table="Register PMKS 2026")
    assert read_rows(source("sqlite", table="Register PMKS 2026"), tmp_path) == ROWS
    assert read_rows(source("sqlite", table="register pmks 2026"), tmp_path) == ROWS


# -- CSV spellings


def test_empty_cells_and_spaces_are_none(tmp_path: Path) -> None:
    write_text(
        tmp_path, "nik,nama,jumlah,nilai,tanggal,catatan\n,   ,  , ,,ada\n1, Ani ,2,3,2026-01-05,\n"
    )
    assert read_rows(source(), tmp_path) == [
        {"nik": None, "nama": None, "jumlah": None, "nilai": None, "tanggal": None},
        {
            "nik": "1",
            "nama": " Ani ",
            "jumlah": 2,
            "nilai": Decimal(3),
            "tanggal": date(2026, 1, 5),
        },
    ]


def test_decimal_comma_and_day_first_dates(tmp_path: Path) -> None:
    write_text(
        tmp_path, 'nik,nama,jumlah,nilai,tanggal\n1,a,5,"12,5",05/01/2026\n2,b,6,12.50,2026-1-5\n'
    )
    rows = read_rows(source(), tmp_path)
    assert [row["nilai"] for row in rows] == [Decimal("12.5"), Decimal("12.50")]
    assert str(rows[1]["nilai"]) == "12.50"
    assert [row["tanggal"] for row in rows] == [date(2026, 1, 5), date(2026, 1, 5)]


def test_semicolon_csv_with_bom_from_excel(tmp_path: Path) -> None:
    text = "\ufeffNIK; Nama ;JUMLAH;nilai;Tanggal;Keterangan\r\n3201;Siti, S.Pd.;3;12,5;05/01/2026;-\r\n;;;;;\r\n"
    write_text(tmp_path, text)
    assert read_rows(source(), tmp_path) == [
        {
            "nik": "3201",
            "nama": "Siti, S.Pd.",
            "jumlah": 3,
            "nilai": Decimal("12.5"),
            "tanggal": date(2026, 1, 5),
        }
    ]


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    write_text(
        tmp_path,
        "\nnik,nama,jumlah,nilai,tanggal\n\n1,a,1,1,2026-01-01\n,,,,\n\n2,b,x,1,2026-01-01\n",
    )
    with pytest.raises(DataError) as excinfo:
        read_rows(source(), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 7, column 'jumlah': 'x' is not a whole number (write it with"
        " digits only, like 1234); the row comes after the empty rows 5–6: if the table ends"
        " above them, delete what stands below the table (notes, a signature, a second table)"
        " or move it to another sheet"
    )
    assert (excinfo.value.row, excinfo.value.column) == (7, "jumlah")


def test_rows_are_numbered_by_the_line_they_start_on(tmp_path: Path) -> None:
    write_text(
        tmp_path,
        'nik,nama,jumlah,nilai,tanggal\n1,"dua\nbaris",1,1,2026-01-01\n2,b,1,1,2026-02-30\n',
    )
    with pytest.raises(DataError) as excinfo:
        read_rows(source(), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 4, column 'tanggal': '2026-02-30' is not a date (write it as YYYY-MM-DD)"
    )


def test_undeclared_columns_are_ignored_and_declared_order_kept(tmp_path: Path) -> None:
    write_text(tmp_path, "catatan,tanggal,nik\ntidak dibaca,2026-03-01,7\n")
    rows = read_rows(source(columns={"nik": "integer", "tanggal": "date"}), tmp_path)
    assert rows == [{"nik": 7, "tanggal": date(2026, 3, 1)}]
    assert list(rows[0]) == ["nik", "tanggal"]


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,nama,jumlah,nilai,tanggal\n")
    assert read_rows(source(), tmp_path) == []


# -- Excel


def test_xlsx_numbers_dates_and_what_stands_below_the_table(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = "Register_PMKS"
    worksheet.append([])
    worksheet.append(["Nik", "nama", "jumlah", "nilai", "tanggal"])
    worksheet.append([3201, "Ani", 12.0, 12.0, datetime(2026, 1, 5, 0, 0)])
    worksheet.append(["3202", "  ", "7", "12,5", "05/01/2026"])
    worksheet.append([None, None, None, None, None])
    worksheet.append(["Kepala Dinas Sosial", None, None, None, None])
    workbook.create_sheet("Catatan")
    workbook.save(tmp_path / "register.xlsx")
    # A signature below the table is not a row of it: refused, never counted in silence.
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx"), tmp_path)
    assert message(excinfo) == (
        "register.xlsx, sheet 'register_pmks', row 6: the row comes after the empty row 5 and"
        " leaves empty 'jumlah', 'nilai', 'tanggal', which every row above fills, so it does"
        " not look like a row of the table: if it is one, delete the empty rows above it; if"
        " not, delete what stands below the table (notes, a signature, a second table) or"
        " move it to another sheet"
    )
    worksheet.delete_rows(6)
    workbook.save(tmp_path / "register.xlsx")
    rows = read_rows(source("xlsx"), tmp_path)
    assert rows == [
        {
            "nik": "3201",
            "nama": "Ani",
            "jumlah": 12,
            "nilai": Decimal("12"),
            "tanggal": date(2026, 1, 5),
        },
        {
            "nik": "3202",
            "nama": None,
            "jumlah": 7,
            "nilai": Decimal("12.5"),
            "tanggal": date(2026, 1, 5),
        },
    ]
    assert str(rows[0]["nilai"]) == "12"


def test_xlsx_rows_are_numbered_as_in_the_sheet(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "register.xlsx",
        ["nik", "tanggal"],
        [["1", date(2026, 1, 1)], ["2", "2026-13-01"]],
    )
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx", columns={"nik": "text", "tanggal": "date"}), tmp_path)
    assert message(excinfo) == (
        "register.xlsx, sheet 'register_pmks', row 3, column 'tanggal': '2026-13-01' is not a date (write it as YYYY-MM-DD)"
    )
    assert excinfo.value.path == tmp_path / "register.xlsx"


def test_xlsx_error_cells_are_refused(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "register.xlsx", ["nik", "nilai"], [["1", 5], ["2", "#DIV/0!"]])
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx", columns={"nik": "text", "nilai": "decimal"}), tmp_path)
    assert message(excinfo) == (
        "register.xlsx, sheet 'register_pmks', row 3, column 'nilai': the cell holds the Excel error '#DIV/0!'"
    )


def test_xlsx_numbers_in_integer_columns_must_be_whole(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "register.xlsx", ["jumlah"], [[2.5]])
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx", columns={"jumlah": "integer"}), tmp_path)
    assert message(excinfo) == (
        "register.xlsx, sheet 'register_pmks', row 2, column 'jumlah': 2.5 is not a whole number"
    )


# -- exact messages for every file that cannot be read


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as excinfo:
        read_rows(source(), tmp_path)
    assert (
        message(excinfo)
        == f"the data file 'register_pmks.csv' of source 'register_pmks' is not in {tmp_path}"
    )
    assert excinfo.value.path == tmp_path / "register_pmks.csv"
    assert excinfo.value.row is None and excinfo.value.column is None


def test_missing_column_names_the_closest(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,tanggal_daftar\n1,2026-01-01\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nik": "text", "tanggal_terdaftar": "date"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv: the file has no column 'tanggal_terdaftar', which source 'register_pmks' declares; "
        "did you mean 'tanggal_daftar'?"
    )
    assert excinfo.value.column == "tanggal_terdaftar"


def test_missing_column_without_a_close_one_lists_the_columns(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,nama\n1,a\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"kecamatan": "text"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv: the file has no column 'kecamatan', which source 'register_pmks' declares; "
        "its columns are 'nik', 'nama'"
    )


@pytest.mark.parametrize("file_format", ["sqlite", "duckdb"])
def test_missing_column_in_a_table(tmp_path: Path, file_format: str) -> None:
    write_format(file_format, tmp_path, ROWS)
    with pytest.raises(DataError) as excinfo:
        read_rows(source(file_format, columns={"nilai_akhir": "decimal"}), tmp_path)
    assert message(excinfo) == (
        f"{FILES[file_format]}, table 'register_pmks': the table has no column 'nilai_akhir', "
        "which source 'register_pmks' declares; did you mean 'nilai'?"
    )


def test_bad_date(tmp_path: Path) -> None:
    write_text(tmp_path, "tanggal_terdaftar\n2026-01-05\n" + "2026-01-06\n" * 14 + "2026-13-01\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"tanggal_terdaftar": "date"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 17, column 'tanggal_terdaftar': '2026-13-01' is not a date (write it as YYYY-MM-DD)"
    )
    assert (excinfo.value.row, excinfo.value.column) == (17, "tanggal_terdaftar")


def test_bad_day_first_date(tmp_path: Path) -> None:
    write_text(tmp_path, "tanggal\n12/31/2026\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"tanggal": "date"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 2, column 'tanggal': '12/31/2026' is not a date (write it as DD/MM/YYYY, day first)"
    )


def test_bad_integer(tmp_path: Path) -> None:
    write_text(tmp_path, 'jumlah\n"12,5"\n')
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"jumlah": "integer"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 2, column 'jumlah': '12,5' is not a whole number (write it with digits only, like 1234)"
    )


def test_integer_with_thousands_separator(tmp_path: Path) -> None:
    write_text(tmp_path, "jumlah\n1.234\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"jumlah": "integer"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 2, column 'jumlah': '1.234' is read two ways: as 1234 in"
        " notation \"id\" (Indonesian documents: '.' groups thousands) and as 1.234 in notation"
        " \"en\" ('.' marks decimals) (write 1234 or 1.2340, whichever is meant, or declare the"
        ' notation: notation = "id" or "en" on the [[source]], or under [office])'
    )
    # Declared, it is read that way: 1.234 is one thousand two hundred and thirty-four.
    declared = evolve(source(columns={"jumlah": "integer"}), notation=notations.ID)
    assert read_rows(declared, tmp_path) == [{"jumlah": 1234}]
    english = evolve(declared, notation=notations.EN)
    with pytest.raises(DataError, match=r"'1\.234' is not a whole number"):
        read_rows(english, tmp_path)


def test_thousands_separators_only_one_notation_reads(tmp_path: Path) -> None:
    # 1.234,5 and 1.234.567 can only be read with '.' grouping thousands; 1,234.5 only with ','.
    write_text(tmp_path, "nama;nilai\nAni;1.234,5\nBudi;1.234.567\nCici;1,234.5\n")
    rows = read_rows(source(columns={"nilai": "decimal"}), tmp_path)
    assert [row["nilai"] for row in rows] == [
        Decimal("1234.5"),
        Decimal("1234567"),
        Decimal("1234.5"),
    ]


def test_bad_decimal(tmp_path: Path) -> None:
    write_text(tmp_path, "nilai\n12%\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nilai": "decimal"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 2, column 'nilai': '12%' is not a number (write it like 1234,5 or 1.234,5)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "nama;nilai\nAni;1.500\n",
            "'1.500' is read two ways: as 1500 in notation \"id\" (Indonesian documents: '.'"
            " groups thousands) and as 1.5 in notation \"en\" ('.' marks decimals) (write 1500 or"
            ' 1.5, whichever is meant, or declare the notation: notation = "id" or "en" on the'
            " [[source]], or under [office])",
        ),
        (
            'nama,nilai\nAni,"1,500"\n',
            "'1,500' is read two ways: as 1.5 in notation \"id\" (Indonesian documents: ','"
            " marks decimals) and as 1500 in notation \"en\" (',' groups thousands) (write 1,5 or"
            ' 1500, whichever is meant, or declare the notation: notation = "id" or "en" on the'
            " [[source]], or under [office])",
        ),
    ],
)
def test_a_number_the_notations_read_differently_is_refused_when_none_is_declared(
    tmp_path: Path, text: str, expected: str
) -> None:
    write_text(tmp_path, text)
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nilai": "decimal"}), tmp_path)
    assert message(excinfo) == f"register_pmks.csv, row 2, column 'nilai': {expected}"


def test_unambiguous_numbers_in_either_separator(tmp_path: Path) -> None:
    # 1.5 and 0.125 only '.'-decimals read (a group of thousands has three digits and
    # never starts a number with 0); 1,50 only ','-decimals; 1500 both alike.
    write_text(tmp_path, "nama;nilai\nAni;1.5\nBudi;0.125\nCici;1,50\nDedi;1500\n")
    rows = read_rows(source(columns={"nilai": "decimal"}), tmp_path)
    assert [row["nilai"] for row in rows] == [
        Decimal("1.5"),
        Decimal("0.125"),
        Decimal("1.5"),
        Decimal(1500),
    ]


def test_a_declared_notation_reads_what_the_two_read_differently(tmp_path: Path) -> None:
    write_text(tmp_path, "nama;nilai\nAni;6.284\nBudi;1,500\nCici;55,33\n")
    rows = read_rows(evolve(source(columns={"nilai": "decimal"}), notation=notations.ID), tmp_path)
    # id: '.' groups thousands (6.284 = 6284), ',' marks decimals (1,500 = 1.5; 55,33 = 55.33)
    assert [row["nilai"] for row in rows] == [Decimal(6284), Decimal("1.5"), Decimal("55.33")]


def test_a_column_mixing_notations_is_refused_naming_both_rows(tmp_path: Path) -> None:
    # 12.75 is a decimal only in notation en; 6.284 is 6284 in id (declared) but 6.284 in en:
    # a program's export in en, read as id, would turn 6.284 into 6284 in silence.
    write_text(tmp_path, "nama;nilai\nAni;12.75\nBudi;3\nCici;6.284\n")
    declared = evolve(source(columns={"nilai": "decimal"}), notation=notations.ID)
    with pytest.raises(DataError) as excinfo:
        read_rows(declared, tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 4, column 'nilai': the column mixes notations: '12.75' (row 2)"
        " is a number only notation \"en\" reads, and '6.284' (row 4) is 6284 in notation"
        ' "id", declared for this source, but 6.284 in notation "en"; if the file was written'
        ' in notation "en" (by a program, an export), declare notation = "en" on its'
        " [[source]]; otherwise write the numbers without thousands separators"
    )
    assert [
        row["nilai"] for row in read_rows(evolve(declared, notation=notations.EN), tmp_path)
    ] == [
        Decimal("12.75"),
        Decimal(3),
        Decimal("6.284"),
    ]


def test_missing_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.create_sheet("Data")
    workbook.save(tmp_path / "register.xlsx")
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx"), tmp_path)
    assert (
        message(excinfo)
        == "register.xlsx: the workbook has no sheet 'register_pmks' (its sheets are 'Sheet1', 'Data')"
    )


def test_empty_sheet(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "register.xlsx", [], [])
    with pytest.raises(DataError) as excinfo:
        read_rows(source("xlsx"), tmp_path)
    assert message(excinfo) == (
        "register.xlsx, sheet 'register_pmks': the sheet is empty; its first row must name the columns"
    )


@pytest.mark.parametrize("file_format", ["sqlite", "duckdb"])
def test_missing_table(tmp_path: Path, file_format: str) -> None:
    write_format(file_format, tmp_path, ROWS)
    with pytest.raises(DataError) as excinfo:
        read_rows(source(file_format, table="register_odgj"), tmp_path)
    assert message(excinfo) == (
        f"{FILES[file_format]}: the database has no table 'register_odgj' (its tables are 'register_pmks')"
    )


def test_missing_table_in_an_empty_database(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "data.sqlite").close()
    with pytest.raises(DataError) as excinfo:
        read_rows(source("sqlite"), tmp_path)
    assert (
        message(excinfo)
        == "data.sqlite: the database has no table 'register_pmks' (it has no tables)"
    )


def test_database_values_are_checked_with_their_row(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "data.sqlite")
    connection.execute("CREATE TABLE register_pmks (nik TEXT, tanggal TEXT)")
    connection.executemany(
        "INSERT INTO register_pmks VALUES (?, ?)", [("1", "2026-01-05"), ("2", "5 Jan 2026")]
    )
    connection.commit()
    connection.close()
    with pytest.raises(DataError) as excinfo:
        read_rows(source("sqlite", columns={"nik": "integer", "tanggal": "date"}), tmp_path)
    assert message(excinfo) == (
        "data.sqlite, table 'register_pmks', row 2, column 'tanggal': "
        "'5 Jan 2026' is not a date (write it as YYYY-MM-DD or DD/MM/YYYY)"
    )


def test_ragged_csv_row(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,nama,nilai\n1,Ani,5\n2,Budi, S.Pd.,7\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nik": "text", "nilai": "decimal"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 3: the row has 4 fields but the header has 3 "
        "(a value that contains ',' must be in double quotes)"
    )
    assert (excinfo.value.row, excinfo.value.column) == (3, None)


def test_short_csv_row(tmp_path: Path) -> None:
    write_text(tmp_path, "nik;nama;nilai\n1;Ani\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nik": "text"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 2: the row has 2 fields but the header has 3 "
        "(a value that contains ';' must be in double quotes)"
    )


def test_unclosed_quote(tmp_path: Path) -> None:
    write_text(tmp_path, 'nik,nama\n1,Ani\n2,"Budi\n')
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nik": "text"}), tmp_path)
    assert message(excinfo) == (
        "register_pmks.csv, row 3, column 'nama': the line is not valid CSV: a double quote"
        " opens the value and no double quote closes it before the end of the file; add the"
        ' closing double quote, or write a double quote inside a value as two ("")'
    )


def test_not_utf8(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,nama\n1,Ani\n2,Désa\n", encoding="cp1252")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nik": "text"}), tmp_path)
    assert (
        message(excinfo)
        == "register_pmks.csv, row 3: the file is not UTF-8 text: it looks saved as ANSI"
        " (Windows-1252), where the byte 0xE9 is 'é' (in 'Désa'); save it as 'CSV UTF-8'"
        " (in Excel: File > Save As, then CSV UTF-8)"
    )


def test_empty_csv(tmp_path: Path) -> None:
    write_text(tmp_path, "\n\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(), tmp_path)
    assert (
        message(excinfo)
        == "register_pmks.csv: the file is empty; its first line must name the columns"
    )


def test_duplicate_column(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,Nama,nama \n1,a,b\n")
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nama": "text"}), tmp_path)
    assert (
        message(excinfo)
        == "register_pmks.csv: the file has 2 columns named 'nama' (columns 2 and 3); keep one"
    )


def test_unknown_column_type(tmp_path: Path) -> None:
    with pytest.raises(DataError) as excinfo:
        read_rows(source(columns={"nilai": "angka"}), tmp_path)
    assert message(excinfo) == (
        "source 'register_pmks' declares the column 'nilai' as 'angka'; the types are text,"
        " integer, decimal, date, nik, no_kk, nip and identifier"
    )
    assert excinfo.value.column == "nilai"


@pytest.mark.parametrize(
    ("file_format", "expected"),
    [
        (
            "xlsx",
            "register.xlsx: the file is text (a CSV file named .xlsx?), not an Excel workbook:"
            ' if it is CSV, name it .csv and declare format = "csv" in the [[source]]'
            " 'register_pmks'; else open it in Excel and save it as Excel Workbook (.xlsx)",
        ),
        (
            "sqlite",
            "data.sqlite: the file is not an SQLite database",
        ),
    ],
)
def test_files_of_the_wrong_kind(tmp_path: Path, file_format: str, expected: str) -> None:
    write_text(tmp_path, "nik,nama\n1,Ani\n" * 200, name=FILES[file_format])
    with pytest.raises(DataError) as excinfo:
        read_rows(source(file_format), tmp_path)
    assert message(excinfo) == expected


def test_not_a_duckdb_file(tmp_path: Path) -> None:
    write_text(tmp_path, "nik,nama\n1,Ani\n" * 400, name="data.duckdb")
    with pytest.raises(DataError) as excinfo:
        read_rows(source("duckdb"), tmp_path)
    assert message(excinfo) == "data.duckdb: the file is not a DuckDB database"


def test_a_folder_is_not_a_data_file(tmp_path: Path) -> None:
    (tmp_path / "register_pmks.csv").mkdir()
    with pytest.raises(DataError) as excinfo:
        read_rows(source(), tmp_path)
    assert (
        message(excinfo)
        == "the data file 'register_pmks.csv' of source 'register_pmks' is a folder, not a file"
    )


def test_data_error_is_an_iku_error_and_pickles() -> None:
    error = DataError("a.csv, row 2, column 'x': bad", path=Path("a.csv"), row=2, column="x")
    assert isinstance(error, IkuError) and isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.path, copy.row, copy.column) == (str(error), Path("a.csv"), 2, "x")


# -- one cell


@pytest.mark.parametrize(
    ("value", "column_type", "expected"),
    [
        ("  ", "text", None),
        (None, "decimal", None),
        (" a b ", "text", " a b "),
        (12, "text", "12"),
        (12.0, "text", "12"),
        (Decimal("1.50"), "text", "1.50"),
        (date(2026, 1, 5), "text", "2026-01-05"),
        ("+12", "integer", 12),
        ("-0012", "integer", -12),
        (12.0, "integer", 12),
        (Decimal("12.000"), "integer", 12),
        ("12,5", "decimal", Decimal("12.5")),
        ("-0.50", "decimal", Decimal("-0.50")),
        (0.1, "decimal", Decimal("0.1")),
        (12.0, "decimal", Decimal("12")),
        (7, "decimal", Decimal(7)),
        ("2026-01-05", "date", date(2026, 1, 5)),
        ("2026-01-05 00:00:00", "date", date(2026, 1, 5)),
        ("5/1/2026", "date", date(2026, 1, 5)),
        (datetime(2026, 1, 5, 13, 30), "date", date(2026, 1, 5)),
    ],
)
def test_convert(value: object, column_type: str, expected: object) -> None:
    converted = convert(value, column_type)
    assert converted == expected
    assert type(converted) is type(expected)
    if isinstance(expected, Decimal):
        assert str(converted) == str(expected)


@pytest.mark.parametrize(
    ("value", "column_type", "expected"),
    [
        ("1.2.3", "decimal", "'1.2.3' is not a number (write it like 1234,5 or 1.234,5)"),
        ("1e3", "decimal", "'1e3' is not a number (write it like 1234,5 or 1.234,5)"),
        ("1.23,4", "decimal", "'1.23,4' is not a number (write it like 1234,5 or 1.234,5)"),
        (float("nan"), "decimal", "nan is not a number"),
        (True, "integer", "TRUE is not a number"),
        (Decimal("2.5"), "integer", "2.5 is not a whole number"),
        ("31/02/2026", "date", "'31/02/2026' is not a date (write it as DD/MM/YYYY, day first)"),
        ("05/01/26", "date", "'05/01/26' is not a date (write it as DD/MM/YYYY, day first)"),
        ("2026-01-05 25:00", "date", "'2026-01-05 25:00' is not a date (write it as YYYY-MM-DD)"),
        (
            46027,
            "date",
            "46027 is not a date (format the cell as a date, or write it as YYYY-MM-DD)",
        ),
        (
            "x",
            "angka",
            "unknown column type 'angka' (the types are text, integer, decimal, date, nik, no_kk,"
            " nip and identifier)",
        ),
    ],
)
def test_convert_refuses(value: object, column_type: str, expected: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        convert(value, column_type)
    assert str(excinfo.value) == expected


# -- writing


def test_write_csv_spells_values_plainly(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(
        path,
        ["a", "b", "c", "d"],
        [
            {"a": date(2026, 1, 5), "b": Decimal("12.50"), "c": None, "d": 'x, "y"'},
            {"a": None, "b": Decimal("1E+3"), "c": 7, "extra": "not written"},
            {"b": Decimal("1.234"), "c": 1.5},
        ],
    )
    # 1.234 is written 1.2340: as 1.234 it would be 1234 where '.' groups thousands
    assert path.read_bytes() == (
        b'a,b,c,d\r\n2026-01-05,12.50,,"x, ""y"""\r\n,1000,7,\r\n,1.2340,1.5,\r\n'
    )
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_csv_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old\n")

    def rows() -> Any:
        yield {"a": 1}
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        write_csv(path, ["a"], rows())
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    write_csv(path, ["a"], [{"a": 1}])
    assert path.read_text() == "a\n1\n"


# -- the property: what write_csv writes, read_rows reads back

TEXT = st.none() | st.text(max_size=20).filter(lambda text: text.strip() != "")
CELLS = {
    "text": TEXT,
    # Within the 20 digits before the point a number in the data may have (iku_rules.limits).
    "integer": st.none() | st.integers(-(10**20) + 1, 10**20 - 1),
    # Past the 6 decimals the data keep, only numbers they hold within a hundred-thousandth
    # of themselves are read (the others are refused: test_stored_decimals).
    "decimal": st.none()
    | st.decimals(
        min_value=Decimal(-(10**12)),
        max_value=Decimal(10**12),
        places=30,
        allow_nan=False,
        allow_infinity=False,
    ).filter(lambda value: abs(round(value, 6) - value) * 10**5 <= abs(value)),
    # The years a date in the data may have (iku_rules.limits: 1900 to 2200).
    "date": st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
}
PROPERTY_COLUMNS = {"teks": "text", "bilangan": "integer", "nilai": "decimal", "tanggal": "date"}
ROW = st.fixed_dictionaries({name: CELLS[kind] for name, kind in PROPERTY_COLUMNS.items()}).filter(
    # A line with every field empty holds no data and is skipped.
    lambda row: any(value is not None for value in row.values())
)


@given(rows=st.lists(ROW, max_size=8))
def test_write_csv_then_read_rows_round_trips(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_csv(Path(folder) / "register_pmks.csv", list(PROPERTY_COLUMNS), rows)
        assert read_rows(source(columns=PROPERTY_COLUMNS), Path(folder)) == rows


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    fraction=st.from_regex(r"[0-9]{1,6}", fullmatch=True),
)
def test_decimal_comma_and_point_agree(whole: int, fraction: str) -> None:
    value = Decimal(f"{whole}.{fraction}")
    for notation in (notations.ID, notations.EN):
        # whatever the notation, ',' decimals in id and '.' decimals in en read alike
        id_text, en_text = f"{whole},{fraction}", f"{whole}.{fraction}"
        assert convert(id_text, "decimal", notations.ID) == value
        assert convert(en_text, "decimal", notations.EN) == value
        # a mark followed by three digits could group thousands (1.500), or group them out
        # of place (1000.000): read only as the notation declared reads it
        looks_grouped = len(fraction) == 3 and whole > 0
        if not looks_grouped:
            assert convert(id_text, "decimal", notation) == value
            assert convert(en_text, "decimal", notation) == value
