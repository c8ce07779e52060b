"""Checks of the regions an office declares and of the columns sources hold them in: levels
unique and their parents declared above them, regions at declared levels and inside a
declared parent, each source's region, period and ``terakhir`` columns among its own, and a
``region_column`` that names no declared level (``kecamatan`` in a kota that declares only
kelurahan), whose names are never taken as another level's.

Two regions of one level and one name are two regions when their parents differ (a desa
Mekarsari in kecamatan Giriwangi and another in Sukaresmi: each named with its parent,
``Mekarsari (Giriwangi)``, :func:`~iku_rules.loader.regions.settle_namesakes`); where the
name alone must say which one is meant (a target per region, a region's ``parent``), it
is refused with both, and how to write one."""

from __future__ import annotations

from iku_rules.check.common import _diagnostic
from iku_rules.i18n import _
from iku_rules.model import Definitions, Diagnostic, Location
from iku_rules.regions import Region, listed, namesakes, region_key
from iku_rules.suggest import did_you_mean


def _at(item: object) -> Location | None:
    location = getattr(item, "location", None)
    return location if isinstance(location, Location) else None


def check_regions(definitions: Definitions) -> list[Diagnostic]:
    """Every problem of ``[[level]]``, ``[[region]]`` and the sources' ``regions``."""
    found: list[Diagnostic] = []
    levels: dict[str, int] = {}
    for index, level in enumerate(definitions.levels):
        if level.id in levels:
            found.append(
                _diagnostic(
                    _("the level '{level}' is declared twice").format(level=level.id),
                    _at(level),
                    definitions,
                    code="duplicate-level",
                )
            )
            continue
        if level.parent is not None and level.parent not in levels:
            later = level.parent in {other.id for other in definitions.levels[index:]}
            found.append(
                _diagnostic(
                    (
                        _(
                            "the parent '{parent}' of level '{level}' must be declared before it"
                            " (levels go largest first)"
                        )
                        if later
                        else _("the parent '{parent}' of level '{level}' is not a declared level")
                    ).format(parent=level.parent, level=level.id),
                    _at(level),
                    definitions,
                    suggestion=None if later else did_you_mean(level.parent, list(levels)),
                    code="level-parent",
                )
            )
        levels[level.id] = index
    parents = {level.id: level.parent for level in definitions.levels}
    shared = namesakes(definitions.regions)
    names: dict[tuple[str, str], object] = {}
    for region in definitions.regions:
        if region.level not in levels:
            found.append(
                _diagnostic(
                    _(
                        "the region '{name}' is at the level '{level}', which no [[level]] declares"
                    ).format(name=region.name, level=region.level),
                    _at(region),
                    definitions,
                    suggestion=did_you_mean(region.level, list(levels)),
                    code="region-level",
                )
            )
            continue
        key = (region.level, region_key(region.name))
        first = names.get(key)
        if isinstance(first, Region):
            found.append(_declared_twice(definitions, region, first, parents.get(region.level)))
        names[key] = region
    for region in definitions.regions:
        parent_level = parents.get(region.level)
        if region.level not in levels:
            continue
        if parent_level is None and region.parent is not None:
            found.append(
                _diagnostic(
                    _(
                        "the {level} '{name}' names a parent, but the level '{level}' has none"
                    ).format(level=region.level, name=region.name),
                    _at(region),
                    definitions,
                    code="region-parent",
                )
            )
        elif (
            parent_level is not None
            and region.parent is not None
            and (parent_level, region_key(region.parent)) in shared
        ):
            found.append(_ambiguous_parent(definitions, region, parent_level, shared))
        elif (
            parent_level is not None
            and region.parent is not None
            and (parent_level, region_key(region.parent)) not in names
        ):
            declared = [r.name for r in definitions.regions_at(parent_level)]
            found.append(
                _diagnostic(
                    _(
                        "the {level} '{name}' lies in the {parent_level} '{parent}', which is"
                        " not a declared {parent_level}"
                    ).format(
                        level=region.level,
                        name=region.name,
                        parent_level=parent_level,
                        parent=region.parent,
                    ),
                    _at(region),
                    definitions,
                    suggestion=did_you_mean(region.parent, declared),
                    code="unknown-region-parent",
                )
            )
    found += _ambiguous_targets(definitions, shared, parents)
    found += _source_columns(definitions, set(levels))
    return found


def _declared_twice(
    definitions: Definitions, region: Region, first: Region, parent_level: str | None
) -> Diagnostic:
    """A region declared twice at its level: the same name under one parent, or where one
    of the two names no parent (two desa of one name are told apart by their kecamatan)."""
    apart = parent_level is not None and (first.parent is None or region.parent is None)
    return _diagnostic(
        _(
            "the {level} '{name}' is declared twice (names are matched ignoring case and spacing)"
        ).format(level=region.level, name=region.name),
        _at(region),
        definitions,
        suggestion=(
            _(
                "if they are two {level} in different {parent_level}, give each its"
                ' parent = "<{parent_level}>"'
            ).format(level=region.level, parent_level=parent_level)
            if apart
            else None
        ),
        code="duplicate-region",
    )


def _which(shared: dict[str, Region]) -> tuple[str, str]:
    """The parents of regions of one name, and their names as written to tell them apart
    (``'Giriwangi' and 'Sukaresmi'``, ``"Mekarsari (Giriwangi)" or "Mekarsari (Sukaresmi)"``)."""
    found = sorted(shared.values(), key=lambda region: region_key(region.name))
    parents = listed([region.parent or "" for region in found])
    return parents, _(" or ").join(f'"{region.name}"' for region in found)


def _ambiguous_parent(
    definitions: Definitions,
    region: Region,
    parent_level: str,
    shared: dict[tuple[str, str], dict[str, Region]],
) -> Diagnostic:
    """A region whose ``parent`` names one of two regions of one name."""
    assert region.parent is not None
    found = shared[(parent_level, region_key(region.parent))]
    grand = next(iter(found.values()))
    above = next((level.parent for level in definitions.levels if level.id == parent_level), None)
    parents, names = _which(found)
    return _diagnostic(
        _(
            "the {level} '{name}' lies in the {parent_level} '{parent}', but there is a"
            " {parent_level} '{parent}' in {above} {parents}, so which one cannot be told"
        ).format(
            level=region.level,
            name=region.name,
            parent_level=parent_level,
            parent=grand.plain,
            above=above,
            parents=parents,
        ),
        _at(region),
        definitions,
        suggestion=_("write parent = {names}").format(names=names),
        code="ambiguous-region",
    )


def _ambiguous_targets(
    definitions: Definitions,
    shared: dict[tuple[str, str], dict[str, Region]],
    parents: dict[str, str | None],
) -> list[Diagnostic]:
    """A target per region that names one of two regions of one name by the name alone:
    which region's target it is cannot be told (each is named with its parent)."""
    if not shared:
        return []
    found = []
    for indicator in definitions.indicators:
        for entry in indicator.region_targets:
            for name in entry.regions():
                regions = shared.get((entry.level, region_key(name)))
                if regions is None:
                    continue
                place = next(t.region_location for t in entry.targets if t.region == name)
                listed_parents, names = _which(regions)
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' gives a target for the {level} '{name}', but"
                            " there is a {level} '{name}' in {parent_level} {parents}, so"
                            " which one's target it is cannot be told"
                        ).format(
                            id=indicator.id,
                            level=entry.level,
                            name=name,
                            parent_level=parents.get(entry.level),
                            parents=listed_parents,
                        ),
                        place if isinstance(place, Location) else None,
                        definitions,
                        suggestion=_(
                            "write its name with its {parent_level}, in quotes: {names}"
                        ).format(parent_level=parents.get(entry.level), names=names),
                        code="ambiguous-region",
                    )
                )
    return found


def _source_columns(definitions: Definitions, levels: set[str]) -> list[Diagnostic]:
    found = []
    measures_by_source: dict[str, list[str]] = {}
    for measure in definitions.measures:
        if measure.latest is not None:
            measures_by_source.setdefault(measure.source, []).extend(
                (measure.latest.per, measure.latest.by)
            )
    for source in definitions.sources:
        column = source.region_column
        if levels and column and column not in source.regions.values():
            found.append(
                _diagnostic(
                    _(
                        "the region_column '{column}' of source '{id}' names no declared"
                        " level, and its names are not taken as those of another level; the"
                        " declared levels are {levels}"
                    ).format(
                        column=column, id=source.id, levels=", ".join(definitions.level_ids())
                    ),
                    source.location,
                    definitions,
                    suggestion=_(
                        "declare the level as a [[level]], or say which declared level the"
                        ' column holds: regions = {{ <level> = "{column}" }}'
                    ).format(column=column),
                    code="source-level",
                )
            )
        if levels:
            for level in source.regions:
                if level not in levels:
                    found.append(
                        _diagnostic(
                            _(
                                "source '{id}' holds the level '{level}' in a column, but no"
                                " [[level]] declares it; the declared levels are {levels}"
                            ).format(id=source.id, level=level, levels=", ".join(sorted(levels))),
                            source.location,
                            definitions,
                            suggestion=did_you_mean(level, sorted(levels)),
                            code="source-level",
                        )
                    )
        wanted = [
            (
                _(
                    "the column of level '{level}' '{column}' of source '{id}' is not one of its"
                    " columns"
                ),
                level,
                column,
            )
            for level, column in source.regions.items()
        ]
        if source.grain is not None:
            wanted.append(
                (
                    _("the period column '{column}' of source '{id}' is not one of its columns"),
                    "",
                    source.grain.column,
                )
            )
        wanted += [
            (
                _("a terakhir column '{column}' of source '{id}' is not one of its columns"),
                "",
                column,
            )
            for column in measures_by_source.get(source.id, ())
        ]
        for message, level, column in wanted:
            if source.columns and column not in source.columns:
                found.append(
                    _diagnostic(
                        message.format(level=level, column=column, id=source.id),
                        source.location,
                        definitions,
                        suggestion=did_you_mean(column, list(source.columns)),
                        code="unknown-column",
                    )
                )
        for level, column in source.regions.items():
            declared = source.columns.get(column)
            if declared is not None and declared != "text" and column != source.region_column:
                found.append(
                    _diagnostic(
                        _(
                            "the column '{column}' of source '{id}' holds {level} names but"
                            " is declared {declared}; it must be text"
                        ).format(column=column, id=source.id, level=level, declared=declared),
                        source.location,
                        definitions,
                        suggestion=_('declare {column} = "text"').format(column=column),
                        code="region-column-type",
                    )
                )
        if source.grain is not None:
            declared = source.columns.get(source.grain.column)
            allowed = ("integer", "text") if source.grain.unit == "year" else ("text",)
            if declared is not None and declared not in allowed:
                found.append(
                    _diagnostic(
                        _(
                            "the period column '{column}' of source '{id}' is declared"
                            " {declared}; periods of a {grain} are written as {allowed}"
                        ).format(
                            column=source.grain.column,
                            id=source.id,
                            declared=declared,
                            grain=source.grain.unit,
                            allowed=_(" or ").join(allowed),
                        ),
                        source.location,
                        definitions,
                        code="period-column-type",
                    )
                )
            if source.date_column:
                found.append(
                    _diagnostic(
                        _(
                            "source '{id}' has values per period (time = \"period\"); its"
                            " period column says which rows count, so it takes no date column"
                        ).format(id=source.id),
                        source.location,
                        definitions,
                        code="period-date-column",
                    )
                )
    return found
