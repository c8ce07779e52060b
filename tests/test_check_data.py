"""Types proven by iku check: what an aggregate or a filter asks of a column suits the
type its source declares, the engine's own columns have the types it reads, and no two
sources share a table; each mistake a diagnostic with file, line and column, found
before any data is read (the evaluation refuses to start)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import edit, office, run

from iku_rules.loader import load

SUM_NIK = (
    'name = "PMKS"\nsource = "register_pmks"\naggregate = "count_distinct"',
    'name = "PMKS"\nsource = "register_pmks"\naggregate = "sum"',
)
FILTER = 'filter = \'kode_sub_kegiatan in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")\''
INPUT_COLUMNS = 'columns = { nama = "text", tahun = "integer", nilai = "decimal" }'
PMKS_COLUMNS = 'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date" }'
SHARE = "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'"


def errors_of(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, list[str]]:
    """The office with ``edits`` made, and the lines ``iku check`` prints for it (the
    folder's path taken off)."""
    folder = office(tmp_path)
    for old, new in edits:
        edit(folder, old, new)
    status, out = run("check", str(folder))
    assert status == 1
    lines = [line.replace(f"{folder}/", "") for line in out.splitlines()]
    return folder, lines[:-1]


def test_a_sum_over_text_is_refused_before_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It used to give 288080000000000160 % on DuckDB and a TypeError in Python."""
    folder, lines = errors_of(tmp_path, SUM_NIK)
    assert lines == [
        "definitions.toml:120:1: error: measure 'PMKS' sums the column 'nik' of source"
        " 'register_pmks', which holds text, not numbers (count it instead (count or"
        " count_distinct), or declare it as a number if it holds numbers)"
    ]
    for backend in ("duckdb", "sqlite", "python"):
        status, out = run(
            "eval", str(folder), "--data", str(folder), "--period", "2026", "--backend", backend
        )
        assert status == 1 and out == ""
        assert "sums the column 'nik'" in capsys.readouterr().err


def test_a_sum_over_dates_in_a_formula_is_refused(tmp_path: Path) -> None:
    """It used to give 162080 % on SQLite."""
    _, lines = errors_of(
        tmp_path,
        (SHARE, "formula = 'Σ register_pmks.tanggal / Σ register_pmks × 100%'"),
    )
    assert lines == [
        "definitions.toml:39:14: error: indicator 'anak-share' sums the column 'tanggal' of"
        " source 'register_pmks', which holds dates, not numbers (count it instead (count or"
        " count_distinct), or declare it as a number if it holds numbers)"
    ]


@pytest.mark.parametrize("func", ["avg", "min", "max"])
def test_every_numeric_aggregate_wants_a_number(tmp_path: Path, func: str) -> None:
    written = f"{func}(register_pmks.kategori)" if func != "avg" else "avg register_pmks.kategori"
    _, lines = errors_of(tmp_path, (SHARE, f"formula = '{written} / Σ register_pmks × 100%'"))
    assert len(lines) == 1 and "the column 'kategori' of source 'register_pmks'" in lines[0]
    assert lines[0].startswith("definitions.toml:39:14: error: indicator 'anak-share' ")


def test_counts_take_any_column(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, SHARE, "formula = 'count register_pmks.tanggal / Σ register_pmks × 100%'")
    assert load(folder).ok


@pytest.mark.parametrize(
    ("condition", "column", "message"),
    [
        # the column counts from the filter's text, which starts in column 11
        ("tanggal >= 5", 22, "which holds dates, with 5: a date is compared with a date"),
        ('tanggal < "abc"', 21, 'which holds dates, with "abc": a date is written YYYY-MM-DD'),
        ('tanggal = "2026-1-5"', 21, 'the date "2026-1-5" is not written YYYY-MM-DD'),
        ('tanggal >= "2026-1-5"', 22, 'the date "2026-1-5" is not written YYYY-MM-DD'),
        ('tanggal > "2026-02-30"', 21, "there is no such date"),
        ("kode_sub_kegiatan = 5", 31, "which holds text, with 5: a number never equals a text"),
        ('kode_sub_kegiatan in ("a", 5)', 38, "with 5: a number never equals a text"),
        ("1 = 1", 11, "compares two values ('1 = 1'); one side must be a column"),
        ("tanggal = kecamatan", 11, "which holds dates, with the column 'kecamatan', which"),
        ("kecamatan = nik + 1", 23, "compare a field with a number or text; 'nik + 1' is neither"),
        ('"a" in ("a")', 11, "asks whether a value is in a list"),
    ],
)
def test_filters_compare_a_column_with_a_value_of_its_type(
    tmp_path: Path, condition: str, column: int, message: str
) -> None:
    _, lines = errors_of(tmp_path, (FILTER, f"filter = '{condition} and nik = nik'"))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"definitions.toml:130:{column}: error: the filter of measure")
    assert message in lines[0]


@pytest.mark.parametrize(
    ("column_type", "condition"),
    [
        ("integer", "umur >= 60"),
        ("integer", "umur in (1, -2, 3)"),
        ("decimal", "umur < 12.123456"),
        ("decimal", "umur != -0.5"),
        ("text", 'umur = "enam puluh"'),
        ("date", 'umur <= "2026-12-31"'),
    ],
)
def test_what_suits_the_column_passes(tmp_path: Path, column_type: str, condition: str) -> None:
    folder = office(tmp_path)
    edit(folder, PMKS_COLUMNS, PMKS_COLUMNS.replace(" }", f', umur = "{column_type}" }}'))
    edit(folder, SHARE, SHARE.replace('kategori = "Anak Terlantar"', condition))
    assert load(folder).ok, [str(d) for d in load(folder).errors]


@pytest.mark.parametrize(
    ("column_type", "condition", "why"),
    [
        ("integer", "umur >= 60.5", "the column holds whole numbers"),
        ("integer", 'umur = "60"', "a number never equals a text"),
        ("decimal", "umur < 0.0000001", "the data keep at most 6 decimals"),
        ("decimal", "umur < 50%", "percentages cannot be used inside a filter"),
        ("decimal", "umur > 100000000000000000000", "at most 20 digits before the point"),
    ],
)
def test_numbers_in_filters_suit_the_numbers_the_data_hold(
    tmp_path: Path, column_type: str, condition: str, why: str
) -> None:
    _, lines = errors_of(
        tmp_path,
        (PMKS_COLUMNS, PMKS_COLUMNS.replace(" }", f', umur = "{column_type}" }}')),
        (SHARE, SHARE.replace('kategori = "Anak Terlantar"', condition)),
    )
    assert len(lines) == 1 and why in lines[0]
    assert lines[0].startswith("definitions.toml:39:")


def test_the_engines_columns_have_the_types_it_reads(tmp_path: Path) -> None:
    _, lines = errors_of(
        tmp_path,
        (INPUT_COLUMNS, 'columns = { nama = "text", tahun = "date", nilai = "text" }'),
        (
            'periode = "text", kecamatan = "text", nilai = "decimal" }',
            'periode = "date", kecamatan = "text", nilai = "integer" }',
        ),
    )
    assert lines == [
        "definitions.toml:105:1: error: the column 'periode' of the realisasi source 'realisasi'"
        ' is declared date, but the engine reads it as text (declare periode = "text")',
        "definitions.toml:113:1: error: the column 'tahun' of the inputs source 'inputs' is"
        ' declared date, but the engine reads it as integer (declare tahun = "integer")',
        "definitions.toml:113:1: error: the column 'nilai' of the inputs source 'inputs' is"
        " declared text, but the engine reads it as integer or decimal (declare nilai ="
        ' "decimal")',
    ]


def test_date_region_and_breakdown_columns_have_their_types(tmp_path: Path) -> None:
    _, lines = errors_of(
        tmp_path,
        (PMKS_COLUMNS, PMKS_COLUMNS.replace('tanggal = "date"', 'tanggal = "text"')),
        (
            'columns = { nik = "nik", kode_sub_kegiatan = "text", kecamatan = "text",',
            'columns = { nik = "nik", kode_sub_kegiatan = "integer", kecamatan = "date",',
        ),
    )
    shown = [line.split(": error: ")[1].split(";")[0] for line in lines]
    assert [line for line in shown if not line.startswith("the filter")] == [
        "the date column 'tanggal' of source 'register_pmks' is declared text",
        "the region column 'kecamatan' of source 'layanan' is declared date",
        "the breakdown column 'kode_sub_kegiatan' of source 'layanan' is declared integer",
    ]


def test_columns_differing_only_in_case(tmp_path: Path) -> None:
    _, lines = errors_of(
        tmp_path,
        (
            INPUT_COLUMNS,
            'columns = { nama = "text", NAMA = "text", tahun = "integer", nilai = "decimal" }',
        ),
    )
    assert lines == [
        "definitions.toml:113:1: error: source 'inputs' declares the columns 'nama' and 'NAMA',"
        " which differ only in case; files and databases do not tell them apart (keep one of"
        " them)"
    ]


def test_a_source_that_is_read_declares_its_columns(tmp_path: Path) -> None:
    _, lines = errors_of(tmp_path, (PMKS_COLUMNS, "columns = {}"))
    assert lines[0] == (
        "definitions.toml:84:1: error: source 'register_pmks' declares no columns, but measure"
        " 'PMKS' reads it (declare its columns with their types: columns = { nik = \"nik\","
        ' tanggal = "date" })'
    )


def test_a_source_nothing_reads_may_leave_its_columns_out(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        "[[input]]",
        '[[source]]\nid = "arsip"\nkind = "register"\nformat = "csv"\npath = "arsip.csv"\n\n'
        "[[input]]",
    )
    assert load(folder).ok


SECOND_SOURCE = (
    '[[source]]\nid = "pmks_lama"\nkind = "register"\nformat = "{format}"\npath = "{path}"\n'
    'table = "{table}"\ndate_column = "tanggal"\ntime = "state"\n'
    'columns = {{ nik = "nik", tanggal = "date" }}\n\n'
    '[[measure]]\nname = "PMKS lama"\nsource = "pmks_lama"\naggregate = "count"\n\n[[input]]'
)


def test_two_sources_reading_one_table_is_an_error(tmp_path: Path) -> None:
    _, lines = errors_of(
        tmp_path,
        ("[[input]]", SECOND_SOURCE.format(format="csv", path="./register_pmks.csv", table="x")),
    )
    assert lines == [
        "definitions.toml:133:1: error: source 'pmks_lama' reads './register_pmks.csv', which"
        " source 'register_pmks' at definitions.toml:84:1 reads already;"
        " keep one source for it (its measures may differ in filter and time)"
    ]


def test_a_table_named_like_another_sources_cannot_replace_it(tmp_path: Path) -> None:
    """A source whose ``table`` is another source's id used to replace that source's table
    on DuckDB (2.00 for 50.00) and end in a traceback on SQLite."""
    folder = office(tmp_path)
    edit(
        folder,
        "[[input]]",
        SECOND_SOURCE.format(format="sqlite", path="lama.sqlite", table="register_pmks"),
    )
    import sqlite3

    connection = sqlite3.connect(folder / "lama.sqlite")
    connection.execute("CREATE TABLE register_pmks (nik TEXT, tanggal TEXT)")
    connection.execute("INSERT INTO register_pmks VALUES ('3601000000000001', '2026-01-01')")
    connection.commit()
    connection.close()
    assert run("check", str(folder))[0] == 0
    results = {}
    for backend in ("duckdb", "sqlite", "python"):
        command = ["eval", str(folder), "--data", str(folder), "--period", "2026"]
        status, out = run(*command, "--backend", backend, "--format", "json")
        assert status == 0
        results[backend] = json.loads(out)
    assert results["duckdb"] == results["sqlite"] == results["python"]
    values = {row["id"]: row["value"] for row in results["python"]}
    # 3 of the 5 people registered by 2026 were served (Σ PMKS tertangani / Σ PMKS)
    assert values["iku-tertangani"] == 60


def test_a_filter_on_an_identifier_column_compares_it_with_text(tmp_path: Path) -> None:
    """A NIK is stored as text: a text in quotes suits it (iku check used to stop on a
    KeyError here), a number never equals it."""
    pmks = 'name = "PMKS"\nsource = "register_pmks"\naggregate = "count_distinct"\ncolumn = "nik"\n'
    folder = office(tmp_path)
    edit(folder, pmks, pmks + "filter = 'nik != \"3601000000000005\"'\n")
    status, out = run("--lang", "en", "check", str(folder))
    assert status == 0, out
    _, lines = errors_of(tmp_path / "number", (pmks, pmks + "filter = 'nik != 3601000000000005'\n"))
    assert len(lines) == 1
    assert lines[0].endswith(
        "error: the filter of measure 'PMKS' compares the column 'nik', which holds text,"
        " with 3601000000000005: a number never equals a text (compare it with a text in"
        ' quotes, like nik = "3601000000000005")'
    )


def test_an_identifier_declared_text_is_warned_of(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, PMKS_COLUMNS, PMKS_COLUMNS.replace('nik = "nik"', 'nik = "text"'))
    status, out = run("--lang", "en", "check", str(folder))
    assert status == 0
    assert (
        "warning: the column 'nik' of source 'register_pmks' holds identifiers but is declared"
        " text: an identifier Excel turned into 3.60103E+15 (or wrote with a digit missing)"
        ' would be read as it stands, and two people counted as one (declare it nik = "nik")'
    ) in out
