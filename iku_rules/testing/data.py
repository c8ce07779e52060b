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

from iku_rules.additive import adds_up, unit_table
from iku_rules.ast import name_key
from iku_rules.evaluator.predicate import ISO_DATE
from iku_rules.model import Definitions, Source
from iku_rules.periods import Period
from iku_rules.regions import region_key
from iku_rules.sample.needs import filter_values, input_names
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.sources.csv_file import write_csv, written_row
from iku_rules.sources.pasted import unpasted
from iku_rules.testing.complete import Roles, fit, roles, sum_up
from iku_rules.testing.places import MADE_UP, Place, parent_column, partial, places
from iku_rules.testing.witness import witnesses

__all__ = [
    "MADE_UP",
    "NUMBER_EDGES",
    "OTHER_TEXT",
    "Dataset",
    "Place",
    "as_csv",
    "datasets",
    "parent_column",
    "partial",
    "period_labels",
    "places",
]

OTHER_TEXT = "lainnya"
"""A text no filter of the definitions names, so that some rows pass no filter."""


NUMBER_EDGES = tuple(
    Decimal(text) for text in ("0", "1", "-1", "0.01", "99.99", "100", "100.01", "1000000000000")
)
"""Numbers at the edges indicator formulas meet: zero, a unit, a cent, either side of 100, a
budget in rupiah; and one below zero."""


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
    (``None`` is a blank cell); ``complete`` tells a draw in which every formula can have
    a value from a hostile one (:mod:`iku_rules.testing.complete`). Its ``repr`` is what
    Hypothesis prints for a failing example.
    """

    year: int
    tables: Mapping[str, tuple[Mapping[str, object], ...]]
    complete: bool = False

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


def _row(source: Source, values: Mapping[str, object]) -> dict[str, object]:
    """A row of ``source`` holding ``values`` (those of its columns), every other cell blank."""
    return {column: values.get(column) for column in source.columns}


def _nilai(
    source: Source, whole: bool = False, least: int | None = None
) -> st.SearchStrategy[object]:
    """Values for the ``nilai`` column of a realisasi or inputs table, of its declared type;
    ``whole`` for a satuan that counts one by one (``Orang``: never 2.5); none below
    ``least``."""
    decimal = source.columns.get("nilai") == "decimal" and not whole
    return _numbers("decimal" if decimal else "integer", least)


def _default_year(definitions: Definitions) -> int:
    """The latest year any indicator has a target for (else the plan's first year, else
    this year)."""
    years = [year for i in definitions.indicators for year in i.targets]
    if years:
        return max(years)
    if definitions.office is not None and definitions.office.plan_start is not None:
        return definitions.office.plan_start
    return dt.date.today().year


def _numbers(kind: str, least: int | None = None) -> st.SearchStrategy[object]:
    """Numbers of ``kind`` at their edges and in between; none below ``least`` (a complete
    draw's: 0, or 1 for what a formula divides by), else below 0 too."""
    edges = st.sampled_from([edge for edge in NUMBER_EDGES if least is None or edge >= least])
    if kind == "integer":
        return st.one_of(edges.map(int), st.integers(-5 if least is None else least, 10**6))
    return st.one_of(
        edges,
        st.decimals(
            min_value=-100 if least is None else least, max_value=10**9, places=2, allow_nan=False
        ),
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


@frozen
class _Plan:
    """What every table of one draw is drawn from: the definitions, the year, the values
    their filters name, what their formulas divide by and hold within, and whether the
    draw is complete (:mod:`iku_rules.testing.complete`) or hostile."""

    definitions: Definitions
    year: int
    vocabulary: Mapping[str, list[object]]
    max_rows: int
    roles: Roles
    complete: bool = False

    def least(self, source: Source, column: str) -> int | None:
        """The least number a complete draw writes in ``column``: 1 where a formula divides
        by its sum, else 0; None (anything, below 0 too) in a hostile draw."""
        if not self.complete:
            return None
        return 1 if (source.id, column) in self.roles.positive else 0

    def blanks(self, draw: st.DrawFn, source: Source) -> frozenset[str]:
        """The columns of ``source`` with blank cells: none in a complete draw; else none,
        some or all (a blank in every column of every draw would leave most sums not
        available)."""
        if self.complete:
            return frozenset()
        return draw(st.frozensets(st.sampled_from(tuple(source.columns))))


def _cell(
    plan: _Plan,
    source: Source,
    column: str,
    kind: str,
    *,
    key: bool = False,
    blank: bool = True,
) -> st.SearchStrategy[object]:
    """Values for one cell of a register: ``key`` for the entity or the order of a
    ``terakhir`` (never blank); ``blank`` when the column may have blank cells."""
    blank = blank and not key
    year, vocabulary = plan.year, plan.vocabulary
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
        least = plan.least(source, column)
        known = [
            v
            for v in vocabulary.get(name_key(column), ())
            if isinstance(v, Decimal) and (least is None or v >= least)
        ]
        drawn = st.one_of(*([st.sampled_from(known)] if known else []), _numbers(kind, least))
    else:
        known_texts = [str(v) for v in vocabulary.get(name_key(column), ())]
        if known_texts and all(ISO_DATE.fullmatch(text) for text in known_texts):
            # a text column of dates (a filter orders it against one): dates YYYY-MM-DD,
            # as such a column must hold (:mod:`iku_rules.date_orders`)
            drawn = st.one_of(st.sampled_from(known_texts), _dates(year).map(str))
        else:
            drawn = st.sampled_from([*known_texts, _other_text([*known_texts])])
    return _or_blank(drawn) if blank else drawn


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
    rows: Sequence[Mapping[str, object]], keys: list[tuple[str, str]]
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
def _register(draw: st.DrawFn, plan: _Plan, source: Source) -> tuple[Mapping[str, object], ...]:
    """A register of 0 to ``max_rows`` rows; a complete one of half of them or more, and a
    row passing each filter in every place (:mod:`iku_rules.testing.witness`)."""
    if source.grain is not None:
        return draw(_period_table(plan, source))
    definitions, max_rows = plan.definitions, plan.max_rows
    keys = _latest_keys(definitions, source)
    required = {column for pair in keys for column in pair}
    regional = set(source.regions.values())
    blanks = plan.blanks(draw, source)
    cells = {
        column: _cell(plan, source, column, kind, key=column in required, blank=column in blanks)
        for column, kind in source.columns.items()
        if column not in regional
    }
    # a region, a larger one with the smaller left blank, or none (the whole area)
    where = st.sampled_from(partial(source, definitions, places(definitions, source)))
    # Hypothesis keeps lists short; a register is as often empty or full as in between.
    if plan.complete:
        size = draw(st.integers(max(1, max_rows // 2), max(1, max_rows)))
    else:
        size = draw(st.one_of(st.sampled_from([0, 1, max_rows]), st.integers(0, max_rows)))
    drawn = draw(
        st.lists(st.tuples(st.fixed_dictionaries(cells), where), min_size=size, max_size=size)
    )
    rows = [_row(source, {**values, **place}) for values, place in drawn]
    if plan.complete:  # a row passing each filter, in every place
        for witness in witnesses(definitions, source, plan.year):
            rows.append(_row(source, {**draw(st.fixed_dictionaries(cells)), **witness}))
    columns = tuple(source.columns)  # no block of rows twice: the reader refuses a copy
    return unpasted(_untied(rows, keys), lambda row: written_row(row, columns))


def _reported(draw: st.DrawFn, count: int, every: bool = False) -> int:
    """Which of ``count`` cells are reported, as bits: every one (always, with ``every``),
    or about three in four. Drawn as a seed, not one draw per cell, so that a table of
    months keeps Hypothesis's budget (and not as one large number, which Hypothesis keeps
    small: the cells of the later year would always be missing)."""
    if every or draw(st.booleans()):
        return (1 << count) - 1
    chance = random.Random(draw(st.integers(0, 2**32 - 1)))
    return sum(1 << index for index in range(count) if chance.random() < 0.75)


@st.composite
def _period_table(draw: st.DrawFn, plan: _Plan, source: Source) -> tuple[Mapping[str, object], ...]:
    """A table of values per period (``time = "period"``): a row per period of its grain
    (of ``year`` and the year before, written as the grain writes them) and per place, each
    place named in full; every row there, some missing, or none; now and then one twice.
    Complete: a row for every period from every declared region, none twice."""
    assert source.grain is not None
    column = source.grain.column
    regional = set(source.regions.values())
    blanks = plan.blanks(draw, source)
    cells = {
        name: _cell(plan, source, name, kind, blank=name in blanks)
        for name, kind in source.columns.items()
        if name != column and name not in regional
    }
    if plan.complete:
        units = places(plan.definitions, source, widest=None)
    else:
        every = places(plan.definitions, source)
        units = draw(st.sampled_from([every, every[:1]]))
    slots = [(label, unit) for label in period_labels(source, plan.year) for unit in units]
    if plan.complete:
        reported = _reported(draw, len(slots), every=True)
    else:
        reported = 0 if draw(st.integers(0, 3)) == 0 else _reported(draw, len(slots))
    bodies = draw(st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=4))
    rows = [
        _row(source, {**bodies[index % len(bodies)], column: label, **unit})
        for index, (label, unit) in enumerate(slots)
        if reported >> index & 1
    ]
    if rows and not plan.complete and draw(st.integers(0, 4)) == 0:
        rows.append(rows[draw(st.integers(0, len(rows) - 1))])  # one period of one place twice
    return tuple(rows)


def _periods(year: int) -> list[str]:
    return [f"{y}-TW{q}" for y in (year - 1, year) for q in (1, 2, 3, 4)]


@st.composite
def _realisasi(draw: st.DrawFn, plan: _Plan, source: Source) -> tuple[Mapping[str, object], ...]:
    """One row per indicator, triwulan and region (or the whole area), some missing.
    Complete: every one there with its nilai, a whole area's row beside its regions' the
    sum of theirs (the only row of an indicator whose satuan does not add up)."""
    definitions, year = plan.definitions, plan.year
    rows: list[dict[str, object]] = []
    table = unit_table(definitions)
    regions = places(definitions, source) if source.regions else ()
    for indicator in definitions.indicators:
        if indicator.formula_kind != "realisasi":
            continue
        where: tuple[Place, ...] = ({},)
        if regions:
            shapes = [({},), regions, ({}, *regions)]
            if plan.complete and not adds_up(indicator, definitions):
                shapes = [({},), ({}, *regions)]
            where = draw(st.sampled_from(shapes))
        cells = [(periode, place) for periode in _periods(year) for place in where]
        # which cells are reported, and the values they cycle (a few draws per indicator)
        reported = _reported(draw, len(cells), every=plan.complete)
        nilai = _nilai(source, table.counts(indicator.unit), 0 if plan.complete else None)
        drawn = nilai if plan.complete else st.one_of(nilai, st.none())
        values = draw(st.lists(drawn, min_size=1, max_size=4))
        summed: dict[str, Decimal] = {}  # each triwulan's regions' values, added up
        own: list[dict[str, object]] = []  # the whole area's rows
        for index, (periode, place) in enumerate(cells):
            if not reported >> index & 1:
                continue  # a gap: never reported
            value = values[index % len(values)]
            row = _row(
                source,
                {
                    "indikator": indicator.id,
                    "periode": periode,
                    "nilai": value,
                    "kode_sub_kegiatan": indicator.parent,
                    **place,
                },
            )
            rows.append(row)
            if not place:
                own.append(row)
            elif isinstance(value, int | Decimal):
                summed[periode] = summed.get(periode, Decimal(0)) + value
        if plan.complete and len(where) > 1 and adds_up(indicator, definitions):
            for row in own:
                row["nilai"] = summed.get(str(row["periode"]), Decimal(0))
    return tuple(rows)


def _input_names(plan: _Plan, source: Source) -> list[tuple[str, str | None]]:
    """The inputs ``source`` holds, with their satuan: every one in a hostile draw (a name
    in two tables is two rows of it); in a complete draw each ``[[input]]`` in the table
    it names (else the first inputs table), an indicator typed in in the first."""
    names = input_names(plan.definitions)
    if not plan.complete:
        return [(name, unit) for name, _indicator, unit in names]
    tables = [s.id for s in plan.definitions.sources if s.kind == "inputs"]
    declared = {item.name: item.source for item in plan.definitions.inputs}
    home = {
        name: declared[name] if declared.get(name) in tables else tables[0]
        for name, _indicator, _unit in names
    }
    return [(name, unit) for name, _indicator, unit in names if home[name] == source.id]


@st.composite
def _inputs(draw: st.DrawFn, plan: _Plan, source: Source) -> tuple[Mapping[str, object], ...]:
    """Each input for the year and the one before, some missing, some at their edges: for
    the whole area and, in a table with region columns, for every declared region (or some).
    Complete: every one, the whole area's and a larger region's value of an additive input
    the sum of its regions'."""
    definitions, year = plan.definitions, plan.year
    rows: list[dict[str, object]] = []
    table = unit_table(definitions)
    where: tuple[Place, ...] = ({},)
    if source.regions:
        where = partial(source, definitions, places(definitions, source, widest=None))
    additive = {item.name for item in definitions.inputs if item.additive}
    for name, unit in _input_names(plan, source):
        least = None if not plan.complete else int(name in plan.roles.positive_inputs)
        nilai = _nilai(source, table.counts(unit), least)
        for tahun in (year - 1, year):
            reported = _reported(draw, len(where), every=plan.complete)
            values = draw(st.lists(nilai, min_size=1, max_size=3))
            for index, place in enumerate(where):
                if reported >> index & 1:
                    value = values[index % len(values)]
                    rows.append(
                        _row(source, {"nama": name, "tahun": tahun, "nilai": value, **place})
                    )
        if plan.complete and name in additive:
            sum_up(source, [row for row in rows if row["nama"] == name])
    return tuple(rows)


def datasets(
    definitions: Definitions,
    *,
    year: int | None = None,
    max_rows: int = 30,
    complete: bool | None = None,
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

    Half the datasets are complete (:attr:`Dataset.complete`), so that every formula is
    reached: every period of every region reported, no cell blank, no row twice, no
    register empty, every input there, what a formula divides by above 0, and each
    denominator an indicator states its numerator within raised to hold it
    (:mod:`iku_rules.testing.complete`); ``complete=True`` draws only those,
    ``complete=False`` only the hostile ones.

    Write a drawn :class:`Dataset` with :meth:`Dataset.write` and evaluate
    :func:`as_csv` ``(definitions)`` on the folder.
    """
    year = year if year is not None else _default_year(definitions)
    plan = _Plan(definitions, year, filter_values(definitions), max_rows, roles(definitions))
    return _dataset(plan, st.booleans() if complete is None else st.just(complete))


@st.composite
def _dataset(draw: st.DrawFn, plan: _Plan, complete: st.SearchStrategy[bool]) -> Dataset:
    """The tables of one draw, complete or hostile."""
    plan = evolve(plan, complete=draw(complete))
    tables: dict[str, tuple[Mapping[str, object], ...]] = {}
    for source in plan.definitions.sources:
        if source.kind == "register":
            tables[source.id] = draw(_register(plan, source))
        elif source.kind == "realisasi":
            tables[source.id] = draw(_realisasi(plan, source))
        else:
            tables[source.id] = draw(_inputs(plan, source))
    if plan.complete:
        rows = {key: [dict(row) for row in table] for key, table in tables.items()}
        fit(plan.definitions, rows, plan.roles.wholes, plan.year)
        tables = {key: tuple(table) for key, table in rows.items()}
    return Dataset(plan.year, tables, plan.complete)
