"""Targets written in a unit other than the indicator's satuan: refused by `iku check` at
the target, never read in the satuan with the unit dropped.

`target = "100%"` of an indicator in Orang was read as 100 Orang: a realisasi of 37 Orang
showed capaian 37 / 100 × 100 = 37 %, where the plan meant all of them. A small office in
a temporary folder, checked and evaluated through the CLI as a planner would."""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from iku_rules.cli import main

DINKES = Path(__file__).resolve().parent.parent / "definitions" / "dinkes-contoh"

OFFICE = """\
[office]
id = "kecil"
name = "Dinas Kecil"
plan_start = 2025
plan_end = 2027
units = ["Persen", "Orang", "Lembaga", "Juta Rupiah"]

[[visi]]
id = "visi"
name = "Visi"

[[misi]]
id = "misi"
name = "Misi"
parent = "visi"

[[sasaran]]
id = "sasaran"
tingkat = "renstra"
name = "Meningkatnya layanan"
parent = "misi"

  [[sasaran.indikator]]
  id = "penerima"
  name = "Jumlah penerima bantuan"
  unit = "{unit}"
  formula = "realisasi"
  capaian_method = "kumulatif"
  targets = {{ 2026 = {target} }}

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = {{ indikator = "text", periode = "text", nilai = "decimal" }}
"""

REALISASI = "indikator,periode,nilai\npenerima,2026-TW1,37\n"


def office(tmp_path: Path, target: str, unit: str = "Orang") -> Path:
    folder = tmp_path / "kantor"
    (folder / "data").mkdir(parents=True)
    text = OFFICE.format(unit=unit, target=target)
    (folder / "office.toml").write_text(text, encoding="utf-8")
    (folder / "data" / "realisasi.csv").write_text(REALISASI, encoding="utf-8")
    return folder


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--lang", "en", *argv], out=out), out.getvalue()


def errors(folder: Path) -> list[dict[str, Any]]:
    status, text = run("check", str(folder), "--format", "json")
    found = [d for d in json.loads(text)["diagnostics"] if d["severity"] == "error"]
    assert status == (1 if found else 0)
    return found


def target_place(folder: Path) -> tuple[int, int]:
    """Line and column (1-based) of the target's value, after ``2026 = ``."""
    lines = (folder / "office.toml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if "targets = {" in line)
    return number, lines[number - 1].index("2026 = ") + len("2026 = ") + 1


def capaian(folder: Path) -> Decimal:
    status, text = run(
        "eval", str(folder), "--data", str(folder / "data"), "--period", "2026", "--format", "json"
    )
    assert status == 0, text
    results = json.loads(text, parse_float=Decimal)
    found: Decimal = next(r["capaian"] for r in results if r["id"] == "penerima")
    return found


def test_a_count_target_gives_its_capaian(tmp_path: Path) -> None:
    # 37 Orang reached against 40 Orang planned: 37 / 40 × 100 = 92,5 %.
    folder = office(tmp_path, '"40"')
    assert errors(folder) == []
    assert capaian(folder) == Decimal("92.5")


def test_a_percent_target_of_a_count_is_refused_at_the_target(tmp_path: Path) -> None:
    # "100%" of Orang was read as 100 Orang: 37 reached read as 37 / 100 × 100 = 37 %.
    for index, written in enumerate(
        ('"100%"', '"100 %"', '"≥ 100%"', '"90%–100%"', '"100 persen"')
    ):
        folder = office(tmp_path / str(index), written)
        found = errors(folder)
        assert [d["code"] for d in found] == ["number"], written
        assert (found[0]["line"], found[0]["column"]) == target_place(folder)
        assert (
            "is written in percent, but the satuan of the indicator is 'Orang'"
            in (found[0]["message"])
        )
        assert found[0]["suggestion"].startswith("write the target in Orang as the plan gives")
        status, _text = run("eval", str(folder), "--data", str(folder / "data"), "--period", "2026")
        assert status != 0, written


def test_a_target_in_another_count_or_a_count_on_persen_says_so(tmp_path: Path) -> None:
    # "10 Lembaga" of Orang and "100 Orang" of Persen: the number alone, as the message
    # said to write, would be 10 Orang and 100 %; the message now names both units.
    for written, unit, said in (
        ('"10 Lembaga"', "Orang", "written in Lembaga, but the satuan of the indicator is 'Orang'"),
        ('"100 Orang"', "Persen", "written in Orang, but the satuan of the indicator is 'Persen'"),
        # "Rp 1.200.000" of Juta Rupiah: 1.200.000 Juta Rupiah is a million times the plan.
        ('"Rp 1.200.000"', "Juta Rupiah", "written in Rp, but the satuan of the indicator is"),
    ):
        folder = office(tmp_path / unit, written, unit)
        found = errors(folder)
        assert [d["code"] for d in found] == ["number"], written
        assert said in found[0]["message"]
        assert (found[0]["line"], found[0]["column"]) == target_place(folder)


def test_a_percent_target_of_persen_and_a_plain_one_stay(tmp_path: Path) -> None:
    # 80 of a Persen indicator is 80 %, as "80%" and "≥ 80 %" are: no error.
    for index, written in enumerate(('"80"', "80", '"80%"', '"≥ 80 %"')):
        folder = office(tmp_path / str(index), written, "Persen")
        assert [d for d in errors(folder) if d["code"] == "number"] == [], written


def test_a_percent_triwulan_target_of_a_count_is_refused(tmp_path: Path) -> None:
    folder = office(tmp_path, '"40" }\n  triwulan_targets = { "2026-TW1" = "25%"')
    found = errors(folder)
    assert [d["code"] for d in found] == ["number"]
    assert "'25%' is written in percent" in found[0]["message"]


def test_a_percent_region_target_of_a_rate_is_refused(tmp_path: Path) -> None:
    # "≤ 1,5%" of a rate per 1.000 Penduduk would be read as ≤ 1,5 births per 1.000 (the
    # kecamatan's 15 per 1.000 would then read as missed by far, where 1,5 % is met).
    folder = tmp_path / "dinkes"
    shutil.copytree(DINKES, folder)
    cascade = folder / "cascade.toml"
    text = cascade.read_text(encoding="utf-8")
    cascade.write_text(
        text.replace('Sukamaju = { 2026 = "≤ 15" }', 'Sukamaju = { 2026 = "≤ 1,5%" }')
    )
    found = errors(folder)
    assert [d["code"] for d in found] == ["number"]
    assert "the satuan of the indicator is 'per 1.000 Penduduk'" in found[0]["message"]
    lines = cascade.read_text(encoding="utf-8").splitlines()
    line = next(i for i, written in enumerate(lines, 1) if "1,5%" in written)
    assert (found[0]["line"], found[0]["column"]) == (line, lines[line - 1].index('"≤ 1,5%"') + 1)


def with_baseline(folder: Path, written: str) -> Path:
    toml = folder / "office.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace(
            'targets = { 2026 = "40" }', f'targets = {{ 2026 = "40" }}\n  baseline = {written}'
        )
    )
    return folder


def test_a_percent_baseline_of_a_count_is_refused_at_the_baseline(tmp_path: Path) -> None:
    # baseline = "45%" of Orang was read as 45 Orang, the condition the plan starts from as
    # the reports show it; "45" stays 45 Orang, and "45%" of Persen stays 45 %.
    folder = with_baseline(office(tmp_path / "persen-of-orang", '"40"'), '"45%"')
    found = errors(folder)
    assert [d["code"] for d in found] == ["number"]
    assert found[0]["message"].startswith(
        "the baseline '45%' is written in percent, but the satuan of the indicator is 'Orang'"
    )
    assert found[0]["suggestion"].startswith("write the baseline in Orang as the plan gives it")
    lines = (folder / "office.toml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, written in enumerate(lines, 1) if "baseline" in written)
    assert (found[0]["line"], found[0]["column"]) == (line, lines[line - 1].index('"45%"') + 1)
    for index, (written, unit) in enumerate((('"45"', "Orang"), ('"45%"', "Persen"))):
        folder = with_baseline(office(tmp_path / str(index), '"40"', unit), written)
        assert [d for d in errors(folder) if d["code"] == "number"] == [], written
