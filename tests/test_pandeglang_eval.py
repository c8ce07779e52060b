"""The main job end to end: the shipped definitions evaluated on generated sample data."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.engine import Engine
from iku_rules.evaluator.values import CONTEXT
from iku_rules.loader import load
from iku_rules.sample import generate

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate(load(PANDEGLANG), folder, people=600, seed=2026)
    return folder


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_eval_gives_every_indicator_a_value_or_a_reason(data: Path) -> None:
    status, output = run(
        "eval", str(PANDEGLANG), "--data", str(data), "--period", "2026", "--format", "json"
    )
    assert status == 0
    rows = json.loads(output)
    definitions = load(PANDEGLANG)
    assert [row["id"] for row in rows] == [indicator.id for indicator in definitions.indicators]
    for row in rows:
        assert set(row) >= {"id", "period", "region", "value", "unit", "reason"}
        assert (row["value"] is None) != (row["reason"] is None), row
        assert row["period"] == "2026" and row["region"] is None
    iks = next(row for row in rows if row["id"] == "iku-indeks-kesejahteraan-sosial")
    assert iks["value"] is None and iks["reason"] == "the inputs have no value for 2026"
    pmks = next(row for row in rows if row["id"] == "iku-pmks-tertangani")
    assert pmks["unit"] == "%" and 0 < pmks["value"] < 100
    assert pmks["target"] == 38.45 and pmks["capaian"] is not None and pmks["predikat"] is not None


def test_eval_by_kecamatan_gives_one_row_per_kecamatan_and_indicator(data: Path) -> None:
    status, output = run(
        "eval",
        str(PANDEGLANG),
        "--data",
        str(data),
        "--period",
        "2026",
        "--by",
        "kecamatan",
        "--format",
        "csv",
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    definitions = load(PANDEGLANG)
    regions = {row["region"] for row in rows if row["region"]}
    assert len(regions) == 35
    assert len(rows) == len(definitions.indicators) * 36
    for indicator in definitions.indicators:
        assert sum(row["id"] == indicator.id for row in rows) == 36


def test_kabupaten_row_is_recomputed_from_sums(data: Path) -> None:
    evaluation = Engine(PANDEGLANG, data).evaluate("2026", by="kecamatan")
    definitions = load(PANDEGLANG)
    measures = {measure.name: measure for measure in definitions.measures}
    codes = {
        option.value  # type: ignore[attr-defined]
        for option in measures["PMKS yang Tertangani"].filter.body.options  # type: ignore[union-attr]
    }
    with (data / "layanan.csv").open(encoding="utf-8") as file:
        served = [
            row
            for row in csv.DictReader(file)
            if row["tanggal"].startswith("2026") and row["kode_sub_kegiatan"] in codes
        ]
    with (data / "register_pmks.csv").open(encoding="utf-8") as file:
        registered = [
            row for row in csv.DictReader(file) if row["tanggal_terdaftar"] <= "2026-12-31"
        ]
    with localcontext(CONTEXT):
        expected = (
            Decimal(len({row["nik"] for row in served}))
            / Decimal(len({row["nik"] for row in registered}))
            * 100
        )
    kabupaten = evaluation.get("iku-pmks-tertangani")
    assert kabupaten.value == expected
    # Each kecamatan's value comes from its own sums too.
    for region in ("Labuan", "Menes"):
        people = {row["nik"] for row in served if row["kecamatan"] == region}
        base = {row["nik"] for row in registered if row["kecamatan"] == region}
        with localcontext(CONTEXT):
            share = Decimal(len(people)) / Decimal(len(base)) * 100
        assert evaluation.get("iku-pmks-tertangani", region).value == share
    shares = [evaluation.get("iku-pmks-tertangani", r).value for r in evaluation.regions]
    mean = sum(s for s in shares if s is not None) / len([s for s in shares if s is not None])
    assert mean != expected


def test_explain_json_is_the_same_tree(data: Path) -> None:
    status, output = run(
        "explain",
        str(PANDEGLANG),
        "iku-pmks-tertangani",
        "--data",
        str(data),
        "--period",
        "2026",
        "--format",
        "json",
    )
    assert status == 0
    tree = json.loads(output)
    assert {"id", "name", "formula", "value", "unit", "reason", "inputs"} <= set(tree)
    measure = tree["inputs"][0]
    assert measure["name"] == "PMKS yang Tertangani"
    assert {child["id"] for child in measure["inputs"]} <= {e.id for e in load(PANDEGLANG).elements}
    subs = [
        node
        for program in tree["cascade"]
        for node in _walk(program)
        if node.get("kind") == "element"
    ]
    assert any(node["id"] == "1.06.04.2.01.0003" for node in subs)


def _walk(node: dict[str, object]) -> list[dict[str, object]]:
    found = [node]
    for key in ("inputs", "cascade"):
        for child in node.get(key, []):  # type: ignore[attr-defined]
            found.extend(_walk(child))
    return found


def test_engines_agree_on_the_sample_data(data: Path) -> None:
    results = {
        backend: Engine(PANDEGLANG, data, backend=backend)
        .evaluate("2026-sd-TW3", by="kecamatan")
        .rows()
        for backend in ("duckdb", "sqlite", "python")
    }
    assert results["duckdb"] == results["python"] == results["sqlite"]


def test_unknown_indicator_and_missing_data_folder_are_clear(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "explain",
                str(PANDEGLANG),
                "iku-pmks-tertangan",
                "--data",
                str(data),
                "--period",
                "2026",
            ]
        )
        == 1
    )
    assert "did you mean 'iku-pmks-tertangani'" in capsys.readouterr().err
    assert main(["eval", str(PANDEGLANG), "--data", str(data / "nowhere"), "--period", "2026"]) == 2
    assert "iku sample-data" in capsys.readouterr().err
    assert main(["eval", str(PANDEGLANG), "--data", str(data), "--period", "2026-TW5"]) == 1
    assert "is not a period" in capsys.readouterr().err
