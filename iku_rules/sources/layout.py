"""Where values stand in a data file: places of cells, gaps, the declared columns found in a
header, a row that numbers those columns, shared by the readers of every format."""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Generator, Sequence
from decimal import Decimal
from pathlib import Path

from iku_rules.i18n import _, cut_short, ngettext
from iku_rules.library_errors import database_reason
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
        self.header: Sequence[str] = ()
        """The names of the columns as the file's header holds them (every column's, in
        its order; of a database table, the declared columns'), once it is read: the cells
        of :data:`Rows` stand under them."""

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
            where = _("{place}, row {row}").format(place=where, row=row)
        if column is not None:
            where = _("{place}, column '{column}'").format(place=where, column=column)
        return DataError(
            _("{place}: {message}").format(place=where, message=message),
            path=self.path,
            row=row,
            column=column,
        )


Gap = tuple[int, int] | None
"""The first and last of the empty rows just before a row (None: no empty row)."""


Rows = Generator[tuple[int, list[object], Gap, Sequence[object]], None, None]
"""Each data row's number, its raw values in the order of the declared columns, the
empty rows just before it (skipped, as in CSV), and every cell of the row as read (under
:attr:`_Place.header`; of a database table, the declared ones)."""


def _listing(names: Sequence[str]) -> str:
    """Names quoted and joined, the long lists cut short."""
    return cut_short([f"'{name}'" for name in names[:_LISTED]], _LISTED, total=len(names))


def _locate(header: Sequence[str], columns: Sequence[str], place: _Place, noun: str) -> list[int]:
    """Where each declared column stands in the header (names compared ignoring case and
    surrounding spaces); ``noun`` is the part read, translated (``the sheet``)."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        key = name.strip().casefold()
        if key:
            positions.setdefault(key, []).append(index)
    indices = []
    for column in columns:
        found = positions.get(column.strip().casefold(), [])
        if len(found) > 1:
            places = _(" and ").join(str(index + 1) for index in found)
            error = place.error(
                _(
                    "{part} has {count} columns named '{column}' (columns {places}); keep one"
                ).format(part=noun, count=len(found), column=column, places=places)
            )
            error.column = column
            raise error
        if not found:
            names = [name.strip() for name in header if name.strip()]
            folded = {name.casefold(): name for name in names}
            close = difflib.get_close_matches(column.strip().casefold(), list(folded), n=1)
            if close:
                tail = _("did you mean '{name}'?").format(name=folded[close[0]])
            elif names:
                tail = _("its columns are {names}").format(names=_listing(names))
            else:
                tail = _("{part} has no named columns").format(part=noun)
            error = place.error(
                _(
                    "{part} has no column '{column}', which source '{source}' declares; {hint}"
                ).format(part=noun, column=column, source=place.source.id, hint=tail)
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


def _outer_spaces(name: str) -> list[str]:
    """The spaces at the start and at the end of ``name``, in words (none: no words)."""
    said = []
    start, end = len(name) - len(name.lstrip()), len(name) - len(name.rstrip())
    if start:
        said.append(
            ngettext(
                "'{name}' has a space at its start",
                "'{name}' has {count} spaces at its start",
                start,
            ).format(name=name, count=start)
        )
    if end and name.strip():
        said.append(
            ngettext(
                "'{name}' has a space at its end", "'{name}' has {count} spaces at its end", end
            ).format(name=name, count=end)
        )
    return said


def _unseen_sheet(
    wanted: str, names: Sequence[str], source: str, *, table: bool = False
) -> str | None:
    """Why the sheet ``wanted`` (a table of a database, when ``table``) is not among
    ``names`` when one differs from it only by what a list of names does not show (spaces
    at its start or end, case), so that its name seems to be there; None when none is
    alike."""
    key = wanted.strip().casefold()
    alike = [name for name in names if name.strip().casefold() == key]
    if len(alike) > 1:
        if table:
            told = _(
                "the database has no table '{table}' but {count} tables that differ from it"
                " only in case or in spaces at their start or end ({tables}), and which one"
                " is meant cannot be told; rename the table meant '{table}' and the others"
                ' apart, or declare the table\'s name as written (table = "...") on source'
                " '{source}'"
            )
        else:
            told = _(
                "the workbook has no sheet '{sheet}' but {count} sheets that differ from it only"
                " in case or in spaces at their start or end ({sheets}), and which one is meant"
                " cannot be told; rename the sheet meant '{sheet}' and the others apart, or declare"
                " the sheet's name as written (table = \"...\") on source '{source}'"
            )
        listed = _listing(alike)
        return told.format(
            sheet=wanted,
            table=wanted,
            count=len(alike),
            sheets=listed,
            tables=listed,
            source=source,
        )
    if not alike:
        return None
    name = alike[0]
    said = _outer_spaces(name) + _outer_spaces(wanted)
    if name.strip() != wanted.strip():
        said.append(_("'{name}' and '{sheet}' differ in case").format(name=name, sheet=wanted))
    if table:
        told = _(
            "the database has no table '{table}' but a table '{name}' that differs from it"
            " only by what cannot be seen in a name: {differences}; rename the table"
            " '{table}', or declare the table's name as written, table = \"{name}\", on"
            " source '{source}'"
        )
    else:
        told = _(
            "the workbook has no sheet '{sheet}' but a sheet '{name}' that differs from it only"
            " by what cannot be seen in a name: {differences}; rename the sheet '{sheet}', or"
            " declare the sheet's name as written, table = \"{name}\", on source '{source}'"
        )
    differences = "; ".join(said)
    return told.format(
        sheet=wanted, table=wanted, name=name, differences=differences, source=source
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


_GROUP_SHAPED = re.compile(r"-?[0-9]+\.[0-9]{3}")
"""A number the notations read differently (1.234: 1234 or 1.234), or that one reads as
thousands grouped out of place (1234.567: 1234567 in notation "id")."""


def _needs(package: str, what: str) -> str:
    return _(
        "reading {what} files needs the Python package '{package}' (pip install {package})"
    ).format(what=what, package=package)


def could_not_run(engine: str, error: object) -> str:
    """The message of a query ``engine`` (DuckDB, SQLite, PostgreSQL, Spark) could not run:
    ``error`` (the engine's exception, or the reason as text), told in the planners' words
    when its cause is a common one (:func:`~iku_rules.library_errors.database_reason`)."""
    known = database_reason(error) if isinstance(error, BaseException) else None
    return _("{engine} could not run a query: {reason}").format(
        engine=engine, reason=error if known is None else known
    )


def not_in_folder(source: Source, folder: Path) -> str:
    """The message of a source whose data file is not in the data folder."""
    return _("the data file '{path}' of source '{source}' is not in {folder}").format(
        path=source.path, source=source.id, folder=folder
    )


# -- a row numbering the columns

# A row that numbers the columns under the header, as tables in Indonesian documents do:
# ``No | Nama | Honor | Jumlah`` over ``1 | 2 | 3 | 4`` (or ``(1) | (2) | (3) | (4)``).
#
# Copied with its table into a spreadsheet, the row stands first among the rows, and every
# cell of it is a number: a register that keeps no date would count it as a record (Nama
# ``2``, Honor 3, Jumlah 4), adding a person and numbers that nobody has, in silence. A row is
# taken for such a numbering, and refused at its row, when it is the first row under the
# header and its cells that are not blank are the whole numbers 1, 2, 3, … in the order of
# the columns, at least ``LEAST`` of them, one under each named column of the header. A
# first record that is 1, 2, 3 in every column is not to be expected of a register.
#
# CSV files and workbooks are looked at (a database table is not copied from a document).
# The reader (``reader``) applies the rule on every backend that
# reads through it; DuckDB's own reading of a CSV file sends a file whose second line may
# be such a row to the reader (``may_number``).

LEAST = 3
"""The fewest numbered columns taken for a numbering (``1 | 2`` may well be a record)."""

_WRITTEN = re.compile(r"\(?([0-9]{1,3})\)?")
"""A column's number as written in a CSV file: ``3`` or ``(3)``."""


def _number(cell: object) -> int | None:
    """The whole number a cell holds (a CSV text ``3`` or ``(3)``, a workbook's 3 or 3.0)."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, (float, Decimal)):
        return int(cell) if cell == int(cell) else None
    if isinstance(cell, str):
        found = _WRITTEN.fullmatch(cell.strip())
        return int(found.group(1)) if found else None
    return None


def numbers_columns(cells: Sequence[object], header: Sequence[str]) -> bool:
    """Whether the row of ``cells`` numbers the columns of ``header``: its cells that are
    not blank are 1, 2, 3, … in order, one under each named column, at least
    :data:`LEAST`."""
    named = sum(1 for name in header if name.strip())
    filled = [cell for cell in cells if not _blank(cell)]
    if len(filled) < LEAST or len(filled) != named:
        return False
    return [_number(cell) for cell in filled] == list(range(1, len(filled) + 1))


def may_number(line: str, delimiter: str, header: Sequence[str]) -> bool:
    """Whether the CSV ``line`` (the one after the header, fields parted by ``delimiter``)
    may number the columns: DuckDB then leaves the file to the reader, as it does a line it
    cannot tell (a quote left open)."""
    try:
        fields = next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:
        return True
    return numbers_columns(fields, header)


def refuse_numbering(number: int, cells: Sequence[object], place: _Place) -> None:
    """Refuse row ``number``, whose ``cells`` number the columns under the header."""
    shown = ", ".join(
        cell.strip() if isinstance(cell, str) else str(_number(cell))
        for cell in cells
        if not _blank(cell)
    )
    raise place.error(
        _(
            "the row numbers the columns under the header ({numbers}), as a table in a"
            " document does: it is not a row of the table, and its numbers would be counted"
            " as one; delete the row"
        ).format(numbers=shown),
        row=number,
    )
