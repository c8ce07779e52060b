"""An indicator that does not say its polarity, whose targets fall year after year.

``polarity`` may be left out, and is then ``positif``: higher is better. An IKU table
(Tabel 2.1) has no polarity column, so a planner who transcribes *Prevalensi balita
stunting* (baseline 38,2; targets 37, 30, 30) may well leave it out; read as positif, a
realisasi of 33,51 against the target 30 is 33,51 / 30 × 100 = 111,70 %, Sangat Tinggi,
where lower is better makes it (2 × 30 − 33,51) / 30 × 100 = 88,30 %: the worse the
realisasi, the better its capaian, without a word. Targets that fall from year to year
(never rising, the last below the first) are how an indicator where lower is better is
planned, so such an indicator is warned of until its polarity is written.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from iku_rules.check.common import _diagnostic
from iku_rules.i18n import _
from iku_rules.model import Definitions, Diagnostic, Indicator
from iku_rules.trace import format_decimal


def check_unstated_polarity(definitions: Definitions) -> list[Diagnostic]:
    """A warning for each indicator without ``polarity`` whose targets fall (:func:`falling`)."""
    found = []
    for indicator in definitions.indicators:
        if indicator.polarity_location is not None:
            continue
        series = falling(indicator)
        if series is None:
            continue
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' does not say its polarity, so higher is taken as better"
                    " (positif), but its targets fall year after year ({series}), as those of"
                    " an indicator where lower is better do: read as positif, a realisasi"
                    " above its target reads as met (35 against 30 is 116.67 %, where lower is"
                    " better makes it 83.33 %)"
                ).format(id=indicator.id, series=series),
                indicator.location,
                definitions,
                severity="warning",
                suggestion=_(
                    'write polarity = "negatif" if lower is better, or polarity = "positif"'
                    " if higher is"
                ),
                code="polarity-unstated",
            )
        )
    return found


def falling(indicator: Indicator) -> str | None:
    """The baseline and yearly targets of ``indicator``, written out, when there are three
    or more, all single numbers, none above the one before and the last below the first;
    None otherwise (a range or threshold target says its own direction)."""
    years = sorted(indicator.targets)
    values = [indicator.targets[year] for year in years]
    if not all(isinstance(value, Decimal) for value in values):
        return None
    numbers = [value for value in values if isinstance(value, Decimal)]
    shown = [f"{year}: {format_decimal(value)}" for year, value in zip(years, numbers, strict=True)]
    if indicator.baseline is not None:
        numbers.insert(0, indicator.baseline)
        shown.insert(0, _("baseline {value}").format(value=format_decimal(indicator.baseline)))
    if len(numbers) < 3 or not numbers[-1] < numbers[0]:
        return None
    if any(later > before for before, later in pairwise(numbers)):
        return None
    return ", ".join(shown)
