"""The rows of a realisasi table, and of a table of values per period, by their key.

A realisasi row is keyed by its ``indikator``, ``periode``, region columns and (when the
table has one) ``kode_sub_kegiatan``; the backends answer one group per key (its rows, those
with a ``nilai``, their sum), and :class:`RealisasiRows` reads them per indicator and
triwulan, for the whole area and for each region:

* Two rows of one key (``Labuan 3`` twice) are one number written twice or two numbers for
  one place: the value is not available, code ``duplicate-rows``, never 3 + 3.
* A row without ``nilai`` makes it not available, code ``missing-values``.
* A row for the whole area (its region columns empty: a totals row, or an area-level
  report) beside rows for its regions is their total: when they agree it is read once
  (Labuan 3, Carita 4 and the area's 7 give the kabupaten 7, never 14); when they differ
  the value is not available, code ``rows-disagree``, with both numbers. A region's row
  beside rows of a smaller level in it (a kecamatan's row beside its desa's) likewise.
  The regions that reported are all there is: a kecamatan without a row reported nothing,
  as the kabupaten's sum of its kecamatan always read it.
* In a satuan that does not add up (a percentage, a score, a rate) an area's own row is its
  value and its regions' rows are not summed to check it.
* Every row read for a value must be usable: a duplicate or an empty row among a region's
  rows leaves the area without a value even when it has a row of its own.

A table of values per period (``time = "period"``) holds one row per period and region:
two rows of one period, the same regions and the same text in every text column (what a
filter tells rows apart by) leave every measure of the table not available where they fall
(:func:`period_duplicates`), code ``duplicate-rows``: 10 and 10 for Labuan in 2026 are not 20.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from iku_rules.decimals import total
from iku_rules.i18n import _
from iku_rules.measures import Tally
from iku_rules.model import Source
from iku_rules.reasons import DUPLICATE_ROWS, MISSING_VALUES, NO_REALISASI, ROWS_DISAGREE, Reason
from iku_rules.regions import region_key
from iku_rules.results import RealisasiUse
from iku_rules.sources.base import Answer, Backend, GroupKey, Query, group_values
from iku_rules.sources.cells import IDENTIFIER_TYPES
from iku_rules.trace import format_decimal

CODE_COLUMN = "kode_sub_kegiatan"
"""The column of a realisasi table that tells apart the rows of one indicator, triwulan
and region (one per sub kegiatan), when the table has it."""


def region_columns(source: Source, levels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """The source's region columns as ``(level, column)``, largest level first (the order
    of ``levels``; a level not among them after those that are)."""
    rank = {level: index for index, level in enumerate(levels)}
    ordered = sorted(source.regions.items(), key=lambda item: rank.get(item[0], len(rank)))
    return tuple(ordered)


def realisasi_key(source: Source, levels: Sequence[str]) -> tuple[str, ...]:
    """The columns a realisasi answer is grouped by: indikator, periode and the region
    columns, largest level first (the sub kegiatan codes are counted in each group)."""
    return ("indikator", "periode", *(column for _level, column in region_columns(source, levels)))


YearRows = frozenset[tuple[str | None, ...]]
"""The regions (one value per region column, largest level first) of an indicator's
rows in the triwulan of a year."""


class _Key(NamedTuple):
    """One group's rows of one indicator and triwulan: its regions, its rows, the codes
    among them (fewer than the rows when two rows share one), those with a nilai, Σ nilai
    (a tuple: one is made for every group of every period's answer)."""

    regions: tuple[str | None, ...]
    rows: int
    codes: int
    present: int
    value: Decimal | None


class _Reading(NamedTuple):
    """A triwulan as read for one place: its value, or why there is none."""

    value: Decimal | None
    """Its value; with a reason, what its rows with a nilai read (None: nothing to read)."""
    reason: Reason | None
    rows: int
    """The rows the value is read from (a place's own row, else its regions'); with no
    value, the rows there are."""
    duplicate: bool = False
    missing: int = 0


class RealisasiRows:
    """A realisasi answer grouped by its key (:func:`realisasi_key`), read per indicator and
    triwulan for the whole area and for each region."""

    def __init__(
        self,
        answer: Answer,
        levels: tuple[str, ...],
        coded: bool,
        triwulan: tuple[str, ...],
        area: str,
        adds_up: Callable[[str], bool],
        declared: frozenset[str] = frozenset(),
        year: Callable[[], Mapping[str, YearRows]] | None = None,
    ) -> None:
        """``levels``: the level of each region column of the answer's groups (after
        indikator and periode); ``coded``: whether the table has :data:`CODE_COLUMN`;
        ``adds_up``: whether an indicator's satuan adds up over regions; ``declared``: the
        declared regions of the largest level; ``year``: the regions of every row of the
        period's year by indicator and triwulan, asked of the data only when a region
        without a row in a triwulan of the period may report another (:meth:`_absent`)."""
        self.query: Query | None = answer.query
        self.levels = levels
        self.coded = coded
        self.triwulan = triwulan
        self.area = area
        self.adds_up = adds_up
        self.declared = declared
        self._year = year
        self._year_rows: Mapping[str, YearRows] | None = None
        self.filed: dict[str, dict[str, list[_Key]]] = {}
        for (_index, values), tallies in answer.groups.items():
            tally: Tally = tallies["total"]
            indicator, quarter = values[0], values[1]
            if indicator is None or quarter is None:
                continue
            found = _Key(values[2:], tally.matched, tally.window, tally.present, tally.value)
            self.filed.setdefault(indicator, {}).setdefault(quarter, []).append(found)
        self._placed: dict[tuple[str, str, int], dict[str | None, list[_Key]]] = {}
        self._no_rows: str | None = None
        self._reports: dict[tuple[str, int], set[str]] = {}

    def _at(self, indicator: str, quarter: str, index: int) -> dict[str | None, list[_Key]]:
        """The rows of ``indicator`` in ``quarter`` by their region column ``index``, found
        once for all the regions asked for (each region's are then one look-up away)."""
        found = self._placed.get((indicator, quarter, index))
        if found is None:
            found = self._placed[(indicator, quarter, index)] = {}
            for key in self.filed.get(indicator, {}).get(quarter, ()):
                found.setdefault(key.regions[index], []).append(key)
        return found

    def use(
        self, indicator: str, level: str | None, region: str | None, where: str
    ) -> RealisasiUse:
        """The realisasi of ``indicator`` for the whole area (``region`` None) or for
        ``region`` of ``level`` (a level of the table), over the period's triwulan."""
        quarters = self.filed.get(indicator)
        if not quarters:
            return self._none(indicator, where)
        index = None if region is None or level is None else self.levels.index(level)
        depth = 0 if index is None else index + 1  # the first region column below the place
        readings: list[tuple[str, _Reading]] = []
        for quarter in self.triwulan:
            if index is None:
                keys = quarters.get(quarter)
            else:
                keys = self._at(indicator, quarter, index).get(region)
            if keys:
                readings.append((quarter, self._quarter(indicator, quarter, keys, depth, region)))
        if not readings:
            return self._none(indicator, where)
        by_triwulan = tuple((quarter, reading.value) for quarter, reading in readings)
        absent = self._absent(indicator, index, region)
        rows = missing = 0
        failed = duplicate = None  # the first reading without a value, the first duplicate
        for _quarter, reading in readings:  # one pass: read for every indicator and place
            rows += reading.rows
            missing += reading.missing
            if reading.reason is not None:
                failed = failed or reading
                if duplicate is None and reading.duplicate:
                    duplicate = reading
        if duplicate is None and missing:
            reason = _("{missing} realisasi rows of {indicator} have no nilai {where}").format(
                missing=missing, indicator=indicator, where=where
            )
            return RealisasiUse(None, Reason(reason, MISSING_VALUES), rows, by_triwulan, self.query)
        first = duplicate or failed
        if first is not None:
            return RealisasiUse(None, first.reason, rows, by_triwulan, self.query)
        value = total(reading.value for _quarter, reading in readings if reading.value is not None)
        return RealisasiUse(value, None, rows, by_triwulan, self.query, absent)

    def _none(self, indicator: str, where: str) -> RealisasiUse:
        """No row of ``indicator`` for the place ``where`` says, in the period's triwulan."""
        if self._no_rows is None:  # the language of the evaluation, asked for many places
            self._no_rows = _("no realisasi reported for {indicator} {where}")
        reason = Reason(self._no_rows.format(indicator=indicator, where=where), NO_REALISASI)
        return RealisasiUse(None, reason, 0, (), self.query)

    def _absent(
        self, indicator: str, index: int | None, region: str | None
    ) -> tuple[tuple[str, str, str], ...]:
        """The regions of the place without a row of ``indicator`` in a triwulan of the
        period that another region reports, though they report it in another triwulan of
        the year, as ``(level, region, triwulan)``: for the whole area (``index`` None)
        its regions of the largest level, for a region (at ``index``) itself. Karanganyar
        reporting kelas ibu hamil in TW1 and TW3 and not in TW2, which Sukamaju and
        Cibening report, is counted as none in TW2's 95 + 145 = 240, where 321 was meant.

        A triwulan whose place has a row of its own (the area's total) is not its regions'
        sum; one no region reports is :func:`~iku_rules.additive.skipped_triwulan`'s. The
        year's rows are asked of the data only when some region may be missing: where every
        declared region has a row in each triwulan reported, none is (the common case)."""
        if not self.levels or (index is None and not self.declared and self._year is None):
            return ()
        quarters = self.filed.get(indicator, {})
        found: list[tuple[str, str, str]] = []
        for quarter in self.triwulan:
            keys = quarters.get(quarter)
            if not keys:
                continue  # no region reports it: the area skips it, or has no value
            at = 0 if index is None else index
            present = self._at(indicator, quarter, at).keys()  # grouped once for all places
            if index is None:
                if any(not any(key.regions) for key in keys):
                    continue  # the area's own row: its total, not its regions' sum
                if self.declared and present >= self.declared:
                    continue
            elif region in present:
                continue
            reporting = self._reporting(indicator, at)
            names = [region] if region is not None else sorted(reporting.difference(present))
            level = self.levels[at]
            found += [(level, name, quarter) for name in names if name in reporting]
        return tuple(found)

    def _reporting(self, indicator: str, at: int) -> set[str]:
        """The regions (in the region column at ``at``) with a row of ``indicator`` in
        some triwulan of the period's year."""
        found = self._reports.get((indicator, at))
        if found is None:
            if self._year_rows is None:
                self._year_rows = {} if self._year is None else self._year()
            rows = self._year_rows.get(indicator, ())
            found = {name for regions in rows if (name := regions[at]) is not None}
            self._reports[(indicator, at)] = found  # asked again by each region missing
        return found

    def _quarter(
        self, indicator: str, quarter: str, keys: list[_Key], depth: int, region: str | None
    ) -> _Reading:
        """One triwulan of one place: ``keys`` are its rows, ``depth`` the first region
        column below the place (0: the whole area)."""
        rows = missing = 0
        twice = None
        for key in keys:  # one pass: read for every indicator, place and triwulan
            rows += key.rows
            missing += key.rows - key.present
            if twice is None and key.codes < key.rows:
                twice = key
        if twice is not None:
            if self.coded:
                message = _(
                    "the realisasi table has {count} rows of {indicator} for {triwulan},"
                    " {place}, more than one of them with the same {column}; keep one of those"
                )
            else:
                message = _(
                    "the realisasi table has {count} rows of {indicator} for {triwulan},"
                    " {place}; keep one"
                )
            reason = message.format(
                count=twice.rows,
                indicator=indicator,
                triwulan=quarter,
                place=self._place(twice.regions),
                column=CODE_COLUMN,
            )
            return _Reading(None, Reason(reason, DUPLICATE_ROWS), rows, duplicate=True)
        if missing:  # not available; shown as what the rows with a nilai read
            given = [key for key in keys if key.present]
            shown = self._read(indicator, quarter, given, depth, region).value if given else None
            return _Reading(shown, Reason("", MISSING_VALUES), rows, missing=missing)
        return self._read(indicator, quarter, keys, depth, region)

    def _read(
        self, indicator: str, quarter: str, keys: list[_Key], depth: int, region: str | None
    ) -> _Reading:
        """The value of a place whose rows are all there once, each with its nilai: its own
        rows', checked against its regions' where the satuan adds up; else its regions'."""
        if depth == len(self.levels):  # the smallest level: its own rows, none below
            value = total(key.value for key in keys if key.value is not None)
            return _Reading(value, None, sum(key.rows for key in keys))
        own = [key for key in keys if not any(key.regions[depth:])]
        finer = [key for key in keys if any(key.regions[depth:])]
        children: dict[str | None, list[_Key]] = {}
        for key in finer:
            children.setdefault(key.regions[depth], []).append(key)
        parts = [
            self._read(indicator, quarter, child, depth + 1, name)
            for name, child in children.items()
        ]
        failed = next((part for part in parts if part.reason is not None), None)
        if not own:
            if failed is not None:
                return failed
            summed = total(part.value for part in parts if part.value is not None)
            return _Reading(summed, None, sum(part.rows for part in parts))
        value = total(key.value for key in own if key.value is not None)
        counted = sum(key.rows for key in own)  # one per sub kegiatan code
        if not parts or not self.adds_up(indicator):
            return _Reading(value, None, counted)
        if failed is not None:
            return failed
        summed = total(part.value for part in parts if part.value is not None)
        if summed == value:
            return _Reading(value, None, counted)
        if depth == 0:
            place = _("the whole {area}").format(area=self.area)
        else:
            place = f"{self.levels[depth - 1]} {region}"
        reason = _(
            "the realisasi table gives {indicator} for {triwulan} as {value} in the row for"
            " {place} (its {level} column left empty), but its {level} rows add up to {sum};"
            " correct one of them, or delete the row for {place}"
        ).format(
            indicator=indicator,
            triwulan=quarter,
            value=format_decimal(value),
            place=place,
            level=self.levels[depth],
            sum=format_decimal(summed),
        )
        return _Reading(None, Reason(reason, ROWS_DISAGREE), sum(key.rows for key in keys))

    def _place(self, regions: tuple[str | None, ...]) -> str:
        """A group's place in words: ``kecamatan Labuan``, or the whole area."""
        parts = [
            f"{level} {name}" for level, name in zip(self.levels, regions, strict=True) if name
        ]
        return ", ".join(parts) or _("the whole {area}").format(area=self.area)


def year_rows(
    backend: Backend, source: Source, columns: Sequence[tuple[str, str]], year: int
) -> dict[str, YearRows]:
    """The regions of the rows of a realisasi table (its region columns ``columns``,
    largest level first) in the triwulan of ``year``, by indicator: their names as the
    realisasi statement groups them (the declared spelling, a label naming the parent).
    One question of the table, asked only where a region may miss a triwulan
    (:meth:`RealisasiRows._absent`)."""
    names = tuple(column for _level, column in columns)
    labels = {f"{year}-TW{quarter}" for quarter in range(1, 5)}
    renamed, qualified = backend.renames(source), backend.qualifications(source)
    found: dict[str, set[tuple[str | None, ...]]] = {}
    columns_asked = ("indikator", "periode", *names)
    asked = f"pairs of indikator and periode, with {', '.join(names)}"  # i18n: not for planners
    rows = backend.kept_answer(  # kept for a later run over the same bytes
        source, asked,
        lambda: [list(row) for row in backend.distinct_rows(source, columns_asked)],
        keep=lambda _rows: True,
    )  # fmt: skip
    grouped: dict[tuple[Any, ...], tuple[str | None, ...]] = {}  # a few places, many rows
    for indicator, label, *values in rows:
        if indicator is None or label not in labels:
            continue
        written = tuple(values)
        regions = grouped.get(written)
        if regions is None:
            row = dict(zip(names, written, strict=True))
            regions = grouped[written] = group_values(row, names, renamed, qualified)
        found.setdefault(indicator, set()).add(regions)
    return {indicator: frozenset(regions) for indicator, regions in found.items()}


def period_key(source: Source, levels: Sequence[str]) -> tuple[str, ...]:
    """The columns a row of a table of values per period is keyed by: its period, its
    region columns (largest level first), and its other text and identifier columns (what
    a filter tells its rows apart by); none for any other source."""
    if source.grain is None:
        return ()
    regions = [column for _level, column in region_columns(source, levels)]
    texts = [
        column
        for column, kind in source.columns.items()
        if kind == "text" or kind in IDENTIFIER_TYPES
    ]
    return tuple(dict.fromkeys((source.grain.column, *regions, *texts)))


def period_twice(
    groups: Mapping[GroupKey, Mapping[str, Tally]], index: int
) -> list[tuple[tuple[str | None, ...], int]]:
    """The keys of a table of values per period (``index``: the grouping of its key in
    ``groups``) that have more than one row, with how many, in the order of the keys
    (found once per answer, asked for every measure and region). Keys whose texts differ
    only in case or spacing (:func:`~iku_rules.regions.region_key`: ``L`` and ``L ``, a row
    pasted again from an export that pads its cells) are one key, written as first found:
    its rows would be added up as rows of two (10 and 10 made 20)."""
    found: dict[tuple[object, ...], tuple[tuple[str | None, ...], int]] = {}
    for (grouping, values), tallies in groups.items():
        if grouping != index:
            continue
        rows = max((tally.window for tally in tallies.values()), default=0)
        key = tuple(region_key(value) if isinstance(value, str) else value for value in values)
        first, before = found.get(key, (values, 0))
        found[key] = (first, before + rows)
    return sorted(
        ((values, count) for values, count in found.values() if count > 1),
        key=lambda item: tuple(value or "" for value in item[0]),
    )


def period_duplicates(
    source: Source,
    twice: Sequence[tuple[tuple[str | None, ...], int]],
    key: tuple[str, ...],
    column: str | None,
    region: str | None,
    where: str,
) -> Reason | None:
    """Why the measures of ``source`` (a table of values per period) have no value for
    the whole area (``region`` None) or for ``region`` of ``column``: some key of its rows
    in the period has two rows (``twice``: :func:`period_twice`)."""
    position = None if region is None or column is None else key.index(column)
    for values, count in twice:
        if position is not None and values[position] != region:
            continue
        empty = _("(empty)")
        place = ", ".join(
            f"{name} {value if value is not None else empty}"
            for name, value in zip(key, values, strict=True)
        )
        return Reason(
            _(
                "{source} has {count} rows for {place}, which would be added up {where};"
                " keep one of them"
            ).format(source=source.id, count=count, place=place, where=where),
            DUPLICATE_ROWS,
        )
    return None
