"""One TOML rule table read with :mod:`tomllib`, with the positions of its keys, so that every
problem of :mod:`iku_rules.rules.tables` is put on its file, line and column."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from iku_rules import tomlpos
from iku_rules.i18n import _
from iku_rules.library_errors import file_unreadable, save_as_utf8, undecoded
from iku_rules.loader.toml_errors import toml_error
from iku_rules.rules.base import RuleError, RuleTableError, _number
from iku_rules.suggest import closest

KeyPath = tuple[str | int, ...]


class _Table:
    """One TOML rule table, with the positions of its keys for messages."""

    def __init__(self, file: Traversable) -> None:
        self.shown = str(file)
        if not file.is_file():
            raise RuleTableError(
                self.shown,
                _("file not found; a rule-table folder holds capaian.toml and predikat.toml"),
            )
        text = self._text(file)
        try:
            self.data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:  # said and placed as in the definitions
            said = toml_error(Path(self.shown), Path(self.shown), text, exc)
            message = f"{said.message} ({said.suggestion})" if said.suggestion else said.message
            where = said.location
            raise RuleTableError(self.shown, message, where.line, where.column) from None
        try:
            self.positions = tomlpos.locate(text)
        except ValueError:
            self.positions = {}

    def _text(self, file: Traversable) -> str:
        """The file's text: one that is not UTF-8 is refused at its first byte that is not,
        saying what the bytes look like, as a definitions file is; one the system will not
        read, saying why."""
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise RuleTableError(self.shown, file_unreadable(exc)) from None
        try:
            return data.decode("utf-8").removeprefix("\ufeff")  # Notepad's byte order mark
        except UnicodeDecodeError as exc:
            found = undecoded(exc)
            message = save_as_utf8(found)
            raise RuleTableError(self.shown, message, found.line, found.column) from None

    def error(self, path: KeyPath, message: str) -> RuleTableError:
        located = self.positions.get(path)
        if located is None:
            return RuleTableError(self.shown, message)
        return RuleTableError(self.shown, message, located.key.line, located.key.column)

    def keys(self, table: Mapping[str, Any], path: KeyPath, allowed: Sequence[str]) -> None:
        for key in table:
            if key not in allowed:
                near = closest(key, allowed)
                known = ", ".join(allowed)
                raise self.error(
                    (*path, key),
                    _("unknown key '{key}'; did you mean '{near}'? (known here: {known})").format(
                        key=key, near=near[0], known=known
                    )
                    if near
                    else _("unknown key '{key}' (known here: {known})").format(
                        key=key, known=known
                    ),
                )

    def table(self, parent: Mapping[str, Any], path: KeyPath, *, required: bool = True) -> Any:
        key = str(path[-1])
        if key not in parent:
            if not required:
                return {}
            where = ".".join(str(part) for part in path[:-1])
            message = (
                _("'{key}' is missing in [{table}]").format(key=key, table=where)
                if where
                else _("'{key}' is missing at the top of the file").format(key=key)
            )
            raise self.error(path[:-1], message)
        value = parent[key]
        if not isinstance(value, dict):
            raise self.error(path, _("'{key}' must be a table").format(key=key))
        return value

    def number(self, value: object, path: KeyPath) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise self.error(
                path,
                _("'{key}' must be a number, not {value}").format(key=path[-1], value=repr(value)),
            )
        try:
            return _number(value, str(path[-1]))
        except RuleError as exc:
            raise self.error(path, str(exc)) from None

    def text(self, value: object, path: KeyPath) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(path, _("'{key}' must be a non-empty text").format(key=path[-1]))
        return value.strip()

    def boolean(self, value: object, path: KeyPath) -> bool:
        if not isinstance(value, bool):
            raise self.error(
                path,
                _("'{key}' must be true or false, not {value}").format(
                    key=path[-1], value=repr(value)
                ),
            )
        return value
