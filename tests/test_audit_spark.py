"""Spark held to the embedded readers where a column of floats is declared other than a
number: a NIK or a code kept as a float has lost digits or zeros before anything reads
it, so the table is refused whole, naming it, the column and the fix (as PostgreSQL's;
see test_audit_postgres.py). The server is real (see servers.py): skipped with the reason
where Java or PySpark is missing, failing in CI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_audit_postgres import COLUMNS, _office, _row, _values

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget


def _view(spark: Any, rows: list[dict[str, Any]], types: dict[str, str]) -> None:
    """The office's table ``reg`` in the session's catalog, its columns of ``types``."""
    schema = ", ".join(f"`{name}` {types.get(name, 'string')}" for name in COLUMNS)
    frame = spark.createDataFrame([tuple(row[name] for name in COLUMNS) for row in rows], schema)
    frame.createOrReplaceTempView("reg")


TYPES = {"tanggal": "date", "nilai": "decimal(38, 6)"}


@pytest.mark.parametrize(("column", "value"), [("nik", 3601234567890123.0), ("kategori", 2.1)])
def test_spark_refuses_a_column_of_floats_declared_text(
    spark: Any, tmp_path: Path, column: str, value: float
) -> None:
    """3601234567890123 and 3601234567890124 are one double (two people counted as one);
    the code 2.10 kept as a double is 2.1."""
    _office(tmp_path, [_row()])
    _view(spark, [_row(**{column: value})], TYPES | {column: "double"})
    try:
        with pytest.raises(DataError) as caught:
            _values(
                Engine(load(tmp_path), tmp_path, connect=SparkTarget(session=spark, catalog=True))
            )
    finally:
        spark.catalog.dropTempView("reg")
    assert str(caught.value) == (
        f"table 'reg' of source 'reg', column '{column}' holds floating point numbers"
        f" (double), but the source declares it '{COLUMNS[column]}': a float keeps only 15"
        " digits of an identifier (two NIKs become one) and drops the zeros at the end of a"
        " code (2.1 and 2.10 become one); keep the column as text in the database"
    )


def test_spark_reads_a_column_of_floats_declared_a_number(spark: Any, tmp_path: Path) -> None:
    """A double declared a number is read as Spark casts it: 1.5 + 2.25 = 3.75."""
    _office(tmp_path, [_row()])
    rows = [_row(nilai=1.5), _row(nilai=2.25, tanggal=date(2026, 2, 1))]
    _view(spark, rows, TYPES | {"nilai": "double"})
    try:
        target = SparkTarget(session=spark, catalog=True)
        values = _values(Engine(load(tmp_path), tmp_path, connect=target))
    finally:
        spark.catalog.dropTempView("reg")
    assert values["jumlah-nilai"] == Decimal("3.75")
