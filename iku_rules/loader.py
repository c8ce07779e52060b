"""Read a definitions folder into :mod:`iku_rules.model` objects, losing no mistake.

Every ``.toml`` file under the folder is read with the standard library's
``tomllib``; :mod:`iku_rules.tomlpos` finds where each key stands, so every
problem is reported with its file, line and column. A broken file or entry
does not stop the others from being read: :func:`load` always returns the
definitions it could read, with all problems in ``diagnostics``, and then runs
the cross-checks of :mod:`iku_rules.check`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from attrs import evolve

from iku_rules import notation as notations
from iku_rules import tomlpos
from iku_rules.ast import Formula
from iku_rules.errors import FormulaError
from iku_rules.limits import (
    MAX_INDICATORS,
    MAX_MEASURES,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    MAX_SUGGESTION_WORK,
    too_many_digits,
)
from iku_rules.model import (
    LEVELS,
    Definitions,
    Diagnostic,
    Element,
    Indicator,
    Input,
    Location,
    Measure,
    Office,
    Parameter,
    Rules,
    Severity,
    Source,
    Target,
    Threshold,
)
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.parser import parse
from iku_rules.source import Span

KeyPath = tuple[str | int, ...]
T = TypeVar("T")

SECTIONS = (
    *LEVELS,
    "office",
    "rules",
    "satuan",
    "source",
    "measure",
    "input",
    "parameter",
    "database",
)

ELEMENT_FIELDS = (
    "id",
    "name",
    "parent",
    "tingkat",
    "kode",
    "sasaran",
    "penanggung_jawab",
    "note",
    "assumption",
    "indikator",
)
INDICATOR_FIELDS = (
    "id", "name", "unit", "polarity", "iku", "baseline", "targets", "triwulan_targets",
    "capaian_method", "formula", "formula_text", "note", "assumption",
    "numerator_within_denominator", "may_exceed_100", "decimals",
)  # fmt: skip
RULES_FIELDS = ("negatif", "triwulan", "floor", "cap")
CAPAIAN_METHODS = ("selisih", "rasio", "kumulatif", "terakhir", "tahunan")
OFFICE_FIELDS = (
    "id", "name", "region", "document", "baseline_year", "plan_start", "plan_end", "units",
    "notation",
)  # fmt: skip
SOURCE_FIELDS = (
    "id", "name", "kind", "format", "path", "table", "date_column", "region_column",
    "breakdown_column", "time", "columns", "assumption", "notation",
)  # fmt: skip
MEASURE_FIELDS = (
    "name", "description", "source", "aggregate", "column", "filter", "time", "empty", "unit",
    "assumption",
)  # fmt: skip
INPUT_FIELDS = ("name", "unit", "description", "source", "assumption")
PARAMETER_FIELDS = ("name", "value", "note", "unit", "assumption")

COLUMN_TYPES = ("text", "integer", "decimal", "date", "nik", "no_kk", "nip", "identifier")
MAX_DECIMALS = 10
"""Most decimals an indicator may ask its values to be shown with."""

DECLARE_NOTATION = 'notation = "id" or "en" under [office]'


def parse_number(value: object, notation: Notation = UNSETTLED) -> Decimal:
    """A number as planners spell it: ``"55,33"``, ``"56.73"``, ``"93%"``, ``"23.500"`` or
    a TOML number (read exactly). Text is read by :mod:`iku_rules.notation` in the office's
    ``notation``; ``"23.500"`` is refused with both readings when none is declared.

    >>> parse_number("55,33"), parse_number("93%"), parse_number(57.33)
    (Decimal('55.33'), Decimal('93'), Decimal('57.33'))
    >>> parse_number("23.500", notations.ID), parse_number(Decimal("0.1"))
    (Decimal('23500'), Decimal('0.1'))
    """
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a finite number")
        digits = len(value.normalize().as_tuple().digits)
        if value.adjusted() >= MAX_NUMBER_DIGITS or digits > MAX_NUMBER_DIGITS:
            raise ValueError(
                f"{value} is too large: it has more than {MAX_NUMBER_DIGITS} digits;"
                " no indicator needs that many"
            )
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value} is not a finite number")
        return Decimal(repr(value))
    if isinstance(value, str):
        if too_many_digits(value):
            raise ValueError(
                f"'{value[:20]}…' has more than {MAX_NUMBER_DIGITS} digits; no indicator needs that many"
            )
        try:
            return notations.parse(value, notation).value
        except notations.AmbiguousNumber as error:
            raise ValueError(f"{error.message}; {error.fix(DECLARE_NOTATION)}") from None
        except notations.NumberError:
            raise ValueError(
                f"'{value}' is not a number; write it like 55,33, 56.73, 93% or 23.500"
                " (with '.' grouping thousands)"
            ) from None
    raise ValueError(f"{value!r} is not a number")


_RANGE_SPELLING = re.compile(
    r"^\s*([0-9][0-9.,]*)\s*(%?)\s*(?:–|—|-|s\.d\.|sd)\s*([0-9][0-9.,]*)\s*(%?)\s*$"
)
_THRESHOLD_SPELLING = re.compile(r"^\s*(<=|>=|=<|=>|<|>|≤|≥)\s*(.*?)\s*$")
_THRESHOLD_OPS = {
    "<": "<",
    "<=": "<=",
    "=<": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "=>": ">=",
    "≥": ">=",
}


def parse_target(value: object, notation: Notation = UNSETTLED) -> Target:
    """A target: a number (see :func:`parse_number`), a range written ``80–90`` or
    ``80 - 90``, or a threshold: ``< 70``, ``≤ 14`` (or ``<= 14``), ``≥ 95 %``, ``> 5``.

    >>> parse_target("80–90"), parse_target("55,73")
    ((Decimal('80'), Decimal('90')), Decimal('55.73'))
    >>> parse_target("≥ 95 %"), parse_target("<= 14")
    (Threshold(op='>=', value=Decimal('95')), Threshold(op='<=', value=Decimal('14')))
    """
    if isinstance(value, str):
        match = _RANGE_SPELLING.match(value)
        if match:
            low, high = parse_number(match[1], notation), parse_number(match[3], notation)
            if low > high:
                raise ValueError(f"the range '{value}' goes down; write the lower bound first")
            return low, high
        threshold = _THRESHOLD_SPELLING.match(value)
        if threshold:
            op = _THRESHOLD_OPS[threshold[1]]
            return Threshold(op, parse_number(threshold[2], notation))  # type: ignore[arg-type]
    return parse_number(value, notation)


_SEARCHES: ContextVar[list[int] | None] = ContextVar("suggestion searches", default=None)
"""What is left of the comparisons :func:`load` may spend looking for suggestions."""


def may_search(comparisons: int) -> bool:
    """Whether a search for the closest names among ``comparisons`` names may still be
    made while loading (and spend them): past :data:`~iku_rules.limits.MAX_SUGGESTION_WORK`,
    mistakes are reported without a suggestion, so that a folder of thousands of
    mistakes among thousands of names is checked in time linear in its size."""
    left = _SEARCHES.get()
    if left is None:
        return True
    if left[0] < comparisons:
        return False
    left[0] -= comparisons
    return True


def closest(word: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The choices nearest to ``word`` (case ignored), best first."""
    if not may_search(len(choices)):
        return []
    folded = {choice.casefold(): choice for choice in choices}
    return [
        folded[m] for m in difflib.get_close_matches(word.casefold(), list(folded), n=n, cutoff=0.6)
    ]


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    matches = closest(word, choices)
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


def place(start: Location | None, span: Span | None, exact: bool) -> Location | None:
    """Where a piece of a formula stands in its file, given where the formula's text starts."""
    if start is None or start.line is None or start.column is None or span is None or not exact:
        return start
    if span.line == 1:
        return Location(start.path, start.line, start.column + span.column - 1)
    return Location(start.path, start.line + span.line - 1, span.column)


class FileReader:
    """Reads one file's tables into model objects, recording every problem with its place."""

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
        self.lines = tomlpos.Lines(text)
        try:
            self.positions = tomlpos.locate(text)
        except ValueError:
            self.positions = {}

    # -- places and problems

    def at(self, key_path: KeyPath, value: bool = False) -> Location:
        """The place of ``key_path`` (its key, or its value); the nearest known ancestor otherwise."""
        path = key_path
        while path:
            located = self.positions.get(path)
            if located is not None:
                position = located.value if value and located.value else located.key
                return Location(self.shown, position.line, position.column)
            path = path[:-1]
        return Location(self.shown, 1, 1)

    def string_start(self, key_path: KeyPath, value: str) -> tuple[Location, bool]:
        """Where the content of a string value starts, and whether offsets in it map one to one."""
        located = self.positions.get(key_path)
        if located is None or located.value is None or located.value_end is None:
            return self.at(key_path), False
        raw = self.text[located.value.offset : located.value_end.offset]
        for quote in ('"""', "'''", '"', "'"):
            if raw.startswith(quote) and raw.endswith(quote) and len(raw) >= 2 * len(quote):
                inner, skip = raw[len(quote) : -len(quote)], len(quote)
                if len(quote) == 3 and inner.startswith("\n"):
                    inner, skip = inner[1:], skip + 1
                elif len(quote) == 3 and inner.startswith("\r\n"):
                    inner, skip = inner[2:], skip + 2
                start = self.lines.position(located.value.offset + skip)
                return Location(self.shown, start.line, start.column), inner == value
        return Location(self.shown, located.value.line, located.value.column), False

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
                    f"unknown field '{key}' in {what}",
                    (*path, key),
                    suggestion=did_you_mean(key, allowed),
                    code="unknown-field",
                )

    @staticmethod
    def _misspelled(entry: Mapping[str, Any], key: str) -> bool:
        """Whether ``entry`` has a field that looks like a misspelling of ``key``
        (reported as an unknown field with a suggestion, not also as missing)."""
        return any(key in closest(other, [key]) for other in entry if other != key)

    def text_field(
        self, entry: Mapping[str, Any], key: str, path: KeyPath, what: str, required: bool = False
    ) -> str | None:
        value = entry.get(key)
        if value is None:
            if required and not self._misspelled(entry, key):
                self.problem(f"{what} has no '{key}'", path, code="missing-field")
            return None
        if not isinstance(value, str):
            self.problem(
                f"'{key}' must be text in quotes, not {_kind(value)}", (*path, key), value=True
            )
            return None
        if required and not value.strip():
            self.problem(f"'{key}' of {what} is empty", (*path, key), value=True)
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
                f"'{key}' must be one of {', '.join(repr(a) for a in allowed)}, not {value!r}",
                (*path, key),
                value=True,
                suggestion=did_you_mean(str(value), allowed),
            )
            return default
        return str(value)

    def whole_number(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> int | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(
                f"'{key}' must be a whole number like 2025, not {_kind(value)}",
                (*path, key),
                value=True,
            )
            return None
        return value

    def number(self, value: object, key_path: KeyPath) -> Decimal | None:
        try:
            return parse_number(value, self.notation)
        except ValueError as error:
            self.problem(str(error), key_path, value=True, code="number")
            return None

    def target(self, value: object, key_path: KeyPath) -> Target | None:
        try:
            return parse_target(value, self.notation)
        except ValueError as error:
            self.problem(str(error), key_path, value=True, code="number")
            return None

    def rules(self) -> Rules | None:
        entry = self.data.get("rules")
        if entry is None:
            return None
        path: KeyPath = ("rules",)
        if not isinstance(entry, dict):
            self.problem("'rules' must be a table: [rules]", path, code="shape")
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
            self.problem("the floor of capaian is above its cap", (*path, "floor"))
        return Rules(
            negatif=self.choice(entry, "negatif", ("selisih", "rasio"), path, None),
            triwulan=self.choice(
                entry, "triwulan", ("kumulatif", "terakhir", "tahunan"), path, None
            ),
            floor=bounds["floor"],
            cap=bounds["cap"],
            location=self.at(path),
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
                "'satuan' must be a table: [satuan] with lines like Posyandu = \"posyandu\"",
                ("satuan",),
                code="shape",
            )
            return {}
        found: dict[str, tuple[str, bool | None, Location]] = {}
        for unit, value in entry.items():
            path: KeyPath = ("satuan", unit)
            dimension, whole = value, None
            if isinstance(value, dict):
                self.known_fields(value, ("dimension", "whole"), path, f"the satuan '{unit}'")
                dimension = value.get("dimension")
                if "whole" in value:
                    whole = self.flag(value, "whole", path)
            if not isinstance(dimension, str) or not dimension.strip():
                self.problem(
                    f"the satuan '{unit}' must name what it counts, as text"
                    f' (e.g. {unit} = "orang", or {unit} = {{ dimension = "orang", whole = true }}),'
                    f" not {_kind(dimension)}",
                    path,
                    value=True,
                )
                continue
            found[unit] = (" ".join(dimension.split()).casefold(), whole, self.at(path))
        return found

    def flag(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"'{key}' must be true or false", (*path, key), value=True)
            return False
        return value

    def table(self, entry: Mapping[str, Any], key: str, path: KeyPath) -> dict[str, Any]:
        value = entry.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(
                f"'{key}' must be a table like {{ 2025 = \"55,33\" }}, not {_kind(value)}",
                (*path, key),
                value=True,
            )
            return {}
        return value

    def entries(self, section: str) -> list[tuple[KeyPath, dict[str, Any]]]:
        value = self.data.get(section)
        if value is None:
            return []
        if isinstance(value, dict):
            self.problem(
                f"'{section}' must be written as [[{section}]] (a list of entries), not [{section}]",
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
                    f"each entry of '{section}' must be a table", (section, index), code="shape"
                )
        return found

    # -- the sections

    def read_sections(self) -> None:
        for key in self.data:
            if key not in SECTIONS:
                self.problem(
                    f"unknown section '{key}'",
                    (key,),
                    suggestion=did_you_mean(key, SECTIONS),
                    code="unknown-section",
                )

    def office(self) -> Office | None:
        entry = self.data.get("office")
        if entry is None:
            return None
        path: KeyPath = ("office",)
        if not isinstance(entry, dict):
            self.problem("'office' must be a table: [office]", path, code="shape")
            return None
        self.known_fields(entry, OFFICE_FIELDS, path, "[office]")
        units = entry.get("units", [])
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            self.problem("'units' must be a list of texts", (*path, "units"), value=True)
            units = []
        return Office(
            id=self.text_field(entry, "id", path, "[office]", required=True) or "",
            name=self.text_field(entry, "name", path, "[office]", required=True) or "",
            region=self.text_field(entry, "region", path, "[office]"),
            document=self.text_field(entry, "document", path, "[office]"),
            baseline_year=self.whole_number(entry, "baseline_year", path),
            plan_start=self.whole_number(entry, "plan_start", path),
            plan_end=self.whole_number(entry, "plan_end", path),
            units=tuple(units),
            location=self.at(path),
            notation=self.declared_notation(entry, path) or UNSETTLED,
        )

    def declared_notation(self, entry: Mapping[str, Any], path: KeyPath) -> Notation | None:
        """The ``notation`` an [office] or a [[source]] declares, if it declares one."""
        chosen = self.choice(entry, "notation", notations.NAMES, path, None)
        return None if chosen is None else notations.notation(chosen)

    def elements(self) -> list[Element]:
        elements = []
        for level in LEVELS:
            for path, entry in self.entries(level):
                what = f"a [[{level}]]"
                self.known_fields(entry, ELEMENT_FIELDS, path, what)
                element_id = self.text_field(entry, "id", path, what, required=True)
                name = self.text_field(entry, "name", path, what, required=True)
                parent = self.text_field(entry, "parent", path, what, required=level != "visi")
                tingkat = None
                if level in ("tujuan", "sasaran"):
                    if "tingkat" not in entry:
                        self.problem(
                            f'{what} needs \'tingkat\' ("rpjmd" or "renstra")',
                            path,
                            code="missing-field",
                        )
                    tingkat = self.choice(entry, "tingkat", ("rpjmd", "renstra"), path, None)
                elif "tingkat" in entry:
                    self.problem(
                        f"'tingkat' is only for tujuan and sasaran, not {level}", (*path, "tingkat")
                    )
                if element_id is None or name is None:
                    continue
                indicators = tuple(
                    indicator
                    for indicator in self.indicators(entry, path, element_id, level)
                    if indicator is not None
                )
                elements.append(
                    Element(
                        id=element_id,
                        level=level,
                        name=" ".join(name.split()),
                        parent=parent,
                        tingkat=tingkat,
                        kode=self.text_field(entry, "kode", path, what),
                        sasaran=self.text_field(entry, "sasaran", path, what),
                        penanggung_jawab=self.text_field(entry, "penanggung_jawab", path, what),
                        note=self.text_field(entry, "note", path, what),
                        assumption=self.assumption(entry, path, what),
                        indicators=indicators,
                        location=self.at((*path, "id")),
                        parent_location=self.at((*path, "parent"), value=True) if parent else None,
                    )
                )
        return elements

    def indicators(
        self, element: Mapping[str, Any], element_path: KeyPath, element_id: str, level: str
    ) -> list[Indicator | None]:
        raw = element.get("indikator")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(
                f"indicators are written as [[{level}.indikator]]",
                (*element_path, "indikator"),
                code="shape",
            )
            return []
        found: list[Indicator | None] = []
        for index, entry in enumerate(raw):
            path: KeyPath = (*element_path, "indikator", index)
            if not isinstance(entry, dict):
                self.problem("each indicator must be a table", path, code="shape")
                continue
            found.append(self.indicator(entry, path, element_id, level))
        return found

    def indicator(
        self, entry: Mapping[str, Any], path: KeyPath, element_id: str, level: str
    ) -> Indicator | None:
        what = f"a [[{level}.indikator]]"
        self.known_fields(entry, INDICATOR_FIELDS, path, what)
        indicator_id = self.text_field(entry, "id", path, what, required=True)
        name = self.text_field(entry, "name", path, what, required=True)
        unit = self.text_field(entry, "unit", path, what, required=True)
        formula_text = self.text_field(entry, "formula", path, what, required=True)
        polarity = self.choice(entry, "polarity", ("positif", "negatif"), path, "positif")
        iku = self.flag(entry, "iku", path)
        within = self.flag(entry, "numerator_within_denominator", path)
        may_exceed = self.flag(entry, "may_exceed_100", path)
        if within and may_exceed:
            self.problem(
                "an indicator cannot both keep its numerator within its denominator and"
                " exceed 100; keep one of numerator_within_denominator and may_exceed_100",
                (*path, "may_exceed_100"),
            )
        statement = "within" if within else "may_exceed_100" if may_exceed else None
        baseline = None
        if "baseline" in entry:
            baseline = self.number(entry["baseline"], (*path, "baseline"))
        decimals = self.whole_number(entry, "decimals", path)
        if decimals is not None and not 0 <= decimals <= MAX_DECIMALS:
            self.problem(
                f"'decimals' must be a whole number from 0 to {MAX_DECIMALS}, not {decimals}",
                (*path, "decimals"),
                value=True,
            )
            decimals = None
        targets: dict[int, Target] = {}
        target_locations: dict[int, Location] = {}
        for year, value in self.table(entry, "targets", path).items():
            year_path: KeyPath = (*path, "targets", year)
            if not re.fullmatch(r"\d{4}", year):
                self.problem(
                    f"a target's year must be four digits, like 2026, not '{year}'", year_path
                )
                continue
            target = self.target(value, year_path)
            if target is not None:
                targets[int(year)] = target
                target_locations[int(year)] = self.at(year_path)
        triwulan_targets: dict[str, Target] = {}
        triwulan_locations: dict[str, Location] = {}
        for label, value in self.table(entry, "triwulan_targets", path).items():
            label_path: KeyPath = (*path, "triwulan_targets", label)
            match = re.fullmatch(r"(\d{4})-TW([1-4])", label.strip(), re.IGNORECASE)
            if not match:
                self.problem(
                    f"a triwulan target's key must look like 2026-TW1, not '{label}'", label_path
                )
                continue
            target = self.target(value, label_path)
            if target is not None:
                triwulan_targets[f"{match[1]}-TW{match[2]}"] = target
                triwulan_locations[f"{match[1]}-TW{match[2]}"] = self.at(label_path)
        capaian_method = self.text_field(entry, "capaian_method", path, what)
        if capaian_method is not None:
            parts = [part.strip().casefold() for part in capaian_method.split("+")]
            for part in parts:
                if part not in CAPAIAN_METHODS:
                    self.problem(
                        f"unknown capaian method '{part}'; the methods are {', '.join(CAPAIAN_METHODS)}",
                        (*path, "capaian_method"),
                        value=True,
                        suggestion=did_you_mean(part, CAPAIAN_METHODS),
                    )
        if indicator_id is None or name is None or unit is None or formula_text is None:
            return None
        formula, kind, location, exact = self.formula(
            formula_text, (*path, "formula"), indicator_id
        )
        return Indicator(
            id=indicator_id,
            name=" ".join(name.split()),
            level=level,
            parent=element_id,
            unit=unit,
            polarity=polarity,  # type: ignore[arg-type]
            iku=iku,
            baseline=baseline,
            targets=targets,
            formula_kind=kind,  # type: ignore[arg-type]
            formula=formula,
            formula_text=self.text_field(entry, "formula_text", path, what),
            note=self.text_field(entry, "note", path, what),
            assumption=self.assumption(entry, path, what),
            location=self.at((*path, "id")),
            formula_location=location,
            formula_exact=exact,
            triwulan_targets=triwulan_targets,
            capaian_method=capaian_method,
            target_locations=target_locations,
            percent_statement=statement,  # type: ignore[arg-type]
            decimals=decimals,
            baseline_location=self.at((*path, "baseline")) if "baseline" in entry else None,
            triwulan_locations=triwulan_locations,
        )

    def formula(
        self, text: str, key_path: KeyPath, owner: str
    ) -> tuple[Formula | None, str, Location, bool]:
        """Parse a formula field; its errors are placed inside the string in the file."""
        start, exact = self.string_start(key_path, text)
        keyword = text.strip().casefold()
        if keyword in ("input", "realisasi"):
            return None, keyword, start, exact
        try:
            return parse(text, notation=self.notation), "expression", start, exact
        except FormulaError as error:
            where = place(start, error.span, exact)
            hint = f"; {error.hint}" if error.hint else ""
            self.problem(
                f"the formula of '{owner}' does not parse: {error.message}{hint}",
                key_path,
                code="formula-syntax",
                location=where,
            )
            return None, "expression", start, exact

    def sources(self) -> list[Source]:
        found = []
        for path, entry in self.entries("source"):
            what = "a [[source]]"
            self.known_fields(entry, SOURCE_FIELDS, path, what)
            source_id = self.text_field(entry, "id", path, what, required=True)
            kind = self.choice(entry, "kind", ("register", "realisasi", "inputs"), path, None)
            if "kind" not in entry:
                self.problem(
                    f'{what} needs \'kind\' ("register", "realisasi" or "inputs")',
                    path,
                    code="missing-field",
                )
            file_format = self.choice(
                entry, "format", ("csv", "xlsx", "sqlite", "duckdb"), path, None
            )
            if "format" not in entry:
                self.problem(
                    f'{what} needs \'format\' ("csv", "xlsx", "sqlite" or "duckdb")',
                    path,
                    code="missing-field",
                )
            file_path = self.text_field(entry, "path", path, what, required=True)
            columns = self.table(entry, "columns", path)
            for column, column_type in columns.items():
                if column_type not in COLUMN_TYPES:
                    self.problem(
                        f"the type of column '{column}' must be one of {', '.join(COLUMN_TYPES)}, not {column_type!r}",
                        (*path, "columns", column),
                        value=True,
                        suggestion=did_you_mean(str(column_type), COLUMN_TYPES),
                    )
            if source_id is None or kind is None or file_format is None or file_path is None:
                continue
            found.append(
                Source(
                    id=source_id,
                    kind=kind,  # type: ignore[arg-type]
                    format=file_format,  # type: ignore[arg-type]
                    path=file_path,
                    name=self.text_field(entry, "name", path, what),
                    table=self.text_field(entry, "table", path, what),
                    date_column=self.text_field(entry, "date_column", path, what),
                    region_column=self.text_field(entry, "region_column", path, what),
                    breakdown_column=self.text_field(entry, "breakdown_column", path, what),
                    time=self.choice(entry, "time", ("state", "flow"), path, "state"),  # type: ignore[arg-type]
                    columns={str(k): str(v) for k, v in columns.items()},
                    location=self.at((*path, "id")),
                    assumption=self.assumption(entry, path, what),
                    notation=self.declared_notation(entry, path) or self.notation,
                )
            )
        return found

    def measures(self) -> list[Measure]:
        found = []
        for path, entry in self.entries("measure"):
            what = "a [[measure]]"
            self.known_fields(entry, MEASURE_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            source = self.text_field(entry, "source", path, what, required=True)
            aggregate = self.choice(
                entry, "aggregate", ("count", "count_distinct", "sum"), path, None
            )
            if "aggregate" not in entry:
                self.problem(
                    f'{what} needs \'aggregate\' ("count", "count_distinct" or "sum")',
                    path,
                    code="missing-field",
                )
            column = self.text_field(entry, "column", path, what)
            if aggregate in ("count_distinct", "sum") and column is None:
                self.problem(
                    f"a measure with aggregate = \"{aggregate}\" needs 'column'",
                    path,
                    code="missing-field",
                )
            filter_formula, filter_location, exact = None, None, True
            filter_text = self.text_field(entry, "filter", path, what)
            if filter_text is not None and name is not None:
                filter_formula, _, filter_location, exact = self.formula(
                    filter_text, (*path, "filter"), name
                )
            if name is None or source is None or aggregate is None:
                continue
            found.append(
                Measure(
                    name=" ".join(name.split()),
                    source=source,
                    aggregate=aggregate,  # type: ignore[arg-type]
                    column=column,
                    filter=filter_formula,
                    time=self.choice(entry, "time", ("state", "flow"), path, None),  # type: ignore[arg-type]
                    empty=self.choice(
                        entry, "empty", ("not_available", "zero"), path, "not_available"
                    ),  # type: ignore[arg-type]
                    unit=self.text_field(entry, "unit", path, what),
                    description=self.text_field(entry, "description", path, what),
                    location=self.at((*path, "name")),
                    filter_location=filter_location,
                    filter_exact=exact,
                    assumption=self.assumption(entry, path, what),
                )
            )
        return found

    def inputs(self) -> list[Input]:
        found = []
        for path, entry in self.entries("input"):
            what = "an [[input]]"
            self.known_fields(entry, INPUT_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            if name is None:
                continue
            found.append(
                Input(
                    name=" ".join(name.split()),
                    unit=self.text_field(entry, "unit", path, what),
                    description=self.text_field(entry, "description", path, what),
                    source=self.text_field(entry, "source", path, what) or "inputs",
                    location=self.at((*path, "name")),
                    assumption=self.assumption(entry, path, what),
                )
            )
        return found

    def parameters(self) -> list[Parameter]:
        found = []
        for path, entry in self.entries("parameter"):
            what = "a [[parameter]]"
            self.known_fields(entry, PARAMETER_FIELDS, path, what)
            name = self.text_field(entry, "name", path, what, required=True)
            if "value" not in entry:
                self.problem(f"{what} has no 'value'", path, code="missing-field")
                continue
            value = self.number(entry["value"], (*path, "value"))
            if name is None or value is None:
                continue
            found.append(
                Parameter(
                    name=" ".join(name.split()),
                    value=value,
                    note=self.text_field(entry, "note", path, what),
                    location=self.at((*path, "name")),
                    assumption=self.assumption(entry, path, what),
                    unit=self.text_field(entry, "unit", path, what),
                )
            )
        return found


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float, Decimal)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _toml_error(path: Path, shown: Path, text: str, error: tomllib.TOMLDecodeError) -> Diagnostic:
    message = str(error)
    match = _TOML_POSITION.search(message)
    line, column = 1, 1
    if match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    elif match:
        line = text.count("\n") + 1
        column = len(text.rsplit("\n", 1)[-1]) + 1
    plain = _TOML_POSITION.sub("", message).strip()
    return Diagnostic(
        "error",
        f"this is not valid TOML: {plain[0].lower() + plain[1:] if plain else 'syntax error'}",
        Location(shown, line, column),
        _toml_hint(text, line),
        "toml-syntax",
    )


def _toml_hint(text: str, line: int) -> str | None:
    lines = text.splitlines()
    if 0 < line <= len(lines):
        current = lines[line - 1]
        if re.search(r"=\s*\d+,\d+", current):
            return 'numbers with a decimal comma must be in quotes: "55,33"'
        if current.count('"') % 2 == 1:
            return "a text in quotes is not closed"
    return None


def declared_notation(tables: Iterable[Mapping[str, Any]]) -> Notation:
    """The notation the first [office] declares (its other files are read by it too);
    unsettled when none does (a wrong value is reported where that [office] is read)."""
    for data in tables:
        office = data.get("office")
        if isinstance(office, dict) and office.get("notation") in notations.NAMES:
            return notations.notation(office["notation"])
        if isinstance(office, dict):
            return UNSETTLED
    return UNSETTLED


def definition_files(root: Path) -> list[Path]:
    """The ``.toml`` files of a definitions folder, in a stable order."""
    if root.is_file():
        return [root]
    return sorted(path for path in root.rglob("*.toml") if path.is_file())


def _parse_files(
    root: Path, files: Sequence[Path], diagnostics: list[Diagnostic]
) -> list[tuple[Path, Path, str, dict[str, Any]]]:
    """Each file that reads as TOML: the file, its name as shown, its text and its data;
    every file that does not is a diagnostic in ``diagnostics``.

    Values nested more than :data:`~iku_rules.limits.MAX_NESTING` deep are refused
    before :mod:`tomllib` (which recurses) reads them."""
    parsed = []
    for file in files:
        shown = file if root.is_file() else root / file.relative_to(root)
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            diagnostics.append(
                Diagnostic(
                    "error",
                    f"the file is not UTF-8 text ({error.reason})",
                    Location(shown, 1, 1),
                    code="encoding",
                )
            )
            continue
        deep = tomlpos.nesting_depth(text, MAX_NESTING)
        try:
            if deep is not None:
                raise RecursionError
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            diagnostics.append(_toml_error(file, shown, text, error))
            continue
        except RecursionError:
            where = tomlpos.Lines(text).position(deep or 0)
            diagnostics.append(
                Diagnostic(
                    "error",
                    f"values are nested more than {MAX_NESTING} deep here (lists or tables"
                    " inside one another); no definition needs that",
                    Location(shown, where.line, where.column),
                    code="toml-syntax",
                )
            )
            continue
        parsed.append((file, shown, text, data))
    return parsed


def _entry_counts(data: Mapping[str, Any]) -> tuple[int, int]:
    """How many indicators and measures a file's data hold, counted before any is read."""
    indicators = 0
    for level in LEVELS:
        entries = data.get(level)
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("indikator"), list):
                    indicators += len(entry["indikator"])
    measures = data.get("measure")
    return indicators, len(measures) if isinstance(measures, list) else 0


def load(path: str | Path) -> Definitions:
    """Read the definitions folder ``path``; every problem found is in ``diagnostics``.

    Raises ``FileNotFoundError`` when ``path`` does not exist (nothing to read).
    """
    searches = _SEARCHES.set([MAX_SUGGESTION_WORK])
    try:
        return _load(Path(path))
    finally:
        _SEARCHES.reset(searches)


def _load(root: Path) -> Definitions:
    from iku_rules.check import check

    if not root.exists():
        raise FileNotFoundError(f"no such folder: {root}")
    files = definition_files(root)
    diagnostics: list[Diagnostic] = []
    offices: list[Office] = []
    elements: list[Element] = []
    sources: list[Source] = []
    measures: list[Measure] = []
    inputs: list[Input] = []
    parameters: list[Parameter] = []
    rules: list[Rules] = []
    satuan: dict[str, tuple[str, bool | None, Location]] = {}
    if not files:
        diagnostics.append(
            Diagnostic("error", "there are no .toml files here", Location(root), code="empty")
        )
    parsed = _parse_files(root, files, diagnostics)
    indicator_count = sum(_entry_counts(data)[0] for _, _, _, data in parsed)
    if indicator_count > MAX_INDICATORS:
        # Refused before any of them is read, so that the work stays bounded.
        diagnostics.append(
            Diagnostic(
                "error",
                f"the definitions have {indicator_count} indicators; at most {MAX_INDICATORS}"
                " are allowed",
                Location(root),
                code="limit",
            )
        )
        return Definitions(
            root=root, office=None, elements=(), files=tuple(files), diagnostics=tuple(diagnostics)
        )
    measure_count = sum(_entry_counts(data)[1] for _, _, _, data in parsed)
    office_notation = declared_notation(data for _, _, _, data in parsed)
    for file, shown, text, data in parsed:
        reader = FileReader(file, shown, text, data, office_notation)
        room = MAX_MEASURES - len(measures)
        if _entry_counts(data)[1] > room:  # the rest are not read
            reader.problem(
                f"the definitions have {measure_count} measures; at most {MAX_MEASURES} are"
                " allowed (the rest were not read)",
                ("measure", room),
                code="limit",
            )
            data["measure"] = data["measure"][:room]
        reader.read_sections()
        office = reader.office()
        if office is not None:
            offices.append(office)
        elements.extend(reader.elements())
        sources.extend(reader.sources())
        measures.extend(reader.measures())
        inputs.extend(reader.inputs())
        parameters.extend(reader.parameters())
        for unit, (dimension, whole, where) in reader.satuan().items():
            if unit in satuan:
                reader.problem(
                    f"the satuan '{unit}' is already in the unit table at {satuan[unit][2]}",
                    ("satuan", unit),
                    code="duplicate-name",
                )
                continue
            satuan[unit] = (dimension, whole, where)
        found_rules = reader.rules()
        if found_rules is not None:
            rules.append(found_rules)
        if not text.lstrip().startswith("#:schema"):
            reader.problem(
                "the file does not start with a '#:schema' line, so editors cannot check it as you type",
                (),
                severity="warning",
                suggestion="add as first line: #:schema <path to iku_rules/schema/definitions.schema.json>",
                code="schema-reference",
            )
        diagnostics.extend(reader.diagnostics)
    for extra_rules in rules[1:]:
        diagnostics.append(
            Diagnostic(
                "error",
                f"a second [rules]; the first is at {rules[0].location}",
                extra_rules.location or Location(root),
                code="duplicate-rules",
            )
        )
    office = offices[0] if offices else None
    for extra in offices[1:]:
        diagnostics.append(
            Diagnostic(
                "error",
                f"a second [office]; the first is at {offices[0].location}",
                extra.location or Location(root),
                code="duplicate-office",
            )
        )
    definitions = Definitions(
        root=root,
        office=office,
        elements=tuple(elements),
        sources=tuple(sources),
        measures=tuple(measures),
        inputs=tuple(inputs),
        parameters=tuple(parameters),
        rules=rules[0] if rules else None,
        satuan={unit: dimension for unit, (dimension, _, _) in satuan.items()},
        satuan_whole={unit: whole for unit, (_, whole, _) in satuan.items() if whole is not None},
        files=tuple(files),
        diagnostics=tuple(diagnostics),
    )
    unreadable = any(d.code in ("toml-syntax", "encoding") for d in diagnostics)
    return evolve(
        definitions, diagnostics=(*diagnostics, *check(definitions, complete=not unreadable))
    )
