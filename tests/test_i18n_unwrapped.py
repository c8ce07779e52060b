"""Every sentence a planner may read is wrapped for translation.

The completeness test in ``test_i18n.py`` sees only the messages the code wraps in ``_()``;
this test finds the ones it cannot see: every string literal in ``iku_rules`` that reads
like a sentence (two words or more, in lower case somewhere) and stands outside ``_()``,
``N_()`` or ``ngettext()``. Docstrings, annotations and SQL are not sentences.

A literal that is prose but not for a planner (a name of a test, a sentence for the
developers who read a ``repr``) says so with the comment ``# i18n: not for planners`` on its
line or on the line of the statement that holds it; a module whose every message is for
developers only says so once, on a line of its own: ``# i18n: no message for planners: why``.

``tests/i18n_pending.txt`` lists the modules whose messages are still being wrapped, one
path per line; the test skips them, and fails when a listed module has nothing left to wrap
(so that the list only shrinks).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "iku_rules"
PENDING = Path(__file__).with_name("i18n_pending.txt")
MARK = "# i18n: not for planners"
MODULE_MARK = "# i18n: no message for planners"
WRAPPERS = {"_", "N_", "ngettext", "gettext", "pgettext", "lazy_gettext"}
WORD = re.compile(r"[A-Za-z][a-z]+|[a-z]{2,}|[A-Z]{2,}")
SQL = re.compile(
    r"^\s*\(?\s*(SELECT|WITH|CREATE|INSERT|FROM|WHERE|ATTACH|SET|PRAGMA|DROP|COPY|CAST|"
    r"COALESCE|SUM|COUNT|CASE|AND|OR|ON|GROUP|ORDER|LEFT|JOIN|UNION|DESCRIBE|SHOW|"
    r"LIMIT|HAVING|ALTER|VALUES|INTO|BEGIN|COMMIT|ROLLBACK|DECLARE)\b"
)


def prose(text: str) -> bool:
    """Whether ``text`` reads like words for a person rather than a name or code."""
    if SQL.match(text) or text.lstrip().startswith(("%", "<")):  # SQL, a format, HTML
        return False
    words = [
        word
        for word in text.split()
        if WORD.fullmatch(word.strip(".,:;()'\"!?`—–-"))  # a word, not a path or a key
    ]
    return len(words) >= 2 and any(word.islower() for word in words)


def literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string, with ``{…}`` for its holes."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "{…}" for part in node.values
        )
    return None


class Finder(ast.NodeVisitor):
    """The prose literals of one module that no wrapper holds."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.found: list[tuple[int, str]] = []
        self.statement: ast.stmt | None = None

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            outer, self.statement = self.statement, node
            super().generic_visit(node)
            self.statement = outer
        else:
            super().generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if literal(node.value) is None:  # a bare string statement is a docstring
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        name = (
            function.id
            if isinstance(function, ast.Name)
            else function.attr
            if isinstance(function, ast.Attribute)
            else ""
        )
        if name not in WRAPPERS:
            self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            outer, self.statement = self.statement, node
            self.visit(node.value)
            self.statement = outer

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for statement in node.body:
            self.visit(statement)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Constant(self, node: ast.Constant) -> None:
        self.check(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self.check(node)

    def check(self, node: ast.expr) -> None:
        text = literal(node)
        if text is None or not prose(text):
            return
        places = {node.lineno, getattr(node, "end_lineno", node.lineno)}
        if self.statement is not None:
            places.add(self.statement.lineno)
        if any(MARK in self.lines[place - 1] for place in places):
            return
        self.found.append((node.lineno, " ".join(text.split())[:100]))


def unwrapped(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    if any(line.startswith(MODULE_MARK) for line in source.splitlines()):
        return []
    finder = Finder(source.splitlines())
    finder.visit(ast.parse(source))
    return finder.found


def pending() -> set[str]:
    lines = PENDING.read_text(encoding="utf-8").splitlines() if PENDING.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def test_every_sentence_is_wrapped_for_translation() -> None:
    waiting = pending()
    problems = []
    for path in modules():
        name = path.relative_to(ROOT).as_posix()
        if name in waiting:
            continue
        for line, text in unwrapped(path):
            problems.append(f"{name}:{line}: {text!r}")
    assert not problems, (
        "These sentences are not wrapped in _() (or marked '" + MARK + "'):\n" + "\n".join(problems)
    )


def test_the_pending_list_only_names_modules_with_work_left() -> None:
    done = [name for name in sorted(pending()) if not unwrapped(ROOT / name)]
    assert not done, f"remove from {PENDING.name}, nothing is left to wrap: {done}"


@pytest.mark.parametrize(
    ("source", "count"),
    [
        ('raise ValueError("the column is missing")', 1),
        ('raise ValueError(_("the column is missing"))', 0),
        ('x = f"{name} is not defined"', 1),
        ('x = "SELECT a FROM t"', 0),
        ('def f():\n    """A docstring is not a message."""', 0),
        ('x = "kecamatan"', 0),
        ('x = "the repr for developers"  # i18n: not for planners', 0),
    ],
)
def test_the_finder_sees_sentences_and_only_sentences(source: str, count: int) -> None:
    finder = Finder(source.splitlines())
    finder.visit(ast.parse(source))
    assert len(finder.found) == count, finder.found


def test_a_module_of_developers_messages_says_so_once(tmp_path: Path) -> None:
    module = tmp_path / "scanner.py"
    module.write_text('raise ValueError("the string is not closed")\n', encoding="utf-8")
    assert len(unwrapped(module)) == 1
    module.write_text(
        f"{MODULE_MARK}: the loader drops these\n" + module.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert unwrapped(module) == []
