"""The trace of an evaluation, as data and as text a person can follow.

Every sub-expression that was evaluated leaves one :class:`TraceStep` with its
canonical text, value, unit and (when not available) the reason; steps nest
like the formula. :func:`render` draws them as a tree::

    Σ a / Σ b × 100% = 25 %
    ├── Σ a = 40
    │   └── a = 40
    ├── Σ b = 160
    │   └── b = 160
    └── 100% = 100 %
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from attrs import field, frozen

from iku_rules.decimals import round_half_away
from iku_rules.i18n import _, format_number
from iku_rules.reasons import code_of
from iku_rules.source import Span

DISPLAY_DECIMALS = 6


@frozen
class TraceStep:
    """One evaluated sub-expression.

    ``value`` is a ``Decimal`` for numbers, a ``bool`` for conditions, ``None``
    when not available (then ``reason`` says why) or for lists (then ``note``
    describes them). ``unit`` is ``"number"``, ``"ratio"`` or ``"percent"`` for
    numbers, ``None`` otherwise.
    """

    text: str
    value: Decimal | bool | None
    unit: str | None = None
    reason: str | None = None
    note: str | None = None
    span: Span | None = field(default=None, eq=False)
    children: tuple[TraceStep, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The step and its children as plain JSON-ready data (numbers as strings)."""
        data: dict[str, Any] = {"expression": self.text, "value": _json_value(self.value)}
        data["unit"] = "%" if self.unit == "percent" else None
        if self.reason is not None:
            data["reason"] = self.reason
            data["reason_code"] = code_of(self.reason)
        if self.note is not None:
            data["note"] = self.note
        if self.span is not None:
            data["line"], data["column"] = self.span.line, self.span.column
        data["steps"] = [child.as_dict() for child in self.children]
        return data

    def render(self) -> str:
        """The step as an indented tree, one line per step."""
        return "\n".join(render_lines(self))


def _json_value(value: Decimal | bool | None) -> str | bool | None:
    if isinstance(value, Decimal):
        return format_decimal(value, exact=True)
    return value


def format_decimal(value: Decimal, exact: bool = False) -> str:
    """A decimal for people: no exponent, no trailing zeros, no thousands sign (``23500``
    cannot be misread), the decimal sign of the language spoken (``35,833333`` in
    Indonesian); rounded to 6 places (half away from zero, marked ``≈``). ``exact``: every
    digit, locale-free (``35.8333333333``), for machines."""
    if exact:
        return _plain(value)
    shown = round_half_away(value, DISPLAY_DECIMALS)
    text = format_number(Decimal(_plain(shown)), group=False)
    return "≈ " + text if shown != value else text


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def describe(step: TraceStep) -> str:
    """``text = value unit`` or ``text: not available (reason)``."""
    if step.value is None and step.reason is not None:
        return _("{text}: not available ({reason})").format(text=step.text, reason=step.reason)
    if isinstance(step.value, bool):
        shown = _("true") if step.value else _("false")
    elif isinstance(step.value, Decimal):
        shown = format_decimal(step.value) + (" %" if step.unit == "percent" else "")
    else:
        shown = ""
    line = f"{step.text} = {shown}" if shown else step.text
    if step.note:
        line += f"  [{step.note}]"
    return line


def render_lines(
    step: TraceStep, prefix: str = "", is_last: bool = True, root: bool = True
) -> list[str]:
    """The tree of ``step`` as lines, drawn with box characters (no recursion limit concerns:
    formula depth is bounded by the parser)."""
    if root:
        lines = [describe(step)]
        child_prefix = ""
    else:
        lines = [f"{prefix}{'└── ' if is_last else '├── '}{describe(step)}"]
        child_prefix = prefix + ("    " if is_last else "│   ")
    for index, child in enumerate(step.children):
        lines.extend(render_lines(child, child_prefix, index == len(step.children) - 1, False))
    return lines
