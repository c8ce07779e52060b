r"""Where keys and values are written in a TOML document.

:mod:`tomllib` reads the values of a TOML file but forgets where they were
written. :func:`locate` scans the same text with a small TOML tokenizer and
maps every key path of the parsed structure to the line and column of its key
and of its value, so that a message about a definition can point at it.

A key path is the tuple of keys and array indices that leads to a value in
the structure :func:`tomllib.loads` returns:

>>> text = '[office]\nid = "x"\n\n[[program]]\nname = "Σ a / Σ b"\n'
>>> where = locate(text)
>>> where["office", "id"].key
Position(line=2, column=1, offset=9)
>>> where["program", 0, "name"].value
Position(line=5, column=8, offset=38)
>>> start = where["program", 0, "name"].string_start
>>> (start.line, start.column + "Σ a / Σ b".index("/"))
(5, 13)

Lines and columns count from 1, columns in characters (not bytes); offsets
are 0-based indices into the text.
"""

from __future__ import annotations

import re

from iku_rules.tomlscan import KeyPath, Lines, Located, Position, _Scanner

__all__ = ["Lines", "Located", "Position", "locate", "nesting_depth"]


def locate(text: str) -> dict[KeyPath, Located]:
    """Map every key path in a TOML document to where it is written.

    The result has exactly one entry for every key and array index of the
    structure :func:`tomllib.loads` makes of ``text``. Where a table is
    both implied (by ``[a.b]`` or ``a.b = 1``) and defined by its own
    ``[a]`` header, the header wins; otherwise the first place a path is
    written wins, so the whole array ``("program",)`` points at the first
    ``[[program]]``.

    Raises :class:`ValueError` (and nothing else) if ``text`` is not TOML;
    it does not check everything :mod:`tomllib` checks (such as keys
    defined twice). The time taken grows linearly with the text and the
    size of the result.

    >>> list(locate("a.b = [1, 2]"))
    [('a',), ('a', 'b'), ('a', 'b', 0), ('a', 'b', 1)]
    """
    try:
        return _Scanner(text).document()
    except RecursionError:
        raise ValueError("TOML nested too deeply to locate") from None  # i18n: not for planners


_KEY_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\')'
_NESTING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'  # strings and comments, whose brackets do not count
    r"|'''(?:[^']|'(?!''))*'{3,5}"
    rf"|(?P<dotted>{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})+)"  # a.b.c: tables in tables
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|[\[\]{}]",
    re.DOTALL,
)


def nesting_depth(text: str, limit: int) -> int | None:
    """The offset of the first ``[`` or ``{`` that nests arrays and inline tables more
    than ``limit`` deep, or of the first dotted key of more than ``limit`` parts (each a
    table in the one before), or None: one pass, without recursion, so that a file
    :mod:`tomllib` would take too long or too deep a recursion to read is found first.
    (A quicker pass first rules most files out: their deepest brackets and the most dots
    on one line are within ``limit``.)

    Brackets inside strings and comments do not count; a table header ``[[a]]`` counts
    2 on its own line, its key's parts one more each.

    >>> nesting_depth("a = [[[1]]]  # [[[[", 3), nesting_depth("a = [[[[1]]]]", 3)
    (None, 7)
    >>> nesting_depth("a.b.c = 1", 3), nesting_depth('x = 1\\n[a."b.c".d.e]', 3)
    (None, 7)
    """
    return None if _shallow(text, limit) else _first_too_deep(text, limit)


def _first_too_deep(text: str, limit: int) -> int | None:
    depth = 0
    for found in _NESTING.finditer(text):
        mark = found.group()
        if found.group("dotted") is not None:
            parts = len(re.findall(_KEY_PART, mark))
            if depth + parts > limit:
                return found.start()
        elif mark in ("[", "{"):
            depth += 1
            if depth > limit:
                return found.start()
        elif mark in ("]", "}"):
            depth = max(depth - 1, 0)
    return None


# _NESTING without dotted keys: the brackets that count are the same wherever no part of a
# dotted key after its first starts with three quotes (a key part there is "" or '', where
# this pattern would read a multi-line string).
_BRACKETS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"{3,5}'
    r"|'''(?:[^']|'(?!''))*'{3,5}"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|([\[\]{}])",
    re.DOTALL,
)
_TRIPLE_QUOTE_PART = re.compile(r"\.[ \t]*(?:\"{3}|'{3})")


def _shallow(text: str, limit: int) -> bool:
    """True when nothing in ``text`` can nest more than ``limit`` deep: a quick test that
    :func:`nesting_depth` would find nothing (False says nothing). A dotted key stands on
    one line, so its parts are at most the dots of its line and one; the brackets that
    count are the same as :data:`_NESTING`'s, and never deeper than the deepest of them."""
    if _TRIPLE_QUOTE_PART.search(text):
        return False
    depth = deepest = 0
    for mark in "".join(_BRACKETS.findall(text)):
        if mark in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    dots = max(line.count(".") for line in text.split("\n"))
    return deepest + dots + 1 <= limit
