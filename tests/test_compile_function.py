"""compile_function: generated Python code gives exactly what evaluate gives."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_rules import EvaluationError, UnknownNameError, evaluate, parse
from iku_rules.ast import Call, Node, Number, Product
from iku_rules.evaluator import Binding, compile_formula, compile_function
from iku_rules.formula import Formula
from iku_rules.testing import arithmetic, decimals

NAMES = ("a", "b", "Jumlah PMKS", "c")


@st.composite
def with_percents_and_rounding(draw: st.DrawFn) -> Node:
    body = draw(arithmetic(NAMES))
    wrap = draw(st.sampled_from(["none", "round", "percent"]))
    if wrap == "round":
        return Call("round", (body, Number(Decimal(draw(st.integers(0, 3))))))
    if wrap == "percent":
        return Product((body, Number(Decimal(100), percent=True)), ("*",))
    return body


VALUE = st.one_of(decimals(1000, 3), decimals(1000, 3).map(lambda d: -d), st.just(Decimal(0)))


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@given(
    with_percents_and_rounding(),
    st.fixed_dictionaries(
        {name: st.one_of(VALUE, VALUE, st.none(), st.integers(-5, 5)) for name in NAMES}
    ),
)
def test_the_function_gives_the_value_evaluate_gives(
    body: Node, values: dict[str, Decimal | int | None]
) -> None:
    formula = Formula(body)
    expected = evaluate(formula, values).value
    got = compile_function(formula, NAMES)(values)
    assert str(got) == str(expected)


def test_plain_arithmetic_compiles_to_code_and_lists_do_not() -> None:
    scalar = {"a": Binding("scalar"), "b": Binding("scalar")}
    assert compile_formula(parse("round(-(a + 2) / b × 100%, 2)"), scalar).code is not None
    assert compile_formula(parse("if(a > b, a, b)"), scalar).code is None
    assert compile_formula(parse("Σ a"), {"a": Binding("list")}).code is None


def test_missing_zero_and_odd_values_fall_back_to_evaluate() -> None:
    ratio = compile_function("a / b × 100%", ["a", "b"])
    assert ratio({"a": Decimal(1), "b": Decimal(4)}) == Decimal(25)
    assert ratio({"a": Decimal(1), "b": Decimal(0)}) is None
    assert ratio({"a": None, "b": Decimal(1)}) is None
    assert ratio({"a": 1, "b": 4.0}) == Decimal(25)
    for odd in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(EvaluationError):
            ratio({"a": Decimal(1), "b": odd})
    with pytest.raises(UnknownNameError):
        ratio({"a": Decimal(1)})
    assert (
        compile_function("min(a, b) / 7", ["a", "b"])({"a": Decimal(1), "b": 2})
        == evaluate("min(a, b) / 7", {"a": 1, "b": 2}).value
    )


def test_names_are_read_as_written_and_never_become_code() -> None:
    hostile = "x') or __import__('os').system('true') or ('"
    function = compile_function(f"[{hostile}] * 2", [hostile])
    assert function({hostile: Decimal(21)}) == Decimal(42)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@given(
    with_percents_and_rounding(),
    st.fixed_dictionaries(
        {
            name: st.one_of(
                VALUE,
                st.integers(-(10**20), 10**20),
                st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
            )
            for name in NAMES
        }
    ),
)
def test_ints_and_floats_give_the_value_evaluate_gives(
    body: Node, values: dict[str, Decimal | int | float]
) -> None:
    formula = Formula(body)
    expected = evaluate(formula, values).value
    assert str(compile_function(formula, NAMES)(values)) == str(expected)


def test_ints_and_floats_stay_on_the_fast_path() -> None:
    share = compile_function("(a + b) / c × 100%", ["a", "b", "c"])

    def slow(values: object) -> None:
        raise AssertionError(f"{values} went to evaluate")

    share.__globals__["slow"] = slow  # type: ignore[attr-defined]
    # (0.1 + 0.2) / 3 × 100%: the floats read as written (0.1, not 0.1000000000000000055…)
    assert share({"a": 0.1, "b": 0.2, "c": 3}) == Decimal("10.0")
    assert share({"a": 3, "b": 5, "c": 32.0}) == Decimal(25)
    assert share({"a": Decimal(3), "b": 5, "c": 32}) == Decimal(25)
    subclass = type("Rupiah", (Decimal,), {})("3")  # a Decimal of another class: evaluate's too
    for odd in (True, "3", float("nan"), float("inf"), None, subclass):  # evaluate's to judge
        with pytest.raises(AssertionError, match="went to evaluate"):
            share({"a": odd, "b": 1, "c": 1})


@pytest.mark.parametrize(
    ("text", "values", "shown"),
    [
        # 0.01 / 0.001 is 1E+1 as Decimal divides it: 10, as evaluate gives it
        ("abs(0.01 / a)", {"a": Decimal("0.001")}, "10"),
        # 5 / 0.25 = 2E+1, × 100 = 2.0E+3: 2000
        ("(a / b) * 100", {"a": Decimal(5), "b": Decimal("0.25")}, "2000"),
        # 0 / 0.01 is 0E+2: 0
        ("abs(min(a) / 0.01)", {"a": Decimal(0)}, "0"),
        # -0 × 100 is -0: 0
        ("(a / b) * 100", {"a": Decimal("-0"), "b": Decimal(3)}, "0"),
        # a value of 50 digits or more before its point keeps its exponent, as evaluate keeps it
        ("(a / b) * 100", {"a": Decimal("1E+60"), "b": Decimal(1)}, "1.00E+62"),
        # 1E+60 + 0 as evaluate rounds it to 50 digits
        ("a + b", {"a": Decimal("1E+60"), "b": Decimal(0)}, "1." + "0" * 49 + "E+60"),
        # 1E+49 has 50 digits before its point: 10…0 as evaluate gives it
        ("a - b", {"a": Decimal("1E+49"), "b": Decimal(0)}, str(10**49)),
        # -0 - 0 is -0: 0
        ("a - b", {"a": Decimal("-0.00"), "b": Decimal(0)}, "0.00"),
    ],
)
def test_a_whole_number_or_a_zero_comes_back_as_evaluate_gives_it(
    text: str, values: dict[str, Decimal], shown: str
) -> None:
    names = list(values)
    assert str(evaluate(text, values).value) == shown
    assert str(compile_function(text, names)(values)) == shown


@given(
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(map(int, digits)), exponent)),
        st.integers(0, 1),
        st.text("0123456789", min_size=1, max_size=60),
        st.integers(-70, 70),
    )
)
def test_the_shown_rounding_is_evaluates_in_one_call(value: Decimal) -> None:
    """The fast path rounds a value with ``plus`` in its own context (``_SHOWN``) where
    evaluate's digits are those of ``add(value, 0)`` in the package's context; a value of 50
    digits or more before its point overflows it, and goes to evaluate."""
    from decimal import Overflow

    from iku_rules.decimals import CONTEXT
    from iku_rules.evaluator.codegen import _SHOWN

    expected = CONTEXT.add(value, Decimal(0))
    if expected.adjusted() >= 50:
        with pytest.raises(Overflow):
            _SHOWN.plus(value)
    else:
        assert str(_SHOWN.plus(value)) == str(expected)


class _Whole(int):
    """An int of an application's own class."""


class _Written(float):
    """A float that writes itself otherwise, as numpy's float64 does."""

    def __repr__(self) -> str:
        return f"_Written({float(self)!r})"


class _Exact(Decimal):
    """A Decimal of an application's own class."""


def _given_values() -> st.SearchStrategy[object]:
    """What embedding code passes for a number: Decimals of any digits and exponent (a NaN,
    an infinity, -0, more digits than a formula computes with), ints of any size, floats
    (nan, inf, 0.1 + 0.2), None, bools, subclasses of int, float and Decimal, and numpy's
    numbers where numpy is installed."""
    coefficients = st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(map(int, digits)), exponent)),
        st.integers(0, 1),
        st.text("0123456789", min_size=1, max_size=55),
        st.integers(-60, 60),
    )
    choices: list[st.SearchStrategy[object]] = [
        coefficients,
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(),
        st.integers(-(10**51), 10**51),
        st.floats(),
        st.none(),
        st.booleans(),
        st.integers(-100, 100).map(_Whole),
        st.floats(allow_nan=False).map(_Written),
        coefficients.map(_Exact),
        st.sampled_from([Decimal("-0"), Decimal("0E+5"), Decimal("1E+30"), 0.1 + 0.2, -0.0]),
    ]
    try:
        import numpy
    except ImportError:
        return st.one_of(choices)
    numpy_values: list[st.SearchStrategy[object]] = [
        st.floats(allow_nan=True).map(numpy.float64),
        st.integers(-(2**63), 2**63 - 1).map(numpy.int64),
        st.booleans().map(numpy.bool_),
    ]
    return st.one_of(choices + numpy_values)


def _outcome(call: Callable[[], Decimal | None]) -> str:
    """A value as written, or the error's class and message."""
    try:
        return repr(call())
    except Exception as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@given(with_percents_and_rounding(), st.fixed_dictionaries(dict.fromkeys(NAMES, _given_values())))
def test_any_value_given_gives_what_evaluate_gives(body: Node, given: dict[str, object]) -> None:
    """Whatever is given for the names a formula reads, the function gives the value evaluate
    gives, or raises the error it raises, with the same message. (A value given for a name
    the formula does not read is checked by evaluate alone.)"""
    formula = Formula(body)
    read = {name.text for name in formula.names}
    values = {name: value if name in read else 1 for name, value in given.items()}
    expected = _outcome(lambda: evaluate(formula, values).value)
    assert _outcome(lambda: compile_function(formula, NAMES)(values)) == expected
