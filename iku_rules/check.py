"""Cross-checks of a definitions folder, after every file has been read.

Each check returns diagnostics placed where the planner must look: the
duplicate id, the unknown parent, the name inside the formula.

* ids: unique across elements and indicators; names of measures, inputs,
  parameters and sources unique and not shadowing each other;
* the cascade: every parent exists and stands higher; no cycles;
* formulas: every name is defined (with the closest names suggested), every
  formula compiles (types and units), a percent indicator's formula gives a
  percentage, no indicator depends on itself;
* measures: their source is a register, their column and filter fields exist;
* targets: years inside the plan; units: from the office's list;
* the data: what each aggregate and filter asks of a column suits its declared type
  (:mod:`iku_rules.check_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from iku_rules import ast, bounds, dimensions, units
from iku_rules.ast import name_key
from iku_rules.check_data import check_data
from iku_rules.errors import FormulaError, UnknownNameError
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.values import Binding
from iku_rules.formula import Formula
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import (
    RANKS,
    Definitions,
    Diagnostic,
    Indicator,
    Location,
    Severity,
    Target,
    Threshold,
    place,
)
from iku_rules.sources.reader import outside_data
from iku_rules.suggest import closest, did_you_mean, may_search
from iku_rules.trace import format_decimal

ROWS = "__rows__"


def check(definitions: Definitions, complete: bool = True) -> list[Diagnostic]:
    """Every cross-file problem in ``definitions``.

    When a file could not be read (``complete`` is false), the checks that
    look for something missing are skipped: what they miss may be in that file.
    """
    found: list[Diagnostic] = []
    found += check_ids(definitions)
    found += check_units(definitions)
    found += check_targets(definitions)
    found += check_whole_numbers(definitions)
    found += check_thresholds(definitions)
    found += check_sources(definitions)
    found += check_identifier_columns(definitions)
    names, name_problems = name_table(definitions)
    found += name_problems
    found += check_measures(definitions)
    found += check_data(definitions)
    if complete:
        found += check_office(definitions)
        found += check_cascade(definitions)
        found += check_formulas(definitions, names)
        found += check_dependency_cycles(definitions)
        if not any(d.severity == "error" for d in found):
            found += check_bounds(definitions)
    return found


STATE_IT = (
    "if everyone counted in the numerator is also in the denominator, write"
    " numerator_within_denominator = true (then checked on every evaluation);"
    " if it can pass 100, write may_exceed_100 = true"
)


def check_bounds(definitions: Definitions) -> list[Diagnostic]:
    """Percent indicators that cannot be proven to stay within 0–100 (by interval analysis,
    :mod:`iku_rules.bounds`), unless the definition states what holds."""
    found = []
    analysis = bounds.Analysis(definitions)
    for indicator in definitions.indicators:
        if indicator.percent_statement == "within" and indicator.ratio is None:
            found.append(
                _diagnostic(
                    f"indicator '{indicator.id}' states numerator_within_denominator, but its"
                    " formula divides nothing, so there is no ratio for the statement to bound",
                    indicator.formula_location or indicator.location,
                    definitions,
                    severity="warning",
                    code="bounds",
                )
            )
        if indicator.formula is None or not indicator.is_percent:
            continue
        proven = analysis.indicator(indicator)
        interval = proven.interval
        if proven.unit != units.PERCENT:
            continue  # reported by check_formulas
        if interval.within(bounds.PERCENT_RANGE) or indicator.percent_statement == "within":
            continue
        if indicator.percent_statement == "may_exceed_100" and interval.low >= 0:
            continue
        side = "below 0" if interval.low < 0 else "above 100"
        why = proven.why_unbounded or f"its formula can give values from {interval}"
        found.append(
            _diagnostic(
                f"indicator '{indicator.id}' is a percentage that may come out {side}: {why}",
                indicator.formula_location,
                definitions,
                severity="warning",
                suggestion=STATE_IT if side == "above 100" else None,
                code="bounds",
            )
        )
    return found


def zero_denominator_notes(definitions: Definitions) -> list[Diagnostic]:
    """Every division whose denominator can be 0, with what happens then (``iku check --notes``)."""
    found = []
    analysis = bounds.Analysis(definitions)
    for indicator in definitions.indicators:
        if indicator.formula is None:
            continue
        for zero in analysis.indicator(indicator).zero_denominators:
            found.append(
                _diagnostic(
                    f"in indicator '{indicator.id}' the denominator '{zero.denominator}' can be 0;"
                    f" then {zero.policy}",
                    place(indicator.formula_location, zero.span, indicator.formula_exact),
                    definitions,
                    severity="note",
                    code="zero-denominator",
                )
            )
    return found


def _at(location: Location | None, definitions: Definitions) -> Location:
    return location or Location(definitions.root)


def _diagnostic(
    message: str,
    location: Location | None,
    definitions: Definitions,
    *,
    severity: Severity = "error",
    suggestion: str | None = None,
    code: str,
) -> Diagnostic:
    return Diagnostic(severity, message, _at(location, definitions), suggestion, code)


def check_office(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    if office is None:
        return [
            _diagnostic(
                "no file has an [office] table (id, name, plan_start, plan_end, units)",
                None,
                definitions,
                code="missing-office",
            )
        ]
    found = []
    for word, year in (
        ("plan_start", office.plan_start),
        ("plan_end", office.plan_end),
        ("baseline_year", office.baseline_year),
    ):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            found.append(
                _diagnostic(
                    f"{word} = {year} is not a year from {MIN_YEAR} to {MAX_YEAR}",
                    office.location,
                    definitions,
                    code="plan",
                )
            )
    if found:
        return found
    if office.plan_start and office.plan_end and office.plan_start > office.plan_end:
        found.append(
            _diagnostic(
                f"the plan starts in {office.plan_start} but ends in {office.plan_end}",
                office.location,
                definitions,
                code="plan",
            )
        )
    return found


def _twice(
    items: list[tuple[str, Location | None, str]], definitions: Definitions, code: str
) -> list[Diagnostic]:
    """Items (key, place, what) whose key was used before, each pointing at the first use."""
    found = []
    first: dict[str, Location | None] = {}
    for key, location, what in items:
        if key in first:
            found.append(
                _diagnostic(
                    f"the id '{key}' ({what}) is used twice; the first is at {_at(first[key], definitions)}",
                    location,
                    definitions,
                    code=code,
                )
            )
        else:
            first[key] = location
    return found


def check_ids(definitions: Definitions) -> list[Diagnostic]:
    items: list[tuple[str, Location | None, str]] = []
    for element in definitions.elements:
        items.append((element.id, element.location, element.title))
        items.extend((i.id, i.location, "indicator") for i in element.indicators)
    return _twice(items, definitions, "duplicate-id")


def check_cascade(definitions: Definitions) -> list[Diagnostic]:
    found = []
    by_id = {element.id: element for element in definitions.elements}
    ids = list(by_id)
    in_cycle: set[str] = set()
    walked: dict[str, bool] = {}  # True while on the walk under way; False once done
    for element in definitions.elements:
        # Up the parents until an element walked before: each element is walked once.
        path: list[str] = []
        current = element
        while current.id not in walked:
            walked[current.id] = True
            path.append(current.id)
            above = current.parent
            if above is None or above not in by_id:
                break
            if walked.get(above):
                cycle = [*path[path.index(above) :], above]
                if not in_cycle & set(cycle):
                    found.append(
                        _diagnostic(
                            "the cascade goes round in a circle: " + " → ".join(cycle),
                            element.parent_location or element.location,
                            definitions,
                            code="cycle",
                        )
                    )
                in_cycle.update(cycle)
                break
            current = by_id[above]
        walked.update(dict.fromkeys(path, False))
    for element in definitions.elements:
        if element.parent is None or element.id in in_cycle:
            continue  # a missing parent is reported where the file is read
        parent = by_id.get(element.parent)
        if parent is None:
            found.append(
                _diagnostic(
                    f"unknown parent '{element.parent}' of {element.title} '{element.id}'",
                    element.parent_location or element.location,
                    definitions,
                    suggestion=did_you_mean(element.parent, ids),
                    code="unknown-parent",
                )
            )
        elif RANKS[parent.rank_key] >= RANKS[element.rank_key]:
            found.append(
                _diagnostic(
                    f"the parent of {element.title} '{element.id}' must stand higher in the cascade,"
                    f" but '{parent.id}' is a {parent.title}",
                    element.parent_location or element.location,
                    definitions,
                    code="parent-level",
                )
            )
    return found


def check_units(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    allowed = office.units if office is not None and office.units else None
    found = []
    things: list[tuple[str | None, Location | None, str]] = []
    things += [(i.unit, i.location, f"indicator '{i.id}'") for i in definitions.indicators]
    things += [(m.unit, m.location, f"measure '{m.name}'") for m in definitions.measures]
    things += [(i.unit, i.location, f"input '{i.name}'") for i in definitions.inputs]
    things += [(p.unit, p.location, f"parameter '{p.name}'") for p in definitions.parameters]
    table = unit_table(definitions)
    unknown: set[str] = set()
    for unit, location, what in things:
        if unit is not None and not table.knows(unit) and unit not in unknown:
            unknown.add(unit)
            found.append(
                _diagnostic(
                    f"the unit table does not say what the satuan '{unit}' of {what} counts,"
                    " so formulas using it cannot be checked",
                    location,
                    definitions,
                    severity="warning",
                    suggestion=f'add it under [satuan], e.g. {_toml_key(unit)} = "{unit.casefold()}"',
                    code="unit",
                )
            )
        if unit is not None and allowed is not None and unit not in allowed:
            found.append(
                _diagnostic(
                    f"the unit '{unit}' of {what} is not one of the office's units",
                    location,
                    definitions,
                    suggestion=did_you_mean(unit, allowed) or "add it to 'units' in [office]",
                    code="unit",
                )
            )
    return found


def _toml_key(text: str) -> str:
    """``text`` as a TOML key: bare when it can be, quoted otherwise."""
    if text and all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_targets(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    start, end, span = MIN_YEAR, MAX_YEAR, "the years allowed"
    if office is not None and office.plan_start is not None and office.plan_end is not None:
        start, end = max(office.plan_start, MIN_YEAR), min(office.plan_end, MAX_YEAR)
        span = "the plan"
    found = []
    for indicator in definitions.indicators:
        for year in indicator.targets:
            if not start <= year <= end:
                found.append(
                    _diagnostic(
                        f"indicator '{indicator.id}' has a target for {year}, outside {span}"
                        f" ({start}–{end})",
                        indicator.target_locations.get(year, indicator.location),
                        definitions,
                        code="target-year",
                    )
                )
    return found


def _target_numbers(target: Target) -> tuple[Decimal, ...]:
    if isinstance(target, tuple):
        return target
    if isinstance(target, Threshold):
        return (target.value,)
    return (target,)


def check_whole_numbers(definitions: Definitions) -> list[Diagnostic]:
    """A baseline or target of an indicator in a satuan that counts things one by one
    (``Orang``, ``Dokumen``, ``Jumlah`` …) is a whole number: ``23.5`` Orang is a mistake,
    most often ``23.500`` read in the wrong notation."""
    table = unit_table(definitions)
    found = []
    for indicator in definitions.indicators:
        if not table.counts(indicator.unit):
            continue
        places: list[tuple[str, Target, Location | None]] = []
        if indicator.baseline is not None:
            places.append(("baseline", indicator.baseline, indicator.baseline_location))
        places += [
            (f"target for {year}", target, indicator.target_locations.get(year))
            for year, target in indicator.targets.items()
        ]
        places += [
            (f"target for {label}", target, indicator.triwulan_locations.get(label))
            for label, target in indicator.triwulan_targets.items()
        ]
        for what, target, location in places:
            broken = [n for n in _target_numbers(target) if n != n.to_integral_value()]
            if broken:
                found.append(
                    _diagnostic(
                        f"the {what} of indicator '{indicator.id}' is {format_decimal(broken[0])},"
                        f" but its satuan '{indicator.unit}' counts things one by one, so it"
                        " must be a whole number",
                        location or indicator.location,
                        definitions,
                        suggestion="if '.' groups thousands there (23.500 is 23500), write the"
                        ' number without it, or declare notation = "id" under [office]',
                        code="whole-number",
                    )
                )
    return found


def check_thresholds(definitions: Definitions) -> list[Diagnostic]:
    """A threshold target says which way is better (``< 70``: lower), and so must the
    indicator's polarity: capaian against a threshold follows the polarity."""
    found = []
    for indicator in definitions.indicators:
        targets = [*indicator.targets.values(), *indicator.triwulan_targets.values()]
        for target in targets:
            if not isinstance(target, Threshold):
                continue
            wanted = "negatif" if target.lower_is_better else "positif"
            if indicator.polarity != wanted:
                found.append(
                    _diagnostic(
                        f"indicator '{indicator.id}' has the threshold target '{target}', which"
                        f" asks for a {'low' if wanted == 'negatif' else 'high'} value, but its"
                        f" polarity is {indicator.polarity}",
                        indicator.location,
                        definitions,
                        suggestion=f'write polarity = "{wanted}"',
                        code="threshold",
                    )
                )
                break
    return found


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


def name_table(
    definitions: Definitions,
) -> tuple[dict[str, tuple[str, Binding, str]], list[Diagnostic]]:
    """Every name a formula can use: key → (what it is, its binding, its spelling)."""
    table: dict[str, tuple[str, Binding, str]] = {}
    where: dict[str, Location | None] = {}
    found = []

    def unit_of(unit: str | None) -> units.Unit:
        return units.PERCENT if unit and unit.casefold() in ("persen", "%") else units.NUMBER

    entries: list[tuple[str, str, Binding, Location | None]] = []
    entries += [
        (s.id, "source", Binding("records"), s.location)
        for s in definitions.sources
        if s.kind == "register"
    ]
    entries += [
        (m.name, "measure", Binding("scalar", unit_of(m.unit)), m.location)
        for m in definitions.measures
    ]
    entries += [
        (i.name, "input", Binding("scalar", unit_of(i.unit)), i.location)
        for i in definitions.inputs
    ]
    entries += [
        (p.name, "parameter", Binding("scalar"), p.location) for p in definitions.parameters
    ]
    entries += [
        (
            i.id,
            "indicator",
            Binding("scalar", units.PERCENT if i.is_percent else units.NUMBER),
            i.location,
        )
        for i in definitions.indicators
    ]
    for name, what, binding, location in entries:
        key = name_key(name)
        if key in table:
            other = table[key][0]
            if other == what == "indicator":
                continue  # a duplicate id, reported by check_ids
            found.append(
                _diagnostic(
                    f"the name '{name}' ({what}) is already the name of a{'n' if other[0] in 'aeiou' else ''} {other}"
                    f" at {_at(where[key], definitions)}",
                    location,
                    definitions,
                    code="duplicate-name",
                )
            )
            continue
        table[key] = (what, binding, name)
        where[key] = location
    return table, found


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


def check_formulas(
    definitions: Definitions, names: Mapping[str, tuple[str, Binding, str]]
) -> list[Diagnostic]:
    found = []
    schema = {key: binding for key, (_, binding, _) in names.items()}
    spelled = {key: spelling for key, (_, _, spelling) in names.items()}
    sources = {source.id: source for source in definitions.sources}
    kinds = {source.kind for source in definitions.sources}
    table = unit_table(definitions)
    units_of = dimensions.units_of_names(
        {m.name: m.unit for m in definitions.measures},
        {i.name: i.unit for i in definitions.inputs},
        {i.id: i.unit for i in definitions.indicators},
        {p.name: p.unit for p in definitions.parameters},
        table,
    )
    scales = rate_scales(definitions)
    for indicator in definitions.indicators:
        if indicator.formula is None:
            if (
                indicator.formula_kind == "realisasi"
                and definitions.sources
                and "realisasi" not in kinds
            ):
                found.append(
                    _diagnostic(
                        f"indicator '{indicator.id}' reads realisasi, but no [[source]] has kind = \"realisasi\"",
                        indicator.formula_location,
                        definitions,
                        code="unknown-source",
                    )
                )
            if indicator.formula_kind == "input" and definitions.sources and "inputs" not in kinds:
                found.append(
                    _diagnostic(
                        f"indicator '{indicator.id}' is an input, but no [[source]] has kind = \"inputs\"",
                        indicator.formula_location,
                        definitions,
                        code="unknown-source",
                    )
                )
            continue
        found += _check_formula(definitions, indicator, schema, spelled, sources)
        found += _check_dimensions(definitions, indicator, units_of, table, scales)
    return found


def rate_scales(definitions: Definitions) -> dict[str, Decimal]:
    """The scale of each name that is not 1: a parameter's value, N for a value in a
    rate satuan (``per 1.000 KH``)."""
    scales: dict[str, Decimal] = {name_key(p.name): p.value for p in definitions.parameters}
    named = [
        *((m.name, m.unit) for m in definitions.measures),
        *((i.name, i.unit) for i in definitions.inputs),
        *((i.id, i.unit) for i in definitions.indicators),
    ]
    for name, unit in named:
        found = dimensions.rate(unit)
        if found is not None:
            scales[name_key(name)] = found.scale
    return scales


def unit_table(definitions: Definitions) -> dimensions.UnitTable:
    """The built-in unit table with the office's own ``[satuan]``."""
    return dimensions.UnitTable.builtin().extended(definitions.satuan, definitions.satuan_whole)


def _check_dimensions(
    definitions: Definitions,
    indicator: Indicator,
    units_of: Mapping[str, dimensions.Quantity],
    table: dimensions.UnitTable,
    scales: Mapping[str, Decimal],
) -> list[Diagnostic]:
    """Unit mistakes inside the formula, and a result that is not in the indicator's satuan
    (a rate ``per N …`` must scale its ratio by N)."""
    assert indicator.formula is not None
    start, exact = indicator.formula_location, indicator.formula_exact
    quantity, problems = dimensions.infer(indicator.formula, units_of, table)
    found = [
        _diagnostic(
            f"in the formula of indicator '{indicator.id}': {problem.message}",
            place(start, problem.span, exact),
            definitions,
            suggestion="add or compare only values that count the same thing",
            code="unit-mismatch",
        )
        for problem in problems
    ]
    rate = dimensions.rate(indicator.unit)
    if not problems and rate is not None:
        wrong = dimensions.check_rate(indicator.formula, quantity, rate, scales, table)
        if wrong is not None:
            message, span = wrong
            found.append(
                _diagnostic(
                    f"indicator '{indicator.id}' {message}",
                    place(start, span, exact) if span is not None else start,
                    definitions,
                    code="rate",
                )
            )
    elif not problems:
        why = dimensions.check_result(
            indicator.formula, quantity, indicator.unit, indicator.is_percent, units_of, table
        )
        if why is not None:
            found.append(
                _diagnostic(
                    f"indicator '{indicator.id}' {why}",
                    start,
                    definitions,
                    code="unit-mismatch",
                )
            )
    return found


class _CheckingCompiler(Compiler):
    """The compiler, looking for the names closest to an unknown one only while the
    folder's budget for such searches lasts (:func:`iku_rules.suggest.may_search`)."""

    def _unknown(self, node: ast.Name) -> UnknownNameError:
        if may_search(len(self.schema)):
            return super()._unknown(node)
        return UnknownNameError(node.text, text=self.formula.text, span=node.span)


def _check_formula(
    definitions: Definitions,
    indicator: Indicator,
    schema: Mapping[str, Binding],
    spelled: Mapping[str, str],
    sources: Mapping[str, object],
) -> list[Diagnostic]:
    assert indicator.formula is not None
    start, exact = indicator.formula_location, indicator.formula_exact
    owner = f"indicator '{indicator.id}'"
    try:
        compiled = _CheckingCompiler(indicator.formula, schema, spelled).compile()
    except FormulaError as error:
        message = error.message
        if error.hint:
            message += f"; {error.hint}"
        return [
            _diagnostic(
                f"in the formula of {owner}: {message}",
                place(start, error.span, exact),
                definitions,
                code="formula",
            )
        ]
    found = []
    from iku_rules.model import Source

    for node in ast.walk(indicator.formula.body):
        if isinstance(node, (ast.Filter, ast.Field)) and isinstance(node.base, ast.Name):
            source = next(
                (
                    s
                    for s in sources.values()
                    if isinstance(s, Source) and name_key(s.id) == node.base.key
                ),
                None,
            )
            if source is None:
                continue
            columns = list(source.columns)
            if isinstance(node, ast.Filter):
                found += _check_fields(
                    definitions, ast.walk(node.condition), columns, start, exact, owner
                )
            else:
                found += _check_fields(
                    definitions, [ast.Name(node.name, span=node.span)], columns, start, exact, owner
                )
    if indicator.is_percent and compiled.unit != units.PERCENT:
        gives = "a fraction (a ratio)" if compiled.unit == units.RATIO else "a plain number"
        found.append(
            _diagnostic(
                f"indicator '{indicator.id}' is measured in {indicator.unit}, but its formula gives {gives},"
                " not a percentage",
                start,
                definitions,
                suggestion="multiply the ratio by 100%: … × 100%"
                if compiled.unit == units.RATIO
                else None,
                code="percent",
            )
        )
    elif compiled.unit == units.PERCENT and not indicator.is_percent:
        found.append(
            _diagnostic(
                f"the formula of indicator '{indicator.id}' gives a percentage, but its unit is '{indicator.unit}'",
                start,
                definitions,
                severity="warning",
                suggestion='use unit "Persen"',
                code="percent",
            )
        )
    return found


def check_dependency_cycles(definitions: Definitions) -> list[Diagnostic]:
    indicators = {name_key(i.id): i for i in definitions.indicators}
    graph = {
        key: [name.key for name in indicator.formula.names if name.key in indicators]
        if indicator.formula
        else []
        for key, indicator in indicators.items()
    }
    found = []
    state: dict[str, int] = {}
    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            children = graph[node]
            if index < len(children):
                stack.append((node, index + 1))
                child = children[index]
                if state.get(child) == 1:
                    cycle = [*path[path.index(child) :], child]
                    first = indicators[child]
                    found.append(
                        _diagnostic(
                            "indicators depend on each other in a circle: "
                            + " → ".join(indicators[k].id for k in cycle),
                            first.formula_location or first.location,
                            definitions,
                            code="cycle",
                        )
                    )
                elif not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return found


__all__ = ["check", "closest", "name_table"]
