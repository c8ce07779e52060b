"""``iku eval --format csv`` writes each distinct text once quoted (:func:`write_csv`): its
bytes must be exactly those of :class:`csv.writer` over every cell made safe to open."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iku_rules.output import cell_text, write_csv
from iku_rules.reasons import Reason
from iku_rules.spreadsheet import safe_cell

# texts that csv.writer quotes or that a spreadsheet would run, and plain ones
_PIECES = st.sampled_from(
    ["", " ", ",", '"', "\n", "\r", "=", "+", "-", "@", "\t", "'", ";", "1.5", "-2", "Σ", "Ani"]
)
_TEXT = st.lists(_PIECES, max_size=4).map("".join) | st.text(max_size=6)
_CELL = st.one_of(
    st.none(),
    st.booleans(),
    _TEXT,
    _TEXT.map(lambda text: Reason(text, "not-available")),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from([Decimal("1.0"), Decimal("1"), Decimal("-0"), Decimal("1E+3")]),
    st.just([Decimal(80), Decimal("90.5")]),
    st.just({"threshold": "<=", "value": Decimal(70)}),
)


def _by_csv_writer(rows: list[dict[str, Any]], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([safe_cell(cell_text(row[key])) for key in fields] for row in rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    fields=st.lists(_TEXT, min_size=1, max_size=5, unique=True),
    cells=st.lists(st.lists(_CELL, min_size=5, max_size=5), max_size=4),
)
def test_the_same_bytes_as_csv_writer(fields: list[str], cells: list[list[Any]]) -> None:
    rows = [dict(zip(fields, row, strict=False)) for row in cells]
    out = io.StringIO()
    write_csv(rows, out, fields)
    assert out.getvalue() == _by_csv_writer(rows, fields)


def test_a_text_repeated_in_every_row_is_written_the_same_in_each() -> None:
    # the second and third rows take the quoted text kept from the first
    rows = [{"id": "=HYPERLINK(1)", "name": 'Ani, "Budi"', "value": None}] * 3
    out = io.StringIO()
    write_csv(rows, out, ["id", "name", "value"])
    line = '\'=HYPERLINK(1),"Ani, ""Budi""",\n'
    assert out.getvalue() == "id,name,value\n" + line * 3
