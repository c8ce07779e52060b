"""Reading a source's rows from its file, with every value typed as the source declares.

A :class:`~iku_rules.model.Source` names a file in the data folder (CSV, Excel
``.xlsx``, SQLite or DuckDB) and declares its columns, each ``text``,
``integer``, ``decimal`` or ``date``. :func:`read_rows` returns the rows as
dicts keyed by the declared names, in the declared order. Columns the file has
but the source does not declare are ignored; a declared column the file lacks
is an error that names the closest column the file has.

Typing rules (one cell at a time, by :func:`convert`):

* An empty cell (``NULL``, nothing, or only spaces) is ``None`` in every type.
* ``text`` gives ``str``, exactly as written (spaces inside and around are kept).
  Cells that hold something else are written out: whole numbers without a
  decimal point, decimals in plain notation, dates as ``YYYY-MM-DD``.
* ``integer`` gives ``int`` and ``decimal`` an exact :class:`~decimal.Decimal`, from
  the text as written, read by the one rule of :mod:`iku_rules.notation` in the
  source's notation (its own ``notation``, else the office's): ``12,5`` and ``12.5``
  are both ``Decimal('12.5')`` (only one notation reads each), ``1.234.567`` and
  ``1.234,5`` are read with ``.`` grouping thousands, and ``6.284`` is 6284 under
  ``id``, 6.284 under ``en``, and refused with both readings when no notation is
  declared. An integer must be whole (``12.5`` is refused). Excel and database floats
  go through their shortest ``repr``, so the cell ``12.5`` gives ``Decimal('12.5')``
  and ``12.0`` gives ``Decimal('12')``. As a safety net, a column that holds a cell
  only the other notation reads (``12.75`` under ``id``) and a cell the declared
  notation reads differently from the other (``6.284``) is refused, naming both rows:
  such a file was most likely exported by a program in the other notation.
* ``nik`` and ``no_kk`` (16 digits), ``nip`` (18 digits) and ``identifier`` (any text)
  give ``str``: identifiers are text. A cell in scientific notation
  (``3.60103E+15``, what Excel makes of a long number), a number cell in a workbook,
  a float from a database, or a NIK of another length (lost leading zeros) is refused
  with the fix: format the column as Text in Excel.
* ``date`` gives :class:`datetime.date`: ``YYYY-MM-DD`` (ISO) or
  ``DD/MM/YYYY`` (Indonesian, day first), optionally followed by a time, which
  is dropped; Excel date cells and database ``DATE``/``TIMESTAMP`` values as
  they are. Impossible dates (``2026-13-01``, ``31/02/2026``) and two-digit
  years are refused with the form to write.

The formats:

* ``csv``: UTF-8 (a byte-order mark is allowed), comma separated, or semicolon
  separated when the header line has more ``;`` than ``,`` (Excel's export in
  Indonesian settings). Header names match the declared names ignoring case and
  surrounding spaces. Lines that are entirely empty are skipped; any other line
  must have as many fields as the header, but for empty fields at its end (``1,2,``
  or ``1,2,""`` under a header of two), which hold nothing and are dropped — as
  DuckDB's own reader does, so that every backend reads the same rows; a field at the
  end with anything in it, even a space, is refused.
* ``xlsx``: the sheet named by the source's ``table`` (else its id); its first
  non-empty row is the header. Rows that are entirely empty are skipped, as in CSV.
  Formulas give the value Excel last computed; cells holding an Excel error
  (``#N/A``, ``#DIV/0!``) are refused.
* In both, a row that repeats the header (a second table below the first) is
  refused, and so is a row after empty rows that cannot be a row of the table (its
  declared columns all empty, or a cell not of its column's type: notes or a
  signature below the table); the message names the empty rows.
* ``sqlite`` and ``duckdb``: the table (or view) named by the source's
  ``table`` (else its id), opened read-only; dates may be stored as ISO text.
  The file must be of the declared kind (its first bytes say so), and what it can
  make the engine do is confined (:mod:`iku_rules.sources.confine`): no file but
  itself is read, and reading ends.

Every file is found by :func:`data_path`, which follows links and refuses a file
whose real place is outside the data folder.

Every problem is a :class:`DataError` that says which file, which row (as a
person counts it: in CSV the line in the file, in Excel the sheet's row number,
both with the header on row 1; in a database the row's place in the table) and
which column, in plain words::

    register_pmks.csv, row 17, column 'tanggal_terdaftar': '2026-13-01' is not a date (write it as YYYY-MM-DD)
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import math
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, TypeVar

from iku_rules import notation as notations
from iku_rules.errors import IkuError
from iku_rules.limits import (
    MAX_NUMBER_DIGITS,
    MAX_WHOLE_DIGITS,
    too_many_digits,
    too_many_whole_digits,
)
from iku_rules.model import Source
from iku_rules.notation import UNSETTLED, Notation

IDENTIFIER_LENGTHS = {"nik": 16, "no_kk": 16, "nip": 18}
"""Identifier types with a fixed number of digits: NIK and No KK 16, NIP 18."""

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

_INTEGER_HINT = "write it with digits only, like 1234"
_DECIMAL_HINT = "write it like 1234,5 or 1.234,5"
_TEXT_FIX = "format the column as Text in Excel and type the identifiers again"
_DECLARE = 'notation = "id" or "en" on the [[source]], or under [office]'
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+")
_ISO_HINT = "write it as YYYY-MM-DD"
_DAY_FIRST_HINT = "write it as DD/MM/YYYY, day first"
_DATE_HINT = "write it as YYYY-MM-DD or DD/MM/YYYY"

_TIME = r"(?:[T ]([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2})(?:\.[0-9]+)?)?)?"
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)
_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})" + _TIME)
_SHOWN_LENGTH = 60
_LISTED = 12


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


# -- one value


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
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the value is binary data, not text") from None
    if isinstance(value, str) and not value.strip():
        return None
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
        f"unknown column type {column_type!r} (the types are {_or_list(COLUMN_TYPES)})"
    )


def _within_limits(number: _Number, value: object) -> _Number:
    """``number`` (read from ``value``), when every engine can hold it exactly."""
    if too_many_whole_digits(number):
        raise ValueError(
            f"{_show(value)} has more than {MAX_WHOLE_DIGITS} digits before the decimal point;"
            " no register holds numbers that large"
        )
    return number


def _text(value: object) -> str:
    """A cell written out as text, the way :func:`write_csv` writes it."""
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
    """A finite float as the exact decimal of its shortest ``repr`` (whole floats as integers)."""
    if value.is_integer():
        return Decimal(int(value))
    return Decimal(repr(value))


def read_number(text: str, notation: Notation) -> notations.Reading:
    """A number written as text in a cell, read by :mod:`iku_rules.notation` (no ``%``);
    :exc:`ValueError` with the readings and the fix when it is not one number."""
    if too_many_digits(text):
        raise ValueError(f"{_show(text)} has more than {MAX_NUMBER_DIGITS} digits")
    try:
        return notations.parse(text, notation, percent=False)
    except notations.AmbiguousNumber as error:
        raise ValueError(f"{error.message} ({error.fix(_DECLARE)})") from None
    except notations.NumberError:
        raise ValueError(f"{_show(text)} is not a number ({_DECIMAL_HINT})") from None


def _integer(value: object, notation: Notation = UNSETTLED) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise ValueError(f"{_show(value)} is not a whole number")
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise ValueError(f"{_show(value)} is not a whole number")
    if isinstance(value, str):
        try:
            number = read_number(value, notation).value
        except ValueError as error:
            if "not a number" in str(error):
                raise ValueError(
                    f"{_show(value)} is not a whole number ({_INTEGER_HINT})"
                ) from None
            raise
        if number != number.to_integral_value():
            raise ValueError(f"{_show(value)} is not a whole number ({_INTEGER_HINT})")
        return int(number)
    raise ValueError(f"{_show(value)} {_kind(value)}, not a whole number")


def _decimal(value: object, notation: Notation = UNSETTLED) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{_show(value)} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return _float_decimal(value)
        raise ValueError(f"{_show(value)} is not a number")
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        raise ValueError(f"{_show(value)} is not a number")
    if isinstance(value, str):
        return read_number(value, notation).value
    raise ValueError(f"{_show(value)} {_kind(value)}, not a number")


def _identifier(value: object, column_type: str) -> str:
    """An identifier cell as text: never a number that lost digits, and of its length."""
    what = "a NIK" if column_type == "nik" else f"a {column_type.replace('_', ' ').upper()}"
    if column_type == "identifier":
        what = "an identifier"
    length = IDENTIFIER_LENGTHS.get(column_type)
    if isinstance(value, (bool, float)):
        raise ValueError(
            f"the cell holds the number {_show(value)}, not {what} as text: a number loses"
            f" leading zeros and, past 15 digits, its last digits ({_TEXT_FIX})"
        )
    if isinstance(value, (int, Decimal)):
        if isinstance(value, Decimal) and value != value.to_integral_value():
            raise ValueError(f"the cell holds the number {_show(value)}, not {what} ({_TEXT_FIX})")
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"{_show(value)} {_kind(value)}, not {what}")
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError(
            f"{_show(text)} is a number in scientific notation, not {what}: Excel wrote it as"
            f" a number and dropped digits ({_TEXT_FIX})"
        )
    if length is not None and not (text.isascii() and text.isdigit()):
        raise ValueError(f"{_show(text)} is not {what}: {what} is {length} digits")
    if length is not None and len(text) < length:
        raise ValueError(
            f"{_show(text)} has {len(text)} digits, but {what} has {length}: were leading"
            f" zeros lost? ({_TEXT_FIX})"
        )
    if length is not None and len(text) > length:
        raise ValueError(f"{_show(text)} has {len(text)} digits, but {what} has {length}")
    return text


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise ValueError(
            f"{_show(value)} is not a date (format the cell as a date, or {_ISO_HINT})"
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
        raise ValueError(f"{_show(value)} is not a date ({hint})")
    raise ValueError(f"{_show(value)} {_kind(value)}, not a date")


def _make_date(value: str, match: re.Match[str], order: tuple[int, int, int], hint: str) -> dt.date:
    year, month, day = (int(match.group(index)) for index in order)
    hour, minute, second = (int(part) if part else 0 for part in match.group(4, 5, 6))
    try:
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError("no such time")
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{_show(value)} is not a date ({hint})") from None


def _kind(value: object) -> str:
    """What a value of an unexpected kind is, in words."""
    if isinstance(value, dt.time):
        return "is a time of day"
    if isinstance(value, dt.timedelta):
        return "is a duration"
    return f"is a {type(value).__name__} value"


# -- a whole source


class _ExcelError:
    """A cell holding an Excel error such as ``#N/A``."""

    def __init__(self, code: str) -> None:
        self.code = code


class _Place:
    """The file being read, for messages: its name as the source gives it, and the sheet or table."""

    def __init__(self, source: Source, path: Path, part: str | None = None) -> None:
        self.source = source
        self.path = path
        self.name = source.path
        self.label = f"{self.name}, {part}" if part else self.name

    def error(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        whole: bool = False,
    ) -> DataError:
        """A :class:`DataError` here; ``whole`` puts it on the file rather than the sheet or table."""
        where = self.name if whole else self.label
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        return DataError(f"{where}: {message}", path=self.path, row=row, column=column)


Gap = tuple[int, int] | None
"""The first and last of the empty rows just before a row (None: no empty row)."""

Rows = Generator[tuple[int, list[object], Gap], None, None]
"""Each data row's number, its raw values in the order of the declared columns, and the
empty rows just before it (skipped, as in CSV)."""


def outside_data(relative: str) -> bool:
    """True when a source's path leads out of the data folder: an absolute path, or one
    that climbs out with ``..`` (judged on the text, before any link is followed)."""
    pure = PurePath(relative)
    if pure.is_absolute() or pure.drive or re.match(r"[/\\]|[A-Za-z]:", relative):
        return True
    depth = 0
    for part in re.split(r"[\\/]+", relative):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


_ALLOW_OUTSIDE = (
    "move it into the folder, or allow data outside it explicitly"
    " (--allow-outside-data, or Engine(..., allow_outside_data=True))"
)


def data_path(source: Source, data_dir: Path, *, allow_outside: bool = False) -> Path:
    """Where ``source`` is kept: its path under ``data_dir``, every link followed.

    Every opener of a data file (every format, every backend) takes its path from
    here, just before it opens the file. A definitions file cannot make the engine read
    outside the data folder the user named: a path that leads out of it
    (``../../etc/passwd``, ``/etc/passwd``), or a link in the folder whose target lies
    outside it (``register.csv -> /etc/passwd``, a linked subfolder), is a
    :class:`DataError` unless ``allow_outside`` is true.
    """
    if not allow_outside and outside_data(source.path):
        raise DataError(
            f"the data file '{source.path}' of source '{source.id}' is outside the data folder"
            f" {data_dir}; {_ALLOW_OUTSIDE}"
        )
    path = (Path(data_dir) / source.path).resolve()
    if not allow_outside and not path.is_relative_to(Path(data_dir).resolve()):
        raise DataError(
            f"the data file '{source.path}' of source '{source.id}' is a link to {path},"
            f" outside the data folder {data_dir}; {_ALLOW_OUTSIDE}",
            path=path,
        )
    return path


def read_rows(
    source: Source, data_dir: Path, *, allow_outside: bool = False
) -> list[dict[str, Any]]:
    """The rows of a source, each a dict of the declared columns with typed values:
    text -> str (cells empty or only spaces -> None), integer -> int, decimal -> Decimal
    (exact, from the text as written; Excel floats via repr, e.g. 12.5 -> Decimal('12.5'),
    12.0 -> Decimal('12')), date -> datetime.date.

    Columns the file has but the source does not declare are ignored. A declared column
    the file lacks is a :class:`DataError` naming the closest column the file has.
    """
    return [record for _, record in numbered_rows(source, data_dir, allow_outside=allow_outside)]


def find_row(
    source: Source,
    data_dir: Path,
    test: Callable[[Mapping[str, Any]], bool],
    *,
    allow_outside: bool = False,
) -> tuple[int, Mapping[str, Any]] | None:
    """The number (as a person counts it) and the values of the first row that passes
    ``test``, or None."""
    for number, record in numbered_rows(source, data_dir, allow_outside=allow_outside):
        if test(record):
            return number, record
    return None


def row_error(source: Source, data_dir: Path, message: str, *, row: int, column: str) -> DataError:
    """A :class:`DataError` at one row and column of a source, said as the reader says it."""
    path = Path(data_dir) / source.path
    part = None if source.format == "csv" else source.table_name
    kind = "sheet" if source.format == "xlsx" else "table"
    return _Place(source, path, f"{kind} '{part}'" if part else None).error(
        message, row=row, column=column
    )


def numbered_rows(
    source: Source, data_dir: Path, *, allow_outside: bool = False
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of :func:`read_rows`, each with its number as a person counts it."""
    path = data_path(source, data_dir, allow_outside=allow_outside)
    place = _Place(source, path)
    for column, column_type in source.columns.items():
        if column_type not in COLUMN_TYPES:
            raise DataError(
                f"source '{source.id}' declares the column '{column}' as {column_type!r}; "
                f"the types are {_or_list(COLUMN_TYPES)}",
                path=path,
                column=column,
            )
    if not path.exists():
        raise DataError(
            f"the data file '{source.path}' of source '{source.id}' is not in {data_dir}",
            path=path,
        )
    if not path.is_file():
        raise DataError(
            f"the data file '{source.path}' of source '{source.id}' is a folder, not a file",
            path=path,
        )
    columns = list(source.columns)
    types = list(source.columns.values())
    rows: Rows
    if source.format == "csv":
        text = _decode(place)
        rows = _csv_rows(text, _sniff(text), columns, place)
    elif source.format == "xlsx":
        place = _Place(source, path, f"sheet '{source.table_name}'")
        rows = _xlsx_rows(columns, place)
    elif source.format == "sqlite":
        place = _Place(source, path, f"table '{source.table_name}'")
        rows = _sqlite_rows(columns, place)
    elif source.format == "duckdb":
        place = _Place(source, path, f"table '{source.table_name}'")
        rows = _duckdb_rows(columns, place)
    else:
        raise DataError(
            f"source '{source.id}' has the format {source.format!r}; "
            f"the formats are {_or_list(FORMATS)}",
            path=path,
        )
    notation = source.notation
    numbers = _NotationCheck(source, place)
    filled = set(columns)
    """The columns every row so far has filled: a row after empty rows that leaves one of
    them empty (a note, a signature below the table) is not taken for a row."""
    seen = False
    with contextlib.closing(rows):
        for number, values, gap in rows:
            if len(columns) > 1 and repeats_header(values, columns):
                raise place.error(
                    "the row repeats the names of the columns: a second table below the first?"
                    " Keep one table per file or sheet, and delete this row",
                    row=number,
                )
            empty = {column for column, value in zip(columns, values, strict=True) if _blank(value)}
            if gap is not None and seen and (empty & filled or len(empty) == len(columns)):
                lacking = [column for column in columns if column in empty & filled]
                what = (
                    f"leaves empty {_listing(lacking)}, which every row above fills"
                    if lacking
                    else f"has nothing in the columns of the table ({_listing(columns)})"
                )
                raise place.error(
                    f"the row comes after the empty {_rows(gap)} and {what}, so it does not"
                    " look like a row of the table: if it is one, delete the empty rows above"
                    f" it; if not, {_BELOW_FIX}",
                    row=number,
                )
            filled -= empty
            record: dict[str, Any] = {}
            for column, column_type, value in zip(columns, types, values, strict=True):
                if isinstance(value, _ExcelError):
                    raise place.error(
                        f"the cell holds the Excel error '{value.code}'", row=number, column=column
                    )
                if (
                    source.format == "xlsx"
                    and column_type in IDENTIFIER_TYPES
                    and isinstance(value, (int, float, Decimal))
                ):
                    raise place.error(
                        f"the cell holds the number {_show(value)}, not an identifier as text:"
                        " Excel keeps 15 digits of a number and drops leading zeros"
                        f" ({_TEXT_FIX})",
                        row=number,
                        column=column,
                    )
                try:
                    record[column] = convert(value, column_type, notation)
                except ValueError as error:
                    message = str(error)
                    if gap is not None:
                        message += (
                            f"; the row comes after the empty {_rows(gap)}: if the table ends"
                            f" above them, {_BELOW_FIX}"
                        )
                    raise place.error(message, row=number, column=column) from None
                if column_type in ("integer", "decimal") and isinstance(value, str):
                    numbers.see(value, number, column)
            yield number, record
            seen = True


_BELOW_FIX = (
    "delete what stands below the table (notes, a signature, a second table) or move it"
    " to another sheet"
)


def _rows(gap: tuple[int, int]) -> str:
    first, last = gap
    return f"row {first}" if first == last else f"rows {first}–{last}"


def repeats_header(values: Sequence[object], columns: Sequence[str]) -> bool:
    """Whether a row's declared cells are the names of their columns (a repeated header)."""
    return all(
        isinstance(value, str) and value.strip().lower() == column.strip().lower()
        for value, column in zip(values, columns, strict=True)
    )


class _NotationCheck:
    """The safety net of a declared notation: a column that holds a number only the other
    notation reads (``12.75`` where ``id`` is declared) and a number the two notations read
    differently (``6.284``) was most likely written by a program in the other notation."""

    def __init__(self, source: Source, place: _Place) -> None:
        self.notation = source.notation
        self.other = "en" if self.notation.name == "id" else "id"
        self.place = place
        self.only_other: dict[str, tuple[int, str]] = {}
        self.differ: dict[str, tuple[int, str, Decimal, Decimal]] = {}

    def see(self, text: str, row: int, column: str) -> None:
        if not self.notation.declared:
            return  # a spelling the notations read differently is refused anyway
        found = notations.readings(text)
        if len(found) == 1 and self.other in found:
            self.only_other.setdefault(column, (row, text.strip()))
        elif len(found) == 2 and found["id"] != found["en"]:
            mine = found[self.notation.name]
            theirs = found[self.other]  # type: ignore[index]
            self.differ.setdefault(column, (row, text.strip(), mine, theirs))
        if column in self.only_other and column in self.differ:
            self.refuse(column, row)

    def refuse(self, column: str, row: int) -> None:
        other_row, other_text = self.only_other[column]
        differ_row, differ_text, mine, theirs = self.differ[column]
        declared, other = self.notation.name, self.other
        raise self.place.error(
            f"the column mixes notations: '{other_text}' (row {other_row}) is a number only"
            f" notation \"{other}\" reads, and '{differ_text}' (row {differ_row}) is"
            f' {notations.write(mine, self.notation, group=False)} in notation "{declared}",'
            f' declared for this source, but {theirs} in notation "{other}"; if the file was'
            f' written in notation "{other}" (by a program, an export), declare'
            f' notation = "{other}" on its [[source]]; otherwise write the numbers without'
            " thousands separators",
            row=row,
            column=column,
        )


def _or_list(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def _listing(names: Sequence[str]) -> str:
    """Names quoted and joined, the long lists cut short."""
    shown = ", ".join(f"'{name}'" for name in names[:_LISTED])
    if len(names) > _LISTED:
        shown += f" and {len(names) - _LISTED} more"
    return shown


def _locate(header: Sequence[str], columns: Sequence[str], place: _Place, noun: str) -> list[int]:
    """Where each declared column stands in the header (names compared ignoring case and
    surrounding spaces)."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        key = name.strip().casefold()
        if key:
            positions.setdefault(key, []).append(index)
    indices = []
    for column in columns:
        found = positions.get(column.strip().casefold(), [])
        if len(found) > 1:
            places = " and ".join(str(index + 1) for index in found)
            error = place.error(
                f"the {noun} has {len(found)} columns named '{column}' (columns {places}); keep one"
            )
            error.column = column
            raise error
        if not found:
            names = [name.strip() for name in header if name.strip()]
            folded = {name.casefold(): name for name in names}
            close = difflib.get_close_matches(column.strip().casefold(), list(folded), n=1)
            if close:
                tail = f"did you mean '{folded[close[0]]}'?"
            elif names:
                tail = f"its columns are {_listing(names)}"
            else:
                tail = f"the {noun} has no named columns"
            error = place.error(
                f"the {noun} has no column '{column}', which source '{place.source.id}' declares; {tail}"
            )
            error.column = column
            raise error
        indices.append(found[0])
    return indices


def _pick(wanted: str, names: Sequence[str]) -> str | None:
    """The sheet or table called ``wanted``: exactly, else the only one equal ignoring case."""
    if wanted in names:
        return wanted
    same = [name for name in names if name.casefold() == wanted.casefold()]
    return same[0] if len(same) == 1 else None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


# -- CSV


def _decode(place: _Place) -> str:
    try:
        data = place.path.read_bytes()
    except OSError as error:
        raise place.error(f"the file cannot be read ({error.strerror or error})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise place.error(
            "the file is not UTF-8 text (save it as 'CSV UTF-8')", row=line
        ) from error


def _sniff(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (outside quotes), else ``,``."""
    line = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {",": 0, ";": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


def _csv_rows(text: str, delimiter: str, columns: Sequence[str], place: _Place) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    indices: list[int] = []
    gap: Gap = None
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise place.error(
                f"the line is not valid CSV ({error}); check its double quotes", row=line
            ) from error
        if all(not field.strip() for field in fields):
            if header is not None:
                gap = (gap[0] if gap else line, reader.line_num)
            continue
        if header is None:
            header = [field.strip() for field in fields]
            indices = _locate(header, columns, place, "file")
            continue
        if len(fields) > len(header) and not any(fields[len(header) :]):
            del fields[len(header) :]  # trailing empty fields: nothing is lost
        if len(fields) != len(header):
            raise place.error(
                f"the row has {len(fields)} fields but the header has {len(header)} "
                f"(a value that contains '{delimiter}' must be in double quotes)",
                row=line,
            )
        yield line, [fields[index] for index in indices], gap
        gap = None
    if header is None:
        raise place.error("the file is empty; its first line must name the columns")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write rows as UTF-8 CSV with a header (dates ISO, None as empty), atomically (temp
    file in the same folder, then os.replace).

    Each row gives the value of each of ``columns`` (a missing key is written empty;
    keys not in ``columns`` are not written). Numbers are written with a decimal point and
    spelled so that every notation reads them alike (``1.2340`` for 1.234, never ``1.234``,
    which is 1234 where ``.`` groups thousands), so the file reads back with
    :func:`read_rows` to the same values whatever the source's notation.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(_written(row.get(column)) for column in columns)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _written(value: object) -> str:
    """A cell as :func:`write_csv` writes it."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, float) and math.isfinite(value):
        value = _float_decimal(value)
    text = _text(value)
    if isinstance(value, Decimal) and _GROUP_SHAPED.fullmatch(text):
        return text + "0"  # 1.234 would be 1234 where '.' groups thousands: 1.2340
    return text


_GROUP_SHAPED = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")
"""A number the notations read differently (1.234: 1234 or 1.234)."""


# -- Excel


def _xlsx_rows(columns: Sequence[str], place: _Place) -> Rows:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise place.error(_needs("openpyxl", ".xlsx"), whole=True) from error
    try:
        handle = place.path.open("rb")
    except OSError as error:
        raise place.error(
            f"the file cannot be read ({error.strerror or error})", whole=True
        ) from error
    with handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:
            raise place.error(
                f"the file cannot be read as an Excel workbook ({_first_line(error)}); "
                "save it as .xlsx",
                whole=True,
            ) from error
        try:
            yield from _sheet_rows(workbook, columns, place)
        finally:
            workbook.close()


def _sheet_rows(workbook: Any, columns: Sequence[str], place: _Place) -> Rows:
    wanted = place.source.table_name
    names = list(workbook.sheetnames)
    name = _pick(wanted, names)
    if name is None:
        raise place.error(
            f"the workbook has no sheet '{wanted}' (its sheets are {_listing(names)})", whole=True
        )
    number = 0
    try:
        sheet = workbook[name]
        if not hasattr(sheet, "iter_rows"):
            raise place.error("the sheet is a chart, not a table of cells")
        # Some programs record the used range wrongly; read every row there is.
        sheet.reset_dimensions()
        indices: list[int] | None = None
        gap: Gap = None
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = [
                _ExcelError(str(cell.value)) if cell.data_type == "e" else cell.value
                for cell in cells
            ]
            if all(_blank(value) for value in values):
                if indices is not None:  # skipped, as CSV skips empty lines
                    gap = (gap[0] if gap else number, number)
                continue
            if indices is None:
                header = ["" if _blank(value) else _text(value).strip() for value in values]
                indices = _locate(header, columns, place, "sheet")
                continue
            picked = [values[index] if index < len(values) else None for index in indices]
            yield number, picked, gap
            gap = None
        if indices is None:
            raise place.error("the sheet is empty; its first row must name the columns")
    except DataError:
        raise
    except Exception as error:
        raise place.error(
            f"the sheet cannot be read ({_first_line(error)})", row=number or None
        ) from error


# -- databases


def _needs(package: str, what: str) -> str:
    return f"reading {what} files needs the Python package '{package}' (pip install {package})"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_rows(columns: Sequence[str], place: _Place) -> Rows:
    from iku_rules.sources.confine import expect_kind, sqlite_budget_message, sqlite_connection

    try:
        expect_kind(place.path, "sqlite")
    except ValueError as error:
        raise place.error(str(error), whole=True) from None
    try:
        connection, budget = sqlite_connection(place.path)
    except (sqlite3.Error, OSError, ValueError) as error:
        raise place.error(
            f"the file cannot be read as an SQLite database ({_first_line(error)})", whole=True
        ) from error
    try:
        try:
            tables = [
                str(name)
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
        except sqlite3.Error as error:
            raise place.error(
                f"the file cannot be read as an SQLite database ({_first_line(error)})",
                whole=True,
            ) from error
        try:
            yield from _table_rows(connection, tables, columns, place, sqlite3.Error, batch=1)
        except DataError:
            if budget.exceeded:
                raise place.error(sqlite_budget_message(place.source.table_name)) from None
            raise
    finally:
        connection.close()


def _duckdb_rows(columns: Sequence[str], place: _Place) -> Rows:
    try:
        import duckdb
    except ImportError as error:
        raise place.error(_needs("duckdb", "DuckDB"), whole=True) from error
    from iku_rules.sources.confine import check_duckdb_table, duckdb_connection, expect_kind

    try:
        expect_kind(place.path, "duckdb")
    except ValueError as error:
        raise place.error(str(error), whole=True) from None
    try:
        check_duckdb_table(place.path, place.source.table_name)
    except ValueError as error:
        raise place.error(str(error)) from None
    try:
        connection = duckdb_connection(str(place.path), read_only=True)
    except duckdb.Error as error:
        raise place.error(
            f"the file cannot be read as a DuckDB database ({_first_line(error)})", whole=True
        ) from error
    try:
        try:
            listed = connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = current_schema() "
                "ORDER BY table_name"
            ).fetchall()
        except duckdb.Error as error:
            raise place.error(
                f"the file cannot be read as a DuckDB database ({_first_line(error)})",
                whole=True,
            ) from error
        tables = [str(name) for (name,) in listed]
        yield from _table_rows(connection, tables, columns, place, duckdb.Error, batch=1000)
    finally:
        connection.close()


def _table_rows(
    connection: Any,
    tables: Sequence[str],
    columns: Sequence[str],
    place: _Place,
    failure: type[Exception],
    batch: int,
) -> Rows:
    """The declared columns of a table, through a DB-API connection (SQLite or DuckDB),
    fetched ``batch`` rows at a time (one at a time tells which row fails)."""
    wanted = place.source.table_name
    table = _pick(wanted, tables)
    if table is None:
        listed = f"its tables are {_listing(tables)}" if tables else "it has no tables"
        raise place.error(f"the database has no table '{wanted}' ({listed})", whole=True)
    number = 0
    try:
        cursor = connection.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")
        header = [str(description[0]) for description in cursor.description]
        indices = _locate(header, columns, place, "table")
        selected = ", ".join(_quote(header[index]) for index in indices) or "NULL"
        cursor = connection.execute(f"SELECT {selected} FROM {_quote(table)}")
        while True:
            fetched = cursor.fetchmany(batch)
            if not fetched:
                break
            for row in fetched:
                number += 1
                yield number, list(row)[: len(indices)], None
    except failure as error:
        raise place.error(
            f"the table cannot be read ({_first_line(error)})",
            row=number + 1 if batch == 1 and number else None,
        ) from error
