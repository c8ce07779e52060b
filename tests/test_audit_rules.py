"""Capaian given in silence from a realisasi that is not the one the office declared: a
count read ``terakhir`` summed over its triwulan, a year of an indicator where lower is
better whose triwulan are not all reported, and a report that shows a capaian with fewer
decimals than its predikat was given for. Every expected number is computed by hand."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import CASCADE, run

from iku_rules.engine import Engine
from iku_rules.report import build_report, build_workbook, render_html, render_markdown
from iku_rules.rules.tables import PACKAGE, RuleTables

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang", "Kasus"]

[satuan]
Kasus = { dimension = "kasus", whole = true }

"""

SOURCE = """
[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""


def _folder(tmp_path: Path, indicator: str, rows: list[str]) -> Path:
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + indicator + SOURCE, encoding="utf-8"
    )
    lines = ["indikator,periode,nilai", *rows]
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _eval(folder: Path, period: str) -> dict[str, Any]:
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", period, "--format", "json")  # fmt: skip
    assert status == 0, out
    rows = json.loads(out, parse_float=Decimal)
    return {row["id"]: row for row in rows if row["region"] is None}


LEVELS = """
  [[sasaran.indikator]]
  id = "tertangani"
  name = "PMKS tertangani (dilaporkan kumulatif)"
  unit = "Orang"
  iku = true
  formula = "realisasi"
  capaian_method = "terakhir"
  targets = { 2026 = 100 }
  triwulan_targets = { "2026-TW1" = 25, "2026-TW2" = 50, "2026-TW3" = 75, "2026-TW4" = 100 }
"""


def test_a_count_read_terakhir_is_its_last_triwulan_not_the_sum(tmp_path: Path) -> None:
    # The office reports the level reached (20, 45, 65, 90 people) and declares terakhir.
    # The year was 20 + 45 + 65 + 90 = 220 against 100: 220.00, Sangat Tinggi; it is the
    # level of TW4, 90 / 100 × 100 = 90.00, Tinggi (as 2026-sd-TW4 already computed it).
    rows = [f"tertangani,2026-TW{q},{v}" for q, v in ((1, 20), (2, 45), (3, 65), (4, 90))]
    folder = _folder(tmp_path, LEVELS, rows)
    year = _eval(folder, "2026")["tertangani"]
    assert (year["value"], year["target"], year["capaian"]) == (90, 100, Decimal("90.00"))
    assert year["predikat"] == "Tinggi"
    # To TW2 the row showed 20 + 45 = 65 beside the target 50 and the capaian 90.00 of
    # 45 / 50 × 100: the realisasi shown is now the one its capaian is computed from.
    to_tw2 = _eval(folder, "2026-sd-TW2")["tertangani"]
    assert (to_tw2["value"], to_tw2["target"], to_tw2["capaian"]) == (45, 50, Decimal("90.00"))


CASES = """
  [[sasaran.indikator]]
  id = "kasus"
  name = "Kasus kekerasan terhadap anak"
  unit = "Kasus"
  iku = true
  polarity = "negatif"
  formula = "realisasi"
  targets = { 2026 = 10 }
  triwulan_targets = { "2026-TW1" = 3, "2026-TW2" = 3, "2026-TW3" = 2, "2026-TW4" = 2 }
"""


def test_a_year_where_lower_is_better_needs_every_triwulan(tmp_path: Path) -> None:
    # Cases 0, 4 and 1 in TW1–TW3, TW4 not reported yet. The year read 5 against 10:
    # (2 × 10 − 5) / 10 × 100 = 150.00, Sangat Tinggi, as if TW4 had had no case.
    rows = ["kasus,2026-TW1,0", "kasus,2026-TW2,4", "kasus,2026-TW3,1"]
    folder = _folder(tmp_path, CASES, rows)
    year = _eval(folder, "2026")["kasus"]
    assert year["capaian"] is None and year["predikat"] is None
    assert year["target"] == 10
    assert year["capaian_reason_code"] == "missing-values"
    assert year["capaian_reason"] == (
        "the realisasi of 2026-TW4 is not reported, so the sum over 2026 would count it as"
        " none and, where lower is better, make capaian look better than it is; report it"
        " (0 where there was none), or evaluate the triwulan reported"
    )
    # The year to date TW3 is unchanged: 5 against 3 + 3 + 2 = 8, (16 − 5) / 8 × 100.
    assert _eval(folder, "2026-sd-TW3")["kasus"]["capaian"] == Decimal("137.50")
    # With TW4 reported (0 cases) the year has its capaian: (20 − 5) / 10 × 100 = 150.00.
    with (folder / "realisasi.csv").open("a", encoding="utf-8") as file:
        file.write("kasus,2026-TW4,0\n")
    assert _eval(folder, "2026")["kasus"]["capaian"] == Decimal("150.00")


def test_tahunan_where_lower_is_better_needs_every_triwulan_to_date(tmp_path: Path) -> None:
    # tahunan: cases to date against the annual target. TW2 not reported: 0 + 1 = 1 read
    # (20 − 1) / 10 × 100 = 190.00 to TW3, as if TW2 had had no case.
    indicator = CASES.replace(
        'formula = "realisasi"', 'formula = "realisasi"\n  capaian_method = "tahunan"'
    )
    folder = _folder(tmp_path, indicator, ["kasus,2026-TW1,0", "kasus,2026-TW3,1"])
    row = _eval(folder, "2026-sd-TW3")["kasus"]
    assert row["capaian"] is None and row["target"] == 10
    assert row["capaian_reason"].startswith("the realisasi of 2026-TW2 is not reported")


def test_a_report_shows_capaian_with_the_decimals_of_its_predikat(tmp_path: Path) -> None:
    # A capaian table of decimals = 3 (a planner may change it): 18199 / 20000 × 100 =
    # 90.995, Tinggi (below 91). The reports showed it 91,00 (two decimals, half away
    # from zero) beside Tinggi, where 91,00 is Sangat Tinggi.
    tables = tmp_path / "tables"
    shutil.copytree(PACKAGE / "rule_tables", tables)
    capaian_toml = tables / "capaian.toml"
    text = capaian_toml.read_text(encoding="utf-8")
    capaian_toml.write_text(text.replace("\ndecimals = 2\n", "\ndecimals = 3\n"), encoding="utf-8")
    indicator = """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  iku = true
  formula = "realisasi"
  targets = { 2026 = 20000 }
"""
    folder = _folder(tmp_path, indicator, ["dilayani,2026-TW1,18199"])
    engine = Engine(folder, folder)
    engine.rule_tables = RuleTables.load(tables)
    result = engine.evaluate("2026").get("dilayani")
    assert result.capaian is not None
    assert (result.capaian.value, result.predikat) == (Decimal("90.995"), "Tinggi")
    report = build_report(engine, "2026")
    markdown = render_markdown(report, decimal_comma=True)
    assert "| 18.199 | 90,995 | Tinggi |" in markdown
    assert "91,00" not in markdown
    html = render_html(report, decimal_comma=False)
    assert "capaian 90.995 %" in html and "91.00" not in html
    sheet = build_workbook(report)["IKU"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[2].value == "Orang dilayani")
    assert (cell.value, cell.number_format) == (90.995, '#,##0.000"%"')


def test_the_text_listing_says_why_a_target_has_no_capaian(tmp_path: Path) -> None:
    # The year of the cases above, TW4 not reported: the kabupaten's row showed "kasus 5"
    # and nothing beside it; it now shows the target and why there is no capaian.
    rows = ["kasus,2026-TW1,0", "kasus,2026-TW2,4", "kasus,2026-TW3,1"]
    folder = _folder(tmp_path, CASES, rows)
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", "2026")  # fmt: skip
    assert status == 0
    (line,) = [line for line in out.splitlines() if line.lstrip().startswith("kasus ")]
    assert line.split()[:4] == ["kasus", "5", "Kasus", "10"]
    assert line.endswith("(the realisasi of 2026-TW4 is not reported, so the sum over 2026"
                         " would count it as none and, where lower is better, make capaian"
                         " look better than it is; report it (0 where there was none), or"
                         " evaluate the triwulan reported) ⚠")  # fmt: skip
    # and the value 0 + 4 + 1 = 5, of a year over without TW4, is marked as summed so
    assert "⚠ the realisasi for 2026-TW4 is not reported, so its sum over 2026" in out


def test_the_explanation_shows_the_target_without_a_capaian(tmp_path: Path) -> None:
    rows = ["kasus,2026-TW1,0", "kasus,2026-TW2,4", "kasus,2026-TW3,1"]
    folder = _folder(tmp_path, CASES, rows)
    status, out = run("--lang", "en", "explain", str(folder), "kasus", "--data", str(folder),
                      "--period", "2026")  # fmt: skip
    assert status == 0
    assert (
        "  target 10 Kasus; capaian: not available (the realisasi of 2026-TW4 is not reported"
        in out
    )


RATE = """
  [[sasaran.indikator]]
  id = "kasus"
  name = "Kasus kekerasan terhadap anak"
  unit = "Kasus"
  polarity = "negatif"
  formula = "realisasi"

  [[sasaran.indikator]]
  id = "rasio"
  name = "Kasus kekerasan terhadap anak per 1.000 penduduk"
  unit = "per 1.000 Penduduk"
  iku = true
  polarity = "negatif"
  formula = "kasus / penduduk * 1000"
  targets = { 2026 = 1 }

[[input]]
name = "penduduk"
unit = "Penduduk"

[[source]]
id = "inputs"
kind = "inputs"
format = "csv"
path = "inputs.csv"
columns = { nama = "text", tahun = "integer", nilai = "decimal" }
"""


def test_a_formula_never_reads_a_realisasi_sum_missing_a_triwulan(tmp_path: Path) -> None:
    # Cases 3, 4 and 1 in TW1–TW3, TW4 not reported; 10,000 people. The rate read the sum
    # so far as the year's: 8 / 10000 × 1000 = 0.8 against a target of 1 where lower is
    # better, capaian (2 × 1 − 0.8) / 1 × 100 = 120.00, Sangat Tinggi, with nothing to show
    # that a quarter of the year was missing. The kasus row itself keeps its 8 (its
    # triwulan are listed beside it, and it has no target).
    rows = ["kasus,2026-TW1,3", "kasus,2026-TW2,4", "kasus,2026-TW3,1"]
    folder = _folder(tmp_path, RATE, rows)
    office = OFFICE.replace('"Kasus"]', '"Kasus", "Penduduk", "per 1.000 Penduduk"]')
    office += 'Penduduk = { dimension = "orang", whole = true }\n'
    (folder / "definitions.toml").write_text(office + CASCADE + RATE + SOURCE, encoding="utf-8")
    (folder / "inputs.csv").write_text("nama,tahun,nilai\npenduduk,2026,10000\n", encoding="utf-8")
    year = _eval(folder, "2026")
    assert year["kasus"]["value"] == 8
    rate = year["rasio"]
    assert (rate["value"], rate["capaian"], rate["predikat"]) == (None, None, None)
    assert rate["reason_code"] == "missing-values"
    assert rate["reason"] == (
        "kasus: the realisasi of kasus for 2026-TW4 is not reported, so its sum over 2026"
        " would count it as none and misstate what is computed from it; report it (0 where"
        " there was none), or evaluate the triwulan reported"
    )
    # The year to date TW3 is what the sum is: 8 / 10000 × 1000 = 0.8.
    assert _eval(folder, "2026-sd-TW3")["rasio"]["value"] == Decimal("0.8")
    # With TW4 reported (5 cases) the year has its rate and capaian: 13 / 10000 × 1000 =
    # 1.3, capaian (2 × 1 − 1.3) / 1 × 100 = 70.00.
    with (folder / "realisasi.csv").open("a", encoding="utf-8") as file:
        file.write("kasus,2026-TW4,5\n")
    rate = _eval(folder, "2026")["rasio"]
    assert (rate["value"], rate["capaian"]) == (Decimal("1.3"), Decimal("70.00"))


LEVEL = """
[[source]]
id = "register_psks"
kind = "register"
format = "csv"
path = "register_psks.csv"
time = "state"
date_column = "tanggal"
columns = { id_psks = "identifier", tanggal = "date" }

  [[sasaran.indikator]]
  id = "psks"
  name = "Jumlah PSKS terdaftar"
  unit = "Lembaga"
  iku = true
  formula = "Σ register_psks"
  targets = { 2026 = 14 }
  triwulan_targets = { "2026-TW1" = 10, "2026-TW2" = 12, "2026-TW3" = 13, "2026-TW4" = 14 }
"""


def test_a_level_to_date_is_against_the_level_to_reach_by_then(tmp_path: Path) -> None:
    # 8 PSKS registered in January, 3 more in May: 11 registered by 30 June (a register is
    # a state: the rows registered by the period's end). The triwulan targets are levels
    # (10, 12, 13, 14 by the end of each). To TW2, 11 was compared with 10 + 12 = 22:
    # 11 / 22 × 100 = 50.00, Sangat Rendah; it is 11 / 12 × 100 = 91.67, Sangat Tinggi,
    # as 2026-TW2 alone gives.
    folder = tmp_path / "office"
    folder.mkdir()
    office = OFFICE.replace('"Kasus"]', '"Kasus", "Lembaga"]')
    office += 'Lembaga = { dimension = "lembaga", whole = true }\n'
    (folder / "definitions.toml").write_text(office + CASCADE + LEVEL, encoding="utf-8")
    rows = [f"P{i},2026-01-15" for i in range(8)] + [f"Q{i},2026-05-10" for i in range(3)]
    (folder / "register_psks.csv").write_text(
        "\n".join(["id_psks,tanggal", *rows]) + "\n", encoding="utf-8"
    )
    to_tw2 = _eval(folder, "2026-sd-TW2")["psks"]
    assert (to_tw2["value"], to_tw2["target"], to_tw2["capaian"]) == (11, 12, Decimal("91.67"))
    assert to_tw2["predikat"] == "Sangat Tinggi"
    assert _eval(folder, "2026-TW2")["psks"]["capaian"] == Decimal("91.67")
    # to TW1: 8 / 10 × 100 = 80.00; the year: 11 / 14 × 100 = 78.57 (the annual target)
    assert _eval(folder, "2026-sd-TW1")["psks"]["capaian"] == Decimal("80.00")
    assert _eval(folder, "2026")["psks"]["capaian"] == Decimal("78.57")


def _check(folder: Path) -> list[dict[str, Any]]:
    status, out = run("--lang", "en", "check", str(folder), "--format", "json")
    assert status == 0, out  # warnings only
    return [d for d in json.loads(out)["diagnostics"] if d["code"] == "targets-like-levels"]


def test_triwulan_targets_like_levels_of_a_summed_realisasi_are_warned(tmp_path: Path) -> None:
    # Targets 25, 50, 75, 100 by each triwulan's end and 100 for the year, the realisasi
    # read kumulatif: an office reporting the level reached (20, 45, 65, 90) would see
    # 20 + 45 + 65 + 90 = 220 against 100 for the year, 220.00, Sangat Tinggi.
    summed = LEVELS.replace('  capaian_method = "terakhir"\n', "")
    folder = _folder(tmp_path, summed, [])
    (warning,) = _check(folder)
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "the triwulan targets of indicator 'tertangani' for 2026 (25, 50, 75, 100) rise to the"
        " annual target 100, as levels reached do, but its realisasi is summed over the"
        " triwulan ('kumulatif'): reported as levels too, they would be added up (250 for"
        " the year against 100)"
    )
    assert warning["suggestion"] == (
        'declare capaian_method = "terakhir" if the realisasi is the level reached by each'
        " triwulan's end; else write each triwulan's own part (they then add up to 100)"
    )
    # read terakhir, or with each triwulan's own part (25 × 4 = 100), nothing is said
    (tmp_path / "terakhir").mkdir()
    assert _check(_folder(tmp_path / "terakhir", LEVELS, [])) == []
    parts = summed.replace('"2026-TW2" = 50, "2026-TW3" = 75, "2026-TW4" = 100',
                           '"2026-TW2" = 25, "2026-TW3" = 25, "2026-TW4" = 25')  # fmt: skip
    (tmp_path / "parts").mkdir()
    assert _check(_folder(tmp_path / "parts", parts, [])) == []
