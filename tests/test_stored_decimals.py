"""The data keep 6 decimals (as the databases' DECIMAL(38, 6)); a number with more is kept
rounded to them only while that holds it within a hundred-thousandth of itself. A third as
Excel computes it (33.3333333333333) is kept as 33.333333; 0.0000025 would be kept as
0.000003, a fifth more, and 0.0000001 as 0 (a denominator of 0): refused at its row, on
every backend.

The office is tests/fixtures/mini with a realisasi indicator added (:func:`_office`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ["duckdb", "sqlite", "python"]


def _value(tmp_path: Path, nilai: str, backend: str) -> Decimal | None:
    folder = _office(
        tmp_path, _indicator("bagian", "Nilai", '2026 = "1"'), [f'bagian,2026-TW1,Labuan,"{nilai}"']
    )
    return Engine(folder, folder, backend=backend).evaluate("2026-TW1").get("bagian").value


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("nilai", "kept"),
    [
        ("33,3333333333333", "33.333333"),  # off by 3.3e-7, a ten-millionth of itself
        ("0,1234567", "0.123457"),  # off by 3e-7 of 0.12: kept
        ("12,5", "12.5"),
    ],
)
def test_a_number_rounded_to_6_decimals_is_kept_while_it_holds(
    tmp_path: Path, backend: str, nilai: str, kept: str
) -> None:
    assert _value(tmp_path, nilai, backend) == Decimal(kept)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("nilai", "stored"),
    [
        ("0,0000025", "0,000003"),  # a fifth more
        ("0,0000001", "0"),  # nothing left: 1 / it would be a division by 0
        ("-0,00123456789", "-0,001235"),  # off by 4.3e-7, 3.5e-4 of itself
    ],
)
def test_a_number_that_6_decimals_do_not_hold_is_refused(
    tmp_path: Path, backend: str, nilai: str, stored: str
) -> None:
    with pytest.raises(DataError) as caught:
        _value(tmp_path, nilai, backend)
    assert str(caught.value) == (
        f"realisasi.csv, row 6, column 'nilai': '{nilai}' has more decimals than the 6 the data"
        f" keep, and kept to 6 it would be {stored}; write it on a larger scale (a percentage,"
        " per 1.000, per 100.000), or round it in the file"
    )
