"""Excel cells that hold what Excel made of what was typed rather than what was typed.

Excel reads what is typed in a General cell as a number, a date or a time when it can: an
age group ``5-9`` becomes the 5th of September, a code ``2.10`` the number 2.1, ``1E5`` the
number 100000; and a logical cell shows TRUE or BENAR by Excel's language. In a ``text``
column such a cell cannot be read back as typed or as shown, so it is refused
(:func:`in_text`), but for a whole number that a format like ``0000`` shows with its leading
zeros, which reads as shown (:func:`padded`). An Excel set to read dates month first
(English, United States) that is typed dates day first keeps the dates it can read with day
and month swapped and the others (``13/02/2026``) as text: a ``date`` column holding both is
refused (:class:`DayFirst`) when it holds no date Excel read past the 12th day. So is a
``text`` column holding codes typed with a leading zero both as text (``01``) and in General
cells, where Excel dropped the zero (``1``): :class:`LostZeros`.

A number in a column formatted as a date is a date to openpyxl: a year 2026 in a ``tahun``
column formatted as a date is the 18th of July 1905 (:func:`date_as_number`), and the 0 a
lookup gives for an empty cell is Excel's date zero, shown 00/01/1900 (:func:`zero_date`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from iku_rules.i18n import _
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.sources.cells import _DAY_FIRST_DATE
from iku_rules.sources.shown import _float_whole, _show, _text
from iku_rules.sources.xlsx_cells import _QUOTED, is_percent

_PADDING = re.compile(r"0+")
"""A number format that shows a whole number with leading zeros up to its length."""

_SCIENTIFIC = re.compile(r"[eE][+-]")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _whole(value: object) -> bool:
    """A whole number, a float as Excel shows it (``=0.57*100`` holds 56.99999999999999 and
    shows 57)."""
    if isinstance(value, float):
        return math.isfinite(value) and _float_whole(value) is not None
    return isinstance(value, int) or (
        isinstance(value, Decimal) and value.is_finite() and value == int(value)
    )


def in_text(value: object, number_format: object) -> str | None:
    """The message of a cell of a ``text`` column that Excel did not keep as typed: a date or
    a time, a number with decimals, a number shown in scientific notation or as a percentage;
    or that Excel shows in words of its language (TRUE is BENAR in Indonesian); else
    ``None``."""
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        what = (
            _("the date")
            if isinstance(value, dt.date)
            else _("the time")
            if isinstance(value, dt.time)
            else _("the duration")
        )
        return _(
            "the cell holds {what} {value}, not text: Excel turns what is typed like 5-9 or 1/2"
            " into a date or a time, and what was typed is lost; format the column as Text in"
            " Excel and type it again (or, if the column holds dates, declare it as date)"
        ).format(what=what, value=_text(value))
    if isinstance(value, bool):
        return _(
            "the cell holds the logical value {value}, which Excel shows as {value} in English"
            " and as {shown} in Indonesian, so a filter could compare it with either; write in"
            " the column the text meant (like Ya or Tidak)"
        ).format(
            value=_text(value),
            shown="BENAR" if value else "SALAH",  # i18n: not for planners
        )
    if not _is_number(value):
        return None
    if isinstance(number_format, str) and (
        is_percent(number_format) or _SCIENTIFIC.search(_QUOTED.sub("", number_format))
    ):
        return _(
            "the cell holds the number {value}, which its format '{format}' shows otherwise (as"
            " a percentage or in scientific notation), so it would be read as {value}, not as"
            " shown; format the column as Text in Excel and type it again"
        ).format(value=_text(value), format=number_format)
    if not _whole(value):
        return _(
            "the cell holds the number {value}, not text: Excel turns what is typed like 2.10"
            " into a number and drops the zeros at its end, so two codes like 2.1 and 2.10"
            " become one; format the column as Text in Excel and type it again"
        ).format(value=_text(value))
    return None


def padded(value: object, number_format: object) -> str | None:
    """A whole number as a format like ``0000`` shows it (12 as ``0012``), else ``None``.

    >>> padded(12, "0000"), padded(12.0, "000"), padded(12345, "0000"), padded(12, "General")
    ('0012', '012', '12345', None)
    >>> padded(0.57 * 100, "0000")  # a formula's 56.99999999999999, as Excel shows it
    '0057'
    """
    if not isinstance(number_format, str) or not _PADDING.fullmatch(number_format):
        return None
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return None
    if not _whole(value) or value < 0:
        return None
    whole = _float_whole(value) if isinstance(value, float) else int(value)
    return str(whole).zfill(len(number_format))


def zero_date(value: object) -> str | None:
    """The message of a ``date`` column's cell holding Excel's date zero (the serial number
    0, shown 00/01/1900, which openpyxl gives as the time 00:00), else ``None``."""
    if not isinstance(value, dt.time) or value != dt.time():
        return None
    return _(
        "the cell holds Excel's date zero (shown as 00/01/1900), not a date: what a lookup such"
        " as VLOOKUP gives when the cell it finds is empty; fill in the missing date where the"
        " lookup finds it, or leave the cell empty"
    )


def date_as_number(value: object, epoch: dt.datetime) -> str | None:
    """The message of a number column's cell Excel shows as a date (the column formatted as
    a date: the year 2026 becomes 18/07/1905), its serial number counted from the workbook's
    ``epoch``; else ``None``."""
    if not isinstance(value, dt.date):
        return None
    from openpyxl.utils.datetime import to_excel  # type: ignore[import-untyped, unused-ignore]

    number = to_excel(value, epoch)
    whole = isinstance(number, int | float) and float(number).is_integer()
    if whole and MIN_YEAR <= number <= MAX_YEAR:
        return _(
            "the cell holds the date {value} where a year was expected: Excel shows the"
            " year {year} as a date because the column is formatted as a date; format the"
            " column as Number"
        ).format(value=_text(value), year=int(number))
    return _(
        "the cell holds the date {value}, not a number: if the column holds numbers, format"
        " it as Number in Excel (the cell then shows {number}); if it holds dates, declare the"
        " column as date"
    ).format(value=_text(value), number=_text(number))


class DayFirst:
    """The dates of a sheet's ``date`` columns: those Excel read whose day and month can be
    swapped (the day at most 12), those it kept as text that only a day-first reading takes
    (``13/02/2026``), and whether it read any whose day is past the 12th (which a month-first
    Excel reads only when they were typed month first). A column holding the first two but
    none of the third is refused once the sheet is read."""

    def __init__(self) -> None:
        self.read: dict[str, tuple[int, dt.date]] = {}
        self.text: dict[str, tuple[int, str]] = {}
        self.past_twelfth: set[str] = set()

    def see(self, column: str, row: int, value: object) -> None:
        """Note ``value``, the cell of ``column`` in ``row``."""
        if isinstance(value, dt.date):
            if value.day > 12:
                self.past_twelfth.add(column)
            elif value.day != value.month:
                self.read.setdefault(column, (row, value))
        elif isinstance(value, str):
            match = _DAY_FIRST_DATE.fullmatch(value.strip())
            if match and 12 < int(match.group(1)) <= 31 and 1 <= int(match.group(2)) <= 12:
                self.text.setdefault(column, (row, value.strip()))

    def swapped(self) -> tuple[str, int, str] | None:
        """The first column whose dates may be swapped, the row of its text date and the
        message; ``None`` when there is none."""
        for column, (text_row, text) in self.text.items():
            if column in self.past_twelfth or column not in self.read:
                continue
            read_row, date = self.read[column]
            return (
                column,
                text_row,
                _(
                    "the column holds dates Excel read (like {date} in row {date_row}) and dates"
                    " it kept as text that only a day-first reading takes (like {text} in row"
                    " {text_row}): the dates were typed day first in an Excel set to read them"
                    " month first, so the dates it read may have day and month swapped; type"
                    " the dates again in an Excel set to Indonesian (day first), or format the"
                    " column as Text and write every date as DD/MM/YYYY"
                ).format(date=_text(date), date_row=read_row, text=_show(text), text_row=text_row),
            )
        return None


_ZERO_LED = re.compile(r"0[0-9]+")
"""A code typed with a leading zero and kept as text (``01``, ``007``)."""


class LostZeros:
    """The codes of a sheet's ``text`` columns kept both ways: as text with a leading zero
    (``01``, typed after the column was formatted as Text, or with an apostrophe) and as
    whole numbers shorter than such a code (``1``, typed in a General cell: Excel dropped
    its zero). A filter on ``"01"`` would pass the first and not the second, and a group by
    the code would make two of one, without a word; such a column is refused."""

    def __init__(self) -> None:
        self.texts: dict[str, tuple[int, str]] = {}
        self.numbers: dict[str, tuple[int, int]] = {}

    def see(self, column: str, row: int, value: object, number_format: object) -> str | None:
        """Note ``value``, the cell of ``column`` in ``row``; the message once the column
        holds both kinds, else None."""
        if isinstance(value, str) and _ZERO_LED.fullmatch(value.strip()):
            self.texts.setdefault(column, (row, value.strip()))
        elif _is_number(value) and _whole(value) and padded(value, number_format) is None:
            whole = _float_whole(value) if isinstance(value, float) else int(value)  # type: ignore[call-overload]
            if whole is not None and whole >= 0:
                self.numbers.setdefault(column, (row, whole))
        if column not in self.texts or column not in self.numbers:
            return None
        (text_row, text), (number_row, number) = self.texts[column], self.numbers[column]
        if len(str(number)) >= len(text):
            return None
        return _(
            "the column holds codes kept as text with a leading zero (like {text} in row"
            " {text_row}) and codes kept as numbers, whose leading zeros Excel drops (like"
            " {number} in row {number_row}): a filter or a group on the code would take"
            " them as different codes; format the column as Text in Excel and type the"
            " numbers again with their zeros"
        ).format(text=_show(text), text_row=text_row, number=number, number_row=number_row)
