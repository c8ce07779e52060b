"""The questions of one evaluation asked at once on DuckDB (iku_rules.sources.together):
answered, listed and failing in the order asked, in the caller's language, a question that
met a changed file asked again on the calling thread, and Ctrl-C stopping them all."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from iku_rules.engine import Engine
from iku_rules.i18n import current_language, use_language
from iku_rules.sources.base import Backend
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import CsvRelations
from iku_rules.sources.sql_backend import DuckDBBackend
from iku_rules.sources.together import AskAgain, Together, cursor_or, listing, on_thread

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def connection() -> Any:
    found = duckdb.connect()
    yield found
    found.close()


def asking(connection: Any, queries: list[Any], name: str, wait: float) -> Any:
    """A question that runs one statement (its text ``name``), ending after ``wait`` s."""

    def ask() -> Any:
        time.sleep(wait)
        listing(queries).append(name)
        ((value,),) = cursor_or(connection).execute(f"SELECT '{name}'").fetchall()
        return value, threading.current_thread().name

    return ask


def test_answers_and_statements_come_in_the_order_asked(connection: Any) -> None:
    queries: list[Any] = ["before"]
    # two threads: a then c on one, b on the other; b ends first, then a, then c. Asked one
    # after another they would take 0.15 s, here 0.1 s.
    waits = [("a", 0.1), ("b", 0.05), ("c", 0)]
    calls = [asking(connection, queries, name, wait) for name, wait in waits]
    start = time.perf_counter()
    answers = Together(connection, queries, calls).finish()
    took = time.perf_counter() - start
    assert [value for value, _ in answers] == ["a", "b", "c"]
    assert queries == ["before", "a", "b", "c"]
    assert all(thread.startswith("iku-together") for _, thread in answers)
    assert took < 0.15


def test_large_statements_run_one_at_a_time_beside_the_others(connection: Any) -> None:
    running: list[str] = []
    seen: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def question(name: str) -> Any:
        def ask() -> str:
            with lock:
                running.append(name)
                seen.append(tuple(sorted(running)))
            time.sleep(0.03)
            with lock:
                running.remove(name)
            return name

        return ask

    names = ["big1", "small1", "big2", "small2", "big3"]
    heavy = [name.startswith("big") for name in names]
    answers = Together(connection, [], [question(name) for name in names], heavy).finish()
    assert answers == names
    # never two large ones at once, and a large one beside a small one
    assert not any(sum(name.startswith("big") for name in at_once) > 1 for at_once in seen)
    assert any(len(at_once) == 2 for at_once in seen)
    # every one large: asked here, one after another
    threads = Together(
        connection, [], [lambda: threading.current_thread().name] * 3, [True] * 3
    ).finish()
    assert threads == [threading.current_thread().name] * 3


def test_one_question_is_asked_on_the_calling_thread(connection: Any) -> None:
    queries: list[Any] = []
    ((value, thread),) = Together(
        connection, queries, [asking(connection, queries, "a", 0)]
    ).finish()
    assert (value, thread, queries) == ("a", threading.current_thread().name, ["a"])


def test_the_first_error_in_the_order_asked_is_raised(connection: Any) -> None:
    def late() -> None:
        time.sleep(0.1)
        raise DataError("the first question's error")

    def early() -> None:
        raise ValueError("the second question's error")

    with pytest.raises(DataError, match="the first question's error"):
        Together(connection, [], [asking(connection, [], "a", 0), late, early]).finish()


def test_a_question_asked_again_is_asked_on_the_calling_thread_in_its_place(
    connection: Any,
) -> None:
    queries: list[Any] = []
    threads: list[str] = []

    def again() -> str:
        threads.append(threading.current_thread().name)
        if on_thread():
            listing(queries).append("not listed: asked again")
            raise AskAgain
        listing(queries).append("again")
        return "again"

    calls = [asking(connection, queries, "a", 0.05), again, asking(connection, queries, "c", 0)]
    answers = Together(connection, queries, calls).finish()
    assert [a if isinstance(a, str) else a[0] for a in answers] == ["a", "again", "c"]
    assert queries == ["a", "again", "c"]
    assert threads[0].startswith("iku-together")
    assert threads[1] == threading.current_thread().name


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_question_speaks_the_callers_language(connection: Any, language: str) -> None:
    with use_language(language):
        assert Together(connection, [], [current_language] * 4).finish() == [language] * 4


def test_an_evaluation_asks_its_sources_at_once_as_it_would_one_after_another(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    execute = DuckDBBackend.execute

    def noting(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
        threads.append(threading.current_thread().name)
        return execute(self, query)

    monkeypatch.setattr(DuckDBBackend, "execute", noting)

    def evaluated() -> Any:
        with Engine(MINI, MINI, validation_cache=False) as engine:
            year = engine.evaluate("2026", by="kecamatan")
            quarters = engine.evaluate_many(["2026-TW1", "2026-TW2"], by="kecamatan")
        return [
            ([r.as_row() for r in e.results], [(q.sql, q.params) for q in e.queries])
            for e in (year, *quarters)
        ]

    together = evaluated()
    # the mini office's four sources asked at once, for the year and for the triwulan
    assert sum(thread.startswith("iku-together") for thread in threads) >= 8
    threads.clear()
    # every file read in place, or every file large: every question large, asked one
    # after another here
    for owner, name in [(CsvRelations, "in_place_bytes"), (DuckDBBackend, "heavy_bytes")]:
        monkeypatch.setattr(owner, name, 0)
        assert evaluated() == together
        assert threads and not any(thread.startswith("iku-together") for thread in threads)
        monkeypatch.undo()
        monkeypatch.setattr(DuckDBBackend, "execute", noting)
        threads.clear()
    # asked one after another, each period's cascade after its answers
    monkeypatch.setattr(DuckDBBackend, "together_start", Backend.together_start)
    monkeypatch.setattr(DuckDBBackend, "answers_behind", False)
    in_turn = evaluated()
    assert not any(thread.startswith("iku-together") for thread in threads)
    assert together == in_turn  # every value, reason and statement, in the same order


@pytest.mark.skipif(os.name != "posix", reason="SIGINT as a POSIX signal")
def test_ctrl_c_stops_every_question_running() -> None:
    """Two questions whose statements would run for half a minute each, interrupted half a
    second in: both stopped there."""
    program = (
        "import os, signal, threading, duckdb\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from iku_rules.sources.together import Together, cursor_or\n"
        "connection = duckdb.connect()\n"
        "both = threading.Barrier(2)\n"
        "def ask(name):\n"
        "    def question():\n"
        "        if both.wait() == 0:\n"
        "            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "        try:\n"
        "            cursor_or(connection).execute(\n"
        "                'SELECT sum(i) FROM range(20000000000) AS t(i)').fetchall()\n"
        "        except Exception as error:\n"
        "            os.write(2, f'{name} {type(error).__name__}\\n'.encode())\n"
        "            raise\n"
        "        os.write(2, f'{name} ran to its end\\n'.encode())\n"
        "    return question\n"
        "try:\n"
        "    Together(connection, [], [ask('a'), ask('b')]).finish()\n"
        "except KeyboardInterrupt:\n"
        "    os.write(2, b'interrupted\\n')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=60
    )
    lines = completed.stderr.splitlines()
    assert sorted(lines) == ["a InterruptException", "b InterruptException", "interrupted"]
