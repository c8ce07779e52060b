"""Rows of totals in a register, told by their title and their numbers: the rule every
backend follows.

Offices keep registers (a staff list, an inventory, a log of services) in a spreadsheet and
end them with a row of totals: ``No,nama,honor`` / ``1,Ani,5`` / ``2,Budi,6`` /
``,JUMLAH,11``. A workbook keeps the total's formula, by which the Excel reader refuses the
row (:mod:`~iku_rules.sources.xlsx_cells`); a CSV file keeps only the numbers, and counted
with the rows above it the row doubles every sum (honor 22 where the register holds 11, 3
pegawai where it holds 2). A date column does not make a register safe: a row of totals
without a date is refused for it, but offices fill a date column down in Excel, and the row
of totals then carries the date of the row above it (``,TOTAL,11,2026-02-05``), counted in
that date's period like a record. Nor does a region column: a row of totals titled in the
region column is refused (:mod:`iku_rules.datanames`), but one titled in another column, its
region left empty, counts for the whole area like any row without a region.

So in a register with a column of numbers, a row is a row of totals, refused at its row,
when both hold:

1. one of its cells is a text that, as a whole (white space around and between the words
   ignored, any case, a colon after it allowed), is one of :data:`LABELS`, or starts with
   one followed by other words (``Sub Total Cikole``, ``Jumlah Pegawai``, ``Total: 2
   desa``), as offices name what a subtotal sums;
2. each of its numbers in the declared ``integer`` and ``decimal`` columns that is not
   blank equals the sum of that column over the rows above it, at least one such number is
   there, and at least two rows stand above it. The first row of totals found is refused,
   so no row of totals stands above another: a subtotal is the first, and sums the rows
   from the first.

A row titled ``JUMLAH`` whose numbers do not add up to the rows above it is read as a row
like any other: it may be real (``Jumlah`` is a satuan too, and a register may hold a row
of anything so named), and refusing every such title would refuse real data. A row of
totals below one row only is read too: with one row above, a total and a second record of
the same value cannot be told apart.

So a register of groups whose first subtotal stands under a group of one row has that
subtotal read, and the sums from the first row then hold it twice: no later subtotal or
total equals them (``Ani 5`` / ``Sub Total 5`` / ``Budi 6`` / ``Citra 4`` / ``Sub Total 10``
/ ``Grand Total 15`` counted 45 for 15). While every titled row read so far holds the sums
of the rows of its group (those since the titled row before it, or the first row), a
titled row is refused too when its numbers are the sums of

* the rows above it that no title marks, two or more (the grand total under subtotals of
  groups of one row); or
* the two or more rows since the last such titled row, titled as it is in the same column
  (the subtotal of a later group).

Two titled rows must then agree with the rows around them, which a row merely named
``Jumlah`` does not by chance. Subtotals of groups of one row alone, with no total below
them, stay read: each is a second record of the same value as far as the numbers say.

A row of totals may stand at the top, right under the header (``JUMLAH 11`` over ``Ani 5``
and ``Budi 6``), where no rows stand above it to tell it by. A titled row among the first
two is refused, once the register is read, when its numbers are the sums of the two or more
rows below it. Subtotals may stand above their groups too (``Sub Total 11`` over ``Ani 5``
and ``Budi 6``, ``Sub Total 7`` over ``Citra 3`` and ``Dodi 4``, perhaps a grand total 18 at
the top or the end: honor 54 counted where the staff earn 18). Once the register is read,
two or more titled rows are refused when each holds the sums of the rows below it down to
the next titled row, or the sums of the two or more rows no title marks, and one of them
sums two or more rows or the whole register; subtotals of groups of one row alone stay read.

A titled row with no number at all holds no sums to compare, and it was counted as a record
(3 services where the log holds 2). It is refused when it holds nothing of a record: at
least one row above it, and each of its other cells empty, the number of rows above it
(``JUMLAH;2``), or the cell above it (a date, a region filled down). A row merely named so
holds something of its own (its number in the list, a date of its own). A register without
a column of numbers (a list of people counted by its rows: ``no;nama;desa`` / ``1;Ani;Cikole``
/ ``2;Budi;Cikole`` / ``;JUMLAH;``, 3 people for 2) ends so too; there such a row is refused
when, besides, one of its cells is empty (or it has one cell only): DuckDB then looks for a
title only in the rows with an empty cell (:func:`by_numbers`), which a register's records
rarely have, and its pass over the benchmark's registers costs no more.

The reader (:mod:`~iku_rules.sources.reader`) applies the rule to every format it reads,
for every backend that reads through it. DuckDB, which types a CSV file (and reads a
``.duckdb`` table) in SQL without the reader, sends a register the rule applies to to the
reader as soon as one of its text cells may be such a title
(:func:`~iku_rules.sources.sql_cells.totals_label_cell`, a pattern that matches every cell
:func:`is_label` accepts, and a few more); the reader then decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.layout import _blank, _Place
from iku_rules.sources.shown import _show

LABELS: tuple[str, ...] = (
    "jumlah",
    "total",
    "jml",
    "jml.",
    "sub total",  # i18n: not for planners (a title matched in the data)
    "subtotal",
    "grand total",  # i18n: not for planners (a title matched in the data)
    "total keseluruhan",  # i18n: not for planners (a title matched in the data)
    "jumlah total",  # i18n: not for planners (a title matched in the data)
    "jumlah keseluruhan",  # i18n: not for planners (a title matched in the data)
)
"""The titles of a row of totals, in lower case, words parted by one space: a cell titles
the row when it is one of these, in any case, with any white space around and between its
words, as a whole or followed by a colon or other words (``JUMLAH``, ``Jml.``, ``Sub Total
:``, ``Sub Total Cikole``). Every one is ASCII (:func:`title` compares no other letters)."""

_TITLE = re.compile(
    "(" + "|".join(re.escape(label) for label in sorted(LABELS, key=len, reverse=True)) + ")"
    r"(?=[ :]|\Z)",
    re.IGNORECASE | re.ASCII,
)
"""A title at the start of a cell's words parted by one space: the longest label that ends
there or before a space or a colon (``JUMLAHTOTAL`` is none)."""

_LONGEST = 80
"""No longer text (its words parted by one space) is a title: a label and what it sums
(``Jumlah Penerima Bantuan Desa Cikole``), not a sentence."""

_START = re.compile(r"\s*[gjst]", re.IGNORECASE)
"""How every title starts (white space, then the first letter of one of :data:`LABELS`): a
cell that does not, as most of a register's cells, is passed over at once."""

_MAY_TITLE = re.compile(
    r"(?:^|\x1f)\s*(?:" + "|".join(sorted({label[:3] for label in LABELS})) + ")", re.IGNORECASE
)
"""A row's text cells, joined by ``\x1f``, hold a title only where this is found: a cell
starting (after white space) with the first three letters of one of :data:`LABELS`."""

NUMBERS = ("integer", "decimal")
"""The types of the columns whose numbers a row of totals sums."""


def applies(source: Source) -> bool:
    """Whether rows of totals are looked for in ``source``: every register, with or without
    a date or period column (a row of totals may carry the date filled down from the row
    above it), with or without a column of numbers (:func:`by_numbers`)."""
    return source.kind == "register"


def by_numbers(source: Source) -> bool:
    """Whether ``source``, a register, has a column of numbers: every row with a cell that
    may title it is then looked at. A register without numbers has only titled rows that
    hold nothing of a record refused, each with an empty cell (or of one column): DuckDB
    looks for a title only in rows with an empty cell, where looking in every text cell was
    a fifth to a third more work in the pass that validates the benchmark's registers (none
    has a column of numbers, none an empty cell)."""
    return any(kind in NUMBERS for kind in source.columns.values())


def title(cell: object) -> str | None:
    """The label (one of :data:`LABELS`) that ``cell`` titles a row of totals with, alone
    or followed by a colon or other words; None when it titles none."""
    if not isinstance(cell, str) or _START.match(cell) is None:
        return None
    key = " ".join(cell.split())
    if len(key) > _LONGEST:
        return None
    found = _TITLE.match(key)
    return None if found is None else " ".join(found.group(1).lower().split())


def is_label(cell: object) -> bool:
    """Whether ``cell`` is a text that titles a row of totals (:func:`title`)."""
    return title(cell) is not None


class TotalsCheck:
    """The rule over a register's rows as they are read: :meth:`see` each row in order,
    with its cells as written and as typed; a row of totals is refused at its row."""

    def __init__(self, source: Source, place: _Place) -> None:
        self.place = place
        self.columns = list(source.columns)
        period = source.grain.column if source.grain is not None else None
        self.numbers = [
            name for name, kind in source.columns.items() if kind in NUMBERS and name != period
        ]
        self.sums: dict[str, Decimal] = dict.fromkeys(self.numbers, Decimal(0))
        self.rows = 0
        """The rows read so far."""
        self.titled = _Sums(self.numbers)
        """The titled rows read so far: the others (no title marks them) are the rows read
        less these."""
        self.start = _Sums(self.numbers)
        """The rows read up to the last titled row, that row with them: the rows of its
        group (since it, or since the first row) are the rows read less these."""
        self.subtotals: list[tuple[int, str, str]] = []
        """The titled rows read so far (number, column, title as compared), while every one
        holds the sums of the rows of its group: subtotals of groups of one row, read."""
        self.chain = True
        """Whether every titled row read so far held the sums of its group."""
        self.previous: Sequence[object] = ()
        """The cells of the row above, as read."""
        self.titles: list[Any] = []
        """The titled rows with numbers, each with what :meth:`end` needs: its number,
        title, cells as written and typed, its numbers, the sums of the rows above it and
        how many."""

    def end(self) -> None:
        """After the last row: refuse a titled row among the first two whose numbers are the
        sums of the two or more rows below it (a row of totals at the top of the register,
        ``JUMLAH 11`` over ``Ani 5`` and ``Budi 6``), then subtotals above their groups
        (:meth:`_refuse_above`)."""
        for number, (cell, column), raw, record, filled, above, before in self.titles:
            if before >= 2:
                break
            count = self.rows - before - 1
            if count < 2 or any(
                record[name] != self.sums[name] - above[name] - record[name] for name in filled
            ):
                continue
            written = dict(zip(self.columns, raw, strict=True))
            raise self.place.error(
                _(
                    "the row is titled '{label}' (column '{column}') and its numbers ({sums})"
                    " are the sums of the {count} rows below it: it is a row of totals, not a"
                    " row of the register, and its numbers would count twice; delete the row"
                    " of totals (the engine sums the register itself)"
                ).format(
                    label=str(cell).strip(),
                    column=column,
                    sums=", ".join(f"{name} {_written(written[name])}" for name in filled),
                    count=count,
                ),
                row=number,
            )
        self._refuse_above()

    def _refuse_above(self) -> None:
        """Refuse subtotals placed above their groups (``Sub Total 11`` over ``Ani 5`` and
        ``Budi 6``, ``Sub Total 7`` over ``Citra 3`` and ``Dodi 4``, perhaps a grand total
        18): two or more titled rows, each holding the sums of the rows below it down to the
        next titled row (a group of one row or more) or the sums of the two or more rows no
        title marks (a total), and at least one a subtotal of two or more rows or a total.
        Counted, honor 54 where the staff earn 18. The first such subtotal is refused."""
        if len(self.titles) < 2:
            return
        loose = self.rows - self.titled.rows
        first: tuple[int, int] | None = None
        told = False
        ends = [(entry[5], entry[6]) for entry in self.titles[1:]] + [(self.sums, self.rows)]
        for index, entry in enumerate(self.titles):
            record, filled, above, before = entry[3], entry[4], entry[5], entry[6]
            after, until = ends[index]
            group = until - before - 1
            if group >= 1 and all(
                record[name] == after[name] - above[name] - record[name] for name in filled
            ):
                first = (index, group) if first is None else first
                told = told or group >= 2
            elif loose >= 2 and self._sums_of(record, filled, self.titled):
                told = True
            else:
                return
        if first is None or not told:
            return
        index, group = first
        number, (cell, column), raw, record, filled = self.titles[index][:5]
        written = dict(zip(self.columns, raw, strict=True))
        others = [entry[0] for entry in self.titles if entry[0] != number]
        raise self.place.error(
            _(
                "the row is titled '{label}' (column '{column}') and its numbers ({sums}) are"
                " the sums of the {count} rows below it, down to the next titled row or the"
                " end, and {rows} hold the sums of their own groups or of the whole register:"
                " they are rows of subtotals placed above their groups, not rows of the"
                " register, and their numbers would count twice; delete them (the engine sums"
                " the register itself)"
            ).format(
                label=str(cell).strip(),
                column=column,
                sums=", ".join(f"{name} {_written(written[name])}" for name in filled),
                count=group,
                rows=_numbers(others),
            ),
            row=number,
        )

    def see(
        self,
        number: int,
        cells: Sequence[object],
        header: Sequence[str],
        raw: Sequence[object],
        record: Mapping[str, Any],
    ) -> None:
        """Look at row ``number``: its ``cells`` as read (every one, under the ``header``),
        its declared cells as written (``raw``, in the declared order) and as typed
        (``record``)."""
        filled = [column for column in self.numbers if record[column] is not None]
        label = self._label(cells, header) if filled else None
        if label is not None:
            self._refuse(number, label, raw, record, filled)
            # a row of totals above the rows it sums: told once they are read (:meth:`end`)
            self.titles.append((number, label, raw, record, filled, dict(self.sums), self.rows))
            # A titled row read: a subtotal of a group of one row, or a row so named. It
            # starts a group; the rows after it may be subtotalled by a row titled as it is.
            if not (self.rows > self.start.rows and self._sums_of(record, filled, self.start)):
                self.chain = False
            if self.chain:
                self.subtotals.append((number, label[1], _key(label[0])))
        elif not filled and self.rows:
            self._refuse_bare(number, cells, header)
        self.previous = cells
        for column in filled:
            self.sums[column] += record[column]
        self.rows += 1
        if label is not None:
            self.titled.add(record, filled)
            self.start = _Sums(self.numbers, self.sums, self.rows)

    def _sums_of(self, record: Mapping[str, Any], filled: Sequence[str], less: _Sums) -> bool:
        """Whether each of the row's numbers ``filled`` is the sum of its column over the
        rows read less the rows of ``less``."""
        return all(record[name] == self.sums[name] - less.sums[name] for name in filled)

    @staticmethod
    def _label(cells: Sequence[object], header: Sequence[str]) -> tuple[object, str] | None:
        """The first cell titling the row, with its column's name; None when none does."""
        try:
            texts = "\x1f".join(cells)  # type: ignore[arg-type]  # a CSV row's cells: texts
        except TypeError:  # a workbook's or a database's: numbers, dates, None among them
            texts = "\x1f".join([cell for cell in cells if isinstance(cell, str)])
        if _MAY_TITLE.search(texts) is None:
            return None  # most rows: one search of their text, not one for each cell
        return next(
            (
                (cell, name.strip())
                for cell, name in zip(cells, header, strict=False)
                if name.strip() and is_label(cell)
            ),
            None,
        )

    def _refuse_bare(self, number: int, cells: Sequence[object], header: Sequence[str]) -> None:
        """Refuse row ``number`` when a cell titles it and it holds nothing of a record: each
        other cell is empty, the number of rows above it, or the cell above it (a date, a
        region filled down)."""
        label = self._label(cells, header)
        if label is None:
            return
        shown = cells[: len(header)]
        if (
            not self.numbers
            and len(header) > 1
            and len(shown) == len(header)
            and not any(_blank(cell) for cell in shown)
        ):
            return  # a register without numbers: a title only in a row with a blank cell
        count = str(self.rows)
        for index, cell in enumerate(cells):
            if cell is label[0] or _blank(cell):
                continue
            if index < len(self.previous) and cell == self.previous[index]:
                continue
            if (_written(cell) if isinstance(cell, str | int | float) else None) != count:
                return
        raise self.place.error(
            _(
                "the row is titled '{label}' (column '{column}') and holds nothing of a"
                " record (its other cells are empty, the number of rows above it, {count}, or"
                " the cells above them): it is a row of totals, not a row of the register, and"
                " it would be counted as one; delete the row of totals (the engine counts the"
                " register itself)"
            ).format(label=str(label[0]).strip(), column=label[1], count=count),
            row=number,
        )

    def _refuse(
        self,
        number: int,
        label: tuple[object, str],
        raw: Sequence[object],
        record: Mapping[str, Any],
        filled: Sequence[str],
    ) -> None:
        """Refuse row ``number``, titled by ``label``, when its numbers are the sums of the
        rows above it: of them all (a total), of those no title marks below subtotals of
        groups of one row (a total under them), or of the rows since the last subtotal of
        such groups titled as it is (a subtotal of a later group)."""
        cell, column = label
        written = dict(zip(self.columns, raw, strict=True))
        sums = ", ".join(f"{name} {_written(written[name])}" for name in filled)
        title = str(cell).strip()
        if self.rows >= 2 and all(record[name] == self.sums[name] for name in filled):
            message = _(
                "the row is titled '{label}' (column '{column}') and its numbers ({sums}) are"
                " the sums of the {count} rows above it: it is a row of totals, not a row of"
                " the register, and its numbers would count twice; delete the row of totals"
                " (the engine sums the register itself)"
            ).format(label=title, column=column, sums=sums, count=self.rows)
        elif not self.subtotals or not self.chain:
            return
        elif self.rows - self.titled.rows >= 2 and self._sums_of(record, filled, self.titled):
            message = _(
                "the row is titled '{label}' (column '{column}') and its numbers ({sums}) are"
                " the sums of the {count} rows above it that no title marks, and {rows}"
                " above it hold the sums of their groups: they are rows of totals and"
                " subtotals, not rows of the register, and their numbers would count twice;"
                " delete them (the engine sums the register itself)"
            ).format(
                label=title,
                column=column,
                sums=sums,
                count=self.rows - self.titled.rows,
                rows=_numbers([row for row, _column, _title in self.subtotals]),
            )
        else:
            previous, previous_column, previous_title = self.subtotals[-1]
            group = self.rows - self.start.rows
            if (
                group < 2
                or (previous_column, previous_title) != (column, _key(cell))
                or not self._sums_of(record, filled, self.start)
            ):
                return
            message = _(
                "the row is titled '{label}' (column '{column}') and its numbers ({sums}) are"
                " the sums of the {count} rows between it and row {row}, titled so too and"
                " holding the sums of the rows of its own group: they are rows of subtotals,"
                " not rows of the register, and their numbers would count twice; delete the"
                " rows of totals and subtotals (the engine sums the register itself)"
            ).format(label=title, column=column, sums=sums, count=group, row=previous)
        raise self.place.error(message, row=number)


class _Sums:
    """The sums of the columns of numbers over some rows, and how many rows (kept only for
    titled rows, rare: every row adds to the one sum of all rows read)."""

    def __init__(
        self, numbers: Sequence[str], sums: Mapping[str, Decimal] | None = None, rows: int = 0
    ) -> None:
        self.sums: dict[str, Decimal] = (
            dict(sums) if sums is not None else dict.fromkeys(numbers, Decimal(0))
        )
        self.rows = rows

    def add(self, record: Mapping[str, Any], filled: Sequence[str]) -> None:
        for column in filled:
            self.sums[column] += record[column]
        self.rows += 1


def _key(cell: object) -> str:
    """A title as compared: its label (``sub total`` for ``Sub Total Cikole``), so that the
    subtotals of groups named apart are titled alike."""
    return title(cell) or ""


def _numbers(rows: Sequence[int]) -> str:
    """Rows ``rows`` said in words (row 4, rows 4 and 6, rows 4, 6 and 8)."""
    if len(rows) == 1:
        return _("row {row}").format(row=rows[0])
    return _("rows {rows} and {last}").format(
        rows=", ".join(str(row) for row in rows[:-1]), last=rows[-1]
    )


def _written(value: object) -> str:
    """A number's cell as written (text), or as its workbook or database keeps it."""
    return value.strip() if isinstance(value, str) else _show(value)
