"""A row of totals in a register with a date column, its date filled down from the row above
(as offices drag a date column down in Excel): ``no;nama;honor;tanggal`` /
``1;Ani;5;2026-02-03`` / ``2;Budi;6;2026-02-05`` / ``;TOTAL;11;2026-02-05``. Its date put it in
February 2026 like a record: honor 22 where the log holds 11, 3 services where it holds 2. It
is refused at its row on every backend and in every format, as in a register without dates.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

OFFICE = (
    """
[office]
id = "layanan"
name = "Dinas Layanan"
plan_start = 2025
plan_end = 2027
units = ["Nilai", "Layanan"]
notation = "id"

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "total-honor"
  name = "Jumlah honor"
  unit = "Nilai"
  formula = "Σ [Honor]"

  [[sasaran.indikator]]
  id = "jumlah-layanan"
  name = "Jumlah layanan"
  unit = "Layanan"
  formula = "Σ [Banyak Layanan]"

[[source]]
id = "log"
kind = "register"
format = "{format}"
path = "{path}"
date_column = "tanggal"
columns = {{ nama = "text", honor = "decimal", tanggal = "date" }}

[[measure]]
name = "Honor"
source = "log"
aggregate = "sum"
column = "honor"

[[measure]]
name = "Banyak Layanan"
source = "log"
aggregate = "count"
"""
)


def _csv_office(folder: Path, text: str) -> Path:
    (folder / "definitions.toml").write_text(
        OFFICE.format(format="csv", path="log.csv"), encoding="utf-8"
    )
    (folder / "log.csv").write_text(text, encoding="utf-8")
    return folder


def evaluate(folder: Path, backend: str = "python", period: str = "2026") -> tuple[str, str] | str:
    """Honor and services in ``period``, or the refusal in English."""
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:  # type: ignore[arg-type]
                evaluation = engine.evaluate(period)
        except DataError as error:
            return str(error)
    return str(evaluation.get("total-honor").value), str(evaluation.get("jumlah-layanan").value)


def refusal(place: str, label: str, column: str, sums: str, count: int = 2, row: int = 4) -> str:
    return (
        f"{place}, row {row}: the row is titled '{label}' (column '{column}') and its numbers"
        f" ({sums}) are the sums of the {count} rows above it: it is a row of totals, not a row"
        " of the register, and its numbers would count twice; delete the row of totals (the"
        " engine sums the register itself)"
    )


LOG = "no;nama;honor;tanggal\n1;Ani;5;2026-02-03\n2;Budi;6;2026-02-05\n"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_of_totals_with_its_date_filled_down_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani 5 + Budi 6 = 11 honor in 2 services; the TOTAL row, dated 5 February like Budi's,
    # made 22 honor and 3 services in 2026.
    read_in_place(monkeypatch, in_place)
    folder = _csv_office(tmp_path, LOG + ";TOTAL;11;2026-02-05\n")
    assert evaluate(folder, backend) == refusal("log.csv", "TOTAL", "nama", "honor 11")
    (folder / "log.csv").write_text(LOG, encoding="utf-8")
    assert evaluate(folder, backend) == ("11", "2")


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_subtotal_of_a_month_is_refused(tmp_path: Path, backend: str) -> None:
    # January: Ani 5 + Budi 6 = 11 (row 4, dated 31 January); February: Citra 4 (row 5).
    # Counted, TW1 had honor 26 where the log holds 15. The subtotal is refused at its row.
    folder = _csv_office(
        tmp_path,
        "no;nama;honor;tanggal\n1;Ani;5;2026-01-03\n2;Budi;6;2026-01-31\n"
        ";Jumlah:;11;2026-01-31\n3;Citra;4;2026-02-02\n",
    )
    assert evaluate(folder, backend, "2026-TW1") == refusal(
        "log.csv", "Jumlah:", "nama", "honor 11"
    )


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
@pytest.mark.parametrize(
    ("last", "expected"),
    [
        # TOTAL 12 is not 5 + 6: read as a row, maybe real. 5 + 6 + 12 = 23, 3 services.
        (";TOTAL;12;2026-02-05\n", ("23", "3")),
        # A service of honor 0 titled Jumlah: 0 is not 11, read. 5 + 6 + 0 = 11, 3 services.
        (";Jumlah;0;2026-02-05\n", ("11", "3")),
    ],
)
def test_a_titled_row_that_does_not_add_up_is_read(
    tmp_path: Path, backend: str, last: str, expected: tuple[str, str]
) -> None:
    folder = _csv_office(tmp_path, LOG + last)
    assert evaluate(folder, backend) == expected


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_workbook_row_of_totals_with_its_date_filled_down_is_refused(
    tmp_path: Path, backend: str
) -> None:
    # Typed as values (no =SUM to tell it by): 5 + 6 = 11 under a date filled down. Counted,
    # 22 honor and 3 services.
    (tmp_path / "definitions.toml").write_text(
        OFFICE.format(format="xlsx", path="log.xlsx"), encoding="utf-8"
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "log"
    sheet.append(["no", "nama", "honor", "tanggal"])
    sheet.append([1, "Ani", 5, dt.datetime(2026, 2, 3)])
    sheet.append([2, "Budi", 6, dt.datetime(2026, 2, 5)])
    sheet.append([None, "JUMLAH", 11, dt.datetime(2026, 2, 5)])
    workbook.save(tmp_path / "log.xlsx")
    assert evaluate(tmp_path, backend) == refusal(
        "log.xlsx, sheet 'log'", "JUMLAH", "nama", "honor 11"
    )


def test_a_duckdb_table_row_of_totals_with_a_date_is_refused(tmp_path: Path) -> None:
    # DuckDB read the table in place and counted 22 honor and 3 services; it now leaves the
    # table to the reader, which refuses row 3 (the table's third row).
    (tmp_path / "definitions.toml").write_text(
        OFFICE.format(format="duckdb", path="log.duckdb").replace(
            'date_column = "tanggal"', 'table = "log"\ndate_column = "tanggal"'
        ),
        encoding="utf-8",
    )
    connection = duckdb.connect(str(tmp_path / "log.duckdb"))
    connection.execute("CREATE TABLE log (nama VARCHAR, honor DECIMAL(10, 2), tanggal DATE)")
    connection.execute(
        "INSERT INTO log VALUES ('Ani', 5, '2026-02-03'), ('Budi', 6, '2026-02-05'),"
        " ('TOTAL', 11, '2026-02-05')"
    )
    connection.close()
    found = evaluate(tmp_path, "duckdb")
    assert isinstance(found, str)
    assert found.startswith("log.duckdb, table 'log', row 3: the row is titled 'TOTAL'")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    "last", [";TOTAL;;2026-02-05\n", ";TOTAL;;\n", "JUMLAH;;;2026-02-05\n", "JUMLAH;2;;\n"]
)
def test_a_row_of_totals_with_no_number_is_refused(
    tmp_path: Path, backend: str, in_place: bool, last: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The row holds a title and nothing of a record (its honor left empty; its date empty or
    # filled down; its other cell empty or 2, the rows above it). Counted, the log held 3
    # services where it holds 2 (Ani's and Budi's).
    read_in_place(monkeypatch, in_place)
    folder = _csv_office(tmp_path, LOG + last)
    found = evaluate(folder, backend)
    assert isinstance(found, str)
    label, column = ("TOTAL", "nama") if "TOTAL" in last else ("JUMLAH", "no")
    assert found == (
        f"log.csv, row 4: the row is titled '{label}' (column '{column}') and holds nothing of a"
        " record (its other cells are empty, the number of rows above it, 2, or the cells above"
        " them): it is a row of totals, not a row of the register, and it would be counted as"
        " one; delete the row of totals (the engine counts the register itself)"
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize(
    "last",
    [
        "3;Jumlah;;2026-02-05\n",  # its own number in the list, 3 (2 rows stand above it)
        ";Jumlah;;2026-02-09\n",  # a date of its own, not Budi's filled down
    ],
)
def test_a_row_named_jumlah_with_something_of_its_own_is_read(
    tmp_path: Path, backend: str, last: str
) -> None:
    # A service named Jumlah, its honor not known: Ani's, Budi's and its own, 3 services.
    found = evaluate(_csv_office(tmp_path, LOG + last), backend)
    assert isinstance(found, tuple)
    assert found[1] == "3"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_an_undated_row_of_totals_with_no_number_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A staff list ending in a row titled Total with its honor left empty: counted, 3 pegawai
    # where the list holds 2 (Ani and Budi).
    from test_totals_register_rows import evaluate as staff_evaluate
    from test_totals_register_rows import staff

    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, "No,nama,honor\n1,Ani,5\n2,Budi,6\n,Total,\n")
    assert staff_evaluate(folder, backend) == (
        "staf.csv, row 4: the row is titled 'Total' (column 'nama') and holds nothing of a"
        " record (its other cells are empty, the number of rows above it, 2, or the cells above"
        " them): it is a row of totals, not a row of the register, and it would be counted as"
        " one; delete the row of totals (the engine counts the register itself)"
    )
