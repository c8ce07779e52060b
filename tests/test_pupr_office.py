"""A fourth office, of another kind than the shipped ones: the Dinas PUPR of a made-up
Kabupaten Giriwangi, with kecamatan and desa, written by following the README only
(tests/fixtures/pupr-kabupaten/definitions), over hand-made data whose values are decimal
sums (kilometres of road, households), not counts. data/pupr.xlsx is written by
tests/fixtures/pupr-kabupaten/make_data.py; every number below is computed here by hand.

The road register (sheet ruas_jalan, one row per survey of a ruas; lengths typed "12,35" as
text or 8.4 as numbers; a blank row after R05; only each ruas' latest survey on or before
the period's end counts):

    ruas  kecamatan  desa        km     2025-06-15     2026-06-20
    R01   Giriwangi  Giriwangi   12,35  sedang         baik
    R02   Giriwangi  Mekarsari    8,40  rusak ringan   sedang
    R03   Giriwangi  Giriwangi    4,25  rusak berat    -
    R04   Sukaresmi  Sukaresmi   15,60  sedang         -
    R05   Sukaresmi  Mekarsari    6,05  rusak berat    rusak ringan
    R06   Sukaresmi  Cijati       8,35  baik           -
    R07   Pasirjaya  Pasirjaya   10,20  rusak ringan   baik
    R08   Pasirjaya  Talagasari  14,80  rusak berat    -
    R09   Pasirjaya  Talagasari   0     -              baik

    2025 (and 2026-TW1): 80 km; mantap (baik, sedang) R01 + R04 + R06 = 12,35 + 15,60 +
    8,35 = 36,30; rusak berat R03 + R05 + R08 = 4,25 + 6,05 + 14,80 = 25,10.
    2026: 80 km (Giriwangi 25, Sukaresmi 30, Pasirjaya 25); mantap R01 + R02 + R04 + R06 +
    R07 + R09 = 12,35 + 8,40 + 15,60 + 8,35 + 10,20 + 0 = 54,90 (Giriwangi 20,75, Sukaresmi
    23,95, Pasirjaya 10,20); rusak berat R03 + R08 = 4,25 + 14,80 = 19,05.

Households (sheet air_minum, one row per desa and year, "2.000" typed with a thousands dot):

    desa (kecamatan)          RT      layak 2025  layak 2026
    Giriwangi (Giriwangi)     2.000   1.700       1.750
    Mekarsari (Giriwangi)     1.250     950       1.000
    Sukaresmi (Sukaresmi)     1.500   1.050       1.125
    Mekarsari (Sukaresmi)       800     560         600
    Cijati (Sukaresmi)          950     500         570
    Pasirjaya (Pasirjaya)     1.100     850         880
    Talagasari (Pasirjaya)    1.400     940       1.000
    kabupaten                 9.000   6.550       6.925

Realisasi (realisasi.csv, semicolons, decimal commas): jalan-direhabilitasi (Km) TW1
Giriwangi 2,35 and Sukaresmi 1,5; TW2 Giriwangi 3,15 and Pasirjaya 4,005: 11,005 km.
drainase-dibangun (Meter) TW1 Giriwangi 1.234,5; TW2 Sukaresmi 2.765,5 and Pasirjaya
1.000: 5.000 m.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from iku_rules.cli import main
from iku_rules.decimals import CONTEXT

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pupr-kabupaten"
DEFS = FIXTURE / "definitions"
DATA = FIXTURE / "data"
SURVEY_2026 = datetime.date(2026, 6, 20)


def ratio(numerator: str | int, denominator: str | int, scale: int = 1) -> Decimal:
    """numerator / denominator × scale, as the formulas compute it (50 digits)."""
    return CONTEXT.multiply(CONTEXT.divide(Decimal(numerator), Decimal(denominator)), scale)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def rows(
    period: str = "2026", *by: str, lang: str = "id", defs: Path = DEFS, data: Path = DATA
) -> dict[tuple[str, str | None], dict[str, Any]]:
    status, text = run(
        "--lang", lang, "eval", str(defs), "--data", str(data), "--period", period,
        "--format", "json", *by,
    )  # fmt: skip
    assert status == 0, text
    found = json.loads(text, parse_float=Decimal)
    return {(row["id"], row["region"]): row for row in found}


def _make_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pupr_make_data", FIXTURE / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def office_copy(
    tmp_path: Path,
    ruas: Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]] | None = None,
    air: Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]] | None = None,
) -> Path:
    """A copy of the fixture whose workbook is written again with its rows changed."""
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    made = _make_data()
    if ruas is not None:
        made.RUAS = ruas(list(made.RUAS))
    if air is not None:
        made.AIR_MINUM = air(list(made.AIR_MINUM))
    made.write(folder / "data" / "pupr.xlsx")
    return folder


def test_the_workbook_is_what_make_data_writes(tmp_path: Path) -> None:
    # The rows this file's numbers are computed from are the rows of the fixture's workbook.
    from openpyxl import load_workbook

    made = _make_data()
    made.write(tmp_path / "pupr.xlsx")
    for name in ("ruas_jalan", "air_minum"):
        kept = list(load_workbook(DATA / "pupr.xlsx")[name].iter_rows(values_only=True))
        fresh = list(load_workbook(tmp_path / "pupr.xlsx")[name].iter_rows(values_only=True))
        assert kept == fresh, name


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "0 kesalahan, 0 peringatan di 5 berkas\n"),
        ("en", "0 errors, 0 warnings in 5 files\n"),
    ],
)
def test_the_pupr_office_passes_iku_check(lang: str, expected: str) -> None:
    status, text = run("--lang", lang, "check", str(DEFS))
    assert (status, text) == (0, expected)


def test_the_kabupaten_year_with_every_number_by_hand() -> None:
    found = rows()
    area = {key[0]: row for key, row in found.items() if key[1] is None}
    # Jalan mantap: 54,90 / 80 × 100 = 68,625 %; capaian 68,625 / 70 × 100 = 98,0357… → 98,04.
    # A sum of the kecamatan percentages' average would be (83 + 79,8333… + 40,8) / 3 = 67,88.
    assert area["jalan-mantap"]["value"] == Decimal("68.625")
    assert (area["jalan-mantap"]["capaian"], area["jalan-mantap"]["predikat"]) == (
        Decimal("98.04"),
        "Sangat Tinggi",
    )
    # Rusak berat (negatif): 19,05 / 80 × 100 = 23,8125 %; (2 × 25 − 23,8125) / 25 × 100 =
    # 26,1875 × 4 = 104,75.
    assert area["jalan-rusak-berat"]["value"] == Decimal("23.8125")
    assert area["jalan-rusak-berat"]["capaian"] == Decimal("104.75")
    # Air minum: 6.925 / 9.000 × 100 = 76,9444… %; / 76,5 × 100 = 100,5809… → 100,58.
    assert area["akses-air-minum"]["value"] == ratio(6925, 9000, 100)
    assert area["akses-air-minum"]["capaian"] == Decimal("100.58")
    # Realisasi: 2,35 + 1,5 + 3,15 + 4,005 = 11,005 km against 12,5: 88,04 (Tinggi).
    assert area["jalan-direhabilitasi"]["value"] == Decimal("11.005")
    assert (area["jalan-direhabilitasi"]["capaian"], area["jalan-direhabilitasi"]["predikat"]) == (
        Decimal("88.04"),
        "Tinggi",
    )
    # 1.234,5 + 2.765,5 + 1.000 = 5.000 m against "5.000" (five thousand, notation id): 100.
    assert area["drainase-dibangun"]["value"] == 5000
    assert area["drainase-dibangun"]["capaian"] == 100


def test_by_kecamatan_each_ratio_from_its_own_sums_against_its_own_target() -> None:
    found = rows("2026", "--by", "kecamatan")
    # Giriwangi 20,75 / 25 = 83 % against 80: 103,75; Sukaresmi 23,95 / 30 = 79,8333… %
    # against 76: 105,0438… → 105,04; Pasirjaya 10,20 / 25 = 40,8 % against 48: 85 (Tinggi).
    assert found["jalan-mantap", "Giriwangi"]["value"] == 83
    assert found["jalan-mantap", "Giriwangi"]["capaian"] == Decimal("103.75")
    assert found["jalan-mantap", "Sukaresmi"]["value"] == ratio("23.95", 30, 100)
    assert found["jalan-mantap", "Sukaresmi"]["capaian"] == Decimal("105.04")
    assert found["jalan-mantap", "Pasirjaya"]["value"] == Decimal("40.8")
    assert found["jalan-mantap", "Pasirjaya"]["capaian"] == 85
    assert found["jalan-mantap", "Pasirjaya"]["predikat"] == "Tinggi"
    # Rusak berat: Sukaresmi 0 / 30 = 0 % (a sum of 0 km is 0, not "not available");
    # Pasirjaya 14,80 / 25 = 59,2 %. No targets per kecamatan: no capaian, with the reason.
    assert found["jalan-rusak-berat", "Sukaresmi"]["value"] == 0
    assert found["jalan-rusak-berat", "Pasirjaya"]["value"] == Decimal("59.2")
    assert found["jalan-rusak-berat", "Pasirjaya"]["capaian_reason_code"] == "whole-area-only"
    # Air minum, the area's 76,5 in every kecamatan (area_target_for_regions): Giriwangi
    # 2.750 / 3.250 = 84,6153… % → 110,61; Sukaresmi 2.295 / 3.250 = 70,6153… % → 92,31;
    # Pasirjaya 1.880 / 2.500 = 75,2 % → 98,30.
    assert found["akses-air-minum", "Giriwangi"]["value"] == ratio(2750, 3250, 100)
    assert found["akses-air-minum", "Giriwangi"]["capaian"] == Decimal("110.61")
    assert found["akses-air-minum", "Sukaresmi"]["capaian"] == Decimal("92.31")
    assert found["akses-air-minum", "Pasirjaya"]["value"] == Decimal("75.2")
    assert found["akses-air-minum", "Pasirjaya"]["capaian"] == Decimal("98.30")
    # Km add up over kecamatan: Giriwangi 2,35 + 3,15 = 5,5; Pasirjaya 4,005.
    assert found["jalan-direhabilitasi", "Giriwangi"]["value"] == Decimal("5.5")
    assert found["jalan-direhabilitasi", "Pasirjaya"]["value"] == Decimal("4.005")


def test_two_desa_of_one_name_stay_two() -> None:
    found = rows("2026", "--by", "desa", lang="en")
    # Mekarsari (Giriwangi): 1.000 / 1.250 = 80 %; Mekarsari (Sukaresmi): 600 / 800 = 75 %;
    # added up as one they would be 1.600 / 2.050 = 78,05 %.
    assert found["akses-air-minum", "Mekarsari (Giriwangi)"]["value"] == 80
    assert found["akses-air-minum", "Mekarsari (Sukaresmi)"]["value"] == 75
    assert ("akses-air-minum", "Mekarsari") not in found
    # Road: desa Giriwangi R01 baik 12,35 and R03 rusak berat 4,25: 12,35 / 16,60 × 100.
    assert found["jalan-mantap", "Giriwangi"]["value"] == ratio("12.35", "16.60", 100)
    # Talagasari: R08 rusak berat 14,80 and R09 baik of 0 km: 0 / 14,80 = 0 %, 100 % rusak.
    assert found["jalan-mantap", "Talagasari"]["value"] == 0
    assert found["jalan-rusak-berat", "Talagasari"]["value"] == 100
    status, text = run(
        "--lang", "en", "explain", str(DEFS), "akses-air-minum", "--data", str(DATA),
        "--period", "2026", "--by", "desa", "--region", "Mekarsari",
    )  # fmt: skip
    assert status == 1  # which Mekarsari is meant cannot be told; the message names both
    status, text = run(
        "--lang", "en", "explain", str(DEFS), "akses-air-minum", "--data", str(DATA),
        "--period", "2026", "--by", "desa", "--region", "Mekarsari (Sukaresmi)",
    )  # fmt: skip
    assert status == 0 and "desa Mekarsari (Sukaresmi)" in text and "= 75 %" in text


def test_only_the_latest_survey_of_each_ruas_counts() -> None:
    # 2025 and 2026-TW1 (before the 2026 survey): 36,30 / 80 = 45,375 % mantap against 66:
    # 68,75 (Sedang); rusak berat 25,10 / 80 = 31,375 % against 26 (negatif):
    # (52 − 31,375) / 26 × 100 = 79,3269… → 79,33. Counting every survey would have made
    # the road 80 + 12,35 + 8,40 + 6,05 + 10,20 = 117 km long in 2026.
    year = rows("2025")
    assert year["jalan-mantap", None]["value"] == Decimal("45.375")
    assert (year["jalan-mantap", None]["capaian"], year["jalan-mantap", None]["predikat"]) == (
        Decimal("68.75"),
        "Sedang",
    )
    assert year["jalan-rusak-berat", None]["value"] == Decimal("31.375")
    assert year["jalan-rusak-berat", None]["capaian"] == Decimal("79.33")
    # 2025 air minum: 6.550 / 9.000 = 72,777… % against 74: 98,3483… → 98,35.
    assert year["akses-air-minum", None]["capaian"] == Decimal("98.35")
    first = rows("2026-TW1")
    assert first["jalan-mantap", None]["value"] == Decimal("45.375")
    # the yearly household table serves its triwulan (in_triwulan = "year_value")
    assert first["akses-air-minum", None]["value"] == ratio(6925, 9000, 100)
    assert rows("2026-TW2")["jalan-mantap", None]["value"] == Decimal("68.625")


def test_realisasi_in_km_over_triwulan() -> None:
    # TW1 2,35 + 1,5 = 3,85 against 3: 128,333… → 128,33; TW2 3,15 + 4,005 = 7,155 against
    # 3: 238,5; to TW2 (kumulatif) 11,005 / (3 + 3) = 183,4166… → 183,42.
    assert rows("2026-TW1")["jalan-direhabilitasi", None]["capaian"] == Decimal("128.33")
    assert rows("2026-TW2")["jalan-direhabilitasi", None]["capaian"] == Decimal("238.5")
    to_tw2 = rows("2026-sd-TW2")["jalan-direhabilitasi", None]
    assert (to_tw2["value"], to_tw2["target"], to_tw2["capaian"]) == (
        Decimal("11.005"),
        6,
        Decimal("183.42"),
    )


@pytest.mark.parametrize(("lang", "comma"), [("id", True), ("en", False)])
def test_reports_round_half_away_from_zero(lang: str, comma: bool, tmp_path: Path) -> None:
    target = tmp_path / f"r-{lang}.md"
    status, _ = run(
        "--lang", lang, "report", str(DEFS), "--data", str(DATA), "--period", "2026",
        "-o", str(target),
    )  # fmt: skip
    text = target.read_text("utf-8")
    assert status == 0

    def shown(number: str) -> str:
        return number.replace(".", ",") if comma else number

    # 68,625 → 68,63; 45,375 → 45,38; 31,375 → 31,38; 11,005 → 11,01 (half to even would
    # give 68,62, 45,38, 31,38 and 11,00: two of them a hundredth low).
    for number in ("68.63", "45.38", "31.38", "11.01", "98.04", "104.75", "79.33"):
        assert f"| {shown(number)} |" in text, number
    assert f"| {shown('68.62')} |" not in text and f"| {shown('11.00')} |" not in text
    # the satuan of the lengths stand beside them
    assert "| Km |" in text and "| Meter |" in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_kabupaten_speaks_of_itself_only(lang: str, tmp_path: Path) -> None:
    outputs = []
    for args in (
        ("eval", str(DEFS), "--data", str(DATA), "--period", "2026", "--by", "kecamatan"),
        ("explain", str(DEFS), "jalan-rusak-berat", "--data", str(DATA), "--period", "2026"),
        (
            "report",
            str(DEFS),
            "--data",
            str(DATA),
            "--period",
            "2026",
            "-o",
            str(tmp_path / "r.html"),
        ),
    ):
        status, text = run("--lang", lang, *args)
        assert status == 0
        outputs.append(text)
    outputs.append((tmp_path / "r.html").read_text("utf-8"))
    whole = "\n".join(outputs)
    area = {"id": "Kabupaten (semua wilayah)", "en": "Kabupaten (all regions)"}[lang]
    assert (
        area in whole and ("seluruh kabupaten" if lang == "id" else "the whole kabupaten") in whole
    )
    for word in ("PMKS", "Pandeglang", "Dinas Sosial", "Kota (", "kota", "Puskesmas"):
        assert word not in whole, word


@pytest.mark.parametrize(
    ("lang", "value", "capaian"), [("id", "40,8 %", "85 %"), ("en", "40.8 %", "85 %")]
)
def test_explain_shows_what_eval_gives(lang: str, value: str, capaian: str) -> None:
    status, text = run(
        "--lang", lang, "explain", str(DEFS), "jalan-mantap", "--data", str(DATA),
        "--period", "2026", "--region", "PASIRJAYA",
    )  # fmt: skip
    # Pasirjaya: 10,2 / 25 × 100 = 40,8 %, against 48: 85; the sums it came from are shown.
    assert status == 0 and f"= {value}" in text and f"capaian {capaian}" in text
    assert ("10,2" if lang == "id" else "10.2") in text and "= 25" in text
    status, text = run(
        "--lang", lang, "explain", str(DEFS), "jalan-direhabilitasi", "--data", str(DATA),
        "--period", "2026-sd-TW2",
    )  # fmt: skip
    # the reported triwulan: 3,85 and 7,155, of 4 rows
    assert status == 0 and ("7,155" if lang == "id" else "7.155") in text


def test_the_python_api_gives_the_same_numbers() -> None:
    from iku_rules import Engine, capaian

    with Engine(DEFS, DATA) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
        assert evaluation.get("jalan-mantap").value == Decimal("68.625")
        assert evaluation.get("jalan-mantap", "Sukaresmi").value == ratio("23.95", 30, 100)
        result = evaluation.get("jalan-rusak-berat")
        # the same capaian the function gives: (2 × 25 − 23,8125) / 25 × 100 = 104,75
        # (IndicatorResult.capaian is a CapaianResult: its number is .value)
        assert result.capaian is not None
        assert result.capaian.value == capaian(result.value, 25, "negatif") == Decimal("104.75")
        assert "68,625" in evaluation.explain("jalan-mantap").text() or "68.625" in (
            evaluation.explain("jalan-mantap").text()
        )


def test_a_ruas_without_its_length_is_not_taken_as_zero(tmp_path: Path) -> None:
    def blank_r09(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [(*row[:4], None, *row[5:]) if row[0] == "R09" else row for row in rows]

    folder = office_copy(tmp_path, ruas=blank_r09)
    found = rows("2026", lang="en", defs=folder / "definitions", data=folder / "data")
    # R09 written 0 km counts as 0; left blank it is not known: not available, naming it.
    assert found["jalan-mantap", None]["value"] is None
    assert found["jalan-mantap", None]["reason"].startswith(
        "Panjang Jalan Mantap: 1 of 6 rows of ruas_jalan have no panjang_km in 2026"
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda rows: [*rows, (None,) * 7, ("Catatan: survei UPT Jalan", *(None,) * 6)],
            "pupr.xlsx, sheet 'ruas_jalan', row 17: the row comes after the empty row 16",
        ),
        (
            lambda rows: [
                *rows,
                ("R10", "Jl. Baru", "Pasirjaya", "Talagasari", "12.35", "baik", SURVEY_2026),
                ("R11", "Jl. Baru 2", "Pasirjaya", "Talagasari", "6.284", "baik", SURVEY_2026),
            ],
            # 6.284 would be 6284 km under notation "id": refused beside an "en" number
            "pupr.xlsx, sheet 'ruas_jalan', row 17, column 'panjang_km': the column mixes notations",
        ),
        (
            lambda rows: [
                *rows,
                ("R10", "Jl. Baru", "Pasirjaya", "Talagasari", "5,5 km", "baik", SURVEY_2026),
            ],
            "pupr.xlsx, sheet 'ruas_jalan', row 16, column 'panjang_km': '5,5 km' is not a number",
        ),
    ],
)
def test_the_road_register_refuses_what_it_cannot_read_one_way(
    edit: Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = office_copy(tmp_path, ruas=edit)
    status, _ = run(
        "--lang", "en", "eval", str(folder / "definitions"), "--data", str(folder / "data"),
        "--period", "2026",
    )  # fmt: skip
    assert status == 1 and capsys.readouterr().err.startswith("iku: " + message)


def test_a_row_of_totals_in_the_household_sheet_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Kabupaten Giriwangi" 9.000 / 6.925 would double the kabupaten: 13.850 / 18.000.
    folder = office_copy(
        tmp_path, air=lambda rows: [*rows, (2026, "Kabupaten Giriwangi", None, "9.000", "6.925")]
    )
    status, _ = run(
        "--lang", "en", "eval", str(folder / "definitions"), "--data", str(folder / "data"),
        "--period", "2026",
    )  # fmt: skip
    assert status == 1
    assert "the kecamatan 'Kabupaten Giriwangi' reads as a row of totals" in capsys.readouterr().err


def test_km_and_meter_given_one_dimension_are_refused(tmp_path: Path) -> None:
    # A planner who reads "units counting the same thing add" writes Km = "panjang" and
    # Meter = "panjang". Before the fix iku check passed it, and an indicator
    # Σ [Panjang Jalan] + [drainase-dibangun] came out 80 km + 5.000 m = 5.080 "Km".
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    office = folder / "definitions" / "office.toml"
    text = office.read_text("utf-8").replace(
        'Km = "km"\nMeter = "meter"', 'Km = "panjang"\nMeter = "panjang"'
    )
    office.write_text(text, "utf-8")
    status, output = run("--lang", "en", "check", str(folder / "definitions"), "--format", "json")
    found = [d for d in json.loads(output)["diagnostics"] if d["code"] == "mixed-scales"]
    assert status == 1 and len(found) == 1, output
    assert found[0]["path"].endswith("office.toml") and found[0]["line"] == 27  # Km = ...
    assert found[0]["message"] == (
        "the satuan 'Km' and 'Meter' both count 'panjang', but they measure one quantity at"
        " different scales: formulas would add and compare Km and Meter as one unit"
        " (1 Km + 1 Meter = 2)"
    )
    assert found[0]["suggestion"] == (
        "remove Km, Meter from [satuan]: the unit table knows Km and Meter at their scales"
        " (1 Km = 1.000 Meter) and iku check proves the conversions between them"
    )
    # The office's Juta Rupiah against the built-in Rupiah: a budget in juta beside one in rupiah.
    text = office.read_text("utf-8").replace(
        'Km = "panjang"\nMeter = "panjang"', '"Juta Rupiah" = "rupiah"'
    )
    office.write_text(text, "utf-8")
    status, output = run("--lang", "en", "check", str(folder / "definitions"), "--format", "json")
    found = [d for d in json.loads(output)["diagnostics"] if d["code"] == "mixed-scales"]
    assert [d["suggestion"] for d in found] == [
        "remove Juta Rupiah from [satuan]: the unit table knows Juta Rupiah and Rupiah at their"
        " scales (1 Juta Rupiah = 1.000.000 Rupiah) and iku check proves the conversions"
        " between them"
    ]


def test_two_declared_desa_of_one_name_in_two_kecamatan(tmp_path: Path) -> None:
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    wilayah = folder / "definitions" / "wilayah.toml"
    declared = "".join(
        f'\n[[region]]\nlevel = "desa"\nname = "{name}"\nparent = "{parent}"\n'
        for name, parent in (
            ("Giriwangi", "Giriwangi"),
            ("Mekarsari", "Giriwangi"),
            ("Sukaresmi", "Sukaresmi"),
            ("Mekarsari", "Sukaresmi"),
            ("Cijati", "Sukaresmi"),
            ("Pasirjaya", "Pasirjaya"),
            ("Talagasari", "Pasirjaya"),
        )
    )
    wilayah.write_text(wilayah.read_text("utf-8") + declared, "utf-8")
    status, output = run("--lang", "en", "check", str(folder / "definitions"))
    assert status == 0, output
    found = rows("2026", "--by", "desa", defs=folder / "definitions", data=folder / "data")
    assert found["akses-air-minum", "Mekarsari (Sukaresmi)"]["value"] == 75  # 600 / 800


def test_the_property_test_draws_periods_a_yearly_table_can_hold() -> None:
    # iku_rules.testing drew the tahun of the yearly household table as any number (0, -1,
    # 1000000000000) and its kecamatan and desa blank, so definitions_test failed at once:
    # "periode '0' … tidak ditulis seperti 2026". Now every row is one the office could
    # have: a tahun of the years evaluated, a kecamatan and a desa in it.
    from hypothesis import find

    from iku_rules.loader import load
    from iku_rules.testing import datasets

    definitions = load(DEFS)
    dataset = find(
        datasets(definitions, year=2026, max_rows=3),
        lambda drawn: len(drawn.tables["air_minum"]) > 1,
    )
    rows = dataset.tables["air_minum"]
    # every tahun drawn is a year the table could hold (2025 or 2026), never 0
    assert {row["tahun"] for row in rows} <= {2025, 2026}
    assert all(row["kecamatan"] in {"Giriwangi", "Sukaresmi", "Pasirjaya"} for row in rows)
    assert all(row["desa"] for row in rows)
