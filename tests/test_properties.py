"""Property tests: round trips, fuzzing, and bounds that must always hold."""

from __future__ import annotations

import contextlib
from decimal import Decimal, localcontext

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from iku_rules import IkuError, evaluate, parse
from iku_rules.evaluator.values import CONTEXT
from iku_rules.formula import Formula
from iku_rules.printer import to_text
from iku_rules.testing import arithmetic, decimals, formulas


@given(formulas())
def test_canonical_text_parses_back_to_an_equal_formula(formula: Formula) -> None:
    text = str(formula)
    assert parse(text) == formula
    assert str(parse(text)) == text


FORMULA_ALPHABET = st.sampled_from(
    [
        *list("abxX019 .,%()[]+-*/×÷:=<>!\"'Σ∑\n\t_"),
        "dibagi",
        "dikali",
        "jumlah ",
        "total ",
        "if(",
        "min(",
        "round(",
        " in (",
        " and ",
        " not ",
        "100%",
        "55,33",
    ]
)


@given(st.lists(FORMULA_ALPHABET, max_size=40).map("".join))
def test_random_text_raises_only_iku_errors(text: str) -> None:
    try:
        formula = parse(text)
    except IkuError:
        return
    with contextlib.suppress(IkuError):
        evaluate(formula, {"a": 1, "b": 0, "ab": [1, 2], "x1": None})


@given(st.text(max_size=60))
def test_any_unicode_raises_only_iku_errors(text: str) -> None:
    with contextlib.suppress(IkuError):
        parse(text)


NAMES = ("a", "b", "c")


@given(
    arithmetic(NAMES),
    st.fixed_dictionaries(
        {
            name: st.one_of(st.none(), decimals(1000, 3), decimals(1000, 3).map(lambda d: -d))
            for name in NAMES
        }
    ),
)
def test_well_typed_arithmetic_gives_a_value_or_a_reason(
    body: object, values: dict[str, Decimal | None]
) -> None:
    formula = Formula(body)  # type: ignore[arg-type]
    result = evaluate(formula, values)
    assert (result.value is None) == (result.reason is not None)
    assert result.trace.text == to_text(formula.body)


RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "kategori": st.sampled_from(
                ["Anak Terlantar", "Fakir Miskin", "Lanjut Usia Terlantar"]
            ),
            "umur": st.one_of(st.none(), st.integers(0, 100)),
            "ditangani": st.sampled_from(["ya", "tidak"]),
        }
    ),
    max_size=30,
)
CONDITIONS = st.sampled_from(
    [
        'ditangani = "ya"',
        'kategori in ("Anak Terlantar", "Fakir Miskin") and umur < 18',
        "not (umur >= 60) or umur = 0",
        'kategori != "Fakir Miskin"',
    ]
)


@given(RECORDS, CONDITIONS)
def test_share_of_a_register_is_a_percentage_between_0_and_100(
    records: list[dict[str, object]], condition: str
) -> None:
    result = evaluate(f"Σ pmks[{condition}] / Σ pmks × 100%", {"pmks": records})
    if not records:
        assert result.value is None and result.reason is not None and "is 0" in result.reason
    else:
        assert result.unit == "%"
        assert result.value is not None and 0 <= result.value <= 100


@given(st.lists(decimals(10_000, 2), min_size=1), st.lists(decimals(10_000, 2), min_size=1))
def test_ratio_of_sums_is_not_a_sum_of_ratios(
    numerators: list[Decimal], denominators: list[Decimal]
) -> None:
    total = sum(denominators, Decimal(0))
    assume(total > 0)
    result = evaluate("Σ a / Σ b × 100%", {"a": numerators, "b": denominators})
    with localcontext(CONTEXT):
        expected = sum(numerators, Decimal(0)) / total * 100
    assert result.value == expected


@pytest.mark.parametrize("func", ["jumlah", "rata_rata"])
def test_a_call_named_like_an_aggregate_word_prints_back_under_an_aggregate(func: str) -> None:
    # Found by the property above: Σ jumlah(0, 0) read jumlah as a second aggregate word.
    formula = parse(f"Σ ({func}(1, 2))")
    assert str(formula) == f"Σ ({func}(1, 2))"
    assert parse(str(formula)) == formula
