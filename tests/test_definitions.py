"""The shipped Pandeglang definitions: complete, checked, and as the document writes them."""

from __future__ import annotations

import io
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from iku_rules.cli import main
from iku_rules.loader import load

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
SEED = ROOT / "tests" / "data" / "iku-dinsos-pandeglang-2026.txt"
SCHEMA = ROOT / "iku_rules" / "schema" / "definitions.schema.json"


def collapse(text: str) -> str:
    return " ".join(text.split())


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_check_passes_on_the_transcription() -> None:
    status, output = run("check", str(PANDEGLANG))
    assert status == 0
    assert output.strip() == "0 errors, 0 warnings in 9 files"


# Tabel 2.1: baseline 2024, targets 2025-2030, as the document prints them.
TABEL_2_1 = {
    "Indeks Kesejahteraan Sosial": (None, ["55.33", "55.73", "56.23", "56.73", "57.33", "57.93"]),
    "Persentase Korban Bencana Alam, Sosial dan /atau Non Alam yang Terpenuhi Kebutuhan Dasarnya"
    " Pada Saat dan Setelah Tanggap Darurat Bencana": ("93", ["100"] * 6),
    "Presentase PMKS yang tertangani": (
        "36.45",
        ["37.45", "38.45", "39.45", "40.45", "41.45", "42.45"],
    ),
    "NILAI AKIP OPD": ("75.15", ["75.60", "76.05", "76.50", "76.95", "77.40", "77.85"]),
}


def test_list_json_has_the_four_iku_of_tabel_2_1_exactly() -> None:
    status, output = run("list", str(PANDEGLANG), "--format", "json")
    assert status == 0
    records = json.loads(output)
    iku = {record["name"]: record for record in records if record["iku"]}
    assert set(iku) == set(TABEL_2_1)
    for name, (baseline, targets) in TABEL_2_1.items():
        record = iku[name]
        assert record["baseline"] == (None if baseline is None else float(Decimal(baseline)))
        assert record["targets"] == {
            str(year): float(Decimal(value))
            for year, value in zip(range(2025, 2031), targets, strict=True)
        }
        for key in (
            "id",
            "name",
            "level",
            "unit",
            "parent",
            "polarity",
            "formula",
            "baseline",
            "targets",
        ):
            assert key in record


def test_targets_are_stored_as_exact_decimals() -> None:
    definitions = load(PANDEGLANG)
    pmks = definitions.indicator("iku-pmks-tertangani")
    assert pmks is not None
    assert pmks.baseline == Decimal("36.45")
    assert pmks.targets[2027] == Decimal("39.45")  # written "39,45"
    assert pmks.targets[2026] == Decimal("38.45")  # written "38.45"


def seed_sub_kegiatan() -> list[str]:
    lines = (
        (ROOT / "tests" / "data" / "seed-sub-kegiatan.txt").read_text(encoding="utf-8").splitlines()
    )
    return [line for line in lines if line and not line.startswith("#")]


def test_every_sub_kegiatan_of_the_document_is_defined_under_a_kegiatan() -> None:
    seed = collapse(SEED.read_text(encoding="utf-8"))
    definitions = load(PANDEGLANG)
    defined = {
        collapse(element.name): element
        for element in definitions.elements
        if element.level == "sub_kegiatan"
    }
    names = seed_sub_kegiatan()
    assert len(names) == len(set(names)) == 42
    for name in names:
        assert name in seed, f"not in the document: {name}"
        assert name in defined, f"not in the definitions: {name}"
        parent = definitions.element(defined[name].parent or "")
        assert parent is not None and parent.level == "kegiatan"
        program = definitions.element(parent.parent or "")
        assert program is not None and program.level == "program"
    assert len(defined) == len(names)


def test_every_sub_kegiatan_has_an_indicator_with_a_unit() -> None:
    definitions = load(PANDEGLANG)
    for element in definitions.elements:
        if element.level == "sub_kegiatan":
            assert element.indicators, element.id
            assert all(indicator.unit for indicator in element.indicators)


def test_programme_codes_follow_kepmendagri_050() -> None:
    definitions = load(PANDEGLANG)
    programs = {element.kode for element in definitions.elements if element.level == "program"}
    assert programs == {"1.06.01", "1.06.02", "1.06.04", "1.06.05", "1.06.06", "1.06.07"}
    alat_bantu = definitions.element("1.06.04.2.01.0003")
    assert alat_bantu is not None and alat_bantu.name == "Penyediaan Alat Bantu"


def test_every_percent_indicator_has_a_numerator_and_denominator() -> None:
    definitions = load(PANDEGLANG)
    for indicator in definitions.indicators:
        if indicator.is_percent and indicator.formula is not None:
            assert indicator.numerator is not None and indicator.denominator is not None, (
                indicator.id
            )


def test_list_text_is_a_tree_of_the_cascade() -> None:
    status, output = run("list", str(PANDEGLANG))
    assert status == 0
    lines = output.splitlines()
    visi = next(i for i, line in enumerate(lines) if line.startswith("Visi: "))
    alat = next(
        line for line in lines if "Sub Kegiatan: 1.06.04.2.01.0003 Penyediaan Alat Bantu" in line
    )
    assert visi < lines.index(alat)
    assert alat.startswith(" " * 28)


def schema_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("path", sorted(PANDEGLANG.rglob("*.toml")), ids=lambda p: p.name)
def test_every_file_is_valid_against_the_shipped_schema_and_references_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("#:schema ")
    referenced = (path.parent / first.removeprefix("#:schema ").strip()).resolve()
    assert referenced == SCHEMA
    errors = [error.message for error in schema_validator().iter_errors(tomllib.loads(text))]
    assert errors == []


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        ('[[misi]]\nid = "m"\nname = "M"\nparnet = "v"\n', "'parnet' was unexpected"),
        (
            '[[sasaran]]\nid = "s"\nname = "S"\nparent = "m"\ntingkat = "rpjm"\n',
            "'rpjm' is not one of",
        ),
        (
            '[[misi]]\nid = "m"\nname = "M"\nparent = "v"\n[[misi.indikator]]\nid = "i"\nname = "I"\nunit = "Orang"\nformula = "realisasi"\ntargets = { 26 = 5 }\n',
            "'26' does not match",
        ),
    ],
)
def test_schema_flags_what_a_planner_mistypes(toml: str, fragment: str) -> None:
    errors: list[Any] = [
        error.message for error in schema_validator().iter_errors(tomllib.loads(toml))
    ]
    assert any(fragment in message for message in errors), errors


def test_bad_paths_are_usage_errors_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "nowhere")]) == 2
    assert main(["list", str(ROOT / "README.md")]) == 2
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err and "Traceback" not in err


# ------------------------------------------------------------------ only what the document says


def test_nilai_akip_opd_is_the_published_score_with_the_documents_own_rumus() -> None:
    seed = collapse(SEED.read_text(encoding="utf-8"))
    akip = load(PANDEGLANG).indicator("iku-nilai-akip-opd")
    assert akip is not None
    # Lampiran I names three components but no weights, and the Rumus of Bab II 2.2 (d)
    # gives a percentage of staff: nothing the document supports can be computed, so the
    # value is the score as published each year.
    assert akip.formula_kind == "input" and akip.formula is None
    # The Rumus stays where the document puts it: under NILAI AKIP OPD, as written.
    assert akip.formula_text == "Σ pegawai yang mempunyai nilai SKP baik / Σ pegawai X 100%"
    assert "Σ pegawai yang mempunyai nilai SKP baik X 100% Σ pegawai" in seed
    assert akip.assumption is not None and "dipublikasikan" in akip.assumption


def test_no_indicator_carries_a_name_the_document_does_not_give_unmarked() -> None:
    definitions = load(PANDEGLANG)
    # The staff-SKP percentage had been given a programme indicator of its own, under a name
    # the document does not have; it is gone, and the composite weights with it.
    assert definitions.indicator("1.06.01-persen-pegawai-skp-baik") is None
    assert not [p.name for p in definitions.parameters]
    # The one indicator whose name we composed says so.
    bpjs = definitions.indicator("1.06.05-persen-rtm-bpjs-pbi")
    assert bpjs is not None and bpjs.assumption and "Nama indikator" in bpjs.assumption


# Claims that had no basis in the document: who evaluates or releases a value, component
# weights and scales. Nothing in the definitions may make them again.
UNFOUNDED = ("Inspektorat", "Perencanaan 30", "Kemensos", "BPS", "KemenPAN", "IRBI", "AHP", "0-5")


@pytest.mark.parametrize("path", sorted(PANDEGLANG.rglob("*.toml")), ids=lambda p: p.name)
def test_no_claim_without_a_basis_in_the_document(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [claim for claim in UNFOUNDED if claim in text] == []


def test_unit_changes_are_marked_as_assumptions() -> None:
    definitions = load(PANDEGLANG)
    # Lampiran IV's satuan column says "Orang" for the Kampung Siaga Bencana output.
    kampung = definitions.indicator("1.06.06-kampung-siaga-bencana-kampung")
    assert kampung is not None and kampung.unit == "Kampung"
    assert kampung.assumption and "'Orang'" in kampung.assumption
    # Lampiran IV prints "Jumlah" in the satuan cell of the two kegiatan percentages.
    for indicator_id in (
        "1.06.06.2.01-persen-perlindungan-sosial-korban",
        "1.06.06.2.01-persen-perlindungan-tepat-waktu",
    ):
        indicator = definitions.indicator(indicator_id)
        assert indicator is not None and indicator.unit == "Persen"
        assert indicator.assumption and "Satuan Persen" in indicator.assumption
        assert indicator.note and "'Jumlah'" in indicator.note


def test_every_source_and_measure_says_what_it_assumes() -> None:
    # The document gives formulas but not where data are kept or how a number is counted.
    definitions = load(PANDEGLANG)
    assert all(source.assumption for source in definitions.sources if source.kind == "register")
    assert all(measure.assumption for measure in definitions.measures)


def test_list_marks_the_indicators_that_rest_on_an_assumption() -> None:
    status, output = run("list", str(PANDEGLANG))
    assert status == 0
    lines = output.splitlines()
    definitions = load(PANDEGLANG)
    resting = [i for i in definitions.indicators if definitions.assumptions(i)]
    assert f"{len(resting)} indicators rest on an assumption (marked ⚑)" in lines[1]
    pmks = next(i for i, line in enumerate(lines) if "[iku-pmks-tertangani]" in line)
    assert lines[pmks + 1].strip() == (
        "⚑ rests on the assumptions of: measure 'PMKS yang Tertangani', source 'layanan',"
        " measure 'PMKS', source 'register_pmks'"
    )
    status, output = run("list", str(PANDEGLANG), "--format", "json")
    records = {record["id"]: record for record in json.loads(output)}
    gini = records["rasio-gini"]
    assert gini["assumption"] and gini["rests_on"] == [
        {"kind": "indicator", "name": "rasio-gini", "assumption": gini["assumption"]}
    ]
    # The realisasi of a sub kegiatan output is what the office reports: nothing assumed.
    assert records["1.06.04.2.01.0003-orang"]["rests_on"] == []
