"""The README's examples run: every ``>>>`` example in its Python blocks, and every text
block that shows one ``iku formula`` command with its output. The README cannot drift."""

from __future__ import annotations

import doctest
import io
import re
import shlex
from decimal import Decimal
from pathlib import Path

import pytest

import iku_rules
from iku_rules.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def section(title: str) -> str:
    """The README's section ``## title``, up to the next section of its level."""
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start : end if end >= 0 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_the_numbers_section_shows_each_rule_with_examples() -> None:
    numbers = section("Numbers")
    for words in ("100.000", "55,33", "< 70", "per 100.000", "whole", "decimals"):
        assert words in numbers
    assert any(">>>" in block for block in blocks(numbers, "python"))
    assert any(block.startswith("$ iku formula") for block in blocks(numbers, "text"))


def test_every_python_example_in_the_readme_runs() -> None:
    examples = "\n".join(block for block in blocks(TEXT, "python") if ">>>" in block)
    test = doctest.DocTestParser().get_doctest(
        examples, {"iku_rules": iku_rules, "Decimal": Decimal}, "README", str(README), 0
    )
    assert len(test.examples) >= 10
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output = io.StringIO()
    runner.run(test, out=output.write)
    assert runner.failures == 0, output.getvalue()


COMMANDS = [
    block
    for block in blocks(TEXT, "text")
    if block.startswith("$ iku formula") and block.count("\n$ ") == 0
]


@pytest.mark.parametrize("block", COMMANDS, ids=[block.split("\n")[0][:60] for block in COMMANDS])
def test_every_iku_formula_example_in_the_readme_prints_what_it_shows(block: str) -> None:
    command, *shown = block.rstrip("\n").split("\n")
    out = io.StringIO()
    assert main(shlex.split(command.removeprefix("$ "))[1:], out=out) == 0
    assert out.getvalue().rstrip("\n").split("\n") == shown


def test_there_is_an_iku_formula_example() -> None:
    assert COMMANDS
