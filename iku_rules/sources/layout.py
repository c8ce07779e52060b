"""Where values stand in a data file: places of cells, gaps, the declared columns found in a
header, shared by the readers of every format."""

from __future__ import annotations

import difflib
import re
from collections.abc import Generator, Sequence
from pathlib import Path

from iku_rules.model import Source
from iku_rules.sources.cells import _LISTED, DataError


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


_GROUP_SHAPED = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")
"""A number the notations read differently (1.234: 1234 or 1.234)."""


def _needs(package: str, what: str) -> str:
    return f"reading {what} files needs the Python package '{package}' (pip install {package})"
