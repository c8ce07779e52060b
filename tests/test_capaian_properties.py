"""Properties of capaian, predikat and nilai AKIP over the shipped rule tables and every
variant of their settings, every capaian method and every kind of target, with exact
Decimals.

A flattering wrong capaian is the worst mistake the rules can make, so these hold the
public API (:func:`iku_rules.capaian`, :func:`iku_rules.predikat`,
:func:`iku_rules.nilai_akip`) to what the README promises: capaian moves with realisasi
and against the target as the polarity says, a met threshold never scores below a missed
one, predikat is a function of the capaian as shown, the policy comes last and never
makes a miss read as met, and what is not available stays so. ``IKU_CAPAIAN_EXAMPLES``
sets the examples per property (thousands locally, with ``--hypothesis-seed``)."""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from attrs import evolve
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iku_rules import capaian, predikat
from iku_rules.model import Threshold
from iku_rules.reasons import code_of
from iku_rules.rules import RuleTables
from iku_rules.testing.strategies import (
    CapaianTarget,
    capaian_targets,
    capaian_values,
    rule_tables,
)

D = Decimal
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
EXAMPLES = settings(
    max_examples=int(os.environ.get("IKU_CAPAIAN_EXAMPLES", "150")),  # 5000 and more locally
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
POLARITY = st.sampled_from(["positif", "negatif"])
RULE_TABLES = resources.files("iku_rules") / "rule_tables"
HUNDRED = D(100)


def _formula(polarity: str, tables: RuleTables) -> str:
    return tables.negatif_default if polarity == "negatif" else "standar"


def _met(realisasi: Decimal, polarity: str) -> bool:
    """Whether a capaian reads as the target met: 100 or more."""
    return realisasi >= HUNDRED


def _rank(value: Decimal, scale: str, tables: RuleTables) -> int:
    """The band's place in its scale: 0 is the best."""
    labels = [band.label for band in tables.scale(scale).bands]
    return labels.index(predikat(value, scale, rules=tables))


def _better_or_equal(first: Decimal | None, second: Decimal | None, polarity: str) -> bool:
    """Whether ``first`` is at least as good a realisasi as ``second`` for ``polarity``."""
    assert first is not None and second is not None
    return first >= second if polarity == "positif" else first <= second


def _target_values(target: CapaianTarget) -> list[Decimal]:
    if isinstance(target, Threshold):
        return [target.value]
    if isinstance(target, tuple):
        return list(target)
    return [target]


def _near(target: CapaianTarget) -> st.SearchStrategy[Decimal]:
    """Realisasi on, and a hair's breadth either side of, each value of ``target``."""
    hair = D("0.0001")
    return st.sampled_from([v + d for v in _target_values(target) for d in (-hair, 0, hair)])


def _realisasi(data: st.DataObject, target: CapaianTarget) -> Decimal:
    return data.draw(st.one_of(capaian_values(), _near(target)))


def _expected(
    realisasi: Decimal | None, target: CapaianTarget | None, polarity: str, tables: RuleTables
) -> Decimal | None:
    """Capaian written out from the README, independently of the engine's code: the
    polarity's formula against the number, the range's nearer bound or the threshold's
    value; 100 inside a range; a threshold met or not as ``[threshold]`` says; none for
    a missing value, a target of 0 or below, and ``rasio`` from a realisasi of 0 or below;
    rounded half away from zero, kept below 100 when the threshold or range is missed,
    then floored and capped."""
    if realisasi is None or target is None:
        return None
    formula = _formula(polarity, tables)
    r = Fraction(realisasi)
    exact: Fraction | None = None
    missed = False
    if isinstance(target, Threshold):
        met = target.met(realisasi)
        missed = not met
        if met and tables.threshold_met == "100":
            exact = Fraction(100)
        elif not met and tables.threshold_not_met == "0":
            exact = Fraction(0)
        t = Fraction(target.value)
    elif isinstance(target, tuple):
        low, high = target
        if low != high and low <= realisasi <= high:
            exact = Fraction(100)
        missed = low != high and exact is None  # a range of one number is that number
        t = Fraction(high if realisasi > high else low)
    else:
        t = Fraction(target)
    if exact is None:
        if t <= 0 or (formula == "rasio" and r <= 0):
            return None
        if formula == "standar":
            exact = r / t * 100
        elif formula == "selisih":
            exact = (2 * t - r) / t * 100
        else:
            exact = t / r * 100
    scaled = abs(exact) * 10**tables.decimals
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    value = D(whole if exact >= 0 else -whole).scaleb(-tables.decimals)
    if missed and exact <= 100 and value >= 100:  # a miss never reads 100
        value = D(100) - D(1).scaleb(-tables.decimals)
    floor, cap = tables.policy.floor, tables.policy.cap
    if floor is not None and value < floor:
        value = floor
    elif cap is not None and value > cap:
        value = cap
    return value.quantize(D(1).scaleb(-tables.decimals))


# --- one realisasi against one target ----------------------------------------------------


@EXAMPLES
@given(st.data(), POLARITY, rule_tables())
def test_capaian_is_the_readme_formula(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    target = data.draw(capaian_targets(polarity))
    r = _realisasi(data, target)
    got = capaian(r, target, polarity, rules=tables)
    assert got == _expected(r, target, polarity, tables)
    if got is not None:
        assert got.as_tuple().exponent == -tables.decimals


@EXAMPLES
@given(st.data(), POLARITY, rule_tables())
def test_a_better_realisasi_never_scores_lower(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    target = data.draw(capaian_targets(polarity))
    first, second = _realisasi(data, target), _realisasi(data, target)
    better, worse = (
        (first, second) if _better_or_equal(first, second, polarity) else (second, first)
    )
    good = capaian(better, target, polarity, rules=tables, detail=True)
    bad = capaian(worse, target, polarity, rules=tables, detail=True)
    if good.value is None or bad.value is None:
        return  # when each is available is test_not_available_is_never_a_number's
    assert good.value >= bad.value, (better, worse, good, bad)
    assert _rank(good.value, "capaian", tables) <= _rank(bad.value, "capaian", tables)
    if isinstance(target, Threshold) and good.threshold_met and not bad.threshold_met:
        assert good.value >= bad.value


@EXAMPLES
@given(st.data(), POLARITY, rule_tables())
def test_a_met_threshold_never_scores_below_a_missed_one(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    ops = ("<", "<=") if polarity == "negatif" else (">", ">=")
    op = data.draw(st.sampled_from(ops))
    threshold = Threshold(op, data.draw(capaian_values()))  # type: ignore[arg-type]
    hair = D("0.0001")
    steps = st.one_of(st.sampled_from([D(0), hair]), capaian_values(low=0))
    # on the threshold's value, a strict one is missed and an inclusive one met
    onto, beyond = data.draw(steps), data.draw(steps)
    toward = 1 if polarity == "positif" else -1
    met = threshold.value + toward * (onto + (hair if op in ("<", ">") else 0))
    missed = threshold.value - toward * (beyond + (0 if op in ("<", ">") else hair))
    assert threshold.met(met) and not threshold.met(missed)
    good = capaian(met, threshold, polarity, rules=tables)
    bad = capaian(missed, threshold, polarity, rules=tables)
    if good is not None and bad is not None:
        assert good >= bad
    if bad is not None and tables.policy.floor is not None and tables.policy.floor < 100:
        assert bad <= max(HUNDRED, tables.policy.floor)


@EXAMPLES
@given(st.data(), POLARITY, rule_tables())
def test_a_harder_target_never_scores_higher(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    # A realisasi of 0 or more: a negative one turns every ratio round (-5 of 10 is -50 %,
    # of 20 -25 %), which is the formula's, not a choice of the rules.
    values = capaian_values(low=0)
    r = data.draw(values)
    kind = data.draw(st.sampled_from(["number", "range", "threshold"]))
    shift = data.draw(st.decimals(min_value=0, max_value=500, places=4))
    sign = 1 if polarity == "positif" else -1
    easy: CapaianTarget
    hard: CapaianTarget
    if kind == "number":
        easy = data.draw(values)
        hard = easy + sign * shift
    elif kind == "range":
        low, high = sorted((data.draw(values), data.draw(values)))
        other = data.draw(st.decimals(min_value=0, max_value=500, places=4))
        easy = (low, high)
        hard = (low + sign * shift, high + sign * other)
        assume(hard[0] <= hard[1])
    else:
        op = data.draw(st.sampled_from(("<", "<=") if polarity == "negatif" else (">", ">=")))
        value = data.draw(values)
        easy, hard = Threshold(op, value), Threshold(op, value + sign * shift)  # type: ignore[arg-type]
    on_easy = capaian(r, easy, polarity, rules=tables)
    on_hard = capaian(r, hard, polarity, rules=tables)
    if on_easy is not None and on_hard is not None:
        assert on_hard <= on_easy, (r, easy, hard, on_easy, on_hard)


@EXAMPLES
@given(st.data(), POLARITY, rule_tables())
def test_not_available_is_never_a_number(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    target = data.draw(st.one_of(st.none(), capaian_targets(polarity)))
    r = data.draw(st.one_of(st.none(), capaian_values()))
    result = capaian(r, target, polarity, rules=tables, detail=True)
    if r is None:
        assert result.value is None and code_of(result.reason) == "no-realisasi"
    elif target is None:
        assert result.value is None and code_of(result.reason) == "no-target"
    elif not isinstance(target, (tuple, Threshold)) and target <= 0:
        assert result.value is None, "a target of 0 or below gives no capaian"
    if result.value is None:
        assert result.raw is None and result.reason and result.policy_applied is None
        assert code_of(result.reason) != "not-available"
    else:
        assert result.reason is None and result.raw is not None


@EXAMPLES
@given(st.data(), POLARITY, rule_tables(policy=False), rule_tables())
def test_the_policy_comes_last_and_never_makes_a_miss_read_as_met(
    data: st.DataObject, polarity: str, plain: RuleTables, with_policy: RuleTables
) -> None:
    tables = evolve(plain, policy=with_policy.policy)
    target = data.draw(capaian_targets(polarity))
    r = _realisasi(data, target)
    before = capaian(r, target, polarity, rules=plain, detail=True)
    after = capaian(r, target, polarity, rules=tables, detail=True)
    if before.value is None:
        assert after.value is None and after.reason == before.reason
        return
    assert after.value is not None and after.raw == before.raw
    floor, cap = tables.policy.floor, tables.policy.cap
    expected = before.value
    if floor is not None and expected < floor:
        expected = floor
    elif cap is not None and expected > cap:
        expected = cap
    assert after.value == expected
    assert (after.policy_applied == before.policy_applied) == (after.value == before.value)
    assert after.threshold_met == before.threshold_met
    if not _met(before.value, polarity) and (floor is None or floor < HUNDRED):
        assert not _met(after.value, polarity), (before, after)


@EXAMPLES
@given(
    POLARITY,
    rule_tables(),
    st.decimals(min_value=-100, max_value=1000, places=2),
    st.sampled_from(("<", "≤", ">", "≥")),
)
def test_a_spelled_threshold_is_the_threshold(
    polarity: str, tables: RuleTables, value: Decimal, sign: str
) -> None:
    assume((sign in "<≤") == (polarity == "negatif"))
    op = {"<": "<", "≤": "<=", ">": ">", "≥": ">="}[sign]
    spelled = f"{sign} {format(value, 'f').replace('.', ',')}"
    for r in (value - 1, value, value + 1, D(0)):
        assert capaian(r, spelled, polarity, rules=tables) == capaian(
            r,
            Threshold(op, value),
            polarity,
            rules=tables,  # type: ignore[arg-type]
        )


# --- across triwulan ---------------------------------------------------------------------

SERIES = st.lists(st.one_of(st.none(), capaian_values(low=0)), min_size=1, max_size=4)
QUARTER_TARGETS = st.lists(st.one_of(st.none(), capaian_values(low=0)), min_size=4, max_size=4)


def _last(values: list[Decimal | None]) -> int | None:
    reported = [i for i, value in enumerate(values) if value is not None]
    return reported[-1] if reported else None


@EXAMPLES
@given(SERIES, QUARTER_TARGETS, POLARITY, rule_tables())
def test_kumulatif_is_the_capaian_of_the_sums(
    values: list[Decimal | None],
    targets: list[Decimal | None],
    polarity: str,
    tables: RuleTables,
) -> None:
    result = capaian(values, targets, polarity, "kumulatif", rules=tables, detail=True)
    last = _last(values)
    if last is None:
        assert result.value is None and code_of(result.reason) == "no-realisasi"
        return
    if any(value is None for value in values[:last]):  # a gap before the last reported
        assert result.value is None and code_of(result.reason) == "missing-values"
        return
    if any(target is None for target in targets[: last + 1]):
        assert result.value is None and code_of(result.reason) == "no-target"
        return
    summed = sum(values[: last + 1], D(0))  # type: ignore[arg-type]
    summed_target = sum(targets[: last + 1], D(0))  # type: ignore[arg-type]
    assert result.value == capaian(summed, summed_target, polarity, rules=tables)
    assert result.triwulan == last + 1


@EXAMPLES
@given(SERIES, QUARTER_TARGETS, POLARITY, rule_tables())
def test_terakhir_takes_the_last_reported(
    values: list[Decimal | None],
    targets: list[Decimal | None],
    polarity: str,
    tables: RuleTables,
) -> None:
    result = capaian(values, targets, polarity, "terakhir", rules=tables, detail=True)
    last = _last(values)
    if last is None:
        assert result.value is None and code_of(result.reason) == "no-realisasi"
        return
    assert result.value == capaian(values[last], targets[last], polarity, rules=tables)
    assert result.triwulan == last + 1


@EXAMPLES
@given(SERIES, st.one_of(QUARTER_TARGETS, capaian_values(low=0)), POLARITY, rule_tables())
def test_tahunan_is_the_sum_against_the_annual_target(
    values: list[Decimal | None], targets: Any, polarity: str, tables: RuleTables
) -> None:
    result = capaian(values, targets, polarity, "tahunan", rules=tables, detail=True)
    last = _last(values)
    if last is None:
        assert result.value is None
        return
    if any(value is None for value in values[:last]):
        assert result.value is None and code_of(result.reason) == "missing-values"
        return
    if isinstance(targets, list):
        if any(target is None for target in targets):
            assert result.value is None and code_of(result.reason) == "no-target"
            return
        annual = sum(targets, D(0))
    else:
        annual = targets
    summed = sum(values[: last + 1], D(0))  # type: ignore[arg-type]
    assert result.value == capaian(summed, annual, polarity, rules=tables)


@EXAMPLES
@given(
    st.data(),
    st.lists(capaian_values(low=0), min_size=1, max_size=4),
    st.lists(capaian_values(low=0), min_size=4, max_size=4),
    POLARITY,
    rule_tables(),
    st.sampled_from(("kumulatif", "terakhir", "tahunan")),
)
def test_a_better_triwulan_never_scores_lower(
    data: st.DataObject,
    values: list[Decimal],
    targets: list[Decimal],
    polarity: str,
    tables: RuleTables,
    method: str,
) -> None:
    which = data.draw(st.integers(0, len(values) - 1))
    step = data.draw(st.decimals(min_value=0, max_value=500, places=4))
    better = list(values)
    better[which] += step if polarity == "positif" else -step
    assume(better[which] >= 0)
    good = capaian(better, targets, polarity, method, rules=tables)
    bad = capaian(values, targets, polarity, method, rules=tables)
    if good is not None and bad is not None:
        assert good >= bad
