"""The office's data: reading its files (:mod:`.reader`) and the backends that aggregate them."""

BACKEND_NAMES = ("duckdb", "sqlite", "python")
"""The backends an :class:`~iku_rules.engine.Engine` can run on (named here, where naming
them loads none of them: the command line lists them without loading the engine)."""
