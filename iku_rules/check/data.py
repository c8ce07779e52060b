"""What the definitions say of the data, proven before anything runs.

The checks of :mod:`iku_rules.check` make sure every name is known; these make sure
that what is asked of each column suits the type its source declares, so that
definitions that pass ``iku check`` never fail while running and give the same
value on every backend:

* **sources**: column names unique regardless of case; a source that is read
  declares its columns; the columns the engine reads have the types it needs
  (``nilai`` of the realisasi and the inputs a number, ``tahun`` a whole number,
  ``indikator``, ``periode`` and ``nama`` text); the date column a ``date``, the
  region and breakdown columns ``text``; no two sources read the same table of
  the same file;
* **aggregates**: ``sum``, ``avg``, ``min`` and ``max`` only over ``integer`` or
  ``decimal`` columns; ``count`` and ``count_distinct`` over any;
* **filters**: a comparison sets a column against a value of its own type, or
  against another column of the same kind: text with a text in quotes, a number
  with a number (a whole number for an ``integer`` column, at most 6 decimals for a
  ``decimal`` one), a date with a date written ``"YYYY-MM-DD"`` in quotes; the
  items of ``in (…)`` alike.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.check.common import place
from iku_rules.decimals import round_half_away
from iku_rules.i18n import N_, _
from iku_rules.limits import MAX_WHOLE_DIGITS, STORED_DECIMALS, too_many_whole_digits
from iku_rules.measures import inline_measures
from iku_rules.model import Definitions, Diagnostic, Location, Source
from iku_rules.printer import to_text as ast_text
from iku_rules.sources.cells import storage_type

_Place = Callable[[ast.Node], Location | None]

NUMERIC = ("integer", "decimal")

ENGINE_COLUMNS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "realisasi": {"indikator": ("text",), "periode": ("text",), "nilai": NUMERIC},
    "inputs": {"nama": ("text",), "tahun": ("integer",), "nilai": NUMERIC},
}
"""The types the engine needs of the columns it reads itself, by kind of source."""

_KIND = {
    "text": N_("text"),
    "integer": N_("numbers"),
    "decimal": N_("numbers"),
    "date": N_("dates"),
}
"""What a column of each type holds, in words."""
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LOOSE_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_EXAMPLE = {
    "text": N_('a text in quotes, like {column} = "{value}"'),
    "integer": N_("a whole number, like {column} = 12"),
    "decimal": N_("a number with at most 6 decimals, like {column} >= 12.5"),
    "date": N_('a date in quotes, written YYYY-MM-DD, like {column} >= "2026-01-01"'),
}
_AGGREGATES = {
    "sum": N_(
        "{owner} sums the column '{column}' of source '{source}', which holds {kind}, not numbers"
    ),
    "avg": N_(
        "{owner} averages the column '{column}' of source '{source}', which holds {kind},"
        " not numbers"
    ),
    "min": N_(
        "{owner} takes the smallest of the column '{column}' of source '{source}', which holds"
        " {kind}, not numbers"
    ),
    "max": N_(
        "{owner} takes the largest of the column '{column}' of source '{source}', which holds"
        " {kind}, not numbers"
    ),
}
"""What an aggregate of a column that holds no numbers does, said of its owner."""
_ROLES = {
    "date_column": N_(
        "the date column '{column}' of source '{source}' is declared {declared};"
        " it must be {needed}"
    ),
    "region_column": N_(
        "the region column '{column}' of source '{source}' is declared"
        " {declared}; it must be {needed}"
    ),
    "breakdown_column": N_(
        "the breakdown column '{column}' of source '{source}' is declared"
        " {declared}; it must be {needed}"
    ),
}
"""A column of a source's role declared with the wrong type."""


def check_data(definitions: Definitions) -> list[Diagnostic]:
    """Every mismatch between what the definitions ask of the data and the declared types."""
    checker = _Checker(definitions)
    checker.sources()
    checker.measures()
    checker.formulas()
    return checker.found


class _Checker:
    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self.found: list[Diagnostic] = []
        self.sources_by_id = {source.id: source for source in definitions.sources}
        self.registers = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}

    def problem(
        self,
        message: str,
        location: Location | None,
        suggestion: str | None = None,
        *,
        code: str,
    ) -> None:
        where = location or Location(self.definitions.root)
        self.found.append(Diagnostic("error", message, where, suggestion, code))

    # -- sources

    def sources(self) -> None:
        read = self._read_sources()
        seen: dict[tuple[str, str | None], Source] = {}
        ids: set[str] = set()
        for source in self.definitions.sources:
            if source.id in ids:
                continue  # the same id twice: reported as such
            ids.add(source.id)
            self._columns(source, read.get(source.id))
            key = _table_key(source)
            first = seen.setdefault(key, source)
            if first is not source:
                if not key[1]:
                    message = _(
                        "source '{id}' reads '{path}', which source '{first}' at {place} reads"
                        " already; keep one source for it (its measures may differ in filter"
                        " and time)"
                    )
                elif source.format == "xlsx":
                    message = _(
                        "source '{id}' reads '{path}', sheet '{table}', which source '{first}'"
                        " at {place} reads already; keep one source for it (its measures may"
                        " differ in filter and time)"
                    )
                else:
                    message = _(
                        "source '{id}' reads '{path}', table '{table}', which source '{first}'"
                        " at {place} reads already; keep one source for it (its measures may"
                        " differ in filter and time)"
                    )
                self.problem(
                    message.format(
                        id=source.id,
                        path=source.path,
                        table=key[1],
                        first=first.id,
                        place=first.location or self.definitions.root,
                    ),
                    source.location,
                    code="same-table",
                )

    def _read_sources(self) -> dict[str, str]:
        """The sources something reads, each with what reads it first (for messages)."""
        read: dict[str, str] = {}
        for measure in self.definitions.measures:
            read.setdefault(measure.source, _("measure '{name}'").format(name=measure.name))
        for indicator in self.definitions.indicators:
            if indicator.formula is None:
                continue
            for _node, spec in inline_measures(indicator.formula.body, self.registers):
                read.setdefault(spec.source.id, _("indicator '{id}'").format(id=indicator.id))
        for source in self.definitions.sources:
            if source.kind != "register":
                read.setdefault(source.id, _("the engine"))
        return read

    def _columns(self, source: Source, reader: str | None) -> None:
        columns = source.columns
        if not columns:
            if reader is not None:
                self.problem(
                    _("source '{id}' declares no columns, but {reader} reads it").format(
                        id=source.id, reader=reader
                    ),
                    source.location,
                    _(
                        "declare its columns with their types:"
                        ' columns = {{ nik = "nik", tanggal = "date" }}'
                    ).format(),
                    code="no-columns",
                )
            return
        folded: dict[str, str] = {}
        for column in columns:
            other = folded.setdefault(column.casefold(), column)
            if other != column:
                self.problem(
                    _(
                        "source '{id}' declares the columns '{first}' and '{second}', which"
                        " differ only in case; files and databases do not tell them apart"
                    ).format(id=source.id, first=other, second=column),
                    source.location,
                    _("keep one of them"),
                    code="column-case",
                )
        for column, wanted in ENGINE_COLUMNS.get(source.kind, {}).items():
            declared = columns.get(column)
            if declared is not None and declared not in wanted:
                self.problem(
                    _(
                        "the column '{column}' of the {kind} source '{id}' is declared"
                        " {declared}, but the engine reads it as {wanted}"
                    ).format(
                        column=column,
                        kind=source.kind,
                        id=source.id,
                        declared=declared,
                        wanted=_or(wanted),
                    ),
                    source.location,
                    _('declare {column} = "{type}"').format(column=column, type=wanted[-1]),
                    code="engine-column-type",
                )
        roles = {"date_column": "date", "region_column": "text", "breakdown_column": "text"}
        for role, needed in roles.items():
            column = getattr(source, role)
            declared = columns.get(column) if column else None
            if declared is not None and declared != needed:
                self.problem(
                    _(_ROLES[role]).format(
                        column=column, source=source.id, declared=declared, needed=needed
                    ),
                    source.location,
                    _('declare {column} = "{type}"').format(column=column, type=needed),
                    code="role-column-type",
                )

    # -- measures and formulas

    def measures(self) -> None:
        for measure in self.definitions.measures:
            source = self.sources_by_id.get(measure.source)
            if source is None or not source.columns:
                continue  # an unknown source, or one without columns: reported elsewhere
            owner = _("measure '{name}'").format(name=measure.name)
            self._aggregate(measure.aggregate, measure.column, source, owner, measure.location)
            if measure.filter is not None:
                at = _placer(measure.filter_location, measure.filter_exact)
                self._condition(measure.filter.body, source, owner, at)

    def formulas(self) -> None:
        for indicator in self.definitions.indicators:
            if indicator.formula is None:
                continue
            owner = _("indicator '{id}'").format(id=indicator.id)
            at = _placer(indicator.formula_location, indicator.formula_exact)
            for node, spec in inline_measures(indicator.formula.body, self.registers):
                if not spec.source.columns:
                    continue
                self._aggregate(spec.aggregate, spec.column, spec.source, owner, at(node))
                for condition in _conditions(node):
                    self._condition(condition, spec.source, owner, at)

    def _aggregate(
        self, aggregate: str, column: str | None, source: Source, owner: str, where: Location | None
    ) -> None:
        if aggregate in ("count", "count_distinct") or column is None:
            return
        declared = _column_type(source, column)
        if declared is not None and declared not in NUMERIC:
            message = _AGGREGATES.get(
                aggregate,
                N_(
                    "{owner} takes the {aggregate} of the column '{column}' of source '{source}',"
                    " which holds {kind}, not numbers"
                ),
            )
            self.problem(
                _(message).format(
                    owner=owner,
                    aggregate=aggregate,
                    column=column,
                    source=source.id,
                    kind=_(_KIND[declared]),
                ),
                where,
                _(
                    "count it instead (count or count_distinct), or declare it as a number"
                    " if it holds numbers"
                ),
                code="aggregate-type",
            )

    def _condition(self, node: ast.Node, source: Source, owner: str, at: _Place) -> None:
        if isinstance(node, ast.And | ast.Or):
            for operand in node.operands:
                self._condition(operand, source, owner, at)
        elif isinstance(node, ast.Not):
            self._condition(node.operand, source, owner, at)
        elif isinstance(node, ast.Compare):
            self._compare(node, source, owner, at)
        elif isinstance(node, ast.In):
            self._member(node, source, owner, at)
        # anything else is not a condition, which the formula checks report

    def _compare(self, node: ast.Compare, source: Source, owner: str, at: _Place) -> None:
        left, right = _operand(node.left, source), _operand(node.right, source)
        if left is None or right is None:
            return  # neither a column nor a value: the formula checks say so
        if left == "value" and right == "value":
            self.problem(
                _(
                    "the filter of {owner} compares two values ('{filter}'); one side must"
                    " be a column of the source"
                ).format(owner=owner, filter=ast_text(node)),
                at(node),
                code="filter-without-column",
            )
            return
        if left not in ("value", "unknown") and right not in ("value", "unknown"):
            if _KIND[left] != _KIND[right]:
                self.problem(
                    _(
                        "the filter of {owner} compares the column '{column}', which holds"
                        " {kind}, with the column '{other}', which holds {other_kind}"
                    ).format(
                        owner=owner,
                        column=ast_text(node.left),
                        kind=_(_KIND[left]),
                        other=ast_text(node.right),
                        other_kind=_(_KIND[right]),
                    ),
                    at(node),
                    code="filter-column-types",
                )
            return
        column, value = (node.left, node.right) if left != "value" else (node.right, node.left)
        declared = left if left != "value" else right
        if declared != "unknown":
            self._value(value, ast_text(column), declared, owner, at)

    def _member(self, node: ast.In, source: Source, owner: str, at: _Place) -> None:
        kind = _operand(node.operand, source)
        if kind is None:
            return  # neither a column nor a value: the formula checks say so
        if kind == "value":
            self.problem(
                _(
                    "the filter of {owner} asks whether a value is in a list ('{filter}');"
                    " the value must be a column of the source"
                ).format(owner=owner, filter=ast_text(node)),
                at(node),
                code="filter-without-column",
            )
            return
        for option in node.options:
            if _operand(option, source) == "value" and kind != "unknown":
                self._value(option, ast_text(node.operand), kind, owner, at)

    def _value(self, node: ast.Node, column: str, declared: str, owner: str, at: _Place) -> None:
        """A value compared with ``column`` (declared ``declared``) that does not suit it."""
        why = _unsuitable(node, declared)
        if why is not None:
            shown = ast_text(node)
            example = _(_EXAMPLE[declared]).format(column=column, value=shown.strip('"'))
            self.problem(
                _(
                    "the filter of {owner} compares the column '{column}', which holds"
                    " {kind}, with {value}: {why}"
                ).format(owner=owner, column=column, kind=_(_KIND[declared]), value=shown, why=why),
                at(node),
                _("compare it with {example}").format(example=example),
                code="filter-value-type",
            )


def _placer(start: Location | None, exact: bool) -> _Place:
    """Where a node of a formula (or filter) whose text starts at ``start`` stands."""
    return lambda node: place(start, node.span, exact)


def _conditions(node: ast.Node) -> Iterator[ast.Node]:
    """The filter conditions of an aggregate written over a register."""
    operand = node.operand if isinstance(node, ast.Aggregate) else node.args[0]  # type: ignore[attr-defined]
    if isinstance(operand, ast.Field):
        operand = operand.base
    while isinstance(operand, ast.Filter):
        yield operand.condition
        operand = operand.base


def _column_type(source: Source, column: str) -> str | None:
    """How ``column`` of ``source`` is stored (an identifier, a NIK, as text)."""
    for name, declared in source.columns.items():
        if name_key(name) == name_key(column):
            return storage_type(declared)
    return None


def _operand(node: ast.Node, source: Source) -> str | None:
    """A comparison's side: the declared type of a column (``unknown`` for a name the
    source lacks, reported elsewhere), ``value`` for a literal, None for anything else."""
    if isinstance(node, ast.Name):
        return _column_type(source, node.text) or "unknown"
    if isinstance(node, ast.Number | ast.Text):
        return "value"
    if isinstance(node, ast.Neg) and isinstance(node.operand, ast.Number):
        return "value"
    return None


def _unsuitable(node: ast.Node, declared: str) -> str | None:
    """Why the literal ``node`` cannot be compared with a column of type ``declared``."""
    if declared == "text":
        return None if isinstance(node, ast.Text) else _("a number never equals a text")
    if declared == "date":
        if not isinstance(node, ast.Text):
            return _("a date is compared with a date")
        match = _DATE.fullmatch(node.value)
        if match is None and _LOOSE_DATE.fullmatch(node.value):
            return None  # "2026-1-5": the filter's compiling refuses it, with the date to write
        if match is None:
            return _("a date is written YYYY-MM-DD")
        try:
            dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return _("there is no such date")
        return None
    number = node.operand if isinstance(node, ast.Neg) else node
    if not isinstance(number, ast.Number):
        return _("a number never equals a text")
    value: Decimal = number.value
    if too_many_whole_digits(value):
        return _("the data hold numbers of at most {digits} digits before the point").format(
            digits=MAX_WHOLE_DIGITS
        )
    if declared == "integer" and value != value.to_integral_value():
        return _("the column holds whole numbers")
    if value != round_half_away(value, STORED_DECIMALS):
        return _("the data keep at most {decimals} decimals").format(decimals=STORED_DECIMALS)
    return None


def _table_key(source: Source) -> tuple[str, str | None]:
    """What tells one table of the data from another: the file, and the table or sheet in it."""
    path = posixpath.normpath(source.path.replace("\\", "/"))
    if source.format == "csv":
        return path, None
    return path, source.table_name.casefold()


def _or(words: tuple[str, ...]) -> str:
    return _(" or ").join(words)
