"""Numbers in SQLite, kept exact: stored as text in one canonical spelling
(:func:`sqlite_number`), compared by the function :data:`SQLITE_COMPARE` and summed by
exact aggregates (:func:`register_sqlite_functions`), since SQLite's own REAL and INTEGER
lose digits and overflow.

A comparison is a function, never a ``COLLATE`` on its operand: SQLite gives an expression
the collation of any ``COLLATE`` inside it, so ``COUNT(DISTINCT CASE WHEN qty COLLATE
iku_number >= '60' THEN nik END)`` would compare the NIKs by that collation too (``7`` and
``007`` one person, ``A2`` an error)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from decimal import Decimal

from iku_rules.decimals import CONTEXT, round_half_away
from iku_rules.limits import STORED_DECIMALS

SQLITE_COLLATION = "iku_number"
"""The SQLite collation that orders numbers stored as text by their value."""
SQLITE_COMPARE = "iku_compare"
"""The SQLite function comparing two numbers stored as text by their value: -1, 0 or 1,
NULL when either is NULL (so a comparison with it is unknown, as SQL's own)."""
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


def _compare_or_null(left: str | int | None, right: str | int | None) -> int | None:
    if left is None or right is None:
        return None
    return _compare_numbers(str(left), str(right))


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
    """Give an SQLite connection what the statements for it use: the function
    :data:`SQLITE_COMPARE`, the collation :data:`SQLITE_COLLATION` (ordering numbers
    stored as text) and the aggregates :data:`SQLITE_AGGREGATES`."""
    connection.create_collation(SQLITE_COLLATION, _compare_numbers)
    connection.create_function(SQLITE_COMPARE, 2, _compare_or_null, deterministic=True)
    for name, aggregate in zip(
        SQLITE_AGGREGATES.values(), (_Fold, _Smallest, _Largest), strict=True
    ):
        # typeshed expects aggregates of integers only; sqlite3 takes any value
        connection.create_aggregate(name, 1, aggregate)  # type: ignore[arg-type]
