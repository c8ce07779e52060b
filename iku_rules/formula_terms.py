"""What a formula's numerator or denominator adds up, read from its syntax tree: the columns
of registers and tables, the rows counted, the inputs (:class:`Term`, :func:`summed_terms`);
and how a row counts toward them: whether it passes a filter, its place and its year.

The property-test kit draws its complete datasets by it (:mod:`iku_rules.testing.complete`:
a denominator that holds its numerator) and ``iku sample-data`` draws an office's ratios
near their targets (:mod:`iku_rules.sample.ratios`). Nothing here names an office: the
sources, measures and inputs are the definitions'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal

from attrs import evolve, frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.model import Definitions, Input, Measure, Source
from iku_rules.regions import region_key
from iku_rules.sources.python_engine import predicate


@frozen
class Term:
    """What one part of a numerator adds up: ``column`` of the rows of ``source`` (its
    values above 0), each row 1 (``column`` None: a count), or the rows of ``input``;
    ``condition`` the filter its rows pass, if any."""

    source: str
    column: str | None = None
    input: str | None = None
    condition: ast.Node | None = None


def as_declared(definitions: Definitions, term: Term) -> Term:
    """``term`` with its column spelled as its source declares it (a formula's ``r.Gaji``
    is the column ``gaji``)."""
    found = Term(term.source, term.column, term.input, term.condition)
    for source in definitions.sources:
        for column in source.columns if source.id == term.source else ():
            if term.column is not None and name_key(column) == name_key(term.column):
                return evolve(found, column=column)
    return found


def summed_terms(
    node: ast.Node,
    measures: Mapping[str, object],
    inputs: Mapping[str, object],
    registers: Mapping[str, Source],
) -> list[Term] | None:
    """What ``node`` adds up, each term at most what its rows hold; None when it is not
    a sum of aggregates, measures and inputs (a difference, a number, a call)."""
    if isinstance(node, ast.Aggregate):
        inner = node.operand
        if isinstance(inner, ast.Field):
            base, condition = filter_parts(inner.base)
            if isinstance(base, ast.Name) and base.key in registers:
                column = None if node.func == "count" else inner.name
                return [Term(registers[base.key].id, column, condition=condition)]
            return None
        return summed_terms(inner, measures, inputs, registers)
    if isinstance(node, ast.Filter):
        base, condition = filter_parts(node)
        if isinstance(base, ast.Name) and base.key in registers:
            return [Term(registers[base.key].id, condition=condition)]
        return None
    if isinstance(node, ast.Name):
        found = measures.get(node.key) or inputs.get(node.key)
        if isinstance(found, Measure):
            column = found.column if found.aggregate == "sum" else None
            condition = found.filter.body if found.filter is not None else None
            return [Term(found.source, column, condition=condition)]
        if isinstance(found, Input):
            return [Term(found.source, input=found.name)]
        if node.key in registers:
            return [Term(registers[node.key].id)]
        return None
    if isinstance(node, ast.Sum) and all(op == "+" for op in node.ops):
        found_terms: list[Term] = []
        for operand in node.operands:
            more = summed_terms(operand, measures, inputs, registers)
            if more is None:
                return None
            found_terms += more
        return found_terms
    return None


def filter_parts(node: ast.Node) -> tuple[ast.Node, ast.Node | None]:
    """The records ``register[condition]`` stands for: the register and the condition."""
    if isinstance(node, ast.Filter) and not isinstance(node.base, ast.Filter):
        return node.base, node.condition
    return node, None


def row_test(condition: ast.Node | None) -> Callable[[Mapping[str, object]], bool]:
    """Whether a row passes ``condition`` as the engine reads it (a row the kit cannot
    tell counts: at most too many rows are made)."""
    if condition is None:
        return lambda row: True
    try:
        test = predicate(condition)
    except Exception:  # a filter the Python engine refuses: every row may pass
        return lambda row: True

    def passes(row: Mapping[str, object]) -> bool:
        stored = {
            key: Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for key, value in row.items()
        }
        try:
            return test(stored)
        except Exception:  # a value the filter refuses: it may pass
            return True

    return passes


def row_place(
    source: Source, row: Mapping[str, object], canonical: Mapping[tuple[str, str], str]
) -> dict[str, str]:
    """The row's region cells by level, each as the plain name of its region."""
    found = {}
    for level, column in source.regions.items():
        value = row.get(column)
        if value is not None and str(value).strip():
            key = region_key(str(value))
            found[level] = canonical.get((level, key), key)
    return found


def places_overlap(one: Mapping[str, str], other: Mapping[str, str]) -> bool:
    """Whether two places can hold one another: they name no level differently."""
    return all(one[level] == other[level] for level in one.keys() & other.keys())


def row_year(source: Source, row: Mapping[str, object]) -> int | None:
    """The year of a row: of its period, its ``tahun``, its date; None when it has none."""
    if source.grain is not None:
        value = row.get(source.grain.column)
    elif source.kind == "inputs":
        value = row.get("tahun")
    elif source.date_column is not None:
        value = row.get(source.date_column)
    else:
        return None
    if isinstance(value, dt.date):
        return value.year
    text = str(value)[:4] if value is not None else ""
    return int(text) if text.isdigit() else None
