"""One formula compiled to a plain Python function over decimals (:func:`compile_function`)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import (
    ROUND_HALF_UP,
    Decimal,
    Inexact,
    Overflow,
)
from typing import Any

from iku_rules.ast import name_key
from iku_rules.decimals import PRECISION
from iku_rules.evaluator.entry import compile_formula, evaluate
from iku_rules.evaluator.values import CONTEXT, WORKING, Binding, one_name_twice
from iku_rules.formula import Formula
from iku_rules.limits import MAX_NUMBER_DIGITS
from iku_rules.notation import Notation

_FAST_CONTEXT = WORKING.copy()

_SHOWN = CONTEXT.copy()
_SHOWN.Emax = PRECISION - 1
_SHOWN.clamp = 1
_SHOWN.traps[Overflow] = True
"""The context a value is rounded to its shown digits in: :data:`CONTEXT` with ``Overflow``
raised for a value of :data:`~iku_rules.decimals.PRECISION` digits or more before its point
(``adjusted() >= 50``), which evaluate leaves as it is (the fast path leaves it to evaluate),
and a whole number given without an exponent: with ``Emax`` at 49 and 50 digits, ``clamp``
pads a positive exponent's coefficient with zeros (``1E+1`` is 10). ``plus`` in it gives what
``add(value, 0)`` in :data:`CONTEXT` gives for every value under 1E+50, a zero without its
sign too, in one call of one argument: 0.4 of the time ``add`` and a test of ``adjusted``
took."""

_WHOLE = CONTEXT.copy()
_WHOLE.prec = MAX_NUMBER_DIGITS
_WHOLE.traps[Inexact] = True
_TAKEN = _WHOLE.plus
"""A Decimal given, as it is (the same value) where it has at most
:data:`~iku_rules.limits.MAX_NUMBER_DIGITS` significant digits; else ``Inexact`` is raised
(an ``ArithmeticError``: the fast path leaves it to evaluate, which refuses it). One call
of the decimal library, where rounding it and comparing took two: 33 ns against 50 ns an
input."""


# The fast path takes an int or a float as to_decimal does (a float by its shortest repr,
# exactly), inline; any other type (a bool, None, text) reads ``other[0]`` (an IndexError)
# and goes to evaluate, and so does a float that is not finite (``is_finite`` is false) and a
# number of more digits than a formula computes with, which evaluate refuses.
# The value comes back as evaluate gives it: rounded once to the package's digits, a zero
# without its sign (``round(-0.001, 2)`` is 0.00) and a whole number without an exponent
# (``1 / 0.1`` is 10, never 1E+1), by adding a zero of exponent 0 as it is rounded
# (:func:`_rounded_once`); a value of 50 digits or more before its point, which evaluate
# leaves as it is, overflows :data:`_SHOWN` and goes to evaluate.
_FAST_TEMPLATE = (  # i18n: not for planners (generated code)
    """
def fast(values):
    try:
        {reads}
        {converts}
        if {plain}:
            return {code}
    except (ArithmeticError, LookupError):
        pass
    return slow(values)
"""
)


def _outermost(code: str) -> tuple[str, str] | None:
    """The function ``code`` calls last and what it is called with (``multiply(divide(a, b),
    k0)``: ``multiply`` and ``divide(a, b), k0``); None where ``code`` is not one call."""
    name, opened, rest = code.partition("(")
    if not opened or not name.isidentifier():
        return None
    depth = 1
    for at, char in enumerate(rest):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return (name, rest[:at]) if at == len(rest) - 1 else None
    return None


def _rounded_once(code: str) -> str:
    """``code`` giving its value as evaluate gives it: computed with guard digits
    (:data:`~iku_rules.decimals.WORKING`), as evaluate computes it, then rounded once to the
    package's digits with a zero of exponent 0 added (``add(value, 0)`` in
    :data:`~iku_rules.decimals.CONTEXT`: the same digits as
    :func:`~iku_rules.evaluator.values.narrow`, with no sign on a zero and no exponent on a
    whole number), which ``plus`` in :data:`_SHOWN` gives in one call. An outermost
    product is rounded so by itself, ``fma(a, b, 0)``: the product rounded straight to 50
    digits, which the two roundings give too but for a tie at the 60th digit, one call less
    on the fast path."""
    outermost = _outermost(code)
    if outermost is not None and outermost[0] == "multiply":
        return f"shown_fma({outermost[1]}, ZERO)"
    return f"shown({code})"


def compile_function(
    formula: str | Formula, names: Sequence[str], *, notation: Notation | str | None = None
) -> Callable[[Mapping[str, Any]], Decimal | None]:
    """``formula`` as a Python function of its names' values, giving the value only.

    The function takes a mapping from the ``names`` (as written here) to numbers
    and returns what :func:`evaluate` would give as ``value``: a ``Decimal``, or
    None when not available. The formula is compiled once to Python code doing
    the same exact decimal arithmetic in the same context; when every value is a
    finite number (a ``Decimal``, an ``int``, or a ``float`` read as its shortest
    ``repr``, exactly as :func:`evaluate` reads it) that code runs alone (no tree walk,
    no trace). Anything else — None, a bool, text, a zero denominator, a formula over
    lists or with conditions — is handed to :func:`evaluate`, so the value is always the
    same.

    >>> share = compile_function("(a + b) / c × 100%", ["a", "b", "c"])
    >>> share({"a": Decimal(3), "b": Decimal(5), "c": Decimal(32)})
    Decimal('25.00')
    >>> share({"a": 3, "b": 5, "c": 0}) is None
    True

    ``notation`` reads the numbers of a formula given as text (see :func:`evaluate`).
    """
    if isinstance(formula, Formula):
        parsed = formula
    else:
        from iku_rules.parser import parse  # Lark is imported with the first text parsed

        parsed = parse(formula, notation=notation)
    spelled: dict[str, str] = {}
    for name in names:
        if name_key(name) in spelled:  # ["PMKS", "pmks"]: one would be read for the other
            raise one_name_twice(spelled[name_key(name)], name)
        spelled[name_key(name)] = name
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
        converts="; ".join(
            f"{v} = taken({v}) if {v}.__class__ is Decimal"  # i18n: not for planners
            f" else Decimal(repr({v})) if {v}.__class__ is float"
            f" else Decimal({v}) if {v}.__class__ is int and -LONG < {v} < LONG else other[0]"
            for v in variables
        )
        or "pass",
        # every value is a Decimal once converted (anything else went to ``other[0]``)
        plain=" and ".join(f"{v}.is_finite()" for v in variables) or "True",
        code=_rounded_once(str(compiled.code)),
    )
    context = _FAST_CONTEXT
    namespace: dict[str, Any] = {
        "__builtins__": {
            "min": min,
            "max": max,
            "ArithmeticError": ArithmeticError,
            "LookupError": LookupError,
            "repr": repr,
            "float": float,
            "int": int,
        },
        "Decimal": Decimal,
        "CONTEXT": CONTEXT,
        "narrow": CONTEXT.plus,
        "taken": _TAKEN,
        "shown": _SHOWN.plus,
        "shown_fma": _SHOWN.fma,
        "ZERO": Decimal(0),
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
        "other": (),
        "LONG": 10**MAX_NUMBER_DIGITS,
        **compiled.constants,
    }
    exec(compile(source, f"<formula {parsed.text[:40]!r}>", "exec"), namespace)
    fast: Callable[[Mapping[str, Any]], Decimal | None] = namespace["fast"]
    return fast
