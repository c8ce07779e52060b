"""Real servers for the tests: a PostgreSQL started for the test session, a local Spark.

PostgreSQL: ``initdb`` in a temporary folder, a random free port on localhost, the
unix socket in that folder, a password for TCP connections (given only through
``PGPASSWORD``), torn down at the end. ``initdb`` refuses to run as root, so as root
(CI) the server runs as the user ``nobody`` (``runuser``), in a folder it owns.

Spark: one local session (``local[2]``) for the whole test session, with the settings
the engine gives it.

When the binaries, Java or the Python packages are missing, the tests that need them
skip with the reason, except in CI (the variable ``CI`` set), where they fail.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "iku-test-password"
PG_TYPES = {"date": "date", "integer": "numeric", "decimal": "numeric"}
"""The column types of the office's own tables (the rest are text)."""
USER = "iku"


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail in CI, where every server must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI this must be installed (.ci/run installs it)")
    pytest.skip(reason)


def postgres_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: on PATH, or Debian's own."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Postgres:
    """A PostgreSQL server of the test session's own."""

    def __init__(self, folder: Path, binaries: Path) -> None:
        self.folder = folder
        self.binaries = binaries
        self.port = _free_port()
        self.data = folder / "cluster"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "nobody", "--"]
            shutil.chown(folder, "nobody")
            folder.chmod(0o700)

    @property
    def url(self) -> str:
        """The URL without a password: it comes from ``PGPASSWORD``."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        subprocess.run(
            [*self.as_user, *command],
            check=True,
            capture_output=True,
            cwd=self.folder,
            timeout=120,
        )

    def start(self) -> None:
        password_file = self.folder / "password"
        password_file.write_text(PASSWORD + "\n")
        if self.as_user:
            shutil.chown(password_file, "nobody")
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "--pwfile",
            str(password_file),
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
        )
        password_file.unlink()
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c shared_buffers=64MB"
        )
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            dbname=dbname,
            password=PASSWORD,
            autocommit=True,
        )


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A running PostgreSQL, or a skip (a failure in CI) saying what is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install 'iku-rules[postgresql]')")
    binaries = postgres_bin()
    if binaries is None:
        unavailable("PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)")
        raise AssertionError  # not reached: unavailable() skips or fails
    folder = Path(tempfile.mkdtemp(prefix="iku-pg-"))
    server = Postgres(folder, binaries)
    try:
        server.start()
        deadline = time.monotonic() + 30
        while True:
            try:
                server.connect().close()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def load_csv_tables(
    server: Postgres, definitions: Any, data: Path, schema: str, dbname: str = "postgres"
) -> None:
    """The office's existing database: each source's CSV file COPYed into a table of its
    name (``table``, else its id) in ``schema``, dates as ``date``, numbers as ``numeric``."""
    from psycopg import sql

    with server.connect(dbname) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
        )
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        for source in definitions.sources:
            table = sql.Identifier(schema, source.table_name)
            columns = [sql.Identifier(name) for name in source.columns]
            connection.execute(
                sql.SQL("CREATE TABLE {} ({})").format(
                    table,
                    sql.SQL(", ").join(
                        sql.SQL("{} {}").format(c, sql.SQL(PG_TYPES.get(kind, "text")))
                        for c, kind in zip(columns, source.columns.values(), strict=True)
                    ),
                )
            )
            path = data / source.path
            header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            order = [sql.Identifier(name) for name in header]
            copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                table, sql.SQL(", ").join(order)
            )
            with connection.cursor() as cursor, cursor.copy(copy) as writer:
                writer.write(path.read_bytes())


def spark_missing() -> str | None:
    """Why a local Spark cannot start here, or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (apt-get install openjdk-17-jre-headless)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'iku-rules[spark]')"
    return None


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The test session's PostgreSQL server (started on first use)."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The test session's one local Spark session, with the engine's settings; the
    backends find it running and leave it running."""
    reason = spark_missing()
    if reason is not None:
        unavailable(reason)
    from iku_rules.sources.connect import SparkTarget
    from iku_rules.sources.spark import session

    started, _ = session(SparkTarget(master="local[2]"))
    yield started
    started.stop()
