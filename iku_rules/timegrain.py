"""Time grains: which rows of a source belong to a period.

A source's rows are one of three things (``time`` of its ``[[source]]``):

* ``flow`` — events, each dated: the rows dated within the period count (services given);
* ``state`` — a register's state at a date: the rows dated on or before the period's end
  count (everyone registered by then);
* ``period`` — values per period, one row per year, triwulan or month (``grain``), the
  period written in ``period_column`` (``2026``, ``2026-TW1``, ``2026-01``): only the
  rows of the periods within the one asked count, never those of other periods, so a
  yearly target population is never added up across years. Nor is a period summed over
  the rows it happens to have: a value needs a row for every label within the period
  (:meth:`Grain.labels`) from every reporting unit, else it is not available
  (:mod:`iku_rules.period_gaps`).

A yearly value (``grain = "year"``) asked for a triwulan or a year to date follows the
source's ``in_triwulan``: ``"year_value"`` takes the year's value (a yearly denominator
such as the year's sasaran ibu hamil), ``"not_available"`` (the default) makes the
measure not available, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Literal

from attrs import frozen

from iku_rules.i18n import _
from iku_rules.periods import Period

GrainUnit = Literal["year", "triwulan", "month"]
GRAINS: tuple[GrainUnit, ...] = ("year", "triwulan", "month")
IN_TRIWULAN = ("year_value", "not_available")

_LABELS = {
    "year": re.compile(r"\d{4}", re.ASCII),
    "triwulan": re.compile(r"\d{4}-TW[1-4]", re.ASCII),
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII),
}
"""The labels of each grain, in ASCII digits: rows are found by comparing labels as text, so
a year typed in full-width digits (``２０２６-01``, as an Asian keyboard's input writes them)
would match no period."""
EXAMPLES = {"year": "2026", "triwulan": "2026-TW1", "month": "2026-01"}


@frozen
class Grain:
    """How a ``time = "period"`` source writes its periods: one row per ``unit``, the
    period in ``column``; ``in_triwulan`` is the rule for a yearly value asked for a
    triwulan or a year to date."""

    unit: GrainUnit
    column: str
    in_triwulan: Literal["year_value", "not_available"] = "not_available"

    def bounds(self, period: Period) -> tuple[str, str]:
        """The first and last label of this grain within ``period`` (labels of one grain
        sort as their periods do, so the rows of the period are those between them)."""
        if self.unit == "year":
            return str(period.year), str(period.year)
        if self.unit == "triwulan":
            return period.triwulan[0], period.triwulan[-1]
        return f"{period.year}-{period.start.month:02d}", f"{period.year}-{period.end.month:02d}"

    def labels(self, period: Period) -> tuple[str, ...]:
        """Every label of this grain within ``period``, in order: the rows a value for it
        adds up (``2026-01`` … ``2026-12`` for a year of months; a yearly value's one
        label for a triwulan, as ``in_triwulan = "year_value"`` reads it)."""
        if self.unit == "year":
            return (str(period.year),)
        if self.unit == "triwulan":
            return tuple(period.triwulan)
        months = range(period.start.month, period.end.month + 1)
        return tuple(f"{period.year}-{month:02d}" for month in months)

    def unavailable(self, period: Period) -> str | None:
        """Why the source has no value for ``period``, or None when it has one."""
        if self.unit != "year" or period.kind == "year" or self.in_triwulan == "year_value":
            return None
        return _(
            "the source gives one value per year, and {period} is not a whole year"
            ' (declare in_triwulan = "year_value" on the source to use the year\'s value)'
        ).format(period=period.label)

    def well_formed(self, label: str) -> bool:
        """Whether ``label`` is a period of this grain as the data must write it: exactly,
        without a space before or after it (the rows of a period are found by comparing
        labels as text, so `` 2026-04`` sorts before ``2026-01`` and ``2026-12 `` after
        ``2026-12``: such a row would count in no period, or in the wrong one)."""
        return _LABELS[self.unit].fullmatch(label) is not None

    def describe(self, period: Period) -> str:
        first, last = self.bounds(period)
        within = first if first == last else _("{first} to {last}").format(first=first, last=last)
        return f"{self.column} {within}"


PERIOD_COLUMNS = frozenset(
    {"bulan", "periode", "period", "triwulan", "tw", "semester", "tahun", "month", "quarter"}
    | {"year", "masa", "bln", "thn"}
)
"""The names (as :func:`~iku_rules.ast.name_key` reads them) of a column that places each
row of a table in a period."""


def period_column(column: str) -> bool:
    """Whether ``column`` is named for a period (:data:`PERIOD_COLUMNS`)."""
    return column.strip().lower().replace(" ", "_") in PERIOD_COLUMNS


def undated_grain(column: str, values: Iterable[str]) -> GrainUnit | None:
    """The grain of the periods written in ``column`` of a register that has neither a date
    column nor ``time = "period"``: every row of such a register counts in every period,
    so a monthly report declared so would add up the months of every year (2025's with
    2026's) for each period asked. A column named for a period (:data:`PERIOD_COLUMNS`)
    whose values are two or more periods of one grain, as :meth:`Grain.well_formed` writes
    them, is that; None when it is not (a list of staff with their years of service), or
    names one period only (its rows are that period's, whichever is asked)."""
    if not period_column(column):
        return None
    written = set(values)
    if len(written) < 2:
        return None
    for unit in GRAINS:
        if all(_LABELS[unit].fullmatch(value) for value in written):
            return unit
    return None


def period_bounds(period: Period) -> dict[str, str]:
    """The labels of every grain within ``period``, bound by name in SQL (the same names
    for every period, so a statement built once serves all)."""
    values: dict[str, str] = {}
    for unit in GRAINS:
        first, last = Grain(unit, "").bounds(period)
        values[f"{unit}_first"], values[f"{unit}_last"] = first, last
    return values


@frozen
class Latest:
    """``terakhir``: of each entity (``per``, a NIK say), only its latest record within the
    period counts, latest by ``by`` (a date or a round number). Two or more records of one
    entity at its latest ``by`` (a balita measured twice in one round) are refused before
    any value is computed wherever counting them all would give another number than
    counting one (:mod:`iku_rules.latest_ties`): for a ``count`` or a ``sum`` when any of
    them passes the measure's filter; for a ``count_distinct`` when they disagree about
    the filter, or differ in (or leave empty) the column counted, a region column or the
    sub kegiatan code. Tied records no filter lets through, and those a distinct count
    reads as one, are let be."""

    per: str
    by: str

    def unordered(self, columns: Mapping[str, str]) -> str | None:
        """Why ``by``, declared of a type in ``columns``, cannot tell which record is the
        latest, or None when it can: only numbers and dates order as rounds and days do
        (as text, round 10 comes before round 9, and the round-9 record would count)."""
        kind = columns.get(self.by)
        if kind is None or kind in ORDERED_TYPES:
            return None
        return _(
            "the latest record of each {entity} is the one with the largest {column}, but"
            " {column} is declared '{kind}', and text is ordered letter by letter (round 10"
            " before round 9), so the latest cannot be told; declare {column} as integer,"
            " decimal or date"
        ).format(entity=self.per, column=self.by, kind=kind)


ORDERED_TYPES = frozenset({"integer", "decimal", "date"})
"""The column types whose values order as the records do: a round number, a date."""
