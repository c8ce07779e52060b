"""What a data file can make the engine do: read itself, and nothing else.

A data folder may come from anywhere (a colleague's USB stick, a download), so the
files in it are treated as hostile:

* **Paths.** Every opener takes its file from
  :func:`~iku_rules.sources.reader.data_path`, which follows every link and refuses a
  file whose real place is outside the data folder (unless the user allows it).
* **Kinds.** A database file is opened only when its first bytes say it is what the
  source declares (:func:`expect_kind`): an SQLite file named ``.duckdb`` is refused
  before DuckDB could try to fetch an extension to read it.
* **DuckDB.** Every connection is made by :func:`duckdb_connection`: extensions are
  neither installed nor loaded, external access (files, network) is off except for
  the data files the engine itself names, and the configuration is locked so that no
  statement can turn any of it back on (an in-memory database opened ahead on a thread
  while the definitions load, :func:`connect_ahead`, is configured so when it is taken,
  before any statement runs on it). A database is opened read-only. A table that
  is a view is checked by :func:`check_duckdb_table` in a connection that may read no
  file at all: a view that reads files, calls itself without end, or uses macros of
  the file is refused with its name.
* **SQLite.** A database is opened read-only (``mode=ro``), extensions off, and the
  work SQLite may do reading it is bounded by the file's size (:func:`sqlite_connection`):
  a view that never ends stops with a message instead of filling memory.

Problems are :class:`ValueError` with a message in plain words; the callers add which
file and which source.
"""

from __future__ import annotations

import atexit
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from iku_rules.i18n import N_, _
from iku_rules.library_errors import database_reason, file_unreadable

if TYPE_CHECKING:
    import duckdb

FileKind = Literal["sqlite", "duckdb", "xlsx"]

_MAGIC: dict[FileKind, tuple[int, bytes]] = {
    "sqlite": (0, b"SQLite format 3\x00"),
    "duckdb": (8, b"DUCK"),
    "xlsx": (0, b"PK\x03\x04"),
}
"""Where each kind of file says what it is: an offset and the bytes found there."""

_KIND_NAMES: dict[FileKind, str] = {
    "sqlite": N_("an SQLite database"),
    "duckdb": N_("a DuckDB database"),
    "xlsx": N_("an Excel workbook (or another zip file)"),
}

SQLITE_WORK_PER_BYTE = 20
"""SQLite steps (virtual machine instructions) allowed per byte of the file: reading
every row of a table takes well under one per byte."""

SQLITE_WORK_FLOOR = 10_000_000
"""SQLite steps any file may take, however small (a tenth of a second or so)."""

_SQLITE_CHECK_EVERY = 10_000
"""How many SQLite steps pass between two looks at the budget."""


def file_kind(path: Path) -> FileKind | None:
    """What the file's first bytes say it is (``None``: none of these, or unreadable)."""
    try:
        with path.open("rb") as handle:
            start = handle.read(16)
    except OSError:
        return None
    for kind, (offset, magic) in _MAGIC.items():
        if start[offset : offset + len(magic)] == magic:
            return kind
    return None


def expect_kind(path: Path, wanted: FileKind) -> None:
    """Nothing when ``path`` is of the ``wanted`` kind; else a :class:`ValueError` that
    says what it is instead and which format to declare."""
    found = file_kind(path)
    if found == wanted:
        return
    if found is None:
        try:
            empty = path.stat().st_size == 0
        except OSError as error:
            raise ValueError(file_unreadable(error)) from None
        if empty and wanted == "sqlite":
            return  # SQLite reads an empty file as a database without tables
        if empty:
            raise ValueError(_("the file is empty"))
        raise ValueError(_("the file is not {kind}").format(kind=_(_KIND_NAMES[wanted])))
    raise ValueError(
        _('the file is {found}, not {wanted}; declare format = "{format}" for its source').format(
            found=_(_KIND_NAMES[found]), wanted=_(_KIND_NAMES[wanted]), format=found
        )
    )


# -- DuckDB

_NO_EXTENSIONS: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
"""What every DuckDB connection is opened with: no extension installed or loaded."""


class _Ahead:
    """An in-memory DuckDB connection being opened on a thread of its own
    (:func:`connect_ahead`); ``connection`` is None until ``done``, and stays None when
    opening failed (the caller then connects itself, which says what failed)."""

    def __init__(self) -> None:
        self.connection: duckdb.DuckDBPyConnection | None = None
        self.done = threading.Event()
        threading.Thread(target=self._open, name="iku-connect-ahead", daemon=True).start()

    def _open(self) -> None:
        try:
            import duckdb

            self.connection = duckdb.connect(":memory:", config=_NO_EXTENSIONS)
        except BaseException:  # the caller connects again, and is told what failed
            pass
        finally:
            self.done.set()


_ahead: _Ahead | None = None
_ahead_lock = threading.Lock()


def connect_ahead() -> None:
    """Begin opening an in-memory DuckDB connection on a thread of its own, for the next
    :func:`duckdb_connection` of an in-memory database to take, so that DuckDB starts its
    database (0.013–0.025 s) while the caller loads the definitions. The connection is
    configured as a new one would be, when it is taken; until then nothing runs on it. At
    most one is opened ahead at a time."""
    global _ahead, _closing_registered
    with _ahead_lock:
        if _ahead is None:
            _ahead = _Ahead()
        if not _closing_registered:
            atexit.register(_close_untaken)
            _closing_registered = True


_closing_registered = False


def _close_untaken() -> None:
    """At the process's end: a connection opened ahead and never taken is let finish
    opening, then closed. A process that ended while DuckDB was opening its database on the
    thread was aborted by DuckDB (``terminate called after throwing an instance of ''``,
    status 134) where it should have ended as it meant to: an ``Engine`` made and not used,
    or a script ending 10 ms after it made one."""
    global _ahead
    with _ahead_lock:
        ahead, _ahead = _ahead, None
    if ahead is None or not ahead.done.wait(_OPENING_AT_MOST):
        return  # a DuckDB that never opens does not keep the process from ending
    if ahead.connection is not None:
        ahead.connection.close()


_OPENING_AT_MOST = 30.0
"""The seconds the process's end waits for DuckDB to open the connection begun ahead (it
takes 0.02 s; a DuckDB that hangs is left to be cut off)."""


def _taken() -> duckdb.DuckDBPyConnection | None:
    """The connection opened ahead, once it is open (None: none was, or opening it
    failed)."""
    global _ahead
    with _ahead_lock:
        ahead, _ahead = _ahead, None
    if ahead is None:
        return None
    ahead.done.wait()
    return ahead.connection


def duckdb_connection(
    database: str = ":memory:",
    *,
    read_only: bool = False,
    allowed_paths: Iterable[Path] = (),
    allowed_directories: Iterable[Path] = (),
    temp_directory: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that reads no file and no network address but those named.

    Extensions are never installed or loaded; ``allowed_paths`` (files) and
    ``allowed_directories`` are the only places the connection may reach; then the
    configuration is locked. ``temp_directory`` is where DuckDB may spill (by default it
    cannot). ``database`` is opened ``read_only`` when asked.
    """
    import duckdb

    connection = _taken() if database == ":memory:" and not read_only else None
    if connection is None:
        connection = duckdb.connect(
            database,
            read_only=read_only,
            config={**_NO_EXTENSIONS, "enable_external_access": False}
            if database != ":memory:"
            else _NO_EXTENSIONS,
        )
    try:
        if database == ":memory:":
            settings: list[tuple[str, object]] = [
                ("allowed_paths", sorted({str(path) for path in allowed_paths})),
                ("allowed_directories", sorted({f"{path}/" for path in allowed_directories})),
            ]
            if temp_directory is not None:
                settings.insert(0, ("temp_directory", str(temp_directory)))
            for name, value in settings:
                connection.execute(f"SET {name} = $value", {"value": value})
            connection.execute("SET enable_external_access = false")
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


_RECURSIVE = re.compile(r"\bWITH\s+RECURSIVE\b", re.IGNORECASE)


def check_duckdb_table(path: Path, table: str) -> None:
    """Nothing when reading ``table`` of the DuckDB database ``path`` reads only that
    file and ends; else a :class:`ValueError` naming the view at fault.

    The database is opened read-only in a connection that may read no file: a view
    that reads files (``read_csv``, ``read_text``, ``FROM 'file.csv'``…) fails to bind
    there and is named. A view that calls itself (``WITH RECURSIVE``) is refused, since
    DuckDB cannot bound its work, and so is a database that defines macros (a table
    macro can hide a recursive query). A missing table is left to the reader.
    """
    import duckdb

    try:
        connection = duckdb_connection(str(path), read_only=True)
    except duckdb.Error as error:
        known = database_reason(error)
        raise ValueError(
            _("the file cannot be read as a {kind} database: {reason}").format(
                kind="DuckDB", reason=known
            )
            if known is not None
            else _("the file cannot be read as a {kind} database ({reason})").format(
                kind="DuckDB", reason=_first_line(error)
            )
        ) from error  # the engine's own words kept for developers
    try:
        views = {
            str(name): str(sql)
            for name, sql in connection.execute(
                "SELECT view_name, sql FROM duckdb_views() "
                "WHERE NOT internal AND database_name = current_database()"
            ).fetchall()
        }
        for name, sql in sorted(views.items()):
            if _RECURSIVE.search(sql):
                raise ValueError(
                    _(
                        "the view '{name}' calls itself (WITH RECURSIVE), which may never end;"
                        " a data file may hold tables and plain views only"
                    ).format(name=name)
                )
        macros = sorted(
            str(name)
            for (name,) in connection.execute(
                "SELECT DISTINCT function_name FROM duckdb_functions() "
                "WHERE NOT internal AND database_name = current_database()"
            ).fetchall()
        )
        if macros:
            raise ValueError(
                _(
                    "the database defines macros ({macros}); a data file may hold"
                    " tables and plain views only"
                ).format(macros=", ".join(macros))
            )
        wanted = next((name for name in views if name.casefold() == table.casefold()), None)
        if wanted is None:
            return
        try:
            connection.execute(f"SELECT * FROM {_quote(wanted)} LIMIT 0")
        except duckdb.PermissionException:
            raise ValueError(
                _(
                    "the view '{name}' reads files outside its database; a data file may"
                    " read only its own tables (copy the data into a table)"
                ).format(name=wanted)
            ) from None
        except duckdb.Error as error:
            known = database_reason(error)
            raise ValueError(
                _("the view '{name}' cannot be read: {reason}").format(name=wanted, reason=known)
                if known is not None
                else _("the view '{name}' cannot be read ({reason})").format(
                    name=wanted, reason=_first_line(error)
                )
            ) from error
    finally:
        connection.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


# -- SQLite


class SQLiteBudget:
    """Counts the work an SQLite connection does, and stops it past its budget."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.spent = 0

    def __call__(self) -> int:
        self.spent += _SQLITE_CHECK_EVERY
        return 1 if self.spent > self.steps else 0

    @property
    def exceeded(self) -> bool:
        return self.spent > self.steps


def sqlite_connection(path: Path) -> tuple[sqlite3.Connection, SQLiteBudget]:
    """The SQLite database ``path``, opened read-only, with extensions off and its work
    bounded by the file's size (:data:`SQLITE_WORK_PER_BYTE`, at least
    :data:`SQLITE_WORK_FLOOR` steps); the budget says whether it ran out (then the
    statement that ran out failed with ``sqlite3.OperationalError: interrupted``)."""
    size = path.stat().st_size
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    disable = getattr(connection, "enable_load_extension", None)
    if disable is not None:  # a Python built without extension loading has none to turn off
        disable(False)
    budget = SQLiteBudget(max(SQLITE_WORK_FLOOR, SQLITE_WORK_PER_BYTE * size))
    connection.set_progress_handler(budget, _SQLITE_CHECK_EVERY)
    return connection, budget


def sqlite_budget_message(table: str) -> str:
    """What to say when reading ``table`` ran out of its budget."""
    return _(
        "reading '{table}' did not end within the work a file of this size allows"
        " (a view that calls itself without end?); keep the data in a table"
    ).format(table=table)


def allowed_files(paths: Sequence[Path]) -> list[Path]:
    """The files a DuckDB connection must reach to read ``paths``: each file, and for a
    database its write-ahead log (which DuckDB looks for even when reading)."""
    found: list[Path] = []
    for path in paths:
        found.append(path)
        found.append(path.with_name(path.name + ".wal"))
    return found
