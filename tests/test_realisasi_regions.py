"""The realisasi of an indicator per region over a year to date: each region's Σ nilai, what
each triwulan reported in the period's order (whatever the order of the rows), and why a
region has none, the same on every backend.

The office is the small one of tests/fixtures/mini (realisasi.csv: Labuan reported 3 alat
bantu in 2026-TW1 and 2.5 in TW2, Carita 4 in 2026-TW3 and 7 in 2025-TW4); the tests add
rows after those, and declare the kecamatan Labuan, Carita and Menes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import MISSING_VALUES, NO_REALISASI, ROWS_DISAGREE, code_of
from iku_rules.results import RealisasiUse

REGIONS = '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n' + "".join(
    f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
    for name in ("Labuan", "Carita", "Menes")
)


def reported(
    tmp_path: Path, row: str, backend: str, in_place: bool, mp: pytest.MonkeyPatch
) -> dict[str | None, RealisasiUse]:
    """The realisasi of alat bantu in 2026-sd-TW3 for the area (None) and each kecamatan,
    with a row of alat bantu added to realisasi.csv (``row``: its periode, kecamatan and
    nilai)."""
    folder = office(tmp_path)
    first = '[[source]]\nid = "register_pmks"'
    edit(folder, first, REGIONS + first)
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang," + row)
    read_in_place(mp, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate("2026-sd-TW3", by="kecamatan")
    found = {}
    for region in (None, "Labuan", "Carita", "Menes"):
        use = evaluation.get("alat-bantu-orang", region).realisasi
        assert use is not None
        found[region] = use
    return found


def quarters(*values: tuple[int, str | None]) -> tuple[tuple[str, Decimal | None], ...]:
    return tuple((f"2026-TW{q}", None if value is None else Decimal(value)) for q, value in values)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_each_region_has_its_sum_and_its_triwulan_in_order(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Carita's 2026-TW1 comes after its TW3 in the file: listed first all the same.
    found = reported(tmp_path, "2026-TW1,Carita,1", backend, in_place, monkeypatch)
    area, labuan, carita, menes = found[None], found["Labuan"], found["Carita"], found["Menes"]
    # The kabupaten: TW1 3 + 1 = 4, TW2 2.5, TW3 4; Σ 10.5 over 4 rows (2025-TW4 is not in).
    assert (area.value, area.reason, area.rows) == (Decimal("10.5"), None, 4)
    assert area.by_triwulan == quarters((1, "4"), (2, "2.5"), (3, "4"))
    # Labuan: 3 + 2.5 = 5.5; Carita: 1 + 4 = 5.
    assert (labuan.value, labuan.rows, labuan.by_triwulan) == (
        Decimal("5.5"),
        2,
        quarters((1, "3"), (2, "2.5")),
    )
    assert (carita.value, carita.rows, carita.by_triwulan) == (
        Decimal("5"),
        2,
        quarters((1, "1"), (3, "4")),
    )
    # Menes reported nothing: no value (never 0), and why.
    assert (menes.value, menes.rows, menes.by_triwulan) == (None, 0, ())
    assert code_of(menes.reason) == NO_REALISASI
    assert (
        menes.reason
        == "no realisasi reported for alat-bantu-orang in 2026-sd-TW3 in kecamatan Menes"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_without_nilai_leaves_its_region_and_the_area_without_a_value(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = reported(tmp_path, "2026-TW2,Carita,", backend, in_place, monkeypatch)
    carita, area, labuan = found["Carita"], found[None], found["Labuan"]
    # Carita's 2026 rows: TW3 4 and TW2 empty; its Σ is not 4 but not available.
    assert (carita.value, carita.rows, code_of(carita.reason)) == (None, 2, MISSING_VALUES)
    assert carita.reason == (
        "1 realisasi rows of alat-bantu-orang have no nilai in 2026-sd-TW3 in kecamatan Carita"
    )
    assert carita.by_triwulan == quarters((2, None), (3, "4"))
    # The kabupaten counts Carita's empty row too; Labuan keeps its 5.5.
    assert (area.value, area.rows, code_of(area.reason)) == (None, 4, MISSING_VALUES)
    assert (labuan.value, labuan.reason) == (Decimal("5.5"), None)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_of_no_kecamatan_that_differs_from_its_kecamatan_is_not_available(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = reported(tmp_path, "2026-TW2,,6", backend, in_place, monkeypatch)
    area = found[None]
    # TW2's row for the whole kabupaten, 6, beside Labuan's 2.5: a total that disagrees, or
    # work of the kabupaten's own to add (8.5)? The table does not say: not available, and
    # TW2 gives no value (TW1 3, TW3 4); the kecamatan keep theirs.
    assert (area.value, area.rows, code_of(area.reason)) == (None, 4, ROWS_DISAGREE)
    assert area.by_triwulan == quarters((1, "3"), (2, None), (3, "4"))
    assert [found[name].value for name in ("Labuan", "Carita", "Menes")] == [
        Decimal("5.5"),
        Decimal("4"),
        None,
    ]
