"""Workbooks as offices save them, and as the programs that write them for offices do.

A workbook written by a program that does not calculate (XlsxWriter, which ``pandas``'
``to_excel`` uses, and others) keeps 0 as the value of every formula and asks Excel to
recalculate it when it is opened (``<calcPr fullCalcOnLoad="1"/>``): Excel shows the
computed values, while a reader of the file reads the 0s. Such a formula in a column read
is refused at its cell, with the fix (open the workbook in Excel and save it); the same
formula in a workbook Excel saved, its value computed, reads.

A code column whose codes were typed with a leading zero partly in cells formatted as Text
(``01`` kept as typed) and partly in General cells (``1``: Excel drops the zero) is refused:
a filter on ``"01"`` would pass only the first.

The office is that of :mod:`test_xlsx_cells`: 12 % of people poor against a target of 10
(negatif: capaian (2 × 10 − 12) / 10 × 100 = 80), four people of whom two are Anak."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import test_xlsx_cells
from test_xlsx_cells import BACKENDS, evaluate, office, refusal

from iku_rules.serve.targets_import import SheetProblem, read_targets

NOT_RECALCULATED_C2 = (
    "the cell C2 holds a formula whose value was never computed: the workbook asks to be"
    " recalculated when it is opened, as programs that do not calculate (such as XlsxWriter)"
    " write it, and the value they keep, 0, may not be the formula's; open the workbook in"
    " Excel and save it (in LibreOffice, choose Data > Calculate > Recalculate Hard before"
    " saving), so that the value is computed and kept"
)


def _formula(workbook: Any) -> None:
    workbook["inputs"]["C2"] = "=6*2"  # miskin: 12 % once computed


def _kept(data: bytes, value: bytes, *, recalculate: bool) -> bytes:
    """The package ``data`` with every formula keeping ``value``; the workbook asking to be
    recalculated when opened (as XlsxWriter writes it) or not (as Excel saves it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, part in parts.items():
            if info.filename.startswith("xl/worksheets/"):
                part = part.replace(b"</f><v></v>", b"</f><v>" + value + b"</v>")
                part = part.replace(b"</f><v />", b"</f><v>" + value + b"</v>")
            if info.filename == "xl/workbook.xml":
                assert b'fullCalcOnLoad="1"' in part  # openpyxl writes it, as XlsxWriter does
                if not recalculate:
                    part = part.replace(b' fullCalcOnLoad="1"', b"")
            archive.writestr(info, part)
    return buffer.getvalue()


def _saved(folder: Path, value: bytes, *, recalculate: bool) -> Path:
    path = folder / "data.xlsx"
    path.write_bytes(_kept(path.read_bytes(), value, recalculate=recalculate))
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_formula_kept_as_0_by_a_program_that_does_not_calculate_is_refused(
    tmp_path: Path, backend: str
) -> None:
    # Read before as miskin = 0: capaian (2 × 10 − 0) / 10 × 100 = 200, where the 12 Excel
    # shows gives 80: the most flattering number of the report, in silence.
    folder = _saved(office(tmp_path, _formula), b"0", recalculate=True)
    error = refusal(folder, backend)
    assert str(error) == "data.xlsx, sheet 'inputs', row 2, column 'nilai': " + NOT_RECALCULATED_C2
    assert (error.row, error.column) == (2, "nilai")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_formula_computed_by_excel_reads(tmp_path: Path, backend: str) -> None:
    # Saved by Excel: 6 × 2 = 12 kept, no recalculation asked; capaian (2 × 10 − 12) / 10 ×
    # 100 = 80.
    folder = _saved(office(tmp_path, _formula), b"12", recalculate=False)
    row = evaluate(folder, backend)[("miskin", None)]
    assert (str(row["value"]), str(row["capaian"])) == ("12", "80.00")


def test_a_formula_in_a_column_not_read_is_left_alone(tmp_path: Path) -> None:
    # A note column computed by a formula (kept 0) is not read: miskin 12, capaian 80.
    def edit(workbook: Any) -> None:
        workbook["inputs"]["D1"] = "catatan"
        workbook["inputs"]["D2"] = '="cek "&A2'

    folder = _saved(office(tmp_path, edit), b"0", recalculate=True)
    assert str(evaluate(folder, "python")[("miskin", None)]["capaian"]) == "80.00"


def test_the_target_import_refuses_a_formula_kept_uncomputed() -> None:
    # The target 2027 = B2 - 1 = 8, kept as 0 by the program that wrote the workbook: read
    # before as a target of 0 % poor.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "2026", "2027"])
    sheet.append(["miskin", 9, "=B2-1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = _kept(buffer.getvalue(), b"0", recalculate=True)
    changes, problems = read_targets(content, {"miskin": ("Persentase penduduk miskin", {})})
    assert problems == [SheetProblem("C2", NOT_RECALCULATED_C2)]
    assert [(change.period, change.new) for change in changes] == [("2026", "9")]


# -- codes with and without their leading zero


def _coded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codes: tuple[object, ...]) -> Path:
    """The office with kategori written as codes (01 Anak, 02 Lansia) in rows 2 to 5, and Anak
    counted by the filter kategori = "01"."""
    definitions = test_xlsx_cells.DEFINITIONS.replace(
        "filter = 'kategori = \"Anak\"'", "filter = 'kategori = \"01\"'"
    )
    assert definitions != test_xlsx_cells.DEFINITIONS
    monkeypatch.setattr(test_xlsx_cells, "DEFINITIONS", definitions)

    def edit(workbook: Any) -> None:
        for row, code in zip((2, 3, 4, 5), codes, strict=True):
            workbook["reg"].cell(row, 3).value = code

    return office(tmp_path, edit)


@pytest.mark.parametrize("backend", BACKENDS)
def test_codes_kept_with_and_without_their_leading_zero_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    # Rows 2 and 3 typed as text ('01', '02'), rows 4 and 5 in General cells (1, 2): read
    # before, the filter passed row 2 alone, anak = 1 / 4 × 100 = 25 where the office's two
    # Anak of four people are 50.
    error = refusal(_coded(tmp_path, monkeypatch, ("01", "02", 1, 2)), backend)
    assert str(error) == (
        "data.xlsx, sheet 'reg', row 4, column 'kategori': the column holds codes kept as text"
        " with a leading zero (like '01' in row 2) and codes kept as numbers, whose leading"
        " zeros Excel drops (like 1 in row 4): a filter or a group on the code would take them"
        " as different codes; format the column as Text in Excel and type the numbers again"
        " with their zeros"
    )


@pytest.mark.parametrize(
    ("codes", "anak"),
    [
        (("01", "02", "01", "02"), "50.0"),  # every code as text: 2 Anak / 4 × 100
        (("01", "02", 10, 12), "25.00"),  # 10 and 12 lost no zero: 1 Anak ('01') / 4 × 100
    ],
)
def test_codes_kept_one_way_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codes: tuple[object, ...], anak: str
) -> None:
    folder = _coded(tmp_path, monkeypatch, codes)
    assert str(evaluate(folder, "python")[("persen-anak", None)]["value"]) == anak
