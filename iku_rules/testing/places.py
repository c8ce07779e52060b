"""Where the kit's rows stand: the region cells a row of a source writes, from the
definitions' levels and declared regions (made-up names for a level they declare none of)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from iku_rules.keyed_rows import region_columns
from iku_rules.model import Definitions, Source
from iku_rules.regions import region_key

# -- where rows stand: a place is what a row writes in each region column of its source,
# largest level first: a declared region under the parent it is declared in, or (a level
# whose regions are not declared) a made-up name that reads as no row of totals. A name of
# an undeclared level stands under two parents (two desa called alike in two kecamatan)
# only where every source holding the level also holds its parent's column; elsewhere the
# data could not tell the two apart, and the reader rightly refuses them.

Place = Mapping[str, str]
"""A row's region cells: column → name (a column not in it is left blank)."""

MADE_UP = ("Wilayah A", "Wilayah B", "Wilayah C")
"""Names for the regions of a largest level the definitions declare none of."""


def parent_column(definitions: Definitions, source: Source, level: str) -> str | None:
    """The column of ``source`` holding the parent of ``level`` (as the engine finds it:
    the declared parent level, else the next larger level the source holds), or None."""
    declared = {item.id: item for item in definitions.levels}
    if level in declared:
        parent = declared[level].parent
        return None if parent is None else source.regions.get(parent)
    ordered = [column for _level, column in region_columns(source, definitions.level_ids())]
    index = ordered.index(source.regions[level])
    return ordered[index - 1] if index > 0 else None


def places(definitions: Definitions, source: Source, widest: int | None = 3) -> tuple[Place, ...]:
    """Every place a row of ``source`` can name in full, one name in each of its region
    columns: at most ``widest`` regions of its largest level and two under each of them
    (None: every declared region of every level, as a table every unit reports in has
    them); ``({},)`` for a source without region columns."""
    found: list[dict[str, str]] = [{}]
    for level, column in region_columns(source, definitions.level_ids()):
        above_column = parent_column(definitions, source, level)
        grown = []
        for place in found:
            above = place.get(above_column) if above_column is not None else None
            limit = widest if above_column is None or widest is None else 2
            for name in _names(definitions, source, level, above_column, above)[:limit]:
                grown.append({**place, column: name})
        found = grown or found
    return tuple(found)


def partial(source: Source, definitions: Definitions, full: Sequence[Place]) -> tuple[Place, ...]:
    """``full`` and each of its places with its smaller levels left blank, down to the
    place of no region (the whole area): never a smaller level named under a blank one."""
    columns = [column for _level, column in region_columns(source, definitions.level_ids())]
    found: dict[tuple[tuple[str, str], ...], Place] = {}
    for place in full:
        for depth in range(len(columns) + 1):
            kept = {c: place[c] for c in columns[:depth] if c in place}
            found.setdefault(tuple(sorted(kept.items())), kept)
    return tuple(found.values())


def _names(
    definitions: Definitions,
    source: Source,
    level: str,
    above_column: str | None,
    above: str | None,
) -> list[str]:
    """The names a row may write for ``level`` under the parent ``above``."""
    declared = definitions.regions_at(level)
    if declared:
        if above_column is None:  # no parent column: a name two regions share is told apart
            return [region.name for region in declared]
        fits = [
            region.plain
            for region in declared
            if region.parent is None
            or above is None
            or region_key(region.parent) == region_key(above)
        ]
        return fits or [region.plain for region in declared if region.written is None]
    children = _declared_parents(definitions, source, level)
    if children:  # the parents the declared regions of a smaller level name
        return children
    if above is None:
        return list(MADE_UP)
    if _always_beside_parent(definitions, level):
        return ["Wilayah 1", "Wilayah 2"]  # namesakes under every parent, as desa are
    return [f"{above} {n}" for n in (1, 2)]


def _declared_parents(definitions: Definitions, source: Source, level: str) -> list[str]:
    """The parents named by the declared regions of a level whose parent is ``level``,
    held by ``source`` beside it."""
    found: dict[str, str] = {}
    for smaller in source.regions:
        if smaller == level or parent_column(definitions, source, smaller) != source.regions[level]:
            continue
        for region in definitions.regions_at(smaller):
            if region.parent is not None:
                found.setdefault(region_key(region.parent), region.parent)
    return list(found.values())


def _always_beside_parent(definitions: Definitions, level: str) -> bool:
    """Whether every source holding ``level`` holds its parent's column too."""
    return all(
        parent_column(definitions, source, level) is not None
        for source in definitions.sources
        if level in source.regions
    )
