"""Where an indicator's value rests on data that stop short or miss a region: the facts a
report's ``Keterangan`` and the workspace's cascade state beside the number
(:func:`data_gaps`).

A filed table that shows 2026's % PMKS tertangani over a service log whose rows stop at
30 September reads as the year's; a kabupaten's value over a log without Cibitung's rows
counts Cibitung as none. The explanations say so deep down; the tables say it briefly, for
each measure the indicator's formula reads, through the other indicators it reads too.
The facts come from the same lazy query the explanations ask
(:attr:`MeasureUse.reach <iku_rules.results.MeasureUse.reach>`: one per source of an
evaluation, never asked by ``iku eval``); their words are made when the report is drawn, in
the language it is drawn in. A realisasi reported for TW1 (20) and TW3 (65) is summed to
85 to TW3, TW2 counted as none, and one reported for TW1 to TW3 alone is summed to 2026's in
2027, TW4 counted as none: that is said too, known from the realisasi without a query
(:func:`~iku_rules.additive.skipped_triwulan`), and so is a realisasi of posyandu reported
44, 46, 48 and 48 summed to 186 for the year, where each triwulan looks like the level
reached (:func:`~iku_rules.summed_levels.summed_levels`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from attrs import frozen

from iku_rules.additive import (
    absent_note,
    skipped_note,
    skipped_triwulan,
    stale_level,
    stale_note,
)
from iku_rules.explain_lines import ABSENT_SHOWN, short_days
from iku_rules.i18n import _, cut_short, format_day
from iku_rules.periods import Period
from iku_rules.previous import indicators_read, measures_read, previous_uses
from iku_rules.regions import level_name
from iku_rules.summed_levels import SummedLevels, levels_fact, summed_levels

if TYPE_CHECKING:
    from iku_rules.results import Evaluation, MeasureUse


@frozen
class DataEnd:
    """A source whose rows in a period over on the day of the evaluation stop ``days``
    (more than 31: :func:`~iku_rules.explain_lines.short_days`) before its end, at
    ``last``; or (``last`` None) have none in it while the measure counts that as 0. If
    the rows after are not entered yet, the value is not the period's."""

    source: str
    time: str
    last: date | None
    days: int | None
    before: str | None = None
    """The period before (its label), when the data are those ``sebelumnya`` read."""

    @property
    def text(self) -> str:
        """The fact in the language spoken, for the ``Keterangan``."""
        if self.before is not None:
            return self._before(self.before)
        if self.last is None:
            if self.time == "flow":
                return _("{source} has no rows in the period").format(source=self.source)
            return _("{source} has no rows up to the period's end").format(source=self.source)
        return _("{source}'s data end on {last}, {days} days before the period's end").format(
            source=self.source, last=format_day(self.last), days=self.days
        )

    def _before(self, period: str) -> str:
        if self.last is None:
            if self.time == "flow":
                said = _("{source} has no rows in {period}, the period before")
            else:
                said = _("{source} has no rows up to the end of {period}, the period before")
            return said.format(source=self.source, period=period)
        return _(
            "{source}'s data for {period}, the period before, end on {last}, {days} days"
            " before its end"
        ).format(source=self.source, period=period, last=format_day(self.last), days=self.days)


@frozen
class NoRows:
    """The declared regions of one level (``level``, as the office names it) that no row
    of a source in the period names: the whole area's value counts them as none."""

    source: str
    level: str
    names: tuple[str, ...]
    before: str | None = None
    """The period before (its label), when the data are those ``sebelumnya`` read."""

    @property
    def text(self) -> str:
        """The fact in the language spoken (five names at most, then how many more)."""
        said = (
            _("{source} has no rows for {count} {level}: {names}")
            if self.before is None
            else _(
                "{source} has no rows in {period}, the period before, for {count} {level}: {names}"
            )
        )
        return said.format(
            source=self.source,
            count=len(self.names),
            level=self.level,
            names=cut_short(self.names, ABSENT_SHOWN),
            period=self.before,
        )


@frozen
class Skipped:
    """The triwulan (``missing``) not reported of a realisasi summed over the triwulan of
    ``period`` (its label), before the last one reported or, in a period over, after it:
    the sum counts them as none (:func:`~iku_rules.additive.skipped_triwulan`)."""

    indicator: str | None
    """None: the fact said once for the several indicators a listing names after it."""
    missing: tuple[str, ...]
    period: str

    @property
    def text(self) -> str:
        """The fact in the language spoken."""
        return skipped_note(self.indicator, self.missing, self.period)

    def shared(self) -> Skipped:
        """The fact without its indicator, alike for every indicator missing the same
        triwulan: a listing says it once and names them after it (most of the sample
        office's counts, reported to TW3, miss TW4 of 2026 evaluated in 2027)."""
        return Skipped(None, self.missing, self.period)


@frozen
class StaleLevel:
    """The last triwulan (``missing``) of ``period`` (its label), over, that a realisasi
    read ``terakhir`` does not report, so that the level of ``used`` stands for it
    (:func:`~iku_rules.additive.stale_level`)."""

    indicator: str
    missing: str
    used: str
    period: str

    @property
    def text(self) -> str:
        """The fact in the language spoken."""
        return stale_note(self.indicator, self.missing, self.used, self.period)


@frozen
class Absent:
    """The regions without a row of a realisasi in a triwulan of ``period`` that others
    report, though they report it in another triwulan of its year (``absent``:
    :attr:`~iku_rules.results.RealisasiUse.absent`): the sum counts them as none."""

    indicator: str | None
    """None: the fact said once for the several indicators a listing names after it."""
    absent: tuple[tuple[str, str, str], ...]
    period: Period

    @property
    def text(self) -> str:
        """The fact in the language spoken."""
        return absent_note(self.indicator, self.absent, self.period)

    def shared(self) -> Absent:
        """The fact without its indicator, alike for every indicator missing the same rows."""
        return Absent(None, self.absent, self.period)


DataGap = DataEnd | NoRows | Skipped | StaleLevel | SummedLevels | Absent
"""A fact of where the data of a row's value stop short or miss a region, of a triwulan
its realisasi does not report, or of triwulan summed that look like levels."""


def data_gaps(
    evaluation: Evaluation, indicator_id: str, region: str | None = None
) -> tuple[DataGap, ...]:
    """Where the data of an indicator's value (for ``region``, None: the whole area) stop
    short or miss a region, for each measure its formula reads and those of the indicators
    it reads (each source said once): as its explanation says, a service log's rows ending
    more than 31 days before the end of a period over (not said of a period not over: its
    provisional note covers it), and for the whole area the declared regions without a row;
    and the same of the period before, for what ``sebelumnya`` read of it; and a realisasi
    summed over triwulan with one not reported before the last one reported or, in a period
    over (not provisional, on a day known), after it; one read ``terakhir`` whose last
    triwulan is not reported in a period over; and one summed over triwulan that look like
    levels reached or totals so far (:func:`~iku_rules.summed_levels.summed_levels`).
    """
    gaps: dict[DataGap, None] = {}  # in the order found, each once
    result = evaluation.get(indicator_id, region)
    area = None if region is None else evaluation.get(indicator_id)
    over = evaluation.today is not None and not evaluation.provisional
    skipped = skipped_triwulan(result, evaluation.definitions, area, over)
    if skipped:  # known without a query
        gaps[Skipped(indicator_id, tuple(skipped), result.period.label)] = None
    stale = stale_level(result, evaluation.definitions, area, over)
    if stale:  # known without a query too
        gaps[StaleLevel(indicator_id, *stale, result.period.label)] = None
    if result.realisasi is not None and result.realisasi.absent:  # likewise
        gaps[Absent(indicator_id, result.realisasi.absent, result.period)] = None
    levels = summed_levels(result, evaluation.definitions)
    if levels:  # likewise
        gaps[levels_fact(result, levels)] = None
    _gaps(evaluation, measures_read(evaluation, indicator_id, region), gaps)
    previous = evaluation.previous
    if previous is not None:  # the period before, which sebelumnya read
        for other in indicators_read(evaluation, indicator_id, region):
            uses = previous_uses(evaluation, evaluation.get(other, region))
            _gaps(previous, uses, gaps, previous.period.label)
    return tuple(gaps)


def _gaps(
    evaluation: Evaluation,
    uses: Iterable[MeasureUse],
    gaps: dict[DataGap, None],
    before: str | None = None,
) -> None:
    """Add to ``gaps`` the facts of ``uses``, measures of ``evaluation``'s period (the period
    before, labelled ``before``, when ``sebelumnya`` read them)."""
    over = not evaluation.provisional
    level_names = evaluation.definitions.levels
    for use in uses:
        reach = use.reach if use.tally is not None else None  # asked of the data now
        if reach is None:
            continue
        if reach.last is None:  # no row in the window: counted 0 only by empty = "zero"
            if over and use.value is not None:
                gaps[DataEnd(reach.source, reach.time, None, None, before)] = None
            continue
        days = short_days(reach, evaluation.period, over)
        if days is not None:
            gaps[DataEnd(reach.source, reach.time, reach.last, days, before)] = None
        for absent in reach.absent:  # (for the whole area only)
            if absent.names:
                level = level_name(level_names, absent.level)
                gaps[NoRows(reach.source, level, absent.names, before)] = None
