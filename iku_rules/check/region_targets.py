"""Checks of what an office gives per region: an indicator's ``region_targets`` (a declared
level with declared regions, names as declared, years in the plan, whole counts, thresholds
that suit the polarity), ``area_target_for_regions`` only where the area's target can be a
region's (never a count's), an input declared ``additive`` (a count, never a percentage or
a rate), and an inputs source holding one level at most."""

from __future__ import annotations

from decimal import Decimal

from iku_rules.additive import adds_up, unit_table
from iku_rules.check.common import (
    _diagnostic,
    fraction_fix,
    fraction_of_percent,
    target_numbers,
)
from iku_rules.i18n import _
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import Definitions, Diagnostic, Indicator, Location, Threshold
from iku_rules.region_targets import RegionTargets
from iku_rules.regions import namesakes, region_key
from iku_rules.satuan import PLAIN, rate
from iku_rules.suggest import did_you_mean
from iku_rules.trace import format_decimal


def _at(item: object) -> Location | None:
    return item if isinstance(item, Location) else None


def check_region_targets(definitions: Definitions) -> list[Diagnostic]:
    """Every problem of the indicators' targets per region."""
    found: list[Diagnostic] = []
    levels = definitions.level_ids()
    for indicator in definitions.indicators:
        found += _area_target(definitions, indicator)
        seen_levels: set[str] = set()
        for entry in indicator.region_targets:
            if entry.level in seen_levels:
                continue
            seen_levels.add(entry.level)
            if entry.level not in levels:
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' gives targets per '{level}', which is not a"
                            " declared level; the declared levels are {levels}"
                        ).format(
                            id=indicator.id,
                            level=entry.level,
                            levels=", ".join(levels) or _("(none)"),
                        ),
                        _at(entry.location),
                        definitions,
                        suggestion=did_you_mean(entry.level, levels),
                        code="region-target",
                    )
                )
                continue
            found += _regions(definitions, indicator, entry)
            found += _values(definitions, indicator, entry)
            found += _amounts(definitions, indicator, entry)
    return found


def _area_target(definitions: Definitions, indicator: Indicator) -> list[Diagnostic]:
    """``area_target_for_regions = true`` on a count: each region's part of the count would
    be compared with the whole area's target (every kecamatan meeting the kabupaten's "≤ 3"
    deaths with its own 3, and 9 in all)."""
    if not indicator.area_target_for_regions or not adds_up(indicator, definitions):
        return []
    return [
        _diagnostic(
            _(
                "indicator '{id}' says area_target_for_regions = true, but its satuan '{unit}'"
                " counts things: a region's count is a part of the {area}'s, so the {area}'s"
                " target is not a region's (each region would be compared with the target of"
                " the whole {area})"
            ).format(id=indicator.id, unit=indicator.unit, area=definitions.area),
            indicator.location,
            definitions,
            suggestion=_(
                "remove area_target_for_regions = true and give each region its own target in"
                " region_targets"
            ),
            code="area-target-count",
        )
    ]


def _regions(
    definitions: Definitions, indicator: Indicator, entry: RegionTargets
) -> list[Diagnostic]:
    declared = [region.name for region in definitions.regions_at(entry.level)]
    if not declared:
        return [
            _diagnostic(
                _(
                    "indicator '{id}' gives targets per {level}, but no [[region]] declares"
                    " the regions of the level '{level}', so their names cannot be checked"
                ).format(id=indicator.id, level=entry.level),
                _at(entry.location),
                definitions,
                suggestion=_("declare each {level} as a [[region]] with level = '{level}'").format(
                    level=entry.level
                ),
                code="region-target",
            )
        ]
    keys = {region_key(name): name for name in declared}
    shared = {key for level, key in namesakes(definitions.regions) if level == entry.level}
    found = []
    written: dict[str, str] = {}
    for region in entry.regions():
        key = region_key(region)
        place = next(t.region_location for t in entry.targets if t.region == region)
        if key in shared:
            continue  # a name two declared regions share: ambiguous-region says which to write
        if key not in keys:
            found.append(
                _diagnostic(
                    _(
                        "indicator '{id}' gives a target for the {level} '{region}', which is"
                        " not a declared {level}"
                    ).format(id=indicator.id, level=entry.level, region=region),
                    _at(place),
                    definitions,
                    suggestion=did_you_mean(region, declared),
                    code="region-target",
                )
            )
        elif key in written:
            found.append(
                _diagnostic(
                    _(
                        "indicator '{id}' gives targets for the {level} '{region}' twice"
                        " ('{first}' and '{region}'; names are matched ignoring case and"
                        " spacing)"
                    ).format(id=indicator.id, level=entry.level, region=region, first=written[key]),
                    _at(place),
                    definitions,
                    code="region-target",
                )
            )
        written.setdefault(key, region)
    return found


def _values(
    definitions: Definitions, indicator: Indicator, entry: RegionTargets
) -> list[Diagnostic]:
    """Years in the plan, whole numbers for counted satuan, thresholds that suit the
    polarity: the rules every target follows."""
    office = definitions.office
    start, end = MIN_YEAR, MAX_YEAR
    if office is not None and office.plan_start is not None and office.plan_end is not None:
        start, end = max(office.plan_start, MIN_YEAR), min(office.plan_end, MAX_YEAR)
    counts = unit_table(definitions).counts(indicator.unit)
    found = []
    for item in entry.targets:
        where = {"id": indicator.id, "level": entry.level, "region": item.region, "year": item.year}
        if not start <= item.year <= end:
            found.append(
                _diagnostic(
                    _(
                        "indicator '{id}' has a target for {level} '{region}' in {year},"
                        " outside the plan ({start}–{end})"
                    ).format(**where, start=start, end=end),
                    _at(item.location),
                    definitions,
                    code="target-year",
                )
            )
        target = item.target
        numbers = (
            target
            if isinstance(target, tuple)
            else (target.value,)
            if isinstance(target, Threshold)
            else (target,)
        )
        broken = [n for n in numbers if n != n.to_integral_value()]
        if counts and broken:
            found.append(
                _diagnostic(
                    _(
                        "the target of indicator '{id}' for {level} '{region}' in {year} is"
                        " {number}, but its satuan '{unit}' counts things one by one, so it"
                        " must be a whole number"
                    ).format(**where, number=format_decimal(broken[0]), unit=indicator.unit),
                    _at(item.location),
                    definitions,
                    code="whole-number",
                )
            )
        if isinstance(target, Threshold):
            wanted = "negatif" if target.lower_is_better else "positif"
            if indicator.polarity != wanted:
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' has the threshold target '{target}' for {level}"
                            " '{region}' in {year}, which does not suit its polarity"
                            " {polarity}"
                        ).format(**where, target=str(target), polarity=indicator.polarity),
                        _at(item.location),
                        definitions,
                        suggestion=_('write polarity = "{wanted}"').format(wanted=wanted),
                        code="threshold",
                    )
                )
    return found


def _amounts(
    definitions: Definitions, indicator: Indicator, entry: RegionTargets
) -> list[Diagnostic]:
    """What the area's targets are warned of (:mod:`iku_rules.check.bounds`,
    :func:`iku_rules.check.targets.check_negative_targets`), once per level: a percentage's
    target between 0 and 1 where higher is better (0,93 for 93 % makes the region's capaian
    a hundred times too high), and a negative target (no capaian)."""
    found = []
    fraction = next(
        (item for item in entry.targets if fraction_of_percent(indicator, item.target)), None
    )
    if fraction is not None:
        assert isinstance(fraction.target, Decimal)
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' is a percentage, but its target for {level} '{region}'"
                    " in {year} is {value}, less than 1 %: a share written as a fraction"
                    " ({value} for {percent} %) would make the {level}'s capaian a hundred"
                    " times too high"
                ).format(
                    id=indicator.id,
                    level=entry.level,
                    region=fraction.region,
                    year=fraction.year,
                    value=format_decimal(fraction.target),
                    percent=format_decimal(fraction.target * 100),
                ),
                _at(fraction.location),
                definitions,
                severity="warning",
                suggestion=fraction_fix(fraction.target),
                code="target-fraction",
            )
        )
    below = next(
        (
            (item, number)
            for item in entry.targets
            for number in target_numbers(item.target)
            if number < 0
        ),
        None,
    )
    if below is not None:
        item, number = below
        found.append(
            _diagnostic(
                _(
                    "indicator '{id}' has the negative target {value} for {level} '{region}'"
                    " in {year}: no capaian is computed against it (a worse realisasi would"
                    " read as a better one)"
                ).format(
                    id=indicator.id,
                    value=format_decimal(number),
                    level=entry.level,
                    region=item.region,
                    year=item.year,
                ),
                _at(item.location),
                definitions,
                severity="warning",
                suggestion=_(
                    "write the target as a positive amount (a fall of 10 rather than"
                    " -10), with the indicator's polarity saying which way is better"
                ),
                code="negative-target",
            )
        )
    return found


def check_region_inputs(definitions: Definitions) -> list[Diagnostic]:
    """An input declared ``additive`` is a count (its regions' values add up to the area's);
    an inputs source holds the regions of one level at most."""
    found = []
    table = unit_table(definitions)
    for item in definitions.inputs:
        if not item.additive or item.unit is None:
            continue
        if rate(item.unit) is not None or table.dimension(item.unit) == PLAIN:
            found.append(
                _diagnostic(
                    _(
                        "input '{name}' is declared additive = true, but its satuan '{unit}'"
                        " is a percentage, a rate or a score: the values of the regions do not"
                        " add up to the area's"
                    ).format(name=item.name, unit=item.unit),
                    item.location,
                    definitions,
                    suggestion=_(
                        "give the area's value in its own row (the region column left empty)"
                        " and remove additive = true; add the counts it is made of as inputs"
                        " of their own"
                    ),
                    code="additive",
                )
            )
    for source in definitions.sources:
        if source.kind == "inputs" and len(source.regions) > 1:
            found.append(
                _diagnostic(
                    _(
                        "the inputs source '{source}' holds regions of {count} levels ({levels});"
                        " an inputs table gives each value for the whole area or for one region"
                        " of one level"
                    ).format(
                        source=source.id,
                        count=len(source.regions),
                        levels=", ".join(source.regions),
                    ),
                    source.location,
                    definitions,
                    code="region-level",
                )
            )
    return found
