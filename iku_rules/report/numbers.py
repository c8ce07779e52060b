"""Numbers and targets as the report's text renderers (Markdown, HTML) show them."""

from __future__ import annotations

from decimal import Decimal

from iku_rules.decimals import round_half_away
from iku_rules.i18n import format_number
from iku_rules.target import THRESHOLD_SIGNS, Target, Threshold


def number_text(value: Decimal, *, decimal_comma: bool = False, decimals: int = 2) -> str:
    """A number as a report shows it: rounded half away from zero to ``decimals`` places,
    thousands grouped (``1,234.50``, or ``1.234,50`` with ``decimal_comma``).

    >>> number_text(Decimal("150"))
    '150.00'
    >>> number_text(Decimal("55.725"), decimal_comma=True)
    '55,73'
    >>> number_text(Decimal("-1234567.891"))
    '-1,234,567.89'
    """
    rounded = round_half_away(value, decimals)
    if rounded.is_zero():
        rounded = abs(rounded)
    return format_number(rounded, "id" if decimal_comma else "en")


def capaian_decimals(value: Decimal) -> int:
    """The decimals a capaian is shown with: those the capaian table rounded it to, which
    it carries, so that the number shown is the one its predikat was given for (with
    ``decimals = 3``, 90.995 is Tinggi and shown ``90.995``, never ``91.00``).

    >>> capaian_decimals(Decimal("94.44")), capaian_decimals(Decimal("90.995")), capaian_decimals(Decimal("91"))
    (2, 3, 0)
    """
    return max(0, -int(value.as_tuple().exponent))


def target_decimals(value: Decimal, decimals: int) -> int:
    """The decimals a target number is shown with: ``decimals``, or more when the
    definitions write it with more (92.5 with 0 decimals is ``92.5``, never ``93``).

    >>> target_decimals(Decimal("92.5"), 0), target_decimals(Decimal("40.00"), 2)
    (1, 2)
    """
    return max(decimals, -min(value.normalize().as_tuple().exponent, 0))  # type: ignore[operator]


def target_text(target: Target, *, decimal_comma: bool = False, decimals: int = 2) -> str:
    """A target: one number, a range ``80.00–90.00`` or a threshold ``< 70.00``, with
    ``decimals`` decimals (never fewer than the target is written with: a target is shown
    as the definitions state it)."""

    def shown(value: Decimal) -> str:
        return number_text(
            value, decimal_comma=decimal_comma, decimals=target_decimals(value, decimals)
        )

    if isinstance(target, Threshold):
        return f"{THRESHOLD_SIGNS[target.op]} {shown(target.value)}"
    if isinstance(target, tuple):
        low, high = target
        return f"{shown(low)}–{shown(high)}"
    return shown(target)
