"""A dash in a number column (``-``, ``–``, ``—``, `` - ``), as Indonesian tables write nil.
Nil may mean none (0) or not known (an empty cell, not available): read either way it could
be a wrong number, so it is refused at its cell on every backend and in every reader, with
both fixes (where the message said only to write a number like 1234,5).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, office, read_in_place
from test_totals_register_rows import evaluate, staff

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError


def dash(where: str, shown: str = "-") -> str:
    return (
        f"{where}: '{shown}' is a dash, not a number: a table writes it for nil, which may mean"
        " none (0) or not known; write 0 where there were none, or leave the cell empty where"
        " the number is not known (an empty cell is read as not known, never as 0)"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("cell", ["-", "–", "—", " - ", "--", "−"])
def test_a_dash_in_a_register_is_refused_with_both_fixes(
    tmp_path: Path, backend: str, in_place: bool, cell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Budi's honor written as a dash: 0 (honor 11) or not known (not available)? Neither
    # is read in silence.
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, f"No;nama;honor\n1;Ani;5\n2;Budi;{cell}\n3;Citra;6\n")
    assert evaluate(folder, backend) == dash("staf.csv, row 3, column 'honor'", cell.strip())


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_a_dash_in_an_integer_column_is_refused_with_both_fixes(
    tmp_path: Path, backend: str
) -> None:
    folder = staff(
        tmp_path, "No;nama;honor\n1;Ani;5\n2;Budi;–\n", columns='nama = "text", honor = "integer"'
    )
    assert evaluate(folder, backend) == dash("staf.csv, row 3, column 'honor'", "–")


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_dash_typed_in_a_workbook_is_refused_with_both_fixes(
    tmp_path: Path, backend: str
) -> None:
    from helpers import staff_office

    (tmp_path / "definitions.toml").write_text(staff_office("xlsx"), encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in (["No", "nama", "honor"], [1, "Ani", 5], [2, "Budi", "-"]):
        sheet.append(row)
    workbook.save(tmp_path / "staf.xlsx")
    assert evaluate(tmp_path, backend) == dash("staf.xlsx, sheet 'Data', row 3, column 'honor'")


def test_a_zero_shown_as_a_dash_by_excel_is_zero(tmp_path: Path) -> None:
    # The Accounting format shows the number 0 as a dash: the cell holds 0, so Budi earned
    # 0 and the staff 5 + 0 = 5, 2 pegawai.
    from helpers import staff_office

    (tmp_path / "definitions.toml").write_text(staff_office("xlsx"), encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in (["No", "nama", "honor"], [1, "Ani", 5], [2, "Budi", 0]):
        sheet.append(row)
    sheet["C3"].number_format = '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)'
    workbook.save(tmp_path / "staf.xlsx")
    assert evaluate(tmp_path) == ("5", "2")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        # Nilai AKIP 2026 written as a dash in the inputs
        ("inputs.csv", "Nilai AKIP,2026,76.05", "Nilai AKIP,2026,-", "inputs.csv, row 2"),
        # Labuan's alat bantu in 2026-TW2 written as a dash in the realisasi table
        ("realisasi.csv", "Labuan,2.5", "Labuan, – ", "realisasi.csv, row 3"),
    ],
    ids=["inputs", "realisasi"],
)
def test_a_dash_in_inputs_and_realisasi_is_refused_with_both_fixes(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    file: str,
    old: str,
    new: str,
    where: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with (
        use_language("en"),
        pytest.raises(DataError) as error,
        Engine(folder, folder, backend=backend) as engine,  # type: ignore[arg-type]
    ):
        engine.evaluate("2026")
    assert str(error.value) == dash(f"{where}, column 'nilai'", new.split(",")[-1].strip())
