"""A number given to the Python API with more significant digits than a formula computes with
(50) is refused, naming it: kept, it is rounded by the first operation on it, and
``(a + 1) - b`` with a = 10^59 + 0,5 and b = 10^59 gave 0 where the answer is 1,5."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iku_rules import evaluate
from iku_rules.errors import EvaluationError
from iku_rules.evaluator import compile_function
from iku_rules.i18n import use_language

LONG = Decimal("1" + "0" * 59 + ".5")
"""10^59 + 0,5: 61 significant digits."""

REFUSED = (
    "the value of 'a' has 61 significant digits, more than the 50 a formula computes with, so"
    " it would be rounded; round it to 50 digits, or give it in a larger unit (thousands,"
    " millions)"
)


def test_a_long_decimal_is_refused_by_evaluate_and_by_compile_function() -> None:
    values = {"a": LONG, "b": Decimal("1" + "0" * 59)}
    function = compile_function("(a + 1) - b", ["a", "b"])
    with use_language("en"):
        for run in (lambda: evaluate("(a + 1) - b", values).value, lambda: function(values)):
            with pytest.raises(EvaluationError) as raised:
                run()
            assert str(raised.value) == REFUSED


@pytest.mark.parametrize(
    "values",
    [{"a": 10**60 + 5}, {"a": [Decimal(1), LONG]}],
)
def test_a_long_whole_number_or_a_long_item_of_a_list_is_refused(values: dict[str, object]) -> None:
    formula = "Σ a" if isinstance(values["a"], list) else "a + 0"
    with use_language("en"), pytest.raises(EvaluationError) as raised:
        evaluate(formula, values)
    assert "significant digits, more than the 50 a formula computes with" in str(raised.value)


def test_a_long_field_of_a_record_is_refused() -> None:
    with use_language("en"), pytest.raises(EvaluationError) as raised:
        evaluate("Σ r.nilai", {"r": [{"nilai": LONG}]})
    assert str(raised.value).startswith(
        "the value of field 'nilai' of 'r' has 61 significant digits"
    )


@pytest.mark.parametrize("given", [10**60, Decimal("1" + "0" * 60), Decimal("1" * 50)])
def test_a_number_of_at_most_50_significant_digits_is_kept(given: object) -> None:
    # 10^60 has one significant digit (its zeros are kept by the exponent); 50 ones has 50
    function = compile_function("a + 0", ["a"])
    assert evaluate("a + 0", {"a": given}).value == Decimal(given)
    assert function({"a": given}) == Decimal(given)


def test_half_digits_below_the_limit_keep_a_sum_exact() -> None:
    # (10^48 + 0,5 + 1) - 10^48 = 1,5: 50 digits, computed exactly
    values = {"a": Decimal("1" + "0" * 48 + ".5"), "b": Decimal("1" + "0" * 48)}
    assert evaluate("(a + 1) - b", values).value == Decimal("1.5")
    assert compile_function("(a + 1) - b", ["a", "b"])(values) == Decimal("1.5")
