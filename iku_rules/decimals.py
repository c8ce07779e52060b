"""The package's one decimal context, and rounding half away from zero.

Every :class:`~decimal.Decimal` operation of iku-rules — the evaluator, the capaian
rules, the bounds, the data readers and backends, the reports and the way numbers
are shown — runs in :data:`CONTEXT`: 50 significant digits (as many as a number in
the definitions or the data may have, see :data:`iku_rules.limits.MAX_NUMBER_DIGITS`),
half-even rounding for arithmetic that cannot be exact, and an exception for an
invalid operation, a division by zero or an overflow instead of a silent ``NaN``
or ``Infinity``.

Python's own default context has 28 digits, and every thread starts with a fresh
copy of it; so code that may run in any thread never relies on the current
context: it calls the context's methods (``CONTEXT.add``, ``CONTEXT.divide``), sums
with :func:`total`, or wraps its work in :func:`exact`.

Results shown to people are rounded half away from zero, as spreadsheets and the
regulations do, by :func:`round_half_away`:

>>> round_half_away(Decimal("2.675"), 2), round_half_away(Decimal("-0.5"), 0)
(Decimal('2.68'), Decimal('-1'))
>>> round_half_away(Decimal(10) ** 49, 2)   # as many digits as the value needs
Decimal('10000000000000000000000000000000000000000000000000.00')
>>> total([Decimal("0.1")] * 3), CONTEXT.multiply(Decimal(10**12), Decimal(10**12))
(Decimal('0.3'), Decimal('1000000000000000000000000'))
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

__all__ = ["CONTEXT", "PRECISION", "WORKING", "exact", "plain", "round_half_away", "total"]

PRECISION = 50
"""Significant digits of every computed value."""

CONTEXT = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The decimal context of every computation: 50 significant digits, half-even rounding
where a result cannot be exact, errors trapped."""


GUARD_DIGITS = 7
"""Digits the evaluator carries beyond :data:`PRECISION` inside a formula: enough for an
intermediate quotient's rounding never to move the value rounded once where it is shown
(each operation's error is at most half a unit of the 57th digit, millions of them under
half a unit of the 50th), and 57 digits are three of the decimal library's 19-digit words,
as 50 are: the guard digits cost ``compile_function`` about 5 % of its time, where 20 of
them (a fourth word) cost 30 %."""

WORKING = CONTEXT.copy()
WORKING.prec = PRECISION + GUARD_DIGITS
"""The context a formula is computed in: :data:`CONTEXT` with :data:`GUARD_DIGITS` more digits.
Every value a formula shows, compares or rounds is rounded to :data:`PRECISION` digits
(``CONTEXT.plus``) from it, so that a quotient that does not end is rounded once, where it
is seen, not twice: ``a / 6 × 0.3`` with a = 780052.7 is exactly 39002.635, shown
39002.64; with ``a / 6`` rounded to 50 digits first it was 39002.634999…9, shown 39002.63."""


def exact() -> AbstractContextManager[Context]:
    """``with exact(): ...`` runs the block in :data:`CONTEXT` (in any thread)."""
    return localcontext(CONTEXT)


def room_for(value: Decimal) -> AbstractContextManager[Context]:
    """``with room_for(value): ...`` runs the block in :data:`CONTEXT` with room for every
    digit of the finite ``value``: a library that quantizes ``value`` to its own exponent
    there (Babel's number formatting) keeps every digit instead of rounding at 28."""
    digits = value.as_tuple()
    needed = len(digits.digits) + max(0, int(digits.exponent)) + 2
    return localcontext(CONTEXT if needed <= PRECISION else _wide(needed))


def plain(value: Decimal) -> Decimal:
    """``value`` without zeros after its last significant decimal: how a number the data
    hold is passed on, whatever scale the engine stored it with (DuckDB gives
    ``50.100000`` for a cell ``50.1``), so that every backend gives the same digits.

    >>> plain(Decimal("50.100000")), plain(Decimal("20.00")), plain(Decimal("1E+2")), plain(Decimal("-0.000"))
    (Decimal('50.1'), Decimal('20'), Decimal('1E+2'), Decimal('0'))
    """
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0:
        return value
    if not value:
        return Decimal(0)
    stripped = value.normalize(CONTEXT)
    if int(stripped.as_tuple().exponent) > 0:  # finite here, so the exponent is a number
        return stripped.quantize(Decimal(1))
    return stripped


def total(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values`` in :data:`CONTEXT` (``Decimal(0)`` when there are none)."""
    result = Decimal(0)
    add = CONTEXT.add
    for value in values:
        result = add(result, value)
    return result


def round_half_away(value: Decimal, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, half away from zero, with exactly
    ``places`` decimals (``Decimal('25')`` to 2 places is ``Decimal('25.00')``).

    The rounding is exact whatever the size of ``value``: the result has as many digits
    as it needs, even beyond :data:`PRECISION`. ``value`` must be finite.
    """
    needed = max(value.adjusted(), 0) + places + 2
    context = CONTEXT if needed <= PRECISION else _wide(needed)
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, context)


def round_toward(value: Decimal, places: int, *, up: bool) -> Decimal:
    """``value`` rounded to ``places`` decimals toward +∞ (``up``) or −∞, with exactly
    ``places`` decimals, exact whatever its size: a whole that must hold its part rounds
    up, a part that must stay within its whole rounds down. ``value`` must be finite."""
    needed = max(value.adjusted(), 0) + places + 2
    context = CONTEXT if needed <= PRECISION else _wide(needed)
    rounding = ROUND_CEILING if up else ROUND_FLOOR
    return value.quantize(Decimal(1).scaleb(-places), rounding, context)


def _wide(digits: int) -> Context:
    """:data:`CONTEXT` with room for ``digits`` digits (only for rounding, which is exact)."""
    context = CONTEXT.copy()
    context.prec = digits
    return context
