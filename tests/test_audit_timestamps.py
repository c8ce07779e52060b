"""Dates kept with a time of day and a time zone. A Spark ``timestamp`` (Spark's default
kind of timestamp, a moment in time) is read in the session's time zone, which the engine
sets to UTC: a service the office gave at 00:15 WIB on 1 April 2026, written by a session
or a program in the office's time zone, is 17:15 UTC on 31 March, and was counted in the
first triwulan in silence. Such a column declared a date is refused, as PostgreSQL's
``timestamp with time zone`` is; a ``timestamp_ntz`` (the time as the office wrote it) is
read on its own date. A date kept as text with a time that does not exist (``24:00``, the
first moment of the next day, or ``99:00``), which the reader refuses at its row, was
dated by the cast of PostgreSQL and Spark on the day written, in silence: refused there too.
The PostgreSQL server and the Spark session are real (see servers.py): skipped with the
reason where they cannot start. Each expected number is worked out by hand beside it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE
from servers import PASSWORD, Postgres
from test_backends_servers import create_database

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget

OFFICE = (
    """
[office]
id = "layanan"
name = "Dinas Layanan"
plan_start = 2025
plan_end = 2028
units = ["Nilai"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-honor"
  name = "Jumlah honor"
  unit = "Nilai"
  formula = "Σ [Honor]"

[[source]]
id = "log"
kind = "register"
format = "csv"
path = "{path}"
table = "log"
date_column = "tanggal"
time = "flow"
columns = {{ nama = "text", honor = "decimal", tanggal = "date" }}

[[measure]]
name = "Honor"
source = "log"
aggregate = "sum"
column = "honor"
"""
)

ROWS = (
    "SELECT 'Ani' AS nama, CAST(5 AS DECIMAL(38, 6)) AS honor,"
    " CAST('2026-04-01 00:15:00' AS {kind}) AS tanggal"
    " UNION ALL SELECT 'Budi', CAST(6 AS DECIMAL(38, 6)), CAST('2026-03-31 23:30:00' AS {kind})"
)
"""Ani served at 00:15 on 1 April 2026 (the second triwulan), Budi at 23:30 on 31 March
(the first), both in the office's time, WIB."""


def _frame(spark: Any, kind: str) -> Any:
    """The office's rows, with ``tanggal`` of Spark's type ``kind``, as a session in the
    office's time zone (WIB, Asia/Jakarta) writes them."""
    spark.conf.set("spark.sql.session.timeZone", "Asia/Jakarta")
    try:
        return spark.sql(ROWS.format(kind=kind)).localCheckpoint()
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


def _evaluate(folder: Path, target: SparkTarget) -> tuple[str, str] | str:
    """Honor in the first and in the second triwulan of 2026, or the refusal in English."""
    values = []
    with use_language("en"):
        try:
            with Engine(folder, folder, connect=target) as engine:
                for period in ("2026-TW1", "2026-TW2"):
                    values.append(str(engine.evaluate(period).get("total-honor").value))
        except DataError as error:
            return str(error)
    return values[0], values[1]


def _catalog(spark: Any, folder: Path, kind: str) -> tuple[str, str] | str:
    _frame(spark, kind).createOrReplaceTempView("log")
    (folder / "definitions.toml").write_text(OFFICE.format(path="log.csv"), encoding="utf-8")
    try:
        return _evaluate(folder, SparkTarget(session=spark, catalog=True))
    finally:
        spark.catalog.dropTempView("log")


def _parquet(spark: Any, folder: Path, kind: str) -> tuple[str, str] | str:
    _frame(spark, kind).coalesce(1).write.parquet(str(folder / "log.parquet"))
    (folder / "definitions.toml").write_text(OFFICE.format(path="log.parquet"), encoding="utf-8")
    return _evaluate(folder, SparkTarget(session=spark))


REFUSED = (
    "table '{table}' of source 'log', column 'tanggal' holds moments in time (Spark's"
    " timestamp): the date of each depends on the time zone it is read in (1 April 2026"
    " 00:15 WIB is 31 March in UTC); keep the column as a date, or as timestamp_ntz in the"
    " office's local time"
)


def test_spark_a_catalog_timestamp_with_a_time_zone_is_refused(spark: Any, tmp_path: Path) -> None:
    # Read in UTC, Ani's 00:15 WIB on 1 April was 17:15 on 31 March: the first triwulan
    # held 5 + 6 = 11 and the second nothing, where they hold 6 and 5.
    assert _catalog(spark, tmp_path, "TIMESTAMP") == REFUSED.format(table="log")


def test_spark_a_parquet_timestamp_with_a_time_zone_is_refused(spark: Any, tmp_path: Path) -> None:
    assert _parquet(spark, tmp_path, "TIMESTAMP") == REFUSED.format(table="log.parquet")


@pytest.mark.parametrize("kind", ["TIMESTAMP_NTZ", "DATE"])
def test_spark_dates_as_the_office_wrote_them_are_read(
    spark: Any, tmp_path: Path, kind: str
) -> None:
    # Budi's 31 March (6) in the first triwulan, Ani's 1 April (5) in the second; as a
    # DATE, the time is cut off as it is cast: the same days.
    for place, read in (("catalog", _catalog), ("parquet", _parquet)):
        (tmp_path / place).mkdir()
        assert read(spark, tmp_path / place, kind) == ("6", "5")


LATE = ["2026-03-31 24:00", "2026-03-31 24:00:00", "2026-03-31 99:00"]
"""Times that do not exist: 24:00 after 31 March is 1 April (the second triwulan) as a
moment, 31 March as written; 99:00 is no time at all."""


def _refused(cell: str, table: str) -> str:
    return (
        f"table '{table}' of source 'log', column 'tanggal': '{cell}' is not a date (write it"
        " as YYYY-MM-DD)"
    )


@pytest.mark.parametrize("cell", LATE)
def test_the_reader_refuses_a_time_that_does_not_exist(tmp_path: Path, cell: str) -> None:
    (tmp_path / "definitions.toml").write_text(OFFICE.format(path="log.csv"), encoding="utf-8")
    (tmp_path / "log.csv").write_text(f"nama,honor,tanggal\nAni,5,{cell}\n", encoding="utf-8")
    with (
        use_language("en"),
        pytest.raises(DataError) as caught,
        Engine(tmp_path, tmp_path, backend="python") as engine,
    ):
        engine.evaluate("2026-TW1")
    assert f"'{cell}' is not a date (write it as YYYY-MM-DD)" in str(caught.value)


@pytest.mark.parametrize("cell", LATE)
def test_postgresql_refuses_a_time_that_does_not_exist(
    tmp_path: Path, postgres: Postgres, monkeypatch: pytest.MonkeyPatch, cell: str
) -> None:
    # PostgreSQL's cast of '2026-03-31 24:00' to a date is 31 March: Ani's 5 counted in the
    # first triwulan, where as a moment it is 1 April; the reader refuses the cell.
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "audit_timestamps")
    with postgres.connect("audit_timestamps") as connection:
        connection.execute("CREATE TABLE log (nama text, honor numeric, tanggal text)")
        connection.execute("INSERT INTO log VALUES ('Ani', 5, %s)", [cell])
    (tmp_path / "definitions.toml").write_text(OFFICE.format(path="log.csv"), encoding="utf-8")
    with (
        use_language("en"),
        pytest.raises(DataError) as caught,
        Engine(tmp_path, None, connect=url) as engine,
    ):
        engine.evaluate("2026-TW1")
    assert str(caught.value) == _refused(cell, "log")


@pytest.mark.parametrize("cell", LATE)
def test_spark_refuses_a_time_that_does_not_exist(spark: Any, tmp_path: Path, cell: str) -> None:
    # Spark's cast takes the day and drops the time: 5 in the first triwulan, 0 in the second.
    frame = spark.createDataFrame(
        [("Ani", Decimal(5), cell)], "nama string, honor decimal(38, 6), tanggal string"
    )
    frame.createOrReplaceTempView("log")
    (tmp_path / "definitions.toml").write_text(OFFICE.format(path="log.csv"), encoding="utf-8")
    try:
        assert _evaluate(tmp_path, SparkTarget(session=spark, catalog=True)) == _refused(
            cell, "log"
        )
    finally:
        spark.catalog.dropTempView("log")


def test_times_that_exist_are_read_on_their_day(spark: Any, tmp_path: Path) -> None:
    # Budi at 23:59:59.5 on 31 March (6) in the first triwulan, Ani at 0:15 on 1 April (5)
    # in the second, written with one-digit hour and month as the reader takes them.
    rows = [("Ani", Decimal(5), "2026-4-1 0:15"), ("Budi", Decimal(6), "2026-03-31T23:59:59.5")]
    frame = spark.createDataFrame(rows, "nama string, honor decimal(38, 6), tanggal string")
    frame.createOrReplaceTempView("log")
    (tmp_path / "definitions.toml").write_text(OFFICE.format(path="log.csv"), encoding="utf-8")
    try:
        assert _evaluate(tmp_path, SparkTarget(session=spark, catalog=True)) == ("6", "5")
    finally:
        spark.catalog.dropTempView("log")
