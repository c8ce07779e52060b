"""A folder that holds several offices, each in a folder of its own (the repository's
``definitions/``, or a Bappeda's folder of its forty Dinas), given where one office's folder
is meant: one error naming the offices' folders and the one to give, not dozens about units
and regions checked against the other office. Two ``[office]`` within one office's folder
stay "a second [office]", at the second."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import ROOT, run

from iku_rules.loader import load

OFFICES = ("dinkes-contoh", "dinsos-pandeglang")


@pytest.fixture()
def bappeda(tmp_path: Path) -> Path:
    """A folder of the two shipped offices, each in its own folder."""
    folder = tmp_path / "bappeda"
    for name in OFFICES:
        shutil.copytree(ROOT / "definitions" / name, folder / name)
    return folder


def test_a_folder_of_offices_is_one_error_naming_them(
    bappeda: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, text = run("--lang", "en", "check", str(bappeda))
    assert status == 1
    office = bappeda / "dinsos-pandeglang" / "office.toml"
    line = next(
        number
        for number, row in enumerate(office.read_text("utf-8").splitlines(), 1)
        if row.startswith("[office]")
    )
    assert text.splitlines()[0] == (
        f"{office}:{line}:1: error: this folder holds the definitions of 2 offices, each in a"
        " folder of its own (dinkes-contoh, dinsos-pandeglang): an office is checked and"
        f" evaluated alone (give the folder of one office, e.g. {bappeda / 'dinkes-contoh'})"
    )
    assert "1 error, 0 warnings" in text
    # The folder it names is one office, which passes.
    assert run("check", str(bappeda / "dinkes-contoh"))[0] == 0


def test_a_folder_of_offices_is_refused_by_eval_in_indonesian(
    bappeda: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out = run("--lang", "id", "eval", str(bappeda), "--period", "2026")
    assert status == 1
    error = capsys.readouterr().err
    assert "definisi memuat 1 kesalahan" in error
    assert "memuat definisi 2 perangkat daerah" in error
    assert "dinkes-contoh, dinsos-pandeglang" in error


def test_two_offices_in_one_folder_are_a_second_office(tmp_path: Path) -> None:
    # Both [office] tables lie in one office's folder: the second is the error, at itself.
    folder = tmp_path / "dinsos"
    shutil.copytree(ROOT / "definitions" / "dinsos-pandeglang", folder)
    office = (folder / "office.toml").read_text("utf-8")
    (folder / "program" / "office-again.toml").write_text(office, "utf-8")
    errors = [d for d in load(folder).diagnostics if d.code == "duplicate-office"]
    assert len(errors) == 1
    assert errors[0].location is not None
    assert errors[0].location.path == folder / "program" / "office-again.toml"
    assert errors[0].message.startswith("a second [office]; the first is at ")
