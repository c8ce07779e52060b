"""One Engine shared by threads gives every thread the answer it would get alone, on every
backend: the way a web service would use it, many requests over a few periods at once."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from iku_rules.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
PERIODS = ("2026", "2026-TW1", "2026-sd-TW3", "2025-TW4")
THREADS = 8


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from iku_rules.loader import load
    from iku_rules.sample import generate

    folder = tmp_path_factory.mktemp("threads")
    generate(load(PANDEGLANG), folder, people=300, seed=13)
    return folder


def answers(engine: Engine, period: str, by: str | None) -> list[dict[str, Any]]:
    return engine.evaluate(period, by=by).rows()


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_a_shared_engine_answers_each_thread_as_if_alone(data: Path, backend: str) -> None:
    with Engine(PANDEGLANG, data, backend=backend) as alone_engine:
        alone = {
            (period, by): answers(alone_engine, period, by)
            for period in PERIODS
            for by in (None, "kecamatan")
        }
    work = [key for _ in range(3) for key in alone]  # every question three times
    start = threading.Barrier(THREADS)

    def ask(key: tuple[str, str | None]) -> tuple[tuple[str, str | None], list[dict[str, Any]]]:
        if start.n_waiting < THREADS and not start.broken:
            with contextlib.suppress(threading.BrokenBarrierError):
                start.wait(timeout=5)  # the first questions all start together
        return key, answers(shared, *key)

    with Engine(PANDEGLANG, data, backend=backend) as shared, ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(ask, work))
    assert len(results) == len(work)
    for key, rows in results:
        assert rows == alone[key], key


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_a_fresh_engine_shared_from_its_first_question(data: Path, backend: str) -> None:
    """No source is loaded before the threads start: they race to load it."""
    expected = answers(Engine(PANDEGLANG, data, backend=backend), "2026", "kecamatan")
    with Engine(PANDEGLANG, data, backend=backend) as shared, ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda _: answers(shared, "2026", "kecamatan"), range(THREADS)))
    assert all(rows == expected for rows in results)


def test_closing_while_others_ask_leaves_no_wrong_answer(data: Path) -> None:
    """close() from one thread while others evaluate: each evaluation either gives the
    right answer (reloading the data) or none at all — never a wrong one."""
    expected = answers(Engine(PANDEGLANG, data), "2026", None)
    shared = Engine(PANDEGLANG, data)
    outcomes: list[object] = []

    def ask(index: int) -> None:
        if index % 4 == 3:
            shared.close()
            return
        outcomes.append(answers(shared, "2026", None))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(ask, range(16)))
    shared.close()
    assert outcomes and all(rows == expected for rows in outcomes)
