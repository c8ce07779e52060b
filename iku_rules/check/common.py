"""What every check shares: diagnostics placed where the planner must look."""

from __future__ import annotations

from decimal import Decimal

from iku_rules.i18n import _
from iku_rules.model import (
    Definitions,
    Diagnostic,
    Indicator,
    Location,
    Severity,
    Target,
    Threshold,
)
from iku_rules.source import Span
from iku_rules.trace import format_decimal


def _at(location: Location | None, definitions: Definitions) -> Location:
    return location or Location(definitions.root)


def _diagnostic(
    message: str,
    location: Location | None,
    definitions: Definitions,
    *,
    severity: Severity = "error",
    suggestion: str | None = None,
    code: str,
) -> Diagnostic:
    return Diagnostic(severity, message, _at(location, definitions), suggestion, code)


ROWS = "__rows__"


def place(start: Location | None, span: Span | None, exact: bool) -> Location | None:
    """Where a piece of a formula stands in its file, given where the formula's text starts."""
    if start is None or start.line is None or start.column is None or span is None or not exact:
        return start
    if span.line == 1:
        return Location(start.path, start.line, start.column + span.column - 1)
    return Location(start.path, start.line + span.line - 1, span.column)


def target_numbers(target: Target) -> tuple[Decimal, ...]:
    """The numbers a target is written with: itself, a range's two ends, a threshold's."""
    if isinstance(target, tuple):
        return target
    if isinstance(target, Threshold):
        return (target.value,)
    return (target,)


def fraction_of_percent(indicator: Indicator, target: Target) -> bool:
    """Whether ``target`` is most likely a share written as a fraction (0,93 for 93 %, every
    capaian a hundred times too high): a target between 0 and 1 of a percentage where higher
    is better (where lower is better, less than 1 % may well be meant)."""
    return (
        indicator.is_percent
        and indicator.polarity != "negatif"
        and isinstance(target, Decimal)
        and 0 < target < 1
    )


def fraction_fix(target: Decimal) -> str:
    """The fix of a fraction target (:func:`fraction_of_percent`)."""
    return _(
        "write the target as a percentage ({percent}), or keep it if less than 1 % is meant"
    ).format(percent=format_decimal(target * 100))


def target_places(indicator: Indicator) -> list[tuple[str, Target, Location | None]]:
    """Every target of the indicator with its period (a year, then each triwulan) and where
    it is written (None: not known; the indicator's place stands for it)."""
    return [
        (str(year), target, indicator.target_locations.get(year))
        for year, target in indicator.targets.items()
    ] + [
        (label, target, indicator.triwulan_locations.get(label))
        for label, target in indicator.triwulan_targets.items()
    ]
