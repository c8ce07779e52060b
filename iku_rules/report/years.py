"""Each year of a report's trend evaluated, or the reason it shows none: a year after the
report's period is never evaluated (no future in a report); the report's own year, asked
for a triwulan, runs up to that triwulan only; the other years are evaluated in one pass
over the data, or one at a time when that fails, so that each year says why it has none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.periods import Period

if TYPE_CHECKING:
    from iku_rules.engine import Engine
    from iku_rules.results import Evaluation


def plan_years_evaluated(
    engine: Engine, evaluation: Evaluation, years: tuple[int, ...]
) -> dict[int, Evaluation | str]:
    """For each of ``years``, its evaluation, or the reason (a text) there is none;
    ``evaluation`` is the report's own, reused for its year."""
    by_year: dict[int, Evaluation | str] = {}
    asked = evaluation.period
    if asked.kind == "year":
        by_year[asked.year] = evaluation
    wanted: dict[int, Period] = {}
    for year in years:
        if year > asked.year:  # no future: a report shows nothing after its period
            by_year[year] = _("{year} is after the period of the report ({period})").format(
                year=year, period=asked.label
            )
        elif year not in by_year:
            # the report's own year, asked for a triwulan, up to that triwulan only
            period = (
                Period("year", year) if year < asked.year else Period("ytd", year, asked.quarter)
            )
            wanted[year] = period
    try:  # every year of the trend in one pass over the data
        by_year.update(zip(wanted, engine.evaluate_many(wanted.values()), strict=True))
    except IkuError:  # one year at a time, to say which cannot be evaluated
        for year, period in wanted.items():
            try:
                by_year[year] = engine.evaluate(period)
            except IkuError as error:
                by_year[year] = _("{year} could not be evaluated: {error}").format(
                    year=year, error=error
                )
    return by_year
