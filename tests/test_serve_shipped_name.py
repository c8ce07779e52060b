"""``iku serve`` given a shipped office's name, as every other command takes it, says how
to make it the planner's own rather than "no such folder": the workspace writes the
planners' edits back to the definitions, never into the installed package."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run


def test_a_shipped_name_is_refused_with_the_copy_to_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no folder of that name here
    status, _out = run("--lang", "en", "serve", "dinsos-pandeglang")
    assert status == 2
    error = capsys.readouterr().err
    assert "'dinsos-pandeglang' is a shipped office, and the workspace writes its edits" in error
    assert "iku definitions copy dinsos-pandeglang dinsos-pandeglang" in error
    # the copy it names is a folder the workspace can serve
    assert run("definitions", "copy", "dinsos-pandeglang", "dinsos-pandeglang")[0] == 0
    assert run("check", "dinsos-pandeglang")[0] == 0
    assert (tmp_path / "dinsos-pandeglang" / "office.toml").is_file()
