"""Every number a report shows is the number the engine gives, in the same unit and in the
notation of the report's language: the workbook's text targets, the trend of a year the
report covers only in part, and the raw capaian an office's floor or cap replaced.

The office is tests/fixtures/mini with indicators added under the sub kegiatan
``1.06.04.2.01.0001`` (formula ``realisasi``: the triwulan rows of realisasi.csv, summed).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import add_row, edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import build_report, build_workbook, render_html, render_markdown

SUB_KEGIATAN = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'


def _office(tmp_path: Path, indicators: str, rows: list[str], rules: str = "") -> Path:
    folder = office(tmp_path)
    edit(folder, SUB_KEGIATAN, SUB_KEGIATAN + indicators)
    if rules:
        edit(folder, "[[visi]]", rules + "\n[[visi]]")
    for row in rows:
        add_row(folder, "realisasi.csv", f"1.06.04.2.01.0001,{row}")
    return folder


def _indicator(id: str, unit: str, targets: str, extra: str = "") -> str:
    return f"""
  [[sub_kegiatan.indikator]]
  id = "{id}"
  name = "{id}"
  unit = "{unit}"
  iku = true
  formula = "realisasi"
  targets = {{ {targets} }}
{extra}"""


def _sheet_row(sheet: object, indicator: str, year: int | None = None) -> dict[str, Any]:
    """The cells of the indicator's row (in the trend, of ``year``), by header."""
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    for row in rows[1:]:
        cells = {name: cell for name, cell in zip(header, row, strict=True)}
        if indicator in [cell.value for cell in row] and (
            year is None or year in [cell.value for cell in row]
        ):
            return cells
    raise AssertionError(indicator)


def test_workbook_range_and_threshold_targets_in_the_notation_of_the_language(
    tmp_path: Path,
) -> None:
    # A range target 1000–2000 and a threshold ≤ 1500.5 (Persen, 2 decimals). In Indonesian
    # the Markdown report shows 1.000,00–2.000,00 and ≤ 1.500,50; the workbook, whose
    # numbers Excel shows the reader's way, wrote the text 1,000.00–2,000.00, which in
    # Indonesian reads as one to two.
    folder = _office(
        tmp_path,
        _indicator("rentang", "Persen", '2026 = "1000–2000"', '  polarity = "negatif"\n')
        + _indicator("ambang", "Persen", '2026 = "≤ 1500.5"', '  polarity = "negatif"\n'),
        ["rentang,2026-TW1,Labuan,1500", "ambang,2026-TW1,Labuan,1400"],
    )
    engine = Engine(folder, folder)
    with use_language("id"):
        report = build_report(engine, "2026")
        markdown = render_markdown(report)
        sheet = build_workbook(report)["IKU"]
    assert "| 1.000,00–2.000,00 |" in markdown
    assert "| ≤ 1.500,50 |" in markdown
    assert _sheet_row(sheet, "rentang")["Target"].value == "1.000,00–2.000,00"
    assert _sheet_row(sheet, "ambang")["Target"].value == "≤ 1.500,50"
    with use_language("en"):
        sheet = build_workbook(build_report(engine, "2026"))["IKU"]
    assert _sheet_row(sheet, "rentang")["Target"].value == "1,000.00–2,000.00"


def test_workbook_shows_a_target_with_the_decimals_it_is_written_with(tmp_path: Path) -> None:
    # decimals = 0 and target 92.5: Markdown shows 92.5 (a target is shown as the
    # definitions state it); the workbook's format #,##0 showed 93.
    folder = _office(
        tmp_path,
        _indicator("bulat", "Persen", '2026 = "92.5"', "  decimals = 0\n"),
        ["bulat,2026-TW1,Labuan,90"],
    )
    report = build_report(Engine(folder, folder), "2026")
    assert "| 92.5 | 90 |" in render_markdown(report)
    row = _sheet_row(build_workbook(report)["IKU"], "bulat")
    assert row["Target"].value == 92.5
    assert row["Target"].number_format == "#,##0.0"
    assert row["Realisasi"].number_format == "#,##0"
    trend = _sheet_row(build_workbook(report)["Trend"], "bulat", 2026)
    assert trend["Target"].number_format == "#,##0.0"


def test_trend_of_a_year_in_part_shows_the_target_its_capaian_is_against(tmp_path: Path) -> None:
    # Target 100 Orang for 2026, triwulan targets 10, 20, 30, 40; realisasi 10, 20, 30.
    # Reported for 2026-TW3, the trend's 2026 is the year to TW3: realisasi 10 + 20 + 30 =
    # 60 against 10 + 20 + 30 = 60, capaian 100.00. It showed target 100 beside realisasi 60
    # and capaian 100.00 (60 / 100 would be 60.00); the target shown is 60, and the note
    # gives the year's 100.
    quarters = (
        '  triwulan_targets = { "2026-TW1" = 10, "2026-TW2" = 20, "2026-TW3" = 30,'
        ' "2026-TW4" = 40 }\n'
    )
    folder = _office(
        tmp_path,
        _indicator("orang", "Orang", '2026 = "100"', quarters),
        [f"orang,2026-TW{q},Labuan,{v}" for q, v in ((1, 10), (2, 20), (3, 30))],
    )
    engine = Engine(folder, folder)
    engine_result = engine.evaluate("2026-sd-TW3").get("orang")
    assert (engine_result.value, engine_result.target) == (Decimal(60), Decimal(60))
    report = build_report(engine, "2026-TW3")
    (series,) = [s for s in report.trend if s.indicator_id == "orang"]
    (point,) = [p for p in series.points if p.year == 2026]
    assert (point.target, point.realisasi, point.capaian) == (
        Decimal(60),
        Decimal(60),
        Decimal("100.00"),
    )
    assert "2026-sd-TW3" in point.keterangan and "100" in point.keterangan
    markdown = render_markdown(report)
    assert "| 2026 | 60.00 | 60.00 | 100.00 | Sangat Tinggi |" in markdown
    assert _sheet_row(build_workbook(report)["Trend"], "orang", 2026)["Target"].value == 60.0
    # A whole year's trend keeps the year's target (2026: 100, realisasi 60 + 0 = 60).
    year = build_report(engine, "2026")
    (series,) = [s for s in year.trend if s.indicator_id == "orang"]
    (point,) = [p for p in series.points if p.year == 2026]
    assert (point.target, point.capaian) == (Decimal(100), Decimal("60.00"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "dibatasi paling rendah 0 (nilai asli -56,25)"), ("en", "floored at 0 (raw -56.25)")],
)
def test_raw_capaian_of_a_floor_in_the_notation_of_the_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    # Negative polarity, target 8, realisasi 20.5: (2 × 8 − 20.5) / 8 × 100 = -56.25,
    # floored at 0. In Indonesian the raw value read -56.25 (a '.' groups thousands there).
    folder = _office(
        tmp_path,
        _indicator("turun", "Persen", '2026 = "8"', '  polarity = "negatif"\n'),
        ["turun,2026-TW1,Labuan,20.50"],
        rules="[rules]\nfloor = 0\n",
    )
    with use_language(language):
        result = Engine(folder, folder).evaluate("2026").get("turun")
        assert result.capaian is not None
        assert result.capaian.value == Decimal("0.00")
        assert result.capaian.policy_applied == expected


def test_workbook_cells_show_what_the_report_shows_at_their_decimals(tmp_path: Path) -> None:
    # Realisasi -0.001 % rounds to 0.00 (never -0.00, as Markdown shows it), but the cell
    # held -0.001, which Excel shows as -0.00. Realisasi 1234567890123.005 Juta Rupiah rounds
    # half away from zero to 1,234,567,890,123.01; the cell held the float
    # 1234567890123.0049…, which Excel shows as 1,234,567,890,123.00.
    folder = _office(
        tmp_path,
        _indicator("nol", "Persen", '2026 = "1"')
        + _indicator("rupiah", "Juta Rupiah", '2026 = "1234567890123"'),
        ["nol,2026-TW1,Labuan,-0.0010", "rupiah,2026-TW1,Labuan,1234567890123.0050"],
    )
    edit(folder, 'units = ["Persen",', 'units = ["Juta Rupiah", "Persen",')
    report = build_report(Engine(folder, folder), "2026")
    markdown = render_markdown(report)
    assert "| 1.00 | 0.00 |" in markdown
    assert "| 1,234,567,890,123.00 | 1,234,567,890,123.01 |" in markdown
    sheet = build_workbook(report)["IKU"]
    cell = _sheet_row(sheet, "nol")["Realisasi"]
    assert (cell.value, str(cell.value)) == (0, "0.0")
    assert _sheet_row(sheet, "rupiah")["Realisasi"].value == 1234567890123.01


def test_chart_axis_labels_have_the_decimals_of_their_step(tmp_path: Path) -> None:
    # A Gini ratio: baseline 0.300, realisasi 2026 0.302 (decimals = 3). The axis runs
    # 0.280 to 0.305 in steps of 0.005; with two decimals its labels read 0.28, 0.29 (0.285),
    # 0.29, 0.30 (0.295), 0.30, 0.31 (0.305): each number twice, at different heights.
    folder = _office(
        tmp_path,
        _indicator("gini", "Nilai", '2026 = "0.300"', '  decimals = 3\n  baseline = "0.300"\n'),
        ["gini,2026-TW1,Labuan,0.302"],
    )
    with use_language("en"):
        html = render_html(build_report(Engine(folder, folder), "2026"))
    (svg,) = [part for part in html.split("<figure>") if "gini (Nilai)" in part]
    labels = re.findall(r'text-anchor="end">([^<]*)</text>', svg)
    assert labels == ["0.280", "0.285", "0.290", "0.295", "0.300", "0.305"]
