"""Fetching for one evaluation: every measure, realisasi row and input the cascade needs, one
query per source, for the kabupaten and per region."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from iku_rules.additive import adds_up
from iku_rules.breakdowns import Breakdowns, PeriodDates
from iku_rules.evaluator.values import NotAvailable
from iku_rules.i18n import _
from iku_rules.keyed_rows import (
    CODE_COLUMN,
    RealisasiRows,
    period_duplicates,
    period_key,
    period_twice,
    realisasi_key,
    region_columns,
    year_rows,
)
from iku_rules.measures import MeasureSpec, measure_value
from iku_rules.model import Source
from iku_rules.period_gaps import PeriodGaps, earlier_units
from iku_rules.periods import Period
from iku_rules.reasons import (
    DUPLICATE_INPUT,
    NO_INPUT,
    NO_REALISASI,
    NO_REGION_COLUMN,
    NOT_A_WHOLE_YEAR,
    WHOLE_AREA_ONLY,
    Reason,
)
from iku_rules.region_inputs import RegionInputs, merged
from iku_rules.results import MeasureUse, RealisasiUse
from iku_rules.sources.base import Answer, Backend, GroupKey, InputValue, Query
from iku_rules.sources.together import Questions

if TYPE_CHECKING:
    from iku_rules.engine import Engine


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
        self._read: dict[str, RealisasiRows] = {}
        """Each realisasi table's rows by key, read once they are first asked for."""
        self._twice: dict[str, list[tuple[tuple[str | None, ...], int]]] = {}
        """Each table of values per period's keys of more than one row, found once."""
        self._gaps: dict[str, PeriodGaps] = {}
        """Each table of values per period's units and the labels they have rows for."""

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
        if source.breakdown_column or source.date_column:
            # what explanations ask later: the parts by sub kegiatan, the dates the rows reach
            together = getattr(self.backend, "period_dates", None)  # evaluate_many's periods
            self.breakdowns[source.id] = Breakdowns(
                self.engine,
                self.backend,
                source,
                specs,
                self.period,
                self.by,
                together if isinstance(together, PeriodDates) else None,
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
        for name, value in found.items():  # two tables' rows of one name are two rows
            earlier = self.input_values.get(name)
            self.input_values[name] = value if earlier is None else merged(earlier, value)
        self.region_inputs.add_area(found)  # the area's row of an input given per region too

    def region_column(self, source: Source) -> str | None:
        """The column of ``source`` that holds the level results are asked by, if any."""
        return source.regions.get(self.by) if self.by else None

    def groupings(self, source: Source) -> list[tuple[str, ...]]:
        """The whole area, the regions of the level asked ``by``, and for a table of values
        per period each key of its rows (:func:`~iku_rules.keyed_rows.period_key`), whose
        duplicates leave its measures without a value."""
        groupings: list[tuple[str, ...]] = [()]
        region = self.region_column(source)
        if region:
            groupings.append((region,))
        key = period_key(source, self.engine.definitions.level_ids())
        if key:
            groupings.append(key)
        return groupings

    def realisasi_groupings(self, source: Source) -> list[tuple[str, ...]]:
        """One group per key of the realisasi rows (:func:`~iku_rules.keyed_rows.realisasi_key`):
        duplicates, an area's row beside its regions' and the sums are read from them."""
        return [realisasi_key(source, self.engine.definitions.level_ids())]

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
                    under = self.backend.qualifications(source).get(column)
                    if under is not None:  # the names under two parents, by their labels
                        found -= {name for _parent, name in under.labels}
                        found.update(under.labels.values())
                    continue
            for grouping in groupings:
                if column in grouping and (grouping == (column,) or source.kind == "realisasi"):
                    index, at = groupings.index(grouping), grouping.index(column)
                    for i, values in answer.groups:
                        if i == index and values[at]:
                            found.add(str(values[at]))
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
        if spec.source.grain is not None:
            keys = self._twice.get(spec.source.id)
            if keys is None:
                keys = self._twice[spec.source.id] = period_twice(answer.groups, len(groupings) - 1)
            twice = period_duplicates(spec.source, keys, groupings[-1], column, region, where)
            if twice is not None:
                return MeasureUse(spec, region, None, twice, tally, answer.query, answer.rows_read)
            gap = self._gap(spec.source, answer, groupings, column, region)
            if gap is not None:
                return MeasureUse(spec, region, None, gap, tally, answer.query, answer.rows_read)
        value = measure_value(spec, tally, where)
        found = self.breakdowns.get(spec.source.id)
        parts = dates = None
        if found is not None:  # asked only when an explanation reads them
            parts = partial(found.parts, spec.key, region)
            dates = partial(found.reach, spec.time, region)
        if isinstance(value, NotAvailable):
            return MeasureUse(
                spec,
                region,
                None,
                value.reason,
                tally,
                answer.query,
                answer.rows_read,
                parts,
                dates,
            )
        return MeasureUse(
            spec, region, value, None, tally, answer.query, answer.rows_read, parts, dates
        )

    def _gap(
        self,
        source: Source,
        answer: Answer,
        groupings: list[tuple[str, ...]],
        column: str | None,
        region: str | None,
    ) -> Reason | None:
        """Why a measure of ``source`` (a table of values per period) has no value for the
        place asked: a unit of it has no row for a label of the period
        (:mod:`~iku_rules.period_gaps`)."""
        gaps = self._gaps.get(source.id)
        if gaps is None:
            levels = self._levels(source)
            gaps = self._gaps[source.id] = PeriodGaps(
                source, answer.groups, len(groupings) - 1, groupings[-1],
                levels, self.period, self.engine.definitions,
                self.backend.qualifications(source),
                earlier_units(self.backend, source, levels, self.period),
            )  # fmt: skip
        return gaps.reason(column, region)

    def realisasi(self, indicator_id: str, region: str | None) -> RealisasiUse:
        """The realisasi of ``indicator_id`` for the whole area or one region: its rows per
        triwulan read by their key (:mod:`~iku_rules.keyed_rows`)."""
        self._ready("realisasi")
        if not self.realisasi_answers:
            return RealisasiUse(
                None, Reason(_('no [[source]] has kind = "realisasi"'), NO_REALISASI), 0, (), None
            )
        source_id, (answer, _groupings) = next(iter(self.realisasi_answers.items()))
        source = self.engine.sources[source_id]
        if region is not None and not self.region_column(source):
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
        rows = self._read.get(source_id)
        if rows is None:
            columns = self._levels(source)
            levels = tuple(level for level, _column in columns)
            declared = frozenset(
                region.name for region in self.engine.definitions.regions_at(levels[0])
            ) if levels else frozenset()  # fmt: skip
            year = partial(year_rows, self.backend, source, columns, self.period.year)
            rows = self._read[source_id] = RealisasiRows(
                answer, levels, CODE_COLUMN in source.columns, self.triwulan,
                self.engine.definitions.area, self._adds_up, declared, year,
            )  # fmt: skip
        return rows.use(indicator_id, self.by, region, self._where(region))

    def _adds_up(self, indicator_id: str) -> bool:
        indicator = self.engine.definitions.indicator(indicator_id)
        return indicator is None or adds_up(indicator, self.engine.definitions)

    def _levels(self, source: Source) -> tuple[tuple[str, str], ...]:
        """``source``'s region columns as ``(level, column)``, largest level first."""
        return region_columns(source, self.engine.definitions.level_ids())

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
