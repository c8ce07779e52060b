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
* ``N% × number`` followed by a division in the same chain (``a × 100% / b``) is refused
  by the compiler (:func:`percent_lost_in_division`): read left to right it is the plain
  number ``a`` divided by ``b``, a fraction shown without ``%``, where a planner means the
  percentage ``a / b × 100%``.
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


def percent_lost_in_division(
    units: list[Unit], literals: list[bool], ops: tuple[str, ...]
) -> int | None:
    """The index of a percent literal that a chain of factors multiplies into a plain number
    and later divides by a plain number, losing the ``%`` (``a × 100% / b``); or None.

    ``units[i]`` and ``literals[i]`` describe factor ``i``; ``ops[i]`` stands before factor
    ``i + 1``.

    >>> percent_lost_in_division(["number", "percent", "number"], [False, True, False], ("*", "/"))
    1
    >>> percent_lost_in_division(["number", "number", "percent"], [False, False, True], ("/", "*"))
    """
    unit = units[0]
    for index, op in enumerate(ops, start=1):
        before, right = unit, units[index]
        unit = (multiply if op == "*" else divide)(unit, right)[0]
        if op != "*" or unit != NUMBER:
            continue
        if right == PERCENT and literals[index] and before == NUMBER:
            found = index
        elif before == PERCENT and literals[index - 1] and index == 1:
            found = 0
        else:
            continue
        rest = zip(ops[index:], units[index + 1 :], strict=True)
        if any(later == "/" and divisor != PERCENT for later, divisor in rest):
            return found
    return None


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
