"""The node of an explanation (:class:`Explanation`): what one indicator, measure, input,
parameter or part of a measure was, with what it was computed from, as a tree; written as
text a planner follows (:meth:`Explanation.text`) or as nested objects for programs
(:meth:`Explanation.as_dict`). :mod:`iku_rules.explain` builds the tree from an evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import frozen

from iku_rules.breakdowns import Reach
from iku_rules.explain_lines import dates_data
from iku_rules.i18n import _
from iku_rules.measures import Tally
from iku_rules.output import satuan_shown, with_satuan
from iku_rules.reasons import code_of
from iku_rules.trace import TraceStep, format_decimal, render_lines

if TYPE_CHECKING:
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
    tally: Tally | None = None
    """On a measure, or a part of one: its rows, as the lines of :attr:`details` count them.
    In :meth:`as_dict` as ``rows``: ``in_period`` (the source's rows in the period's window),
    ``pass_filter`` (those the measure's filter passes) and ``with_value`` (those of them
    with a value in the measured column), so that a program reads the counts without the
    translated lines. None on the part of the rows that leave the breakdown column empty,
    whose rows in the period are known only less the filter's (its details count them)."""

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
        if self.tally is not None:
            data["rows"] = {
                "in_period": self.tally.window,
                "pass_filter": self.tally.matched,
                "with_value": self.tally.present,
            }
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
