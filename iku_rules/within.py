"""Why a value stated to lie within 0–1 is not available: a ratio whose numerator the
definition states lies within its denominator (``percent_statement = "within"``), which
the data give outside it."""

from __future__ import annotations

from decimal import Decimal

from iku_rules import ast
from iku_rules.i18n import _
from iku_rules.printer import to_text
from iku_rules.trace import TraceStep, format_decimal


def outside_statement(ratio: ast.Product | None, text: str | None, trace: TraceStep) -> str | None:
    """Why a value whose ``ratio`` (written ``text``) is stated to lie within 0–1 (its
    numerator within its denominator) is not available, or None when the ratio the data
    give does lie there (or was not computed: a branch of ``if`` not taken)."""
    if ratio is None:
        return None
    stack = [trace]
    while stack:
        step = stack.pop()
        if step.span == ratio.span and step.text == text and len(step.children) >= 2:
            top, bottom = step.children[0].value, step.children[1].value
            break
        stack.extend(step.children)
    else:
        return None
    if not isinstance(top, Decimal) or not isinstance(bottom, Decimal) or bottom == 0:
        return None
    # Compared exactly, never divided: a share of 1.0000000000000000000000000000001 is more
    # than 1, though rounded to the 28 digits of Python's context it is 1.
    below, above = (top < 0, top > bottom) if bottom > 0 else (top > 0, top < bottom)
    if not below and not above:
        return None
    numbers = _("'{numerator}' is {top} and '{denominator}' is {bottom}").format(
        numerator=to_text(ratio.operands[0]),
        top=format_decimal(top),
        denominator=to_text(ratio.operands[1]),
        bottom=format_decimal(bottom),
    )
    if above:
        return _(
            "the definition states that the numerator lies within the denominator, but the"
            " data give more: {numbers}; check the data, or state may_exceed_100 = true if"
            " it can truly exceed it"
        ).format(numbers=numbers)
    return _(
        "the definition states that the numerator lies within the denominator, but the"
        " data give a share below 0: {numbers}; check the data"
    ).format(numbers=numbers)
