"""Targets, inputs, capaian and predikat per region, through the command line and the public
API, on the illustrative Dinas Kesehatan (definitions/dinkes-contoh) and its hand-made data
(tests/fixtures/dinkes-contoh-data), numbers computed by hand below.

2026, per kecamatan (laporan_puskesmas.csv; tests/test_any_office.py lists the rows):

    kecamatan     KH    faskes   K4   sasaran ibu hamil   penduduk (penduduk.csv)
    Sukamaju      750   720      610  820                 50.000
    Cibening      700   650      610  720                 40.000
    Karanganyar   300   285      430  610                 35.000
    kabupaten    1750  1655     1650  2150               125.000 (no row: the sum, additive)

Targets per kecamatan in cascade.toml: cbr (≤ 15, ≤ 16, ≤ 12), persalinan-faskes (92–97,
94–98, none for Karanganyar); spm-ibu-hamil takes the kabupaten's 100 everywhere
(area_target_for_regions = true). The office's rules: negatif = "selisih".
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules import Engine
from iku_rules.cli import main
from iku_rules.decimals import CONTEXT
from iku_rules.i18n import use_language

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def rows(folder: Path = DINKES, data: Path = DATA, *extra: str) -> list[dict]:  # type: ignore[type-arg]
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", "2026", "--format", "json", *extra
    )
    assert status == 0, text
    return json.loads(text, parse_float=Decimal)  # type: ignore[no-any-return]


def row(found: list[dict], indicator: str, region: str | None = None) -> dict:  # type: ignore[type-arg]
    return next(r for r in found if r["id"] == indicator and r["region"] == region)


def ratio(numerator: int, denominator: int, scale: int) -> Decimal:
    return CONTEXT.multiply(CONTEXT.divide(Decimal(numerator), Decimal(denominator)), scale)


def copy(tmp_path: Path, source: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(source, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def place_of(path: Path, text: str) -> tuple[int, int]:
    """The 1-based line and column where ``text`` starts in ``path``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(text)


# -- capaian and predikat per region


def test_a_region_is_assessed_against_its_own_target() -> None:
    found = rows(DINKES, DATA, "--by", "kecamatan")
    # cbr Cibening: 700 / 40.000 × 1.000 = 17.5 against its own "≤ 16" (the kabupaten's is
    # also ≤ 16, Sukamaju's ≤ 15): not met, selisih: (2 × 16 − 17.5) / 16 × 100 = 90.625,
    # rounded half away from zero 90.63: Tinggi (76–91).
    cibening = row(found, "cbr", "Cibening")
    assert cibening["value"] == Decimal("17.5")
    assert cibening["target"] == {"threshold": "<=", "value": 16}
    assert cibening["capaian"] == Decimal("90.63") and cibening["predikat"] == "Tinggi"
    # cbr Sukamaju: 750 / 50.000 × 1.000 = 15 meets its own "≤ 15": 100, Sangat Tinggi.
    sukamaju = row(found, "cbr", "Sukamaju")
    assert sukamaju["value"] == 15 and sukamaju["capaian"] == Decimal("100.00")
    assert sukamaju["target"] == {"threshold": "<=", "value": 15}
    # persalinan di faskes Cibening: 650 / 700 × 100 % = 92.857…, below its range 94–98:
    # 92.857142… / 94 × 100 = 98.784…: 98.78, Sangat Tinggi (≥ 91).
    faskes = row(found, "persalinan-faskes", "Cibening")
    assert faskes["value"] == ratio(650, 700, 100) and faskes["target"] == [94, 98]
    assert faskes["capaian"] == Decimal("98.78") and faskes["predikat"] == "Sangat Tinggi"
    # The kabupaten keeps its own target and its ratio of sums: 1655 / 1750 × 100 % =
    # 94.57 %, inside 90–95: 100 (never an average of the kecamatan capaian).
    area = row(found, "persalinan-faskes")
    assert area["value"] == ratio(1655, 1750, 100) and area["target"] == [90, 95]
    assert area["capaian"] == Decimal("100.00")


def test_the_area_target_applies_to_every_region_only_when_the_indicator_says_so() -> None:
    found = rows(DINKES, DATA, "--by", "kecamatan")
    # spm-ibu-hamil says area_target_for_regions = true: Sukamaju 610 / 820 × 100 % =
    # 74.39…% against 100: 74.39, Sedang (66–76); Cibening 610 / 720: 84.72, Tinggi.
    sukamaju = row(found, "spm-ibu-hamil", "Sukamaju")
    assert sukamaju["target"] == 100 and sukamaju["capaian"] == Decimal("74.39")
    assert sukamaju["predikat"] == "Sedang"
    cibening = row(found, "spm-ibu-hamil", "Cibening")
    assert cibening["capaian"] == Decimal("84.72") and cibening["predikat"] == "Tinggi"


def test_a_region_without_a_target_has_no_capaian_and_the_reason_names_it() -> None:
    found = rows(DINKES, DATA, "--by", "kecamatan")
    # persalinan-faskes gives no 2026 target for Karanganyar: its value is there
    # (285 / 300 × 100 % = 95 %), its capaian is not, and no target is assumed.
    karanganyar = row(found, "persalinan-faskes", "Karanganyar")
    assert karanganyar["value"] == Decimal(95)
    assert karanganyar["target"] is None and karanganyar["capaian"] is None
    assert karanganyar["predikat"] is None
    assert karanganyar["capaian_reason"] == (
        "there is no target for kecamatan 'Karanganyar' in region_targets.kecamatan of"
        " indicator 'persalinan-faskes': write one there, or set area_target_for_regions ="
        " true if the kabupaten's target applies to every kecamatan"
    )
    assert karanganyar["capaian_reason_code"] == "no-target"
    # aki gives no targets per kecamatan at all: capaian for the kabupaten only.
    assert row(found, "aki", "Sukamaju")["capaian_reason"] == (
        "capaian is given for the whole kabupaten only: indicator 'aki' has no targets per"
        " kecamatan (region_targets)"
    )
    assert row(found, "aki", "Sukamaju")["capaian_reason_code"] == "whole-area-only"
    # per puskesmas, cbr has no target (its targets are per kecamatan)
    by_puskesmas = rows(DINKES, DATA, "--by", "puskesmas")
    assert row(by_puskesmas, "cbr", "Puskesmas Sukamaju")["capaian_reason"] == (
        "indicator 'cbr' gives targets per kecamatan, not per puskesmas, so capaian per"
        " puskesmas has no target"
    )


def test_text_and_csv_show_each_regions_target_capaian_and_predikat() -> None:
    status, text = run(
        "eval", str(DINKES), "--data", str(DATA), "--period", "2026", "--by", "kecamatan"
    )
    assert status == 0
    cibening = text.split("Kecamatan Cibening\n", 1)[1].split("\n\n", 1)[0]
    cbr = next(line for line in cibening.splitlines() if line.strip().startswith("cbr"))
    assert cbr.split() == [
        "cbr", "17.5", "per", "1.000", "Penduduk", "≤", "16", "90.63", "%", "Tinggi",
    ]  # fmt: skip
    karanganyar = text.split("Kecamatan Karanganyar\n", 1)[1]
    assert "there is no target for kecamatan 'Karanganyar'" in karanganyar
    status, text = run(
        "eval", str(DINKES), "--data", str(DATA), "--period", "2026", "--by", "kecamatan",
        "--format", "csv",
    )  # fmt: skip
    table = list(csv.DictReader(io.StringIO(text)))
    found = next(r for r in table if r["id"] == "cbr" and r["region"] == "Cibening")
    assert (found["target"], found["capaian"], found["predikat"]) == ("≤ 16", "90.63", "Tinggi")
    status, text = run(
        "--lang", "id", "eval", str(DINKES), "--data", str(DATA), "--period", "2026",
        "--by", "kecamatan",
    )  # fmt: skip
    cibening = text.split("Kecamatan Cibening\n", 1)[1].split("\n\n", 1)[0]
    assert cibening.splitlines()[0].split() == [
        "indikator", "nilai", "satuan", "target", "capaian", "predikat",
    ]  # fmt: skip
    cbr = next(line for line in cibening.splitlines() if line.strip().startswith("cbr"))
    assert cbr.split() == [
        "cbr", "17,5", "per", "1.000", "Penduduk", "≤", "16", "90,63", "%", "Tinggi",
    ]  # fmt: skip


def test_explain_a_region_shows_its_own_target_and_its_own_denominator() -> None:
    status, text = run(
        "explain", str(DINKES), "cbr", "--data", str(DATA), "--period", "2026",
        "--region", "Cibening",
    )  # fmt: skip
    assert status == 0
    assert "target ≤ 16 per 1.000 Penduduk → capaian 90.63 % (Tinggi)" in text
    assert "input Jumlah Penduduk = 40000" in text
    assert "the row of kecamatan Cibening in the inputs table penduduk" in text
    status, text = run("explain", str(DINKES), "cbr", "--data", str(DATA), "--period", "2026")
    assert "input Jumlah Penduduk = 125000" in text
    assert (
        "the row of the whole kabupaten in the inputs table penduduk, else (none given) the sum"
        " of its kecamatan rows (additive)"
    ) in text


def test_the_report_has_a_table_per_region_where_targets_are_given(tmp_path: Path) -> None:
    out = tmp_path / "lkjip.md"
    assert (
        run("report", str(DINKES), "--data", str(DATA), "--period", "2026", "-o", str(out))[0] == 0
    )
    text = out.read_text(encoding="utf-8")
    table = text.split("## Capaian per Kecamatan\n", 1)[1].split("\n## ", 1)[0]
    assert "| 2 | Cibening | Angka Kelahiran Kasar (Crude Birth Rate) |" in table
    assert "| ≤ 16.00 | 17.50 | 90.63 | Tinggi |" in table
    # no target for Karanganyar: no capaian, with the reason in the notes
    line = next(x for x in table.splitlines() if "Karanganyar | Persentase persalinan" in x)
    assert "| 95.00 | – | – |" in line and "no target for kecamatan 'Karanganyar'" in line
    # aki has no region targets: not in the table
    assert "Angka Kematian Ibu" not in table


# -- inputs per region


def test_a_population_per_kecamatan_is_each_regions_denominator_and_the_area_sums_it() -> None:
    found = rows(DINKES, DATA, "--by", "kecamatan")
    # cbr = Σ KH / [Jumlah Penduduk] × 1.000: Karanganyar 300 / 35.000 × 1.000 = 8.571…;
    # the kabupaten 1750 / (50.000 + 40.000 + 35.000 = 125.000) × 1.000 = 14, not the
    # average of 15, 17.5 and 8.571 (13.69).
    assert row(found, "cbr", "Karanganyar")["value"] == ratio(300, 35000, 1000)
    area = row(found, "cbr")
    assert area["value"] == 14 and area["target"] == {"threshold": "<=", "value": 16}
    assert area["capaian"] == Decimal("100.00")
    # without --by the kabupaten is the same sum
    assert row(rows(), "cbr")["value"] == 14


@pytest.mark.parametrize("backend", ["duckdb", "sqlite", "python"])
def test_the_public_api_gives_the_same_per_region_results_on_every_engine(backend: str) -> None:
    with Engine(DINKES, DATA, backend=backend) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
    cibening = evaluation.get("cbr", "Cibening")
    assert cibening.value == Decimal("17.5")  # 700 / 40.000 × 1.000
    assert cibening.capaian is not None and cibening.capaian.value == Decimal("90.63")
    assert cibening.predikat == "Tinggi"
    assert dict((n, v) for n, v, _ in cibening.inputs) == {"Jumlah Penduduk": Decimal(40000)}
    area = evaluation.get("cbr")
    assert area.value == Decimal(14)  # 1750 / 125.000 × 1.000
    assert dict((n, v) for n, v, _ in area.inputs) == {"Jumlah Penduduk": Decimal(125000)}
    missing = evaluation.get("persalinan-faskes", "Karanganyar")
    assert missing.capaian is not None and missing.capaian.value is None
    assert "no target for kecamatan 'Karanganyar'" in (missing.capaian_reason or "")


def penduduk(tmp_path: Path, lines: list[str]) -> Path:
    data = copy(tmp_path, DATA, "data")
    (data / "penduduk.csv").write_text(
        "nama,tahun,kecamatan,nilai\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8"
    )
    return data


def test_an_area_row_is_used_and_must_agree_with_the_sum_of_an_additive_input(
    tmp_path: Path,
) -> None:
    rows_2026 = [
        "Jumlah Penduduk,2026,Sukamaju,50000",
        "Jumlah Penduduk,2026,Cibening,40000",
        "Jumlah Penduduk,2026,Karanganyar,35000",
    ]
    # the kabupaten's own row agrees with the sum: used (1750 / 125.000 × 1.000 = 14)
    data = penduduk(tmp_path / "a", [*rows_2026, "Jumlah Penduduk,2026,,125000"])
    assert row(rows(DINKES, data), "cbr")["value"] == 14
    # it disagrees (120.000 against 125.000): not available, both numbers said
    data = penduduk(tmp_path / "b", [*rows_2026, "Jumlah Penduduk,2026,,120000"])
    area = row(rows(DINKES, data), "cbr")
    assert area["value"] is None
    assert (
        "the inputs give 'Jumlah Penduduk' for the whole kabupaten in 2026 as 120000, but its"
        " kecamatan rows add up to 125000; correct one of them"
    ) in area["reason"]
    assert area["reason_code"] == "inputs-disagree"
    # the kabupaten's row with only some kecamatan rows: the kabupaten's row (1750 /
    # 125.000 × 1.000 = 14); the kecamatan without a row has no value
    data = penduduk(tmp_path / "c", [*rows_2026[:2], "Jumlah Penduduk,2026,,125000"])
    found = rows(DINKES, data, "--by", "kecamatan")
    assert row(found, "cbr")["value"] == 14
    assert row(found, "cbr", "Karanganyar")["value"] is None


def test_an_additive_sum_that_would_leave_a_region_out_is_not_given(tmp_path: Path) -> None:
    data = penduduk(
        tmp_path, ["Jumlah Penduduk,2026,Sukamaju,50000", "Jumlah Penduduk,2026,Cibening,40000"]
    )
    found = rows(DINKES, data, "--by", "kecamatan")
    area = row(found, "cbr")
    assert area["value"] is None
    assert "no value for 'Jumlah Penduduk' in 2026 for the kecamatan Karanganyar" in area["reason"]
    assert area["reason_code"] == "missing-values"
    assert row(found, "cbr", "Sukamaju")["value"] == 15  # the regions with rows keep theirs
    karanganyar = row(found, "cbr", "Karanganyar")
    assert karanganyar["value"] is None
    assert (
        "no value for 'Jumlah Penduduk' in kecamatan Karanganyar for 2026" in karanganyar["reason"]
    )


def test_an_input_not_declared_additive_is_never_summed(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "data.toml", "additive = true\n", "")
    found = rows(folder, DATA, "--by", "kecamatan")
    area = row(found, "cbr")
    assert area["value"] is None
    assert (
        "the inputs give 'Jumlah Penduduk' for 2026 per kecamatan only, and an input not"
        " declared additive = true is not summed into the kabupaten's value"
    ) in area["reason"]
    assert row(found, "cbr", "Cibening")["value"] == Decimal("17.5")


# -- names and targets checked


def test_an_unknown_region_in_region_targets_is_refused_with_its_place(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    cascade = folder / "cascade.toml"
    edit(cascade, 'Cibening = { 2026 = "≤ 16" }', 'Cibenig = { 2026 = "≤ 16" }')
    line, column = place_of(cascade, "Cibenig =")
    status, text = run("check", str(folder))
    assert status == 1
    assert (
        f"cascade.toml:{line}:{column}: error: indicator 'cbr' gives a target for the kecamatan"
        " 'Cibenig', which is not a declared kecamatan (did you mean 'Cibening'?)"
    ) in text


def test_region_targets_are_checked_like_every_target(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    cascade = folder / "cascade.toml"
    edit(cascade, 'Sukamaju = { 2026 = "≤ 15" }', 'Sukamaju = { 2031 = "≥ 15" }')
    edit(
        cascade,
        '[sasaran.indikator.region_targets.kecamatan]\n  Sukamaju = { 2026 = "92',
        '[sasaran.indikator.region_targets.kecamatn]\n  Sukamaju = { 2026 = "92',
    )
    status, text = run("check", str(folder))
    assert status == 1
    year_line, year_column = place_of(cascade, "2031")
    assert (
        f"cascade.toml:{year_line}:{year_column}: error: indicator 'cbr' has a target for"
        " kecamatan 'Sukamaju' in 2031, outside the plan (2025–2027)"
    ) in text
    assert (
        "indicator 'cbr' has the threshold target '≥ 15' for kecamatan 'Sukamaju' in 2031,"
        " which does not suit its polarity negatif"
    ) in text
    assert (
        "error: indicator 'persalinan-faskes' gives targets per 'kecamatn', which is not a"
        " declared level; the declared levels are kecamatan, desa, puskesmas (did you mean"
        " 'kecamatan'?)"
    ) in text


def test_an_unreadable_target_and_an_additive_percentage_are_refused(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(
        folder / "cascade.toml",
        'Karanganyar = { 2026 = "≤ 12" }',
        'Karanganyar = { 2026 = "dua belas" }',
    )
    edit(
        folder / "data.toml",
        'unit = "Orang"\nsource = "penduduk"',
        'unit = "Persen"\nsource = "penduduk"',
    )
    status, text = run("check", str(folder))
    assert status == 1
    line, column = place_of(folder / "cascade.toml", '"dua belas"')
    assert f"cascade.toml:{line}:{column}: error:" in text
    assert (
        "input 'Jumlah Penduduk' is declared additive = true, but its satuan 'Persen' is a"
        " percentage, a rate or a score"
    ) in text


def test_an_unknown_region_in_the_inputs_table_is_refused_with_its_row(tmp_path: Path) -> None:
    data = copy(tmp_path, DATA, "data")
    edit(data / "penduduk.csv", "2026,Cibening,40000", "2026,Cibenig,40000")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["eval", str(DINKES), "--data", str(data), "--period", "2026"], out=out)
    assert status == 1
    message = err.getvalue()
    # the header is row 1: the edited line is row 6
    assert "penduduk.csv" in message and "row 6" in message and "'kecamatan'" in message
    assert "'Cibenig', which is not a declared kecamatan; did you mean 'Cibening'?" in message


# -- the kota variant, and Indonesian


def test_a_kota_gets_the_same_per_region_capaian_in_its_own_words(tmp_path: Path) -> None:
    folder = copy(tmp_path, DINKES, "dinkes-kota")
    edit(folder / "office.toml", 'kind = "kabupaten"', 'kind = "kota"')
    found = rows(folder, DATA, "--by", "kecamatan")
    assert row(found, "cbr", "Cibening")["capaian"] == Decimal("90.63")
    assert row(found, "cbr")["value"] == 14
    reason = row(found, "persalinan-faskes", "Karanganyar")["capaian_reason"]
    assert "if the kota's target applies to every kecamatan" in reason


def test_the_reasons_are_in_indonesian_by_default() -> None:
    with use_language("id"), Engine(DINKES, DATA) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
        reason = evaluation.get("persalinan-faskes", "Karanganyar").capaian_reason
    assert reason == (
        "tidak ada target untuk kecamatan 'Karanganyar' di region_targets.kecamatan indikator"
        " 'persalinan-faskes': tuliskan targetnya di sana, atau tetapkan"
        " area_target_for_regions = true jika target kabupaten berlaku untuk setiap kecamatan"
    )


# -- sample data


def test_sample_data_gives_an_additive_input_per_region_and_evaluates(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    status, _ = run("sample-data", str(out), "--definitions", str(DINKES), "--people", "200")
    assert status == 0
    with (out / "penduduk.csv").open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    # Jumlah Penduduk is additive: one row per declared kecamatan and year, none for the
    # whole kabupaten (the engine sums them).
    assert {r["nama"] for r in written} == {"Jumlah Penduduk"}
    assert all(r["kecamatan"] for r in written)
    years = sorted({r["tahun"] for r in written})
    assert sorted((r["tahun"], r["kecamatan"]) for r in written) == sorted(
        (year, name) for year in years for name in ("Sukamaju", "Cibening", "Karanganyar")
    )
    found = rows(DINKES, out, "--by", "kecamatan")
    total = sum(
        Decimal(r["nilai"]) for r in written if r["tahun"] == "2026"
    )  # the kabupaten's population: the sum of its kecamatan
    with Engine(DINKES, out) as engine:
        area = engine.evaluate("2026").get("cbr")
    assert dict((n, v) for n, v, _ in area.inputs) == {"Jumlah Penduduk": total}
    assert {r["region"] for r in found if r["id"] == "cbr"} == {
        None, "Sukamaju", "Cibening", "Karanganyar",
    }  # fmt: skip
