"""A row of totals kept in a table (``JUMLAH`` in the kecamatan column, as spreadsheets end
their tables) is refused at its row and column on every backend: its numbers are those of
the other rows, so the whole kabupaten would count them twice.

The office is the small one of tests/fixtures/mini: in 2026-TW1 Labuan reported 3 alat
bantu (realisasi.csv row 2); a row of totals repeating those 3 made the kabupaten's 6.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

REGIONS = '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n' + "".join(
    f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
    for name in ("Labuan", "Carita", "Menes")
)


def evaluate(folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The realisasi of alat bantu in 2026-TW1, or the evaluation's refusal in English."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                evaluation = engine.evaluate("2026-TW1")
        except DataError as error:
            return str(error)
    (result,) = [r for r in evaluation.results if r.indicator.id == "alat-bantu-orang"]
    return str(result.value)


def refusal(name: str) -> str:
    return (
        f"the kecamatan '{name}' reads as a row of totals: its numbers are those of the other"
        " rows, so the whole area would count them twice; delete the row (iku adds up the"
        f" regions itself), or, if '{name}' is a place, declare it as a [[region]]"
    )


@pytest.mark.parametrize("declared", [False, True], ids=["regions-from-data", "declared"])
@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_of_totals_is_refused(
    tmp_path: Path, backend: str, in_place: bool, declared: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    if declared:
        first = '[[source]]\nid = "register_pmks"'
        edit(folder, first, REGIONS + first)
    assert evaluate(folder, backend, in_place, monkeypatch) == "3"  # Labuan's 3
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,JUMLAH,3")
    assert evaluate(folder, backend, in_place, monkeypatch) == (
        "realisasi.csv, row 6, column 'kecamatan': " + refusal("JUMLAH")
    )


@pytest.mark.parametrize(
    "name",
    [
        *("Total", "Jml. Kecamatan", "Sub Total", "grand total", "Rekap", "REKAPITULASI"),
        *("Semua Kecamatan", "Seluruh Kecamatan", "Σ", "Kabupaten", "Kab. Pandeglang"),
        *("Kab/Kota", "Kota"),
    ],
)
def test_each_way_of_titling_totals_is_known(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    add_row(folder, "layanan.csv", f"3601000000000001,1.06.04.2.01.0003,{name},2026-01-10")
    assert evaluate(folder, "duckdb", False, monkeypatch) == (
        "layanan.csv, row 8, column 'kecamatan': " + refusal(name)
    )


def test_a_place_whose_name_only_begins_like_a_total_is_a_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,Totaliang,2")
    assert evaluate(folder, "duckdb", False, monkeypatch) == "5"  # 3 in Labuan, 2 there


def test_the_office_s_own_area_is_a_row_of_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # [office] region = "Kota Serang": a row of KOTA SERANG repeats the kecamatan's numbers
    # (3 in Labuan): the city would count 6
    folder = office(tmp_path)
    edit(folder, 'name = "Dinas Mini"', 'name = "Dinas Mini"\nregion = "Kota Serang"')
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,KOTA SERANG,3")
    assert evaluate(folder, "duckdb", False, monkeypatch) == (
        "realisasi.csv, row 6, column 'kecamatan': " + refusal("KOTA SERANG")
    )


@pytest.mark.parametrize("name", ["Kota Baru", "Semuara", "Kabandungan"])
def test_a_place_named_like_a_town_is_a_place(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    add_row(folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,{name},2")
    assert evaluate(folder, "duckdb", False, monkeypatch) == "5"  # 3 in Labuan, 2 there
