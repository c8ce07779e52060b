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
different values in two rows, a row or column hidden in the sheet (not read: the planner
does not see it), and the sheets after the first, which are not read; a column whose
header names a period among other words (``Target 2027``), or a year outside the plan, is
not read either, and is named when it holds anything. A cell is read as the loader reads
what is written for it (:func:`written`), or refused at the cell: a date, ``TRUE``, ``-``,
``23.500`` where no notation is declared, a number of more digits than Excel keeps.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from iku_rules.loader.values import parse_target
from iku_rules.model import Target
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import number_written
from iku_rules.sources.shown import _float_decimal, _float_whole
from iku_rules.sources.xlsx import not_a_workbook
from iku_rules.sources.xlsx_cells import Merged, SheetMarks, disguised, formula_kept, sheet_marks

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
EXCEL_WHOLE = 10**15
"""A number cell this large or larger has more digits than the 15 Excel keeps: those typed
after them are lost (1234567890123456789 is kept as 1234567890123460000)."""
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
    text cell as the text the office typed. A number of three decimals (23.456) is written
    as text in the office's notation (``"23,456"``): bare, the loader refuses it, as
    Indonesian documents read ``23.456`` as 23456."""

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


def written(value: int | float | str, notation: Notation) -> int | float | str:
    """What a target cell (:func:`_cell_value`) is written into the definitions as, read
    there as the cell's number; ValueError with the loader's message (or why the cell
    cannot be a target) when it cannot be.

    >>> from iku_rules.notation import ID
    >>> written(42.5, ID), written(23.456, ID), written("23.500", ID)
    (42.5, '23,456', '23.500')
    """
    if isinstance(value, str):
        parse_target(value, notation)
        return value
    if not math.isfinite(value):
        raise ValueError(_("{value} is not a finite number").format(value=value))
    if abs(value) >= EXCEL_WHOLE:
        raise ValueError(
            _(
                "the cell holds the number {value}, of more than {limit} digits: Excel keeps only"
                " {limit} digits of a number, so the digits typed after them are lost; no"
                " indicator needs such a target, so check the cell"
            ).format(value=format(Decimal(repr(value)), "f"), limit=len(str(EXCEL_WHOLE)) - 1)
        )
    return number_written(value, notation)


def _read_cell(raw: object, notation: Notation) -> int | float | str | None:
    """A target cell as it is written (:func:`written`), None when empty; ValueError saying
    why when it is no target whatever it shows (a date, a time, TRUE) or cannot be read."""
    value = _cell_value(raw)
    if value is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("the cell holds {value}, which is not a number").format(value=raw))
    if isinstance(raw, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            _(
                "the cell holds a date or time ({value}), not a number: Excel turns some numbers"
                " typed into dates (1.5 into 1 May); format the cell as Number and type the"
                " target again"
            ).format(value=raw)
        )
    return written(value, notation)


def _target_of(value: int | float | str, notation: Notation) -> Target | None:
    """The target a written value is read as, or None when it cannot be read."""
    try:
        return parse_target(Decimal(repr(value)) if isinstance(value, float) else value, notation)
    except ValueError:
        return None


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
    they read: a formula never computed (read as empty, or as the value a program that
    does not calculate kept), a percentage (85% kept as 0.85) or a number in thousands
    (5000 shown as 5), a merged cell (None: said once, at its range)."""
    refused: dict[int, SheetProblem | None] = {}
    for index in read:
        cell = f"{_column_name(index)}{number}"
        kept = formula_kept(
            marks, number, index + 1, row[index].value if index < len(row) else None
        )
        if (number, index) in merged:
            refused[index] = None
        elif kept is not None:
            refused[index] = SheetProblem(cell, kept)
        elif index < len(row):
            problem = disguised(row[index].value, getattr(row[index], "number_format", None))
            if problem is not None:
                refused[index] = SheetProblem(cell, problem)
    return refused


def read_targets(
    content: bytes,
    current: Mapping[str, tuple[str, Mapping[str, str]]],
    *,
    notation: Notation = UNSETTLED,
    years: Collection[int] | None = None,
    loaded: Mapping[str, Mapping[str, Target]] | None = None,
) -> tuple[list[TargetChange], list[SheetProblem]]:
    """The target changes of an uploaded workbook (its first sheet).

    ``current`` gives, for each indicator id, its name and its targets now (period →
    text, as the file writes them); ``loaded``, where given, the targets as the loader
    reads them. A cell equal to the target already there is no change. Each cell is read
    as the loader would read what is written for it, in the office's ``notation``, and
    refused at the cell when it cannot be; a column of a year outside the plan's ``years``
    is not read.
    """
    from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

    problems: list[SheetProblem] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [SheetProblem("-", not_a_workbook(io.BytesIO(content), error))]
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
            message = _("no column is headed with the indicator id (write 'id' over it)")
            return [], [SheetProblem("1", message)]
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
            message = _("no column is headed with a year (2026) or a triwulan (2026-TW1)")
            return [], [SheetProblem("1", message)]
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
        outside = {
            i: p for i, p in periods.items() if years is not None and int(p[:4]) not in years
        }
        unseen = _hidden_columns(workbook, sheet)
        hidden = {i: p for i, p in periods.items() if i + 1 in unseen and i not in outside}
        periods = {i: p for i, p in periods.items() if i not in outside and i not in hidden}
        if len(workbook.worksheets) > 1:
            problems.append(_other_sheets(workbook.worksheets))
        # Columns whose header names a period among other words: read past, but not in silence.
        near = {
            i: name
            for i, name in enumerate(names)
            if i != id_column
            and i not in periods
            and i not in outside
            and i not in hidden
            and _NAMES_A_PERIOD.search(name)
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
            filled.update(i for i in (*near, *outside, *hidden) if _cell_text(cells[i]) is not None)
            if id_column in refused:
                continue
            indicator = _cell_text(cells[id_column])
            values: dict[int, int | float | str | None] = dict.fromkeys(periods)
            for i in (i for i in periods if i not in refused):
                try:
                    values[i] = _read_cell(cells[i], notation)
                except ValueError as error:
                    problems.append(SheetProblem(f"{_column_name(i)}{number}", str(error)))
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
        problems += [
            _read_past(index, near[index])
            if index in near
            else _outside(index, outside[index])
            if index in outside
            else SheetProblem(f"{_column_name(index)}1", _hidden_column())
            for index in sorted(filled)
        ]
        changes: list[TargetChange] = []
        for (indicator, period), cells in found.items():
            if len({_target_of(value, notation) for _cell, value in cells}) > 1:
                problems.append(_differing_targets(indicator, period, cells))
                continue
            cell, value = cells[0]
            old = current[indicator][1].get(period)
            now = (loaded or {}).get(indicator, {}).get(period)
            same = _target_of(value, notation) == now if now is not None else old == str(value)
            if not same:
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


def _hidden_column() -> str:
    return _(
        "the column is hidden in the sheet (by Hide, in a collapsed group or by a width of zero),"
        " so its targets are not read; show every column (select the columns and choose"
        " Unhide), save the workbook and upload it again"
    )


_COLUMN = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def _hidden_columns(workbook: Any, sheet: Any) -> set[int]:
    """The columns (1-based) ``sheet`` hides: ``<col hidden="1">`` or a width of zero, in the
    ``<cols>`` written before the sheet's rows."""
    head = b""
    with workbook._archive.open(sheet._worksheet_path) as source:
        while b"sheetData" not in head and (chunk := source.read(65536)):
            head += chunk
    hidden: set[int] = set()
    for found in _COLUMN.finditer(head.split(b"sheetData")[0]):
        attributes = dict(_ATTRIBUTE.findall(found.group(1)))
        zero = re.fullmatch(rb"0*\.?0*", attributes.get(b"width", b"1"))
        if attributes.get(b"hidden") in (b"1", b"true") or zero:
            first, last = int(attributes.get(b"min", 0)), int(attributes.get(b"max", 0))
            hidden.update(range(first, last + 1))
    return hidden


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


def _outside(index: int, period: str) -> SheetProblem:
    return SheetProblem(
        f"{_column_name(index)}1",
        _(
            "the column headed {period} is not read: {year} is outside the plan; a target"
            " outside the plan years (plan_start and plan_end under [office]) is an error"
        ).format(period=period, year=period[:4]),
    )


def _other_sheets(sheets: Sequence[Any]) -> SheetProblem:
    return SheetProblem(
        "-",
        _(
            "only the first sheet, '{sheet}', is read; the targets in {others} are not: move"
            " them to the first sheet to import them"
        ).format(sheet=sheets[0].title, others=", ".join(f"'{s.title}'" for s in sheets[1:])),
    )
