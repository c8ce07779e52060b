"""A CSV source read in place by DuckDB, typed in SQL by the reader's rules.

Reading a large register cell by cell in Python takes far longer than the
aggregates over it, so the DuckDB backend lets DuckDB read a CSV file and type
every cell in SQL. SQL accepts only cells that :mod:`iku_rules.sources.reader`
would read to the same value:

* blank cells (nothing, or only what Python's ``str.strip`` removes) are missing;
* ``text`` as written;
* ``integer``: digits with an optional sign (at most 20);
* ``decimal``: digits with an optional sign and a decimal point or comma (at
  most 20 before it and 25 after), except a mark followed by three digits after one to three
  digits (``1.500``, ``1,500``), which the notations read differently (see
  :mod:`iku_rules.notation`): the reader reads it in the source's notation, or refuses it;
* ``date``: ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (no time), a date that exists;
* no value, in any column, of more than :data:`~iku_rules.sources.csv_file.FIELD_LIMIT`
  bytes (the reader refuses a value of more characters);
* ``nik`` and ``no_kk``: 16 digits, ``nip``: 18, ``identifier``: text that does not start
  or end with white space and is not a number in scientific notation (``3.6E+15``).

A file with an empty line or a row whose cells are all empty, or a row that repeats the
header, goes to the reader, which skips the empty rows and judges the rows after them
(notes or a signature below the table are refused there, as in a workbook). So does a
register (:func:`~iku_rules.sources.totals_rows.applies`) with a cell, in any column, that
may title a row of totals (``JUMLAH``, ``Total``), in a row with a blank cell where the
register has no column of numbers: the reader refuses the row when its numbers are the sums
of the rows above it, or when it holds nothing of a record
(:mod:`~iku_rules.sources.totals_rows`), whether or not its date was filled down.

DuckDB drops empty fields at the end of a row (``1,2,`` under a header of two). The
reader drops them in a file delimited by semicolons, and refuses the row in one delimited
by commas (``12,5,`` under ``nilai,catatan`` may be 12,5 split in two): such a file, found
by :func:`~iku_rules.sources.duckdb_csv.has_extra_field`, goes to the reader.

One pass over the file (:func:`native_csv_open`) types every cell and counts the rows
holding a cell SQL did not accept. Most cells are settled cheaply: a cell whose first
character is printable ASCII is not blank, and an integer or a date that DuckDB's own cast
writes back exactly as the cell is written (``2026-01-31``, ``-12``) is that value; only
the other cells go through the patterns of the reader's rules. The same pass gathers the
distinct values of the columns whose names the engine checks (regions, periods,
indicators, inputs, the text columns filters compare), so that no question re-reads the
file for them.

The pass either copies the typed rows into a table (then counts over the table), or, for a
file read in place (:mod:`iku_rules.sources.csv_relations` decides by its size), is an
aggregate that stores nothing; when every cell was accepted, the source's relation is then
a view over the file, typed by the same expressions (but identifiers, which the pass
matched, taken as written): nothing is copied, and a statement reads and types only the
columns it uses. The view reads the file each time it is queried, so the file's size,
modification time, inode change time and inode are noted before the pass; a file that
changed since is validated again before the next statement reads it, and a statement during
which it changed runs again over the file validated again.

The pass also notes the plain columns: those whose value by the rules is, on every row,
the cell as written (texts, identifiers) or DuckDB's own cast of it (integers, dates), as
it compares them row by row. A relation made over the file as validated (the view, or a
table made again from a kept pass, :mod:`~iku_rules.sources.validation_cache`) reads those
columns so, without the patterns: the same values, in less time (the benchmark's PMKS
register, 8 MB, copied in 0.069 s against 0.106 s). A column with one cell the two read
apart (``  `` is missing to the rules, ``5/1/2026`` is 5 January) keeps the patterns.

When any row holds a cell SQL did not accept, or DuckDB cannot read the file
(not UTF-8, a row with too few fields, a stray quote), or the header is not
plainly the first line, nothing is made: the caller reads the file with
:func:`~iku_rules.sources.reader.read_rows`, which accepts what the reader
accepts and reports the first problem with file, row and column — exactly as
for every other backend.

The file's path is a string literal in the view (a view holds no bound parameter; the
connection may read only the sources' files, :mod:`iku_rules.sources.confine`); table
and column names are quoted identifiers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from attrs import frozen
from sqlglot import exp

from iku_rules.model import Source
from iku_rules.sources.cells import convert
from iku_rules.sources.csv_file import FIELD_LIMIT
from iku_rules.sources.duckdb_csv import (
    has_empty_line,
    has_extra_field,
    has_spaced_quote,
    read_csv,
)
from iku_rules.sources.layout import may_number
from iku_rules.sources.lost_digits import lost_columns, may_have_lost
from iku_rules.sources.nested_codes import looked_at, not_codes
from iku_rules.sources.pasted import may_repeat, repeated_in, row_counts
from iku_rules.sources.sql import drop_table, internal_table
from iku_rules.sources.sql_cells import (
    CANONICAL,
    TYPES,
    blank_cell,
    call,
    code_depth,
    depths_differ,
    may_be_plain,
    sql_type,
    text,
    totals_label_cell,
    try_cast,
    typed_cell,
)
from iku_rules.sources.totals_rows import applies, by_numbers

_HEADER_BYTES = 65_536


def _header(path: Path) -> tuple[list[str], str] | None:
    """The header fields and the delimiter, when the first line is plainly the header."""
    try:
        with path.open("rb") as file:
            start = file.read(_HEADER_BYTES)
        text = start.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    line, newline, rest = text.partition("\n")
    if not newline or '"' in line or not line.strip():
        return None
    delimiter = ";" if line.count(";") > line.count(",") else ","
    try:
        fields = next(csv.reader(io.StringIO(line.rstrip("\r")), delimiter=delimiter))
    except csv.Error:
        return None  # a line break inside the line (a lone CR): the reader reads it
    header = [field.strip() for field in fields]
    if may_number(rest.partition("\n")[0], delimiter, header):
        return None  # a row numbering the columns (1, 2, 3): the reader refuses it
    return header, delimiter


_MASKED = 62
"""The columns (the first so many of a source) a pass may find plain, one bit of a
``BIGINT`` each; a column after them is read by the patterns every time."""


def _masked(source: Source) -> list[tuple[int, str]]:
    """The columns a pass may find plain, each with its place (its bit in the mask): those
    of a type that may be read plainly among the first :data:`_MASKED`."""
    columns = list(source.columns.items())[:_MASKED]
    return [(index, name) for index, (name, kind) in enumerate(columns) if may_be_plain(kind)]


@frozen
class Accepted:
    """What a validating pass that accepted every cell of a file found."""

    found: dict[str, list[Any]]
    """The distinct values (NULL included) of each column gathered."""
    plain: frozenset[str] = frozenset()
    """The columns found plain (on every row, their value by the rules is the cell as
    written or DuckDB's cast of it): a relation over the file as
    validated reads them without the patterns (:func:`validated_relation`)."""


class Typed(NamedTuple):
    """A CSV file's rows typed in SQL (:func:`typed_select`)."""

    select: exp.Select
    flag: str
    """The column marking a row SQL refused."""
    forms: str
    """The column of each row's mask of the columns whose value is not the plain read."""
    delimiter: str
    width: int
    """The fields of the header."""
    depths: tuple[str, ...] = ()
    """The columns of the depth of each cell that may be a code (:func:`code_depth`)."""


def typed_select(
    source: Source, path: Path, *, validated: bool = False, plain: Collection[str] = ()
) -> Typed | None:
    """The rows of ``source``'s CSV file at ``path`` typed in SQL, each with a flag
    marking a row SQL refused and a mask with the bit of each column (by its place among
    the declared ones) whose value differs from the cell as written or as DuckDB casts it
    (:func:`_masked`); None when the first line is not
    plainly the header, or a declared column is missing or doubled there (the reader says
    which), or the file may hold white space around a double quote. ``path`` is written in
    the statement, so that a view can hold it; for a file ``validated`` already, identifiers
    are not matched again (their flags mean nothing), and the columns ``plain`` (found plain
    by the pass) are the cell as written or DuckDB's cast of it."""
    found = _header(path) if path.is_file() else None
    if found is None:
        return None
    header, delimiter = found
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        positions.setdefault(name.casefold(), []).append(index)
    raw_names = [f"c{index}" for index in range(len(header))]
    chosen: dict[str, str] = {}
    for column in source.columns:
        places = positions.get(column.strip().casefold(), [])
        if len(places) != 1:
            return None  # the reader says which column is missing or doubled
        chosen[column] = raw_names[places[0]]
    if not validated and has_spaced_quote(path, delimiter):
        return None  # the reader reads (or refuses) the fields with spaces by their quotes
    flag, forms_name = "bad", "forms"
    while flag in source.columns:
        flag += "_"
    while forms_name in source.columns:
        forms_name += "_"

    # Each cell's blankness is decided once (in the innermost select), each cell typed
    # once (in the middle one); the outer one names the columns and marks refused rows.
    # A query reading some columns only types those (DuckDB drops the others' expressions).
    def raw(name: str) -> exp.Column:
        return exp.column(name, quoted=True)

    def blank(name: str) -> exp.Column:
        return exp.column(f"b{name[1:]}", quoted=True)

    def cast(name: str) -> exp.Column:
        return exp.column(f"v{name[1:]}", quoted=True)

    casts = {chosen[column]: kind for column, kind in source.columns.items() if kind in CANONICAL}
    typed = {
        column: typed_cell(
            raw(chosen[column]),
            blank(chosen[column]),
            cast(chosen[column]) if kind in CANONICAL else None,
            kind,
            delimiter,
            validated,
        )
        for column, kind in source.columns.items()
    }
    # A column is plain when its value by the rules is, on every row, the cell as written
    # (texts, identifiers) or DuckDB's cast of it (integers, dates): then a relation over the
    # file as validated reads it so, without the patterns. Each row marks, one bit for each,
    # the columns where they differ.
    simple = {
        column: cast(chosen[column]) if source.columns[column] in CANONICAL else raw(chosen[column])
        for _index, column in _masked(source)
    }
    if validated:
        typed.update({column: simple[column] for column in plain if column in simple})
    slots = {column: f"t{index}" for index, column in enumerate(source.columns)}
    mask: exp.Expr = exp.Cast(this=exp.Literal.number(0), to=sql_type("BIGINT"))
    for index, column in enumerate(source.columns):
        # one CASE each (one CASE with a branch each sets only the first); none in a file
        # validated, whose relation reads no mask
        if column in simple and not validated:
            differs = exp.NullSafeNEQ(
                this=exp.column(slots[column], quoted=True), expression=simple[column].copy()
            )
            bit = exp.Cast(this=exp.Literal.number(1 << index), to=sql_type("BIGINT"))
            mask = exp.Add(
                this=mask,
                expression=exp.Case(
                    ifs=[exp.If(this=differs, true=bit)], default=exp.Literal.number(0)
                ),
            )
    refused = [
        exp.and_(
            exp.Is(this=exp.column(slots[column], quoted=True), expression=exp.Null()),
            exp.not_(blank(chosen[column])),
            copy=False,
        )
        for column in source.columns
        if source.columns[column] != "text"
    ]
    every_blank = exp.and_(*(blank(name) for name in raw_names), copy=False)
    # A row of empty cells: the reader skips it, and judges the row after it.
    refused.append(exp.column("every_blank", quoted=True))
    # A value longer than the reader's limit, in any column: the reader refuses it. Its
    # bytes (strlen, kept with the string) are compared: a value of more bytes but fewer
    # characters only goes to the reader, which reads it.
    refused.append(
        exp.GT(
            this=call("greatest", *(call("strlen", raw(name)) for name in raw_names))
            if len(raw_names) > 1
            else call("strlen", raw(raw_names[0])),
            expression=exp.Literal.number(FIELD_LIMIT),
        )
    )
    if not validated and applies(source):
        # A cell that may title a row of totals (JUMLAH), in any column: the reader decides
        # by the row's numbers whether it is one. Without numbers, only in a row with a
        # blank cell (the reader refuses no other): most rows pass by the blanks known.
        titled = exp.or_(*(totals_label_cell(raw(name)) for name in raw_names), copy=False)
        if not by_numbers(source) and len(raw_names) > 1:
            titled = exp.Case(
                ifs=[exp.If(this=exp.or_(*(blank(name) for name in raw_names)), true=titled)],
                default=exp.false(),
            )
        refused.append(titled)
    # Codes of two depths in a column (1.06.02 over 1.06.02.2.01), in a register with
    # numbers: the reader judges whether a row holds the sums of those under it.
    prefix = "depth_"
    while any(column.startswith(prefix) for column in source.columns):
        prefix += "_"
    codes = not_codes(source) if not validated and looked_at(source) else None
    depths = {
        f"{prefix}{index}": name
        for index, name in enumerate(raw_names)
        if codes is not None and header[index].casefold() not in codes
    }
    reader = read_csv(text(str(path)), delimiter, raw_names)
    cells = exp.select(
        *(raw(name) for name in raw_names),
        *(
            exp.alias_(blank_cell(raw(name)), blank(name).name, quoted=True, copy=False)
            for name in raw_names
        ),
        *(
            exp.alias_(try_cast(raw(name), kind), cast(name).name, quoted=True, copy=False)
            for name, kind in casts.items()
        ),
    ).from_(exp.Table(this=reader))
    values = exp.select(
        *(
            exp.alias_(typed[column], slots[column], quoted=True, copy=False)
            for column in source.columns
        ),
        *(blank(name) for name in raw_names),
        exp.alias_(every_blank, "every_blank", quoted=True, copy=False),
        *(raw(name) for name in raw_names),
        *(cast(name) for name in casts),
    ).from_(cells.subquery("cells", copy=False))
    select = exp.select(
        *(
            exp.alias_(exp.column(slots[column], quoted=True), column, quoted=True, copy=False)
            for column in source.columns
        ),
        exp.alias_(
            exp.or_(*refused, copy=False) if refused else exp.false(), flag, quoted=True, copy=False
        ),
        exp.alias_(mask, forms_name, quoted=True, copy=False),
        *(exp.alias_(code_depth(raw(name)), alias, quoted=True) for alias, name in depths.items()),
    ).from_(values.subquery("typed", copy=False))
    return Typed(select, flag, forms_name, delimiter, len(header), tuple(depths))


def native_csv_open(
    connection: Any,
    source: Source,
    path: Path,
    distinct: Sequence[str] = (),
    *,
    in_place: bool = True,
) -> Accepted | None:
    """Make ``source``'s relation (:func:`~iku_rules.sources.sql.internal_table`) from its
    CSV file at ``path``, typed in SQL, once one pass has found every cell accepted; with
    the distinct values (NULL included) of each column of ``distinct``, and the columns
    found plain, found in that pass.

    ``in_place``: the relation is a view reading the file each time it is queried (what it
    reads is what was validated only while the file is unchanged: the caller validates
    again a file that changed); else a table the file is copied into as it is typed, the
    pass then reading the table. None, with nothing made, when the reader must read the
    file instead."""
    import duckdb

    built = typed_select(source, path)
    if built is None:
        return None
    select, flag, forms, delimiter, width, depths = built
    if has_extra_field(connection, path, delimiter, width):
        return None
    table = exp.table_(internal_table(source), quoted=True)
    if not in_place:
        try:
            connection.execute(
                exp.Create(this=table, kind="TABLE", expression=select).sql(
                    dialect="duckdb", copy=False
                )
            )
        except duckdb.Error:
            connection.execute(drop_table(source))
            return None
    rows = select.subquery("typed_rows") if in_place else table  # in the file's order
    check = _check(source, rows, flag)
    # codes of two depths, NIKs all ending in 0 (Excel's 15 digits), rows pasted again: the
    # reader judges
    lost = [exp.column(column, quoted=True) for column in lost_columns(source)]
    counts = row_counts(list(source.columns))
    check = check.select(depths_differ(depths), may_have_lost(lost), *counts)
    # one bool_or for each column's bit (DuckDB's bit_or held the whole file in memory)
    masked = _masked(source)
    differs = [
        call(
            "bool_or",
            exp.NEQ(
                this=exp.BitwiseAnd(
                    this=exp.column(forms, quoted=True), expression=exp.Literal.number(1 << index)
                ),
                expression=exp.Literal.number(0),
            ),
        )
        for index, _column in masked
    ]
    check = check.select(
        *differs,
        *(
            call("list", exp.Distinct(expressions=[exp.column(column, quoted=True)]))
            for column in distinct
        ),
    )
    try:
        refused_rows, with_blanks, like_header, nests, zeros, count, unlike, *values = (
            connection.execute(check.sql(dialect="duckdb", copy=False)).fetchone()
        )
    except duckdb.Error:
        if not in_place:
            connection.execute(drop_table(source))
        return None
    # An empty line (DuckDB skips it, as the reader does) matters only when a row after it
    # leaves a column empty: then the reader judges whether it is a row of the table.
    pasted = may_repeat(count, unlike) and repeated_in(connection, rows, list(source.columns))
    judged = refused_rows or like_header or nests or zeros or pasted
    if judged or (with_blanks and has_empty_line(path)):
        if not in_place:
            connection.execute(drop_table(source))
        return None
    found, values = values[len(masked) :], values[: len(masked)]
    plain = frozenset(
        column for (_index, column), differ in zip(masked, values, strict=True) if not differ
    )
    if in_place:
        view = validated_relation(source, path, in_place=True, plain=plain)
        if view is None:
            return None  # the header changed since: the caller sees the file changed
        connection.execute(view)
    return Accepted(dict(zip(distinct, found, strict=True)), plain)


def validated_relation(
    source: Source, path: Path, *, in_place: bool, plain: Collection[str] = ()
) -> str | None:
    """The statement making ``source``'s relation over its file at ``path`` once every
    cell was found accepted: a view reading the file typed (``in_place``), or a table the
    file is copied into typed; None when the first line is not plainly the header. The
    columns ``plain``, which the pass found plain, are read without
    the reader's patterns: the cell as written, or DuckDB's cast of it."""
    built = typed_select(source, path, validated=True, plain=plain)
    if built is None:
        return None
    select = exp.select(*(exp.column(column, quoted=True) for column in source.columns))
    select = select.from_(built.select.subquery("typed_rows", copy=False))
    return exp.Create(
        this=exp.table_(internal_table(source), quoted=True),
        kind="VIEW" if in_place else "TABLE",
        expression=select,
        replace=True,
    ).sql(dialect="duckdb", copy=False)


def _check(source: Source, table: exp.Expr, flag: str) -> exp.Select:
    """How many rows SQL refused, how many leave a declared column empty, and how many may
    repeat the header (only where every column's type accepts its name: else a header row
    is refused as it fails that type)."""

    def count(condition: exp.Expr) -> exp.Expr:
        return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=condition))

    columns = [exp.column(column, quoted=True) for column in source.columns]
    empty = exp.or_(
        *(exp.Is(this=column.copy(), expression=exp.Null()) for column in columns), copy=False
    )
    names = [_named(source, column) for column in source.columns]
    header = exp.and_(*names, copy=False) if len(columns) > 1 and None not in names else exp.false()
    return exp.select(count(exp.column(flag, quoted=True)), count(empty), count(header)).from_(
        table.copy()
    )


def _named(source: Source, column: str) -> exp.Expr | None:
    """Whether a row's cell of ``column`` may be the column's name (as the reader's
    :func:`~iku_rules.sources.reader.repeats_header` sees it: a text holding it, case
    ignored, or a value equal to what the reader reads of the name); None when the
    column's type does not accept its name, so that a row repeating the header is refused."""
    kind = source.columns[column]
    cell = exp.column(column, quoted=True)
    name = column.strip()
    try:
        value = convert(name, kind, source.notation)
    except ValueError:
        return None
    if value is None:
        return None
    if kind not in TYPES:  # text and identifiers, as written
        return call("contains", exp.Lower(this=cell), text(name.lower()))
    written = value.isoformat() if isinstance(value, dt.date) else format(value, "f")
    return exp.EQ(this=cell, expression=exp.Cast(this=text(written), to=sql_type(TYPES[kind])))
