"""Nilai AKIP: the sum of its components, each checked against its maximum."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from iku_rules.i18n import _
from iku_rules.rules.base import AkipComponent, Number, RuleError, _number, _round, _show
from iku_rules.rules.tables import RuleTables, _fold, default_rules
from iku_rules.suggest import closest


def nilai_akip(components: Mapping[str, Number], *, rules: RuleTables | None = None) -> Decimal:
    """The nilai AKIP: the sum of the evaluation components, each between 0 and its maximum.

    Every component of the table must be given, by its name or an alias (case and spacing
    do not matter). Raises :class:`RuleError` naming the component for an unknown, missing,
    repeated, negative or too high component.

    >>> nilai_akip({"Perencanaan": 30, "Pengukuran": 30, "Pelaporan": 15, "Evaluasi Internal": 25})
    Decimal('100.00')
    """
    tables = default_rules() if rules is None else rules
    by_name: dict[str, AkipComponent] = {}
    for component in tables.akip_components:
        for spelled in (component.name, *component.aliases):
            by_name[_fold(spelled)] = component
    given: dict[str, Decimal] = {}
    for name, raw in components.items():
        found = by_name.get(_fold(name))
        if found is None:
            near = closest(name, [c.name for c in tables.akip_components], n=1)
            known = ", ".join(f"'{c.name}'" for c in tables.akip_components)
            raise RuleError(
                _(
                    "unknown AKIP component '{name}' (did you mean '{near}'?);"
                    " the components are {known}"
                ).format(name=name, near=near[0], known=known)
                if near
                else _("unknown AKIP component '{name}'; the components are {known}").format(
                    name=name, known=known
                )
            )
        if found.name in given:
            raise RuleError(_("the AKIP component '{name}' is given twice").format(name=found.name))
        value = _number(raw, _("AKIP component '{name}'").format(name=found.name))
        if value < 0 or value > found.max:
            raise RuleError(
                _(
                    "AKIP component '{name}' is {value}; it must be between 0"
                    " and its maximum {maximum}"
                ).format(name=found.name, value=_show(value), maximum=_show(found.max))
            )
        given[found.name] = value
    missing = [c.name for c in tables.akip_components if c.name not in given]
    if missing:
        raise RuleError(
            _("the nilai AKIP needs every component; missing: {names}").format(
                names=", ".join(f"'{name}'" for name in missing)
            )
        )
    total = sum((Fraction(value) for value in given.values()), Fraction(0))
    return _round(total, tables.decimals)
