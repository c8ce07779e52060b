"""Hints of syntax errors say what went wrong and suggest nothing wrong: a name called ``x``
(the multiplication word) written bare, a dash a word processor put for the minus sign, two
minus signs inside a name, a field called ``jumlah``; and what they suggest evaluates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import run

from iku_rules import FormulaSyntaxError, UnknownNameError, evaluate, parse

X_HINT = (
    "'{word}' is the operator word for ×, so it cannot stand alone as a name; a name called"
    " {word} is written in brackets: [{word}]"
)
DASH_HINT = (
    "'{dash}' is a dash, which word processors put in place of the minus sign; write the minus"
    " sign - instead (to subtract, with spaces around it: a - b)"
)


def hint_of(formula: str) -> str | None:
    with pytest.raises(FormulaSyntaxError) as caught:
        parse(formula)
    return caught.value.hint


@pytest.mark.parametrize(
    ("formula", "word", "column"),
    [("1 / x", "x", 5), ("x / 2", "x", 1), ("x", "x", 1), ("Σ x", "x", 3), ("1 / X", "X", 5)],
)
def test_a_bare_x_is_the_multiplication_word_and_the_hint_says_so(
    formula: str, word: str, column: int
) -> None:
    # was: no hint at all
    with pytest.raises(FormulaSyntaxError) as caught:
        parse(formula)
    assert caught.value.column == column
    assert caught.value.hint == X_HINT.format(word=word)


def test_the_brackets_the_hint_suggests_read_the_name() -> None:
    assert evaluate("1 / [x]", {"x": 4}).value == Decimal("0.25")  # 1 / 4
    assert evaluate("[x] / 2", {"x": 2}).value == 1  # 2 / 2


@pytest.mark.parametrize(
    ("formula", "hint"),
    [
        (
            "1 / dibagi",
            "'dibagi' is the operator word for /, so it cannot stand alone as a name; a name"
            " called dibagi is written in brackets: [dibagi]",
        ),
        (
            "1 / and",
            "'and' is an operator word, so it cannot stand alone as a name; a name called and"
            " is written in brackets: [and]",
        ),
    ],
)
def test_other_operator_words_where_a_value_belongs(formula: str, hint: str) -> None:
    assert hint_of(formula) == hint


def test_an_operator_word_inside_a_name_keeps_its_hint() -> None:
    # 'in' before the name 'Kota': the whole name goes in brackets, as before
    assert hint_of("Σ Penerima in Kota / b") == (
        "'in' is an operator word, so it cannot be part of a bare name; if it belongs to a"
        " name, write the whole name in brackets: [...]"
    )


@pytest.mark.parametrize(("formula", "dash"), [("a – b", "–"), ("a — b", "—"), ("–5", "–")])
def test_a_dash_for_the_minus_sign_suggests_the_minus_sign(formula: str, dash: str) -> None:
    # was: no hint ('a – b' as Word writes it)
    assert hint_of(formula) == DASH_HINT.format(dash=dash)


def test_the_minus_sign_the_dash_hint_suggests_subtracts() -> None:
    assert evaluate("a - b", {"a": 5, "b": 2}).value == 3  # 5 - 2


def test_two_minus_signs_in_a_name_suggest_no_formula() -> None:
    # was: "put spaces around the minus sign: a -  - b", which reads a - (-b) = a + b = 7
    with pytest.raises(UnknownNameError) as caught:
        evaluate("a--b", {"a": 5, "b": 2})
    assert caught.value.hint == (
        "a minus sign without spaces is part of a name; to subtract, write one minus sign with"
        " spaces around it"
    )
    assert evaluate("a -  - b", {"a": 5, "b": 2}).value == 7  # what it used to suggest


def test_one_minus_sign_in_a_name_still_suggests_the_subtraction() -> None:
    with pytest.raises(UnknownNameError) as caught:
        evaluate("a-b", {"a": 5, "b": 2})
    assert caught.value.hint == "to subtract, put spaces around the minus sign: a - b"
    assert evaluate("a - b", {"a": 5, "b": 2}).value == 3  # 5 - 2


def test_a_field_called_jumlah_is_written_in_brackets() -> None:
    # was: no hint ('jumlah' read as a total, then '>' where a value belongs)
    assert hint_of("Σ r[jumlah > 9]") == (
        "'jumlah' is read as a total of what follows it; a name or a field called jumlah is"
        " written in brackets: [jumlah]"
    )
    records = [{"jumlah": 10}, {"jumlah": 9}, {"jumlah": 12}]
    assert evaluate("Σ r[[jumlah] > 9]", {"r": records}).value == 2  # 10 and 12 pass


def test_iku_formula_prints_the_hint(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run("formula", "1 / x", "--set", "x=2")
    assert status == 1 and out == ""
    assert capsys.readouterr().err.splitlines() == [
        "iku: line 1, column 5: expected a value (a number, a name or '(') but found 'x'",
        "  1 / x",
        "      ^",
        "hint: " + X_HINT.format(word="x"),
    ]
