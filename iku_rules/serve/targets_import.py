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
:class:`SheetProblem` with its cell, never skipped in silence.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from iku_rules.serve.text import _
from iku_rules.sources.xlsx_cells import SheetMarks, percent, sheet_marks, uncomputed

ID_HEADERS = (  # i18n: not for planners (headers matched, in either language)
    "id",
    "id indikator",
    "kode indikator",
    "indikator id",
    "indicator id",
)
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*TW\s*([1-4])|TW\s*([1-4])\s*-?\s*(\d{4}))$", re.I)
MAX_ROWS = 10_000


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
    float (written with the shortest digits that read back to it: ``55.33``), text as typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
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


def _refused(
    row: Sequence[Any], number: int, read: Iterable[int], marks: SheetMarks
) -> dict[int, SheetProblem]:
    """The cells of ``row`` (sheet row ``number``) among ``read`` that cannot be taken as
    they read: a formula never computed (read as empty), a percentage (85% kept as 0.85)."""
    refused = {}
    formulas = marks.uncomputed.get(number, frozenset())
    for index in read:
        cell = f"{_column_name(index)}{number}"
        if index + 1 in formulas:
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
        changes: list[TargetChange] = []
        for number, row in enumerate(iterator, start=2):
            if number > MAX_ROWS:
                problems.append(
                    SheetProblem(
                        str(number),
                        _("only the first {count} rows are read").format(count=MAX_ROWS),
                    )
                )
                break
            refused = _refused(row, number, [id_column, *periods], marks)
            problems.extend(refused.values())
            cells = [cell.value for cell in row] + [None] * (len(names) - len(row))
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
            name, targets = current[indicator]
            for index, value in values.items():
                if value is None:
                    continue
                old = targets.get(periods[index])
                if old == str(value):
                    continue
                changes.append(
                    TargetChange(
                        indicator,
                        name,
                        periods[index],
                        old,
                        str(value),
                        f"{_column_name(index)}{number}",
                        value,
                    )
                )
        return changes, problems
    finally:
        workbook.close()
