"""Checks of sources and measures: a measure's source is a register, its column and the fields of
its filter exist, identifier columns typed as identifiers."""

from __future__ import annotations

from collections.abc import Iterable

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.check.cascade import _twice
from iku_rules.check.common import ROWS, _diagnostic, place
from iku_rules.errors import FormulaError
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.values import Binding
from iku_rules.formula import Formula
from iku_rules.model import Definitions, Diagnostic, Location
from iku_rules.sources.paths import outside_data
from iku_rules.suggest import did_you_mean

IDENTIFIER_COLUMNS = {"nik": "nik", "no_kk": "no_kk", "nokk": "no_kk", "kk": "no_kk", "nip": "nip"}
"""Column names that hold identifiers, and the type that checks them."""


def check_identifier_columns(definitions: Definitions) -> list[Diagnostic]:
    """A column named like an identifier (nik, no_kk, nip) declared as a number: Excel and
    numbers lose what makes an identifier (1.2E+15, leading zeros), so say what to declare."""
    found = []
    for source in definitions.sources:
        for column, kind in source.columns.items():
            wanted = IDENTIFIER_COLUMNS.get(column.strip().casefold().replace(" ", "_"))
            if wanted is None or kind not in ("integer", "decimal"):
                continue
            found.append(
                _diagnostic(
                    f"the column '{column}' of source '{source.id}' holds identifiers but is"
                    f" declared {kind}: a number loses leading zeros, and Excel turns a long one"
                    " into 3.60103E+15",
                    source.location,
                    definitions,
                    severity="warning",
                    suggestion=f'declare it {column} = "{wanted}"',
                    code="identifier",
                )
            )
    return found


def check_sources(definitions: Definitions) -> list[Diagnostic]:
    found = _twice(
        [(source.id, source.location, "source") for source in definitions.sources],
        definitions,
        "duplicate-source",
    )
    required = {
        "realisasi": ("indikator", "periode", "nilai"),
        "inputs": ("nama", "tahun", "nilai"),
    }
    for source in definitions.sources:
        if outside_data(source.path):
            found.append(
                _diagnostic(
                    f"the path '{source.path}' of source '{source.id}' leads outside the data"
                    " folder; evaluation refuses to read it unless allowed explicitly"
                    " (--allow-outside-data)",
                    source.location,
                    definitions,
                    severity="warning",
                    suggestion="give the path relative to the data folder, inside it",
                    code="outside-data",
                )
            )
        missing = [
            column for column in required.get(source.kind, ()) if column not in source.columns
        ]
        if missing:
            found.append(
                _diagnostic(
                    f"the {source.kind} source '{source.id}' must declare the columns"
                    f" {', '.join(required[source.kind])}; it lacks {', '.join(missing)}",
                    source.location,
                    definitions,
                    code="column",
                )
            )
        for column_field in ("date_column", "region_column", "breakdown_column"):
            column = getattr(source, column_field)
            if column and source.columns and column not in source.columns:
                found.append(
                    _diagnostic(
                        f"the {column_field.replace('_', ' ')} '{column}' of source '{source.id}' is not one of its columns",
                        source.location,
                        definitions,
                        suggestion=did_you_mean(column, list(source.columns)),
                        code="column",
                    )
                )
    return found


def check_measures(definitions: Definitions) -> list[Diagnostic]:
    found = []
    sources = {source.id: source for source in definitions.sources}
    for measure in definitions.measures:
        source = sources.get(measure.source)
        if source is None:
            found.append(
                _diagnostic(
                    f"measure '{measure.name}' reads the unknown source '{measure.source}'",
                    measure.location,
                    definitions,
                    suggestion=did_you_mean(measure.source, list(sources)),
                    code="unknown-source",
                )
            )
            continue
        if source.kind != "register":
            found.append(
                _diagnostic(
                    f"measure '{measure.name}' must read a register, but '{source.id}' is the {source.kind} table",
                    measure.location,
                    definitions,
                    code="source-kind",
                )
            )
        columns = list(source.columns)
        if measure.column and columns and measure.column not in columns:
            found.append(
                _diagnostic(
                    f"measure '{measure.name}' counts the column '{measure.column}', which source '{source.id}' does not have",
                    measure.location,
                    definitions,
                    suggestion=did_you_mean(measure.column, columns),
                    code="column",
                )
            )
        if measure.filter is not None:
            found += _check_filter(
                definitions,
                measure.filter,
                columns,
                measure.filter_location,
                measure.filter_exact,
                f"measure '{measure.name}'",
            )
    return found


def _check_filter(
    definitions: Definitions,
    condition: Formula,
    columns: list[str],
    start: Location | None,
    exact: bool,
    owner: str,
) -> list[Diagnostic]:
    wrapped = Formula(
        ast.Aggregate("count", ast.Filter(ast.Name(ROWS), condition.body)), condition.text
    )
    try:
        Compiler(wrapped, {ROWS: Binding("records")}).compile()
    except FormulaError as error:
        return [
            _diagnostic(
                f"the filter of {owner}: {error.message}",
                place(start, error.span, exact),
                definitions,
                suggestion='a filter compares columns with values, like kategori = "Anak Terlantar"',
                code="filter",
            )
        ]
    return _check_fields(definitions, ast.walk(condition.body), columns, start, exact, owner)


def _check_fields(
    definitions: Definitions,
    nodes: Iterable[ast.Node],
    columns: list[str],
    start: Location | None,
    exact: bool,
    owner: str,
) -> list[Diagnostic]:
    if not columns:
        return []
    keys = {name_key(column) for column in columns}
    found = []
    for node in nodes:
        if isinstance(node, ast.Name) and node.key not in keys:
            found.append(
                _diagnostic(
                    f"{owner} filters on '{node.text}', which is not a column of its source",
                    place(start, node.span, exact),
                    definitions,
                    suggestion=did_you_mean(node.text, columns),
                    code="column",
                )
            )
    return found
