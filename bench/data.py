"""Generated data at the benchmark's sizes, written by DuckDB.

The shipped sample generator draws a small office realistically (every sub kegiatan
code, category, kecamatan and desa, realisasi and inputs); DuckDB then copies its
registers as many times as a size needs, each copy with its own NIK suffix, so that
distinct people scale with the rows. Only the registers grow: an office has the same
staff, realisasi table and inputs whatever the size of its kabupaten.
"""

from __future__ import annotations

import math
from pathlib import Path

import duckdb

from iku_rules.loader import load
from iku_rules.sample import generate

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = ROOT / "definitions" / "dinsos-pandeglang"

SIZES: dict[str, tuple[int, int]] = {
    "tiny": (2_000, 10_000),
    "kabupaten": (100_000, 500_000),
    "province": (1_000_000, 5_000_000),
    "50m": (1_000_000, 50_000_000),
}
"""Size name: (PMKS register rows, service rows). A kabupaten of 1.3 million people has
about 100 thousand PMKS; a province is ten such; the last is 50 million services."""

BASE_PEOPLE = {"tiny": 2_000}
"""PMKS drawn by the sample generator before copying (20,000 unless named here)."""

PEOPLE_REGISTERS = ("register_pmks", "register_rtm", "register_psks")


def make(size: str, folder: Path) -> Path:
    """The data folder for ``size`` under ``folder``, generated once and reused."""
    pmks, services = SIZES[size]
    data = folder / size
    done = data / ".complete"
    if done.exists():
        return data
    base = folder / f"base-{BASE_PEOPLE.get(size, 20_000)}"
    if not (base / ".complete").exists():
        generate(load(DEFINITIONS), base, people=BASE_PEOPLE.get(size, 20_000), seed=2026)
        (base / ".complete").touch()
    data.mkdir(parents=True, exist_ok=True)
    definitions = load(DEFINITIONS)
    connection = duckdb.connect()
    counts = {
        source.id: connection.execute(
            "SELECT count(*) FROM read_csv($path, all_varchar = true)",
            {"path": str(base / source.path)},
        ).fetchone()[0]
        for source in definitions.sources
    }
    people_copies = max(1, math.ceil(pmks / counts["register_pmks"]))
    for source in definitions.sources:
        target = data / source.path
        if source.id in PEOPLE_REGISTERS:
            copies, wanted = people_copies, counts[source.id] * pmks // counts["register_pmks"]
        elif source.id == "layanan":
            copies, wanted = max(1, math.ceil(services / counts[source.id])), services
        else:
            copies, wanted = 1, counts[source.id]
        key = next(iter(source.columns))  # nik, id_rtm, id_psks: the person or household

        def copied(name: str, kind: str) -> str:
            """Each copy of a person stays distinct: a NIK (16 digits) with its first four
            digits shifted by the copy, any other key with the copy appended."""
            step = f"(copy % {people_copies})"
            if kind == "nik":
                shifted = f'CAST(1000 + (CAST(substr("{name}", 1, 4) AS INTEGER) - 1000 + {step}) % 9000 AS VARCHAR)'
                return f'{shifted} || substr("{name}", 5)'
            return f"\"{name}\" || '-' || {step}"

        # A copy of the services beyond the copies of the people is moved by a day for
        # each round of them: the same services again, row for row, would be an export
        # pasted twice, which the reader refuses.
        later = (
            f'CAST(CAST("{{name}}" AS DATE) + CAST(copy // {people_copies} AS INTEGER) AS VARCHAR)'
        )
        columns = ", ".join(
            f'CASE WHEN copy = 0 THEN "{name}" ELSE {copied(name, kind)} END AS "{name}"'
            if name == key and source.id in (*PEOPLE_REGISTERS, "layanan")
            else f'{later.format(name=name)} AS "{name}"'
            if source.id == "layanan" and name == source.date_column
            else f'"{name}"'
            for name, kind in source.columns.items()
        )
        connection.execute(
            f"COPY (SELECT {columns} FROM read_csv($path, all_varchar = true),"
            f" range({copies}) AS copies(copy) ORDER BY copy LIMIT {wanted})"
            f" TO '{target}' (HEADER, DELIMITER ',')",
            {"path": str(base / source.path)},
        )
    connection.close()
    done.touch()
    return data


if __name__ == "__main__":
    import sys

    make(sys.argv[1], Path(sys.argv[2]))
