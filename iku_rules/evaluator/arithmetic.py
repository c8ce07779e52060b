"""Compiling arithmetic: negation, sums and products, with their units unified."""

from __future__ import annotations

from decimal import (
    Decimal,
)

from iku_rules import ast, units
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import Compiled, Env, Out, _chain, _gather, _na, _where
from iku_rules.i18n import _
from iku_rules.printer import to_text
from iku_rules.reasons import DIVISION_BY_ZERO, TOO_LARGE, Reason
from iku_rules.source import Span
from iku_rules.trace import TraceStep


class Arithmetic(CompilerCore):
    # -- arithmetic

    def _neg(self, node: ast.Neg) -> Compiled:
        operand = self.scalar(node.operand, _("the operand of '-'"))
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return None, TraceStep(text, None, None, step.reason, span=span, children=(step,))
            return -value, TraceStep(text, -value, operand.unit, span=span, children=(step,))

        code = None if operand.code is None else f"minus({operand.code})"
        return Compiled(run, "scalar", operand.unit, literal=operand.literal, code=code)

    def _sum(self, node: ast.Sum) -> Compiled:
        parts = [self.scalar(operand, _("each term of a sum")) for operand in node.operands]
        unit = self._unify(parts, node.operands, _("add"), node)
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
                return _na(
                    text,
                    Reason(_("the result is too large to compute") + _where(span), TOO_LARGE),
                    span,
                    steps,
                )
            return total, TraceStep(text, total, unit, span=span, children=steps)

        code = _chain(
            [part.code for part in parts],
            [("add" if op == "+" else "subtract", None) for op in ops],
        )
        return Compiled(run, "scalar", unit, literal=all(part.literal for part in parts), code=code)

    def _product(self, node: ast.Product) -> Compiled:
        parts = [self.scalar(operand, _("each factor of a product")) for operand in node.operands]
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
                            Reason(
                                _("the denominator '{denominator}' is 0").format(
                                    denominator=divisor_text
                                )
                                + _where(divisor_span),
                                DIVISION_BY_ZERO,
                            ),
                            span,
                            steps,
                        )
                    else:
                        value = value / operand * factor
            except ArithmeticError:
                return _na(
                    text,
                    Reason(_("the result is too large to compute") + _where(span), TOO_LARGE),
                    span,
                    steps,
                )
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
