"""The second shipped office gives on PostgreSQL and on Spark what it gives on the
embedded default, through ``iku eval --format json --by kecamatan``: a population per
kecamatan in its inputs, targets per kecamatan, and a measure over each balita's latest
round (``terakhir``, a subquery over the office's table, which PostgreSQL reads through a
typed subquery of its own)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from helpers import ROOT, run
from servers import PASSWORD, Postgres, load_csv_tables
from test_backends_servers import create_database

from iku_rules.loader import load

DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"
ARGV = ["--period", "2026", "--by", "kecamatan", "--format", "json"]


@pytest.fixture(scope="module")
def embedded() -> str:
    status, text = run("eval", str(DINKES), "--data", str(DATA), *ARGV)
    assert status == 0
    rows = json.loads(text, parse_float=Decimal)
    cibening = next(r for r in rows if r["id"] == "cbr" and r["region"] == "Cibening")
    # 700 births / 40.000 people × 1.000 = 17,5 against its own target ≤ 16
    assert Decimal(cibening["value"]) == Decimal("17.5")
    assert cibening["target"] == {"threshold": "<=", "value": 16}
    return text


def test_per_region_targets_and_inputs_on_postgresql(
    postgres: Postgres, embedded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "dinkes")
    load_csv_tables(postgres, load(DINKES), DATA, "public", dbname="dinkes")
    status, text = run("eval", str(DINKES), "--source", url, *ARGV)
    assert status == 0
    assert text == embedded


def test_per_region_targets_and_inputs_on_spark(spark: Any, embedded: str) -> None:
    status, text = run("eval", str(DINKES), "--data", str(DATA), "--backend", "spark", *ARGV)
    assert status == 0
    assert text == embedded
