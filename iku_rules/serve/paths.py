"""Paths asked for over HTTP, confined to one folder.

The workspace reads and writes files only inside the definitions folder and the data
folder it was started with. A path from a request is refused when it is absolute, has
a ``..`` part, a backslash, a control character or a percent sign left over from
encoding (``%2f`` decoded once is a slash, and a second round is never done), or when
the file it names — after every link is followed — lies outside the folder.

>>> from pathlib import Path
>>> confined(Path("."), "../etc/passwd")
Traceback (most recent call last):
...
iku_rules.serve.paths.PathRefused: the path '../etc/passwd' leads out of the folder
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from iku_rules.serve.text import _


class PathRefused(ValueError):
    """A path from a request that could lead out of its folder, or names nothing there."""


def confined(root: Path, asked: str) -> Path:
    """The file ``asked`` (a relative path with ``/``) inside ``root``, resolved; or
    :class:`PathRefused` when it is not plainly a name inside ``root``."""
    if not asked or "\\" in asked or "%" in asked or any(ord(c) < 32 for c in asked):
        raise PathRefused(_("the path '{path}' is not a plain file name").format(path=asked))
    relative = PurePosixPath(asked)
    if relative.is_absolute() or asked.startswith("/") or ".." in relative.parts:
        raise PathRefused(_("the path '{path}' leads out of the folder").format(path=asked))
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise PathRefused(_("the path '{path}' leads out of the folder").format(path=asked))
    if not target.is_file():
        raise PathRefused(_("there is no file '{path}'").format(path=asked))
    return target
