"""Which names a formula reads: the dependency walk.

>>> from iku_rules.parser import parse
>>> [n.text for n in parse("Σ pegawai[nilai_skp = 'baik'] / Σ pegawai × 100%").names]
['pegawai']
"""

from __future__ import annotations

from iku_rules import ast


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
