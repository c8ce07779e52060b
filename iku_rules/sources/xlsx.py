"""Excel workbooks (``.xlsx``): the rows of one sheet, cells as openpyxl gives them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from iku_rules.i18n import _
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
)


def _xlsx_rows(columns: Sequence[str], place: _Place) -> Rows:
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise place.error(_needs("openpyxl", ".xlsx"), whole=True) from error
    try:
        handle = place.path.open("rb")
    except OSError as error:
        raise place.error(
            _("the file cannot be read ({reason})").format(reason=error.strerror or error),
            whole=True,
        ) from error
    with handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:
            raise place.error(
                _(
                    "the file cannot be read as an Excel workbook ({reason}); save it as .xlsx"
                ).format(reason=_first_line(error)),
                whole=True,
            ) from error
        try:
            yield from _sheet_rows(workbook, columns, place)
        finally:
            workbook.close()


def _sheet_rows(workbook: Any, columns: Sequence[str], place: _Place) -> Rows:
    wanted = place.source.table_name
    names = list(workbook.sheetnames)
    name = _pick(wanted, names)
    if name is None:
        raise place.error(
            _("the workbook has no sheet '{sheet}' (its sheets are {sheets})").format(
                sheet=wanted, sheets=_listing(names)
            ),
            whole=True,
        )
    number = 0
    try:
        sheet = workbook[name]
        if not hasattr(sheet, "iter_rows"):
            raise place.error(_("the sheet is a chart, not a table of cells"))
        # Some programs record the used range wrongly; read every row there is.
        sheet.reset_dimensions()
        indices: list[int] | None = None
        gap: Gap = None
        for number, cells in enumerate(sheet.iter_rows(), start=1):
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
                indices = _locate(header, columns, place, _("the sheet"))
                continue
            picked = [values[index] if index < len(values) else None for index in indices]
            yield number, picked, gap
            gap = None
        if indices is None:
            raise place.error(_("the sheet is empty; its first row must name the columns"))
    except DataError:
        raise
    except Exception as error:
        raise place.error(
            _("the sheet cannot be read ({reason})").format(reason=_first_line(error)),
            row=number or None,
        ) from error
