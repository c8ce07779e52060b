"""SQLite keeps the text '1.234' typed into an INTEGER column as the number 1.234 (its type
affinity): under notation "id" that text is 1234, so the cell is refused at its row and
column, on every backend, where it was read as 1.234 in silence."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office, run

BACKENDS = ["python", "sqlite", "duckdb"]


def sqlite_inputs(tmp_path: Path, declared: str, cell: str, notation: str) -> Path:
    """The office with its inputs in an SQLite table whose 'nilai' is declared ``declared``,
    Nilai AKIP of 2026 typed as the text ``cell``."""
    folder = office(tmp_path)
    edit(folder, 'units = ["Persen"', f'notation = "{notation}"\nunits = ["Persen"')
    edit(
        folder,
        'kind = "inputs"\nformat = "csv"\npath = "inputs.csv"',
        'kind = "inputs"\nformat = "sqlite"\npath = "inputs.sqlite"\ntable = "inputs"',
    )
    connection = sqlite3.connect(folder / "inputs.sqlite")
    connection.execute(f"CREATE TABLE inputs (nama TEXT, tahun INTEGER, nilai {declared})")
    connection.execute("INSERT INTO inputs VALUES ('Nilai AKIP', 2026, ?)", (cell,))
    connection.execute("INSERT INTO inputs VALUES ('Nilai AKIP', 2025, 75)")
    connection.commit()
    connection.close()
    return folder


def skor(folder: Path, backend: str) -> tuple[int, Decimal | None]:
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--backend", backend, "--format", "json", "--lang", "en")  # fmt: skip
    if status != 0:
        return status, None
    rows = json.loads(text, parse_float=Decimal)
    return status, next(row for row in rows if row["id"] == "skor")["value"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_grouped_by_a_dot_in_an_integer_column_is_refused_under_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    # '1.234' under "id" is 1234: skor = 0,5 × 1234 + 60 % / 100% = 617,6; read as 1,234 it
    # was 0,5 × 1,234 + 0,6 = 1,217
    folder = sqlite_inputs(tmp_path, "INTEGER", "1.234", "id")
    assert skor(folder, backend) == (1, None)
    assert capsys.readouterr().err == (
        "iku: inputs.sqlite, table 'inputs', row 1, column 'nilai': the cell holds 1.234 in a"
        " column the database declares whole (INTEGER): SQLite keeps text such as '1.234'"
        " typed into it as that decimal, where notation \"id\" reads '1.234' as 1234; store"
        ' the whole number meant, or declare notation = "en" on the [[source]] if 1.234 is'
        " meant\n"
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("declared", "cell", "notation", "expected"),
    [
        ("INTEGER", "1.234", "en", "1.217"),  # 0,5 × 1,234 + 0,6
        ("INTEGER", "12,5", "id", "6.85"),  # kept as text, read 12,5: 0,5 × 12,5 + 0,6
        ("INTEGER", "1.234.567", "id", "617284.1"),  # kept as text: 0,5 × 1234567 + 0,6
        ("INTEGER", "12.5", "id", "6.85"),  # only "en" reads 12.5: 0,5 × 12,5 + 0,6
        ("REAL", "76.05", "id", "38.625"),  # a REAL column holds decimals: 0,5 × 76,05 + 0,6
    ],
)
def test_what_reads_one_way_is_kept(
    tmp_path: Path, backend: str, declared: str, cell: str, notation: str, expected: str
) -> None:
    folder = sqlite_inputs(tmp_path, declared, cell, notation)
    assert skor(folder, backend) == (0, Decimal(expected))
