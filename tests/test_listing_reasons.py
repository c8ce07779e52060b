"""The text listing of ``iku eval`` says why the whole area's capaian is not available where
its targets are there but cannot be compared, as the CSV's capaian_reason does: triwulan
targets mixing a threshold with numbers ("≤ 2", 3, 3, 2) have no sum to TW2."""

from __future__ import annotations

from pathlib import Path

from helpers import CASCADE, run

DEFINITIONS = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Kasus"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "kasus"
  name = "Kasus"
  unit = "Kasus"
  polarity = "negatif"
  formula = "realisasi"
  targets = { 2026 = 10 }
  triwulan_targets = { "2026-TW1" = "≤ 2", "2026-TW2" = 3, "2026-TW3" = 3, "2026-TW4" = 2 }

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }
"""
)


def test_targets_mixing_a_threshold_with_numbers_say_why_there_is_no_capaian(
    tmp_path: Path,
) -> None:
    (tmp_path / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(
        "indikator;periode;nilai\nkasus;2026-TW1;1\nkasus;2026-TW2;2\n", encoding="utf-8"
    )
    status, output = run("--lang", "en", "eval", str(tmp_path), "--data", str(tmp_path),
                         "--period", "2026-sd-TW2")  # fmt: skip
    assert status == 0, output
    # 1 + 2 = 3 cases to TW2; "≤ 2" + 3 has no sum, so no capaian, and the line says why
    # where it said nothing after "3 Kasus".
    line = next(line for line in output.splitlines() if line.strip().startswith("kasus"))
    assert line.split()[:3] == ["kasus", "3", "Kasus"]
    assert line.endswith(
        "(the targets to add up mix thresholds and numbers (a number, ≤); a threshold adds"
        " only to thresholds of the same kind)"
    )
