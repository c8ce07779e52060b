"""Which tables of a DuckDB file the DuckDB backend reads in place, typed by the reader's rules.

A ``.duckdb`` source is read in place (a view over the attached file, nothing copied) only
where DuckDB's cast of each declared column gives what :mod:`iku_rules.sources.reader`
reads of every cell it can hold, by the column's type in the file:

* ``text``: ``VARCHAR``, a blank cell (nothing, or only what Python's ``str.strip``
  removes) missing;
* ``nik``, ``no_kk``, ``nip``, ``identifier``: ``VARCHAR``, when one pass over the table
  found every cell blank or written as the reader keeps it (16 or 18 digits; an
  identifier without white space around it and not in scientific notation);
* ``integer``: the integer types up to ``BIGINT``/``UBIGINT`` and ``DECIMAL(p, 0)`` with
  ``p`` at most 20 (every value within the reader's limit);
* ``decimal``: those, and ``DECIMAL(p, s)`` with at most 6 decimals and 20 digits before
  the point;
* ``date``: ``DATE`` and ``TIMESTAMP`` (the time dropped).

Any other column (numbers kept as ``DOUBLE`` or as text, a NIK kept as a number, dates as
text or with a time zone, booleans, blobs), a declared column the table lacks or has twice,
a table that may repeat its header in a row, a column of NIKs all ending in 0
(:mod:`~iku_rules.sources.lost_digits`), or a register with a text cell that may title
a row of totals (``JUMLAH``, :mod:`~iku_rules.sources.totals_rows`; in a row with a blank
cell where the register has no column of numbers):
the reader reads the table into a table of the engine, and accepts, reads in the source's
notation or refuses (with table, row and column) each cell as it does on every backend.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import duckdb
from attrs import evolve
from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.library_errors import database_reason
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import Source
from iku_rules.sources.cells import IDENTIFIER_TYPES, DataError
from iku_rules.sources.confine import check_duckdb_table, expect_kind
from iku_rules.sources.layout import not_in_folder
from iku_rules.sources.lost_digits import KINDS, may_have_lost
from iku_rules.sources.nested_codes import looked_at
from iku_rules.sources.reader import data_path
from iku_rules.sources.sql import Builder, internal_table
from iku_rules.sources.sql_cells import (
    IDENTIFIERS,
    NOT_IDENTIFIER,
    blank_cell,
    code_depth,
    depths_differ,
    matches,
    totals_label_cell,
)
from iku_rules.sources.totals_rows import applies, by_numbers

_WHOLE = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
)
"""Integer types whose every value has at most 20 digits (the reader's limit)."""

_DECIMAL = re.compile(r"DECIMAL\(([0-9]+),([0-9]+)\)")

_MAX_SCALE = 6
_MAX_WHOLE = 20


def _exact(stored: str, declared: str) -> bool:
    """Whether DuckDB's cast of a column stored as ``stored`` gives, for every value it can
    hold, what the reader reads of it as ``declared`` (integer, decimal or date)."""
    if declared == "date":
        return stored in ("DATE", "TIMESTAMP")
    if stored in _WHOLE:
        return True
    match = _DECIMAL.fullmatch(stored.replace(" ", ""))
    if match is None:
        return False
    precision, scale = int(match.group(1)), int(match.group(2))
    if declared == "integer":
        return scale == 0 and precision <= _MAX_WHOLE
    return scale <= _MAX_SCALE and precision - scale <= _MAX_WHOLE


def in_place_columns(
    connection: Any, database: str, table: str, source: Source
) -> list[exp.Expr] | None:
    """The declared columns of ``table`` in the attached ``database``, each typed as the
    reader types it (named as declared), or None when the reader must read the table."""
    listed = connection.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = $database AND schema_name = 'main'",
        {"database": database},
    ).fetchall()
    tables = {
        str(name) for name, _column, _type in listed if str(name).casefold() == table.casefold()
    }
    if len(tables) != 1:
        return None  # the reader says which table is missing
    (found,) = tables
    stored = [(str(column), str(kind)) for name, column, kind in listed if name == found]
    builder = Builder("duckdb")
    totals = applies(source)
    columns: list[exp.Expr] = []
    checks: list[exp.Expr] = []
    texts: list[exp.Expr] = []
    titles: list[exp.Expr] = []
    blanks: list[exp.Expr] = []
    depths: list[exp.Expr] = []  # codes of two depths (1.06.02 over 1.06.02.2.01)
    nested = looked_at(source)
    sixteen: list[exp.Expr] = []  # NIKs, No KKs: all ending in 0, the reader judges
    for name, declared in source.columns.items():
        same = [(column, kind) for column, kind in stored if _same(column, name)]
        if len(same) != 1 or same[0][0].casefold() != name.casefold():
            return None  # missing, doubled, or written with spaces around: the reader says
        column, kind = same[0]
        raw = exp.column(column, quoted=True)
        if declared == "text" or declared in IDENTIFIER_TYPES:
            if kind != "VARCHAR":
                return None
            typed: exp.Expr = exp.Case(
                ifs=[exp.If(this=blank_cell(raw), true=exp.Null())], default=raw
            )
            texts.append(_call("contains", exp.Lower(this=raw.copy()), name.lower()))
            if declared in IDENTIFIER_TYPES:
                checks.append(_unlike(raw, declared))
            if declared in KINDS:
                sixteen.append(typed)
            if totals:  # a row of totals (JUMLAH): the reader judges it by its numbers
                titles.append(totals_label_cell(raw))
            if nested:  # a row of a program over its kegiatan: the reader judges it
                depths.append(exp.alias_(code_depth(raw), f"d{len(depths)}", quoted=True))
            blanks.append(blank_cell(raw))
        elif _exact(kind, declared):
            typed = exp.Cast(this=raw, to=builder.sql_type(declared))
            if declared == "date":  # a year typed short (0026), another calendar's, infinity
                checks.append(_out_of_years(typed))
        else:
            return None
        if declared not in ("text", *IDENTIFIER_TYPES):
            blanks.append(exp.Is(this=raw.copy(), expression=exp.Null()))
        columns.append(exp.alias_(typed, name, quoted=True))
    if titles:
        titled = exp.or_(*titles, copy=False)
        if not by_numbers(source) and len(source.columns) > 1:
            # without numbers, the reader refuses a title only in a row with a blank cell
            titled = exp.and_(exp.or_(*blanks, copy=False), titled, copy=False)
        checks.append(titled)
    if len(texts) == len(source.columns) > 1:  # a row may repeat the header: the reader judges
        checks.append(exp.and_(*texts, copy=False))
    if checks:
        query = (
            exp.select(exp.Literal.number(1))
            .from_(exp.table_(found, db=database, quoted=True))
            .where(exp.or_(*checks, copy=False))
            .limit(1)
        )
        if connection.execute(query.sql(dialect="duckdb")).fetchall():
            return None
    if depths:
        cells = exp.select(*depths).from_(exp.table_(found, db=database, quoted=True))
        differ = exp.select(depths_differ([f"d{index}" for index in range(len(depths))]))
        query = differ.from_(cells.subquery("cells", copy=False))
        if connection.execute(query.sql(dialect="duckdb")).fetchone() != (False,):
            return None
    if sixteen:
        cells = exp.select(may_have_lost(sixteen)).from_(
            exp.table_(found, db=database, quoted=True)
        )
        if connection.execute(cells.sql(dialect="duckdb")).fetchone() != (False,):
            return None
    return columns


def _out_of_years(date: exp.Expr) -> exp.Expr:
    """Whether a date cell falls outside the years the reader takes (0026-05-01, 2569's,
    ``infinity``): the reader refuses it at its row, where a state register would count it
    in every period."""
    first = exp.Cast(this=exp.Literal.string(f"{MIN_YEAR}-01-01"), to=exp.DataType.build("DATE"))
    last = exp.Cast(this=exp.Literal.string(f"{MAX_YEAR}-12-31"), to=exp.DataType.build("DATE"))
    within = exp.Between(this=date.copy(), low=first, high=last)
    return exp.and_(
        exp.not_(exp.Is(this=date.copy(), expression=exp.Null())), exp.not_(within), copy=False
    )


def _same(column: str, declared: str) -> bool:
    """Whether the reader takes the table's ``column`` for the ``declared`` one."""
    return column.strip().casefold() == declared.strip().casefold()


def _call(name: str, value: exp.Expr, text: str) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=[value, exp.Literal.string(text)])


def _unlike(raw: exp.Expr, declared: str) -> exp.Expr:
    """Whether an identifier cell is neither blank nor written as the reader keeps it."""
    accepted = matches(raw.copy(), IDENTIFIERS[declared])
    if declared == "identifier":
        refused = matches(exp.Trim(this=raw.copy()), NOT_IDENTIFIER)
        accepted = exp.and_(accepted, exp.not_(refused), copy=False)
    return exp.and_(exp.not_(blank_cell(raw.copy())), exp.not_(accepted), copy=False)


def attachable(source: Source, data_dir: Path, allow_outside: bool) -> Path:
    """The DuckDB file of ``source``, checked before it is attached: in the folder (its
    write-ahead log too), a DuckDB file, its table there and no view reaching elsewhere."""
    path = data_path(source, data_dir, allow_outside=allow_outside)
    if not path.is_file():
        raise DataError(not_in_folder(source, data_dir))
    if os.path.lexists(path.with_name(path.name + ".wal")):  # DuckDB reads it too
        data_path(evolve(source, path=f"{source.path}.wal"), data_dir, allow_outside=allow_outside)
    try:
        expect_kind(path, "duckdb")
    except ValueError as error:
        raise DataError(f"{source.path}: {error}", path=path) from None
    try:
        check_duckdb_table(path, source.table_name)
    except ValueError as error:
        where = f"{source.path}, table '{source.table_name}'"
        raise DataError(f"{where}: {error}", path=path) from error
    return path


def attach_view(connection: Any, source: Source, path: Path, alias: str) -> bool:
    """Attach the file at ``path`` read only as ``alias`` and make ``source``'s relation a
    view over its table, typed by :func:`in_place_columns`; False (the file attached, no
    view made) when the reader must read the table instead."""
    attach = exp.Attach(
        this=exp.alias_(exp.Literal.string(str(path)), alias),
        expressions=[exp.AttachOption(this=exp.var("READ_ONLY"))],
    )
    try:
        connection.execute(attach.sql(dialect="duckdb"))
        columns = in_place_columns(connection, alias, source.table_name, source)
        if columns is None:
            return False
        view = exp.Create(
            this=exp.table_(internal_table(source), quoted=True),
            kind="VIEW",
            expression=exp.select(*columns).from_(
                exp.table_(source.table_name, db=alias, quoted=True)
            ),
        )
        connection.execute(view.sql(dialect="duckdb"))
    except duckdb.Error as error:
        raise DataError(
            _("DuckDB could not open source '{source}' in {path}: {reason}").format(
                source=source.id, path=path, reason=database_reason(error) or error
            )
        ) from error
    return True
