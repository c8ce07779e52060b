"""Checks of the office and the cascade: ids unique, names not shadowing each other, every parent
existing and standing higher, no circles; a floor of capaian above 0."""

from __future__ import annotations

from iku_rules.ast import name_key
from iku_rules.capaian_policy import MET
from iku_rules.check.common import _at, _diagnostic
from iku_rules.i18n import _
from iku_rules.levels import RANKS
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import Definitions, Diagnostic, Location
from iku_rules.suggest import did_you_mean
from iku_rules.trace import format_decimal


def check_office(definitions: Definitions) -> list[Diagnostic]:
    office = definitions.office
    if office is None:
        return [
            _diagnostic(
                _("no file has an [office] table (id, name, plan_start, plan_end, units)"),
                None,
                definitions,
                code="missing-office",
            )
        ]
    found = []
    for word, year in (
        ("plan_start", office.plan_start),
        ("plan_end", office.plan_end),
        ("baseline_year", office.baseline_year),
    ):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            found.append(
                _diagnostic(
                    _("{key} = {year} is not a year from {first} to {last}").format(
                        key=word, year=year, first=MIN_YEAR, last=MAX_YEAR
                    ),
                    office.location,
                    definitions,
                    code="plan-year",
                )
            )
    if found:
        return found
    if office.plan_start and office.plan_end and office.plan_start > office.plan_end:
        found.append(
            _diagnostic(
                _("the plan starts in {start} but ends in {end}").format(
                    start=office.plan_start, end=office.plan_end
                ),
                office.location,
                definitions,
                code="plan",
            )
        )
    return found


def check_floor(definitions: Definitions) -> list[Diagnostic]:
    """A floor of capaian above 0 (``[rules] floor = 50``): every capaian below it is shown
    as the floor (:meth:`iku_rules.rules.base.Policy.apply`; the raw value only in
    ``policy_applied``), and its predikat is the floor's (:func:`iku_rules.assess.assess`
    grades the value shown): a realisasi of 10 against 100 reads 50 where it is 10, and a
    floor of 91 would show every target missed as Sangat Tinggi. No regulation floors
    capaian above 0 (applications floor at 0, clamp to 100 or cap at 200), so a report
    with such a floor flatters every target missed by far. A floor of 100 or more is an
    error of the loader (``policy-misstates``); 0 and below are not warned of."""
    rules = definitions.rules
    if rules is None or rules.floor is None or not 0 < rules.floor < MET:
        return []
    floor = format_decimal(rules.floor)
    return [
        _diagnostic(
            _(
                "a floor of {floor} in [rules] shows every capaian below {floor} as {floor}:"
                " a realisasi of {realisasi} against a target of 100 is shown as capaian"
                " {floor} (its raw {realisasi} only in a note) and given the predikat of {floor};"
                " no regulation floors capaian above 0, so the report would show every target"
                " missed by far as missed by less"
            ).format(floor=floor, realisasi=format_decimal(rules.floor / 5)),
            rules.floor_location or rules.location,
            definitions,
            severity="warning",
            suggestion=_(
                "write floor = 0, which shows only a negative capaian as 0, or remove floor"
                " to show every capaian as computed"
            ),
            code="floor-above-zero",
        )
    ]


def _twice(
    items: list[tuple[str, Location | None, str]], definitions: Definitions, code: str
) -> list[Diagnostic]:
    """Items (id, place, what) whose id was used before, each pointing at the first use.
    Ids are compared as formulas look names up (case ignored, spacing collapsed): a formula
    naming 'spm-ibu-hamil' would otherwise read 'SPM-Ibu-Hamil' of another element."""
    found = []
    first: dict[str, tuple[str, Location | None]] = {}
    for written, location, what in items:
        key = name_key(written)
        if key not in first:
            first[key] = (written, location)
            continue
        other, where = first[key]
        message = (
            _("the id '{id}' ({what}) is used twice; the first is at {first}")
            if other == written
            else _(
                "the id '{id}' ({what}) is the id '{other}' at {first} written otherwise;"
                " ids are matched ignoring case and spacing"
            )
        )
        found.append(
            _diagnostic(
                message.format(id=written, what=what, other=other, first=_at(where, definitions)),
                location,
                definitions,
                code=code,
            )
        )
    return found


def check_ids(definitions: Definitions) -> list[Diagnostic]:
    items: list[tuple[str, Location | None, str]] = []
    for element in definitions.elements:
        items.append((element.id, element.location, element.title))
        items.extend((i.id, i.location, _("indicator")) for i in element.indicators)
    return _twice(items, definitions, "duplicate-id")


def check_cascade(definitions: Definitions) -> list[Diagnostic]:
    found = []
    by_id = {element.id: element for element in definitions.elements}
    ids = list(by_id)
    in_cycle: set[str] = set()
    walked: dict[str, bool] = {}  # True while on the walk under way; False once done
    for element in definitions.elements:
        # Up the parents until an element walked before: each element is walked once.
        path: list[str] = []
        current = element
        while current.id not in walked:
            walked[current.id] = True
            path.append(current.id)
            above = current.parent
            if above is None or above not in by_id:
                break
            if walked.get(above):
                cycle = [*path[path.index(above) :], above]
                if not in_cycle & set(cycle):
                    found.append(
                        _diagnostic(
                            _("the cascade goes round in a circle: {cycle}").format(
                                cycle=" → ".join(cycle)
                            ),
                            element.parent_location or element.location,
                            definitions,
                            code="cycle",
                        )
                    )
                in_cycle.update(cycle)
                break
            current = by_id[above]
        walked.update(dict.fromkeys(path, False))
    for element in definitions.elements:
        if element.parent is None or element.id in in_cycle:
            continue  # a missing parent is reported where the file is read
        parent = by_id.get(element.parent)
        if parent is None:
            found.append(
                _diagnostic(
                    _("unknown parent '{parent}' of {level} '{id}'").format(
                        parent=element.parent, level=element.title, id=element.id
                    ),
                    element.parent_location or element.location,
                    definitions,
                    suggestion=did_you_mean(element.parent, ids),
                    code="unknown-parent",
                )
            )
        elif RANKS[parent.rank_key] >= RANKS[element.rank_key]:
            found.append(
                _diagnostic(
                    _(
                        "the parent of {level} '{id}' must stand higher in the cascade,"
                        " but '{parent}' is a {parent_level}"
                    ).format(
                        level=element.title,
                        id=element.id,
                        parent=parent.id,
                        parent_level=parent.title,
                    ),
                    element.parent_location or element.location,
                    definitions,
                    code="parent-level",
                )
            )
    return found
