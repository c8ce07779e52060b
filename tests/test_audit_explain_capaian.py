"""An explanation says how its realisasi and capaian were reached, with the numbers they
were reached from: the triwulan a realisasi summed (or read ``terakhir``) and those not
reported; the capaian's formula by its method (standar, selisih, a threshold met or
missed, a range) in the language's notation; and in HTML each step of the computation
beside its own value. Expected numbers are computed by hand in the comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import CASCADE, MINI, ROOT, run

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report.explain_html import explanation_html

DINKES = ROOT / "definitions" / "dinkes-contoh"
DINKES_DATA = ROOT / "tests" / "fixtures" / "dinkes-contoh-data"

REALISASI = (
    """\
[office]
id = "audit"
name = "Dinas Audit"
plan_start = 2025
plan_end = 2027
units = ["Orang"]

"""
    + CASCADE
    + """
[[program]]
id = "P"
kode = "1.01"
name = "Program"
parent = "sasaran"

[[kegiatan]]
id = "K"
kode = "1.01.1"
name = "Kegiatan"
parent = "P"

[[sub_kegiatan]]
id = "A"
name = "Sub A"
parent = "K"

  [[sub_kegiatan.indikator]]
  id = "tingkat"
  name = "Orang terlayani (tingkat yang dicapai)"
  unit = "Orang"
  formula = "realisasi"
  capaian_method = "terakhir"
  targets = { 2026 = 100 }

  [[sub_kegiatan.indikator]]
  id = "jumlah"
  name = "Orang terlayani"
  unit = "Orang"
  formula = "realisasi"
  targets = { 2026 = 100 }

[[source]]
id = "realisasi"
kind = "realisasi"
format = "csv"
path = "realisasi.csv"
columns = { kode_sub_kegiatan = "text", indikator = "text", periode = "text", nilai = "decimal" }
"""
)

ROWS = """\
kode_sub_kegiatan,indikator,periode,nilai
A,tingkat,2026-TW1,20
A,tingkat,2026-TW2,45
A,tingkat,2026-TW3,65
A,jumlah,2026-TW1,20
A,jumlah,2026-TW2,45
A,jumlah,2026-TW4,65
"""


def explain_text(*argv: str) -> str:
    status, text = run("explain", *argv)
    assert status == 0, text
    return text


@pytest.fixture
def office(tmp_path: Path) -> Path:
    (tmp_path / "definitions.toml").write_text(REALISASI, encoding="utf-8")
    (tmp_path / "realisasi.csv").write_text(ROWS, encoding="utf-8")
    return tmp_path


def test_a_realisasi_read_terakhir_says_it_is_the_last_triwulan(office: Path) -> None:
    text = explain_text(str(office), "tingkat", "--data", str(office), "--period", "2026",
                        "--lang", "en")  # fmt: skip
    # levels 20, 45, 65 reached by TW3: the value is 65, never 20 + 45 + 65 = 130
    assert "[tingkat] = 65 Orang" in text
    assert (
        "realisasi reported: 3 rows (2026-TW1: 20 Orang, 2026-TW2: 45 Orang, 2026-TW3: 65"
        " Orang, 2026-TW4: not reported); read terakhir: the value of 2026-TW3, the last"
        " reported, not their sum\n" in text
    )
    # capaian 65 / 100 × 100 = 65
    assert "  capaian: 65 / 100 × 100 = 65 (standar)\n" in text


def test_a_summed_realisasi_names_the_triwulan_not_reported(office: Path) -> None:
    text = explain_text(str(office), "jumlah", "--data", str(office), "--period",
                        "2026-sd-TW3", "--lang", "en")  # fmt: skip
    # to TW3: 20 + 45 = 65, TW3 has no row (TW4's 65 is after the period)
    assert "[jumlah] = 65 Orang" in text
    assert (
        "realisasi reported: 2 rows (2026-TW1: 20 Orang, 2026-TW2: 45 Orang, 2026-TW3: not"
        " reported); the value is their sum\n" in text
    )


def test_the_capaian_is_worked_with_the_numbers_it_came_from() -> None:
    mini = explain_text(str(MINI), "iku-tertangani", "--data", str(MINI), "--period", "2026",
                        "--lang", "en")  # fmt: skip
    # 3 of 5 PMKS = 60 %, target 40: 60 / 40 × 100 = 150
    assert "  capaian: 60 / 40 × 100 = 150 (standar)\n" in mini
    aki = explain_text(str(DINKES), "aki", "--data", str(DINKES_DATA), "--period", "2026",
                       "--lang", "en")  # fmt: skip
    # 2 / 1750 × 100000 = 114.2857…; lower is better: (2 × 70 − 114.2857…) / 70 × 100
    # = 25.714… / 70 × 100 = 36.7346… → 36.73
    assert "→ capaian 36.73 % (Sangat Rendah)" in aki
    assert (
        "  capaian: (2 × 70 − ≈ 114.285714) / 70 × 100 = ≈ 36.734694 (selisih; the target"
        " < 70 is not met)\n" in aki
    )
    akb = explain_text(str(DINKES), "akb", "--data", str(DINKES_DATA), "--period", "2026",
                       "--lang", "en")  # fmt: skip
    # 17 / 1750 × 1000 = 9.714… ≤ 14: met, capaian 100 by the rule, no formula
    assert "  capaian 100 %: realisasi ≈ 9.714286 meets the target ≤ 14 (selisih)\n" in akb
    inside = explain_text(str(DINKES), "persalinan-faskes", "--data", str(DINKES_DATA),
                          "--period", "2026", "--lang", "en")  # fmt: skip
    # 1655 / 1750 × 100 = 94.571… inside 90–95: 100
    assert (
        "  capaian 100 %: realisasi ≈ 94.571429 is inside the target range 90–95 (standar)\n"
        in inside
    )
    spm = explain_text(str(DINKES), "spm-kesehatan", "--data", str(DINKES_DATA), "--period",
                       "2026", "--lang", "id")  # fmt: skip
    # (1650 / 2150 + 1655 / 2060) / 2 × 100 = 78.541996…; against ≥ 95 not met:
    # 78.541996… / 95 × 100 = 82.675785… → 82,68, in Indonesian notation
    assert "capaian 82,68 %" in spm
    assert "capaian: ≈ 78,541996 / 95 × 100 = ≈ 82,675785 (standar; " in spm


def test_html_splits_a_step_from_its_value_where_its_text_ends() -> None:
    with use_language("en"), Engine(MINI, MINI) as engine:
        evaluation = engine.evaluate("2026")
        share = explanation_html(evaluation.explain("anak-share"))
        skor = explanation_html(evaluation.explain("skor"))
    # 2 of 5 PMKS are Anak Terlantar: 2 / 5 × 100 = 40 %
    steps = re.findall(r'<span class="x-name">([^<]*)</span><span class="x-value">([^<]*)<', share)
    assert ("Σ register_pmks[kategori = &quot;Anak Terlantar&quot;]", "2") in steps
    assert (
        "Σ register_pmks[kategori = &quot;Anak Terlantar&quot;] / Σ register_pmks × 100%",
        "40 %",
    ) in steps
    # 0.5 × 76.05 + 60 % / 100 % = 38.025 + 0.6 = 38.625, in the indicator's satuan as
    # the text explanation's first line of its computation
    assert '<span class="x-value">38.625 Nilai</span></div><ul>' in skor
