"""A cell's value as text and as a message shows it: written out (a float at the 15
significant digits it keeps, as Excel shows it), quoted and shortened, and what kind of value
it is, in words."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal

from iku_rules.i18n import _

_SHOWN_LENGTH = 60


FLOAT_DIGITS = 15
"""Significant digits a floating point number (an Excel number, a REAL or DOUBLE column)
keeps of any number written into it."""


def _text(value: object) -> str:
    """A cell written out as text, the way
    :func:`~iku_rules.sources.csv_file.write_csv` writes it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        return format(_float_decimal(value), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _show(value: object) -> str:
    """A value as a message quotes it: text in quotes (shortened), other values written out."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) > _SHOWN_LENGTH:
            text = text[: _SHOWN_LENGTH - 1] + "…"
        return f"'{text}'"
    return _text(value)


def _float_decimal(value: float) -> Decimal:
    """A finite float cell as the number written into it: its :data:`FLOAT_DIGITS` (15)
    significant digits, the most of any number a float keeps, as Excel shows and compares
    it (``=0.1+0.2`` is 0.3 in a sheet, and ``=0.57*100`` is 57, where the float's shortest
    ``repr`` is ``0.30000000000000004`` and ``56.99999999999999``: a realisasi read from the
    ``repr`` would fall short of a target the sheet shows it reach). A number
    written with 15 digits or fewer is read exactly as written; whole floats as integers."""
    if value.is_integer():
        return Decimal(int(value))
    return Decimal(format(value, f".{FLOAT_DIGITS}g"))


def _float_whole(value: float) -> int | None:
    """The whole number a finite float cell is as Excel shows it (``=20.26*100`` holds
    2026.0000000000002 and is 2026; see :func:`_float_decimal`), else None."""
    read = _float_decimal(value)
    return int(read) if read == read.to_integral_value() else None


def _kind(value: object) -> str:
    """What a value of an unexpected kind is, in words (a date, never a Python type's name
    where it can be said otherwise)."""
    if isinstance(value, dt.date):
        return _("a date")
    if isinstance(value, dt.time):
        return _("a time of day")
    if isinstance(value, dt.timedelta):
        return _("a duration")
    return _("a {type} value").format(type=type(value).__name__)


_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
"""The hyphen, the dashes and the minus signs a table writes alone in a cell for nil."""


def _dash(text: str) -> bool:
    """Whether ``text`` is dashes only (``-``, ``–``, ``—``, `` - ``, ``--``): nil, which
    may be 0 or not known, so it is refused with both fixes rather than read as either."""
    marks = "".join(text.split())
    return bool(marks) and all(mark in _DASHES for mark in marks)


_DECIMAL_TAIL = re.compile(r"([0-9]+)([.,]0+)")


def not_digits(text: str, what: str, length: int) -> str:
    """Why ``text``, not of digits only, is not ``what`` (an identifier of ``length``
    digits), naming what is in the way: the ``.0`` a number column adds when written out
    (a CSV export), or the first character not a digit, by its name and code when it does
    not show (a zero-width space) and with the digits before it.

    >>> "with '.0' after it" in not_digits("3601012345670001.0", "a NIK", 16)
    True
    >>> "4 digits it holds the invisible character ZERO WIDTH SPACE (U+200B)" in not_digits(
    ...     "3601\u200b012345670001", "a NIK", 16
    ... )
    True
    """
    tail = _DECIMAL_TAIL.fullmatch(text)
    if tail is not None and len(tail.group(1)) == length:
        return _(
            "{value} is {what} written as a number, with '{tail}' after it, as a CSV export"
            " of a number column writes it; a number keeps only 15 digits, so the last of"
            " the {length} may be lost too: export the column as text (format it as Text"
            " in Excel) rather than deleting '{tail}'"
        ).format(value=_show(text), what=what, tail=tail.group(2), length=length)
    digits = sum("0" <= char <= "9" for char in text)
    if digits != length:  # not a NIK with something in the way: another value
        return _("{value} is not {what}: {what} is {length} digits").format(
            value=_show(text), what=what, length=length
        )
    place = next(index for index, char in enumerate(text) if not "0" <= char <= "9")
    char = text[place]
    if char == " ":
        found = _("a space")
    elif char.isprintable() and not char.isspace():
        found = f"'{char}'"
    else:  # a zero-width space, a no-break space, a byte-order mark: not seen
        found = _invisible(char)
    problem = (
        _("{value} is not {what}: before its first digit it holds {found}")
        if place == 0
        else _("{value} is not {what}: after its first {count} digits it holds {found}")
    ).format(value=_show(text), what=what, count=place, found=found)
    return _(
        "{problem}, where {what} is {length} digits and nothing else; delete it (a"
        " character pasted from a web page or a chat may not show)"
    ).format(problem=problem, what=what, length=length)


CTRL_Z = "\x1a"
"""Ctrl-Z (0x1A), the end-of-file mark some old programs (DOS tools) write after a file's
last row, with no newline before it: stuck to the last cell, it hides in what the cell
shows."""


def stuck_mark(value: object) -> str | None:
    """The message of a cell ``value`` that holds :data:`CTRL_Z` (``2026-09-30`` and the
    mark after it, refused as not a date, would name a right-looking value wrong), or None
    when it holds none."""
    if not isinstance(value, str) or CTRL_Z not in value:
        return None
    shown = _show(value.replace(CTRL_Z, ""))
    if value.rstrip().endswith(CTRL_Z):
        return _(
            "after {value} comes the invisible character Ctrl-Z (0x1A), the end-of-file mark"
            " some old programs write after the last row; delete it (in a text editor, at the"
            " end of the file), or save the file again as 'CSV UTF-8'"
        ).format(value=shown)
    return _(
        "{value} holds the invisible character Ctrl-Z (0x1A), the end-of-file mark some old"
        " programs write; delete it in a text editor"
    ).format(value=shown)


def _invisible(char: str) -> str:
    """``char``, a character that does not show, in words: Ctrl-Z by what it is, any other
    by its Unicode name and code (ZERO WIDTH SPACE (U+200B); U+0000 for one unnamed)."""
    if char == CTRL_Z:
        return _(
            "the invisible character Ctrl-Z (0x1A), the end-of-file mark some old programs write"
        )
    name = unicodedata.name(char, "")
    return _("the invisible character {name}").format(
        name=f"{name} (U+{ord(char):04X})" if name else f"U+{ord(char):04X}"
    )


def invisible_in(text: str) -> str | None:
    """The first character of ``text`` that neither prints nor is a space (a Ctrl-Z, a
    NUL, a zero-width space), in words (:func:`_invisible`); None when every one shows.

    >>> invisible_in("ya\x1a")
    'the invisible character Ctrl-Z (0x1A), the end-of-file mark some old programs write'
    >>> invisible_in("Anak Terlantar ") is None
    True
    """
    if text.isprintable():
        return None
    return next(
        (_invisible(char) for char in text if not (char.isprintable() or char.isspace())), None
    )
