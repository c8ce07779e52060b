"""Two declared desa of one name: a desa Sukamaju in kecamatan Labuan and another in Carita,
both declared (``[[region]]`` with their ``parent``), as desa names repeat across a
kabupaten. ``iku check`` refused the second as the first declared twice; each is now a desa
of its own, named with its kecamatan (``Sukamaju (Labuan)``, ``Sukamaju (Carita)``) as the
undeclared ones are (tests/test_region_parents.py), its rows found by their kecamatan
column, on every embedded backend. A row that cannot say which Sukamaju it is (its
kecamatan left empty, or a source without a kecamatan column) is refused at its row, never
given to one of them nor merged.

The office is tests/fixtures/mini with a realisasi indicator ``dilayani`` and a desa column
in its realisasi table (:func:`_office_with_desa` of tests/test_region_parents.py); every
number below is computed by hand from the rows written here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, edit, read_in_place, run
from test_region_parents import _office_with_desa

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError

DECLARED = (
    '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n'
    '[[level]]\nid = "desa"\nname = "Desa"\nparent = "kecamatan"\n\n'
    + "".join(
        f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
        for name in ("Labuan", "Carita", "Menes")
    )
    + "".join(
        f'[[region]]\nlevel = "desa"\nname = "{name}"\nparent = "{parent}"\n\n'
        for name, parent in (
            ("Sukamaju", "Labuan"),
            ("Sukamaju", "Carita"),
            ("Banjarsari", "Carita"),
        )
    )
)
"""Three kecamatan; desa Sukamaju in Labuan and in Carita, Banjarsari in Carita."""

ROWS = [
    "1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,Sukamaju,3",
    "1.06.04.2.01.0001,dilayani,2026-TW1,CARITA,sukamaju,4",
    "1.06.04.2.01.0001,dilayani,2026-TW1,Carita,Banjarsari,5",
]
"""Sukamaju in Labuan 3, in Carita 4 (both names written in capitals or small letters, as
one region's name may be), Banjarsari 5."""


def _declared(tmp_path: Path, rows: list[str]) -> Path:
    folder = _office_with_desa(tmp_path, rows)
    edit(folder, "[[visi]]", DECLARED + "[[visi]]")
    return folder


def test_two_declared_desa_of_one_name_pass_iku_check(tmp_path: Path) -> None:
    folder = _declared(tmp_path, ROWS)
    status, text = run("--lang", "en", "check", str(folder))
    assert status == 0, text
    names = [region.name for region in load(folder).regions_at("desa")]
    assert names == ["Sukamaju (Labuan)", "Sukamaju (Carita)", "Banjarsari"]


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_each_declared_sukamaju_takes_its_own_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # By desa: Sukamaju (Labuan) 3, Sukamaju (Carita) 4 (CARITA/sukamaju is Carita's
    # Sukamaju), Banjarsari 5; one Sukamaju would have been 3 + 4 = 7. The kabupaten:
    # 3 + 4 + 5 = 12. By kecamatan: Labuan 3, Carita 4 + 5 = 9, Menes no row.
    read_in_place(monkeypatch, in_place)
    folder = _declared(tmp_path, ROWS)
    engine = Engine(folder, folder, backend=backend)
    for evaluation in (
        engine.evaluate("2026-TW1", by="desa"),
        engine.evaluate_many(["2026-TW1", "2026-TW2"], by="desa")[0],
    ):
        assert evaluation.regions == ("Sukamaju (Labuan)", "Sukamaju (Carita)", "Banjarsari")
        assert evaluation.get("dilayani", "Sukamaju (Labuan)").value == Decimal(3)
        assert evaluation.get("dilayani", "Sukamaju (Carita)").value == Decimal(4)
        assert evaluation.get("dilayani", "Banjarsari").value == Decimal(5)
        assert evaluation.get("dilayani").value == Decimal(12)
    by_kecamatan = engine.evaluate("2026-TW1", by="kecamatan")
    assert by_kecamatan.get("dilayani", "Labuan").value == Decimal(3)
    assert by_kecamatan.get("dilayani", "Carita").value == Decimal(9)
    assert engine.evaluate("2026-TW1").get("dilayani").value == Decimal(12)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_declared_sukamaju_without_rows_is_not_given_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # Only Labuan's Sukamaju has rows (3): in the data the name stands under one kecamatan,
    # yet two are declared, so its rows are Sukamaju (Labuan)'s, and Sukamaju (Carita) has
    # no realisasi (not 3, nor a region "Sukamaju" of its own).
    read_in_place(monkeypatch, in_place)
    folder = _declared(tmp_path, [ROWS[0], ROWS[2]])
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026-TW1", by="desa")
    assert evaluation.regions == ("Sukamaju (Labuan)", "Sukamaju (Carita)", "Banjarsari")
    assert evaluation.get("dilayani", "Sukamaju (Labuan)").value == Decimal(3)
    carita = evaluation.get("dilayani", "Sukamaju (Carita)")
    assert carita.value is None and carita.reason is not None
    assert evaluation.get("dilayani").value == Decimal(8)  # 3 + 5


@pytest.mark.parametrize("by", ["desa", "kecamatan", None])
def test_a_row_of_a_declared_sukamaju_without_its_kecamatan_is_refused(
    tmp_path: Path, by: str | None
) -> None:
    # Which Sukamaju the row's 6 is cannot be told: it would be neither's (or, by name
    # alone, a third desa). Two are declared, so it is refused however results are asked.
    folder = _declared(tmp_path, [*ROWS, "1.06.04.2.01.0001,dilayani,2026-TW1,,Sukamaju,6"])
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by=by)
    assert str(caught.value) == (
        "realisasi.csv, row 5, column 'desa': the row names the desa 'Sukamaju' but leaves"
        " its kecamatan empty, and there is a desa 'Sukamaju' in kecamatan 'Carita' and"
        " 'Labuan': results by desa cannot tell which it is; fill in its kecamatan"
    )


@pytest.mark.parametrize("by", ["desa", "kecamatan"])
def test_a_declared_sukamaju_under_a_third_kecamatan_is_refused(tmp_path: Path, by: str) -> None:
    # A row places Sukamaju in Menes, where neither is declared: by desa it would be a
    # third Sukamaju, by kecamatan Menes would count it. For the kabupaten it is a row of
    # 3 + 4 + 5 + 6 = 18 all the same.
    folder = _declared(tmp_path, [*ROWS, "1.06.04.2.01.0001,dilayani,2026-TW1,Menes,Sukamaju,6"])
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by=by)
    assert str(caught.value) == (
        "realisasi.csv, row 5, column 'desa': the desa 'Sukamaju' stands under kecamatan"
        " 'Menes' in realisasi, where the definitions declare a desa 'Sukamaju' only in"
        " kecamatan 'Carita' and 'Labuan': correct the kecamatan of its rows, or declare"
        " that desa as a [[region]] with its parent"
    )
    assert Engine(folder, folder).evaluate("2026-TW1").get("dilayani").value == Decimal(18)


INPUTS_PER_DESA = """
[[source]]
id = "penduduk_desa"
kind = "inputs"
format = "csv"
path = "penduduk_desa.csv"
regions = { desa = "desa" }
columns = { nama = "text", tahun = "integer", desa = "text", nilai = "integer" }

[[input]]
name = "Jumlah Penduduk"
unit = "Orang"
source = "penduduk_desa"
additive = true

[[visi]]"""

PENDUDUK = """
  [[sasaran.indikator]]
  id = "penduduk"
  name = "Jumlah penduduk"
  unit = "Orang"
  formula = "[Jumlah Penduduk]"
"""


def _inputs_per_desa(tmp_path: Path, *desa: tuple[str, int]) -> Path:
    """The office with a population per desa in a table without a kecamatan column."""
    folder = _declared(tmp_path, ROWS)
    edit(folder, "[[visi]]", INPUTS_PER_DESA)
    edit(
        folder,
        '  [[sasaran.indikator]]\n  id = "anak-share"',
        PENDUDUK + '\n  [[sasaran.indikator]]\n  id = "anak-share"',
    )
    rows = "".join(f"Jumlah Penduduk,2026,{name},{count}\n" for name, count in desa)
    (folder / "penduduk_desa.csv").write_text("nama,tahun,desa,nilai\n" + rows, "utf-8")
    return folder


@pytest.mark.parametrize("by", ["desa", None])
def test_a_table_without_a_kecamatan_column_naming_sukamaju_is_refused(
    tmp_path: Path, by: str | None
) -> None:
    # penduduk_desa has no kecamatan column: its two rows "Sukamaju" (1.000 and 2.000)
    # cannot be told apart. Taken as one desa they would be one population of 3.000 (and
    # neither declared Sukamaju's); the rows are refused at the first.
    folder = _inputs_per_desa(tmp_path, ("Sukamaju", 1000), ("Sukamaju", 2000), ("Banjarsari", 500))
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026", by=by)
    assert str(caught.value) == (
        "penduduk_desa.csv, row 2, column 'desa': the desa 'Sukamaju' stands in kecamatan"
        " 'Carita' and 'Labuan', and penduduk_desa has no kecamatan column to tell which one"
        " its rows are: write the desa as 'Sukamaju (Carita)' or 'Sukamaju (Labuan)', or"
        ' add the kecamatan column to the source (regions = { kecamatan = "…", desa ='
        ' "desa" })'
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_desa_written_with_its_kecamatan_is_that_desa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # The fix the refusal gives: the rows name "Sukamaju (Labuan)" 1.000 and
    # "SUKAMAJU (CARITA)" 2.000 (any case), Banjarsari 500. Each desa takes its own row, and
    # the kabupaten, having no row of its own, the sum of every declared desa's:
    # 1.000 + 2.000 + 500 = 3.500.
    read_in_place(monkeypatch, in_place)
    folder = _inputs_per_desa(
        tmp_path, ("Sukamaju (Labuan)", 1000), ("SUKAMAJU (CARITA)", 2000), ("Banjarsari", 500)
    )
    engine = Engine(folder, folder, backend=backend)
    by_desa = engine.evaluate("2026", by="desa")
    assert by_desa.get("penduduk", "Sukamaju (Labuan)").value == Decimal(1000)
    assert by_desa.get("penduduk", "Sukamaju (Carita)").value == Decimal(2000)
    assert by_desa.get("penduduk", "Banjarsari").value == Decimal(500)
    assert by_desa.get("penduduk").value == Decimal(3500)
    assert engine.evaluate("2026").get("penduduk").value == Decimal(3500)


def test_a_desa_written_with_another_kecamatan_than_its_row_is_refused(tmp_path: Path) -> None:
    # The realisasi row says desa "Sukamaju (Labuan)" in kecamatan Carita: by desa it would
    # be Labuan's Sukamaju, by kecamatan Carita's 3.
    folder = _declared(
        tmp_path, ["1.06.04.2.01.0001,dilayani,2026-TW1,Carita,Sukamaju (Labuan),3", *ROWS[1:]]
    )
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by="desa")
    assert str(caught.value) == (
        "realisasi.csv, row 2, column 'desa': the desa 'Sukamaju (Labuan)' stands under"
        " kecamatan 'Carita' in realisasi, where the definitions declare it in kecamatan"
        " 'Labuan': correct the kecamatan of its rows, or its [[region]]"
    )


def test_a_desa_declared_once_without_its_kecamatan_found_under_two_is_refused(
    tmp_path: Path,
) -> None:
    # Sukamaju is declared once, with no parent; the rows place it in Labuan (3) and in
    # Carita (4). By desa they were two desa, "Sukamaju (Labuan)" and "Sukamaju (Carita)",
    # that the results (the declared desa only) never showed: Sukamaju had no realisasi,
    # its 3 + 4 = 7 counted nowhere but in the kabupaten's 12.
    folder = _office_with_desa(tmp_path, ROWS)
    edit(
        folder,
        "[[visi]]",
        DECLARED.replace('parent = "Labuan"\n', "").replace(
            '[[region]]\nlevel = "desa"\nname = "Sukamaju"\nparent = "Carita"\n\n', ""
        )
        + "[[visi]]",
    )
    assert [r.name for r in load(folder).regions_at("desa")] == ["Sukamaju", "Banjarsari"]
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by="desa")
    assert str(caught.value) == (
        "realisasi.csv, row 3, column 'desa': the desa 'Sukamaju' stands under kecamatan"
        " 'Carita' and 'Labuan', but the definitions declare one desa 'Sukamaju', without its"
        " kecamatan: if they are different desa, declare each as a [[region]] with its"
        " parent; if one, correct the kecamatan of its rows"
    )
    assert Engine(folder, folder).evaluate("2026-TW1").get("dilayani").value == Decimal(12)
