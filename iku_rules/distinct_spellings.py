"""Values a measure tells apart that differ only in case or spacing.

A measure that counts distinct values (``aggregate = "count_distinct"``) or only the latest
record of each entity (``terakhir = { per = … }``) tells its values apart exactly: in a
``text`` column ``Fakir Miskin`` and ``Fakir Miskin `` (a space typed after it), or
``RTM-001`` and ``rtm-001``, are two, where the office means one, and the count is one too
many without a word. The identifier kinds (``nik``, ``identifier``…) are read without the
spaces around them already; a ``text`` column keeps what was typed. So, before any value is
computed, such a column whose values differ only in case or spacing
(:func:`~iku_rules.regions.region_key`, as region names and the texts filters compare are
matched) is refused at the first row of the second spelling, with both
(:func:`check_distinct_spellings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from iku_rules.datanames import Placer
from iku_rules.i18n import _
from iku_rules.regions import region_key
from iku_rules.sources.base import Backend

if TYPE_CHECKING:
    from iku_rules.measures import MeasureSpec


def check_distinct_spellings(
    specs: Iterable[MeasureSpec],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`~iku_rules.sources.cells.DataError` at the first row of a ``text``
    column a measure counts distinct values of (or the entities of whose latest records it
    counts) that spells a value of it otherwise only in case or spacing."""
    asked: set[tuple[str, str]] = set()
    for spec in specs:
        told_apart = [spec.column] if spec.aggregate == "count_distinct" and spec.column else []
        if spec.latest is not None:
            told_apart.append(spec.latest.per)
        source = spec.source
        for column in told_apart:
            if source.columns.get(column) != "text" or (source.id, column) in asked:
                continue
            asked.add((source.id, column))
            pair = two_spellings(backend.distinct(source, column))
            if pair is None:
                continue
            first, second = pair
            raise Placer(source, data_dir, allow_outside, backend).error(
                column,
                [second],
                _(
                    "the column '{column}' holds '{first}' and '{second}', which differ only"
                    " in letter case or spacing; measure '{measure}' tells its values apart"
                    " exactly, so they would count as two. Write them alike"
                ).format(column=column, first=first, second=second, measure=spec.label),
            )


def two_spellings(values: Iterable[str]) -> tuple[str, str] | None:
    """Two of ``values`` that differ only in case or spacing (the first met, then the one
    that spells it otherwise), or None.

    >>> two_spellings(["Anak Terlantar", "Fakir Miskin", "Fakir Miskin "])
    ('Fakir Miskin', 'Fakir Miskin ')
    >>> two_spellings(["3601000000000001", "3601000000000002"]) is None
    True
    """
    seen: dict[str, str] = {}
    for value in values:
        key = value if value.isdigit() and value.isascii() else region_key(value)  # ids: fast
        if key in seen:
            return seen[key], value
        seen[key] = value
    return None
