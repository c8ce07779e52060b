"""Before the engine checks the data, DuckDB validates the office's CSV files two at a time
(``CsvRelations.prepare``), each pass on its own cursor. Each file is still validated once;
a file rewritten between its pass and its first reading is validated again; a pass that
fails leaves nothing behind and is made again; a refused file goes to the reader, which says
where, without a second pass.

The office is the small one of tests/fixtures/mini: PMKS registered by the end of 2026 are
the NIK ...01 to ...05, and the services of 2026 under sub kegiatan 0003 or 0001 went to
...01, ...02 and ...04: 3 of 5 tertangani, 60%.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from iku_rules.engine import Engine
from iku_rules.sources import csv_relations
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import CsvRelations

MINI = Path(__file__).parent / "fixtures" / "mini"
CSV_SOURCES = {"register_pmks", "layanan", "realisasi", "inputs"}


def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    return folder


def pooled(thread: str) -> bool:
    """Whether a pass ran in the pool of ``CsvRelations.prepare`` (ahead of the checks)."""
    return thread.startswith("iku-prepare")


class Passes:
    """Records each validating pass (its source, its thread, what it found) and runs it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made: list[tuple[str, str, bool]] = []
        self.before: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        real = csv_relations.native_csv_open

        def recording(connection: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
            hook = self.before.get(source.id)
            if hook is not None:
                hook()
            found = real(connection, source, *args, **kwargs)
            self.made.append((source.id, threading.current_thread().name, found is not None))
            hook = self.after.get(source.id)
            if hook is not None:
                hook()
            return found

        monkeypatch.setattr(csv_relations, "native_csv_open", recording)

    def of(self, source: str) -> list[tuple[str, bool]]:
        return [(thread, found) for made, thread, found in self.made if made == source]


def test_the_files_are_validated_two_at_a_time_and_once_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes = Passes(monkeypatch)
    # The two largest files (the services, the PMKS register) go first: each waits here
    # for the other, which only a second pass running at the same time can end.
    both = threading.Barrier(2, timeout=30)
    passes.before = {"layanan": both.wait, "register_pmks": both.wait}
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026", by="kecamatan").get("iku-tertangani").value == 60
        assert engine.evaluate("2026-TW1").get("iku-tertangani") is not None
    assert sorted(source for source, _thread, _found in passes.made) == sorted(CSV_SOURCES)
    assert all(pooled(thread) and found for _source, thread, found in passes.made)


def test_a_file_rewritten_after_its_pass_is_validated_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes = Passes(monkeypatch)
    folder = office(tmp_path)
    layanan = folder / "layanan.csv"
    prepare = CsvRelations.prepare

    def then_rewritten(self: CsvRelations, sources: Any) -> None:
        prepare(self, sources)
        with layanan.open("a", encoding="utf-8") as file:  # ...03 served in Labuan too
            file.write("3601000000000003,1.06.04.2.01.0003,Labuan,2026-09-01\n")

    monkeypatch.setattr(CsvRelations, "prepare", then_rewritten)
    with Engine(folder, folder) as engine:
        # 4 of 5 PMKS served, as the file now says (the copy made before it changed: 60%)
        assert engine.evaluate("2026").get("iku-tertangani").value == 80
    # Once ahead, in the pool; again when the engine opens the file
    assert [pooled(thread) for thread, _found in passes.of("layanan")] == [True, False]


def test_a_pass_that_fails_leaves_nothing_and_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes = Passes(monkeypatch)
    failures: list[str] = []

    def failing_once() -> None:  # after the pass made its table
        if not failures:
            failures.append(threading.current_thread().name)
            raise RuntimeError("a pass that fails on its thread")

    passes.after = {"layanan": failing_once}
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026").get("iku-tertangani").value == 60
    assert failures and pooled(failures[0])
    # Made again when the engine opens the file, and natively: a table left behind by the
    # failed pass would have made it fail ("already exists") and sent the file to the reader.
    [(_first, found), (again, found_again)] = passes.of("layanan")
    assert (found, pooled(again), found_again) == (True, False, True)


def test_a_refused_file_goes_to_the_reader_without_a_second_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passes = Passes(monkeypatch)
    folder = office(tmp_path)
    layanan = folder / "layanan.csv"
    layanan.write_text(
        layanan.read_text(encoding="utf-8")
        + "3601000000000003,1.06.04.2.01.0003,Labuan,31/02/2026\n",
        encoding="utf-8",
    )
    with Engine(folder, folder) as engine, pytest.raises(DataError) as excinfo:
        engine.evaluate("2026")
    assert str(excinfo.value).startswith("layanan.csv, row 8, column 'tanggal'")
    assert [found for _thread, found in passes.of("layanan")] == [False]
