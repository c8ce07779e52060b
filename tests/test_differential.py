"""Differential tests: the pure-Python, DuckDB and SQLite backends give identical
results — values, units and reasons — on generated data, including empty periods,
missing values, zero denominators and rows without a region."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iku_rules.engine import Engine
from iku_rules.loader import load
from iku_rules.sources.cells import DataError
from iku_rules.sources.csv_file import write_csv

MINI = Path(__file__).parent / "fixtures" / "mini"
DEFINITIONS = load(MINI)

KECAMATAN = st.sampled_from(["Labuan", "Carita", "Menes", None])
DATES = st.one_of(st.none(), st.dates(min_value=date(2024, 10, 1), max_value=date(2027, 3, 31)))
NIK = st.integers(1, 40).map(lambda i: f"36010000000000{i:02d}")

PMKS_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "nik": NIK,
            "kecamatan": KECAMATAN,
            "kategori": st.sampled_from(
                ["Anak Terlantar", "Fakir Miskin", "Korban Bencana Alam", None]
            ),
            "tanggal": DATES,
        }
    ),
    max_size=25,
)
LAYANAN_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "nik": st.one_of(NIK, st.none()),
            "kode_sub_kegiatan": st.sampled_from(
                ["1.06.04.2.01.0003", "1.06.04.2.01.0001", "1.06.02.2.03.0001", None]
            ),
            "kecamatan": KECAMATAN,
            "tanggal": DATES,
        }
    ),
    max_size=25,
)
REALISASI_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "kode_sub_kegiatan": st.just("1.06.04.2.01.0003"),
            "indikator": st.sampled_from(["alat-bantu-orang", "lain"]),
            "periode": st.sampled_from([f"{y}-TW{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)]),
            "kecamatan": KECAMATAN,
            "nilai": st.one_of(
                st.none(), st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
            ),
        }
    ),
    max_size=12,
)
INPUT_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "nama": st.sampled_from(["Nilai AKIP", "lain"]),
            "tahun": st.sampled_from([2025, 2026]),
            "nilai": st.one_of(
                st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)
            ),
        }
    ),
    max_size=4,
)


def _write(folder: Path, data: dict[str, list[dict[str, Any]]]) -> None:
    for source in DEFINITIONS.sources:
        write_csv(folder / source.path, list(source.columns), data[source.id])


@settings(max_examples=40, deadline=None)
@given(
    pmks=PMKS_ROWS,
    layanan=LAYANAN_ROWS,
    realisasi=REALISASI_ROWS,
    inputs=INPUT_ROWS,
    period=st.sampled_from(["2026", "2026-TW2", "2026-sd-TW3", "2025-TW4"]),
)
def test_backends_agree_on_generated_data(
    pmks: list[dict[str, Any]],
    layanan: list[dict[str, Any]],
    realisasi: list[dict[str, Any]],
    inputs: list[dict[str, Any]],
    period: str,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        _write(
            data,
            {"register_pmks": pmks, "layanan": layanan, "realisasi": realisasi, "inputs": inputs},
        )
        results = {
            backend: _rows_or_error(Engine(DEFINITIONS, data, backend=backend), period)
            for backend in ("python", "duckdb", "sqlite")
        }
    assert results["duckdb"] == results["python"]
    assert results["sqlite"] == results["python"]


def _rows_or_error(engine: Engine, period: str) -> list[dict[str, Any]] | str:
    """The rows of an evaluation, or the data error that stopped it (the same on every
    backend: an empty row followed by a row that leaves empty what the rows above fill)."""
    try:
        return engine.evaluate(period, by="kecamatan").rows()
    except DataError as error:
        return str(error)


def test_the_generated_cases_include_not_available_results() -> None:
    """GIVEN an empty register and a zero denominator, THEN every backend says why, identically."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        _write(
            data,
            {
                "register_pmks": [
                    {
                        "nik": "3601000000000001",
                        "kecamatan": "Labuan",
                        "kategori": "Fakir Miskin",
                        "tanggal": date(2027, 1, 5),
                    }
                ],
                "layanan": [
                    {
                        "nik": "3601000000000001",
                        "kode_sub_kegiatan": "1.06.04.2.01.0003",
                        "kecamatan": "Labuan",
                        "tanggal": date(2026, 5, 1),
                    }
                ],
                "realisasi": [
                    {
                        "kode_sub_kegiatan": "1.06.04.2.01.0003",
                        "indikator": "alat-bantu-orang",
                        "periode": "2026-TW1",
                        "kecamatan": None,
                        "nilai": None,
                    }
                ],
                "inputs": [],
            },
        )
        rows = {
            backend: {
                row["id"]: row["reason"]
                for row in Engine(DEFINITIONS, data, backend=backend).evaluate("2026").rows()
            }
            for backend in ("python", "duckdb", "sqlite")
        }
    assert rows["python"] == rows["duckdb"] == rows["sqlite"]
    reasons = rows["python"]
    assert reasons["iku-tertangani"] == "PMKS: register_pmks has no rows in 2026"
    assert (
        reasons["alat-bantu-orang"] == "1 realisasi rows of alat-bantu-orang have no nilai in 2026"
    )
    assert reasons["skor"] == "Nilai AKIP: the inputs have no value for 2026"


KECAMATAN = (
    *("Labuan", "Carita", "Menes", "Pagelaran", "Patia"),
    *("Sumur", "Cimanggu", "Cibaliung", "Cikeusik", "Angsana"),
)


def test_decimals_stay_exact_in_every_backend() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        shutil.copy(MINI / "register_pmks.csv", data)
        shutil.copy(MINI / "layanan.csv", data)
        shutil.copy(MINI / "inputs.csv", data)
        rows = [  # ten kecamatan's 0.1 each (one row of one key each: none a duplicate)
            {
                "kode_sub_kegiatan": "1.06.04.2.01.0003",
                "indikator": "alat-bantu-orang",
                "periode": "2026-TW1",
                "kecamatan": kecamatan,
                "nilai": Decimal("0.1"),
            }
            for kecamatan in KECAMATAN
        ]
        write_csv(data / "realisasi.csv", list(DEFINITIONS.sources[2].columns), rows)
        values = {
            backend: Engine(DEFINITIONS, data, backend=backend)
            .evaluate("2026")
            .get("alat-bantu-orang")
            .value
            for backend in ("python", "duckdb", "sqlite")
        }
    assert values == {"python": Decimal(1), "duckdb": Decimal(1), "sqlite": Decimal(1)}
