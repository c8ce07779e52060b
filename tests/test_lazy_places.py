"""Places in definitions files are found only when something reads one: loading definitions
that have nothing to report scans no file for its keys (tomlpos.locate), and a message that
does point at a place finds its file's keys once."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest

from iku_rules import tomlpos
from iku_rules.cli import main
from iku_rules.loader import load
from iku_rules.model import Location

ROOT = Path(__file__).resolve().parent.parent


def _count_locates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = tomlpos.locate

    def counted(text: str) -> Any:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(tomlpos, "locate", counted)
    return calls


def test_definitions_without_problems_are_not_scanned_for_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _count_locates(monkeypatch)
    definitions = load(ROOT / "definitions" / "dinsos-pandeglang")
    assert definitions.ok and not definitions.diagnostics
    assert calls == []
    # Reading a place finds it then, once for the file, where the key stands.
    indicator = definitions.indicators[0]
    location = indicator.location
    assert location.line is not None and location.column is not None
    assert len(calls) == 1
    lines = Path(location.path).read_text(encoding="utf-8").splitlines()
    assert lines[location.line - 1][location.column - 1 :].startswith("id")
    assert indicator.formula_location is not None
    assert indicator.formula_location.line is not None
    assert len(calls) == 1  # the same file: its places were kept


def test_a_message_finds_the_places_of_its_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    calls = _count_locates(monkeypatch)
    out = io.StringIO()
    assert main(["check", "tests/broken/duplicate-id.toml"], out=out) == 1
    assert ": error: " in out.getvalue()
    assert len(calls) == 1


def test_a_place_found_later_is_the_place_found_at_once() -> None:
    asked: list[int] = []

    def find() -> tuple[int, int]:
        asked.append(1)
        return 3, 7

    later = Location.found_later(Path("office.toml"), find)
    now = Location(Path("office.toml"), 3, 7)
    assert asked == []
    assert later == now and hash(later) == hash(now)
    assert (str(later), repr(later)) == (str(now), repr(now))
    assert str(later) == "office.toml:3:7"
    assert asked == [1]  # looked up once, then kept
    assert pickle.loads(pickle.dumps(Location.found_later(Path("a.toml"), find))) == Location(
        Path("a.toml"), 3, 7
    )
    assert Location(Path("a.toml")) != Location(Path("a.toml"), 1, 1)
    assert str(Location(Path("a.toml"))) == "a.toml"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        now.line = 4  # type: ignore[misc]
