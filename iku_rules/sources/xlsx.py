"""Excel workbooks (``.xlsx``): the rows of one sheet, cells as openpyxl gives them.

A row Excel hides (by hand, by a filter, in a collapsed group, or made zero points high) is
read two ways by offices: rows filtered away while working, still data, or rows set aside,
not to be counted. It is read as the source declares (``hidden_rows = "read"`` or
``"skip"``), and refused at its row when the source does not say."""

from __future__ import annotations

import datetime as dt
import html
import math
import mmap
import re
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any, BinaryIO

from iku_rules.i18n import N_, _
from iku_rules.library_errors import file_unreadable
from iku_rules.sources.cells import DataError, _text
from iku_rules.sources.layout import (
    Gap,
    Rows,
    _blank,
    _ExcelError,
    _first_line,
    _listing,
    _locate,
    _needs,
    _pick,
    _Place,
    _unseen_sheet,
)
from iku_rules.sources.xlsx_cells import (
    SheetMarks,
    _letter,
    copy_shown,
    disguised,
    formula_kept,
    merged_cells,
    sheet_marks,
    too_long,
    totals_row,
    uncomputed,
)
from iku_rules.sources.xlsx_disguises import (
    DayFirst,
    LostZeros,
    date_as_number,
    in_text,
    padded,
    zero_date,
)
from iku_rules.sources.xlsx_formats import exported
from iku_rules.sources.xlsx_header import names_below, names_lower


def _xlsx_rows(columns: Sequence[str], place: _Place) -> Rows:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise place.error(_needs("openpyxl", ".xlsx"), whole=True) from error
    try:
        handle = place.path.open("rb")
    except OSError as error:
        raise place.error(file_unreadable(error), whole=True) from error
    _keep_the_day()
    with handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:
            raise place.error(
                not_a_workbook(handle, error, source=place.source.id), whole=True
            ) from error
        try:
            yield from _sheet_rows(workbook, columns, place)
        finally:
            workbook.close()


def _keep_the_day() -> None:
    """Have openpyxl read a date cell at the very end of its day in that day, not the next.

    openpyxl rounds the time of a date serial to the millisecond, and a time past
    23:59:59.9995 rounds into the next day: 46387.99999999999 (31 December 2026 at
    23:59:59.999999, as programs write the end of a day) reads as 1 January 2027 at 00:00,
    and a record of 2026 would count in 2027. Excel takes the day of a serial whole (its
    =INT and =YEAR give 31 December 2026): a serial that is not a whole number of days and
    reads as a midnight was rounded up into the next day, and reads instead as 23:59:59.999
    of its own. Done once for the process, on the function openpyxl's sheet reader calls to
    turn a serial into a date (a private one: a release that moves it leaves dates as
    openpyxl reads them, which the tests would tell); any other program reading workbooks
    in the process then reads such a serial in its day too."""
    from openpyxl.worksheet import _reader  # type: ignore[import-untyped, unused-ignore]

    rounding = getattr(_reader, "from_excel", None)
    if rounding is None or getattr(rounding, "keeps_the_day", False):
        return  # another openpyxl: tests/test_audit_xlsx_day_end.py says whether it rounds

    def from_excel(value: Any, *args: Any, **kwargs: Any) -> Any:
        moment = rounding(value, *args, **kwargs)
        if (
            isinstance(moment, dt.datetime)
            and moment.time() == dt.time()
            and isinstance(value, (int, float))
            and value != math.floor(value)
        ):
            return moment - dt.timedelta(milliseconds=1)
        return moment

    from_excel.keeps_the_day = True  # type: ignore[attr-defined]
    _reader.from_excel = from_excel


_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
"""The first bytes of an OLE2 compound file: an Excel 97–2003 workbook (.xls), or a workbook
Excel encrypted with a password (its .xlsx package kept inside one)."""


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
"""The name of the stream an encrypted workbook's package is kept in (names are UTF-16)."""


_OLD_BOOK = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
"""The names of the stream an Excel 97–2003 (and an Excel 5) workbook is kept in."""


def not_a_workbook(handle: BinaryIO, error: BaseException, *, source: str | None = None) -> str:
    """Why the file ``handle`` reads is not a workbook openpyxl reads (``error``), from its
    bytes: an old .xls, a workbook protected by a password, an XML Spreadsheet or a web
    page (:func:`.xlsx_formats.exported`), a text file (a CSV file named .xlsx), another
    ZIP archive (an OpenDocument sheet, a Word document), a workbook cut short; else ``error``'s text. ``source`` names the source it is the file
    of, if any (a text file may be its CSV, declared so there)."""
    encrypted = old = False
    names: list[str] | None = None
    start = b""
    try:
        handle.seek(0)
        start = handle.read(_HEAD)
        if start.startswith(_OLE2):
            encrypted, *books = _holds(handle, (_ENCRYPTED, *_OLD_BOOK))
            old = not encrypted and any(books)
        elif start.startswith(b"PK\x03\x04") and not isinstance(error, zipfile.BadZipFile):
            handle.seek(0)
            with zipfile.ZipFile(handle) as archive:
                names = archive.namelist()
    except (OSError, ValueError, zipfile.BadZipFile):
        pass  # told from what was read
    if start.startswith(_OLE2) and encrypted:
        return _(
            "the workbook is protected by a password (Excel keeps it encrypted, not as .xlsx):"
            " open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt"
            " with Password, and clear it) and save it"
        )
    if start.startswith(_OLE2) and old:
        return _(
            "the file is an old Excel workbook (.xls, Excel 97–2003), not .xlsx: open it in"
            " Excel and save it as Excel Workbook (.xlsx)"
        )
    if start.startswith(_OLE2):
        return _(
            "the file is an old Excel workbook (.xls) or a workbook protected by a password,"
            " not .xlsx: open it in Excel, remove the password if it asks for one (File > Info"
            " > Protect Workbook > Encrypt with Password), and save it as Excel Workbook (.xlsx)"
        )
    found = exported(start)  # an XML Spreadsheet, a web page (MHTML, HTML)
    if found is not None:
        return found
    if not start:
        return _("the file is empty: save the workbook again from Excel as .xlsx")
    if start.startswith(b"PK\x03\x04"):
        return _in_archive(names, error)
    if _text_file(start):
        if source is not None:
            return _(
                "the file is text (a CSV file named .xlsx?), not an Excel workbook: if it is"
                " CSV, name it .csv and declare format = \"csv\" in the [[source]] '{source}';"
                " else open it in Excel and save it as Excel Workbook (.xlsx)"
            ).format(source=source)
        return _(
            "the file is text (a CSV file named .xlsx?), not an Excel workbook: open it in"
            " Excel and save it as Excel Workbook (.xlsx)"
        )
    if isinstance(error, zipfile.BadZipFile):
        return _(
            "the file is not an Excel workbook (.xlsx): another program's file, or damaged;"
            " open it in Excel and save it as Excel Workbook (.xlsx)"
        )
    return _("the file cannot be read as an Excel workbook ({reason}); save it as .xlsx").format(
        reason=_first_line(error)
    )


def _holds(handle: BinaryIO, needles: Sequence[bytes]) -> list[bool]:
    """Whether the file ``handle`` reads holds each of ``needles`` (mapped, not read, when
    it is a file on disk)."""
    try:
        descriptor = handle.fileno()
    except (OSError, ValueError):  # bytes in memory (an upload): read them
        handle.seek(0)
        data = handle.read()
        return [data.find(needle) >= 0 for needle in needles]
    with mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) as mapped:
        return [mapped.find(needle) >= 0 for needle in needles]


def _in_archive(names: Sequence[str] | None, error: BaseException) -> str:
    """Why a ZIP archive (whose members are ``names``, None when they cannot be listed) is
    no workbook openpyxl reads."""
    if names is None:
        return _(_DAMAGED)
    if "content.xml" in names or "mimetype" in names:
        return _(
            "the file is an OpenDocument spreadsheet (.ods, from LibreOffice), not an Excel"
            " workbook: open it and save it as Excel Workbook (.xlsx)"
        )
    if any(name.startswith(("word/", "ppt/")) for name in names):
        return _(
            "the file is a Word or PowerPoint document, not an Excel workbook: give the"
            " workbook (.xlsx) instead"
        )
    if "[Content_Types].xml" not in names:
        return _(
            "the file is a ZIP archive, not an Excel workbook (a workbook packed in a .zip?):"
            " unpack it, or give the workbook (.xlsx) itself"
        )
    if damaged(error):
        return _(_DAMAGED)
    return _("the file cannot be read as an Excel workbook ({reason}); save it as .xlsx").format(
        reason=_first_line(error)
    )


_DAMAGED = N_(
    "the workbook is incomplete or damaged (cut short while it was copied or downloaded?):"
    " copy it again, or open it in Excel and save it again as .xlsx"
)


def damaged(error: BaseException) -> bool:
    """Whether ``error``, raised reading a workbook's parts, says that a part cannot be
    unpacked, is not whole or is not there (zipfile's ``KeyError`` for a part the package
    names, ``xl/workbook.xml``): the workbook is damaged or cut short."""
    if isinstance(error, KeyError):  # zipfile's alone, never another
        return "There is no item named" in str(error)  # i18n: not for planners
    return isinstance(error, zipfile.BadZipFile | zlib.error | EOFError) or type(
        error
    ).__name__ in ("ParseError", "XMLSyntaxError")


_SHEET_NAME = re.compile(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")
"""A sheet the workbook's ``xl/workbook.xml`` lists, and its name (XML-escaped)."""


def _listed_sheets(place: _Place) -> list[str]:
    """The sheets ``xl/workbook.xml`` lists, whose parts openpyxl leaves out, without a
    word, when the file does not hold them; none when it cannot be read."""
    try:
        with zipfile.ZipFile(place.path) as archive:
            listed = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error, EOFError):
        return []
    return [html.unescape(name) for name in _SHEET_NAME.findall(listed)]


def _text_file(start: bytes) -> bool:
    """Whether the first bytes of a file are text (UTF-8, or ANSI as Windows saves it)."""
    if b"\x00" in start:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            start.decode(encoding)
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start >= len(start) - 3:
                return True  # a character cut by the end of the bytes read
            continue
        return True
    return False


_HEAD = 4096
"""The bytes read of a file that is not a workbook, to tell what it is."""


def _sheet_rows(workbook: Any, columns: Sequence[str], place: _Place) -> Rows:
    wanted = place.source.table_name
    names = list(workbook.sheetnames)
    name = _pick(wanted, names)
    if name is None and _pick(wanted, _listed_sheets(place)) is not None:
        raise place.error(  # listed in the workbook, but its part is not in the file
            _(
                "the workbook lists the sheet '{sheet}' but the file does not hold it: the"
                " workbook is incomplete or damaged (cut short while it was copied or"
                " downloaded?); copy it again, or open it in Excel and save it again as .xlsx"
            ).format(sheet=wanted),
            whole=True,
        )
    if name is None:
        unseen = _unseen_sheet(wanted, names, place.source.id)
        if unseen is not None:
            raise place.error(unseen, whole=True)
        raise place.error(
            _("the workbook has no sheet '{sheet}' (its sheets are {sheets})").format(
                sheet=wanted, sheets=_listing(names)
            ),
            whole=True,
        )
    set_aside = copy_shown(workbook, name, place.source.id)
    if set_aside is not None:
        raise place.error(set_aside, whole=True)
    number = 0
    try:
        sheet = workbook[name]
        if not hasattr(sheet, "iter_rows"):
            raise place.error(_("the sheet is a chart, not a table of cells"))
        # Some programs record the used range wrongly; read every row there is.
        sheet.reset_dimensions()
        marks = sheet_marks(workbook, sheet)
        indices: list[int] | None = None
        gap: Gap = None
        dates, zeros = DayFirst(), LostZeros()
        skipped = marks.hidden if place.source.hidden_rows == "skip" else frozenset()
        rows = enumerate(sheet.iter_rows(), start=1)
        for number, cells in rows:
            if indices is not None and number in skipped:
                continue  # left out, as the source declares: nothing in it is read
            _refuse_uncomputed(marks, number, columns, indices, cells, place)
            values = [
                _ExcelError(str(cell.value)) if cell.data_type == "e" else cell.value
                for cell in cells
            ]
            if all(_blank(value) for value in values):
                if indices is not None:  # skipped, as CSV skips empty lines
                    gap = (gap[0] if gap else number, number)
                continue
            if indices is None:
                header = ["" if _blank(value) else _text(value).strip() for value in values]
                try:
                    indices = _locate(header, columns, place, _("the sheet"))
                except DataError:
                    lower = names_below(rows, columns)  # a title above the names
                    if lower is not None:
                        raise place.error(names_lower(number, lower), row=number) from None
                    _refuse_merged(marks, number, None, None, place)  # a header merged away
                    raise
                _refuse_merged(marks, number, columns, indices, place)
                place.header = header
                continue
            if number in marks.hidden and place.source.hidden_rows is None:
                raise place.error(hidden_row(place.source.id), row=number)
            _refuse_totals(marks, number, place)
            shown = _refuse_cells(
                cells, number, columns, indices, place, (dates, zeros), workbook.epoch
            )
            picked = [
                shown.get(index, values[index]) if index < len(values) else None
                for index in indices
            ]
            yield number, picked, gap, values
            gap = None
        if indices is None:
            raise place.error(_("the sheet is empty; its first row must name the columns"))
        swapped = dates.swapped()
        if swapped is not None:
            column, number, message = swapped
            raise place.error(message, row=number, column=column)
    except DataError:
        raise
    except Exception as error:
        message = (
            _(_DAMAGED)
            if damaged(error)
            else _("the sheet cannot be read ({reason})").format(reason=_first_line(error))
        )
        raise place.error(message, row=number or None) from error


def hidden_row(source: str) -> str:
    """The message of a row holding values that Excel hides, in a source that does not
    declare what hidden rows are."""
    return _(
        "the row is hidden in the sheet (by a filter, by Hide, in a collapsed group or by a height"
        " of zero): it would be read though Excel does not show it; show every row (clear the"
        " filter, or select the rows and choose Unhide) and save the workbook, or declare in the"
        " [[source]] '{source}' hidden_rows = \"read\" to read hidden rows like any other or"
        ' hidden_rows = "skip" to leave them out'
    ).format(source=source)


def _refuse_uncomputed(
    marks: SheetMarks,
    number: int,
    columns: Sequence[str],
    indices: Sequence[int] | None,
    cells: Sequence[Any],
    place: _Place,
) -> None:
    """A formula without a computed value in row ``number``: in any cell while the header is
    sought, in a declared column below it (openpyxl reads it as an empty cell, or as the
    value kept by a program that does not calculate: XlsxWriter keeps 0 for every formula)."""
    if indices is None:
        formulas = marks.uncomputed.get(number)
        if formulas:
            raise place.error(uncomputed(f"{_letter(min(formulas))}{number}"), row=number)
        return
    for column, index in zip(columns, indices, strict=True):
        value = cells[index].value if index < len(cells) else None
        problem = formula_kept(marks, number, index + 1, value)
        if problem is not None:
            raise place.error(problem, row=number, column=column)


def _refuse_totals(marks: SheetMarks, number: int, place: _Place) -> None:
    """A row of a register whose cell totals the cells above it (``=SUM(C2:C10)``): a row
    of totals, counted with the rows it totals. In a realisasi or inputs table the whole
    area's row (its region left empty) is their total by design, read once when they agree."""
    found = marks.totals.get(number)
    if not found or place.source.kind != "register":
        return
    column = min(found)
    raise place.error(totals_row(f"{_letter(column)}{number}", found[column]), row=number)


def _refuse_merged(
    marks: SheetMarks,
    header: int,
    columns: Sequence[str] | None,
    indices: Sequence[int] | None,
    place: _Place,
) -> None:
    """A merged range over the declared columns, in the header (row ``header``) or below it;
    without ``indices`` (the header lacks a declared column), one in the header row."""
    read = [index + 1 for index in indices or ()]
    for merged in marks.merged:
        if columns is None:
            if merged.min_row <= header <= merged.max_row:
                raise place.error(merged_cells(merged.ref), row=header)
            continue
        touched = merged.touches(header, read)
        if touched is not None:
            raise place.error(
                merged_cells(merged.ref),
                row=max(merged.min_row, header),
                column=columns[read.index(touched)],
            )


def _refuse_cells(
    cells: Sequence[Any],
    number: int,
    columns: Sequence[str],
    indices: Sequence[int],
    place: _Place,
    seen: tuple[DayFirst, LostZeros],
    epoch: Any,
) -> dict[int, str]:
    """A percentage in a number column; in a text column a number longer than Excel keeps or
    a cell Excel did not keep as typed (:mod:`~iku_rules.sources.xlsx_disguises`), and codes
    kept both as text with a leading zero and as numbers without it; in a date
    column Excel's date zero and dates typed day first read month first; a date in a number
    column (a number formatted as a date, ``epoch`` its workbook's day zero). Returns the
    text columns' numbers shown with leading zeros, as shown (index → text)."""
    types = place.source.columns
    shown: dict[int, str] = {}
    for column, index in zip(columns, indices, strict=True):
        if index >= len(cells):
            continue
        cell = cells[index]
        kind = types.get(column)
        number_format = getattr(cell, "number_format", None)
        problem = None
        if kind in ("integer", "decimal"):
            problem = disguised(cell.value, number_format) or date_as_number(cell.value, epoch)
        elif kind == "text":
            problem = (
                too_long(cell.value)
                or in_text(cell.value, number_format)
                or seen[1].see(column, number, cell.value, number_format)
            )
            text = padded(cell.value, number_format)
            if text is not None:
                shown[index] = text
        elif kind == "date":
            problem = zero_date(cell.value)
            seen[0].see(column, number, cell.value)
        if problem is not None:
            raise place.error(problem, row=number, column=column)
    return shown
