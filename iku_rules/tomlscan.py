"""The TOML tokenizer behind :mod:`iku_rules.tomlpos`: one pass over a document, in step with
:mod:`tomllib`, recording the position of every key and value it reads."""

# i18n: no message for planners: its errors tell the loader a place is not found.

from __future__ import annotations

import re
from bisect import bisect_right

from attrs import frozen

KeyPath = tuple[str | int, ...]


@frozen
class Position:
    """A place in the text: 1-based ``line`` and ``column`` and 0-based ``offset``.

    ``column`` counts characters from the start of the line, so a tab or a
    non-ASCII letter is one column.
    """

    line: int
    column: int
    offset: int


@frozen
class Located:
    """Where one key path is written.

    ``key``
        The start of the key as written (its opening quote if quoted). For a
        dotted key or a ``[table]``/``[[array]]`` header that is the start of
        the part naming this path, so in ``a.b = 1`` the path ``("a",)``
        points at ``a`` and ``("a", "b")`` at ``b``. An array element's
        ``key`` is the start of the element itself.
    ``value``
        The first character of the value (the opening quote of a string, the
        ``[`` of an array, the ``{`` of an inline table), or ``None`` for a
        table made by a header or by the parts of a dotted key.
    ``value_end``
        Just past the last character of the value, or ``None`` when
        ``value`` is.
    ``string_start``
        For a single-line basic or literal string, its first content
        character (just after the opening quote); ``None`` otherwise.
    """

    key: Position
    value: Position | None = None
    value_end: Position | None = None
    string_start: Position | None = None


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


_WHITESPACE = frozenset(" \t")


_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
}


_UNICODE_ESCAPE_WIDTH = {"x": 2, "u": 4, "U": 8}


# Runs of characters without any special meaning inside each kind of string.
# Every pattern is a single negated character class: linear, no backtracking.
_BASIC_PLAIN = re.compile(r'[^"\\\r\n]*')


_LITERAL_PLAIN = re.compile(r"[^'\r\n]*")


_MULTILINE_BASIC_PLAIN = re.compile(r'[^"\\]*')


_WHITESPACE_RUN = re.compile(r"[ \t]*")


_BLANK_RUN = re.compile(r"[ \t\r\n]*")


_COMMENT = re.compile(r"#[^\n]*")


# Numbers, dates and times are scanned as one run of these characters (plus
# the space of "1979-05-27 07:32:00") and then checked against the patterns.
_SCALAR_RUN = re.compile(r"[A-Za-z0-9_+\-.:]*")


_DECIMAL = r"[0-9](?:_?[0-9])*"


_NUMBER = re.compile(
    rf"""
    0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*
    | 0o[0-7](?:_?[0-7])*
    | 0b[01](?:_?[01])*
    | [+-]?(?:inf|nan)
    | [+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.{_DECIMAL})?(?:[eE][+-]?{_DECIMAL})?
    """,
    re.VERBOSE,
)


_TIME = r"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


_DATE_TIME = re.compile(
    rf"""
    [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}
    (?:[Tt\ ]{_TIME}(?:[Zz]|[+-][0-9]{{2}}:[0-9]{{2}})?)?
    | {_TIME}
    """,
    re.VERBOSE,
)


_TIME_AFTER_SPACE = re.compile(r" [0-9]{2}:")


class _Scanner:
    """One pass over a TOML document, recording where each key path is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines = Lines(text)
        self.found: dict[KeyPath, Located] = {}
        self.implied: set[KeyPath] = set()
        # How many [[tables]] each array-of-tables path has had so far.
        self.table_arrays: dict[KeyPath, int] = {}

    # -- places and errors -------------------------------------------------

    def position(self, offset: int) -> Position:
        return self.lines.position(offset)

    def error(self, message: str, offset: int | None = None) -> ValueError:
        place = self.position(self.pos if offset is None else offset)
        return ValueError(f"{message} (at line {place.line}, column {place.column})")

    def found_here(self) -> str:
        if self.pos >= len(self.text):
            return "the end of the text"
        return repr(self.text[self.pos])

    def record(self, path: KeyPath, located: Located, *, implied: bool = False) -> bool:
        """Keep ``located`` for ``path`` unless an earlier entry should win."""
        if path in self.found and (implied or path not in self.implied):
            return False
        self.found[path] = located
        if implied:
            self.implied.add(path)
        else:
            self.implied.discard(path)
        return True

    # -- whitespace, comments, line ends -----------------------------------

    def skip_whitespace(self) -> None:
        match = _WHITESPACE_RUN.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()

    def skip_comment(self) -> None:
        match = _COMMENT.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()

    def skip_newline(self) -> bool:
        if self.text.startswith("\n", self.pos):
            self.pos += 1
            return True
        if self.text.startswith("\r\n", self.pos):
            self.pos += 2
            return True
        return False

    def skip_blank(self) -> None:
        """Skip whitespace, newlines and comments (between array elements)."""
        while True:
            self.skip_whitespace()
            self.skip_comment()
            if not self.skip_newline():
                return

    def end_of_line(self) -> None:
        self.skip_whitespace()
        self.skip_comment()
        if self.pos < len(self.text) and not self.skip_newline():
            raise self.error(f"expected the end of the line, found {self.found_here()}")

    def expect(self, char: str) -> None:
        if not self.text.startswith(char, self.pos):
            raise self.error(f"expected {char!r}, found {self.found_here()}")
        self.pos += len(char)

    # -- the document ------------------------------------------------------

    def document(self) -> dict[KeyPath, Located]:
        table: KeyPath = ()
        while True:
            self.skip_whitespace()
            if self.pos >= len(self.text):
                return self.found
            char = self.text[self.pos]
            if char == "[":
                table = self.header()
            elif char not in "#\r\n":
                self.key_value(table)
            self.end_of_line()

    def header(self) -> KeyPath:
        """Read a ``[table]`` or ``[[array]]`` header; return the table's path."""
        array = self.text.startswith("[[", self.pos)
        self.pos += 2 if array else 1
        self.skip_whitespace()
        parts = self.key()
        self.skip_whitespace()
        self.expect("]]" if array else "]")
        path: KeyPath = ()
        for name, offset in parts[:-1]:
            path += (name,)
            self.record(path, Located(self.position(offset)), implied=True)
            count = self.table_arrays.get(path)
            if count:
                path += (count - 1,)
        name, offset = parts[-1]
        path += (name,)
        here = Located(self.position(offset))
        if array:
            index = self.table_arrays.get(path, 0)
            self.table_arrays[path] = index + 1
            self.record(path, here)
            path += (index,)
        self.record(path, here)
        return path

    def key_value(self, table: KeyPath) -> None:
        parts = self.key()
        self.skip_whitespace()
        self.expect("=")
        self.skip_whitespace()
        path = table
        for name, offset in parts[:-1]:
            path += (name,)
            self.record(path, Located(self.position(offset)), implied=True)
        name, offset = parts[-1]
        self.value((*path, name), self.position(offset))

    # -- keys --------------------------------------------------------------

    def key(self) -> list[tuple[str, int]]:
        """Read a (dotted) key: each part's unquoted name and offset."""
        parts = [self.simple_key()]
        while True:
            self.skip_whitespace()
            if not self.text.startswith(".", self.pos):
                return parts
            self.pos += 1
            self.skip_whitespace()
            parts.append(self.simple_key())

    def simple_key(self) -> tuple[str, int]:
        start = self.pos
        char = self.text[start] if start < len(self.text) else ""
        if char == '"' and not self.text.startswith('"""', start):
            return self.basic_string(), start
        if char == "'" and not self.text.startswith("'''", start):
            return self.literal_string(), start
        while self.pos < len(self.text) and self.text[self.pos] in _BARE_KEY:
            self.pos += 1
        if self.pos == start:
            raise self.error(f"expected a key, found {self.found_here()}")
        return self.text[start : self.pos], start

    # -- values ------------------------------------------------------------

    def value(self, path: KeyPath, key: Position) -> None:
        """Read the value at the current place and record it (and what it holds)."""
        text = self.text
        start = self.pos
        here = self.position(start)
        char = text[start] if start < len(text) else ""
        if char in ("[", "{"):
            stored = self.record(path, Located(key, here))
            if char == "[":
                self.array(path)
            else:
                self.inline_table(path)
            if stored:
                self.found[path] = Located(key, here, self.position(self.pos))
            return
        string_start = None
        if text.startswith('"""', start):
            self.multiline_basic_string()
        elif text.startswith("'''", start):
            self.multiline_literal_string()
        elif char == '"':
            self.basic_string()
            string_start = self.position(start + 1)
        elif char == "'":
            self.literal_string()
            string_start = self.position(start + 1)
        elif text.startswith("true", start):
            self.pos += 4
        elif text.startswith("false", start):
            self.pos += 5
        else:
            self.number_or_date()
        self.record(path, Located(key, here, self.position(self.pos), string_start))

    def array(self, path: KeyPath) -> None:
        self.pos += 1  # [
        index = 0
        while True:
            self.skip_blank()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return
            element = self.position(self.pos)
            self.value((*path, index), element)
            index += 1
            self.skip_blank()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif self.text.startswith("]", self.pos):
                self.pos += 1
                return
            else:
                raise self.error(f"expected ',' or ']' in an array, found {self.found_here()}")

    def inline_table(self, path: KeyPath) -> None:
        self.pos += 1  # {
        self.skip_whitespace()
        if self.text.startswith("}", self.pos):
            self.pos += 1
            return
        while True:
            self.key_value(path)
            self.skip_whitespace()
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return
            self.expect(",")
            self.skip_whitespace()
            if self.text.startswith("}", self.pos):
                raise self.error("an inline table may not end with a comma")

    def number_or_date(self) -> None:
        text = self.text
        start = self.pos
        match = _SCALAR_RUN.match(text, start)
        end = start if match is None else match.end()
        if _DATE.fullmatch(text, start, end) and _TIME_AFTER_SPACE.match(text, end):
            match = _SCALAR_RUN.match(text, end + 1)
            end = end + 1 if match is None else match.end()
        if end == start:
            raise self.error(f"expected a value, found {self.found_here()}")
        if not (_NUMBER.fullmatch(text, start, end) or _DATE_TIME.fullmatch(text, start, end)):
            raise self.error(f"not a TOML value: {text[start:end]!r}")
        self.pos = end

    # -- strings -----------------------------------------------------------

    def basic_string(self) -> str:
        """Read a single-line "basic string"; return its value."""
        text = self.text
        self.pos += 1  # "
        pieces: list[str] = []
        while True:
            match = _BASIC_PLAIN.match(text, self.pos)
            if match is not None:
                pieces.append(match.group())
                self.pos = match.end()
            if text.startswith('"', self.pos):
                self.pos += 1
                return "".join(pieces)
            if text.startswith("\\", self.pos):
                pieces.append(self.escape())
            else:
                raise self.error("unterminated string")

    def literal_string(self) -> str:
        """Read a single-line 'literal string'; return its value."""
        start = self.pos + 1
        match = _LITERAL_PLAIN.match(self.text, start)
        end = start if match is None else match.end()
        if not self.text.startswith("'", end):
            raise self.error("unterminated string", end)
        self.pos = end + 1
        return self.text[start:end]

    def multiline_basic_string(self) -> None:
        text = self.text
        self.pos += 3  # """
        while True:
            match = _MULTILINE_BASIC_PLAIN.match(text, self.pos)
            if match is not None:
                self.pos = match.end()
            if self.pos >= len(text):
                raise self.error("unterminated string")
            if text[self.pos] == "\\":
                self.multiline_escape()
            elif self.closing_quotes('"'):
                return

    def multiline_literal_string(self) -> None:
        self.pos += 3  # '''
        while True:
            quote = self.text.find("'", self.pos)
            if quote < 0:
                raise self.error("unterminated string", len(self.text))
            self.pos = quote
            if self.closing_quotes("'"):
                return

    def closing_quotes(self, quote: str) -> bool:
        """Step over a run of quotes; true if it closes a multi-line string.

        Up to two quotes before the closing three belong to the string.
        """
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] == quote:
            self.pos += 1
        count = self.pos - start
        if count > 5:
            raise self.error("too many quotes at the end of a string", start + 5)
        return count >= 3

    def escape(self) -> str:
        """Read an escape sequence (at its backslash); return the character."""
        text = self.text
        start = self.pos
        code = text[start + 1 : start + 2]
        if code in _ESCAPES:
            self.pos += 2
            return _ESCAPES[code]
        width = _UNICODE_ESCAPE_WIDTH.get(code)
        if width is None:
            raise self.error("invalid escape sequence in a string")
        digits = text[start + 2 : start + 2 + width]
        if len(digits) != width or not all(digit in _HEX_DIGITS for digit in digits):
            raise self.error("invalid escape sequence in a string")
        value = int(digits, 16)
        if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
            raise self.error("escape sequence is not a Unicode scalar value")
        self.pos += 2 + width
        return chr(value)

    def multiline_escape(self) -> None:
        """An escape in a multi-line basic string, or a line-ending backslash."""
        after = self.pos + 1
        match = _WHITESPACE_RUN.match(self.text, after)
        end = after if match is None else match.end()
        if self.text.startswith(("\n", "\r\n"), end):
            match = _BLANK_RUN.match(self.text, end)
            self.pos = end if match is None else match.end()
        else:
            self.escape()


class Lines:
    """The places of a text's lines, found once, so that any offset's line and column
    is found in logarithmic time (a file's every position in linear time overall).

    >>> Lines("a = 1\\nb = 'Σ'\\n").position(11)
    Position(line=2, column=6, offset=11)
    """

    def __init__(self, text: str) -> None:
        self.starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.starts.append(newline + 1)
            newline = text.find("\n", newline + 1)

    def position(self, offset: int) -> Position:
        """The 1-based line and column of the 0-based ``offset``."""
        line = bisect_right(self.starts, offset) - 1
        return Position(line + 1, offset - self.starts[line] + 1, offset)
