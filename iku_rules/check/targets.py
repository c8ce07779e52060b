"""Checks of units and targets: units from the office's list, target years inside the plan,
counted satuan given whole numbers, thresholds that can be met."""

from __future__ import annotations

import re
from decimal import Decimal

from iku_rules import ast, satuan
from iku_rules.additive import TRIWULAN_METHODS, adds_up, method_part, triwulan_method, unit_table
from iku_rules.ast import name_key
from iku_rules.check.common import _diagnostic, target_numbers, target_places
from iku_rules.check.triwulan_targets import FormulaNames, like_levels
from iku_rules.dependencies import names
from iku_rules.i18n import _
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import (
    Definitions,
    Diagnostic,
    Indicator,
    Location,
    Target,
    Threshold,
)
from iku_rules.satuan import UnitTable, quotient
from iku_rules.suggest import did_you_mean
from iku_rules.trace import format_decimal


def check_units(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    allowed = office.units if office is not None and office.units else None
    found = []
    things: list[tuple[str | None, Location | None, str]] = []
    things += [
        (i.unit, i.location, _("indicator '{id}'").format(id=i.id)) for i in definitions.indicators
    ]
    things += [
        (m.unit, m.location, _("measure '{name}'").format(name=m.name))
        for m in definitions.measures
    ]
    things += [
        (i.unit, i.location, _("input '{name}'").format(name=i.name)) for i in definitions.inputs
    ]
    things += [
        (p.unit, p.location, _("parameter '{name}'").format(name=p.name))
        for p in definitions.parameters
    ]
    table = unit_table(definitions)
    unknown: set[str] = set()
    for indicator in definitions.indicators:
        problem = _misspelled_kind(indicator, table, definitions)
        if problem is not None:
            found.append(problem)
            unknown.add(indicator.unit)
    for unit, location, what in things:
        if unit is not None and not table.knows(unit) and unit not in unknown:
            unknown.add(unit)
            found.append(
                _diagnostic(
                    _(
                        "the unit table does not say what the satuan '{unit}' of {what} counts,"
                        " so formulas using it cannot be checked"
                    ).format(unit=unit, what=what),
                    location,
                    definitions,
                    severity="warning",
                    suggestion=_unknown_unit_fix(unit),
                    code="unit",
                )
            )
        if unit is not None and allowed is not None and unit not in allowed:
            found.append(
                _diagnostic(
                    _("the unit '{unit}' of {what} is not one of the office's units").format(
                        unit=unit, what=what
                    ),
                    location,
                    definitions,
                    suggestion=did_you_mean(unit, allowed) or _("add it to 'units' in [office]"),
                    code="office-unit",
                )
            )
    return found


_PERCENT_WORD = re.compile(r"%|\b(persen|prosen|percent)", re.IGNORECASE)
_RATE_INSIDE = re.compile(r"\bper\s+([0-9][0-9., ]*[0-9]|[0-9])\s+\S.*", re.IGNORECASE)


def _misspelled_kind(
    indicator: Indicator, table: UnitTable, definitions: Definitions
) -> Diagnostic | None:
    """An indicator whose satuan reads as a percentage or a rate (``Persentase``,
    ``Persen (%)``, a [satuan] entry ``Persentase = "persen"``, ``Rasio per 1.000
    penduduk``) but is not taken as one: its formula would not be held to give a
    percentage (× 100%) or to scale its ratio (× 1.000), and a fraction 0,33 would be
    reported against a target of 35 in silence."""
    unit = indicator.unit
    if indicator.is_percent or satuan.rate(unit) is not None:
        return None
    what = _("indicator '{id}'").format(id=indicator.id)
    meanings = {" ".join(k.split()).casefold(): v for k, v in table.entries.items()}
    key = " ".join(unit.split()).casefold()
    if meanings.get(key) == "persen" or (key not in meanings and _PERCENT_WORD.search(unit)):
        return _diagnostic(
            _(
                "the satuan '{unit}' of {what} reads as a percentage, but only \"Persen\" and"
                ' "%" are taken as one: a formula that gives a fraction (0,33 for 33 %) would'
                " not be refused"
            ).format(unit=unit, what=what),
            indicator.unit_location or indicator.location,
            definitions,
            suggestion=_('write unit = "Persen"'),
            code="satuan-kind",
        )
    inside = _RATE_INSIDE.search(" ".join(unit.split()))
    if inside is not None and satuan.rate(inside.group(0)) is not None:
        written = satuan.rate(inside.group(0))
        assert written is not None
        return _diagnostic(
            _(
                "the satuan '{unit}' of {what} names a rate per {scale}, but only a satuan that"
                " starts with 'per' is taken as one: a formula that does not scale its ratio"
                " by {scale} would not be refused"
            ).format(unit=unit, what=what, scale=written.scale_text),
            indicator.unit_location or indicator.location,
            definitions,
            suggestion=_('write unit = "{rate}"').format(rate=inside.group(0)),
            code="satuan-kind",
        )
    return None


def _unknown_unit_fix(unit: str) -> str:
    """How to tell the unit table what ``unit`` counts: for a satuan ``<A> per <B>``, what
    each part counts (an entry for the whole would never match a formula's A / B)."""
    parts = quotient(unit)
    if parts is not None:
        return _(
            'add each of its parts under [satuan], e.g. {left} = "{left_meaning}" and'
            " {right} = \"{right_meaning}\": '{unit}' then counts what {left} counts divided"
            " by what {right} counts"
        ).format(
            left=_toml_key(parts[0]),
            left_meaning=parts[0].casefold(),
            right=_toml_key(parts[1]),
            right_meaning=parts[1].casefold(),
            unit=unit,
        )
    return _('add it under [satuan], e.g. {key} = "{meaning}"').format(
        key=_toml_key(unit), meaning=unit.casefold()
    )


def _toml_key(text: str) -> str:
    """``text`` as a TOML key: bare when it can be, quoted otherwise."""
    if text and all(c.isascii() and (c.isalnum() or c in "-_") for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_targets(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    start, end = MIN_YEAR, MAX_YEAR
    message = _(
        "indicator '{id}' has a target for {year}, outside the years allowed ({start}–{end})"
    )
    if office is not None and office.plan_start is not None and office.plan_end is not None:
        start, end = max(office.plan_start, MIN_YEAR), min(office.plan_end, MAX_YEAR)
        message = _("indicator '{id}' has a target for {year}, outside the plan ({start}–{end})")
    found = []
    for indicator in definitions.indicators:
        # A triwulan target (2031-TW1) outside the plan is as much a mistake as a year's:
        # the triwulan meant (2026-TW1) would otherwise have no target, in silence.
        for period, _target, location in target_places(indicator):
            if not start <= int(period[:4]) <= end:
                found.append(
                    _diagnostic(
                        message.format(id=indicator.id, year=period, start=start, end=end),
                        location or indicator.location,
                        definitions,
                        code="target-year",
                    )
                )
    return found


def check_whole_numbers(definitions: Definitions) -> list[Diagnostic]:
    """A baseline or target of an indicator in a satuan that counts things one by one
    (``Orang``, ``Dokumen``, ``Jumlah`` …) is a whole number: ``23.5`` Orang is a mistake,
    most often ``23.500`` read in the wrong notation."""
    table = unit_table(definitions)
    found = []
    for indicator in definitions.indicators:
        if not table.counts(indicator.unit):
            continue
        places: list[tuple[str, str, Target, Location | None]] = []
        if indicator.baseline is not None:
            places.append(
                (
                    _(
                        "the baseline of indicator '{id}' is {value}, but its satuan '{unit}'"
                        " counts things one by one, so it must be a whole number"
                    ),
                    "",
                    indicator.baseline,
                    indicator.baseline_location,
                )
            )
        per_target = _(
            "the target for {period} of indicator '{id}' is {value}, but its satuan '{unit}'"
            " counts things one by one, so it must be a whole number"
        )
        places += [(per_target, *place) for place in target_places(indicator)]
        for message, period, target, location in places:
            broken = [n for n in target_numbers(target) if n != n.to_integral_value()]
            if broken:
                found.append(
                    _diagnostic(
                        message.format(
                            id=indicator.id,
                            period=period,
                            value=format_decimal(broken[0]),
                            unit=indicator.unit,
                        ),
                        location or indicator.location,
                        definitions,
                        suggestion=_(
                            "if '.' groups thousands there (23.500 is 23500), write the"
                            ' number without it, or declare notation = "id" under [office]'
                        ),
                        code="whole-number",
                    )
                )
    return found


def check_negative_targets(definitions: Definitions) -> list[Diagnostic]:
    """A target below 0 gives no capaian: against it, realisasi / target × 100 (and
    selisih) read a worse realisasi as a better one. Said once per indicator, where the
    first such target is written."""
    found = []
    for indicator in definitions.indicators:
        for period, target, location in target_places(indicator):
            below = [number for number in target_numbers(target) if number < 0]
            if below:
                found.append(
                    _diagnostic(
                        _(
                            "indicator '{id}' has the negative target {value} for {period}:"
                            " no capaian is computed against it (a worse realisasi would"
                            " read as a better one)"
                        ).format(id=indicator.id, value=format_decimal(below[0]), period=period),
                        location or indicator.location,
                        definitions,
                        severity="warning",
                        suggestion=_(
                            "write the target as a positive amount (a fall of 10 rather than"
                            " -10), with the indicator's polarity saying which way is better"
                        ),
                        code="negative-target",
                    )
                )
                break
    return found


def check_thresholds(definitions: Definitions) -> list[Diagnostic]:
    """A threshold target says which way is better (``< 70``: lower), and so must the
    indicator's polarity: capaian against a threshold follows the polarity."""
    found = []
    for indicator in definitions.indicators:
        targets = [*indicator.targets.values(), *indicator.triwulan_targets.values()]
        for target in targets:
            if not isinstance(target, Threshold):
                continue
            wanted = "negatif" if target.lower_is_better else "positif"
            if indicator.polarity != wanted:
                found.append(
                    _diagnostic(
                        (
                            _(
                                "indicator '{id}' has the threshold target '{target}', which"
                                " asks for a low value, but its polarity is {polarity}"
                            )
                            if wanted == "negatif"
                            else _(
                                "indicator '{id}' has the threshold target '{target}', which"
                                " asks for a high value, but its polarity is {polarity}"
                            )
                        ).format(id=indicator.id, target=target, polarity=indicator.polarity),
                        indicator.location,
                        definitions,
                        suggestion=_('write polarity = "{polarity}"').format(polarity=wanted),
                        code="threshold",
                    )
                )
                break
    return found


def check_realisasi_units(definitions: Definitions) -> list[Diagnostic]:
    """An indicator in a satuan that does not add up (a percentage, a score or an index, a
    rate) read over several triwulan by ``kumulatif`` or ``tahunan``: a realisasi of
    several triwulan has no value (45 % and 50 % do not make 95 %), and ``kumulatif``
    gives a year to date no capaian (targets of 40 % and 40 % are not a target of 80 %);
    see :mod:`iku_rules.additive`."""
    found = []
    for indicator in definitions.indicators:
        if adds_up(indicator, definitions):
            continue
        method = triwulan_method(indicator, definitions)
        unit = indicator.unit or "%"
        if indicator.formula_kind == "realisasi" and method != "terakhir":
            message = _(
                "indicator '{id}' takes its realisasi in {unit}, which does not add up: a"
                " year, or a year to date, of several triwulan reported has no value (45 % and"
                " 50 % do not make 95 %)"
            ).format(id=indicator.id, unit=unit)
            found.append(
                _not_additive(message, indicator, definitions, code="realisasi-not-additive")
            )
        elif indicator.triwulan_targets and method == "kumulatif":
            message = _(
                "indicator '{id}' has triwulan targets in {unit}, which do not add up:"
                " 'kumulatif' gives a year to date no capaian (targets of 40 % and 40 % are"
                " not a target of 80 %)"
            ).format(id=indicator.id, unit=unit)
            found.append(
                _not_additive(message, indicator, definitions, code="targets-not-additive")
            )
    return found


def _not_additive(
    message: str, indicator: Indicator, definitions: Definitions, *, code: str
) -> Diagnostic:
    return _diagnostic(
        message,
        indicator.formula_location or indicator.location,
        definitions,
        severity="warning",
        suggestion=_(
            'declare capaian_method = "terakhir" for the indicator, to read the last triwulan'
            " reported and its target"
        ),
        code=code,
    )


def check_level_targets(definitions: Definitions) -> list[Diagnostic]:
    """Triwulan targets that rise to the annual target, as levels reached do (10, 12, 13,
    14 PSKS registered by each triwulan's end, 14 for the year), of an indicator whose
    realisasi is summed over the triwulan (``kumulatif`` or ``tahunan``, in a satuan that
    adds up): reported as levels too, its realisasi would be added up, 10 + 12 + 13 + 14 =
    49 against 14 for the year, 350 %, Sangat Tinggi. Said once per indicator, at the
    last triwulan's target; a formula over registers that are states is read as a level
    already (:func:`iku_rules.assess._level`)."""
    found = []
    for indicator in definitions.indicators:
        for year, annual in sorted(indicator.targets.items()):
            numbers = like_levels(indicator, definitions, year)
            if numbers is None or not isinstance(annual, Decimal):
                continue
            method = triwulan_method(indicator, definitions)
            message = _(
                "the triwulan targets of indicator '{id}' for {year} ({targets}) rise to the"
                " annual target {annual}, as levels reached do, but its realisasi is summed"
                " over the triwulan ('{method}'): reported as levels too, they would be added"
                " up ({total} for the year against {annual})"
            ).format(
                id=indicator.id,
                year=year,
                targets=", ".join(format_decimal(number) for number in numbers),
                annual=format_decimal(annual),
                method=method,
                total=format_decimal(sum(numbers, Decimal(0))),
            )
            location = indicator.triwulan_locations.get(f"{year}-TW4") or indicator.location
            found.append(
                _diagnostic(
                    message,
                    location,
                    definitions,
                    severity="warning",
                    suggestion=_(
                        'declare capaian_method = "terakhir" if the realisasi is the level'
                        " reached by each triwulan's end; else write each triwulan's own part"
                        " (they then add up to {annual})"
                    ).format(annual=format_decimal(annual)),
                    code="targets-like-levels",
                )
            )
            break
    return found


def check_annual_to_date(definitions: Definitions) -> list[Diagnostic]:
    """An indicator where lower is better, read ``tahunan``, whose value to date grows
    (:func:`_so_far`): a year to date short of the year (``2026-sd-TW1``) is compared with
    the whole year's target (:mod:`iku_rules.assess`), 2 cases by TW1 against 10 read 180 %.
    A single triwulan is compared with its own triwulan target, never the year's."""
    found = []
    lookup = FormulaNames(definitions)
    for indicator in definitions.indicators:
        if indicator.polarity != "negatif" or triwulan_method(indicator, definitions) != "tahunan":
            continue
        if not _so_far(indicator, definitions, set(), lookup):
            continue
        counts = adds_up(indicator, definitions)
        formula = method_part(indicator.capaian_method, ("selisih", "rasio"))
        fix = ("kumulatif" if counts else "terakhir") + (f"+{formula}" if formula else "")
        suggestion = (
            _(
                'declare capaian_method = "{method}" for the indicator: its value to date is'
                " then compared with its triwulan targets to date"
            )
            if indicator.triwulan_targets
            else _(
                "give the indicator triwulan_targets ({what}) and declare capaian_method ="
                ' "{method}": its value to date is then compared with the targets to date'
            )
        ).format(
            method=fix,
            what=_("each triwulan's own part of the year's target")
            if counts
            else _("the value allowed by the end of each triwulan"),
        )
        own = method_part(indicator.capaian_method, TRIWULAN_METHODS) is not None
        found += [
            _diagnostic(
                _(
                    "indicator '{id}' is read 'tahunan' ({where}) and lower is better (polarity"
                    " negatif): for a year to date short of the year (sd-TW1 to sd-TW3) its value so"
                    " far is compared with the whole year's target, so a year not yet over reads as"
                    " met (by 'selisih', 2 cases by TW1 against 10 for the year give capaian 180 %)"
                ).format(
                    id=indicator.id,
                    where=_("its capaian_method") if own else _("the office's [rules] triwulan"),
                ),
                indicator.location,
                definitions,
                severity="warning",
                suggestion=suggestion,
                code="tahunan-negatif",
            )
        ]
    return found


def _so_far(
    indicator: Indicator, definitions: Definitions, seen: set[str], lookup: FormulaNames
) -> bool:
    """Whether the indicator's value to date grows as the year goes on: a realisasi of a
    count summed over the triwulan; a count of events dated within the period (a flow, or
    values per triwulan or month summed); a ratio of such a count over what does not grow
    (cases per 1.000 penduduk). Not a level (a register's state), an input for the year,
    nor a ratio of two counts that both grow (deaths over births of the same months)."""
    if indicator.id in seen:
        return False  # a circle, refused by the checks of formulas
    seen.add(indicator.id)
    if indicator.formula is None:
        return indicator.formula_kind == "realisasi" and adds_up(indicator, definitions)
    if adds_up(indicator, definitions):
        return _grows(indicator.formula.body, definitions, seen, lookup)
    above, below, before = indicator.numerator, indicator.denominator, set(seen)
    return (
        above is not None
        and below is not None
        and _grows(above, definitions, seen, lookup)
        and not _grows(below, definitions, before, lookup)
    )


def _grows(node: ast.Node, definitions: Definitions, seen: set[str], lookup: FormulaNames) -> bool:
    """Whether ``node`` reads a value that grows over the year (:func:`_so_far`)."""
    for name in names(node):
        measure = lookup.measures.get(name.key)
        source = lookup.registers.get(name_key(measure.source) if measure else name.key)
        time = (measure.time if measure else None) or (source.time if source else None)
        if source is not None and (
            (time == "flow" and source.date_column)
            or (time == "period" and source.grain is not None and source.grain.unit != "year")
        ):
            return True
        other = lookup.indicators.get(name.key)
        if other is not None and _so_far(other, definitions, seen, lookup):
            return True
    return False
