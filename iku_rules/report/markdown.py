"""A report as Markdown: the IKU table, one table per programme, the trend of each
IKU, and under each IKU the explanation of its value in a fenced block.

Targets and realisasi are shown with the decimals of their indicator (counts without
decimals, other values with two, or as the indicator states), capaian with the decimals
of the capaian table (two), a realisasi beside a threshold or range target with the
decimals that keep it on its side of the bounds; ``decimal_comma=True`` writes them the
Indonesian way (``1.234,56``). A figure that is not available shows ``–`` and the
reason stands in the ``Keterangan`` column. A report whose period was not over when it was
made says so in a quote under its title, and its trend marks each year not over
(``2026 (provisional)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from iku_rules.i18n import _, decimal_sign, numbers_as
from iku_rules.model import Target
from iku_rules.report.numbers import (
    capaian_decimals,
    number_text,
    realisasi_decimals,
    target_text,
)
from iku_rules.report.tables import (
    NUMERIC_COLUMNS,
    PROGRAM_HEADER,
    TABLE_HEADER,
    TREND_HEADER,
    Report,
    Row,
    Table,
    TrendPoint,
    TrendSeries,
)

MISSING = "–"
"""What an empty figure shows."""


def render_markdown(report: Report, *, decimal_comma: bool | None = None) -> str:
    """The whole report as one Markdown document, in the language spoken (``decimal_comma``
    None: the language's decimal sign)."""
    comma = decimal_sign() == "," if decimal_comma is None else decimal_comma
    with numbers_as("id" if comma else "en"):  # the explanations' numbers as the tables'
        return _render(report, _Numbers(comma))


def _render(report: Report, numbers: _Numbers) -> str:
    lines = [f"# {_inline(report.title)}", ""]
    if report.provisional_banner:  # before any number: a period not over is not the period's
        lines += [f"> **{_inline(report.provisional_banner)}**", ""]
    lines.append("- " + _("Regional office: {office}").format(office=_inline(report.office)))
    if report.document:
        lines.append("- " + _("Document: {document}").format(document=_inline(report.document)))
    lines.append("- " + _("Period: {period}").format(period=_inline(report.period_text)))
    scale = ", ".join(_inline(band.text) for band in report.predikat_scale)
    lines += ["- " + _("Predikat of capaian: {scale}").format(scale=scale), ""]

    lines += [f"## {_inline(report.iku_table.title)}", ""]
    lines += _table(TABLE_HEADER, _rows(report.iku_table, numbers))
    lines.append("")

    lines += ["## " + _("Program"), ""]
    if not report.program_tables:
        lines += [_("No programme is defined."), ""]
    for table in report.program_tables:
        lines += [f"### {_inline(table.title)}", ""]
        if table.rows:
            lines += _table(PROGRAM_HEADER, _rows(table, numbers, program=True))
        else:
            lines.append(_("No indicators are defined for this programme."))
        lines.append("")

    for table in report.region_tables:  # where the office gives targets per region
        lines += [f"## {_inline(table.title)}", ""]
        lines += _table(
            (TABLE_HEADER[0], table.name or "", *TABLE_HEADER[2:]), _rows(table, numbers)
        )
        lines.append("")

    lines += ["## " + _("IKU trend"), ""]
    if report.baseline_year is not None:
        lines += [_("Baseline: {year}.").format(year=report.baseline_year), ""]
    for series in report.trend:
        lines += [f"### {_inline(series.indikator)} ({_inline(series.satuan)})", ""]
        lines += _table(TREND_HEADER, _trend_rows(series, numbers))
        lines.append("")

    lines += ["## " + _("IKU explanations"), ""]
    for explained in report.explanations:
        lines += [f"### {_inline(explained.indikator)} [{_inline(explained.indicator_id)}]", ""]
        lines += _fenced(explained.explanation.text())
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


class _Numbers:
    def __init__(self, decimal_comma: bool) -> None:
        self.decimal_comma = decimal_comma

    def number(self, value: Decimal | None, decimals: int = 2) -> str:
        if value is None:
            return MISSING
        return number_text(value, decimal_comma=self.decimal_comma, decimals=decimals)

    def target(self, target: Target | None, decimals: int = 2) -> str:
        if target is None:
            return MISSING
        return target_text(target, decimal_comma=self.decimal_comma, decimals=decimals)

    def capaian(self, value: Decimal | None) -> str:
        """A capaian with the decimals it was rounded to (:func:`capaian_decimals`)."""
        return MISSING if value is None else self.number(value, capaian_decimals(value))

    def realisasi(self, value: Decimal | None, target: Target | None, decimals: int) -> str:
        """A realisasi beside its target (:func:`realisasi_decimals`)."""
        return self.number(value, realisasi_decimals(value, target, decimals))


def _rows(table: Table, numbers: _Numbers, *, program: bool = False) -> list[tuple[str, ...]]:
    return [_row(row, numbers, program) for row in table.rows]


def _row(row: Row, numbers: _Numbers, program: bool) -> tuple[str, ...]:
    sasaran = row.sasaran
    if program:
        sasaran = f"{row.level}: {row.kode + ' ' if row.kode else ''}{row.sasaran}"
    return (
        str(row.no),
        sasaran,
        row.indikator,
        row.satuan,
        numbers.target(row.target, row.decimals),
        numbers.realisasi(row.realisasi, row.target, row.decimals),
        numbers.capaian(row.capaian),
        row.predikat or MISSING,
        row.keterangan,
    )


def _trend_rows(series: TrendSeries, numbers: _Numbers) -> list[tuple[str, ...]]:
    return [_trend_row(point, numbers, series) for point in series.points]


def _trend_row(point: TrendPoint, numbers: _Numbers, series: TrendSeries) -> tuple[str, ...]:
    year = str(point.year) if point.year is not None else ""
    if point.baseline:
        year = (f"{year} (" + _("baseline") + ")").strip()
    elif point.provisional:
        year = _("{year} (provisional)").format(year=year)
    note = point.keterangan
    return (
        year,
        numbers.target(point.target, point.decimals),
        numbers.number(point.realisasi, series.realisasi_decimals(point)),
        numbers.capaian(point.capaian),
        point.predikat or MISSING,
        note,
    )


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    align = ["---:" if name in NUMERIC_COLUMNS else "---" for name in header]
    lines = [_line(tuple(_(name) for name in header)), _line(tuple(align))]
    lines += [_line(tuple(_cell(cell) for cell in row)) for row in rows]
    return lines


def _line(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _inline(text: str) -> str:
    """Text from the definitions or the data made safe for one Markdown line: no line
    breaks, and no raw HTML (a renderer that passes HTML through must not run it)."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    """Text for a table cell: as :func:`_inline`, with ``|`` escaped."""
    return _inline(text).replace("|", "\\|")


def _fenced(text: str) -> list[str]:
    """``text`` in a fenced code block whose fence is longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *text.rstrip("\n").split("\n"), fence]
