"""The same data kept as CSV, an Excel workbook, an SQLite or a DuckDB file gives the same
results on every backend."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import duckdb
import openpyxl
import pytest
from attrs import evolve

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import storage_type
from iku_rules.sources.reader import read_rows

MINI = Path(__file__).parent / "fixtures" / "mini"
DEFINITIONS = load(MINI)


def _convert(folder: Path, file_format: str) -> None:
    """Rewrite the mini office's data in one format, and its sources to point at it."""
    text = (MINI / "definitions.toml").read_text(encoding="utf-8")
    target = {"xlsx": "data.xlsx", "sqlite": "data.sqlite", "duckdb": "data.duckdb"}[file_format]
    tables = {source.id: read_rows(source, MINI) for source in DEFINITIONS.sources}
    if file_format == "xlsx":
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)  # type: ignore[arg-type]
        for source in DEFINITIONS.sources:
            sheet = workbook.create_sheet(source.table_name)
            sheet.append(list(source.columns))
            for row in tables[source.id]:
                sheet.append([row[column] for column in source.columns])
        workbook.save(folder / target)
    else:
        connection = (
            sqlite3.connect(folder / target)
            if file_format == "sqlite"
            else duckdb.connect(str(folder / target))
        )
        for source in DEFINITIONS.sources:
            columns = ", ".join(
                f'"{c}" {_sql_type(t, file_format)}' for c, t in source.columns.items()
            )
            connection.execute(f'CREATE TABLE "{source.table_name}" ({columns})')
            marks = ", ".join("?" for _ in source.columns)
            for row in tables[source.id]:
                values = [_cell(value, file_format) for value in row.values()]
                connection.execute(f'INSERT INTO "{source.table_name}" VALUES ({marks})', values)
        connection.commit()
        connection.close()
    text = re.sub(
        r'format = "csv"\npath = "[^"]+"', f'format = "{file_format}"\npath = "{target}"', text
    )
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    for other in MINI.glob("*.toml"):  # the office's other definitions (its satuan)
        if other.name != "definitions.toml":
            shutil.copy(other, folder / other.name)


def _sql_type(column_type: str, file_format: str) -> str:
    if column_type == "date":
        return "DATE" if file_format == "duckdb" else "TEXT"
    return {"text": "TEXT", "decimal": "DECIMAL(18, 6)", "integer": "INTEGER"}[
        storage_type(column_type)
    ]


def _cell(value: object, file_format: str) -> object:
    """SQLite keeps dates as ISO text and decimals as text (its driver takes neither)."""
    if value is None or isinstance(value, (int, str)) or file_format != "sqlite":
        return value
    return str(value)


@pytest.mark.parametrize("file_format", ["xlsx", "sqlite", "duckdb"])
@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_formats_give_the_csv_results(tmp_path: Path, file_format: str, backend: str) -> None:
    _convert(tmp_path, file_format)
    expected = Engine(MINI, MINI, backend=backend).evaluate("2026", by="kecamatan").rows()
    definitions = load(tmp_path)
    assert definitions.ok, [str(d) for d in definitions.errors]
    assert {source.format for source in definitions.sources} == {file_format}
    assert (
        Engine(definitions, tmp_path, backend=backend).evaluate("2026", by="kecamatan").rows()
        == expected
    )


def test_sample_workbook_reads_like_the_csv_files(tmp_path: Path) -> None:
    from iku_rules.sample import generate

    pandeglang = load(Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang")
    generate(pandeglang, tmp_path, people=200, seed=7)
    for source in pandeglang.sources:
        as_sheet = evolve(source, format="xlsx", path="sample-data.xlsx")
        assert read_rows(as_sheet, tmp_path) == read_rows(source, tmp_path), source.id
