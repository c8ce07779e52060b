"""Benchmark: speed and memory as ratios against a baseline measured in the same run.

    python bench/run.py [--people 20000] [--repeat 3]

1. Evaluating the whole Pandeglang cascade for 2026 by kecamatan on generated data:
   DuckDB and SQLite against the pure-Python backend (the baseline), wall time and
   peak Python memory (tracemalloc).
2. Formulas: one formula on many value sets, parsed once (``evaluate`` caches the
   compiled closures) against parsing the text on every call (the baseline).

Only ratios are meaningful across machines; absolute times are printed for context.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iku_rules import evaluate, parse  # noqa: E402
from iku_rules.engine import Engine  # noqa: E402
from iku_rules.evaluator import Env, compile_formula, normalise, run  # noqa: E402
from iku_rules.loader import load  # noqa: E402
from iku_rules.sample import generate  # noqa: E402


def timed(action: Callable[[], Any], repeat: int) -> float:
    """The median wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(action: Callable[[], Any]) -> int:
    """Peak Python-allocated bytes while running ``action`` once."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def cascade(people: int, repeat: int) -> list[tuple[str, float, float, int]]:
    definitions = load(ROOT / "definitions" / "dinsos-pandeglang")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        generate(definitions, data, people=people, seed=2026)
        for backend in ("python", "duckdb", "sqlite"):
            engine = Engine(definitions, data, backend=backend)

            def job(engine: Engine = engine) -> Any:
                return engine.evaluate("2026", by="kecamatan")

            seconds = timed(job, repeat)
            memory = peak_memory(job)
            rows.append((backend, seconds, 0.0, memory))
    baseline = rows[0][1]
    return [(name, seconds, seconds / baseline, memory) for name, seconds, _, memory in rows]


def formulas(count: int, repeat: int) -> list[tuple[str, float, float]]:
    text = "if(Σ PMKS = 0, 0, min(Σ PMKS tertangani / Σ PMKS × 100%, 120%))"
    value_sets = [{"PMKS": 100 + i, "PMKS tertangani": i % 90} for i in range(count)]

    def reparse() -> None:
        for values in value_sets:
            evaluate(text, values)  # parses the text on every call

    formula = parse(text)
    _, schema, spelled = normalise(value_sets[0])
    compiled = compile_formula(formula, schema, spelled)
    prepared = [Env(normalise(values)[0]) for values in value_sets]

    def compiled_once() -> None:
        for env in prepared:
            run(compiled, formula, env)

    def through_evaluate() -> None:
        for values in value_sets:
            evaluate(formula, values)

    baseline = timed(reparse, repeat)
    return [
        ("evaluate(text): parse every time (baseline)", baseline, 1.0),
        *(
            (label, seconds, seconds / baseline)
            for label, seconds in (
                ("evaluate(formula): parsed once", timed(through_evaluate, repeat)),
                ("compiled closures on prepared values", timed(compiled_once, repeat)),
            )
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formulas", type=int, default=2_000)
    args = parser.parse_args()
    print(f"Cascade for 2026 by kecamatan, {args.people} people (median of {args.repeat})")
    print(f"{'backend':<10} {'seconds':>9} {'ratio':>7} {'peak MiB':>9}")
    for name, seconds, ratio, memory in cascade(args.people, args.repeat):
        print(f"{name:<10} {seconds:>9.3f} {ratio:>7.2f} {memory / 2**20:>9.1f}")
    print()
    print(f"One formula on {args.formulas} value sets (median of {args.repeat})")
    for name, seconds, ratio in formulas(args.formulas, args.repeat):
        print(f"{name:<42} {seconds:>8.3f}s {ratio:>6.2f}")


if __name__ == "__main__":
    main()
