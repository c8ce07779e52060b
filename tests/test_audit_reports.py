"""An audit of the numbers the reports show (Markdown, HTML, its chart, the Excel workbook)
against the evaluation and against numbers worked by hand: a count that is not whole, a
baseline written with more decimals than its indicator shows, a Rupiah amount of more
digits than Excel shows, the chart's value axis for large amounts, and the predikat legend
in the notation of the language.

The office is tests/fixtures/mini with indicators added under the sub kegiatan
``1.06.04.2.01.0001`` (formula ``realisasi``: the triwulan rows of realisasi.csv, summed).
"""

from __future__ import annotations

import html
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import add_row, edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import build_report, build_workbook, render_html, render_markdown
from iku_rules.rules.tables import PACKAGE, RuleTables

SUB_KEGIATAN = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'


def _office(tmp_path: Path, indicators: str, rows: list[str], units: str = "") -> Path:
    folder = office(tmp_path)
    edit(folder, SUB_KEGIATAN, SUB_KEGIATAN + indicators)
    if units:
        edit(folder, 'units = ["Persen",', f'units = [{units}, "Persen",')
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


def _sheet_row(sheet: Any, indicator: str, year: int | None = None) -> dict[str, Any]:
    """The cells of the indicator's row (in the trend, of ``year``; None: the baseline)."""
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    for row in rows[1:]:
        cells = dict(zip(header, row, strict=True))
        values = [cell.value for cell in row]
        if indicator in values and ("Year" not in cells or cells["Year"].value == year):
            return cells
    raise AssertionError(indicator)


def _chart(page: str, indicator: str) -> str:
    (svg,) = [part for part in page.split("<figure>") if f"<figcaption>{indicator} (" in part]
    return html.unescape(svg.split("</svg>")[0])


def test_a_count_that_is_not_whole_is_never_shown_as_a_whole_number(tmp_path: Path) -> None:
    # Dokumen counts one by one, so reports show it without decimals. A formula's average
    # of a count need not be whole: 10 documents over 4 triwulan = 2.5 Dokumen, against a
    # target of 3: capaian 2.5 / 3 × 100 = 83.33 (Tinggi). Every report showed the
    # realisasi as 3 (2.5 rounded half away from zero), beside the target 3 and a capaian
    # of 83.33; it is shown 2.50, with the decimals of every other value (the target 3.00).
    folder = _office(
        tmp_path,
        """
  [[sub_kegiatan.indikator]]
  id = "rata-dokumen"
  name = "rata-dokumen"
  unit = "Dokumen"
  iku = true
  formula = "[Dokumen disusun] / 4"
  targets = { 2026 = "3" }

[[input]]
name = "Dokumen disusun"
unit = "Dokumen"
""",
        [],
        units='"Dokumen"',
    )
    add_row(folder, "inputs.csv", "Dokumen disusun,2026,10")
    engine = Engine(folder, folder)
    result = engine.evaluate("2026").get("rata-dokumen")
    assert result.capaian is not None
    assert (result.value, result.capaian.value, result.predikat) == (
        Decimal("2.5"),
        Decimal("83.33"),
        "Tinggi",
    )
    with use_language("en"):
        report = build_report(engine, "2026")
        markdown = render_markdown(report)
        page = render_html(report)
        workbook = build_workbook(report)
    assert "| rata-dokumen | Dokumen | 3.00 | 2.50 | 83.33 | Tinggi |" in markdown
    assert "| 2026 | 3.00 | 2.50 | 83.33 | Tinggi |" in markdown  # the trend
    cells = '<td class="num">3.00</td><td class="num">2.50</td><td class="num">83.33</td>'
    assert page.count(cells) == 3  # the IKU table, the programme's and the trend's
    assert "realisasi 2.50 Dokumen · target 3.00 · capaian 83.33 %" in page  # the tree
    assert "2026: realisasi 2.50, capaian 83.33 %" in _chart(page, "rata-dokumen")
    for sheet, year in ((workbook["IKU"], None), (workbook["Trend"], 2026)):
        row = _sheet_row(sheet, "rata-dokumen", year)
        assert (row["Realisasi"].value, row["Realisasi"].number_format) == (2.5, "#,##0.00")
        assert (row["Target"].value, row["Target"].number_format) == (3, "#,##0.00")


def test_a_whole_count_keeps_no_decimals(tmp_path: Path) -> None:
    # The same indicator at 12 documents: 12 / 4 = 3 Dokumen, capaian 100.00; a count that
    # is whole is shown as counts are, 3.
    folder = _office(
        tmp_path,
        """
  [[sub_kegiatan.indikator]]
  id = "rata-dokumen"
  name = "rata-dokumen"
  unit = "Dokumen"
  iku = true
  formula = "[Dokumen disusun] / 4"
  targets = { 2026 = "3" }

[[input]]
name = "Dokumen disusun"
unit = "Dokumen"
""",
        [],
        units='"Dokumen"',
    )
    add_row(folder, "inputs.csv", "Dokumen disusun,2026,12")
    with use_language("en"):
        markdown = render_markdown(build_report(Engine(folder, folder), "2026"))
    assert "| rata-dokumen | Dokumen | 3 | 3 | 100.00 | Sangat Tinggi |" in markdown


def test_a_baseline_is_shown_as_the_definitions_state_it(tmp_path: Path) -> None:
    # decimals = 0 and baseline 92.5: a baseline is a number the document states, as a
    # target is, and a target 92.5 is shown 92.5. The trend showed the baseline 93 (the
    # workbook: 92.5 under the format #,##0, which Excel shows 93).
    folder = _office(
        tmp_path,
        _indicator("dasar", "Persen", '2026 = "93"', '  decimals = 0\n  baseline = "92.5"\n'),
        ["dasar,2026-TW1,Labuan,93"],
    )
    with use_language("en"):
        report = build_report(Engine(folder, folder), "2026")
        markdown = render_markdown(report)
        page = render_html(report)
        workbook = build_workbook(report)
    assert "| (baseline) | – | 92.5 | – | – |  |" in markdown
    assert "| 2026 | 93 | 93 | 100.00 | Sangat Tinggi |" in markdown  # a year keeps 0 decimals
    assert '<td class="num">baseline</td><td class="num">–</td><td class="num">92.5</td>' in page
    chart = _chart(page, "dasar")
    assert "baseline: realisasi 92.5" in chart and "baseline: target –, realisasi 92.5" in chart
    row = _sheet_row(workbook["Trend"], "dasar", None)
    assert (row["Realisasi"].value, row["Realisasi"].number_format) == (92.5, "#,##0.0")


@pytest.mark.parametrize(
    ("language", "sixteen", "fifteen"),
    [
        ("en", "1,234,567,890,123,456.00", "12,345,678,901,234.56"),
        ("id", "1.234.567.890.123.456,00", "12.345.678.901.234,56"),
    ],
)
def test_workbook_writes_a_number_excel_cannot_show_as_text(
    tmp_path: Path, language: str, sixteen: str, fifteen: str
) -> None:
    # Excel shows 15 significant digits of a number and zeros past them. Rupiah
    # 1234567890123456 (shown with 2 decimals: 16 significant digits) was the float
    # 1234567890123456.0, which Excel shows as 1,234,567,890,123,460.00 where the Markdown
    # report says …456.00; Rupiah 12345678901234.56 (16 digits) Excel shows as
    # 12,345,678,901,234.60. Both are written as text, with every digit and a comment;
    # 1234567890123.45 (15 digits) and the target 1000000000000000 (1 digit) stay numbers.
    folder = _office(
        tmp_path,
        _indicator("enam-belas", "Rupiah", '2026 = "1000000000000000"')
        + _indicator("lima-belas", "Rupiah", '2026 = "1000000000000"')
        + _indicator("sen", "Rupiah", '2026 = "10000000000000"'),
        [
            "enam-belas,2026-TW1,Labuan,1234567890123456",
            "lima-belas,2026-TW1,Labuan,1234567890123.45",
            "sen,2026-TW1,Labuan,12345678901234.56",
        ],
        units='"Rupiah"',
    )
    with use_language(language):
        report = build_report(Engine(folder, folder), "2026")
        markdown = render_markdown(report)
        sheet = build_workbook(report)["IKU"]
    for id, shown in (("enam-belas", sixteen), ("sen", fifteen)):
        assert f"| {shown} |" in markdown
        cell = _sheet_row(sheet, id)["Realisasi"]
        assert (cell.value, cell.data_type) == (shown, "s"), id
        assert cell.alignment.horizontal == "right"
        assert cell.comment is not None and "16" in cell.comment.text
    cell = _sheet_row(sheet, "lima-belas")["Realisasi"]
    assert (cell.value, cell.data_type, cell.comment) == (1234567890123.45, "n", None)
    target = _sheet_row(sheet, "enam-belas")["Target"]
    assert (target.value, target.data_type) == (1000000000000000, "n")


DEJAVU_DIGIT = 1303 / 2048 * 12
"""How wide a digit is in DejaVu Sans at 12px (its advance of 1303 in 2048 units per em),
the widest of the fonts a chart's text falls back to; ``,`` and ``.`` are half as wide."""


def test_chart_axis_labels_of_large_amounts_fit_in_the_chart(tmp_path: Path) -> None:
    # Rupiah 2,000,000,000 against a target of 2,500,000,000: the axis runs from
    # 1,600,000,000 to 2,600,000,000 in steps of 200,000,000. A label of 13 characters is
    # 10 × 7.64 + 3 × 3.82 = 87.8 wide; written to end at x = 58 it started at -29.8, cut
    # by the chart's edge: 2,600,000,000 read as 00,000,000. Each label must start right
    # of the satuan written up the side (x below 17).
    folder = _office(
        tmp_path,
        _indicator("pad", "Rupiah", '2026 = "2500000000"'),
        ["pad,2026-TW1,Labuan,2000000000"],
        units='"Rupiah"',
    )
    with use_language("en"):
        chart = _chart(render_html(build_report(Engine(folder, folder), "2026")), "pad")
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end">([^<]*)</text>', chart)
    assert [label for _x, label in labels] == [
        f"{n // 10},{n % 10}00,000,000" for n in range(16, 27, 2)
    ]
    for x, label in labels:
        width = sum(DEJAVU_DIGIT / 2 if char in ",." else DEJAVU_DIGIT for char in label)
        assert float(x) - width >= 17, (label, x)
    (axis,) = re.findall(r'<line class="axis" x1="(\d+)" y1="36"', chart)
    assert float(axis) == float(labels[0][0]) + 6  # the plot starts right of its labels


def test_legend_writes_the_bounds_of_the_predikat_in_the_notation_of_the_language(
    tmp_path: Path,
) -> None:
    # A capaian table of 3 decimals whose top band starts at 90.995: in an Indonesian
    # report the legend read "Sangat Tinggi (≥ 90.995)", in Indonesian ninety thousand nine
    # hundred and ninety-five; it reads "≥ 90,995", as every other number of the report.
    tables = tmp_path / "tables"
    shutil.copytree(PACKAGE / "rule_tables", tables)
    capaian_toml = tables / "capaian.toml"
    text = capaian_toml.read_text(encoding="utf-8")
    capaian_toml.write_text(text.replace("\ndecimals = 2\n", "\ndecimals = 3\n"), encoding="utf-8")
    predikat_toml = tables / "predikat.toml"
    text = predikat_toml.read_text(encoding="utf-8")
    old = '{ label = "Sangat Tinggi", min = 91, min_inclusive = true }'
    assert old in text
    predikat_toml.write_text(text.replace(old, old.replace("91", "90.995")), encoding="utf-8")
    folder = _office(tmp_path, "", [])
    engine = Engine(folder, folder)
    engine.rule_tables = RuleTables.load(tables)
    with use_language("id"):
        report = build_report(engine, "2026")
        markdown = render_markdown(report)
        page = render_html(report)
    assert "Sangat Tinggi (≥ 90,995), Tinggi (≥ 76)" in markdown
    assert "Sangat Tinggi (≥ 90,995)</li>" in page
    assert "90.995" not in markdown
    with use_language("en"):
        assert "Sangat Tinggi (≥ 90.995)" in render_markdown(build_report(engine, "2026"))
