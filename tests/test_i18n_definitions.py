"""The messages of reading and checking definitions speak the planners' language: a
representative message of the loader, the checks, the proofs, notation, units, regions and
names in the data, in Indonesian (``--lang id``, ``use_language("id")``) and in English."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT, edit, office, run

from iku_rules import notation
from iku_rules.errors import IkuError
from iku_rules.i18n import use_language
from iku_rules.loader.values import parse_number
from iku_rules.regions import UnknownRegion
from iku_rules.satuan import UnitTable, describe
from iku_rules.suggest import did_you_mean

BROKEN = ROOT / "tests" / "broken"
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def misspell(source: Path, copy: Path, file: str, right: str, wrong: str) -> Path:
    """A copy of the folder ``source`` in which ``file`` writes ``wrong`` for ``right``."""
    shutil.copytree(source, copy)
    text = (copy / file).read_text(encoding="utf-8")
    assert right in text, right
    (copy / file).write_text(text.replace(right, wrong), encoding="utf-8")
    return copy


# One broken file per module, and a piece of what `iku check` says of it in each language.
CASES = [
    (  # loader/fields.py
        "unknown-field.toml",
        "unknown field 'parnet' in a [[misi]] (did you mean 'parent'?)",
        "field 'parnet' tidak dikenal di [[misi]] (mungkin maksud Anda 'parent'?)",
    ),
    (  # loader/sections.py
        "unknown-section.toml",
        "unknown section 'programm'",
        "bagian 'programm' tidak dikenal",
    ),
    (  # loader/__init__.py
        "toml-decimal-comma.toml",
        "this is not valid TOML",
        "ini bukan TOML yang sah: ada sesuatu setelah nilai di baris ini yang bukan bagiannya"
        ' (angka dengan koma desimal harus dalam tanda kutip: "55,33")',
    ),
    (  # loader/values.py
        "bad-number.toml",
        "'1.23,45' is not a number; write it like 55,33",
        "'1.23,45' bukan angka; tulis seperti 55,33, 56.73, 93% atau 23.500",
    ),
    (  # notation.py
        "formula-ambiguous-number.toml",
        "'100.000' is read two ways",
        "'100.000' dapat dibaca dua cara: sebagai 100000 dalam notasi \"id\"",
    ),
    (  # check/cascade.py
        "parent-cycle.toml",
        "the cascade goes round in a circle: keg → sub → keg",
        "cascade berputar melingkar: keg → sub → keg",
    ),
    (  # check/formulas.py
        "not-a-percentage.toml",
        "indicator 'm1' is measured in Persen, but its formula gives a fraction (a ratio)",
        "indikator 'm1' diukur dalam Persen, tetapi rumusnya menghasilkan pecahan (rasio),"
        " bukan persentase (kalikan rasionya dengan 100%: … × 100%)",
    ),
    (  # dimensions.py
        "rate-without-scale.toml",
        "indicator 'm2' is a rate per 1.000 PMKS, but its formula gives a plain ratio",
        "indikator 'm2' adalah angka per 1.000 PMKS, tetapi rumusnya menghasilkan rasio biasa,"
        " tanpa pengali: kalikan rasionya dengan 1.000",
    ),
    (  # check/targets.py
        "target-outside-plan.toml",
        "indicator 'm1' has a target for 2031, outside the plan (2025–2030)",
        "indikator 'm1' memiliki target untuk 2031, di luar periode rencana (2025–2030)",
    ),
    (  # check/sources.py
        "filter-unknown-column.toml",
        "measure 'PMKS tertangani' filters on 'katgori', which is not a column of its source",
        "ukuran 'PMKS tertangani' memfilter berdasarkan 'katgori', yang bukan kolom sumber"
        " datanya (mungkin maksud Anda 'kategori'?)",
    ),
    (  # check/bounds.py and bounds.py
        "bounds-not-proven.toml",
        "indicator 'm1' is a percentage that may come out above 100: the numerator",
        "indikator 'm1' adalah persentase yang dapat bernilai di atas 100: pembilang",
    ),
]


@pytest.mark.parametrize(("name", "english", "indonesian"), CASES, ids=[c[0] for c in CASES])
def test_check_speaks_each_language(name: str, english: str, indonesian: str) -> None:
    case = BROKEN / name
    assert case.exists(), name
    _, in_english = run("check", str(case), "--lang", "en")
    _, in_indonesian = run("check", str(case), "--lang", "id")
    assert english in in_english
    assert indonesian in in_indonesian
    assert english not in in_indonesian


def test_the_checks_of_regions_and_data_types_speak_each_language(tmp_path: Path) -> None:
    folder = misspell(
        DINKES,
        tmp_path / "dinkes",
        "wilayah.toml",
        'parent = "Karanganyar"\n',
        'parent = "Karanganyr"\n',
    )
    _, english = run("check", str(folder), "--lang", "en")
    _, indonesian = run("check", str(folder), "--lang", "id")
    # check/regions.py
    assert (
        "the puskesmas 'Puskesmas Karanganyar' lies in the kecamatan 'Karanganyr', which is not"
        " a declared kecamatan" in english
    )
    assert (
        "puskesmas 'Puskesmas Karanganyar' terletak di kecamatan 'Karanganyr', yang bukan"
        " kecamatan yang dinyatakan (mungkin maksud Anda 'Karanganyar'?)" in indonesian
    )


def test_the_check_of_the_data_types_speaks_each_language(tmp_path: Path) -> None:
    folder = office(tmp_path)
    # check/data.py: a filter compares a text column with a number.
    edit(folder, '[kategori = "Anak', '[kategori = 12 or kategori = "Anak')
    _, english = run("check", str(folder), "--lang", "en")
    _, indonesian = run("check", str(folder), "--lang", "id")
    assert "compares the column 'kategori', which holds text, with 12: a number never" in english
    assert (
        "membandingkan kolom 'kategori', yang berisi teks, dengan 12: angka tidak pernah sama"
        ' dengan teks (bandingkan dengan teks dalam tanda kutip, seperti kategori = "12")'
        in indonesian
    )


def test_a_name_in_the_data_that_the_definitions_lack_speaks_each_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # datanames.py: a misspelt indikator in the realisasi table.
    data = misspell(
        DATA,
        tmp_path / "data",
        "realisasi.csv",
        "kelas-ibu-hamil,2026-TW2,Karanganyar",
        "kelas-ibu-hamill,2026-TW2,Karanganyar",
    )
    for language in ("en", "id"):
        status, _ = run(
            "eval", str(DINKES), "--data", str(data), "--period", "2026", "--lang", language
        )
        assert status == 1
    english, indonesian = capsys.readouterr().err.split("\n", 1)
    assert (
        "the indikator 'kelas-ibu-hamill' (did you mean 'kelas-ibu-hamil'?) names no indicator"
        " whose value is its realisasi in the definitions" in english
    )
    assert (
        "indikator 'kelas-ibu-hamill' (mungkin maksud Anda 'kelas-ibu-hamil'?) tidak menyebut"
        " indikator mana pun dalam definisi yang nilainya adalah realisasinya" in indonesian
    )


def test_the_building_blocks_speak_the_language_in_force() -> None:
    table = UnitTable.builtin()
    region = UnknownRegion("kecamatan", "Labuhan", ("Labuan",))
    with use_language("en"):
        assert describe(None, table) == "an unknown unit"  # satuan.py
        assert did_you_mean("Labuhan", ["Labuan"]) == "did you mean 'Labuan'?"  # suggest.py
        assert region.message("kec").startswith(  # regions.py
            "the column 'kec' names the kecamatan 'Labuhan', which is not a declared kecamatan;"
            " did you mean 'Labuan'?"
        )
        with pytest.raises(ValueError, match=r"'23\.500' is read two ways"):
            parse_number("23.500")
    with use_language("id"):
        assert describe(None, table) == "satuan yang tidak dikenal"
        assert did_you_mean("Labuhan", ["Labuan"]) == "mungkin maksud Anda 'Labuan'?"
        assert region.message("kec") == (
            "kolom 'kec' menyebut kecamatan 'Labuhan', yang bukan kecamatan yang dinyatakan;"
            " mungkin maksud Anda 'Labuan'? (nyatakan sebagai [[region]] dengan"
            " level = 'kecamatan', atau perbaiki datanya)"
        )
        with pytest.raises(ValueError, match=r"'23\.500' dapat dibaca dua cara") as refused:
            parse_number("23.500")
        assert 'nyatakan notasinya: notation = "id" atau "en" di bawah [office]' in str(
            refused.value
        )
        with pytest.raises(IkuError, match='notasi yang ada adalah "id" dan "en"'):
            notation.notation("fr")
        assert parse_number("23.500", notation.ID) == Decimal(23500)
