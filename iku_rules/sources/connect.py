"""Which backend runs the aggregates, and where an engine of the office's own is.

The embedded engines (DuckDB, SQLite, Python) need only the data folder. PostgreSQL
needs a database (:class:`~iku_rules.sources.postgres.Database`: a URL on the command
line or ``[database]`` in the definitions); Spark a session
(:class:`SparkTarget`: a running ``SparkSession``, or a master to start one with).
Nothing here imports a driver: choosing a backend whose extra is not installed says
which to install when it first connects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.sources import BACKEND_NAMES, EMBEDDED_BACKENDS

DEFAULT_MASTER = "local[2]"


@frozen
class SparkTarget:
    """A Spark session to run in: ``session`` (a ``SparkSession`` already running), or
    one started with ``master`` (``local[2]``: on this machine, two cores).

    ``catalog`` True reads each source from the session's catalog, a table named by the
    source's ``table`` (else its id); False reads the source's file from the data
    folder (Parquet files by Spark itself, every other format through the reader)."""

    master: str = DEFAULT_MASTER
    session: Any = None
    catalog: bool = False


def target(backend: str | None, connect: Any, files: Sequence[Path]) -> tuple[str, Any]:
    """The backend's name and what it connects to (None for an embedded backend)."""
    if connect is None and (backend is None or backend in EMBEDDED_BACKENDS):
        return backend or "duckdb", None  # no module of a server's backend imported
    from iku_rules.sources.postgres import Database, database, definitions_database, is_database_url

    if backend is None:
        if (isinstance(connect, str) and is_database_url(connect)) or isinstance(connect, Database):
            backend = "postgresql"
        elif isinstance(connect, SparkTarget) or _is_spark_session(connect):
            backend = "spark"
        else:
            backend = "duckdb"
    if backend not in BACKEND_NAMES:
        raise IkuError(
            _("unknown backend '{backend}'; choose one of {backends}").format(
                backend=backend, backends=", ".join(BACKEND_NAMES)
            )
        )
    if backend == "postgresql":
        if isinstance(connect, Database):
            return backend, connect
        if isinstance(connect, str):
            return backend, database(connect)
        if connect is None:
            found = definitions_database(files)
            if found is None:
                raise IkuError(
                    _(
                        "the postgresql backend needs a database: give --source"
                        " postgresql://user@host/database, or url in a [database] table of the"
                        " definitions"
                    )
                )
            return backend, found
        raise IkuError(
            _("a PostgreSQL database is given by its URL, not {kind}").format(
                kind=type(connect).__name__
            )
        )
    if backend == "spark":
        if connect is None:
            return backend, SparkTarget()
        if isinstance(connect, SparkTarget):
            return backend, connect
        if isinstance(connect, str):
            if is_database_url(connect):
                raise IkuError(
                    _("'{url}' is a PostgreSQL URL; choose --backend postgresql").format(
                        url=connect
                    )
                )
            return backend, SparkTarget(master=connect)
        if _is_spark_session(connect):
            return backend, SparkTarget(session=connect)
        raise IkuError(
            _("Spark runs in a SparkSession or from a master URL, not {value}").format(
                value=repr(connect)
            )
        )
    if connect is not None:
        raise IkuError(
            _(
                "the {backend} backend reads the data folder and connects to nothing;"
                " --source is for postgresql (a URL) and spark (a master)"
            ).format(backend=backend)
        )
    return backend, None


def _is_spark_session(value: Any) -> bool:
    return type(value).__name__ == "SparkSession" and type(value).__module__.startswith("pyspark")


def held_elsewhere(backend: str, connection: Any) -> bool:
    """Whether the data are read from the office's own engine, not from a data folder: a
    PostgreSQL database, or the tables of a Spark session's catalog (:func:`target`'s
    ``backend`` and what it connects to)."""
    return backend == "postgresql" or (isinstance(connection, SparkTarget) and connection.catalog)
