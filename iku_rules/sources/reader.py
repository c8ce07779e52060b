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
* ``integer`` gives ``int``: digits with an optional sign (``-12``), or a number
  cell that is whole (``12.0`` in Excel). ``12.5``, ``1.234`` and ``1,234`` are
  refused: a whole number is written with digits only.
* ``decimal`` gives an exact :class:`~decimal.Decimal` taken from the text as
  written, with a decimal point or a decimal comma (``12.5`` and ``12,5`` are
  both ``Decimal('12.5')``). Thousands separators are never accepted
  (``1.234,5`` is refused, with the number to write instead). Excel and
  database floats go through their shortest ``repr``, so the cell ``12.5``
  gives ``Decimal('12.5')`` and ``12.0`` gives ``Decimal('12')``.
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
  end with anything in it, even a space, is refused. In the file's other separator a
  number such as ``1.500`` (in a ``;`` file) or ``"1,500"`` (in a ``,`` file) could
  be a thousands separator, so in decimal columns it is refused as ambiguous.
* ``xlsx``: the sheet named by the source's ``table`` (else its id); its first
  non-empty row is the header and the data stop at the first entirely empty row
  (what stands below, such as notes or signatures, is not part of the table).
  Formulas give the value Excel last computed; cells holding an Excel error
  (``#N/A``, ``#DIV/0!``) are refused.
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
from collections.abc import Generator, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any, TypeVar

from iku_rules.errors import IkuError
from iku_rules.limits import (
    MAX_NUMBER_DIGITS,
    MAX_WHOLE_DIGITS,
    too_many_digits,
    too_many_whole_digits,
)
from iku_rules.model import Source

COLUMN_TYPES = ("text", "integer", "decimal", "date")
"""The types a source may declare for a column."""

_Number = TypeVar("_Number", int, Decimal)

FORMATS = ("csv", "xlsx", "sqlite", "duckdb")
"""The file formats a source may have."""

_INTEGER_HINT = "write it with digits only, like 1234"
_DECIMAL_HINT = "write it like 1234.5 or 1234,5"
_ISO_HINT = "write it as YYYY-MM-DD"
_DAY_FIRST_HINT = "write it as DD/MM/YYYY, day first"
_DATE_HINT = "write it as YYYY-MM-DD or DD/MM/YYYY"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"([+-]?[0-9]+)(?:[.,]([0-9]+))?")
_GROUPED = re.compile(r"([+-]?)([0-9]{1,3}(?:([.,])[0-9]{3})+)(?:([.,])([0-9]+))?")
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


def convert(value: object, column_type: str) -> object | None:
    """One cell as the declared type, or ``None`` when empty; :exc:`ValueError` with a
    plain message (naming the value, not the place) when it is not of that type.

    >>> convert(" 12,5 ", "decimal"), convert(12.0, "decimal"), convert("", "integer")
    (Decimal('12.5'), Decimal('12'), None)
    >>> convert("05/01/2026", "date")
    datetime.date(2026, 1, 5)
    >>> convert("1.234,5", "decimal")
    Traceback (most recent call last):
    ...
    ValueError: '1.234,5' has a thousands separator (write it without one, like 1234,5)
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
        return _within_limits(_integer(value), value)
    if column_type == "decimal":
        return _within_limits(_decimal(value), value)
    if column_type == "date":
        return _date(value)
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


def _integer(value: object) -> int:
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
        text = value.strip()
        if _INTEGER.fullmatch(text):
            if too_many_digits(text):
                raise ValueError(f"{_show(value)} has more than {MAX_NUMBER_DIGITS} digits")
            return int(text)
        grouped = _GROUPED.fullmatch(text)
        if grouped and not grouped.group(4):
            digits = grouped.group(1) + grouped.group(2).replace(grouped.group(3), "")
            raise ValueError(
                f"{_show(value)} has a thousands separator (write it with digits only, like {digits})"
            )
        raise ValueError(f"{_show(value)} is not a whole number ({_INTEGER_HINT})")
    raise ValueError(f"{_show(value)} {_kind(value)}, not a whole number")


def _decimal(value: object) -> Decimal:
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
        text = value.strip()
        plain = _DECIMAL.fullmatch(text)
        if plain and too_many_digits(text):
            raise ValueError(f"{_show(value)} has more than {MAX_NUMBER_DIGITS} digits")
        if plain:
            whole, fraction = plain.groups()
            try:
                return Decimal(f"{whole}.{fraction}" if fraction else whole)
            except InvalidOperation:  # pragma: no cover - the pattern admits only digits
                raise ValueError(f"{_show(value)} is not a number ({_DECIMAL_HINT})") from None
        grouped = _GROUPED.fullmatch(text)
        if grouped and grouped.group(3) != grouped.group(4):
            sign, body, separator, mark, fraction = grouped.groups()
            instead = sign + body.replace(separator, "") + (f"{mark}{fraction}" if mark else "")
            raise ValueError(
                f"{_show(value)} has a thousands separator (write it without one, like {instead})"
            )
        raise ValueError(f"{_show(value)} is not a number ({_DECIMAL_HINT})")
    raise ValueError(f"{_show(value)} {_kind(value)}, not a number")


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


def _ambiguous(text: str, separator: str) -> str | None:
    """The message for a CSV decimal such as ``1.500`` in a ``;`` file, whose ``separator``
    (the one that is not the file's decimal mark) could separate thousands."""
    match = re.fullmatch(r"([+-]?[1-9][0-9]{0,2})" + re.escape(separator) + r"([0-9]{3})", text)
    if match is None:
        return None
    mark = "," if separator == "." else "."
    whole, fraction = match.groups()
    return (
        f"'{text}' is ambiguous: write {whole}{fraction} if the '{separator}' separates "
        f"thousands, or {whole}{mark}{fraction} if it marks decimals"
    )


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


Rows = Generator[tuple[int, list[object]], None, None]
"""Each data row's number and its raw values, in the order of the declared columns."""


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
    separator: str | None = None
    rows: Rows
    if source.format == "csv":
        text = _decode(place)
        delimiter = _sniff(text)
        separator = "." if delimiter == ";" else ","
        rows = _csv_rows(text, delimiter, columns, place)
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
    result: list[dict[str, Any]] = []
    with contextlib.closing(rows):
        for number, values in rows:
            record: dict[str, Any] = {}
            for column, column_type, value in zip(columns, types, values, strict=True):
                if isinstance(value, _ExcelError):
                    raise place.error(
                        f"the cell holds the Excel error '{value.code}'", row=number, column=column
                    )
                try:
                    if separator and column_type == "decimal" and isinstance(value, str):
                        problem = _ambiguous(value.strip(), separator)
                        if problem:
                            raise ValueError(problem)
                    record[column] = convert(value, column_type)
                except ValueError as error:
                    raise place.error(str(error), row=number, column=column) from None
            result.append(record)
    return result


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
        yield line, [fields[index] for index in indices]
    if header is None:
        raise place.error("the file is empty; its first line must name the columns")


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write rows as UTF-8 CSV with a header (dates ISO, Decimals as written, None as empty),
    atomically (temp file in the same folder, then os.replace).

    Each row gives the value of each of ``columns`` (a missing key is written empty;
    keys not in ``columns`` are not written). Numbers use a decimal point, so the file
    reads back with :func:`read_rows` to the same values.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("x", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(
                    "" if row.get(column) is None else _text(row.get(column)) for column in columns
                )
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


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
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = [
                _ExcelError(str(cell.value)) if cell.data_type == "e" else cell.value
                for cell in cells
            ]
            if all(_blank(value) for value in values):
                if indices is None:
                    continue
                return
            if indices is None:
                header = ["" if _blank(value) else _text(value).strip() for value in values]
                indices = _locate(header, columns, place, "sheet")
                continue
            yield number, [values[index] if index < len(values) else None for index in indices]
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
                yield number, list(row)[: len(indices)]
    except failure as error:
        raise place.error(
            f"the table cannot be read ({_first_line(error)})",
            row=number + 1 if batch == 1 and number else None,
        ) from error
