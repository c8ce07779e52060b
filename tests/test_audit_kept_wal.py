"""An engine kept open (a web service, the workspace) over an SQLite file a program keeps
open in WAL mode: each commit goes to the file's write-ahead log (``inputs.sqlite-wal``)
and leaves the database file as it was until a checkpoint, its size and times unchanged.
The engine watched the database file alone, so it evaluated again over the rows it had
loaded and gave the old number in silence, where a new engine reads the log too."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.results import Evaluation
from iku_rules.serve.workspace import Workspace


@pytest.fixture
def live_database(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """The small office with its inputs in ``inputs.sqlite`` in WAL mode, Nilai AKIP of 2026
    80, and the connection of the program that writes it, kept open (so never checkpointed
    on close)."""
    folder = office(tmp_path)
    edit(
        folder,
        'kind = "inputs"\nformat = "csv"\npath = "inputs.csv"',
        'kind = "inputs"\nformat = "sqlite"\npath = "inputs.sqlite"\ntable = "inputs"',
    )
    writer = sqlite3.connect(folder / "inputs.sqlite")
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the log keeps every commit
    writer.execute("CREATE TABLE inputs (nama TEXT, tahun INTEGER, nilai INTEGER)")
    writer.executemany(
        "INSERT INTO inputs VALUES (?, ?, ?)", [("Nilai AKIP", 2026, 80), ("Nilai AKIP", 2025, 75)]
    )
    writer.commit()
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the rows in the file, the log empty
    try:
        yield folder, writer
    finally:
        writer.close()


def skor(evaluation: Evaluation) -> Decimal | None:
    """The kabupaten's skor."""
    return next(
        r.value for r in evaluation.results if r.indicator.id == "skor" and r.region is None
    )


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_an_open_engine_reads_a_commit_left_in_the_write_ahead_log(
    live_database: tuple[Path, sqlite3.Connection], backend: str
) -> None:
    folder, writer = live_database
    database = folder / "inputs.sqlite"
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        # skor = 0,5 × Nilai AKIP + iku-tertangani / 100% = 0,5 × 80 + 0,6 = 40,6
        assert skor(engine.evaluate("2026")) == Decimal("40.6")
        before = database.stat()
        writer.execute("UPDATE inputs SET nilai = 90 WHERE tahun = 2026")
        writer.commit()
        after = database.stat()
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
        # 0,5 × 90 + 0,6 = 45,6, as a new engine gives it (the old rows gave 40,6 again)
        assert skor(engine.evaluate("2026")) == Decimal("45.6")
    with use_language("en"), Engine(folder, folder, backend=backend) as fresh:
        assert skor(fresh.evaluate("2026")) == Decimal("45.6")


def test_the_workspace_reads_a_commit_left_in_the_write_ahead_log(
    live_database: tuple[Path, sqlite3.Connection],
) -> None:
    folder, writer = live_database
    workspace = Workspace(folder, folder)
    try:
        with use_language("en"):
            assert skor(workspace.evaluation("2026")) == Decimal("40.6")  # 0,5 × 80 + 0,6
            writer.execute("UPDATE inputs SET nilai = 90 WHERE tahun = 2026")
            writer.commit()
            assert skor(workspace.evaluation("2026")) == Decimal("45.6")  # 0,5 × 90 + 0,6
    finally:
        workspace.close()
