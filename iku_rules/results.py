"""What an evaluation gives: every indicator's result (value, trace, capaian, predikat) per
region, with the measures and realisasi each was computed from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from iku_rules.additive import (
    absent_note,
    skipped_note,
    skipped_triwulan,
    stale_level,
    stale_note,
)
from iku_rules.decimals import round_half_away
from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Definitions, Indicator, Target
from iku_rules.output import json_target
from iku_rules.periods import Period
from iku_rules.provisional import is_provisional, provisional_note
from iku_rules.reasons import WHOLE_AREA_ONLY, Reason, code_of
from iku_rules.rules.capaian import CapaianResult
from iku_rules.sources.base import Query
from iku_rules.summed_levels import levels_fact, summed_levels
from iku_rules.trace import TraceStep

if TYPE_CHECKING:
    from iku_rules.breakdowns import Reach


def check_by(levels: Sequence[str], by: str) -> None:
    """Raise an :class:`IkuError` unless results can be given by ``by``, one of ``levels``."""
    if not levels:
        raise IkuError(
            _("no source has a region column, so results cannot be given by {by}").format(by=by)
        )
    if by not in levels:
        raise IkuError(
            _(
                "results cannot be given by '{by}': it is not a declared level; the"
                " declared levels are {levels}"
            ).format(by=by, levels=", ".join(levels))
        )


@frozen
class MeasureUse:
    """A measure as one indicator used it, for one region: its value (or reason), the
    raw counts, how it was fetched, and how much each sub kegiatan contributed."""

    spec: MeasureSpec
    region: str | None
    value: Decimal | None
    reason: str | None
    tally: Tally | None
    query: Query | None
    rows_read: int | None
    parts: Callable[[], tuple[tuple[str, Tally], ...]] | None = field(
        default=None, eq=False, repr=False
    )
    """What gives :attr:`breakdown`, asked only when it is read."""
    dates: Callable[[], Reach | None] | None = field(default=None, eq=False, repr=False)
    """What gives :attr:`reach`, asked only when it is read."""

    @property
    def breakdown(self) -> tuple[tuple[str, Tally], ...]:
        """How much each sub kegiatan contributed (its tally), by code. Only explanations
        read it, so it is fetched on first read, for every measure of the source at once;
        empty when the source has no breakdown column, or when its data changed since the
        evaluation (the parts would not add up to the value)."""
        return () if self.parts is None else self.parts()

    @property
    def reach(self) -> Reach | None:
        """How far the dates of the source's rows in the period reach, for the region, before
        the measure's filter (:class:`~iku_rules.breakdowns.Reach`). Only explanations read
        it, so it is fetched on first read; None when the source has no date column, or
        when its data changed since the evaluation."""
        return None if self.dates is None else self.dates()


@frozen
class RealisasiUse:
    """The realisasi reported for one indicator: its sum and the value of each triwulan."""

    value: Decimal | None
    reason: str | None
    rows: int
    by_triwulan: tuple[tuple[str, Decimal | None], ...]
    query: Query | None
    absent: tuple[tuple[str, str, str], ...] = ()
    """The regions without a row in a triwulan of the period that others report, though
    they report the indicator in another triwulan of its year, as ``(level, region,
    triwulan)``: for the whole area its regions of the table's largest level, for a region
    itself (:meth:`~iku_rules.keyed_rows.RealisasiRows.use`). The sum counts them as none."""


@frozen
class IndicatorResult:
    """One indicator's value for one period and region (``None``: the whole kabupaten)."""

    indicator: Indicator
    period: Period
    region: str | None
    value: Decimal | None
    unit: str | None
    reason: str | None
    trace: TraceStep | None = None
    measures: tuple[MeasureUse, ...] = ()
    inputs: tuple[tuple[str, Decimal | None, str | None], ...] = ()
    parameters: tuple[tuple[str, Decimal], ...] = ()
    indicators: tuple[str, ...] = ()
    realisasi: RealisasiUse | None = None
    target: Target | None = None
    capaian: CapaianResult | None = None
    predikat: str | None = None
    area: str = field(default="daerah", eq=False)
    """The word for the whole area (``kabupaten``, ``kota``), said in reasons."""

    def rounded(self, places: int) -> Decimal | None:
        """The value rounded to ``places`` decimals half away from zero, as the reports
        round it (None when not available); Python's ``round()`` rounds half to even."""
        return None if self.value is None else round_half_away(self.value, places)

    @property
    def id(self) -> str:
        return self.indicator.id

    def assessed(
        self, target: Target | None, capaian: CapaianResult | None, predikat: str | None
    ) -> IndicatorResult:
        """This result with ``target``, ``capaian`` and ``predikat``, every other field kept:
        what ``attrs.evolve`` gives, without its look-up of the fields on every call (it is
        called for every indicator, region and period)."""
        return IndicatorResult(
            self.indicator, self.period, self.region, self.value, self.unit, self.reason,
            self.trace, self.measures, self.inputs, self.parameters, self.indicators,
            self.realisasi, target, capaian, predikat, self.area,
        )  # fmt: skip

    @property
    def capaian_reason(self) -> str | None:
        """Why there is no capaian (``None`` when there is one)."""
        if self.capaian is None:
            if self.region is None:
                return None
            return Reason(
                _("capaian is given for the whole {area} only").format(area=self.area),
                WHOLE_AREA_ONLY,
            )
        return self.capaian.reason

    def as_row(self) -> dict[str, Any]:
        """The result as one row of ``iku eval`` output; numbers are exact Decimals (write
        them with :func:`iku_rules.output.json_dumps`, or :func:`~iku_rules.output.cell_text`).

        ``unit`` says how to read the number: ``%`` where the value is a percentage (in
        percentage points), else None. ``satuan`` says what it counts: the indicator's
        satuan as the definitions write it (``Persen``, ``Km``, ``per 1.000 Penduduk``),
        the one the report's Satuan column shows, in every row (a target is in it too)."""
        return {
            "id": self.indicator.id,
            "name": self.indicator.name,
            "level": self.indicator.level,
            "period": self.period.label,
            "region": self.region,
            "value": self.value,
            "unit": self.unit,
            "satuan": self.indicator.unit,
            "reason": self.reason,
            "reason_code": code_of(self.reason),
            "target": json_target(self.target),
            "capaian": self.capaian.value if self.capaian else None,
            "capaian_reason": self.capaian_reason,
            "capaian_reason_code": code_of(self.capaian_reason),
            "predikat": self.predikat,
            "policy_applied": self.capaian.policy_applied if self.capaian else None,
        }


@frozen(hash=False)
class Evaluation:
    """Every indicator's result for one period, for the kabupaten and each region, made on
    the day :attr:`today`: numbers of a period not over on that day are provisional
    (:attr:`provisional`)."""

    definitions: Definitions
    period: Period
    by: str | None
    regions: tuple[str, ...]
    results: tuple[IndicatorResult, ...]
    queries: tuple[Query, ...] = ()
    backend: str = "duckdb"
    today: date | None = None
    """The day the evaluation was made on (:mod:`iku_rules.provisional`); None: not known."""
    previous: Evaluation | None = field(default=None, eq=False, repr=False)
    """The evaluation of the period before, which ``sebelumnya`` read (None when no formula
    reads it): how far its data reach is said too (:func:`iku_rules.previous.previous_uses`)."""
    _index: dict[tuple[str, str | None], IndicatorResult] = field(
        factory=dict, eq=False, repr=False, init=False
    )

    def get(self, indicator_id: str, region: str | None = None) -> IndicatorResult:
        """The result of one indicator (``region`` None: the whole kabupaten)."""
        if not self._index:  # filed when first asked: many evaluations are only listed
            self._index.update({(r.indicator.id, r.region): r for r in self.results})
        try:
            return self._index[(indicator_id, region)]
        except KeyError:
            from iku_rules.suggest import did_you_mean, hinted

            if region is not None and region not in self.regions:
                raise IkuError(
                    hinted(
                        _("no region '{region}' in the results").format(region=region),
                        did_you_mean(region, self.regions),
                    )
                ) from None
            ids = [i.id for i in self.definitions.indicators]
            raise IkuError(
                hinted(
                    _("no indicator '{indicator}'").format(indicator=indicator_id),
                    did_you_mean(indicator_id, ids),
                )
            ) from None

    @property
    def provisional(self) -> bool:
        """Whether the period was not over on the day of the evaluation: its values and
        capaian can still change, and are not the period's (:mod:`iku_rules.provisional`)."""
        return is_provisional(self.period, self.today)

    def provisional_note(self, language: str | None = None) -> str | None:
        """Why the numbers are provisional, in ``language`` (None: the language spoken);
        None when the period was over."""
        return provisional_note(self.period, self.today, language)

    def rows(self) -> list[dict[str, Any]]:
        """Every result as a row: kabupaten rows first, then per region; each row says
        whether its numbers are ``provisional`` (the period not over on the day of the
        evaluation), and in ``note`` (else None) what its value counts as none: a triwulan
        of its realisasi not reported before the last one reported or, in a period over on
        the day of the evaluation, after it (:func:`~iku_rules.additive.skipped_triwulan`),
        as the text listing and the reports mark it; a realisasi read ``terakhir`` whose
        last triwulan is not reported in a period over
        (:func:`~iku_rules.additive.stale_level`); a realisasi summed over regions one of
        which has no row in a triwulan it reports in another (:func:`~iku_rules.additive.absent_note`);
        and a realisasi summed over triwulan that
        look like levels reached or totals so far
        (:func:`~iku_rules.summed_levels.summed_levels`)."""
        provisional = self.provisional
        over = self.today is not None and not provisional
        rows = []
        for result in self.results:
            row = result.as_row()
            row["provisional"] = provisional
            area = None if result.region is None else self.get(result.indicator.id)
            skipped = skipped_triwulan(result, self.definitions, area, over)
            notes = (
                [skipped_note(result.indicator.id, tuple(skipped), self.period.label)]
                if skipped
                else []
            )
            stale = stale_level(result, self.definitions, area, over)
            if stale:
                notes.append(stale_note(result.indicator.id, *stale, self.period.label))
            if result.realisasi is not None and result.realisasi.absent:
                notes.append(absent_note(result.indicator.id, result.realisasi.absent, self.period))
            levels = summed_levels(result, self.definitions)
            if levels:
                notes.append(levels_fact(result, levels).text)
            row["note"] = "; ".join(notes) if notes else None
            rows.append(row)
        return rows

    def explain(self, indicator_id: str, region: str | None = None) -> Any:
        """The tree of how one value was reached, down to the data (see :mod:`iku_rules.explain`)."""
        from iku_rules.explain import explain

        return explain(self, indicator_id, region)
