"""Intervals with exact decimal ends, and arithmetic on them rounded outward, for the proofs of
:mod:`iku_rules.bounds`."""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_FLOOR,
    Context,
    Decimal,
    InvalidOperation,
)

from attrs import frozen

from iku_rules.decimals import PRECISION

INF = Decimal("Infinity")


HUNDRED = Decimal(100)


SUMS = frozenset({"sum"})
"""Aggregates that total their operand (Σ, sum, jumlah and total are all ``sum``)."""


@frozen
class Interval:
    """All values from ``low`` to ``high``, inclusive; either may be infinite."""

    low: Decimal
    high: Decimal

    @classmethod
    def exactly(cls, value: Decimal) -> Interval:
        return cls(value, value)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, Decimal) and self.low <= value <= self.high

    def within(self, other: Interval) -> bool:
        return other.low <= self.low and self.high <= other.high

    @property
    def nonnegative(self) -> bool:
        return self.low >= 0

    def __str__(self) -> str:
        low = "−∞" if self.low == -INF else _plain(self.low)
        high = "∞" if self.high == INF else _plain(self.high)
        return f"[{low}, {high}]"


def _plain(value: Decimal) -> str:
    return format(value.normalize(_EXACT), "f")


EVERYTHING = Interval(-INF, INF)


COUNT = Interval(Decimal(0), INF)


UNIT = Interval(Decimal(0), Decimal(1))


PERCENT_RANGE = Interval(Decimal(0), HUNDRED)


# Bounds are rounded outwards (lows down, highs up) at two digits less than the
# evaluator's 50, so that neither the analysis's rounding nor the evaluator's can put
# a computed value outside its interval (every operation is monotone in each bound).
# They are the package's context (:mod:`iku_rules.decimals`) with directed rounding and
# no limit on exponents: an interval may be unbounded.
_DOWN = Context(prec=PRECISION - 2, rounding=ROUND_FLOOR, Emax=MAX_EMAX, Emin=MIN_EMIN)


_UP = Context(prec=PRECISION - 2, rounding=ROUND_CEILING, Emax=MAX_EMAX, Emin=MIN_EMIN)


_EXACT = Context(prec=200, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])


def _mul(a: Decimal, b: Decimal, context: Context) -> Decimal:
    if a == 0 or b == 0:
        return Decimal(0)
    return context.multiply(a, b)


def add(a: Interval, b: Interval) -> Interval:
    return Interval(_DOWN.add(a.low, b.low), _UP.add(a.high, b.high))


def negate(a: Interval) -> Interval:
    return Interval(a.high.copy_negate(), a.low.copy_negate())


def multiply(a: Interval, b: Interval) -> Interval:
    pairs = [(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
    return Interval(
        min(_mul(x, y, _DOWN) for x, y in pairs), max(_mul(x, y, _UP) for x, y in pairs)
    )


def scale(a: Interval, factor: Decimal) -> Interval:
    """``a`` times a positive constant."""
    return Interval(_mul(a.low, factor, _DOWN), _mul(a.high, factor, _UP))


def divide(a: Interval, b: Interval) -> Interval:
    """``a / b`` over the values of ``b`` that are not 0 (a zero denominator gives no value)."""
    if b.low > 0 or b.high < 0:
        pairs = [(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
        return Interval(
            min(_quotient(x, y, _DOWN) for x, y in pairs),
            max(_quotient(x, y, _UP) for x, y in pairs),
        )
    if a.nonnegative and b.nonnegative:
        return COUNT  # 0 / positive, positive / positive: never below 0
    return EVERYTHING


def _quotient(x: Decimal, y: Decimal, context: Context) -> Decimal:
    if x.is_infinite() and y.is_infinite():
        return INF if (x > 0) == (y > 0) else -INF
    return context.divide(x, y)


def union(*parts: Interval) -> Interval:
    return Interval(min(p.low for p in parts), max(p.high for p in parts))
