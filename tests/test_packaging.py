"""A non-editable install works from any directory: the grammar and the shipped definitions
ship inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from iku_rules.grammar import grammar_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, once for the module."""
    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = wheels.glob("iku_rules-*.whl")
    return built


@pytest.fixture(scope="module")
def site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a folder of its own (its dependencies are this Python's)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return target


@pytest.mark.slow
def test_wheel_carries_the_grammar_and_works_from_elsewhere(
    wheel: Path, site: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "iku_rules/grammar/iku.lark" in names
        for data_file in (
            "iku_rules/schema/definitions.schema.json",
            "iku_rules/rule_tables/capaian.toml",
            "iku_rules/rule_tables/predikat.toml",
            "iku_rules/sample_pandeglang.toml",
            "iku_rules/py.typed",
        ):
            assert data_file in names
        assert (
            archive.read("iku_rules/grammar/iku.lark").decode()
            == (ROOT / "grammar" / "iku.lark").read_text()
        )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import iku_rules, iku_rules.grammar as p;"
        "print(iku_rules.__file__);"
        "print(p.grammar_text() == open(p.__file__.rsplit('/', 1)[0] + '/grammar/iku.lark').read());"
        "print(iku_rules.evaluate('Σ a / Σ b × 100%', {'a': 40, 'b': 160}).value)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    )
    location, packaged, value = done.stdout.split()
    assert location.startswith(str(site))
    assert packaged == "True"
    assert value == "25.00"


def _iku(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``iku`` as the wheel installed it (its script in ``site/bin``), run in ``cwd``."""
    return subprocess.run(
        [str(site / "bin" / "iku"), *args],
        cwd=cwd,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_wheel_carries_the_shipped_definitions_and_the_readme_command_runs_elsewhere(
    wheel: Path, site: Path, tmp_path: Path
) -> None:
    shipped = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "definitions").rglob("*.toml")
        if path.is_file()
    )
    assert "definitions/dinsos-pandeglang/office.toml" in shipped
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for path in shipped:
        assert f"iku_rules/{path}" in names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = _iku(site, elsewhere, "definitions", "list")
    assert listed.returncode == 0, listed.stderr
    office = next(
        line for line in listed.stdout.splitlines() if line.startswith("dinsos-pandeglang")
    )
    assert office.split("\t")[2].startswith(str(site))
    # The README's main command, from a folder that holds nothing of the repository.
    made = _iku(site, elsewhere, "sample-data", "sample-data", "--people", "300")
    assert made.returncode == 0, made.stderr
    assert "register_pmks: 300 baris" in made.stdout  # no LANGUAGE or LANG: Indonesian
    evaluated = _iku(
        site,
        elsewhere,
        "eval",
        "dinsos-pandeglang",
        "--data",
        "sample-data",
        "--period",
        "2026",
        "--format",
        "csv",
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert "iku-pmks-tertangani" in evaluated.stdout
    checked = _iku(site, elsewhere, "check", "dinsos-pandeglang")
    # no LANGUAGE or LANG: the office's language, Indonesian, from the wheel's own catalog
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == "0 kesalahan, 0 peringatan di 9 berkas\n"
    # A copy to edit: its files still name the installed schema.
    copied = _iku(site, elsewhere, "definitions", "copy", "dinsos-pandeglang", "mine")
    assert copied.returncode == 0, copied.stderr
    first = (elsewhere / "mine" / "office.toml").read_text(encoding="utf-8").splitlines()[0]
    schema = (elsewhere / "mine" / first.removeprefix("#:schema ")).resolve()
    assert schema == (site / "iku_rules" / "schema" / "definitions.schema.json").resolve()
    assert _iku(site, elsewhere, "check", "mine").returncode == 0


def test_source_checkout_reads_the_grammar_beside_the_package() -> None:
    assert grammar_text() == (ROOT / "grammar" / "iku.lark").read_text()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("office", "levels", "iku"),
    [
        (
            "dinsos-pandeglang",
            {"kecamatan": "Kecamatan", "desa": "Desa/Kelurahan"},
            "iku-pmks-tertangani",
        ),
        (
            "dinkes-contoh",
            {"kecamatan": "Kecamatan", "desa": "Desa/Kelurahan", "puskesmas": "Puskesmas"},
            "aki",
        ),
    ],
)
def test_each_shipped_office_runs_its_whole_day_from_another_directory(
    site: Path, tmp_path: Path, office: str, levels: dict[str, str], iku: str
) -> None:
    # After pip install, in a folder that holds nothing of the repository: check, sample
    # data, results by every declared level, an explanation and the report.
    checked = _iku(site, tmp_path, "check", office)
    assert checked.returncode == 0, checked.stderr
    made = _iku(site, tmp_path, "sample-data", "data", "--definitions", office)
    assert made.returncode == 0, made.stderr
    for level, heading in levels.items():  # each level by the name its [[level]] declares
        evaluated = _iku(
            site, tmp_path, "eval", office, "--data", "data", "--period", "2026", "--by", level
        )
        assert evaluated.returncode == 0, evaluated.stderr
        assert f"\n{heading} " in evaluated.stdout  # a region of that level has its own rows
    explained = _iku(site, tmp_path, "explain", office, iku, "--data", "data", "--period", "2026")
    assert explained.returncode == 0, explained.stderr
    assert iku in explained.stdout
    reported = _iku(
        site, tmp_path, "report", office, "--data", "data", "--period", "2026", "-o", "r.md"
    )
    assert reported.returncode == 0, reported.stderr
    assert iku in (tmp_path / "r.md").read_text(encoding="utf-8")
