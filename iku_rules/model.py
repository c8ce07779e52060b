"""The definitions of an office as frozen objects: the cascade, its indicators,
the data they need, and every problem found while reading them.

Made by :func:`iku_rules.loader.load`; read by the checks, the engine and the
reports. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from attrs import field, frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.formula import Formula
from iku_rules.levels import LEVEL_TITLES
from iku_rules.location import Diagnostic as Diagnostic
from iku_rules.location import Location as Location
from iku_rules.location import Severity as Severity
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.region_targets import RegionTargets
from iku_rules.regions import Level, Region, area_word
from iku_rules.target import THRESHOLD_SIGNS as THRESHOLD_SIGNS
from iku_rules.target import Target as Target
from iku_rules.target import Threshold as Threshold
from iku_rules.timegrain import Grain, Latest

Polarity = Literal["positif", "negatif"]
FormulaKind = Literal["expression", "input", "realisasi"]


def _frozen_mapping(items: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A read-only copy, so frozen objects stay frozen."""
    return MappingProxyType(dict(items))


@frozen(hash=False)
class Indicator:
    """An indicator measured at one element of the cascade.

    ``formula_kind`` says where its value comes from: an ``expression`` in the
    formula language (``formula``), an ``input`` typed in per year, or the
    ``realisasi`` reported for it per triwulan.
    """

    id: str
    name: str
    level: str
    parent: str
    unit: str
    polarity: Polarity
    iku: bool
    baseline: Decimal | None
    targets: Mapping[int, Target] = field(converter=_frozen_mapping)
    formula_kind: FormulaKind
    formula: Formula | None
    formula_text: str | None = None
    note: str | None = None
    location: Location | None = field(default=None, eq=False)
    formula_location: Location | None = field(default=None, eq=False)
    formula_exact: bool = field(default=True, eq=False)
    triwulan_targets: Mapping[str, Target] = field(factory=dict, converter=_frozen_mapping)
    capaian_method: str | None = None
    target_locations: Mapping[int, Location] = field(
        factory=dict, eq=False, converter=_frozen_mapping
    )
    percent_statement: Literal["within", "may_exceed_100"] | None = None
    """What the definition states about its percentage: ``within`` (its numerator is
    part of its denominator: checked on every evaluation) or ``may_exceed_100``."""
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""
    decimals: int | None = None
    """How many decimals reports show its values with (None: the default of its satuan)."""
    baseline_location: Location | None = field(default=None, eq=False)
    triwulan_locations: Mapping[str, Location] = field(
        factory=dict, eq=False, converter=_frozen_mapping
    )
    region_targets: tuple[RegionTargets, ...] = ()
    """Targets per region, one entry per level (:mod:`iku_rules.region_targets`)."""
    area_target_for_regions: bool = False
    """The area's targets apply to every region without a target of its own."""
    unit_location: Location | None = field(default=None, eq=False)
    polarity_location: Location | None = field(default=None, eq=False)
    """Where ``polarity`` is written; None when it is not, and taken as ``positif``."""

    @property
    def is_percent(self) -> bool:
        """``Persen``, ``%`` or ``percent`` in any case and spacing, as the unit table reads."""
        return " ".join(self.unit.split()).casefold() in ("persen", "%", "percent")

    @property
    def needs(self) -> tuple[str, ...]:
        """The names of the data this indicator reads."""
        if self.formula is None:
            return (self.id,) if self.formula_kind == "input" else ("realisasi",)
        return tuple(name.text for name in self.formula.names)

    @property
    def numerator(self) -> ast.Node | None:
        """The numerator of :attr:`ratio`."""
        ratio = self.ratio
        return ratio.operands[0] if ratio is not None else None

    @property
    def denominator(self) -> ast.Node | None:
        """The denominator of :attr:`ratio`."""
        ratio = self.ratio
        return ratio.operands[1] if ratio is not None else None

    @property
    def ratio(self) -> ast.Product | None:
        """The ratio the formula is built on: its first ``numerator / denominator …``
        (``Σ a / Σ b × 100%``, also inside ``if(…)`` or ``… + 70``), or None.
        ``numerator_within_denominator`` speaks of this ratio."""
        if self.formula is None:
            return None
        for node in ast.walk(self.formula.body):
            if isinstance(node, ast.Product) and node.ops[0] == "/":
                return node
        return None


@frozen
class Element:
    """One node of the cascade: a visi, misi, tujuan, sasaran, program, kegiatan or sub kegiatan."""

    id: str
    level: str
    name: str
    parent: str | None
    tingkat: str | None = None
    kode: str | None = None
    sasaran: str | None = None
    penanggung_jawab: str | None = None
    note: str | None = None
    indicators: tuple[Indicator, ...] = ()
    location: Location | None = field(default=None, eq=False)
    parent_location: Location | None = field(default=None, eq=False)
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""

    @property
    def rank_key(self) -> str:
        """The key of :data:`RANKS` for this element's level."""
        if self.level in ("tujuan", "sasaran"):
            return f"{self.level}/{self.tingkat or 'renstra'}"
        return self.level

    @property
    def title(self) -> str:
        return LEVEL_TITLES[self.rank_key]


HiddenRows = Literal["read", "skip"]
HIDDEN_ROWS: tuple[HiddenRows, ...] = ("read", "skip")
"""What an Excel source's hidden rows are, when the office declares it (``hidden_rows``)."""


@frozen(hash=False)
class Source:
    """Where data lives: a register, the realisasi table or the inputs table."""

    id: str
    kind: Literal["register", "realisasi", "inputs"]
    format: Literal["csv", "xlsx", "sqlite", "duckdb"]
    path: str
    name: str | None = None
    table: str | None = None
    date_column: str | None = None
    region_column: str | None = None
    time: Literal["state", "flow", "period"] = "state"
    breakdown_column: str | None = None
    columns: Mapping[str, str] = field(factory=dict, converter=_frozen_mapping)
    location: Location | None = field(default=None, eq=False)
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""
    notation: Notation = UNSETTLED
    """How numbers written as text in its cells are read: the source's own ``notation``,
    else the office's (see :mod:`iku_rules.notation`)."""
    regions: Mapping[str, str] = field(factory=dict, converter=_frozen_mapping)
    """Level id → the column holding it (``{"kecamatan": "kecamatan", "desa": "desa"}``)."""
    grain: Grain | None = None
    """For ``time = "period"``: the period column and its grain (:mod:`iku_rules.timegrain`)."""
    time_location: Location | None = field(default=None, eq=False)
    """Where ``time`` is written; None when it is not (the default, ``"state"``, then)."""
    hidden_rows: HiddenRows | None = None
    """For an Excel source: what its sheet's hidden rows (hidden by hand, by a filter, in a
    collapsed group, or by a height of zero) are, ``"read"`` (rows like any other) or ``"skip"`` (left out); None
    (not declared): a hidden row holding values is refused, since the sheet can be read
    either way."""

    @property
    def table_name(self) -> str:
        return self.table or self.id


Missing = Literal["not_available", "skip", "count_each"]
MISSING_CHOICES: tuple[Missing, ...] = ("not_available", "skip", "count_each")
"""What a ``[[measure]]``'s rows that leave its column empty do: make it not available (the
default), be left out, or (distinct values) each count as one (a PMKS without a NIK)."""


@frozen
class Measure:
    """A named aggregate over a register: ``count``, ``count_distinct`` or ``sum`` of a column,
    optionally of the rows that pass ``filter``."""

    name: str
    source: str
    aggregate: Literal["count", "count_distinct", "sum"]
    column: str | None = None
    filter: Formula | None = None
    time: Literal["state", "flow"] | None = None
    empty: Literal["not_available", "zero"] = "not_available"
    missing: Missing = "not_available"  # rows that leave column empty: MISSING_CHOICES
    unit: str | None = None
    description: str | None = None
    location: Location | None = field(default=None, eq=False)
    filter_location: Location | None = field(default=None, eq=False)
    filter_exact: bool = field(default=True, eq=False)
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""
    latest: Latest | None = None
    """``terakhir``: only each entity's latest record within the period counts."""

    @property
    def key(self) -> str:
        return name_key(self.name)


@frozen
class Input:
    """A number typed in per year (or released by another body)."""

    name: str
    unit: str | None = None
    description: str | None = None
    source: str = "inputs"
    location: Location | None = field(default=None, eq=False)
    additive: bool = False
    """A count: the area's value is the sum of its regions' values when no row gives it."""
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""

    @property
    def key(self) -> str:
        return name_key(self.name)


@frozen
class Parameter:
    """A configuration constant usable in formulas, such as a weight."""

    name: str
    value: Decimal
    note: str | None = None
    location: Location | None = field(default=None, eq=False)
    assumption: str | None = None
    """What this rests on that the source document does not say (a reading or choice of
    the definitions' authors), or None when it follows the document."""
    unit: str | None = None
    """Its satuan, when it has one (``Tahun`` for a life expectancy's minimum); a parameter
    without one takes the unit of what it is added to or compared with."""

    @property
    def key(self) -> str:
        return name_key(self.name)


@frozen
class Office:
    """The office the definitions belong to, and its plan period."""

    id: str
    name: str
    region: str | None = None
    document: str | None = None
    baseline_year: int | None = None
    plan_start: int | None = None
    plan_end: int | None = None
    units: tuple[str, ...] = ()
    location: Location | None = field(default=None, eq=False)
    notation: Notation = UNSETTLED
    """How the office writes numbers as text (``notation = "id"`` or ``"en"`` in
    [office]); when it is not declared, ``id`` but unsettled."""
    kind: str | None = None
    """``kabupaten`` or ``kota``: the word for the whole area (None: ``daerah``)."""
    region_code: str | None = None
    language: str | None = None
    """The language of the office's messages and reports (``language = "id"`` or ``"en"``);
    None when not declared (then Indonesian, see :func:`iku_rules.i18n.resolve_language`)."""


@frozen
class Rules:
    """The office's capaian policy: default methods, and a floor and cap on capaian."""

    negatif: str | None = None
    triwulan: str | None = None
    floor: Decimal | None = None
    cap: Decimal | None = None
    location: Location | None = field(default=None, eq=False)
    floor_location: Location | None = field(default=None, eq=False)
    """Where ``floor`` is written, for a message about it."""


@frozen
class Assumption:
    """One assumption a value rests on: what made it (``kind`` ``indicator``, ``measure``,
    ``source``, ``input`` or ``parameter``, and its id or name) and the assumption's text."""

    kind: str
    name: str
    text: str
    location: Location | None = field(default=None, eq=False)


@frozen(hash=False)
class Definitions:
    """Everything read from one definitions folder, and every problem found in it."""

    root: Path
    office: Office | None
    elements: tuple[Element, ...]
    sources: tuple[Source, ...] = ()
    measures: tuple[Measure, ...] = ()
    inputs: tuple[Input, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    rules: Rules | None = None
    satuan: Mapping[str, str] = field(factory=dict, converter=_frozen_mapping)
    """The office's own unit table (``[satuan]``): satuan → what it counts."""
    satuan_whole: Mapping[str, bool] = field(factory=dict, converter=_frozen_mapping)
    """Of the office's own satuan, those it says count one by one (True) or not (False)."""
    files: tuple[Path, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    levels: tuple[Level, ...] = ()
    regions: tuple[Region, ...] = ()
    _readers: dict[str, Any] = field(factory=dict, init=False, eq=False, repr=False)
    """What each name a formula can read stands for (filled on first use)."""
    _children: Mapping[str | None, tuple[Element, ...]] = field(init=False, eq=False, repr=False)
    _indicators: tuple[Indicator, ...] | None = field(
        default=None, init=False, eq=False, repr=False
    )
    """Every indicator in cascade order (found on first use; the checks ask often)."""

    def __attrs_post_init__(self) -> None:
        children: dict[str | None, list[Element]] = {}
        for element in self.elements:
            children.setdefault(element.parent, []).append(element)
        # Looked up for every element of the cascade: found once (frozen, so set directly).
        object.__setattr__(
            self, "_children", {key: tuple(found) for key, found in children.items()}
        )

    @property
    def area(self) -> str:
        """The word for the whole area: ``kabupaten``, ``kota`` or ``daerah``."""
        return area_word(self.office.kind if self.office is not None else None)

    def level_ids(self) -> tuple[str, ...]:
        """The levels results can be given by: those declared, else (none declared) the
        levels the sources hold in a column."""
        if self.levels:
            return tuple(level.id for level in self.levels)
        return tuple(dict.fromkeys(level for s in self.sources for level in s.regions))

    def regions_at(self, level: str) -> tuple[Region, ...]:
        """The declared regions of one level, in the order written."""
        return tuple(region for region in self.regions if region.level == level)

    @property
    def notation(self) -> Notation:
        """How the office writes numbers as text (:mod:`iku_rules.notation`)."""
        return self.office.notation if self.office is not None else UNSETTLED

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in cascade order (parents before children, as in the files)."""
        if self._indicators is None:
            found = tuple(i for element in self.ordered() for i in element.indicators)
            object.__setattr__(self, "_indicators", found)
            return found
        return self._indicators

    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def assumptions(self, indicator: Indicator) -> tuple[Assumption, ...]:
        """Every assumption the indicator's value rests on: its own, then those of the
        measures (and their sources), registers, inputs, parameters and indicators its
        formula reads, and of theirs, each once, in the order they are met."""
        if not self._readers:
            self._readers.update({name_key(i.id): i for i in self.indicators})
            self._readers.update({p.key: p for p in self.parameters})
            self._readers.update({i.key: i for i in self.inputs})
            self._readers.update({name_key(s.id): s for s in self.sources})
            self._readers.update({m.key: m for m in self.measures})
        sources = {source.id: source for source in self.sources}
        found: dict[tuple[str, str], Assumption] = {}

        def note(kind: str, name: str, item: Any) -> None:
            if item.assumption is not None:
                found.setdefault(
                    (kind, name), Assumption(kind, name, item.assumption, item.location)
                )

        seen: set[str] = set()
        queue = [indicator]
        while queue:
            current = queue.pop(0)
            if current.id in seen:
                continue
            seen.add(current.id)
            note("indicator", current.id, current)
            for name in current.formula.names if current.formula is not None else ():
                item = self._readers.get(name.key)
                if isinstance(item, Measure):
                    note("measure", item.name, item)
                    if item.source in sources:
                        note("source", item.source, sources[item.source])
                elif isinstance(item, Source):
                    note("source", item.id, item)
                elif isinstance(item, Input):
                    note("input", item.name, item)
                elif isinstance(item, Parameter):
                    note("parameter", item.name, item)
                elif isinstance(item, Indicator):
                    queue.append(item)
        return tuple(found.values())

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    def children(self, element_id: str | None) -> tuple[Element, ...]:
        return self._children.get(element_id, ())

    def roots(self) -> tuple[Element, ...]:
        """Elements whose parent is missing or unknown."""
        ids = {e.id for e in self.elements}
        return tuple(e for e in self.elements if e.parent is None or e.parent not in ids)

    def ordered(self) -> Iterator[Element]:
        """Elements depth first from the roots, each once (cycles cannot loop)."""
        seen: set[str] = set()
        yield from self._depth_first(self.roots(), seen)
        for element in self.elements:
            if element.id not in seen:
                yield element

    def below(self, element: Element) -> Iterator[Element]:
        """The element and every element under it, depth first, each once."""
        return self._depth_first((element,), set())

    def _depth_first(self, starts: Sequence[Element], seen: set[str]) -> Iterator[Element]:
        stack = list(reversed(starts))
        while stack:
            element = stack.pop()
            if element.id in seen:
                continue
            seen.add(element.id)
            yield element
            stack.extend(reversed(self.children(element.id)))

    def ancestors(self, element_id: str) -> tuple[Element, ...]:
        """The chain from the element's parent up to its root."""
        chain: list[Element] = []
        seen = {element_id}
        current = self.element(element_id)
        while current is not None and current.parent and current.parent not in seen:
            seen.add(current.parent)
            current = self.element(current.parent)
            if current is not None:
                chain.append(current)
        return tuple(chain)
