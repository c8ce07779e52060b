"""A third office, of another kind than the shipped ones: a Kota's Dinas Pendidikan with
kecamatan, kelurahan (no desa) and schools (sekolah) as a service level under the kelurahan,
written by following the README only (tests/fixtures/disdik-kota/definitions), over
hand-made data (tests/fixtures/disdik-kota/data) whose every number is computed here by hand.

The pupils (murid.csv, a register's state: rows registered on or before the period's end):

    school          kelurahan       kecamatan  pupils (age, status)                 registered
    SDN Sukasari 1  Sukasari Hilir  Sukasari   7, 9, 12, 13 aktif; 10 aktif          2025-07; 2026-08-03
    SDN Sukasari 2  Sukasari Hulu   Sukasari   8 aktif, 11 putus, 6 aktif           2025-07
    SDN Cempaka 1   Cempaka Putih   Cempaka    7 aktif, 8 aktif, 12 putus           2025-07
    SDN Mekarjaya   Mekarjaya       Cempaka    9, 10, 14 aktif                      2025-07

    2026: 14 pupils, 12 aktif, 2 putus; aktif aged 7–12: Sukasari 5, Cempaka 4 = 9.
    2026-TW1 and 2025: the pupil registered 2026-08-03 does not count yet: 13, 11, 2; 8.

The teachers (guru.csv): Sukasari 1: 2 (1 certified), Sukasari 2: 1 (certified),
Cempaka 1: 2 (both certified), Mekarjaya: 1 (not): 6 teachers, 4 certified.

Accreditation (sekolah.xlsx, sheet akreditasi, one row per school and year): 2026 A, B, B, C
(3 of 4 at least B; Sukasari 2 of 2, Cempaka 1 of 2); 2025 A, B, C, C (2 of 4).

Assessment (asesmen.csv, one row per school and month): in 2026 only May has pupils:
4 pupils scoring 300 in all, 2 scoring 170, 2 scoring 140, 3 scoring 201,5: 11 pupils, 811,5.
2025 has only November, so 2025 has no value (a month from every school is needed).

Population aged 7–12 (penduduk.csv, per kecamatan, additive): 2026 Sukasari 6, Cempaka 5
(11 in the kota); 2025 7 and 5 (12).

Realisasi of guru-pelatihan: TW1 Sukasari 3, Cempaka 2; TW2 Sukasari 1, Cempaka 4.
"""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.decimals import CONTEXT
from iku_rules.satuan import PLAIN, UnitTable

ROOT = Path(__file__).resolve().parent.parent
KOTA = ROOT / "tests" / "fixtures" / "disdik-kota" / "definitions"
DATA = ROOT / "tests" / "fixtures" / "disdik-kota" / "data"


def ratio(numerator: str | int, denominator: int, scale: int = 1) -> Decimal:
    """numerator / denominator × scale, as the formulas compute it (50 digits)."""
    return CONTEXT.multiply(CONTEXT.divide(Decimal(numerator), Decimal(denominator)), scale)


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def rows(period: str = "2026", *by: str, lang: str = "id") -> dict[tuple[str, str | None], dict]:  # type: ignore[type-arg]
    status, text = run(
        "--lang", lang, "eval", str(KOTA), "--data", str(DATA), "--period", period,
        "--format", "json", *by,
    )  # fmt: skip
    assert status == 0, text
    found = json.loads(text, parse_float=Decimal)
    return {(row["id"], row["region"]): row for row in found}


def test_the_kota_office_passes_iku_check() -> None:
    # Before the fix, "Murid per Guru" was a satuan the unit table could not know: following
    # the warning's own suggestion ("Murid per Guru" = "murid per guru") made the ratio
    # Σ Murid Aktif / Σ Guru an error (the formula gives a plain number, not "murid per guru").
    status, text = run("--lang", "id", "check", str(KOTA))
    assert (status, text) == (0, "0 kesalahan, 0 peringatan di 5 berkas\n")


def test_the_kota_year_with_every_number_by_hand() -> None:
    found = rows()
    area = {key[0]: row for key, row in found.items() if key[1] is None}
    # APM SD: 9 aktif aged 7–12 / 11 aged 7–12 × 100 = 81.8181…; capaian 81.8181… / 82 = 99.78.
    assert area["apm-sd"]["value"] == ratio(9, 11, 100)
    assert (area["apm-sd"]["capaian"], area["apm-sd"]["predikat"]) == (
        Decimal("99.78"),
        "Sangat Tinggi",
    )
    # Putus sekolah (negatif): 2 / 14 × 100 = 14.2857…; (2 × 12 − 14.2857…) / 12 × 100 = 80.95.
    assert area["putus-sekolah"]["value"] == ratio(2, 14, 100)
    assert area["putus-sekolah"]["capaian"] == Decimal("80.95")
    # Rasio murid per guru: 12 aktif / 6 guru = 2, meets "≤ 2,5": 100; a ratio, not a percentage.
    assert (area["rasio-murid-guru"]["value"], area["rasio-murid-guru"]["unit"]) == (2, None)
    assert area["rasio-murid-guru"]["capaian"] == 100
    # Akreditasi minimal B: 3 / 4 = 75 %; 75 / 80 × 100 = 93.75.
    assert (area["akreditasi-b"]["value"], area["akreditasi-b"]["capaian"]) == (
        75,
        Decimal("93.75"),
    )
    # Rata-rata nilai asesmen: 811,5 / 11 = 73.7727…; 73.7727… / 75 × 100 = 98.36.
    assert area["nilai-asesmen"]["value"] == ratio("811.5", 11)
    assert area["nilai-asesmen"]["capaian"] == Decimal("98.36")
    # Guru bersertifikat: 4 against 5: 80 (Tinggi); guru-pelatihan 3 + 2 + 1 + 4 = 10 of 12: 83.33.
    assert (area["guru-bersertifikat"]["value"], area["guru-bersertifikat"]["capaian"]) == (4, 80)
    assert area["guru-bersertifikat"]["predikat"] == "Tinggi"
    assert (area["guru-pelatihan"]["value"], area["guru-pelatihan"]["capaian"]) == (
        10,
        Decimal("83.33"),
    )


def test_the_kota_by_kecamatan_kelurahan_and_sekolah() -> None:
    kecamatan = rows("2026", "--by", "kecamatan")
    # Sukasari: APM 5 / 6; putus 1 / 8; rasio 7 / 3; akreditasi 2 / 2 against its 90: 111.11;
    # nilai (300 + 170) / 6; 2 certified; pelatihan 3 + 1.
    assert kecamatan["apm-sd", "Sukasari"]["value"] == ratio(5, 6, 100)
    assert kecamatan["putus-sekolah", "Sukasari"]["value"] == Decimal("12.5")
    assert kecamatan["rasio-murid-guru", "Sukasari"]["value"] == ratio(7, 3)
    assert kecamatan["akreditasi-b", "Sukasari"]["capaian"] == Decimal("111.11")
    assert kecamatan["nilai-asesmen", "Sukasari"]["value"] == ratio(470, 6)
    assert kecamatan["guru-pelatihan", "Sukasari"]["value"] == 4
    # Cempaka: APM 4 / 5 = 80; akreditasi 1 / 2 = 50 against its 60: 83.33; nilai 341,5 / 5 = 68.3.
    assert kecamatan["apm-sd", "Cempaka"]["value"] == 80
    assert kecamatan["akreditasi-b", "Cempaka"]["capaian"] == Decimal("83.33")
    assert kecamatan["nilai-asesmen", "Cempaka"]["value"] == Decimal("68.3")
    kelurahan = rows("2026", "--by", "kelurahan")
    # Sukasari Hulu: putus 1 / 3 against its 30 (negatif): (60 − 33.33…) / 30 × 100 = 88.89.
    assert kelurahan["putus-sekolah", "Sukasari Hulu"]["capaian"] == Decimal("88.89")
    # Mekarjaya: putus 0 / 3 = 0 against 5: (10 − 0) / 5 × 100 = 200; rasio 3 / 1; nilai 201,5 / 3.
    assert kelurahan["putus-sekolah", "Mekarjaya"]["capaian"] == 200
    assert kelurahan["rasio-murid-guru", "Mekarjaya"]["value"] == 3
    assert kelurahan["nilai-asesmen", "Mekarjaya"]["value"] == ratio("201.5", 3)
    # The population is given per kecamatan only: APM per kelurahan is not available.
    assert kelurahan["apm-sd", "Mekarjaya"]["value"] is None
    assert "per kecamatan, bukan per kelurahan" in kelurahan["apm-sd", "Mekarjaya"]["reason"]
    sekolah = rows("2026-TW1", "--by", "sekolah", lang="en")
    # TW1: the pupil registered in August does not count: APM 8 / 11; putus 2 / 13; rasio 11 / 6.
    assert sekolah["apm-sd", None]["value"] == ratio(8, 11, 100)
    assert sekolah["putus-sekolah", None]["value"] == ratio(2, 13, 100)
    assert sekolah["rasio-murid-guru", None]["value"] == ratio(11, 6)
    # The year's accreditation serves its triwulan (in_triwulan = "year_value"); no pupil
    # was assessed January to March: 0 / 0 is not available.
    assert sekolah["akreditasi-b", "SDN Mekarjaya"]["value"] == 0
    assert sekolah["nilai-asesmen", None]["reason_code"] == "division-by-zero"
    assert sekolah["rasio-murid-guru", "SDN Sukasari 1"]["value"] == 2  # 4 aktif / 2 guru


def test_the_kota_is_called_a_kota_in_every_output() -> None:
    status, text = run("--lang", "id", "eval", str(KOTA), "--data", str(DATA), "--period", "2026")
    assert status == 0 and "Kota (semua wilayah)" in text and "abupaten" not in text
    status, text = run(
        "--lang", "en", "explain", str(KOTA), "apm-sd", "--data", str(DATA), "--period", "2026"
    )
    assert status == 0 and "the whole kota" in text and "abupaten" not in text


def test_explain_finds_the_level_of_the_region_it_is_asked_for() -> None:
    # Sukasari Hulu is a kelurahan: explained by kelurahan without --by, its name matched
    # ignoring case and spacing. Before the fix it was looked for among the kecamatan:
    # "no region 'Sukasari Hulu' in the results; did you mean 'Sukasari'?".
    status, text = run(
        "--lang", "en", "explain", str(KOTA), "putus-sekolah", "--data", str(DATA),
        "--period", "2026", "--region", "sukasari  HULU",
    )  # fmt: skip
    assert status == 0, text
    # 1 / 3 × 100 = 33.33…, against 30: 88.89.
    assert "kelurahan Sukasari Hulu" in text and "capaian 88.89 %" in text
    status, text = run(
        "--lang", "en", "explain", str(KOTA), "akreditasi-b", "--data", str(DATA),
        "--period", "2026", "--region", "Cempaka",
    )  # fmt: skip
    assert status == 0 and "kecamatan Cempaka" in text and "capaian 83.33 %" in text


def test_reports_in_both_languages(tmp_path: Path) -> None:
    for lang, capaian, words in (
        ("id", "99,78", ["## Capaian per Kelurahan", "## Capaian per Kecamatan", "seluruh kota"]),
        ("en", "99.78", ["the whole kota"]),
    ):
        target = tmp_path / f"r-{lang}.md"
        status, _ = run(
            "--lang", lang, "report", str(KOTA), "--data", str(DATA), "--period", "2026",
            "--format", "md", "-o", str(target),
        )  # fmt: skip
        text = target.read_text("utf-8")
        assert status == 0 and capaian in text and "abupaten" not in text
        assert all(word in text for word in words), lang
    # the region tables in the order the levels are declared: kecamatan, then kelurahan
    # (they came in the order the indicators first named them, kelurahan first)
    md = (tmp_path / "r-id.md").read_text("utf-8")
    assert md.index("## Capaian per Kecamatan") < md.index("## Capaian per Kelurahan")
    html = tmp_path / "r.html"
    status, _ = run(
        "--lang", "en", "report", str(KOTA), "--data", str(DATA), "--period", "2026",
        "-o", str(html),
    )  # fmt: skip
    assert status == 0 and "Murid per Guru" in html.read_text("utf-8")


def test_sample_data_for_the_kota_evaluates(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    status, _ = run(
        "sample-data", str(folder), "--definitions", str(KOTA), "--people", "60",
        "--through", "2026-TW4",
    )  # fmt: skip
    assert status == 0
    assert {"murid.csv", "guru.csv", "sekolah.xlsx", "asesmen.csv"} <= {
        path.name for path in folder.iterdir()
    }
    status, text = run(
        "--lang",
        "id",
        "eval",
        str(KOTA),
        "--data",
        str(folder),
        "--period",
        "2026",
        "--by",
        "kelurahan",
    )
    assert status == 0 and "Kelurahan Mekarjaya" in text


def test_the_python_api_gives_the_same_numbers() -> None:
    from iku_rules import Engine

    with Engine(KOTA, DATA) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
        # 9 / 11 × 100 for the kota, 4 / 5 × 100 for Cempaka: a ratio of sums, never an average.
        assert evaluation.get("apm-sd").value == ratio(9, 11, 100)
        assert evaluation.get("apm-sd", "Cempaka").value == 80


def test_a_satuan_a_per_b_counts_a_divided_by_b() -> None:
    table = UnitTable.builtin().extended({"Murid": "orang", "Guru": "orang", "Buku": "buku"})
    assert table.knows("Murid per Guru") and table.dimension("Murid per Guru") == PLAIN
    assert table.dimension("Buku per Murid") == (("buku", 1), ("orang", -1))
    assert table.dimension("Rupiah per Orang") == (("orang", -1), ("rupiah", 1))
    assert not table.knows("Murid per Kelas")  # Kelas is unknown
    assert table.dimension("per 1.000 Penduduk") is None  # a rate, proven apart


def test_an_unknown_satuan_a_per_b_is_told_to_declare_its_parts(tmp_path: Path) -> None:
    folder = tmp_path / "kota"
    shutil.copytree(KOTA, folder)
    office = folder / "office.toml"
    text = office.read_text("utf-8")
    office.write_text(text.replace('Murid = { dimension = "orang", whole = true }\n', ""), "utf-8")
    _status, output = run("--lang", "en", "check", str(folder), "--format", "json")
    found = [d for d in json.loads(output)["diagnostics"] if d["code"] == "unit"]
    assert len(found) == 1, output
    # Before the fix: 'add it under [satuan], e.g. "Murid per Guru" = "murid per guru"',
    # which made the ratio's formula an error once followed.
    assert found[0]["suggestion"] == (
        'add each of its parts under [satuan], e.g. Murid = "murid" and Guru = "guru":'
        " 'Murid per Guru' then counts what Murid counts divided by what Guru counts"
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_explain_in_both_languages_names_the_kota(lang: str) -> None:
    status, text = run(
        "--lang", lang, "explain", str(KOTA), "nilai-asesmen", "--data", str(DATA),
        "--period", "2026", "--region", "Mekarjaya",
    )  # fmt: skip
    # 201,5 / 3 = 67.1666…, shown ≈ 67,166667 / 67.166667.
    assert status == 0 and ("67,166667" if lang == "id" else "67.166667") in text
