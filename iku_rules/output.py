"""Exact output: every number in JSON and CSV carries the digits of its Decimal.

Indicator values are exact decimals inside (50 significant digits); a binary float
(``33.333333333333336``) would print digits the value does not have. So JSON is written
by :func:`json_dumps`, which writes a :class:`~decimal.Decimal` as a JSON number literal
of exactly its digits (``33.33333333333333333333333333333333333333333333333``, ``25.00``),
and CSV cells by :func:`cell_text`, the same digits as text. Nothing is rounded that the
value does not round itself: capaian carries the two decimals the rule table gives it.

Read such JSON back with ``json.loads(text, parse_float=Decimal)`` to get every Decimal
back, digit for digit; a plain ``json.loads`` gives the nearest floats.

>>> print(json_dumps({"value": Decimal("12.520345561537498434956804807812695630399399023413"), "target": [Decimal("80"), Decimal("90.5")]}))
{
  "value": 12.520345561537498434956804807812695630399399023413,
  "target": [
    80,
    90.5
  ]
}
>>> json.loads(json_dumps(Decimal("25.00")), parse_float=Decimal)
Decimal('25.00')

JSON and CSV (``iku eval --format json``, ``--format csv``) are for programs: locale-free,
``1234.5`` whatever the language. A planner's spreadsheet gets CSV in the office's notation
(``iku eval --format excel``, :func:`write_spreadsheet_csv`): the decimal comma and ``;``
between cells in Indonesian, as Excel set to Indonesian opens it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, TextIO

from iku_rules.decimals import round_half_away
from iku_rules.i18n import _, decimal_sign, format_number
from iku_rules.model import THRESHOLD_SIGNS, Target, Threshold
from iku_rules.spreadsheet import safe_cell
from iku_rules.trace import format_decimal

_PLAIN_DIGITS = 60
"""Up to this many digits before or after the point a number is written without exponent."""


def decimal_text(value: Decimal) -> str:
    """``value`` as a JSON number literal with exactly its digits: plain notation, or
    an exponent for a number too large or too small to write out (``1E+70``). A zero has
    no sign (``-0.00`` is written ``0.00``).

    >>> decimal_text(Decimal("25.00")), decimal_text(Decimal("-0.5")), decimal_text(Decimal("1E+3"))
    ('25.00', '-0.5', '1000')
    >>> decimal_text(Decimal("-0.00"))
    '0.00'
    """
    if not value.is_finite():
        raise ValueError(_("{value} is not a finite number").format(value=value))
    if value.is_zero():
        value = value.copy_abs()
    if -_PLAIN_DIGITS < value.adjusted() < _PLAIN_DIGITS:
        text = format(value, "f")
    else:
        text = format(value, "E")
    return text


def json_target(target: Target | None) -> Any:
    """A target as JSON data: a number, ``[low, high]`` for a range, or
    ``{"threshold": "<=", "value": 14}`` for a threshold."""
    if isinstance(target, Threshold):
        return {"threshold": target.op, "value": target.value}
    if isinstance(target, tuple):
        return [target[0], target[1]]
    return target


def json_dumps(data: Any, indent: int = 2) -> str:
    """``data`` (mappings, sequences, text, numbers, Decimals, True/False/None) as JSON,
    laid out as ``json.dumps(data, indent=indent, ensure_ascii=False)`` lays it out, with
    every Decimal written exactly (:func:`decimal_text`)."""
    parts: list[str] = []
    _write(data, "\n", " " * indent, parts)
    return "".join(parts)


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _value: "null",
    Decimal: decimal_text,
}
"""How a value of each of the common exact types is written: looked up by type, as the
value of every row of ``iku eval --format json`` is (ABC checks for each would take most
of the writing). The strings are escaped as ``json.dumps(..., ensure_ascii=False)``
escapes them, by the same function of its C encoder."""


def _write(value: Any, newline: str, step: str, parts: list[str]) -> None:
    """Append ``value`` as JSON to ``parts``; ``newline`` starts a line at its depth,
    ``step`` is one level of indent."""
    scalar = _SCALARS.get(value.__class__)
    if scalar is not None:
        parts.append(scalar(value))
    elif isinstance(value, Decimal):
        parts.append(decimal_text(value))
    elif isinstance(value, Mapping):
        if not value:
            parts.append("{}")
            return
        inner = newline + step
        separator = "{" + inner
        for key, item in value.items():
            parts.append(separator + encode_basestring(str(key)) + ": ")
            separator = "," + inner
            written = _SCALARS.get(item.__class__)  # most items, without a call of _write
            if written is not None:
                parts.append(written(item))
            else:
                _write(item, inner, step, parts)
        parts.append(newline + "}")
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if not value:
            parts.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            separator = "," + inner
            _write(item, inner, step, parts)
        parts.append(newline + "]")
    else:
        parts.append(json.dumps(value, ensure_ascii=False, allow_nan=False))


def cell_text(value: Any) -> str:
    """A value as a CSV cell: Decimals exactly (:func:`decimal_text`), a range
    ``low–high``, a threshold ``< 70``, nothing for None, ``true`` or ``false`` for a
    truth, anything else as text."""
    if value.__class__ is str:  # most cells, first
        return value
    if value is None:
        return ""
    if isinstance(value, str):  # a reason, before the slower tests below
        return str(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, Mapping) and "threshold" in value:
        return str(Threshold(value["threshold"], value["value"]))
    if isinstance(value, (list, tuple)):
        return "–".join(cell_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON writes it
    return str(value)


def target_text(value: Target) -> str:
    """A target as text: ``55.73``, ``80–90``, ``< 70``."""
    if isinstance(value, Threshold):
        return f"{THRESHOLD_SIGNS[value.op]} {format_decimal(value.value)}"
    if isinstance(value, tuple):
        return f"{format_decimal(value[0])}–{format_decimal(value[1])}"
    return format_decimal(value)


_PERCENT_SATUAN = frozenset({"persen", "%", "percent"})


def satuan_shown(unit: str | None, satuan: str | None) -> str:
    """What stands after a value shown for people: ``%`` for a percentage (``unit`` ``%``,
    or a satuan ``Persen``), else the satuan as the definitions spell it (``Km``, ``per
    100.000 Kelahiran Hidup``), nothing when no satuan is known. A percentage whose declared
    satuan is not one (``iku check`` warns of it) shows both: ``% (Indeks)``.

    >>> satuan_shown("%", "Persen"), satuan_shown(None, "Km"), satuan_shown(None, None)
    ('%', 'Km', '')
    >>> satuan_shown("%", "Indeks")
    '% (Indeks)'
    """
    percent = satuan is not None and " ".join(satuan.split()).casefold() in _PERCENT_SATUAN
    if unit == "%":
        return "%" if satuan is None or percent else f"% ({satuan})"
    if percent:
        return "%"
    return satuan or ""


def with_satuan(text: str, unit: str | None, satuan: str | None) -> str:
    """``text`` (a value or a target, written for people) followed by its satuan, when one
    is known (:func:`satuan_shown`): ``11,005 Km``, ``68,625 %``."""
    shown = satuan_shown(unit, satuan)
    return f"{text} {shown}" if shown else text


SPREADSHEET_DECIMALS = 6
"""The places a number keeps in CSV for a spreadsheet (rounded half away from zero past
them): Excel holds 15 significant digits and would cut the rest without a word."""

EXCEL_DIGITS = 15
"""The significant digits Excel keeps of a number: those past them become 0 when it reads
the cell (1234567890123456789 is 1234567890123450000)."""


def spreadsheet_cell(value: Any, language: str | None = None) -> str:
    """``value`` as a cell of CSV for a spreadsheet in the notation of ``language`` (None:
    the language spoken): a Decimal with that language's decimal sign and no thousands
    sign (``55,33``; ``23500`` cannot be misread), past :data:`SPREADSHEET_DECIMALS`
    places rounded half away from zero; a number of more significant digits than Excel
    keeps (15: it makes 123456789012345678 123456789012345000 without a word) as text, with
    a ``'`` in front, every digit kept, as the report's workbook writes it; ranges and
    thresholds likewise (``80–90,5``, ``< 70``); a date as ISO ``2026-12-31``, which Excel
    reads as a date in every language; text made safe to open
    (:func:`~iku_rules.spreadsheet.safe_cell`).

    >>> spreadsheet_cell(Decimal("-1234.5"), "id"), spreadsheet_cell(Decimal("2") / 3, "id")
    ('-1234,5', '0,666667')
    >>> spreadsheet_cell(Decimal("12345678901234.56"), "id"), spreadsheet_cell(Decimal("1E+20"), "en")
    ("'12345678901234,56", '100000000000000000000')
    >>> spreadsheet_cell([Decimal("80"), Decimal("90.5")], "id"), spreadsheet_cell("=1+1", "id")
    ('80–90,5', "'=1+1")
    """
    if value.__class__ is str:  # most cells, first (before the ABC checks below)
        return str(safe_cell(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal | int):
        number = Decimal(value)
        if -int(number.as_tuple().exponent) > SPREADSHEET_DECIMALS:
            number = round_half_away(number, SPREADSHEET_DECIMALS)
        if number.is_zero():
            number = number.copy_abs()  # -0.0000001 rounds to 0,000000, never -0,000000
        text = format_number(number, language, group=False)
        digits = "".join(map(str, number.as_tuple().digits)).strip("0")
        return "'" + text if len(digits) > EXCEL_DIGITS else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping) and "threshold" in value:
        sign = THRESHOLD_SIGNS[value["threshold"]]
        return f"{sign} {spreadsheet_cell(value['value'], language)}"
    if isinstance(value, list | tuple):
        return "–".join(spreadsheet_cell(item, language) for item in value)
    return str(safe_cell(str(value)))


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, fieldnames: Sequence[str]) -> None:
    """``rows`` as CSV (``,``, lines ending in LF), as :class:`csv.writer` writes them, each
    cell :func:`cell_text` made safe to open in a spreadsheet
    (:func:`~iku_rules.spreadsheet.safe_cell`): how ``iku eval --format csv`` writes.

    A text is made safe and quoted once for every row that holds it (by :class:`csv.writer`
    itself, so that the bytes are its): an evaluation's names, levels, periods and reasons
    repeat in every region's rows, and a kabupaten's four triwulan are 158,000 cells, most
    of them such texts or nothing, which the writer took 0.05–0.1 s to scan one by one.

    >>> import io
    >>> out = io.StringIO()
    >>> row = {"id": "=1+1", "value": Decimal("2.50"), "reason": None, "name": 'say "hi", Ani'}
    >>> write_csv([row], out, ["id", "value", "reason", "name"])
    >>> out.getvalue()
    'id,value,reason,name\\n\\'=1+1,2.50,,"say ""hi"", Ani"\\n'
    """
    if len(fieldnames) < 2:  # csv.writer writes a row of one empty cell as "": its own way
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fieldnames)
        writer.writerows([safe_cell(cell_text(row[name])) for name in fieldnames] for row in rows)
        return
    scratch = io.StringIO()
    quoting = csv.writer(scratch, lineterminator="\n")

    def quoted(text: str) -> str:
        """``text`` as csv.writer writes it in a line (quoted where it must be)."""
        scratch.seek(0)
        scratch.truncate()
        quoting.writerow([text, ""])  # 'text,' and the line's end
        return scratch.getvalue()[:-2]

    known: dict[str, str] = {}  # a text cell (a str or a Reason) → as it stands in the line
    numbers: dict[str, str] = {}  # any other cell's text → as it stands in the line

    def line(row: Mapping[str, Any]) -> str:
        cells = []
        for name in fieldnames:
            value = row[name]
            if value is None:
                cells.append("")
            elif isinstance(value, str):  # a Reason is written as its text
                found = known.get(value)
                if found is None:
                    found = known[value] = quoted(safe_cell(str(value)))
                cells.append(found)
            else:
                text = safe_cell(cell_text(value))
                found = numbers.get(text)
                if found is None:
                    found = numbers[text] = quoted(text)
                cells.append(found)
        return ",".join(cells) + "\n"

    out.write(",".join(quoted(name) for name in fieldnames) + "\n")
    out.writelines(map(line, rows))


def write_spreadsheet_csv(
    rows: Iterable[Mapping[str, Any]],
    out: TextIO,
    fieldnames: Sequence[str],
    language: str | None = None,
) -> None:
    """``rows`` as CSV for a spreadsheet set to ``language`` (None: the language spoken):
    cells by :func:`spreadsheet_cell`, separated by ``;`` where the decimal sign is a comma
    (Excel's list separator in Indonesian) and by ``,`` otherwise, lines ending in CRLF,
    and a UTF-8 byte order mark first, by which Excel knows the encoding."""
    delimiter = ";" if decimal_sign(language) == "," else ","
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(fieldnames)
    for row in rows:
        writer.writerow([spreadsheet_cell(row.get(name), language) for name in fieldnames])
