"""The proofs of bounds, as diagnostics: a value proven outside what its indicator states, and
the denominators that can be 0 (``iku check --notes``)."""

from __future__ import annotations

from decimal import Decimal

from iku_rules import bounds, intervals, units
from iku_rules.check.common import (
    _diagnostic,
    fraction_fix,
    fraction_of_percent,
    place,
    target_numbers,
    target_places,
)
from iku_rules.i18n import N_, _
from iku_rules.model import Definitions, Diagnostic, Indicator, Threshold
from iku_rules.trace import format_decimal

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
        if indicator.is_percent:  # a formula's, a realisasi's or an input's, proven or not
            found += _fraction_target(indicator, definitions)
        if indicator.formula is not None:
            found += _always_zero(indicator, definitions, analysis)
        if indicator.formula is not None and not indicator.is_percent:
            found += _share_targets(indicator, definitions, analysis)
        if indicator.formula is None or not indicator.is_percent:
            continue
        proven = analysis.indicator(indicator)
        interval = proven.interval
        if proven.unit != units.PERCENT:
            continue  # reported by check_formulas
        if interval.within(intervals.PERCENT_RANGE) or indicator.percent_statement == "within":
            found += _percent_targets(indicator, definitions)
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


def _always_zero(
    indicator: Indicator, definitions: Definitions, analysis: bounds.Analysis
) -> list[Diagnostic]:
    """An error at each denominator of ``indicator``'s formula that is 0 whatever the data
    (``Σ a / 0``): the indicator would never have a value."""
    return [
        _diagnostic(
            _(
                "in the formula of indicator '{id}' the denominator '{denominator}' is always 0,"
                " so the indicator never has a value"
            ).format(id=indicator.id, denominator=zero.denominator),
            place(indicator.formula_location, zero.span, indicator.formula_exact),
            definitions,
            suggestion=_("divide by the whole the value is a share of, or remove the division"),
            code="zero-denominator",
        )
        for zero in analysis.indicator(indicator).zero_denominators
        if zero.always
    ]


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


def _percent_targets(indicator: Indicator, definitions: Definitions) -> list[Diagnostic]:
    """A target of a percentage that stays within 0–100 that cannot be meant: one above
    100, which no realisasi reaches; said once per indicator, where it is written."""
    found: list[Diagnostic] = []
    places = target_places(indicator)
    above = next(
        (
            (period, number, location)
            for period, target, location in places
            for number in target_numbers(target)
            if number > 100 and not (isinstance(target, Threshold) and target.op in ("<", "<="))
        ),
        None,
    )
    if above is not None:
        period, number, location = above
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' is a percentage that stays within 0–100, but its target"
                    " for {period} is {value}: no realisasi can reach it"
                ).format(id=indicator.id, period=period, value=format_decimal(number)),
                location or indicator.location,
                definitions,
                severity="warning",
                suggestion=_("write the target as a percentage from 0 to 100"),
                code="target-beyond-bounds",
            )
        )
    return found


def _share_targets(
    indicator: Indicator, definitions: Definitions, analysis: bounds.Analysis
) -> list[Diagnostic]:
    """A target above 1 of an indicator that is not a percentage but whose formula gives a
    share within 0–1 (a part divided by its whole, proven or stated, without × 100%): no
    realisasi reaches it, and 36,8 % of PMKS served reads 0,368, capaian 0,96 against 38,45,
    where the planner means 36,8, capaian 95,71. Said once, where the target is written."""
    assert indicator.formula is not None
    proven = analysis.indicator(indicator)
    if proven.unit == units.PERCENT:
        return []  # reported by check_formulas
    stated = indicator.percent_statement == "within" and indicator.ratio == indicator.formula.body
    if not (stated or proven.interval.within(intervals.UNIT)):
        return []
    above = next(
        (
            (period, number, location)
            for period, target, location in target_places(indicator)
            for number in target_numbers(target)
            if number > 1 and not (isinstance(target, Threshold) and target.op in ("<", "<="))
        ),
        None,
    )
    if above is None:
        return []
    period, number, location = above
    return [
        _diagnostic(
            _(
                "the formula of indicator '{id}' gives a share that stays within 0–1 (a part"
                " divided by its whole), but its target for {period} is {value}: no realisasi"
                " can reach it"
            ).format(id=indicator.id, period=period, value=format_decimal(number)),
            location or indicator.location,
            definitions,
            severity="warning",
            suggestion=_(
                'for a percentage, write unit = "Persen" and multiply the share by 100%'
                " (Σ a / Σ b × 100%); else write the target as a share ({share} for {value})"
            ).format(share=format_decimal(number / 100), value=format_decimal(number)),
            code="target-beyond-bounds",
        )
    ]


def _fraction_target(indicator: Indicator, definitions: Definitions) -> list[Diagnostic]:
    """A target of a percentage where higher is better between 0 and 1: most often a share
    written as a fraction (0,93 for 93 %), which would make every capaian a hundred times
    too high, whatever gives the percentage (a formula, proven within 0–100 or not, a
    realisasi reported, an input); said once per indicator, where it is written."""
    found: list[Diagnostic] = []
    places = target_places(indicator)
    fractions = [
        (period, target, location)
        for period, target, location in places
        if fraction_of_percent(indicator, target)
    ]
    if fractions:
        (period, target, location), others = fractions[0], fractions[1:]
        assert isinstance(target, Decimal)
        message = _(
            "indicator '{id}' is a percentage, but its target for {period} is {value},"
            " less than 1 %: a share written as a fraction ({value} for {percent} %)"
            " would make every capaian a hundred times too high"
        ).format(
            id=indicator.id,
            period=period,
            value=format_decimal(target),
            percent=format_decimal(target * 100),
        )
        if others:  # each to fix, not one check after another
            message += "; " + _("so are its targets for {others}").format(
                others=", ".join(
                    f"{other} ({format_decimal(value)})"
                    for other, value, _place in others
                    if isinstance(value, Decimal)
                )
            )
        found.append(
            _diagnostic(
                message,
                location or indicator.location,
                definitions,
                severity="warning",
                suggestion=fraction_fix(target),
                code="target-fraction",
            )
        )
    return found
