"""CSV files: decoding, the delimiter, rows as text cells; and writing CSV the reader reads back."""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from iku_rules.atomic import write_atomic
from iku_rules.i18n import _, format_number
from iku_rules.library_errors import file_unreadable, undecoded
from iku_rules.sources.cells import DataError, _float_decimal, _text
from iku_rules.sources.layout import _GROUP_SHAPED, Gap, Rows, _locate, _Place


def _decode(place: _Place) -> str:
    try:
        data = place.path.read_bytes()
    except OSError as error:
        raise place.error(file_unreadable(error)) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        found = undecoded(error)
        message = _(
            "{problem}; save it as 'CSV UTF-8' (in Excel: File > Save As, then CSV UTF-8)"
        ).format(problem=found.message)
        raise place.error(message, row=found.line) from error


def _sniff(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (outside quotes), else ``,``.

    The header line is the first line that is not blank, its end found as :mod:`csv` finds
    it (at ``\\n``, ``\\r`` or ``\\r\\n`` only, not at the other breaks of
    ``str.splitlines``), as DuckDB's reader of the same file does."""
    lines = io.StringIO(text[:65536], newline="")
    line = next((line for line in lines if line.strip()), "")
    counts = {",": 0, ";": 0}
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


_SPACE_QUOTE = re.compile(r'(?:^|[,;\r])[^\S\r\n]+"', re.MULTILINE)
"""White space before a double quote at a field's start: only a text with it is checked."""


def _csv_rows(text: str, delimiter: str, columns: Sequence[str], place: _Place) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    spaced = _SPACE_QUOTE.search(text) is not None
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
            raise _not_csv(text, line, delimiter, header, place, error) from error
        if all(not field.strip() for field in fields):
            if header is not None:
                gap = (gap[0] if gap else line, reader.line_num)
            continue
        if spaced:
            _quoted_after_space(text, fields, (line, reader.line_num), delimiter, header, place)
        if header is None:
            _not_a_header(fields, delimiter, line, place)
            header = [field.strip() for field in fields]
            indices = _locate(header, columns, place, _("the file"))
            place.header = header
            continue
        if len(fields) > len(header) and not any(fields[len(header) :]):
            if delimiter == ",":  # 12,5 split in two, the row's last field empty?
                _refuse_invisible(fields, line, place)
                raise place.error(
                    _(
                        "the row has {count} fields but the header has {header}, the last"
                        " of them empty: a value that contains ',' (12,5) must be in double"
                        " quotes; if the row only ends with a ',' too many, delete it"
                    ).format(count=len(fields), header=len(header)),
                    row=line,
                )
            del fields[len(header) :]  # after semicolons: nothing is lost
        if len(fields) != len(header):
            _refuse_invisible(fields, line, place)
            raise place.error(
                _(
                    "the row has {count} fields but the header has {header} "
                    "(a value that contains '{delimiter}' must be in double quotes)"
                ).format(count=len(fields), header=len(header), delimiter=delimiter),
                row=line,
            )
        yield line, [fields[index] for index in indices], gap, fields
        gap = None
    if header is None:
        raise place.error(_("the file is empty; its first line must name the columns"))


_SEPARATOR_HINT = re.compile(r"sep=.?", re.IGNORECASE)
"""The first line Excel reads as the separator's name (``sep=;``), not as a header."""


def _not_a_header(fields: Sequence[str], delimiter: str, line_number: int, place: _Place) -> None:
    """Refuse a first line that cannot be the header, saying what it is: Excel's line naming
    the separator (``sep=;``, written by exports made for Excel), or names parted by tabs (a
    file saved as *Text (Tab delimited)*). Told only that no declared column is there, a
    planner would look for a misspelt name."""
    line = delimiter.join(fields).strip()
    if _SEPARATOR_HINT.fullmatch(line):
        raise place.error(
            _(
                "the first line '{line}' names the separator for Excel; it is not the header:"
                " delete the line, so that the file starts with the names of the columns"
            ).format(line=line),
            row=line_number,
        )
    if len(fields) == 1 and "\t" in line:
        raise place.error(
            _(
                "the names of the columns are parted by tabs, not by commas or semicolons:"
                " save the file as CSV (in Excel: File > Save As, then CSV UTF-8)"
            ),
            row=line_number,
        )


FIELD_LIMIT = 131_072
"""The most characters a value of a CSV file may hold, on every backend: the csv module's
limit (its default ``csv.field_size_limit()``), which a cell of a register never nears (an
Excel cell holds at most 32,767); DuckDB's reading sends a longer value to the reader
(:mod:`~iku_rules.sources.native_csv`), which refuses it."""


_EXCEL_CELL = 32_767
"""The most characters an Excel cell holds."""


class _Fault(NamedTuple):
    """Why the csv module could not read a record: ``kind`` is ``open`` (a quoted value
    that no quote closes), ``after`` (``detail`` follows a value's closing quote) or
    ``long`` (a value past :data:`FIELD_LIMIT`, ``detail`` ``'"'`` when it is quoted);
    ``field`` the value's place in the record, ``lines`` the lines read of the record."""

    kind: str
    field: int
    detail: str
    lines: int


def _fault(text: str, first: int, delimiter: str) -> _Fault | None:
    """What stops the csv module (strict, ``"`` quoting) reading the record that starts
    on line ``first`` of ``text``, found as it reads it; None when nothing does."""
    index, length, lines, state = 0, 0, 0, "start"
    for line in itertools.islice(io.StringIO(text, newline=""), first - 1, None):
        lines += 1
        for char in line:
            if state == "quoted":
                if char == '"':
                    state = "closed"
                    continue
            elif state == "closed":
                if char == '"':
                    state = "quoted"
                elif char == delimiter:
                    index, length, state = index + 1, 0, "start"
                    continue
                elif char in "\r\n":
                    return None
                else:
                    return _Fault("after", index, char, lines)
            elif char == delimiter:
                index, length, state = index + 1, 0, "start"
                continue
            elif char in "\r\n":
                return None
            elif char == '"' and state == "start":
                state = "quoted"
                continue
            else:
                state = "plain"
            length += 1
            if length > FIELD_LIMIT:
                return _Fault("long", index, '"' if state == "quoted" else "", lines)
    return _Fault("open", index, "", lines) if state == "quoted" else None


def _not_csv(
    text: str,
    line: int,
    delimiter: str,
    header: Sequence[str] | None,
    place: _Place,
    error: csv.Error,
) -> DataError:
    """The refusal of the record starting on ``line``, which the csv module could not read
    (``error``), in words of our own: the csv module's text only for a fault not known."""
    fault = _fault(text, line, delimiter)
    if fault is None:
        return place.error(
            _("the line is not valid CSV ({reason}); check its double quotes").format(reason=error),
            row=line,
        )
    column = header[fault.field] if header is not None and fault.field < len(header) else None
    if fault.kind == "open":
        message = _(
            "the line is not valid CSV: a double quote opens the value and no double quote"
            " closes it before the end of the file; add the closing double quote, or write a"
            ' double quote inside a value as two ("")'
        )
    elif fault.kind == "after":
        message = _(
            "the line is not valid CSV: after the double quote that closes the value comes"
            " {found}, not '{delimiter}' or the end of the line; write a double quote inside a"
            ' quoted value as two (""), and nothing after the closing quote'
        ).format(
            found=_("a space") if fault.detail.isspace() else f"'{fault.detail}'",
            delimiter=delimiter,
        )
    elif fault.detail and fault.lines > 1:
        message = _(
            "the value starts with a double quote and runs on over {lines} lines to more than"
            " {limit} characters, the most a value may have: is its closing double quote"
            ' missing? Add it, or write a double quote inside a value as two ("")'
        ).format(lines=format_number(fault.lines), limit=format_number(FIELD_LIMIT))
    else:
        message = _(
            "the value is longer than {limit} characters, the most a value of a CSV file may"
            " have (an Excel cell holds at most {cell}); shorten it"
        ).format(limit=format_number(FIELD_LIMIT), cell=format_number(_EXCEL_CELL))
    return place.error(message, row=line, column=column)


_CTRL_Z = "\x1a"
_INVISIBLE = frozenset("\x00\x1a")


def _refuse_invisible(fields: Sequence[str], line: int, place: _Place) -> None:
    """Refuse, naming it, a row that holds nothing but invisible characters a program left
    in the file: Ctrl-Z (0x1A), the end-of-file mark of old programs, or NUL (0x00)."""
    found = set("".join(fields).strip())
    if not found or not found <= _INVISIBLE | set(" \t"):
        return
    if _CTRL_Z in found:
        message = _(
            "the row holds only the invisible character Ctrl-Z (0x1A), the end-of-file mark"
            " some old programs write after the last row; delete it (in a text editor, delete"
            " the last line of the file), or save the file again as 'CSV UTF-8'"
        )
    else:
        message = _(
            "the row holds only invisible NUL characters (0x00), which the program that wrote"
            " the file left in it (padding, or a copy cut short); delete them in a text editor,"
            " or export the file again"
        )
    raise place.error(message, row=line)


def _quoted_after_space(
    text: str,
    fields: Sequence[str],
    lines: tuple[int, int],
    delimiter: str,
    header: Sequence[str] | None,
    place: _Place,
) -> None:
    """Refuse a field written with white space before its opening double quote (``1,
    "Labuan"``): the csv module keeps the quotes and the space as part of the value, where
    DuckDB's reader drops both; neither reading can be trusted. A quote inside a value
    (``Yayasan "Harapan"``) and a quoted value that starts with a space and a quote
    (``" ""Harapan"" ada"``) are kept. ``fields`` is the record of ``lines`` (first and last)
    of ``text``, under ``header`` (None: it is the header)."""
    suspects = [
        index
        for index, field in enumerate(fields)
        if field[:1].isspace() and field.lstrip().startswith('"')
    ]
    if not suspects:
        return
    first, last = lines
    record = "".join(itertools.islice(io.StringIO(text, newline=""), first - 1, last))
    place_in_record = 0
    for index, field in enumerate(fields):
        quoted = record.startswith('"', place_in_record)
        if index in suspects and not quoted:
            raise place.error(
                _(
                    "the value has a space before its double quote, which makes the quotes"
                    " part of the value; remove the space before the quote"
                ),
                row=first,
                column=header[index] if header is not None and index < len(header) else None,
            )
        size = len(field) + 2 + field.count('"') if quoted else len(field)
        place_in_record += size + len(delimiter)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Write rows as UTF-8 CSV with a header (dates ISO, None as empty), atomically
    (:func:`iku_rules.atomic.write_atomic`).

    Each row gives the value of each of ``columns`` (a missing key is written empty;
    keys not in ``columns`` are not written). Numbers are written with a decimal point and
    spelled so that every notation reads them alike (``1.2340`` for 1.234, never ``1.234``,
    which is 1234 where ``.`` groups thousands), so the file reads back with
    :func:`read_rows` to the same values whatever the source's notation.
    """

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(written_row(row, columns))

    write_atomic(Path(path), write, replace=True)


def written_row(row: Mapping[str, Any], columns: Sequence[str]) -> tuple[str, ...]:
    """The cells of ``row`` as :func:`write_csv` writes them, in the order of ``columns``."""
    return tuple(_written(row.get(column)) for column in columns)


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
