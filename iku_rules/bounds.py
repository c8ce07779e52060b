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
  ``bidang = "resos"``; ``x in ("a")`` is part of ``x in ("a", "b")``), by the same
  latest record (``terakhir``) and rows without a value (:mod:`iku_rules.parts`);
* ``+ - × /``, ``min``, ``max``, ``abs``, ``round``, ``if`` and ``coalesce`` combine
  intervals as arithmetic does; percent literals scale by the unit rules of
  :mod:`iku_rules.units`, so the bounds are in the unit the value is shown in: units are
  unified as the evaluator unifies them (a number literal takes the other side's unit, so
  ``(1 - Σ a / Σ b) × 100%`` is a percentage), and a name is read in the unit the engine
  binds it in (an indicator in its satuan's).

A division whose denominator can be 0 is recorded (:class:`ZeroDenominator`) with what
happens then: the value is not available, or a surrounding ``if(… = 0, …)``,
``if(… != 0, …)`` or ``coalesce`` gives another value; a division in the condition of an
``if`` counts too.

The analysis is sound, not complete: every evaluated value lies inside its interval, in
the unit it is proven in (``tests/test_bounds_sound.py`` checks it), but an interval may
be wider than the values seen.
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
from iku_rules.model import Definitions, Indicator
from iku_rules.parts import implies as implies  # where the tests and callers find it
from iku_rules.parts import part_of
from iku_rules.printer import to_text
from iku_rules.source import Span


@frozen
class ZeroDenominator:
    """A division whose denominator can be 0, and what the formula does then."""

    denominator: str
    span: Span | None
    policy: str
    always: bool = False
    """The denominator is 0 whatever the data (``/ 0``, ``/ (2 - 2)``)."""


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
    literal: bool = False
    """A number written in the formula (or arithmetic of such): a plain one takes the unit
    of what it is added to, compared with or chosen with, as the evaluator unifies units."""


class Analysis:
    """Interval analysis of the formulas of one definitions folder."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self.measures = {m.key: m for m in definitions.measures}
        self.sources = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}
        self.by_id = {s.id: s for s in definitions.sources}
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
        """None when ``numerator`` is provably part of ``denominator``, else why not
        (:mod:`iku_rules.parts`)."""
        return part_of(numerator, denominator, self.measures, self.sources, self.by_id)


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
            return _Value(Interval.exactly(node.value), unit, literal=True)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.Aggregate):
            return self.aggregate(node)
        if isinstance(node, (ast.Filter, ast.Field)):
            return _Value(COUNT if isinstance(node, ast.Filter) else EVERYTHING, units.NUMBER)
        if isinstance(node, ast.Neg):
            inner = self.value(node.operand)
            return _Value(negate(inner.interval), inner.unit, inner.literal)
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
            unit = unit_of(measure.unit)
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
            # read in the unit its satuan gives it, as the engine binds it (a ratio whose
            # satuan is not Persen is a plain number)
            return _Value(interval, units.PERCENT if indicator.is_percent else units.NUMBER)
        if key in analysis.inputs:
            self.because(
                _("the input '{name}' may be any number").format(name=analysis.inputs[key].name)
            )
            return _Value(EVERYTHING, unit_of(analysis.inputs[key].unit))
        return _Value(EVERYTHING, units.NUMBER)

    def aggregate(self, node: ast.Aggregate) -> _Value:
        if node.func == "count":
            return _Value(COUNT, units.NUMBER)
        if node.func in SUMS or self._scalar(node.operand):
            # Σ of one number (a measure) is that number, and so is its average
            inner = self.value(node.operand)
            return _Value(inner.interval, inner.unit)
        return _Value(EVERYTHING, units.NUMBER)

    def _scalar(self, node: ast.Node) -> bool:
        """Whether ``node`` is one number, not a list of records or of numbers."""
        if isinstance(node, (ast.Filter, ast.Field)):
            return False
        return not (isinstance(node, ast.Name) and node.key in self.analysis.sources)

    def because(self, reason: str) -> None:
        if self.why is None:
            self.why = reason

    def sum(self, node: ast.Sum) -> _Value:
        values = [self.value(operand) for operand in node.operands]
        interval = values[0].interval
        for op, other in zip(node.ops, values[1:], strict=True):
            interval = add(interval, negate(other.interval) if op == "-" else other.interval)
        unit, literal = _unify(values)
        return _Value(interval, unit, literal)

    def product(self, node: ast.Product) -> _Value:
        values = [self.value(operand) for operand in node.operands]
        interval, unit = values[0].interval, values[0].unit
        # Only the first division has a node as its numerator (a / b × …); a later one
        # divides the whole product so far.
        numerator: ast.Node | None = node.operands[0]
        for op, operand, other in zip(node.ops, node.operands[1:], values[1:], strict=True):
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
        return _Value(interval, unit, all(v.literal for v in values))

    def divide(
        self, numerator: ast.Node | None, denominator: ast.Node, top: Interval, bottom: Interval
    ) -> Interval:
        if bottom.low <= 0 <= bottom.high:
            self.zeros.append(
                ZeroDenominator(
                    to_text(denominator),
                    denominator.span,
                    self.policy(denominator),
                    bottom.low == 0 == bottom.high,
                )
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

    def condition(self, node: ast.Node) -> None:
        """The values a condition compares: their denominators can be 0 too (the condition,
        and the value, are then not available); their ranges say nothing of the value."""
        why = self.why
        for part in node.children():
            if isinstance(part, (ast.Compare, ast.In, ast.Not, ast.And, ast.Or)):
                self.condition(part)
            elif not isinstance(part, ast.Text):
                self.value(part)
        self.why = why

    def call(self, node: ast.Call) -> _Value:
        args = node.args
        if node.func == "if":
            self.condition(args[0])
            guarded, zero = _zero_test(args[0])
            chosen = []
            for index, branch in enumerate(args[1:3], start=1):
                # the branch taken when the denominator is not 0 gives the other's value then
                if guarded is not None and index == (2 if zero else 1):
                    instead = to_text(args[1 if zero else 2])
                    then = _("the formula gives {value} instead").format(value=instead)
                    self.guards.append((guarded, then))
                    chosen.append(self.value(branch))
                    self.guards.pop()
                else:
                    chosen.append(self.value(branch))
            return _joined(union(*(v.interval for v in chosen)), chosen)
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
            return _joined(union(*(v.interval for v in values)), values)
        if node.func == "jumlah":
            values = [self.value(arg) for arg in args]
            interval = values[0].interval
            for other in values[1:]:
                interval = add(interval, other.interval)
            return _joined(interval, values)
        if node.func in ("rata_rata", "rata_rata_tersedia"):
            values = [self.value(arg) for arg in args]  # an average lies within its parts
            return _joined(union(*(v.interval for v in values)), values)
        if node.func in ("min", "max") and (len(args) > 1 or self._scalar(args[0])):
            values = [self.value(arg) for arg in args]
            pick = min if node.func == "min" else max
            interval = Interval(
                pick(v.interval.low for v in values), pick(v.interval.high for v in values)
            )
            return _joined(interval, values)
        if node.func == "abs":
            inner = self.value(args[0])
            low, high = inner.interval.low, inner.interval.high
            if low >= 0:
                return _Value(inner.interval, inner.unit)
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
            inner = self.value(args[0])
            return _Value(inner.interval, inner.unit)
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


def _zero_test(condition: ast.Node) -> tuple[ast.Node | None, bool]:
    """``x = 0`` (either way round) as (``x``, True), ``x != 0`` as (``x``, False)."""
    if isinstance(condition, ast.Compare) and condition.op in ("=", "!="):
        for side, other in ((condition.left, condition.right), (condition.right, condition.left)):
            if isinstance(other, ast.Number) and other.value == 0:
                return side, condition.op == "="
    return None, False


def _denominators(node: ast.Node) -> list[ast.Node]:
    found = []
    for part in ast.walk(node):
        if isinstance(part, ast.Product):
            found += [o for op, o in zip(part.ops, part.operands[1:], strict=True) if op == "/"]
    return found


def _unify(values: list[_Value]) -> tuple[units.Unit, bool]:
    """The unit of values added, compared or chosen between, as the evaluator unifies it
    (a number literal takes the other side's unit: ``1 - Σ a / Σ b`` is a ratio), and
    whether they are all literals."""
    unit, literal = values[0].unit, values[0].literal
    for other in values[1:]:
        unit = units.unify(unit, other.unit, literal, other.literal) or unit
        literal = literal and other.literal
    return unit, literal


def _joined(interval: Interval, values: list[_Value]) -> _Value:
    """A function's value from its arguments': in their common unit, never a literal."""
    return _Value(interval, _unify(values)[0])


def unit_of(satuan: str | None) -> units.Unit:
    """The unit a measure or an input is read in, as the engine binds it: ``Persen``,
    ``%`` or ``percent`` in any case and spacing is a percentage."""
    percent = satuan and " ".join(satuan.split()).casefold() in ("persen", "%", "percent")
    return units.PERCENT if percent else units.NUMBER


def analyse(definitions: Definitions) -> Mapping[str, Bounds]:
    """The bounds of every indicator with a formula, by id."""
    analysis = Analysis(definitions)
    return {
        indicator.id: analysis.indicator(indicator)
        for indicator in definitions.indicators
        if indicator.formula is not None
    }
