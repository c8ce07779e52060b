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
    | {"year", "masa", "bln", "thn", "smt", "tahun_ajaran", "thn_ajaran"}
)
"""The names (as :func:`~iku_rules.ast.name_key` reads them) of a column that places each
row of a table in a period."""


def period_column(column: str) -> bool:
    """Whether ``column`` is named for a period (:data:`PERIOD_COLUMNS`)."""
    return _key(column) in PERIOD_COLUMNS


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


YEAR_COLUMNS = frozenset({"tahun", "year", "thn", "tahun_ajaran", "thn_ajaran"})
"""The names of a column that holds each row's year, beside one that holds its month."""
_MONTH_NAMES = frozenset(
    {"januari", "january", "jan", "februari", "pebruari", "february", "feb", "peb", "maret"}
    | {"march", "mar", "april", "apr", "mei", "may", "juni", "june", "jun", "juli", "july"}
    | {"jul", "agustus", "august", "agu", "agt", "agus", "aug", "september", "sep", "sept"}
    | {"oktober", "october", "okt", "oct", "november", "nopember", "nov", "nop", "desember"}
    | {"december", "des", "dec"}
)
_YEAR = r"(?:\s*[-/.]?\s*(?P<year>\d{4}))?"
_WRITTEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month", re.compile(r"(?P<name>[a-z]+)\.?" + _YEAR)),
    ("month", re.compile(r"(?P<month>\d{1,2})" + _YEAR)),
    ("month", re.compile(r"(?P<year>\d{4})\s*[/.]\s*(?P<month>\d{1,2})")),
    ("month", re.compile(r"(?P<year>\d{4})-\d{2}-\d{2}")),
    ("month", re.compile(r"\d{1,2}[/-]\d{1,2}[/-](?P<year>\d{4})")),
    (
        "semester",
        re.compile(
            r"(?:semester|smt|sem)?\.?\s*(?:1|2|i|ii|ganjil|genap)"
            r"(?:\s*(?:ta\.?|tahun ajaran)?\s*[-/]?\s*(?P<year>\d{4})(?:\s*/\s*\d{4})?)?"
        ),
    ),
    ("semester", re.compile(r"(?P<year>\d{4})\s*[-/ ]\s*(?:s|smt|semester)?\s*(?:1|2|i|ii)")),
    ("school_year", re.compile(r"(?:ta\.?|t\.a\.|tahun ajaran)?\s*(?P<year>\d{4})\s*[-/]\s*\d{4}")),
    ("triwulan", re.compile(r"(?:triwulan|tw|trw|q)?\.?\s*(?:[1-4]|i|ii|iii|iv)" + _YEAR)),
    (
        "triwulan",
        re.compile(r"(?P<year>\d{4})\s*[-/ ]\s*(?:triwulan|tw|trw|q)\.?\s*(?:[1-4]|i|ii|iii|iv)"),
    ),
)
"""Periods written otherwise than a grain's label, as a register without dates may place its
rows: a month (``Januari``, ``Juni 2026``, ``06/2026``, ``6``, ``2026-06-30``), a semester
(``Semester I 2026``, ``Smt 2``, ``Ganjil``, ``2026-2``), a school year (``2025/2026``, ``TA
2025/2026``) or a triwulan (``TW1``, ``Triwulan I 2026``, ``2026 Q1``; ``III`` or ``3`` in a column
named for the triwulan); each found as a ``year`` when it writes one. A bare number is a
month's but in a column named for the semester or the triwulan (:data:`NAMED_KINDS`)."""


NAMED_KINDS = {"semester": "semester", "smt": "semester"} | dict.fromkeys(
    ("triwulan", "tw", "quarter"), "triwulan"
)
"""The kind of period a column of each of these names holds: ``3`` in a column named
semester is no month (a student's semester), ``3`` in one named triwulan is its third."""


def undated_periods(column: str, values: Iterable[str], columns: Iterable[str]) -> str | None:
    """The kind of period (``month``, ``semester``, ``school_year``) that ``column`` of a
    register with neither a date column nor ``time = "period"`` writes otherwise than a
    grain's label (:func:`undated_grain` finds those), or None. As there, every row of such
    a register counts in every period: a puskesmas' monthly report written ``Januari`` …
    ``Desember`` beside its ``tahun`` gave its triwulan the whole year's sum. A column named
    for a period holding two or more such values is one, when the values write their year or
    the register has a column of years (a staff list's month of joining, beside no year, is
    not)."""
    found = _written_periods(column, values)
    if found is None:
        return None
    kind, dated, _worded = found
    if not dated and not any(_key(name) in YEAR_COLUMNS for name in columns):
        return None
    return kind


NUMBERED_COLUMNS = frozenset({"bulan", "bln", "month", "triwulan", "tw", "quarter"})
"""The names of a column whose numbers are the row's month or triwulan (1 to 12, 1 to 4)."""

ROUND_COLUMNS = frozenset({"periode", "period", "masa"})
"""The names of a column whose numbers 1 to 4 are the row's triwulan: a quarterly report
writes ``periode`` 1 … 4. Larger numbers there may be a round or a student's semester
(1 to 14), and are let be; 1 to 4 are refused, since the same column beside a ``tahun``
column is refused already (:func:`undated_periods`), and a register of rounds so named (the
4 tahap of a year's aid) adds up the rounds of every period asked just the same: the
message says to write each row's period, or to name the column for what it is (``tahap``)."""

_QUARTER_NUMBER = re.compile(r"0?[1-4]")


def yearless_periods(column: str, values: Iterable[str], columns: Iterable[str]) -> bool:
    """Whether ``column`` of a register with neither a date column nor ``time = "period"``
    places each row in a month, triwulan or semester without writing its year, in a
    register with no column of years either. Every row of such a register counts in every
    period, of any year: a monthly report of 2026 written ``Januari`` … ``Desember`` gave
    its triwulan the whole year's sum, and 2025 the rows of 2026.

    A column is such when both its name and its values say so:

    * its name is a period's own (:data:`PERIOD_COLUMNS`: ``bulan``, ``periode``,
      ``semester``), not that of something else's month (``bulan_berdiri``,
      ``bulan_masuk``: the month an institution was founded, or someone joined, is no
      period of the row, and is never asked of the data);
    * it holds two or more distinct periods of one kind, none with its year (one only is
      that period's, as :func:`undated_periods` reads it), each written with a word
      (``Januari``, ``Jan``, ``TW1``, ``Triwulan I``, ``Semester I``, ``Ganjil``, ``I`` …
      ``IV``), or as a number in a column named for the month or the triwulan
      (:data:`NUMBERED_COLUMNS`: 1 to 12, 1 to 4), or 1 to 4 in one named ``periode`` or
      ``masa`` (:data:`ROUND_COLUMNS`: a quarterly report's triwulan); other numbers in a
      column named ``semester`` or ``periode`` may be a student's semester or a round, and
      are let be.
    """
    values = list(values)
    found = _written_periods(column, values)
    if found is None:
        return False
    _kind, dated, worded = found
    if dated or any(_key(name) in YEAR_COLUMNS for name in columns):
        return False
    if _key(column) in ROUND_COLUMNS:
        return worded or all(_QUARTER_NUMBER.fullmatch(value.strip()) for value in values)
    return worded or _key(column) in NUMBERED_COLUMNS


def _written_periods(column: str, values: Iterable[str]) -> tuple[str, bool, bool] | None:
    """The one kind of period that every value of ``column`` (named for a period, and
    holding two or more distinct values) writes, whether each writes its year, and whether
    any writes the period with a word (``Januari``, ``Semester I``); None when the column
    is not named for a period, or its values are not all periods of one kind."""
    if not period_column(column):
        return None
    written = {" ".join(value.split()).casefold() for value in values}
    if len(written) < 2:
        return None
    kinds: set[str] = set()
    dated, worded = True, False
    named = NAMED_KINDS.get(_key(column))
    for value in written:
        found = _written_period(value, named)
        if found is None:
            return None
        kinds.add(found[0])
        dated = dated and found[1]
        worded = worded or re.search(r"[a-z]", value) is not None
    if len(kinds) > 1:
        return _one_kind(written, worded)
    return kinds.pop(), dated, worded


def _one_kind(written: set[str], worded: bool) -> tuple[str, bool, bool] | None:
    """The first kind of period (in :data:`_WRITTEN`'s order) that every one of ``written``
    can be read as, when each is read first as another: ``I`` and ``II`` read first as
    semesters, ``III`` and ``IV`` as triwulans, all four a triwulan's; None when no kind
    reads them all (``Januari`` and ``Semester I``)."""
    for kind in dict.fromkeys(kind for kind, _pattern in _WRITTEN):
        found = [_written_period(value, kind) for value in written]
        if all(read is not None for read in found):
            return kind, all(read is not None and read[1] for read in found), worded
    return None


def _key(column: str) -> str:
    return column.strip().lower().replace(" ", "_")


def _written_period(value: str, first: str | None) -> tuple[str, bool] | None:
    """The kind of period ``value`` (folded) writes, and whether it writes its year; of the
    kind ``first`` only, when given (``3`` in a column named semester is no month)."""
    for kind, pattern in _WRITTEN:
        if first is not None and kind != first:
            continue
        match = pattern.fullmatch(value)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("name") is not None and groups["name"] not in _MONTH_NAMES:
            continue
        if groups.get("month") is not None and not 1 <= int(groups["month"]) <= 12:
            continue
        return kind, bool(match.group("year")) if "year" in groups else True
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
