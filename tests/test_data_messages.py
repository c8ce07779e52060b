"""Data files refused in words of our own, at their file, row and column, on every backend:
never a library's English text inside a planner's message, nor a fix that misleads.

* CSV: a double quote never closed, or followed by something after it closes; a value
  longer than the csv module's limit (131,072 characters: refused on every backend, DuckDB
  included, which read it); a row of nothing but Ctrl-Z (0x1A) or NUL characters; a NIK
  written with an apostrophe before it; a Ctrl-Z stuck to the last cell of the file.
* Excel: a file named .xlsx that is an old .xls, a workbook protected by a password or a web
  page; Excel's date zero (a lookup of an empty cell) in a date column; a year in a column
  formatted as a date, which Excel shows as a date in 1905.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_file import FIELD_LIMIT

OFFICE = (
    """\
[office]
id = "pesan"
name = "Dinas Pesan"
plan_start = 2025
plan_end = 2027
units = ["Orang", "Rupiah"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "jumlah-orang"
  name = "Jumlah orang"
  unit = "Orang"
  formula = "Σ [Orang]"

  [[sasaran.indikator]]
  id = "jumlah-bantuan"
  name = "Jumlah bantuan"
  unit = "Rupiah"
  formula = "Σ [Bantuan]"

[[source]]
id = "r"
kind = "register"
format = "{format}"
path = "{path}"
{table}columns = {{ nik = "nik", kecamatan = "text", tanggal = "date", tahun = "integer", bantuan = "decimal" }}

[[measure]]
name = "Orang"
source = "r"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Bantuan"
source = "r"
aggregate = "sum"
column = "bantuan"
"""
)

HEADER = "nik,kecamatan,tanggal,tahun,bantuan\n"
ROWS = (
    "3601000000000001,Labuan,2026-01-10,2026,100\n"
    "3601000000000002,Carita,2026-02-10,2026,200\n"
    "3601000000000003,Labuan,2026-03-10,2026,300\n"
)


def office(tmp_path: Path, data: bytes | None = None, *, xlsx: bool = False) -> Path:
    """A folder with the office's definitions and its register ``r.csv`` (``data``), or
    ``r.xlsx`` (written by the test) when ``xlsx``."""
    folder = tmp_path / "office"
    folder.mkdir()
    table = 'table = "r"\n' if xlsx else ""
    path = "r.xlsx" if xlsx else "r.csv"
    text = OFFICE.format(format="xlsx" if xlsx else "csv", path=path, table=table)
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    if data is not None:
        (folder / path).write_bytes(data)
    return folder


def refusal(
    folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> DataError:
    """The refusal of the office's data by ``backend``, in English."""
    read_in_place(monkeypatch, in_place)
    with (
        use_language("en"),
        pytest.raises(DataError) as excinfo,
        Engine(folder, folder, backend=backend) as engine,
    ):
        engine.evaluate("2026")
    return excinfo.value


def values(
    folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> dict[str, object]:
    read_in_place(monkeypatch, in_place)
    with Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate("2026")
    return {result.indicator.id: result.value for result in evaluation.results}


def placed(
    error: DataError, file: str, row: int | None, column: str | None, sheet: str | None = None
) -> str:
    """The message after its place, checked to be ``file`` (its ``sheet``), ``row`` and
    ``column``."""
    assert error.path is not None and error.path.name == file
    assert (error.row, error.column) == (row, column)
    where = file if sheet is None else f"{file}, sheet '{sheet}'"
    if row is not None:
        where += f", row {row}"
    if column is not None:
        where += f", column '{column}'"
    assert error.message.startswith(where + ": "), error.message
    return error.message[len(where) + 2 :]


# -- CSV

ON_EVERY_BACKEND = pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)


@ON_EVERY_BACKEND
def test_a_double_quote_never_closed_is_named_at_its_row_and_column(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = HEADER + ROWS.replace(",Carita,", ',"Carita,')
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert placed(error, "r.csv", 3, "kecamatan") == (
        "the line is not valid CSV: a double quote opens the value and no double quote closes"
        " it before the end of the file; add the closing double quote, or write a double quote"
        ' inside a value as two ("")'
    )
    assert "unexpected end of data" not in str(error)


@ON_EVERY_BACKEND
def test_what_follows_a_closing_quote_is_named(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = HEADER + ROWS.replace(",Carita,", ',"Car"ita,')
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert placed(error, "r.csv", 3, "kecamatan") == (
        "the line is not valid CSV: after the double quote that closes the value comes 'i',"
        " not ',' or the end of the line; write a double quote inside a quoted value as two"
        ' (""), and nothing after the closing quote'
    )
    assert "expected after" not in str(error)


@ON_EVERY_BACKEND
def test_a_value_longer_than_the_limit_is_refused_on_every_backend(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB read a value of 200,000 characters, where the others refused it
    data = HEADER + ROWS.replace(",Carita,", ",Carita" + "x" * 200_000 + ",")
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert placed(error, "r.csv", 3, "kecamatan") == (
        "the value is longer than 131,072 characters, the most a value of a CSV file may have"
        " (an Excel cell holds at most 32,767); shorten it"
    )


@ON_EVERY_BACKEND
def test_a_quote_never_closed_in_a_long_file_is_named_with_the_lines_it_swallows(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "".join(f"36010000{index:08d},Labuan,2026-01-10,2026,100\n" for index in range(5000))
    data = HEADER + '3601000000000001,"Carita,2026-01-10,2026,100\n' + rows
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    message = placed(error, "r.csv", 2, "kecamatan")
    assert message.startswith("the value starts with a double quote and runs on over ")
    assert message.endswith(
        " lines to more than 131,072 characters, the most a value may have: is its closing"
        ' double quote missing? Add it, or write a double quote inside a value as two ("")'
    )


@ON_EVERY_BACKEND
def test_a_value_as_long_as_the_limit_is_read_on_every_backend(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 131,072 characters: ASCII, and two bytes each (DuckDB's bytes past the limit go to the
    # reader, which reads the characters)
    long = "x" * FIELD_LIMIT
    wide = "é" * FIELD_LIMIT
    data = HEADER + ROWS.replace(",Carita,", f",{long},").replace(
        ",Labuan,2026-03", f",{wide},2026-03"
    )
    found = values(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert (found["jumlah-orang"], found["jumlah-bantuan"]) == (3, 600)


@ON_EVERY_BACKEND
@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "\x1a",
            "the row holds only the invisible character Ctrl-Z (0x1A), the end-of-file mark"
            " some old programs write after the last row; delete it (in a text editor, delete"
            " the last line of the file), or save the file again as 'CSV UTF-8'",
        ),
        (
            "\x00\x00\x00",
            "the row holds only invisible NUL characters (0x00), which the program that wrote"
            " the file left in it (padding, or a copy cut short); delete them in a text"
            " editor, or export the file again",
        ),
    ],
    ids=["ctrl-z", "nul"],
)
def test_a_row_of_invisible_characters_is_named(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    tail: str,
    expected: str,
) -> None:
    error = refusal(
        office(tmp_path, (HEADER + ROWS + tail).encode()), backend, in_place, monkeypatch
    )
    assert placed(error, "r.csv", 5, None) == expected


STUCK_FIX = (
    " comes the invisible character Ctrl-Z (0x1A), the end-of-file mark some old programs"
    " write after the last row; delete it (in a text editor, at the end of the file), or save"
    " the file again as 'CSV UTF-8'"
)


DATE_LAST = (
    "nik,kecamatan,tahun,bantuan,tanggal\n"
    "3601000000000001,Labuan,2026,100,2026-01-10\n"
    "3601000000000002,Carita,2026,200,2026-02-10\n"
    "3601000000000003,Labuan,2026,300,2026-03-10\n"
)
"""The rows of :data:`ROWS`, the date last in each."""


@ON_EVERY_BACKEND
@pytest.mark.parametrize(
    ("data", "column", "value"),
    [
        (HEADER + ROWS + "3601000000000004,Carita,2026-09-30,2026,75.62\x1a", "bantuan", "'75.62'"),
        (
            DATE_LAST + "3601000000000004,Carita,2026,75.62,2026-09-30\x1a",
            "tanggal",
            "'2026-09-30'",
        ),
    ],
    ids=["number", "date"],
)
def test_a_ctrl_z_stuck_to_the_last_cell_is_named_there(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    data: str,
    column: str,
    value: str,
) -> None:
    # no newline before the mark: it is part of the last cell, whose value reads right (it
    # was refused as "'75.62' is not a number", "'2026-09-30' is not a date")
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert placed(error, "r.csv", 5, column) == "after " + value + STUCK_FIX


def test_the_command_names_a_ctrl_z_stuck_to_the_last_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = HEADER + ROWS + "3601000000000004,Carita,2026-09-30,2026,75.62\x1a"
    folder = office(tmp_path, data.encode())
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == (
        "iku: r.csv, row 5, column 'bantuan': after '75.62'" + STUCK_FIX
    )
    assert run("--lang", "id", *arguments) == (1, "")
    said = capsys.readouterr().err
    assert "r.csv, baris 5, kolom 'bantuan'" in said
    assert "bukan angka" not in said  # '75.62' is a number: the mark is in the way


@ON_EVERY_BACKEND
def test_a_nik_written_with_an_apostrophe_says_to_remove_it(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = HEADER + ROWS.replace("3601000000000002", "'3601000000000002")
    error = refusal(office(tmp_path, data.encode()), backend, in_place, monkeypatch)
    assert placed(error, "r.csv", 3, "nik") == (
        "''3601000000000002' starts with an apostrophe, which is not part of a NIK: remove the"
        " apostrophe before the digits (typed into a cell formatted as Text, Excel keeps it as"
        " part of the value)"
    )


def test_the_command_names_the_value_too_long_in_english_and_no_library_text_in_indonesian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = HEADER + ROWS.replace(",Carita,", ",Carita" + "x" * 200_000 + ",")
    folder = office(tmp_path, data.encode())
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == (
        "iku: r.csv, row 3, column 'kecamatan': the value is longer than 131,072 characters,"
        " the most a value of a CSV file may have (an Excel cell holds at most 32,767);"
        " shorten it"
    )
    for backend in ("python", "duckdb"):
        assert run("--lang", "id", *arguments, "--backend", backend) == (1, "")
        said = capsys.readouterr().err
        assert "r.csv, baris 3, kolom 'kecamatan'" in said
        assert "field larger than field limit" not in said
        assert "tanda kutip" not in said  # the value is long, not misquoted


def test_the_command_names_the_quote_never_closed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path, (HEADER + ROWS.replace(",Carita,", ',"Carita,')).encode())
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == (
        "iku: r.csv, row 3, column 'kecamatan': the line is not valid CSV: a double quote opens"
        " the value and no double quote closes it before the end of the file; add the closing"
        ' double quote, or write a double quote inside a value as two ("")'
    )
    assert run("--lang", "id", *arguments) == (1, "")
    assert "unexpected end of data" not in capsys.readouterr().err


# -- Excel

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


@ON_EVERY_BACKEND
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            OLE2 + b"\x00" * 500 + "Workbook".encode("utf-16-le") + b"\x00" * 500,
            "the file is an old Excel workbook (.xls, Excel 97–2003), not .xlsx: open it in"
            " Excel and save it as Excel Workbook (.xlsx)",
        ),
        (
            OLE2 + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500,
            "the workbook is protected by a password (Excel keeps it encrypted, not as .xlsx):"
            " open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt"
            " with Password, and clear it) and save it",
        ),
        (
            OLE2 + b"\x00" * 1024,
            "the file is an old Excel workbook (.xls) or a workbook protected by a password,"
            " not .xlsx: open it in Excel, remove the password if it asks for one (File > Info"
            " > Protect Workbook > Encrypt with Password), and save it as Excel Workbook"
            " (.xlsx)",
        ),
        (
            b"\xef\xbb\xbf \r\n<html><body><table><tr><td>nik</td></tr></table></body></html>",
            "the file is a web page (HTML), not an Excel workbook, though its name ends in"
            " .xlsx (some applications export tables so): open it in Excel and save it as"
            " Excel Workbook (.xlsx)",
        ),
    ],
    ids=["xls", "password", "xls-or-password", "html"],
)
def test_a_file_named_xlsx_that_is_no_workbook_says_what_it_is(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    expected: str,
) -> None:
    folder = office(tmp_path, xlsx=True)
    (folder / "r.xlsx").write_bytes(content)
    error = refusal(folder, backend, in_place, monkeypatch)
    assert placed(error, "r.xlsx", None, None) == expected
    assert "zip file" not in str(error)


XML_SPREADSHEET = (
    b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\r\n'
    b' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\r\n'
    b'<Worksheet ss:Name="r"><Table><Row><Cell><Data ss:Type="String">nik</Data></Cell>'
    b"</Row></Table></Worksheet></Workbook>\r\n"
)
MHTML = (
    b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
    b'Content-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
    b"------=_NextPart_01DA\r\nContent-Location: file:///C:/r.htm\r\n"
    b'Content-Type: text/html; charset="utf-8"\r\n\r\n<html><body><table><tr><td>nik'
    b"</td></tr></table></body></html>\r\n------=_NextPart_01DA--\r\n"
)
UTF16_HTML = b"\xff\xfe" + "<html><body><table><tr><td>nik</td></tr></table></body></html>".encode(
    "utf-16-le"
)
WEB_PAGE = (
    "the file is a web page (HTML), not an Excel workbook, though its name ends in .xlsx (some"
    " applications export tables so): open it in Excel and save it as Excel Workbook (.xlsx)"
)


@ON_EVERY_BACKEND
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            # was called a web page
            XML_SPREADSHEET,
            "the file is an Excel 2003 XML Spreadsheet, not an Excel workbook, though its name"
            " ends in .xlsx: open it in Excel and save it as Excel Workbook (.xlsx)",
        ),
        (
            # was called text (a CSV file named .xlsx?)
            MHTML,
            "the file is a web page saved as a single file (MHTML, 'Single File Web Page'),"
            " not an Excel workbook, though its name ends in .xlsx (some applications export"
            " tables so): open it in Excel and save it as Excel Workbook (.xlsx)",
        ),
        (UTF16_HTML, WEB_PAGE),  # was another program's file, or damaged
    ],
    ids=["xml-spreadsheet", "mhtml", "html-utf16"],
)
def test_a_table_exported_as_another_format_and_named_xlsx_is_named(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    expected: str,
) -> None:
    folder = office(tmp_path, xlsx=True)
    (folder / "r.xlsx").write_bytes(content)
    error = refusal(folder, backend, in_place, monkeypatch)
    assert placed(error, "r.xlsx", None, None) == expected


def test_the_command_names_an_xml_spreadsheet_named_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path, xlsx=True)
    (folder / "r.xlsx").write_bytes(XML_SPREADSHEET)
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == (
        "iku: r.xlsx: the file is an Excel 2003 XML Spreadsheet, not an Excel workbook, though"
        " its name ends in .xlsx: open it in Excel and save it as Excel Workbook (.xlsx)"
    )
    assert run("--lang", "id", *arguments) == (1, "")
    said = capsys.readouterr().err
    assert "r.xlsx: " in said and "halaman web" not in said


def workbook(folder: Path, row: list[object], formats: dict[int, str]) -> None:
    """``r.xlsx`` with the header, two plain rows and ``row`` as row 4, its cells of
    ``formats`` (index → number format) so formatted."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "r"
    sheet.append(["nik", "kecamatan", "tanggal", "tahun", "bantuan"])
    sheet.append(["3601000000000001", "Labuan", dt.datetime(2026, 1, 10), 2026, 100])
    sheet.append(["3601000000000002", "Carita", dt.datetime(2026, 2, 10), 2026, 200])
    sheet.append(row)
    for index, number_format in formats.items():
        sheet.cell(row=4, column=index + 1).number_format = number_format
    book.save(folder / "r.xlsx")


@ON_EVERY_BACKEND
def test_excels_date_zero_is_named_with_its_fix(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a VLOOKUP of an empty cell gives 0, shown 00/01/1900 in a date column
    folder = office(tmp_path, xlsx=True)
    workbook(folder, ["3601000000000003", "Labuan", 0, 2026, 300], {2: "dd/mm/yyyy"})
    error = refusal(folder, backend, in_place, monkeypatch)
    assert placed(error, "r.xlsx", 4, "tanggal", "r") == (
        "the cell holds Excel's date zero (shown as 00/01/1900), not a date: what a lookup such"
        " as VLOOKUP gives when the cell it finds is empty; fill in the missing date where the"
        " lookup finds it, or leave the cell empty"
    )


@ON_EVERY_BACKEND
def test_a_year_excel_shows_as_a_date_is_named_as_a_year(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2026 in a column formatted as a date is 18 July 1905
    folder = office(tmp_path, xlsx=True)
    row: list[object] = ["3601000000000003", "Labuan", dt.datetime(2026, 3, 10), 2026, 300]
    workbook(folder, row, {3: "dd/mm/yyyy"})
    error = refusal(folder, backend, in_place, monkeypatch)
    assert placed(error, "r.xlsx", 4, "tahun", "r") == (
        "the cell holds the date 1905-07-18 where a year was expected: Excel shows the year"
        " 2026 as a date because the column is formatted as a date; format the column as Number"
    )
    assert "datetime" not in str(error)


@ON_EVERY_BACKEND
def test_a_date_in_a_number_column_says_both_fixes(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path, xlsx=True)
    row: list[object] = ["3601000000000003", "Labuan", dt.datetime(2026, 3, 10), 2026, 300]
    row[4] = dt.datetime(2026, 3, 10)
    workbook(folder, row, {4: "dd/mm/yyyy"})
    error = refusal(folder, backend, in_place, monkeypatch)
    assert placed(error, "r.xlsx", 4, "bantuan", "r") == (
        "the cell holds the date 2026-03-10, not a number: if the column holds numbers, format"
        " it as Number in Excel (the cell then shows 46091); if it holds dates, declare the"
        " column as date"
    )


def test_the_command_names_a_password_protected_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path, xlsx=True)
    (folder / "r.xlsx").write_bytes(OLE2 + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == (
        "iku: r.xlsx: the workbook is protected by a password (Excel keeps it encrypted, not"
        " as .xlsx): open it in Excel, remove the password (File > Info > Protect Workbook >"
        " Encrypt with Password, and clear it) and save it"
    )
    assert run("--lang", "id", *arguments) == (1, "")
    assert "zip file" not in capsys.readouterr().err
