"""Assessment of a region's result: its own target (``region_targets``), or the area's when
the indicator says ``area_target_for_regions = true``, then capaian and predikat by the same
rules as the area's (:func:`iku_rules.assess.assess`).

A region without a target of its own, of an indicator that does not say the area's target
applies to it, has no capaian; the reason names the missing target and both ways to give
one. A target is never made up. The area's result is assessed on its own value (a ratio of
sums from the data), never from the regions' capaian.

The area's target is never a region's for a count (``area_target_for_regions = true`` on
an indicator whose satuan adds up: ``iku check`` refuses it, code ``area-target-count``):
each kecamatan's part of the kabupaten's deaths would meet the kabupaten's "≤ 3" with 3 of
its own, 9 in all. Definitions made without the checks get no capaian for such a region.
"""

from __future__ import annotations

from attrs import evolve

from iku_rules.additive import adds_up
from iku_rules.assess import assess
from iku_rules.i18n import _, current_language
from iku_rules.model import Definitions, Indicator
from iku_rules.reasons import NO_TARGET, WHOLE_AREA_ONLY, Reason
from iku_rules.results import IndicatorResult
from iku_rules.rules.capaian import CapaianResult
from iku_rules.rules.tables import RuleTables

View = tuple[Indicator | None, str | None]
"""An indicator as a region sees it, or None and why (:func:`region_view`)."""
Seen = tuple[Indicator | None, CapaianResult | None]
"""An indicator as a region sees it, or None and its capaian saying why there is none (what
:func:`assess_at` keeps of a :data:`View`)."""


def assess_at(
    result: IndicatorResult,
    definitions: Definitions,
    rule_tables: RuleTables,
    level: str | None,
    views: dict[tuple[str, str, str | None, str], Seen] | None = None,
    over: bool = False,
) -> IndicatorResult:
    """Add target, capaian and predikat to the area's result or to a region's (of ``level``).

    ``views`` keeps each indicator's view per level, region and language once found (and
    the capaian of a region without a target, the same every period), for a caller that
    assesses the same indicators again (every period of an evaluation). ``over``: whether
    the period is over on the day of the evaluation (:func:`~iku_rules.assess.assess`)."""
    if result.region is None or level is None:
        return assess(result, definitions, rule_tables, over)
    indicator = result.indicator
    if indicator.area_target_for_regions and adds_up(indicator, definitions):
        return _count_at(result, definitions, rule_tables, level, over)
    view, none = seen_at(indicator, level, result.region, definitions.area, views)
    if view is None:
        return result.assessed(None, none, result.predikat)
    assessed = assess(evolve(result, indicator=view), definitions, rule_tables, over)
    return evolve(assessed, indicator=indicator)


def _count_at(
    result: IndicatorResult,
    definitions: Definitions,
    rule_tables: RuleTables,
    level: str,
    over: bool = False,
) -> IndicatorResult:
    """A region's result of a count that says ``area_target_for_regions = true``: against
    the region's own target only, never the area's."""
    indicator, region, area = result.indicator, result.region or "", definitions.area
    view, _why = region_view(evolve(indicator, area_target_for_regions=False), level, region, area)
    if view is None or not view.targets:
        reason = Reason(
            _(
                "the {area}'s target of indicator '{id}' is not a {level}'s: its satuan '{unit}'"
                " counts things, and {level} '{region}' holds a part of the {area}'s count;"
                " write its own target in region_targets.{level}"
            ).format(area=area, id=indicator.id, level=level, unit=indicator.unit, region=region),
            NO_TARGET,
        )
        return result.assessed(None, _none(indicator, reason), None)
    assessed = assess(evolve(result, indicator=view), definitions, rule_tables, over)
    return evolve(assessed, indicator=indicator)


def seen_at(
    indicator: Indicator,
    level: str,
    region: str,
    area: str,
    views: dict[tuple[str, str, str | None, str], Seen] | None = None,
) -> Seen:
    """The indicator as ``region`` (of ``level``) sees it, or None and the capaian saying
    why it has none (the same every period: the engine files it with the result as it is
    made); kept in ``views`` once found: per region where the indicator has targets per
    ``level``, else once for every region of the level (nothing then depends on which)."""
    own = any(entry.level == level for entry in indicator.region_targets)
    key = (indicator.id, level, region if own else None, current_language())
    found = None if views is None else views.get(key)
    if found is None:
        view, reason = region_view(indicator, level, region, area)
        found = view, None if view is not None else _none(indicator, reason or "")
        if views is not None:
            views[key] = found
    return found


def region_view(indicator: Indicator, level: str, region: str, area: str) -> View:
    """The indicator as one region sees it (its targets: the region's own, then the area's
    where the indicator lets them apply), or None and why the region has no target."""
    entry = next((e for e in indicator.region_targets if e.level == level), None)
    own = entry.for_region(region) if entry is not None else None
    if own is not None:
        if not indicator.area_target_for_regions:
            return evolve(indicator, targets=own, triwulan_targets={}), None
        quarters = {
            label: target
            for label, target in indicator.triwulan_targets.items()
            if int(label[:4]) not in own
        }
        return evolve(
            indicator, targets={**indicator.targets, **own}, triwulan_targets=quarters
        ), None
    if indicator.area_target_for_regions:
        return indicator, None
    if entry is not None:
        return None, Reason(
            _(
                "there is no target for {level} '{region}' in region_targets.{level} of"
                " indicator '{id}': write one there, or set area_target_for_regions = true if"
                " the {area}'s target applies to every {level}"
            ).format(level=level, region=region, id=indicator.id, area=area),
            NO_TARGET,
        )
    if indicator.region_targets:
        return None, Reason(
            _(
                "indicator '{id}' gives targets per {levels}, not per {level}, so capaian per"
                " {level} has no target"
            ).format(
                id=indicator.id,
                levels=", ".join(e.level for e in indicator.region_targets),
                level=level,
            ),
            NO_TARGET,
        )
    return None, Reason(
        _(
            "capaian is given for the whole {area} only: indicator '{id}' has no targets per"
            " {level} (region_targets)"
        ).format(area=area, id=indicator.id, level=level),
        WHOLE_AREA_ONLY,
    )


def _none(indicator: Indicator, reason: str) -> CapaianResult:
    return CapaianResult(
        value=None, raw=None, reason=reason, method="", polarity=indicator.polarity,
        policy_applied=None, target_used=None,
    )  # fmt: skip
