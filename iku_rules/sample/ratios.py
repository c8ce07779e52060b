"""The ratios sample data draws near their targets, read from the definitions.

An indicator whose formula is one ratio, ``N / D`` times numbers (``Σ [Kematian Ibu] /
Σ [Kelahiran Hidup] × 100.000``), and that has a target gets its numerator drawn from its
denominator, or the other way round, so that the ratio comes out near the target: the
numerator's *share* of the denominator is the target (for the year, else the nearest
year's) divided by the formula's numbers (the 100.000), drawn a little around it
(:func:`aim`), and never above 1 where the numerator is stated within its denominator.
Without a target, a numerator stated within its denominator whose parts are tied ``row``
or ``sum`` (the two kinds where drawing each part alone could give more than the whole)
is drawn at a share of :data:`WITHIN_SHARES`. How the two parts are tied depends on where
they are (:class:`Ratio`):

``row``
    Both are columns of one table (``kematian_ibu`` and ``kelahiran_hidup`` of the
    puskesmas' monthly report) or both inputs: each row's numerator is its denominator
    times the share.
``share``
    Both count (or sum one column of) the rows of one register, the numerator's filter
    narrower by a text (``stunting = "ya"``, ``kondisi in ("baik", "sedang")``): those
    texts get that share of the rows.
``sum``
    The denominator is a column of a yearly table or an input, the numerator elsewhere
    (the yearly sasaran per kecamatan against the puskesmas' monthly K4; a population
    against births): each row of the denominator is what the numerator sums in its place
    and year, divided by the share.
``size``
    Both count rows of two registers (``Σ [Murid Aktif] / Σ Guru``): the register drawn
    later gets as many rows as the share asks.

Nothing here names an office: the parts are read as :mod:`iku_rules.testing.complete`
reads them for the property tests (:func:`~iku_rules.formula_terms.summed_terms`); a ratio
whose parts are anything else (a sum of several measures, a difference, an indicator) is
left as drawn.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal

from attrs import frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.formula_terms import Term, as_declared, summed_terms
from iku_rules.model import Definitions, Indicator, Measure, Source, Target, Threshold

Kind = Literal["row", "share", "sum", "size"]

WITHIN_SHARES = (0.6, 0.95)
"""The share a numerator stated within its denominator is drawn at when the indicator has
no target: a plausible coverage, never above the whole."""


@frozen
class Part:
    """One side of a ratio: ``column`` of the rows of ``source`` (``None``: its rows
    counted, each ``entity`` once when the measure counts distinct values), or the input
    ``input``; ``condition`` the filter its rows pass."""

    source: str
    column: str | None = None
    input: str | None = None
    condition: ast.Node | None = None
    entity: str | None = None

    @property
    def quantity(self) -> tuple[str, ...]:
        """What this part reads, as one key: an input, a column of a source, or the rows
        of a source."""
        if self.input is not None:
            return ("input", name_key(self.input))
        if self.column is not None:
            return ("column", self.source, self.column)
        return ("rows", self.source)


@frozen
class Ratio:
    """An indicator's ratio as sample data ties its parts (see the module)."""

    indicator: str
    kind: Kind
    numerator: Part
    denominator: Part
    shares: Mapping[int, float]
    """The numerator's share of the denominator by year (the target over the formula's
    numbers: 0.0006 for ``< 70`` per 100.000)."""
    within: bool

    def share(self, year: int | None) -> float:
        """The share for ``year``, else for the nearest year drawn."""
        if year is not None and year in self.shares:
            return self.shares[year]
        known = sorted(self.shares, key=lambda y: (abs(y - (year or 0)), y))
        return self.shares[known[0]]


def ratios(definitions: Definitions, years: Sequence[int], rng: random.Random) -> list[Ratio]:
    """Every ratio of ``definitions`` sample data ties, in the indicators' order; the
    shares drawn from ``rng`` (in that order, year by year)."""
    measures = {m.key: m for m in definitions.measures}
    inputs = {name_key(i.name): i for i in definitions.inputs}
    registers = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}
    sources = {s.id: s for s in definitions.sources}
    found: list[Ratio] = []
    for indicator in definitions.indicators:
        scale = _scale(indicator)
        numerator, denominator = indicator.numerator, indicator.denominator
        within = indicator.percent_statement == "within"
        if scale is None or numerator is None or denominator is None:
            continue
        if not indicator.targets and not within:
            continue
        top = summed_terms(numerator, measures, inputs, registers)
        bottom = summed_terms(denominator, measures, inputs, registers)
        if not top or not bottom or len(top) != 1 or len(bottom) != 1:
            continue
        over = _part(definitions, top[0], numerator, measures)
        under = _part(definitions, bottom[0], denominator, measures)
        kind = _kind(over, under, sources)
        if kind is None or (not indicator.targets and kind not in ("row", "sum")):
            continue  # without a target, only what a numerator within could exceed
        shares = {}
        for year in years:
            target = _target_near(indicator, year)
            if target is None:
                value = rng.uniform(*WITHIN_SHARES)
            else:
                value = aim(target, indicator.polarity, rng) / scale
            shares[year] = min(value, 1.0) if within else value
        found.append(Ratio(indicator.id, kind, over, under, shares, within))
    return found


def sized_by(ratio: Ratio, tables: Mapping[str, object]) -> dict[str, tuple[Part, Part]]:
    """The register a ``size`` ratio draws to its share (the later of its two: the other
    is in ``tables`` already), with its part and the other's."""
    top, bottom = ratio.numerator, ratio.denominator
    if bottom.source in tables and top.source not in tables:
        return {top.source: (top, bottom)}
    if top.source in tables and bottom.source not in tables:
        return {bottom.source: (bottom, top)}
    return {}


def aim(target: Target, polarity: str, rng: random.Random) -> float:
    """A value near ``target`` as an office would report it: a number 0.9-1.05 of it
    (0.95-1.1 for a negative polarity), anywhere in a range give or take 3 %, a threshold
    ``< 70`` 0.75-1.05 of its bound (mostly met), ``≥ 95`` 0.97-1.1 of it."""
    if isinstance(target, tuple):
        low, high = float(target[0]), float(target[1])
        return rng.uniform(low, high) * rng.uniform(0.97, 1.02)
    if isinstance(target, Threshold):
        bound = float(target.value)
        if target.lower_is_better:
            return bound * rng.uniform(0.75, 1.05)
        return bound * rng.uniform(0.97, 1.1)
    if polarity == "negatif":
        return float(target) * rng.uniform(0.95, 1.1)
    return float(target) * rng.uniform(0.9, 1.05)


def _target_near(indicator: Indicator, year: int) -> Target | None:
    """The indicator's target for ``year``, else for the nearest year that has one."""
    if not indicator.targets:
        return None
    nearest = min(indicator.targets, key=lambda known: (abs(known - year), known))
    return indicator.targets[nearest]


def _scale(indicator: Indicator) -> float | None:
    """What the formula multiplies its ratio by (100 for ``× 100%``, 100000 for
    ``× 100.000``, 1 for none), when the formula is the ratio and numbers alone."""
    ratio = indicator.ratio
    if ratio is None or indicator.formula is None or indicator.formula.body is not ratio:
        return None
    scale = Decimal(1)
    for op, operand in zip(ratio.ops[1:], ratio.operands[2:], strict=True):
        if not isinstance(operand, ast.Number) or operand.value == 0:
            return None
        scale = scale * operand.value if op == "*" else scale / operand.value
    return float(scale) if scale > 0 else None


def _part(
    definitions: Definitions, term: Term, node: ast.Node, measures: Mapping[str, Measure]
) -> Part:
    """``term`` as a :class:`Part`: its column spelled as its source declares it, and the
    column whose distinct values the measure counts."""
    spelled = as_declared(definitions, term)
    entity = None
    inner = node.operand if isinstance(node, ast.Aggregate) else node
    if isinstance(inner, ast.Name) and spelled.column is None and spelled.input is None:
        measure = measures.get(inner.key)
        if measure is not None and measure.aggregate == "count_distinct":
            entity = measure.column
    return Part(spelled.source, spelled.column, spelled.input, spelled.condition, entity)


def _kind(over: Part, under: Part, sources: Mapping[str, Source]) -> Kind | None:
    """How sample data ties ``over`` to ``under`` (see the module), or None."""
    if over.input is not None or under.input is not None:
        if over.input is not None and under.input is not None:
            return "row"
        if under.input is not None:
            return "sum"
        return None
    if over.source == under.source:
        if over.column == under.column:
            return "share" if text_conditions(over.condition, under.condition) else None
        if over.column is not None and under.column is not None:
            return "row" if over.condition == under.condition else None
        return None
    below = sources.get(under.source)
    if below is None or below.kind != "register":
        return None
    if under.column is not None and below.grain is not None and below.grain.unit == "year":
        return "sum" if under.condition is None else None
    if under.column is None and over.column is None and below.grain is None:
        above = sources.get(over.source)
        return "size" if above is not None and above.grain is None else None
    return None


def text_conditions(
    condition: ast.Node | None, whole: ast.Node | None
) -> list[tuple[str, tuple[str, ...]]]:
    """The parts of ``condition`` its whole's condition does not have that ask a column
    for texts (``stunting = "ya"``, ``kondisi in ("baik", "sedang")``): column and texts."""

    def parts(node: ast.Node | None) -> list[ast.Node]:
        if node is None:
            return []
        return list(node.operands) if isinstance(node, ast.And) else [node]

    kept = parts(whole)
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in parts(condition):
        if node in kept:
            continue
        if isinstance(node, ast.Compare) and node.op == "=":
            for column, text in ((node.left, node.right), (node.right, node.left)):
                if isinstance(column, ast.Name) and isinstance(text, ast.Text):
                    found.append((column.text, (text.value,)))
        elif isinstance(node, ast.In) and not node.negated and isinstance(node.operand, ast.Name):
            texts = tuple(o.value for o in node.options if isinstance(o, ast.Text))
            if texts and len(texts) == len(node.options):
                found.append((node.operand.text, texts))
    return found
