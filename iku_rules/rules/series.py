"""Realisasi and targets of several triwulan made into one pair to compare: kumulatif,
terakhir or tahunan, with ranges kept as ranges."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from attrs import frozen

from iku_rules.decimals import total as exact_sum
from iku_rules.i18n import _
from iku_rules.loader.values import parse_target
from iku_rules.model import THRESHOLD_SIGNS, Threshold
from iku_rules.reasons import MISSING_VALUES, NO_REALISASI, NO_TARGET, Reason
from iku_rules.rules.base import (
    FORMULA_METHODS,
    KNOWN_METHODS,
    MAX_TRIWULAN,
    TRIWULAN_METHODS,
    RuleError,
    _number,
    _show,
)
from iku_rules.rules.tables import RuleTables
from iku_rules.suggest import closest
from iku_rules.target import target_in_words


@frozen
class _Bounds:
    low: Decimal
    high: Decimal
    op: str | None = None
    """A threshold's operator (``<``, ``<=``, ``>``, ``>=``): then low = high = its value."""


def _is_series(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _target_item(value: object, what: str) -> _Bounds | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip()[:1] in ("<", ">", "≤", "≥", "="):
        try:
            value = parse_target(value)
        except ValueError as exc:
            raise RuleError(f"{what}: {exc}") from None
    worded = target_in_words(value) if isinstance(value, str) else None
    if worded is not None:  # "maks 5" is "≤ 5", never the number alone
        raise RuleError(f"{what}: {worded}")
    if isinstance(value, Threshold):
        return _Bounds(value.value, value.value, value.op)
    if _is_series(value):
        assert isinstance(value, Sequence)
        if len(value) != 2:
            raise RuleError(
                _("{what}: a range target is (low, high), not {count} values").format(
                    what=what, count=len(value)
                )
            )
        low = _number(value[0], _("{what}, low bound").format(what=what))
        high = _number(value[1], _("{what}, high bound").format(what=what))
        if low > high:
            raise RuleError(
                _("{what}: the range {low}–{high} has its low bound above its high bound").format(
                    what=what, low=_show(low), high=_show(high)
                )
            )
        return _Bounds(low, high)
    number = _number(value, what)
    return _Bounds(number, number)


def _methods(
    method: str | Sequence[str] | None, polarity: str, series: bool, rules: RuleTables
) -> tuple[str | None, str]:
    """The triwulan method (``None`` for a single value) and the formula method."""
    if method is None:
        names: list[str] = []
    elif isinstance(method, str):
        names = [part.strip().casefold() for part in method.split("+")]
    else:
        names = [str(part).strip().casefold() for part in method]
    for name in names:
        if name not in KNOWN_METHODS:
            near = closest(name, KNOWN_METHODS, n=1)
            known = _(
                "the known methods are 'standar' (positive polarity), 'selisih' and 'rasio'"
                " (negative polarity), and 'kumulatif', 'terakhir' and 'tahunan' (across triwulan)"
            )
            raise RuleError(
                _("unknown capaian method '{name}' (did you mean '{near}'?); {known}").format(
                    name=name, near=near[0], known=known
                )
                if near
                else _("unknown capaian method '{name}'; {known}").format(name=name, known=known)
            )
    triwulan = [name for name in names if name in TRIWULAN_METHODS]
    formula = [name for name in names if name not in TRIWULAN_METHODS]
    if len(triwulan) > 1:
        raise RuleError(
            _("choose one triwulan method, not {methods}").format(
                methods=_(" and ").join(map(repr, triwulan))
            )
        )
    if len(formula) > 1:
        raise RuleError(
            _("choose one capaian formula, not {methods}").format(
                methods=_(" and ").join(map(repr, formula))
            )
        )
    if triwulan and not series:
        raise RuleError(
            _(
                "method '{method}' combines values across triwulan, but realisasi is a "
                "single value; give realisasi as a list per triwulan"
            ).format(method=triwulan[0])
        )
    allowed = FORMULA_METHODS[polarity]
    if formula and formula[0] not in allowed:
        other = "negatif" if polarity == "positif" else "positif"
        choices = _(" or ").join(f"'{name}'" for name in allowed)
        raise RuleError(
            _(
                "method '{method}' is for polarity '{other}'; polarity '{polarity}' uses {choices}"
            ).format(method=formula[0], other=other, polarity=polarity, choices=choices)
        )
    default_formula = rules.negatif_default if polarity == "negatif" else "standar"
    chosen_triwulan = (triwulan[0] if triwulan else rules.triwulan_default) if series else None
    return chosen_triwulan, formula[0] if formula else default_formula


def _sum_bounds(items: Sequence[_Bounds]) -> _Bounds:
    ops = {item.op for item in items}
    if len(ops) > 1:
        shown = ", ".join(sorted(THRESHOLD_SIGNS.get(op or "", _("a number")) for op in ops))
        raise RuleError(
            _(
                "the targets to add up mix thresholds and numbers ({shown}); a threshold adds"
                " only to thresholds of the same kind"
            ).format(shown=shown)
        )
    return _Bounds(
        exact_sum(item.low for item in items),
        exact_sum(item.high for item in items),
        ops.pop() if ops else None,
    )


@frozen
class _Inputs:
    """What the formula compares, or why there is nothing to compare."""

    realisasi: Decimal | None = None
    target: _Bounds | None = None
    reason: str | None = None
    triwulan: int | None = None
    realisasi_words: str = ""
    """How messages name the realisasi used ("" for the realisasi as given)."""
    target_words: str = ""
    """How messages name the target used ("" for the target as given)."""


def _combine(realisasi: Sequence[object], target: object, method: str) -> _Inputs:
    """Realisasi and target across triwulan, by the triwulan method."""
    if not realisasi:
        raise RuleError(_("realisasi is an empty list; give one value (or None) per triwulan"))
    if len(realisasi) > MAX_TRIWULAN:
        raise RuleError(
            _("realisasi has {count} values; a year has {limit} triwulan").format(
                count=len(realisasi), limit=MAX_TRIWULAN
            )
        )
    values = [
        None if value is None else _number(value, _("realisasi for TW{i}").format(i=i))
        for i, value in enumerate(realisasi, start=1)
    ]
    annual: _Bounds | None = None
    targets: list[_Bounds | None] = []
    if _is_series(target):
        assert isinstance(target, Sequence)
        if len(target) > MAX_TRIWULAN:
            raise RuleError(
                _("target has {count} values; a year has {limit} triwulan").format(
                    count=len(target), limit=MAX_TRIWULAN
                )
            )
        targets = [
            _target_item(item, _("target for TW{i}").format(i=i))
            for i, item in enumerate(target, start=1)
        ]
    elif target is not None and method != "tahunan":
        raise RuleError(
            _(
                "method '{method}' needs a target per triwulan; a single target is the annual "
                "target of method 'tahunan'"
            ).format(method=method)
        )
    else:
        annual = _target_item(target, _("annual target"))
    targets += [None] * (MAX_TRIWULAN - len(targets))

    reported = [i for i, value in enumerate(values) if value is not None]
    if not reported:
        return _Inputs(
            reason=Reason(_("no realisasi has been reported for any triwulan yet"), NO_REALISASI)
        )
    last = reported[-1]
    tw = last + 1
    if method == "terakhir":
        return _Inputs(
            realisasi=values[last],
            target=targets[last],
            triwulan=tw,
            realisasi_words=_("the TW{triwulan} realisasi").format(triwulan=tw),
            target_words=_("the TW{triwulan} target").format(triwulan=tw),
        )
    span = "TW1" if tw == 1 else f"TW1–TW{tw}"
    for i in range(last):
        if values[i] is None:
            return _Inputs(
                reason=Reason(
                    _(
                        "the realisasi for TW{missing} is missing, so realisasi cannot be "
                        "summed up to TW{triwulan} and capaian cannot be computed"
                    ).format(missing=i + 1, triwulan=tw),
                    MISSING_VALUES,
                ),
                triwulan=tw,
            )
    total = exact_sum(value for value in values[: last + 1] if value is not None)
    realisasi_words = _("the realisasi summed over {span}").format(span=span)
    if method == "kumulatif":
        for i in range(tw):
            if targets[i] is None:
                return _Inputs(
                    reason=Reason(
                        _(
                            "there is no target for TW{triwulan}, so capaian cannot be computed"
                        ).format(triwulan=i + 1),
                        NO_TARGET,
                    ),
                    triwulan=tw,
                )
        summed = _sum_bounds([item for item in targets[:tw] if item is not None])
        return _Inputs(
            realisasi=total,
            target=summed,
            triwulan=tw,
            realisasi_words=realisasi_words,
            target_words=_("the target summed over {span}").format(span=span),
        )
    # tahunan
    if annual is None and _is_series(target):
        for i, item in enumerate(targets, start=1):
            if item is None:
                return _Inputs(
                    reason=Reason(
                        _(
                            "the annual target is the sum of the four triwulan targets, but "
                            "there is no target for TW{triwulan}, so capaian cannot be computed"
                        ).format(triwulan=i),
                        NO_TARGET,
                    ),
                    triwulan=tw,
                )
        annual = _sum_bounds([item for item in targets if item is not None])
    return _Inputs(
        realisasi=total,
        target=annual,
        triwulan=tw,
        realisasi_words=realisasi_words,
        target_words=_("the annual target"),
    )


def _single(realisasi: object, target: object) -> _Inputs:
    if _is_series(target):
        assert isinstance(target, Sequence)
        if len(target) != 2:
            raise RuleError(
                _(
                    "target has {count} values but realisasi is a single value; give "
                    "realisasi per triwulan as a list, or a range target as (low, high)"
                ).format(count=len(target))
            )
    return _Inputs(
        realisasi=None if realisasi is None else _number(realisasi, "realisasi"),
        target=_target_item(target, "target"),
    )
