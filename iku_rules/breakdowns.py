"""What explanations read of a source besides the evaluation's numbers, fetched when an
explanation first asks for them (:class:`Breakdowns`): the tallies of its measures per sub
kegiatan, how far the dates of its rows in the period reach (:class:`Reach`), and the
declared regions none of its rows in the period name (:class:`Absent`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

from attrs import frozen

from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.regions import Region, region_key
from iku_rules.sources.base import Backend, GroupKey

if TYPE_CHECKING:
    from iku_rules.engine import Engine

T = TypeVar("T")


@frozen
class Absent:
    """The declared regions of one ``level`` (of the ``declared``, in the order the
    ``[[region]]``s write them) that no row of a source in a period's window names, before
    any filter: the whole area's value counts them as none. Cibitung's services not
    entered yet leave the kabupaten's % PMKS tertangani short of its own, and only the
    explanation can say so (per kecamatan, Cibitung's value is not available)."""

    level: str
    declared: int
    names: tuple[str, ...]


@frozen
class Reach:
    """How far the dates of a source's rows in a period's window reach, before any filter:
    with ``time`` ``"flow"`` the rows dated within the period, with ``"state"`` those dated
    on or before its end; ``first`` and ``last`` None when no row is in the window. A
    service log whose rows stop at 31 October counts two months short of the year."""

    source: str
    time: str
    first: date | None
    last: date | None
    absent: tuple[Absent, ...] = ()
    """For the whole area: one for each level the source holds in a column whose regions
    the office declares (its ``names`` empty when each has a row); none for a region."""


class PeriodDates:
    """How far each dated source's rows reach in every one of several periods evaluated
    together (``Engine.evaluate_many``), asked of the backend once for all of them
    (:meth:`~iku_rules.sources.base.Backend.dates_many`: one statement on DuckDB and SQLite)
    the first time one period's are asked: a listing of the four triwulan asks each source
    once, not once per triwulan. Read and filled under the engine's lock."""

    def __init__(self, periods: Sequence[Period]) -> None:
        self.periods = tuple(periods)
        self._found: dict[Hashable, dict[Period, Mapping[GroupKey, tuple[date, date]]]] = {}

    def dates(
        self,
        backend: Backend,
        source: Source,
        period: Period,
        time: str,
        places: Sequence[tuple[str, ...]],
    ) -> Mapping[GroupKey, tuple[date, date]]:
        """The dates of ``period``, asked with those of every other period the first time
        (a period alone is asked alone)."""
        if period not in self.periods or len(self.periods) == 1:
            return backend.dates(source, period, time, places)
        key = (source.id, time, tuple(places))
        found = self._found.get(key)
        if found is None:
            answers = backend.dates_many(source, self.periods, time, places)
            found = self._found[key] = dict(zip(self.periods, answers, strict=True))
        return found[period]


class Breakdowns:
    """The tallies of one source's measures per sub kegiatan (its breakdown column), and the
    dates its rows in the period reach, for the kabupaten and per region (with the declared
    regions its rows do not name), each fetched by one query the first time an explanation
    asks.

    The queries run on the engine's backend under the engine's lock, over the same loaded
    data as the evaluation; when a file changed since (and was read again), there is no
    breakdown rather than parts that do not add up to the value, and no dates rather than
    dates of other rows than those counted."""

    def __init__(
        self,
        engine: Engine,
        backend: Backend,
        source: Source,
        specs: list[MeasureSpec],
        period: Period,
        by: str | None,
        together: PeriodDates | None = None,
    ) -> None:
        """``together``: the periods evaluated with ``period``, whose dates are asked with its
        own (by default ``period`` alone)."""
        self.engine = engine
        self.source = source
        self.specs = specs
        self.period = period
        self.together = PeriodDates((period,)) if together is None else together
        self.signature = backend.signature(source)
        self.renamed = backend.renames(source)  # for a backend opened after the engine closed
        self.qualified = backend.qualifications(source)
        column = source.breakdown_column or ""
        self.groupings: list[tuple[str, ...]] = [(column,)]
        self.region_column = source.regions.get(by) if by else None
        if self.region_column:
            self.groupings.append((self.region_column, column))
        self.by_place = 1 if self.region_column else None
        """Where the regions asked ``by`` stand among :attr:`places`."""
        self._found: dict[tuple[str, str | None], tuple[tuple[str, Tally], ...]] | None = None
        self._dates: dict[str, Mapping[GroupKey, tuple[date, date]] | None] = {}
        self._lock = threading.Lock()

    @cached_property
    def declared(self) -> dict[str, tuple[Region, ...]]:
        """The levels the source holds in a column whose regions the office declares, with
        those regions (read only when the dates are asked, never by an evaluation)."""
        found = {level: self.engine.definitions.regions_at(level) for level in self.source.regions}
        return {level: regions for level, regions in found.items() if regions}

    @cached_property
    def places(self) -> list[tuple[str, ...]]:
        """The groupings of the dates: the whole area, the regions asked ``by``, and each
        column of a level whose regions are declared (which of them have rows)."""
        columns = [self.region_column] if self.region_column else []
        columns += [self.source.regions[level] for level in self.declared]
        return [(), *((column,) for column in dict.fromkeys(columns))]

    def parts(self, key: str, region: str | None) -> tuple[tuple[str, Tally], ...]:
        """The sub kegiatan with rows that pass measure ``key``'s filter, and their tallies
        (none when the source has no breakdown column)."""
        if not self.source.breakdown_column:
            return ()
        with self._lock:
            if self._found is None:
                self._found = self._fetch()
            return self._found.get((key, region), ())

    def reach(self, time: str, region: str | None) -> Reach | None:
        """How far the dates of the source's rows in the period's window (``time``) reach,
        for the whole area or ``region``; None when not known: the source has no date column
        (or holds values per period), no column of the level of ``region``, or its file
        changed since the evaluation."""
        source = self.source
        if not source.date_column or source.grain is not None:
            return None
        if region is not None and self.by_place is None:
            return None
        with self._lock:
            if time not in self._dates:
                self._dates[time] = self._ask(
                    lambda backend: self.together.dates(
                        backend, source, self.period, time, self.places
                    )
                )
            found = self._dates[time]
        if found is None:
            return None
        if region is not None:
            first, last = found.get((self.by_place or 0, (region,)), (None, None))
            return Reach(source.id, time, first, last)
        first, last = found.get((0, ()), (None, None))
        return Reach(source.id, time, first, last, self._absent(found))

    def _absent(self, found: Mapping[GroupKey, tuple[date, date]]) -> tuple[Absent, ...]:
        """For each level whose regions are declared, those none of the rows in the window
        name: a name in the data is grouped under its declared spelling (``CIBITUNG`` is
        Cibitung's row) or the label of its parent (``Mekarsari (Giriwangi)``), and matched
        ignoring case and spacing besides, as the engine matches names."""
        absent = []
        for level, regions in self.declared.items():
            place = self.places.index((self.source.regions[level],))
            named = {
                region_key(name)
                for (index, values), _dates in found.items()
                if index == place
                for name in values
                if name is not None
            }
            missing = tuple(r.name for r in regions if region_key(r.name) not in named)
            absent.append(Absent(level, len(regions), missing))
        return tuple(absent)

    def _ask(self, question: Callable[[Backend], T]) -> T | None:
        """``question``'s answer from the backend holding the evaluation's data (or, the
        engine closed, from one opened for it alone); None when the source's file changed
        since the evaluation."""
        with self.engine._lock:
            backend = self.engine._open
            closed = backend is None  # the engine was closed: a backend for this query alone
            if backend is None:
                backend = self.engine._new_backend()
                backend.renamed[self.source.id] = self.renamed
                backend.qualified[self.source.id] = self.qualified
            else:
                backend.refresh()
            try:
                answer = question(backend)
                if backend.signature(self.source) != self.signature:
                    return None
                return answer
            finally:
                if closed:
                    backend.close()

    def _fetch(self) -> dict[tuple[str, str | None], tuple[tuple[str, Tally], ...]]:
        answer = self._ask(
            lambda backend: backend.measures(self.source, self.specs, self.period, self.groupings)
        )
        if answer is None:
            return {}
        found: dict[tuple[str, str | None], list[tuple[str, Tally]]] = {}
        for (index, values), tallies in answer.groups.items():
            code = values[-1]
            if code is None:
                continue
            region = values[0] if len(self.groupings[index]) == 2 else None
            for key, tally in tallies.items():
                if tally.matched:
                    found.setdefault((key, region), []).append((code, tally))
        return {place: tuple(sorted(rows)) for place, rows in found.items()}
