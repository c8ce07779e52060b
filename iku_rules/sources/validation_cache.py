"""What the validating passes over CSV files found, kept on disk for the next process
that reads the same unchanged file by the same rules.

A CSV file DuckDB reads itself is validated cell by cell before any statement reads it
(:mod:`iku_rules.sources.csv_relations`): at the benchmark's sizes that pass is about
half of the engine's time. A planner runs ``iku eval``, ``iku report`` and ``iku explain``
again and again over the same data while editing definitions; the workspace opens an engine
for each edit. So the outcome of a pass that accepted every cell is kept, with the file's
signature (:func:`~iku_rules.sources.base.file_signature`) as the pass found it, and a later
pass over the same file is skipped while the signature is the same, as an engine keeps a
validated file for every ``evaluate`` while it is unchanged.

**What a kept outcome stands for.** Its key is everything the pass's verdict depends on
but the file's bytes: the source as declared (every field but where it is written), the
file's path, whether it is read in place, the columns whose distinct values were gathered,
the package's version and the text of the modules that validate (so that a changed rule
in a development checkout validates again). The file's bytes are stood for by its
signature: its size, modification time, inode change time (which a write moves, and which
no tool sets back), inode and device. Only a pass that accepted every cell is kept; a
refused file is validated, and refused with its places, each time.

**Racy writes.** A file written twice within one tick of its file system's clock could keep
its signature; so a pass is kept only when the file had not changed for
:attr:`ValidationCache.settle_ns` when the pass started (git's "racy clean" rule), and
only when the signature after the pass is the one before it.

**Where.** ``IKU_CACHE_DIR`` names the folder (``off`` keeps nothing); otherwise the user's
cache folder (``%LOCALAPPDATA%\\iku-rules``, ``~/Library/Caches/iku-rules``, or
``$XDG_CACHE_HOME/iku-rules``, by default ``~/.cache/iku-rules``). A folder that cannot be
written, or an entry that cannot be read, costs only the pass: the file is validated."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from attrs import evolve

from iku_rules.model import Source
from iku_rules.sources.base import Signature

ENVIRONMENT = "IKU_CACHE_DIR"
"""The environment variable naming the cache folder; ``off`` (or empty) turns it off."""

_FORMAT = 1
"""The layout of an entry; an entry of another is not read."""


def default_folder() -> Path | None:
    """The cache folder of this user (``IKU_CACHE_DIR``, else the platform's); None when
    ``IKU_CACHE_DIR`` is ``off`` or empty."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen)
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local, "iku-rules", "cache") if local else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "iku-rules"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "iku-rules" if xdg else Path.home() / ".cache" / "iku-rules"


@cache
def _code() -> str:
    """The package's version and a digest of the modules whose rules decide a pass."""
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=16)
    modules = sorted(package.joinpath("sources").glob("*.py"))
    modules += [package / name for name in ("model.py", "notation.py", "limits.py")]
    for module in modules:
        with contextlib.suppress(OSError):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
    try:
        release = version("iku-rules")
    except PackageNotFoundError:
        release = "unknown"
    return f"{release}:{digest.hexdigest()}"


class ValidationCache:
    """The outcomes of validating passes, one file per pass in ``folder`` (made when first
    written). :meth:`get` gives back what a pass found while the file is unchanged; :meth:`put`
    keeps what a pass found, when the file had settled before it and did not change during it.

    >>> cache = ValidationCache(Path("~/.cache/iku-rules").expanduser())  # doctest: +SKIP
    >>> Engine("definitions/dinsos-pandeglang", "sample-data", validation_cache=cache)  # doctest: +SKIP
    """

    settle_ns = 2_000_000_000
    """How long a file must have been unchanged when its pass started to be kept: two
    seconds, the coarsest clock of a file system in use (FAT's)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> ValidationCache | None:
        """The cache in :func:`default_folder`; None when turned off."""
        folder = default_folder()
        return None if folder is None else cls(folder)

    def key(
        self, source: Source, path: Path, kind: str, names: Sequence[str], statement: str
    ) -> str:
        """The key of a pass over ``source``'s file at ``path`` making a relation of
        ``kind``, gathering the distinct values of ``names``, reading cells as
        ``statement`` (the SQL that types them) does."""
        parts = [
            _code(),
            repr(evolve(source, location=None)),
            str(path.resolve()),
            kind,
            json.dumps(list(names)),
            statement,
        ]
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()

    def get(self, key: str, signature: Signature) -> dict[str, list[Any]] | None:
        """What the pass of ``key`` found, when it was over a file of ``signature``; else
        None (never kept, kept for another state of the file, or unreadable)."""
        if signature is None:
            return None
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            if entry["format"] != _FORMAT or tuple(entry["signature"]) != signature:
                return None
            return {
                column: [_decoded(value) for value in values]
                for column, values in entry["found"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(
        self,
        key: str,
        before: Signature,
        after: Signature,
        found: dict[str, list[Any]],
        started_ns: int,
    ) -> bool:
        """Keep what the pass of ``key`` found; ``before`` and ``after`` are the file's
        signatures as the pass began and ended, ``started_ns`` when it began
        (``time.time_ns()``). False when not kept: the file changed during the pass, had
        not settled before it, a value is of a kind not kept, or the folder is not
        writable."""
        if before is None or before != after:
            return False
        _size, modified, changed, _inode, _device = before
        if started_ns - max(modified, changed) < self.settle_ns:
            return False
        try:
            encoded = {
                column: [_encoded(value) for value in values] for column, values in found.items()
            }
        except TypeError:
            return False
        text = json.dumps(
            {"format": _FORMAT, "signature": list(before), "found": encoded}, ensure_ascii=False
        )
        target = self._entry(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    file.write(text)
                os.replace(temporary, target)  # whole or not at all, for a reader at once
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return False
        return True

    def _entry(self, key: str) -> Path:
        return self.folder / "validated" / f"{key}.json"


def _encoded(value: Any) -> Any:
    """A distinct value as JSON, its type kept (the pass gives text, whole numbers,
    decimals and dates)."""
    if value is None:
        return None
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, bool):
        raise TypeError("a truth value is not kept")
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, Decimal):
        return ["d", str(value)]
    if isinstance(value, date) and type(value) is date:
        return ["t", value.isoformat()]
    raise TypeError(f"a {type(value).__name__} is not kept")


def _decoded(value: Any) -> Any:
    if value is None:
        return None
    kind, text = value
    if not isinstance(text, str):
        raise ValueError("not an entry this module wrote")
    if kind == "s":
        return text
    if kind == "i":
        return int(text)
    if kind == "d":
        return Decimal(text)
    if kind == "t":
        return date.fromisoformat(text)
    raise ValueError(f"unknown kind {kind!r}")
