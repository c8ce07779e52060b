"""The indicators that need no large source's answer evaluated while the large statements
still run (``Engine.evaluate_many`` on DuckDB, :class:`~iku_rules.sources.together.Together`):
the same results, statements and errors as asked one after another, and Ctrl-C in the
cascade stopping the statements still running."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from iku_rules import sample
from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.sql_backend import DuckDBBackend
from iku_rules.sources.together import Together, cursor_or, listing

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
PERIODS = ["2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4"]
LARGE = {"layanan", "register_pmks"}
"""The sources taken as large here (the sample's files are small): the service log and
the PMKS register, whose statements are the benchmark's long ones."""
SERVICE_LOG = 'FROM "iku source layanan"'


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pandeglang")
    sample.generate(load(PANDEGLANG), folder, people=400)
    return folder


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(DuckDBBackend, "heavy", lambda self, source: source.id in LARGE)
    yield


def evaluated(data: Path, by: str | None = "kecamatan") -> list[Any]:
    """Every result (as ``iku eval`` rows) and statement of the four triwulan; the
    statements in order of their text, as a question the cascade asks when it first needs
    its answer (the regions of the realisasi rows) comes earlier or later as the
    statements run behind it or before it."""
    with Engine(PANDEGLANG, data, validation_cache=False) as engine:
        evaluations = engine.evaluate_many(PERIODS, by=by)
    return [
        (e.rows(), sorted(((q.sql, q.params) for q in e.queries), key=repr)) for e in evaluations
    ]


def in_turn(data: Path, monkeypatch: pytest.MonkeyPatch, by: str | None = "kecamatan") -> Any:
    """The same, each period's cascade once every answer is in."""
    with monkeypatch.context() as patch:
        patch.setattr(DuckDBBackend, "answers_behind", False)
        return evaluated(data, by)


def test_the_other_indicators_are_evaluated_while_the_service_log_is_read(
    data: Path, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service log's statement waits (up to 30 s) until the cascade has evaluated a
    realisasi indicator: it goes on only because the cascade does not wait for it."""
    realisasi_done = threading.Event()
    indicator = Engine._indicator

    def noting(self: Engine, found: Any, *args: Any, **kwargs: Any) -> Any:
        if found.formula_kind == "realisasi":
            realisasi_done.set()
        return indicator(self, found, *args, **kwargs)

    execute = DuckDBBackend.execute
    waited: list[bool] = []

    def holding(self: DuckDBBackend, query: Any) -> Any:
        if SERVICE_LOG in query.sql:
            waited.append(realisasi_done.wait(30))
        return execute(self, query)

    monkeypatch.setattr(Engine, "_indicator", noting)
    monkeypatch.setattr(DuckDBBackend, "execute", holding)
    behind = evaluated(data)
    assert waited == [True]  # one statement for the four triwulan, which waited
    monkeypatch.undo()
    monkeypatch.setattr(DuckDBBackend, "heavy", lambda self, source: source.id in LARGE)
    assert behind == in_turn(data, monkeypatch)  # every value, reason and statement
    assert evaluated(data, by=None) == in_turn(data, monkeypatch, by=None)


def test_a_large_statement_that_fails_fails_the_evaluation_as_in_turn(
    data: Path, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    execute = DuckDBBackend.execute

    def failing(self: DuckDBBackend, query: Any) -> Any:
        if SERVICE_LOG in query.sql:
            raise DataError("the disk went away")
        return execute(self, query)

    monkeypatch.setattr(DuckDBBackend, "execute", failing)
    with pytest.raises(DataError) as behind:
        evaluated(data)
    with pytest.raises(DataError) as turn:
        in_turn(data, monkeypatch)
    assert str(behind.value) == str(turn.value) == "layanan.csv: the disk went away"


def test_ctrl_c_in_the_cascade_stops_the_large_statements(
    data: Path, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the cascade runs and the service log's statement (here one of some
    minutes) still runs: that statement is stopped, and the engine answers the next
    question rightly."""
    execute = DuckDBBackend.execute
    stopped: list[str] = []

    def long(self: DuckDBBackend, query: Any) -> Any:
        if SERVICE_LOG in query.sql:
            try:
                cursor_or(self.connection).execute(
                    "SELECT sum(i) FROM range(20000000000) AS t(i)"
                ).fetchall()
            except duckdb.InterruptException:
                stopped.append("service log")
                raise
        return execute(self, query)

    indicator = Engine._indicator

    def ctrl_c(self: Engine, found: Any, *args: Any, **kwargs: Any) -> Any:
        if found.formula_kind == "realisasi":
            raise KeyboardInterrupt
        return indicator(self, found, *args, **kwargs)

    with Engine(PANDEGLANG, data, validation_cache=False) as engine:
        with monkeypatch.context() as patch:
            patch.setattr(DuckDBBackend, "execute", long)
            patch.setattr(Engine, "_indicator", ctrl_c)
            start = time.perf_counter()
            with pytest.raises(KeyboardInterrupt):
                engine.evaluate_many(PERIODS, by="kecamatan")
            assert time.perf_counter() - start < 30
        assert stopped == ["service log"]
        again = engine.evaluate_many(PERIODS, by="kecamatan")
    assert [e.rows() for e in again] == [rows for rows, _queries in in_turn(data, monkeypatch)]


def asking(connection: Any, queries: list[Any], name: str, wait: float) -> Any:
    def ask() -> Any:
        time.sleep(wait)
        listing(queries).append(name)
        ((value,),) = cursor_or(connection).execute(f"SELECT '{name}'").fetchall()
        return value

    return ask


def test_the_small_answers_are_taken_while_the_large_one_runs() -> None:
    connection = duckdb.connect()
    queries: list[Any] = ["before"]
    waits = [("large", 2.0), ("b", 0), ("c", 0)]
    calls = [asking(connection, queries, name, wait) for name, wait in waits]
    together = Together(connection, queries, calls, heavy=[True, False, False])
    assert together.early([1, 2]) == ["b", "c"]
    assert not together.ended[0].is_set()  # the large one still running
    assert queries == ["before"]  # listed once all are in, in the order asked
    assert together.finish() == ["large", "b", "c"]
    assert queries == ["before", "large", "b", "c"]
    connection.close()


def test_a_small_question_that_fails_leaves_the_error_to_finish() -> None:
    """The first error in the order asked is raised, as ``Together.finish`` raises it."""
    connection = duckdb.connect()

    def failing(message: str, wait: float) -> Any:
        def ask() -> Any:
            time.sleep(wait)
            raise DataError(message)

        return ask

    together = Together(
        connection, [], [failing("large", 0.2), failing("small", 0)], heavy=[True, False]
    )
    assert together.early([1]) is None
    with pytest.raises(DataError, match="large"):
        together.finish()
    connection.close()


def test_periods_of_two_years_are_evaluated_one_after_another(
    data: Path, large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later year's inputs are asked only with its own first period, after the first
    year's answers are listed: such periods are evaluated one after another, as before."""
    from iku_rules import many

    called: list[int] = []
    behind = many.behind

    def counting(*args: Any) -> Any:
        called.append(len(args[2]))
        return behind(*args)

    monkeypatch.setattr(many, "behind", counting)
    with Engine(PANDEGLANG, data, validation_cache=False) as engine:
        engine.evaluate_many(["2025-TW4", "2026-TW1"], by="kecamatan")
        assert called == []
        engine.evaluate_many(PERIODS, by="kecamatan")
        assert called == [4]


def test_a_late_answer_is_never_read_as_missing(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the realisasi table taken as the large source, its answers are refused until
    taken (not read as 'no realisasi reported'), and the evaluation is as in turn."""
    from iku_rules.fetch import Fetched
    from iku_rules.periods import Period

    late = {"realisasi"}
    monkeypatch.setattr(DuckDBBackend, "heavy", lambda self, source: source.kind in late)
    with Engine(PANDEGLANG, data, validation_cache=False) as engine:
        backend = engine._backend()
        backend.prepare()
        indicator = next(i.id for i in engine.indicators if i.formula_kind == "realisasi")
        fetched = Fetched(engine, backend, Period.parse("2026-TW1"), "kecamatan", late_kind)
        with pytest.raises(RuntimeError, match="realisasi answers are read before they are in"):
            fetched.realisasi(indicator, None)
        fetched.finish()
        assert fetched.realisasi(indicator, None).rows > 0
    assert evaluated(data) == in_turn(data, monkeypatch)


def late_kind(source: Any) -> bool:
    return bool(source.kind == "realisasi")
