"""Rows of a table in a SQLite or DuckDB file, read through a confined connection."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from iku_rules import notation as notations
from iku_rules.i18n import _
from iku_rules.library_errors import database_reason
from iku_rules.sources.cells import DataError
from iku_rules.sources.layout import (
    Rows,
    _first_line,
    _listing,
    _locate,
    _needs,
    _pick,
    _Place,
    _unseen_sheet,
)


def _not_a_database(kind: str, error: BaseException) -> str:
    """Why the database file cannot be opened: in the planners' words when the cause is a
    common one (:func:`~iku_rules.library_errors.database_reason`), else the engine's."""
    known = database_reason(error)
    if known is not None:
        return _("the file cannot be read as a {kind} database: {reason}").format(
            kind=kind, reason=known
        )
    return _("the file cannot be read as a {kind} database ({reason})").format(
        kind=kind, reason=_first_line(error)
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_rows(columns: Sequence[str], place: _Place) -> Rows:
    from iku_rules.sources.confine import expect_kind, sqlite_budget_message, sqlite_connection

    try:
        expect_kind(place.path, "sqlite")
    except ValueError as error:
        raise place.error(str(error), whole=True) from None
    try:
        connection, budget = sqlite_connection(place.path)
    except (sqlite3.Error, OSError, ValueError) as error:
        raise place.error(_not_a_database("SQLite", error), whole=True) from error
    try:
        try:
            tables = [
                str(name)
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
        except sqlite3.Error as error:
            raise place.error(_not_a_database("SQLite", error), whole=True) from error
        try:
            yield from _table_rows(connection, tables, columns, place, sqlite3.Error, batch=1)
        except DataError:
            if budget.exceeded:
                raise place.error(sqlite_budget_message(place.source.table_name)) from None
            raise
    finally:
        connection.close()


def _duckdb_rows(columns: Sequence[str], place: _Place) -> Rows:
    try:
        import duckdb
    except ImportError as error:
        raise place.error(_needs("duckdb", "DuckDB"), whole=True) from error
    from iku_rules.sources.confine import check_duckdb_table, duckdb_connection, expect_kind

    try:
        expect_kind(place.path, "duckdb")
    except ValueError as error:
        raise place.error(str(error), whole=True) from None
    try:
        check_duckdb_table(place.path, place.source.table_name)
    except ValueError as error:
        raise place.error(str(error)) from error
    try:
        connection = duckdb_connection(str(place.path), read_only=True)
    except duckdb.Error as error:
        raise place.error(_not_a_database("DuckDB", error), whole=True) from error
    try:
        try:
            listed = connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_catalog = current_database() AND table_schema = current_schema() "
                "ORDER BY table_name"
            ).fetchall()
        except duckdb.Error as error:
            raise place.error(_not_a_database("DuckDB", error), whole=True) from error
        tables = [str(name) for (name,) in listed]
        yield from _table_rows(connection, tables, columns, place, duckdb.Error, batch=1000)
    finally:
        connection.close()


def _table_rows(
    connection: Any,
    tables: Sequence[str],
    columns: Sequence[str],
    place: _Place,
    failure: type[Exception],
    batch: int,
) -> Rows:
    """The declared columns of a table, through a DB-API connection (SQLite or DuckDB),
    fetched ``batch`` rows at a time (one at a time tells which row fails)."""
    wanted = place.source.table_name
    table = _pick(wanted, tables)
    if table is None:
        unseen = _unseen_sheet(wanted, tables, place.source.id, table=True)
        if unseen is not None:  # 'inputs ' is there, but the listing would not show it
            raise place.error(unseen, whole=True)
        message = (
            _("the database has no table '{table}' (its tables are {tables})").format(
                table=wanted, tables=_listing(tables)
            )
            if tables
            else _("the database has no table '{table}' (it has no tables)").format(table=wanted)
        )
        raise place.error(message, whole=True)
    number = 0
    try:
        cursor = connection.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")
        header = [str(description[0]) for description in cursor.description]
        indices = _locate(header, columns, place, _("the table"))
        selected = ", ".join(_quote(header[index]) for index in indices) or "NULL"
        place.header = [header[index] for index in indices]
        whole = _whole_declared(connection, table, [header[index] for index in indices])
        cursor = connection.execute(f"SELECT {selected} FROM {_quote(table)}")
        while True:
            fetched = cursor.fetchmany(batch)
            if not fetched:
                break
            for row in fetched:
                number += 1
                values = list(row)[: len(indices)]
                for position in whole:
                    _refuse_grouped(values[position], position, number, place)
                yield number, values, None, values
    except failure as error:
        known = database_reason(error)
        message = (
            _("the table cannot be read: {reason}").format(reason=known)
            if known is not None
            else _("the table cannot be read ({reason})").format(reason=_first_line(error))
        )
        raise place.error(message, row=number + 1 if batch == 1 and number else None) from error


def _whole_declared(connection: Any, table: str, columns: Sequence[str]) -> list[int]:
    """The positions in ``columns`` of those an SQLite ``table`` declares whole (a type with
    ``INT`` in it: SQLite's integer affinity); none for DuckDB, whose types are kept."""
    if not isinstance(connection, sqlite3.Connection):
        return []
    declared = {
        str(name): str(kind).upper()
        for _cid, name, kind, *_rest in connection.execute(f"PRAGMA table_info({_quote(table)})")
    }
    return [position for position, name in enumerate(columns) if "INT" in declared.get(name, "")]


def _refuse_grouped(value: object, position: int, row: int, place: _Place) -> None:
    """Refuse a decimal in a column SQLite declares whole that the office's notation reads
    otherwise as text: SQLite keeps the text ``'1.234'`` typed into an INTEGER column as the
    number 1.234, which notation ``id`` (or none declared) reads as 1234. A number the
    notations read alike (``12.5``) is kept."""
    if not isinstance(value, float) or value.is_integer() or not math.isfinite(value):
        return
    notation = place.source.notation
    if notation == notations.EN:
        return
    text = float.__repr__(value)
    found = notations.readings(text)
    if "id" not in found or found["id"] == Decimal(text):
        return
    raise place.error(
        _(
            "the cell holds {value} in a column the database declares whole (INTEGER):"
            " SQLite keeps text such as '{value}' typed into it as that decimal, where"
            " notation \"{notation}\" reads '{value}' as {reading}; store the whole number"
            ' meant, or declare notation = "en" on the [[source]] if {value} is meant'
        ).format(
            value=text,
            notation=notation.name,
            reading=notations.write(found["id"], notation, group=False),
        ),
        row=row,
        column=place.header[position],
    )
