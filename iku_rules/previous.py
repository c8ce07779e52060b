"""What ``sebelumnya(x)`` reads: every value of the previous period for one region, as the
previous period's evaluation gave it, except where that value cannot serve as the base of
a change, which is then not available with why:

* an input, or a measure of a table of one value a year (``in_triwulan = "year_value"``),
  read for a triwulan: the triwulan before holds the whole year's value, so a change from
  one triwulan to the next would read 0 within a year, and a year's change in Triwulan I;
* a realisasi summed over the triwulan of a year or a year to date that misses one of them
  (2025 reported in TW4 only: 7 is not 2025's total), and every indicator computed from one:
  counting the triwulan not reported as none would misstate the change.

A value not available in the previous period stays not available (never 0), its reason
marked as the previous period's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iku_rules import ast
from iku_rules.additive import absent_places, absent_read, unreported_triwulan
from iku_rules.ast import name_key
from iku_rules.evaluator.values import Env, NotAvailable
from iku_rules.i18n import _
from iku_rules.model import Definitions
from iku_rules.printer import to_text
from iku_rules.reasons import MISSING_VALUES, NOT_A_WHOLE_YEAR, Reason, wrapped

if TYPE_CHECKING:
    from iku_rules.results import Evaluation, IndicatorResult, MeasureUse


def previous_values(previous: Evaluation, region: str | None, definitions: Definitions) -> Env:
    """The values ``sebelumnya`` reads for ``region`` (None: the whole area), with the
    previous period's label for the trace."""
    values: dict[str, Any] = {}
    period = previous.period
    results = {r.indicator.id: r for r in previous.results if r.region == region}
    gaps: dict[str, Reason | None] = {}
    moves: dict[str, bool | None] = {}

    def once_a_year(result: IndicatorResult) -> bool | None:
        """Whether ``result``'s value is computed only from values given once a year (an
        input, a table of one value a year, an indicator computed from them only): True;
        from a value of the triwulan's own (a register, a realisasi): False; from
        parameters and numbers only, the same in every period: None."""
        key = result.indicator.id
        if key not in moves:
            moves[key] = False  # a circle cannot be (the definitions are checked); stop anyway
            moves[key] = _once_a_year(result, results, once_a_year)
        return moves[key]

    def gap(result: IndicatorResult) -> Reason | None:
        """Why ``result``'s value misses a triwulan not reported, its own or one it reads."""
        key = result.indicator.id
        if key not in gaps:
            gaps[key] = None  # a circle cannot be (the definitions are checked); stop anyway
            gaps[key] = _unreported(result, definitions) or _read_gap(result, results, gap)
        return gaps[key]

    def value_or_reason(value: Decimal | None, reason: str | None) -> Any:
        return (
            value
            if value is not None
            else NotAvailable(wrapped(_("{reason} (previous period)"), reason))
        )

    for result in results.values():
        for use in result.measures:
            grain = use.spec.source.grain
            values[use.spec.key] = (
                NotAvailable(_yearly(previous))
                if use.value is not None
                and period.kind == "triwulan"
                and grain is not None
                and grain.unit == "year"
                else value_or_reason(use.value, use.reason)
            )
        for name, value, reason in result.inputs:
            values[name_key(name)] = (
                NotAvailable(_yearly(previous))
                if value is not None and period.kind == "triwulan"
                else value_or_reason(value, reason)
            )
        for name, parameter in result.parameters:
            values[name_key(name)] = parameter
        own: Any = value_or_reason(result.value, result.reason)
        if result.value is not None:
            if period.kind == "triwulan" and once_a_year(result):
                own = NotAvailable(_yearly(previous, result.indicator.formula_kind != "input"))
            elif (why := gap(result)) is not None:
                own = NotAvailable(why)
        values[name_key(result.indicator.id)] = own
    return Env(values, period=period.label)


def _once_a_year(
    result: IndicatorResult,
    results: dict[str, IndicatorResult],
    once_a_year: Callable[[IndicatorResult], bool | None],
) -> bool | None:
    """What :func:`previous_values`' ``once_a_year`` says of ``result``, found from what
    its formula reads: an indicator that only renames an input (``[Nilai AKIP]``) holds in
    each triwulan the year's value, as the input does, and its change from one triwulan to
    the next would read 0 as the input's would."""
    if result.indicator.formula_kind == "input":
        return True
    if result.realisasi is not None or result.indicator.formula_kind == "realisasi":
        return False
    yearly = bool(result.inputs)
    for use in result.measures:
        grain = use.spec.source.grain
        if grain is None or grain.unit != "year":
            return False
        yearly = True
    for other_id in result.indicators:
        other = results.get(other_id)
        read = False if other is None else once_a_year(other)
        if read is False:
            return False
        yearly = yearly or read is True
    return True if yearly else None


def _yearly(previous: Evaluation, computed: bool = False) -> Reason:
    """Why an input (or, ``computed``, an indicator computed only from values given once a
    year) is no base for a change between triwulan."""
    period = previous.period
    after = (
        f"{period.year + 1}-sd-TW1"
        if period.quarter == 4
        else f"{period.year}-sd-TW{period.quarter + 1}"
    )
    text = (
        _(
            "it is computed only from values given once a year (inputs, or tables of one value"
            " a year), so it has no value of its own for {period} (the previous period), only"
            " the year {year}'s: its change from one triwulan to the next would read 0 within"
            " a year; evaluate a year or a year to date (e.g. {example}) for its change"
        )
        if computed
        else _(
            "it is given once a year (an input, or a table of one value a year), so it has no"
            " value of its own for {period} (the previous period), only the year {year}'s: its"
            " change from one triwulan to"
            " the next would read 0 within a year; evaluate a year or a year to date (e.g."
            " {example}) for its change"
        )
    )
    return Reason(
        text.format(period=period.label, year=period.year, example=after), NOT_A_WHOLE_YEAR
    )


def _unreported(result: IndicatorResult, definitions: Definitions) -> Reason | None:
    """Why a realisasi summed over several triwulan, one of them not reported, is no base
    for a change (as :func:`iku_rules.assess._unreported` says for its capaian)."""
    indicator, period = result.indicator, result.period
    missing = unreported_triwulan(result, definitions)
    if not missing:
        return _absent(result, definitions)
    return Reason(
        _(
            "the realisasi of {indicator} for {missing} is not reported, so its sum over"
            " {period} (the previous period) would count it as none and misstate the change;"
            " report it (0 where there was none)"
        ).format(indicator=indicator.id, missing=", ".join(missing), period=period.label),
        MISSING_VALUES,
    )


def _absent(result: IndicatorResult, definitions: Definitions) -> Reason | None:
    """Why a realisasi summed without a region's row in a triwulan it reports in another is
    no base for a change either (:func:`~iku_rules.additive.absent_sum` says it of a formula
    of the period itself): 2026-TW1's 3 from Labuan, Carita's row missing, against
    2026-TW2's 2.5 + 1 read a rise of 16.67 %."""
    absent = absent_read(result, definitions)
    if not absent:
        return None
    period = result.period
    return Reason(
        _(
            "the realisasi of {indicator} has no row for {missing}, which reports it in"
            " another triwulan of {year}, so its sum over {period} (the previous period) would"
            " count it as none and misstate the change; report it (0 where there was none)"
        ).format(
            indicator=result.indicator.id,
            missing=absent_places(absent),
            year=period.year,
            period=period.label,
        ),
        MISSING_VALUES,
    )


def _read_gap(
    result: IndicatorResult,
    results: dict[str, IndicatorResult],
    gap: Callable[[IndicatorResult], Reason | None],
) -> Reason | None:
    """The first indicator ``result`` reads whose previous value misses a triwulan."""
    for other_id in result.indicators:
        other = results.get(other_id)
        why = None if other is None or other.value is None else gap(other)
        if why is not None:
            return wrapped(
                _("indicator {indicator} is not available ({reason})"),
                why,
                indicator=other_id,
            )
    return None


def indicators_read(evaluation: Evaluation, indicator_id: str, region: str | None) -> list[str]:
    """The indicator and those it reads, through the indicators they read, each once, for
    ``region``."""
    seen: dict[str, None] = {}
    waiting = [indicator_id]
    while waiting:
        current = waiting.pop(0)
        if current not in seen:
            seen[current] = None
            waiting += evaluation.get(current, region).indicators
    return list(seen)


def measures_read(
    evaluation: Evaluation, indicator_id: str, region: str | None
) -> list[MeasureUse]:
    """The measures an indicator's value was computed from, its own and those of the
    indicators it reads, for the same region."""
    return [
        use
        for read in indicators_read(evaluation, indicator_id, region)
        for use in evaluation.get(read, region).measures
    ]


def previous_uses(evaluation: Evaluation, result: IndicatorResult) -> tuple[MeasureUse, ...]:
    """The measures of the period before that ``sebelumnya`` in ``result``'s own formula
    reads, as that period's evaluation used them (a measure named or written in it; an
    indicator named, through what that one reads): a change from a period whose service log
    stops short flatters, so how far its data reach is said as the period's own is. Empty
    when the formula reads no ``sebelumnya``, or the period before was not evaluated."""
    previous, formula = evaluation.previous, result.indicator.formula
    if previous is None or formula is None:
        return ()
    keys: set[str] = set()
    for node in ast.walk(formula.body):
        if isinstance(node, ast.Call) and node.func == "sebelumnya":
            for inner in ast.walk(node):  # a name, or an aggregate written in the formula
                keys.add(inner.key if isinstance(inner, ast.Name) else to_text(inner))
    if not keys or result.region not in (None, *previous.regions):
        return ()
    named = [i.id for i in previous.definitions.indicators if name_key(i.id) in keys]
    own = previous.get(result.indicator.id, result.region).measures
    found = [use for use in own if use.spec.key in keys]
    for indicator_id in named:
        found += measures_read(previous, indicator_id, result.region)
    return tuple({use.spec.key: use for use in found}.values())  # each measure once
