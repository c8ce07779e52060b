"""A formula that divides by a denominator that is 0 whatever the data (`Σ a / 0`,
`Σ a / (2 - 2)`, `Σ a / (1 - bobot × 2)` with bobot 0,5) never has a value: `iku check`
refuses it at the denominator, where it passed and every evaluation said only 'not
available'."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office, run

KENAIKAN = 'formula = "PMKS tertangani - sebelumnya(PMKS tertangani)"'


def check(tmp_path: Path, formula: str) -> tuple[int, list[dict[str, object]]]:
    folder = office(tmp_path)
    edit(folder, KENAIKAN, f"formula = '{formula}'")
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    errors = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    return status, errors


@pytest.mark.parametrize(
    ("formula", "denominator", "column"),
    [
        ("Σ register_pmks / 0", "0", 32),
        ("Σ register_pmks / (2 - 2)", "2 - 2", 33),
        ("Σ register_pmks / (1 - bobot × 2)", "1 - bobot × 2", 33),
    ],
)
def test_a_denominator_always_0_is_refused_where_it_stands(
    tmp_path: Path, formula: str, denominator: str, column: int
) -> None:
    status, errors = check(tmp_path, formula)
    assert status == 1
    (found,) = errors
    assert found["code"] == "zero-denominator"
    assert found["message"] == (
        f"in the formula of indicator 'kenaikan' the denominator '{denominator}' is always 0,"
        " so the indicator never has a value"
    )
    assert (found["line"], found["column"]) == (51, column)


def test_a_constant_denominator_that_is_not_0_is_computed_exactly(tmp_path: Path) -> None:
    # 5 PMKS registered by the end of 2026: 5 / 0,5 = 10, and 5 / 3 × 3 = 5 exactly
    for formula, expected in (("Σ register_pmks / 0,5", 10), ("Σ register_pmks / 3 × 3", 5)):
        status, errors = check(tmp_path / str(expected), formula)
        assert (status, errors) == (0, [])
        folder = tmp_path / str(expected) / "office"
        status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                           "--format", "json")  # fmt: skip
        assert status == 0, text
        rows = json.loads(text, parse_float=Decimal)
        assert next(r for r in rows if r["id"] == "kenaikan")["value"] == Decimal(expected)
