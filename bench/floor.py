"""The independent floor: the hand-written DuckDB SQL of ``floor.sql`` run over a data
folder's files in place.

``floor.sql`` holds a setup section (a macro, the typed views over the CSV files, the
measures' filters) and the statements of each job; every result statement returns rows
of ``(period, kecamatan, name, value)`` (see :mod:`values`). Nothing here derives SQL
from the definitions: the file is the whole of what runs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from values import Values

SQL = Path(__file__).resolve().parent / "floor.sql"
_SECTION = re.compile(r"^-- job: (\w+)\s*$", re.MULTILINE)


def statements(job: str, text: str | None = None) -> list[str]:
    """The statements of one section of ``floor.sql`` (``setup``, ``year``, ``triwulan``)."""
    text = SQL.read_text(encoding="utf-8") if text is None else text
    parts = _SECTION.split(text)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    if job not in sections:
        raise KeyError(f"no section '-- job: {job}' in {SQL.name}")
    code = "\n".join(
        line for line in sections[job].splitlines() if not line.lstrip().startswith("--")
    )
    return [
        part.strip() for part in re.split(r";[ \t]*$", code, flags=re.MULTILINE) if part.strip()
    ]


def run(data: Path, job: str, connection: Any = None) -> Values:
    """Every value of ``job`` (``year`` or ``triwulan``) over the files of ``data``."""
    import duckdb

    own = connection is None
    connection = duckdb.connect() if own else connection
    try:
        connection.execute("SET VARIABLE data = $data", {"data": str(data)})
        for statement in statements("setup"):
            connection.execute(statement)
        values: Values = {}
        for statement in statements(job):
            for period, region, name, value in connection.execute(statement).fetchall():
                values[(period, region, name)] = None if value is None else Decimal(value)
        return values
    finally:
        if own:
            connection.close()
