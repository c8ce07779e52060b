"""jumlah(a, b, …) and rata_rata(a, b, …) — totals and averages of several values or
indicators — in every walk over a formula: parser and printer, evaluator and
compile_function, units, dimensions, bounds, dependencies, and the engine's SQL."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from iku_rules import Engine, UnitError, ast, evaluate, parse
from iku_rules.bounds import Analysis
from iku_rules.dimensions import Quantity, infer
from iku_rules.evaluator import compile_function
from iku_rules.loader import load
from iku_rules.satuan import UnitTable

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("jumlah(a, b, c)", "jumlah(a, b, c)"),
        ("sum(a, b)", "jumlah(a, b)"),
        ("total(a, b)", "jumlah(a, b)"),
        ("rata_rata(a, b, c)", "rata_rata(a, b, c)"),
        ("rata-rata(a, b)", "rata_rata(a, b)"),
        ("avg(a, b) / 2", "rata_rata(a, b) / 2"),
        ("rata_rata_tersedia(a, b)", "rata_rata_tersedia(a, b)"),
        ("avg_available(a, b)", "rata_rata_tersedia(a, b)"),
        ("rata-rata-tersedia(a)", "rata_rata_tersedia(a)"),
    ],
)
def test_the_words_and_their_canonical_text(text: str, canonical: str) -> None:
    formula = parse(text)
    assert str(formula) == canonical
    assert parse(canonical) == formula


def test_an_aggregate_word_before_one_value_keeps_its_meaning() -> None:
    # Σ (a + b) and Σ a total what follows; jumlah(a) is Σ a
    assert parse("Σ (a + b)").body == ast.Aggregate("sum", parse("a + b").body)
    assert parse("jumlah(a)") == parse("Σ a")
    assert parse("rata-rata(a)") == parse("avg a")


def test_values_all_parts_or_those_available() -> None:
    values = {"a": 10, "b": 20, "c": None}
    # 10 + 20 = 30; (10 + 20) / 2 = 15
    assert evaluate("jumlah(a, b)", values).value == 30
    assert evaluate("rata_rata(a, b)", values).value == 15
    missing = evaluate("rata_rata(a, b, c)", values)
    assert missing.value is None
    assert missing.reason == (
        "rata_rata() needs every part, but 'c' is not available (no value for 'c' (line 1,"
        " column 17)) (line 1, column 1)"
    )
    available = evaluate("rata_rata_tersedia(a, b, c)", values)
    assert available.value == 15  # the two available: (10 + 20) / 2
    assert available.trace.note == (
        "2 of 3 parts available; missing: 'c' (no value for 'c' (line 1, column 26))"
    )
    none = evaluate("rata_rata_tersedia(c, c)", values)
    assert none.value is None and none.reason == (
        "none of the parts of rata_rata_tersedia() is available (line 1, column 1)"
    )


def test_compile_function_gives_what_evaluate_gives() -> None:
    average = compile_function("rata_rata(a, b, c)", ["a", "b", "c"])
    total = compile_function("jumlah(a, b, c) × 100%", ["a", "b", "c"])
    # (1 + 2 + 4) / 3 = 2.333…; 1 + 2 + 4 = 7
    assert (
        average({"a": Decimal(1), "b": Decimal(2), "c": Decimal(4)})
        == evaluate("rata_rata(a, b, c)", {"a": 1, "b": 2, "c": 4}).value
    )
    assert total({"a": Decimal(1), "b": Decimal(2), "c": Decimal(4)}) == Decimal(7)
    assert average({"a": Decimal(1), "b": None, "c": Decimal(4)}) is None
    available = compile_function("rata_rata_tersedia(a, b, c)", ["a", "b", "c"])
    assert available({"a": Decimal(1), "b": None, "c": Decimal(4)}) == Decimal("2.5")


def test_units_need_like_parts() -> None:
    with pytest.raises(UnitError, match="cannot add a percentage and a plain number"):
        evaluate("rata_rata(a / b × 100%, c)", {"a": 1, "b": 2, "c": 3})
    # percentages average to a percentage: (50 % + 25 %) / 2
    result = evaluate("rata_rata(a / b × 100%, c / d × 100%)", {"a": 1, "b": 2, "c": 1, "d": 4})
    assert (result.value, result.unit) == (Decimal("37.5"), "%")


def test_dimensions_need_parts_that_count_the_same_thing() -> None:
    table = UnitTable.builtin()
    units = {
        "orang": Quantity(table.dimension("Orang"), satuan="Orang"),
        "dokumen": Quantity(table.dimension("Dokumen"), satuan="Dokumen"),
    }
    quantity, problems = infer(parse("jumlah(orang, dokumen)"), units, table)
    assert [problem.message for problem in problems] == [
        "'dokumen' is in Dokumen and cannot be added to 'orang', which is in Orang"
    ]
    quantity, problems = infer(parse("rata_rata(orang, orang)"), units, table)
    assert (quantity.dimension, problems) == (table.dimension("Orang"), [])


def test_bounds_and_dependencies(tmp_path: Path) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        """formula = 'Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%'""",
        """formula = 'rata_rata(Σ register_pmks[kategori = "Anak Terlantar"] / Σ register_pmks × 100%, iku-tertangani)'""",
    )
    text = text.replace(
        'formula = "PMKS tertangani - sebelumnya(PMKS tertangani)"',
        'formula = "jumlah(Σ register_pmks, Σ register_pmks[kategori = \\"Anak Terlantar\\"], PMKS tertangani)"',
    )
    path.write_text(text, encoding="utf-8")
    definitions = load(folder)
    assert definitions.ok, definitions.errors
    share = definitions.indicator("anak-share")
    kenaikan = definitions.indicator("kenaikan")
    assert share is not None and kenaikan is not None
    assert [name.text for name in share.formula.names] == ["register_pmks", "iku-tertangani"]  # type: ignore[union-attr]
    analysis = Analysis(definitions)
    # an average of a proven 0–100 and an unproven 0–∞: 0–∞; a total of counts: 0–∞
    assert str(analysis.indicator(share).interval) == "[0, ∞]"
    assert str(analysis.indicator(kenaikan).interval) == "[0, ∞]"
    # The registers counted inside jumlah() and rata_rata() are fetched by SQL, alike on
    # every backend: 5 PMKS + 2 Anak Terlantar + 3 tertangani = 10;
    # (2 / 5 × 100 + 3 / 5 × 100) / 2 = (40 + 60) / 2 = 50
    for backend in ("duckdb", "sqlite", "python"):
        evaluation = Engine(folder, MINI, backend=backend).evaluate("2026")
        assert evaluation.get("kenaikan").value == 10
        assert evaluation.get("anak-share").value == 50
