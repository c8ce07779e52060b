"""Writing a report file all at once or not at all, with the planners' messages.

:func:`write_atomic` writes through :func:`iku_rules.atomic.write_atomic` (a temporary file
in the target's folder moved over the target, so a reader or a crash never sees half a
report) and says in plain words what stopped it: the target is a folder, its folder is
missing or not writable, or the file exists and the caller did not ask to replace it
(:class:`ReportExistsError`, raised before anything is written).
"""

from __future__ import annotations

from pathlib import Path

from iku_rules import atomic
from iku_rules.atomic import Writer
from iku_rules.errors import IkuError
from iku_rules.i18n import _
from iku_rules.library_errors import os_reason


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
    :class:`ReportError` when the folder is missing or not writable, or ``path`` is a
    folder. Anything the writer raises is raised again after the temporary file is removed.
    """
    path = Path(path)
    if path.is_dir():
        raise ReportError(
            _("{path} is a folder; give a file name for the report").format(path=path)
        )
    folder = path.parent
    if not folder.is_dir():
        raise ReportError(
            _("cannot write {path}: there is no folder {folder}").format(path=path, folder=folder)
        )
    try:
        atomic.write_atomic(path, data, replace=replace)
    except atomic.TargetExistsError:
        raise ReportExistsError(path) from None
    except atomic.TemporaryFileError as error:
        raise ReportError(
            _("cannot write in {folder}: {problem}").format(folder=folder, problem=os_reason(error))
        ) from error
