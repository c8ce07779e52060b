"""Writing sample tables where each source reads them: CSV, an Excel workbook, a SQLite or DuckDB
database."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from iku_rules.ast import name_key
from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sample.reference_data import SampleError
from iku_rules.sample.registers import Row

ROLES = (
    "register_pmks",
    "layanan",
    "register_rtm",
    "register_psks",
    "pegawai",
    "realisasi",
    "inputs",
)
"""The tables the generator knows, by the source id data.toml gives them."""


_SIGNATURES = (
    ("layanan", {"nik", "kode_sub_kegiatan"}),
    ("register_pmks", {"nik", "kategori"}),
    ("register_rtm", {"id_rtm"}),
    ("register_psks", {"id_psks"}),
    ("pegawai", {"nip"}),
    ("pegawai", {"nilai_skp"}),
)


def _role(source: Source) -> str | None:
    """Which generated table a source gets: by kind, id, else by its columns."""
    if source.kind in ("realisasi", "inputs"):
        return source.kind
    if source.id in ROLES:
        return source.id
    columns = {name_key(column) for column in source.columns}
    return next((role for role, needed in _SIGNATURES if needed <= columns), None)


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name (31 characters at most, none of ``[]:*?/\\``)."""
    name = re.sub(r"[\[\]:*?/\\]", "_", wanted)[:31] or "sheet"
    candidate, number = name, 2
    while candidate.casefold() in taken:
        suffix = f"_{number}"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def _write_workbook(path: Path, contents: Sequence[tuple[Source, Sequence[Row]]]) -> None:
    """An .xlsx file with one sheet per source: bold frozen header, dates as date cells."""
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise SampleError(
            _(
                "writing the sample workbook needs the Python package 'openpyxl'"
                " (pip install openpyxl)"
            )
        ) from error
    workbook = openpyxl.Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for source, rows in contents:
        sheet = workbook.create_sheet(_sheet_name(source.table_name, taken))
        columns = list(source.columns)
        sheet.freeze_panes = "A2"
        for number, column in enumerate(columns, start=1):
            longest = max([len(column), *(len(_shown(row.get(column))) for row in rows[:200])])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, longest + 2)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "decimal": "DOUBLE", "date": "DATE"}


def _write_database(path: Path, source: Source, rows: Sequence[Row]) -> None:
    """The source's table in an SQLite or DuckDB file (replaced if it exists)."""
    columns = list(source.columns)
    quoted = ", ".join(
        f'"{column}" {_SQL_TYPES.get(kind, "TEXT")}' for column, kind in source.columns.items()
    )
    table = '"' + source.table_name.replace('"', '""') + '"'
    values = [
        [
            value.isoformat()
            if isinstance(value, date) and source.format == "sqlite"
            else float(value)
            if isinstance(value, Decimal)
            else value
            for value in (row.get(column) for column in columns)
        ]
        for row in rows
    ]
    marks = ", ".join("?" for _ in columns)
    connection: Any
    if source.format == "duckdb":
        try:
            import duckdb
        except ImportError as error:
            raise SampleError(
                _("writing a DuckDB source needs the Python package 'duckdb' (pip install duckdb)")
            ) from error
        connection = duckdb.connect(str(path))
    else:
        connection = sqlite3.connect(path)
    try:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"CREATE TABLE {table} ({quoted})")
        if values:
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        connection.commit()
    finally:
        connection.close()
