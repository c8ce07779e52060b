"""The periods missing from a table of values per period: a value needs every row it adds up.

A table of values per period (``time = "period"``) holds one row per reporting unit and
period of its grain: each puskesmas' month. A year of such a table is the sum of its twelve
months from every puskesmas, so a month that one puskesmas did not report (or that nobody
has reported yet) is not a month of nothing: summed without it, the year is not the year's
number, and where lower is better (kematian ibu) it flatters. So a measure of such a table
is not available, code ``missing-values``, unless every label of its grain within the period
(:meth:`~iku_rules.timegrain.Grain.labels`: 2026-01 … 2026-12 for a year, a yearly value's
one row for a triwulan under ``in_triwulan = "year_value"``) has a row from every reporting
unit of the place asked:

* the units are the places of the table's region columns (:func:`~iku_rules.keyed_rows.region_columns`:
  kecamatan and puskesmas, the puskesmas the finest) that have a row in the period or
  earlier in its year (:func:`earlier_units`: a puskesmas that reported every month to
  September and nothing since is missing from TW4, not a puskesmas that is not there),
  and the declared regions (``[[region]]``) of its finest level, with their declared
  parents in the columns of theirs; a declared region, or a place that reported earlier
  in the year, with no row in the period misses every label (so a triwulan nobody has
  reported, after months that were, is not available, even under ``empty = "zero"``);
* asked per region (``--by kecamatan``), each region is judged on its own units: those of
  its rows, and the declared regions of the finest level that lie in it;
* a table without region columns (or whose rows name none) needs a row for every label;
* a place without any row in the period, nor earlier in its year, is left to the measure,
  which says there are no rows (or gives 0 under ``empty = "zero"``).

Nothing is read again for it: the engine groups a table of values per period by the key of
its rows already (:func:`~iku_rules.keyed_rows.period_key`: period, regions, texts), in the
statement that fetches its measures, and the units and labels with a row are read from
those groups, once per answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from iku_rules.i18n import _, cut_short
from iku_rules.measures import Tally
from iku_rules.model import Definitions, Source
from iku_rules.periods import Period
from iku_rules.reasons import MISSING_VALUES, Reason
from iku_rules.sources.base import GroupKey, Qualified, group_values

if TYPE_CHECKING:
    from iku_rules.sources.base import Backend

SHOWN = 3
"""Units (or, without units, runs of labels) a reason names before ``and N more``."""

Unit = tuple[str | None, ...]
"""A reporting unit: its value in each region column of the table, largest level first."""


class PeriodGaps:
    """The labels each unit of a table of values per period has rows for in one period,
    read from the groups of its rows' key, and why a place misses some."""

    def __init__(
        self,
        source: Source,
        groups: Mapping[GroupKey, Mapping[str, Tally]],
        index: int,
        key: tuple[str, ...],
        columns: Sequence[tuple[str, str]],
        period: Period,
        definitions: Definitions,
        qualified: Mapping[str, Qualified],
        earlier: Sequence[Unit] = (),
    ) -> None:
        """``index``: the grouping of the key ``key`` in ``groups``; ``columns``: the
        table's region columns as ``(level, column)``, largest level first; ``qualified``:
        the names grouped under a label naming their parent, by column; ``earlier``: the
        units with a row earlier in the period's year (:func:`earlier_units`)."""
        assert source.grain is not None
        self.source = source
        self.period = period
        self.labels = source.grain.labels(period)
        self.columns = tuple(columns)
        self.declared = self._declared(definitions, qualified)
        names = Counter(unit[-1] for unit in self.declared)
        self.before = list(earlier)
        """The units with rows earlier in the year; ``()`` for a table without region
        columns that has such rows."""
        self.earlier = [unit for unit in self.before if any(unit)]
        self.expected = [*self.declared, *self.earlier]
        """The units each place must have rows from: the declared ones and those that
        reported earlier in the year."""
        self.once = {name for name, count in names.items() if name is not None and count == 1}
        """The names declared once at the finest level: a unit by its name alone (a row
        that names another parent for it is refused by kecamatan, and counts for the whole
        area all the same); any other by its name and its parents' (two desa Mekarsari)."""
        self._rows: list[tuple[str, tuple[str | None, ...]]] = []
        positions = [key.index(column) for _level, column in self.columns]
        for (grouping, values), tallies in groups.items():
            if grouping != index or not any(tally.window for tally in tallies.values()):
                continue  # a key with no row in the period (the Python backend keeps them)
            label = values[0]
            if label is not None:
                self._rows.append((label, tuple(values[at] for at in positions)))
        self._found: dict[tuple[str | None, str | None], Reason | None] = {}
        self._placed: dict[int, dict[str | None, list[tuple[str, Unit]]]] = {}
        """The rows of each region, by the place of its column in a unit (found once for
        all the regions asked for)."""
        self._declared_at: dict[int, dict[str | None, list[Unit]]] = {}

    def reason(self, column: str | None, region: str | None) -> Reason | None:
        """Why a measure of the table has no value for the whole area (``region`` None) or
        for ``region`` of ``column``: some unit of the place has no row for some label; None
        when every unit has one for every label, or the place has no row at all."""
        asked = (column, region) if region is not None else (None, None)
        if asked not in self._found:
            self._found[asked] = self._reason(*asked)
        return self._found[asked]

    def _reason(self, column: str | None, region: str | None) -> Reason | None:
        at = self._position(column)
        seen: dict[Unit, set[str]] = {}
        for label, unit in self._rows if at is None else self._in(at).get(region, ()):
            seen.setdefault(self._unit(unit), set()).add(label)
        if not seen and not self._reported_before(at, region):
            return None  # no row in the period, nor earlier in its year: left to the measure
        if not seen and not self.columns:  # nothing since the labels reported: all missing
            return self._said(_shown(self._runs(set())), None)
        units = {unit: labels for unit, labels in seen.items() if any(unit)}
        if seen and not units:  # no region columns, or rows that name none: every label once
            missing = self._runs(set().union(*seen.values()))
            if not missing:
                return None
            return self._said(_shown(missing), None)
        # the declared units of the place (where a unit's region cannot be told, none)
        declared = self.expected if at is None else self._declared_in(at).get(region, ())
        for one in declared:
            unit = self._unit(one)
            if unit in units or (None in unit and any(_matches(unit, u) for u in units)):
                continue
            units[unit] = set()
        gaps: dict[str, list[str]] = {}  # the labels missing → the units missing them
        for unit in sorted(units, key=_order):
            runs = self._runs(units[unit])
            if runs:
                named = f"{self._level(unit)} {_name(unit)}"
                gaps.setdefault(", ".join(runs), []).append(named)
        if not gaps:
            return None
        items = [
            _("{labels} from {units}").format(labels=labels, units=_shown(named))
            for labels, named in gaps.items()
        ]
        return self._said(_shown(items), self.columns[-1][0])

    def _reported_before(self, at: int | None, region: str | None) -> bool:
        """Whether the place (the whole area for ``at`` None) has rows earlier in the
        period's year."""
        if at is None:
            return bool(self.before)
        return any(unit[at] == region for unit in self.earlier)

    def _said(self, missing: str, level: str | None) -> Reason:
        grain = self.source.grain
        assert grain is not None
        first, last = self.labels[0], self.labels[-1]
        labels = (
            first
            if first == last
            else _("each {column} from {first} to {last}").format(
                column=grain.column, first=first, last=last
            )
        )
        if level is None:
            text = _(
                "{source} has no row for {missing}; the value for {period} needs a row for"
                " {labels} (write 0 where there was nothing to report)"
            )
        else:
            text = _(
                "{source} has no row for {missing}; the value for {period} needs a row from"
                " every {level} for {labels} (write 0 where there was nothing to report)"
            )
        said = text.format(
            source=self.source.id,
            missing=missing,
            period=self.period.label,
            level=level,
            labels=labels,
        )
        return Reason(said, MISSING_VALUES)

    def _in(self, at: int) -> dict[str | None, list[tuple[str, Unit]]]:
        """The rows by their region in the column at ``at`` of a unit."""
        found = self._placed.get(at)
        if found is None:
            found = self._placed[at] = {}
            for label, unit in self._rows:
                found.setdefault(unit[at], []).append((label, unit))
        return found

    def _declared_in(self, at: int) -> dict[str | None, list[Unit]]:
        """The units expected (declared, or with rows earlier in the year) by their region
        in the column at ``at``."""
        found = self._declared_at.get(at)
        if found is None:
            found = self._declared_at[at] = {}
            for unit in self.expected:
                found.setdefault(unit[at], []).append(unit)
        return found

    def _unit(self, unit: Unit) -> Unit:
        """A unit as told apart: a name declared once by that name alone."""
        if unit and unit[-1] in self.once:
            return (*(None for _value in unit[:-1]), unit[-1])
        return unit

    def _position(self, column: str | None) -> int | None:
        """Where ``column`` stands in a unit (None: the whole area is asked)."""
        if column is None:
            return None
        found = [at for at, (_level, name) in enumerate(self.columns) if name == column]
        return found[0] if found else None

    def _level(self, unit: Unit) -> str:
        """The level of a unit's finest region named: ``puskesmas``."""
        named = [level for (level, _c), value in zip(self.columns, unit, strict=True) if value]
        return named[-1]

    def _runs(self, present: set[str]) -> list[str]:
        """The labels of the period without a row, runs of them written ``first to last``."""
        runs: list[list[str]] = []
        previous = False
        for label in self.labels:
            absent = label not in present
            if absent and previous:
                runs[-1].append(label)
            elif absent:
                runs.append([label])
            previous = absent
        return [
            run[0] if len(run) == 1 else _("{first} to {last}").format(first=run[0], last=run[-1])
            for run in runs
        ]

    def _declared(self, definitions: Definitions, qualified: Mapping[str, Qualified]) -> list[Unit]:
        """The declared regions of the table's finest level as units: each with its declared
        parents in the columns of their levels (None where a column's level is not among its
        parents), names under two parents by the label they are grouped under."""
        if not self.columns:
            return []
        finest = self.columns[-1][0]
        parents = {level.id: level.parent for level in definitions.levels}
        parent_of = {(r.level, r.name): r.parent for r in definitions.regions}
        found: list[Unit] = []
        for region in definitions.regions_at(finest):
            names: dict[str, str] = {finest: region.name}
            level, name = finest, region.name
            while (up := parents.get(level)) is not None and up not in names:
                above = parent_of.get((level, name))
                if above is None:
                    break
                names[up] = above
                level, name = up, above
            unit: list[str | None] = []
            for level, column in self.columns:
                value = names.get(level)
                under = qualified.get(column)
                if under is not None and value is not None:
                    value = under.label(names.get(parents.get(level) or ""), value)
                unit.append(value)
            found.append(tuple(unit))
        return found


def _matches(declared: Unit, unit: Unit) -> bool:
    """Whether the rows of ``unit`` are the declared region's: the same in every column the
    declaration tells."""
    return all(want is None or want == got for want, got in zip(declared, unit, strict=True))


def _name(unit: Unit) -> str:
    return next(value for value in reversed(unit) if value)


def _order(unit: Unit) -> tuple[str, ...]:
    return tuple(value or "" for value in unit)


def _shown(items: Sequence[str]) -> str:
    """The first :data:`SHOWN` of ``items``, then how many more."""
    return cut_short(items, SHOWN)


def earlier_units(
    backend: Backend, source: Source, columns: Sequence[tuple[str, str]], period: Period
) -> list[Unit]:
    """The units of a table of values per period (its region columns ``columns``, largest
    level first) with a row in ``period``'s year before the period starts: their names as
    the measures' statement groups them (the declared spelling, a label naming the parent).

    A unit reporting every month to September and nothing in TW4 has not stopped being a
    unit: its rows in TW4 are missing, and TW4 summed without them would be the other
    units' number alone; a table without region columns with such rows has the one unit
    ``()``. None for a period that starts the year (nothing before it)."""
    grain = source.grain
    if grain is None or grain.unit == "year" or period.start.month == 1:
        return []
    first = grain.bounds(period)[0]
    start = grain.bounds(Period("year", period.year))[0]
    names = tuple(column for _level, column in columns)
    renamed, qualified = backend.renames(source), backend.qualifications(source)
    found: dict[Unit, None] = {}
    for label, *values in backend.distinct_rows(source, (grain.column, *names)):
        if label is None or not start <= label < first:
            continue
        written = dict(zip(names, values, strict=True))
        found[group_values(written, names, renamed, qualified)] = None
    return list(found)
