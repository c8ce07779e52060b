"""A workbook's date at the very end of a day (31 December 2026 at 23:59:59.999999, as a
program writes the end of a day: the serial 46387.99999999999) is read in that day. openpyxl
rounds a serial's time to the millisecond, into 1 January 2027 at 00:00: the record counted
in 2027 and not in 2026, without a word. Excel takes the day of the serial whole (=INT,
=YEAR): 31 December 2026.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from helpers import CASCADE

from iku_rules.engine import Engine
from iku_rules.i18n import use_language

OFFICE = (
    """
[office]
id = "layanan"
name = "Dinas Layanan"
plan_start = 2025
plan_end = 2028
units = ["Nilai", "Layanan"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-honor"
  name = "Jumlah honor"
  unit = "Nilai"
  formula = "Σ [Honor]"

  [[sasaran.indikator]]
  id = "jumlah-layanan"
  name = "Jumlah layanan"
  unit = "Layanan"
  formula = "Σ [Banyak Layanan]"

[[source]]
id = "log"
kind = "register"
format = "xlsx"
path = "log.xlsx"
date_column = "tanggal"
time = "flow"
columns = { nama = "text", honor = "decimal", tanggal = "date" }

[[measure]]
name = "Honor"
source = "log"
aggregate = "sum"
column = "honor"

[[measure]]
name = "Banyak Layanan"
source = "log"
aggregate = "count"
"""
)


def _office(folder: Path, rows: list[list[object]]) -> Path:
    (folder / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "log"
    sheet.append(["no", "nama", "honor", "tanggal"])
    for row in rows:
        sheet.append(row)
    workbook.save(folder / "log.xlsx")
    return folder


def evaluate(folder: Path, backend: str, period: str) -> tuple[str, str]:
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate(period)
    return str(evaluation.get("total-honor").value), str(evaluation.get("jumlah-layanan").value)


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_date_at_the_end_of_the_year_counts_in_its_year(tmp_path: Path, backend: str) -> None:
    # Ani at 31 December 2026 23:59:59.999999 and Budi on 30 December 2026: 2026 holds both,
    # 5 + 6 = 11 honor in 2 services; 2027 holds none. Rounded into 2027, 2026 had 6 and 1
    # service, 2027 had 5 and 1.
    folder = _office(
        tmp_path,
        [
            [1, "Ani", 5, dt.datetime(2026, 12, 31, 23, 59, 59, 999999)],
            [2, "Budi", 6, dt.datetime(2026, 12, 30, 10, 0)],
            [3, "Citra", 4, dt.datetime(2027, 1, 1)],  # midnight itself: 2027
        ],
    )
    assert evaluate(folder, backend, "2026") == ("11", "2")
    assert evaluate(folder, backend, "2027") == ("4", "1")  # Citra's alone


def test_a_serial_rounded_into_the_next_day_is_its_own_day(tmp_path: Path) -> None:
    # 46387.9999999999 is 31 December 2026 at 23:59:59.99999 (openpyxl: 1 January 2027);
    # 46387.99999 is 23:59:59.136, which openpyxl reads right. Both count in 2026: 5 + 6.
    folder = _office(tmp_path, [[1, "Ani", 5, 46387.9999999999], [2, "Budi", 6, 46387.99999]])
    workbook = openpyxl.load_workbook(folder / "log.xlsx")
    for (cell,) in workbook["log"].iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    workbook.save(folder / "log.xlsx")
    assert evaluate(folder, "python", "2026") == ("11", "2")
