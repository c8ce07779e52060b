"""Changing values in a definitions file while keeping everything else as it was.

Planners' files carry comments, a chosen order and hand-aligned layout; a save from the
workspace changes the values edited and nothing else. The values are written by
:mod:`tomlkit`, which keeps comments and layout, one table at a time: the file is cut
into its tables (each ``[header]`` or ``[[header]]`` with the lines under it), and only
the table that holds the entry is parsed, changed and written back. Whole files are not
given to tomlkit because it gathers the entries of an array of tables that a file
interleaves (``[[sasaran]]``, ``[[tujuan]]``, ``[[sasaran]]``) into one place when it
writes them, moving the planner's blocks around.

>>> text = '''[[sasaran]]
... id = "s"
...
...   # the IKU
...   [[sasaran.indikator]]
...   id = "a"
...   targets = { 2025 = "10", 2026 = "20" }   # from the Renstra
... '''
>>> print(edit_entry(text, Entry("indikator", "a"), {"targets": {"2026": "25"}}), end="")
[[sasaran]]
id = "s"
<BLANKLINE>
  # the IKU
  [[sasaran.indikator]]
  id = "a"
  targets = { 2025 = "10", 2026 = "25" }   # from the Renstra
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import tomlkit
from attrs import frozen
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import InlineTable, Table

from iku_rules.loader.values import parse_number
from iku_rules.notation import Notation, unambiguous, write
from iku_rules.serve.text import _

_HEADER = re.compile(r"^[ \t]*\[\[?[^\]\n]*\]\]?[ \t]*(#.*)?$", re.MULTILINE)


class EditError(ValueError):
    """An edit that cannot be made: the entry is not in the file, or the file's layout
    could not be kept."""


@frozen
class Entry:
    """What an edit changes: an indicator (``kind`` ``indikator``, by ``id``) or a
    measure (``kind`` ``measure``, by ``name``)."""

    kind: str
    key: str

    @property
    def field(self) -> str:
        return "id" if self.kind == "indikator" else "name"


def number_written(value: int | float, notation: Notation) -> int | float | str:
    """A number as it is written into a definitions file to be read back as that number:
    a TOML number, or, where the loader would refuse it bare (three decimals: ``23.456``,
    which Indonesian documents read as 23456), text in the office's ``notation``, spelled
    to read one way when none is declared.

    >>> from iku_rules.notation import EN, ID, UNSETTLED
    >>> number_written(42.5, ID), number_written(23.456, ID), number_written(23.456, EN)
    (42.5, '23,456', 23.456)
    >>> number_written(23.456, UNSETTLED)
    '23,4560'
    """
    if isinstance(value, int):
        return value
    number = Decimal(repr(value))  # what TOML holds and the loader reads: the float's text
    try:
        parse_number(number, notation, toml=True)
    except ValueError:
        text = write(number, notation, group=False) if notation.declared else None
        return text or unambiguous(number, notation)
    return value


def version(text: str) -> str:
    """A fingerprint of a file's text: a save carries the one it was made from, so a file
    changed meanwhile (in another tab, in an editor) is noticed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_QUARTER_KEY = re.compile(r"(\d{4})-TW([1-4])", re.IGNORECASE)


def period_key(label: str) -> str:
    """A target's key as the loader reads it: a triwulan written ``" 2026-tw1"`` is
    ``2026-TW1``; any other key as written."""
    found = _QUARTER_KEY.fullmatch(label.strip())
    return f"{found[1]}-TW{found[2]}" if found else label


def by_period(table: Mapping[str, Any]) -> dict[str, Any]:
    """A table of targets keyed by period (:func:`period_key`); of a period written under
    two keys (``2026-TW1`` and ``2026-tw1``), the last, which is the one the loader reads."""
    return {period_key(str(key)): value for key, value in table.items()}


def on_keys_written(written: Iterable[str], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` to a table of targets, keyed by period, put on the keys the file writes
    (``written``): a target written ``"2026-tw1"`` is changed there, not given a namesake
    ``2026-TW1`` beside it, of which the loader reads only the last one written. A period
    written under several keys is changed on the last and its other keys are removed, so
    the file says one target for it.

    >>> on_keys_written(["2026", "2026-tw1"], {"2026-TW1": "15", "2026-TW2": "20"})
    {'2026-tw1': '15', '2026-TW2': '20'}
    """
    keys: dict[str, list[str]] = {}
    for key in written:
        keys.setdefault(period_key(key), []).append(key)
    found: dict[str, Any] = {}
    for period, value in changes.items():
        *others, last = keys.get(period, [period])
        found |= dict.fromkeys(others)
        found[last] = value
    return found


def tables(text: str) -> list[str]:
    """The file cut into its tables: the text before the first header, then each header
    with the lines under it; joined, they are the file exactly. A line that only looks
    like a header (inside a multi-line string or array) stays with the table above."""
    starts = [match.start() for match in _HEADER.finditer(text)]
    pieces: list[str] = []
    cuts = [0, *[s for s in starts if s > 0], len(text)]
    for begin, end in itertools.pairwise(cuts):
        piece = text[begin:end]
        if pieces and not _parses(piece):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def _parses(piece: str) -> bool:
    try:
        tomlkit.parse(piece)
    except TOMLKitError:
        return False
    return True


def _table_of(document: Container, kind: str) -> Table | None:
    """The one table a ``[[… .kind]]`` or ``[[kind]]`` piece holds."""
    value: Any = document
    while True:
        keys = list(value.keys()) if hasattr(value, "keys") else []
        if len(keys) != 1:
            return None
        key = keys[0]
        inner = value[key]
        if isinstance(inner, list):
            if len(inner) != 1:
                return None
            table = inner[0]
            if key == kind and isinstance(table, Table):
                return table
            value = table
        elif isinstance(inner, Table) and not isinstance(inner, InlineTable):
            value = inner
        else:
            return None


def read_entry(text: str, entry: Entry) -> dict[str, Any]:
    """The entry's fields as plain Python values (strings, numbers, tables), those written
    under a header of their own below it (``[sasaran.indikator.targets]``) included."""
    pieces = tables(text)
    for index, piece in enumerate(pieces):
        found = _find(piece, entry)
        if found is not None:
            below = _below(pieces, index)
            if not below:
                return dict(found[1].unwrap())
            whole = _find(piece + "".join(below.values()), entry)
            if whole is None:
                raise EditError(_("'{key}' is not in this file").format(key=entry.key))
            return dict(whole[1].unwrap())
    raise _not_found(text, entry)


_PATH = re.compile(r"^[ \t]*\[(\[?)([^\]\n]*)\]")


def _path(piece: str) -> tuple[bool, str] | None:
    """Whether a table's header is an array's (``[[…]]``) and its dotted path."""
    found = _PATH.match(piece)
    if found is None:
        return None
    return bool(found.group(1)), ".".join(part.strip() for part in found.group(2).split("."))


def _below(pieces: list[str], index: int) -> dict[str, str]:
    """The tables under the entry of ``pieces[index]`` (``[sasaran.indikator.targets]``,
    ``[sasaran.indikator.region_targets.kecamatan]``): the field each holds → its text."""
    header = _path(pieces[index])
    below: dict[str, str] = {}
    if header is None:
        return below
    prefix = header[1] + "."
    for piece in pieces[index + 1 :]:
        path = _path(piece)
        if path is None or not path[1].startswith(prefix):
            break
        field = path[1][len(prefix) :].split(".")[0]
        below[field] = below.get(field, "") + piece
    return below


def _find(piece: str, entry: Entry) -> tuple[tomlkit.TOMLDocument, Table] | None:
    if f"[{entry.kind}]" not in piece and f".{entry.kind}]" not in piece:
        return None
    try:
        document = tomlkit.parse(piece)
    except TOMLKitError:
        return None
    table = _table_of(document, entry.kind)
    if table is None or table.get(entry.field) != entry.key:
        return None
    return document, table


def edit_entry(text: str, entry: Entry, changes: Mapping[str, Any]) -> str:
    """``text`` with the entry's fields changed as ``changes`` says; everything else kept.

    A change is a field's new value (a string or number), ``None`` to remove the field,
    or, for a table field such as ``targets``, a mapping of its keys to new values (again
    ``None`` removes a key; a table left empty is removed)."""
    pieces = tables(text)
    for index, piece in enumerate(pieces):
        found = _find(piece, entry)
        if found is None:
            continue
        document, table = found
        if tomlkit.dumps(document) != piece:
            raise EditError(
                _(
                    "the layout of the table of '{key}' could not be kept; edit the file by hand"
                ).format(key=entry.key)
            )
        below = _below(pieces, index)
        for field, value in changes.items():
            if field in below:
                raise EditError(
                    _(
                        "the {field} of '{key}' are written under a header of their own"
                        " ({header}), which the workspace does not change: change them there in"
                        " the file, or write them in the table of '{key}' as"
                        " {field} = {{ … }} and edit them here"
                    ).format(
                        field=field,
                        key=entry.key,
                        header=below[field].strip().splitlines()[0].strip(),
                    )
                )
            _change(table, field, value, entry.key)
        pieces[index] = tomlkit.dumps(document)
        return "".join(pieces)
    raise _not_found(text, entry)


def _not_found(text: str, entry: Entry) -> EditError:
    """Why the entry's table was not found: written inline (``indikator = [{ id = … }]``),
    which the workspace does not edit, or not in the file."""
    if re.search(rf"\b{entry.field}\s*=\s*[\"']{re.escape(entry.key)}[\"']", text):
        return EditError(
            _(
                "'{key}' is written inside another table ({{ {field} = … }}), which the"
                " workspace does not change: edit it in the file, or write it as a table of"
                " its own ([[… .{kind}]]) to edit it here"
            ).format(key=entry.key, field=entry.field, kind=entry.kind)
        )
    return EditError(_("'{key}' is not in this file").format(key=entry.key))


def _change(table: Table, field: str, value: Any, key: str) -> None:
    if isinstance(value, Mapping):
        current = table.get(field)
        if current is not None and _dotted(table, field):
            _change_dotted(current, field, value, key)
            return
        items: dict[str, Any] = {} if current is None else {k: current.item(k) for k in current}
        if current is not None and all(k in items for k in value):
            # Only keys already there change: tomlkit rewrites them in place.
            for key, item in value.items():
                if item is None:
                    del current[key]
                elif not _same(current[key], item):
                    current[key] = _item(item)
            if not current:
                del table[field]
            return
        wanted = {k: v.as_string().strip() for k, v in items.items()}
        for key, item in value.items():
            if item is None:
                wanted.pop(key, None)
            elif key not in wanted or not _same(current[key] if current else None, item):
                wanted[key] = _value_text(item)
        if not wanted:
            if current is not None:
                del table[field]
            return
        if list(wanted) != sorted(wanted) and list(items) == sorted(items):
            wanted = dict(sorted(wanted.items()))
        inline = ", ".join(f"{_key(k)} = {v}" for k, v in wanted.items())
        table[field] = tomlkit.parse(f"x = {{ {inline} }}\n")["x"]
        return
    if value is None:
        if field in table:
            del table[field]
        return
    if field in table and _same(table[field], value):
        return
    table[field] = _item(value)


def _dotted(table: Table, field: str) -> bool:
    """Whether ``field`` is written as dotted keys (``targets.2026 = "20"``), which tomlkit
    cannot gather into one inline table without losing their comments (or at all, when
    other keys stand between them)."""
    return any(
        key is not None and key.key == field and key.is_dotted() for key, _ in table.value.body
    )


def _change_dotted(current: Any, field: str, value: Mapping[str, Any], key: str) -> None:
    """Change the keys of a table written as dotted keys where they stand; a key not yet
    there is refused, as where it would go cannot be told."""
    for name, item in value.items():
        if name in current:
            if item is None:
                del current[name]
            elif not _same(current[name], item):
                current[name] = _item(item)
        elif item is not None:
            raise EditError(
                _(
                    "the {field} of '{key}' are written as dotted keys ({field}.… = …), and the"
                    " workspace adds none to them: add {field}.{name} in the file, or write"
                    " them as {field} = {{ … }} and edit them here"
                ).format(field=field, key=key, name=_key(name))
            )


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else tomlkit.string(key).as_string()


def _value_text(value: Any) -> str:
    item = _item(value)
    text: str = (item if hasattr(item, "as_string") else tomlkit.item(value)).as_string()
    return text


def _same(current: Any, value: Any) -> bool:
    """True when the field already holds ``value`` (then it is left untouched, written as
    it was: ``"55,33"`` stays ``"55,33"``)."""
    plain = current.unwrap() if hasattr(current, "unwrap") else current
    return type(plain) is type(value) and bool(plain == value)


def _item(value: Any) -> Any:
    """A string with double quotes in it (a filter: ``x in ("a")``) is written as a
    literal string, as a planner would write it, rather than with backslashes; one of
    several lines as a multi-line literal string (``'''…'''``), its lines kept."""
    if isinstance(value, str) and "\n" in value:
        try:
            return tomlkit.string(value, literal=True, multiline=True)
        except (TOMLKitError, ValueError):  # a character a literal string cannot hold
            return value
    if isinstance(value, str) and '"' in value and "'" not in value and "\n" not in value:
        return tomlkit.string(value, literal=True)
    return value
