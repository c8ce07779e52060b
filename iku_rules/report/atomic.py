"""Writing a report file all at once or not at all.

:func:`write_atomic` writes into a temporary file in the target's folder and
moves it over the target with :func:`os.replace`, so a reader (or a crash) never
sees half a report: if the writer raises, the temporary file is removed and the
target is as it was; if the process is killed mid-write, the target is untouched
(only a hidden ``.NAME.*.tmp`` file may be left behind).

An existing file is replaced only when the caller says so (``replace=True``);
otherwise :class:`ReportExistsError` is raised and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from iku_rules.errors import IkuError
from iku_rules.i18n import _

Writer = Callable[[Path], object]
"""A function that writes the whole file at the path it is given (what it returns is ignored)."""


class ReportError(IkuError):
    """A report could not be written."""


class ReportExistsError(ReportError):
    """The report file exists and the caller did not ask to replace it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            _(
                "{path} already exists; name it with -o to replace it, or choose another file name"
            ).format(path=path)
        )


def write_atomic(path: Path, data: str | bytes | Writer, *, replace: bool) -> None:
    """Write ``data`` (text as UTF-8, bytes, or a function that writes the file at the
    path it is given) to ``path`` atomically.

    A symbolic link at ``path`` counts as an existing file; replacing it puts the new
    file in its place (the file it pointed to stays as it was).

    Raises :class:`ReportExistsError` when ``path`` exists and ``replace`` is False,
    :class:`ReportError` when the folder is missing or ``path`` is a folder. Anything
    the writer raises is raised again after the temporary file is removed.
    """
    path = Path(path)
    if path.is_dir():
        raise ReportError(
            _("{path} is a folder; give a file name for the report").format(path=path)
        )
    if not replace and (path.exists() or path.is_symlink()):
        raise ReportExistsError(path)
    folder = path.parent
    if not folder.is_dir():
        raise ReportError(
            _("cannot write {path}: there is no folder {folder}").format(path=path, folder=folder)
        )
    temp = _create_temp(path)
    try:
        if callable(data):
            data(temp)
        else:
            content = data.encode("utf-8") if isinstance(data, str) else data
            with temp.open("wb") as handle:
                handle.write(content)
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
    _fsync_folder(folder)


def _create_temp(path: Path) -> Path:
    """A new empty file next to ``path``, created with the usual permissions (0666
    less the umask), keeping ``path``'s extension for writers that look at it."""
    for _attempt in range(100):
        temp = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise ReportError(
                _("cannot write in {folder}: {problem}").format(
                    folder=path.parent, problem=error.strerror
                )
            ) from error
        os.close(descriptor)
        return temp
    raise ReportError(  # pragma: no cover
        _("cannot create a temporary file in {folder}").format(folder=path.parent)
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
        raise ReportExistsError(path) from None
    except OSError:
        # No hard links on this file system: check, then replace.
        if path.exists():
            raise ReportExistsError(path) from None
        os.replace(temp, path)
        return
    temp.unlink()


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
