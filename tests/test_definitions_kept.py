"""Definitions kept as read for the next process (``iku_rules.loader.kept``): an entry is
taken only for the very files and code it was kept for; anything else reads the files.

The office is the small one of tests/fixtures/mini: its IKU ``iku-tertangani`` has the
target 40 for 2026; 3 of its 5 PMKS are tertangani in 2026, 60 %, so its capaian is
60 / 40 × 100 = 150 %.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, office, run

from iku_rules import cache_folder
from iku_rules.engine import DefinitionError, Engine
from iku_rules.i18n import use_language
from iku_rules.loader import kept, load
from iku_rules.loader.kept import DefinitionsCache, load_kept


class Reads:
    """Counts the times the definitions' files are read through the loader."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = kept.load

        def counting(path: Any) -> Any:
            self.count += 1
            return real(path)

        monkeypatch.setattr(kept, "load", counting)


def entries(cache: DefinitionsCache) -> list[Path]:
    return sorted((cache.folder / "definitions").glob("*.pickle"))


def target_2026(definitions: Any) -> Decimal:
    indicator = next(i for i in definitions.indicators if i.id == "iku-tertangani")
    return indicator.targets[2026]


def test_a_second_load_takes_the_entry_and_gives_the_same_definitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    reads = Reads(monkeypatch)
    first = cache.load(folder)
    assert reads.count == 1 and len(entries(cache)) == 1
    if os.name == "posix":  # readable and writable by the user alone
        assert stat.S_IMODE(entries(cache)[0].stat().st_mode) == 0o600
    second = cache.load(folder)
    assert reads.count == 1  # the files unchanged: taken from the entry
    assert second == first == load(folder)
    assert second.root == folder and second.files == first.files
    assert target_2026(second) == 40
    # the places survive: each indicator's place is the one read from the file
    places = [(i.location.line, i.location.column) for i in second.indicators]
    assert places == [(i.location.line, i.location.column) for i in load(folder).indicators]


def test_an_edit_is_read_even_with_the_size_and_time_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    cache.load(folder)
    path = folder / "definitions.toml"
    status = path.stat()
    edit(folder, 'targets = { 2026 = "40" }', 'targets = { 2026 = "45" }')  # as long
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert path.stat().st_size == status.st_size
    reads = Reads(monkeypatch)
    assert target_2026(cache.load(folder)) == 45
    assert reads.count == 1 and len(entries(cache)) == 1  # the entry replaced
    assert target_2026(cache.load(folder)) == 45 and reads.count == 1


def test_a_file_added_or_removed_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    before = cache.load(folder)
    extra = folder / "more" / "parameter.toml"
    extra.parent.mkdir()
    extra.write_text('[[parameter]]\nname = "faktor"\nvalue = "2"\n', encoding="utf-8")
    reads = Reads(monkeypatch)
    added = cache.load(folder)
    assert reads.count == 1
    assert [p.name for p in added.parameters] == [p.name for p in before.parameters] + ["faktor"]
    extra.unlink()
    assert cache.load(folder) == before and reads.count == 2


def test_definitions_with_errors_are_not_kept_and_are_refused_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    edit(folder, "Σ PMKS tertangani / Σ PMKS × 100%", "Σ PMKS tertangani / × 100%")
    cache = DefinitionsCache(tmp_path / "cache")
    reads = Reads(monkeypatch)
    for _ in range(2):
        definitions = cache.load(folder)
        assert not definitions.ok
        assert any(d.location.path.name == "definitions.toml" for d in definitions.errors)
    assert reads.count == 2 and entries(cache) == []
    with pytest.raises(DefinitionError):
        Engine(folder, folder, definitions_cache=cache)


def test_an_entry_others_may_write_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.name != "posix":
        pytest.skip("the owner and mode of a file are POSIX's")
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    cache.load(folder)
    (entry,) = entries(cache)
    entry.chmod(0o666)
    reads = Reads(monkeypatch)
    assert target_2026(cache.load(folder)) == 40
    assert reads.count == 1  # read from the files, and kept anew for the user alone
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("damage", ["cut short", "other header", "not definitions", "empty"])
def test_a_damaged_entry_costs_only_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    cache.load(folder)
    (entry,) = entries(cache)
    data = entry.read_bytes()
    header, _, body = data.partition(b"\n")
    if damage == "cut short":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "other header":
        other = b"1" if header.endswith(b"0") else b"0"  # another key, whatever this one
        entry.write_bytes(header[:-1] + other + b"\n" + body)
    elif damage == "not definitions":
        entry.write_bytes(header + b"\n" + pickle.dumps({"targets": 99}))
    else:
        entry.write_bytes(b"")
    reads = Reads(monkeypatch)
    assert target_2026(cache.load(folder)) == 40
    assert reads.count == 1
    assert entry.read_bytes() == data  # kept again, whole
    assert target_2026(cache.load(folder)) == 40 and reads.count == 1


def test_other_code_or_another_language_reads_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    (folder / "definitions.toml").write_text(  # no '#:schema' line: one warning
        (folder / "definitions.toml").read_text(encoding="utf-8").split("\n", 1)[1],
        encoding="utf-8",
    )
    cache = DefinitionsCache(tmp_path / "cache")
    reads = Reads(monkeypatch)
    with use_language("en"):
        english = cache.load(folder)
    with use_language("id"):
        indonesian = cache.load(folder)
        assert cache.load(folder) == indonesian
    assert reads.count == 2 and len(entries(cache)) == 2  # one entry per language
    assert "#:schema" in english.warnings[0].message
    assert english.warnings[0].message != indonesian.warnings[0].message
    with use_language("en"):
        assert cache.load(folder).warnings[0].message == english.warnings[0].message
    assert reads.count == 2
    monkeypatch.setattr(kept, "code_digest", lambda: "another release")
    cache.load(folder)
    assert reads.count == 3


def test_a_file_changed_while_read_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    real = kept.load

    def edited_meanwhile(path: Any) -> Any:
        found = real(path)
        edit(folder, 'targets = { 2026 = "40" }', 'targets = { 2026 = "45" }')
        return found

    monkeypatch.setattr(kept, "load", edited_meanwhile)
    assert target_2026(cache.load(folder)) == 40  # what was read
    assert entries(cache) == []  # but not kept for the files as they are now
    monkeypatch.setattr(kept, "load", real)
    assert target_2026(cache.load(folder)) == 45


def test_the_cache_is_off_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = office(tmp_path)
    monkeypatch.setenv(cache_folder.ENVIRONMENT, "off")
    assert DefinitionsCache.default() is None
    reads = Reads(monkeypatch)
    load_kept(folder)
    load_kept(folder)
    assert reads.count == 2
    monkeypatch.setenv(cache_folder.ENVIRONMENT, str(tmp_path / "chosen"))
    chosen = DefinitionsCache.default()
    assert chosen is not None and chosen.folder == tmp_path / "chosen"
    load_kept(folder, cache=False)
    assert reads.count == 3 and not (tmp_path / "chosen").exists()


def test_an_engine_over_kept_definitions_gives_the_same_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    cache = DefinitionsCache(tmp_path / "cache")
    reads = Reads(monkeypatch)
    results = []
    for _ in range(2):
        with Engine(folder, folder, definitions_cache=cache) as engine:
            results.append(engine.evaluate("2026", by="kecamatan"))
    assert reads.count == 1
    first, second = results
    # 3 of 5 PMKS tertangani: 60 %, against the target 40: capaian 150 %
    assert second.get("iku-tertangani").value == first.get("iku-tertangani").value == 60
    assert second.get("iku-tertangani").capaian.value == 150
    assert second.rows() == first.rows()
    assert second.explain("iku-tertangani").text() == first.explain("iku-tertangani").text()


def test_iku_eval_keeps_the_definitions_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    monkeypatch.setenv(cache_folder.ENVIRONMENT, str(tmp_path / "cache"))
    reads = Reads(monkeypatch)
    outputs = []
    for extra in (["--no-cache"], [], []):
        status, out = run("eval", str(folder), "--data", str(folder), "--period", "2026", *extra)
        assert status == 0
        outputs.append(out)
        if extra:  # read, and nothing kept
            assert reads.count == 0 and not (tmp_path / "cache").exists()
    assert reads.count == 1  # the first run without --no-cache kept them for the second
    assert len(list((tmp_path / "cache" / "definitions").glob("*.pickle"))) == 1
    assert outputs[0] == outputs[1] == outputs[2]
    assert "60" in outputs[2]


def test_the_code_digest_sees_every_file_a_result_depends_on(tmp_path: Path) -> None:
    package = tmp_path / "iku_rules"
    files = {
        "engine.py": "X = 1\n",
        "rule_tables/capaian.toml": "a = 1\n",
        "locale/id/LC_MESSAGES/iku_rules.po": 'msgid "a"\nmsgstr "b"\n',
        "locale/id/LC_MESSAGES/iku_rules.mo": "mo",
        "schema/definitions.schema.json": "{}",
    }
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    grammar = tmp_path / "grammar" / "iku.lark"
    digest = cache_folder.tree_digest(str(package), [str(grammar)])
    assert len(digest) == 32
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"compiled")
    (package / "README.txt").write_text("not read", encoding="utf-8")
    assert cache_folder.tree_digest(str(package), [str(grammar)]) == digest  # neither counts
    seen = {digest}
    for name in files:  # each file's bytes count, by its place
        before = (package / name).read_text(encoding="utf-8")
        (package / name).write_text(before + "#", encoding="utf-8")
        seen.add(cache_folder.tree_digest(str(package), [str(grammar)]))
        (package / name).write_text(before, encoding="utf-8")
    grammar.parent.mkdir()
    grammar.write_text("start: NAME\n", encoding="utf-8")  # a checkout's grammar, found now
    seen.add(cache_folder.tree_digest(str(package), [str(grammar)]))
    (package / "engine.py").rename(package / "engine2.py")  # the same bytes, moved
    seen.add(cache_folder.tree_digest(str(package), [str(grammar)]))
    assert len(seen) == len(files) + 3
    assert cache_folder.code_digest() == cache_folder.code_digest()  # once a process


def test_places_not_yet_found_are_kept_to_be_found_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iku_rules import tomlpos

    folder = office(tmp_path)
    scans: list[int] = []
    real = tomlpos.locate

    def counting(text: str) -> Any:
        scans.append(len(text))
        return real(text)

    monkeypatch.setattr(tomlpos, "locate", counting)
    fresh = load(folder)
    scanned_by_a_load = len(scans)
    scans.clear()
    cache = DefinitionsCache(tmp_path / "cache")
    cache.load(folder)
    assert len(scans) == scanned_by_a_load  # keeping the entry found no place
    scans.clear()
    kept_back = cache.load(folder)
    assert scans == []  # nor did reading it back
    assert kept_back.warnings and [
        (w.location.line, w.location.column) for w in kept_back.warnings
    ] == [(w.location.line, w.location.column) for w in fresh.warnings]
    assert scans  # found when read, from the file's text kept with the entry
    # where each formula's text starts inside its string (a caret's origin), the same way

    def starts(definitions: Any) -> list[tuple[int | None, int | None]]:
        return [
            (i.formula_location.line, i.formula_location.column)
            for i in definitions.indicators
            if i.formula_location is not None
        ]

    assert starts(kept_back) == starts(fresh) and len(starts(fresh)) == 5  # 5 formulas


def test_the_iku_program_over_kept_definitions_does_without_lark(tmp_path: Path) -> None:
    # The second process takes the definitions back as read: it parses no formula, so it
    # neither imports Lark nor loads the grammar's tables; its output is the first's.
    folder = office(tmp_path)
    probe = (
        "import sys, atexit\n"
        "atexit.register(lambda: print('lark' in sys.modules, file=sys.stderr))\n"
        "from iku_rules.cli import command\n"
        "sys.exit(command())\n"
    )
    environment = dict(os.environ, **{cache_folder.ENVIRONMENT: str(tmp_path / "cache")})
    command = [sys.executable, "-c", probe, "eval", str(folder), "--data", str(folder)]
    command += ["--period", "2026", "--format", "csv"]
    runs = [
        subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=environment,
            check=True,
        )
        for _ in range(2)
    ]
    assert [run.stderr for run in runs] == ["True\n", "False\n"]
    assert runs[0].stdout == runs[1].stdout
    assert "iku-tertangani" in runs[1].stdout
