"""Numbers in the planners' notation (:func:`iku_rules.i18n.format_number`): the signs the
package holds for each language it speaks are Babel's, and the text is the one Babel's
pattern gives, for every exact number; formatting one imports none of Babel."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_rules.i18n import LANGUAGES, NUMBER_SYMBOLS, _babel_number, decimal_sign, format_number


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_signs_held_are_babels(language: str) -> None:
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    decimal, separator, minus = NUMBER_SYMBOLS[language]
    assert decimal == get_decimal_symbol(language)
    assert separator == get_group_symbol(language)
    assert minus == get_minus_sign_symbol(language)
    assert Locale.parse(language).decimal_formats[None].grouping == (3, 3)  # by threes
    assert decimal_sign(language) == decimal


def test_every_language_spoken_is_held() -> None:
    assert set(NUMBER_SYMBOLS) == set(LANGUAGES)


@pytest.mark.parametrize(
    ("value", "language", "group", "text"),
    [
        # hand-written: the Indonesian groups thousands with '.', decimals with ','
        (Decimal("1234567.891"), "id", True, "1.234.567,891"),
        (Decimal("1234567.891"), "en", True, "1,234,567.891"),
        (Decimal("23500"), "id", True, "23.500"),
        (Decimal("23500.5"), "id", False, "23500,5"),
        (Decimal("-0.50"), "id", True, "-0,50"),
        (Decimal("1E+3"), "id", True, "1.000"),  # a whole number, never an exponent
        (Decimal("0.000001"), "en", True, "0.000001"),
        (Decimal("999"), "id", True, "999"),
    ],
)
def test_numbers_written_as_planners_read_them(
    value: Decimal, language: str, group: bool, text: str
) -> None:
    assert format_number(value, language, group=group) == text
    assert _babel_number(value, language, group) == text


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(10**30), max_value=10**30).map(Decimal),
    language=st.sampled_from(LANGUAGES),
    group=st.booleans(),
)
def test_the_text_is_babels_for_every_number(value: Decimal, language: str, group: bool) -> None:
    assert format_number(value, language, group=group) == _babel_number(value, language, group)


def test_formatting_a_number_reads_none_of_babel() -> None:
    """Babel reads a language's whole CLDR data (about 0.035 s) to give two signs: a process
    formatting numbers in a message does not import it."""
    code = (
        "import sys; from decimal import Decimal; from iku_rules.i18n import format_number;"
        " assert format_number(Decimal('1234.5'), 'id') == '1.234,5';"
        " assert format_number(Decimal('1234.5'), 'en') == '1,234.5';"
        " print('babel' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "False"
