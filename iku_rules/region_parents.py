"""One name, one region: results by a level whose names repeat under different regions of
the level above tell the regions apart by their parent.

Desa names repeat across an Indonesian kabupaten: Pandeglang has a Mekarsari in kecamatan
Bojong and another in Panimbang, a Mekarjaya in three kecamatan. Results by desa grouped
the rows by the desa column alone, so the two Mekarsari were added up as one desa (3 and 4
made one Mekarsari of 7) in silence. Before results are given by a level, each source
holding a column of it and of its parent level (the ``parent`` of its ``[[level]]``, else
the column of the next larger level in the source) is read for the pairs it holds. A name
that stands under two or more parents, in any source, is grouped in every source under a
label naming its parent (``Mekarsari (Bojong)``, ``Mekarsari (Panimbang)``); every other
name stays as written (:class:`~iku_rules.sources.base.Qualified`, which the backends apply
as they group). Two things stop the evaluation at their row, with the fix:

* a row that names such a desa but leaves its kecamatan empty: which desa it is cannot be
  told;
* a desa the definitions declare (``[[region]]``, with its ``parent``) standing under
  another kecamatan than the one declared: results by desa and by kecamatan would
  disagree about it.

Two desa the definitions declare with one name under different kecamatan are named with
their kecamatan (``Mekarsari (Giriwangi)``, :func:`~iku_rules.loader.regions.settle_namesakes`):
whatever results are asked by, each row naming the name is grouped under the one declared
in its kecamatan (a table of values per period then has a row from each declared desa).
Refused at their row besides: a row naming it with its kecamatan empty, a source without a
kecamatan column naming it (write ``Mekarsari (Giriwangi)`` there; a name under two
parents in the data only is refused so by desa), and by desa a name under two kecamatan
that one desa is declared by without its parent.

Results for the whole area and by the larger level add up rows, not names: they are not
touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from iku_rules.datanames import Placer
from iku_rules.i18n import _
from iku_rules.keyed_rows import region_columns
from iku_rules.model import Definitions, Source
from iku_rules.regions import Region, listed, namesakes, region_key, with_parent
from iku_rules.sources.base import Backend, Qualified
from iku_rules.sources.cells import DataError


def qualify_names(
    definitions: Definitions,
    backend: Backend,
    by: str | None,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Note on ``backend`` the names to group under a label naming their parent: those of
    level ``by`` under two parents in the data (none when ``by`` is None or the first
    level), and, whatever ``by``, those two declared regions share (each row under the
    label of the region declared in its parent, ``Mekarsari (Giriwangi)``). Raise a
    :class:`DataError` at the first row that names such a region with its parent left
    empty, or in a source without a column of its parent level; or a declared region (of
    ``by``, or of a level whose parent is ``by``: a puskesmas counted in a kecamatan)
    under another parent than declared."""
    backend.qualified.clear()
    place = (data_dir, allow_outside, backend)
    shared = namesakes(definitions.regions)
    asked = list(dict.fromkeys([*([by] if by else []), *(level for level, _key in shared)]))
    found_pairs: dict[str, tuple[_Found, dict[str, dict[str, str]]]] = {}

    def pairs_of(level: str) -> tuple[_Found, dict[str, dict[str, str]]]:
        if level not in found_pairs:
            found_pairs[level] = _pairs(definitions, backend, level)
        return found_pairs[level]

    levels = {level.id: level for level in definitions.levels}
    for level in definitions.level_ids():  # a declared puskesmas read in another kecamatan
        if by is not None and level != by and level in levels and levels[level].parent == by:
            _check_declared(definitions, level, *pairs_of(level), place)
    for level in asked:  # the names two declared regions share, each by its parent's key
        declared = {key: regions for (at, key), regions in shared.items() if at == level}
        found, under = pairs_of(level)
        twice = set(declared)
        if level == by:
            _check_declared(definitions, by, found, under, place)
            twice |= {key for key, parents in under.items() if len(parents) > 1}
            _declared_once(definitions, by, found, under, twice - set(declared), place)
        for source, parent_column, column, pairs in found.values():
            orphan = next(
                (n for above, n in pairs if above is None and region_key(n) in twice), None
            )
            if orphan is not None:
                raise _orphan(
                    definitions, level, source, column, parent_column, orphan, under, place
                )
            renamed = backend.renames(source).get(column, {})
            labels = _labels(pairs, twice, declared, renamed)
            if labels:
                backend.qualified.setdefault(source.id, {})[column] = Qualified(
                    parent_column, labels
                )
        _without_parent(definitions, backend, level, found, under, twice, place)


def _declared_once(
    definitions: Definitions,
    level: str,
    found: _Found,
    under: Mapping[str, Mapping[str, str]],
    twice: set[str],
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a name the data place under two parents that one region of ``level`` is
    declared by, without its parent: the rows would be two regions, neither of them the
    declared one (whose results would have none of them)."""
    once = {region_key(r.name): r.name for r in definitions.regions_at(level) if r.parent is None}
    for source, parent_column, column, pairs in found.values():
        for above, name in pairs:
            key = region_key(name)
            if above is None or key not in twice or key not in once:
                continue
            parent_level = _parent_level(definitions, source, level)
            message = _(
                "the {level} '{name}' stands under {parent_level} {parents}, but the"
                " definitions declare one {level} '{name}', without its {parent_level}: if"
                " they are different {level}, declare each as a [[region]] with its parent;"
                " if one, correct the {parent_level} of its rows"
            ).format(
                level=level,
                name=once[key],
                parent_level=parent_level,
                parents=listed(sorted(under[key].values())),
            )
            raise _at(source, place, column, name, parent_column, above, message)


def _labels(
    pairs: list[tuple[str | None, str]],
    twice: set[str],
    declared: Mapping[str, Mapping[str, Region]],
    renamed: Mapping[str, str],
) -> dict[tuple[str, str], str]:
    """Each pair of parent and name (as written, and as grouped: the backends compare
    either) of a name under two parents, to the label it is grouped under: the name of the
    region declared in that parent (``Mekarsari (Giriwangi)``), else the name with the
    parent. A pair under a parent no region of the name is declared in keeps its name
    (refused by the parent's level and by the level; for the whole area it is a row)."""
    labels: dict[tuple[str, str], str] = {}
    for above, name in pairs:
        key = region_key(name)
        if above is None or key not in twice:
            continue
        if key in declared:
            region = declared[key].get(region_key(above))
            if region is None:
                continue
            label = region.name
        else:
            label = with_parent(name, above)
        labels[(above, name)] = label
        labels.setdefault((above, renamed.get(name, name)), label)
    return labels


def _without_parent(
    definitions: Definitions,
    backend: Backend,
    level: str,
    found: _Found,
    under: Mapping[str, Mapping[str, str]],
    twice: set[str],
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a source with a column of ``level`` and none of its parent level that names
    a region of ``level`` two regions share (``Mekarsari``): which one each row is cannot be
    told, so its rows would be neither's, or merged."""
    if not twice:
        return
    parent_level = _level_above(definitions, level, found)
    for source in definitions.sources:
        column = source.regions.get(level)
        if column is None or source.id in found:
            continue
        name = next((n for n in backend.distinct(source, column) if region_key(n) in twice), None)
        if name is None:
            continue
        choices = _choices(definitions, level, name, under)
        parents = [parent for parent, _label in choices]
        names = _(" or ").join(f"'{label}'" for _parent, label in choices)
        message = _(
            "the {level} '{name}' stands in {parent_level} {parents}, and {source} has no"
            " {parent_level} column to tell which one its rows are: write the {level} as"
            " {names}, or add the {parent_level} column to the source (regions ="
            ' {{ {parent_level} = "…", {level} = "{column}" }})'
        ).format(
            level=level,
            name=name,
            parent_level=parent_level,
            parents=listed(parents),
            source=source.id,
            names=names,
            column=column,
        )
        raise Placer(source, *place).error(column, [name], message)


def _level_above(definitions: Definitions, level: str, found: _Found) -> str:
    """The parent level of ``level``: declared, else the one its sources hold above it."""
    declared = next((lv.parent for lv in definitions.levels if lv.id == level), None)
    if declared is not None or not found:
        return declared or level
    source = next(iter(found.values()))[0]
    return _parent_level(definitions, source, level)


def _choices(
    definitions: Definitions, level: str, name: str, under: Mapping[str, Mapping[str, str]]
) -> list[tuple[str, str]]:
    """The parents of the regions of ``level`` named ``name``, each with the name that
    region is given (``Mekarsari (Giriwangi)``): of those declared, else of those the data
    place under two parents."""
    key = region_key(name)
    declared = namesakes(definitions.regions).get((level, key))
    if declared is not None:
        found = [(region.parent or "", region.name) for region in declared.values()]
    else:
        found = [(parent, with_parent(name, parent)) for parent in under.get(key, {}).values()]
    return sorted(found)


_Found = dict[str, tuple[Source, str, str, list[tuple[str | None, str]]]]
"""By source id: the source, its parent and region columns, and the pairs it holds (the
parent as grouped, the name as written)."""


def _pairs(
    definitions: Definitions, backend: Backend, level: str
) -> tuple[_Found, dict[str, dict[str, str]]]:
    """The pairs of parent and name of ``level`` each source holds, and by name key the
    parents it stands under (by their key, as grouped)."""
    found: _Found = {}
    under: dict[str, dict[str, str]] = {}
    for source in definitions.sources:
        parent = _parent(definitions, source, level)
        if parent is None:
            continue
        parent_column, column = parent[1], source.regions[level]
        renamed = backend.renames(source).get(parent_column, {})
        asked = f"pairs of {parent_column} and {column}"  # i18n: not for planners (a key kept)
        rows = backend.kept_answer(  # kept for a later run over the same bytes
            source, asked,
            partial(_distinct_rows, backend, source, (parent_column, column)),
            keep=lambda _rows: True,
        )  # fmt: skip
        pairs = [
            (None if above is None else renamed.get(above, above), name)
            for above, name in rows
            if name is not None
        ]
        found[source.id] = (source, parent_column, column, pairs)
        for above, name in pairs:
            if above is not None:
                under.setdefault(region_key(name), {}).setdefault(region_key(above), above)
    return found, under


def _distinct_rows(
    backend: Backend, source: Source, columns: tuple[str, ...]
) -> list[list[str | None]]:
    """The distinct combinations of ``columns`` in ``source``'s rows, as JSON lists (as
    :meth:`~iku_rules.sources.base.Backend.kept_answer` keeps them)."""
    return [list(row) for row in backend.distinct_rows(source, columns)]


def _check_declared(
    definitions: Definitions,
    level: str,
    found: _Found,
    under: dict[str, dict[str, str]],
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a region of ``level`` declared with its parent found under another one (a
    name two declared regions share, under a parent neither is declared in)."""
    declared: dict[str, dict[str, str]] = {}
    for region in definitions.regions_at(level):
        if region.parent is not None:
            for name in dict.fromkeys((region.name, region.plain)):
                parents = declared.setdefault(region_key(name), {})
                parents.setdefault(region_key(region.parent), region.parent)
    for key, parents in under.items():
        expected = declared.get(key)
        if expected is not None and not parents.keys() <= expected.keys():
            _refuse_declared(definitions, level, key, expected, parents, found, place)


def _parent(definitions: Definitions, source: Source, by: str) -> tuple[str, str] | None:
    """The parent level of ``by`` and its column in ``source``, when ``source`` holds both."""
    if by not in source.regions:
        return None
    levels = {level.id: level for level in definitions.levels}
    if by in levels:
        parent = levels[by].parent
        column = None if parent is None else source.regions.get(parent)
        return None if parent is None or column is None else (parent, column)
    ordered = region_columns(source, definitions.level_ids())
    index = [level for level, _column in ordered].index(by)
    return ordered[index - 1] if index > 0 else None


def _parent_level(definitions: Definitions, source: Source, by: str) -> str:
    found = _parent(definitions, source, by)
    assert found is not None
    return found[0]


def _refuse_declared(
    definitions: Definitions,
    by: str,
    key: str,
    expected: Mapping[str, str],
    parents: Mapping[str, str],
    found: _Found,
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a declared region of ``by`` found under a parent other than those it is
    declared in (``expected``, by their key), at the first row of the first source that
    holds it so."""
    wrong = sorted(above for above_key, above in parents.items() if above_key not in expected)
    for source, parent_column, column, pairs in found.values():
        for above, name in pairs:
            if above is None or region_key(name) != key or above not in wrong:
                continue
            parent_level = _parent_level(definitions, source, by)
            names = {
                "level": by,
                "name": name,
                "parent_level": parent_level,
                "parents": listed(wrong),
                "source": source.id,
            }
            if len(expected) == 1:
                message = _(
                    "the {level} '{name}' stands under {parent_level} {parents} in {source},"
                    " where the definitions declare it in {parent_level} '{declared}': correct"
                    " the {parent_level} of its rows, or its [[region]]"
                ).format(**names, declared=next(iter(expected.values())))
            else:
                message = _(
                    "the {level} '{name}' stands under {parent_level} {parents} in {source},"
                    " where the definitions declare a {level} '{name}' only in {parent_level}"
                    " {declared}: correct the {parent_level} of its rows, or declare that"
                    " {level} as a [[region]] with its parent"
                ).format(**names, declared=listed(sorted(expected.values())))
            raise _at(source, place, column, name, parent_column, above, message)


def _orphan(
    definitions: Definitions,
    by: str,
    source: Source,
    column: str,
    parent_column: str,
    name: str,
    under: Mapping[str, Mapping[str, str]],
    place: tuple[Path, bool, Backend],
) -> DataError:
    parent_level = _parent_level(definitions, source, by)
    parents = [parent for parent, _label in _choices(definitions, by, name, under)]
    message = _(
        "the row names the {level} '{name}' but leaves its {parent_level} empty, and there is"
        " a {level} '{name}' in {parent_level} {parents}: results by {level} cannot tell which"
        " it is; fill in its {parent_level}"
    ).format(level=by, name=name, parent_level=parent_level, parents=listed(parents))
    return _at(source, place, column, name, parent_column, None, message)


def _at(
    source: Source,
    place: tuple[Path, bool, Backend],
    column: str,
    name: str,
    parent_column: str,
    parent: str | None,
    message: str,
) -> DataError:
    """``message`` at the first row of ``source`` naming ``name`` in ``column`` under
    ``parent`` (None: its parent left empty), in ``column``."""
    wanted = None if parent is None else region_key(parent)

    def holds(record: Mapping[str, Any]) -> bool:
        written, above = record.get(column), record.get(parent_column)
        if not isinstance(written, str) or region_key(written) != region_key(name):
            return False
        if wanted is None:
            return above is None
        return isinstance(above, str) and region_key(above) == wanted

    data_dir, allow_outside, backend = place
    return Placer(source, data_dir, allow_outside, backend).first(column, holds, message)
