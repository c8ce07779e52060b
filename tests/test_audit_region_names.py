"""Region names as offices type them, where the office declares no regions of the level:
the names in the data are then the regions, and one written two ways was two regions, each
with part of the rows, in silence. ``Kec. Labuan`` beside ``Labuan`` (the level's word
before the name), ``Ds. Cikole`` beside ``Cikole``, ``Sukamaju-Kaler`` beside ``Sukamaju
Kaler``, ``Suka Maju`` beside ``Sukamaju``: each is refused at its row, as ``LABUAN`` beside
``Labuan`` already was.

The office is tests/fixtures/mini (no [[level]] declared), its realisasi table given a
``desa`` column; Pandeglang's kind (kecamatan declared, desa not) is made by declaring
kecamatan.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import edit, office, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError

REALISASI = (
    'path = "realisasi.csv"\nregion_column = "kecamatan"\ncolumns = { kode_sub_kegiatan ='
    ' "text", indikator = "text", periode = "text", kecamatan = "text", nilai = "decimal" }'
)
WITH_DESA = (
    'path = "realisasi.csv"\nregions = { kecamatan = "kecamatan", desa = "desa" }\ncolumns ='
    ' { kode_sub_kegiatan = "text", indikator = "text", periode = "text", kecamatan = "text",'
    ' desa = "text", nilai = "decimal" }'
)
KECAMATAN = "".join(
    f'[[region]]\nlevel = "kecamatan"\nname = "{name}"\n\n'
    for name in ("Labuan", "Carita", "Menes")
)
LEVELS = (
    '[[level]]\nid = "kecamatan"\nname = "Kecamatan"\n\n'
    '[[level]]\nid = "desa"\nname = "Desa/Kelurahan"\nparent = "kecamatan"\n\n'
)


def _office(tmp_path: Path, rows: list[str], *, declare_kecamatan: bool = False) -> Path:
    """The small office, its realisasi table with a ``desa`` column and only ``rows``."""
    folder = office(tmp_path)
    edit(folder, REALISASI, WITH_DESA)
    if declare_kecamatan:
        edit(folder, "[[visi]]", LEVELS + KECAMATAN + "[[visi]]")
    header = "kode_sub_kegiatan,indikator,periode,kecamatan,desa,nilai\n"
    (folder / "realisasi.csv").write_text(header + "".join(f"{r}\n" for r in rows), "utf-8")
    return folder


def _refusal(folder: Path, by: str) -> str:
    """The message evaluating 2026-TW1 by ``by`` stops with, in English."""
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder).evaluate("2026-TW1", by=by)
    return str(caught.value)


ALAT = "alat-bantu-orang"
ROW = "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,{kecamatan},{desa},{nilai}"


def test_a_kecamatan_written_with_its_level_word_is_refused(tmp_path: Path) -> None:
    # Labuan reported 3 (row 2) and 4 (row 3, as "Kec. Labuan"): Labuan's realisasi is
    # 3 + 4 = 7. By kecamatan it read Labuan 3 and another kecamatan "Kec. Labuan" 4, in
    # silence; the kabupaten's 3 + 4 + 5 = 12 was right, Labuan's half of it.
    folder = _office(
        tmp_path,
        [
            ROW.format(kecamatan="Labuan", desa="Cikole", nilai=3),
            ROW.format(kecamatan="Kec. Labuan", desa="Cikole", nilai=4),
            ROW.format(kecamatan="Carita", desa="Sukasari", nilai=5),
        ],
    )
    assert _refusal(folder, "kecamatan").startswith(
        "realisasi.csv, row 3, column 'kecamatan': the column 'kecamatan' writes one"
        " kecamatan in several ways ('Labuan', 'Kec. Labuan'), which would count as"
        " different regions; write it one way"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Cikole", "Ds. Cikole"),
        ("Cikole", "Desa Cikole"),
        ("Cikole", "Kel.Cikole"),
        ("Sukamaju Kaler", "Sukamaju-Kaler"),
        ("Sukamaju", "Suka Maju"),
    ],
)
def test_a_desa_written_two_ways_under_declared_kecamatan_is_refused(
    tmp_path: Path, first: str, second: str
) -> None:
    # Pandeglang's kind: kecamatan declared, desa taken as the data write them. One desa
    # of Labuan reported 3 (row 2) and 4 (row 3, written otherwise): its realisasi is 7.
    # By desa it read two desa of 3 and 4, in silence (Labuan's 7 and the kabupaten's 12
    # were right).
    folder = _office(
        tmp_path,
        [
            ROW.format(kecamatan="Labuan", desa=first, nilai=3),
            ROW.format(kecamatan="Labuan", desa=second, nilai=4),
            ROW.format(kecamatan="Carita", desa="Sukasari", nilai=5),
        ],
        declare_kecamatan=True,
    )
    text = _refusal(folder, "desa")
    assert "column 'desa': the column 'desa' writes one desa in several ways (" in text
    assert f"'{first}'" in text and f"'{second}'" in text


def test_distinct_desa_stay_apart(tmp_path: Path) -> None:
    # Names that differ in more than the level's word, spacing or hyphens are two desa:
    # Cikole 3, Cikoneng 4, Desa (a desa of that one word) 5, the kabupaten 12.
    folder = _office(
        tmp_path,
        [
            ROW.format(kecamatan="Labuan", desa="Cikole", nilai=3),
            ROW.format(kecamatan="Labuan", desa="Cikoneng", nilai=4),
            ROW.format(kecamatan="Carita", desa="Desa", nilai=5),
        ],
        declare_kecamatan=True,
    )
    status, text = run(
        "--lang", "en", "eval", str(folder), "--data", str(folder), "--period", "2026-TW1",
        "--by", "desa", "--format", "csv",
    )  # fmt: skip
    assert status == 0, text
    found = {r["region"]: r["value"] for r in csv.DictReader(io.StringIO(text)) if r["id"] == ALAT}
    assert found == {
        "": "12",
        "Cikole": "3",
        "Cikoneng": "4",
        "Desa": "5",
    }


def test_a_kecamatan_written_by_its_code_beside_names_is_refused(tmp_path: Path) -> None:
    # Labuan reported 3 (row 2) and 4 (row 3, written by its BPS code 36.01.010): Labuan's
    # realisasi is 7. By kecamatan it read Labuan 3 and a kecamatan "36.01.010" of 4, in
    # silence.
    folder = _office(
        tmp_path,
        [
            ROW.format(kecamatan="Labuan", desa="Cikole", nilai=3),
            ROW.format(kecamatan="36.01.010", desa="Cikole", nilai=4),
            ROW.format(kecamatan="Carita", desa="Sukasari", nilai=5),
        ],
    )
    assert _refusal(folder, "kecamatan").startswith(
        "realisasi.csv, row 3, column 'kecamatan': the column 'kecamatan' writes the"
        " kecamatan '36.01.010' without a name, where other rows name their kecamatan"
    )
