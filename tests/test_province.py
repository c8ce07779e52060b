"""Many kabupaten in one run: a province's definitions declare the kabupaten as their top
level, and ``iku eval --by kabupaten`` gives every kabupaten's value from one query per
source, as a ratio of sums at each level, on the embedded backends and on PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CASCADE, run
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.loader import load

DEFINITIONS = (
    """\
[office]
id = "provinsi-contoh"
name = "Dinas Sosial Provinsi Contoh (illustrative)"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Persen"]

[[level]]
id = "kabupaten"
name = "Kabupaten/Kota"

[[level]]
id = "kecamatan"
name = "Kecamatan"
parent = "kabupaten"

[[region]]
level = "kabupaten"
name = "Kabupaten A"

[[region]]
level = "kabupaten"
name = "Kabupaten B"

[[region]]
level = "kecamatan"
name = "A1"
parent = "Kabupaten A"

[[region]]
level = "kecamatan"
name = "A2"
parent = "Kabupaten A"

[[region]]
level = "kecamatan"
name = "B1"
parent = "Kabupaten B"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "terlayani"
  name = "Persentase warga terdaftar yang terlayani"
  unit = "Persen"
  iku = true
  targets = { 2026 = 50 }
  formula = 'Σ warga[terlayani = "ya"] / Σ warga × 100%'

[[source]]
id = "warga"
kind = "register"
format = "csv"
path = "warga.csv"
date_column = "tanggal"
time = "state"
regions = { kabupaten = "kabupaten", kecamatan = "kecamatan" }
columns = { id_warga = "identifier", kabupaten = "text", kecamatan = "text", terlayani = "text", tanggal = "date" }
"""
)

# Kabupaten A: A1 has 3 people (2 served), A2 has 1 (served); Kabupaten B: B1 has 4 (1 served).
ROWS = [
    ("w1", "Kabupaten A", "A1", "ya"),
    ("w2", "Kabupaten A", "A1", "ya"),
    ("w3", "Kabupaten A", "A1", "tidak"),
    ("w4", "Kabupaten A", "A2", "ya"),
    ("w5", "Kabupaten B", "B1", "ya"),
    ("w6", "Kabupaten B", "B1", "tidak"),
    ("w7", "Kabupaten B", "B1", "tidak"),
    ("w8", "Kabupaten B", "B1", "tidak"),
]
# Ratio of sums at every level: Kabupaten A 3/4 = 75 % (not the mean of A1's 66.67 % and
# A2's 100 %, 83.33 %), Kabupaten B 1/4 = 25 %, the province 4/8 = 50 %.
EXPECTED = {None: Decimal("50"), "Kabupaten A": Decimal("75"), "Kabupaten B": Decimal("25")}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("provinsi")
    (folder / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    lines = ["id_warga,kabupaten,kecamatan,terlayani,tanggal"]
    lines += [",".join(row) + ",2026-02-01" for row in ROWS]
    (folder / "warga.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def values(text: str) -> dict[str | None, Decimal]:
    rows = json.loads(text, parse_float=Decimal)
    return {row["region"]: Decimal(str(row["value"])) for row in rows if row["id"] == "terlayani"}


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_every_kabupaten_of_a_province_in_one_run(province: Path, backend: str) -> None:
    status, text = run(
        "eval", str(province), "--data", str(province), "--period", "2026",
        "--by", "kabupaten", "--format", "json", "--backend", backend,
    )  # fmt: skip
    assert status == 0, text
    assert values(text) == EXPECTED


def test_every_kabupaten_on_postgresql(
    province: Path, postgres: Postgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    load_csv_tables(postgres, load(province), province, "public")
    url = f"postgresql://iku@127.0.0.1:{postgres.port}/postgres"
    status, text = run(
        "eval", str(province), "--source", url, "--period", "2026",
        "--by", "kabupaten", "--format", "json",
    )  # fmt: skip
    assert status == 0, text
    assert values(text) == EXPECTED
