"""A definitions file that is not valid TOML: :mod:`tomllib`'s English turned into plain
words (Indonesian by default), placed where the planner must look (a key given twice at the
key, not at the end of its value), with a hint for what planners most often write: a decimal
comma, thousands grouped by dots, a percentage or a range without quotes, a name with spaces
as a key, a comma before ``}``. A message not known here (a newer tomllib) is shown as it is.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from iku_rules.i18n import _
from iku_rules.model import Diagnostic, Location

_POSITION = re.compile(
    r"\s*\(at line (\d+), column (\d+)\)|\s*\(at end of document\)"  # i18n: not for planners
)

_KEY = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)"""
_LINE_KEY = re.compile(rf"^(\s*)({_KEY}(?:\s*\.\s*{_KEY})*)\s*=")
_HEADER = re.compile(r"^\s*\[")


def _key_place(lines: list[str], line: int, column: int) -> tuple[int, int]:
    """Where the key of ``line`` starts (a key given twice), or the place tomllib gave."""
    if 0 < line <= len(lines):
        found = _LINE_KEY.match(lines[line - 1]) or _HEADER.match(lines[line - 1])
        if found is not None:
            return line, len(found.group(1)) + 1 if found.re is _LINE_KEY else found.end()
    return line, column


def _table(text: str) -> str:
    """``('sasaran', 'indikator')`` as written in a header: ``sasaran.indikator``."""
    try:
        parts = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return ".".join(str(part) for part in parts) if isinstance(parts, tuple) else text


def _after_value(current: str) -> str | None:
    if re.search(r"=\s*\d{4}-\d{1,2}-\d{1,2}", current):
        return _("a date is written YYYY-MM-DD, or in quotes if it is text")
    if re.search(r"=\s*-?\d+,\d+", current):
        return _('numbers with a decimal comma must be in quotes: "55,33"')
    if re.search(r"=\s*-?\d{1,3}(\.\d{3}){2,}", current):
        return _("numbers with '.' grouping thousands must be in quotes: \"1.234.567\"")
    if re.search(r"=\s*-?[\d.,]+\s*%", current):
        return _('a percentage must be in quotes: "93%"')
    if re.search(r"=\s*[\d.,]+\s*(-|–|s\.?d\.?)\s*\d", current):
        return _('a range must be in quotes: "80–90"')
    return _("a text must be in quotes")


def _key_hint(current: str) -> str | None:
    key = current.split("=")[0].strip()
    if key and any(c == " " or not c.isascii() for c in key) and not key.startswith(('"', "'")):
        return _(
            "a name with spaces or letters other than a–z, 0–9, _ and - must be in quotes:"
            ' "{key}" = …'
        ).format(key=key)
    return None


def _key_part_hint(current: str) -> str | None:
    if re.search(r",\s*}", current):
        return _("remove the comma before '}}': the last entry of {{ … }} takes none").format()
    if current.rstrip().endswith("{") or current.count("{") > current.count("}"):
        return _("a table in {{ … }} must be written on one line").format()
    return None


def _no_hint(current: str) -> str | None:
    return None


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str], Callable[[str], str | None], str]


_RULES: list[_Rule] = [  # i18n: not for planners (tomllib's messages, matched)
    (
        re.compile(r"Invalid statement"),
        lambda m: _("this line is neither key = value nor a [table] or [[list]] header"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Expected newline or end of document after a statement"),
        lambda m: _("something follows the value on this line that is not part of it"),
        _after_value,
        "",
    ),
    (
        re.compile(r"Cannot overwrite a value"),
        lambda m: _("this key is given a value a second time in the same table"),
        _no_hint,
        "named",
    ),
    (
        re.compile(r"Duplicate inline table key '(.*)'"),
        lambda m: _("'{key}' is given twice in the same {{ … }}").format(key=m[1]),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Cannot declare (.*) twice"),
        lambda m: _(
            "the table [{table}] is declared a second time; write each table once, or"
            " [[{table}]] for a list of entries"
        ).format(table=_table(m[1])),
        _no_hint,
        "key",
    ),
    (
        re.compile(r"Cannot (?:mutate immutable|redefine) namespace (.*)"),
        lambda m: _(
            "'{table}' was written whole before (in {{ … }} or as a dotted key) and cannot be"
            " added to here"
        ).format(table=_table(m[1])),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Expected '\]' at the end of a table declaration"),
        lambda m: _("a [table] header must end with ']'"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Expected '\]\]' at the end of an array declaration"),
        lambda m: _("a [[list]] header must end with ']]'"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Expected '=' after a key in a key/value pair"),
        lambda m: _("a key must be followed by '='"),
        _key_hint,
        "",
    ),
    (
        re.compile(r"Invalid initial character for a key part"),
        lambda m: _("a key is expected here"),
        _key_part_hint,
        "",
    ),
    (
        re.compile(r"Unclosed array"),
        lambda m: _("a list [ … ] is not closed with ']'"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Unclosed inline table"),
        lambda m: _("a table {{ … }} is not closed with '}}' on its line").format(),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Unescaped '\\' in a string"),
        lambda m: _(
            "a backslash in a text in double quotes starts an escape: write it twice, or put"
            " the text in single quotes"
        ),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Invalid hex value|Escaped character is not a Unicode scalar value"),
        lambda m: _("an escape \\u or \\U in this text names no character"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Unterminated string|Illegal character '\\n'|Expected \"'(?:'')?\""),
        lambda m: _("a text in quotes is not closed"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Illegal character (.*)|Found invalid character (.*)"),
        lambda m: _("the control character {char} cannot stand here").format(char=m[1] or m[2]),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Invalid date or datetime"),
        lambda m: _("this is not a valid date; write it YYYY-MM-DD, or in quotes if it is text"),
        _no_hint,
        "",
    ),
    (
        re.compile(r"Invalid value"),
        lambda m: _(
            'the value is missing or not one TOML reads: text goes in quotes ("Persen"),'
            ' numbers as 55.33 or in quotes ("55,33")'
        ),
        _after_value,
        "",
    ),
]


def _explain_toml(text: str, message: str) -> tuple[str, str | None, int, int]:
    """What :mod:`tomllib`'s ``message`` (with its ``(at line L, column C)``) says of
    ``text``, in plain words: the message, a hint or None, and the line and column."""
    lines = text.splitlines()
    match = _POSITION.search(message)
    if match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    else:
        line = text.count("\n") + 1
        column = len(text.rsplit("\n", 1)[-1]) + 1
    plain = _POSITION.sub("", message).strip()
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    for pattern, words, hint, at_key in _RULES:
        found = pattern.fullmatch(plain)
        if found is None:
            continue
        said = words(found)
        if at_key:
            line, column = _key_place(lines, line, column)
            key = _LINE_KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
            if key is not None and at_key == "named":
                said = _("'{key}' is given a value a second time in the same table").format(
                    key=key.group(2)
                )
        return said, hint(current), line, column
    # A message not known here (a newer tomllib): shown as it is.
    return (plain[0].lower() + plain[1:] if plain else _("syntax error")), None, line, column


def toml_error(path: Path, shown: Path, text: str, error: tomllib.TOMLDecodeError) -> Diagnostic:
    message, hint, line, column = _explain_toml(text, str(error))
    return Diagnostic(
        "error",
        _("this is not valid TOML: {error}").format(error=message),
        Location(shown, line, column),
        hint,
        "toml-syntax",
    )
