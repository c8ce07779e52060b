"""What adds up over triwulan and regions, and what does not.

A count adds up: 40 people served in TW1 and 50 in TW2 are 90 served to date, and the
kecamatan's counts add up to the kabupaten's. A percentage, a score or index, or a rate
(``per 1.000 KH``) does not: 70 % in TW1 and 90 % in TW2 are not 160 %, and the kabupaten's
share is not the sum of its kecamatan's. So a realisasi in such a satuan is read from one
row (:func:`read_realisasi`):

* over several triwulan, the method across triwulan (:func:`triwulan_method`: the
  indicator's ``capaian_method``, else the office's ``[rules] triwulan``) decides:
  ``terakhir`` takes the last triwulan reported, the level reached by then; under
  ``kumulatif`` or ``tahunan`` there is no value, with the reason and the fix;
* several rows in one triwulan (one per kecamatan, added up for the kabupaten) give no
  value whatever the method.

A count read ``terakhir`` is likewise the last triwulan's value (its kecamatan's rows of
that triwulan added up): the office compares the level reached with that triwulan's
target, so the levels of 20, 45 and 65 people are 65 to TW3, never 130.

Capaian over several triwulan (:mod:`iku_rules.assess`) likewise never adds up the targets
of such an indicator (:func:`summed_targets`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from attrs import evolve

from iku_rules.i18n import _, cut_short
from iku_rules.model import Definitions, Indicator
from iku_rules.reasons import MISSING_VALUES, NOT_ADDITIVE, Reason
from iku_rules.satuan import PLAIN, UnitTable, rate
from iku_rules.trace import format_decimal

if TYPE_CHECKING:  # the checks import this module too, and need neither
    from iku_rules.periods import Period
    from iku_rules.results import IndicatorResult, RealisasiUse

TRIWULAN_METHODS = ("kumulatif", "terakhir", "tahunan")

_tables: dict[tuple[int, int], tuple[Mapping[str, str], Mapping[str, bool], UnitTable]] = {}
"""The unit table of each office's ``[satuan]`` (asked for many results: built once), for
the few definitions a process holds at a time (a workspace loads them again after every
edit: the oldest are let go)."""

_KEPT_TABLES = 16


def unit_table(definitions: Definitions) -> UnitTable:
    """The built-in unit table with the office's own ``[satuan]``."""
    key = (id(definitions.satuan), id(definitions.satuan_whole))
    found = _tables.get(key)
    if (
        found is None
        or found[0] is not definitions.satuan
        or found[1] is not definitions.satuan_whole
    ):
        table = UnitTable.builtin().extended(definitions.satuan, definitions.satuan_whole)
        if len(_tables) >= _KEPT_TABLES:
            del _tables[next(iter(_tables))]
        found = _tables[key] = (definitions.satuan, definitions.satuan_whole, table)
    return found[2]


def adds_up(indicator: Indicator, definitions: Definitions) -> bool:
    """Whether the indicator's values add up over triwulan and regions: not a percentage,
    a score or index (plain numbers) nor a rate; a satuan the table cannot place counts
    something, and adds up."""
    unit = indicator.unit
    return (
        not indicator.is_percent
        and rate(unit) is None
        and unit_table(definitions).dimension(unit) != PLAIN
    )


def method_part(method: str | None, names: tuple[str, ...]) -> str | None:
    """The part of a capaian method like ``kumulatif+rasio`` that is one of ``names``, in
    any case (``Terakhir`` is ``terakhir``, as the loader accepts it)."""
    if not method:
        return None
    parts = (part.strip().casefold() for part in method.split("+"))
    return next((part for part in parts if part in names), None)


def triwulan_method(indicator: Indicator, definitions: Definitions) -> str:
    """How the indicator is read across triwulan: its own ``capaian_method``'s part, else
    the office's ``[rules] triwulan``, else ``kumulatif``."""
    own = method_part(indicator.capaian_method, TRIWULAN_METHODS)
    rules = definitions.rules
    return own or (rules.triwulan if rules and rules.triwulan else None) or "kumulatif"


def unreported_triwulan(result: IndicatorResult, definitions: Definitions) -> list[str]:
    """The triwulan of the result's period missing from its realisasi summed over them
    (none reported there): a sum that counts them as none is not the period's value (cases
    0 + 4 + 1 to TW3 are not 2026's when TW4 is not reported). Empty for a value not
    available, read from one triwulan, read ``terakhir``, or in a satuan that does not add
    up (never summed)."""
    use, indicator, period = result.realisasi, result.indicator, result.period
    if (
        use is None
        or result.value is None
        or len(period.triwulan) < 2
        or not adds_up(indicator, definitions)
        or triwulan_method(indicator, definitions) == "terakhir"
    ):
        return []
    reported = {label for label, value in use.by_triwulan if value is not None}
    return [label for label in period.triwulan if label not in reported]


SCHEDULED = frozenset({2, 4})
"""The triwulan an office reporting twice a year (TW2 and TW4) or once a year (TW4) reports:
the others missing before them are not due, not missing."""


def skipped_triwulan(
    result: IndicatorResult,
    definitions: Definitions,
    area: IndicatorResult | None = None,
    over: bool = False,
) -> list[str]:
    """The triwulan of the result's period not reported before the last one reported, in a
    realisasi summed over them (:func:`unreported_triwulan`): TW1 20 and TW3 65 are 85 to
    TW3, TW2 counted as none, and the value (and, where higher is better, its capaian) is
    shown low in silence. Empty where the triwulan reported are those of an office that
    reports once a year in TW4 or twice a year in TW2 and TW4 (what it did not report was
    not due). In a period ``over`` on the day of the evaluation, the triwulan after the
    last one reported are not reported either (TW1 20, TW2 30, TW3 35 are 85 for 2026,
    TW4 counted as none), save those such an office does not report (TW3 after its TW2);
    in a period not over the data stop there, and its provisional note says so. For a
    region, ``area`` is the whole area's result: only a triwulan no region reports is
    skipped (one that others report is one where the region had nothing to report)."""
    missing = unreported_triwulan(result, definitions)
    if not missing:
        return []
    labels = result.period.triwulan
    first = result.period.first_quarter
    reported = [at for at, label in enumerate(labels) if label not in missing]
    if not reported:
        return []
    scheduled = {first + at for at in reported} <= SCHEDULED
    skipped = [] if scheduled else [label for label in labels[: reported[-1]] if label in missing]
    if over:  # those after the last one reported, due on the office's schedule
        after = range(reported[-1] + 1, len(labels))
        skipped += [labels[at] for at in after if not scheduled or first + at in SCHEDULED]
    if area is not None and skipped:
        unreported = unreported_triwulan(area, definitions)
        skipped = [label for label in skipped if label in unreported]
    return skipped


def stale_level(
    result: IndicatorResult,
    definitions: Definitions,
    area: IndicatorResult | None = None,
    over: bool = False,
) -> tuple[str, str] | None:
    """The last triwulan of a period ``over`` on the day of the evaluation that a realisasi
    read ``terakhir`` does not report, and the triwulan whose level it takes instead (TW4 of
    2026 not reported: the year's value is TW3's level, 44 against a target of 45, where
    TW4's is not known); None where the last triwulan is reported, the period is not over
    (its provisional note covers it), or the office reports on a schedule that leaves that
    triwulan out (TW3 of a year to date, reported twice a year). For a region, ``area`` is
    the whole area's result: only a triwulan no region reports is said, as of a sum
    (:func:`skipped_triwulan`)."""
    use, indicator, period = result.realisasi, result.indicator, result.period
    if (
        not over
        or use is None
        or result.value is None
        or len(period.triwulan) < 2
        or triwulan_method(indicator, definitions) != "terakhir"
    ):
        return None
    reported = [label for label, value in use.by_triwulan if value is not None]
    last = period.triwulan[-1]
    if not reported or last in reported:
        return None
    first = period.first_quarter
    quarters = {
        first + period.triwulan.index(label) for label in reported if label in period.triwulan
    }
    if quarters <= SCHEDULED and period.quarter not in SCHEDULED:
        return None  # not due on the office's schedule
    others = () if area is None or area.realisasi is None else area.realisasi.by_triwulan
    if any(label == last and value is not None for label, value in others):
        return None  # another region reports it: this one had nothing to report
    return last, reported[-1]


def stale_note(indicator: str, missing: str, used: str, period: str) -> str:
    """What a listing, a report and the workspace say beside the value of ``indicator`` read
    ``terakhir`` over ``period`` whose last triwulan (``missing``) is not reported, so that
    ``used``'s level stands for it (:func:`stale_level`), in the language spoken."""
    return _(
        "the realisasi of {indicator} for {missing} is not reported, so its value for {period}"
        " is the level of {used}; report {missing}"
    ).format(indicator=indicator, missing=missing, used=used, period=period)


def skipped_note(indicator: str | None, missing: tuple[str, ...], period: str) -> str:
    """What a listing, a report and the workspace say beside the value of ``indicator``
    summed over the triwulan of ``period`` with ``missing`` not reported
    (:func:`skipped_triwulan`), in the language spoken; ``indicator`` None: said once for
    the several indicators a listing names after it."""
    if indicator is None:
        return _(
            "the realisasi for {missing} is not reported, so its sum over {period} counts it"
            " as none; report it (0 where there was none)"
        ).format(missing=", ".join(missing), period=period)
    return _(
        "the realisasi of {indicator} for {missing} is not reported, so its sum over {period}"
        " counts it as none; report it (0 where there was none)"
    ).format(indicator=indicator, missing=", ".join(missing), period=period)


ABSENT_SHOWN = 5
"""The triwulan (each with its regions) an absent note names before ``and N more``."""


def absent_places(absent: tuple[tuple[str, str, str], ...]) -> str:
    """The regions without a row in a triwulan others report
    (:attr:`~iku_rules.results.RealisasiUse.absent`), by triwulan: ``2026-TW2 from
    kecamatan Karanganyar``."""
    by_quarter: dict[str, list[str]] = {}
    for level, region, quarter in absent:
        by_quarter.setdefault(quarter, []).append(f"{level} {region}")
    items = [
        _("{labels} from {units}").format(labels=quarter, units=cut_short(names, ABSENT_SHOWN))
        for quarter, names in sorted(by_quarter.items())
    ]
    return cut_short(items, ABSENT_SHOWN, separator="; ")


def absent_note(
    indicator: str | None, absent: tuple[tuple[str, str, str], ...], period: Period
) -> str:
    """What a listing, a report and the workspace say beside the value of ``indicator``
    summed over the regions of a triwulan one of which has no row there, though it reports
    the indicator in another triwulan of the year (Karanganyar in TW1 and TW3, not in TW2:
    TW2's 95 + 145 = 240 counts it as none), in the language spoken; ``indicator`` None:
    said once for the several indicators a listing names after it."""
    if indicator is None:
        said = _(
            "the realisasi has no row for {missing}, which reports it in another triwulan of"
            " {year}, so its sum over {period} counts it as none; report it (0 where there"
            " was none)"
        )
    else:
        said = _(
            "the realisasi of {indicator} has no row for {missing}, which reports it in"
            " another triwulan of {year}, so its sum over {period} counts it as none; report"
            " it (0 where there was none)"
        )
    return said.format(
        indicator=indicator, missing=absent_places(absent), year=period.year, period=period.label
    )


def absent_capaian(result: IndicatorResult) -> Reason | None:
    """Why a realisasi summed over regions, one of which has no row in a triwulan it
    reports in another (:func:`absent_note`), gets no capaian where lower is better: the
    cases of that region and triwulan are not known, and counting them as none makes the
    capaian look better than it is (4 + 2 cases, the third kecamatan's not reported, read
    6 against a target of 8). Where higher is better the sum shows low and its capaian too,
    never flattering: they are kept, with the note beside them."""
    use = result.realisasi
    if result.indicator.polarity != "negatif" or use is None or not use.absent:
        return None
    if result.value is None:
        return None
    return Reason(
        _(
            "the realisasi has no row for {missing}, which reports it in another triwulan"
            " of {year}, so the sum over {period} would count it as none and, where lower is"
            " better, make capaian look better than it is; report it (0 where there was none)"
        ).format(
            missing=absent_places(use.absent), year=result.period.year, period=result.period.label
        ),
        MISSING_VALUES,
    )


def unreported_sum(result: IndicatorResult, missing: list[str]) -> Reason:
    """Why a formula cannot read ``result``, a realisasi summed over its period's triwulan
    with ``missing`` not reported (:func:`unreported_triwulan`): the value it would give
    counts them as none, and nothing shows it (a rate of cases per 1.000 over three
    triwulan read as the year's would meet a target where lower is better)."""
    return Reason(
        _(
            "the realisasi of {indicator} for {missing} is not reported, so its sum over"
            " {period} would count it as none and misstate what is computed from it; report"
            " it (0 where there was none), or evaluate the triwulan reported"
        ).format(
            indicator=result.indicator.id, missing=", ".join(missing), period=result.period.label
        ),
        MISSING_VALUES,
    )


def absent_read(
    result: IndicatorResult, definitions: Definitions
) -> tuple[tuple[str, str, str], ...]:
    """The regions without a row in a triwulan others report
    (:attr:`~iku_rules.results.RealisasiUse.absent`) that the value of ``result`` counts as
    none: all of them for a sum, those of the last triwulan reported read ``terakhir``."""
    use = result.realisasi
    if use is None or result.value is None or not use.absent:
        return ()
    if triwulan_method(result.indicator, definitions) != "terakhir":
        return use.absent
    reported = [label for label, value in use.by_triwulan if value is not None]
    return tuple(place for place in use.absent if reported and place[2] == reported[-1])


def absent_sum(result: IndicatorResult, definitions: Definitions) -> Reason | None:
    """Why a formula cannot read ``result``, a realisasi summed over regions one of which
    has no row in a triwulan it reports in another (:func:`absent_note`): Carita's 8 in TW1
    and 9 in TW3 and no row in TW2 make TW2's 12 + 7 = 19, and a cakupan of 19 over a
    sasaran of 50 reads 38 % where Carita's people served would raise it. The realisasi's own row keeps
    its value with the note beside it; a value computed from it carries no note, and
    nothing in it shows the gap, so it is not available, as for a triwulan not reported
    (:func:`unreported_sum`): a formula is a number the office files, and a number that
    may be wrong in silence is worse than none. Read ``terakhir``, only the regions
    missing from the last triwulan reported count: the value is that triwulan's
    (:func:`absent_read`)."""
    absent = absent_read(result, definitions)
    if not absent:
        return None
    return Reason(
        _(
            "the realisasi of {indicator} has no row for {missing}, which reports it in"
            " another triwulan of {year}, so its sum over {period} would count it as none"
            " and misstate what is computed from it; report it (0 where there was none)"
        ).format(
            indicator=result.indicator.id,
            missing=absent_places(absent),
            year=result.period.year,
            period=result.period.label,
        ),
        MISSING_VALUES,
    )


def read_realisasi(
    use: RealisasiUse,
    indicator: Indicator,
    definitions: Definitions,
    period: Period,
    region: str | None,
) -> RealisasiUse:
    """``use`` as a realisasi in the indicator's satuan may be read: unchanged when it
    comes from one row or one triwulan, or adds up and is read ``kumulatif`` or
    ``tahunan``; read ``terakhir``, the last triwulan's value (the level reached by then:
    20, 45 and 65 people reported to TW3 are 65, never 130, the value its capaian is
    computed from), of its one row for each triwulan where it does not add up; else no
    value and the reason."""
    if use.value is None or use.rows <= 1:
        return use
    reported = [(label, value) for label, value in use.by_triwulan if value is not None]
    if adds_up(indicator, definitions):
        if len(reported) > 1 and triwulan_method(indicator, definitions) == "terakhir":
            return evolve(use, value=reported[-1][1])
        return use
    place = period.label if region is None else f"{period.label}, {region}"
    if len(reported) != use.rows:  # several rows in one triwulan, or outside them
        reason = _(
            "the realisasi of {indicator} is in {unit}, which does not add up, yet {rows}"
            " rows of it would be added up in {place}; report one row for each triwulan"
            " (and region), or give the indicator a formula that computes its value"
        ).format(indicator=indicator.id, unit=indicator.unit, rows=use.rows, place=place)
    elif triwulan_method(indicator, definitions) == "terakhir":
        return evolve(use, value=reported[-1][1])  # the level reached by the last triwulan
    else:
        values = ", ".join(f"{label} {format_decimal(value)}" for label, value in reported)
        reason = _(
            "the realisasi of {indicator} is in {unit}, which does not add up over triwulan"
            " ({values}), so it has no value for {place}; declare capaian_method ="
            ' "terakhir" for the indicator to take the last triwulan reported, or evaluate'
            " one triwulan"
        ).format(indicator=indicator.id, unit=indicator.unit, values=values, place=place)
    return evolve(use, value=None, reason=Reason(reason, NOT_ADDITIVE))


def summed_targets(indicator: Indicator, period: Period, last: str) -> Reason:
    """Why ``kumulatif`` gives no capaian over several triwulan to an indicator whose
    satuan does not add up (its triwulan targets cannot be summed)."""
    return Reason(
        _(
            "the targets of {indicator} are in {unit}, which does not add up over triwulan,"
            " so 'kumulatif' cannot sum them for {period}; declare capaian_method ="
            ' "terakhir" for the indicator (against the target of {last}) or "tahunan"'
            " (against the annual target)"
        ).format(indicator=indicator.id, unit=indicator.unit, period=period.label, last=last),
        NOT_ADDITIVE,
    )
