"""Exports pasted together: a realisasi row pasted twice, once from an export that pads its
cells with spaces, is one key written twice and never two rows to add up, on every backend.

The office is tests/fixtures/mini: ``alat-bantu-orang`` is its realisasi (Labuan 3 in
2026-TW1, Labuan 2.5 in TW2, Carita 4 in TW3), rows of sub kegiatan ``1.06.04.2.01.0003``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, office, read_in_place

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


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_rows_of_two_sub_kegiatan_are_still_added_up(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A row of another sub kegiatan for Labuan in TW1 is a number of its own: 3 + 2 = 5.
    value, code, _reason = _labuan_tw1(
        tmp_path,
        "1.06.04.2.01.0001,alat-bantu-orang,2026-TW1,Labuan,2",
        backend,
        in_place,
        monkeypatch,
    )
    assert (value, code) == (Decimal(5), None)
