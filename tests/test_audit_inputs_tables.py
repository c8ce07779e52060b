"""Two inputs tables that both give one name for one year: two rows of it, never the
value of whichever table is read last.

The small office (``tests/fixtures/mini``) reads Nilai AKIP from ``inputs.csv``: 75.6 in
2025, 76.05 in 2026. A second inputs table, ``inputs2.csv``, gives it 80 for 2026.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.reasons import code_of

BACKENDS = ["python", "sqlite", "duckdb"]

SECOND = """
[[source]]
id = "inputs2"
kind = "inputs"
format = "csv"
path = "inputs2.csv"
columns = { nama = "text", tahun = "integer", nilai = "decimal" }
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_one_input_in_two_tables_is_two_values(tmp_path: Path, backend: str) -> None:
    folder = office(tmp_path)
    path = folder / "definitions.toml"
    path.write_text(path.read_text(encoding="utf-8") + SECOND, encoding="utf-8")
    (folder / "inputs2.csv").write_text("nama,tahun,nilai\nNilai AKIP,2026,80\n", "utf-8")
    # skor = 0.5 × Nilai AKIP + iku-tertangani / 100 % read the second table's 80 in
    # silence (0.5 × 80 + 0.6 = 40.6) where inputs.csv says 76.05 (38.625): which one is
    # right cannot be told, so there is no value, as for two rows of one table.
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        found = engine.evaluate("2026").get("skor")
    assert found.value is None
    assert code_of(found.reason) == "duplicate-input"
    assert "the inputs have 2 values for 'Nilai AKIP' in 2026; keep one" in str(found.reason)
    # a year the second table does not give is read from the first: 2025's skor is
    # 0.5 × 75.6 + 50 % / 100 % (nik 1 served of niks 1, 2) = 37.8 + 0.5 = 38.3
    with use_language("en"), Engine(folder, folder, backend=backend) as engine:
        assert engine.evaluate("2025").get("skor").value == Decimal("38.3")
