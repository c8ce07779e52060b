"""The PUPR office (tests/fixtures/pupr-kabupaten, see tests/test_pupr_office.py for its rows)
with its desa declared: a Mekarsari in kecamatan Giriwangi and another in Sukaresmi, each
with a target of its own for jalan-mantap. Every number is computed here by hand:

    akses-air-minum 2026 (households with access / households):
      Giriwangi 1.750 / 2.000 = 87,5 %      Mekarsari (Giriwangi) 1.000 / 1.250 = 80 %
      Sukaresmi 1.125 / 1.500 = 75 %        Mekarsari (Sukaresmi)   600 /   800 = 75 %
      Cijati      570 /   950 = 60 %        Pasirjaya 880 / 1.100 = 80 %
      Talagasari 1.000 / 1.400 = 71,43 %    the kabupaten 6.925 / 9.000 = 76,94 %
      (one Mekarsari would read 1.600 / 2.050 = 78,05 %)
    jalan-mantap 2026 (km mantap / km, each ruas' latest survey):
      Mekarsari (Giriwangi): R02 sedang 8,40 / 8,40 = 100 %, target 90: 100 / 90 = 111,11 %
      Mekarsari (Sukaresmi): R05 rusak ringan 0 / 6,05 = 0 %, target 60: capaian 0 %
      the kabupaten 54,90 / 80 = 68,625 %
"""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from iku_rules.cli import main
from iku_rules.loader import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pupr-kabupaten"

DESA = (
    ("Giriwangi", "Giriwangi"),
    ("Mekarsari", "Giriwangi"),
    ("Sukaresmi", "Sukaresmi"),
    ("Mekarsari", "Sukaresmi"),
    ("Cijati", "Sukaresmi"),
    ("Pasirjaya", "Pasirjaya"),
    ("Talagasari", "Pasirjaya"),
)

DESA_TARGETS = """
  [sasaran.indikator.region_targets.desa]
  "Mekarsari (Giriwangi)" = { 2026 = "90" }
  "Mekarsari (Sukaresmi)" = { 2026 = "60" }
"""

KECAMATAN_TARGETS = '  Pasirjaya = { 2026 = "48" }\n'


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def _declare(folder: Path, desa: tuple[tuple[str, str | None], ...] = DESA) -> None:
    wilayah = folder / "definitions" / "wilayah.toml"
    declared = "".join(
        f'\n[[region]]\nlevel = "desa"\nname = "{name}"\n'
        + ("" if parent is None else f'parent = "{parent}"\n')
        for name, parent in desa
    )
    wilayah.write_text(wilayah.read_text("utf-8") + declared, "utf-8")


def _targets(folder: Path, targets: str) -> None:
    cascade = folder / "definitions" / "cascade.toml"
    text = cascade.read_text("utf-8")
    assert KECAMATAN_TARGETS in text
    cascade.write_text(text.replace(KECAMATAN_TARGETS, KECAMATAN_TARGETS + targets, 1), "utf-8")


@pytest.fixture()
def pupr(tmp_path: Path) -> Path:
    """A copy of the PUPR office with its desa declared and targets per desa."""
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder)
    _targets(folder, DESA_TARGETS)
    return folder


def _rows(folder: Path, *extra: str) -> dict[tuple[str, str | None], dict[str, Any]]:
    status, text = run(
        "--lang", "en", "eval", str(folder / "definitions"), "--data", str(folder / "data"),
        "--period", "2026", "--format", "json", *extra,
    )  # fmt: skip
    assert status == 0, text
    return {(r["id"], r["region"]): r for r in json.loads(text, parse_float=Decimal)}


def test_the_office_with_both_mekarsari_declared_passes_iku_check(pupr: Path) -> None:
    status, text = run("--lang", "en", "check", str(pupr / "definitions"))
    assert (status, text) == (0, "0 errors, 0 warnings in 5 files\n")


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
def test_each_declared_mekarsari_has_its_own_value_and_target(pupr: Path, backend: str) -> None:
    found = _rows(pupr, "--by", "desa", "--backend", backend)
    giriwangi = found["akses-air-minum", "Mekarsari (Giriwangi)"]
    sukaresmi = found["akses-air-minum", "Mekarsari (Sukaresmi)"]
    assert (giriwangi["value"], sukaresmi["value"]) == (80, 75)
    assert ("akses-air-minum", "Mekarsari") not in found
    road = found["jalan-mantap", "Mekarsari (Giriwangi)"]
    assert (road["value"], road["target"], road["capaian"]) == (100, 90, Decimal("111.11"))
    road = found["jalan-mantap", "Mekarsari (Sukaresmi)"]
    assert (road["value"], road["target"], road["capaian"]) == (0, 60, 0)
    # Every desa's value and the kabupaten's as when the desa were not declared, under the
    # same names (Mekarsari (Giriwangi) then as now).
    undeclared = _rows(FIXTURE, "--by", "desa", "--backend", backend)
    for key, row in found.items():
        if key[0] == "akses-air-minum":
            assert row == undeclared[key], key
    assert {key for key in found if key[0] == "akses-air-minum"} == {
        key for key in undeclared if key[0] == "akses-air-minum"
    }


@pytest.mark.parametrize("backend", ["python", "sqlite", "duckdb"])
@pytest.mark.parametrize("by", [(), ("--by", "kecamatan")])
def test_the_kabupaten_and_the_kecamatan_do_not_change(
    pupr: Path, backend: str, by: tuple[str, ...]
) -> None:
    # air_minum gives a value per desa and year: the kabupaten's needs a row from every
    # declared desa (Mekarsari (Giriwangi) and Mekarsari (Sukaresmi) among them), and has
    # them: 6.925 / 9.000 = 76,94 %; road 54,90 / 80 = 68,625 %.
    found = _rows(pupr, "--backend", backend, *by)
    assert round(found["akses-air-minum", None]["value"], 2) == Decimal("76.94")
    assert found["jalan-mantap", None]["value"] == Decimal("68.625")
    assert found == _rows(FIXTURE, "--backend", backend, *by)


def test_explain_finds_a_mekarsari_by_its_name_with_its_kecamatan(pupr: Path) -> None:
    definitions, data = str(pupr / "definitions"), str(pupr / "data")
    status, text = run(
        "--lang", "en", "explain", definitions, "akses-air-minum", "--data", data,
        "--period", "2026", "--region", "mekarsari (SUKARESMI)",
    )  # fmt: skip
    assert status == 0, text
    assert "desa Mekarsari (Sukaresmi)" in text and "= 75 %" in text  # 600 / 800
    assert "Σ Rumah Tangga = 800" in text


def test_explain_of_mekarsari_alone_names_both(
    pupr: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definitions, data = str(pupr / "definitions"), str(pupr / "data")
    status, _text = run(
        "--lang", "en", "explain", definitions, "akses-air-minum", "--data", data,
        "--period", "2026", "--by", "desa", "--region", "Mekarsari",
    )  # fmt: skip
    assert status == 1
    error = capsys.readouterr().err
    assert "'Mekarsari (Giriwangi)'" in error and "'Mekarsari (Sukaresmi)'" in error
    assert error.strip() == (
        "iku: there are 2 desa named 'Mekarsari': say which, as 'Mekarsari (Giriwangi)' and"
        " 'Mekarsari (Sukaresmi)'"
    )


def test_explain_of_mekarsari_alone_without_by_names_both(
    pupr: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definitions, data = str(pupr / "definitions"), str(pupr / "data")
    status, _text = run(
        "--lang", "en", "explain", definitions, "akses-air-minum", "--data", data,
        "--period", "2026", "--region", "Mekarsari",
    )  # fmt: skip
    assert status == 1
    error = capsys.readouterr().err
    assert "'Mekarsari (Giriwangi)'" in error and "'Mekarsari (Sukaresmi)'" in error


def test_the_report_has_each_mekarsari_in_the_table_per_desa(pupr: Path) -> None:
    out = pupr / "lkjip.md"
    status, text = run(
        "--lang", "en", "report", str(pupr / "definitions"), "--data", str(pupr / "data"),
        "--period", "2026", "-o", str(out),
    )  # fmt: skip
    assert status == 0, text
    table = out.read_text("utf-8").split("## Capaian per Desa\n", 1)[1].split("\n## ", 1)[0]
    road = "| Persentase panjang jalan kabupaten dalam kondisi mantap | Persen |"
    assert f"| 2 | Mekarsari (Giriwangi) {road} 90.00 | 100.00 | 111.11 |" in table
    assert f"| 4 | Mekarsari (Sukaresmi) {road} 60.00 | 0.00 | 0.00 |" in table
    assert "| Mekarsari |" not in table


def _problems(folder: Path) -> list[tuple[str | None, str, str | None]]:
    return [
        (d.code, d.message, d.suggestion)
        for d in load(folder / "definitions").diagnostics
        if d.severity == "error"
    ]


def test_one_name_twice_in_one_kecamatan_is_still_refused(tmp_path: Path) -> None:
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder, (*DESA, ("MEKARSARI", "Giriwangi")))
    assert _problems(folder) == [
        (
            "duplicate-region",
            "the desa 'MEKARSARI (Giriwangi)' is declared twice (names are matched ignoring"
            " case and spacing)",
            None,
        )
    ]


def test_one_name_twice_where_one_names_no_kecamatan_is_refused(tmp_path: Path) -> None:
    # Which of the two a row of Mekarsari is cannot be told without both parents.
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder, (("Mekarsari", "Giriwangi"), ("Mekarsari", None)))
    assert _problems(folder) == [
        (
            "duplicate-region",
            "the desa 'Mekarsari' is declared twice (names are matched ignoring case and spacing)",
            'if they are two desa in different kecamatan, give each its parent = "<kecamatan>"',
        )
    ]


def test_a_target_for_mekarsari_alone_is_refused_naming_both(tmp_path: Path) -> None:
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder)
    _targets(folder, '\n  [sasaran.indikator.region_targets.desa]\n  Mekarsari = { 2026 = "90" }\n')
    found = [p for p in _problems(folder) if p[0] == "ambiguous-region"]
    assert found == [
        (
            "ambiguous-region",
            "indicator 'jalan-mantap' gives a target for the desa 'Mekarsari', but there is a"
            " desa 'Mekarsari' in kecamatan 'Giriwangi' and 'Sukaresmi', so which one's target"
            " it is cannot be told",
            'write its name with its kecamatan, in quotes: "Mekarsari (Giriwangi)" or'
            ' "Mekarsari (Sukaresmi)"',
        )
    ]


def test_a_target_for_mekarsari_alone_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder)
    _targets(folder, '\n  [sasaran.indikator.region_targets.desa]\n  Mekarsari = { 2026 = "90" }\n')
    assert [p[0] for p in _problems(folder)] == ["ambiguous-region"]


def test_a_region_lying_in_mekarsari_alone_is_refused_naming_both(tmp_path: Path) -> None:
    # A dusun in "Mekarsari": in which of the two cannot be told; in "Mekarsari
    # (Sukaresmi)" it can.
    folder = tmp_path / "pupr"
    shutil.copytree(FIXTURE, folder)
    _declare(folder)
    wilayah = folder / "definitions" / "wilayah.toml"
    wilayah.write_text(
        wilayah.read_text("utf-8")
        + '\n[[level]]\nid = "dusun"\nname = "Dusun"\nparent = "desa"\n'
        + '\n[[region]]\nlevel = "dusun"\nname = "Dusun Satu"\nparent = "Mekarsari"\n'
        + '\n[[region]]\nlevel = "dusun"\nname = "Dusun Dua"\nparent = "Mekarsari (Sukaresmi)"\n',
        "utf-8",
    )
    assert _problems(folder) == [
        (
            "ambiguous-region",
            "the dusun 'Dusun Satu' lies in the desa 'Mekarsari', but there is a desa"
            " 'Mekarsari' in kecamatan 'Giriwangi' and 'Sukaresmi', so which one cannot be"
            " told",
            'write parent = "Mekarsari (Giriwangi)" or "Mekarsari (Sukaresmi)"',
        )
    ]
