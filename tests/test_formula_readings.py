"""Formulas a planner writes that could be read two ways: each is read the way a planner
reading it would, or refused with both readings, never silently read the other way."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules import FormulaError, UnitError, evaluate
from tests.helpers import edit, office, run

COUNTS = {"A": [40], "B": [160]}


@pytest.mark.parametrize(
    "formula",
    [
        "Σ A × 100% / Σ B",
        "Σ A x 100% : Σ B",
        "Σ A dikali 100% dibagi Σ B",
        "100% × Σ A / Σ B",
    ],
)
def test_a_percent_multiplied_in_before_the_division_is_refused(formula: str) -> None:
    # A planner means 40 / 160 × 100% = 25 %; read left to right, (40 × 100%) is the plain
    # number 40 and 40 / 160 the fraction 0.25, shown without '%': refused, both readings shown.
    with pytest.raises(UnitError) as caught:
        evaluate(formula, COUNTS)
    message = str(caught.value)
    assert "Σ A / Σ B × 100%" in message
    assert "100%) / Σ B" in message or "(100% × Σ A) / Σ B" in message
    assert "^" in message  # a caret under the place


def test_the_two_readings_written_out_are_read_as_written() -> None:
    # Σ A / Σ B × 100% = 40 / 160 × 100% = 25 %
    result = evaluate("Σ A / Σ B × 100%", COUNTS)
    assert (result.value, result.unit) == (Decimal(25), "%")
    # (Σ A × 100%) / Σ B: the parentheses say the fraction is meant: 40 / 160 = 0.25
    result = evaluate("(Σ A × 100%) / Σ B", COUNTS)
    assert (result.value, result.unit) == (Decimal("0.25"), None)


@pytest.mark.parametrize(
    ("formula", "expected", "unit"),
    [
        ("Anggaran × 10%", Decimal(20), None),  # 200 × 10% = 20, a tenth of 200
        ("Anggaran / Bulan × 10%", Decimal("250.0"), "%"),  # 200 / 8 = 25, × 10% = 2.5 = 250 %
        ("Anggaran × 10% / 50%", Decimal(40), None),  # 20 / 50% = 40: divides by a percentage
        ("Anggaran × 10% × 2", Decimal(40), None),  # no division: 200 × 10% × 2 = 40
    ],
)
def test_a_percent_of_a_number_without_a_later_division_is_unchanged(
    formula: str, expected: Decimal, unit: str | None
) -> None:
    result = evaluate(formula, {"Anggaran": 200, "Bulan": 8})
    assert (result.value, result.unit) == (expected, unit)


def test_iku_formula_shows_the_place_and_both_readings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(
        "formula", "PMKS yang Tertangani x 100% / PMKS", "--set", "PMKS yang Tertangani=40",
        "--set", "PMKS=160", "--lang", "en",
    )  # fmt: skip
    assert status != 0
    shown = out + capsys.readouterr().err
    assert "(PMKS yang Tertangani × 100%) / PMKS" in shown
    assert "PMKS yang Tertangani / PMKS × 100%" in shown
    assert "\n" + " " * 25 + "^^^^\n" in shown  # under 100%, after 2 + 23 characters


def test_iku_check_refuses_it_on_a_percent_indicator(tmp_path: Path) -> None:
    # Before: "indicator ... gives a fraction (a ratio) ... multiply the ratio by 100%",
    # which the formula already does; now the message names the place and both readings.
    folder = office(tmp_path)
    edit(folder, "Σ PMKS tertangani / Σ PMKS × 100%", "Σ PMKS tertangani × 100% / Σ PMKS")
    status, out = run("check", str(folder), "--lang", "en")
    assert status != 0
    assert "Σ PMKS tertangani / Σ PMKS × 100%" in out


SLASHED = {"PMKS/PPKS": 12, "PMKS": 30, "PPKS": 6}


@pytest.mark.parametrize("formula", ["PMKS/PPKS", "Σ PMKS/PPKS × 100%", "PMKS:PPKS"])
def test_a_bare_name_with_a_slash_that_is_also_a_division_is_refused(formula: str) -> None:
    # With a value named 'PMKS/PPKS' (12), a planner writing PMKS/PPKS means 12; it was read as
    # PMKS / PPKS = 30 / 6 = 5 (Σ PMKS/PPKS × 100%: 500 % for 1200 %), without a word.
    values = {**SLASHED, "PMKS:PPKS": 12}
    with pytest.raises(FormulaError) as caught:
        evaluate(formula, values)
    message = str(caught.value)
    assert "[PMKS" in message
    assert "^" in message


def test_the_name_in_brackets_and_the_division_with_spaces_are_read_as_written() -> None:
    assert evaluate("[PMKS/PPKS]", SLASHED).value == 12  # the value named PMKS/PPKS
    assert evaluate("PMKS / PPKS", SLASHED).value == 5  # 30 / 6
    assert evaluate("PMKS/PPKS", {"PMKS": 30, "PPKS": 6}).value == 5  # no such name: divides


def test_iku_check_refuses_a_bare_slashed_name(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, "Σ PMKS tertangani / Σ PMKS × 100%", "PMKS/PPKS / PMKS × 100%")
    measure = '[[measure]]\nname = "{}"\nsource = "register_pmks"\naggregate = "count"\n'
    path = folder / "definitions.toml"
    extra = "\n" + measure.format("PMKS/PPKS") + "\n" + measure.format("PPKS")
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    status, out = run("check", str(folder), "--lang", "en")
    assert status != 0
    assert "[PMKS/PPKS]" in out
