"""Evaluation: compile a formula once to closures, run it on values, keep a trace.

Compiling checks the formula against what its names are bound to (numbers,
lists of numbers, lists of records), fixes every node's unit by the rules of
:mod:`iku_rules.units`, and refuses what cannot be evaluated (text outside a
filter, a condition where a number is needed) before any value is touched.
Running computes exact decimals. A zero denominator or a missing value is
*not available*: a value with a reason, never an exception, and the rest of
the formula goes on (``coalesce`` and ``if`` can still choose around it).

>>> result = evaluate("Σ a / Σ b × 100%", {"a": [10, 30], "b": 160})
>>> result.value, result.unit
(Decimal('25.00'), '%')
>>> evaluate("Σ a / Σ b", {"a": 1, "b": 0}).reason
"the denominator 'Σ b' is 0 (line 1, column 7)"
"""

from __future__ import annotations

import difflib
import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import (
    ROUND_HALF_UP,
    Decimal,
    localcontext,
)
from typing import Any, Literal

from attrs import define, evolve, frozen

from iku_rules import ast, decimals, units
from iku_rules.ast import name_key
from iku_rules.errors import EvaluationError, FormulaTypeError, UnitError, UnknownNameError
from iku_rules.formula import Formula
from iku_rules.notation import Notation
from iku_rules.parser import parse
from iku_rules.printer import to_text
from iku_rules.source import Span
from iku_rules.trace import TraceStep, render_lines

CONTEXT = decimals.CONTEXT
"""Decimal context of every evaluation: the package's one (:mod:`iku_rules.decimals`)."""

MAX_ROUND_DECIMALS = 20

Kind = Literal["scalar", "list", "records", "empty", "bool", "text"]


@frozen
class Binding:
    """What a name is bound to, as the compiler needs to know it.

    ``kind`` is ``"scalar"`` (a number, possibly missing), ``"list"`` (numbers),
    ``"records"`` (mappings) or ``"empty"`` (an empty list, which serves as
    either); ``unit`` applies to scalars.
    """

    kind: Kind
    unit: units.Unit = units.NUMBER


Schema = Mapping[str, Binding]
"""Name key (see :func:`~iku_rules.ast.name_key`) to binding."""


@frozen
class NotAvailable:
    """A value given to the evaluator that is not available, with the reason why
    (``None`` means the same with a generic reason)."""

    reason: str


@frozen
class Result:
    """The outcome of one evaluation.

    ``value`` is the exact result (a ``Decimal``) or ``None`` when not
    available, with ``reason`` saying why. ``unit`` is ``"%"`` for a
    percentage and ``None`` for a plain number. ``trace`` holds every
    evaluated sub-expression; :meth:`explain` renders it.
    """

    value: Decimal | None
    unit: str | None
    reason: str | None
    trace: TraceStep
    formula: Formula

    @property
    def available(self) -> bool:
        return self.value is not None

    def explain(self) -> str:
        """A readable multi-line trace: every sub-expression with its value."""
        return "\n".join(render_lines(self.trace))


# ------------------------------------------------------------------ values


@define
class Env:
    """Values for one run: name key to normalised value, and the previous period's."""

    values: Mapping[str, Any]
    previous: Env | None = None


Out = tuple[Any, TraceStep]
Run = Callable[[Env], Out]


def to_decimal(value: Any, what: str) -> Decimal | None:
    """A number given by a caller as an exact decimal; ``None`` stays missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise EvaluationError(f"the value of {what} is {value}, not a number")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EvaluationError(f"the value of {what} is {value}, not a finite number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise EvaluationError(f"the value of {what} is {value}, not a finite number")
        return Decimal(repr(value))
    raise EvaluationError(
        f"the value of {what} is {type(value).__name__} {value!r}; give a number"
        " (int, Decimal or float) or None for a missing value"
    )


def to_record(raw: Mapping[Any, Any], what: str) -> dict[str, Any]:
    """A record as filters read it: keys as name keys, numbers exact, dates as ISO text."""
    record: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif not isinstance(value, str) and value is not None:
            value = to_decimal(value, f"field '{key}' of {what}")
        record[name_key(str(key))] = value
    return record


def normalise(
    values: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Binding], dict[str, str]]:
    """Values as the evaluator holds them, their bindings, and the names as given."""
    normalised: dict[str, Any] = {}
    schema: dict[str, Binding] = {}
    spelled: dict[str, str] = {}
    for name, value in values.items():
        key = name_key(str(name))
        what = f"'{name}'"
        spelled[key] = str(name)
        if isinstance(value, (list, tuple)):
            if not value:
                normalised[key] = []
                schema[key] = Binding("empty")
            elif all(isinstance(item, Mapping) for item in value):
                normalised[key] = [to_record(item, what) for item in value]
                schema[key] = Binding("records")
            elif any(isinstance(item, Mapping) for item in value):
                raise EvaluationError(f"the list {what} mixes records with numbers")
            else:
                normalised[key] = [to_decimal(item, what) for item in value]
                schema[key] = Binding("list")
        elif isinstance(value, Mapping):
            raise EvaluationError(f"the value of {what} is one record; give a list of records")
        else:
            normalised[key] = to_decimal(value, what)
            schema[key] = Binding("scalar")
    return normalised, schema, spelled


# ------------------------------------------------------------------ compiling


@frozen
class Compiled:
    """One compiled node: its closure, what kind of value it gives, its unit."""

    run: Run
    kind: Kind
    unit: units.Unit = units.NUMBER
    literal: bool = False
    code: str | None = None
    """The same value as a Python expression over plain decimals (see :func:`compile_function`),
    or None when the node needs the traced closures (lists, conditions, functions of them)."""
    reads: tuple[str, ...] = ()
    """The whole formula only: the name keys ``code`` reads, as variables n0, n1, …"""
    constants: Mapping[str, Any] = {}
    """The whole formula only: the constants ``code`` names k0, k1, …"""


def _where(span: Span | None) -> str:
    return f" (line {span.line}, column {span.column})" if span else ""


def _na(text: str, reason: str, span: Span | None, children: tuple[TraceStep, ...] = ()) -> Out:
    return None, TraceStep(text, None, None, reason, span=span, children=children)


def _gather(
    runs: Sequence[Run], env: Env, text: str, span: Span | None
) -> tuple[list[Any], tuple[TraceStep, ...], Out | None]:
    """Run every operand; when one is not available, also the not-available result."""
    results = [run(env) for run in runs]
    steps = tuple(step for _, step in results)
    missing = _first_missing(steps)
    if missing is not None:
        return [], steps, _na(text, missing.reason or "", span, steps)
    return [value for value, _ in results], steps, None


def _first_missing(steps: Sequence[TraceStep]) -> TraceStep | None:
    for step in steps:
        if step.value is None and step.reason is not None:
            return step
    return None


class Compiler:
    """Turns an AST into closures, given what each name is bound to."""

    def __init__(
        self,
        formula: Formula,
        schema: Schema,
        spelled: Mapping[str, str] | None = None,
        precomputed: Mapping[ast.Node, str] | None = None,
    ):
        self.formula = formula
        self.schema = schema
        self.spelled: Mapping[str, str] = spelled or {}  # read only: not copied per formula
        self.precomputed: Mapping[ast.Node, str] = precomputed or {}
        """Sub-expressions whose value is supplied (under the given key) instead of computed:
        the engine fetches aggregates over registers from the database."""
        self.reads: dict[str, str] = {}
        """Name key to the variable the generated code reads it into."""
        self.constants: dict[str, Any] = {}
        """Variable to constant (numbers, factors) in the generated code."""

    def _read(self, key: str) -> str:
        return self.reads.setdefault(key, f"n{len(self.reads)}")

    def _constant(self, value: Any) -> str:
        name = f"k{len(self.constants)}"
        self.constants[name] = value
        return name

    # -- errors

    def _type_error(
        self, message: str, node: ast.Node, hint: str | None = None
    ) -> FormulaTypeError:
        return FormulaTypeError(message, text=self.formula.text, span=node.span, hint=hint)

    def _unknown(self, node: ast.Name) -> UnknownNameError:
        known = {key: self.spelled.get(key, key) for key in self.schema}
        close = difflib.get_close_matches(node.key, list(known), n=3, cutoff=0.6)
        hint = None
        if node.span is not None:
            before = self.formula.text[: node.span.start].rstrip().split()
            if before and name_key(f"{before[-1]} {node.text}") in known:
                whole = known[name_key(f"{before[-1]} {node.text}")]
                hint = (
                    f"'{before[-1]}' is read as a total of what follows it; to use the name"
                    f" '{whole}', write it in brackets: [{whole}]"
                )
        whole = name_key(self.formula.text)
        for key in known if hint is None else ():
            if node.key in key and key in whole and key != node.key:
                hint = (
                    f"'{known[key]}' contains an operator word, so it must be written in"
                    f" brackets: [{known[key]}]"
                )
                break
        if hint is None and "-" in node.text:
            parts = [part.strip() for part in node.text.split("-")]
            if all(name_key(part) in known for part in parts if part):
                hint = "to subtract, put spaces around the minus sign: " + " - ".join(parts)
        return UnknownNameError(
            node.text,
            suggestions=[known[key] for key in close],
            text=self.formula.text,
            span=node.span,
            hint=hint,
        )

    # -- entry

    def compile(self) -> Compiled:
        compiled = self.expr(self.formula.body)
        if compiled.kind == "bool":
            raise self._type_error(
                "the formula gives a condition (true or false), not a number",
                self.formula.body,
                "use if(condition, value, other value) to turn a condition into a number",
            )
        if compiled.kind in ("list", "records", "empty"):
            raise self._type_error(
                "the formula gives a list, not one number",
                self.formula.body,
                f"total it with Σ: Σ {to_text(self.formula.body)}",
            )
        if compiled.kind == "text":
            raise self._type_error("the formula gives text, not a number", self.formula.body)
        return evolve(compiled, reads=tuple(self.reads), constants=dict(self.constants))

    def scalar(self, node: ast.Node, role: str) -> Compiled:
        compiled = self.expr(node)
        if compiled.kind == "scalar":
            return compiled
        if compiled.kind in ("list", "records", "empty"):
            raise self._type_error(
                f"{role} must be one number, but '{to_text(node)}' is a list",
                node,
                f"total it with Σ {to_text(node)}, or use count, avg, min or max",
            )
        if compiled.kind == "text":
            raise self._type_error(
                f"text like {to_text(node)} can only be compared inside a filter",
                node,
                'for example: Σ pegawai[nilai_skp = "baik"]',
            )
        raise self._type_error(
            f"{role} must be a number, but '{to_text(node)}' is a condition",
            node,
            "use if(condition, value, other value) to turn a condition into a number",
        )

    def condition(self, node: ast.Node) -> Compiled:
        compiled = self.expr(node)
        if compiled.kind != "bool":
            raise self._type_error(
                f"a condition is needed here, but '{to_text(node)}' is a number",
                node,
                "compare it: for example x > 0",
            )
        return compiled

    def expr(self, node: ast.Node) -> Compiled:
        key = self.precomputed.get(node)
        if key is not None:
            binding = self.schema.get(key, Binding("scalar"))
            return Compiled(
                _read_scalar(key, to_text(node), node.span, binding.unit), "scalar", binding.unit
            )
        method: Callable[[Any], Compiled] = getattr(self, "_" + type(node).__name__.lower())
        return method(node)

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
            noun = "records" if binding.kind == "records" else "values"
            return items, TraceStep(text, None, None, note=f"{len(items)} {noun}", span=span)

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
                f"'.{node.name}' picks a field of records, but '{to_text(node.base)}' is not a list of records",
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
                        f"field '{node.name}' holds text ({value!r}), so it cannot be totalled",
                        text=self.formula.text,
                        span=span,
                    )
            missing = sum(value is None for value in values)
            note = f"{len(values)} values" + (f", {missing} missing" if missing else "")
            return values, TraceStep(text, None, None, note=note, span=span, children=(base_step,))

        return Compiled(run, "list")

    def _filter(self, node: ast.Filter) -> Compiled:
        base = self.expr(node.base)
        if base.kind not in ("records", "empty"):
            raise self._type_error(
                f"a filter [...] selects records, but '{to_text(node.base)}' is not a list of records",
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
            note = f"{len(kept)} of {len(records)} records pass"
            return kept, TraceStep(text, None, None, note=note, span=span, children=(base_step,))

        return Compiled(run, "records")

    def _aggregate(self, node: ast.Aggregate) -> Compiled:
        operand = self.expr(node.operand)
        text, span, func = to_text(node), node.span, node.func
        if operand.kind in ("bool", "text"):
            raise self._type_error(
                f"{func} needs numbers or a list, not '{to_text(node.operand)}'", node
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
                return value, TraceStep(text, value, operand.unit, span=span, children=(step,))

            return Compiled(run_scalar, "scalar", operand.unit, code=operand.code)
        if operand.kind == "records" and func == "avg":
            raise self._type_error(
                f"avg of records needs a field: avg {to_text(node.operand)}.<field>", node
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

    # -- arithmetic

    def _neg(self, node: ast.Neg) -> Compiled:
        operand = self.scalar(node.operand, "the operand of '-'")
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return None, TraceStep(text, None, None, step.reason, span=span, children=(step,))
            return -value, TraceStep(text, -value, operand.unit, span=span, children=(step,))

        code = None if operand.code is None else f"minus({operand.code})"
        return Compiled(run, "scalar", operand.unit, literal=operand.literal, code=code)

    def _unify(
        self, parts: Sequence[Compiled], nodes: Sequence[ast.Node], what: str, node: ast.Node
    ) -> units.Unit:
        unit, literal = parts[0].unit, parts[0].literal
        for part, part_node in zip(parts[1:], nodes[1:], strict=True):
            merged = units.unify(unit, part.unit, literal, part.literal)
            if merged is None:
                percent_side = part_node if part.unit == units.PERCENT else nodes[0]
                raise UnitError(
                    f"cannot {what} a percentage and a plain number"
                    f" ('{to_text(percent_side)}' is in percent)",
                    text=self.formula.text,
                    span=node.span,
                    hint="multiply the plain number by 100% to make it a percentage, or divide the percentage by 100%",
                )
            literal = literal and part.literal
            unit = merged
        return unit

    def _sum(self, node: ast.Sum) -> Compiled:
        parts = [self.scalar(operand, "each term of a sum") for operand in node.operands]
        unit = self._unify(parts, node.operands, "add", node)
        runs = [part.run for part in parts]
        ops = node.ops
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            values, steps, unavailable = _gather(runs, env, text, span)
            if unavailable is not None:
                return unavailable
            total = values[0]
            try:
                for op, value in zip(ops, values[1:], strict=True):
                    total = total + value if op == "+" else total - value
            except ArithmeticError:
                return _na(text, f"the result is too large to compute{_where(span)}", span, steps)
            return total, TraceStep(text, total, unit, span=span, children=steps)

        code = _chain(
            [part.code for part in parts],
            [("add" if op == "+" else "subtract", None) for op in ops],
        )
        return Compiled(run, "scalar", unit, literal=all(part.literal for part in parts), code=code)

    def _product(self, node: ast.Product) -> Compiled:
        parts = [self.scalar(operand, "each factor of a product") for operand in node.operands]
        unit = parts[0].unit
        plan: list[tuple[str, Decimal, str, Span | None]] = []
        for op, part, operand in zip(node.ops, parts[1:], node.operands[1:], strict=True):
            unit, factor = (units.multiply if op == "*" else units.divide)(unit, part.unit)
            plan.append((op, factor, to_text(operand), operand.span))
        runs = [part.run for part in parts]
        text, span, result_unit = to_text(node), node.span, unit

        def run(env: Env) -> Out:
            values, steps, unavailable = _gather(runs, env, text, span)
            if unavailable is not None:
                return unavailable
            value = values[0]
            try:
                for (op, factor, divisor_text, divisor_span), operand in zip(
                    plan, values[1:], strict=True
                ):
                    if op == "*":
                        value = value * operand * factor
                    elif operand == 0:
                        return _na(
                            text,
                            f"the denominator '{divisor_text}' is 0{_where(divisor_span)}",
                            span,
                            steps,
                        )
                    else:
                        value = value / operand * factor
            except ArithmeticError:
                return _na(text, f"the result is too large to compute{_where(span)}", span, steps)
            return value, TraceStep(text, value, result_unit, span=span, children=steps)

        steps = [
            (
                "multiply" if op == "*" else "divide",
                None if factor.as_tuple() == (0, (1,), 0) else self._constant(factor),
            )
            for op, factor, _, _ in plan
        ]
        return Compiled(
            run,
            "scalar",
            result_unit,
            literal=all(part.literal for part in parts),
            code=_chain([part.code for part in parts], steps),
        )

    # -- conditions

    def _compare(self, node: ast.Compare) -> Compiled:
        left = self.scalar(node.left, "each side of a comparison")
        right = self.scalar(node.right, "each side of a comparison")
        self._unify([left, right], [node.left, node.right], "compare", node)
        test = COMPARE[node.op]
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            (a, a_step), (b, b_step) = left.run(env), right.run(env)
            steps = (a_step, b_step)
            missing = _first_missing(steps)
            if missing is not None:
                return _na(text, missing.reason or "", span, steps)
            result = test(a, b)
            return result, TraceStep(text, result, span=span, children=steps)

        return Compiled(run, "bool")

    def _in(self, node: ast.In) -> Compiled:
        operand = self.scalar(node.operand, "the value before 'in'")
        options = [self.expr(option) for option in node.options]
        for option, option_node in zip(options, node.options, strict=True):
            if option.kind != "scalar":
                raise self._type_error("outside a filter, 'in (...)' lists numbers", option_node)
        values = [option.run(Env({}))[0] for option in options]
        text, span, negated = to_text(node), node.span, node.negated

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            result = (value in values) != negated
            return result, TraceStep(text, result, span=span, children=(step,))

        return Compiled(run, "bool")

    def _not(self, node: ast.Not) -> Compiled:
        operand = self.condition(node.operand)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            return (not value), TraceStep(text, not value, span=span, children=(step,))

        return Compiled(run, "bool")

    def _logic(self, node: ast.And | ast.Or, deciding: bool) -> Compiled:
        parts = [self.condition(operand) for operand in node.operands]
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            steps: list[TraceStep] = []
            unknown: TraceStep | None = None
            for part in parts:
                value, step = part.run(env)
                steps.append(step)
                if value is deciding:
                    return deciding, TraceStep(text, deciding, span=span, children=tuple(steps))
                if value is None and unknown is None:
                    unknown = step
            if unknown is not None:
                return _na(text, unknown.reason or "", span, tuple(steps))
            return (not deciding), TraceStep(text, not deciding, span=span, children=tuple(steps))

        return Compiled(run, "bool")

    def _and(self, node: ast.And) -> Compiled:
        return self._logic(node, False)

    def _or(self, node: ast.Or) -> Compiled:
        return self._logic(node, True)

    # -- functions

    def _call(self, node: ast.Call) -> Compiled:
        method: Callable[[ast.Call], Compiled] = getattr(self, "_call_" + node.func)
        return method(node)

    def _call_if(self, node: ast.Call) -> Compiled:
        condition = self.condition(node.args[0])
        then, otherwise = (
            self.scalar(arg, f"each branch of {node.func}()") for arg in node.args[1:]
        )
        unit = self._unify([then, otherwise], node.args[1:], "choose between", node)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            chosen, cond_step = condition.run(env)
            if chosen is None:
                reason = f"the condition is not available: {cond_step.reason}"
                return _na(text, reason, span, (cond_step,))
            value, step = (then if chosen else otherwise).run(env)
            note = "then branch" if chosen else "else branch"
            steps = (cond_step, step)
            if value is None:
                return None, TraceStep(text, None, None, step.reason, note, span, steps)
            return value, TraceStep(text, value, unit, note=note, span=span, children=steps)

        return Compiled(run, "scalar", unit)

    def _call_coalesce(self, node: ast.Call) -> Compiled:
        parts = [self.scalar(arg, "each argument of coalesce()") for arg in node.args]
        unit = self._unify(parts, node.args, "choose between", node)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            steps: list[TraceStep] = []
            for part in parts:
                value, step = part.run(env)
                steps.append(step)
                if value is not None:
                    return value, TraceStep(text, value, unit, span=span, children=tuple(steps))
            reason = f"none of the arguments is available: {steps[-1].reason}"
            return _na(text, reason, span, tuple(steps))

        return Compiled(run, "scalar", unit)

    def _extremum(self, node: ast.Call) -> Compiled:
        func, text, span = node.func, to_text(node), node.span
        if len(node.args) == 1:
            operand = self.expr(node.args[0])
            if operand.kind in ("list", "empty"):
                inner = operand.run

                def run_list(env: Env) -> Out:
                    items, step = inner(env)
                    return _fold(func, items, text, span, step)

                return Compiled(run_list, "scalar")
            if operand.kind == "records":
                raise self._type_error(
                    f"{func}() of records needs a field: {func}({to_text(node.args[0])}.<field>)",
                    node,
                )
        parts = [self.scalar(arg, f"each argument of {func}()") for arg in node.args]
        unit = self._unify(parts, node.args, "compare", node)
        pick = min if func == "min" else max
        runs = [part.run for part in parts]

        def run(env: Env) -> Out:
            values, steps, unavailable = _gather(runs, env, text, span)
            if unavailable is not None:
                return unavailable
            value = pick(values)
            return value, TraceStep(text, value, unit, span=span, children=steps)

        codes = [part.code for part in parts]
        code = None if None in codes else f"{func}({', '.join(map(str, codes))})"
        if len(codes) == 1:
            code = codes[0]  # min(x) of one number is x
        return Compiled(run, "scalar", unit, code=code)

    _call_min = _extremum
    _call_max = _extremum

    def _parts(self, node: ast.Call) -> Compiled:
        """``jumlah(a, b, …)``, ``rata_rata(a, b, …)``: every part is needed, and a part
        that is not available makes the result not available, naming the part;
        ``rata_rata_tersedia(a, b, …)`` averages the parts that are available and names
        the others in its trace."""
        func, text, span = node.func, to_text(node), node.span
        parts = [self.scalar(arg, f"each part of {func}()") for arg in node.args]
        unit = self._unify(parts, node.args, "add", node)
        runs = [part.run for part in parts]
        texts = [to_text(arg) for arg in node.args]
        average = func != "jumlah"
        only_available = func == "rata_rata_tersedia"
        count = Decimal(len(parts))

        def run(env: Env) -> Out:
            results = [run_part(env) for run_part in runs]
            steps = tuple(step for _, step in results)
            missing = [
                (part, step)
                for part, (value, step) in zip(texts, results, strict=True)
                if value is None
            ]
            present = [value for value, _ in results if value is not None]
            if missing and not only_available:
                part, step = missing[0]
                reason = (
                    f"{func}() needs every part, but '{part}' is not available"
                    f" ({step.reason or 'no value'}){_where(span)}"
                )
                return _na(text, reason, span, steps)
            if not present:
                return _na(
                    text, f"none of the parts of {func}() is available{_where(span)}", span, steps
                )
            try:
                total = sum(present, Decimal(0))
                value = total / len(present) if average else total
            except ArithmeticError:
                return _na(text, f"the result is too large to compute{_where(span)}", span, steps)
            note = None
            if missing:
                names = ", ".join(
                    f"'{part}' ({step.reason or 'no value'})" for part, step in missing
                )
                note = f"{len(present)} of {len(texts)} parts available; missing: {names}"
            return value, TraceStep(text, value, unit, note=note, span=span, children=steps)

        codes = [part.code for part in parts]
        code = None
        if None not in codes:
            code = str(codes[0])
            for other in codes[1:]:
                code = f"add({code}, {other})"
            if average:
                code = f"divide({code}, {self._constant(count)})"
        return Compiled(run, "scalar", unit, code=code)

    _call_jumlah = _parts
    _call_rata_rata = _parts
    _call_rata_rata_tersedia = _parts

    def _call_abs(self, node: ast.Call) -> Compiled:
        operand = self.scalar(node.args[0], "the argument of abs()")
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            return abs(value), TraceStep(
                text, abs(value), operand.unit, span=span, children=(step,)
            )

        code = None if operand.code is None else f"absolute({operand.code})"
        return Compiled(run, "scalar", operand.unit, code=code)

    def _call_round(self, node: ast.Call) -> Compiled:
        operand = self.scalar(node.args[0], "the value to round")
        places = 0
        if len(node.args) == 2:
            digits = node.args[1]
            if not (
                isinstance(digits, ast.Number)
                and not digits.percent
                and digits.value == digits.value.to_integral_value()
                and 0 <= digits.value <= MAX_ROUND_DECIMALS
            ):
                raise self._type_error(
                    f"the number of decimals in round() must be a whole number from 0 to {MAX_ROUND_DECIMALS}",
                    digits,
                )
            places = int(digits.value)
        quantum = Decimal(1).scaleb(-places)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            try:
                rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
            except ArithmeticError:
                return _na(text, f"the value is too large to round{_where(span)}", span, (step,))
            return rounded, TraceStep(text, rounded, operand.unit, span=span, children=(step,))

        code = None
        if operand.code is not None:
            code = f"{operand.code}.quantize({self._constant(quantum)}, HALF_UP, CONTEXT)"
        return Compiled(run, "scalar", operand.unit, code=code)

    def _call_sebelumnya(self, node: ast.Call) -> Compiled:
        operand = self.scalar(node.args[0], "the argument of sebelumnya()")
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            if env.previous is None:
                return _na(
                    text, f"no values for the previous period were given{_where(span)}", span
                )
            value, step = operand.run(env.previous)
            note = "previous period"
            if value is None:
                return None, TraceStep(text, None, None, step.reason, note, span, (step,))
            return value, TraceStep(
                text, value, operand.unit, note=note, span=span, children=(step,)
            )

        return Compiled(run, "scalar", operand.unit)


def _read_scalar(key: str, text: str, span: Span | None, unit: units.Unit) -> Run:
    def run(env: Env) -> Out:
        value = env.values.get(key)
        if value is None:
            return _na(text, f"no value for '{text}'{_where(span)}", span)
        if isinstance(value, NotAvailable):
            return _na(text, f"{text}: {value.reason}", span)
        return value, TraceStep(text, value, unit, span=span)

    return run


def _chain(codes: Sequence[str | None], steps: Sequence[tuple[str, str | None]]) -> str | None:
    """``a op b op c`` left to right as context-method calls, each step times its unit factor."""
    if None in codes:
        return None
    code = str(codes[0])
    for operand, (method, factor) in zip(codes[1:], steps, strict=True):
        code = f"{method}({code}, {operand})"
        if factor is not None:
            code = f"multiply({code}, {factor})"
    return code


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
"""The comparison operators; the pure-Python filters and conditions both use this table."""


def _fold(
    func: str, items: Sequence[Decimal | None], text: str, span: Span | None, step: TraceStep
) -> Out:
    missing = sum(item is None for item in items)
    if missing:
        return _na(
            text, f"{missing} of {len(items)} values are missing{_where(span)}", span, (step,)
        )
    present = [item for item in items if item is not None]
    if func == "sum":
        try:
            total = sum(present, Decimal(0))
        except ArithmeticError:
            return _na(text, f"the result is too large to compute{_where(span)}", span, (step,))
        return total, TraceStep(text, total, units.NUMBER, span=span, children=(step,))
    if not present:
        return _na(text, f"there are no values to take the {func} of{_where(span)}", span, (step,))
    if func == "avg":
        try:
            value = sum(present, Decimal(0)) / len(present)
        except ArithmeticError:
            return _na(text, f"the result is too large to compute{_where(span)}", span, (step,))
    else:
        value = min(present) if func == "min" else max(present)
    return value, TraceStep(text, value, units.NUMBER, span=span, children=(step,))


class Predicate:
    """A filter condition compiled to a function of one record, with SQL's
    three-valued logic: a comparison with a missing field is unknown, and only
    records for which the condition is true pass."""

    ALLOWED = (ast.Compare, ast.In, ast.And, ast.Or, ast.Not)

    def __init__(self, compiler: Compiler, condition: ast.Node):
        self.compiler = compiler
        self.condition = condition

    @staticmethod
    def fields(condition: ast.Node) -> tuple[ast.Name, ...]:
        found: dict[str, ast.Name] = {}
        for node in ast.walk(condition):
            if isinstance(node, ast.Name):
                found.setdefault(node.key, node)
        return tuple(found.values())

    def compile(self) -> Callable[[Mapping[str, Any]], bool | None]:
        if not isinstance(self.condition, self.ALLOWED):
            raise self.compiler._type_error(
                f"a filter needs a condition, but '{to_text(self.condition)}' is not one",
                self.condition,
                'compare a field: pegawai[nilai_skp = "baik"]',
            )
        return self._condition(self.condition)

    def _condition(self, node: ast.Node) -> Callable[[Mapping[str, Any]], bool | None]:
        if isinstance(node, ast.Compare):
            left, right, test = (
                self._operand(node.left),
                self._operand(node.right),
                COMPARE[node.op],
            )

            def compare(record: Mapping[str, Any]) -> bool | None:
                a, b = left(record), right(record)
                if a is None or b is None or isinstance(a, str) != isinstance(b, str):
                    return None
                return test(a, b)

            return compare
        if isinstance(node, ast.In):
            operand = self._operand(node.operand)
            options = [self._operand(option)({}) for option in node.options]
            negated = node.negated

            def member(record: Mapping[str, Any]) -> bool | None:
                value = operand(record)
                if value is None:
                    return None
                return (value in options) != negated

            return member
        if isinstance(node, ast.Not):
            inner = self._condition(node.operand)

            def negate(record: Mapping[str, Any]) -> bool | None:
                value = inner(record)
                return None if value is None else not value

            return negate
        if isinstance(node, (ast.And, ast.Or)):
            parts = [self._condition(operand) for operand in node.operands]
            deciding = isinstance(node, ast.Or)

            def logic(record: Mapping[str, Any]) -> bool | None:
                unknown = False
                for part in parts:
                    value = part(record)
                    if value is deciding:
                        return deciding
                    unknown = unknown or value is None
                return None if unknown else not deciding

            return logic
        raise self.compiler._type_error(
            f"'{to_text(node)}' is not a condition; inside a filter use comparisons joined by and/or",
            node,
        )

    def _operand(self, node: ast.Node) -> Callable[[Mapping[str, Any]], Any]:
        if isinstance(node, ast.Name):
            key = node.key
            return lambda record: record.get(key)
        if isinstance(node, ast.Number):
            if node.percent:
                raise self.compiler._type_error("percentages cannot be used inside a filter", node)
            value = node.value
            return lambda record: value
        if isinstance(node, ast.Text):
            text_value = node.value
            return lambda record: text_value
        if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Number):
            negative = -node.operand.value
            return lambda record: negative
        raise self.compiler._type_error(
            f"inside a filter, compare a field with a number or text; '{to_text(node)}' is neither",
            node,
        )


@functools.lru_cache(maxsize=1024)
def _compile_cached(
    formula: Formula,
    schema_items: tuple[tuple[str, Binding], ...],
    spelled: tuple[tuple[str, str], ...],
    precomputed: tuple[tuple[ast.Node, str], ...],
) -> Compiled:
    return Compiler(formula, dict(schema_items), dict(spelled), dict(precomputed)).compile()


def compile_formula(
    formula: Formula,
    schema: Schema,
    spelled: Mapping[str, str] | None = None,
    precomputed: Mapping[ast.Node, str] | None = None,
) -> Compiled:
    """Compile ``formula`` for names bound as ``schema`` says (cached: compile once, run many).

    ``precomputed`` maps sub-expressions to keys whose values the caller supplies.
    """
    return _compile_cached(
        formula,
        tuple(sorted(schema.items())),
        tuple(sorted((spelled or {}).items())),
        tuple((precomputed or {}).items()),
    )


_FAST_CONTEXT = CONTEXT.copy()
_FAST_TEMPLATE = """
def fast(values):
    try:
        {reads}
        if {plain}:
            return {code}
    except (ArithmeticError, LookupError):
        pass
    return slow(values)
"""


def compile_function(
    formula: str | Formula, names: Sequence[str], *, notation: Notation | str | None = None
) -> Callable[[Mapping[str, Any]], Decimal | None]:
    """``formula`` as a Python function of its names' values, giving the value only.

    The function takes a mapping from the ``names`` (as written here) to numbers
    and returns what :func:`evaluate` would give as ``value``: a ``Decimal``, or
    None when not available. The formula is compiled once to Python code doing
    the same exact decimal arithmetic in the same context; when every value is a
    finite ``Decimal`` that code runs alone (no tree walk, no trace). Anything
    else — ints, floats, None, a zero denominator, a formula over lists or with
    conditions — is handed to :func:`evaluate`, so the value is always the same.

    >>> share = compile_function("(a + b) / c × 100%", ["a", "b", "c"])
    >>> share({"a": Decimal(3), "b": Decimal(5), "c": Decimal(32)})
    Decimal('25.00')
    >>> share({"a": 3, "b": 5, "c": 0}) is None
    True

    ``notation`` reads the numbers of a formula given as text (see :func:`evaluate`).
    """
    parsed = formula if isinstance(formula, Formula) else parse(formula, notation=notation)
    spelled = {name_key(name): name for name in names}
    compiled = compile_formula(parsed, {key: Binding("scalar") for key in spelled}, spelled)

    def slow(values: Mapping[str, Any]) -> Decimal | None:
        return evaluate(parsed, values).value

    if compiled.code is None:
        return slow
    variables = [f"n{index}" for index in range(len(compiled.reads))]
    source = _FAST_TEMPLATE.format(
        reads=f"{', '.join(variables)}{',' if len(variables) == 1 else ''} = "
        f"{'(get(values),)' if len(variables) == 1 else 'get(values)'}"
        if variables
        else "pass",
        plain=" and ".join(f"{v}.__class__ is Decimal and {v}.is_finite()" for v in variables)
        or "True",
        code=compiled.code,
    )
    context = _FAST_CONTEXT
    namespace: dict[str, Any] = {
        "__builtins__": {
            "min": min,
            "max": max,
            "ArithmeticError": ArithmeticError,
            "LookupError": LookupError,
        },
        "Decimal": Decimal,
        "CONTEXT": context,
        "HALF_UP": ROUND_HALF_UP,
        "add": context.add,
        "subtract": context.subtract,
        "multiply": context.multiply,
        "divide": context.divide,
        "minus": context.minus,
        "absolute": context.abs,
        "get": operator.itemgetter(*(spelled[key] for key in compiled.reads))
        if variables
        else None,
        "slow": slow,
        **compiled.constants,
    }
    exec(compile(source, f"<formula {parsed.text[:40]!r}>", "exec"), namespace)
    fast: Callable[[Mapping[str, Any]], Decimal | None] = namespace["fast"]
    return fast


def run(compiled: Compiled, formula: Formula, env: Env) -> Result:
    """Run a compiled formula on prepared values."""
    with localcontext(CONTEXT):
        value, step = compiled.run(env)
    if value is None:
        return Result(None, None, step.reason, step, formula)
    return Result(value, units.symbol(compiled.unit), None, step, formula)


def evaluate(
    formula: str | Formula,
    values: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    notation: Notation | str | None = None,
) -> Result:
    """Evaluate ``formula`` (text or parsed) with ``values``.

    ``values`` maps names to numbers (``int``, ``Decimal``, ``float``), lists of
    numbers, or lists of records (mappings); ``None`` marks a missing value.
    Name lookup ignores case and collapses white space. ``previous`` gives the
    values of the previous period, read by ``sebelumnya(x)``. ``notation`` (``"id"`` or
    ``"en"``) reads the numbers of a formula given as text (:mod:`iku_rules.notation`;
    by default a spelling the two read differently, like ``100.000``, is refused).

    Raises :class:`~iku_rules.errors.FormulaSyntaxError`,
    :class:`~iku_rules.errors.UnknownNameError` and the other
    :class:`~iku_rules.errors.IkuError` subclasses for formulas that cannot be
    evaluated; a zero denominator or a missing value is a result with a reason.
    """
    parsed = formula if isinstance(formula, Formula) else parse(formula, notation=notation)
    normalised, schema, spelled = normalise(values)
    previous_env = None
    if previous is not None:
        previous_values, previous_schema, _ = normalise(previous)
        for key, binding in previous_schema.items():
            schema.setdefault(key, binding)
        previous_env = Env(previous_values)
    compiled = compile_formula(parsed, schema, spelled)
    return run(compiled, parsed, Env(normalised, previous_env))
