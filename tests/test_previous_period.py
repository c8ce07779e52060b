"""Growth and change indicators: ``sebelumnya`` reads the previous period's own value, or
none with the reason, never a wrong number.

The office is the small one (``tests/fixtures/mini``) with growth indicators added:

    akip-naik    ([Nilai AKIP] - sebelumnya([Nilai AKIP])) / sebelumnya([Nilai AKIP]) × 100%
                 Nilai AKIP is an input: 75.6 in 2025, 76.05 in 2026
    alat-naik    the same over alat-bantu-orang, a realisasi in Orang (adds up):
                 2025-TW4 7 (Carita); 2026-TW1 3, 2026-TW2 2.5 (Labuan), 2026-TW3 4 (Carita)
    alat-dua     alat-bantu-orang × 2, and alat-dua-naik = alat-dua - sebelumnya(alat-dua)
    pmks-naik    the same over the measure PMKS tertangani (people served, a flow)

The previous period of a year is the year before, of a year to date the same triwulan a
year before (2026-sd-TW3: 2025-sd-TW3), of a triwulan the triwulan before (2026-TW1:
2025-TW4), as the README says.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import MINI, add_row, edit, run

import iku_rules
from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import code_of
from iku_rules.results import Evaluation, IndicatorResult
from iku_rules.trace import render_lines

BACKENDS = ["python", "sqlite", "duckdb"]

GROWTH = """\
  [[sasaran.indikator]]
  id = "akip-naik"
  name = "Peningkatan Nilai AKIP"
  unit = "Persen"
  formula = "([Nilai AKIP] - sebelumnya([Nilai AKIP])) / sebelumnya([Nilai AKIP]) × 100%"

  [[sasaran.indikator]]
  id = "pmks-naik"
  name = "Peningkatan PMKS tertangani"
  unit = "Persen"
  formula = "(PMKS tertangani - sebelumnya(PMKS tertangani)) / sebelumnya(PMKS tertangani) × 100%"

  [[sasaran.indikator]]
  id = "alat-naik"
  name = "Peningkatan penerima alat bantu"
  unit = "Persen"
  formula = "(alat-bantu-orang - sebelumnya(alat-bantu-orang)) / sebelumnya(alat-bantu-orang) × 100%"

  [[sasaran.indikator]]
  id = "alat-dua"
  name = "Dua kali penerima alat bantu"
  unit = "Orang"
  formula = "alat-bantu-orang × 2"

  [[sasaran.indikator]]
  id = "alat-dua-naik"
  name = "Kenaikan dua kali penerima alat bantu"
  unit = "Orang"
  formula = "alat-dua - sebelumnya(alat-dua)"

[[program]]"""


def growth_office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    text = (folder / "definitions.toml").read_text(encoding="utf-8")
    (folder / "definitions.toml").write_text(
        text.replace("[[program]]", GROWTH, 1), encoding="utf-8"
    )
    return folder


def value(
    folder: Path, backend: str, period: str, indicator: str, region: str | None = None
) -> IndicatorResult:
    """``indicator``'s result for ``period`` (and ``region``), messages in English."""
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        return engine.evaluate(period, by=None if region is None else "kecamatan").get(
            indicator, region
        )


# -- a negative or zero base


def test_a_change_divided_by_a_negative_previous_value_is_not_available() -> None:
    # From -10 to -5 is a rise of 5; (-5 - (-10)) / -10 × 100% gave -50 %, a fall.
    with use_language("en"):
        found = iku_rules.evaluate(
            "(a - sebelumnya(a)) / sebelumnya(a) × 100%", {"a": -5}, previous={"a": -10}
        )
        ratio = iku_rules.evaluate(
            "a / sebelumnya(a) × 100% - 100%", {"a": -5}, previous={"a": -10}
        )
    for result in (found, ratio):
        assert result.value is None
        assert code_of(result.reason) == "negative-base"
        assert "the denominator 'sebelumnya(a)' is negative" in str(result.reason)
        assert "divide by abs(sebelumnya(a))" in str(result.reason)
    # the fix the reason names: against the size of the base, (-5 + 10) / 10 = +50 %
    fixed = iku_rules.evaluate(
        "(a - sebelumnya(a)) / abs(sebelumnya(a)) × 100%", {"a": -5}, previous={"a": -10}
    )
    assert fixed.value == 50
    # a positive base is untouched: (15 - 10) / 10 = 50 %
    plain = iku_rules.evaluate(
        "(a - sebelumnya(a)) / sebelumnya(a) × 100%", {"a": 15}, previous={"a": 10}
    )
    assert plain.value == 50


def test_growth_from_zero_or_from_nothing_is_not_available_never_0_or_infinity() -> None:
    formula = "(a - sebelumnya(a)) / sebelumnya(a) × 100%"
    zero = iku_rules.evaluate(formula, {"a": 5}, previous={"a": 0})
    assert zero.value is None and code_of(zero.reason) == "division-by-zero"
    missing = iku_rules.evaluate(formula, {"a": 5}, previous={"a": None})
    assert missing.value is None and code_of(missing.reason) == "no-value"
    none = iku_rules.evaluate(formula, {"a": 5})
    assert none.value is None and code_of(none.reason) == "no-previous-period"


# -- each kind of period


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_input_given_once_a_year_has_no_previous_triwulan(tmp_path: Path, backend: str) -> None:
    folder = growth_office(tmp_path)
    # A year and a year to date: (76.05 - 75.6) / 75.6 × 100 = 0.45 / 75.6 × 100
    # = 0.595238095… %
    for period in ("2026", "2026-sd-TW3"):
        result = value(folder, backend, period, "akip-naik")
        assert result.value is not None
        assert round(result.value, 6) == Decimal("0.595238")
    # 2026-TW2 read 2026's 76.05 for 2026-TW1 too: a change of 0 % in silence (and
    # 2026-TW1 the year's change, against 2025-TW4's 75.6)
    for period, before in (("2026-TW2", "2026-TW1"), ("2026-TW1", "2025-TW4")):
        result = value(folder, backend, period, "akip-naik")
        assert result.value is None
        assert code_of(result.reason) == "not-a-whole-year"
        assert "given once a year" in str(result.reason)
        assert f"no value of its own for {before} (the previous period)" in str(result.reason)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_previous_year_with_a_triwulan_not_reported_is_no_base(
    tmp_path: Path, backend: str
) -> None:
    folder = growth_office(tmp_path)
    # 2026 has TW1–TW3 (3 + 2.5 + 4 = 9.5), TW4 not reported: no year's value to change
    for indicator in ("alat-naik", "alat-dua-naik"):
        result = value(folder, backend, "2026", indicator)
        assert result.value is None and code_of(result.reason) == "missing-values"
        assert "the realisasi of alat-bantu-orang for 2026-TW4 is not reported" in str(
            result.reason
        )
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW4,Labuan,0")
    # and the 0 of each kecamatan reporting it in 2026 where it has no row: without them the
    # sum is refused to the formula for the kecamatan missing (3 + 0, 2.5 + 0, 0 + 4, 0 + 0
    # is still 9.5)
    for row in ("2026-TW1,Carita", "2026-TW2,Carita", "2026-TW3,Labuan", "2026-TW4,Carita"):
        add_row(folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,{row},0")
    # 2025 has only TW4 (7): 2026's 3 + 2.5 + 4 + 0 = 9.5 against it gave (9.5 - 7) / 7
    # = 35.71 % in silence, and alat-dua-naik 19 - 14 = 5.
    for indicator in ("alat-naik", "alat-dua-naik"):
        result = value(folder, backend, "2026", indicator)
        assert result.value is None
        assert code_of(result.reason) == "missing-values"
        assert (
            "the realisasi of alat-bantu-orang for 2025-TW1, 2025-TW2, 2025-TW3 is not reported"
        ) in str(result.reason)
        assert "report it (0 where there was none)" in str(result.reason)
    # Carita alone: 2026 TW3 4 against 2025 TW4 7 gave (4 - 7) / 7 = -42.86 %
    carita = value(folder, backend, "2026", "alat-naik", "Carita")
    assert carita.value is None and code_of(carita.reason) == "missing-values"
    # A triwulan's previous one is one triwulan: 2026-TW1 3 against 2025-TW4 7,
    # (3 - 7) / 7 × 100 = -57.142857… %
    result = value(folder, backend, "2026-TW1", "alat-naik")
    assert result.value is not None and round(result.value, 4) == Decimal("-57.1429")
    # 2025 reported whole (TW1 2, TW2 3, TW3 1, TW4 7 = 13): (9.5 - 13) / 13 × 100
    # = -26.923076… %; alat-dua-naik 19 - 26 = -7 (with Carita's 0 in TW1–TW3 and
    # Labuan's in TW4: 2 + 0, 3 + 0, 1 + 0, 0 + 7 is still 13, and alat-dua of 2025 is
    # no longer refused for a kecamatan missing)
    for quarter, number in ((1, 2), (2, 3), (3, 1)):
        add_row(
            folder,
            "realisasi.csv",
            f"1.06.04.2.01.0003,alat-bantu-orang,2025-TW{quarter},Labuan,{number}",
        )
        add_row(
            folder, "realisasi.csv", f"1.06.04.2.01.0003,alat-bantu-orang,2025-TW{quarter},Carita,0"
        )
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2025-TW4,Labuan,0")
    result = value(folder, backend, "2026", "alat-naik")
    assert result.value is not None and round(result.value, 4) == Decimal("-26.9231")
    assert value(folder, backend, "2026", "alat-dua-naik").value == -7


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_year_to_date_is_against_the_same_triwulan_a_year_before(
    tmp_path: Path, backend: str
) -> None:
    folder = growth_office(tmp_path)
    # PMKS tertangani (distinct people served, a flow): 2026-sd-TW3 niks 1, 2, 4 = 3;
    # 2025-sd-TW3 nik 4 (2025-07-01) = 1: (3 - 1) / 1 = 200 %. Against 2026-sd-TW2 (niks 1
    # and 2) it would be 50 %.
    assert value(folder, backend, "2026-sd-TW3", "pmks-naik").value == 200
    # 2026-sd-TW2 (niks 1 and 2 = 2) against 2025-sd-TW2, where layanan has no rows:
    # not available, never (2 - 0) / 0 or 2 - 0
    result = value(folder, backend, "2026-sd-TW2", "pmks-naik")
    assert result.value is None and code_of(result.reason) == "no-data"
    assert "2025-sd-TW2" in str(result.reason) and "(previous period)" in str(result.reason)


@pytest.mark.parametrize("backend", ["python", "duckdb"])
def test_evaluate_many_gives_each_period_its_own_previous(tmp_path: Path, backend: str) -> None:
    folder = growth_office(tmp_path)
    # previous periods among those asked (2025, 2025-TW4), before the plan (2024) and
    # outside the data (2030, 2024-TW1)
    periods = ["2026", "2025", "2024", "2026-TW1", "2025-TW4", "2026-sd-TW3", "2030", "2024-TW1"]
    ids = ("akip-naik", "pmks-naik", "alat-naik", "alat-dua-naik", "kenaikan")

    def summary(evaluation: Evaluation) -> list[tuple[object, ...]]:
        return [
            (r.indicator.id, r.region, r.value, str(r.reason))
            for r in evaluation.results
            if r.indicator.id in ids
        ]

    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        many = engine.evaluate_many(periods, by="kecamatan")
    for period, evaluation in zip(periods, many, strict=True):
        with use_language("en"), Engine(folder, folder, backend=backend) as engine:
            alone = engine.evaluate(period, by="kecamatan")
        assert summary(evaluation) == summary(alone), period
    # 2025's akip-naik is against 2024, which the inputs do not hold: not available
    akip_2025 = many[1].get("akip-naik")
    assert akip_2025.value is None and code_of(akip_2025.reason) == "no-input"
    assert "2024" in str(akip_2025.reason)


# -- inputs per region


def test_region_inputs_are_read_for_the_previous_year(tmp_path: Path) -> None:
    folder = growth_office(tmp_path)
    edit(
        folder,
        'columns = { nama = "text", tahun = "integer", nilai = "decimal" }',
        'regions = { kecamatan = "kecamatan" }\n'
        'columns = { nama = "text", tahun = "integer", kecamatan = "text", nilai = "decimal" }',
    )
    edit(folder, "[[parameter]]", '[[input]]\nname = "Penduduk"\nunit = "Orang"\n\n[[parameter]]')
    edit(
        folder,
        "[[program]]",
        '  [[sasaran.indikator]]\n  id = "penduduk-naik"\n  name = "Pertumbuhan penduduk"\n'
        '  unit = "Persen"\n'
        '  formula = "(Penduduk - sebelumnya(Penduduk)) / sebelumnya(Penduduk) × 100%"\n\n'
        "[[program]]",
    )
    (folder / "inputs.csv").write_text(
        "nama,tahun,kecamatan,nilai\nNilai AKIP,2026,,76.05\nNilai AKIP,2025,,75.6\n"
        "Penduduk,2026,Labuan,110\nPenduduk,2026,Carita,220\nPenduduk,2026,Menes,330\n"
        "Penduduk,2025,Labuan,100\nPenduduk,2025,Carita,200\n",
        encoding="utf-8",
    )
    for backend in BACKENDS:
        # Labuan (110 - 100) / 100 = 10 %, Carita (220 - 200) / 200 = 10 %
        assert value(folder, backend, "2026", "penduduk-naik", "Labuan").value == 10
        assert value(folder, backend, "2026", "penduduk-naik", "Carita").value == 10
        # Menes has no row for 2025: not available, never (330 - 0) / 0 or 0
        menes = value(folder, backend, "2026", "penduduk-naik", "Menes")
        assert menes.value is None and code_of(menes.reason) == "no-input"
        assert "Menes" in str(menes.reason) and "2025" in str(menes.reason)


# -- the trace


def test_the_trace_and_iku_explain_name_the_previous_period(tmp_path: Path) -> None:
    folder = growth_office(tmp_path)
    # 2026-TW1: alat-bantu-orang 3 (and Carita's 0), and 7 in 2025-TW4 (the triwulan
    # before, over the year's end); the trace said only "previous period"
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,Carita,0")
    status, text = run(
        "explain",
        str(folder),
        "alat-naik",
        "--data",
        str(folder),
        "--period",
        "2026-TW1",
        "--backend",
        "python",
        "--lang",
        "en",
    )
    assert status == 0, text
    assert "sebelumnya(alat-bantu-orang) = 7  [previous period: 2025-TW4]" in text
    assert "alat-bantu-orang = 3" in text
    with use_language("en"), Engine(folder, folder, backend="python") as engine:
        result = engine.evaluate("2026").get("pmks-naik")
    assert result.trace is not None
    lines = "\n".join(render_lines(result.trace))
    # 2026: 3 people served, 2025: 1 (nik 4), (3 - 1) / 1 = 200 %
    assert "sebelumnya(PMKS tertangani) = 1  [previous period: 2025]" in lines


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_previous_triwulan_without_a_kecamatan_s_row_is_no_base(
    tmp_path: Path, backend: str
) -> None:
    folder = growth_office(tmp_path)
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW2,Carita,1")
    # 2026-TW2 is Labuan 2.5 + Carita 1 = 3.5; 2026-TW1 is Labuan's 3 alone, Carita (which
    # reports TW2 and TW3) without a row: (3.5 - 3) / 3 × 100 = 16.67 % read a rise in silence
    result = value(folder, backend, "2026-TW2", "alat-naik")
    assert result.value is None and code_of(result.reason) == "missing-values"
    assert (
        "the realisasi of alat-bantu-orang has no row for 2026-TW1 from kecamatan Carita,"
        " which reports it in another triwulan of 2026, so its sum over 2026-TW1 (the previous"
        " period) would count it as none and misstate the change"
    ) in str(result.reason)
    # Carita's 0 written for 2026-TW1: (3.5 - 3) / 3 × 100 = 16.666666… %
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,Carita,0")
    result = value(folder, backend, "2026-TW2", "alat-naik")
    assert result.value is not None and round(result.value, 4) == Decimal("16.6667")
