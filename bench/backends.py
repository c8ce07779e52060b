"""PostgreSQL and Spark (local) against DuckDB, the embedded default, on one machine.

    python3 bench/backends.py --sizes kabupaten,province --repeat 3 --out backends.md

For each size of ``bench/data.py`` the same data are put where each engine keeps them:
DuckDB reads the CSV files of the data folder, as ``iku eval --data`` does; PostgreSQL
holds them in tables (COPY, dates as ``date``, numbers as ``numeric``: an office's
existing database) in a server this script starts (``initdb`` in a temporary folder, as
the tests do) unless ``--postgres URL`` names one (the password from ``PGPASSWORD``);
Spark reads Parquet files DuckDB wrote from the CSV files, registered as tables of its
catalog (``--spark-catalog``), in a ``local[2]`` session started once.

Before anything is timed, every backend's rows for both jobs are checked equal to
DuckDB's; a difference stops the run. Then rounds run DuckDB, PostgreSQL and Spark in
turn (interleaved), and each ratio is the median of the per-round ratios to DuckDB's
time in the same round, with the least and the greatest. The jobs:

* *2026, kabupaten, first evaluation*: a new ``Engine``, ``evaluate("2026")`` — for
  DuckDB this includes reading the CSV files; PostgreSQL and Spark read their tables in
  place;
* *TW1–TW4 per kecamatan*: the same engine, the four triwulan ``by="kecamatan"``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import data as bench_data  # noqa: E402

from iku_rules.engine import Engine  # noqa: E402
from iku_rules.loader import load  # noqa: E402
from iku_rules.sources.connect import SparkTarget  # noqa: E402

DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"
QUARTERS = [f"2026-TW{quarter}" for quarter in (1, 2, 3, 4)]


def parquet_tables(spark: Any, data: Path, folder: Path) -> None:
    """Each source's CSV file as a Parquet file (every column text, as a landing zone
    holds them), registered in Spark's catalog under the source's table name."""
    definitions = load(DEFINITIONS)
    for source in definitions.sources:
        target = folder / f"{source.id}.parquet"
        if not target.exists():
            connection = duckdb.connect()
            connection.execute(
                "COPY (SELECT * FROM read_csv($csv, all_varchar = true)) TO"
                f" '{target}' (FORMAT parquet)",
                {"csv": str(data / source.path)},
            )
            connection.close()
        spark.read.parquet(str(target)).createOrReplaceTempView(f"`{source.table_name}`")


def jobs(engine_for: Callable[[], Engine]) -> tuple[float, float, list[Any]]:
    """The two jobs' times and their rows."""
    start = time.perf_counter()
    engine = engine_for()
    year = engine.evaluate("2026")
    first = time.perf_counter() - start
    start = time.perf_counter()
    quarters = [engine.evaluate(quarter, by="kecamatan") for quarter in QUARTERS]
    second = time.perf_counter() - start
    engine.close()
    return first, second, [year.rows(), *(evaluation.rows() for evaluation in quarters)]


def spread(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def run_size(
    size: str, repeat: int, folder: Path, url: str | None, spark: Any | None
) -> list[list[str]]:
    from servers import load_csv_tables, postgres_server

    data = bench_data.make(size, folder)
    definitions = load(DEFINITIONS)
    rows: list[list[str]] = []
    with postgres_server() if url is None else _given(url) as server:
        if url is None:
            import os

            from servers import PASSWORD

            os.environ["PGPASSWORD"] = PASSWORD
            started = time.perf_counter()
            load_csv_tables(server, definitions, data, "public")
            print(f"{size}: COPY into PostgreSQL {time.perf_counter() - started:.1f} s", flush=True)
            target = server.url
        else:
            target = url
        engines: dict[str, Callable[[], Engine]] = {
            "duckdb": lambda: Engine(definitions, data),
            "postgresql": lambda: Engine(definitions, None, connect=target),
        }
        if spark is not None:
            parquet = folder / f"{size}-parquet"
            parquet.mkdir(exist_ok=True)
            parquet_tables(spark, data, parquet)
            engines["spark"] = lambda: Engine(
                definitions, data, connect=SparkTarget(session=spark, catalog=True)
            )
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in engines}
        for round_index in range(repeat + 1):  # round 0 checks the values and warms up
            results = {}
            for name, make in engines.items():
                first, second, found = jobs(make)
                results[name] = found
                if round_index:
                    times[name].append((first, second))
                print(
                    f"{size} round {round_index} {name}: {first:.2f} s, {second:.2f} s", flush=True
                )
            if round_index == 0:
                for name, found in results.items():
                    if found != results["duckdb"]:
                        raise SystemExit(f"{name} differs from duckdb at size {size}")
        for job, label in ((0, "2026, kabupaten, first evaluation"), (1, "TW1–TW4 per kecamatan")):
            base = [pair[job] for pair in times["duckdb"]]
            row = [size, label, f"{statistics.median(base):.2f} s"]
            for name in ("postgresql", "spark"):
                if name not in times:
                    row.append("not run")
                    continue
                ratios = [pair[job] / b for pair, b in zip(times[name], base, strict=True)]
                row.append(spread(ratios))
            rows.append(row)
    return rows


class _given:
    """A server named by its URL: nothing to start or stop."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> _given:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="kabupaten", help=",".join(bench_data.SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="where generated data is kept (reused)")
    parser.add_argument("--postgres", help="a PostgreSQL URL to use instead of starting one")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--no-spark", action="store_true", help="PostgreSQL only (Spark local is slow here)"
    )
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    unknown = [size for size in sizes if size not in bench_data.SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; the sizes are {', '.join(bench_data.SIZES)}")
    spark = None
    if not args.no_spark:
        from iku_rules.sources.spark import session

        started = time.perf_counter()
        spark, _ = session(SparkTarget(master="local[2]"))
        print(f"Spark local[2] started in {time.perf_counter() - started:.1f} s", flush=True)
    folder = args.data or Path(tempfile.mkdtemp(prefix="iku-bench-"))
    rows = []
    try:
        for size in sizes:
            rows.extend(run_size(size, args.repeat, folder, args.postgres, spark))
    finally:
        if spark is not None:
            spark.stop()
    header = ["size", "job", "DuckDB time", "PostgreSQL / DuckDB", "Spark local / DuckDB"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
