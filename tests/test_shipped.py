"""The shipped offices by name: ``iku definitions list|copy`` and a name where a folder goes.

The wheel's copy of them is tested in test_packaging.py; here the source checkout's."""

from __future__ import annotations

import os
import shlex
import tomllib
from pathlib import Path

import pytest
from helpers import ROOT, run

from iku_rules.shipped import DEFAULT_OFFICE, schema_path, shipped, shipped_names


def test_the_checkout_ships_its_definitions_folders() -> None:
    folders = sorted(path.name for path in (ROOT / "definitions").iterdir() if path.is_dir())
    assert shipped_names() == tuple(folders)
    assert DEFAULT_OFFICE in shipped_names()
    assert shipped(DEFAULT_OFFICE) == ROOT / "definitions" / DEFAULT_OFFICE
    assert shipped("no-such-office") is None
    assert schema_path().is_file()


def test_definitions_list_names_each_office_with_its_name_and_folder() -> None:
    status, text = run("definitions", "list")
    assert status == 0
    rows = [line.split("\t") for line in text.splitlines()]
    assert [row[0] for row in rows] == list(shipped_names())
    pandeglang = next(row for row in rows if row[0] == DEFAULT_OFFICE)
    assert pandeglang[1] == "Dinas Sosial Kabupaten Pandeglang"
    assert Path(pandeglang[2]) == ROOT / "definitions" / DEFAULT_OFFICE


def test_a_shipped_name_stands_for_its_folder_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, text = run("check", DEFAULT_OFFICE)
    assert status == 0
    assert text.startswith("0 errors")


def test_a_folder_of_that_name_here_wins_over_the_shipped_office(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / DEFAULT_OFFICE).mkdir()  # an empty folder: no office, so check fails
    assert run("check", DEFAULT_OFFICE)[0] == 1


def test_an_unknown_name_lists_the_shipped_offices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("check", "dinsos-pandeglan")[0] == 2
    err = capsys.readouterr().err
    assert "no such folder: dinsos-pandeglan" in err
    assert DEFAULT_OFFICE in err and "iku definitions list" in err


def test_definitions_copy_writes_a_folder_that_checks_and_names_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kantor"
    status, text = run("definitions", "copy", DEFAULT_OFFICE, str(target))
    assert status == 0 and str(target) in text
    source = ROOT / "definitions" / DEFAULT_OFFICE
    copied = sorted(p.relative_to(target) for p in target.rglob("*.toml"))
    assert copied == sorted(p.relative_to(source) for p in source.rglob("*.toml"))
    for relative in copied:
        path = target / relative
        first, _, rest = path.read_text(encoding="utf-8").partition("\n")
        named = (path.parent / first.removeprefix("#:schema ")).resolve()
        assert named == schema_path().resolve()
        # only the first line changed
        assert rest == (source / relative).read_text(encoding="utf-8").partition("\n")[2]
        tomllib.loads(path.read_text(encoding="utf-8"))
    assert run("check", str(target))[0] == 0
    # not over files already there, and not from an office that is not shipped
    assert run("definitions", "copy", DEFAULT_OFFICE, str(target))[0] == 2
    assert "not empty" in capsys.readouterr().err
    assert run("definitions", "copy", "kantor-lain", str(tmp_path / "x"))[0] == 2
    assert "no shipped office named 'kantor-lain'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_definitions_without_an_action_shows_its_usage() -> None:
    status, text = run("definitions")
    assert status == 2
    assert "copy" in text and "list" in text


def test_sample_data_takes_a_shipped_name(tmp_path: Path) -> None:
    status, text = run(
        "sample-data", str(tmp_path / "d"), "--definitions", DEFAULT_OFFICE, "--people", "30"
    )
    assert status == 0
    assert "register_pmks: 30 rows" in text
    assert os.path.isfile(tmp_path / "d" / "register_pmks.csv")


@pytest.mark.slow
def test_the_readme_main_command_runs_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.split("```sh\n", 1)[1].split("```", 1)[0].strip()
    commands = [part.strip() for part in first.split("&&")]
    assert commands[0].startswith("python3 -m pip install .")  # the wheel test installs it
    monkeypatch.chdir(tmp_path)
    for command in commands[1:]:
        argv = shlex.split(command)
        assert argv[0] == "iku"
        status, text = run(*argv[1:])
        assert status == 0, command
    assert "iku-pmks-tertangani" in text
