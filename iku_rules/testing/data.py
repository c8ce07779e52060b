"""Hypothesis strategies for the data of a definitions folder: registers, realisasi and inputs
drawn at the edges the definitions care about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from attrs import evolve, frozen
from hypothesis import strategies as st

from iku_rules.additive import unit_table
from iku_rules.ast import name_key
from iku_rules.model import Definitions, Source
from iku_rules.sample.needs import filter_values, input_names
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.sources.csv_file import write_csv

REGIONS = ("Kecamatan A", "Kecamatan B", "Kecamatan C")
"""The regions generated data is spread over."""


OTHER_TEXT = "lainnya"
"""A text no filter of the definitions names, so that some rows pass no filter."""


NUMBER_EDGES = tuple(
    Decimal(text) for text in ("0", "1", "-1", "0.01", "99.99", "100", "100.01", "1000000000000")
)
"""Numbers at the edges indicator formulas meet: zero, a unit, a cent, either side of 100, a
budget in rupiah; and one below zero."""


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


def _column_values(definitions: Definitions) -> dict[str, list[object]]:
    """The literal values the definitions compare each column name with (by name key), and
    the declared names of each source's region columns."""
    found = filter_values(definitions)
    for source in definitions.sources:  # region columns take the declared names
        for level, held_in in source.regions.items():
            declared = [region.name for region in definitions.regions_at(level)]
            if declared:
                found[_REGION_KEY + source.id + "\0" + held_in] = list(declared[:3])
    return found


_REGION_KEY = "\0regions\0"
"""Where :func:`_column_values` files the declared names of a source's region column."""


def _region_names(
    source: Source, column: str, vocabulary: Mapping[str, list[object]]
) -> tuple[str, ...]:
    """The names to draw for a region column: three declared ones, else :data:`REGIONS`."""
    declared = vocabulary.get(_REGION_KEY + source.id + "\0" + column)
    return tuple(str(name) for name in declared) if declared else REGIONS


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
    source: Source, column: str, kind: str, year: int, vocabulary: Mapping[str, list[object]]
) -> st.SearchStrategy[object]:
    key = name_key(column)
    if column == source.date_column:
        return _dates(year)
    if column == source.region_column or column in source.regions.values():
        return st.one_of(st.sampled_from(_region_names(source, column, vocabulary)), st.none())
    if kind == "date":
        return st.one_of(_dates(year), st.none())
    if kind in ("integer", "decimal"):
        known = [v for v in vocabulary.get(key, ()) if isinstance(v, Decimal)]
        options = [st.sampled_from(known)] if known else []
        return st.one_of(*options, _numbers(kind), st.none())
    if kind in IDENTIFIER_LENGTHS:
        # a NIK, No KK or NIP of its length: few, so that some people repeat
        length = IDENTIFIER_LENGTHS[kind]
        people = st.sampled_from([f"36{n:0{length - 2}d}" for n in range(1, 9)])
        return people if column == next(iter(source.columns)) else st.one_of(people, st.none())
    if column == next(iter(source.columns)):
        # the first column names the person or household: few, so that some repeat
        return st.sampled_from([f"{column}-{n}" for n in range(1, 9)])
    known_texts = [str(v) for v in vocabulary.get(key, ())]
    return st.one_of(st.sampled_from([*known_texts, OTHER_TEXT]), st.none())


@st.composite
def _register(
    draw: st.DrawFn,
    source: Source,
    year: int,
    vocabulary: Mapping[str, list[object]],
    max_rows: int,
) -> tuple[Mapping[str, object], ...]:
    cells = {
        column: _cell(source, column, kind, year, vocabulary)
        for column, kind in source.columns.items()
    }
    # Hypothesis keeps lists short; a register is as often empty or full as in between.
    size = draw(st.one_of(st.sampled_from([0, 1, max_rows]), st.integers(0, max_rows)))
    rows = draw(st.lists(st.fixed_dictionaries(cells), min_size=size, max_size=size))
    return tuple(rows)


def _periods(year: int) -> list[str]:
    return [f"{y}-TW{q}" for y in (year - 1, year) for q in (1, 2, 3, 4)]


@st.composite
def _realisasi(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """One row per indicator, triwulan and region (or the whole kabupaten), some missing."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    for indicator in definitions.indicators:
        if indicator.formula_kind != "realisasi":
            continue
        places: tuple[str | None, ...] = (None,)
        if source.region_column:
            names = _region_names(source, source.region_column, _column_values(definitions))
            places = draw(st.sampled_from([(None,), names, (None, *names)]))
        cells = [(periode, place) for periode in _periods(year) for place in places]
        # A few draws per indicator, not per row, so that the registers keep Hypothesis's
        # budget: which cells are reported (about three in four), and the values they cycle.
        reported = draw(st.integers(0, 2 ** len(cells) - 1)) | draw(
            st.integers(0, 2 ** len(cells) - 1)
        )
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
            }
            if source.region_column:
                row[source.region_column] = place
            rows.append(_row(source, row))
    return tuple(rows)


@st.composite
def _inputs(
    draw: st.DrawFn, source: Source, definitions: Definitions, year: int
) -> tuple[Mapping[str, object], ...]:
    """Each input for the year and the one before, some missing, some at their edges."""
    rows: list[Mapping[str, object]] = []
    table = unit_table(definitions)
    for name, _, unit in input_names(definitions):
        nilai = _nilai(source, table.counts(unit))
        for tahun in (year - 1, year):
            if not draw(st.booleans()) and draw(st.booleans()):
                continue
            rows.append(_row(source, {"nama": name, "tahun": tahun, "nilai": draw(nilai)}))
    return tuple(rows)


def datasets(
    definitions: Definitions, *, year: int | None = None, max_rows: int = 30
) -> st.SearchStrategy[Dataset]:
    """Data for every source of ``definitions``: registers of 0 to ``max_rows`` rows whose
    texts are those the filters name (and one they do not), dates of ``year`` and the year
    before at the edges of a triwulan, blank cells, people counted twice; realisasi for
    each triwulan with gaps; inputs at their edges or missing.

    Write a drawn :class:`Dataset` with :meth:`Dataset.write` and evaluate
    :func:`as_csv` ``(definitions)`` on the folder.
    """
    year = year if year is not None else _default_year(definitions)
    vocabulary = _column_values(definitions)
    tables: dict[str, st.SearchStrategy[tuple[Mapping[str, object], ...]]] = {}
    for source in definitions.sources:
        if source.kind == "register":
            tables[source.id] = _register(source, year, vocabulary, max_rows)
        elif source.kind == "realisasi":
            tables[source.id] = _realisasi(source, definitions, year)
        else:
            tables[source.id] = _inputs(source, definitions, year)
    return st.fixed_dictionaries(tables).map(lambda drawn: Dataset(year, drawn))
