"""Big numbers: one decimal context of 50 digits everywhere, and sums that every backend
computes exactly for the numbers the data may hold (rupiah budgets of 15 digits and more,
integer cells of 20 digits)."""

from __future__ import annotations

import json
import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import ROOT, edit, office, run

from iku_rules import decimals
from iku_rules.engine import Engine
from iku_rules.evaluator import evaluate
from iku_rules.sources.cells import DataError

BACKENDS = ("duckdb", "sqlite", "python")


def test_a_product_beyond_28_digits_on_the_command_line() -> None:
    status, text = run("formula", "1000000000000 × 1000000000000")
    assert status == 0
    assert text.splitlines()[0] == "1000000000000 × 1000000000000 = 1000000000000000000000000"
    status, data = run("formula", "1000000000000 × 1000000000000 / 3", "--format", "json")
    # 10^24 / 3 to 50 significant digits: 24 threes before the point, 26 after.
    assert json.loads(data)["exact"] == "3" * 24 + "." + "3" * 26


TARGET = "123456789012345678901234"


@pytest.mark.parametrize("kind", ["md", "html", "xlsx"])
def test_a_24_digit_target_lists_and_reports(tmp_path: Path, kind: str) -> None:
    folder = office(tmp_path)
    edit(folder, 'targets = { 2026 = "40" }', f'targets = {{ 2026 = "{TARGET}" }}')
    status, text = run("list", str(folder))
    assert status == 0 and "iku-tertangani" in text
    status, data = run("list", str(folder), "--format", "json")
    assert status == 0
    (listed,) = [row for row in json.loads(data) if row["id"] == "iku-tertangani"]
    assert listed["targets"] == {"2026": int(TARGET)}
    out = tmp_path / f"report.{kind}"
    status, _ = run(
        "report", str(folder), "--data", str(folder), "--period", "2026", "-o", str(out)
    )
    assert status == 0 and out.stat().st_size > 0
    if kind == "md":
        # 60 % of 1.2 × 10^23 is 0.00 % capaian, the target shown with its every digit.
        assert "123,456,789,012,345,678,901,234" in out.read_text(encoding="utf-8")


def budgets(tmp_path: Path) -> Path:
    """The small office whose realisasi reports rupiah budgets of 15 digits and 6 decimals,
    and whose inputs hold a value of 20 digits."""
    folder = office(tmp_path)
    (folder / "realisasi.csv").write_text(
        "kode_sub_kegiatan,indikator,periode,kecamatan,nilai\n"
        "1.06.04.2.01.0003,alat-bantu-orang,2026-TW1,Labuan,987654321098765.432109\n"
        "1.06.04.2.01.0003,alat-bantu-orang,2026-TW2,Labuan,987654321098765.432109\n"
        "1.06.04.2.01.0003,alat-bantu-orang,2026-TW3,Carita,9223372036854.775808\n",
        encoding="utf-8",
    )
    (folder / "inputs.csv").write_text(
        "nama,tahun,nilai\nNilai AKIP,2026,99999999999999999999\n", encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_sums_of_rupiah_budgets_are_exact_on_every_backend(tmp_path: Path, backend: str) -> None:
    folder = budgets(tmp_path)
    evaluation = Engine(folder, folder, backend=backend).evaluate("2026", by="kecamatan")
    # 2 × 987654321098765.432109 + 9223372036854.775808 (just past SQLite's 2^63 / 10^6)
    assert evaluation.get("alat-bantu-orang").value == Decimal("1984532014234385.640026")
    assert evaluation.get("alat-bantu-orang", "Labuan").value == Decimal("1975308642197530.864218")
    # bobot × [Nilai AKIP] + iku-tertangani / 100% = 0.5 × (10^20 − 1) + 60 / 100
    assert evaluation.get("skor").value == Decimal("49999999999999999999.5") + Decimal("0.6")


def test_the_backends_agree_on_big_numbers(tmp_path: Path) -> None:
    folder = budgets(tmp_path)
    rows = {
        backend: Engine(folder, folder, backend=backend).evaluate("2026", by="kecamatan").rows()
        for backend in BACKENDS
    }
    assert rows["duckdb"] == rows["python"] == rows["sqlite"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_20_digit_integer_cell_is_summed_exactly(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path)
    edit(
        folder,
        'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date" }',
        'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date",'
        ' bantuan = "integer" }',
    )
    edit(
        folder,
        "[[input]]",
        '[[measure]]\nname = "Bantuan"\nsource = "register_pmks"\naggregate = "sum"\n'
        'column = "bantuan"\n\n[[input]]',
    )
    edit(
        folder,
        "[[program]]",
        '  [[sasaran.indikator]]\n  id = "bantuan-total"\n  name = "Bantuan"\n  unit = "Nilai"\n'
        '  formula = "Bantuan"\n\n[[program]]',
    )
    lines = (folder / "register_pmks.csv").read_text(encoding="utf-8").splitlines()
    cells = ["99999999999999999999", "-12345678901234567890", "5"]
    lines = [lines[0] + ",bantuan"] + [
        f"{line},{cells[index % 3]}" for index, line in enumerate(lines[1:])
    ]
    (folder / "register_pmks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    value = Engine(folder, folder, backend=backend).evaluate("2026").get("bantuan-total").value
    # The five people registered by the end of 2026 (the sixth comes in 2027):
    # 2 × 99999999999999999999 − 2 × 12345678901234567890 + 5, beyond 2^63.
    assert value == Decimal("175308642197530864223")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_number_too_large_for_the_engines_is_refused_with_its_place(
    tmp_path: Path, backend: str
) -> None:
    folder = budgets(tmp_path)
    (folder / "inputs.csv").write_text(
        "nama,tahun,nilai\nNilai AKIP,2026,100000000000000000000\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as raised:
        Engine(folder, folder, backend=backend).evaluate("2026")
    assert str(raised.value) == (
        "inputs.csv, row 2, column 'nilai': '100000000000000000000' has more than 20 digits"
        " before the decimal point; no register holds numbers that large"
    )


def test_a_thread_computes_with_the_package_context() -> None:
    """A new thread starts with Python's 28-digit default context; the package's
    arithmetic does not depend on it."""
    results: list[object] = []

    def work() -> None:
        results.append(evaluate("a × b / 7", {"a": 10**20, "b": 10**20}).value)
        results.append(decimals.total([Decimal("1E+30"), Decimal("1")]))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results[0] == decimals.CONTEXT.divide(Decimal(10**40), 7)
    assert results[1] == Decimal(10**30 + 1)


PACKAGE = ROOT / "iku_rules"
CONTEXT_USE = re.compile(r"localcontext\(|getcontext\(|setcontext\(|\bContext\(|\.quantize\(")


def test_one_decimal_context_for_the_package() -> None:
    """Only the decimals module makes a context or rounds; the evaluator (whose generated
    code quantizes in that context) and the bounds (outward rounding of intervals, from
    the same precision) are the named exceptions."""
    allowed = {
        "decimals.py",
        "evaluator/entry.py",
        "evaluator/functions.py",
        "bounds.py",
        "intervals.py",
    }
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).as_posix() not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CONTEXT_USE.search(line)
    ]
    assert found == []
