"""What each indicator's formula reads, in the order the engine reads it: the measures
written inline (``Σ register_pmks[kategori = "Anak Terlantar"]``), then each name of the
formula as it stands, a measure, an input, a parameter or another indicator.

Found once per engine. The engine takes each value in this order
(:meth:`~iku_rules.engine.Engine._values`), and :func:`~iku_rules.many.light_indicators`
tells from it which indicators need no answer of a large source: one list for both, so
that a kind of name the one learns the other cannot miss."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from iku_rules.model import Indicator

ReadKind = Literal["measure", "input", "parameter", "indicator"]

Read = tuple[ReadKind, str]
"""One thing a formula reads: its kind, and its key in the engine's tables (a measure's
key in ``specs``, a name's key in the inputs', parameters' or indicators' table)."""


def formula_reads(
    indicator: Indicator,
    inline: Mapping[Any, str],
    specs: Mapping[str, Any],
    input_keys: Mapping[str, Any],
    parameter_keys: Mapping[str, Any],
    indicator_keys: Mapping[str, Any],
) -> tuple[Read, ...]:
    """What ``indicator``'s formula reads, in order: its ``inline`` measures' keys, then
    each of its names found in ``specs``, ``input_keys``, ``parameter_keys`` or
    ``indicator_keys`` (looked up in that order). Empty for an indicator without a
    formula (an input, or realisasi)."""
    if indicator.formula is None:
        return ()
    reads: list[Read] = [("measure", key) for key in inline.values()]
    for name in indicator.formula.names:
        key = name.key
        if key in specs:
            reads.append(("measure", key))
        elif key in input_keys:
            reads.append(("input", key))
        elif key in parameter_keys:
            reads.append(("parameter", key))
        elif key in indicator_keys:
            reads.append(("indicator", key))
    return tuple(reads)
