"""Writing a file all at once or not at all.

:func:`write_atomic` writes into a temporary file in the target's folder and moves it over
the target with :func:`os.replace`, so a reader (or a crash) never sees half a file: if
the writer raises, the temporary file is removed and the target is as it was; if the
process is killed mid-write, the target is untouched (only a hidden ``.NAME.*.tmp`` file
may be left behind). Reports, the definitions the workspace saves, the CSV files the
engine and the sample data write, and the validation cache's entries are all written
through it.

The errors are the operating system's (:class:`OSError`), for the caller to put in its
own words: :class:`TargetExistsError` (a :class:`FileExistsError`) when the target exists
and is not to be replaced, :class:`TemporaryFileError` when no file can be made in the
target's folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

Writer = Callable[[Path], object]
"""A function that writes the whole file at the path it is given (what it returns is ignored)."""


class TargetExistsError(FileExistsError):
    """The target exists, or was created while the file was written, and is not to be
    replaced; ``filename`` is the target."""


class TemporaryFileError(OSError):
    """No temporary file could be made beside the target (the folder is not writable, say);
    ``filename`` is the folder."""


def write_atomic(
    path: Path,
    data: str | bytes | Writer,
    *,
    replace: bool,
    durable: bool = True,
    mode: int = 0o666,
) -> None:
    """Write ``data`` (text as UTF-8, bytes, or a function that writes the file at the path
    it is given) to ``path`` atomically.

    A symbolic link at ``path`` counts as an existing file; replacing it puts the new file
    in its place (the file it pointed to stays as it was). A replaced file keeps its
    permissions; a new one has ``mode`` less the umask (by default 0666, the usual; 0600
    for a file only its owner may read). ``durable``: the file and the rename are flushed
    to the disk before returning (a cache that can be rebuilt need not wait for it).

    Raises :class:`TargetExistsError` when ``path`` exists (or is created meanwhile) and
    ``replace`` is False, :class:`TemporaryFileError` when no file can be made in its
    folder. Anything the writer raises is raised again after the temporary file is removed.
    """
    path = Path(path)
    if not replace and (path.exists() or path.is_symlink()):
        raise _exists(path)
    temp = _create_temp(path, mode)
    try:
        if callable(data):
            data(temp)
        else:
            content = data.encode("utf-8") if isinstance(data, str) else data
            with temp.open("wb") as handle:
                handle.write(content)
        if durable:
            _fsync(temp)
        _keep_mode(path, temp)
        if replace:
            os.replace(temp, path)
        else:
            _move_new(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        _fsync_folder(path.parent)


def _create_temp(path: Path, mode: int) -> Path:
    """A new empty file next to ``path``, created with ``mode`` less the umask, keeping
    ``path``'s extension for writers that look at it."""
    for _attempt in range(100):
        temp = path.with_name(f".{path.stem}.{os.urandom(4).hex()}.tmp{path.suffix}")
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        except OSError as error:
            raise TemporaryFileError(error.errno, error.strerror, str(path.parent)) from error
        os.close(descriptor)
        return temp
    raise TemporaryFileError(  # pragma: no cover  # i18n: not for planners
        f"no free temporary name beside {path}"
    )


def _keep_mode(path: Path, temp: Path) -> None:
    """A replaced file keeps its permissions."""
    with contextlib.suppress(OSError):
        os.chmod(temp, stat.S_IMODE(path.stat().st_mode))


def _move_new(temp: Path, path: Path) -> None:
    """Move ``temp`` to ``path`` only if ``path`` still does not exist (a hard link fails
    when the name is taken, so a file created meanwhile is not overwritten)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:
        # No hard links on this file system: check, then replace.
        if path.exists():
            raise _exists(path) from None
        os.replace(temp, path)
        return
    temp.unlink()


def _exists(path: Path) -> TargetExistsError:
    return TargetExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it."""
    if os.name != "posix":  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
