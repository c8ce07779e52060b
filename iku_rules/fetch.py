"""Fetching for one evaluation: every measure, realisasi row and input the cascade needs, one
query per source, for the kabupaten and per region."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iku_rules.evaluator.values import NotAvailable
from iku_rules.i18n import _
from iku_rules.measures import MeasureSpec, Tally, measure_value
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.results import MeasureUse, RealisasiUse
from iku_rules.sources.base import Answer, Backend, GroupKey, InputValue, Query

if TYPE_CHECKING:
    from iku_rules.engine import Engine


class Fetched:
    """Everything fetched for one period: measure tallies, realisasi, inputs, per group."""

    def __init__(self, engine: Engine, backend: Backend, period: Period, by: str | None):
        self.engine = engine
        self.period = period
        self.by = by
        self.answers: dict[str, tuple[Answer, list[tuple[str, ...]], list[MeasureSpec]]] = {}
        self.realisasi_answers: dict[str, tuple[Answer, list[tuple[str, ...]]]] = {}
        self.input_values: dict[str, InputValue] = {}
        self.input_query: Query | None = None
        specs = engine._needed_specs()
        by_source: dict[str, list[MeasureSpec]] = {}
        for spec in specs.values():
            by_source.setdefault(spec.source.id, []).append(spec)
        for source_id, source_specs in by_source.items():
            source = engine.sources[source_id]
            groupings = self.groupings(source)
            self.answers[source_id] = (
                backend.measures(source, source_specs, period, groupings),
                groupings,
                source_specs,
            )
        realisasi_ids = [
            i.id for i in engine.definitions.indicators if i.formula_kind == "realisasi"
        ]
        for source in engine.sources.values():
            if source.kind == "realisasi" and realisasi_ids:
                groupings = self.realisasi_groupings(source)
                self.realisasi_answers[source.id] = (
                    backend.realisasi(source, realisasi_ids, period, groupings),
                    groupings,
                )
        wanted = [i.name for i in engine.definitions.inputs] + [
            i.id for i in engine.definitions.indicators if i.formula_kind == "input"
        ]
        for source in engine.sources.values():
            if source.kind == "inputs" and wanted:
                answers, self.input_query = backend.inputs(source, wanted, period.year)
                self.input_values.update(answers)
        # Every group's tallies filed under its grouping and all but its last column, so that
        # an indicator's sub kegiatan or triwulan are found without scanning every group.
        self.by_prefix: dict[int, dict[tuple[int, tuple[str | None, ...]], list[Any]]] = {}
        answers_fetched = [answer for answer, _, _ in self.answers.values()]
        answers_fetched += [answer for answer, _ in self.realisasi_answers.values()]
        for answer in answers_fetched:
            filed: dict[tuple[int, tuple[str | None, ...]], list[Any]] = {}
            for (index, values), tallies in answer.groups.items():
                filed.setdefault((index, values[:-1]), []).append((values, tallies))
            self.by_prefix[id(answer)] = filed

    def groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [()]
        region = source.region_column if self.by else None
        if region:
            groupings.append((region,))
        if source.breakdown_column:
            groupings.append((source.breakdown_column,))
            if region:
                groupings.append((region, source.breakdown_column))
        return groupings

    def realisasi_groupings(self, source: Source) -> list[tuple[str, ...]]:
        groupings: list[tuple[str, ...]] = [("indikator",), ("indikator", "periode")]
        if self.by and source.region_column:
            groupings += [
                (source.region_column, "indikator"),
                (source.region_column, "indikator", "periode"),
            ]
        return groupings

    def regions(self) -> tuple[str, ...]:
        """The regions any source has rows for (only when results are asked ``by`` region)."""
        if not self.by:
            return ()
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
            column = self.engine.sources[source_id].region_column
            if not column:
                continue
            for grouping in ((column,), (column, "indikator")):
                if grouping in groupings:
                    index = groupings.index(grouping)
                    found.update(
                        values[0] for (i, values) in answer.groups if i == index and values[0]
                    )
        return tuple(sorted(found))

    def _where(self, region: str | None) -> str:
        if region:
            return _("in {period} in {by} {region}").format(
                period=self.period.label, by=self.by, region=region
            )
        return _("in {period}").format(period=self.period.label)

    def measure(self, spec: MeasureSpec, region: str | None) -> MeasureUse:
        answer, groupings, _rows = self.answers[spec.source.id]
        where = self._where(region)
        if region is not None and not spec.source.region_column:
            reason = _("{source} has no {by} column, so it has no value per {by}").format(
                source=spec.source.id, by=self.by
            )
            return MeasureUse(spec, region, None, reason, None, answer.query, answer.rows_read)
        key: GroupKey = (0, ())
        if region is not None and spec.source.region_column:
            key = (groupings.index((spec.source.region_column,)), (region,))
        tally = answer.groups.get(key, {}).get(spec.key)
        value = measure_value(spec, tally, where)
        breakdown = self._breakdown(answer, groupings, spec, region)
        if isinstance(value, NotAvailable):
            return MeasureUse(
                spec, region, None, value.reason, tally, answer.query, answer.rows_read, breakdown
            )
        return MeasureUse(
            spec, region, value, None, tally, answer.query, answer.rows_read, breakdown
        )

    def _breakdown(
        self,
        answer: Answer,
        groupings: list[tuple[str, ...]],
        spec: MeasureSpec,
        region: str | None,
    ) -> tuple[tuple[str, Tally], ...]:
        column = spec.source.breakdown_column
        if not column:
            return ()
        wanted = (column,) if region is None else (spec.source.region_column or "", column)
        if wanted not in groupings:
            return ()
        index = groupings.index(wanted)
        rows = []
        prefix = () if region is None else (region,)
        for values, tallies in self.by_prefix[id(answer)].get((index, prefix), ()):
            tally = tallies.get(spec.key)
            if tally is not None and tally.matched and values[-1] is not None:
                rows.append((values[-1], tally))
        return tuple(sorted(rows))

    def realisasi(self, indicator_id: str, region: str | None) -> RealisasiUse:
        where = self._where(region)
        for answer, groupings in self.realisasi_answers.values():
            source_region = next(
                (g[0] for g in groupings if len(g) == 2 and g[1] == "indikator"), None
            )
            total_key: GroupKey
            if region is None:
                total_key = (groupings.index(("indikator",)), (indicator_id,))
                quarter_index = groupings.index(("indikator", "periode"))
                quarters = {
                    values[1]: tallies["total"].value
                    for values, tallies in self.by_prefix[id(answer)].get(
                        (quarter_index, (indicator_id,)), ()
                    )
                }
            else:
                if source_region is None:
                    return RealisasiUse(
                        None,
                        _("the realisasi table has no {by} column").format(by=self.by),
                        0,
                        (),
                        answer.query,
                    )
                total_key = (groupings.index((source_region, "indikator")), (region, indicator_id))
                quarter_index = groupings.index((source_region, "indikator", "periode"))
                quarters = {
                    values[2]: tallies["total"].value
                    for values, tallies in self.by_prefix[id(answer)].get(
                        (quarter_index, (region, indicator_id)), ()
                    )
                }
            tally = answer.groups.get(total_key, {}).get("total")
            by_quarter = tuple((q, quarters.get(q)) for q in self.period.triwulan if q in quarters)
            if tally is None or tally.matched == 0:
                return RealisasiUse(
                    None,
                    _("no realisasi reported for {indicator} {where}").format(
                        indicator=indicator_id, where=where
                    ),
                    0,
                    by_quarter,
                    answer.query,
                )
            if tally.present < tally.matched:
                missing = tally.matched - tally.present
                return RealisasiUse(
                    None,
                    _("{missing} realisasi rows of {indicator} have no nilai {where}").format(
                        missing=missing, indicator=indicator_id, where=where
                    ),
                    tally.matched,
                    by_quarter,
                    answer.query,
                )
            return RealisasiUse(tally.value, None, tally.matched, by_quarter, answer.query)
        return RealisasiUse(None, _('no [[source]] has kind = "realisasi"'), 0, (), None)

    def input(self, name: str, region: str | None) -> tuple[Decimal | None, str | None]:
        if region is not None:
            return None, _("inputs are given for the whole kabupaten, not per {by}").format(
                by=self.by
            )
        found = self.input_values.get(name)
        if found is None or found.rows == 0:
            return None, _("the inputs have no value for {year}").format(year=self.period.year)
        if found.rows > 1:
            return (
                None,
                _("the inputs have {count} values for '{name}' in {year}; keep one").format(
                    count=found.rows, name=name, year=self.period.year
                ),
            )
        if found.value is None:
            return None, _("its value for {year} is empty in the inputs").format(
                year=self.period.year
            )
        return found.value, None
