"""A register of groups whose first subtotal stands under a group of one row: that subtotal
cannot be told from a second record (one row above it), so it was read, and the sums from
the first row then held it twice: no later subtotal or total equalled them, and every one
was counted (``Ani 5`` / ``Sub Total 5`` / ``Budi 6`` / ``Citra 4`` / ``Sub Total 10`` /
``Grand Total 15``: honor 45 and 6 pegawai where the staff earn 15 and are 3). A later
subtotal, the sums of its own group, or the total, the sums of the rows no title marks, is
now refused at its row.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, read_in_place
from test_totals_register_rows import evaluate, staff

HEADER = "No,nama,honor\n"


def refused(row: int, text: str) -> str:
    return f"staf.csv, row {row}: {text}"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_later_subtotal_after_a_group_of_one_row_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani 5 | Sub Total 5 | Budi 6, Citra 4 | Sub Total 10 | Grand Total 15. Right: honor 15,
    # 3 pegawai; counted before: 5 + 5 + 6 + 4 + 10 + 15 = 45 and 6. Row 6's 10 is Budi's 6
    # and Citra's 4, the rows since row 3, titled 'Sub Total' too and Ani's 5.
    read_in_place(monkeypatch, in_place)
    folder = staff(
        tmp_path,
        HEADER + "1,Ani,5\n,Sub Total,5\n2,Budi,6\n3,Citra,4\n,Sub Total,10\n,Grand Total,15\n",
    )
    assert evaluate(folder, backend) == refused(
        6,
        "the row is titled 'Sub Total' (column 'nama') and its numbers (honor 10) are the sums"
        " of the 2 rows between it and row 3, titled so too and holding the sums of the rows of"
        " its own group: they are rows of subtotals, not rows of the register, and their"
        " numbers would count twice; delete the rows of totals and subtotals (the engine sums"
        " the register itself)",
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_total_under_subtotals_of_groups_of_one_row_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani 5 | Sub Total 5 | Budi 6 | Sub Total 6 | Grand Total 11. Right: 11 and 2 pegawai;
    # counted before: 5 + 5 + 6 + 6 + 11 = 33 and 5. Row 6's 11 is Ani's 5 and Budi's 6.
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, HEADER + "1,Ani,5\n,Sub Total,5\n2,Budi,6\n,Sub Total,6\n,TOTAL,11\n")
    assert evaluate(folder, backend) == refused(
        6,
        "the row is titled 'TOTAL' (column 'nama') and its numbers (honor 11) are the sums of"
        " the 2 rows above it that no title marks, and rows 3 and 5 above it hold the sums of"
        " their groups: they are rows of totals and subtotals, not rows of the register, and"
        " their numbers would count twice; delete them (the engine sums the register itself)",
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Rows merely named Jumlah, each equal to the row above but never the sums of two or
        # more rows: 1 + 1 + 1 + 1 + 3 + 2 = 9, 6 pegawai.
        ("1,A,1\n2,Jumlah,1\n3,C,1\n4,Jumlah,1\n5,E,3\n6,F,2\n", ("9", "6")),
        # A titled row that is not its group's sum (4 is not Ani's 5) breaks the chain: the
        # later Jumlah 10 (Budi 6 + Citra 4) is read. 5 + 4 + 6 + 4 + 10 = 29, 5 pegawai.
        ("1,Ani,5\n,Jumlah,4\n2,Budi,6\n3,Citra,4\n,Jumlah,10\n", ("29", "5")),
        # Subtotals of groups of one row alone, no total below: as far as the numbers say,
        # second records of the same values. 5 + 5 + 6 + 6 = 22, 4 pegawai.
        ("1,Ani,5\n,Sub Total,5\n2,Budi,6\n,Sub Total,6\n", ("22", "4")),
        # A later group's subtotal titled otherwise than the first (Jumlah, not Sub Total)
        # is not its like: 5 + 5 + 6 + 4 + 10 = 30, 5 pegawai.
        ("1,Ani,5\n,Sub Total,5\n2,Budi,6\n3,Citra,4\n,Jumlah,10\n", ("30", "5")),
    ],
)
def test_titled_rows_that_do_not_agree_with_their_groups_are_read(
    tmp_path: Path, backend: str, rows: str, expected: tuple[str, str]
) -> None:
    assert evaluate(staff(tmp_path, HEADER + rows), backend) == expected


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_of_totals_above_the_rows_it_sums_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # JUMLAH 11 right under the header, over Ani 5 and Budi 6. Right: 11 and 2 pegawai;
    # counted before: 11 + 5 + 6 = 22 and 3 (no row stood above it to tell it by).
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, HEADER + ",JUMLAH,11\n1,Ani,5\n2,Budi,6\n")
    assert evaluate(folder, backend) == refused(
        2,
        "the row is titled 'JUMLAH' (column 'nama') and its numbers (honor 11) are the sums of"
        " the 2 rows below it: it is a row of totals, not a row of the register, and its"
        " numbers would count twice; delete the row of totals (the engine sums the register"
        " itself)",
    )


@pytest.mark.parametrize("backend", ["python", "duckdb"])
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # JUMLAH 12 is not 5 + 6: 12 + 5 + 6 = 23, 3 pegawai.
        (",JUMLAH,12\n1,Ani,5\n2,Budi,6\n", ("23", "3")),
        # One row below it: a total of one row and a record cannot be told apart. 10, 2.
        (",JUMLAH,5\n1,Ani,5\n", ("10", "2")),
    ],
)
def test_a_titled_row_at_the_top_that_does_not_sum_the_rows_below_is_read(
    tmp_path: Path, backend: str, rows: str, expected: tuple[str, str]
) -> None:
    assert evaluate(staff(tmp_path, HEADER + rows), backend) == expected
