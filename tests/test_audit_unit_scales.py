"""Satuan of one quantity at different scales: Rupiah, Ribu, Juta and Miliar Rupiah; Km, Meter
and Cm; Ha and M2 … An indicator in Miliar Rupiah whose formula sums a measure in Rupiah once
gave 1.000.000.000 Miliar Rupiah (a capaian of 83.333.333.333,33 %) with only a warning that
the unit table did not know Miliar Rupiah. The table now gives each scale its factor, and
``iku check`` proves every conversion: a formula that does not convert is an error naming
both satuan and the fix, one that converts passes and ``iku eval`` gives its right value.
Every expected number is worked by hand."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import CASCADE, run

OFFICE = """\
#:schema ../iku_rules/schema/definitions.schema.json
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
notation = "{notation}"
{satuan}
"""

INDICATOR = """
  [[sasaran.indikator]]
  id = "anggaran"
  name = "Realisasi anggaran"
  unit = "{unit}"
  formula = "{formula}"
  targets = {{ 2026 = "{target}" }}

[[source]]
id = "belanja"
kind = "register"
format = "csv"
path = "belanja.csv"
date_column = "tanggal"
time = "flow"
columns = {{ tanggal = "date", nilai = "decimal", pagu = "decimal" }}

[[measure]]
name = "Realisasi Anggaran"
unit = "{realisasi}"
source = "belanja"
aggregate = "sum"
column = "nilai"

[[measure]]
name = "Pagu"
unit = "{pagu}"
source = "belanja"
aggregate = "sum"
column = "pagu"
"""

# Realisasi 400.000.000 + 600.000.000 = 1.000.000.000; pagu 1.000 + 500 = 1.500.
DATA = "tanggal;nilai;pagu\n2026-03-01;400.000.000;1.000\n2026-09-01;600.000.000;500\n"


def _office(
    tmp_path: Path,
    unit: str,
    formula: str,
    target: str,
    realisasi: str = "Rupiah",
    pagu: str = "Juta Rupiah",
    notation: str = "id",
    satuan: str = "",
    extra: str = "",
) -> Path:
    folder = tmp_path / "office"
    folder.mkdir(parents=True)
    text = OFFICE.format(notation=notation, satuan=satuan) + CASCADE
    text += INDICATOR.format(
        unit=unit, formula=formula, target=target, realisasi=realisasi, pagu=pagu
    )
    text += extra
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    (folder / "belanja.csv").write_text(DATA, encoding="utf-8")
    return folder


def _check(folder: Path) -> tuple[int, list[dict[str, object]]]:
    status, out = run("--lang", "en", "check", str(folder), "--format", "json")
    return status, json.loads(out)["diagnostics"]


def _eval(folder: Path) -> dict[str, object]:
    status, out = run(
        "--lang", "en", "eval", str(folder), "--data", str(folder), "--period", "2026",
        "--format", "json",
    )  # fmt: skip
    assert status == 0, out
    [row] = json.loads(out)
    return dict(row)


def test_miliar_rupiah_over_a_measure_in_rupiah_must_divide(tmp_path: Path) -> None:
    # Σ [Realisasi Anggaran] = 1.000.000.000 Rupiah = 1 Miliar Rupiah; given as it was, the
    # value was 1.000.000.000 "Miliar Rupiah", a capaian of 1.000.000.000 / 1,2 × 100.
    folder = _office(tmp_path, "Miliar Rupiah", "Σ [Realisasi Anggaran]", "1,2")
    status, found = _check(folder)
    assert status == 1
    [error] = [d for d in found if d["severity"] == "error"]
    assert error["code"] == "unit-mismatch" and error["line"] == 28
    assert error["message"] == (
        "indicator 'anggaran' is measured in Miliar Rupiah, but its formula gives Rupiah:"
        " 1 Miliar Rupiah = 1.000.000.000 Rupiah"
    )
    assert error["suggestion"] == (
        "divide by 1.000.000.000: Σ [Realisasi Anggaran] / 1.000.000.000"
    )
    status, out = run(
        "--lang", "en", "eval", str(folder), "--data", str(folder), "--period", "2026"
    )
    assert status != 0 and "1000000000" not in out


def test_a_formula_that_converts_passes_and_gives_the_right_value(tmp_path: Path) -> None:
    formula = "Σ [Realisasi Anggaran] / 1.000.000.000"
    folder = _office(tmp_path, "Miliar Rupiah", formula, "1,2")
    status, found = _check(folder)
    # No warning that the table cannot say what Miliar Rupiah counts: it knows it now.
    assert status == 0 and found == [], found
    row = _eval(folder)
    # 1.000.000.000 / 1.000.000.000 = 1 Miliar Rupiah; capaian 1 / 1,2 × 100 = 83,33 %
    assert (row["value"], row["target"], row["capaian"]) == (1, 1.2, 83.33)


def test_rupiah_are_never_added_to_juta_rupiah(tmp_path: Path) -> None:
    # 1.000.000.000 Rupiah + 1.500 Juta Rupiah would be 1.000.001.500 of nothing.
    folder = _office(tmp_path, "Rupiah", "Σ [Realisasi Anggaran] + Σ Pagu", "2.500.000.000")
    status, found = _check(folder)
    [error] = [d for d in found if d["severity"] == "error"]
    assert status == 1 and error["column"] == 39  # at Σ Pagu
    assert error["message"] == (
        "in the formula of indicator 'anggaran': 'Σ Pagu' is in Juta Rupiah and cannot be added"
        " to 'Σ Realisasi Anggaran', which is in Rupiah"
    )
    assert error["suggestion"] == (
        "convert it to the satuan of 'Σ Realisasi Anggaran' first: Σ Pagu × 1.000.000"
    )
    # Converted: 1.000.000.000 + 1.500 × 1.000.000 = 2.500.000.000 Rupiah, capaian 100 %.
    formula = "Σ [Realisasi Anggaran] + Σ Pagu × 1.000.000"
    folder = _office(tmp_path / "converted", "Rupiah", formula, "2.500.000.000")
    assert _check(folder) == (0, [])
    row = _eval(folder)
    assert (row["value"], row["capaian"]) == (2500000000, 100)
    # A tax of 10 % as a parameter over 100 is no conversion of Rupiah (only 1.000,
    # 1.000.000 … are): 1.000.000.000 × 10 / 100 + 1.500 × 1.000.000 = 1.600.000.000.
    formula = "Σ [Realisasi Anggaran] × [tarif] / 100 + Σ Pagu × 1.000.000"
    extra = '\n[[parameter]]\nname = "tarif"\nvalue = 10\n'
    folder = _office(tmp_path / "tax", "Rupiah", formula, "1.600.000.000", extra=extra)
    assert _check(folder) == (0, [])
    row = _eval(folder)
    assert (row["value"], row["capaian"]) == (1600000000, 100)


def test_a_percentage_of_rupiah_over_juta_rupiah_must_convert(tmp_path: Path) -> None:
    # Σ realisasi / Σ pagu × 100% = 1.000.000.000 / 1.500 × 100 = 66.666.666,67 % given
    # silently (both are money: a plain ratio). Right: 1.000.000.000 / 1.500.000.000 × 100.
    folder = _office(tmp_path, "Persen", "Σ [Realisasi Anggaran] / Σ Pagu × 100%", "80")
    status, found = _check(folder)
    [error] = [d for d in found if d["severity"] == "error"]
    assert status == 1 and error["code"] == "unit-mismatch"
    assert error["message"] == (
        "in the formula of indicator 'anggaran': 'Σ Pagu' is in Juta Rupiah and cannot divide"
        " 'Σ [Realisasi Anggaran]', which is in Rupiah: a ratio of like by like needs both at"
        " one scale"
    )
    assert error["suggestion"].endswith("first: (Σ Pagu × 1.000.000)")
    formula = "Σ [Realisasi Anggaran] / (Σ Pagu × 1.000.000) × 100%"
    folder = _office(tmp_path / "converted", "Persen", formula, "80")
    assert [d for d in _check(folder)[1] if d["severity"] == "error"] == []
    row = _eval(folder)
    # 66,666…% of 80: capaian 66,6667 / 80 × 100 = 83,33
    assert round(float(str(row["value"])), 4) == 66.6667 and row["capaian"] == 83.33


def test_km_over_a_measure_in_meter(tmp_path: Path) -> None:
    # 1.000.000.000 Meter = 1.000.000 Km; target 800.000 Km: capaian 125 %.
    folder = _office(
        tmp_path, "Km", "Σ [Realisasi Anggaran]", "800.000", realisasi="Meter", pagu="Km"
    )
    status, found = _check(folder)
    [error] = [d for d in found if d["severity"] == "error"]
    assert status == 1 and error["message"].endswith("gives Meter: 1 Km = 1.000 Meter")
    assert error["suggestion"] == "divide by 1.000: Σ [Realisasi Anggaran] / 1.000"
    formula = "Σ [Realisasi Anggaran] / 1.000"
    folder = _office(tmp_path / "ok", "Km", formula, "800.000", realisasi="Meter", pagu="Km")
    assert _check(folder) == (0, [])
    row = _eval(folder)
    assert (row["value"], row["capaian"]) == (1000000, 125)
    # The office's own Km and Meter (each its own dimension) are its own satuan, without
    # the table's factors: Km over Km passes, 1.500 Km against 1.500 is 100 %.
    satuan = '[satuan]\nKm = "km"\nMeter = "meter"\n'
    folder = _office(
        tmp_path / "own", "Km", "Σ Pagu", "1.500", realisasi="Meter", pagu="Km", satuan=satuan
    )
    assert _check(folder) == (0, [])
    assert _eval(folder)["capaian"] == 100


def test_a_smaller_scale_asks_to_multiply_in_the_office_notation(tmp_path: Path) -> None:
    # Pagu 1.500 Juta Rupiah = 1.500.000.000 Rupiah; the office writes numbers as "en".
    folder = _office(tmp_path, "Rupiah", "Σ Pagu", "1500000000", notation="en")
    status, found = _check(folder)
    [error] = [d for d in found if d["severity"] == "error"]
    assert status == 1
    assert error["message"].endswith("gives Juta Rupiah: 1 Juta Rupiah = 1,000,000 Rupiah")
    assert error["suggestion"] == "multiply by 1,000,000: Σ Pagu × 1,000,000"


def test_two_known_scales_given_one_dimension_are_left_to_the_table(tmp_path: Path) -> None:
    # Km = "panjang" and Meter = "panjang" would add 1 Km + 1 Meter = 2. The fix once given,
    # a dimension of each (Km = "km", Meter = "meter"), left no formula that converts
    # (Σ [Panjang] / 1.000 stays in "meter"); the table knows both at their scales.
    satuan = '[satuan]\nKm = "panjang"\nMeter = "panjang"\n'
    folder = _office(tmp_path, "Km", "Σ Pagu", "1.500", realisasi="Meter", pagu="Km", satuan=satuan)
    status, found = _check(folder)
    [error] = [d for d in found if d["code"] == "mixed-scales"]
    assert status == 1 and error["suggestion"] == (
        "remove Km, Meter from [satuan]: the unit table knows Km and Meter at their scales"
        " (1 Km = 1.000 Meter) and iku check proves the conversions between them"
    )


def test_the_spellings_budgets_write_are_scales_too(tmp_path: Path) -> None:
    # "Rp. Milyar" is Miliar Rupiah as many budgets spell it: 1.000.000.000 Rupiah were
    # 1.000.000.000 "Rp. Milyar" with only a warning. Right: 1 Rp. Milyar, 1 / 1,2 = 83,33 %.
    folder = _office(tmp_path, "Rp. Milyar", "Σ [Realisasi Anggaran]", "1,2", realisasi="Rp")
    status, found = _check(folder)
    [error] = [d for d in found if d["severity"] == "error"]
    assert status == 1 and error["message"].endswith(
        "gives Rupiah: 1 Rp. Milyar = 1.000.000.000 Rupiah"
    )
    formula = "Σ [Realisasi Anggaran] / 1.000.000.000"
    folder = _office(tmp_path / "ok", "Rp. Milyar", formula, "1,2", realisasi="Rp")
    assert _check(folder) == (0, [])
    assert _eval(folder)["capaian"] == 83.33
