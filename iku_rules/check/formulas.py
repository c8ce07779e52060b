"""Checks of formulas: every name defined (the closest names suggested), every formula compiled
(types and units), a percent indicator's formula giving a percentage, no indicator depending
on itself."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from iku_rules import ast, dimensions, satuan, units
from iku_rules.additive import unit_table
from iku_rules.ast import name_key
from iku_rules.check.common import _at, _diagnostic, place
from iku_rules.check.percent_factors import check_percent_factors, weight_constants
from iku_rules.check.sources import _check_fields
from iku_rules.errors import FormulaError, UnknownNameError
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.values import Binding
from iku_rules.formula import Formula
from iku_rules.i18n import N_, _
from iku_rules.model import Definitions, Diagnostic, Indicator, Location
from iku_rules.printer import to_text
from iku_rules.suggest import may_search

_KIND = {
    "source": N_("source"),
    "measure": N_("measure"),
    "input": N_("input"),
    "parameter": N_("parameter"),
    "indicator": N_("indicator"),
}
_A_KIND = {
    "source": N_("a source"),
    "measure": N_("a measure"),
    "input": N_("an input"),
    "parameter": N_("a parameter"),
    "indicator": N_("an indicator"),
}
"""What a name in :func:`name_table` is, alone and with its article, for messages."""


def name_table(
    definitions: Definitions,
) -> tuple[dict[str, tuple[str, Binding, str]], list[Diagnostic]]:
    """Every name a formula can use: key → (what it is, its binding, its spelling)."""
    table: dict[str, tuple[str, Binding, str]] = {}
    where: dict[str, Location | None] = {}
    found = []

    def unit_of(unit: str | None) -> units.Unit:
        percent = unit and " ".join(unit.split()).casefold() in ("persen", "%", "percent")
        return units.PERCENT if percent else units.NUMBER

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
                    _(
                        "the name '{name}' ({what}) is already the name of {other} at {first}"
                    ).format(
                        name=name,
                        what=_(_KIND.get(what, what)),
                        other=_(_A_KIND.get(other, other)),
                        first=_at(where[key], definitions),
                    ),
                    location,
                    definitions,
                    code="duplicate-name",
                )
            )
            continue
        table[key] = (what, binding, name)
        where[key] = location
    return table, found


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
    scales = name_scales(definitions, table)
    constants = weight_constants(definitions, table)
    for indicator in definitions.indicators:
        if indicator.formula is None:
            if (
                indicator.formula_kind == "realisasi"
                and definitions.sources
                and "realisasi" not in kinds
            ):
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' reads realisasi,"
                            ' but no [[source]] has kind = "realisasi"'
                        ).format(id=indicator.id),
                        indicator.formula_location,
                        definitions,
                        code="no-realisasi-source",
                    )
                )
            if indicator.formula_kind == "input" and definitions.sources and "inputs" not in kinds:
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' is an input, but no [[source]] has kind = \"inputs\""
                        ).format(id=indicator.id),
                        indicator.formula_location,
                        definitions,
                        code="no-inputs-source",
                    )
                )
            continue
        own = _check_formula(definitions, indicator, schema, spelled, sources)
        found += check_percent_factors(definitions, indicator, schema, constants, own)
        found += _check_dimensions(definitions, indicator, units_of, table, scales)
    return found


def name_scales(
    definitions: Definitions, table: satuan.UnitTable
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The scale of each name that is not 1: a parameter's value, N for a value in a rate
    satuan (``per 1.000 KH``); and each name's conversion scale, 1 / 1.000.000 for a value in
    Juta Rupiah (:func:`iku_rules.satuan.conversion_scales`)."""
    scales: dict[str, Decimal] = {name_key(p.name): p.value for p in definitions.parameters}
    named = {m.name: m.unit for m in definitions.measures}
    named |= {i.name: i.unit for i in definitions.inputs} | {
        i.id: i.unit for i in definitions.indicators
    }
    rates = ((name_key(name), satuan.rate(unit)) for name, unit in named.items())
    scales |= {key: rate.scale for key, rate in rates if rate is not None}
    named |= {p.name: p.unit for p in definitions.parameters if p.unit is not None}
    plain = {p.name: p.value for p in definitions.parameters if p.unit is None}
    return scales, satuan.conversion_scales(named, plain, table)


def _check_dimensions(
    definitions: Definitions,
    indicator: Indicator,
    units_of: Mapping[str, dimensions.Quantity],
    table: satuan.UnitTable,
    both: tuple[Mapping[str, Decimal], Mapping[str, Decimal]],
) -> list[Diagnostic]:
    """Unit mistakes inside the formula, and a result that is not in the indicator's satuan
    (a rate ``per N …`` must scale its ratio by N; one at a scale, such as Miliar Rupiah,
    must convert what it reads: ``both`` holds the rate and the conversion scales)."""
    assert indicator.formula is not None
    start, exact = indicator.formula_location, indicator.formula_exact
    scales, converts = both
    quantity, problems = dimensions.infer(
        indicator.formula, units_of, table, converts, definitions.notation
    )
    found = [
        _diagnostic(
            _("in the formula of {owner}: {message}").format(
                owner=_("indicator '{id}'").format(id=indicator.id), message=problem.message
            ),
            place(start, problem.span, exact),
            definitions,
            suggestion=problem.fix or _("add or compare only values that count the same thing"),
            code="unit-mismatch",
        )
        for problem in problems
    ]
    rate = satuan.rate(indicator.unit)
    if not problems and rate is not None:
        wrong = dimensions.check_rate(
            indicator.formula, quantity, rate, scales, table, indicator.id
        )
        if wrong is not None:
            message, span = wrong
            found.append(
                _diagnostic(
                    message,
                    place(start, span, exact) if span is not None else start,
                    definitions,
                    code="rate",
                )
            )
    elif not problems:
        why = dimensions.check_result(
            indicator.formula,
            quantity,
            indicator.unit,
            indicator.is_percent,
            units_of,
            table,
            indicator.id,
        )
        converted = dimensions.check_conversion(
            indicator.formula, quantity, indicator.unit, units_of, table, indicator.id,
            converts, definitions.notation,
        ) if why is None else (why, None)  # fmt: skip
        if converted is not None:
            message, fix = converted
            found.append(
                _diagnostic(message, start, definitions, suggestion=fix, code="unit-mismatch")
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
    owner = _("indicator '{id}'").format(id=indicator.id)
    try:
        compiled = _CheckingCompiler(indicator.formula, schema, spelled).compile()
    except FormulaError as error:
        message = error.message
        if error.hint:
            message += f"; {error.hint}"
        return [
            _diagnostic(
                _("in the formula of {owner}: {message}").format(owner=owner, message=message),
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
        gives = _("a fraction (a ratio)") if compiled.unit == units.RATIO else _("a plain number")
        message = _(
            "indicator '{id}' is measured in {unit}, but its formula gives {gives}, not a percentage"
        ).format(id=indicator.id, unit=indicator.unit, gives=gives)
        suggestion = (
            _("multiply the ratio by 100%: … × 100%") if compiled.unit == units.RATIO else None
        )
        lost = _percent_lost(
            indicator.formula, _CheckingCompiler(indicator.formula, schema, spelled)
        )
        if lost is not None:
            why, suggestion = lost
            message = f"{message}: {why}"
        found.append(
            _diagnostic(message, start, definitions, suggestion=suggestion, code="not-a-percentage")
        )
    elif compiled.unit == units.PERCENT and not indicator.is_percent:
        found.append(
            _diagnostic(
                _(
                    "the formula of indicator '{id}' gives a percentage, but its unit is '{unit}'"
                ).format(id=indicator.id, unit=indicator.unit),
                start,
                definitions,
                severity="warning",
                suggestion=_('use unit "Persen"'),
                code="percent-unit",
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
                            _("indicators depend on each other in a circle: {cycle}").format(
                                cycle=" → ".join(indicators[k].id for k in cycle)
                            ),
                            first.formula_location or first.location,
                            definitions,
                            code="dependency-cycle",
                        )
                    )
                elif not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return found


def _percent_lost(formula: Formula, compiler: Compiler) -> tuple[str, str] | None:
    """Why the percent literal (``× 100%``) of a formula that gives no percentage makes
    none, and how to write it; None when the formula has no such literal. By the unit
    rules (:mod:`iku_rules.units`) ``× 100%`` makes a percentage of a ratio only, the
    result of a division; of a plain number it takes that share (200 × 10% is 20), and a
    percentage multiplied by a plain number is likewise a share of it (25% × 2 is 0.5).
    So ``Σ a / Σ b × 100% × 2`` and ``Σ a / Σ b × 2 × 100%`` (a ratio times 2 is a plain
    number) give plain numbers, and ``2 × Σ a / Σ b × 100%`` a percentage: the fix
    offered is the formula's factors in that order, when it is proven to give one."""
    for node in _products(formula.body):
        try:
            unit_of = [compiler.scalar(operand, "").unit for operand in node.operands]
        except FormulaError:
            continue
        unit = unit_of[0]
        for index, op in enumerate(node.ops, start=1):
            before, right = unit, unit_of[index]
            unit = (units.multiply if op == "*" else units.divide)(before, right)[0]
            if op != "*" or unit != units.NUMBER:
                continue
            operand, first = node.operands[index], node.operands[0]
            left = ast.Product(node.operands[:index], node.ops[: index - 1])
            left_text = to_text(left if index > 1 else first)
            if index == 1 and _is_percent(first) and right == units.NUMBER:  # 100% × Σ a
                percent, why = to_text(first), _share_of(to_text(first), to_text(operand), False)
            elif right == units.PERCENT and _is_percent(operand):
                percent = to_text(operand)
                why = _share_of(percent, left_text, "/" in node.ops[: index - 1])
            elif before == units.PERCENT:
                percent = next((to_text(o) for o in ast.walk(left) if _is_percent(o)), "100%")
                why = _(
                    "'{left}' is a percentage, and a percentage multiplied by a plain number"
                    " (× {factor}) is that share of the number (25% × 2 is 0.5), not a"
                    " percentage"
                ).format(left=left_text, factor=to_text(operand))
            else:
                continue
            fixed = _reordered(node, compiler) if node is formula.body else None
            if fixed is not None:
                return why, _(
                    "multiply before dividing, so that × {percent} comes last and multiplies"
                    " the ratio: write {formula}"
                ).format(percent=percent, formula=fixed)
            if "/" not in node.ops:
                return why, _(
                    "a percentage is a share of a whole: divide by the whole, then multiply"
                    " by {percent}: e.g. Σ a / Σ b × 100%"
                ).format(percent=percent)
            return why, _(
                "multiply before dividing and write × {percent} last, right after the"
                " division it makes a percentage of: e.g. 2 × Σ a / Σ b × 100%"
            ).format(percent=percent)
    return None


def _share_of(percent: str, number: str, divided: bool) -> str:
    """Why ``percent`` multiplying the plain number ``number`` (a ratio times a number,
    when ``divided``) makes no percentage."""
    return (
        _(
            "{percent} makes a percentage only of a ratio (the result of a division), but"
            " here it multiplies '{left}', which is a plain number (a ratio multiplied by a"
            " plain number is one), so it takes {percent} of it"
        )
        if divided
        else _(
            "{percent} makes a percentage only of a ratio (the result of a division), but"
            " here it multiplies '{left}', a plain number, so it takes {percent} of it"
            " (200 × 10% is 20)"
        )
    ).format(percent=percent, left=number)


def _products(body: ast.Node) -> list[ast.Product]:
    """The products of a formula with a percent literal among their factors, outermost
    first; never inside a filter, whose names are columns."""
    found: list[ast.Product] = []
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Product) and any(
            _is_percent(o) or isinstance(o, ast.Product) for o in node.operands
        ):
            found.append(node)
        stack.extend(reversed(node.children() if not isinstance(node, ast.Filter) else ()))
    return found


def _is_percent(node: ast.Node) -> bool:
    return isinstance(node, ast.Number) and node.percent


def _reordered(node: ast.Product, compiler: Compiler) -> str | None:
    """``node``'s factors, its multiplied products opened, in the order that makes a
    percentage: the numbers written, the other factors multiplied, the divisors, then the
    percent literals (``2 × Σ a / Σ b × 100%``): the same product of the same factors.
    None when that order gives no percentage either, or divides by a percentage."""
    factors: list[tuple[str, ast.Node]] = []

    def gather(product: ast.Product, first: str) -> None:
        for op, operand in zip((first, *product.ops), product.operands, strict=True):
            if isinstance(operand, ast.Product) and op == "*":
                gather(operand, "*")
            else:
                factors.append((op, operand))

    gather(node, "*")
    percents = [o for op, o in factors if op == "*" and _is_percent(o)]
    times = [o for op, o in factors if op == "*" and not _is_percent(o)]
    divisors = [o for op, o in factors if op == "/"]
    if not percents or not times or any(_is_percent(o) for o in divisors):
        return None
    times.sort(key=lambda o: not isinstance(o, ast.Number))  # the numbers first, else as written
    ordered = (*times, *divisors, *percents)
    ops = ("*",) * (len(times) - 1) + ("/",) * len(divisors) + ("*",) * len(percents)
    body = ast.Product(ordered, ops)
    try:
        unit = Compiler(Formula(body, to_text(body)), compiler.schema, compiler.spelled).compile()
    except FormulaError:
        return None
    return to_text(body) if unit.unit == units.PERCENT else None
