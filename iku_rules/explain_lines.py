"""The lines of an explanation (:mod:`iku_rules.explain`) that a planner redoes by hand:
what a measure made of its rows (distinct values, rows with a value, an average's sum over
its rows), how far the dates of its source's rows reach (a period over whose data stop
short of its end) and the declared regions none of them name, the rows in no part of a breakdown, the realisasi of each triwulan and
how the value comes from them, and the capaian worked with the numbers it used."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from iku_rules.additive import triwulan_method
from iku_rules.decimals import CONTEXT, total
from iku_rules.i18n import _, cut_short, format_day, ngettext
from iku_rules.measures import MeasureSpec, Tally
from iku_rules.output import target_text, with_satuan
from iku_rules.regions import level_name
from iku_rules.trace import format_decimal

if TYPE_CHECKING:
    from iku_rules.breakdowns import Reach
    from iku_rules.model import Definitions
    from iku_rules.periods import Period
    from iku_rules.results import Evaluation, IndicatorResult


def counted(
    spec: MeasureSpec,
    tally: Tally,
    head: str,
    value: Decimal | None,
    *,
    own: bool = False,
    rest: bool = False,
) -> str:
    """``head`` (the rows counted), then what the measure made of them: the distinct values,
    the rows with a value, those left out or each counted as one, an average's sum over its
    rows, and (``own``: a part) its sum, smallest or largest value; of the ``rest`` (the
    rows in no part), never their distinct values (a value may be in a part too)."""
    column, said = spec.column, [head]
    if spec.aggregate == "count_distinct" and not rest:  # (in rows in no part: not known)
        said.append(
            _("{count} distinct {column}").format(
                count=format_decimal(tally.value or Decimal(0)), column=column
            )
        )
    elif spec.aggregate == "count" and column:
        said.append(_("{count} with a {column}").format(count=tally.present, column=column))
    without = tally.matched - tally.present
    if without and spec.aggregate != "count" and value is not None:
        if spec.missing == "count_each" and spec.aggregate == "count_distinct":
            said.append(
                _("{count} without {column}, each counted as one").format(
                    count=without, column=column
                )
            )
        elif spec.missing == "skip":
            said.append(
                _("{count} without {column}, left out").format(count=without, column=column)
            )
    if spec.aggregate == "avg" and value is not None:
        # an average: its own (never its sum shown as its value), with the sum and rows
        said.append(
            ngettext(
                "average of {column} {value}: {sum} over {count} row",
                "average of {column} {value}: {sum} over {count} rows",
                tally.present,
            ).format(
                column=column,
                value=format_decimal(value),
                sum=format_decimal(tally.value or Decimal(0)),
                count=tally.present,
            )
        )
    elif own and spec.aggregate in ("sum", "min", "max") and tally.value is not None:
        # a summed measure: each part's own sum (a puskesmas' monthly reports)
        what = {
            "min": _("smallest {column} {value}"),
            "max": _("largest {column} {value}"),
        }.get(spec.aggregate, _("sum of {column} {value}"))
        said.append(what.format(column=column, value=format_decimal(tally.value)))
    return ", ".join(said)


SHORT_DAYS = 31
"""How many days before the end of a period over its data may stop without a word: a
service log whose latest row is dated more than this before the period's end (31 October
for a year) may not have its last rows entered yet, and a count over it is short."""


def short_days(reach: Reach | None, period: Period, over: bool) -> int | None:
    """The days from the latest of ``reach`` to the end of ``period``, where the period is
    ``over`` on the day of the evaluation, the rows are dated within it (a service log: a
    row for each thing done) and the days are more than :data:`SHORT_DAYS` (its data may
    stop short of its end); else None. A register of states is not told so: the latest
    registration may be months old in a register complete to the day (organisations
    registered once), and its dates line says how far it reaches."""
    if not over or reach is None or reach.last is None or reach.time != "flow":
        return None
    days = (period.end - reach.last).days
    return days if days > SHORT_DAYS else None


def reach_lines(reach: Reach | None, period: Period, over: bool, valued: bool) -> tuple[str, ...]:
    """How far the dates of a measure's source's rows in the period reach (all its rows in
    the window, before the measure's filter); then, the period ``over`` on the day of the
    evaluation, when the latest is more than :data:`SHORT_DAYS` before its end, that the
    value is not the period's if later rows are not entered yet; or, no row in the window
    and the measure ``valued`` all the same (``empty = "zero"``), that it has none."""
    if reach is None:
        return ()
    if reach.first is None or reach.last is None:
        if not (over and valued):  # (not available: its reason says there is no row)
            return ()
        said = _(
            "no row of {source} in the period: if its rows are not entered yet, this value"
            " is not the period's"
        )
        return (said.format(source=reach.source),)
    if reach.time == "flow":
        line = _("{source}'s rows in the period are dated {first} to {last}")
        if reach.first == reach.last:
            line = _("{source}'s rows in the period are all dated {last}")
    else:  # a state: the rows registered on or before the period's end
        line = _("{source}'s rows up to the period's end are dated {first} to {last}")
        if reach.first == reach.last:
            line = _("{source}'s rows up to the period's end are all dated {last}")
    last = format_day(reach.last)
    lines: tuple[str, ...] = (
        line.format(source=reach.source, first=format_day(reach.first), last=last),
    )
    short = short_days(reach, period, over)
    if short is not None:
        said = _(
            "no row after {last}, {days} days before the period ends: if rows after it are"
            " not entered yet, this value is not the period's"
        )
        lines += (said.format(last=last, days=short),)
    return lines


ABSENT_SHOWN = 5
"""How many of the declared regions without a row a line names (then how many more)."""


def absent_lines(reach: Reach | None, definitions: Definitions) -> tuple[str, ...]:
    """The declared regions of each level that no row of the measure's source in the
    period's window names (before the measure's filter), for the whole area, where its
    rows name some: the area's value counts them as none, while a denominator from
    another source may count them whole (Cibitung's services missing from the log, its
    PMKS in the register: the kabupaten's % PMKS tertangani understated in silence)."""
    if reach is None or reach.first is None:  # no row at all: reach_lines says so
        return ()
    lines = []
    for absent in reach.absent:
        count = len(absent.names)
        if not count:
            continue
        if reach.time == "flow":
            line = ngettext(
                "no row of {source} in the period for {count} of {declared} {level}: {names};"
                " the whole {area}'s value counts it as none",
                "no row of {source} in the period for {count} of {declared} {level}: {names};"
                " the whole {area}'s value counts them as none",
                count,
            )
        else:  # a state: the rows registered on or before the period's end
            line = ngettext(
                "no row of {source} up to the period's end for {count} of {declared} {level}:"
                " {names}; the whole {area}'s value counts it as none",
                "no row of {source} up to the period's end for {count} of {declared} {level}:"
                " {names}; the whole {area}'s value counts them as none",
                count,
            )
        level = level_name(definitions.levels, absent.level)
        said = line.format(
            source=reach.source,
            count=count,
            declared=absent.declared,
            level=level,
            names=cut_short(absent.names, ABSENT_SHOWN),
            area=definitions.area,
        )
        lines.append(said)
    return tuple(lines)


def dates_data(reach: Reach, short: int | None) -> dict[str, Any]:
    """The ``dates`` of a measure's node in an explanation's JSON: ``source``, ``time``,
    ``first`` and ``last`` (``YYYY-MM-DD`` or null), ``short_by_days``; and, for the whole
    area where the office declares regions of a level its source holds, ``absent``: for
    each such level, its id (``level``), how many regions it declares (``declared``) and
    the names of those without a row (``regions``, every one, in the declared order)."""
    first, last = reach.first, reach.last
    data: dict[str, Any] = {
        "source": reach.source,
        "time": reach.time,
        "first": None if first is None else first.isoformat(),
        "last": None if last is None else last.isoformat(),
        "short_by_days": short,
    }
    if reach.absent:
        data["absent"] = [
            {"level": absent.level, "declared": absent.declared, "regions": list(absent.names)}
            for absent in reach.absent
        ]
    return data


def rest_tally(spec: MeasureSpec, tally: Tally, parts: list[Tally]) -> Tally | None:
    """The tally of the rows in no part (their breakdown column empty): the whole's less the
    parts' rows, rows with a value and (a sum, an average's sum) value; None when every
    row is in a part."""
    matched = tally.matched - sum(part.matched for part in parts)
    if matched <= 0:
        return None
    present = tally.present - sum(part.present for part in parts)
    value = None
    if spec.aggregate in ("sum", "avg") and tally.value is not None and present:
        value = CONTEXT.subtract(tally.value, total(part.value or Decimal(0) for part in parts))
    return Tally(matched, matched, present, value)


def assessment(result: IndicatorResult) -> tuple[str, ...]:
    """Target, capaian and predikat in one line, when the result has them; then how the
    capaian was computed, from which numbers (for a planner to redo it by hand)."""
    capaian, written = result.capaian, "?" if result.target is None else target_text(result.target)
    target = "?" if result.target is None else with_satuan(written, None, result.indicator.unit)
    if capaian is None:
        return ()
    if capaian.value is None:
        missing = _("capaian: not available ({reason})").format(reason=capaian.reason)
        if result.target is None:
            return (missing,)
        return (_("target {target}; {missing}").format(target=target, missing=missing),)
    line = _("target {target} → capaian {capaian} % ({predikat})").format(
        target=target, capaian=format_decimal(capaian.value), predikat=result.predikat
    )
    if capaian.policy_applied:
        line += f"; {capaian.policy_applied}"
    r, scope = _shown(capaian.realisasi_used), capaian.method
    if capaian.triwulan is not None:
        first = "" if capaian.method.startswith("terakhir") else "TW1–"
        scope += f", {first}TW{capaian.triwulan}"
    if capaian.target_used is None:  # a threshold met or missed, or inside a range: by rule
        shown = _("capaian {value} %").format(value=format_decimal(capaian.value))
        low, high = (_shown(bound) for bound in capaian.target_range or (None, None))
        if capaian.threshold is None:
            said = _("{value}: realisasi {realisasi} is inside the target range {low}–{high}")
        elif capaian.threshold_met:
            said = _("{value}: realisasi {realisasi} meets the target {target}")
        else:
            said = _("{value}: realisasi {realisasi} does not meet the target {target}")
        said = said.format(value=shown, realisasi=r, target=written, low=low, high=high)
        return line, f"{said} ({scope})"
    t = _shown(capaian.target_used)
    formula = {"selisih": f"(2 × {t} − {r}) / {t} × 100", "rasio": f"{t} / {r} × 100"}
    working = formula.get(capaian.method.rsplit("+", 1)[-1], f"{r} / {t} × 100")
    if capaian.threshold is not None:
        met = capaian.threshold_met
        said = _("the target {target} is met") if met else _("the target {target} is not met")
        scope += "; " + said.format(target=written)
    return line, _("capaian: {working} = {raw} ({method})").format(
        working=working, raw=_shown(capaian.raw), method=scope
    )


def _shown(value: Decimal | None) -> str:
    """A number in a worked formula as explanations show it, ``≈`` marking one rounded (a
    realisasi of 94.9999999 is ``≈ 95`` against ``≥ 95``, not met: never a bare 95)."""
    return "?" if value is None else format_decimal(value)


def realisasi_line(result: IndicatorResult, definitions: Definitions) -> str:
    """The realisasi rows of each triwulan of the period (one with no row said so), and
    how the value comes from them: their sum, or (read ``terakhir``) the last reported."""
    use, satuan, period = result.realisasi, result.indicator.unit, result.period
    assert use is not None
    words = {label: _("not reported") for label in period.triwulan}
    for label, value in use.by_triwulan:
        shown = None if value is None else with_satuan(format_decimal(value), None, satuan)
        words[label] = _("no value") if shown is None else shown
    quarters = ", ".join(f"{label}: {said}" for label, said in words.items())
    reported_rows = ngettext(
        "realisasi reported: {count} row", "realisasi reported: {count} rows", use.rows
    )
    line = reported_rows.format(count=use.rows) + f" ({quarters})"
    reported = [label for label, value in use.by_triwulan if value is not None]
    if result.value is None or len(reported) < 2:
        return line
    if triwulan_method(result.indicator, definitions) == "terakhir":
        said = _("read terakhir: the value of {triwulan}, the last reported, not their sum")
        return f"{line}; {said.format(triwulan=reported[-1])}"
    return line + "; " + _("the value is their sum")


def input_detail(evaluation: Evaluation, name: str, region: str | None) -> str:
    """Where an input's value comes from: the inputs table's row for the whole area, or
    (its table holding a level) the region's row, or the sum of the regions' rows."""
    definitions = evaluation.definitions
    item = next((i for i in definitions.inputs if i.name == name), None)
    source = next((s for s in definitions.sources if item and s.id == item.source), None)
    if item is None or source is None or source.kind != "inputs" or not source.regions:
        return _("typed in per year (the inputs table)")
    level = next(iter(source.regions))
    if region is not None:
        return _("the row of {level} {region} in the inputs table {source}").format(
            level=level, region=region, source=source.id
        )
    if item.additive:
        return _(
            "the row of the whole {area} in the inputs table {source}, else (none given) the"
            " sum of its {level} rows (additive)"
        ).format(area=definitions.area, source=source.id, level=level)
    return _("the row of the whole {area} in the inputs table {source}").format(
        area=definitions.area, source=source.id
    )
