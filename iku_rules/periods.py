"""Reporting periods: a year, a triwulan (quarter), or a year to date.

>>> Period.parse("2026-TW3").start, Period.parse("2026-TW3").end
(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
>>> Period.parse("2026-sd-TW2").triwulan
('2026-TW1', '2026-TW2')
>>> Period.parse("2026-TW1").previous().label
'2025-TW4'
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from attrs import frozen

from iku_rules.errors import IkuError
from iku_rules.i18n import _, format_day
from iku_rules.limits import MAX_YEAR, MIN_YEAR

PeriodKind = Literal["year", "triwulan", "ytd"]

_PATTERN = re.compile(
    r"^\s*(?P<year>\d{4})(?:-(?P<ytd>sd-|s\.d\.-?|ytd-)?(?:TW ?|Q)(?P<quarter>[1-4]|I{1,3}|IV))?\s*$",
    re.IGNORECASE,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


class PeriodError(IkuError):
    """A period written in a way iku-rules does not understand."""


@frozen
class Period:
    """A reporting period.

    ``year`` (``2026``), ``triwulan`` (``2026-TW3``: July to September) or ``ytd``
    (``2026-sd-TW3``: January to September, *sampai dengan* TW3).
    """

    kind: PeriodKind
    year: int
    quarter: int = 4

    @classmethod
    def parse(cls, text: str | int) -> Period:
        """Read ``2026``, ``2026-TW1`` … ``2026-TW4`` (also ``Q1`` or ``TW I``), ``2026-sd-TW3``."""
        match = _PATTERN.match(str(text))
        if not match:
            raise PeriodError(
                _(
                    "'{text}' is not a period; write a year (2026), a triwulan (2026-TW1 … 2026-TW4)"
                    " or a year to date (2026-sd-TW3)"
                ).format(text=text)
            )
        year = int(match["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(
                _("'{text}' is not a period: its year must be from {first} to {last}").format(
                    text=text, first=MIN_YEAR, last=MAX_YEAR
                )
            )
        if match["quarter"] is None:
            return cls("year", year)
        written = match["quarter"].upper()
        quarter = int(written) if written.isdigit() else _ROMAN[written]
        return cls("ytd" if match["ytd"] else "triwulan", year, quarter)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "triwulan":
            return f"{self.year}-TW{self.quarter}"
        return f"{self.year}-sd-TW{self.quarter}"

    def __str__(self) -> str:
        return self.label

    @property
    def first_quarter(self) -> int:
        return self.quarter if self.kind == "triwulan" else 1

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, 3 * self.first_quarter - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the period."""
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, 3 * self.quarter + 1, 1) - timedelta(days=1)

    @property
    def triwulan(self) -> tuple[str, ...]:
        """The triwulan labels the period covers (as the realisasi table writes them)."""
        return tuple(f"{self.year}-TW{q}" for q in range(self.first_quarter, self.quarter + 1))

    def previous(self) -> Period:
        """The previous period of the same kind: last year, or the triwulan before."""
        if self.kind == "triwulan":
            if self.quarter == 1:
                return Period("triwulan", self.year - 1, 4)
            return Period("triwulan", self.year, self.quarter - 1)
        return Period(self.kind, self.year - 1, self.quarter)

    def describe(self) -> str:
        """In words, for explanations, in the language spoken: ``Triwulan II 2026 (1 April–30
        Juni 2026)``, ``2026 (1 January 2026–31 December 2026)``."""
        if self.kind == "triwulan":
            name = _("Triwulan {roman} {year}")
        elif self.kind == "ytd":
            name = _("{year} up to Triwulan {roman}")
        else:
            name = "{year}"
        start = format_day(self.start)
        if self.start.year == self.end.year:
            start = start.replace(str(self.year), "").strip()
        return f"{name.format(roman=_ROMAN_OF[self.quarter], year=self.year)} ({start}–{format_day(self.end)})"


_ROMAN_OF = {number: roman for roman, number in _ROMAN.items()}


MAX_PERIODS = 100
"""The most periods one list or range may name (25 years of triwulan)."""


def _step(period: Period) -> Period:
    """The period after ``period``, of its kind: next year, or the next triwulan (over the
    year's end), or the year to the next triwulan."""
    if period.kind == "year":
        return Period("year", period.year + 1)
    if period.quarter == 4:
        return Period(period.kind, period.year + 1, 1)
    return Period(period.kind, period.year, period.quarter + 1)


def _order(period: Period) -> tuple[int, int]:
    return period.year, period.quarter


def _range(text: str, first_text: str, last_text: str) -> list[Period]:
    first = Period.parse(first_text)
    written = last_text.strip()
    if written and not written[:4].isdigit():  # "TW4" or "sd-TW4": the first one's year
        written = f"{first.year}-{written}"
    last = Period.parse(written)
    if first.kind != last.kind:
        raise PeriodError(
            _(
                "'{text}' is not a range: both ends must be periods of one kind (two years, two"
                " triwulan or two years to date), e.g. 2026-TW1..TW4"
            ).format(text=text)
        )
    if _order(last) < _order(first):
        raise PeriodError(
            _("'{text}' is not a range: it ends ({last}) before it starts ({first})").format(
                text=text, last=last.label, first=first.label
            )
        )
    found = [first]
    while found[-1] != last and len(found) <= MAX_PERIODS:
        found.append(_step(found[-1]))
    return found


def parse_periods(text: str) -> list[Period]:
    """Read one period, a range (``2026-TW1..TW4``, ``2026-TW3..2027-TW2``, ``2024..2026``)
    or a list (``2026-TW1,2026-TW3``; each item may be a range), in the order written.

    >>> [period.label for period in parse_periods("2026-TW1..TW3")]
    ['2026-TW1', '2026-TW2', '2026-TW3']
    >>> [period.label for period in parse_periods("2025, 2026-sd-TW2")]
    ['2025', '2026-sd-TW2']
    """
    found: list[Period] = []
    for item in text.split(","):
        if not item.strip():
            raise PeriodError(
                _(
                    "'{text}' has an empty place in its list of periods; separate periods by"
                    " one comma, e.g. 2026-TW1,2026-TW3"
                ).format(text=text)
            )
        first, dots, last = item.partition("..")
        if dots and (".." in last or not first.strip() or not last.strip()):
            raise PeriodError(
                _(
                    "'{item}' is not a range: write two periods around one '..', e.g. 2026-TW1..TW4"
                ).format(item=item.strip())
            )
        found += _range(item.strip(), first, last) if dots else [Period.parse(item)]
        if len(found) > MAX_PERIODS:
            raise PeriodError(
                _("'{text}' names more than {limit} periods; ask for fewer at a time").format(
                    text=text, limit=MAX_PERIODS
                )
            )
    return found
