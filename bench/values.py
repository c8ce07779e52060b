"""The numbers a cascade job computes, in one shape for every job, and their comparison.

A job's values map ``(period, kecamatan, name)`` to a value: ``kecamatan`` None for the
whole kabupaten; ``name`` is ``measure: <measure>``, ``realisasi: <indicator>`` (Σ nilai
over the period), ``realisasi: <indicator>, <triwulan>`` (what one triwulan reported) or
``input: <name>``; the value None when it is not available. A key a job does not give is
not available to it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

Key = tuple[str, str | None, str]
Values = dict[Key, Decimal | None]


def write(values: Mapping[Key, Decimal | None], path: Path) -> None:
    rows = [
        [period, region, name, None if value is None else str(value)]
        for (period, region, name), value in sorted(
            values.items(), key=lambda item: (item[0][0], item[0][1] or "", item[0][2])
        )
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def read(path: Path) -> Values:
    return {
        (period, region, name): None if value is None else Decimal(value)
        for period, region, name, value in json.loads(path.read_text(encoding="utf-8"))
    }


class Mismatch(Exception):
    """A reference's value differs from the engine's."""


def where(key: Key) -> str:
    period, region, name = key
    kind, _, what = name.partition(": ")
    place = f"kecamatan {region}" if region else "the kabupaten"
    return f"{kind} '{what}', {place}, {period}"


def shown(value: Decimal | None) -> str:
    return "not available" if value is None else format(value.normalize(), "f")


def compare(engine: Values, reference: Values, label: str) -> tuple[int, int]:
    """Check that ``reference`` gives every value of ``engine`` (and nothing the engine
    does not have); the number of values compared and how many of them were available.
    Raises :class:`Mismatch` naming the first difference."""
    for key in sorted(engine, key=_order):
        mine, theirs = engine[key], reference.get(key)
        if mine != theirs:
            raise Mismatch(
                f"{where(key)}: the engine gives {shown(mine)}, {label} gives {shown(theirs)}"
            )
    extra = sorted(key for key in reference if key not in engine and reference[key] is not None)
    if extra:
        key = extra[0]
        raise Mismatch(
            f"{where(key)}: {label} gives {shown(reference[key])}, the engine has no such"
            f" value ({len(extra)} such)"
        )
    return len(engine), sum(value is not None for value in engine.values())


def _order(key: Key) -> tuple[str, str, str]:
    return key[0], key[1] or "", key[2]
