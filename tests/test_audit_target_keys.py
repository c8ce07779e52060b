"""A key of `targets` that is no year (`2026.0`, read by TOML as a table; `"2026,0"`;
`2026-Tw1`, a triwulan; `"2026 "`; digits of another script) is refused at the key, saying
what a key of targets is and how to write the one meant; a misspelt key of
`triwulan_targets` says how to write one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import edit, office, run

TARGETS = 'targets = { 2026 = "40" }'


def target_key(tmp_path: Path, written: str) -> dict[str, object]:
    folder = office(tmp_path)
    edit(folder, TARGETS, written)
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 1, text
    (found,) = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    assert found["code"] == "target-key"
    assert str(found["path"]).endswith("definitions.toml") and found["line"] == 33
    return found


@pytest.mark.parametrize(
    ("written", "message", "suggestion"),
    [
        (
            'targets = { 2026.0 = "40" }',
            "'2026.0' is read by TOML as a table, not a year: a '.' in a key without quotes"
            " separates two keys",
            "write the year alone: 2026 = ...",
        ),
        (
            'targets = { 2026.TW1 = "40" }',
            "'2026.TW1' is read by TOML as a table, not a year: a '.' in a key without quotes"
            " separates two keys",
            'give it in triwulan_targets: triwulan_targets = { "2026-TW1" = ... }',
        ),
        (
            'targets = { "2026,0" = "40" }',
            "'2026,0' is not a year: a year is four digits, without decimals",
            "write 2026 = ...",
        ),
        (
            'targets = { 2026-Tw1 = "40" }',
            "'2026-Tw1' is a triwulan, but targets holds the targets of years",
            'give it in triwulan_targets: triwulan_targets = { "2026-TW1" = ... }',
        ),
        (
            'targets = { "2026 " = "40" }',
            "the year '2026 ' has spaces in its quotes",
            "write 2026 = ...",
        ),
        (
            'targets = { "２０２６" = "40" }',
            "a target's year must be four digits, like 2026, not '２０２６'",
            'a key of targets is a year of four digits (2026 = "90"); the target of a triwulan'
            ' goes in triwulan_targets ("2026-TW1" = "25")',
        ),
    ],
)
def test_a_key_of_targets_that_is_no_year_is_refused_with_the_fix(
    tmp_path: Path, written: str, message: str, suggestion: str
) -> None:
    found = target_key(tmp_path, written)
    assert found["message"] == message
    assert found["suggestion"] == suggestion
    assert found["column"] == 15  # the key, after "  targets = { "


def test_full_width_digits_are_no_second_2026(tmp_path: Path) -> None:
    # { 2026 = "40", "２０２６" = "90" } was read as one year 2026 with the target 90, the
    # last one winning, in silence: the target of 2026 is 40, and the second key is refused
    found = target_key(tmp_path, 'targets = { 2026 = "40", "２０２６" = "90" }')
    assert found["message"] == "a target's year must be four digits, like 2026, not '２０２６'"


def test_a_triwulan_key_written_with_a_dot_is_refused_with_the_fix(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, TARGETS, TARGETS + '\n  triwulan_targets = { 2026.TW1 = "10" }')
    status, text = run("check", str(folder), "--format", "json", "--lang", "en")
    assert status == 1, text
    (found,) = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    assert found["message"] == "a triwulan target's key must look like 2026-TW1, not '2026.TW1'"
    assert found["suggestion"] == (
        'write the key in quotes, a year, -TW and the triwulan 1 to 4: "2026-TW1" = "25"'
    )
    assert (found["line"], found["column"]) == (34, 24)
