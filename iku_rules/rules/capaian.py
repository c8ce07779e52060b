"""Capaian: realisasi against target, exact, by the method the polarity and the rule table
give, with the office's floor and cap, and the reason when it cannot be computed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal, overload

from attrs import frozen

from iku_rules.i18n import _, format_number
from iku_rules.model import Threshold
from iku_rules.reasons import DIVISION_BY_ZERO, NO_REALISASI, NO_TARGET, RULE_ERROR, Reason
from iku_rules.rules.base import (
    _HUNDRED,
    POLARITIES,
    Number,
    Polarity,
    Policy,
    Realisasi,
    RuleError,
    Target,
    _round,
    _show,
    _to_decimal,
)
from iku_rules.rules.series import _combine, _Inputs, _is_series, _methods, _single
from iku_rules.rules.tables import RuleTables, default_rules


@frozen
class CapaianResult:
    """A capaian with everything needed to explain it.

    ``value``
        The reported capaian: rounded, after the office policy; ``None`` when it cannot
        be computed (then ``reason`` says why in plain words).
    ``raw``
        The unrounded capaian before the policy (up to 50 digits; exact when it ends).
    ``method``
        The method used: ``standar``, ``selisih`` or ``rasio``, after the triwulan
        method when values were combined across triwulan (``kumulatif+standar``).
    ``policy_applied``
        What the office policy did, e.g. ``"capped at 200 (raw 250.00)"``, else ``None``.
    ``target_used``, ``realisasi_used``
        The target (the range bound or the sum) and the realisasi (the sum or the
        triwulan's value) the formula used. ``target_used`` is ``None`` when realisasi
        lies inside a range target: capaian is then 100 by definition.
    ``triwulan``
        The last reported triwulan used (1–4) when realisasi was given per triwulan.
    ``target_range``
        The range ``(low, high)`` compared with, when the target was a range.
    """

    value: Decimal | None
    raw: Decimal | None
    reason: str | None
    method: str
    polarity: str
    policy_applied: str | None = None
    target_used: Decimal | None = None
    realisasi_used: Decimal | None = None
    triwulan: int | None = None
    target_range: tuple[Decimal, Decimal] | None = None
    threshold: Threshold | None = None
    """The threshold target compared with (``< 70``), when the target was one."""
    threshold_met: bool | None = None
    """Whether realisasi met the threshold."""

    def explain(self) -> str:
        """One line in plain words.

        >>> print(capaian(85, 90, detail=True).explain())
        94.44 = 85 / 90 × 100 (standar)
        >>> print(capaian(25, 10, "negatif", detail=True).explain())
        -50.00 = (2 × 10 − 25) / 10 × 100 (selisih)
        >>> print(capaian([20, 30, 15], [25, 25, 25, 25], detail=True).explain())
        86.67 = 65 / 75 × 100 (kumulatif+standar, TW1–TW3)
        >>> print(capaian(50, "< 70", "negatif", detail=True).explain())
        100.00: realisasi 50 meets the target < 70 (selisih)
        >>> print(capaian(80, "< 70", "negatif", detail=True).explain())
        85.71 = (2 × 70 − 80) / 70 × 100 (selisih; the target < 70 is not met)
        """
        if self.value is None:
            return _("no capaian: {reason}").format(reason=self.reason)
        r = format(self.realisasi_used, "f") if self.realisasi_used is not None else "?"
        threshold = self.threshold
        if threshold is not None and self.threshold_met and self.target_used is None:
            text = _("{value}: realisasi {realisasi} meets the target {target}").format(
                value=self.value, realisasi=r, target=threshold
            )
        elif threshold is not None and self.target_used is None:
            text = _("{value}: realisasi {realisasi} does not meet the target {target}").format(
                value=self.value, realisasi=r, target=threshold
            )
        elif self.target_used is None and self.target_range is not None:
            low, high = (_show(bound) for bound in self.target_range)
            text = _(
                "{value}: realisasi {realisasi} is inside the target range {low}–{high}"
            ).format(value=self.value, realisasi=r, low=low, high=high)
        else:
            t = format(self.target_used, "f") if self.target_used is not None else "?"
            formula = self.method.rsplit("+", 1)[-1]
            if formula == "selisih":
                text = f"{self.value} = (2 × {t} − {r}) / {t} × 100"
            elif formula == "rasio":
                text = f"{self.value} = {t} / {r} × 100"
            else:
                text = f"{self.value} = {r} / {t} × 100"
        scope = ""
        if self.triwulan is not None:
            first = "TW1–" if not self.method.startswith("terakhir") else ""
            scope = f", {first}TW{self.triwulan}"
        if threshold is not None and self.target_used is not None:
            scope += "; " + (
                _("the target {target} is met")
                if self.threshold_met
                else _("the target {target} is not met")
            ).format(target=threshold)
        text += f" ({self.method}{scope})"
        if self.policy_applied:
            text += f"; {self.policy_applied}"
        return text


def _evaluate(
    realisasi: Realisasi,
    target: Target,
    polarity: str,
    method: str | Sequence[str] | None,
    policy: Policy | Mapping[str, Number | None] | None,
    rules: RuleTables | None,
) -> CapaianResult:
    tables = default_rules() if rules is None else rules
    if polarity not in POLARITIES:
        raise RuleError(
            _(
                "unknown polarity '{polarity}'; write 'positif' (higher is better) or "
                "'negatif' (lower is better)"
            ).format(polarity=polarity)
        )
    series = _is_series(realisasi)
    triwulan_method, formula = _methods(method, polarity, series, tables)
    method_name = f"{triwulan_method}+{formula}" if triwulan_method else formula
    if policy is None:
        chosen_policy = tables.policy
    elif isinstance(policy, Policy):
        chosen_policy = policy
    else:
        unknown = [key for key in policy if key not in ("floor", "cap")]
        if unknown:
            raise RuleError(
                _("unknown policy key '{key}'; a policy has 'floor' and 'cap'").format(
                    key=unknown[0]
                )
            )
        chosen_policy = Policy(floor=policy.get("floor"), cap=policy.get("cap"))

    if series:
        assert isinstance(realisasi, Sequence)
        assert triwulan_method is not None
        inputs = _combine(realisasi, target, triwulan_method)
    else:
        inputs = _single(realisasi, target)

    bounds = inputs.target
    target_range = (bounds.low, bounds.high) if bounds and bounds.low != bounds.high else None
    threshold = Threshold(bounds.op, bounds.low) if bounds and bounds.op else None  # type: ignore[arg-type]
    if threshold is not None and (polarity == "negatif") != threshold.lower_is_better:
        wanted = "negatif" if threshold.lower_is_better else "positif"
        raise RuleError(
            (
                _(
                    "the target {target} asks for low values, so its polarity is '{wanted}', not '{polarity}'"
                )
                if wanted == "negatif"
                else _(
                    "the target {target} asks for high values, so its polarity is '{wanted}', not '{polarity}'"
                )
            ).format(target=threshold, wanted=wanted, polarity=polarity)
        )

    def unavailable(reason: str) -> CapaianResult:
        return CapaianResult(
            value=None,
            raw=None,
            reason=reason,
            method=method_name,
            polarity=polarity,
            realisasi_used=inputs.realisasi,
            triwulan=inputs.triwulan,
            target_range=target_range,
            threshold=threshold,
        )

    if inputs.reason is not None:
        return unavailable(inputs.reason)
    r = inputs.realisasi
    if r is None:
        return unavailable(
            Reason(
                _("there is no {what}, so capaian cannot be computed").format(
                    what=(inputs.realisasi_words or _("realisasi")).removeprefix("the ")
                ),
                NO_REALISASI,
            )
        )
    if bounds is None:
        return unavailable(
            Reason(
                _("there is no {what}, so capaian cannot be computed").format(
                    what=(inputs.target_words or _("the target")).removeprefix("the ")
                ),
                NO_TARGET,
            )
        )

    met = threshold.met(r) if threshold is not None else None
    if threshold is not None and (
        (met and tables.threshold_met == "100") or (not met and tables.threshold_not_met == "0")
    ):
        exact: Fraction = _HUNDRED if met else Fraction(0)
        t: Decimal | None = None
    elif target_range is not None and bounds.low <= r <= bounds.high:
        exact = _HUNDRED
        t = None
    else:
        t = bounds.high if r > bounds.high else bounds.low
        if t == 0:
            which = ""
            if target_range is not None:
                which = " " + (
                    _("(its upper bound)") if t == bounds.high else _("(its lower bound)")
                )
            return unavailable(
                Reason(
                    _("{what} is 0, so capaian cannot be computed").format(
                        what=(inputs.target_words or _("the target")) + which
                    ),
                    DIVISION_BY_ZERO,
                )
            )
        if t < 0 or (formula == "rasio" and r < 0):
            return unavailable(_negative(t, r, formula, inputs))
        fr, ft = Fraction(r), Fraction(t)
        if formula == "standar":
            exact = fr * _HUNDRED / ft
        elif formula == "selisih":
            exact = (2 * ft - fr) * _HUNDRED / ft
        else:  # rasio
            if r == 0:
                return unavailable(
                    Reason(
                        _(
                            "{what} is 0, so capaian cannot be computed "
                            "with method 'rasio' (target / realisasi × 100)"
                        ).format(what=inputs.realisasi_words or _("realisasi")),
                        DIVISION_BY_ZERO,
                    )
                )
            exact = ft * _HUNDRED / fr
    rounded = _round(exact, tables.decimals)
    missed = met is False or (target_range is not None and t is not None and exact < _HUNDRED)
    below = _below_hundred(exact, rounded, tables.decimals) if missed else None
    value, applied = chosen_policy.apply(rounded if below is None else below[0], tables.decimals)
    applied = applied or (below[1] if below is not None else None)
    return CapaianResult(
        value=value,
        raw=_to_decimal(exact),
        reason=None,
        method=method_name,
        polarity=polarity,
        policy_applied=applied,
        target_used=t,
        realisasi_used=r,
        triwulan=inputs.triwulan,
        target_range=target_range,
        threshold=threshold,
        threshold_met=met,
    )


def _below_hundred(exact: Fraction, rounded: Decimal, decimals: int) -> tuple[Decimal, str] | None:
    """A target not met (a threshold, or a range missed) never shows capaian 100: rounded
    to 100, the capaian is the largest number below it at the table's decimals, and what
    was done says the raw value with the decimals it needs to stand below 100 (94.999
    against ``≥ 95`` is 99.9989…: 99.99, raw 99.999, never 100.00 beside "not met"; 95
    against ``> 95`` is 100 on the bound it must pass). None when the rounding stays below
    100."""
    if rounded < 100:
        return None
    places = decimals
    while exact < _HUNDRED and _round(exact, places) >= 100:
        places += 1  # ends: a number below 100 rounds below it at some decimals
    said = _("kept below 100, as the target is not met (raw {value})").format(
        value=format_number(_round(exact, places), group=False)
    )
    return _round(_HUNDRED - Fraction(1, 10**decimals), decimals), said


def _negative(t: Decimal, r: Decimal, formula: str, inputs: _Inputs) -> Reason:
    """Why capaian is not computed against a negative target (a worse realisasi would read
    as a better one), or by ``rasio`` from a negative realisasi (the share turns round)."""
    if t < 0:
        return Reason(
            _(
                "{what} is negative ({value}), so capaian cannot be computed: against a negative"
                " target a worse realisasi reads as a better one; write the target as a"
                " positive amount (a fall of 10 rather than -10)"
            ).format(what=inputs.target_words or _("the target"), value=_show(t)),
            RULE_ERROR,
        )
    return Reason(
        _(
            "{what} is negative ({value}), so capaian cannot be computed with method 'rasio'"
            " (target / realisasi × 100): a negative realisasi turns the share round"
        ).format(what=inputs.realisasi_words or _("realisasi"), value=_show(r)),
        RULE_ERROR,
    )


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: Literal[False] = False,
) -> Decimal | None: ...


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: Literal[True],
) -> CapaianResult: ...


@overload
def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: bool,
) -> Decimal | CapaianResult | None: ...


def capaian(
    realisasi: Realisasi,
    target: Target,
    polarity: Polarity = "positif",
    method: str | Sequence[str] | None = None,
    *,
    policy: Policy | Mapping[str, Number | None] | None = None,
    rules: RuleTables | None = None,
    detail: bool = False,
) -> Decimal | CapaianResult | None:
    """Capaian in percent of ``realisasi`` against ``target``, rounded half away from zero.

    ``realisasi``
        A number, ``None`` (not reported), or a list per triwulan (TW1 first) of numbers
        or ``None``.
    ``target``
        A number, a range ``(low, high)``, ``None`` (no target), or with realisasi per
        triwulan a list of per-triwulan targets (numbers, ranges or ``None``); a single
        number there is the annual target of method ``tahunan``.
    ``polarity``
        ``"positif"`` (higher is better: R / T × 100) or ``"negatif"`` (lower is better).
    ``method``
        ``"selisih"`` ((2T − R) / T × 100) or ``"rasio"`` (T / R × 100) for negative
        polarity; ``"kumulatif"``, ``"terakhir"`` or ``"tahunan"`` across triwulan; both
        joined by ``+`` (``"kumulatif+rasio"``) or as a list. ``None``: the table's defaults.
    ``policy``
        A :class:`Policy` (or ``{"floor": 0, "cap": 200}``) instead of the table's.
    ``rules``
        Rule tables instead of the shipped ones.
    ``detail``
        ``True``: a :class:`CapaianResult` with the raw value, the reason for ``None``,
        the method and the policy applied.

    Numbers may be ``int``, ``Decimal``, ``float`` (numpy's ``float64`` and ``int64`` too)
    or text as planners write them
    (``"55,33"``, ``"93%"``). Raises :class:`RuleError` for a call that cannot work
    (unknown method or polarity, a value that is not a number); data that does not allow a
    capaian (a target of 0, a missing value) gives ``None``.

    >>> capaian(142, 141), capaian(147, 736), capaian(6971, 7386)
    (Decimal('100.71'), Decimal('19.97'), Decimal('94.38'))
    >>> capaian([20, 30, 15, None], [25, 25, 25, 25], method="terakhir")
    Decimal('60.00')
    """
    result = _evaluate(realisasi, target, polarity, method, policy, rules)
    return result if detail else result.value
