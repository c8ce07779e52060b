"""A plain number takes the unit of the percentage beside it (iku_rules.units), so a share
written as a fraction is read a hundred times too small: `jika(iku-tertangani > 0.7, 1, 0)`
with iku-tertangani = 60 % gave 1 (60 % > 0,7 %) where 70 % was meant (0), and
`max(share, 0.5)` kept 40 % where a floor of 50 % was meant, without a word. `iku check`
now warns at the number (code fraction-beside-percent), saying how it is read and the fix.

The office is tests/fixtures/mini: iku-tertangani is 3 PMKS served of 5 registered in
2026, 60 %; anak-share 2 Anak Terlantar of 5, 40 %. The formula of 'skor' is on line 45,
that of 'anak-share' on line 39, each starting at column 14 (after `  formula = "`)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, office, run

SKOR = 'formula = "bobot × [Nilai AKIP] + iku-tertangani / 100%"'
SHARE = 'Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%'


def _office(tmp_path: Path, skor: str) -> Path:
    folder = office(tmp_path)
    edit(folder, SKOR, f'formula = "{skor}"')
    return folder


def _warnings(folder: Path) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 0, text
    found = json.loads(text)["diagnostics"]
    return [d for d in found if d["code"] == "fraction-beside-percent"]


def _value(folder: Path, indicator: str) -> tuple[Decimal, str | None]:
    status, text = run("eval", str(folder), "--data", str(folder), "--period", "2026",
                       "--format", "json")  # fmt: skip
    assert status == 0, text
    row = next(r for r in json.loads(text, parse_float=Decimal) if r["id"] == indicator)
    return row["value"], row["unit"]


def test_a_fraction_compared_with_a_percentage_is_warned_of(tmp_path: Path) -> None:
    folder = _office(tmp_path, "jika(iku-tertangani > 0.7, 1, 0)")
    # 60 % > 0,7 % holds: 1, where 70 % was meant (60 % > 70 % does not hold: 0)
    assert _value(folder, "skor") == (Decimal(1), None)
    (warning,) = _warnings(folder)
    assert warning["severity"] == "warning"
    assert warning["message"] == (
        "in the formula of indicator 'skor': 'iku-tertangani > 0.7' compares the percentage"
        " 'iku-tertangani' with the plain number 0.7, which takes its unit: 0.7 is read as"
        " 0.7 %, not as the share 70 %"
    )
    assert warning["suggestion"] == "write 70% if 70 % is meant, or 0.7% to keep 0.7 %"
    # at the 0.7: column 14 + len("jika(iku-tertangani > ") = 14 + 22
    assert (warning["line"], warning["column"]) == (45, 36)
    status, text = run("check", str(folder), "--lang", "id")
    assert status == 0, text
    assert "definitions.toml:45:36: peringatan: " in text

    # written as the fix says, 60 % > 70 % does not hold: 0, and no warning
    edit(folder, "> 0.7,", "> 70%,")
    assert _value(folder, "skor") == (Decimal(0), None)
    assert _warnings(folder) == []


def test_a_fraction_as_a_floor_of_a_percentage_is_warned_of(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, f"formula = '{SHARE}'", f"formula = 'max({SHARE}, 0.5)'")
    # max(40 %, 0,5 %) = 40 %, where a floor of 50 % was meant
    assert _value(folder, "anak-share") == (Decimal(40), "%")
    (warning,) = _warnings(folder)
    assert warning["message"] == (
        f"in the formula of indicator 'anak-share': 'max({SHARE}, 0.5)' gives max() the plain"
        f" number 0.5 beside the percentage '{SHARE}', so it takes its unit: 0.5 is read as"
        " 0.5 %, not as the share 50 %"
    )
    assert warning["suggestion"] == "write 50% if 50 % is meant, or 0.5% to keep 0.5 %"
    assert (warning["line"], warning["column"]) == (39, 14 + len(f"max({SHARE}, "))
    edit(folder, f"max({SHARE}, 0.5)", f"max({SHARE}, 50%)")
    assert _value(folder, "anak-share") == (Decimal(50), "%")  # max(40 %, 50 %)
    assert _warnings(folder) == []


@pytest.mark.parametrize(
    ("skor", "before"),
    [
        ("jika(0.7 < iku-tertangani, 1, 0)", "jika("),
        ("jika(iku-tertangani in (0.6), 1, 0)", "jika(iku-tertangani in ("),
        (
            "jika([Nilai AKIP] > 80, iku-tertangani, 0.5)",
            "jika([Nilai AKIP] > 80, iku-tertangani, ",
        ),
        ("jika([Nilai AKIP] > 80, 0.5, iku-tertangani)", "jika([Nilai AKIP] > 80, "),
        ("min(iku-tertangani, 0.9)", "min(iku-tertangani, "),
        ("rata_rata(iku-tertangani, 0.8)", "rata_rata(iku-tertangani, "),
        ("rata_rata_tersedia(0.8, iku-tertangani)", "rata_rata_tersedia("),
        ("coalesce(iku-tertangani, 0.5)", "coalesce(iku-tertangani, "),
        ("max(min(iku-tertangani, 100%), 0.25)", "max(min(iku-tertangani, 100%), "),
        ("jika(max(iku-tertangani, 10%) >= 0.5, 1, 0)", "jika(max(iku-tertangani, 10%) >= "),
    ],
)
def test_each_place_a_fraction_takes_the_unit_of_a_percentage(
    tmp_path: Path, skor: str, before: str
) -> None:
    (warning,) = _warnings(_office(tmp_path, skor))
    assert (warning["line"], warning["column"]) == (45, 14 + len(before))


def test_each_fraction_is_named_at_its_place(tmp_path: Path) -> None:
    # max(60 %, 0,3 %, 0,4 %) is 60 %: both fractions are read in percent
    found = _warnings(_office(tmp_path, "max(iku-tertangani, 0.3, 0.4)"))
    assert [(w["line"], w["column"]) for w in found] == [(45, 34), (45, 39)]


@pytest.mark.parametrize(
    "skor",
    [
        "jika(iku-tertangani > 50%, 1, 0)",  # written in percent
        "jika(iku-tertangani > 0.5%, 1, 0)",  # less than 1 %, said so
        "jika(iku-tertangani > 0, 1, 0)",
        "jika(iku-tertangani >= 1, 1, 0)",
        "jika(iku-tertangani > 1.5, 1, 0)",
        "max(iku-tertangani, 0, 1)",
        "jika(Σ PMKS tertangani / Σ PMKS > 0.5, 1, 0)",  # a ratio: 0,6 > 0,5
        "jika([Nilai AKIP] > 0.5, 1, 0.5)",  # no percentage
        "jika(iku-tertangani > 50, 0.5, 1)",  # the branches are numbers
        "min(Σ PMKS tertangani / Σ PMKS, 0.5)",
    ],
)
def test_no_warning_for_a_percent_number_or_one_not_beside_a_percentage(
    tmp_path: Path, skor: str
) -> None:
    assert _warnings(_office(tmp_path, skor)) == []
