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

Results for the whole area and by the larger level add up rows, not names: they are not
touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from iku_rules.datanames import Placer
from iku_rules.i18n import _
from iku_rules.keyed_rows import region_columns
from iku_rules.model import Definitions, Source
from iku_rules.regions import region_key
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
    """Note on ``backend`` the names of level ``by`` to group under a label naming their
    parent (none when ``by`` is None or the first level); raise a :class:`DataError` at
    the first row that names such a region with its parent left empty, or a declared
    region (of ``by``, or of a level whose parent is ``by``: a puskesmas counted in a
    kecamatan) under another parent than declared."""
    backend.qualified.clear()
    if by is None:
        return
    place = (data_dir, allow_outside, backend)
    levels = {level.id: level for level in definitions.levels}
    for level in definitions.level_ids():  # a declared puskesmas read in another kecamatan
        if level != by and level in levels and levels[level].parent == by:
            _check_declared(definitions, level, *_pairs(definitions, backend, level), place)
    found, under = _pairs(definitions, backend, by)
    _check_declared(definitions, by, found, under, place)
    twice = {key for key, parents in under.items() if len(parents) > 1}
    for source, parent_column, column, pairs in found.values():
        labels = {
            (above, name): f"{name} ({above})"
            for above, name in pairs
            if above is not None and region_key(name) in twice
        }
        orphan = next((n for above, n in pairs if above is None and region_key(n) in twice), None)
        if orphan is not None:
            raise _orphan(definitions, by, source, column, parent_column, orphan, under, place)
        if labels:
            backend.qualified.setdefault(source.id, {})[column] = Qualified(parent_column, labels)


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
        pairs = [
            (None if above is None else renamed.get(above, above), name)
            for above, name in backend.distinct_rows(source, (parent_column, column))
            if name is not None
        ]
        found[source.id] = (source, parent_column, column, pairs)
        for above, name in pairs:
            if above is not None:
                under.setdefault(region_key(name), {}).setdefault(region_key(above), above)
    return found, under


def _check_declared(
    definitions: Definitions,
    level: str,
    found: _Found,
    under: dict[str, dict[str, str]],
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a region of ``level`` declared with its parent found under another one."""
    declared = {
        region_key(region.name): region.parent
        for region in definitions.regions_at(level)
        if region.parent is not None
    }
    for key, parents in under.items():
        expected = declared.get(key)
        if expected is not None and (len(parents) > 1 or region_key(expected) not in parents):
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
    expected: str,
    parents: Mapping[str, str],
    found: _Found,
    place: tuple[Path, bool, Backend],
) -> None:
    """Refuse a declared region of ``by`` found under a parent other than ``expected``, at
    the first row of the first source that holds it so."""
    wrong = sorted(
        above for above_key, above in parents.items() if above_key != region_key(expected)
    )
    for source, parent_column, column, pairs in found.values():
        for above, name in pairs:
            if above is None or region_key(name) != key or above not in wrong:
                continue
            parent_level = _parent_level(definitions, source, by)
            message = _(
                "the {level} '{name}' stands under {parent_level} {parents} in {source},"
                " where the definitions declare it in {parent_level} '{declared}': correct"
                " the {parent_level} of its rows, or its [[region]]"
            ).format(
                level=by,
                name=name,
                parent_level=parent_level,
                parents=_listed(wrong),
                source=source.id,
                declared=expected,
            )
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
    parents = sorted(under[region_key(name)].values())
    message = _(
        "the row names the {level} '{name}' but leaves its {parent_level} empty, and there is"
        " a {level} '{name}' in {parent_level} {parents}: results by {level} cannot tell which"
        " it is; fill in its {parent_level}"
    ).format(level=by, name=name, parent_level=parent_level, parents=_listed(parents))
    return _at(source, place, column, name, parent_column, None, message)


def _listed(names: list[str]) -> str:
    """``'Carita'``, ``'Carita' and 'Labuan'``, ``'A', 'B' and 'C'``."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + _(" and ") + quoted[-1]


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
