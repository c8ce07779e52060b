"""Any office, not only Pandeglang's Dinas Sosial: regions declared by the office, time
grains, the latest record per entity, no future in reports, names in the data checked, and
explanations of summed measures — each through the command line, on the second shipped
office, definitions/dinkes-contoh (an illustrative Dinas Kesehatan), with the hand-made
data of tests/fixtures/dinkes-contoh-data and the numbers computed by hand below.

The data, 2026 (laporan_puskesmas.csv, one row per puskesmas and month; a 2025-12 row
that must never count):

    month    puskesmas                    kecamatan    KH   KI  KB  K4   faskes
    2026-01  Puskesmas Sukamaju           Sukamaju     400  1   4   300  380
    2026-04  Puskesmas Sukamaju           Sukamaju     350  0   3   310  340
    2026-02  Puskesmas Cibening           Cibening     300  0   2   250  270
    2026-05  PUSKESMAS CIBENING           CIBENING     150  0   1   100  140
    2026-07  Puskesmas Cibening           Cibening     250  1   5   260  240
    2026-03  Puskesmas Karanganyar        Karanganyar  200  0   1   280  190
    2026-11  Puskesmas Karanganyar Utara  Karanganyar  100  0   1   150   95
    total                                             1750  2  17  1650 1655

and, for every other month of 2026, a row of zeros from each puskesmas (a year needs every
month from every puskesmas: tests/test_period_gaps.py).

sasaran.csv, yearly per kecamatan: 2026 ibu hamil 820 + 720 + 610 = 2150, ibu bersalin
780 + 690 + 590 = 2060 (2025's rows, 2100 and 2000, must never be added).

balita.csv: six balita measured in 2026 in two rounds; by the latest round 2 are stunted
(9901010101200002 and 9901030101200005); by either round 4 would be.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.decimals import CONTEXT

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"

# AKI 2026: 2 / 1750 × 100.000; against "< 70" not met: (2 × 70 − 114.2857…) / 70 × 100.
AKI = Decimal("114.28571428571428571428571428571428571428571428571")
# AKB 2026: 17 / 1750 × 1.000 = 9.714…, meets "≤ 14": capaian 100.
AKB = Decimal("9.7142857142857142857142857142857142857142857142857")
# SPM ibu hamil 2026: 1650 / 2150 × 100 %; ibu bersalin: 1655 / 2060 × 100 %.
SPM_HAMIL = Decimal("76.744186046511627906976744186046511627906976744186")
SPM_BERSALIN = Decimal("80.339805825242718446601941747572815533980582524272")
# The SPM average: (76.744186… + 80.339805…) / 2; against "≥ 95 %": 78.54… / 95 × 100 = 82.68.
SPM = Decimal("78.541995935877173176789342966809663580943779634229")
# TW1: K4 of January to March, 300 + 250 + 280 = 830, over the year's sasaran 2150.
SPM_HAMIL_TW1 = Decimal("38.604651162790697674418604651162790697674418604651")


def ratio(numerator: int, denominator: int, scale: int) -> Decimal:
    """numerator / denominator × scale, as the formulas compute it (50 digits)."""
    return CONTEXT.multiply(CONTEXT.divide(Decimal(numerator), Decimal(denominator)), scale)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def rows(folder: Path = DINKES, data: Path = DATA, period: str = "2026", *by: str) -> list[dict]:  # type: ignore[type-arg]
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", period, "--format", "json", *by
    )
    assert status == 0, text
    return json.loads(text, parse_float=Decimal)  # type: ignore[no-any-return]


def value(found: list[dict], indicator: str, region: str | None = None) -> object:  # type: ignore[type-arg]
    return next(r for r in found if r["id"] == indicator and r["region"] == region)


def copy(tmp_path: Path, source: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(source, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the second office, for the whole kabupaten


def test_the_second_office_checks_clean_and_gives_the_hand_computed_numbers() -> None:
    assert run("check", str(DINKES)) == (0, "0 errors, 0 warnings in 5 files\n")
    found = rows()
    aki = value(found, "aki")
    assert aki["value"] == AKI  # type: ignore[index]
    assert aki["capaian"] == Decimal("36.73") and aki["predikat"] == "Sangat Rendah"  # type: ignore[index]
    assert value(found, "akb")["value"] == AKB  # type: ignore[index]
    assert value(found, "akb")["capaian"] == Decimal("100.00")  # type: ignore[index]
    # persalinan di faskes: 1655 / 1750 × 100 % = 94.57 %, inside the range 90–95: 100.
    faskes = value(found, "persalinan-faskes")
    assert faskes["value"] == ratio(1655, 1750, 100)  # type: ignore[index]
    assert faskes["target"] == [90, 95] and faskes["capaian"] == Decimal("100.00")  # type: ignore[index]
    assert value(found, "spm-ibu-hamil")["value"] == SPM_HAMIL  # type: ignore[index]
    assert value(found, "spm-ibu-bersalin")["value"] == SPM_BERSALIN  # type: ignore[index]
    spm = value(found, "spm-kesehatan")
    assert spm["value"] == SPM and spm["capaian"] == Decimal("82.68")  # type: ignore[index]
    # kelas ibu hamil: realisasi 120 + 90 + 150 + 80 = 440 of 1.200: 36.67.
    assert value(found, "kelas-ibu-hamil")["value"] == 440  # type: ignore[index]


# -- regions


def test_by_puskesmas_groups_the_service_areas_and_sums_each() -> None:
    found = rows(DINKES, DATA, "2026", "--by", "puskesmas")
    # Puskesmas Cibening: 300 + 150 ("PUSKESMAS CIBENING") + 250 = 700 KH, 1 death: 1/700 × 100.000.
    assert value(found, "aki", "Puskesmas Cibening")["value"] == ratio(1, 700, 100000)  # type: ignore[index]
    # Karanganyar has two puskesmas; each is its own group: AKB 1/200 and 1/100 × 1.000.
    assert value(found, "akb", "Puskesmas Karanganyar")["value"] == Decimal(5)  # type: ignore[index]
    assert value(found, "akb", "Puskesmas Karanganyar Utara")["value"] == Decimal(10)  # type: ignore[index]
    assert {r["region"] for r in found} == {
        None, "Puskesmas Sukamaju", "Puskesmas Cibening", "Puskesmas Karanganyar",
        "Puskesmas Karanganyar Utara",
    }  # fmt: skip
    # the sasaran has no puskesmas column: no value per puskesmas, said so
    hamil = value(found, "spm-ibu-hamil", "Puskesmas Sukamaju")
    assert hamil["value"] is None  # type: ignore[index]
    assert "sasaran has no puskesmas column" in hamil["reason"]  # type: ignore[index]
    # the whole kabupaten is still computed from its own sums
    assert value(found, "aki")["value"] == AKI  # type: ignore[index]


def test_by_kecamatan_is_a_ratio_of_sums_at_every_level() -> None:
    found = rows(DINKES, DATA, "2026", "--by", "kecamatan")
    # Karanganyar: K4 280 + 150 = 430 of sasaran 610 (its two puskesmas summed first).
    assert value(found, "spm-ibu-hamil", "Karanganyar")["value"] == ratio(430, 610, 100)  # type: ignore[index]
    # Cibening, written "CIBENING" in one row: 250 + 100 + 260 = 610 of 720.
    assert value(found, "spm-ibu-hamil", "Cibening")["value"] == ratio(610, 720, 100)  # type: ignore[index]
    # the kabupaten: 1650 / 2150, not the average of the three kecamatan percentages
    assert value(found, "spm-ibu-hamil")["value"] == SPM_HAMIL  # type: ignore[index]
    assert [r["region"] for r in found if r["id"] == "aki"] == [
        None, "Sukamaju", "Cibening", "Karanganyar",
    ]  # fmt: skip


def test_by_desa_groups_the_sources_that_hold_a_desa() -> None:
    found = rows(DINKES, DATA, "2026", "--by", "desa")
    # Karanganyar Hilir: balita ...05 stunted at its latest round, ...06 not: 1 / 2.
    assert value(found, "stunting", "Karanganyar Hilir")["value"] == Decimal(50)  # type: ignore[index]
    assert "no desa column" in value(found, "aki", "Sukamaju Kidul")["reason"]  # type: ignore[index]


def test_an_undeclared_level_is_refused_listing_the_declared_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _ = run("eval", str(DINKES), "--data", str(DATA), "--period", "2026", "--by", "zzz")
    assert status == 1
    assert (
        "results cannot be given by 'zzz': it is not a declared level; the declared levels"
        " are kecamatan, desa, puskesmas" in capsys.readouterr().err
    )


def test_an_unknown_region_name_is_an_error_with_the_closest_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy(tmp_path, DATA, "data")
    edit(data / "sasaran.csv", "2026,Cibening,720", "2026,Cibenig,720")
    status, _ = run("eval", str(DINKES), "--data", str(data), "--period", "2026")
    assert status == 1
    err = capsys.readouterr().err
    assert "sasaran.csv" in err and "row 6" in err and "kecamatan" in err
    assert "'Cibenig', which is not a declared kecamatan; did you mean 'Cibening'?" in err


def test_a_kota_is_called_a_kota_everywhere(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes-kota")
    edit(folder / "office.toml", 'kind = "kabupaten"', 'kind = "kota"')
    edit(folder / "office.toml", 'region = "Kabupaten Contoh"', 'region = "Kota Contoh"')
    edit(folder / "office.toml", "Dinas Kesehatan Kabupaten Contoh", "Dinas Kesehatan Kota Contoh")
    status, text = run("eval", str(folder), "--data", str(DATA), "--period", "2026")
    assert (
        status == 0 and "Kota (all regions)" in text and "Kabupaten" not in text.split("\n", 1)[1]
    )
    status, text = run("explain", str(folder), "aki", "--data", str(DATA), "--period", "2026")
    assert status == 0 and "the whole kota" in text
    found = rows(folder, DATA, "2026", "--by", "kecamatan")
    assert value(found, "aki")["value"] == AKI  # type: ignore[index]
    assert (
        value(found, "aki", "Sukamaju")["capaian_reason"]
        == "capaian is given for the whole kota only: indicator 'aki' has no targets per"
        " kecamatan (region_targets)"
    )  # type: ignore[index]
    out = tmp_path / "lkjip.md"
    assert (
        run("report", str(folder), "--data", str(DATA), "--period", "2026", "-o", str(out))[0] == 0
    )
    report = out.read_text(encoding="utf-8")
    assert "Dinas Kesehatan Kota Contoh" in report and "Kabupaten Contoh" not in report


def test_levels_and_regions_are_checked(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "wilayah.toml", 'parent = "Karanganyar"\n', 'parent = "Karanganyr"\n')
    edit(
        folder / "data.toml",
        'regions = { kecamatan = "kecamatan" }',
        'regions = { kecamatn = "kecamatan" }',
    )
    status, text = run("check", str(folder))
    assert status == 1
    assert (
        "error: the puskesmas 'Puskesmas Karanganyar' lies in the kecamatan 'Karanganyr', which"
        " is not a declared kecamatan (did you mean 'Karanganyar'?)" in text
    )
    assert (
        "source 'sasaran' holds the level 'kecamatn' in a column, but no [[level]] declares it"
        in text
    )


# -- time grains


def test_a_yearly_table_is_never_added_across_years_and_serves_a_triwulan() -> None:
    # 2026 takes 2026's sasaran only (2150, not 2150 + 2100).
    assert value(rows(), "spm-ibu-hamil")["value"] == SPM_HAMIL  # type: ignore[index]
    # TW1: January to March against the year's sasaran (in_triwulan = "year_value").
    found = rows(DINKES, DATA, "2026-TW1")
    assert value(found, "spm-ibu-hamil")["value"] == SPM_HAMIL_TW1  # type: ignore[index]
    # AKI in TW1: 1 death in 400 + 300 + 200 = 900 births.
    assert value(found, "aki")["value"] == ratio(1, 900, 100000)  # type: ignore[index]


def test_a_yearly_value_in_a_triwulan_is_not_available_unless_declared(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "data.toml", 'in_triwulan = "year_value"\n', "")
    found = rows(folder, DATA, "2026-TW1")
    hamil = value(found, "spm-ibu-hamil")
    assert hamil["value"] is None  # type: ignore[index]
    assert (
        "sasaran: the source gives one value per year, and 2026-TW1 is not a whole year"
        in hamil["reason"]
    )  # type: ignore[index]
    assert value(rows(folder), "spm-ibu-hamil")["value"] == SPM_HAMIL  # type: ignore[index]


def test_a_badly_written_period_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy(tmp_path, DATA, "data")
    edit(data / "laporan_puskesmas.csv", "2026-11,", "2026-11-01,")
    assert run("eval", str(DINKES), "--data", str(data), "--period", "2026")[0] == 1
    assert (
        "the period '2026-11-01' in column 'bulan' is not written like 2026-01"
        in capsys.readouterr().err
    )


# -- terakhir


def test_terakhir_counts_each_balita_by_its_latest_round(tmp_path: Path) -> None:
    # latest rounds: 2 of the 6 balita measured in 2026 are stunted.
    assert value(rows(), "stunting")["value"] == ratio(2, 6, 100)  # type: ignore[index]
    # TW1 holds round 1 only: 3 of 6 stunted.
    assert value(rows(DINKES, DATA, "2026-TW1"), "stunting")["value"] == Decimal(50)  # type: ignore[index]
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "data.toml", 'terakhir = { per = "nik", by = "putaran" }\n', "")
    # without it a balita stunted in either round counts: 4 of 6
    assert value(rows(folder), "stunting")["value"] == ratio(4, 6, 100)  # type: ignore[index]


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_every_backend_agrees_on_grains_terakhir_and_region_spellings(backend: str) -> None:
    found = rows(DINKES, DATA, "2026", "--by", "puskesmas", "--backend", backend)
    assert value(found, "stunting")["value"] == ratio(2, 6, 100)  # type: ignore[index]
    assert value(found, "spm-ibu-hamil")["value"] == SPM_HAMIL  # type: ignore[index]
    assert value(found, "aki", "Puskesmas Cibening")["value"] == ratio(1, 700, 100000)  # type: ignore[index]


# -- no future


def test_a_report_shows_nothing_after_its_period(tmp_path: Path) -> None:
    out = tmp_path / "lkjip.md"
    assert (
        run("report", str(DINKES), "--data", str(DATA), "--period", "2026", "-o", str(out))[0] == 0
    )
    text = out.read_text(encoding="utf-8")
    future = [line for line in text.splitlines() if line.startswith("| 2027 |")]
    assert future and all(
        "2027 is after the period of the report (2026)" in line for line in future
    )
    assert all("Sangat" not in line and "Tinggi" not in line for line in future)


# -- names in the data


def test_a_misspelt_indikator_in_the_realisasi_is_an_error_with_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = copy(tmp_path, DATA, "data")
    edit(
        data / "realisasi.csv",
        "kelas-ibu-hamil,2026-TW2,Karanganyar",
        "kelas-ibu-hamill,2026-TW2,Karanganyar",
    )
    assert run("eval", str(DINKES), "--data", str(data), "--period", "2026")[0] == 1
    err = capsys.readouterr().err
    assert "realisasi.csv" in err and "row 5" in err
    assert (
        "'kelas-ibu-hamill' (did you mean 'kelas-ibu-hamil'?) names no indicator whose value is"
        " its realisasi in the definitions" in err
    )


def test_a_misspelt_input_name_is_an_error_with_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy(tmp_path, ROOT / "tests" / "fixtures" / "kesehatan", "kesehatan")
    edit(folder / "inputs.csv", "Kematian Ibu;2026", "Kematian ibu;2026")
    assert run("eval", str(folder), "--data", str(folder), "--period", "2026")[0] == 1
    err = capsys.readouterr().err
    assert "inputs.csv" in err and "row 2" in err
    assert "the nama 'Kematian ibu' (did you mean 'Kematian Ibu' or" in err


# -- explanations


def test_a_summed_measure_is_explained_by_each_parts_sum() -> None:
    status, text = run("explain", str(DINKES), "aki", "--data", str(DATA), "--period", "2026")
    assert status == 0
    # Kelahiran Hidup per puskesmas: Sukamaju 400 + 350, Cibening 300 + 150 + 250, each
    # over its twelve monthly rows (the months it had nothing to report written 0).
    assert "Puskesmas Sukamaju = 750" in text and "Puskesmas Cibening = 700" in text
    assert "by puskesmas: 12 rows, sum of kelahiran_hidup 750" in text
    assert "by puskesmas: 12 rows, sum of kelahiran_hidup 700" in text
    assert "bulan 2026-01 to 2026-12" in text
    status, text = run("explain", str(DINKES), "stunting", "--data", str(DATA), "--period", "2026")
    assert "only the latest record of each nik by putaran" in text


# -- both shipped offices, from a folder outside the repository


@pytest.mark.parametrize("office", ["dinsos-pandeglang", "dinkes-contoh"])
def test_every_command_runs_on_both_shipped_offices_outside_the_repository(
    office: str, tmp_path: Path
) -> None:
    definitions = ROOT / "definitions" / office
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def iku(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "iku_rules", *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    if office == "dinkes-contoh":
        data = DATA
        levels = ("kecamatan", "desa", "puskesmas")
        explained = "aki"
    else:
        data = tmp_path / "sample"
        iku("sample-data", str(data), "--people", "300", "--seed", "7")
        levels = ("kecamatan", "desa")
        explained = "iku-pmks-tertangani"
    assert "0 errors" in iku("check", str(definitions))
    for level in levels:
        table = iku(
            "eval",
            str(definitions),
            "--data",
            str(data),
            "--period",
            "2026",
            "--by",
            level,
            "--format",
            "csv",
        )
        regions = {row["region"] for row in csv.DictReader(io.StringIO(table))}
        assert len(regions) > 2, level
    assert explained in iku(
        "explain", str(definitions), explained, "--data", str(data), "--period", "2026"
    )
    iku(
        "report",
        str(definitions),
        "--data",
        str(data),
        "--period",
        "2026",
        "--format",
        "html",
        "-o",
        "r.html",
    )
    assert (tmp_path / "r.html").stat().st_size > 1000


def test_the_readme_shows_the_second_office_as_it_is() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Regions and time\n", 1)[1].split("\n### ", 1)[0]
    shipped = "\n".join(path.read_text(encoding="utf-8") for path in sorted(DINKES.glob("*.toml")))
    blocks = section.split("```toml\n")[1:]
    assert len(blocks) == 5  # the area, a time grain, terakhir, targets and inputs per region
    for block in blocks:
        text = block.split("```", 1)[0]
        tomllib.loads(text)  # each example parses
        for line in text.splitlines():
            assert not line.strip() or line.strip() in shipped, line
