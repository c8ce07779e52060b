"""The SQL backends' common part (:class:`SqlBackend`), and DuckDB, the embedded default.

Every SQL backend runs the statements of :mod:`iku_rules.sources.sql` (SQLite:
:mod:`.sqlite_backend`; the engines of an office's own: :mod:`.postgres`, :mod:`.spark`).
DuckDB, in a connection that may reach only the sources' data files
(:func:`~iku_rules.sources.confine.duckdb_connection`), reads a ``.duckdb`` source in place
(read only, its views checked) and types a CSV source in SQL by the reader's rules, into a
table or, when large, in place through a view, once one pass over the file found every cell
accepted, again when it changes (:mod:`.csv_relations`). Any other source, on DuckDB and on
SQLite, goes through the typed reader (:func:`.reader.read_rows`) into a table: one set of
rules for every backend, the same errors with file, row, column."""

from __future__ import annotations

import shutil
import tempfile
from abc import abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from attrs import evolve
from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.latest_ties import Ties
from iku_rules.library_errors import database_reason
from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import (
    Answer,
    Backend,
    GroupKey,
    InputValue,
    distinct_combinations,
    value_text,
)
from iku_rules.sources.cells import DataError
from iku_rules.sources.confine import allowed_files, duckdb_connection
from iku_rules.sources.csv_file import write_csv
from iku_rules.sources.csv_relations import CsvRelations, unsettled
from iku_rules.sources.duckdb_csv import read_csv
from iku_rules.sources.duckdb_tables import attach_view, attachable
from iku_rules.sources.interrupt import interruptible
from iku_rules.sources.layout import could_not_run
from iku_rules.sources.reader import data_path, read_rows
from iku_rules.sources.sql import (
    Builder,
    Dialect,
    Query,
    create_table,
    drop_table,
    exact,
    period_values,
    rebind,
)
from iku_rules.sources.sql_grain import grouping_keys
from iku_rules.sources.sql_periods import (
    dates_many,
    measure_groups,
    measures_many,
    realisasi_many,
    realisasi_tally,
)
from iku_rules.sources.sql_periods import group_key as _group_key
from iku_rules.sources.sql_periods import spec_key as _spec_key
from iku_rules.sources.sql_ties import read_ties, ties_query
from iku_rules.sources.together import AskAgain, Together, cursor_or, listing, on_thread
from iku_rules.sources.validation_cache import ValidationCache

T = TypeVar("T")


class SqlBackend(Backend):
    """Runs built statements on one connection; subclasses load the tables."""

    dialect: Dialect

    def __init__(
        self, sources: Sequence[Source], data_dir: Path, *, allow_outside: bool = False
    ) -> None:
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        self._loaded: set[str] = set()
        self.queries: list[Query] = []
        self._statements: dict[Hashable, Query] = {}
        """Statements built, by what they were built for but the period's values."""
        self._regions: dict[tuple[str, str], set[str]] = {}

    def statement(
        self, key: Hashable, build: Callable[[], Query], values: Mapping[str, Any]
    ) -> Query:
        """The statement ``build`` gives, built once per ``key`` and bound to ``values``."""
        query = self._statements.get(key)
        if query is None:
            query = self._statements[key] = build()
            return query
        return rebind(query, values)

    def builder(self, renamed: Mapping[str, Mapping[str, str]] | None = None) -> Builder:
        """A builder of this engine's statements; ``renamed`` maps, by column, the spellings
        found in the data to the declared region names they stand for."""
        return Builder(self.dialect, renamed=renamed or {})

    def grouping(self, source: Source) -> Builder:
        """A builder grouping ``source``'s region names as the engine noted: in their
        declared spelling, and under a label naming their parent where one name stands
        under two."""
        return evolve(self.builder(self.renames(source)), qualified=self.qualifications(source))

    @abstractmethod
    def load(self, source: Source) -> None:
        """Make ``source`` available as a table named after it."""

    @abstractmethod
    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        """Run one statement with its bound values."""

    @abstractmethod
    def drop(self, source: Source) -> None:
        """Remove the table (or view) of ``source``, whatever of it exists."""

    def table(self, source: Source) -> None:
        if source.id not in self._loaded:
            stamp = self.stamp(source)
            try:
                self.load(source)
            except BaseException:
                self.drop(source)  # nothing half loaded stays behind to be read later
                raise
            self._loaded.add(source.id)
            self.loaded(source, stamp)

    def forget(self, source: Source) -> None:
        self._loaded.discard(source.id)
        self._regions = {key: found for key, found in self._regions.items() if key[0] != source.id}
        self.drop(source)

    def region_values(self, source: Source, column: str) -> set[str]:
        """The measures' statements read only the period's rows: the regions come from every
        row, once per loaded source."""
        found = self._regions.get((source.id, column))
        if found is None:
            found = self._regions[(source.id, column)] = set(self.distinct(source, column))
        return found

    def run(self, query: Query, source: Source) -> list[tuple[Any, ...]]:
        """The rows of ``query`` over the table of ``source``; a failure is put on its file
        (a database file damaged where the query first reads it, say)."""
        listing(self.queries).append(query)
        try:
            return self.execute(query)
        except DataError as error:
            name, path = self.data_place(source)
            raise DataError(f"{name}: {error.message}", path=path) from None

    def data_place(self, source: Source) -> tuple[str, Path | None]:
        """Where the data of ``source`` are, as a message names them, and their file."""
        return source.path, Path(self.data_dir) / source.path

    def measures(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        self.table(source)
        query = self.statement(
            (
                ("measures", source.id, tuple(_spec_key(spec) for spec in specs), tuple(groupings)),
                self.renamed_key(source),
            ),
            lambda: self.grouping(source).measures(source, specs, period, groupings),
            period_values(period),
        )
        rows = self.run(query, source)
        return Answer(measure_groups(rows, query.columns, specs, groupings, self.dialect), query)

    one_pass = False
    """Whether several periods are answered by one statement per source (DuckDB, SQLite:
    :mod:`~iku_rules.sources.sql_periods`) rather than one per period."""

    def measures_many(
        self,
        source: Source,
        specs: Sequence[MeasureSpec],
        periods: Sequence[Period],
        groupings: Sequence[tuple[str, ...]],
    ) -> list[Answer]:
        return measures_many(self, source, specs, periods, groupings)

    def realisasi_many(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        periods: Sequence[Period],
        groupings: Sequence[tuple[str, ...]],
    ) -> list[Answer]:
        return realisasi_many(self, source, indicator_ids, periods, groupings)

    def realisasi(
        self,
        source: Source,
        indicator_ids: Sequence[str],
        period: Period,
        groupings: Sequence[tuple[str, ...]],
    ) -> Answer:
        self.table(source)
        query = self.statement(
            (
                ("realisasi", source.id, tuple(indicator_ids), len(period.triwulan)),
                (tuple(groupings), self.renamed_key(source)),
            ),
            lambda: self.grouping(source).realisasi(source, indicator_ids, period, groupings),
            period_values(period),
        )
        groups: dict[GroupKey, dict[str, Tally]] = {}
        keys = grouping_keys(groupings)
        for row in self.run(query, source):
            values = dict(zip(query.columns, row, strict=True))
            groups[_group_key(values, keys, groupings)] = {
                "total": realisasi_tally(values, self.dialect)
            }
        return Answer(groups, query)

    def inputs(
        self, source: Source, names: Sequence[str], year: int
    ) -> tuple[Mapping[str, InputValue], Query]:
        self.table(source)
        query = self.statement(
            ("inputs", source.id, tuple(names)),
            lambda: self.builder().inputs(source, names, year),
            {"year": year},
        )
        answers = {}
        for name, rows, present, total in self.run(query, source):
            answers[str(name)] = InputValue(
                int(rows), exact(total, self.dialect, True) if present else None
            )
        return answers, query

    def region_inputs(
        self, source: Source, names: Sequence[str], year: int, column: str
    ) -> tuple[Mapping[tuple[str, str | None], InputValue], Query]:
        self.table(source)
        query = self.statement(
            (("region_inputs", source.id, tuple(names), column), self.renamed_key(source)),
            lambda: self.grouping(source).region_inputs(source, names, year, column),
            {"year": year},
        )
        answers = {}
        for _index, name, region, rows, present, total in self.run(query, source):
            answers[(str(name), None if region is None else str(region))] = InputValue(
                int(rows), exact(total, self.dialect, True) if present else None
            )
        return answers, query

    def distinct(self, source: Source, column: str) -> list[str]:
        self.table(source)
        builder = self.builder()
        statement = exp.select(builder.column(column)).distinct().from_(builder.table(source))
        query = builder.finish(statement, (column,))
        return sorted({value_text(v) for (v,) in self.run(query, source) if v is not None})

    def distinct_rows(
        self, source: Source, columns: tuple[str, ...]
    ) -> list[tuple[str | None, ...]]:
        self.table(source)
        builder = self.builder()
        statement = exp.select(*(builder.column(column) for column in columns)).distinct()
        query = builder.finish(statement.from_(builder.table(source)), columns)
        return distinct_combinations(
            (dict(zip(columns, row, strict=True)) for row in self.run(query, source)), columns
        )

    def blank_row(self, source: Source, column: str) -> bool:
        self.table(source)
        builder = self.builder()
        empty = exp.Is(this=builder.column(column), expression=exp.Null())
        statement = exp.select(exp.Literal.number(1)).from_(builder.table(source)).where(empty)
        return bool(self.run(builder.finish(statement.limit(1), ("found",)), source))

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        self.table(source)
        query = self.builder().fractional(source, key_column, keys, value_column, places)
        for key, value in self.run(query, source):
            return str(key), exact(value, self.dialect, False) or Decimal(0)
        return None

    def latest_ties(self, source: Source, spec: MeasureSpec, period: Period) -> Ties:
        self.table(source)
        query = ties_query(self.builder(), source, spec, period)
        return read_ties(self.run(query, source), source, spec)

    def dates(
        self, source: Source, period: Period, time: str, groupings: Sequence[tuple[str, ...]]
    ) -> dict[GroupKey, tuple[date, date]]:
        return dates_many(self, source, [period], time, groupings)[0]

    def dates_many(
        self,
        source: Source,
        periods: Sequence[Period],
        time: str,
        groupings: Sequence[tuple[str, ...]],
    ) -> list[dict[GroupKey, tuple[date, date]]]:
        return dates_many(self, source, periods, time, groupings)


class DuckDBBackend(SqlBackend):
    """DuckDB, in memory: the default engine."""

    name = "duckdb"
    dialect: Dialect = "duckdb"
    one_pass = True
    answers_behind = True

    def __init__(
        self,
        sources: Sequence[Source],
        data_dir: Path,
        *,
        allow_outside: bool = False,
        cache: ValidationCache | None = None,
    ) -> None:
        """``cache``: where the validating passes over CSV files are kept for a later
        process (:mod:`~iku_rules.sources.validation_cache`); None validates every file."""
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        self._staging = Path(tempfile.mkdtemp(prefix="iku-"))
        """A private folder for rows the reader typed, read back by DuckDB (and spills)."""
        try:
            self.connection = duckdb_connection(
                allowed_paths=allowed_files(self._data_files()),
                allowed_directories=[self._staging],
                temp_directory=self._staging / "spill",
            )
        except BaseException:
            shutil.rmtree(self._staging, ignore_errors=True)
            raise
        self._attached = 0
        self._aliases: dict[str, str] = {}
        """The database attached for each ``.duckdb`` source."""
        self._csv = CsvRelations(
            self.connection,
            data_dir,
            allow_outside=allow_outside,
            watched=self.watched,
            cache=cache,
        )

    def _data_files(self) -> list[Path]:
        """The files DuckDB reads itself (CSV and DuckDB sources), every link followed;
        a source whose file is refused is left out (reading it says why)."""
        found = []
        for source in self.sources.values():
            if source.format in ("csv", "duckdb"):
                try:
                    found.append(data_path(source, self.data_dir, allow_outside=self.allow_outside))
                except DataError:
                    continue
        return found

    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        def fetch() -> list[tuple[Any, ...]]:
            rows: list[tuple[Any, ...]] = (
                cursor_or(self.connection).execute(query.sql, query.params).fetchall()
            )
            return rows

        try:
            return interruptible(self.connection, fetch)  # Ctrl-C stops it when it comes
        except duckdb.Error as error:
            raise DataError(could_not_run("DuckDB", error)) from None

    def run(self, query: Query, source: Source) -> list[tuple[Any, ...]]:
        for _attempt in range(3):  # never read unvalidated: a changed file is validated again
            if self._csv.changed(source):
                if on_thread():
                    raise AskAgain  # validated again on the calling thread
                self.forget(source)
                self.reread.append(source)
            self.table(source)
            rows = super().run(query, source)
            if not self._csv.changed(source):
                return rows
        raise DataError(unsettled(source))

    def table(self, source: Source) -> None:
        if on_thread() and source.id not in self._loaded:
            raise AskAgain  # loaded on the calling thread, the connection's own
        super().table(source)

    def together_start(self, calls: Sequence[tuple[Source, Callable[[], T]]]) -> Together[T]:
        """Asked at once, each on a cursor of its own (:mod:`.together`), once every
        source's table is loaded here; those over large files one after another."""
        for source, _call in calls:
            self.table(source)
        heavy = [self.heavy(source) for source, _call in calls]
        return Together(self.connection, self.queries, [call for _source, call in calls], heavy)

    heavy_bytes = 4 * 1024 * 1024
    """The size of a source's file from which its statement is large (:meth:`together`)."""

    def heavy(self, source: Source) -> bool:
        """Whether ``source``'s statement holds much memory: its file is read in place (a
        large CSV file, a DuckDB file attached) or is :attr:`heavy_bytes` or more."""
        if self._csv.in_place(source) or source.id in self._aliases:
            return True
        signature = self.signature(source)
        return signature is not None and signature[0] >= self.heavy_bytes

    def prepare(self) -> None:  # the CSV files not read yet, a few at a time
        self._csv.prepare([s for s in self.sources.values() if s.id not in self._loaded])

    def kept_answer(
        self, source: Source, name: str, compute: Callable[[], T], keep: Callable[[T], bool]
    ) -> T:
        self.table(source)
        return self._csv.kept_answer(source, name, compute, keep)  # found again, file unchanged

    def distinct(self, source: Source, column: str) -> list[str]:
        self.table(source)
        found = self._csv.distinct(source, column)  # found by the validating pass
        return super().distinct(source, column) if found is None else found

    def blank_row(self, source: Source, column: str) -> bool:
        self.table(source)
        found = self._csv.blank(source, column)  # found by the validating pass
        return super().blank_row(source, column) if found is None else found

    def load(self, source: Source) -> None:
        if source.format == "csv" and self._csv.open(source):
            return
        builder = Builder("duckdb")
        target = builder.table(source)
        casts = [
            exp.alias_(
                exp.Cast(this=builder.column(name), to=builder.sql_type(kind)), name, quoted=True
            )
            for name, kind in source.columns.items()
        ]
        if source.format == "duckdb" and self._attach(source):
            return
        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        self.connection.execute(create_table("duckdb", source))
        with tempfile.TemporaryDirectory(dir=self._staging) as folder:
            staging = Path(folder) / "rows.csv"
            write_csv(staging, list(source.columns), rows)
            reader = read_csv(exp.Placeholder(this="path"), ",", list(source.columns))
            insert = exp.insert(exp.select(*casts).from_(exp.Table(this=reader)), target)
            sql, params = insert.sql(dialect="duckdb"), {"path": str(staging)}
            try:  # Ctrl-C stops the copy when it comes
                interruptible(self.connection, lambda: self.connection.execute(sql, params))
            except duckdb.Error as error:
                raise DataError(
                    _("DuckDB could not load source '{source}': {reason}").format(
                        source=source.id, reason=database_reason(error) or error
                    )
                ) from error

    def _attach(self, source: Source) -> bool:
        """Read ``source``'s DuckDB table in place, as a view over the attached file; False
        (nothing attached) when the reader must read it (:mod:`.duckdb_tables`)."""
        path = attachable(source, self.data_dir, self.allow_outside)
        self._attached += 1
        alias = self._aliases[source.id] = f"src{self._attached}"
        if attach_view(self.connection, source, path, alias):
            return True
        self.drop(source)
        return False

    def drop(self, source: Source) -> None:
        if self._csv.drop(source):
            return
        alias = self._aliases.pop(source.id, None)
        self.connection.execute(drop_table(source, "TABLE" if alias is None else "VIEW"))
        if alias is not None:
            self.connection.execute(f'DETACH DATABASE IF EXISTS "{alias}"')

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._staging, ignore_errors=True)
