"""Every diagnostic of `iku check` has a stable English code: listed in
iku_rules/check/codes.py and docs/diagnostic-codes.md, given by the code that finds the
problem, and printed by `iku check --format json` beside the translated message."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path
from typing import Any

import pytest

from iku_rules.check.codes import CODES, table
from iku_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "iku_rules"
BROKEN = sorted((ROOT / "tests" / "broken").glob("*.toml"))
MINI = ROOT / "tests" / "fixtures" / "mini"

# The functions that make a diagnostic, and where their code goes when it is not a keyword.
MAKERS = {"Diagnostic": 4, "_diagnostic": None, "problem": None, "_twice": 2, "_not_additive": None}


def given_codes() -> tuple[dict[str, list[str]], list[str]]:
    """Each code a diagnostic is made with (code → places), and the places that make one
    without a code written out (a literal, or the ``code`` a function passes on)."""
    found: dict[str, list[str]] = {}
    unnamed: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", None)
            if name not in MAKERS:
                continue
            place = f"{path.relative_to(ROOT)}:{node.lineno}"
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            index = MAKERS[name]
            if code is None and index is not None and len(node.args) > index:
                code = node.args[index]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.setdefault(code.value, []).append(place)
            elif not (isinstance(code, ast.Name) and code.id == "code"):
                unnamed.append(place)
    return found, unnamed


def test_every_diagnostic_is_made_with_a_listed_code() -> None:
    found, unnamed = given_codes()
    assert not unnamed, f"diagnostics made without a code: {unnamed}"
    unlisted = {code: places for code, places in found.items() if code not in CODES}
    assert not unlisted, f"codes missing from iku_rules/check/codes.py: {unlisted}"
    assert set(CODES) == set(found), f"listed but never given: {set(CODES) - set(found)}"


def test_the_finder_sees_each_way_a_code_is_given() -> None:
    found, _ = given_codes()
    assert "unknown-field" in found  # a keyword of TableReader.problem
    assert "duplicate-id" in found  # a positional argument of _twice
    assert "type" not in found and "definition" not in found
    assert len(found) >= 60


def test_the_codes_page_is_up_to_date() -> None:
    page = (ROOT / "docs" / "diagnostic-codes.md").read_text(encoding="utf-8")
    assert page == table("en"), "run: python -m iku_rules.check.codes -o docs/diagnostic-codes.md"
    for code in CODES:
        assert f"| `{code}` |" in page


def check(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", *argv], out=out), out.getvalue()


def check_json(target: Path, language: str) -> tuple[int, dict[str, Any]]:
    status, text = check(str(target), "--format", "json", "--lang", language)
    return status, json.loads(text)


@pytest.mark.parametrize("case", BROKEN, ids=[case.stem for case in BROKEN])
def test_json_gives_the_same_codes_in_every_language_and_translated_messages(
    case: Path,
) -> None:
    status_en, english = check_json(case, "en")
    status_id, indonesian = check_json(case, "id")
    assert status_en == status_id == (0 if english["ok"] else 1)
    assert english["language"] == "en" and indonesian["language"] == "id"
    assert english["diagnostics"], case.name
    assert [d["code"] for d in english["diagnostics"]] == [
        d["code"] for d in indonesian["diagnostics"]
    ]
    for en, id_ in zip(english["diagnostics"], indonesian["diagnostics"], strict=True):
        assert en["code"] in CODES
        assert en["severity"] == id_["severity"] in ("error", "warning", "note")
        assert (en["path"], en["line"], en["column"]) == (id_["path"], id_["line"], id_["column"])
        assert en["message"] != id_["message"], en["message"]
    # The text format says the same messages, at the same places.
    _, text = check(str(case), "--lang", "en")
    for diagnostic in english["diagnostics"]:
        assert diagnostic["message"] in text


def test_json_of_a_folder_counts_and_places_each_problem() -> None:
    # tests/fixtures/mini has no error and one warning: its percentage is not proven to
    # stay within 100 (the numerator counts another source than the denominator).
    status, record = check_json(MINI, "en")
    assert status == 0
    assert (record["ok"], record["errors"], record["warnings"], record["files"]) == (
        True,
        0,
        1,
        2,
    )
    (warning,) = record["diagnostics"]
    assert warning["code"] == "bounds"
    assert warning["severity"] == "warning"
    assert warning["path"].endswith("definitions.toml")
    assert (warning["line"], warning["column"]) == (32, 14)
    assert warning["message"].startswith(
        "indicator 'iku-tertangani' is a percentage that may come out above 100"
    )
    assert warning["suggestion"].startswith("if everyone counted in the numerator")


def test_json_lists_the_notes_when_asked() -> None:
    _, record = check_json(MINI, "en")
    status, with_notes = check_json_notes(MINI)
    assert status == 0
    notes = [d for d in with_notes["diagnostics"] if d["severity"] == "note"]
    assert notes and {d["code"] for d in notes} == {"zero-denominator"}
    assert len(with_notes["diagnostics"]) == len(record["diagnostics"]) + len(notes)


def check_json_notes(target: Path) -> tuple[int, dict[str, Any]]:
    status, text = check(str(target), "--notes", "--format", "json", "--lang", "en")
    return status, json.loads(text)
