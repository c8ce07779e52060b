"""Time grains other than the triwulan: a count reported every month, asked as a state.

A puskesmas reports each month how many kader are active (50 in each of January to March
2026). Its measure says ``time = "state"``: the number at the period's end, 50 for TW1. A
table of values per period adds up the rows of the months within the period whatever the
measure says, so TW1 read 50 + 50 + 50 = 150 kader without a word. Such a measure is now
refused before anything runs, saying what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CASCADE, run

OFFICE = (
    """\
[office]
id = "audit-grain"
name = "Dinas Audit Grain"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "kader"
  name = "Kader aktif"
  unit = "Orang"
  formula = "Σ [Kader Aktif]"

[[source]]
id = "laporan"
kind = "register"
format = "csv"
path = "laporan.csv"
time = "period"
grain = "month"
period_column = "bulan"
columns = { bulan = "text", kader = "integer" }

[[measure]]
name = "Kader Aktif"
source = "laporan"
aggregate = "sum"
column = "kader"
unit = "Orang"
time = "state"
"""
)


def test_a_state_asked_of_a_table_of_months_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 50 kader active at the end of each month: the state at the end of 2026-TW1 is 50.
    # It read 50 + 50 + 50 = 150, the months added up.
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(OFFICE, encoding="utf-8")
    rows = "bulan,kader\n2026-01,50\n2026-02,50\n2026-03,50\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--lang", "en"
    )
    said = capsys.readouterr().err
    assert status != 0
    assert "150" not in out
    assert "measure 'Kader Aktif' says time = \"state\"" in said
    assert "source 'laporan' gives values per period" in said


def test_a_measure_of_a_table_of_months_that_adds_them_up_is_read(tmp_path: Path) -> None:
    # Without time = "state" the months are added up, as the office asks: 10 + 20 + 30 = 60.
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(
        OFFICE.replace('time = "state"\n', ""), encoding="utf-8"
    )
    rows = "bulan,kader\n2026-01,10\n2026-02,20\n2026-03,30\n"
    (folder / "laporan.csv").write_text(rows, encoding="utf-8")
    status, out = run(
        "eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--lang", "en"
    )
    assert status == 0, out
    assert any(line.split()[:2] == ["kader", "60"] for line in out.splitlines()), out
