"""A capaian method or a triwulan key written another way than the README writes it is read
as the planner meant, or refused; never read as something else in silence.

* ``capaian_method = "Terakhir"``: the loader accepted it (it compares the method's name in
  any case) but the engine did not know it, and read the indicator ``kumulatif``.
* ``triwulan_targets = { "2026-TW1" = "15", "2026-tw1" = "10" }``: both keys are 2026-TW1,
  and the last was read, 10, with nothing said."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import CASCADE, run

from iku_rules.engine import Engine
from iku_rules.loader import load

OFFICE = (
    """\
[office]
id = "contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2030
units = ["Orang"]

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "dilayani"
  name = "Orang dilayani"
  unit = "Orang"
  formula = "realisasi"
  targets = { 2026 = "100" }
  triwulan_targets = {TRIWULAN}
  capaian_method = "{METHOD}"
"""
)

QUARTERS = '{ "2026-TW1" = "10", "2026-TW2" = "20", "2026-TW3" = "30", "2026-TW4" = "40" }'


def _office(tmp_path: Path, method: str, triwulan: str = QUARTERS) -> Path:
    text = OFFICE.replace("{TRIWULAN}", triwulan).replace("{METHOD}", method)
    (tmp_path / "definitions.toml").write_text(text, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(
        "indikator,periode,nilai\ndilayani,2026-TW1,10\ndilayani,2026-TW2,15\n", encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize("method", ["terakhir", "Terakhir", "TERAKHIR", " terakhir "])
def test_terakhir_in_any_case_is_terakhir(tmp_path: Path, method: str) -> None:
    # To TW2 read 'terakhir': the last triwulan, 15 against TW2's 20 = 75.00 (Sedang).
    # Read 'kumulatif', as "Terakhir" was: 10 + 15 = 25 against 10 + 20 = 30, 83.33.
    folder = _office(tmp_path, method)
    assert run("check", str(folder))[0] == 0
    result = Engine(folder, folder).evaluate("2026-sd-TW2").get("dilayani")
    assert result.capaian is not None
    assert result.capaian.value == Decimal("75.00")


def test_rasio_in_capitals_is_rasio(tmp_path: Path) -> None:
    # Lower is better, TW1 alone: realisasi 10 against a target of 8. By 'rasio' 8 / 10 ×
    # 100 = 80.00; by 'selisih' (the default, as "Rasio" was read) (2 × 8 − 10) / 8 × 100
    # = 75.00.
    triwulan = '{ "2026-TW1" = "8" }'
    folder = _office(tmp_path, "Kumulatif+Rasio", triwulan)
    path = folder / "definitions.toml"
    path.write_text(
        path.read_text("utf-8").replace(
            'unit = "Orang"\n  formula', 'unit = "Orang"\n  polarity = "negatif"\n  formula'
        ),
        "utf-8",
    )
    result = Engine(folder, folder).evaluate("2026-TW1").get("dilayani")
    assert result.capaian is not None
    assert result.capaian.value == Decimal("80.00")


def test_one_triwulan_given_two_targets_is_refused(tmp_path: Path) -> None:
    # "2026-tw1" is 2026-TW1 too: its 10 was read, the 15 written first dropped in silence.
    triwulan = '{ "2026-TW1" = "15", "2026-tw1" = "10" }'
    folder = _office(tmp_path, "kumulatif", triwulan)
    errors = [d for d in load(folder).diagnostics if d.severity == "error"]
    assert [(d.code, d.message) for d in errors] == [
        (
            "target-key",
            "the triwulan 2026-TW1 is given two targets, as '2026-TW1' and as '2026-tw1'; keep one",
        )
    ]
    status, text = run("--lang", "id", "check", str(folder))
    assert status == 1
    assert "triwulan 2026-TW1 diberi dua target" in text
