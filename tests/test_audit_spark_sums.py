"""Rows of sums and numbers kept as text in a table of a Spark catalog, as in a PostgreSQL
table (see test_audit_postgres_sums.py): a staff table ending with a row of totals
(``JUMLAH``), a DPA table whose program and kegiatan rows carry the sums of their sub
kegiatan, and a number column kept as text (``23.500``, which Spark's cast reads as 23.5
where notation ``id`` reads 23500). Spark read them in SQL and counted them in silence
(honor 22 for 11, realisasi 720.000.000 for 240.000.000, honor 24.5 for 24500); they are
refused as in a PostgreSQL table, naming the table and the row or column; tables without
such rows or cells are read as ever. The session is real (see servers.py): skipped with
the reason where Java or PySpark is missing. Each expected number is worked out by hand
beside it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from test_audit_postgres_sums import DPA, OFFICE, STAFF

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.connect import SparkTarget

SPARK_TYPES = {"text": "string", "integer": "decimal(38, 0)", "decimal": "decimal(38, 6)"}


def _evaluate(
    spark: Any,
    folder: Path,
    table: str,
    columns: dict[str, str],
    column: str,
    rows: list[tuple[Any, ...]],
    kept: dict[str, str] | None = None,
    data: Path | None = None,
) -> tuple[str, str] | str:
    """The sum of ``column`` and the rows counted in 2026 from the catalog's table
    ``table`` holding ``rows`` (its columns of the Spark types ``kept``, else as declared),
    or the refusal in English; ``data`` the data folder given (the catalog needs none)."""
    kept = kept or {name: SPARK_TYPES[kind] for name, kind in columns.items()}
    schema = ", ".join(f"`{name}` {kept[name]}" for name in columns)
    records = [
        tuple(
            Decimal(cell) if isinstance(cell, int) and kept[name] != "string" else cell
            for name, cell in zip(columns, row, strict=True)
        )
        for row in rows
    ]
    spark.createDataFrame(records, schema).createOrReplaceTempView(table)
    declared = ", ".join(f'{name} = "{kind}"' for name, kind in columns.items())
    (folder / "definitions.toml").write_text(
        OFFICE.format(
            formula=f"Σ reg.{column}" if column else "Σ reg", table=table, columns=declared
        ),
        encoding="utf-8",
    )
    target = SparkTarget(session=spark, catalog=True)
    try:
        with use_language("en"):
            try:
                with Engine(load(folder), data, connect=target) as engine:
                    evaluation = engine.evaluate("2026")
            except DataError as error:
                return str(error)
    finally:
        spark.catalog.dropTempView(table)
    return str(evaluation.get("jumlah").value), str(evaluation.get("baris").value)


def _as_text(columns: dict[str, str]) -> dict[str, str]:
    return dict.fromkeys(columns, "string")


def _parquet(spark: Any, folder: Path, rows: list[tuple[Any, ...]]) -> tuple[str, str] | str:
    """As :func:`_evaluate` for the staff's ``honor``, the rows kept in the data folder's
    ``reg.parquet`` (in their order, one file), which Spark reads itself."""
    records = [(Decimal(no) if no else None, nama, Decimal(honor)) for no, nama, honor in rows]
    schema = "`no` decimal(38, 0), `nama` string, `honor` decimal(38, 6)"
    frame = spark.createDataFrame(records, schema).coalesce(1)
    frame.write.parquet(str(folder / "reg.parquet"))
    declared = ", ".join(f'{name} = "{kind}"' for name, kind in STAFF.items())
    text = OFFICE.format(formula="Σ reg.honor", table="reg", columns=declared)
    (folder / "definitions.toml").write_text(
        text.replace('"reg.csv"', '"reg.parquet"'), encoding="utf-8"
    )
    with use_language("en"):
        try:
            with Engine(load(folder), folder, backend="spark") as engine:
                evaluation = engine.evaluate("2026")
        except DataError as error:
            return str(error)
    return str(evaluation.get("jumlah").value), str(evaluation.get("baris").value)


def test_a_row_of_totals_in_a_staff_table_is_refused(spark: Any, tmp_path: Path) -> None:
    # Ani 5 + Budi 6 = 11, in 2 rows. Counted with the row JUMLAH 11: honor 22, 3 pegawai.
    rows = [(1, "Ani", 5), (2, "Budi", 6), (None, "JUMLAH", 11)]
    assert _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows) == (
        "table 'pegawai' of source 'reg', row 3: the row is titled 'JUMLAH' (column 'nama')"
        " and its numbers (honor 11) are the sums of the 2 rows above it: it is a row of"
        " totals, not a row of the register, and its numbers would count twice; delete the"
        " row of totals (the engine sums the register itself)"
    )


def test_a_program_row_over_its_sub_kegiatan_is_refused(spark: Any, tmp_path: Path) -> None:
    # The sub kegiatan spent 180.000.000 + 60.000.000 = 240.000.000 of 300.000.000 in 2
    # rows; the program row and the kegiatan row repeat those sums: 720.000.000 and 4 rows.
    rows = [
        ("1.06.02", "Program Rehabilitasi Sosial", 300000000, 240000000),
        ("1.06.02.2.01", "Rehabilitasi Sosial Dasar", 300000000, 240000000),
        ("1.06.02.2.01.0001", "Penyediaan Permakanan", 200000000, 180000000),
        ("1.06.02.2.01.0002", "Penyediaan Sandang", 100000000, 60000000),
    ]
    assert _evaluate(spark, tmp_path, "DPA", DPA, "realisasi", rows) == (
        "table 'DPA' of source 'reg', row 1: the row is coded '1.06.02' (column 'kode') and"
        " its numbers (pagu 300000000, realisasi 240000000) are the sums of the rows coded"
        " under it with no rows under them (rows 3 and 4): it is the row of a program or"
        " kegiatan over its sub kegiatan, not a row of its own, and its numbers would count"
        " twice; delete the rows of the programs and kegiatan and keep the sub kegiatan rows"
        " (or export the sheet at the sub kegiatan level only)"
    )


def test_tables_without_rows_of_sums_are_read(spark: Any, tmp_path: Path) -> None:
    # A row merely named Jumlah whose honor (4) is not 5 + 6 = 11 is a record:
    # 5 + 6 + 4 = 15, in 3 rows.
    rows = [(1, "Ani", 5), (2, "Budi", 6), (3, "Jumlah", 4)]
    assert _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows) == ("15", "3")


def test_numbers_kept_as_text_are_read_in_the_office_notation(spark: Any, tmp_path: Path) -> None:
    # Notation "id": 23.500 is 23500 and 1.000 is 1000, 24500 in all; Spark's cast read
    # them as 23.5 and 1.0 and gave 24.5 in silence. The first of the cells refused (in the
    # order of their characters) is named.
    rows = [("1", "Ani", "23.500"), ("2", "Budi", "1.000")]
    said = _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows, _as_text(STAFF))
    assert said == (
        "table 'pegawai' of source 'reg', column 'honor': '1.000' is a number kept as text,"
        ' which notation "id" reads as 1000, but Spark reads numbers kept as text only'
        " when written with a dot before the decimals and nothing between the thousands;"
        " keep the column as a decimal in the table, or write the number there as 1000"
    )


def test_plain_numbers_kept_as_text_are_read(spark: Any, tmp_path: Path) -> None:
    # 12.5 reads alike in every notation: 12.5 + 7 = 19.5, in 2 rows.
    rows = [("1", "Ani", "12.5"), ("2", "Budi", " 7 ")]
    said = _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows, _as_text(STAFF))
    assert said == ("19.5", "2")


def test_a_row_of_totals_in_a_parquet_file_is_refused(spark: Any, tmp_path: Path) -> None:
    # Ani 5 + Budi 6 = 11, in 2 rows; counted with the row Total 11: honor 22, 3 pegawai.
    rows = [(1, "Ani", 5), (2, "Budi", 6), (None, "Total", 11)]
    assert _parquet(spark, tmp_path, rows) == (
        "table 'reg.parquet' of source 'reg', row 3: the row is titled 'Total' (column"
        " 'nama') and its numbers (honor 11) are the sums of the 2 rows above it: it is a"
        " row of totals, not a row of the register, and its numbers would count twice;"
        " delete the row of totals (the engine sums the register itself)"
    )


def test_a_parquet_file_without_rows_of_sums_is_read(spark: Any, tmp_path: Path) -> None:
    # No title, no code: 5 + 6 = 11, in 2 rows.
    assert _parquet(spark, tmp_path, [(1, "Ani", 5), (2, "Budi", 6)]) == ("11", "2")


def test_a_subtotal_in_a_table_of_text_is_refused(spark: Any, tmp_path: Path) -> None:
    # Every column kept as text, numbers too: Ani 5 + Budi 6 under "Sub Total" 11, then Cici 4
    # under "JUMLAH" 15. The records are 5 + 6 + 4 = 15 in 3 rows; counted with the sums,
    # 41 in 5.
    rows = [
        ("1", "Ani", "5"),
        ("2", "Budi", "6"),
        (None, "Sub Total", "11"),
        ("3", "Cici", "4"),
        (None, "JUMLAH", "15"),
    ]
    said = _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows, _as_text(STAFF))
    assert said == (
        "table 'pegawai' of source 'reg', row 3: the row is titled 'Sub Total' (column"
        " 'nama') and its numbers (honor 11) are the sums of the 2 rows above it: it is a row"
        " of totals, not a row of the register, and its numbers would count twice; delete"
        " the row of totals (the engine sums the register itself)"
    )


def test_a_catalog_is_read_with_or_without_a_data_folder(spark: Any, tmp_path: Path) -> None:
    # Ani 5 + Budi 6 = 11, in 2 rows, from the catalog: a data folder is given or not
    rows = [(1, "Ani", 5), (2, "Budi", 6)]
    expected = ("11", "2")
    assert _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows) == expected
    assert _evaluate(spark, tmp_path, "pegawai", STAFF, "honor", rows, data=tmp_path) == expected
