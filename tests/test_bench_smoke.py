"""The benchmark runs at its smallest size and prints its tables (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
    for heading in ("### Cascade", "### Planner loop", "### Scalar formulas", "### Parser"):
        assert heading in done.stdout
    assert "| tiny (2,000 PMKS, 10,000 services) | 2026, kabupaten |" in done.stdout
    assert (tmp_path / "bench.md").read_text(encoding="utf-8") in done.stdout + "\n"
