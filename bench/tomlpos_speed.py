"""tomlpos against a tree-sitter-toml walk: the same places, and the time each takes.

    python3 -m pip install '.[bench]'
    python3 bench/tomlpos_speed.py --repeat 20

Times :func:`iku_rules.tomlpos.locate` and the tree-sitter baseline
(``bench/tomlpos_treesitter.py``) on every TOML file of the repository and on one file ten
times the largest programme file, checks that both find the same places, and tries both on
deeply nested arrays. Prints a table of milliseconds (the best of ``--repeat`` runs) and the
ratio of the two, measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import tomlpos_treesitter  # noqa: E402

from iku_rules import tomlpos  # noqa: E402


def best(function: Callable[[str], Any], text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - begin)
    return min(times) * 1000


def places(found: dict[Any, Any]) -> dict[Any, tuple[Any, ...]]:
    """Each path's key, value, value end and string start as plain tuples (the two modules
    have their own classes)."""
    return {path: attrs.astuple(located) for path, located in found.items()}


def nested(depth: int) -> str:
    return "a = " + "[" * depth + "1" + "]" * depth + "\n"


def attempt(function: Callable[[str], Any], text: str) -> str:
    try:
        function(text)
    except RecursionError:
        return "RecursionError"
    except ValueError as error:
        return f"ValueError: {str(error)[:60]}"
    return "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    files = sorted(
        path
        for path in ROOT.rglob("*.toml")
        if ".git" not in path.parts and "build" not in path.parts
    )
    programme = max((ROOT / "definitions").rglob("program/*.toml"), key=lambda p: p.stat().st_size)
    texts = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in files}
    ten = programme.read_text(encoding="utf-8") * 10
    tomllib.loads(ten)  # arrays of tables only: ten copies are one valid document
    texts[f"10 × {programme.name}"] = ten
    print("| file | bytes | tomlpos ms | tree-sitter ms | tree-sitter / tomlpos | same places |")
    print("|---|---:|---:|---:|---:|---|")
    total_ours = total_theirs = 0.0
    for name, text in texts.items():
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # the deliberately broken files of tests/broken
        same = places(tomlpos.locate(text)) == places(tomlpos_treesitter.locate(text))
        ours = best(tomlpos.locate, text, args.repeat)
        theirs = best(tomlpos_treesitter.locate, text, args.repeat)
        if not name.startswith("10 ×"):
            total_ours, total_theirs = total_ours + ours, total_theirs + theirs
        print(
            f"| {name} | {len(text.encode())} | {ours:.2f} | {theirs:.2f} |"
            f" {theirs / ours:.2f} | {'yes' if same else 'NO'} |"
        )
    print(
        f"| all files above but the 10× | | {total_ours:.1f} | {total_theirs:.1f} |"
        f" {total_theirs / total_ours:.2f} | |"
    )
    print()
    print("| nested arrays | tomlpos | tree-sitter |")
    print("|---|---|---|")
    for depth in (50, 500, 5_000, 50_000):
        text = nested(depth)
        print(
            f"| {depth} | {attempt(tomlpos.locate, text)} | {attempt(tomlpos_treesitter.locate, text)} |"
        )
    print()
    print("Pathological inputs (tests/test_tomlpos.py::pathological), n = 50,000 and 100,000:")
    print("tomlpos against tomllib on the same text, and how each grows when n doubles.")
    print()
    print("| input | tomlpos / tomllib | tomlpos 2n / n | tomllib 2n / n |")
    print("|---|---:|---:|---:|")
    sys.path.insert(0, str(ROOT / "tests"))
    from test_tomlpos import pathological

    for small, large in zip(pathological(50_000), pathological(100_000), strict=True):
        ours = [best(lambda t: attempt(tomlpos.locate, t), text, 3) for text in (small, large)]
        theirs = [best(lambda t: attempt(tomllib.loads, t), text, 3) for text in (small, large)]
        print(
            f"| `{small[:12]!r}…` | {ours[1] / theirs[1]:.2f} | {ours[1] / ours[0]:.2f} |"
            f" {theirs[1] / theirs[0]:.2f} |"
        )


if __name__ == "__main__":
    main()
