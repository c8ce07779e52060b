"""Which names a formula reads: the dependency walk.

>>> from iku_rules.parser import parse
>>> [n.text for n in parse("Σ pegawai[nilai_skp = 'baik'] / Σ pegawai × 100%").names]
['pegawai']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from iku_rules import ast
from iku_rules.ast import name_key

if TYPE_CHECKING:  # the model holds formulas, which read their names here
    from iku_rules.model import Definitions, Indicator


def names(body: ast.Node) -> tuple[ast.Name, ...]:
    """The names read by ``body``, in source order, each key once.

    Names inside a filter's condition are fields of the filtered records, not
    outside values, so they are left out; so are the field names of ``x.field``.
    """
    seen: dict[str, ast.Name] = {}
    stack: list[ast.Node] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            seen.setdefault(node.key, node)
        elif isinstance(node, ast.Filter):
            stack.append(node.base)
        else:
            stack.extend(reversed(node.children()))
    return tuple(seen.values())


def evaluation_order(definitions: Definitions) -> list[Indicator]:
    """Indicators so that each comes after those its formula names (cycles were refused by the checks)."""
    by_key = {name_key(i.id): i for i in definitions.indicators}
    order: list[Indicator] = []
    placed: set[str] = set()

    def visit(indicator: Indicator) -> Iterator[Indicator]:
        stack = [(indicator, False)]
        while stack:
            current, expanded = stack.pop()
            if current.id in placed:
                continue
            if expanded:
                placed.add(current.id)
                yield current
                continue
            stack.append((current, True))
            if current.formula is not None:
                for name in current.formula.names:
                    other = by_key.get(name.key)
                    if other is not None and other.id not in placed and other.id != current.id:
                        stack.append((other, False))

    for indicator in definitions.indicators:
        order.extend(visit(indicator))
    return order
