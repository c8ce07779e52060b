"""What the backends over the office's own engine share (PostgreSQL, Spark): each source is
read from a table of the office's through a typed subquery, after its declared columns, its
identifiers and its numbers kept as text are checked there, and the rows of sums it may hold
(a row of totals, a program row over its sub kegiatan) are looked for as the readers of
files look for them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from sqlglot import exp

from iku_rules.decimals import plain
from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.cast_dates import cast_date_message
from iku_rules.sources.cells import DataError
from iku_rules.sources.dialects import render
from iku_rules.sources.external import (
    TEXT_TYPES,
    OfficeBuilder,
    cell_message,
    date_message,
    decimals_message,
    float_column_message,
    float_message,
    identifier_check,
    identifier_message,
    missing_columns,
    number_message,
    text_number_problem,
    text_numbers,
    typed_column,
)
from iku_rules.sources.layout import _Place
from iku_rules.sources.lost_digits import (
    MIN_DISTINCT,
    distinct_count,
    lost_columns,
    refusal,
    tallies,
)
from iku_rules.sources.nested_codes import SumsCheck, looked_at
from iku_rules.sources.sql import Builder, Query
from iku_rules.sources.sql_backend import SqlBackend
from iku_rules.sources.totals_rows import LABELS, applies

NUMBER_KINDS = frozenset({"integer", "decimal"})
"""The declared column types a column of floats may hold."""


class OfficeBackend(SqlBackend):
    """A SQL backend whose sources are tables of the office's (``_tables``: by source id,
    the table, or Spark's file reader, each is read from)."""

    _tables: dict[str, exp.Expr]

    def __init__(
        self, sources: Sequence[Source], data_dir: Path, *, allow_outside: bool = False
    ) -> None:
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        self._tables = {}
        self._names: dict[str, str] = {}
        """By source id, the name of the table (or file) each is read from, as messages
        show it."""

    def place(self, source: Source, column: str, message: str) -> DataError | None:
        """``message``, of a cell of ``column``, at the table ``source`` is read from,
        naming the table, the source and the column as the reader names a file's row and
        column; None when the source is read from a file (its row can be found there).
        A table has no row a person could count to: the message itself quotes the cell."""
        name = self._names.get(source.id)
        if name is None:
            return None
        return DataError(cell_message(source, name, column, message), column=column)

    def data_place(self, source: Source) -> tuple[str, Path | None]:
        """A table of the office's (no file: ``path`` is not where its data are) is named
        as its other messages name it: ``table 'reg' of source 'reg'``."""
        if self.from_files():
            return super().data_place(source)
        return TablePlace(source, source.table_name).label, None

    def from_files(self) -> bool:
        """Whether the sources are read from the data folder's files (Spark's file reader)
        rather than from tables of the office's."""
        return False

    def builder(self, renamed: Mapping[str, Mapping[str, str]] | None = None) -> OfficeBuilder:
        return OfficeBuilder(self.dialect, renamed=renamed or {}, tables=self._tables)

    def read_from(
        self,
        source: Source,
        name: str,
        table: exp.Expr,
        columns: Sequence[str],
        floats: Mapping[str, str] | None = None,
        texts: Collection[str] = (),
    ) -> None:
        """Read ``source`` from ``table`` (named ``name``, holding ``columns``; ``floats``
        names those of them kept as floats, with their type, ``texts`` those kept as text)
        once it has every declared column, no column of floats declared other than a number
        (a NIK or a code kept as a float has lost digits or zeros before it is read), every
        number kept as text is one the engine's cast reads as the source's notation does
        (:meth:`_check_text_numbers`), every cell is one the engine reads as the reader does
        (:func:`~iku_rules.sources.external.identifier_check`), and it holds no row of sums
        (:meth:`_check_sums`); nothing is copied."""
        absent = missing_columns(source, columns)
        if absent:
            raise DataError(
                _(
                    "table '{table}' of source '{source}' has no column '{column}'"
                    " (its columns: {columns})"
                ).format(
                    table=name,
                    source=source.id,
                    column=absent[0],
                    columns=", ".join(columns) or _("none"),
                )
            )
        floats = floats or {}
        for column, float_type in floats.items():
            if column in source.columns and source.columns[column] not in NUMBER_KINDS:
                raise DataError(float_column_message(source, name, column, float_type))
        for column in texts:
            if source.columns.get(column) in NUMBER_KINDS:
                self._check_text_numbers(source, name, table, column)
        self._tables[source.id] = table
        self._names[source.id] = name
        self._check_cells(source, name, table, floats)
        self._check_lost_digits(source, name, table)
        self._check_sums(source, name)

    def _check_cells(
        self, source: Source, name: str, table: exp.Expr, floats: Mapping[str, str]
    ) -> None:
        """Refuse the first cell of ``table`` (named ``name``) the engine's cast would not
        read as the reader does (:func:`~iku_rules.sources.external.identifier_check`)."""
        check = identifier_check(OfficeBuilder(self.dialect), source, table, floats)
        if check is None:
            return
        for column, problem, cell in self.execute(Query(render(check, self.dialect), {}, ())):
            found = str(column), str(cell)
            if problem == "float":
                raise DataError(float_message(source, name, *found, floats[found[0]]))
            if problem == "decimals":
                raise DataError(decimals_message(source, name, *found))
            if problem == "date":
                raise DataError(date_message(source, name, *found))
            if problem == "cast":
                said = cast_date_message(self.dialect, found[1])
                raise DataError(cell_message(source, name, found[0], said), column=found[0])
            if problem == "number":
                raise DataError(number_message(source, name, *found))
            raise DataError(identifier_message(source, name, *found))

    def _check_lost_digits(self, source: Source, name: str, table: exp.Expr) -> None:
        """Refuse a NIK or No KK column of the table ``name`` whose identifiers all end in 0,
        :data:`~iku_rules.sources.lost_digits.MIN_DISTINCT` different ones or more: Excel
        wrote 0 for their 16th digit (:mod:`~iku_rules.sources.lost_digits`). One aggregate
        over the table; the different ones are counted only in a column it flags."""
        columns = lost_columns(source)
        if not columns:
            return
        builder = OfficeBuilder(self.dialect)
        cells = [typed_column(builder, column, source.columns[column]) for column in columns]
        tallied = exp.select(*tallies(cells)).from_(table.copy())
        ((*found,),) = self.execute(Query(render(tallied, self.dialect), {}, ()))
        for index, (column, cell) in enumerate(zip(columns, cells, strict=True)):
            count, other = int(found[2 * index]), int(found[2 * index + 1])
            if count < MIN_DISTINCT or other:
                continue
            counted = distinct_count(cell, table)
            ((distinct,),) = self.execute(Query(render(counted, self.dialect), {}, ()))
            if int(distinct) >= MIN_DISTINCT:
                raise DataError(
                    cell_message(source, name, column, refusal(source, column, int(distinct))),
                    column=column,
                )

    def _check_text_numbers(self, source: Source, name: str, table: exp.Expr, column: str) -> None:
        """Refuse the first cell of the number ``column``, kept as text in the table ``name``,
        that the engine's cast would read otherwise than the reader in the source's notation
        (``23.500``, 23500 in notation ``id``, 23.5 to the cast) or not at all (``-``)."""
        statement = text_numbers(OfficeBuilder(self.dialect), source, column, table)
        for (cell,) in self.execute(Query(render(statement, self.dialect), {}, ())):
            problem = text_number_problem(source, name, column, str(cell), self.name)
            if problem is not None:
                raise DataError(problem, column=column)

    def _check_sums(self, source: Source, name: str) -> None:
        """Refuse a row of totals or a parent row by its codes in the register ``source``,
        read from the table ``name``, by the readers' rules; a table :func:`sums_check`
        finds neither a title nor codes of two depths in is not read row by row."""
        builder = OfficeBuilder(self.dialect, tables=self._tables)
        check = sums_check(builder, source)
        if check is None or self.execute(Query(render(check, self.dialect), {}, ())) == [(False,)]:
            return
        place = TablePlace(source, name)
        place.header = list(source.columns)
        sums = SumsCheck(source, place)
        width = len(source.columns)
        rows = exp.select(
            *(
                typed_column(builder, column, "text")
                if kind in TEXT_TYPES
                else builder.column(column)
                for column, kind in source.columns.items()
            ),
            *(typed_column(builder, column, kind) for column, kind in source.columns.items()),
        ).from_(self._tables[source.id].copy())
        query = Query(render(rows, self.dialect), {}, ())
        for number, row in enumerate(self.execute(query), start=1):  # numbers as quoted:
            # without the zeros a decimal type pads them with (Spark's 11.000000 is 11)
            raw = [plain(cell) if isinstance(cell, Decimal) else cell for cell in row[:width]]
            values = row[width:]
            record = dict(zip(source.columns, values, strict=True))
            sums.see(number, raw, raw, record)
        sums.end()


class TablePlace(_Place):
    """The office's table a source is read from, as messages name it in place of a file:
    ``table 'pegawai' of source 'honor', row 3``."""

    def __init__(self, source: Source, table: str) -> None:
        super().__init__(source, Path(table))
        self.name = self.label = _("table '{table}' of source '{source}'").format(
            table=table, source=source.id
        )

    def error(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        whole: bool = False,
    ) -> DataError:
        error = super().error(message, row=row, column=column, whole=whole)
        error.path = None  # no file of the office's holds it
        return error


_SPACE = r"[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
"""What Python's ``str.split`` and ``\\s`` take for white space, as PostgreSQL's and Java's
regular expressions write it (PostgreSQL's ``[[:space:]]`` is ASCII only under the
collation ``"C"``)."""
_MAY_TITLE = "^" + _SPACE + "*(" + "|".join(sorted({label[:3] for label in LABELS})) + ")"
"""A cell that may title a row of totals, matched without regard to case: its first three
letters those of one of :data:`~iku_rules.sources.totals_rows.LABELS`, after white space (the
reader's own first look, :data:`~iku_rules.sources.totals_rows._MAY_TITLE`)."""
_CODE = "^" + _SPACE + r"*([0-9]+|[Xx]+)(\.([0-9]+|[Xx]+))+" + _SPACE + "*$"
"""A cell that is a code (:data:`~iku_rules.sources.nested_codes.CODE`): ``1.06.02``."""


def _may_title(builder: Builder, cell: exp.Expr) -> exp.Expr:
    """Whether ``cell`` matches :data:`_MAY_TITLE` without regard to case: PostgreSQL's
    ``~*``; Spark has no such operator, and its ``RLIKE`` (Java's expressions) is told so by
    ``(?i)`` (the labels are ASCII letters, which it folds)."""
    if builder.dialect == "postgres":
        return exp.RegexpILike(this=cell, expression=exp.Literal.string(_MAY_TITLE))
    return exp.RegexpLike(this=cell, expression=exp.Literal.string("(?i)" + _MAY_TITLE))


def sums_check(builder: OfficeBuilder, source: Source) -> exp.Expr | None:
    """One statement over ``source``'s table answering whether it may hold a row of sums: a
    text cell that may title a row of totals (:data:`_MAY_TITLE`), or, in a register with
    a column of numbers, a text column holding codes (:data:`_CODE`) of two depths. None
    when the source is no register or has no text column (nothing to look for)."""
    if not applies(source):
        return None
    texts = [column for column, kind in source.columns.items() if kind in TEXT_TYPES]
    if not texts:
        return None
    cells = [typed_column(builder, column, "text") for column in texts]
    titled = exp.or_(*(_may_title(builder, cell.copy()) for cell in cells), copy=False)
    found: list[exp.Expr] = [exp.func("bool_or", titled)]
    if looked_at(source):
        for cell in cells:
            dots = exp.Sub(
                this=exp.Length(this=cell.copy()),
                expression=exp.Length(
                    this=exp.Anonymous(
                        this="replace",
                        expressions=[cell.copy(), exp.Literal.string("."), exp.Literal.string("")],
                    )
                ),
            )
            code = exp.RegexpLike(this=cell.copy(), expression=exp.Literal.string(_CODE))
            depth = exp.Case(ifs=[exp.If(this=code, true=dots)])
            found.append(
                exp.LT(this=exp.func("min", depth.copy()), expression=exp.func("max", depth))
            )
    either = exp.func("coalesce", exp.or_(*found, copy=False), exp.false())
    return exp.select(either).from_(builder.tables[source.id].copy())
