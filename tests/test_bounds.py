"""Interval analysis: the ranges formulas can take, proven from the definitions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_rules import evaluate, load, parse
from iku_rules.bounds import Analysis, analyse, implies
from iku_rules.formula import Formula
from iku_rules.intervals import Interval
from iku_rules.model import Definitions, Indicator, Input, Measure, Parameter
from iku_rules.testing import arithmetic, decimals

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
D = Decimal


def condition(text: str) -> object:
    """The condition of a filter, as the parser reads it inside brackets."""
    return parse(f"Σ r[{text}]").body.operand.condition  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("narrow", "wide", "holds"),
    [
        ('bidang = "resos" and asesmen = "ya"', 'bidang = "resos"', True),
        ('bidang = "resos"', 'bidang = "resos" and asesmen = "ya"', False),
        ('kode in ("a")', 'kode in ("a", "b")', True),
        ('kode = "a"', 'kode in ("a", "b")', True),
        ('kode in ("a", "c")', 'kode in ("a", "b")', False),
        ('kode not in ("a")', 'kode in ("a", "b")', False),
        ("umur > 60", "umur > 50", False),  # true, but not proven: the analysis stays sound
        ('kode = "a" or kode = "b"', 'kode in ("a", "b")', False),
    ],
)
def test_filter_implication(narrow: str, wide: str, holds: bool) -> None:
    assert implies(condition(narrow), condition(wide)) is holds  # type: ignore[arg-type]


def test_the_shipped_percentages_are_proven_or_stated() -> None:
    definitions = load(PANDEGLANG)
    found = analyse(definitions)
    proven = {
        "1.06.04-persen-pmks-asesmen",  # same register, narrower filter
        "1.06.05-persen-rtm-bpjs-pbi",
        "1.06.05-persen-penerima-manfaat-terpenuhi-kebutuhan-dasar",
        "1.06.01-persen-pegawai-skp-baik",  # Σ pegawai[…] / Σ pegawai
    }
    for indicator in definitions.indicators:
        if indicator.formula is None or not indicator.is_percent:
            continue
        interval = found[indicator.id].interval
        if indicator.id in proven:
            assert interval == Interval(D(0), D(100)), indicator.id
            assert indicator.percent_statement is None
        else:
            # Numerator and denominator come from different sources: the definition says so.
            assert interval == Interval(D(0), D("Infinity")), indicator.id
            assert indicator.percent_statement == "within", indicator.id
            assert "they count different sources" in (found[indicator.id].why_unbounded or "")


def test_zero_denominators_and_their_policy() -> None:
    definitions = load(ROOT / "tests" / "fixtures" / "mini")
    analysis = Analysis(definitions)

    def zeros(text: str) -> list[str]:
        found = analysis.indicator(_indicator(parse(text))).zero_denominators
        return [f"{z.denominator}: {z.policy}" for z in found]

    assert zeros("Σ PMKS tertangani / Σ PMKS × 100%") == [
        "Σ PMKS: the value is not available, with the reason that the denominator is 0"
    ]
    assert zeros("if(Σ PMKS = 0, 0, Σ PMKS tertangani / Σ PMKS × 100%)") == [
        "Σ PMKS: the formula gives 0 instead"
    ]
    assert zeros("coalesce(Σ PMKS tertangani / Σ PMKS × 100%, 0%)") == [
        "Σ PMKS: the formula gives 0% instead"
    ]
    assert zeros("Σ PMKS tertangani / (Σ PMKS + 1) × 100%") == []
    assert zeros("Σ PMKS tertangani / bobot") == []


def definitions_with_names() -> Definitions:
    return Definitions(
        root=ROOT,
        office=None,
        elements=(),
        measures=(
            Measure("a", "register", "count_distinct", "nik"),
            Measure("b", "register", "count"),
        ),
        inputs=(Input("x"), Input("y")),
        parameters=(Parameter("k", D("3")),),
    )


NAMES = ("a", "b", "x", "y", "k")


@given(
    arithmetic(NAMES, max_leaves=10),
    st.fixed_dictionaries(
        {
            "a": decimals(1000, 2),
            "b": decimals(1000, 0),
            "x": st.one_of(decimals(1000, 3), decimals(1000, 3).map(lambda d: -d)),
            "y": st.one_of(decimals(10, 3), decimals(10, 3).map(lambda d: -d)),
        }
    ),
)
def test_interval_analysis_is_sound(body: object, values: dict[str, Decimal]) -> None:
    """Every value the evaluator computes lies inside the interval proven for it."""
    definitions = definitions_with_names()
    formula = Formula(body)  # type: ignore[arg-type]
    indicator = _indicator(formula)
    interval = Analysis(definitions).indicator(indicator).interval
    result = evaluate(formula, {**values, "k": D(3)})
    if result.value is not None:
        assert result.value in interval, (str(formula), interval, result.value)


def test_a_ratio_of_part_and_whole_within_0_and_100() -> None:
    definitions = load(ROOT / "tests" / "fixtures" / "mini")
    analysis = Analysis(definitions)
    for text, expected in [
        ('Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%', "[0, 100]"),
        ("min(Σ PMKS tertangani / Σ PMKS × 100%, 100%)", "[0, 100]"),
        ("Σ PMKS tertangani / Σ PMKS × 100%", "[0, ∞]"),
        ('round(Σ register_pmks[kategori = "x"] / Σ register_pmks × 100%, 2)', "[0, 100]"),
        ("Σ PMKS - Σ PMKS tertangani", "[−∞, ∞]"),
        ("abs(Σ PMKS - Σ PMKS tertangani)", "[0, ∞]"),
        ("bobot × 2 + 1", "[2, 2]"),
    ]:
        assert str(analysis.indicator(_indicator(parse(text))).interval) == expected, text


def _indicator(formula: Formula) -> Indicator:
    return Indicator(
        id=str(formula),
        name="f",
        level="misi",
        parent="misi",
        unit="Persen",
        polarity="positif",
        iku=False,
        baseline=None,
        targets={},
        formula_kind="expression",
        formula=formula,
    )


def test_iku_list_gives_each_formula_its_range() -> None:
    import io
    import json

    from iku_rules.cli import main

    out = io.StringIO()
    assert main(["list", str(PANDEGLANG), "--format", "json"], out=out) == 0
    records = {record["id"]: record for record in json.loads(out.getvalue())}
    assert records["1.06.04-persen-pmks-asesmen"]["range"] == [0, 100]
    assert records["iku-pmks-tertangani"]["range"] == [0, 100]
    assert records["iku-pmks-tertangani"]["statement"] == "within"
    assert records["1.06.06.2.02-masyarakat-diberdayakan"]["range"] == [0, None]
    # An input has no formula, so nothing to prove a range of.
    assert records["iku-nilai-akip-opd"]["source"] == "input"
    assert records["iku-nilai-akip-opd"]["range"] is None
    assert records["iku-indeks-kesejahteraan-sosial"]["range"] is None  # an input
