"""The ``kode_sub_kegiatan`` of a realisasi row is its indicator's: a code the definitions
give the indicator's element or an element under it, or a dotted code under one of their
codes, in any spelling of its zeros. Any other (a code the definitions do not declare, or
do not give that indicator) is refused at its file, row and column, on every backend; so is
a row of an indicator of a sub kegiatan under a second spelling of its code in one key.

The office is tests/fixtures/mini with ``dilayani`` under sub kegiatan
``1.06.04.2.01.0001`` (:func:`test_report_numbers._office`, rows coded ``1.06.04.2.01.0001``
unless rewritten) and, where said, ``rehab-orang`` under kegiatan ``1.06.04.2.01`` (its sub
kegiatan ``1.06.04.2.01.0001`` and ``1.06.04.2.01.0003`` declared).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, edit, read_in_place, run
from test_audit_pasted import KEGIATAN_INDICATOR
from test_report_numbers import _indicator, _office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sample import generate
from iku_rules.sources.cells import DataError

CODE = "1.06.04.2.01.0001"
ROOT = Path(__file__).resolve().parent.parent
PANDEGLANG = ROOT / "definitions" / "dinsos-pandeglang"


def _dilayani(tmp_path: Path, rows: list[str]) -> Path:
    """The office with ``dilayani`` (Orang, target 10 in 2026) and ``rows`` of realisasi.csv
    written whole (their code first)."""
    folder = _office(tmp_path, _indicator("dilayani", "Orang", '2026 = "10"'), [])
    for row in rows:
        add_row(folder, "realisasi.csv", row)
    return folder


def _refusal(folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    read_in_place(monkeypatch, in_place)
    with use_language("en"), pytest.raises(DataError) as caught:
        Engine(folder, folder, backend=backend).evaluate("2026")
    return str(caught.value)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("code", ["1.06.04.2.01.0002", "ZZZ"])
def test_a_row_coded_for_a_sub_kegiatan_the_definitions_do_not_declare_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    # dilayani's Labuan 3, and Labuan 4 under a code the definitions do not declare: added
    # up as one more sub kegiatan, 2026 read 3 + 4 = 7 of a target of 10 (capaian 70,00)
    # where dilayani's own row holds 3 (30,00).
    folder = _dilayani(
        tmp_path, [f"{CODE},dilayani,2026-TW1,Labuan,3", f"{code},dilayani,2026-TW1,Labuan,4"]
    )
    rows = len((folder / "realisasi.csv").read_text(encoding="utf-8").splitlines())
    assert _refusal(folder, backend, in_place, monkeypatch) == (
        f"realisasi.csv, row {rows}, column 'kode_sub_kegiatan': the row of indicator"
        f" 'dilayani' is coded '{code}', a code the definitions do not give Sub Kegiatan"
        f" 'Penyediaan Permakanan' ('{CODE}') or anything under it, so its nilai would be"
        " added to the indicator's as that of one more sub kegiatan; write the code"
        f" '{CODE}', or, if the row is another's, its indikator"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_kegiatan_indicator_adds_up_the_codes_under_it_in_any_spelling(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _dilayani(
        tmp_path,
        [
            "1.06.04.2.01.0003,rehab-orang,2026-TW1,Labuan,3",  # a declared sub kegiatan
            "1.06.04.02.01.0009,rehab-orang,2026-TW1,Labuan,2",  # undeclared, zeros padded
            f"{CODE},rehab-orang,2026-TW1,Carita,4",
            "1.06.04.2.01,rehab-orang,2026-TW1,Menes,1",  # the kegiatan's own code
        ],
    )
    kegiatan = 'name = "Rehabilitasi Sosial Dasar"\nparent = "1.06.04"\n'
    edit(folder, kegiatan, kegiatan + KEGIATAN_INDICATOR)
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate("2026-TW1", by="kecamatan")
    assert evaluation.get("rehab-orang", "Labuan").value == Decimal(5)  # 3 + 2
    assert evaluation.get("rehab-orang", None).value == Decimal(10)  # 3 + 2 + 4 + 1


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_kegiatan_indicator_refuses_a_code_under_another_kegiatan(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1.06.04.2.02.0001 is under kegiatan 1.06.04.2.02, not 1.06.04.2.01: 3 + 5 = 8 before.
    folder = _dilayani(
        tmp_path,
        [
            "1.06.04.2.01.0003,rehab-orang,2026-TW1,Labuan,3",
            "1.06.04.2.02.0001,rehab-orang,2026-TW1,Labuan,5",
        ],
    )
    kegiatan = 'name = "Rehabilitasi Sosial Dasar"\nparent = "1.06.04"\n'
    edit(folder, kegiatan, kegiatan + KEGIATAN_INDICATOR)
    assert _refusal(folder, backend, in_place, monkeypatch).startswith(
        "realisasi.csv, row 7, column 'kode_sub_kegiatan': the row of indicator 'rehab-orang'"
        " is coded '1.06.04.2.02.0001', a code the definitions do not give Kegiatan"
        " 'Rehabilitasi Sosial Dasar' ('1.06.04.2.01') or anything under it"
    )


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_sub_kegiatan_row_coded_with_its_zeros_padded_is_its_own(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1.06.04.02.01.0001 is 1.06.04.2.01.0001 written with the kegiatan's zero: Carita's 4
    # is dilayani's, as Labuan's 3 is: 2026 reads 7.
    folder = _dilayani(
        tmp_path,
        [f"{CODE},dilayani,2026-TW1,Labuan,3", "1.06.04.02.01.0001,dilayani,2026-TW1,Carita,4"],
    )
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        assert engine.evaluate("2026").get("dilayani", None).value == Decimal(7)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_sub_kegiatan_row_under_two_spellings_of_its_code_in_one_key_is_refused(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Labuan's 3 of TW1 written again under the padded spelling of the same code: two codes
    # of one key, added up as two sub kegiatan, 3 + 3 = 6 of a target of 10 (capaian 60,00)
    # where dilayani holds 3 (30,00).
    folder = _dilayani(
        tmp_path,
        [
            f"{CODE},dilayani,2026-TW1,Labuan,3",
            "1.06.04.02.01.0001,dilayani,2026-TW1,Labuan,3",
            "1.06.04.02.01.0001,dilayani,2026-TW2,Labuan,5",  # another key: read
        ],
    )
    assert _refusal(folder, backend, in_place, monkeypatch) == (
        "realisasi.csv, row 7, column 'kode_sub_kegiatan': the rows of indicator 'dilayani'"
        f" for periode 2026-TW1, kecamatan Labuan are coded both '{CODE}' and"
        " '1.06.04.02.01.0001', but 'dilayani' is an indicator of Sub Kegiatan 'Penyediaan Permakanan',"
        " whose rows have one code: their nilai would be added up as two sub kegiatan; keep"
        f" one of the rows, coded '{CODE}'"
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate(load(PANDEGLANG), folder, people=600, seed=2026)
    return folder


def test_the_sample_data_with_a_row_pasted_under_the_2020_code_is_refused(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Penyediaan Sandang is declared by its id 1.06.06-penyediaan-sandang; its 2020 code
    # 1.06.06.2.01.0002 is only in a note. Angsana's row of 2026-TW1 pasted again under
    # that code was added to the indicator as one more sub kegiatan.
    data = tmp_path / "data"
    shutil.copytree(sample, data)
    indicator = "1.06.06-penyediaan-sandang-orang"
    status, _out = run("--lang", "en", "eval", str(PANDEGLANG), "--data", str(data),
                       "--period", "2026", "--format", "json", "--no-cache")  # fmt: skip
    assert status == 0  # the sample data as made is read
    lines = (data / "realisasi.csv").read_text(encoding="utf-8").splitlines()
    add_row(data, "realisasi.csv", f"1.06.06.2.01.0002,{indicator},2026-TW1,Angsana,61")
    status, _out = run("--lang", "en", "eval", str(PANDEGLANG), "--data", str(data),
                       "--period", "2026", "--no-cache")  # fmt: skip
    assert status != 0
    assert (
        f"realisasi.csv, row {len(lines) + 1}, column 'kode_sub_kegiatan': the row of"
        f" indicator '{indicator}' is coded '1.06.06.2.01.0002', a code the definitions do"
        " not give Sub Kegiatan 'Penyediaan Sandang' ('1.06.06-penyediaan-sandang')"
    ) in capsys.readouterr().err
