"""Hypothesis strategies for the data of a definitions folder: registers, realisasi and inputs
drawn at the edges the definitions care about."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from attrs import evolve, frozen
from hypothesis import strategies as st

from iku_rules.additive import unit_table
from iku_rules.ast import name_key
from iku_rules.evaluator.predicate import ISO_DATE
from iku_rules.keyed_rows import region_columns
from iku_rules.model import Definitions, Source
from iku_rules.periods import Period
from iku_rules.regions import region_key
from iku_rules.sample.needs import filter_values, input_names
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.sources.csv_file import write_csv

OTHER_TEXT = "lainnya"
"""A text no filter of the definitions names, so that some rows pass no filter."""


NUMBER_EDGES = tuple(
    Decimal(text) for text in ("0", "1", "-1", "0.01", "99.99", "100", "100.01", "1000000000000")
)
"""Numbers at the edges indicator formulas meet: zero, a unit, a cent, either side of 100, a
budget in rupiah; and one below zero."""


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
    columns: at most ``widest`` regions of its largest level (None: every declared one)
    and two under each of them; ``({},)`` for a source without region columns."""
    found: list[dict[str, str]] = [{}]
    for level, column in region_columns(source, definitions.level_ids()):
        above_column = parent_column(definitions, source, level)
        grown = []
        for place in found:
            above = place.get(above_column) if above_column is not None else None
            limit = widest if above_column is None else 2
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


def period_labels(source: Source, year: int) -> tuple[object, ...]:
    """The periods of ``year`` and the year before as ``source``'s grain writes them
    (``2025``, ``2026-TW1``, ``2026-01``): whole numbers in an ``integer`` column."""
    grain = source.grain
    assert grain is not None
    labels = [label for y in (year - 1, year) for label in grain.labels(Period("year", y))]
    if source.columns.get(grain.column) == "integer":
        return tuple(int(label) for label in labels)
    return tuple(labels)


@frozen
class Dataset:
    """Rows generated for each source of a definitions folder, written as CSV files.

    ``tables`` maps a source id to its rows, each a mapping from column to value
    (``None`` is a blank cell). Its ``repr`` is what Hypothesis prints for a failing example.
    """

    year: int
    tables: Mapping[str, tuple[Mapping[str, object], ...]]

    def write(self, definitions: Definitions, folder: Path) -> None:
        """Write every table as ``<source id>.csv`` in ``folder``, with the source's columns."""
        folder.mkdir(parents=True, exist_ok=True)
        for source in definitions.sources:
            columns = tuple(source.columns)
            write_csv(folder / f"{source.id}.csv", columns, self.tables.get(source.id, ()))


def as_csv(definitions: Definitions) -> Definitions:
    """``definitions`` with every source read from ``<source id>.csv`` in the data folder,
    whatever its format and path, as :meth:`Dataset.write` writes them."""
    sources = tuple(
        evolve(source, format="csv", path=f"{source.id}.csv", table=None)
        for source in definitions.sources
    )
    return evolve(definitions, sources=sources)


def _other_text(known: list[object]) -> str:
    """:data:`OTHER_TEXT`, made longer until it differs from every text of ``known`` in more
    than case or spacing (a cell ``Lainnya`` beside a filter's ``"lainnya"`` is refused)."""
    keys = {region_key(str(text)) for text in known}
    text = OTHER_TEXT
    while region_key(text) in keys:
        text += " lagi"
    return text


def _row(source: Source, values: Mapping[str, object]) -> Mapping[str, object]:
    """A row of ``source`` holding ``values`` (those of its columns), every other cell blank."""
    return {column: values.get(column) for column in source.columns}


def _nilai(source: Source, whole: bool = False) -> st.SearchStrategy[object]:
    """Values for the ``nilai`` column of a realisasi or inputs table, of its declared type;
    ``whole`` for a satuan that counts one by one (``Orang``: never 2.5)."""
    decimal = source.columns.get("nilai") == "decimal" and not whole
    return _numbers("decimal" if decimal else "integer")


def _default_year(definitions: Definitions) -> int:
    """The latest year any indicator has a target for (else the plan's first year, else
    this year)."""
    years = [year for i in definitions.indicators for year in i.targets]
    if years:
        return max(years)
    if definitions.office is not None and definitions.office.plan_start is not None:
        return definitions.office.plan_start
    return dt.date.today().year


def _numbers(kind: str) -> st.SearchStrategy[object]:
    edges = st.sampled_from(NUMBER_EDGES)
    if kind == "integer":
        return st.one_of(edges.map(int), st.integers(-5, 10**6))
    return st.one_of(
        edges,
        st.decimals(min_value=-100, max_value=10**9, places=2, allow_nan=False),
    )


def _dates(year: int) -> st.SearchStrategy[object]:
    """Dates of the year and the one before, often on the first or last day of a triwulan."""
    edges = [
        dt.date(y, month, day)
        for y in (year - 1, year)
        for month, day in ((1, 1), (3, 31), (4, 1), (6, 30), (7, 1), (9, 30), (10, 1), (12, 31))
    ]
    return st.one_of(
        st.sampled_from(edges), st.dates(dt.date(year - 1, 1, 1), dt.date(year, 12, 31))
    )


def _cell(
    source: Source,
    column: str,
    kind: str,
    year: int,
    vocabulary: Mapping[str, list[object]],
    *,
    key: bool = False,
    blank: bool = True,
) -> st.SearchStrategy[object]:
    """Values for one cell of a register: ``key`` for the entity or the order of a
    ``terakhir`` (never blank); ``blank`` when the column may have blank cells."""
    blank = blank and not key
    if column == source.date_column:
        return _dates(year)
    first = column == next(iter(source.columns))
    if kind in IDENTIFIER_LENGTHS:
        # a NIK, No KK or NIP of its length: few, so that some people repeat
        length = IDENTIFIER_LENGTHS[kind]
        people = st.sampled_from([f"36{n:0{length - 2}d}" for n in range(1, 9)])
        return _or_blank(people) if blank and not first else people
    if kind not in ("date", "integer", "decimal") and (first or key):
        # the first column names the person or household: few, so that some repeat
        return st.sampled_from([f"{column}-{n}" for n in range(1, 9)])
    if kind == "date":
        drawn = _dates(year)
    elif kind in ("integer", "decimal"):
        known = [v for v in vocabulary.get(name_key(column), ()) if isinstance(v, Decimal)]
        drawn = st.one_of(*([st.sampled_from(known)] if known else []), _numbers(kind))
    else:
        known_texts = [str(v) for v in vocabulary.get(name_key(column), ())]
        if known_texts and all(ISO_DATE.fullmatch(text) for text in known_texts):
            # a text column of dates (a filter orders it against one): dates YYYY-MM-DD,
            # as such a column must hold (:mod:`iku_rules.date_orders`)
            drawn = st.one_of(st.sampled_from(known_texts), _dates(year).map(str))
        else:
            drawn = st.sampled_from([*known_texts, _other_text([*known_texts])])
    return _or_blank(drawn) if blank else drawn


def _blank_columns(source: Source) -> st.SearchStrategy[frozenset[str]]:
    """The columns of ``source`` that have blank cells in one draw: none, some or all (a
    blank in every column of every draw would leave most sums not available)."""
    return st.frozensets(st.sampled_from(tuple(source.columns)))


def _or_blank(values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """``values``, or a blank cell one time in five (more would leave most sums of a
    table of months not available, a row blank in every draw)."""
    return st.one_of(values, values, values, values, st.none())


def _latest_keys(definitions: Definitions, source: Source) -> list[tuple[str, str]]:
    """The entity and order columns of the measures of ``source`` that count each entity's
    latest record only (``terakhir``)."""
    found = {
        (m.latest.per, m.latest.by)
        for m in definitions.measures
        if m.source == source.id and m.latest is not None
    }
    return sorted(pair for pair in found if set(pair) <= set(source.columns))


def _untied(
    rows: list[Mapping[str, object]], keys: list[tuple[str, str]]
) -> tuple[Mapping[str, object], ...]:
    """``rows`` without those that repeat the entity and order of an earlier one for a
    ``terakhir``: two records of one entity at its latest cannot be told apart, and the
    reader rightly refuses them (:mod:`iku_rules.latest_ties`)."""
    seen: set[tuple[str, str, object, object]] = set()
    kept = []
    for row in rows:
        marks = {(per, by, row[per], row[by]) for per, by in keys}
        if marks & seen:
            continue
        seen |= marks
        kept.append(row)
    return tuple(kept)


@st.composite
def _register(
    draw: st.DrawFn,
    source: Source,
    definitions: Definitions,
    year: int,
    vocabulary: Mapping[str, list[object]],
    max_rows: int,
) -> tuple[Mapping[str, object], ...]:
    if source.grain is not None:
        return draw(_period_table(source, definitions, year, vocabulary))
    keys = _latest_keys(definitions, source)
    required = {column for pair in keys for column in pair}
    regional = set(source.regions.values())
    blanks = draw(_blank_columns(source))
    cells = {
        column: _cell(
            source,
            column,
            kind,
            year,
            vocabulary,
            key=column in required,
            blank=column in blanks,
        )
        for column, kind in source.columns.items()
        if column not in regional
    }
    # a region, a larger one with the smaller left blank, or none (the whole area)
    where = st.sampled_from(partial(source, definitions, places(definitions, source)))
    # Hypothesis keeps lists short; a register is as often empty or full as in between.
    size = draw(st.one_of(st.sampled_from([0, 1, max_rows]), st.integers(0, max_rows)))
    drawn = draw(
        st.lists(st.tuples(st.fixed_dictionaries(cells), where), min_size=size, max_size=size)
    )
    return _untied([_row(source, {**values, **place}) for values, place in drawn], keys)


def _reported(draw: st.DrawFn, count: int) -> int:
    """Which of ``count`` cells are reported, as bits: every one, or about three in four.
    Drawn as a seed, not one draw per cell, so that a table of months keeps Hypothesis's
    budget (and not as one large number, which Hypothesis keeps small: the cells of the
    later year would always be missing)."""
    if draw(st.booleans()):
        return (1 << count) - 1
    chance = random.Random(draw(st.integers(0, 2**32 - 1)))
    return sum(1 << index for index in range(count) if chance.random() < 0.75)


@st.composite
def _period_table(
    draw: st.DrawFn,
    source: Source,
    definitions: Definitions,
    year: int,
    vocabulary: Mapping[str, list[object]],
) -> tuple[Mapping[str, object], ...]:
    """A table of values per period (``time = "period"``): a row per period of its grain
    (of ``year`` and the year before, written as the grain writes them) and per place, each
    place named in full; every row there, some missing, or none; now and then one twice."""
    assert source.grain is not None
    column = source.grain.column
    regional = set(source.regions.values())
    blanks = draw(_blank_columns(source))
    cells = {
        name: _cell(source, name, kind, year, vocabulary, blank=name in blanks)
        for name, kind in source.columns.items()
        if name != column and name not in regional
    }
    every = places(definitions, source)
    units = draw(st.sampled_from([every, every[:1]]))
    slots = [(label, unit) for label in period_labels(source, year) for unit in units]
    reported = 0 if draw(st.integers(0, 3)) == 0 else _reported(draw, len(slots))
    bodies = draw(st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=4))
    rows = [
        _row(source, {**bodies[index % len(bodies)], column: label, **unit})
        for index, (label, unit) in enumerate(slots)
        if reported >> index & 1
    ]
    if rows and draw(st.integers(0, 4)) == 0:  # one period of one place written twice
        rows.append(rows[draw(st.integers(0, len(rows) - 1))])
    return tuple(rows)


def _periods(year: int) -> list[str]:
    return [f"{y}-TW{q}" for y in (year - 1, year) for q in (1, 2, 3, 4)]


@st.composite
def _realisasi(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """One row per indicator, triwulan and region (or the whole area), some missing."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    regions = places(definitions, source) if source.regions else ()
    for indicator in definitions.indicators:
        if indicator.formula_kind != "realisasi":
            continue
        where: tuple[Place, ...] = ({},)
        if regions:
            where = draw(st.sampled_from([({},), regions, ({}, *regions)]))
        cells = [(periode, place) for periode in _periods(year) for place in where]
        # which cells are reported, and the values they cycle (a few draws per indicator)
        reported = _reported(draw, len(cells))
        whole = table.counts(indicator.unit)
        values = draw(st.lists(st.one_of(_nilai(source, whole), st.none()), min_size=1, max_size=4))
        for index, (periode, place) in enumerate(cells):
            if not reported >> index & 1:
                continue  # a gap: never reported
            row = {
                "indikator": indicator.id,
                "periode": periode,
                "nilai": values[index % len(values)],
                "kode_sub_kegiatan": indicator.parent,
                **place,
            }
            rows.append(_row(source, row))
    return tuple(rows)


@st.composite
def _inputs(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """Each input for the year and the one before, some missing, some at their edges: for
    the whole area and, in a table with region columns, for every declared region (or some)."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    where: tuple[Place, ...] = ({},)
    if source.regions:
        where = partial(source, definitions, places(definitions, source, widest=None))
    for name, _, unit in input_names(definitions):
        nilai = _nilai(source, table.counts(unit))
        for tahun in (year - 1, year):
            reported = _reported(draw, len(where))
            values = draw(st.lists(nilai, min_size=1, max_size=3))
            for index, place in enumerate(where):
                if reported >> index & 1:
                    value = values[index % len(values)]
                    rows.append(
                        _row(source, {"nama": name, "tahun": tahun, "nilai": value, **place})
                    )
    return tuple(rows)


def datasets(
    definitions: Definitions, *, year: int | None = None, max_rows: int = 30
) -> st.SearchStrategy[Dataset]:
    """Data for every source of ``definitions``: registers of 0 to ``max_rows`` rows whose
    texts are those the filters name (and one they do not), dates of ``year`` and the year
    before at the edges of a triwulan, blank cells, people counted twice; tables of values
    per period with a row per period of their grain and per region, some missing;
    realisasi for each triwulan with gaps; inputs at their edges or missing. Region cells
    name the declared regions, each under its declared parent (made-up names where a
    level has none declared); no row is one the reader refuses for its own sake (a period
    or date left blank or written otherwise than its grain, a region left blank in a table
    of values per period, two latest records of one entity).

    Write a drawn :class:`Dataset` with :meth:`Dataset.write` and evaluate
    :func:`as_csv` ``(definitions)`` on the folder.
    """
    year = year if year is not None else _default_year(definitions)
    vocabulary = filter_values(definitions)
    tables: dict[str, st.SearchStrategy[tuple[Mapping[str, object], ...]]] = {}
    for source in definitions.sources:
        if source.kind == "register":
            tables[source.id] = _register(source, definitions, year, vocabulary, max_rows)
        elif source.kind == "realisasi":
            tables[source.id] = _realisasi(source, definitions, year)
        else:
            tables[source.id] = _inputs(source, definitions, year)
    return st.fixed_dictionaries(tables).map(lambda drawn: Dataset(year, drawn))
