"""The README's two examples for PostgreSQL and Spark run, against the PostgreSQL and
the local Spark the test session starts, and print what they say: the same output as
the embedded default (``cmp``).

Each line of the two ``sh`` blocks of the section "PostgreSQL and Spark" is run as
written, with two substitutions only: the example's URL becomes the test server's, and
``PGPASSWORD`` is set to the test server's password instead of the ``export`` line.
``iku …`` runs in this process (so Spark is the test session's), ``> file`` writes its
output there, and ``cmp a b`` compares two files.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.loader import load
from iku_rules.sample import generate

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE_URL = "postgresql://sakip@localhost:5432/sakip"


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


BLOCKS = re.findall(r"```sh\n(.*?)```", section("PostgreSQL and Spark"), re.S)


def test_the_section_has_two_short_examples() -> None:
    assert len(BLOCKS) == 2
    assert EXAMPLE_URL in BLOCKS[0] and "--backend spark" in BLOCKS[1]
    assert all(block.count("\n") <= 4 for block in BLOCKS)


def _run_block(block: str, url: str, folder: Path) -> list[str]:
    """Each line of ``block`` run in ``folder``; the files ``cmp`` found equal."""
    compared = []
    for line in block.strip().splitlines():
        words = shlex.split(line, comments=True)
        if not words or words[0] == "export":
            continue
        if words[0] == "cmp":
            first, second = (folder / name for name in words[1:3])
            assert first.read_bytes() == second.read_bytes(), line
            compared.append(f"{words[1]} = {words[2]}")
            continue
        assert words[0] == "iku", line
        target = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        argv = [url if word == EXAMPLE_URL else word for word in words[1:]]
        status, out = run(*argv)
        assert status == 0, line
        if target is not None:
            (folder / target).write_text(out, encoding="utf-8")
    return compared


def test_the_readme_examples_give_the_embedded_output_on_postgresql_and_spark(
    postgres: Postgres, spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from psycopg import sql

    definitions = tmp_path / "definitions"
    definitions.symlink_to(ROOT / "definitions", target_is_directory=True)
    generate(load(ROOT / "definitions" / "dinsos-pandeglang"), tmp_path / "sample-data", people=300)
    with postgres.connect() as connection:
        connection.execute("DROP DATABASE IF EXISTS sakip")
        connection.execute(sql.SQL("CREATE DATABASE sakip"))
    load_csv_tables(
        postgres,
        load(ROOT / "definitions" / "dinsos-pandeglang"),
        tmp_path / "sample-data",
        "public",
        dbname="sakip",
    )
    url = f"postgresql://iku@127.0.0.1:{postgres.port}/sakip"
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    monkeypatch.chdir(tmp_path)
    assert _run_block(BLOCKS[0], url, tmp_path) == ["postgresql.json = duckdb.json"]
    assert _run_block(BLOCKS[1], url, tmp_path) == ["spark.json = duckdb.json"]
