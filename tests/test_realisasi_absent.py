"""A kecamatan that reports an indicator's realisasi in some triwulan of the year but has no
row in a triwulan the others report is not summed in silence: the kabupaten's value of that
triwulan (and of a year to date over it) carries a note naming the kecamatan and the
triwulan, in ``iku eval``'s listing, its JSON and CSV ``note``, ``iku explain`` and the
report; the kecamatan's own row for the triwulan is not available, saying no realisasi is
reported. Where lower is better the kabupaten's capaian is withheld (the cases missing
would flatter it); where higher is better it is kept, with the note. A kecamatan that never
reports the indicator in the year (a sparse realisasi) is not named. Every expected number
is computed by hand, on every embedded backend.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place, run

from iku_rules.reasons import MISSING_VALUES, NO_REALISASI

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

[[level]]
id = "kecamatan"
name = "Kecamatan"

[[region]]
level = "kecamatan"
name = "Labuan"

[[region]]
level = "kecamatan"
name = "Carita"

[[region]]
level = "kecamatan"
name = "Panimbang"

"""

INDICATORS = """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  iku = true
  formula = "realisasi"
  targets = { 2026 = 120 }
  triwulan_targets = { "2026-TW1" = 30, "2026-TW2" = 30, "2026-TW3" = 30, "2026-TW4" = 30 }

  [[sasaran.indikator]]
  id = "kasus"
  name = "Kasus gizi buruk"
  unit = "Orang"
  polarity = "negatif"
  iku = true
  formula = "realisasi"
  targets = { 2026 = 40 }
  triwulan_targets = { "2026-TW1" = 10, "2026-TW2" = 10, "2026-TW3" = 10, "2026-TW4" = 10 }
"""

SOURCE = """
[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
region_column = "kecamatan"
columns = { indikator = "text", periode = "text", kecamatan = "text", nilai = "decimal" }
"""

ROWS = [
    # dilayani: Carita reports TW1 and TW3, not TW2, which Labuan and Panimbang report
    "dilayani,2026-TW1,Labuan,10", "dilayani,2026-TW1,Carita,8", "dilayani,2026-TW1,Panimbang,6",
    "dilayani,2026-TW2,Labuan,12", "dilayani,2026-TW2,Panimbang,7",
    "dilayani,2026-TW3,Labuan,11", "dilayani,2026-TW3,Carita,9", "dilayani,2026-TW3,Panimbang,5",
    # kasus: Carita reports TW1 only; Panimbang never reports it (not named)
    "kasus,2026-TW1,Labuan,2", "kasus,2026-TW1,Carita,1",
    "kasus,2026-TW2,Labuan,3",
]  # fmt: skip

NOTE = (
    "the realisasi of {id} has no row for 2026-TW2 from kecamatan Carita, which reports it in"
    " another triwulan of 2026, so its sum over {period} counts it as none; report it (0 where"
    " there was none)"
)
AFTER = "2027-01-15"


def _folder(tmp_path: Path, rows: list[str] = ROWS) -> Path:
    folder = tmp_path / "office"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + INDICATORS + SOURCE, encoding="utf-8"
    )
    (folder / "realisasi.csv").write_text(
        "indikator,periode,kecamatan,nilai\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return folder


def _eval(folder: Path, period: str, *more: str) -> str:
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", period, "--today", AFTER, *more)  # fmt: skip
    assert status == 0, out
    return out


def _rows(folder: Path, period: str, backend: str) -> dict[tuple[str, str | None], Any]:
    out = _eval(folder, period, "--by", "kecamatan", "--format", "json", "--backend", backend)
    return {(row["id"], row["region"]): row for row in json.loads(out, parse_float=Decimal)}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_kecamatan_missing_a_triwulan_it_reports_in_another_is_said(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = _folder(tmp_path)
    rows = _rows(folder, "2026-TW2", backend)
    area = rows[("dilayani", None)]
    # TW2: Labuan 12 + Panimbang 7 = 19, Carita (8 in TW1, 9 in TW3) counted as none;
    # higher is better, so its capaian is kept: 19 / 30 × 100 = 63.33, with the note
    assert (area["value"], area["capaian"]) == (Decimal(19), Decimal("63.33"))
    assert area["note"] == NOTE.format(id="dilayani", period="2026-TW2")
    carita = rows[("dilayani", "Carita")]  # its own row: not available, never 0
    assert (carita["value"], carita["reason_code"]) == (None, NO_REALISASI)
    assert "no realisasi reported for dilayani in 2026-TW2 in kecamatan Carita" in carita["reason"]
    assert (rows[("dilayani", "Labuan")]["value"], rows[("dilayani", "Labuan")]["note"]) == (
        Decimal(12),
        None,
    )
    # kasus, lower is better: Labuan's 3 alone (Carita reported 1 in TW1) against ≤ 10
    # would read as met; its capaian is withheld, the value kept with the note. Panimbang,
    # which never reports kasus in 2026, is not named.
    kasus = rows[("kasus", None)]
    assert (kasus["value"], kasus["capaian"]) == (Decimal(3), None)
    assert kasus["capaian_reason_code"] == MISSING_VALUES
    assert "2026-TW2 from kecamatan Carita" in kasus["capaian_reason"]
    assert kasus["note"] == NOTE.format(id="kasus", period="2026-TW2")
    # TW1, which every kecamatan reporting dilayani reports: 10 + 8 + 6 = 24, no note
    tw1 = _rows(folder, "2026-TW1", backend)[("dilayani", None)]
    assert (tw1["value"], tw1["note"]) == (Decimal(24), None)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_year_to_date_over_the_missing_triwulan_is_said_too(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_place(monkeypatch, in_place)
    rows = _rows(_folder(tmp_path), "2026-sd-TW3", backend)
    # to TW3: 10 + 8 + 6 + 12 + 7 + 11 + 9 + 5 = 68, Carita's TW2 counted as none; the
    # capaian kept (higher is better): 68 / (30 × 3) × 100 = 75.56
    area = rows[("dilayani", None)]
    assert (area["value"], area["capaian"]) == (Decimal(68), Decimal("75.56"))
    assert area["note"] == NOTE.format(id="dilayani", period="2026-sd-TW3")
    carita = rows[("dilayani", "Carita")]  # 8 + 9 = 17, its own TW2 counted as none
    assert (carita["value"], carita["note"]) == (Decimal(17), area["note"])
    labuan = rows[("dilayani", "Labuan")]  # 10 + 12 + 11 = 33, every triwulan reported
    assert (labuan["value"], labuan["note"]) == (Decimal(33), None)


def test_the_listing_explain_csv_and_report_say_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    note = NOTE.format(id="dilayani", period="2026-TW2")
    text = _eval(folder, "2026-TW2")
    assert "  dilayani     19 Orang          30    63.33 %  Rendah ⚠\n" in text
    assert "⚠ the realisasi has no row for 2026-TW2 from kecamatan Carita" in " ".join(text.split())
    assert "it concerns dilayani, kasus" in " ".join(text.split())
    csv = _eval(folder, "2026-TW2", "--format", "csv").splitlines()
    assert any(line.endswith(f',false,"{note}"') for line in csv)
    status, explained = run("--lang", "en", "explain", str(folder), "dilayani", "--data",
                            str(folder), "--period", "2026-TW2", "--today", AFTER)  # fmt: skip
    assert status == 0, explained
    assert "realisasi reported: 2 rows (2026-TW2: 19 Orang)" in explained  # 12 + 7
    assert (
        "the realisasi has no row for 2026-TW2 from kecamatan Carita, which reports it in"
        " another triwulan of 2026, so its sum over 2026-TW2 counts it as none"
    ) in explained
    out = tmp_path / "lkjip.md"
    status, said = run("--lang", "en", "report", str(folder), "--data", str(folder), "--period",
                       "2026-TW2", "--format", "md", "-o", str(out), "--today", AFTER)  # fmt: skip
    assert status == 0, said
    assert note in out.read_text(encoding="utf-8")


def test_a_kecamatan_row_beside_the_area_total_or_every_one_reported_is_not_said(
    tmp_path: Path,
) -> None:
    # the kabupaten's own row for TW2 (19) is its total, not its kecamatan's sum: no note
    folder = _folder(tmp_path, [*ROWS, "dilayani,2026-TW2,,19"])
    rows = _rows(folder, "2026-TW2", "duckdb")
    assert (rows[("dilayani", None)]["value"], rows[("dilayani", None)]["note"]) == (19, None)
    # Carita's 0 written: 12 + 0 + 7 = 19, nothing to say
    folder = _folder(tmp_path / "zero", [*ROWS, "dilayani,2026-TW2,Carita,0"])
    rows = _rows(folder, "2026-TW2", "duckdb")
    assert (rows[("dilayani", None)]["value"], rows[("dilayani", None)]["note"]) == (19, None)


SHARE = """
  [[sasaran.indikator]]
  id = "cakupan"
  name = "Cakupan orang dilayani"
  unit = "Persen"
  iku = true
  formula = "dilayani / [Sasaran dilayani] × 100%"
  targets = { 2026 = 50 }
  triwulan_targets = { "2026-TW1" = 50, "2026-TW2" = 50, "2026-TW3" = 50, "2026-TW4" = 50 }

[[input]]
name = "Sasaran dilayani"
unit = "Orang"
source = "sasaran"
additive = true

[[source]]
id = "sasaran"
kind = "inputs"
format = "csv"
path = "sasaran.csv"
regions = { kecamatan = "kecamatan" }
columns = { nama = "text", tahun = "integer", kecamatan = "text", nilai = "integer" }
"""

SASARAN = [
    "Sasaran dilayani,2026,Labuan,20", "Sasaran dilayani,2026,Carita,16",
    "Sasaran dilayani,2026,Panimbang,14",
]  # fmt: skip


def _share(tmp_path: Path, rows: list[str] = ROWS) -> Path:
    folder = _folder(tmp_path, rows)
    office = OFFICE.replace('units = ["Orang"]', 'units = ["Orang", "Persen"]')
    (folder / "definitions.toml").write_text(
        office + CASCADE + INDICATORS + SHARE + SOURCE, encoding="utf-8"
    )
    (folder / "sasaran.csv").write_text(
        "nama,tahun,kecamatan,nilai\n" + "\n".join(SASARAN) + "\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_formula_never_reads_a_sum_missing_a_kecamatan(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = _share(tmp_path)
    rows = _rows(folder, "2026-TW2", backend)
    # TW2's 12 + 7 = 19 (Carita's row missing, 8 in TW1 and 9 in TW3) over a sasaran of
    # 20 + 16 + 14 = 50 read 19 / 50 × 100 = 38 %, with no note: cakupan is not available
    cakupan = rows[("cakupan", None)]
    assert (cakupan["value"], cakupan["capaian"]) == (None, None)
    assert cakupan["reason_code"] == MISSING_VALUES
    assert cakupan["reason"] == (
        "dilayani: the realisasi of dilayani has no row for 2026-TW2 from kecamatan Carita,"
        " which reports it in another triwulan of 2026, so its sum over 2026-TW2 would count"
        " it as none and misstate what is computed from it; report it (0 where there was"
        " none)"
    )
    assert rows[("dilayani", None)]["value"] == 19  # the realisasi's own row keeps its note
    # each kecamatan with its rows keeps its own: Labuan 12 / 20 × 100 = 60, Panimbang
    # 7 / 14 × 100 = 50; Carita's has no realisasi in TW2
    assert rows[("cakupan", "Labuan")]["value"] == 60
    assert rows[("cakupan", "Panimbang")]["value"] == 50
    assert rows[("cakupan", "Carita")]["value"] is None
    # TW1, where every kecamatan reports: (10 + 8 + 6) / 50 × 100 = 48, capaian 48 / 50
    # × 100 = 96.00
    tw1 = _rows(folder, "2026-TW1", backend)[("cakupan", None)]
    assert (tw1["value"], tw1["capaian"], tw1["note"]) == (48, Decimal("96.00"), None)
    # Carita's 0 written for TW2: (12 + 0 + 7) / 50 × 100 = 38, capaian 38 / 50 × 100 =
    # 76.00, nothing to say
    folder = _share(tmp_path / "zero", [*ROWS, "dilayani,2026-TW2,Carita,0"])
    tw2 = _rows(folder, "2026-TW2", backend)[("cakupan", None)]
    assert (tw2["value"], tw2["capaian"], tw2["note"]) == (38, Decimal("76.00"), None)


def test_a_year_to_date_formula_names_the_kecamatan_and_labuan_keeps_its_own(
    tmp_path: Path,
) -> None:
    rows = _rows(_share(tmp_path), "2026-sd-TW3", "duckdb")
    # to TW3: 68 (Carita's TW2 counted as none) over 50 would read 136 %: not available
    assert rows[("cakupan", None)]["value"] is None
    assert "2026-TW2 from kecamatan Carita" in rows[("cakupan", None)]["reason"]
    # Labuan 10 + 12 + 11 = 33 over its 20: 33 / 20 × 100 = 165
    assert rows[("cakupan", "Labuan")]["value"] == 165
    status, out = run("--lang", "en", "eval", str(_share(tmp_path / "listing")), "--data",
                      str(tmp_path / "listing" / "office"), "--period", "2026-TW2",
                      "--today", AFTER)  # fmt: skip
    assert status == 0, out
    assert (
        "  cakupan   not available: dilayani: the realisasi of dilayani has no row for 2026-TW2"
        " from kecamatan Carita"
    ) in out


def test_read_terakhir_only_the_last_triwulan_s_kecamatan_count(tmp_path: Path) -> None:
    folder = _share(tmp_path)
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    text = text.replace('id = "dilayani"', 'id = "dilayani"\n  capaian_method = "terakhir"')
    definitions.write_text(text, encoding="utf-8")
    # to TW3 read terakhir, dilayani is TW3's level, 11 + 9 + 5 = 25, where every kecamatan
    # reports: cakupan 25 / 50 × 100 = 50, Carita's TW2 not read
    rows = _rows(folder, "2026-sd-TW3", "duckdb")
    assert (rows[("dilayani", None)]["value"], rows[("cakupan", None)]["value"]) == (25, 50)
    # TW2 alone is still 12 + 7 = 19 without Carita's row: not available
    rows = _rows(folder, "2026-TW2", "duckdb")
    assert rows[("cakupan", None)]["reason_code"] == MISSING_VALUES
