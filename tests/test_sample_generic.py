"""Sample data for any definitions folder: derived from the definitions alone, through
``iku sample-data DIR --definitions DEFS``, and evaluated by ``iku eval`` on the result."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import MINI, ROOT, run

from iku_rules.loader import load
from iku_rules.sample import generate, is_reference_office, reference
from iku_rules.sample.places import UNDECLARED, declared_regions, placements

KESEHATAN = ROOT / "tests" / "fixtures" / "kesehatan" / "definitions.toml"

OFFICE = """\
#:schema ../iku_rules/schema/definitions.schema.json
[office]
id = "dinas-contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2027
units = ["Orang", "Persen", "Indeks", "Rupiah", "per 1.000 penduduk"]

[[visi]]
id = "v"
name = "Visi"

[[misi]]
id = "m"
name = "Misi"
parent = "v"

[[sasaran]]
id = "s"
tingkat = "renstra"
name = "Sasaran"
parent = "m"

  [[sasaran.indikator]]
  id = "balita-kecil"
  name = "Persentase anak di bawah lima tahun pada kelompok a atau b"
  unit = "Persen"
  formula = 'Σ [Anak Kecil] / Σ [Anak Terdata] × 100%'
  numerator_within_denominator = true

  [[sasaran.indikator]]
  id = "indeks"
  name = "Indeks kepuasan"
  unit = "Indeks"
  formula = "input"

  [[sasaran.indikator]]
  id = "angka"
  name = "Angka per seribu"
  unit = "per 1.000 penduduk"
  formula = "input"

[[program]]
id = "p"
name = "Program"
parent = "s"

[[kegiatan]]
id = "k"
name = "Kegiatan"
parent = "p"

[[sub_kegiatan]]
id = "sk"
name = "Sub kegiatan"
parent = "k"

  [[sub_kegiatan.indikator]]
  id = "peserta"
  name = "Jumlah peserta"
  unit = "Orang"
  targets = { 2025 = 400, 2026 = 800 }
  formula = "realisasi"

[[source]]
id = "anak"
kind = "register"
format = "csv"
path = "anak.csv"
date_column = "tanggal"
region_column = "wilayah"
time = "state"
columns = { nip_petugas = "nip", nik = "nik", wilayah = "text", umur = "integer", kelompok = "text", biaya = "decimal", tanggal = "date" }

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
region_column = "wilayah"
columns = { kode_sub_kegiatan = "text", indikator = "text", periode = "text", wilayah = "text", nilai = "decimal" }

[[source]]
id = "inputs"
kind = "inputs"
format = "xlsx"
path = "masukan.xlsx"
columns = { nama = "text", tahun = "integer", nilai = "decimal" }

[[measure]]
name = "Anak Terdata"
source = "anak"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Anak Kecil"
source = "anak"
aggregate = "count_distinct"
column = "nik"
filter = 'umur < 5 and kelompok in ("a", "b")'

[[measure]]
name = "Biaya"
source = "anak"
aggregate = "sum"
column = "biaya"

[[input]]
name = "Anggaran"
unit = "Rupiah"
"""


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.csv")}


@pytest.fixture(scope="module")
def contoh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small office above, in a folder of its own."""
    folder = tmp_path_factory.mktemp("contoh")
    (folder / "iku_rules").symlink_to(ROOT / "iku_rules")  # for the #:schema line
    definitions = folder / "definitions"
    definitions.mkdir()
    (definitions / "office.toml").write_text(OFFICE, encoding="utf-8")
    loaded = load(definitions)
    assert loaded.ok, [d.message for d in loaded.errors]
    return definitions


@pytest.fixture(scope="module")
def contoh_data(contoh: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contoh-data") / "data"
    status, text = run("sample-data", str(out), "--definitions", str(contoh), "--people", "600")
    assert status == 0
    assert "anak: 600 rows" in text
    return out


def test_only_the_reference_office_gets_the_pandeglang_simulation() -> None:
    assert reference().offices == ("dinsos-pandeglang",)
    assert is_reference_office(load(ROOT / "definitions" / "dinsos-pandeglang"))
    assert not is_reference_office(load(MINI))
    assert not is_reference_office(load(KESEHATAN))


def test_another_office_gets_full_registers_and_no_pandeglang_place(tmp_path: Path) -> None:
    # The small office declares the Pandeglang-like sources, but is not Pandeglang's.
    status, _ = run("sample-data", str(tmp_path), "--definitions", str(MINI), "--people", "200")
    assert status == 0
    pandeglang = set(reference().kecamatan_names)
    for source in load(MINI).sources:
        table = rows(tmp_path / source.path)
        assert table, f"{source.id} is empty"
        # iku-tertangani counts the people of the service log against those of the
        # register (target 40 %): the log, drawn after the register, gets as many rows
        # as that asks, not --people
        if source.kind == "register" and source.id != "layanan":
            assert len(table) == 200
        if source.region_column:
            places = {row[source.region_column] for row in table} - {""}
            assert places <= set(UNDECLARED)
            assert places or source.kind != "register"
            assert not places & pandeglang


def test_registers_hold_the_filters_values_and_others(contoh: Path, contoh_data: Path) -> None:
    anak = rows(contoh_data / "anak.csv")
    assert len(anak) == 600
    assert list(anak[0]) == [
        "nip_petugas", "nik", "wilayah", "umur", "kelompok", "biaya", "tanggal",
    ]  # fmt: skip
    kelompok = Counter(row["kelompok"] for row in anak)
    # the two texts the filter names, and one it does not, in about equal shares
    assert set(kelompok) == {"a", "b", "lainnya"}
    assert min(kelompok.values()) > 600 / 3 * 0.7
    umur = [int(row["umur"]) for row in anak]
    # 5 is the filter's number: rows fall on both sides of it, 4, 5 and 6 among them
    assert {4, 5, 6} <= set(umur)
    assert min(umur) >= 0 and max(umur) <= 10
    assert all(len(row["nik"]) == 16 and row["nik"].isdigit() for row in anak)
    assert all(len(row["nip_petugas"]) == 18 and row["nip_petugas"].isdigit() for row in anak)
    assert len(set(row["nip_petugas"] for row in anak)) == 600  # identifiers are unique
    # one row in five repeats a person drawn before, in the same region
    people = Counter(row["nik"] for row in anak)
    assert 0.7 * 600 < len(people) < 0.9 * 600
    where = {(row["nik"], row["wilayah"]) for row in anak}
    assert len(where) == len(people)
    assert {row["wilayah"] for row in anak} == set(UNDECLARED)
    dates = sorted(row["tanggal"] for row in anak)
    assert dates[0] >= "2024-07-01" and dates[-1] <= "2026-09-30"
    assert all(Decimal(row["biaya"]) >= 0 for row in anak)


def test_realisasi_is_near_the_targets_and_spread_over_the_regions(contoh_data: Path) -> None:
    realisasi = rows(contoh_data / "realisasi.csv")
    periods = sorted({row["periode"] for row in realisasi})
    assert periods == [f"2025-TW{q}" for q in (1, 2, 3, 4)] + [f"2026-TW{q}" for q in (1, 2, 3)]
    assert {row["indikator"] for row in realisasi} == {"peserta"}
    assert {row["kode_sub_kegiatan"] for row in realisasi} == {"sk"}
    assert {row["wilayah"] for row in realisasi} <= set(UNDECLARED)
    by_period = Counter[str]()
    for row in realisasi:
        assert Decimal(row["nilai"]) == int(Decimal(row["nilai"]))  # Orang: whole numbers
        by_period[row["periode"]] += int(row["nilai"])
    # a triwulan of 2026 is near 800 / 4 = 200: 0.85-1.1 of it, each of the 5 regions'
    # share rounded after a factor of 0.5-1.5
    for quarter in (1, 2, 3):
        assert 200 * 0.85 * 0.5 - 3 <= by_period[f"2026-TW{quarter}"] <= 200 * 1.1 * 1.5 + 3
    assert sum(by_period[f"2025-TW{q}"] for q in (1, 2, 3, 4)) < sum(
        by_period[f"2026-TW{q}"] for q in (1, 2, 3)
    )  # 400 a year in 2025 against 800 in 2026


def test_inputs_are_plausible_for_their_satuan(contoh: Path, contoh_data: Path) -> None:
    from iku_rules.sources.reader import read_rows

    source = next(s for s in load(contoh).sources if s.id == "inputs")
    found: dict[tuple[str, int], Decimal] = {
        (str(row["nama"]), int(row["tahun"])): Decimal(str(row["nilai"]))
        for row in read_rows(source, contoh_data)
    }
    assert set(found) == {(n, y) for n in ("Anggaran", "indeks", "angka") for y in (2025, 2026)}
    for year in (2025, 2026):
        assert 1_000_000 <= found[("Anggaran", year)] <= 900_000_000
        assert found[("Anggaran", year)] == int(found[("Anggaran", year)])
        assert Decimal("0.5") <= found[("indeks", year)] <= Decimal("0.9")
        # per 1.000: from 5 × √1 = 5 to 25
        assert 5 <= found[("angka", year)] <= 25


def test_iku_eval_runs_on_the_sample_data(contoh: Path, contoh_data: Path) -> None:
    status, text = run(
        "eval", str(contoh), "--data", str(contoh_data), "--period", "2026", "--format", "csv"
    )
    assert status == 0
    table = {row["id"]: row for row in csv.DictReader(text.splitlines())}
    # the numerator is part of the denominator (same register, narrower filter): within 0-100
    assert 0 < Decimal(table["balita-kecil"]["value"]) < 100
    assert Decimal(table["peserta"]["value"]) > 0
    assert table["indeks"]["value"] and table["angka"]["value"]


def test_the_same_seed_gives_the_same_files(contoh: Path, tmp_path: Path) -> None:
    for name, seed in (("a", "4"), ("b", "4"), ("c", "5")):
        argv = ["--definitions", str(contoh), "--people", "150", "--seed", seed]
        assert run("sample-data", str(tmp_path / name), *argv)[0] == 0
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert digests(tmp_path / "a") != digests(tmp_path / "c")


def test_the_kesehatan_office_gets_both_stunting_answers(tmp_path: Path) -> None:
    status, _ = run(
        "sample-data", str(tmp_path), "--definitions", str(KESEHATAN), "--people", "300"
    )
    assert status == 0
    balita = rows(tmp_path / "balita.csv")
    assert {row["stunting"] for row in balita} == {"ya", "tidak"}
    status, text = run("eval", str(KESEHATAN), "--data", str(tmp_path), "--period", "2026")
    assert status == 0
    assert "stunting" in text


def test_progress_goes_to_stderr_with_the_flag_only(
    contoh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--definitions", str(contoh), "--people", "20"]
    assert run("sample-data", str(tmp_path / "quiet"), *argv)[0] == 0
    assert capsys.readouterr().err == ""  # not a terminal, no flag: nothing
    assert run("sample-data", str(tmp_path / "shown"), *argv, "--progress")[0] == 0
    err = capsys.readouterr().err
    assert "\r" in err and err.endswith("\n")
    assert "writing anak: 20 rows" in err and "writing realisasi" in err


def test_progress_reports_long_registers(contoh: Path, tmp_path: Path) -> None:
    said: list[str] = []
    generate(load(contoh), tmp_path, people=20_001, progress=said.append)
    assert "register anak: 10000 of 20001 rows" in said
    assert "register anak: 20000 of 20001 rows" in said


@pytest.mark.slow
def test_the_progress_line_is_written_by_the_command(contoh: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "iku_rules", "sample-data", str(tmp_path / "d"),
         "--definitions", str(contoh), "--people", "10", "--progress"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "iku sample-data: writing anak: 10 rows" in done.stderr
    assert "anak: 10 rows" in done.stdout


# -- the declared regions of the contract (Definitions.levels and .regions, Source.regions)


DECLARED = """\
[[level]]
id = "kecamatan"
name = "Kecamatan"

[[level]]
id = "desa"
name = "Desa/Kelurahan"
parent = "kecamatan"

[[level]]
id = "puskesmas"
name = "Puskesmas"
parent = "kecamatan"

[[region]]
level = "kecamatan"
name = "Labuan"
code = "36.01.10"

[[region]]
level = "kecamatan"
name = "Carita"

[[region]]
level = "desa"
name = "Teluk"
parent = "Labuan"

[[region]]
level = "desa"
name = "Kalanganyar"
parent = "Labuan"

[[region]]
level = "desa"
name = "Sukajadi"
parent = "Carita"

[[region]]
level = "puskesmas"
name = "Puskesmas Labuan"
parent = "Labuan"
"""


@pytest.fixture(scope="module")
def declaring(contoh: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small office with kecamatan, desa and puskesmas declared, its register holding
    a kecamatan and a desa column, its realisasi the kecamatan."""
    folder = tmp_path_factory.mktemp("declaring") / "definitions"
    folder.mkdir()
    office = (contoh / "office.toml").read_text(encoding="utf-8")
    office = office.replace(
        'region_column = "wilayah"\ntime = "state"\ncolumns = { nip_petugas = "nip", nik = "nik", wilayah = "text",',
        'regions = { kecamatan = "wilayah", desa = "desa" }\ntime = "state"\ncolumns = { nip_petugas = "nip", nik = "nik", wilayah = "text", desa = "text",',
    ).replace(
        'region_column = "wilayah"\ncolumns = { kode_sub_kegiatan',
        'regions = { kecamatan = "wilayah" }\ncolumns = { kode_sub_kegiatan',
    )
    (folder / "office.toml").write_text(office, encoding="utf-8")
    (folder / "wilayah.toml").write_text(DECLARED, encoding="utf-8")
    loaded = load(folder)
    assert loaded.ok, [d.message for d in loaded.errors]
    return folder


def test_declared_regions_fill_each_level_with_its_own_parent(declaring: Path) -> None:
    definitions = load(declaring)
    declared = declared_regions(definitions)
    assert declared.parents == {"kecamatan": None, "desa": "kecamatan", "puskesmas": "kecamatan"}
    anak = next(s for s in definitions.sources if s.id == "anak")
    assert placements(declared, anak) == (
        {"desa": "Teluk", "wilayah": "Labuan"},
        {"desa": "Kalanganyar", "wilayah": "Labuan"},
        {"desa": "Sukajadi", "wilayah": "Carita"},
    )
    realisasi = next(s for s in definitions.sources if s.id == "realisasi")
    assert placements(declared, realisasi) == ({"wilayah": "Labuan"}, {"wilayah": "Carita"})


def test_sample_data_uses_the_declared_regions(declaring: Path, tmp_path: Path) -> None:
    written = generate(load(declaring), tmp_path, people=300, seed=1)
    assert written["anak"] == 300
    pairs = Counter((row["desa"], row["wilayah"]) for row in rows(tmp_path / "anak.csv"))
    assert set(pairs) == {("Teluk", "Labuan"), ("Kalanganyar", "Labuan"), ("Sukajadi", "Carita")}
    assert {row["wilayah"] for row in rows(tmp_path / "realisasi.csv")} <= {"Labuan", "Carita"}


def test_without_declared_regions_the_names_say_they_are_made_up(contoh: Path) -> None:
    definitions = load(contoh)
    anak = next(s for s in definitions.sources if s.id == "anak")
    assert placements(declared_regions(definitions), anak) == tuple(
        {"wilayah": f"Wilayah {n}"} for n in range(1, 6)
    )
    inputs = next(s for s in definitions.sources if s.id == "inputs")
    assert placements(declared_regions(definitions), inputs) == ()


def test_no_two_records_of_a_balita_share_its_latest_round(tmp_path: Path) -> None:
    """dinkes-contoh counts each balita by its latest putaran (terakhir): records tied at
    the latest are refused, so the sample data never repeats a balita's putaran (before,
    one record in five repeated a balita with a putaran drawn afresh, and the default seed
    gave ties). Its data evaluate for the year to TW3, the last triwulan written."""
    dinkes = ROOT / "definitions" / "dinkes-contoh"
    assert run("sample-data", str(tmp_path), "--definitions", str(dinkes))[0] == 0
    balita = rows(tmp_path / "balita.csv")
    pairs = Counter((row["nik"], row["putaran"]) for row in balita)
    assert len({nik for nik, _ in pairs}) < len(balita)  # balita measured more than once
    assert max(pairs.values()) == 1
    status, text = run("eval", str(dinkes), "--data", str(tmp_path), "--period", "2026-sd-TW3")
    assert status == 0, text
