"""The names of a sheet's columns standing below its first row holding values: a title
above the table (``DATA PENERIMA 2026``, often merged across the table), or a heading over
the names (a merged ``Realisasi`` over ``TW1 | TW2 | TW3 | TW4``). The first row holding
values is read as the names, and lacks them; the message says where they are."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from iku_rules.i18n import _
from iku_rules.sources.cells import _text

LOOKED = 20
"""The rows below the first looked at for the names (a title and a heading are short)."""


def names_below(rows: Iterator[tuple[int, Sequence[Any]]], columns: Sequence[str]) -> int | None:
    """The number of the first of ``rows`` (numbered cells, as the sheet goes on below the
    row read as the names) whose cells name every one of ``columns`` (ignoring case and
    surrounding spaces), or None."""
    wanted = {column.strip().casefold() for column in columns}
    for number, cells in itertools.islice(rows, LOOKED):
        names = {_text(cell.value).strip().casefold() for cell in cells if cell.value is not None}
        if wanted <= names:
            return number
    return None


def names_lower(first: int, row: int) -> str:
    """The message of a sheet whose first row holding values is row ``first`` and whose
    names of the columns are in row ``row`` below it."""
    return _(
        "the first row holding values, row {first}, is read as the names of the columns, but"
        " they are in row {row} (a title or a heading above them?): delete the rows above"
        " row {row}, or move what they hold to another sheet, so that the names of the"
        " columns come first"
    ).format(first=first, row=row)
