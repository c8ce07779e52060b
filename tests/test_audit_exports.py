"""Data files as offices export them: numbers an export wrote in one notation, read in the
other, are refused with their places, never read a thousandfold off."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import CASCADE, staff_office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

BACKENDS = ["python", "sqlite", "duckdb"]

OFFICE = (
    """
[office]
id = "bansos"
name = "Dinas Bansos"
plan_start = 2025
plan_end = 2027
units = ["Rupiah", "Persen"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-bantuan"
  name = "Jumlah bantuan"
  unit = "Rupiah"
  formula = "Σ [Bantuan Diberikan]"

[[source]]
id = "bantuan"
kind = "register"
format = "csv"
path = "bantuan.csv"
date_column = "tanggal"
time = "flow"
columns = { penerima = "text", bantuan = "decimal", persen = "decimal", tanggal = "date" }

[[measure]]
name = "Bantuan Diberikan"
source = "bantuan"
aggregate = "sum"
column = "bantuan"
unit = "Rupiah"
"""
)

ENGLISH_EXPORT = (
    "penerima,bantuan,persen,tanggal\n"
    'Ani,"150,000",12.75,2026-01-05\n'
    'Budi,"250,000",80.5,2026-02-05\n'
)
"""A CSV file saved by an Excel set to English: amounts with ',' grouping thousands (quoted,
since ',' parts the fields), percentages with a decimal '.'."""


def _office(tmp_path: Path, data: str, notation: str = "") -> Path:
    text = OFFICE.replace('time = "flow"', f'time = "flow"\n{notation}')
    (tmp_path / "definitions.toml").write_text(text, encoding="utf-8")
    (tmp_path / "bantuan.csv").write_text(data, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("backend", BACKENDS)
def test_thousands_of_an_english_export_beside_its_decimals_are_refused(
    tmp_path: Path, backend: str
) -> None:
    # The amounts are 150000 + 250000 = 400000 Rupiah. Read in the office's notation "id",
    # '150,000' is 150 and '250,000' 250: 400 was given in silence, a thousandth of the
    # right total, while the column beside them (12.75, 80.5) shows the file is in "en".
    folder = _office(tmp_path, ENGLISH_EXPORT)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    message = str(caught.value)
    assert "the file mixes notations" in message
    assert "'12.75' (row 2, column 'persen')" in message
    assert "'150,000' (row 2, column 'bantuan') is 150 in notation \"id\"" in message
    assert 'declare notation = "en" on its [[source]]' in message


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_same_export_reads_right_once_its_notation_is_declared(
    tmp_path: Path, backend: str
) -> None:
    # 150000 + 250000 = 400000 Rupiah.
    folder = _office(tmp_path, ENGLISH_EXPORT, 'notation = "en"')
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("total-bantuan").value == Decimal("400000")


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_indonesian_file_with_no_number_only_english_reads_is_read_as_declared(
    tmp_path: Path, backend: str
) -> None:
    # Excel in Indonesian: '150.000' is 150000, '12,75' a decimal comma. 150000 + 250000.
    data = (
        "penerima;bantuan;persen;tanggal\n"
        "Ani;150.000;12,75;05/01/2026\n"
        "Budi;250.000;80,5;05/02/2026\n"
    )
    folder = _office(tmp_path, data)
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("total-bantuan").value == Decimal("400000")


@pytest.mark.parametrize("backend", BACKENDS)
def test_excels_separator_line_is_named_for_what_it_is(tmp_path: Path, backend: str) -> None:
    # An export made for Excel starts with 'sep=;'. Refused before as a file with no column
    # 'penerima' whose columns are 'sep=', which sent the planner looking for a misspelt name.
    data = "sep=;\npenerima;bantuan;persen;tanggal\nAni;150.000;12,75;05/01/2026\n"
    folder = _office(tmp_path, data)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 1
    assert "the first line 'sep=;' names the separator for Excel; it is not the header" in str(
        caught.value
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_file_parted_by_tabs_is_named_so(tmp_path: Path, backend: str) -> None:
    # Saved as Text (Tab delimited) and renamed .csv: its header was one column named
    # 'penerima\tbantuan\tpersen\ttanggal'.
    data = "penerima\tbantuan\tpersen\ttanggal\nAni\t150.000\t12,75\t05/01/2026\n"
    folder = _office(tmp_path, data)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert "the names of the columns are parted by tabs" in str(caught.value)


def _staff(tmp_path: Path, rows: list[list[object]], format: str) -> Path:
    (tmp_path / "definitions.toml").write_text(staff_office(format), encoding="utf-8")
    if format == "csv":
        text = "".join(";".join(str(cell) for cell in row) + "\n" for row in rows)
        (tmp_path / "staf.csv").write_text(text, encoding="utf-8")
    else:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Data"
        for row in rows:
            sheet.append(row)
        workbook.save(tmp_path / "staf.xlsx")
    return tmp_path


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("numbering", [[1, 2, 3], ["(1)", "(2)", "(3)"]])
def test_a_row_numbering_the_columns_under_the_header_is_refused(
    tmp_path: Path, backend: str, format: str, numbering: list[object]
) -> None:
    # A staff list copied from a document keeps the row numbering its columns. Ani 5 and
    # Budi 6 make a honor of 11 and 2 pegawai; the row 1 | 2 | 3 counted as a record made
    # 14 and 3 pegawai, in silence.
    rows = [["No", "nama", "honor"], numbering, [1, "Ani", 5], [2, "Budi", 6]]
    folder = _staff(tmp_path, rows, format)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 2
    assert "the row numbers the columns under the header" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_a_first_record_of_numbers_is_still_read(tmp_path: Path, backend: str, format: str) -> None:
    # The first record is No 1, nama '2' (a name that is a number), honor 5: not 1, 2, 3.
    # Honor 5 + 6 = 11, 2 pegawai.
    rows = [["No", "nama", "honor"], [1, 2, 5], [2, "Budi", 6]]
    folder = _staff(tmp_path, rows, format)
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("total-honor").value == Decimal("11")
    assert evaluation.get("jumlah-pegawai").value == Decimal("2")


_SAVED_AS = {
    # Excel in Indonesian, "CSV (Comma delimited)": ';' parts fields, CRLF ends lines, two
    # empty fields from a used range wider than the table, no line ending after the last row.
    "csv-comma-delimited": (
        b"penerima;bantuan;persen;tanggal;;\r\n"
        b"Ani;150.000,5;12,75;05/01/2026;;\r\n"
        b"Budi;250.000;80,5;05/02/2026;;"
    ),
    # "CSV UTF-8": the same, behind a byte order mark.
    "csv-utf-8": b"\xef\xbb\xbfpenerima;bantuan;persen;tanggal\r\nAni;150.000,5;12,75;05/01/2026\r\n"
    b"Budi;250.000;80,5;05/02/2026\r\n",
    # Every field quoted, the decimal comma inside the quotes, a doubled quote in a name.
    "quoted": b'"penerima";"bantuan";"persen";"tanggal"\r\n"Ani ""A""";"150.000,5";"12,75";'
    b'"05/01/2026"\r\n"Budi";"250.000";"80,5";"05/02/2026"\r\n',
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("saved", sorted(_SAVED_AS))
def test_what_excel_saves_as_csv_in_indonesian_is_read_as_written(
    tmp_path: Path, backend: str, saved: str
) -> None:
    # 150.000,5 + 250.000 = 400000,5 Rupiah.
    folder = _office(tmp_path, "")
    (folder / "bantuan.csv").write_bytes(_SAVED_AS[saved])
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("total-bantuan").value == Decimal("400000.5")
