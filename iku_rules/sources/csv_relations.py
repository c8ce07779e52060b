"""The CSV sources DuckDB reads itself (:mod:`iku_rules.sources.native_csv` types their
cells in SQL by the reader's rules): each file copied into a table as it is typed, or read in
place through a view when it is large, and validated again whenever it changed since."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.base import Signature, file_signature
from iku_rules.sources.native_csv import native_csv_open
from iku_rules.sources.reader import data_path
from iku_rules.sources.sql import internal_table

IN_PLACE_BYTES = 16 * 2**20
"""The size from which a CSV file is read in place rather than copied into a table.

Measured on the benchmark's kabupaten (a 37 MB service log, an 8 MB PMKS register): with
every grouping in one statement (``GROUPING SETS``), reading the service log in place costs
no time against copying it (one validating pass and one read against one typed copy) and
keeps about 30 MB less at the peak; the PMKS register in place cost 5%, because its
statement for several periods reads it three times (:mod:`~iku_rules.sources.sql_since`)."""


class CsvRelations:
    """The CSV sources one DuckDB connection reads itself, typed in SQL: for each, its
    file, the file's signature when it was validated, its relation's kind and the distinct
    values found then.

    A file of :data:`IN_PLACE_BYTES` or more is read in place (a view): memory stays
    bounded by the result, however large the register, at the cost of reading the file
    again for each statement (once for every grouping where the engine groups by
    ``GROUPING SETS``). A smaller one is copied into a table as it is typed, read
    once and queried from memory. Either way a file that changed since it was validated is
    validated again before it is read (:meth:`changed`)."""

    in_place_bytes = IN_PLACE_BYTES
    """The size from which a file is read in place (a class attribute, for tests and for an
    application that wants another bound)."""

    def __init__(self, connection: Any, data_dir: Path, *, allow_outside: bool = False) -> None:
        self.connection = connection
        self.data_dir = data_dir
        self.allow_outside = allow_outside
        self._read: dict[str, tuple[Path, Signature, dict[str, list[Any]], str]] = {}

    def open(self, source: Source) -> bool:
        """Make ``source``'s relation over its file, validated (False when the reader must
        read it instead)."""
        path = data_path(source, self.data_dir, allow_outside=self.allow_outside)
        signature = file_signature(path)  # before the pass: a change during it shows later
        in_place = signature is not None and signature[0] >= self.in_place_bytes
        found = native_csv_open(
            self.connection, source, path, _names_checked(source), in_place=in_place
        )
        if found is None:
            return False
        self._read[source.id] = (path, signature, found, "VIEW" if in_place else "TABLE")
        return True

    def in_place(self, source: Source) -> bool:
        """Whether ``source`` is read in place (a view over its file)."""
        noted = self._read.get(source.id)
        return noted is not None and noted[3] == "VIEW"

    def changed(self, source: Source) -> bool:
        """Whether ``source`` is read in place and its file changed since it was validated."""
        noted = self._read.get(source.id)
        return noted is not None and file_signature(noted[0]) != noted[1]

    def distinct(self, source: Source, column: str) -> list[str] | None:
        """The distinct values of ``column`` found when ``source`` was validated, as text
        and sorted as :meth:`~iku_rules.sources.base.Backend.distinct` gives them (None
        when not collected)."""
        if self.changed(source):
            return None  # read again, validated, by the query the caller makes instead
        noted = self._read.get(source.id)
        found = None if noted is None else noted[2].get(column)
        if found is None:
            return None
        return sorted(
            {v.isoformat() if isinstance(v, date) else str(v) for v in found if v is not None}
        )

    def drop(self, source: Source) -> bool:
        """Drop the relation of ``source``; False when it is not one of these."""
        noted = self._read.pop(source.id, None)
        if noted is None:
            return False
        relation = exp.table_(internal_table(source), quoted=True)
        self.connection.execute(
            exp.Drop(tables=[relation], kind=noted[3], exists=True).sql(dialect="duckdb")
        )
        return True


def _names_checked(source: Source) -> list[str]:
    """The columns whose distinct values the engine checks before it counts
    (:func:`iku_rules.datanames.check_names`): the regions, the period of a source of
    values per period, a realisasi table's ``indikator`` and ``periode``, an inputs
    table's ``nama``."""
    found = dict.fromkeys(source.regions.values())
    if source.grain is not None:
        found[source.grain.column] = None
    found.update(
        dict.fromkeys(
            {"realisasi": ("indikator", "periode"), "inputs": ("nama",)}.get(source.kind, ())
        )
    )
    return [column for column in found if column in source.columns]


def unsettled(source: Source) -> str:
    """What to say of ``source``'s file when it kept changing while it was read."""
    return _(
        "{path}: the file changed each time it was read; read it again once it is written in full"
    ).format(path=source.path)
