"""Two declared desa of one name (tests/test_declared_namesakes.py) on PostgreSQL and on
Spark: each Sukamaju takes the rows of its own kecamatan there too, and a row that cannot
say which Sukamaju it is is refused at its row, as on the embedded default. The servers are
real (see servers.py): skipped with the reason where one is missing, failing in CI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import run
from servers import PASSWORD, Postgres, load_csv_tables
from test_backends_servers import create_database
from test_declared_namesakes import ROWS, _declared

from iku_rules.loader import load

ARGV = ["--lang", "en", "eval"]
BY_DESA = ["--period", "2026-TW1", "--by", "desa", "--format", "json"]
UNTOLD = "1.06.04.2.01.0001,dilayani,2026-TW1,,Sukamaju,6"
"""A row of Sukamaju with its kecamatan left empty: which of the two it is cannot be told."""


@pytest.fixture()
def declared(tmp_path: Path) -> tuple[Path, str]:
    """The office with both Sukamaju declared, and its ``iku eval --by desa`` on DuckDB."""
    folder = _declared(tmp_path, ROWS)
    status, text = run(*ARGV, str(folder), "--data", str(folder), *BY_DESA)
    assert status == 0
    rows = json.loads(text, parse_float=Decimal)
    values = {row["region"]: row["value"] for row in rows if row["id"] == "dilayani"}
    # Sukamaju (Labuan) 3, Sukamaju (Carita) 4 (its row written CARITA,sukamaju),
    # Banjarsari 5; the kabupaten 3 + 4 + 5 = 12.
    assert values == {None: 12, "Banjarsari": 5, "Sukamaju (Carita)": 4, "Sukamaju (Labuan)": 3}
    return folder, text


def _postgres_url(postgres: Postgres, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "namesakes")
    load_csv_tables(postgres, load(folder), folder, "public", dbname="namesakes")
    return url


def test_each_declared_sukamaju_on_postgresql(
    postgres: Postgres, declared: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, embedded = declared
    url = _postgres_url(postgres, folder, monkeypatch)
    status, text = run(*ARGV, str(folder), "--source", url, *BY_DESA)
    assert status == 0
    assert text == embedded


def test_each_declared_sukamaju_on_spark(spark: Any, declared: tuple[Path, str]) -> None:
    folder, embedded = declared
    status, text = run(*ARGV, str(folder), "--data", str(folder), "--backend", "spark", *BY_DESA)
    assert status == 0
    assert text == embedded


def _refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    status, _out = run(*args)
    assert status == 1
    return capsys.readouterr().err


UNTOLD_MESSAGE = (
    "the row names the desa 'Sukamaju' but leaves its kecamatan empty, and there is a desa"
    " 'Sukamaju' in kecamatan 'Carita' and 'Labuan'"
)


def test_a_row_of_an_untold_sukamaju_is_refused_on_postgresql(
    postgres: Postgres,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Its 6 would be neither Sukamaju's; counted by name alone, the kabupaten would read
    # 12 + 6 = 18 with no desa to show it.
    folder = _declared(tmp_path, [*ROWS, UNTOLD])
    url = _postgres_url(postgres, folder, monkeypatch)
    error = _refused(capsys, *ARGV, str(folder), "--source", url, *BY_DESA)
    # PostgreSQL numbers no rows: the table and column are the place.
    assert "table 'realisasi' of source 'realisasi', column 'desa'" in error, error
    assert UNTOLD_MESSAGE in error, error


def test_a_row_of_an_untold_sukamaju_is_refused_on_spark(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _declared(tmp_path, [*ROWS, UNTOLD])
    error = _refused(
        capsys, *ARGV, str(folder), "--data", str(folder), "--backend", "spark", *BY_DESA
    )
    assert "row 5" in error and UNTOLD_MESSAGE in error, error
