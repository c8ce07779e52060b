"""The house keeps its shape: every module of iku_rules stands on one floor of ARCHITECTURE.md,
its runtime imports run down or sideways (never up, never in a circle), and no module grows
past the line limit.

The floors and their modules are read from ARCHITECTURE.md itself, so the document and this
test cannot drift. Runtime imports are every ``import`` of the package, at module level or
inside a function, except those under ``if TYPE_CHECKING:``; importing ``a.b.c`` also runs
the packages ``a.b`` above it (but a module's own packages are not counted, and the facade
``iku_rules/__init__.py`` is the top floor).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "iku_rules"
DOCUMENT = ROOT / "ARCHITECTURE.md"
MAX_LINES = 500

FLOOR_HEADING = re.compile(r"^### Floor (\d+): (.+)$")
MODULE_ROW = re.compile(r"^\| `([\w/]+\.py)` \|")


def floors() -> dict[str, tuple[int, str]]:
    """Module (path under iku_rules/) to its floor number and name, from ARCHITECTURE.md."""
    found: dict[str, tuple[int, str]] = {}
    floor: tuple[int, str] | None = None
    for line in DOCUMENT.read_text(encoding="utf-8").splitlines():
        heading = FLOOR_HEADING.match(line)
        if heading:
            floor = (int(heading[1]), heading[2])
            continue
        if line.startswith("## "):
            floor = None
        row = MODULE_ROW.match(line)
        if row and floor is not None:
            assert row[1] not in found, f"{row[1]} is listed twice in ARCHITECTURE.md"
            found[row[1]] = floor
    return found


def modules() -> dict[str, Path]:
    return {
        path.relative_to(PACKAGE).as_posix(): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def module_file(dotted: str, known: dict[str, Path]) -> str | None:
    """``iku_rules.a.b`` as the path of its file under iku_rules/, if it is a module."""
    parts = dotted.split(".")[1:]
    if not parts:
        return "__init__.py"
    for candidate in ("/".join(parts) + ".py", "/".join(parts) + "/__init__.py"):
        if candidate in known:
            return candidate
    return None


def packages_above(dotted: str, known: dict[str, Path]) -> list[str]:
    """The packages that importing ``dotted`` runs first (the root facade left out)."""
    parts = dotted.split(".")
    above = (module_file(".".join(parts[:i]), known) for i in range(2, len(parts)))
    return [name for name in above if name is not None]


def own_packages(module: str) -> set[str]:
    parts = module.split("/")[:-1]
    return {"/".join(parts[: i + 1]) + "/__init__.py" for i in range(len(parts))}


def runtime_imports(module: str, known: dict[str, Path]) -> dict[str, int]:
    """The modules of the package that ``module`` imports when it runs, with a line of each."""
    tree = ast.parse(known[module].read_text(encoding="utf-8"))
    found: dict[str, int] = {}

    def add(name: str | None, line: int) -> None:
        if name is not None:
            found.setdefault(name, line)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "iku_rules" or alias.name.startswith("iku_rules."):
                    add(module_file(alias.name, known), node.lineno)
                    for package in packages_above(alias.name, known):
                        add(package, node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and (node.module == "iku_rules" or node.module.startswith("iku_rules."))
        ):
            target = module_file(node.module, known)
            add(target, node.lineno)
            for package in packages_above(node.module, known):
                add(package, node.lineno)
            for alias in node.names:
                sub = module_file(f"{node.module}.{alias.name}", known)
                if sub != target:
                    add(sub, node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    for name in (module, *own_packages(module)):
        found.pop(name, None)
    if module != "__init__.py":
        found.pop("__init__.py", None)  # every submodule runs the facade's file first
    return found


def graph() -> dict[str, dict[str, int]]:
    known = modules()
    return {module: runtime_imports(module, known) for module in known}


def test_every_module_is_on_a_floor_and_every_listed_module_exists() -> None:
    listed, present = set(floors()), set(modules())
    assert sorted(present - listed) == [], "modules missing from ARCHITECTURE.md"
    assert sorted(listed - present) == [], "modules in ARCHITECTURE.md that are gone"


def test_imports_never_run_up_a_floor() -> None:
    floor_of = floors()
    upward = [
        f"iku_rules/{module}:{line} imports {target} (floor {floor_of[target][0]}"
        f" {floor_of[target][1]}) from floor {floor_of[module][0]} {floor_of[module][1]}"
        for module, targets in graph().items()
        for target, line in targets.items()
        if module in floor_of and target in floor_of and floor_of[target][0] > floor_of[module][0]
    ]
    assert upward == []


def test_no_import_circles() -> None:
    edges = graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(edges):
        if state.get(start):
            continue
        path = [start]
        stack = [iter(sorted(edges[start]))]
        state[start] = 1
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                stack.append(iter(sorted(edges.get(target, ()))))
    assert circles == []


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_is_over_the_line_limit(module: str) -> None:
    lines = len((PACKAGE / module).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"iku_rules/{module} has {lines} lines; split it along its stages"


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """The walk itself: an import under TYPE_CHECKING is left out, one in a function counts,
    and a package's submodule runs the package."""
    known = {
        name: tmp_path / name.replace("/", "_") for name in ("a.py", "b/__init__.py", "b/c.py")
    }
    known["a.py"].write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from iku_rules import a\n"
        "def f():\n    from iku_rules.b.c import x\n",
        encoding="utf-8",
    )
    assert runtime_imports("a.py", known) == {"b/c.py": 5, "b/__init__.py": 5}
