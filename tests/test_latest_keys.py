"""A measure counting only each entity's latest record (``terakhir = { per = "nik", by =
"putaran" }``) refuses a row that leaves the entity or the order empty, on every backend:
such a row is no one's, or cannot be told the latest or not, and dropped out of the count
in silence.

The office measures balita in rounds (putaran): ...01 stunted in round 1, not in round 2
(latest: not); ...02 stunted in round 1; ...03 not. Stunting: 1 of 3 balita, 33,33 %.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, add_row, read_in_place

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

DEFINITIONS = (
    """\
[office]
id = "posyandu"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2027
units = ["Persen", "Orang"]

"""
    + CASCADE
    + """
  [[sasaran.indikator]]
  id = "stunting"
  name = "Prevalensi stunting"
  unit = "Persen"
  formula = "Σ Balita Stunting / Σ Balita Diukur × 100%"

[[source]]
id = "balita"
kind = "register"
format = "csv"
path = "balita.csv"
date_column = "tanggal"
time = "flow"
columns = { nik = "nik", putaran = "integer", stunting = "text", tanggal = "date" }

[[measure]]
name = "Balita Diukur"
source = "balita"
aggregate = "count_distinct"
column = "nik"
missing = "count_each"

[[measure]]
name = "Balita Stunting"
source = "balita"
aggregate = "count_distinct"
column = "nik"
filter = 'stunting = "ya"'
terakhir = { per = "nik", by = "putaran" }
"""
)

DATA = """\
nik,putaran,stunting,tanggal
3601000000000001,1,ya,2026-02-01
3601000000000001,2,tidak,2026-08-01
3601000000000002,1,ya,2026-02-01
3601000000000003,1,tidak,2026-02-01
"""


def posyandu(tmp_path: Path) -> Path:
    folder = tmp_path / "posyandu"
    folder.mkdir()
    (folder / "definitions.toml").write_text(DEFINITIONS, encoding="utf-8")
    (folder / "balita.csv").write_text(DATA, encoding="utf-8")
    return folder


def stunting(folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The indicator's value in 2026, or the evaluation's refusal in English."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                (result,) = engine.evaluate("2026").results
        except DataError as error:
            return str(error)
    assert isinstance(result.value, Decimal)
    return str(round(result.value, 2))


def refusal(column: str) -> str:
    return (
        f"balita.csv, row 6, column '{column}': the row leaves '{column}' empty, so measure"
        " 'Balita Stunting', which counts only the latest record of each nik by putaran,"
        " cannot place it; fill it in, or delete the row if it is not a record"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_latest_rounds_count(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stunting(posyandu(tmp_path), backend, in_place, monkeypatch) == "33.33"  # 1 of 3


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_stunted_balita_without_a_nik_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path)
    # a fourth balita, stunted, its NIK not written: it counted among the measured (each
    # row without a NIK as one) but never among the stunted, 25 % where it is 2 of 4, 50 %
    add_row(folder, "balita.csv", ",1,ya,2026-03-01")
    assert stunting(folder, backend, in_place, monkeypatch) == refusal("nik")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_round_without_its_number_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path)
    # ...01 measured again, stunted, the round not written: the latest or not? It was
    # left out, and ...01 read as not stunted
    add_row(folder, "balita.csv", "3601000000000001,,ya,2026-11-01")
    assert stunting(folder, backend, in_place, monkeypatch) == refusal("putaran")
