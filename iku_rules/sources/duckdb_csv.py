"""How DuckDB is told to read a CSV file, and where in a file's bytes its reader and the
reader of :mod:`iku_rules.sources.csv_file` could disagree: the DuckDB backend reads a
file natively only where they cannot (:mod:`iku_rules.sources.native_csv`)."""

from __future__ import annotations

import mmap
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlglot import exp

from iku_rules.sources.sql_cells import call


def read_csv(path: exp.Expr, delimiter: str, columns: Sequence[str], **more: exp.Expr) -> exp.Expr:
    """DuckDB's ``read_csv`` of the file at ``path`` (a literal or a placeholder), told
    everything and guessing nothing: the delimiter, ``"`` quoting and escaping, the header
    line skipped, ``columns`` named in order, every cell as text, strict; ``more``: other
    options."""
    options = {
        "delim": exp.Literal.string(delimiter),
        "quote": exp.Literal.string('"'),
        "escape": exp.Literal.string('"'),
        "header": exp.false(),
        "skip": exp.Literal.number(1),
        "auto_detect": exp.false(),
        "strict_mode": exp.true(),
        "columns": exp.Struct(
            expressions=[
                exp.PropertyEQ(
                    this=exp.to_identifier(name), expression=exp.Literal.string("VARCHAR")
                )
                for name in columns
            ]
        ),
        **more,
    }
    return exp.Anonymous(
        this="read_csv",
        expressions=[
            path,
            *(exp.EQ(this=exp.column(key), expression=value) for key, value in options.items()),
        ],
    )


_UNSEEN = "\x01"
"""A text no cell holds (the reader refuses control characters): DuckDB's ``nullstr`` when
a field that is there, empty, must be told from one that is not."""


_EMPTY_ENDS = (",", ',""', ",\r", ',""\r')
"""How a line whose last field is empty ends, as DuckDB reads the lines (a ``\r`` kept
where a line ends ``\r\n``): ``suffix`` on each, where ``rtrim`` of the ``\r`` took
seven times as long."""


def has_extra_field(connection: Any, path: Path, delimiter: str, width: int) -> bool:
    """Whether a row of the comma-delimited file at ``path`` (its header of ``width``
    fields) ends with an empty field more than the header: DuckDB drops it
    (``12,5,`` under ``nilai,catatan`` reads 12 and 5), where the reader refuses the row, as
    a number written with a decimal comma may have been split in two. DuckDB reads the
    file's lines whole first (the service log of 370 MB in 0.3 s, where searching its bytes
    took 1.2 s): only a file with a line ending in ``,`` or ``,""`` is read for its fields
    (the header's and one more). True also when DuckDB cannot read it so (the reader says
    why)."""
    import duckdb

    if delimiter != ",":
        return False  # a semicolon is never part of a number
    source = exp.Literal.string(str(path))
    whole = {"quote": exp.Literal.string(""), "escape": exp.Literal.string("")}
    lines = exp.Table(this=read_csv(source, _UNSEEN, ["line"], **whole))
    line = exp.column("line", quoted=True)
    ends = exp.or_(  # a last field empty or "", before the line's end (\n, or \r\n)
        *(call("suffix", line.copy(), exp.Literal.string(end)) for end in _EMPTY_ENDS)
    )
    names = [f"c{index}" for index in range(width + 1)]
    padded = {"null_padding": exp.true(), "nullstr": exp.Literal.string(_UNSEEN)}
    rows = exp.Table(this=read_csv(source, delimiter, names, **padded))
    extra = exp.not_(exp.Is(this=exp.column(names[-1], quoted=True), expression=exp.Null()))
    try:
        for table, where in ((lines, ends), (rows, extra)):
            statement = exp.select(exp.Count(this=exp.Star())).from_(table).where(where)
            found = connection.execute(statement.sql(dialect="duckdb")).fetchone()
            if not (found and found[0]):
                return False
    except duckdb.Error:
        return True
    return True


_SPACES = (
    rb"[\t\x0b\x0c\x1c-\x1f ]",
    rb"\xc2[\x85\xa0]",
    rb"\xe1\x9a\x80",
    rb"\xe2\x80[\x80-\x8a\xa8\xa9\xaf]",
    rb"\xe2\x81\x9f",
    rb"\xe3\x80\x80",
)
"""In UTF-8, each character ``str.isspace`` holds but the line breaks ``\\n`` and ``\\r``."""
_SPACE = b"(?:" + b"|".join(_SPACES) + b")"
_QUOTE_BY_SPACE = re.compile(
    b'"(?:' + b"|".join(b"(?<=" + space + b'")' for space in _SPACES) + b"|" + _SPACE + b")"
)
"""A double quote with white space just before or after it (found from the quote, fast)."""
_SPACES_BEFORE = re.compile(_SPACE + b'+"\\Z')
_SPACES_AFTER = {
    delimiter: re.compile(b'"' + _SPACE + b"+(?:[" + delimiter.encode() + b'\r\n"]|\\Z)')
    for delimiter in ",;"
}
_LOOK_BACK = 256


def has_spaced_quote(path: Path, delimiter: str) -> bool:
    """Whether the file may hold a field with white space around a double quote: between
    a delimiter or a line's start and a quote (``1, "Labuan"``), or between a quote and a
    delimiter, a line's end or another quote (``"Labuan" ,``, ``"Lab" "uan"``). DuckDB
    drops such space and joins quoted parts, where the reader refuses them. A quote inside
    a text (``Yayasan "Harapan" Bangsa``) is not taken for one; a false alarm only sends the
    file to the reader. Each double quote is looked at only when white space touches it."""
    after = _SPACES_AFTER[delimiter]
    edges = (delimiter.encode(), b"\r", b"\n")
    try:
        with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data.find(b'"') < 0:
                return False  # no quote at all (one memchr, four times the pattern's speed)
            for found in _QUOTE_BY_SPACE.finditer(data):
                quote = found.start()
                if after.match(data, quote):
                    return True
                start = max(0, quote - _LOOK_BACK)
                spaces = _SPACES_BEFORE.search(data[start : quote + 1])
                if spaces is not None and (
                    spaces.start() == 0
                    or data[start + spaces.start() - 1 : start + spaces.start()] in edges
                ):
                    return True  # at the line's start, after a delimiter, or a long run
    except (OSError, ValueError):
        return True  # an empty or unreadable file: the reader says what is wrong
    return False


_EMPTY_LINE = re.compile(rb"\n\r?\n")


def has_empty_line(path: Path) -> bool:
    """Whether the file has an empty line (DuckDB skips those; the reader skips them too,
    but judges the row after them)."""
    try:
        with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _EMPTY_LINE.search(data) is not None
    except (OSError, ValueError):
        return True  # an empty or unreadable file: the reader says what is wrong
