"""Predikat: the band of a rating scale a value falls in."""

from __future__ import annotations

from fractions import Fraction
from typing import overload

from iku_rules.i18n import _
from iku_rules.rules.base import Number, _number, _round
from iku_rules.rules.tables import RuleTables, default_rules


@overload
def predikat(value: None, scale: str = "capaian", *, rules: RuleTables | None = None) -> None: ...


@overload
def predikat(value: Number, scale: str = "capaian", *, rules: RuleTables | None = None) -> str: ...


@overload
def predikat(
    value: Number | None, scale: str = "capaian", *, rules: RuleTables | None = None
) -> str | None: ...


def predikat(
    value: Number | None, scale: str = "capaian", *, rules: RuleTables | None = None
) -> str | None:
    """The label of the band of ``scale`` that ``value`` falls in; ``None`` for ``None``.

    The value is first rounded to the table's decimals (half away from zero), so the
    predikat agrees with the number as reported.

    >>> predikat(90.99), predikat(91), predikat(100.71), predikat(-50)
    ('Tinggi', 'Sangat Tinggi', 'Sangat Tinggi', 'Sangat Rendah')
    >>> predikat("90,9950")  # "90,995" could also be 90995, where ',' groups thousands
    'Sangat Tinggi'
    """
    if value is None:
        return None
    tables = default_rules() if rules is None else rules
    chosen = tables.scale(scale)
    number = _round(Fraction(_number(value, _("predikat value"))), tables.decimals)
    return chosen.band(number).label
