"""Inputs given per region: an inputs table whose source declares a level's column
(``regions = { kecamatan = "kecamatan" }``) gives each value for the whole area (that
column left empty) or for one region (a population from Disdukcapil, a sasaran from the
ministry, per kecamatan).

* A region's value is its own row; a region without one has no value, with that reason.
* The area's value is its own row. Without one, it is the sum of the regions' rows only for
  an ``[[input]]`` declared ``additive = true`` (a count: people, births, households), and
  only when every declared region of the level has its row: a sum that leaves a region
  out would be a wrong number. An input not declared additive (a rate, an index, an
  indicator with ``formula = "input"``) has no area value without the area's row.
* An additive input given both ways must agree: an area row that differs from the sum of
  the rows of every region gives no value, with both numbers in the reason (with some
  regions' rows missing, the area's row is its value).
* The regions' rows add up to the area's only at a level whose regions are declared
  (``[[region]]``): at any other level whether the rows cover every region cannot be told
  (a desa left out of the population would shrink the denominator in silence).
* One input may be given per region of two levels (a population per kecamatan for results
  by kecamatan, per desa for results by desa): each level's rows are kept apart, never
  added to each other, and the sums of two levels must agree. Two tables that give one
  region's (or the area's) value are two rows of it: no value, as two rows of one table.

So a population per kecamatan used as a denominator gives each kecamatan its own ratio,
and the area the ratio of the sums (Σ numerator over the area / Σ population of every
kecamatan), never an average of the kecamatan ratios.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from iku_rules.decimals import total
from iku_rules.i18n import _
from iku_rules.model import Definitions
from iku_rules.reasons import (
    DUPLICATE_INPUT,
    INPUTS_DISAGREE,
    MISSING_VALUES,
    NO_INPUT,
    NO_REGION_COLUMN,
    WHOLE_AREA_ONLY,
    Reason,
)
from iku_rules.regions import region_key
from iku_rules.sources.base import InputValue
from iku_rules.trace import format_decimal

Found = tuple[Decimal | None, str | None]


def merged(first: InputValue, second: InputValue) -> InputValue:
    """Two tables' answers for one name and region: their rows counted together (more than
    one row is no value, whichever table they stand in)."""
    present = [value for value in (first.value, second.value) if value is not None]
    return InputValue(first.rows + second.rows, total(present) if present else None)


class RegionInputs:
    """The values of the inputs held by inputs tables with a region column, for one year."""

    def __init__(self, definitions: Definitions, year: int) -> None:
        self.definitions = definitions
        self.year = year
        self.own: dict[str, InputValue] = {}
        """Each input name → its rows for the whole area (the region column left empty)."""
        self.values: dict[tuple[str, str, str], InputValue] = {}
        """``(name, level, region)`` → the rows of one region of one level."""
        self.levels_of: dict[str, list[str]] = {}
        """Each input name found in such a table → the levels its tables hold."""
        self.additive = {item.name for item in definitions.inputs if item.additive}

    def add(self, level: str, answers: Mapping[tuple[str, str | None], InputValue]) -> None:
        """File the answers of one inputs table holding ``level``."""
        for (name, region), value in answers.items():
            if region is None:
                earlier = self.own.get(name)
                self.own[name] = value if earlier is None else merged(earlier, value)
            else:
                key = (name, level, region)
                found = self.values.get(key)
                self.values[key] = value if found is None else merged(found, value)
            levels = self.levels_of.setdefault(name, [])
            if level not in levels:
                levels.append(level)

    def add_area(self, answers: Mapping[str, InputValue]) -> None:
        """File the answers of an inputs table without a region column: each is a row for
        the whole area, of the names some table gives per region too (a kabupaten's
        population in one table, its kecamatan's in another: one value, or a disagreement,
        never the one table's in silence)."""
        for name, value in answers.items():
            earlier = self.own.get(name)
            self.own[name] = value if earlier is None else merged(earlier, value)

    def holds(self, name: str) -> bool:
        """Whether some row of a table with a region column names ``name``."""
        return name in self.levels_of

    def _regional(self, name: str, level: str) -> dict[str, InputValue]:
        return {r: v for (n, lv, r), v in self.values.items() if n == name and lv == level}

    def _held(self, name: str) -> list[str]:
        """The levels some table gives ``name`` per region of."""
        return [level for level in self.levels_of[name] if self._regional(name, level)]

    def _one(self, name: str, found: InputValue | None, where: str) -> Found:
        if found is None or found.rows == 0:
            return None, Reason(
                _("the inputs have no value for '{name}' {where}").format(name=name, where=where),
                NO_INPUT,
            )
        if found.rows > 1:
            return None, Reason(
                _("the inputs have {count} values for '{name}' {where}; keep one").format(
                    count=found.rows, name=name, where=where
                ),
                DUPLICATE_INPUT,
            )
        if found.value is None:
            return None, Reason(
                _("the value of '{name}' {where} is empty in the inputs").format(
                    name=name, where=where
                ),
                NO_INPUT,
            )
        return found.value, None

    def area(self, name: str) -> Found:
        """The area's value of ``name``: its own row, else (additive) the sum of its regions."""
        area, held = self.definitions.area, self._held(name)
        own = self.own.get(name)
        year = str(self.year)
        if own is not None:
            value, reason = self._one(name, own, _("for {year}").format(year=year))
            if value is None or name not in self.additive:
                return value, reason
            for level in held:
                summed, _why = self._sum(name, level)
                if summed is not None and summed != value:
                    return None, Reason(
                        _(
                            "the inputs give '{name}' for the whole {area} in {year} as {value},"
                            " but its {level} rows add up to {sum}; correct one of them"
                        ).format(
                            name=name,
                            area=area,
                            year=year,
                            value=format_decimal(value),
                            level=level,
                            sum=format_decimal(summed),
                        ),
                        INPUTS_DISAGREE,
                    )
            return value, None  # the area's own row (its regions' rows, incomplete, unchecked)
        if not held:
            return None, Reason(
                _("the inputs have no value for {year}").format(year=year), NO_INPUT
            )
        if name not in self.additive:
            return None, Reason(
                _(
                    "the inputs give '{name}' for {year} per {level} only, and an input not"
                    " declared additive = true is not summed into the {area}'s value: add a row"
                    " for the whole {area} (the {level} column left empty), or declare"
                    " additive = true on its [[input]] if it is a count"
                ).format(name=name, year=year, level=held[0], area=area),
                NO_INPUT,
            )
        sums = [(level, *self._sum(name, level)) for level in held]
        complete = [(level, value) for level, value, _why in sums if value is not None]
        if not complete:
            return sums[0][1], sums[0][2]
        (first, value), *others = complete
        for level, other in others:
            if other != value:
                return None, Reason(
                    _(
                        "the inputs give '{name}' for {year} per {first} adding up to {value}"
                        " and per {level} adding up to {other}; correct one of them, or add a"
                        " row for the whole {area}"
                    ).format(
                        name=name,
                        year=year,
                        first=first,
                        value=format_decimal(value),
                        level=level,
                        other=format_decimal(other),
                        area=area,
                    ),
                    INPUTS_DISAGREE,
                )
        return value, None

    def _sum(self, name: str, level: str) -> Found:
        """The sum over every region of ``level``: not available when one has no usable row,
        or when the level's regions are not declared (whether every one has its row cannot
        be told)."""
        regional = self._regional(name, level)
        declared = [r.name for r in self.definitions.regions_at(level)]
        if not declared:
            return None, Reason(
                _(
                    "the inputs give '{name}' for {year} per {level}, but no [[region]] declares"
                    " the {level} regions, so whether its rows cover every {level} cannot be"
                    " told and they are not summed into the {area}'s value; add a row for the"
                    " whole {area} (the {level} column left empty), or declare each {level}"
                ).format(name=name, year=self.year, level=level, area=self.definitions.area),
                MISSING_VALUES,
            )
        given = {region_key(region) for region in regional}
        missing = [r for r in declared if region_key(r) not in given]
        if missing:
            return None, Reason(
                _(
                    "the inputs have no value for '{name}' in {year} for the {level} {regions}, so"
                    " the sum over every {level} would leave them out; add their rows, or a row"
                    " for the whole {area}"
                ).format(
                    name=name,
                    year=self.year,
                    level=level,
                    regions=", ".join(missing),
                    area=self.definitions.area,
                ),
                MISSING_VALUES,
            )
        values = []
        for region, found in sorted(regional.items()):
            value, reason = self._one(name, found, self._in(level, region))
            if value is None:
                return None, reason
            values.append(value)
        return total(values), None

    def _in(self, level: str, region: str) -> str:
        return _("in {level} {region} for {year}").format(
            level=level, region=region, year=self.year
        )

    def region(self, name: str, level: str | None, region: str) -> Found:
        """One region's value of ``name`` (``level`` is the level results are asked by)."""
        held = self._held(name)
        if not held:
            return None, Reason(
                _("inputs are given for the whole {area}, not per {by}").format(
                    area=self.definitions.area, by=level
                ),
                WHOLE_AREA_ONLY,
            )
        if level is None or level not in held:
            return None, Reason(
                _("the inputs give '{name}' per {held}, not per {level}").format(
                    name=name, held=", ".join(held), level=level
                ),
                NO_REGION_COLUMN,
            )
        return self._one(name, self._regional(name, level).get(region), self._in(level, region))
