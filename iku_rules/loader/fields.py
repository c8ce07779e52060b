"""Reading one table of a definitions file: where each key stands, problems put on their
place, and typed fields (text, choices, whole numbers, numbers, targets, flags, tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from iku_rules import tomlpos
from iku_rules.capaian_policy import policy_problem
from iku_rules.i18n import _
from iku_rules.loader.values import (
    RULES_FIELDS,
    TRIWULAN_KEY,
    YEAR_KEY,
    KeyPath,
    T,
    _kind,
    is_revision,
    parse_number,
    parse_target,
    revision_fix,
    year_key_problem,
)
from iku_rules.model import (
    Diagnostic,
    Location,
    Rules,
    Severity,
    Target,
)
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.suggest import closest, did_you_mean, did_you_mean_field, field_meant


class TableReader:
    """Reads the tables of one file: every key's place, typed fields, problems on their place."""

    def __init__(
        self,
        path: Path,
        shown: Path,
        text: str,
        data: dict[str, Any],
        notation: Notation = UNSETTLED,
    ):
        self.path = path
        self.shown = shown
        self.text = text
        self.data = data
        self.notation = notation
        """How the office writes numbers (its [office] may stand in another file)."""
        self.diagnostics: list[Diagnostic] = []

    # -- places and problems

    @cached_property
    def document(self) -> Document:
        return Document(self.text)

    def at(self, key_path: KeyPath, value: bool = False) -> Location:
        """The place of ``key_path`` (its key, or its value); the nearest known ancestor
        otherwise. Looked up when its line or column is first read."""
        return Location.found_later(self.shown, Place(self.document, key_path, value))

    def string_start(self, key_path: KeyPath, value: str) -> tuple[Location, bool]:
        """Where the content of a string value starts, and whether offsets in it map one to one.

        In a file without a backslash or a carriage return every string is written as it
        reads, so the place is looked up only when it is first read."""
        if self._plain_strings:
            place = Place(self.document, key_path, False, value)
            return Location.found_later(self.shown, place), True
        location, exact = self.document.string_start(key_path, value)
        return Location(self.shown, *location), exact

    @cached_property
    def _plain_strings(self) -> bool:
        return "\\" not in self.text and "\r" not in self.text

    def problem(
        self,
        message: str,
        key_path: KeyPath,
        *,
        severity: Severity = "error",
        suggestion: str | None = None,
        code: str = "definition",
        value: bool = False,
        location: Location | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(severity, message, location or self.at(key_path, value), suggestion, code)
        )

    # -- typed fields

    def known_fields(
        self, entry: Mapping[str, Any], allowed: Sequence[str], path: KeyPath, what: str
    ) -> None:
        for key in entry:
            if key not in allowed:
                self.problem(
                    _("unknown field '{key}' in {what}").format(key=key, what=what),
                    (*path, key),
                    suggestion=(
                        revision_fix()
                        if "targets" in allowed and is_revision(key)
                        else did_you_mean_field(key, allowed)
                    ),
                    code="unknown-field",
                )

    @staticmethod
    def _misspelled(entry: Mapping[str, Any], key: str) -> bool:
        """Whether ``entry`` has a field that looks like a misspelling of ``key``
        (reported as an unknown field with a suggestion, not also as missing)."""
        return any(
            key in closest(other, [key]) or field_meant(other, [key]) == key
            for other in entry
            if other != key
        )

    def text_field(
        self, entry: Mapping[str, Any], key: str, path: KeyPath, what: str, required: bool = False
    ) -> str | None:
        value = entry.get(key)
        if value is None:
            if required and not self._misspelled(entry, key):
                self.problem(
                    _("{what} has no '{key}'").format(what=what, key=key),
                    path,
                    code="missing-field",
                )
            return None
        if not isinstance(value, str):
            self.problem(
                _("'{key}' must be text in quotes, not {value}").format(
                    key=key, value=_kind(value)
                ),
                (*path, key),
                value=True,
                code="wrong-type",
            )
            return None
        if required and not value.strip():
            self.problem(
                _("'{key}' of {what} is empty").format(key=key, what=what),
                (*path, key),
                value=True,
                code="empty-field",
            )
            return None
        return value

    def assumption(self, entry: Mapping[str, Any], path: KeyPath, what: str) -> str | None:
        """The entry's ``assumption``: text that may not be empty when given."""
        if "assumption" not in entry:
            return None
        text = self.text_field(entry, "assumption", path, what, required=True)
        return None if text is None else " ".join(text.split())

    def choice(
        self, entry: Mapping[str, Any], key: str, allowed: Sequence[str], path: KeyPath, default: T
    ) -> str | T:
        value = entry.get(key)
        if value is None:
            return default
        if value not in allowed:
            self.problem(
                _("'{key}' must be one of {allowed}, not {value}").format(
                    key=key, allowed=", ".join(repr(a) for a in allowed), value=repr(value)
                ),
                (*path, key),
                value=True,
                suggestion=did_you_mean(str(value), allowed),
                code="unknown-choice",
            )
            return default
        return str(value)

    def whole_number(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> int | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                _("'{key}' must be a whole number like 2025, not {value}").format(
                    key=key, value=_kind(value)
                ),
                (*path, key),
                value=True,
                code="wrong-type",
            )
            return None
        return value

    def number(self, value: object, key_path: KeyPath) -> Decimal | None:
        try:
            return parse_number(value, self.notation, toml=True)
        except ValueError as error:
            self.problem(str(error), key_path, value=True, code="number")
            return None

    def yearly_targets(
        self, table: Mapping[str, Any], path: KeyPath, unit: str | None = None
    ) -> dict[int, tuple[Target, Location]]:
        """A table of targets by year at ``path`` (``{ 2026 = "90", 2027 = "95" }``), each
        read as every target is, with its place; a key that is not a year is a problem and
        is passed over, as is a target that cannot be read."""
        found: dict[int, tuple[Target, Location]] = {}
        for year, value in table.items():
            year_path: KeyPath = (*path, year)
            if not YEAR_KEY.fullmatch(year) or isinstance(value, dict):
                message, fix = year_key_problem(year, value)
                self.problem(message, year_path, suggestion=fix, code="target-key")
                continue
            target = self.target(value, year_path, unit)
            if target is not None:
                found[int(year)] = (target, self.at(year_path))
        return found

    def triwulan_targets(
        self, table: Mapping[str, Any], path: KeyPath, unit: str | None = None
    ) -> dict[str, tuple[Target, Location]]:
        """The ``triwulan_targets`` table of the entry at ``path``
        (``{ "2026-TW1" = "25" }``), by triwulan (``2026-TW1``), each read as every target
        is, with its place. A key that is not a triwulan, or a second key of one triwulan
        (``"2026-tw1"`` beside ``"2026-TW1"``, which would be read as one, the last winning
        in silence), is a problem and is passed over, as is a target that cannot be read."""
        found: dict[str, tuple[Target, Location]] = {}
        written: dict[str, str] = {}  # each triwulan's key, as written
        for label, value in table.items():
            label_path: KeyPath = (*path, "triwulan_targets", label)
            match = TRIWULAN_KEY.fullmatch(label.strip())
            if not match or isinstance(value, dict):
                shown = f"{label}.{next(iter(value), '')}" if isinstance(value, dict) else label
                self.problem(
                    _("a triwulan target's key must look like 2026-TW1, not '{key}'").format(
                        key=shown
                    ),
                    label_path,
                    suggestion=_(
                        "write the key in quotes, a year, -TW and the triwulan 1 to 4:"
                        ' "2026-TW1" = "25"'
                    ),
                    code="target-key",
                )
                continue
            period = f"{match[1]}-TW{match[2]}"
            if period in written:
                self.problem(
                    _(
                        "the triwulan {period} is given two targets, as '{first}' and as"
                        " '{key}'; keep one"
                    ).format(period=period, first=written[period], key=label),
                    label_path,
                    code="target-key",
                )
                continue
            written[period] = label
            target = self.target(value, label_path, unit)
            if target is not None:
                found[period] = (target, self.at(label_path))
        return found

    def target(self, value: object, key_path: KeyPath, unit: str | None = None) -> Target | None:
        try:
            return parse_target(value, self.notation, toml=True, unit=unit)
        except ValueError as error:
            fix = getattr(error, "fix", None)
            self.problem(str(error), key_path, value=True, suggestion=fix, code="number")
            return None

    def rules(self) -> Rules | None:
        entry = self.data.get("rules")
        if entry is None:
            return None
        path: KeyPath = ("rules",)
        if not isinstance(entry, dict):
            self.problem(_("'rules' must be a table: [rules]"), path, code="shape")
            return None
        self.known_fields(entry, RULES_FIELDS, path, "[rules]")
        bounds = {
            key: self.number(entry[key], (*path, key)) if key in entry else None
            for key in ("floor", "cap")
        }
        if (
            bounds["floor"] is not None
            and bounds["cap"] is not None
            and bounds["floor"] > bounds["cap"]
        ):
            self.problem(
                _("the floor of capaian is above its cap"), (*path, "floor"), code="floor-above-cap"
            )
        else:
            for key, problem in (
                ("floor", policy_problem(bounds["floor"], None)),
                ("cap", policy_problem(None, bounds["cap"])),
            ):
                if problem is not None:
                    self.problem(problem, (*path, key), code="policy-misstates")
        return Rules(
            negatif=self.choice(entry, "negatif", ("selisih", "rasio"), path, None),
            triwulan=self.choice(
                entry, "triwulan", ("kumulatif", "terakhir", "tahunan"), path, None
            ),
            floor=bounds["floor"],
            cap=bounds["cap"],
            location=self.at(path),
            floor_location=self.at((*path, "floor")) if "floor" in entry else None,
        )

    def satuan(self) -> dict[str, tuple[str, bool | None, Location]]:
        """The office's own unit table: satuan → (what it counts, whether it counts one by
        one (None: as its dimension does), where). An entry is text (``Posyandu =
        "posyandu"``) or a table (``Posyandu = { dimension = "posyandu", whole = true }``)."""
        entry = self.data.get("satuan")
        if entry is None:
            return {}
        if not isinstance(entry, dict):
            self.problem(
                _("'satuan' must be a table: [satuan] with lines like Posyandu = \"posyandu\""),
                ("satuan",),
                code="shape",
            )
            return {}
        found: dict[str, tuple[str, bool | None, Location]] = {}
        for unit, value in entry.items():
            path: KeyPath = ("satuan", unit)
            dimension, whole = value, None
            if isinstance(value, dict):
                self.known_fields(
                    value, ("dimension", "whole"), path, _("the satuan '{unit}'").format(unit=unit)
                )
                dimension = value.get("dimension")
                if "whole" in value:
                    whole = self.flag(value, "whole", path)
            if not isinstance(dimension, str) or not dimension.strip():
                self.problem(
                    _(
                        "the satuan '{unit}' must name what it counts, as text"
                        ' (e.g. {unit} = "orang", or {unit} = {{ dimension = "orang",'
                        " whole = true }}), not {value}"
                    ).format(unit=unit, value=_kind(dimension)),
                    path,
                    value=True,
                    code="satuan-dimension",
                )
                continue
            found[unit] = (" ".join(dimension.split()).casefold(), whole, self.at(path))
        return found

    def flag(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            self.problem(
                _("'{key}' must be true or false").format(key=key),
                (*path, key),
                value=True,
                code="wrong-type",
            )
            return False
        return value

    def table(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> dict[str, Any]:
        value = entry.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(
                _("'{key}' must be a table like {{ 2025 = \"55,33\" }}, not {value}").format(
                    key=key, value=_kind(value)
                ),
                (*path, key),
                value=True,
                code="wrong-type",
            )
            return {}
        return value

    def entries(self, section: str) -> list[tuple[KeyPath, dict[str, Any]]]:
        value = self.data.get(section)
        if value is None:
            return []
        if isinstance(value, dict):
            self.problem(
                _(
                    "'{section}' must be written as [[{section}]] (a list of entries),"
                    " not [{section}]"
                ).format(section=section),
                (section,),
                code="shape",
            )
            return []
        found: list[tuple[KeyPath, dict[str, Any]]] = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                found.append(((section, index), entry))
            else:
                self.problem(
                    _("each entry of '{section}' must be a table").format(section=section),
                    (section, index),
                    code="shape",
                )
        return found


class Document:
    """A definitions file's text, and where its keys stand: found the first time a place is
    read. Pickled as its text alone (:mod:`iku_rules.loader.kept`): a process that takes
    kept definitions back finds the places again only when a message shows one."""

    __slots__ = ("_lines", "_positions", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._positions: dict[KeyPath, tomlpos.Located] | None = None
        self._lines: tomlpos.Lines | None = None

    def __reduce__(self) -> tuple[type[Document], tuple[str]]:
        return Document, (self.text,)

    @property
    def positions(self) -> dict[KeyPath, tomlpos.Located]:
        """Where every key of the file stands."""
        if self._positions is None:
            try:
                self._positions = tomlpos.locate(self.text)
            except ValueError:
                self._positions = {}
        return self._positions

    @property
    def lines(self) -> tomlpos.Lines:
        if self._lines is None:
            self._lines = tomlpos.Lines(self.text)
        return self._lines

    def line_column(self, key_path: KeyPath, value: bool) -> tuple[int, int]:
        """The line and column of ``key_path`` (its key, or its value); of its nearest
        known ancestor otherwise."""
        path = key_path
        while path:
            located = self.positions.get(path)
            if located is not None:
                position = located.value if value and located.value else located.key
                return position.line, position.column
            path = path[:-1]
        return 1, 1

    def string_start(self, key_path: KeyPath, value: str) -> tuple[tuple[int, int], bool]:
        """Where the content of the string ``value`` at ``key_path`` starts, and whether
        offsets in it map one to one to the text."""
        located = self.positions.get(key_path)
        if located is None or located.value is None or located.value_end is None:
            return self.line_column(key_path, False), False
        raw = self.text[located.value.offset : located.value_end.offset]
        for quote in ('"""', "'''", '"', "'"):
            if raw.startswith(quote) and raw.endswith(quote) and len(raw) >= 2 * len(quote):
                inner, skip = raw[len(quote) : -len(quote)], len(quote)
                if len(quote) == 3 and inner.startswith("\n"):
                    inner, skip = inner[1:], skip + 1
                elif len(quote) == 3 and inner.startswith("\r\n"):
                    inner, skip = inner[2:], skip + 2
                start = self.lines.position(located.value.offset + skip)
                return (start.line, start.column), inner == value
        return (located.value.line, located.value.column), False


class Place:
    """Where ``key_path`` stands in a :class:`Document` (its key, or its value; with
    ``string``, where that string's content starts): the finder of a :class:`Location`
    made by :meth:`Location.found_later`, asked when a message first shows the place, and
    pickled as the question rather than the answer (:attr:`picklable`)."""

    __slots__ = ("document", "key_path", "string", "value")

    picklable = True
    """Read by ``Location.__reduce__``: a place not yet found stays to be found."""

    def __init__(
        self, document: Document, key_path: KeyPath, value: bool, string: str | None = None
    ) -> None:
        self.document = document
        self.key_path = key_path
        self.value = value
        self.string = string

    def __call__(self) -> tuple[int, int]:
        if self.string is not None:
            return self.document.string_start(self.key_path, self.string)[0]
        return self.document.line_column(self.key_path, self.value)

    def __reduce__(self) -> tuple[type[Place], tuple[Any, ...]]:
        return Place, (self.document, self.key_path, self.value, self.string)
