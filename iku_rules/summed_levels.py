"""A realisasi summed over triwulan whose triwulan look like levels, not what each added.

An office reports a count each triwulan either as what was added in it (people served in
TW1, in TW2, …: a flow, summed over the year) or as where it stands (posyandu aktif at the
end of each triwulan, or the year's total so far, *s.d. triwulan*): a level, whose year is
its last triwulan. The indicator says which by its method across triwulan
(``capaian_method = "terakhir"`` for a level, see :mod:`iku_rules.additive`); an indicator
that leaves it out is summed. Posyandu reported 44, 46, 48 and 48 are then 186 for the year
against a target of 50 (372 %, where 48 is 96 %), and a total so far of 20, 45, 70 and 100
is 235 against 100: a flattering capaian, with nothing wrong to see in the data.

Nothing in a number tells a level from a flow for certain, so the value is kept as the
definitions ask, and marked (:func:`summed_levels`) where the triwulan read as levels so
plainly that a flow would be out of all proportion: their sum at least one and a half
times the period's target, the last triwulan alone at least half of it, and either every
triwulan at least the one before (totals so far) or every one at least half the target
(a level, which may fall: posyandu closed). A flow of 12, 12, 13 and 13 against 50 is not
marked (its last triwulan is a quarter of the target), nor 30, 20, 40 and 35 (neither
shape); 30 a triwulan against 50 is (240 %: worth a second look even where it is a flow).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING

from attrs import frozen

from iku_rules.additive import adds_up, triwulan_method
from iku_rules.i18n import _
from iku_rules.model import Definitions
from iku_rules.trace import format_decimal

if TYPE_CHECKING:
    from iku_rules.results import IndicatorResult

LAST_SHARE = Decimal("0.5")
"""The share of the period's target the last triwulan reported alone reaches, at least."""

SUM_TIMES = Decimal("1.5")
"""How many times the period's target the sum of the triwulan reaches, at least."""


def summed_levels(result: IndicatorResult, definitions: Definitions) -> tuple[Decimal, ...]:
    """The values of the triwulan reported (in order) that the result's value sums over the
    period and that look like levels rather than what each triwulan added (see the module):
    empty where they do not, where the value is not that sum, where the indicator is read
    ``terakhir`` or its satuan does not add up (never summed), and where the result has no
    target that is one number above 0."""
    use, indicator, period, target = (
        result.realisasi, result.indicator, result.period, result.target,
    )  # fmt: skip
    if (
        use is None
        or use.value is None
        or result.value != use.value  # the value is the realisasi summed, nothing else
        or not isinstance(target, Decimal)
        or target <= 0
        or len(period.triwulan) < 2
        or not adds_up(indicator, definitions)
        or triwulan_method(indicator, definitions) == "terakhir"
    ):
        return ()
    covered = set(period.triwulan)
    values = tuple(v for label, v in use.by_triwulan if v is not None and label in covered)
    if len(values) < 2 or values[0] < 0:
        return ()
    half = target * LAST_SHARE
    totals_so_far = all(later >= earlier for earlier, later in pairwise(values))
    levels = min(values) >= half  # a level that stays, or falls (posyandu closed)
    if (
        (totals_so_far or levels)
        and values[-1] >= half
        and sum(values, Decimal(0)) >= target * SUM_TIMES
    ):
        return values
    return ()


@frozen
class SummedLevels:
    """A realisasi of ``indicator`` summed over the triwulan of ``period`` (its label) to
    ``total``, from triwulan ``values`` that look like levels (:func:`summed_levels`),
    against ``target``."""

    indicator: str
    values: tuple[Decimal, ...]
    total: Decimal
    target: Decimal
    period: str

    @property
    def text(self) -> str:
        """The fact in the language spoken, with the fix."""
        return _(
            "the realisasi of {indicator} over {period} is the sum {values} = {total} against"
            " a target of {target}; if each triwulan reports the level reached or the total so"
            " far, not what was added in it, the period's value is its last triwulan ({last}):"
            ' write capaian_method = "terakhir"'
        ).format(
            indicator=self.indicator,
            period=self.period,
            values=" + ".join(format_decimal(value) for value in self.values),
            total=format_decimal(self.total),
            target=format_decimal(self.target),
            last=format_decimal(self.values[-1]),
        )


def levels_fact(result: IndicatorResult, values: tuple[Decimal, ...]) -> SummedLevels:
    """The fact of ``result``, whose triwulan ``values`` :func:`summed_levels` found."""
    assert result.value is not None and isinstance(result.target, Decimal)
    return SummedLevels(
        result.indicator.id, values, result.value, result.target, result.period.label
    )
