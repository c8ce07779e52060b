"""What the rules share: their errors, the numbers and polarities they accept, exact rounding,
and the office policy, bands, scales and AKIP components the rule tables are made of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeAlias

from attrs import field, frozen

from iku_rules.capaian_policy import policy_problem
from iku_rules.decimals import CONTEXT
from iku_rules.decimals import PRECISION as _PRECISION
from iku_rules.errors import IkuError
from iku_rules.i18n import _, format_number
from iku_rules.loader.values import parse_number

Number: TypeAlias = Decimal | int | float | str
"""A number as planners write it: ``85``, ``Decimal("9.5")``, ``9.5``, ``"55,33"``, ``"93%"``."""


RangeTarget: TypeAlias = tuple[Number, Number]
"""A range target ``(low, high)``, e.g. ``(80, 90)``."""


Target: TypeAlias = Number | RangeTarget | Sequence[Number | RangeTarget | None] | None


Realisasi: TypeAlias = Number | Sequence[Number | None] | None


Polarity: TypeAlias = Literal["positif", "negatif"]


POLARITIES: tuple[str, ...] = ("positif", "negatif")


FORMULA_METHODS: Mapping[str, tuple[str, ...]] = {
    "positif": ("standar",),
    "negatif": ("selisih", "rasio"),
}


TRIWULAN_METHODS: tuple[str, ...] = ("kumulatif", "terakhir", "tahunan")


KNOWN_METHODS: tuple[str, ...] = ("standar", "selisih", "rasio", *TRIWULAN_METHODS)


MAX_TRIWULAN = 4


PRECISION = _PRECISION
"""Digits of the raw (unrounded) capaian: the package's decimal context."""


_HUNDRED = Fraction(100)


class RuleError(IkuError):
    """A capaian or predikat rule was used in a way that cannot work
    (an unknown method, polarity or scale, a value that is not a number,
    an AKIP component out of range)."""


class RuleTableError(RuleError):
    """A rule table (``capaian.toml``, ``predikat.toml``) is malformed.

    The message starts with the file, and its line and column when known.
    """

    def __init__(
        self, file: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        where = f"{file}:{line}:{column}" if line is not None else file
        super().__init__(f"{where}: {message}")
        self.file = file
        self.message = message
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.message, self.line, self.column))


def _number(value: object, what: str) -> Decimal:
    """``value`` as an exact Decimal, spelled as the definitions loader accepts."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise RuleError(
                _("{what}: {value} is not a finite number").format(what=what, value=value)
            )
        return value
    try:
        return parse_number(value)
    except ValueError as exc:
        raise RuleError(f"{what}: {exc}") from None


def _optional_number(value: Number | None) -> Decimal | None:
    return None if value is None else _number(value, "policy")


def _round(value: Fraction, decimals: int) -> Decimal:
    """``value`` rounded half away from zero to ``decimals`` places, from the exact quotient."""
    scaled = value * 10**decimals
    quotient, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        quotient += 1
    negative = scaled < 0 and quotient != 0
    digits = tuple(int(digit) for digit in str(quotient))
    return Decimal((1 if negative else 0, digits, -decimals))


def _to_decimal(value: Fraction) -> Decimal:
    """``value`` as a Decimal of at most :data:`PRECISION` digits (exact when it terminates)."""
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def _show(value: Decimal) -> str:
    """A number as a planner writes it: ``91``, ``90.5``, ``-50``."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _spoken(value: Decimal) -> str:
    """:func:`_show` in the notation of the language spoken (``0,5`` in Indonesian): a
    message for planners reads as they read numbers."""
    return format_number(Decimal(_show(value)), group=False)


@frozen
class Policy:
    """An office's floor and cap on the reported capaian; either may be ``None``.

    They apply to the rounded capaian, and the result says so
    (``"capped at 200 (raw 250.00)"``); the raw value is always kept.
    ``with_policy(floor=0)`` on :class:`RuleTables` or ``capaian(..., policy=...)``
    set them; no regulation does, so the shipped table has neither. A floor of 100 or more
    or a cap below 100 would misstate whether a target was met, and is refused
    (:mod:`iku_rules.capaian_policy`).

    >>> Policy(floor=0, cap="200")
    Policy(floor=Decimal('0'), cap=Decimal('200'))
    """

    floor: Decimal | None = field(default=None, converter=_optional_number)
    cap: Decimal | None = field(default=None, converter=_optional_number)

    def __attrs_post_init__(self) -> None:
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise RuleError(
                _("the policy floor {floor} is above its cap {cap}").format(
                    floor=_show(self.floor), cap=_show(self.cap)
                )
            )
        problem = policy_problem(self.floor, self.cap)
        if problem is not None:
            raise RuleError(problem)

    def apply(self, value: Decimal, decimals: int) -> tuple[Decimal, str | None]:
        """The value after the policy, and what the policy did (``None``: nothing)."""
        if self.floor is not None and value < self.floor:
            floor = _round(Fraction(self.floor), decimals)
            return floor, _("floored at {floor} (raw {value})").format(
                floor=_spoken(self.floor), value=format_number(value, group=False)
            )
        if self.cap is not None and value > self.cap:
            cap = _round(Fraction(self.cap), decimals)
            return cap, _("capped at {cap} (raw {value})").format(
                cap=_spoken(self.cap), value=format_number(value, group=False)
            )
        return value, None


def _lower_text(minimum: Decimal | None, inclusive: bool) -> str:
    if minimum is None:
        return _("any value below")
    return f"{'≥' if inclusive else '>'} {_show(minimum)}"


@frozen
class Band:
    """One band of a predikat scale.

    ``min`` is ``None`` only for the open-ended bottom band. ``max`` is written only as a
    check; a band always ends where the band above it starts.
    """

    label: str
    min: Decimal | None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool | None = None
    description: str | None = None

    def admits_from_below(self, value: Decimal) -> bool:
        """Whether ``value`` is at or above this band's lower bound."""
        if self.min is None:
            return True
        return value >= self.min if self.min_inclusive else value > self.min

    def __str__(self) -> str:
        return f"{self.label} ({_lower_text(self.min, self.min_inclusive)})"


@frozen
class Scale:
    """A predikat scale: bands from the highest to the lowest, gap-free, checked on load."""

    name: str
    bands: tuple[Band, ...]
    title: str | None = None

    def band(self, value: Decimal) -> Band:
        """The band ``value`` falls in (the value is used as given, not rounded)."""
        for band in self.bands:
            if band.admits_from_below(value):
                return band
        unreachable = (
            "a checked scale ends with an open-ended bottom band"  # i18n: not for planners
        )
        raise AssertionError(unreachable)


@frozen
class AkipComponent:
    """A component of the AKIP evaluation and the most it can score."""

    name: str
    max: Decimal
    aliases: tuple[str, ...] = ()
