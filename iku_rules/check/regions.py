"""Checks of the regions an office declares and of the columns sources hold them in: levels
unique and their parents declared above them, regions at declared levels and inside a
declared parent, each source's region, period and ``terakhir`` columns among its own."""

from __future__ import annotations

from iku_rules.check.common import _diagnostic
from iku_rules.model import Definitions, Diagnostic, Location
from iku_rules.regions import region_key
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
                    f"the level '{level.id}' is declared twice",
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
                    f"the parent '{level.parent}' of level '{level.id}' "
                    + (
                        "must be declared before it (levels go largest first)"
                        if later
                        else "is not a declared level"
                    ),
                    _at(level),
                    definitions,
                    suggestion=None if later else did_you_mean(level.parent, list(levels)),
                    code="level-parent",
                )
            )
        levels[level.id] = index
    parents = {level.id: level.parent for level in definitions.levels}
    names: dict[tuple[str, str], object] = {}
    for region in definitions.regions:
        if region.level not in levels:
            found.append(
                _diagnostic(
                    f"the region '{region.name}' is at the level '{region.level}', which no"
                    " [[level]] declares",
                    _at(region),
                    definitions,
                    suggestion=did_you_mean(region.level, list(levels)),
                    code="region-level",
                )
            )
            continue
        key = (region.level, region_key(region.name))
        if key in names:
            found.append(
                _diagnostic(
                    f"the {region.level} '{region.name}' is declared twice (names are matched"
                    " ignoring case and spacing)",
                    _at(region),
                    definitions,
                    code="duplicate-region",
                )
            )
        names[key] = region
    for region in definitions.regions:
        parent_level = parents.get(region.level)
        if region.level not in levels:
            continue
        if parent_level is None and region.parent is not None:
            found.append(
                _diagnostic(
                    f"the {region.level} '{region.name}' names a parent, but the level"
                    f" '{region.level}' has none",
                    _at(region),
                    definitions,
                    code="region-parent",
                )
            )
        elif (
            parent_level is not None
            and region.parent is not None
            and (parent_level, region_key(region.parent)) not in names
        ):
            declared = [r.name for r in definitions.regions_at(parent_level)]
            found.append(
                _diagnostic(
                    f"the {region.level} '{region.name}' lies in the {parent_level}"
                    f" '{region.parent}', which is not a declared {parent_level}",
                    _at(region),
                    definitions,
                    suggestion=did_you_mean(region.parent, declared),
                    code="region-parent",
                )
            )
    found += _source_columns(definitions, set(levels))
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
        if levels:
            for level in source.regions:
                if level not in levels:
                    found.append(
                        _diagnostic(
                            f"source '{source.id}' holds the level '{level}' in a column, but no"
                            f" [[level]] declares it; the declared levels are {', '.join(sorted(levels))}",
                            source.location,
                            definitions,
                            suggestion=did_you_mean(level, sorted(levels)),
                            code="region-level",
                        )
                    )
        wanted = [
            (f"the column of level '{level}'", column) for level, column in source.regions.items()
        ]
        if source.grain is not None:
            wanted.append(("the period column", source.grain.column))
        wanted += [
            ("a terakhir column", column) for column in measures_by_source.get(source.id, ())
        ]
        for role, column in wanted:
            if source.columns and column not in source.columns:
                found.append(
                    _diagnostic(
                        f"{role} '{column}' of source '{source.id}' is not one of its columns",
                        source.location,
                        definitions,
                        suggestion=did_you_mean(column, list(source.columns)),
                        code="column",
                    )
                )
        for level, column in source.regions.items():
            declared = source.columns.get(column)
            if declared is not None and declared != "text" and column != source.region_column:
                found.append(
                    _diagnostic(
                        f"the column '{column}' of source '{source.id}' holds {level} names but"
                        f" is declared {declared}; it must be text",
                        source.location,
                        definitions,
                        suggestion=f'declare {column} = "text"',
                        code="column-type",
                    )
                )
        if source.grain is not None:
            declared = source.columns.get(source.grain.column)
            allowed = ("integer", "text") if source.grain.unit == "year" else ("text",)
            if declared is not None and declared not in allowed:
                found.append(
                    _diagnostic(
                        f"the period column '{source.grain.column}' of source '{source.id}' is"
                        f" declared {declared}; periods of a {source.grain.unit} are written as"
                        f" {' or '.join(allowed)}",
                        source.location,
                        definitions,
                        code="column-type",
                    )
                )
            if source.date_column:
                found.append(
                    _diagnostic(
                        f"source '{source.id}' has values per period (time = \"period\"); its"
                        " period column says which rows count, so it takes no date column",
                        source.location,
                        definitions,
                        code="time",
                    )
                )
    return found
