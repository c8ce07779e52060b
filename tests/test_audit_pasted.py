"""Exports pasted together: a realisasi row pasted twice, once from an export that pads its
cells with spaces, is one key written twice and never two rows to add up, on every backend.
A block of rows pasted a second time into a register (Ani, Budi, Citra, then the same three
again) is refused, naming the rows of the copy and those it repeats, on every backend and
in CSV and Excel; one row, or two, repeated may be real and are read.

The office is tests/fixtures/mini: ``alat-bantu-orang`` is its realisasi (Labuan 3 in
2026-TW1, Labuan 2.5 in TW2, Carita 4 in TW3), rows of sub kegiatan ``1.06.04.2.01.0003``.
The staff office (``Σ [Honor]`` over ``staf.csv``, ``nama;honor``) holds the blocks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place, staff_office
from test_totals_register_rows import evaluate, staff

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import DUPLICATE_ROWS, code_of

CODE = "1.06.04.2.01.0003"


def _labuan_tw1(
    tmp_path: Path, row: str, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[Decimal | None, str | None, str | None]:
    """Labuan's ``alat-bantu-orang`` in 2026-TW1 with ``row`` added to realisasi.csv: its
    value, the code of its reason and the reason, in English."""
    folder = office(tmp_path)
    add_row(folder, "realisasi.csv", row)
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        result = engine.evaluate("2026-TW1", by="kecamatan").get("alat-bantu-orang", "Labuan")
    return result.value, code_of(result.reason), result.reason


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_pasted_again_with_its_code_padded_is_not_added_up(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Labuan's TW1 row pasted again from an export that writes the code with a space after
    # it: one number written twice, not 3 + 3 = 6 (what was read before); Labuan's TW1 is
    # not available, as for the same row pasted twice exactly.
    value, code, reason = _labuan_tw1(
        tmp_path, f"{CODE} ,alat-bantu-orang,2026-TW1,Labuan,3", backend, in_place, monkeypatch
    )
    assert (value, code) == (None, DUPLICATE_ROWS)
    assert reason is not None and "2 rows of alat-bantu-orang for 2026-TW1" in reason
    assert "the same kode_sub_kegiatan; keep one of those" in reason


KEGIATAN_INDICATOR = """
  [[kegiatan.indikator]]
  id = "rehab-orang"
  name = "Jumlah Orang yang Direhabilitasi"
  unit = "Orang"
  formula = "realisasi"
"""
"""An indicator of kegiatan ``1.06.04.2.01``: it sums the rows of its sub kegiatan."""


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_rows_of_two_sub_kegiatan_are_still_added_up(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kegiatan's indicator, Labuan in TW1: a row of its sub kegiatan 1.06.04.2.01.0003
    # and one of 1.06.04.2.01.0002, a sub kegiatan under the kegiatan that the definitions
    # do not list: numbers of their own, 3 + 2 = 5. (An indicator of a sub kegiatan may not
    # hold a row of another: test_realisasi_codes.)
    folder = office(tmp_path)
    kegiatan = 'name = "Rehabilitasi Sosial Dasar"\nparent = "1.06.04"\n'
    edit(folder, kegiatan, kegiatan + KEGIATAN_INDICATOR)
    add_row(folder, "realisasi.csv", f"{CODE},rehab-orang,2026-TW1,Labuan,3")
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0002,rehab-orang,2026-TW1,Labuan,2")
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        result = engine.evaluate("2026-TW1", by="kecamatan").get("rehab-orang", "Labuan")
    assert (result.value, result.reason) == (Decimal(5), None)


STAFF = "nama;honor\nAni;5\nBudi;6\nCitra;7\n"
"""Three on the staff: 5 + 6 + 7 = 18 of honor."""


def _pasted(where: str, copy: str, original: str, row: int) -> str:
    return (
        f"{where}, row {row}: rows {copy} repeat rows {original} row for row, every cell equal:"
        " the same rows pasted a second time (an export appended twice?), which would count"
        f" each of them twice; delete the copy, rows {copy}"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_register_pasted_twice_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ani, Budi, Citra, then the same three again: 18 of honor, summed 36 before.
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, STAFF + STAFF.partition("\n")[2])
    assert evaluate(folder, backend) == _pasted("staf.csv", "5–7", "2–4", 5)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_last_export_appended_twice_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dedi's row, then the month's export (Ani, Budi, Citra, Eka) appended twice, then Fajar:
    # 1 + 5 + 6 + 7 + 2 + 3 = 24, summed 44 before. The copy is the four rows 7–10.
    read_in_place(monkeypatch, in_place)
    month = "Ani;5\nBudi;6\nCitra;7\nEka;2\n"
    folder = staff(tmp_path, "nama;honor\nDedi;1\n" + month + month + "Fajar;3\n")
    assert evaluate(folder, backend) == _pasted("staf.csv", "7–10", "3–6", 7)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(
    ("rows", "honor", "pegawai"),
    [
        # one row repeated (two identical records): 5 + 6 + 7 + 7 = 25, 4 rows
        ("Ani;5\nBudi;6\nCitra;7\nCitra;7\n", "25", "4"),
        # two rows repeated: 5 + 6 + 5 + 6 + 7 = 29, 5 rows
        ("Ani;5\nBudi;6\nAni;5\nBudi;6\nCitra;7\n", "29", "5"),
        # each row twice, side by side: 2 × 18 = 36, 6 rows (no block repeats in order)
        ("Ani;5\nAni;5\nBudi;6\nBudi;6\nCitra;7\nCitra;7\n", "36", "6"),
        # six identical rows: 6 × 5 = 30 (a run of one row says nothing of a paste)
        ("Ani;5\n" * 6, "30", "6"),
        # three rows again but in another order: 2 × 18 = 36
        ("Ani;5\nBudi;6\nCitra;7\nCitra;7\nBudi;6\nAni;5\n", "36", "6"),
    ],
)
def test_rows_repeated_but_not_as_a_block_are_read(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    rows: str,
    honor: str,
    pegawai: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = staff(tmp_path, "nama;honor\n" + rows)
    assert evaluate(folder, backend) == (honor, pegawai)


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_a_workbook_pasted_twice_is_refused(tmp_path: Path, backend: str) -> None:
    # The staff in a workbook's sheet, pasted twice below the header: 18, summed 36 before.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(["nama", "honor"])
    for _copy in range(2):
        for row in (["Ani", 5], ["Budi", 6], ["Citra", 7]):
            sheet.append(row)
    workbook.save(tmp_path / "staf.xlsx")
    (tmp_path / "definitions.toml").write_text(staff_office("xlsx"), encoding="utf-8")
    expected = _pasted("staf.xlsx, sheet 'Data'", "5–7", "2–4", 5)
    assert evaluate(tmp_path, backend) == expected
