"""A report made before its period is over says, in every format, that its numbers are
provisional: under its title, and at each year of its trend that was not over.

The small office (tests/fixtures/mini): the IKU ``iku-tertangani`` counts 3 PMKS served of 5
in 2026, 3 / 5 × 100 = 60 %, against a target of 40: capaian 60 / 40 × 100 = 150.00,
Sangat Tinggi; 2025 has 50 % and no target. Made on 6 December 2026, the report of 2026
counts eleven months and a few days of the year: the same numbers, marked provisional.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from helpers import MINI, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import Report, build_report, render_html, render_markdown, write_report

BEFORE_THE_END = date(2026, 12, 6)
AFTER_THE_END = date(2027, 1, 15)
NOTE = (
    "provisional: the period 2026 has not ended on 6 December 2026 (it ends on 31 December"
    " 2026); its values and capaian can still change"
)
BANNER = "P" + NOTE[1:]
INDONESIAN_BANNER = (
    "Sementara: periode 2026 belum berakhir pada 6 Desember 2026 (berakhir pada 31 Desember"
    " 2026); nilai dan capaiannya masih dapat berubah"
)


def report_as_on(day: date, period: str = "2026") -> Report:
    with use_language("en"):
        return build_report(Engine(MINI, MINI, today=day), period)


@pytest.fixture(scope="module")
def provisional() -> Report:
    return report_as_on(BEFORE_THE_END)


@pytest.fixture(scope="module")
def final() -> Report:
    return report_as_on(AFTER_THE_END)


def english(render: Callable[[Report], str], report: Report) -> str:
    with use_language("en"):
        return render(report)


# -- the report as data


def test_the_report_knows_it_is_provisional(provisional: Report) -> None:
    assert provisional.provisional
    assert provisional.today == BEFORE_THE_END
    assert provisional.provisional_note == NOTE
    assert provisional.provisional_banner == BANNER
    # the numbers themselves are the data's: 3 of 5 = 60 %, 60 / 40 × 100 = 150.00
    (row,) = provisional.iku_table.rows
    assert (row.realisasi, row.capaian) == (Decimal(60), Decimal("150.00"))


def test_the_trend_marks_the_year_not_over_and_not_the_year_before(provisional: Report) -> None:
    (series,) = provisional.trend
    y2025, y2026, y2027 = series.points
    assert (y2025.year, y2025.provisional, y2025.provisional_note) == (2025, False, None)
    assert (y2026.year, y2026.provisional, y2026.provisional_note) == (2026, True, NOTE)
    assert y2026.notes[0] == NOTE  # the first thing its Keterangan says
    assert (y2026.realisasi, y2026.capaian) == (Decimal(60), Decimal("150.00"))
    assert not y2027.provisional  # after the report's period: never evaluated
    assert series.provisional


def test_each_year_of_the_trend_is_marked_by_its_own_evaluation() -> None:
    # A report of 2027 made on 6 December 2026: 2027 has not begun, 2026 has not ended,
    # 2025 is over.
    report = report_as_on(BEFORE_THE_END, "2027")
    assert report.provisional_note == (
        "provisional: the period 2027 has not begun on 6 December 2026 (it begins on"
        " 1 January 2027); its values and capaian can still change"
    )
    marked = [(p.year, p.provisional) for p in report.trend[0].points]
    assert marked == [(2025, False), (2026, True), (2027, True)]


def test_a_triwulan_over_is_not_provisional_though_its_year_is_not_over() -> None:
    # 2026-sd-TW3 ended on 30 September 2026: its numbers, and the trend's 2026 up to TW3,
    # are final on 6 December 2026.
    report = report_as_on(BEFORE_THE_END, "2026-sd-TW3")
    assert not report.provisional and report.provisional_note is None
    assert not any(point.provisional for point in report.trend[0].points)
    # 2026-TW4 ends on 31 December 2026: provisional, and so is the trend's 2026 up to TW4.
    report = report_as_on(BEFORE_THE_END, "2026-TW4")
    assert report.provisional
    assert [(p.year, p.provisional) for p in report.trend[0].points] == [
        (2025, False),
        (2026, True),
        (2027, False),
    ]


def test_a_report_made_after_its_period_is_unchanged(final: Report, tmp_path: Path) -> None:
    assert not final.provisional and final.provisional_note is None
    assert final.provisional_banner is None and final.today == AFTER_THE_END
    assert not any(point.provisional for point in final.trend[0].points)
    pinned = report_as_on(date(2100, 1, 1))  # as every other test makes it
    for render in (render_markdown, render_html):
        assert english(render, final) == english(render, pinned)
    page = english(render_html, final)
    assert "rovisional" not in english(render_markdown, final)
    assert "rovisional" not in page[page.index("<body>") :]  # only in the style
    path = tmp_path / "laporan.xlsx"
    write_report(final, path, "xlsx", replace=False)
    for sheet in openpyxl.load_workbook(path).worksheets:  # the header first, as ever
        assert sheet["A1"].value in ("No", "Indicator") and sheet.freeze_panes == "A2"


# -- Markdown


def test_markdown_says_it_under_the_title(provisional: Report) -> None:
    lines = english(render_markdown, provisional).splitlines()
    assert lines[0] == "# Performance Report of Dinas Mini — 2026"
    assert lines[1:4] == ["", f"> **{BANNER}**", ""]
    assert f"| 2026 (provisional) | 40.00 | 60.00 | 150.00 | Sangat Tinggi | {NOTE} |" in lines
    # 2025 is over: its one service row, 1 July 2025, is 183 days before its end
    assert (
        "| 2025 | – | 50.00 | – | – | layanan's data end on 1 July 2025, 183 days before the"
        " period's end; capaian not available: there is no target for 2025 |"
    ) in lines


# -- HTML


def test_html_says_it_under_the_title(provisional: Report) -> None:
    page = english(render_html, provisional)
    note = f'<p class="provisional" role="note"><strong>{BANNER}</strong></p>'
    assert page.count(note) == 1
    assert page.index("<h1>") < page.index(note) < page.index("</header>")
    # styled for the screen and kept on paper
    style = page[page.index("<style>") : page.index("</style>")]
    assert "header.page p.provisional {" in style
    assert "p.provisional" in style[style.index("@media print") :]


def test_html_chart_and_trend_table_mark_the_year_not_over(provisional: Report) -> None:
    page = english(render_html, provisional)
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    open_markers = re.findall(r'<circle class="dot-realisasi open" cx[^>]*><title>([^<]*)<', chart)
    assert open_markers == ["2026 (provisional): realisasi 60.00, capaian 150.00 %"]
    filled = re.findall(r'<circle class="dot-realisasi" cx[^>]*><title>([^<]*)<', chart)
    assert filled == ["2025: realisasi 50.00"]
    # the legend names the open marker, the axis the year
    assert re.search(r'<circle class="dot-realisasi open" cx="[\d.]+" cy="16" r="4.5"/>', chart)
    assert ">provisional</text>" in chart
    assert "2026 (provisional): target 40.00, realisasi 60.00" in chart  # its description
    start = page.index('<table class="trend">')
    table = page[start : page.index("</table>", start)]
    assert '<tr class="provisional"><td class="num">2026 (provisional)</td>' in table
    assert '<tr><td class="num">2025</td>' in table


# -- the workbook


def test_every_sheet_says_it_above_its_numbers(provisional: Report, tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    with use_language("en"):
        write_report(provisional, path, "xlsx", replace=False)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "IKU", "1.06.04 Program Rehabilitasi So", "Trend", "Explanations"
    ]  # fmt: skip
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == BANNER, sheet.title
        assert sheet["A1"].font.b
        assert sheet.freeze_panes == "A3"  # the note and the header stay in sight
        assert all(cell.font.b for cell in sheet[2]), sheet.title
        assert sheet.auto_filter.ref.startswith("A2:")
    iku = workbook["IKU"]
    assert [cell.value for cell in iku[2]][4:7] == ["Target", "Realisasi", "Capaian %"]
    for cell, expected in zip(iku[3][4:7], (40, 60, 150), strict=True):
        assert cell.data_type == "n" and cell.value == expected  # still numbers


def test_the_trend_sheet_marks_the_year_not_over(provisional: Report, tmp_path: Path) -> None:
    path = tmp_path / "laporan.xlsx"
    with use_language("en"):
        write_report(provisional, path, "xlsx", replace=False)
    trend = openpyxl.load_workbook(path)["Trend"]
    header = [cell.value for cell in trend[2]]
    rows = [dict(zip(header, row, strict=True)) for row in trend.iter_rows(3, values_only=True)]
    assert [(row["Year"], row["Kind"]) for row in rows] == [
        (2025, "Plan"),
        (2026, "Plan (provisional)"),
        (2027, "Plan"),
    ]
    y2026 = rows[1]
    assert (y2026["Target"], y2026["Realisasi"], y2026["Capaian %"]) == (40, 60, 150)
    assert y2026["Notes"].startswith(NOTE)
    year = trend.cell(4, header.index("Year") + 1)
    assert year.data_type == "n" and year.fill.fgColor.rgb.endswith("FFEBD6")
    assert trend.cell(3, header.index("Year") + 1).fill.fill_type is None


# -- the command


@pytest.mark.parametrize("kind", ["html", "md", "xlsx"])
def test_iku_report_as_on_a_day(kind: str, tmp_path: Path) -> None:
    made = tmp_path / f"x.{kind}"
    status, _ = run(
        "report", str(MINI), "--data", str(MINI), "--period", "2026",
        "--today", "2026-12-06", "-o", str(made), "--lang", "en",
    )  # fmt: skip
    assert status == 0
    after = tmp_path / f"after.{kind}"
    status, _ = run(
        "report", str(MINI), "--data", str(MINI), "--period", "2026",
        "--today", "2027-01-15", "-o", str(after), "--lang", "en",
    )  # fmt: skip
    assert status == 0
    if kind == "xlsx":
        assert openpyxl.load_workbook(made)["IKU"]["A1"].value == BANNER
        assert openpyxl.load_workbook(after)["IKU"]["A1"].value == "No"
        return
    text = made.read_text(encoding="utf-8")
    assert BANNER in text and "2026 (provisional)" in text
    assert "rovisional:" not in after.read_text(encoding="utf-8")


def test_iku_report_in_indonesian(tmp_path: Path) -> None:
    made = tmp_path / "x.md"
    status, _ = run(
        "report", str(MINI), "--data", str(MINI), "--period", "2026",
        "--today", "2026-12-06", "-o", str(made), "--lang", "id",
    )  # fmt: skip
    assert status == 0
    assert made.read_text(encoding="utf-8").splitlines()[2] == f"> **{INDONESIAN_BANNER}**"
