"""The range a formula can take, proven from the definitions before any data is read.

Interval analysis over the AST: every value gets an :class:`Interval` (a lower and an
upper bound, either of which may be infinite) from what the definitions know:

* a count (a ``count`` or ``count_distinct`` measure, ``Σ register``, ``Σ register[…]``)
  is ≥ 0; a parameter is its value; a number is itself;
* a numerator that is *part of* its denominator gives a ratio within 0–1, so
  ``Σ PMKS tertangani / Σ PMKS × 100%`` is within 0–100 %. A part is: the same register
  with a filter (``Σ pegawai[nilai_skp = "baik"] / Σ pegawai``), or a measure that is
  the same aggregate of the same column of the same source, at the same time, with a
  filter that implies the other's (``bidang = "resos" and asesmen = "ya"`` is part of
  ``bidang = "resos"``; ``x in ("a")`` is part of ``x in ("a", "b")``);
* ``+ - × /``, ``min``, ``max``, ``abs``, ``round``, ``if`` and ``coalesce`` combine
  intervals as arithmetic does; percent literals scale by the unit rules of
  :mod:`iku_rules.units`, so the bounds are in the unit the value is shown in.

A division whose denominator can be 0 is recorded (:class:`ZeroDenominator`) with what
happens then: the value is not available, or a surrounding ``if(… = 0, …)`` or
``coalesce`` gives another value.

The analysis is sound, not complete: every evaluated value lies inside its interval
(a property test checks it), but an interval may be wider than the values seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import (
    ROUND_HALF_UP,
    Decimal,
    InvalidOperation,
)

from attrs import frozen

from iku_rules import ast, units
from iku_rules.ast import name_key
from iku_rules.i18n import _
from iku_rules.intervals import (
    _EXACT,
    COUNT,
    EVERYTHING,
    INF,
    PERCENT_RANGE,
    SUMS,
    UNIT,
    Interval,
    add,
    divide,
    multiply,
    negate,
    scale,
    union,
)
from iku_rules.model import Definitions, Indicator, Measure
from iku_rules.printer import to_text
from iku_rules.source import Span


@frozen
class ZeroDenominator:
    """A division whose denominator can be 0, and what the formula does then."""

    denominator: str
    span: Span | None
    policy: str


@frozen
class Bounds:
    """What the analysis proved about one formula."""

    interval: Interval
    """The range of the value, in the unit it is shown in (percent for a percentage)."""
    unit: units.Unit
    zero_denominators: tuple[ZeroDenominator, ...]
    why_unbounded: str | None
    """For a value that may leave 0–100: the first reason found."""


@frozen
class _Value:
    interval: Interval
    unit: units.Unit


class Analysis:
    """Interval analysis of the formulas of one definitions folder."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self.measures = {m.key: m for m in definitions.measures}
        self.sources = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}
        self.parameters = {name_key(p.name): p for p in definitions.parameters}
        self.inputs = {name_key(i.name): i for i in definitions.inputs}
        self.indicators = {name_key(i.id): i for i in definitions.indicators}
        self._memo: dict[str, Bounds] = {}
        self._stated: dict[str, Interval] = {}
        self._busy: set[str] = set()

    # -- per indicator

    def indicator(self, indicator: Indicator) -> Bounds:
        """The bounds of ``indicator``'s value (its formula, or what inputs and realisasi allow)."""
        key = name_key(indicator.id)
        if key in self._memo:
            return self._memo[key]
        unit = units.PERCENT if indicator.is_percent else units.NUMBER
        if indicator.formula is None or key in self._busy:
            found = Bounds(
                EVERYTHING, unit, (), _("its value is typed in or reported, not computed")
            )
        else:
            self._busy.add(key)
            walk = _Walk(self)
            value = walk.value(indicator.formula.body)
            self._busy.discard(key)
            found = Bounds(value.interval, value.unit, tuple(walk.zeros), walk.why)
        self._memo[key] = found
        return found

    def stated(self, indicator: Indicator) -> Interval:
        """The bounds evaluation may rely on: proven, with what the definition states (a
        stated ``numerator_within_denominator`` makes its ratio 0–1, so ``Σ a / Σ b × 100%
        + 70`` lies within 70–170; the engine checks the ratio on every evaluation)."""
        key = name_key(indicator.id)
        ratio = indicator.ratio
        if indicator.percent_statement != "within" or ratio is None or key in self._busy:
            return self.indicator(indicator).interval
        if key not in self._stated:
            self._busy.add(key)
            assert indicator.formula is not None
            self._stated[key] = _Walk(self, ratio).value(indicator.formula.body).interval
            self._busy.discard(key)
        return self._stated[key]

    # -- the parts of a ratio

    def part_of(self, numerator: ast.Node, denominator: ast.Node) -> str | None:
        """None when ``numerator`` is provably part of ``denominator``, else why not."""
        top, bottom = _unwrap(numerator), _unwrap(denominator)
        if top == bottom:
            return None
        if isinstance(top, ast.Filter):
            if top.base == bottom and self._records(bottom):
                return None
            if isinstance(bottom, ast.Filter) and top.base == bottom.base:
                if implies(top.condition, bottom.condition):
                    return None
                return _(
                    "the filter [{filter}] is not known to select only rows that [{other}] selects"
                ).format(filter=to_text(top.condition), other=to_text(bottom.condition))
        if isinstance(top, ast.Name) and isinstance(bottom, ast.Name):
            one, two = self.measures.get(top.key), self.measures.get(bottom.key)
            if one is not None and two is not None:
                return self._measure_part_of(one, two)
        return _(
            "the numerator '{numerator}' is not known to be part of the denominator '{denominator}'"
        ).format(numerator=to_text(top), denominator=to_text(bottom))

    def _records(self, node: ast.Node) -> bool:
        return isinstance(node, ast.Name) and node.key in self.sources

    def _measure_part_of(self, part: Measure, whole: Measure) -> str | None:
        def time(measure: Measure) -> str | None:
            source = next((s for s in self.definitions.sources if s.id == measure.source), None)
            return measure.time or (source.time if source else None)

        names = {"numerator": part.name, "denominator": whole.name}
        if part.source != whole.source:
            return _(
                "the numerator '{numerator}' is not known to be part of the denominator"
                " '{denominator}': they count different sources ({source} and {other_source})"
            ).format(**names, source=part.source, other_source=whole.source)
        if (part.aggregate, part.column) != (whole.aggregate, whole.column):
            return _(
                "the numerator '{numerator}' is not known to be part of the denominator"
                " '{denominator}': they aggregate differently ({aggregate} of {column} and"
                " {other_aggregate} of {other_column})"
            ).format(
                **names,
                aggregate=part.aggregate,
                column=part.column,
                other_aggregate=whole.aggregate,
                other_column=whole.column,
            )
        if part.aggregate == "sum":
            return _(
                "the numerator '{numerator}' is not known to be part of the denominator"
                " '{denominator}': a sum of a column may be negative"
            ).format(**names)
        if time(part) != time(whole):
            return _(
                "the numerator '{numerator}' is not known to be part of the denominator"
                " '{denominator}': they count different times ({time} and {other_time})"
            ).format(**names, time=time(part), other_time=time(whole))
        if whole.filter is None:
            return None
        if part.filter is not None and implies(part.filter.body, whole.filter.body):
            return None
        return _(
            "the numerator '{numerator}' is not known to be part of the denominator"
            " '{denominator}': its filter is not known to select only rows the other's filter"
            " selects"
        ).format(**names)


def _unwrap(node: ast.Node) -> ast.Node:
    while isinstance(node, ast.Aggregate) and node.func in SUMS:
        node = node.operand
    return node


def _conjuncts(node: ast.Node) -> tuple[ast.Node, ...]:
    if isinstance(node, ast.And):
        return tuple(part for operand in node.operands for part in _conjuncts(operand))
    return (node,)


def _choices(node: ast.Node) -> tuple[ast.Node, frozenset[object]] | None:
    """``x = v`` or ``x in (v, w)`` as (x, {v, w}); None for anything else."""
    if isinstance(node, ast.Compare) and node.op == "=":
        for field, literal in ((node.left, node.right), (node.right, node.left)):
            if isinstance(field, ast.Name) and isinstance(literal, (ast.Text, ast.Number)):
                return field, frozenset({literal.value})
    if (
        isinstance(node, ast.In)
        and not node.negated
        and isinstance(node.operand, ast.Name)
        and all(isinstance(option, (ast.Text, ast.Number)) for option in node.options)
    ):
        return node.operand, frozenset(_literal(option) for option in node.options)
    return None


def _literal(node: ast.Node) -> object:
    return node.value if isinstance(node, (ast.Text, ast.Number)) else None


def implies(narrow: ast.Node, wide: ast.Node) -> bool:
    """True when every row that passes ``narrow`` passes ``wide`` (proven from their
    shape: ``wide``'s conditions each follow from one of ``narrow``'s)."""
    mine = _conjuncts(narrow)
    for condition in _conjuncts(wide):
        if condition in mine:
            continue
        wanted = _choices(condition)
        if wanted is None:
            return False
        if not any(
            (found := _choices(own)) is not None and found[0] == wanted[0] and found[1] <= wanted[1]
            for own in mine
        ):
            return False
    return True


class _Walk:
    """One formula: the interval of each value, the zero denominators, and why not 0–100.

    ``stated`` is the ratio whose numerator the definition states to lie within its
    denominator (``numerator_within_denominator``): it lies within 0–1."""

    def __init__(self, analysis: Analysis, stated: ast.Product | None = None) -> None:
        self.analysis = analysis
        self.stated = stated
        self.zeros: list[ZeroDenominator] = []
        self.why: str | None = None
        self.guards: list[tuple[ast.Node, str]] = []

    def value(self, node: ast.Node) -> _Value:
        if isinstance(node, ast.Number):
            unit = units.PERCENT if node.percent else units.NUMBER
            return _Value(Interval.exactly(node.value), unit)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Aggregate):
            return self.aggregate(node)
        if isinstance(node, (ast.Filter, ast.Field)):
            return _Value(COUNT if isinstance(node, ast.Filter) else EVERYTHING, units.NUMBER)
        if isinstance(node, ast.Neg):
            inner = self.value(node.operand)
            return _Value(negate(inner.interval), inner.unit)
        if isinstance(node, ast.Sum):
            return self.sum(node)
        if isinstance(node, ast.Product):
            return self.product(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        return _Value(EVERYTHING, units.NUMBER)

    def name(self, node: ast.Name) -> _Value:
        analysis = self.analysis
        key = node.key
        if key in analysis.parameters:
            return _Value(Interval.exactly(analysis.parameters[key].value), units.NUMBER)
        if key in analysis.measures:
            measure = analysis.measures[key]
            unit = _unit(measure.unit)
            if measure.aggregate in ("count", "count_distinct"):
                return _Value(COUNT, unit)
            self.because(
                _("'{name}' is a sum of a column, which may be negative").format(name=measure.name)
            )
            return _Value(EVERYTHING, unit)
        if key in analysis.sources:
            return _Value(COUNT, units.NUMBER)
        if key in analysis.indicators:
            indicator = analysis.indicators[key]
            bounds = analysis.indicator(indicator)
            interval = analysis.stated(indicator)
            if not interval.within(PERCENT_RANGE) and bounds.why_unbounded:
                self.because(bounds.why_unbounded)
            return _Value(interval, bounds.unit)
        if key in analysis.inputs:
            self.because(
                _("the input '{name}' may be any number").format(name=analysis.inputs[key].name)
            )
            return _Value(EVERYTHING, _unit(analysis.inputs[key].unit))
        return _Value(EVERYTHING, units.NUMBER)

    def aggregate(self, node: ast.Aggregate) -> _Value:
        if node.func in SUMS:
            return self.value(node.operand)
        if node.func == "count":
            return _Value(COUNT, units.NUMBER)
        return _Value(EVERYTHING, units.NUMBER)

    def because(self, reason: str) -> None:
        if self.why is None:
            self.why = reason

    def sum(self, node: ast.Sum) -> _Value:
        first = self.value(node.operands[0])
        interval, unit = first.interval, first.unit
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            other = self.value(operand)
            interval = add(interval, negate(other.interval) if op == "-" else other.interval)
            if unit != other.unit and not (isinstance(operand, ast.Number) and not operand.percent):
                unit = units.unify(unit, other.unit, False, False) or unit
        return _Value(interval, unit)

    def product(self, node: ast.Product) -> _Value:
        first = self.value(node.operands[0])
        interval, unit = first.interval, first.unit
        # Only the first division has a node as its numerator (a / b × …); a later one
        # divides the whole product so far.
        numerator: ast.Node | None = node.operands[0]
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            other = self.value(operand)
            if op == "/" and node is self.stated and numerator is not None:
                unit, factor = units.divide(unit, other.unit)
                self.divide(None, operand, interval, other.interval)  # zero denominators
                interval = scale(UNIT, factor)  # stated: checked on every evaluation
            elif op == "/":
                unit, factor = units.divide(unit, other.unit)
                interval = scale(self.divide(numerator, operand, interval, other.interval), factor)
            else:
                unit, factor = units.multiply(unit, other.unit)
                interval = scale(multiply(interval, other.interval), factor)
            numerator = None
        return _Value(interval, unit)

    def divide(
        self, numerator: ast.Node | None, denominator: ast.Node, top: Interval, bottom: Interval
    ) -> Interval:
        if bottom.low <= 0 <= bottom.high:
            self.zeros.append(
                ZeroDenominator(to_text(denominator), denominator.span, self.policy(denominator))
            )
        if top.nonnegative and bottom.nonnegative and numerator is not None:
            why = self.analysis.part_of(numerator, denominator)
            if why is None:
                return UNIT
            self.because(why)
        return divide(top, bottom)

    def policy(self, denominator: ast.Node) -> str:
        """What the formula gives when ``denominator`` is 0."""
        for guard, then in reversed(self.guards):
            if guard == denominator:
                return then
        return _("the value is not available, with the reason that the denominator is 0")

    def call(self, node: ast.Call) -> _Value:
        args = node.args
        if node.func == "if":
            guarded = _zero_test(args[0])
            if guarded is not None:
                self.guards.append(
                    (guarded, _("the formula gives {value} instead").format(value=to_text(args[1])))
                )
            chosen = [self.value(args[1]), self.value(args[2])]
            if guarded is not None:
                self.guards.pop()
            return _Value(union(*(v.interval for v in chosen)), _common(chosen))
        if node.func == "coalesce":
            fallback = None
            if len(args) > 1:
                fallback = _("the formula gives {value} instead").format(value=to_text(args[-1]))
            values = []
            for index, arg in enumerate(args):
                if fallback is not None and index < len(args) - 1:
                    for denominator in _denominators(arg):
                        self.guards.append((denominator, fallback))
                values.append(self.value(arg))
                if fallback is not None and index < len(args) - 1:
                    for _denominator in _denominators(arg):
                        self.guards.pop()
            return _Value(union(*(v.interval for v in values)), _common(values))
        if node.func == "jumlah":
            values = [self.value(arg) for arg in args]
            interval = values[0].interval
            for other in values[1:]:
                interval = add(interval, other.interval)
            return _Value(interval, _common(values))
        if node.func in ("rata_rata", "rata_rata_tersedia"):
            values = [self.value(arg) for arg in args]  # an average lies within its parts
            return _Value(union(*(v.interval for v in values)), _common(values))
        if node.func in ("min", "max") and len(args) > 1:
            values = [self.value(arg) for arg in args]
            pick = min if node.func == "min" else max
            interval = Interval(
                pick(v.interval.low for v in values), pick(v.interval.high for v in values)
            )
            return _Value(interval, _common(values))
        if node.func == "abs":
            inner = self.value(args[0])
            low, high = inner.interval.low, inner.interval.high
            if low >= 0:
                return inner
            if high <= 0:
                return _Value(negate(inner.interval), inner.unit)
            return _Value(Interval(Decimal(0), max(low.copy_negate(), high)), inner.unit)
        if node.func == "round":
            inner = self.value(args[0])
            places = args[1] if len(args) > 1 else ast.Number(Decimal(0))
            if isinstance(places, ast.Number) and not places.percent:
                quantum = Decimal(1).scaleb(-int(places.value))
                return _Value(
                    Interval(
                        _round(inner.interval.low, quantum, -INF),
                        _round(inner.interval.high, quantum, INF),
                    ),
                    inner.unit,
                )
            half = Decimal("0.5")
            return _Value(add(inner.interval, Interval(-half, half)), inner.unit)
        if node.func == "sebelumnya":
            return self.value(args[0])
        for arg in args:
            self.value(arg)
        return _Value(EVERYTHING, units.NUMBER)


def _round(value: Decimal, quantum: Decimal, outward: Decimal) -> Decimal:
    """``value`` rounded as ``round()`` rounds; ``outward`` (±∞) when it has too many
    digits to round exactly."""
    if value.is_infinite():
        return value
    try:
        return value.quantize(quantum, ROUND_HALF_UP, context=_EXACT)
    except InvalidOperation:
        return outward


def _zero_test(condition: ast.Node) -> ast.Node | None:
    """``x = 0`` (either way round) as ``x``."""
    if isinstance(condition, ast.Compare) and condition.op == "=":
        for side, other in ((condition.left, condition.right), (condition.right, condition.left)):
            if isinstance(other, ast.Number) and other.value == 0:
                return side
    return None


def _denominators(node: ast.Node) -> list[ast.Node]:
    found = []
    for part in ast.walk(node):
        if isinstance(part, ast.Product):
            found += [o for op, o in zip(part.ops, part.operands[1:], strict=True) if op == "/"]
    return found


def _common(values: list[_Value]) -> units.Unit:
    return values[0].unit if all(v.unit == values[0].unit for v in values) else units.NUMBER


def _unit(satuan: str | None) -> units.Unit:
    return units.PERCENT if satuan and satuan.casefold() in ("persen", "%") else units.NUMBER


def analyse(definitions: Definitions) -> Mapping[str, Bounds]:
    """The bounds of every indicator with a formula, by id."""
    analysis = Analysis(definitions)
    return {
        indicator.id: analysis.indicator(indicator)
        for indicator in definitions.indicators
        if indicator.formula is not None
    }
