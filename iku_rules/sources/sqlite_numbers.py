"""Numbers in SQLite, kept exact: stored as text in one canonical spelling
(:func:`sqlite_number`), ordered by the collation :data:`SQLITE_COLLATION` and summed by
exact aggregates (:func:`register_sqlite_functions`), since SQLite's own REAL and INTEGER
lose digits and overflow."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from decimal import Decimal

from iku_rules.decimals import CONTEXT, round_half_away
from iku_rules.limits import STORED_DECIMALS

SQLITE_COLLATION = "iku_number"
"""The SQLite collation that orders numbers stored as text by their value."""
SQLITE_AGGREGATES = {"sum": "iku_sum", "min": "iku_min", "max": "iku_max"}
"""The SQLite aggregates over numbers stored as text, exact (see :func:`register_sqlite_functions`)."""


def sqlite_number(value: int | Decimal) -> str:
    """A number as SQLite stores it: rounded to 6 decimals, without trailing zeros or an
    exponent, so that equal numbers are equal texts.

    >>> sqlite_number(Decimal("1.5000000")), sqlite_number(Decimal("-0.0000001")), sqlite_number(10**20)
    ('1.5', '0', '100000000000000000000')
    """
    if isinstance(value, int):
        return str(value)
    rounded = round_half_away(value, STORED_DECIMALS)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _compare_numbers(left: str, right: str) -> int:
    first, second = Decimal(left), Decimal(right)
    return (first > second) - (first < second)


class _Fold:
    """An SQLite aggregate over numbers stored as text: exact sum, smallest or largest
    (NULL when no row has a value, as SQL's own)."""

    pick: Callable[[Decimal, Decimal], Decimal] = staticmethod(CONTEXT.add)

    def __init__(self) -> None:
        self.value: Decimal | None = None

    def step(self, cell: str | int | None) -> None:
        if cell is None:
            return
        number = Decimal(cell)
        self.value = number if self.value is None else self.pick(self.value, number)

    def finalize(self) -> str | None:
        return None if self.value is None else format(self.value, "f")


class _Smallest(_Fold):
    pick = staticmethod(min)


class _Largest(_Fold):
    pick = staticmethod(max)


def register_sqlite_functions(connection: sqlite3.Connection) -> None:
    """Give an SQLite connection what the statements for it use: the collation
    :data:`SQLITE_COLLATION` and the aggregates :data:`SQLITE_AGGREGATES`."""
    connection.create_collation(SQLITE_COLLATION, _compare_numbers)
    for name, aggregate in zip(
        SQLITE_AGGREGATES.values(), (_Fold, _Smallest, _Largest), strict=True
    ):
        # typeshed expects aggregates of integers only; sqlite3 takes any value
        connection.create_aggregate(name, 1, aggregate)  # type: ignore[arg-type]
