"""Compiling conditions: comparisons, ``in``, ``not``, ``and``, ``or``."""

from __future__ import annotations

from iku_rules import ast
from iku_rules.evaluator.core import CompilerCore
from iku_rules.evaluator.values import (
    COMPARE,
    Compiled,
    Env,
    Out,
    _first_missing,
    _na,
    narrow,
)
from iku_rules.i18n import _
from iku_rules.printer import to_text
from iku_rules.trace import TraceStep


class Conditions(CompilerCore):
    # -- conditions

    def _compare(self, node: ast.Compare) -> Compiled:
        left = self.scalar(node.left, _("each side of a comparison"))
        right = self.scalar(node.right, _("each side of a comparison"))
        self._unify([left, right], [node.left, node.right], _("compare"), node)
        test = COMPARE[node.op]
        text, span = to_text(node), node.span

        def run(env: Env) -> Out:
            (a, a_step), (b, b_step) = left.run(env), right.run(env)
            steps = (a_step, b_step)
            missing = _first_missing(steps)
            if missing is not None:
                return _na(text, missing.reason or "", span, steps)
            result = test(narrow(a), narrow(b))  # as shown: a / 3 × 3 = a holds
            return result, TraceStep(text, result, span=span, children=steps)

        return Compiled(run, "bool")

    def _in(self, node: ast.In) -> Compiled:
        operand = self.scalar(node.operand, _("the value before 'in'"))
        options = [self.expr(option) for option in node.options]
        for option, option_node in zip(options, node.options, strict=True):
            if option.kind != "scalar":
                raise self._type_error(_("outside a filter, 'in (...)' lists numbers"), option_node)
            # as for '=': a / b in (50%) compares a ratio with a percentage
            self._unify([operand, option], [node.operand, option_node], _("compare"), node)
        values = [narrow(option.run(Env({}))[0]) for option in options]
        text, span, negated = to_text(node), node.span, node.negated

        def run(env: Env) -> Out:
            value, step = operand.run(env)
            if value is None:
                return _na(text, step.reason or "", span, (step,))
            result = (narrow(value) in values) != negated
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
