"""Formulas, evaluation, data sources and rules speak the planners' language: a representative
message of each comes out in Indonesian and in English, and every reason a value is not
available carries a stable English code beside its translated text."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import iku_rules
from iku_rules import Engine
from iku_rules.cli import main
from iku_rules.errors import FormulaSyntaxError, FormulaTypeError, IkuError
from iku_rules.i18n import use_language
from iku_rules.reasons import CODES, code_of
from iku_rules.rules import RuleError, RuleTableError, RuleTables, capaian
from iku_rules.sources.cells import convert

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


# -- a representative message of each area, in Indonesian and in English


def cli_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    status, out = run(*args)
    assert status != 0, out
    return capsys.readouterr().err


def test_a_syntax_error_says_what_was_expected_in_the_language_chosen(
    capsys: pytest.CaptureFixture[str],
) -> None:
    indonesian = cli_error(capsys, "formula", "a + ", "--lang", "id")
    assert "diharapkan sebuah nilai (angka, nama atau '('), tetapi ditemukan akhir rumus" in (
        indonesian
    )
    assert "rumus berakhir terlalu cepat" in indonesian
    english = cli_error(capsys, "formula", "a + ", "--lang", "en")
    assert "expected a value (a number, a name or '(') but found the end of the formula" in english
    assert "the formula ends too early" in english
    with use_language("id"), pytest.raises(FormulaSyntaxError) as caught:
        iku_rules.parse("[a] b")
    # the stable English words for programs; the message in Indonesian
    assert caught.value.expected == ("an operator", "the end of the formula")
    assert "diharapkan sebuah operator atau akhir rumus, tetapi ditemukan nama 'b'" in str(
        caught.value
    )
    assert "beri operator (×, /, +, -) di antara kedua nilai" in str(caught.value)


def test_a_type_error_and_a_number_with_a_comma_in_the_language_chosen() -> None:
    with use_language("id"), pytest.raises(FormulaTypeError) as caught:
        iku_rules.evaluate("a > 1", {"a": 2})
    assert "rumus menghasilkan kondisi (benar atau salah), bukan angka" in str(caught.value)
    with use_language("en"), pytest.raises(FormulaTypeError) as caught:
        iku_rules.evaluate("a > 1", {"a": 2})
    assert "the formula gives a condition (true or false), not a number" in str(caught.value)
    with use_language("id"), pytest.raises(FormulaTypeError) as caught:
        iku_rules.parse("abs(a, b)")
    with use_language("id"):  # the place and the hint are worded where the error is shown
        shown = str(caught.value)
    assert "baris 1, kolom 1: abs() menerima 1 argumen, bukan 2" in shown
    assert "petunjuk: nilai mutlak" in shown
    with use_language("en"), pytest.raises(FormulaTypeError) as caught:
        iku_rules.parse("if(a, b)")
    assert "if() takes 3 arguments, not 2" in str(caught.value)
    with use_language("id"), pytest.raises(FormulaSyntaxError) as comma:
        iku_rules.parse("min(1,5)", notation="id")
    assert "dapat dibaca sebagai angka 1.5 atau 2 nilai 1, 5" in str(comma.value)


def test_a_bad_cell_names_its_place_and_fix_in_the_language_chosen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    balita = data / "balita.csv"
    lines = balita.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("2026-02-10", "2026-13-01")
    balita.write_text("".join(lines), encoding="utf-8")
    args = ("eval", str(DINKES), "--data", str(data), "--period", "2026")
    indonesian = cli_error(capsys, *args, "--lang", "id")
    assert (
        "balita.csv, baris 2, kolom 'tanggal_ukur': '2026-13-01' bukan tanggal"
        " (tulis sebagai YYYY-MM-DD)"
    ) in indonesian
    english = cli_error(capsys, *args, "--lang", "en")
    assert (
        "balita.csv, row 2, column 'tanggal_ukur': '2026-13-01' is not a date"
        " (write it as YYYY-MM-DD)"
    ) in english


def test_an_identifier_excel_mangled_is_refused_in_the_language_chosen() -> None:
    with use_language("id"), pytest.raises(ValueError, match="notasi ilmiah, bukan NIK"):
        convert("3.60103E+15", "nik")
    with use_language("en"), pytest.raises(ValueError, match="scientific notation, not a NIK"):
        convert("3.60103E+15", "nik")


def test_the_rules_speak_the_language_chosen(tmp_path: Path) -> None:
    with use_language("id"), pytest.raises(RuleError) as caught:
        capaian(85, 90, method="standr")
    assert "metode capaian 'standr' tidak dikenal (mungkin maksud Anda 'standar'?)" in str(
        caught.value
    )
    with use_language("en"), pytest.raises(RuleError) as caught:
        capaian(85, 90, method="standr")
    assert "unknown capaian method 'standr' (did you mean 'standar'?)" in str(caught.value)
    with use_language("id"), pytest.raises(RuleTableError) as table:
        RuleTables.load(tmp_path)
    assert "berkas tidak ditemukan; folder tabel aturan berisi capaian.toml" in str(table.value)
    with use_language("id"):
        assert capaian(85, 0, detail=True).reason == (
            "target bernilai 0, sehingga capaian tidak dapat dihitung"
        )


def test_a_backend_that_does_not_exist_is_named_in_the_language_chosen() -> None:
    for language, words in (("id", "backend 'cepat' tidak dikenal"), ("en", "unknown backend")):
        with use_language(language), pytest.raises(IkuError, match=words):
            Engine(DINKES, DATA, backend="cepat")
