"""iku_rules.testing on definitions: generated data, the bounds property, the one-line test."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings

from iku_rules import IkuError
from iku_rules.intervals import Interval
from iku_rules.loader import load
from iku_rules.sources.reader import read_rows
from iku_rules.testing import Dataset, as_csv, datasets, definitions_test, problems

ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"
MINI = ROOT / "tests" / "fixtures" / "mini"
PANDEGLANG_DEFINITIONS = load(PANDEGLANG)

# The property on the shipped definitions and on the small office, as a user writes it:
# one line each, in a fixed example budget (derandomized, so CI runs the same examples).
test_the_shipped_definitions_hold_their_bounds = definitions_test(
    PANDEGLANG, max_examples=12, backends=("duckdb", "python"), derandomize=True
)
test_the_small_office_holds_its_bounds = definitions_test(
    MINI, max_examples=20, backends=("duckdb", "sqlite", "python"), derandomize=True
)

QUICK = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(scope="module")
def drawn() -> list[Dataset]:
    """Twenty hostile datasets for the shipped definitions, as the property test draws
    them (not shrunk: they are large); the complete half it draws has no gap, no blank and
    no empty register (tests/test_kit_complete.py)."""
    found: list[Dataset] = []

    @settings(
        max_examples=20,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(datasets(PANDEGLANG_DEFINITIONS, complete=False))
    def draw(dataset: Dataset) -> None:
        found.append(dataset)

    draw()
    return found


def _some(drawn: list[Dataset], condition: Callable[[Dataset], bool]) -> bool:
    return any(condition(dataset) for dataset in drawn)


def test_registers_come_empty_and_with_people_counted_twice(drawn: list[Dataset]) -> None:
    assert _some(drawn, lambda d: not d.tables["register_pmks"])
    assert _some(
        drawn, lambda d: len({r["nik"] for r in d.tables["layanan"]}) < len(d.tables["layanan"])
    )
    assert _some(drawn, lambda d: len(d.tables["layanan"]) >= 10)


def test_cells_come_blank_and_with_the_texts_the_filters_name(drawn: list[Dataset]) -> None:
    rows = [row for d in drawn for row in d.tables["register_pmks"]]
    assert any(r["kategori"] is None for r in rows)
    assert any(r["kategori"] == "Korban Bencana Alam" for r in rows)
    assert any(r["asesmen"] == "ya" for r in rows)
    assert any(r["kategori"] == "lainnya" for r in rows)


def test_realisasi_has_gaps_and_inputs_go_missing_or_to_their_edges(
    drawn: list[Dataset],
) -> None:
    # some indicator with a triwulan of the year not reported (where it is reported at all)
    def gap(dataset: Dataset) -> bool:
        quarters: dict[str, set[str]] = {}
        for row in dataset.tables["realisasi"]:
            if str(row["periode"]).startswith(str(dataset.year)):
                quarters.setdefault(str(row["indikator"]), set()).add(str(row["periode"]))
        return any(len(found) < 4 for found in quarters.values())

    assert _some(drawn, gap)
    assert _some(
        drawn,
        lambda d: (
            not any(
                r["nama"] == "iku-nilai-akip-opd" and r["tahun"] == d.year
                for r in d.tables["inputs"]
            )
        ),
    )
    values = [r["nilai"] for d in drawn for r in (*d.tables["inputs"], *d.tables["realisasi"])]
    assert Decimal("100.01") in values and Decimal(0) in values and None in values
    assert any(v is not None and v < 0 for v in values)  # type: ignore[operator]


@QUICK
@given(datasets(load(MINI)))
def test_a_written_dataset_reads_back_as_drawn(dataset: Dataset) -> None:
    import tempfile

    definitions = as_csv(load(MINI))
    with tempfile.TemporaryDirectory() as scratch:
        dataset.write(definitions, Path(scratch))
        for source in definitions.sources:
            rows = [dict(row) for row in read_rows(source, Path(scratch))]
            drawn = [
                {column: row.get(column) for column in source.columns}
                for row in dataset.tables[source.id]
            ]
            assert rows == drawn


def test_the_kit_catches_a_value_outside_its_proven_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An analysis that claims too much: every value at most 1. The property must find data
    # that break it, and say which indicator, where and why.
    monkeypatch.setattr(
        "iku_rules.testing.Analysis.stated",
        lambda self, indicator: Interval(Decimal(0), Decimal(1)),
    )
    test = definitions_test(
        MINI,
        max_examples=50,
        derandomize=True,
        report_multiple_bugs=False,
        phases=[Phase.explicit, Phase.generate],  # found is enough: no shrinking
    )
    with pytest.raises(AssertionError, match=r"outside its bounds \[0, 1\]"):
        test()


def test_the_kit_reports_an_exception_as_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    definitions = as_csv(load(MINI))
    dataset = find(datasets(load(MINI)), lambda d: True)
    dataset.write(definitions, tmp_path)
    assert problems(definitions, tmp_path, ["2026"], backends=("python", "duckdb")) == []

    def broken(self: object, period: str, by: str | None = None) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("iku_rules.testing.Engine.evaluate", broken)
    assert problems(definitions, tmp_path, ["2026"], backends=("python",)) == [
        "2026 on python: ZeroDivisionError: division by zero"
    ]


def test_backends_that_disagree_are_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from iku_rules.engine import Engine

    definitions = as_csv(load(MINI))
    find(datasets(load(MINI)), lambda d: True).write(definitions, tmp_path)
    real = Engine.evaluate

    def off_by_one(self: Engine, period: str, by: str | None = None) -> object:
        evaluation = real(self, period, by)
        if self.backend_name != "sqlite":
            return evaluation
        from attrs import evolve

        changed = tuple(
            evolve(r, value=Decimal(7)) if r.id == "kenaikan" else r for r in evaluation.results
        )
        return evolve(evaluation, results=changed)

    monkeypatch.setattr("iku_rules.testing.Engine.evaluate", off_by_one)
    (found,) = problems(definitions, tmp_path, ["2026"], by=None, backends=("python", "sqlite"))
    assert found.startswith(
        "2026: sqlite differs from python: ['kenaikan (whole area):"
    )  # the office names no region nor kind


def test_definitions_with_errors_are_refused_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Σ PMKS tertangani /", "Σ PMKS tertangani //"),
        encoding="utf-8",
    )
    with pytest.raises(IkuError, match="have errors"):
        definitions_test(folder)
