"""``count a`` is how many items the list ``a`` has: of one number (a value, an input, a
measure's total) it is an error, at check time and at evaluation, never the number itself.

It used to give the number: ``count a`` with a = 2,5 was 2.5, and an indicator
``count [Nilai AKIP]`` read 76.05 while ``iku check`` found nothing wrong.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, office, run

from iku_rules import FormulaTypeError, evaluate
from iku_rules.engine import DefinitionError, Engine
from iku_rules.evaluator import compile_function

SHARE = "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'"
SKOR = 'formula = "bobot × [Nilai AKIP] + iku-tertangani / 100%"'
MESSAGE = "count counts the items of a list, but '{name}' is one number"
HINT = (
    "for the number itself write {name} without count; count is for the records of a register"
    ' or a list: count pegawai[nilai_skp = "baik"]'
)


@pytest.mark.parametrize("value", [Decimal("2.5"), 5, -3, 0.5, None])
def test_count_of_one_number_is_refused_by_evaluate(value: object) -> None:
    # was 2.5, 5, -3, 0.5 and "not available": the number itself, or nothing
    with pytest.raises(FormulaTypeError) as caught:
        evaluate("count a", {"a": value})
    assert caught.value.message == MESSAGE.format(name="a")
    assert caught.value.hint == HINT.format(name="a")
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_count_of_one_number_is_refused_by_compile_function() -> None:
    # compile_function("count a", ["a"])({"a": Decimal("2.5")}) was 2.5
    with pytest.raises(FormulaTypeError, match="count counts the items of a list"):
        compile_function("count a", ["a"])


@pytest.mark.parametrize(
    ("formula", "name", "column"),
    [
        ("count (a + b)", "a + b", 1),
        ("2 × count round(a, 1)", "round(a, 1)", 5),
        ("Σ r / count a", "a", 7),
    ],
)
def test_count_of_any_single_value_is_refused_at_its_place(
    formula: str, name: str, column: int
) -> None:
    with pytest.raises(FormulaTypeError) as caught:
        evaluate(formula, {"a": 1, "b": 2, "r": [1, 2]})
    assert caught.value.message == MESSAGE.format(name=name)
    assert caught.value.column == column


RECORDS = [{"k": 1}, {"k": 2}, {"k": None}]


@pytest.mark.parametrize(
    ("formula", "values", "expected"),
    [
        ("count a", {"a": [1, None, 3]}, 2),  # the present items: 1 and 3
        ("count a", {"a": []}, 0),  # an empty list has no items
        ("count a", {"a": [Decimal("2.5")]}, 1),  # one item, whatever its value
        ("count r", {"r": RECORDS}, 3),  # three records
        ("count r[k > 1]", {"r": RECORDS}, 1),  # only k = 2 passes (None does not)
        ("count r.k", {"r": RECORDS}, 2),  # the fields present: 1 and 2
        ("count r / count a × 100%", {"r": RECORDS, "a": [1, 2, 3, 4]}, 75),  # 3 / 4 = 75 %
    ],
)
def test_count_of_a_list_or_records_still_counts(
    formula: str, values: dict[str, object], expected: int
) -> None:
    assert evaluate(formula, values).value == expected


def check_lines(tmp_path: Path, old: str, new: str) -> list[str]:
    """What ``iku check`` prints for the small office with ``old`` made ``new`` (the
    folder's path taken off, the count of errors left out)."""
    folder = office(tmp_path)
    edit(folder, old, new)
    status, out = run("check", str(folder))
    assert status == 1
    return [line.replace(f"{folder}/", "") for line in out.splitlines()][:-1]


def test_iku_check_refuses_count_of_an_input_at_its_place(tmp_path: Path) -> None:
    # the formula starts in column 14 of line 45; 'bobot × ' is 8 characters before count
    lines = check_lines(
        tmp_path, SKOR, 'formula = "bobot × count [Nilai AKIP] + iku-tertangani / 100%"'
    )
    assert lines == [
        "definitions.toml:45:22: error: in the formula of indicator 'skor': "
        + MESSAGE.format(name="Nilai AKIP")
        + "; "
        + HINT.format(name="Nilai AKIP")
    ]


def test_iku_check_refuses_count_of_a_measure(tmp_path: Path) -> None:
    # PMKS is a measure: one number (a count_distinct already), not a list to count
    lines = check_lines(tmp_path, SHARE, "formula = 'count PMKS / Σ register_pmks × 100%'")
    assert len(lines) == 1
    assert lines[0].startswith(
        "definitions.toml:39:14: error: in the formula of indicator 'anak-share': "
        + MESSAGE.format(name="PMKS")
    )


def test_the_engine_refuses_to_start_on_count_of_an_input(tmp_path: Path) -> None:
    # it used to read 76.05 for 2026: the input Nilai AKIP itself
    folder = office(tmp_path)
    edit(folder, SKOR, 'formula = "count [Nilai AKIP]"')
    with pytest.raises(DefinitionError, match="count counts the items of a list"):
        Engine(folder, folder, backend="python")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_count_of_a_register_still_counts_in_the_engine(tmp_path: Path, backend: str) -> None:
    # 2026 (state register: rows up to 31 December 2026): 5 people, 2 of them Anak
    # Terlantar (2025-03-01 and 2026-03-15); 2 / 5 × 100% = 40 %
    folder = office(tmp_path)
    edit(
        folder,
        SHARE,
        'formula = \'count register_pmks[kategori = "Anak Terlantar"]'
        " / count register_pmks × 100%'",
    )
    status, out = run("check", str(folder))
    assert status == 0, out
    with Engine(folder, folder, backend=backend) as engine:
        assert engine.evaluate("2026").get("anak-share").value == 40


def test_iku_formula_refuses_count_of_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run("formula", "count a", "--set", "a=2.5")
    assert status == 1 and out == ""
    assert MESSAGE.format(name="a") in capsys.readouterr().err
