"""Numbers given to the Python API (``evaluate``, ``compile_function``, records) that could be
read two ways: read the one right way, or refused with a message naming the value and the fix;
never a wrong number in silence."""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal, localcontext
from typing import Any

import pytest
from helpers import MINI

from iku_rules import evaluate
from iku_rules.errors import EvaluationError
from iku_rules.evaluator import compile_function
from iku_rules.i18n import use_language


class Written(float):
    """A float that writes itself otherwise, as numpy's float64 does (``np.float64(0.1)``)."""

    def __repr__(self) -> str:
        return f"Written({float(self)!r})"


def float_subclasses() -> list[float]:
    found: list[float] = [Written(0.1)]
    try:
        import numpy
    except ImportError:
        return found
    return [*found, numpy.float64(0.1)]


@pytest.mark.parametrize("tenth", float_subclasses(), ids=lambda value: type(value).__name__)
def test_a_float_subclass_is_read_as_the_float_it_is(tenth: float) -> None:
    # The double 0.1, read by its shortest repr as every float is: 0.1 + 1 = 1.1. Its own
    # repr ("np.float64(0.1)") was read instead: an InvalidOperation, and in a host whose
    # context does not trap it, Decimal('NaN') for the value, given without a word.
    share = compile_function("a + 1", ["a"])
    for context in (None, Context(traps=[])):
        with localcontext(context):
            assert evaluate("a + 1", {"a": tenth}).value == Decimal("1.1")
            assert share({"a": tenth}) == Decimal("1.1")
            # 1 / 0.1 = 10 (it was NaN)
            assert compile_function("b / a", ["a", "b"])({"a": tenth, "b": 1}) == 10
            # 0.1 + 0.2 = 0.3, in a list and in records alike
            assert evaluate("Σ a", {"a": [tenth, 0.2]}).value == Decimal("0.3")
            records = [{"nilai": tenth}, {"nilai": 0.2}]
            assert evaluate("Σ r.nilai", {"r": records}).value == Decimal("0.3")


def test_a_datetime_at_midnight_is_its_date() -> None:
    # pandas gives a DATE column's cells as Timestamps at midnight (datetimes): each is the
    # date 1 February 2026, so both records match and 2 are counted (it was 1: the datetime
    # was the text '2026-02-01T00:00:00', which never equals '2026-02-01').
    records = [{"t": dt.datetime(2026, 2, 1)}, {"t": dt.date(2026, 2, 1)}]
    assert evaluate('count r[t = "2026-02-01"]', {"r": records}).value == 2
    assert evaluate('count r[t in ("2026-02-01")]', {"r": records}).value == 2
    # and it orders as the date (it was refused as text not written YYYY-MM-DD): both count
    assert evaluate('count r[t <= "2026-02-01"]', {"r": records}).value == 2


@pytest.mark.parametrize(
    "formula",
    ['count r[t = "2026-02-01"]', 'count r[t != "2026-02-01"]', 'count r[t in ("2026-02-01")]'],
)
def test_a_moment_matched_with_a_date_is_refused(formula: str) -> None:
    # 10:30 on 1 February falls on that day but is not the day: = gave 0 and != gave 1 in
    # silence; ordering it against a date was refused already, and matching is now too.
    records = [{"t": dt.datetime(2026, 2, 1, 10, 30)}]
    with use_language("en"), pytest.raises(EvaluationError) as caught:
        evaluate(formula, {"r": records})
    assert str(caught.value).startswith(
        "a record holds '2026-02-01T10:30:00', a moment (a date with a time of day or a time"
        " zone), where "
    )
    assert str(caught.value).endswith(
        "matches a date; give the record's date alone (a datetime.date, or text YYYY-MM-DD)"
    )


def test_a_moment_matched_with_another_moment_is_text_as_before() -> None:
    records = [{"t": dt.datetime(2026, 2, 1, 10, 30)}, {"t": dt.datetime(2026, 2, 1, 11)}]
    assert evaluate('count r[t = "2026-02-01T10:30:00"]', {"r": records}).value == 1


def test_a_missing_pandas_date_is_missing() -> None:
    pandas = pytest.importorskip("pandas")
    records = [{"t": dt.date(2026, 3, 1)}, {"t": pandas.NaT}]
    # NaT is a missing date: it passes neither = nor != (SQL), so of the two records one,
    # 1 March, is not 1 February. It was the text 'NaT': != "2026-02-01" counted it, 2 for 1.
    assert evaluate('count r[t != "2026-02-01"]', {"r": records}).value == 1


@pytest.mark.parametrize("other", ["5", ""])
def test_a_field_holding_numbers_and_text_is_refused(other: str) -> None:
    # Two records hold 5, one as text: count r[nilai = 5] gave 1 (a number never equals a
    # text), and count r[nilai != 5] gave 0, the text one counted by neither.
    records: list[dict[str, Any]] = [{"nilai": 5}, {"nilai": other}, {"nilai": None}]
    for formula in ("count r[nilai = 5]", "count r[nilai != 5]", 'count r[nilai = "5"]'):
        with use_language("en"), pytest.raises(EvaluationError) as caught:
            evaluate(formula, {"r": records})
        assert str(caught.value) == (
            f"field 'nilai' of 'r' holds a number in one record (5) and text in another"
            f" ({other!r}); give every value of a field as a number, or every one as text,"
            " and None for a missing value"
        )


def test_missing_values_beside_numbers_or_text_are_missing() -> None:
    records: list[dict[str, Any]] = [{"nilai": 5, "k": "a"}, {"nilai": None, "k": None}, {}]
    # 3 records; nilai = 5 in one, missing in two (None, and no key): the total is not
    # available, count counts the one value present.
    assert evaluate("Σ r.nilai", {"r": records}).value is None
    assert evaluate("count r.nilai", {"r": records}).value == 1
    assert evaluate('count r[k = "a"]', {"r": records}).value == 1


def test_results_round_half_away_from_zero_for_display() -> None:
    """A value is exact; ``rounded`` rounds it as the offices' spreadsheets and the reports
    do, half away from zero, where Python's ``round`` rounds half to even: 1 / 8 = 0.125 is
    0.13 (``round`` gives 0.12), and -1 / 8 = -0.125 is -0.13."""

    assert evaluate("a / b", {"a": 1, "b": 8}).rounded(2) == Decimal("0.13")
    assert evaluate("a / b", {"a": -1, "b": 8}).rounded(2) == Decimal("-0.13")
    assert evaluate("a / b", {"a": 1, "b": 0}).rounded(2) is None  # not available


def test_an_indicator_result_rounds_as_the_report_does() -> None:
    """The engine's results round the same way: each IKU of the small office for 2026, its
    exact value rounded by ``rounded(2)`` is ``round_half_away(value, 2)``, a value without
    one (not available) None."""
    from attrs import evolve

    from iku_rules import Engine
    from iku_rules.decimals import round_half_away

    with Engine(MINI, MINI) as engine:
        results = list(engine.evaluate("2026").results)
    assert results
    for result in results:
        expected = None if result.value is None else round_half_away(result.value, 2)
        assert result.rounded(2) == expected
    # 0.125 given to a result: 0.13
    assert evolve(results[0], value=Decimal("0.125")).rounded(2) == Decimal("0.13")


@pytest.mark.parametrize("written", float_subclasses(), ids=lambda value: type(value).__name__)
def test_a_float_subclass_given_to_the_rules_is_read_as_the_float_it_is(written: float) -> None:
    # capaian, predikat and nilai_akip read a float by its own repr too: numpy's
    # "np.float64(110.0)" was an InvalidOperation, and in a host whose context does not trap
    # it Decimal('NaN'): a cap of 110 % was then never applied, and 150 against a target of
    # 100 gave a capaian of 150.00 where the policy caps it at 110.00.
    from iku_rules import capaian, nilai_akip, predikat

    kind = type(written)
    for context in (None, Context(traps=[])):
        with localcontext(context):
            cap = {"floor": 0, "cap": kind(110.0)}
            assert capaian(150, 100, policy=cap) == Decimal("110.00")  # 150 / 100 × 100, capped
            assert capaian(kind(90.5), 100) == Decimal("90.50")  # 90,5 / 100 × 100
            assert capaian(90, kind(120.0)) == Decimal("75.00")  # 90 / 120 × 100
            assert capaian(90, (kind(80.0), 100)) == evaluate_range(90, 80, 100)
            assert predikat(kind(95.0)) == predikat(95)
            # 29,5 + 30 + 15 + 25 = 99,5
            akip = {"Perencanaan": kind(29.5), "Pengukuran": 30, "Pelaporan": 15}
            assert nilai_akip({**akip, "Evaluasi Internal": 25}) == Decimal("99.50")


def evaluate_range(realisasi: int, low: int, high: int) -> Decimal | None:
    """The capaian of ``realisasi`` against the range ``(low, high)`` given as ints."""
    from iku_rules import capaian

    return capaian(realisasi, (low, high))


class Rupiah(Decimal):
    """A Decimal of an application's own class, with arithmetic of its own (here wrong)."""

    def __add__(self, other: object) -> Decimal:
        return Decimal(99)

    __radd__ = __add__


def test_a_decimal_subclass_is_the_number_it_holds() -> None:
    # 3 + 1 = 4 and (3 + 1) - 3 = 1: the subclass's own __add__ was used, and gave 99 and 96
    for formula, expected in (("a + 1", 4), ("(a + 1) - a", 1), ("1 + a", 4)):
        assert evaluate(formula, {"a": Rupiah(3)}).value == expected
        assert compile_function(formula, ["a"])({"a": Rupiah(3)}) == expected
    # 3 + 2 = 5, in a list and in records alike
    assert evaluate("Σ a", {"a": [Rupiah(3), 2]}).value == 5
    assert evaluate("Σ r.nilai", {"r": [{"nilai": Rupiah(3)}, {"nilai": 2}]}).value == 5


def test_a_numpy_whole_number_is_read_as_the_int_it_is() -> None:
    numpy = pytest.importorskip("numpy")
    values = {"a": numpy.int64(3), "b": numpy.int32(4)}
    share = compile_function("a / b × 100%", ["a", "b"])
    # 3 / 4 × 100 % = 75 %: numpy's int64 (a cell of an integer column, a Series' sum) was
    # refused as "int64 np.int64(3); give a number"
    assert evaluate("a / b × 100%", values).value == 75
    assert share(values) == 75
    # 2^62 + 1 = 4611686018427387905, every digit kept (a float would give …904)
    assert evaluate("a + 1", {"a": numpy.int64(2**62)}).value == 4611686018427387905
    # 3 + 4 = 7, in a list and in records alike; a uint64 too
    assert evaluate("Σ a", {"a": [numpy.int64(3), numpy.uint64(4)]}).value == 7
    records = [{"nilai": numpy.int64(3)}, {"nilai": 4}]
    assert evaluate("Σ r.nilai", {"r": records}).value == 7
    # and the rules read it so: 90 / 120 × 100 = 75.00 (it was "int64 is not a number")
    from iku_rules import capaian

    assert capaian(numpy.int64(90), numpy.int64(120)) == Decimal("75.00")


@pytest.mark.parametrize("truth", ["bool", "numpy"])
def test_a_truth_value_is_refused_not_read_as_one(truth: str) -> None:
    value: object = True
    if truth == "numpy":
        value = pytest.importorskip("numpy").True_
    for run in (
        lambda: evaluate("a + 1", {"a": value}),
        lambda: compile_function("a + 1", ["a"])({"a": value}),
        lambda: evaluate("Σ a", {"a": [value, 1]}),
    ):
        with use_language("en"), pytest.raises(EvaluationError, match="the value of 'a' is"):
            run()
