"""A report as an Excel workbook (openpyxl).

Sheets: ``IKU``; one per programme (titled by its kode and name, at most 31
characters, unique, without the characters Excel forbids); ``Tren`` (each IKU
over the baseline and plan years); ``Penjelasan`` (the explanation of each IKU,
one line per row). Every sheet has one bold, frozen header row and a filter.

A report made before its period was over says so in the first row of every sheet,
above the header and frozen with it; the ``Tren`` sheet marks each year not over in
its ``Jenis`` (``Rencana (sementara)``) and ``Keterangan``, its year and figures
still numbers.

Figures are numbers with number formats (``#,##0.00``; capaian ``#,##0.00"%"``),
not text, so the office can compute with them; a figure that is not available
is an empty cell and the reason is in the ``Keterangan`` column. A range or threshold
target (80–90, ≥ 95) is written as text, and so is a number Excel cannot show as the
report does, one of more than 15 significant digits (Rupiah 1.234.567.890.123.456,
which Excel shows ``…123.460``), with a comment that says so; text stands right, as
numbers do. Column widths follow the longest value (capped; longer text wraps).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped, unused-ignore]
from openpyxl.comments import Comment  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from iku_rules.decimals import round_half_away
from iku_rules.i18n import N_, _, decimal_sign
from iku_rules.model import Target, Threshold
from iku_rules.report.numbers import (
    capaian_decimals,
    number_text,
    realisasi_decimals,
    target_decimals,
    target_text,
)
from iku_rules.report.tables import (
    PROGRAM_HEADER,
    TABLE_HEADER,
    Report,
    Row,
    Table,
)

NUMBER_FORMAT = "#,##0.00"


def number_format(decimals: int) -> str:
    """The Excel number format of a value shown with ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


PERCENT_FORMAT = '#,##0.00"%"'


def percent_format(capaian: Decimal | None) -> str:
    """The number format of a capaian cell: the decimals the capaian table rounded it to
    (:func:`~iku_rules.report.numbers.capaian_decimals`), as its predikat was given for."""
    if capaian is None:
        return PERCENT_FORMAT
    return number_format(capaian_decimals(capaian)) + '"%"'


INTEGER_FORMAT = "0"
EXCEL_DIGITS = 15
"""The significant digits Excel shows of a number (it shows ``0`` for the digits past them)."""
MAX_WIDTH = 60
"""The widest a column gets (in characters); longer text wraps."""
MAX_TEXT_WIDTH = 120
"""The widest the explanation column gets."""
CELL_LIMIT = 32767
"""Excel keeps at most this many characters in a cell."""
SHEET_TITLE_LIMIT = 31
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_RESERVED_TITLES = {"history"}

TREND_HEADER = (
    N_("No"),
    N_("Indicator"),
    N_("Satuan"),
    N_("Year"),
    N_("Kind"),
    N_("Target"),
    N_("Realisasi"),
    N_("Capaian %"),
    N_("Predikat"),
    N_("Notes"),
)
EXPLANATION_HEADER = (N_("Indicator"), N_("Explanation"))
# The headers are English here, shown through _() (Indonesian: Indikator, Tahun, Jenis, …).
_WRAPPED = {
    "Sasaran",
    "Program / Kegiatan / Sub Kegiatan",
    "Indicator",
    "Notes",
}

_PREDIKAT_FILLS = ("C6EFCE", "E2F0D9", "FFF2CC", "FCE4D6", "FFC7CE")
"""Light fills for the predikat bands, best first (green … red)."""
_PROVISIONAL_FILL = PatternFill(fill_type="solid", start_color="FFEBD6", end_color="FFEBD6")
"""The fill of the note that the numbers are provisional, and of the years it concerns."""

Cell = str | int | Decimal | None


def write_excel(report: Report, path: Path | str) -> None:
    """Write the report as an ``.xlsx`` workbook at ``path`` (replacing it; use
    :func:`iku_rules.report.write_report` for a safe, atomic write)."""
    build_workbook(report).save(path)


def build_workbook(report: Report) -> Workbook:
    """The report as an openpyxl workbook."""
    workbook = Workbook()
    workbook.properties.title = _clean(report.title)
    workbook.properties.creator = "iku-rules"
    fills = _predikat_fills(report)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "IKU"
    note = report.provisional_banner
    _table_sheet(sheet, report.iku_table, TABLE_HEADER, fills, program=False, note=note)
    titles = {"iku", "tren", "penjelasan"}
    for table in report.program_tables:
        title = _sheet_title(table, titles)
        sheet = workbook.create_sheet(title)
        _table_sheet(sheet, table, PROGRAM_HEADER, fills, program=True, note=note)
    for table in report.region_tables:  # where the office gives targets per region
        header = (TABLE_HEADER[0], table.name or "", *TABLE_HEADER[2:])
        title = _sheet_title(table, titles)
        _table_sheet(workbook.create_sheet(title), table, header, fills, program=False, note=note)
    _trend_sheet(workbook.create_sheet(_("Trend")), report, fills)
    _explanation_sheet(workbook.create_sheet(_("Explanations")), report)
    return workbook


def _note_row(sheet: Worksheet, note: str | None) -> int:
    """Write ``note`` (why the report's numbers are provisional) in the first row of
    ``sheet``, where no one reads a number before it, and return the row of the header:
    2 under a note, 1 without one."""
    if note is None:
        return 1
    cell = sheet.cell(1, 1, _clean(note))
    cell.data_type = "s"
    cell.font = Font(bold=True, color="7B341E")
    cell.fill = _PROVISIONAL_FILL
    cell.alignment = Alignment(vertical="center")  # not wrapped: it runs across the row
    return 2


def _predikat_fills(report: Report) -> dict[str, PatternFill]:
    bands = [band.label for band in report.predikat_scale]
    fills: dict[str, PatternFill] = {}
    for index, label in enumerate(bands):
        # Spread the palette over the scale: the best band green, the worst red.
        position = round(index * (len(_PREDIKAT_FILLS) - 1) / max(len(bands) - 1, 1))
        colour = _PREDIKAT_FILLS[position]
        fills[label] = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    return fills


def _sheet_title(table: Table, taken: set[str]) -> str:
    """A sheet title for a programme: at most 31 characters, none of ``[]:*?/\\``,
    not starting or ending with an apostrophe, and unique (case-insensitively, as
    Excel compares them)."""
    base = _FORBIDDEN_IN_TITLE.sub("-", _clean(" ".join(table.title.split()))).strip("' ")
    base = base or "Program"
    title = base[:SHEET_TITLE_LIMIT].rstrip("' ")
    number = 1
    while title.casefold() in taken or title.casefold() in _RESERVED_TITLES:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_LIMIT - len(suffix)].rstrip("' ") + suffix
    taken.add(title.casefold())
    return title


def _table_sheet(
    sheet: Worksheet,
    table: Table,
    header: Sequence[str],
    fills: dict[str, PatternFill],
    *,
    program: bool,
    note: str | None = None,
) -> None:
    formats: dict[str, str] = {
        "No": INTEGER_FORMAT,
        "Target": NUMBER_FORMAT,
        "Realisasi": NUMBER_FORMAT,
        "Capaian %": PERCENT_FORMAT,
    }
    rows = [_table_row(row, program) for row in table.rows]
    shown = [
        {
            "Target": _target_format(row.target, row.decimals),
            "Realisasi": number_format(realisasi_decimals(row.realisasi, row.target, row.decimals)),
            "Capaian %": percent_format(row.capaian),
        }
        for row in table.rows
    ]
    top = _note_row(sheet, note)
    _fill(sheet, header, rows, formats, row_formats=shown, top=top)
    predikat_column = header.index("Predikat") + 1
    for index, row in enumerate(table.rows, start=top + 1):
        if row.predikat in fills:
            sheet.cell(index, predikat_column).fill = fills[row.predikat]


def _table_row(row: Row, program: bool) -> list[Cell]:
    sasaran = row.sasaran
    if program:
        sasaran = f"{row.level}: {row.kode + ' ' if row.kode else ''}{row.sasaran}"
    return [
        row.no,
        sasaran,
        row.indikator,
        row.satuan,
        _target(row.target, row.decimals),
        row.realisasi,
        row.capaian,
        row.predikat,
        row.keterangan or None,
    ]


def _target(target: Target | None, decimals: int) -> Cell:
    """A target as a cell: the number, or the range or threshold as text (a cell holds
    one number) in the notation of the language spoken, as the Markdown and HTML reports
    write it (``1.000,00–2.000,00`` in Indonesian: Excel shows the numbers beside it the
    reader's way, and ``1,000.00`` would read there as one)."""
    if isinstance(target, (tuple, Threshold)):
        return target_text(target, decimal_comma=decimal_sign() == ",", decimals=decimals)
    return target


def _target_format(target: Target | None, decimals: int) -> str:
    """The number format of a target cell: the indicator's decimals, or the target's own
    when it is written with more (92.5 shows ``92.5``, not ``93``)."""
    if isinstance(target, Decimal):
        return number_format(target_decimals(target, decimals))
    return number_format(decimals)


def _trend_sheet(sheet: Worksheet, report: Report, fills: dict[str, PatternFill]) -> None:
    rows: list[list[Cell]] = []
    predikat: list[str | None] = []
    provisional: list[bool] = []
    shown: list[dict[str, str]] = []
    for number, series in enumerate(report.trend, start=1):
        for point in series.points:
            kind = _("Baseline") if point.baseline else _("Plan")
            if point.provisional:  # the year stays a number; its kind and note say so
                kind = _("Plan (provisional)")
            shown.append(
                {
                    "Target": _target_format(point.target, point.decimals),
                    "Realisasi": number_format(series.realisasi_decimals(point)),
                    "Capaian %": percent_format(point.capaian),
                }
            )
            note = point.keterangan or None
            rows.append(
                [
                    number,
                    series.indikator,
                    series.satuan,
                    point.year,
                    kind,
                    _target(point.target, point.decimals),
                    point.realisasi,
                    point.capaian,
                    point.predikat,
                    note,
                ]
            )
            predikat.append(point.predikat)
            provisional.append(point.provisional)
    formats = {
        "No": INTEGER_FORMAT,
        "Year": INTEGER_FORMAT,
        "Target": NUMBER_FORMAT,
        "Realisasi": NUMBER_FORMAT,
        "Capaian %": PERCENT_FORMAT,
    }
    top = _note_row(sheet, report.provisional_banner)
    _fill(sheet, TREND_HEADER, rows, formats, row_formats=shown, top=top)
    column = TREND_HEADER.index("Predikat") + 1
    for index, label in enumerate(predikat, start=top + 1):
        if label in fills:
            sheet.cell(index, column).fill = fills[label]
    marked = (TREND_HEADER.index("Year") + 1, TREND_HEADER.index("Kind") + 1)
    for index, mark in enumerate(provisional, start=top + 1):
        for at in marked if mark else ():
            sheet.cell(index, at).fill = _PROVISIONAL_FILL


def _explanation_sheet(sheet: Worksheet, report: Report) -> None:
    rows: list[list[Cell]] = []
    for explained in report.explanations:
        for line in explained.explanation.text().rstrip("\n").split("\n"):
            rows.append([explained.indicator_id, line])
        rows.append([None, None])
    if rows:
        rows.pop()
    top = _note_row(sheet, report.provisional_banner)
    _fill(sheet, EXPLANATION_HEADER, rows, {}, widest=MAX_TEXT_WIDTH, wrap=False, top=top)
    mono = Font(name="Consolas")
    for (text,) in sheet.iter_rows(min_row=top + 1, min_col=2, max_col=2):
        text.font = mono


def _fill(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    formats: dict[str, str],
    *,
    widest: int = MAX_WIDTH,
    wrap: bool = True,
    row_formats: Sequence[dict[str, str]] = (),
    top: int = 1,
) -> None:
    """Write the header (in row ``top``) and the rows under it; style the header, freeze
    it, add a filter and fit the column widths. ``row_formats`` gives a row its own number
    formats (the decimals of its indicator)."""
    bold = Font(bold=True)
    header_fill = PatternFill(fill_type="solid", start_color="D9E1F2", end_color="D9E1F2")
    edge = Border(bottom=Side(style="thin"))
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(top, column, _(name))
        cell.font = bold
        cell.fill = header_fill
        cell.border = edge
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    # Room for the header and the filter button beside it.
    widths = [len(_(name)) + 2 for name in header]
    for number, row in enumerate(rows):
        row_index = top + 1 + number
        for column, value in enumerate(row, start=1):
            name = header[column - 1]
            cell = sheet.cell(row_index, column)
            right = name in formats  # a figure's column: its text stands right too
            if isinstance(value, Decimal):
                own = row_formats[number] if number < len(row_formats) else {}
                cell.number_format = own.get(name) or formats.get(name, NUMBER_FORMAT)
                places = cell.number_format.partition(".")[2].count("0")
                shown = number_text(value, decimals=places)
                digits = significant_digits(value, places)
                if digits > EXCEL_DIGITS:  # as text, every digit as the report shows it
                    shown = number_text(value, decimal_comma=decimal_sign() == ",", decimals=places)
                    cell.value, cell.data_type = shown, "s"
                    cell.comment = Comment(_too_long(digits), "iku-rules")
                else:
                    cell.value = cell_number(value, places)
            elif isinstance(value, int):
                cell.value = value
                cell.number_format = formats.get(name, INTEGER_FORMAT)
                shown = str(value)
            elif isinstance(value, str):
                shown = _clean(value)
                cell.value = shown
                # Text is never a formula, whatever it starts with.
                cell.data_type = "s"
            else:
                continue
            widths[column - 1] = max(widths[column - 1], len(shown))
            if name == "Capaian %":
                widths[column - 1] = max(widths[column - 1], len(shown) + 1)
            if wrap and name in _WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top", horizontal="right" if right else None)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, widest)
    sheet.freeze_panes = f"A{top + 1}"  # the note above the header stays in sight too
    last = get_column_letter(len(header))
    sheet.auto_filter.ref = f"A{top}:{last}{top + len(rows)}"


def significant_digits(value: Decimal, places: int) -> int:
    """The significant digits of ``value`` shown with ``places`` decimals (rounded half away
    from zero; the zeros it ends in not counted: Excel shows those whatever it holds).

    >>> significant_digits(Decimal("1234567890123456"), 2), significant_digits(Decimal("36123456789012"), 2)
    (16, 14)
    >>> significant_digits(Decimal("12345678901234.565"), 2), significant_digits(Decimal("-0.001"), 2)
    (16, 0)
    """
    digits = round_half_away(value, places).as_tuple().digits
    return len("".join(map(str, digits)).strip("0"))


def _too_long(digits: int) -> str:
    return _(
        "Excel shows at most {limit} significant digits of a number and this one has"
        " {digits}: it is written as text, with every digit the report shows"
    ).format(limit=EXCEL_DIGITS, digits=digits)


def cell_number(value: Decimal, places: int) -> float:
    """The float a cell shown with ``places`` decimals holds: ``value``, which keeps every
    digit Excel can hold while its format rounds the display, unless Excel would then show
    another number than the report (rounded half away from zero): a negative value that
    rounds to zero (Excel shows ``-0.00``), or one past 15 significant digits whose float
    rounds the other way (1234567890123.005 is the float 1234567890123.0049…, shown
    ``…123.00``). Those hold the number shown. A number shown with more than 15 significant
    digits no cell can show (:data:`EXCEL_DIGITS`): :func:`_fill` writes it as text.

    >>> cell_number(Decimal("-0.001"), 2), cell_number(Decimal("1234567890123.005"), 2)
    (0.0, 1234567890123.01)
    >>> cell_number(Decimal("90.995"), 2), cell_number(Decimal("-1.5"), 0), cell_number(Decimal("0.001"), 2)
    (90.995, -1.5, 0.001)
    """
    number = float(value)
    wanted = round_half_away(value, places)
    # Excel shows a float by its 15 significant digits, rounded at the format's places.
    excel = round_half_away(Decimal(format(number, ".15g")), places)
    if wanted.is_zero() and number < 0:
        return 0.0
    if excel != wanted:
        return float(wanted)
    return number


def _clean(text: str) -> str:
    """Text Excel can hold: no control characters, at most 32767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > CELL_LIMIT:
        text = text[: CELL_LIMIT - 1] + "…"
    return text
