"""Tables of workbooks as offices keep them: cells that show a number other than the one they
hold, sheets set aside, rows above the header.

The office is the staff office of :func:`helpers.staff_office`: a register ``staf.xlsx``
(sheet ``Data``: ``No | nama | honor``) whose honor is summed (``total-honor``) and whose
rows are counted (``jumlah-pegawai``), in notation ``id``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import run, staff_office

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ["python", "sqlite", "duckdb"]


def _office(tmp_path: Path, rows: list[list[Any]], edit: Any = None) -> Path:
    """The staff office with the sheet ``Data`` holding ``rows`` under its header;
    ``edit`` changes the workbook before it is saved."""
    (tmp_path / "definitions.toml").write_text(staff_office("xlsx"), encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["No", "nama", "honor"])
    for row in rows:
        sheet.append(row)
    if edit is not None:
        edit(workbook)
    workbook.save(tmp_path / "staf.xlsx")
    return tmp_path


def _honor(folder: Path, backend: str = "python") -> Decimal:
    return Engine(folder, folder, backend=backend).evaluate("2026").get("total-honor").value


def _refusal(folder: Path, backend: str = "python") -> DataError:
    with pytest.raises(DataError) as caught:
        _honor(folder, backend)
    return caught.value


# -- numbers shown in thousands or millions


def _in_thousands(number_format: str) -> Any:
    def edit(workbook: Any) -> None:
        for row in (2, 3):
            workbook["Data"][f"C{row}"].number_format = number_format

    return edit


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_number_shown_in_thousands_is_refused_at_its_cell(tmp_path: Path, backend: str) -> None:
    # Ani 5.000 and Budi 6.000 formatted #,##0, ("in thousands"): the sheet shows 5 and 6,
    # its honor 11, while the cells hold 5000 and 6000 and were read as 11000 in silence,
    # a thousand times what the office sees (and the target it sets by it).
    folder = _office(tmp_path, [[1, "Ani", 5000], [2, "Budi", 6000]], _in_thousands("#,##0,"))
    error = _refusal(folder, backend)
    assert str(error) == (
        "staf.xlsx, sheet 'Data', row 2, column 'honor': the cell's number format '#,##0,'"
        " shows its number divided by 1000 (the commas at its end): it shows 5 but holds"
        " 5000, and would be read as 5000; format the cell as a number without those commas,"
        " so that it shows what it holds, and if the column is meant in thousands or millions,"
        " write 5 in it"
    )
    assert (error.row, error.column) == (2, "honor")


def test_a_number_shown_in_millions_says_what_it_shows(tmp_path: Path) -> None:
    # 12.345.678 formatted #,##0.0,,"jt" shows 12.3jt: 12345678 / 1000000 = 12.345678,
    # shown with one decimal, 12.3.
    folder = _office(
        tmp_path, [[1, "Ani", 12345678], [2, "Budi", 6]], _in_thousands('#,##0.0,,"jt"')
    )
    message = str(_refusal(folder))
    assert "divided by 1000000" in message
    assert "it shows 12.3 but holds 12345678" in message
    assert "write 12.345678 in it" in message


def test_the_cli_names_the_cell_shown_in_thousands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _office(tmp_path, [[1, "Ani", 5000], [2, "Budi", 6000]], _in_thousands("#,##0,"))
    data = str(folder)
    status, _output = run("--lang", "en", "eval", data, "--data", data, "--period", "2026")
    output = capsys.readouterr().err
    assert status != 0
    assert "row 2, column 'honor'" in output
    assert "it shows 5 but holds 5000" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("number_format", ["#,##0", "#,##0.00", "0,0", '"Rp"#,##0', "0\\,0"])
def test_numbers_grouped_in_thousands_still_read(tmp_path: Path, number_format: str) -> None:
    # Commas between digits group them: 5000 + 6000 = 11000, as the sheet shows.
    folder = _office(tmp_path, [[1, "Ani", 5000], [2, "Budi", 6000]], _in_thousands(number_format))
    assert _honor(folder) == Decimal("11000")


def test_a_zero_shown_in_thousands_reads(tmp_path: Path) -> None:
    # 0 shows 0 in thousands too: 0 + 6000 = 6000 (Budi's cell left General).
    def edit(workbook: Any) -> None:
        workbook["Data"]["C2"].number_format = "#,##0,"

    folder = _office(tmp_path, [[1, "Ani", 0], [2, "Budi", 6000]], edit)
    assert _honor(folder) == Decimal("6000")


def test_the_section_of_the_format_that_shows_the_number_is_the_one_read(tmp_path: Path) -> None:
    # [>=1000000]0.0,,"jt";[>=1000]0.0,"rb";0 shows 6000 as 6.0rb (divided by 1000, not by a
    # million), and 5 as 5: the row of Ani reads, Budi's is refused.
    folder = _office(
        tmp_path,
        [[1, "Ani", 5], [2, "Budi", 6000]],
        _in_thousands('[>=1000000]0.0,,"jt";[>=1000]0.0,"rb";0'),
    )
    error = _refusal(folder)
    assert error.row == 3
    assert "divided by 1000 (" in str(error)
    assert "it shows 6.0 but holds 6000" in str(error)


# -- a sheet set aside beside its copy


def _copied(state: str, copy: str = "Data (2)") -> Any:
    """The sheet ``Data`` copied (as Excel names the copy), Budi's honor raised to 9 in the
    copy, and the old sheet left ``state``."""

    def edit(workbook: Any) -> None:
        old = workbook["Data"]
        new = workbook.copy_worksheet(old)
        new.title = copy
        new["C3"] = 9
        old.sheet_state = state

    return edit


@pytest.mark.parametrize("copy", ["Data (2)", "data_2"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_hidden_sheet_beside_its_shown_copy_is_refused(
    tmp_path: Path, backend: str, copy: str
) -> None:
    # The office went on in the copy (Ani 5 + Budi 9 = 14) and hid the old sheet, which the
    # source names: read in silence, its honor was 5 + 6 = 11.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], _copied("hidden", copy))
    error = _refusal(folder, backend)
    assert str(error) == (
        f"staf.xlsx: the sheet 'Data' is hidden in the workbook, and '{copy}', a copy of it, is"
        f" shown: the sheet set aside would be read; if the data are in '{copy}', declare"
        f" table = \"{copy}\" in the [[source]] 'staf' (or delete 'Data' and give the copy its"
        " name); if they are in 'Data', show it (right-click a sheet tab > Unhide) and delete"
        " or rename the copy"
    )


def test_the_copy_declared_is_read(tmp_path: Path) -> None:
    # Declared, the copy reads: Ani 5 + Budi 9 = 14.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], _copied("hidden"))
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    definitions.write_text(text.replace('table = "Data"', 'table = "Data (2)"'), "utf-8")
    assert _honor(folder) == Decimal("14")


@pytest.mark.parametrize("state", ["visible", "hidden"])
def test_a_sheet_without_a_shown_copy_reads(tmp_path: Path, state: str) -> None:
    # Shown beside its copy, the sheet the source names is the one read (5 + 6 = 11); so is a
    # hidden sheet of data beside no copy (a workbook that shows only its summary).
    if state == "visible":
        folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], _copied("visible"))
    else:

        def hide(workbook: Any) -> None:
            workbook.create_sheet("Rekap")
            workbook["Data"].sheet_state = "hidden"

        folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], hide)
    assert _honor(folder) == Decimal("11")


# -- a title or a heading above the names of the columns


def _titled(merged: bool) -> Any:
    """A title in row 1 above the names (then in row 2), merged across the table or not."""

    def edit(workbook: Any) -> None:
        sheet = workbook["Data"]
        sheet.insert_rows(1)
        sheet["A1"] = "DAFTAR HONOR PEGAWAI 2026"
        if merged:
            sheet.merge_cells("A1:C1")

    return edit


TITLE_ABOVE = (
    "staf.xlsx, sheet 'Data', row 1: the first row holding values, row 1, is read as the"
    " names of the columns, but they are in row 2 (a title or a heading above them?): delete"
    " the rows above row 2, or move what they hold to another sheet, so that the names of"
    " the columns come first"
)


@pytest.mark.parametrize("merged", [True, False])
def test_a_title_above_the_names_says_where_the_names_are(tmp_path: Path, merged: bool) -> None:
    # Merged, the title was refused as merged cells to unmerge, writing the title in each
    # cell (after which the names were still not found); unmerged, the sheet was said to
    # have no column 'nama', its columns being 'DAFTAR HONOR PEGAWAI 2026'.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], _titled(merged))
    error = _refusal(folder)
    assert str(error) == TITLE_ABOVE
    assert error.row == 1


def test_a_heading_merged_over_the_names_says_where_they_are(tmp_path: Path) -> None:
    # 'Pegawai' merged over the names 'nama' and 'honor' in row 2, the heading row
    # holding nothing else: the names are in row 2.
    def edit(workbook: Any) -> None:
        sheet = workbook["Data"]
        sheet.insert_rows(1)
        sheet["B1"] = "Pegawai"
        sheet.merge_cells("B1:C1")

    error = _refusal(_office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], edit))
    assert "but they are in row 2" in str(error)


def test_a_sheet_without_the_names_still_says_which_it_lacks(tmp_path: Path) -> None:
    # No row names 'honor' (its column is headed 'gaji'): the first row is said to lack it.
    def edit(workbook: Any) -> None:
        workbook["Data"]["C1"] = "gaji"

    error = _refusal(_office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6]], edit))
    assert "has no column 'honor'" in str(error)
