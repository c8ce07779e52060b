"""Places in a formula's text, and the caret drawn under them in messages.

>>> text = "Σ a / Σ b"
>>> span = Span.at(text, 4, 5)
>>> (span.line, span.column)
(1, 5)
>>> print(caret(text, span))
  Σ a / Σ b
      ^
"""

from __future__ import annotations

from attrs import frozen


@frozen
class Span:
    """Where a piece of a formula stands: 0-based offsets and 1-based line/column.

    ``end``/``end_line``/``end_column`` point just past the last character.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def at(cls, text: str, start: int, end: int) -> Span:
        """The span of ``text[start:end]``, with line and column worked out."""
        line, column = line_column(text, start)
        end_line, end_column = line_column(text, end)
        return cls(start, end, line, column, end_line, end_column)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text`` (columns count characters)."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1


WINDOW = 60
"""Characters shown on each side of the caret when a source line is long."""


def caret(text: str, span: Span, indent: str = "  ") -> str:
    """The source line of ``span`` with carets under the span (at least one).

    A long line is cut to a window around the span, marked with ``…``.
    """
    lines = text.split("\n")
    index = min(span.line, len(lines)) - 1
    source_line = lines[index].rstrip("\r") if lines else ""
    column = span.column
    width = 1
    if span.end_line == span.line:
        width = max(1, span.end_column - span.column)
    width = min(width, max(1, len(source_line) - column + 1), WINDOW)
    if len(source_line) > 2 * WINDOW + 20:
        start = max(0, column - 1 - WINDOW)
        end = min(len(source_line), column - 1 + width + WINDOW)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(source_line) else ""
        source_line = prefix + source_line[start:end] + suffix
        column = column - start + len(prefix)
    # Keep tabs as tabs so the caret lines up with what the reader sees.
    pad = "".join("\t" if ch == "\t" else " " for ch in source_line[: column - 1])
    return f"{indent}{source_line}\n{indent}{pad}{'^' * width}"
