"""The benchmark runs at its smallest size and prints its tables (no timing is checked)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = "tiny (2,000 PMKS, 10,000 services)"


@pytest.mark.slow
def test_the_benchmark_runs_at_the_smallest_size(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "tiny",
            "--repeat",
            "1",
            "--inputs",
            "300",
            "--data",
            str(tmp_path),
            "--out",
            str(tmp_path / "bench.md"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for heading in (
        "### Cascade",
        "### Peak memory",
        "### Results checked before timing",
        "### Planner loop",
        "### Scalar formulas",
        "### Parser",
    ):
        assert heading in out
    assert (
        "| size | work | engine / floor | pandas / floor | engine / pandas | engine | floor | pandas |"
        in out
    )
    for work in (
        "2026, kabupaten",
        "TW1–TW4 per kecamatan, one Engine in process",
        "TW1–TW4 per kecamatan, four `iku eval` processes (whole process)",
    ):
        assert f"| {TINY} | {work} |" in out
    # The floor's and pandas' values were compared with the engine's, every one equal: the
    # year gives 14 measures, 42 realisasi indicators with what each triwulan reported, and 8
    # inputs, so well over 50 values; the triwulan per kecamatan give thousands.
    checked = out.split("### Results checked before timing")[1].split("###")[0]
    rows = [line for line in checked.splitlines() if line.startswith(f"| {TINY} |")]
    assert len(rows) == 2
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert int(cells[2].replace(",", "")) > 50
        assert cells[4:] == ["equal", "equal"]
    assert (tmp_path / "bench.md").read_text(encoding="utf-8") in out + "\n"


def test_a_reference_that_differs_stops_with_the_place_and_both_values() -> None:
    spec = importlib.util.spec_from_file_location("bench_values", ROOT / "bench" / "values.py")
    assert spec is not None and spec.loader is not None
    values = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(values)
    labuan = ("2026-TW2", "Labuan", "measure: PMKS")
    engine = {labuan: Decimal(120), ("2026-TW2", None, "input: rasio-gini"): None}
    with pytest.raises(values.Mismatch) as raised:
        values.compare(engine, {labuan: Decimal(121)}, "the floor")
    assert str(raised.value) == (
        "measure 'PMKS', kecamatan Labuan, 2026-TW2: the engine gives 120, the floor gives 121"
    )
    # 2 values compared, 1 of them available; the input is not available to either.
    assert values.compare(engine, {labuan: Decimal("120.000")}, "the floor") == (2, 1)
    with pytest.raises(values.Mismatch, match="the engine has no such value"):
        values.compare(
            engine, {labuan: Decimal(120), ("2026", None, "measure: PMKS"): Decimal(1)}, "x"
        )
