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
from iku_rules.satuan import PLAIN, Dimension, Rate, UnitTable, describe, divide, multiply
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
}
"""Why two operands cannot meet, by how they meet (translated where the problem is made)."""


@frozen
class UnitProblem:
    """A unit mistake in a formula, at ``span``."""

    message: str
    span: Span | None


class Inference:
    """One walk over a formula: the dimension of every value, and the mistakes found."""

    def __init__(self, units_of: Mapping[str, Quantity], table: UnitTable) -> None:
        self.units_of = units_of
        self.table = table
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
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            other = self.quantity(operand)
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
        if any(q.dimension is None for _, q in found):
            return UNKNOWN  # an unknown operand may count anything
        if known:
            return known[0][1]
        return Quantity(PLAIN, flexible=True)


def _text(node: ast.Node) -> str:
    return to_text(node)


def infer(
    formula: Formula, units_of: Mapping[str, Quantity], table: UnitTable
) -> tuple[Quantity, list[UnitProblem]]:
    """The quantity ``formula`` gives, and the unit mistakes inside it.

    ``units_of`` maps each name's key (:func:`~iku_rules.ast.name_key`) to its quantity;
    names it lacks are unknown.
    """
    inference = Inference(units_of, table)
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


def scale(node: ast.Node, scales: Mapping[str, Decimal]) -> Decimal | None:
    """The constant factor ``node`` scales its values by, proven from its shape, or None.

    A number is its value (``100%`` is 1); a name is its scale in ``scales`` (a parameter
    its value, a value in a rate satuan its N), 1 otherwise; products and quotients
    multiply and divide scales; a sum, ``min``, ``max``, ``if``, ``coalesce``, ``jumlah`` or
    ``rata_rata`` has the scale its parts share (numbers added to them take theirs).

    >>> from iku_rules.parser import parse
    >>> scale(parse("Σ a / Σ b × 100.000", notation="id").body, {})
    Decimal('100000')
    >>> scale(parse("(a − [x min]) / ([x maks] − [x min])").body, {}), scale(parse("a / b × 100%").body, {})
    (Decimal('1'), Decimal('1'))
    """
    if isinstance(node, ast.Number):
        return node.value / 100 if node.percent else node.value
    if isinstance(node, ast.Name):
        return scales.get(node.key, Decimal(1))
    if isinstance(node, (ast.Field, ast.Filter)):
        return Decimal(1)
    if isinstance(node, ast.Aggregate):
        return Decimal(1) if node.func == "count" else scale(node.operand, scales)
    if isinstance(node, ast.Neg):
        return scale(node.operand, scales)
    if isinstance(node, ast.Product):
        found = scale(node.operands[0], scales)
        for op, operand in zip(node.ops, node.operands[1:], strict=True):
            other = scale(operand, scales)
            if found is None or other is None or (op == "/" and other == 0):
                return None
            found = found * other if op == "*" else found / other
        return found
    if isinstance(node, ast.Sum):
        return _shared_scale(node.operands, scales)
    if isinstance(node, ast.Call):
        if node.func in ("round", "abs", "sebelumnya"):
            return scale(node.args[0], scales)
        if node.func == "if":
            return _shared_scale(node.args[1:], scales)
        return _shared_scale(node.args, scales)
    return None


def _shared_scale(parts: tuple[ast.Node, ...], scales: Mapping[str, Decimal]) -> Decimal | None:
    """The scale parts added or chosen between share (plain numbers among them take it)."""
    found = {
        scale(part, scales)
        for part in parts
        if not (isinstance(part, ast.Number) and not part.percent)
    }
    return found.pop() if len(found) == 1 else None


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
