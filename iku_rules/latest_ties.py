"""Records tied at an entity's latest: refused where they would change a measure's number.

A measure with ``terakhir = { per = "nik", by = "putaran" }`` counts only each entity's
latest record within the period: the one with the largest ``by``. When two or more records
of one entity share that largest ``by`` (a balita measured twice in one round, a register
row entered twice), every one of them is a latest record, and each would count where one
should: a ``sum`` adds both values, a ``count`` counts both rows, and a filter counts the
balita when either of two disagreeing records passes it. The number given would be wrong,
in silence.

So before any value is computed, each measure with ``terakhir`` is asked, for every period
of the evaluation, which entities hold their latest ``by`` in more than one record of the
measure's rows of the period (:meth:`~iku_rules.sources.base.Backend.latest_ties`, one
question per measure and period, on every backend). Such a tie is refused, with the
entities and their ``by`` and the fix, when the measure's number depends on it, that is
when counting every tied record gives another number than counting any one of them would:

* ``count`` and ``sum`` (and ``avg``): when any of the tied records passes the measure's
  filter, since each record that passes is added;
* ``count_distinct`` (and ``min``, ``max``): when some of the tied records pass the filter
  and others do not (which one is the latest decides whether the entity counts), or when
  they differ in the column counted, or leave it empty (each empty cell may count as one),
  or differ in a region column or the sub kegiatan code (the entity would count in two
  regions).

Tied records that no filter lets through change nothing (the entity counts nowhere either
way), nor do tied records that a distinct count reads as one (the same record entered twice,
identical in every column the measure reads): those are let be. Ties at an earlier ``by``
than the latest are no ties at all: only the latest record counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

from iku_rules.datanames import SHOWN, Placer
from iku_rules.i18n import _, cut_short
from iku_rules.keyed_rows import CODE_COLUMN
from iku_rules.measures import MeasureSpec
from iku_rules.periods import Period
from iku_rules.printer import to_text
from iku_rules.sources.base import Backend
from iku_rules.sources.cells import DataError

ADDED = frozenset({"count", "sum", "avg"})
"""The aggregates that add up every record they count: two tied records count twice."""


@frozen
class Tie:
    """One entity whose latest ``by`` is held by more than one record (as text)."""

    entity: str
    at: str
    records: int


@frozen
class Ties:
    """The ties of a measure in a period that change its number: the first few (by
    entity) and how many entities there are in all."""

    found: tuple[Tie, ...] = ()
    total: int = 0


def tie_text(value: Any) -> str:
    """A value of the ``per`` or ``by`` column as a message shows it, the same from every
    engine: a number without trailing zeros (``3``, not ``3.000000``), a date as
    ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return format(number.normalize(), "f")
    return str(value)


def adds(spec: MeasureSpec) -> bool:
    """Whether ``spec`` adds up every record it counts (each tied record counts)."""
    return spec.aggregate in ADDED or spec.column is None


def compared_columns(spec: MeasureSpec) -> list[str]:
    """The columns in which tied records of a distinct count must agree to count as one:
    the column counted, the region columns and the sub kegiatan code (the groups a result
    is given by)."""
    columns = [spec.column] if spec.column else []
    columns += [column for column in spec.source.regions.values() if column not in columns]
    if CODE_COLUMN in spec.source.columns and CODE_COLUMN not in columns:
        columns.append(CODE_COLUMN)
    per = None if spec.latest is None else spec.latest.per
    return [column for column in columns if column != per]


Row = Mapping[str, Any]


def changes(spec: MeasureSpec, tied: Sequence[Row], passes: Callable[[Row], bool]) -> bool:
    """Whether counting every one of the ``tied`` records (an entity's, at its latest
    ``by``) gives ``spec`` another number than counting one of them would."""
    passing = sum(1 for row in tied if passes(row))
    if passing == 0:
        return False
    if adds(spec) or passing < len(tied):
        return True
    if any(row.get(spec.column or "") is None for row in tied):
        return True
    return any(len({row.get(column) for row in tied}) > 1 for column in compared_columns(spec))


def find_ties(
    rows: Iterable[Row],
    spec: MeasureSpec,
    window: Callable[[Row], bool],
    passes: Callable[[Row], bool],
) -> Ties:
    """The ties of ``spec`` among ``rows`` (the rows of its window the period's, ``passes``
    its filter) that change its number (:func:`changes`), found in Python."""
    latest = spec.latest
    if latest is None:
        return Ties()
    largest: dict[Any, Any] = {}
    held: dict[Any, list[Row]] = {}
    for row in rows:
        entity, when = row.get(latest.per), row.get(latest.by)
        if entity is None or when is None or not window(row):
            continue
        if entity not in largest or when > largest[entity]:
            largest[entity], held[entity] = when, [row]
        elif when == largest[entity]:
            held[entity].append(row)
    found = sorted(
        (
            (entity, tied)
            for entity, tied in held.items()
            if len(tied) > 1 and changes(spec, tied, passes)
        ),
        key=lambda pair: pair[0],
    )
    ties = tuple(
        Tie(tie_text(entity), tie_text(largest[entity]), len(tied)) for entity, tied in found
    )
    return Ties(ties[:SHOWN], len(ties))


def check_latest_ties(
    specs: Iterable[MeasureSpec],
    periods: Sequence[Period],
    backend: Backend,
    data_dir: Path,
    *,
    allow_outside: bool = False,
) -> None:
    """Raise a :class:`DataError` at the first record of the first tie, in any of
    ``periods``, that would change the number of a measure of ``specs`` counting only each
    entity's latest record; ask nothing when no measure does."""
    asked: dict[tuple[Any, ...], MeasureSpec] = {}
    for spec in specs:
        latest = spec.latest
        if latest is None:
            continue
        condition = None if spec.condition is None else to_text(spec.condition)
        rule = "added" if adds(spec) else (spec.column, tuple(compared_columns(spec)))
        asked.setdefault((spec.source.id, latest, spec.time, condition, rule), spec)
    for period in dict.fromkeys(periods):
        for spec in asked.values():
            ties = backend.latest_ties(spec.source, spec, period)
            if ties.total:
                raise _refusal(
                    spec, period, ties, Placer(spec.source, data_dir, allow_outside, backend)
                )


def _refusal(spec: MeasureSpec, period: Period, ties: Ties, placer: Placer) -> DataError:
    latest = spec.latest
    assert latest is not None
    listed = cut_short(
        [
            _("{entity} ({by} {value}, {count} records)").format(
                entity=tie.entity, by=latest.by, value=tie.at, count=tie.records
            )
            for tie in ties.found
        ],
        len(ties.found),
        total=ties.total,
    )
    first = ties.found[0]
    message = _(
        "measure '{measure}' counts only the latest record of each {per} by {by}, but in"
        " {period} source '{source}' holds more than one record at the latest {by} of these"
        " {per}, and each of those records would count where one should: {ties}. Keep one"
        " record of {per} {entity} for {by} {value}, or give its records different {by}"
    ).format(
        measure=spec.label,
        per=latest.per,
        by=latest.by,
        period=period.label,
        source=spec.source.id,
        ties=listed,
        entity=first.entity,
        value=first.at,
    )
    if ties.total > 1:
        message += _("; and so for each {per} listed").format(per=latest.per)

    def holds(record: Mapping[str, Any]) -> bool:
        return (
            tie_text(record.get(latest.per)) == first.entity
            and tie_text(record.get(latest.by)) == first.at
        )

    return placer.first(latest.by, holds, message)
