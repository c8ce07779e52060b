"""A second office written from the README alone: the Dinas Kesehatan of a kota, with its
kecamatan and kelurahan, an average waiting time at the puskesmas in minutes (lower is
better) and a count of posyandu. Each test writes the office's definitions and data into
``tmp_path`` and uses it as a planner would, through the CLI."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from helpers import run

OFFICE = """\
[office]
id = "dinkes-kota-sehat"
name = "Dinas Kesehatan Kota Sehat"
region = "Kota Sehat"
kind = "kota"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Menit", "Kunjungan"]

[satuan]
Menit = "menit"
Kunjungan = "kunjungan"

[[level]]
id = "kecamatan"
name = "Kecamatan"

[[level]]
id = "kelurahan"
name = "Kelurahan"
parent = "kecamatan"

[[region]]
level = "kecamatan"
name = "Kota Barat"

[[region]]
level = "kelurahan"
name = "Sukasari"
parent = "Kota Barat"

[[region]]
level = "kelurahan"
name = "Mekar"
parent = "Kota Barat"
"""

CASCADE = """\
[[visi]]
id = "visi"
name = "Kota Sehat"

[[misi]]
id = "misi-1"
name = "Meningkatkan derajat kesehatan"
parent = "visi"

[[tujuan]]
id = "tujuan-1"
tingkat = "renstra"
name = "Meningkatkan mutu pelayanan kesehatan dasar"
parent = "misi-1"

[[sasaran]]
id = "sasaran-1"
tingkat = "renstra"
name = "Meningkatnya mutu pelayanan puskesmas"
parent = "tujuan-1"

  [[sasaran.indikator]]
  id = "waktu-tunggu"
  name = "Rata-rata waktu tunggu pelayanan puskesmas"
  unit = "Menit"
  polarity = "negatif"
  iku = true
  targets = { 2026 = 30 }
  formula = "FORMULA"
"""

DATA = """\
[[source]]
id = "kunjungan"
name = "Kunjungan pasien puskesmas"
kind = "register"
format = "xlsx"
path = "kunjungan.xlsx"
time = "flow"
date_column = "tanggal"
regions = { kecamatan = "kecamatan", kelurahan = "kelurahan" }
columns = { tanggal = "date", kecamatan = "text", kelurahan = "text", waktu_tunggu = "integer" }

[[measure]]
name = "Waktu Tunggu"
source = "kunjungan"
aggregate = "sum"
column = "waktu_tunggu"
unit = "Menit"

[[measure]]
name = "Kunjungan Pasien"
source = "kunjungan"
aggregate = "count"
unit = "Kunjungan"
"""

VISITS = [
    (datetime.date(2026, 1, 5), "Sukasari", 30),
    (datetime.date(2026, 1, 6), "Sukasari", 40),
    (datetime.date(2026, 3, 7), "Sukasari", 50),
    (datetime.date(2026, 6, 3), "Mekar", 20),
    (datetime.date(2026, 9, 4), "Mekar", 10),
    (datetime.date(2026, 12, 5), "Mekar", 20),
]


def kota(tmp_path: Path, formula: str) -> tuple[Path, Path]:
    """The office's definitions with the waiting time computed by ``formula``, and its data."""
    definitions = tmp_path / "definitions"
    definitions.mkdir()
    (definitions / "office.toml").write_text(OFFICE, encoding="utf-8")
    (definitions / "cascade.toml").write_text(CASCADE.replace("FORMULA", formula), encoding="utf-8")
    (definitions / "data.toml").write_text(DATA, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "kunjungan"
    sheet.append(["tanggal", "kecamatan", "kelurahan", "waktu_tunggu"])
    for day, kelurahan, minutes in VISITS:
        sheet.append([day, "Kota Barat", kelurahan, minutes])
    book.save(data / "kunjungan.xlsx")
    return definitions, data


def test_an_average_written_as_a_total_over_a_count_is_told_how_to_write_it(
    tmp_path: Path,
) -> None:
    definitions, _ = kota(tmp_path, "Σ [Waktu Tunggu] / Σ [Kunjungan Pasien]")
    status, text = run("check", str(definitions), "--format", "json", "--lang", "en")
    assert status == 1
    (error,) = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    assert error["code"] == "unit-mismatch"
    assert error["message"] == (
        "indicator 'waktu-tunggu' is measured in Menit, but its formula gives Menit per"
        " Kunjungan; if it is an average (Menit per Kunjungan, as minutes waited per visit"
        " are), write it as the average of the register's column: rata_rata REGISTER.COLUMN"
        " (such as rata_rata kunjungan.waktu_tunggu)"
    )


def test_the_average_written_as_told_gives_the_mean_and_its_capaian(tmp_path: Path) -> None:
    definitions, data = kota(tmp_path, "rata_rata kunjungan.waktu_tunggu")
    status, text = run("check", str(definitions), "--lang", "en")
    assert status == 0, text
    status, text = run(
        "eval", str(definitions), "--data", str(data), "--period", "2026", "--by", "kelurahan",
        "--format", "json", "--today", "2027-01-15", "--lang", "en",
    )  # fmt: skip
    assert status == 0, text
    rows = {row["region"]: row for row in json.loads(text, parse_float=Decimal)}
    # (30 + 40 + 50 + 20 + 10 + 20) / 6 = 170 / 6 = 28,333…; lower is better (selisih):
    # (2 × 30 − 28,333…) / 30 × 100 = 105,555… → 105,56
    assert round(rows[None]["value"], 6) == Decimal("28.333333")
    assert rows[None]["capaian"] == Decimal("105.56")
    # Sukasari (30 + 40 + 50) / 3 = 40; Mekar (20 + 10 + 20) / 3 = 16,666…
    assert rows["Sukasari"]["value"] == 40
    assert round(rows["Mekar"]["value"], 6) == Decimal("16.666667")


def test_fields_written_in_the_words_of_a_sheet_or_the_document_name_the_field_meant(
    tmp_path: Path,
) -> None:
    """A planner of a workbook writes the sheet as ``sheet``, one copying the Renstra
    writes ``satuan``, ``rumus`` and ``polaritas``: each is told the field meant, and the
    formula written as ``rumus`` is not also reported missing."""
    definitions, _ = kota(tmp_path, "rata_rata kunjungan.waktu_tunggu")
    cascade = definitions / "cascade.toml"
    text = cascade.read_text(encoding="utf-8")
    text = text.replace('polarity = "negatif"', 'polaritas = "negatif"')
    text = text.replace("formula = ", "rumus = ")
    cascade.write_text(text, encoding="utf-8")
    data = definitions / "data.toml"
    text = data.read_text(encoding="utf-8").replace('path = "kunjungan.xlsx"', (
        'path = "kunjungan.xlsx"\nsheet = "kunjungan"'
    ))  # fmt: skip
    data.write_text(text.replace('unit = "Kunjungan"', 'satuan = "Kunjungan"'), encoding="utf-8")
    status, text = run("check", str(definitions), "--format", "json", "--lang", "en")
    assert status == 1
    unknown = {
        d["message"]: d["suggestion"]
        for d in json.loads(text)["diagnostics"]
        if d["code"] == "unknown-field"
    }
    assert unknown == {
        "unknown field 'polaritas' in a [[sasaran.indikator]]": "did you mean 'polarity'?",
        "unknown field 'rumus' in a [[sasaran.indikator]]": "did you mean 'formula'?",
        "unknown field 'sheet' in a [[source]]": "did you mean 'table'?",
        "unknown field 'satuan' in a [[measure]]": "did you mean 'unit'?",
    }
    assert "missing-field" not in {d["code"] for d in json.loads(text)["diagnostics"]}
