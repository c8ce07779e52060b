"""The trend of each IKU over the plan years, and each year of it evaluated, or the reason it
shows none: a year after the report's period is never evaluated (no future in a report); the
report's own year, asked for a triwulan, runs up to that triwulan only; the other years are
evaluated in one pass over the data, or one at a time when that fails, so that each year says
why it has none. A year whose evaluation was made before it was over is marked provisional
(:attr:`TrendPoint.provisional`): its figures are not the year's; one whose data stop short
of its end or miss a declared region says so (:mod:`~iku_rules.data_gaps`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from attrs import evolve, frozen

from iku_rules.data_gaps import DataGap, data_gaps
from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.model import Target
from iku_rules.output import target_text
from iku_rules.periods import Period
from iku_rules.report import numbers
from iku_rules.report.numbers import display_decimals, target_decimals

if TYPE_CHECKING:
    from iku_rules.engine import Engine
    from iku_rules.model import Definitions, Indicator
    from iku_rules.results import Evaluation, IndicatorResult


def figure_notes(
    realisasi: Decimal | None,
    reason: str | None,
    target: Target | None,
    capaian: Decimal | None,
    capaian_reason: str | None,
    policy_applied: str | None,
) -> tuple[str, ...]:
    """What the ``Keterangan`` column says of a row's figures: why one is missing, and what
    the office's capaian policy did."""
    notes: list[str] = []
    if realisasi is None:
        notes.append(_("realisasi not available: {reason}").format(reason=reason or _("no value")))
    # Without realisasi there is no capaian, which needs no saying unless the target
    # is missing too.
    if capaian is None and capaian_reason and (realisasi is not None or target is None):
        notes.append(_("capaian not available: {reason}").format(reason=capaian_reason))
    if policy_applied:
        notes.append(_("policy: {policy}").format(policy=policy_applied))
    return tuple(notes)


@frozen
class TrendPoint:
    """One year of an IKU's trend: the baseline (``baseline`` True, its value as
    ``realisasi``) or a plan year with its target and the realisasi where data exists."""

    year: int | None
    baseline: bool
    target: Target | None
    realisasi: Decimal | None
    capaian: Decimal | None
    predikat: str | None
    reason: str | None
    capaian_reason: str | None = None
    policy_applied: str | None = None
    part: str | None = None
    """For a year the report covers in part, what its figures cover (``target`` is then the
    target to date, the one its capaian is against)."""
    provisional_note: str | None = None
    """Why the year's figures are provisional, its evaluation made before the year (or the
    part of it the report covers) was over (:meth:`Evaluation.provisional_note
    <iku_rules.results.Evaluation.provisional_note>`); None when it was over."""
    gaps: tuple[DataGap, ...] = ()
    """Where the data of the year's value stop short of its end or miss a declared region
    (:func:`~iku_rules.data_gaps.data_gaps`)."""
    decimals: int = 2
    """How many decimals its target and realisasi are shown with: those the report of its
    year shows them with in its tables (:func:`display_decimals` of its own value), so that
    a count of 3 is ``3`` in both, never ``3.00`` in the trend because another year's value
    (2.5) is not whole."""

    @property
    def provisional(self) -> bool:
        """Whether the year was not over on the day it was evaluated: its realisasi, capaian
        and predikat can still change (:attr:`provisional_note` says why)."""
        return self.provisional_note is not None

    @property
    def notes(self) -> tuple[str, ...]:
        """Why a figure is provisional, what it covers, where its data stop short or miss a
        region, why a figure is missing, and what the capaian policy did (as
        :attr:`Row.notes <iku_rules.report.tables.Row.notes>`)."""
        if self.baseline:
            return (
                (_("baseline not available: {reason}").format(reason=self.reason),)
                if self.reason
                else ()
            )
        notes = figure_notes(
            self.realisasi,
            self.reason,
            self.target,
            self.capaian,
            self.capaian_reason,
            self.policy_applied,
        )
        first = tuple(note for note in (self.provisional_note, self.part) if note)
        return (*first, *(gap.text for gap in self.gaps), *notes)

    @property
    def keterangan(self) -> str:
        return "; ".join(self.notes)


@frozen
class TrendSeries:
    """An IKU over the baseline year and the plan years."""

    indicator_id: str
    indikator: str
    satuan: str
    percent: bool
    points: tuple[TrendPoint, ...]

    def realisasi_decimals(self, point: TrendPoint) -> int:
        """The decimals ``point``'s realisasi is shown with: a year's beside its target
        (:func:`numbers.realisasi_decimals`); the baseline, stated in the definitions, with every
        decimal it is written with, as a target is (92.5 with 0 decimals: ``92.5``, not 93)."""
        if point.baseline and point.realisasi is not None:
            return target_decimals(point.realisasi, point.decimals)
        return numbers.realisasi_decimals(point.realisasi, point.target, point.decimals)

    @property
    def provisional(self) -> bool:
        """Whether any year of the trend is provisional (:attr:`TrendPoint.provisional`)."""
        return any(point.provisional for point in self.points)


def plan_years(definitions: Definitions, period: Period) -> tuple[int, ...]:
    """The office's plan years; without a plan, the years the IKU have targets for and
    the report's year."""
    office = definitions.office
    if office is not None and office.plan_start is not None and office.plan_end is not None:
        return tuple(range(office.plan_start, office.plan_end + 1))
    years = {period.year}
    for indicator in definitions.indicators:
        if indicator.iku:
            years.update(indicator.targets)
    return tuple(sorted(years))


def trend_series(
    engine: Engine, evaluation: Evaluation, iku: list[Indicator], years: tuple[int, ...]
) -> Iterator[TrendSeries]:
    """Each IKU over the baseline year and ``years``, each year evaluated with ``engine``
    (``evaluation``, the report's own, reused for its year)."""
    office = engine.definitions.office
    baseline_year = office.baseline_year if office else None
    by_year = plan_years_evaluated(engine, evaluation, years)
    for indicator in iku:
        points: list[TrendPoint] = []
        if baseline_year is not None or indicator.baseline is not None:
            reason = None if indicator.baseline is not None else _("the definitions give none")
            points.append(
                TrendPoint(baseline_year, True, None, indicator.baseline, None, None, reason)
            )
        for year in years:
            target = indicator.targets.get(year)
            found = by_year[year]
            if isinstance(found, str):
                points.append(TrendPoint(year, False, target, None, None, None, found))
                continue
            points.append(_trend_point(year, target, found.get(indicator.id), found))
        yield TrendSeries(
            indicator.id,
            indicator.name,
            indicator.unit,
            indicator.is_percent,
            tuple(
                evolve(p, decimals=display_decimals(engine.definitions, indicator, (p.realisasi,)))
                for p in points
            ),
        )


def _trend_point(
    year: int, target: Target | None, result: IndicatorResult, evaluation: Evaluation
) -> TrendPoint:
    """The trend's point of ``year``; evaluated for part of it (the report's own year, asked
    for a triwulan), the target shown is the one its capaian is against, the target to
    date, and the note gives the year's."""
    capaian = result.capaian
    period = evaluation.period
    part = None
    if period.kind != "year":
        if target is None:
            part = _("realisasi up to {period}").format(period=period.label)
        else:
            part = _("realisasi up to {period}; the target for the whole year is {target}").format(
                period=period.label, target=target_text(target)
            )
        target = result.target
    return TrendPoint(
        year,
        False,
        target,
        result.value,
        capaian.value if capaian else None,
        result.predikat,
        result.reason,
        result.capaian_reason,
        capaian.policy_applied if capaian else None,
        part,
        evaluation.provisional_note(),
        data_gaps(evaluation, result.indicator.id),
    )


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
