"""Explanations: how one indicator's value was reached, down to the data.

An :class:`Explanation` is a tree. The indicator's node holds its formula,
value and the trace of the computation; under it (``inputs``) stand what the
formula read — measures with their row counts, how many rows each sub kegiatan
contributed and the query that fetched them; inputs; parameters; other
indicators, explained the same way — and (``cascade``) the indicators below it
in the cascade, down to the realisasi of each sub kegiatan.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import frozen

from iku_rules.ast import name_key
from iku_rules.evaluator.values import NotAvailable
from iku_rules.i18n import _
from iku_rules.measures import measure_value
from iku_rules.output import satuan_shown, target_text, with_satuan
from iku_rules.reasons import code_of
from iku_rules.trace import TraceStep, format_decimal, render_lines

if TYPE_CHECKING:
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
        if self.details:
            data["details"] = list(self.details)
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
        shown = satuan_shown(None, self.satuan)
        if isinstance(trace.value, Decimal) and trace.unit != "percent" and shown not in ("", "%"):
            note = f"  [{trace.note}]" if trace.note else ""
            lines[0] = lines[0].removesuffix(note) + f" {shown}{note}"
        return lines


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
        formula = (
            str(indicator.formula) if indicator.formula is not None else indicator.formula_kind
        )
        inputs: list[Explanation] = [self.measure(use) for use in result.measures]
        for name, value, reason in result.inputs:
            if name != indicator.id:
                inputs.append(
                    Explanation(
                        "input",
                        name,
                        value=value,
                        reason=reason,
                        details=(_input_detail(self.evaluation, name, result.region),),
                        satuan=self.satuan.get(name_key(name)),
                    )
                )
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
            use = result.realisasi
            label = self.query_label(use.query)
            no_value = _("no value")
            quarters = ", ".join(
                f"{quarter}: "
                + (
                    with_satuan(format_decimal(value), None, indicator.unit)
                    if value is not None
                    else no_value
                )
                for quarter, value in use.by_triwulan
            )
            details.append(
                _("realisasi reported: {count} rows").format(count=use.rows)
                + (f" ({quarters})" if quarters else "")
            )
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
            counts = _("{window} rows in the period, {matched} pass the filter").format(
                window=tally.window, matched=tally.matched
            )
            if spec.aggregate == "count_distinct":
                counts += ", " + _("{count} distinct {column}").format(
                    count=format_decimal(tally.value or Decimal(0)), column=spec.column
                )
                without = tally.matched - tally.present
                if without and spec.missing != "not_available":
                    said = {
                        "count_each": _("{count} without {column}, each counted as one"),
                        "skip": _("{count} without {column}, left out"),
                    }[spec.missing]
                    counts += ", " + said.format(count=without, column=spec.column)
            details.append(counts)
        label = self.query_label(use.query)
        if label:
            details.append(_("fetched by {query}").format(query=label))
        elif use.rows_read is not None:
            details.append(
                _("read {count} rows of {source} in Python").format(
                    count=use.rows_read, source=spec.source.id
                )
            )
        parts = []
        definitions = self.evaluation.definitions
        column = spec.source.breakdown_column or ""
        where = _("in {period}").format(period=period.label)
        for code, part in use.breakdown:
            element = definitions.element(code)
            name = element.name if element is not None else code
            line = _("by {column}: {count} rows").format(column=column, count=part.matched)
            # each part by the measure's own rule: a sum whose rows leave the column empty
            # is not available with that reason, never the count of its rows
            outcome = measure_value(spec, part, where)
            value = None if isinstance(outcome, NotAvailable) else outcome
            reason = outcome.reason if isinstance(outcome, NotAvailable) else None
            if spec.aggregate == "count_distinct":
                line += ", " + _("{count} distinct {column}").format(
                    count=format_decimal(part.value or Decimal(0)), column=spec.column
                )
            elif spec.aggregate == "avg" and value is not None:
                # an average: each part's own average (never its sum, shown as its value)
                line += ", " + _("average of {column} {value}: {sum} over {count} rows").format(
                    column=spec.column,
                    value=format_decimal(value),
                    sum=format_decimal(part.value or Decimal(0)),
                    count=part.present,
                )
            elif spec.aggregate in ("sum", "min", "max") and part.value is not None:
                # a summed measure: each part's own sum (a puskesmas' monthly reports)
                what = {
                    "min": _("smallest {column} {value}"),
                    "max": _("largest {column} {value}"),
                }.get(spec.aggregate, _("sum of {column} {value}"))
                line += ", " + what.format(column=spec.column, value=format_decimal(part.value))
            kind = "sub_kegiatan" if element is not None else column
            parts.append(
                Explanation(
                    kind, name, id=code, value=value, reason=reason, details=(line,), satuan=satuan
                )
            )
        return Explanation(
            "measure",
            spec.label,
            value=use.value,
            reason=use.reason,
            details=tuple(details),
            inputs=tuple(parts),
            satuan=satuan,
        )

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
            nodes.append(
                Explanation(
                    "element",
                    f"{child.title}: {code}{child.name}",
                    id=child.id,
                    cascade=indicators + below,
                )
            )
        return tuple(nodes)

    def _brief(self, result: IndicatorResult) -> Explanation:
        formula = (
            str(result.indicator.formula)
            if result.indicator.formula is not None
            else result.indicator.formula_kind
        )
        return Explanation(
            "indicator", result.indicator.name, id=result.indicator.id, formula=formula,
            value=result.value, unit=result.unit, reason=result.reason,
            satuan=result.indicator.unit,
        )  # fmt: skip


def _assessment(result: IndicatorResult) -> tuple[str, ...]:
    """Target, capaian and predikat in one line, when the result has them."""
    if result.capaian is None:
        return ()
    if result.capaian.value is None:
        missing = _("capaian: not available ({reason})").format(reason=result.capaian.reason)
        if result.target is None:
            return (missing,)
        return (_("target {target}; {missing}").format(
            target=with_satuan(target_text(result.target), None, result.indicator.unit),
            missing=missing,
        ),)  # fmt: skip
    satuan = result.indicator.unit
    target = "?" if result.target is None else with_satuan(target_text(result.target), None, satuan)
    line = _("target {target} → capaian {capaian} % ({predikat})").format(
        target=target, capaian=format_decimal(result.capaian.value), predikat=result.predikat
    )
    if result.capaian.policy_applied:
        line += f"; {result.capaian.policy_applied}"
    return (line,)


def explain(evaluation: Evaluation, indicator_id: str, region: str | None = None) -> Explanation:
    """The explanation of one indicator's value (``region`` None: the whole kabupaten)."""
    builder = _Builder(evaluation, region)
    result = evaluation.get(indicator_id, region)
    node = builder.indicator(result)
    where = (
        f"{evaluation.by} {region}"
        if region
        else _("the whole {area}").format(area=evaluation.definitions.area)
    )
    indicator = result.indicator
    header = (
        _("period {period}, {where}").format(period=evaluation.period.describe(), where=where),
        _("level: {level}, unit: {unit}, polarity: {polarity}").format(
            level=indicator.level, unit=indicator.unit, polarity=indicator.polarity
        ),
        *_assessment(result),
    )
    cascade = builder.cascade(result.indicator.parent)
    labels = tuple((f"q{index + 1}", query) for index, query in enumerate(builder.queries))
    return Explanation(
        node.kind, node.name, id=node.id, formula=node.formula, value=node.value, unit=node.unit,
        reason=node.reason, details=header + node.details, inputs=node.inputs, cascade=cascade,
        trace=node.trace, queries=labels, satuan=node.satuan,
    )  # fmt: skip


def _input_detail(evaluation: Evaluation, name: str, region: str | None) -> str:
    """Where an input's value comes from: the inputs table's row for the whole area, or
    (its table holding a level) the region's row, or the sum of the regions' rows."""
    definitions = evaluation.definitions
    item = next((i for i in definitions.inputs if i.name == name), None)
    source = next(
        (s for s in definitions.sources if item is not None and s.id == item.source), None
    )
    if item is None or source is None or source.kind != "inputs" or not source.regions:
        return _("typed in per year (the inputs table)")
    level = next(iter(source.regions))
    if region is not None:
        return _("the row of {level} {region} in the inputs table {source}").format(
            level=level, region=region, source=source.id
        )
    if item.additive:
        return _(
            "the row of the whole {area} in the inputs table {source}, else (none given) the"
            " sum of its {level} rows (additive)"
        ).format(area=definitions.area, source=source.id, level=level)
    return _("the row of the whole {area} in the inputs table {source}").format(
        area=definitions.area, source=source.id
    )
