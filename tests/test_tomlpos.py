"""Tests for iku_rules.tomlpos: positions of keys and values in TOML text."""

from __future__ import annotations

import contextlib
import datetime as dt
import doctest
import math
import random
import re
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from iku_rules import tomlpos
from iku_rules.tomlpos import Located, Position, locate

KeyPath = tuple[str | int, ...]

# -- helpers -------------------------------------------------------------------


def at(position: Position | None) -> tuple[int, int] | None:
    """(line, column) of a position, for compact expectations."""
    return None if position is None else (position.line, position.column)


def paths_in(value: Any, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path of a structure tomllib made."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield (*prefix, key)
        yield from paths_in(item, (*prefix, key))


def lookup(value: Any, path: KeyPath) -> Any:
    for step in path:
        value = value[step]
    return value


def same(a: Any, b: Any) -> bool:
    """Equality that also holds between two NaNs and checks types of scalars."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


_BARE_RUN = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def key_written_at(text: str, offset: int) -> str:
    """Read, independently of tomlpos, the simple key written at ``offset``."""
    if text.startswith("'", offset):
        return text[offset + 1 : text.index("'", offset + 1)]
    if text.startswith('"', offset):
        match = _BASIC_TOKEN.match(text, offset)
        assert match is not None
        key: str = tomllib.loads("k = " + match.group())["k"]
        return key
    match = _BARE_RUN.match(text, offset)
    assert match is not None, f"no key at offset {offset}"
    return match.group()


def check_position(text: str, position: Position) -> None:
    offset = position.offset
    assert 0 <= offset <= len(text)
    assert position.line == text.count("\n", 0, offset) + 1
    assert position.column == offset - (text.rfind("\n", 0, offset) + 1) + 1


def check(text: str) -> dict[KeyPath, Located]:
    """Locate ``text`` and check every entry against what tomllib parses."""
    parsed = tomllib.loads(text)
    where = locate(text)
    assert set(where) == set(paths_in(parsed))
    for path, located in where.items():
        value = lookup(parsed, path)
        for position in (located.key, located.value, located.value_end):
            if position is not None:
                check_position(text, position)
        last = path[-1]
        if located.value is None:
            # A table made by a header or a dotted key, or a whole [[array]].
            assert located.value_end is None and located.string_start is None
            assert isinstance(value, dict) or (
                isinstance(value, list) and all(isinstance(v, dict) for v in value)
            )
            name = path[-2] if isinstance(last, int) else last
            assert key_written_at(text, located.key.offset) == name
            continue
        assert located.value_end is not None
        written = text[located.value.offset : located.value_end.offset]
        assert same(tomllib.loads("x = " + written)["x"], value), (path, written)
        if isinstance(last, int):
            assert located.key == located.value
        else:
            assert key_written_at(text, located.key.offset) == last
        check_string_start(text, located, value)
    return where


def check_string_start(text: str, located: Located, value: Any) -> None:
    assert located.value is not None and located.value_end is not None
    start = located.value.offset
    single_line_string = text.startswith(('"', "'"), start) and not text.startswith(
        ('"""', "'''"), start
    )
    if not single_line_string:
        assert located.string_start is None
        return
    assert isinstance(value, str)
    assert located.string_start is not None
    check_position(text, located.string_start)
    quote = text[start]
    assert located.string_start.offset == start + 1
    assert text[located.value_end.offset - 1] == quote
    content = text[located.string_start.offset : located.value_end.offset - 1]
    assert tomllib.loads(f"x = {quote}{content}{quote}")["x"] == value
    if value and quote == "'":
        assert text[located.string_start.offset] == value[0]


# -- the module's own examples ---------------------------------------------------


def test_doctests() -> None:
    result = doctest.testmod(tomlpos, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- hand-written cases ----------------------------------------------------------


def test_table_header_and_key() -> None:
    where = check('[office]\nid = "x"\n')
    assert where["office",] == Located(Position(1, 2, 1))
    located = where["office", "id"]
    assert at(located.key) == (2, 1)
    assert at(located.value) == (2, 6)
    assert at(located.value_end) == (2, 9)
    assert at(located.string_start) == (2, 7)
    assert located.key.offset == 9 and located.value is not None and located.value.offset == 14


def test_arrays_of_tables_are_indexed() -> None:
    where = check('[[program]]\nname = "a"\n\n[[program]]\nname = "b"\n')
    assert at(where["program",].key) == (1, 3)
    assert at(where["program", 0].key) == (1, 3)
    assert at(where["program", 1].key) == (4, 3)
    assert where["program", 1].value is None
    assert at(where["program", 1, "name"].key) == (5, 1)
    assert at(where["program", 1, "name"].value) == (5, 8)


def test_nested_arrays_of_tables_restart_under_each_parent() -> None:
    text = (
        "[[program]]\n"
        "id = 1\n"
        "[[program.indikator]]\n"
        'id = "i1"\n'
        "[[program.indikator]]\n"
        'id = "i2"\n'
        "[[program]]\n"
        "id = 2\n"
        "[[program.indikator]]\n"
        'id = "i3"\n'
    )
    where = check(text)
    assert at(where["program", 0, "indikator"].key) == (3, 11)
    assert at(where["program", 0, "indikator", 0, "id"].key) == (4, 1)
    assert at(where["program", 0, "indikator", 1].key) == (5, 11)
    assert at(where["program", 0, "indikator", 1, "id"].value) == (6, 6)
    assert at(where["program", 1, "indikator", 0].key) == (9, 11)
    assert at(where["program", 1, "indikator", 0, "id"].key) == (10, 1)
    assert ("program", 1, "indikator", 1) not in where


def test_table_header_goes_into_the_last_array_element() -> None:
    text = "[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n[a.b.c]\n"
    where = check(text)
    assert at(where["a", 0, "b", "x"].key) == (3, 1)
    assert at(where["a", 1, "b"].key) == (5, 4)
    assert at(where["a", 1, "b", "x"].key) == (6, 1)
    assert at(where["a", 1, "b", "c"].key) == (7, 6)


def test_dotted_keys() -> None:
    where = check("a.b.c = 1\n")
    assert at(where["a",].key) == (1, 1)
    assert at(where["a", "b"].key) == (1, 3)
    assert where["a", "b"].value is None
    assert at(where["a", "b", "c"].key) == (1, 5)
    assert at(where["a", "b", "c"].value) == (1, 9)
    assert at(where["a", "b", "c"].value_end) == (1, 10)


def test_whitespace_around_dots() -> None:
    where = check("a . b\t.\t'c d' = 1\n")
    assert at(where["a",].key) == (1, 1)
    assert at(where["a", "b"].key) == (1, 5)
    assert at(where["a", "b", "c d"].key) == (1, 9)
    assert at(where["a", "b", "c d"].value) == (1, 17)


def test_the_first_dotted_key_names_the_table() -> None:
    where = check("a.b = 1\na.c = 2\n")
    assert at(where["a",].key) == (1, 1)
    assert at(where["a", "c"].key) == (2, 3)


def test_an_explicit_header_wins_over_an_implied_table() -> None:
    where = check("[a.b]\nx = 1\n[a]\ny = 2\n")
    assert at(where["a",].key) == (3, 2)
    assert at(where["a", "b"].key) == (1, 4)


def test_quoted_keys() -> None:
    text = '"2025" = 3\n\'x y\' = 1\n"a\\u00e9\\"" = 2\n\'\' = 4\n2026 = 5\n'
    where = check(text)
    assert at(where["2025",].key) == (1, 1)
    assert at(where["2025",].value) == (1, 10)
    assert at(where["x y",].key) == (2, 1)
    assert at(where['aé"',].key) == (3, 1)
    assert at(where['aé"',].value) == (3, 15)
    assert at(where["",].value) == (4, 6)
    assert at(where["2026",].key) == (5, 1)


def test_header_with_whitespace_and_quoted_parts() -> None:
    where = check('[ a . "b c" ]\nx = 1\n[[ d .\te ]]\n')
    assert at(where["a",].key) == (1, 3)
    assert at(where["a", "b c"].key) == (1, 7)
    assert at(where["a", "b c", "x"].key) == (2, 1)
    assert at(where["d",].key) == (3, 4)
    assert at(where["d", "e", 0].key) == (3, 8)


def test_inline_tables() -> None:
    text = 'targets = { 2025 = "1", "2026" = 2 }\n'
    where = check(text)
    assert at(where["targets",].key) == (1, 1)
    assert at(where["targets",].value) == (1, 11)
    assert at(where["targets",].value_end) == (1, 37)
    assert where["targets",].string_start is None
    assert at(where["targets", "2025"].key) == (1, 13)
    assert at(where["targets", "2025"].value) == (1, 20)
    assert at(where["targets", "2025"].string_start) == (1, 21)
    assert at(where["targets", "2026"].key) == (1, 25)
    assert at(where["targets", "2026"].value) == (1, 34)
    assert at(where["targets", "2026"].value_end) == (1, 35)


def test_inline_tables_nested_and_with_dotted_keys() -> None:
    where = check("t = {a.b = 1, c = {}, d = {e = [1]}}\n")
    assert at(where["t", "a"].key) == (1, 6)
    assert where["t", "a"].value is None
    assert at(where["t", "a", "b"].key) == (1, 8)
    assert at(where["t", "c"].value) == (1, 19)
    assert at(where["t", "c"].value_end) == (1, 21)
    assert at(where["t", "d", "e", 0].key) == (1, 33)
    assert at(where["t",].value_end) == (1, 37)


def test_arrays() -> None:
    where = check('units = ["a", "b"]\n')
    assert at(where["units",].value) == (1, 9)
    assert at(where["units",].value_end) == (1, 19)
    first = where["units", 0]
    assert at(first.key) == at(first.value) == (1, 10)
    assert at(first.value_end) == (1, 13)
    assert at(first.string_start) == (1, 11)
    assert at(where["units", 1].key) == (1, 15)


def test_nested_arrays_and_inline_tables_in_arrays() -> None:
    where = check("x = [[{a = 1}], [2, [3]]]\n")
    assert at(where["x", 0].key) == (1, 6)
    assert at(where["x", 0, 0].key) == (1, 7)
    assert at(where["x", 0, 0].value_end) == (1, 14)
    assert at(where["x", 0, 0, "a"].key) == (1, 8)
    assert at(where["x", 0, 0, "a"].value) == (1, 12)
    assert at(where["x", 1].key) == (1, 17)
    assert at(where["x", 1, 0].key) == (1, 18)
    assert at(where["x", 1, 1].key) == (1, 21)
    assert at(where["x", 1, 1, 0].key) == (1, 22)


def test_multi_line_array_with_comments_and_trailing_comma() -> None:
    text = (
        "units = [  # the units\n"
        '  "a",  # first, with ] and " in the comment\n'
        "  # nothing here\n"
        "\n"
        "  'b'\n"
        "  ,\n"
        "]\n"
        "after = 1\n"
    )
    where = check(text)
    assert at(where["units", 0].key) == (2, 3)
    assert at(where["units", 1].key) == (5, 3)
    assert at(where["units",].value_end) == (7, 2)
    assert at(where["after",].key) == (8, 1)


def test_empty_arrays_and_tables() -> None:
    where = check("a = []\nb = [\n]\nc = {}\n[d]\n")
    assert at(where["a",].value_end) == (1, 7)
    assert at(where["b",].value_end) == (3, 2)
    assert at(where["c",].value_end) == (4, 7)
    assert where["d",] == Located(Position(5, 2, 23))


def test_comments() -> None:
    text = '# top\nkey = "# not a comment" # real one\n[t] # c = 1\n#x = 2\nv = 1#\n'
    where = check(text)
    assert at(where["key",].value_end) == (2, 24)
    assert at(where["t",].key) == (3, 2)
    assert at(where["t", "v"].key) == (5, 1)
    assert set(where) == {("key",), ("t",), ("t", "v")}


def test_basic_string_escapes() -> None:
    text = 'a = "q\\"\\\\ \\u00e9 \\U0001F600 \\t" # c\nb = 2\n'
    where = check(text)
    assert at(where["a",].value) == (1, 5)
    assert at(where["a",].string_start) == (1, 6)
    assert at(where["a",].value_end) == (1, 33)
    assert at(where["b",].key) == (2, 1)


def test_literal_strings() -> None:
    text = "a = 'C:\\dir\\'  # the backslash does not escape\nb = '\"'\n"
    where = check(text)
    assert at(where["a",].value_end) == (1, 14)
    assert at(where["a",].string_start) == (1, 6)
    assert at(where["b",].string_start) == (2, 6)
    assert at(where["b",].value_end) == (2, 8)


def test_multi_line_basic_strings() -> None:
    text = 'a = """a""""\nb = """\nx "" y \\""" \\\n   z"""""\nc = """\\\n  """\nd = 1\n'
    where = check(text)
    assert tomllib.loads(text)["b"] == 'x "" y """ z""'
    assert at(where["a",].value) == (1, 5)
    assert at(where["a",].value_end) == (1, 13)
    assert where["a",].string_start is None
    assert at(where["b",].value) == (2, 5)
    assert at(where["b",].value_end) == (4, 10)
    assert at(where["c",].value_end) == (6, 6)
    assert at(where["d",].key) == (7, 1)


def test_multi_line_literal_strings() -> None:
    text = "a = '''it's ''quoted'''''\nb = '''\nline \\ # not a comment\n'''\nc = 1\n"
    where = check(text)
    assert tomllib.loads(text)["a"] == "it's ''quoted''"
    assert at(where["a",].value_end) == (1, 26)
    assert where["a",].string_start is None
    assert at(where["b",].value) == (2, 5)
    assert at(where["b",].value_end) == (4, 4)
    assert at(where["c",].key) == (5, 1)


def test_numbers() -> None:
    text = (
        "a = 1_000\n"
        "b = 0xDEAD_beef\n"
        "c = 0o755\n"
        "d = 0b1101\n"
        "e = +1.5e-3\n"
        "f = -inf\n"
        "g = nan\n"
        "h = 6.626E+34\n"
        "i = -0.0\n"
        "j = +99 # comment\n"
        "k = [1,2.5,+inf]\n"
        "l = 1e06\n"
    )
    where = check(text)
    assert at(where["a",].value_end) == (1, 10)
    assert at(where["b",].value_end) == (2, 16)
    assert at(where["j",].value_end) == (10, 8)
    assert at(where["k", 2].key) == (11, 12)
    assert at(where["k", 2].value_end) == (11, 16)


def test_booleans() -> None:
    where = check("t = true\nf = [false,true] # c\n")
    assert at(where["t",].value_end) == (1, 9)
    assert at(where["f", 1].key) == (2, 12)
    assert at(where["f", 1].value_end) == (2, 16)


def test_dates_and_times() -> None:
    text = (
        "a = 1979-05-27 07:32:00Z\n"
        "b = 1979-05-27T00:32:00.999999-07:00 # c\n"
        "c = 1979-05-27\n"
        "d = 07:32:00\n"
        "e = 1979-05-27t07:32:00\n"
        "f = [1979-05-27 07:32:00Z, 07:32:00.5, 1979-05-27]\n"
    )
    where = check(text)
    assert at(where["a",].value_end) == (1, 25)
    assert at(where["b",].value_end) == (2, 37)
    assert at(where["c",].value_end) == (3, 15)
    assert at(where["f", 1].key) == (6, 28)
    assert at(where["f", 2].value_end) == (6, 50)


def test_crlf_line_endings() -> None:
    text = '[t]\r\na = 1\r\nb = """x\r\ny"""\r\nc = "z" # c\r\n'
    where = check(text)
    assert at(where["t", "a"].key) == (2, 1)
    assert at(where["t", "b"].value_end) == (4, 5)
    assert at(where["t", "c"].key) == (5, 1)
    assert at(where["t", "c"].value_end) == (5, 8)


def test_tabs_and_empty_lines() -> None:
    where = check("\n\n\ta\t=\t1\n\n\t[\tt\t]\t\n\t\tb=2")
    assert at(where["a",].key) == (3, 2)
    assert at(where["a",].value) == (3, 6)
    assert at(where["t",].key) == (5, 4)
    assert at(where["t", "b"].value) == (6, 5)


def test_unicode_counts_characters() -> None:
    text = '"ключ" = "Σ a / Σ b"\nname = "😀€" # 😀\n"ü" = ["😀", "x"]\n'
    where = check(text)
    assert at(where["ключ",].value) == (1, 10)
    assert at(where["ключ",].string_start) == (1, 11)
    assert at(where["ключ",].value_end) == (1, 21)
    assert at(where["name",].value_end) == (2, 12)
    assert at(where["ü", 1].key) == (3, 13)


def test_caret_inside_a_formula_string() -> None:
    text = '[[indikator]]\nrumus = "Σ a / Σ b"\n'
    located = locate(text)["indikator", 0, "rumus"]
    assert located.string_start is not None
    offset = located.string_start.offset + "Σ a / Σ b".index("/")
    assert text[offset] == "/"


def test_empty_documents() -> None:
    assert locate("") == {}
    assert locate("# only a comment\n\n   \n") == {}


@pytest.mark.parametrize(
    "text",
    [
        "a = {b = 1,}",
        "a = { b = 1\n}",
        'a = "unterminated',
        'a = "no\nnewline"',
        "a = 'unterminated",
        'a = """open',
        "a = '''open",
        "a = 1 2",
        "[a",
        "[[a]",
        "[]",
        "a = ",
        "a",
        "= 1",
        "a = 1\rb = 2",
        'a = "\\q"',
        'a = "\\u12"',
        'a = "\\uD800"',
        'a = "\\U00110000"',
        'a = """x\\ y"""',
        "a = '''x''''''",
        'a = """x""""""',
        "a = [1,,2]",
        "a = [1 2]",
        "a = [",
        "a = tru",
        "a = truex",
        "a = 01x",
        "a = 1__0",
        "a = 1.",
        "a = +0x1",
        'a = "x" "y"',
        '"""k""" = 1',
        "a.=1",
        "a = 1979-05-27 x",
        "[" * 10000,
        "x = " + "[" * 10000,
        "x = " + "{a = " * 10000,
        "a = \\",
    ],
)
def test_broken_text_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError, match=r"line \d+, column \d+|nested too deeply"):
        locate(text)


def test_error_places() -> None:
    with pytest.raises(ValueError, match=r"line 2, column 7"):
        locate("a = 1\nb = 1 x\n")


def pathological(n: int) -> list[str]:
    """Inputs that a careless tokenizer takes quadratic time or deep recursion on; the
    benchmark (bench/tomlpos_speed.py) times them against tomllib at n and 2n."""
    return [
        'a = "' + '\\"' * n + '"',
        'a = """' + '""\\"' * n + '"""',
        "a = '''" + "''x" * n + "'''",
        "a = [" + "1," * n + "]",
        "a = " + "1" * n,
        "a" + ".a" * 3000 + " = 1",  # the result itself grows with the square
        "".join(f"k{i} = {i}\n" for i in range(n // 10)),
        "a = [" + "\n# c\n" * n + "]",
        "a = " + "1_" * n + "1",
        "a = " + "0" * n,
        'a = """' + "\\\n" * n + '"""',
    ]


def test_large_and_pathological_inputs_end_with_places_or_a_clean_refusal() -> None:
    # How long they take is measured by the benchmark, never asserted here.
    for text in pathological(100_000):
        try:
            located = locate(text)
        except ValueError:
            with pytest.raises(tomllib.TOMLDecodeError):
                tomllib.loads(text)
        else:
            assert set(located) >= {("a",)} or set(located) >= {("k0",)}, text[:20]


# -- property tests: random documents written in random styles -------------------

KEY_ALPHABET = "ab_-19 é\"'.Σ\\#="
STRING_ALPHABET = "a Σ😀\"'\\\n\t#=[]{},.\r\x01\x7f"
BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")

keys = st.sampled_from(["id", "2025", "a b", "ü", "x.y", ""]) | st.text(KEY_ALPHABET, max_size=4)
scalars = (
    st.text(STRING_ALPHABET, max_size=8)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.booleans()
    | st.dates()
    | st.times()
    | st.datetimes(timezones=st.none() | st.just(dt.UTC))
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(keys, children, max_size=3)
        | st.lists(st.dictionaries(keys, children, max_size=3), min_size=1, max_size=3)
    ),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=5)


def is_control(char: str) -> bool:
    return (ord(char) < 0x20 and char != "\t") or char == "\x7f"


class TomlWriter:
    """Writes a dict as TOML, choosing layout and quoting at random."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.lines: list[str] = []

    def chance(self, p: float = 0.5) -> bool:
        return self.rnd.random() < p

    def space(self) -> str:
        return self.rnd.choice(["", " ", " ", "  ", "\t"])

    def comment(self) -> str:
        if self.chance(0.2):
            return self.space() + "# note 'é' \"x\" = [1] {"
        return ""

    def emit(self, line: str) -> None:
        indent = self.rnd.choice(["", "", "", "  ", "\t"])
        self.lines.append(indent + line + self.comment())
        if self.chance(0.1):
            self.lines.append(self.rnd.choice(["", "# a comment line", "   "]))

    def write(self, document: dict[str, Any]) -> str:
        self.table([], document, None)
        newline = "\r\n" if self.chance(0.2) else "\n"
        return newline.join(self.lines) + (newline if self.chance() else "")

    # keys

    def key(self, key: str) -> str:
        if key and all(c in BARE for c in key) and self.chance(0.8):
            return key
        if "'" not in key and not any(is_control(c) for c in key) and self.chance():
            return f"'{key}'"
        return self.basic(key)

    def dotted(self, parts: list[str]) -> str:
        written = self.key(parts[0])
        for part in parts[1:]:
            written += self.space() + "." + self.space() + self.key(part)
        return written

    def assignment(self, parts: list[str], value: Any, indent: str) -> str:
        return self.dotted(parts) + self.space() + "=" + self.space() + self.value(value, indent)

    # tables

    def table(self, path: list[str], table: dict[str, Any], header: str | None) -> None:
        plan: list[tuple[str, Any, str]] = []
        for key, value in table.items():
            if isinstance(value, dict):
                mode = self.rnd.choice(
                    ["table", "dotted", "inline"] if value else ["table", "inline"]
                )
            elif (
                isinstance(value, list)
                and value
                and all(isinstance(v, dict) for v in value)
                and self.chance(0.7)
            ):
                mode = "array"
            else:
                mode = "value"
            plan.append((key, value, mode))
        direct = [item for item in plan if item[2] not in ("table", "array")]
        nested = [item for item in plan if item[2] in ("table", "array")]
        if header is not None and (
            header.startswith("[[") or direct or not nested or self.chance()
        ):
            self.emit(header)
        for key, value, mode in direct:
            if mode == "dotted":
                self.dotted_lines([key], value)
            else:
                self.emit(self.assignment([key], value, ""))
        for key, value, mode in nested:
            name = self.dotted([*path, key])
            if mode == "table":
                self.table([*path, key], value, f"[{self.space()}{name}{self.space()}]")
            else:
                for element in value:
                    name = self.dotted([*path, key])
                    self.table([*path, key], element, f"[[{self.space()}{name}{self.space()}]]")

    def dotted_lines(self, prefix: list[str], table: dict[str, Any]) -> None:
        for key, value in table.items():
            if isinstance(value, dict) and value and self.chance(0.7):
                self.dotted_lines([*prefix, key], value)
            else:
                self.emit(self.assignment([*prefix, key], value, ""))

    # values

    def value(self, value: Any, indent: str) -> str:
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return self.integer(value)
        if isinstance(value, float):
            written = repr(value)
            return "+" + written if value > 0 and self.chance(0.2) else written
        if isinstance(value, dt.datetime):
            written = value.isoformat(sep=self.rnd.choice("T t"))
            return written.replace("+00:00", "Z") if self.chance() else written
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, list):
            return self.array(value, indent)
        assert isinstance(value, dict)
        return self.inline_table(value, indent)

    def integer(self, value: int) -> str:
        styles = ["plain", "underscores"]
        if value >= 0:
            styles += ["hex", "hex_underscores", "octal", "binary", "plus"]
        style = self.rnd.choice(styles)
        return {
            "plain": f"{value}",
            "underscores": f"{value:_}",
            "hex": f"0x{value:X}",
            "hex_underscores": f"0x{value:_x}",
            "octal": f"0o{value:o}",
            "binary": f"0b{value:b}",
            "plus": f"+{value}",
        }[style]

    def array(self, items: list[Any], indent: str) -> str:
        if not items:
            return self.rnd.choice(["[]", "[ ]", "[\n]", "[ # empty\n]"])
        inner = indent + "  "
        if self.chance():
            written = "[" + self.comment() + "\n"
            for i, item in enumerate(items):
                comma = "," if i < len(items) - 1 or self.chance() else ""
                written += (
                    inner + self.value(item, inner) + self.space() + comma + self.comment() + "\n"
                )
                if self.chance(0.2):
                    written += inner + "# between elements\n"
            return written + indent + "]"
        separator = "," + self.space()
        trailing = "," if self.chance(0.3) else ""
        elements = separator.join(self.value(item, inner) for item in items)
        return "[" + self.space() + elements + trailing + self.space() + "]"

    def inline_table(self, table: dict[str, Any], indent: str) -> str:
        if not table:
            return self.rnd.choice(["{}", "{ }"])
        pairs: list[str] = []
        for key, value in table.items():
            if isinstance(value, dict) and value and self.chance(0.3):
                for sub_key, sub_value in value.items():
                    pairs.append(self.assignment([key, sub_key], sub_value, indent))
            else:
                pairs.append(self.assignment([key], value, indent))
        return "{" + self.space() + ("," + self.space()).join(pairs) + self.space() + "}"

    # strings

    def string(self, value: str) -> str:
        styles = ["basic", "multi_basic"]
        if not any(is_control(c) or c == "'" for c in value):
            styles.append("literal")
        if "'''" not in value and not any(is_control(c) and c != "\n" for c in value):
            styles.append("multi_literal")
        style = self.rnd.choice(styles)
        if style == "basic":
            return self.basic(value)
        if style == "literal":
            return f"'{value}'"
        if style == "multi_literal":
            lead = "\n" if value.startswith("\n") or self.chance(0.3) else ""
            return f"'''{lead}{value}'''"
        return self.multi_basic(value)

    def escape(self, char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if char == "\n":
            return "\\n"
        if char == "\r":
            return "\\r"
        if char == "\t":
            return self.rnd.choice(["\t", "\\t"])
        if is_control(char):
            return f"\\u{ord(char):04x}"
        if ord(char) > 0x7F and self.chance(0.3):
            return f"\\U{ord(char):08X}"
        return char

    def basic(self, value: str) -> str:
        return '"' + "".join(self.escape(c) for c in value) + '"'

    def multi_basic(self, value: str) -> str:
        written = "\n" if value.startswith("\n") or self.chance(0.3) else ""
        for run in re.findall(r'"+|[^"]', value, re.DOTALL):
            if run.startswith('"'):
                written += run if len(run) <= 2 else '\\"' * len(run)
                continue
            if run not in " \t\n" and self.chance(0.1):
                written += "\\" + self.space() + "\n" + self.space() + "\n" * self.chance(0.3)
            written += "\n" if run == "\n" else self.escape(run)
        return '"""' + written + '"""'


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents, rnd=st.randoms(use_true_random=False))
def test_random_documents(document: dict[str, Any], rnd: random.Random) -> None:
    text = TomlWriter(rnd).write(document)
    assert same(tomllib.loads(text), document), text
    check(text)


@settings(max_examples=200, deadline=None)
@given(document=documents, rnd=st.randoms(use_true_random=False), data=st.data())
def test_damaged_documents_only_raise_value_error(
    document: dict[str, Any], rnd: random.Random, data: st.DataObject
) -> None:
    text = TomlWriter(rnd).write(document)
    where = data.draw(st.integers(min_value=0, max_value=len(text)))
    damage = data.draw(st.sampled_from(["cut", "drop", "insert"]))
    if damage == "cut":
        text = text[:where]
    elif damage == "drop":
        text = text[:where] + text[where + 1 :]
    else:
        text = text[:where] + data.draw(st.sampled_from(FRAGMENTS)) + text[where:]
    check_any(text)


FRAGMENTS = [
    "a", "b", "1", "=", " ", "\t", "\n", "\r\n", "\r", "[", "]", "[[", "]]", "{", "}", ",",
    ".", '"', "'", '"""', "'''", "#", "\\", "true", "1979-05-27", " 07:32:00", "Z", "é",
    "-", "+", "_", "inf", "0x", "e", "\\u", "'a'", '"b"',
]  # fmt: skip


def check_any(text: str) -> None:
    """``locate`` raises nothing but ValueError, and is right whenever tomllib accepts."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with contextlib.suppress(ValueError):
            locate(text)
    else:
        check(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_fragment_soup(text: str) -> None:
    check_any(text)


_NESTING_PIECES = st.sampled_from(
    ["[", "]", "{", "}", '"', "'", '"""', "'''", "#", ".", " ", "\t", "\n", "\\", "a", "b1", "="]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_NESTING_PIECES, max_size=40).map("".join), st.integers(1, 6))
@example("a.'''x'[[[' '''", 2)  # a key part '' then brackets a multi-line string would hide
@example('a."""x"[[[" """', 2)
@example("a.b.c = 1", 2)  # three parts, no bracket
@example("x = [[[1]]]", 2)
def test_the_quick_nesting_test_never_passes_what_the_full_scan_refuses(
    text: str, limit: int
) -> None:
    # nesting_depth skips its full scan when the quick test passes: only where the full
    # scan finds nothing too deep.
    if tomlpos._shallow(text, limit):
        assert tomlpos._first_too_deep(text, limit) is None
    assert tomlpos.nesting_depth(text, limit) == tomlpos._first_too_deep(text, limit)


def test_the_quick_nesting_test_passes_the_shipped_definitions() -> None:
    from pathlib import Path

    from iku_rules.limits import MAX_NESTING

    root = Path(__file__).resolve().parent.parent / "definitions"
    files = sorted(root.rglob("*.toml"))
    assert files
    for path in files:
        assert tomlpos._shallow(path.read_text(encoding="utf-8"), MAX_NESTING), path
