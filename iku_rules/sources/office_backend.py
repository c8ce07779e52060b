"""What the backends over the office's own engine share (PostgreSQL, Spark): each source is
read from a table of the office's through a typed subquery, after its declared columns and
its identifiers are checked there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.cells import DataError
from iku_rules.sources.dialects import render
from iku_rules.sources.external import (
    OfficeBuilder,
    identifier_check,
    identifier_message,
    missing_columns,
    number_message,
)
from iku_rules.sources.sql import Query
from iku_rules.sources.sql_backend import SqlBackend


class OfficeBackend(SqlBackend):
    """A SQL backend whose sources are tables of the office's (``_tables``: by source id,
    the table, or Spark's file reader, each is read from)."""

    _tables: dict[str, exp.Expr]

    def builder(self, renamed: Mapping[str, Mapping[str, str]] | None = None) -> OfficeBuilder:
        return OfficeBuilder(self.dialect, renamed=renamed or {}, tables=self._tables)

    def read_from(self, source: Source, name: str, table: exp.Expr, columns: Sequence[str]) -> None:
        """Read ``source`` from ``table`` (named ``name``, holding ``columns``) once it has
        every declared column and its identifiers are whole; nothing is copied."""
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
        self._tables[source.id] = table
        check = identifier_check(OfficeBuilder(self.dialect), source, table)
        if check is not None:
            for column, cell in self.execute(Query(render(check, self.dialect), {}, ())):
                found = str(column), str(cell)
                if source.columns[found[0]] in ("integer", "decimal"):
                    raise DataError(number_message(source, name, *found))
                raise DataError(identifier_message(source, name, *found))
