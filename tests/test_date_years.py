"""A date in a year no register holds is refused at its row, on every backend: ``0026``
(2026 typed short) would put a row of a state register in every period, ``2569`` (2026 in
the Buddhist calendar) in none. The years allowed are those of plans and targets
(iku_rules.limits: 1900 to 2200).

The office is the small one of tests/fixtures/mini: five PMKS registered by the end of
2026, two of them Anak Terlantar (anak-share 2 / 5 × 100 = 40)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, office, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.limits import MAX_YEAR, MIN_YEAR
from iku_rules.sources.cells import DataError, convert
from iku_rules.sources.sql_cells import YEAR


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize(("written", "year"), [("0026-05-01", 26), ("01/05/2569", 2569)])
def test_a_date_in_a_year_out_of_range_is_refused(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    written: str,
    year: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read, an Anak Terlantar dated 0026 counts at the end of 2025 and 2026 alike: 3 of 6.
    folder = office(tmp_path)
    add_row(folder, "register_pmks.csv", f"3601000000000009,Labuan,Anak Terlantar,{written}")
    read_in_place(monkeypatch, in_place)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(caught.value) == (
        f"register_pmks.csv, row 8, column 'tanggal': '{written}' is a date in the year"
        f" {year}, outside 1900–2200: a year typed short (0026 for 2026) or in another"
        " calendar (2569 in the Buddhist one); write the year in full, in the Gregorian"
        " calendar"
    )


def test_the_years_sql_types_are_those_the_reader_reads() -> None:
    for year in (1, 26, 999, 1899, 1900, 2026, 2199, 2200, 2201, 2569, 9999):
        inside = MIN_YEAR <= year <= MAX_YEAR
        assert bool(re.fullmatch(YEAR, f"{year:04d}")) == inside, year
        if inside:
            assert convert(f"{year:04d}-01-31", "date") == dt.date(year, 1, 31)
        else:
            with pytest.raises(ValueError, match="outside 1900–2200"):
                convert(f"{year:04d}-01-31", "date")
