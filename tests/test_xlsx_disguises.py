"""Excel cells whose value is not what was typed, because Excel turned it into something
else as it was typed, are refused at their sheet, row and column, on every backend, or read
as Excel shows them when only one reading is possible:

* in a ``text`` column, a date or time (an age group ``5-9`` typed in a General column
  becomes the 5th of September), a number with decimals (the code ``2.10`` becomes 2.1) and
  a number shown in scientific notation or as a percentage are refused; a whole number
  shown with leading zeros by a format like ``0000`` (a code ``0012``) reads as shown;
* in a ``date`` column, dates Excel read next to dates it kept as text that only a day-first
  reading takes (``13/02/2026``) are refused: the workbook was typed day first in an Excel
  set to month first, and the dates it did read have day and month swapped.

Left as they are: a number cell showing fewer decimals than it holds (2.6 shown as 3 by the
format ``0``) reads as 2.6, the value Excel itself adds up; the 1904 date system of Mac
workbooks reads right (openpyxl follows the workbook's ``date1904``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CASCADE
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

BACKENDS = ["duckdb", "sqlite", "python"]

DEFINITIONS = (
    """
[office]
id = "sel"
name = "Dinas Sel"
plan_start = 2025
plan_end = 2027
units = ["Persen"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "terpilih"
  name = "Persentase terpilih"
  unit = "Persen"
  formula = 'Σ [Dipilih] / Σ [Orang] × 100%'
  numerator_within_denominator = true
  targets = { 2026 = "40" }

[[source]]
id = "reg"
kind = "register"
format = "xlsx"
path = "data.xlsx"
table = "reg"
date_column = "tanggal"
region_column = "kecamatan"
time = "flow"
columns = { nik = "nik", kecamatan = "text", kelompok = "text", kode = "text", tanggal = "date" }

[[measure]]
name = "Orang"
source = "reg"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Dipilih"
source = "reg"
aggregate = "count_distinct"
column = "nik"
filter = 'FILTER'
"""
)


def _nik(number: int) -> str:
    return f"36010000000000{number:02d}"


def office(tmp_path: Path, filter: str, edit: Any = None, *, epoch: Any = None) -> Path:
    """A folder with the definitions and data.xlsx, every cell typed as text where text is
    meant: four people in 2026 (two in TW1), of the age groups 5-9, 10-14, 5-9, 10-14 and the
    codes 2.10, 2.01, 2.10, 0012; ``Dipilih`` counts those that pass ``filter``. ``edit``
    changes the sheet before the workbook is saved."""
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    (folder / "definitions.toml").write_text(
        DEFINITIONS.replace("FILTER", filter), encoding="utf-8"
    )
    workbook = openpyxl.Workbook()
    if epoch is not None:
        workbook.epoch = epoch
    sheet = workbook.active
    sheet.title = "reg"
    for row in [
        ["nik", "kecamatan", "kelompok", "kode", "tanggal"],
        [_nik(1), "Labuan", "5-9", "2.10", dt.datetime(2026, 1, 5)],
        [_nik(2), "Labuan", "10-14", "2.01", dt.datetime(2026, 2, 13)],
        [_nik(3), "Carita", "5-9", "2.10", dt.datetime(2026, 5, 1)],
        [_nik(4), "Carita", "10-14", "0012", dt.datetime(2026, 7, 1)],
    ]:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        cells[4].number_format = "dd/mm/yyyy"
    if edit is not None:
        edit(sheet)
    workbook.save(folder / "data.xlsx")
    return folder


def value(folder: Path, backend: str, period: str = "2026") -> Decimal | str:
    """The value of the indicator, or the evaluation's refusal in English."""
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                evaluation = engine.evaluate(period)
        except DataError as error:
            return str(error)
    [result] = evaluation.results
    assert result.value is not None
    return result.value


AGE = 'kelompok = "5-9"'
CODE = 'kode = "2.10"'
PADDED = 'kode = "0012"'


@pytest.mark.parametrize("backend", BACKENDS)
def test_cells_typed_as_text_read_as_typed(tmp_path: Path, backend: str) -> None:
    # 5-9: ...01 and ...03 of four, 2 / 4 × 100 = 50; 2.10 the same; 0012: ...04, 1 / 4 = 25
    assert value(office(tmp_path / "age", AGE), backend) == 50
    assert value(office(tmp_path / "code", CODE), backend) == 50
    assert value(office(tmp_path / "padded", PADDED), backend) == 25


# -- a date or time in a text column


def _age_group_as_date(sheet: Any) -> None:
    # 5-9 typed in a General cell: Excel (set to Indonesian, day first) keeps the 5th of
    # September of the current year, shown as 05-Sep
    sheet["C2"].value, sheet["C2"].number_format = dt.datetime(2026, 9, 5), "dd-mmm"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_date_in_a_text_column_is_refused(tmp_path: Path, backend: str) -> None:
    # Read as the text '2026-09-05', row 2 failed the filter: 1 / 4 × 100 = 25 where the
    # age groups typed give 2 / 4 × 100 = 50.
    assert value(office(tmp_path, AGE, _age_group_as_date), backend) == (
        "data.xlsx, sheet 'reg', row 2, column 'kelompok': the cell holds the date 2026-09-05,"
        " not text: Excel turns what is typed like 5-9 or 1/2 into a date or a time, and what"
        " was typed is lost; format the column as Text in Excel and type it again (or, if the"
        " column holds dates, declare it as date)"
    )


@pytest.mark.parametrize(
    "cell",
    [dt.time(5, 9), dt.timedelta(hours=25), dt.datetime(2026, 9, 5, 10, 30)],
    ids=["time", "duration", "date-and-time"],
)
def test_a_time_in_a_text_column_is_refused(tmp_path: Path, cell: object) -> None:
    def edit(sheet: Any) -> None:
        sheet["B3"] = cell  # 5:9 typed as a kecamatan; '01:02:00' was read before

    found = value(office(tmp_path, AGE, edit), "python")
    assert isinstance(found, str)
    assert found.startswith("data.xlsx, sheet 'reg', row 3, column 'kecamatan': the cell holds")
    assert "Excel turns what is typed like 5-9 or 1/2 into a date or a time" in found


# -- a number in a text column


def _code_as_number(sheet: Any) -> None:
    sheet["D2"] = 2.1  # 2.10 typed in a General cell: Excel keeps the number 2.1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_number_with_decimals_in_a_text_column_is_refused(tmp_path: Path, backend: str) -> None:
    # Read as the text '2.1', row 2 failed the filter 2.10: 1 / 4 × 100 = 25 where the codes
    # typed give 2 / 4 × 100 = 50.
    assert value(office(tmp_path, CODE, _code_as_number), backend) == (
        "data.xlsx, sheet 'reg', row 2, column 'kode': the cell holds the number 2.1, not text:"
        " Excel turns what is typed like 2.10 into a number and drops the zeros at its end, so"
        " two codes like 2.1 and 2.10 become one; format the column as Text in Excel and type"
        " it again"
    )


def _padded(sheet: Any) -> None:
    # 0012 kept as the number 12, shown 0012 by the format 0000 (as offices keep codes)
    sheet["D5"].value, sheet["D5"].number_format = 12, "0000"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_whole_number_shown_with_leading_zeros_reads_as_shown(
    tmp_path: Path, backend: str
) -> None:
    # Read as '12' before, ...04 failed the filter 0012: 0 / 4 where the sheet shows
    # 0012 and gives 1 / 4 × 100 = 25.
    assert value(office(tmp_path, PADDED, _padded), backend) == 25


@pytest.mark.parametrize(
    ("number", "number_format", "shown"),
    [(100000, "0.00E+00", "1.00E+05"), (1, "0%", "100%")],
    ids=["scientific", "percent"],
)
def test_a_number_shown_otherwise_in_a_text_column_is_refused(
    tmp_path: Path, number: int, number_format: str, shown: str
) -> None:
    def edit(sheet: Any) -> None:
        # 1E5 typed as a code: Excel keeps 100000 and shows 1.00E+05, read as '100000'
        sheet["D3"].value, sheet["D3"].number_format = number, number_format

    assert value(office(tmp_path, CODE, edit), "python") == (
        f"data.xlsx, sheet 'reg', row 3, column 'kode': the cell holds the number {number},"
        f" which its format '{number_format}' shows otherwise (as a percentage"
        f" or in scientific notation), so it would be read as {number}, not as shown;"
        " format the column as Text in Excel and type it again"
    )


def _ticked(sheet: Any) -> None:
    # the age group 5-9 kept as a tick (a logical cell), shown BENAR by an Excel in Indonesian
    sheet["C2"], sheet["C4"] = True, True
    sheet["C3"], sheet["C5"] = False, False


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_logical_value_in_a_text_column_is_refused(tmp_path: Path, backend: str) -> None:
    # Read as the text 'TRUE', no row passed the filter BENAR that the sheet shows: 0 / 4
    # where the two ticked give 2 / 4 × 100 = 50.
    assert value(office(tmp_path, 'kelompok = "BENAR"', _ticked), backend) == (
        "data.xlsx, sheet 'reg', row 2, column 'kelompok': the cell holds the logical value"
        " TRUE, which Excel shows as TRUE in English and as BENAR in Indonesian, so a filter"
        " could compare it with either; write in the column the text meant (like Ya or Tidak)"
    )


def test_whole_numbers_in_a_text_column_read_as_they_are(tmp_path: Path) -> None:
    def edit(sheet: Any) -> None:
        sheet["D2"] = 2010  # shown 2010
        sheet["D3"] = 2.0  # shown 2
        sheet["D4"].value, sheet["D4"].number_format = 2010, "#,##0"  # shown 2,010

    # 2010: ...01 and ...03 of four, 2 / 4 × 100 = 50
    assert value(office(tmp_path, 'kode = "2010"', edit), "python") == 50


# -- dates typed day first in an Excel set to month first


def _month_first(sheet: Any) -> None:
    # Typed day first (05/01/2026, 13/02/2026, 01/05/2026, 01/07/2026) in an Excel set to
    # English (United States): it reads 05/01 as the 1st of May and keeps 13/02, which no
    # month-first reading takes, as text.
    sheet["E2"].value = dt.datetime(2026, 5, 1)
    sheet["E3"].value, sheet["E3"].number_format = "13/02/2026", "General"
    sheet["E4"].value = dt.datetime(2026, 1, 5)
    sheet["E5"].value = dt.datetime(2026, 1, 7)


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_swapped_by_a_month_first_excel_are_refused(tmp_path: Path, backend: str) -> None:
    # TW1 as typed: ...01 (5 January, 5-9) and ...02 (13 February): 1 / 2 × 100 = 50.
    assert value(office(tmp_path / "typed", AGE), backend, "2026-TW1") == 50
    # Read as they were kept: ...02, ...03 (5 January, 5-9) and ...04 (7 January) in TW1:
    # 1 / 3 × 100 = 33.33 before.
    assert value(office(tmp_path / "swapped", AGE, _month_first), backend, "2026-TW1") == (
        "data.xlsx, sheet 'reg', row 3, column 'tanggal': the column holds dates Excel read"
        " (like 2026-05-01 in row 2) and dates it kept as text that only a day-first reading"
        " takes (like '13/02/2026' in row 3): the dates were typed day first in an Excel set to"
        " read them month first, so the dates it read may have day and month swapped; type the"
        " dates again in an Excel set to Indonesian (day first), or format the column as Text"
        " and write every date as DD/MM/YYYY"
    )


def test_text_dates_next_to_dates_that_cannot_be_swapped_read(tmp_path: Path) -> None:
    def edit(sheet: Any) -> None:
        # days past the 12th cannot be swapped: Excel read them as typed
        sheet["E2"].value = dt.datetime(2026, 1, 15)
        sheet["E3"].value, sheet["E3"].number_format = "13/02/2026", "General"

    # TW1: ...01 (5-9) and ...02: 1 / 2 × 100 = 50
    assert value(office(tmp_path, AGE, edit), "python", "2026-TW1") == 50


# -- what reads right as it is


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_workbook_in_the_1904_date_system_reads_its_dates(tmp_path: Path, backend: str) -> None:
    # The dates are kept 1462 days lower; read in the 1900 system, TW1 would hold none.
    folder = office(tmp_path, AGE, epoch=CALENDAR_MAC_1904)
    assert value(folder, backend, "2026-TW1") == 50  # 1 / 2 × 100
