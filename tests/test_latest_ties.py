"""A measure counting only each entity's latest record (``terakhir = { per = "nik", by =
"putaran" }``) refuses two records of one entity at its latest ``by`` where they would change
its number, on every backend: each of them counted where one should (a ``sum`` added both
values, a distinct count counted the balita when either of two disagreeing records said
stunting), and the number given was wrong, in silence.

The posyandu measures balita in rounds (putaran), each record with the immunisation doses
the balita has had so far (dosis):

* ...01, kecamatan Labuan: round 1 (February) stunted, 2 doses; round 2 (August) not, 4 doses;
* ...02, kecamatan Labuan: round 1 (February) stunted, 3 doses;
* ...03, kecamatan Carita: round 1 (February) not stunted, 1 dose.

By the latest rounds of 2026: stunting 1 (...02) of 3 balita, 33,33 %; doses 4 + 3 + 1 = 8.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, add_row, read_in_place, run
from servers import PASSWORD, Postgres, load_csv_tables
from test_backends_servers import create_database

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.cells import DataError

STUNTING = """
  [[sasaran.indikator]]
  id = "stunting"
  name = "Prevalensi stunting"
  unit = "Persen"
  formula = "Σ Balita Stunting / Σ Balita Diukur × 100%"
"""

DOSES = """
  [[sasaran.indikator]]
  id = "dosis"
  name = "Dosis imunisasi balita"
  unit = "Dosis"
  formula = "Σ Dosis Terakhir"
"""

SOURCE = """
[[source]]
id = "balita"
kind = "register"
format = "csv"
path = "balita.csv"
date_column = "tanggal"
time = "flow"
region_column = "kecamatan"
columns = { nik = "nik", kecamatan = "text", putaran = "integer", stunting = "text", dosis = "integer", tanggal = "date" }

[[measure]]
name = "Balita Diukur"
source = "balita"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Balita Stunting"
source = "balita"
aggregate = "count_distinct"
column = "nik"
filter = 'stunting = "ya"'
terakhir = { per = "nik", by = "putaran" }
"""

SUM = """
[[measure]]
name = "Dosis Terakhir"
source = "balita"
aggregate = "sum"
column = "dosis"
terakhir = { per = "nik", by = "putaran" }
"""

DATA = """\
nik,kecamatan,putaran,stunting,dosis,tanggal
3601000000000001,Labuan,1,ya,2,2026-02-01
3601000000000001,Labuan,2,tidak,4,2026-08-01
3601000000000002,Labuan,1,ya,3,2026-02-01
3601000000000003,Carita,1,tidak,1,2026-02-01
"""


def posyandu(tmp_path: Path, *, doses: bool = True) -> Path:
    """The posyandu's definitions and data in one folder; with ``doses``, the indicator
    summing each balita's doses by its latest round too."""
    folder = tmp_path / "posyandu"
    folder.mkdir()
    office = (
        '[office]\nid = "posyandu"\nname = "Dinas Contoh"\nplan_start = 2025\n'
        'plan_end = 2027\nunits = ["Persen", "Orang", "Dosis"]\n\n'
    )
    definitions = office + CASCADE + STUNTING + (DOSES if doses else "") + SOURCE
    (folder / "definitions.toml").write_text(definitions + (SUM if doses else ""), "utf-8")
    (folder / "balita.csv").write_text(DATA, encoding="utf-8")
    return folder


def values(
    folder: Path,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    period: str = "2026",
    by: str | None = None,
) -> dict[tuple[str, str | None], str] | str:
    """Each indicator's value (rounded to 2 decimals) by region, or the refusal in English."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                results = engine.evaluate(period, by=by).results
        except DataError as error:
            return str(error)
    found = {}
    for result in results:
        assert isinstance(result.value, Decimal), result.reason
        found[(result.id, result.region)] = str(round(result.value, 2))
    return found


def refusal(row: int, measure: str, period: str, ties: str, entity: str, at: int) -> str:
    return (
        f"balita.csv, row {row}, column 'putaran': measure '{measure}' counts only the latest"
        f" record of each nik by putaran, but in {period} source 'balita' holds more than one"
        " record at the latest putaran of these nik, and each of those records would count"
        f" where one should: {ties}. Keep one record of nik {entity} for putaran {at}, or give"
        " its records different putaran"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_record_entered_twice_at_the_latest_round_is_refused_in_a_sum(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path)
    assert values(folder, backend, in_place, monkeypatch) == {
        ("stunting", None): "33.33",
        ("dosis", None): "8.00",
    }
    # ...01's round 2 entered twice, every cell the same: the doses summed 4 + 4 + 3 + 1 =
    # 12, where ...01 has had 4 (8 in all). The distinct count of stunted balita is not
    # touched (neither record is stunted), the sum is refused at the first of the two
    add_row(folder, "balita.csv", "3601000000000001,Labuan,2,tidak,4,2026-08-01")
    assert values(folder, backend, in_place, monkeypatch) == refusal(
        3,
        "Dosis Terakhir",
        "2026",
        "3601000000000001 (putaran 2, 2 records)",
        "3601000000000001",
        2,
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_tie_at_an_earlier_round_counts_once_but_not_in_the_triwulan_of_that_round(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path)
    # ...01's round 1 entered twice (2 doses): in 2026 its latest round is 2 (August), so
    # only that record counts: doses 4 + 3 + 1 = 8, stunting 1 of 3 (...02) = 33,33 %
    add_row(folder, "balita.csv", "3601000000000001,Labuan,1,ya,2,2026-02-01")
    assert values(folder, backend, in_place, monkeypatch) == {
        ("stunting", None): "33.33",
        ("dosis", None): "8.00",
    }
    # in 2026-TW1 (January to March) round 1 is ...01's latest: its two records would add
    # 2 + 2 doses where it has had 2
    assert values(folder, backend, in_place, monkeypatch, "2026-TW1") == refusal(
        2,
        "Dosis Terakhir",
        "2026-TW1",
        "3601000000000001 (putaran 1, 2 records)",
        "3601000000000001",
        1,
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_distinct_count_reads_an_identical_record_as_one_and_refuses_disagreeing_ones(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path, doses=False)
    # ...02's round 1 entered twice, every cell the same: it is one stunted balita whichever
    # record is its latest, stunting 1 of 3 = 33,33 % as before, by kecamatan too: Labuan
    # 1 (...02) of 2, 50 %; Carita 0 of 1
    add_row(folder, "balita.csv", "3601000000000002,Labuan,1,ya,3,2026-02-01")
    assert values(folder, backend, in_place, monkeypatch, by="kecamatan") == {
        ("stunting", None): "33.33",
        ("stunting", "Carita"): "0.00",
        ("stunting", "Labuan"): "50.00",
    }
    # ...03 measured twice in round 1, stunted by one record and not by the other: counted
    # stunted, 2 of 3 = 66,67 %, by a record that may not be its latest
    add_row(folder, "balita.csv", "3601000000000003,Carita,1,ya,1,2026-02-01")
    # (...02's two records, which agree, are not named)
    assert values(folder, backend, in_place, monkeypatch) == refusal(
        5,
        "Balita Stunting",
        "2026",
        "3601000000000003 (putaran 1, 2 records)",
        "3601000000000003",
        1,
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_balita_whose_latest_records_stand_in_two_kecamatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path, doses=False)
    # ...02's round 1 entered again under Carita: stunted in Labuan and in Carita by kecamatan
    # (Carita 1 of 2, where it has no stunted balita), though once in the whole kabupaten
    add_row(folder, "balita.csv", "3601000000000002,Carita,1,ya,3,2026-02-01")
    assert values(folder, backend, in_place, monkeypatch, by="kecamatan") == refusal(
        4,
        "Balita Stunting",
        "2026",
        "3601000000000002 (putaran 1, 2 records)",
        "3601000000000002",
        1,
    )


def test_a_few_ties_are_named_then_how_many_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = posyandu(tmp_path)
    for number in range(4, 12):  # eight balita, each one round entered twice
        row = f"36010000000000{number:02d},Carita,1,tidak,1,2026-02-01"
        add_row(folder, "balita.csv", row)
        add_row(folder, "balita.csv", row)
    text = values(folder, "duckdb", False, monkeypatch)
    assert isinstance(text, str)
    listed = ", ".join(f"36010000000000{n:02d} (putaran 1, 2 records)" for n in range(4, 9))
    assert f"should: {listed} and 3 more. Keep one record of nik 3601000000000004" in text
    assert text.endswith("; and so for each nik listed")


def test_iku_eval_refuses_a_tie_in_the_triwulan_it_is_latest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = posyandu(tmp_path)
    add_row(folder, "balita.csv", "3601000000000001,Labuan,1,ya,2,2026-02-01")
    argv = ["eval", str(folder), "--data", str(folder), "--lang", "en"]
    # in the year, ...01's latest round is 2: the two records of round 1 do not count
    status, text = run(*argv, "--period", "2026", "--format", "csv")
    assert status == 0, capsys.readouterr().err
    assert re.search(r"^dosis,.*,8,", text, re.MULTILINE), text
    # each triwulan in one pass: in the first, round 1 is ...01's latest
    status, _ = run(*argv, "--period", "2026-TW1..TW4")
    assert status == 1
    error = capsys.readouterr().err
    assert "balita.csv, row 2, column 'putaran'" in error
    assert "in 2026-TW1 source 'balita'" in error
    assert "3601000000000001 (putaran 1, 2 records)" in error


# -- the engines of an office's own: PostgreSQL and Spark refuse as DuckDB does


def _ties(text: str) -> str:
    """What a refusal says after its place (a file's row, or an office's table)."""
    return text[text.index("measure '") :]


@pytest.fixture
def tied(tmp_path: Path) -> tuple[Path, str]:
    folder = posyandu(tmp_path)
    add_row(folder, "balita.csv", "3601000000000001,Labuan,2,tidak,4,2026-08-01")
    add_row(folder, "balita.csv", "3601000000000003,Carita,1,ya,1,2026-02-01")
    status, text = run_err(folder, "--data", str(folder))
    assert status == 1
    assert "3601000000000003 (putaran 1, 2 records)" in text
    return folder, text


def run_err(folder: Path, *argv: str) -> tuple[int, str]:
    """``iku eval`` of the posyandu for 2026 in English: its status and its refusal."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status, _ = run("eval", str(folder), "--period", "2026", "--lang", "en", *argv)
    return status, err.getvalue()


def test_postgresql_refuses_the_ties_duckdb_refuses(
    postgres: Postgres, tied: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, embedded = tied
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "posyandu")
    load_csv_tables(postgres, load(folder), folder, "public", dbname="posyandu")
    status, text = run_err(folder, "--source", url)
    assert status == 1
    assert _ties(text) == _ties(embedded)


def test_spark_refuses_the_ties_duckdb_refuses(spark: Any, tied: tuple[Path, str]) -> None:
    folder, embedded = tied
    status, text = run_err(folder, "--data", str(folder), "--backend", "spark")
    assert status == 1
    assert text == embedded
