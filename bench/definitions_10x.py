"""The shipped definitions at ten times the indicators, for timing ``iku check``.

    python bench/definitions_10x.py FOLDER [FACTOR]

Writes the shipped Pandeglang definitions to FOLDER with at least FACTOR (10 by default)
times their indicators: the programme files are written as shipped, then again as many
times as it takes, each copy with every id, kode and parent defined in the programme files
given a suffix of its own (``1.06.04`` becomes ``1.06.04-c2``), so that each copy is a
programme tree of its own under the same sasaran, reading the same measures.
``office.toml``, ``cascade.toml`` and ``data.toml`` are copied as they are (the shipped 61
indicators become 622). The result checks without errors.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang"
_DEFINED = re.compile(r'^\s*id\s*=\s*"([^"]+)"', re.MULTILINE)
_INDICATOR = re.compile(r"^\s*\[\[[\w.]*indikator\]\]", re.MULTILINE)
_REFERENCE = re.compile(r'^(\s*(?:id|kode|parent)\s*=\s*)"([^"]+)"', re.MULTILINE)


def indicators(path: Path) -> int:
    """How many indicator tables a definitions file has."""
    return len(_INDICATOR.findall(path.read_text("utf-8")))


def write(folder: Path, factor: int = 10) -> Path:
    """The definitions at ``factor`` times the indicators, in ``folder`` (made afresh)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SHIPPED, folder)
    programs = sorted((SHIPPED / "program").glob("*.toml"))
    shipped = sum(indicators(path) for path in SHIPPED.rglob("*.toml"))
    per_copy = sum(indicators(path) for path in programs)
    copies = 1 + -(-(factor - 1) * shipped // per_copy)
    defined = {name for path in programs for name in _DEFINED.findall(path.read_text("utf-8"))}
    for copy in range(2, copies + 1):
        for path in programs:

            def renamed(match: re.Match[str], copy: int = copy) -> str:
                key, value = match.group(1), match.group(2)
                return f'{key}"{value}-c{copy}"' if value in defined else match.group(0)

            text = _REFERENCE.sub(renamed, path.read_text("utf-8"))
            (folder / "program" / f"{path.stem}-c{copy}.toml").write_text(text, "utf-8")
    return folder


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10)
