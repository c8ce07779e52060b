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
