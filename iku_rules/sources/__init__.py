"""The office's data: reading its files (:mod:`.reader`) and the backends that aggregate them."""

EMBEDDED_BACKENDS = ("duckdb", "sqlite", "python")
"""The engines that run inside this process over the files of a data folder."""
BACKEND_NAMES = (*EMBEDDED_BACKENDS, "postgresql", "spark")
"""The engines that can run the aggregates: three embedded, and two of the office's own
(a PostgreSQL database, a Spark session) that need a connection target. Named here, where
naming them loads none of them: the command line lists them without loading the engine."""
