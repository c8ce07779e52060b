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

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import frozen

from iku_rules.ast import name_key
from iku_rules.breakdowns import Reach
from iku_rules.decimals import total
from iku_rules.evaluator.values import NotAvailable
from iku_rules.explain_lines import (
    absent_lines,
    assessment,
    counted,
    dates_data,
    input_detail,
    reach_lines,
    realisasi_line,
    rest_tally,
    short_days,
)
from iku_rules.i18n import _, ngettext
from iku_rules.levels import LEVEL_TITLES
from iku_rules.measures import measure_value
from iku_rules.output import satuan_shown, with_satuan
from iku_rules.reasons import code_of
from iku_rules.trace import TraceStep, format_decimal, render_lines

if TYPE_CHECKING:
    from iku_rules.model import Indicator
    from iku_rules.results import Evaluation, IndicatorResult, MeasureUse
    from iku_rules.sources.sql import Query


@frozen
class Explanation:
    """One node of an explanation tree."""

    kind: str
    name: str
    id: str | None = None
    formula: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    reason: str | None = None
    details: tuple[str, ...] = ()
    inputs: tuple[Explanation, ...] = ()
    cascade: tuple[Explanation, ...] = ()
    trace: TraceStep | None = None
    queries: tuple[tuple[str, Query], ...] = ()
    satuan: str | None = None
    """What the value counts, as the definitions write it (``Km``, ``Persen``): an
    indicator's satuan, or the declared ``unit`` of a measure, input or parameter (and of
    each part of a measure); None where it is not known (an aggregate written in a formula,
    a measure declared without one)."""
    provisional: bool | None = None
    """At the root of an explanation: whether its period was not over on the day of the
    evaluation (:attr:`~iku_rules.results.Evaluation.provisional`), its numbers able to
    change; None on the nodes below it."""
    reach: Reach | None = None
    """On a measure over a dated register: how far the dates of its source's rows in the
    period reach, before the measure's filter (:class:`~iku_rules.breakdowns.Reach`);
    None elsewhere. In :meth:`as_dict` as ``dates``: ``source``, ``time`` (``flow`` or
    ``state``), ``first`` and ``last`` (``YYYY-MM-DD``, null when no row is in the period),
    ``short_by_days`` (:attr:`short_by_days`) and, for the whole area, the declared regions
    without a row (``absent``: :func:`~iku_rules.explain_lines.dates_data`)."""
    short_by_days: int | None = None
    """With :attr:`reach`: the days from its latest row to the end of a period over on the
    day of the evaluation, where they are more than 31 and the explanation warns that this
    value may not be the period's (rows not entered yet); else None."""

    def as_dict(self) -> dict[str, Any]:
        """The tree as nested objects, values as exact Decimals (write it with
        :func:`iku_rules.output.json_dumps`; the trace's values are exact text)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "formula": self.formula,
            "value": self.value,
            "unit": self.unit,
            "satuan": self.satuan,
            "reason": self.reason,
            "reason_code": code_of(self.reason),
        }
        if self.provisional is not None:
            data["provisional"] = self.provisional
        if self.details:
            data["details"] = list(self.details)
        if self.reach is not None:
            data["dates"] = dates_data(self.reach, self.short_by_days)
        data["inputs"] = [child.as_dict() for child in self.inputs]
        if self.cascade:
            data["cascade"] = [child.as_dict() for child in self.cascade]
        if self.trace is not None:
            data["trace"] = self.trace.as_dict()
        if self.queries:
            data["queries"] = [
                {
                    "id": label,
                    "sql": query.sql,
                    "params": {k: str(v) for k, v in query.params.items()},
                }
                for label, query in self.queries
            ]
        return data

    def text(self) -> str:
        """The tree as text a planner can follow without knowing SQL (the queries come last)."""
        lines = [self._headline()]
        lines += [f"  {detail}" for detail in self.details]
        if self.trace is not None and self.trace.children:
            lines.append("  " + _("computed:"))
            lines += [f"    {line}" for line in self._trace_lines(self.trace)]
        if self.inputs:
            lines.append("  " + _("from:"))
            lines += _tree(self.inputs, "  ")
        if self.cascade:
            lines.append("  " + _("below in the cascade:"))
            lines += _tree(self.cascade, "  ")
        if self.queries:
            lines.append(_("queries:"))
            for label, query in self.queries:
                params = ", ".join(f"{k} = {v!r}" for k, v in query.params.items())
                lines.append(f"  {label}: {query.sql}")
                if params:
                    lines.append("    " + _("with {params}").format(params=params))
        return "\n".join(lines) + "\n"

    def _headline(self) -> str:
        label = {
            "indicator": "◆ ",
            "measure": _("measure") + " ",
            "input": _("input") + " ",
            "parameter": _("parameter") + " ",
        }.get(self.kind, "")
        name = f"{label}{self.name}"
        if self.id and self.id != self.name:
            name += f" [{self.id}]"
        if self.value is not None:
            head = f"{name} = {with_satuan(format_decimal(self.value), self.unit, self.satuan)}"
        elif self.reason is not None:
            head = _("{name}: not available ({reason})").format(name=name, reason=self.reason)
        else:
            head = name
        if self.formula and self.kind == "indicator":
            head += f"   ← {self.formula}"
        return head

    def _trace_lines(self, trace: TraceStep) -> list[str]:
        """The trace drawn as a tree, its first line (the formula's value) with the
        indicator's satuan (the steps inside have units of their own, not told here)."""
        lines = render_lines(trace)
        lines[0] = with_head_satuan(lines[0], trace, self.satuan)
        return lines


def with_head_satuan(text: str, trace: TraceStep, satuan: str | None) -> str:
    """``text``, the first line of a computation (or its value), with the indicator's
    ``satuan`` after the formula's value and before its note (``= 21 Orang``), where the
    value is a number that is no percentage and the satuan says more than ``%``; else as
    it is. The text explanation and the HTML one show it alike."""
    shown = satuan_shown(None, satuan)
    if not isinstance(trace.value, Decimal) or trace.unit == "percent" or shown in ("", "%"):
        return text
    note = f"  [{trace.note}]" if trace.note else ""
    return text.removesuffix(note) + f" {shown}{note}"


def _tree(nodes: tuple[Explanation, ...], prefix: str) -> list[str]:
    lines: list[str] = []
    for index, node in enumerate(nodes):
        last = index == len(nodes) - 1
        lines.append(f"{prefix}{'└── ' if last else '├── '}{node._headline()}")
        inner = prefix + ("    " if last else "│   ")
        lines += [f"{inner}  {detail}" for detail in node.details]
        lines += _tree(node.inputs, inner)
        lines += _tree(node.cascade, inner)
    return lines


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

    def measure(self, use: MeasureUse) -> Explanation:
        spec = use.spec
        # a [[measure]]'s declared unit; an aggregate written in a formula has none
        satuan = self.satuan.get(spec.key)
        period = self.evaluation.period
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
        over = not self.evaluation.provisional  # (a period not over: its note says so)
        details += reach_lines(dates, period, over, use.value is not None)
        details += absent_lines(dates, self.evaluation.definitions)
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
        parts, note = self.parts(use, satuan)
        return Explanation(
            "measure",
            spec.label,
            value=use.value,
            reason=use.reason,
            details=(*details, *note),
            inputs=parts,
            satuan=satuan,
            reach=dates,
            short_by_days=short_days(dates, period, over),
        )

    def parts(
        self, use: MeasureUse, satuan: str | None
    ) -> tuple[tuple[Explanation, ...], tuple[str, ...]]:
        """The measure's parts by its source's breakdown column, each by the measure's own
        rule; the rows that leave the column empty as a part of their own (in no other);
        and, where the parts do not add up to the whole, a note that says so."""
        spec, tally, breakdown = use.spec, use.tally, use.breakdown
        definitions = self.evaluation.definitions
        column = spec.source.breakdown_column or ""
        where = _("in {period}").format(period=self.evaluation.period.label)
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
