"""What every backend answers, and the results it answers with.

A backend is handed the sources of a definitions folder and a data folder.
The engine asks it three kinds of question, each once per source:

* :meth:`Backend.measures` — every measure over one register, per grouping;
* :meth:`Backend.realisasi` — Σ nilai per indicator over the period's triwulan;
* :meth:`Backend.inputs` — the inputs' values for a year.

Groupings are tuples of column names: ``()`` for the whole kabupaten,
``("kecamatan",)`` per kecamatan, ``("kode_sub_kegiatan",)`` per sub kegiatan.
Answers are keyed by ``(grouping index, values of that grouping's columns)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import frozen

from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period

GroupKey = tuple[int, tuple[str | None, ...]]


@frozen
class Query:
    """A statement ready to run: its SQL text for one engine, its bound values, and
    the names of its result columns."""

    sql: str
    params: dict[str, Any]
    columns: tuple[str, ...]


@frozen
class Answer:
    """A backend's answer for one source: tallies per group, and how it got them
    (the SQL it ran, or how many rows it read in Python)."""

    groups: Mapping[GroupKey, Mapping[str, Tally]]
    query: Query | None = None
    rows_read: int | None = None


@frozen
class InputValue:
    """One input for one year: its value, or how many rows claimed it (0 or more than 1 is a problem)."""

    rows: int
    value: Decimal | None


class Backend(ABC):
    """Runs the aggregates the engine needs over the office's data."""

    name: str = ""

    def __init__(
        self, sources: Sequence[Source], data_dir: Path, *, allow_outside: bool = False
    ) -> None:
        self.sources = {source.id: source for source in sources}
        self.data_dir = data_dir
        self.allow_outside = allow_outside
        """Whether a source's path may lead out of ``data_dir`` (refused by default)."""

    @abstractmethod
    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        """Tallies keyed by spec key, per group."""

    @abstractmethod
    def realisasi(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        """Tallies keyed by ``"total"`` (``value`` = Σ nilai), per group; groupings include ``indikator``."""

    @abstractmethod
    def inputs(
        self, source: Source, names: Sequence[str], year: int
    ) -> tuple[Mapping[str, InputValue], Query | None]:
        """Each name's value for the year."""

    def close(self) -> None:  # noqa: B027 - a hook with nothing to do by default
        """Release connections (the default holds none)."""
