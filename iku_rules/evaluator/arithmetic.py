"""Compiling arithmetic: negation, sums and products, with their units unified."""

from __future__ import annotations

from decimal import (
    Decimal,
)

from iku_rules import ast, units
from iku_rules.errors import FormulaSyntaxError, UnitError
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import Compiled, Env, Out, _chain, _gather, _na, _where, narrow
from iku_rules.i18n import _
from iku_rules.printer import to_text
from iku_rules.reasons import DIVISION_BY_ZERO, NEGATIVE_BASE, TOO_LARGE, Reason
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
            # exact, in any context: -1234… of 37 digits in 'in (…)', run as it is compiled
            negated = value.copy_negate()
            return negated, TraceStep(
                text, narrow(negated), operand.unit, span=span, children=(step,)
            )

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
            return total, TraceStep(text, narrow(total), unit, span=span, children=steps)

        code = _chain(
            [part.code for part in parts],
            [("add" if op == "+" else "subtract", None) for op in ops],
        )
        return Compiled(run, "scalar", unit, literal=all(part.literal for part in parts), code=code)

    def _product(self, node: ast.Product) -> Compiled:
        self._no_slashed_name(node)
        parts = [self.scalar(operand, _("each factor of a product")) for operand in node.operands]
        lost = units.percent_lost_in_division(
            [part.unit for part in parts], [part.literal for part in parts], node.ops
        )
        if lost is not None:
            raise self._percent_lost(node, lost)
        unit = parts[0].unit
        plan: list[tuple[str, Decimal, str, Span | None]] = []
        bases: set[int] = set()  # the divisors that are the previous period's value
        for op, part, operand in zip(node.ops, parts[1:], node.operands[1:], strict=True):
            unit, factor = (units.multiply if op == "*" else units.divide)(unit, part.unit)
            if op == "/" and isinstance(operand, ast.Call) and operand.func == "sebelumnya":
                bases.add(len(plan))
            plan.append((op, factor, to_text(operand), operand.span))
        runs = [part.run for part in parts]
        text, span, result_unit = to_text(node), node.span, unit

        def run(env: Env) -> Out:
            values, steps, unavailable = _gather(runs, env, text, span)
            if unavailable is not None:
                return unavailable
            value = values[0]
            try:
                for index, ((op, factor, divisor_text, divisor_span), operand) in enumerate(
                    zip(plan, values[1:], strict=True)
                ):
                    if index in bases and operand < 0:
                        return _na(text, _negative_base(divisor_text, divisor_span), span, steps)
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
            return value, TraceStep(text, narrow(value), result_unit, span=span, children=steps)

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

    def _no_slashed_name(self, node: ast.Product) -> None:
        """Refuse ``PMKS/PPKS`` written without spaces or brackets where a value is named
        ``PMKS/PPKS``: it is read as PMKS divided by PPKS, where the planner may mean the name."""
        source = self.formula.text
        for left, right in zip(node.operands, node.operands[1:], strict=False):
            if isinstance(left, ast.Aggregate):
                left = left.operand
            if not (isinstance(left, ast.Name) and isinstance(right, ast.Name)):
                continue
            if left.span is None or right.span is None or source[left.span.start] == "[":
                continue
            written = source[left.span.start : right.span.end]
            if right.span.start - left.span.end != 1 or ast.name_key(written) not in self.schema:
                continue  # 'PMKS / PPKS' with spaces divides; so does a name no value has
            op = source[left.span.end]
            raise FormulaSyntaxError(
                _(
                    "'{written}' is the name of a value, but written without brackets it is read"
                    " as {left} divided by {right}"
                ).format(written=written, left=left.text, right=right.text),
                text=source,
                span=Span.at(source, left.span.end, left.span.end + 1),
                hint=_(
                    "for the value named so, write [{written}]; to divide, put spaces around"
                    " '{op}': {left} {op} {right}"
                ).format(written=written, op=op, left=left.text, right=right.text),
                expected=(),
            )

    def _percent_lost(self, node: ast.Product, index: int) -> UnitError:
        """``a × 100% / b``, refused: the fraction ``(a × 100%) / b`` as read left to right,
        or the percentage ``a / b × 100%`` a planner means (``index``: the percent factor)."""
        operands, ops = node.operands, node.ops
        head = 2 if index == 0 else index + 1  # the factors up to the percent multiplied in
        fraction = ast.Product(
            (ast.Product(operands[:head], ops[: head - 1]), *operands[head:]), ops[head - 1 :]
        )
        kept_ops = ops[1:] if index == 0 else ops[: index - 1] + ops[index:]
        kept = operands[:index] + operands[index + 1 :]
        percentage = ast.Product((*kept, operands[index]), (*kept_ops, "*"))
        percent = operands[index]
        return UnitError(
            _(
                "'{formula}' can be read as {fraction}, a fraction,"
                " or as {percentage}, a percentage: {percent} is multiplied in before the division"
            ).format(
                formula=to_text(node),
                fraction=to_text(fraction),
                percentage=to_text(percentage),
                percent=to_text(percent),
            ),
            text=self.formula.text,
            span=percent.span,
            hint=_(
                "for the percentage write {percentage}; for the fraction, put the parentheses:"
                " {fraction}"
            ).format(percentage=to_text(percentage), fraction=to_text(fraction)),
        )


def _negative_base(divisor: str, span: Span | None) -> Reason:
    """Why a change divided by a negative previous value is not available: from -10 to -5
    is a rise of 5, yet (-5 - (-10)) / -10 is -50 %, read as a fall."""
    return Reason(
        _(
            "the denominator '{denominator}' is negative: a change divided by a negative"
            " previous value has its sign turned round (from -10 to -5, a rise of 5, would read"
            " as -50 %); to measure the change against the size of the previous value, divide"
            " by abs({denominator})"
        ).format(denominator=divisor)
        + _where(span),
        NEGATIVE_BASE,
    )
