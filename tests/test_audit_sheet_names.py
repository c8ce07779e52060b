"""A sheet (or a table of an SQLite or DuckDB database) whose name differs from the one
declared only by what a list of names does not show (a space at its start or end, case) is
refused saying what tells them apart, quoting both names, and the fix: rename the sheet, or
declare its name as written. Every case reads the realisasi through ``iku eval`` as a
planner runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from helpers import CASCADE, run

DEFINITIONS = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  formula = "realisasi"
  targets = { 2026 = 100 }

[[source]]
id = "realisasi"
kind = "realisasi"
format = "xlsx"
path = "realisasi.xlsx"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""
)


def _eval(tmp_path: Path, *sheets: str, table: str | None = None) -> tuple[int, str]:
    """``iku eval`` of the office whose workbook holds ``sheets``, the realisasi in the
    first, its source's ``table`` declared when given: its status and what it wrote."""
    definitions = DEFINITIONS
    if table is not None:
        definitions = definitions.replace(
            'kind = "realisasi"\n', f'kind = "realisasi"\ntable = "{table}"\n'
        )
    (tmp_path / "definitions.toml").write_text(definitions, encoding="utf-8")
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = sheets[0]
    first.append(["indikator", "periode", "nilai"])
    for quarter, value in ((1, 20), (2, 30), (3, 35), (4, 5)):
        first.append(["dilayani", f"2026-TW{quarter}", value])
    for name in sheets[1:]:
        workbook.create_sheet(name)
    workbook.save(tmp_path / "realisasi.xlsx")
    return run("--lang", "en", "eval", str(tmp_path), "--data", str(tmp_path),
               "--period", "2026", "--today", "2027-01-15")  # fmt: skip


def test_a_sheet_with_a_space_at_its_end_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _eval(tmp_path, "realisasi ", "Catatan")
    output = capsys.readouterr().err
    assert status != 0
    assert (
        "realisasi.xlsx: the workbook has no sheet 'realisasi' but a sheet 'realisasi ' that"
        " differs from it only by what cannot be seen in a name: 'realisasi ' has a space at"
        " its end; rename the sheet 'realisasi', or declare the sheet's name as written,"
        " table = \"realisasi \", on source 'realisasi'"
    ) in output
    assert "its sheets are" not in output


def test_a_declared_name_with_spaces_and_another_case_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _eval(tmp_path, "Realisasi", table="realisasi  ")
    output = capsys.readouterr().err
    assert status != 0
    assert (
        "the workbook has no sheet 'realisasi  ' but a sheet 'Realisasi' that differs from it"
        " only by what cannot be seen in a name: 'realisasi  ' has 2 spaces at its end;"
        " 'Realisasi' and 'realisasi  ' differ in case;"
    ) in output


def test_two_sheets_alike_but_for_spaces_are_both_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _eval(tmp_path, "realisasi ", " Realisasi")
    output = capsys.readouterr().err
    assert status != 0
    assert (
        "the workbook has no sheet 'realisasi' but 2 sheets that differ from it only in case"
        " or in spaces at their start or end ('realisasi ', ' Realisasi'), and which one is"
        " meant cannot be told;"
    ) in output


def test_the_sheet_named_as_written_is_read(tmp_path: Path) -> None:
    # 20 + 30 + 35 + 5 = 90 against 100: capaian 90 / 100 = 90 %
    status, output = _eval(tmp_path, "realisasi ", table="realisasi ")
    assert status == 0, output
    assert output.split("dilayani")[1].split()[:5] == ["90", "Orang", "100", "90", "%"]


def _eval_database(tmp_path: Path, file_format: str, *tables: str) -> tuple[int, str]:
    """``iku eval`` of the office whose realisasi is the first of ``tables`` of an SQLite
    or DuckDB database (the others empty), declared as the table ``realisasi``."""
    path = f"realisasi.{file_format}"
    definitions = DEFINITIONS.replace('format = "xlsx"', f'format = "{file_format}"')
    definitions = definitions.replace('path = "realisasi.xlsx"', f'path = "{path}"')
    (tmp_path / "definitions.toml").write_text(definitions, encoding="utf-8")
    rows = [("dilayani", f"2026-TW{quarter}", value) for quarter, value in ((1, 20), (2, 30))]
    if file_format == "sqlite":
        import sqlite3

        connection: Any = sqlite3.connect(tmp_path / path)
    else:
        import duckdb

        connection = duckdb.connect(str(tmp_path / path))
    for index, table in enumerate(tables):
        quoted = '"' + table.replace('"', '""') + '"'
        connection.execute(f"CREATE TABLE {quoted} (indikator TEXT, periode TEXT, nilai TEXT)")
        if index == 0:
            connection.executemany(f"INSERT INTO {quoted} VALUES (?, ?, ?)", rows)
    connection.commit()
    connection.close()
    return run("--lang", "en", "eval", str(tmp_path), "--data", str(tmp_path),
               "--period", "2026", "--today", "2027-01-15")  # fmt: skip


@pytest.mark.parametrize("file_format", ["sqlite", "duckdb"])
def test_a_database_table_with_a_space_at_its_end_is_named_so(
    tmp_path: Path, file_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # the table 'realisasi ' was listed as "its tables are 'Catatan', 'realisasi '", in
    # which the space after realisasi cannot be seen
    status, _ = _eval_database(tmp_path, file_format, "realisasi ", "Catatan")
    output = capsys.readouterr().err
    assert status != 0
    assert (
        f"realisasi.{file_format}: the database has no table 'realisasi' but a table"
        " 'realisasi ' that differs from it only by what cannot be seen in a name:"
        " 'realisasi ' has a space at its end; rename the table 'realisasi', or declare the"
        " table's name as written, table = \"realisasi \", on source 'realisasi'"
    ) in output
    assert "its tables are" not in output


@pytest.mark.parametrize("file_format", ["sqlite", "duckdb"])
def test_two_database_tables_alike_but_for_spaces_are_both_named(
    tmp_path: Path, file_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _eval_database(tmp_path, file_format, "realisasi ", " Realisasi")
    output = capsys.readouterr().err
    assert status != 0
    assert (
        "the database has no table 'realisasi' but 2 tables that differ from it only in case"
        " or in spaces at their start or end (' Realisasi', 'realisasi '), and which one is"
        " meant cannot be told; rename the table meant 'realisasi' and the others apart, or"
        " declare the table's name as written (table = \"...\") on source 'realisasi'"
    ) in output
