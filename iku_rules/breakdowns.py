"""The tallies of a source's measures per sub kegiatan, fetched when an explanation first
asks for them (:class:`Breakdowns`)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Backend

if TYPE_CHECKING:
    from iku_rules.engine import Engine


class Breakdowns:
    """The tallies of one source's measures per sub kegiatan (its breakdown column), for the
    kabupaten and per region, fetched by one query the first time an explanation asks.

    The query runs on the engine's backend under the engine's lock, over the same loaded
    data as the evaluation; when a file changed since (and was read again), there is no
    breakdown rather than parts that do not add up to the value."""

    def __init__(
        self,
        engine: Engine,
        backend: Backend,
        source: Source,
        specs: list[MeasureSpec],
        period: Period,
        by: str | None,
    ) -> None:
        self.engine = engine
        self.source = source
        self.specs = specs
        self.period = period
        self.signature = backend.signature(source)
        self.renamed = backend.renames(source)  # for a backend opened after the engine closed
        self.qualified = backend.qualifications(source)
        column = source.breakdown_column or ""
        self.groupings: list[tuple[str, ...]] = [(column,)]
        region_column = source.regions.get(by) if by else None
        if region_column:
            self.groupings.append((region_column, column))
        self._found: dict[tuple[str, str | None], tuple[tuple[str, Tally], ...]] | None = None
        self._lock = threading.Lock()

    def parts(self, key: str, region: str | None) -> tuple[tuple[str, Tally], ...]:
        """The sub kegiatan with rows that pass measure ``key``'s filter, and their tallies."""
        with self._lock:
            if self._found is None:
                self._found = self._fetch()
            return self._found.get((key, region), ())

    def _fetch(self) -> dict[tuple[str, str | None], tuple[tuple[str, Tally], ...]]:
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
                answer = backend.measures(self.source, self.specs, self.period, self.groupings)
                if backend.signature(self.source) != self.signature:
                    return {}
            finally:
                if closed:
                    backend.close()
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
