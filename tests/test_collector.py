"""Python's cycle collector is paused while an evaluation runs (the SQL trees it builds are
cycles, about 21,000 objects for the benchmark's four triwulan), and left as it was found
when the evaluation ends, or fails."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iku_rules import many
from iku_rules.collector import paused
from iku_rules.engine import Engine
from iku_rules.errors import IkuError

ROOT = Path(__file__).parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def test_paused_restores_on(collector_on: None) -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_off_when_it_was_off(collector_on: None) -> None:
    gc.disable()
    try:
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # not switched on by a pause that found it off
    finally:
        gc.enable()


def test_paused_restores_after_an_error(collector_on: None) -> None:
    with pytest.raises(ZeroDivisionError), paused():
        _ = 1 / 0
    assert gc.isenabled()


def test_collector_off_during_an_evaluation(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's evaluations run with the collector off: while the data are checked,
    the statements asked (on DuckDB's threads too) and the cascade evaluated; and end with
    it on again."""
    seen: dict[str, list[bool]] = {}

    def watched(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.setdefault(name, []).append(gc.isenabled())
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(many, "check_whole_counts", watched("checks", many.check_whole_counts))
    monkeypatch.setattr(Engine, "_results", watched("cascade", Engine._results))
    with Engine(MINI, MINI) as iku:
        backend = iku._backend()
        monkeypatch.setattr(backend, "measures", watched("statements", backend.measures))
        monkeypatch.setattr(backend, "measures_many", watched("statements", backend.measures_many))
        iku.evaluate("2026")
        iku.evaluate_many(["2026-TW1", "2026-TW2"], by="kecamatan")
        assert gc.isenabled()
    assert set(seen) == {"checks", "cascade", "statements"}
    assert not any(state for states in seen.values() for state in states), seen


def test_collector_on_again_after_a_refused_evaluation(collector_on: None) -> None:
    with Engine(MINI, MINI) as iku, pytest.raises(IkuError):
        iku.evaluate("2026", by="no-such-level")
    assert gc.isenabled()


def test_collector_off_while_definitions_load(
    collector_on: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Definitions are read, and found kept, with the collector off (all the objects made
    are kept: the collector would only walk them again and again), and it is on again
    after, whichever way they came."""
    import pickle

    import iku_rules.loader
    from iku_rules.loader import kept

    seen: list[tuple[str, bool]] = []
    read, unpickle = iku_rules.loader._load, pickle.load

    def reading(path: Any) -> Any:
        seen.append(("read", gc.isenabled()))
        return read(path)

    def unpickling(file: Any) -> Any:
        seen.append(("found kept", gc.isenabled()))
        return unpickle(file)

    monkeypatch.setattr(iku_rules.loader, "_load", reading)
    monkeypatch.setattr(kept.pickle, "load", unpickling)
    cache = kept.DefinitionsCache(tmp_path)
    first = kept.load_kept(MINI, cache)  # read, and kept
    assert gc.isenabled()
    again = kept.load_kept(MINI, cache)  # found kept
    assert gc.isenabled()
    assert seen == [("read", False), ("found kept", False)]
    assert again.ok and [i.id for i in again.indicators] == [i.id for i in first.indicators]


def test_collector_off_while_iku_check_reads_the_definitions(
    collector_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``iku check`` reads the definitions with the collector off too, and leaves it on."""
    import io

    import iku_rules.loader
    from iku_rules.cli import main

    seen: list[bool] = []
    read = iku_rules.loader._load

    def reading(path: Any) -> Any:
        seen.append(gc.isenabled())
        return read(path)

    monkeypatch.setattr(iku_rules.loader, "_load", reading)
    assert main(["check", str(MINI)], io.StringIO()) == 0
    assert seen == [False]
    assert gc.isenabled()
