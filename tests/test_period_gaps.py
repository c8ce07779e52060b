"""A table of values per period with a row missing: never summed as if it held nothing.

A monthly report (``time = "period"``, ``grain = "month"``, one row per puskesmas and month)
was summed over the months of the period that had rows: a puskesmas that did not report
November, or a December nobody had reported yet, made the year a sum of eleven months,
given as the year's number in silence (where lower is better, kematian ibu, it flattered).
Now a measure of such a table is not available (code ``missing-values``, the missing rows
named) unless every month of the period has a row from every puskesmas: those with rows in
the period and those the office declares, each region asked ``--by`` judged on its own.

The office: kecamatan Cibaliung (puskesmas Cibaliung) and Labuan (puskesmas Labuan and
Teluk), all declared. The births each puskesmas reports in month m of 2026 (m = 1 … 12):

    Cibaliung  m            year Σm = 78
    Labuan     10 + m       year 12 × 10 + 78 = 198
    Teluk      100 + m      year 12 × 100 + 78 = 1278   (March written TELUK, LABUAN)

so the kabupaten's year is 78 + 198 + 1278 = 1554; a triwulan of months a…b sums
(1 + 1 + 1) × Σm + 3 × (0 + 10 + 100): TW1 (Σm 6) 18 + 330 = 348, TW2 (Σm 15) 45 + 330 = 375,
TW3 (Σm 24) 72 + 330 = 402, TW4 (Σm 33) 99 + 330 = 429; 348 + 375 + 402 + 429 = 1554.
Cibaliung's 2025-12 row (1000 births) never counts in 2026.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, CASCADE, ROOT, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.reasons import code_of
from iku_rules.sample import generate

OFFICE = """\
[office]
id = "audit-celah"
name = "Dinas Audit Celah"
kind = "kabupaten"
plan_start = 2025
plan_end = 2027
notation = "id"
units = ["Orang"]

[[level]]
id = "kecamatan"
name = "Kecamatan"

[[level]]
id = "puskesmas"
name = "Puskesmas"
parent = "kecamatan"

[[region]]
level = "kecamatan"
name = "Cibaliung"

[[region]]
level = "kecamatan"
name = "Labuan"

[[region]]
level = "puskesmas"
name = "Cibaliung"
parent = "Cibaliung"

[[region]]
level = "puskesmas"
name = "Labuan"
parent = "Labuan"

[[region]]
level = "puskesmas"
name = "Teluk"
parent = "Labuan"

"""

BODY = """
  [[sasaran.indikator]]
  id = "kelahiran"
  name = "Kelahiran hidup"
  unit = "Orang"
  formula = "Σ [Kelahiran Hidup]"

  [[sasaran.indikator]]
  id = "kelahiran-kabupaten"
  name = "Kelahiran hidup (laporan kabupaten)"
  unit = "Orang"
  formula = "Σ [Kelahiran Kabupaten]"

  [[sasaran.indikator]]
  id = "sasaran-ibu-hamil"
  name = "Sasaran ibu hamil"
  unit = "Orang"
  formula = "Σ [Sasaran Ibu Hamil]"

[[source]]
id = "laporan"
kind = "register"
format = "csv"
path = "laporan.csv"
time = "period"
grain = "month"
period_column = "bulan"
regions = { kecamatan = "kecamatan", puskesmas = "puskesmas" }
columns = { bulan = "text", puskesmas = "text", kecamatan = "text", lahir = "integer" }

[[source]]
id = "kabupaten"
kind = "register"
format = "csv"
path = "kabupaten.csv"
time = "period"
grain = "month"
period_column = "bulan"
columns = { bulan = "text", lahir = "integer" }

[[source]]
id = "sasaran"
kind = "register"
format = "csv"
path = "sasaran.csv"
time = "period"
grain = "year"
period_column = "tahun"
in_triwulan = "year_value"
regions = { kecamatan = "kecamatan" }
columns = { tahun = "integer", kecamatan = "text", ibu_hamil = "integer" }

[[measure]]
name = "Kelahiran Hidup"
source = "laporan"
aggregate = "sum"
column = "lahir"

[[measure]]
name = "Kelahiran Kabupaten"
source = "kabupaten"
aggregate = "sum"
column = "lahir"

[[measure]]
name = "Sasaran Ibu Hamil"
source = "sasaran"
aggregate = "sum"
column = "ibu_hamil"
"""

PUSKESMAS = (("Cibaliung", "Cibaliung", 0), ("Labuan", "Labuan", 10), ("Teluk", "Labuan", 100))


def laporan(*missing: tuple[str, int]) -> str:
    """The monthly report of 2026 (see the module), without the (puskesmas, month) rows
    ``missing``; a puskesmas of ``"*"`` is every one."""
    lines = ["bulan,puskesmas,kecamatan,lahir", "2025-12,Cibaliung,Cibaliung,1000"]
    for name, kecamatan, base in PUSKESMAS:
        for month in range(1, 13):
            if (name, month) in missing or ("*", month) in missing:
                continue
            written = (name, kecamatan)
            if (name, month) == ("Teluk", 3):  # matched to the declared names
                written = ("TELUK", "LABUAN")
            lines.append(f"2026-{month:02d},{written[0]},{written[1]},{base + month}")
    return "\n".join(lines) + "\n"


# The kabupaten's own monthly report, without region columns: 10 births each month.
KABUPATEN = "bulan,lahir\n" + "".join(f"2026-{m:02d},10\n" for m in range(1, 13))
SASARAN = "tahun,kecamatan,ibu_hamil\n2025,Cibaliung,90\n2026,Cibaliung,100\n2026,Labuan,200\n"


def office(tmp_path: Path, report: str, kabupaten: str = KABUPATEN, sasaran: str = SASARAN) -> Path:
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "definitions.toml").write_text(OFFICE + CASCADE + BODY, encoding="utf-8")
    files = {"laporan.csv": report, "kabupaten.csv": kabupaten, "sasaran.csv": sasaran}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


Found = dict[tuple[str, str | None], tuple[Decimal | None, str | None]]


def evaluate(folder: Path, backend: str, period: str, by: str | None = None) -> Found:
    """Each indicator's value and reason, for the whole area (region None) and each region."""
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate(period, by=by)
    return {(r.indicator.id, r.region): (r.value, r.reason) for r in evaluation.results}


def missing(found: Found, indicator: str, region: str | None = None) -> str:
    """The reason ``indicator`` has no value, checked to be of code ``missing-values``."""
    value, reason = found[(indicator, region)]
    assert value is None, (indicator, region, value)
    assert code_of(reason) == "missing-values", reason
    return str(reason)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_complete_year_sums_its_months_and_one_missing_leaves_it_without_a_value(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every puskesmas reported every month (Teluk's March in capitals): 1554 for the year,
    # 348 for TW1; Cibaliung 78, Labuan 198 + 1278 = 1476; the puskesmas Teluk 1278.
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path, laporan())
    assert evaluate(folder, backend, "2026")[("kelahiran", None)] == (Decimal(1554), None)
    assert evaluate(folder, backend, "2026-TW1")[("kelahiran", None)] == (Decimal(348), None)
    by = evaluate(folder, backend, "2026", "kecamatan")
    assert by[("kelahiran", "Cibaliung")] == (Decimal(78), None)
    assert by[("kelahiran", "Labuan")] == (Decimal(1476), None)
    assert evaluate(folder, backend, "2026", "puskesmas")[("kelahiran", "Teluk")] == (
        Decimal(1278),
        None,
    )
    # Then Cibaliung did not report November (its 11 births). The year was 1554 - 11 = 1543
    # and TW4 429 - 11 = 418, in silence. Right: both not available, saying what is missing;
    # TW1 348, TW2 375, TW3 402 and the year to TW3 1125 have every row and keep their values.
    (folder / "laporan.csv").write_text(laporan(("Cibaliung", 11)), encoding="utf-8")
    year = evaluate(folder, backend, "2026")
    assert missing(year, "kelahiran") == (
        "Kelahiran Hidup: laporan has no row for 2026-11 from puskesmas Cibaliung; the value"
        " for 2026 needs a row from every puskesmas for each bulan from 2026-01 to 2026-12"
        " (write 0 where there was nothing to report)"
    )
    assert "2026-11 from puskesmas Cibaliung" in missing(
        evaluate(folder, backend, "2026-TW4"), "kelahiran"
    )
    for period, expected in (
        ("2026-TW1", 348),
        ("2026-TW2", 375),
        ("2026-TW3", 402),
        ("2026-sd-TW3", 1125),
    ):
        assert evaluate(folder, backend, period)[("kelahiran", None)] == (Decimal(expected), None)
    # the sources without the gap are not touched: the kabupaten's own report, 12 × 10
    assert year[("kelahiran-kabupaten", None)] == (Decimal(120), None)
    # several periods at once give what each gives alone
    periods = ["2026-TW3", "2026-TW4", "2026"]
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        many = [e.get("kelahiran") for e in engine.evaluate_many(periods)]
    assert many[0].value == Decimal(402)
    assert [code_of(result.reason) for result in many[1:]] == ["missing-values"] * 2
    assert str(many[2].reason) == missing(year, "kelahiran")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_per_kecamatan_only_the_kecamatan_with_the_gap_has_no_value(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Teluk (kecamatan Labuan) did not report May. Labuan and the kabupaten: not available;
    # Cibaliung 78 as before. By puskesmas: Teluk not available, Labuan 198, Cibaliung 78.
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path, laporan(("Teluk", 5)))
    by = evaluate(folder, backend, "2026", "kecamatan")
    assert by[("kelahiran", "Cibaliung")] == (Decimal(78), None)
    assert "2026-05 from puskesmas Teluk" in missing(by, "kelahiran", "Labuan")
    assert "2026-05 from puskesmas Teluk" in missing(by, "kelahiran")
    puskesmas = evaluate(folder, backend, "2026", "puskesmas")
    assert puskesmas[("kelahiran", "Labuan")] == (Decimal(198), None)
    assert puskesmas[("kelahiran", "Cibaliung")] == (Decimal(78), None)
    assert "2026-05 from puskesmas Teluk" in missing(puskesmas, "kelahiran", "Teluk")
    # TW1 has every row: every place has its value (Labuan's TW1: 36 + 306 = 342)
    tw1 = evaluate(folder, backend, "2026-TW1", "kecamatan")
    assert tw1[("kelahiran", "Labuan")] == (Decimal(342), None)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_declared_puskesmas_without_a_row_and_a_december_not_yet_reported(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Teluk, declared, reported nothing in 2026: the kabupaten was 78 + 198 = 276 and
    # Labuan 198. Right: both not available, naming Teluk; Cibaliung keeps its 78. Teluk
    # itself has no rows at all: no data, as any source without rows for a place.
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path, laporan(*(("Teluk", month) for month in range(1, 13))))
    by = evaluate(folder, backend, "2026", "kecamatan")
    assert "2026-01 to 2026-12 from puskesmas Teluk" in missing(by, "kelahiran")
    assert "2026-01 to 2026-12 from puskesmas Teluk" in missing(by, "kelahiran", "Labuan")
    assert by[("kelahiran", "Cibaliung")] == (Decimal(78), None)
    teluk = evaluate(folder, backend, "2026", "puskesmas")[("kelahiran", "Teluk")]
    assert teluk[0] is None and code_of(teluk[1]) == "no-data"
    # Nobody has reported December yet (the kabupaten's own report neither): the year is
    # not available, naming December once for every puskesmas; the year to TW3 is 1125.
    (folder / "laporan.csv").write_text(laporan(("*", 12)), encoding="utf-8")
    (folder / "kabupaten.csv").write_text(KABUPATEN.replace("2026-12,10\n", ""), "utf-8")
    year = evaluate(folder, backend, "2026")
    assert missing(year, "kelahiran").startswith(
        "Kelahiran Hidup: laporan has no row for 2026-12 from puskesmas Cibaliung, puskesmas"
        " Labuan, puskesmas Teluk; "
    )
    assert missing(year, "kelahiran-kabupaten") == (
        "Kelahiran Kabupaten: kabupaten has no row for 2026-12; the value for 2026 needs a row"
        " for each bulan from 2026-01 to 2026-12 (write 0 where there was nothing to report)"
    )
    assert evaluate(folder, backend, "2026-sd-TW3")[("kelahiran", None)] == (Decimal(1125), None)
    # a year no one has reported: no rows, as before (not a list of every month missing)
    future = evaluate(folder, backend, "2027")[("kelahiran", None)]
    assert future[0] is None and code_of(future[1]) == "no-data"


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_yearly_value_for_a_triwulan_needs_the_years_row_of_every_region(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sasaran is yearly, taken for a triwulan (in_triwulan = "year_value"). Labuan's
    # 2026 row missing, TW1's sasaran was Cibaliung's 100 alone. Right: not available for
    # the kabupaten and Labuan; Cibaliung 100. With both rows: 100 + 200 = 300.
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path, laporan(), sasaran=SASARAN.replace("2026,Labuan,200\n", ""))
    by = evaluate(folder, backend, "2026-TW1", "kecamatan")
    assert missing(by, "sasaran-ibu-hamil") == (
        "Sasaran Ibu Hamil: sasaran has no row for 2026 from kecamatan Labuan; the value for"
        " 2026-TW1 needs a row from every kecamatan for 2026 (write 0 where there was nothing"
        " to report)"
    )
    assert by[("sasaran-ibu-hamil", "Cibaliung")] == (Decimal(100), None)
    assert code_of(by[("sasaran-ibu-hamil", "Labuan")][1]) == "no-data"
    (folder / "sasaran.csv").write_text(SASARAN, encoding="utf-8")
    assert evaluate(folder, backend, "2026-TW1")[("sasaran-ibu-hamil", None)] == (
        Decimal(300),
        None,
    )


# -- PostgreSQL and Spark share the SQL builder: the same answers as DuckDB

ARGV = ["--period", "2026", "--by", "kecamatan", "--format", "json"]


@pytest.fixture
def gaps(tmp_path: Path) -> tuple[Path, str]:
    """The office with Teluk's May missing, and its answer on the embedded default."""
    folder = office(tmp_path, laporan(("Teluk", 5)))
    status, text = run("eval", str(folder), "--data", str(folder), "--lang", "en", *ARGV)
    assert status == 0
    found = {(r["id"], r["region"]): r for r in json.loads(text, parse_float=Decimal)}
    assert found[("kelahiran", "Labuan")]["reason_code"] == "missing-values"
    assert found[("kelahiran", None)]["reason_code"] == "missing-values"
    assert found[("kelahiran", "Cibaliung")]["value"] == 78
    return folder, text


def test_gaps_on_postgresql(
    postgres: Any, gaps: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from servers import PASSWORD, load_csv_tables
    from test_backends_servers import create_database

    folder, embedded = gaps
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "gaps")
    load_csv_tables(postgres, load(folder), folder, "public", dbname="gaps")
    status, text = run("eval", str(folder), "--source", url, "--lang", "en", *ARGV)
    assert status == 0
    assert text == embedded


def test_gaps_on_spark(spark: Any, gaps: tuple[Path, str]) -> None:
    folder, embedded = gaps
    argv = ["--data", str(folder), "--backend", "spark", "--lang", "en", *ARGV]
    status, text = run("eval", str(folder), *argv)
    assert status == 0
    assert text == embedded


# -- sample data: every reporting unit, every period


def test_sample_data_writes_a_row_per_puskesmas_and_month(tmp_path: Path) -> None:
    # dinkes-contoh's monthly report drew a random month for each row: months missing for
    # some puskesmas (and two rows of one month for others). Now: one row per declared
    # puskesmas and month, every month to the end of `through`; the yearly sasaran one
    # row per kecamatan and year.
    dinkes = ROOT / "definitions" / "dinkes-contoh"
    data = tmp_path / "data"
    generate(load(dinkes), data, people=50, seed=3, through="2026-TW4")
    with (data / "laporan_puskesmas.csv").open(encoding="utf-8", newline="") as handle:
        report = list(csv.DictReader(handle))
    months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)]
    puskesmas = [r.name for r in load(dinkes).regions if r.level == "puskesmas"]
    assert len(puskesmas) == 4
    assert sorted((r["bulan"], r["puskesmas"]) for r in report) == sorted(
        (month, name) for month in months for name in puskesmas
    )
    sasaran = list(csv.DictReader(io.StringIO((data / "sasaran.csv").read_text("utf-8"))))
    assert sorted((r["tahun"], r["kecamatan"]) for r in sasaran) == sorted(
        (year, name)
        for year in ("2025", "2026")
        for name in ("Sukamaju", "Cibening", "Karanganyar")
    )
    with Engine(dinkes, data) as engine:
        assert engine.evaluate("2026").get("aki").value is not None
    # through 2026-TW3 (the default): no month after September, so the year is not
    # available, and the year to TW3 is
    generate(load(dinkes), tmp_path / "tw3", people=50, seed=3)
    with Engine(dinkes, tmp_path / "tw3") as engine:
        assert code_of(engine.evaluate("2026").get("aki").reason) == "missing-values"
        assert engine.evaluate("2026-sd-TW3").get("aki").value is not None
