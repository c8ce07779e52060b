"""``iku eval``'s listing heads each region's results with its level's name as the office
declares it (``[[level]] name = "Desa/Kelurahan"``), as the report's tables do, never the
level's id (``desa Cibening Wetan``); an undeclared level, read from a source's column, is
its id as a title word (``Kecamatan``)."""

from __future__ import annotations

from helpers import ROOT, run

DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"
MINI = ROOT / "tests" / "fixtures" / "mini"


def _headings(text: str) -> list[str]:
    return [line for line in text.splitlines()[1:] if line and not line.startswith(" ")]


def test_a_declared_level_heads_its_regions_by_its_name() -> None:
    args = ("eval", str(DINKES), "--data", str(DATA), "--period", "2026", "--by", "desa")
    status, text = run("--lang", "en", *args)
    assert status == 0
    headings = _headings(text)
    assert headings[0] == "Kabupaten (all regions)"
    assert headings[1:] and all(h.startswith("Desa/Kelurahan ") for h in headings[1:]), headings
    assert "Desa/Kelurahan Cibening Wetan" in headings


def test_an_undeclared_level_heads_its_regions_as_a_title() -> None:
    # The small office declares no [[level]]: its kecamatan come from the sources' column.
    args = ("eval", str(MINI), "--data", str(MINI), "--period", "2026", "--by", "kecamatan")
    status, text = run("--lang", "en", *args)
    assert status == 0
    headings = _headings(text)[1:]
    assert headings and all(h.startswith("Kecamatan ") for h in headings), headings
