"""Triwulan targets that do not agree with the year's target, in the way the indicator's
method reads them (:func:`iku_rules.assess.targets`).

A year has two capaian in the reports: the year (``2026``, against the annual target) and
the year to date to TW4 (``2026-sd-TW4``, against the triwulan targets, as the trend shows
TW4). They are the same year, and must agree. Triwulan targets 10, 20, 30 and 50 (110)
beside an annual target of 100, with 90 reported over the year: the year is 90 / 100 =
90.00 and the year to date 90 / 110 = 81.82, in silence. How the year to date reads the
triwulan targets, as the assessment does:

* ``kumulatif`` over a satuan that adds up (a realisasi summed, a count of events, an
  input): the four triwulan targets summed, against the annual one;
* a level: ``terakhir`` (the last triwulan's value against its target), or a formula over
  registers that are states only (:func:`_level`, read as a level whatever the method):
  TW4's target, against the annual one;
* ``tahunan``: the year to date is compared with the annual target itself, and a single
  triwulan with its own target: the triwulan targets are never compared with the year's,
  so nothing is said;
* ``kumulatif`` over a satuan that does not add up (Persen, Indeks): the year to date has
  no capaian (its targets cannot be summed; ``targets-not-additive`` warns), and an
  additive formula that is not a level read ``terakhir`` has none either ("needs the
  realisasi of each triwulan"): one capaian for the year, nothing to disagree.

Only a year whose four triwulan targets are all given: with one missing, the year to date
to TW4 has no capaian ("there are no targets for every triwulan up to 2026-TW4"), so the
year has one, and a year to date to TW2 against the targets of TW1 and TW2 is no reading
of the year. No check warns of such a partial set: a year whose triwulan targets are being
written stays partial until TW4's is, and each year to date it covers is compared rightly.

Threshold and range targets are compared by their numbers, as the assessment sums them:
``≤ 3`` four times is ``≤ 12`` (against ``≤ 10``), ``20–25`` four times is ``80–100``
(against ``80–90``), a number beside a range adds to both its ends. Triwulan targets that
mix thresholds with numbers (or thresholds of different kinds) are not summed: the
assessment refuses them for every year to date (``rule-error``), so nothing is compared. A
threshold and a number of the same value (``≥ 95`` for the year, ``95`` for TW4) are not
warned of: they read every realisasi alike as met or missed, and differ only in how far
past the target counts (``[threshold] met = "100"``).

Triwulan targets that rise to the annual target as levels do, on a realisasi summed
(:func:`like_levels`), are told by ``targets-like-levels``: its fix (``terakhir``) is
another, and the year is not told twice.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Literal

from iku_rules import ast
from iku_rules.additive import adds_up, triwulan_method
from iku_rules.ast import name_key
from iku_rules.check.common import _diagnostic
from iku_rules.decimals import total
from iku_rules.i18n import _
from iku_rules.measures import inline_measures
from iku_rules.model import Definitions, Diagnostic, Indicator, Target, Threshold
from iku_rules.output import target_text

Reading = Literal["sum", "terakhir", "level"]
"""How a year to date reads the triwulan targets: summed (``kumulatif``), or the last one,
read ``terakhir`` or as a level (:func:`_level`)."""


def check_triwulan_targets(definitions: Definitions) -> list[Diagnostic]:
    """Each year whose four triwulan targets, read as the indicator's method reads them,
    are not its annual target: the year and its year to date to TW4 would have two
    capaian. Said at the year's target, once per indicator and year."""
    found = []
    names = FormulaNames(definitions)
    for indicator in definitions.indicators:
        reading = _reading(indicator, definitions, names)
        if reading is None:
            continue
        for year, annual in sorted(indicator.targets.items()):
            labels = [f"{year}-TW{quarter}" for quarter in (1, 2, 3, 4)]
            quarters = [indicator.triwulan_targets.get(label) for label in labels]
            given = [quarter for quarter in quarters if quarter is not None]
            if len(given) != 4 or like_levels(indicator, definitions, year) is not None:
                continue
            read = given[-1] if reading != "sum" else _summed(given)
            if read is None or _numbers(read) == _numbers(annual):
                continue
            found.append(_disagree(indicator, definitions, year, annual, given, read, reading))
    return found


def _disagree(
    indicator: Indicator,
    definitions: Definitions,
    year: int,
    annual: Target,
    quarters: list[Target],
    read: Target,
    reading: Reading,
) -> Diagnostic:
    words = {
        "id": indicator.id,
        "year": year,
        "annual": target_text(annual),
        "read": target_text(read),
        "targets": ", ".join(target_text(quarter) for quarter in quarters),
    }
    if reading == "sum":
        message = _(
            "the triwulan targets of indicator '{id}' for {year} ({targets}) add up to"
            " {read}, but its target for {year} is {annual}: read 'kumulatif', the year to"
            " date {year}-sd-TW4 is compared with {read} and the year {year} with {annual},"
            " two capaian for one year"
        )
        suggestion = _(
            "make the triwulan targets of {year} add up to {annual}, or its annual target {read}"
        )
    else:
        message = _(
            "the target of indicator '{id}' for {year}-TW4 is {read}, but its target for"
            " {year} is {annual}: read {how}, the year to date {year}-sd-TW4 is compared with"
            " {read} and the year {year} with {annual}, two capaian for one year"
        )
        suggestion = _(
            "make the target for {year}-TW4 {annual}, the level to reach by the year's end,"
            " or the annual target of {year} {read}"
        )
        words["how"] = (
            _("'terakhir' (the last triwulan's value, against its target)")
            if reading == "terakhir"
            else _("as a level (its formula counts registers as they stand at the period's end)")
        )
    return _diagnostic(
        message.format(**words),
        indicator.target_locations.get(year) or indicator.location,
        definitions,
        severity="warning",
        suggestion=suggestion.format(**words),
        code="triwulan-targets-disagree",
    )


class FormulaNames:
    """What a formula's names may be, by their key: the sources (by id), the registers, the
    measures, inputs, parameters and indicators. Found once for all the indicators a
    check looks at (built for each, they made checking grow with the square of the
    indicators)."""

    def __init__(self, definitions: Definitions) -> None:
        self.sources = {source.id: source for source in definitions.sources}
        self.registers = {name_key(s.id): s for s in definitions.sources if s.kind == "register"}
        self.measures = {measure.key: measure for measure in definitions.measures}
        self.inputs = {item.key for item in definitions.inputs}
        self.parameters = {parameter.key for parameter in definitions.parameters}
        self.indicators = {name_key(other.id): other for other in definitions.indicators}


def _reading(indicator: Indicator, definitions: Definitions, names: FormulaNames) -> Reading | None:
    """How the indicator's year to date reads its triwulan targets (as
    :func:`iku_rules.assess.targets` does), or None where it has no capaian against them
    or never compares them with the year's (``tahunan``)."""
    method = triwulan_method(indicator, definitions)
    if method == "tahunan":
        return None
    if not adds_up(indicator, definitions):
        return "terakhir" if method == "terakhir" else None
    if indicator.formula_kind == "realisasi":
        return "terakhir" if method == "terakhir" else "sum"
    if _level(indicator, names):
        return "level"
    return None if method == "terakhir" else "sum"


def _level(indicator: Indicator, names: FormulaNames) -> bool:
    """Whether the indicator's value is a level at the period's end, as the assessment
    finds from what the formula read (:func:`iku_rules.assess._level`), found here from
    the definitions: a formula that reads measures (named, or written over a register)
    that all count registers as states, and no input, other indicator or previous period
    (parameters may stand in it). Names are looked up as the engine does
    (:func:`iku_rules.reads.formula_reads`): measures, inputs, parameters, indicators."""
    formula = indicator.formula
    if formula is None or any(
        isinstance(node, ast.Call) and node.func == "sebelumnya" for node in ast.walk(formula.body)
    ):
        return False
    times: list[str | None] = [
        spec.time for _node, spec in inline_measures(formula.body, names.registers)
    ]
    for name in formula.names:
        measure = names.measures.get(name.key)
        if measure is not None:
            source = names.sources.get(measure.source)
            times.append(measure.time or (source.time if source is not None else None))
        elif name.key in names.inputs or (
            name.key not in names.parameters and name.key in names.indicators
        ):
            return False
    return bool(times) and all(time == "state" for time in times)


def like_levels(indicator: Indicator, definitions: Definitions, year: int) -> list[Decimal] | None:
    """The four triwulan targets of ``year`` when they rise to the annual target as levels
    reached do (10, 12, 13, 14 by each triwulan's end, 14 for the year, not adding up to
    it) on a realisasi summed over the triwulan (``kumulatif`` or ``tahunan``, in a satuan
    that adds up): what ``targets-like-levels`` warns of
    (:func:`iku_rules.check.targets.check_level_targets`). None otherwise."""
    if indicator.formula_kind != "realisasi" or not adds_up(indicator, definitions):
        return None
    if triwulan_method(indicator, definitions) == "terakhir":
        return None
    annual = indicator.targets.get(year)
    quarters = [indicator.triwulan_targets.get(f"{year}-TW{quarter}") for quarter in (1, 2, 3, 4)]
    numbers = [quarter for quarter in quarters if isinstance(quarter, Decimal)]
    if not isinstance(annual, Decimal) or len(numbers) != 4:
        return None
    rising = all(low <= high for low, high in pairwise(numbers))
    if not rising or numbers[-1] != annual or total(numbers) == annual:
        return None
    return numbers


def _summed(targets: list[Target]) -> Target | None:
    """The triwulan targets added up as the assessment adds them: thresholds of one kind
    to a threshold, numbers and ranges to a range (or a number); None where thresholds
    are mixed with numbers or with thresholds of another kind (refused there)."""
    kinds = {target.op if isinstance(target, Threshold) else None for target in targets}
    if len(kinds) > 1:
        return None
    op = kinds.pop()
    if op is not None:
        return Threshold(op, total(t.value for t in targets if isinstance(t, Threshold)))
    if not any(isinstance(target, tuple) for target in targets):
        return total(t for t in targets if isinstance(t, Decimal))
    low = total(
        t[0] if isinstance(t, tuple) else t for t in targets if not isinstance(t, Threshold)
    )
    high = total(
        t[1] if isinstance(t, tuple) else t for t in targets if not isinstance(t, Threshold)
    )
    return low, high


def _numbers(target: Target) -> tuple[Decimal, Decimal]:
    """A target's low and high number: a number twice, a range's ends, a threshold's
    value twice (its kind is not compared: see the module's docstring)."""
    if isinstance(target, tuple):
        return target
    if isinstance(target, Threshold):
        return target.value, target.value
    return target, target
