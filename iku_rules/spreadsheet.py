"""Cells of a CSV file meant for a spreadsheet, made safe to open.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (and a tab or a carriage return in front does not stop them), so
a name in the data such as ``=HYPERLINK("http://…")`` would become a live formula in
the planner's spreadsheet ("CSV injection"). As OWASP recommends, such a text is
written with a single quote in front, which the spreadsheet shows as text. Numbers are
left as they are: ``-12.5`` is a number, not a formula.

>>> [safe_cell(value) for value in ("=1+1", "@SUM(A1)", "-12.5", -3, "\\tx", "Labuan", None)]
["'=1+1", "'@SUM(A1)", '-12.5', -3, "'\\tx", 'Labuan', None]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not start with, lest a spreadsheet run it."""

_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet may open it: a text starting with a formula's first
    character gets a ``'`` in front, unless it is a plain number; anything else as it is."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of ``row`` made safe (:func:`safe_cell`)."""
    return {key: safe_cell(value) for key, value in row.items()}
