"""Golden file: the full text of every error message a planner may see for a formula.

Set IKU_UPDATE_GOLDEN=1 to rewrite tests/golden/formula-errors.txt after a deliberate change.
"""

from __future__ import annotations

import os
from pathlib import Path

from iku_rules import IkuError, evaluate, parse

GOLDEN = Path(__file__).parent / "golden" / "formula-errors.txt"
VALUES = {
    "a": 1,
    "b": 0,
    "PMKS": 160,
    "PMKS tertangani": 40,
    "Orang dikali Dua": 2,
    "pegawai": [{"nilai_skp": "baik", "gaji": 10}],
}


def render_case(mode: str, formula: str) -> str:
    try:
        if mode == "parse":
            parse(formula)
        else:
            result = evaluate(formula, VALUES)
            return f"value: {result.value} reason: {result.reason}"
    except IkuError as error:
        return f"{type(error).__name__}: {error}"
    return "no error"


def read_cases() -> list[tuple[str, str, str]]:
    cases = []
    for block in GOLDEN.read_text(encoding="utf-8").split("=== ")[1:]:
        header, _, expected = block.partition("\n")
        mode, _, formula = header.partition(": ")
        cases.append((mode, formula.replace("\\n", "\n"), expected.rstrip("\n")))
    return cases


def test_error_messages_match_the_golden_file() -> None:
    cases = read_cases()
    assert len(cases) >= 30
    rendered = [(mode, formula, render_case(mode, formula)) for mode, formula, _ in cases]
    if os.environ.get("IKU_UPDATE_GOLDEN"):
        GOLDEN.write_text(
            "".join(
                f"=== {m}: {f.replace(chr(10), chr(92) + 'n')}\n{text}\n\n"
                for m, f, text in rendered
            ),
            encoding="utf-8",
        )
    for (mode, formula, expected), (_, _, actual) in zip(cases, rendered, strict=True):
        assert actual == expected, f"{mode}: {formula}"
