"""The ``iku`` program ends its process once its command has run, without Python's own
ending (:func:`iku_rules.cli.common.end_process`): its output, through a pipe, is whole; its
exit status is the command's; what was registered to run at exit runs, once; and a thread
Python would wait for is waited for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import MINI

PROBE = """\
import atexit, sys, threading
atexit.register(lambda: print("at exit", file=sys.stderr))
if sys.argv.pop(1) == "thread":  # a thread still running: Python waits for it, so must iku
    gate = threading.Event()
    threading.Thread(target=lambda: (gate.wait(), print("thread done", file=sys.stderr))).start()
    threading.Timer(0.3, gate.set).start()
from iku_rules.cli import command
sys.exit(command())
"""


def iku(*argv: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, IKU_CACHE_DIR=str(tmp_path / "cache"), LANGUAGE="en")
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_the_output_is_whole_and_the_exit_functions_run_once(tmp_path: Path) -> None:
    # The four triwulan by kecamatan: a header and one row per indicator, region and period,
    # as main() writes them in the same process.
    ran = iku(
        "none", "eval", str(MINI), "--data", str(MINI), "--period", "2026-TW1..TW4",
        "--by", "kecamatan", "--format", "csv", tmp_path=tmp_path,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr == "at exit\n"
    from helpers import run

    status, expected = run(
        "--lang", "en", "eval", str(MINI), "--data", str(MINI), "--period", "2026-TW1..TW4",
        "--by", "kecamatan", "--format", "csv",
    )  # fmt: skip
    assert status == 0 and ran.stdout == expected
    assert len(ran.stdout.splitlines()) > 40


def test_the_exit_status_is_the_commands(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[office]\nid = "x"\nname = "X"\nplan_start = "2025"\n', encoding="utf-8")
    checked = iku("none", "check", str(broken), tmp_path=tmp_path)
    assert checked.returncode == 1
    assert "plan_start" in checked.stdout and checked.stderr == "at exit\n"
    wrong = iku("none", "eval", str(tmp_path / "nowhere"), tmp_path=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("iku: ") and wrong.stderr.endswith("at exit\n")


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    ran = iku("thread", "check", str(MINI), tmp_path=tmp_path)
    assert ran.returncode == 0
    assert ran.stderr == "thread done\nat exit\n"  # as Python ends a process
