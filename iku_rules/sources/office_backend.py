"""What the backends over the office's own engine share (PostgreSQL, Spark): each source is
read from a table of the office's through a typed subquery, after its declared columns and
its identifiers are checked there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.cells import DataError
from iku_rules.sources.dialects import render
from iku_rules.sources.external import (
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
)
from iku_rules.sources.sql import Query
from iku_rules.sources.sql_backend import SqlBackend

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

    def builder(self, renamed: Mapping[str, Mapping[str, str]] | None = None) -> OfficeBuilder:
        return OfficeBuilder(self.dialect, renamed=renamed or {}, tables=self._tables)

    def read_from(
        self,
        source: Source,
        name: str,
        table: exp.Expr,
        columns: Sequence[str],
        floats: Mapping[str, str] | None = None,
    ) -> None:
        """Read ``source`` from ``table`` (named ``name``, holding ``columns``; ``floats``
        names those of them kept as floats, with their type) once it has every declared
        column, no column of floats declared other than a number (a NIK or a code kept
        as a float has lost digits or zeros before it is read), and every cell is one the
        engine reads as the reader does
        (:func:`~iku_rules.sources.external.identifier_check`); nothing is copied."""
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
        self._tables[source.id] = table
        self._names[source.id] = name
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
            if problem == "number":
                raise DataError(number_message(source, name, *found))
            raise DataError(identifier_message(source, name, *found))
