"""The limits that keep hostile or mistaken input from hanging or crashing iku-rules.

Each is checked where the input is read, and going past one is an
:class:`~iku_rules.errors.IkuError` (or a diagnostic with file, line and column) that
names the limit — never a crash, a hang, or memory running out.
"""

from __future__ import annotations

from decimal import Decimal

MAX_NUMBER_DIGITS = 50
"""Significant digits in one number of the definitions or the data, counted from the
first digit that is not 0: as many as the evaluator keeps (a budget in rupiah has 15)."""

MAX_WHOLE_DIGITS = 20
"""Digits before the decimal point of a number in the data (a budget in rupiah has 15):
every engine stores and sums such numbers exactly, DuckDB's ``DECIMAL(38, 6)`` with
room to add up a trillion rows of them."""

STORED_DECIMALS = 6
"""Decimals a number of the data keeps once stored, as in the databases' ``DECIMAL(38, 6)``."""

STORED_SIGNIFICANCE = 10**5
"""How much of itself a number of the data may lose to :data:`STORED_DECIMALS`: rounded to
them, it must keep within a hundred-thousandth of itself (``33.3333333333333``, a third as
Excel computes it, is kept as ``33.333333``; ``0.0000025`` would be ``0.000003``, a fifth
more, and is refused)."""

MAX_MEASURES = 10_000
"""Measures in one definitions folder."""

MAX_INDICATORS = 50_000
"""Indicators in one definitions folder (a province's offices together have a few thousand)."""

MAX_SUGGESTION_WORK = 2_000_000
"""Names compared, while a definitions folder is loaded, in looking for the closest ones
to names misspelled (a few seconds' work); past it, mistakes come without suggestions."""

MAX_NESTING = 32
"""Lists and inline tables nested inside one another in a definitions file (a definition
needs three or four)."""

MIN_YEAR = 1900
MAX_YEAR = 2200
"""The years a plan, a target or a period may name."""


def too_many_whole_digits(number: int | Decimal) -> bool:
    """True when ``number`` has more than :data:`MAX_WHOLE_DIGITS` digits before its point.

    >>> too_many_whole_digits(10**20 - 1), too_many_whole_digits(Decimal("-1E+20"))
    (False, True)
    """
    return bool(abs(number) >= 10**MAX_WHOLE_DIGITS)


def too_many_digits(text: str) -> bool:
    """True when the number written as ``text`` has more than :data:`MAX_NUMBER_DIGITS`
    significant digits.

    >>> too_many_digits("0.000000000000000000000000000000000000000000001")
    False
    >>> too_many_digits("1" * 51)
    True
    """
    digits = "".join(character for character in text if character.isdigit()).lstrip("0")
    return len(digits) > MAX_NUMBER_DIGITS
