"""Inputs and the period before: a change between triwulan of a value given once a year.

The office is the small one (``tests/fixtures/mini``): Nilai AKIP is an input, 75.6 in
2025 and 76.05 in 2026; ``skor`` is ``bobot × [Nilai AKIP] + iku-tertangani / 100%``.
Added here:

    akip           [Nilai AKIP]               (an indicator that only renames the input)
    akip-selisih   akip - sebelumnya(akip)
    sasaran-ind    Σ [Sasaran PMKS]           (a table of one value a year, year_value)
    sasaran-naik   sasaran-ind - sebelumnya(sasaran-ind)
    skor-naik      skor - sebelumnya(skor)    (an input and a register: moves each triwulan)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import add_row, edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import code_of
from iku_rules.results import IndicatorResult

BACKENDS = ["python", "sqlite", "duckdb"]

INDICATORS = """\
  [[sasaran.indikator]]
  id = "akip"
  name = "Nilai AKIP OPD"
  unit = "Nilai"
  formula = "[Nilai AKIP]"

  [[sasaran.indikator]]
  id = "akip-selisih"
  name = "Kenaikan Nilai AKIP"
  unit = "Nilai"
  formula = "akip - sebelumnya(akip)"

  [[sasaran.indikator]]
  id = "sasaran-ind"
  name = "Sasaran PMKS"
  unit = "Orang"
  formula = "Σ [Sasaran PMKS]"

  [[sasaran.indikator]]
  id = "sasaran-naik"
  name = "Kenaikan sasaran PMKS"
  unit = "Orang"
  formula = "sasaran-ind - sebelumnya(sasaran-ind)"

  [[sasaran.indikator]]
  id = "skor-naik"
  name = "Kenaikan skor"
  unit = "Nilai"
  formula = "skor - sebelumnya(skor)"

[[program]]"""

SASARAN = """
[[source]]
id = "sasaran_pmks"
kind = "register"
format = "csv"
path = "sasaran_pmks.csv"
time = "period"
grain = "year"
period_column = "tahun"
in_triwulan = "year_value"
columns = { tahun = "integer", jumlah = "integer" }

[[measure]]
name = "Sasaran PMKS"
source = "sasaran_pmks"
aggregate = "sum"
column = "jumlah"
"""


def yearly_office(tmp_path: Path) -> Path:
    folder = office(tmp_path)
    edit(folder, "[[program]]", INDICATORS)
    path = folder / "definitions.toml"
    path.write_text(path.read_text(encoding="utf-8") + SASARAN, encoding="utf-8")
    (folder / "sasaran_pmks.csv").write_text("tahun,jumlah\n2025,40\n2026,50\n", encoding="utf-8")
    # one service in 2025-TW4, so that skor has a value there
    add_row(folder, "layanan.csv", "3601000000000001,1.06.04.2.01.0001,Labuan,2025-11-01")
    return folder


def result(folder: Path, backend: str, period: str, indicator: str) -> IndicatorResult:
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        return engine.evaluate(period).get(indicator)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_indicator_computed_from_yearly_values_only_has_no_previous_triwulan(
    tmp_path: Path, backend: str
) -> None:
    folder = yearly_office(tmp_path)
    # Over a year and a year to date the change is the year's: 76.05 - 75.6 = 0.45;
    # the sasaran 50 - 40 = 10.
    for period in ("2026", "2026-sd-TW2"):
        assert result(folder, backend, period, "akip-selisih").value == Decimal("0.45")
        assert result(folder, backend, period, "sasaran-naik").value == 10
    # Between triwulan, akip holds the year's value in each: 2026-TW2 read 76.05 - 76.05
    # = 0 and 2026-TW1 76.05 - 75.6 = 0.45 (the year's change in one triwulan) in
    # silence, where the input itself (akip-naik in the README) is not available. The
    # same for the yearly sasaran: 50 - 50 = 0, and 50 - 40 = 10 in TW1.
    for period, before in (("2026-TW2", "2026-TW1"), ("2026-TW1", "2025-TW4")):
        for indicator, reads in (("akip-selisih", "akip"), ("sasaran-naik", "sasaran-ind")):
            found = result(folder, backend, period, indicator)
            assert found.value is None, (period, indicator, found.value)
            assert code_of(found.reason) == "not-a-whole-year"
            assert str(found.reason).startswith(
                f"{reads}: it is computed only from values given once a year"
            )
            assert f"no value of its own for {before} (the previous period)" in str(found.reason)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_indicator_of_an_input_and_a_register_keeps_its_change_between_triwulan(
    tmp_path: Path, backend: str
) -> None:
    folder = yearly_office(tmp_path)
    # skor = 0.5 × Nilai AKIP + iku-tertangani / 100 %. 2025-TW4: served nik 1 of the
    # PMKS registered by then (niks 1, 2): 50 %, skor 0.5 × 75.6 + 0.5 = 38.3.
    # 2026-TW1: served nik 1 of niks 1–4: 25 %, skor 0.5 × 76.05 + 0.25 = 38.275.
    # Change: 38.275 - 38.3 = -0.025.
    assert result(folder, backend, "2026-TW1", "skor-naik").value == Decimal("-0.025")
