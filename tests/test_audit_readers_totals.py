"""A row of totals at the bottom of a register kept in a workbook is refused at its row, on
every backend: its cell sums the cells above it (``=SUM(C2:C3)``, ``=SUBTOTAL(9,…)``, the
total row of an Excel table), so counting it would count those rows twice. A CSV file keeps no formula: there the row is
told by its title (``JUMLAH``) and its numbers, the sums of the rows above it
(``iku_rules.sources.totals_rows``); so is a workbook's row of totals typed as values. The
whole area's row of a realisasi or inputs table is their total by design, and is still
read."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import CASCADE, staff_office

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ["python", "sqlite", "duckdb"]

OFFICE = staff_office("xlsx")


def _computed(path: Path, value: str) -> None:
    """Give every formula of the workbook at ``path`` the computed ``value`` (openpyxl writes
    none), as Excel keeps it when it saves: no longer asking to be recalculated when opened."""
    with zipfile.ZipFile(path) as archive:
        items = [(item, archive.read(item.filename)) for item in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item, data in items:
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb"(<f[^>]*>[^<]*</f>|<f[^>]*/>)<v\s*/>",
                    rb"\1<v>" + value.encode() + b"</v>",
                    data,
                )
                data = re.sub(
                    rb"(<f[^>]*>[^<]*</f>|<f[^>]*/>)<v></v>",
                    rb"\1<v>" + value.encode() + b"</v>",
                    data,
                )
            if item.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            archive.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def _office(tmp_path: Path, rows: list[list[object]], computed: str = "11") -> Path:
    (tmp_path / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["No", "nama", "honor"])
    for row in rows:
        sheet.append(row)
    workbook.save(tmp_path / "staf.xlsx")
    _computed(tmp_path / "staf.xlsx", computed)
    return tmp_path


TOTALS = [
    "=SUM(C2:C3)",
    "=SUM($C$2:$C$3)",
    "=SUBTOTAL(9,C2:C3)",
    "=SUBTOTAL(109,Data!C2:C3)",
    "=AGGREGATE(9,5,C2:C3)",
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("formula", TOTALS)
def test_a_row_summing_the_rows_above_is_refused_at_its_row(
    tmp_path: Path, backend: str, formula: str
) -> None:
    # Ani 5 and Budi 6 make a honor of 11 and 2 pegawai; the JUMLAH row below them, counted,
    # made 22 and 3 in silence.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6], [None, "JUMLAH", formula]])
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 4
    assert "C4" in str(caught.value)
    assert formula in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_total_in_a_column_not_declared_marks_its_row(tmp_path: Path, backend: str) -> None:
    # The JUMLAH row's honor is typed (11), the row numbers above it summed (=SUM(A2:A3)):
    # still a row of totals. Counted, it made 22 and 3 pegawai, not 11 and 2.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6], ["=SUM(A2:A3)", "JUMLAH", 11]], "3")
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 4
    assert "A4" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_formulas_that_total_no_rows_above_still_read(tmp_path: Path, backend: str) -> None:
    # Budi's honor =C2+1 is 11 as computed; a SUM of another column (the row numbers) is a
    # value of its own row. Honor 5 + 11 + 11 = 27, three pegawai.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", "=C2+1"], [3, "Citra", "=SUM(A2:A3)"]])
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("total-honor").value == Decimal("27")
    assert evaluation.get("jumlah-pegawai").value == Decimal("3")


INPUTS = (
    """
[office]
id = "penduduk"
name = "Dinas Penduduk"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "penduduk"
  name = "Jumlah penduduk"
  unit = "Orang"
  formula = "[Jumlah Penduduk]"

[[source]]
id = "penduduk"
kind = "inputs"
format = "xlsx"
path = "penduduk.xlsx"
table = "Data"
regions = { kecamatan = "kecamatan" }
columns = { nama = "text", tahun = "integer", kecamatan = "text", nilai = "integer" }

[[input]]
name = "Jumlah Penduduk"
unit = "Orang"
source = "penduduk"
additive = true
"""
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_area_row_of_an_inputs_table_may_sum_its_regions(tmp_path: Path, backend: str) -> None:
    # The kabupaten's own row (kecamatan empty) is =SUM(D2:D3) of Labuan 100 and Carita 200:
    # their total by design, read once: 300.
    (tmp_path / "definitions.toml").write_text(INPUTS, encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["nama", "tahun", "kecamatan", "nilai"])
    sheet.append(["Jumlah Penduduk", 2026, "Labuan", 100])
    sheet.append(["Jumlah Penduduk", 2026, "Carita", 200])
    sheet.append(["Jumlah Penduduk", 2026, None, "=SUM(D2:D3)"])
    workbook.save(tmp_path / "penduduk.xlsx")
    _computed(tmp_path / "penduduk.xlsx", "300")
    evaluation = Engine(tmp_path, tmp_path, backend=backend).evaluate("2026")
    assert evaluation.get("penduduk").value == Decimal("300")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_csv_row_of_totals_in_a_register_without_dates_is_refused(
    tmp_path: Path, backend: str
) -> None:
    # Ani 5 + Budi 6 = 11 honor, 2 pegawai; the JUMLAH row repeats their total. Counted, it
    # made 22 and 3 pegawai (the CSV keeps no formula to tell it by): its title and its
    # numbers, the sums of the two rows above it, tell it.
    text = OFFICE.replace('format = "xlsx"', 'format = "csv"').replace("staf.xlsx", "staf.csv")
    (tmp_path / "definitions.toml").write_text(text.replace('table = "Data"\n', ""))
    (tmp_path / "staf.csv").write_text("No,nama,honor\n1,Ani,5\n2,Budi,6\n,JUMLAH,11\n")
    with pytest.raises(DataError) as caught:
        Engine(tmp_path, tmp_path, backend=backend).evaluate("2026")
    assert caught.value.row == 4
    assert "JUMLAH" in str(caught.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_typed_row_of_totals_in_a_workbook_register_is_refused(
    tmp_path: Path, backend: str
) -> None:
    # The JUMLAH row's 11 is typed, not a formula (a sheet pasted as values): 5 + 6 = 11,
    # so it is a row of totals all the same; counted it made 22 and 3 pegawai.
    folder = _office(tmp_path, [[1, "Ani", 5], [2, "Budi", 6], [None, "JUMLAH", 11]])
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 4
    assert "JUMLAH" in str(caught.value)
