"""The indicators of a definitions folder, as data (for JSON) and as a tree of the cascade;
the results of an evaluation as the table ``iku eval`` prints."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iku_rules.bounds import Analysis
from iku_rules.i18n import _, cut_short, ngettext
from iku_rules.model import Definitions, Element, Indicator
from iku_rules.output import json_target, satuan_shown, target_text
from iku_rules.printer import to_text
from iku_rules.provisional import as_sentence
from iku_rules.reasons import NO_TARGET, code_of
from iku_rules.regions import level_name
from iku_rules.trace import format_decimal

if TYPE_CHECKING:
    from iku_rules.data_gaps import DataGap
    from iku_rules.results import Evaluation, IndicatorResult


def indicator_record(
    definitions: Definitions, indicator: Indicator, analysis: Analysis | None = None
) -> dict[str, Any]:
    """One indicator as plain data (numbers exact, as Decimals: write it with
    :func:`iku_rules.output.json_dumps`); ``range`` is the interval its value is proven to
    lie in (``None`` for an infinite end), ``statement`` what its definition states."""
    element = definitions.element(indicator.parent)
    analysis = analysis or Analysis(definitions)
    interval = analysis.stated(indicator) if indicator.formula is not None else None
    return {
        "id": indicator.id,
        "name": indicator.name,
        "level": indicator.level,
        "unit": indicator.unit,
        "parent": indicator.parent,
        "parent_name": element.name if element else None,
        "kode": element.kode if element else None,
        "polarity": indicator.polarity,
        "iku": indicator.iku,
        "source": indicator.formula_kind,
        "formula": str(indicator.formula) if indicator.formula is not None else None,
        "numerator": to_text(indicator.numerator) if indicator.numerator is not None else None,
        "denominator": to_text(indicator.denominator)
        if indicator.denominator is not None
        else None,
        "needs": list(indicator.needs),
        "baseline": indicator.baseline,
        "targets": {
            str(year): json_target(value) for year, value in sorted(indicator.targets.items())
        },
        "range": None if interval is None else [_finite(interval.low), _finite(interval.high)],
        "statement": indicator.percent_statement,
        "assumption": indicator.assumption,
        "rests_on": [
            {"kind": a.kind, "name": a.name, "assumption": a.text}
            for a in definitions.assumptions(indicator)
        ],
    }


def _finite(value: Decimal) -> Decimal | None:
    return None if value.is_infinite() else value


def indicator_records(definitions: Definitions) -> list[dict[str, Any]]:
    """Every indicator as plain data, in cascade order."""
    analysis = Analysis(definitions)
    return [
        indicator_record(definitions, indicator, analysis) for indicator in definitions.indicators
    ]


def _indicator_line(indicator: Indicator) -> str:
    marks = ["IKU"] if indicator.iku else []
    marks.append(indicator.unit)
    if indicator.polarity == "negatif":
        marks.append(_("lower is better"))
    if indicator.formula is not None:
        how = f"= {indicator.formula}"
    else:
        how = "= input" if indicator.formula_kind == "input" else "= realisasi"
    line = f"◆ {indicator.name} [{indicator.id}] ({', '.join(marks)}) {how}"
    figures = []
    if indicator.baseline is not None:
        figures.append(_("baseline {value}").format(value=format_decimal(indicator.baseline)))
    if indicator.targets:
        targets = ", ".join(
            f"{year}: {target_text(value)}" for year, value in sorted(indicator.targets.items())
        )
        figures.append(_("targets {targets}").format(targets=targets))
    if figures:
        line += f"; {'; '.join(figures)}"
    return line


def _assumption_lines(definitions: Definitions, indicator: Indicator) -> list[str]:
    """The indicator's own assumption, and what else its value rests on, by name (the
    texts of those stand where they are defined, and in ``iku list --format json``)."""
    lines = []
    others = []
    for assumption in definitions.assumptions(indicator):
        if assumption.kind == "indicator" and assumption.name == indicator.id:
            lines.append("⚑ " + _("assumption: {text}").format(text=assumption.text))
        else:
            others.append(_named(assumption.kind, assumption.name))
    if others:
        lines.append(
            "⚑ " + _("rests on the assumptions of: {names}").format(names=", ".join(others))
        )
    return lines


def _named(kind: str, name: str) -> str:
    """What an assumption belongs to, named in the reader's language (``ukuran 'PMKS'``,
    ``sumber data 'layanan'``): the kinds of :meth:`Definitions.assumptions`."""
    if kind == "measure":
        return _("measure '{name}'").format(name=name)
    if kind == "source":
        return _("source '{name}'").format(name=name)
    if kind == "input":
        return _("input '{name}'").format(name=name)
    if kind == "parameter":
        return _("parameter '{name}'").format(name=name)
    if kind == "indicator":
        return _("indicator '{id}'").format(id=name)
    return f"{kind} '{name}'"


def _element_line(element: Element) -> str:
    code = f"{element.kode} " if element.kode else ""
    return f"{element.title}: {code}{element.name} [{element.id}]"


def cascade_text(definitions: Definitions) -> str:
    """The cascade as an indented tree, each element with its indicators under it."""
    lines: list[str] = []
    office = definitions.office
    if office is not None:
        heading = office.name
        if office.document:
            heading += f" — {office.document}"
        if office.plan_start and office.plan_end:
            plan = _("plan {start}–{end}").format(start=office.plan_start, end=office.plan_end)
            heading += f" ({plan})"
        lines.append(heading)
    count = len(definitions.indicators)
    iku = sum(indicator.iku for indicator in definitions.indicators)
    resting = sum(bool(definitions.assumptions(i)) for i in definitions.indicators)
    lines.append(
        _("{elements}, {indicators}, {iku} IKU; {resting} (marked ⚑)").format(
            elements=ngettext(
                "{count} element", "{count} elements", len(definitions.elements)
            ).format(count=len(definitions.elements)),
            indicators=ngettext("{count} indicator", "{count} indicators", count).format(
                count=count
            ),
            iku=iku,
            resting=ngettext(
                "{count} indicator rests on an assumption",
                "{count} indicators rest on an assumption",
                resting,
            ).format(count=resting),
        )
    )
    lines.append("")
    depth_of: dict[str, int] = {}
    for element in definitions.ordered():
        depth = depth_of.get(element.parent or "", -1) + 1 if element.parent in depth_of else 0
        depth_of[element.id] = depth
        indent = "    " * depth
        lines.append(f"{indent}{_element_line(element)}")
        if element.assumption:
            assumption = _("assumption: {text}").format(text=element.assumption)
            lines.append(f"{indent}    ⚑ {assumption}")
        for indicator in element.indicators:
            lines.append(f"{indent}    {_indicator_line(indicator)}")
            lines.extend(
                f"{indent}        {line}" for line in _assumption_lines(definitions, indicator)
            )
    return "\n".join(lines) + "\n"


def _header(width: int, value_width: int, satuan_width: int) -> str:
    """The header of a table of results, in the language spoken now."""
    indicator, value, satuan, target = _("indicator"), _("value"), _("unit"), _("target")
    capaian, predikat = _("capaian"), _("predikat")
    return (
        f"  {indicator:<{width}}  {value:>{value_width}} {satuan:<{satuan_width}}"
        f"  {target:>10}  {capaian:>9}  {predikat}"
    )


GAP_MARK = "⚠"
"""The mark of a row whose value rests on data that stop short or miss a region."""
GAP_IDS_SHOWN = 2
"""How many of the indicators a fact concerns it names, before counting the rest."""
GAP_WIDTH = 100
"""The columns a fact's line is wrapped at (the rest indented under it)."""


def _gap_lines(facts: dict[DataGap, list[str]]) -> list[str]:
    """Each fact under a region's table once, marked as its rows are, with the first few of
    the indicators it concerns (in the table's order) and how many more."""
    lines: list[str] = []
    for gap, ids in facts.items():
        text = _("{fact}; it concerns {indicators}").format(
            fact=gap.text, indicators=cut_short(ids, GAP_IDS_SHOWN)
        )
        lines += textwrap.wrap(
            f"{GAP_MARK} {text}",
            GAP_WIDTH,
            initial_indent="  ",
            subsequent_indent="    ",
            break_long_words=False,  # an id stays whole
            break_on_hyphens=False,
        )
    return lines


def results_text(evaluation: Evaluation) -> str:
    """The results of an evaluation as a readable table: the kabupaten, then each region.

    Every value stands with its satuan (``11,005 Km``, ``68,625 %``, ``≈ 114,285714 per
    100.000 Kelahiran Hidup``), which its target is in too. Kabupaten rows also show the
    target, capaian and predikat (a target without a capaian, why there is none); a value
    that is not available shows its reason instead.

    A value resting on data that stop short (a service log ending more than 31 days before
    the end of a period over, no row in the period counted as 0) or, for the whole area,
    miss declared regions is marked ⚠, and under its region's table each such fact is said
    once with the indicators it concerns (:func:`~iku_rules.data_gaps.data_gaps`: one dates
    query per source and time, asked here; a period not over names the regions only).
    """
    # here: `iku list` and `iku check` need it not
    from iku_rules.data_gaps import Absent, Skipped, data_gaps

    office = evaluation.definitions.office
    title = office.name if office else _("Results")
    lines = [f"{title} — {evaluation.period.describe()}"]
    note = as_sentence(evaluation.provisional_note())
    if note:  # before any number: a period not over is not the period's
        lines.append(note)
    width = max((len(r.indicator.id) for r in evaluation.results), default=10)
    of_region: dict[str | None, list[IndicatorResult]] = {}
    shown: dict[int, tuple[str, str]] = {}  # each value and its satuan, by id of the result
    satuan_of: dict[tuple[str, str | None], str] = {}  # found once per satuan
    for result in evaluation.results:  # each region's results, in their order, found once
        of_region.setdefault(result.region, []).append(result)
        if result.value is not None:
            key = (result.indicator.unit, result.unit)
            satuan = satuan_of.get(key)
            if satuan is None:
                satuan = satuan_of[key] = satuan_shown(result.unit, result.indicator.unit)
            shown[id(result)] = (format_decimal(result.value), satuan)
    value_width = max((len(v) for v, _s in shown.values()), default=0)
    value_width = max(value_width, len(_("value")))
    satuan_width = max((len(s) for _v, s in shown.values()), default=0)
    satuan_width = max(satuan_width, len(_("unit")))
    header = _header(width, value_width, satuan_width)
    levels = evaluation.definitions.levels
    level = level_name(levels, evaluation.by) if evaluation.by else ""
    for region in (None, *evaluation.regions):
        results = of_region.get(region, [])
        lines.append("")
        if region:
            lines.append(f"{level} {region}")
            if any(r.target is not None for r in results):
                lines.append(header)  # the region has targets of its own
        else:
            area = evaluation.definitions.area.capitalize()
            lines.append(_("{area} (all regions)").format(area=area))
            lines.append(header)
        facts: dict[DataGap, list[str]] = {}  # each fact once, in the order found
        for result in results:
            if result.value is None:
                missing = _("not available: {reason}").format(reason=result.reason)
                lines.append(f"  {result.indicator.id:<{width}}  {missing}")
                continue
            gaps = data_gaps(evaluation, result.indicator.id, region)
            for gap in gaps:  # a triwulan not reported: said once for its indicators
                fact = gap.shared() if isinstance(gap, Skipped | Absent) else gap
                facts.setdefault(fact, []).append(result.indicator.id)
            value, satuan = shown[id(result)]
            line = (
                f"  {result.indicator.id:<{width}}  {value:>{value_width}} {satuan:<{satuan_width}}"
            )
            if result.capaian is not None and result.capaian.value is not None:
                target = target_text(result.target) if result.target is not None else ""
                line += f"  {target:>10}  {format_decimal(result.capaian.value):>7} %  {result.predikat or ''}"
            elif region is None and result.capaian and _said(result):
                # a target, or targets that cannot be compared: why no capaian against it
                target = target_text(result.target) if result.target is not None else ""
                line += f"  {target:>10}  ({result.capaian.reason})"
            elif region is not None and result.capaian and result.indicator.region_targets:
                line += f"  ({result.capaian.reason})"  # why a region has no capaian
            if gaps:  # after the predikat, or the value: what it says is to be read with it
                line = f"{line.rstrip()} {GAP_MARK}"
            lines.append(line.rstrip())
        lines += _gap_lines(facts)
    return "\n".join(lines) + "\n"


def _said(result: IndicatorResult) -> bool:
    """Whether the listing says why the whole area's ``result`` has no capaian: against a
    target, or where its targets are there but cannot be compared (triwulan targets mixing
    ``≤ 2`` with numbers have no sum); never for an indicator without a target."""
    reason = result.capaian.reason if result.capaian else None
    return reason is not None and (result.target is not None or code_of(reason) != NO_TARGET)
