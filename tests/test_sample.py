"""The sample-data generator: deterministic, shaped like the definitions, and plausible."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from attrs import evolve

from iku_rules import sample
from iku_rules.loader import load
from iku_rules.model import Definitions, Source
from iku_rules.sample.reference_data import SERVICE_PROGRAMMES
from iku_rules.sources.reader import read_rows

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"
PEOPLE = 800

PMKS = [
    "Anak Balita Terlantar",
    "Anak Terlantar",
    "Anak Berhadapan dengan Hukum",
    "Anak Jalanan",
    "Anak dengan Kedisabilitasan",
    "Anak yang Menjadi Korban Tindak Kekerasan",
    "Anak yang Memerlukan Perlindungan Khusus",
    "Lanjut Usia Terlantar",
    "Penyandang Disabilitas",
    "Tuna Susila",
    "Gelandangan",
    "Pengemis",
    "Pemulung",
    "Kelompok Minoritas",
    "Bekas Warga Binaan Lembaga Pemasyarakatan",
    "Orang dengan HIV/AIDS",
    "Korban Penyalahgunaan NAPZA",
    "Korban Trafficking",
    "Korban Tindak Kekerasan",
    "Pekerja Migran Bermasalah Sosial",
    "Korban Bencana Alam",
    "Korban Bencana Sosial",
    "Perempuan Rawan Sosial Ekonomi",
    "Fakir Miskin",
    "Keluarga Bermasalah Sosial Psikologis",
    "Komunitas Adat Terpencil",
]
PSKS = [
    "Pekerja Sosial Profesional",
    "Pekerja Sosial Masyarakat",
    "Taruna Siaga Bencana",
    "Lembaga Kesejahteraan Sosial",
    "Karang Taruna",
    "Lembaga Konsultasi Kesejahteraan Keluarga",
    "Keluarga Pioner",
    "Wahana Kesejahteraan Sosial Keluarga Berbasis Masyarakat",
    "Wanita Pemimpin Kesejahteraan Sosial",
    "Penyuluh Sosial",
    "Tenaga Kesejahteraan Sosial Kecamatan",
    "Dunia Usaha",
]
DISASTERS = ("Korban Bencana Alam", "Korban Bencana Sosial")
NIK = re.compile(r"^3601[0-9]{12}$")


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    definitions = load(DEFINITIONS)
    if not definitions.sources:
        pytest.skip("definitions/dinsos-pandeglang declares no data sources yet (no data.toml)")
    return definitions


@pytest.fixture(scope="module")
def out(definitions: Definitions, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    sample.generate(definitions, folder, people=PEOPLE)
    return folder


def source(definitions: Definitions, source_id: str) -> Source:
    found = next((s for s in definitions.sources if s.id == source_id), None)
    if found is None:
        pytest.skip(f"the definitions declare no source '{source_id}'")
    return found


def rows(definitions: Definitions, folder: Path, source_id: str) -> list[dict[str, str]]:
    with (folder / source(definitions, source_id).path).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*.csv"))
    }


# ------------------------------------------------------------------ reference data


def test_reference_has_the_35_kecamatan_26_pmks_and_12_psks() -> None:
    reference = sample.reference()
    assert len(reference.kecamatan) == 35
    assert len(set(reference.kecamatan_names)) == 35
    assert {"Karang Tanjung", "Cikedal", "Angsana", "Pandeglang", "Majasari"} <= set(
        reference.kecamatan_names
    )
    assert [c.name for c in reference.pmks] == PMKS
    assert [k.name for k in reference.psks] == PSKS
    codes = [k.kode for k in reference.kecamatan]
    assert len(set(codes)) == 35
    assert all(re.fullmatch(r"3601[0-9]{2}", code) for code in codes)
    for kecamatan in reference.kecamatan:
        assert len(kecamatan.desa) >= 4, kecamatan.name
        assert len(set(kecamatan.desa)) == len(kecamatan.desa), kecamatan.name
        assert kecamatan.penduduk > 0


def test_reference_bidang_follow_the_categories() -> None:
    bidang = {c.name: c.bidang for c in sample.reference().pmks}
    assert bidang["Korban Bencana Alam"] == bidang["Korban Bencana Sosial"] == "banjamsos"
    assert bidang["Fakir Miskin"] == bidang["Perempuan Rawan Sosial Ekonomi"] == "linjamsos"
    assert bidang["Komunitas Adat Terpencil"] == "dayasos"
    others = set(PMKS) - {*DISASTERS, "Fakir Miskin", "Perempuan Rawan Sosial Ekonomi"}
    assert {bidang[name] for name in others - {"Komunitas Adat Terpencil"}} == {"resos"}
    weights = {c.name: c.bobot for c in sample.reference().pmks}
    assert weights["Fakir Miskin"] == max(weights.values())
    assert weights["Komunitas Adat Terpencil"] == min(weights.values())


# ------------------------------------------------------------------ shape of what is written


def test_returns_rows_per_declared_source(definitions: Definitions, tmp_path: Path) -> None:
    written = sample.generate(definitions, tmp_path, people=200)
    assert list(written) == [s.id for s in definitions.sources]
    for declared in definitions.sources:
        if declared.format == "csv":
            with (tmp_path / declared.path).open(encoding="utf-8", newline="") as f:
                assert sum(1 for _ in csv.reader(f)) - 1 == written[declared.id]
    assert (tmp_path / sample.WORKBOOK).is_file()


def test_same_arguments_give_identical_files(definitions: Definitions, tmp_path: Path) -> None:
    sample.generate(definitions, tmp_path / "a", people=300, seed=7)
    sample.generate(definitions, tmp_path / "b", people=300, seed=7)
    sample.generate(definitions, tmp_path / "c", people=300, seed=8)
    first = digests(tmp_path / "a")
    assert first and first == digests(tmp_path / "b")
    assert first != digests(tmp_path / "c")


def test_row_counts_scale_with_people(definitions: Definitions, tmp_path: Path) -> None:
    for source_id in ("register_pmks", "register_rtm", "register_psks", "layanan"):
        source(definitions, source_id)
    small = sample.generate(definitions, tmp_path / "small", people=300)
    large = sample.generate(definitions, tmp_path / "large", people=1200)
    assert small["register_pmks"] == 300
    assert large["register_pmks"] == 1200
    for source_id in ("register_rtm", "register_psks"):
        assert large[source_id] == 4 * small[source_id], source_id
    # The service log also holds disaster-preparedness trainees, whose number does not scale.
    assert large["layanan"] > 2.5 * small["layanan"]
    assert large["register_rtm"] == 480
    assert large["register_psks"] == 120


def test_every_csv_has_exactly_the_declared_columns(definitions: Definitions, out: Path) -> None:
    for declared in definitions.sources:
        with (out / declared.path).open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header == list(declared.columns), declared.id


def test_every_source_reads_back_as_declared(definitions: Definitions, out: Path) -> None:
    for declared in definitions.sources:
        read = read_rows(declared, out)
        assert read, declared.id
        for column, kind in declared.columns.items():
            if kind == "date":
                assert all(
                    isinstance(row[column], dt.date) for row in read if row[column] is not None
                )


def test_workbook_has_a_sheet_per_source(definitions: Definitions, out: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(out / sample.WORKBOOK)
    assert workbook.sheetnames == [s.table_name for s in definitions.sources]
    for declared in definitions.sources:
        sheet = workbook[declared.table_name]
        header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        assert header == list(declared.columns), declared.id
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row - 1 == len(rows(definitions, out, declared.id))
        for index, kind in enumerate(declared.columns.values()):
            if kind == "date" and sheet.max_row > 1:
                assert isinstance(sheet.cell(row=2, column=index + 1).value, dt.datetime)
    xlsx = evolve(source(definitions, "register_psks"), format="xlsx", path=sample.WORKBOOK)
    assert len(read_rows(xlsx, out)) == len(rows(definitions, out, "register_psks"))


# ------------------------------------------------------------------ plausible content


def test_niks_are_valid_and_unique(definitions: Definitions, out: Path) -> None:
    pmks = [row["nik"] for row in rows(definitions, out, "register_pmks")]
    psks = [row["id_psks"] for row in rows(definitions, out, "register_psks")]
    served = {row["nik"] for row in rows(definitions, out, "layanan")}
    assert len(pmks) == PEOPLE
    for nik in [*pmks, *psks, *served]:
        assert NIK.match(nik), nik
        assert 1 <= int(nik[6:8]) % 40 <= 31 and 1 <= int(nik[8:10]) <= 12, nik
    assert len(set(pmks)) == len(pmks)
    assert len(set(psks)) == len(psks)
    assert not set(pmks) & set(psks)
    assert set(psks) & served


def test_registers_hold_plausible_values(definitions: Definitions, out: Path) -> None:
    start, end = dt.date(2024, 7, 1), dt.date(2026, 9, 30)
    reference = sample.reference()
    desa = {k.name: set(k.desa) for k in reference.kecamatan}
    bidang = {c.name: c.bidang for c in reference.pmks}
    pmks = rows(definitions, out, "register_pmks")
    for row in pmks:
        assert row["kategori"] in PMKS
        assert row["bidang"] == bidang[row["kategori"]]
        assert row["asesmen"] in ("ya", "tidak")
        assert row["asesmen"] == "tidak" or row["bidang"] == "resos"
        assert row["desa"] in desa[row["kecamatan"]]
        assert start <= dt.date.fromisoformat(row["tanggal_terdaftar"]) <= end
    resos = [row for row in pmks if row["bidang"] == "resos"]
    assert 0.45 < sum(row["asesmen"] == "ya" for row in resos) / len(resos) < 0.75
    kategori = Counter(row["kategori"] for row in pmks)
    assert kategori.most_common(1)[0][0] == "Fakir Miskin"
    rtm = rows(definitions, out, "register_rtm")
    assert 0.6 < sum(row["bpjs_pbi"] == "ya" for row in rtm) / len(rtm) < 0.8
    assert 0.45 < sum(row["perlindungan"] == "ya" for row in rtm) / len(rtm) < 0.65
    assert {row["jenis"] for row in rows(definitions, out, "register_psks")} <= set(PSKS)


PEGAWAI_SOURCE = """
[[source]]
id = "pegawai"
kind = "register"
format = "csv"
path = "pegawai.csv"
date_column = "tanggal_penilaian"
time = "flow"
columns = { nip = "nip", bidang = "text", nilai_skp = "text", tanggal_penilaian = "date" }
"""


def test_a_staff_register_when_the_office_declares_one(tmp_path: Path) -> None:
    # The shipped definitions compute nothing from a staff register (NILAI AKIP OPD is the
    # score the evaluator publishes), but an office that adds one gets its staff.
    folder = tmp_path / "definitions"
    shutil.copytree(ROOT / "definitions" / "dinsos-pandeglang", folder)
    (folder / "pegawai.toml").write_text(PEGAWAI_SOURCE, encoding="utf-8")
    definitions = load(folder)
    assert definitions.ok, [d.message for d in definitions.errors]
    out = tmp_path / "data"
    sample.generate(definitions, out, people=300)
    pegawai = rows(definitions, out, "pegawai")
    assert all(re.fullmatch(r"[0-9]{18}", row["nip"]) for row in pegawai)
    assert {row["tanggal_penilaian"] for row in pegawai} == {"2025-12-31", "2026-12-31"}
    per_year = Counter(row["tanggal_penilaian"] for row in pegawai)
    assert all(100 <= count <= 120 for count in per_year.values())
    for year in per_year:
        rated = [row["nip"] for row in pegawai if row["tanggal_penilaian"] == year]
        assert len(rated) == len(set(rated))
    skp = Counter(row["nilai_skp"] for row in pegawai)
    assert skp.most_common(1)[0][0] == "baik"
    assert set(skp) <= {"sangat baik", "baik", "butuh perbaikan", "kurang", "sangat kurang"}


def test_every_kecamatan_is_one_of_the_35(definitions: Definitions, out: Path) -> None:
    names = set(sample.reference().kecamatan_names)
    for declared in definitions.sources:
        if "kecamatan" in declared.columns:
            seen = {row["kecamatan"] for row in rows(definitions, out, declared.id)}
            assert seen - {""} <= names, declared.id
    assert len({row["kecamatan"] for row in rows(definitions, out, "register_pmks")}) >= 30


def test_service_codes_are_element_ids(definitions: Definitions, out: Path) -> None:
    ids = {element.id for element in definitions.elements}
    codes = sample.service_codes(definitions)
    assert codes and set(codes) <= ids
    logged = {row["kode_sub_kegiatan"] for row in rows(definitions, out, "layanan")}
    assert logged <= set(codes)
    assert len(logged) >= 0.75 * len(codes)


def test_fewer_people_than_services(definitions: Definitions, out: Path) -> None:
    layanan = rows(definitions, out, "layanan")
    assert len({row["nik"] for row in layanan}) < len(layanan)
    per_year: dict[str, Counter[str]] = {}
    for row in layanan:
        per_year.setdefault(row["tanggal"][:4], Counter())[row["nik"]] += 1
    assert all(max(counter.values()) >= 2 for counter in per_year.values())


def test_about_forty_percent_of_pmks_are_served_each_year(
    definitions: Definitions, out: Path
) -> None:
    pmks = rows(definitions, out, "register_pmks")
    served = {
        (row["tanggal"][:4], row["nik"])
        for row in rows(definitions, out, "layanan")
        if row["kode_sub_kegiatan"] not in relief_codes(definitions)
    }
    for year in ("2025", "2026"):
        eligible = [
            row["nik"]
            for row in pmks
            if row["kategori"] not in DISASTERS and row["tanggal_terdaftar"][:4] <= year
        ]
        share = sum((year, nik) in served for nik in eligible) / len(eligible)
        assert 0.30 < share < 0.50, (year, share)


def relief_codes(definitions: Definitions) -> set[str]:
    return {
        code
        for code in sample.service_codes(definitions)
        if any(e.id == "1.06.06" or e.kode == "1.06.06" for e in definitions.ancestors(code))
    }


def test_disaster_victims_are_served(definitions: Definitions, out: Path) -> None:
    victims = {
        row["nik"]: row
        for row in rows(definitions, out, "register_pmks")
        if row["kategori"] in DISASTERS
    }
    relief = relief_codes(definitions)
    served = {
        row["nik"]
        for row in rows(definitions, out, "layanan")
        if row["kode_sub_kegiatan"] in relief
    }
    assert victims
    assert len(set(victims) & served) / len(victims) >= 0.9
    for row in victims.values():
        assert dt.date.fromisoformat(row["tanggal_terdaftar"]).year in (2025, 2026)


def test_one_input_is_missing_for_the_last_year(definitions: Definitions, out: Path) -> None:
    expected = [item.name for item in definitions.inputs] + [
        indicator.id for indicator in definitions.indicators if indicator.formula_kind == "input"
    ]
    inputs = rows(definitions, out, "inputs")
    given = {
        year: {row["nama"] for row in inputs if row["tahun"] == year} for year in ("2025", "2026")
    }
    assert given["2025"] == set(expected)
    missing = set(expected) - given["2026"]
    assert missing == {sample.missing_input(definitions)}
    assert sample.missing_input(definitions) == "iku-indeks-kesejahteraan-sosial"
    assert len(inputs) == 2 * len(expected) - 1
    values = {(row["nama"], row["tahun"]): float(row["nilai"]) for row in inputs}
    assert 54.5 < values[("iku-indeks-kesejahteraan-sosial", "2025")] < 56.5
    for name, low, high in (
        ("rasio-gini", 0.25, 0.35),
        ("tingkat-kemiskinan", 8.0, 10.0),
        ("indeks-pembangunan-manusia", 64.0, 68.0),
        ("indeks-reformasi-birokrasi", 55.0, 65.0),
        ("indeks-risiko-bencana", 130.0, 170.0),
    ):
        if name in expected:
            assert all(low < values[(name, year)] < high for year in ("2025", "2026")), name


def test_realisasi_stops_at_through(definitions: Definitions, out: Path) -> None:
    realisasi = rows(definitions, out, "realisasi")
    periods = {row["periode"] for row in realisasi}
    assert "2026-TW4" not in periods
    assert periods == {f"2025-TW{q}" for q in range(1, 5)} | {f"2026-TW{q}" for q in range(1, 4)}
    wanted = {i.id: i for i in definitions.indicators if i.formula_kind == "realisasi"}
    assert {row["indikator"] for row in realisasi} == set(wanted)
    for row in realisasi:
        indicator = wanted[row["indikator"]]
        assert row["kode_sub_kegiatan"] == indicator.parent
        assert float(row["nilai"]) >= 0
        if indicator.unit in ("Dokumen", "Laporan", "Berita Acara", "Paket", "Unit", "Kampung"):
            assert row["kecamatan"] == ""
            assert float(row["nilai"]) <= 10
    per_period = Counter((row["indikator"], row["periode"]) for row in realisasi)
    for indicator in wanted.values():
        if indicator.unit in ("Dokumen", "Laporan", "Unit"):
            assert all(per_period[(indicator.id, p)] == 1 for p in periods), indicator.id


def test_through_a_whole_year(definitions: Definitions, tmp_path: Path) -> None:
    written = sample.generate(definitions, tmp_path, people=100, years=(2025, 2026), through="2025")
    periods = {row["periode"] for row in rows(definitions, tmp_path, "realisasi")}
    assert periods == {f"2025-TW{q}" for q in range(1, 5)}
    dates = [row["tanggal"] for row in rows(definitions, tmp_path, "layanan")]
    assert max(dates) <= "2025-12-31"
    assert written["register_pmks"] == 100


def test_other_formats(definitions: Definitions, tmp_path: Path) -> None:
    changed = evolve(
        definitions,
        sources=tuple(
            evolve(s, format="sqlite", path="sample.sqlite") if s.id == "register_psks" else s
            for s in definitions.sources
        ),
    )
    written = sample.generate(changed, tmp_path, people=200)
    psks = next(s for s in changed.sources if s.id == "register_psks")
    assert len(read_rows(psks, tmp_path)) == written["register_psks"] == 20


def test_bad_arguments(definitions: Definitions, tmp_path: Path) -> None:
    with pytest.raises(sample.SampleError, match="not a period"):
        sample.generate(definitions, tmp_path, through="2026-TW5")
    with pytest.raises(sample.SampleError, match="no year"):
        sample.generate(definitions, tmp_path, years=(2027,), through="2026-TW3")
    with pytest.raises(sample.SampleError, match="people"):
        sample.generate(definitions, tmp_path, people=-1)


def test_fallback_codes_without_measures(definitions: Definitions) -> None:
    bare = evolve(definitions, measures=(), elements=definitions.elements)
    bare = evolve(
        bare,
        elements=tuple(
            evolve(e, indicators=tuple(evolve(i, formula=None) for i in e.indicators))
            for e in bare.elements
        ),
    )
    codes = sample.service_codes(bare)
    assert codes
    for code in codes:
        programme = next(a for a in definitions.ancestors(code) if a.level == "program")
        assert (programme.kode or programme.id) in SERVICE_PROGRAMMES


@pytest.mark.slow
def test_a_hundred_thousand_people_are_written_in_full(
    definitions: Definitions, tmp_path: Path
) -> None:
    # How long this takes is the benchmark's business, not a unit test's.
    written = sample.generate(definitions, tmp_path, people=100_000)
    assert written["register_pmks"] == 100_000
    with (tmp_path / "register_pmks.csv").open(encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 100_000 + 1  # the header and one line per person
