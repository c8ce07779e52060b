"""A row of totals at the bottom of a register kept without a date column (a staff list:
``No,nama,honor`` / ``1,Ani,5`` / ``2,Budi,6`` / ``,JUMLAH,11``) is refused at its row on every
backend and in every format: a cell titles it (``JUMLAH``, ``Total``, ``Sub Total :``) and
its numbers are the sums of the rows above it. Counted, it made honor 22 and 3 pegawai where
the register holds 11 and 2.

A row so titled whose numbers do not add up, or that stands below one row only, is read as a
row (it may be real); a realisasi table's cell ``Jumlah`` (a satuan) is read.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, STAFF, STAFF_COLUMNS, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.model import Source
from iku_rules.sources import csv_relations, sql_backend
from iku_rules.sources.cells import DataError
from iku_rules.sources.native_csv import typed_select
from iku_rules.sources.reader import read_rows
from iku_rules.sources.sql_cells import TOTALS_LABEL
from iku_rules.sources.totals_rows import LABELS, applies, by_numbers, is_label
from iku_rules.sources.validation_cache import ValidationCache

ROOT = Path(__file__).resolve().parent.parent

OFFICE = STAFF
COLUMNS = STAFF_COLUMNS


def staff(
    folder: Path, text: str, columns: str = COLUMNS, extra: str = "", name: str = "staf.csv"
) -> Path:
    """An office over the staff list ``text`` (CSV), kept as ``name``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "definitions.toml").write_text(
        OFFICE.format(format="csv", path=name, extra=extra, columns=columns), encoding="utf-8"
    )
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def evaluate(folder: Path, backend: str = "python", **options: object) -> tuple[str, str] | str:
    """Honor and pegawai in 2026, or the refusal in English."""
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend, **options) as engine:  # type: ignore[arg-type]
                evaluation = engine.evaluate("2026")
        except DataError as error:
            return str(error)
    honor, pegawai = evaluation.get("total-honor"), evaluation.get("jumlah-pegawai")
    return str(honor.value), str(pegawai.value)


def refusal(label: str, column: str, sums: str, count: int = 2, row: int = 4) -> str:
    return (
        f"staf.csv, row {row}: the row is titled '{label}' (column '{column}') and its numbers"
        f" ({sums}) are the sums of the {count} rows above it: it is a row of totals, not a row"
        " of the register, and its numbers would count twice; delete the row of totals (the"
        " engine sums the register itself)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("last", "label", "column"),
    [(",JUMLAH,11", "JUMLAH", "nama"), ("JUMLAH,,11", "JUMLAH", "No")],
    ids=["in-a-declared-column", "in-a-column-not-declared"],
)
def test_a_row_of_totals_is_refused_at_its_row_on_every_backend(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    last: str,
    label: str,
    column: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ani 5 + Budi 6 = 11: the last row repeats their sum. Counted, honor 22 and 3 pegawai
    # where the register holds 11 and 2.
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, f"No,nama,honor\n1,Ani,5\n2,Budi,6\n{last}\n")
    assert evaluate(folder, backend) == refusal(label, column, "honor 11")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_same_register_without_its_row_of_totals_reads(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 5 + 6 = 11 honor, 2 pegawai.
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, "No,nama,honor\n1,Ani,5\n2,Budi,6\n")
    assert evaluate(folder, backend) == ("11", "2")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize(
    "label",
    [
        "Total",
        "  jumlah  ",
        "Jml.",
        "JML:",
        "Sub Total :",
        "SUBTOTAL",
        "Grand  Total",
        "Total Keseluruhan",
        "Jumlah Total:",
        "jumlah keseluruhan",
        "\u00a0Jumlah\u2003",  # no-break and em spaces, as a spreadsheet keeps them
    ],
)
def test_every_title_of_a_row_of_totals_is_told(tmp_path: Path, backend: str, label: str) -> None:
    # Ani 5, Budi 6, Citra 1,5 (notation id) = 12,5: the last row is their total.
    folder = staff(tmp_path, f'No,nama,honor\n1,Ani,5\n2,Budi,6\n3,Citra,"1,5"\n,{label},"12,5"\n')
    assert evaluate(folder, backend) == refusal(label.strip(), "nama", "honor 12,5", 3, 5)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_subtotal_is_refused_at_its_row(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two groups with a subtotal each and a grand total: Ani 5 + Budi 6 = 11 (row 4), Citra
    # 3 + Dodi 4 = 7 (row 7), 18 in all (row 8). Counted: honor 54 where the staff earn 18.
    # The first subtotal is refused, at its row.
    read_in_place(monkeypatch, in_place)
    folder = staff(
        tmp_path,
        "No,nama,honor,jumlah\n1,Ani,5,1\n2,Budi,6,1\n,Sub Total,11,2\n3,Citra,3,1\n"
        "4,Dodi,4,1\n,Sub Total,7,2\n,Grand Total,18,4\n",
        columns='nama = "text", honor = "decimal", jumlah = "integer"',
    )
    assert evaluate(folder, backend) == refusal("Sub Total", "nama", "honor 11, jumlah 2")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # JUMLAH 12 is not 5 + 6: a row of its own, maybe real. 5 + 6 + 12 = 23, 3 pegawai.
        ("No,nama,honor\n1,Ani,5\n2,Budi,6\n,JUMLAH,12\n", ("23", "3")),
        # One row above: a total of one row and a second record of 5 cannot be told apart.
        # 5 + 5 = 10, 2 pegawai.
        ("No,nama,honor\n1,Ani,5\n,JUMLAH,5\n", ("10", "2")),
        # Citra is a person, not a title: 5 + 6 + 11 = 22, 3 pegawai.
        ("No,nama,honor\n1,Ani,5\n2,Budi,6\n3,Citra,11\n", ("22", "3")),
        # A title, but no number in the row, and a number in the list of its own (3, where a
        # row of totals would hold nothing or 2, the rows above it): read, 3 pegawai (and the
        # honor not available: a row leaves it empty). Without the 3 it is refused
        # (tests/test_audit_totals_dates.py).
        ("No,nama,honor\n1,Ani,5\n2,Budi,6\n3,Total,\n", ("None", "3")),
        # Written together, JUMLAHTOTAL is no title (DuckDB's look finds it, the reader
        # reads it): 5 + 6 + 11 = 22, 3 pegawai.
        ("No,nama,honor\n1,Ani,5\n2,Budi,6\n,JUMLAHTOTAL,11\n", ("22", "3")),
    ],
    ids=["does-not-add-up", "one-row-above", "a-person", "no-number", "not-a-title"],
)
def test_rows_that_are_not_rows_of_totals_are_read(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    text: str,
    expected: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    assert evaluate(staff(tmp_path, text), backend) == expected


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_register_with_a_region_column_refuses_its_row_of_totals_too(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The row of totals leaves the kecamatan empty (a row without a region counts for the
    # whole area) and is titled in nama: counted, honor 22 and 3 pegawai, not 11 and 2.
    read_in_place(monkeypatch, in_place)
    folder = staff(
        tmp_path,
        "No,nama,kecamatan,honor\n1,Ani,Labuan,5\n2,Budi,Carita,6\n,JUMLAH,,11\n",
        columns='nama = "text", kecamatan = "text", honor = "decimal"',
        extra='region_column = "kecamatan"\n',
    )
    assert evaluate(folder, backend) == refusal("JUMLAH", "nama", "honor 11")


REALISASI = (
    """
[office]
id = "real"
name = "Dinas Real"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "dilatih"
  name = "Orang yang dilatih"
  unit = "Orang"
  formula = "realisasi"

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", satuan = "text", nilai = "integer" }
"""
)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_jumlah_as_a_satuan_in_a_realisasi_table_is_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TW3's 7 is 3 + 4 and its satuan is "Jumlah": a realisasi, not a register, so every
    # row is read: 3 + 4 + 7 = 14 in 2026.
    read_in_place(monkeypatch, in_place)
    (tmp_path / "definitions.toml").write_text(REALISASI, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(
        "indikator,periode,satuan,nilai\ndilatih,2026-TW1,Orang,3\ndilatih,2026-TW2,Orang,4\n"
        "dilatih,2026-TW3,Jumlah,7\n",
        encoding="utf-8",
    )
    with Engine(tmp_path, tmp_path, backend=backend) as engine:
        assert engine.evaluate("2026").get("dilatih").value == Decimal("14")


def _workbook(folder: Path, rows: list[list[object]]) -> Path:
    (folder / "definitions.toml").write_text(
        OFFICE.format(format="xlsx", path="staf.xlsx", extra="", columns=COLUMNS),
        encoding="utf-8",
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "staf"
    sheet.append(["No", "nama", "honor"])
    for row in rows:
        sheet.append(row)
    workbook.save(folder / "staf.xlsx")
    return folder


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_workbook_row_of_totals_kept_as_values_is_refused(tmp_path: Path, backend: str) -> None:
    # Pasted as values, the JUMLAH row keeps no =SUM: 5 + 6 = 11 tells it. Counted, 22 and 3.
    folder = _workbook(tmp_path, [[1, "Ani", 5], [2, "Budi", 6.0], ["JUMLAH", None, 11]])
    assert evaluate(folder, backend) == refusal("JUMLAH", "No", "honor 11").replace(
        "staf.csv, row 4", "staf.xlsx, sheet 'staf', row 4"
    )


DATABASE = """
[[source]]
id = "staf"
kind = "register"
format = "{format}"
path = "staf.{format}"
columns = {{ nama = "text", honor = "decimal" }}
"""


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_a_database_table_row_of_totals_is_refused(tmp_path: Path, backend: str, kind: str) -> None:
    # The table holds Ani 5, Budi 6 and JUMLAH 11. DuckDB read a .duckdb table in place and
    # counted 22 and 3 pegawai; it now leaves the table to the reader, which refuses row 3.
    text = OFFICE.format(format=kind, path=f"staf.{kind}", extra="", columns=COLUMNS)
    (tmp_path / "definitions.toml").write_text(text, encoding="utf-8")
    path = tmp_path / f"staf.{kind}"
    connection: sqlite3.Connection | duckdb.DuckDBPyConnection
    connection = sqlite3.connect(path) if kind == "sqlite" else duckdb.connect(str(path))
    connection.execute("CREATE TABLE staf (no INTEGER, nama VARCHAR, honor DECIMAL(10, 2))")
    for row in ("1, 'Ani', 5", "2, 'Budi', 6", "NULL, 'JUMLAH', 11"):
        connection.execute(f"INSERT INTO staf VALUES ({row})")
    if kind == "sqlite":
        connection.commit()
    connection.close()
    found = evaluate(tmp_path, backend)
    assert isinstance(found, str)
    assert found.startswith(f"staf.{kind}, table 'staf', row 3: the row is titled 'JUMLAH'")


def test_a_duckdb_table_without_a_row_of_totals_is_still_read_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani 5, Budi 6, Citra 11: no title, read in place (the reader never reads it): 22.
    (tmp_path / "definitions.toml").write_text(
        OFFICE.format(format="duckdb", path="staf.duckdb", extra="", columns=COLUMNS),
        encoding="utf-8",
    )
    connection = duckdb.connect(str(tmp_path / "staf.duckdb"))
    connection.execute("CREATE TABLE staf (nama VARCHAR, honor DECIMAL(10, 2))")
    connection.execute("INSERT INTO staf VALUES ('Ani', 5), ('Budi', 6), ('Citra', 11)")
    connection.close()
    read: list[str] = []

    def reader(source: Source, *args: object, **kwargs: object) -> object:
        read.append(source.id)
        return read_rows(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sql_backend, "read_rows", reader)
    with Engine(tmp_path, tmp_path, backend="duckdb") as engine:
        assert engine.evaluate("2026").get("total-honor").value == Decimal("22")
    assert read == []
    connection = duckdb.connect(str(tmp_path / "staf.duckdb"))
    connection.execute("INSERT INTO staf VALUES ('Jumlah', 22)")  # 5 + 6 + 11
    connection.close()
    with pytest.raises(DataError):
        Engine(tmp_path, tmp_path, backend="duckdb").evaluate("2026")
    assert read == ["staf"]


def test_a_file_with_a_row_of_totals_is_never_kept_as_validated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A validated file is kept (the next engine skips its pass); Citra 11 becomes TOTAL 11,
    # same length, modification time set back: the bytes tell the change, and the row of
    # totals (5 + 6 = 11) is refused, every time, with nothing kept for it.
    cache = ValidationCache(tmp_path / "cache")
    cache.settle_ns = 0
    folder = staff(tmp_path / "office", "No,nama,honor\n1,Ani,5\n2,Budi,6\n3,Citra,11\n")
    assert evaluate(folder, "duckdb", validation_cache=cache) == ("22", "3")
    assert len(list((cache.folder / "validated").glob("*.json"))) == 1
    path = folder / "staf.csv"
    status = path.stat()
    path.write_text("No,nama,honor\n1,Ani,5\n2,Budi,6\n3,TOTAL,11\n", encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    for _ in range(2):
        assert evaluate(folder, "duckdb", validation_cache=cache) == refusal(
            "TOTAL", "nama", "honor 11"
        )
    other = staff(tmp_path / "other", "No,nama,honor\n1,Ani,5\n2,Budi,6\n,JUMLAH,11\n")
    passes: list[str] = []
    real = csv_relations.native_csv_open

    def counting(*args: object, **kwargs: object) -> object:
        passes.append("pass")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_relations, "native_csv_open", counting)
    for _ in range(2):
        assert evaluate(other, "duckdb", validation_cache=cache) == refusal(
            "JUMLAH", "nama", "honor 11"
        )
    assert passes == ["pass", "pass"]  # validated each time, never taken as kept
    assert len(list((cache.folder / "validated").glob("*.json"))) == 1


def test_registers_without_numbers_are_looked_at_in_rows_with_a_blank_cell(
    tmp_path: Path,
) -> None:
    # Every register is looked at; the benchmark's registers (the shipped Pandeglang
    # office's, none with a column of numbers) only in rows with a blank cell (none there).
    sources = load(ROOT / "definitions" / "dinsos-pandeglang").sources
    registers = [source for source in sources if source.kind == "register"]
    assert registers
    undated = load(staff(tmp_path / "staf", "No,nama,honor\n")).sources
    for source in [*registers, *undated]:
        path = tmp_path / f"{source.id}.csv"
        path.write_text(",".join(source.columns) + "\n", encoding="utf-8")
        built = typed_select(source, path)
        assert built is not None
        looked = TOTALS_LABEL in built.select.sql(dialect="duckdb")
        assert looked == applies(source)
        assert by_numbers(source) == (source.id == "staf")


WHITE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
"""Every character Python takes for white space."""


def test_duckdb_looks_for_every_title_the_reader_takes() -> None:
    # DuckDB's pattern must find every cell the reader takes for a title (else DuckDB would
    # count a row the reader refuses): every title, each white space around and between its
    # words, any case.
    cells = [
        f"{space}{label.replace(' ', space)}{space}:{space}" for label in LABELS for space in WHITE
    ]
    cells += [label.upper() for label in LABELS] + [label.title() for label in LABELS]
    assert all(is_label(cell) for cell in cells)
    connection = duckdb.connect()
    missed = connection.execute(
        "SELECT list(cell) FROM unnest($cells) AS t(cell)"
        " WHERE NOT regexp_full_match(cell, $pattern)",
        {"cells": cells, "pattern": TOTALS_LABEL},
    ).fetchone()
    assert missed is not None
    assert missed == (None,), [unicodedata.name(c[0], hex(ord(c[0]))) for c in missed[0]]
