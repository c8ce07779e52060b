"""A budget or realisasi sheet exported from SIPD / DPA nests its rows by code: a program row
(``1.06.02``), its kegiatan rows (``1.06.02.2.01``) and their sub kegiatan rows
(``1.06.02.2.01.0001``), each parent holding the sums of the rows under it, with no title
such as JUMLAH. Summed, the parents counted their children again in silence (realisasi
720.000.000 where the sub kegiatan spent 240.000.000). The first such parent is refused at
its row on every backend and in every format; codes that nest under a parent whose numbers
do not add up (a program's own budget line) are read.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place
from sqlglot import exp

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError
from iku_rules.sources.nested_codes import CODE
from iku_rules.sources.sql_cells import code_depth

OFFICE = (
    """
[office]
id = "dinsos"
name = "Dinas Sosial"
plan_start = 2025
plan_end = 2027
units = ["Rupiah", "Kegiatan"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-realisasi"
  name = "Total realisasi"
  unit = "Rupiah"
  formula = "Σ [Realisasi Anggaran]"

  [[sasaran.indikator]]
  id = "jumlah-baris"
  name = "Jumlah baris"
  unit = "Kegiatan"
  formula = "Σ [Baris Anggaran]"

[[source]]
id = "anggaran"
kind = "register"
format = "{format}"
path = "anggaran.{format}"
table = "DPA"
{extra}columns = {{ {columns} }}

[[measure]]
name = "Realisasi Anggaran"
source = "anggaran"
aggregate = "sum"
column = "realisasi"

[[measure]]
name = "Baris Anggaran"
source = "anggaran"
aggregate = "count"
"""
)

WHITE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
"""Every character Python takes for white space."""

COLUMNS = 'uraian = "text", pagu = "decimal", realisasi = "decimal"'

SHEET = (
    "kode;uraian;pagu;realisasi\n"
    "1.06.02;Program Rehabilitasi Sosial;300.000.000;240.000.000\n"
    "1.06.02.2.01;Rehabilitasi Sosial Dasar;300.000.000;240.000.000\n"
    "1.06.02.2.01.0001;Penyediaan Permakanan;200.000.000;180.000.000\n"
    "1.06.02.2.01.0002;Penyediaan Sandang;100.000.000;60.000.000\n"
)
"""The brief's sheet: the sub kegiatan spent 180.000.000 + 60.000.000 = 240.000.000; the
kegiatan row and the program row each repeat that sum (and pagu's 300.000.000)."""

LEAVES = (
    "kode;uraian;pagu;realisasi\n"
    "1.06.02.2.01.0001;Penyediaan Permakanan;200.000.000;180.000.000\n"
    "1.06.02.2.01.0002;Penyediaan Sandang;100.000.000;60.000.000\n"
)


def _office(folder: Path, format: str, columns: str, extra: str = "") -> Path:
    (folder / "definitions.toml").write_text(
        OFFICE.format(format=format, columns=columns, extra=extra), encoding="utf-8"
    )
    return folder


def csv_office(folder: Path, text: str, columns: str = COLUMNS, extra: str = "") -> Path:
    (folder / "anggaran.csv").write_text(text, encoding="utf-8")
    return _office(folder, "csv", columns, extra)


def evaluate(folder: Path, backend: str = "python") -> tuple[str, str] | str:
    """Realisasi and rows counted in 2026, or the refusal in English."""
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                evaluation = engine.evaluate("2026")
        except DataError as error:
            return str(error)
    return str(evaluation.get("total-realisasi").value), str(evaluation.get("jumlah-baris").value)


def refusal(
    where: str,
    sums: str,
    row: int = 2,
    code: str = "1.06.02",
    rows: str = "rows 4 and 5",
    count: int = 2,
) -> str:
    return (
        f"{where}, row {row}: the row is coded '{code}' (column 'kode') and its numbers ({sums})"
        f" are the sums of the rows coded under it with no rows under them ({rows}): it"
        " is the row of a program or kegiatan over its sub kegiatan, not a row of its own, and"
        " its numbers would count twice; delete the rows of the programs and kegiatan and keep"
        " the sub kegiatan rows (or export the sheet at the sub kegiatan level only)"
    )


PLAIN = (
    "kode;uraian;pagu;realisasi\n"
    "1.06.02;Program Rehabilitasi Sosial;300000000;240000000\n"
    "1.06.02.2.01;Rehabilitasi Sosial Dasar;300000000;240000000\n"
    "1.06.02.2.01.0001;Penyediaan Permakanan;200000000;180000000\n"
    "1.06.02.2.01.0002;Penyediaan Sandang;100000000;60000000\n"
)
"""The sheet with its numbers written without thousands separators (300000000): DuckDB
types every cell of it in SQL, without the reader."""


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("sheet", "sums"),
    [
        (SHEET, "pagu 300.000.000, realisasi 240.000.000"),
        (PLAIN, ""),
    ],
    ids=["grouped", "plain"],
)
def test_a_program_row_over_its_sub_kegiatan_is_refused_on_every_backend(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    sheet: str,
    sums: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The sub kegiatan spent 180.000.000 + 60.000.000 = 240.000.000 of 300.000.000, in 2
    # rows. Summed with the program row (row 2) and the kegiatan row (row 3), each
    # repeating those sums: realisasi 720.000.000 and 4 rows. Row 2 is refused, its
    # numbers the sums of rows 4 and 5 (the rows with no rows under them).
    read_in_place(monkeypatch, in_place)
    sums = sums or "pagu 300000000, realisasi 240000000"
    assert evaluate(csv_office(tmp_path, sheet), backend) == refusal("anggaran.csv", sums)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_sub_kegiatan_rows_alone_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 180.000.000 + 60.000.000 = 240.000.000, in 2 rows.
    read_in_place(monkeypatch, in_place)
    assert evaluate(csv_office(tmp_path, LEAVES), backend) == ("240000000", "2")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_program_with_a_budget_line_of_its_own_is_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The program's own line (10.000.000 spent) is not the sum of its sub kegiatan
    # (240.000.000): a row like any other. 10.000.000 + 180.000.000 + 60.000.000 =
    # 250.000.000, in 3 rows.
    read_in_place(monkeypatch, in_place)
    sheet = LEAVES.replace(
        "realisasi\n", "realisasi\n1.06.02;Belanja Program;20.000.000;10.000.000\n", 1
    )
    assert evaluate(csv_office(tmp_path, sheet), backend) == ("250000000", "3")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_program_row_summing_its_kegiatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kegiatan 1.06.02.2.01 has a line of its own (200 spent, its sub kegiatan 150 + 40 =
    # 190): it is read. The program (row 2) holds 200 + 100 = 300, the sums of its two
    # kegiatan (rows 3 and 6), not of the rows with none under them (150 + 40 + 100 =
    # 290). Counted, 300 + 200 + 150 + 40 + 100 = 790 where the kegiatan spent 490.
    read_in_place(monkeypatch, in_place)
    sheet = (
        "kode;uraian;pagu;realisasi\n"
        "1.06.02;Program;400;300\n"
        "1.06.02.2.01;Kegiatan A;250;200\n"
        "1.06.02.2.01.0001;Sub A1;150;150\n"
        "1.06.02.2.01.0002;Sub A2;50;40\n"
        "1.06.02.2.02;Kegiatan B;150;100\n"
    )
    assert evaluate(csv_office(tmp_path, sheet), backend) == (
        "anggaran.csv, row 2: the row is coded '1.06.02' (column 'kode') and its numbers"
        " (pagu 400, realisasi 300) are the sums of the rows coded right under it (rows 3"
        " and 6): it is the row of a program or kegiatan over its kegiatan or sub kegiatan,"
        " not a row of its own, and its numbers would count twice; delete the rows of the"
        " programs and kegiatan and keep the sub kegiatan rows (or export the sheet at the"
        " sub kegiatan level only)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_sheet_of_each_triwulan_below_the_other_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each triwulan's sheet under the last, the program row repeated: in TW1 it holds 180
    # + 60 = 240, in TW2 50 + 50 = 100. Over both triwulan its rows hold 340, and its sub
    # kegiatan 340 too, but its first row (240) is the sum of its own triwulan's only.
    # Counted in 2026: 240 + 180 + 60 + 100 + 50 + 50 = 680 where 340 was spent.
    read_in_place(monkeypatch, in_place)
    sheet = (
        "kode;uraian;tanggal;realisasi\n"
        "1.06.02;Program;2026-03-31;240\n"
        "1.06.02.2.01.0001;Permakanan;2026-03-31;180\n"
        "1.06.02.2.01.0002;Sandang;2026-03-31;60\n"
        "1.06.02;Program;2026-06-30;100\n"
        "1.06.02.2.01.0001;Permakanan;2026-06-30;50\n"
        "1.06.02.2.01.0002;Sandang;2026-06-30;50\n"
    )
    columns = 'uraian = "text", tanggal = "date", realisasi = "decimal"'
    extra = 'date_column = "tanggal"\ntime = "flow"\n'
    folder = csv_office(tmp_path, sheet, columns, extra)
    assert evaluate(folder, backend) == refusal(
        "anggaran.csv", "realisasi 240", rows="rows 3 and 4"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_program_row_dated_apart_from_its_sub_kegiatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The program row dated at the year's end, its sub kegiatan at their own dates: 180 +
    # 60 = 240, which the program row repeats. Counted in 2026: 480 where 240 was spent.
    read_in_place(monkeypatch, in_place)
    sheet = (
        "kode;uraian;tanggal;realisasi\n"
        "1.06.02;Program;2026-12-31;240\n"
        "1.06.02.2.01.0001;Permakanan;2026-03-31;180\n"
        "1.06.02.2.01.0002;Sandang;2026-06-30;60\n"
    )
    columns = 'uraian = "text", tanggal = "date", realisasi = "decimal"'
    extra = 'date_column = "tanggal"\ntime = "flow"\n'
    folder = csv_office(tmp_path, sheet, columns, extra)
    assert evaluate(folder, backend) == refusal(
        "anggaran.csv", "realisasi 240", rows="rows 3 and 4"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_program_of_one_kegiatan_of_one_sub_kegiatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three rows alike: the sub kegiatan spent 80 of 100; counted, 240 and 3 rows.
    read_in_place(monkeypatch, in_place)
    sheet = (
        "kode;uraian;pagu;realisasi\n"
        "1.06.02;Program;100;80\n"
        "1.06.02.2.01;Kegiatan;100;80\n"
        "1.06.02.2.01.0001;Sub kegiatan;100;80\n"
    )
    assert evaluate(csv_office(tmp_path, sheet), backend) == refusal(
        "anggaran.csv", "pagu 100, realisasi 80", rows="row 4"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_program_over_many_rows_names_the_first(tmp_path: Path, backend: str) -> None:
    # Seven sub kegiatan of 10 each: 70, which the program row repeats (140 counted).
    lines = "".join(f"1.06.02.2.01.000{n};Sub {n};10;10\n" for n in range(1, 8))
    sheet = "kode;uraian;pagu;realisasi\n1.06.02;Program;70;70\n" + lines
    assert evaluate(csv_office(tmp_path, sheet), backend) == refusal(
        "anggaran.csv", "pagu 70, realisasi 70", rows="rows 3, 4, 5, 6, 7, 8 and 1 more"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_log_coded_at_two_depths_holding_one_number_alike_is_read(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A log of services, one coded by its kegiatan, two by a sub kegiatan under it, each of
    # 1: on 1 February the kegiatan's row and one sub kegiatan's hold 1 alike, by chance (a
    # row over one row in a day is not told); over the year the kegiatan's 1 is not their 2.
    # 1 + 1 + 1 = 3, in 3 rows.
    read_in_place(monkeypatch, in_place)
    sheet = (
        "kode;uraian;tanggal;realisasi\n"
        "1.06.02.2.01;Layanan A;2026-02-01;1\n"
        "1.06.02.2.01.0001;Layanan B;2026-02-01;1\n"
        "1.06.02.2.01.0001;Layanan C;2026-03-01;1\n"
    )
    columns = 'uraian = "text", tanggal = "date", realisasi = "decimal"'
    extra = 'date_column = "tanggal"\ntime = "flow"\n'
    folder = csv_office(tmp_path, sheet, columns, extra)
    assert evaluate(folder, backend) == ("3", "3")


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_workbook_of_nested_codes_is_refused(tmp_path: Path, backend: str) -> None:
    # The brief's sheet kept in Excel, its numbers as numbers: 720.000.000 for 240.000.000.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "DPA"
    sheet.append(["kode", "uraian", "pagu", "realisasi"])
    for line in SHEET.splitlines()[1:]:
        kode, uraian, pagu, realisasi = line.split(";")
        sheet.append([kode, uraian, int(pagu.replace(".", "")), int(realisasi.replace(".", ""))])
    workbook.save(tmp_path / "anggaran.xlsx")
    folder = _office(tmp_path, "xlsx", COLUMNS)
    assert evaluate(folder, backend) == refusal(
        "anggaran.xlsx, sheet 'DPA'", "pagu 300000000, realisasi 240000000"
    )


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_sqlite_table_of_nested_codes_is_refused(tmp_path: Path, backend: str) -> None:
    # The same rows in a SQLite table, its code declared (a database's columns not declared
    # are not read): row 1 (the program) sums rows 3 and 4.
    connection = sqlite3.connect(tmp_path / "anggaran.sqlite")
    connection.execute("CREATE TABLE DPA (kode TEXT, uraian TEXT, pagu INTEGER, realisasi INTEGER)")
    for line in SHEET.splitlines()[1:]:
        kode, uraian, pagu, realisasi = line.split(";")
        connection.execute(
            "INSERT INTO DPA VALUES (?, ?, ?, ?)",
            (kode, uraian, int(pagu.replace(".", "")), int(realisasi.replace(".", ""))),
        )
    connection.commit()
    connection.close()
    folder = _office(tmp_path, "sqlite", 'kode = "text", ' + COLUMNS)
    assert evaluate(folder, backend) == refusal(
        "anggaran.sqlite, table 'DPA'",
        "pagu 300000000, realisasi 240000000",
        row=1,
        rows="rows 3 and 4",
    )


def test_duckdb_finds_every_code_the_reader_takes() -> None:
    # DuckDB sends a register to the reader only where a column holds codes of two depths:
    # it must see as a code every cell the reader takes for one (else it would count a
    # parent row the reader refuses), and give its depth, the number of its dots.
    cells = ["1.06", " 1.06.02 ", "1.06.02.2.01.0001", "X.XX.01", "x.xx.01.2.01", "\u00a01.06\t"]
    cells += [f"{space}1.06.02{space}" for space in WHITE]
    assert all(CODE.fullmatch(cell) for cell in cells)
    not_codes = ["1", "1.06.", ".1.06", "1..06", "1.06 Program", "Program 1.06", "1,06", "١.٠٦"]
    assert not any(CODE.fullmatch(cell) for cell in not_codes)
    depth = code_depth(exp.column("cell")).sql(dialect="duckdb")
    connection = duckdb.connect()
    found = connection.execute(
        f"SELECT list({depth} ORDER BY i) FROM unnest($cells) WITH ORDINALITY AS t(cell, i)",
        {"cells": cells + not_codes},
    ).fetchone()
    assert found is not None
    expected = [cell.count(".") for cell in cells] + [None] * len(not_codes)
    assert found[0] == expected


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_duckdb_table_of_nested_codes_is_refused(tmp_path: Path, backend: str) -> None:
    # The same rows in a .duckdb table, which DuckDB reads in SQL: row 1 sums rows 3 and 4
    # (720.000.000 counted for 240.000.000).
    connection = duckdb.connect(str(tmp_path / "anggaran.duckdb"))
    connection.execute(
        "CREATE TABLE DPA (kode VARCHAR, uraian VARCHAR, pagu BIGINT, realisasi BIGINT)"
    )
    for line in SHEET.splitlines()[1:]:
        kode, uraian, pagu, realisasi = line.split(";")
        connection.execute(
            "INSERT INTO DPA VALUES (?, ?, ?, ?)",
            (kode, uraian, int(pagu.replace(".", "")), int(realisasi.replace(".", ""))),
        )
    connection.close()
    folder = _office(tmp_path, "duckdb", 'kode = "text", ' + COLUMNS)
    assert evaluate(folder, backend) == refusal(
        "anggaran.duckdb, table 'DPA'",
        "pagu 300000000, realisasi 240000000",
        row=1,
        rows="rows 3 and 4",
    )
