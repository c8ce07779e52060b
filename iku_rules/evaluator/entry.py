"""Compiling a formula (cached) and running it: :func:`evaluate`, :func:`compile_formula`, :func:`run`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import Any

from iku_rules import ast, units
from iku_rules.decimals import PRECISION
from iku_rules.errors import EvaluationError
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.values import (
    WORKING,
    Binding,
    Compiled,
    Env,
    Result,
    Schema,
    narrow,
    normalise,
)
from iku_rules.formula import Formula
from iku_rules.i18n import _
from iku_rules.notation import Notation


@functools.lru_cache(maxsize=1024)
def _compile_cached(
    formula: Formula,
    text: str,
    schema_items: tuple[tuple[str, Binding], ...],
    spelled: tuple[tuple[str, str], ...],
    precomputed: tuple[tuple[ast.Node, str], ...],
) -> Compiled:
    # ``text`` is in the key because a formula's equality leaves its spans out: two
    # formulas written differently (``Σ a/Σ b``, ``Jumlah a dibagi Jumlah b``) are equal,
    # but each one's trace points into its own text, and finds its steps by their spans.
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
        formula.text,
        tuple(sorted(schema.items())),
        tuple(sorted((spelled or {}).items())),
        tuple((precomputed or {}).items()),
    )


_ONE = Decimal(1)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0  # NaN and infinity are never given


def run(compiled: Compiled, formula: Formula, env: Env) -> Result:
    """Run a compiled formula on prepared values, computed with guard digits and given
    rounded once to the package's digits (:data:`~iku_rules.decimals.WORKING`); a value
    that is zero has no sign (``round(-0.001, 2)`` gives ``0.00``, never ``-0.00``), and a
    whole number has no exponent (``1 / 0.1`` gives ``10``, never ``1E+1``, which reads
    as Excel's scientific notation wherever a program prints it; ``0 / 0.01`` gives ``0``,
    never ``0E+2``)."""
    with localcontext(WORKING):
        value, step = compiled.run(env)
    if value is None:
        return Result(None, None, step.reason, step, formula)
    value = narrow(value)
    if value.is_zero():
        value = value.copy_abs()  # -0.00 (round(-0.001, 2)) is 0.00 to every consumer
        if _exponent(value) > 0:  # abs(0 / 0.01): 0, not 0E+2
            value = value.quantize(_ONE, context=WORKING)
    elif _exponent(value) > 0 and value.adjusted() < PRECISION:  # 1 / 0.1: not 1E+1
        value = value.quantize(_ONE, context=WORKING)
    return Result(value, units.symbol(compiled.unit), None, step, formula)


def _kind_words(kind: str) -> str:
    if kind == "scalar":
        return _("one number")
    return _("a list of records") if kind == "records" else _("a list of numbers")


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
    if isinstance(formula, Formula):
        parsed = formula
    else:
        from iku_rules.parser import parse  # Lark is imported with the first text parsed

        parsed = parse(formula, notation=notation)
    normalised, schema, spelled = normalise(values)
    previous_env = None
    if previous is not None:
        previous_values, previous_schema, previous_spelled = normalise(previous)
        for key, binding in previous_schema.items():
            now = schema.setdefault(key, binding)
            if now.kind == "empty":  # an empty list serves as either: the other says which
                schema[key] = binding
            elif now.kind != binding.kind and binding.kind != "empty":
                # records now and numbers before: sebelumnya(Σ a) would count the numbers
                raise EvaluationError(
                    _(
                        "'{name}' is given as {now} and, for the previous period, as {before};"
                        " give the same kind of value for both"
                    ).format(
                        name=spelled.get(key, previous_spelled[key]),
                        now=_kind_words(now.kind),
                        before=_kind_words(binding.kind),
                    )
                )
        previous_env = Env(previous_values)
    compiled = compile_formula(parsed, schema, spelled)
    return run(compiled, parsed, Env(normalised, previous_env))
