"""When a numerator is *part of* its denominator, proven from the definitions: the ratio of
the two then lies within 0–1 (:mod:`iku_rules.bounds`).

A part is the same register with a filter (``Σ pegawai[nilai_skp = "baik"] / Σ pegawai``),
or a measure that counts what another counts, of the same source, at the same time, of the
rows a filter that implies the other's selects, by the same latest record of each entity
(``terakhir``) and with no row without a value counted where the other leaves it out
(``missing``)."""

from __future__ import annotations

from collections.abc import Mapping

from iku_rules import ast
from iku_rules.i18n import _
from iku_rules.intervals import SUMS
from iku_rules.model import Measure, Source
from iku_rules.printer import to_text


def part_of(
    numerator: ast.Node,
    denominator: ast.Node,
    measures: Mapping[str, Measure],
    registers: Mapping[str, Source],
    sources: Mapping[str, Source],
) -> str | None:
    """None when ``numerator`` is provably part of ``denominator``, else why not.
    ``measures`` and ``registers`` are by name key, ``sources`` by id."""
    top, bottom = _unwrap(numerator), _unwrap(denominator)
    if top == bottom:
        return None
    if isinstance(top, ast.Filter):
        if top.base == bottom and isinstance(bottom, ast.Name) and bottom.key in registers:
            return None
        if isinstance(bottom, ast.Filter) and top.base == bottom.base:
            if implies(top.condition, bottom.condition):
                return None
            return _(
                "the filter [{filter}] is not known to select only rows that [{other}] selects"
            ).format(filter=to_text(top.condition), other=to_text(bottom.condition))
    if isinstance(top, ast.Name) and isinstance(bottom, ast.Name):
        one, two = measures.get(top.key), measures.get(bottom.key)
        if one is not None and two is not None:
            return measure_part_of(one, two, sources)
    return _(
        "the numerator '{numerator}' is not known to be part of the denominator '{denominator}'"
    ).format(numerator=to_text(top), denominator=to_text(bottom))


def measure_part_of(part: Measure, whole: Measure, sources: Mapping[str, Source]) -> str | None:
    """None when every unit ``part`` counts is counted by ``whole``, else why not."""

    def time(measure: Measure) -> str | None:
        source = sources.get(measure.source)
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
    if whole.latest is not None and part.latest != whole.latest:
        # The whole counts each entity's latest record only; the part, other records too
        # (a balita stunted in round 1 and in round 2 is 2 of the 1 the whole counts).
        return _(
            "the numerator '{numerator}' is not known to be part of the denominator"
            " '{denominator}': the denominator counts only the latest record of each"
            " {entity} by {column}, and the numerator does not"
        ).format(**names, entity=whole.latest.per, column=whole.latest.by)
    if part.missing == "count_each" and whole.missing == "skip":
        # Rows without a value: each counts in the part, none in the whole.
        return _(
            "the numerator '{numerator}' is not known to be part of the denominator"
            " '{denominator}': it counts each row without a {column} as one, which the"
            " denominator leaves out"
        ).format(**names, column=part.column)
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
