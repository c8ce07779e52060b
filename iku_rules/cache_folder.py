"""The folder where the engine keeps what it worked out from files, for the next process
that reads the same files by the same code: the validating passes over CSV files
(:mod:`iku_rules.sources.validation_cache`) and the definitions as read
(:mod:`iku_rules.loader.kept`).

**Where.** ``IKU_CACHE_DIR`` names the folder (``off`` keeps nothing); otherwise the user's
cache folder (``%LOCALAPPDATA%\\iku-rules\\cache``, ``~/Library/Caches/iku-rules``, or
``$XDG_CACHE_HOME/iku-rules``, by default ``~/.cache/iku-rules``). Each kind of entry has
a folder of its own inside it. An entry neither written nor used for :data:`KEEP_DAYS`
days is removed when an entry of its kind is next written (:func:`prune`).

**By the same code.** :func:`code_digest` sums every file of the package a result can
depend on (its modules, the grammar, the rule tables, the translations): an entry kept by
another release, or by a development checkout before an edit, is never taken.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

ENVIRONMENT = "IKU_CACHE_DIR"
"""The environment variable naming the cache folder; ``off`` (or empty) turns it off."""

KEEP_DAYS = 30
"""An entry neither written nor used for this many days is removed by :func:`prune`."""

_DAY = 24 * 60 * 60
"""Seconds in a day."""

_SUMMED = frozenset({".py", ".lark", ".mo", ".po", ".toml", ".json"})
"""The kinds of the package's files :func:`code_digest` sums (the catalogs both compiled
and as written, which a source checkout reads when newer; the shipped definitions,
sample data and schema among them; not the compiled modules)."""


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
def code_digest() -> str:
    """A digest of the package's files, with the Python that runs them: its modules, and
    the grammar, rule tables, translations and schema they read (the grammar beside the
    package in a source checkout). Summing them (1.9 MB, about 5 ms, once a process)
    costs less than asking the installed distribution for its version (25 ms), and sees
    a change no version number records."""
    package = os.path.dirname(os.path.realpath(__file__))
    top = os.path.dirname(package)
    return tree_digest(package, [os.path.join(top, "grammar", "iku.lark")])


def tree_digest(package: str, extra: Sequence[str] = ()) -> str:
    """A digest of the files of the folder ``package`` whose kinds :data:`_SUMMED` names
    (not the compiled modules of ``__pycache__``), and of the files ``extra`` (those
    missing counted as such), each by its path beside ``package`` and its bytes, with the
    version of Python."""
    top = os.path.dirname(package)
    files = list(extra)
    for folder, folders, names in os.walk(package):  # os.walk: a fifth of rglob's time
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        files.extend(
            os.path.join(folder, name) for name in names if os.path.splitext(name)[1] in _SUMMED
        )
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"python {sys.version}\0".encode())
    for path in sorted(files):
        name = os.path.relpath(path, top).replace(os.sep, "/")
        try:
            data = _read(path)
        except OSError:
            digest.update(f"{name}\0missing\0".encode())
            continue
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _read(path: str) -> bytes:
    """The bytes of the file at ``path``, read without the layers of :func:`open` (half
    the time for the package's 170 small files)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(descriptor).st_size
        parts = [os.read(descriptor, size + 1)]
        if len(parts[0]) != size:  # read short, or grown since: on to the end
            while parts[-1]:
                parts.append(os.read(descriptor, 1 << 20))
        return b"".join(parts)
    finally:
        os.close(descriptor)


def prune(entries: Path, keep_days: int = KEEP_DAYS) -> list[Path]:
    """Remove the entries of the folder ``entries`` neither written nor used for
    ``keep_days`` days, and the temporary files a process stopped while writing left a
    day ago or more; the paths removed. Run each time an entry is written (a folder of
    entries takes milliseconds)."""
    now = time.time()
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in entries.iterdir():
            age = now - entry.stat().st_mtime
            temporary = entry.name.startswith(".") and ".tmp" in entry.name
            if age > (_DAY if temporary else keep_days * _DAY):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def mark_used(entry: Path) -> None:
    """Mark an entry used (its modification time), at most once a day: what :func:`prune`
    keeps."""
    with contextlib.suppress(OSError):
        if time.time() - entry.stat().st_mtime > _DAY:
            os.utime(entry)
