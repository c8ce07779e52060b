"""What a planner reads, in Indonesian and in English, against golden files: ``iku check`` on
a broken copy of the shipped definitions, ``iku explain`` of an IKU, the Markdown report.

Set IKU_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change (then read
the diff: a golden file is only as right as the eyes that approved it).
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from iku_rules.cli import main
from iku_rules.loader import load
from iku_rules.sample import generate

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
MINI = ROOT / "tests" / "fixtures" / "mini"
GOLDEN = ROOT / "tests" / "golden"
LANGUAGES = ("id", "en")

# Three mistakes a planner makes: a name misspelt in a formula (did you mean…?), a satuan
# not in the office's list, a parent that does not exist.
MISTAKES = {
    "cascade.toml": [
        ("Σ PMKS yang Tertangani / Σ PMKS", "Σ PMKS yang Tertangan / Σ PMKS"),
        (
            'parent = "misi-infrastruktur-dan-resiliensi-bencana"\npenanggung',
            'parent = "misi-infrastruktur"\npenanggung',
        ),
        ('  unit = "Persen"\n', '  unit = "Persn"\n'),
    ]
}


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def matches_golden(text: str, name: str) -> None:
    path = GOLDEN / name
    if os.environ.get("IKU_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken") / "dinsos-pandeglang"
    shutil.copytree(PANDEGLANG, folder)
    for name, replacements in MISTAKES.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate(load(PANDEGLANG), folder, people=600, seed=2026)
    return folder


@pytest.mark.parametrize("language", LANGUAGES)
def test_check_of_a_broken_copy(broken: Path, language: str) -> None:
    status, output = run("check", str(broken), "--lang", language)
    assert status == 1
    matches_golden(output.replace(str(broken), "{dir}"), f"check-broken.{language}.txt")


def test_check_speaks_the_office_language_unless_told_otherwise(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shipped office says language = "id"; no --lang, no LANGUAGE, LANG naming none.
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LANG", "C.UTF-8")
    _, by_office = run("check", str(broken))
    _, told = run("check", str(broken), "--lang", "id")
    assert by_office == told and "mungkin maksud Anda 'PMKS yang Tertangani'" in told
    # LANGUAGE overrides the office; --lang overrides both.
    monkeypatch.setenv("LANGUAGE", "en")
    assert run("check", str(broken))[1] == run("check", str(broken), "--lang", "en")[1]
    assert run("check", str(broken), "--lang", "id")[1] == told


@pytest.mark.parametrize("language", LANGUAGES)
def test_explain(data: Path, language: str) -> None:
    status, output = run(
        "explain", str(PANDEGLANG), "iku-pmks-tertangani", "--data", str(data),
        "--period", "2026", "--lang", language,
    )  # fmt: skip
    assert status == 0
    matches_golden(output, f"explain-iku-pmks-tertangani.{language}.txt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_markdown_report(tmp_path: Path, language: str) -> None:
    target = tmp_path / "report.md"
    status, _ = run(
        "report", str(MINI), "--data", str(MINI), "--period", "2026", "-o", str(target),
        "--lang", language,
    )  # fmt: skip
    assert status == 0
    matches_golden(target.read_text(encoding="utf-8"), f"report-mini.{language}.md")


def test_numbers_in_the_indonesian_report_have_decimal_commas(tmp_path: Path) -> None:
    # The mini IKU: target 40, realisasi 60, capaian 60 / 40 × 100 = 150.
    target = tmp_path / "report.md"
    run("report", str(MINI), "--data", str(MINI), "--period", "2026", "-o", str(target),
        "--lang", "id")  # fmt: skip
    text = target.read_text(encoding="utf-8")
    assert "| 40,00 | 60,00 | 150,00 | Sangat Tinggi |" in text
    assert "Triwulan" not in text and "2026 (1 Januari–31 Desember 2026)" in text
