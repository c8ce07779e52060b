"""A row that leaves empty the column placing it (its date or period, the indicator or input
it is of) would count nowhere, in silence: every backend refuses it at its row and column.

The office is the small one of tests/fixtures/mini: PMKS registered by the end of 2026 are
the NIK ...01 to ...05, and the services of 2026 under sub kegiatan 0003 or 0001 went to
...01, ...02 and ...04: 3 of 5 tertangani, 60 %.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, add_row, office, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.sources.cells import DataError


def evaluate(folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The evaluation's refusal, in English, or ``ok``."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"):
        try:
            with Engine(folder, folder, backend=backend) as engine:
                engine.evaluate("2026")
        except DataError as error:
            return str(error)
    return "ok"


PERIOD = (
    "the row leaves '{column}' empty, so it would count in no period; fill it in, or delete"
    " the row if it is not a row of the table"
)

CASES = {
    "a registered person without a date": (
        "register_pmks.csv",
        "3601000000000009,Labuan,Fakir Miskin,",
        "register_pmks.csv, row 8, column 'tanggal': " + PERIOD.format(column="tanggal"),
    ),
    "a service whose date is only spaces": (
        "layanan.csv",
        "3601000000000003,1.06.04.2.01.0001,Labuan,   ",
        "layanan.csv, row 8, column 'tanggal': " + PERIOD.format(column="tanggal"),
    ),
    "a realisasi row without its indicator": (
        "realisasi.csv",
        "1.06.04.2.01.0003,,2026-TW4,Labuan,3",
        "realisasi.csv, row 6, column 'indikator': the row leaves 'indikator' empty, so its"
        " nilai would count for no indicator; write the indicator's id, or delete the row if"
        " it is not a row of the table",
    ),
    "a realisasi row without its triwulan": (
        "realisasi.csv",
        "1.06.04.2.01.0003,alat-bantu-orang,,Labuan,3",
        "realisasi.csv, row 6, column 'periode': " + PERIOD.format(column="periode"),
    ),
    "an input without its name": (
        "inputs.csv",
        ",2026,80",
        "inputs.csv, row 4, column 'nama': the row leaves 'nama' empty, so its nilai would"
        " count for no input; write the input's name, or delete the row if it is not a row"
        " of the table",
    ),
    "an input without its year": (
        "inputs.csv",
        "Nilai AKIP,,80",
        "inputs.csv, row 4, column 'tahun': " + PERIOD.format(column="tahun"),
    ),
}


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
@pytest.mark.parametrize("case", CASES)
def test_a_row_placed_nowhere_is_refused_at_its_row(
    case: str, backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, row, message = CASES[case]
    folder = office(tmp_path)
    add_row(folder, file, row)
    assert evaluate(folder, backend, in_place, monkeypatch) == message


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_checks_pass_a_file_whose_keys_are_all_filled(
    backend: str, in_place: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other empty cells stay allowed: a service without its kecamatan counts for the
    kabupaten; a realisasi row without nilai makes its indicator not available."""
    folder = office(tmp_path)
    add_row(folder, "layanan.csv", "3601000000000003,1.06.04.2.01.0001,,2026-05-01")
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0003,alat-bantu-orang,2026-TW4,Labuan,")
    assert evaluate(folder, backend, in_place, monkeypatch) == "ok"


def test_the_flattering_capaian_it_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, the PMKS registered without a date counted in no period: 3 tertangani of the
    5 dated PMKS, 60 % (capaian 60 / 40 × 100 = 150), where the register holds 6 PMKS
    (3 / 6 = 50 %). Now `iku eval` says which row to fill, with status 1."""
    folder = office(tmp_path)
    status, _ = run("eval", str(folder), "--data", str(folder), "--period", "2026")
    assert status == 0
    add_row(folder, "register_pmks.csv", "3601000000000009,Carita,Fakir Miskin,")
    capsys.readouterr()
    status, _ = run("--lang", "en", "eval", str(folder), "--data", str(folder), "--period", "2026")
    assert status == 1
    assert capsys.readouterr().err.startswith(
        "iku: register_pmks.csv, row 8, column 'tanggal': the row leaves 'tanggal' empty"
    )
    # the row dated: 3 of 6
    path = folder / "register_pmks.csv"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "2026-03-01\n", "utf-8")
    with Engine(folder, folder) as engine:
        result = engine.evaluate("2026").get("iku-tertangani")
    assert result.value == Decimal(50)
