"""Wrong numbers given in silence by the formula language: a quotient rounded to 50 digits
before it is multiplied back (so a half is rounded the wrong way), ``in (50%)`` comparing a
ratio with a percentage, a negative number of more than 28 digits cut in a filter, two
values given for one name, and a name given as records now and as numbers before. Every
expected number is computed by hand (Python's decimal module, exact where it ends)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from helpers import run

from iku_rules import evaluate
from iku_rules.decimals import round_half_away
from iku_rules.errors import EvaluationError, UnitError
from iku_rules.evaluator import compile_function


def _formula(text: str, *values: str) -> Decimal:
    """``iku formula TEXT --set ...``: the exact value of its JSON output."""
    argv = ["--lang", "en", "formula", text, "--format", "json"]
    for value in values:
        argv += ["--set", value]
    status, out = run(*argv)
    assert status == 0, out
    return Decimal(json.loads(out, parse_float=Decimal)["exact"])


def test_a_quotient_is_rounded_once_where_it_is_shown() -> None:
    # 780052.7 / 6 × 0.3 = 234015.81 / 6 = 39002.635 exactly: shown 39002.64 (half away).
    # With 780052.7 / 6 rounded to 50 digits first it was 39002.634999…9, shown 39002.63.
    value = evaluate("a / 6 × 0.3", {"a": Decimal("780052.7")}).value
    assert value == Decimal("39002.635")
    assert round_half_away(value, 2) == Decimal("39002.64")
    assert _formula("round(a / 6 × 0.3, 2)", "a=780052.7") == Decimal("39002.64")
    function = compile_function("round(a / 6 × 0.3, 2)", ["a"])
    assert function({"a": Decimal("780052.7")}) == Decimal("39002.64")
    # 3.3355 / 3 × 3 = 3.3355, to 3 places 3.336 (it was 3.33549…9, so 3.335).
    assert _formula("round(a / 3 × 3, 3)", "a=3.3355") == Decimal("3.336")
    assert compile_function("round(a / 3 × 3, 3)", ["a"])({"a": Decimal("3.3355")}) == Decimal(
        "3.336"
    )


def test_one_third_times_three_is_one() -> None:
    # 1 / 3 × 3 = 1: the value, and the condition that asks it (it was 0.99…9, and false).
    assert evaluate("a / 3 × 3", {"a": 1}).value == 1
    assert _formula("if(a / 3 × 3 = a, 1, 0)", "a=1") == 1
    assert compile_function("a / 3 × 3", ["a"])({"a": 1}) == 1


def test_in_compares_a_ratio_with_a_percentage_as_equals_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a / b = 1 / 2 is 50 %; 'in (50%)' compared 0.5 with 50 and gave 0 in silence, where
    # 'a / b = 50%' is refused: both are refused now.
    with pytest.raises(UnitError):
        evaluate("if(a / b in (50%), 1, 0)", {"a": 1, "b": 2})
    status, _ = run("--lang", "en", "formula", "if(a / b in (50%), 1, 0)", "--set", "a=1",
                    "--set", "b=2")  # fmt: skip
    assert status != 0 and "line 1, column 4" in capsys.readouterr().err
    # A percentage in a list of percentages, as before: 50 % is in (50).
    assert evaluate("if(a / b × 100% in (50), 1, 0)", {"a": 1, "b": 2}).value == 1


BIG = "1234567890123456789012345678901234567"  # 37 digits: more than the thread's 28


def test_a_long_negative_number_keeps_every_digit_in_a_filter_and_a_list() -> None:
    # -1234…567 cut to 28 digits was -1.234567890123456789012345679E+36: nothing equalled it.
    record = {"v": Decimal("-" + BIG)}
    assert evaluate(f"Σ r[v = -{BIG}]", {"r": [record]}).value == 1
    assert evaluate(f"Σ r[v in (-{BIG})]", {"r": [record]}).value == 1
    # -…568 < -…567: not greater (the cut number, -…6790E+8, was smaller than both)
    below = {"v": Decimal("-" + BIG[:-1] + "8")}
    assert evaluate(f"Σ r[v > -{BIG}]", {"r": [below]}).value == 0
    assert evaluate(f"if(a in (-{BIG}), 1, 0)", {"a": Decimal("-" + BIG)}).value == 1


def test_two_values_for_one_name_are_refused() -> None:
    # PMKS and pmks are one name: the formula read the last given (2) in silence.
    with pytest.raises(EvaluationError, match="one name"):
        evaluate("PMKS", {"PMKS": 1, "pmks": 2})
    with pytest.raises(EvaluationError, match="one name"):
        compile_function("PMKS", ["PMKS", "pmks"])
    with pytest.raises(EvaluationError, match="one name"):
        evaluate('Σ r[kode = "a"]', {"r": [{"kode": "a", "Kode": "b"}]})
    # é as one character or as e and an accent is one name
    assert evaluate("café", {"cafe\u0301": 7}).value == 7


def test_a_name_given_as_records_now_and_as_numbers_before_is_refused() -> None:
    # sebelumnya(Σ a) with a = [5, 6] before is 11; compiled for records it counted them: 2.
    with pytest.raises(EvaluationError, match="previous period"):
        evaluate("sebelumnya(Σ a)", {"a": [{"v": 1}]}, previous={"a": [5, 6]})
    # An empty list now serves as either: the records before are counted, 3.
    records = [{"v": 1}, {"v": 2}, {"v": 3}]
    assert evaluate("sebelumnya(Σ a)", {"a": []}, previous={"a": records}).value == 3
