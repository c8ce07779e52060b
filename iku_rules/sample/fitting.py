"""Sample tables made to hold the ratios of :mod:`.ratios` near their targets.

Three steps, each deterministic from one ``random.Random``:

* :meth:`Fitting.pin` — while a register is drawn, the texts a ``share`` ratio's filter
  asks for get that share of its rows, year by year (the rows' year: their date, their
  period), in the order the rows stand, by quotas (each text owed its share of every row,
  the one owed most taken), so that a small table (four schools a year) holds the share
  as nearly as its rows allow. Each entity (the register's person, household, ruas) keeps
  the text first drawn for it, so that a count of distinct entities holds the share too.
* :meth:`Fitting.count` — what one part counts in a year, to size a register (``size``).
* :meth:`Fitting.fit` — after every table is drawn: a denominator whose whole numerator
  would round to a few counts a year (deaths per 100.000 births) is drawn larger, until
  the numerator counts at least :data:`EVENTS` a year over the area; then, each part
  after what it is drawn from, every ``row`` numerator is its row's denominator times the
  share (with a little noise, rounded to whole counts where the part counts, with the
  remainder carried to the next row so that the sum of a year is within one count of the
  share), and every ``sum`` denominator is what the numerator sums in its place and year,
  divided by the share (and by the part of the year the data reach, so that the yearly
  sasaran of a year reported to TW3 is the whole year's).

A numerator stated within its denominator is never more than it: a ``row`` numerator is
at most its row's denominator, a ``sum`` denominator is rounded up, a ``share`` numerator
counts rows of its own denominator.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from iku_rules.ast import name_key
from iku_rules.decimals import round_half_away, round_toward
from iku_rules.formula_terms import places_overlap, row_place, row_test, row_year
from iku_rules.model import Definitions, Source
from iku_rules.periods import Period
from iku_rules.regions import region_key
from iku_rules.sample.ratios import Part, Ratio, text_conditions
from iku_rules.satuan import UnitTable

Row = dict[str, object]

EVENTS = 10
"""The fewest whole counts a year a ``row`` numerator should reach over the area: fewer,
and rounding alone would move a rate per 100.000 by a tenth or more."""

NOISE = (0.9, 1.1)
"""How far one row's numerator strays from its share of the row's denominator."""


class Fitting:
    """The ratios of one definitions folder, applied to its sample tables."""

    def __init__(
        self,
        definitions: Definitions,
        found: Sequence[Ratio],
        rng: random.Random,
        through: Period,
    ) -> None:
        self.definitions = definitions
        self.ratios = list(found)
        self.rng = rng
        self.through = through
        self.sources = {source.id: source for source in definitions.sources}
        self.inputs = {name_key(item.name): item for item in definitions.inputs}
        self.units = UnitTable.builtin().extended(definitions.satuan, definitions.satuan_whole)
        self.canonical = {
            (region.level, region_key(region.name)): region_key(region.plain)
            for region in definitions.regions
        }
        # the texts of (source, column) by year and their shares
        self.pins: dict[tuple[str, str], list[Ratio]] = {}
        for ratio in self.ratios:
            if ratio.kind != "share":
                continue
            source = self.sources[ratio.numerator.source]
            asked = text_conditions(ratio.numerator.condition, ratio.denominator.condition)
            column = _declared(source, asked[0][0]) if asked else None
            if column is not None:
                self.pins.setdefault((source.id, column), []).append(ratio)

    # -- while drawing

    def pin(
        self,
        source: Source,
        rows: Sequence[Row],
        options: Callable[[str], Sequence[str]],
        entity: str | None,
    ) -> None:
        """Redraw, in place, each column of ``rows`` a ``share`` ratio asks texts of;
        ``options`` gives the texts a column holds, ``entity`` the column naming the
        entity whose rows keep one text."""
        for (source_id, column), asking in self.pins.items():
            if source_id != source.id:
                continue
            texts = list(options(column))
            if not texts:
                continue
            owed: dict[int | None, dict[str, float]] = {}
            weights: dict[int | None, dict[str, float]] = {}
            kept: dict[object, str] = {}
            for row in rows:
                who = row.get(entity) if entity is not None else None
                if who is not None and who in kept:
                    row[column] = kept[who]
                    continue
                year = row_year(source, row)
                if year not in owed:
                    owed[year] = {text: self.rng.random() - 0.5 for text in texts}
                    weights[year] = _weights(asking, texts, source, column, year)
                quotas = owed[year]
                for text, weight in weights[year].items():
                    quotas[text] += weight
                chosen = max(texts, key=lambda text: quotas[text])
                quotas[chosen] -= 1
                row[column] = chosen
                if who is not None:
                    kept[who] = chosen

    def count(self, part: Part, rows: Sequence[Row], year: int) -> int:
        """How many rows (entities) of ``part``'s register ``part`` counts in ``year``
        over the area."""
        source = self.sources[part.source]
        passes = row_test(part.condition)
        seen: set[object] = set()
        counted = 0
        for row in rows:
            if not _within(source, row, year) or not passes(row):
                continue
            if part.entity is None:
                counted += 1
            elif row.get(part.entity) is not None:
                seen.add(row[part.entity])
        return counted + len(seen)

    # -- after drawing

    def fit(self, tables: dict[str, list[Row]], years: Sequence[int]) -> None:
        """Make, in place, every ``row`` and ``sum`` ratio of ``tables`` (rows by source
        id) come out at its shares: denominators sized, then each part drawn from the
        other, a part after the part it is drawn from."""
        chosen: dict[tuple[str, ...], Ratio] = {}  # by what each derives: the first one
        for ratio in self.ratios:
            if ratio.kind in ("row", "sum"):
                chosen.setdefault(_derived(ratio), ratio)
        for quantity, events in self._needs(chosen).items():
            self._size(tables, quantity, events, years)
        done: set[tuple[str, ...]] = set()

        def run(quantity: tuple[str, ...], visiting: frozenset[tuple[str, ...]]) -> None:
            ratio = chosen[quantity]
            origin = _origin(ratio)
            if origin in chosen and origin not in done and origin not in visiting:
                run(origin, visiting | {quantity})
            if quantity not in done:
                done.add(quantity)
                if ratio.kind == "row":
                    self._per_row(tables, ratio)
                else:
                    self._from_sums(tables, ratio)

        for quantity in chosen:
            run(quantity, frozenset())

    def _needs(self, chosen: Mapping[tuple[str, ...], Ratio]) -> dict[tuple[str, ...], float]:
        """The denominators drawn first that must reach a total a year, so that a whole
        numerator drawn from them (or from a part drawn from them) counts :data:`EVENTS`."""
        needs: dict[tuple[str, ...], float] = {}
        for ratio in chosen.values():
            if ratio.kind != "row" or not self._whole(ratio.numerator):
                continue
            need = EVENTS / max(min(ratio.shares.values()), 1e-9)
            quantity = ratio.denominator.quantity
            for _step in range(len(chosen)):
                above = chosen.get(quantity)
                if above is None or above.kind != "row":
                    break
                need /= max(min(above.shares.values()), 1e-9)
                quantity = above.denominator.quantity
            if quantity not in chosen:
                needs[quantity] = max(needs.get(quantity, 0.0), need)
        return needs

    def _size(
        self,
        tables: dict[str, list[Row]],
        quantity: tuple[str, ...],
        events: float,
        years: Sequence[int],
    ) -> None:
        """Draw the values of ``quantity`` (a column, an input) larger where a year's total
        over the area, for the whole year, falls short of ``events``; with a column, the
        columns of its table that count the same satuan (a monthly report's counts of
        people stay of one size)."""
        source, column, rows = self._values(tables, quantity)
        if source is None:
            return
        scaled: dict[int, float] = {}
        for year in years:
            inside = [row for row in rows if _within(source, row, year)]
            if quantity[0] == "input":
                area = [row for row in inside if not row_place(source, row, self.canonical)]
                inside = area or inside
            total = sum(_float(row.get(column)) for row in inside)
            reach = _reach(source, year, self.through)
            if reach > 0 and total / reach < events:
                scaled[year] = events * self.rng.uniform(1.0, 1.3) / max(total / reach, 1.0)
        if not scaled:
            return
        columns = [column]
        if quantity[0] == "column":
            unit = self._unit(source, column)
            columns += [
                c for c in source.columns if c != column and unit and self._unit(source, c) == unit
            ]
        wholes = {
            name: self._whole_column(source, name)
            if quantity[0] == "column"
            else self._whole_input(quantity[1])
            for name in columns
        }
        for row in rows:
            when = row_year(source, row)
            if _accumulates(source):
                factor = max(scaled.values())
            elif when is not None and when in scaled:
                factor = scaled[when]
            else:
                continue
            for name, whole in wholes.items():
                old = _float(row.get(name)) or self.rng.uniform(1, 10)
                row[name] = _written(source, name, old * factor, whole, "half")

    def _unit(self, source: Source, column: str) -> str | None:
        """The satuan a measure sums ``column`` of ``source`` in, if any."""
        return next(
            (
                name_key(m.unit)
                for m in self.definitions.measures
                if m.source == source.id and m.column == column and m.aggregate == "sum" and m.unit
            ),
            None,
        )

    def _values(
        self, tables: Mapping[str, list[Row]], quantity: tuple[str, ...]
    ) -> tuple[Source | None, str, list[Row]]:
        """The source, column and rows that hold ``quantity``."""
        if quantity[0] == "input":
            item = self.inputs.get(quantity[1])
            if item is None or item.source not in self.sources:
                return None, "", []
            rows = [row for row in tables.get(item.source, ()) if _named(row, item.name)]
            return self.sources[item.source], "nilai", rows
        if quantity[0] == "column" and quantity[1] in self.sources:
            return self.sources[quantity[1]], quantity[2], tables.get(quantity[1], [])
        return None, "", []

    def _per_row(self, tables: dict[str, list[Row]], ratio: Ratio) -> None:
        """Each row's numerator: its denominator (the same row's, or the input's in the
        same place and year) times the share."""
        top, bottom = ratio.numerator, ratio.denominator
        source, column, rows = self._values(tables, top.quantity)
        below, under, others = self._values(tables, bottom.quantity)
        if source is None or below is None:
            return
        whole = self._whole(top)
        carried = _Carry(self.rng)
        for row in rows:
            if top.input is None:
                value: float | None = _number(row.get(under))
            else:
                value = self._input_at(below, others, row, source)
            if value is None:
                continue
            year = row_year(source, row)
            share = ratio.share(year) * self.rng.uniform(*NOISE)
            wanted = min(value * share, value) if ratio.within else value * share
            drawn = float(carried(wanted)) if whole else wanted
            if ratio.within and whole:  # never above the row's whole, whatever the rounding
                drawn = min(drawn, math.floor(value))
            row[column] = _written(source, column, drawn, whole, "down" if ratio.within else "half")

    def _input_at(
        self, source: Source, rows: Sequence[Row], row: Row, owner: Source
    ) -> float | None:
        """The input of ``rows`` in ``row``'s year and place: its own row there, else (an
        additive input) the sum of its rows inside the place."""
        place = row_place(owner, row, self.canonical)
        year = row.get("tahun")
        same = [r for r in rows if r.get("tahun") == year]
        for other in same:
            if row_place(source, other, self.canonical) == place:
                return _number(other.get("nilai"))
        inside = [
            r
            for r in same
            if places_overlap(place, row_place(source, r, self.canonical))
            and len(row_place(source, r, self.canonical)) > len(place)
        ]
        values = [_number(r.get("nilai")) for r in inside]
        if not inside or any(value is None for value in values):
            return None
        return sum(value for value in values if value is not None)

    def _from_sums(self, tables: dict[str, list[Row]], ratio: Ratio) -> None:
        """Each row of the denominator: what the numerator sums (or counts) in its place
        and year, divided by the share and by the part of the year the data reach."""
        top, bottom = ratio.numerator, ratio.denominator
        source, column, rows = self._values(tables, bottom.quantity)
        above, counted, others = self._values(tables, top.quantity)
        if top.input is None and top.column is None:  # rows counted
            above, others = self.sources.get(top.source), tables.get(top.source, [])
        if source is None or above is None:
            return
        passes = row_test(top.condition)
        groups: dict[tuple[tuple[tuple[str, str], ...], int | None], list[Row]] = {}
        for row in others:
            if passes(row):
                where = tuple(sorted(row_place(above, row, self.canonical).items()))
                groups.setdefault((where, row_year(above, row)), []).append(row)
        whole = self._whole(bottom)
        for row in rows:
            year = row_year(source, row)
            reach = _reach(above, year, self.through) if year is not None else 0.0
            if year is None or reach <= 0:
                continue
            place = row_place(source, row, self.canonical)
            found = [
                member
                for (where, when), members in groups.items()
                if places_overlap(place, dict(where))
                and when is not None
                and (when <= year if _accumulates(above) else when == year)
                for member in members
            ]
            if top.input is None and top.column is None:
                total = float(len({m.get(top.entity) for m in found}) if top.entity else len(found))
            else:
                total = sum(max(_float(m.get(counted)), 0.0) for m in found)
            if total <= 0:
                continue
            wanted = (
                total
                / reach
                / ratio.share(year)
                * (1 if ratio.within else self.rng.uniform(*NOISE))
            )
            row[column] = _written(source, column, wanted, whole, "up" if ratio.within else "half")

    # -- what counts one by one

    def _whole(self, part: Part) -> bool:
        if part.input is not None:
            return self._whole_input(name_key(part.input))
        source = self.sources.get(part.source)
        return part.column is None or (
            source is not None and self._whole_column(source, part.column)
        )

    def _whole_input(self, key: str) -> bool:
        item = self.inputs.get(key)
        return item is not None and self.units.counts(item.unit)

    def _whole_column(self, source: Source, column: str) -> bool:
        if source.columns.get(column) == "integer":
            return True
        return any(
            m.source == source.id and m.column == column and self.units.counts(m.unit)
            for m in self.definitions.measures
        )


class _Carry:
    """Whole numbers whose running sum stays within one of the running sum of what was
    asked: each rounded down after the remainder carried from the one before (which
    starts at random)."""

    def __init__(self, rng: random.Random) -> None:
        self.rest = rng.random()

    def __call__(self, wanted: float) -> int:
        total = max(wanted, 0.0) + self.rest
        value = math.floor(total)
        self.rest = total - value
        return value


def _weights(
    asking: Sequence[Ratio], texts: Sequence[str], source: Source, column: str, year: int | None
) -> dict[str, float]:
    """The share of rows each of ``texts`` gets in ``year``: each asked text its ratio's
    share (split among the texts of one filter), the texts none asks the rest, equally."""
    pinned: dict[str, float] = {}
    for ratio in asking:
        for asked_column, asked in text_conditions(
            ratio.numerator.condition, ratio.denominator.condition
        )[:1]:
            if _declared(source, asked_column) != column:
                continue
            for text in asked:
                pinned.setdefault(text, ratio.share(year) / len(asked))
    pinned = {text: share for text, share in pinned.items() if text in texts}
    rest = [text for text in texts if text not in pinned]
    left = 1.0 - sum(pinned.values())
    if left < 0 or not rest:
        total = sum(pinned.values()) or 1.0
        return {text: pinned.get(text, 0.0) / total for text in texts}
    return {text: pinned.get(text, left / len(rest)) for text in texts}


def _derived(ratio: Ratio) -> tuple[str, ...]:
    """What ``ratio`` draws: the numerator of a ``row`` ratio, the denominator of a
    ``sum`` one."""
    return ratio.numerator.quantity if ratio.kind == "row" else ratio.denominator.quantity


def _origin(ratio: Ratio) -> tuple[str, ...]:
    """What ``ratio`` draws from."""
    return ratio.denominator.quantity if ratio.kind == "row" else ratio.numerator.quantity


def _declared(source: Source, column: str) -> str | None:
    """``column`` as ``source`` declares it (any case and spacing), or None."""
    return next((c for c in source.columns if name_key(c) == name_key(column)), None)


def _named(row: Row, name: str) -> bool:
    value = row.get("nama")
    return isinstance(value, str) and name_key(value) == name_key(name)


def _accumulates(source: Source) -> bool:
    """Whether a year counts every row dated up to its end (a register's state)."""
    return source.kind == "register" and source.grain is None and source.time == "state"


def _within(source: Source, row: Row, year: int) -> bool:
    """Whether ``row`` counts in ``year`` (a state: dated up to its end)."""
    when = row_year(source, row)
    return when is not None and (when <= year if _accumulates(source) else when == year)


def _reach(source: Source, year: int, through: Period) -> float:
    """The part of ``year`` rows of ``source`` reach (1 for a state or an input)."""
    if source.kind == "inputs" or _accumulates(source) or year < through.end.year:
        return 1.0
    if year > through.end.year:
        return 0.0
    first = date(year, 1, 1).toordinal()
    days = 366 if calendar.isleap(year) else 365
    return min((through.end.toordinal() - first + 1) / days, 1.0)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _float(value: object) -> float:
    found = _number(value)
    return found if found is not None else 0.0


def _typed(source: Source, column: str, value: int) -> object:
    """A whole number as ``column`` holds it: an ``int``, else a ``Decimal``."""
    return value if source.columns.get(column) == "integer" else Decimal(value)


def _written(source: Source, column: str, value: float, whole: bool, rounding: str) -> object:
    """``value`` as ``column`` holds it: whole where it counts, else two decimals, rounded
    ``half`` away from zero, ``up`` (a whole that must hold its part) or ``down`` (a part
    that must stay within its whole)."""
    exact = Decimal(repr(max(value, 0.0)))
    places = Decimal(1) if whole or source.columns.get(column) == "integer" else Decimal("0.01")
    if rounding == "half":
        rounded = round_half_away(exact, 0 if places == 1 else 2)
    else:
        rounded = round_toward(exact, 0 if places == 1 else 2, up=rounding == "up")
    return _typed(source, column, int(rounded)) if places == 1 else rounded
