"""Properties of predikat and nilai AKIP over every scale of the shipped rule table:
every value gets exactly the band ``predikat.toml`` says for the value as shown, bands
rise with the value, and the nilai AKIP stays within 0 and the sum of its maxima.
``IKU_CAPAIAN_EXAMPLES`` sets the examples per property (see test_capaian_properties)."""

from __future__ import annotations

import os
import tomllib
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from typing import Any

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_rules import capaian, nilai_akip, predikat
from iku_rules.rules import CapaianResult, Policy, RuleError, RuleTables, default_rules
from iku_rules.testing.strategies import capaian_targets, capaian_values, rule_tables

D = Decimal
EXAMPLES = settings(
    max_examples=int(os.environ.get("IKU_CAPAIAN_EXAMPLES", "150")),  # 5000 and more locally
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
POLARITY = st.sampled_from(["positif", "negatif"])
RULE_TABLES = resources.files("iku_rules") / "rule_tables"


def _rank(value: Decimal, scale: str, tables: RuleTables) -> int:
    """The band's place in its scale: 0 is the best."""
    labels = [band.label for band in tables.scale(scale).bands]
    return labels.index(predikat(value, scale, rules=tables))


# --- predikat ----------------------------------------------------------------------------


def _bands_from_the_table(scale: str) -> list[tuple[str, Decimal | None, bool]]:
    """The bands of ``scale`` as ``predikat.toml`` writes them: label, min, inclusive."""
    table = tomllib.loads((RULE_TABLES / "predikat.toml").read_text(encoding="utf-8"))
    return [
        (
            band["label"],
            None if "min" not in band else D(str(band["min"])),
            band.get("min_inclusive", True),
        )
        for band in table["scales"][scale]["bands"]
    ]


def _rounded(value: Decimal, decimals: int) -> Decimal:
    exact = Fraction(value) * 10**decimals
    whole = int(abs(exact))
    if abs(exact) - whole >= Fraction(1, 2):
        whole += 1
    return D(-whole if exact < 0 else whole).scaleb(-decimals)


SCALES = [
    name
    for name in tomllib.loads((RULE_TABLES / "predikat.toml").read_text(encoding="utf-8"))["scales"]
]


def _predikat_values(scale: str) -> st.SearchStrategy[Decimal]:
    hairs = [D(0), D("0.001"), D("0.004"), D("0.005"), D("0.0049999"), D("0.01")]
    edges = [
        bound + sign * hair
        for _label, bound, _inclusive in _bands_from_the_table(scale)
        if bound is not None
        for hair in hairs
        for sign in (-1, 1)
    ]
    return st.one_of(
        st.decimals(min_value=-200, max_value=300, places=6, allow_nan=False),
        st.sampled_from(edges),
    )


@pytest.mark.parametrize("scale", SCALES)
@EXAMPLES
@given(data=st.data(), decimals=st.integers(0, 4))
def test_every_capaian_has_exactly_the_predikat_the_table_says(
    scale: str, data: st.DataObject, decimals: int
) -> None:
    tables = evolve(default_rules(), decimals=decimals)
    value = data.draw(_predikat_values(scale))
    shown = _rounded(value, decimals)
    bands = _bands_from_the_table(scale)
    holding = []
    for i, (label, low, inclusive) in enumerate(bands):
        above = bands[i - 1] if i else None
        from_below = low is None or (shown >= low if inclusive else shown > low)
        below_next = above is None or not (shown >= above[1] if above[2] else shown > above[1])  # type: ignore[operator]
        if from_below and below_next:
            holding.append(label)
    assert len(holding) == 1, (value, holding)  # no gap, no overlap
    assert predikat(value, scale, rules=tables) == holding[0]
    assert predikat(shown, scale, rules=tables) == holding[0]  # a function of what is shown


@pytest.mark.parametrize("scale", SCALES)
@EXAMPLES
@given(st.data())
def test_predikat_never_falls_as_the_value_rises(scale: str, data: st.DataObject) -> None:
    first, second = sorted((data.draw(_predikat_values(scale)), data.draw(_predikat_values(scale))))
    tables = default_rules()
    assert _rank(second, scale, tables) <= _rank(first, scale, tables)


@EXAMPLES
@given(st.data(), POLARITY, rule_tables(policy=False))
def test_predikat_of_a_capaian_is_that_of_its_raw_value(
    data: st.DataObject, polarity: str, tables: RuleTables
) -> None:
    target = data.draw(capaian_targets(polarity))
    result = capaian(data.draw(capaian_values()), target, polarity, rules=tables, detail=True)
    if result.value is not None:
        assert result.raw is not None
        assert predikat(result.raw, rules=tables) == predikat(result.value, rules=tables)


# --- nilai AKIP --------------------------------------------------------------------------


@EXAMPLES
@given(st.data())
def test_nilai_akip_stays_within_0_and_the_sum_of_the_maxima(data: st.DataObject) -> None:
    tables = default_rules()
    components = {
        component.name: data.draw(
            st.decimals(min_value=0, max_value=component.max, places=3, allow_nan=False)
        )
        for component in tables.akip_components
    }
    nilai = nilai_akip(components, rules=tables)
    top = sum((component.max for component in tables.akip_components), D(0))
    assert top == 100
    assert D(0) <= nilai <= top
    assert nilai == _rounded(sum(components.values(), D(0)), tables.decimals)
    label = predikat(nilai, tables.akip_scale, rules=tables)
    assert label in [band.label for band in tables.scale(tables.akip_scale).bands]


@EXAMPLES
@given(st.data())
def test_an_akip_component_out_of_its_range_is_refused(data: st.DataObject) -> None:
    tables = default_rules()
    components: dict[str, Any] = {c.name: c.max for c in tables.akip_components}
    chosen = data.draw(st.sampled_from(tables.akip_components))
    components[chosen.name] = data.draw(
        st.one_of(
            st.decimals(max_value=D("-0.0001"), min_value=-1000, places=4, allow_nan=False),
            st.decimals(min_value=chosen.max + D("0.0001"), max_value=1000, places=4),
        )
    )
    with pytest.raises(RuleError, match=chosen.name):
        nilai_akip(components, rules=tables)


def test_the_properties_see_the_shipped_tables() -> None:
    # what the strategies vary is what the shipped tables hold
    shipped = default_rules()
    assert shipped.policy == Policy() and shipped.decimals == 2
    assert isinstance(capaian(85, 90, detail=True), CapaianResult)
