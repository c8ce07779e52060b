"""The definitions as read, kept on disk for the next process that loads the same files by
the same code.

Reading an office's definitions (its TOML files, every formula through the grammar, the
checks) takes 0.04–0.05 s for the shipped Dinas Sosial: a tenth of evaluating its four
triwulan on a kabupaten's data. A planner runs ``iku eval``, ``iku report`` and ``iku
explain`` again and again over the same definitions; an entry kept from the last run gives
the same :class:`~iku_rules.model.Definitions` back in 0.005 s. Keeping them costs the
reading 0.01 s: the places of keys not yet found are kept as questions with the files'
text (:class:`~iku_rules.loader.fields.Place`), found only when a message shows one.

**What an entry stands for.** Its key is everything the definitions read depend on: the
package's code (:func:`~iku_rules.cache_folder.code_digest`), the language spoken (the
warnings' messages are written in it), the folder as named and as resolved, and the path
and every byte of each file the loader reads
(:func:`~iku_rules.loader.definition_files`). So each file is read again on every load
(ten small files), and an edit, a file added or removed, or another release reads the
definitions anew. Only definitions without errors are kept: those with errors are read,
and refused with their places, every time. Definitions whose files changed while they were
read are not kept.

**Trust.** An entry is a pickle, and reading a pickle can run code; so an entry is read
only when it is a file of the user's own that no one else may write (on POSIX: owned by
the process's user, not writable by group or others), as this module writes it. Anyone who
could write it could as well change the definitions or the package.

**Where.** In the folder ``definitions`` of the cache folder
(:func:`~iku_rules.cache_folder.default_folder`: ``IKU_CACHE_DIR``, ``off`` for none), one
entry per folder and language, replaced when the files change. A folder that cannot be
written, or an entry that cannot be read, costs only the reading: the files are read.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import stat
from pathlib import Path
from types import MappingProxyType
from typing import Any

from iku_rules.atomic import write_atomic
from iku_rules.cache_folder import code_digest, default_folder, mark_used, prune
from iku_rules.collector import paused
from iku_rules.i18n import current_language
from iku_rules.loader import definition_files, load
from iku_rules.model import Definitions

_FORMAT = b"iku-rules definitions 1"
"""The layout of an entry; an entry of another is not read."""


def _read_only(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """A read-only mapping again, as the model keeps its mappings (pickle cannot name the
    type of a mapping proxy)."""
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _read_only, (dict(obj),)
        return NotImplemented


class DefinitionsCache:
    """Definitions as read, one entry per folder and language in ``folder`` (made when
    first written). :meth:`load` gives the entry back while its key is still the one of
    the files, else reads them and keeps what it read.

    An engine takes one as ``Engine(path, data, definitions_cache=DefinitionsCache(folder))``.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> DefinitionsCache | None:
        """The cache in :func:`~iku_rules.cache_folder.default_folder`; None when turned off."""
        folder = default_folder()
        return None if folder is None else cls(folder)

    def load(self, path: str | Path) -> Definitions:
        """The definitions of the folder (or file) ``path``, as :func:`~iku_rules.loader.load`
        reads them: from the entry kept for them when their files and the code are those it
        was kept for, else read (and kept when they have no error)."""
        root = Path(path)
        key = self.key(root)
        if key is not None:
            found = self._get(root, key)
            if found is not None:
                return found
        definitions = load(root)
        if key is not None and definitions.ok and self.key(root) == key:
            self._put(root, key, definitions)  # unchanged while read
        return definitions

    def key(self, root: Path) -> bytes | None:
        """The key of the definitions at ``root`` as they are now; None when a file cannot
        be read (then they are read, and nothing kept)."""
        if not root.exists():
            return None
        digest = hashlib.blake2b(digest_size=20)
        for part in (_FORMAT.decode(), code_digest(), current_language(), str(root)):
            digest.update(part.encode() + b"\0")
        try:
            digest.update(str(root.resolve()).encode() + b"\0")
            for file in definition_files(root):
                data = file.read_bytes()
                digest.update(f"{file}\0{len(data)}\0".encode() + data)
        except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
            return None
        return digest.hexdigest().encode()

    def _get(self, root: Path, key: bytes) -> Definitions | None:
        entry = self._entry(root)
        try:
            with entry.open("rb") as file:
                if not _own(os.fstat(file.fileno())):
                    return None
                if file.readline().rstrip(b"\n") != _FORMAT + b" " + key:
                    return None
                with paused():  # every object made is kept: see iku_rules.collector
                    found = pickle.load(file)  # the user's own file (see _own)
        except Exception:  # an entry unreadable, cut short, or of other code: read the files
            return None
        if not isinstance(found, Definitions):
            return None
        mark_used(entry)
        return found

    def _put(self, root: Path, key: bytes, definitions: Definitions) -> bool:
        """Keep ``definitions`` read at ``root`` under ``key``; False when not kept."""
        buffer = io.BytesIO()
        buffer.write(_FORMAT + b" " + key + b"\n")
        try:
            _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(definitions)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return False
        entry = self._entry(root)
        with contextlib.suppress(OSError):
            if not _own(entry.lstat()):  # not replaced in place: it would keep its mode
                entry.unlink()
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            # whole or not at all, for a reader at once; lost in a crash, it costs a reading;
            # readable and writable by its owner alone (see _own)
            write_atomic(entry, buffer.getvalue(), replace=True, durable=False, mode=0o600)
        except OSError:
            return False
        prune(entry.parent)
        return True

    def _entry(self, root: Path) -> Path:
        where = f"{root}\0{root.resolve()}\0{current_language()}".encode()
        name = hashlib.blake2b(where, digest_size=16).hexdigest()
        return self.folder / "definitions" / f"{name}.pickle"


def _own(status: os.stat_result) -> bool:
    """Whether a file of this status may be unpickled: on POSIX, a regular file of this
    process's user that neither group nor others may write."""
    if not stat.S_ISREG(status.st_mode):
        return False
    if not hasattr(os, "geteuid"):  # Windows: the user's own cache folder decides
        return True
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def load_kept(path: str | Path, cache: DefinitionsCache | bool = True) -> Definitions:
    """The definitions at ``path``, through ``cache`` (True: the user's cache folder,
    :meth:`DefinitionsCache.default`; False: read the files)."""
    chosen = DefinitionsCache.default() if cache is True else cache or None
    return load(path) if chosen is None else chosen.load(path)
