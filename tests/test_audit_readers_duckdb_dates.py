"""A ``.duckdb`` table whose ``DATE`` or ``TIMESTAMP`` column holds a date outside the years
1900–2200 (a year typed short, another calendar's, ``infinity``) is refused at its row by the
DuckDB backend as by the others, never read in place: a state register counted such a row
in every period."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from helpers import CASCADE

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ["python", "sqlite", "duckdb"]

OFFICE = (
    """
[office]
id = "tanggal"
name = "Dinas Tanggal"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "jumlah-terdaftar"
  name = "Jumlah terdaftar"
  unit = "Orang"
  formula = "Σ [Terdaftar]"

[[source]]
id = "daftar"
kind = "register"
format = "duckdb"
path = "daftar.duckdb"
table = "daftar"
date_column = "tanggal"
time = "state"
columns = { tanggal = "date", jumlah = "integer" }

[[measure]]
name = "Terdaftar"
source = "daftar"
aggregate = "sum"
column = "jumlah"
"""
)


def _office(folder: Path, kind: str, first: str) -> Path:
    (folder / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    connection = duckdb.connect(str(folder / "daftar.duckdb"))
    connection.execute(f"CREATE TABLE daftar (tanggal {kind}, jumlah INTEGER)")
    connection.execute(f"INSERT INTO daftar VALUES (CAST('{first}' AS {kind}), 5)")
    connection.execute(f"INSERT INTO daftar VALUES (CAST('2026-05-01' AS {kind}), 7)")
    connection.close()
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("kind", "first"),
    [
        ("DATE", "0026-05-01"),  # 2026 typed short: counted in every period
        ("DATE", "-infinity"),
        ("TIMESTAMP", "2569-05-01 00:00:00"),  # the Buddhist year of 2026
        ("TIMESTAMP", "-infinity"),
    ],
)
def test_a_date_outside_the_years_is_refused_at_its_row(
    tmp_path: Path, backend: str, kind: str, first: str
) -> None:
    # The DuckDB backend read the table in place and counted the row of 0026 in 2026: 12
    # where the 5 registered is no date of the plan (python and sqlite refuse row 1).
    folder = _office(tmp_path, kind, first)
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert caught.value.row == 1
    assert caught.value.column == "tanggal"


@pytest.mark.parametrize("backend", BACKENDS)
def test_dates_within_the_years_are_read_in_place(tmp_path: Path, backend: str) -> None:
    # 1900-01-01 (5) and 2026-05-01 (7) are both on or before the end of 2026: 12.
    folder = _office(tmp_path, "DATE", "1900-01-01")
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026")
    assert evaluation.get("jumlah-terdaftar").value == Decimal("12")
