"""The command ends as command-line tools end: Ctrl-C with one line and status 130, a
reader that goes away (``| head -1``) quietly with status 0; never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MINI, ROOT

PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
IKU = (sys.executable, "-m", "iku_rules.cli")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signals") / "data"
    subprocess.run([*IKU, "sample-data", str(folder), "--people", "200"], check=True,
                   capture_output=True)  # fmt: skip
    return folder


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="a shell")
def test_a_pipe_closed_by_head_ends_quietly(data: Path) -> None:
    """Per kecamatan the Pandeglang results fill far more than a pipe holds, so iku is still
    writing when head has read its line and gone."""
    command = (
        f"{sys.executable} -m iku_rules.cli eval {PANDEGLANG} --data {data} --period 2026"
        " --by kecamatan --format csv | head -1; exit ${PIPESTATUS[0]}"
    )
    completed = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False)
    assert completed.stdout.startswith("id,name,level,period,region,value")
    assert completed.stdout.count("\n") == 1
    assert (completed.returncode, completed.stderr) == (0, "")


def test_a_reader_gone_before_anything_is_written(data: Path) -> None:
    process = subprocess.Popen(
        [*IKU, "list", str(PANDEGLANG), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command (still starting) writes a byte
    error = process.stderr.read()
    assert (process.wait(), error) == (0, b"")


def run_interrupted(command: str) -> subprocess.CompletedProcess[str]:
    """``iku check`` on the small office, with the process sent SIGINT (as Ctrl-C sends
    it) while ``command`` runs inside the check."""
    program = (
        "import os, signal, sys, time\n"
        # A shell starts a background job with SIGINT ignored, and Python keeps it so;
        # a command typed at a terminal gets Ctrl-C, which is what this test is about.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from iku_rules import cli\n"
        "def interrupted(args, out):\n"
        f"    {command}\n"
        "cli.definitions.check = interrupted\n"
        f"sys.exit(cli.main(['check', {str(MINI)!r}]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(os.name != "posix", reason="SIGINT as a POSIX signal")
def test_ctrl_c_ends_with_one_line_and_status_130() -> None:
    completed = run_interrupted("os.kill(os.getpid(), signal.SIGINT); time.sleep(30)")
    assert (completed.returncode, completed.stdout, completed.stderr) == (
        130,
        "",
        "iku: interrupted\n",
    )


def test_ctrl_c_while_writing_output() -> None:
    completed = run_interrupted("out.write('half'); raise KeyboardInterrupt")
    assert (completed.returncode, completed.stderr) == (130, "iku: interrupted\n")


def test_duckdbs_own_word_for_ctrl_c_ends_with_one_line_and_130() -> None:
    """DuckDB, running a statement on the main thread, may see Ctrl-C itself and raise
    RuntimeError('Query interrupted') in place of the KeyboardInterrupt."""
    completed = run_interrupted("raise RuntimeError('Query interrupted')")
    assert (completed.returncode, completed.stderr) == (130, "iku: interrupted\n")
    other = run_interrupted("raise RuntimeError('something else')")
    assert other.returncode == 1 and "RuntimeError: something else" in other.stderr


@pytest.mark.skipif(os.name != "posix", reason="SIGINT as a POSIX signal")
def test_ctrl_c_stops_a_statement_when_it_comes() -> None:
    """A statement of the DuckDB backend that would run for half a minute, interrupted half
    a second in: stopped there, by the KeyboardInterrupt (DuckDB alone notices Ctrl-C only
    now and then, and says so with a RuntimeError)."""
    completed = run_interrupted(
        "from iku_rules.sources.base import Query; "
        "from iku_rules.sources.sql_backend import DuckDBBackend; "
        "import pathlib, threading; "
        "backend = DuckDBBackend([], pathlib.Path('.')); "
        "threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "    try:\n"
        "        backend.execute(Query('SELECT sum(i) FROM range(20000000000) t(i)', {}, ()))\n"
        "    except KeyboardInterrupt:\n"
        "        os.write(2, b'stopped\\n'); raise\n"
        "    except RuntimeError:\n"
        "        os.write(2, b'DuckDB raised\\n'); raise\n"
        "    os.write(2, b'ran to its end\\n')"
    )
    assert (completed.returncode, completed.stderr) == (130, "stopped\niku: interrupted\n")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT as a POSIX signal")
def test_ctrl_c_while_the_files_are_validated_stops_the_passes() -> None:
    """The CSV files are validated two at a time on threads of their own, which Ctrl-C does
    not reach: the passes running are stopped when it comes, not waited for. Here each pass
    is a statement that would run for about half a minute."""
    program = (
        "import os, signal, sys, threading\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from iku_rules import cli\n"
        "from iku_rules.sources import csv_relations\n"
        "both = threading.Barrier(2)\n"
        "def long_pass(connection, source, *args, **kwargs):\n"
        "    if both.wait() == 0:  # both passes begun: Ctrl-C half a second into them\n"
        "        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "    try:\n"
        "        connection.execute('SELECT sum(i) FROM range(20000000000) AS t(i)').fetchall()\n"
        "    except Exception as error:\n"  # one write each, lest the threads' lines mix
        "        os.write(2, f'{source.id} {type(error).__name__}\\n'.encode())\n"
        "        raise\n"
        "    os.write(2, f'{source.id} ran to its end\\n'.encode())\n"
        "csv_relations.native_csv_open = long_pass\n"
        f"sys.exit(cli.main(['eval', {str(MINI)!r}, '--data', {str(MINI)!r}, '--period', '2026',"
        " '--no-cache']))\n"  # the passes made, not found kept by an earlier test
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    lines = completed.stderr.splitlines()
    # The two largest files' passes were running: both stopped; the two others never began.
    assert sorted(lines[:-1]) == ["layanan InterruptException", "register_pmks InterruptException"]
    assert (completed.returncode, lines[-1]) == (130, "iku: interrupted")


@pytest.mark.skipif(os.name != "posix", reason="SIGINT as a POSIX signal")
def test_ctrl_c_while_the_readers_rows_are_copied_stops_the_copy() -> None:
    """A file DuckDB does not read itself is read by the reader, and its rows are copied
    into DuckDB: Ctrl-C stops that copy when it comes, by the KeyboardInterrupt. Here the
    copy is a statement that would run for about half a minute, interrupted half a second in
    (DuckDB alone notices Ctrl-C only now and then, and says so with a RuntimeError)."""
    program = (
        "import os, signal, sys, threading\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import sqlglot\n"
        "from iku_rules.engine import Engine\n"
        "from iku_rules.sources import csv_relations, sql_backend\n"
        "csv_relations.CsvRelations.open = lambda self, source: False  # the reader reads\n"
        "csv_relations.CsvRelations.prepare = lambda self, sources: None\n"
        "def long_copy(*args, **kwargs):\n"
        "    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "    return sqlglot.parse_one(\n"
        "        'SELECT sum(i) FROM range(20000000000) AS t(i) WHERE $path IS NOT NULL')\n"
        "sql_backend.exp.insert = long_copy\n"
        "try:\n"
        f"    Engine({str(MINI)!r}, {str(MINI)!r}).evaluate('2026')\n"
        "except KeyboardInterrupt:\n"
        "    os.write(2, b'stopped\\n'); sys.exit(130)\n"
        "except RuntimeError:\n"
        "    os.write(2, b'DuckDB raised\\n'); sys.exit(1)\n"
        "os.write(2, b'ran to its end\\n')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False, timeout=120
    )
    assert (completed.returncode, completed.stderr) == (130, "stopped\n")


STOP_LOADING = """\
import sys
class Stop:  # Ctrl-C while Python loads the command line
    def find_spec(self, name, path=None, target=None):
        if name == "iku_rules.cli":
            raise KeyboardInterrupt
sys.meta_path.insert(0, Stop())
from iku_rules.program import command
sys.exit(command())
"""


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--lang", "en", "check", str(MINI)], "iku: interrupted\n"),
        (["check", str(MINI), "--lang=id"], "iku: dihentikan\n"),
        (["--lang", "xx", "check", str(MINI)], "iku: dihentikan\n"),  # none spoken: the default
    ],
)
def test_ctrl_c_while_the_program_loads_ends_with_one_line_and_status_130(
    argv: list[str], said: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LANG")}
    completed = subprocess.run(
        [sys.executable, "-c", STOP_LOADING, *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (130, "", said)


def test_the_program_runs_the_command_line_once_loaded() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "iku_rules", "--lang", "en", "check", str(MINI)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0 and "0 errors" in completed.stdout


def test_the_console_script_is_the_program() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["iku"] == "iku_rules.program:command"
