"""`iku check` on deliberately broken definitions: each file in tests/broken/ has one
mistake, and its `# expect:` lines are exactly what `iku check` must print for it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from iku_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "tests" / "broken").glob("*.toml"))


def test_there_is_a_case_for_every_kind_of_mistake() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_check_reports_the_mistake_where_it_is(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    relative = str(case.relative_to(ROOT))
    expected = [
        line.removeprefix("# expect: ").replace("{path}", relative)
        for line in case.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    out = io.StringIO()
    status = main(["check", relative], out=out)
    *lines, summary = out.getvalue().splitlines()
    assert expected, f"{case.name} has no '# expect:' line"
    assert lines == expected
    errors = sum(": error: " in line for line in expected)
    assert status == (1 if errors else 0)
    assert summary.startswith(f"{errors} error")
