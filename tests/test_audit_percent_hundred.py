"""A formula that divides by 100 and multiplies by 100% gives a hundredth of the percentage,
and one that divides by a denominator divided by 100 gives a hundred times it: `iku check`
refuses both at the 100, with the way to write each reading."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office, run

A = 'Σ register_pmks[kategori = "Anak Terlantar"]'
B = "Σ register_pmks"
SHARE = f"{A} / {B} × 100%"
"""2 of the 5 PMKS registered by the end of 2026 are Anak Terlantar: 2 / 5 × 100% = 40 %."""


def diagnostics(tmp_path: Path, formula: str) -> list[dict[str, object]]:
    folder = office(tmp_path)
    edit(folder, f"formula = '{SHARE}'", f"formula = '{formula}'")
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    found = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    assert status == (1 if found else 0), text
    return found


@pytest.mark.parametrize(
    "formula",
    [
        f"{A} / ({B} × 100) × 100%",  # 2 / (5 × 100) × 100% = 0,4 %, not 40 %
        f"({A} / {B}) / 100 × 100%",  # 2 / 5 / 100 × 100% = 0,4 %
        f"{A} / 100 / {B} × 100%",  # 0,4 %
        f"{A} / {B} × 100% / 100",  # 0,4 %
    ],
)
def test_dividing_by_100_beside_100_percent_is_refused_at_the_100(
    tmp_path: Path, formula: str
) -> None:
    (found,) = diagnostics(tmp_path, formula)
    assert found["code"] == "percent-twice"
    assert found["message"] == (
        f"in the formula of indicator 'anak-share': '{formula}' divides by 100 and multiplies"
        " by 100%: 100% already makes the percentage of a ratio, so dividing by 100 as well"
        " gives a hundredth of the percentage (0.368 % for 36.8 %)"
    )
    assert found["suggestion"] == (
        "for the percentage of the ratio, remove this 100: Σ a / Σ b × 100%; where the ratio"
        " is already in points of a percentage (85 for 85 %), write × 1% in place of"
        " / 100 × 100%"
    )
    # the formula starts at column 14 of line 39 ("  formula = '"); the caret at its 100
    hundred = re.search(r"100(?!%)", formula)
    assert hundred is not None
    assert (found["line"], found["column"]) == (39, 14 + hundred.start())


def test_dividing_by_a_denominator_divided_by_100_is_refused(tmp_path: Path) -> None:
    # 2 / (5 / 100) × 100% = 4000 %, a hundred times the 40 % meant
    formula = f"{A} / ({B} / 100) × 100%"
    (found,) = diagnostics(tmp_path, formula)
    assert found["code"] == "percent-twice"
    assert "multiplies by both 100 and 100%" in str(found["message"])


def test_the_percentage_written_once_is_left_alone(tmp_path: Path) -> None:
    folder = office(tmp_path)
    assert diagnostics(tmp_path / "b", SHARE) == []
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--format", "json")  # fmt: skip
    assert status == 0, text
    row = next(r for r in json.loads(text, parse_float=Decimal) if r["id"] == "anak-share")
    assert row["value"] == Decimal(40)  # 2 / 5 × 100%
