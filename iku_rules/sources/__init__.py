"""The office's data: reading its files (:mod:`.reader`) and the backends that aggregate them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iku_rules.sources.base import Backend

EMBEDDED_BACKENDS = ("duckdb", "sqlite", "python")
"""The engines that run inside this process over the files of a data folder."""
BACKEND_NAMES = (*EMBEDDED_BACKENDS, "postgresql", "spark")
"""The engines that can run the aggregates: three embedded, and two of the office's own
(a PostgreSQL database, a Spark session) that need a connection target. Named here, where
naming them loads none of them: the command line lists them without loading the engine."""


BACKEND_CLASSES = {
    "duckdb": "iku_rules.sources.sql_backend:DuckDBBackend",
    "sqlite": "iku_rules.sources.sqlite_backend:SQLiteBackend",
    "postgresql": "iku_rules.sources.postgres:PostgresBackend",
    "spark": "iku_rules.sources.spark:SparkBackend",
}
"""Where the class of each backend is, imported when chosen (the drivers of the engines of an
office's own, PostgreSQL and Spark, are optional extras)."""


def backend_class(name: str) -> type[Backend]:
    """The backend called ``name`` (``duckdb``, ``sqlite``, ``postgresql``, ``spark``)."""
    module, _, attribute = BACKEND_CLASSES[name].partition(":")
    found: type[Backend] = getattr(importlib.import_module(module), attribute)
    return found
