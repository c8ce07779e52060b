"""Identifiers a measure counts distinct (NIK, No KK, NIP) as offices write them.

No NIK or No KK starts with 0 (it starts with the code of a province) or ends in ``0000``
(its last four digits number it from ``0001``); no NIP (a year of birth first, a serial of
three digits last) starts with 0 or ends in ``000``. Such a cell is a placeholder for one not
known (``0000000000000000``: every row of it was one person) or an identifier Excel held as
a number, keeping 15 digits and writing 0 for the others (``3601012345670001`` and
``…0002`` both ``3601012345670000``: two people one). Each was counted, one too few, in
silence; each is refused at its cell, by every backend.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place
from servers import Postgres
from test_audit_postgres import TYPES, _office, _refused, _row, _table, _values, database

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError

__all__ = ["database"]  # the fixture of a PostgreSQL database, shared

OFFICE = (
    """
[office]
id = "dinsos"
name = "Dinas Sosial"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "jumlah-penerima"
  name = "Penerima bantuan"
  unit = "Orang"
  formula = "Σ [Penerima]"

[[source]]
id = "bantuan"
kind = "register"
format = "{format}"
path = "penerima.{format}"
table = "Data"
time = "state"
columns = {{ id = "{kind}", nama = "text" }}

[[measure]]
name = "Penerima"
source = "bantuan"
aggregate = "count_distinct"
column = "id"
"""
)


def count(folder: Path, rows: list[tuple[str, str]], kind: str = "nik", backend: str = "python",
          format: str = "csv") -> str:  # fmt: skip
    """The distinct people of ``rows`` (identifier, name) kept as ``format``, or the refusal."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "definitions.toml").write_text(
        OFFICE.format(format=format, kind=kind), encoding="utf-8"
    )
    if format == "csv":
        lines = ["id,nama", *(f"{nik},{name}" for nik, name in rows)]
        (folder / "penerima.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif format == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Data"
        for row in [("id", "nama"), *rows]:
            sheet.append(row)
        for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
            cell.number_format = "@"  # a column formatted as Text: the cells are text
        workbook.save(folder / "penerima.xlsx")
    else:
        with duckdb.connect(str(folder / "penerima.duckdb")) as connection:
            connection.execute('CREATE TABLE "Data" (id VARCHAR, nama VARCHAR)')
            connection.executemany('INSERT INTO "Data" VALUES (?, ?)', rows)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                return str(engine.evaluate("2026").get("jumlah-penerima").value)
        except DataError as error:
            return str(error)


def refusal(place: str, value: str, kind: str = "NIK", zeros: str = "0000") -> str:
    return (
        f"{place}: '{value}' is not a {kind}: none starts with 0 or ends in {zeros}, so it stands"
        " for one not known (leave the cell empty) or lost its last digits to Excel, which"
        " keeps 15 digits of a number and writes 0 for the others (format the column as Text"
        " in Excel and type the identifiers again)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_nik_of_zeros_for_one_not_known_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani and Budi have no NIK yet, written 0000000000000000: three people, where the
    # count was 2 (both read as one person). Refused at Ani's row.
    read_in_place(monkeypatch, in_place)
    rows = [
        ("0000000000000000", "Ani"),
        ("0000000000000000", "Budi"),
        ("3601012345670002", "Citra"),
    ]
    assert count(tmp_path, rows, backend=backend) == refusal(
        "penerima.csv, row 2, column 'id'", "0000000000000000"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_niks_excel_kept_as_numbers_and_saved_as_csv_are_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3601012345670001 (Ani) and 3601012345670002 (Budi) in a column Excel formatted as a
    # number, saved as CSV: both 3601012345670000, one person where there are two (count
    # 2 with Citra, right 3). Refused at Ani's row.
    read_in_place(monkeypatch, in_place)
    rows = [
        ("3601012345670000", "Ani"),
        ("3601012345670000", "Budi"),
        ("3601012345670013", "Citra"),
    ]
    assert count(tmp_path, rows, backend=backend) == refusal(
        "penerima.csv, row 2, column 'id'", "3601012345670000"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_nip_excel_kept_as_a_number_is_refused(tmp_path: Path, backend: str) -> None:
    # 196501011990031001 and …002, 18 digits, kept by Excel as 196501011990031000 each:
    # one pegawai where there are two.
    rows = [("196501011990031000", "Ani"), ("196501011990031000", "Budi")]
    assert count(tmp_path, rows, kind="nip", backend=backend) == refusal(
        "penerima.csv, row 2, column 'id'", "196501011990031000", "NIP", "000"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_no_kk_of_zeros_typed_as_text_in_a_workbook_is_refused(
    tmp_path: Path, backend: str
) -> None:
    rows = [("3601010101260001", "Ani"), ("0000000000000000", "Budi")]
    assert count(tmp_path, rows, kind="no_kk", backend=backend, format="xlsx") == refusal(
        "penerima.xlsx, sheet 'Data', row 3, column 'id'", "0000000000000000", "NO KK"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_nik_of_zeros_in_a_duckdb_table_is_refused(tmp_path: Path, backend: str) -> None:
    rows = [("3601012345670001", "Ani"), ("3601012345670000", "Budi")]
    said = count(tmp_path, rows, backend=backend, format="duckdb")
    assert "'3601012345670000' is not a NIK: none starts with 0 or ends in 0000" in said
    assert "row 2" in said


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_niks_ending_in_zeros_that_number_them_are_counted(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # serials 0010, 0100, 1000 and 0001: four people, Ani twice (a NIK served twice) → 4
    read_in_place(monkeypatch, in_place)
    rows = [
        ("3601012345670010", "Ani"),
        ("3601012345670100", "Budi"),
        ("3601012345671000", "Citra"),
        ("3601012345670001", "Dedi"),
        ("3601012345670010", "Ani"),
    ]
    assert count(tmp_path, rows, backend=backend) == "4"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("second", ["rtm-001", "RTM-001\u200b"], ids=["case", "zero-width-space"])
def test_an_identifier_spelled_two_ways_is_refused_as_a_text_is(
    tmp_path: Path, backend: str, in_place: bool, second: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Household RTM-001 written RTM-001 and rtm-001 (or with a zero-width space pasted after
    # it), beside RTM-002: 2 households, counted 3. A text column refused it; an
    # identifier column, the type for such codes, counted it.
    read_in_place(monkeypatch, in_place)
    rows = [("RTM-001", "Ani"), ("RTM-002", "Budi"), (second, "Citra")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == (
        f"penerima.csv, row 4, column 'id': the column 'id' holds 'RTM-001' and '{second}',"
        " which differ only in letter case or spacing; measure 'Penerima' tells its values"
        " apart exactly, so they would count as two. Write them alike"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_identifier_written_alike_counts_once(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # RTM-001 twice (spaces around one: read without them), RTM-002: 2 households
    read_in_place(monkeypatch, in_place)
    rows = [("RTM-001", "Ani"), ("RTM-002", "Budi"), (" RTM-001 ", "Citra")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == "2"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("dash", ["-", "–", " - "])
def test_a_dash_for_an_identifier_not_known_is_refused(
    tmp_path: Path, backend: str, in_place: bool, dash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two lembaga without a code yet, written with a dash, and PSKS-01: three lembaga,
    # counted 2 (both dashes one lembaga). Refused at the first; left empty, the measure's
    # missing = … says how they count.
    read_in_place(monkeypatch, in_place)
    rows = [(dash, "LKS Ani"), ("PSKS-01", "LKS Budi"), (dash, "LKS Citra")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == (
        f"penerima.csv, row 2, column 'id': '{dash.strip()}' is a dash, not an identifier: a"
        " table writes it for one not known, and every such row would count as one; leave the"
        " cell empty"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_dash_for_a_nik_not_known_says_so(tmp_path: Path, backend: str) -> None:
    rows = [("3601012345670001", "Ani"), ("-", "Budi")]
    assert count(tmp_path, rows, backend=backend) == (
        "penerima.csv, row 3, column 'id': '-' is a dash, not a NIK: a table writes it for one"
        " not known, and every such row would count as one; leave the cell empty"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_dash_in_an_identifier_of_a_duckdb_table_is_refused(tmp_path: Path, backend: str) -> None:
    rows = [("PSKS-01", "LKS Ani"), ("-", "LKS Budi"), ("-", "LKS Citra")]
    said = count(tmp_path, rows, kind="identifier", backend=backend, format="duckdb")
    assert "row 2" in said and "'-' is a dash, not an identifier" in said


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_identifier_with_a_dash_inside_is_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # codes with dashes in them are codes: PSKS-01, PSKS-02, PSKS-01 → 2 lembaga
    read_in_place(monkeypatch, in_place)
    rows = [("PSKS-01", "A"), ("PSKS-02", "B"), ("PSKS-01", "C"), ("-1", "D")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == "3"


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        (
            "-",
            "'-' is a dash, not an identifier: a table writes it for one not known, and every"
            " such row would count as one; leave the cell empty",
        ),
        (
            "3.60101E+15",
            "'3.60101E+15' is a number in scientific notation, not an identifier: Excel wrote"
            " it as a number and dropped digits (format the column as Text in Excel and type"
            " the identifiers again)",
        ),
    ],
    ids=["dash", "scientific"],
)
def test_postgresql_refuses_the_identifiers_the_reader_refuses(
    tmp_path: Path, database: tuple[Postgres, str], cell: str, said: str
) -> None:
    # Two rows of nilai 1 with the identifier written '-' (or as Excel's 3.60101E+15) beside
    # A1: PostgreSQL summed 3 and counted the two as one, where every reader refuses it.
    server, url = database
    rows = [_row(), _row(nik=cell), _row(nik=cell)]
    _office(tmp_path, rows)
    with pytest.raises(DataError) as embedded:
        _values(Engine(load(tmp_path), tmp_path))
    assert said in str(embedded.value)  # the reader's own words, at row 3
    _table(server, rows, TYPES)
    assert _refused(tmp_path, url) == f"table 'reg' of source 'reg', column 'nik': {said}"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("kind", ["identifier", "text"])
def test_a_code_that_lost_its_leading_zeros_in_some_rows_is_refused(
    tmp_path: Path, backend: str, in_place: bool, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Household 0012 typed as text in one row and in a General cell in another (Excel kept
    # 12), beside 0013: 2 households, counted 3. Refused at the row of 12.
    read_in_place(monkeypatch, in_place)
    rows = [("0012", "Ani"), ("0013", "Budi"), ("12", "Citra")]
    assert count(tmp_path, rows, kind=kind, backend=backend) == (
        "penerima.csv, row 4, column 'id': the column 'id' holds '0012' and '12', which differ"
        " only in the zeros before their digits, as Excel drops them from a code it reads as"
        " a number; measure 'Penerima' tells its values apart exactly, so they would count as"
        " two. Write them alike"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_codes_with_their_zeros_alike_are_counted(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0012 twice, 0013, 120 and 10: four households (0 alone is one not known: refused)
    read_in_place(monkeypatch, in_place)
    rows = [("0012", "A"), ("0013", "B"), ("0012", "C"), ("120", "D"), ("10", "E")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == "4"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("zeros", ["0", "000", " 00 "])
def test_zeros_for_an_identifier_not_known_are_refused(
    tmp_path: Path, backend: str, in_place: bool, zeros: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two lembaga without a code yet, written 0 (or 000), and PSKS-01: three lembaga,
    # counted 2 (both zeros one lembaga). Refused at the first, as a dash is.
    read_in_place(monkeypatch, in_place)
    rows = [(zeros, "LKS Ani"), ("PSKS-01", "LKS Budi"), (zeros, "LKS Citra")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == (
        f"penerima.csv, row 2, column 'id': '{zeros.strip()}' is zeros only, not an identifier:"
        " a table writes it for one not known, and every such row would count as one; leave"
        " the cell empty"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_identifier_with_zeros_and_other_digits_is_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 0010, 100 and 0010 again: codes with zeros in them are codes, 2 lembaga
    read_in_place(monkeypatch, in_place)
    rows = [("0010", "A"), ("100", "B"), ("0010", "C")]
    assert count(tmp_path, rows, kind="identifier", backend=backend) == "2"


def test_postgresql_refuses_zeros_for_an_identifier(
    tmp_path: Path, database: tuple[Postgres, str]
) -> None:
    # A1 and two rows written 0: PostgreSQL would count the two as one identifier
    server, url = database
    rows = [_row(), _row(nik="0"), _row(nik="0")]
    _office(tmp_path, rows)
    _table(server, rows, TYPES)
    assert _refused(tmp_path, url) == (
        "table 'reg' of source 'reg', column 'nik': '0' is zeros only, not an identifier: a"
        " table writes it for one not known, and every such row would count as one; leave"
        " the cell empty"
    )
