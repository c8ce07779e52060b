"""Rows an Excel sheet hides (by hand, by a filter, in a collapsed group, or made zero points
high) are read as the
source declares: ``hidden_rows = "read"`` like any other row, ``"skip"`` left out. A source
that does not say is refused at the first hidden row holding values, on every backend: the
office does not see the row, and reading it either way could be the wrong number. The
import of targets in the workspace reads no hidden row, and says which.

The workbook is that of :mod:`test_xlsx_cells`: four people in 2026 (rows 2 to 5 of the
sheet ``reg``), two of them Anak (rows 2 and 4)."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import run
from test_xlsx_cells import BACKENDS, _targets, evaluate, office, refusal

from iku_rules.serve.targets_import import SheetProblem
from iku_rules.sources.cells import DataError
from iku_rules.sources.xlsx_cells import _parse

HIDDEN_ROW_3 = (
    "data.xlsx, sheet 'reg', row 3: the row is hidden in the sheet (by a filter, by Hide, in a"
    " collapsed group or by a height of zero): it would be read though Excel does not show it;"
    " show every row (clear the filter, or select the rows and choose Unhide) and save the"
    " workbook, or declare in the [[source]] 'reg' hidden_rows = \"read\" to read hidden rows"
    ' like any other or hidden_rows = "skip" to leave them out'
)


def _hide_row_3(workbook: Any) -> None:
    workbook["reg"].row_dimensions[3].hidden = True  # the second person, Lansia


def _declare(folder: Path, hidden_rows: str) -> None:
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    declared = text.replace('table = "reg"\n', f'table = "reg"\nhidden_rows = "{hidden_rows}"\n')
    assert declared != text
    path.write_text(declared, encoding="utf-8")


def anak(folder: Path, backend: str) -> Decimal:
    value = evaluate(folder, backend)[("persen-anak", None)]["value"]
    return Decimal(value).quantize(Decimal("0.01"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_hidden_row_is_refused_when_the_source_does_not_say(tmp_path: Path, backend: str) -> None:
    # Read, anak = 2 / 4 × 100 = 50; left out, 2 / 3 × 100 = 66.67: the sheet alone does not
    # say which the office means.
    error = refusal(office(tmp_path, _hide_row_3), backend)
    assert str(error) == HIDDEN_ROW_3
    assert error.row == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_hidden_rows_read_reads_them_like_any_other(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path, _hide_row_3)
    _declare(folder, "read")
    assert anak(folder, backend) == Decimal("50.00")  # 2 Anak of 4 people × 100


@pytest.mark.parametrize("backend", BACKENDS)
def test_hidden_rows_skip_leaves_them_out(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path, _hide_row_3)
    _declare(folder, "skip")
    assert anak(folder, backend) == Decimal("66.67")  # 2 Anak of the 3 people shown × 100


def test_a_row_left_out_is_not_read_at_all(tmp_path: Path) -> None:
    # Row 3, hidden and left out, holds a formula no program computed: nothing in it is
    # read, so it is not refused for it; anak = 2 of the 3 people shown × 100 = 66.67.
    def edit(workbook: Any) -> None:
        _hide_row_3(workbook)
        workbook["reg"]["D3"] = "=TODAY()"  # openpyxl keeps no value for it

    folder = office(tmp_path, edit)
    with pytest.raises(DataError, match="never computed"):  # read, it would be refused
        evaluate(folder, "python")
    _declare(folder, "skip")
    assert anak(folder, "python") == Decimal("66.67")


def test_rows_a_filter_hides_are_refused(tmp_path: Path) -> None:
    # The sheet filtered to Anak, as a planner leaves it after looking: rows 3 and 5 hidden.
    def edit(workbook: Any) -> None:
        sheet = workbook["reg"]
        sheet.auto_filter.ref = "A1:D5"
        sheet.auto_filter.add_filter_column(2, ["Anak"])
        for number in (3, 5):
            sheet.row_dimensions[number].hidden = True

    assert str(refusal(office(tmp_path, edit), "duckdb")) == HIDDEN_ROW_3


def test_rows_of_a_collapsed_group_are_refused(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook["reg"].row_dimensions.group(3, 4, outline_level=1, hidden=True)

    assert str(refusal(office(tmp_path, edit), "python")) == HIDDEN_ROW_3


def _zero_high_row_3(folder: Path) -> None:
    """Row 3 of ``reg`` made zero points high, as Excel and other programs write it
    (openpyxl writes no height of zero, so the sheet's XML is changed in place)."""
    path = folder / "data.xlsx"
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                marked = data.replace(b'<row r="3">', b'<row r="3" ht="0" customHeight="1">')
                assert marked != data
                data = marked
            archive.writestr(info, data)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_row_zero_points_high_is_hidden(tmp_path: Path, backend: str) -> None:
    # Dragged to a height of zero, row 3 is not shown, and Excel counts it hidden, though
    # the sheet does not mark it so: refused; left out, anak = 2 / 3 × 100 = 66.67.
    folder = office(tmp_path)
    _zero_high_row_3(folder)
    assert str(refusal(folder, backend)) == HIDDEN_ROW_3
    _declare(folder, "skip")
    assert anak(folder, backend) == Decimal("66.67")


def test_a_low_row_that_shows_is_read(tmp_path: Path) -> None:
    # Row 3 made 2 points high still shows (a line): read like any other, 2 / 4 × 100 = 50.
    def edit(workbook: Any) -> None:
        workbook["reg"].row_dimensions[3].height = 2

    assert anak(office(tmp_path, edit), "duckdb") == Decimal("50.00")


def test_hidden_empty_rows_and_hidden_columns_are_no_matter(tmp_path: Path) -> None:
    # An empty row is skipped whether shown or not; a hidden column is read by its header.
    def edit(workbook: Any) -> None:
        sheet = workbook["reg"]
        sheet.insert_rows(3)
        sheet.row_dimensions[3].hidden = True
        sheet.column_dimensions["C"].hidden = True

    assert anak(office(tmp_path, edit), "duckdb") == Decimal("50.00")


def test_hidden_rows_are_refused_on_the_command_line_in_indonesian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path, _hide_row_3)
    status, _ = run("--lang", "id", "eval", str(folder), "--data", str(folder), "--period", "2026")
    assert status == 1
    error = capsys.readouterr().err
    assert "baris 3" in error and 'hidden_rows = "read"' in error and "tersembunyi" in error


@pytest.mark.parametrize(
    "row",
    [
        '<row r="7" hidden="1">',
        '<row r="7" spans="1:4" hidden="true" x14ac:dyDescent="0.25">',
        "<row r='7' hidden='1'>",
        '<row r="7" ht="0" customHeight="1">',
        "<row r='7' spans='1:4' ht='0.0'>",
        '<row r="7" ht="-0E0" customHeight="true">',
    ],
)
def test_a_hidden_row_is_found_as_other_programs_write_it(row: str) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f'<sheetData><row r="6"><c r="A6"><v>1</v></c></row>{row}<c r="A7"><v>2</v></c></row>'
        '<row r="8" hidden="0"><c r="A8"><v>3</v></c></row>'
        '<row r="9" ht="0.75" customHeight="1"><c r="A9"><v>4</v></c></row>'
        '<row r="10" ht="10"><c r="A10"><v>5</v></c></row></sheetData></worksheet>'
    )
    assert _parse(io.BytesIO(sheet.encode())).hidden == frozenset({7})


def _sheet(format_pr: str, rows: str) -> bytes:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{format_pr}<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def test_rows_hidden_unless_they_say_otherwise() -> None:
    # Excel's "hide every row below": the sheet's rows are zero high unless they give
    # themselves a height; row 3 gives none, row 4 is marked shown.
    sheet = _sheet(
        '<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>',
        '<row r="1" ht="15" customHeight="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2" ht="15" customHeight="1"><c r="A2"><v>2</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c></row>'
        '<row r="4" hidden="0"><c r="A4"><v>4</v></c></row>',
    )
    assert _parse(io.BytesIO(sheet)).hidden == frozenset({3})
    ordinary = sheet.replace(b' zeroHeight="1"', b"")
    assert _parse(io.BytesIO(ordinary)).hidden == frozenset()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_row_of_a_sheet_of_hidden_rows_is_refused(tmp_path: Path, backend: str) -> None:
    # Every row but row 3 gives itself a height; row 3 is hidden by the sheet's default.
    # Read, anak = 2 / 4 × 100 = 50; left out, 2 / 3 × 100 = 66.67: refused unless declared.
    def edit(workbook: Any) -> None:
        sheet = workbook["reg"]
        for number in (1, 2, 4, 5):
            sheet.row_dimensions[number].height = 15
        sheet.sheet_format.zeroHeight = True

    folder = office(tmp_path, edit)
    assert str(refusal(folder, backend)) == HIDDEN_ROW_3
    _declare(folder, "skip")
    assert anak(folder, backend) == Decimal("66.67")


def test_the_quick_scan_sees_every_way_of_writing_hidden() -> None:
    from iku_rules.sources.xlsx_cells import _holds_marks

    for written in (
        b'<row r="7" hidden="1">',
        b"<row r='7' hidden='true'>",
        b'<col hidden="1"/>',
        b'<row r="7" ht="0" customHeight="1">',
        b'<row r="7" ht=" 0.00 ">',
        b"<row r='7' ht='.0'>",
        b'<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>',
    ):
        assert _holds_marks(io.BytesIO(b"<sheetData>" + written)), written
    for shown in (
        b'<row r="7" hidden="0">',
        b'<row r="7" ht="0.75" customHeight="1">',
        b'<row r="7" ht="10" customHeight="1">',
        b'<row r="7" ht="15.0">',
    ):
        assert not _holds_marks(io.BytesIO(b"<sheetData>" + shown)), shown


# -- the import of targets in the workspace


def test_the_target_import_does_not_read_a_hidden_row() -> None:
    # Row 3 sets miskin's 2026 target to 7, but the sheet, filtered, does not show it: the
    # planner would write a target never seen. Row 2's 9 and 8 are read.
    def edit(sheet: Any) -> None:
        sheet.append(["miskin", 7, None])
        sheet.row_dimensions[3].hidden = True

    changes, problems = _targets(edit)
    assert [(change.period, change.new, change.cell) for change in changes] == [
        ("2026", "9", "B2"),
        ("2027", "8", "C2"),
    ]
    assert problems == [
        SheetProblem(
            "3",
            "the row is hidden in the sheet (by a filter, by Hide, in a collapsed group or by a"
            " height of zero), so its targets are not read; show every row (clear the filter, or"
            " select the rows and choose Unhide), save the workbook and upload it again",
        )
    ]


def test_the_target_import_passes_over_hidden_empty_rows() -> None:
    def edit(sheet: Any) -> None:
        sheet.row_dimensions[3].hidden = True  # nothing in it
        sheet.append([])
        sheet.append(["miskin", None, 8])

    changes, problems = _targets(edit)
    assert problems == [] and len(changes) == 2
