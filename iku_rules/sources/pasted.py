"""Rows pasted a second time into one data file: an export appended twice, a whole file
copied below itself. Summed, each row of the copy counts twice (Ani, Budi, Citra, then the
same three again: 6 services for 3), so the file is refused, naming the rows of the copy,
the rows they repeat and the fix.

The rule: three consecutive rows, all three different from one another, that appear again
further down, in the same order, every cell equal (all the cells of the row, declared or
not, as the file holds them). The copy is then every row from there that goes on repeating
the rows after the original, one for one.

* Why not one row: two identical rows may be real (two identical services to one person on
  one day), and so may two pairs.
* Why three *different* rows: a run of identical rows (six identical services in a table
  without names) repeats itself at every shift and says nothing of a paste; three rows that
  differ, with their names and dates, repeated in the same order, are not what an office
  records twice. Requiring them different also keeps the copy from overlapping its
  original.
* Why consecutive: a paste copies a block; the same rows scattered over the file are rows
  that happen to be alike.

Rows are compared by a hash of their cells (Python's 64-bit hash): one tuple hashed per row
and, for the triples of different rows, one more hash and a dictionary entry. Two different
triples hashing alike in one file (about one chance in 10^8 for half a million rows) would
refuse a file wrongly, never sum one wrongly.

Database tables (SQLite, DuckDB files, PostgreSQL, Spark) have no order of rows, so no
block can be said to follow another there: they are not checked. DuckDB reading a CSV file
in place finds the files that may hold a copy (:func:`may_repeat`) in its validating pass
and hands those whose hashes in order hold one (:func:`repeated_block`) to the reader,
which refuses them with this message.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import count
from typing import Any, TypeVar

from iku_rules.i18n import _
from iku_rules.sources.layout import _Place

R = TypeVar("R")

BLOCK = 3
"""The fewest consecutive rows, all different, repeated that make a copy."""


def may_repeat(rows: int, distinct: int) -> bool:
    """Whether a file of ``rows`` rows of which ``distinct`` differ may hold a copy: a copy
    repeats at least :data:`BLOCK` different rows, so at least that many rows are not
    distinct."""
    return rows - distinct >= BLOCK


class PastedCheck:
    """The rows of one file seen in order (:meth:`see`), refused at the end of a copy."""

    def __init__(self, place: _Place | None) -> None:
        self.place = place
        self.hashes = array("q")
        self.numbers = array("q")
        self.first: dict[int, int] = {}
        """Each triple of different rows, by its hash: the index of its first row."""
        self.copy: tuple[int, int, int] | None = None
        """The copy found so far: its first row's index, its original's, its length."""

    def see(self, number: int, cells: Sequence[object]) -> None:
        """Note the row ``number`` (as a person counts it) holding ``cells``."""
        self.see_hash(number, hash(tuple(cells)))

    def see_hash(self, number: int, row: int) -> None:
        """Note the row ``number`` whose cells hash to ``row``."""
        hashes = self.hashes
        index = len(hashes)
        hashes.append(row)
        self.numbers.append(number)
        if self.copy is not None:
            start, origin, length = self.copy
            if origin + length < start and hashes[origin + length] == row:
                self.copy = (start, origin, length + 1)
                return
            self.refuse()
        if index < BLOCK - 1:
            return
        before, last = hashes[index - 2], hashes[index - 1]
        if before in (last, row) or last == row:
            return
        first = self.first.setdefault(hash((before, last, row)), index)
        if first != index:
            self.copy = (index - 2, first - 2, 3)

    def found(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The first and last row numbers of the copy and of its original, once found."""
        if self.copy is None:
            return None
        start, origin, length = self.copy
        numbers = self.numbers
        return (
            (numbers[start], numbers[start + length - 1]),
            (numbers[origin], numbers[origin + length - 1]),
        )

    def end(self) -> None:
        """Refuse the file when the rows seen end within a copy."""
        if self.copy is not None:
            self.refuse()

    def refuse(self) -> None:
        found = self.found()
        assert found is not None and self.place is not None
        (copy_first, copy_last), (first, last) = found
        copy = _("rows {first}–{last}").format(first=copy_first, last=copy_last)
        raise self.place.error(
            _(
                "{copy} repeat {original} row for row, every cell equal: the same rows"
                " pasted a second time (an export appended twice?), which would count each"
                " of them twice; delete the copy, {copy}"
            ).format(copy=copy, original=_("rows {first}–{last}").format(first=first, last=last)),
            row=copy_first,
        )


def unpasted(rows: Sequence[R], cells: Callable[[R], tuple[object, ...]]) -> tuple[R, ...]:
    """``rows`` without each row that would end a copy, ``cells`` giving a row's cells as the
    file holds them: no :data:`BLOCK` different rows in a row twice, so that the reader reads
    what a maker of test data writes (:mod:`iku_rules.testing` draws rows one filter at a
    time, and two filters passed by the same rows in every place gave the same block twice).

    >>> unpasted([1, 2, 3, 1, 2, 3, 4], lambda row: (row,))
    (1, 2, 3, 1, 2, 4)
    """
    kept: list[R] = []
    hashes: list[int] = []
    triples: set[int] = set()
    for row in rows:
        row_hash = hash(cells(row))
        if len(hashes) >= BLOCK - 1:
            before, last = hashes[-2], hashes[-1]
            if before not in (last, row_hash) and last != row_hash:
                triple = hash((before, last, row_hash))
                if triple in triples:
                    continue
                triples.add(triple)
        kept.append(row)
        hashes.append(row_hash)
    return tuple(kept)


_SIGN = 1 << 63


def repeated_block(rows: Iterable[tuple[int, int]]) -> bool:
    """Whether rows numbered in the file's order and hashed by their cells, ``(number,
    hash)``, hold a copy. Only the rows that appear twice or more need be given (a copy and
    its original are made of them): where the numbers skip, a hash met nowhere else stands
    for the rows left out, so no three rows around a gap are taken for three in a row."""
    check = PastedCheck(None)
    index, last, gaps = 0, None, count(start=-(1 << 63), step=1)
    for number, row in rows:
        if last is not None and number != last + 1:
            check.see_hash(index, next(gaps))  # met once: as like a row's as two rows' are
            index += 1
        check.see_hash(index, (row ^ _SIGN) - _SIGN)  # DuckDB's UBIGINT as a signed one
        index, last = index + 1, number
        if check.copy is not None:
            return True
    return False


def _row_hash(columns: Sequence[str]) -> Any:
    from sqlglot import exp  # the reader, which imports this module, needs no SQL

    return exp.Anonymous(
        this="hash", expressions=[exp.column(name, quoted=True) for name in columns]
    )


def row_counts(columns: Sequence[str]) -> list[Any]:
    """The rows of a relation of ``columns`` and its distinct rows (by their hash), to fold
    into a pass over it: together, :func:`may_repeat`."""
    from sqlglot import exp

    distinct = exp.Distinct(expressions=[_row_hash(columns)])
    return [exp.Count(this=exp.Star()), exp.Count(this=distinct)]


def repeated_in(connection: Any, relation: Any, columns: Sequence[str]) -> bool:
    """Whether the rows of ``relation`` (a sqlglot expression a select reads from, in the
    file's order: DuckDB keeps the order a CSV file is read in, and numbers its rows so)
    hold a copy, compared by the hash of their ``columns``. Only the rows whose hash
    appears twice or more come back to Python, numbered: a file of five million rows ten of
    which are alike hands over twenty, where every row's hash took seconds."""
    from sqlglot import exp

    numbered = exp.select(
        exp.alias_(_row_hash(columns), "h", quoted=True),
        exp.alias_(exp.Window(this=exp.RowNumber()), "n", quoted=True),
    ).from_(relation.copy())
    twice = (
        exp.select(exp.column("h", quoted=True))
        .from_(exp.table_("numbered", quoted=True))
        .group_by(exp.column("h", quoted=True))
        .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
    )
    select = (
        exp.select(exp.column("n", quoted=True), exp.column("h", quoted=True))
        .from_(exp.table_("numbered", quoted=True))
        .where(exp.column("h", quoted=True).isin(query=twice))
        .order_by(exp.column("n", quoted=True))
        .with_(exp.to_identifier("numbered", quoted=True), as_=numbered)
    )
    return repeated_block(connection.execute(select.sql(dialect="duckdb")).fetchall())
