"""Reading the regions an office declares (``[[level]]``, ``[[region]]``), which column of a
source holds which level (``regions``), a source's time grain (``time = "period"``), an
Excel source's ``hidden_rows``, a measure's ``terakhir`` and ``missing``, and an
indicator's ``region_targets``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from attrs import evolve

from iku_rules.i18n import _
from iku_rules.loader.fields import TableReader
from iku_rules.loader.values import KeyPath
from iku_rules.model import HIDDEN_ROWS, MISSING_CHOICES, HiddenRows, Missing, Source
from iku_rules.region_targets import RegionTarget, RegionTargets
from iku_rules.regions import Level, Region, region_key, with_parent
from iku_rules.timegrain import GRAINS, IN_TRIWULAN, Grain, Latest

LEVEL_FIELDS = ("id", "name", "parent", "note")
REGION_FIELDS = ("level", "name", "code", "parent", "note")
LATEST_FIELDS = ("per", "by")


def read_levels(reader: TableReader) -> list[Level]:
    """The ``[[level]]`` entries of one file."""
    found = []
    for path, entry in reader.entries("level"):
        what = _("a [[{section}]]").format(section="level")
        reader.known_fields(entry, LEVEL_FIELDS, path, what)
        level_id = reader.text_field(entry, "id", path, what, required=True)
        name = reader.text_field(entry, "name", path, what, required=True)
        if level_id is None or name is None:
            continue
        found.append(
            Level(
                level_id.strip(),
                " ".join(name.split()),
                _stripped(reader.text_field(entry, "parent", path, what)),
                reader.at((*path, "id")),
            )
        )
    return found


def read_regions(reader: TableReader) -> list[Region]:
    """The ``[[region]]`` entries of one file."""
    found = []
    for path, entry in reader.entries("region"):
        what = _("a [[{section}]]").format(section="region")
        reader.known_fields(entry, REGION_FIELDS, path, what)
        level = reader.text_field(entry, "level", path, what, required=True)
        name = reader.text_field(entry, "name", path, what, required=True)
        if level is None or name is None:
            continue
        parent = reader.text_field(entry, "parent", path, what)
        found.append(
            Region(
                level.strip(),
                " ".join(name.split()),
                _stripped(reader.text_field(entry, "code", path, what)),
                " ".join(parent.split()) if parent is not None else None,
                reader.at((*path, "name")),
            )
        )
    return found


def settle_namesakes(regions: Sequence[Region], levels: Sequence[Level]) -> list[Region]:
    """Regions of one level and one name (matched ignoring case and spacing) declared under
    different parents are different regions (a desa Mekarsari in kecamatan Giriwangi and
    another in Sukaresmi): each is named with its parent, as its parent is declared
    (``Mekarsari (Giriwangi)``), its name as written kept (:attr:`Region.written`). Where
    one of them names no parent, or all name one, none is renamed: ``iku check`` refuses
    the name declared twice."""
    parent_level = {level.id: level.parent for level in levels}
    spelled = {(region.level, region_key(region.name)): region.name for region in regions}
    shared: dict[tuple[str, str], list[Region]] = {}
    for region in regions:
        shared.setdefault((region.level, region_key(region.name)), []).append(region)
    named: dict[int, Region] = {}
    for (level, _key), found in shared.items():
        parents = {region_key(r.parent) for r in found if r.parent is not None}
        if len(found) < 2 or any(r.parent is None for r in found) or len(parents) < 2:
            continue
        for region in found:
            assert region.parent is not None
            above = parent_level.get(level)
            parent = spelled.get((above or "", region_key(region.parent)), region.parent)
            named[id(region)] = evolve(
                region, name=with_parent(region.name, parent), written=region.name
            )
    return [named.get(id(region), region) for region in regions]


def source_regions(reader: TableReader, entry: Mapping[str, Any], path: KeyPath) -> dict[str, str]:
    """A source's ``regions``: level id → the column that holds it."""
    found: dict[str, str] = {}
    for level, column in reader.table(entry, "regions", path).items():
        if not isinstance(column, str) or not column.strip():
            reader.problem(
                _("the column of level '{level}' must be a column name in quotes").format(
                    level=level
                ),
                (*path, "regions", level),
                value=True,
                code="wrong-type",
            )
            continue
        found[str(level).strip()] = column.strip()
    return found


def source_hidden_rows(
    reader: TableReader, entry: Mapping[str, Any], path: KeyPath, file_format: str
) -> HiddenRows | None:
    """What a [[source]] declares its sheet's hidden rows are (``hidden_rows``): for an
    Excel source only, since no other format hides rows."""
    chosen = reader.choice(entry, "hidden_rows", HIDDEN_ROWS, path, None)
    if chosen is None or file_format == "xlsx":
        return chosen  # type: ignore[return-value]
    reader.problem(
        _(
            "'hidden_rows' is only for an Excel source (format = \"xlsx\"): no other format"
            " hides rows"
        ),
        (*path, "hidden_rows"),
        code="misplaced-field",
    )
    return None


def source_grain(
    reader: TableReader, entry: Mapping[str, Any], path: KeyPath, time: str
) -> Grain | None:
    """The grain of a ``time = "period"`` source (``period_column``, ``grain``,
    ``in_triwulan``); these fields on any other source are a problem."""
    what = _("a [[{section}]]").format(section="source")
    fields = [key for key in ("period_column", "grain", "in_triwulan") if key in entry]
    if time != "period":
        for key in fields:
            reader.problem(
                _(
                    "'{key}' is only for a source whose rows are values per period"
                    ' (time = "period")'
                ).format(key=key),
                (*path, key),
                code="misplaced-field",
            )
        return None
    column = reader.text_field(entry, "period_column", path, what, required=True)
    unit = reader.choice(entry, "grain", GRAINS, path, None)
    if "grain" not in entry:
        reader.problem(
            _(
                'a source with time = "period" needs \'grain\' ("year", "triwulan" or "month"):'
                " one row per year, triwulan or month"
            ),
            path,
            code="missing-field",
        )
    rule = reader.choice(entry, "in_triwulan", IN_TRIWULAN, path, "not_available")
    if "in_triwulan" in entry and unit not in (None, "year"):
        reader.problem(
            _("'in_triwulan' is only for a source with one row per year (grain = \"year\")"),
            (*path, "in_triwulan"),
            code="misplaced-field",
        )
    if column is None or unit is None:
        return None
    return Grain(unit, column.strip(), rule)  # type: ignore[arg-type]


def measure_latest(reader: TableReader, entry: Mapping[str, Any], path: KeyPath) -> Latest | None:
    """A measure's ``terakhir = { per = "nik", by = "putaran" }``."""
    if "terakhir" not in entry:
        return None
    table = reader.table(entry, "terakhir", path)
    where: KeyPath = (*path, "terakhir")
    reader.known_fields(table, LATEST_FIELDS, where, "'terakhir'")
    per = reader.text_field(table, "per", where, "'terakhir'", required=True)
    by = reader.text_field(table, "by", where, "'terakhir'", required=True)
    if per is None or by is None:
        return None
    return Latest(per.strip(), by.strip())


def measure_missing(
    reader: TableReader, entry: Mapping[str, Any], path: KeyPath, aggregate: str | None
) -> Missing:
    """A measure's ``missing``: what rows that leave its column empty do. ``count_each``
    only counting distinct values; a ``count`` (which counts the rows with a value) takes
    none."""
    missing = reader.choice(entry, "missing", MISSING_CHOICES, path, "not_available")
    if "missing" not in entry or aggregate is None:
        return missing  # type: ignore[return-value]
    if aggregate == "count" or (missing == "count_each" and aggregate != "count_distinct"):
        reader.problem(
            _(
                'missing = "{missing}" does not apply to a measure with aggregate = "{aggregate}"'
                " ({allowed})"
            ).format(
                missing=missing,
                aggregate=aggregate,
                allowed=_(
                    'count_distinct takes "not_available", "skip" or "count_each"; sum takes'
                    ' "not_available" or "skip"; count counts the rows with a value and takes'
                    " none"
                ),
            ),
            (*path, "missing"),
            value=True,
            code="misplaced-field",
        )
        return "not_available"
    return missing  # type: ignore[return-value]


def indicator_region_targets(
    reader: TableReader, entry: Mapping[str, Any], path: KeyPath, unit: str | None = None
) -> tuple[RegionTargets, ...]:
    """An indicator's ``region_targets``: per level, per region, its targets by year, each
    read as every target is (in the indicator's satuan ``unit``); years and region names
    are checked with the whole folder."""
    found = []
    for level, regions in reader.table(entry, "region_targets", path).items():
        level_path: KeyPath = (*path, "region_targets", level)
        if not isinstance(regions, dict):
            reader.problem(
                _(
                    "the targets per {level} are a table of regions, like"
                    " [… .region_targets.{level}] with one line per region:"
                    ' Sukamaju = {{ 2026 = "90" }}'
                ).format(level=level),
                level_path,
                value=True,
                code="wrong-type",
            )
            continue
        targets = []
        for region, years in regions.items():
            region_path: KeyPath = (*level_path, region)
            if not isinstance(years, dict):
                reader.problem(
                    _(
                        "the targets of {level} '{region}' are a table of years, like"
                        ' {{ 2026 = "90" }}'
                    ).format(level=level, region=region),
                    region_path,
                    value=True,
                    code="wrong-type",
                )
                continue
            for year, (target, location) in reader.yearly_targets(years, region_path, unit).items():
                targets.append(
                    RegionTarget(
                        " ".join(region.split()), year, target, location, reader.at(region_path)
                    )
                )
        found.append(RegionTargets(level.strip(), tuple(targets), reader.at(level_path)))
    return tuple(found)


def shorthand_level(column: str, levels: Sequence[Level]) -> str | None:
    """The declared level ``region_column = column`` stands for: the level of that id, or
    (no levels declared) a level named after the column. None where levels are declared
    and none has that id: a column ``kecamatan`` in a kota that declares only kelurahan
    holds no kelurahan, and a ``nama_wilayah`` could hold any level; which one is said with
    ``regions = { <level> = "nama_wilayah" }`` (``iku check``, code ``source-level``)."""
    if not levels or any(level.id == column for level in levels):
        return column
    return None


def settle_region_columns(sources: Sequence[Source], levels: Sequence[Level]) -> list[Source]:
    """``region_column = "kecamatan"`` is shorthand for ``regions = { <level> = "kecamatan" }``:
    the declared level :func:`shorthand_level` finds, else (no levels declared) a level
    named after the column. A column named after a level that is not declared is left
    unsettled (an error of ``iku check``)."""
    settled = []
    for source in sources:
        column = source.region_column
        if column and not any(value == column for value in source.regions.values()):
            level = shorthand_level(column, levels)
            if level is not None and level not in source.regions:
                source = evolve(source, regions={level: column, **source.regions})
        settled.append(source)
    return settled


def _stripped(text: str | None) -> str | None:
    return None if text is None else text.strip() or None
