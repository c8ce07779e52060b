"""Assessment of a kabupaten result: its target for the period, capaian and predikat by the
office's rules (the indicator's own capaian method, else the office's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from iku_rules import ast
from iku_rules.additive import (
    absent_capaian,
    adds_up,
    method_part,
    skipped_triwulan,
    stale_level,
    summed_targets,
    triwulan_method,
    unreported_triwulan,
)
from iku_rules.decimals import total
from iku_rules.i18n import _
from iku_rules.model import Definitions, Target, Threshold
from iku_rules.reasons import (
    MISSING_VALUES,
    NO_REALISASI,
    NO_TARGET,
    RULE_ERROR,
    Reason,
    code_of,
)
from iku_rules.results import IndicatorResult
from iku_rules.rules.base import RuleError
from iku_rules.rules.capaian import CapaianResult, capaian
from iku_rules.rules.predikat import predikat
from iku_rules.rules.tables import RuleTables


def assess(
    result: IndicatorResult,
    definitions: Definitions,
    rule_tables: RuleTables,
    over: bool = False,
) -> IndicatorResult:
    """Add target, capaian and predikat by the office's rules (for the kabupaten); ``over``:
    whether the period is over on the day of the evaluation (:func:`targets`)."""
    target, realisasi, wanted, method = targets(result, definitions, over)
    if wanted is None and target is not None:
        # a region without a row in a triwulan it reports in another: where lower is
        # better its cases are not known there, and counting them as none would flatter
        wanted = absent_capaian(result)
    if wanted is not None:
        shown = _shown(target, None, method)
        return result.assessed(shown, _no_capaian(result, wanted), result.predikat)
    rules = definitions.rules
    if (
        result.indicator.polarity == "negatif"
        and rules
        and rules.negatif
        and not _names(method, ("selisih", "rasio"))
    ):
        method = f"{method}+{rules.negatif}" if method else rules.negatif
    try:
        assessed = capaian(
            realisasi,
            target,
            result.indicator.polarity,
            method,
            rules=rule_tables,
            detail=True,
        )
    except RuleError as error:
        return result.assessed(
            result.target, _no_capaian(result, Reason(str(error), RULE_ERROR)), result.predikat
        )
    label = (
        predikat(assessed.value, "capaian", rules=rule_tables)
        if assessed.value is not None
        else None
    )
    return result.assessed(_shown(target, assessed.triwulan, method), assessed, label)


def _shown(target: Any, triwulan: int | None, method: str | None) -> Target | None:
    """The target a row shows: the one capaian was computed against. Of targets per
    triwulan, those up to the last triwulan reported (``triwulan``), summed, or the last
    of them (``terakhir``)."""
    if not isinstance(target, list):
        return target  # type: ignore[no-any-return]
    used = target[:triwulan] if triwulan else target
    return used[-1] if _names(method, ("terakhir",)) else _sum_targets(used)


def targets(
    result: IndicatorResult, definitions: Definitions, over: bool = False
) -> tuple[Any, Any, str | None, str | None]:
    """The target and realisasi to compare for the result's period, the reason there are
    none, and the capaian method (the indicator's own, else the office's). Of a period
    ``over`` on the day of the evaluation, a realisasi summed over its triwulan counts those
    not reported after the last one reported as none (:func:`_counted_as_none`)."""
    indicator, period = result.indicator, result.period
    method = indicator.capaian_method
    if period.kind == "year":
        target = indicator.targets.get(period.year)
        if target is None:
            return None, None, _no_target(period.year), None
        unreported = _unreported(result, definitions)
        if unreported is not None:
            return target, None, unreported, None
        return target, result.value, None, method_part(method, ("selisih", "rasio"))
    labels = period.triwulan
    if period.kind == "triwulan":
        target = indicator.triwulan_targets.get(labels[0])
        if target is None:
            return None, None, _no_target(labels[0]), None
        return target, result.value, None, method_part(method, ("selisih", "rasio"))
    triwulan = triwulan_method(indicator, definitions)
    formula = method_part(method, ("selisih", "rasio"))
    combined = f"{triwulan}+{formula}" if formula else triwulan
    quarters = [indicator.triwulan_targets.get(label) for label in labels]
    if triwulan == "tahunan":
        annual = indicator.targets.get(period.year)
        if annual is None:
            return None, None, _no_target(period.year), None
        unreported = _unreported(result, definitions)
        if unreported is not None:
            return annual, None, unreported, None
        return annual, result.value, None, formula
    if any(q is None for q in quarters):
        return (
            None,
            None,
            Reason(
                _("there are no targets for every triwulan up to {period}").format(
                    period=labels[-1]
                ),
                NO_TARGET,
            ),
            None,
        )
    additive = adds_up(indicator, definitions)
    if result.realisasi is not None:
        if result.value is None and result.realisasi.rows:  # a row without nilai, a
            # satuan that does not add up: what was reported gives no capaian either
            shown = quarters if additive else quarters[-1] if triwulan == "terakhir" else None
            return shown, None, _no_realisasi(result.reason), combined
        if over and triwulan == "terakhir" and stale_level(result, definitions, over=True):
            # the level of a triwulan before the period's last, which is due and not
            # reported: against the level to reach by the period's end, as the year's is
            # against the year's target (45 by TW2 of 100 by TW4 is 45 %, never 45 of 50)
            return quarters[-1], result.value, None, formula
        values = dict(result.realisasi.by_triwulan)
        reported = [values.get(label) for label in labels]
        if over and result.indicator.polarity != "negatif":
            reported = _counted_as_none(result, definitions, reported)
        return quarters, reported, None, combined
    if not additive:  # its targets cannot be summed
        if triwulan == "terakhir":
            return quarters[-1], result.value, None, formula
        return None, None, summed_targets(indicator, period, labels[-1]), None
    if _level(result):  # to TW2 the level reached, against the level to reach by TW2
        return quarters[-1], result.value, None, formula
    if triwulan == "terakhir":
        return (
            None,
            None,
            Reason(_("'terakhir' needs the realisasi of each triwulan"), NO_REALISASI),
            None,
        )
    return _sum_targets(quarters), result.value, None, formula


def _counted_as_none(
    result: IndicatorResult, definitions: Definitions, values: list[Any]
) -> list[Any]:
    """``values`` (a realisasi per triwulan of a period over, where higher is better) with
    the triwulan due and not reported after the last one reported counted as 0, as its sum
    counts them (:func:`~iku_rules.additive.skipped_triwulan`), so that their targets are
    in the comparison too: 20, 30 and 35 to TW3, TW4 not reported, are 85 for 2026-sd-TW4
    against 25 × 4 = 100 (85 %, as for 2026), never against the 75 to TW3 (113,33 %).
    Where lower is better they are left out: counting them as none would flatter it."""
    reported = [at for at, value in enumerate(values) if value is not None]
    if not reported:
        return values
    skipped = set(skipped_triwulan(result, definitions, over=True))
    labels = result.period.triwulan
    return [
        Decimal(0) if at > reported[-1] and labels[at] in skipped else value
        for at, value in enumerate(values)
    ]


def _level(result: IndicatorResult) -> bool:
    """Whether the result's value is a level at the period's end, not a sum over it: a
    formula over registers that are states only (the PSKS registered by 30 June), with no
    input, indicator or previous period in it. Its triwulan targets are levels too (10,
    12, 13, 14 by the end of each), so to TW2 it is compared with TW2's, never with their
    sum: 11 registered against 10 + 12 = 22 read 50 %, Sangat Rendah, for 11 of 12."""
    formula = result.indicator.formula
    if not result.measures or result.inputs or result.indicators or formula is None:
        return False
    if any(use.spec.time != "state" for use in result.measures):
        return False
    return not any(
        isinstance(node, ast.Call) and node.func == "sebelumnya" for node in ast.walk(formula.body)
    )


def _unreported(result: IndicatorResult, definitions: Definitions) -> Reason | None:
    """Why the realisasi summed over the period's triwulan cannot be compared with the
    annual target of an indicator where lower is better: a triwulan of the period that
    is not reported would count as none (cases 0 + 4 + 1, TW4 missing: 5 against 10 is
    150 %, where TW4's cases are not known). Read ``terakhir``, the value is the last
    triwulan's, not a sum; a satuan that does not add up is never summed."""
    if result.indicator.polarity != "negatif":
        return None
    missing = unreported_triwulan(result, definitions)
    if not missing:
        return None
    return Reason(
        _(
            "the realisasi of {missing} is not reported, so the sum over {period} would"
            " count it as none and, where lower is better, make capaian look better than it"
            " is; report it (0 where there was none), or evaluate the triwulan reported"
        ).format(missing=", ".join(missing), period=result.period.label),
        MISSING_VALUES,
    )


def _no_realisasi(reason: str | None) -> Reason:
    return Reason(
        _("there is no {what}, so capaian cannot be computed").format(what=_("realisasi")),
        code_of(reason) or NO_REALISASI,
    )


def _no_target(period: object) -> Reason:
    return Reason(_("there is no target for {period}").format(period=period), NO_TARGET)


def _names(method: str | None, names: tuple[str, ...]) -> bool:
    return method_part(method, names) is not None


def _sum_targets(targets: list[Any]) -> Target:
    thresholds = {t.op for t in targets if isinstance(t, Threshold)}
    if thresholds:
        if len(thresholds) > 1 or (
            len(thresholds) == 1 and not all(isinstance(t, Threshold) for t in targets)
        ):
            raise RuleError(
                _("the triwulan targets mix thresholds of different kinds with numbers")
            )
        return Threshold(thresholds.pop(), sum((t.value for t in targets), Decimal(0)))
    if any(isinstance(t, tuple) for t in targets):
        lows = total(t[0] if isinstance(t, tuple) else t for t in targets)
        highs = total(t[1] if isinstance(t, tuple) else t for t in targets)
        return lows, highs
    return total(targets)


def _no_capaian(result: IndicatorResult, reason: str) -> CapaianResult:
    return CapaianResult(
        value=None, raw=None, reason=reason, method="", polarity=result.indicator.polarity,
        policy_applied=None, target_used=None,
    )  # fmt: skip
