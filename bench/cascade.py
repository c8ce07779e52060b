"""One cascade job, run in its own process so that its peak memory (RSS, DuckDB's
included) and wall time are its own.

    python bench/cascade.py ENGINE DATA WORK QUERIES.json

ENGINE is ``engine`` (iku-rules on DuckDB), ``floor`` (the same aggregate SQL the
engine ran, replayed on tables DuckDB's typed CSV reader loaded once: reading every
row once and aggregating it, with none of the engine's checks or Python) or ``pandas``
(the same tallies computed with pandas). WORK is ``year`` (every indicator for 2026,
kabupaten) or ``triwulan`` (2026-TW1 … TW4, per kecamatan). Prints the seconds the
work took, after imports.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"
WORK = {
    "year": (("2026", None),),
    "triwulan": tuple((f"2026-TW{q}", "kecamatan") for q in (1, 2, 3, 4)),
}
SQL_TYPES = {"text": "VARCHAR", "integer": "HUGEINT", "decimal": "DECIMAL(38, 6)", "date": "DATE"}


def engine(data: Path, work: str, queries: Path) -> Any:
    from iku_rules.engine import Engine

    iku = Engine(DEFINITIONS, data)
    results, recorded = [], []
    for period, by in WORK[work]:
        evaluation = iku.evaluate(period, by=by)
        results.append(len(evaluation.results))
        recorded.append(
            [[q.sql, {k: str(v) for k, v in q.params.items()}] for q in evaluation.queries]
        )
    queries.write_text(json.dumps(recorded))
    return results


def floor(data: Path, work: str, queries: Path) -> Any:
    import duckdb

    from iku_rules.loader import load
    from iku_rules.sources.sql import internal_table

    definitions = load(DEFINITIONS)
    recorded = json.loads(queries.read_text())
    rows = 0
    connection = duckdb.connect()  # loaded once, queried for every period
    for source in definitions.sources:
        columns = ", ".join(
            f"'{name}': '{SQL_TYPES[kind]}'" for name, kind in source.columns.items()
        )
        connection.execute(
            f'CREATE TABLE "{internal_table(source)}" AS SELECT * FROM '
            f"read_csv($path, header = true, columns = {{{columns}}})",
            {"path": str(data / source.path)},
        )
    for statements in recorded:
        for sql, params in statements:
            rows += len(connection.execute(sql, params).fetchall())
    connection.close()
    return rows


def pandas_job(data: Path, work: str, queries: Path) -> Any:
    import pandas as pd

    from iku_rules.engine import Engine, Fetched
    from iku_rules.periods import Period

    iku = Engine(DEFINITIONS, data)
    specs = iku._needed_specs()
    frames = {}
    for source in iku.sources.values():
        dates = [name for name, kind in source.columns.items() if kind == "date"]
        dtypes = {name: "string" for name, kind in source.columns.items() if kind == "text"}
        frames[source.id] = pd.read_csv(data / source.path, dtype=dtypes, parse_dates=dates)
    tallies = 0
    for period_text, by in WORK[work]:
        period = Period.parse(period_text)
        periods = [period.previous(), period] if iku._uses_previous() else [period]
        for each in periods:
            fetched = Fetched.__new__(Fetched)
            fetched.by = by
            for spec in specs.values():
                frame = frames[spec.source.id]
                mask = pd.Series(True, index=frame.index)
                column = spec.source.date_column
                if column:
                    end = pd.Timestamp(each.end)
                    mask &= frame[column] <= end
                    if spec.time == "flow":
                        mask &= frame[column] >= pd.Timestamp(each.start)
                if spec.condition is not None:
                    mask &= _mask(spec.condition, frame).fillna(False).astype(bool)
                chosen = frame[mask]
                for grouping in fetched.groupings(spec.source):
                    keyed = chosen.groupby(list(grouping)) if grouping else chosen
                    if spec.aggregate == "count_distinct":
                        counted = keyed[spec.column].nunique()
                    elif spec.aggregate in ("sum", "avg"):
                        counted = keyed[spec.column].sum()
                    else:
                        counted = keyed.size() if grouping else len(chosen)
                    tallies += counted.size if hasattr(counted, "size") else 1
            for source in iku.sources.values():
                frame = frames[source.id]
                if source.kind == "realisasi":
                    chosen = frame[frame["periode"].isin(each.triwulan)]
                    keys = ["indikator", "periode"] + ([source.region_column] if by else [])
                    tallies += chosen.groupby(keys, dropna=False)["nilai"].sum().size
                elif source.kind == "inputs":
                    tallies += len(frame[frame["tahun"] == each.year])
    return tallies


def _mask(node: Any, frame: Any) -> Any:
    """A filter condition of the formula language as a pandas boolean Series."""
    from iku_rules import ast
    from iku_rules.ast import name_key

    def column(name: ast.Node) -> Any:
        assert isinstance(name, ast.Name)
        return frame[next(c for c in frame.columns if name_key(c) == name.key)]

    def literal(value: ast.Node) -> Any:
        assert isinstance(value, ast.Text | ast.Number)
        return value.value if isinstance(value, ast.Text) else float(value.value)

    if isinstance(node, ast.And):
        result = _mask(node.operands[0], frame)
        for operand in node.operands[1:]:
            result = result & _mask(operand, frame)
        return result
    if isinstance(node, ast.Or):
        result = _mask(node.operands[0], frame)
        for operand in node.operands[1:]:
            result = result | _mask(operand, frame)
        return result
    if isinstance(node, ast.Not):
        return ~_mask(node.operand, frame)
    if isinstance(node, ast.In):
        found = column(node.operand).isin([literal(o) for o in node.options])
        return ~found if node.negated else found
    if isinstance(node, ast.Compare):
        left, right = column(node.left), literal(node.right)
        return {
            "=": left == right,
            "!=": left != right,
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[node.op]
    raise NotImplementedError(type(node).__name__)


JOBS = {"engine": engine, "floor": floor, "pandas": pandas_job}

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    name, data, work, queries = sys.argv[1:5]
    start = time.perf_counter()
    JOBS[name](Path(data), work, Path(queries))
    print(time.perf_counter() - start)
