"""What the iku command, its listings, reports, sample data and workspace print speaks the
planners' language: Indonesian under ``--lang id`` (or ``LANGUAGE=id``), English under
``--lang en``; argparse's own words included. CSV for a spreadsheet comes in the office's
notation and reads back to the same decimals."""

from __future__ import annotations

import argparse
import csv
import gettext
import io
import json
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules import notation
from iku_rules.cli import main
from iku_rules.decimals import round_half_away
from iku_rules.i18n import set_language, use_language
from iku_rules.output import spreadsheet_cell, write_spreadsheet_csv
from iku_rules.report import ReportError, report_format
from iku_rules.report.atomic import ReportExistsError
from iku_rules.schema_doc import load_schema, reference

MINI = Path(__file__).parent / "fixtures" / "mini"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as ended:
        main([*argv, "--help"])
    assert ended.value.code == 0
    return capsys.readouterr().out


def test_iku_help_in_indonesian_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    indonesian = help_of(capsys, "--lang", "id")
    assert indonesian.startswith("cara pakai: iku ")
    for words in ("argumen posisi:", "opsi:", "tampilkan bantuan ini lalu keluar"):
        assert words in indonesian
    assert "hitung setiap indikator dalam cascade untuk satu periode" in indonesian  # eval's help
    for english in ("usage:", "options:", "show this help message", "evaluate every"):
        assert english not in indonesian
    english = help_of(capsys, "--lang", "en")
    assert english.startswith("usage: iku ")
    for words in ("positional arguments:", "options:", "show this help message and exit"):
        assert words in english
    assert "evaluate every indicator of the cascade for a period" in english


def test_iku_eval_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    indonesian = help_of(capsys, "eval", "--lang", "id")
    assert indonesian.startswith("cara pakai: iku eval ")
    assert "Menghitung setiap indikator untuk satu periode" in indonesian
    assert "folder definisi" in indonesian and "folder data (bawaan: ./sample-data)" in indonesian
    english = help_of(capsys, "eval", "--lang", "en")
    assert english.startswith("usage: iku eval ")
    assert "the definitions folder" in english and "the data folder" in english


def test_help_follows_the_environment_else_indonesian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "id")
    assert help_of(capsys).startswith("cara pakai: iku ")
    # Before parsing, the office's language cannot be known: no --lang, no LANGUAGE or
    # LANG naming a language spoken here, the help is Indonesian.
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert help_of(capsys, "check").startswith("cara pakai: iku check ")


def test_usage_errors_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "id", "eval", str(MINI)]) == 2
    assert capsys.readouterr().err == "iku: argumen berikut wajib diisi: --period\n"
    assert main(["--lang", "en", "eval", str(MINI)]) == 2
    assert capsys.readouterr().err == "iku: the following arguments are required: --period\n"
    assert main(["--lang", "id", "eval", str(MINI), "--period", "2026", "--format", "pdf"]) == 2
    assert "iku: argumen --format: pilihan tidak sah: 'pdf' (pilih dari" in capsys.readouterr().err
    assert main(["--lang", "en", "frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
    assert main(["--lang", "id", "eval", str(MINI), "--period", "2026", "--extra"]) == 2
    assert capsys.readouterr().err == "iku: argumen tidak dikenal: --extra\n"


def test_argparse_is_given_back_its_own_words(capsys: pytest.CaptureFixture[str]) -> None:
    help_of(capsys, "--lang", "id")
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]
    with use_language("id"):
        other = argparse.ArgumentParser(prog="other")
        assert other.format_usage().startswith("usage: other")


def test_cli_messages_in_both_languages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere")
    assert main(["--lang", "id", "eval", str(MINI), "--period", "2026", "--data", missing]) == 2
    assert f"folder data '{missing}' tidak ada" in capsys.readouterr().err
    assert main(["--lang", "en", "eval", str(MINI), "--period", "2026", "--data", missing]) == 2
    assert f"no data folder '{missing}'" in capsys.readouterr().err
    assert main(["--lang", "id", "definitions", "copy", "no-such-office", missing]) == 2
    assert "tidak ada perangkat daerah bawaan bernama 'no-such-office'" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x", encoding="utf-8")
    assert main(["--lang", "id", "sample-data", str(tmp_path / "full")]) == 2
    assert "tidak kosong" in capsys.readouterr().err
    assert main(["--lang", "id", "formula", "a", "--set", "a=x"]) == 2
    assert "'x' bukan angka" in capsys.readouterr().err


def test_results_table_in_both_languages() -> None:
    # The mini office declares no kind: its whole area is "daerah", in English "area".
    status, text = run("--lang", "id", "eval", str(MINI), "--data", str(MINI), "--period", "2026")
    assert status == 0
    lines = text.splitlines()
    assert "Daerah (semua wilayah)" in lines
    header = next(line for line in lines if line.strip().startswith("indikator"))
    assert header.split() == ["indikator", "nilai", "satuan", "target", "capaian", "predikat"]
    status, text = run("--lang", "en", "eval", str(MINI), "--data", str(MINI), "--period", "2026")
    lines = text.splitlines()
    assert "Area (all regions)" in lines
    header = next(line for line in lines if line.strip().startswith("indicator"))
    assert header.split() == ["indicator", "value", "unit", "target", "capaian", "predikat"]


def test_the_whole_area_is_an_area_in_english() -> None:
    argv = ["explain", str(MINI), "iku-tertangani", "--data", str(MINI), "--period", "2026"]
    assert "the whole area" in run("--lang", "en", *argv)[1]
    assert "seluruh daerah" in run("--lang", "id", *argv)[1]


def test_report_messages_in_both_languages(tmp_path: Path) -> None:
    with use_language("id"), pytest.raises(ReportError, match="format laporan 'pdf' tidak dikenal"):
        report_format("pdf")
    with use_language("en"), pytest.raises(ReportError, match="unknown report format 'pdf'"):
        report_format("pdf")
    with use_language("id"):
        assert "sudah ada; sebutkan dengan -o" in str(ReportExistsError(tmp_path / "a.md"))


def test_list_in_both_languages() -> None:
    status, text = run("--lang", "id", "list", str(MINI))
    assert status == 0 and "indikator" in text.splitlines()[1]
    status, text = run("--lang", "en", "list", str(MINI))
    assert status == 0 and "indicator" in text.splitlines()[1]


def test_sample_data_lines_in_both_languages(tmp_path: Path) -> None:
    status, text = run("--lang", "id", "sample-data", str(tmp_path / "id"), "--people", "20")
    assert status == 0 and "register_pmks: 20 baris" in text and "ditulis ke" in text
    status, text = run("--lang", "en", "sample-data", str(tmp_path / "en"), "--people", "20")
    assert status == 0 and "register_pmks: 20 rows" in text and "wrote sample data" in text


def test_the_field_reference_stays_english() -> None:
    # docs/reference.md is generated from the schema's English descriptions.
    with use_language("id"):
        text = reference(load_schema())
    assert "| field | value | required | description |" in text


def test_the_workspace_in_both_languages() -> None:
    pytest.importorskip("starlette")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Starlette's word on httpx, not ours
        from starlette.testclient import TestClient

    from iku_rules.serve import create_app

    def page(language: str) -> str:
        previous = set_language(language)
        try:
            app = create_app(MINI, MINI)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                client = TestClient(app.asgi, base_url="http://127.0.0.1")
            with client:
                text: str = client.get("/?period=2026").text
                return text
        finally:
            set_language(previous)

    indonesian, english = page("id"), page("en")
    for words in ("Ruang Kerja IKU", "Tampilkan", "seluruh daerah", "Impor target dari Excel"):
        assert words in indonesian
    for words in ("IKU workspace", "Show", "the whole area", "Import targets from Excel"):
        assert words in english
        assert words not in indonesian


# -- CSV for a spreadsheet, in the office's notation


def test_spreadsheet_cells_round_half_away_from_zero_in_the_office_notation() -> None:
    # 6 places kept; past them half away from zero: 0.0000005 -> 0.000001, -0.0000005 -> -0.000001
    assert spreadsheet_cell(Decimal("0.0000005"), "id") == "0,000001"
    assert spreadsheet_cell(Decimal("-0.0000005"), "id") == "-0,000001"
    assert spreadsheet_cell(Decimal("0.00000049"), "id") == "0,000000"
    assert spreadsheet_cell(Decimal("23500"), "id") == "23500"  # no thousands sign
    assert spreadsheet_cell(Decimal("55.30"), "id") == "55,30"  # its own digits kept
    assert spreadsheet_cell(Decimal("55.30"), "en") == "55.30"
    assert spreadsheet_cell({"threshold": "<", "value": Decimal("70.5")}, "id") == "< 70,5"
    assert spreadsheet_cell("-Carita", "id") == "'-Carita"  # text that a sheet would run


def test_a_spreadsheet_csv_separates_by_the_language() -> None:
    rows = [{"id": "a", "value": Decimal("1234.5")}]
    for language, expected in (
        ("id", "id;value\r\na;1234,5\r\n"),
        ("en", "id,value\r\na,1234.5\r\n"),
    ):
        out = io.StringIO()
        write_spreadsheet_csv(rows, out, ["id", "value"], language)
        assert out.getvalue() == "\ufeff" + expected


def test_iku_eval_excel_reads_back_to_the_same_decimals() -> None:
    argv = ["eval", str(MINI), "--data", str(MINI), "--period", "2026", "--by", "kecamatan"]
    status, data = run("--lang", "id", *argv, "--format", "json")
    assert status == 0
    exact = json.loads(data, parse_float=Decimal)
    status, sheet = run("--lang", "id", *argv, "--format", "excel")
    assert status == 0 and sheet.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(sheet.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == len(exact)
    read = notation.notation("id")
    numbers = 0
    for row, expected in zip(rows, exact, strict=True):
        assert row["id"] == expected["id"] and row["region"] == (expected["region"] or "")
        for column in ("value", "capaian"):
            if expected[column] is None:
                assert row[column] == ""
                continue
            value = Decimal(expected[column])
            shown = value if -int(value.as_tuple().exponent) <= 6 else round_half_away(value, 6)
            assert notation.read(row[column], read) == shown, (row, expected)
            numbers += 1
    assert numbers >= 4
    # the machine CSV stays locale-free under Indonesian
    status, machine = run("--lang", "id", *argv, "--format", "csv")
    first = next(csv.DictReader(io.StringIO(machine)))
    assert first["value"] == str(exact[0]["value"])
