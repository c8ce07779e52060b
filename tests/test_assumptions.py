"""Assumptions: what a definition rests on that its source document does not say, marked
the same way on every kind of entry and followed from an indicator to everything it reads."""

from __future__ import annotations

import io
import json
from pathlib import Path

from iku_rules.cli import main
from iku_rules.loader import load
from iku_rules.model import Assumption

OFFICE = """#:schema ../schema.json
[office]
id = "contoh"
name = "Dinas Contoh"
plan_start = 2025
plan_end = 2030
units = ["Persen", "Orang", "Nilai"]

[[visi]]
id = "visi"
name = "Visi Contoh"

[[misi]]
id = "misi"
name = "Misi Contoh"
parent = "visi"
assumption = "Misi dirumuskan ulang dari dua kalimat dokumen"

  [[misi.indikator]]
  id = "cakupan"
  name = "Cakupan layanan"
  unit = "Persen"
  formula = "Σ Dilayani / Σ Terdaftar × 100%"
  may_exceed_100 = true
  assumption = "Rumus disusun dari nama indikator"

  [[misi.indikator]]
  id = "gabungan"
  name = "Nilai gabungan"
  unit = "Nilai"
  formula = "cakupan / 100% × faktor + Skor"

  [[misi.indikator]]
  id = "dilaporkan"
  name = "Jumlah orang dilayani"
  unit = "Orang"
  formula = "realisasi"

[[source]]
id = "register"
kind = "register"
format = "csv"
path = "register.csv"
columns = { nik = "nik", dilayani = "text" }
assumption = "Register dianggap satu baris per orang"

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { indikator = "text", periode = "text", nilai = "decimal" }

[[measure]]
name = "Terdaftar"
source = "register"
aggregate = "count_distinct"
column = "nik"

[[measure]]
name = "Dilayani"
source = "register"
aggregate = "count_distinct"
column = "nik"
filter = 'dilayani = "ya"'
assumption = "Dilayani dibaca dari kolom dilayani"

[[input]]
name = "Skor"
unit = "Nilai"
assumption = "Skor diisi dari hasil survei"

[[parameter]]
name = "faktor"
value = "1"
assumption = "Faktor 1 sampai ada ketentuan"
"""


def folder(tmp_path: Path) -> Path:
    (tmp_path / "office.toml").write_text(OFFICE, encoding="utf-8")
    return tmp_path


def test_every_kind_of_entry_reads_its_assumption(tmp_path: Path) -> None:
    definitions = load(folder(tmp_path))
    assert definitions.ok, definitions.diagnostics
    element = definitions.element("misi")
    assert (
        element is not None
        and element.assumption == "Misi dirumuskan ulang dari dua kalimat dokumen"
    )
    assert definitions.sources[0].assumption == "Register dianggap satu baris per orang"
    assert [m.assumption for m in definitions.measures] == [
        None,
        "Dilayani dibaca dari kolom dilayani",
    ]
    assert definitions.inputs[0].assumption == "Skor diisi dari hasil survei"
    assert definitions.parameters[0].assumption == "Faktor 1 sampai ada ketentuan"


def test_an_indicator_rests_on_the_assumptions_of_everything_it_reads(tmp_path: Path) -> None:
    definitions = load(folder(tmp_path))
    gabungan = definitions.indicator("gabungan")
    assert gabungan is not None
    # gabungan has none of its own; it reads the indicator cakupan (which reads two measures
    # of the register), a parameter and the input Skor. The measure Terdaftar assumes
    # nothing itself, but its register does; each assumption is listed once.
    assert [(a.kind, a.name) for a in definitions.assumptions(gabungan)] == [
        ("parameter", "faktor"),
        ("input", "Skor"),
        ("indicator", "cakupan"),
        ("measure", "Dilayani"),
        ("source", "register"),
    ]
    dilaporkan = definitions.indicator("dilaporkan")
    assert dilaporkan is not None and definitions.assumptions(dilaporkan) == ()
    first = definitions.assumptions(gabungan)[1]
    assert first == Assumption("input", "Skor", "Skor diisi dari hasil survei")
    assert first.location is not None and first.location.line is not None


def test_list_shows_them_in_text_and_json(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["list", str(folder(tmp_path))], out=out) == 0
    text = out.getvalue()
    assert "3 indicators, 0 IKU; 2 indicators rest on an assumption (marked ⚑)" in text
    assert "    ⚑ assumption: Misi dirumuskan ulang dari dua kalimat dokumen" in text
    assert "⚑ assumption: Rumus disusun dari nama indikator" in text
    assert (
        "⚑ rests on the assumptions of: parameter 'faktor', input 'Skor', indicator 'cakupan',"
        " measure 'Dilayani', source 'register'"
    ) in text
    out = io.StringIO()
    assert main(["list", str(folder(tmp_path)), "--format", "json"], out=out) == 0
    records = {record["id"]: record for record in json.loads(out.getvalue())}
    assert records["cakupan"]["assumption"] == "Rumus disusun dari nama indikator"
    assert records["gabungan"]["assumption"] is None
    assert records["gabungan"]["rests_on"][1] == {
        "kind": "input",
        "name": "Skor",
        "assumption": "Skor diisi dari hasil survei",
    }
