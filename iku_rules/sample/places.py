"""Where generic sample data happens: the regions a definitions folder declares, and the
region columns of each source filled consistently (a desa with its own kecamatan).

A folder that declares no regions gets ``Wilayah 1`` … ``Wilayah 5`` (:data:`UNDECLARED`)
in its region columns: made-up names that say they are made up, never one kabupaten's list.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from iku_rules.model import Definitions, Source

UNDECLARED = tuple(f"Wilayah {number}" for number in range(1, 6))
"""The region names of sample data for a folder that declares no regions."""


@frozen
class DeclaredRegions:
    """What a definitions folder declares about its regions, as plain data.

    ``parents`` maps each level id to its parent level id (``None`` for a top level),
    in the declared order; ``regions`` holds ``(level, name, parent name)`` triples;
    ``columns`` maps a source id to its columns by level id (``""`` stands for the level
    of a ``region_column`` when the folder declares no levels).
    """

    parents: Mapping[str, str | None]
    regions: tuple[tuple[str, str, str | None], ...]
    columns: Mapping[str, Mapping[str, str]]


def declared_regions(definitions: Definitions) -> DeclaredRegions:
    """The levels, regions and region columns ``definitions`` declares.

    The declared regions are ``Definitions.levels``, ``Definitions.regions`` and each
    ``Source.regions`` (level id -> column). A source that names only a
    ``region_column`` holds the top level in it.
    """
    levels = definitions.levels
    regions = definitions.regions
    parents = {str(level.id): level.parent for level in levels}
    top = next((level for level, parent in parents.items() if parent is None), "")
    columns: dict[str, Mapping[str, str]] = {}
    for source in definitions.sources:
        by_level: Mapping[str, str] = dict(source.regions)
        if not by_level and source.region_column:
            by_level = {top: source.region_column}
        if by_level:
            columns[source.id] = by_level
    return DeclaredRegions(
        parents=parents,
        regions=tuple((str(r.level), str(r.name), r.parent) for r in regions),
        columns=columns,
    )


def placements(declared: DeclaredRegions, source: Source) -> tuple[dict[str, str], ...]:
    """Every way to fill the region columns of ``source``: one mapping column -> name per
    region of its deepest level, with the region's ancestors in the columns of theirs.
    Empty when the source has no region column."""
    by_level = declared.columns.get(source.id, {})
    if not by_level:
        return ()
    deepest = [
        level
        for level in by_level
        if not any(declared.parents.get(other) == level for other in by_level)
    ]
    for level in deepest + list(by_level):
        named = [(name, parent) for at, name, parent in declared.regions if at == level]
        if named:
            return tuple(_with_ancestors(declared, by_level, level, n, p) for n, p in named)
    return tuple({column: name for column in by_level.values()} for name in UNDECLARED)


def _with_ancestors(
    declared: DeclaredRegions,
    by_level: Mapping[str, str],
    level: str,
    name: str,
    parent: str | None,
) -> dict[str, str]:
    placed = {by_level[level]: name}
    seen = {level}
    while parent is not None:
        up = declared.parents.get(level)
        if up is None or up in seen:
            break
        seen.add(up)
        if up in by_level:
            placed[by_level[up]] = parent
        level, name = up, parent
        parent = next(
            (p for at, n, p in declared.regions if at == level and n == name),
            None,
        )
    return placed
