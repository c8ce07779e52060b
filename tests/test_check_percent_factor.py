"""`iku check` says why a Persen indicator's formula with `× 100%` in it is no percentage, and
how to write it. By the unit rules (iku_rules.units) `× 100%` makes a percentage of a ratio
only: `A / B × 100% × 2` is 25 % of 2, the plain number 0,5, and `A / B × 2 × 100%` is 100 %
of 0,5 (a ratio times 2 is a plain number); `2 × A / B × 100%` is 50 %."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import edit, office, run

SHARE = 'Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%'
"""The mini office's anak-share: 2 of the 5 PMKS registered by the end of 2026 are Anak
Terlantar (2 / 5 × 100% = 40 %)."""


def diagnostic(tmp_path: Path, formula: str) -> tuple[Path, dict[str, Any]]:
    folder = office(tmp_path)
    edit(folder, f"formula = '{SHARE}'", f"formula = '{formula}'")
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 1, text
    (found,) = [d for d in json.loads(text)["diagnostics"] if d["code"] == "not-a-percentage"]
    return folder, found


def test_times_two_after_the_percentage_says_why_and_the_formula_to_write(
    tmp_path: Path,
) -> None:
    folder, found = diagnostic(tmp_path, SHARE + " × 2")
    assert found["message"] == (
        "indicator 'anak-share' is measured in Persen, but its formula gives a plain number,"
        f" not a percentage: '{SHARE}' is a percentage, and a percentage multiplied by a plain"
        " number (× 2) is that share of the number (25% × 2 is 0.5), not a percentage"
    )
    written = '2 × Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%'
    assert found["suggestion"] == (
        "multiply before dividing, so that × 100% comes last and multiplies the ratio:"
        f" write {written}"
    )
    # Written as suggested, it is a percentage: 2 × 2 / 5 × 100% = 80 %.
    edit(folder, f"formula = '{SHARE} × 2'", f"formula = '{written}'")
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--format", "json")  # fmt: skip
    assert status == 0, text
    rows = json.loads(text, parse_float=Decimal)
    row = next(row for row in rows if row["id"] == "anak-share")
    assert (row["value"], row["unit"]) == (Decimal(80), "%")


def test_times_two_before_the_percent_says_the_ratio_became_a_plain_number(
    tmp_path: Path,
) -> None:
    ratio = 'Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks'
    _, found = diagnostic(tmp_path, f"{ratio} × 2 × 100%")
    assert found["message"].endswith(
        "not a percentage: 100% makes a percentage only of a ratio (the result of a"
        f" division), but here it multiplies '{ratio} × 2', which is a plain number (a ratio"
        " multiplied by a plain number is one), so it takes 100% of it"
    )
    assert found["suggestion"].endswith(f"write 2 × {ratio} × 100%")


def test_a_count_times_100_percent_is_told_to_divide_by_the_whole(tmp_path: Path) -> None:
    _, found = diagnostic(tmp_path, "Σ register_pmks × 100%")
    assert found["message"].endswith(
        "not a percentage: 100% makes a percentage only of a ratio (the result of a"
        " division), but here it multiplies 'Σ register_pmks', a plain number, so it takes"
        " 100% of it (200 × 10% is 20)"
    )
    assert found["suggestion"] == (
        "a percentage is a share of a whole: divide by the whole, then multiply by 100%:"
        " e.g. Σ a / Σ b × 100%"
    )


def test_a_fraction_with_100_percent_in_it_is_not_told_to_multiply_by_100_percent(
    tmp_path: Path,
) -> None:
    # 25 % × 2 is the plain number 0,5; divided by 4 it is a fraction, not a percentage.
    _, found = diagnostic(tmp_path, SHARE + " × 2 / 4")
    assert found["message"].startswith(
        "indicator 'anak-share' is measured in Persen, but its formula gives a fraction (a"
        f" ratio), not a percentage: '{SHARE}' is a percentage"
    )
    assert found["suggestion"].endswith(
        'write 2 × Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks / 4 × 100%'
    )


def test_a_ratio_without_100_percent_keeps_its_message(tmp_path: Path) -> None:
    _, found = diagnostic(
        tmp_path, 'Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks'
    )
    assert found["message"] == (
        "indicator 'anak-share' is measured in Persen, but its formula gives a fraction (a"
        " ratio), not a percentage"
    )
    assert found["suggestion"] == "multiply the ratio by 100%: … × 100%"
