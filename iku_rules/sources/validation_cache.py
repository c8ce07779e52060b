"""What the validating passes over CSV files found, kept on disk for the next process
that reads the same file by the same rules.

A CSV file DuckDB reads itself is validated cell by cell before any statement reads it
(:mod:`iku_rules.sources.csv_relations`): at the benchmark's sizes that pass is about
half of the engine's time. A planner runs ``iku eval``, ``iku report`` and ``iku explain``
again and again over the same data while editing definitions, and the workspace opens a new
engine whenever the definitions change. So the outcome of a pass that accepted every cell
is kept, with the file's signature and a CRC-32 of the bytes it read, and a later engine
reading the same file by the same rules does not make the pass again while both are the
same.

**What a kept outcome stands for.** Its key is everything the pass's verdict depends on
but the file's bytes: the source as declared (every field but where it is written), the
file's path, whether it is read in place, the columns whose distinct values were gathered,
and a digest of every module of the package with the versions of DuckDB and sqlglot (so
that another release, a rule changed in a development checkout, or another DuckDB, validates
again). The bytes are stood for by the file's signature
(:func:`~iku_rules.sources.base.file_signature`: size, modification and inode change times,
inode, device) and their CRC-32, read again each time the outcome is used (0.01 s for the
kabupaten's 37 MB service log, 0.12 s for the province's 370 MB). The signature alone would
do where the inode change time is one (a write moves it, and no tool sets it back), but on
Windows and on a FAT drive that time is the file's creation, and a tool can write a file
in place and set its modification time back with its size unchanged: the CRC-32 then tells
the change (surely for a change within 32 consecutive bits, as an edited cell is; one
change in four billion passes otherwise, and only behind a signature set back). Only a
pass that accepted every cell is kept; a refused file is validated, and refused with its
places, each time. A pass that gathered the values of a column of people's identifiers (a
filter comparing a NIK) is not kept: no NIK is written to disk. With the distinct values
it gathered, an entry keeps the columns the pass found plain, which the
relation made again reads without the patterns, and the statement making that relation
(:func:`~iku_rules.sources.native_csv.validated_relation`), which follows from the key and
the file's header: built once, not again by every process (building it with sqlglot took
about 0.03 seconds of the kabupaten's every run).

**The checks' answers.** Beside a pass, the answers the engine's data checks found over
the same bytes (:meth:`ValidationCache.keep_answers`, asked through
:meth:`~iku_rules.sources.csv_relations.CsvRelations.kept_answer`): the pairs of kecamatan
and desa a file holds, and that no count is fractional, no text column spells a value two
ways. They follow from the file's bytes and the pass's key as the pass does, and are taken
only with its signature and CRC-32; a check that refused is asked again each time, and no
answer holds people's identifiers. On the kabupaten's four triwulan, the checks took 0.03 to
0.05 s of every run; found there, about 0.004 s.

**The bytes summed are those validated.** The CRC-32 is taken after the pass, so a pass is
kept only when the file had not changed for :attr:`ValidationCache.settle_ns` when it
started (a write within one tick of a coarse file-system clock could keep the file's times)
and its signature is still the one it had then, once the bytes are summed.

**Where.** In the folder ``validated`` of the cache folder
(:func:`~iku_rules.cache_folder.default_folder`: ``IKU_CACHE_DIR``, ``off`` for none). A
folder that cannot be written, or an entry that cannot be read, costs only the pass: the
file is validated. An entry neither written nor used for :attr:`ValidationCache.keep_days`
days is removed when a pass is next kept, so the passes over data folders long gone do not
pile up."""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import zlib
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from attrs import evolve

from iku_rules.atomic import write_atomic
from iku_rules.cache_folder import (
    KEEP_DAYS,
    code_digest,
    default_folder,
    mark_used,
    prune,
)
from iku_rules.model import Source
from iku_rules.sources.base import Signature, file_signature
from iku_rules.sources.cells import IDENTIFIER_TYPES
from iku_rules.sources.native_csv import Accepted, validated_relation

_FORMAT = 5
"""The layout of an entry; an entry of another is not read."""


@cache
def _code() -> str:
    """The package's digest (:func:`~iku_rules.cache_folder.code_digest`) with the versions
    of DuckDB and sqlglot: a pass kept by other code (another release, a development
    checkout's rule changed, another DuckDB casting the cells or sqlglot writing the
    statement) is never taken."""
    import duckdb
    import sqlglot

    versions = f"duckdb {duckdb.__version__}\0sqlglot {getattr(sqlglot, '__version__', '')}"
    return f"{code_digest()}\0{versions}"


class Kept(NamedTuple):
    """What a kept pass found (:meth:`ValidationCache.get`)."""

    accepted: Accepted
    """The distinct values it gathered and the columns it found plain."""
    statement: str | None
    """The statement making the file's relation as validated; None where the file's first
    line is not plainly its header (the file is then validated again)."""
    crc32: int
    """The CRC-32 of the file's bytes, as validated and as read again now."""


class ValidationCache:
    """The outcomes of validating passes, one file per pass in ``folder`` (made when first
    written). :meth:`get` gives back what a pass found while the file's signature and the
    CRC-32 of its bytes are those it had then; :meth:`put` keeps what a pass found, when the
    file had settled before it and did not change until its bytes were summed.

    An engine takes one as ``Engine(definitions, data, validation_cache=ValidationCache(folder))``.
    """

    settle_ns = 2_000_000_000
    """How long a file must have been unchanged when its pass started to be kept: two
    seconds, the coarsest clock of a file system in use (FAT's)."""

    keep_days = KEEP_DAYS
    """An entry neither written nor used for this many days is removed (when a pass is
    next kept): the passes over data folders long gone do not pile up."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> ValidationCache | None:
        """The cache in :func:`default_folder`; None when turned off."""
        folder = default_folder()
        return None if folder is None else cls(folder)

    def key(self, source: Source, path: Path, kind: str, names: Sequence[str]) -> str:
        """The key of a pass over ``source``'s file at ``path`` making a relation of
        ``kind``, gathering the distinct values of ``names``, by this code's rules. The
        statement typing the cells follows from these and the file's bytes (its header
        among them), which :meth:`get` finds unchanged."""
        parts = [
            _code(),
            repr(evolve(source, location=None)),
            str(path),
            str(path.resolve()),
            kind,
            json.dumps(list(names)),
        ]
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()

    def get(self, key: str, path: Path, signature: Signature) -> Kept | None:
        """What the pass of ``key`` found and the statement making its relation, when the
        file at ``path`` has the ``signature`` (taken now) that file had then, and its bytes
        the same CRC-32 (read again now); else None (never kept, kept for another state of
        the file, or unreadable)."""
        if signature is None:
            return None
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if entry["format"] != _FORMAT or tuple(entry["signature"]) != signature:
                return None
            if entry["crc32"] != _crc32(path):
                return None
            found = {
                column: [_decoded(value) for value in values]
                for column, values in entry["found"].items()
            }
            plain, statement = entry["plain"], entry["statement"]
            if not isinstance(plain, list) or not all(isinstance(c, str) for c in plain):
                return None  # not an entry this module wrote
            if statement is not None and not isinstance(statement, str):
                return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        mark_used(self._entry(key))
        return Kept(Accepted(found, frozenset(plain)), statement, entry["crc32"])

    def put(
        self,
        key: str,
        source: Source,
        path: Path,
        before: Signature,
        accepted: Accepted,
        started_ns: int,
        *,
        kind: str,
    ) -> int | None:
        """Keep what the pass of ``key`` over ``source``'s file at ``path`` found (the
        distinct values it gathered, the columns it found plain) and the statement making
        its relation of ``kind`` (``VIEW`` or ``TABLE``) as validated, with the
        file's signature ``before`` (as the pass began) and the CRC-32 of its bytes;
        ``started_ns`` is when the pass began (``time.time_ns()``). The bytes summed are
        those the pass read when the file had settled before the pass and its signature is
        still ``before`` once they are summed. False when not kept: the file had not
        settled, or changed since the pass began; the pass gathered a column of people's
        identifiers (never written to disk); a value is of a kind not kept; the folder is
        not writable. The CRC-32 kept, else None."""
        if before is None:
            return None
        found = accepted.found
        if any(source.columns.get(column) in IDENTIFIER_TYPES for column in found):
            return None
        _size, modified, changed, _inode, _device = before
        if started_ns - max(modified, changed) < self.settle_ns:
            return None
        try:
            encoded = {
                column: [_encoded(value) for value in values] for column, values in found.items()
            }
            statement = validated_relation(
                source, path, in_place=kind == "VIEW", plain=accepted.plain
            )  # of the bytes summed next: the header read before the signature is taken again
            crc32 = _crc32(path)
        except (TypeError, ValueError, OSError):  # ValueError: the file emptied meanwhile
            return None
        if file_signature(path) != before:
            return None
        text = json.dumps(
            {
                "format": _FORMAT,
                "signature": list(before),
                "crc32": crc32,
                "found": encoded,
                "plain": sorted(accepted.plain),
                "statement": statement,
            },
            ensure_ascii=False,
        )
        target = self._entry(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # whole or not at all, for a reader at once; lost in a crash, it costs a pass;
            # readable by its owner alone (the names of regions and the texts filters compare)
            write_atomic(target, text, replace=True, durable=False, mode=0o600)
        except OSError:
            return None
        self.prune()
        return crc32

    def answers(self, key: str, signature: Signature, crc32: int) -> dict[str, Any]:
        """The answers kept beside the pass of ``key`` (:meth:`keep_answers`) when they were
        found over the bytes the file has now: its ``signature`` and ``crc32`` as the pass
        was taken (the caller found the file unchanged since); else none."""
        if signature is None:
            return {}
        try:
            entry = json.loads(self._answers(key).read_text(encoding="utf-8"))
            if entry["format"] != _FORMAT or tuple(entry["signature"]) != signature:
                return {}
            answers = entry["answers"]
            if entry["crc32"] != crc32 or not isinstance(answers, dict):
                return {}
        except (OSError, ValueError, KeyError, TypeError):
            return {}
        mark_used(self._answers(key))
        return answers

    def keep_answers(
        self, key: str, signature: Signature, crc32: int, answers: dict[str, Any]
    ) -> bool:
        """Keep beside the pass of ``key`` the ``answers`` (JSON values by name) that the
        checks found over the file of ``signature`` and ``crc32``: an answer follows from the
        file's bytes and the pass's key, like the pass. False when not kept."""
        text = json.dumps(
            {"format": _FORMAT, "signature": list(signature or ()), "crc32": crc32,
             "answers": answers},
            ensure_ascii=False,
        )  # fmt: skip
        try:  # readable by its owner alone, as the pass beside it
            self._entries().mkdir(parents=True, exist_ok=True)
            write_atomic(self._answers(key), text, replace=True, durable=False, mode=0o600)
        except OSError:
            return False
        return True

    def prune(self) -> list[Path]:
        """Remove the entries neither written nor used for :attr:`keep_days` days, and the
        temporary files a process stopped while writing left a day ago or more; the paths
        removed (:func:`~iku_rules.cache_folder.prune`)."""
        return prune(self._entries(), self.keep_days)

    def _entries(self) -> Path:
        return self.folder / "validated"

    def _entry(self, key: str) -> Path:
        return self._entries() / f"{key}.json"

    def _answers(self, key: str) -> Path:
        return self._entries() / f"{key}.answers.json"


def _crc32(path: Path) -> int:
    """The CRC-32 of the file's bytes (about 3 GB/s, the GIL released: a third of the time
    of a SHA-256, which guards against a forger, not against the changes feared here)."""
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return 0
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return zlib.crc32(data)


def _encoded(value: Any) -> Any:
    """A distinct value as JSON, its type kept (the pass gives text, whole numbers,
    decimals and dates)."""
    if value is None:
        return None
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, bool):
        raise TypeError("a truth value is not kept")  # i18n: not for planners
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, date) and type(value) is date:
        return ["t", value.isoformat()]
    raise TypeError(f"a {type(value).__name__} is not kept")  # i18n: not for planners


def _decoded(value: Any) -> Any:
    if value is None:
        return None
    kind, text = value
    if not isinstance(text, str):
        raise ValueError("not an entry this module wrote")  # i18n: not for planners
    if kind == "s":
        return text
    if kind == "i":
        return int(text)
    if kind == "d":
        return Decimal(text)
    if kind == "t":
        return date.fromisoformat(text)
    raise ValueError(f"unknown kind {kind!r}")  # i18n: not for planners
