"""A row that leaves a measure's column empty is never dropped in silence: a
``count_distinct`` measure over such rows is *not available*, with the reason and the fix,
unless the measure says how they count (``missing = "count_each"`` or ``"skip"``), as a
``sum`` over a column with empty cells always was.

The office is the small one of tests/fixtures/mini, with ...05's NIK left empty (row 6 of
the register: Carita, registered 2026-12-31). PMKS registered by the end of 2026: ...01 to
...05, five rows, four NIKs; tertangani in 2026: ...01, ...02, ...04. Counting the NIKs
written, the IKU read 3 of 4, 75 % (capaian 187,5 against the target 40), where the office
registered five PMKS: 3 of 5, 60 %.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import BACKEND_IDS, BACKENDS, edit, office, read_in_place, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import MISSING_VALUES, code_of

PMKS = """[[measure]]
name = "PMKS"
source = "register_pmks"
aggregate = "count_distinct"
column = "nik"
"""


def without_nik(tmp_path: Path, missing: str | None = None) -> Path:
    folder = office(tmp_path)
    register = folder / "register_pmks.csv"
    text = register.read_text(encoding="utf-8")
    old = "3601000000000005,Carita,Penyandang Disabilitas"
    assert old in text
    register.write_text(text.replace(old, ",Carita,Penyandang Disabilitas"), encoding="utf-8")
    if missing is not None:
        edit(folder, PMKS, PMKS + f'missing = "{missing}"\n')
    return folder


def evaluate(
    folder: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch, by: str | None
) -> dict[tuple[str, str | None], object]:
    """Each indicator's value (or NotAvailable) of 2026, by indicator and region."""
    read_in_place(monkeypatch, in_place)
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        evaluation = engine.evaluate("2026", by=by)
    return {
        (result.indicator.id, result.region): (
            result.value if result.value is not None else result.reason
        )
        for result in evaluation.results
    }


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_pmks_without_a_nik_makes_the_count_not_available(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = evaluate(without_nik(tmp_path), backend, in_place, monkeypatch, None)
    reason = found[("iku-tertangani", None)]
    assert isinstance(reason, str)
    assert code_of(reason) == MISSING_VALUES
    assert "1 of 5 rows of register_pmks have no nik in 2026" in reason
    assert 'missing = "count_each"' in reason
    # the rest of the cascade goes on: anak terlantar counts rows, 2 of 5
    assert found[("anak-share", None)] == Decimal("40")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_count_each_counts_the_row_without_a_nik_as_one_person(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = without_nik(tmp_path, "count_each")
    found = evaluate(folder, backend, in_place, monkeypatch, "kecamatan")
    assert found[("iku-tertangani", None)] == Decimal("60")  # 3 of 4 NIKs + 1 row: 3 / 5
    assert found[("iku-tertangani", "Carita")] == Decimal("50")  # ...04 of ...04 and the row
    # Labuan: ...01, ...02 of ...01, ...02, ...03: 2 / 3
    labuan = found[("iku-tertangani", "Labuan")]
    assert isinstance(labuan, Decimal) and round(labuan, 2) == Decimal("66.67")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_skip_leaves_the_row_out_as_the_office_declared(
    tmp_path: Path, backend: str, in_place: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = without_nik(tmp_path, "skip")
    found = evaluate(folder, backend, in_place, monkeypatch, None)
    assert found[("iku-tertangani", None)] == Decimal("75")  # 3 of the 4 NIKs written


def test_the_explanation_says_how_the_row_without_a_nik_counted(tmp_path: Path) -> None:
    folder = without_nik(tmp_path, "count_each")
    with use_language("en"), Engine(folder, folder) as engine:
        text = engine.evaluate("2026").explain("iku-tertangani").text()
    assert "5 rows in the period, 5 pass the filter, 4 distinct nik," in text
    assert "1 without nik, each counted as one" in text


def test_the_cli_gives_the_reason_in_indonesian(tmp_path: Path) -> None:
    folder = without_nik(tmp_path)
    status, out = run(
        "--lang", "id", "eval", str(folder), "--data", str(folder), "--period", "2026"
    )
    assert status == 0  # the other indicators are given; this one says why it is not
    assert "1 dari 5 baris register_pmks tidak memiliki nik pada 2026" in out


BANTUAN = """
[[measure]]
name = "Bantuan"
source = "register_pmks"
aggregate = "sum"
column = "bantuan"
"""


@pytest.mark.parametrize("missing", [None, "skip"])
@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_sum_over_empty_cells_is_not_available_unless_they_are_skipped(
    tmp_path: Path,
    backend: str,
    in_place: bool,
    missing: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = office(tmp_path)
    register = folder / "register_pmks.csv"
    rows = register.read_text(encoding="utf-8").splitlines()
    amounts = ["bantuan", "100", "200", "", "50", "25", "10"]
    register.write_text(
        "\n".join(f"{row},{amount}" for row, amount in zip(rows, amounts, strict=True)) + "\n",
        encoding="utf-8",
    )
    edit(
        folder,
        'kategori = "text", tanggal = "date" }',
        'kategori = "text", tanggal = "date", bantuan = "decimal" }',
    )
    measure = BANTUAN + (f'missing = "{missing}"\n' if missing else "")
    edit(folder, "[[input]]", measure + "\n[[input]]")
    edit(
        folder,
        '  formula = "PMKS tertangani - sebelumnya(PMKS tertangani)"\n',
        '  formula = "PMKS tertangani - sebelumnya(PMKS tertangani)"\n\n'
        '  [[sasaran.indikator]]\n  id = "total-bantuan"\n  name = "Total bantuan"\n  unit = "Nilai"\n'
        '  formula = "Σ Bantuan"\n',
    )
    found = evaluate(folder, backend, in_place, monkeypatch, None)[("total-bantuan", None)]
    if missing is None:
        assert isinstance(found, str)
        assert code_of(found) == MISSING_VALUES
        assert "1 of 5 rows of register_pmks have no bantuan in 2026" in found
    else:
        assert found == Decimal("375")  # 100 + 200 + 50 + 25, ...03's empty cell left out
