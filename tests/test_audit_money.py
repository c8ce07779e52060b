"""Money as budgets write it, in the definitions: a target of ``1,5 M`` or ``Rp 250 juta`` is a
number with a word of scale beside it. ``iku check`` once told the planner to write the number
alone (``"1,5"``), which in an indicator in Rupiah is a target of 1,5 Rupiah where
1.500.000.000 is meant: every capaian a thousand million times too high. It now gives the
whole number, and the number alone only for a unit at that scale. Every expected number is
computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CASCADE, run

OFFICE = """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Rupiah"]

"""

INDICATOR = """
  [[sasaran.indikator]]
  id = "realisasi-anggaran"
  name = "Realisasi anggaran"
  unit = "Rupiah"
  formula = "input"
  targets = {{ 2026 = "{target}" }}

[[source]]
id = "inputs"
kind = "inputs"
format = "csv"
path = "inputs.csv"
columns = {{ nama = "text", tahun = "integer", nilai = "decimal" }}
"""


def _check(tmp_path: Path, target: str) -> str:
    folder = tmp_path / "office"
    folder.mkdir()
    text = OFFICE + CASCADE + INDICATOR.format(target=target)
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    status, out = run("--lang", "en", "check", str(folder))
    assert status == 1, out
    return out


@pytest.mark.parametrize(
    ("target", "whole", "alone", "name"),
    [
        # 1,5 miliar = 1,5 × 10^9 = 1.500.000.000
        ("1,5 miliar", "1.500.000.000", "1,5", "Miliar"),
        # Rp. 250 juta = 250 × 10^6 = 250.000.000
        ("Rp. 250 juta", "250.000.000", "250", "Juta"),
        # 750 jt = 750 × 10^6 = 750.000.000
        ("750 jt", "750.000.000", "750", "Juta"),
        # 12,5 ribu = 12,5 × 10^3 = 12.500
        ("12,5 ribu", "12.500", "12,5", "Ribu"),
    ],
)
def test_a_target_with_a_word_of_scale_is_given_as_the_whole_number(
    tmp_path: Path, target: str, whole: str, alone: str, name: str
) -> None:
    out = _check(tmp_path, target)
    assert f'write "{whole}" if the indicator\'s unit has no scale (Rupiah)' in out
    assert f'or "{alone}" if its unit is {name} Rupiah' in out
    # never the number alone as the whole fix, which would be 1,5 Rupiah for 1,5 miliar
    assert f'write the number alone ("{alone}")' not in out


def test_a_letter_of_scale_gives_both_readings(tmp_path: Path) -> None:
    # 1,5 M: 1,5 miliar = 1.500.000.000 Rupiah, or 1,5 of a satuan M (Meter)
    out = _check(tmp_path, "1,5 M")
    assert (
        "'1,5 M' is a number with a letter beside it that budgets write for Miliar (10^9) and"
        ' that is also a satuan: write "1.500.000.000" if M means Miliar and the indicator\'s'
        ' unit has no scale (Rupiah), or "1,5" if its unit is M or Miliar Rupiah'
    ) in out


def test_a_satuan_beside_a_number_is_still_written_alone(tmp_path: Path) -> None:
    # Rp 1.500.000: the satuan is the indicator's, the number is 1.500.000 as written
    out = _check(tmp_path, "Rp 1.500.000")
    assert 'write the number alone ("1.500.000")' in out


REVISION_FIX = (
    "write the target the year's capaian is measured against, that of the Perjanjian Kinerja"
    " in force at the year's end (after the APBD Perubahan, its perubahan target), as 2026 ="
    " ... in targets, and say in note that it is the perubahan target and what the murni"
    " target was"
)


@pytest.mark.parametrize(
    "targets",
    [
        'targets = { 2026 = "95" }\n  targets_perubahan = { 2026 = "90" }',
        'targets = { 2026 = "95" }\n  target_murni = { 2026 = "95" }',
        'targets = { 2026 = "95", "2026-perubahan" = "90" }',
        'targets = { 2026 = "95", "2026 P" = "90" }',
        'targets = { 2026 = { murni = "95", perubahan = "90" } }',
    ],
)
def test_targets_murni_and_perubahan_are_told_how_to_write(tmp_path: Path, targets: str) -> None:
    # The APBD Perubahan moved the 2026 target from 95 to 90: the planner is told that a year
    # has one target, the Perjanjian Kinerja's at the year's end (90), and the murni in note
    text = INDICATOR.format(target="1").replace('targets = { 2026 = "1" }', targets)
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(OFFICE + CASCADE + text, encoding="utf-8")
    status, out = run("--lang", "en", "check", str(folder))
    assert status == 1, out
    assert REVISION_FIX in out


BUDGET = """\
  [[sasaran.indikator]]
  id = "realisasi-rp"
  name = "Realisasi anggaran"
  unit = "Rupiah"
  targets = { 2026 = "1.000.000.000" }
  formula = "Σ [Realisasi Anggaran]"

[[source]]
id = "anggaran"
kind = "register"
format = "csv"
path = "anggaran.csv"
time = "period"
grain = "year"
period_column = "tahun"
columns = { tahun = "integer", kode = "text", uraian = "text", realisasi = "decimal" }

[[measure]]
name = "Realisasi Anggaran"
source = "anggaran"
aggregate = "sum"
column = "realisasi"
unit = "Rupiah"
"""


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_a_totals_row_with_its_year_filled_in_is_refused(
    tmp_path: Path, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # 180.000.000 + 60.000.000 = 240.000.000 spent; the JUMLAH row, its year 2026 written as
    # on every row, holds that sum again: counted, the realisasi was 480.000.000. Its year
    # is the row's period, never a number to add up (2026 is not 2026 + 2026).
    folder = tmp_path / "office"
    folder.mkdir()
    text = OFFICE + CASCADE + BUDGET
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    rows = ["tahun;kode;uraian;realisasi", "2026;1.01;Belanja pegawai;180.000.000",
            "2026;1.02;Belanja barang;60.000.000", "2026;;JUMLAH;240.000.000"]  # fmt: skip
    (folder / "anggaran.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out = run("--lang", "en", "eval", str(folder), "--data", str(folder),
                      "--period", "2026", "--backend", backend)  # fmt: skip
    said = capsys.readouterr().err
    assert status == 1, out
    assert "anggaran.csv, row 4: the row is titled 'JUMLAH' (column 'uraian')" in said
    assert "are the sums of the 2 rows above it" in said
