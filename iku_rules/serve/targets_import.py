"""Targets from an Excel sheet, the way offices keep them: one row per indicator.

The sheet's first row names the columns: one holds the indicator's id (a header such as
``id``, ``kode indikator`` or ``id indikator``), and each column headed by a plan year
(``2026``) or a triwulan (``2026-TW1``, ``TW1 2026``) holds that period's target. Other
columns (No, Indikator, Satuan, …) are read past. A target cell holds a number or text
as the office writes it (``"55,33"``, ``"80–90"``, ``"< 70"``); an empty cell leaves the
target as it is.

:func:`read_targets` reads the sheet into :class:`TargetChange` rows, each with the
target it replaces, without writing anything; the workspace shows them as a diff and
writes them only when the planner confirms. Whatever cannot be read is a
:class:`SheetProblem` with its cell, never skipped in silence: a merged range over the
cells read (Excel shows its value in each cell, openpyxl only in the first; over the
header, the whole sheet is refused), two columns headed with one period, one target given
different values in two rows, a row hidden in the sheet (not read: the planner does not
see it), and the sheets after the first, which are not read; a column whose header names a period among other words
(``Target 2027``, ``Realisasi 2025``) is not read either, and is named when it holds
anything.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from iku_rules.serve.text import _
from iku_rules.sources.cells import _float_decimal, _float_whole
from iku_rules.sources.xlsx_cells import Merged, SheetMarks, percent, sheet_marks, uncomputed

ID_HEADERS = (  # i18n: not for planners (headers matched, in either language)
    "id",
    "id indikator",
    "kode indikator",
    "indikator id",
    "indicator id",
)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*TW\s*([1-4])|TW\s*([1-4])\s*-?\s*(\d{4}))$", re.I)
_NAMES_A_PERIOD = re.compile(r"(?<!\d)\d{4}(?!\d)|\bTW\s*[1-4]\b|\btriwulan\b", re.I)
"""A header that names a year or a triwulan among other words (``Target 2027``,
``Realisasi TW1``): its column is not read, and the planner is told so when it holds
anything."""
MAX_ROWS = 10_000
Cell = tuple[int, int]
"""A cell of the sheet: its row (1-based, as Excel numbers it) and column (0-based)."""


@frozen
class TargetChange:
    """One target the sheet sets: ``period`` is a year (``2026``) or a triwulan
    (``2026-TW1``); ``old`` is the target the file holds now (None: none)."""

    indicator: str
    name: str
    period: str
    old: str | None
    new: str
    cell: str
    value: int | float | str
    """What is written: a number cell as a TOML number (no notation can misread it), a
    text cell as the text the office typed."""

    @property
    def field(self) -> str:
        return "triwulan_targets" if "-TW" in self.period else "targets"


@frozen
class SheetProblem:
    cell: str
    message: str


def _header(value: object) -> str:
    return re.sub(r"\s+", " ", str(value).strip()) if value is not None else ""


def _cell_text(value: object) -> str | None:
    """A cell as text: numbers as Excel holds them (``55.33``, ``40``)."""
    typed = _cell_value(value)
    return None if typed is None else str(typed)


def _cell_value(value: object) -> int | float | str | None:
    """A cell as the value written: a whole number as an integer, another number as a
    float of the 15 significant digits Excel shows and compares (``55.33``; a cell computing
    ``=100/3`` is 33.3333333333333, and one computing ``=0.57*100`` is 57, not the float's
    ``56.99999999999999``), text as typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        whole = _float_whole(value)
        if whole is not None and abs(whole) < 2**53:
            return whole
        return float(_float_decimal(value))
    if isinstance(value, Decimal):
        return float(value)
    text = str(value).strip()
    return text or None


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _merged(marks: SheetMarks, read: Sequence[int]) -> tuple[list[Merged], set[Cell]]:
    """The merged ranges over the columns ``read`` (0-based) and the cells they cover
    below the header. Only the first cell of a range holds its value: the others read as
    empty though Excel shows the value in each."""
    ranges: list[Merged] = []
    cells: set[Cell] = set()
    columns = [index + 1 for index in read]
    for merged in marks.merged:
        if merged.touches(1, columns) is None:
            continue
        ranges.append(merged)
        cells |= {
            (row, column - 1)
            for row in range(max(merged.min_row, 2), merged.max_row + 1)
            for column in columns
            if merged.min_column <= column <= merged.max_column
        }
    return ranges, cells


def _merged_message(ref: str) -> str:
    return _(
        "the cells {range} are merged: only the first of them holds the value and the others"
        " are read as empty, though Excel shows the value in each; unmerge them and write the"
        " value in each cell"
    ).format(range=ref)


def _refused(
    row: Sequence[Any], number: int, read: Iterable[int], marks: SheetMarks, merged: set[Cell]
) -> dict[int, SheetProblem | None]:
    """The cells of ``row`` (sheet row ``number``) among ``read`` that cannot be taken as
    they read: a formula never computed (read as empty), a percentage (85% kept as 0.85),
    a merged cell (None: said once, at its range)."""
    refused: dict[int, SheetProblem | None] = {}
    formulas = marks.uncomputed.get(number, frozenset())
    for index in read:
        cell = f"{_column_name(index)}{number}"
        if (number, index) in merged:
            refused[index] = None
        elif index + 1 in formulas:
            refused[index] = SheetProblem(cell, uncomputed(cell))
        elif index < len(row):
            problem = percent(row[index].value, getattr(row[index], "number_format", None))
            if problem is not None:
                refused[index] = SheetProblem(cell, problem)
    return refused


def read_targets(
    content: bytes,
    current: Mapping[str, tuple[str, Mapping[str, str]]],
) -> tuple[list[TargetChange], list[SheetProblem]]:
    """The target changes of an uploaded workbook (its first sheet).

    ``current`` gives, for each indicator id, its name and its targets now (period →
    text, as the file writes them). A cell equal to the target already there is no change.
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    problems: list[SheetProblem] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [
            SheetProblem(
                "-", _("the file is not an Excel workbook (.xlsx): {error}").format(error=error)
            )
        ]
    try:
        sheet = workbook.worksheets[0]
        marks = sheet_marks(workbook, sheet)
        rows: Iterable[tuple[Any, ...]] = sheet.iter_rows()
        iterator = iter(rows)
        header = next(iterator, None)
        if header is None:
            return [], [SheetProblem("A1", _("the sheet is empty"))]
        names = [_header(cell.value) for cell in header]
        id_column = next((i for i, name in enumerate(names) if name.casefold() in ID_HEADERS), None)
        if id_column is None:
            return [], [
                SheetProblem(
                    "1",
                    _("no column is headed with the indicator id (write 'id' over it)"),
                )
            ]
        periods: dict[int, str] = {}
        for index, name in enumerate(names):
            year = _YEAR.match(name)
            quarter = _QUARTER.match(name)
            if year:
                periods[index] = year.group(1)
            elif quarter:
                y = quarter.group(1) or quarter.group(4)
                q = quarter.group(2) or quarter.group(3)
                periods[index] = f"{y}-TW{q}"
        if not periods:
            return [], [
                SheetProblem(
                    "1", _("no column is headed with a year (2026) or a triwulan (2026-TW1)")
                )
            ]
        ranges, merged = _merged(marks, [id_column, *periods])
        over_header = [m for m in ranges if m.min_row <= 1]
        if over_header:
            # A year merged over its triwulan columns would give the year the first
            # triwulan's target: the sheet's columns cannot be told.
            return [], [SheetProblem(m.ref, _merged_message(m.ref)) for m in over_header]
        refusal = _sheet_refusal(periods)
        if refusal is not None:
            return [], [refusal]
        problems += [SheetProblem(m.ref, _merged_message(m.ref)) for m in ranges]
        if len(workbook.worksheets) > 1:
            problems.append(_other_sheets(workbook.worksheets))
        # Columns whose header names a period among other words: read past, but not in silence.
        near = {
            i: name
            for i, name in enumerate(names)
            if i != id_column and i not in periods and _NAMES_A_PERIOD.search(name)
        }
        filled: set[int] = set()
        found: dict[tuple[str, str], list[tuple[str, int | float | str]]] = {}
        names_of: dict[str, str] = {}
        for number, row in enumerate(iterator, start=2):
            if number > MAX_ROWS:
                problems.append(
                    SheetProblem(
                        str(number),
                        _("only the first {count} rows are read").format(count=MAX_ROWS),
                    )
                )
                break
            cells = [cell.value for cell in row] + [None] * (len(names) - len(row))
            if number in marks.hidden:  # not seen in Excel: not read, but not in silence
                if any(_cell_text(cells[i]) is not None for i in (id_column, *periods)):
                    problems.append(SheetProblem(str(number), _hidden_row()))
                continue
            refused = _refused(row, number, [id_column, *periods], marks, merged)
            problems.extend(p for p in refused.values() if p is not None)
            filled.update(i for i in near if _cell_text(cells[i]) is not None)
            if id_column in refused:
                continue
            indicator = _cell_text(cells[id_column])
            values = {i: None if i in refused else _cell_value(cells[i]) for i in periods}
            if indicator is None:
                if any(v is not None for v in values.values()):
                    problems.append(
                        SheetProblem(
                            f"{_column_name(id_column)}{number}",
                            _("this row has targets but no indicator id"),
                        )
                    )
                continue
            if indicator not in current:
                problems.append(
                    SheetProblem(
                        f"{_column_name(id_column)}{number}",
                        _("there is no indicator '{id}' in the definitions").format(id=indicator),
                    )
                )
                continue
            names_of[indicator] = current[indicator][0]
            for index, value in values.items():
                if value is not None:
                    cell = f"{_column_name(index)}{number}"
                    found.setdefault((indicator, periods[index]), []).append((cell, value))
        problems += [_read_past(index, near[index]) for index in sorted(filled)]
        changes: list[TargetChange] = []
        for (indicator, period), cells in found.items():
            if len({str(value) for _cell, value in cells}) > 1:
                problems.append(_differing_targets(indicator, period, cells))
                continue
            cell, value = cells[0]
            old = current[indicator][1].get(period)
            if old != str(value):
                changes.append(
                    TargetChange(
                        indicator, names_of[indicator], period, old, str(value), cell, value
                    )
                )
        return changes, problems
    finally:
        workbook.close()


def _hidden_row() -> str:
    return _(
        "the row is hidden in the sheet (by a filter, by Hide, in a collapsed group or by a height"
        " of zero), so its targets are not read; show every row (clear the filter, or select the"
        " rows and choose Unhide), save the workbook and upload it again"
    )


def _sheet_refusal(periods: Mapping[int, str]) -> SheetProblem | None:
    """Two columns headed with one period: which of them holds the target cannot be told."""
    columns: dict[str, list[int]] = {}
    for index, period in periods.items():
        columns.setdefault(period, []).append(index)
    for period, indices in columns.items():
        if len(indices) > 1:
            names = [_column_name(i) for i in indices]
            return SheetProblem(
                ", ".join(f"{name}1" for name in names),
                _(
                    "the columns {columns} are all headed {period}: which of them holds its"
                    " targets cannot be told; head only one column with it"
                ).format(columns=", ".join(names), period=period),
            )
    return None


def _differing_targets(
    indicator: str, period: str, cells: Sequence[tuple[str, int | float | str]]
) -> SheetProblem:
    """One target given different values in several rows (a row kept, perhaps hidden)."""
    names = ", ".join(cell for cell, _value in cells)
    return SheetProblem(
        names,
        _(
            "the cells {cells} give indicator '{id}' different targets for {period} ({values}):"
            " none of them is written; keep the one meant and empty the others"
        ).format(
            cells=names,
            id=indicator,
            period=period,
            values=", ".join(str(value) for _cell, value in cells),
        ),
    )


def _read_past(index: int, header: str) -> SheetProblem:
    return SheetProblem(
        f"{_column_name(index)}1",
        _(
            "the column headed '{header}' is not read: only a column headed with its period"
            " alone (2027, 2026-TW1) holds targets; head it so to import its cells"
        ).format(header=header),
    )


def _other_sheets(sheets: Sequence[Any]) -> SheetProblem:
    return SheetProblem(
        "-",
        _(
            "only the first sheet, '{sheet}', is read; the targets in {others} are not: move"
            " them to the first sheet to import them"
        ).format(sheet=sheets[0].title, others=", ".join(f"'{s.title}'" for s in sheets[1:])),
    )
