"""Numbers per region that were wrong in silence, each with its right answer computed by hand,
on the illustrative Dinas Kesehatan (definitions/dinkes-contoh) and its hand-made data
(tests/fixtures/dinkes-contoh-data).

2026 (tests/test_region_targets.py lists the rows): kelahiran hidup Sukamaju 750, Cibening
700, Karanganyar 300, the kabupaten 1750; kematian ibu Sukamaju 1, Cibening 1, Karanganyar
0, the kabupaten 2; penduduk (penduduk.csv) 50.000, 40.000 and 35.000, the kabupaten
125.000 (their sum: Jumlah Penduduk is additive).
"""

from __future__ import annotations

import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

from attrs import evolve

from iku_rules import Engine
from iku_rules.cli import main
from iku_rules.loader import load

ROOT = Path(__file__).resolve().parent.parent
DINKES = ROOT / "definitions" / "dinkes-contoh"
DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(args), out=out)
    return status, out.getvalue()


def rows(folder: Path, data: Path, *extra: str) -> list[dict]:  # type: ignore[type-arg]
    status, text = run(
        "eval", str(folder), "--data", str(data), "--period", "2026", "--format", "json", *extra
    )
    assert status == 0, text
    return json.loads(text, parse_float=Decimal)  # type: ignore[no-any-return]


def row(found: list[dict], indicator: str, region: str | None = None) -> dict:  # type: ignore[type-arg]
    return next(r for r in found if r["id"] == indicator and r["region"] == region)


def copy(tmp_path: Path, source: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(source, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def inputs_source(source_id: str, level: str) -> str:
    return f"""
[[source]]
id = "{source_id}"
kind = "inputs"
format = "csv"
path = "{source_id}.csv"
regions = {{ {level} = "{level}" }}
columns = {{ nama = "text", tahun = "integer", {level} = "text", nilai = "integer" }}
"""


# -- area_target_for_regions on a count

COUNT = """  [[sasaran.indikator]]
  id = "jumlah-kematian-ibu"
  name = "Jumlah kematian ibu"
  unit = "Orang"
  polarity = "negatif"
  targets = { 2026 = "≤ 1" }
  area_target_for_regions = true
  formula = "Σ [Kematian Ibu]"

  [[sasaran.indikator]]
  id = "cbr\""""


def test_the_area_target_of_a_count_is_never_a_regions(tmp_path: Path) -> None:
    # The kabupaten's "≤ 1" maternal death is for the whole kabupaten (2 deaths: not met).
    # With area_target_for_regions = true each kecamatan met it with its own part (Sukamaju
    # 1, Cibening 1, Karanganyar 0: 100 %, Sangat Tinggi each), while the kabupaten's 2
    # deaths are 0 %: three kecamatan meeting "≤ 1" may hold 3 deaths. Refused by the check.
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "cascade.toml", '  [[sasaran.indikator]]\n  id = "cbr"', COUNT)
    status, text = run("--lang", "en", "check", str(folder))
    assert status != 0
    assert (
        "indicator 'jumlah-kematian-ibu' says area_target_for_regions = true, but its satuan"
        " 'Orang' counts things"
    ) in text
    assert "(remove area_target_for_regions = true" in text
    # Definitions made without the checks (the Python API): no capaian for a kecamatan.
    definitions = load(folder)
    assert [d.code for d in definitions.errors] == ["area-target-count"]
    unchecked = evolve(definitions, diagnostics=())
    with Engine(unchecked, DATA) as engine:
        evaluation = engine.evaluate("2026", by="kecamatan")
    sukamaju = evaluation.get("jumlah-kematian-ibu", "Sukamaju")
    assert sukamaju.value == 1 and sukamaju.target is None
    assert sukamaju.capaian is not None and sukamaju.capaian.value is None
    assert "is not a kecamatan's" in (sukamaju.capaian_reason or "")
    # the kabupaten keeps its own: 2 against ≤ 1, selisih (2 × 1 − 2) / 1 × 100 = 0
    area = evaluation.get("jumlah-kematian-ibu")
    assert area.capaian is not None and area.capaian.value == Decimal("0.00")


# -- inputs per region


def test_an_input_given_per_kecamatan_and_per_desa_is_not_added_across_levels(
    tmp_path: Path,
) -> None:
    # The population per kecamatan (125.000) and, in a second table, per desa (the same
    # people: 50.000 + 40.000 + 35.000). They were added up as one level: 250.000, and the
    # kabupaten's cbr 1750 / 250.000 × 1.000 = 7 (flattering: lower is better) instead of
    # 1750 / 125.000 × 1.000 = 14.
    folder = copy(tmp_path, DINKES, "dinkes")
    data = copy(tmp_path, DATA, "data")
    with (folder / "data.toml").open("a", encoding="utf-8") as handle:
        handle.write(inputs_source("penduduk_desa", "desa"))
    (data / "penduduk_desa.csv").write_text(
        "nama,tahun,desa,nilai\n"
        "Jumlah Penduduk,2026,Sukamaju Kidul,50000\n"
        "Jumlah Penduduk,2026,Cibening Wetan,40000\n"
        "Jumlah Penduduk,2026,Karanganyar Hilir,35000\n",
        encoding="utf-8",
    )
    found = rows(folder, data, "--by", "kecamatan")
    assert row(found, "cbr")["value"] == 14
    assert row(found, "cbr", "Cibening")["value"] == Decimal("17.5")  # 700 / 40.000 × 1.000


def test_two_tables_giving_one_regions_input_are_two_values(tmp_path: Path) -> None:
    # A second table per kecamatan gives Sukamaju 100.000 (penduduk.csv: 50.000). The later
    # table replaced the earlier one in silence: Sukamaju 750 / 100.000 × 1.000 = 7,5
    # (meeting its ≤ 15) and the kabupaten 1750 / 175.000 × 1.000 = 10. Two rows for one
    # region are no value, as in one table.
    folder = copy(tmp_path, DINKES, "dinkes")
    data = copy(tmp_path, DATA, "data")
    with (folder / "data.toml").open("a", encoding="utf-8") as handle:
        handle.write(inputs_source("penduduk_bps", "kecamatan"))
    (data / "penduduk_bps.csv").write_text(
        "nama,tahun,kecamatan,nilai\nJumlah Penduduk,2026,Sukamaju,100000\n", encoding="utf-8"
    )
    found = rows(folder, data, "--by", "kecamatan")
    sukamaju = row(found, "cbr", "Sukamaju")
    assert sukamaju["value"] is None and sukamaju["reason_code"] == "duplicate-input"
    assert "2 values for 'Jumlah Penduduk' in kecamatan Sukamaju for 2026" in sukamaju["reason"]
    assert row(found, "cbr")["value"] is None
    assert row(found, "cbr", "Cibening")["value"] == Decimal("17.5")  # one row: kept


def test_an_additive_input_per_undeclared_region_is_not_summed(tmp_path: Path) -> None:
    # The population per desa, whose regions are not declared, without a row for
    # Karanganyar Hilir: summed over the rows given, 90.000, the kabupaten's cbr was
    # 1750 / 90.000 × 1.000 = 19,44 where its population is 125.000 (14). Whether the rows
    # cover every desa cannot be told: no value, and the reason says how to give one.
    folder = copy(tmp_path, DINKES, "dinkes")
    data = copy(tmp_path, DATA, "data")
    edit(
        folder / "data.toml",
        'regions = { kecamatan = "kecamatan" }\ncolumns = { nama = "text", tahun = "integer",'
        ' kecamatan = "text", nilai = "integer" }',
        'regions = { desa = "desa" }\ncolumns = { nama = "text", tahun = "integer",'
        ' desa = "text", nilai = "integer" }',
    )
    (data / "penduduk.csv").write_text(
        "nama,tahun,desa,nilai\n"
        "Jumlah Penduduk,2026,Sukamaju Kidul,50000\n"
        "Jumlah Penduduk,2026,Cibening Wetan,40000\n",
        encoding="utf-8",
    )
    area = row(rows(folder, data), "cbr")
    assert area["value"] is None and area["reason_code"] == "missing-values"
    assert "no [[region]] declares the desa regions" in area["reason"]
    # with the kabupaten's own row, that row: 1750 / 125.000 × 1.000 = 14
    with (data / "penduduk.csv").open("a", encoding="utf-8") as handle:
        handle.write("Jumlah Penduduk,2026,,125000\n")
    assert row(rows(folder, data), "cbr")["value"] == 14


# -- region_column named after a level that is not declared


def test_a_region_column_named_after_an_undeclared_level_is_not_another_level(
    tmp_path: Path,
) -> None:
    # A kota that declares only kelurahan (their names not listed), its sources holding
    # the kecamatan in region_column = "kecamatan": the shorthand took the kecamatan names
    # as kelurahan, and `--by kelurahan` gave "kelurahan Cibening" cbr 17.5 and
    # kelas-ibu-hamil 90, the numbers of kecamatan Cibening. Refused.
    folder = copy(tmp_path, DINKES, "kota")
    (folder / "wilayah.toml").write_text(
        '[[level]]\nid = "kelurahan"\nname = "Kelurahan"\n', encoding="utf-8"
    )
    edit(folder / "office.toml", 'kind = "kabupaten"', 'kind = "kota"')
    cascade = folder / "cascade.toml"
    text = cascade.read_text(encoding="utf-8")
    text = text.replace("[sasaran.indikator.region_targets.kecamatan]", "[sasaran.indikator.x]")
    cascade.write_text(text.replace("[sasaran.indikator.x]\n", "\n"), encoding="utf-8")
    for table in ("Sukamaju = ", "Cibening = ", "Karanganyar = "):
        lines = cascade.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.lstrip().startswith(table)]
        cascade.write_text("".join(kept), encoding="utf-8")
    sources = folder / "data.toml"
    edit(sources, 'regions = { kecamatan = "kecamatan", puskesmas = "puskesmas" }', "")
    edit(sources, 'regions = { kecamatan = "kecamatan", desa = "desa" }', "")
    edit(sources, 'regions = { kecamatan = "kecamatan" }', 'region_column = "kecamatan"')
    edit(sources, 'regions = { kecamatan = "kecamatan" }', 'region_column = "kecamatan"')
    status, text = run("--lang", "en", "check", str(folder))
    assert status != 0, text
    assert ("the region_column 'kecamatan' of source 'sasaran' names no declared level") in text
    status, text = run(
        "eval", str(folder), "--data", str(DATA), "--period", "2026", "--by", "kelurahan"
    )
    assert status != 0
    # nor is a column named otherwise taken as the largest declared level: "kelurahan" in
    # the kabupaten could be its level desa (named Desa/Kelurahan) as much as kecamatan
    kabupaten = copy(tmp_path, DINKES, "kabupaten")
    edit(
        kabupaten / "data.toml",
        'regions = { kecamatan = "kecamatan", desa = "desa" }',
        'region_column = "kelurahan"',
    )
    edit(kabupaten / "data.toml", 'desa = "text", putaran', 'kelurahan = "text", putaran')
    status, text = run("--lang", "en", "check", str(kabupaten))
    assert status != 0
    assert "the region_column 'kelurahan' of source 'balita' names no declared level" in text


# -- a region's target written as a fraction


def test_a_regions_percentage_target_written_as_a_fraction_is_warned_of(tmp_path: Path) -> None:
    # Sukamaju's persalinan di faskes target "0,93" (93 % written as a share): 96 % against
    # 0,93 gives 96 / 0,93 × 100 = 10322,58 %, Sangat Tinggi, without a word; the kabupaten's
    # own targets are warned of (code target-fraction), a region's were not.
    folder = copy(tmp_path, DINKES, "dinkes")
    edit(folder / "cascade.toml", 'Sukamaju = { 2026 = "92–97" }', 'Sukamaju = { 2026 = "0,93" }')
    status, text = run("--lang", "en", "check", str(folder))
    assert status == 0, text
    assert (
        "warning: indicator 'persalinan-faskes' is a percentage, but its target for kecamatan"
        " 'Sukamaju' in 2026 is 0.93, less than 1 %"
    ) in text
    assert "(write the target as a percentage (93)" in text


def test_a_whole_area_table_and_a_table_per_region_must_agree(tmp_path: Path) -> None:
    # A table for the whole kabupaten (no region column) gives 300.000 people, while the
    # kecamatan rows of penduduk.csv add up to 125.000: the kabupaten's cbr took the
    # kecamatan's sum in silence (1750 / 125.000 × 1.000 = 14). They disagree: not available.
    folder = copy(tmp_path, DINKES, "dinkes")
    data = copy(tmp_path, DATA, "data")
    with (folder / "data.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n[[source]]\nid = "penduduk_kab"\nkind = "inputs"\nformat = "csv"\n'
            'path = "penduduk_kab.csv"\n'
            'columns = { nama = "text", tahun = "integer", nilai = "integer" }\n'
        )
    (data / "penduduk_kab.csv").write_text(
        "nama,tahun,nilai\nJumlah Penduduk,2026,300000\n", encoding="utf-8"
    )
    found = rows(folder, data, "--by", "kecamatan")
    area = row(found, "cbr")
    assert area["value"] is None and area["reason_code"] == "inputs-disagree"
    assert "300000" in area["reason"] and "125000" in area["reason"]
    assert row(found, "cbr", "Cibening")["value"] == Decimal("17.5")  # 700 / 40.000 × 1.000
