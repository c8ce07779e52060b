"""A non-editable install works from any directory: the grammar ships inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from iku_rules.grammar import grammar_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_carries_the_grammar_and_works_from_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
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
    (wheel,) = wheels.glob("iku_rules-*.whl")
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
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
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


def test_source_checkout_reads_the_grammar_beside_the_package() -> None:
    assert grammar_text() == (ROOT / "grammar" / "iku.lark").read_text()
