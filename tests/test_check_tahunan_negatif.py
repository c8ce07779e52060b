"""`iku check` warns of an indicator where lower is better read 'tahunan' whose value so far
is compared with the whole year's target for a year to date (2026-sd-TW1): 2 cases by TW1
against a target of 10 for the year read capaian 180 %, Sangat Tinggi, the year not over.

A single triwulan is compared with its own triwulan target, never the year's; a year to date
under 'tahunan' with the year's (iku_rules.assess.targets). The warning is given only where
the value grows as the year goes on: a realisasi of a count, a count of events dated within
the period, a ratio of such a count over what does not grow."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import CASCADE, run

OFFICE = """\
#:schema ../iku_rules/schema/definitions.schema.json
[office]
id = "contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2030
notation = "id"
{rules}
[satuan]
Kasus = {{ dimension = "kasus", whole = true }}
Orang = {{ dimension = "orang", whole = true }}

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = {{ indikator = "text", periode = "text", nilai = "decimal" }}

[[source]]
id = "inputs"
kind = "inputs"
format = "csv"
path = "inputs.csv"
columns = {{ nama = "text", tahun = "integer", nilai = "decimal" }}

[[source]]
id = "kasus"
kind = "register"
format = "csv"
path = "kasus.csv"
columns = {{ nik = "nik", tanggal = "date", meninggal = "text" }}
date_column = "tanggal"
time = "flow"

[[measure]]
name = "Kasus DBD"
source = "kasus"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Kasus DBD meninggal"
source = "kasus"
aggregate = "count_distinct"
column = "nik"
filter = 'meninggal = "ya"'

[[input]]
name = "Penduduk tengah tahun"
unit = "Orang"
"""

KASUS_GIZI = """
[[sasaran.indikator]]
id = "kasus-gizi-buruk"
name = "Jumlah kasus gizi buruk"
unit = "Kasus"
polarity = "{polarity}"
formula = "realisasi"
capaian_method = "{method}"
targets = {{ 2026 = "10" }}
{extra}"""


def office(tmp_path: Path, indicators: str, rules: str = "") -> tuple[Path, Path]:
    """An office with ``indicators`` under its sasaran, and its data: 2 cases of gizi buruk
    reported for TW1; DBD cases on 10 January, 10 February (died) and 10 May; 4000 people."""
    folder, data = tmp_path / "office", tmp_path / "data"
    folder.mkdir()
    data.mkdir()
    text = OFFICE.format(rules=rules) + "\n" + CASCADE + indicators
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    reported = "kasus-gizi-buruk,2026-TW1,2\n" if "kasus-gizi-buruk" in indicators else ""
    (data / "realisasi.csv").write_text("indikator,periode,nilai\n" + reported, encoding="utf-8")
    (data / "inputs.csv").write_text(
        "nama,tahun,nilai\nPenduduk tengah tahun,2026,4000\n", encoding="utf-8"
    )
    (data / "kasus.csv").write_text(
        "nik,tanggal,meninggal\n3601000000000001,2026-01-10,tidak\n"
        "3601000000000002,2026-02-10,ya\n3601000000000003,2026-05-10,tidak\n",
        encoding="utf-8",
    )
    return folder, data


def warnings(folder: Path) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 0, text
    return [d for d in json.loads(text)["diagnostics"] if d["code"] == "tahunan-negatif"]


def capaian(folder: Path, data: Path, period: str, indicator: str) -> Any:
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", period, "--format", "json"
    )
    assert status == 0, text
    rows = json.loads(text, parse_float=Decimal)
    return next(row["capaian"] for row in rows if row["id"] == indicator)


def test_a_realisasi_of_cases_read_tahunan_is_warned_of_and_the_fix_gives_the_right_capaian(
    tmp_path: Path,
) -> None:
    folder, data = office(
        tmp_path, KASUS_GIZI.format(polarity="negatif", method="tahunan", extra="")
    )
    # The misreading the warning is about: 2 cases by TW1 against 10 for the year, by
    # 'selisih' (2 × 10 − 2) / 10 × 100 = 180 %.
    assert capaian(folder, data, "2026-sd-TW1", "kasus-gizi-buruk") == Decimal("180.00")
    (warning,) = warnings(folder)
    assert warning["severity"] == "warning"
    assert warning["message"].startswith(
        "indicator 'kasus-gizi-buruk' is read 'tahunan' (its capaian_method) and lower is"
        " better (polarity negatif): for a year to date short of the year"
    )
    assert warning["suggestion"] == (
        "give the indicator triwulan_targets (each triwulan's own part of the year's target)"
        ' and declare capaian_method = "kumulatif": its value to date is then compared with'
        " the targets to date"
    )
    assert (warning["line"], warning["column"]) == (
        next(
            n
            for n, line in enumerate((folder / "definitions.toml").read_text().splitlines(), 1)
            if line.startswith('id = "kasus-gizi-buruk"')
        ),
        1,
    )

    # The fix followed: the 2 cases of TW1 against TW1's 3: (2 × 3 − 2) / 3 × 100 = 133,33 %.
    fixed = KASUS_GIZI.format(
        polarity="negatif",
        method="kumulatif",
        extra='triwulan_targets = { "2026-TW1" = "3", "2026-TW2" = "2",'
        ' "2026-TW3" = "3", "2026-TW4" = "2" }\n',
    )
    (tmp_path / "fixed").mkdir()
    folder, data = office(tmp_path / "fixed", fixed)
    assert warnings(folder) == []
    assert capaian(folder, data, "2026-sd-TW1", "kasus-gizi-buruk") == Decimal("133.33")


def test_with_triwulan_targets_the_fix_is_the_method_alone(tmp_path: Path) -> None:
    folder, _ = office(
        tmp_path,
        KASUS_GIZI.format(
            polarity="negatif",
            method="tahunan+rasio",
            extra='triwulan_targets = { "2026-TW1" = "2", "2026-TW2" = "3",'
            ' "2026-TW3" = "3", "2026-TW4" = "2" }\n',
        ),
    )
    (warning,) = warnings(folder)
    assert warning["suggestion"] == (
        'declare capaian_method = "kumulatif+rasio" for the indicator: its value to date is'
        " then compared with its triwulan targets to date"
    )


def test_the_office_rule_and_a_rate_of_events_over_the_population(tmp_path: Path) -> None:
    indicators = """
[[sasaran.indikator]]
id = "angka-dbd"
name = "Angka kesakitan DBD"
unit = "per 1.000 penduduk"
polarity = "negatif"
formula = "Σ [Kasus DBD] / [Penduduk tengah tahun] × 1.000"
targets = { 2026 = "1" }

[[sasaran.indikator]]
id = "cfr-dbd"
name = "Persentase kasus DBD meninggal"
unit = "Persen"
polarity = "negatif"
formula = "Σ [Kasus DBD meninggal] / Σ [Kasus DBD] × 100%"
numerator_within_denominator = true
targets = { 2026 = "5" }
"""
    folder, data = office(tmp_path, indicators, rules='\n[rules]\ntriwulan = "tahunan"\n')
    # 2 cases of Jan–Mar over 4000 people × 1000 = 0,5 against 1 for the year:
    # (2 × 1 − 0,5) / 1 × 100 = 150 %, with three quarters of the year still to come.
    assert capaian(folder, data, "2026-sd-TW1", "angka-dbd") == Decimal("150.00")
    (warning,) = warnings(folder)  # not cfr-dbd: deaths over cases of the same months
    assert warning["message"].startswith(
        "indicator 'angka-dbd' is read 'tahunan' (the office's [rules] triwulan)"
    )
    assert warning["suggestion"] == (
        "give the indicator triwulan_targets (the value allowed by the end of each triwulan)"
        ' and declare capaian_method = "terakhir": its value to date is then compared with'
        " the targets to date"
    )


def test_no_warning_where_the_year_to_date_is_not_a_part_of_the_year(tmp_path: Path) -> None:
    indicators = (
        KASUS_GIZI.format(polarity="positif", method="tahunan", extra="")
        + """
[[sasaran.indikator]]
id = "kasus-input"
name = "Kasus dari input"
unit = "Kasus"
polarity = "negatif"
formula = "input"
capaian_method = "tahunan"
targets = { 2026 = "10" }
"""
    )
    folder, _ = office(tmp_path, indicators)
    # Higher is better: a year to date short of the year reads as less, never as more; an
    # input is the year's value whatever the period.
    assert warnings(folder) == []
