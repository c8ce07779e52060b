"""The proofs of bounds, as diagnostics: a value proven outside what its indicator states, and
the denominators that can be 0 (``iku check --notes``)."""

from __future__ import annotations

from iku_rules import bounds, intervals, units
from iku_rules.check.common import _diagnostic, place
from iku_rules.i18n import N_, _
from iku_rules.model import Definitions, Diagnostic

STATE_IT = N_(
    "if everyone counted in the numerator is also in the denominator, write"
    " numerator_within_denominator = true (then checked on every evaluation);"
    " if it can pass 100, write may_exceed_100 = true"
)


def check_bounds(definitions: Definitions) -> list[Diagnostic]:
    """Percent indicators that cannot be proven to stay within 0–100 (by interval analysis,
    :mod:`iku_rules.bounds`), unless the definition states what holds."""
    found = []
    analysis = bounds.Analysis(definitions)
    for indicator in definitions.indicators:
        if indicator.percent_statement == "within" and indicator.ratio is None:
            found.append(
                _diagnostic(
                    _(
                        "indicator '{id}' states numerator_within_denominator, but its"
                        " formula divides nothing, so there is no ratio for the statement to bound"
                    ).format(id=indicator.id),
                    indicator.formula_location or indicator.location,
                    definitions,
                    severity="warning",
                    code="nothing-to-bound",
                )
            )
        if indicator.formula is None or not indicator.is_percent:
            continue
        proven = analysis.indicator(indicator)
        interval = proven.interval
        if proven.unit != units.PERCENT:
            continue  # reported by check_formulas
        if interval.within(intervals.PERCENT_RANGE) or indicator.percent_statement == "within":
            continue
        if indicator.percent_statement == "may_exceed_100" and interval.low >= 0:
            continue
        below = interval.low < 0
        why = proven.why_unbounded or _("its formula can give values from {interval}").format(
            interval=interval
        )
        message = (
            _("indicator '{id}' is a percentage that may come out below 0: {why}")
            if below
            else _("indicator '{id}' is a percentage that may come out above 100: {why}")
        )
        found.append(
            _diagnostic(
                message.format(id=indicator.id, why=why),
                indicator.formula_location,
                definitions,
                severity="warning",
                suggestion=None if below else _(STATE_IT),
                code="bounds",
            )
        )
    return found


def zero_denominator_notes(definitions: Definitions) -> list[Diagnostic]:
    """Every division whose denominator can be 0, with what happens then (``iku check --notes``)."""
    found = []
    analysis = bounds.Analysis(definitions)
    for indicator in definitions.indicators:
        if indicator.formula is None:
            continue
        for zero in analysis.indicator(indicator).zero_denominators:
            found.append(
                _diagnostic(
                    _(
                        "in indicator '{id}' the denominator '{denominator}' can be 0; then {policy}"
                    ).format(id=indicator.id, denominator=zero.denominator, policy=zero.policy),
                    place(indicator.formula_location, zero.span, indicator.formula_exact),
                    definitions,
                    severity="note",
                    code="zero-denominator",
                )
            )
    return found
