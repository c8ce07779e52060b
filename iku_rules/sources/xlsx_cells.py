"""What a sheet read by openpyxl (read-only, computed values) does not say by its values:
formulas whose value was never computed, merged cells, hidden rows, percentages and numbers
longer than Excel keeps.

openpyxl gives ``None`` for a formula that no program computed (a workbook written by a
program that does not calculate) and for every cell of a merged range but its first: both
look like empty cells; a workbook that asks to be recalculated when it is opened
(``fullCalcOnLoad``, as XlsxWriter writes it, keeping 0 as every formula's value) keeps
values no program computed, which Excel never shows; a row hidden in Excel (by hand, by a filter, in a collapsed group, or
made zero points high, which Excel shows as hidden) is given like any other, though the
office does not see it. :func:`sheet_marks` finds them in
the sheet's XML, scanning its bytes first and parsing them only when they hold a formula, a
merged range or something hidden, so that an ordinary sheet of values costs one pass over
its bytes. The messages here are shared by the reader of sources and the import of targets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from attrs import field, frozen

from iku_rules.decimals import round_half_away
from iku_rules.i18n import N_, _
from iku_rules.sources.cells import _float_decimal, _text

UNCOMPUTED_FIX = N_(
    "open the workbook in Excel (or LibreOffice) and save it, so that the value is computed"
    " and kept"
)


@frozen
class Merged:
    """A merged range: its reference as Excel writes it (``B2:B3``) and its bounds (1-based)."""

    ref: str
    min_column: int
    min_row: int
    max_column: int
    max_row: int

    def touches(self, first_row: int, columns: Sequence[int]) -> int | None:
        """The first of ``columns`` this range covers in a row at or below ``first_row``."""
        if self.max_row < first_row:
            return None
        return next((c for c in columns if self.min_column <= c <= self.max_column), None)


@frozen
class SheetMarks:
    """The formulas without a computed value (row → its columns, 1-based), merged ranges and
    hidden rows."""

    uncomputed: dict[int, frozenset[int]]
    merged: tuple[Merged, ...]
    hidden: frozenset[int] = frozenset()
    """The rows (1-based) Excel hides: by hand, by a filter, in a collapsed group, or by a
    height of zero (``ht="0"``: Excel shows no such row, and counts it hidden); in a sheet
    whose rows are zero high unless they say otherwise (``<sheetFormatPr zeroHeight="1">``,
    Excel's "hide every row below"), every row that gives itself no height."""
    stale: Mapping[int, frozenset[int]] = field(factory=dict)
    """The formulas (row → its columns, 1-based) that keep a value in a workbook that asks
    to be recalculated when it is opened: a value its writer put there, not computed (0 for
    every formula, as XlsxWriter writes them), which Excel replaces as it opens the file."""
    totals: Mapping[int, Mapping[int, str]] = field(factory=dict)
    """The cells (row → column → formula, 1-based) whose formula totals the cells above them
    in their own column (``SUM(C2:C10)`` in C11, ``SUBTOTAL(109,Tabel1[nilai])`` in a
    table's total row): their rows are rows of totals."""


NO_MARKS = SheetMarks({}, ())


_WANTED = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?(?:f|mergeCell)[\s/>]|\shidden\s*=\s*["\'](?:1|true)'
    rb'|\sht\s*=\s*["\']\s*[+-]?(?:0+\.?0*|\.0+)(?:[eE][+-]?[0-9]+)?\s*["\']'
    rb'|\szeroHeight\s*=\s*["\'](?:1|true)'
)
"""The start of a formula (``<f>``, ``<f t="shared" .../>``) or a merged range in sheet XML,
an element marked hidden (a row, or a column), a row zero points high, or a sheet whose
rows are hidden unless they say otherwise."""


_CHUNK = 1 << 20


_RECALCULATE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?calcPr\b[^>]*?\sfullCalcOnLoad\s*=\s*["\'](?:1|true)["\']'
)
"""The workbook's calculation settings asking for every formula to be computed again when
the workbook is opened (read from the XML: openpyxl takes a ``calcPr`` without the
attribute as asking it too)."""


def sheet_marks(workbook: Any, sheet: Any) -> SheetMarks:
    """The marks of ``sheet``, a worksheet of ``workbook`` loaded by openpyxl read-only."""
    archive, path = workbook._archive, sheet._worksheet_path
    with archive.open(path) as source:
        if not _holds_marks(source):
            return NO_MARKS
    with archive.open(path) as source:
        return _parse(source, recalculate=_recalculates(archive))


def _recalculates(archive: Any) -> bool:
    """Whether the workbook in ``archive`` (its ZIP package) asks to be recalculated when it
    is opened: the values its formulas keep were not computed by the program that wrote it."""
    names = archive.namelist()
    name = "xl/workbook.xml"
    if name not in names:  # a package that names its parts otherwise
        name = next((found for found in names if found.endswith("/workbook.xml")), "")
    if not name:
        return False
    with archive.open(name) as part:
        return _RECALCULATE.search(part.read()) is not None


def _holds_marks(source: IO[bytes]) -> bool:
    tail = b""
    while chunk := source.read(_CHUNK):
        if _WANTED.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _hidden_row(row: Any, hidden_unless_high: bool) -> bool:
    """Whether a ``<row>`` is hidden: marked so, zero points high, or (in a sheet whose rows
    are hidden unless they say otherwise) not marked shown and without a height above 0."""
    marked = row.get("hidden")
    if marked in ("1", "true"):
        return True
    height = _height(row.get("ht"))
    if height == 0:
        return True
    return hidden_unless_high and marked not in ("0", "false") and not height


def _height(height: str | None) -> float | None:
    """A row's ``ht`` (its height in points, an XML double), or None."""
    try:
        return None if height is None else float(height)
    except ValueError:
        return None


def _parse(source: IO[bytes], *, recalculate: bool = False) -> SheetMarks:
    """The marks of a sheet's XML; ``recalculate``: its workbook asks to be recalculated
    when it is opened, so that every formula's value kept is one no program computed."""
    from openpyxl.utils.cell import (  # type: ignore[import-untyped, unused-ignore]
        column_index_from_string,
        coordinate_from_string,
        range_boundaries,
    )

    uncomputed: dict[int, set[int]] = {}
    stale: dict[int, set[int]] = {}
    merged: list[Merged] = []
    hidden: set[int] = set()
    totals: dict[int, dict[int, str]] = {}
    hidden_unless_high = False  # zeroHeight: a row without a height of its own is hidden
    row = column = 0
    holder = None  # sheetData: its finished rows are dropped as they come
    for event, element in iterparse(source, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                row = int(element.get("r") or row + 1)
                column = 0
                if _hidden_row(element, hidden_unless_high):
                    hidden.add(row)
            elif tag == "sheetFormatPr":
                hidden_unless_high = element.get("zeroHeight") in ("1", "true")
            elif tag == "sheetData":
                holder = element
            continue
        if tag == "c":
            ref = element.get("r")
            if ref:
                letters, row = coordinate_from_string(ref)
                column = column_index_from_string(letters)
            else:
                column += 1
            if _never_computed(element):
                uncomputed.setdefault(row, set()).add(column)
            elif recalculate and _holds_formula(element):
                stale.setdefault(row, set()).add(column)
            total = _total_formula(element, row, column)
            if total is not None:
                totals.setdefault(row, {})[column] = total
            element.clear()
        elif tag == "row" and holder is not None:
            holder.clear()
        elif tag == "mergeCell" and element.get("ref"):
            ref = str(element.get("ref"))
            low_column, low_row, high_column, high_row = range_boundaries(ref)
            merged.append(Merged(ref, low_column, low_row, high_column, high_row))
    return SheetMarks(
        {number: frozenset(columns) for number, columns in uncomputed.items()},
        tuple(merged),
        frozenset(hidden),
        {number: frozenset(columns) for number, columns in stale.items()},
        totals,
    )


_RANGE_TOTAL = re.compile(
    r"\s*(?:_xlfn\.)?(SUM|SUBTOTAL|AGGREGATE)\(\s*(?:[0-9]+\s*,\s*)*"
    r"(?:(?:'[^']*'|[^\s!():,]+)!)?\$?([A-Z]{1,3})\$?([0-9]+):\$?([A-Z]{1,3})\$?([0-9]+)\s*\)\s*",
    re.IGNORECASE,
)
"""A formula totalling one range: ``SUM(C2:C10)``, ``SUBTOTAL(9,$C$2:$C$10)``,
``AGGREGATE(9,5,Data!C2:C10)``."""


_TABLE_TOTAL = re.compile(
    r"\s*(?:_xlfn\.)?SUBTOTAL\(\s*1?0?9\s*,\s*[^\[\]()]*\[[^\[\]()]+\]\s*\)\s*"
)
"""The sum Excel writes in the total row of a table: ``SUBTOTAL(109,Tabel1[nilai])``."""


def _total_formula(cell: Any, row: int, column: int) -> str | None:
    """The formula of a ``<c>`` in ``row`` and ``column`` that totals the cells above it in
    its own column (a row of totals), else None. A cell sharing the formula of another
    (``<f t="shared" si="0"/>``) is not looked at: a row of totals shares its formula along
    the row, and its first cell, in the same row, holds the text."""
    formula = next((child for child in cell if _local(child.tag) == "f"), None)
    if formula is None or not formula.text:
        return None
    return formula.text if _totals_above(formula.text, row, column) else None


def _totals_above(text: str, row: int, column: int) -> bool:
    """Whether the formula ``text`` of the cell in ``row`` and ``column`` totals cells above
    it in its own column."""
    from openpyxl.utils.cell import column_index_from_string

    match = _RANGE_TOTAL.fullmatch(text)
    if match is not None:
        first, last = (column_index_from_string(match.group(i).upper()) for i in (2, 4))
        return first == last == column and max(int(match.group(3)), int(match.group(5))) < row
    return _TABLE_TOTAL.fullmatch(text) is not None


def totals_row(cell: str, formula: str) -> str:
    """The message of a row of totals in a register, found by the formula (``SUM(C2:C10)``)
    of its cell (``C11``)."""
    return _(
        "the cell {cell} holds the formula ={formula}, the total of the cells above it: the row"
        " is a row of totals, not a row of the register, and its numbers would count twice;"
        " delete the row, or move the totals below the table to another sheet"
    ).format(cell=cell, formula=formula.strip())


def _never_computed(cell: Any) -> bool:
    """Whether a ``<c>`` holds a formula without its value: no ``<v>``, or an empty one (as
    openpyxl writes it) where only a text result (``t="str"``) can be empty."""
    formula = value = None
    for child in cell:
        tag = _local(child.tag)
        if tag == "f":
            formula = child
        elif tag == "v":
            value = child
    if formula is None:
        return False
    return value is None or (not value.text and cell.get("t") != "str")


def _holds_formula(cell: Any) -> bool:
    """Whether a ``<c>`` holds a formula."""
    return any(_local(child.tag) == "f" for child in cell)


def not_recalculated(cell: str, value: object) -> str:
    """The message of a formula cell (``B5``) keeping ``value`` in a workbook that asks to be
    recalculated when it is opened."""
    return _(
        "the cell {cell} holds a formula whose value was never computed: the workbook asks"
        " to be recalculated when it is opened, as programs that do not calculate (such as"
        " XlsxWriter) write it, and the value they keep, {value}, may not be the formula's;"
        " open the workbook in Excel and save it (in LibreOffice, choose Data > Calculate >"
        " Recalculate Hard before saving), so that the value is computed and kept"
    ).format(cell=cell, value=_text(value) if value not in (None, "") else "''")


def formula_kept(marks: SheetMarks, row: int, column: int, value: object) -> str | None:
    """The message of the cell in ``row`` and ``column`` (1-based) holding ``value``, when
    it holds a formula whose value was never computed or was kept by a program that does
    not calculate (:attr:`SheetMarks.stale`); else None."""
    cell = f"{_letter(column)}{row}"
    if column in marks.uncomputed.get(row, ()):
        return uncomputed(cell)
    if column in marks.stale.get(row, ()):
        return not_recalculated(cell, value)
    return None


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    return str(get_column_letter(column))


def uncomputed(cell: str) -> str:
    """The message of a formula cell (``B5``) whose value was never computed."""
    return _(
        "the cell {cell} holds a formula whose value was never computed (the workbook was"
        " written by a program that does not calculate), so it would be read as empty; {fix}"
    ).format(cell=cell, fix=_(UNCOMPUTED_FIX))


def copy_shown(workbook: Any, name: str, source: str) -> str | None:
    """The message of the sheet ``name`` (of the source ``source``) hidden in ``workbook``
    beside a copy of it that is shown (``Data (2)``, as Excel names a copy; ``Data_2``, as
    LibreOffice does), else None: the office copied the sheet, went on in the copy and hid
    the old one, which the source still names; read, its numbers would be those the office
    set aside."""
    if getattr(workbook[name], "sheet_state", "visible") == "visible":
        return None
    copy = re.compile(rf"{re.escape(name)}(?: \([0-9]+\)|_[0-9]+)", re.IGNORECASE)
    shown = [
        other
        for other in workbook.sheetnames
        if copy.fullmatch(other) and getattr(workbook[other], "sheet_state", None) == "visible"
    ]
    if not shown:
        return None
    return _(
        "the sheet '{sheet}' is hidden in the workbook, and '{copy}', a copy of it, is shown:"
        " the sheet set aside would be read; if the data are in '{copy}', declare"
        " table = \"{copy}\" in the [[source]] '{source}' (or delete '{sheet}' and give the"
        " copy its name); if they are in '{sheet}', show it (right-click a sheet tab >"
        " Unhide) and delete or rename the copy"
    ).format(sheet=name, copy=shown[0], source=source)


def merged_cells(ref: str) -> str:
    """The message of a merged range (``B2:B3``) over the cells read."""
    return _(
        "the cells {range} are merged: only the first of them holds the value, the others are"
        " read as empty, and their rows would drop out of their region or period; unmerge"
        " them and write the value in each row"
    ).format(range=ref)


_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')
"""What a number format shows as written: quoted text, escaped and padding characters, and
[conditions] or [colours]; a ``%`` elsewhere multiplies the value by 100."""


def is_percent(number_format: object) -> bool:
    """Whether a cell's number format shows its value as a percentage (``0%``, ``0.00%``).

    >>> is_percent("0%"), is_percent("0.00%;-0.00%"), is_percent('0"%"'), is_percent("General")
    (True, True, False, False)
    """
    return isinstance(number_format, str) and "%" in _QUOTED.sub("", number_format)


def percent(value: object, number_format: object) -> str | None:
    """The message of a number cell formatted as a percentage (``0.85`` shown as ``85%``),
    else ``None``: Excel keeps 85% as 0.85, which a number column would read as 0.85."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if not is_percent(number_format):
        return None
    exact = _float_decimal(value) if isinstance(value, float) else Decimal(value)
    shown = _text(exact.scaleb(2).normalize())
    return _(
        "the cell is formatted as a percentage: it shows {shown}% but holds {value}, and would"
        " be read as {value}; format the cell as a number and write {shown} in it"
    ).format(shown=shown, value=_text(value))


_SCALING = re.compile(r"[0#?.](,+)[^0#?]*$")
"""The commas after the last digit of a section of a number format (``#,##0,,``): each
divides what the cell shows by 1000; commas between digits group them."""

_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?[0-9]+(?:\.[0-9]*)?)\]")
"""A condition choosing a section of a number format (``[>=1000000]``)."""

_TESTS = {
    "<=": Decimal.__le__,
    ">=": Decimal.__ge__,
    "<>": Decimal.__ne__,
    "<": Decimal.__lt__,
    ">": Decimal.__gt__,
    "=": Decimal.__eq__,
}


def _section(number_format: str, value: Decimal) -> str:
    """The section of a number format that shows ``value``: the first whose condition it
    meets (``[>=1000]0,"rb";0``) or, without conditions, the one for its sign."""
    sections = number_format.split(";")
    if _CONDITION.search(number_format) is None:
        return sections[1] if value < 0 and len(sections) > 1 else sections[0]
    for section in sections[:3]:
        condition = _CONDITION.search(section)
        if condition is None or _TESTS[condition.group(1)](value, Decimal(condition.group(2))):
            return section
    return sections[0]


def _scale(number_format: str, value: Decimal) -> tuple[int, int] | None:
    """The power of 1000 the number format divides ``value`` by when it shows it, and the
    decimals it shows, or None when it shows the value as it is."""
    section = _QUOTED.sub("", _section(number_format, value))
    found = _SCALING.search(section)
    if found is None:
        return None
    _whole, point, fraction = section[: found.start(1)].partition(".")
    return len(found.group(1)), sum(fraction.count(mark) for mark in "0#?") if point else 0


def scaled(value: object, number_format: object) -> str | None:
    """The message of a number cell whose number format shows it divided by a thousand or a
    million (``#,##0,`` shows 12000 as 12, ``#,##0,,"jt"`` 12500000 as 13jt), else None:
    the sheet shows one number and holds another, a thousand or a million times larger,
    which a number column would read. Excel keeps the formats in its own notation,
    whatever the language it shows them in."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or not value:
        return None
    if not isinstance(number_format, str):
        return None
    exact = _float_decimal(value) if isinstance(value, float) else Decimal(value)
    found = _scale(number_format, exact)
    if found is None:
        return None
    power, decimals = found
    meant = exact.scaleb(-3 * power)
    shown = round_half_away(meant, decimals)
    return _(
        "the cell's number format '{format}' shows its number divided by {factor} (the"
        " commas at its end): it shows {shown} but holds {value}, and would be read as"
        " {value}; format the cell as a number without those commas, so that it shows what it"
        " holds, and if the column is meant in thousands or millions, write {meant} in it"
    ).format(
        format=number_format,
        factor=_text(Decimal(1000**power)),
        shown=_text(shown),
        value=_text(value),
        meant=_text(meant.normalize()),
    )


EXCEL_DIGITS = 15
"""Excel keeps 15 significant digits of a number; what is typed past them becomes 0."""


def too_long(value: object) -> str | None:
    """The message of a number cell in a text column with more digits than Excel keeps
    (an identifier typed as a number: two NIKs that differ past the 15th digit become one),
    else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    digits = _text(value).lstrip("-").replace(".", "").lstrip("0")
    if len(digits) <= EXCEL_DIGITS:
        return None
    return _(
        "the cell holds the number {value}, of {count} digits: Excel keeps only {limit} digits"
        " of a number, so the digits typed after them are lost and two identifiers can become"
        " one; format the column as Text in Excel and type them again"
    ).format(value=_text(value), count=len(digits), limit=EXCEL_DIGITS)


def disguised(value: object, number_format: object) -> str | None:
    """The message of a number cell that shows another number than it holds: formatted as a
    percentage (:func:`percent`) or in thousands or millions (:func:`scaled`); else None."""
    return percent(value, number_format) or scaled(value, number_format)
