"""Rows of sums in a register, told by their codes: a program row over its kegiatan and sub
kegiatan, the rule every backend follows.

Budget and realisasi sheets exported from SIPD or a DPA (and kept by offices in Excel or
CSV) nest their rows by code, each parent carrying the sums of the rows under it, with no
title such as ``JUMLAH`` (:mod:`~iku_rules.sources.totals_rows`) to tell it::

    kode;uraian;pagu;realisasi
    1.06.02;Program Rehabilitasi Sosial;300.000.000;240.000.000
    1.06.02.2.01;Rehabilitasi Sosial Dasar;300.000.000;240.000.000
    1.06.02.2.01.0001;Penyediaan Permakanan;200.000.000;180.000.000
    1.06.02.2.01.0002;Penyediaan Sandang;100.000.000;60.000.000

Summed, the program and kegiatan rows count their sub kegiatan again: realisasi 720.000.000
where the sub kegiatan spent 240.000.000, and 4 rows counted for 2 (a serapan comes out
right only because the pagu triples too).

So in a register with a column of numbers, a row is a parent row, refused at its row, when
all of these hold:

1. one of its cells, in a column not declared a number or a date, is a code (:data:`CODE`):
   two or more parts parted by ``.``, each digits (or ``X``, as ``X.XX.01`` stands for any
   urusan), white space around it ignored, as SIPD writes them (``1.06.02``,
   ``1.06.02.2.01``);
2. the code followed by ``.`` starts the codes of other rows in the same column, in the
   same date, period and regions (the declared columns of each): the rows under it;
3. each of its numbers in the declared ``integer`` and ``decimal`` columns that is not blank
   equals the sum of that column over the rows under it that have no rows under them (the
   sub kegiatan under a program), or over its children, the rows under it with no row
   between (the kegiatan under a program), at least one such number is there, and the
   rows summed have a number in each column compared.

The rows are compared in each date, period and region, and over the whole column too (a
program row dated at the year's end over sub kegiatan rows of their own dates). Over the
whole column one row under it is enough: the code says the row stands over the other, and a
program of one kegiatan of one sub kegiatan, its three rows alike, counted thrice. In one
date or region two rows summed are needed: a service log's row coded by a kegiatan and one
coded by its sub kegiatan may hold the same number on a day by chance. The first parent row
(by its place in the register) is refused, with the rows it sums and the fix: delete the rows
of the programs and kegiatan and keep the sub kegiatan rows (or export the sheet at the sub
kegiatan level only). A measure's filter does not help: the register is read whole, and a
measure without the filter would count the parents again.

A row whose code nests others but whose numbers do not add up to them is read as a row like
any other: a program may have a budget line of its own, and a register may hold codes of
several depths that are records each (a service log coded by kegiatan on some rows and by
sub kegiatan on others). Codes of one depth only (a service log coded by sub kegiatan) nest
none, and a code written in the same cell as its name (``1.06.02 Program ...``) is not read
as a code.

The reader (:mod:`~iku_rules.sources.reader`) applies the rule to every format it reads,
for every backend that reads through it. DuckDB, which types a CSV file in SQL without the
reader, sends a register with a column of numbers to the reader when one of its columns
holds codes of two depths or more (:func:`~iku_rules.sources.sql_cells.code_depth`); a
register without numbers (none of the benchmark's has) is not looked at.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from iku_rules.i18n import _
from iku_rules.model import Source
from iku_rules.sources.layout import _Place
from iku_rules.sources.totals_rows import (
    NUMBERS,
    TotalsCheck,
    _numbers,
    _written,
    applies,
    by_numbers,
)

CODE = re.compile(r"\s*((?:[0-9]+|[Xx]+)(?:\.(?:[0-9]+|[Xx]+))+)\s*")
"""A code as SIPD writes it, matched as a whole cell: two or more parts parted by ``.``, each
ASCII digits or ``X`` (``1.06.02.2.01.0001``, ``X.XX.01``); its group 1, the code."""

_FIRST = frozenset("0123456789Xx")
"""How a code cell starts but for white space: a cell that does not, as most text cells, is
passed over at once."""

_SHOWN = 6
"""The rows a refusal lists by number; more are said as a count."""


def looked_at(source: Source) -> bool:
    """Whether parent rows are looked for in ``source``: a register with a column of numbers
    (a register without holds no sums)."""
    return applies(source) and by_numbers(source)


def not_codes(source: Source) -> set[str]:
    """The names (case folded) of the columns whose cells are never codes: the declared
    numbers and dates (``300.000`` and ``300.000.000`` are no program and its kegiatan)."""
    return {
        name.strip().casefold()
        for name, kind in source.columns.items()
        if kind in (*NUMBERS, "date")
    }


class _Code:
    """The rows of one code in one column and context: the first's number, values (typed)
    and cells (as written), how many, the first few by number, and the sums of each column
    of numbers (None where no row has a number)."""

    __slots__ = ("count", "raw", "record", "row", "rows", "sums")

    def __init__(self, row: int, record: Mapping[str, Any], raw: Sequence[object], width: int):
        self.row = row
        self.record = record
        self.raw = tuple(raw)
        self.count = 0
        self.rows: list[int] = []
        self.sums: list[Decimal | None] = [None] * width

    def merged(self, other: _Code) -> _Code:
        """These rows and ``other``'s: the first of both first."""
        first = self if self.row <= other.row else other
        both = _Code(first.row, first.record, first.raw, len(self.sums))
        both.count = self.count + other.count
        both.rows = sorted(self.rows + other.rows)[:_SHOWN]
        both.sums = [
            mine if theirs is None else theirs if mine is None else mine + theirs
            for mine, theirs in zip(self.sums, other.sums, strict=True)
        ]
        return both


class NestedCodesCheck:
    """The rule over a register's rows as they are read: :meth:`see` each row in order, then
    :meth:`end`, which refuses the first parent row."""

    def __init__(self, source: Source, place: _Place) -> None:
        self.place = place
        self.columns = list(source.columns)
        period = source.grain.column if source.grain is not None else None
        self.numbers = [
            name for name, kind in source.columns.items() if kind in NUMBERS and name != period
        ]
        context = (source.date_column, period, source.region_column, *source.regions.values())
        self.context = [
            name for name in dict.fromkeys(context) if name is not None and name in source.columns
        ]
        """The declared columns whose values part the rows that may nest: a sheet of each
        triwulan or kecamatan below the other repeats its programs."""
        self.skipped = not_codes(source)
        self.candidates: list[int] | None = None
        """The places in the header of the columns that may hold codes (known at the first
        row)."""
        self.codes: dict[tuple[Any, ...], _Code] = {}
        """Each code's rows, by the column (its place), the code and the context."""

    def see(
        self,
        number: int,
        cells: Sequence[object],
        header: Sequence[str],
        raw: Sequence[object],
        record: Mapping[str, Any],
    ) -> None:
        """Note row ``number``'s codes: its ``cells`` as read (under the ``header``), its
        declared cells as written (``raw``) and as typed (``record``)."""
        if self.candidates is None:
            self.candidates = [
                index
                for index, name in enumerate(header)
                if name.strip() and name.strip().casefold() not in self.skipped
            ]
        for index in self.candidates:
            if index >= len(cells):
                break
            cell = cells[index]
            if not isinstance(cell, str) or not cell:
                continue
            if cell[0] not in _FIRST and not cell[0].isspace():
                continue
            found = CODE.fullmatch(cell)
            if found is None:
                continue
            code = found.group(1)
            key = (index, code, *[record[name] for name in self.context])
            entry = self.codes.get(key)
            if entry is None:
                entry = self.codes[key] = _Code(number, record, raw, len(self.numbers))
            entry.count += 1
            if entry.count <= _SHOWN:
                entry.rows.append(number)
            sums = entry.sums
            for place, name in enumerate(self.numbers):
                value = record[name]
                if value is not None:
                    total = sums[place]
                    sums[place] = value if total is None else total + value

    def end(self, header: Sequence[str]) -> None:
        """After the last row: refuse the first row (by number) that holds the sums of the
        rows under it (:mod:`~iku_rules.sources.nested_codes`)."""
        groups: dict[tuple[Any, ...], dict[str, _Code]] = {}
        whole: dict[int, dict[str, _Code]] = {}
        for (index, code, *context), entry in self.codes.items():
            groups.setdefault((index, *context), {})[code] = entry
            if self.context:  # the column over every context too (the parent's date apart)
                column = whole.setdefault(index, {})
                column[code] = column[code].merged(entry) if code in column else entry
        # In one date or region, a row of a service log coded by kegiatan and one coded by
        # its sub kegiatan may hold the same number by chance: two rows summed at least.
        least = 2 if self.context else 1
        every = [(key[0], codes, least) for key, codes in groups.items()]
        every += [(index, codes, 1) for index, codes in whole.items()]
        first: tuple[int, str] | None = None
        for index, codes, fewest in every:
            found = self._parent(codes, header[index].strip(), fewest)
            if found is not None and (first is None or found[0] < first[0]):
                first = found
        if first is not None:
            raise self.place.error(first[1], row=first[0])

    def _parent(self, codes: dict[str, _Code], column: str, least: int) -> tuple[int, str] | None:
        """The first row (its number, and the refusal) whose code, among ``codes`` (one column,
        one context or all), stands over ``least`` rows or more whose sums its numbers hold;
        None when none does."""
        ordered = sorted(codes)
        found: list[tuple[int, str]] = []
        for code in ordered:
            under = ordered[bisect_left(ordered, code + ".") : bisect_left(ordered, code + "/")]
            if not under:
                continue
            leaves = [
                other
                for other in under
                if bisect_left(ordered, other + ".") == bisect_left(ordered, other + "/")
            ]
            depth = code.count(".") + 1
            children = [
                other
                for other in under
                if not any(
                    ".".join(other.split(".")[:parts]) in codes
                    for parts in range(depth + 1, other.count(".") + 1)
                )
            ]
            entry = codes[code]
            for group, leaf in ((leaves, True), (children, False)):
                summed = [codes[other] for other in group]
                if sum(other.count for other in summed) < least:
                    continue
                message = self._sums(code, entry, summed, column, leaf)
                if message is not None:
                    found.append((entry.row, message))
                    break
        return min(found, default=None)

    def _sums(
        self, code: str, entry: _Code, group: Sequence[_Code], column: str, leaves: bool
    ) -> str | None:
        """The refusal of ``entry``'s row, coded ``code`` in ``column``, when its numbers are
        the sums of the rows of ``group`` (the ``leaves`` under it, or its children); else
        None."""
        filled = [
            (place, name)
            for place, name in enumerate(self.numbers)
            if entry.record[name] is not None
        ]
        if not filled or any(
            all(other.sums[place] is None for other in group)
            or entry.record[name] != sum(other.sums[place] or Decimal(0) for other in group)
            for place, name in filled
        ):
            return None
        rows = sorted(row for other in group for row in other.rows)
        count = sum(other.count for other in group)
        shown = (
            _numbers(rows)
            if count <= _SHOWN
            else _("rows {rows} and {more} more").format(
                rows=", ".join(str(row) for row in rows[:_SHOWN]), more=count - _SHOWN
            )
        )
        written = dict(zip(self.columns, entry.raw, strict=True))
        sums = ", ".join(f"{name} {_written(written[name])}" for _place, name in filled)
        if leaves:
            text = _(
                "the row is coded '{code}' (column '{column}') and its numbers ({sums}) are the"
                " sums of the rows coded under it with no rows under them ({rows}): it"
                " is the row of a program or kegiatan over its sub kegiatan, not a row of its"
                " own, and its numbers would count twice; delete the rows of the programs and"
                " kegiatan and keep the sub kegiatan rows (or export the sheet at the sub"
                " kegiatan level only)"
            )
        else:
            text = _(
                "the row is coded '{code}' (column '{column}') and its numbers ({sums}) are the"
                " sums of the rows coded right under it ({rows}): it is the row of a"
                " program or kegiatan over its kegiatan or sub kegiatan, not a row of its own,"
                " and its numbers would count twice; delete the rows of the programs and"
                " kegiatan and keep the sub kegiatan rows (or export the sheet at the sub"
                " kegiatan level only)"
            )
        return text.format(code=code, column=column, sums=sums, rows=shown)


class SumsCheck:
    """Both rules of rows of sums over one register's rows, as every reader of rows applies
    them (the file reader, a PostgreSQL table read row by row): rows of totals by their title
    (:class:`~iku_rules.sources.totals_rows.TotalsCheck`, where :func:`applies`) and parent
    rows by their codes (:class:`NestedCodesCheck`, where :func:`looked_at`)."""

    def __init__(self, source: Source, place: _Place) -> None:
        self.place = place
        self.totals = TotalsCheck(source, place) if applies(source) else None
        self.nested = NestedCodesCheck(source, place) if looked_at(source) else None

    def see(
        self,
        number: int,
        cells: Sequence[object],
        raw: Sequence[object],
        record: Mapping[str, Any],
    ) -> None:
        """Note row ``number``: its ``cells`` as read (under the place's header), its declared
        cells as written (``raw``) and as typed (``record``)."""
        if self.totals is not None:
            self.totals.see(number, cells, self.place.header, raw, record)
        if self.nested is not None:
            self.nested.see(number, cells, self.place.header, raw, record)

    def end(self) -> None:
        """Refuse what only the whole register shows, once its last row is seen."""
        if self.totals is not None:
            self.totals.end()
        if self.nested is not None:
            self.nested.end(self.place.header)
