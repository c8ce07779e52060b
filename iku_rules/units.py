"""Unit rules: when a result is a percentage, and how percent literals scale.

A value is a decimal *magnitude* with one of three units:

``number``
    a plain quantity: a count, a sum, a score (``Σ PMKS``, ``0.4``).
``ratio``
    a plain number that came from a division (``Σ a / Σ b``): a fraction of a
    whole, shown as a plain number.
``percent``
    a quantity in percent, shown with ``%``; its magnitude is in percentage
    points (``25`` means 25 %, i.e. 0.25). ``N%`` literals are percent.

The rules keep the true value of every product exact and decide only how it
is shown:

* ``ratio × p%`` is a percentage: ``Σ a / Σ b × 100%`` with a = 40, b = 160 is 25 %.
* ``number × p%`` is a number: ``200 × 10%`` is 20.
* ``p% × q%`` is a percentage (10 % of 50 % is 5 %); ``p% / q%`` is a ratio.
* ``p% / number`` stays a percentage; ``number / p%`` is a number (20 / 10% = 200).
* any other division gives a ratio; any other product a number (ratio × ratio stays a ratio).
* ``+``, ``-``, comparisons, ``min``, ``max``, ``if`` and ``coalesce`` need the
  same unit on both sides, with two allowances: a number literal takes the unit
  of the other side (``x × 100% > 50`` compares with 50 %), and number and ratio
  mix freely (giving a number). A percentage with a computed plain number is a
  :class:`~iku_rules.errors.UnitError`.

>>> multiply("ratio", "percent")
('percent', Decimal('1'))
>>> multiply("number", "percent")
('number', Decimal('0.01'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

Unit = Literal["number", "ratio", "percent"]

NUMBER: Unit = "number"
RATIO: Unit = "ratio"
PERCENT: Unit = "percent"

HUNDRED = Decimal(100)
_ONE = Decimal(1)
_HUNDREDTH = Decimal("0.01")


def multiply(left: Unit, right: Unit) -> tuple[Unit, Decimal]:
    """Unit of ``left × right`` and the factor applied to the product of magnitudes."""
    percents = (left == PERCENT) + (right == PERCENT)
    if percents == 2:
        return PERCENT, _HUNDREDTH
    if percents == 1:
        other = right if left == PERCENT else left
        return (PERCENT, _ONE) if other == RATIO else (NUMBER, _HUNDREDTH)
    if left == RATIO and right == RATIO:
        return RATIO, _ONE
    return NUMBER, _ONE


def divide(left: Unit, right: Unit) -> tuple[Unit, Decimal]:
    """Unit of ``left / right`` and the factor applied to the quotient of magnitudes."""
    if left == PERCENT and right == PERCENT:
        return RATIO, _ONE
    if left == PERCENT:
        return PERCENT, _ONE
    if right == PERCENT:
        return NUMBER, HUNDRED
    return RATIO, _ONE


def unify(left: Unit, right: Unit, left_literal: bool, right_literal: bool) -> Unit | None:
    """The common unit of two values added, compared or chosen between; None if they do not mix."""
    if left == right:
        return left
    if left_literal and left == NUMBER:
        return right
    if right_literal and right == NUMBER:
        return left
    if PERCENT in (left, right):
        return None
    return NUMBER


def symbol(unit: Unit) -> str | None:
    """What a result's unit is shown as: ``"%"`` for percent, nothing otherwise."""
    return "%" if unit == PERCENT else None
