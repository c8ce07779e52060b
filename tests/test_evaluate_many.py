"""``Engine.evaluate_many``: several periods in one pass give, for every period kind and
every embedded backend, exactly what ``evaluate`` gives for each period alone — values,
reasons, what each measure tallied, the realisasi of each triwulan — and the SQL engines
ask each source once for all the periods."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_differential import DEFINITIONS, INPUT_ROWS, LAYANAN_ROWS, PMKS_ROWS, REALISASI_ROWS

from iku_rules.engine import Engine
from iku_rules.errors import IkuError
from iku_rules.loader import load
from iku_rules.results import Evaluation
from iku_rules.sample import generate
from iku_rules.sources import EMBEDDED_BACKENDS
from iku_rules.sources.csv_file import write_csv

ROOT = Path(__file__).parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
DINKES = ROOT / "definitions" / "dinkes-contoh"
DINKES_DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"

EVERY_KIND = [
    "2025",
    "2026",
    "2026-TW1",
    "2026-TW2",
    "2026-TW3",
    "2026-TW4",
    "2026-sd-TW1",
    "2026-sd-TW3",
    "2025-TW4",
    "2027-TW1",  # after every row of the data: nothing in the period
    "2020",  # before every row: no state, no event
]
"""Years, triwulan and years to date, overlapping (a year and its triwulan), one period
before the data and one after."""


def summary(evaluation: Evaluation) -> list[Any]:
    """Everything an evaluation answers, but the statements it ran: each result's row, its
    measures' values, reasons and tallies, its realisasi by triwulan, its trace."""
    found: list[Any] = [evaluation.period.label, evaluation.regions]
    for result in evaluation.results:
        found.append(result.as_row())
        found.append(result.trace)
        found.append(
            [
                (use.spec.key, use.region, use.value, use.reason, use.tally, use.breakdown)
                for use in result.measures
            ]
        )
        if result.realisasi is not None:
            use = result.realisasi
            found.append((use.value, use.reason, use.rows, use.by_triwulan))
        found.append(result.inputs)
    return found


def _each_alone(
    definitions: Path | Any, data: Path, backend: str, periods: list[str], by: str | None
) -> list[list[Any]]:
    return [
        summary(Engine(definitions, data, backend=backend).evaluate(period, by=by))
        for period in periods
    ]


@pytest.fixture(scope="module")
def pandeglang_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pandeglang")
    generate(load(PANDEGLANG), folder, people=300, seed=7)
    return folder


@pytest.mark.parametrize("backend", EMBEDDED_BACKENDS)
@pytest.mark.parametrize(
    ("office", "by"),
    [
        ("mini", "kecamatan"),  # states, events, sebelumnya, rows without a region
        ("mini", None),
        ("dinkes", "kecamatan"),  # months, yearly values in a triwulan, terakhir
        ("dinkes", None),
        ("pandeglang", "kecamatan"),  # the shipped office on its sample data
    ],
)
def test_every_period_kind_gives_what_each_evaluation_alone_gives(
    backend: str, office: str, by: str | None, pandeglang_data: Path
) -> None:
    definitions, data = {
        "mini": (MINI, MINI),
        "dinkes": (DINKES, DINKES_DATA),
        "pandeglang": (PANDEGLANG, pandeglang_data),
    }[office]
    periods = EVERY_KIND if office != "pandeglang" else ["2026", "2026-TW1", "2026-TW4", "2025"]
    with Engine(definitions, data, backend=backend) as engine:
        many = engine.evaluate_many(periods, by=by)
    assert [evaluation.period.label for evaluation in many] == periods
    assert [summary(evaluation) for evaluation in many] == _each_alone(
        definitions, data, backend, periods, by
    )


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
def test_the_sql_engines_ask_each_source_once_for_every_period(backend: str) -> None:
    """GIVEN the mini office (two registers, realisasi, inputs) and four triwulan, WHEN
    evaluated at once, THEN one measures statement per register and one realisasi
    statement serve all four, grouped by period; the inputs are asked once per year (the
    previous triwulan of TW1 lies in 2025, for ``sebelumnya``); besides these, only the
    regions' names are read (whatever the period)."""
    with Engine(MINI, MINI, backend=backend) as engine:
        many = engine.evaluate_many([f"2026-TW{q}" for q in (1, 2, 3, 4)], by="kecamatan")
    queries = many[0].queries
    assert all(evaluation.queries == queries for evaluation in many)
    grouped = [query for query in queries if "iku periods" in query.sql]
    # register_pmks, layanan (measures) and realisasi: 3 statements for 5 periods
    # (2025-TW4 is fetched for sebelumnya)
    assert len(grouped) == 3
    inputs = [query for query in queries if '"iku source inputs"' in query.sql]
    assert sorted(int(query.params["year"]) for query in inputs) == [2025, 2026]


def test_a_period_asked_twice_is_evaluated_once_and_given_twice() -> None:
    with Engine(MINI, MINI) as engine:
        first, again = engine.evaluate_many(["2026-TW1", "2026-TW1"])
    assert first is again


def test_a_level_not_declared_is_refused_as_evaluate_refuses_it() -> None:
    with Engine(MINI, MINI) as engine, pytest.raises(IkuError, match="not a declared level"):
        engine.evaluate_many(["2026-TW1", "2026-TW2"], by="desa-nowhere")


PERIOD_LISTS = st.lists(
    st.sampled_from(["2026", "2026-TW1", "2026-TW2", "2026-TW4", "2026-sd-TW3", "2025-TW4"]),
    min_size=2,
    max_size=4,
    unique=True,
)


@settings(max_examples=25, deadline=None)
@given(
    pmks=PMKS_ROWS,
    layanan=LAYANAN_ROWS,
    realisasi=REALISASI_ROWS,
    inputs=INPUT_ROWS,
    periods=PERIOD_LISTS,
    backend=st.sampled_from(["duckdb", "sqlite"]),
)
def test_generated_data_give_the_same_at_once_as_one_by_one(
    pmks: list[dict[str, Any]],
    layanan: list[dict[str, Any]],
    realisasi: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    periods: list[str],
    backend: str,
) -> None:
    """Missing dates, regions and values, empty periods, rows only in some periods."""
    data = {"register_pmks": pmks, "layanan": layanan, "realisasi": realisasi, "inputs": inputs}
    with tempfile.TemporaryDirectory() as folder:
        for source in DEFINITIONS.sources:
            write_csv(Path(folder) / source.path, list(source.columns), data[source.id])
        try:
            alone = _each_alone(DEFINITIONS, Path(folder), backend, periods, "kecamatan")
        except IkuError as error:  # bad data are refused the same way
            with pytest.raises(IkuError) as refused:
                Engine(DEFINITIONS, Path(folder), backend=backend).evaluate_many(periods)
            assert str(refused.value) == str(error)
            return
        with Engine(DEFINITIONS, Path(folder), backend=backend) as engine:
            many = engine.evaluate_many(periods, by="kecamatan")
        assert [summary(evaluation) for evaluation in many] == alone  # breakdowns read the files


def test_breakdowns_read_after_the_engine_closed_group_names_as_declared() -> None:
    """GIVEN dinkes-contoh's data, where one row writes 'PUSKESMAS CIBENING' for the declared
    'Puskesmas Cibening', WHEN an explanation's breakdown is first read after the engine
    closed (a backend opened for that query alone), THEN that row still counts under the
    declared name: Cibening has 12 rows in 2026 (11 written as declared, 1 in capitals)."""
    with Engine(DINKES, DINKES_DATA) as engine:
        evaluation = engine.evaluate("2026")
    uses = [u for r in evaluation.results for u in r.measures if u.spec.key == "kematian ibu"]
    use = next(u for u in uses if u.region is None)
    parts = dict(use.breakdown)
    assert "PUSKESMAS CIBENING" not in parts
    assert parts["Puskesmas Cibening"].matched == 12
