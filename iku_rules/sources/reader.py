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
  and ``12.0`` gives ``Decimal('12')``; a float of more than 15 digits before the point
  that it does not hold in 15 digits (``12345678901234567890`` kept as a REAL) is
  refused, in a text column too: its last digits are not those written. As a safety
  net, a column that holds a cell only the other notation reads (``12.75`` under
  ``id``) and a cell the declared notation reads differently from the other
  (``6.284``) is refused, naming both rows:
  such a file was most likely exported by a program in the other notation.
* ``nik`` and ``no_kk`` (16 digits), ``nip`` (18 digits) and ``identifier`` (any text)
  give ``str``: identifiers are text. A cell in scientific notation
  (``3.60103E+15``, what Excel makes of a long number), a number cell in a workbook,
  a float from a database, or a NIK of another length (lost leading zeros) is refused
  with the fix: format the column as Text in Excel. So is a column of NIKs or No KKs all
  ending in 0, 20 different ones or more (:mod:`~iku_rules.sources.lost_digits`).
* ``date`` gives :class:`datetime.date`: ``YYYY-MM-DD`` (ISO) or
  ``DD/MM/YYYY`` (Indonesian, day first), optionally followed by a time, which
  is dropped; Excel date cells and database ``DATE``/``TIMESTAMP`` values as
  they are (a ``TIMESTAMP WITH TIME ZONE`` is refused: its date depends on the zone).
  Impossible dates (``2026-13-01``, ``31/02/2026``) and two-digit years are refused
  with the form to write.

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
  (``#N/A``, ``#DIV/0!``) are refused, and so are cells whose value openpyxl does not
  show as typed (:mod:`iku_rules.sources.xlsx_cells`): a formula whose value was never
  computed (it would read as empty), merged cells over the header or the table (all but
  the first would read as empty), a number formatted as a percentage in a number column
  (85% is kept as 0.85) and a number of more than 15 digits in a text column (Excel
  keeps 15); what Excel made of what was typed (:mod:`iku_rules.sources.xlsx_disguises`):
  a date, a time or a number with decimals in a text column, and dates typed day first
  in an Excel that reads them month first. A whole number shown with leading zeros by a
  format like ``0000`` reads in a text column as shown.
* In both, a row that repeats the header (a second table below the first) is
  refused, and so is a row after empty rows that cannot be a row of the table (its
  declared columns all empty, or a cell not of its column's type: notes or a
  signature below the table); the message names the empty rows.
* In every format, a register refuses a row of totals: a cell titling it (``JUMLAH``,
  ``Total``, ``Sub Total``, ``Sub Total Cikole``) and numbers that are the sums of the rows
  above it, or below it at the top or above a group; or, in a register with numbers or
  without, nothing else of a record (:mod:`iku_rules.sources.totals_rows`); and a row
  coded as the parent of other rows (a program ``1.06.02`` over its kegiatan
  ``1.06.02.2.01``) whose numbers are their sums (:mod:`iku_rules.sources.nested_codes`).
* In CSV and xlsx, rows pasted a second time (three different rows or more repeated in
  the same order, every cell equal: an export appended twice) are refused, naming the
  rows of the copy and those they repeat (:mod:`iku_rules.sources.pasted`).
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from iku_rules import notation as notations
from iku_rules.i18n import N_, _
from iku_rules.model import Source
from iku_rules.sources.cells import (
    _TEXT_FIX,
    COLUMN_TYPES,
    FORMATS,
    IDENTIFIER_TYPES,
    DataError,
    _or_list,
    convert,
)
from iku_rules.sources.csv_file import _csv_rows, _decode, _sniff
from iku_rules.sources.layout import (
    Rows,
    _blank,
    _ExcelError,
    _listing,
    _Place,
    not_in_folder,
    numbers_columns,
    refuse_numbering,
)
from iku_rules.sources.lost_digits import LostDigitsCheck
from iku_rules.sources.nested_codes import SumsCheck
from iku_rules.sources.pasted import PastedCheck
from iku_rules.sources.paths import outside_data as outside_data
from iku_rules.sources.shown import _show

# -- a whole source


_ALLOW_OUTSIDE = N_(
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
            _(
                "the data file '{path}' of source '{source}' is outside the data folder"
                " {folder}; {fix}"
            ).format(path=source.path, source=source.id, folder=data_dir, fix=_(_ALLOW_OUTSIDE))
        )
    path = (Path(data_dir) / source.path).resolve()
    if not allow_outside and not path.is_relative_to(Path(data_dir).resolve()):
        raise DataError(
            _(
                "the data file '{path}' of source '{source}' is a link to {target},"
                " outside the data folder {folder}; {fix}"
            ).format(
                path=source.path,
                source=source.id,
                target=path,
                folder=data_dir,
                fix=_(_ALLOW_OUTSIDE),
            ),
            path=path,
        )
    return path


def read_rows(
    source: Source, data_dir: Path, *, allow_outside: bool = False
) -> list[dict[str, Any]]:
    """The rows of a source, each a dict of the declared columns with typed values:
    text -> str (cells empty or only spaces -> None), integer -> int, decimal -> Decimal
    (exact, from the text as written; a float, an Excel number or a REAL or DOUBLE column,
    at the 15 significant digits it keeps, as Excel shows it: 12.5 -> Decimal('12.5'),
    12.0 -> Decimal('12'), a formula's 3000000000.0000005 -> Decimal('3000000000')),
    date -> datetime.date.

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
    return _Place(source, path, _part(source.format, part) if part else None).error(
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
                _(
                    "source '{source}' declares the column '{column}' as {type};"
                    " the types are {types}"
                ).format(
                    source=source.id,
                    column=column,
                    type=repr(column_type),
                    types=_or_list(COLUMN_TYPES),
                ),
                path=path,
                column=column,
            )
    if not path.exists():
        raise DataError(not_in_folder(source, data_dir), path=path)
    if not path.is_file():
        raise DataError(
            _("the data file '{path}' of source '{source}' is a folder, not a file").format(
                path=source.path, source=source.id
            ),
            path=path,
        )
    columns = list(source.columns)
    types = list(source.columns.values())
    rows: Rows
    if source.format == "csv":
        text = _decode(place)
        rows = _csv_rows(text, _sniff(text), columns, place)
    elif source.format == "xlsx":  # openpyxl's readers are imported for a workbook only
        from iku_rules.sources.xlsx import _xlsx_rows

        place = _Place(source, path, _part("xlsx", source.table_name))
        rows = _xlsx_rows(columns, place)
    elif source.format == "sqlite":
        from iku_rules.sources.database_rows import _sqlite_rows

        place = _Place(source, path, _part("table", source.table_name))
        rows = _sqlite_rows(columns, place)
    elif source.format == "duckdb":
        from iku_rules.sources.database_rows import _duckdb_rows

        place = _Place(source, path, _part("table", source.table_name))
        rows = _duckdb_rows(columns, place)
    else:
        raise DataError(
            _("source '{source}' has the format {format}; the formats are {formats}").format(
                source=source.id, format=repr(source.format), formats=_or_list(FORMATS)
            ),
            path=path,
        )
    notation = source.notation
    numbers = _NotationCheck(source, place)
    sums = SumsCheck(source, place)
    pasted = PastedCheck(place) if source.format in ("csv", "xlsx") else None  # rows in order
    lost = LostDigitsCheck(source, place)
    filled = set(columns)
    """The columns every row so far has filled: a row after empty rows that leaves one of
    them empty (a note, a signature below the table) is not taken for a row."""
    seen = False
    with contextlib.closing(rows):
        for number, values, gap, cells in rows:
            if (
                not seen
                and source.format in ("csv", "xlsx")
                and numbers_columns(cells, place.header)
            ):
                refuse_numbering(number, cells, place)
            if len(columns) > 1 and repeats_header(values, columns):
                raise place.error(
                    _(
                        "the row repeats the names of the columns: a second table below the"
                        " first? Keep one table per file or sheet, and delete this row"
                    ),
                    row=number,
                )
            empty = {column for column, value in zip(columns, values, strict=True) if _blank(value)}
            if gap is not None and seen and (empty & filled or len(empty) == len(columns)):
                lacking = [column for column in columns if column in empty & filled]
                message = (
                    _(
                        "the row comes after the empty {rows} and leaves empty {columns}, which"
                        " every row above fills, so it does not look like a row of the table:"
                        " if it is one, delete the empty rows above it; if not, {fix}"
                    ).format(rows=_rows(gap), columns=_listing(lacking), fix=_(_BELOW_FIX))
                    if lacking
                    else _(
                        "the row comes after the empty {rows} and has nothing in the columns of"
                        " the table ({columns}), so it does not look like a row of the table:"
                        " if it is one, delete the empty rows above it; if not, {fix}"
                    ).format(rows=_rows(gap), columns=_listing(columns), fix=_(_BELOW_FIX))
                )
                raise place.error(message, row=number)
            filled -= empty
            record: dict[str, Any] = {}
            for column, column_type, value in zip(columns, types, values, strict=True):
                if isinstance(value, _ExcelError):
                    raise place.error(
                        _("the cell holds the Excel error '{code}'").format(code=value.code),
                        row=number,
                        column=column,
                    )
                if (
                    source.format == "xlsx"
                    and column_type in IDENTIFIER_TYPES
                    and isinstance(value, (int, float, Decimal))
                ):
                    raise place.error(
                        _(
                            "the cell holds the number {value}, not an identifier as text:"
                            " Excel keeps 15 digits of a number and drops leading zeros ({fix})"
                        ).format(value=_show(value), fix=_(_TEXT_FIX)),
                        row=number,
                        column=column,
                    )
                try:
                    record[column] = convert(value, column_type, notation)
                except ValueError as error:
                    message = str(error)
                    if gap is not None:
                        message = _(
                            "{problem}; the row comes after the empty {rows}: if the table ends"
                            " above them, {fix}"
                        ).format(problem=message, rows=_rows(gap), fix=_(_BELOW_FIX))
                    raise place.error(message, row=number, column=column) from None
                if column_type in ("integer", "decimal") and isinstance(value, str):
                    numbers.see(value, number, column)
            sums.see(number, cells, values, record)
            if pasted is not None:
                pasted.see(number, cells)
            if lost.live:
                lost.see(record)
            yield number, record
            seen = True
        sums.end()
        if pasted is not None:
            pasted.end()
        lost.end()


_BELOW_FIX = N_(
    "delete what stands below the table (notes, a signature, a second table) or move it"
    " to another sheet"
)


def _rows(gap: tuple[int, int]) -> str:
    first, last = gap
    if first == last:
        return _("row {row}").format(row=first)
    return _("rows {first}–{last}").format(first=first, last=last)


def _part(kind: str, name: str) -> str:
    """The sheet (``kind`` xlsx) or table ``name``, as a place in messages."""
    if kind == "xlsx":
        return _("sheet '{name}'").format(name=name)
    return _("table '{name}'").format(name=name)


def repeats_header(values: Sequence[object], columns: Sequence[str]) -> bool:
    """Whether a row's declared cells are the names of their columns (a repeated header)."""
    return all(
        isinstance(value, str) and value.strip().lower() == column.strip().lower()
        for value, column in zip(values, columns, strict=True)
    )


class _NotationCheck:
    """The safety net of a declared notation: a column that holds a number only the other
    notation reads (``12.75`` where ``id`` is declared) and a number the two notations read
    differently (``6.284``) was most likely written by a program in the other notation.
    So was a file that holds the two in different columns: one program wrote every column
    of it, so a percentage ``12.75`` beside an amount ``150,000`` (an English Excel's
    thousands) says the amount is 150000, not the 150 notation ``id`` reads."""

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
        if self.only_other and self.differ:
            self.refuse_file(column, row)

    def refuse(self, column: str, row: int) -> None:
        other_row, other_text = self.only_other[column]
        differ_row, differ_text, mine, theirs = self.differ[column]
        declared, other = self.notation.name, self.other
        raise self.place.error(
            _(
                "the column mixes notations: '{only_other}' (row {only_row}) is a number only"
                " notation \"{other}\" reads, and '{differ}' (row {differ_row}) is"
                ' {mine} in notation "{declared}",'
                ' declared for this source, but {theirs} in notation "{other}"; if the file was'
                ' written in notation "{other}" (by a program, an export), declare'
                ' notation = "{other}" on its [[source]]; otherwise write the numbers without'
                " thousands separators"
            ).format(
                only_other=other_text,
                only_row=other_row,
                other=other,
                differ=differ_text,
                differ_row=differ_row,
                mine=notations.write(mine, self.notation, group=False),
                declared=declared,
                theirs=theirs,
            ),
            row=row,
            column=column,
        )

    def refuse_file(self, column: str, row: int) -> None:
        """Refuse the file whose columns hold, one a number only the other notation reads,
        another a number the two read differently (at ``row`` and ``column``, the later)."""
        other_column, (other_row, other_text) = next(iter(self.only_other.items()))
        differ_column, (differ_row, differ_text, mine, theirs) = next(iter(self.differ.items()))
        declared, other = self.notation.name, self.other
        raise self.place.error(
            _(
                "the file mixes notations: '{only_other}' (row {only_row}, column"
                " '{only_column}') is a number only notation \"{other}\" reads, and"
                " '{differ}' (row {differ_row}, column '{differ_column}') is {mine} in"
                ' notation "{declared}", declared for this source, but {theirs} in notation'
                ' "{other}"; if the file was written in notation "{other}" (by a program, an'
                ' export, an Excel set to English), declare notation = "{other}" on its'
                " [[source]]; otherwise write the numbers without thousands separators"
            ).format(
                only_other=other_text,
                only_row=other_row,
                only_column=other_column,
                other=other,
                differ=differ_text,
                differ_row=differ_row,
                differ_column=differ_column,
                # 150 and 150000, not 150,000 and 150000: the zeros a reading keeps are
                # the very marks in question
                mine=notations.write(mine.normalize(), self.notation, group=False),
                declared=declared,
                theirs=format(theirs.normalize(), "f"),
            ),
            row=row,
            column=column,
        )
