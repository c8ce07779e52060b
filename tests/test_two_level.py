"""The measures counted in two levels (one row per person and place, then counts) give the
tallies of the pure-Python backend on every SQL engine, for one period and for several in
one statement: every count of rows, not only the distinct values, with NULL identifiers,
rows matching no filter, a kecamatan with rows only outside the period, states and flows
in one source, each entity's latest record, four triwulan and their year."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_rules import ast
from iku_rules.measures import MeasureSpec, Tally
from iku_rules.model import Source
from iku_rules.periods import Period
from iku_rules.sources.base import Backend, GroupKey
from iku_rules.sources.csv_file import write_csv
from iku_rules.sources.python_engine import PythonBackend
from iku_rules.sources.sql_backend import DuckDBBackend
from iku_rules.sources.sqlite_backend import SQLiteBackend
from iku_rules.timegrain import Latest

SOURCE = Source(
    "daftar",
    "register",
    "csv",
    "daftar.csv",
    date_column="tanggal",
    region_column="kecamatan",
    regions={"kecamatan": "kecamatan"},
    columns={
        "nik": "text",
        "kecamatan": "text",
        "kategori": "text",
        "jumlah": "decimal",
        "tanggal": "date",
    },
)
KATEGORI = ast.Name("kategori")


def _is(*values: str) -> ast.Node:
    return ast.In(KATEGORI, tuple(ast.Text(value) for value in values))


def _spec(key: str, aggregate: Any, **fields: Any) -> MeasureSpec:
    return MeasureSpec(key, key, SOURCE, aggregate, **fields)


DATED = (
    _spec("people", "count_distinct", column="nik"),
    _spec("fakir", "count_distinct", column="nik", condition=_is("Fakir")),
    _spec("served", "count_distinct", column="nik", condition=_is("Fakir", "Anak"), time="flow"),
    _spec("nobody", "count_distinct", column="nik", condition=_is("Tidak Ada")),
    _spec("rows", "count", time="flow"),
    _spec("with_jumlah", "count", column="jumlah"),
    _spec("with_nik", "count", column="nik", time="flow"),
    _spec("total", "sum", column="jumlah", condition=_is("Anak"), time="flow"),
    _spec("mean", "avg", column="jumlah"),
    _spec("smallest", "min", column="jumlah"),
    _spec("largest", "max", column="jumlah", time="flow"),
)
"""Every distinct count reads ``nik``: two levels for one period, and for several the
parts that join each row to few periods (people of states by their first date)."""
SPECS = (*DATED, _spec("latest", "count_distinct", column="nik", latest=Latest("nik", "tanggal")))
"""With ``terakhir``: two levels, for several periods every row joined to every period."""
SEVERAL_COLUMNS = (*SPECS, _spec("kinds", "count_distinct", column="kategori"))
"""Distinct counts of two columns: one level."""
CASES = [
    (DATED, ("groups", "parts")),
    (SPECS, ("groups", "groups")),
    (SEVERAL_COLUMNS, ("one", "one")),
]
"""The form of the statements for one period and for several."""


def _form(sql: str) -> str:
    return "parts" if '"iku parts"' in sql else "groups" if '"iku groups"' in sql else "one"


PERIODS = [
    Period.parse(label) for label in ("2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4", "2026")
]
GROUPINGS = [(), ("kecamatan",)]

EDGES = [
    day
    for period in PERIODS
    for day in (period.start, period.end, period.start - timedelta(1), period.end + timedelta(1))
]
"""The first and last days of the periods, and the days either side."""
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "nik": st.one_of(st.none(), st.integers(1, 12).map(str)),
            # "Cikeusik" only before 2026: a kecamatan with rows outside every period
            "kecamatan": st.sampled_from(["Labuan", "Menes", None]),
            "kategori": st.sampled_from(["Fakir", "Anak", "Lansia", None]),
            "jumlah": st.one_of(
                st.none(), st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False)
            ),
            "tanggal": st.one_of(
                st.none(),
                st.sampled_from(EDGES),
                st.dates(min_value=date(2025, 11, 1), max_value=date(2027, 1, 31)),
            ),
        }
    ).filter(lambda row: any(value is not None for value in row.values())),
    # a row of empty cells is no row of the register: the reader refuses a row after it
    max_size=30,
)
OUTSIDE = {
    "nik": "99",
    "kecamatan": "Cikeusik",
    "kategori": "Fakir",
    "jumlah": Decimal(1),
    "tanggal": date(2027, 2, 1),
}


def _tallies(groups: dict[GroupKey, dict[str, Tally]]) -> dict[GroupKey, dict[str, Tally]]:
    """The groups with a row in a period's window (SQL leaves out the others, but for the
    whole area, which it answers with zeros)."""
    return {
        key: tallies
        for key, tallies in groups.items()
        if any(tally.window for tally in tallies.values())
    }


def _answers(backend: Backend, specs: tuple[MeasureSpec, ...]) -> list[Any]:
    one_by_one = [
        _tallies(backend.measures(SOURCE, specs, period, GROUPINGS).groups) for period in PERIODS
    ]
    at_once = [
        _tallies(answer.groups)
        for answer in backend.measures_many(SOURCE, specs, PERIODS, GROUPINGS)
    ]
    assert at_once == one_by_one
    return one_by_one


@settings(max_examples=40, deadline=None)
@given(rows=ROWS)
def test_two_levels_give_every_tally_of_the_python_backend(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        write_csv(data / SOURCE.path, list(SOURCE.columns), [*rows, OUTSIDE])
        for specs, form in CASES:
            expected = _answers(PythonBackend([SOURCE], data), specs)
            for kind in (DuckDBBackend, SQLiteBackend):
                backend = kind([SOURCE], data)
                try:
                    assert _answers(backend, specs) == expected, kind.name
                    forms = (_form(backend.queries[0].sql), _form(backend.queries[-1].sql))
                    assert forms == form
                finally:
                    backend.close()


@pytest.mark.parametrize("specs", [DATED, SPECS], ids=["first dates", "joined"])
def test_the_counts_of_rows_are_kept_beside_the_distinct_people(
    specs: tuple[MeasureSpec, ...],
) -> None:
    """GIVEN NIK 1 served twice in TW1 and once in TW2, a service without a NIK in TW1, and
    a NIK 2 registered as "Lansia" in 2025 (before every period)."""
    rows = [
        {"nik": "1", "kecamatan": "Labuan", "kategori": "Fakir", "tanggal": date(2026, 1, 5)},
        {"nik": "1", "kecamatan": "Labuan", "kategori": "Fakir", "tanggal": date(2026, 2, 5)},
        {"nik": None, "kecamatan": "Labuan", "kategori": "Anak", "tanggal": date(2026, 3, 5)},
        {"nik": "1", "kecamatan": "Menes", "kategori": "Anak", "tanggal": date(2026, 5, 5)},
        {"nik": "2", "kecamatan": "Menes", "kategori": "Lansia", "tanggal": date(2025, 12, 1)},
    ]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        write_csv(data / SOURCE.path, list(SOURCE.columns), rows)
        backend = DuckDBBackend([SOURCE], data)
        try:
            tw1, tw2, *_, year = backend.measures_many(SOURCE, specs, PERIODS, GROUPINGS)
        finally:
            backend.close()
    whole = (0, ())
    # TW1, state: the rows on or before 31 March are 1 (2025), 3 in 2026 = 4 in the window;
    # people: NIK 1 and 2 (the row without a NIK counts as a row, not as a person)
    assert tw1.groups[whole]["people"] == Tally(4, 4, 3, Decimal(2))
    # fakir: the two rows of NIK 1 (both with a NIK), one person
    assert tw1.groups[whole]["fakir"] == Tally(4, 2, 2, Decimal(1))
    # served (flow, Fakir or Anak, TW1): the three 2026 rows of TW1, one person with a NIK
    assert tw1.groups[whole]["served"] == Tally(3, 3, 2, Decimal(1))
    assert tw1.groups[whole]["nobody"] == Tally(4, 0, 0, Decimal(0))
    # TW2 in Menes: NIK 2 (state, 2025) and NIK 1's service in May
    menes = (1, ("Menes",))
    assert tw2.groups[menes]["people"] == Tally(2, 2, 2, Decimal(2))
    assert tw2.groups[menes]["served"] == Tally(1, 1, 1, Decimal(1))
    # the year: 5 rows, NIK 1 and 2; every row with no jumlah
    assert year.groups[whole]["people"] == Tally(5, 5, 4, Decimal(2))
    assert year.groups[whole]["with_jumlah"] == Tally(5, 5, 0, Decimal(5))
    assert year.groups[whole]["total"] == Tally(4, 2, 0, None)
