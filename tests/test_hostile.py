"""A hostile definition cannot change a query: names reach the database only as
quoted identifiers and literals only as bound values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.csv_file import write_csv

MINI = Path(__file__).parent / "fixtures" / "mini"
INJECTION = "x' OR 1=1; DROP TABLE layanan; --"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(MINI, folder)
    text = (folder / "definitions.toml").read_text()
    text = text.replace(
        'filter = \'kode_sub_kegiatan in ("1.06.04.2.01.0003", "1.06.04.2.01.0001")\'',
        f"filter = '''kode_sub_kegiatan = \"{INJECTION}\" or kode_sub_kegiatan = \"1.06.04.2.01.0001\"'''",
    )
    text = text.replace(
        'columns = { nik = "nik", kecamatan = "text", kategori = "text", tanggal = "date" }',
        'columns = { nik = "nik", kecamatan = "text", \'kate"gori\' = "text", tanggal = "date" }',
    )
    text = text.replace(
        "formula = 'Σ register_pmks[kategori = \"Anak Terlantar\"] / Σ register_pmks × 100%'",
        'formula = \'Σ register_pmks[[kate"gori] = "Anak Terlantar"] / Σ register_pmks × 100%\'',
    )
    (folder / "definitions.toml").write_text(text)
    rows = (folder / "register_pmks.csv").read_text().splitlines()
    rows[0] = 'nik,kecamatan,"kate""gori",tanggal'
    (folder / "register_pmks.csv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
def test_hostile_strings_are_bound_values_and_names_quoted_identifiers(
    hostile: Path, backend: str
) -> None:
    definitions = load(hostile)
    assert definitions.ok, [str(d) for d in definitions.errors]
    engine = Engine(definitions, hostile, backend=backend)
    evaluation = engine.evaluate("2026")
    expected = Engine(definitions, hostile, backend="python").evaluate("2026").rows()
    assert evaluation.rows() == expected
    # Only nik 1 and 2 got Permakanan (…0001) in 2026; the injected text matched nothing.
    assert evaluation.get("iku-tertangani").value == 40
    assert evaluation.get("anak-share").value == 40
    sql = " ".join(query.sql for query in evaluation.queries)
    assert INJECTION not in sql and "DROP" not in sql and "OR 1=1" not in sql
    assert '"kate""gori"' in sql
    assert any(INJECTION in query.params.values() for query in evaluation.queries)
    # The tables are intact: evaluating again gives the same results.
    assert engine.evaluate("2026").rows() == expected


def test_generated_sql_divides_nothing_and_casts_every_literal() -> None:
    evaluation = Engine(MINI, MINI).evaluate("2026", by="kecamatan")
    for query in evaluation.queries:
        assert " / " not in query.sql
        for name in query.params:
            assert f"CAST(${name} AS" in query.sql


def test_data_with_hostile_values_is_just_data(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    definitions = folder / "definitions.toml"  # the services' NIK as any identifier
    old = 'columns = { nik = "nik", kode_sub_kegiatan'
    text = definitions.read_text(encoding="utf-8")
    assert old in text
    definitions.write_text(text.replace(old, old.replace('"nik"', '"identifier"')))
    rows = [
        {
            "nik": "'; DROP TABLE register_pmks; --",
            "kode_sub_kegiatan": "1.06.04.2.01.0003",
            "kecamatan": 'Lab"uan',
            "tanggal": "2026-01-01",
        }
    ]
    write_csv(folder / "layanan.csv", ["nik", "kode_sub_kegiatan", "kecamatan", "tanggal"], rows)
    results = {
        backend: Engine(folder, folder, backend=backend).evaluate("2026", by="kecamatan").rows()
        for backend in ("python", "duckdb", "sqlite")
    }
    assert results["python"] == results["duckdb"] == results["sqlite"]
    assert any(row["region"] == 'Lab"uan' for row in results["python"])
