"""PostgreSQL: the definitions evaluated in the office's own database, through psycopg 3.

Each source is a table (or view) of the database, named by the source's ``table``
(else its id), with the declared columns. Nothing is copied: every statement of
:mod:`iku_rules.sources.sql` reads the table through a subquery that types its
columns (:mod:`iku_rules.sources.external`), with PostgreSQL's exact ``NUMERIC``
(sums come back as :class:`~decimal.Decimal`, never floats).

**Where the database is.** A URL, ``postgresql://user@host:5432/database``, on the
command line (``iku eval DIR --source postgresql://…``) or in the definitions::

    [database]
    url = "postgresql://sakip@db.pandeglang.go.id/sakip"
    password_env = "SAKIP_DB_PASSWORD"   # optional: the variable holding the password
    statement_timeout = 300              # seconds, optional (default 300)

**The password** never comes from a file of the definitions nor from a URL: it comes
from ``PGPASSWORD``, from the variable ``password_env`` names, or from ``~/.pgpass``
(libpq reads both itself). A URL that carries one is refused before anything is sent.

**Safety.** The session is read only (``default_transaction_read_only``), every
statement stops after ``statement_timeout`` on the server, dates written as text are
read day first (``DateStyle`` ``ISO, DMY``, as the reader reads ``05/01/2026``), and
a cell the reader would refuse but a cast would read otherwise stops the evaluation with
the table, column and value (:func:`~iku_rules.sources.external.identifier_check`): an
identifier (``nik`` …) holding other than its digits, a ``double precision`` of 16 digits
or more, a date not written ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (``05/01/26``), a number
its 6 decimals do not hold (``0.0000025``), a number kept as text that the cast reads
otherwise than the source's notation (``23.500``, 23500 in notation ``id``, 23.5 to the
cast) or not at all (``-``; :func:`~iku_rules.sources.external.text_numbers`); and the
whole table, when a column it declares an identifier or text is one of floats (``double
precision``: a NIK kept as a float has lost its last digits).

**Rows of sums.** A register's table may hold a row of totals (``JUMLAH`` under the staff)
or rows of a program and its kegiatan over their sub kegiatan, as a file may
(:mod:`~iku_rules.sources.totals_rows`, :mod:`~iku_rules.sources.nested_codes`): summed
with the records, they count them twice. One pass over the table in SQL
(:func:`~iku_rules.sources.office_backend.sums_check`) looks for a text cell that may
title such a row or a column of codes of two depths; only a table that has one is read row
by row, in the order the database gives, and judged by the readers' own rules, refused at
its row (counted from 1).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from attrs import frozen
from sqlglot import exp

from iku_rules.errors import IkuError
from iku_rules.i18n import N_, _
from iku_rules.library_errors import database_reason
from iku_rules.model import Source
from iku_rules.sources.base import Signature
from iku_rules.sources.cells import DataError
from iku_rules.sources.dialects import render
from iku_rules.sources.external import (
    TEXT_OIDS,
    not_whole,
    office_table,
)
from iku_rules.sources.layout import could_not_run
from iku_rules.sources.office_backend import OfficeBackend
from iku_rules.sources.sql import Dialect, Query

SCHEMES = ("postgresql", "postgres")
DEFAULT_TIMEOUT = 300
"""Seconds a statement may run on the server before it is stopped."""
TIMESTAMPTZ = 1184
"""The OID of PostgreSQL's ``timestamp with time zone``."""
FLOATS = {700: "real", 701: "double precision"}  # i18n: not for planners
"""The OIDs of PostgreSQL's floating point types, and their names."""
EXTRA = "postgresql"
"""The optional dependency that brings psycopg: ``pip install 'iku-rules[postgresql]'``."""


class DatabaseSettingError(IkuError):
    """A database URL or setting that cannot be used, said in plain words."""


@frozen
class Database:
    """Where the database is and how to reach it (never a password)."""

    url: str
    password_env: str | None = None
    statement_timeout: int = DEFAULT_TIMEOUT
    origin: str = N_("on the command line")
    """Where the URL was given: the command line, or a definitions file (translated where
    it is shown)."""

    def redacted(self) -> str:
        """The URL as messages show it."""
        parts = urlsplit(self.url)
        return parts._replace(query="").geturl()


def is_database_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in SCHEMES


def database(
    url: str,
    *,
    password_env: str | None = None,
    statement_timeout: int | None = None,
    origin: str = N_("on the command line"),
) -> Database:
    """A checked :class:`Database`: a PostgreSQL URL without a password.

    >>> database("postgresql://sakip@localhost:5433/sakip").statement_timeout
    300
    >>> database("postgresql://sakip:rahasia@localhost/sakip")
    Traceback (most recent call last):
    ...
    iku_rules.sources.postgres.DatabaseSettingError: the database URL given on the command line carries a password; a password is never written in a URL or a file of the definitions: put it in the variable PGPASSWORD (or the one password_env names) or in ~/.pgpass, and give the URL without it (postgresql://sakip@localhost/sakip)
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise DatabaseSettingError(
            _("'{url}' is not a PostgreSQL URL; write postgresql://user@host:port/database").format(
                url=url
            )
        )
    query = dict(parse_qsl(parts.query))
    if parts.password is not None or "password" in query:
        user = f"{parts.username}@" if parts.username else ""
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        shown = parts._replace(netloc=f"{user}{host}{port}", query="").geturl()
        raise DatabaseSettingError(
            _(
                "the database URL given {origin} carries a password; a password is never"
                " written in a URL or a file of the definitions: put it in the variable"
                " PGPASSWORD (or the one password_env names) or in ~/.pgpass, and give the URL"
                " without it ({url})"
            ).format(origin=_(origin), url=shown)
        )
    timeout = DEFAULT_TIMEOUT if statement_timeout is None else statement_timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        raise DatabaseSettingError(
            _("statement_timeout must be a whole number of seconds above 0, not {value}").format(
                value=repr(timeout)
            )
        )
    return Database(url, password_env, timeout, origin)


def from_definitions(settings: Mapping[str, Any], origin: str) -> Database:
    """The ``[database]`` table of a definitions file, checked: ``url``, optionally
    ``password_env`` and ``statement_timeout``; a ``password`` is refused."""
    known = ("url", "password_env", "statement_timeout")
    if "password" in settings:
        raise DatabaseSettingError(
            _(
                "{file}: [database] has a password; a password is never written in the"
                " definitions: put it in the variable PGPASSWORD (or name another with"
                " password_env) or in ~/.pgpass"
            ).format(file=origin)
        )
    unknown = [key for key in settings if key not in known]
    if unknown:
        raise DatabaseSettingError(
            _("{file}: unknown field '{field}' in [database] (the fields are {fields})").format(
                file=origin, field=unknown[0], fields=", ".join(known)
            )
        )
    url = settings.get("url")
    if not isinstance(url, str):
        raise DatabaseSettingError(
            _('{file}: [database] needs url = "postgresql://…"').format(file=origin)
        )
    password_env = settings.get("password_env")
    if password_env is not None and not isinstance(password_env, str):
        raise DatabaseSettingError(
            _("{file}: password_env must name a variable, as text").format(file=origin)
        )
    return database(
        url,
        password_env=password_env,
        statement_timeout=settings.get("statement_timeout"),
        origin=_("in {file}").format(file=origin),
    )


def definitions_database(files: Sequence[Path]) -> Database | None:
    """The ``[database]`` a definitions folder declares (in any of its files), or None."""
    import tomllib

    for path in files:
        if path.suffix != ".toml":
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # iku check reports it; the loader has refused such a folder already
        settings = data.get("database")
        if isinstance(settings, Mapping):
            return from_definitions(settings, str(path))
        if settings is not None:
            raise DatabaseSettingError(
                _("{file}: database must be a table: [database] url = …").format(file=path)
            )
    return None


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise IkuError(
            _("the PostgreSQL backend needs psycopg: pip install 'iku-rules[{extra}]'").format(
                extra=EXTRA
            )
        ) from None
    return psycopg


class PostgresBackend(OfficeBackend):
    """The office's PostgreSQL database: one read-only session, a statement timeout."""

    name = "postgresql"
    dialect: Dialect = "postgres"

    def __init__(
        self,
        sources: Sequence[Source],
        data_dir: Path,
        *,
        allow_outside: bool = False,
        target: Database,
    ) -> None:
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        psycopg = _psycopg()
        self.target = target
        extra: dict[str, Any] = {}
        if target.password_env is not None:
            password = os.environ.get(target.password_env)
            if password is None:
                raise DatabaseSettingError(
                    _(
                        "the variable {variable} (password_env) is not set;"
                        " set it to the database password"
                    ).format(variable=target.password_env)
                )
            extra["password"] = password
        try:
            self.connection = psycopg.connect(
                target.url, autocommit=True, connect_timeout=30, **extra
            )
        except psycopg.Error as error:
            raise DatabaseSettingError(
                _("cannot connect to the database {url}: {reason}").format(
                    url=target.redacted(), reason=database_reason(error) or _first_line(error)
                )
            ) from None
        self.connection.execute(
            "SELECT set_config('statement_timeout', %s, false),"
            " set_config('default_transaction_read_only', 'on', false),"
            " set_config('DateStyle', 'ISO, DMY', false)",
            [f"{target.statement_timeout}s"],
        )
        self._tables: dict[str, exp.Expr] = {}

    def stamp(self, source: Source) -> tuple[Path, Signature] | None:
        return None  # a table has no file to watch: every evaluation reads it afresh

    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        psycopg = _psycopg()
        try:
            return list(self.connection.execute(query.sql, query.params).fetchall())
        except psycopg.errors.QueryCanceled:
            raise DataError(
                _(
                    "PostgreSQL stopped a query after {seconds} s"
                    " (statement_timeout); raise it in [database] if the tables are that large"
                ).format(seconds=self.target.statement_timeout)
            ) from None
        except psycopg.Error as error:
            reason = database_reason(error) or _first_line(error)
            raise DataError(could_not_run("PostgreSQL", reason)) from error

    def load(self, source: Source) -> None:
        """Check that the source's table has its declared columns and that its
        identifiers are whole; nothing is copied."""
        name = source.table_name
        table = office_table(name)
        described = _columns(self, table, source)
        for column, type_code in described:
            if type_code == TIMESTAMPTZ and source.columns.get(column) == "date":
                raise DataError(
                    _(
                        "table '{table}' of source '{source}', column '{column}' holds times"
                        " with a time zone (timestamp with time zone): the date of each depends"
                        " on the zone it is read in (2026-01-01 03:00 WIB is 31 December 2025"
                        " in UTC); keep the column as a date"
                    ).format(table=name, source=source.id, column=column)
                )
        floats = {column: FLOATS[code] for column, code in described if code in FLOATS}
        texts = [column for column, code in described if code in TEXT_OIDS]
        self.read_from(source, name, table, [column for column, _code in described], floats, texts)

    def drop(self, source: Source) -> None:
        self._tables.pop(source.id, None)

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        found = super().fractional(source, key_column, keys, value_column, places)
        if found is not None:  # there is no file to name a row of: name the table
            raise not_whole(source, key_column, value_column, found, places)
        return None

    def close(self) -> None:
        self.connection.close()


def _columns(backend: PostgresBackend, table: exp.Table, source: Source) -> list[tuple[str, int]]:
    """The columns of the office's table, each with the OID of its type."""
    psycopg = _psycopg()
    statement = render(exp.select(exp.Star()).from_(table).limit(0), backend.dialect)
    try:
        cursor = backend.connection.execute(statement, {})  # with values: %% is read as %
    except psycopg.errors.UndefinedTable:
        raise DataError(
            _(
                "the database {url} has no table '{table}' for source '{source}'"
                ' (name it with table = "…" in the source)'
            ).format(url=backend.target.redacted(), table=source.table_name, source=source.id)
        ) from None
    except psycopg.Error as error:
        raise DataError(
            _("PostgreSQL could not read table '{table}': {reason}").format(
                table=source.table_name, reason=database_reason(error) or _first_line(error)
            )
        ) from error
    return [(column.name, column.type_code) for column in cursor.description or ()]


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
