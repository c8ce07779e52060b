"""Excel cells whose value openpyxl's reading does not show as the office typed it are refused
at their sheet, row and column, on every backend: a number formatted as a percentage (85% is
kept as 0.85), a formula whose value was never computed (read as empty), merged cells (every
cell but the first read as empty) and, in a text column, a number longer than the 15 digits
Excel keeps (two NIKs become one). Ordinary formulas with their computed values still read."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CASCADE, run

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.serve.targets_import import SheetProblem, read_targets
from iku_rules.sources.cells import DataError
from iku_rules.sources.reader import read_rows

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
  id = "persen-anak"
  name = "Persentase anak"
  unit = "Persen"
  formula = 'Σ [Anak] / Σ [Orang] × 100%'
  numerator_within_denominator = true
  targets = { 2026 = "40" }

  [[sasaran.indikator]]
  id = "miskin"
  name = "Persentase penduduk miskin"
  unit = "Persen"
  polarity = "negatif"
  formula = "input"
  targets = { 2026 = "10" }

[[source]]
id = "reg"
kind = "register"
format = "xlsx"
path = "data.xlsx"
table = "reg"
date_column = "tanggal"
region_column = "kecamatan"
time = "flow"
columns = { nik = "NIK_TYPE", kecamatan = "text", kategori = "text", tanggal = "date" }

[[source]]
id = "inputs"
kind = "inputs"
format = "xlsx"
path = "data.xlsx"
table = "inputs"
columns = { nama = "text", tahun = "integer", nilai = "decimal" }

[[measure]]
name = "Orang"
source = "reg"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Anak"
source = "reg"
aggregate = "count_distinct"
column = "nik"
filter = 'kategori = "Anak"'
"""
)


def _nik(number: int) -> str:
    return f"36010000000000{number:02d}"


def _register() -> list[list[Any]]:
    return [
        ["nik", "kecamatan", "kategori", "tanggal"],
        [_nik(1), "Labuan", "Anak", dt.datetime(2026, 1, 10)],
        [_nik(2), "Labuan", "Lansia", dt.datetime(2026, 2, 10)],
        [_nik(3), "Carita", "Anak", dt.datetime(2026, 5, 1)],
        [_nik(4), "Carita", "Lansia", dt.datetime(2026, 7, 1)],
    ]


def office(tmp_path: Path, edit: Any = None, *, nik: str = "nik", miskin: object = 12) -> Path:
    """A folder with the definitions and data.xlsx: four people in 2026, two of them Anak
    (anak = 2 / 4 × 100 = 50), and 12 % of people poor (miskin = 12, target 10, negatif:
    capaian (2 × 10 − 12) / 10 × 100 = 80); ``edit`` changes the workbook before it is saved."""
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    (folder / "definitions.toml").write_text(DEFINITIONS.replace("NIK_TYPE", nik), encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "reg"
    for row in _register():
        sheet.append(row)
    inputs = workbook.create_sheet("inputs")
    inputs.append(["nama", "tahun", "nilai"])
    inputs.append(["miskin", 2026, miskin])
    if edit is not None:
        edit(workbook)
    workbook.save(folder / "data.xlsx")
    return folder


def evaluate(folder: Path, backend: str, by: str | None = None) -> dict[tuple[str, Any], Any]:
    rows = Engine(folder, folder, backend=backend).evaluate("2026", by=by).rows()
    return {(row["id"], row.get("region")): row for row in rows}


def refusal(folder: Path, backend: str) -> DataError:
    with pytest.raises(DataError) as caught:
        evaluate(folder, backend)
    return caught.value


def cache_values(path: Path, sheet: str, values: dict[str, tuple[str, str]]) -> None:
    """Write into ``path`` the computed values of formula cells, as Excel saves them (openpyxl
    writes a formula with an empty ``<v />``): ``values`` maps a cell (``A6``) to its type
    (``n`` a number, ``str`` a text) and its value; the workbook no longer asks to be
    recalculated when it is opened, as after Excel saved it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    index = openpyxl.load_workbook(path, read_only=True).sheetnames.index(sheet) + 1
    name = f"xl/worksheets/sheet{index}.xml"
    xml = parts[name].decode("utf-8")
    for cell, (kind, value) in values.items():
        xml, count = re.subn(
            rf'<c r="{cell}"((?: s="[0-9]+")?)(?: t="[a-z]+")?><f>(.*?)</f><v\s*/>',
            rf'<c r="{cell}"\1 t="{kind}"><f>\2</f><v>{value}</v>',
            xml,
        )
        assert count == 1, cell
    parts[name] = xml.encode("utf-8")
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b' fullCalcOnLoad="1"', b"")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)


# -- percentages


def _percent(workbook: Any) -> None:
    cell = workbook["inputs"]["C2"]
    cell.value, cell.number_format = 0.12, "0%"  # typed 12% in Excel


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_percentage_cell_in_a_number_column_is_refused(tmp_path: Path, backend: str) -> None:
    # Read as 0.12 before, the negatif capaian was (2 × 10 − 0.12) / 10 × 100 = 198.8 where the
    # office's 12 % gives 80: the most flattering number of the report.
    typed = evaluate(office(tmp_path / "typed"), backend)
    assert str(typed[("miskin", None)]["value"]) == "12"
    error = refusal(office(tmp_path / "percent", _percent), backend)
    assert str(error) == (
        "data.xlsx, sheet 'inputs', row 2, column 'nilai': the cell is formatted as a"
        " percentage: it shows 12% but holds 0.12, and would be read as 0.12; format the cell"
        " as a number and write 12 in it"
    )
    assert (error.row, error.column) == (2, "nilai")


def test_a_percentage_in_an_integer_column_and_with_decimals_is_refused(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        cell = workbook["inputs"]["B2"]
        cell.value, cell.number_format = 20.26, "0.00%"

    folder = office(tmp_path, edit)
    source = next(source for source in load(folder).sources if source.id == "inputs")
    with pytest.raises(DataError, match=r"row 2, column 'tahun': .* shows 2026% but holds 20.26"):
        read_rows(source, folder)


def test_numbers_in_other_formats_read_as_they_are(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        cell = workbook["inputs"]["C2"]
        cell.value, cell.number_format = 12.5, '0.0" %"'  # a quoted % does not scale

    folder = office(tmp_path, edit)
    source = next(source for source in load(folder).sources if source.id == "inputs")
    assert [row["nilai"] for row in read_rows(source, folder)] == [pytest.approx(12.5)]


# -- formulas never computed


def _formula_row(workbook: Any) -> None:
    workbook["reg"].append(['="3601000000000005"', '="Carita"', '="Lansia"', "=DATE(2026,8,1)"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_formula_never_computed_is_refused(tmp_path: Path, backend: str) -> None:
    # Its cells read as empty, row 6 was skipped as a blank row: anak = 2 / 4 × 100 = 50
    # where the fifth person (not Anak) makes it 2 / 5 × 100 = 40.
    error = refusal(office(tmp_path, _formula_row), backend)
    assert str(error) == (
        "data.xlsx, sheet 'reg', row 6, column 'nik': the cell A6 holds a formula whose value"
        " was never computed (the workbook was written by a program that does not calculate),"
        " so it would be read as empty; open the workbook in Excel (or LibreOffice) and save"
        " it, so that the value is computed and kept"
    )
    assert (error.row, error.column) == (6, "nik")


def test_a_formula_in_one_number_cell_is_refused_at_its_cell(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook["inputs"]["C2"] = "=10+2"

    with pytest.raises(DataError, match=r"sheet 'inputs', row 2, column 'nilai': the cell C2"):
        evaluate(office(tmp_path, edit), "python")


@pytest.mark.parametrize("backend", BACKENDS)
def test_formulas_with_their_computed_values_read(tmp_path: Path, backend: str) -> None:
    def dated(workbook: Any) -> None:
        _formula_row(workbook)
        workbook["reg"]["D6"].number_format = "yyyy-mm-dd"

    folder = office(tmp_path, dated)
    cache_values(
        folder / "data.xlsx",
        "reg",
        {
            "A6": ("str", "3601000000000005"),
            "B6": ("str", "Carita"),
            "C6": ("str", "Lansia"),
            "D6": ("n", "46235"),  # 2026-08-01, as Excel counts days
        },
    )
    # five people, two Anak: 2 / 5 × 100 = 40
    assert evaluate(folder, backend)[("persen-anak", None)]["value"] == 40


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_computed_number_reads_as_excel_shows_it(tmp_path: Path, backend: str) -> None:
    # A formula's value is a float, which Excel shows and compares at 15 significant digits.
    # At a budget's size the float's last digits reach the 6 decimals a number keeps:
    # =0.1*3*1E10 is 3,000,000,000 in the sheet, but its float's shortest repr is
    # 3000000000.0000005 (kept as 3000000000.000001), and =123456789012.1*3 is
    # 370,370,367,036.3 in the sheet, 370370367036.30005 in its float.
    # A whole number computed so (=20.26*100, 2026.0000000000002 in its float) is whole.
    def computed(workbook: Any) -> None:
        workbook["inputs"]["B2"] = "=20.26*100"
        workbook["inputs"]["C2"] = "=0.1*3*1E10"
        workbook["inputs"].append(["miskin", 2025, "=123456789012.1*3"])

    folder = office(tmp_path, computed)
    cache_values(
        folder / "data.xlsx",
        "inputs",
        {
            "B2": ("n", repr(20.26 * 100)),
            "C2": ("n", repr(0.1 * 3 * 1e10)),
            "C3": ("n", repr(123456789012.1 * 3)),
        },
    )
    source = next(source for source in load(folder).sources if source.id == "inputs")
    assert [(row["tahun"], row["nilai"]) for row in read_rows(source, folder)] == [
        (2026, Decimal("3000000000")),
        (2025, Decimal("370370367036.3")),
    ]
    # the same on every backend, where 2026's value is evaluated
    miskin = evaluate(folder, backend)[("miskin", None)]
    assert miskin["value"] == Decimal("3000000000")


def test_a_computed_whole_number_in_a_text_column_reads_as_excel_shows_it(tmp_path: Path) -> None:
    # =0.57*100 shows 57 (its float is 56.99999999999999): in a text column, the text "57",
    # as a typed 57 is; a number with decimals there is still refused
    def computed(workbook: Any) -> None:
        workbook["reg"]["C3"] = "=0.57*100"

    folder = office(tmp_path, computed)
    cache_values(folder / "data.xlsx", "reg", {"C3": ("n", repr(0.57 * 100))})
    source = next(source for source in load(folder).sources if source.id == "reg")
    assert [row["kategori"] for row in read_rows(source, folder)] == [
        "Anak",
        "57",
        "Anak",
        "Lansia",
    ]


def test_a_formula_computed_to_empty_text_reads_as_an_empty_cell(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook["inputs"].append(["catatan", 2026, None])
        workbook["inputs"]["A3"] = '=""'

    folder = office(tmp_path, edit)
    cache_values(folder / "data.xlsx", "inputs", {"A3": ("str", "")})
    source = next(source for source in load(folder).sources if source.id == "inputs")
    assert [row["nama"] for row in read_rows(source, folder)] == ["miskin", None]


# -- merged cells


def _merged_date(workbook: Any) -> None:
    workbook["reg"].merge_cells("D2:D3")  # both rows dated 2026-01-10, as the sheet shows


@pytest.mark.parametrize("backend", BACKENDS)
def test_merged_cells_over_the_table_are_refused(tmp_path: Path, backend: str) -> None:
    # Row 3 (Lansia) had no date and dropped out of 2026: anak = 2 / 3 × 100 = 66.67 where the
    # four people the sheet shows give 2 / 4 × 100 = 50.
    error = refusal(office(tmp_path, _merged_date), backend)
    assert str(error) == (
        "data.xlsx, sheet 'reg', row 2, column 'tanggal': the cells D2:D3 are merged: only the"
        " first of them holds the value, the others are read as empty, and their rows would drop"
        " out of their region or period; unmerge them and write the value in each row"
    )
    assert (error.row, error.column) == (2, "tanggal")


def test_a_merged_region_is_refused_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Labuan merged over rows 2-3 left row 3 without a kecamatan: Labuan's anak was
    # 1 / 1 × 100 = 100 instead of 1 / 2 × 100 = 50.
    def edit(workbook: Any) -> None:
        workbook["reg"].merge_cells("B2:B3")

    folder = office(tmp_path, edit)
    status, _ = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--by", "kecamatan"
    )
    assert status == 1
    assert (
        "data.xlsx, sheet 'reg', row 2, column 'kecamatan': the cells B2:B3 are merged"
        in capsys.readouterr().err
    )


def test_merged_header_cells_are_refused(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook["reg"].merge_cells("C1:E1")  # 'kategori' spread over the header of 'tanggal'

    with pytest.raises(DataError, match=r"sheet 'reg', row 1: the cells C1:E1 are merged"):
        evaluate(office(tmp_path, edit), "python")


def test_merged_cells_outside_the_columns_read_are_no_matter(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        sheet = workbook["reg"]
        sheet["F1"] = "keterangan"
        sheet["F2"] = "kunjungan rumah"
        sheet.merge_cells("F2:F5")

    assert evaluate(office(tmp_path, edit), "python")[("persen-anak", None)]["value"] == 50


# -- identifiers typed as numbers


def _collapsed(workbook: Any) -> None:
    # 3601000000000011 and 3601000000000012 typed in a General column: Excel keeps 15 digits
    # and stores 3601000000000010 for both.
    sheet = workbook["reg"]
    sheet["A2"], sheet["A3"] = 3601000000000010, 3601000000000010


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_long_number_in_a_text_column_is_refused(tmp_path: Path, backend: str) -> None:
    # Two people counted as one: anak = 2 / 3 × 100 = 66.67 instead of 2 / 4 × 100 = 50.
    error = refusal(office(tmp_path, _collapsed, nik="text"), backend)
    assert str(error) == (
        "data.xlsx, sheet 'reg', row 2, column 'nik': the cell holds the number"
        " 3601000000000010, of 16 digits: Excel keeps only 15 digits of a number, so the digits"
        " typed after them are lost and two identifiers can become one; format the column as"
        " Text in Excel and type them again"
    )
    assert (error.row, error.column) == (2, "nik")


def test_a_number_of_15_digits_in_a_text_column_reads_as_text(tmp_path: Path) -> None:
    def edit(workbook: Any) -> None:
        workbook["reg"]["A2"] = 360100000000001

    folder = office(tmp_path, edit, nik="text")
    source = next(source for source in load(folder).sources if source.id == "reg")
    assert read_rows(source, folder)[0]["nik"] == "360100000000001"


# -- the import of targets in the workspace


def _targets(edit: Any) -> tuple[list[Any], list[SheetProblem]]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "2026", "2027"])
    sheet.append(["miskin", 9, 8])
    edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return read_targets(buffer.getvalue(), {"miskin": ("Persentase penduduk miskin", {})})


def test_the_target_import_refuses_percentages_and_formulas_never_computed() -> None:
    def edit(sheet: Any) -> None:
        sheet["B2"].value, sheet["B2"].number_format = 0.085, "0.0%"
        sheet["C2"] = "=B2-0.005"

    changes, problems = _targets(edit)
    # Read before as the targets 0.085 and none: a negatif target of 0,085 % instead of 8,5 %.
    assert changes == []
    assert problems == [
        SheetProblem(
            "B2",
            "the cell is formatted as a percentage: it shows 8.5% but holds 0.085, and would be"
            " read as 0.085; format the cell as a number and write 8.5 in it",
        ),
        SheetProblem(
            "C2",
            "the cell C2 holds a formula whose value was never computed (the workbook was"
            " written by a program that does not calculate), so it would be read as empty; open"
            " the workbook in Excel (or LibreOffice) and save it, so that the value is computed"
            " and kept",
        ),
    ]


def test_the_target_import_refuses_a_number_shown_in_thousands() -> None:
    def edit(sheet: Any) -> None:
        sheet["B2"].value, sheet["B2"].number_format = 9000, "#,##0,"  # shows 9

    changes, problems = _targets(edit)
    # Read before as the target 9000 where the sheet shows 9: a target a thousand times over
    assert [problem.cell for problem in problems] == ["B2"]
    assert "shows 9 but holds 9000" in problems[0].message
    assert [change.period for change in changes] == ["2027"]  # 8, shown as it is held


def test_the_target_import_refuses_an_id_it_cannot_read() -> None:
    def edit(sheet: Any) -> None:
        sheet["A2"] = '="miskin"'

    changes, problems = _targets(edit)
    # Read before as an empty id: the row was refused, but for having no indicator id.
    assert changes == []
    assert [problem.cell for problem in problems] == ["A2"]
    assert problems[0].message.startswith("the cell A2 holds a formula whose value was never")
