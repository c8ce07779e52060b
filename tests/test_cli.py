"""The iku command: output formats, exit codes, and errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from iku_rules.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_formula_text_and_json() -> None:
    status, text = run("formula", "Σ a / Σ b × 100%", "--set", "a=10;30", "--set", "b=160")
    assert status == 0
    assert text.splitlines()[0] == "Σ a / Σ b × 100% = 25 %"
    status, data = run("formula", "a / b", "--set", "a=1", "--set", "b=0", "--format", "json")
    assert status == 0
    parsed = json.loads(data)
    assert parsed["value"] is None and "denominator" in parsed["reason"]


def test_formula_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("formula", "Σ a / × 100%")[0] == 1
    assert "column 7" in capsys.readouterr().err
    assert run("formula", "a", "--set", "a=55,3")[0] == 2
    assert "write decimals with a dot" in capsys.readouterr().err
    assert run("formula", "a", "--set", "nothing")[0] == 2


def test_eval_formats() -> None:
    status, text = run("eval", str(MINI), "--data", str(MINI), "--period", "2026")
    assert status == 0 and "iku-tertangani" in text and "Sangat Tinggi" in text
    status, data = run(
        "eval", str(MINI), "--data", str(MINI), "--period", "2026", "--format", "json"
    )
    rows = json.loads(data)
    assert (
        rows[0]["id"] == "iku-tertangani" and rows[0]["value"] == 60 and rows[0]["capaian"] == 150
    )
    status, table = run(
        "eval",
        str(MINI),
        "--data",
        str(MINI),
        "--period",
        "2026",
        "--by",
        "kecamatan",
        "--format",
        "csv",
    )
    parsed = list(csv.DictReader(io.StringIO(table)))
    assert {row["region"] for row in parsed} == {"", "Carita", "Labuan", "Menes"}


def test_explain_a_region() -> None:
    status, text = run(
        "explain",
        str(MINI),
        "iku-tertangani",
        "--data",
        str(MINI),
        "--period",
        "2026",
        "--region",
        "Carita",
    )
    assert status == 0
    assert "kecamatan Carita" in text.splitlines()[1]


def test_usage_errors_exit_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["eval", str(MINI), "--data", str(MINI)]) == 2  # no --period
    assert (
        main(["eval", str(MINI), "--data", str(MINI), "--period", "2026", "--backend", "spark"])
        == 2
    )
    assert main(["sample-data", str(MINI / "register_pmks.csv")]) == 2
    assert main(["sample-data", "/proc/iku-cannot-write-here"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_sample_data_writes_every_source(tmp_path: Path) -> None:
    status, text = run("sample-data", str(tmp_path / "data"), "--people", "50", "--seed", "1")
    assert status == 0
    assert "register_pmks: 50 rows" in text
    assert (tmp_path / "data" / "layanan.csv").is_file()
    assert (tmp_path / "data" / "sample-data.xlsx").is_file()
