"""The data checks' answers over a CSV file validated through the cache (the pairs of
kecamatan and desa its rows hold, whether a count is fractional, whether a text column
spells a value two ways) are kept beside the file's pass, and a later engine over the same
bytes finds them there rather than asking the file again
(``iku_rules.sources.csv_relations.CsvRelations.kept_answer``). Never over other bytes: a
file changed since is checked again, and refused where it must be; a refusal is never kept.

The small office (tests/fixtures/mini) with an indicator ``jenis``, the kinds of PMKS
registered by the end of 2026 (rows 1–5: Anak Terlantar, Fakir Miskin, Fakir Miskin, Anak
Terlantar, Penyandang Disabilitas): 3 kinds."""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_distinct_spellings import kinds_office
from test_validation_cache import rewrite_keeping_times, settled

from iku_rules import distinct_spellings
from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sample import generate
from iku_rules.sources.cells import DataError
from iku_rules.sources.sql_backend import SqlBackend
from iku_rules.sources.validation_cache import ValidationCache

ROOT = Path(__file__).parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"


def asked(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts the checks' questions put to the data."""
    counts: Counter[str] = Counter()

    def counting(name: str, function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(SqlBackend, "distinct_rows", counting("pairs", SqlBackend.distinct_rows))
    monkeypatch.setattr(SqlBackend, "fractional", counting("fractional", SqlBackend.fractional))
    monkeypatch.setattr(
        distinct_spellings, "_clash", counting("spellings", distinct_spellings._clash)
    )
    return counts


def answers(cache: ValidationCache) -> dict[str, Any]:
    """Every answer kept, by name, from every file's pass."""
    found: dict[str, Any] = {}
    for entry in (cache.folder / "validated").glob("*.answers.json"):
        found.update(json.loads(entry.read_text(encoding="utf-8"))["answers"])
    return found


def test_a_second_engine_asks_the_data_no_check_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pandeglang's sample data: the PMKS register's and the service log's pairs of
    kecamatan and desa (desa names two kecamatan share are told apart by them), the
    realisasi table's counts, the kinds of PMKS counted distinct: asked by the first
    engine, kept, and asked by no later one; the same numbers."""
    data = tmp_path / "data"
    generate(load(PANDEGLANG), data, people=400)
    cache = settled(tmp_path / "cache")
    counts = asked(monkeypatch)

    def evaluate() -> list[Any]:
        with Engine(PANDEGLANG, data, validation_cache=cache) as iku:
            evaluation = iku.evaluate("2026", by="kecamatan")
            return [(r.indicator.id, r.region, r.value, r.reason) for r in evaluation.results]

    first = evaluate()
    assert set(counts) == {"pairs", "fractional", "spellings"}
    kept = answers(cache)
    assert any(name.startswith("pairs of kecamatan and desa") for name in kept)
    assert all(kept[name] is None for name in kept if not name.startswith("pairs of"))
    if os.name == "posix":  # the names of regions, readable by the user alone
        modes = {
            stat.S_IMODE(entry.stat().st_mode)
            for entry in (cache.folder / "validated").glob("*.answers.json")
        }
        assert modes == {0o600}
    counts.clear()
    assert evaluate() == first
    assert counts == Counter()


def test_a_file_changed_since_is_checked_again_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first Fakir Miskin written FAKIR MISKIN (row 2; row 3 keeps Fakir Miskin) after
    a run that kept "no two spellings", the file's size and modification time kept: its pass is made again and the
    kept answer is not taken for the new bytes; the two spellings are refused (counted, they
    would make 4 kinds where there are 3)."""
    folder = kinds_office(tmp_path)
    cache = settled(tmp_path / "cache")
    with Engine(folder, folder, validation_cache=cache) as iku:
        assert iku.evaluate("2026").get("jenis").value == 3
    assert answers(cache).get("two spellings of kategori", "absent") is None
    counts = asked(monkeypatch)
    register = folder / "register_pmks.csv"
    rewrite_keeping_times(register, "Fakir Miskin", "FAKIR MISKIN")
    with Engine(folder, folder, validation_cache=cache) as iku, pytest.raises(DataError) as error:
        iku.evaluate("2026")
    assert "differ only" in str(error.value)
    assert counts["spellings"] == 1


def test_a_refusal_is_not_kept(tmp_path: Path) -> None:
    """Two spellings found are refused at every run, and no answer of them is kept."""
    folder = kinds_office(tmp_path)
    register = folder / "register_pmks.csv"
    register.write_text(
        register.read_text(encoding="utf-8").replace("Fakir Miskin", "FAKIR MISKIN", 1),
        encoding="utf-8",
    )
    cache = settled(tmp_path / "cache")
    for _run in range(2):
        with Engine(folder, folder, validation_cache=cache) as iku, pytest.raises(DataError):
            iku.evaluate("2026")
    assert "two spellings of kategori" not in answers(cache)


def test_answers_kept_for_other_bytes_are_not_given(tmp_path: Path) -> None:
    cache = ValidationCache(tmp_path)
    signature = (10, 1, 1, 7, 2)
    assert cache.keep_answers("k", signature, 1234, {"pairs of a and b": [["x", "y"]]})
    assert cache.answers("k", signature, 1234) == {"pairs of a and b": [["x", "y"]]}
    assert cache.answers("k", signature, 4321) == {}  # another CRC-32: other bytes
    assert cache.answers("k", (11, 1, 1, 7, 2), 1234) == {}  # another signature
    assert cache.answers("other", signature, 1234) == {}
    (tmp_path / "validated" / "k.answers.json").write_text('{"format": 5, "sig')  # cut short
    assert cache.answers("k", signature, 1234) == {}


def test_one_engine_asks_again_of_a_file_changed_between_its_evaluations(
    tmp_path: Path,
) -> None:
    """The answers an engine read or kept for a file's bytes are not taken, by the same
    engine, for the bytes the file has after it changed: 3 kinds of PMKS, then the first
    Fakir Miskin written FAKIR MISKIN (two spellings of one kind, 4 if counted) is refused."""
    folder = kinds_office(tmp_path)
    cache = settled(tmp_path / "cache")
    register = folder / "register_pmks.csv"
    with Engine(folder, folder, validation_cache=cache) as iku:
        assert iku.evaluate("2026").get("jenis").value == 3
        register.write_text(
            register.read_text(encoding="utf-8").replace("Fakir Miskin", "FAKIR MISKIN", 1),
            encoding="utf-8",
        )
        os.utime(register, (1_700_000_000, 1_700_000_000))  # settled: its pass is kept too
        with pytest.raises(DataError) as error:
            iku.evaluate("2026")
    assert "differ only" in str(error.value)
