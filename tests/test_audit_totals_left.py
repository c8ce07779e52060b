"""A register without a column of numbers, counted by its rows (a list of people:
``no;nama;desa`` / ``1;Ani;Cikole`` / ``2;Budi;Cikole``), that ends in a row of totals
(``;JUMLAH;``): the row was counted as a person, 3 for 2. It is refused at its row on every
backend and in every format, as the same row in a register with numbers is; a row merely
named so, or a row without a blank cell, is read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place
from test_totals_register_rows import evaluate as staff_evaluate
from test_totals_register_rows import staff

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.model import Source
from iku_rules.sources import sql_backend
from iku_rules.sources.cells import DataError
from iku_rules.sources.sql_cells import TOTALS_LABEL
from iku_rules.sources.totals_rows import LABELS, is_label

OFFICE = (
    """
[office]
id = "penerima"
name = "Dinas Penerima"
plan_start = 2025
plan_end = 2027
units = ["Orang"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "jumlah-penerima"
  name = "Jumlah penerima"
  unit = "Orang"
  formula = "Σ [Banyak Penerima]"

[[source]]
id = "penerima"
kind = "register"
format = "{format}"
path = "penerima.{format}"
table = "Data"
time = "state"
columns = {{ nama = "text", desa = "text" }}

[[measure]]
name = "Banyak Penerima"
source = "penerima"
aggregate = "count"
"""
)

LIST = "no;nama;desa\n1;Ani;Cikole\n2;Budi;Cikole\n"
"""Two people: Ani and Budi."""


def _office(folder: Path, format: str = "csv") -> Path:
    (folder / "definitions.toml").write_text(OFFICE.format(format=format), encoding="utf-8")
    return folder


def _csv(folder: Path, text: str) -> Path:
    (folder / "penerima.csv").write_text(text, encoding="utf-8")
    return _office(folder)


def counted(folder: Path, backend: str = "python") -> str:
    """The people counted in 2026, or the refusal in English."""
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                return str(engine.evaluate("2026").get("jumlah-penerima").value)
        except DataError as error:
            return str(error)


def refusal(where: str, label: str = "JUMLAH", column: str = "nama", row: int = 4) -> str:
    return (
        f"{where}, row {row}: the row is titled '{label}' (column '{column}') and holds nothing"
        " of a record (its other cells are empty, the number of rows above it, 2, or the cells"
        " above them): it is a row of totals, not a row of the register, and it would be"
        " counted as one; delete the row of totals (the engine counts the register itself)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("last", "label", "column"),
    [
        (";JUMLAH;\n", "JUMLAH", "nama"),
        (";Total :;Cikole\n", "Total :", "nama"),  # its desa filled down from Budi's
        ("JUMLAH;2;\n", "JUMLAH", "no"),  # the number of people in the nama column
    ],
)
def test_a_row_of_totals_of_a_list_without_numbers_is_refused(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    last: str,
    label: str,
    column: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ani and Budi: 2 people. Counted, the row of totals made 3.
    read_in_place(monkeypatch, in_place)
    folder = _csv(tmp_path, LIST + last)
    assert counted(folder, backend) == refusal("penerima.csv", label, column)


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_workbook_list_ending_in_jumlah_is_refused(tmp_path: Path, backend: str) -> None:
    # The same list kept in Excel: 2 people, counted 3.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in (["no", "nama", "desa"], [1, "Ani", "Cikole"], [2, "Budi", "Cikole"]):
        sheet.append(row)
    sheet.append([None, "JUMLAH", None])
    workbook.save(tmp_path / "penerima.xlsx")
    folder = _office(tmp_path, "xlsx")
    assert counted(folder, backend) == refusal("penerima.xlsx, sheet 'Data'")


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
@pytest.mark.parametrize("kind", ["sqlite", "duckdb"])
def test_a_database_list_ending_in_jumlah_is_refused(
    tmp_path: Path, backend: str, kind: str
) -> None:
    # Ani and Budi in a table, then ('JUMLAH', NULL): 2 people, counted 3 (DuckDB read the
    # .duckdb table in place).
    path = tmp_path / f"penerima.{kind}"
    connection: sqlite3.Connection | duckdb.DuckDBPyConnection
    connection = sqlite3.connect(path) if kind == "sqlite" else duckdb.connect(str(path))
    connection.execute('CREATE TABLE "Data" (nama VARCHAR, desa VARCHAR)')
    for row in ("'Ani', 'Cikole'", "'Budi', 'Cikole'", "'JUMLAH', NULL"):
        connection.execute(f'INSERT INTO "Data" VALUES ({row})')
    if kind == "sqlite":
        connection.commit()
    connection.close()
    folder = _office(tmp_path, kind)
    assert counted(folder, backend) == refusal(f"penerima.{kind}, table 'Data'", row=3)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    "last",
    [
        "3;Jumlah;\n",  # its own number in the list, 3: a person so named
        ";Total;Sukamaju\n",  # a desa of its own
        "3;Total;Cikole\n",  # no blank cell: a person so named
    ],
)
def test_a_person_named_jumlah_is_counted(
    tmp_path: Path, backend: str, in_place: bool, last: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani, Budi and the person so named: 3.
    read_in_place(monkeypatch, in_place)
    assert counted(_csv(tmp_path, LIST + last), backend) == "3"


@pytest.mark.parametrize("in_place", [False, True], ids=["table", "in-place"])
def test_duckdb_leaves_to_the_reader_only_titled_rows_with_a_blank_cell(
    tmp_path: Path, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A list without numbers whose rows all fill every cell pays for no reading in Python,
    # though one holds a title (a person named Total, counted: 3). The pass of DuckDB looks
    # for a title only in rows with a blank cell, which the benchmark's registers never have.
    read_in_place(monkeypatch, in_place)
    read: list[str] = []
    real = sql_backend.read_rows

    def counting(source: Source, *args: object, **kwargs: object) -> object:
        read.append(source.id)
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sql_backend, "read_rows", counting)
    assert counted(_csv(tmp_path, LIST + "3;Total;Cikole\n"), "duckdb") == "3"
    assert read == []
    assert counted(_csv(tmp_path, LIST + ";Total;\n"), "duckdb") == refusal("penerima.csv", "Total")
    assert read == ["penerima"]


ABOVE = "no,nama,honor\n,Sub Total,11\n1,Ani,5\n2,Budi,6\n,Sub Total,7\n3,Citra,3\n4,Dodi,4\n"
"""Two groups, each under its subtotal: Ani 5 + Budi 6 = 11, Citra 3 + Dodi 4 = 7."""


def above(rows: str, count: int = 2, row: int = 2) -> str:
    return (
        f"staf.csv, row {row}: the row is titled 'Sub Total' (column 'nama') and its numbers"
        f" (honor 11) are the sums of the {count} rows below it, down to the next titled row or"
        f" the end, and {rows} hold the sums of their own groups or of the whole register: they"
        " are rows of subtotals placed above their groups, not rows of the register, and their"
        " numbers would count twice; delete them (the engine sums the register itself)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # subtotals only: counted, honor 36 and 6 pegawai where the staff are 4 earning 18
        (ABOVE, above("row 5")),
        # and a grand total of 18 at the end: counted, 54 and 7
        (ABOVE + ",Grand Total,18\n", above("rows 5 and 8")),
        # the grand total at the top, over the subtotals: counted, 54 and 7
        (
            ABOVE.replace("no,nama,honor\n", "no,nama,honor\n,JUMLAH,18\n"),
            above("rows 2 and 6", row=3),
        ),
    ],
    ids=["subtotals", "and-a-grand-total", "under-a-grand-total"],
)
def test_subtotals_above_their_groups_are_refused(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    text: str,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    assert staff_evaluate(staff(tmp_path, text), backend) == expected


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # groups of one row each, under rows so titled: a subtotal and a second record of
        # the same value cannot be told apart: 5 + 5 + 6 + 6 = 22, 4 pegawai
        ("no,nama,honor\n,Sub Total,5\n1,Ani,5\n,Sub Total,6\n2,Budi,6\n", ("22", "4")),
        # one row named Jumlah whose number is the next row's: 3 + 3 + 4 = 10, 3 pegawai
        ("no,nama,honor\n1,Jumlah,3\n2,Budi,3\n3,Citra,4\n", ("10", "3")),
        # two rows named Total that hold no group's sums: 2 + 5 + 3 + 6 = 16, 4 pegawai
        ("no,nama,honor\n1,Total,2\n2,Ani,5\n3,Total,3\n4,Budi,6\n", ("16", "4")),
    ],
    ids=["groups-of-one-row", "one-title", "not-sums"],
)
def test_rows_titled_above_rows_that_are_not_their_sums_are_read(
    tmp_path: Path, backend: str, text: str, expected: tuple[str, str]
) -> None:
    assert staff_evaluate(staff(tmp_path, text), backend) == expected


def sums_above(label: str, sums: str, count: int, row: int) -> str:
    return (
        f"staf.csv, row {row}: the row is titled '{label}' (column 'nama') and its numbers"
        f" ({sums}) are the sums of the {count} rows above it: it is a row of totals, not a row"
        " of the register, and its numbers would count twice; delete the row of totals (the"
        " engine sums the register itself)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ani 5 + Budi 6 = 11 under "Jumlah Pegawai": counted, honor 22 and 3 pegawai
        (
            "no,nama,honor\n1,Ani,5\n2,Budi,6\n,Jumlah Pegawai,11\n",
            sums_above("Jumlah Pegawai", "honor 11", 2, 4),
        ),
        # subtotals named by their desa, after their groups: 11 and 7, counted 36 for 18
        (
            "no,nama,honor\n1,Ani,5\n2,Budi,6\n,Subtotal Cikole,11\n3,Citra,3\n4,Dodi,4\n"
            ",Subtotal Sukamaju,7\n",
            sums_above("Subtotal Cikole", "honor 11", 2, 4),
        ),
        # and above their groups: 11 over Ani and Budi, 7 over Citra and Dodi, 36 for 18
        (
            ABOVE.replace("Sub Total,11", "Sub Total Cikole,11").replace(
                "Sub Total,7", "Sub Total Sukamaju,7"
            ),
            above("row 5").replace("'Sub Total'", "'Sub Total Cikole'"),
        ),
        # after groups of one row, then a group of two: Ani 5 / Sub Total Cikole 5 / Budi 6
        # / Citra 4 / Sub Total Sukamaju 10; counted 30 for 15
        (
            "no,nama,honor\n1,Ani,5\n,Sub Total Cikole,5\n2,Budi,6\n3,Citra,4\n"
            ",Sub Total Sukamaju,10\n",
            "staf.csv, row 6: the row is titled 'Sub Total Sukamaju' (column 'nama') and its"
            " numbers (honor 10) are the sums of the 2 rows between it and row 3, titled so"
            " too and holding the sums of the rows of its own group: they are rows of"
            " subtotals, not rows of the register, and their numbers would count twice; delete"
            " the rows of totals and subtotals (the engine sums the register itself)",
        ),
    ],
    ids=["jumlah-pegawai", "subtotals-named-below", "subtotals-named-above", "named-chain"],
)
def test_a_title_followed_by_what_it_sums_is_a_title(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    text: str,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    assert staff_evaluate(staff(tmp_path, text), backend) == expected


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_list_without_numbers_ending_in_jumlah_penerima_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani and Budi, then a row "Jumlah Penerima" with nothing else: 2, counted 3.
    read_in_place(monkeypatch, in_place)
    folder = _csv(tmp_path, LIST + ";Jumlah Penerima;\n")
    assert counted(folder, backend) == refusal("penerima.csv", "Jumlah Penerima")


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize("name", ["Totalitas", "Jumlahan", "Sri Jumlah"])
def test_a_word_that_only_starts_like_a_title_is_read(
    tmp_path: Path, backend: str, name: str
) -> None:
    # A person so named, with an honor of 11 = 5 + 6: 22 honor, 3 pegawai.
    text = f"no,nama,honor\n1,Ani,5\n2,Budi,6\n3,{name},11\n"
    assert staff_evaluate(staff(tmp_path, text), backend) == ("22", "3")


def test_duckdb_looks_for_every_title_followed_by_words() -> None:
    # DuckDB must send to the reader every cell the reader takes for a title, else it would
    # count a row the reader refuses.
    cells = [
        f"{space}{label.replace(' ', space)}{after}Cikole"
        for label in LABELS
        for space in (" ", "\u00a0", "\t")
        for after in (" ", ": ", "\u2003", ":")
    ]
    assert all(is_label(cell) for cell in cells)
    missed = (
        duckdb.connect()
        .execute(
            "SELECT list(cell) FROM unnest($cells) AS t(cell)"
            " WHERE NOT regexp_full_match(cell, $pattern)",
            {"cells": cells, "pattern": TOTALS_LABEL},
        )
        .fetchone()
    )
    assert missed == (None,)
