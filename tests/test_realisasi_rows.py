"""The rows of a realisasi table are read by their key, per indicator and triwulan: a row for
the whole area (its kecamatan left empty) beside the kecamatan's rows is their total, read
once when they agree and not available when they differ; two rows of one key (indikator,
periode, kecamatan and sub kegiatan code) are not added up but not available; a table of
values per period with two rows of one period and kecamatan likewise. The same on every
backend.

The office is tests/fixtures/mini with indicators added under the sub kegiatan
``1.06.04.2.01.0001`` (:func:`test_report_numbers._office`: formula ``realisasi``, rows of
realisasi.csv with that sub kegiatan code unless a row names another). The mini office
declares no kind, so its whole area is the "area" ("daerah" in Indonesian).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, read_in_place, run
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import DUPLICATE_ROWS, MISSING_VALUES, ROWS_DISAGREE, code_of
from iku_rules.sources.cells import DataError

CODE = "1.06.04.2.01.0001"
OTHER_CODE = "1.06.04.2.01.0003"


def _count(tmp_path: Path, rows: list[str]) -> Path:
    """An office with ``dilayani`` (Orang, a count that adds up) and ``rows`` of it."""
    return _office(tmp_path, _indicator("dilayani", "Orang", '2026 = "10"'), rows)


def _results(
    folder: Path,
    period: str,
    backend: str,
    in_place: bool,
    monkeypatch: pytest.MonkeyPatch,
    id: str = "dilayani",
) -> dict[str | None, Any]:
    """The indicator's result for the whole area (None) and each kecamatan, in English."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate(period, by="kecamatan")
    return {region: evaluation.get(id, region) for region in (None, *evaluation.regions)}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_for_the_whole_area_that_agrees_with_its_kecamatan_is_read_once(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _count(
        tmp_path,
        [
            "dilayani,2026-TW1,Labuan,3",
            "dilayani,2026-TW1,Carita,4",
            "dilayani,2026-TW1,,7",  # the totals row: 3 + 4 = 7
            "dilayani,2026-TW2,Labuan,5",  # TW2 per kecamatan only
        ],
    )
    tw1 = _results(folder, "2026-TW1", backend, in_place, monkeypatch)
    # The kabupaten: 7, read once from its own row (it was 3 + 4 + 7 = 14).
    assert (tw1[None].value, tw1[None].reason, tw1[None].realisasi.rows) == (Decimal(7), None, 1)
    assert (tw1["Labuan"].value, tw1["Carita"].value) == (Decimal(3), Decimal(4))
    year = _results(folder, "2026", backend, in_place, monkeypatch)
    # 2026: TW1 7 (its own row) + TW2 5 (Labuan's row) = 12, from 2 rows.
    area = year[None]
    assert (area.value, area.realisasi.rows) == (Decimal(12), 2)
    assert area.realisasi.by_triwulan == (("2026-TW1", Decimal(7)), ("2026-TW2", Decimal(5)))
    assert area.capaian.value == Decimal("120.00")  # 12 / 10 × 100
    assert year["Labuan"].value == Decimal(8)  # 3 + 5


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_for_the_whole_area_that_differs_from_its_kecamatan_is_not_available(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _count(
        tmp_path,
        ["dilayani,2026-TW1,Labuan,3", "dilayani,2026-TW1,Carita,4", "dilayani,2026-TW1,,8"],
    )
    found = _results(folder, "2026", backend, in_place, monkeypatch)
    # 8 for the whole area, 3 + 4 = 7 from its kecamatan: neither 15 nor a guess.
    area = found[None]
    assert (area.value, code_of(area.reason)) == (None, ROWS_DISAGREE)
    assert area.reason == (
        "the realisasi table gives dilayani for 2026-TW1 as 8 in the row for the whole area"
        " (its kecamatan column left empty), but its kecamatan rows add up to 7; correct one"
        " of them, or delete the row for the whole area"
    )
    assert area.realisasi.rows == 3 and area.capaian.value is None
    assert (found["Labuan"].value, found["Carita"].value) == (Decimal(3), Decimal(4))


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_two_rows_of_one_key_are_not_added_up(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _count(
        tmp_path,
        [
            "dilayani,2026-TW1,Labuan,3",
            "dilayani,2026-TW1,Labuan,3",  # the same row twice: not 3 + 3 = 6
            "dilayani,2026-TW1,Carita,4",
        ],
    )
    found = _results(folder, "2026", backend, in_place, monkeypatch)
    labuan, area = found["Labuan"], found[None]
    assert (labuan.value, code_of(labuan.reason), labuan.realisasi.rows) == (
        None,
        DUPLICATE_ROWS,
        2,
    )
    assert labuan.reason == (
        "the realisasi table has 2 rows of dilayani for 2026-TW1, kecamatan Labuan, more than"
        " one of them with the same kode_sub_kegiatan; keep one of those"
    )
    # The kabupaten holds Labuan's rows: not available, for the same reason (not 13).
    assert (area.value, area.reason) == (None, labuan.reason)
    assert found["Carita"].value == Decimal(4)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_without_nilai_beside_the_area_row_leaves_the_area_without_a_value(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _count(tmp_path, ["dilayani,2026-TW1,Labuan,3", "dilayani,2026-TW1,,3"])
    add_row(folder, "realisasi.csv", f"{CODE},dilayani,2026-TW1,Carita,")
    found = _results(folder, "2026-TW1", backend, in_place, monkeypatch)
    # Carita's row is empty: its 0 or 4 cannot be told, so the area's 3 is not checked: no
    # value, as any empty row of the area always left it.
    area = found[None]
    assert (area.value, code_of(area.reason), area.realisasi.rows) == (None, MISSING_VALUES, 3)
    assert found["Labuan"].value == Decimal(3)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_percentage_reads_the_area_row_and_its_kecamatan_rows_each_their_own(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _office(
        tmp_path,
        _indicator("persen", "Persen", '2026 = "80"', '  triwulan_targets = { "2026-TW1" = 80 }\n'),
        ["persen,2026-TW1,Labuan,70", "persen,2026-TW1,Carita,90", "persen,2026-TW1,,75"],
    )
    found = _results(folder, "2026-TW1", backend, in_place, monkeypatch, "persen")
    # A percentage does not add up: the kabupaten's own 75 % (never 70 + 90 = 160, nor a
    # disagreement with it); each kecamatan its own.
    assert (found[None].value, found[None].reason) == (Decimal(75), None)
    assert found[None].capaian.value == Decimal("93.75")  # 75 / 80 × 100
    assert (found["Labuan"].value, found["Carita"].value) == (Decimal(70), Decimal(90))


PER_PERIOD = """
[[source]]
id = "bulanan"
kind = "register"
format = "csv"
path = "bulanan.csv"
time = "period"
grain = "year"
period_column = "tahun"
region_column = "kecamatan"
columns = { tahun = "integer", kecamatan = "text", jenis = "text", kunjungan = "integer" }

[[measure]]
name = "Kunjungan"
source = "bulanan"
aggregate = "sum"
column = "kunjungan"
"""


def _per_period(tmp_path: Path, rows: str) -> Path:
    """The office with the yearly table bulanan.csv holding ``rows`` (its header first), and
    an indicator summing its kunjungan."""
    folder = _office(
        tmp_path,
        """
  [[sub_kegiatan.indikator]]
  id = "jumlah-kunjungan"
  name = "Jumlah kunjungan"
  unit = "Orang"
  formula = "Σ [Kunjungan]"
""",
        [],
    )
    edit(folder, '[[source]]\nid = "inputs"', PER_PERIOD + '\n[[source]]\nid = "inputs"')
    (folder / "bulanan.csv").write_text(rows, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_table_of_values_per_period_with_two_rows_of_one_period_is_not_available(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _per_period(
        tmp_path,
        "tahun,kecamatan,jenis,kunjungan\n"
        "2026,Labuan,L,10\n"
        "2026,Labuan,L,10\n"  # Labuan's 2026 men twice: not 20
        "2026,Carita,L,20\n"
        "2026,Carita,P,5\n"  # men and women: two rows of Carita, 25
        "2025,Labuan,L,99\n",  # 2025: another period
    )
    found = _results(folder, "2026", backend, in_place, monkeypatch, "jumlah-kunjungan")
    labuan, area = found["Labuan"], found[None]
    assert (labuan.value, code_of(labuan.reason)) == (None, DUPLICATE_ROWS)
    assert labuan.reason == (
        "Kunjungan: bulanan has 2 rows for tahun 2026, kecamatan Labuan, jenis L, which would"
        " be added up in 2026 in kecamatan Labuan; keep one of them"
    )
    assert (area.value, code_of(area.reason)) == (None, DUPLICATE_ROWS)  # not 10 + 10 + 25
    assert found["Carita"].value == Decimal(25)  # 20 + 5


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_table_of_values_per_period_with_a_row_of_no_kecamatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Labuan 10, Carita 20 and a row of 30 without a kecamatan, their total: added up,
    # the kabupaten's 2026 would read 60.
    folder = _per_period(
        tmp_path,
        "tahun,kecamatan,jenis,kunjungan\n2026,Labuan,L,10\n2026,Carita,L,20\n2026,,L,30\n",
    )
    read_in_place(monkeypatch, in_place)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(caught.value) == (
        "bulanan.csv, row 4, column 'kecamatan': the row leaves 'kecamatan' empty beside rows"
        " that name a kecamatan: in a table of values per period such a row is most often"
        " their total, which the whole area would count twice; write the kecamatan, or delete"
        " the row (iku adds up the regions itself)"
    )


def test_the_command_gives_the_area_row_once_and_the_code_of_duplicates(tmp_path: Path) -> None:
    agree = _count(
        tmp_path / "agree",
        ["dilayani,2026-TW1,Labuan,3", "dilayani,2026-TW1,Carita,4", "dilayani,2026-TW1,,7"],
    )
    twice = _count(tmp_path / "twice", ["dilayani,2026-TW1,Labuan,3"] * 2)
    for folder, value, code in ((agree, 7, None), (twice, None, DUPLICATE_ROWS)):
        for backend in ("duckdb", "sqlite", "python"):
            status, out = run(
                "--lang", "en", "eval", str(folder), "--data", str(folder),
                "--period", "2026-TW1", "--backend", backend, "--format", "json", "--no-cache",
            )  # fmt: skip
            assert status == 0
            row = next(r for r in json.loads(out) if r["id"] == "dilayani")
            # 7 once (not 3 + 4 + 7 = 14); 3 twice is not 6
            assert (row["value"], row["reason_code"]) == (value, code), backend


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("pasted", ["L ", "l", " L"])
def test_a_row_pasted_again_with_its_text_spelled_otherwise_is_not_added_up(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch, pasted: str
) -> None:
    folder = _per_period(
        tmp_path,
        "tahun,kecamatan,jenis,kunjungan\n"
        "2026,Labuan,L,10\n"
        f'2026,Labuan,"{pasted}",10\n'  # Labuan's men pasted again, padded or in lower case
        "2026,Carita,L,20\n"
        "2026,Carita,P,5\n",  # men and women: two rows of Carita, 25
    )
    found = _results(folder, "2026", backend, in_place, monkeypatch, "jumlah-kunjungan")
    labuan, area = found["Labuan"], found[None]
    # one row of 10 written twice: not 20, and the kabupaten not 10 + 10 + 25 = 45
    assert (labuan.value, code_of(labuan.reason)) == (None, DUPLICATE_ROWS)
    assert (area.value, code_of(area.reason)) == (None, DUPLICATE_ROWS)
    assert found["Carita"].value == Decimal(25)  # 20 + 5


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_row_coded_for_another_declared_sub_kegiatan_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dilayani is the indicator of sub kegiatan 1.06.04.2.01.0001. Its rows: Labuan 3, and a
    # row copied from Penyediaan Alat Bantu (1.06.04.2.01.0003, declared with an indicator of
    # its own) where the indikator was left as the row above wrote it: Labuan 4. Added up
    # as two sub kegiatan of one key, the year read 3 + 4 = 7 against a target of 10
    # (capaian 70,00) where dilayani's own rows hold 3 (30,00).
    folder = _count(tmp_path, ["dilayani,2026-TW1,Labuan,3", "dilayani,2026-TW1,Labuan,4"])
    path = folder / "realisasi.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(CODE, OTHER_CODE, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read_in_place(monkeypatch, in_place)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(caught.value) == (
        f"realisasi.csv, row {len(lines)}, column 'kode_sub_kegiatan': the row of indicator"
        f" 'dilayani' is coded '{OTHER_CODE}', that of Sub Kegiatan 'Penyediaan Alat Bantu',"
        " but 'dilayani' is an indicator of Sub Kegiatan 'Penyediaan Permakanan'"
        f" ('{CODE}'), so its nilai would be added to another's; write in the row the"
        f" indikator of its Sub Kegiatan, or the code '{CODE}'"
    )
