"""Every backend reads a CSV file alike: DuckDB typing the file in SQL (into a table, or in
place by a view), DuckDB loading what the reader typed, SQLite and Python give the same
numbers, or the same refusal at the same row and column.

Each case is a file DuckDB once read otherwise than the reader: spaces around quoted fields,
a repeated header whose names are values of their types, a header line holding a character
``str.splitlines`` breaks at, a lone carriage return in the header line, a one-column file
whose values hold a ``;``, a region name with an invisible character.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import CASCADE

from iku_rules.engine import Engine
from iku_rules.regions import region_key
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_relations import CsvRelations

MINI = Path(__file__).parent / "fixtures" / "mini"

WAYS = ("duckdb table", "duckdb in place", "sqlite", "python")
"""DuckDB copying the file into a table, DuckDB reading it in place, SQLite, Python."""

OFFICE = (
    """\
[office]
id = "agree"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2027
units = ["Nilai"]

"""
    + CASCADE
    + """{indicators}
[[source]]
id = "r"
kind = "register"
format = "csv"
path = "r.csv"
columns = {{ {columns} }}
{extra}
{measures}"""
)


def definitions(folder: Path, columns: dict[str, str], extra: str = "") -> None:
    """An office over one register ``r.csv`` of ``columns``: an indicator per measure,
    ``rows`` (the rows), ``sum-<c>`` (each integer column's sum), ``distinct-<c>`` (each
    text column's distinct values) and, with a column ``k``, ``labuan`` (rows whose k is
    exactly Labuan)."""
    measures: dict[str, str] = {"rows": 'aggregate = "count"'}
    for name, kind in columns.items():
        if kind == "integer":
            measures[f"sum-{name}"] = f'aggregate = "sum"\ncolumn = "{name}"'
        if kind == "text":
            measures[f"distinct-{name}"] = f'aggregate = "count_distinct"\ncolumn = "{name}"'
    if "k" in columns:
        measures["labuan"] = 'aggregate = "count"\nfilter = \'k = "Labuan"\''
    indicators = "".join(
        f'\n  [[sasaran.indikator]]\n  id = "{name}"\n  name = "I {name}"\n'
        f'  unit = "Nilai"\n  formula = "m {name}"\n'
        for name in measures
    )
    text = OFFICE.format(
        indicators=indicators,
        columns=", ".join(f'"{name}" = "{kind}"' for name, kind in columns.items()),
        extra=extra,
        measures="".join(
            f'\n[[measure]]\nname = "m {name}"\nsource = "r"\n{body}\nempty = "zero"\n'
            for name, body in measures.items()
        ),
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "office.toml").write_text(text, encoding="utf-8")


def evaluate(
    folder: Path, data: Path, way: str, *, by: str | None = None
) -> dict[str, Any] | tuple[int | None, str | None, str]:
    """The indicators' values for 2026 (per region when ``by``), or the refusal's row,
    column and message."""
    backend = way.split()[0]
    saved = CsvRelations.in_place_bytes
    CsvRelations.in_place_bytes = 0 if way == "duckdb in place" else 1 << 40
    try:
        with Engine(folder, data, backend=backend) as engine:
            evaluation = engine.evaluate("2026", by=by)
            return {
                f"{result.indicator.id}@{result.area}": result.value
                for result in evaluation.results
            }
    except DataError as error:
        return error.row, error.column, str(error)
    finally:
        CsvRelations.in_place_bytes = saved


def agree(
    tmp_path: Path,
    content: str | bytes,
    columns: dict[str, str],
    *,
    extra: str = "",
    by: str | None = None,
) -> dict[str, Any] | tuple[int | None, str | None, str]:
    """What every way reads of ``content`` as ``r.csv``, checked to be the same."""
    folder = tmp_path / "office"
    definitions(folder, columns, extra)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    (folder / "r.csv").write_bytes(raw)
    found = {way: evaluate(folder, folder, way, by=by) for way in WAYS}
    assert all(found[way] == found["python"] for way in WAYS), found
    return found["python"]


def values(found: dict[str, Any] | tuple[int | None, str | None, str]) -> dict[str, int]:
    assert isinstance(found, dict), found
    return {key.split("@")[0]: value for key, value in found.items()}


C = {"x": "integer", "k": "text"}
SPACED = "the value has a space before its double quote"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ('1, "Labuan"', "k"),  # DuckDB read Labuan: 2 rows of Labuan, not 1
        (' "5",Labuan', "x"),  # DuckDB read 5: a sum of 7
        ('1, ""', "k"),  # DuckDB read an empty cell
        ('1,\t"Labuan"', "k"),  # any white space (DuckDB keeps a tab, the quotes too)
        ('1,\u00a0"Labuan"', "k"),
    ],
)
def test_a_space_before_an_opening_quote_is_refused_at_its_row_and_column(
    tmp_path: Path, row: str, column: str
) -> None:
    found = agree(tmp_path, f"x,k\n{row}\n2,Labuan\n", C)
    assert isinstance(found, tuple) and found[:2] == (2, column)
    assert SPACED in found[2]


@pytest.mark.parametrize("row", ['1,"Labuan" ', '1,"Labuan" ,', '1,"Lab" "uan"', '1,"Lab"  "uan"'])
def test_a_space_after_a_closing_quote_is_refused_at_its_row(tmp_path: Path, row: str) -> None:
    # DuckDB dropped the space, or joined the quoted parts ("Lab uan")
    found = agree(tmp_path, f"x,k\n{row}\n2,Labuan\n", C)
    assert isinstance(found, tuple) and found[0] == 2
    assert "not valid CSV" in found[2]


def test_quotes_inside_a_value_are_kept_as_written(tmp_path: Path) -> None:
    # rows: 1 Yayasan "Harapan" Bangsa, 2 ' "Labuan" ada' (quoted), 3 Labuan, 4 '1, "x"'
    # (quoted), 5 Labuan (quoted, after a space-and-quote field of row 4's value):
    # 5 rows, x summing to 15, 4 distinct k, 2 of them exactly Labuan (rows 3 and 5).
    # The file holds spaces around quotes, so DuckDB hands it to the reader.
    text = (
        'x,k\n1,Yayasan "Harapan" Bangsa\n2," ""Labuan"" ada"\n3,Labuan\n4,"1, ""x"""\n5,"Labuan"\n'
    )
    found = values(agree(tmp_path, text, C))
    assert found == {"rows": 5, "sum-x": 15, "distinct-k": 4, "labuan": 2}
    # a quote inside a text alone stays on DuckDB's own path, with the same numbers:
    # rows 1 and 3: x 4, 2 distinct k, 1 Labuan
    plain = 'x,k\n1,Yayasan "Harapan" Bangsa\n3,Labuan\n'
    assert values(agree(tmp_path / "plain", plain, C)) == {
        "rows": 2,
        "sum-x": 4,
        "distinct-k": 2,
        "labuan": 1,
    }


def test_the_mini_office_refuses_a_space_before_a_quoted_code_on_every_backend(
    tmp_path: Path,
) -> None:
    """DuckDB read `` "1.06.04.2.01.0003"`` as the code: 3 of 5 PMKS tertangani, 60%,
    capaian 150 against a target of 40, where the other backends counted 2 of 5."""
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    (folder / "layanan.csv").write_text(
        "nik,kode_sub_kegiatan,kecamatan,tanggal\n"
        '3601000000000001, "1.06.04.2.01.0003",Labuan,2026-01-10\n'
        "3601000000000002,1.06.04.2.01.0001,Labuan,2026-04-01\n"
        "3601000000000004,1.06.04.2.01.0003,Carita,2026-07-01\n",
        encoding="utf-8",
    )
    found = {way: evaluate(folder, folder, way) for way in WAYS}
    assert all(found[way] == found["python"] for way in WAYS), found
    refused = found["python"]
    assert isinstance(refused, tuple) and refused[:2] == (2, "kode_sub_kegiatan")
    assert refused[2].startswith("layanan.csv, row 2, column 'kode_sub_kegiatan': " + SPACED)


@pytest.mark.parametrize("again", ["kec,2026", " KEC ,2026"])
def test_a_repeated_header_whose_names_are_values_of_their_types_is_refused(
    tmp_path: Path, again: str
) -> None:
    # DuckDB counted it as a row: 3 rows, 2026 summing to 5 + 2026 + 7 = 2038
    text = f"kec,2026\nLabuan,5\n{again}\nCarita,7\n"
    found = agree(tmp_path, text, {"kec": "text", "2026": "integer"})
    assert isinstance(found, tuple) and found[0] == 3
    assert "repeats the names of the columns" in found[2]


def test_a_header_name_as_one_value_of_a_row_is_a_row(tmp_path: Path) -> None:
    # rows (kec, 2026) (Carita, 2026): 2 rows, 2026 summing to 2026 + 5 = 2031, 2 kec
    text = "kec,2026\nkec,5\nCarita,2026\n"
    found = values(agree(tmp_path, text, {"kec": "text", "2026": "integer"}))
    assert found == {"rows": 2, "sum-2026": 2031, "distinct-kec": 2}


@pytest.mark.parametrize("breaks", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_the_header_line_ends_where_csv_ends_it(tmp_path: Path, breaks: str) -> None:
    # The header line is x;y<break>,x: one ';' and one ',', so ',' delimits; its second
    # column is x, of 3 and 30: 33 (the reader once took the line as x;y, delimited by
    # ';', and summed 1 + 10 = 11)
    text = f"x;y{breaks},x\n1;2,3\n10;20,30\n"
    assert values(agree(tmp_path, text, {"x": "integer"})) == {"rows": 2, "sum-x": 33}


def test_a_lone_carriage_return_in_the_header_line_is_read_by_the_reader(
    tmp_path: Path,
) -> None:
    # lines x,k / 1,a / 2,b / 3,c (a CR ends the first two): 3 rows, x summing to 6,
    # 3 distinct k, none Labuan; DuckDB once stopped with the csv module's error
    text = "x,k\r1,a\r2,b\n3,c\n"
    assert values(agree(tmp_path, text, C)) == {
        "rows": 3,
        "sum-x": 6,
        "distinct-k": 3,
        "labuan": 0,
    }


@pytest.mark.parametrize("mark", [";", "|", "\t"])
def test_rows_the_reader_typed_are_loaded_with_nothing_guessed(tmp_path: Path, mark: str) -> None:
    # The empty row at the end sends the file to the reader; DuckDB then loads what the
    # reader typed. k holds a<m>b, c<m>d, e<m>f, g<m>h, a<m>x: 5 rows, 5 distinct, no Labuan (DuckDB
    # once guessed the delimiter and failed, or split the values)
    rows = [f"a{mark}b", f"c{mark}d", f"e{mark}f", f"g{mark}h", f"a{mark}x"]
    text = "k\n" + "\n".join(rows) + "\n  \n"
    assert values(agree(tmp_path, text, {"k": "text"})) == {"rows": 5, "distinct-k": 5, "labuan": 0}


def test_invisible_characters_do_not_make_another_region() -> None:
    assert region_key("Labuan\u200b") == region_key("LABUAN") == "labuan"
    assert region_key("\ufeffLa\u2060buan\u00ad") == "labuan"
    assert region_key("Carita") != region_key("Labuan")


def test_a_region_written_with_a_zero_width_space_is_refused_as_written_two_ways(
    tmp_path: Path,
) -> None:
    # Labuan and Labuan<ZWSP> print alike; as two regions each would have part of the rows
    text = "x,k\n1,Labuan\n2,Labuan\u200b\n3,Carita\n"
    found = agree(tmp_path, text, C, extra='region_column = "k"', by="k")
    assert isinstance(found, tuple) and found[:2] == (3, "k")
    assert "'Labuan', 'Labuan\\u200b'" in found[2]


def test_control_characters_do_not_make_another_region() -> None:
    # a NUL a fixed-width export pads with, a DEL, a SOH: printed, they do not show
    for written in ("Labuan\x00", "Labuan\x00\x00\x00", "Labuan\x7f", "\x01Labuan"):
        assert region_key(written) == "labuan", repr(written)
    assert region_key("Labuan\tBarat") == "labuan barat"  # a tab is a space


@pytest.mark.parametrize("control", ["\x00", "\x7f", "\x01"])
def test_a_region_written_with_a_control_character_is_refused_as_written_two_ways(
    tmp_path: Path, control: str
) -> None:
    # Read as a region of its own, Labuan<NUL> would take row 2 from Labuan (1 row, not 2)
    text = f"x,k\n1,Labuan\n2,Labuan{control}\n3,Carita\n"
    found = agree(tmp_path, text, C, extra='region_column = "k"', by="k")
    assert isinstance(found, tuple) and found[:2] == (3, "k")
    assert f"'Labuan', {f'Labuan{control}'!r}" in found[2]


def test_every_white_space_is_looked_for_around_quotes() -> None:
    """The scan of a file's bytes knows every character ``str.isspace`` holds."""
    import re

    from iku_rules.sources.duckdb_csv import _SPACE

    pattern = re.compile(_SPACE)
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    for char in spaces:
        assert bool(pattern.fullmatch(char.encode())) == (char not in "\r\n"), repr(char)
    assert not pattern.fullmatch("\u200b".encode())
