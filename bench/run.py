"""Benchmark: every figure a ratio to a floor measured in the same run.

    python bench/run.py [--sizes kabupaten] [--repeat 3] [--inputs 100000] [--out FILE.md]

1. Cascade: the shipped definitions over generated data (bench/data.py) at each size.
   Three jobs compute the same numbers: the engine (iku-rules on DuckDB); the floor, the
   hand-written DuckDB SQL of bench/floor.sql over the files in place; and pandas, the
   hand-written pandas of bench/pandas_reference.py. The work: 2026 for the kabupaten;
   TW1–TW4 per kecamatan (the engine with one Engine in process, ``evaluate_many``; the
   references in one pass); and TW1–TW4 per kecamatan as one ``iku eval --period
   2026-TW1..TW4`` process against the floor's whole process. First every job runs once and every value of the floor and of pandas
   is checked equal to the engine's (a difference stops the benchmark, naming it); then
   interleaved rounds run each job in its own process in turn (its wall time after its
   imports, and its peak RSS), and each ratio is the median of the per-round ratios.
2. Planner loop: ``iku check`` on the shipped definitions as a whole process, against
   a bare ``python -c pass``; parsing and checking one edited formula.
3. Scalar formulas: ``compile_function`` against a plain lambda doing the same
   Decimal arithmetic (the floor) and the Python expression engines, on fresh inputs;
   each ratio the median of rounds, each timing an evaluator right after the floor.
4. Parser: formulas per second.

Prints Markdown tables, and each job's time to stderr as it goes. Only ratios are
comparable across machines. A job that runs out of memory is reported as such (a
pandas job may use at most 85% of the machine's memory, so that it fails alone
rather than bring the machine down); the other jobs of its size are still reported.
The package's modules are compiled to bytecode first, and its message catalogs to ``.mo``,
as an installed package's are, so that no job pays for compiling them.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from attrs import frozen

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import data as bench_data  # noqa: E402
import definitions_10x  # noqa: E402
import values as bench_values  # noqa: E402

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


@frozen
class Run:
    """One child process: the seconds its work took after its imports, as it reports
    them (None for a command that does not), its whole wall time as the parent saw it
    (interpreter start and imports included), and its peak RSS in bytes."""

    seconds: float | None
    whole: float
    peak: int


def measured(
    args: list[str], memory_cap: int | None = None, timed: bool = True, cache: Path | None = None
) -> Run | None:
    """Run ``python ARGS`` as a child process; None when it ran out of memory
    (``memory_cap``: its address space at most). ``timed``: it prints its own seconds
    on its last line. ``cache``: the engine's cache folder (``IKU_CACHE_DIR``)."""

    def cap() -> None:
        import resource

        assert memory_cap is not None
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    with tempfile.TemporaryFile("w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, *args],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            preexec_fn=cap if memory_cap else None,
            env=os.environ | ({"IKU_CACHE_DIR": str(cache)} if cache else {}),
        )
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        whole = time.perf_counter() - started
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
    seconds = float(out.strip().splitlines()[-1]) if timed else None
    return Run(seconds, whole, peak)


def warm(folder: Path) -> None:
    """Read every file of ``folder`` once, so that the first job measured (the engine's)
    does not alone pay for reading them from disk."""
    for path in folder.iterdir():
        if path.is_file():
            with path.open("rb") as file:
                while file.read(1 << 24):
                    pass


SIZE_NAMES = {"province": "province, 10× kabupaten", "50m": "50m, 100× kabupaten's services"}
"""How a size is named in the tables, where its key alone does not say enough."""

WORKS = {
    "year": "2026, kabupaten",
    "triwulan": "TW1–TW4 per kecamatan, one Engine in process",
    "processes": "TW1–TW4 per kecamatan, one `iku eval --period 2026-TW1..TW4` (whole process)",
}
JOBS = ("engine", "engine-first", "floor", "pandas")
"""``engine`` reads files it validated before (its validating passes kept in the bench's
cache folder, as a planner's second run finds them); ``engine-first`` validates every cell of
every file, as on the first run over new data (``validation_cache=False``, ``--no-cache``)."""
REFERENCES = {
    "engine-first": "the engine validating every file",
    "floor": "the floor (floor.sql)",
    "pandas": "pandas (pandas_reference.py)",
}


def size_label(size: str) -> str:
    pmks, services = bench_data.SIZES[size]
    return f"{SIZE_NAMES.get(size, size)} ({pmks:,} PMKS, {services:,} services)"


def eval_process(data: Path, job: str) -> list[str]:
    """``iku eval`` of the four triwulan per kecamatan, as a planner runs it (``job``
    ``engine-first``: validating every file, ``--no-cache``)."""
    return [
        "-m", "iku_rules", "eval", str(DEFINITIONS), "--data", str(data),
        "--period", "2026-TW1..TW4", "--by", "kecamatan", "--format", "csv",
    ] + (["--no-cache"] if job == "engine-first" else [])  # fmt: skip


def settle(folder: Path) -> None:
    """Wait until every file of ``folder`` was last changed over two seconds ago: the engine
    keeps no validating pass over a file written just before it (a second write within its
    file system's clock tick could go unseen), and ``engine`` is to find its passes kept."""
    from iku_rules.sources.validation_cache import ValidationCache

    settled = ValidationCache.settle_ns / 1e9 + 0.2
    changed = max(max(p.stat().st_mtime, p.stat().st_ctime) for p in folder.iterdir())
    time.sleep(max(0.0, changed + settled - time.time()))


Round = dict[tuple[str, str], Run]
"""One round's runs, by (job, work); ``iku eval`` of the four triwulan is (job, "processes")."""


class Cascade:
    """The cascade at each size: the jobs' results checked equal, then interleaved rounds."""

    def __init__(self, folder: Path, repeat: int) -> None:
        self.folder = folder
        self.repeat = repeat
        self.jobs = [job for job in JOBS if job != "pandas" or _has_pandas()]
        total = memory_total()
        self.pandas_cap = int(total * 0.85) if total else None
        self.time_rows: list[list[str]] = []
        self.memory_rows: list[list[str]] = []
        self.check_rows: list[list[str]] = []
        self.loads: list[float] = []
        self.cache = Path(tempfile.mkdtemp(prefix="iku-bench-cache-"))
        """Where the engine keeps its validating passes (never the user's cache folder)."""

    def job(self, job: str, data: Path, work: str, out: Path | None = None) -> Run | None:
        self.loads.append(os.getloadavg()[0])
        args = [str(BENCH / "cascade.py"), job, str(data), work]
        run = measured(
            args + ([str(out)] if out else []),
            self.pandas_cap if job == "pandas" else None,
            cache=self.cache,
        )
        if run is None and job.startswith("engine"):
            raise RuntimeError(f"the engine ran out of memory at {data.name}")
        return run

    def size(self, size: str) -> None:
        started = time.perf_counter()
        # in a child process: a parent grown by DuckDB would lend its RSS to every job forked later
        subprocess.run([sys.executable, str(BENCH / "data.py"), size, str(self.folder)], check=True)
        data = self.folder / size
        print(f"  {size}: data made in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        warm(data)
        settle(data)
        out_of_memory = self.check(size, data)
        kept = len(list((self.cache / "validated").glob("*.json")))
        if not kept:  # else "engine" would time first reads as well
            raise RuntimeError(f"the engine kept no validating pass over the files of {size}")
        print(f"  {size}: {kept} validating passes kept", file=sys.stderr)
        rounds: list[Round] = []
        for number in range(self.repeat):
            rounds.append(self.round(size, data, number, out_of_memory))
        self.report(size, rounds)

    def check(self, size: str, data: Path) -> set[tuple[str, str]]:
        """Run every job once with its values written, and stop at the first value a
        reference does not give as the engine does; the (job, work) that ran out of memory."""
        out_of_memory: set[tuple[str, str]] = set()
        for work in ("year", "triwulan"):
            computed: dict[str, bench_values.Values] = {}
            for job in self.jobs:
                path = self.folder / f"values-{job}.json"
                if self.job(job, data, work, path) is None:
                    out_of_memory.add((job, work))
                    continue
                computed[job] = bench_values.read(path)
            cells, counted = [], (0, 0)
            for job in self.jobs[1:]:  # each against the engine with its passes kept
                if job not in computed:
                    cells.append("out of memory")
                    continue
                try:
                    counted = bench_values.compare(
                        computed["engine"], computed[job], REFERENCES[job]
                    )
                except bench_values.Mismatch as error:
                    raise SystemExit(
                        f"the results differ at {size}, {WORKS[work]}: {error}"
                    ) from None
                cells.append("equal")
            print(f"  {size}, {work}: {counted[0]:,} values equal", file=sys.stderr)
            self.check_rows.append(
                [size_label(size), WORKS[work], f"{counted[0]:,}", f"{counted[1]:,}", *cells]
            )
        return out_of_memory

    def round(
        self, size: str, data: Path, number: int, out_of_memory: set[tuple[str, str]]
    ) -> Round:
        """Every job of every work once, in turn; the order turns by one job each round."""
        found: Round = {}
        turn = number % len(self.jobs)
        order = self.jobs[turn:] + self.jobs[:turn]
        for work in ("year", "triwulan"):
            for job in order:
                if (job, work) in out_of_memory:
                    continue
                run = self.job(job, data, work)
                if run is None:
                    out_of_memory.add((job, work))
                    continue
                found[(job, work)] = run
                print(
                    f"  {size}, round {number + 1}/{self.repeat}, {work}, {job}: "
                    f"{run.seconds:.2f} s ({run.whole:.2f} s whole), {run.peak / 2**20:.0f} MiB",
                    file=sys.stderr,
                )
        for job in order:
            if not job.startswith("engine"):
                continue
            run = measured(eval_process(data, job), timed=False, cache=self.cache)
            if run is None:
                raise RuntimeError(f"iku eval ran out of memory at {size}")
            found[(job, "processes")] = run
            print(
                f"  {size}, round {number + 1}/{self.repeat}, iku eval of TW1..TW4, {job}: "
                f"{run.whole:.2f} s",
                file=sys.stderr,
            )
        return found

    def report(self, size: str, rounds: list[Round]) -> None:
        label = size_label(size)

        def seconds(run: Run, work: str) -> float:
            return run.whole if work == "processes" else run.seconds or 0.0

        def runs(job: str, work: str) -> list[Run | None]:
            if work == "processes" and not job.startswith("engine"):
                work = "triwulan"  # the references' whole process, against iku eval's
            return [found.get((job, work)) for found in rounds]

        def ratio(top: str, bottom: str, work: str) -> str:
            if "pandas" in (top, bottom) and "pandas" not in self.jobs:
                return "pandas not installed"
            pairs = zip(runs(top, work), runs(bottom, work), strict=True)
            found = [
                seconds(a, work) / seconds(b, work)
                for a, b in pairs
                if a is not None and b is not None
            ]
            return spread(found) if found else "out of memory"

        def median(job: str, work: str, measure: str) -> str:
            found = [run for run in runs(job, work) if run is not None]
            if not found:
                return "–" if job not in self.jobs else "out of memory"
            if measure == "peak":
                return f"{statistics.median(run.peak for run in found) / 2**20:.0f}"
            return f"{statistics.median(seconds(run, work) for run in found):.2f} s"

        for work in WORKS:
            self.time_rows.append(
                [
                    label,
                    WORKS[work],
                    ratio("engine", "floor", work),
                    ratio("engine-first", "floor", work),
                    ratio("pandas", "floor", work),
                    ratio("engine", "pandas", work),
                    ratio("engine-first", "pandas", work),
                    *(median(job, work, "seconds") for job in JOBS),
                ]
            )
        for work in ("year", "triwulan"):

            def peaks(job: str, work: str = work) -> str:
                return spread(
                    [
                        (a.peak / b.peak)
                        for a, b in zip(runs(job, work), runs("floor", work), strict=True)
                        if a is not None and b is not None
                    ]
                )

            self.memory_rows.append(
                [
                    label,
                    WORKS[work],
                    *(median(job, work, "peak") for job in JOBS),
                    peaks("engine"),
                    peaks("engine-first"),
                ]
            )

    def tables(self) -> str:
        rounds = f"{self.repeat} interleaved round{'s' if self.repeat > 1 else ''}"
        loads = " to ".join(f"{load:.2f}" for load in (min(self.loads), max(self.loads)))
        return "\n\n".join(
            [
                "### Cascade\n\n"
                + table(
                    [
                        "size",
                        "work",
                        "engine / floor",
                        "engine, first read / floor",
                        "pandas / floor",
                        "engine / pandas",
                        "engine, first read / pandas",
                        "engine",
                        "engine, first read",
                        "floor",
                        "pandas",
                    ],
                    self.time_rows,
                )
                + "\n\n*engine*: over files it read before, unchanged since (the validating"
                " passes kept by `iku_rules.sources.validation_cache`, the definitions by"
                " `iku_rules.loader.kept`, as a planner's every run after the first finds"
                " them); *engine, first read*: validating every cell of every file, the"
                " definitions read (`--no-cache`), as on the first run over new data."
                f" Each ratio is the median of the per-round ratios (min–max) over {rounds};"
                " each time the median. Times are after the job's imports, except for the"
                " `iku eval` row: there each side's whole process (interpreter, imports and all)"
                " against one floor or pandas process doing TW1–TW4."
                f" {os.cpu_count()} cores; the load average (one minute, the benchmark's own job"
                f" included) was {loads} as the jobs started.",
                "### Peak memory\n\n"
                + table(
                    [
                        "size",
                        "work",
                        "engine MiB",
                        "engine, first read MiB",
                        "floor MiB",
                        "pandas MiB",
                        "engine / floor",
                        "engine, first read / floor",
                    ],
                    self.memory_rows,
                ),
                "### Results checked before timing\n\n"
                + table(
                    [
                        "size",
                        "work",
                        "values compared",
                        "of them available",
                        *(REFERENCES[job] for job in self.jobs[1:]),
                    ],
                    self.check_rows,
                ),
            ]
        )


def spread(ratios: list[float]) -> str:
    """The median of ``ratios`` with their least and greatest: ``2.05 (1.98–2.20)``."""
    if not ratios:
        return ""
    middle = f"{statistics.median(ratios):.2f}"
    return middle if len(ratios) == 1 else f"{middle} ({min(ratios):.2f}–{max(ratios):.2f})"


def _has_pandas() -> bool:
    return importlib.util.find_spec("pandas") is not None  # pip install '.[bench]'


def cascade(sizes: list[str], repeat: int, folder: Path) -> str:
    bench = Cascade(folder, repeat)
    try:
        for size in sizes:
            bench.size(size)
        return bench.tables()
    finally:
        shutil.rmtree(bench.cache, ignore_errors=True)


def planner(repeat: int) -> str:
    def wall(args: list[str]) -> tuple[float, float]:
        """The median wall time of 20 whole processes, and their median CPU time (user and
        system: what the process itself did, less moved by other work on the machine)."""
        times, cpu = [], []
        for _ in range(20):
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
            cpu.append(usage.ru_utime + usage.ru_stime)
            if os.waitstatus_to_exitcode(status):
                raise RuntimeError(f"{' '.join(args)} failed")
        return statistics.median(times), statistics.median(cpu)

    load_before = os.getloadavg()[0]
    bare, bare_cpu = wall(["-c", "pass"])
    check, check_cpu = wall(["-m", "iku_rules", "check", str(DEFINITIONS)])
    with tempfile.TemporaryDirectory(prefix="iku-bench-") as scratch:
        bigger = definitions_10x.write(Path(scratch) / "definitions")
        check_10x, check_10x_cpu = wall(["-m", "iku_rules", "check", str(bigger)])
        indicators = sum(definitions_10x.indicators(path) for path in bigger.rglob("*.toml"))
    load_after = os.getloadavg()[0]

    from iku_rules.check.formulas import name_table
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
        ["planner loop", "time", "ratio", "cpu time"],
        [
            [
                "`iku check` on the shipped definitions, whole process (median of 20)",
                f"{check:.3f} s",
                f"{check / 0.3:.2f} × the 0.3 s goal",
                f"{check_cpu:.3f} s",
            ],
            [
                f"`iku check` at 10× the indicators ({indicators}), whole process (median of 20)",
                f"{check_10x:.3f} s",
                f"{check_10x / 0.5:.2f} × the 0.5 s goal",
                f"{check_10x_cpu:.3f} s",
            ],
            [
                "`python -c pass` (start-up alone)",
                f"{bare:.3f} s",
                f"{bare / check:.2f} × `iku check`",
                f"{bare_cpu:.3f} s",
            ],
            ["parse and check one edited formula", f"{edit * 1e3:.2f} ms", "", ""],
            [
                "load average (1 minute) before and after these runs",
                f"{load_before:.1f}, {load_after:.1f}",
                f"on {os.cpu_count()} cores",
                "",
            ],
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


def _read_short(v: dict[str, Any]) -> Any:
    return Decimal(repr(v["a"])), Decimal(repr(v["b"]))


def _read_long(v: dict[str, Any]) -> Any:
    return (
        Decimal(repr(v["a"])),
        Decimal(repr(v["b"])),
        Decimal(repr(v["c"])),
        Decimal(repr(v["d"])),
        Decimal(repr(v["e"])),
        Decimal(repr(v["f"])),
        Decimal(repr(v["g"])),
    )


READS: dict[str, Callable[[dict[str, Any]], Any]] = {"short": _read_short, "long": _read_long}
"""Only the exact reading of float inputs (as ``to_decimal`` reads them) that
compile_function does before any arithmetic: the least it can cost on floats."""


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


Inputs = list[dict[str, Any]]


def _once(function: Callable[[dict[str, Any]], Any], data: Inputs) -> float:
    start = time.perf_counter()
    for values in data:
        function(values)
    return time.perf_counter() - start


def side_by_side(
    function: Callable[[dict[str, Any]], Any],
    data: Inputs,
    floor: Callable[[dict[str, Any]], Any],
    inputs: Inputs,
    repeat: int,
) -> float:
    """The median over ``repeat`` rounds of ``function``'s time over ``data`` (scaled to
    every input) against ``floor``'s over ``inputs``, timed just before it in the same
    round: a ratio of two runs side by side, which a machine slowing down between the
    evaluators' turns does not move."""
    found = []
    for _ in range(repeat):
        base = _once(floor, inputs)
        found.append(_once(function, data) * len(inputs) / len(data) / base)
    return statistics.median(found)


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

        ratio = partial(side_by_side, floor=floor, inputs=inputs, repeat=repeat)
        rows.append([f"`{text}`", "Decimal lambda (floor)", "1.00"])
        rows.append([f"`{text}`", "float lambda", f"{ratio(floor, floats):.2f}"])
        rows.append(
            [f"`{text}`", "**iku-rules compile_function**", f"**{ratio(compiled, inputs):.2f}**"]
        )
        rows.append(
            [
                f"`{text}`",
                "**iku-rules compile_function, float inputs**",
                f"**{ratio(compiled, floats):.2f}**",
            ]
        )
        rows.append(
            [
                f"`{text}`",
                "its floats read as `to_decimal` does (`Decimal(repr(x))`), nothing else",
                f"{ratio(READS[label], floats):.2f}",
            ]
        )
        for name, function in engines(text, names).items():
            if isinstance(function, str):
                rows.append([f"`{text}`", name, function])
                continue
            sample = inputs[: max(1, count // 10)] if "cel" in name or "rule" in name else inputs
            try:
                found = ratio(function, sample)
            except Exception as error:  # an engine that cannot run the formula is reported
                rows.append([f"`{text}`", name, f"failed: {type(error).__name__}"])
                continue
            rows.append([f"`{text}`", name, f"{found:.1f}"])
            if name in ("py-expression-eval", "simpleeval", "rule-engine"):  # Python numbers
                found = ratio(function, floats[: len(sample)])
                rows.append([f"`{text}`", f"{name}, float inputs", f"{found:.1f}"])
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


def compile_catalogs() -> None:
    """Each message catalog's ``.mo`` beside its ``.po`` (as ``hatch_build.py`` puts it in
    the wheel), so that ``iku check`` reads it rather than compiling the ``.po`` in every
    process as a source checkout does."""
    from iku_rules.i18n import compile_catalog

    for po in sorted((ROOT / "iku_rules" / "locale").glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_catalog(po))


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
    compile_catalogs()  # and its message catalogs, as building the wheel does
    with tempfile.TemporaryDirectory(prefix="iku-bench-") as scratch:
        folder = args.data or Path(scratch)
        sections = [
            cascade(sizes, args.repeat, folder),
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
