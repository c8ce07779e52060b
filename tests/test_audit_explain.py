"""An explanation's parts say how they make their whole: rows that leave the breakdown
column empty are a part of their own (never dropped, leaving parts that sum to less than
the whole), a distinct count says its parts overlap, an average says its parts are not
averaged into it, a part counts its rows without a NIK as the whole does, and a measure
read at each entity's latest record says its rows passed the filter as latest records.
Expected numbers are computed by hand in the comments."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE, ROOT, run

DEFINITIONS = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
units = ["Orang", "Nilai"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  formula = "Σ [Orang Dilayani]"

  [[sasaran.indikator]]
  id = "setiap"
  name = "Orang dilayani, tanpa NIK dihitung satu per satu"
  unit = "Orang"
  formula = "Σ [Orang Setiap]"

  [[sasaran.indikator]]
  id = "banyak"
  name = "Banyak layanan"
  unit = "Orang"
  formula = "Σ [Banyak Layanan]"

  [[sasaran.indikator]]
  id = "ber-nik"
  name = "Layanan dengan NIK"
  unit = "Orang"
  formula = "Σ [Layanan Ber NIK]"

  [[sasaran.indikator]]
  id = "total"
  name = "Total paket"
  unit = "Orang"
  formula = "Σ [Total Paket]"

  [[sasaran.indikator]]
  id = "skor"
  name = "Rata-rata skor"
  unit = "Nilai"
  formula = "avg layanan.skor"

[[program]]
id = "P"
kode = "1.01"
name = "Program"
parent = "sasaran"

[[kegiatan]]
id = "K"
kode = "1.01.1"
name = "Kegiatan"
parent = "P"

[[sub_kegiatan]]
id = "A"
name = "Sub A"
parent = "K"

[[sub_kegiatan]]
id = "B"
name = "Sub B"
parent = "K"

[[source]]
id = "layanan"
kind = "register"
format = "csv"
path = "layanan.csv"
date_column = "tanggal"
region_column = "kecamatan"
breakdown_column = "kode"
time = "flow"
columns = { nik = "nik", kode = "text", kecamatan = "text", tanggal = "date", skor = "decimal", paket = "decimal" }

[[measure]]
name = "Orang Dilayani"
source = "layanan"
aggregate = "count_distinct"
column = "nik"
filter = 'kode in ("A", "B")'
missing = "skip"

[[measure]]
name = "Orang Setiap"
source = "layanan"
aggregate = "count_distinct"
column = "nik"
missing = "count_each"

[[measure]]
name = "Banyak Layanan"
source = "layanan"
aggregate = "count"

[[measure]]
name = "Layanan Ber NIK"
source = "layanan"
aggregate = "count"
column = "nik"

[[measure]]
name = "Total Paket"
source = "layanan"
aggregate = "sum"
column = "paket"
"""
)

# Six services in 2026: NIK …01 in both A and B; row 5 leaves kode empty; row 6 has no NIK.
ROWS = """\
nik,kode,kecamatan,tanggal,skor,paket
3601000000000001,A,Labuan,2026-01-10,90,1
3601000000000001,B,Labuan,2026-02-10,70,2
3601000000000002,A,Labuan,2026-03-10,80,3
3601000000000003,B,Carita,2026-04-10,60,4
3601000000000004,,Carita,2026-05-10,100,5
,A,Carita,2026-06-10,50,6
"""

BACKENDS = ["python", "sqlite", "duckdb"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    (tmp_path / "layanan.csv").write_text(ROWS, encoding="utf-8")
    return tmp_path


def explained(folder: Path, indicator: str, *extra: str) -> tuple[str, dict[str, Any]]:
    """The explanation as text (English) and its only measure as JSON."""
    common = ("--lang", "en", "explain", str(folder), indicator, "--data", str(folder),
              "--period", "2026", *extra)  # fmt: skip
    status, text = run(*common)
    assert status == 0, text
    status, out = run(*common, "--format", "json")
    assert status == 0, out
    (measure,) = json.loads(out, parse_float=Decimal)["inputs"]
    return text, measure


def parts_of(measure: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {part["name"]: part for part in measure["inputs"]}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_distinct_count_says_its_parts_add_up_to_more(folder: Path, backend: str) -> None:
    text, measure = explained(folder, "dilayani", "--backend", backend)
    # rows with kode A or B: 1, 2, 3, 4, 6; row 6 has no NIK (left out)
    # distinct NIK: …01, …02, …03 = 3; A: …01, …02 = 2; B: …01, …03 = 2; 2 + 2 = 4 ≠ 3
    assert measure["value"] == 3
    parts = parts_of(measure)
    assert parts["Sub A"]["value"] == 2 and parts["Sub B"]["value"] == 2
    note = (
        "a nik may be counted under more than one kode: the parts below add up to 4,"
        " the distinct total is 3"
    )
    assert note in measure["details"] and note in text
    # A's row without a NIK is left out in the part as in the whole
    assert parts["Sub A"]["details"] == ["by kode: 3 rows, 2 distinct nik, 1 without nik, left out"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_rows_without_the_breakdown_column_are_a_part_of_their_own(
    folder: Path, backend: str
) -> None:
    _, measure = explained(folder, "total", "--backend", backend)
    # paket: A 1 + 3 + 6 = 10, B 2 + 4 = 6, row 5 (no kode) 5; whole 21 = 10 + 6 + 5
    assert measure["value"] == 21
    parts = parts_of(measure)
    assert [parts[name]["value"] for name in ("Sub A", "Sub B")] == [10, 6]
    rest = parts["rows without kode"]
    assert rest["value"] == 5 and rest["id"] is None
    assert rest["details"] == ["1 row that leaves kode empty, sum of paket 5"]
    assert sum(part["value"] for part in measure["inputs"]) == measure["value"]

    _, measure = explained(folder, "banyak", "--backend", backend)
    # rows: A 3, B 2, no kode 1; whole 6
    assert [part["value"] for part in measure["inputs"]] == [3, 2, 1]

    _, measure = explained(folder, "ber-nik", "--backend", backend)
    # rows with a NIK: A 2 (rows 1, 3; row 6 has none), B 2, no kode 1; whole 5 of 6 rows
    assert measure["value"] == 5
    assert "6 rows in the period, 6 pass the filter, 5 with a nik" in measure["details"]
    assert [part["value"] for part in measure["inputs"]] == [2, 2, 1]
    assert parts_of(measure)["Sub A"]["details"] == ["by kode: 3 rows, 2 with a nik"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_regions_parts_hold_its_rows_without_the_column(folder: Path, backend: str) -> None:
    text, measure = explained(
        folder, "total", "--backend", backend, "--by", "kecamatan", "--region", "Carita"
    )
    # Carita: rows 4 (B, 4), 5 (no kode, 5), 6 (A, 6); 15 = 6 + 4 + 5
    assert measure["value"] == 15
    assert [part["value"] for part in measure["inputs"]] == [6, 4, 5]
    assert "└── rows without kode = 5\n" in text


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_average_says_its_sum_and_that_its_parts_are_their_own(
    folder: Path, backend: str
) -> None:
    text, measure = explained(folder, "skor", "--backend", backend)
    # (90 + 70 + 80 + 60 + 100 + 50) / 6 = 450 / 6 = 75
    assert measure["value"] == 75
    assert (
        "6 rows in the period, 6 pass the filter, average of skor 75: 450 over 6 rows"
        in measure["details"]
    )
    assert (
        "each part below is the average of its own rows; the whole is the average of all"
        " the rows, not of the parts" in text
    )
    parts = parts_of(measure)
    # A: (90 + 80 + 50) / 3 = 73.33…; B: (70 + 60) / 2 = 65; no kode: 100 / 1 = 100
    assert round(parts["Sub A"]["value"], 6) == Decimal("73.333333")
    assert parts["Sub B"]["value"] == 65
    assert parts["rows without kode"]["value"] == 100


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_part_counts_its_rows_without_a_nik_as_the_whole_does(folder: Path, backend: str) -> None:
    _, measure = explained(folder, "setiap", "--backend", backend)
    # distinct NIK …01–…04 = 4, and row 6 without one counts as one: 5
    assert measure["value"] == 5
    part = parts_of(measure)["Sub A"]
    # A: …01, …02 = 2 distinct, and row 6 without a NIK counted as one: 3
    assert part["value"] == 3
    assert part["details"] == [
        "by kode: 3 rows, 2 distinct nik, 1 without nik, each counted as one"
    ]
    # A 3 + B 2 = 5 (…01 in both), and row 5 (…04) is in no part: its kode is empty
    assert (
        "a nik may be counted under more than one kode: the parts below add up to 5, the"
        " distinct total is 5, with the 1 row that leaves kode empty" in measure["details"]
    )


def test_a_measure_of_latest_records_says_which_rows_passed_the_filter() -> None:
    definitions = ROOT / "definitions" / "dinkes-contoh"
    data = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"
    status, out = run("--lang", "en", "explain", str(definitions), "stunting", "--data",
                      str(data), "--period", "2026", "--format", "json")  # fmt: skip
    assert status == 0, out
    stunting = json.loads(out, parse_float=Decimal)["inputs"][0]
    # 11 rows measured in 2026, 5 of them "ya"; the latest round of each balita: …01 r2
    # tidak, …02 r2 ya, …03 r2 tidak, …04 r2 tidak, …05 r2 ya, …06 r1 tidak: 2 pass
    assert stunting["value"] == 2
    assert (
        "11 rows in the period; of each nik's latest by putaran, 2 pass the filter,"
        " 2 distinct nik" in stunting["details"]
    )
