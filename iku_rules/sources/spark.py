"""Spark: the definitions evaluated as Spark SQL jobs, through PySpark.

The statements of :mod:`iku_rules.sources.sql`, rendered for Spark SQL, run in a
``SparkSession`` (one given, or one started on ``local[2]``) with the settings of
:data:`~iku_rules.sources.dialects.SPARK_CONF` (ANSI mode: an overflowing sum or a bad
cast is an error, never a NULL). Each statement fetches every measure of one source
for every grouping at once, and its rows are collected once per period; sums come back
as ``DECIMAL(38, 6)``, that is :class:`~decimal.Decimal`.

Where the sources are (:class:`~iku_rules.sources.connect.SparkTarget`):

* **the catalog** (``catalog=True``): a table of the session's catalog named by the
  source's ``table`` (else its id), read through a subquery that types its declared
  columns (:mod:`iku_rules.sources.external`), after its cells, its numbers kept as text
  and the rows of sums it may hold are checked as a PostgreSQL table's
  (:mod:`iku_rules.sources.office_backend`);
* **the data folder** (the default): a ``.parquet`` file or folder is read by Spark
  itself and typed the same way; every other file (CSV, Excel, SQLite, DuckDB) is read
  by :mod:`iku_rules.sources.reader` — the same rules, the same errors with file, row and
  column as every other backend — and handed to Spark with its declared types.

``iku explain --sql`` shows every statement a job ran.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlglot import exp

from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.library_errors import database_reason, spark_text
from iku_rules.model import Source
from iku_rules.sources.base import Signature
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget
from iku_rules.sources.dialects import SPARK_CONF
from iku_rules.sources.external import (
    not_whole,
    office_table,
)
from iku_rules.sources.layout import could_not_run, not_in_folder
from iku_rules.sources.office_backend import NUMBER_KINDS, OfficeBackend
from iku_rules.sources.reader import data_path, read_rows
from iku_rules.sources.sql import Dialect, Query, internal_table

EXTRA = "spark"
"""The optional dependency that brings PySpark: ``pip install 'iku-rules[spark]'``."""
SESSION_CONF = {
    **SPARK_CONF,
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
}
"""A session started here: the engine's settings, no web UI, few shuffle partitions
(one kabupaten's groups are few)."""


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise IkuError(
            _(
                "the Spark backend needs PySpark (and Java 17): pip install 'iku-rules[{extra}]'"
            ).format(extra=EXTRA)
        ) from None
    return pyspark.sql


def session(target: SparkTarget) -> tuple[Any, bool]:
    """The session to run in, and whether it was started here (then it is stopped at the
    end); the engine's settings are set on it either way."""
    sql = _pyspark()
    if target.session is not None:
        spark, started = target.session, False
    else:
        started = sql.SparkSession.getActiveSession() is None
        builder = sql.SparkSession.builder.master(target.master).appName("iku-rules")
        for key, value in SESSION_CONF.items():
            builder = builder.config(key, value)
        try:
            spark = builder.getOrCreate()
        except Exception as error:  # Java missing or failing: Py4J and PySpark raise their own
            raise IkuError(
                _("Spark could not start on {master} (it needs Java 17): {reason}").format(
                    master=target.master, reason=_first_line(error)
                )
            ) from None
    for key, value in SPARK_CONF.items():
        spark.conf.set(key, value)
    if started:  # what fails is told in a message of its own, never as Java's log
        spark.sparkContext.setLogLevel("FATAL")
        quiet_query_logs()
    return spark, started


QUERY_LOGS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")
"""The loggers PySpark writes a failed query's whole Java stack to, as JSON on the
terminal, besides raising it."""


def quiet_query_logs() -> None:
    """Keep PySpark from writing a failed query's Java stack on the terminal: the planner
    reads the message the failure is turned into (:func:`_spark_failed`)."""
    try:
        from pyspark.logger import PySparkLogger
    except ImportError:  # a PySpark without them writes none
        return
    for name in QUERY_LOGS:
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)


def _quoted(name: str) -> str:
    """A name as Spark's catalog calls take it: one identifier in backticks."""
    return "`" + name.replace("`", "``") + "`"


class SparkBackend(OfficeBackend):
    """A Spark session: the data folder's files or the catalog's tables."""

    name = "spark"
    dialect: Dialect = "spark"

    def __init__(
        self,
        sources: Sequence[Source],
        data_dir: Path,
        *,
        allow_outside: bool = False,
        target: SparkTarget,
    ) -> None:
        super().__init__(sources, data_dir, allow_outside=allow_outside)
        self.target = target
        self.spark, self._started = session(target)
        self._tables: dict[str, exp.Expr] = {}
        self._views: dict[str, str] = {}
        """The temporary view each file source was registered as."""
        self._loading: tuple[Source, str] | None = None
        """The source being read and its table's name, while its cells are checked."""

    def from_files(self) -> bool:
        return not self.target.catalog

    def stamp(self, source: Source) -> tuple[Path, Signature] | None:
        return None if self.target.catalog else super().stamp(source)

    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        try:
            rows = self.spark.sql(query.sql, args=query.params or None).collect()
        except Exception as error:  # PySpark's errors come from the JVM, of many classes
            raise DataError(self._spark_failed(error)) from None
        return [tuple(row) for row in rows]

    def _spark_failed(self, error: BaseException) -> str:
        """The message of a query Spark could not run: its cause in the planners' words
        where it is a common one (:func:`~iku_rules.library_errors.spark_reason`), else
        Spark's first line without its Java wrapping; naming the source whose table was
        being read."""
        reason = database_reason(error) or spark_text(error)
        if self._loading is None:
            return could_not_run("Spark", reason)
        source, table = self._loading
        return _("Spark could not read table '{table}' of source '{source}': {reason}").format(
            table=table, source=source.id, reason=reason
        )

    def load(self, source: Source) -> None:
        try:
            if self.target.catalog:
                self._from_catalog(source)
            else:
                self._from_file(source)
        finally:
            self._loading = None

    def _from_catalog(self, source: Source) -> None:
        name = source.table_name
        self._loading = source, name
        try:
            frame = self.spark.table(_quoted(name))
        except Exception:
            raise DataError(
                _(
                    "the Spark catalog has no table '{table}' for source '{source}'"
                    ' (name it with table = "…" in the source)'
                ).format(table=name, source=source.id)
            ) from None
        _refuse_zoned(source, name, frame)
        self.read_from(
            source,
            name,
            office_table(name),
            list(frame.columns),
            _floats(source, frame),
            _texts(frame),
        )

    def _from_file(self, source: Source) -> None:
        path = data_path(source, self.data_dir, allow_outside=self.allow_outside)
        view = self._views[source.id] = internal_table(source)
        if path.suffix.lower() == ".parquet":
            if not path.exists():
                raise DataError(not_in_folder(source, self.data_dir))
            try:
                frame = self.spark.read.parquet(str(path))
            except Exception as error:
                raise DataError(
                    _("{file}: Spark could not read it as Parquet: {reason}").format(
                        file=source.path, reason=database_reason(error) or spark_text(error)
                    ),
                    path=path,
                ) from None
            raw = f"iku file {source.id}"  # i18n: not for planners (a view name)
            self._loading = source, source.path
            frame.createOrReplaceTempView(_quoted(raw))
            self._views[source.id] = raw
            _refuse_zoned(source, source.path, frame)
            self.read_from(
                source,
                source.path,
                office_table(raw),
                list(frame.columns),
                _floats(source, frame),
                _texts(frame),
            )
            return
        rows = read_rows(source, self.data_dir, allow_outside=self.allow_outside)
        columns = list(source.columns)
        records = [tuple(_value(row.get(column)) for column in columns) for row in rows]
        # Kept in Spark's memory: every statement after the first reads it there, not from
        # Python again.
        frame = self.spark.createDataFrame(records, schema=self._schema(source)).cache()
        frame.createOrReplaceTempView(_quoted(view))

    def _schema(self, source: Source) -> Any:
        types = _pyspark().types
        kinds = {
            "integer": types.DecimalType(38, 0),
            "decimal": types.DecimalType(38, 6),
            "date": types.DateType(),
        }
        return types.StructType(
            [
                types.StructField(name, kinds.get(kind, types.StringType()), True)
                for name, kind in source.columns.items()
            ]
        )

    def drop(self, source: Source) -> None:
        self._tables.pop(source.id, None)
        view = self._views.pop(source.id, None)
        if view is not None:
            self.spark.catalog.dropTempView(_quoted(view))  # its cached rows go with it

    def fractional(
        self,
        source: Source,
        key_column: str,
        keys: Sequence[str],
        value_column: str,
        places: int = 0,
    ) -> tuple[str, Decimal] | None:
        found = super().fractional(source, key_column, keys, value_column, places)
        if found is not None and source.id in self._tables:  # a table: no file row to name
            raise not_whole(source, key_column, value_column, found, places)
        return found

    def close(self) -> None:
        for source_id in list(self._views):
            self.drop(self.sources[source_id])
        if self._started:
            self.spark.stop()


def _value(value: Any) -> Any:
    """A value the reader gave, as Spark's declared types take it (whole numbers as
    decimals of scale 0)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _refuse_zoned(source: Source, table: str, frame: Any) -> None:
    """Refuse a date column of ``frame`` kept as Spark's ``timestamp``: a moment, whose
    date is that of the session's time zone (UTC here), not the office's. A service at
    00:15 WIB on 1 April is 17:15 UTC on 31 March, and would count in the first triwulan
    in silence. PostgreSQL's ``timestamp with time zone`` is refused so too; a
    ``timestamp_ntz`` (the time as the office wrote it) and a ``date`` are read."""
    for column, kind in frame.dtypes:
        if kind == "timestamp" and source.columns.get(column) == "date":
            raise DataError(
                _(
                    "table '{table}' of source '{source}', column '{column}' holds moments"
                    " in time (Spark's timestamp): the date of each depends on the time zone"
                    " it is read in (1 April 2026 00:15 WIB is 31 March in UTC); keep the"
                    " column as a date, or as timestamp_ntz in the office's local time"
                ).format(table=table, source=source.id, column=column)
            )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _floats(source: Source, frame: Any) -> dict[str, str]:
    """The columns of ``frame`` kept as floats that ``source`` declares other than a
    number, with their Spark type: refused (a NIK or a code kept as a float has lost digits
    or zeros before it is read). A float declared a number is read as Spark casts it."""
    return {
        column: kind
        for column, kind in frame.dtypes
        if kind in ("double", "float")
        and column in source.columns
        and source.columns[column] not in NUMBER_KINDS
    }


TEXT_KINDS = ("string", "varchar(", "char(")
"""How Spark names the types of text columns (``varchar(20)``, ``char(5)``)."""


def _texts(frame: Any) -> list[str]:
    """The columns of ``frame`` kept as text: a number among them is read as the source's
    notation reads it, not as Spark's cast does (``23.500`` is 23500 in notation ``id``)."""
    return [column for column, kind in frame.dtypes if kind.startswith(TEXT_KINDS)]
