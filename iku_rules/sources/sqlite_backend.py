"""SQLite, in memory: the second embedded backend, every source loaded through the typed
reader (:func:`~iku_rules.sources.reader.read_rows`), numbers stored as exact text and summed
by exact aggregates (:mod:`~iku_rules.sources.sqlite_numbers`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlglot import exp

from iku_rules.model import Source
from iku_rules.sources.cells import DataError
from iku_rules.sources.layout import could_not_run
from iku_rules.sources.reader import read_rows
from iku_rules.sources.sql import Builder, Dialect, Query, create_table, drop_table
from iku_rules.sources.sql_backend import SqlBackend
from iku_rules.sources.sqlite_numbers import register_sqlite_functions, sqlite_number


class SQLiteBackend(SqlBackend):
    """SQLite, in memory: every source loaded through the typed reader."""

    name = "sqlite"
    dialect: Dialect = "sqlite"
    one_pass = True

    def __init__(
        self, sources: Sequence[Source], data_dir: Path, *, allow_outside: bool = False
    ) -> None:
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        # Used from whichever thread asks; the engine's lock keeps it to one at a time.
        self.connection = sqlite3.connect(":memory:", check_same_thread=False)
        register_sqlite_functions(self.connection)

    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        try:
            return self.connection.execute(query.sql, query.params).fetchall()
        except sqlite3.Error as error:
            raise DataError(could_not_run("SQLite", error)) from None

    def load(self, source: Source) -> None:
        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        columns = list(source.columns)
        self.connection.execute(create_table("sqlite", source))
        builder = Builder("sqlite")
        placeholders = [exp.Placeholder(this=f"c{i}") for i in range(len(columns))]
        insert = exp.Insert(
            expression=exp.Values(expressions=[exp.Tuple(expressions=placeholders)]),
            this=exp.Schema(
                this=builder.table(source),
                expressions=[exp.to_identifier(c, quoted=True) for c in columns],
            ),
        )
        self.connection.executemany(
            insert.sql(dialect="sqlite"),
            ({f"c{i}": _cell(row.get(column)) for i, column in enumerate(columns)} for row in rows),
        )

    def drop(self, source: Source) -> None:
        self.connection.execute(drop_table(source, dialect="sqlite"))

    def close(self) -> None:
        self.connection.close()


def _cell(value: Any) -> Any:
    """A value as the SQLite backend stores it (numbers and dates as text)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return sqlite_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
