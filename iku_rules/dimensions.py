"""What a formula counts: the satuan (unit) of each value, checked before anything runs.

Every measure, input and indicator has a satuan (``Orang``, ``Dokumen``, ``Nilai``,
``Persen`` …). The unit table (``rule_tables/units.toml``, extended by an office's
``[satuan]`` table) says what each satuan counts, its *dimension*: ``Orang`` and
``Jiwa`` count people, ``KPM`` and ``Keluarga`` families, ``Nilai`` and ``Indeks``
are scores (plain numbers, as percentages are). :func:`infer` walks a formula and gives the dimension of its value:

* ``+``, ``-``, comparisons, ``min``, ``max``, ``if`` and ``coalesce`` need the same
  dimension on both sides (``Orang + Dokumen`` is a problem); a number or a parameter
  takes the dimension of the other side (``Σ PMKS - 10``);
* ``×`` multiplies dimensions and ``/`` divides them: ``Orang / Orang`` is a plain
  number (a ratio), ``Rupiah / Orang`` is rupiah per person; percent literals are
  plain numbers, so a ratio × 100% is a percentage;
* what the table does not know (a unit it lacks, ``Jumlah``, a count of register
  rows) is *unknown*, and unknown values are never a problem: the check speaks only
  about what it can prove.

:func:`check_result` then compares the dimension of the whole formula with the
indicator's own satuan: a percentage must divide like by like, a count of people
must not come out as a count of documents.

>>> table = UnitTable.builtin()
>>> describe(table.dimension("Jiwa"), table)
'Orang'
>>> describe(divide(table.dimension("Rupiah"), table.dimension("Orang")), table)
'Rupiah per Orang'
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from attrs import frozen

from iku_rules import ast
from iku_rules import notation as notations
from iku_rules.ast import name_key
from iku_rules.formula import Formula
from iku_rules.i18n import N_, _
from iku_rules.printer import to_text
from iku_rules.satuan import (
    PLAIN,
    Dimension,
    Rate,
    UnitTable,
    conversion,
    describe,
    divide,
    multiply,
    scale,
)
from iku_rules.source import Span


@frozen
class Quantity:
    """The dimension of a value; ``flexible`` for numbers and parameters, which take the
    dimension of what they are added to or compared with."""

    dimension: Dimension | None
    flexible: bool = False
    satuan: str | None = None
    """The satuan as the definitions spell it, for a value read straight from a name."""

    def describe(self, table: UnitTable) -> str:
        """The satuan if known by name, else the dimension in words."""
        if self.satuan is not None and self.dimension is not None:
            return self.satuan
        return describe(self.dimension, table)


UNKNOWN = Quantity(None)

_CANNOT = {
    "add": N_("'{other}' is in {other_unit} and cannot be added to '{first}', which is in {unit}"),
    "compare": N_(
        "'{other}' is in {other_unit} and cannot be compared with '{first}', which is in {unit}"
    ),
    "choose": N_(
        "'{other}' is in {other_unit} and cannot be chosen between '{first}', which is in {unit}"
    ),
    "divide": N_(
        "'{other}' is in {other_unit} and cannot divide '{first}', which is in {unit}: a ratio"
        " of like by like needs both at one scale"
    ),
}
"""Why two operands cannot meet, by how they meet (translated where the problem is made)."""


@frozen
class UnitProblem:
    """A unit mistake in a formula, at ``span``; ``fix`` says how to mend it, if it can."""

    message: str
    span: Span | None
    fix: str | None = None


class Inference:
    """One walk over a formula: the dimension of every value, and the mistakes found."""

    def __init__(
        self,
        units_of: Mapping[str, Quantity],
        table: UnitTable,
        scales: Mapping[str, Decimal] = {},
        formula: Formula | None = None,
        notation: notations.Notation = notations.UNSETTLED,
    ) -> None:
        self.units_of = units_of
        self.table = table
        self.scales = scales
        """Each name's conversion scale (:func:`conversion_scales`)."""
        self.formula = formula
        self.converts = table.conversions(_read(formula, units_of))
        """The factors that convert between the scales of what the formula reads."""
        self.notation = notation
        self.problems: list[UnitProblem] = []

    def quantity(self, node: ast.Node) -> Quantity:
        if isinstance(node, ast.Number):
            return Quantity(PLAIN, flexible=True)
        if isinstance(node, ast.Name):
            return self.units_of.get(node.key, UNKNOWN)
        if isinstance(node, ast.Aggregate):
            if node.func in ("count",):
                return UNKNOWN
            return self.quantity(node.operand)
        if isinstance(node, ast.Neg):
            return self.quantity(node.operand)
        if isinstance(node, ast.Sum):
            return self.same(node.operands, "add")
        if isinstance(node, ast.Product):
            return self.product(node)
        if isinstance(node, ast.Compare):
            self.same((node.left, node.right), "compare")
            return UNKNOWN
        if isinstance(node, ast.Call):
            return self.call(node)
        for child in node.children():
            self.quantity(child)
        return UNKNOWN

    def product(self, node: ast.Product) -> Quantity:
        first = self.quantity(node.operands[0])
        dimension, flexible = first.dimension, first.flexible
        mine = conversion(node.operands[0], self.scales, self.converts)
        for index, (op, operand) in enumerate(zip(node.ops, node.operands[1:], strict=True)):
            other = self.quantity(operand)
            if (
                op == "/"
                and dimension == other.dimension
                and not (flexible or other.flexible)
                and self.table.scaled(dimension)
            ):
                # A ratio of like by like (Rupiah by Rupiah) needs both at one scale.
                before = _prefix(node.operands[: index + 1], self.formula)
                self.scale_problem(before, mine, operand, other, "divide")
            theirs = conversion(operand, self.scales, self.converts)
            if mine is not None and theirs is not None:
                mine = mine * theirs if op == "*" else mine / theirs
            combine = divide if op == "/" else multiply
            dimension = combine(dimension, other.dimension)
            flexible = flexible and other.flexible
        return Quantity(dimension, flexible)

    def call(self, node: ast.Call) -> Quantity:
        if node.func in ("min", "max", "coalesce"):
            return self.same(node.args, "choose")
        if node.func in ast.PART_FUNCTIONS:
            return self.same(node.args, "add")
        if node.func == "if":
            self.quantity(node.args[0])
            return self.same(node.args[1:], "choose")
        if node.func == "round":
            for extra in node.args[1:]:
                self.quantity(extra)
        return self.quantity(node.args[0])

    def same(self, operands: tuple[ast.Node, ...], verb: str) -> Quantity:
        """Operands that must count the same thing (``verb``: how they meet, a key of
        ``_CANNOT``); the quantity they share."""
        found = [(operand, self.quantity(operand)) for operand in operands]
        known = [(o, q) for o, q in found if q.dimension is not None and not q.flexible]
        first, one = known[0] if known else (None, UNKNOWN)
        for other, two in known[1:]:
            if one.dimension != two.dimension:
                self.problems.append(
                    UnitProblem(
                        _(_CANNOT[verb]).format(
                            other=_text(other),
                            other_unit=two.describe(self.table),
                            first=_text(first) if first else "",
                            unit=one.describe(self.table),
                        ),
                        other.span,
                    )
                )
                return UNKNOWN
        if first is not None and self.table.scaled(one.dimension):
            mine = conversion(first, self.scales, self.converts)
            for other, two in known[1:]:
                if self.scale_problem(_text(first), mine, other, two, verb):
                    return UNKNOWN
        if any(q.dimension is None for _, q in found):
            return UNKNOWN  # an unknown operand may count anything
        if known:
            return known[0][1]
        return Quantity(PLAIN, flexible=True)

    def scale_problem(
        self, first: str, mine: Decimal | None, other: ast.Node, two: Quantity, verb: str
    ) -> bool:
        """Whether ``other`` counts what ``first`` counts (at conversion scale ``mine``) at
        another scale (Juta Rupiah beside Rupiah), said as a problem with the conversion
        that mends it."""
        theirs = conversion(other, self.scales, self.converts)
        if mine is None or theirs is None or mine == theirs:
            return False
        ratio = mine / theirs  # other × ratio is at first's scale
        written = _written(max(ratio, 1 / ratio), self.notation)
        text = _source(other, self.formula)
        if isinstance(other, (ast.Sum, ast.Compare)) or (
            ratio < 1 and isinstance(other, ast.Product)
        ):
            text = f"({text})"
        fix = f"{text} × {written}" if ratio > 1 else f"{text} / {written}"
        self.problems.append(
            UnitProblem(
                _(_CANNOT[verb]).format(
                    other=_text(other),
                    other_unit=_spelled(two.dimension, theirs, self.table),
                    first=first,
                    unit=_spelled(two.dimension, mine, self.table),
                ),
                other.span,
                _("convert it to the satuan of '{first}' first: {fix}").format(
                    first=first, fix=f"({fix})" if verb == "divide" else fix
                ),
            )
        )
        return True


def _read(formula: Formula | None, units_of: Mapping[str, Quantity]) -> list[str | None]:
    """The satuan of the names ``formula`` reads."""
    body = () if formula is None else ast.walk(formula.body)
    return [units_of[n.key].satuan for n in body if isinstance(n, ast.Name) and n.key in units_of]


def _text(node: ast.Node) -> str:
    return to_text(node)


def _source(node: ast.Node, formula: Formula | None) -> str:
    """``node`` as the formula writes it (``Σ [Realisasi Anggaran]``), else as printed."""
    span = node.span
    if formula is not None and span is not None and formula.text:
        return formula.text[span.start : span.end]
    return to_text(node)


def _prefix(operands: tuple[ast.Node, ...], formula: Formula | None) -> str:
    """The first factors of a product (``Σ a / Σ b`` of ``Σ a / Σ b / Σ c``) as written."""
    start, end = operands[0].span, operands[-1].span
    if formula is None or start is None or end is None or not formula.text:
        return " ".join(_text(operand) for operand in operands)
    return formula.text[start.start : end.end]


def _written(value: Decimal, notation: notations.Notation = notations.ID) -> str:
    """A conversion factor as ``notation`` writes it, without trailing zeros (1.000.000)."""
    return notations.write(value.normalize(), notation)


def _spelled(dimension: Dimension | None, scale: Decimal, table: UnitTable) -> str:
    """The satuan of a value of ``dimension`` at conversion scale ``scale`` (Rupiah divided
    by 1.000.000: ``Juta Rupiah``), or its base satuan times its worth."""
    found = table.at_scale(dimension, 1 / scale)
    if found is not None or scale == 1:
        return found or describe(dimension, table)
    worth = _written(1 / scale)
    return _("{unit} × {worth}").format(unit=describe(dimension, table), worth=worth)


def infer(
    formula: Formula,
    units_of: Mapping[str, Quantity],
    table: UnitTable,
    scales: Mapping[str, Decimal] = {},
    notation: notations.Notation = notations.UNSETTLED,
) -> tuple[Quantity, list[UnitProblem]]:
    """The quantity ``formula`` gives, and the unit mistakes inside it.

    ``units_of`` maps each name's key (:func:`~iku_rules.ast.name_key`) to its quantity;
    names it lacks are unknown. ``scales`` are the names' conversion scales
    (:func:`conversion_scales`): values of one quantity at two scales do not meet.
    """
    inference = Inference(units_of, table, scales, formula, notation)
    quantity = inference.quantity(formula.body)
    return quantity, inference.problems


def check_result(
    formula: Formula,
    quantity: Quantity,
    unit: str,
    percent: bool,
    units_of: Mapping[str, Quantity],
    table: UnitTable,
    indicator: str,
) -> str | None:
    """Why the value of ``formula`` (of ``quantity``) cannot be in ``unit``, or None; said of
    the indicator whose id is ``indicator``."""
    if quantity.dimension is None or quantity.flexible:
        return None
    if percent:
        if quantity.dimension == PLAIN:
            return None
        body = formula.body
        if isinstance(body, ast.Product) and len(body.operands) >= 2 and body.ops[0] == "/":
            numerator, denominator = body.operands[0], body.operands[1]
            inference = Inference(units_of, table)
            above = inference.quantity(numerator).describe(table)
            below = inference.quantity(denominator).describe(table)
            return _(
                "indicator '{id}' is a percentage, which divides like by like, but the numerator"
                " '{numerator}' is in {numerator_unit} and the denominator '{denominator}' is in"
                " {denominator_unit}"
            ).format(
                id=indicator,
                numerator=_text(numerator),
                numerator_unit=above,
                denominator=_text(denominator),
                denominator_unit=below,
            )
        return _("indicator '{id}' is a percentage, but its formula gives {gives}").format(
            id=indicator, gives=describe(quantity.dimension, table)
        )
    declared = table.dimension(unit)
    if declared is None or declared == quantity.dimension:
        return None
    gives = describe(quantity.dimension, table)
    if declared == PLAIN and any(isinstance(node, ast.Number) for node in ast.walk(formula.body)):
        return _(
            "indicator '{id}' is measured in {unit}, but its formula gives {gives}; a number"
            " written in a formula has no unit of its own: to divide like by like, make it a"
            ' [[parameter]] with a unit (unit = "Tahun")'
        ).format(id=indicator, unit=unit, gives=gives)
    per = _averaged_over(declared, quantity.dimension)
    if per is not None:
        return _(
            "indicator '{id}' is measured in {unit}, but its formula gives {gives}; if it is an"
            " average ({unit} per {per}, as minutes waited per visit are), write it as the"
            " average of the register's column: rata_rata REGISTER.COLUMN (such as rata_rata"
            " kunjungan.waktu_tunggu)"
        ).format(id=indicator, unit=unit, gives=gives, per=describe(per, table))
    return _("indicator '{id}' is measured in {unit}, but its formula gives {gives}").format(
        id=indicator, unit=unit, gives=gives
    )


def _averaged_over(declared: Dimension, gives: Dimension) -> Dimension | None:
    """What the formula divides the indicator's satuan by, when it gives that satuan per one
    thing (``Menit per Kunjungan`` for an indicator in ``Menit``: a total over a count, the
    shape of an average); None otherwise."""
    per = divide(declared, gives)
    if not declared or per is None or len(per) != 1 or per[0][1] != 1:
        return None
    return per


def check_conversion(
    formula: Formula,
    quantity: Quantity,
    unit: str,
    units_of: Mapping[str, Quantity],
    table: UnitTable,
    indicator: str,
    scales: Mapping[str, Decimal],
    notation: notations.Notation = notations.UNSETTLED,
) -> tuple[str, str] | None:
    """Why the value of ``formula`` is ``unit``'s quantity at another scale, and the
    conversion that mends it (``Σ [Realisasi Anggaran] / 1.000.000.000`` for an indicator in
    Miliar Rupiah over a measure in Rupiah); or None. Asked only of formulas that read or
    give a quantity with scales."""
    if not table.scaled(quantity.dimension):
        return None  # a ratio of like by like is proven at its division (Inference.product)
    found = conversion(formula.body, scales, table.conversions([*_read(formula, units_of), unit]))
    if found is None:
        return None
    wanted = table.factor(unit)
    ratio = found * wanted  # the formula's value is ratio times the value in unit
    if ratio == 1:
        return None
    gives = _spelled(quantity.dimension, found, table)
    big, small = (unit, gives) if ratio > 1 else (gives, unit)
    written = _written(max(ratio, 1 / ratio), notation)
    message = _(
        "indicator '{id}' is measured in {unit}, but its formula gives {gives}:"
        " 1 {big} = {count} {small}"
    ).format(id=indicator, unit=unit, gives=gives, big=big, small=small, count=written)
    text = formula.text.strip() or to_text(formula.body)
    if not isinstance(formula.body, (ast.Product, ast.Name, ast.Aggregate, ast.Call)):
        text = f"({text})"
    if ratio > 1:
        fix = _("divide by {factor}: {fixed}")
        return message, fix.format(factor=written, fixed=f"{text} / {written}")
    fix = _("multiply by {factor}: {fixed}")
    return message, fix.format(factor=written, fixed=f"{text} × {written}")


def check_rate(
    formula: Formula,
    quantity: Quantity,
    wanted: Rate,
    scales: Mapping[str, Decimal],
    table: UnitTable,
    indicator: str,
) -> tuple[str, Span | None] | None:
    """Why the value of ``formula`` is not a rate ``per N thing`` (its ratio must be scaled
    by N, and divided by what the thing counts when the table knows it), and where; or None.
    Said of the indicator whose id is ``indicator``."""
    found = scale(formula.body, scales)
    per = _("per {scale} {thing}").format(scale=wanted.scale_text, thing=wanted.thing)
    literal = next(
        (
            node
            for node in ast.walk(formula.body)
            if isinstance(node, ast.Number) and node.value not in (0, 1) and not node.percent
        ),
        None,
    )
    where = literal.span if literal is not None and found not in (None, 1) else None
    if found is None:
        return (
            _(
                "indicator '{id}' is a rate {per}, but the scale of its formula cannot be proven:"
                " write it as a ratio times {scale} (Σ a / Σ b × {scale})"
            ).format(id=indicator, per=per, scale=wanted.scale_text),
            None,
        )
    if found != wanted.scale:
        if any(isinstance(node, ast.Number) and node.percent for node in ast.walk(formula.body)):
            gives = _("a percentage (× 100%)")
        elif found == 1:
            gives = _("a plain ratio, not scaled")
        else:
            gives = _("a ratio scaled by {scale}").format(
                scale=notations.write(found, notations.ID)
            )
        return (
            _(
                "indicator '{id}' is a rate {per}, but its formula gives {gives}: multiply the"
                " ratio by {scale} (Σ a / Σ b × {scale})"
            ).format(id=indicator, per=per, gives=gives, scale=wanted.scale_text),
            where,
        )
    thing = table.dimension(wanted.thing)
    dimension = quantity.dimension
    if (
        thing is not None
        and dimension is not None
        and dimension != PLAIN
        and dict(dimension).get(thing[0][0] if thing else "", 0) != -1
    ):
        return (
            _(
                "indicator '{id}' is a rate {per}, but its formula gives {gives}, which is not"
                " per {thing}"
            ).format(id=indicator, per=per, gives=describe(dimension, table), thing=wanted.thing),
            None,
        )
    return None


def units_of_names(
    measures: Mapping[str, str | None],
    inputs: Mapping[str, str | None],
    indicators: Mapping[str, str],
    parameters: Mapping[str, str | None] | tuple[str, ...],
    table: UnitTable,
) -> dict[str, Quantity]:
    """The quantity of every name a formula can use, by key. ``parameters`` maps each
    parameter to its satuan (or is a tuple of names without one): a parameter with a
    satuan counts what it counts, one without takes the unit of what it meets."""
    found: dict[str, Quantity] = {}
    for group in (indicators, inputs, measures):
        for name, unit in group.items():
            found[name_key(name)] = Quantity(table.dimension(unit), satuan=unit)
    units = parameters if isinstance(parameters, Mapping) else dict.fromkeys(parameters)
    for name, unit in units.items():
        if unit is None:
            found[name_key(name)] = Quantity(PLAIN, flexible=True)
        else:
            found[name_key(name)] = Quantity(table.dimension(unit), satuan=unit)
    return found
