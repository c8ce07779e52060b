"""An amount in Rupiah read with a third decimal: the sen is the smallest amount, so
``23,505`` read as 23,505 where ``,`` marks decimals is most often 23505 written in the
other notation, and is refused at its file, row and column on every backend (a third decimal
not 0: ``23,500`` is 23,5 once read, see iku_rules/counts.py); in Juta Rupiah
decimals are real, and 1,250 Juta is kept.

The office is tests/fixtures/mini with an indicator ``anggaran`` (formula ``realisasi``:
the triwulan rows of realisasi.csv, summed) under the sub kegiatan ``1.06.04.2.01.0001``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place, run

SUB_KEGIATAN = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'


def _office(tmp_path: Path, unit: str, *values: str) -> Path:
    folder = office(tmp_path)
    indicator = f"""
  [[sub_kegiatan.indikator]]
  id = "anggaran"
  name = "Anggaran"
  unit = "{unit}"
  iku = true
  formula = "realisasi"
  targets = {{ 2026 = 50000 }}
"""
    edit(folder, SUB_KEGIATAN, SUB_KEGIATAN + indicator)
    data = folder / "realisasi.csv"  # its 2.5 Orang (notation "en") is not the case here
    data.write_text(data.read_text(encoding="utf-8").replace(",2.5\n", ",2\n"), encoding="utf-8")
    edit(folder, "[office]\n", '[office]\nnotation = "id"\n')
    edit(folder, 'units = ["Persen",', f'units = ["{unit}", "Persen",')
    for period, value in zip(("2026-TW1", "2026-TW2"), values, strict=False):
        add_row(folder, "realisasi.csv", f'1.06.04.2.01.0001,anggaran,{period},Labuan,"{value}"')
    return folder


def _eval(folder: Path, backend: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status, text = run(
        "eval",
        str(folder / "definitions.toml"),
        "--data",
        str(folder),
        "--period",
        "2026",
        "--backend",
        backend,
        "--lang",
        "en",
    )
    return status, text + capsys.readouterr().err


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_amount_in_rupiah_with_three_decimals_is_refused_with_both_readings(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    # 23,505 from an English export read in notation "id" as 23,505: the realisasi would be
    # 23,505 + 26.495 = 26.518,505 Rupiah against 50.000 (53,04 %), where 23.505 + 26.495 =
    # 50.000 (100 %) was meant.
    folder = _office(tmp_path, "Rupiah", "23,505", "26.495")
    status, text = _eval(folder, backend, capsys)
    assert status != 0
    assert "realisasi.csv, row 6, column 'nilai': 23,505 has more than two decimals" in text
    assert 'read as 23.505 in notation "id", and would be 23505 in notation "en"' in text


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_amount_in_rupiah_with_a_third_decimal_not_zero_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    # 1.250,755 is 1250,755 Rupiah: no amount has half a sen; "en" does not read it.
    folder = _office(tmp_path, "Rupiah", "1.250,755")
    status, text = _eval(folder, backend, capsys)
    assert status != 0
    assert "realisasi.csv, row 6, column 'nilai': 1.250,755 has more than two decimals" in text


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_decimals_in_juta_rupiah_and_two_in_rupiah_are_kept(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    backend: str,
    in_place: bool,
) -> None:
    read_in_place(monkeypatch, in_place)
    # 1,250 Juta Rupiah is 1.250.000 Rupiah: real. 1,250 + 2,5 = 3,75 Juta Rupiah.
    folder = _office(tmp_path, "Juta Rupiah", "1,250", "2,5")
    status, text = _eval(folder, backend, capsys)
    assert status == 0, text
    assert "3.75" in text
    # 23.500,25 + 26.499,75 = 50.000 Rupiah: two decimals, the sen, are kept.
    folder = _office(tmp_path / "two", "Rupiah", "23.500,25", "26.499,75")
    status, text = _eval(folder, backend, capsys)
    assert status == 0, text
    assert "50000" in text
