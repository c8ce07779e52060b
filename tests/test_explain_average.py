"""An explanation of an average shows each sub kegiatan's own average, never its sum as
its value: parts of 240 and 160 under a measure of 80 read as sub kegiatan scoring three
times the whole. Expected numbers are computed by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CASCADE, run

DEFINITIONS = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
units = ["Nilai"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "skor"
  name = "Rata-rata skor pelayanan"
  unit = "Nilai"
  iku = true
  formula = "avg penilaian.skor"
  targets = { 2026 = 80 }

[[source]]
id = "penilaian"
kind = "register"
format = "csv"
path = "penilaian.csv"
time = "flow"
date_column = "tanggal"
breakdown_column = "kode_sub_kegiatan"
columns = { kode_sub_kegiatan = "text", tanggal = "date", skor = "decimal" }
"""
)

ROWS = """\
kode_sub_kegiatan,tanggal,skor
A,2026-02-01,90
A,2026-03-01,70
A,2026-04-01,80
A,2026-07-01,81
B,2026-05-01,60
B,2026-06-01,100
"""


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_each_part_of_an_average_is_its_own_average(tmp_path: Path, backend: str) -> None:
    (tmp_path / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    (tmp_path / "penilaian.csv").write_text(ROWS, encoding="utf-8")
    common = ("--lang", "en", "explain", str(tmp_path), "skor", "--data", str(tmp_path),
              "--period", "2026", "--backend", backend)  # fmt: skip
    status, out = run(*common, "--format", "json")
    assert status == 0, out
    (measure,) = json.loads(out, parse_float=Decimal)["inputs"]
    # (90 + 70 + 80 + 81 + 60 + 100) / 6 = 481 / 6 = 80.1666…
    assert round(Decimal(measure["value"]), 6) == Decimal("80.166667")
    parts = {part["name"]: part for part in measure["inputs"]}
    # A: (90 + 70 + 80 + 81) / 4 = 321 / 4 = 80.25, shown as 321 before
    # B: (60 + 100) / 2 = 160 / 2 = 80, shown as 160 before
    assert Decimal(parts["A"]["value"]) == Decimal("80.25")
    assert Decimal(parts["B"]["value"]) == 80
    assert parts["A"]["details"] == [
        "by kode_sub_kegiatan: 4 rows, average of skor 80.25: 321 over 4 rows"
    ]
    status, text = run(*common)
    assert "── B = 80\n" in text and "── A = 80.25\n" in text
    assert "A = 321" not in text and "B = 160" not in text
    status, text = run(*common[2:], "--lang", "id")
    assert "average" not in text
    assert "rata-rata skor 80,25: 321 dari 4 baris" in text
