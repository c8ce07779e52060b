"""Several groupings in one statement: where the engine has ``GROUPING SETS`` (DuckDB,
PostgreSQL, Spark), a source is read once for the whole area and every kecamatan, and each
row's grouping is read back from ``GROUPING()``; SQLite keeps one statement per grouping.
Every form gives the pure-Python backend's tallies, with region names written in another
case or spacing grouped under their declared spelling (a ``CASE`` in the sets), for one
period and for several, and the whole area answers zeros where no row is of the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from servers import Postgres, load_csv_tables
from test_backends_servers import create_database
from test_two_level import DATED, PERIODS, SEVERAL_COLUMNS, SOURCE, SPECS, _tallies

from iku_rules.measures import MeasureSpec, Tally
from iku_rules.periods import Period
from iku_rules.sources.base import Backend
from iku_rules.sources.connect import SparkTarget
from iku_rules.sources.csv_file import write_csv
from iku_rules.sources.python_engine import PythonBackend
from iku_rules.sources.sql_backend import DuckDBBackend
from iku_rules.sources.sqlite_backend import SQLiteBackend

GROUPINGS = [(), ("kecamatan",)]
RENAMED = {"kecamatan": {"LABUAN": "Labuan", "labuan": "Labuan"}}
"""As :func:`iku_rules.datanames.check_names` finds them: spellings of a declared name."""


def _row(nik: str | None, kecamatan: str | None, kategori: str, day: date) -> dict[str, Any]:
    return {
        "nik": nik,
        "kecamatan": kecamatan,
        "kategori": kategori,
        "jumlah": Decimal(nik or 0) / 2,
        "tanggal": day,
    }


ROWS = [
    _row("1", "Labuan", "Fakir", date(2026, 1, 5)),
    _row("1", "LABUAN", "Fakir", date(2026, 2, 5)),  # the same person, the same kecamatan
    _row("2", "labuan", "Anak", date(2026, 4, 1)),
    _row("2", "Menes", "Anak", date(2026, 5, 5)),  # one person in two kecamatan
    _row("3", "Menes", "Lansia", date(2025, 12, 31)),
    _row(None, "Menes", "Fakir", date(2026, 3, 31)),
    _row("4", None, "Fakir", date(2026, 7, 1)),  # no kecamatan: the whole area only
    _row("5", "Cikeusik", "Anak", date(2027, 1, 2)),  # after every period
]
CASES = [DATED, SPECS, SEVERAL_COLUMNS]
"""The statements' three forms: parts by first date, two levels, one level."""


def _answers(backend: Backend, specs: tuple[MeasureSpec, ...]) -> list[Any]:
    backend.renamed[SOURCE.id] = RENAMED
    one_by_one = [
        _tallies(backend.measures(SOURCE, specs, period, GROUPINGS).groups) for period in PERIODS
    ]
    at_once = [_tallies(a.groups) for a in backend.measures_many(SOURCE, specs, PERIODS, GROUPINGS)]
    return [one_by_one, at_once]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("grouping-sets")
    write_csv(folder / SOURCE.path, list(SOURCE.columns), ROWS)
    return folder


@pytest.fixture(scope="module")
def expected(data: Path) -> dict[int, list[Any]]:
    backend = PythonBackend([SOURCE], data)
    found = {}
    for number, specs in enumerate(CASES):
        one_by_one, at_once = _answers(backend, specs)
        assert one_by_one == at_once
        found[number] = one_by_one
    # TW1, the whole area: NIK 1 (twice), NIK 3 (2025) and the row without a NIK are on the
    # register by 31 March: 4 rows, 2 people; Labuan (three spellings): NIK 1 only
    tw1 = found[0][0]
    assert tw1[(0, ())]["people"] == Tally(4, 4, 3, Decimal(2))
    assert tw1[(1, ("Labuan",))]["people"] == Tally(2, 2, 2, Decimal(1))
    # the year: NIK 2 counts once for the whole area, once in Labuan and once in Menes
    year = found[0][-1]
    assert year[(0, ())]["people"].value == Decimal(4)  # NIK 1, 2, 3, 4
    assert year[(1, ("Labuan",))]["people"].value == Decimal(2)  # NIK 1, 2
    assert year[(1, ("Menes",))]["people"].value == Decimal(2)  # NIK 2, 3
    return found


def _check(backend: Backend, expected: dict[int, list[Any]]) -> list[str]:
    try:
        for number, specs in enumerate(CASES):
            one_by_one, at_once = _answers(backend, specs)
            assert one_by_one == expected[number], (backend.name, number)
            assert at_once == expected[number], (backend.name, number)
        return [query.sql for query in getattr(backend, "queries", [])]
    finally:
        backend.close()


def _reads(statements: list[str]) -> list[int]:
    """How many times each measures statement reads the source's table."""
    table = '"iku source daftar"'
    return [sql.count(table) for sql in statements if '"m0_matched"' in sql]


def test_duckdb_reads_the_source_once_for_every_grouping_where_sqlite_reads_it_per_grouping(
    data: Path, expected: dict[int, list[Any]]
) -> None:
    duckdb = _check(DuckDBBackend([SOURCE], data), expected)
    sqlite = _check(SQLiteBackend([SOURCE], data), expected)
    assert all("GROUPING SETS" in sql for sql in duckdb if '"m0_matched"' in sql)
    assert not any("GROUPING" in sql for sql in sqlite)
    # the same statements: each reads the table once per part (three by first date, one
    # else; and once more per latest record) in DuckDB, and that once per grouping (two) in
    # SQLite
    assert [2 * reads for reads in _reads(duckdb)] == _reads(sqlite)
    assert 1 in _reads(duckdb) and 3 in _reads(duckdb)


def test_postgresql_gives_the_same_tallies(
    postgres: Postgres, data: Path, expected: dict[int, list[Any]], monkeypatch: Any
) -> None:
    from servers import PASSWORD

    from iku_rules.sources.postgres import Database, PostgresBackend

    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "grouping_sets")
    load_csv_tables(postgres, SimpleNamespace(sources=[SOURCE]), data, "public", "grouping_sets")
    statements = _check(PostgresBackend([SOURCE], data, target=Database(url)), expected)
    assert any("GROUPING SETS" in sql for sql in statements)


def test_spark_gives_the_same_tallies(
    spark: Any, data: Path, expected: dict[int, list[Any]]
) -> None:
    from iku_rules.sources.spark import SparkBackend

    backend = SparkBackend([SOURCE], data, target=SparkTarget(master="local[2]"))
    statements = _check(backend, expected)
    assert any("GROUPING SETS" in sql for sql in statements)


def test_the_whole_area_answers_zeros_without_rows_in_the_period(data: Path) -> None:
    """No row is of 2024 (the first is of 31 December 2025): the whole area still has a
    tally for each spec, of no rows, by one period and by several; no kecamatan has one."""
    backend = DuckDBBackend([SOURCE], data)
    try:
        periods = [Period.parse("2024-TW1"), Period.parse("2024")]
        for specs in CASES:
            alone = [backend.measures(SOURCE, specs, p, GROUPINGS).groups for p in periods]
            many = [a.groups for a in backend.measures_many(SOURCE, specs, periods, GROUPINGS)]
            for groups in (*alone, *many):
                assert list(groups) == [(0, ())]
                for spec in specs:
                    valued = spec.aggregate in ("sum", "avg", "min", "max") and spec.column
                    assert groups[(0, ())][spec.key] == Tally(
                        0, 0, 0, None if valued else Decimal(0)
                    )
    finally:
        backend.close()
