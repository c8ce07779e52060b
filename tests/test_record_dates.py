"""Dates in records given to the evaluator compare as ISO text, which orders as the dates do
only when each is written ``YYYY-MM-DD``: ``"2026-1-15" >= "2026-02-01"`` holds as text. A
record's date written otherwise, ordered against or matched with a date, is refused; so is a date in the
formula written otherwise; dates given as ``datetime.date`` are written ISO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from iku_rules import evaluate
from iku_rules.errors import EvaluationError, FormulaTypeError
from iku_rules.i18n import use_language

SINCE_FEBRUARY = 'Σ r[t >= "2026-02-01"]'


def test_dates_written_iso_or_given_as_dates_are_ordered() -> None:
    records = [{"t": "2026-01-15"}, {"t": "2026-03-01"}, {"t": dt.date(2026, 2, 1)}]
    assert evaluate(SINCE_FEBRUARY, {"r": records}).value == Decimal(2)  # 1 March, 1 February


def test_a_record_s_date_written_otherwise_is_refused() -> None:
    # As text "2026-1-15" >= "2026-02-01" ("1" after "0"): 15 January would count, 3 for 2.
    records = [{"t": "2026-01-15"}, {"t": "2026-03-01"}, {"t": "2026-1-15"}]
    with use_language("en"), pytest.raises(EvaluationError) as caught:
        evaluate(SINCE_FEBRUARY, {"r": records})
    assert str(caught.value) == (
        "a record holds '2026-1-15' where 't >= \"2026-02-01\"' orders dates; a date in a"
        " record is compared as text, which orders as dates do only when written YYYY-MM-DD"
        " (or given as a date)"
    )


def test_a_date_in_the_formula_written_otherwise_is_refused() -> None:
    with use_language("en"), pytest.raises(FormulaTypeError) as caught:
        evaluate('Σ r[t >= "2026-2-1"]', {"r": [{"t": "2026-03-01"}]})
    assert 'the date "2026-2-1" is not written YYYY-MM-DD' in str(caught.value)
    assert 'write "2026-02-01"' in str(caught.value)


def test_equality_with_a_date_refuses_a_date_written_otherwise() -> None:
    # both records are of 15 January 2026: 2, where text compared as written counted 1
    records = [{"t": "2026-1-15"}, {"t": "2026-01-15"}]
    with use_language("en"), pytest.raises(EvaluationError) as caught:
        evaluate('Σ r[t = "2026-01-15"]', {"r": records})
    assert "a record holds '2026-1-15' where 't = \"2026-01-15\"' matches a date" in str(
        caught.value
    )
    # other text is compared as written: no record holds "belum"
    assert evaluate('Σ r[t = "belum"]', {"r": records}).value == Decimal(0)
