"""The SQL the shipped definitions make, per dialect, in golden files: a change in the
generated SQL shows in review.

``tests/golden/sql/<dialect>.sql`` holds every statement of an evaluation of
``definitions/dinsos-pandeglang`` for 2026 per kecamatan (the kabupaten, each kecamatan
and each sub kegiatan at once), with its bound values: DuckDB and SQLite over the
tables they load, PostgreSQL, Spark and Trino over the office's own tables (the form
``--source postgresql://…`` and ``--spark-catalog`` run; Trino is text only).

After a deliberate change, rewrite them and review the diff:

    IKU_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden_sql.py
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.dialects import DIALECTS, Dialect
from iku_rules.sources.external import OfficeBuilder, office_table
from iku_rules.sources.sql import Builder, Query
from iku_rules.sources.sql_backend import SqlBackend

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "sql"
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"


class Recorder(SqlBackend):
    """Builds every statement an evaluation asks for and runs none (no rows)."""

    name = "recorder"

    def __init__(self, dialect: Dialect, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dialect = dialect

    def builder(self, renamed: Mapping[str, Mapping[str, str]] | None = None) -> Builder:
        if self.dialect in ("duckdb", "sqlite"):
            return Builder(self.dialect, renamed=renamed or {})
        tables = {source_id: office_table(s.table_name) for source_id, s in self.sources.items()}
        return OfficeBuilder(self.dialect, renamed=renamed or {}, tables=tables)

    def load(self, source: Any) -> None:
        pass

    def execute(self, query: Query) -> list[tuple[Any, ...]]:
        return []

    def drop(self, source: Any) -> None:
        pass


def statements(dialect: Dialect) -> list[Query]:
    """The statements of an evaluation of the shipped definitions for 2026 per kecamatan."""
    engine = Engine(load(PANDEGLANG), PANDEGLANG)
    engine._new_backend = lambda: Recorder(  # type: ignore[method-assign]
        dialect, list(engine.sources.values()), engine.data_dir
    )
    return list(engine.evaluate("2026", by="kecamatan").queries)


def text(dialect: Dialect) -> str:
    parts = [
        f"-- The statements of `iku eval definitions/dinsos-pandeglang --period 2026"
        f" --by kecamatan` for {dialect}: see tests/test_golden_sql.py\n"
    ]
    for index, query in enumerate(statements(dialect), 1):
        parts.append(f"\n-- q{index}: {', '.join(query.columns)}\n")
        parts.extend(f"--   {name} = {value!r}\n" for name, value in query.params.items())
        parts.append(query.sql + ";\n")
    return "".join(parts)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_sql_of_the_shipped_definitions_is_the_golden_files(dialect: Dialect) -> None:
    path = GOLDEN / f"{dialect}.sql"
    found = text(dialect)
    if os.environ.get("IKU_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(found, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == found, (
        f"the SQL for {dialect} changed; if on purpose, rewrite the golden files with"
        " IKU_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden_sql.py and review the diff"
    )


def test_every_dialect_fetches_the_same_things() -> None:
    columns = {dialect: [query.columns for query in statements(dialect)] for dialect in DIALECTS}
    assert len({tuple(found) for found in columns.values()}) == 1
