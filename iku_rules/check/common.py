"""What every check shares: diagnostics placed where the planner must look."""

from __future__ import annotations

from iku_rules.model import (
    Definitions,
    Diagnostic,
    Location,
    Severity,
)


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
