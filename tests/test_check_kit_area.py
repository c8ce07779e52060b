"""The property-test kit (iku_rules.testing.problems) names the office's whole area as the
office declares it: `Kota Contoh` (its `region`), else its kind (`kota`), never `kabupaten`
for a kota. The kit finds real faults only, so the faults here are made: a bound the value
breaks, and a backend that gives one more."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from attrs import evolve
from helpers import CASCADE

import iku_rules.testing as kit
from iku_rules.bounds import Analysis
from iku_rules.engine import Engine
from iku_rules.intervals import Interval
from iku_rules.loader import load
from iku_rules.model import Indicator
from iku_rules.periods import Period
from iku_rules.results import Evaluation

OFFICE = """\
[office]
id = "contoh"
name = "Dinas Contoh"
{region}kind = "kota"
plan_start = 2025
plan_end = 2030

[satuan]
Orang = {{ dimension = "orang", whole = true }}

[[source]]
id = "layanan"
kind = "register"
format = "csv"
path = "layanan.csv"
columns = {{ nik = "nik", tanggal = "date" }}
date_column = "tanggal"
time = "flow"

[[sasaran.indikator]]
id = "dilayani"
name = "Jumlah orang dilayani"
unit = "Orang"
formula = "Σ layanan"
targets = {{ 2026 = "10" }}
"""


def kota(tmp_path: Path, region: str) -> tuple[Path, Path]:
    """A kota's office with one count (3 people served in 2026), and its data."""
    folder, data = tmp_path / "office", tmp_path / "data"
    folder.mkdir()
    data.mkdir()
    text = CASCADE + "\n" + OFFICE.format(region=region)
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    (data / "layanan.csv").write_text(
        "nik,tanggal\n3601000000000001,2026-01-10\n3601000000000002,2026-02-10\n"
        "3601000000000003,2026-05-10\n",
        encoding="utf-8",
    )
    return folder, data


class _Tight(Analysis):
    """Bounds the value of 3 breaks: [0, 2]."""

    def stated(self, indicator: Indicator) -> Interval:
        return Interval(Decimal(0), Decimal(2))


class _OneMore(Engine):
    """The SQLite backend giving one more than the others."""

    def evaluate(self, period: str | Period, by: str | None = None) -> Evaluation:
        evaluation = super().evaluate(period, by)
        if evaluation.backend != "sqlite":
            return evaluation
        results = tuple(
            evolve(result, value=result.value + 1) if result.value is not None else result
            for result in evaluation.results
        )
        return evolve(evaluation, results=results)


@pytest.mark.parametrize(
    ("region", "area"), [('region = "Kota Contoh"\n', "Kota Contoh"), ("", "kota")]
)
def test_the_kit_names_a_kotas_whole_area_as_the_office_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, area: str
) -> None:
    folder, data = kota(tmp_path, region)
    definitions = load(folder)
    assert definitions.ok, definitions.errors
    monkeypatch.setattr(kit, "Analysis", _Tight)
    monkeypatch.setattr(kit, "Engine", _OneMore)
    found = kit.problems(definitions, data, ["2026"], by=None, backends=("python", "sqlite"))
    # 3 people served in 2026, outside [0, 2] on both backends; SQLite says 3 + 1 = 4.
    assert found == [
        f"dilayani (2026, {area}, python) = 3, outside its bounds [0, 2]",
        f"dilayani (2026, {area}, sqlite) = 4, outside its bounds [0, 2]",
        f"2026: sqlite differs from python: ['dilayani ({area}): 3 vs 4']",
    ]
    assert not any("kabupaten" in problem for problem in found)
