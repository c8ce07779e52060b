"""Thousands grouped out of place are never read as decimals in silence: in an office that
writes notation "id" (``.`` groups thousands), ``1000.000`` is a million with its dots
misplaced as much as it is 1000 with "en"'s decimal point, a thousandfold difference. Such
a cell is refused at its row, with both readings and what to write, on every backend; the
office that writes notation "en" reads it as its own.

The office is tests/fixtures/mini with a realisasi indicator added (:func:`_office`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import edit, run
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.sources.cells import DataError

BACKENDS = ["duckdb", "sqlite", "python"]

REFUSED = (
    "realisasi.csv, row 6, column 'nilai': '1000.000' is read two ways: as 1000 in notation"
    ' "en", and as 1000000 in notation "id" with its thousands grouped out of place (\'.\''
    " groups every three digits from the right, as in 1.000.000) (write 1.000.000 or 1000,"
    " whichever is meant)"
)


def _layanan(tmp_path: Path, notation: str) -> Path:
    folder = _office(
        tmp_path,
        _indicator("dilayani", "Orang", '2026 = "100"'),
        ["dilayani,2026-TW1,Labuan,1000.000"],
    )
    edit(folder, 'units = ["Persen"', f'notation = "{notation}"\nunits = ["Persen"')
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_thousands_out_of_place_are_refused_in_an_office_of_notation_id(
    tmp_path: Path, backend: str
) -> None:
    # Read as 1000 the kabupaten's capaian would be 1000 / 100 × 100 = 1000.00; read as a
    # million, 1000000.00: the cell does not say which, so it is refused at its row.
    folder = _layanan(tmp_path, "id")
    with pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(caught.value) == REFUSED


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_office_of_notation_en_reads_its_own_decimals(tmp_path: Path, backend: str) -> None:
    folder = _layanan(tmp_path, "en")
    result = Engine(folder, folder, backend=backend).evaluate("2026").get("dilayani")
    assert result.value == Decimal("1000")  # 1000.000 with "en"'s decimal point


def test_the_refusal_in_indonesian_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _layanan(tmp_path, "id")
    status, _out = run(
        "--lang", "id", "eval", str(folder), "--data", str(folder), "--period", "2026"
    )
    assert status == 1
    error = capsys.readouterr().err
    assert "baris 6" in error and "salah letak" in error and "tulis 1.000.000 atau 1000" in error
