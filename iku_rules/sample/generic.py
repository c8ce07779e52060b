"""Sample data for any definitions folder, derived from what its definitions declare.

Nothing here knows an office: every table comes from the folder's sources, their declared
columns and types, the literal values its filters compare columns with, its indicators'
formulas, targets and satuan, and the regions it declares (:mod:`.places`). All chance
comes from one ``random.Random(seed)``, drawn in the declared order of the sources, and a
second one for the ratios, so the same arguments give the same rows.

``register`` sources
    ``people`` rows each. The date column (and any other ``date`` column) holds days
    spread evenly from 1 July of the year before the first year to the end of
    ``through``. The region columns hold the declared regions of the source's deepest
    level with their ancestors in the columns of theirs (or ``Wilayah 1`` … ``Wilayah 5``
    when the folder declares none). The column a ``count_distinct`` measure counts (else
    whose latest record a measure takes, else the first identifier column, else the first
    text column) names an entity — a person, a household, a ruas — and one row in five
    repeats an entity drawn before, in its region, so distinct counts are smaller than
    row counts and a measure of the latest record per entity has several records to
    choose from; an identifier column named like one of an earlier register draws most of
    its entities from there, so that people served are mostly people registered. A text
    column a filter compares with texts (``stunting = "ya"``) holds those texts and one no
    filter names (``tidak`` beside a lone ``ya``, ``ya`` beside a lone ``tidak``, else
    ``lainnya``), in equal shares but where a ratio asks otherwise (below); the breakdown
    column otherwise holds the sub kegiatan ids; any other text column ``<column> 1`` …
    ``<column> 5``. Identifier columns hold unique identifiers (NIK and No KK 16 digits,
    NIP 18, ``identifier`` ``ID00000001``…). A number column a filter compares with
    numbers holds those numbers, their neighbours and values up to twice the largest; any
    other number column 0-100 (two decimals for ``decimal``). A table of values per
    period (``time = "period"``) is no register of people: it gets one row per reporting
    unit (each declared region of its deepest level, as above) and period of its grain,
    every period of the years asked that ends by ``through`` (a yearly one, every year),
    so that no value the engine adds up misses one of them; ``people`` does not apply.
    Where a measure counts each entity's latest record (``terakhir``), no two records of
    one entity share its ``by`` (the engine refuses records tied at the latest).
``realisasi`` sources
    For every indicator whose formula is ``realisasi``, a row per triwulan of every year
    up to ``through``, near the indicator's triwulan target (else a quarter of the year's
    target, or of the nearest year's; a range by its middle, a threshold by its value), or
    a small number without any target; whole numbers in a satuan that counts. Where the
    source has a region column and the triwulan's value counts at least one per region,
    it is spread over the regions (one row each, none for a region with nothing);
    otherwise one row for the whole area with the region columns empty.
    ``kode_sub_kegiatan`` (and the breakdown column) hold the indicator's sub kegiatan.
``inputs`` sources
    A row per year for every ``[[input]]`` (in the inputs source it names) and every
    indicator whose formula is ``input`` (under its id): near the indicator's target for
    the year (or its nearest year's), else a plausible value for its satuan
    (:data:`PLAUSIBLE`; a rate ``per N`` by N), drifting a little from year to year. Where
    the source has a region column, every declared region of its level gets its own row
    too: an input declared ``additive`` (a count) is split over the regions, with no row
    for the whole area (the engine sums them); any other keeps the area's row, and each
    region's value lies near it.
Ratios
    An indicator that is one ratio with a target (or that states its numerator within
    its denominator) has its two parts drawn from each other so that it comes out near
    its target, a numerator stated within its denominator never above it
    (:mod:`.ratios` finds them, :mod:`.fitting` draws them): the texts its filter asks
    for get their share of a register's rows, a column or input is its row's denominator
    times the share, a yearly denominator is what its numerator sums in its place and year
    over the share, a register counted against another is drawn to the size asked.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from iku_rules.ast import name_key
from iku_rules.decimals import round_half_away
from iku_rules.i18n import _
from iku_rules.model import Definitions, Indicator, Source
from iku_rules.periods import Period
from iku_rules.sample.fitting import Fitting
from iku_rules.sample.generator import _number, _quarter_target
from iku_rules.sample.needs import filter_values, input_names
from iku_rules.sample.places import DeclaredRegions, declared_regions, placements
from iku_rules.sample.ratios import ratios, sized_by
from iku_rules.sample.registers import Row, _quarter_end
from iku_rules.satuan import UnitTable, rate
from iku_rules.sources.cells import IDENTIFIER_LENGTHS, IDENTIFIER_TYPES, NUMBERED

Progress = Callable[[str], None]
"""Told what is being drawn, now and then on long runs (``register balita: 20000 of 50000``)."""


REPEATED = 0.2
"""Share of a register's rows that repeat an entity drawn before."""


SHARED = 0.8
"""Share of the entities of a later register drawn from an earlier one's, same column."""


OTHER_TEXT = "lainnya"
"""A text no filter names."""


OPPOSITES = {"ya": "tidak", "tidak": "ya", "yes": "no", "no": "yes"}
"""The text no filter names beside a lone yes or no."""


PLAUSIBLE: Mapping[str, tuple[float, float, int]] = {
    "persen": (40.0, 95.0, 2),
    "indeks": (0.5, 0.9, 3),
    "skor": (60.0, 90.0, 2),
    "tahun": (60.0, 75.0, 2),
    "rupiah": (1_000_000.0, 900_000_000.0, 0),
}
"""Plausible input values without a target: low, high and decimals, by satuan (``indeks``)
or else by what it counts (``persen``, ``skor``, ``tahun``, ``rupiah``). A satuan that
counts one by one takes whole numbers 10-1000, any other 1-100."""


EVERY = 10_000
"""Rows between two progress reports."""


SIZING = 3
"""How many times a register is drawn again to reach the size a ratio asks."""


def generic_tables(
    definitions: Definitions,
    *,
    people: int,
    seed: int,
    years: Sequence[int],
    through: Period,
    progress: Progress | None = None,
) -> dict[str, list[Row]]:
    """The rows of every source of ``definitions``, by source id."""
    draw = _Drawing(definitions, people, seed, years, through, progress)
    tables = draw.tables
    for source in definitions.sources:
        if source.kind == "register":
            tables[source.id] = draw.register(source)
        elif source.kind == "realisasi":
            tables[source.id] = draw.realisasi(source)
        else:
            tables[source.id] = draw.inputs(source)
    draw.fitting.fit(tables, draw.years)
    return tables


class _Drawing:
    """The random stream and what earlier tables left for later ones."""

    def __init__(
        self,
        definitions: Definitions,
        people: int,
        seed: int,
        years: Sequence[int],
        through: Period,
        progress: Progress | None,
    ) -> None:
        self.definitions = definitions
        self.people = people
        self.rng = random.Random(seed)
        self.years = list(years)
        self.through = through
        self.progress = progress
        self.first_day = date(self.years[0] - 1, 7, 1).toordinal()
        self.last_day = through.end.toordinal()
        self.vocabulary = filter_values(definitions)
        self.regions: DeclaredRegions = declared_regions(definitions)
        self.units = UnitTable.builtin().extended(definitions.satuan, definitions.satuan_whole)
        self.serial = 0
        # entities by (column key, declared type): each with the placement drawn for it
        self.entities: dict[tuple[str, str], list[tuple[str, Mapping[str, str]]]] = {}
        self.sub_kegiatan = [e.id for e in definitions.ordered() if e.level == "sub_kegiatan"]
        self.tables: dict[str, list[Row]] = {}
        # the ratios' own stream: an office without them draws what it drew before
        chance = random.Random(f"{seed} ratios")
        self.ratios = ratios(definitions, self.years, chance)
        self.fitting = Fitting(definitions, self.ratios, chance, through)

    # -- registers

    def register(self, source: Source) -> list[Row]:
        """The rows of a register: ``people`` of them, or (the later of two registers a
        ratio counts, :mod:`.ratios` ``size``) as many as its share asks: drawn with
        ``people`` rows first, then again with as many more or fewer as the count that
        gave in the last year asks (a few times: entities drawn from an earlier register
        repeat more often the more rows are drawn)."""
        sizing = next(
            (r for r in self.ratios if r.kind == "size" and source.id in sized_by(r, self.tables)),
            None,
        )
        if sizing is None or not self.people:
            return self._register_rows(source, self.people)
        mine, other = sized_by(sizing, self.tables)[source.id]
        year = self.years[-1]
        theirs = self.fitting.count(other, self.tables[other.source], year)
        share = sizing.share(year)
        need = share * theirs if mine is sizing.numerator else theirs / max(share, 1e-9)
        saved = {key: list(pool) for key, pool in self.entities.items()}
        count = self.people
        rows = self._register_rows(source, count)
        for _attempt in range(SIZING):
            drawn = self.fitting.count(mine, rows, year)
            if drawn <= 0 or need <= 0 or abs(drawn - need) <= need / 20:
                break
            count = max(1, min(round(count * need / drawn), 50 * self.people))
            self.entities = {key: list(pool) for key, pool in saved.items()}  # taken back
            rows = self._register_rows(source, count)
        return rows

    def _register_rows(self, source: Source, people: int) -> list[Row]:
        if source.grain is not None:
            table = self._per_period(source)
            self.fitting.pin(source, table, self._texts, None)
            return table
        rng = self.rng
        places = placements(self.regions, source)
        entity = self._entity_column(source)
        kind = source.columns.get(entity, "text") if entity else "text"
        pool_key = (name_key(entity), kind) if entity else None
        earlier = list(self.entities.get(pool_key, ())) if pool_key else []
        own: list[tuple[str, Mapping[str, str]]] = []
        rows: list[Row] = []
        latest = {
            (m.latest.per, m.latest.by)
            for m in self.definitions.measures
            if m.source == source.id and m.latest is not None
            if m.latest.per in source.columns and m.latest.by in source.columns
        }
        held: dict[tuple[str, str, object], set[Any]] = {}
        for number in range(people):
            if self.progress is not None and number and number % EVERY == 0:
                self.progress(
                    _("register {source}: {count} of {total} rows").format(
                        source=source.id, count=number, total=people
                    )
                )
            if own and rng.random() < REPEATED:
                who, placed = own[rng.randrange(len(own))]
            elif earlier and rng.random() < SHARED:
                who, placed = earlier[rng.randrange(len(earlier))]
                own.append((who, placed))
            else:
                placed = places[rng.randrange(len(places))] if places else {}
                who = self._new_entity(source, entity, kind, len(own))
                own.append((who, placed))
            row: Row = {}
            for column, declared in source.columns.items():
                if column == entity:
                    row[column] = who
                elif column in placed:
                    row[column] = placed[column]
                else:
                    row[column] = self._cell(source, column, declared)
            for per, by in sorted(latest):
                self._untied(source, row, per, by, held)
            rows.append(row)
        if pool_key is not None:
            pool = self.entities.setdefault(pool_key, [])
            known = {who for who, _ in pool}
            pool.extend(item for item in dict(own).items() if item[0] not in known)
        dated = source.date_column
        if dated is not None:
            rows.sort(key=lambda row: row[dated] or date.min)
        self.fitting.pin(source, rows, self._texts, entity)
        return rows

    def _untied(
        self,
        source: Source,
        row: Row,
        per: str,
        by: str,
        held: dict[tuple[str, str, object], set[Any]],
    ) -> None:
        """Draw ``row``'s ``by`` again while an earlier row of its ``per`` holds it (a
        measure counts each ``per``'s latest record by ``by``): records tied at an
        entity's latest are refused (:mod:`iku_rules.latest_ties`), and sample data is
        data the engine reads. ``held``: the ``by`` values each ``per`` holds so far."""
        if row.get(per) is None or row.get(by) is None:
            return
        taken = held.setdefault((per, by, row[per]), set())
        for _attempt in range(20):
            if row[by] not in taken:
                break
            row[by] = self._cell(source, by, source.columns[by])
        else:  # past the largest it holds: a day, or one, later
            largest = max(taken)
            row[by] = largest + timedelta(days=1) if isinstance(largest, date) else largest + 1
        taken.add(row[by])

    def _entity_column(self, source: Source) -> str | None:
        """The column naming a row's entity: the one a measure counts distinct values of,
        else whose latest record a measure takes (``terakhir``'s ``per``), else the first
        identifier column, else the first text column."""
        measures = [m for m in self.definitions.measures if m.source == source.id]
        counted = [m.column for m in measures if m.aggregate == "count_distinct" and m.column]
        counted += [m.latest.per for m in measures if m.latest is not None]
        identifiers = [c for c, kind in source.columns.items() if kind in IDENTIFIER_TYPES]
        # Never a date, a period or a region column; a number column only when counted.
        period = source.grain.column if source.grain is not None else None
        placed = set(source.regions.values()) | {source.date_column, period}
        texts = [c for c, kind in source.columns.items() if kind == "text"]
        for column in (*counted, *identifiers, *texts):
            if column in source.columns and column not in placed:
                return column
        return None

    def _per_period(self, source: Source) -> list[Row]:
        """A table of values per period: one row per reporting unit (each place of
        :func:`placements`, else the whole area) and period of its grain, written as the
        grain says (``2026``, ``2026-TW1``, ``2026-01``), every period of the years asked
        that ends by ``through`` (a yearly one, every year): a value adds them all up, and
        one missing would leave it not available."""
        grain = source.grain
        assert grain is not None
        labels: list[str] = []
        for year in self.years:
            if grain.unit == "year":
                labels.append(str(year))
                continue
            for month in range(1, 13):
                last = date(year, month, calendar.monthrange(year, month)[1])
                if last > self.through.end:
                    break
                if grain.unit == "month":
                    labels.append(f"{year}-{month:02d}")
                elif month % 3 == 0:
                    labels.append(f"{year}-TW{month // 3}")
        rows: list[Row] = []
        for label in labels:
            for placed in placements(self.regions, source) or ({},):
                row: Row = {}
                for column, declared in source.columns.items():
                    if column in placed:
                        row[column] = placed[column]
                    elif column == grain.column:
                        row[column] = int(label) if declared == "integer" else label
                    else:
                        row[column] = self._cell(source, column, declared)
                rows.append(row)
        return rows

    def _new_entity(self, source: Source, column: str | None, kind: str, index: int) -> str:
        self.serial += 1
        if kind in ("nik", "no_kk", "nip"):
            length = IDENTIFIER_LENGTHS[kind]
            head = f"{self.rng.randint(11, 94)}{self.rng.randint(1, 99):02d}"
            numbered = NUMBERED[kind]  # the last digits number it from 1: never all zeros
            return head + f"{self.serial:0{length - len(head) - numbered}d}" + "1".zfill(numbered)
        if kind == "identifier":
            return f"ID{self.serial:08d}"
        return f"{column or source.id}-{self.serial}"

    def _cell(self, source: Source, column: str, declared: str) -> object:
        rng = self.rng
        known = self.vocabulary.get(name_key(column), [])
        if declared == "date":
            return date.fromordinal(rng.randint(self.first_day, self.last_day))
        if declared in ("integer", "decimal"):
            numbers = [Decimal(str(v)) for v in known if isinstance(v, Decimal)]
            if numbers and rng.random() < 0.5:
                value = rng.choice(numbers) + rng.choice((-1, 0, 0, 1))
            else:
                high = float(2 * max(numbers)) if numbers else 100.0
                value = Decimal(f"{rng.uniform(0, max(high, 1.0)):.2f}")
            if declared == "integer":
                return int(value.to_integral_value())
            return value
        if declared in IDENTIFIER_TYPES:
            return self._new_entity(source, column, declared, 0)
        options = self._texts(column)
        if options:
            return rng.choice(options)
        if column == source.breakdown_column and self.sub_kegiatan:
            return rng.choice(self.sub_kegiatan)
        return f"{column} {rng.randint(1, 5)}"

    def _texts(self, column: str) -> list[str]:
        """The texts a column a filter compares with texts holds: those texts and one no
        filter names; none for any other column."""
        known = self.vocabulary.get(name_key(column), [])
        texts = [str(v) for v in known if isinstance(v, str)]
        if not texts:
            return []
        other = OPPOSITES.get(texts[0].casefold(), OTHER_TEXT) if len(texts) == 1 else OTHER_TEXT
        return [*texts, other] if other not in texts else texts

    # -- realisasi

    def realisasi(self, source: Source) -> list[Row]:
        rng = self.rng
        places = placements(self.regions, source)
        rows: list[Row] = []
        quarters = [
            (year, quarter)
            for year in self.years
            for quarter in (1, 2, 3, 4)
            if _quarter_end(year, quarter) <= self.through.end
        ]
        for indicator in self.definitions.indicators:
            if indicator.formula_kind != "realisasi":
                continue
            whole = self.units.counts(indicator.unit)
            for year, quarter in quarters:
                target = _quarter_target(indicator, year, quarter)
                if target is None:
                    nearest = _target_near(indicator, year)
                    target = None if nearest is None else nearest / 4
                value = (
                    target * rng.uniform(0.85, 1.1)
                    if target is not None
                    else rng.uniform(1, 20)
                    if whole
                    else rng.uniform(10, 90)
                )
                base = {
                    "indikator": indicator.id,
                    "periode": f"{year}-TW{quarter}",
                    "kode_sub_kegiatan": indicator.parent,
                }
                if source.breakdown_column:
                    base[source.breakdown_column] = indicator.parent
                if places and whole and value >= len(places):
                    for placed in places:  # a place's 0 written: no row would be none reported
                        share = round(value / len(places) * rng.uniform(0.5, 1.5))
                        rows.append({**base, **placed, "nilai": share})
                    continue
                nilai: object = round(value) if whole else Decimal(f"{value:.2f}")
                rows.append({**base, "nilai": nilai})
        return [{column: row.get(column) for column in source.columns} for row in rows]

    # -- inputs

    def inputs(self, source: Source) -> list[Row]:
        rng = self.rng
        rows: list[Row] = []
        sources = {s.id for s in self.definitions.sources if s.kind == "inputs"}
        owner = {i.name: i.source for i in self.definitions.inputs if i.source in sources}
        additive = {i.name for i in self.definitions.inputs if i.additive}
        places = placements(self.regions, source)
        for name, indicator, unit in input_names(self.definitions):
            if owner.get(name, source.id) != source.id:
                continue  # its [[input]] names another inputs source
            shares = [rng.uniform(0.5, 1.5) for _ in places]
            low, high, decimals = self._plausible(unit)
            start = rng.uniform(low, high)
            trend = (high - low) * rng.uniform(-0.03, 0.05)
            for position, year in enumerate(self.years):
                target = _target_near(indicator, year)
                if target is not None:
                    value = target * rng.uniform(0.9, 1.05)
                else:
                    value = min(high, max(low, start + trend * position))
                written = Decimal(f"{value:.{decimals}f}")
                if self.units.counts(unit):
                    written = written.to_integral_value()
                row = {"nama": name, "tahun": year}
                if not places or name not in additive:
                    rows.append({**row, "nilai": written})  # the whole area's row
                for placed, share in zip(places, shares, strict=True):
                    part = (
                        written * Decimal(f"{share / sum(shares):.6f}")
                        if name in additive
                        else written * Decimal(f"{rng.uniform(0.9, 1.1):.6f}")
                    )
                    part = round_half_away(part, decimals)
                    if self.units.counts(unit):
                        part = part.to_integral_value()
                    rows.append({**row, **placed, "nilai": part})
        return [{column: row.get(column) for column in source.columns} for row in rows]

    def _plausible(self, unit: str | None) -> tuple[float, float, int]:
        scaled = rate(unit)
        if scaled is not None:
            low = 5 * math.sqrt(float(scaled.scale) / 1000)
            return low, 5 * low, 2
        key = " ".join((unit or "").split()).casefold()
        kinds = {" ".join(n.split()).casefold(): str(d) for n, d in self.units.entries.items()}
        for found in (key, kinds.get(key, "")):
            if found in PLAUSIBLE:
                return PLAUSIBLE[found]
        if self.units.counts(unit):
            return 10.0, 1000.0, 0
        return 1.0, 100.0, 2


def _target_near(indicator: Indicator | None, year: int) -> float | None:
    """The indicator's target for ``year``, else for the nearest year that has one."""
    if indicator is None or not indicator.targets:
        return None
    nearest = min(indicator.targets, key=lambda known: (abs(known - year), known))
    return _number(indicator.targets[nearest])
