"""The README's Security section stays true: every test it names exists, and every limit
it quotes is the one the code enforces."""

from __future__ import annotations

import re

from helpers import ROOT

from iku_rules import limits, parser

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECURITY = README.split("## Security\n", 1)[1].split("\n## ", 1)[0]


def test_every_test_the_section_names_exists() -> None:
    named = re.findall(r"`(test_\w+\.py)(?:::(test_\w+))?`", SECURITY)
    assert len(named) >= 15
    for file_name, test_name in named:
        path = ROOT / "tests" / file_name
        assert path.is_file(), file_name
        if test_name:
            assert f"def {test_name}(" in path.read_text(encoding="utf-8"), test_name


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_limits_it_quotes_are_the_code_s() -> None:
    formula = re.search(
        r"a formula of at most ([\d,]+) characters, (\d+) operations deep and ([\d,]+)",
        " ".join(SECURITY.split()),
        re.IGNORECASE,
    )
    assert formula is not None
    assert [number(part) for part in formula.groups()] == [
        parser.MAX_LENGTH,
        parser.MAX_DEPTH,
        parser.MAX_NODES,
    ]
    flat = " ".join(SECURITY.split())
    folder = re.search(r"at most ([\d,]+) measures and ([\d,]+) indicators", flat)
    assert folder is not None
    assert (number(folder[1]), number(folder[2])) == (limits.MAX_MEASURES, limits.MAX_INDICATORS)
    assert f"TOML nested at most {limits.MAX_NESTING} deep" in flat
    assert f"at most {limits.MAX_NUMBER_DIGITS} significant digits" in flat
    assert f"the data, {limits.MAX_WHOLE_DIGITS} before the point" in flat
    assert f"years from {limits.MIN_YEAR} to {limits.MAX_YEAR}" in flat
