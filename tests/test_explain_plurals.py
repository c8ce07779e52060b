"""Explanations count rows in English as English counts them: ``1 row``, ``2 rows``
(Indonesian has one form, ``1 baris``, ``2 baris``)."""

from __future__ import annotations

import io
from pathlib import Path

from iku_rules.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"


def explain(indicator: str, period: str, language: str) -> list[str]:
    out = io.StringIO()
    argv = ["--lang", language, "explain", str(MINI), indicator, "--data", str(MINI)]
    assert main([*argv, "--period", period], out=out) == 0
    return [line.strip(" │├└─") for line in out.getvalue().splitlines()]


def test_one_row_is_one_row() -> None:
    # realisasi.csv holds one row of alat-bantu-orang for 2026-TW1 (3 Orang)
    assert "realisasi reported: 1 row (2026-TW1: 3 Orang)" in explain(
        "alat-bantu-orang", "2026-TW1", "en"
    )
    # layanan.csv in 2026-TW3: 2 rows (Carita, 1 July and 1 August), one of them under
    # 1.06.04.2.01.0003, the one part of the filter's sub kegiatan
    lines = explain("iku-tertangani", "2026-TW3", "en")
    assert "by kode_sub_kegiatan: 1 row, 1 distinct nik" in lines
    assert "2 rows in the period, 1 pass the filter, 1 distinct nik" in lines


def test_indonesian_has_one_form() -> None:
    assert "menurut kode_sub_kegiatan: 1 baris, 1 nik berbeda" in explain(
        "iku-tertangani", "2026-TW3", "id"
    )
