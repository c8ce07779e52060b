"""Compiling leaves and lists: numbers, text, names, fields of records, filters, aggregates."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from decimal import (
    Decimal,
)
from typing import Any

from iku_rules import ast, units
from iku_rules.ast import name_key
from iku_rules.errors import EvaluationError, UnknownNameError
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.predicate import Predicate
from iku_rules.evaluator.values import Compiled, Env, Out, Run, _fold, _read_scalar, narrow
from iku_rules.i18n import _, ngettext
from iku_rules.printer import to_text
from iku_rules.source import Span
from iku_rules.trace import TraceStep


class Leaves(CompilerCore):
    # -- leaves

    def _number(self, node: ast.Number) -> Compiled:
        unit = units.PERCENT if node.percent else units.NUMBER
        step = TraceStep(to_text(node), node.value, unit, span=node.span)
        value = node.value
        return Compiled(
            lambda env: (value, step), "scalar", unit, literal=True, code=self._constant(value)
        )

    def _text(self, node: ast.Text) -> Compiled:
        value = node.value
        step = TraceStep(to_text(node), None, None, note="text", span=node.span)
        return Compiled(lambda env: (value, step), "text")

    def _name(self, node: ast.Name) -> Compiled:
        binding = self.schema.get(node.key)
        if binding is None:
            raise self._unknown(node)
        key, text, span, unit = node.key, to_text(node), node.span, binding.unit

        if binding.kind == "scalar":
            return Compiled(
                _read_scalar(key, text, span, unit), "scalar", unit, code=self._read(key)
            )

        def run_list(env: Env) -> Out:
            items = env.values.get(key) or []
            note = (
                ngettext("{count} record", "{count} records", len(items))
                if binding.kind == "records"
                else ngettext("{count} value", "{count} values", len(items))
            ).format(count=len(items))
            return items, TraceStep(text, None, None, note=note, span=span)

        return Compiled(run_list, binding.kind)

    # -- lists

    def _require_field(
        self, records: Sequence[Mapping[str, Any]], field: str, span: Span | None
    ) -> None:
        """A field no record has is a typo, not an empty selection."""
        key = name_key(field)
        if records and not any(key in record for record in records):
            known = sorted({name for record in records for name in record})
            close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
            raise UnknownNameError(field, suggestions=close, text=self.formula.text, span=span)

    def _field(self, node: ast.Field) -> Compiled:
        base = self.expr(node.base)
        if base.kind not in ("records", "empty"):
            raise self._type_error(
                _(
                    "'.{field}' picks a field of records, but '{formula}' is not a list of records"
                ).format(field=node.name, formula=to_text(node.base)),
                node,
            )
        field_key, text, span = node.key, to_text(node), node.span

        def run(env: Env) -> Out:
            records, base_step = base.run(env)
            self._require_field(records, node.name, span)
            values = [record.get(field_key) for record in records]
            for value in values:
                if isinstance(value, str):
                    raise EvaluationError(
                        _("field '{field}' holds text ({value}), so it cannot be totalled").format(
                            field=node.name, value=repr(value)
                        ),
                        text=self.formula.text,
                        span=span,
                    )
            missing = sum(value is None for value in values)
            note = (
                ngettext("{count} value", "{count} values", len(values)).format(count=len(values))
                if not missing
                else ngettext(
                    "{count} value, {missing} missing",
                    "{count} values, {missing} missing",
                    len(values),
                ).format(count=len(values), missing=missing)
            )
            return values, TraceStep(text, None, None, note=note, span=span, children=(base_step,))

        return Compiled(run, "list")

    def _filter(self, node: ast.Filter) -> Compiled:
        base = self.expr(node.base)
        if base.kind not in ("records", "empty"):
            raise self._type_error(
                _(
                    "a filter [...] selects records, but '{formula}' is not a list of records"
                ).format(formula=to_text(node.base)),
                node,
            )
        predicate = Predicate(self, node.condition).compile()
        text, span = to_text(node), node.span
        fields = Predicate.fields(node.condition)

        def run(env: Env) -> Out:
            records, base_step = base.run(env)
            for field_name in fields:
                self._require_field(records, field_name.text, field_name.span)
            kept = [record for record in records if predicate(record) is True]
            note = ngettext(
                "{kept} of {count} record passes", "{kept} of {count} records pass", len(records)
            ).format(kept=len(kept), count=len(records))
            return kept, TraceStep(text, None, None, note=note, span=span, children=(base_step,))

        return Compiled(run, "records")

    def _aggregate(self, node: ast.Aggregate) -> Compiled:
        operand = self.expr(node.operand)
        text, span, func = to_text(node), node.span, node.func
        if operand.kind in ("bool", "text"):
            raise self._type_error(
                _("{function} needs numbers or a list, not '{formula}'").format(
                    function=func, formula=to_text(node.operand)
                ),
                node,
            )
        if operand.kind == "scalar" and func == "count":
            # How many items one number has is no number at all: never the number itself.
            raise self._type_error(
                _("count counts the items of a list, but '{formula}' is one number").format(
                    formula=to_text(node.operand)
                ),
                node,
                _(
                    "for the number itself write {formula} without count; count is for"
                    ' the records of a register or a list: count pegawai[nilai_skp = "baik"]'
                ).format(formula=to_text(node.operand)),
            )
        if operand.kind == "scalar":
            # A name already bound to a total (a measure) stays as it is.
            inner = operand.run

            def run_scalar(env: Env) -> Out:
                value, step = inner(env)
                if value is None:
                    return None, TraceStep(
                        text, None, None, step.reason, span=span, children=(step,)
                    )
                shown = narrow(value)
                return value, TraceStep(text, shown, operand.unit, span=span, children=(step,))

            return Compiled(run_scalar, "scalar", operand.unit, code=operand.code)
        if operand.kind == "records" and func == "avg":
            raise self._type_error(
                _("avg of records needs a field: avg {records}.<field>").format(
                    records=to_text(node.operand)
                ),
                node,
            )
        counting = operand.kind == "records" or func == "count"
        return Compiled(
            self._list_aggregate(func if not counting else "count", operand, text, span, counting),
            "scalar",
        )

    def _list_aggregate(
        self, func: str, operand: Compiled, text: str, span: Span | None, counting: bool
    ) -> Run:
        inner = operand.run
        records = operand.kind == "records"

        def run(env: Env) -> Out:
            items, step = inner(env)
            if counting:
                count = len(items) if records else sum(item is not None for item in items)
                return Decimal(count), TraceStep(
                    text, Decimal(count), units.NUMBER, span=span, children=(step,)
                )
            return _fold(func, items, text, span, step)

        return run
