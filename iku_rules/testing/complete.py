"""What a *complete* draw of the kit respects, read from the definitions: the data in which
every formula can have a value.

A property test that never reaches a formula proves nothing about it. Drawn at random,
a ratio over a table of months is almost never there (one month or one puskesmas missing,
one blank cell is enough), a numerator stated within its denominator often exceeds it, a
denominator is 0. So the kit draws half its datasets complete (:func:`datasets
<iku_rules.testing.data.datasets>`): every unit reports every period, no cell is blank,
and, from the formulas:

* the columns and inputs a formula divides by (:attr:`Roles.positive`) are drawn above 0;
* where an indicator states ``numerator_within_denominator``, its denominator (a sum of a
  column, or an input) is raised, row by row, to what its numerator can count in the
  row's place and year (:attr:`Roles.wholes`, :func:`fit`): at least the row's own part
  in the same table (``persalinan_faskes`` ≤ ``kelahiran_hidup``), at least the sum of
  another table's parts in its place and year (a kecamatan's yearly sasaran ≥ its
  puskesmas' K4 of the twelve months). Values are only ever raised, to the numerator's
  sum where they were below it, so a ratio of exactly 100 % is drawn as well;
* where that denominator counts the rows of a register (``Σ PMKS`` over the service
  log's ``Σ PMKS yang Tertangani``), the register gets a row passing its filter
  (:mod:`iku_rules.testing.witness`) for each row of the other register the numerator
  can count, in that row's place and on its day, each its own entity.

Each filter of a register also gets a row passing it in every place (the witnesses of
:mod:`iku_rules.testing.witness`), so that no measure is left without rows.

Nothing here names an office: sources, grains, regions, measures and inputs are the
definitions'. What the numerator can count is over-counted where a place cannot be told
(a row of a larger region counts in each of its smaller ones): a whole raised too far is
still a whole, and a ratio the kit could not bound only goes back to being hostile.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import count

from attrs import evolve, frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.formula_terms import (
    Term,
    as_declared,
    filter_parts,
    places_overlap,
    row_place,
    row_test,
    row_year,
    summed_terms,
)
from iku_rules.keyed_rows import region_columns
from iku_rules.model import Definitions, Input, Measure, Source
from iku_rules.regions import region_key
from iku_rules.sources.cells import IDENTIFIER_LENGTHS
from iku_rules.testing.witness import cells_for, fresh_entity, satisfying

Row = dict[str, object]


@frozen
class Whole:
    """A denominator a numerator is stated to lie within: the sum of ``column`` of
    ``source``, the input ``input``'s ``nilai``, or (``count``) the rows of the register
    ``source`` that pass ``condition`` (``entities``: their distinct values, and those of
    an entity whose latest record counts); ``parts`` what the numerator adds up."""

    source: str
    column: str | None
    input: str | None
    parts: tuple[Term, ...]
    count: bool = False
    condition: ast.Node | None = None
    entities: tuple[str, ...] = ()


@frozen
class Roles:
    """What a complete draw respects (:func:`roles`)."""

    positive: frozenset[tuple[str, str]] = frozenset()
    """``(source id, column)``: summed in a denominator, drawn above 0."""
    positive_inputs: frozenset[str] = frozenset()
    """Inputs a formula divides by, drawn above 0."""
    wholes: tuple[Whole, ...] = ()
    """The denominators stated to hold their numerators."""


def roles(definitions: Definitions) -> Roles:
    """The columns and inputs the formulas divide by, and the wholes of every ratio an
    indicator states its numerator within."""
    measures = {m.key: m for m in definitions.measures}
    inputs = {name_key(i.name): i for i in definitions.inputs}
    registers = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}
    positive: set[tuple[str, str]] = set()
    positive_inputs: set[str] = set()
    for indicator in definitions.indicators:
        if indicator.formula is None:
            continue
        for node in ast.walk(indicator.formula.body):
            if not isinstance(node, ast.Product):
                continue
            for op, operand in zip(node.ops, node.operands[1:], strict=True):
                if op != "/":
                    continue
                for found in summed_terms(operand, measures, inputs, registers) or ():
                    term = as_declared(definitions, found)
                    if term.input is not None:
                        positive_inputs.add(term.input)
                    elif term.column is not None:
                        positive.add((term.source, term.column))
    wholes: list[Whole] = []
    for indicator in definitions.indicators:
        numerator, denominator = indicator.numerator, indicator.denominator
        if indicator.percent_statement != "within" or numerator is None or denominator is None:
            continue
        whole = _whole(denominator, measures, inputs, registers)
        parts = summed_terms(numerator, measures, inputs, registers)
        if whole is not None and parts:
            spelled = tuple(as_declared(definitions, part) for part in parts)
            wholes.append(evolve(whole, column=_column_declared(definitions, whole), parts=spelled))
    merged: dict[Whole, tuple[Term, ...]] = {}  # one register counted for several numerators
    for whole in wholes:
        key = evolve(whole, parts=()) if whole.count else whole
        merged[key] = tuple(dict.fromkeys((*merged.get(key, ()), *whole.parts)))
    held = tuple(evolve(whole, parts=parts) for whole, parts in merged.items())
    return Roles(frozenset(positive), frozenset(positive_inputs), held)


def _column_declared(definitions: Definitions, whole: Whole) -> str | None:
    """The column of ``whole`` spelled as its source declares it."""
    return as_declared(definitions, Term(whole.source, whole.column, whole.input)).column


def _whole(
    node: ast.Node,
    measures: Mapping[str, object],
    inputs: Mapping[str, object],
    registers: Mapping[str, Source],
) -> Whole | None:
    """The denominator as a column every row of its source adds to (a sum measure of all
    the rows, ``Σ register.column``), an input, or the rows of a register that pass a
    filter (a count, ``Σ register[…]``); None for any other (a sum of some rows)."""
    if isinstance(node, ast.Aggregate) and node.func == "sum":
        inner = node.operand
        if isinstance(inner, ast.Field) and isinstance(inner.base, ast.Name):
            source = registers.get(inner.base.key)
            return Whole(source.id, inner.name, None, ()) if source is not None else None
        base, condition = filter_parts(inner)
        if isinstance(base, ast.Name) and base.key in registers:
            return Whole(registers[base.key].id, None, None, (), True, condition)
        return _whole(inner, measures, inputs, registers)
    if isinstance(node, ast.Name):
        found = measures.get(node.key) or inputs.get(node.key)
        if isinstance(found, Measure) and found.aggregate == "sum":
            whole = found.filter is None and found.latest is None and found.column
            return Whole(found.source, found.column, None, ()) if whole else None
        if isinstance(found, Measure):
            condition = found.filter.body if found.filter is not None else None
            entities = (found.column, found.latest.per if found.latest is not None else None)
            named = tuple(dict.fromkeys(column for column in entities if column))
            return Whole(found.source, None, None, (), True, condition, named)
        if isinstance(found, Input):
            return Whole(found.source, None, found.name, ())
    return None


# -- raising the wholes


def fit(
    definitions: Definitions, tables: Mapping[str, list[Row]], wholes: Sequence[Whole], year: int
) -> None:
    """Make, in place, every whole of ``tables`` (rows by source id) hold what its
    numerator can count in each row's place and year: a register counted gets a row that
    passes its filter for each row another register's numerator can count (each its own
    entity, in that row's place and on its day); a sum or an input is raised (an additive
    input's smallest regions, their sums made again), a whole that is itself the part of
    another first (a few rounds: values only go up)."""
    sources = {source.id: source for source in definitions.sources}
    additive = {item.name for item in definitions.inputs if item.additive}
    canonical = {
        (region.level, region_key(region.name)): region_key(region.plain)
        for region in definitions.regions
    }
    fresh = count(2000)
    for whole in wholes:
        if whole.count and whole.source in tables:
            tables[whole.source].extend(_counted(definitions, whole, tables, year, fresh))
    placed = {
        source_id: [row_place(sources[source_id], row, canonical) for row in rows]
        for source_id, rows in tables.items()
        if source_id in sources
    }
    for _round in range(len(wholes) + 1):
        changed = False
        for whole in wholes:
            source = sources.get(whole.source)
            column = "nilai" if whole.input is not None else whole.column
            if source is None or whole.source not in tables or column is None:
                continue
            rows = tables[whole.source]
            summed = whole.input in additive
            for index, row in enumerate(rows):
                if whole.input is not None and row.get("nama") != whole.input:
                    continue
                if summed and len(placed[whole.source][index]) < len(source.regions):
                    continue  # a sum of smaller regions: made again below
                place = placed[whole.source][index]
                need = _need(whole, source, row, place, tables, sources, placed)
                changed |= _raise(row, column, source.columns.get(column), need)
            if summed:
                sum_up(source, [r for r in rows if r.get("nama") == whole.input])
        if not changed:
            return


def _counted(
    definitions: Definitions,
    whole: Whole,
    tables: Mapping[str, Sequence[Row]],
    year: int,
    fresh: Iterator[int],
) -> list[Row]:
    """Rows of the register ``whole`` counts, one for each row of another register its
    numerator can count (a row passing the part's filter): passing the whole's filter, in
    that row's place (as far as the two hold the same levels) and on its day (else the
    first day of the year before), each its own entity. None when the kit cannot solve
    the whole's filter, or the register is a table of values per period."""
    sources = {source.id: source for source in definitions.sources}
    target = sources[whole.source]
    solved = satisfying(whole.condition) if whole.condition is not None else {}
    columns = {name_key(column): column for column in target.columns}
    cells = cells_for(target, columns, solved) if solved is not None else None
    if cells is None or target.grain is not None:
        return []
    levels = region_columns(target, definitions.level_ids())
    parts: dict[str, list[Callable[[Mapping[str, object]], bool]]] = {}
    for term in whole.parts:
        if term.source != whole.source:  # a part of the same register: its filter tells
            parts.setdefault(term.source, []).append(row_test(term.condition))
    added: list[Row] = []
    for source_id, tests in parts.items():
        other = sources.get(source_id)
        if other is None or other.kind != "register":
            continue
        for row in tables.get(source_id, ()):
            if not any(passes(row) for passes in tests):
                continue
            made: Row = {column: _filler(kind) for column, kind in target.columns.items()}
            made.update(dict.fromkeys(target.regions.values()))  # blank unless named below
            for level, column in levels:  # the row's place, largest level first
                value = row.get(other.regions.get(level, ""))
                if value is None:
                    break
                made[column] = value
            if target.date_column is not None:
                day = row.get(other.date_column or "")
                made[target.date_column] = (
                    day if isinstance(day, dt.date) else dt.date(year - 1, 1, 1)
                )
            number = next(fresh)
            for column, kind in target.columns.items():
                if column in whole.entities or kind in IDENTIFIER_LENGTHS:
                    made[column] = fresh_entity(target, column, number)
            made.update(cells)  # what the whole's filter asks, last
            added.append(made)
    return added


def _filler(kind: str) -> object:
    """A cell of ``kind`` no filter of a complete draw needs: 0, a date, a text no filter
    names."""
    if kind in ("integer", "decimal"):
        return 0
    return dt.date(2000, 1, 1) if kind == "date" else "lainnya"


def _need(
    whole: Whole,
    source: Source,
    row: Row,
    place: Mapping[str, str],
    tables: Mapping[str, Sequence[Row]],
    sources: Mapping[str, Source],
    placed: Mapping[str, Sequence[Mapping[str, str]]],
) -> Decimal:
    """The most the numerator of ``whole`` can count where ``row`` counts: its own part
    (a part in the same table), the parts of other tables' rows in its place and year."""
    # a register without periods counts its rows in every later period: any year's parts
    year = row_year(source, row) if source.grain is not None or source.kind == "inputs" else None
    need = Decimal(0)
    for term in whole.parts:
        if term.source == whole.source and term.input is None:
            need += _part(term, row)
            continue
        other = sources.get(term.source)
        if other is None:
            continue
        for index, candidate in enumerate(tables.get(term.source, ())):
            if term.input is not None and candidate.get("nama") != term.input:
                continue
            if not places_overlap(place, placed[term.source][index]):
                continue
            when = row_year(other, candidate)
            if year is not None and when is not None:
                periodic = other.grain is not None or other.kind == "inputs"
                if when > year or (periodic and when != year):
                    continue
            need += _part(term, candidate)
    return need


def _part(term: Term, row: Mapping[str, object]) -> Decimal:
    """What one row adds to a term, at most: its value above 0, or 1 for a count."""
    if term.input is None and term.column is None:
        return Decimal(1)
    value = row.get("nilai" if term.input is not None else term.column or "")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return Decimal(0)
    return max(Decimal(value), Decimal(0))


def _raise(row: Row, column: str, kind: str | None, need: Decimal) -> bool:
    """Raise ``row``'s ``column`` to ``need`` (a whole number in an integer column);
    whether it changed."""
    value = row.get(column)
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and value >= need:
        return False
    row[column] = math.ceil(need) if kind == "integer" else need
    return True


def sum_up(source: Source, rows: Sequence[Row]) -> None:
    """Make an additive input's rows of larger places (and of the whole area), in place,
    the sum of the rows of the smallest places in them, year by year, so that no two
    levels disagree."""
    columns = list(source.regions.values())
    finest = [r for r in rows if all(r.get(c) is not None for c in columns)]
    for row in rows:
        if any(row is r for r in finest):
            continue
        given = [c for c in columns if row.get(c) is not None]
        inside = [
            r["nilai"]
            for r in finest
            if r.get("tahun") == row.get("tahun") and all(r.get(c) == row.get(c) for c in given)
        ]
        numbers = [v for v in inside if isinstance(v, int | Decimal)]
        if inside and len(numbers) == len(inside):
            row["nilai"] = sum(numbers, Decimal(0))
