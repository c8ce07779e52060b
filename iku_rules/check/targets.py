"""Checks of units and targets: units from the office's list, target years inside the plan,
counted satuan given whole numbers, thresholds that can be met."""

from __future__ import annotations

from iku_rules.additive import adds_up, triwulan_method, unit_table
from iku_rules.check.common import _diagnostic, target_numbers, target_places
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
                    suggestion=_('add it under [satuan], e.g. {key} = "{meaning}"').format(
                        key=_toml_key(unit), meaning=unit.casefold()
                    ),
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
        for year in indicator.targets:
            if not start <= year <= end:
                found.append(
                    _diagnostic(
                        message.format(id=indicator.id, year=year, start=start, end=end),
                        indicator.target_locations.get(year, indicator.location),
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
