"""A place in a definitions file, found at once or when first read, and a problem found
there (:class:`Diagnostic`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from attrs import frozen
from attrs.exceptions import FrozenInstanceError

from iku_rules.i18n import _


class Location:
    """A place in a definitions file: the path as the user named it, 1-based line and column.

    Immutable, equal and hashed by ``(path, line, column)``. :meth:`found_later` makes one
    whose line and column are looked up the first time either is read, so that a file's
    keys are placed only when a message shows one of them.
    """

    __slots__ = ("_column", "_find", "_line", "path")

    path: Path
    _line: int | None
    _column: int | None
    _find: Callable[[], tuple[int, int]] | None

    def __init__(self, path: Path, line: int | None = None, column: int | None = None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "_line", line)
        object.__setattr__(self, "_column", column)
        object.__setattr__(self, "_find", None)

    @classmethod
    def found_later(cls, path: Path, find: Callable[[], tuple[int, int]]) -> Location:
        """The place in ``path`` that ``find()`` gives as (line, column) when first asked."""
        location = cls(path)
        object.__setattr__(location, "_find", find)
        return location

    def _place(self) -> tuple[int | None, int | None]:
        find = self._find
        if find is not None:
            line, column = find()
            object.__setattr__(self, "_line", line)
            object.__setattr__(self, "_column", column)
            object.__setattr__(self, "_find", None)
        return self._line, self._column

    @property
    def line(self) -> int | None:
        return self._place()[0]

    @property
    def column(self) -> int | None:
        return self._place()[1]

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return (self.path, *self._place()) == (other.path, *other._place())

    def __hash__(self) -> int:
        return hash((self.path, *self._place()))

    def __repr__(self) -> str:
        return f"Location(path={self.path!r}, line={self.line!r}, column={self.column!r})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its place, or, when not yet found and its finder says it may be
        pickled (``picklable``), as the question, to be found when first read."""
        find = self._find
        if find is not None and getattr(find, "picklable", False):
            return Location.found_later, (self.path, find)
        return Location, (self.path, *self._place())

    def __str__(self) -> str:
        if self.line is None:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.column}"


Severity = Literal["error", "warning", "note"]


@frozen
class Diagnostic:
    """One problem in the definitions, said so that a planner can fix it."""

    severity: Severity
    message: str
    location: Location
    suggestion: str | None = None
    code: str = "definition"

    def __str__(self) -> str:
        severity = {"error": _("error"), "warning": _("warning"), "note": _("note")}[self.severity]
        text = f"{self.location}: {severity}: {self.message}"
        if self.suggestion:
            text += f" ({self.suggestion})"
        return text
