"""Fetching for one evaluation: every measure, realisasi row and input the cascade needs, one
query per source, for the kabupaten and per region."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from attrs import frozen

from iku_rules.breakdowns import Breakdowns
from iku_rules.evaluator.values import NotAvailable
from iku_rules.i18n import _
from iku_rules.measures import MeasureSpec, Tally, measure_value
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.reasons import (
    DUPLICATE_INPUT,
    MISSING_VALUES,
    NO_INPUT,
    NO_REALISASI,
    NO_REGION_COLUMN,
    NOT_A_WHOLE_YEAR,
    WHOLE_AREA_ONLY,
    Reason,
)
from iku_rules.region_inputs import RegionInputs
from iku_rules.results import MeasureUse, RealisasiUse
from iku_rules.sources.base import Answer, Backend, GroupKey, InputValue, Query
from iku_rules.sources.together import Questions

if TYPE_CHECKING:
    from iku_rules.engine import Engine


@frozen
class RealisasiPlaces:
    """Where a realisasi answer keeps each indicator's total and its triwulan, for the area
    and (when the table has the level's column) per region: the groupings' places."""

    total: int
    quarters: int
    region_total: int | None
    region_quarters: int | None

    @classmethod
    def of(cls, groupings: list[tuple[str, ...]]) -> RealisasiPlaces:
        column = next((g[0] for g in groupings if len(g) == 2 and g[1] == "indikator"), None)
        return cls(
            groupings.index(("indikator",)),
            groupings.index(("indikator", "periode")),
            None if column is None else groupings.index((column, "indikator")),
            None if column is None else groupings.index((column, "indikator", "periode")),
        )


_Quarters = tuple[tuple[str, Decimal | None], ...]
_Reported = tuple[
    dict[str | None, Tally],
    dict[tuple[str | None, ...], Tally],
    dict[str | None, _Quarters],
    dict[tuple[str | None, ...], _Quarters],
]
"""A realisasi answer's groups filed (:meth:`Fetched._file_reported`): the area's total
by indicator, the regions' by region and indicator, and the triwulan reported, keyed so."""


class Fetched:
    """Everything fetched for one period: measure tallies, realisasi, inputs, per group."""

    def __init__(
        self,
        engine: Engine,
        backend: Backend,
        period: Period,
        by: str | None,
        later: Callable[[Source], bool] | None = None,
    ):
        """``later``: the sources whose answers may come in after this returns, while the
        caller works with the others' (:meth:`finish` takes them); None takes every answer
        here."""
        self.engine = engine
        self.backend = backend
        self.period = period
        self.by = by
        self.answers: dict[str, tuple[Answer, list[tuple[str, ...]], list[MeasureSpec]]] = {}
        self.realisasi_answers: dict[str, tuple[Answer, list[tuple[str, ...]]]] = {}
        self.input_values: dict[str, InputValue] = {}
        self.input_query: Query | None = None
        self._wheres: dict[str | None, str] = {}
        specs = engine._needed_specs()
        by_source: dict[str, list[MeasureSpec]] = {}
        for spec in specs.values():
            by_source.setdefault(spec.source.id, []).append(spec)
        self.breakdowns: dict[str, Breakdowns] = {}
        realisasi_ids = [
            i.id for i in engine.definitions.indicators if i.formula_kind == "realisasi"
        ]
        wanted = [i.name for i in engine.definitions.inputs] + [
            i.id for i in engine.definitions.indicators if i.formula_kind == "input"
        ]
        self.region_inputs = RegionInputs(engine.definitions, period.year)
        # Every source's question, none depending on another: asked together where the
        # backend can, the answers taken up in this order.
        questions: list[tuple[Source, Callable[[], Any]]] = []
        takers: list[Callable[[Any], None]] = []
        for source_id, source_specs in by_source.items():
            source = engine.sources[source_id]
            groupings = self.groupings(source)
            questions.append(
                (source, partial(backend.measures, source, source_specs, period, groupings))
            )
            takers.append(partial(self._take_measures, source, groupings, source_specs))
        for source in engine.sources.values():
            if source.kind == "realisasi" and realisasi_ids:
                groupings = self.realisasi_groupings(source)
                questions.append(
                    (source, partial(backend.realisasi, source, realisasi_ids, period, groupings))
                )
                takers.append(partial(self._take_realisasi, source, groupings))
        for source in engine.sources.values():
            if source.kind == "inputs" and wanted and source.regions:
                level, column = next(iter(source.regions.items()))
                questions.append(
                    (source, partial(backend.region_inputs, source, wanted, period.year, column))
                )
                takers.append(partial(self._take_region_inputs, level))
            elif source.kind == "inputs" and wanted:
                questions.append((source, partial(backend.inputs, source, wanted, period.year)))
                takers.append(self._take_inputs)
        self.triwulan = period.triwulan
        self._later: tuple[Questions[Any], list[tuple[int, Callable[[Any], None]]]] | None = None
        self._waiting: set[str] = set()
        """The kinds of the sources whose answers are still to be taken (:meth:`finish`)."""
        if later is None:
            for take, answer in zip(takers, backend.together(questions), strict=True):
                take(answer)
        else:
            asked = backend.together_start(questions)
            now = [index for index, (source, _ask) in enumerate(questions) if not later(source)]
            try:
                found = asked.early(now)
                if found is None:  # a question failed, or is asked again: all taken at once
                    for take, answer in zip(takers, asked.finish(), strict=True):
                        take(answer)
                else:
                    for index, answer in zip(now, found, strict=True):
                        takers[index](answer)
                    taken = set(now)
                    waiting = [(i, take) for i, take in enumerate(takers) if i not in taken]
                    self._later = (asked, waiting)
                    self._waiting = {questions[i][0].kind for i, _take in waiting}
            except BaseException:  # Ctrl-C: the statements still running stop
                asked.stop()
                raise
        self._places()

    def _places(self) -> None:
        self.realisasi_places = [
            (answer, RealisasiPlaces.of(groupings))
            for answer, groupings in self.realisasi_answers.values()
        ]
        self._reported: _Reported | None = None

    def finish(self) -> None:
        """Take the answers that were to come in later (see ``later``), once all are in:
        a question failed raises its error (the first in the questions' order)."""
        if self._later is None:
            return
        (asked, waiting), self._later = self._later, None
        answers = asked.finish()
        for index, take in waiting:
            take(answers[index])
        self._waiting = set()
        self._places()

    def _ready(self, kind: str) -> None:
        """Refuse to read the answers of ``kind``'s sources before they are taken: an
        indicator taken as needing none would read them as missing (a wrong reason)."""
        if kind in self._waiting:
            message = f"the {kind} answers are read before they are in"  # i18n: not for planners
            raise RuntimeError(message)

    def stop(self) -> None:
        """Give up on the answers still to come: their statements stop."""
        if self._later is not None:
            self._later[0].stop()

    def _take_measures(
        self,
        source: Source,
        groupings: list[tuple[str, ...]],
        specs: list[MeasureSpec],
        answer: Answer,
    ) -> None:
        self.answers[source.id] = (answer, groupings, specs)
        if source.breakdown_column:
            self.breakdowns[source.id] = Breakdowns(
                self.engine, self.backend, source, specs, self.period, self.by
            )

    def _take_realisasi(
        self, source: Source, groupings: list[tuple[str, ...]], answer: Answer
    ) -> None:
        self.realisasi_answers[source.id] = (answer, groupings)

    def _take_region_inputs(
        self,
        level: str,
        answer: tuple[Mapping[tuple[str, str | None], InputValue], Query | None],
    ) -> None:
        found, self.input_query = answer
        self.region_inputs.add(level, found)

    def _take_inputs(self, answer: tuple[Mapping[str, InputValue], Query | None]) -> None:
        found, self.input_query = answer
        self.input_values.update(found)

    def region_column(self, source: Source) -> str | None:
        """The column of ``source`` that holds the level results are asked by, if any."""
        return source.regions.get(self.by) if self.by else None

    def groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [()]
        region = self.region_column(source)
        if region:
            groupings.append((region,))
        return groupings

    def realisasi_groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [("indikator",), ("indikator", "periode")]
        region = self.region_column(source)
        if region:
            groupings += [(region, "indikator"), (region, "indikator", "periode")]
        return groupings

    def regions(self) -> tuple[str, ...]:
        """The declared regions of the level results are asked ``by``, in the order declared;
        when the level declares none, the regions any source has rows for."""
        if not self.by:
            return ()
        declared = self.engine.definitions.regions_at(self.by)
        if declared:
            return tuple(region.name for region in declared)
        found: set[str] = set()
        tables = [
            (source_id, answer, groupings)
            for source_id, (answer, groupings, _) in self.answers.items()
        ]
        tables += [
            (source_id, answer, groupings)
            for source_id, (answer, groupings) in self.realisasi_answers.items()
        ]
        for source_id, answer, groupings in tables:
            source = self.engine.sources[source_id]
            column = self.region_column(source)
            if not column:
                continue
            if source_id in self.answers:
                every = self.backend.region_values(source, column)
                if every is not None:
                    found.update(value for value in every if value)
                    continue
            for grouping in ((column,), (column, "indikator")):
                if grouping in groupings:
                    index = groupings.index(grouping)
                    found.update(
                        values[0] for (i, values) in answer.groups if i == index and values[0]
                    )
        return tuple(sorted(found))

    def _where(self, region: str | None) -> str:
        found = self._wheres.get(region)
        if found is not None:
            return found
        if region:
            found = _("in {period} in {by} {region}").format(
                period=self.period.label, by=self.by, region=region
            )
        else:
            found = _("in {period}").format(period=self.period.label)
        self._wheres[region] = found  # asked for every measure and realisasi of a region
        return found

    def measure(self, spec: MeasureSpec, region: str | None) -> MeasureUse:
        answer, groupings, _rows = self.answers[spec.source.id]
        where = self._where(region)
        column = self.region_column(spec.source)
        if region is not None and not column:
            reason = Reason(
                _("{source} has no {by} column, so it has no value per {by}").format(
                    source=spec.source.id, by=self.by
                ),
                NO_REGION_COLUMN,
            )
            return MeasureUse(spec, region, None, reason, None, answer.query, answer.rows_read)
        grain = spec.source.grain
        unavailable = grain.unavailable(self.period) if grain is not None else None
        if unavailable is not None:
            reason = Reason(f"{spec.source.id}: {unavailable}", NOT_A_WHOLE_YEAR)
            return MeasureUse(spec, region, None, reason, None, answer.query, answer.rows_read)
        key: GroupKey = (0, ())
        if region is not None and column:
            key = (groupings.index((column,)), (region,))
        tally = answer.groups.get(key, {}).get(spec.key)
        value = measure_value(spec, tally, where)
        found = self.breakdowns.get(spec.source.id)
        parts = None if found is None else partial(found.parts, spec.key, region)
        if isinstance(value, NotAvailable):
            return MeasureUse(
                spec, region, None, value.reason, tally, answer.query, answer.rows_read, parts
            )
        return MeasureUse(spec, region, value, None, tally, answer.query, answer.rows_read, parts)

    def realisasi(self, indicator_id: str, region: str | None) -> RealisasiUse:
        self._ready("realisasi")
        if not self.realisasi_places:
            return RealisasiUse(
                None, Reason(_('no [[source]] has kind = "realisasi"'), NO_REALISASI), 0, (), None
            )
        answer, places = self.realisasi_places[0]
        if region is not None and places.region_total is None:
            return RealisasiUse(
                None,
                Reason(
                    _("the realisasi table has no {by} column").format(by=self.by),
                    NO_REGION_COLUMN,
                ),
                0,
                (),
                answer.query,
            )
        area, regions, area_quarters, region_quarters = self._reported or self._file_reported(
            answer, places
        )
        if region is None:
            tally = area.get(indicator_id)
            by_quarter = area_quarters.get(indicator_id, ())
        else:
            tally = regions.get((region, indicator_id))
            by_quarter = region_quarters.get((region, indicator_id), ())
        if tally is None or tally.matched == 0:
            where = self._where(region)
            return RealisasiUse(
                None,
                Reason(
                    _("no realisasi reported for {indicator} {where}").format(
                        indicator=indicator_id, where=where
                    ),
                    NO_REALISASI,
                ),
                0,
                by_quarter,
                answer.query,
            )
        if tally.present < tally.matched:
            where = self._where(region)
            missing = tally.matched - tally.present
            return RealisasiUse(
                None,
                Reason(
                    _("{missing} realisasi rows of {indicator} have no nilai {where}").format(
                        missing=missing, indicator=indicator_id, where=where
                    ),
                    MISSING_VALUES,
                ),
                tally.matched,
                by_quarter,
                answer.query,
            )
        return RealisasiUse(tally.value, None, tally.matched, by_quarter, answer.query)

    def _file_reported(self, answer: Answer, places: RealisasiPlaces) -> _Reported:
        """The realisasi answer's groups filed once by indicator, for the area and by region
        and indicator: each one's total, and what each triwulan of the period reported, in
        the period's order (asked for every indicator and region: one pass over the groups,
        not a look-up of them per question)."""
        area: dict[str | None, Tally] = {}
        regions: dict[tuple[str | None, ...], Tally] = {}
        area_reported: dict[str | None, dict[str | None, Decimal | None]] = {}
        region_reported: dict[tuple[str | None, ...], dict[str | None, Decimal | None]] = {}
        for (index, values), tallies in answer.groups.items():
            tally = tallies["total"]
            if index == places.total:
                area[values[0]] = tally
            elif index == places.region_total:
                regions[values] = tally
            elif index == places.quarters:
                area_reported.setdefault(values[0], {})[values[1]] = tally.value
            elif index == places.region_quarters:
                region_reported.setdefault(values[:2], {})[values[2]] = tally.value
        triwulan = self.triwulan
        self._reported = (
            area,
            regions,
            {key: _in_order(triwulan, found) for key, found in area_reported.items()},
            {key: _in_order(triwulan, found) for key, found in region_reported.items()},
        )
        return self._reported

    def input(self, name: str, region: str | None) -> tuple[Decimal | None, str | None]:
        self._ready("inputs")
        if self.region_inputs.holds(name):
            if region is None:
                return self.region_inputs.area(name)
            return self.region_inputs.region(name, self.by, region)
        if region is not None:
            return None, Reason(
                _("inputs are given for the whole {area}, not per {by}").format(
                    area=self.engine.definitions.area, by=self.by
                ),
                WHOLE_AREA_ONLY,
            )
        found = self.input_values.get(name)
        if found is None or found.rows == 0:
            return None, Reason(
                _("the inputs have no value for {year}").format(year=self.period.year), NO_INPUT
            )
        if found.rows > 1:
            return (
                None,
                Reason(
                    _("the inputs have {count} values for '{name}' in {year}; keep one").format(
                        count=found.rows, name=name, year=self.period.year
                    ),
                    DUPLICATE_INPUT,
                ),
            )
        if found.value is None:
            return None, Reason(
                _("its value for {year} is empty in the inputs").format(year=self.period.year),
                NO_INPUT,
            )
        return found.value, None


def _in_order(triwulan: tuple[str, ...], found: Mapping[str | None, Decimal | None]) -> _Quarters:
    """What each of ``triwulan`` reported, those ``found`` in the period's order."""
    return tuple((label, found[label]) for label in triwulan if label in found)
