"""The iku command: output formats, exit codes, and errors without tracebacks."""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import sys
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


def test_a_name_set_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # a and A are one name: a + 1 would be 2 or 3, whichever came last
    assert run("--lang", "en", "formula", "a + 1", "--set", "a=1", "--set", "A=2") == (2, "")
    assert "--set gives 'A' twice (a=1 and A=2); give it once" in capsys.readouterr().err
    assert run("formula", "a + b", "--set", "a=1", "--set", "b=2") == (
        0,
        "a + b = 3\n├── a = 1\n└── b = 2\n",
    )


def test_formula_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("formula", "Σ a / × 100%")[0] == 1
    assert "column 7" in capsys.readouterr().err
    # 55,3 is a decimal comma (only notation id reads it); 1,500 could be 1.5 or 1500
    assert run("formula", "a", "--set", "a=55,3") == (0, "a = 55.3\n")
    assert run("formula", "a", "--set", "a=1,500")[0] == 2
    assert "'1,500' is read two ways" in capsys.readouterr().err
    assert run("formula", "a", "--set", "a=1,500", "--notation", "id") == (0, "a = 1.5\n")
    assert run("formula", "a", "--set", "a=1,2,3")[0] == 2
    assert "'1,2,3' is not a number" in capsys.readouterr().err
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
        main(["eval", str(MINI), "--data", str(MINI), "--period", "2026", "--backend", "oracle"])
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


# -- iku report, on the shipped definitions and generated data

PANDEGLANG = Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang"


@pytest.fixture(scope="module")
def pandeglang_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    status, _ = run("sample-data", str(data), "--people", "300", "--seed", "7")
    assert status == 0
    return data


def test_report_every_format(pandeglang_data: Path, tmp_path: Path) -> None:
    import openpyxl

    common = (str(PANDEGLANG), "--data", str(pandeglang_data), "--period", "2026")
    for name in ("md", "xlsx", "html"):
        out = tmp_path / f"lkjip.{name}"
        status, text = run("report", *common, "-o", str(out))
        assert status == 0 and text.startswith("wrote Performance Report of Dinas Sosial")
        assert out.is_file()
    markdown = (tmp_path / "lkjip.md").read_text(encoding="utf-8")
    assert "## Key Performance Indicators (IKU)" in markdown
    assert "Presentase PMKS yang tertangani" in markdown
    workbook = openpyxl.load_workbook(tmp_path / "lkjip.xlsx")
    assert workbook.sheetnames[0] == "IKU"
    page = (tmp_path / "lkjip.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Sub Kegiatan" in page
    assert not list(tmp_path.glob(".*.tmp*")), "no temporary file is left behind"


def test_report_default_name_is_never_replaced(
    pandeglang_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    common = (str(PANDEGLANG), "--data", str(pandeglang_data), "--period", "2026-TW3")
    status, text = run("report", *common, "--format", "html")
    expected = tmp_path / "lkjip-dinsos-pandeglang-2026-TW3.html"
    assert status == 0 and expected.name in text and expected.is_file()
    expected.write_text("kept", encoding="utf-8")
    assert run("report", *common, "--format", "html")[0] == 2
    assert "already exists; name it with -o" in capsys.readouterr().err
    assert expected.read_text(encoding="utf-8") == "kept"
    # Named with -o, the same file is replaced.
    assert run("report", *common, "-o", expected.name)[0] == 0
    assert expected.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_format_and_path_errors(
    pandeglang_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = (str(PANDEGLANG), "--data", str(pandeglang_data), "--period", "2026")
    assert run("report", *common, "-o", str(tmp_path / "lkjip.pdf"))[0] == 2
    assert "unknown report format '.pdf'; choose one of md, xlsx, html" in capsys.readouterr().err
    assert run("report", *common, "--format", "docx")[0] == 2
    assert run("report", *common, "-o", str(tmp_path / "missing" / "lkjip.md"))[0] == 2
    assert "there is no folder" in capsys.readouterr().err
    assert run("report", *common, "-o", str(tmp_path / "lkjip"))[0] == 2
    assert "give --format" in capsys.readouterr().err
    # --format wins over the extension, and the decimal comma reaches the file.
    out = tmp_path / "lkjip.txt"
    assert run("report", *common, "-o", str(out), "--format", "md", "--decimal-comma")[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "| Capaian % |" in text and re.search(r"\| \d+,\d\d \|", text)
    assert not re.search(r"\| \d+\.\d\d \|", text)
    assert list(tmp_path.iterdir()) == [out]


def test_the_iku_program_exempts_what_it_loaded_from_the_collector(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``iku`` in a process of its own freezes (``gc.freeze``) the modules it imported before
    it loads the definitions, and the definitions once the engine is open, and lets the
    collector's youngest generation grow to 100,000 objects; ``main`` called inside another
    program, or a test, never does either."""
    from iku_rules import cli
    from iku_rules.cli import common

    frozen: list[str] = []  # the function that froze, each time
    monkeypatch.setattr(common.gc, "freeze", lambda: frozen.append(sys._getframe(1).f_code.co_name))
    monkeypatch.setattr(common, "_owns_process", False)
    thresholds: list[tuple[int, ...]] = []
    monkeypatch.setattr(common.gc, "set_threshold", lambda *given: thresholds.append(given))
    ended: list[int] = []  # the status each command() ended its process with
    monkeypatch.setattr(common, "end_process", ended.append)
    args = ["eval", str(MINI), "--data", str(MINI), "--period", "2026", "--no-cache"]
    assert main(args, out=io.StringIO()) == 0
    assert main(["check", str(MINI)], out=io.StringIO()) == 0
    assert frozen == [] and thresholds == []
    monkeypatch.setattr("sys.argv", ["iku", *args])
    assert cli.command() == 0
    assert "iku-tertangani" in capsys.readouterr().out
    assert frozen == ["load_folder", "open_engine"]
    # the youngest generation collected after 100,000 new objects, the older two as Python
    # set them
    assert thresholds == [(100_000, *gc.get_threshold()[1:])]
    frozen.clear()
    monkeypatch.setattr("sys.argv", ["iku", "check", str(MINI)])
    assert cli.command() == 0
    assert frozen == ["load_folder"]
    assert ended == [0, 0]
