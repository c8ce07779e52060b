"""Checks of the office and the cascade: ids unique, names not shadowing each other, every parent
existing and standing higher, no circles."""

from __future__ import annotations

from iku_rules.ast import name_key
from iku_rules.check.common import _at, _diagnostic
from iku_rules.i18n import _
from iku_rules.levels import RANKS
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.model import Definitions, Diagnostic, Location
from iku_rules.suggest import did_you_mean


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
