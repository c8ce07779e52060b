"""Percent factors that change a number a hundredfold in silence.

A percentage multiplied by a constant: a weight of its points, or a share of the constant?

By the unit rules (:mod:`iku_rules.units`) a plain number times a percentage is that share
of the number: ``200 × 10%`` is 20. Where the percentage is a value (an indicator, an
input, a measure in Persen) and the number a constant written in the definitions (a number
in the formula, a parameter without a satuan that counts), the product reads two ways. A
composite score weighs its parts, ``0,3 × IKM`` with IKM = 85 % meaning 25,5 points; read
as a share it is 0,255, and the score ``0,4 × [Nilai AKIP] + 0,3 × IKM + 0,3 × PEKPPP``
comes out 54,50 where the office means 79,75, without a word. So ``iku check`` refuses the
product with both readings and how to write each.

A formula that multiplies by both 100 and 100% (``Σ a × 100 / Σ b × 100%``: the spreadsheet's
``× 100`` kept when ``× 100%`` is added, as the message for ``Σ a × 100 / Σ b`` asked) is a
hundred times the percentage, 3680 % for 36,8 %: refused, with the one factor to remove.

A plain number takes the unit of the percentage it is compared with or chosen beside, so a
share written as a fraction is read a hundred times too small: ``jika(a / b × 100% > 0.5,
1, 0)`` with a = 40, b = 160 gives 1 (25 % > 0,5 %) and ``max(a / b × 100%, 0.3)`` gives
25 % (not 30 %). ``iku check`` warns at each number strictly between 0 and 1 so placed
(:func:`fractions_beside_percent`); ``50%``, ``0.5%``, 0, 1 and more are read as meant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import attrs

from iku_rules import ast, units
from iku_rules.check.common import _diagnostic, place
from iku_rules.errors import FormulaError
from iku_rules.evaluator.compiler import Compiler
from iku_rules.evaluator.values import Binding
from iku_rules.i18n import _
from iku_rules.model import Definitions, Diagnostic, Indicator
from iku_rules.printer import to_text
from iku_rules.satuan import PLAIN, UnitTable
from iku_rules.source import Span
from iku_rules.trace import format_decimal


def weight_constants(definitions: Definitions, table: UnitTable) -> frozenset[str]:
    """The keys of the parameters that may weigh a percentage: those without a satuan, or
    with one that counts nothing (a score, a plain number); a parameter in Jiwa or Rupiah
    is an amount, of which a percentage is a share."""
    found = set()
    for parameter in definitions.parameters:
        if parameter.unit is None or table.dimension(parameter.unit) in (None, PLAIN):
            found.add(parameter.key)
    return frozenset(found)


def check_percent_factors(
    definitions: Definitions,
    indicator: Indicator,
    schema: Mapping[str, Binding],
    constants: frozenset[str],
    found: list[Diagnostic],
) -> list[Diagnostic]:
    """``found``, the diagnostics of the formula of ``indicator``, with an error where it
    multiplies by both 100 and a percent (in place of the one that it gives no percentage),
    the fix of ``Σ a × 100 / Σ b`` said so, an error where it multiplies a percentage
    value by a constant (:func:`percent_times_constant`), and a warning at each fraction
    compared with or chosen beside a percentage (:func:`fractions_beside_percent`)."""
    assert indicator.formula is not None
    if any(d.code == "formula" for d in found):
        return found
    fractions = fractions_beside_percent(definitions, indicator, schema)
    return _factors(definitions, indicator, schema, constants, found) + fractions


def _factors(
    definitions: Definitions,
    indicator: Indicator,
    schema: Mapping[str, Binding],
    constants: frozenset[str],
    found: list[Diagnostic],
) -> list[Diagnostic]:
    """What :func:`check_percent_factors` finds in ``found`` and adds to it, but the
    fractions beside a percentage."""
    assert indicator.formula is not None
    owner = _("indicator '{id}'").format(id=indicator.id)
    start, exact = indicator.formula_location, indicator.formula_exact
    net = _net_hundred(indicator.formula.body)
    if net is not None and net[2]:
        message = _(
            "'{formula}' divides by 100 and multiplies by {percent}: {percent} already makes"
            " the percentage of a ratio, so dividing by 100 as well gives a hundredth of the"
            " percentage (0.368 % for 36.8 %)"
        ).format(formula=to_text(indicator.formula.body), percent=to_text(net[1]))
        return [
            *[d for d in found if d.code != "not-a-percentage"],
            _diagnostic(
                _("in the formula of {owner}: {message}").format(owner=owner, message=message),
                place(start, net[0].span, exact),
                definitions,
                suggestion=_(
                    "for the percentage of the ratio, remove this 100: Σ a / Σ b × 100%;"
                    " where the ratio is already in points of a percentage (85 for 85 %),"
                    " write × 1% in place of / 100 × 100%"
                ),
                code="percent-twice",
            ),
        ]
    hundreds = net[:2] if net is not None else _hundreds(indicator.formula.body)
    hundred, percent = hundreds or (None, None)
    if hundred is not None and percent is not None:
        message = _(
            "'{formula}' multiplies by both 100 and {percent}: each makes a percentage of a"
            " ratio, so together they give a hundred times the percentage (3680 % for 36.8 %)"
        ).format(formula=to_text(indicator.formula.body), percent=to_text(percent))
        kept = [d for d in found if d.code != "not-a-percentage"]
        return [
            *kept,
            _diagnostic(
                _("in the formula of {owner}: {message}").format(owner=owner, message=message),
                place(start, hundred.span, exact),
                definitions,
                suggestion=_(
                    "remove this 100 and keep × {percent}, which makes the percentage of the"
                    " ratio: Σ a / Σ b × 100%"
                ).format(percent=to_text(percent)),
                code="percent-twice",
            ),
        ]
    if hundred is not None:
        found = [
            attrs.evolve(
                d,
                suggestion=_(
                    "× 100 makes no percentage: write × 100% in place of × 100, after the"
                    " division (Σ a / Σ b × 100%)"
                ),
            )
            if d.code == "not-a-percentage"
            else d
            for d in found
        ]
    return found + _weights(definitions, indicator, schema, constants)


def _hundreds(body: ast.Node) -> tuple[ast.Number, ast.Number | None] | None:
    """A plain 100 multiplied in a chain of factors of ``body``, with a percent literal
    multiplied in the same chain (or None); None when no chain multiplies by 100."""
    alone = None
    for node in _products(body):
        factors: list[ast.Node] = []
        _multiplied(node, factors)
        numbers = [f for f in factors if isinstance(f, ast.Number)]
        hundred = next((f for f in numbers if not f.percent and f.value == 100), None)
        if hundred is None:
            continue
        percent = next((f for f in numbers if f.percent), None)
        if percent is not None:
            return hundred, percent
        alone = alone or (hundred, None)
    if alone is not None and not any(_is_percent_literal(n) for n in ast.walk(body)):
        return alone
    return None


def _net_hundred(body: ast.Node) -> tuple[ast.Number, ast.Number, bool] | None:
    """A plain 100 in a chain of factors of ``body`` that also multiplies by 100%, with that
    100% and whether the chain divides by 100 more times than it multiplies by it
    (``Σ a / (Σ b × 100) × 100%``, ``Σ a / Σ b / 100 × 100%``: a hundredth of the
    percentage) or multiplies more (``Σ a / (Σ b / 100) × 100%``: a hundred times it);
    None when no chain does either. A divisor's divisor multiplies."""
    opened: set[int] = set()
    for node in _products(body):
        if id(node) in opened:
            continue
        factors: list[tuple[int, ast.Node]] = []
        _signed(node, 1, factors, opened)
        hundreds: list[tuple[int, ast.Number]] = []
        percent = None
        for sign, factor in factors:
            if isinstance(factor, ast.Number) and factor.value == 100:
                if not factor.percent:
                    hundreds.append((sign, factor))
                elif sign > 0:
                    percent = percent or factor
        net = sum(sign for sign, _ in hundreds)
        if percent is not None and net != 0:
            hundred = next(number for sign, number in hundreds if sign * net > 0)
            return hundred, percent, net < 0
    return None


def _signed(
    node: ast.Product, sign: int, factors: list[tuple[int, ast.Node]], opened: set[int]
) -> None:
    """Every factor of the chain ``node``, into ``factors`` with 1 where it multiplies and
    -1 where it divides, the products it multiplies or divides by opened (their ids into
    ``opened``)."""
    opened.add(id(node))
    for op, operand in zip(("*", *node.ops), node.operands, strict=True):
        each = sign if op == "*" else -sign
        if isinstance(operand, ast.Product):
            _signed(operand, each, factors, opened)
        else:
            factors.append((each, operand))


def _multiplied(node: ast.Product, factors: list[ast.Node]) -> None:
    """The factors ``node`` multiplies by, into ``factors``, those of the products it
    multiplies by opened (never a divisor's)."""
    for op, operand in zip(("*", *node.ops), node.operands, strict=True):
        if op != "*":
            continue
        if isinstance(operand, ast.Product):
            _multiplied(operand, factors)
        else:
            factors.append(operand)


def _weights(
    definitions: Definitions,
    indicator: Indicator,
    schema: Mapping[str, Binding],
    constants: frozenset[str],
) -> list[Diagnostic]:
    """An error where the formula of ``indicator`` multiplies a percentage value by a
    constant (:func:`percent_times_constant`)."""
    assert indicator.formula is not None
    found = percent_times_constant(
        indicator.formula.body, Compiler(indicator.formula, schema), constants, indicator
    )
    if found is None:
        return []
    message, suggestion, span = found
    at = place(indicator.formula_location, span, indicator.formula_exact)
    return [
        _diagnostic(
            _("in the formula of {owner}: {message}").format(
                owner=_("indicator '{id}'").format(id=indicator.id), message=message
            ),
            at,
            definitions,
            suggestion=suggestion,
            code="percent-weight",
        )
    ]


def percent_times_constant(
    body: ast.Node, compiler: Compiler, constants: frozenset[str], indicator: Indicator
) -> tuple[str, str, Span | None] | None:
    """Why a product in ``body`` multiplies a percentage value by a constant, how to write
    each reading, and where it stands; None when no product does. A percent literal
    multiplied by a number (``200 × 10%``) is a share as written: it is left alone, and so
    is a percentage made in the formula of a Persen indicator (``Σ a / Σ b × 100% × 2``),
    which the check that it gives a percentage explains."""
    for node in _products(body):
        try:
            compiled = [compiler.scalar(operand, "") for operand in node.operands]
        except FormulaError:
            continue
        unit = compiled[0].unit
        for index, op in enumerate(node.ops, start=1):
            before, right = unit, compiled[index].unit
            unit = (units.multiply if op == "*" else units.divide)(before, right)[0]
            if op != "*" or {before, right} != {units.PERCENT, units.NUMBER}:
                continue
            head = node.operands[:index]
            left = head[0] if index == 1 else ast.Product(head, node.ops[: index - 1])
            if right == units.PERCENT:
                percent, number = node.operands[index], left
                constant = all(
                    _constant(o, c.literal, constants) for o, c in zip(head, compiled, strict=False)
                )
            else:
                percent, number = left, node.operands[index]
                constant = _constant(number, compiled[index].literal, constants)
            made = any(_is_percent_literal(n) for n in ast.walk(percent))
            if indicator.is_percent and made:
                continue
            if constant and not _is_percent_literal(percent):
                return (*_readings(percent, number, node), node.span)
    return None


def _constant(node: ast.Node, literal: bool, constants: frozenset[str]) -> bool:
    """Whether ``node`` is a constant that may weigh a percentage: a number written in the
    formula (not a percent) or a parameter of ``constants``."""
    if isinstance(node, ast.Name):
        return node.key in constants
    return literal and not any(_is_percent_literal(n) for n in ast.walk(node))


def _readings(percent: ast.Node, number: ast.Node, product: ast.Node) -> tuple[str, str]:
    """The message and the suggestion for ``number × percent`` in ``product``."""
    value, weight = _grouped(percent), _grouped(number)
    message = _(
        "'{product}' multiplies the percentage {percent} by the number {number}, which reads"
        " two ways: {number} times the points of {percent} (a weight: 0.3 × 85 % is 25.5),"
        " or that share of {number} (0.3 × 85 % is 0.255, as 200 × 10% is 20), which is how"
        " it would be computed"
    ).format(product=to_text(product), percent=value, number=weight)
    suggestion = _(
        "for the weight write {number} × ({percent} / 1%); for the share write"
        " {number} × ({percent} / 100%)"
    ).format(number=weight, percent=value)
    if isinstance(number, ast.Number):
        suggestion += _(
            "; for a percentage, write the weight in percent: {percent} × {weight}%"
        ).format(percent=value, weight=format_decimal(number.value * 100))
    return message, suggestion


def _grouped(node: ast.Node) -> str:
    """``node``'s text, in parentheses where an operator next to it would split it."""
    text = to_text(node)
    plain = (ast.Name, ast.Number, ast.Call, ast.Aggregate)
    return text if isinstance(node, plain) else f"({text})"


def _is_percent_literal(node: ast.Node) -> bool:
    return isinstance(node, ast.Number) and node.percent


def _products(body: ast.Node) -> Iterator[ast.Product]:
    """The products of a formula, outermost first; never inside a filter, whose names are
    columns."""
    return (node for node in _outside_filters(body) if isinstance(node, ast.Product))


CHOICES = ("min", "max", "rata_rata", "rata_rata_tersedia", "if", "coalesce")
"""The functions whose arguments take one unit, a plain number that of a percentage beside
it: the least, the greatest, the average, the branch chosen, the first available."""


def fractions_beside_percent(
    definitions: Definitions, indicator: Indicator, schema: Mapping[str, Binding]
) -> list[Diagnostic]:
    """A warning at each number strictly between 0 and 1, written without ``%``, that the
    formula of ``indicator`` compares with a percentage or gives a function of
    :data:`CHOICES` beside one: it takes the unit of the percentage, so ``0.5`` is read as
    0,5 %, where a share written as a fraction means 50 %. A number is looked at only
    where one is written; the values beside it are compiled only then."""
    assert indicator.formula is not None
    compiler = Compiler(indicator.formula, schema)
    owner = _("indicator '{id}'").format(id=indicator.id)
    found = []
    for node, values in _beside(indicator.formula.body):
        fractions = [v for v in values if _fraction(v)]
        if not fractions:
            continue
        percent = next((v for v in values if _in_percent(v, compiler)), None)
        if percent is None:
            continue
        for number in fractions:
            assert isinstance(number, ast.Number)
            message, suggestion = _fraction_readings(node, number, percent)
            found.append(
                _diagnostic(
                    _("in the formula of {owner}: {message}").format(owner=owner, message=message),
                    place(indicator.formula_location, number.span, indicator.formula_exact),
                    definitions,
                    severity="warning",
                    suggestion=suggestion,
                    code="fraction-beside-percent",
                )
            )
    return found


def _beside(body: ast.Node) -> Iterator[tuple[ast.Node, tuple[ast.Node, ...]]]:
    """Each comparison, ``in`` and call of :data:`CHOICES` in ``body`` with the values that
    take one unit in it (the branches of ``if``, not its condition); never inside a filter,
    whose names are columns."""
    for node in _outside_filters(body):
        if isinstance(node, ast.Compare):
            yield node, (node.left, node.right)
        elif isinstance(node, ast.In):
            yield node, (node.operand, *node.options)
        elif isinstance(node, ast.Call) and node.func in CHOICES and len(node.args) > 1:
            yield node, node.args[1:] if node.func == "if" else node.args


def _fraction(node: ast.Node) -> bool:
    """Whether ``node`` is a number written without ``%`` strictly between 0 and 1."""
    return isinstance(node, ast.Number) and not node.percent and 0 < node.value < 1


def _in_percent(node: ast.Node, compiler: Compiler) -> bool:
    """Whether ``node`` is a value in percent (a number beside it is read in percent)."""
    if _fraction(node):
        return False
    try:
        return compiler.scalar(node, "").unit == units.PERCENT
    except FormulaError:
        return False


def _fraction_readings(node: ast.Node, number: ast.Number, percent: ast.Node) -> tuple[str, str]:
    """The message and the suggestion for the fraction ``number`` beside ``percent`` in
    ``node``."""
    fields = {
        "expression": to_text(node),
        "percent": to_text(percent),
        "number": to_text(number),
        "reading": format_decimal(number.value),
        "meant": format_decimal(number.value * 100),
    }
    if isinstance(node, (ast.Compare, ast.In)):
        message = _(
            "'{expression}' compares the percentage '{percent}' with the plain number {number},"
            " which takes its unit: {number} is read as {reading} %, not as the share"
            " {meant} %"
        ).format(**fields)
    else:
        assert isinstance(node, ast.Call)
        message = _(
            "'{expression}' gives {function}() the plain number {number} beside the percentage"
            " '{percent}', so it takes its unit: {number} is read as {reading} %, not as the"
            " share {meant} %"
        ).format(function=node.func, **fields)
    suggestion = _("write {written} if {meant} % is meant, or {kept} to keep {reading} %").format(
        written=to_text(ast.Number(number.value * 100, True)),
        kept=to_text(ast.Number(number.value, True)),
        **fields,
    )
    return message, suggestion


def _outside_filters(body: ast.Node) -> Iterator[ast.Node]:
    """Every node of a formula, outermost first, but those inside a filter."""
    stack = [body]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children() if not isinstance(node, ast.Filter) else ()))
