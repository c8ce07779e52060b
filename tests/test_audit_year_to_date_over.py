"""A year to date whose last triwulan is not reported, in a period over on the day of the
evaluation: its sum counts that triwulan as none (the note beside it says so), and where
higher is better its capaian is against the targets of every triwulan of the period, as the
year's is, never against those up to the last triwulan reported (876 to TW3 against 900
read 97,33 % for 2026-sd-TW4 beside 73 % for 2026, the same months). A period not over is
still compared to the last triwulan reported (its data stop there), and where lower is
better too (counting the triwulan as none would flatter it). Every expected number is
computed by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import CASCADE, run

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

[rules]
triwulan = "kumulatif"

"""

INDICATOR = """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  iku = true
  polarity = "{polarity}"
  formula = "realisasi"
  targets = {{ 2026 = 100 }}
  triwulan_targets = {{ "2026-TW1" = 25, "2026-TW2" = 25, "2026-TW3" = 25, "2026-TW4" = 25 }}
"""

SOURCE = """
[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""


def _folder(tmp_path: Path, rows: dict[int, int], polarity: str = "positif") -> Path:
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    indicator = INDICATOR.format(polarity=polarity)
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + indicator + SOURCE, encoding="utf-8"
    )
    lines = ["indikator,periode,nilai", *(f"dilayani,2026-TW{q},{v}" for q, v in rows.items())]
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _row(folder: Path, period: str, today: str) -> dict[str, Any]:
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", period, "--format", "json", "--today", today)  # fmt: skip
    assert status == 0, out
    found: dict[str, Any] = json.loads(out, parse_float=Decimal)[0]
    return found


def _figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["value"], row["target"], row["capaian"], row["predikat"]


def test_a_year_to_date_over_is_against_every_triwulan_target(tmp_path: Path) -> None:
    # TW1 20, TW2 30, TW3 35, TW4 not reported, evaluated in 2027: 2026 and 2026-sd-TW4
    # cover the same months. 20 + 30 + 35 = 85 against 25 × 4 = 100: 85.00, Tinggi, for
    # both (it was 85 against 75, 113.33, Sangat Tinggi, for 2026-sd-TW4).
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35})
    year = _row(folder, "2026", "2027-01-15")
    to_date = _row(folder, "2026-sd-TW4", "2027-01-15")
    assert _figures(year) == (85, 100, Decimal("85.00"), "Tinggi")
    assert _figures(to_date) == (85, 100, Decimal("85.00"), "Tinggi")
    assert "2026-TW4 is not reported" in to_date["note"]
    # 2026-sd-TW3 with TW3 not reported, on 1 November (TW3 over): 20 + 30 = 50 against
    # 25 × 3 = 75, 66.67, Sedang (it was 50 against 50, 100.00)
    folder = _folder(tmp_path / "tw3", {1: 20, 2: 30})
    row = _row(folder, "2026-sd-TW3", "2026-11-01")
    assert _figures(row) == (50, 75, Decimal("66.67"), "Sedang")
    assert "2026-TW3 is not reported" in row["note"]


def test_a_year_to_date_not_over_is_to_the_last_triwulan_reported(tmp_path: Path) -> None:
    # on 20 December 2026 the data stop at TW3: 85 against 25 × 3 = 75, 113.33 (provisional)
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35})
    row = _row(folder, "2026-sd-TW4", "2026-12-20")
    assert _figures(row) == (85, 75, Decimal("113.33"), "Sangat Tinggi")
    assert row["provisional"] is True


def test_where_lower_is_better_the_missing_triwulan_is_not_counted_as_none(
    tmp_path: Path,
) -> None:
    # cases 20, 30, 35, TW4 not reported, negatif (selisih): to TW3, 85 against 75:
    # (2 × 75 − 85) / 75 × 100 = 86.67 (counting TW4 as none against 100 would read 115)
    folder = _folder(tmp_path, {1: 20, 2: 30, 3: 35}, "negatif")
    row = _row(folder, "2026-sd-TW4", "2027-01-15")
    assert _figures(row) == (85, 75, Decimal("86.67"), "Tinggi")


def test_a_level_not_reported_at_the_end_of_a_period_over_is_against_its_last_target(
    tmp_path: Path,
) -> None:
    # read terakhir, targets rising as levels (25, 50, 75, 100): TW1 20, TW2 45, TW3 and
    # TW4 not reported, evaluated in 2027. The value is TW2's level, 45, marked so; to TW4
    # it is against TW4's target, 100: 45.00, Sangat Rendah, as 2026 against 100 (it was
    # against TW2's 50, 90.00, Tinggi)
    folder = _folder(tmp_path, {1: 20, 2: 45})
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8").replace(
        '"2026-TW2" = 25, "2026-TW3" = 25, "2026-TW4" = 25 }',
        '"2026-TW2" = 50, "2026-TW3" = 75, "2026-TW4" = 100 }\n  capaian_method = "terakhir"',
    )
    definitions.write_text(text, encoding="utf-8")
    year = _row(folder, "2026", "2027-01-15")
    to_date = _row(folder, "2026-sd-TW4", "2027-01-15")
    assert _figures(year) == (45, 100, Decimal("45.00"), "Sangat Rendah")
    assert _figures(to_date) == (45, 100, Decimal("45.00"), "Sangat Rendah")
    assert "2026-TW4 is not reported" in to_date["note"]
    # on 20 December 2026 (not over): 45 against TW2's 50, 90.00, provisional
    row = _row(folder, "2026-sd-TW4", "2026-12-20")
    assert _figures(row) == (45, 50, Decimal("90.00"), "Tinggi")
