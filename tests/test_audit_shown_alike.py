"""One number shown alike in every view of a report: a count of 3 is ``3`` in the IKU table
and in the trend (its table, its chart, its Excel sheet), never ``3.00`` in the trend because
another year's value (2.5, an average of counts) is not whole. Every expected number is
computed by hand."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import CASCADE, run
from openpyxl import load_workbook

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

"""

INDICATOR = """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani per bulan"
  unit = "Orang"
  iku = true
  formula = "[Layanan] / [Bulan]"
  baseline = 2
  targets = { 2025 = 3, 2026 = 3 }

[[source]]
id = "inputs"
kind = "inputs"
format = "csv"
path = "inputs.csv"
columns = { nama = "text", tahun = "integer", nilai = "decimal" }

[[input]]
name = "Layanan"
source = "inputs"
unit = "Orang"

[[input]]
name = "Bulan"
source = "inputs"
"""


def _report(tmp_path: Path, form: str) -> Path:
    folder = tmp_path / "office"
    if not folder.exists():
        folder.mkdir()
        (folder / "definitions.toml").write_text(OFFICE + CASCADE + INDICATOR, encoding="utf-8")
        # 2025: 30 / 12 = 2.5 against 3, 83.33; 2026: 36 / 12 = 3 against 3, 100.00
        (folder / "inputs.csv").write_text(
            "nama,tahun,nilai\nLayanan,2025,30\nBulan,2025,12\nLayanan,2026,36\nBulan,2026,12\n",
            encoding="utf-8",
        )
    out = tmp_path / f"lkjip.{form}"
    status, said = run("--lang", "en", "report", str(folder), "--data", str(folder), "--period",
                       "2026", "--format", form, "-o", str(out), "--today", "2027-01-15")  # fmt: skip
    assert status == 0, said
    return out


def test_a_whole_count_is_shown_alike_in_the_table_and_the_trend(tmp_path: Path) -> None:
    markdown = _report(tmp_path, "md").read_text(encoding="utf-8")
    # the IKU table: 3 against 3, capaian 3 / 3 × 100 = 100.00
    assert (
        "| 1 | Sasaran | Orang dilayani per bulan | Orang | 3 | 3 | 100.00 | Sangat Tinggi |"
        in (markdown)
    )
    # the trend: 2026 as the table shows it (it was 3.00 and 3.00); 2025's 2.5 with the two
    # decimals its own report shows (3.00, 2.50, 83.33); the baseline as written, 2 (not 2.00)
    assert "| 2026 | 3 | 3 | 100.00 | Sangat Tinggi |" in markdown
    assert "| 2025 | 3.00 | 2.50 | 83.33 | Tinggi |" in markdown
    assert "| (baseline) | – | 2 | – | – |" in markdown
    page = _report(tmp_path, "html").read_text(encoding="utf-8")
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert "2026: realisasi 3, capaian 100.00 %" in titles
    assert "2026: target 3" in titles
    sheet = load_workbook(_report(tmp_path, "xlsx"))["Trend"]
    formats = {
        row[3].value: (row[5].number_format, row[6].number_format)
        for row in sheet.iter_rows(min_row=2)
        if isinstance(row[3].value, int)
    }
    assert formats[2026] == ("#,##0", "#,##0")
    assert formats[2025] == ("#,##0.00", "#,##0.00")
