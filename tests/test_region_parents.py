"""One name, one region: a desa name that stands under two kecamatan (Sukamaju in Labuan
and in Carita, as desa names repeat across a kabupaten) made one desa of both in results
by desa, 3 + 4 = 7, in silence. Each is now a desa of its own, named with its kecamatan
(``Sukamaju (Labuan)``), on every backend; a row of such a desa without its kecamatan, or
a declared desa under another kecamatan, is refused at its row; by kecamatan and for the
whole kabupaten nothing changes.

The office is tests/fixtures/mini with a realisasi indicator and a desa column in its
realisasi table (:func:`_office_with_desa`)."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import BACKEND_IDS, BACKENDS, ROOT, edit, read_in_place, run
from servers import PASSWORD, Postgres, load_csv_tables
from test_backends_servers import create_database
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError

SUKAMAJU_TWICE = [
    "1.06.04.2.01.0001,dilayani,2026-TW1,Labuan,Sukamaju,3",
    "1.06.04.2.01.0001,dilayani,2026-TW1,Carita,Sukamaju,4",
    "1.06.04.2.01.0001,dilayani,2026-TW1,Carita,Banjarsari,5",
]

ORPHAN = "1.06.04.2.01.0001,dilayani,2026-TW2,,Sukamaju,6"
"""A row of Sukamaju that leaves its kecamatan empty."""


def _office_with_desa(tmp_path: Path, rows: list[str]) -> Path:
    """The office, its realisasi table with a ``desa`` column and only ``rows``."""
    folder = _office(tmp_path, _indicator("dilayani", "Orang", '2026 = "100"'), [])
    edit(
        folder,
        'path = "realisasi.csv"\nregion_column = "kecamatan"\ncolumns = {'
        ' kode_sub_kegiatan = "text", indikator = "text", periode = "text",'
        ' kecamatan = "text", nilai = "decimal" }',
        'path = "realisasi.csv"\nregions = { kecamatan = "kecamatan", desa = "desa" }\n'
        'columns = { kode_sub_kegiatan = "text", indikator = "text", periode = "text",'
        ' kecamatan = "text", desa = "text", nilai = "decimal" }',
    )
    header = "kode_sub_kegiatan,indikator,periode,kecamatan,desa,nilai\n"
    (folder / "realisasi.csv").write_text(header + "".join(f"{r}\n" for r in rows), "utf-8")
    return folder


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_desa_name_under_two_kecamatan_is_two_desa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # By desa the two Sukamaju were one desa of 3 + 4 = 7; each is now named with its
    # kecamatan: Sukamaju (Labuan) 3, Sukamaju (Carita) 4. Banjarsari, under one kecamatan
    # only, keeps its name.
    read_in_place(monkeypatch, in_place)
    folder = _office_with_desa(tmp_path, SUKAMAJU_TWICE)
    engine = Engine(folder, folder, backend=backend)
    for evaluation in (
        engine.evaluate("2026-TW1", by="desa"),
        engine.evaluate_many(["2026-TW1", "2026-TW2"], by="desa")[0],
    ):
        assert evaluation.regions == ("Banjarsari", "Sukamaju (Carita)", "Sukamaju (Labuan)")
        assert evaluation.get("dilayani", "Sukamaju (Labuan)").value == Decimal(3)
        assert evaluation.get("dilayani", "Sukamaju (Carita)").value == Decimal(4)
        assert evaluation.get("dilayani", "Banjarsari").value == Decimal(5)
        assert evaluation.get("dilayani").value == Decimal(12)  # 3 + 4 + 5
    # By kecamatan and for the kabupaten nothing changes: Labuan 3, Carita 4 + 5 = 9.
    evaluation = engine.evaluate("2026-TW1", by="kecamatan")
    assert evaluation.get("dilayani", "Labuan").value == Decimal(3)
    assert evaluation.get("dilayani", "Carita").value == Decimal(9)
    assert evaluation.get("dilayani").value == Decimal(12)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_ratio_by_desa_counts_each_desa_of_one_name_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    # The PMKS register with a desa column: in 2026 (a state: rows dated up to 31 December)
    # Sukamaju in Labuan holds nik 1 (Anak Terlantar), 2 and 3 (Fakir Miskin); Sukamaju in
    # Carita nik 4 (Anak Terlantar); Banjarsari nik 5. Anak terlantar: Sukamaju (Labuan)
    # 1 / 3 × 100 = 33.333333 %, Sukamaju (Carita) 1 / 1 × 100 = 100 %, Banjarsari 0 %;
    # one Sukamaju would have read 2 / 4 × 100 = 50 %. The kabupaten: 2 / 5 × 100 = 40 %.
    read_in_place(monkeypatch, in_place)
    folder = _office_with_desa(tmp_path, SUKAMAJU_TWICE)
    edit(
        folder,
        'region_column = "kecamatan"\ntime = "state"',
        'regions = { kecamatan = "kecamatan", desa = "desa" }\ntime = "state"',
    )
    edit(
        folder,
        'columns = { nik = "nik", kecamatan = "text", kategori',
        'columns = { nik = "nik", kecamatan = "text", desa = "text", kategori',
    )
    register = folder / "register_pmks.csv"
    desa = ["Sukamaju", "Sukamaju", "Sukamaju", "Sukamaju", "Banjarsari", "Cigondang"]
    lines = register.read_text(encoding="utf-8").splitlines()
    rows = []
    for line, name in zip(lines[1:], desa, strict=True):
        nik, kecamatan, rest = line.split(",", 2)
        rows.append(f"{nik},{kecamatan},{name},{rest}\n")
    register.write_text("nik,kecamatan,desa,kategori,tanggal\n" + "".join(rows), "utf-8")
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026", by="desa")
    labuan = evaluation.get("anak-share", "Sukamaju (Labuan)").value
    assert labuan is not None and round(labuan, 6) == Decimal("33.333333")
    assert evaluation.get("anak-share", "Sukamaju (Carita)").value == Decimal(100)
    assert evaluation.get("anak-share", "Banjarsari").value == Decimal(0)
    assert evaluation.get("anak-share").value == Decimal(40)


def test_a_row_of_such_a_desa_without_its_kecamatan_is_refused(tmp_path: Path) -> None:
    # Which Sukamaju the row's 6 belongs to cannot be told: it would go to neither.
    folder = _office_with_desa(
        tmp_path, [*SUKAMAJU_TWICE, "1.06.04.2.01.0001,dilayani,2026-TW2,,Sukamaju,6"]
    )
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by="desa")
    assert str(caught.value) == (
        "realisasi.csv, row 5, column 'desa': the row names the desa 'Sukamaju' but leaves"
        " its kecamatan empty, and there is a desa 'Sukamaju' in kecamatan 'Carita' and"
        " 'Labuan': results by desa cannot tell which it is; fill in its kecamatan"
    )


def test_a_declared_desa_under_another_kecamatan_is_refused(tmp_path: Path) -> None:
    # Sukamaju is declared in Labuan; a row places it in Carita, where results by desa
    # and by kecamatan would disagree about it.
    folder = _office_with_desa(tmp_path, SUKAMAJU_TWICE[1:])
    edit(
        folder,
        "[[visi]]",
        '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n'
        '[[level]]\nid = "desa"\nname = "Desa"\nparent = "kecamatan"\n\n'
        + "".join(
            f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
            for name in ("Labuan", "Carita", "Menes")
        )
        + '[[region]]\nlevel = "desa"\nname = "Sukamaju"\nparent = "Labuan"\n\n'
        '[[region]]\nlevel = "desa"\nname = "Banjarsari"\nparent = "Carita"\n\n[[visi]]',
    )
    with pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by="desa")
    assert str(caught.value) == (
        "realisasi.csv, row 2, column 'desa': the desa 'Sukamaju' stands under kecamatan"
        " 'Carita' in realisasi, where the definitions declare it in kecamatan 'Labuan':"
        " correct the kecamatan of its rows, or its [[region]]"
    )


def test_the_refusal_in_indonesian_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _office_with_desa(tmp_path, [*SUKAMAJU_TWICE, ORPHAN])
    args = ["eval", str(folder), "--data", str(folder), "--period", "2026-TW1", "--by", "desa"]
    status, _out = run("--lang", "id", *args)
    assert status == 1
    error = capsys.readouterr().err
    assert "baris 5" in error and "desa 'Sukamaju' tetapi mengosongkan kecamatan" in error


@pytest.fixture()
def desa_office(tmp_path: Path) -> tuple[Path, str]:
    """The office with two Sukamaju, and its ``iku eval --by desa`` JSON on DuckDB."""
    folder = _office_with_desa(tmp_path, SUKAMAJU_TWICE)
    status, text = run("eval", str(folder), "--data", str(folder), *DESA_ARGV)
    assert status == 0
    rows = json.loads(text, parse_float=Decimal)
    values = {r["region"]: r["value"] for r in rows if r["id"] == "dilayani"}
    assert values == {None: 12, "Banjarsari": 5, "Sukamaju (Carita)": 4, "Sukamaju (Labuan)": 3}
    return folder, text


DESA_ARGV = ["--period", "2026-TW1", "--by", "desa", "--format", "json"]


def test_each_sukamaju_apart_on_postgresql(
    postgres: Postgres, desa_office: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, embedded = desa_office
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = create_database(postgres, "desa")
    load_csv_tables(postgres, load(folder), folder, "public", dbname="desa")
    status, text = run("eval", str(folder), "--source", url, *DESA_ARGV)
    assert status == 0
    assert text == embedded


def test_each_sukamaju_apart_on_spark(spark: Any, desa_office: tuple[Path, str]) -> None:
    folder, embedded = desa_office
    status, text = run("eval", str(folder), "--data", str(folder), "--backend", "spark", *DESA_ARGV)
    assert status == 0
    assert text == embedded


def test_a_declared_puskesmas_reported_in_another_kecamatan_is_refused_by_kecamatan(
    tmp_path: Path,
) -> None:
    # Puskesmas Karanganyar Utara is declared in kecamatan Karanganyar; a row of its
    # November report says Cibening. By kecamatan its 100 births counted in Cibening in
    # silence (by puskesmas the same row was refused): refused both ways now.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "dinkes-contoh-data", data)
    report = data / "laporan_puskesmas.csv"
    text = report.read_text(encoding="utf-8")
    row = "2026-11,Puskesmas Karanganyar Utara,Karanganyar,"
    assert row in text
    report.write_text(text.replace(row, "2026-11,Puskesmas Karanganyar Utara,Cibening,"), "utf-8")
    definitions = ROOT / "definitions" / "dinkes-contoh"
    for by in ("kecamatan", "puskesmas"):
        with pytest.raises(DataError) as caught:
            Engine(definitions, data).evaluate("2026", by=by)
        assert str(caught.value).startswith("laporan_puskesmas.csv, row 9, column 'puskesmas'")
        assert "where the definitions declare it in kecamatan 'Karanganyar'" in str(caught.value)
    assert Engine(definitions, data).evaluate("2026").get("cbr").value is not None
