"""The contents of an office's performance report (LKjIP), as data.

:func:`build_report` evaluates the cascade for a period and gathers what the
report shows: the table of IKU (target, realisasi, capaian, predikat), one table
per programme with the indicators of its kegiatan and sub kegiatan, the trend of
each IKU over the plan years (:mod:`~iku_rules.report.years`), the explanation of
each IKU, and the whole cascade with every indicator's result, and whether its
numbers are provisional (its period not over on the day it was made). A row whose value
rests on data that stop short of the period's end or miss a declared region says so in its
``Keterangan`` (:mod:`~iku_rules.data_gaps`). Numbers stay
:class:`~decimal.Decimal` and a value that is not available is ``None`` with the
reason beside it; the renderers (:mod:`iku_rules.report.markdown`,
:mod:`~iku_rules.report.excel`, :mod:`~iku_rules.report.html`) decide how they look.

The text renderers show numbers through :mod:`iku_rules.report.numbers`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from attrs import frozen

from iku_rules.data_gaps import DataGap, data_gaps
from iku_rules.explain import Explanation
from iku_rules.i18n import N_, _
from iku_rules.levels import LEVEL_TITLES
from iku_rules.model import Element, Indicator, Target
from iku_rules.periods import Period
from iku_rules.provisional import as_sentence
from iku_rules.regions import level_name
from iku_rules.report.numbers import band_text, display_decimals
from iku_rules.report.years import TrendPoint as TrendPoint  # the renderers import them here
from iku_rules.report.years import TrendSeries as TrendSeries
from iku_rules.report.years import figure_notes, plan_years, trend_series

if TYPE_CHECKING:
    from iku_rules.engine import Engine
    from iku_rules.results import Evaluation

PROGRAM_LEVEL = "program"

TABLE_HEADER = (
    N_("No"),
    N_("Sasaran"),
    N_("Indicator"),
    N_("Satuan"),
    N_("Target"),
    N_("Realisasi"),
    N_("Capaian %"),
    N_("Predikat"),
    N_("Notes"),
)
"""The columns of the LKjIP performance table (the IKU table), in English: each writer shows
them through :func:`iku_rules.i18n._` (``Keterangan`` for ``Notes`` in Indonesian)."""
PROGRAM_HEADER = (N_("No"), N_("Program / Kegiatan / Sub Kegiatan"), *TABLE_HEADER[2:])
"""The columns of a programme's table."""
TREND_HEADER = (
    N_("Year"),
    N_("Target"),
    N_("Realisasi"),
    N_("Capaian %"),
    N_("Predikat"),
    N_("Notes"),
)
"""The columns of an IKU's trend over the plan years."""
NUMERIC_COLUMNS = frozenset({"No", "Year", "Target", "Realisasi", "Capaian %"})
"""The columns that hold numbers (aligned right)."""


@frozen
class Row:
    """One indicator in a performance table, for the whole kabupaten.

    ``sasaran`` is the name of the element the indicator belongs to (its sasaran,
    tujuan, programme, kegiatan or sub kegiatan; ``level`` says which). ``realisasi``
    is ``None`` when the value is not available (``reason`` says why); ``capaian``
    is ``None`` when it cannot be computed (``capaian_reason`` says why).
    """

    no: int
    indicator_id: str
    element_id: str
    level: str
    kode: str | None
    sasaran: str
    indikator: str
    satuan: str
    percent: bool
    target: Target | None
    realisasi: Decimal | None
    capaian: Decimal | None
    predikat: str | None
    reason: str | None
    capaian_reason: str | None
    policy_applied: str | None
    decimals: int = 2
    """How many decimals its target and realisasi are shown with (:func:`display_decimals`)."""
    gaps: tuple[DataGap, ...] = ()
    """Where the data its value rests on stop short of the period's end or miss a declared
    region (:func:`~iku_rules.data_gaps.data_gaps`): the first thing its
    ``Keterangan`` says."""

    @property
    def notes(self) -> tuple[str, ...]:
        """What the ``Keterangan`` column says: where its data stop short or miss a region,
        why a figure is missing, and what the office's capaian policy did."""
        gaps = tuple(gap.text for gap in self.gaps)
        return gaps + figure_notes(
            self.realisasi,
            self.reason,
            self.target,
            self.capaian,
            self.capaian_reason,
            self.policy_applied,
        )

    @property
    def keterangan(self) -> str:
        """:attr:`notes` as one sentence (empty when there is nothing to say)."""
        return "; ".join(self.notes)


@frozen
class Table:
    """A performance table: the IKU, or one programme with its kegiatan and sub kegiatan.

    ``element_id``, ``kode`` and ``name`` are the programme's (``None`` for the IKU table).
    """

    title: str
    rows: tuple[Row, ...]
    element_id: str | None = None
    kode: str | None = None
    name: str | None = None


@frozen
class ExplainedIndicator:
    """An indicator with the explanation of its value."""

    indicator_id: str
    indikator: str
    explanation: Explanation


@frozen
class CascadeIndicator:
    """An indicator in the cascade tree: its result and its explanation."""

    row: Row
    explanation: Explanation


@frozen
class CascadeNode:
    """One element of the cascade with its indicators and the elements below it."""

    element_id: str
    level: str
    title: str
    kode: str | None
    name: str
    indicators: tuple[CascadeIndicator, ...]
    children: tuple[CascadeNode, ...]

    def walk(self) -> Iterator[CascadeNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@frozen
class LegendBand:
    """One band of the predikat scale, best first: its label and its lower bound in words."""

    label: str
    text: str


@frozen
class Report:
    """Everything an office's performance report shows for one period."""

    office: str
    office_id: str | None
    document: str | None
    period: str
    period_text: str
    baseline_year: int | None
    plan_years: tuple[int, ...]
    iku_table: Table
    program_tables: tuple[Table, ...]
    trend: tuple[TrendSeries, ...]
    explanations: tuple[ExplainedIndicator, ...]
    cascade: tuple[CascadeNode, ...]
    predikat_scale: tuple[LegendBand, ...]
    region_tables: tuple[Table, ...] = ()
    """Per level the office gives targets by, each region's row of those indicators
    (``name``: the level's name, the rows' ``sasaran``: the region)."""
    today: date | None = None
    """The day the report's period was evaluated on (:mod:`iku_rules.provisional`); None:
    not known."""
    provisional_note: str | None = None
    """Why every number of the report is provisional, its period not over on :attr:`today`
    (:meth:`Evaluation.provisional_note <iku_rules.results.Evaluation.provisional_note>`, in
    the language the report was built in); None when the period was over. Each renderer
    shows it under the title (:attr:`provisional_banner`)."""

    @property
    def provisional(self) -> bool:
        """Whether the report's period was not over on :attr:`today`: its realisasi, capaian
        and predikat can still change and are not the period's."""
        return self.provisional_note is not None

    @property
    def provisional_banner(self) -> str | None:
        """:attr:`provisional_note` as the sentence under the title (capitalised)."""
        return as_sentence(self.provisional_note)

    @property
    def title(self) -> str:
        return _("Performance Report of {office} — {period}").format(
            office=self.office, period=self.period
        )

    def nodes(self) -> Iterator[CascadeNode]:
        """Every node of the cascade, depth first."""
        for root in self.cascade:
            yield from root.walk()


def build_report(engine: Engine, period: str | Period) -> Report:
    """The report of ``engine``'s office for ``period`` (``"2026"``, ``"2026-TW3"``, …).

    The period itself is evaluated once (errors in the data are raised); each plan
    year of the trend is evaluated with the same engine, and a year that cannot be
    evaluated shows the reason instead of failing the report. A period not over on the
    engine's day makes every number of the report provisional (:attr:`Report.provisional`),
    and each year of the trend says whether its own was (:attr:`TrendPoint.provisional`).
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    evaluation = engine.evaluate(period)
    definitions = engine.definitions
    office = definitions.office
    years = plan_years(definitions, period)
    iku = [indicator for indicator in definitions.indicators if indicator.iku]
    scale = engine.rule_tables.scale("capaian")
    return Report(
        office=office.name if office else _("Regional Office"),
        office_id=office.id if office else None,
        document=office.document if office else None,
        period=period.label,
        period_text=period.describe(),
        baseline_year=office.baseline_year if office else None,
        plan_years=years,
        iku_table=Table(
            _("Key Performance Indicators (IKU)"),
            tuple(_row(evaluation, indicator, n) for n, indicator in enumerate(iku, 1)),
        ),
        program_tables=tuple(_program_tables(evaluation)),
        trend=tuple(trend_series(engine, evaluation, iku, years)),
        explanations=tuple(
            ExplainedIndicator(indicator.id, indicator.name, evaluation.explain(indicator.id))
            for indicator in iku
        ),
        cascade=_cascade(evaluation),
        predikat_scale=tuple(LegendBand(band.label, band_text(band)) for band in scale.bands),
        region_tables=tuple(_region_tables(engine, period)),
        today=evaluation.today,
        provisional_note=evaluation.provisional_note(),
    )


def _region_tables(engine: Engine, period: Period) -> Iterator[Table]:
    """One table per level the indicators give targets by (``region_targets``; the first
    declared level for ``area_target_for_regions`` alone), in the order the levels are
    declared (kecamatan before kelurahan): each region's realisasi against its own target,
    evaluated by that level."""
    definitions = engine.definitions
    chosen = [i for i in definitions.indicators if i.region_targets or i.area_target_for_regions]
    given = {e.level for i in chosen for e in i.region_targets}
    levels = [level for level in definitions.level_ids() if level in given]  # as declared
    if not levels and chosen and definitions.level_ids():
        levels = [definitions.level_ids()[0]]
    for level in levels:
        evaluation = engine.evaluate(period, by=level)
        mine = [
            i
            for i in chosen
            if i.area_target_for_regions or any(e.level == level for e in i.region_targets)
        ]
        rows = [(i, r) for i in mine for r in evaluation.regions]
        name = level_name(definitions.levels, level)
        title = _("Capaian per {level}").format(level=name)
        yield Table(title, tuple(_row(evaluation, i, n, r) for n, (i, r) in enumerate(rows, 1)),
                    name=name)  # fmt: skip


def _row(evaluation: Evaluation, indicator: Indicator, no: int, region: str | None = None) -> Row:
    result = evaluation.get(indicator.id, region)
    element = evaluation.definitions.element(indicator.parent)
    capaian = result.capaian
    return Row(
        no=no,
        indicator_id=indicator.id,
        element_id=indicator.parent,
        level=element.title if element else LEVEL_TITLES.get(indicator.level, indicator.level),
        kode=element.kode if element else None,
        sasaran=region or (element.name if element else indicator.parent),
        indikator=indicator.name,
        satuan=indicator.unit,
        percent=indicator.is_percent,
        target=result.target,
        realisasi=result.value,
        capaian=capaian.value if capaian else None,
        predikat=result.predikat,
        reason=result.reason,
        capaian_reason=result.capaian_reason,
        policy_applied=capaian.policy_applied if capaian else None,
        decimals=display_decimals(evaluation.definitions, indicator, (result.value,)),
        gaps=data_gaps(evaluation, indicator.id, region),
    )


def _program_tables(evaluation: Evaluation) -> Iterator[Table]:
    """One table per programme, by kode as the nomenclature numbers them (programmes
    without a kode last, in cascade order)."""
    definitions = evaluation.definitions
    programs = [e for e in definitions.ordered() if e.level == PROGRAM_LEVEL]
    programs.sort(key=lambda program: (program.kode is None, _kode_key(program.kode)))
    for program in programs:
        indicators = [i for element in definitions.below(program) for i in element.indicators]
        rows = tuple(_row(evaluation, indicator, n) for n, indicator in enumerate(indicators, 1))
        title = f"{program.kode} {program.name}" if program.kode else program.name
        yield Table(title, rows, program.id, program.kode, program.name)


def _kode_key(kode: str | None) -> tuple[tuple[int, int | str], ...]:
    """``1.06.04`` sorts before ``1.06.10``: numeric parts as numbers."""
    if kode is None:
        return ()
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in kode.split("."))


def _cascade(evaluation: Evaluation) -> tuple[CascadeNode, ...]:
    definitions = evaluation.definitions
    seen: set[str] = set()

    def node(element: Element) -> CascadeNode:
        seen.add(element.id)
        indicators = tuple(
            CascadeIndicator(_row(evaluation, indicator, n), evaluation.explain(indicator.id))
            for n, indicator in enumerate(element.indicators, 1)
        )
        children = tuple(
            node(child) for child in definitions.children(element.id) if child.id not in seen
        )
        return CascadeNode(
            element.id,
            element.rank_key,
            element.title,
            element.kode,
            element.name,
            indicators,
            children,
        )

    roots = [node(root) for root in definitions.roots() if root.id not in seen]
    # Elements only reachable through a cycle (the loader reports those) still appear.
    roots += [node(element) for element in definitions.elements if element.id not in seen]
    return tuple(roots)
