"""A period not over on the day of the evaluation: its numbers are provisional.

An evaluation of 2026 made on 6 December 2026 counts the services of eleven months against
the year's target: its capaian is not the year's, and where lower is better (cases of a
disease, complaints) it flatters. The engine evaluates such a period all the same, as an
office follows its year while it runs, and marks it, so that no one files it as the year's:
:attr:`~iku_rules.results.Evaluation.provisional`, a line under the heading of
``iku eval`` and ``iku explain``, the ``provisional`` column of ``--format json`` and
``csv``, and the notes of the reports and of the workspace.

**The day.** An evaluation is made on the day the engine was given (``Engine(…,
today=date(2027, 1, 15))``, ``iku eval --today 2027-01-15``), else on the day the
environment variable ``IKU_TODAY`` names (``2027-01-15``: a report made again as on the
day it was filed, or tests that must not depend on the day they run), else today.

>>> from iku_rules.periods import Period
>>> is_provisional(Period.parse("2026"), date(2026, 12, 6))
True
>>> is_provisional(Period.parse("2026-TW3"), date(2026, 12, 6))
False
>>> print(provisional_note(Period.parse("2026"), date(2026, 12, 6), "en"))
provisional: the period 2026 has not ended on 6 December 2026 (it ends on 31 December 2026); its values and capaian can still change
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import date

from iku_rules.errors import IkuError
from iku_rules.i18n import _, format_day, use_language
from iku_rules.periods import Period

ENVIRONMENT = "IKU_TODAY"
"""The environment variable naming the day evaluations are made on (``YYYY-MM-DD``)."""


def today(environ: Mapping[str, str] | None = None) -> date:
    """The day evaluations are made on: the one :data:`ENVIRONMENT` names, else today.
    A day written otherwise than ``YYYY-MM-DD`` is refused, never read as today."""
    found = (os.environ if environ is None else environ).get(ENVIRONMENT, "").strip()
    if not found:
        return date.today()
    return parse_day(found, ENVIRONMENT)


def parse_day(text: str, where: str) -> date:
    """``text`` as a day written ``YYYY-MM-DD``, else an :class:`IkuError` naming ``where``
    it was given (the option or the variable)."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise IkuError(
        _("{where}: '{text}' is not a day; write it YYYY-MM-DD, as 2027-01-15").format(
            where=where, text=text
        )
    )


def is_provisional(period: Period, day: date | None) -> bool:
    """Whether ``period`` is not over on ``day`` (its last day included: the data of that
    day may not be in yet); False when the day is not known."""
    return day is not None and day <= period.end


def provisional_note(period: Period, day: date | None, language: str | None = None) -> str | None:
    """Why the numbers of ``period`` evaluated on ``day`` are provisional, in ``language``
    (None: the language spoken); None when the period is over."""
    if day is None or not is_provisional(period, day):
        return None
    with use_language(language) if language else nullcontext():
        if day < period.start:
            text = _(
                "provisional: the period {period} has not begun on {today} (it begins on"
                " {start}); its values and capaian can still change"
            )
        else:
            text = _(
                "provisional: the period {period} has not ended on {today} (it ends on {end});"
                " its values and capaian can still change"
            )
        return text.format(
            period=period.label,
            today=format_day(day),
            start=format_day(period.start),
            end=format_day(period.end),
        )


def as_sentence(note: str | None) -> str | None:
    """``note`` standing alone, as a heading's line or a page's note: its first letter
    capital (``Sementara: periode 2026 …``); None for None. Inside an explanation's lines it
    stays as :func:`provisional_note` writes it."""
    return note[:1].upper() + note[1:] if note else None
