"""The CSV sources DuckDB reads itself (:mod:`iku_rules.sources.native_csv` types their
cells in SQL by the reader's rules): each file copied into a table as it is typed, or read in
place through a view when it is large, and validated again whenever it changed since.

Before the engine checks the data, the files are validated two at a time, each pass on its
own cursor of the connection (:meth:`CsvRelations.prepare`); a source is then opened from its
pass while its file is unchanged, and validated again on the engine's thread otherwise. A
pass that accepted a file is kept on disk (:mod:`~iku_rules.sources.validation_cache`),
and not made again by a later process while the file is unchanged."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence, Set
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.base import Signature, file_signature, value_text
from iku_rules.sources.cells import DataError
from iku_rules.sources.interrupt import interruptible, on_cursors
from iku_rules.sources.native_csv import native_csv_open
from iku_rules.sources.reader import data_path
from iku_rules.sources.sql import drop_table
from iku_rules.sources.validation_cache import ValidationCache

T = TypeVar("T")

IN_PLACE_BYTES = 16 * 2**20
"""The size from which a CSV file is read in place rather than copied into a table.

Measured on the benchmark's kabupaten (a 37 MB service log, an 8 MB PMKS register): with
every grouping in one statement (``GROUPING SETS``), reading the service log in place costs
no time against copying it (one validating pass and one read against one typed copy) and
keeps about 30 MB less at the peak; the PMKS register in place cost 5%, because its
statement for several periods reads it three times (:mod:`~iku_rules.sources.sql_since`)."""

PASSES_AT_ONCE = 2
"""How many files :meth:`CsvRelations.prepare` validates at the same time.

One pass over a small file leaves cores idle (DuckDB parses it in a thread or two, and
the statement is built in Python between its steps): measured on the benchmark's kabupaten
(six files, 2 cores), validating two at a time took 0.245 s against 0.345 s one after
another, the median of 8 interleaved rounds; three at a time gained nothing more."""


class _Pass(NamedTuple):
    """What one validating pass over a source's file found."""

    path: Path
    signature: Signature
    """The file's signature taken before the pass."""
    found: dict[str, list[Any]] | None
    """The distinct values of the names checked; None when the reader must read the file."""
    kind: str
    """The relation made: ``VIEW`` (read in place) or ``TABLE``."""
    kept: tuple[str, int] | None = None
    """The key of the pass kept in the cache and the CRC-32 of the bytes it validated
    (None: not kept)."""


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

    def __init__(
        self,
        connection: Any,
        data_dir: Path,
        *,
        allow_outside: bool = False,
        watched: Mapping[str, Set[str]] | None = None,
        cache: ValidationCache | None = None,
    ) -> None:
        self.connection = connection
        self.data_dir = data_dir
        self.allow_outside = allow_outside
        self.watched = {} if watched is None else watched
        """More columns whose distinct values a pass gathers, by source id (the backend's
        :attr:`~iku_rules.sources.base.Backend.watched`, read when a pass is made)."""
        self.cache = cache
        """Where the passes that accepted a file are kept for the next process, and found
        again while the file is unchanged (None: every file is validated)."""
        self._read: dict[str, _Pass] = {}
        self._answers: dict[tuple[str, Signature, int], dict[str, Any]] = {}
        """The answers kept beside each pass, once read (:meth:`kept_answer`): by the pass's
        key and the bytes it validated (their signature and CRC-32), so that a file changed
        while the engine is open is asked again."""
        self._prepared: dict[str, _Pass] = {}
        """Passes made ahead by :meth:`prepare`, taken up by :meth:`open`."""

    def prepare(self, sources: Sequence[Source]) -> None:
        """Validate the files of the CSV ``sources`` not open yet, :data:`PASSES_AT_ONCE`
        at a time (the largest first), each pass on its own cursor of the connection, so
        that :meth:`open` finds its relation made. A source whose path is refused is left
        to :meth:`open`, which says why when the source is read."""
        pending = []
        for source in sources:
            if source.format != "csv" or source.id in self._read or source.id in self._prepared:
                continue
            try:
                path = data_path(source, self.data_dir, allow_outside=self.allow_outside)
            except DataError:
                continue
            signature = file_signature(path)
            pending.append((-1 if signature is None else signature[0], source, path))
        pending.sort(key=lambda item: -item[0])
        if len(pending) < 2:
            return  # one pass gains nothing from a thread: open makes it when asked
        passes = [partial(self._cursor_pass, source, path) for _size, source, path in pending]
        made = on_cursors(self.connection, passes, PASSES_AT_ONCE, "iku-prepare")
        for (_size, source, _path), future in zip(pending, made, strict=True):
            try:
                self._prepared[source.id] = future.result()
            except Exception:  # open makes the pass again, and says what failed
                continue

    def _cursor_pass(self, source: Source, path: Path, cursor: Any) -> _Pass:
        return _validate(cursor, source, path, self.in_place_bytes, self._names(source), self.cache)

    def open(self, source: Source) -> bool:
        """Make ``source``'s relation over its file, validated (False when the reader must
        read it instead); a pass :meth:`prepare` made is taken while the file is unchanged."""
        made = self._prepared.pop(source.id, None)
        if made is not None and file_signature(made.path) != made.signature:
            self._drop(source, made)  # changed since it was validated: validated again
            made = None
        if made is None:
            path = data_path(source, self.data_dir, allow_outside=self.allow_outside)
            made = interruptible(  # Ctrl-C stops the pass when it comes
                self.connection,
                lambda: _validate(
                    self.connection,
                    source,
                    path,
                    self.in_place_bytes,
                    self._names(source),
                    self.cache,
                ),
            )
        if made.found is None:
            return False
        self._read[source.id] = made
        return True

    def _names(self, source: Source) -> list[str]:
        """The columns whose distinct values a pass over ``source``'s file gathers."""
        names = dict.fromkeys(_names_checked(source))
        names.update(dict.fromkeys(sorted(self.watched.get(source.id, ()))))
        return [name for name in names if name in source.columns]

    def in_place(self, source: Source) -> bool:
        """Whether ``source`` is read in place (a view over its file)."""
        noted = self._read.get(source.id)
        return noted is not None and noted.kind == "VIEW"

    def changed(self, source: Source) -> bool:
        """Whether ``source`` is read in place and its file changed since it was validated."""
        noted = self._read.get(source.id)
        return noted is not None and file_signature(noted.path) != noted.signature

    def distinct(self, source: Source, column: str) -> list[str] | None:
        """The distinct values of ``column`` found when ``source`` was validated, as text
        and sorted as :meth:`~iku_rules.sources.base.Backend.distinct` gives them (None
        when not collected)."""
        found = self._found(source, column)
        return None if found is None else sorted({value_text(v) for v in found if v is not None})

    def blank(self, source: Source, column: str) -> bool | None:
        """Whether some row leaves ``column`` empty, as found when ``source`` was validated
        (None when not collected)."""
        found = self._found(source, column)
        return None if found is None else None in found

    def _found(self, source: Source, column: str) -> list[Any] | None:
        """The distinct values (NULL included) of ``column`` the validating pass gathered;
        None when it gathered none, or the file changed since (the caller then queries the
        file, validated again)."""
        if self.changed(source):
            return None
        noted = self._read.get(source.id)
        return None if noted is None or noted.found is None else noted.found.get(column)

    def kept_answer(
        self, source: Source, name: str, compute: Callable[[], T], keep: Callable[[T], bool]
    ) -> T:
        """The answer ``name`` of a check over ``source``'s relation (a JSON value): kept
        beside its pass (:meth:`ValidationCache.keep_answers`) when the answers ``keep``
        accepts, and found there again by a later process while the file is unchanged
        (then ``compute`` is not called). ``name`` says what the answer depends on besides
        the file's bytes and the pass's key (the columns asked, the keys compared). A file
        not validated through the cache, or changed since, is asked each time."""
        noted = self._read.get(source.id)
        if self.cache is None or noted is None or noted.kept is None or self.changed(source):
            return compute()
        key, crc32 = noted.kept
        bytes_of = (key, noted.signature, crc32)  # a file changed since: another pass, its own
        answers = self._answers.get(bytes_of)
        if answers is None:
            answers = self._answers[bytes_of] = self.cache.answers(key, noted.signature, crc32)
        if name in answers:
            found: T = answers[name]
            return found
        value = compute()
        if keep(value) and not self.changed(source):  # of the bytes validated
            answers[name] = value
            self.cache.keep_answers(key, noted.signature, crc32, answers)
        return value

    def drop(self, source: Source) -> bool:
        """Drop the relation of ``source``; False when it is not one of these."""
        prepared = self._prepared.pop(source.id, None)
        if prepared is not None:
            self._drop(source, prepared)
        noted = self._read.pop(source.id, None)
        if noted is None:
            return prepared is not None
        self._drop(source, noted)
        return True

    def _drop(self, source: Source, made: _Pass) -> None:
        if made.found is not None:  # else nothing was made
            _drop(self.connection, source, made.kind)


def _validate(
    connection: Any,
    source: Source,
    path: Path,
    in_place_bytes: int,
    names: Sequence[str],
    cache: ValidationCache | None = None,
) -> _Pass:
    """One validating pass over ``source``'s file at ``path`` on ``connection``, making its
    relation: in place (a view) when the file is ``in_place_bytes`` or more; gathering the
    distinct values of the columns ``names``. A pass that fails leaves nothing made.

    With a ``cache``, a pass that accepted the file unchanged since is not made again: the
    relation is made from the file as validated, with what that pass found; and a pass
    that accepts the file is kept there."""
    started = time.time_ns()
    signature = file_signature(path)  # before the pass: a change during it shows later
    kind = "VIEW" if signature is not None and signature[0] >= in_place_bytes else "TABLE"
    key = None
    if cache is not None:
        key = cache.key(source, path, kind, names)
        kept = cache.get(key, path, signature)
        if kept is not None:  # the file's bytes as validated: its relation made as then
            try:
                if kept.statement is not None:  # else its header is unreadable: validated again
                    connection.execute(kept.statement)
                    found = kept.accepted.found
                    return _Pass(path, signature, found, kind, (key, kept.crc32))
            except Exception:  # validated again, which says what is wrong
                _drop(connection, source, kind)
    try:
        accepted = native_csv_open(connection, source, path, names, in_place=kind == "VIEW")
    except Exception:
        _drop(connection, source, kind)
        raise
    if cache is None or key is None or accepted is None:
        return _Pass(path, signature, None if accepted is None else accepted.found, kind)
    crc32 = cache.put(key, source, path, signature, accepted, started, kind=kind)
    return _Pass(path, signature, accepted.found, kind, None if crc32 is None else (key, crc32))


def _drop(connection: Any, source: Source, kind: str) -> None:
    connection.execute(drop_table(source, kind))


def _names_checked(source: Source) -> list[str]:
    """The columns whose distinct values the engine checks before it counts
    (:func:`iku_rules.datanames.check_names`): the regions, the period of a source of
    values per period, a realisasi table's ``indikator`` and ``periode``, an inputs
    table's ``nama``; and those whose empty cells it refuses (the date of dated rows, an
    inputs table's ``tahun``)."""
    found = dict.fromkeys(source.regions.values())
    if source.grain is not None:
        found[source.grain.column] = None
    found.update(
        dict.fromkeys(
            {"realisasi": ("indikator", "periode"), "inputs": ("nama",)}.get(source.kind, ())
        )
    )
    if source.grain is None and source.date_column:
        found[source.date_column] = None  # a row without a date counts in no period
    if source.kind == "inputs":
        found["tahun"] = None
    return [column for column in found if column in source.columns]


def unsettled(source: Source) -> str:
    """What to say of ``source``'s file when it kept changing while it was read."""
    return _(
        "{path}: the file changed each time it was read; read it again once it is written in full"
    ).format(path=source.path)
