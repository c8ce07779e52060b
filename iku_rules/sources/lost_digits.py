"""A column of NIKs (or No KKs) Excel held as numbers: each kept to 15 digits, its 16th
written 0, so that ``3601012345670123`` became ``3601012345670120`` and two people
(``…0121`` and ``…0123``) one. Such a NIK is still 16 digits, and one not ending in
``0000`` passes the check of its cell; what gives the column away is that every NIK in it
ends in 0, where one in ten real ones does.

A column declared ``nik`` or ``no_kk`` holding at least :data:`MIN_DISTINCT` different
identifiers, every one ending in 0, is refused, naming the column and the fix. Among 20
real NIKs, all ending in 0 happens once in 10^20; a smaller register (one with a person
served 20 times counts once) is let through, as its cells are. The readers row by row
look at each row's identifiers only while every one so far ended in 0
(:class:`LostDigitsCheck`: on real data, after a few rows, no more); the SQL readers ask
one aggregate (:func:`may_have_lost`), and send a file it flags to the reader, which
decides; the office's engines (PostgreSQL, Spark) ask it, then count the distinct ones
(:func:`distinct_count`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlglot import exp

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.layout import _Place

MIN_DISTINCT = 20
"""The different identifiers ending in 0, and none other, that refuse a column: among 20
real NIKs all end in 0 once in 10^20 (one in ten does), so no office's register is refused
by chance, and a register of 20 people is small enough to catch most sheets Excel rounded."""

KINDS = ("nik", "no_kk")
"""The identifiers of 16 digits, whose last one Excel's 15 digits drop."""


def lost_columns(source: Source) -> list[str]:
    """The columns of ``source`` declared as identifiers of 16 digits."""
    return [column for column, kind in source.columns.items() if kind in KINDS]


def refusal(source: Source, column: str, count: int) -> str:
    """Why ``column`` of ``source``, whose ``count`` different identifiers all end in 0, is
    refused (different ones: a person served 21 times counts once, as the rule does)."""
    what = _("NIKs") if source.columns[column] == "nik" else _("No KKs")
    return _(
        "all {count} different {what} in the column end in 0, where one in ten does: Excel"
        " held them as numbers, which keep 15 digits, and wrote 0 for the 16th"
        " (3601012345670121 and 3601012345670123 both became 3601012345670120), so different"
        " {what} became one;"
        " format the column as Text in Excel before typing or pasting them, or export them"
        " again from the source system"
    ).format(count=count, what=what)


class LostDigitsCheck:
    """The check of a source's NIK columns as a reader sees its rows one by one: a column is
    looked at only while every identifier in it so far ended in 0 (:meth:`see`), and
    refused at the end (:meth:`end`) when it held :data:`MIN_DISTINCT` different ones."""

    def __init__(self, source: Source, place: _Place) -> None:
        self.source = source
        self.place = place
        self.live = lost_columns(source)
        """The columns whose identifiers so far all end in 0."""
        self.distinct: dict[str, set[str]] = {column: set() for column in self.live}
        """The different identifiers of each live column: kept whole, as the refusal says
        how many (on real data a column leaves :attr:`live` after a few rows)."""

    def see(self, record: Mapping[str, Any]) -> None:
        """Look at one row's typed values (nothing to do once every column has a NIK not
        ending in 0)."""
        for column in self.live:
            value = record[column]
            if value is None:
                continue
            if value[-1] != "0":
                self.live = [other for other in self.live if other != column]
                continue
            self.distinct[column].add(value)

    def end(self) -> None:
        """Refuse the first column whose identifiers all ended in 0, enough of them."""
        for column in self.live:
            if len(self.distinct[column]) >= MIN_DISTINCT:
                raise self.place.error(
                    refusal(self.source, column, len(self.distinct[column])), column=column
                )


def tallies(cells: Sequence[exp.Expr]) -> list[exp.Expr]:
    """Aggregates (of every SQL engine) of each of ``cells`` (a NIK column's typed values,
    NULL when blank): how many it holds, and how many of them do not end in 0."""
    found: list[exp.Expr] = []
    for cell in cells:
        ends_in_zero = exp.Like(this=cell.copy(), expression=exp.Literal.string("%0"))
        other = exp.Case(ifs=[exp.If(this=ends_in_zero, true=exp.Null())], default=cell.copy())
        found += [exp.Count(this=cell.copy()), exp.Count(this=other)]
    return found


def may_have_lost(cells: Sequence[exp.Expr]) -> exp.Expr:
    """An aggregate true when one of ``cells`` (:func:`tallies`) holds :data:`MIN_DISTINCT`
    cells or more, every one ending in 0: the reader then decides, counting the different
    ones."""
    found = tallies(cells)
    flagged = [
        exp.and_(
            exp.GTE(this=count, expression=exp.Literal.number(MIN_DISTINCT)),
            exp.EQ(this=other, expression=exp.Literal.number(0)),
            copy=False,
        )
        for count, other in zip(found[::2], found[1::2], strict=True)
    ]
    return exp.or_(*flagged, copy=False) if flagged else exp.false()


def distinct_count(cell: exp.Expr, table: exp.Expr) -> exp.Select:
    """How many different values ``cell`` of ``table`` holds."""
    return exp.select(exp.Count(this=exp.Distinct(expressions=[cell.copy()]))).from_(table.copy())
