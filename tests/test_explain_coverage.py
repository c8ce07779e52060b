"""An explanation says how far a period's data reach: the dates of the rows of a measure's
dated register in the period (before the measure's filter), and, the period over on the
day of the evaluation, a warning when they stop more than 31 days before its end (rows
entered late: the count is short, and nothing else says so). Every embedded engine gives
the same lines, for the whole area and for a region; only explanations ask for the dates,
never ``iku eval``. Dates worked by hand in the comments."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, office, read_in_place, run
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.python_engine import PythonBackend

WARNING = (
    "no row after {last}, {days} days before the period ends: if rows after it are not"
    " entered yet, this value is not the period's"
)


def late_office(tmp_path: Path) -> Path:
    """The small office whose service log has its last 2026 row on 31 October: layanan's
    2026 rows are then dated 10 January (its 2025 row before the window) to 31 October,
    the row of 5 January 2027 after it."""
    folder = office(tmp_path)
    add_row(folder, "layanan.csv", "3601000000000002,1.06.04.2.01.0001,Labuan,2026-10-31")
    add_row(folder, "layanan.csv", "3601000000000003,1.06.04.2.01.0001,Labuan,2027-01-05")
    return folder


def explain(
    folder: Path, *argv: str, backend: str = "duckdb", indicator: str = "iku-tertangani"
) -> dict[str, Any]:
    status, text = run(
        "--lang", "en", "explain", str(folder), indicator, "--data", str(folder),
        "--backend", backend, "--format", "json", *argv,
    )  # fmt: skip
    assert status == 0, text
    found: dict[str, Any] = json.loads(text)
    return found


def measure(explanation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(node for node in explanation["inputs"] if node["name"] == name)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_year_over_whose_service_log_stops_at_31_october_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = late_office(tmp_path)
    # Evaluated on 15 January 2027: 2026 is over. 31 October to 31 December 2026 is
    # 30 (November) + 31 (December) = 61 days, more than 31.
    node = measure(
        explain(folder, "--period", "2026", "--today", "2027-01-15", backend=backend),
        "PMKS tertangani",
    )
    lines = node["details"]
    dated = "layanan's rows in the period are dated 10 January 2026 to 31 October 2026"
    warned = WARNING.format(last="31 October 2026", days=61)
    assert lines[2:4] == [dated, warned]  # under the rows counted, before the query
    assert node["dates"] == {
        "source": "layanan",
        "time": "flow",
        "first": "2026-01-10",
        "last": "2026-10-31",
        "short_by_days": 61,
    }


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_region_says_how_far_its_own_rows_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = late_office(tmp_path)
    argv = ("--period", "2026", "--today", "2027-01-15")
    # Carita's 2026 rows: 1 July and 1 August (its row of 1 July 2025 is before the window);
    # 1 August to 31 December is 30 + 30 + 31 + 30 + 31 = 152 days.
    carita = measure(
        explain(folder, *argv, "--region", "Carita", backend=backend), "PMKS tertangani"
    )
    assert (
        "layanan's rows in the period are dated 1 July 2026 to 1 August 2026" in carita["details"]
    )
    assert WARNING.format(last="1 August 2026", days=152) in carita["details"]
    # Labuan's: 10 January, 10 February, 1 April and 31 October: 61 days short.
    labuan = measure(
        explain(folder, *argv, "--region", "Labuan", backend=backend), "PMKS tertangani"
    )
    assert labuan["dates"]["first"] == "2026-01-10" and labuan["dates"]["short_by_days"] == 61


def test_a_period_not_over_gives_the_dates_without_the_warning(tmp_path: Path) -> None:
    folder = late_office(tmp_path)
    # On 6 December 2026 the year is not over: the provisional note covers it.
    explanation = explain(folder, "--period", "2026", "--today", "2026-12-06")
    node = measure(explanation, "PMKS tertangani")
    assert explanation["provisional"] is True
    assert (
        "layanan's rows in the period are dated 10 January 2026 to 31 October 2026"
        in node["details"]
    )
    assert not any(line.startswith("no row after") for line in node["details"])
    assert node["dates"]["short_by_days"] is None


def test_more_than_31_days_short_is_warned_31_days_is_not(tmp_path: Path) -> None:
    folder = office(tmp_path)
    add_row(folder, "layanan.csv", "3601000000000002,1.06.04.2.01.0001,Labuan,2026-08-30")
    argv = ("--period", "2026-TW3", "--today", "2027-01-15")
    # TW3 ends on 30 September: 30 August is 31 days before it, no warning.
    node = measure(explain(folder, *argv), "PMKS tertangani")
    assert "layanan's rows in the period are dated 1 July 2026 to 30 August 2026" in node["details"]
    assert node["dates"]["short_by_days"] is None
    assert not any(line.startswith("no row after") for line in node["details"])
    # Without that row the last is 1 August: 30 (August) + 30 (September) = 60 days.
    folder = office(tmp_path / "2")
    node = measure(explain(folder, *argv), "PMKS tertangani")
    assert WARNING.format(last="1 August 2026", days=60) in node["details"]


def test_rows_of_one_day_are_said_so(tmp_path: Path) -> None:
    folder = office(tmp_path)
    # 2025: layanan's one row of the year is dated 1 July 2025; to 31 December that is
    # 31 + 31 + 30 + 31 + 30 + 30 = 183 days.
    node = measure(explain(folder, "--period", "2025", "--today", "2027-01-15"), "PMKS tertangani")
    assert node["details"][2:4] == [
        "layanan's rows in the period are all dated 1 July 2025",
        WARNING.format(last="1 July 2025", days=183),
    ]


def test_a_state_register_uses_its_latest_registration_by_the_period_s_end(
    tmp_path: Path,
) -> None:
    folder = office(tmp_path)
    # register_pmks counts the rows dated on or before 30 September 2026 (TW3): 1 March and
    # 1 May 2025, 1 February and 15 March 2026 (31 December 2026 and 2027 are after it).
    # 15 March to 30 September: 199 days without a registration, which a register of states
    # complete to the day may well have (an organisation registered once): its dates line
    # says how far it reaches, with no warning that only a service log's silence earns.
    node = measure(explain(folder, "--period", "2026-TW3", "--today", "2027-01-15"), "PMKS")
    assert node["details"][2] == (
        "register_pmks's rows up to the period's end are dated 1 March 2025 to 15 March 2026"
    )
    assert not any("no row after" in line for line in node["details"])
    assert node["dates"] == {
        "source": "register_pmks",
        "time": "state",
        "first": "2025-03-01",
        "last": "2026-03-15",
        "short_by_days": None,
    }
    # The year: its last registration is on 31 December 2026, its last day: no warning.
    node = measure(explain(folder, "--period", "2026", "--today", "2027-01-15"), "PMKS")
    assert node["details"][2] == (
        "register_pmks's rows up to the period's end are dated 1 March 2025 to 31 December 2026"
    )
    assert node["dates"]["short_by_days"] is None


def test_a_state_register_with_a_breakdown_column_too(tmp_path: Path) -> None:
    folder = office(tmp_path)
    edit(folder, 'time = "state"', 'time = "state"\nbreakdown_column = "kategori"')
    # As above: the rows on or before 30 September 2026 reach 15 March 2026; said, not warned.
    node = measure(explain(folder, "--period", "2026-TW3", "--today", "2027-01-15"), "PMKS")
    reach = "register_pmks's rows up to the period's end are dated 1 March 2025 to 15 March 2026"
    assert reach in node["details"]
    assert WARNING.format(last="15 March 2026", days=199) not in node["details"]


def test_a_count_of_zero_over_a_period_without_rows_is_flagged(tmp_path: Path) -> None:
    folder = office(tmp_path)
    measure_toml = 'name = "Layanan nol"\nsource = "layanan"\naggregate = "count"\nempty = "zero"'
    edit(folder, "[[input]]", f"[[measure]]\n{measure_toml}\n\n[[input]]")
    indicator = 'id = "nol"\n  name = "Layanan"\n  unit = "Orang"\n  formula = "Σ [Layanan nol]"'
    anchor = '  [[sasaran.indikator]]\n  id = "skor"'
    edit(folder, anchor, f"  [[sasaran.indikator]]\n  {indicator}\n\n{anchor}")
    # 2025-TW1: layanan has no row from 1 January to 31 March 2025 (its 2025 row is on
    # 1 July), so "Layanan nol" is 0 by empty = "zero": not the quarter's if rows are late.
    argv = ("--period", "2025-TW1", "--today", "2027-01-15")
    node = measure(explain(folder, *argv, indicator="nol"), "Layanan nol")
    assert node["value"] == 0
    said = (
        "no row of layanan in the period: if its rows are not entered yet, this value is not"
        " the period's"
    )
    assert said in node["details"]
    assert node["dates"]["first"] is None and node["dates"]["last"] is None


def test_the_text_explanation_shows_the_lines_under_the_measure(tmp_path: Path) -> None:
    folder = late_office(tmp_path)
    status, text = run(
        "--lang", "en", "explain", str(folder), "iku-tertangani", "--data", str(folder),
        "--period", "2026", "--today", "2027-01-15",
    )  # fmt: skip
    assert status == 0
    lines = text.splitlines()
    at = lines.index(
        "  │     layanan's rows in the period are dated 10 January 2026 to 31 October 2026"
    )
    assert lines[at - 1] == "  │     6 rows in the period, 5 pass the filter, 3 distinct nik"
    assert lines[at + 1] == "  │     " + WARNING.format(last="31 October 2026", days=61)


def test_only_explanations_ask_for_the_dates_once_per_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = late_office(tmp_path)
    asked: list[str] = []
    dates = PythonBackend.dates

    def counted(self: PythonBackend, source: Any, *args: Any) -> Any:
        asked.append(source.id)
        return dates(self, source, *args)

    monkeypatch.setattr(PythonBackend, "dates", counted)
    with Engine(folder, folder, backend="python", today=date(2027, 1, 15)) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
    assert asked == []  # evaluating asks nothing of the kind
    with use_language("en"):  # (the engine closed: a backend opened for the question)
        first = evaluation.explain("iku-tertangani", "Labuan").as_dict()
        evaluation.explain("iku-tertangani").as_dict()
    # Labuan's layanan rows in 2026: 10 January to 31 October; 61 days short.
    assert measure(first, "PMKS tertangani")["dates"]["short_by_days"] == 61
    # one question per source and window, for the area and its regions at once
    assert sorted(asked) == ["layanan", "register_pmks"]


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_change_from_the_period_before_says_how_far_that_period_s_data_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # kenaikan = PMKS tertangani - sebelumnya(PMKS tertangani): 3 - 1 = 2 in 2026. 2025's
    # one row is of 1 July 2025: 30 (July) + 31 + 30 + 31 + 30 + 31 = 183 days before its
    # end. Before, only 2026's rows were said: a change from a short year flatters.
    read_in_place(monkeypatch, in_place)
    folder = office(tmp_path)
    argv = ("--period", "2026", "--today", "2027-01-15")
    found = explain(folder, *argv, backend=backend, indicator="kenaikan")
    assert found["value"] == 2
    node = measure(found, "PMKS tertangani in 2025, the period before")
    assert node["value"] == 1
    assert node["dates"] == {
        "source": "layanan",
        "time": "flow",
        "first": "2025-07-01",
        "last": "2025-07-01",
        "short_by_days": 183,
    }
    assert WARNING.format(last="1 July 2025", days=183) in node["details"]
    # 2025's rows reaching 15 December 2025 (16 days): its dates said, no warning
    add_row(folder, "layanan.csv", "3601000000000009,1.06.02.2.03.0001,Labuan,2025-12-15")
    node = measure(
        explain(folder, *argv, backend=backend, indicator="kenaikan"),
        "PMKS tertangani in 2025, the period before",
    )
    assert node["dates"]["last"] == "2025-12-15"
    assert node["dates"]["short_by_days"] is None
    assert not any("if rows after it are not entered yet" in line for line in node["details"])


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_several_periods_ask_the_dates_once_per_source_for_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # A listing of 2026-TW1..TW4 asked each dated source once per triwulan; the periods
    # evaluated together now ask it once for the four, the same dates as each alone.
    read_in_place(monkeypatch, in_place)
    folder = late_office(tmp_path)
    periods = ["2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4"]
    asked: list[tuple[str, int]] = []
    backend_class = type(Engine(folder, folder, backend=backend)._new_backend())
    dates_many = backend_class.dates_many

    def counted(self: Any, source: Any, periods: Any, *args: Any) -> Any:
        asked.append((source.id, len(periods)))
        return dates_many(self, source, periods, *args)

    def reaches(evaluations: list[Any]) -> list[list[Any]]:
        return [
            [(use.spec.label, use.region, use.reach) for r in e.results for use in r.measures]
            for e in evaluations
        ]

    today = date(2027, 1, 15)
    with Engine(folder, folder, backend=backend, today=today) as engine:
        alone = reaches([engine.evaluate(period, by="kecamatan") for period in periods])
    monkeypatch.setattr(backend_class, "dates_many", counted)
    with Engine(folder, folder, backend=backend, today=today) as engine:
        together = reaches(engine.evaluate_many(periods, by="kecamatan"))
    assert together == alone
    # layanan (time flow) and register_pmks (time state), each once, for the four triwulan
    # and 2025-TW4, the period before the first, which kenaikan reads (sebelumnya)
    assert sorted(asked) == [("layanan", 5), ("register_pmks", 5)]
    # Labuan's layanan rows in TW4: the one of 31 October 2026 (10 January is in TW1)
    labuan = next(
        reach
        for label, region, reach in together[3]
        if label == "PMKS tertangani" and region == "Labuan"
    )
    assert (labuan.first, labuan.last) == (date(2026, 10, 31), date(2026, 10, 31))


def test_postgresql_gives_the_lines_of_the_embedded_engines(
    postgres: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from psycopg import sql

    folder = late_office(tmp_path)
    with postgres.connect() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier("reach")))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("reach")))
    load_csv_tables(postgres, load(folder), folder, "public", dbname="reach")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = f"postgresql://iku@127.0.0.1:{postgres.port}/reach"
    argv = ("--period", "2026", "--today", "2027-01-15", "--by", "kecamatan")
    for region in (None, "Carita"):
        where = ("--region", region) if region else ()
        embedded = measure(explain(folder, *argv, *where), "PMKS tertangani")
        status, text = run(
            "--lang", "en", "explain", str(folder), "iku-tertangani", "--source", url,
            "--format", "json", *argv, *where,
        )  # fmt: skip
        assert status == 0, text
        served = measure(json.loads(text), "PMKS tertangani")
        # the whole area: 10 January to 31 October 2026, 61 days short; Carita: 1 July to
        # 1 August, 152 days short (as on the embedded engines, above)
        assert served["dates"] == embedded["dates"]
        assert served["dates"]["short_by_days"] == (152 if region else 61)
        assert served["details"] == embedded["details"]
