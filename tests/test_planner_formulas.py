"""GIVEN the formulas planners write in the Pandeglang IKU document,
WHEN parsed and evaluated, THEN each gives the value a planner computes by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from iku_rules import evaluate, parse

PEGAWAI = [
    {"nip": "1", "nilai_skp": "baik", "gaji": 4_000_000},
    {"nip": "2", "nilai_skp": "sangat baik", "gaji": 5_500_000},
    {"nip": "3", "nilai_skp": "baik", "gaji": 3_750_000},
    {"nip": "4", "nilai_skp": "butuh perbaikan", "gaji": 3_000_000},
]

VALUES = {
    "PMKS": [1] * 160,
    "PMKS tertangani": 40,
    "PMKS yang Tertangani": 40,
    "PSKS yang mendapatkan peningkatan kapasitas": 36,
    "PSKS": [10, 20, 30, 60],
    "pegawai": PEGAWAI,
    "Jumlah Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya": 279,
    "Populasi Korban Bencana Alam, Sosial dan/atau Non Alam": 300,
    "realisasi": [30, 40, 50, 60],
    "target": [25, 25, 25, 25],
    "Nilai AKIP": Decimal("75.15"),
    "IKM": Decimal("82.5"),
    "PEKPPP": Decimal("3.62"),
}

CASES = [
    ("Σ PMKS tertangani / Σ PMKS × 100%", "25", "%"),
    ("Σ PMKS yang Tertangani / Σ PMKS x 100%", "25", "%"),
    ("Σ PMKS yang Tertangani / Σ PMKS X 100%", "25", "%"),
    ("Jumlah PMKS yang Tertangani dibagi Jumlah PMKS dikali 100%", "25", "%"),
    ("jumlah PSKS yang mendapatkan peningkatan kapasitas / total PSKS", "0.3", None),
    ('Σ pegawai[nilai_skp = "baik"] / Σ pegawai × 100%', "50", "%"),
    (
        "[Jumlah Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya]"
        " / [Populasi Korban Bencana Alam, Sosial dan/atau Non Alam] × 100%",
        "93",
        "%",
    ),
    ("if(Σ PMKS = 0, 0, Σ PMKS tertangani / Σ PMKS × 100%)", "25", "%"),
    ("min(Σ realisasi / Σ target × 100%, 120%)", "120", "%"),
    ("0.4 × Nilai AKIP + 0.3 × IKM + 0.3 × PEKPPP", "55.896", None),
]


@pytest.mark.parametrize(("text", "value", "unit"), CASES)
def test_document_formula_parses_and_evaluates(text: str, value: str, unit: str | None) -> None:
    result = evaluate(text, VALUES)
    assert result.reason is None
    assert result.value == Decimal(value)
    assert result.unit == unit


@pytest.mark.parametrize(("text", "value", "unit"), CASES)
def test_document_formula_canonical_text_parses_back(
    text: str, value: str, unit: str | None
) -> None:
    formula = parse(text)
    assert parse(str(formula)) == formula
    assert evaluate(str(formula), VALUES).value == Decimal(value)


def test_four_notations_of_the_pmks_formula_are_one_formula() -> None:
    texts = [text for text, _, _ in CASES[:4]]
    formulas = {str(parse(text)).casefold() for text in texts}
    assert formulas == {
        "σ pmks tertangani / σ pmks × 100%",
        "σ pmks yang tertangani / σ pmks × 100%",
    }


def test_if_guard_gives_zero_when_there_are_no_pmks() -> None:
    result = evaluate(
        "if(Σ PMKS = 0, 0, Σ PMKS tertangani / Σ PMKS × 100%)", {**VALUES, "PMKS": []}
    )
    assert result.value == 0
    assert result.unit == "%"
    assert result.reason is None


def test_min_keeps_the_computed_value_under_the_cap() -> None:
    values = {**VALUES, "realisasi": [20, 30, 15, 25]}
    result = evaluate("min(Σ realisasi / Σ target × 100%, 120%)", values)
    assert result.value == 90
    assert result.unit == "%"
