"""Explanations: how one indicator's value was reached, down to the data.

An :class:`Explanation` is a tree. The indicator's node holds its formula,
value and the trace of the computation; under it (``inputs``) stand what the
formula read — measures with their row counts, how many rows each sub kegiatan
contributed and the query that fetched them; inputs; parameters; other
indicators, explained the same way — and (``cascade``) the indicators below it
in the cascade, down to the realisasi of each sub kegiatan. Rows that leave the breakdown
column empty are a part of their own; parts that do not add up to their whole say so. A
measure over a dated register says how far the dates of its rows in the period reach,
warns when a period over has no row in its last weeks (the data not all entered yet), and,
for the whole area, names the declared regions none of its rows name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iku_rules.additive import absent_note
from iku_rules.ast import name_key
from iku_rules.decimals import total
from iku_rules.evaluator.values import NotAvailable
from iku_rules.explain_lines import (
    absent_lines,
    assessment,
    counted,
    input_detail,
    reach_lines,
    realisasi_line,
    rest_tally,
    short_days,
)
from iku_rules.explanation import Explanation as Explanation  # its node, named here too
from iku_rules.explanation import with_head_satuan as with_head_satuan
from iku_rules.i18n import _, ngettext
from iku_rules.levels import LEVEL_TITLES
from iku_rules.measures import measure_value
from iku_rules.previous import previous_uses
from iku_rules.trace import format_decimal

if TYPE_CHECKING:
    from iku_rules.model import Indicator
    from iku_rules.results import Evaluation, IndicatorResult, MeasureUse
    from iku_rules.sources.sql import Query


class _Builder:
    def __init__(self, evaluation: Evaluation, region: str | None):
        self.evaluation = evaluation
        self.region = region
        self.queries: list[Query] = []
        definitions = evaluation.definitions
        self.satuan: dict[str, str | None] = {  # the declared units, by the name's key
            **{parameter.key: parameter.unit for parameter in definitions.parameters},
            **{item.key: item.unit for item in definitions.inputs},
            **{measure.key: measure.unit for measure in definitions.measures},
        }

    def query_label(self, query: Query | None) -> str | None:
        if query is None:
            return None
        for index, known in enumerate(self.queries):
            if known is query or known == query:
                return f"q{index + 1}"
        self.queries.append(query)
        return f"q{len(self.queries)}"

    def indicator(self, result: IndicatorResult, depth: int = 0) -> Explanation:
        indicator = result.indicator
        formula = _formula(result)
        inputs: list[Explanation] = [self.measure(use) for use in result.measures]
        previous = self.evaluation.previous
        if previous is not None:  # what sebelumnya read, with how far its data reach
            inputs += [
                self.measure(use, previous) for use in previous_uses(self.evaluation, result)
            ]
        inputs += [
            Explanation(
                "input",
                name,
                value=value,
                reason=reason,
                details=(input_detail(self.evaluation, name, result.region),),
                satuan=self.satuan.get(name_key(name)),
            )
            for name, value, reason in result.inputs
            if name != indicator.id
        ]
        inputs += [
            Explanation(
                "parameter",
                name,
                value=value,
                details=(_("a configuration constant in the definitions"),),
                satuan=self.satuan.get(name_key(name)),
            )
            for name, value in result.parameters
        ]
        if depth < 8:
            inputs += [
                self.indicator(self.evaluation.get(other, self.region), depth + 1)
                for other in result.indicators
            ]
        details = []
        if result.realisasi is not None:
            details.append(realisasi_line(result, self.evaluation.definitions))
            if result.realisasi.absent:  # a region's triwulan counted as none
                details.append(absent_note(None, result.realisasi.absent, result.period))
            label = self.query_label(result.realisasi.query)
            if label:
                details.append(_("fetched by {query}").format(query=label))
        elif indicator.formula_kind == "input":
            details.append(
                _("typed in for {year} (the inputs table)").format(year=result.period.year)
            )
        return Explanation(
            "indicator",
            indicator.name,
            id=indicator.id,
            formula=formula,
            value=result.value,
            unit=result.unit,
            reason=result.reason,
            details=tuple(details),
            inputs=tuple(inputs),
            trace=result.trace,
            satuan=indicator.unit,
        )

    def measure(self, use: MeasureUse, before: Evaluation | None = None) -> Explanation:
        """A measure's node; ``before``: the evaluation of the period before, which
        ``sebelumnya`` read it of (its node named so, its counts and dates that period's)."""
        spec = use.spec
        # a [[measure]]'s declared unit; an aggregate written in a formula has none
        satuan = self.satuan.get(spec.key)
        evaluation = self.evaluation if before is None else before
        period = evaluation.period
        details = [spec.describe(period)]
        tally = use.tally
        if tally is not None:
            head = ngettext(
                "{window} row in the period, {matched} pass the filter",
                "{window} rows in the period, {matched} pass the filter",
                tally.window,
            )
            if spec.latest is not None:  # the filter passes only each entity's latest record
                head = ngettext(
                    "{window} row in the period; of each {entity}'s latest by {column},"
                    " {matched} pass the filter",
                    "{window} rows in the period; of each {entity}'s latest by {column},"
                    " {matched} pass the filter",
                    tally.window,
                )
            entity, by = (spec.latest.per, spec.latest.by) if spec.latest else ("", "")
            head = head.format(window=tally.window, matched=tally.matched, entity=entity, column=by)
            details.append(counted(spec, tally, head, use.value))
        dates = use.reach if use.tally is not None else None  # asked of the data now
        over = not evaluation.provisional  # (a period not over: its note says so)
        details += reach_lines(dates, period, over, use.value is not None)
        details += absent_lines(dates, evaluation.definitions)
        label = self.query_label(use.query)
        if label:
            details.append(_("fetched by {query}").format(query=label))
        elif use.rows_read is not None:
            read = ngettext(
                "read {count} row of {source} in Python",
                "read {count} rows of {source} in Python",
                use.rows_read,
            )
            details.append(read.format(count=use.rows_read, source=spec.source.id))
        parts, note = self.parts(use, satuan, period.label)
        name = spec.label
        if before is not None:
            name = _("{measure} in {period}, the period before").format(
                measure=name, period=period.label
            )
        return Explanation(
            "measure",
            name,
            value=use.value,
            reason=use.reason,
            details=(*details, *note),
            inputs=parts,
            satuan=satuan,
            reach=dates,
            short_by_days=short_days(dates, period, over),
            tally=use.tally,
        )

    def parts(
        self, use: MeasureUse, satuan: str | None, period: str
    ) -> tuple[tuple[Explanation, ...], tuple[str, ...]]:
        """The measure's parts by its source's breakdown column, each by the measure's own
        rule; the rows that leave the column empty as a part of their own (in no other);
        and, where the parts do not add up to the whole, a note that says so."""
        spec, tally, breakdown = use.spec, use.tally, use.breakdown
        definitions = self.evaluation.definitions
        column = spec.source.breakdown_column or ""
        where = _("in {period}").format(period=period)
        parts, values = [], []
        for code, part in breakdown:
            element = definitions.element(code)
            head = ngettext(
                "by {column}: {count} row", "by {column}: {count} rows", part.matched
            ).format(column=column, count=part.matched)
            # each part by the measure's own rule: a sum whose rows leave the column empty
            # is not available with that reason, never the count of its rows
            outcome = measure_value(spec, part, where)
            value = None if isinstance(outcome, NotAvailable) else outcome
            values.append(value)
            parts.append(
                Explanation(
                    "sub_kegiatan" if element is not None else column,
                    element.name if element is not None else code,
                    id=code,
                    value=value,
                    reason=outcome.reason if isinstance(outcome, NotAvailable) else None,
                    details=(counted(spec, part, head, value, own=True),),
                    satuan=satuan,
                    tally=part,
                )
            )
        if tally is None or not breakdown:
            return tuple(parts), ()
        rest = rest_tally(spec, tally, [part for _, part in breakdown])
        if rest is not None:  # rows in no part: their column is empty
            value = None
            if spec.aggregate in ("count", "sum", "avg"):  # known from the whole less the parts
                outcome = measure_value(spec, rest, where)
                value = None if isinstance(outcome, NotAvailable) else outcome
            head = ngettext(
                "{count} row that leaves {column} empty",
                "{count} rows that leave {column} empty",
                rest.matched,
            ).format(count=rest.matched, column=column)
            parts.append(
                Explanation(
                    column,
                    _("rows without {column}").format(column=column),
                    value=value,
                    details=(counted(spec, rest, head, value, own=True, rest=True),),
                    satuan=satuan,
                )
            )
        note: tuple[str, ...] = ()
        if spec.aggregate == "avg" and use.value is not None:
            note = (
                _(
                    "each part below is the average of its own rows; the whole is the average of"
                    " all the rows, not of the parts"
                ),
            )
        elif spec.aggregate == "count_distinct" and use.value is not None and None not in values:
            summed = total(v for v in values if v is not None)
            if summed != use.value or rest is not None:
                said = _(
                    "a {what} may be counted under more than one {column}: the parts below"
                    " add up to {parts}, the distinct total is {total}"
                ).format(
                    what=spec.column,
                    column=column,
                    parts=format_decimal(summed),
                    total=format_decimal(use.value),
                )
                note = (
                    ngettext(
                        "{said}, with the {count} row that leaves {column} empty",
                        "{said}, with the {count} rows that leave {column} empty",
                        rest.matched,
                    ).format(said=said, count=rest.matched, column=column)
                    if rest
                    else said,
                )
        return tuple(parts), note

    def cascade(self, element_id: str, depth: int = 0) -> tuple[Explanation, ...]:
        definitions = self.evaluation.definitions
        nodes = []
        for child in definitions.children(element_id):
            indicators = tuple(
                self._brief(self.evaluation.get(indicator.id, self.region))
                for indicator in child.indicators
            )
            below = self.cascade(child.id, depth + 1) if depth < 10 else ()
            code = f"{child.kode} " if child.kode else ""
            title = f"{child.title}: {code}{child.name}"
            nodes.append(Explanation("element", title, id=child.id, cascade=indicators + below))
        return tuple(nodes)

    def _brief(self, result: IndicatorResult) -> Explanation:
        return Explanation(
            "indicator",
            result.indicator.name,
            id=result.indicator.id,
            formula=_formula(result),
            value=result.value,
            unit=result.unit,
            reason=result.reason,
            satuan=result.indicator.unit,
        )


def _formula(result: IndicatorResult) -> str:
    indicator = result.indicator
    return str(indicator.formula) if indicator.formula is not None else indicator.formula_kind


def _level_title(evaluation: Evaluation, indicator: Indicator) -> str:
    """The level an indicator stands at as its documents title it (``Sasaran (Renstra)``,
    ``Sub Kegiatan``), as the report's tables do; never its id (``sub_kegiatan``)."""
    element = evaluation.definitions.element(indicator.parent)
    if element is not None:
        return element.title
    return LEVEL_TITLES.get(indicator.level, indicator.level)


def explain(evaluation: Evaluation, indicator_id: str, region: str | None = None) -> Explanation:
    """The explanation of one indicator's value (``region`` None: the whole kabupaten)."""
    builder = _Builder(evaluation, region)
    result = evaluation.get(indicator_id, region)
    node = builder.indicator(result)
    area = _("the whole {area}").format(area=evaluation.definitions.area)
    where = f"{evaluation.by} {region}" if region else area
    indicator = result.indicator
    note = evaluation.provisional_note()
    header = (
        _("period {period}, {where}").format(period=evaluation.period.describe(), where=where),
        *([note] if note else []),
        _("level: {level}, unit: {unit}, polarity: {polarity}").format(
            level=_level_title(evaluation, indicator),
            unit=indicator.unit,
            polarity=indicator.polarity,
        ),
        *assessment(result),
    )
    cascade = builder.cascade(result.indicator.parent)
    labels = tuple((f"q{index + 1}", query) for index, query in enumerate(builder.queries))
    return Explanation(
        node.kind,
        node.name,
        id=node.id,
        formula=node.formula,
        value=node.value,
        unit=node.unit,
        reason=node.reason,
        details=header + node.details,
        inputs=node.inputs,
        cascade=cascade,
        trace=node.trace,
        queries=labels,
        satuan=node.satuan,
        provisional=evaluation.provisional,
    )
