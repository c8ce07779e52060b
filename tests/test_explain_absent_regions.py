"""An explanation of the whole area names the declared regions a measure's source has no row
for in the period: a kabupaten's value over a service log counts a kecamatan whose services
are not entered yet as none, while a denominator from another source (the PMKS register)
counts it whole, and per kecamatan its value is "not available" while the kabupaten's gives
no sign. The line comes under the measure (before its filter, in the office's words for the
level and the area), in the JSON under ``dates.absent``, on every embedded engine and on
PostgreSQL, asked only by explanations. The office is tests/fixtures/mini with kecamatan
declared; every name and number below is worked by hand from its rows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    BACKEND_IDS,
    BACKENDS,
    add_row,
    declare_kecamatan,
    edit,
    office,
    read_in_place,
    run,
)
from servers import PASSWORD, Postgres, load_csv_tables

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.loader import load
from iku_rules.sources.python_engine import PythonBackend

LAYANAN = (
    "no row of layanan in the period for {count} of {declared} Kecamatan: {names}; the whole"
    " kabupaten's value counts {them} as none"
)
REGISTER = (
    "no row of register_pmks up to the period's end for {count} of {declared} Kecamatan:"
    " {names}; the whole kabupaten's value counts {them} as none"
)


FOUR = ("Labuan", "Carita", "Menes", "Cibitung")


def explain(
    folder: Path, *argv: str, backend: str = "duckdb", source: str | None = None
) -> dict[str, Any]:
    data = ("--source", source) if source else ("--data", str(folder), "--backend", backend)
    status, text = run(
        "--lang", "en", "explain", str(folder), "iku-tertangani", *data, "--format", "json",
        *argv,
    )  # fmt: skip
    assert status == 0, text
    found: dict[str, Any] = json.loads(text)
    return found


def measure(explanation: dict[str, Any], name: str) -> dict[str, Any]:
    return next(node for node in explanation["inputs"] if node["name"] == name)


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_the_kecamatan_without_rows_are_named_under_each_measure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = declare_kecamatan(office(tmp_path), *FOUR)
    for by in ((), ("--by", "kecamatan")):  # the whole kabupaten, asked by kecamatan or not
        explanation = explain(folder, "--period", "2026", *by, backend=backend)
        # PMKS tertangani: the 2026 services within the filter, nik 01 (twice), 02 (Labuan)
        # and 04 (Carita): 3; PMKS: the register's nik 01 to 05 and 07 by 31 December 2026:
        # 6. 3 / 6 × 100 = 50, with none of Cibitung's PMKS served: its log missing.
        assert Decimal(explanation["value"]) == 50
        served = measure(explanation, "PMKS tertangani")
        # layanan's 2026 rows name Labuan and Carita: Menes and Cibitung have none
        line = LAYANAN.format(count=2, declared=4, names="Menes, Cibitung", them="them")
        assert line in served["details"]
        assert served["dates"]["absent"] == [
            {"level": "kecamatan", "declared": 4, "regions": ["Menes", "Cibitung"]}
        ]
        # the register up to 31 December 2026: Labuan, Carita and Cibitung (1 June);
        # Menes's only row is dated 2 January 2027, after the period's end
        pmks = measure(explanation, "PMKS")
        line = REGISTER.format(count=1, declared=4, names="Menes", them="it")
        assert line in pmks["details"]
        assert pmks["dates"]["absent"][0]["regions"] == ["Menes"]
    # A region's explanation names no other region; Cibitung's own value is not available
    # (no row), which its reason says already.
    argv = ("--period", "2026", "--by", "kecamatan", "--region")
    served = measure(explain(folder, *argv, "Labuan", backend=backend), "PMKS tertangani")
    assert not any("Menes" in detail for detail in served["details"])
    assert "absent" not in served["dates"]
    cibitung = measure(explain(folder, *argv, "Cibitung", backend=backend), "PMKS tertangani")
    assert cibitung["value"] is None and "absent" not in cibitung.get("dates", {})
    assert not any(" of 4 Kecamatan" in detail for detail in cibitung["details"])


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_a_name_written_in_capitals_is_its_kecamatan_s_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = declare_kecamatan(office(tmp_path), *FOUR)
    # Cibitung's service of 2 November 2026, its name written CIBITUNG: Cibitung has a row,
    # Menes alone has none (1 of 4)
    add_row(folder, "layanan.csv", "3601000000000007,1.06.04.2.01.0001,CIBITUNG,2026-11-02")
    served = measure(explain(folder, "--period", "2026", backend=backend), "PMKS tertangani")
    line = LAYANAN.format(count=1, declared=4, names="Menes", them="it")
    assert line in served["details"]
    assert not any("Cibitung" in detail for detail in served["details"])
    assert served["dates"]["absent"][0]["regions"] == ["Menes"]


def test_five_names_then_how_many_more(tmp_path: Path) -> None:
    nine = (*FOUR, "Cigeulis", "Cikeusik", "Cimanggu", "Sumur", "Panimbang")
    folder = declare_kecamatan(office(tmp_path), *nine)
    # layanan's 2026 rows name Labuan and Carita: 7 of the 9 have none, the first five
    # named in the declared order, then the other 2 (Sumur, Panimbang) counted
    served = measure(explain(folder, "--period", "2026"), "PMKS tertangani")
    names = "Menes, Cibitung, Cigeulis, Cikeusik, Cimanggu and 2 more"
    assert LAYANAN.format(count=7, declared=9, names=names, them="them") in served["details"]
    # the JSON names every one
    assert served["dates"]["absent"][0]["regions"] == [*nine[2:]]


def test_nothing_is_said_when_every_kecamatan_has_a_row(tmp_path: Path) -> None:
    folder = declare_kecamatan(office(tmp_path), *FOUR)
    # A row of Menes (outside the measure's filter: it still is Menes's row, the filter
    # comes after) and one of Cibitung in the 2026 log: every kecamatan has a row.
    add_row(folder, "layanan.csv", "3601000000000006,1.06.02.2.03.0001,Menes,2026-03-03")
    add_row(folder, "layanan.csv", "3601000000000007,1.06.04.2.01.0001,Cibitung,2026-09-09")
    served = measure(explain(folder, "--period", "2026"), "PMKS tertangani")
    assert not any(detail.startswith("no row of layanan") for detail in served["details"])
    assert served["dates"]["absent"] == [{"level": "kecamatan", "declared": 4, "regions": []}]
    # The register up to the end of 2027 has Menes's row of 2 January 2027 too.
    pmks = measure(explain(folder, "--period", "2027"), "PMKS")
    assert not any(detail.startswith("no row of") for detail in pmks["details"])
    assert pmks["dates"]["absent"][0]["regions"] == []


def test_the_text_and_the_report_show_the_line(tmp_path: Path) -> None:
    folder = declare_kecamatan(office(tmp_path), *FOUR)
    line = LAYANAN.format(count=2, declared=4, names="Menes, Cibitung", them="them")
    status, text = run(
        "--lang", "en", "explain", str(folder), "iku-tertangani", "--data", str(folder),
        "--period", "2026",
    )  # fmt: skip
    assert status == 0, text
    assert f"  │     {line}" in text.splitlines()  # under the measure PMKS tertangani
    report = tmp_path / "report.md"
    status, text = run(
        "--lang", "en", "report", str(folder), "--data", str(folder), "--period", "2026",
        "--format", "markdown", "-o", str(report),
    )  # fmt: skip
    assert status == 0, text
    assert line in report.read_text(encoding="utf-8")


@pytest.mark.parametrize(("backend", "in_place"), BACKENDS, ids=BACKEND_IDS)
def test_two_declared_desa_of_one_name_are_told_apart_by_their_kecamatan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, in_place: bool
) -> None:
    read_in_place(monkeypatch, in_place)
    folder = declare_kecamatan(office(tmp_path), "Labuan", "Carita", "Menes", "Cibitung")
    level = '[[level]]\nid = "desa"\nname = "Desa"\nparent = "kecamatan"\n\n'
    desa = "".join(
        f'[[region]]\nlevel = "desa"\nname = "{name}"\nparent = "{parent}"\n\n'
        for name, parent in (
            ("Sukamaju", "Labuan"),
            ("Sukamaju", "Carita"),
            ("Banjarsari", "Carita"),
        )
    )
    edit(folder, "[[visi]]", level + desa + "[[visi]]")
    edit(
        folder,
        'region_column = "kecamatan"\ntime = "state"\ncolumns = { nik = "nik", kecamatan = "text",',
        'regions = { kecamatan = "kecamatan", desa = "desa" }\ntime = "state"\n'
        'columns = { nik = "nik", kecamatan = "text", desa = "text",',
    )
    rows = [
        "nik,kecamatan,desa,kategori,tanggal",
        "3601000000000001,Labuan,Sukamaju,Anak Terlantar,2025-03-01",
        "3601000000000002,CARITA,banjarsari,Fakir Miskin,2025-05-01",
        "3601000000000003,Menes,,Fakir Miskin,2026-02-01",
    ]
    (folder / "register_pmks.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pmks = measure(explain(folder, "--period", "2026", backend=backend), "PMKS")
    # Sukamaju of Labuan has a row, Banjarsari (CARITA/banjarsari) too; Sukamaju of
    # Carita none: the row naming Sukamaju is Labuan's, never both. Cibitung has no row.
    assert pmks["dates"]["absent"] == [
        {"level": "kecamatan", "declared": 4, "regions": ["Cibitung"]},
        {"level": "desa", "declared": 3, "regions": ["Sukamaju (Carita)"]},
    ]
    said = (
        "no row of register_pmks up to the period's end for 1 of 3 Desa: Sukamaju (Carita);"
        " the whole kabupaten's value counts it as none"
    )
    assert said in pmks["details"]


def test_only_explanations_ask_once_per_source_for_area_and_regions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = declare_kecamatan(office(tmp_path), *FOUR)
    asked: list[str] = []
    dates = PythonBackend.dates

    def counted(self: PythonBackend, source: Any, *args: Any) -> Any:
        asked.append(source.id)
        return dates(self, source, *args)

    monkeypatch.setattr(PythonBackend, "dates", counted)
    with Engine(folder, folder, backend="python", today=date(2027, 1, 15)) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
    assert asked == []  # evaluating asks nothing of the kind
    with use_language("en"):  # (the engine closed: a backend opened for the question)
        labuan = evaluation.explain("iku-tertangani", "Labuan").as_dict()
        whole = evaluation.explain("iku-tertangani").as_dict()
    assert "absent" not in measure(labuan, "PMKS tertangani")["dates"]
    served = measure(whole, "PMKS tertangani")  # Menes and Cibitung, as above
    assert served["dates"]["absent"][0]["regions"] == ["Menes", "Cibitung"]
    assert sorted(asked) == ["layanan", "register_pmks"]  # one question per source


def test_postgresql_names_the_same_kecamatan(
    postgres: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from psycopg import sql

    folder = declare_kecamatan(office(tmp_path), *FOUR)
    # as in test_a_name_written_in_capitals_is_its_kecamatan_s_row: CIBITUNG is Cibitung
    add_row(folder, "layanan.csv", "3601000000000007,1.06.04.2.01.0001,CIBITUNG,2026-11-02")
    with postgres.connect() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier("absent")))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier("absent")))
    load_csv_tables(postgres, load(folder), folder, "public", dbname="absent")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    url = f"postgresql://iku@127.0.0.1:{postgres.port}/absent"
    for by in ((), ("--by", "kecamatan")):
        argv = ("--period", "2026", *by)
        served = explain(folder, *argv, source=url)
        embedded = explain(folder, *argv)
        for name in ("PMKS tertangani", "PMKS"):
            assert measure(served, name)["details"] == measure(embedded, name)["details"]
            # layanan: Menes alone without a row; the register: Menes (2 January 2027)
            assert measure(served, name)["dates"]["absent"][0]["regions"] == ["Menes"]
