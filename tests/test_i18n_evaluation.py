"""Formulas, evaluation, data sources and rules speak the planners' language: a representative
message of each comes out in Indonesian and in English, and every reason a value is not
available carries a stable English code beside its translated text."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import iku_rules
from iku_rules.cli import main
from iku_rules.i18n import use_language
from iku_rules.reasons import CODES, code_of

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def eval_rows(language: str, period: str, *by: str) -> list[dict[str, Any]]:
    status, text = run(
        "eval", str(DINKES), "--data", str(DATA), "--period", period, "--format", "json",
        "--lang", language, *by,
    )  # fmt: skip
    assert status == 0, text
    return json.loads(text)  # type: ignore[no-any-return]


def codes_and_reasons(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        tuple(row[key] for key in ("id", "region", "reason_code", "reason"))
        + tuple(row[key] for key in ("capaian_reason_code", "capaian_reason"))
        for row in rows
    ]


# -- reason codes


def test_the_same_evaluation_in_id_and_en_gives_the_same_codes_and_different_messages() -> None:
    # 2026-TW1 by kecamatan: the dinkes example has no triwulan targets (capaian: no-target),
    # capaian per kecamatan is for the whole kabupaten only, and one realisasi is missing.
    indonesian = codes_and_reasons(eval_rows("id", "2026-TW1", "--by", "kecamatan"))
    english = codes_and_reasons(eval_rows("en", "2026-TW1", "--by", "kecamatan"))
    assert [row[:3] + row[4:5] for row in indonesian] == [row[:3] + row[4:5] for row in english]
    codes = {row[2] for row in english} | {row[4] for row in english}
    assert {"no-target", "whole-area-only", "no-realisasi"} <= codes
    assert codes - {None} <= set(CODES)
    for id_row, en_row in zip(indonesian, english, strict=True):
        for code, text in ((2, 3), (4, 5)):
            assert (id_row[code] is None) == (id_row[text] is None)
            if id_row[text] is not None:
                assert id_row[text] != en_row[text], (id_row, en_row)
    no_target = next(row for row in indonesian if row[4] == "no-target")
    assert no_target[5] == "tidak ada target untuk 2026-TW1"


def test_explain_json_carries_the_code_of_each_reason_in_both_languages() -> None:
    found: dict[str, list[tuple[str, str]]] = {}
    for language in ("id", "en"):
        status, text = run(
            "explain", str(DINKES), "kelas-ibu-hamil", "--data", str(DATA), "--period",
            "2026-TW1", "--region", "Karanganyar", "--format", "json", "--lang", language,
        )  # fmt: skip
        assert status == 0, text
        tree = json.loads(text)
        found[language] = [(tree["reason_code"], tree["reason"])]
    assert found["id"][0][0] == found["en"][0][0] == "no-realisasi"
    assert found["id"][0][1] != found["en"][0][1]
    assert "realisasi" in found["id"][0][1] and "dilaporkan" in found["id"][0][1]


def test_a_reason_keeps_its_code_through_the_formula_and_the_trace() -> None:
    # 1 / 0: the denominator is 0, in each language; the trace's JSON carries the code too.
    for language, words in (("id", "penyebut"), ("en", "denominator")):
        with use_language(language):
            result = iku_rules.evaluate("Σ a / Σ b + 1", {"a": 1, "b": 0})
        assert code_of(result.reason) == "division-by-zero"
        assert words in str(result.reason)
        assert result.trace.as_dict()["reason_code"] == "division-by-zero"
    with use_language("id"):
        missing = iku_rules.evaluate("a + 1", {"a": None})
    assert code_of(missing.reason) == "no-value"
    assert re.search(r"tidak ada nilai", str(missing.reason))


def test_the_readme_lists_every_reason_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([a-z-]+)` \| ", readme, flags=re.MULTILINE)
    assert [code for code in listed if code in CODES] == list(CODES)
