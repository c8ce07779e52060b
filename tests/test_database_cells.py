"""A table of a SQLite or DuckDB file is read the way the source declares on every backend:
the DuckDB backend reads a DuckDB table in place only where its cast gives what the reader
reads, and a value whose date depends on the machine's time zone is refused.

The office is the small one of tests/fixtures/mini, its register of PMKS (or its inputs)
moved into a table of a database file. PMKS registered by the end of 2026 are the NIK ...01
to ...05, and the services of 2026 under sub kegiatan 0003 or 0001 went to ...01, ...02 and
...04: 3 of 5 tertangani, 60 %.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from helpers import edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import IN_PLACE_BYTES, CsvRelations

BACKENDS = [("python", False), ("sqlite", False), ("duckdb", False), ("duckdb", True)]
"""Each backend; DuckDB both with the CSV files copied into tables and read in place."""
IDS = ["python", "sqlite", "duckdb-table", "duckdb-in-place"]

REGISTER = [
    ("3601000000000001", "Labuan", "Anak Terlantar", "2025-03-01"),
    ("3601000000000002", "Labuan", "Fakir Miskin", "2025-05-01"),
    ("3601000000000003", "Labuan", "Fakir Miskin", "2026-02-01"),
    ("3601000000000004", "Carita", "Anak Terlantar", "2026-03-15"),
    ("3601000000000005", "Carita", "Penyandang Disabilitas", "2026-12-31"),
    ("3601000000000006", "Menes", "Fakir Miskin", "2027-01-02"),
]
"""The rows of tests/fixtures/mini/register_pmks.csv."""

TEXT_REGISTER = "nik VARCHAR, kecamatan VARCHAR, kategori VARCHAR, tanggal DATE"


def database(
    folder: Path, kind: str, source: str, columns: str, rows: list[tuple[object, ...]]
) -> None:
    """Move ``source`` of the office into a table of ``data.<kind>``, its columns created
    as ``columns`` (SQL) and holding ``rows``."""
    path = folder / f"data.{kind}"
    connection = sqlite3.connect(path) if kind == "sqlite" else duckdb.connect(str(path))
    connection.execute(f"CREATE TABLE {source} ({columns})")
    marks = ", ".join("?" for _ in rows[0])
    for row in rows:
        connection.execute(f"INSERT INTO {source} VALUES ({marks})", list(row))
    connection.commit()
    connection.close()
    edit(
        folder, f'format = "csv"\npath = "{source}.csv"', f'format = "{kind}"\npath = "data.{kind}"'
    )


def evaluate(
    folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> dict[str, tuple[Decimal | None, str | None]] | str:
    """Each indicator's value and reason code for 2026, or the refusal in English."""
    monkeypatch.setattr(CsvRelations, "in_place_bytes", 0 if in_place else IN_PLACE_BYTES)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                rows = engine.evaluate("2026").rows()
        except DataError as error:
            return str(error)
    return {row["id"]: (row["value"], row["reason_code"]) for row in rows}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_duckdb_register_reads_as_its_csv(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    database(folder, "duckdb", "register_pmks", TEXT_REGISTER, REGISTER)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, dict)
    assert found["iku-tertangani"] == (Decimal(60), None)  # 3 of 5


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_nik_with_a_space_after_it_is_the_same_person(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'3601000000000005 ' is ...05 again: 5 PMKS, 3 tertangani, 60 %. DuckDB read the
    table in place as written and counted 6 PMKS: 50 %."""
    folder = office(tmp_path)
    again = ("3601000000000005 ", "Carita", "Fakir Miskin", "2026-01-01")
    database(folder, "duckdb", "register_pmks", TEXT_REGISTER, [*REGISTER, again])
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, dict)
    assert found["iku-tertangani"] == (Decimal(60), None)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_an_empty_nik_is_a_row_without_its_nik(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A NIK '' is missing: the count of distinct PMKS is not available (missing-values).
    DuckDB read the table in place and counted '' as a sixth person: 3 of 6, 50 %."""
    folder = office(tmp_path)
    empty = ("", "Carita", "Fakir Miskin", "2026-01-01")
    database(folder, "duckdb", "register_pmks", TEXT_REGISTER, [*REGISTER, empty])
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, dict)
    assert found["iku-tertangani"] == (None, "missing-values")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_blank_kecamatan_is_missing(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kecamatan of spaces is no kecamatan: by kecamatan, Carita has ...04 and ...05
    registered in 2026 or before (the blank row ...07 counts for none), Labuan ...01 to
    ...03; 2 of 3 in Labuan tertangani (...01, ...02), 1 of 2 in Carita (...04)."""
    folder = office(tmp_path)
    blank = ("3601000000000007", "  ", "Fakir Miskin", "2026-01-01")
    database(folder, "duckdb", "register_pmks", TEXT_REGISTER, [*REGISTER, blank])
    monkeypatch.setattr(CsvRelations, "in_place_bytes", 0 if in_place else IN_PLACE_BYTES)
    with Engine(folder, folder, backend=backend) as engine:
        rows = engine.evaluate("2026", by="kecamatan").rows()
    values = {row["region"]: row["value"] for row in rows if row["id"] == "iku-tertangani"}
    assert values["Carita"] == Decimal(50)
    assert values["Labuan"] == Decimal("66.666666666666666666666666666666666666666666666667")
    assert "  " not in values


NUMBER_NIK = {
    "a NIK of 15 digits kept as BIGINT": (
        "nik BIGINT, kecamatan VARCHAR, kategori VARCHAR, tanggal DATE",
        (360100000000007, "Carita", "Fakir Miskin", "2026-01-01"),
        "'360100000000007' has 15 digits, but a NIK has 16: were leading zeros lost?",
    ),
    "a NIK kept as DOUBLE": (
        "nik DOUBLE, kecamatan VARCHAR, kategori VARCHAR, tanggal DATE",
        (3601000000000007.0, "Carita", "Fakir Miskin", "2026-01-01"),
        "the cell holds the number 3601000000000001, not a NIK as text",
    ),
    "a date written 2026/01/05": (
        "nik VARCHAR, kecamatan VARCHAR, kategori VARCHAR, tanggal VARCHAR",
        ("3601000000000007", "Carita", "Fakir Miskin", "2027/01/05"),
        "'2027/01/05' is not a date (write it as DD/MM/YYYY, day first)",
    ),
    "a moment with a time zone": (
        "nik VARCHAR, kecamatan VARCHAR, kategori VARCHAR, tanggal TIMESTAMPTZ",
        ("3601000000000007", "Carita", "Fakir Miskin", "2026-01-01 03:00:00+07"),
        "is a moment with a time zone",
    ),
}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
@pytest.mark.parametrize("case", NUMBER_NIK)
def test_a_cell_the_reader_refuses_is_refused_by_every_backend(
    case: str, backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB read these tables in place and counted the row: a NIK that lost a digit as a
    person, '2027/01/05' as 5 January 2027, the moment 2026-01-01 03:00 WIB as 31 December
    2025 on a machine in UTC (a PMKS of 2026 counted in 2025)."""
    columns, row, message = NUMBER_NIK[case]
    folder = office(tmp_path)
    rows = [*REGISTER, row]
    if columns.endswith("TIMESTAMPTZ"):
        rows = [(*cells[:3], f"{cells[3]} 12:00:00+07") for cells in REGISTER] + [row]
    database(folder, "duckdb", "register_pmks", columns, rows)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("data.duckdb, table 'register_pmks', row ")
    assert "column '" in found
    assert message in found


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_day_first_date_in_a_duckdb_table_is_read(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'05/01/2026' is 5 January 2026, as in a CSV file: ...07 registered in 2026, 3 of 6
    tertangani, 50 % (DuckDB stopped on it: not YYYY-MM-DD)."""
    folder = office(tmp_path)
    row = ("3601000000000007", "Carita", "Fakir Miskin", "05/01/2026")
    columns = "nik VARCHAR, kecamatan VARCHAR, kategori VARCHAR, tanggal VARCHAR"
    database(folder, "duckdb", "register_pmks", columns, [*REGISTER, row])
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, dict)
    assert found["iku-tertangani"] == (Decimal(50), None)


INPUTS = {
    "a year of 2026.4": (
        "nama VARCHAR, tahun DOUBLE, nilai DOUBLE",
        [("Nilai AKIP", 2026.4, 76.05), ("Nilai AKIP", 2025, 75.6)],
        "data.duckdb, table 'inputs', row 1, column 'tahun': 2026.4 is not a whole number",
    ),
    "a number read two ways": (
        "nama VARCHAR, tahun INTEGER, nilai VARCHAR",
        [("Nilai AKIP", 2026, "76.050"), ("Nilai AKIP", 2025, "75.6")],
        "data.duckdb, table 'inputs', row 1, column 'nilai': '76.050' is read two ways",
    ),
}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
@pytest.mark.parametrize("case", INPUTS)
def test_an_input_the_reader_refuses_is_refused_by_every_backend(
    case: str, backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB cast 2026.4 to the year 2026 and '76.050' to 76.05 (the skor, 0.5 × 76.05
    + 60 / 100 = 38.625, from a value the reader cannot tell from 76050)."""
    columns, rows, message = INPUTS[case]
    folder = office(tmp_path)
    database(folder, "duckdb", "inputs", columns, rows)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith(message)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_an_input_written_with_a_decimal_comma_is_read(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'76,05' is 76.05, as in a CSV file: skor = 0.5 × 76.05 + 60 / 100 = 38.625 (DuckDB
    stopped on it: not a number it could cast)."""
    folder = office(tmp_path)
    rows = [("Nilai AKIP", 2026, "76,05"), ("Nilai AKIP", 2025, "75,6")]
    database(folder, "duckdb", "inputs", "nama VARCHAR, tahun INTEGER, nilai VARCHAR", rows)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, dict)
    assert found["skor"] == (Decimal("38.625"), None)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_moment_with_a_time_zone_in_sqlite_is_refused(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DuckDB TIMESTAMPTZ copied into SQLite as text keeps its zone and is read as
    written ('2026-01-01 03:00:00+07:00' is not a date the reader knows): refused."""
    folder = office(tmp_path)
    row = ("3601000000000007", "Carita", "Fakir Miskin", "2026-01-01 03:00:00+07:00")
    database(
        folder,
        "sqlite",
        "register_pmks",
        "nik TEXT, kecamatan TEXT, kategori TEXT, tanggal TEXT",
        [*REGISTER, row],
    )
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("data.sqlite, table 'register_pmks', row 7, column 'tanggal'")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_number_of_20_digits_kept_as_real_is_refused(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite keeps '12345678901234567890', written into an INTEGER column, as the REAL
    1.2345678901234567e+19: every backend read the Nilai AKIP of 2026 as
    12345678901234567168, digits the office never wrote."""
    folder = office(tmp_path)
    rows = [("Nilai AKIP", 2026, "12345678901234567890"), ("Nilai AKIP", 2025, "75,6")]
    database(folder, "sqlite", "inputs", "nama TEXT, tahun INTEGER, nilai INTEGER", rows)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith(
        "data.sqlite, table 'inputs', row 1, column 'nilai': the cell holds"
        " 12345678901234567000 as a floating point number"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_two_niks_kept_as_real_in_a_text_column_are_refused(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A NIK column declared text and kept as REAL: 9171234567890123 and 9171234567890124
    are one float, so every backend counted one person for two (5 PMKS in 2026 where the
    register has 6: 3 of 5, 60 %, for 3 of 6, 50 %)."""
    folder = office(tmp_path)
    edit(
        folder,
        'columns = { nik = "nik", kecamatan = "text", kategori',
        'columns = { nik = "text", kecamatan = "text", kategori',
    )
    rows: list[tuple[object, ...]] = [(float(nik), *rest) for nik, *rest in REGISTER[:4]]
    rows += [
        (9171234567890123.0, "Carita", "Fakir Miskin", "2026-01-01"),
        (9171234567890124.0, "Carita", "Fakir Miskin", "2026-01-01"),
    ]
    columns = "nik REAL, kecamatan TEXT, kategori TEXT, tanggal TEXT"
    database(folder, "sqlite", "register_pmks", columns, rows)
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("data.sqlite, table 'register_pmks', row 1, column 'nik': ")
    assert "as a floating point number" in found


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=IDS)
def test_a_code_kept_as_a_number_in_a_text_column_is_refused(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SQLite column of NUMERIC affinity keeps the code '2.10' as the number 2.1: the
    filter kategori = "2.10" then passed no row, anak-share 0 where ...01 and ...04 of the
    five registered by 2026 hold it: 40 %."""
    folder = office(tmp_path)
    edit(folder, 'register_pmks[kategori = "Anak Terlantar"]', 'register_pmks[kategori = "2.10"]')
    rows = [
        (nik, kecamatan, "2.10" if kategori == "Anak Terlantar" else "3", tanggal)
        for nik, kecamatan, kategori, tanggal in REGISTER
    ]
    database(
        folder,
        "sqlite",
        "register_pmks",
        "nik TEXT, kecamatan TEXT, kategori NUMERIC, tanggal TEXT",
        rows,
    )
    found = evaluate(folder, backend, in_place, monkeypatch)
    assert found == (
        "data.sqlite, table 'register_pmks', row 1, column 'kategori': the cell"
        " holds the number 2.1, not text: a column of numbers (REAL, DOUBLE, NUMERIC) drops the"
        " zeros at the end of what was written, so two codes like 2.1 and 2.10 become one; keep"
        " the column as TEXT"
    )
