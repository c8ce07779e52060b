"""A name with an accent reads the same whether the accent is one character (``é``,
U+00E9) or a letter and a combining accent (``e`` and U+0301), as text pasted from another
program often writes it: they print alike, and Unicode holds them equal (NFC). Grouped by
the bytes as written, one kecamatan Cibéning was two, each with part of its rows (3 and 5
side by side, where the kecamatan had 8), in silence. They are now one region, on every
backend, whether its names are declared or taken from the data.

The office is tests/fixtures/mini (:func:`helpers.office`)."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place

from iku_rules.engine import Engine

COMPOSED = "Cib\u00e9ning"
APART = unicodedata.normalize("NFD", COMPOSED)


def _office(tmp_path: Path) -> Path:
    # Two realisasi rows of one indicator in Cibéning: 3 in TW3 written with é as one
    # character, 5 in TW4 with e and a combining accent. (A row of its sub kegiatan's code
    # under two kecamatan spellings in one triwulan would be one key written twice.)
    folder = office(tmp_path)
    add_row(folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,2026-TW3,{COMPOSED},3")
    add_row(folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,2026-TW4,{APART},5")
    return folder


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_one_kecamatan_however_its_accent_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = _office(tmp_path)
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026", by="kecamatan")
    assert COMPOSED in evaluation.regions and APART not in evaluation.regions
    assert evaluation.get("alat-bantu-orang", COMPOSED).value == Decimal(8)  # 3 + 5
    # the fixture's Labuan 3 and 2,5 and Carita 4, with Cibéning's 8: 17,5
    assert evaluation.get("alat-bantu-orang").value == Decimal("17.5")


def test_a_declared_kecamatan_matches_either_way(tmp_path: Path) -> None:
    folder = _office(tmp_path)
    edit(
        folder,
        "[[visi]]",
        '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n'
        + "".join(
            f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
            for name in ("Labuan", "Carita", "Menes", APART)
        )
        + "[[visi]]",
    )
    evaluation = Engine(folder, folder).evaluate("2026", by="kecamatan")
    assert evaluation.get("alat-bantu-orang", APART).value == Decimal(8)  # 3 + 5
