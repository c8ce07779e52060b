"""Spark's failures told in the planners' words, naming the source: a value or a column of
the office's table that cannot be read as the number declared, a table whose files are
gone, a Parquet file that is damaged or a folder without one; never Spark's Java text
(``[CAST_INVALID_INPUT] …``, ``An error occurred while calling o137.collectToPython.``) nor
its stack written on the terminal. The server is real (see servers.py): skipped with the
reason where Java or PySpark is missing, failing in CI."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_audit_postgres import COLUMNS, _office, _row, _values

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget

TYPES = {"tanggal": "date", "nilai": "decimal(38, 6)"}


def _refused(spark: Any, folder: Path, rows: list[tuple[Any, ...]], schema: str) -> str:
    """The message of the office's table ``reg`` of ``rows`` in the session's catalog."""
    spark.createDataFrame(rows, schema).createOrReplaceTempView("reg")
    try:
        with use_language("en"), pytest.raises(DataError) as caught:
            _values(Engine(load(folder), folder, connect=SparkTarget(session=spark, catalog=True)))
    finally:
        spark.catalog.dropTempView("reg")
    return str(caught.value)


def _schema(**types: str) -> str:
    return ", ".join(f"`{name}` {(TYPES | types).get(name, 'string')}" for name in COLUMNS)


def test_spark_a_cell_not_a_number_names_the_source(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _office(tmp_path, [_row()])
    row = ("A1", "Labuan", "Anak", date(2026, 1, 5), "abc")
    said = _refused(spark, tmp_path, [row], _schema(nilai="string"))
    # Kept as text, the number is read as the reader reads it, which names the column.
    assert said == (
        "table 'reg' of source 'reg', column 'nilai': 'abc' is not a number (write it like"
        " 1234,5 or 1.234,5)"
    )
    assert "SQLQueryContextLogger" not in capsys.readouterr().err  # no Java stack written


def test_spark_a_column_of_another_type_says_which(spark: Any, tmp_path: Path) -> None:
    _office(tmp_path, [_row()])
    row = ("A1", "Labuan", "Anak", date(2026, 1, 5), [1])
    assert _refused(spark, tmp_path, [row], _schema(nilai="array<int>")) == (
        "Spark could not read table 'reg' of source 'reg': the column 'nilai' holds"
        " ARRAY<INT>, which cannot be read as a number: keep it in the table as a number"
    )


def test_spark_a_table_whose_files_are_gone(spark: Any, tmp_path: Path) -> None:
    _office(tmp_path, [_row()])
    files = tmp_path / "gone"
    spark.createDataFrame(
        [("A1", "Labuan", "Anak", date(2026, 1, 5), Decimal(1))], _schema()
    ).write.parquet(str(files))
    spark.read.parquet(str(files)).createOrReplaceTempView("reg")
    shutil.rmtree(files)  # the view's files deleted after it was made
    try:
        with use_language("en"), pytest.raises(DataError) as caught:
            _values(
                Engine(load(tmp_path), tmp_path, connect=SparkTarget(session=spark, catalog=True))
            )
    finally:
        spark.catalog.dropTempView("reg")
    said = str(caught.value)
    assert said.startswith(f"Spark could not read table 'reg' of source 'reg': the file {files}/")
    assert said.endswith(
        " is not there (moved or deleted since the table was made): put it back, or make the"
        " table again from the files there now"
    )


@pytest.mark.parametrize("content", [b"PAR1 cut short", b"nik,kecamatan\nA1,Labuan\n", None])
def test_spark_a_parquet_file_that_cannot_be_read(
    spark: Any, tmp_path: Path, content: bytes | None
) -> None:
    _office(tmp_path, [_row()])
    definitions = tmp_path / "definitions.toml"
    definitions.write_text(
        definitions.read_text(encoding="utf-8").replace('"reg.csv"', '"reg.parquet"'),
        encoding="utf-8",
    )
    parquet = tmp_path / "reg.parquet"
    if content is None:
        parquet.mkdir()  # a folder of Parquet files, empty
    else:
        parquet.write_bytes(content)  # damaged, or a CSV named .parquet
    with use_language("en"), pytest.raises(DataError) as caught:
        _values(Engine(load(tmp_path), tmp_path, backend="spark"))
    if content is None:
        reason = "it holds no Parquet file (an empty folder?): write the data into it again"
    else:
        reason = (
            f"the file {parquet} is not a Parquet file or is damaged: write it again from where"
            " it was made"
        )
    assert str(caught.value) == f"reg.parquet: Spark could not read it as Parquet: {reason}"


def test_spark_a_day_first_date_kept_as_text_names_the_cell(spark: Any, tmp_path: Path) -> None:
    # 31/03/2026 is 31 March 2026 to the reader and PostgreSQL (day first); Spark's cast of
    # text to a date reads only 2026-03-31, and it stopped with its own words, naming no
    # column: "reg.csv: Spark could not run a query: the value '31/03/2026' cannot be read
    # as a date".
    _office(tmp_path, [_row()])
    row = ("A1", "Labuan", "Anak", "31/03/2026", Decimal(1))
    assert _refused(spark, tmp_path, [row], _schema(tanggal="string")) == (
        "table 'reg' of source 'reg', column 'tanggal': '31/03/2026' is the date 31 March 2026,"
        " which Spark cannot read kept as text written so; write the dates of the column as"
        " YYYY-MM-DD (2026-03-31), or keep the column as a date"
    )


def test_spark_a_query_failing_after_loading_names_the_table(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The catalog's table reg is checked and loaded, then dropped by another program, and
    # the query of Σ reg.nilai fails: the message was put on "reg.csv", the source's path,
    # which Spark does not read from the catalog; it names the table.
    from iku_rules.sources.spark import SparkBackend

    _office(tmp_path, [_row()])
    loaded = SparkBackend.load

    def load_then_drop(backend: SparkBackend, source: Any) -> None:
        loaded(backend, source)
        spark.catalog.dropTempView("reg")

    monkeypatch.setattr(SparkBackend, "load", load_then_drop)
    row = ("A1", "Labuan", "Anak", date(2026, 1, 5), Decimal(1))
    said = _refused(spark, tmp_path, [row], _schema())
    assert said.startswith("table 'reg' of source 'reg': Spark could not run a query: ")
    assert "reg.csv" not in said
