"""What the system and the libraries say went wrong, told to the planner in their words
(:mod:`iku_rules.library_errors`): a data or definitions file that is not UTF-8, a file named
.xlsx that is no workbook, a damaged or locked database, an error of the system. Through the
``iku`` command as a planner meets them, in English (the Indonesian is the catalog's)."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from helpers import edit, office, run

from iku_rules.i18n import use_language
from iku_rules.library_errors import database_reason, os_reason

EVAL = ("--lang", "en", "eval", "{folder}", "--data", "{folder}", "--period", "2026", "--no-cache")
REGISTER = """\
nik,kecamatan,kategori,tanggal
3601000000000001,Labuan,Anak Terlantar,2025-03-01
3601000000000002,Labuan,{kategori},2025-05-01
"""


def refusal(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    """What ``iku eval`` of the office says on its error output (it must fail with 1)."""
    arguments = [part.format(folder=folder) for part in EVAL]
    status, _out = run(*arguments, *options)
    error = capsys.readouterr().err.strip()
    assert status == 1, error
    return error


def source_as(folder: Path, file_format: str, path: str, table: str | None = None) -> None:
    """Declare the register ``register_pmks`` read from ``path`` in ``file_format``."""
    table_line = f'\ntable = "{table}"' if table else ""
    edit(
        folder,
        'format = "csv"\npath = "register_pmks.csv"',
        f'format = "{file_format}"\npath = "{path}"{table_line}',
    )


# -- text that is not UTF-8


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_csv_saved_as_ansi_names_the_encoding_the_character_and_its_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    folder = office(tmp_path)
    register = REGISTER.format(kategori="Désa Terpencil")
    (folder / "register_pmks.csv").write_bytes(register.encode("cp1252"))
    # 'é' is the byte 0xE9 in Windows-1252, on line 3 (the header is line 1)
    assert refusal(folder, capsys, "--backend", backend) == (
        "iku: register_pmks.csv, row 3: the file is not UTF-8 text: it looks saved as ANSI"
        " (Windows-1252), where the byte 0xE9 is 'é' (in 'Désa'); save it as 'CSV UTF-8'"
        " (in Excel: File > Save As, then CSV UTF-8)"
    )


def test_a_csv_saved_as_utf16_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = office(tmp_path)
    register = REGISTER.format(kategori="Fakir Miskin")
    (folder / "register_pmks.csv").write_bytes(register.encode("utf-16"))  # with its BOM
    assert refusal(folder, capsys) == (
        "iku: register_pmks.csv, row 1: the file is saved as UTF-16 ('Unicode' in Notepad,"
        " 'Unicode Text' in Excel), not UTF-8; save it as 'CSV UTF-8' (in Excel: File > Save"
        " As, then CSV UTF-8)"
    )


def test_a_csv_cut_short_inside_a_character_says_it_was_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    register = REGISTER.format(kategori="Fakir Miskin") + "3601000000000003,Labuan,Lansia 👵"
    data = register.encode("utf-8")[:-2]  # the 4 bytes of 👵 cut to 2: a copy cut short
    (folder / "register_pmks.csv").write_bytes(data)
    assert refusal(folder, capsys) == (
        "iku: register_pmks.csv, row 4: the file ends in the middle of a character: it was cut"
        " short (while it was copied or downloaded?); copy it again; save it as 'CSV UTF-8'"
        " (in Excel: File > Save As, then CSV UTF-8)"
    )


def test_a_definitions_file_saved_as_ansi_is_placed_at_its_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8").replace(
        'name = "Dinas Mini"', 'name = "Dinas Sosial Kabupatén Mini"'
    )
    path.write_bytes(text.encode("cp1252", errors="replace"))
    status, out = run("--lang", "en", "check", str(folder))
    assert status == 1
    # line 7 is `name = "Dinas Sosial Kabupatén Mini"`: `name = "` is 8 characters and
    # `Dinas Sosial Kabupat` 20, so 'é' is character 29
    line = next(line for line in out.splitlines() if "UTF-8" in line)
    assert line == f"{path}:7:29: error: " + (
        "the file is not UTF-8 text: it looks saved as ANSI"
        " (Windows-1252), where the byte 0xE9 is 'é' (in 'Kabupatén'); save it as UTF-8 (in"
        " Notepad or VS Code: Save As, Encoding UTF-8)"
    )


# -- a file named .xlsx that is no workbook


def test_a_csv_named_xlsx_is_told_as_text_with_both_fixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    source_as(folder, "xlsx", "register_pmks.xlsx", "Sheet1")
    (folder / "register_pmks.xlsx").write_bytes((folder / "register_pmks.csv").read_bytes())
    error = refusal(folder, capsys)
    assert error == (
        "iku: register_pmks.xlsx: the file is text (a CSV file named .xlsx?), not an Excel"
        ' workbook: if it is CSV, name it .csv and declare format = "csv" in the [[source]]'
        " 'register_pmks'; else open it in Excel and save it as Excel Workbook (.xlsx)"
    )
    assert "zip file" not in error


def zipped(path: Path, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            {"register_pmks.xlsx": "a workbook packed"},
            "the file is a ZIP archive, not an Excel workbook (a workbook packed in a .zip?):"
            " unpack it, or give the workbook (.xlsx) itself",
        ),
        (
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
            "the file is an OpenDocument spreadsheet (.ods, from LibreOffice), not an Excel"
            " workbook: open it and save it as Excel Workbook (.xlsx)",
        ),
        (
            {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"},
            "the file is a Word or PowerPoint document, not an Excel workbook: give the"
            " workbook (.xlsx) instead",
        ),
    ],
    ids=["zip", "ods", "docx"],
)
def test_a_zip_archive_named_xlsx_says_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], members: dict[str, str], expected: str
) -> None:
    folder = office(tmp_path)
    source_as(folder, "xlsx", "register_pmks.xlsx", "Sheet1")
    zipped(folder / "register_pmks.xlsx", members)
    assert refusal(folder, capsys) == f"iku: register_pmks.xlsx: {expected}"


def test_a_workbook_whose_sheet_does_not_unpack_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    source_as(folder, "xlsx", "register_pmks.xlsx", "Sheet1")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["nik", "kecamatan", "kategori", "tanggal"])
    for number in range(2000):
        sheet.append([f"36010000000{number:05d}", "Labuan", "Fakir Miskin", "2025-03-01"])
    path = folder / "register_pmks.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        part = archive.getinfo("xl/worksheets/sheet1.xml")
    data = path.read_bytes()
    middle = part.header_offset + 30 + len(part.filename) + 2000  # inside its compressed bytes
    path.write_bytes(data[:middle] + b"\x00" * 500 + data[middle + 500 :])
    error = refusal(folder, capsys)
    assert error == (
        "iku: register_pmks.xlsx, sheet 'Sheet1': the workbook is incomplete or damaged (cut"
        " short while it was copied or downloaded?): copy it again, or open it in Excel and"
        " save it again as .xlsx"
    )
    assert "Error -3" not in error  # zlib's words


# -- databases


def sqlite_register(folder: Path) -> Path:
    """The register as the table ``register_pmks`` of ``pmks.sqlite``, declared so."""
    source_as(folder, "sqlite", "pmks.sqlite", "register_pmks")
    path = folder / "pmks.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE register_pmks (nik, kecamatan, kategori, tanggal)")
    rows = [line.split(",") for line in REGISTER.format(kategori="Lansia").splitlines()[1:]]
    connection.executemany("INSERT INTO register_pmks VALUES (?, ?, ?, ?)", rows * 200)
    connection.commit()
    connection.close()
    return path


DAMAGED = (
    "the database file is damaged or incomplete (cut short while it was copied, or copied"
    " while a program was writing it?): copy it again from where it was made, or make it again"
)


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_damaged_sqlite_file_is_said_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    folder = office(tmp_path)
    path = sqlite_register(folder)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * 3996  # the schema page overwritten: SQLITE_CORRUPT
    path.write_bytes(bytes(data))
    error = refusal(folder, capsys, "--backend", backend)
    assert error == (f"iku: pmks.sqlite: the file cannot be read as a SQLite database: {DAMAGED}")
    assert "malformed" not in error


def test_a_sqlite_table_whose_pages_are_lost_is_said_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    path = sqlite_register(folder)
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"\x00" * (len(data) - 4096))  # the table's pages zeroed
    assert refusal(folder, capsys) == (
        f"iku: pmks.sqlite, table 'register_pmks': the table cannot be read: {DAMAGED}"
    )


def duckdb_register(folder: Path) -> Path:
    """The register as the table ``register_pmks`` of ``pmks.duckdb``, declared so."""
    source_as(folder, "duckdb", "pmks.duckdb", "register_pmks")
    path = folder / "pmks.duckdb"
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE register_pmks AS SELECT * FROM read_csv($path, all_varchar = true)",
        {"path": str(folder / "register_pmks.csv")},
    )
    connection.close()
    return path


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_duckdb_file_open_in_another_program_names_it_and_says_close_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    folder = office(tmp_path)
    path = duckdb_register(folder)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
            " sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        error = refusal(folder, capsys, "--backend", backend)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
    program = Path(os.path.realpath(sys.executable)).name  # as the system names the process
    assert error == (
        "iku: pmks.duckdb, table 'register_pmks': the file cannot be read as a DuckDB database:"
        f" another program has the file open and locked ({program}, process {holder.pid}):"
        " close it there (DuckDB, DBeaver, a Python notebook…) and run again"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_damaged_duckdb_file_is_said_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    folder = office(tmp_path)
    path = duckdb_register(folder)
    data = path.read_bytes()
    path.write_bytes(data[:12288] + b"\xab" * (len(data) - 12288))  # its blocks' checksums fail
    error = refusal(folder, capsys, "--backend", backend)
    assert error == (
        "iku: pmks.duckdb, table 'register_pmks': the file cannot be read as a DuckDB"
        f" database: {DAMAGED}"
    )
    assert "checksum" not in error


def test_a_postgresql_server_that_does_not_answer_is_told_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    with (folder / "definitions.toml").open("a", encoding="utf-8") as file:
        file.write('\n[database]\nurl = "postgresql://iku@127.0.0.1:9/sakip"\n')  # port 9: none
    status, _out = run(
        "--lang", "en", "eval", str(folder), "--backend", "postgresql", "--period", "2026"
    )
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        "iku: cannot connect to the database postgresql://iku@127.0.0.1:9/sakip: nothing"
        " answers at that address: is the database server running, and are the host and the"
        " port in the URL right?"
    )


def test_duckdbs_words_for_a_missing_table_and_a_value_of_the_wrong_type() -> None:
    connection = duckdb.connect()
    found = []
    for statement in (
        "SELECT * FROM register_pmk",
        "SELECT 'dua'::INTEGER",
        "SELECT '2026-13-01'::DATE",
    ):
        with pytest.raises(duckdb.Error) as excinfo:
            connection.execute(statement)
        with use_language("en"):
            found.append(database_reason(excinfo.value))
    assert found == [
        "the database has no table 'register_pmk'",
        "the value 'dua' cannot be read as a whole number",
        "the value '2026-13-01' cannot be read as a date",
    ]
    with pytest.raises(duckdb.Error) as excinfo:
        connection.execute("SELECT nonsense(1)")
    assert database_reason(excinfo.value) is None  # not recognised: the caller shows DuckDB's


# -- errors of the system


def test_a_path_through_a_file_is_told_by_its_errno_not_the_systems_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data.csv").write_text("x\n", encoding="utf-8")
    target = tmp_path / "data.csv" / "sample"
    status, _out = run("--lang", "en", "sample-data", str(target))
    assert status == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("iku: cannot read or write ")
    assert error.endswith(": a part of the path is a file, not a folder (check the path)")
    assert "Not a directory" not in error


def test_a_data_file_the_system_refuses_says_so_with_the_excel_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    refused = folder / "register_pmks.csv"
    read_bytes = Path.read_bytes

    def guarded(path: Path) -> bytes:
        if path == refused:  # as a file without read permission, or open in Excel on Windows
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    error = refusal(folder, capsys, "--backend", "python")
    assert error == (
        "iku: register_pmks.csv: the file cannot be read: the system does not allow it (no"
        " permission): ask for access to the file or folder, or copy the file into a folder of"
        " your own; on Windows a file open in Excel is refused so too: close it there"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (errno.ENOSPC, "the disk is full: free some space and run again"),
        (
            errno.EROFS,
            "the disk is read-only (a CD, a write-protected USB stick, a read-only shared"
            " folder): use a folder on another disk",
        ),
        (errno.EISDIR, "it is a folder, not a file"),
        (errno.ENOENT, "it does not exist (check its name and its folder)"),
        (errno.EPROTO, os.strerror(errno.EPROTO)),  # not one of the common ones: the system's
    ],
)
def test_errors_of_the_system_by_errno(code: int, expected: str) -> None:
    with use_language("en"):
        assert os_reason(OSError(code, os.strerror(code), "laporan.html")) == expected


def test_postgresqls_errors_by_their_sqlstate() -> None:
    psycopg = pytest.importorskip("psycopg")
    refused = psycopg.errors.lookup("28P01")('password authentication failed for user "iku"')
    missing = psycopg.errors.lookup("3D000")('database "sakip" does not exist')
    with use_language("en"):
        assert database_reason(refused) == (
            "the database refused the user name or the password: check the user in the URL and"
            " the password (the variable named by password_env)"
        )
        assert database_reason(missing) == (
            "the server has no database of the name in the URL: check the name"
        )
