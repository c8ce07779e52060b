"""What every backend answers, and the results it answers with.

A backend is handed the sources of a definitions folder and a data folder.
The engine asks it three kinds of question, each once per source:

* :meth:`Backend.measures` — every measure over one register, per grouping;
* :meth:`Backend.realisasi` — Σ nilai per indicator over the period's triwulan;
* :meth:`Backend.inputs` — the inputs' values for a year.

Groupings are tuples of column names: ``()`` for the whole kabupaten,
``("kecamatan",)`` per kecamatan, ``("kode_sub_kegiatan",)`` per sub kegiatan.
Answers are keyed by ``(grouping index, values of that grouping's columns)``.

A backend loads each source once and keeps it for every question after; it notes
each file's signature as it loads it (:func:`file_signature`: its size, modification
time, inode change time and inode), and :meth:`Backend.refresh`
forgets the sources whose file has changed since, so that they are read again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import field, frozen

from iku_rules.measures import MeasureSpec, Tally, plain_or_none
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.together import Asked, Questions

if TYPE_CHECKING:
    from iku_rules.latest_ties import Ties
    from iku_rules.sources.cells import DataError

T = TypeVar("T")

GroupKey = tuple[int, tuple[str | None, ...]]
Signature = tuple[int, int, int, int, int] | None
"""A file's size, modification time, inode change time (ns), inode and device; None when
it cannot be read."""


def file_signature(path: Path) -> Signature:
    """What tells a changed file from the one loaded: its size and modification time, and
    its inode change time and inode, which a write moves even when it keeps the size and
    sets the modification time back (a tool restoring timestamps, a copy with ``cp -p``),
    and which replacing the file by another changes."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev


LOGS = {"sqlite": "-wal", "duckdb": ".wal"}
"""The write-ahead log beside a database file of each format: a write committed there
leaves the database file as it was (until a checkpoint) and is read with it."""


def log_signature(path: Path, kind: str) -> tuple[int, int, int] | None:
    """The size, modification time (ns) and inode of the write-ahead log beside the
    database file ``path`` of format ``kind`` (:data:`LOGS`); None when it has none. Its
    inode change time is left out: SQLite run as root changes it on every read."""
    suffix = LOGS.get(kind)
    if suffix is None:
        return None
    try:
        status = path.with_name(path.name + suffix).stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


def value_text(value: Any) -> str:
    """A value read from the data as the text a name, a period or a group's key is compared
    as: a date as ``YYYY-MM-DD``, anything else by ``str``."""
    return value.isoformat() if isinstance(value, date) else str(value)


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
    value: Decimal | None = field(converter=plain_or_none)


@frozen
class Qualified:
    """The names of a region column that stand under more than one region of the parent
    level (two desa named Mekarsari, in kecamatan Bojong and Panimbang), each grouped
    under a label that says which (``Mekarsari (Bojong)``); every other name as written."""

    parent: str
    """The column of the parent level."""
    labels: Mapping[tuple[str, str], str]
    """(the parent as grouped, the name as written) → the label it is grouped under."""

    def label(self, parent: str | None, name: str | None) -> str | None:
        """The name ``name`` under ``parent`` is grouped under."""
        if name is None or parent is None:
            return name
        return self.labels.get((parent, name), name)


def group_values(
    row: Mapping[str, Any],
    grouping: Sequence[str],
    renamed: Mapping[str, Mapping[str, str]],
    qualified: Mapping[str, Qualified],
) -> tuple[str | None, ...]:
    """The row's values of the grouping's columns as text (:func:`value_text`), region names
    in their declared spelling (``renamed``: column → written → declared), under a label
    naming their parent where one name stands under two (``qualified``)."""
    found = []
    for column in grouping:
        value = _renamed(row, column, renamed)
        under = qualified.get(column)
        if under is not None:
            value = under.label(_renamed(row, under.parent, renamed), value)
        found.append(value)
    return tuple(found)


def _renamed(
    row: Mapping[str, Any], column: str, renamed: Mapping[str, Mapping[str, str]]
) -> str | None:
    written = row.get(column)
    value = None if written is None else value_text(written)
    names = renamed.get(column)
    return names.get(value, value) if names and value is not None else value


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
        self._signatures: dict[str, tuple[Path, Signature]] = {}
        self._logs: dict[str, tuple[int, int, int] | None] = {}
        """The signature of each database file's write-ahead log (:func:`log_signature`),
        taken with the file's own."""
        self.renamed: dict[str, dict[str, dict[str, str]]] = {}
        """Region names grouped under their declared spelling: source id → column →
        written → declared (set by the engine, see :func:`iku_rules.datanames.check_names`)."""
        self.qualified: dict[str, dict[str, Qualified]] = {}
        """Names of the level results are asked by that stand under more than one region of
        its parent level, each grouped under a label saying which: source id → column →
        :class:`Qualified` (set by the engine, see :mod:`iku_rules.region_parents`)."""
        self.watched: dict[str, set[str]] = {}
        """Columns whose values the engine checks besides those it checks in every source
        of a kind (:func:`iku_rules.filter_values.watched_columns`: the text columns its filters
        compare, the order of a ``terakhir``), by source id; set before :meth:`prepare`, so
        that a backend that gathers distinct values as it validates a file gathers these
        too."""
        self.reread: list[Source] = []
        """The sources read again in the middle of a question because their file changed
        (DuckDB's files read in place): what the engine checked before may no longer hold."""

    def prepare(self) -> None:
        """Make ready ahead, where the engine gains by it, the sources that every question
        reads first (the engine calls this before it checks the data); by default nothing,
        each source being read when first asked."""
        return

    def together(self, calls: Sequence[tuple[Source, Callable[[], T]]]) -> list[T]:
        """Each call's result, in order: the questions of one evaluation, each about its
        source, none depending on another. The default asks them one after another; DuckDB
        asks them at once (:mod:`~iku_rules.sources.together`)."""
        return self.together_start(calls).finish()

    def together_start(self, calls: Sequence[tuple[Source, Callable[[], T]]]) -> Questions[T]:
        """The questions of :meth:`together`, their answers taken as they come in
        (:class:`~iku_rules.sources.together.Asked`): the default asks each when its
        answer is first wanted, on the calling thread."""
        return Asked([call for _source, call in calls])

    answers_behind = False
    """Whether :meth:`together_start` asks the questions on threads of their own, so that
    the caller can work while the large ones (:meth:`heavy`) still run (DuckDB)."""

    def heavy(self, source: Source) -> bool:
        """Whether ``source``'s question is a large one (the default tells none apart)."""
        return False

    def renames(self, source: Source) -> dict[str, dict[str, str]]:
        """The region names of ``source`` to group under another spelling, by column."""
        return self.renamed.get(source.id, {})

    def qualifications(self, source: Source) -> dict[str, Qualified]:
        """The region names of ``source`` grouped under a label naming their parent, by
        column (:class:`Qualified`)."""
        return self.qualified.get(source.id, {})

    def renamed_key(self, source: Source) -> tuple[Hashable, ...]:
        """:meth:`renames` and :meth:`qualifications` as a key for statements built once."""
        return tuple(
            (column, tuple(sorted(names.items())))
            for column, names in sorted(self.renames(source).items())
        ) + tuple(
            (column, found.parent, tuple(sorted(found.labels.items())))
            for column, found in sorted(self.qualifications(source).items())
        )

    def place(self, source: Source, column: str, message: str) -> DataError | None:
        """``message`` at the table ``source`` is read from, when it is read from one of
        the office's tables rather than a file whose row can be found; else None."""
        return None

    def distinct(self, source: Source, column: str) -> list[str]:
        """The distinct values of one column of ``source`` as text, sorted (blank cells
        left out)."""
        from iku_rules.sources.reader import read_rows

        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        return sorted({value_text(value) for row in rows if (value := row.get(column)) is not None})

    def distinct_rows(
        self, source: Source, columns: tuple[str, ...]
    ) -> list[tuple[str | None, ...]]:
        """The distinct combinations of the values of ``columns`` in ``source``'s rows, as
        text (None for a blank cell)."""
        from iku_rules.sources.reader import read_rows

        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        return distinct_combinations(rows, columns)

    def kept_answer(
        self, source: Source, name: str, compute: Callable[[], T], keep: Callable[[T], bool]
    ) -> T:
        """What ``compute`` answers of ``source`` (a check's answer, a JSON value), kept where
        the backend keeps its files' validating passes and found there again while the file
        is unchanged: on DuckDB, the answers ``keep`` accepts of a CSV file validated through
        the cache (:meth:`~iku_rules.sources.csv_relations.CsvRelations.kept_answer`);
        ``name`` says what else the answer depends on. Here: ``compute()``, each time."""
        return compute()

    def blank_row(self, source: Source, column: str) -> bool:
        """Whether some row of ``source`` leaves ``column`` empty."""
        from iku_rules.sources.reader import read_rows

        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        return any(row.get(column) is None for row in rows)

    def stamp(self, source: Source) -> tuple[Path, Signature] | None:
        """The file of ``source`` and its signature, taken before it is read (None when
        its path is refused: reading it reports why)."""
        from iku_rules.sources.cells import DataError
        from iku_rules.sources.reader import data_path

        try:
            path = data_path(source, self.data_dir, allow_outside=self.allow_outside)
        except DataError:
            return None
        self._logs[source.id] = log_signature(path, source.format)
        return path, file_signature(path)

    def signature(self, source: Source) -> Signature:
        """The signature of ``source``'s file as it was loaded (None when not loaded)."""
        stamp = self._signatures.get(source.id)
        return None if stamp is None else stamp[1]

    def loaded(self, source: Source, stamp: tuple[Path, Signature] | None) -> None:
        """Note that ``source`` was loaded from the file ``stamp`` describes."""
        if stamp is not None:
            self._signatures[source.id] = stamp

    def refresh(self) -> list[str]:
        """Forget every loaded source whose file changed (:func:`file_signature`) since it
        was loaded, or whose database's write-ahead log did (a write committed by a program
        that keeps the database open leaves the file as it was), or whose path leads to
        another file now (a link re-pointed, ``ln -sfn``: the file read is unchanged), so
        that the next question reads it again; their ids."""
        changed = [
            source_id
            for source_id, (path, signature) in self._signatures.items()
            if file_signature(path) != signature
            or log_signature(path, self.sources[source_id].format) != self._logs.get(source_id)
            or self._leads_elsewhere(self.sources[source_id], path)
        ]
        for source_id in changed:
            del self._signatures[source_id]
            self.forget(self.sources[source_id])
        return changed

    def _leads_elsewhere(self, source: Source, path: Path) -> bool:
        """Whether ``source``'s path, every link followed, leads elsewhere than ``path``."""
        from iku_rules.sources.cells import DataError
        from iku_rules.sources.reader import data_path

        try:
            return data_path(source, self.data_dir, allow_outside=self.allow_outside) != path
        except DataError:  # read again, which says why
            return True

    def forget(self, source: Source) -> None:  # noqa: B027 - a hook with nothing to do by default
        """Drop what was loaded of ``source`` (the default keeps nothing)."""

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

    def measures_many(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        periods: Sequence[Period],
        groupings: Sequence[tuple[str, ...]],
    ) -> list[Answer]:
        """:meth:`measures` for each of ``periods``, in their order (the default asks once
        per period; the embedded SQL engines answer every period with one statement)."""
        return [self.measures(source, specs, period, groupings) for period in periods]

    def realisasi_many(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        periods: Sequence[Period],
        groupings: Sequence[tuple[str, ...]],
    ) -> list[Answer]:
        """:meth:`realisasi` for each of ``periods``, in their order."""
        return [self.realisasi(source, indicator_ids, period, groupings) for period in periods]

    @abstractmethod
    def inputs(
        self, source: Source, names: Sequence[str], year: int
    ) -> tuple[Mapping[str, InputValue], Query | None]:
        """Each name's value for the year."""

    @abstractmethod
    def region_inputs(
        self, source: Source, names: Sequence[str], year: int, column: str
    ) -> tuple[Mapping[tuple[str, str | None], InputValue], Query | None]:
        """Each name's value for the year per region of ``column`` (its declared
        spelling), and under None the rows for the whole area (``column`` empty)."""

    @abstractmethod
    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        """The key and value of a row whose ``key_column`` is one of ``keys`` and whose
        ``value_column`` is not a whole number, or has more than ``places`` decimals not 0
        (23.505; the reader keeps every number to 6 decimals, so ``23,500`` is 23.5 here),
        or None when there is none."""

    def latest_ties(self, source: Source, spec: MeasureSpec, period: Period) -> Ties:
        """The entities whose latest ``by`` (of ``spec``'s ``terakhir``) in ``period`` is
        held by more than one of its rows, where that changes ``spec``'s number
        (:mod:`iku_rules.latest_ties`)."""
        raise NotImplementedError(
            f"{self.name} cannot tell tied latest records"  # i18n: not for planners
        )

    def dates(
        self,
        source: Source,
        period: Period,
        time: str,
        groupings: Sequence[tuple[str, ...]],
    ) -> Mapping[GroupKey, tuple[date, date]]:
        """The earliest and latest date of ``source``'s rows in ``period``'s window, before
        any filter: with ``time`` ``"flow"`` the rows dated within the period, with
        ``"state"`` those dated on or before its end; per group of ``groupings`` (a group
        with no row in the window left out). Only explanations ask it
        (:mod:`iku_rules.breakdowns`): how far the data of a period reach."""
        raise NotImplementedError(
            f"{self.name} cannot tell the dates of a source's rows"  # i18n: not for planners
        )

    def dates_many(
        self,
        source: Source,
        periods: Sequence[Period],
        time: str,
        groupings: Sequence[tuple[str, ...]],
    ) -> Sequence[Mapping[GroupKey, tuple[date, date]]]:
        """:meth:`dates` for each of ``periods``, in their order (the default asks once per
        period; the embedded SQL engines answer every period with one statement)."""
        return [self.dates(source, period, time, groupings) for period in periods]

    def region_values(self, source: Source, column: str) -> set[str] | None:
        """Every value of ``column`` (a region) in ``source``, whatever the period; None when
        the backend's answers hold them already (its groups are not limited to a period)."""
        return None

    def close(self) -> None:  # noqa: B027 - a hook with nothing to do by default
        """Release connections (the default holds none)."""


def distinct_combinations(
    rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]
) -> list[tuple[str | None, ...]]:
    """The distinct combinations of ``columns`` in ``rows``, as text (None: blank), in the
    order of their texts."""
    found = {
        tuple(
            None if (value := row.get(column)) is None else value_text(value) for column in columns
        )
        for row in rows
    }
    return sorted(found, key=lambda values: tuple(value or "" for value in values))
