"""One cascade job, run in its own process so that its peak memory (RSS, DuckDB's
included) and wall time are its own.

    python bench/cascade.py JOB DATA WORK [VALUES.json]

JOB is ``engine`` (iku-rules on DuckDB, the shipped definitions, its validating passes
kept in ``IKU_CACHE_DIR``), ``engine-first`` (the same validating every file), ``floor`` (the
hand-written DuckDB SQL of ``floor.sql`` over the files in place) or ``pandas`` (the
hand-written pandas of ``pandas_reference.py``). WORK is ``year`` (2026, the kabupaten)
or ``triwulan`` (2026-TW1 … TW4, the kabupaten and each kecamatan; the engine evaluates
the four with one ``Engine``, in one pass: ``evaluate_many``). Prints the seconds the work
took after the job's imports; with VALUES.json, then writes every value the job computed
there (see :mod:`values`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"
PERIODS = {
    "year": (("2026", None),),
    "triwulan": tuple((f"2026-TW{quarter}", "kecamatan") for quarter in (1, 2, 3, 4)),
}
"""What the engine evaluates for each work: periods, and by what region."""


def engine(data: Path, work: str, validation_cache: bool = True) -> list[Any]:
    """The engine's evaluations (the values are read from them after the timing); without
    ``validation_cache``, as on a first run: every file validated cell by cell, the
    definitions read, nothing kept."""
    from iku_rules.engine import Engine

    kept = validation_cache
    with Engine(DEFINITIONS, data, validation_cache=kept, definitions_cache=kept) as iku:
        if work == "triwulan":  # the four in one pass: each source asked once for them all
            return iku.evaluate_many([period for period, _ in PERIODS[work]], by="kecamatan")
        return [iku.evaluate(period, by=by) for period, by in PERIODS[work]]


def engine_values(evaluations: list[Any]) -> Any:
    """Every measure, realisasi and input of the evaluations, as :mod:`values` keys them:
    each measure as an indicator used it (``MeasureUse.value``, per region), each realisasi
    indicator's Σ and what each triwulan reported, each input."""
    from values import Values

    found: Values = {}

    def keep(key: tuple[str, str | None, str], value: Any) -> None:
        if key in found and found[key] != value:
            raise RuntimeError(f"the engine gives two values for {key}: {found[key]}, {value}")
        found[key] = value

    for evaluation in evaluations:
        period = evaluation.period.label
        for result in evaluation.results:
            for use in result.measures:
                keep((period, use.region, f"measure: {use.spec.label}"), use.value)
            if result.realisasi is not None:
                indikator = result.indicator.id
                keep((period, result.region, f"realisasi: {indikator}"), result.realisasi.value)
                for quarter, value in result.realisasi.by_triwulan:
                    keep((period, result.region, f"realisasi: {indikator}, {quarter}"), value)
            for name, value, _ in result.inputs:
                keep((period, result.region, f"input: {name}"), value)
    return found


def main() -> None:
    job, data, work = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    out = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    sys.path.insert(0, str(BENCH))
    import values

    run: Any
    if job in ("engine", "engine-first"):
        # imported before the timing starts, as the floor's DuckDB is: the engine, DuckDB and
        # sqlglot with the DuckDB dialect it writes the statements in (which sqlglot loads
        # on first use); whole-process timings (`iku eval`) count every import
        import sqlglot.dialects.duckdb  # noqa: F401

        import iku_rules.engine
        import iku_rules.sources.sql_backend  # noqa: F401

        def run(data: Path, work: str) -> list[Any]:
            return engine(data, work, validation_cache=job == "engine")

    elif job == "floor":
        import duckdb  # noqa: F401 - imported before the timing starts
        import floor

        run = floor.run
    elif job == "pandas":
        import pandas_reference

        run = pandas_reference.run
    else:
        raise SystemExit(f"unknown job {job!r}: engine, floor or pandas")
    start = time.perf_counter()
    computed = run(data, work)
    seconds = time.perf_counter() - start
    if out is not None:
        values.write(engine_values(computed) if job.startswith("engine") else computed, out)
    print(seconds)


if __name__ == "__main__":
    main()
