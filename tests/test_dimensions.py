"""Units of formulas: what each value counts, checked before anything runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iku_rules import load, parse
from iku_rules.dimensions import Quantity, check_result, infer, units_of_names
from iku_rules.satuan import UnitTable, describe

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
TABLE = UnitTable.builtin()
UNITS = units_of_names(
    {"PMKS": "Orang", "Penduduk": "Jiwa", "Dokumen": "Dokumen", "Anggaran": "Rupiah"},
    {"Nilai AKIP": "Nilai", "IKM": "Nilai", "Rasio": "Persen", "Lain": "Jumlah"},
    {"iku-persen": "Persen"},
    ("bobot",),
    TABLE,
)


def problems(text: str) -> list[str]:
    return [problem.message for problem in infer(parse(text), UNITS, TABLE)[1]]


def gives(text: str) -> str:
    quantity, found = infer(parse(text), UNITS, TABLE)
    assert found == []
    return describe(quantity.dimension, TABLE)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Σ PMKS + Σ Penduduk", "Orang"),  # Jiwa and Orang both count people
        ("Σ PMKS / Σ Penduduk", "a plain number"),
        ("Σ PMKS / Σ Penduduk × 100%", "a plain number"),
        ("Σ Anggaran / Σ PMKS", "Rupiah per Orang"),
        ("Σ PMKS - 10", "Orang"),  # a number takes the unit of the other side
        ("bobot × Σ PMKS", "Orang"),
        ("0.4 × Nilai AKIP + 0.3 × IKM + 0.3 × Rasio", "a plain number"),
        ("min(Σ PMKS, 100)", "Orang"),
        ("if(Σ PMKS = 0, 0, Σ Dokumen / Σ PMKS)", "Dokumen per Orang"),
        ("Σ PMKS + Lain", "an unknown unit"),  # Jumlah says nothing: never a problem
        ("Σ PMKS + Σ register_pmks", "an unknown unit"),
    ],
)
def test_units_of_formulas(text: str, unit: str) -> None:
    assert gives(text) == unit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Σ PMKS + Σ Dokumen",
            "'Σ Dokumen' is in Dokumen and cannot be added to 'Σ PMKS', which is in Orang",
        ),
        (
            "if(Σ PMKS > Σ Dokumen, 1, 0)",
            "'Σ Dokumen' is in Dokumen and cannot be compared with 'Σ PMKS', which is in Orang",
        ),
        (
            "max(Σ Anggaran, Σ PMKS)",
            "'Σ PMKS' is in Orang and cannot be chosen between 'Σ Anggaran', which is in Rupiah",
        ),
        (
            "Nilai AKIP + Σ PMKS",
            "'Σ PMKS' is in Orang and cannot be added to 'Nilai AKIP', which is in Nilai",
        ),
    ],
)
def test_unit_mistakes(text: str, message: str) -> None:
    assert problems(text) == [message]


def test_the_result_against_the_indicators_satuan() -> None:
    def why(text: str, unit: str) -> str | None:
        formula = parse(text)
        quantity, _ = infer(formula, UNITS, TABLE)
        return check_result(formula, quantity, unit, unit == "Persen", UNITS, TABLE, "m1")

    assert why("Σ PMKS / Σ Penduduk × 100%", "Persen") is None
    assert why("Σ Dokumen / Σ PMKS × 100%", "Persen") == (
        "indicator 'm1' is a percentage, which divides like by like, but the numerator 'Σ Dokumen' is in"
        " Dokumen and the denominator 'Σ PMKS' is in Orang"
    )
    assert why("Σ PMKS", "Jiwa") is None
    assert why("Σ PMKS", "Dokumen") == (
        "indicator 'm1' is measured in Dokumen, but its formula gives Orang"
    )
    assert why("Σ PMKS", "Jumlah") is None
    assert why("Σ PMKS", "Satuan Baru") is None  # a unit the table lacks is not judged
    assert why("12", "Dokumen") is None


def test_quantity_describes_by_its_satuan() -> None:
    assert Quantity(TABLE.dimension("Jiwa"), satuan="Jiwa").describe(TABLE) == "Jiwa"
    assert Quantity(None, satuan="Jiwa").describe(TABLE) == "an unknown unit"


def office_copy(tmp_path: Path, extra: str, formula: str | None = None) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    if formula is not None:
        text = text.replace(
            'formula = "PMKS tertangani - sebelumnya(PMKS tertangani)"', f'formula = "{formula}"'
        )
    path.write_text(text + extra, encoding="utf-8")
    return folder


def test_an_office_extends_the_unit_table(tmp_path: Path) -> None:
    extra = """
[[measure]]
name = "Posyandu aktif"
source = "register_pmks"
aggregate = "count_distinct"
column = "nik"
unit = "Posyandu"

[satuan]
Posyandu = "posyandu"
"""
    folder = office_copy(tmp_path, extra, "PMKS tertangani + Σ [Posyandu aktif]")
    text = (folder / "definitions.toml").read_text(encoding="utf-8")
    text = text.replace(
        'units = ["Persen", "Orang", "Nilai"]', 'units = ["Persen", "Orang", "Nilai", "Posyandu"]'
    )
    text = text.replace(
        'aggregate = "count_distinct"\ncolumn = "nik"\nfilter',
        'aggregate = "count_distinct"\ncolumn = "nik"\nunit = "Orang"\nfilter',
    )
    (folder / "definitions.toml").write_text(text, encoding="utf-8")
    definitions = load(folder)
    # the mini office's own satuan.toml says Orang; this copy adds Posyandu
    assert definitions.satuan == {"Orang": "orang", "Posyandu": "posyandu"}
    messages = [d.message for d in definitions.errors]
    assert messages == [
        "in the formula of indicator 'kenaikan': 'Σ Posyandu aktif' is in Posyandu and cannot be"
        " added to 'PMKS tertangani', which is in Orang"
    ]


def test_a_unit_the_table_does_not_know_is_a_warning(tmp_path: Path) -> None:
    extra = '\n[[input]]\nname = "Jumlah Posyandu"\nunit = "Posyandu"\n'
    folder = office_copy(tmp_path, extra)
    text = (folder / "definitions.toml").read_text(encoding="utf-8")
    (folder / "definitions.toml").write_text(
        text.replace('"Nilai"]', '"Nilai", "Posyandu"]'), encoding="utf-8"
    )
    (warning,) = [d for d in load(folder).warnings if d.code == "unit"]
    assert warning.message == (
        "the unit table does not say what the satuan 'Posyandu' of input 'Jumlah Posyandu'"
        " counts, so formulas using it cannot be checked"
    )
    assert warning.suggestion == 'add it under [satuan], e.g. Posyandu = "posyandu"'


def test_a_satuan_must_name_what_it_counts(tmp_path: Path) -> None:
    folder = office_copy(tmp_path, "\n[satuan]\nPosyandu = 3\n")
    (error,) = load(folder).errors
    assert error.message.startswith("the satuan 'Posyandu' must name what it counts, as text")
    assert error.location.line is not None
