"""DuckDB reads a clean CSV source of IN_PLACE_BYTES or more in place: a view over the file,
typed in SQL, made after one pass over the file found every cell accepted, and made again
when the file changes. Every guarantee of the reader holds on that path. (Here every file is
read in place, the bound set to 0 byte, but in the test of the bound itself.)

The office is the small one of tests/fixtures/mini: PMKS registered by the end of 2026 are
the NIK ...01 to ...05 (…06 registers in 2027), and the services of 2026 under sub kegiatan
0003 or 0001 went to ...01, ...02 and ...04: 3 of 5 tertangani, 60%.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from iku_rules import IkuError
from iku_rules.cli import main
from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.measures import MeasureSpec
from iku_rules.periods import Period
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import IN_PLACE_BYTES, CsvRelations
from iku_rules.sources.sql import internal_table
from iku_rules.sources.sql_backend import DuckDBBackend

MINI = Path(__file__).parent / "fixtures" / "mini"
HEADER = "nik,kode_sub_kegiatan,kecamatan,tanggal\n"


@pytest.fixture(autouse=True)
def every_file_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CsvRelations, "in_place_bytes", 0)


def office(tmp_path: Path, *, nik: str = "text", notation: str | None = None) -> Path:
    """The mini office and its data in one folder; ``nik``: the type of the services' NIK,
    ``notation``: the office's, if declared."""
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    toml = folder / "definitions.toml"
    text = toml.read_text(encoding="utf-8")
    old = 'columns = { nik = "nik", kode_sub_kegiatan = "text"'
    text = text.replace(old, old.replace('"nik"', f'"{nik}"', 1))
    if notation is not None:
        text = text.replace("[office]\n", f'[office]\nnotation = "{notation}"\n')
    toml.write_text(text, encoding="utf-8")
    return folder


def views(engine: Engine) -> tuple[set[str], set[str]]:
    """The views and the tables the engine's DuckDB connection holds."""
    connection = engine._backend().connection  # type: ignore[attr-defined]
    found = connection.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    tables = connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    return {name for (name,) in found}, {name for (name,) in tables}


def test_a_clean_csv_is_read_in_place_and_gives_what_every_backend_gives(tmp_path: Path) -> None:
    folder = office(tmp_path, nik="nik")
    with Engine(folder, folder) as engine, Engine(folder, folder, backend="python") as python:
        year = engine.evaluate("2026", by="kecamatan")
        assert year.get("iku-tertangani").value == 60  # 3 of 5 PMKS
        # Labuan: registered ...01, ...02, ...03; served in 2026 ...01, ...02: 2 of 3
        assert year.get("iku-tertangani", "Labuan").value.quantize(1) == 67  # type: ignore[union-attr]
        in_place, tables = views(engine)
        assert in_place == {internal_table(source) for source in engine.definitions.sources}
        assert tables == set()  # nothing copied into a table
        expected = python.evaluate("2026", by="kecamatan")
        for got, want in zip(year.results, expected.results, strict=True):
            assert (got.indicator.id, got.area, got.value) == (
                want.indicator.id,
                want.area,
                want.value,
            )
        quarters = [f"2026-TW{quarter}" for quarter in (1, 2, 3, 4)]
        for got_one, want_one in zip(
            engine.evaluate_many(quarters, by="kecamatan"),
            python.evaluate_many(quarters, by="kecamatan"),
            strict=True,
        ):
            assert [(r.indicator.id, r.area, r.value) for r in got_one.results] == [
                (r.indicator.id, r.area, r.value) for r in want_one.results
            ]


def test_a_query_types_only_the_columns_it_reads(tmp_path: Path) -> None:
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        engine.evaluate("2026")
        connection = engine._backend().connection  # type: ignore[attr-defined]
        layanan = internal_table(next(s for s in engine.definitions.sources if s.id == "layanan"))
        plan = connection.execute(f'EXPLAIN SELECT count(DISTINCT "nik") FROM "{layanan}"')
        text = plan.fetchall()[0][1]
        # The file's columns are c0 (nik) … c3 (tanggal): the scan reads c0 alone, and
        # nothing types the three others.
        scan = text[text.index("READ_CSV") :]
        assert "Projections: c0" in scan and "c1" not in scan and "c3" not in text


def test_the_names_checked_come_from_the_validating_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    execute = DuckDBBackend.execute

    def recording(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
        ran.append(query.sql)
        return execute(self, query)

    monkeypatch.setattr(DuckDBBackend, "execute", recording)
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026", by="kecamatan").get("iku-tertangani").value == 60
    # The ones asked of the realisasi table itself, one row per indicator, triwulan and
    # kecamatan: its pairs of indikator and sub kegiatan code (a row of a code not its
    # indicator's), and, where a kecamatan may miss a triwulan (Labuan reports TW1 and TW2,
    # Carita TW3), the regions of its rows
    pairs = 'SELECT DISTINCT "indikator", "kode_sub_kegiatan" FROM "iku source realisasi"'
    regions = 'SELECT DISTINCT "indikator", "periode", "kecamatan" FROM "iku source realisasi"'
    asked = [sql for sql in ran if sql.startswith("SELECT DISTINCT")]
    assert not [sql for sql in asked if sql not in (pairs, regions)]
    # A name the definitions do not know is still refused, at its row
    realisasi = folder / "realisasi.csv"
    realisasi.write_text(
        realisasi.read_text(encoding="utf-8")
        + "1.06.04.2.01.0003,alat-bantu-orng,2026-TW4,Labuan,1\n",
        encoding="utf-8",
    )
    with Engine(folder, folder) as engine, pytest.raises(DataError) as excinfo:
        engine.evaluate("2026", by="kecamatan")
    assert str(excinfo.value).startswith("realisasi.csv, row 6, column 'indikator'")
    assert "'alat-bantu-orng' (did you mean 'alat-bantu-orang'?)" in str(excinfo.value)


@pytest.mark.parametrize(
    ("notation", "skor"),
    [
        # skor = bobot × [Nilai AKIP] + iku-tertangani / 100%, bobot 0.5, tertangani 60%
        ("en", "38.625"),  # AKIP 76.050 = 76.05: 38.025 + 0.6
        ("id", "38025.6"),  # AKIP 76.050 = 76050: 38025 + 0.6
        (None, None),  # read two ways, no notation declared: refused
    ],
)
def test_a_number_two_notations_read_differently_is_read_as_declared(
    tmp_path: Path, notation: str | None, skor: str | None
) -> None:
    folder = office(tmp_path, notation=notation)
    (folder / "inputs.csv").write_text(
        "nama,tahun,nilai\nNilai AKIP,2026,76.050\nNilai AKIP,2025,75\n", encoding="utf-8"
    )
    with Engine(folder, folder) as engine:
        if skor is None:
            with pytest.raises(IkuError, match=r"inputs.csv, row 2.*'76.050' is read two ways"):
                engine.evaluate("2026")
            return
        assert str(engine.evaluate("2026").get("skor").value) == skor
        assert internal_table(engine.definitions.sources[3]) not in views(engine)[0]  # a table


def test_a_nik_excel_turned_into_a_number_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path, nik="nik")
    layanan = folder / "layanan.csv"
    layanan.write_text(
        layanan.read_text(encoding="utf-8") + "3.6E+15,1.06.04.2.01.0003,Labuan,2026-05-01\n",
        encoding="utf-8",
    )
    with Engine(folder, folder) as engine, pytest.raises(DataError) as excinfo:
        engine.evaluate("2026")
    assert str(excinfo.value).startswith("layanan.csv, row 8, column 'nik'")


def test_empty_rows_and_a_repeated_header(tmp_path: Path) -> None:
    folder = office(tmp_path)
    layanan = folder / "layanan.csv"
    rows = layanan.read_text(encoding="utf-8").splitlines(keepends=True)
    # A row of empty cells inside the table is skipped: still 3 of 5
    layanan.write_text("".join([*rows[:3], ",,,\n", *rows[3:]]), encoding="utf-8")
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026").get("iku-tertangani").value == 60
    # A signature below the table, after an empty line, is not a row
    layanan.write_text("".join([*rows, "\n", "Kepala Dinas,,,\n"]), encoding="utf-8")
    with Engine(folder, folder) as engine, pytest.raises(DataError, match="row 9: the row comes"):
        engine.evaluate("2026")
    # The header again, below the table
    layanan.write_text("".join([*rows, HEADER]), encoding="utf-8")
    with (
        Engine(folder, folder) as engine,
        pytest.raises(DataError, match="row 8: the row repeats the names of the columns"),
    ):
        engine.evaluate("2026")


def test_the_view_reads_only_the_sources_files(tmp_path: Path) -> None:
    folder = office(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n", encoding="utf-8")
    (folder / "other.csv").write_text("a\n1\n", encoding="utf-8")
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026").get("iku-tertangani").value == 60  # the views read
        connection = engine._backend().connection  # type: ignore[attr-defined]
        for path in (secret, folder / "other.csv"):
            with pytest.raises(duckdb.PermissionException):
                connection.execute("SELECT * FROM read_csv(?)", [str(path)]).fetchall()
        with pytest.raises(duckdb.Error):  # nor can a view be made to read another file
            connection.execute(f"CREATE VIEW v AS SELECT * FROM read_csv('{secret}')")
            connection.execute("SELECT * FROM v").fetchall()
    # A source's file that is a link out of the data folder is refused before any read
    (folder / "layanan.csv").unlink()
    (folder / "layanan.csv").symlink_to(secret)
    with Engine(folder, folder) as engine, pytest.raises(DataError, match="outside the data"):
        engine.evaluate("2026")


def _rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_file_changed_after_it_was_validated_is_validated_again(tmp_path: Path) -> None:
    folder = office(tmp_path, nik="nik")
    layanan = folder / "layanan.csv"
    with Engine(folder, folder) as engine:
        assert engine.evaluate("2026").get("iku-tertangani").value == 60
        # Same size, same modification time: the write still moved the inode change time
        _rewrite_keeping_size_and_time(layanan, "3601000000000002", "3.6010000000E+15")
        with pytest.raises(DataError, match=r"layanan\.csv, row 4, column 'nik'"):
            engine.evaluate("2026")
        # Mended: read again (...02's service counts again)
        _rewrite_keeping_size_and_time(layanan, "3.6010000000E+15", "3601000000000002")
        assert engine.evaluate("2026").get("iku-tertangani").value == 60


def test_a_file_changed_between_or_during_the_queries_is_never_read_unvalidated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path, nik="nik")
    sources = {source.id: source for source in load(folder).sources}
    layanan_source = sources["layanan"]
    layanan = folder / "layanan.csv"
    good = layanan.read_text(encoding="utf-8")
    period = Period.parse("2026")
    # the services dated in 2026: 5 rows in the file as it is
    rows = MeasureSpec("rows", "rows", layanan_source, "count", time="flow")

    def count() -> Any:
        (tallies,) = backend.measures(layanan_source, [rows], period, [()]).groups.values()
        return tallies["rows"].value

    backend = DuckDBBackend(list(sources.values()), folder)
    try:
        assert backend.distinct(layanan_source, "kecamatan") == ["Carita", "Labuan"]
        # A new kecamatan after the validating pass: found by validating again
        layanan.write_text(good + "3601000000000007,x,Menes,2026-05-01\n", encoding="utf-8")
        assert backend.distinct(layanan_source, "kecamatan") == ["Carita", "Labuan", "Menes"]
        # A refused cell written between two questions: the next one validates, and refuses
        layanan.write_text(good + "3.6E+15,x,Menes,2026-05-01\n", encoding="utf-8")
        with pytest.raises(DataError, match=r"layanan\.csv, row 8, column 'nik'"):
            count()
        layanan.write_text(good, encoding="utf-8")
        assert count() == 5

        # The file written while a statement reads it: the statement runs again over the
        # file validated again (the row added counts: 5 rows of 2026 by the end, then 6)
        execute = DuckDBBackend.execute
        writes = [good + "3601000000000007,x,Menes,2026-05-01\n"]

        def writing(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
            rows = execute(self, query)
            if writes:
                layanan.write_text(writes.pop(), encoding="utf-8")
            return rows

        monkeypatch.setattr(DuckDBBackend, "execute", writing)
        assert count() == 6
        assert not writes
        assert backend.distinct(layanan_source, "kecamatan") == ["Carita", "Labuan", "Menes"]

        # A file that changes every time it is read: an error, never a number
        def always(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
            rows = execute(self, query)
            with layanan.open("a", encoding="utf-8") as file:
                file.write("3601000000000008,x,Menes,2026-05-02\n")
            return rows

        monkeypatch.setattr(DuckDBBackend, "execute", always)
        with pytest.raises(
            DataError, match=r"layanan\.csv: the file changed each time it was read"
        ):
            count()
    finally:
        backend.close()


REGIONS = """
[[level]]
id = "kecamatan"
name = "Kecamatan"
""" + "".join(
    f'\n[[region]]\nlevel = "kecamatan"\nname = "{name}"\n'
    for name in ("Labuan", "Carita", "Menes")
)
"""The mini office's kecamatan declared: a name in the data written in another case or
spacing is counted as the declared one."""


@pytest.mark.parametrize("many", [False, True], ids=["evaluate", "evaluate_many"])
def test_a_file_changed_during_an_evaluation_is_checked_again_before_its_numbers_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    folder = office(tmp_path, nik="nik")
    toml = folder / "definitions.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + REGIONS, encoding="utf-8")
    layanan = folder / "layanan.csv"
    # Written while the services' statement runs, after the names were checked: a service
    # of 2026 to ...03, in Labuan written LABUAN.
    writes = [
        layanan.read_text(encoding="utf-8")
        + "3601000000000003,1.06.04.2.01.0003,LABUAN,2026-05-01\n"
    ]
    execute = DuckDBBackend.execute

    def writing(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
        rows = execute(self, query)
        if writes and '"iku source layanan"' in query.sql and '"m0_matched"' in query.sql:
            layanan.write_text(writes.pop(), encoding="utf-8")
        return rows

    monkeypatch.setattr(DuckDBBackend, "execute", writing)
    with Engine(folder, folder) as engine:
        if many:
            evaluation, _ = engine.evaluate_many(["2026", "2026-TW1"], by="kecamatan")
        else:
            evaluation = engine.evaluate("2026", by="kecamatan")
    assert not writes
    values = {r.region: r.value for r in evaluation.results if r.indicator.id == "iku-tertangani"}
    # The file as it became, checked again: Labuan's PMKS by the end of 2026 are ...01,
    # ...02 and ...03, all three served there in 2026 (LABUAN is Labuan): 3 of 3, 100%.
    # The whole area: ...01 to ...04 served of the five, 80%. (With the names checked on
    # the file as it was, LABUAN's row would count apart: Labuan 2 of 3.)
    assert values["Labuan"] == 100
    assert values[None] == 80


def test_a_file_that_changes_during_every_evaluation_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path, nik="nik")
    layanan = folder / "layanan.csv"
    good = layanan.read_text(encoding="utf-8")
    runs: list[str] = []
    execute = DuckDBBackend.execute

    def writing(self: DuckDBBackend, query: Any) -> list[tuple[Any, ...]]:
        rows = execute(self, query)
        if '"iku source layanan"' in query.sql and '"m0_matched"' in query.sql:
            runs.append(query.sql)
            if len(runs) % 2:  # every other run: each statement's run again reads it settled
                line = f"36010000000000{10 + len(runs)},1.06.04.2.01.0003,Labuan,2026-05-01\n"
                layanan.write_text(good + line, encoding="utf-8")
        return rows

    monkeypatch.setattr(DuckDBBackend, "execute", writing)
    with (
        Engine(folder, folder) as engine,
        pytest.raises(DataError, match=r"layanan\.csv: the file changed each time it was read"),
    ):
        engine.evaluate("2026")
    # two evaluations, each of 2025 (the year before, which an indicator compares with) and
    # 2026, each statement run again after the change it saw
    assert len(runs) == 8


def test_the_cli_reads_in_place_and_says_where_a_cell_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path, nik="nik")
    out = io.StringIO()
    assert main(["eval", str(folder), "--data", str(folder), "--period", "2026"], out=out) == 0
    assert "60" in next(line for line in out.getvalue().splitlines() if "iku-tertangani" in line)
    layanan = folder / "layanan.csv"
    layanan.write_text(
        layanan.read_text(encoding="utf-8").replace("3601000000000004", "3.601E+15"),
        encoding="utf-8",
    )
    assert main(["eval", str(folder), "--data", str(folder), "--period", "2026"]) == 1


def test_a_file_is_read_in_place_from_its_bound_and_copied_into_a_table_below_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shipped bound: the mini office's files are far smaller, so all are tables.
    monkeypatch.setattr(CsvRelations, "in_place_bytes", IN_PLACE_BYTES)
    folder = office(tmp_path)
    engine = Engine(folder, folder)
    assert engine.evaluate("2026").get("iku-tertangani").value == 60  # 3 of 5, as above
    in_views, in_tables = views(engine)
    assert not in_views
    assert internal_table(engine.sources["layanan"]) in in_tables
    engine.close()
    # A bound at the size of the services' file: that file is read in place, the rest not.
    size = (folder / engine.sources["layanan"].path).stat().st_size
    monkeypatch.setattr(CsvRelations, "in_place_bytes", size)
    engine = Engine(folder, folder)
    assert engine.evaluate("2026").get("iku-tertangani").value == 60
    in_views, in_tables = views(engine)
    assert internal_table(engine.sources["layanan"]) in in_views
    assert internal_table(engine.sources["layanan"]) not in in_tables
    engine.close()
