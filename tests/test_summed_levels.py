"""A realisasi reported as levels (posyandu aktif at the end of each triwulan) or as totals
so far (*s.d. triwulan*), in an indicator that does not say so (``capaian_method =
"terakhir"``), is summed over the year: 44 + 46 + 48 + 48 = 186 posyandu against a target of
50 (372 %), where the year's value is 48. The value is kept as the definitions ask, and
marked with the fix wherever it is shown; a flow in proportion to its target is not. Every
expected number is computed by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import CASCADE, run
from test_audit_skipped_triwulan import OFFICE, SOURCE, workspace_mark

INDICATOR = """
  [[sasaran.indikator]]
  id = "posyandu"
  name = "Jumlah posyandu aktif"
  unit = "Orang"
  iku = true
  formula = "realisasi"
  targets = { 2026 = TARGET }
"""

LEVELS = (
    "the realisasi of posyandu over 2026 is the sum 44 + 46 + 48 + 48 = 186 against a target"
    " of 50; if each triwulan reports the level reached or the total so far, not what was"
    " added in it, the period's value is its last triwulan (48): write capaian_method ="
    ' "terakhir"'
)


def _folder(tmp_path: Path, values: list[int], target: int = 50, method: str = "") -> Path:
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    indicator = INDICATOR.replace("TARGET", str(target)) + method
    (folder / "definitions.toml").write_text(
        OFFICE + CASCADE + indicator + SOURCE, encoding="utf-8"
    )
    lines = ["indikator,periode,nilai"]
    lines += [f"posyandu,2026-TW{q},{v}" for q, v in enumerate(values, start=1)]
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _eval(folder: Path, form: str, period: str = "2026") -> str:
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", period, "--format", form, "--today", "2027-01-15")  # fmt: skip
    assert status == 0, out
    return out


def _row(folder: Path, period: str = "2026") -> dict[str, Any]:
    found: dict[str, Any] = json.loads(_eval(folder, "json", period), parse_float=Decimal)[0]
    return found


def test_levels_summed_are_marked_with_the_fix(tmp_path: Path) -> None:
    # 44 + 46 + 48 + 48 = 186 against 50: 186 / 50 × 100 = 372.00, as the definitions ask
    folder = _folder(tmp_path, [44, 46, 48, 48])
    row = _row(folder)
    assert (row["value"], row["capaian"], row["note"]) == (186, Decimal("372.00"), LEVELS)
    text = _eval(folder, "text")
    assert "  posyandu    186 Orang          50      372 %  Sangat Tinggi ⚠\n" in text
    assert f"⚠ {LEVELS}; it concerns posyandu" in " ".join(text.split())  # lines wrapped
    assert workspace_mark(folder) == LEVELS


def test_the_fix_it_names_gives_the_level(tmp_path: Path) -> None:
    # read terakhir: the year is TW4's 48 against 50, 48 / 50 × 100 = 96.00, nothing said
    folder = _folder(tmp_path, [44, 46, 48, 48], method='  capaian_method = "terakhir"\n')
    row = _row(folder)
    assert (row["value"], row["capaian"], row["note"]) == (48, Decimal("96.00"), None)


def test_totals_so_far_are_marked(tmp_path: Path) -> None:
    # s.d. triwulan 20, 45, 70, 100 against 100: summed 235 (235.00), where the year is 100
    row = _row(_folder(tmp_path, [20, 45, 70, 100], target=100))
    assert (row["value"], row["capaian"]) == (235, Decimal("235.00"))
    assert row["note"].startswith(
        "the realisasi of posyandu over 2026 is the sum 20 + 45 + 70 + 100 = 235 against a"
        " target of 100;"
    )
    assert "its last triwulan (100)" in row["note"]


def test_a_level_that_falls_is_marked(tmp_path: Path) -> None:
    # 48, 46, 44, 40 against 50: each at least 25, their sum 178 at least 75
    assert _row(_folder(tmp_path, [48, 46, 44, 40]))["note"] is not None


def test_flows_in_proportion_are_not_marked(tmp_path: Path) -> None:
    # 12 + 12 + 13 + 13 = 50 against 50 (100.00): the last, 13, is under half of 50
    row = _row(_folder(tmp_path / "steady", [12, 12, 13, 13]))
    assert (row["value"], row["capaian"], row["note"]) == (50, Decimal("100.00"), None)
    # 30, 20, 40, 35 against 50: 125, neither rising nor every one at least 25
    assert _row(_folder(tmp_path / "uneven", [30, 20, 40, 35]))["note"] is None
    # 20 + 25 = 45 to TW2 against 50: a sum under 75
    assert _row(_folder(tmp_path / "half", [20, 25]), "2026-sd-TW2")["note"] is None


def test_one_triwulan_is_never_a_sum(tmp_path: Path) -> None:
    # TW4 alone: 48 against the triwulan's own reading, no sum, no mark
    folder = _folder(tmp_path, [44, 46, 48, 48])
    assert _row(folder, "2026-TW4")["note"] is None


def test_the_report_says_it_in_its_notes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [44, 46, 48, 48])
    out = tmp_path / "lkjip.md"
    status, said = run("--lang", "en", "report", str(folder), "--data", str(folder),
                       "--period", "2026", "--format", "md", "-o", str(out),
                       "--today", "2027-01-15")  # fmt: skip
    assert status == 0, said
    markdown = out.read_text(encoding="utf-8")
    # the IKU table's row: 186 and 372.00 beside the note
    row = f"| 1 | Sasaran | Jumlah posyandu aktif | Orang | 50 | 186 | 372.00 | Sangat Tinggi | {LEVELS} |"
    assert row in markdown


STALE = (
    "the realisasi of posyandu for 2026-TW4 is not reported, so its value for 2026 is the"
    " level of 2026-TW3; report 2026-TW4"
)

TERAKHIR = '  capaian_method = "terakhir"\n'


def test_a_level_whose_last_triwulan_is_not_reported_is_marked(tmp_path: Path) -> None:
    # read terakhir, 44, 46, 48 and no TW4 in 2026 evaluated on 15 January 2027: the year's
    # value is TW3's 48 against 50 (96.00), where TW4's level is not known
    folder = _folder(tmp_path, [44, 46, 48], method=TERAKHIR)
    row = _row(folder)
    assert (row["value"], row["capaian"], row["note"]) == (48, Decimal("96.00"), STALE)
    text = " ".join(_eval(folder, "text").split())
    assert f"⚠ {STALE}; it concerns posyandu" in text
    assert workspace_mark(folder) == STALE


def test_a_level_is_not_marked_before_its_period_is_over(tmp_path: Path) -> None:
    # the same on 15 November 2026: 2026 is not over, its provisional note says so
    folder = _folder(tmp_path, [44, 46, 48], method=TERAKHIR)
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", "2026", "--format", "json", "--today", "2026-11-15")  # fmt: skip
    assert status == 0, out
    assert json.loads(out)[0]["note"] is None
    # and to TW3, reported: 48 for 2026-sd-TW3, nothing to say
    assert _row(folder, "2026-sd-TW3")["note"] is None
