"""Numbers and targets as the report's text renderers (Markdown, HTML) show them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from iku_rules.additive import unit_table
from iku_rules.decimals import round_half_away
from iku_rules.i18n import format_number
from iku_rules.target import THRESHOLD_SIGNS, Target, Threshold

if TYPE_CHECKING:
    from iku_rules.model import Definitions, Indicator
    from iku_rules.rules.base import Band


def display_decimals(
    definitions: Definitions, indicator: Indicator, values: Iterable[Decimal | None] = ()
) -> int:
    """How many decimals a report shows an indicator's values with: its own ``decimals``,
    else the default of its satuan's kind in the unit table (counts 0: ``166``, not
    ``166.00``; everything else 2). Capaian keeps the decimals of the capaian table.

    A Gini ratio states ``decimals = 3`` to show 0,302 rather than 0,30. A count is shown
    whole because counts are whole; of ``values`` (those the report shows), one that is not
    (a formula's average of counts: 2.5 Dokumen) gets the decimals of every other value,
    never rounded to a whole number it is not (``3`` beside a target of 3 and capaian 83.33).
    """
    if indicator.decimals is not None:
        return indicator.decimals
    table = unit_table(definitions)
    decimals = table.default_decimals(indicator.unit)
    if any(v is not None and round_half_away(v, decimals) != v for v in values):
        return max(decimals, table.decimals.get("other", 2))
    return decimals


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


def realisasi_decimals(value: Decimal | None, target: Target | None, decimals: int) -> int:
    """The decimals a realisasi is shown with beside its target: ``decimals``, or more where
    its target is written with more (the target is shown so, :func:`target_decimals`), as
    many as the value has: 0.000002 against a target of 0.000001 (capaian 200) is shown
    ``0.000002``, never ``0.00``, which would make the capaian beside it read as wrong. More
    again where rounded it would stand on another side of a bound of a threshold or range
    target (or on it) than it does, the side its capaian and predikat were given for:
    95.495 against ``≥ 95.5`` is not met, shown ``95.495``, never ``95.50``.

    >>> realisasi_decimals(Decimal("95.495"), Threshold(">=", Decimal("95.5")), 2)
    3
    >>> realisasi_decimals(Decimal("90.2549"), (Decimal("80.5"), Decimal("90.25")), 2)
    3
    >>> realisasi_decimals(Decimal("95.495"), Decimal("95.5"), 2), realisasi_decimals(Decimal("96.004"), Threshold(">=", Decimal("95.5")), 2)
    (2, 2)
    >>> realisasi_decimals(Decimal("0.000002"), Decimal("0.000001"), 2), realisasi_decimals(Decimal("2"), Decimal("0.125"), 2)
    (6, 2)
    """
    if value is None:
        return decimals
    if isinstance(target, Threshold):
        bounds: tuple[Decimal, ...] = (target.value,)
    elif isinstance(target, tuple):
        bounds = target
    else:
        bounds = () if target is None else (target,)
    exact = max(decimals, -int(value.as_tuple().exponent))
    places = min(
        exact, max((target_decimals(bound, decimals) for bound in bounds), default=decimals)
    )
    if not isinstance(target, (tuple, Threshold)):
        return places
    while places < exact and any(
        _side(round_half_away(value, places), bound) != _side(value, bound) for bound in bounds
    ):
        places += 1  # at its own places the value is shown whole: the loop ends there
    return places


def _side(value: Decimal, bound: Decimal) -> int:
    return (value > bound) - (value < bound)


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


def band_text(band: Band) -> str:
    """A band of the predikat scale as a report's legend shows it, its lower bound in the
    notation of the language spoken: ``Tinggi (≥ 90,5)`` in Indonesian, where ``90.5``
    would read otherwise (``90.995``, ninety thousand and more).

    >>> from iku_rules.rules.base import Band
    >>> from iku_rules.i18n import use_language
    >>> with use_language("id"):
    ...     band_text(Band("Tinggi", Decimal("90.995"))), band_text(Band("AA", Decimal(90), False))
    ('Tinggi (≥ 90,995)', 'AA (> 90)')
    """
    if band.min is None:
        return str(band)  # the bottom band: any value below
    sign = "≥" if band.min_inclusive else ">"
    return f"{band.label} ({sign} {format_number(band.min, group=False)})"
