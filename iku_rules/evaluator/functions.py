"""Compiling function calls: if, coalesce, min and max, the parts of a date, abs, round, sebelumnya."""

from __future__ import annotations

from collections.abc import Callable
from decimal import (
    ROUND_HALF_UP,
    Decimal,
)

from iku_rules import ast
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import (
    CONTEXT,
    MAX_ROUND_DECIMALS,
    Compiled,
    Env,
    Out,
    _fold,
    _gather,
    _na,
    _where,
    narrow,
)
from iku_rules.i18n import _
from iku_rules.printer import to_text
from iku_rules.reasons import NO_PREVIOUS_PERIOD, TOO_LARGE, Reason, carry
from iku_rules.trace import TraceStep


class Functions(CompilerCore):
    # -- functions

    def _call(self, node: ast.Call) -> Compiled:
        method: Callable[[ast.Call], Compiled] = getattr(self, "_call_" + node.func)
        return method(node)

    def _call_if(self, node: ast.Call) -> Compiled:
        condition = self.condition(node.args[0])
        then, otherwise = (
            self.scalar(arg, _("each branch of {function}()").format(function=node.func))
            for arg in node.args[1:]
        )
        unit = self._unify([then, otherwise], node.args[1:], _("choose between"), node)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            chosen, cond_step = condition.run(env)
            if chosen is None:
                reason = carry(
                    _("the condition is not available: {reason}").format(reason=cond_step.reason),
                    cond_step.reason,
                )
                return _na(text, reason, span, (cond_step,))
            value, step = (then if chosen else otherwise).run(env)
            note = _("then branch") if chosen else _("else branch")
            steps = (cond_step, step)
            if value is None:
                return None, TraceStep(text, None, None, step.reason, note, span, steps)
            return value, TraceStep(text, narrow(value), unit, note=note, span=span, children=steps)

        return Compiled(run, "scalar", unit)

    def _call_coalesce(self, node: ast.Call) -> Compiled:
        parts = [self.scalar(arg, _("each argument of coalesce()")) for arg in node.args]
        unit = self._unify(parts, node.args, _("choose between"), node)
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            steps: list[TraceStep] = []
            for part in parts:
                value, step = part.run(env)
                steps.append(step)
                if value is not None:
                    shown = narrow(value)
                    return value, TraceStep(text, shown, unit, span=span, children=tuple(steps))
            reason = carry(
                _("none of the arguments is available: {reason}").format(reason=steps[-1].reason),
                steps[-1].reason,
            )
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
                    _(
                        "{function}() of records needs a field: {function}({records}.<field>)"
                    ).format(function=func, records=to_text(node.args[0])),
                    node,
                )
        parts = [
            self.scalar(arg, _("each argument of {function}()").format(function=func))
            for arg in node.args
        ]
        unit = self._unify(parts, node.args, _("compare"), node)
        pick = min if func == "min" else max
        runs = [part.run for part in parts]

        def run(env: Env) -> Out:
            values, steps, unavailable = _gather(runs, env, text, span)
            if unavailable is not None:
                return unavailable
            value = pick(values)
            return value, TraceStep(text, narrow(value), unit, span=span, children=steps)

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
        parts = [
            self.scalar(arg, _("each part of {function}()").format(function=func))
            for arg in node.args
        ]
        unit = self._unify(parts, node.args, _("add"), node)
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
                reason = carry(
                    _(
                        "{function}() needs every part, but '{part}' is not available ({reason})"
                    ).format(function=func, part=part, reason=step.reason or _("no value"))
                    + _where(span),
                    step.reason,
                )
                return _na(text, reason, span, steps)
            if not present:
                return _na(
                    text,
                    carry(
                        _("none of the parts of {function}() is available").format(function=func)
                        + _where(span),
                        missing[0][1].reason,
                    ),
                    span,
                    steps,
                )
            try:
                total = sum(present, Decimal(0))
                value = total / len(present) if average else total
            except ArithmeticError:
                return _na(
                    text,
                    Reason(_("the result is too large to compute") + _where(span), TOO_LARGE),
                    span,
                    steps,
                )
            note = None
            if missing:
                no_value = _("no value")
                names = ", ".join(f"'{part}' ({step.reason or no_value})" for part, step in missing)
                note = _("{present} of {count} parts available; missing: {names}").format(
                    present=len(present), count=len(texts), names=names
                )
            return value, TraceStep(text, narrow(value), unit, note=note, span=span, children=steps)

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
        operand = self.scalar(node.args[0], _("the argument of abs()"))
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            return abs(value), TraceStep(
                text, narrow(abs(value)), operand.unit, span=span, children=(step,)
            )

        code = None if operand.code is None else f"absolute({operand.code})"
        return Compiled(run, "scalar", operand.unit, code=code)

    def _call_round(self, node: ast.Call) -> Compiled:
        operand = self.scalar(node.args[0], _("the value to round"))
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
                    _(
                        "the number of decimals in round() must be a whole number from 0 to {limit}"
                    ).format(limit=MAX_ROUND_DECIMALS),
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
                # from the value as shown (50 digits), not from its guard digits: a / 3 × 3
                # with a = 3.3355 is 3.3355, to 3 places 3.336 (3.33549…9 gave 3.335)
                rounded = narrow(value).quantize(quantum, ROUND_HALF_UP, CONTEXT)
            except ArithmeticError:
                return _na(
                    text,
                    Reason(_("the value is too large to round") + _where(span), TOO_LARGE),
                    span,
                    (step,),
                )
            return rounded, TraceStep(text, rounded, operand.unit, span=span, children=(step,))

        code = None
        if operand.code is not None:
            code = f"narrow({operand.code}).quantize({self._constant(quantum)}, HALF_UP, CONTEXT)"
        return Compiled(run, "scalar", operand.unit, code=code)

    def _call_sebelumnya(self, node: ast.Call) -> Compiled:
        operand = self.scalar(node.args[0], _("the argument of sebelumnya()"))
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            if env.previous is None:
                return _na(
                    text,
                    Reason(
                        _("no values for the previous period were given") + _where(span),
                        NO_PREVIOUS_PERIOD,
                    ),
                    span,
                )
            value, step = operand.run(env.previous)
            note = _("previous period")
            if env.previous.period is not None:  # which one: 2025-TW4 for 2026-TW1
                note = _("previous period: {period}").format(period=env.previous.period)
            if value is None:
                return None, TraceStep(text, None, None, step.reason, note, span, (step,))
            return value, TraceStep(
                text, narrow(value), operand.unit, note=note, span=span, children=(step,)
            )

        return Compiled(run, "scalar", operand.unit)
