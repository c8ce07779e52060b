"""Benchmark: every figure a ratio to a floor measured in the same run.

    python bench/run.py [--sizes kabupaten] [--repeat 3] [--inputs 100000] [--out FILE.md]

1. Cascade: the shipped definitions over generated data (bench/data.py) at each size:
   every indicator for 2026 (kabupaten), and per kecamatan for each triwulan. The
   engine (DuckDB) against the floor (the engine's own aggregate SQL replayed on
   tables DuckDB's typed CSV reader loaded) and against pandas; wall time and peak
   RSS of each job in its own process.
2. Planner loop: ``iku check`` on the shipped definitions as a whole process, against
   a bare ``python -c pass``; parsing and checking one edited formula.
3. Scalar formulas: ``compile_function`` against a plain lambda doing the same
   Decimal arithmetic (the floor) and the Python expression engines, on fresh inputs.
4. Parser: formulas per second.

Prints Markdown tables, and each job's time to stderr as it goes. Only ratios are
comparable across machines. A job that runs out of memory is reported as such (a
pandas job may use at most 85% of the machine's memory, so that it fails alone
rather than bring the machine down); the other jobs of its size are still reported.
The package's modules are compiled to bytecode first, as an installed package's are,
so that no job pays for compiling them.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import data as bench_data  # noqa: E402

DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


OUT_OF_MEMORY = ("MemoryError", "Out of Memory", "out of memory", "std::bad_alloc")
"""What a child's error output says when it ran out of memory."""


def memory_total() -> int | None:
    """The machine's memory in bytes (None where /proc/meminfo is not there)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def measured(args: list[str], memory_cap: int | None = None) -> tuple[float, int] | None:
    """Run ``args`` as a child process; wall seconds it reports and its peak RSS (bytes),
    or None when it ran out of memory (``memory_cap``: its address space at most)."""

    def cap() -> None:
        import resource

        assert memory_cap is not None
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            preexec_fn=cap if memory_cap else None,
        )
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read()
    peak = usage.ru_maxrss * 1024
    if process.returncode:
        killed = process.returncode == -9  # the kernel's OOM killer
        if killed or any(sign in err for sign in OUT_OF_MEMORY):
            print(f"    out of memory (peak RSS {peak / 2**20:.0f} MiB)", file=sys.stderr)
            return None
        raise RuntimeError(f"{' '.join(args)} failed:\n{err}")
    return float(out.strip().splitlines()[-1]), peak


def warm(folder: Path) -> None:
    """Read every file of ``folder`` once, so that the first job measured (the engine's)
    does not alone pay for reading them from disk."""
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as file:
                while file.read(1 << 24):
                    pass


def cascade(sizes: list[str], repeat: int, folder: Path) -> str:
    rows = []
    queries = folder / "queries.json"
    total = memory_total()
    pandas_cap = int(total * 0.85) if total else None
    for size in sizes:
        started = time.perf_counter()
        # in a child process: a parent grown by DuckDB would lend its RSS to every job forked later
        subprocess.run([sys.executable, str(BENCH / "data.py"), size, str(folder)], check=True)
        data = folder / size
        made = time.perf_counter() - started
        print(f"  {size}: data made in {made:.0f} s", file=sys.stderr)
        warm(data)
        pmks, services = bench_data.SIZES[size]
        for work in ("year", "triwulan"):
            # the engine's run records the SQL the floor replays
            figures: dict[str, tuple[float, int] | None] = {}
            for name in ("engine", "floor", "pandas"):
                if name == "pandas" and importlib.util.find_spec("pandas") is None:
                    continue  # pip install '.[bench]'
                runs = []
                for attempt in range(repeat):
                    run = measured(
                        [str(BENCH / "cascade.py"), name, str(data), work, str(queries)],
                        pandas_cap if name == "pandas" else None,
                    )
                    if run is None:
                        break
                    print(
                        f"  {size}, {work}, {name} {attempt + 1}/{repeat}: {run[0]:.2f} s,"
                        f" {run[1] / 2**20:.0f} MiB",
                        file=sys.stderr,
                    )
                    runs.append(run)
                figures[name] = (
                    (statistics.median(s for s, _ in runs), max(m for _, m in runs))
                    if len(runs) == repeat
                    else None
                )
                if name == "engine" and figures[name] is None:
                    raise RuntimeError(f"the engine ran out of memory at {size}")
            rows.append(_cascade_row(size, pmks, services, work, figures))
    return table(
        [
            "size",
            "work",
            "engine / floor",
            "pandas / floor",
            "engine / pandas",
            "floor time",
            "peak RSS MiB (engine / floor / pandas)",
        ],
        rows,
    )


def _cascade_row(
    size: str,
    pmks: int,
    services: int,
    work: str,
    figures: dict[str, tuple[float, int] | None],
) -> list[str]:
    """One row of the cascade table; a job that ran out of memory says so in its cells."""
    oom = "out of memory"

    def ratio(top: str, bottom: str) -> str:
        if top not in figures or bottom not in figures:
            return "not installed" if top == "pandas" else ""
        a, b = figures[top], figures[bottom]
        return oom if a is None or b is None else f"{a[0] / b[0]:.2f}"

    def rss(name: str) -> str:
        if name not in figures:
            return "–"
        figure = figures[name]
        return oom if figure is None else f"{figure[1] / 2**20:.0f}"

    floor = figures["floor"]
    return [
        f"{size} ({pmks:,} PMKS, {services:,} services)",
        "2026, kabupaten" if work == "year" else "TW1–TW4, per kecamatan",
        ratio("engine", "floor"),
        ratio("pandas", "floor"),
        ratio("engine", "pandas"),
        f"{floor[0]:.2f} s" if floor else oom,
        " / ".join(rss(n) for n in ("engine", "floor", "pandas")),
    ]


def planner(repeat: int) -> str:
    def wall(args: list[str]) -> float:
        times = []
        for _ in range(max(repeat, 5)):
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    bare = wall(["-c", "pass"])
    check = wall(["-m", "iku_rules", "check", str(DEFINITIONS)])

    from iku_rules.check import name_table
    from iku_rules.evaluator import compile_formula
    from iku_rules.loader import load
    from iku_rules.parser import parse

    names, _ = name_table(load(DEFINITIONS))
    schema = {key: binding for key, (_, binding, _) in names.items()}
    edits = [f"Σ PMKS yang Tertangani / Σ PMKS × {100 + i}%" for i in range(200)]
    start = time.perf_counter()
    for text in edits:
        compile_formula(parse(text), schema)
    edit = (time.perf_counter() - start) / len(edits)
    return table(
        ["planner loop", "time", "ratio"],
        [
            [
                "`iku check` on the shipped definitions, whole process",
                f"{check:.3f} s",
                f"{check / 0.5:.2f} × the 0.5 s goal",
            ],
            [
                "`python -c pass` (start-up alone)",
                f"{bare:.3f} s",
                f"{bare / check:.2f} × `iku check`",
            ],
            ["parse and check one edited formula", f"{edit * 1e3:.2f} ms", ""],
        ],
    )


FORMULAS = {
    "short": ("(a / b) * 100", "ab"),
    "long": ("(a + b + c) / (d + e) * 100 - min(f, g)", "abcdefg"),
}


def _short(v: dict[str, Any]) -> Any:
    return (v["a"] / v["b"]) * 100


def _long(v: dict[str, Any]) -> Any:
    return (v["a"] + v["b"] + v["c"]) / (v["d"] + v["e"]) * 100 - min(v["f"], v["g"])


FLOORS: dict[str, Callable[[dict[str, Any]], Any]] = {"short": _short, "long": _long}
"""The same arithmetic written by hand, reading the same mapping."""


def engines(text: str, names: str) -> dict[str, Callable[[dict[str, Any]], Any] | str]:
    """Each engine's evaluator for ``text``, compiled or parsed once where it can be."""
    found: dict[str, Callable[[dict[str, Any]], Any] | str] = {}
    try:
        from py_expression_eval import Parser

        parsed = Parser().parse(text)
        found["py-expression-eval"] = parsed.evaluate
    except ImportError as error:
        found["py-expression-eval"] = f"not installed ({error.name})"
    try:
        from simpleeval import SimpleEval

        evaluator = SimpleEval(functions={"min": min})
        tree = evaluator.parse(text)

        def simple(values: dict[str, Any]) -> Any:
            evaluator.names = values
            return evaluator.eval(text, previously_parsed=tree)

        found["simpleeval"] = simple
    except ImportError as error:
        found["simpleeval"] = f"not installed ({error.name})"
    try:
        import zen

        expression = zen.compile_expression(text.replace("min(f, g)", "min([f, g])"))
        found["zen-engine (floats)"] = lambda values: expression.evaluate(
            {k: float(v) for k, v in values.items()}
        )
    except ImportError as error:
        found["zen-engine (floats)"] = f"not installed ({error.name})"
    try:
        import rule_engine

        rule = rule_engine.Rule(text.replace("min(f, g)", "(f < g ? f : g)"))
        found["rule-engine"] = rule.evaluate
    except ImportError as error:
        found["rule-engine"] = f"not installed ({error.name})"
    try:
        import celpy
        from celpy import celtypes

        environment = celpy.Environment()
        program = environment.program(
            environment.compile(
                text.replace("min(f, g)", "(f < g ? f : g)").replace("100", "100.0")
            )
        )
        found["cel-python (doubles)"] = lambda values: program.evaluate(
            {k: celtypes.DoubleType(float(v)) for k, v in values.items()}
        )
    except ImportError as error:
        found["cel-python (doubles)"] = f"not installed ({error.name})"
    return found


def scalar(count: int, repeat: int) -> str:
    from iku_rules.evaluator import compile_function

    rng = random.Random(2026)
    rows = []
    for label, (text, names) in FORMULAS.items():
        inputs = [
            {name: Decimal(rng.randint(1, 10**6)) / 100 for name in names} for _ in range(count)
        ]
        floats = [{k: float(v) for k, v in values.items()} for values in inputs]
        floor = FLOORS[label]
        compiled = compile_function(text, list(names))

        def each(function: Callable[[dict[str, Any]], Any], data: list[dict[str, Any]]) -> float:
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                for values in data:
                    function(values)
                times.append(time.perf_counter() - start)
            return statistics.median(times)

        base = each(floor, inputs)
        rows.append([f"`{text}`", "Decimal lambda (floor)", "1.00"])
        rows.append([f"`{text}`", "float lambda", f"{each(floor, floats) / base:.2f}"])
        rows.append(
            [
                f"`{text}`",
                "**iku-rules compile_function**",
                f"**{each(compiled, inputs) / base:.2f}**",
            ]
        )
        for name, function in engines(text, names).items():
            if isinstance(function, str):
                rows.append([f"`{text}`", name, function])
                continue
            sample = inputs[: max(1, count // 10)] if "cel" in name or "rule" in name else inputs
            try:
                seconds = each(function, sample) * len(inputs) / len(sample)
            except Exception as error:  # an engine that cannot run the formula is reported
                rows.append([f"`{text}`", name, f"failed: {type(error).__name__}"])
                continue
            rows.append([f"`{text}`", name, f"{seconds / base:.1f}"])
    return table(["formula", f"evaluator ({count:,} fresh inputs)", "time / floor"], rows)


def parser_speed(count: int) -> str:
    from iku_rules.loader import load
    from iku_rules.parser import parse

    texts = [i.formula.text for i in load(DEFINITIONS).indicators if i.formula is not None]
    texts = [texts[i % len(texts)] + f" + {i}" for i in range(count)]
    start = time.perf_counter()
    for text in texts:
        parse(text)
    seconds = time.perf_counter() - start
    return table(
        ["parser (LALR)", "formulas / s"],
        [[f"{count:,} formulas of the shipped definitions", f"{count / seconds:,.0f}"]],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="kabupaten", help=",".join(bench_data.SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="where generated data is kept (reused)")
    parser.add_argument("--out", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    sizes = [size for size in args.sizes.split(",") if size]
    unknown = [size for size in sizes if size not in bench_data.SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; the sizes are {', '.join(bench_data.SIZES)}")
    compileall.compile_dir(ROOT / "iku_rules", quiet=1)  # as installing the package does
    with tempfile.TemporaryDirectory(prefix="iku-bench-") as scratch:
        folder = args.data or Path(scratch)
        sections = [
            "### Cascade\n\n" + cascade(sizes, args.repeat, folder),
            "### Planner loop\n\n" + planner(args.repeat),
            "### Scalar formulas\n\n" + scalar(args.inputs, args.repeat),
            "### Parser\n\n" + parser_speed(max(100, args.inputs // 20)),
        ]
    text = "\n\n".join(sections) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
