"""A validating pass that accepted a CSV file is kept on disk, and a later engine reading
the same unchanged file by the same rules skips it (``iku_rules.sources.validation_cache``).

The office is the small one of tests/fixtures/mini: PMKS registered by the end of 2026
are the NIK ...01 to ...05, and the services of 2026 under sub kegiatan 0003 or 0001 went
to ...01, ...02 and ...04: 3 of 5 tertangani, 60 %. Every test here checks that a kept
pass never lets a changed or refused file through: a wrong number in silence is worse than
a slow one.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import office, run

from iku_rules.engine import Engine
from iku_rules.sources import csv_relations, validation_cache
from iku_rules.sources.base import file_signature
from iku_rules.sources.cells import DataError
from iku_rules.sources.validation_cache import ValidationCache

CSV_SOURCES = {"register_pmks", "layanan", "realisasi", "inputs"}


class Passes:
    """Counts the validating passes made over each source's file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[str] = []
        real = csv_relations.native_csv_open

        def counting(connection: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
            self.made.append(source.id)
            return real(connection, source, *args, **kwargs)

        monkeypatch.setattr(csv_relations, "native_csv_open", counting)


def settled(folder: Path) -> ValidationCache:
    """A cache that keeps passes over files written just now (the tests write them so)."""
    cache = ValidationCache(folder)
    cache.settle_ns = 0
    return cache


def evaluate(folder: Path, cache: ValidationCache | bool) -> Any:
    with Engine(folder, folder, validation_cache=cache) as engine:
        return engine.evaluate("2026", by="kecamatan")


def kept(cache: ValidationCache) -> list[Path]:
    """The passes kept (not the checks' answers kept beside them)."""
    entries = (cache.folder / "validated").glob("*.json")
    return sorted(entry for entry in entries if not entry.name.endswith(".answers.json"))


def rewrite_keeping_times(path: Path, old: str, new: str) -> None:
    """Change ``old`` into ``new`` (as long) in the file and set its modification time back,
    as a tool restoring timestamps does: its size and modification time do not tell the
    change (its bytes do)."""
    assert len(old) == len(new)
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    assert path.stat().st_mtime_ns == status.st_mtime_ns


def test_a_second_engine_skips_the_passes_and_gives_the_same_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    passes = Passes(monkeypatch)
    first = evaluate(folder, cache)
    assert set(passes.made) == CSV_SOURCES
    assert len(kept(cache)) == len(CSV_SOURCES)
    if os.name == "posix":  # the names found are readable by the user alone
        assert {stat.S_IMODE(entry.stat().st_mode) for entry in kept(cache)} == {0o600}
    passes.made.clear()
    second = evaluate(folder, cache)
    assert passes.made == []  # every file unchanged: no pass made again
    # 3 of 5 PMKS tertangani: 60 %; Labuan 2 of 3 (66.67 %), Carita 1 of 2 (50 %)
    assert second.get("iku-tertangani").value == first.get("iku-tertangani").value == 60
    assert [r.value for r in second.results] == [r.value for r in first.results]
    assert second.explain("iku-tertangani").text() == first.explain("iku-tertangani").text()


def test_a_second_engine_makes_the_relations_from_the_statements_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statement making each file's relation is built once, when the pass is kept, and
    read back with it: a second engine builds none, and counts the same (3 of 5 PMKS
    tertangani, 60 %)."""
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    built: list[str] = []
    real = validation_cache.validated_relation

    def building(source: Any, *args: Any, **kwargs: Any) -> str | None:
        built.append(source.id)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(validation_cache, "validated_relation", building)
    first = evaluate(folder, cache)
    assert sorted(built) == sorted(CSV_SOURCES)
    entries = [json.loads(entry.read_text(encoding="utf-8")) for entry in kept(cache)]
    assert all(entry["statement"].startswith("CREATE OR REPLACE") for entry in entries)
    built.clear()
    second = evaluate(folder, cache)
    assert built == []
    assert second.get("iku-tertangani").value == first.get("iku-tertangani").value == 60


def test_an_entry_without_its_statement_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry kept by the layout before statements were kept is not read: the file is
    validated again, and counted the same."""
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    for entry in kept(cache):
        written = json.loads(entry.read_text(encoding="utf-8"))
        del written["statement"]
        entry.write_text(json.dumps(written), encoding="utf-8")
    passes = Passes(monkeypatch)
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    assert set(passes.made) == CSV_SOURCES


def test_a_kept_pass_reads_a_column_by_the_patterns_when_the_pass_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service to ...04 written day first (01/07/2026: 1 July): the pass reads it by the
    # patterns and notes that the column tanggal is not plain, so the relation made again
    # from the kept pass reads it so too. Read as DuckDB casts it, it would have no date, and
    # ...04 no service in 2026: 2 of 5 tertangani, 40 %, where the right number is 60 %.
    folder = office(tmp_path)
    layanan = folder / "layanan.csv"
    layanan.write_text(
        layanan.read_text(encoding="utf-8").replace("Carita,2026-07-01", "Carita,01/07/2026"),
        encoding="utf-8",
    )
    os.utime(layanan, (1_700_000_000, 1_700_000_000))
    cache = settled(tmp_path / "cache")
    first = evaluate(folder, cache)
    entries = [json.loads(entry.read_text(encoding="utf-8")) for entry in kept(cache)]
    # the columns found plain in each file (decimals have no plain form): the service
    # log's without tanggal, the PMKS register's with it
    assert {tuple(entry["plain"]) for entry in entries} == {
        ("kecamatan", "kode_sub_kegiatan", "nik"),
        ("kategori", "kecamatan", "nik", "tanggal"),
        ("indikator", "kecamatan", "kode_sub_kegiatan", "periode"),
        ("nama", "tahun"),
    }
    passes = Passes(monkeypatch)
    second = evaluate(folder, cache)
    assert passes.made == []
    assert first.get("iku-tertangani").value == second.get("iku-tertangani").value == 60


def test_a_file_changed_with_its_size_and_time_kept_is_validated_and_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    # The fourth PMKS's date becomes a month that does not exist; same size, same time.
    rewrite_keeping_times(folder / "register_pmks.csv", "2026-03-15", "2026-13-15")
    passes = Passes(monkeypatch)
    with pytest.raises(DataError) as refused:
        evaluate(folder, cache)
    assert "register_pmks" in passes.made
    assert str(refused.value).startswith("register_pmks.csv, row 5, column 'tanggal'")


def test_a_kept_pass_is_not_taken_for_other_bytes_behind_the_same_signature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Windows and on a FAT drive the "change time" is the file's creation: a tool writing
    # a file in place and setting its modification time back leaves the whole signature as
    # it was. The kept pass's signature is made that of the rewritten file here, as such a
    # tool would leave it; the CRC-32 of the bytes still tells the change.
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    path = folder / "register_pmks.csv"
    before = list(file_signature(path) or ())
    rewrite_keeping_times(path, "2026-03-15", "2026-13-15")
    after = list(file_signature(path) or ())
    for entry in kept(cache):
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace(json.dumps(before), json.dumps(after)), encoding="utf-8")
    assert any(json.dumps(after) in entry.read_text(encoding="utf-8") for entry in kept(cache))
    passes = Passes(monkeypatch)
    with pytest.raises(DataError, match=r"register_pmks\.csv, row 5, column 'tanggal'"):
        evaluate(folder, cache)
    assert "register_pmks" in passes.made


def test_a_refused_file_is_not_kept_and_is_refused_again(tmp_path: Path) -> None:
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    path = folder / "layanan.csv"
    path.write_text(
        path.read_text(encoding="utf-8") + "3601000000000009,1.06.04.2.01.0003,Labuan,2026-02-30\n"
    )
    for _attempt in range(2):
        with pytest.raises(DataError, match=r"layanan\.csv, row 8, column 'tanggal'"):
            evaluate(folder, cache)
    # what the passes over the other files found is kept; nothing of layanan's codes
    assert kept(cache)
    assert all("1.06.04" not in entry.read_text(encoding="utf-8") for entry in kept(cache))


def test_a_file_written_just_now_is_not_kept(tmp_path: Path) -> None:
    # two seconds, FAT's clock: a second write within them could keep the signature
    folder = office(tmp_path)
    cache = ValidationCache(tmp_path / "cache")
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    assert kept(cache) == []


def test_changed_definitions_or_rules_validate_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    passes = Passes(monkeypatch)
    monkeypatch.setattr(validation_cache, "_code", lambda: "another release of iku-rules")
    evaluate(folder, cache)
    assert set(passes.made) == CSV_SOURCES
    passes.made.clear()
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    declared = 'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date" }'
    assert declared in text
    definitions.write_text(text.replace(declared, declared.replace('"nik"', '"identifier"')))
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    assert passes.made == ["register_pmks"]  # only the source declared otherwise


def test_another_duckdb_validates_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # DuckDB's casts decide what the pass accepted (and which columns it found plain): a
    # kept pass is another DuckDB's to take only if it is the same DuckDB
    import duckdb

    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    passes = Passes(monkeypatch)
    evaluate(folder, cache)
    assert passes.made == []
    monkeypatch.setattr(duckdb, "__version__", "0.0.1")
    validation_cache._code.cache_clear()
    try:
        evaluate(folder, cache)
    finally:
        validation_cache._code.cache_clear()
    assert set(passes.made) == CSV_SOURCES


def test_an_unreadable_entry_or_folder_costs_only_the_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    for entry in kept(cache):
        entry.write_text('{"format": 1, "signature": [1, 2')  # cut short
    passes = Passes(monkeypatch)
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    assert set(passes.made) == CSV_SOURCES
    # an entry whose plain columns are not a list of names is not taken either
    for entry in kept(cache):
        written = json.loads(entry.read_text(encoding="utf-8"))
        entry.write_text(json.dumps({**written, "plain": "nik"}), encoding="utf-8")
    passes.made.clear()
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    assert set(passes.made) == CSV_SOURCES
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert evaluate(folder, settled(blocked)).get("iku-tertangani").value == 60


def test_the_cache_folder_is_chosen_by_iku_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKU_CACHE_DIR", str(tmp_path / "here"))
    chosen = ValidationCache.default()
    assert chosen is not None and chosen.folder == tmp_path / "here"
    monkeypatch.setenv("IKU_CACHE_DIR", "off")
    assert ValidationCache.default() is None
    with Engine(office(tmp_path), tmp_path / "office") as engine:
        assert engine.validation_cache is None
    monkeypatch.delenv("IKU_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        chosen = ValidationCache.default()
        assert chosen is not None and chosen.folder == tmp_path / "xdg" / "iku-rules"


def test_iku_eval_keeps_the_passes_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    monkeypatch.setenv("IKU_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ValidationCache, "settle_ns", 0)
    arguments = [str(folder), "--data", str(folder), "--period", "2026", "--format", "csv"]
    status, without = run("eval", *arguments, "--no-cache")
    assert status == 0
    assert not (tmp_path / "cache").exists()
    status, first = run("eval", *arguments)
    assert status == 0 and first == without
    validated = (tmp_path / "cache" / "validated").glob("*.json")  # a pass for each file
    passes_kept = [path for path in validated if not path.name.endswith(".answers.json")]
    assert len(passes_kept) == len(CSV_SOURCES)
    passes = Passes(monkeypatch)
    status, second = run("eval", *arguments)
    assert status == 0 and second == first
    assert passes.made == []


def test_a_pass_that_gathered_the_nik_of_people_is_not_kept(tmp_path: Path) -> None:
    # A filter comparing a NIK makes the pass gather every NIK of the register: those are
    # people's identifiers, never written to the cache folder.
    folder = office(tmp_path)
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    text = text.replace(
        'aggregate = "count_distinct"\ncolumn = "nik"\n\n[[measure]]',
        'aggregate = "count_distinct"\ncolumn = "nik"\nfilter = \'nik != "3601000000000009"\'\n\n'
        "[[measure]]",
        1,
    )
    definitions.write_text(text, encoding="utf-8")
    cache = settled(tmp_path / "cache")
    # the filter leaves out no PMKS: still 3 of 5 tertangani, 60 %
    assert evaluate(folder, cache).get("iku-tertangani").value == 60
    written = " ".join(entry.read_text(encoding="utf-8") for entry in kept(cache))
    assert len(kept(cache)) == len(CSV_SOURCES) - 1  # all but the register's pass
    assert "360100000000000" not in written
    assert "Labuan" in written  # the other passes' regions are kept


def test_entries_unused_for_a_month_are_removed_when_a_pass_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache folder does not grow for ever: an entry neither written nor used for
    # keep_days (30) days goes when a pass is next kept; one in use stays.
    day = 24 * 60 * 60
    folder = office(tmp_path)
    cache = settled(tmp_path / "cache")
    evaluate(folder, cache)
    entries = kept(cache)
    assert len(entries) == len(CSV_SOURCES)
    gone = cache.folder / "validated" / ("0" * 40 + ".json")  # a data folder long gone
    gone.write_text(entries[0].read_text(encoding="utf-8"), encoding="utf-8")
    left = cache.folder / "validated" / ".abc.tmp.json"  # a process stopped while writing
    left.write_text("{")
    month_ago = os.stat(entries[0]).st_mtime - 31 * day
    for entry in [*entries, gone, left]:
        os.utime(entry, (month_ago, month_ago))
    passes = Passes(monkeypatch)
    evaluate(folder, cache)  # every entry used: each marked so, none written
    assert passes.made == []
    assert all(os.stat(entry).st_mtime > month_ago + 30 * day for entry in entries)
    assert gone.exists() and left.exists()  # nothing kept yet, so nothing pruned
    register = folder / "register_pmks.csv"
    register.write_text(register.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    first = evaluate(folder, cache)  # the register validated again, and its pass kept
    assert passes.made == ["register_pmks"]
    assert not gone.exists() and not left.exists()
    assert kept(cache) == entries  # the register's entry written over, the others kept
    assert first.get("iku-tertangani").value == 60  # 3 of 5 PMKS tertangani
