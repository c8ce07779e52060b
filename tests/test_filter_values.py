"""A cell that differs from the text a filter compares its column with only in case or
spacing (``Anak Terlantar `` for ``"Anak Terlantar"``) is refused at its row and column,
on every backend: the filter compares text exactly, so the row would pass where it should
not, or not where it should, in silence.

The office is the small one of tests/fixtures/mini: PMKS registered by the end of 2026 are
the NIK ...01 to ...05, two of them (...01, ...04) Anak Terlantar; the services of 2026
under sub kegiatan 0003 or 0001 went to ...01, ...02 and ...04 (...05 had one of
1.06.02.2.03.0001): 3 of 5 tertangani, 60 %; anak terlantar 2 of 5, 40 %.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, edit, office, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError
from iku_rules.sources.sql_backend import SqlBackend


def rewrite(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def values(
    folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Decimal | None] | str:
    """The value of each indicator of 2026, or the evaluation's refusal in English."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                evaluation = engine.evaluate("2026")
        except DataError as error:
            return str(error)
    return {result.indicator.id: result.value for result in evaluation.results}


def refusal(column: str, values: str, text: str, measure: str) -> str:
    return (
        f"the column '{column}' holds {values}, written otherwise than \"{text}\" in the filter"
        f" of measure '{measure}' only in letter case or spacing; the filter compares text"
        " exactly, so its rows would be counted wrongly. Write it exactly as the filter does,"
        " or change the filter"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_small_office_passes_as_it_is(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = values(office(tmp_path), backend, in_place, monkeypatch)
    assert not isinstance(found, str), found
    # 3 of 5 tertangani; 2 of 5 anak terlantar
    assert found["iku-tertangani"] == Decimal("60")
    assert found["anak-share"] == Decimal("40")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_code_with_a_space_after_it_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    # ...04's only service of 2026 (row 5): counted, 60 % would read 2 of 5, 40 %
    rewrite(
        folder,
        "layanan.csv",
        "04,1.06.04.2.01.0003,Carita,2026-07-01",
        "04,1.06.04.2.01.0003 ,Carita,2026-07-01",
    )
    assert values(folder, backend, in_place, monkeypatch) == (
        "layanan.csv, row 5, column 'kode_sub_kegiatan': "
        + refusal(
            "kode_sub_kegiatan", "'1.06.04.2.01.0003 '", "1.06.04.2.01.0003", "PMKS tertangani"
        )
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_category_in_capitals_is_refused_in_a_formula_s_filter(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    # ...04 (row 5) in capitals: anak terlantar would read 1 of 5, 20 %, where it is 40 %
    rewrite(folder, "register_pmks.csv", "Carita,Anak Terlantar", "Carita,ANAK TERLANTAR")
    found = values(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("register_pmks.csv, row 5, column 'kategori': ")
    assert "'ANAK TERLANTAR'" in found and '"Anak Terlantar"' in found


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_category_padded_with_nul_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    # ...04 (row 5) padded with NUL, as a fixed-width export leaves it: printed it reads
    # Anak Terlantar, but the filter would not count it: 1 of 5, 20 %, where it is 40 %
    rewrite(folder, "register_pmks.csv", "Carita,Anak Terlantar", "Carita,Anak Terlantar\x00\x00")
    found = values(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("register_pmks.csv, row 5, column 'kategori': ")
    assert "'Anak Terlantar\\x00\\x00'" in found and '"Anak Terlantar"' in found


KATEGORI_LAST = (
    "nik,kecamatan,tanggal,kategori\n"
    "3601000000000001,Labuan,2025-03-01,Anak Terlantar\n"
    "3601000000000002,Labuan,2025-05-01,Fakir Miskin\n"
    "3601000000000003,Labuan,2026-02-01,Fakir Miskin\n"
    "3601000000000005,Carita,2026-12-31,Penyandang Disabilitas\n"
    "3601000000000006,Menes,2027-01-02,Fakir Miskin\n"
    "3601000000000004,Carita,2026-03-15,Anak Terlantar\x1a"
)
"""The register, its category last and ...04 last, with the Ctrl-Z (0x1A) an old program
writes at the end of a file stuck to it."""

CTRL_Z_REFUSAL = (
    "register_pmks.csv, row 7, column 'kategori': the column 'kategori' holds"
    " 'Anak Terlantar\\x1a', written otherwise than \"Anak Terlantar\" in the filter of"
    " measure 'Σ register_pmks[kategori = \"Anak Terlantar\"]': it holds the invisible"
    " character Ctrl-Z (0x1A), the end-of-file mark some old programs write, which does not"
    " show; the filter compares text exactly, so its rows would be counted wrongly. Delete the"
    " character (in a text editor) so that the value is written exactly as the filter does,"
    " or change the filter"
)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_ctrl_z_stuck_to_a_filtered_text_is_named(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    (folder / "register_pmks.csv").write_text(KATEGORI_LAST, encoding="utf-8")
    # ...04 (row 7) would not pass the filter: anak terlantar 1 of 5, 20 %, where it is 40 %;
    # it was refused as differing "only in letter case or spacing", which it does not
    assert values(folder, backend, in_place, monkeypatch) == CTRL_Z_REFUSAL


def test_the_cli_names_a_ctrl_z_stuck_to_a_filtered_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office(tmp_path)
    (folder / "register_pmks.csv").write_text(KATEGORI_LAST, encoding="utf-8")
    arguments = ("eval", str(folder), "--data", str(folder), "--period", "2026", "--no-cache")
    assert run("--lang", "en", *arguments) == (1, "")
    assert capsys.readouterr().err.strip() == "iku: " + CTRL_Z_REFUSAL
    assert run("--lang", "id", *arguments) == (1, "")
    said = capsys.readouterr().err
    assert "register_pmks.csv, baris 7, kolom 'kategori'" in said
    assert "hanya pada huruf besar/kecil atau spasi" not in said


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_flattering_pass_through_not_in_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        """filter = 'kode_sub_kegiatan in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")'""",
        """filter = 'kode_sub_kegiatan not in ("1.06.02.2.03.0001")'""",
    )
    before = values(folder, backend, in_place, monkeypatch)
    assert not isinstance(before, str), before
    assert before["iku-tertangani"] == Decimal("60")  # ...01, ...02, ...04 of 5
    # ...05's service of 1.06.02.2.03.0001 (row 7) written with two spaces inside: it would
    # pass the filter, 4 of 5 tertangani, 80 % (capaian 200) where it is 3 of 5, 60 %
    rewrite(folder, "layanan.csv", "1.06.02.2.03.0001,Carita", "1.06.02.2.03.0001\u00a0,Carita")
    found = values(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str)
    assert found.startswith("layanan.csv, row 7, column 'kode_sub_kegiatan': ")
    assert "'1.06.02.2.03.0001\\xa0'" in found


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_other_texts_and_other_columns_stay_as_written(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = office(tmp_path)
    # a category no filter names, and one that only begins like the filter's text
    rewrite(folder, "register_pmks.csv", "02,Labuan,Fakir Miskin", "02,Labuan,Fakir Miskin ")
    rewrite(folder, "register_pmks.csv", "03,Labuan,Fakir Miskin", "03,Labuan,Anak")
    found = values(folder, backend, in_place, monkeypatch)
    assert not isinstance(found, str), found
    assert found["iku-tertangani"] == Decimal("60")  # 3 of 5, as before
    assert found["anak-share"] == Decimal("40")  # 'Anak' is not Anak Terlantar: 2 of 5


def test_duckdb_gathers_the_filtered_values_in_its_validating_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No statement more: the file read in place is read once for its checks."""
    folder = office(tmp_path)
    rewrite(folder, "register_pmks.csv", "Carita,Anak Terlantar", "Carita,anak terlantar")

    def asked(*_args: object) -> list[str]:
        raise AssertionError("a statement of its own for a column's distinct values")

    monkeypatch.setattr(SqlBackend, "distinct", asked)
    found = values(folder, "duckdb", True, monkeypatch)
    assert isinstance(found, str) and "'anak terlantar'" in found


def test_the_cli_says_it_in_indonesian(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = office(tmp_path)
    rewrite(folder, "register_pmks.csv", "Carita,Anak Terlantar", "Carita,Anak Terlantar ")
    code, _out = run("--lang", "id", "eval", str(folder), "--data", str(folder), "--period", "2026")
    out = capsys.readouterr().err
    assert code != 0
    assert "register_pmks.csv, baris 5, kolom 'kategori'" in out
    assert "'Anak Terlantar '" in out and "hanya pada huruf besar/kecil atau spasi" in out


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_code_without_its_leading_zero_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The categories kept as codes, exported from a sheet that held them as numbers: the
    filter's "01" is 1 in every row, and nothing would pass it."""
    folder = office(tmp_path)
    rewrite(folder, "register_pmks.csv", "Anak Terlantar", "1")
    rewrite(folder, "register_pmks.csv", "Fakir Miskin", "2")
    edit(folder, 'register_pmks[kategori = "Anak Terlantar"]', 'register_pmks[kategori = "01"]')
    # ...01 (row 2) and ...04 are Anak Terlantar: 2 of 5, 40 %; the filter on "01" would
    # read 0 of 5, 0 %, where the codes were written with their zero
    found = values(folder, backend, in_place, monkeypatch)
    assert isinstance(found, str), found
    assert found.startswith("register_pmks.csv, row 2, column 'kategori': ")
    assert "holds '1', written otherwise than \"01\"" in found
    assert "only in its leading zeros" in found
    rewrite(folder, "register_pmks.csv", ",1,", ",01,")  # the codes written with their zero
    found = values(folder, backend, in_place, monkeypatch)
    assert not isinstance(found, str), found
    assert found["anak-share"] == Decimal("40")
