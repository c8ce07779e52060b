"""A percentage, a score or a rate does not add up over triwulan or regions: 70 % in TW1
and 90 % in TW2 are not 160 %, and targets of 40 % in TW1 and TW2 are not a target of 80 %
to date. Such a realisasi is read from one row (the last triwulan reported under
``terakhir``), or is not available with the reason; ``kumulatif`` never sums such targets;
a year to date whose realisasi is not available has no capaian; and a row shows the target
its capaian was computed against.

The office is tests/fixtures/mini with indicators added under a sub kegiatan
(:func:`test_report_numbers._office`: formula ``realisasi``, rows of realisasi.csv)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import edit, office, run
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.reasons import code_of

BACKENDS = ["duckdb", "sqlite", "python"]

QUARTERS = '  triwulan_targets = {{ "2026-TW1" = {0}, "2026-TW2" = {0}, "2026-TW3" = {0}, "2026-TW4" = {0} }}\n'


def _persen(tmp_path: Path, extra: str = "", rows: tuple[str, ...] = ()) -> Path:
    """A Persen realisasi with triwulan targets of 80: 70 in TW1 and 90 in TW2 (Labuan)."""
    return _office(
        tmp_path,
        _indicator("persen", "Persen", '2026 = "80"', QUARTERS.format(80) + extra),
        ["persen,2026-TW1,Labuan,70", "persen,2026-TW2,Labuan,90", *rows],
    )


def _result(folder: Path, period: str, backend: str = "duckdb", id: str = "persen") -> Any:
    return Engine(folder, folder, backend=backend).evaluate(period).get(id)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_percentage_of_one_triwulan_is_read_as_reported(tmp_path: Path, backend: str) -> None:
    result = _result(_persen(tmp_path), "2026-TW2", backend)
    assert result.value == 90
    assert result.capaian.value == Decimal("112.50")  # 90 / 80 × 100


@pytest.mark.parametrize("backend", BACKENDS)
def test_percentages_of_several_triwulan_are_not_added_up(tmp_path: Path, backend: str) -> None:
    # 70 + 90 = 160 % would be read as the year to date (capaian 160 / 160 = 100.00).
    for period in ("2026-sd-TW2", "2026"):
        result = _result(_persen(tmp_path / period), period, backend)
        assert result.value is None, period
        assert code_of(result.reason) == "not-additive"
        assert result.reason == (
            "the realisasi of persen is in Persen, which does not add up over triwulan"
            f" (2026-TW1 70, 2026-TW2 90), so it has no value for {period}; declare"
            ' capaian_method = "terakhir" for the indicator to take the last triwulan'
            " reported, or evaluate one triwulan"
        )
        assert result.capaian is None or result.capaian.value is None
    year_to_date = _result(_persen(tmp_path / "again"), "2026-sd-TW2", backend)
    assert year_to_date.capaian.reason == "there is no realisasi, so capaian cannot be computed"
    assert code_of(year_to_date.capaian.reason) == "not-additive"
    assert year_to_date.target is None  # 80 + 80 is no target of a percentage


@pytest.mark.parametrize("backend", BACKENDS)
def test_terakhir_reads_the_last_triwulan_reported(tmp_path: Path, backend: str) -> None:
    folder = _persen(tmp_path, '  capaian_method = "terakhir"\n')
    result = _result(folder, "2026-sd-TW2", backend)
    # the level reached by TW2: 90, against TW2's target 80: 90 / 80 × 100 = 112.50
    assert (result.value, result.target, result.capaian.value) == (90, 80, Decimal("112.50"))
    # TW3 and TW4 not reported yet: the year so far is TW2's 90
    assert _result(folder, "2026", backend).value == 90


def test_percentages_of_kecamatan_are_not_added_up_for_the_kabupaten(tmp_path: Path) -> None:
    # TW1: Labuan 70 %, Carita 50 %; the kabupaten is not 120 %.
    folder = _persen(tmp_path, rows=("persen,2026-TW1,Carita,50",))
    evaluation = Engine(folder, folder).evaluate("2026-TW1", by="kecamatan")
    assert evaluation.get("persen", "Labuan").value == 70
    assert evaluation.get("persen", "Carita").value == 50
    area = evaluation.get("persen")
    assert area.value is None and code_of(area.reason) == "not-additive"
    assert area.reason == (
        "the realisasi of persen is in Persen, which does not add up, yet 2 rows of it would"
        " be added up in 2026-TW1; report one row for each triwulan (and region), or give the"
        " indicator a formula that computes its value"
    )


def test_counts_still_add_up(tmp_path: Path) -> None:
    folder = _office(
        tmp_path,
        _indicator("orang", "Orang", '2026 = "100"', QUARTERS.format(25)),
        ["orang,2026-TW1,Labuan,20", "orang,2026-TW2,Carita,30"],
    )
    result = _result(folder, "2026-sd-TW2", id="orang")
    # 20 + 30 = 50 served to date, against 25 + 25 = 50: 100.00
    assert (result.value, result.target, result.capaian.value) == (50, 50, Decimal("100.00"))


def _share(tmp_path: Path, method: str = "") -> Path:
    """anak-share (Persen, a ratio of the register at the period's end) with triwulan
    targets of 40: to 2026-06-30 the register holds 4 people, 2 Anak Terlantar: 50 %."""
    folder = office(tmp_path)
    share = "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'"
    edit(folder, share, share + "\n" + QUARTERS.format(40) + method)
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_kumulatif_does_not_sum_the_targets_of_a_percentage(tmp_path: Path, backend: str) -> None:
    # Summed, the target to TW2 would be 40 + 40 = 80 and capaian 50 / 80 × 100 = 62.50.
    result = _result(_share(tmp_path), "2026-sd-TW2", backend, "anak-share")
    assert result.value == 50
    assert result.target is None and result.capaian.value is None
    assert code_of(result.capaian.reason) == "not-additive"
    assert result.capaian.reason == (
        "the targets of anak-share are in Persen, which does not add up over triwulan, so"
        " 'kumulatif' cannot sum them for 2026-sd-TW2; declare capaian_method = \"terakhir\""
        ' for the indicator (against the target of 2026-TW2) or "tahunan" (against the'
        " annual target)"
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_terakhir_compares_a_percentage_with_the_last_target(tmp_path: Path, backend: str) -> None:
    folder = _share(tmp_path, '  capaian_method = "terakhir"\n')
    result = _result(folder, "2026-sd-TW2", backend, "anak-share")
    # 50 % against TW2's 40: 50 / 40 × 100 = 125.00
    assert (result.value, result.target, result.capaian.value) == (50, 40, Decimal("125.00"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_year_to_date_without_its_realisasi_has_no_capaian(tmp_path: Path, backend: str) -> None:
    # TW3's row has no nilai: the value is not available, and capaian is not computed from
    # TW1 and TW2 alone (25 + 25 against 25 + 25 would read 100.00, Sangat Tinggi).
    folder = _office(
        tmp_path,
        _indicator("orang", "Orang", '2026 = "100"', QUARTERS.format(25)),
        ["orang,2026-TW1,Labuan,25", "orang,2026-TW2,Labuan,25", "orang,2026-TW3,Labuan,"],
    )
    result = _result(folder, "2026-sd-TW3", backend, "orang")
    assert result.value is None and code_of(result.reason) == "missing-values"
    assert result.capaian.value is None and result.predikat is None
    assert result.capaian.reason == "there is no realisasi, so capaian cannot be computed"
    assert result.target == 75  # the period's target: 25 + 25 + 25


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_row_shows_the_target_its_capaian_is_against(tmp_path: Path, backend: str) -> None:
    # To TW3, only TW1 and TW2 reported, on 15 September 2026 (TW3 not over): 25 + 25 = 50
    # against 25 + 25 = 50, capaian 100.00; the row showed the target to TW3, 75, beside it.
    folder = _office(
        tmp_path,
        _indicator("orang", "Orang", '2026 = "100"', QUARTERS.format(25)),
        ["orang,2026-TW1,Labuan,25", "orang,2026-TW2,Labuan,25"],
    )
    engine = Engine(folder, folder, backend=backend, today=date(2026, 9, 15))
    result = engine.evaluate("2026-sd-TW3").get("orang")
    assert (result.value, result.target, result.capaian.value) == (50, 50, Decimal("100.00"))
    # TW3 over and still not reported: its sum counts TW3 as none, and so does its capaian,
    # 50 against 25 + 25 + 25 = 75, 66.67 (tests/test_audit_year_to_date_over.py)
    result = _result(folder, "2026-sd-TW3", backend, "orang")
    assert (result.value, result.target, result.capaian.value) == (50, 75, Decimal("66.67"))


def test_the_reason_in_indonesian_on_the_command_line(tmp_path: Path) -> None:
    folder = _persen(tmp_path)
    status, out = run(
        "--lang", "id", "eval", str(folder), "--data", str(folder),
        "--period", "2026-sd-TW2", "--format", "json",
    )  # fmt: skip
    assert status == 0
    row = next(r for r in json.loads(out) if r["id"] == "persen")
    assert row["value"] is None and row["reason_code"] == "not-additive"
    assert "tidak dapat dijumlahkan" in row["reason"] and "terakhir" in row["reason"]


def test_each_definitions_has_its_own_unit_table(tmp_path: Path) -> None:
    from iku_rules import additive
    from iku_rules.loader import load

    plain = load(office(tmp_path / "plain"))
    extended = office(tmp_path / "extended")
    edit(extended, "[[visi]]", '[satuan]\nPosyandu = "posyandu"\n\n[[visi]]')
    own = load(extended)
    assert not additive.unit_table(plain).knows("Posyandu")
    assert additive.unit_table(own).knows("Posyandu")
    for _ in range(40):  # a workspace loads the definitions again after every edit
        additive.unit_table(load(extended))
    assert len(additive._tables) <= additive._KEPT_TABLES
