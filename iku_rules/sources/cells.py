"""One cell typed as its column declares (text, integer, decimal, date, identifiers), in the
source's notation, or refused with a message that names the row, the column and the fix."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from iku_rules import notation as notations
from iku_rules.decimals import round_half_away
from iku_rules.errors import IkuError
from iku_rules.i18n import N_, _
from iku_rules.limits import (
    MAX_NUMBER_DIGITS,
    MAX_WHOLE_DIGITS,
    MAX_YEAR,
    MIN_YEAR,
    STORED_DECIMALS,
    STORED_SIGNIFICANCE,
    too_many_digits,
    too_many_whole_digits,
)
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.sources.shown import FLOAT_DIGITS as FLOAT_DIGITS
from iku_rules.sources.shown import _dash, _kind, _show, not_digits, stuck_mark
from iku_rules.sources.shown import _float_decimal as _float_decimal
from iku_rules.sources.shown import _float_whole as _float_whole
from iku_rules.sources.shown import _text as _text

IDENTIFIER_LENGTHS = {"nik": 16, "no_kk": 16, "nip": 18}
"""Identifier types with a fixed number of digits: NIK and No KK 16, NIP 18."""


NUMBERED = {"nik": 4, "no_kk": 4, "nip": 3}
"""The last digits of each identifier of digits, which number it from 1: none ends in as many
zeros, nor starts with 0 (a province's code, a year of birth), though one Excel held as a
number may (``…0001`` kept as ``…0000``), and one not known is written ``0000000000000000``."""


def digits_pattern(kind: str) -> str:
    """The regular expression (RE2, POSIX and Java alike) of the identifiers of ``kind``
    :func:`convert` keeps: its digits, neither starting with 0 nor ending in zeros only."""
    numbered = NUMBERED[kind]
    last = "|".join(
        "0" * zeros + "[1-9]" + "[0-9]" * (numbered - zeros - 1) for zeros in range(numbered)
    )
    return f"[1-9][0-9]{{{IDENTIFIER_LENGTHS[kind] - numbered - 1}}}(?:{last})"


IDENTIFIER_TYPES = (*IDENTIFIER_LENGTHS, "identifier")
"""Column types that hold identifiers: text, checked as such (never a number)."""


COLUMN_TYPES = ("text", "integer", "decimal", "date", *IDENTIFIER_TYPES)
"""The types a source may declare for a column."""


def storage_type(column_type: str) -> str:
    """How a column of ``column_type`` is stored: identifiers are text."""
    return "text" if column_type in IDENTIFIER_TYPES else column_type


_Number = TypeVar("_Number", int, Decimal)


FORMATS = ("csv", "xlsx", "sqlite", "duckdb")
"""The file formats a source may have."""


_INTEGER_HINT = N_("write it with digits only, like 1234")


_DECIMAL_HINT = N_("write it like 1234,5 or 1.234,5")


_DASH = N_(
    "{value} is a dash, not a number: a table writes it for nil, which may mean none (0) or"
    " not known; write 0 where there were none, or leave the cell empty where the number is"
    " not known (an empty cell is read as not known, never as 0)"
)

_TEXT_FIX = N_("format the column as Text in Excel and type the identifiers again")


_DECLARE = N_('notation = "id" or "en" on the [[source]], or under [office]')


_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")


_ISO_HINT = N_("write it as YYYY-MM-DD")


_DAY_FIRST_HINT = N_("write it as DD/MM/YYYY, day first")


_DATE_HINT = N_("write it as YYYY-MM-DD or DD/MM/YYYY")


_TIME = r"(?:[T ]([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2})(?:\.[0-9]+)?)?)?"


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)


_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})" + _TIME)


_LISTED = 12


class NotANumber(ValueError):
    """A cell that is not a number at all (rather than a number of the wrong kind)."""


class DataError(IkuError):
    """A data file that cannot be read as its source declares; says which file, row and column.

    ``path`` is the file, ``row`` the 1-based row as a person counts it in the
    file (for CSV and Excel the line or row number, the header being row 1),
    ``column`` the declared column; each is ``None`` when it does not apply.
    ``str(error)`` is the whole message, place first.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.row = row
        self.column = column


def convert(value: object, column_type: str, notation: Notation = UNSETTLED) -> object | None:
    """One cell as the declared type, or ``None`` when empty; :exc:`ValueError` with a
    plain message (naming the value, not the place) when it is not of that type.
    Numbers written as text are read in ``notation`` (:mod:`iku_rules.notation`).

    >>> convert(" 12,5 ", "decimal"), convert(12.0, "decimal"), convert("", "integer")
    (Decimal('12.5'), Decimal('12'), None)
    >>> convert("05/01/2026", "date"), convert("1.234,5", "decimal")
    (datetime.date(2026, 1, 5), Decimal('1234.5'))
    >>> convert("6.284", "decimal", notations.ID), convert("6.284", "decimal", notations.EN)
    (Decimal('6284'), Decimal('6.284'))
    >>> convert("3.60103E+15", "nik")
    Traceback (most recent call last):
    ...
    ValueError: '3.60103E+15' is a number in scientific notation, not a NIK: Excel wrote it as a number and dropped digits (format the column as Text in Excel and type the identifiers again)
    """
    try:
        if value is None:
            return None
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                raise ValueError(_("the value is binary data, not text")) from None
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, float) and column_type in ("text", "integer", "decimal"):
            _within_float(value)
            if column_type == "text" and math.isfinite(value) and _float_whole(value) is None:
                raise ValueError(_(_FLOAT_IN_TEXT).format(value=_text(value)))
        if column_type == "text":
            return _text(value)
        if column_type == "integer":
            return _within_limits(_integer(value, notation), value)
        if column_type == "decimal":
            return _within_limits(_decimal(value, notation), value)
        if column_type == "date":
            return _date(value)
        if column_type in IDENTIFIER_TYPES:
            return _identifier(value, column_type)
        raise ValueError(
            _("unknown column type {type} (the types are {types})").format(
                type=repr(column_type), types=_or_list(COLUMN_TYPES)
            )
        )
    except ValueError:
        stuck = stuck_mark(value)  # a Ctrl-Z stuck to the value: name it, not the value
        if stuck is not None:
            raise ValueError(stuck) from None
        raise


def _within_limits(number: _Number, value: object) -> _Number:
    """``number`` (read from ``value``), when every engine can hold it exactly."""
    if too_many_whole_digits(number):
        raise ValueError(
            _(
                "{value} has more than {limit} digits before the decimal point;"
                " no register holds numbers that large"
            ).format(value=_show(value), limit=MAX_WHOLE_DIGITS)
        )
    if isinstance(number, Decimal):
        stored = round_half_away(number, STORED_DECIMALS)
        if abs(stored - number) * STORED_SIGNIFICANCE > abs(number):
            raise ValueError(
                _(
                    "{value} has more decimals than the {decimals} the data keep, and kept to"
                    " {decimals} it would be {stored}; write it on a larger scale (a"
                    " percentage, per 1.000, per 100.000), or round it in the file"
                ).format(
                    value=_show(value),
                    decimals=STORED_DECIMALS,
                    stored=notations.write(stored.normalize(), UNSETTLED, group=False),
                )
            )
    return number


_FLOAT_IN_TEXT = N_(
    "the cell holds the number {value}, not text: a column of numbers (REAL, DOUBLE,"
    " NUMERIC) drops the zeros at the end of what was written, so two codes like 2.1 and"
    " 2.10 become one; keep the column as TEXT"
)


def _within_float(value: float) -> None:
    """Nothing when the float ``value`` is the number written into it; a :exc:`ValueError`
    for a whole part of more than :data:`FLOAT_DIGITS` digits that the float does not hold
    in 15 digits (``12345678901234567890`` kept as ``1.2345678901234567e+19``; two NIKs
    kept as one float): its last digits are the float's, not those written."""
    if not math.isfinite(value) or abs(value) < 10**FLOAT_DIGITS:
        return
    digits = Decimal(repr(value)).normalize().as_tuple().digits
    if len(digits) <= FLOAT_DIGITS:
        return
    raise ValueError(
        _(
            "the cell holds {value} as a floating point number (a REAL or DOUBLE column, an"
            " Excel number), which keeps only {limit} digits: the digits after them are not"
            " those written, and two numbers can become one; keep the column as INTEGER or"
            " DECIMAL, or the values as text"
        ).format(value=format(Decimal(repr(value)), "f"), limit=FLOAT_DIGITS)
    )


def read_number(text: str, notation: Notation) -> notations.Reading:
    """A number written as text in a cell, read by :mod:`iku_rules.notation` (no ``%``);
    :exc:`ValueError` with the readings and the fix when it is not one number."""
    if too_many_digits(text):
        raise ValueError(
            _("{value} has more than {limit} digits").format(
                value=_show(text), limit=MAX_NUMBER_DIGITS
            )
        )
    try:
        return notations.parse(text, notation, percent=False)
    except notations.AmbiguousNumber as error:
        raise ValueError(
            _("{problem} ({fix})").format(problem=error.message, fix=error.fix(_(_DECLARE)))
        ) from None
    except notations.MisgroupedNumber as error:
        raise ValueError(
            _("{problem} ({fix})").format(problem=error.message, fix=error.hint)
        ) from None
    except notations.NumberError:
        if _dash(text):
            raise NotANumber(_(_DASH).format(value=_show(text))) from None
        raise NotANumber(
            _("{value} is not a number ({hint})").format(value=_show(text), hint=_(_DECIMAL_HINT))
        ) from None


def _integer(value: object, notation: Notation = UNSETTLED) -> int:
    if isinstance(value, bool):
        raise ValueError(_("{value} is not a number").format(value=_show(value)))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("{value} is not a number").format(value=_show(value)))
        whole = _float_whole(value)
        if whole is not None:
            return whole
        raise ValueError(_("{value} is not a whole number").format(value=_show(value)))
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise ValueError(_("{value} is not a whole number").format(value=_show(value)))
    if isinstance(value, str):
        try:
            number = read_number(value, notation).value
        except NotANumber:
            if _dash(value):
                raise ValueError(_(_DASH).format(value=_show(value))) from None
            raise ValueError(_not_whole(value)) from None
        if number != number.to_integral_value():
            raise ValueError(_not_whole(value))
        return int(number)
    raise ValueError(
        _("{value} is {kind}, not a whole number").format(value=_show(value), kind=_kind(value))
    )


def _not_whole(value: object) -> str:
    return _("{value} is not a whole number ({hint})").format(
        value=_show(value), hint=_(_INTEGER_HINT)
    )


def _decimal(value: object, notation: Notation = UNSETTLED) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(_("{value} is not a number").format(value=_show(value)))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return _float_decimal(value)
        raise ValueError(_("{value} is not a number").format(value=_show(value)))
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ValueError(_("{value} is not a number").format(value=_show(value)))
    if isinstance(value, str):
        return read_number(value, notation).value
    raise ValueError(
        _("{value} is {kind}, not a number").format(value=_show(value), kind=_kind(value))
    )


def _identifier(value: object, column_type: str) -> str:
    """An identifier cell as text: never a number that lost digits, and of its length."""
    what = (
        _("a NIK")
        if column_type == "nik"
        else _("an identifier")
        if column_type == "identifier"
        else _("a {kind}").format(kind=column_type.replace("_", " ").upper())
    )
    length = IDENTIFIER_LENGTHS.get(column_type)
    fix = _(_TEXT_FIX)
    if isinstance(value, (bool, float)):
        raise ValueError(
            _(
                "the cell holds the number {value}, not {what} as text: a number loses"
                " leading zeros and, past 15 digits, its last digits ({fix})"
            ).format(value=_show(value), what=what, fix=fix)
        )
    if isinstance(value, (int, Decimal)):
        if isinstance(value, Decimal) and value != value.to_integral_value():
            raise ValueError(
                _("the cell holds the number {value}, not {what} ({fix})").format(
                    value=_show(value), what=what, fix=fix
                )
            )
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(
            _("{value} is {kind}, not {what}").format(
                value=_show(value), kind=_kind(value), what=what
            )
        )
    if _dash(text):  # every row of it would count as one
        raise ValueError(
            _(
                "{value} is a dash, not {what}: a table writes it for one not known, and"
                " every such row would count as one; leave the cell empty"
            ).format(value=_show(text), what=what)
        )
    if column_type == "identifier" and text and not text.strip("0"):  # 0, 000: not known
        raise ValueError(
            _(
                "{value} is zeros only, not {what}: a table writes it for one not known, and"
                " every such row would count as one; leave the cell empty"
            ).format(value=_show(text), what=what)
        )
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError(
            _(
                "{value} is a number in scientific notation, not {what}: Excel wrote it as"
                " a number and dropped digits ({fix})"
            ).format(value=_show(text), what=what, fix=fix)
        )
    if length is not None and not (text.isascii() and text.isdigit()):
        rest = text[1:].strip()
        if text[:1] in "'‘’`" and rest.isascii() and rest.isdigit():
            raise ValueError(
                _(
                    "{value} starts with an apostrophe, which is not part of {what}: remove"
                    " the apostrophe before the digits (typed into a cell formatted as Text,"
                    " Excel keeps it as part of the value)"
                ).format(value=_show(text), what=what)
            )
        raise ValueError(not_digits(text, what, length))
    if length is not None and len(text) < length:
        raise ValueError(
            _(
                "{value} has {count} digits, but {what} has {length}: were leading"
                " zeros lost? ({fix})"
            ).format(value=_show(text), count=len(text), what=what, length=length, fix=fix)
        )
    if length is not None and len(text) > length:
        raise ValueError(
            _("{value} has {count} digits, but {what} has {length}").format(
                value=_show(text), count=len(text), what=what, length=length
            )
        )
    zeros = "0" * NUMBERED.get(column_type, 0)
    if length is not None and (text[0] == "0" or text.endswith(zeros)):
        raise ValueError(
            _(
                "{value} is not {what}: none starts with 0 or ends in {zeros}, so it stands"
                " for one not known (leave the cell empty) or lost its last digits to Excel,"
                " which keeps 15 digits of a number and writes 0 for the others ({fix})"
            ).format(value=_show(text), what=what, zeros=zeros, fix=fix)
        )
    return text


def _date(value: object) -> dt.date:
    """``value`` as a date in a year from ``MIN_YEAR`` to ``MAX_YEAR``, else refused."""
    found = _calendar_date(value)
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise ValueError(
            _(
                "{value} is a date in the year {year}, outside {first}–{last}: a year typed"
                " short (0026 for 2026) or in another calendar (2569 in the Buddhist one);"
                " write the year in full, in the Gregorian calendar"
            ).format(value=_show(value), year=found.year, first=MIN_YEAR, last=MAX_YEAR)
        )
    return found


def _calendar_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # its date is the machine's, not the office's
            raise ValueError(
                _(
                    "{value} is a moment with a time zone, whose date depends on the zone"
                    " it is read in; store the column as DATE (without time zone), or as"
                    " text ({hint})"
                ).format(value=_show(value), hint=_(_ISO_HINT))
            )
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise ValueError(
            _("{value} is not a date (format the cell as a date, or {hint})").format(
                value=_show(value), hint=_(_ISO_HINT)
            )
        )
    if isinstance(value, str):
        text = value.strip()
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            return _make_date(value, iso, (1, 2, 3), _ISO_HINT)
        day_first = _DAY_FIRST_DATE.fullmatch(text)
        if day_first:
            return _make_date(value, day_first, (3, 2, 1), _DAY_FIRST_HINT)
        if "/" in text:
            hint = _DAY_FIRST_HINT
        elif re.match(r"[0-9]{4}-", text):
            hint = _ISO_HINT
        else:
            hint = _DATE_HINT
        raise ValueError(_not_a_date(value, hint))
    raise ValueError(
        _("{value} is {kind}, not a date").format(value=_show(value), kind=_kind(value))
    )


def _not_a_date(value: object, hint: str) -> str:
    return _("{value} is not a date ({hint})").format(value=_show(value), hint=_(hint))


def _make_date(value: str, match: re.Match[str], order: tuple[int, int, int], hint: str) -> dt.date:
    year, month, day = (int(match.group(index)) for index in order)
    hour, minute, second = (int(part) if part else 0 for part in match.group(4, 5, 6))
    try:
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError  # no such time
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_not_a_date(value, hint)) from None


def _or_list(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])
