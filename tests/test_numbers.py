"""Numbers as Indonesian documents write them, never silently wrong — each case a planner
met, through the command line where they meet it.

The office is tests/fixtures/kesehatan: a Dinas Kesehatan with AKI per 100.000 and AKB per
1.000 live births, threshold targets, an Indeks Kesehatan from UHH and parameters in years,
an average of the SPM indicators available, and a count target written "23.500"; its data
are in the notation of Indonesian documents (";"-separated, "6.284" is 6284).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest

from iku_rules import Engine, load
from iku_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
KESEHATAN = ROOT / "tests" / "fixtures" / "kesehatan"
MINI = ROOT / "tests" / "fixtures" / "mini"

# AKI: 1 death among 7.987 (= 7987) live births: 1 / 7987 × 100000, to 50 digits.
AKI = Decimal("12.520345561537498434956804807812695630399399023413")
# AKB: 120 / 7987 × 1000; against "≤ 14", not met: (2 × 14 − 15.0244…) / 14 × 100 = 92.68.
AKB = Decimal("15.024414673844998121948165769375234756479278828096")
# Indeks Kesehatan: (71,5 − 20) / (85 − 20) = 51.5 / 65.
INDEKS = Decimal("0.79230769230769230769230769230769230769230769230769")
# SPM: the three available of four, (98 + 96 + 92) / 3 = 286 / 3.
SPM = Decimal("95.333333333333333333333333333333333333333333333333")


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def office(tmp_path: Path, source: Path = KESEHATAN) -> Path:
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def edit(folder: Path, old: str, new: str, name: str = "definitions.toml") -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def check_lines(folder: Path) -> list[str]:
    status, text = run("check", str(folder))
    lines = [line for line in text.splitlines() if ": error: " in line]
    assert status == (1 if lines else 0)
    return lines


def evaluate(folder: Path, *extra: str) -> tuple[int, str]:
    return run("eval", str(folder), "--data", str(folder), "--period", "2026", *extra)


def eval_error(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``iku eval`` says on stderr when the data stop it (exit status 1)."""
    assert evaluate(folder)[0] == 1
    return capsys.readouterr().err


def rows_of(folder: Path) -> dict[str, dict[str, object]]:
    status, text = evaluate(folder, "--format", "json")
    assert status == 0
    return {row["id"]: row for row in json.loads(text, parse_float=Decimal)}


# -- notation


def test_a_declared_office_reads_its_numbers_its_way() -> None:
    status, text = run("check", str(KESEHATAN))
    assert status == 0 and text.endswith("0 errors, 2 warnings in 1 file\n")
    rows = rows_of(KESEHATAN)
    # × 100.000 is a hundred thousand, never 100: 12.52 per 100.000, not 0.01252
    assert rows["aki"]["value"] == AKI
    # "23.500" Orang is 23500; the realisasi 6.284 + 5.716 + 6.000 + 5.500 = 23500
    assert rows["kunjungan-ibu-hamil"]["target"] == Decimal(23500)
    assert rows["kunjungan-ibu-hamil"]["value"] == Decimal(23500)
    assert rows["kunjungan-ibu-hamil"]["capaian"] == Decimal("100.00")
    # UHH "71,5" in the inputs: a decimal comma
    assert rows["indeks-kesehatan"]["value"] == INDEKS


def test_without_a_declared_notation_each_ambiguous_number_is_refused_where_it_stands(
    tmp_path: Path,
) -> None:
    folder = office(tmp_path)
    edit(folder, 'notation = "id"\n', "")
    path = folder / "definitions.toml"
    assert check_lines(folder) == [
        f"{path}:43:51: error: the formula of 'aki' does not parse: '100.000' is read two"
        " ways: as 100000 in notation \"id\" (Indonesian documents: '.' groups thousands) and"
        " as 100 in notation \"en\" ('.' marks decimals); write 100000 or 100, whichever is"
        ' meant, or declare the notation: notation = "id" or "en" under [office] (iku'
        " formula: --notation)",
        f"{path}:52:52: error: the formula of 'akb' does not parse: '1.000' is read two ways:"
        " as 1000 in notation \"id\" (Indonesian documents: '.' groups thousands) and as 1 in"
        " notation \"en\" ('.' marks decimals); write 1000 or 1, whichever is meant, or"
        ' declare the notation: notation = "id" or "en" under [office] (iku formula:'
        " --notation)",
        f"{path}:131:22: error: '23.500' is read two ways: as 23500 in notation \"id\""
        " (Indonesian documents: '.' groups thousands) and as 23.5 in notation \"en\" ('.'"
        " marks decimals); write 23500 or 23.5, whichever is meant, or declare the notation:"
        ' notation = "id" or "en" under [office]',
    ]


def test_the_data_without_a_declared_notation_refuse_6284_with_both_readings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    edit(folder, 'notation = "id"\n', "")
    edit(folder, "× 100.000", "× 100000")
    edit(folder, "× 1.000", "× 1000")
    edit(folder, 'targets = { 2026 = "23.500" }', "targets = { 2026 = 23500 }")
    assert check_lines(folder) == []
    assert eval_error(folder, capsys) == (
        "iku: realisasi.csv, row 2, column 'nilai': '6.284' is read two ways: as 6284 in"
        " notation \"id\" (Indonesian documents: '.' groups thousands) and as 6.284 in notation"
        " \"en\" ('.' marks decimals) (write 6284 or 6.2840, whichever is meant, or declare the"
        ' notation: notation = "id" or "en" on the [[source]], or under [office])\n'
    )


def test_a_source_in_another_notation_and_a_count_that_is_not_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    # The realisasi were exported by a program in notation en: 6.284 is six and a bit,
    # which no count of people can be.
    edit(folder, 'path = "realisasi.csv"\n', 'path = "realisasi.csv"\nnotation = "en"\n')
    assert eval_error(folder, capsys) == (
        "iku: realisasi.csv, row 2, column 'nilai': 6.284 is not a whole number, but the"
        " indicator 'kunjungan-ibu-hamil' is in Orang, which counts one by one; if '.' groups"
        " thousands there (12.500 is 12500), write the number without it or declare the"
        " notation of the source\n"
    )


def test_a_column_mixing_notations_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    # 71.5 only en reads (a decimal dot); 7.987 is 7987 in id but 7.987 in en: an export
    edit(folder, "UHH;2026;71,5", "UHH;2026;71.5", "inputs.csv")
    assert eval_error(folder, capsys) == (
        "iku: inputs.csv, row 5, column 'nilai': the column mixes notations: '71.5' (row 5) is"
        " a number only notation \"en\" reads, and '7.987' (row 4) is 7987 in notation"
        ' "id", declared for this source, but 7.987 in notation "en"; if the file was written'
        ' in notation "en" (by a program, an export), declare notation = "en" on its'
        " [[source]]; otherwise write the numbers without thousands separators\n"
    )


def test_a_comma_in_a_function_is_refused_with_both_readings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("formula", "max(1,5)")[0] == 1
    assert capsys.readouterr().err == (
        "iku: line 1, column 5: '1,5' in max() can be read as the number 1.5 or the 2 values"
        " 1, 5: a comma there also separates values\n"
        "  max(1,5)\n"
        "      ^^^\n"
        "hint: write '1.5' or '1, 5', whichever is meant (a space after a comma that"
        " separates values; a dot for decimals)\n"
    )
    # max(1, 5) is 5; max(1.5) is 1.5; 55,33 outside a list is a decimal comma
    assert run("formula", "max(1, 5) + max(1.5) + 55,33")[1].startswith(
        "max(1, 5) + max(1.5) + 55.33 = 61.83\n"
    )


def test_iku_formula_reads_100000_in_the_notation_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Without --notation, 100.000 is refused; with it, 1 / 7987 × 100000 = 12.52…
    assert run("formula", "a / b × 100.000", "--set", "a=1", "--set", "b=7987")[0] == 1
    assert "'100.000' is read two ways" in capsys.readouterr().err
    status, text = run(
        "formula",
        "a / b × 100.000",
        "--set",
        "a=1",
        "--set",
        "b=7.987",
        "--notation",
        "id",
        "--format",
        "json",
    )
    assert status == 0
    data = json.loads(text, parse_float=Decimal)
    assert data["value"] == AKI and data["exact"] == str(AKI)


# -- rates


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "[Kematian Bayi] / [Kelahiran Hidup] × 1.000",
            "[Kematian Bayi] / [Kelahiran Hidup]",
            "53:14: error: indicator 'akb' is a rate per 1.000 Kelahiran Hidup, but its formula"
            " gives a plain ratio, not scaled: multiply the ratio by 1.000 (Σ a / Σ b × 1.000)",
        ),
        (
            "[Kematian Bayi] / [Kelahiran Hidup] × 1.000",
            "[Kematian Bayi] / [Kelahiran Hidup] × 100.000",
            "53:52: error: indicator 'akb' is a rate per 1.000 Kelahiran Hidup, but its formula"
            " gives a ratio scaled by 100.000: multiply the ratio by 1.000 (Σ a / Σ b × 1.000)",
        ),
        (
            "[Kematian Ibu] / [Kelahiran Hidup] × 100.000",
            "[Kematian Ibu] / [Kelahiran Hidup] × 100%",
            "44:14: error: indicator 'aki' is a rate per 100.000 Kelahiran Hidup, but its"
            " formula gives a percentage (× 100%): multiply the ratio by 100.000"
            " (Σ a / Σ b × 100.000)",
        ),
    ],
)
def test_a_rate_must_scale_its_ratio(tmp_path: Path, old: str, new: str, message: str) -> None:
    folder = office(tmp_path)
    edit(folder, old, new)
    assert check_lines(folder) == [f"{folder / 'definitions.toml'}:{message}"]


def test_parameters_in_years_make_the_index_a_plain_ratio(tmp_path: Path) -> None:
    # (UHH − [UHH min]) / ([UHH maks] − [UHH min]) divides Tahun by Tahun: an Indeks.
    assert check_lines(KESEHATAN) == []
    folder = office(tmp_path)
    edit(folder, "(UHH - [UHH min]) / ([UHH maks] - [UHH min])", "(UHH - 20) / (85 - 20)")
    assert check_lines(folder) == [
        f"{folder / 'definitions.toml'}:70:14: error: indicator 'indeks-kesehatan' is measured"
        " in Indeks, but its formula gives Tahun; a number written in a formula has no unit of"
        ' its own: to divide like by like, make it a [[parameter]] with a unit (unit = "Tahun")'
    ]


# -- thresholds


def test_threshold_targets_give_capaian_by_the_rule_table() -> None:
    rows = rows_of(KESEHATAN)
    # AKI 12.52 < 70: met, capaian 100
    assert (rows["aki"]["capaian"], rows["aki"]["predikat"]) == (Decimal("100.00"), "Sangat Tinggi")
    assert rows["aki"]["target"] == {"threshold": "<", "value": Decimal(70)}
    # AKB 15.02 against ≤ 14: not met, (2 × 14 − 15.0244…) / 14 × 100 = 92.68
    assert rows["akb"]["capaian"] == Decimal("92.68")
    # stunting: 2 of 10 balita, 20 %, against ≤ 14: (2 × 14 − 20) / 14 × 100 = 57.14
    assert (rows["stunting"]["value"], rows["stunting"]["capaian"]) == (
        Decimal("20.00"),
        Decimal("57.14"),
    )
    assert rows["stunting"]["predikat"] == "Rendah"
    # SPM 95.33 % against ≥ 95 %: met, 100
    assert rows["spm"]["capaian"] == Decimal("100.00")


def test_a_threshold_and_a_polarity_that_disagree_are_refused(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        """  unit = "Persen"
  polarity = "negatif"
  iku = true
  targets = { 2026 = "≤ 14" }""",
        """  unit = "Persen"
  iku = true
  targets = { 2026 = "≤ 14" }""",
    )
    assert check_lines(folder) == [
        f"{folder / 'definitions.toml'}:56:3: error: indicator 'stunting' has the threshold"
        " target '≤ 14', which asks for a low value, but its polarity is positif (write"
        ' polarity = "negatif")'
    ]


# -- counts


def test_a_count_target_that_is_not_whole_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, 'targets = { 2026 = "23.500" }', 'targets = { 2026 = "23,5" }')
    assert check_lines(folder) == [
        f"{folder / 'definitions.toml'}:132:15: error: the target for 2026 of indicator"
        " 'kunjungan-ibu-hamil' is 23.5, but its satuan 'Orang' counts things one by one, so"
        " it must be a whole number (if '.' groups thousands there (23.500 is 23500), write"
        ' the number without it, or declare notation = "id" under [office])'
    ]


def test_an_input_count_that_is_not_whole_is_refused_with_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    edit(folder, "Kematian Bayi;2026;120", "Kematian Bayi;2026;12,5", "inputs.csv")
    assert eval_error(folder, capsys).startswith(
        "iku: inputs.csv, row 3, column 'nilai': 12.5 is not a whole number, but the input"
        " 'Kematian Bayi' is in Orang, which counts one by one"
    )


# -- averages and sums of indicators


def test_the_average_of_the_parts_available_and_of_all_parts(tmp_path: Path) -> None:
    rows = rows_of(KESEHATAN)
    assert rows["spm"]["value"] == SPM  # (98 + 96 + 92) / 3, spm-bayi has no value
    assert rows["spm-semua"]["value"] is None
    assert rows["spm-semua"]["reason"] == (
        "rata_rata() needs every part, but 'spm-bayi' is not available (spm-bayi: indicator"
        " spm-bayi is not available (the inputs have no value for 2026)) (line 1, column 1)"
    )
    status, text = run(
        "explain", str(KESEHATAN), "spm", "--data", str(KESEHATAN), "--period", "2026"
    )
    assert status == 0
    assert (
        "rata_rata_tersedia(spm-ibu-hamil, spm-bersalin, spm-bayi, spm-balita) = ≈ 95.333333 %"
        "  [3 of 4 parts available; missing: 'spm-bayi' (spm-bayi: indicator spm-bayi is not"
        " available (the inputs have no value for 2026))]"
    ) in text
    # The total of the parts: jumlah() needs them all (sum() is the same in English).
    folder = office(tmp_path)
    edit(
        folder,
        "rata-rata(spm-ibu-hamil, spm-bersalin, spm-bayi, spm-balita)",
        "jumlah(spm-ibu-hamil, spm-bersalin, spm-balita) / 3",
    )
    # (98 + 96 + 92) / 3 again, now from the three named
    assert rows_of(folder)["spm-semua"]["value"] == SPM


# -- names that start with an aggregate word


def test_a_name_that_starts_with_jumlah_gets_a_hint(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        "[Kematian Ibu] / [Kelahiran Hidup] × 100.000",
        "Σ Jumlah Kematian Ibu / [Kelahiran Hidup] × 100.000",
    )
    assert check_lines(folder) == [
        f"{folder / 'definitions.toml'}:44:16: error: the formula of 'aki' does not parse:"
        " expected a value (a number, a name or '(') but found 'Jumlah'; 'Jumlah' is read as a"
        " total of what follows it, so a name that starts with 'Jumlah' goes in brackets:"
        " Σ [Jumlah Kematian Ibu]"
    ]


# -- the ratio a bound statement names


def test_numerator_within_denominator_bounds_the_ratio_not_the_formula(tmp_path: Path) -> None:
    folder = office(tmp_path, MINI)
    edit(
        folder,
        'formula = "Σ PMKS tertangani / Σ PMKS × 100%"',
        'formula = "Σ PMKS tertangani / Σ PMKS × 100% + 70"\n  numerator_within_denominator = true',
    )
    status, text = run("list", str(folder), "--format", "json")
    assert status == 0
    record = next(r for r in json.loads(text, parse_float=Decimal) if r["id"] == "iku-tertangani")
    # the ratio within 0–1: × 100% within 0–100, + 70 within 70–170
    assert record["range"] == [Decimal(70), Decimal(170)]
    # 3 of 5 PMKS tertangani: 60 % + 70 = 130, kept (the ratio 0.6 is within 0–1)
    assert Engine(folder, MINI).evaluate("2026").get("iku-tertangani").value == 130


# -- exact output


def test_every_output_format_carries_the_exact_decimal(tmp_path: Path) -> None:
    status, text = evaluate(KESEHATAN, "--format", "json")
    assert f'"value": {AKI},' in text and f'"value": {SPM},' in text
    assert f'"value": {INDEKS},' in text
    status, table = evaluate(KESEHATAN, "--format", "csv")
    cells = {row["id"]: row for row in csv.DictReader(io.StringIO(table))}
    assert cells["aki"]["value"] == str(AKI) and cells["aki"]["target"] == "< 70"
    assert cells["spm"]["value"] == str(SPM) and cells["spm"]["capaian"] == "100.00"
    evaluation = Engine(KESEHATAN, KESEHATAN).evaluate("2026")
    assert {row["id"]: row["value"] for row in evaluation.rows()}["aki"] == AKI
    status, explained = run(
        "explain", str(KESEHATAN), "aki", "--data", str(KESEHATAN), "--period", "2026",
        "--format", "json",
    )  # fmt: skip
    assert json.loads(explained, parse_float=Decimal)["value"] == AKI
    assert f'"value": {AKI},' in explained
    status, listed = run("list", str(KESEHATAN), "--format", "json")
    assert status == 0
    records = {r["id"]: r for r in json.loads(listed, parse_float=Decimal)}
    assert records["kunjungan-ibu-hamil"]["targets"] == {"2026": Decimal(23500)}
    assert records["spm"]["targets"] == {"2026": {"threshold": ">=", "value": Decimal(95)}}


def test_reports_show_counts_whole_and_values_with_their_decimals(tmp_path: Path) -> None:
    path = tmp_path / "lkjip.md"
    status, _ = run(
        "report", str(KESEHATAN), "--data", str(KESEHATAN), "--period", "2026", "-o", str(path)
    )
    assert status == 0
    lines = path.read_text(encoding="utf-8").splitlines()

    def row(indicator: str) -> list[str]:
        found = next(line for line in lines if f"| {indicator} |" in line)
        return [cell.strip() for cell in found.strip("|").split("|")]

    # counts without decimals: 23,500 (not 23,500.00)
    assert row("Jumlah ibu hamil yang mendapatkan pelayanan kesehatan sesuai standar")[4:7] == [
        "23,500",
        "23,500",
        "100.00",
    ]
    # Indeks with decimals = 3: 51.5 / 65 = 0.792
    assert row("Indeks Kesehatan")[5] == "0.792"
    # a rate with two: 12.52; its threshold target as written
    assert row("Angka Kematian Ibu")[4:7] == [
        "&lt; 70.00",
        "12.52",
        "100.00",
    ]  # < escaped for Markdown


def test_the_shipped_gini_ratio_shows_three_decimals() -> None:
    definitions = load(ROOT / "definitions" / "dinsos-pandeglang")
    from iku_rules.report.numbers import number_text
    from iku_rules.report.tables import display_decimals

    gini = definitions.indicator("rasio-gini")
    assert gini is not None
    places = display_decimals(definitions, gini)
    assert number_text(Decimal("0.302"), decimals=places, decimal_comma=True) == "0,302"
    orang = next(i for i in definitions.indicators if i.unit == "Orang")
    assert number_text(Decimal(166), decimals=display_decimals(definitions, orang)) == "166"


# -- identifiers and the rows of a sheet


def _balita(folder: Path) -> list[list[object]]:
    with (folder / "balita.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _as_workbook(folder: Path, rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "balita"
    for row in rows:
        sheet.append(row)
    workbook.save(folder / "balita.xlsx")
    edit(folder, 'format = "csv"\npath = "balita.csv"', 'format = "xlsx"\npath = "balita.xlsx"')


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        (
            "3.60103E+15",
            "'3.60103E+15' is a number in scientific notation, not a NIK: Excel wrote it as a"
            " number and dropped digits (format the column as Text in Excel and type the"
            " identifiers again)",
        ),
        (
            "360101010120002",
            "'360101010120002' has 15 digits, but a NIK has 16: were leading zeros lost?"
            " (format the column as Text in Excel and type the identifiers again)",
        ),
    ],
)
def test_a_nik_excel_turned_into_a_number_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], nik: str, problem: str
) -> None:
    folder = office(tmp_path)
    edit(folder, "3601010101200002,", f"{nik},", "balita.csv")
    assert eval_error(folder, capsys) == f"iku: balita.csv, row 3, column 'nik': {problem}\n"


def test_a_nik_stored_as_a_number_in_a_workbook_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    rows = _balita(folder)
    rows[3][0] = 3601010101200003  # a number cell: Excel keeps 15 digits of it
    _as_workbook(folder, rows)
    assert eval_error(folder, capsys) == (
        "iku: balita.xlsx, sheet 'balita', row 4, column 'nik': the cell holds the number"
        " 3601010101200003, not an identifier as text: Excel keeps 15 digits of a number and"
        " drops leading zeros (format the column as Text in Excel and type the identifiers"
        " again)\n"
    )


def test_empty_rows_of_a_sheet_are_skipped_as_in_csv_and_every_path_agrees(
    tmp_path: Path,
) -> None:
    # 2 of 10 balita stunted: 20 %, from the CSV file and from a sheet with two empty rows
    # in the middle of its table (which once ended the table there: 1 of 4, 25 %).
    csv_folder = office(tmp_path / "csv")
    (csv_folder / "balita.csv").write_text(
        "\n".join(
            [",".join(row) for row in _balita(csv_folder)[:5]]
            + ["", ",,,"]
            + [",".join(row) for row in _balita(csv_folder)[5:]]
        )
        + "\n",
        encoding="utf-8",
    )
    xlsx_folder = office(tmp_path / "xlsx")
    rows = _balita(xlsx_folder)
    _as_workbook(xlsx_folder, [*rows[:5], [None] * 4, [], *rows[5:]])
    values = {
        (name, backend): Engine(folder, folder, backend=backend)
        .evaluate("2026")
        .get("stunting")
        .value
        for name, folder in (("csv", csv_folder), ("xlsx", xlsx_folder))
        for backend in ("duckdb", "sqlite", "python")
    }
    assert set(values.values()) == {Decimal("20.00")}, values


def test_a_signature_below_the_table_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    rows = _balita(folder)
    _as_workbook(folder, [*rows, [None] * 4, ["Kepala Dinas Kesehatan", None, None, None]])
    assert eval_error(folder, capsys) == (
        "iku: balita.xlsx, sheet 'balita', row 13: the row comes after the empty row 12 and"
        " leaves empty 'kecamatan', 'stunting', 'tanggal_ukur', which every row above fills,"
        " so it does not look like a row of the table: if it is one, delete the empty rows"
        " above it; if not, delete what stands below the table (notes, a signature, a second"
        " table) or move it to another sheet\n"
    )


def test_a_second_table_below_the_first_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    rows = _balita(folder)
    _as_workbook(folder, [*rows, [], *rows])
    assert eval_error(folder, capsys) == (
        "iku: balita.xlsx, sheet 'balita', row 13: the row repeats the names of the columns:"
        " a second table below the first? Keep one table per file or sheet, and delete this"
        " row\n"
    )


def test_the_schema_knows_notation_thresholds_rates_units_and_decimals() -> None:
    # Editors check the definitions as planners type: the new fields must validate.
    import tomllib

    import jsonschema

    schema = json.loads((ROOT / "iku_rules" / "schema" / "definitions.schema.json").read_text())
    data = tomllib.loads((KESEHATAN / "definitions.toml").read_text(encoding="utf-8"))
    assert [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(data)] == []
    data["satuan"] = {"Posyandu": {"dimension": "posyandu", "whole": True}}
    data["source"][0]["notation"] = "en"
    assert [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(data)] == []


def test_a_bound_statement_without_a_ratio_is_said(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        'formula = "rata-rata(spm-ibu-hamil, spm-bersalin, spm-bayi, spm-balita)"',
        'formula = "jumlah(spm-ibu-hamil, spm-bersalin)"\n  numerator_within_denominator = true',
    )
    status, text = run("check", str(folder))
    assert status == 0
    assert (
        f"{folder / 'definitions.toml'}:84:14: warning: indicator 'spm-semua' states"
        " numerator_within_denominator, but its formula divides nothing, so there is no ratio"
        " for the statement to bound"
    ) in text.splitlines()


def test_a_comma_in_an_aggregate_word_s_parentheses_is_refused_before_brackets_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # jumlah(1,2) is refused (1.2, or the values 1 and 2?); so is jumlah(1,2)[a > 1], which
    # was once read as Σ 1.2[a > 1] without a word. A comma in the brackets' condition,
    # outside the parentheses, stays a decimal comma.
    assert run("formula", "jumlah(1,2)[a > 1]")[0] == 1
    assert capsys.readouterr().err.startswith(
        "iku: line 1, column 8: '1,2' in jumlah(...) can be read as the number 1.2 or the 2"
        " values 1, 2: a comma there also separates values\n"
    )
    from iku_rules import parse

    assert str(parse("Σ (a)[b > 1,5]")) == "Σ a[b > 1.5]"
