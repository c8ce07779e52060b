"""Evaluation: compile a formula once to closures, run it on values, keep a trace.

The package: :mod:`.values` (bindings, results, not-available values), :mod:`.compiler`
(made of :mod:`.core`, :mod:`.leaves`, :mod:`.arithmetic`, :mod:`.conditions`,
:mod:`.functions`), :mod:`.predicate` (filters), :mod:`.entry` (:func:`evaluate`) and
:mod:`.codegen` (:func:`compile_function`).

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

from iku_rules.evaluator.codegen import compile_function
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.entry import compile_formula, evaluate, run
from iku_rules.evaluator.values import Binding, Compiled, Env, NotAvailable, Result

__all__ = [
    "Binding",
    "Compiled",
    "Compiler",
    "Env",
    "NotAvailable",
    "Result",
    "compile_formula",
    "compile_function",
    "evaluate",
    "run",
]
