"""A data folder cannot make the engine read anything but its own files: views in a
database that read files, a database file of another kind, links leading out of the
folder and views that never end are refused, with messages that say which."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from helpers import MINI, edit, office, run

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError
from iku_rules.sources.confine import SQLITE_WORK_FLOOR, duckdb_connection

BACKENDS = ("duckdb", "sqlite", "python")
IKU = (sys.executable, "-m", "iku_rules.cli")


def inputs_in(folder: Path, file_format: str, name: str) -> None:
    """Point the office's inputs source at ``name`` (format ``file_format``)."""
    edit(
        folder,
        'kind = "inputs"\nformat = "csv"\npath = "inputs.csv"',
        f'kind = "inputs"\nformat = "{file_format}"\npath = "{name}"',
    )


def duckdb_inputs(folder: Path, *statements: str) -> None:
    """Inputs kept in ``inputs.duckdb``, made by ``statements``."""
    connection = duckdb.connect(str(folder / "inputs.duckdb"))
    for statement in statements:
        connection.execute(statement)
    connection.close()
    inputs_in(folder, "duckdb", "inputs.duckdb")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the office that nothing may read: one line, so reading it counts 1."""
    path = tmp_path / "secret.csv"
    path.write_text("rahasia\n", encoding="utf-8")
    return path


READERS = [
    "(SELECT count(*) FROM read_csv('{path}', header = false))",
    "(SELECT count(*) FROM read_text('{path}'))",
    "(SELECT count(*) FROM '{path}')",
]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_view_that_reads_a_file_is_refused(
    tmp_path: Path, secret: Path, backend: str, reader: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    value = reader.format(path=secret)
    duckdb_inputs(
        folder,
        f"CREATE VIEW inputs AS SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, {value} AS nilai",
    )
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--backend", backend
    )
    assert status == 1 and out == ""
    assert capsys.readouterr().err == (
        "iku: inputs.duckdb, table 'inputs': the view 'inputs' reads files outside its database;"
        " a data file may read only its own tables (copy the data into a table)\n"
    )


def test_a_view_may_not_read_even_a_file_of_the_data_folder(tmp_path: Path) -> None:
    folder = office(tmp_path)
    inside = folder / "inputs.csv"
    duckdb_inputs(folder, f"CREATE VIEW inputs AS SELECT * FROM read_csv('{inside}')")
    for backend in BACKENDS:
        with pytest.raises(DataError, match="the view 'inputs' reads files"):
            Engine(folder, folder, backend=backend).evaluate("2026")


def test_plain_views_over_the_files_own_tables_are_read(tmp_path: Path) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE TABLE nilai_tahunan (nama VARCHAR, tahun INTEGER, nilai DECIMAL(10, 2))",
        "INSERT INTO nilai_tahunan VALUES ('Nilai AKIP', 2026, 76.05), ('Nilai AKIP', 2025, 75.6)",
        "CREATE VIEW inputs AS SELECT * FROM nilai_tahunan WHERE tahun > 2000",
    )
    results = {
        backend: Engine(folder, folder, backend=backend).evaluate("2026").rows()
        for backend in BACKENDS
    }
    assert results["duckdb"] == results["sqlite"] == results["python"]
    # bobot × [Nilai AKIP] + iku-tertangani / 100% = 0.5 × 76.05 + 60 / 100
    assert {row["id"]: row["value"] for row in results["python"]}["skor"] == 38.625


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_view_that_calls_itself_is_refused_in_duckdb(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE VIEW inputs AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
        " SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, x AS nilai FROM c",
    )
    with pytest.raises(DataError) as raised:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(raised.value) == (
        "inputs.duckdb, table 'inputs': the view 'inputs' calls itself (WITH RECURSIVE),"
        " which may never end; a data file may hold tables and plain views only"
    )


def test_a_duckdb_file_with_macros_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE MACRO baris() AS TABLE SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, 1 AS nilai",
        "CREATE VIEW inputs AS SELECT * FROM baris()",
    )
    for backend in BACKENDS:
        with pytest.raises(DataError, match=r"the database defines macros \(baris\)"):
            Engine(folder, folder, backend=backend).evaluate("2026")


def recursive_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIEW inputs AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
        " SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, x AS nilai FROM c"
    )
    connection.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_sqlite_view_that_never_ends_stops_with_a_message(
    tmp_path: Path, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    recursive_sqlite(folder / "inputs.sqlite")
    assert (folder / "inputs.sqlite").stat().st_size < 10_000  # a file of a few KB
    inputs_in(folder, "sqlite", "inputs.sqlite")
    status, _ = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026", "--backend", backend
    )
    assert status == 1
    assert capsys.readouterr().err == (
        "iku: inputs.sqlite, table 'inputs': reading 'inputs' did not end within the work a"
        " file of this size allows (a view that calls itself without end?); keep the data in"
        " a table\n"
    )


def test_the_work_of_a_view_that_never_ends_is_bounded_by_count(tmp_path: Path) -> None:
    """SQLite calls the budget once every 10,000 of its steps: the view is stopped after
    the budget's floor, a count of steps, whatever the machine's speed."""
    from iku_rules.sources import confine

    recursive_sqlite(tmp_path / "inputs.sqlite")
    connection, budget = confine.sqlite_connection(tmp_path / "inputs.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        connection.execute("SELECT * FROM inputs").fetchall()
    connection.close()
    assert budget.exceeded
    assert SQLITE_WORK_FLOOR < budget.spent <= SQLITE_WORK_FLOOR + 10_000


def sqlite_file(path: Path, nilai: float = 76.05) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE inputs (nama TEXT, tahun INTEGER, nilai REAL)")
    connection.execute("INSERT INTO inputs VALUES ('Nilai AKIP', 2026, ?)", (nilai,))
    connection.commit()
    connection.close()


def iku_at_home(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The ``iku`` command in a process whose home is ``folder/home`` (made fresh) and
    whose working folder is ``folder``."""
    (folder / "home").mkdir(exist_ok=True)
    return subprocess.run(
        [*IKU, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(folder / "home")},
        cwd=folder,
        check=False,
    )


def test_an_sqlite_file_named_duckdb_is_refused_and_no_extension_is_fetched(
    tmp_path: Path,
) -> None:
    """Through the command, in a process whose home is a fresh folder: nothing is made
    there (DuckDB would otherwise try to install its SQLite extension under ~/.duckdb)."""
    folder = office(tmp_path)
    sqlite_file(folder / "inputs.duckdb")
    inputs_in(folder, "duckdb", "inputs.duckdb")
    home = tmp_path / "home"
    for backend in BACKENDS:
        completed = iku_at_home(
            tmp_path,
            "eval",
            str(folder),
            "--data",
            str(folder),
            "--period",
            "2026",
            "--backend",
            backend,
        )
        assert completed.returncode == 1, completed.stderr
        assert completed.stderr == (
            "iku: inputs.duckdb: the file is an SQLite database, not a DuckDB"
            ' database; declare format = "sqlite" for its source\n'
        )
    assert list(home.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "office"]


def test_a_duckdb_source_leaves_home_and_the_working_folder_alone(tmp_path: Path) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE TABLE inputs AS SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, 76.05 AS nilai",
    )
    home = tmp_path / "home"
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    completed = iku_at_home(
        tmp_path, "eval", str(folder), "--data", str(folder), "--period", "2026", "--format", "json"
    )
    assert completed.returncode == 0, completed.stderr
    assert '"skor"' in completed.stdout
    assert list(home.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home", "office"]
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before


def test_the_engines_duckdb_connection_reads_nothing_it_was_not_given(tmp_path: Path) -> None:
    folder = office(tmp_path)
    engine = Engine(folder, folder)
    engine.evaluate("2026")
    connection = engine._open.connection  # type: ignore[union-attr]
    with pytest.raises(duckdb.PermissionException):
        connection.execute(f"SELECT * FROM read_text('{tmp_path}/office/../office/x')")
    with pytest.raises(duckdb.PermissionException):
        connection.execute("SELECT * FROM read_text('/etc/hostname')")
    with pytest.raises(duckdb.Error, match="locked"):
        connection.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.PermissionException):
        connection.execute("INSTALL sqlite")
    with pytest.raises(duckdb.PermissionException):
        connection.execute("LOAD sqlite")
    with pytest.raises(duckdb.PermissionException):
        connection.execute(f"COPY (SELECT 1) TO '{tmp_path}/out.csv'")
    engine.close()


def test_a_duckdb_connection_without_paths_reads_no_file(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    connection = duckdb_connection()
    with pytest.raises(duckdb.PermissionException):
        connection.execute(f"SELECT * FROM read_csv('{tmp_path}/x.csv')")
    connection.close()
    allowed = duckdb_connection(allowed_paths=[tmp_path / "x.csv"])
    assert allowed.execute(f"SELECT * FROM read_csv('{tmp_path}/x.csv')").fetchall() == [(1,)]
    allowed.close()


def test_a_connection_opened_ahead_is_confined_as_a_new_one(tmp_path: Path) -> None:
    """DuckDB starts its database on a thread while the definitions load; the connection
    taken is then configured as a new one is: the paths given, and nothing else."""
    from iku_rules.sources import confine

    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    confine.connect_ahead()
    ahead = confine._ahead
    assert ahead is not None and ahead.done.wait(30)
    allowed = duckdb_connection(allowed_paths=[tmp_path / "x.csv"])
    assert allowed is ahead.connection  # the one opened ahead, taken
    assert allowed.execute(f"SELECT * FROM read_csv('{tmp_path}/x.csv')").fetchall() == [(1,)]
    with pytest.raises(duckdb.PermissionException):
        allowed.execute("SELECT * FROM read_text('/etc/hostname')")
    with pytest.raises(duckdb.Error, match="locked"):
        allowed.execute("SET enable_external_access = true")
    allowed.close()
    assert confine._ahead is None  # taken once: the next connection is opened anew
    again = duckdb_connection()
    with pytest.raises(duckdb.PermissionException):
        again.execute(f"SELECT * FROM read_csv('{tmp_path}/x.csv')")
    again.close()


def test_the_engine_opens_duckdb_while_it_loads_the_definitions(tmp_path: Path) -> None:
    from iku_rules.sources import confine

    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        ahead = confine._ahead  # opened by the engine as it began to load
        assert ahead is not None
        engine.evaluate("2026")
        assert engine._open.connection is ahead.connection  # type: ignore[union-attr]
    with Engine(folder, folder, backend="python") as engine:  # no DuckDB: nothing ahead
        assert confine._ahead is None


def test_databases_are_opened_read_only(tmp_path: Path) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE TABLE inputs AS SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, 76.05 AS nilai",
    )
    engine = Engine(folder, folder)
    engine.evaluate("2026")
    connection = engine._open.connection  # type: ignore[union-attr]
    (alias,) = engine._open._aliases.values()  # type: ignore[union-attr]
    with pytest.raises(duckdb.Error, match="read-only"):
        connection.execute(f'CREATE TABLE "{alias}".x (a INTEGER)')
    engine.close()
    from iku_rules.sources import confine

    sqlite_file(tmp_path / "data.sqlite")
    opened, _ = confine.sqlite_connection(tmp_path / "data.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        opened.execute("DELETE FROM inputs")
    opened.close()


# -- links


def linked(tmp_path: Path, file_format: str) -> tuple[Path, Path]:
    """An office whose inputs file (in ``file_format``) lies outside its data folder,
    reached by a link inside it; the definitions and the data folder."""
    folder = office(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    name = {"csv": "inputs.csv", "xlsx": "inputs.xlsx", "sqlite": "inputs.sqlite"}.get(
        file_format, "inputs.duckdb"
    )
    if file_format == "csv":
        (outside / name).write_text("nama,tahun,nilai\nNilai AKIP,2026,99\n", encoding="utf-8")
    elif file_format == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "inputs"  # type: ignore[union-attr]
        sheet.append(["nama", "tahun", "nilai"])  # type: ignore[union-attr]
        sheet.append(["Nilai AKIP", 2026, 99])  # type: ignore[union-attr]
        workbook.save(outside / name)
    elif file_format == "sqlite":
        sqlite_file(outside / name, 99)
    else:
        connection = duckdb.connect(str(outside / name))
        connection.execute("CREATE TABLE inputs AS SELECT 'Nilai AKIP' AS nama, 2026 AS tahun")
        connection.execute("ALTER TABLE inputs ADD COLUMN nilai DECIMAL(10, 2) DEFAULT 99")
        connection.close()
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(outside / name)
    if file_format != "csv":
        inputs_in(folder, file_format, name)
    return folder, folder


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "sqlite", "duckdb"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_link_out_of_the_data_folder_is_refused(
    tmp_path: Path, file_format: str, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    definitions, data = linked(tmp_path, file_format)
    command = ["eval", str(definitions), "--data", str(data), "--period", "2026"]
    status, _ = run(*command, "--backend", backend)
    assert status == 1
    error = capsys.readouterr().err
    assert error.startswith("iku: the data file 'inputs.")
    assert f"is a link to {tmp_path / 'outside'}" in error
    assert "outside the data folder" in error and "--allow-outside-data" in error
    status, out = run(*command, "--backend", backend, "--allow-outside-data", "--format", "csv")
    assert status == 0 and "\nskor,Skor gabungan,sasaran,2026,,50.1,," in out


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_linked_folder_leading_out_is_refused(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "inputs.csv").rename(outside / "inputs.csv")
    (folder / "tahunan").symlink_to(outside, target_is_directory=True)
    edit(folder, 'path = "inputs.csv"', 'path = "tahunan/inputs.csv"')
    with pytest.raises(DataError, match=r"is a link to .*outside the data folder"):
        Engine(folder, folder, backend=backend).evaluate("2026")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_link_inside_the_data_folder_is_followed(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path)
    (folder / "arsip").mkdir()
    (folder / "inputs.csv").rename(folder / "arsip" / "inputs-2026.csv")
    (folder / "inputs.csv").symlink_to(folder / "arsip" / "inputs-2026.csv")
    value = Engine(folder, folder, backend=backend).evaluate("2026").get("skor").value
    assert value == Decimal("38.625")


def test_a_duckdb_write_ahead_log_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path)
    duckdb_inputs(
        folder,
        "CREATE TABLE inputs AS SELECT 'Nilai AKIP' AS nama, 2026 AS tahun, 76.05 AS nilai",
    )
    (tmp_path / "elsewhere.wal").write_bytes(b"")
    (folder / "inputs.duckdb.wal").symlink_to(tmp_path / "elsewhere.wal")
    with pytest.raises(DataError, match=r"inputs\.duckdb\.wal' of source 'inputs' is a link"):
        Engine(folder, folder).evaluate("2026")


@pytest.mark.parametrize("engine", [False, True], ids=["opened ahead", "an Engine made"])
def test_a_process_ending_while_duckdb_opens_ahead_ends_as_it_meant_to(engine: bool) -> None:
    """A process that ends while the connection opened ahead is still opening (an
    ``Engine`` made and not used, a script ending a few milliseconds after) ends with its
    own status: DuckDB aborted it (status 134, ``terminate called after throwing``) when it
    ended 10–20 ms after ``connect_ahead`` here. Every delay up to 50 ms, in steps of 5 ms,
    is tried, since where that window lies depends on the machine."""
    make = (  # the Engine's thread imports DuckDB too; the other finds it imported
        f"from iku_rules.engine import Engine; Engine({str(MINI)!r}, {str(MINI)!r})"
        if engine
        else "import duckdb; from iku_rules.sources.confine import connect_ahead; connect_ahead()"
    )
    for step in range(11):
        code = f"import time\n{make}\ntime.sleep({step * 0.005})\n"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert (done.returncode, done.stderr) == (0, ""), (step * 0.005, done.stderr)
