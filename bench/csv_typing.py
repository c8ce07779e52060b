"""DuckDB's typed ``read_csv`` against the reader's rules: what it reads, and how fast.

    python3 bench/csv_typing.py

Reads the cells ``iku_rules.sources`` has rules for (numbers in both notations, an
ambiguous ``6.284``, blank cells, long decimals, a whole number with a fraction, a NIK that
Excel wrote in scientific notation, dates in two spellings) with ``read_csv`` typed by
``columns``, ``decimal_separator`` and ``dateformat``, prints what DuckDB made of each, and
times a typed read of a million rows against reading them as text and casting in SQL (what
``sources/native_csv.py`` does). ARCHITECTURE.md records the outcome.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

CASES: list[tuple[str, list[str], dict[str, Any]]] = [
    ("id notation, decimal_separator ','", ["12,5", "1.234.567", "1.234,5"], {"x": "DECIMAL(38,10)", "decimal_separator": ","}),
    ("en notation", ["12.5", "1,234,567"], {"x": "DECIMAL(38,10)"}),
    ("6.284, no notation declared", ["6.284"], {"x": "DECIMAL(38,10)"}),
    ("a cell of spaces", ["  "], {"x": "DECIMAL(38,10)"}),
    ("30 decimals", ["0.123456789012345678901234567891"], {"x": "DECIMAL(38,10)"}),
    ("12.5 in an integer column", ["12.5"], {"x": "BIGINT"}),
    ("NIK 3.60103E+15 (from Excel)", ["3.60103E+15"], {"x": "BIGINT"}),
    ("day-first and ISO dates", ["31/01/2026", "2026-01-31"], {"x": "DATE", "dateformat": "%d/%m/%Y"}),
]  # fmt: skip


def read(connection: Any, folder: Path, cells: list[str], options: dict[str, Any]) -> str:
    path = folder / "cells.csv"
    path.write_text("x\n" + "\n".join(cells) + "\n", encoding="utf-8")
    extra = "".join(f", {key} = '{value}'" for key, value in options.items() if key != "x")
    query = f"select x from read_csv(?, header = true, columns = {{'x': '{options['x']}'}}{extra})"
    try:
        return repr([row[0] for row in connection.execute(query, [str(path)]).fetchall()])
    except duckdb.Error as error:
        return f"refused: {str(error).splitlines()[0]}"


def best(connection: Any, query: str, path: Path) -> float:
    times = []
    for _ in range(3):
        begin = time.perf_counter()
        connection.execute(query, [str(path)]).fetchall()
        times.append(time.perf_counter() - begin)
    return min(times)


def main() -> None:
    connection = duckdb.connect()
    folder = Path(tempfile.mkdtemp())
    print(f"DuckDB {duckdb.__version__}\n\n| cells | DuckDB's typed read_csv |\n|---|---|")
    for label, cells, options in CASES:
        print(f"| {label}: {', '.join(cells)} | {read(connection, folder, cells, options)} |")
    rng = random.Random(1)
    big = folder / "big.csv"
    with big.open("w", encoding="utf-8") as out:
        out.write("nik,nilai,tanggal\n")
        for i in range(1_000_000):
            out.write(
                f"36010{i:011d},{rng.randint(0, 99999)}.{rng.randint(0, 99):02d},"
                f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
            )
    typed = best(
        connection,
        "select count(*), sum(nilai) from read_csv(?, header = true, columns ="
        " {'nik': 'VARCHAR', 'nilai': 'DECIMAL(38,10)', 'tanggal': 'DATE'})",
        big,
    )
    text = best(
        connection,
        "select count(*), sum(try_cast(nilai as decimal(38, 10))) from read_csv(?, header = true,"
        " all_varchar = true)",
        big,
    )
    print(f"\nA million rows: typed read_csv {typed:.2f} s, as text and cast in SQL {text:.2f} s")


if __name__ == "__main__":
    main()
