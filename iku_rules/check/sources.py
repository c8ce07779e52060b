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
from iku_rules.i18n import N_, _
from iku_rules.model import Definitions, Diagnostic, Location, Source
from iku_rules.sources.paths import outside_data
from iku_rules.suggest import did_you_mean

IDENTIFIER_COLUMNS = {"nik": "nik", "no_kk": "no_kk", "nokk": "no_kk", "kk": "no_kk", "nip": "nip"}
"""Column names that hold identifiers, and the type that checks them."""

_ROLE_MISSING = {
    "date_column": N_("the date column '{column}' of source '{id}' is not one of its columns"),
    "region_column": N_("the region column '{column}' of source '{id}' is not one of its columns"),
    "breakdown_column": N_(
        "the breakdown column '{column}' of source '{id}' is not one of its columns"
    ),
}
"""A column a source names for a role that is not among its columns."""


def check_identifier_columns(definitions: Definitions) -> list[Diagnostic]:
    """A column named like an identifier (nik, no_kk, nip) declared as a number or as text:
    Excel and numbers lose what makes an identifier (1.2E+15, leading zeros), and a text
    column takes what they made of it as it stands, so say what to declare."""
    found = []
    for source in definitions.sources:
        for column, kind in source.columns.items():
            wanted = IDENTIFIER_COLUMNS.get(column.strip().casefold().replace(" ", "_"))
            if wanted is None or kind not in ("integer", "decimal", "text"):
                continue
            message = _(
                "the column '{column}' of source '{id}' holds identifiers but is"
                " declared {type}: a number loses leading zeros, and Excel turns a long"
                " one into 3.60103E+15"
            )
            if kind == "text":
                message = _(
                    "the column '{column}' of source '{id}' holds identifiers but is declared"
                    " {type}: an identifier Excel turned into 3.60103E+15 (or wrote with a"
                    " digit missing) would be read as it stands, and two people counted as"
                    " one"
                )
            found.append(
                _diagnostic(
                    message.format(column=column, id=source.id, type=kind),
                    source.location,
                    definitions,
                    severity="warning",
                    suggestion=_('declare it {column} = "{type}"').format(
                        column=column, type=wanted
                    ),
                    code="identifier",
                )
            )
    return found


def check_sources(definitions: Definitions) -> list[Diagnostic]:
    found = _twice(
        [(source.id, source.location, _("source")) for source in definitions.sources],
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
                    _(
                        "the path '{path}' of source '{id}' leads outside the data"
                        " folder; evaluation refuses to read it unless allowed explicitly"
                        " (--allow-outside-data)"
                    ).format(path=source.path, id=source.id),
                    source.location,
                    definitions,
                    severity="warning",
                    suggestion=_("give the path relative to the data folder, inside it"),
                    code="outside-data",
                )
            )
        missing = [
            column for column in required.get(source.kind, ()) if column not in source.columns
        ]
        if missing:
            found.append(
                _diagnostic(
                    _(
                        "the {kind} source '{id}' must declare the columns {columns};"
                        " it lacks {missing}"
                    ).format(
                        kind=source.kind,
                        id=source.id,
                        columns=", ".join(required[source.kind]),
                        missing=", ".join(missing),
                    ),
                    source.location,
                    definitions,
                    code="required-columns",
                )
            )
        found.extend(_time_unstated(source, definitions))
        for column_field in ("date_column", "region_column", "breakdown_column"):
            column = getattr(source, column_field)
            if column and source.columns and column not in source.columns:
                found.append(
                    _diagnostic(
                        _(_ROLE_MISSING[column_field]).format(column=column, id=source.id),
                        source.location,
                        definitions,
                        suggestion=did_you_mean(column, list(source.columns)),
                        code="unknown-column",
                    )
                )
    return found


def _time_unstated(source: Source, definitions: Definitions) -> list[Diagnostic]:
    """A dated register that does not say how its rows count in time, read by a measure
    that does not say either: each row dated on or before the period's end counts (a
    register's state), so events (services given) would count every earlier year's too."""
    if source.kind != "register" or not source.date_column or source.time_location is not None:
        return []
    unstated = [m.name for m in definitions.measures if m.source == source.id and m.time is None]
    if not unstated:
        return []
    message = _(
        "source '{id}' has a date_column but does not say how its rows count in time, so"
        ' {measures} read it as time = "state": every row dated on or before the end of the'
        " period counts, as in a register of people; rows that are events (services given)"
        " would then count every earlier year's too"
    ).format(id=source.id, measures=", ".join(f"'{name}'" for name in unstated))
    suggestion = _(
        'write time = "flow" in its [[source]] if a row counts in the period it is dated in,'
        ' or time = "state" if it counts from its date on'
    )
    return [
        _diagnostic(
            message,
            source.location,
            definitions,
            severity="warning",
            suggestion=suggestion,
            code="time-unstated",
        )
    ]


def check_measures(definitions: Definitions) -> list[Diagnostic]:
    found = []
    sources = {source.id: source for source in definitions.sources}
    for measure in definitions.measures:
        source = sources.get(measure.source)
        if source is None:
            found.append(
                _diagnostic(
                    _("measure '{name}' reads the unknown source '{source}'").format(
                        name=measure.name, source=measure.source
                    ),
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
                    _(
                        "measure '{name}' must read a register, but '{source}' is the {kind} table"
                    ).format(name=measure.name, source=source.id, kind=source.kind),
                    measure.location,
                    definitions,
                    code="source-kind",
                )
            )
        if measure.time == "state" and source.grain is not None:
            found.append(_state_of_periods(measure.name, source, definitions, measure.location))
        columns = list(source.columns)
        if measure.column and columns and measure.column not in columns:
            found.append(
                _diagnostic(
                    _(
                        "measure '{name}' counts the column '{column}', which source '{source}'"
                        " does not have"
                    ).format(name=measure.name, column=measure.column, source=source.id),
                    measure.location,
                    definitions,
                    suggestion=did_you_mean(measure.column, columns),
                    code="unknown-column",
                )
            )
        if measure.filter is not None:
            found += _check_filter(
                definitions,
                measure.filter,
                columns,
                measure.filter_location,
                measure.filter_exact,
                _("measure '{name}'").format(name=measure.name),
            )
        unordered = measure.latest.unordered(source.columns) if measure.latest else None
        if unordered is not None:  # round 9 read as later than round 10
            found.append(
                _diagnostic(
                    _("measure '{name}': {reason}").format(name=measure.name, reason=unordered),
                    measure.location,
                    definitions,
                    code="latest-order",
                )
            )
    return found


def _state_of_periods(
    name: str, source: Source, definitions: Definitions, location: Location | None
) -> Diagnostic:
    """A measure that asks ``time = "state"`` of a table of values per period: the rows of
    every period within the one asked are added up (a triwulan's three months), never the
    state at its end, so 50 kader reported each month would read 150 for the triwulan
    where the office asked for the 50 at its end."""
    assert source.grain is not None
    message = _(
        "measure '{name}' says time = \"state\", but source '{source}' gives values per"
        ' period (grain = "{grain}"): a period adds up the rows of the periods within it (a'
        " triwulan its three months), never the state at its end, so a count reported in"
        " each of them would be counted once for each"
    ).format(name=name, source=source.id, grain=source.grain.unit)
    suggestion = _(
        'remove time = "state" from the measure if its rows are to be added up; for the'
        " state at a period's end, read it from a source of one row per year"
        ' (grain = "year") or from a register dated when each row began'
    )
    return _diagnostic(
        message, location, definitions, suggestion=suggestion, code="misplaced-field"
    )


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
                _("the filter of {owner}: {message}").format(owner=owner, message=error.message),
                place(start, error.span, exact),
                definitions,
                suggestion=_(
                    'a filter compares columns with values, like kategori = "Anak Terlantar"'
                ),
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
                    _("{owner} filters on '{name}', which is not a column of its source").format(
                        owner=owner, name=node.text
                    ),
                    place(start, node.span, exact),
                    definitions,
                    suggestion=did_you_mean(node.text, columns),
                    code="unknown-column",
                )
            )
    return found
